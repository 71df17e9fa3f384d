//! Opening the ledger (for reading or for writing), its schema migrations and guards,
//! and reading sources, reports and decisions.
//!
//! Reading never writes: a reader opens the file read-only, refuses a missing file or a
//! foreign database, and does not migrate. A writer creates the file when asked, refuses
//! a foreign database, migrates, and refuses to write when SQLite's quick check finds
//! damage or when the append-only triggers are missing or altered.

use crate::error::StoreError;
use crate::time::format_timestamp;
use rusqlite::{
    params, Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior,
};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tally_model::{Report, ReportId, Source, SourceId, SourceKind, Timestamp};

/// Migrations by number, in order; the schema version is the highest number applied.
/// Numbers are explicit (not positions) because they are handed out to owners ahead
/// of time, so the list may have a gap while one is still being written; the numbers a
/// ledger holds are recorded in `meta`, so a gap filled later is applied then.
const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("migrations/0001_ledger.sql")),
    (2, include_str!("migrations/0002_totals_index.sql")),
    (3, include_str!("migrations/0003_guards.sql")),
    (4, include_str!("migrations/0004_tokens_submissions.sql")),
    (5, include_str!("migrations/0005_compact_store.sql")),
    (6, include_str!("migrations/0006_event_sums.sql")),
    (7, include_str!("migrations/0007_report_locators.sql")),
    (
        8,
        include_str!("migrations/0008_report_locators_by_area.sql"),
    ),
    (9, include_str!("migrations/0009_drop_totals_index.sql")),
    (
        10,
        include_str!("migrations/0010_sources_address_index.sql"),
    ),
    (11, include_str!("migrations/0011_recent_changes.sql")),
    (
        12,
        include_str!("migrations/0012_source_addresses_apart.sql"),
    ),
    (13, include_str!("migrations/0013_events_by_place.sql")),
    (14, include_str!("migrations/0014_link_rows.sql")),
    (15, include_str!("migrations/0015_drop_report_locators.sql")),
    (16, include_str!("migrations/0016_link_rows_slim.sql")),
];

/// The line of a migration's SQL after which the ledger's code converts rows that SQL
/// cannot (decompressing, decoding JSON), before the rest of the SQL runs.
const CONVERT_MARK: &str = "\n-- convert\n";

/// A migration's step in code: converts rows between its two parts of SQL.
type Conversion = fn(&Connection) -> Result<(), StoreError>;

/// The conversion step of a migration, by number.
fn conversion(number: i64) -> Option<Conversion> {
    match number {
        5 => Some(crate::compact::convert_from_v4),
        13 => Some(crate::events::convert_to_places_by_number),
        14 => Some(crate::link_rows::fill_all_0014),
        16 => Some(crate::link_rows::fill_all),
        _ => None,
    }
}

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS[MIGRATIONS.len() - 1].0;

/// How long a writer waits for another one by default.
pub const DEFAULT_WAIT: Duration = Duration::from_secs(120);

/// How long the full integrity check of a small ledger may run at open (it ends in a few
/// milliseconds at that size; the cap only guards against a slow disk).
const SMALL_LEDGER_CHECK_BUDGET: Duration = Duration::from_millis(1500);

/// How long the check at open may run on a large ledger before it is cut short, for a
/// reader and a writer alike (issue 12): a guard against a slow disk, as for a small
/// ledger. On a large ledger the check is SQLite's quick check of the small tables that
/// every command reads whole or relies on ([`LARGE_LEDGER_CHECKED_TABLES`]), not of the
/// whole ledger: that is `tally verify`'s job (the full `PRAGMA integrity_check`, run to
/// its end), and SQLite still refuses any damaged page a read or a write touches, so a
/// write into a damaged part fails and its file rolls back. Until session 25 the check
/// was the quick check of the whole ledger cut short after 5 ms, which on a ledger of a
/// million reports got through `meta`, `files` and part of `event_sums` (330 pages,
/// some 18 ms in full) and no further: a fixed 5 ms, and some 1,500 pages mapped, of
/// every add into a large ledger and of no add into a small one.
const LARGE_LEDGER_CHECK_BUDGET: Duration = Duration::from_millis(5);

/// The tables a large ledger's check at open covers in full (see
/// [`LARGE_LEDGER_CHECK_BUDGET`]): the ledger's settings and record of migrations, its
/// files, reviewer decisions, places, tokens and submissions, each a few pages (the
/// places of the million-row benchmark ledger: one page), read whole or consulted by
/// every writer. Those a ledger from before their migration lacks are skipped.
const LARGE_LEDGER_CHECKED_TABLES: &[&str] = &[
    "meta",
    "files",
    "decisions",
    "places",
    "tokens",
    "token_revocations",
    "submissions",
    "submission_decisions",
];

/// How much of the ledger file a writer maps into memory to read it (SQLite's own cap,
/// `SQLITE_MAX_MMAP_SIZE`, is 2 GiB; beyond it pages are read as usual).
const WRITER_MMAP_BYTES: i64 = 2 << 30;

/// Ledgers up to this size get SQLite's full integrity check at open (it also compares
/// every index with its table, in a few milliseconds at this size); larger ones the
/// quick check.
const FULL_CHECK_BYTES: u64 = 64 << 20;

/// The SQLite ledger: one SQLite database in WAL mode (exported as `SqliteLedger`; the
/// crate's `Ledger` is the handle over either backend, in `backend.rs`).
pub struct Ledger {
    pub(crate) conn: Connection,
    path: PathBuf,
    wait: Duration,
    on_wait: Option<fn(&Path)>,
    /// The API token that the writes of this handle are made with (`None`: the command
    /// line). Recorded beside every file and decision.
    pub(crate) author: Option<String>,
}

/// Whether a command reads the ledger or also writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Read-only: the file must exist and be a ledger; nothing is created or migrated.
    Read,
    /// Read and write: the schema is brought up to date and the guards are checked.
    Write,
}

/// How to open a ledger.
#[derive(Debug, Clone)]
pub struct OpenOptions {
    pub access: Access,
    /// For writers: create the ledger when the file does not exist.
    pub create: bool,
    /// How long a writer waits for another writer's transaction to end.
    pub wait: Duration,
    /// Called once when a write has to wait for another process (to tell the user).
    pub on_wait: Option<fn(&Path)>,
    /// Run SQLite's check at open and refuse a damaged ledger. Off only for
    /// `tally verify`, which must open a damaged ledger to say what is wrong with it.
    pub check: bool,
}

impl OpenOptions {
    pub fn read() -> OpenOptions {
        OpenOptions {
            access: Access::Read,
            create: false,
            wait: DEFAULT_WAIT,
            on_wait: None,
            check: true,
        }
    }

    pub fn write() -> OpenOptions {
        OpenOptions {
            access: Access::Write,
            create: true,
            wait: DEFAULT_WAIT,
            on_wait: None,
            check: true,
        }
    }
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

/// What `PRAGMA user_version` and the schema say about a file SQLite could open.
enum Kind {
    /// No tables at all: a new (or zero-byte) file.
    Empty,
    Ledger(i64),
    Foreign,
}

impl Ledger {
    /// Opens (creating if needed) the ledger at `path` for writing and brings its schema
    /// up to date.
    pub fn open(path: &Path) -> Result<Ledger, StoreError> {
        Ledger::open_with(path, &OpenOptions::write())
    }

    /// Opens an existing ledger for reading only: nothing is created, migrated or
    /// written, so a ledger on read-only media can be read.
    pub fn open_read_only(path: &Path) -> Result<Ledger, StoreError> {
        Ledger::open_with(path, &OpenOptions::read())
    }

    pub fn open_with(path: &Path, options: &OpenOptions) -> Result<Ledger, StoreError> {
        let cannot_open = |cause: rusqlite::Error| StoreError::Open {
            path: path.to_path_buf(),
            cause: sql_cause(&cause),
        };
        let metadata = std::fs::metadata(path);
        let exists = metadata.is_ok();
        if let Ok(metadata) = &metadata {
            if !metadata.is_file() {
                return Err(StoreError::Open {
                    path: path.to_path_buf(),
                    cause: "not a regular file".into(),
                });
            }
        }
        if !exists && (options.access == Access::Read || !options.create) {
            return Err(StoreError::Missing {
                path: path.to_path_buf(),
            });
        }
        let conn = match options.access {
            Access::Read => open_for_reading(path).map_err(cannot_open)?,
            Access::Write => Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_WRITE
                    | OpenFlags::SQLITE_OPEN_CREATE
                    | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .map_err(cannot_open)?,
        };
        let mut ledger = Ledger {
            conn,
            path: path.to_path_buf(),
            wait: options.wait,
            on_wait: options.on_wait,
            author: None,
        };
        // The first statements are where a file that is not a ledger shows itself.
        let setup = ledger.setup(
            options.access,
            options.check || options.access == Access::Write,
        );
        setup.map_err(|error| match error {
            StoreError::Sql(cause) if is_corruption(&cause) => StoreError::Damaged {
                path: path.to_path_buf(),
                problems: vec![sql_cause(&cause)],
            },
            StoreError::Sql(cause) => cannot_open(cause),
            other => other,
        })?;
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
        let mut ledger = Ledger {
            conn,
            path: PathBuf::from(":memory:"),
            wait: DEFAULT_WAIT,
            on_wait: None,
            author: None,
        };
        ledger.setup(Access::Write, true)?;
        Ok(ledger)
    }

    fn setup(&mut self, access: Access, check: bool) -> Result<(), StoreError> {
        self.conn.busy_timeout(self.wait)?;
        let kind = self.kind()?;
        match (&kind, access) {
            (Kind::Foreign, _) => {
                return Err(StoreError::NotALedger {
                    path: self.path.clone(),
                })
            }
            (Kind::Empty, Access::Read) => {
                return Err(StoreError::NotALedger {
                    path: self.path.clone(),
                })
            }
            (Kind::Ledger(found), _) if *found > SCHEMA_VERSION => {
                return Err(StoreError::TooNew {
                    path: self.path.clone(),
                    found: *found,
                    known: SCHEMA_VERSION,
                })
            }
            _ => {}
        }
        // Readers scan once and gain nothing from a large cache (each fresh cache page
        // costs the kernel a zeroed page); a file's ingest raises it for its transaction.
        self.conn.pragma_update(None, "cache_size", -16384)?;
        if check {
            self.quick_check()?;
        }
        if access == Access::Read {
            return Ok(());
        }
        // WAL keeps readers and a writer apart and makes a commit one append; NORMAL
        // sync in WAL mode is still durable against a process kill (the design's
        // promise) and loses at most the last commit on power loss.
        // Large pages: rows are a few hundred bytes of text each, and a bulk append
        // writes a quarter of the pages (and system calls) that 4 KiB pages would. Only
        // takes effect when the file is created.
        if matches!(kind, Kind::Empty) {
            self.conn.pragma_update(None, "page_size", 16384)?;
        }
        self.conn.pragma_update(None, "journal_mode", "WAL")?;
        self.conn.pragma_update(None, "synchronous", "NORMAL")?;
        self.conn.pragma_update(None, "foreign_keys", "ON")?;
        // A writer reads the pages it links against in place, mapped, instead of copying
        // each into a fresh buffer of the page cache (issue 12): an ingest of a thousand
        // rows into a million reads some fifteen thousand scattered pages, and the copies
        // and their new memory were most of its system time. Pages it changes still go
        // through the cache and the log as before.
        self.conn
            .pragma_update(None, "mmap_size", WRITER_MMAP_BYTES)?;
        self.migrate()?;
        self.check_guards()
    }

    /// Tells an empty file, a ledger and someone else's database apart, without writing.
    fn kind(&self) -> Result<Kind, StoreError> {
        let version: i64 = self
            .conn
            .pragma_query_value(None, "user_version", |row| row.get(0))?;
        let objects: i64 = self.conn.query_row(
            "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'",
            [],
            |row| row.get(0),
        )?;
        let has_reports: bool = self.conn.query_row(
            "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'reports'",
            [],
            |row| row.get(0),
        )?;
        Ok(match (version, objects) {
            (0, 0) => Kind::Empty,
            (v, _) if v > 0 && has_reports => Kind::Ledger(v),
            _ => Kind::Foreign,
        })
    }

    /// `PRAGMA integrity_check` on a small ledger, `PRAGMA quick_check` of its small
    /// tables ([`LARGE_LEDGER_CHECKED_TABLES`]) on a large one, cut short after a fixed
    /// budget so that opening a very large ledger stays fast (`tally verify` checks
    /// everything).
    fn quick_check(&self) -> Result<(), StoreError> {
        let size = std::fs::metadata(&self.path).map_or(0, |m| m.len());
        self.check_at_open(size > FULL_CHECK_BYTES)
    }

    /// [`Ledger::quick_check`] of a ledger taken as `large` or not.
    fn check_at_open(&self, large: bool) -> Result<(), StoreError> {
        let pragmas: Vec<String> = if !large {
            vec!["PRAGMA integrity_check(20)".to_string()]
        } else {
            let mut present = self
                .conn
                .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1")?;
            let mut pragmas = Vec::new();
            for table in LARGE_LEDGER_CHECKED_TABLES {
                if present.exists([table])? {
                    pragmas.push(format!("PRAGMA quick_check(\"{table}\")"));
                }
            }
            pragmas
        };
        let budget = if large {
            LARGE_LEDGER_CHECK_BUDGET
        } else {
            SMALL_LEDGER_CHECK_BUDGET
        };
        // A watchdog interrupts the check when the budget runs out; it ends as soon as the
        // check does.
        let interrupt = self.conn.get_interrupt_handle();
        let (done, finished) = std::sync::mpsc::channel::<()>();
        let watchdog = std::thread::spawn(move || {
            if finished.recv_timeout(budget).is_err() {
                interrupt.interrupt();
            }
        });
        let result = (|| -> rusqlite::Result<Vec<String>> {
            let mut problems = Vec::new();
            for pragma in &pragmas {
                let mut stmt = self.conn.prepare(pragma)?;
                let rows = stmt.query_map([], |row| row.get::<_, String>(0))?;
                for row in rows {
                    problems.push(row?);
                }
            }
            Ok(problems)
        })();
        let _ = done.send(());
        let _ = watchdog.join();
        match result {
            Ok(rows) => {
                let problems: Vec<String> = rows.into_iter().filter(|p| p != "ok").collect();
                if problems.is_empty() {
                    Ok(())
                } else {
                    Err(StoreError::Damaged {
                        path: self.path.clone(),
                        problems,
                    })
                }
            }
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::OperationInterrupted =>
            {
                tracing::info!(ledger = %self.path.display(), "quick check cut short; `tally verify` checks the ledger in full");
                Ok(())
            }
            Err(error) if is_corruption(&error) => Err(StoreError::Damaged {
                path: self.path.clone(),
                problems: vec![sql_cause(&error)],
            }),
            Err(error) => Err(error.into()),
        }
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
            // Not inside a transaction: SQLite ignores the pragma there.
            self.conn.pragma_update(None, "foreign_keys", "OFF")?;
            let result = self.apply_migration(*number, sql, &list, found);
            self.conn.pragma_update(None, "foreign_keys", "ON")?;
            result?;
        }
        Ok(())
    }

    /// Applies one migration in one transaction (unless another writer just did).
    fn apply_migration(
        &mut self,
        number: i64,
        sql: &str,
        list: &str,
        found: i64,
    ) -> Result<(), StoreError> {
        let tx = self.begin_write()?;
        // Another writer may have applied it while this one waited for the lock.
        let has_meta: bool = tx.query_row(
            "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'meta'",
            [],
            |row| row.get(0),
        )?;
        let recorded: Option<String> = if has_meta {
            tx.query_row(
                "SELECT value FROM meta WHERE key = 'migrations'",
                [],
                |row| row.get(0),
            )
            .optional()?
        } else {
            None
        };
        if recorded.is_some_and(|list| list.split(',').any(|n| n.trim() == number.to_string())) {
            return Ok(());
        }
        let (before, after) = sql.split_once(CONVERT_MARK).unwrap_or((sql, ""));
        tx.execute_batch(before)?;
        if let Some(convert) = conversion(number) {
            convert(&tx)?;
            tx.execute_batch(after)?;
            // Foreign keys are off while tables are rebuilt (SQLite's way of changing a
            // table); the result must still hold them all.
            let dangling: Option<String> = tx
                .query_row("PRAGMA foreign_key_check", [], |row| row.get(0))
                .optional()?;
            if let Some(table) = dangling {
                return Err(StoreError::Corrupt {
                    what: "migration",
                    id: number.to_string(),
                    reason: format!("it would leave a row of {table} without its parent"),
                });
            }
        } else {
            tx.execute_batch(after)?;
        }
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('migrations', ?1)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![list],
        )?;
        tx.pragma_update(None, "user_version", found.max(number))?;
        tx.commit()?;
        Ok(())
    }

    /// Refuses a ledger whose append-only triggers were dropped or altered: they are
    /// compared, by name and text, with the ones the migrations create.
    fn check_guards(&self) -> Result<(), StoreError> {
        let problems = self.guard_problems()?;
        if problems.is_empty() {
            Ok(())
        } else {
            Err(StoreError::Unguarded {
                path: self.path.clone(),
                problems,
            })
        }
    }

    /// What is wrong with the append-only triggers (nothing, for a sound ledger).
    pub fn guard_problems(&self) -> Result<Vec<String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")?;
        let found: std::collections::BTreeMap<String, Option<String>> = stmt
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<Result<_, _>>()?;
        // The ledger holds exactly the triggers this schema makes: nothing is wrong, and
        // the migrations need not be run again in memory to list them (issue 12: that
        // was 2.5% of a small add's time, and more with each migration).
        if triggers_digest(
            found
                .iter()
                .map(|(name, sql)| (name.as_str(), sql.as_deref())),
        ) == EXPECTED_TRIGGERS_DIGEST
        {
            return Ok(Vec::new());
        }
        let expected = expected_triggers()?;
        let mut problems = Vec::new();
        for (name, sql) in &expected {
            match found.get(name) {
                None => problems.push(format!("trigger {name} is missing")),
                Some(text) if text.as_deref() != Some(sql.as_str()) => {
                    problems.push(format!("trigger {name} was altered"))
                }
                Some(_) => {}
            }
        }
        Ok(problems)
    }

    /// Starts a write transaction, waiting for another writer (and saying so) up to the
    /// ledger's wait time.
    pub(crate) fn begin_write(&mut self) -> Result<Transaction<'_>, StoreError> {
        self.begin_write_shared()
    }

    /// [`Ledger::begin_write`] through a shared borrow, for a writer that keeps using the
    /// connection beside its transaction (an ingest's journal switch); the caller
    /// ensures that no other transaction is open on this handle.
    pub(crate) fn begin_write_shared(&self) -> Result<Transaction<'_>, StoreError> {
        // A first try without waiting tells whether someone else holds the lock.
        self.conn.busy_timeout(Duration::ZERO)?;
        let probe = self.conn.execute_batch("BEGIN IMMEDIATE; ROLLBACK;");
        self.conn.busy_timeout(self.wait)?;
        let started = Instant::now();
        if let Err(error) = probe {
            if !is_busy(&error) {
                return Err(error.into());
            }
            if let Some(notice) = self.on_wait {
                notice(&self.path);
            }
        }
        let waited = self.wait;
        let path = self.path.clone();
        Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate).map_err(|error| {
            if is_busy(&error) {
                StoreError::Busy {
                    path,
                    waited_secs: started.elapsed().max(waited).as_secs(),
                }
            } else {
                error.into()
            }
        })
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
        let tx = self.begin_write()?;
        tx.execute(
            "INSERT INTO meta (key, value) SELECT 'demo', '1'
             WHERE NOT EXISTS (SELECT 1 FROM meta WHERE key = 'demo')",
            [],
        )?;
        tx.commit()?;
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

    /// What the ledger holds besides the rows of files received under `origins`, as
    /// "3 decisions" or "1 file (mine.csv)": empty for a ledger that holds only those
    /// files. Tables added by later migrations count too, whatever they are.
    pub fn rows_not_from(&self, origins: &[&str]) -> Result<Vec<String>, StoreError> {
        let mut found = Vec::new();
        let mut stmt = self.conn.prepare("SELECT origin FROM files ORDER BY id")?;
        let others: Vec<String> = stmt
            .query_map([], |row| row.get::<_, String>(0))?
            .filter(|origin| {
                origin
                    .as_ref()
                    .map_or(true, |o| !origins.contains(&o.as_str()))
            })
            .collect::<Result<_, _>>()?;
        if !others.is_empty() {
            found.push(crate::ledger::some_files(&others));
        }
        let mut loose: i64 = self.conn.query_row(
            "SELECT count(*) FROM sources WHERE file_id IS NULL",
            [],
            |row| row.get(0),
        )?;
        let mut by_origin = self.conn.prepare(
            "SELECT files.origin, count(*) FROM sources JOIN files ON files.id = sources.file_id
             GROUP BY files.origin",
        )?;
        for row in by_origin.query_map([], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?))
        })? {
            let (origin, count) = row?;
            if !origins.contains(&origin.as_str()) {
                loose += count;
            }
        }
        if loose > 0 && others.is_empty() {
            found.push(format!("{loose} sources of other origins"));
        }
        let tables: Vec<String> = self
            .conn
            .prepare(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
                 AND name NOT IN ('meta', 'files', 'sources', 'source_chunks', 'reports',
                                  'places', 'report_estimates', 'events',
                                  'event_sums', 'report_locators', 'events_recent',
                                  'event_sums_recent', 'report_locators_recent',
                                  'source_addresses', 'source_addresses_recent',
                                  'link_rows', 'link_rows_recent')
                 ORDER BY name",
            )?
            .query_map([], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        for table in tables {
            let rows: i64 = self.conn.query_row(
                &format!("SELECT count(*) FROM \"{}\"", table.replace('"', "\"\"")),
                [],
                |row| row.get(0),
            )?;
            if rows > 0 {
                found.push(format!("{rows} rows in {table}"));
            }
        }
        Ok(found)
    }

    /// Calls `f` with the id, kind and content of every source, in order of receipt.
    /// Each chunk of source text is decompressed once.
    pub fn scan_sources(&self, mut f: impl FnMut(&str, &str, &str)) -> Result<(), StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, kind, chunk, start, length FROM sources ORDER BY row")?;
        let mut rows = stmt.query([])?;
        let mut chunks = crate::compact::ChunkReader::default();
        while let Some(row) = rows.next()? {
            let id = crate::compact::id_text(row.get_ref(0)?)?;
            let kind = row.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?;
            let content = chunks.content(&self.conn, &id, row.get(2)?, row.get(3)?, row.get(4)?)?;
            f(&id, kind, &content);
        }
        Ok(())
    }

    /// Reports whose source row is missing (none, in a sound ledger).
    pub fn orphan_reports(&self) -> Result<Vec<i64>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT id FROM reports WHERE source_row NOT IN (SELECT row FROM sources) ORDER BY id",
        )?;
        let rows = stmt.query_map([], |row| row.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// `PRAGMA integrity_check`: `Ok(())` when SQLite finds nothing wrong.
    /// The sources' address tables (migration 0012) are checked with it, as SQLite
    /// checks an index: every source's address filed once, with its row, and nothing
    /// else.
    pub fn integrity_check(&self) -> Result<Vec<String>, StoreError> {
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        let rows = stmt.query_map([], |row| row.get::<_, String>(0))?;
        let mut problems: Vec<String> = rows.collect::<Result<_, _>>()?;
        problems.retain(|p| p != "ok");
        if crate::recent::addresses_apart(&self.conn)? {
            problems.extend(crate::recent::address_problems(&self.conn)?);
        }
        problems.extend(crate::link_rows::link_row_problems(&self.conn)?);
        Ok(problems)
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
            events: self.conn.query_row(
                &format!(
                    "SELECT count(*) FROM ({})",
                    crate::recent::events_sql(&self.conn, "1", "1", "")?
                ),
                [],
                |row| row.get::<_, i64>(0),
            )? as u64,
        })
    }

    /// Every report received up to `as_of` (all when `None`), in order of receipt.
    pub fn reports(&self, as_of: Option<Timestamp>) -> Result<Vec<Report>, StoreError> {
        read_reports(&self.conn, as_of)
    }

    /// The reports with these ids, in the order asked; missing ids are skipped.
    pub fn reports_by_id(&self, ids: &[ReportId]) -> Result<Vec<Report>, StoreError> {
        crate::compact::reports_by_id(&self.conn, ids)
    }

    /// The reports received up to `selection.as_of` and dated within its days, in
    /// order of receipt (see [`crate::LedgerBackend::reports_on_days`]).
    pub fn reports_on_days(
        &self,
        selection: &tally_model::Selection,
    ) -> Result<Vec<Report>, StoreError> {
        read_reports_on_days(&self.conn, selection, false)
    }

    /// The claims (reports of aggregate estimates only) received up to
    /// `selection.as_of` and dated within its days, in order of receipt.
    pub fn claim_reports(
        &self,
        selection: &tally_model::Selection,
    ) -> Result<Vec<Report>, StoreError> {
        let mut reports = read_reports_on_days(&self.conn, selection, true)?;
        reports.retain(Report::is_aggregate_only);
        Ok(reports)
    }

    /// One source, verbatim.
    pub fn source(&self, id: &SourceId) -> Result<Option<Source>, StoreError> {
        // By its address among the main and recent ones (migration 0012), or in a
        // ledger read before that migration, by the index of the sources' addresses.
        let found = if crate::recent::addresses_apart(&self.conn)? {
            format!("s.row = {}", crate::recent::SOURCE_ROW_SQL)
        } else {
            "s.id = ?1".to_string()
        };
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT s.kind, coalesce(s.origin, f.origin), s.locator,
                    coalesce(s.received_at, f.received_at), s.chunk, s.start, s.length
             FROM sources s LEFT JOIN files f ON f.id = s.file_id WHERE {found}"
        ))?;
        let row = stmt
            .query_row(params![crate::compact::id_key(&id.0)], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, Option<String>>(1)?,
                    row.get::<_, Option<String>>(2)?,
                    row.get::<_, Option<String>>(3)?,
                    (
                        row.get::<_, i64>(4)?,
                        row.get::<_, i64>(5)?,
                        row.get::<_, i64>(6)?,
                    ),
                ))
            })
            .optional()?;
        let Some((kind, origin, locator, received_at, (chunk, start, length))) = row else {
            return Ok(None);
        };
        let corrupt = |reason: String| StoreError::Corrupt {
            what: "source",
            id: id.0.clone(),
            reason,
        };
        let kind =
            SourceKind::parse(&kind).ok_or_else(|| corrupt(format!("unknown kind {kind:?}")))?;
        let origin = origin.ok_or_else(|| corrupt("its origin is missing".into()))?;
        let received_at = received_at.unwrap_or_default();
        let received_at = crate::time::parse_timestamp(&received_at)
            .ok_or_else(|| corrupt(format!("bad receipt time {received_at:?}")))?;
        let content = crate::compact::ChunkReader::default()
            .content(&self.conn, &id.0, chunk, start, length)?;
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
        let author = self.author.clone();
        let tx = self.begin_write()?;
        tx.execute(
            "INSERT INTO decisions (made_at, kind, body, token_id) VALUES (?1, ?2, ?3, ?4)",
            params![format_timestamp(made_at), kind, body, author],
        )?;
        let id = tx.last_insert_rowid();
        tx.commit()?;
        Ok(id)
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

/// "2 files (a.csv, b.csv)", "5 files (a, b, c, …)": files named in a finding of
/// `rows_not_from`, the same on both backends.
pub(crate) fn some_files(origins: &[String]) -> String {
    let shown: Vec<&str> = origins.iter().take(3).map(String::as_str).collect();
    format!(
        "{} {} ({}{})",
        origins.len(),
        if origins.len() == 1 { "file" } else { "files" },
        shown.join(", "),
        if origins.len() > 3 { ", …" } else { "" }
    )
}

/// Reads reports through any connection (the ledger's, or an open transaction's).
pub(crate) fn read_reports(
    conn: &Connection,
    as_of: Option<Timestamp>,
) -> Result<Vec<Report>, StoreError> {
    let cutoff = as_of.map(crate::compact::report_time);
    crate::compact::query_reports(conn, "?1 IS NULL OR r.received_at <= ?1", &[&cutoff])
}

/// The reports received up to `selection.as_of` and dated within its days (all, when it
/// names none; undated ones only then), in order of receipt; with `claims_only`, only
/// those that carry an aggregate estimate (a superset of the claims). The rest of the
/// selection is not read: a report's place and labels are not its event's.
pub(crate) fn read_reports_on_days(
    conn: &Connection,
    selection: &tally_model::Selection,
    claims_only: bool,
) -> Result<Vec<Report>, StoreError> {
    let cutoff = selection.as_of.map(crate::compact::report_time);
    let from = selection.from.map(|d| d.to_string());
    let to = selection.to.map(|d| d.to_string());
    let mut condition = String::from(
        "(?1 IS NULL OR r.received_at <= ?1) AND (?2 IS NULL OR r.date >= ?2)
         AND (?3 IS NULL OR r.date <= ?3)",
    );
    if claims_only {
        condition.push_str(
            " AND r.id IN (SELECT report_id FROM report_estimates WHERE scope = 'aggregate')",
        );
    }
    crate::compact::query_reports(conn, &condition, &[&cutoff, &from, &to])
}

/// Reads the reports with ids below `below`, in order.
pub(crate) fn read_reports_below(conn: &Connection, below: i64) -> Result<Vec<Report>, StoreError> {
    crate::compact::query_reports(conn, "r.id < ?1", &[&below])
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

/// A schema-4 report body (JSON), for the migration that retires it.
pub(crate) fn decode_report(id: i64, body: &str) -> Result<Report, StoreError> {
    let mut report: Report = serde_json::from_str(body).map_err(|e| StoreError::Corrupt {
        what: "report",
        id: id.to_string(),
        reason: e.to_string(),
    })?;
    report.id = Some(ReportId(id));
    Ok(report)
}

/// Opens a file read-only. On read-only media SQLite may be unable to set up the WAL's
/// shared-memory file; such a ledger is then opened as immutable (no other process can
/// be writing to it there).
/// A second, read-only connection to a ledger that this process holds open for writing,
/// reading its pages mapped as the writer does (see `crate::locators`).
pub(crate) fn open_beside_writer(path: &Path) -> rusqlite::Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)?;
    // A reader of a ledger in WAL waits only while the log is recovered; it need not
    // wait long, as its caller reads on its own connection instead.
    conn.busy_timeout(Duration::from_millis(200))?;
    conn.pragma_update(None, "cache_size", -16384)?;
    conn.pragma_update(None, "mmap_size", WRITER_MMAP_BYTES)?;
    Ok(conn)
}

pub(crate) fn open_for_reading(path: &Path) -> rusqlite::Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)?;
    let readable = conn.query_row("SELECT count(*) FROM sqlite_master", [], |row| {
        row.get::<_, i64>(0)
    });
    match readable {
        Ok(_) => Ok(conn),
        Err(error) if is_corruption(&error) || is_not_a_database(&error) => Err(error),
        Err(_) => {
            drop(conn);
            let uri = format!("file:{}?immutable=1", uri_path(path));
            Connection::open_with_flags(uri, flags | OpenFlags::SQLITE_OPEN_URI)
        }
    }
}

/// A path as the path part of a `file:` URI.
fn uri_path(path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = String::new();
    for c in absolute.to_string_lossy().chars() {
        match c {
            '%' | '?' | '#' => out.push_str(&format!("%{:02X}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// [`triggers_digest`] of the triggers the migrations make ([`expected_triggers`]), so
/// that a sound ledger's open compares one number; a test holds it to the migrations
/// (`the_expected_triggers_digest_is_the_migrations_one`, which prints the new value
/// when a migration adds or changes a trigger).
const EXPECTED_TRIGGERS_DIGEST: &str =
    "d40415ff53c7652779f6a188c7cea289daf6ee4f6e1f99a9483275f1224629d5";

/// A digest of triggers by name and SQL (in name order, as given).
fn triggers_digest<'a>(triggers: impl Iterator<Item = (&'a str, Option<&'a str>)>) -> String {
    let mut hasher = blake3::Hasher::new();
    for (name, sql) in triggers {
        for part in [name, sql.unwrap_or("")] {
            hasher.update(&(part.len() as u64).to_le_bytes());
            hasher.update(part.as_bytes());
        }
    }
    hasher.finalize().to_hex().to_string()
}

/// The triggers a ledger of this schema must hold, by name, with their SQL: read from a
/// scratch database the migrations build in memory, so the list can never drift from
/// the migrations.
fn expected_triggers() -> Result<Vec<(String, String)>, StoreError> {
    let conn = Connection::open_in_memory()?;
    for (_, sql) in MIGRATIONS {
        conn.execute_batch(sql)?;
    }
    let mut stmt = conn.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")?;
    let rows = stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn sql_cause(error: &rusqlite::Error) -> String {
    match error {
        rusqlite::Error::SqliteFailure(_, Some(message)) => message.clone(),
        other => other.to_string(),
    }
}

fn is_corruption(error: &rusqlite::Error) -> bool {
    matches!(error, rusqlite::Error::SqliteFailure(e, _) if e.code == rusqlite::ErrorCode::DatabaseCorrupt)
}

fn is_not_a_database(error: &rusqlite::Error) -> bool {
    matches!(error, rusqlite::Error::SqliteFailure(e, _) if e.code == rusqlite::ErrorCode::NotADatabase)
}

fn is_busy(error: &rusqlite::Error) -> bool {
    matches!(error, rusqlite::Error::SqliteFailure(e, _)
        if matches!(e.code, rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 12: the check at open of a large ledger covers its small tables in full and
    /// leaves its big ones to `tally verify`; a small ledger's covers everything.
    #[test]
    fn issue_12_a_large_ledgers_check_at_open_covers_its_small_tables() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let root_of = |table: &str| -> u64 {
            let conn = Connection::open(&path).unwrap();
            conn.query_row(
                "SELECT rootpage FROM sqlite_master WHERE name = ?1",
                [table],
                |row| row.get(0),
            )
            .unwrap()
        };
        let damaged = |table: &str| {
            std::fs::remove_file(&path).ok();
            {
                let ledger = Ledger::open(&path).unwrap();
                ledger
                    .conn
                    .pragma_update(None, "wal_checkpoint", "TRUNCATE")
                    .unwrap();
            }
            let page = root_of(table);
            let mut bytes = std::fs::read(&path).unwrap();
            let page_size = 16384;
            // The b-tree page's type byte (after the file header on page 1): none.
            let at = (page as usize - 1) * page_size + usize::from(page == 1) * 100;
            bytes[at] = 0x55;
            std::fs::write(&path, &bytes).unwrap();
            Ledger {
                conn: Connection::open(&path).unwrap(),
                path: path.clone(),
                wait: DEFAULT_WAIT,
                on_wait: None,
                author: None,
            }
        };
        let refused = |result: Result<(), StoreError>| {
            matches!(
                result,
                Err(StoreError::Damaged { .. }) | Err(StoreError::Sql(_))
            )
        };
        // A damaged page of a small table: refused, large or not.
        let ledger = damaged("files");
        assert!(refused(ledger.check_at_open(true)));
        assert!(refused(ledger.check_at_open(false)));
        // A damaged page of a big table: refused in a small ledger, left to `tally
        // verify` (and to SQLite, when a read or a write touches it) in a large one.
        let ledger = damaged("reports");
        assert!(ledger.check_at_open(true).is_ok());
        assert!(refused(ledger.check_at_open(false)));
        assert!(!matches!(ledger.integrity_check(), Ok(problems) if problems.is_empty()));
    }

    /// Issue 12: the digest a sound ledger's triggers are compared with at open is the
    /// one of the triggers the migrations make.
    #[test]
    fn the_expected_triggers_digest_is_the_migrations_one() {
        let mut expected = expected_triggers().unwrap();
        expected.sort();
        let digest = triggers_digest(
            expected
                .iter()
                .map(|(name, sql)| (name.as_str(), Some(sql.as_str()))),
        );
        assert_eq!(
            digest, EXPECTED_TRIGGERS_DIGEST,
            "set EXPECTED_TRIGGERS_DIGEST to the digest of the migrations' triggers"
        );
        // A ledger whose triggers differ is told what differs, as before.
        let ledger = Ledger::open_in_memory().unwrap();
        assert!(ledger.guard_problems().unwrap().is_empty());
        ledger
            .conn
            .execute_batch("DROP TRIGGER reports_are_append_only_delete")
            .unwrap();
        assert_eq!(
            ledger.guard_problems().unwrap(),
            vec!["trigger reports_are_append_only_delete is missing".to_string()]
        );
    }

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
