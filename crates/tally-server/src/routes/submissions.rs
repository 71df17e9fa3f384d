//! Public submissions and their review.
//!
//! - `POST /api/v1/submissions` (anyone, rate-limited per client): checked, stored as
//!   pending; it counts nowhere.
//! - `GET /api/v1/submissions?status=pending` (reviewer): the queue.
//! - `POST /api/v1/submissions/{id}/accept` (reviewer): appends the report, relinks.
//! - `POST /api/v1/submissions/{id}/reject` (reviewer): appends the outcome and reason.
//!
//! Accepting goes through the same pipeline as `tally ingest`: the submission becomes
//! one row of a reports CSV (publisher "public submission N", so two alike stay two),
//! read, resolved, appended and linked in one transaction. Its outcome is appended
//! after; if the process dies between the two, accepting again finds the row already
//! in the ledger (sources are content-addressed) and only records the outcome.

use super::ApiJson;
use crate::auth::{Caller, Role};
use crate::error::ApiError;
use crate::limit::client_addr;
use crate::state::AppState;
use crate::submission::{validate, Submission, SubmissionRequest};
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use tally_ingest::{Format, IngestOptions};
use tally_model::CodingRules;
use tally_pipeline::{ingest_file, IngestRequest};
use tally_store::{StoredSubmission, SubmissionStatus};
use utoipa::{IntoParams, ToSchema};

/// The answer to a submission: it waits for review.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubmissionReceipt {
    pub id: i64,
    /// Always `pending`.
    pub status: &'static str,
    /// False when the place did not resolve: the submission is kept, flagged for review.
    pub place_resolved: bool,
}

/// One submission in the review queue.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubmissionEntry {
    pub id: i64,
    pub received_at: String,
    /// `pending`, `accepted` or `rejected`.
    pub status: String,
    pub submission: Submission,
    pub reason: Option<String>,
    pub report_id: Option<i64>,
    pub decided_at: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SubmissionList {
    pub status: String,
    pub limit: usize,
    pub offset: usize,
    pub submissions: Vec<SubmissionEntry>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// pending (the default), accepted or rejected.
    pub status: Option<String>,
    /// At most this many (default 100, at most 1000).
    pub limit: Option<usize>,
    pub offset: Option<usize>,
}

/// A reviewer's word on a submission. A reason is required to reject.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewRequest {
    pub reason: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewResponse {
    pub id: i64,
    /// `accepted` or `rejected`.
    pub status: &'static str,
    /// The report an accepted submission became.
    pub report_id: Option<i64>,
    /// The event that report is part of now.
    pub event_id: Option<String>,
    pub reason: Option<String>,
}

/// Sends a report of a gathering for review.
#[utoipa::path(post, path = "/api/v1/submissions", tag = "submissions",
    request_body = SubmissionRequest,
    responses(
        (status = 202, description = "Stored as pending; counts nowhere until a reviewer accepts it", body = SubmissionReceipt),
        (status = 400, description = "Not JSON", body = crate::error::ErrorBody),
        (status = 403, description = "A read-only server", body = crate::error::ErrorBody),
        (status = 413, description = "Body over the limit", body = crate::error::ErrorBody),
        (status = 422, description = "Fails the checks; the message lists every problem", body = crate::error::ErrorBody),
        (status = 429, description = "Too many submissions from this client", body = crate::error::ErrorBody),
    ))]
pub async fn submit(
    State(state): State<AppState>,
    request: Request,
) -> Result<(StatusCode, Json<SubmissionReceipt>), ApiError> {
    if state.read_only() {
        return Err(ApiError::read_only());
    }
    // The limit comes before anything is read, so a flood costs little and writes
    // nothing.
    let (parts, body) = request.into_parts();
    let client = client_addr(&parts, state.config().trust_proxy);
    state
        .limiter()
        .check(client)
        .map_err(ApiError::rate_limited)?;
    let ApiJson(request) =
        <ApiJson<SubmissionRequest> as axum::extract::FromRequest<AppState>>::from_request(
            Request::from_parts(parts, body),
            &state,
        )
        .await?;
    let today = chrono::Utc::now().date_naive();
    let submission = validate(&request, today)
        .map_err(|problems| ApiError::unprocessable(problems.join("; ")))?;
    let body = serde_json::to_string(&submission).map_err(ApiError::internal)?;
    let place_resolved = submission.place_resolved;
    let max_pending = state.config().limits.max_pending_submissions;
    let id = state
        .write(None, move |ledger| {
            if ledger.pending_submissions()? >= max_pending {
                return Err(ApiError::rate_limited(60));
            }
            Ok(ledger.add_submission(chrono::Utc::now(), &body, place_resolved)?)
        })
        .await?;
    tracing::info!(submission = id, %client, "submission received");
    Ok((
        StatusCode::ACCEPTED,
        Json(SubmissionReceipt {
            id,
            status: "pending",
            place_resolved,
        }),
    ))
}

/// The review queue.
#[utoipa::path(get, path = "/api/v1/submissions", tag = "submissions",
    params(ListQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Submissions with this status, oldest first", body = SubmissionList),
        (status = 401, description = "No valid token", body = crate::error::ErrorBody),
        (status = 403, description = "Not a reviewer token", body = crate::error::ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    request: Request,
) -> Result<Json<SubmissionList>, ApiError> {
    caller.require(Role::Reviewer)?;
    let query: ListQuery = super::parse_query(request.uri())?;
    let status = match query.status.as_deref().unwrap_or("pending") {
        "pending" => SubmissionStatus::Pending,
        "accepted" => SubmissionStatus::Accepted,
        "rejected" => SubmissionStatus::Rejected,
        other => {
            return Err(ApiError::bad_request(format!(
                "status {other:?}: expected pending, accepted or rejected"
            )))
        }
    };
    let limit = query.limit.unwrap_or(100).clamp(1, 1000);
    let offset = query.offset.unwrap_or(0);
    let stored = state
        .read(move |ledger| Ok(ledger.submissions(status, limit, offset)?))
        .await?;
    let submissions = stored
        .into_iter()
        .map(entry)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Json(SubmissionList {
        status: status.as_str().to_string(),
        limit,
        offset,
        submissions,
    }))
}

fn entry(stored: StoredSubmission) -> Result<SubmissionEntry, ApiError> {
    let submission: Submission = serde_json::from_str(&stored.body)
        .map_err(|e| ApiError::internal(format!("submission {} cannot be read: {e}", stored.id)))?;
    Ok(SubmissionEntry {
        id: stored.id,
        received_at: stored.received_at,
        status: stored.status,
        submission,
        reason: stored.reason,
        report_id: stored.report_id,
        decided_at: stored.decided_at,
    })
}

fn parse_id(text: &str) -> Result<i64, ApiError> {
    text.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| ApiError::bad_request(format!("{text:?} is not a submission id")))
}

/// Accepts a submission: it becomes a report and joins (or makes) an event.
#[utoipa::path(post, path = "/api/v1/submissions/{id}/accept", tag = "submissions",
    params(("id" = i64, Path, description = "The submission's id")),
    request_body(content = Option<ReviewRequest>, description = "Optional: a note"),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Accepted: the report was appended and linked", body = ReviewResponse),
        (status = 401, description = "No valid token", body = crate::error::ErrorBody),
        (status = 403, description = "Not a reviewer token", body = crate::error::ErrorBody),
        (status = 404, description = "No such submission", body = crate::error::ErrorBody),
        (status = 409, description = "Already reviewed", body = crate::error::ErrorBody),
    ))]
pub async fn accept(
    State(state): State<AppState>,
    Path(id): Path<String>,
    caller: Caller,
    body: axum::body::Bytes,
) -> Result<Json<ReviewResponse>, ApiError> {
    caller.require(Role::Reviewer)?;
    let id = parse_id(&id)?;
    let review: ReviewRequest = if body.iter().all(u8::is_ascii_whitespace) {
        ReviewRequest::default()
    } else {
        super::parse_json(&body)?
    };
    let reason = review
        .reason
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty());
    let token = caller.token_id.clone();
    let response = state
        .write(Some(caller.token_id.clone()), move |ledger| {
            let stored = pending(ledger, id)?;
            let submission: Submission = serde_json::from_str(&stored.body)
                .map_err(|e| ApiError::internal(format!("submission {id}: {e}")))?;
            let origin = format!("submission:{id}");
            let bytes = reports_row(id, &submission)?;
            let request = IngestRequest {
                origin: &origin,
                bytes: bytes.as_slice().into(),
                options: IngestOptions {
                    format: Format::Reports,
                    date: None,
                    column_map: Vec::new(),
                    batch: None,
                    rules: CodingRules::default(),
                    received_at: chrono::Utc::now(),
                    limits: tally_ingest::InputLimits::default(),
                },
                strict: true,
            };
            let outcome = ingest_file(ledger, request, &mut |_| {})?;
            if let Some(reject) = outcome.rejected.first() {
                return Err(ApiError::internal(format!(
                    "submission {id} could not be read back as a report: {}",
                    reject.reason
                )));
            }
            let report_id = ledger.last_report_of_origin(&origin)?;
            ledger.decide_submission(
                id,
                SubmissionStatus::Accepted,
                reason.as_deref(),
                report_id,
                chrono::Utc::now(),
            )?;
            let event_id = match report_id {
                Some(report) => ledger
                    .event_of_report(tally_model::ReportId(report))?
                    .map(|e| e.0),
                None => None,
            };
            Ok(ReviewResponse {
                id,
                status: "accepted",
                report_id,
                event_id,
                reason,
            })
        })
        .await?;
    tracing::info!(submission = id, token = %token, report = ?response.report_id, "submission accepted");
    Ok(Json(response))
}

/// Rejects a submission, with a reason. It never counts anywhere.
#[utoipa::path(post, path = "/api/v1/submissions/{id}/reject", tag = "submissions",
    params(("id" = i64, Path, description = "The submission's id")),
    request_body = ReviewRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Rejected", body = ReviewResponse),
        (status = 401, description = "No valid token", body = crate::error::ErrorBody),
        (status = 403, description = "Not a reviewer token", body = crate::error::ErrorBody),
        (status = 404, description = "No such submission", body = crate::error::ErrorBody),
        (status = 409, description = "Already reviewed", body = crate::error::ErrorBody),
        (status = 422, description = "No reason given", body = crate::error::ErrorBody),
    ))]
pub async fn reject(
    State(state): State<AppState>,
    Path(id): Path<String>,
    caller: Caller,
    ApiJson(review): ApiJson<ReviewRequest>,
) -> Result<Json<ReviewResponse>, ApiError> {
    caller.require(Role::Reviewer)?;
    let id = parse_id(&id)?;
    let reason = review
        .reason
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty())
        .ok_or_else(|| ApiError::unprocessable("reason: required to reject a submission"))?;
    if reason.chars().count() > 2000 || reason.chars().any(|c| c.is_control() && c != '\n') {
        return Err(ApiError::unprocessable(
            "reason: at most 2000 characters, no control characters",
        ));
    }
    let token = caller.token_id.clone();
    let response = state
        .write(Some(caller.token_id.clone()), move |ledger| {
            pending(ledger, id)?;
            ledger.decide_submission(
                id,
                SubmissionStatus::Rejected,
                Some(&reason),
                None,
                chrono::Utc::now(),
            )?;
            Ok(ReviewResponse {
                id,
                status: "rejected",
                report_id: None,
                event_id: None,
                reason: Some(reason),
            })
        })
        .await?;
    tracing::info!(submission = id, token = %token, "submission rejected");
    Ok(Json(response))
}

/// The submission, if it exists and waits for review.
fn pending(ledger: &tally_store::Ledger, id: i64) -> Result<StoredSubmission, ApiError> {
    let stored = ledger
        .submission(id)?
        .ok_or_else(|| ApiError::not_found(format!("no submission {id}")))?;
    if stored.status != "pending" {
        return Err(ApiError::conflict(format!(
            "submission {id} was already {}",
            stored.status
        )));
    }
    Ok(stored)
}

/// The submission as one row of a reports CSV, for the pipeline to read.
fn reports_row(id: i64, s: &Submission) -> Result<Vec<u8>, ApiError> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let locality = s.locality.clone().unwrap_or_else(|| s.place.clone());
    let row = [
        s.date.to_string(),
        locality,
        s.state.clone().unwrap_or_default(),
        s.title.clone().unwrap_or_default(),
        s.size_low.to_string(),
        s.size_high.to_string(),
        s.size_text.clone().unwrap_or_default(),
        s.attribution.clone(),
        format!("public submission {id}"),
        s.url.clone().unwrap_or_default(),
    ];
    writer
        .write_record([
            "date",
            "locality",
            "state",
            "event",
            "size_low",
            "size_high",
            "size_text",
            "attribution",
            "publisher",
            "url",
        ])
        .and_then(|()| writer.write_record(&row))
        .map_err(ApiError::internal)?;
    writer.into_inner().map_err(ApiError::internal)
}
