//! Reviewer link decisions — merge, split, reject — checked against the ledger,
//! appended, and applied by rebuilding the events. Shared by `tally link` and the
//! server's `POST /api/v1/decisions`.

use crate::PipelineError;
use tally_link::Decision;
use tally_model::{EventId, ReportId, Timestamp};
use tally_store::Ledger;

/// A decision as a reviewer states it: events by id (`ev-...`) or reports by number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecisionRequest {
    /// These events or reports are one gathering.
    Merge { ids: Vec<String> },
    /// This report is about a gathering of its own.
    Split { report: i64 },
    /// This report is not about a gathering, or is wrong.
    Reject { report: i64 },
}

/// What recording a decision (or only rebuilding) did. Fields in alphabetical order,
/// as `tally link --json` has always printed them.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DecisionOutcome {
    /// Aggregate claims, kept apart from events.
    pub claims: usize,
    pub decision: Option<Decision>,
    pub decision_id: Option<i64>,
    /// Decisions in the ledger, this one included.
    pub decisions: u64,
    /// Events after the rebuild.
    pub events: usize,
    pub reports: u64,
}

/// Checks `request` against the ledger, appends it (with the ledger handle's author),
/// and relinks the blocks its reports are in so that it applies (the ledger's events
/// must be current, as opening it for writing makes them); with `None`, rebuilds every
/// event.
pub fn record_decision(
    ledger: &mut Ledger,
    request: Option<DecisionRequest>,
    at: Timestamp,
) -> Result<DecisionOutcome, PipelineError> {
    let decision = match request {
        None => None,
        Some(DecisionRequest::Merge { ids }) => {
            if ids.len() < 2 {
                return Err(PipelineError::BadRequest(
                    "a merge names at least two events or reports".into(),
                ));
            }
            let mut reports: Vec<ReportId> = Vec::new();
            for id in &ids {
                if let Ok(number) = id.trim().parse::<i64>() {
                    reports.push(known_report(ledger, number)?);
                    continue;
                }
                let event = ledger.event(&EventId(id.clone()))?.ok_or_else(|| {
                    PipelineError::BadRequest(format!("no event {id:?} in the ledger"))
                })?;
                reports.extend(event.reports);
            }
            reports.sort();
            reports.dedup();
            Some(Decision::Merge { reports })
        }
        Some(DecisionRequest::Split { report }) => Some(Decision::Split {
            report: known_report(ledger, report)?,
        }),
        Some(DecisionRequest::Reject { report }) => Some(Decision::Reject {
            report: known_report(ledger, report)?,
        }),
    };
    let (decision_id, events) = match &decision {
        Some(d) => {
            let kind = match d {
                Decision::Merge { .. } => "merge",
                Decision::Split { .. } => "split",
                Decision::Reject { .. } => "reject",
            };
            let body = serde_json::to_string(d).map_err(|e| PipelineError::BadDecision {
                id: 0,
                reason: e.to_string(),
            })?;
            if ledger.events_are_stale()? {
                // Stored events that are not current cannot be updated in part.
                let id = ledger.record_decision(at, kind, &body)?;
                (Some(id), Some(crate::rebuild_events(ledger)?))
            } else {
                // Only the blocks the decision's reports are in are relinked (issue 12).
                let id = crate::events::apply_decision(ledger, d, at, kind, &body)?;
                (Some(id), None)
            }
        }
        None => (None, Some(crate::rebuild_events(ledger)?)),
    };
    let counts = ledger.counts()?;
    let events = events.unwrap_or(counts.events as usize);
    let claims = ledger
        .claim_reports(&tally_model::Selection::default())?
        .len();
    Ok(DecisionOutcome {
        claims,
        decision,
        decision_id,
        decisions: counts.decisions,
        events,
        reports: counts.reports,
    })
}

fn known_report(ledger: &Ledger, number: i64) -> Result<ReportId, PipelineError> {
    if ledger.reports_by_id(&[ReportId(number)])?.is_empty() {
        return Err(PipelineError::BadRequest(format!(
            "no report {number} in the ledger"
        )));
    }
    Ok(ReportId(number))
}
