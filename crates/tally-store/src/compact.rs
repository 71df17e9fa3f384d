//! The compact store of migration 0005 (issue 12): source texts kept once per file in
//! compressed chunks and addressed by offset, reports as typed columns with their places
//! and estimates in tables of their own. Writing, reading, and the conversion of a
//! schema-4 ledger.

use crate::error::StoreError;
use chrono::SecondsFormat;
use rusqlite::types::{Value, ValueRef};
use rusqlite::{params, Connection, OptionalExtension, Statement, ToSql};
use std::collections::HashMap;
use tally_model::{
    Attribution, Confidence, Date, Estimate, Fips, Place, Report, ReportId, ResolvedPlace, Scope,
    SourceId, StateCode, Timestamp,
};

/// How chunks are compressed, as recorded in `source_chunks.codec`.
pub(crate) const CODEC: &str = "zstd";
/// zstd's level 1: about 7× on dataset CSV, as the default level 3 gives within 2% (issue
/// 12: 17.95 MB instead of 17.6 MB for the 300,000-row file), at nearly twice the speed
/// (0.18 s instead of 0.32 s of CPU for that file, on a core the ingest's other threads
/// need).
const LEVEL: i32 = 1;
/// A chunk closes once its text reaches this size, so that reading one source
/// decompresses at most this much (a source larger than this is a chunk of its own).
/// 1 MiB (was 256 KiB) compresses dataset CSV 10% better (issue 12: 17.5 MB instead of
/// 19.5 MB for the 300,000-row file, the ledger's margin under 2× the CSV) and still
/// reads one source in about a millisecond.
const CHUNK_BYTES: usize = 1 << 20;

/// A content address as stored: its 32 bytes when it is 64 lowercase hex digits (every
/// address Tally makes), else the text as given.
pub(crate) fn id_key(id: &str) -> Value {
    /// Each byte's value as a hex digit, or 0xff.
    const DIGITS: [u8; 256] = {
        let mut table = [0xff; 256];
        let mut i = 0;
        while i < 10 {
            table[b'0' as usize + i] = i as u8;
            i += 1;
        }
        let mut i = 0;
        while i < 6 {
            table[b'a' as usize + i] = 10 + i as u8;
            i += 1;
        }
        table
    };
    let hex = id.as_bytes();
    if hex.len() == 64 {
        // One pass into the bytes, without a digit's `Option` per character (issue 12:
        // every source of an ingest is keyed here, on the single writer).
        let mut bytes = vec![0u8; 32];
        let mut bad = 0u8;
        for (byte, pair) in bytes.iter_mut().zip(hex.chunks_exact(2)) {
            let (high, low) = (DIGITS[pair[0] as usize], DIGITS[pair[1] as usize]);
            bad |= high | low;
            *byte = high << 4 | (low & 15);
        }
        if bad & 0xf0 == 0 {
            return Value::Blob(bytes);
        }
    }
    Value::Text(id.to_string())
}

/// The content address that [`id_key`] stored.
pub(crate) fn id_text(value: ValueRef<'_>) -> Result<String, StoreError> {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    match value {
        ValueRef::Blob(bytes) => Ok(bytes
            .iter()
            .flat_map(|b| {
                [
                    HEX[(b >> 4) as usize] as char,
                    HEX[(b & 15) as usize] as char,
                ]
            })
            .collect()),
        ValueRef::Text(text) => Ok(String::from_utf8_lossy(text).into_owned()),
        other => Err(StoreError::Corrupt {
            what: "source",
            id: format!("{other:?}"),
            reason: "its content address is neither bytes nor text".into(),
        }),
    }
}

/// Report receipt times: fixed-width nanoseconds, so text order is time order and the
/// time comes back exactly as the report held it.
pub(crate) fn report_time(t: Timestamp) -> String {
    t.to_rfc3339_opts(SecondsFormat::Nanos, true)
}

/// Collects the texts of one transaction's sources into chunks, and writes each chunk
/// once it is full (and the last at [`ChunkWriter::flush`]).
///
/// A closed chunk is compressed on a thread of the writer's own while the writer goes
/// on binding rows (issue 12: the single SQLite writer never waits for zstd); the
/// writer stores the compressed chunks in order of id as they come back, at its next
/// push, and waits for the rest only at the flush. The thread is not one of rayon's:
/// a writer that runs inside a pool of one thread would wait for a job queued behind
/// itself. It ends when the writer is dropped.
pub(crate) struct ChunkWriter {
    file_id: Option<i64>,
    next_id: i64,
    text: Vec<u8>,
    /// A source points into the open chunk (which may still be empty).
    open: bool,
    /// The next chunk id to store: chunks are stored in order of id.
    next_to_store: i64,
    /// The compressing thread's inbox and outbox, once a chunk has closed.
    compressor: Option<Compressor>,
}

/// A chunk's raw length and its compressed bytes.
type Compressed = (usize, std::io::Result<Vec<u8>>);

/// The channels to and from the thread that compresses closed chunks, in order.
struct Compressor {
    inbox: std::sync::mpsc::Sender<(i64, Vec<u8>)>,
    outbox: std::sync::mpsc::Receiver<(i64, Compressed)>,
}

impl Compressor {
    fn start() -> Compressor {
        let (inbox, chunks) = std::sync::mpsc::channel::<(i64, Vec<u8>)>();
        let (done, outbox) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for (id, text) in chunks {
                let compressed = zstd::bulk::compress(&text, LEVEL);
                if done.send((id, (text.len(), compressed))).is_err() {
                    // The writer was dropped (an error): nobody waits for the rest.
                    break;
                }
            }
        });
        Compressor { inbox, outbox }
    }
}

impl ChunkWriter {
    pub(crate) fn new(conn: &Connection, file_id: Option<i64>) -> Result<ChunkWriter, StoreError> {
        let next_id = conn.query_row(
            "SELECT coalesce(max(id), 0) + 1 FROM source_chunks",
            [],
            |row| row.get(0),
        )?;
        Ok(ChunkWriter {
            file_id,
            next_id,
            text: Vec::new(),
            open: false,
            next_to_store: next_id,
            compressor: None,
        })
    }

    /// Adds a source's text; returns where it will be: (chunk, start, length).
    pub(crate) fn push(
        &mut self,
        conn: &Connection,
        content: &str,
    ) -> Result<(i64, i64, i64), StoreError> {
        if self.open && self.text.len() + content.len() > CHUNK_BYTES {
            self.close()?;
            self.store_compressed(conn, false)?;
        }
        let start = self.text.len();
        self.text.extend_from_slice(content.as_bytes());
        self.open = true;
        Ok((self.next_id, start as i64, content.len() as i64))
    }

    /// Sends the open chunk to be compressed.
    fn close(&mut self) -> Result<(), StoreError> {
        if self.open {
            let text = std::mem::replace(&mut self.text, Vec::with_capacity(CHUNK_BYTES));
            let compressor = self.compressor.get_or_insert_with(Compressor::start);
            compressor
                .inbox
                .send((self.next_id, text))
                .map_err(|_| self.compressor_stopped())?;
            self.next_id += 1;
            self.open = false;
        }
        Ok(())
    }

    fn compressor_stopped(&self) -> StoreError {
        StoreError::Corrupt {
            what: "source chunk",
            id: self.next_to_store.to_string(),
            reason: "its compressing thread stopped".into(),
        }
    }

    /// Stores the compressed chunks that have come back (they come in order of id);
    /// with `all`, waits for every chunk sent.
    fn store_compressed(&mut self, conn: &Connection, all: bool) -> Result<(), StoreError> {
        while self.next_to_store < self.next_id {
            let Some(compressor) = &self.compressor else {
                break;
            };
            let next = if all {
                compressor.outbox.recv().ok()
            } else {
                match compressor.outbox.try_recv() {
                    Ok(next) => Some(next),
                    Err(std::sync::mpsc::TryRecvError::Empty) => return Ok(()),
                    Err(std::sync::mpsc::TryRecvError::Disconnected) => None,
                }
            };
            let Some((id, (raw_len, data))) = next else {
                return Err(self.compressor_stopped());
            };
            debug_assert_eq!(id, self.next_to_store, "chunks come back in order");
            let data = data.map_err(|e| StoreError::Corrupt {
                what: "source chunk",
                id: id.to_string(),
                reason: format!("cannot be compressed: {e}"),
            })?;
            conn.prepare_cached(
                "INSERT INTO source_chunks (id, file_id, codec, raw_len, data) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![id, self.file_id, CODEC, raw_len as i64, data])?;
            self.next_to_store += 1;
        }
        Ok(())
    }

    /// Writes every chunk still held, the open one included.
    pub(crate) fn flush(&mut self, conn: &Connection) -> Result<(), StoreError> {
        self.close()?;
        self.store_compressed(conn, true)
    }
}

/// Reads source texts, keeping the last chunk decompressed (sources are usually read
/// in order, so a scan decompresses each chunk once).
#[derive(Default)]
pub(crate) struct ChunkReader {
    id: Option<i64>,
    text: Vec<u8>,
}

impl ChunkReader {
    /// The text at (chunk, start, length); `source` names it in errors.
    pub(crate) fn content(
        &mut self,
        conn: &Connection,
        source: &str,
        chunk: i64,
        start: i64,
        length: i64,
    ) -> Result<String, StoreError> {
        let corrupt = |reason: String| StoreError::Corrupt {
            what: "source",
            id: source.to_string(),
            reason,
        };
        if self.id != Some(chunk) {
            self.id = None;
            let row: Option<(String, i64, Vec<u8>)> = conn
                .prepare_cached("SELECT codec, raw_len, data FROM source_chunks WHERE id = ?1")?
                .query_row(params![chunk], |row| {
                    Ok((row.get(0)?, row.get(1)?, row.get(2)?))
                })
                .optional()?;
            let Some((codec, raw_len, data)) = row else {
                return Err(corrupt(format!("its chunk {chunk} is missing")));
            };
            if codec != CODEC {
                return Err(corrupt(format!(
                    "chunk {chunk} has unknown codec {codec:?}"
                )));
            }
            self.text = zstd::bulk::decompress(&data, raw_len.max(0) as usize)
                .map_err(|e| corrupt(format!("chunk {chunk} cannot be decompressed: {e}")))?;
            if self.text.len() as i64 != raw_len {
                return Err(corrupt(format!("chunk {chunk} has the wrong length")));
            }
            self.id = Some(chunk);
        }
        let range = usize::try_from(start)
            .ok()
            .zip(usize::try_from(start + length).ok())
            .filter(|(a, b)| a <= b && *b <= self.text.len())
            .ok_or_else(|| corrupt(format!("its place in chunk {chunk} is out of range")))?;
        std::str::from_utf8(&self.text[range.0..range.1])
            .map(str::to_string)
            .map_err(|_| corrupt(format!("its text in chunk {chunk} is not UTF-8")))
    }
}

/// Finds or adds the `places` row of a report's place.
#[derive(Default)]
pub(crate) struct PlaceWriter {
    /// Places seen in this transaction, by a quick hash of their fields.
    known: HashMap<u64, Vec<(Place, i64)>>,
}

impl PlaceWriter {
    /// The number of a place this transaction has stored or met, without writing:
    /// `None` for one it has not.
    pub(crate) fn known(
        &self,
        conn: &Connection,
        place: &Place,
    ) -> Result<Option<i64>, StoreError> {
        if let Some(found) = self
            .known
            .get(&quick_hash(place))
            .and_then(|seen| seen.iter().find(|(p, _)| p == place))
        {
            return Ok(Some(found.1));
        }
        let key = place_key(place)?;
        Ok(conn
            .prepare_cached("SELECT id FROM places WHERE key = ?1")?
            .query_row(params![&key[..]], |row| row.get(0))
            .optional()?)
    }

    pub(crate) fn id(&mut self, conn: &Connection, place: &Place) -> Result<i64, StoreError> {
        let quick = quick_hash(place);
        if let Some(found) = self
            .known
            .get(&quick)
            .and_then(|seen| seen.iter().find(|(p, _)| p == place))
        {
            return Ok(found.1);
        }
        let key = place_key(place)?;
        let found: Option<i64> = conn
            .prepare_cached("SELECT id FROM places WHERE key = ?1")?
            .query_row(params![&key[..]], |row| row.get(0))
            .optional()?;
        let id = match found {
            Some(id) => id,
            None => {
                let resolved = place.resolved.as_ref();
                conn.prepare_cached(
                    "INSERT INTO places (key, raw, locality, state, online, resolved_state,
                        resolved_locality, county, fips, lat, lon, population, confidence)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                )?
                .execute(params![
                    &key[..],
                    place.raw,
                    place.locality,
                    place.state.map(StateCode::as_str),
                    place.online,
                    resolved.map(|r| r.state.as_str()),
                    resolved.and_then(|r| r.locality.as_deref()),
                    resolved.and_then(|r| r.county.as_deref()),
                    resolved.and_then(|r| r.fips.as_ref().map(Fips::as_str)),
                    resolved.and_then(|r| r.lat),
                    resolved.and_then(|r| r.lon),
                    resolved.and_then(|r| r.population.map(|p| p as i64)),
                    resolved.map(|r| r.confidence.as_str()),
                ])?;
                conn.last_insert_rowid()
            }
        };
        self.known
            .entry(quick)
            .or_default()
            .push((place.clone(), id));
        Ok(id)
    }
}

/// A hash of a place's text fields and coordinates for the in-memory lookup (places
/// that differ elsewhere share a bucket and are told apart by comparison).
fn quick_hash(place: &Place) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = rustc_hash::FxHasher::default();
    place.raw.hash(&mut hasher);
    place.locality.hash(&mut hasher);
    place.online.hash(&mut hasher);
    if let Some(resolved) = &place.resolved {
        resolved.locality.hash(&mut hasher);
        resolved.county.hash(&mut hasher);
        resolved.lat.map(f64::to_bits).hash(&mut hasher);
        resolved.lon.map(f64::to_bits).hash(&mut hasher);
    }
    hasher.finish()
}

/// Every field of a place, hashed: equal keys mean equal places.
fn place_key(place: &Place) -> Result<[u8; 32], StoreError> {
    let json = serde_json::to_vec(place).map_err(|cause| StoreError::Encode {
        what: "place",
        cause,
    })?;
    Ok(*blake3::hash(&json).as_bytes())
}

/// A URL list as one text (see migration 0005); one URL is its own text, not a copy.
fn encode_urls(urls: &[String]) -> Result<Option<std::borrow::Cow<'_, str>>, StoreError> {
    use std::borrow::Cow;
    if urls.is_empty() {
        return Ok(None);
    }
    if urls.iter().any(|u| u.contains('\n')) || urls[0].starts_with('[') {
        return serde_json::to_string(urls)
            .map(|json| Some(Cow::Owned(json)))
            .map_err(|cause| StoreError::Encode {
                what: "report",
                cause,
            });
    }
    Ok(Some(match urls {
        [one] => Cow::Borrowed(one.as_str()),
        many => Cow::Owned(many.join("\n")),
    }))
}

fn decode_urls(text: Option<String>) -> Result<Vec<String>, String> {
    match text {
        None => Ok(Vec::new()),
        Some(text) if text.starts_with('[') => {
            serde_json::from_str(&text).map_err(|e| format!("urls: {e}"))
        }
        Some(text) => Ok(text.split('\n').map(str::to_string).collect()),
    }
}

/// Rows per multi-row INSERT during an ingest (issue 12). Every INSERT into a guarded
/// table may abort (the append-only triggers and foreign keys), so SQLite copies each
/// page it touches into a statement journal first; one statement per batch of rows
/// copies each page once per batch instead of once per row.
pub(crate) const ROWS_PER_INSERT: usize = 64;

/// The columns of `reports`, in the order [`bind_report`] binds them.
pub(crate) const REPORT_INSERT: &str = "INSERT INTO reports (id, source_row, received_at, date,
    batch, place, location_detail, size_text, event_count, event_type, title, headline,
    organizers, participants, claims, valence, arrests, publisher, urls, notes, rsvp) VALUES ";
pub(crate) const REPORT_WIDTH: usize = 21;

/// The columns of `report_estimates`, in the order [`bind_estimate`] binds them.
pub(crate) const ESTIMATE_INSERT: &str = "INSERT INTO report_estimates (report_id, ord, low,
    high, qualifier, vague_text, attribution, scope, coded_by_rule) VALUES ";
pub(crate) const ESTIMATE_WIDTH: usize = 9;

/// Something `values` can be bound to: a statement, or a [`Binder`] that skips the
/// values its statement holds already.
pub(crate) trait Bind {
    /// Binds `value` to parameter `index` (from 1).
    fn bind(&mut self, index: usize, value: &dyn ToSql) -> Result<(), StoreError>;
}

impl Bind for Statement<'_> {
    fn bind(&mut self, index: usize, value: &dyn ToSql) -> Result<(), StoreError> {
        self.raw_bind_parameter(index, value)?;
        Ok(())
    }
}

impl Bind for rusqlite::CachedStatement<'_> {
    fn bind(&mut self, index: usize, value: &dyn ToSql) -> Result<(), StoreError> {
        self.raw_bind_parameter(index, value)?;
        Ok(())
    }
}

/// Binds `values` to the parameters from `first` on.
pub(crate) fn bind_values(
    stmt: &mut impl Bind,
    first: usize,
    values: &[&dyn ToSql],
) -> Result<(), StoreError> {
    for (i, value) in values.iter().enumerate() {
        stmt.bind(first + i, *value)?;
    }
    Ok(())
}

/// What a parameter of a [`Binder`]'s statement holds.
#[derive(Debug, Clone, PartialEq)]
enum Held {
    Null,
    Integer(i64),
    /// The bits of a real.
    Real(u64),
    Text(Vec<u8>),
    Blob(Vec<u8>),
    /// Something not kept here: bound again every time.
    Unknown,
}

/// A statement run many times with bound rows (one statement, many executions): a
/// value equal to the one its parameter holds from the execution before is not bound
/// again (issue 12). SQLite keeps a statement's bindings across runs; binding a text
/// frees the parameter's copy and makes a new one, so on the single writer the
/// receipt times, file names, NULLs and repeated codes of a file's rows were a large
/// part of the binding, which was a third of the writer's time.
///
/// Only a statement of one row keeps what it holds (`keep`): the row before is most
/// often alike, where a statement of many rows would compare each row with the one
/// as many rows before it, seldom alike (measured on the events of a first ingest: no
/// gain there).
pub(crate) struct Binder<'s, 'c> {
    stmt: &'s mut Statement<'c>,
    /// What each parameter holds, from 1 (index 0 unused); a fresh or cached statement
    /// holds only NULLs (the cache clears a statement's bindings when it takes it back).
    /// Empty when every value is bound.
    held: Vec<Held>,
}

impl<'s, 'c> Binder<'s, 'c> {
    /// `stmt` must hold only NULLs (freshly prepared, or just taken from the cache);
    /// without `keep`, every value is bound.
    pub(crate) fn new(stmt: &'s mut Statement<'c>, keep: bool) -> Binder<'s, 'c> {
        let count = if keep { stmt.parameter_count() + 1 } else { 0 };
        Binder {
            stmt,
            held: vec![Held::Null; count],
        }
    }

    /// Binds `value` to parameter `index` (from 1) straight to SQLite, without a
    /// comparison with what the parameter holds or a value made through `dyn ToSql`
    /// (issue 12: the 16 values of each of a first ingest's events, in statements of
    /// many rows, which keep nothing).
    pub(crate) fn bind_now<T: ToSql>(&mut self, index: usize, value: T) -> Result<(), StoreError> {
        self.stmt.raw_bind_parameter(index, value)?;
        if let Some(held) = self.held.get_mut(index) {
            *held = Held::Unknown;
        }
        Ok(())
    }

    /// Runs the statement with what is bound.
    pub(crate) fn execute(&mut self) -> Result<(), StoreError> {
        self.stmt.raw_execute()?;
        Ok(())
    }
}

impl Bind for Binder<'_, '_> {
    fn bind(&mut self, index: usize, value: &dyn ToSql) -> Result<(), StoreError> {
        use rusqlite::types::ToSqlOutput;
        let output = value.to_sql()?;
        let value = match &output {
            ToSqlOutput::Borrowed(v) => *v,
            ToSqlOutput::Owned(v) => ValueRef::from(v),
            _ => {
                self.stmt.raw_bind_parameter(index, &output)?;
                if let Some(held) = self.held.get_mut(index) {
                    *held = Held::Unknown;
                }
                return Ok(());
            }
        };
        let Some(held) = self.held.get_mut(index) else {
            // Nothing kept (or out of range: SQLite says so).
            self.stmt.raw_bind_parameter(index, &output)?;
            return Ok(());
        };
        let same = match (value, &*held) {
            (ValueRef::Null, Held::Null) => true,
            (ValueRef::Integer(a), Held::Integer(b)) => a == *b,
            (ValueRef::Real(a), Held::Real(b)) => a.to_bits() == *b,
            (ValueRef::Text(a), Held::Text(b)) => a == b.as_slice(),
            (ValueRef::Blob(a), Held::Blob(b)) => a == b.as_slice(),
            _ => false,
        };
        if same {
            return Ok(());
        }
        self.stmt.raw_bind_parameter(index, &output)?;
        // Kept in the parameter's own buffer, which is reused from row to row.
        match (value, held) {
            (ValueRef::Text(text), Held::Text(kept)) | (ValueRef::Blob(text), Held::Blob(kept)) => {
                kept.clear();
                kept.extend_from_slice(text);
            }
            (value, held) => {
                *held = match value {
                    ValueRef::Null => Held::Null,
                    ValueRef::Integer(n) => Held::Integer(n),
                    ValueRef::Real(r) => Held::Real(r.to_bits()),
                    ValueRef::Text(text) => Held::Text(text.to_vec()),
                    ValueRef::Blob(bytes) => Held::Blob(bytes.to_vec()),
                };
            }
        }
        Ok(())
    }
}

/// Inserts `rows` with `head` (`INSERT INTO t (columns) VALUES `) in statements of up to
/// [`ROWS_PER_INSERT`] rows; `bind` binds one row's `width` values from a parameter on.
pub(crate) fn insert_many<T>(
    conn: &Connection,
    head: &str,
    width: usize,
    rows: &[T],
    bind: impl FnMut(&mut Binder<'_, '_>, usize, &T) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    insert_in_groups(conn, ROWS_PER_INSERT, head, width, rows, bind)
}

/// [`insert_many`] in statements of up to `per_insert` rows. The full-size statement is
/// prepared once per call, not once per group.
pub(crate) fn insert_in_groups<T>(
    conn: &Connection,
    per_insert: usize,
    head: &str,
    width: usize,
    rows: &[T],
    mut bind: impl FnMut(&mut Binder<'_, '_>, usize, &T) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let per_insert = per_insert.max(1);
    let mut run = |stmt: &mut Binder<'_, '_>, group: &[T]| -> Result<(), StoreError> {
        for (i, row) in group.iter().enumerate() {
            bind(stmt, 1 + i * width, row)?;
        }
        stmt.execute()
    };
    let mut groups = rows.chunks_exact(per_insert);
    if groups.len() > 0 {
        let mut full = conn.prepare_cached(&values_sql(head, width, per_insert))?;
        let mut full = Binder::new(&mut full, per_insert == 1);
        for group in &mut groups {
            run(&mut full, group)?;
        }
    }
    let last = groups.remainder();
    if !last.is_empty() {
        // A last, shorter group: its statement is not worth keeping.
        let mut stmt = conn.prepare(&values_sql(head, width, last.len()))?;
        run(&mut Binder::new(&mut stmt, last.len() == 1), last)?;
    }
    Ok(())
}

/// `head` followed by `rows` groups of `width` placeholders.
pub(crate) fn values_sql(head: &str, width: usize, rows: usize) -> String {
    let mut group = String::with_capacity(2 * width + 1);
    group.push('(');
    for i in 0..width {
        group.push_str(if i == 0 { "?" } else { ",?" });
    }
    group.push(')');
    let mut sql = String::with_capacity(head.len() + rows * (group.len() + 1));
    sql.push_str(head);
    for i in 0..rows {
        if i > 0 {
            sql.push(',');
        }
        sql.push_str(&group);
    }
    sql
}

/// The text of the last value seen, so that runs of equal receipt times and dates (a
/// file's rows share one receipt time) are formatted once.
pub(crate) struct LastText<K> {
    key: Option<K>,
    text: String,
}

impl<K> Default for LastText<K> {
    fn default() -> Self {
        LastText {
            key: None,
            text: String::new(),
        }
    }
}

impl<K: PartialEq + Copy> LastText<K> {
    pub(crate) fn get(&mut self, key: K, format: impl FnOnce(K) -> String) -> &str {
        if self.key != Some(key) {
            self.text = format(key);
            self.key = Some(key);
        }
        &self.text
    }
}

/// What a report's row is bound with besides the report: where it is and the texts of
/// its receipt time and date.
pub(crate) struct ReportPlacing<'t> {
    /// `None` lets SQLite give the next id.
    pub id: Option<i64>,
    pub source_row: i64,
    pub place: i64,
    pub received_at: &'t str,
    pub date: Option<&'t str>,
}

/// Binds a report's row (see [`REPORT_INSERT`]) from parameter `first` on.
pub(crate) fn bind_report(
    stmt: &mut impl Bind,
    first: usize,
    at: &ReportPlacing<'_>,
    report: &Report,
) -> Result<(), StoreError> {
    bind_values(
        stmt,
        first,
        &[
            &at.id,
            &at.source_row,
            &at.received_at,
            &at.date,
            &report.batch,
            &at.place,
            &report.location_detail,
            &report.size_text,
            &report.event_count.map(|n| n as i64),
            &report.event_type,
            &report.title,
            &report.headline,
            &report.organizers,
            &report.participants,
            &report.claims,
            &report.valence,
            &report.arrests,
            &report.publisher,
            &encode_urls(&report.urls)?,
            &report.notes,
            &report.rsvp.map(|n| n as i64),
        ],
    )
}

/// Binds one estimate's row (see [`ESTIMATE_INSERT`]) from parameter `first` on.
pub(crate) fn bind_estimate(
    stmt: &mut impl Bind,
    first: usize,
    report_id: i64,
    ord: usize,
    estimate: &Estimate,
) -> Result<(), StoreError> {
    bind_values(
        stmt,
        first,
        &[
            &report_id,
            &(ord as i64),
            &(estimate.low() as i64),
            &(estimate.high() as i64),
            &estimate.qualifier(),
            &estimate.vague_text(),
            &estimate.attribution().as_str(),
            &estimate.scope().as_str(),
            &estimate.coded_by_rule(),
        ],
    )
}

/// Appends a report and its estimates to `table` (with `id`, or the next id when
/// `None`); returns its id. The conversion of a schema-4 ledger appends one at a time.
fn insert_report_into(
    conn: &Connection,
    table: &str,
    places: &mut PlaceWriter,
    id: Option<i64>,
    source_row: i64,
    report: &Report,
) -> Result<i64, StoreError> {
    let place = places.id(conn, &report.place)?;
    let head = REPORT_INSERT.replacen("INTO reports", &format!("INTO {table}"), 1);
    let received_at = report_time(report.received_at);
    let date = report.date.map(|d| d.to_string());
    let mut stmt = conn.prepare_cached(&values_sql(&head, REPORT_WIDTH, 1))?;
    let at = ReportPlacing {
        id,
        source_row,
        place,
        received_at: &received_at,
        date: date.as_deref(),
    };
    bind_report(&mut stmt, 1, &at, report)?;
    stmt.raw_execute()?;
    let id = conn.last_insert_rowid();
    insert_many(
        conn,
        ESTIMATE_INSERT,
        ESTIMATE_WIDTH,
        &report.estimates.iter().enumerate().collect::<Vec<_>>(),
        |stmt, first, (ord, estimate)| bind_estimate(stmt, first, id, *ord, estimate),
    )?;
    Ok(id)
}

const REPORT_COLUMNS: &str = "r.id, s.id, r.received_at, r.date, r.batch, r.place,
    r.location_detail, r.size_text, r.event_count, r.event_type, r.title, r.headline,
    r.organizers, r.participants, r.claims, r.valence, r.arrests, r.publisher, r.urls,
    r.notes, r.rsvp";

/// The reports that `condition` (over `reports r`, with `values` bound as `?1`, `?2`, …)
/// picks, in order of id.
pub(crate) fn query_reports(
    conn: &Connection,
    condition: &str,
    values: &[&dyn rusqlite::ToSql],
) -> Result<Vec<Report>, StoreError> {
    let sql = format!(
        "SELECT {REPORT_COLUMNS} FROM reports r LEFT JOIN sources s ON s.row = r.source_row
         WHERE {condition} ORDER BY r.id"
    );
    let estimates_sql = format!(
        "SELECT e.report_id, e.low, e.high, e.qualifier, e.vague_text, e.attribution, e.scope,
                e.coded_by_rule
         FROM report_estimates e WHERE e.report_id IN (SELECT r.id FROM reports r WHERE {condition})
         ORDER BY e.report_id, e.ord"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut estimates_stmt = conn.prepare_cached(&estimates_sql)?;
    let mut estimates = estimates_stmt.query(values)?;
    let mut pending: Option<(i64, Estimate)> = None;
    let mut places = PlaceReader::default();
    let mut rows = stmt.query(values)?;
    let mut reports = Vec::new();
    while let Some(row) = rows.next()? {
        let mut report = read_report(conn, &mut places, row)?;
        let id = report.id.map_or(0, |r| r.0);
        loop {
            if pending.is_none() {
                pending = match estimates.next()? {
                    Some(row) => Some(read_estimate(row)?),
                    None => None,
                };
            }
            match pending.take() {
                Some((owner, estimate)) if owner == id => report.estimates.push(estimate),
                Some((owner, estimate)) if owner < id => {
                    // An estimate of a report the condition did not pick: cannot happen,
                    // as both queries share it; skipped rather than misattributed.
                    let _ = estimate;
                }
                other => {
                    pending = other;
                    break;
                }
            }
        }
        reports.push(report);
    }
    Ok(reports)
}

/// How many keys one statement of [`reports_by_id`] (and of the locators' read) asks
/// for.
pub(crate) const IDS_PER_READ: usize = 256;

/// `(?,?,…)`: the list of [`IDS_PER_READ`] keys that a read of many keys asks with.
pub(crate) fn key_list() -> String {
    format!("({})", vec!["?"; IDS_PER_READ].join(","))
}

/// Binds a group of at most [`IDS_PER_READ`] keys to a statement of [`key_list`]; the
/// places left over stay NULL, which no key equals.
pub(crate) fn bind_keys(stmt: &mut Statement<'_>, group: &[i64]) -> Result<(), StoreError> {
    for i in 0..IDS_PER_READ {
        match group.get(i) {
            Some(key) => stmt.raw_bind_parameter(1 + i, key)?,
            None => stmt.raw_bind_parameter(1 + i, rusqlite::types::Null)?,
        }
    }
    Ok(())
}

/// The reports with these ids, in the order asked; missing ids are skipped.
///
/// Read in id order, [`IDS_PER_READ`] ids a statement (`r.id IN (...)`, and the same for
/// their estimates) rather than one statement per id and table (issue 12: a relink
/// reads some 7,500 stored reports, and starting 15,000 statements was a share of it).
pub(crate) fn reports_by_id(
    conn: &Connection,
    ids: &[ReportId],
) -> Result<Vec<Report>, StoreError> {
    let mut wanted: Vec<i64> = ids.iter().map(|id| id.0).collect();
    let in_order = wanted.windows(2).all(|pair| pair[0] < pair[1]);
    if !in_order {
        wanted.sort_unstable();
        wanted.dedup();
    }
    let list = key_list();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {REPORT_COLUMNS} FROM reports r LEFT JOIN sources s ON s.row = r.source_row
         WHERE r.id IN {list} ORDER BY r.id"
    ))?;
    let mut estimates = conn.prepare_cached(&format!(
        "SELECT report_id, low, high, qualifier, vague_text, attribution, scope, coded_by_rule
         FROM report_estimates WHERE report_id IN {list} ORDER BY report_id, ord"
    ))?;
    let mut places = PlaceReader::default();
    let mut found: Vec<Report> = Vec::with_capacity(wanted.len());
    for group in wanted.chunks(IDS_PER_READ) {
        bind_keys(&mut stmt, group)?;
        bind_keys(&mut estimates, group)?;
        let first = found.len();
        let mut rows = stmt.raw_query();
        while let Some(row) = rows.next()? {
            found.push(read_report(conn, &mut places, row)?);
        }
        // Both in id order: each estimate goes to the next report with its id.
        let mut at = first;
        let mut rows = estimates.raw_query();
        while let Some(row) = rows.next()? {
            let (owner, estimate) = read_estimate(row)?;
            while at < found.len() && found[at].id.map_or(0, |r| r.0) < owner {
                at += 1;
            }
            if let Some(report) = found.get_mut(at).filter(|r| r.id == Some(ReportId(owner))) {
                report.estimates.push(estimate);
            }
        }
    }
    if in_order {
        return Ok(found);
    }
    // Asked in another order (or twice): each asked id that was found, as asked.
    Ok(ids
        .iter()
        .filter_map(|id| {
            found
                .binary_search_by_key(&id.0, |r| r.id.map_or(0, |r| r.0))
                .ok()
                .map(|at| found[at].clone())
        })
        .collect())
}

fn read_estimate(row: &rusqlite::Row<'_>) -> Result<(i64, Estimate), StoreError> {
    let owner: i64 = row.get(0)?;
    let corrupt = |reason: String| StoreError::Corrupt {
        what: "report",
        id: owner.to_string(),
        reason,
    };
    let low: i64 = row.get(1)?;
    let high: i64 = row.get(2)?;
    let attribution: String = row.get(5)?;
    let scope: String = row.get(6)?;
    let estimate = Estimate::range(low as u64, high as u64)
        .map_err(|e| corrupt(e.to_string()))?
        .with_qualifier(row.get(3)?)
        .with_vague_text(row.get(4)?)
        .with_attribution(
            attribution
                .parse::<Attribution>()
                .map_err(|e| corrupt(e.to_string()))?,
        )
        .with_scope(scope.parse::<Scope>().map_err(|e| corrupt(e.to_string()))?)
        .with_coded_by_rule(row.get(7)?);
    Ok((owner, estimate))
}

/// Places by id, each read once.
#[derive(Default)]
struct PlaceReader {
    known: HashMap<i64, Place>,
}

impl PlaceReader {
    fn get(&mut self, conn: &Connection, id: i64, report: i64) -> Result<Place, StoreError> {
        if let Some(place) = self.known.get(&id) {
            return Ok(place.clone());
        }
        let mut stmt =
            conn.prepare_cached(&format!("SELECT {PLACE_COLUMNS} FROM places WHERE id = ?1"))?;
        let mut rows = stmt.query(params![id])?;
        let Some(row) = rows.next()? else {
            return Err(StoreError::Corrupt {
                what: "report",
                id: report.to_string(),
                reason: format!("its place {id} is missing"),
            });
        };
        let place = read_place(row, 0, &report.to_string())?;
        self.known.insert(id, place.clone());
        Ok(place)
    }
}

/// The columns of `places` that make a place, in the order [`read_place`] reads them.
pub(crate) const PLACE_COLUMNS: &str = "raw, locality, state, online, resolved_state, \
    resolved_locality, county, fips, lat, lon, population, confidence";

/// The place whose columns of `places` ([`PLACE_COLUMNS`]) start at column `first` of
/// `row`; `owner` names what holds it, for an error.
pub(crate) fn read_place(
    row: &rusqlite::Row<'_>,
    first: usize,
    owner: &str,
) -> Result<Place, StoreError> {
    let corrupt = |reason: String| StoreError::Corrupt {
        what: "report",
        id: owner.to_string(),
        reason,
    };
    let state = |text: Option<String>| -> Result<Option<StateCode>, StoreError> {
        text.map(|s| s.parse::<StateCode>().map_err(|e| corrupt(e.to_string())))
            .transpose()
    };
    let resolved = match state(row.get(first + 4)?)? {
        Some(state) => {
            let fips: Option<String> = row.get(first + 7)?;
            let confidence: Option<String> = row.get(first + 11)?;
            let confidence = confidence.unwrap_or_default();
            Some(ResolvedPlace {
                locality: row.get(first + 5)?,
                county: row.get(first + 6)?,
                fips: fips
                    .map(|f| Fips::parse(&f).map_err(|e| corrupt(e.to_string())))
                    .transpose()?,
                state,
                lat: row.get(first + 8)?,
                lon: row.get(first + 9)?,
                population: row.get::<_, Option<i64>>(first + 10)?.map(|p| p as u64),
                confidence: serde_json::from_value::<Confidence>(serde_json::Value::String(
                    confidence.clone(),
                ))
                .map_err(|_| corrupt(format!("unknown confidence {confidence:?}")))?,
            })
        }
        None => None,
    };
    Ok(Place {
        raw: row.get(first)?,
        locality: row.get(first + 1)?,
        state: state(row.get(first + 2)?)?,
        online: row.get(first + 3)?,
        resolved,
    })
}

fn read_report(
    conn: &Connection,
    places: &mut PlaceReader,
    row: &rusqlite::Row<'_>,
) -> Result<Report, StoreError> {
    let id: i64 = row.get(0)?;
    let corrupt = |reason: String| StoreError::Corrupt {
        what: "report",
        id: id.to_string(),
        reason,
    };
    let source_id = match row.get_ref(1)? {
        ValueRef::Null => return Err(corrupt("its source is missing".into())),
        value => id_text(value)?,
    };
    let received: String = row.get(2)?;
    let received_at = crate::time::parse_timestamp(&received)
        .ok_or_else(|| corrupt(format!("bad receipt time {received:?}")))?;
    let date = row
        .get::<_, Option<String>>(3)?
        .map(|d| {
            d.parse::<Date>()
                .map_err(|e| corrupt(format!("date {d:?}: {e}")))
        })
        .transpose()?;
    let place_id: i64 = row.get(5)?;
    Ok(Report {
        id: Some(ReportId(id)),
        source_id: SourceId(source_id),
        date,
        place: places.get(conn, place_id, id)?,
        location_detail: row.get(6)?,
        estimates: Vec::new(),
        size_text: row.get(7)?,
        event_count: row.get::<_, Option<i64>>(8)?.map(|n| n as u64),
        event_type: row.get(9)?,
        title: row.get(10)?,
        headline: row.get(11)?,
        organizers: row.get(12)?,
        participants: row.get(13)?,
        claims: row.get(14)?,
        valence: row.get(15)?,
        arrests: row.get(16)?,
        publisher: row.get(17)?,
        urls: decode_urls(row.get(18)?).map_err(corrupt)?,
        notes: row.get(19)?,
        rsvp: row.get::<_, Option<i64>>(20)?.map(|n| n as u64),
        batch: row.get(4)?,
        received_at,
    })
}

/// Step two of migration 0005: copies a schema-4 ledger's sources and reports into the
/// new tables (`sources_v5`, `reports_v5`), keeping every source's row number and
/// address and every report's id.
pub(crate) fn convert_from_v4(conn: &Connection) -> Result<(), StoreError> {
    let mut stmt = conn.prepare(
        "SELECT s.row, s.id, s.kind, s.origin, s.locator, s.content, s.received_at, s.file_id,
                f.origin, f.received_at
         FROM sources s LEFT JOIN files f ON f.id = s.file_id ORDER BY s.row",
    )?;
    let mut insert = conn.prepare(
        "INSERT INTO sources_v5 (row, id, kind, origin, locator, received_at, file_id, chunk,
            start, length)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    let mut rows = stmt.query([])?;
    let mut writer: Option<ChunkWriter> = None;
    while let Some(row) = rows.next()? {
        let file_id: Option<i64> = row.get(7)?;
        if writer.as_ref().is_none_or(|w| w.file_id != file_id) {
            if let Some(mut done) = writer.take() {
                done.flush(conn)?;
            }
            writer = Some(ChunkWriter::new(conn, file_id)?);
        }
        let writer = writer.as_mut().expect("a writer was just opened");
        let id: String = row.get(1)?;
        let content: String = row.get(5)?;
        let origin: String = row.get(3)?;
        let received_at: String = row.get(6)?;
        let file_origin: Option<String> = row.get(8)?;
        let file_received: Option<String> = row.get(9)?;
        let (chunk, start, length) = writer.push(conn, &content)?;
        insert.execute(params![
            row.get::<_, i64>(0)?,
            id_key(&id),
            row.get::<_, String>(2)?,
            (file_origin.as_deref() != Some(origin.as_str())).then_some(&origin),
            row.get::<_, Option<String>>(4)?,
            (file_received.as_deref() != Some(received_at.as_str())).then_some(&received_at),
            file_id,
            chunk,
            start,
            length
        ])?;
    }
    if let Some(mut done) = writer {
        done.flush(conn)?;
    }
    drop(rows);

    let mut stmt = conn.prepare("SELECT id, source_row, body FROM reports ORDER BY id")?;
    let mut rows = stmt.query([])?;
    let mut places = PlaceWriter::default();
    // The new reports table is still named reports_v5 here; an ingest writes to
    // `reports`, so the rows go through a statement of their own.
    while let Some(row) = rows.next()? {
        let id: i64 = row.get(0)?;
        let body: String = row.get(2)?;
        let report = crate::ledger::decode_report(id, &body)?;
        insert_report_into(
            conn,
            "reports_v5",
            &mut places,
            Some(id),
            row.get(1)?,
            &report,
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 12: chunks compressed off the writer's thread are stored in order of id,
    /// each once, and every text reads back byte for byte from its (chunk, start,
    /// length).
    /// Issue 12: an address of 64 lowercase hex digits is stored as its 32 bytes and
    /// read back as it was; any other text (upper case, a non-digit, another length)
    /// is stored as text.
    #[test]
    fn issue_12_addresses_are_keyed_as_bytes_only_when_lowercase_hex() {
        let hex: String = (0..32u8).map(|b| format!("{:02x}", b * 8 + 3)).collect();
        let Value::Blob(bytes) = id_key(&hex) else {
            panic!("lowercase hex is stored as bytes");
        };
        assert_eq!(bytes, (0..32u8).map(|b| b * 8 + 3).collect::<Vec<_>>());
        assert_eq!(id_text(ValueRef::Blob(&bytes)).unwrap(), hex);
        let mut other = vec![
            hex.to_uppercase(),
            format!("{}g", &hex[..63]),
            hex[..62].into(),
        ];
        // 64 bytes, one of them part of a non-ASCII character.
        other.push(format!("{}\u{e9}", &hex[..62]));
        for text in other {
            assert_eq!(id_key(&text), Value::Text(text.clone()), "{text}");
        }
    }

    /// Issue 12: rows bound through a statement that keeps what its parameters hold
    /// (one row per statement) or through statements of many rows are stored exactly:
    /// a value repeated from the row before, a NULL after a value, a text after a
    /// number that reads alike, bytes after a text of the same bytes, a shorter or
    /// longer text in the same parameter.
    #[test]
    fn issue_12_rows_bound_without_their_repeats_are_stored_exactly() {
        let rows: Vec<[Value; 3]> = vec![
            [Value::Integer(1), Value::Text("a".into()), Value::Null],
            [Value::Integer(1), Value::Text("a".into()), Value::Null],
            [
                Value::Null,
                Value::Text("a long text".into()),
                Value::Real(1.5),
            ],
            [
                Value::Text("1".into()),
                Value::Text("a".into()),
                Value::Real(1.5),
            ],
            [
                Value::Integer(1),
                Value::Blob(b"a".to_vec()),
                Value::Real(-0.0),
            ],
            [
                Value::Integer(1),
                Value::Blob(b"a".to_vec()),
                Value::Real(0.0),
            ],
            [
                Value::Integer(2),
                Value::Text("a".into()),
                Value::Blob(Vec::new()),
            ],
            [
                Value::Integer(2),
                Value::Text(String::new()),
                Value::Blob(Vec::new()),
            ],
            [Value::Null, Value::Null, Value::Null],
            [
                Value::Integer(3),
                Value::Text("b".into()),
                Value::Integer(7),
            ],
        ];
        for per_insert in [1, 3, 64] {
            let conn = Connection::open_in_memory().unwrap();
            conn.execute_batch("CREATE TABLE t (n INTEGER PRIMARY KEY, a, b, c)")
                .unwrap();
            let numbered: Vec<(i64, &[Value; 3])> = (1..).zip(&rows).collect();
            insert_in_groups(
                &conn,
                per_insert,
                "INSERT INTO t (n, a, b, c) VALUES ",
                4,
                &numbered,
                |stmt, first, (n, row)| bind_values(stmt, first, &[n, &row[0], &row[1], &row[2]]),
            )
            .unwrap();
            let stored: Vec<[Value; 3]> = conn
                .prepare("SELECT a, b, c FROM t ORDER BY n")
                .unwrap()
                .query_map([], |row| Ok([row.get(0)?, row.get(1)?, row.get(2)?]))
                .unwrap()
                .map(Result::unwrap)
                .collect();
            assert_eq!(stored, rows, "{per_insert} rows per statement");
            // -0.0 and 0.0 are told apart by their bits, not by equality.
            let signs: Vec<bool> = conn
                .prepare("SELECT c FROM t WHERE n IN (5, 6) ORDER BY n")
                .unwrap()
                .query_map([], |row| row.get::<_, f64>(0))
                .unwrap()
                .map(|c| c.unwrap().is_sign_negative())
                .collect();
            assert_eq!(signs, vec![true, false]);
        }
    }

    #[test]
    fn issue_12_chunks_compressed_aside_are_stored_in_order_and_read_back() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE source_chunks (id INTEGER PRIMARY KEY, file_id INTEGER,
                 codec TEXT NOT NULL, raw_len INTEGER NOT NULL, data BLOB NOT NULL);
             INSERT INTO source_chunks VALUES (7, NULL, 'zstd', 0, x'');",
        )
        .unwrap();
        let mut writer = ChunkWriter::new(&conn, Some(1)).unwrap();
        // About five chunks of texts of uneven lengths, one longer than a chunk.
        let texts: Vec<String> = (0..1200)
            .map(|n| match n {
                600 => "x".repeat(CHUNK_BYTES + 10),
                _ => format!("{n},{}", "row text ".repeat(n % 700)),
            })
            .collect();
        let places: Vec<(i64, i64, i64)> = texts
            .iter()
            .map(|text| writer.push(&conn, text).unwrap())
            .collect();
        writer.flush(&conn).unwrap();
        let ids: Vec<i64> = conn
            .prepare("SELECT id FROM source_chunks ORDER BY rowid")
            .unwrap()
            .query_map([], |row| row.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let last = places.last().unwrap().0;
        assert!(last >= 12, "{last}");
        assert_eq!(ids, (7..=last).collect::<Vec<_>>(), "stored once, in order");
        let mut reader = ChunkReader::default();
        for (text, &(chunk, start, length)) in texts.iter().zip(&places) {
            assert_eq!(
                &reader.content(&conn, "s", chunk, start, length).unwrap(),
                text
            );
        }
    }
}
