//! Errors of the ledger.

use std::path::PathBuf;

/// What to do about a damaged ledger, said once wherever it is needed.
pub const RECOVERY_ADVICE: &str = "run `tally verify` for the details; restore the ledger from a backup (pg_restore, for PostgreSQL), or salvage a SQLite ledger's rows with `sqlite3 LEDGER .recover | sqlite3 NEW.db`";

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The file cannot be opened as a ledger (no such folder, no permission, not a
    /// SQLite database). The cause is part of the message rather than a separate source,
    /// so that it is printed once.
    #[error("cannot open ledger {path}: {cause}")]
    Open { path: PathBuf, cause: String },
    /// A command that only reads was pointed at a file that does not exist: reading
    /// never creates a ledger (a typo in `--db` would otherwise print zero totals).
    #[error("no ledger at {path}: check --db or TALLY_DB (commands that read never create one)")]
    Missing { path: PathBuf },
    /// A SQLite database that some other program made: tally neither reads it nor adds
    /// its tables to it.
    #[error("{path} is a SQLite database but not a tally ledger; tally leaves it untouched")]
    NotALedger { path: PathBuf },
    #[error("ledger {path} has schema version {found}, newer than this tally knows ({known})")]
    TooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    /// SQLite's own check found damage: nothing is written to such a ledger.
    #[error("ledger {path} is damaged ({}); nothing was written. To recover: {RECOVERY_ADVICE}", summary(.problems))]
    Damaged {
        path: PathBuf,
        problems: Vec<String>,
    },
    /// The append-only guards were removed or altered by hand: the ledger refuses writes
    /// until they are back.
    #[error("ledger {path} has lost its append-only guards ({}); refusing to write. Its rows may have been rewritten: {RECOVERY_ADVICE}", .problems.join("; "))]
    Unguarded {
        path: PathBuf,
        problems: Vec<String>,
    },
    /// Another process held the write lock for longer than the wait allowed.
    #[error("ledger {path} is still being written by another process after {waited_secs} s; try again later, or wait longer with --wait SECONDS")]
    Busy { path: PathBuf, waited_secs: u64 },
    /// The cause is in the message and is not also a `source`, so that a chain printer
    /// (`{:#}`) says it once, not "no rows: no rows".
    #[error("ledger query failed: {0}")]
    Sql(rusqlite::Error),
    /// The same for PostgreSQL: the server's message, said once.
    #[error("ledger query failed: {0}")]
    Postgres(String),
    /// `tally migrate-ledger` copies only into a ledger that holds nothing yet.
    #[error("ledger {path} already holds rows; copy into a new, empty ledger")]
    NotEmpty { path: PathBuf },
    #[error("ledger holds a corrupt {what} {id}: {reason}")]
    Corrupt {
        what: &'static str,
        id: String,
        reason: String,
    },
    #[error("cannot encode {what}: {cause}")]
    Encode {
        what: &'static str,
        cause: serde_json::Error,
    },
}

impl StoreError {
    /// True when the user can fix it (the wrong file, a damaged or busy ledger), as
    /// opposed to a fault of tally's own.
    pub fn is_users_to_fix(&self) -> bool {
        !matches!(
            self,
            StoreError::Sql(_)
                | StoreError::Postgres(_)
                | StoreError::Encode { .. }
                | StoreError::Corrupt { .. }
        )
    }
}

/// The first few problems, and how many more.
fn summary(problems: &[String]) -> String {
    const SHOWN: usize = 3;
    let mut text = problems
        .iter()
        .take(SHOWN)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join("; ");
    if problems.len() > SHOWN {
        text.push_str(&format!("; and {} more", problems.len() - SHOWN));
    }
    text
}

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> StoreError {
        StoreError::Sql(error)
    }
}

impl From<postgres::Error> for StoreError {
    fn from(error: postgres::Error) -> StoreError {
        StoreError::Postgres(pg_cause(&error))
    }
}

/// A PostgreSQL error's own message (the server's, when it sent one), without the
/// driver's "db error" wrapping.
pub(crate) fn pg_cause(error: &postgres::Error) -> String {
    match error.as_db_error() {
        Some(db) => match db.detail() {
            Some(detail) => format!("{}: {detail}", db.message()),
            None => db.message().to_string(),
        },
        None => error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 13: a printer that walks the error chain must not repeat the cause.
    #[test]
    fn issue_13_causes_are_said_once() {
        let error = StoreError::from(rusqlite::Error::QueryReturnedNoRows);
        assert_eq!(
            error.to_string(),
            "ledger query failed: Query returned no rows"
        );
        assert!(std::error::Error::source(&error).is_none());
    }
}
