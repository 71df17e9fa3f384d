//! Errors of the ledger.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The file cannot be opened as a ledger (no such folder, no permission, not a
    /// SQLite database). The cause is part of the message rather than a separate source,
    /// so that it is printed once.
    #[error("cannot open ledger {path}: {cause}")]
    Open { path: PathBuf, cause: String },
    #[error("ledger {path} has schema version {found}, newer than this tally knows ({known})")]
    TooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    /// The cause is in the message and is not also a `source`, so that a chain printer
    /// (`{:#}`) says it once, not "no rows: no rows".
    #[error("ledger query failed: {0}")]
    Sql(rusqlite::Error),
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

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> StoreError {
        StoreError::Sql(error)
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
