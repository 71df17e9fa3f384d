//! Runs the pipeline's stages in order over the ledger: read a file (ingest or
//! extraction), resolve its places, append it in one transaction, and keep the derived
//! events current.
//!
//! The CLI and the server both call this crate; neither knows the order of the stages.
//! It holds no state of its own: everything lives in the [`Ledger`].

mod decide;
mod events;
mod ingest;
mod places;

pub use decide::{record_decision, DecisionOutcome, DecisionRequest};
pub use events::{decisions, events_for, events_for_totals, rebuild_events};
pub use ingest::{ingest_file, FileOutcome, IngestRequest, Progress};
pub use places::resolve_report_place;

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

/// Opens a ledger and makes sure its events are current.
pub fn open_ledger(path: &std::path::Path) -> Result<Ledger, PipelineError> {
    let mut ledger = Ledger::open(path)?;
    if ledger.events_are_stale()? {
        rebuild_events(&mut ledger)?;
    }
    Ok(ledger)
}
