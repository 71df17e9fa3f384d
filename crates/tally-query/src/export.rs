//! The rows of an export: the events a selection picks, each with its reports, in the
//! published dataset's layout (`tally export`, `GET /api/v1/export.csv|geojson`).

use crate::QueryError;
use tally_model::Selection;
use tally_publish::ExportRow;
use tally_store::Ledger;

/// The export rows of the events `selection` picks, ordered as `tally events` lists them.
pub fn export_rows(ledger: &Ledger, selection: &Selection) -> Result<Vec<ExportRow>, QueryError> {
    let events = tally_pipeline::events_for(ledger, selection)?;
    let mut rows = Vec::with_capacity(events.len());
    for event in &events {
        let reports = ledger.reports_by_id(&event.reports)?;
        rows.push(ExportRow::from(event).with_reports(&reports));
    }
    Ok(rows)
}
