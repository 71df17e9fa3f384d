//! Appending a file's sources and reports in one transaction.

use crate::compact::{
    bind_estimate, bind_report, bind_values, id_key, insert_in_groups, report_time, ChunkWriter,
    LastText, PlaceWriter, ReportPlacing, ESTIMATE_INSERT, ESTIMATE_WIDTH, REPORT_INSERT,
    REPORT_WIDTH, ROWS_PER_INSERT,
};
use crate::error::StoreError;
use crate::events_aside::{AttachedAside, EventsAside, EventsWrittenAside};
use crate::ledger::Ledger;
use crate::ledger::StoredDecision;
use crate::time::format_timestamp;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use tally_model::{Event, EventId, Report, ReportId, Source, Timestamp};

/// The columns of `sources`, in the order [`IngestTx::add_all`] binds them.
const SOURCE_INSERT: &str = "INSERT INTO sources (row, id, kind, origin, locator, received_at,
    file_id, chunk, start, length) VALUES ";
const SOURCE_WIDTH: usize = 10;

/// A new source's row, before it is written.
struct SourceRow<'s> {
    row: i64,
    key: rusqlite::types::Value,
    chunk: i64,
    start: i64,
    length: i64,
    source: &'s Source,
}

/// What is recorded about an ingested file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileReceipt {
    pub origin: String,
    /// BLAKE3 of the file's bytes, lowercase hex.
    pub content_hash: String,
    pub format: String,
    pub encoding: String,
    pub received_at: Timestamp,
}

/// What happened to one source offered to the ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddOutcome {
    /// A new source; its reports were appended with these ids.
    Added(Vec<ReportId>),
    /// The ledger already held this source (the same row or document received
    /// again); nothing was added.
    Duplicate,
}

/// One file's worth of appends. Nothing is visible to readers until [`IngestTx::commit`];
/// dropping it (or a crash) leaves the ledger as it was.
pub struct IngestTx<'a> {
    tx: Transaction<'a>,
    /// A file's events written aside, attached while the transaction runs; declared
    /// after `tx` (detached once the transaction has ended) and before `journal` (whose
    /// switch back to WAL would apply to every attached file).
    aside: AttachedAside<'a>,
    /// Set when the file is loaded in bulk (see [`BulkLoad`]).
    bulk: Option<BulkLoad>,
    /// Declared after `tx`, so that it is dropped after the transaction has ended.
    journal: Option<WalRestore<'a>>,
    /// Declared after `tx`, like `journal`.
    foreign_keys: Option<ForeignKeysOff<'a>>,
    file_id: i64,
    origin: String,
    received_at: String,
    reports_added: u64,
    duplicates: u64,
    /// Reports of this file get ids from here on.
    first_report_id: i64,
    /// The next source's row.
    next_source_row: i64,
    /// The file's source texts, compressed in chunks as they fill.
    chunks: ChunkWriter,
    places: PlaceWriter,
    /// How many of this file's reports have their link rows written (migration 0014):
    /// a bulk load writes them while the file is linked ([`IngestTx::sources_stored`]),
    /// the commit writes the rest.
    link_rows_written: std::cell::Cell<u64>,
}

/// Files of at least this many rows may be loaded in bulk (see [`BulkLoad`]); a few in
/// this crate's own tests, so that they reach both paths cheaply.
const BULK_ROWS: u64 = if cfg!(test) { 20 } else { 5_000 };

/// What a bulk load lifts for its own transaction, by kind and name: the append-only
/// guards that refuse an `INSERT OR REPLACE` over a stored row on the tables a file's
/// rows go into, and the trigger that files each new source's address among the recent
/// ones (migration 0012).
const LIFTED: [(&str, &str); 4] = [
    ("trigger", "sources_refuse_replace"),
    ("trigger", "reports_refuse_replace"),
    ("trigger", "report_estimates_refuse_replace"),
    ("trigger", "sources_file_their_address"),
];

/// How a file that is large beside the ledger (at least [`BULK_ROWS`] rows, and at
/// least as many as the ledger holds: a first ingest, or one into a small ledger) goes
/// in (issue 12):
///
/// - **Without the per-row insert guards.** The `*_refuse_replace` triggers exist to
///   stop an `INSERT OR REPLACE` from overwriting a stored row; the ingest issues only
///   plain `INSERT`s with ids after every stored one, and a plain `INSERT` over a taken
///   key already fails on the primary key or the unique address. The triggers are
///   dropped inside the file's transaction and created again with their own SQL before
///   it commits, so no other connection ever sees the ledger without them, and a crash
///   or an error rolls the drop back with the rest. Without a trigger, a one-row
///   `INSERT` also needs no statement journal.
/// - **The sources' addresses filed once, by a sort.** Addresses are hashes, so each
///   new source's entry lands on a random page of an index: maintained row by row it
///   was half of the sources' insert time. The trigger that files each address is
///   dropped inside the transaction, and before the commit the file's addresses go into
///   the main address table (migration 0012) in one sorted insert; a taken address
///   refuses the file there, so the address stays unique as before.
/// - **The stored addresses in memory.** A duplicate source is looked for in a set of
///   the ledger's addresses (read once: the ledger is no larger than the file) instead
///   of one query per row.
/// - **Without foreign-key checks** ([`ForeignKeysOff`]): every row's parent is one
///   this transaction wrote just before it or one the ledger holds (the ingest numbers
///   sources, reports and places itself), so the lookup of each row's parent proves
///   nothing (`tally verify` still finds a report without its source, and the tests
///   check every key of what a bulk load wrote).
/// - **With a rollback journal** ([`WalRestore`]): pages past the end of the file
///   when the transaction began are not journaled, so the new rows are written once
///   instead of to the log and again at the checkpoint.
struct BulkLoad {
    /// The SQL that creates the lifted guards and index again, in the order they were
    /// found.
    lifted: Vec<String>,
    /// Set once they stand again ([`IngestTx::sources_stored`] or the commit).
    restored: std::cell::Cell<bool>,
    /// The address of every source the ledger held when the file began.
    known: rustc_hash::FxHashSet<String>,
    /// The file's first source row: its sources' addresses are filed from there.
    first_row: i64,
}

/// Foreign-key checks turned off for one bulk transaction (SQLite changes the setting
/// only outside a transaction); dropped, after that transaction has ended either way, it
/// turns them on again.
struct ForeignKeysOff<'c> {
    conn: &'c Connection,
}

impl<'c> ForeignKeysOff<'c> {
    /// Turns the checks off on `conn`; `None` when they were off already.
    fn switch(conn: &'c Connection) -> Result<Option<ForeignKeysOff<'c>>, StoreError> {
        let on: bool = conn.pragma_query_value(None, "foreign_keys", |row| row.get(0))?;
        if !on {
            return Ok(None);
        }
        conn.pragma_update(None, "foreign_keys", "OFF")?;
        Ok(Some(ForeignKeysOff { conn }))
    }
}

impl Drop for ForeignKeysOff<'_> {
    fn drop(&mut self) {
        if let Err(error) = self.conn.pragma_update(None, "foreign_keys", "ON") {
            // Every later open of the ledger turns them on again.
            tracing::warn!(%error, "foreign-key checks could not be turned on after a bulk ingest");
        }
    }
}

/// A ledger switched from WAL to a rollback journal (`journal_mode=DELETE`) for one
/// bulk transaction; dropped, after that transaction has ended either way, it switches
/// back to WAL.
///
/// SQLite changes a file's journal only outside a transaction and only when no other
/// connection has it open, so an ingest beside a running `tally serve` (or into a
/// ledger in memory) stays in WAL. A crash while the file is in rollback mode leaves a
/// hot journal that SQLite plays back at the next open, which then sets WAL again.
struct WalRestore<'c> {
    conn: &'c Connection,
}

impl<'c> WalRestore<'c> {
    /// Switches `conn` to a rollback journal; `None` when it stays in WAL.
    fn switch(conn: &'c Connection) -> Option<WalRestore<'c>> {
        let mode = conn
            .pragma_update_and_check(None, "journal_mode", "DELETE", |row| {
                row.get::<_, String>(0)
            })
            .map_err(|error| tracing::debug!(%error, "the ledger stays in WAL for this ingest"))
            .ok()?;
        let restore = WalRestore { conn };
        if mode.eq_ignore_ascii_case("delete") {
            Some(restore)
        } else {
            // Nothing was switched; forget it without switching back.
            std::mem::forget(restore);
            None
        }
    }
}

impl Drop for WalRestore<'_> {
    fn drop(&mut self) {
        if let Err(error) = self.conn.pragma_update(None, "journal_mode", "WAL") {
            // The file is sound in either mode; the next writer to open it sets WAL.
            tracing::warn!(%error, "the ledger could not go back to WAL after a bulk ingest");
        }
    }
}

impl BulkLoad {
    /// Whether a file of `rows` rows goes in bulk into a ledger of `stored` reports.
    fn suits(rows: u64, stored: u64) -> bool {
        rows >= BULK_ROWS && rows >= stored
    }

    /// Lifts the insert guards and the address trigger inside `tx` and reads the stored
    /// addresses.
    fn begin(tx: &Transaction<'_>, first_row: i64) -> Result<BulkLoad, StoreError> {
        let mut lifted = Vec::new();
        {
            let mut find = tx.prepare(
                "SELECT sql FROM sqlite_master WHERE type = ?1 AND name = ?2 AND sql IS NOT NULL",
            )?;
            for (kind, name) in LIFTED {
                if let Some(sql) = find
                    .query_row(params![kind, name], |row| row.get::<_, String>(0))
                    .optional()?
                {
                    lifted.push(sql);
                    tx.execute_batch(&format!("DROP {kind} \"{name}\""))?;
                }
            }
        }
        let mut known = rustc_hash::FxHashSet::default();
        {
            let mut stmt = tx.prepare("SELECT id FROM sources")?;
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                known.insert(crate::compact::id_text(row.get_ref(0)?)?);
            }
        }
        Ok(BulkLoad {
            lifted,
            restored: std::cell::Cell::new(false),
            known,
            first_row,
        })
    }

    /// Files the file's sources' addresses, sorted, in the main address table (a taken
    /// address fails it), and creates the lifted guards again, exactly as they were,
    /// unless that is done.
    fn restore(&self, tx: &Transaction<'_>) -> Result<(), StoreError> {
        if self.restored.get() {
            return Ok(());
        }
        if crate::recent::addresses_apart(tx)? {
            file_addresses(tx, self.first_row)?;
        }
        for sql in &self.lifted {
            tx.execute_batch(sql)?;
        }
        self.restored.set(true);
        Ok(())
    }
}

/// Files the addresses of the sources from `first_row` on in the main address table, in
/// the table's order (a taken address fails it, as any insert there).
///
/// Sorted here rather than by `INSERT … SELECT … ORDER BY id` (issue 12): SQLite's
/// sorter compared each address as a record, in a merge sort of linked lists, and took
/// about 0.3 s of the single writer's CPU at 300,000 sources; the addresses read back
/// in row order, sorted as plain bytes and bound one row a statement (no statement
/// journal) take about half of that. Addresses that are not all 32 bytes (an address
/// Tally did not make) go by SQL as before.
fn file_addresses(tx: &Transaction<'_>, first_row: i64) -> Result<(), StoreError> {
    let mut addresses: Vec<([u8; 32], i64)> = Vec::new();
    {
        let mut stmt = tx.prepare("SELECT id, row FROM sources WHERE row >= ?1")?;
        let mut rows = stmt.query(params![first_row])?;
        while let Some(row) = rows.next()? {
            let address = match row.get_ref(0)? {
                rusqlite::types::ValueRef::Blob(bytes) => <[u8; 32]>::try_from(bytes).ok(),
                _ => None,
            };
            let Some(address) = address else {
                return sorting_in_files(tx, || {
                    tx.execute(
                        "INSERT INTO source_addresses (id, row)
                         SELECT id, row FROM sources WHERE row >= ?1 ORDER BY id",
                        params![first_row],
                    )?;
                    Ok(())
                });
            };
            addresses.push((address, row.get(1)?));
        }
    }
    // SQLite orders blobs as `memcmp` does, which is the arrays' order.
    addresses.sort_unstable();
    let mut insert = tx.prepare("INSERT INTO source_addresses (id, row) VALUES (?1, ?2)")?;
    for (address, row) in &addresses {
        insert.raw_bind_parameter(1, &address[..])?;
        insert.raw_bind_parameter(2, row)?;
        insert.raw_execute()?;
    }
    Ok(())
}

/// Runs `sort` (a bulk load's sorted insert) with SQLite's temporary data in files, then
/// keeps it in memory again. The sort spills to a temporary file, not to memory: it
/// runs while the file is linked, beside the held reports and the linked events (issue
/// 12: sorted in memory, a million addresses raised that ingest's peak by about 150 MB).
/// The statement journals of the writes after it stay in memory.
fn sorting_in_files(
    tx: &Transaction<'_>,
    sort: impl FnOnce() -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    tx.pragma_update(None, "temp_store", "DEFAULT")?;
    let sorted = sort();
    tx.pragma_update(None, "temp_store", "MEMORY")?;
    sorted
}

impl Ledger {
    /// Starts appending one file.
    pub fn begin_ingest(&mut self, receipt: &FileReceipt) -> Result<IngestTx<'_>, StoreError> {
        self.begin_ingest_sized(receipt, 0)
    }

    /// Starts appending one file of about `expected_rows` rows: one large beside the
    /// ledger goes in bulk (see [`BulkLoad`]).
    pub fn begin_ingest_sized(
        &mut self,
        receipt: &FileReceipt,
        expected_rows: u64,
    ) -> Result<IngestTx<'_>, StoreError> {
        let stored: i64 =
            self.conn
                .query_row("SELECT coalesce(max(id), 0) FROM reports", [], |row| {
                    row.get(0)
                })?;
        let bulk = BulkLoad::suits(expected_rows, stored.max(0) as u64);
        // A ledger in memory has no journal to switch.
        let journal = if bulk && self.path() != std::path::Path::new(":memory:") {
            WalRestore::switch(&self.conn)
        } else {
            None
        };
        // A 256 MiB page cache keeps a large file's transaction from spilling pages to
        // the log before it commits. Under a rollback journal (a bulk load) a spilled
        // page is one the ledger did not hold before, written once and never journaled,
        // so a smaller cache costs little there and keeps a million-row ingest's memory
        // down (issue 12: 32 MiB instead of 64 took the peak of a million rows from
        // about 995 to 970 MB at the same speed).
        let foreign_keys = if bulk {
            ForeignKeysOff::switch(&self.conn)?
        } else {
            None
        };
        let cache_kib: i64 = if journal.is_some() { 32_768 } else { 262_144 };
        self.conn.pragma_update(None, "cache_size", -cache_kib)?;
        // Every insert into a guarded table first copies the pages it will change into
        // a statement journal (so that a trigger's refusal undoes that one statement);
        // kept in memory, that copy costs no system call (issue 12: it was a fifth of
        // an ingest's time as writes to a temporary file). Set back at commit.
        self.conn.pragma_update(None, "temp_store", "MEMORY")?;
        // The ingest's statements (multi-row inserts, events, locators) all stay
        // prepared.
        self.conn.set_prepared_statement_cache_capacity(64);
        let author = self.author.clone();
        let tx = self.begin_write_shared()?;
        let received_at = format_timestamp(receipt.received_at);
        tx.execute(
            "INSERT INTO files (origin, content_hash, format, encoding, received_at, rows_read,
                                reports_added, duplicates, rejected, token_id, sealed)
             VALUES (?1, ?2, ?3, ?4, ?5, 0, 0, 0, 0, ?6, 0)",
            params![
                receipt.origin,
                receipt.content_hash,
                receipt.format,
                receipt.encoding,
                received_at,
                author
            ],
        )?;
        let file_id = tx.last_insert_rowid();
        let first_report_id: i64 =
            tx.query_row("SELECT coalesce(max(id), 0) + 1 FROM reports", [], |row| {
                row.get(0)
            })?;
        let next_source_row: i64 =
            tx.query_row("SELECT coalesce(max(row), 0) + 1 FROM sources", [], |row| {
                row.get(0)
            })?;
        let chunks = ChunkWriter::new(&tx, Some(file_id))?;
        let bulk = if bulk {
            Some(BulkLoad::begin(&tx, next_source_row)?)
        } else {
            None
        };
        Ok(IngestTx {
            tx,
            aside: AttachedAside::new(&self.conn),
            bulk,
            journal,
            foreign_keys,
            file_id,
            origin: receipt.origin.clone(),
            received_at,
            reports_added: 0,
            duplicates: 0,
            first_report_id,
            next_source_row,
            chunks,
            places: PlaceWriter::default(),
            link_rows_written: std::cell::Cell::new(0),
        })
    }
}

impl IngestTx<'_> {
    /// Appends a source and its reports, unless the ledger already holds the source.
    pub fn add(&mut self, source: &Source, reports: &[Report]) -> Result<AddOutcome, StoreError> {
        let mut outcomes = self.add_all(&[(source, reports)])?;
        Ok(outcomes.pop().expect("one outcome per source"))
    }

    /// Appends sources with their reports in order, as [`IngestTx::add`] would one at a
    /// time: a source the ledger already holds, or met earlier among these, is a
    /// duplicate. The rows of each table go in multi-row statements (issue 12).
    pub fn add_all(
        &mut self,
        items: &[(&Source, &[Report])],
    ) -> Result<Vec<AddOutcome>, StoreError> {
        let mut outcomes = Vec::with_capacity(items.len());
        let mut sources = Vec::with_capacity(items.len());
        let mut reports = Vec::with_capacity(items.len());
        let mut estimates = Vec::new();
        let mut seen = rustc_hash::FxHashSet::default();
        {
            // The ledger refuses any insert whose source is already there (see
            // migration 0003), so a duplicate is looked for first rather than ignored
            // on conflict.
            let mut known = match self.bulk {
                Some(_) => None,
                None => Some(self.tx.prepare_cached(crate::recent::ADDRESS_TAKEN_SQL)?),
            };
            for &(source, its_reports) in items {
                let key = id_key(&source.id.0);
                let stored = match (&self.bulk, &mut known) {
                    (Some(bulk), _) => bulk.known.contains(&source.id.0),
                    (None, Some(known)) => known.exists(params![key])?,
                    (None, None) => unreachable!("a guarded ingest looks sources up"),
                };
                if !seen.insert(source.id.0.as_str()) || stored {
                    self.duplicates += 1;
                    outcomes.push(AddOutcome::Duplicate);
                    continue;
                }
                let (chunk, start, length) = self.chunks.push(&self.tx, &source.content)?;
                let row = self.next_source_row;
                self.next_source_row += 1;
                sources.push(SourceRow {
                    row,
                    key,
                    chunk,
                    start,
                    length,
                    source,
                });
                let mut ids = Vec::with_capacity(its_reports.len());
                for report in its_reports {
                    let id = self.first_report_id + self.reports_added as i64;
                    self.reports_added += 1;
                    let place = self.places.id(&self.tx, &report.place)?;
                    reports.push((id, row, place, report));
                    estimates.extend(
                        report
                            .estimates
                            .iter()
                            .enumerate()
                            .map(|(ord, estimate)| (id, ord, estimate)),
                    );
                    ids.push(ReportId(id));
                }
                outcomes.push(AddOutcome::Added(ids));
            }
        }
        // Sources first, then their reports, then the reports' estimates: each row's
        // foreign key is in place before it.
        let (origin, file_received_at, file_id) = (&self.origin, &self.received_at, self.file_id);
        let mut source_time = LastText::default();
        let per_insert = self.rows_per_insert();
        insert_in_groups(
            &self.tx,
            per_insert,
            SOURCE_INSERT,
            SOURCE_WIDTH,
            &sources,
            |stmt, first, s| {
                // Origin and receipt time are the file's unless the source says
                // otherwise.
                let received_at = source_time.get(s.source.received_at, format_timestamp);
                bind_values(
                    stmt,
                    first,
                    &[
                        &s.row,
                        &s.key,
                        &s.source.kind.as_str(),
                        &(s.source.origin != *origin).then_some(&s.source.origin),
                        &s.source.locator,
                        &(received_at != file_received_at).then_some(received_at),
                        &file_id,
                        &s.chunk,
                        &s.start,
                        &s.length,
                    ],
                )
            },
        )?;
        let (mut report_time_text, mut date_text) = (LastText::default(), LastText::default());
        insert_in_groups(
            &self.tx,
            per_insert,
            REPORT_INSERT,
            REPORT_WIDTH,
            &reports,
            |stmt, first, &(id, source_row, place, report)| {
                let at = ReportPlacing {
                    id: Some(id),
                    source_row,
                    place,
                    received_at: report_time_text.get(report.received_at, report_time),
                    date: report
                        .date
                        .map(|d| date_text.get(d, |d: tally_model::Date| d.to_string())),
                };
                bind_report(stmt, first, &at, report)
            },
        )?;
        insert_in_groups(
            &self.tx,
            per_insert,
            ESTIMATE_INSERT,
            ESTIMATE_WIDTH,
            &estimates,
            |stmt, first, &(id, ord, estimate)| bind_estimate(stmt, first, id, ord, estimate),
        )?;
        Ok(outcomes)
    }

    /// Rows per INSERT statement: many while the insert guards stand (see
    /// [`ROWS_PER_INSERT`]), one in a bulk load, whose plain one-row inserts need no
    /// statement journal at all.
    fn rows_per_insert(&self) -> usize {
        match self.bulk {
            Some(_) => 1,
            None => ROWS_PER_INSERT,
        }
    }

    /// Says that every source and report of the file is stored: a bulk load files its
    /// sources' addresses (by one sorted insert into the main address table, most of
    /// what the commit did) and creates its lifted guards again now, so that the ingest can have the single
    /// writer do it while the file is linked on the other cores (issue 12). Nothing
    /// is visible to readers before the commit either way; the commit does it when
    /// it was not done. The file's rows must not be added to after this: they would
    /// go in row by row, under the guards, slower but the same.
    ///
    /// The file's link rows are not written here: the caller may give them from what
    /// it holds ([`IngestTx::write_link_rows_given`]), else the commit writes them.
    pub fn sources_stored(&self) -> Result<(), StoreError> {
        match &self.bulk {
            Some(bulk) => {
                bulk.restore(&self.tx)?;
                let _ = self.flush_ahead();
                Ok(())
            }
            None => Ok(()),
        }
    }

    /// Has the system write to disk, on a thread of its own, what a bulk load has put
    /// into the ledger's file so far (its pages spill there from the page cache as they
    /// fill), while the file is still being linked (issue 12: the commit's sync wrote
    /// all of it, about 0.15 s at 300,000 rows, the last serial step of an ingest, with
    /// both cores idle). Nothing changes for a crash: the rollback journal is on disk
    /// before SQLite writes into the ledger's file, and the commit syncs as before;
    /// this only starts that write earlier. A file that cannot be opened or synced here
    /// is left to the commit.
    /// The thread is not waited for (its handle is for tests).
    fn flush_ahead(&self) -> Option<std::thread::JoinHandle<()>> {
        self.bulk.as_ref()?;
        let path = self.tx.path().filter(|path| !path.is_empty())?;
        let file = std::fs::File::open(path).ok()?;
        Some(std::thread::spawn(move || {
            let _ = file.sync_data();
        }))
    }

    /// Writes the link rows of this file's reports from what the caller holds of them
    /// (issue 12: a first ingest's linker holds every report; see
    /// [`crate::link_rows::LinkRow`]), in key order, instead of the commit's select over
    /// the stored rows (about a second of the single writer's CPU at 300,000 rows: the
    /// join to the sources, a subquery over the estimates a report, a sort). `fill`
    /// must give one row for each report of the file, in key order (place, day, id),
    /// once every report is stored; a count that differs is an error, and nothing of
    /// the file then lands.
    pub fn write_link_rows_given(
        &self,
        fill: &mut crate::link_rows::FillLinkRows<'_>,
    ) -> Result<(), StoreError> {
        let count = self.reports_added - self.link_rows_written.get();
        if count == 0 || !crate::link_rows::tables_exist(&self.tx)? {
            return Ok(());
        }
        let started = std::time::Instant::now();
        let table = crate::link_rows::table_for_file(&self.tx, count)?;
        let written = crate::link_rows::write_given_rows(&self.tx, table, count, fill)?;
        if written != count {
            return Err(StoreError::Corrupt {
                what: "file",
                id: self.origin.clone(),
                reason: format!("{written} link rows given for {count} reports"),
            });
        }
        self.link_rows_written.set(self.reports_added);
        tracing::info!(table, rows = count, elapsed = ?started.elapsed(), "link rows written from memory");
        let _ = self.flush_ahead();
        Ok(())
    }

    /// The number under which this transaction stored `place` (or the ledger holds
    /// it), for the link rows the caller gives; `None` for a place it has not met.
    pub fn place_number(&self, place: &tally_model::Place) -> Result<Option<i64>, StoreError> {
        self.places.known(&self.tx, place)
    }

    /// Writes the link rows of this file's reports that have none yet.
    fn write_link_rows(&self) -> Result<(), StoreError> {
        let written = self.link_rows_written.get();
        if self.reports_added > written {
            crate::link_rows::write_file_rows(
                &self.tx,
                self.first_report_id + written as i64,
                self.reports_added - written,
            )?;
            self.link_rows_written.set(self.reports_added);
        }
        Ok(())
    }

    pub fn reports_added(&self) -> u64 {
        self.reports_added
    }

    pub fn duplicates(&self) -> u64 {
        self.duplicates
    }

    /// Counts `n` more duplicates than this transaction met: a copied file keeps the
    /// count it was received with (`tally migrate-ledger`).
    pub(crate) fn count_duplicates(&mut self, n: u64) {
        self.duplicates += n;
    }

    /// Every report, this file's included, as the open transaction sees them.
    pub fn reports(&self) -> Result<Vec<Report>, StoreError> {
        crate::ledger::read_reports(&self.tx, None)
    }

    /// Every reviewer decision, as the open transaction sees them.
    pub fn decisions(&self) -> Result<Vec<StoredDecision>, StoreError> {
        crate::ledger::read_decisions(&self.tx, None)
    }

    /// Replaces the events with ones rebuilt from this file's reports and the rest, so
    /// that they land together with the file.
    pub fn replace_events(&self, events: &[Event]) -> Result<(), StoreError> {
        crate::events::write_all_events(&self.tx, events)
    }

    /// Applies an incremental relink: drops `removed` events and writes `upserted` ones.
    pub fn update_events(&self, removed: &[EventId], upserted: &[Event]) -> Result<(), StoreError> {
        crate::events::write_event_update(&self.tx, removed, upserted)
    }

    /// [`IngestTx::update_events`] when no stored event has the ids `new` (see
    /// `FileWrite::update_events_some_new`).
    pub fn update_events_some_new(
        &self,
        removed: &[EventId],
        upserted: &[Event],
        new: &[EventId],
    ) -> Result<(), StoreError> {
        crate::events::write_event_update_some_new(&self.tx, removed, upserted, new)
    }

    /// Writes a file's new events, held as [`crate::EventRows`]: the bulk form of
    /// [`IngestTx::update_events`] with nothing removed.
    pub fn write_event_rows(
        &self,
        rows: &crate::EventRows,
        progress: &mut dyn FnMut(u64),
    ) -> Result<(), StoreError> {
        crate::events::write_event_rows(&self.tx, rows, progress)
    }

    /// What writing a first ingest's events aside needs (see [`crate::events_aside`]),
    /// for events whose places are among `places`; `None` for a ledger that holds
    /// events, or a place the ledger does not number. (Outside a bulk load, foreign
    /// keys are checked, and SQLite then copies the rows one by one.)
    pub fn events_aside(
        &self,
        places: &mut dyn Iterator<Item = &tally_model::Place>,
    ) -> Result<Option<EventsAside>, StoreError> {
        let mut numbered = Vec::new();
        for place in places {
            numbered.push((place, self.places.known(&self.tx, place)?));
        }
        EventsAside::plan(&self.tx, numbered.into_iter())
    }

    /// Copies a file's events written aside into the ledger, as
    /// [`IngestTx::write_event_rows`] would have written them.
    pub fn write_events_aside(
        &self,
        aside: EventsWrittenAside,
        progress: &mut dyn FnMut(u64),
    ) -> Result<(), StoreError> {
        crate::events_aside::write_events_aside(&self.tx, aside, &self.aside, progress)
    }

    /// The stored events with these ids, as the open transaction sees them; ids with no
    /// event are skipped.
    pub fn events_by_id(&self, ids: &[EventId]) -> Result<Vec<Event>, StoreError> {
        crate::events::events_by_id(&self.tx, ids)
    }

    /// The reports the ledger held before this file, as the open transaction sees them.
    pub fn reports_before_this_file(&self) -> Result<Vec<Report>, StoreError> {
        crate::ledger::read_reports_below(&self.tx, self.first_report_id)
    }

    /// Says that every row of the file is stored: a bulk load creates again, now rather
    /// than at the commit, the insert guards and the sources' address index it lifted
    /// (the index is built by one sort, a few tenths of a second at 300,000 rows). The
    /// linking of a first ingest calls it while its blocks are linked on the other
    /// threads, so that the single writer builds the index meanwhile instead of after
    /// the events (issue 12: the seam between the store phase and linking). Rows added
    /// after it go in as outside a bulk load, guarded and looked up.
    pub fn rows_stored(&mut self) -> Result<(), StoreError> {
        if let Some(bulk) = self.bulk.take() {
            bulk.restore(&self.tx)?;
        }
        Ok(())
    }

    /// The open transaction, for the other modules that write or read inside it.
    pub(crate) fn connection(&self) -> &rusqlite::Connection {
        &self.tx
    }

    /// Records the file's counts and makes everything visible at once.
    pub fn commit(mut self, rows_read: u64, rejected: u64) -> Result<(), StoreError> {
        self.chunks.flush(&self.tx)?;
        // Those not given from memory: a bulk load's sort spills to a file, as the
        // addresses' does.
        if self.bulk.is_some() {
            sorting_in_files(&self.tx, || self.write_link_rows())?;
        } else {
            self.write_link_rows()?;
        }
        self.tx.execute(
            "UPDATE files SET rows_read = ?1, reports_added = ?2, duplicates = ?3, rejected = ?4, sealed = 1
             WHERE id = ?5",
            params![rows_read as i64, self.reports_added as i64, self.duplicates as i64, rejected as i64, self.file_id],
        )?;
        // The setting is read when a write transaction begins: this one keeps its
        // journal in memory to the end, and later readers spill sorts to disk as usual.
        self.tx.pragma_update(None, "temp_store", "DEFAULT")?;
        if let Some(bulk) = &self.bulk {
            bulk.restore(&self.tx)?;
        }
        let IngestTx {
            tx,
            aside,
            journal,
            foreign_keys,
            ..
        } = self;
        tx.commit()?;
        // Back to WAL and to checked keys, now that the transaction is over, once the
        // events written aside are detached.
        drop(aside);
        drop(journal);
        drop(foreign_keys);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tally_model::{Estimate, Place, SourceId, SourceKind};

    fn receipt(origin: &str) -> FileReceipt {
        FileReceipt {
            origin: origin.into(),
            content_hash: format!("hash-of-{origin}"),
            format: "dataset".into(),
            encoding: "utf-8".into(),
            received_at: "2025-06-20T00:00:00Z".parse().unwrap(),
        }
    }

    /// Row `n` of a file: a source addressed by 64 hex digits (stored as bytes), or
    /// every seventh one by a text of its own (stored as text), and its report.
    fn row(n: usize) -> (Source, Report) {
        let id = if n % 7 == 3 {
            format!("row-{n}")
        } else {
            format!("{n:064x}")
        };
        let at: Timestamp = "2025-06-20T00:00:00Z".parse().unwrap();
        let city = ["Austin", "Boise", "Tulsa"][n % 3];
        let state = ["TX", "ID", "OK"][n % 3];
        let source = Source {
            id: SourceId(id),
            kind: SourceKind::DatasetRow,
            origin: "f.csv".into(),
            locator: Some(format!("line {}", n + 2)),
            content: format!("2025-06-{:02},{city},{state},{n}", 1 + n % 28),
            received_at: at,
        };
        let mut report = Report::new(
            source.id.clone(),
            Place::from_parts(Some(city), Some(state.parse().unwrap())),
            at,
        );
        report.date = Some(format!("2025-06-{:02}", 1 + n % 28).parse().unwrap());
        if n % 4 != 0 {
            report
                .estimates
                .push(Estimate::range(100 + n as u64, 200 + n as u64).unwrap());
        }
        (source, report)
    }

    fn add_rows(tx: &mut IngestTx<'_>, rows: &[(Source, Report)]) -> Vec<AddOutcome> {
        let items: Vec<(&Source, Vec<Report>)> =
            rows.iter().map(|(s, r)| (s, vec![r.clone()])).collect();
        tx.add_all(
            &items
                .iter()
                .map(|(s, r)| (*s, r.as_slice()))
                .collect::<Vec<_>>(),
        )
        .unwrap()
    }

    /// The triggers and indexes, with their SQL.
    fn triggers(conn: &Connection) -> Vec<(String, String)> {
        conn.prepare(
            "SELECT name, sql FROM sqlite_master WHERE type IN ('trigger', 'index')
             AND sql IS NOT NULL ORDER BY name",
        )
        .unwrap()
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
    }

    fn foreign_keys(conn: &Connection) -> i64 {
        conn.query_row("PRAGMA foreign_keys", [], |row| row.get(0))
            .unwrap()
    }

    fn journal_mode(conn: &Connection) -> String {
        conn.query_row("PRAGMA journal_mode", [], |row| row.get(0))
            .unwrap()
    }

    #[test]
    fn a_file_goes_in_bulk_only_when_large_beside_the_ledger() {
        assert!(!BulkLoad::suits(BULK_ROWS - 1, 0));
        assert!(BulkLoad::suits(BULK_ROWS, 0));
        assert!(BulkLoad::suits(BULK_ROWS, BULK_ROWS));
        assert!(!BulkLoad::suits(BULK_ROWS, BULK_ROWS + 1));
        assert!(!BulkLoad::suits(1_000, 1_000_000));
    }

    /// Issue 12: a bulk load writes the same rows, finds the same duplicates (within the
    /// file and against the ledger) as the guarded path, runs under a rollback journal,
    /// and leaves the guards and WAL exactly as they were.
    #[test]
    fn issue_12_a_bulk_ingest_gives_what_a_guarded_one_gives_and_restores_guards_and_wal() {
        let dir = tempfile::tempdir().unwrap();
        let mut bulk = Ledger::open(&dir.path().join("bulk.db")).unwrap();
        let mut guarded = Ledger::open(&dir.path().join("guarded.db")).unwrap();
        let guards = triggers(&bulk.conn);
        for (_, name) in LIFTED {
            assert!(guards.iter().any(|(found, _)| found == name), "{name}");
        }
        assert_eq!(journal_mode(&bulk.conn), "wal");

        // Two files: the second repeats a row of its own and three rows of the first.
        let first: Vec<_> = (0..2 * BULK_ROWS as usize).map(row).collect();
        let mut second: Vec<_> = (100..100 + 3 * BULK_ROWS as usize).map(row).collect();
        second.push(row(105));
        second.extend([row(0), row(3), row(11)]);
        for (name, rows) in [("first.csv", &first), ("second.csv", &second)] {
            let mut tx = bulk
                .begin_ingest_sized(&receipt(name), rows.len() as u64)
                .unwrap();
            assert!(tx.bulk.is_some(), "{name} is large beside the ledger");
            assert_eq!(journal_mode(&tx.tx), "delete");
            assert!(
                triggers(&tx.tx)
                    .iter()
                    .all(|(found, _)| LIFTED.iter().all(|(_, name)| found != name)),
                "the insert guards and the address trigger are lifted inside the transaction"
            );
            assert_eq!(
                foreign_keys(&tx.tx),
                0,
                "no key checks inside the transaction"
            );
            let in_bulk = add_rows(&mut tx, rows);
            tx.commit(rows.len() as u64, 0).unwrap();
            assert_eq!(journal_mode(&bulk.conn), "wal");
            assert_eq!(triggers(&bulk.conn), guards);
            assert!(bulk.guard_problems().unwrap().is_empty());
            assert_eq!(foreign_keys(&bulk.conn), 1);
            let dangling: Option<String> = bulk
                .conn
                .query_row("PRAGMA foreign_key_check", [], |row| row.get(0))
                .optional()
                .unwrap();
            assert_eq!(dangling, None, "every row of {name} has its parent");

            let mut tx = guarded.begin_ingest(&receipt(name)).unwrap();
            assert!(tx.bulk.is_none());
            let row_by_row = add_rows(&mut tx, rows);
            tx.commit(rows.len() as u64, 0).unwrap();
            assert_eq!(in_bulk, row_by_row, "{name}");
        }
        let duplicates = |ledger: &Ledger| {
            ledger
                .files()
                .unwrap()
                .iter()
                .map(|f| f.duplicates)
                .collect::<Vec<_>>()
        };
        assert_eq!(duplicates(&bulk), vec![0, 4]);
        assert_eq!(duplicates(&guarded), duplicates(&bulk));
        assert_eq!(bulk.reports(None).unwrap(), guarded.reports(None).unwrap());
        for n in [0, 3, 105, 150] {
            let id = row(n).0.id;
            assert_eq!(bulk.source(&id).unwrap(), guarded.source(&id).unwrap());
        }
        let check: String = bulk
            .conn
            .query_row("PRAGMA integrity_check", [], |row| row.get(0))
            .unwrap();
        assert_eq!(check, "ok");
        // Every source's address is filed once, in the main table after a bulk load.
        for ledger in [&bulk, &guarded] {
            assert_eq!(ledger.integrity_check().unwrap(), Vec::<String>::new());
        }
        let recent = |ledger: &Ledger| -> i64 {
            ledger
                .conn
                .query_row("SELECT count(*) FROM source_addresses_recent", [], |row| {
                    row.get(0)
                })
                .unwrap()
        };
        assert_eq!(recent(&bulk), 0);
        assert!(recent(&guarded) > 0);
        // The guards stand again: a replacing insert over a stored source is refused.
        let replace = bulk.conn.execute(
            "INSERT OR REPLACE INTO sources (row, id, kind, chunk, start, length)
             SELECT row, id, kind, chunk, start, length FROM sources LIMIT 1",
            [],
        );
        let refused = replace.expect_err("a replacing insert is refused");
        assert!(refused.to_string().contains("append-only"), "{refused}");
    }

    /// Issue 12: a bulk load told that every row is stored builds its guards and the
    /// sources' address index again then, inside the transaction (the linking of a first
    /// ingest builds the index while its blocks are linked); rows added afterwards are
    /// looked up and guarded as outside a bulk load, and the commit leaves the ledger as
    /// a bulk load that was never told.
    #[test]
    fn issue_12_a_bulk_load_builds_its_guards_again_once_every_row_is_stored() {
        let dir = tempfile::tempdir().unwrap();
        let mut ledger = Ledger::open(&dir.path().join("early.db")).unwrap();
        let guards = triggers(&ledger.conn);
        let rows: Vec<_> = (0..2 * BULK_ROWS as usize).map(row).collect();
        let mut tx = ledger
            .begin_ingest_sized(&receipt("f.csv"), rows.len() as u64)
            .unwrap();
        assert!(tx.bulk.is_some());
        add_rows(&mut tx, &rows[..BULK_ROWS as usize]);
        assert_ne!(triggers(&tx.tx), guards, "lifted while rows are stored");
        tx.rows_stored().unwrap();
        assert!(tx.bulk.is_none());
        assert_eq!(triggers(&tx.tx), guards, "built again before the commit");
        // A later row, and a repeat of a stored one, go in as outside a bulk load.
        let mut later = rows[BULK_ROWS as usize..].to_vec();
        later.push(row(2));
        let outcomes = add_rows(&mut tx, &later);
        assert!(matches!(outcomes.last(), Some(AddOutcome::Duplicate)));
        tx.rows_stored().unwrap();
        tx.commit(later.len() as u64, 0).unwrap();
        assert_eq!(triggers(&ledger.conn), guards);
        assert!(ledger.guard_problems().unwrap().is_empty());
        assert_eq!(journal_mode(&ledger.conn), "wal");
        assert_eq!(foreign_keys(&ledger.conn), 1);
        let counts = ledger.counts().unwrap();
        assert_eq!(
            (counts.sources, counts.reports),
            (rows.len() as u64, rows.len() as u64)
        );
    }

    /// Issue 12: a bulk load whose addresses are all Tally's own (32 bytes each) files
    /// them sorted in memory: each source's address once, with its row, as the sorted
    /// insert by SQL gave; a later file's duplicates are still found among them.
    #[test]
    fn issue_12_addresses_sorted_in_memory_are_filed_once_with_their_rows() {
        let dir = tempfile::tempdir().unwrap();
        let mut ledger = Ledger::open(&dir.path().join("sorted.db")).unwrap();
        // Rows in an order unlike their addresses' (every seventh, a text, left out).
        let rows: Vec<_> = (0..3 * BULK_ROWS as usize)
            .rev()
            .filter(|n| n % 7 != 3)
            .map(row)
            .collect();
        let mut tx = ledger
            .begin_ingest_sized(&receipt("f.csv"), rows.len() as u64)
            .unwrap();
        assert!(tx.bulk.is_some());
        add_rows(&mut tx, &rows);
        tx.commit(rows.len() as u64, 0).unwrap();
        let pairs = |sql: &str| -> Vec<(Vec<u8>, i64)> {
            let mut stmt = ledger.conn.prepare(sql).unwrap();
            let found = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            found
        };
        let filed = pairs("SELECT id, row FROM source_addresses");
        assert_eq!(filed.len(), rows.len());
        assert_eq!(filed, pairs("SELECT id, row FROM sources ORDER BY id"));
        assert!(filed.iter().all(|(id, _)| id.len() == 32));
        // The same rows again are all duplicates.
        let mut tx = ledger.begin_ingest_sized(&receipt("g.csv"), 0).unwrap();
        let again = add_rows(&mut tx, &rows[..10]);
        assert!(
            again.iter().all(|o| *o == AddOutcome::Duplicate),
            "{again:?}"
        );
    }

    /// Issue 12: a bulk load that is dropped (an error, `--strict`) leaves the ledger as
    /// it was: no rows, the guards in place, WAL.
    #[test]
    fn issue_12_a_dropped_bulk_ingest_leaves_the_ledger_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let mut ledger = Ledger::open(&dir.path().join("dropped.db")).unwrap();
        let guards = triggers(&ledger.conn);
        let rows: Vec<_> = (0..BULK_ROWS as usize).map(row).collect();
        {
            let mut tx = ledger
                .begin_ingest_sized(&receipt("f.csv"), rows.len() as u64)
                .unwrap();
            assert!(tx.bulk.is_some());
            add_rows(&mut tx, &rows);
        }
        assert_eq!(journal_mode(&ledger.conn), "wal");
        assert_eq!(triggers(&ledger.conn), guards);
        assert_eq!(foreign_keys(&ledger.conn), 1);
        let counts = ledger.counts().unwrap();
        assert_eq!((counts.files, counts.sources, counts.reports), (0, 0, 0));
    }

    /// Issue 12: a bulk load whose pages spilled into the ledger's file and were synced
    /// to disk ahead of the commit ([`IngestTx::flush_ahead`]), then dropped, leaves
    /// the ledger as it was: the rollback journal puts the file back.
    #[test]
    fn issue_12_a_bulk_load_flushed_ahead_then_dropped_leaves_the_ledger_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("flushed.db");
        let mut ledger = Ledger::open(&path).unwrap();
        let before = std::fs::metadata(&path).unwrap().len();
        let rows: Vec<_> = (0..200 * BULK_ROWS as usize).map(row).collect();
        {
            let mut tx = ledger
                .begin_ingest_sized(&receipt("f.csv"), rows.len() as u64)
                .unwrap();
            assert!(tx.bulk.is_some());
            // A cache of a few pages: the load's pages spill into the ledger's file.
            tx.tx.pragma_update(None, "cache_size", 2).unwrap();
            add_rows(&mut tx, &rows);
            tx.flush_ahead()
                .expect("a bulk load into a file flushes")
                .join()
                .unwrap();
            assert!(
                std::fs::metadata(&path).unwrap().len() > before,
                "the load's pages are in the ledger's file"
            );
        }
        let check: String = ledger
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(check, "ok");
        let counts = ledger.counts().unwrap();
        assert_eq!((counts.files, counts.sources, counts.reports), (0, 0, 0));
        assert_eq!(journal_mode(&ledger.conn), "wal");
    }

    /// Issue 12: a bulk load's guards stand again and its sources' addresses are filed,
    /// inside its transaction, once the ingest says its sources are stored (so that
    /// this is done while the file is linked); saying it twice, then committing, changes
    /// nothing more (the commit writes the link rows no one gave), and a load dropped
    /// after it leaves the ledger as it was.
    #[test]
    fn issue_12_guards_stand_again_and_addresses_are_filed_once_the_sources_are_stored() {
        let dir = tempfile::tempdir().unwrap();
        let rows: Vec<_> = (0..2 * BULK_ROWS as usize).map(row).collect();
        for commit in [true, false] {
            let mut ledger = Ledger::open(&dir.path().join(format!("{commit}.db"))).unwrap();
            let guards = triggers(&ledger.conn);
            {
                let mut tx = ledger
                    .begin_ingest_sized(&receipt("f.csv"), rows.len() as u64)
                    .unwrap();
                assert!(tx.bulk.is_some());
                add_rows(&mut tx, &rows);
                assert_ne!(triggers(&tx.tx), guards);
                tx.sources_stored().unwrap();
                assert_eq!(triggers(&tx.tx), guards, "restored inside the transaction");
                // The link rows' sort spilled to a file; the writes after it journal
                // in memory again (2 = MEMORY).
                let temp_store: i64 = tx
                    .tx
                    .query_row("PRAGMA temp_store", [], |r| r.get(0))
                    .unwrap();
                assert_eq!(temp_store, 2);
                tx.sources_stored().unwrap();
                // Issue 12: the link rows are not written then: the ingest gives them
                // from what it holds, or the commit writes them from the stored rows.
                // Given rows that are not one a report are refused, and nothing of
                // them is kept.
                assert!(tx.write_link_rows_given(&mut |_| Ok(())).is_err());
                let link_rows: i64 = tx
                    .tx
                    .query_row("SELECT count(*) FROM link_rows", [], |r| r.get(0))
                    .unwrap();
                assert_eq!(link_rows, 0);
                let filed: i64 = tx
                    .tx
                    .query_row(
                        "SELECT count(*) FROM source_addresses a JOIN sources s
                         ON s.row = a.row AND s.id = a.id",
                        [],
                        |r| r.get(0),
                    )
                    .unwrap();
                assert_eq!(filed, rows.len() as i64);
                if commit {
                    tx.commit(rows.len() as u64, 0).unwrap();
                }
            }
            assert_eq!(triggers(&ledger.conn), guards);
            assert!(ledger.guard_problems().unwrap().is_empty());
            let counts = ledger.counts().unwrap();
            let expected = if commit { rows.len() as u64 } else { 0 };
            assert_eq!((counts.sources, counts.reports), (expected, expected));
            let link_rows: i64 = ledger
                .conn
                .query_row("SELECT count(*) FROM link_rows", [], |r| r.get(0))
                .unwrap();
            assert_eq!(link_rows as u64, expected);
            assert_eq!(
                crate::link_rows::link_row_problems(&ledger.conn).unwrap(),
                Vec::<String>::new()
            );
        }
    }

    /// Issue 12: with another connection open on the file, SQLite cannot leave WAL; the
    /// bulk load still lifts the guards and lands, in WAL.
    #[test]
    fn issue_12_a_bulk_ingest_beside_another_connection_stays_in_wal() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("shared.db");
        let mut ledger = Ledger::open(&path).unwrap();
        let other = Connection::open(&path).unwrap();
        let _: i64 = other
            .query_row("SELECT count(*) FROM reports", [], |row| row.get(0))
            .unwrap();
        let rows: Vec<_> = (0..BULK_ROWS as usize).map(row).collect();
        let mut tx = ledger
            .begin_ingest_sized(&receipt("f.csv"), rows.len() as u64)
            .unwrap();
        assert!(tx.bulk.is_some());
        assert!(tx.journal.is_none());
        assert_eq!(journal_mode(&tx.tx), "wal");
        add_rows(&mut tx, &rows);
        tx.commit(rows.len() as u64, 0).unwrap();
        let reports: i64 = other
            .query_row("SELECT count(*) FROM reports", [], |row| row.get(0))
            .unwrap();
        assert_eq!(reports, rows.len() as i64);
        assert_eq!(journal_mode(&ledger.conn), "wal");
        assert!(ledger.guard_problems().unwrap().is_empty());
    }

    /// The events of `rows` (one a report, ids out of order, a size on three of four).
    fn events_of(rows: &[(Source, Report)]) -> crate::EventRows {
        let mut events = crate::EventRows::new();
        for (n, (_, report)) in rows.iter().enumerate() {
            events.push(&Event {
                id: EventId(format!("ev-{:05}", (n * 7919) % 100_000)),
                date: report.date,
                place: report.place.clone(),
                event_type: Some(["protest", "march"][n % 2].into()),
                title: (n % 3 == 0).then(|| format!("title {}", n % 5)),
                organizers: None,
                reports: vec![ReportId(n as i64 + 1)],
                size_low: (n % 4 != 0).then_some(100 + n as u64),
                size_high: (n % 4 != 0).then_some(200 + n as u64),
                low_from: None,
                high_from: None,
                coded_by_rule: n % 5 == 0,
            });
        }
        events
    }

    /// Everything a reader reads of the events: the rows, the date index's order, the
    /// per-day sums and the mark of what they were built through.
    fn events_as_read(conn: &Connection) -> Vec<String> {
        let all = |sql: &str| -> Vec<String> {
            let mut stmt = conn.prepare(sql).unwrap();
            let count = stmt.column_count();
            stmt.query_map([], |row| {
                let values: Vec<String> = (0..count)
                    .map(|i| format!("{:?}", row.get_ref(i).unwrap()))
                    .collect();
                Ok(values.join("|"))
            })
            .unwrap()
            .map(Result::unwrap)
            .collect()
        };
        let mut read = all("SELECT * FROM events ORDER BY id");
        read.extend(all(
            "SELECT date, id FROM events INDEXED BY events_by_date WHERE date IS NOT NULL",
        ));
        read.extend(all("SELECT * FROM event_sums ORDER BY 1, 2, 3"));
        read.extend(all(
            "SELECT key, value FROM meta WHERE key LIKE 'events_built%' ORDER BY 1",
        ));
        read
    }

    #[test]
    fn issue_12_events_written_aside_are_the_events_written_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let rows: Vec<_> = (0..3 * BULK_ROWS as usize).map(row).collect();
        let events = events_of(&rows);
        let mut read = Vec::new();
        for aside in [false, true] {
            let mut ledger = Ledger::open(&dir.path().join(format!("{aside}.db"))).unwrap();
            let mut tx = ledger
                .begin_ingest_sized(&receipt("f.csv"), rows.len() as u64)
                .unwrap();
            add_rows(&mut tx, &rows);
            tx.sources_stored().unwrap();
            let places: Vec<Place> = rows.iter().map(|(_, r)| r.place.clone()).collect();
            if aside {
                let plan = tx.events_aside(&mut places.iter()).unwrap();
                let written = plan
                    .expect("a first ingest's events go aside")
                    .write(&events);
                tx.write_events_aside(written.unwrap(), &mut |_| {})
                    .unwrap();
                let attached: i64 = tx
                    .tx
                    .query_row("SELECT count(*) FROM pragma_database_list", [], |r| {
                        r.get(0)
                    })
                    .unwrap();
                assert_eq!(attached, 3, "main, the events and the sums written aside");
            } else {
                tx.write_event_rows(&events, &mut |_| {}).unwrap();
            }
            tx.commit(rows.len() as u64, 0).unwrap();
            let attached: Vec<String> = ledger
                .conn
                .prepare("SELECT name FROM pragma_database_list")
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .map(Result::unwrap)
                .collect();
            assert_eq!(attached, ["main"], "detached once committed");
            let check: String = ledger
                .conn
                .query_row("PRAGMA integrity_check", [], |r| r.get(0))
                .unwrap();
            assert_eq!(check, "ok");
            assert_eq!(journal_mode(&ledger.conn), "wal");
            read.push(events_as_read(&ledger.conn));
        }
        assert!(
            read[0].len() > 2 * events.len(),
            "rows, index and sums read"
        );
        assert_eq!(read[0], read[1]);
        // No scratch file is left behind.
        let left: Vec<_> = std::fs::read_dir(std::env::temp_dir())
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with(&format!("tally-events-{}-", std::process::id()))
            })
            .collect();
        assert!(left.is_empty(), "{left:?}");
    }

    #[test]
    fn issue_12_events_go_aside_only_into_a_ledger_without_events() {
        let dir = tempfile::tempdir().unwrap();
        let mut ledger = Ledger::open(&dir.path().join("l.db")).unwrap();
        let first: Vec<_> = (0..BULK_ROWS as usize).map(row).collect();
        let places: Vec<Place> = first.iter().map(|(_, r)| r.place.clone()).collect();
        let mut tx = ledger
            .begin_ingest_sized(&receipt("a.csv"), first.len() as u64)
            .unwrap();
        add_rows(&mut tx, &first);
        // A place the ledger does not number: written in place.
        let elsewhere = Place::from_parts(Some("Nowhere"), None);
        assert!(tx
            .events_aside(&mut places.iter().chain([&elsewhere]))
            .unwrap()
            .is_none());
        tx.write_event_rows(&events_of(&first), &mut |_| {})
            .unwrap();
        tx.commit(first.len() as u64, 0).unwrap();
        let second: Vec<_> = (BULK_ROWS as usize..4 * BULK_ROWS as usize)
            .map(row)
            .collect();
        let mut tx = ledger
            .begin_ingest_sized(&receipt("b.csv"), second.len() as u64)
            .unwrap();
        assert!(tx.bulk.is_some());
        add_rows(&mut tx, &second);
        assert!(tx.events_aside(&mut places.iter()).unwrap().is_none());
    }
}
