//! The ledger on PostgreSQL: the second backend behind [`LedgerBackend`], for shared
//! deployments (several curators and servers over one ledger).
//!
//! The guarantees are the SQLite ledger's, enforced by the database itself:
//! - Append-only: triggers refuse UPDATE, DELETE and TRUNCATE on sources, reports,
//!   decisions, submissions, tokens and their outcomes, from any client (`psql`
//!   included); a file record is sealed when its ingest commits (migration 0001 here).
//! - One file is one transaction: nothing of a file is visible before its commit, and a
//!   killed client's transaction is rolled back by the server.
//! - Numbered migrations (`pg/migrations/NNNN_*.sql`) are applied in one transaction each
//!   and recorded in `tally_migrations`.
//! - Writers take one advisory lock for the length of their transaction, so concurrent
//!   ingests land one after the other, each whole, and link exactly as if they had been
//!   run in turn (ids are handed out under the lock: the next number, as in SQLite).
//!   Readers never wait for it (MVCC).
//!
//! Readers set `default_transaction_read_only`, so a read-only handle cannot write even
//! by mistake. The driver is the synchronous `postgres` crate (tokio-postgres underneath),
//! one connection per handle; the server keeps a pool of handles.

mod events;
mod ingest;
mod locators;
mod rows;

use crate::access::{StoredSubmission, StoredToken, SubmissionStatus};
use crate::backend::{FileWrite, LedgerBackend};
use crate::copy::LedgerRows;
use crate::error::{pg_cause, StoreError};
use crate::events::KnownSums;
use crate::ingest::FileReceipt;
use crate::ledger::{decode_report, Access, Counts, OpenOptions, StoredDecision, StoredFile};
use crate::time::format_timestamp;
use postgres::error::SqlState;
use postgres::{Client, GenericClient, NoTls, Transaction};
use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tally_model::{
    Event, EventId, Report, ReportId, Selection, Source, SourceId, SourceKind, Timestamp,
};

/// Migrations by number; the schema version is the highest number applied.
const MIGRATIONS: &[(i32, &str)] = &[
    (1, include_str!("migrations/0001_ledger.sql")),
    (2, include_str!("migrations/0002_report_locators.sql")),
];

/// The PostgreSQL schema version this build writes.
pub const PG_SCHEMA_VERSION: i32 = MIGRATIONS[MIGRATIONS.len() - 1].0;

/// The advisory lock every writer holds for its transaction ("tally" in ASCII).
const WRITE_LOCK: i64 = 0x74_61_6c_6c_79;

/// The advisory lock that migrations run under, so that two first writers do not both
/// create the schema.
const MIGRATION_LOCK: i64 = 0x74_61_6c_6c_79_6d;

/// The triggers the migrations create, by table: a writer refuses a ledger that lacks
/// one (or has it disabled), as the SQLite ledger does.
const GUARDS: &[(&str, &str)] = &[
    ("sources", "sources_are_append_only"),
    ("sources", "sources_refuse_truncate"),
    ("reports", "reports_are_append_only"),
    ("reports", "reports_refuse_truncate"),
    ("decisions", "decisions_are_append_only"),
    ("decisions", "decisions_refuse_truncate"),
    ("submissions", "submissions_are_append_only"),
    ("submissions", "submissions_refuse_truncate"),
    (
        "submission_decisions",
        "submission_decisions_are_append_only",
    ),
    (
        "submission_decisions",
        "submission_decisions_refuse_truncate",
    ),
    ("tokens", "tokens_are_append_only"),
    ("tokens", "tokens_refuse_truncate"),
    ("token_revocations", "token_revocations_are_append_only"),
    ("token_revocations", "token_revocations_refuse_truncate"),
    ("files", "files_are_sealed"),
    ("files", "files_refuse_truncate"),
    ("meta", "meta_is_append_only"),
    ("meta", "meta_refuse_truncate"),
];

/// A ledger in a PostgreSQL database, through one connection.
pub struct PgLedger {
    /// The driver's calls take `&mut`; the ledger's reads take `&self`. A handle is used
    /// by one thread at a time (it is `Send`, not `Sync`), so a `RefCell` is enough.
    conn: RefCell<Client>,
    /// The URL without its password, for messages.
    path: PathBuf,
    wait: Duration,
    on_wait: Option<fn(&Path)>,
    author: Option<String>,
}

impl PgLedger {
    pub fn open_with(url: &Path, options: &OpenOptions) -> Result<PgLedger, StoreError> {
        let text = url.to_str().unwrap_or_default();
        let path = PathBuf::from(redact_password(text));
        let client = Client::connect(text, NoTls).map_err(|error| StoreError::Open {
            path: path.clone(),
            cause: pg_cause(&error),
        })?;
        let mut ledger = PgLedger {
            conn: RefCell::new(client),
            path,
            wait: options.wait,
            on_wait: options.on_wait,
            author: None,
        };
        ledger.setup(options)?;
        Ok(ledger)
    }

    fn setup(&mut self, options: &OpenOptions) -> Result<(), StoreError> {
        let conn = self.conn.get_mut();
        // Text is compared byte by byte, as SQLite does, whatever the database's locale.
        conn.batch_execute("SET client_encoding = 'UTF8'")?;
        let has_ledger: bool = conn
            .query_one("SELECT to_regclass('tally_migrations') IS NOT NULL", &[])?
            .get(0);
        if !has_ledger {
            let tables: i64 = conn
                .query_one(
                    "SELECT count(*) FROM information_schema.tables
                     WHERE table_schema = current_schema()",
                    &[],
                )?
                .get(0);
            if tables > 0 {
                return Err(StoreError::NotALedger {
                    path: self.path.clone(),
                });
            }
            if options.access == Access::Read || !options.create {
                return Err(StoreError::Missing {
                    path: self.path.clone(),
                });
            }
        }
        if options.access == Access::Write {
            self.migrate()?;
        }
        let found = self.schema_version_now()?;
        if found > i64::from(PG_SCHEMA_VERSION) {
            return Err(StoreError::TooNew {
                path: self.path.clone(),
                found,
                known: i64::from(PG_SCHEMA_VERSION),
            });
        }
        match options.access {
            Access::Read => {
                self.conn
                    .get_mut()
                    .batch_execute("SET default_transaction_read_only = on")?;
            }
            Access::Write => {
                let problems = self.guard_problems()?;
                if !problems.is_empty() {
                    return Err(StoreError::Unguarded {
                        path: self.path.clone(),
                        problems,
                    });
                }
            }
        }
        Ok(())
    }

    /// Applies every migration not yet recorded, each in its own transaction, under the
    /// migration lock.
    fn migrate(&mut self) -> Result<(), StoreError> {
        // Nothing to do is the common case, and it needs no right to create tables: the
        // day-to-day role (see the README) has none.
        let conn = self.conn.get_mut();
        let recorded: Vec<i32> = if conn
            .query_one("SELECT to_regclass('tally_migrations') IS NOT NULL", &[])?
            .get(0)
        {
            conn.query("SELECT number FROM tally_migrations", &[])?
                .iter()
                .map(|row| row.get(0))
                .collect()
        } else {
            Vec::new()
        };
        if MIGRATIONS
            .iter()
            .all(|(number, _)| recorded.contains(number))
        {
            return Ok(());
        }
        for (number, sql) in MIGRATIONS {
            let mut tx = conn.transaction()?;
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
            tx.batch_execute(
                "CREATE TABLE IF NOT EXISTS tally_migrations (
                     number     INTEGER PRIMARY KEY,
                     applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
                 )",
            )?;
            let applied = tx
                .query_opt(
                    "SELECT 1 FROM tally_migrations WHERE number = $1",
                    &[number],
                )?
                .is_some();
            if applied {
                continue;
            }
            tx.batch_execute(sql)?;
            tx.execute(
                "INSERT INTO tally_migrations (number) VALUES ($1)",
                &[number],
            )?;
            tx.commit()?;
        }
        Ok(())
    }

    fn schema_version_now(&mut self) -> Result<i64, StoreError> {
        let conn = self.conn.get_mut();
        let exists: bool = conn
            .query_one("SELECT to_regclass('tally_migrations') IS NOT NULL", &[])?
            .get(0);
        if !exists {
            return Ok(0);
        }
        let found: Option<i32> = conn
            .query_one("SELECT max(number) FROM tally_migrations", &[])?
            .get(0);
        Ok(i64::from(found.unwrap_or(0)))
    }

    /// Starts a write transaction holding the ledger's write lock, waiting for another
    /// writer (and saying so) up to the ledger's wait time.
    fn begin_write(&mut self) -> Result<Transaction<'_>, StoreError> {
        let path = self.path.clone();
        let wait = self.wait;
        let on_wait = self.on_wait;
        let mut tx = self.conn.get_mut().transaction()?;
        let got: bool = tx
            .query_one("SELECT pg_try_advisory_xact_lock($1)", &[&WRITE_LOCK])?
            .get(0);
        if got {
            return Ok(tx);
        }
        if let Some(notice) = on_wait {
            notice(&path);
        }
        let started = Instant::now();
        let busy = || StoreError::Busy {
            path: path.clone(),
            waited_secs: started.elapsed().max(wait).as_secs(),
        };
        if wait.is_zero() {
            return Err(busy());
        }
        // `lock_timeout` bounds the wait for an advisory lock too; LOCAL ends with the
        // transaction.
        tx.batch_execute(&format!(
            "SET LOCAL lock_timeout = '{}ms'",
            wait.as_millis().max(1)
        ))?;
        match tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK]) {
            Ok(_) => {
                tx.batch_execute("SET LOCAL lock_timeout = 0")?;
                Ok(tx)
            }
            Err(error) if error.code() == Some(&SqlState::LOCK_NOT_AVAILABLE) => Err(busy()),
            Err(error) => Err(error.into()),
        }
    }

    fn query(
        &self,
        sql: &str,
        params: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> Result<Vec<postgres::Row>, StoreError> {
        Ok(self.conn.borrow_mut().query(sql, params)?)
    }

    fn query_opt(
        &self,
        sql: &str,
        params: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> Result<Option<postgres::Row>, StoreError> {
        Ok(self.conn.borrow_mut().query_opt(sql, params)?)
    }

    fn count(&self, sql: &str) -> Result<i64, StoreError> {
        Ok(self.conn.borrow_mut().query_one(sql, &[])?.get(0))
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`.
fn redact_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _)) => format!("{scheme}://{user}:***@{host}{tail}"),
            None => url.to_string(),
        },
        None => url.to_string(),
    }
}

/// Reads reports through any client (the ledger's, or an open transaction's).
pub(crate) fn read_reports(
    conn: &mut impl GenericClient,
    condition: &str,
    params: &[&(dyn postgres::types::ToSql + Sync)],
) -> Result<Vec<Report>, StoreError> {
    let sql = format!("SELECT id, body FROM reports WHERE {condition} ORDER BY id");
    let rows = conn.query(sql.as_str(), params)?;
    let mut reports = Vec::with_capacity(rows.len());
    for row in rows {
        reports.push(decode_report(row.get(0), row.get(1))?);
    }
    Ok(reports)
}

pub(crate) fn read_decisions(
    conn: &mut impl GenericClient,
    as_of: Option<Timestamp>,
) -> Result<Vec<StoredDecision>, StoreError> {
    let cutoff = as_of.map(format_timestamp);
    let rows = conn.query(
        "SELECT id, made_at, kind, body FROM decisions
         WHERE $1::text IS NULL OR made_at <= $1 ORDER BY id",
        &[&cutoff],
    )?;
    Ok(rows
        .iter()
        .map(|row| StoredDecision {
            id: row.get(0),
            made_at: row.get(1),
            kind: row.get(2),
            body: row.get(3),
        })
        .collect())
}

const SUBMISSION_COLUMNS: &str = "s.id, s.received_at, s.body, s.place_resolved,
    coalesce(d.outcome, 'pending'), d.reason, d.report_id, d.decided_at";

fn read_submission(row: &postgres::Row) -> StoredSubmission {
    StoredSubmission {
        id: row.get(0),
        received_at: row.get(1),
        body: row.get(2),
        place_resolved: row.get(3),
        status: row.get(4),
        reason: row.get(5),
        report_id: row.get(6),
        decided_at: row.get(7),
    }
}

fn read_token(row: &postgres::Row) -> StoredToken {
    StoredToken {
        id: row.get(0),
        role: row.get(1),
        name: row.get(2),
        hash: row.get(3),
        created_at: row.get(4),
        revoked_at: row.get(5),
    }
}

impl LedgerBackend for PgLedger {
    fn path(&self) -> &Path {
        &self.path
    }

    fn backend_name(&self) -> &'static str {
        "postgres"
    }

    fn set_author(&mut self, token: Option<String>) {
        self.author = token;
    }

    fn schema_version(&self) -> Result<i64, StoreError> {
        let found: Option<i32> = self
            .conn
            .borrow_mut()
            .query_one("SELECT max(number) FROM tally_migrations", &[])?
            .get(0);
        Ok(i64::from(found.unwrap_or(0)))
    }

    fn record_demo_marker(&mut self) -> Result<(), StoreError> {
        let mut tx = self.begin_write()?;
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('demo', '1') ON CONFLICT (key) DO NOTHING",
            &[],
        )?;
        tx.commit()?;
        Ok(())
    }

    fn is_demo_ledger(&self) -> Result<bool, StoreError> {
        Ok(self.count("SELECT count(*) FROM meta WHERE key = 'demo'")? > 0)
    }

    fn rows_not_from(&self, origins: &[&str]) -> Result<Vec<String>, StoreError> {
        let mut found = Vec::new();
        let others: Vec<String> = self
            .query("SELECT origin FROM files ORDER BY id", &[])?
            .iter()
            .map(|row| row.get::<_, String>(0))
            .filter(|origin| !origins.contains(&origin.as_str()))
            .collect();
        if !others.is_empty() {
            found.push(crate::ledger::some_files(&others));
        }
        let mut loose = self.count("SELECT count(*) FROM sources WHERE file_id IS NULL")?;
        for row in self.query(
            "SELECT files.origin, count(*) FROM sources JOIN files ON files.id = sources.file_id
             GROUP BY files.origin",
            &[],
        )? {
            let origin: String = row.get(0);
            if !origins.contains(&origin.as_str()) {
                loose += row.get::<_, i64>(1);
            }
        }
        if loose > 0 && others.is_empty() {
            found.push(format!("{loose} sources of other origins"));
        }
        let tables: Vec<String> = self
            .query(
                "SELECT table_name::text FROM information_schema.tables
                 WHERE table_schema = current_schema()
                   AND table_name NOT IN ('meta', 'files', 'sources', 'reports', 'events',
                                          'tally_migrations')
                 ORDER BY table_name",
                &[],
            )?
            .iter()
            .map(|row| row.get(0))
            .collect();
        for table in tables {
            let rows = self.count(&format!(
                "SELECT count(*) FROM \"{}\"",
                table.replace('"', "\"\"")
            ))?;
            if rows > 0 {
                found.push(format!("{rows} rows in {table}"));
            }
        }
        Ok(found)
    }

    fn scan_sources_dyn(&self, f: &mut dyn FnMut(&str, &str, &str)) -> Result<(), StoreError> {
        // A portal reads the table in batches rather than all of it at once.
        let mut conn = self.conn.borrow_mut();
        let mut tx = conn.transaction()?;
        let portal = tx.bind("SELECT id, kind, content FROM sources ORDER BY row", &[])?;
        loop {
            let rows = tx.query_portal(&portal, 1000)?;
            if rows.is_empty() {
                break;
            }
            for row in &rows {
                f(row.get(0), row.get(1), row.get(2));
            }
        }
        tx.commit()?;
        Ok(())
    }

    fn orphan_reports(&self) -> Result<Vec<i64>, StoreError> {
        Ok(self
            .query(
                "SELECT id FROM reports r
                 WHERE NOT EXISTS (SELECT 1 FROM sources s WHERE s.row = r.source_row)
                 ORDER BY id",
                &[],
            )?
            .iter()
            .map(|row| row.get(0))
            .collect())
    }

    /// amcheck's B-tree check of every index of the ledger's tables, when the `amcheck`
    /// extension is installed in the database (a superuser installs it once:
    /// `CREATE EXTENSION amcheck`); otherwise a warning that it could not be run.
    fn integrity_check(&self) -> Result<Vec<String>, StoreError> {
        let installed =
            self.count("SELECT count(*) FROM pg_extension WHERE extname = 'amcheck'")?;
        if installed == 0 {
            tracing::warn!(
                "amcheck is not installed in {}, so its indexes were not checked (a superuser runs CREATE EXTENSION amcheck once)",
                self.path.display()
            );
            return Ok(Vec::new());
        }
        let mut problems = Vec::new();
        let indexes = self.query(
            "SELECT c.relname::text FROM pg_index i
             JOIN pg_class c ON c.oid = i.indexrelid
             JOIN pg_class t ON t.oid = i.indrelid
             JOIN pg_am a ON a.oid = c.relam
             WHERE t.relnamespace = current_schema()::regnamespace AND a.amname = 'btree'
             ORDER BY 1",
            &[],
        )?;
        for row in indexes {
            let name: String = row.get(0);
            let checked = self.conn.borrow_mut().execute(
                "SELECT bt_index_check(to_regclass($1)::oid, true)",
                &[&name],
            );
            match checked {
                Ok(_) => {}
                Err(error) if error.code() == Some(&SqlState::INSUFFICIENT_PRIVILEGE) => {
                    tracing::warn!(
                        "this role may not run amcheck in {}, so its indexes were not checked (run `tally verify` as the owner)",
                        self.path.display()
                    );
                    return Ok(Vec::new());
                }
                Err(error) => problems.push(format!("index {name}: {}", pg_cause(&error))),
            }
        }
        Ok(problems)
    }

    fn guard_problems(&self) -> Result<Vec<String>, StoreError> {
        let found = self.query(
            "SELECT c.relname::text, t.tgname::text, t.tgenabled::text
             FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
             WHERE c.relnamespace = current_schema()::regnamespace AND NOT t.tgisinternal",
            &[],
        )?;
        let mut problems = Vec::new();
        for (table, name) in GUARDS {
            let row = found
                .iter()
                .find(|row| row.get::<_, &str>(0) == *table && row.get::<_, &str>(1) == *name);
            match row {
                None => problems.push(format!("trigger {name} is missing")),
                Some(row) if row.get::<_, &str>(2) == "D" => {
                    problems.push(format!("trigger {name} is disabled"))
                }
                Some(_) => {}
            }
        }
        // The functions the triggers call must still refuse what they refused.
        let bodies = self.query(
            "SELECT proname::text, prosrc FROM pg_proc
             WHERE pronamespace = current_schema()::regnamespace
               AND proname IN ('tally_append_only', 'tally_files_are_sealed',
                               'tally_meta_is_append_only')",
            &[],
        )?;
        for function in [
            "tally_append_only",
            "tally_files_are_sealed",
            "tally_meta_is_append_only",
        ] {
            let body = bodies
                .iter()
                .find(|row| row.get::<_, &str>(0) == function)
                .map(|row| row.get::<_, String>(1));
            let expected = expected_function_body(function);
            match body {
                None => problems.push(format!("function {function} is missing")),
                Some(body) if Some(body.trim()) != expected.as_deref().map(str::trim) => {
                    problems.push(format!("function {function} was altered"))
                }
                Some(_) => {}
            }
        }
        Ok(problems)
    }

    fn counts(&self) -> Result<Counts, StoreError> {
        let row = self.conn.borrow_mut().query_one(
            "SELECT (SELECT count(*) FROM files), (SELECT count(*) FROM sources),
                    (SELECT count(*) FROM reports), (SELECT count(*) FROM decisions),
                    (SELECT count(*) FROM events)",
            &[],
        )?;
        Ok(Counts {
            files: row.get::<_, i64>(0) as u64,
            sources: row.get::<_, i64>(1) as u64,
            reports: row.get::<_, i64>(2) as u64,
            decisions: row.get::<_, i64>(3) as u64,
            events: row.get::<_, i64>(4) as u64,
        })
    }

    fn reports(&self, as_of: Option<Timestamp>) -> Result<Vec<Report>, StoreError> {
        let cutoff = as_of.map(format_timestamp);
        read_reports(
            &mut *self.conn.borrow_mut(),
            "$1::text IS NULL OR received_at <= $1",
            &[&cutoff],
        )
    }

    fn reports_by_id(&self, ids: &[ReportId]) -> Result<Vec<Report>, StoreError> {
        let numbers: Vec<i64> = ids.iter().map(|id| id.0).collect();
        let found = read_reports(&mut *self.conn.borrow_mut(), "id = ANY($1)", &[&numbers])?;
        // In the order asked, as the SQLite backend answers.
        let by_id: std::collections::HashMap<i64, Report> = found
            .into_iter()
            .filter_map(|r| r.id.map(|id| (id.0, r)))
            .collect();
        Ok(numbers
            .iter()
            .filter_map(|id| by_id.get(id).cloned())
            .collect())
    }

    fn source(&self, id: &SourceId) -> Result<Option<Source>, StoreError> {
        let Some(row) = self.query_opt(
            "SELECT kind, origin, locator, content, received_at FROM sources WHERE id = $1",
            &[&id.0],
        )?
        else {
            return Ok(None);
        };
        let corrupt = |reason: String| StoreError::Corrupt {
            what: "source",
            id: id.0.clone(),
            reason,
        };
        let kind: String = row.get(0);
        let received_at: String = row.get(4);
        let kind =
            SourceKind::parse(&kind).ok_or_else(|| corrupt(format!("unknown kind {kind:?}")))?;
        let received_at = crate::time::parse_timestamp(&received_at)
            .ok_or_else(|| corrupt(format!("bad receipt time {received_at:?}")))?;
        Ok(Some(Source {
            id: id.clone(),
            kind,
            origin: row.get(1),
            locator: row.get(2),
            content: row.get(3),
            received_at,
        }))
    }

    fn record_decision(
        &mut self,
        made_at: Timestamp,
        kind: &str,
        body: &str,
    ) -> Result<i64, StoreError> {
        let author = self.author.clone();
        let mut tx = self.begin_write()?;
        let id: i64 = tx
            .query_one(
                "INSERT INTO decisions (id, made_at, kind, body, token_id)
                 SELECT coalesce(max(id), 0) + 1, $1, $2, $3, $4 FROM decisions RETURNING id",
                &[&format_timestamp(made_at), &kind, &body, &author],
            )?
            .get(0);
        tx.commit()?;
        Ok(id)
    }

    fn decisions(&self, as_of: Option<Timestamp>) -> Result<Vec<StoredDecision>, StoreError> {
        read_decisions(&mut *self.conn.borrow_mut(), as_of)
    }

    fn files(&self) -> Result<Vec<StoredFile>, StoreError> {
        Ok(self
            .query(
                "SELECT id, origin, content_hash, format, received_at, rows_read, reports_added,
                        duplicates, rejected
                 FROM files ORDER BY id",
                &[],
            )?
            .iter()
            .map(|row| StoredFile {
                id: row.get(0),
                origin: row.get(1),
                content_hash: row.get(2),
                format: row.get(3),
                received_at: row.get(4),
                rows_read: row.get::<_, i64>(5) as u64,
                reports_added: row.get::<_, i64>(6) as u64,
                duplicates: row.get::<_, i64>(7) as u64,
                rejected: row.get::<_, i64>(8) as u64,
            })
            .collect())
    }

    fn begin_ingest<'a>(
        &'a mut self,
        receipt: &FileReceipt,
    ) -> Result<Box<dyn FileWrite + 'a>, StoreError> {
        let author = self.author.clone();
        let tx = self.begin_write()?;
        Ok(Box::new(ingest::PgIngestTx::begin(tx, receipt, author)?))
    }

    fn replace_events(&mut self, events: &[Event]) -> Result<(), StoreError> {
        let mut tx = self.begin_write()?;
        events::write_all_events(&mut tx, events)?;
        tx.commit()?;
        Ok(())
    }

    fn update_events(&mut self, removed: &[EventId], upserted: &[Event]) -> Result<(), StoreError> {
        let mut tx = self.begin_write()?;
        events::write_event_update(&mut tx, removed, upserted)?;
        tx.commit()?;
        Ok(())
    }

    fn events_in_any_order(&self, selection: &Selection) -> Result<Vec<Event>, StoreError> {
        events::events_in_any_order(&mut *self.conn.borrow_mut(), selection)
    }

    fn known_sums(&self, selection: &Selection) -> Result<KnownSums, StoreError> {
        events::known_sums(&mut *self.conn.borrow_mut(), selection)
    }

    fn event(&self, id: &EventId) -> Result<Option<Event>, StoreError> {
        events::event(&mut *self.conn.borrow_mut(), id)
    }

    fn event_of_report(&self, report: ReportId) -> Result<Option<EventId>, StoreError> {
        Ok(self
            .query_opt(
                "SELECT id FROM events WHERE ' ' || reports || ' ' LIKE '% ' || $1::text || ' %'
                 LIMIT 1",
                &[&report.0.to_string()],
            )?
            .map(|row| EventId(row.get(0))))
    }

    fn events_built_through(&self) -> Result<i64, StoreError> {
        events::meta_number(&mut *self.conn.borrow_mut(), "events_built_through")
    }

    fn last_report_id(&self) -> Result<i64, StoreError> {
        self.count("SELECT coalesce(max(id), 0) FROM reports")
    }

    fn last_decision_id(&self) -> Result<i64, StoreError> {
        self.count("SELECT coalesce(max(id), 0) FROM decisions")
    }

    fn events_are_stale(&self) -> Result<bool, StoreError> {
        // One statement, so one snapshot: a writer committing between two reads would
        // otherwise look like events left behind.
        let row = self.conn.borrow_mut().query_one(
            "SELECT (SELECT value FROM meta WHERE key = 'events_built_through'),
                    (SELECT value FROM meta WHERE key = 'events_built_with_decisions'),
                    (SELECT coalesce(max(id), 0) FROM reports),
                    (SELECT coalesce(max(id), 0) FROM decisions)",
            &[],
        )?;
        let marker = |index: usize| -> i64 {
            row.get::<_, Option<String>>(index)
                .and_then(|v| v.parse().ok())
                .unwrap_or(0)
        };
        Ok(marker(0) < row.get::<_, i64>(2) || marker(1) < row.get::<_, i64>(3))
    }

    fn add_token(
        &mut self,
        id: &str,
        role: &str,
        name: Option<&str>,
        hash: &str,
        created_at: Timestamp,
    ) -> Result<(), StoreError> {
        self.conn.get_mut().execute(
            "INSERT INTO tokens (id, role, name, hash, created_at) VALUES ($1, $2, $3, $4, $5)",
            &[&id, &role, &name, &hash, &format_timestamp(created_at)],
        )?;
        Ok(())
    }

    fn token(&self, id: &str) -> Result<Option<StoredToken>, StoreError> {
        Ok(self
            .query_opt(
                "SELECT t.id, t.role, t.name, t.hash, t.created_at, r.revoked_at
                 FROM tokens t LEFT JOIN token_revocations r ON r.token_id = t.id
                 WHERE t.id = $1",
                &[&id],
            )?
            .as_ref()
            .map(read_token))
    }

    fn tokens(&self) -> Result<Vec<StoredToken>, StoreError> {
        Ok(self
            .query(
                "SELECT t.id, t.role, t.name, t.hash, t.created_at, r.revoked_at
                 FROM tokens t LEFT JOIN token_revocations r ON r.token_id = t.id
                 ORDER BY t.created_at, t.id",
                &[],
            )?
            .iter()
            .map(read_token)
            .collect())
    }

    fn revoke_token(&mut self, id: &str, at: Timestamp) -> Result<bool, StoreError> {
        let added = self.conn.get_mut().execute(
            "INSERT INTO token_revocations (token_id, revoked_at, revoked_by)
             VALUES ($1, $2, $3) ON CONFLICT (token_id) DO NOTHING",
            &[&id, &format_timestamp(at), &self.author],
        )?;
        Ok(added == 1)
    }

    fn add_submission(
        &mut self,
        received_at: Timestamp,
        body: &str,
        place_resolved: bool,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin_write()?;
        let id: i64 = tx
            .query_one(
                "INSERT INTO submissions (id, received_at, body, place_resolved)
                 SELECT coalesce(max(id), 0) + 1, $1, $2, $3 FROM submissions RETURNING id",
                &[&format_timestamp(received_at), &body, &place_resolved],
            )?
            .get(0);
        tx.commit()?;
        Ok(id)
    }

    fn submission(&self, id: i64) -> Result<Option<StoredSubmission>, StoreError> {
        let sql = format!(
            "SELECT {SUBMISSION_COLUMNS} FROM submissions s
             LEFT JOIN submission_decisions d ON d.submission_id = s.id WHERE s.id = $1"
        );
        Ok(self.query_opt(&sql, &[&id])?.as_ref().map(read_submission))
    }

    fn submissions(
        &self,
        status: SubmissionStatus,
        limit: usize,
        offset: usize,
    ) -> Result<Vec<StoredSubmission>, StoreError> {
        let sql = format!(
            "SELECT {SUBMISSION_COLUMNS} FROM submissions s
             LEFT JOIN submission_decisions d ON d.submission_id = s.id
             WHERE coalesce(d.outcome, 'pending') = $1 ORDER BY s.id LIMIT $2 OFFSET $3"
        );
        Ok(self
            .query(&sql, &[&status.as_str(), &(limit as i64), &(offset as i64)])?
            .iter()
            .map(read_submission)
            .collect())
    }

    fn pending_submissions(&self) -> Result<u64, StoreError> {
        Ok(self.count(
            "SELECT count(*) FROM submissions s
             WHERE NOT EXISTS (SELECT 1 FROM submission_decisions d WHERE d.submission_id = s.id)",
        )? as u64)
    }

    fn decide_submission(
        &mut self,
        id: i64,
        status: SubmissionStatus,
        reason: Option<&str>,
        report_id: Option<i64>,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let added = self.conn.get_mut().execute(
            "INSERT INTO submission_decisions
                 (submission_id, outcome, reason, report_id, decided_at, token_id)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (submission_id) DO NOTHING",
            &[
                &id,
                &status.as_str(),
                &reason,
                &report_id,
                &format_timestamp(at),
                &self.author,
            ],
        )?;
        Ok(added == 1)
    }

    fn last_report_of_origin(&self, origin: &str) -> Result<Option<i64>, StoreError> {
        Ok(self
            .query_opt(
                "SELECT max(r.id) FROM reports r JOIN sources s ON s.row = r.source_row
                 WHERE s.origin = $1",
                &[&origin],
            )?
            .and_then(|row| row.get(0)))
    }

    fn file_author(&self, file_id: i64) -> Result<Option<String>, StoreError> {
        Ok(self
            .query_opt("SELECT token_id FROM files WHERE id = $1", &[&file_id])?
            .and_then(|row| row.get(0)))
    }

    fn decision_author(&self, decision_id: i64) -> Result<Option<String>, StoreError> {
        Ok(self
            .query_opt(
                "SELECT token_id FROM decisions WHERE id = $1",
                &[&decision_id],
            )?
            .and_then(|row| row.get(0)))
    }

    fn export_rows(&self) -> Result<LedgerRows, StoreError> {
        rows::export_rows(&mut *self.conn.borrow_mut())
    }

    fn for_each_slim_event_dyn(
        &self,
        selection: &Selection,
        each: &mut dyn FnMut(crate::events::SlimEvent<'_>),
    ) -> Result<usize, StoreError> {
        events::for_each_slim_event(&mut *self.conn.borrow_mut(), selection, each)
    }

    fn replace_locators(&mut self, locators: &[(ReportId, Vec<i64>)]) -> Result<(), StoreError> {
        let mut tx = self.begin_write()?;
        tx.execute("DELETE FROM report_locators", &[])?;
        locators::insert_locators(&mut tx, locators)?;
        tx.commit()?;
        Ok(())
    }

    fn reports_at_locators(&self, locators: &[i64]) -> Result<Vec<Report>, StoreError> {
        locators::reports_at_locators(&mut *self.conn.borrow_mut(), locators)
    }

    fn locators_missing(&self) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .borrow_mut()
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM reports) AND NOT EXISTS (SELECT 1 FROM report_locators)",
                &[],
            )?
            .get(0))
    }
}

/// The body of a guard function as the migrations write it, for comparison with what
/// the database holds.
fn expected_function_body(name: &str) -> Option<String> {
    let sql = MIGRATIONS.iter().map(|(_, sql)| *sql).collect::<String>();
    let start = sql.find(&format!("CREATE FUNCTION {name}()"))?;
    let rest = &sql[start..];
    let open = rest.find("$$")? + 2;
    let close = rest[open..].find("$$")? + open;
    Some(rest[open..close].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_stay_out_of_messages() {
        assert_eq!(
            redact_password("postgres://tally:s3cret@db.example/tally"),
            "postgres://tally:***@db.example/tally"
        );
        assert_eq!(
            redact_password("postgres://tally@localhost/tally?host=%2Ftmp"),
            "postgres://tally@localhost/tally?host=%2Ftmp"
        );
    }

    #[test]
    fn every_guard_function_is_found_in_the_migrations() {
        for name in [
            "tally_append_only",
            "tally_files_are_sealed",
            "tally_meta_is_append_only",
        ] {
            let body = expected_function_body(name).unwrap();
            assert!(body.contains("RAISE EXCEPTION"), "{name}: {body}");
        }
    }
}
