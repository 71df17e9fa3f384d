//! `POST /api/v1/ingest` (curator): a file in the body, as `tally ingest FILE` takes it:
//! one transaction, and the answer `tally ingest --json` prints, rejected rows listed.

use crate::auth::{Caller, Role};
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::Json;
use serde::Deserialize;
use tally_ingest::{parse_column_map, Format, IngestOptions};
use tally_model::{CodingRules, Date};
use tally_pipeline::{ingest_file, FileOutcome, IngestRequest};
use utoipa::IntoParams;

/// The options of `tally ingest`, as query arguments.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct IngestQuery {
    /// The file's name (its origin in the ledger); the default names it by its hash.
    pub name: Option<String>,
    /// auto, dataset (ccc), sheet, reports or articles.
    pub format: Option<String>,
    /// The day of every row of a sheet without a date column; for articles, the
    /// publication date.
    #[param(value_type = Option<String>, format = Date)]
    pub date: Option<Date>,
    /// Which header plays which role in a sheet: `place=City,low=Estimate1`.
    pub map: Option<String>,
    /// The curated batch name of dataset and sheet rows.
    pub batch: Option<String>,
    /// Vague-size coding rules.
    pub rules: Option<String>,
    /// Refuse the whole file when any row is rejected.
    pub strict: Option<bool>,
}

/// Adds a file to the ledger, as `tally ingest` does.
#[utoipa::path(post, path = "/api/v1/ingest", tag = "curation",
    params(IngestQuery),
    request_body(content = String, description = "The file's bytes (CSV, text, HTML, RSS or Atom)", content_type = "application/octet-stream"),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The file was read; `rejected` lists rows left out, `landed` is false when --strict refused it", body = Object),
        (status = 401, description = "No valid token", body = crate::error::ErrorBody),
        (status = 403, description = "Not a curator token, or a read-only server", body = crate::error::ErrorBody),
        (status = 413, description = "Larger than the server's ingest limit", body = crate::error::ErrorBody),
        (status = 422, description = "The file cannot be read as the format asked", body = crate::error::ErrorBody),
    ))]
pub async fn ingest(
    State(state): State<AppState>,
    caller: Caller,
    request: Request,
) -> Result<Json<FileOutcome>, ApiError> {
    caller.require(Role::Curator)?;
    if state.read_only() {
        return Err(ApiError::read_only());
    }
    let query: IngestQuery = super::parse_query(request.uri())?;
    let format: Format = query
        .format
        .as_deref()
        .unwrap_or("auto")
        .parse()
        .map_err(|e: tally_ingest::IngestError| ApiError::unprocessable(e.to_string()))?;
    let rules = CodingRules::named(query.rules.as_deref().unwrap_or("design"))
        .map_err(|e| ApiError::unprocessable(e.to_string()))?;
    let column_map = match &query.map {
        Some(spec) => parse_column_map(spec).map_err(|e| ApiError::unprocessable(e.to_string()))?,
        None => Vec::new(),
    };
    let bytes = super::read_body(request, &state).await?;
    if bytes.is_empty() {
        return Err(ApiError::bad_request(
            "the request body is empty: send the file's bytes",
        ));
    }
    let origin = match query
        .name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        Some(name) if name.chars().count() <= 255 && !name.chars().any(char::is_control) => {
            name.to_string()
        }
        Some(_) => {
            return Err(ApiError::unprocessable(
                "name: at most 255 characters, no control characters",
            ))
        }
        None => format!("upload-{}", &blake3::hash(&bytes).to_hex()[..12]),
    };
    let options = IngestOptions {
        format,
        date: query.date,
        column_map,
        batch: query.batch.clone(),
        rules,
        received_at: chrono::Utc::now(),
        limits: tally_ingest::InputLimits::default(),
    };
    let strict = query.strict.unwrap_or(false);
    let token = caller.token_id.clone();
    let outcome = state
        .write(Some(caller.token_id.clone()), move |ledger| {
            let request = IngestRequest {
                origin: &origin,
                bytes: (&bytes[..]).into(),
                options,
                strict,
            };
            Ok(ingest_file(ledger, request, &mut |_| {})?)
        })
        .await?;
    tracing::info!(
        token = %token,
        file = %outcome.file,
        reports = outcome.reports_added,
        rejected = outcome.rejected.len(),
        "ingested"
    );
    Ok(Json(outcome))
}
