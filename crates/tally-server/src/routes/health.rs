//! `GET /healthz`: the server is up and its ledger answers.

use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// Always `ok` when the ledger answered.
    pub status: &'static str,
    pub read_only: bool,
    pub schema_version: i64,
    /// The ledger's last report and decision: what the ETags of read answers follow.
    pub last_report: i64,
    pub last_decision: i64,
}

/// Is the server up, and does its ledger answer?
#[utoipa::path(get, path = "/healthz", tag = "operations",
    responses((status = 200, description = "The ledger answers", body = Health)))]
pub async fn healthz(State(state): State<AppState>) -> Result<Json<Health>, ApiError> {
    let version = state.version()?;
    let schema_version = state.read_now(|ledger| Ok(ledger.schema_version()?))?;
    Ok(Json(Health {
        status: "ok",
        read_only: state.read_only(),
        schema_version,
        last_report: version.last_report,
        last_decision: version.last_decision,
    }))
}
