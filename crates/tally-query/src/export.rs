//! The rows of an export: the events a selection picks, each with its reports, in the
//! published dataset's layout (`tally export`, `GET /api/v1/export.csv|geojson`).
//!
//! The cost follows the selection, not the ledger (issue 12): the selection is pushed
//! into SQL (`tally_store`'s selection filter), events are streamed in listing order a
//! batch at a time, and only the reports of each batch's events are read.

use crate::QueryError;
use std::collections::HashMap;
use std::ops::ControlFlow;
use tally_model::{Event, Report, ReportId, Selection};
use tally_publish::ExportRow;
use tally_store::Ledger;

/// Events whose reports are read together: large enough that reading reports by id
/// shares its statements and place lookups, small enough to hold little.
const BATCH_EVENTS: usize = 2_048;

/// The export rows of the events `selection` picks, ordered as `tally events` lists them.
pub fn export_rows(ledger: &Ledger, selection: &Selection) -> Result<Vec<ExportRow>, QueryError> {
    let mut rows = Vec::new();
    for_each_export_row(ledger, selection, |row| {
        rows.push(row);
        ControlFlow::Continue(())
    })?;
    Ok(rows)
}

/// Passes the export rows of the events `selection` picks to `each`, one at a time and
/// ordered as `tally events` lists them, holding only a batch of events and their
/// reports at once; stops when `each` breaks. Returns how many rows were passed.
///
/// With `as_of`, the events of the selection's days are linked as of then (see
/// `tally_pipeline::events_for`) and then passed the same way.
pub fn for_each_export_row(
    ledger: &Ledger,
    selection: &Selection,
    each: impl FnMut(ExportRow) -> ControlFlow<()>,
) -> Result<usize, QueryError> {
    let mut batches = Batches {
        ledger,
        batch: Vec::with_capacity(BATCH_EVENTS),
        each,
        passed: 0,
        failed: None,
    };
    let mut stopped = false;
    if selection.as_of.is_some() {
        for event in tally_pipeline::events_for(ledger, selection)? {
            if batches.take(event).is_break() {
                stopped = true;
                break;
            }
        }
    } else {
        let mut take = |event| {
            let flow = batches.take(event);
            stopped = flow.is_break();
            flow
        };
        ledger.for_each_event(selection, &mut take)?;
    }
    if !stopped {
        let _ = batches.flush();
    }
    match batches.failed {
        Some(error) => Err(error),
        None => Ok(batches.passed),
    }
}

/// Events gathered a batch at a time, each batch turned into rows and passed on.
struct Batches<'l, F> {
    ledger: &'l Ledger,
    batch: Vec<Event>,
    each: F,
    passed: usize,
    failed: Option<QueryError>,
}

impl<F: FnMut(ExportRow) -> ControlFlow<()>> Batches<'_, F> {
    fn take(&mut self, event: Event) -> ControlFlow<()> {
        self.batch.push(event);
        if self.batch.len() < BATCH_EVENTS {
            return ControlFlow::Continue(());
        }
        self.flush()
    }

    fn flush(&mut self) -> ControlFlow<()> {
        let rows = match rows_of(self.ledger, &self.batch) {
            Ok(rows) => rows,
            Err(error) => {
                self.failed = Some(error);
                return ControlFlow::Break(());
            }
        };
        self.batch.clear();
        for row in rows {
            self.passed += 1;
            if (self.each)(row).is_break() {
                return ControlFlow::Break(());
            }
        }
        ControlFlow::Continue(())
    }
}

/// The rows of a batch of events, their reports read in one call.
fn rows_of(ledger: &Ledger, events: &[Event]) -> Result<Vec<ExportRow>, QueryError> {
    let ids: Vec<ReportId> = events
        .iter()
        .flat_map(|e| e.reports.iter().copied())
        .collect();
    let mut reports: HashMap<ReportId, Report> = ledger
        .reports_by_id(&ids)?
        .into_iter()
        .filter_map(|r| Some((r.id?, r)))
        .collect();
    Ok(events
        .iter()
        .map(|event| {
            let own: Vec<Report> = event
                .reports
                .iter()
                .filter_map(|id| reports.remove(id))
                .collect();
            ExportRow::from(event).with_reports(&own)
        })
        .collect())
}
