//! Keeping events current: rebuild them from reports and reviewer decisions, or
//! answer as of an earlier time by linking what was known then.

use crate::PipelineError;
use tally_link::{link_reports, Decision, LinkConfig};
use tally_model::{Event, Selection};
use tally_store::{IngestTx, Ledger, StoredDecision};

/// Rebuilds every event from the ledger's reports and decisions; returns how many.
pub fn rebuild_events(ledger: &mut Ledger) -> Result<usize, PipelineError> {
    let reports = ledger.reports(None)?;
    let decisions = decode_decisions(&ledger.decisions(None)?)?;
    let events = link_reports(&reports, &decisions, &LinkConfig::default());
    ledger.replace_events(&events)?;
    Ok(events.len())
}

/// The same, inside a file's transaction.
pub(crate) fn rebuild_events_in(tx: &IngestTx<'_>) -> Result<usize, PipelineError> {
    let reports = tx.reports()?;
    let decisions = decode_decisions(&tx.decisions()?)?;
    let events = link_reports(&reports, &decisions, &LinkConfig::default());
    tx.replace_events(&events)?;
    Ok(events.len())
}

/// The reviewer decisions made up to `as_of` (all when `None`).
pub fn decisions(
    ledger: &Ledger,
    as_of: Option<tally_model::Timestamp>,
) -> Result<Vec<Decision>, PipelineError> {
    decode_decisions(&ledger.decisions(as_of)?)
}

/// The events a selection picks. With `as_of`, events are linked afresh from the
/// reports and decisions known at that time, since the stored events are today's.
pub fn events_for(ledger: &Ledger, selection: &Selection) -> Result<Vec<Event>, PipelineError> {
    let Some(as_of) = selection.as_of else {
        return Ok(ledger.events(selection)?);
    };
    let reports = ledger.reports(Some(as_of))?;
    let decisions = decisions(ledger, Some(as_of))?;
    let mut events = link_reports(&reports, &decisions, &LinkConfig::default());
    events.retain(|event| selection.matches(event));
    Ok(events)
}

fn decode_decisions(stored: &[StoredDecision]) -> Result<Vec<Decision>, PipelineError> {
    stored
        .iter()
        .map(|d| {
            serde_json::from_str(&d.body).map_err(|e| PipelineError::BadDecision {
                id: d.id,
                reason: e.to_string(),
            })
        })
        .collect()
}
