//! A first ingest's events written beside the single writer (issue 12).
//!
//! After a first ingest's blocks are linked, the single writer still has the file's
//! link rows to write, while the other core has nothing left to do; the events' insert,
//! their date index (one sort) and their per-day sums were then another half second of
//! the writer's own, with the other core idle. Here they are written on the linking's
//! thread instead, into scratch SQLite files of their own with the ledger's very
//! tables (`events` with its indexes in one, `event_sums` in another, created by the SQL
//! the ledger holds), while the writer writes the link rows. The two files are written
//! at once, the per-day sums on a thread of their own (issue 12: sums and events one
//! after the other were the longest step after the file was stored, with the writer
//! idle once its link rows were written). The writer then attaches the files and copies
//! each table with `INSERT INTO main.t SELECT * FROM aside.t`, which SQLite carries out
//! as a transfer of the stored records (no decoding, no sort: its "xfer optimization",
//! for a table of the same columns and indexes that is empty, with no triggers and no
//! foreign-key checks, as a bulk load has) — the copy goes into the file's own
//! transaction, so nothing changes for readers or for a crash: the ledger holds the
//! events with the rest of the file, or nothing. Where the transfer does not apply,
//! SQLite copies the rows one by one, to the same result.
//!
//! The scratch files live in the system's temporary folder, are never part of a ledger,
//! and are deleted once the file's transaction has ended (or when a write fails).

use crate::error::StoreError;
use crate::event_rows::EventRows;
use crate::events::{
    build_indexes, insert_event_rows_placed, mark_built, stored_event_count, EventsToWrite,
    OrderedRows,
};
use rusqlite::{Connection, OpenFlags};
use std::cell::RefCell;
use std::path::{Path, PathBuf};
use tally_model::Place;

/// The tables written aside and copied, in the order they are copied, each in a file
/// of its own, attached under the name beside it.
const TABLES: [&str; 2] = ["events", "event_sums"];
const SCHEMAS: [&str; 2] = ["tally_events_aside", "tally_sums_aside"];

/// How many files' events were copied in from aside (for tests: `crate::testing`).
pub(crate) static COPIED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// What writing a file's events aside needs from the ledger, taken on the writer's
/// thread: the tables' SQL, the page size, and the number in `places` of every place
/// the events may have. [`EventsAside::write`] then runs on any thread.
pub struct EventsAside {
    /// `CREATE TABLE` of each of [`TABLES`], in order.
    tables: Vec<String>,
    /// `CREATE INDEX` of each table's own indexes, by the table's place in [`TABLES`].
    indexes: [Vec<String>; 2],
    page_size: i64,
    /// Places by their number in `places`.
    places: Vec<(Place, i64)>,
}

/// A file's events written aside, ready for [`write_events_aside`].
pub struct EventsWrittenAside {
    /// The file of each of [`TABLES`], in order.
    files: [ScratchFile; 2],
    /// How many events the file's `events` holds.
    events: u64,
}

impl EventsAside {
    /// The plan for a file's events on `conn` (the file's transaction), `None` when
    /// they are not to be written aside: the ledger holds events or per-day sums
    /// already (the copy is a transfer only into empty tables), or a place is one the
    /// ledger does not number.
    pub(crate) fn plan<'p>(
        conn: &Connection,
        places: impl Iterator<Item = (&'p Place, Option<i64>)>,
    ) -> Result<Option<EventsAside>, StoreError> {
        if !tables_are_empty(conn)? {
            return Ok(None);
        }
        let mut numbered = Vec::new();
        for (place, number) in places {
            let Some(number) = number else {
                return Ok(None);
            };
            numbered.push((place.clone(), number));
        }
        let mut tables = Vec::new();
        for table in TABLES {
            let sql: Option<String> = conn.query_row(
                "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?1",
                [table],
                |row| row.get(0),
            )?;
            let Some(sql) = sql else { return Ok(None) };
            tables.push(sql);
        }
        let mut indexes: [Vec<String>; 2] = Default::default();
        let mut read = conn.prepare(
            "SELECT tbl_name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
             AND tbl_name IN ('events', 'event_sums') ORDER BY name",
        )?;
        let mut rows = read.query([])?;
        while let Some(row) = rows.next()? {
            let table: String = row.get(0)?;
            let at = usize::from(table != TABLES[0]);
            indexes[at].push(row.get(1)?);
        }
        let triggers: i64 = conn.query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'
             AND tbl_name IN ('events', 'event_sums')",
            [],
            |row| row.get(0),
        )?;
        if triggers > 0 {
            return Ok(None);
        }
        let page_size = conn.pragma_query_value(None, "page_size", |row| row.get(0))?;
        Ok(Some(EventsAside {
            tables,
            indexes,
            page_size,
            places: numbered,
        }))
    }

    /// Writes `rows` (a file's new events) and their per-day sums into scratch files
    /// of their own, as the ledger's bulk write would write them into its tables: the
    /// sums on a thread of their own while this one writes the events.
    pub fn write(self, rows: &EventRows) -> Result<EventsWrittenAside, StoreError> {
        let ordered = OrderedRows {
            rows,
            order: rows.in_id_order(),
        };
        let mut place_ids = Vec::with_capacity(rows.place_count());
        for number in 0..rows.place_count() {
            let place = rows.place(number as u32);
            match self.places.iter().find(|(held, _)| held == place) {
                Some(&(_, id)) => place_ids.push(id),
                None => return Err(internal("an event's place is not among the file's")),
            }
        }
        let (aside, ordered) = (&self, &ordered);
        let (events, sums) = std::thread::scope(|scope| {
            let sums = scope.spawn(move || {
                aside.write_table(1, |tx| ordered.sums().into_rows().write(tx, TABLES[1]))
            });
            let events = aside.write_table(0, |tx| {
                insert_event_rows_placed(tx, TABLES[0], ordered, true, &place_ids, &mut |_| {})
            });
            let sums = sums
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (events, sums)
        });
        Ok(EventsWrittenAside {
            files: [events?, sums?],
            events: rows.len() as u64,
        })
    }

    /// A scratch file holding table `at` of [`TABLES`] as `fill` writes it, with the
    /// table's indexes built after.
    fn write_table(
        &self,
        at: usize,
        fill: impl FnOnce(&Connection) -> Result<(), StoreError>,
    ) -> Result<ScratchFile, StoreError> {
        let file = ScratchFile::create()?;
        let conn = Connection::open_with_flags(
            &file.path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        // A scratch file: nothing to recover if the process dies, so no journal and no
        // waiting for the disk. The rows' `place` refers to `places` in the ledger.
        conn.pragma_update(None, "page_size", self.page_size)?;
        conn.pragma_update(None, "journal_mode", "OFF")?;
        conn.pragma_update(None, "synchronous", "OFF")?;
        conn.pragma_update(None, "foreign_keys", "OFF")?;
        conn.pragma_update(None, "locking_mode", "EXCLUSIVE")?;
        conn.pragma_update(None, "cache_size", -16384)?;
        let tx = conn.unchecked_transaction()?;
        tx.execute_batch(&self.tables[at])?;
        fill(&tx)?;
        build_indexes(&tx, &self.indexes[at])?;
        tx.commit()?;
        conn.close().map_err(|(_, error)| error)?;
        Ok(file)
    }
}

/// Whether the ledger's tables written aside are empty, with nothing for them among
/// the recent changes either (see [`crate::recent`]).
fn tables_are_empty(conn: &Connection) -> Result<bool, StoreError> {
    if stored_event_count(conn)? > 0 {
        return Ok(false);
    }
    let recent: &[&str] = if crate::recent::tables_exist(conn)? {
        &["events_recent", "event_sums_recent"]
    } else {
        &[]
    };
    for table in TABLES.iter().chain(recent) {
        let empty: bool = conn.query_row(
            &format!("SELECT NOT EXISTS (SELECT 1 FROM main.{table})"),
            [],
            |row| row.get(0),
        )?;
        if !empty {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Copies a file's events written aside into the ledger's tables, in the file's
/// transaction on `conn`, and marks the events current; `attached` keeps the scratch
/// file attached until the transaction has ended. Tables that are not empty (which the
/// plan rules out) refuse the copy.
pub(crate) fn write_events_aside(
    conn: &Connection,
    aside: EventsWrittenAside,
    attached: &AttachedAside,
    progress: &mut dyn FnMut(u64),
) -> Result<(), StoreError> {
    crate::recent::merge(conn)?;
    if !tables_are_empty(conn)? {
        return Err(internal(
            "the events were written aside for tables that hold rows",
        ));
    }
    for ((table, schema), file) in TABLES.into_iter().zip(SCHEMAS).zip(aside.files) {
        let path = file.path.to_string_lossy().into_owned();
        conn.execute(&format!("ATTACH DATABASE ?1 AS {schema}"), [&path])?;
        attached.hold(schema, file);
        let copied = conn.execute(
            &format!("INSERT INTO main.{table} SELECT * FROM {schema}.{table}"),
            [],
        )?;
        if table == "events" {
            if copied as u64 != aside.events {
                return Err(internal("the events written aside were not all copied"));
            }
            progress(aside.events);
        }
    }
    COPIED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    tracing::debug!(events = aside.events, "events copied from aside");
    mark_built(conn)
}

/// The scratch files attached to the ledger's connection while the file's transaction
/// runs; dropped after that transaction has ended, it detaches and deletes them.
pub(crate) struct AttachedAside<'c> {
    conn: &'c Connection,
    /// Each file with the name it is attached under.
    files: RefCell<Vec<(&'static str, ScratchFile)>>,
}

impl<'c> AttachedAside<'c> {
    pub(crate) fn new(conn: &'c Connection) -> AttachedAside<'c> {
        AttachedAside {
            conn,
            files: RefCell::new(Vec::new()),
        }
    }

    fn hold(&self, schema: &'static str, file: ScratchFile) {
        self.files.borrow_mut().push((schema, file));
    }
}

impl Drop for AttachedAside<'_> {
    fn drop(&mut self) {
        for (schema, _) in self.files.get_mut().iter() {
            if let Err(error) = self
                .conn
                .execute_batch(&format!("DETACH DATABASE {schema}"))
            {
                tracing::debug!(%error, "the events written aside could not be detached");
            }
        }
        // The files themselves are deleted by their own drop.
    }
}

/// A scratch file, deleted when dropped.
struct ScratchFile {
    path: PathBuf,
}

impl ScratchFile {
    fn create() -> Result<ScratchFile, StoreError> {
        use std::sync::atomic::{AtomicU64, Ordering};
        static COUNT: AtomicU64 = AtomicU64::new(0);
        let dir = std::env::temp_dir();
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let name = format!(
            "tally-events-{}-{}-{nanos}.db",
            std::process::id(),
            COUNT.fetch_add(1, Ordering::Relaxed)
        );
        let path = dir.join(name);
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|error| scratch_error(&path, error))?;
        Ok(ScratchFile { path })
    }
}

impl Drop for ScratchFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

fn scratch_error(path: &Path, error: std::io::Error) -> StoreError {
    internal(&format!(
        "cannot create the scratch file {}: {error}",
        path.display()
    ))
}

/// A fault of this module's own, as SQLite's internal error.
fn internal(reason: &str) -> StoreError {
    StoreError::Sql(rusqlite::Error::SqliteFailure(
        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_INTERNAL),
        Some(reason.to_string()),
    ))
}
