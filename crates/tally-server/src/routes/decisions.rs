//! `POST /api/v1/decisions` (reviewer): merge, split or reject, as `tally link` records
//! them, answered with what `tally link --json` prints.

use super::ApiJson;
use crate::auth::{Caller, Role};
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use tally_pipeline::{record_decision, DecisionOutcome};
use utoipa::ToSchema;

/// A link decision: `{"kind": "merge", "ids": ["ev-…", "12"]}`,
/// `{"kind": "split", "report": 12}` or `{"kind": "reject", "report": 12}`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "lowercase", deny_unknown_fields)]
pub enum DecisionRequest {
    /// These events (`ev-…`) or reports (numbers, as text) are one gathering.
    Merge { ids: Vec<String> },
    /// This report is about a gathering of its own.
    Split { report: i64 },
    /// This report is not about a gathering, or is wrong.
    Reject { report: i64 },
}

/// What `tally link --json` prints after recording a decision.
#[derive(Debug, Serialize, ToSchema)]
pub struct DecisionResponse {
    pub claims: usize,
    /// The decision as stored (`{"decision": "merge", "reports": [...]}`).
    #[schema(value_type = Object)]
    pub decision: serde_json::Value,
    pub decision_id: Option<i64>,
    pub decisions: u64,
    pub events: usize,
    pub reports: u64,
}

impl DecisionResponse {
    fn from_outcome(outcome: DecisionOutcome) -> Result<DecisionResponse, ApiError> {
        Ok(DecisionResponse {
            claims: outcome.claims,
            decision: serde_json::to_value(&outcome.decision).map_err(ApiError::internal)?,
            decision_id: outcome.decision_id,
            decisions: outcome.decisions,
            events: outcome.events,
            reports: outcome.reports,
        })
    }
}

/// Records a link decision and rebuilds the events.
#[utoipa::path(post, path = "/api/v1/decisions", tag = "review",
    request_body = DecisionRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Recorded and applied", body = DecisionResponse),
        (status = 401, description = "No valid token", body = crate::error::ErrorBody),
        (status = 403, description = "Not a reviewer token, or a read-only server", body = crate::error::ErrorBody),
        (status = 422, description = "Names an event or report the ledger does not hold", body = crate::error::ErrorBody),
    ))]
pub async fn decide(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(request): ApiJson<DecisionRequest>,
) -> Result<Json<DecisionResponse>, ApiError> {
    caller.require(Role::Reviewer)?;
    let request = match request {
        DecisionRequest::Merge { ids } => tally_pipeline::DecisionRequest::Merge { ids },
        DecisionRequest::Split { report } => tally_pipeline::DecisionRequest::Split { report },
        DecisionRequest::Reject { report } => tally_pipeline::DecisionRequest::Reject { report },
    };
    let outcome = state
        .write(Some(caller.token_id.clone()), move |ledger| {
            Ok(record_decision(ledger, Some(request), chrono::Utc::now())?)
        })
        .await?;
    tracing::info!(token = %caller.token_id, decision = ?outcome.decision_id, "decision recorded");
    Ok(Json(DecisionResponse::from_outcome(outcome)?))
}
