//! Runs the pipeline's stages in order over the ledger: read a file (ingest or
//! extraction), resolve its places, append it in one transaction, and keep the derived
//! events current.
//!
//! The CLI and the server both call this crate; neither knows the order of the stages.
//! It holds no state of its own: everything lives in the [`Ledger`].

mod decide;
mod events;
mod ingest;
mod migrate;
mod places;
mod verify;

pub use decide::{record_decision, DecisionOutcome, DecisionRequest};
#[doc(hidden)]
pub use events::share_reads_ahead_from;
pub use events::{decisions, events_for, events_for_totals, rebuild_events, record_source};
pub use ingest::{ingest_file, FileOutcome, IngestRequest, Progress};
pub use migrate::{migrate_ledger, Migration};
pub use places::{load_gazetteer_ahead, resolve_report_place};
pub use verify::{verify_ledger, Verification};

use tally_store::Ledger;

#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// The file could not be read as the format asked: bad input.
    #[error(transparent)]
    Ingest(#[from] tally_ingest::IngestError),
    /// The articles could not be read: bad input.
    #[error("{origin}: {reason}")]
    Extract { origin: String, reason: String },
    #[error(transparent)]
    Store(#[from] tally_store::StoreError),
    #[error("ledger holds a decision {id} that cannot be read: {reason}")]
    BadDecision { id: i64, reason: String },
    /// A request that names something the ledger does not hold: bad input.
    #[error("{0}")]
    BadRequest(String),
}

impl PipelineError {
    /// True when the error is the input's fault (exit code 1), not ours.
    pub fn is_bad_input(&self) -> bool {
        matches!(
            self,
            PipelineError::Ingest(_) | PipelineError::Extract { .. } | PipelineError::BadRequest(_)
        )
    }
}

/// Opens a ledger for writing (creating it if needed) and makes sure its events are
/// current.
pub fn open_ledger(path: &std::path::Path) -> Result<Ledger, PipelineError> {
    open_ledger_with(path, &tally_store::OpenOptions::write())
}

/// Opens a ledger as `options` say. A writer rebuilds stale events (after a crash
/// between a write and its relink, or a decision recorded by hand); a reader never
/// writes, so it warns instead and reads the events as they are.
pub fn open_ledger_with(
    path: &std::path::Path,
    options: &tally_store::OpenOptions,
) -> Result<Ledger, PipelineError> {
    let mut ledger = options.open(path)?;
    if options.access == tally_store::Access::Write {
        events::file_missing_locators(&mut ledger)?;
    }
    if ledger.events_are_stale()? {
        match options.access {
            tally_store::Access::Write => {
                rebuild_events(&mut ledger)?;
            }
            tally_store::Access::Read => tracing::warn!(
                "the events of {} are older than its reports or decisions; `tally link` rebuilds them",
                path.display()
            ),
        }
    }
    Ok(ledger)
}
