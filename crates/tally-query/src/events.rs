//! The events a selection picks, and one event with every report and its source.

use crate::{bad_input, QueryError};
use serde::Serialize;
use std::ops::ControlFlow;
use tally_estimate::{ranges_by_class, RangesByClass};
use tally_model::{Event, EventId, Report, Selection, Source};
use tally_store::Ledger;

/// `tally events`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventsRequest {
    pub selection: Selection,
    /// At most this many events (all when `None`).
    pub limit: Option<usize>,
    /// Skip this many first.
    pub offset: usize,
}

/// Answers `tally events`: ordered by date, state, locality and id. The events are
/// streamed in that order and reading stops after the last one asked for (issue 12).
pub fn events(ledger: &Ledger, request: &EventsRequest) -> Result<Vec<Event>, QueryError> {
    if request.selection.as_of.is_some() {
        let mut events = tally_pipeline::events_for(ledger, &request.selection)?;
        events.drain(..request.offset.min(events.len()));
        if let Some(limit) = request.limit {
            events.truncate(limit);
        }
        return Ok(events);
    }
    let mut events = Vec::new();
    let mut skipped = 0;
    let wanted = request.limit.unwrap_or(usize::MAX);
    ledger.for_each_event(&request.selection, |event| {
        if skipped < request.offset {
            skipped += 1;
        } else if events.len() < wanted {
            events.push(event);
        }
        if events.len() >= wanted {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    })?;
    Ok(events)
}

/// One report of an event with its source, verbatim.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportWithSource {
    pub report: Report,
    pub source: Option<Source>,
    /// An article source's text as read (headline, then body, markup and boilerplate
    /// removed); the source itself keeps the bytes verbatim.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub article_text: Option<String>,
}

/// `tally event ID`: the event and every report with its source.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventAnswer {
    pub event: Event,
    /// The range each attribution class gives, beside the event's overall range.
    pub by_class: RangesByClass,
    pub reports: Vec<ReportWithSource>,
}

/// Answers `tally event ID`; an id the ledger does not hold is bad input.
pub fn event(ledger: &Ledger, id: &str) -> Result<EventAnswer, QueryError> {
    let event = ledger
        .event(&EventId(id.to_string()))?
        .ok_or_else(|| bad_input(format!("no event {id:?} in {}", ledger.path().display())))?;
    let reports = ledger.reports_by_id(&event.reports)?;
    let by_class = ranges_by_class(&reports);
    let mut entries = Vec::with_capacity(reports.len());
    for report in reports {
        let source = ledger.source(&report.source_id)?;
        let article_text = source
            .as_ref()
            .filter(|s| s.kind == tally_model::SourceKind::Article)
            .map(tally_extract::article_text);
        entries.push(ReportWithSource {
            report,
            source,
            article_text,
        });
    }
    Ok(EventAnswer {
        event,
        by_class,
        reports: entries,
    })
}
