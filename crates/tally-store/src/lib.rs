//! The ledger: sources, reports and reviewer decisions, append-only, in embedded SQLite
//! or in PostgreSQL, and the events derived from them.
//!
//! This crate is the storage edge. It knows SQLite and JSON, and nothing of how reports
//! are parsed, linked or estimated: it stores model values and hands them back. Every
//! write of a file's rows happens in one transaction ([`IngestTx`]), so a killed process
//! leaves all or nothing of that file.

mod access;
mod backend;
mod compact;
mod copy;
mod error;
mod event_rows;
mod events;
mod events_aside;
mod ingest;
mod ledger;
mod link_rows;
mod locators;
mod pg;
mod read_ahead;
mod recent;
mod sqlite;
#[doc(hidden)]
pub mod testing;
mod time;

pub use access::{StoredSubmission, StoredToken, SubmissionStatus};
pub use backend::{is_postgres_url, FileWrite, IngestTx, Ledger, LedgerBackend};
pub use copy::LedgerRows;
pub use error::{StoreError, RECOVERY_ADVICE};
pub use event_rows::{EventRows, NumberedEvent};
pub use events::{KnownSums, SlimEvent};
pub use events_aside::{EventsAside, EventsWrittenAside};
pub use ingest::{AddOutcome, FileReceipt};
pub use ledger::{
    Access, Counts, Ledger as SqliteLedger, OpenOptions, StoredDecision, StoredFile, DEFAULT_WAIT,
    SCHEMA_VERSION,
};
pub use link_rows::{DayRange, FillLinkRows, LinkRow, PutLinkRow};
pub use pg::{PgLedger, PG_SCHEMA_VERSION};
pub use read_ahead::LinkingReader;
pub use time::{format_timestamp, parse_timestamp};
