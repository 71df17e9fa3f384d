//! Keeping events current: rebuild them from reports and reviewer decisions, or
//! answer as of an earlier time by linking what was known then.

use crate::PipelineError;
use tally_link::{link_reports, Decision, LinkConfig, LinkUpdate, Linker};
use tally_model::{Event, Report, Selection};
use tally_store::{IngestTx, Ledger, StoredDecision};

/// Rebuilds every event from the ledger's reports and decisions; returns how many.
pub fn rebuild_events(ledger: &mut Ledger) -> Result<usize, PipelineError> {
    let reports = ledger.reports(None)?;
    let decisions = decode_decisions(&ledger.decisions(None)?)?;
    let events = link_reports(&reports, &decisions, &LinkConfig::default());
    ledger.replace_events(&events)?;
    Ok(events.len())
}

/// Links a file's new reports with what the ledger held, inside the file's
/// transaction, and writes only the events that changed. The stored events are current
/// when a file starts (opening the ledger rebuilds stale ones), so the linker's view
/// before the new reports equals the stored events.
pub(crate) fn link_new_reports(
    tx: &IngestTx<'_>,
    new_reports: Vec<Report>,
) -> Result<(), PipelineError> {
    let existing = tx.reports_before_this_file()?;
    let decisions = decode_decisions(&tx.decisions()?)?;
    let started = std::time::Instant::now();
    let update = if existing.is_empty() {
        // Nothing to link against: a full link of the new reports is the same answer
        // without the incremental bookkeeping.
        LinkUpdate {
            removed: Vec::new(),
            upserted: link_reports(&new_reports, &decisions, &LinkConfig::default()),
        }
    } else {
        Linker::with_reports(LinkConfig::default(), decisions, existing).add_reports(new_reports)
    };
    tracing::info!(elapsed = ?started.elapsed(), events = update.upserted.len(), "linked in memory");
    tx.update_events(&update.removed, &update.upserted)?;
    tracing::info!(elapsed = ?started.elapsed(), "events written");
    Ok(())
}

/// The reviewer decisions made up to `as_of` (all when `None`).
pub fn decisions(
    ledger: &Ledger,
    as_of: Option<tally_model::Timestamp>,
) -> Result<Vec<Decision>, PipelineError> {
    decode_decisions(&ledger.decisions(as_of)?)
}

/// The events a selection picks, ordered by date, state, locality and id. With
/// `as_of`, events are linked afresh from the reports and decisions known at that time,
/// since the stored events are today's.
pub fn events_for(ledger: &Ledger, selection: &Selection) -> Result<Vec<Event>, PipelineError> {
    let Some(as_of) = selection.as_of else {
        return Ok(ledger.events(selection)?);
    };
    events_as_of(ledger, selection, as_of)
}

/// The same events in no particular order: cheaper, for totals.
pub fn events_for_totals(
    ledger: &Ledger,
    selection: &Selection,
) -> Result<Vec<Event>, PipelineError> {
    match selection.as_of {
        None => Ok(ledger.events_in_any_order(selection)?),
        Some(as_of) => events_as_of(ledger, selection, as_of),
    }
}

fn events_as_of(
    ledger: &Ledger,
    selection: &Selection,
    as_of: tally_model::Timestamp,
) -> Result<Vec<Event>, PipelineError> {
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
