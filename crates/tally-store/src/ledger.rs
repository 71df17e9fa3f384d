//! Opening the ledger, its schema migrations, and reading sources, reports and decisions.

use crate::error::StoreError;
use crate::time::format_timestamp;
use rusqlite::{params, Connection, OptionalExtension};
use std::path::{Path, PathBuf};
use tally_model::{Report, ReportId, Source, SourceId, SourceKind, Timestamp};

/// Migrations by number, in order; the schema version is the highest number applied.
/// Numbers are explicit (not positions) because they are handed out to owners ahead
/// of time, so the list may have a gap while one is still being written; the numbers a
/// ledger holds are recorded in `meta`, so a gap filled later is applied then.
const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("migrations/0001_ledger.sql")),
    (2, include_str!("migrations/0002_totals_index.sql")),
    (4, include_str!("migrations/0004_tokens_submissions.sql")),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS[MIGRATIONS.len() - 1].0;

/// The ledger: one SQLite database in WAL mode.
pub struct Ledger {
    pub(crate) conn: Connection,
    path: PathBuf,
    /// The API token that the writes of this handle are made with (`None`: the command
    /// line). Recorded beside every file and decision.
    pub(crate) author: Option<String>,
}

/// How many rows each table holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Counts {
    pub files: u64,
    pub sources: u64,
    pub reports: u64,
    pub decisions: u64,
    pub events: u64,
}

/// A reviewer decision as stored: its kind and a JSON body that the linker reads.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StoredDecision {
    pub id: i64,
    pub made_at: String,
    pub kind: String,
    pub body: String,
}

/// One ingested file, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StoredFile {
    pub id: i64,
    pub origin: String,
    pub content_hash: String,
    pub format: String,
    pub received_at: String,
    pub rows_read: u64,
    pub reports_added: u64,
    pub duplicates: u64,
    pub rejected: u64,
}

impl Ledger {
    /// Opens (creating if needed) the ledger at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Ledger, StoreError> {
        let cannot_open = |cause: rusqlite::Error| StoreError::Open {
            path: path.to_path_buf(),
            cause: match &cause {
                rusqlite::Error::SqliteFailure(_, Some(message)) => message.clone(),
                other => other.to_string(),
            },
        };
        let conn = Connection::open(path).map_err(cannot_open)?;
        // The first statements are where a file that is not a ledger shows itself.
        Ledger::setup(conn, path.to_path_buf()).map_err(|error| match error {
            StoreError::Sql(cause) => cannot_open(cause),
            other => other,
        })
    }

    /// Opens an existing ledger for reading only: SQLite refuses every write through
    /// this handle, and nothing is migrated (a ledger of another schema version is an
    /// error naming the file). For servers and their public mirrors.
    pub fn open_read_only(path: &Path) -> Result<Ledger, StoreError> {
        let cannot_open = |cause: rusqlite::Error| StoreError::Open {
            path: path.to_path_buf(),
            cause: match &cause {
                rusqlite::Error::SqliteFailure(_, Some(message)) => message.clone(),
                other => other.to_string(),
            },
        };
        let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY
            | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX
            | rusqlite::OpenFlags::SQLITE_OPEN_URI;
        let conn = Connection::open_with_flags(path, flags).map_err(cannot_open)?;
        conn.pragma_update(None, "busy_timeout", 5000)
            .map_err(cannot_open)?;
        conn.pragma_update(None, "cache_size", -16384)
            .map_err(cannot_open)?;
        let ledger = Ledger {
            conn,
            path: path.to_path_buf(),
            author: None,
        };
        let found = ledger.schema_version().map_err(|error| match error {
            StoreError::Sql(cause) => cannot_open(cause),
            other => other,
        })?;
        if found > SCHEMA_VERSION {
            return Err(StoreError::TooNew {
                path: path.to_path_buf(),
                found,
                known: SCHEMA_VERSION,
            });
        }
        if found < SCHEMA_VERSION {
            return Err(StoreError::Open {
                path: path.to_path_buf(),
                cause: format!(
                    "schema version {found} is older than this tally's ({SCHEMA_VERSION}); open it once for writing to upgrade it"
                ),
            });
        }
        Ok(ledger)
    }

    /// Records `token` (a token's public id) as the author of this handle's later
    /// writes; `None` for the command line.
    pub fn set_author(&mut self, token: Option<String>) {
        self.author = token;
    }

    /// A ledger that lives in memory, for tests and one-shot work.
    pub fn open_in_memory() -> Result<Ledger, StoreError> {
        let conn = Connection::open_in_memory()?;
        Ledger::setup(conn, PathBuf::from(":memory:"))
    }

    fn setup(conn: Connection, path: PathBuf) -> Result<Ledger, StoreError> {
        // WAL keeps readers and a writer apart and makes a commit one append; NORMAL
        // sync in WAL mode is still durable against a process kill (the design's
        // promise) and loses at most the last commit on power loss.
        // Large pages: rows are a few hundred bytes of text each, and a bulk append
        // writes a quarter of the pages (and system calls) that 4 KiB pages would. Only
        // takes effect when the file is created.
        conn.pragma_update(None, "page_size", 16384)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.pragma_update(None, "busy_timeout", 5000)?;
        // Readers scan once and gain nothing from a large cache (each fresh cache page
        // costs the kernel a zeroed page); a file's ingest raises it for its transaction.
        conn.pragma_update(None, "cache_size", -16384)?;
        let mut ledger = Ledger {
            conn,
            path,
            author: None,
        };
        ledger.migrate()?;
        Ok(ledger)
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        self.apply_migrations(MIGRATIONS)
    }

    fn apply_migrations(&mut self, migrations: &[(i64, &str)]) -> Result<(), StoreError> {
        let known = migrations.last().map_or(0, |(number, _)| *number);
        let found: i64 = self
            .conn
            .pragma_query_value(None, "user_version", |row| row.get(0))?;
        if found > known {
            return Err(StoreError::TooNew {
                path: self.path.clone(),
                found,
                known,
            });
        }
        // Which migrations a ledger holds is recorded by number, so that one numbered
        // below the version (written after a later one had landed) is still applied.
        // Ledgers from before the record hold every migration up to their version.
        let applied: Vec<i64> = if found == 0 {
            Vec::new()
        } else {
            let recorded: Option<String> = self
                .conn
                .query_row(
                    "SELECT value FROM meta WHERE key = 'migrations'",
                    [],
                    |row| row.get(0),
                )
                .optional()?;
            match recorded {
                Some(list) => list
                    .split(',')
                    .filter_map(|n| n.trim().parse().ok())
                    .collect(),
                None => migrations
                    .iter()
                    .map(|(number, _)| *number)
                    .filter(|number| *number <= found)
                    .collect(),
            }
        };
        let mut done = applied.clone();
        for (number, sql) in migrations.iter().filter(|(n, _)| !applied.contains(n)) {
            done.push(*number);
            done.sort_unstable();
            let list = done
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(",");
            let tx = self.conn.transaction()?;
            tx.execute_batch(sql)?;
            tx.execute(
                "INSERT INTO meta (key, value) VALUES ('migrations', ?1)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                params![list],
            )?;
            tx.pragma_update(None, "user_version", found.max(*number))?;
            tx.commit()?;
        }
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn schema_version(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .pragma_query_value(None, "user_version", |row| row.get(0))?)
    }

    /// Marks this ledger as one `tally demo` made and may recreate.
    pub fn record_demo_marker(&mut self) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES ('demo', '1') ON CONFLICT(key) DO NOTHING",
            [],
        )?;
        Ok(())
    }

    /// True for a ledger that `tally demo` made.
    pub fn is_demo_ledger(&self) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM meta WHERE key = 'demo'", [], |row| {
                row.get::<_, i64>(0)
            })?
            > 0)
    }

    /// `PRAGMA integrity_check`: `Ok(())` when SQLite finds nothing wrong.
    pub fn integrity_check(&self) -> Result<Vec<String>, StoreError> {
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        let rows = stmt.query_map([], |row| row.get::<_, String>(0))?;
        let problems: Vec<String> = rows.collect::<Result<_, _>>()?;
        Ok(problems.into_iter().filter(|p| p != "ok").collect())
    }

    pub fn counts(&self) -> Result<Counts, StoreError> {
        let count = |table: &str| -> Result<u64, StoreError> {
            Ok(self
                .conn
                .query_row(&format!("SELECT count(*) FROM {table}"), [], |row| {
                    row.get::<_, i64>(0)
                })? as u64)
        };
        Ok(Counts {
            files: count("files")?,
            sources: count("sources")?,
            reports: count("reports")?,
            decisions: count("decisions")?,
            events: count("events")?,
        })
    }

    /// Every report received up to `as_of` (all when `None`), in order of receipt.
    pub fn reports(&self, as_of: Option<Timestamp>) -> Result<Vec<Report>, StoreError> {
        read_reports(&self.conn, as_of)
    }

    /// The reports with these ids, in the order asked; missing ids are skipped.
    pub fn reports_by_id(&self, ids: &[ReportId]) -> Result<Vec<Report>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT body FROM reports WHERE id = ?1")?;
        let mut reports = Vec::with_capacity(ids.len());
        for id in ids {
            let body: Option<String> =
                stmt.query_row(params![id.0], |row| row.get(0)).optional()?;
            if let Some(body) = body {
                reports.push(decode_report(id.0, &body)?);
            }
        }
        Ok(reports)
    }

    /// One source, verbatim.
    pub fn source(&self, id: &SourceId) -> Result<Option<Source>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT kind, origin, locator, content, received_at FROM sources WHERE id = ?1",
        )?;
        let row = stmt
            .query_row(params![id.0], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, Option<String>>(2)?,
                    row.get::<_, String>(3)?,
                    row.get::<_, String>(4)?,
                ))
            })
            .optional()?;
        let Some((kind, origin, locator, content, received_at)) = row else {
            return Ok(None);
        };
        let corrupt = |reason: String| StoreError::Corrupt {
            what: "source",
            id: id.0.clone(),
            reason,
        };
        let kind =
            SourceKind::parse(&kind).ok_or_else(|| corrupt(format!("unknown kind {kind:?}")))?;
        let received_at = crate::time::parse_timestamp(&received_at)
            .ok_or_else(|| corrupt(format!("bad receipt time {received_at:?}")))?;
        Ok(Some(Source {
            id: id.clone(),
            kind,
            origin,
            locator,
            content,
            received_at,
        }))
    }

    /// Appends a reviewer decision; returns its number.
    pub fn record_decision(
        &mut self,
        made_at: Timestamp,
        kind: &str,
        body: &str,
    ) -> Result<i64, StoreError> {
        self.conn.execute(
            "INSERT INTO decisions (made_at, kind, body, token_id) VALUES (?1, ?2, ?3, ?4)",
            params![format_timestamp(made_at), kind, body, self.author],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Decisions made up to `as_of` (all when `None`), in the order they were made.
    pub fn decisions(&self, as_of: Option<Timestamp>) -> Result<Vec<StoredDecision>, StoreError> {
        read_decisions(&self.conn, as_of)
    }

    /// The files ingested, oldest first.
    pub fn files(&self) -> Result<Vec<StoredFile>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, origin, content_hash, format, received_at, rows_read, reports_added, duplicates, rejected
             FROM files ORDER BY id",
        )?;
        let rows = stmt.query_map([], |row| {
            Ok(StoredFile {
                id: row.get(0)?,
                origin: row.get(1)?,
                content_hash: row.get(2)?,
                format: row.get(3)?,
                received_at: row.get(4)?,
                rows_read: row.get::<_, i64>(5)? as u64,
                reports_added: row.get::<_, i64>(6)? as u64,
                duplicates: row.get::<_, i64>(7)? as u64,
                rejected: row.get::<_, i64>(8)? as u64,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

/// Reads reports through any connection (the ledger's, or an open transaction's).
pub(crate) fn read_reports(
    conn: &Connection,
    as_of: Option<Timestamp>,
) -> Result<Vec<Report>, StoreError> {
    let cutoff = as_of.map(format_timestamp);
    query_reports(conn, "?1 IS NULL OR received_at <= ?1", cutoff)
}

/// Reads the reports with ids below `below`, in order.
pub(crate) fn read_reports_below(conn: &Connection, below: i64) -> Result<Vec<Report>, StoreError> {
    query_reports(conn, "id < ?1", below)
}

/// The reports a condition on one bound value picks, in order of receipt.
fn query_reports(
    conn: &Connection,
    condition: &str,
    value: impl rusqlite::ToSql,
) -> Result<Vec<Report>, StoreError> {
    let sql = format!("SELECT id, body FROM reports WHERE {condition} ORDER BY id");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![value], |row| {
        Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?))
    })?;
    let mut reports = Vec::new();
    for row in rows {
        let (id, body) = row?;
        reports.push(decode_report(id, &body)?);
    }
    Ok(reports)
}

pub(crate) fn read_decisions(
    conn: &Connection,
    as_of: Option<Timestamp>,
) -> Result<Vec<StoredDecision>, StoreError> {
    let cutoff = as_of.map(format_timestamp);
    let mut stmt = conn.prepare_cached(
        "SELECT id, made_at, kind, body FROM decisions WHERE ?1 IS NULL OR made_at <= ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map(params![cutoff], |row| {
        Ok(StoredDecision {
            id: row.get(0)?,
            made_at: row.get(1)?,
            kind: row.get(2)?,
            body: row.get(3)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(crate) fn decode_report(id: i64, body: &str) -> Result<Report, StoreError> {
    let mut report: Report = serde_json::from_str(body).map_err(|e| StoreError::Corrupt {
        what: "report",
        id: id.to_string(),
        reason: e.to_string(),
    })?;
    report.id = Some(ReportId(id));
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_migration_numbered_into_a_gap_is_applied_when_it_lands() {
        let mut ledger = Ledger::open_in_memory().unwrap();
        let table_exists = |ledger: &Ledger, name: &str| -> bool {
            ledger
                .conn
                .query_row(
                    "SELECT count(*) FROM sqlite_master WHERE name = ?1",
                    params![name],
                    |row| row.get::<_, i64>(0),
                )
                .unwrap()
                > 0
        };
        let mut later: Vec<(i64, &str)> = MIGRATIONS.to_vec();
        later.push((SCHEMA_VERSION + 2, "CREATE TABLE after_gap (x INTEGER);"));
        ledger.apply_migrations(&later).unwrap();
        assert!(table_exists(&ledger, "after_gap"));
        // The migration numbered into the gap lands later: it is applied, once.
        later.insert(
            later.len() - 1,
            (SCHEMA_VERSION + 1, "CREATE TABLE in_gap (x INTEGER);"),
        );
        ledger.apply_migrations(&later).unwrap();
        assert!(table_exists(&ledger, "in_gap"));
        ledger.apply_migrations(&later).unwrap();
        assert_eq!(ledger.schema_version().unwrap(), SCHEMA_VERSION + 2);
    }
}
