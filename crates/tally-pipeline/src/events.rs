//! Keeping events current: rebuild them from reports and reviewer decisions, or
//! answer as of an earlier time by linking what was known then.

use crate::PipelineError;
use tally_link::{link_reports, report_locators, Decision, LinkConfig, LinkUpdate, ReportLookup};
use tally_model::{Event, EventId, Report, ReportId, Selection};
use tally_store::{IngestTx, Ledger, StoredDecision};

/// Rebuilds every event from the ledger's reports and decisions; returns how many.
///
/// The reports' locators are rewritten first (in their own transaction): events marked
/// current always stand on complete locators, and a crash in between leaves the events
/// stale, so the next writer comes back here.
pub fn rebuild_events(ledger: &mut Ledger) -> Result<usize, PipelineError> {
    let reports = ledger.reports(None)?;
    let decisions = decode_decisions(&ledger.decisions(None)?)?;
    ledger.replace_locators(&locators_of(&reports))?;
    let events = link_reports(&reports, &decisions, &LinkConfig::default());
    ledger.replace_events(&events)?;
    Ok(events.len())
}

/// Files every report under its locators when the ledger has none yet (it was written
/// before migration 0007); returns whether it did. The events stay as they are.
pub(crate) fn file_missing_locators(ledger: &mut Ledger) -> Result<bool, PipelineError> {
    if !ledger.locators_missing()? {
        return Ok(false);
    }
    let reports = ledger.reports(None)?;
    ledger.replace_locators(&locators_of(&reports))?;
    Ok(true)
}

/// Every report's locators, for the store to file it under.
fn locators_of(reports: &[Report]) -> Vec<(ReportId, Vec<i64>)> {
    reports
        .iter()
        .filter_map(|r| Some((r.id?, report_locators(r, &LinkConfig::default()))))
        .filter(|(_, locators)| !locators.is_empty())
        .collect()
}

/// Links a file's new reports with what the ledger held, inside the file's
/// transaction, and writes only the events that changed. The stored events are current
/// when a file starts (opening the ledger rebuilds stale ones), so relinking the blocks
/// the new reports touch, read from the ledger by day and place, gives the events a
/// full rebuild would (issue 12: the cost follows the file, not the ledger).
pub(crate) fn link_new_reports(
    tx: &IngestTx<'_>,
    new_reports: Vec<Report>,
) -> Result<(), PipelineError> {
    let decisions = decode_decisions(&tx.decisions()?)?;
    let started = std::time::Instant::now();
    let locators = locators_of(&new_reports);
    let mut lookup = TxLookup {
        tx,
        read: 0,
        events_read: 0,
    };
    let update = if tx.has_located_reports()? {
        tally_link::link_new_reports(&mut lookup, new_reports, decisions, &LinkConfig::default())?
    } else {
        // Nothing to link against: a full link of the new reports is the same answer
        // without asking the ledger for neighbours one locator at a time.
        LinkUpdate {
            removed: Vec::new(),
            upserted: link_reports(&new_reports, &decisions, &LinkConfig::default()),
        }
    };
    tracing::info!(
        elapsed = ?started.elapsed(),
        reports_read = lookup.read,
        events_read = lookup.events_read,
        events = update.upserted.len(),
        "linked in memory"
    );
    tx.update_events(&update.removed, &update.upserted)?;
    tx.record_locators(&locators)?;
    tracing::info!(elapsed = ?started.elapsed(), "events written");
    Ok(())
}

/// The ledger as the open transaction sees it, read by day and place for the linker.
struct TxLookup<'t, 'a> {
    tx: &'t IngestTx<'a>,
    /// How many reports were read, for the log.
    read: usize,
    /// How many stored events were read (those of large blocks), for the log.
    events_read: usize,
}

impl ReportLookup for TxLookup<'_, '_> {
    type Error = tally_store::StoreError;

    fn report_ids_at(&mut self, locators: &[i64]) -> Result<Vec<ReportId>, Self::Error> {
        self.tx.report_ids_at_locators(locators)
    }

    fn reports_by_id(&mut self, ids: &[ReportId]) -> Result<Vec<Report>, Self::Error> {
        let reports = self.tx.reports_with_ids(ids)?;
        self.read += reports.len();
        Ok(reports)
    }

    fn events_by_id(&mut self, ids: &[EventId]) -> Result<Vec<Event>, Self::Error> {
        let events = self.tx.events_by_id(ids)?;
        self.events_read += events.len();
        Ok(events)
    }
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
