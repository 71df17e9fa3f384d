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
    #[error("ledger query failed: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("ledger holds a corrupt {what} {id}: {reason}")]
    Corrupt {
        what: &'static str,
        id: String,
        reason: String,
    },
    #[error("cannot encode {what}: {source}")]
    Encode {
        what: &'static str,
        source: serde_json::Error,
    },
}
