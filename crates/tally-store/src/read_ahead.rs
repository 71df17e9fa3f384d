//! Reading ahead for a small ingest's relink (issue 12, additions cost what they add):
//! the link rows that the relink of a file's new reports asks for first depend only on
//! where and when those reports are, which is known before they are stored. A file's
//! transaction can give a reader of the ledger as the file found it
//! ([`crate::FileWrite::reader_before_this_file`]), on a connection of its own, so that
//! another thread reads those rows while the single writer stores the file.
//!
//! The reader's snapshot is taken at its first read, which its caller makes while the
//! file's transaction is open: the writer holds the ledger's write lock all along, so no
//! other file can land in between, and a reader in WAL mode never sees the writer's own
//! rows before they are committed. What it reads is therefore what the writer's
//! connection reads of the reports stored before the file (the file's own link rows are
//! written at its commit, and the relink leaves out its own reports either way).

use crate::error::StoreError;
use crate::DayRange;
use rusqlite::Connection;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use tally_model::{Place, Report};

/// Reads what linking reads of the ledger as it stood before a file, on a connection
/// of its own; sent to another thread and used there while the file is stored.
pub trait LinkingReader: Send {
    /// The ledger's places by number (see `FileWrite::linking_places`).
    fn linking_places(&mut self) -> Result<Option<Vec<(i64, Place)>>, StoreError>;
    /// The reports of `ranges`, each once in id order, with what linking reads of them
    /// (see `FileWrite::linking_reports_at`).
    fn linking_reports_at(
        &mut self,
        ranges: &[DayRange],
        places: &rustc_hash::FxHashMap<i64, Place>,
    ) -> Result<Vec<Report>, StoreError>;
}

/// How many reports readers ahead gave in this process (for tests).
static READ_AHEAD: AtomicUsize = AtomicUsize::new(0);

pub(crate) fn reports_read_ahead() -> usize {
    READ_AHEAD.load(Ordering::Relaxed)
}

/// A reader of a SQLite ledger in WAL mode, opened on its first use (on the thread that
/// uses it, off the writer's path).
pub(crate) struct SqliteReader {
    path: PathBuf,
    conn: Option<Connection>,
}

/// A reader beside the writer on `conn` (inside a file's transaction), when the ledger
/// is a file in WAL mode with link rows; `None` otherwise (in memory, or under a
/// rollback journal, whose writer may hold the file exclusively).
pub(crate) fn reader_beside(conn: &Connection) -> Result<Option<SqliteReader>, StoreError> {
    let Some(path) = conn.path().filter(|path| !path.is_empty()) else {
        return Ok(None);
    };
    let mode: String = conn.pragma_query_value(None, "journal_mode", |row| row.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") || !crate::link_rows::tables_exist(conn)? {
        return Ok(None);
    }
    Ok(Some(SqliteReader {
        path: PathBuf::from(path),
        conn: None,
    }))
}

impl SqliteReader {
    /// The reader's connection, opened with its snapshot taken on the first call.
    fn conn(&mut self) -> Result<&Connection, StoreError> {
        if self.conn.is_none() {
            let conn = crate::ledger::open_beside_writer(&self.path)?;
            // One read transaction for every read, begun by this first read: all of
            // them see the same ledger.
            conn.execute_batch("BEGIN")?;
            conn.query_row("SELECT count(*) FROM sqlite_master", [], |row| {
                row.get::<_, i64>(0)
            })?;
            self.conn = Some(conn);
        }
        Ok(self.conn.as_ref().expect("opened above"))
    }
}

impl LinkingReader for SqliteReader {
    fn linking_places(&mut self) -> Result<Option<Vec<(i64, Place)>>, StoreError> {
        crate::link_rows::places(self.conn()?).map(Some)
    }

    fn linking_reports_at(
        &mut self,
        ranges: &[DayRange],
        places: &rustc_hash::FxHashMap<i64, Place>,
    ) -> Result<Vec<Report>, StoreError> {
        let reports = crate::link_rows::linking_reports_at(self.conn()?, ranges, places)?;
        READ_AHEAD.fetch_add(reports.len(), Ordering::Relaxed);
        Ok(reports)
    }
}
