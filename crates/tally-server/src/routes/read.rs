//! The public reads: each answers exactly what the CLI prints with `--json` for the
//! same arguments, from the same `tally-query` call, byte for byte (pretty JSON and a
//! final newline). Answers are cached per ledger version and URL, with an ETag.
//!
//! | endpoint | the CLI |
//! |---|---|
//! | `GET /api/v1/estimate?date=…` | `tally estimate --date … --json` |
//! | `GET /api/v1/events?…&limit=&offset=` | `tally events … --limit … --offset … --json` |
//! | `GET /api/v1/events/{id}` | `tally event ID --json` |
//! | `GET /api/v1/check?claim=…` | `tally check "…" --json` |
//! | `GET /api/v1/compare?a=&b=` | `tally compare A B --json` |
//! | `GET /api/v1/export.csv`, `.geojson` | `tally export --format csv|geojson` |

use crate::cache::{cached_read, Answer};
use crate::error::ApiError;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, Uri};
use axum::response::Response;
use serde::Deserialize;
use tally_model::Date;
use tally_query::{
    CheckRequest, CompareRequest, EstimateRequest, EventsRequest, ModelOptions, QueryError,
    SelectionInput,
};
use utoipa::IntoParams;

/// Events per page when `limit` is not given, and the most a page may hold.
const DEFAULT_PAGE: usize = 100;
const MAX_PAGE: usize = 1000;
/// The most bootstrap replicates a request may ask for (the CLI takes more).
const MAX_REPLICATES: usize = 5000;

/// A query-string struct with the selection arguments every read takes, plus its own.
macro_rules! selection_query {
    ($(#[$meta:meta])* $name:ident { $($(#[$fmeta:meta])* $field:ident : $ty:ty,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Default, Deserialize, IntoParams)]
        #[serde(deny_unknown_fields)]
        #[into_params(parameter_in = Query)]
        pub struct $name {
            /// One day, YYYY-MM-DD (`--date`).
            pub date: Option<String>,
            /// First day, inclusive (`--from`).
            pub from: Option<String>,
            /// Last day, inclusive (`--to`).
            pub to: Option<String>,
            /// State or territory: postal code or name (`--state`).
            pub state: Option<String>,
            /// Locality name, case-insensitive (`--locality`).
            pub locality: Option<String>,
            /// Words in the title, organizers or type (`--match`).
            #[serde(rename = "match")]
            pub text: Option<String>,
            /// Kind of event: protest, march, rally, parade, ... (`--type`).
            #[serde(rename = "type")]
            pub event_type: Option<String>,
            /// Answer from what the ledger knew at this time (`--as-of`).
            pub as_of: Option<String>,
            $($(#[$fmeta])* pub $field: $ty,)*
        }

        impl $name {
            fn selection(&self) -> Result<tally_model::Selection, ApiError> {
                let input = SelectionInput {
                    date: parse_date("date", &self.date)?,
                    from: parse_date("from", &self.from)?,
                    to: parse_date("to", &self.to)?,
                    state: self.state.clone(),
                    locality: self.locality.clone(),
                    text: self.text.clone(),
                    event_type: self.event_type.clone(),
                    as_of: self.as_of.clone(),
                };
                if input.date.is_some() && (input.from.is_some() || input.to.is_some()) {
                    return Err(ApiError::bad_request("date cannot be combined with from or to"));
                }
                input.to_selection().map_err(query_error)
            }
        }
    };
}

selection_query!(
    /// `tally estimate`'s flags.
    EstimateQuery {
        /// Break the totals down by state, locality or date (`--by`).
        by: Option<String>,
        /// Only counts and known sums (`--no-impute`).
        no_impute: Option<bool>,
        /// Bootstrap replicates (`--replicates`, default 500).
        replicates: Option<usize>,
        /// Bootstrap seed (`--seed`).
        seed: Option<u64>,
        /// The selection is known to hold this many events (`--expected-events`).
        expected_events: Option<usize>,
        /// Extrapolate to the event count of stored aggregate claims (`--extrapolate`).
        extrapolate: Option<bool>,
    }
);

selection_query!(
    /// `tally events`' flags, and a page.
    EventsQuery {
        /// Events per page (default 100, at most 1000).
        limit: Option<usize>,
        /// Events to skip.
        offset: Option<usize>,
    }
);

selection_query!(
    /// `tally check`'s flags.
    CheckQuery {
        /// The claim: "over 5 million people in over 2,000 places".
        claim: Option<String>,
        /// Below this share of events with a size, participant claims are
        /// insufficient_evidence (`--min-coverage`, default 0.2).
        min_coverage: Option<f64>,
        /// How many events the selection had in the world (`--expected-events`).
        expected_events: Option<usize>,
        /// The ledger holds every event of the selection (`--complete`).
        complete: Option<bool>,
        /// Who makes the claim, when its words do not say (`--claimant`): police,
        /// officials, organizers, media, researchers or participants.
        claimant: Option<String>,
        replicates: Option<usize>,
        seed: Option<u64>,
    }
);

selection_query!(
    /// `tally compare`'s arguments; the selection arguments are defaults for both sides.
    CompareQuery {
        /// The first selection: "key=value,..." or words to match.
        a: Option<String>,
        /// The second selection.
        b: Option<String>,
        replicates: Option<usize>,
        seed: Option<u64>,
    }
);

selection_query!(
    /// `tally export`'s selection.
    ExportQuery {}
);

fn parse_date(name: &str, value: &Option<String>) -> Result<Option<Date>, ApiError> {
    match value.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => text.parse::<Date>().map(Some).map_err(|_| {
            ApiError::bad_request(format!("{name} {text:?}: expected a date, YYYY-MM-DD"))
        }),
    }
}

fn model(replicates: Option<usize>, seed: Option<u64>) -> Result<ModelOptions, ApiError> {
    let defaults = ModelOptions::default();
    let replicates = replicates.unwrap_or(defaults.replicates);
    if replicates > MAX_REPLICATES {
        return Err(ApiError::unprocessable(format!(
            "replicates: at most {MAX_REPLICATES} here (the command line takes more)"
        )));
    }
    Ok(ModelOptions {
        replicates,
        seed: seed.unwrap_or(defaults.seed),
    })
}

/// A question the request got wrong is the client's (422); anything else is ours.
fn query_error(error: QueryError) -> ApiError {
    if error.is_bad_input() {
        ApiError::unprocessable(error.to_string())
    } else {
        ApiError::internal(error)
    }
}

fn cache_key(uri: &Uri) -> String {
    uri.path_and_query()
        .map(|pq| pq.as_str().to_string())
        .unwrap_or_else(|| uri.path().to_string())
}

/// Totals for a selection.
#[utoipa::path(get, path = "/api/v1/estimate", tag = "read",
    params(EstimateQuery),
    responses(
        (status = 200, description = "What `tally estimate … --json` prints: events, events_with_size, coverage, localities, states, known_low, known_high, imputed, baseline, population, per_capita, known_midpoint, and `by` rows when asked", body = Object),
        (status = 304, description = "Unchanged since the ETag in If-None-Match"),
        (status = 400, description = "A malformed or unknown argument", body = crate::error::ErrorBody),
        (status = 422, description = "An argument the question cannot use (an unknown state, `by`)", body = crate::error::ErrorBody),
    ))]
pub async fn estimate(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let query: EstimateQuery = super::parse_query(&uri)?;
    let by = match query.by.as_deref() {
        Some(text) => Some(
            text.parse()
                .map_err(|e| ApiError::unprocessable(format!("by: {e}")))?,
        ),
        None => None,
    };
    let no_impute = query.no_impute.unwrap_or(false);
    if no_impute && by.is_some() {
        return Err(ApiError::unprocessable(
            "by cannot be combined with no_impute",
        ));
    }
    let request = EstimateRequest {
        selection: query.selection()?,
        by,
        no_impute,
        model: model(query.replicates, query.seed)?,
        expected_events: query.expected_events,
        extrapolate: query.extrapolate.unwrap_or(false),
    };
    cached_read(&state, cache_key(&uri), &headers, move |ledger| {
        Answer::json(&tally_query::estimate(ledger, &request).map_err(query_error)?)
    })
    .await
}

/// The events a selection picks, a page at a time.
#[utoipa::path(get, path = "/api/v1/events", tag = "read",
    params(EventsQuery),
    responses(
        (status = 200, description = "What `tally events … --limit L --offset O --json` prints: an array of events. A `Link: <…>; rel=\"next\"` header points at the next page when this one is full", body = [Object]),
        (status = 304, description = "Unchanged since the ETag in If-None-Match"),
        (status = 400, description = "A malformed or unknown argument", body = crate::error::ErrorBody),
        (status = 422, description = "An argument the question cannot use", body = crate::error::ErrorBody),
    ))]
pub async fn events(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let query: EventsQuery = super::parse_query(&uri)?;
    let limit = query.limit.unwrap_or(DEFAULT_PAGE);
    if limit == 0 || limit > MAX_PAGE {
        return Err(ApiError::bad_request(format!(
            "limit: between 1 and {MAX_PAGE}"
        )));
    }
    let offset = query.offset.unwrap_or(0);
    let request = EventsRequest {
        selection: query.selection()?,
        limit: Some(limit),
        offset,
    };
    let next = next_page(&uri, offset + limit);
    cached_read(&state, cache_key(&uri), &headers, move |ledger| {
        let events = tally_query::events(ledger, &request).map_err(query_error)?;
        let full = events.len() == limit;
        let mut answer = Answer::json(&events)?;
        if full {
            if let Ok(value) = HeaderValue::from_str(&format!("<{next}>; rel=\"next\"")) {
                answer.headers.push((header::LINK, value));
            }
        }
        Ok(answer)
    })
    .await
}

/// The URL of the page starting at `offset`, with every other argument kept.
fn next_page(uri: &Uri, offset: usize) -> String {
    let mut pairs: Vec<String> = uri
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("offset="))
        .map(str::to_string)
        .collect();
    pairs.push(format!("offset={offset}"));
    format!("{}?{}", uri.path(), pairs.join("&"))
}

/// One event with every report and its source.
#[utoipa::path(get, path = "/api/v1/events/{id}", tag = "read",
    params(("id" = String, Path, description = "The event's id (ev-…)")),
    responses(
        (status = 200, description = "What `tally event ID --json` prints: the event, and every report with its source verbatim", body = Object),
        (status = 304, description = "Unchanged since the ETag in If-None-Match"),
        (status = 404, description = "No such event", body = crate::error::ErrorBody),
    ))]
pub async fn event(
    State(state): State<AppState>,
    Path(id): Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    if id.len() > 64 || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return Err(ApiError::not_found(format!("no event {id:?}")));
    }
    cached_read(&state, cache_key(&uri), &headers, move |ledger| {
        // A missing event is a 404 here; the library's own message says the same.
        if ledger.event(&tally_model::EventId(id.clone()))?.is_none() {
            return Err(ApiError::not_found(format!("no event {id:?}")));
        }
        Answer::json(&tally_query::event(ledger, &id).map_err(query_error)?)
    })
    .await
}

/// A quantitative claim against the independent evidence.
#[utoipa::path(get, path = "/api/v1/check", tag = "read",
    params(CheckQuery),
    responses(
        (status = 200, description = "What `tally check \"CLAIM\" … --json` prints: {verdict, claim, evidence}", body = Object),
        (status = 304, description = "Unchanged since the ETag in If-None-Match"),
        (status = 400, description = "No claim, or a malformed argument", body = crate::error::ErrorBody),
        (status = 422, description = "A claim that states no quantity", body = crate::error::ErrorBody),
    ))]
pub async fn check(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let query: CheckQuery = super::parse_query(&uri)?;
    let claim = query
        .claim
        .clone()
        .filter(|c| !c.trim().is_empty())
        .ok_or_else(|| ApiError::bad_request("claim: required"))?;
    if claim.chars().count() > 1000 {
        return Err(ApiError::bad_request("claim: at most 1000 characters"));
    }
    if query.complete.unwrap_or(false) && query.expected_events.is_some() {
        return Err(ApiError::bad_request(
            "complete cannot be combined with expected_events",
        ));
    }
    let request = CheckRequest {
        claim,
        selection: query.selection()?,
        min_coverage: query
            .min_coverage
            .unwrap_or(CheckRequest::default().min_coverage),
        expected_events: query.expected_events,
        complete: query.complete.unwrap_or(false),
        model: model(query.replicates, query.seed)?,
        claimant: match &query.claimant {
            Some(text) => Some(text.parse::<tally_model::Attribution>().map_err(|_| {
                ApiError::bad_request(format!(
                    "claimant {text:?}: expected police, officials, organizers, media, researchers or participants"
                ))
            })?),
            None => None,
        },
    };
    cached_read(&state, cache_key(&uri), &headers, move |ledger| {
        Answer::json(&tally_query::check(ledger, &request).map_err(query_error)?)
    })
    .await
}

/// Two selections side by side, and the ratio of the first to the second.
#[utoipa::path(get, path = "/api/v1/compare", tag = "read",
    params(CompareQuery),
    responses(
        (status = 200, description = "What `tally compare A B … --json` prints: {a, b, ratio}", body = Object),
        (status = 304, description = "Unchanged since the ETag in If-None-Match"),
        (status = 400, description = "a or b missing, or a malformed argument", body = crate::error::ErrorBody),
        (status = 422, description = "A selection that cannot be read", body = crate::error::ErrorBody),
    ))]
pub async fn compare(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let query: CompareQuery = super::parse_query(&uri)?;
    let side = |name: &str, value: &Option<String>| {
        value
            .clone()
            .filter(|v| !v.trim().is_empty())
            .ok_or_else(|| {
                ApiError::bad_request(format!("{name}: required (\"key=value,...\" or words)"))
            })
    };
    let request = CompareRequest {
        a: side("a", &query.a)?,
        b: side("b", &query.b)?,
        defaults: query.selection()?,
        model: model(query.replicates, query.seed)?,
    };
    cached_read(&state, cache_key(&uri), &headers, move |ledger| {
        Answer::json(&tally_query::compare(ledger, &request).map_err(query_error)?)
    })
    .await
}

/// The events in the published dataset's CSV layout.
#[utoipa::path(get, path = "/api/v1/export.csv", tag = "read",
    params(ExportQuery),
    responses(
        (status = 200, description = "What `tally export --format csv` prints", content_type = "text/csv", body = String),
        (status = 304, description = "Unchanged since the ETag in If-None-Match"),
    ))]
pub async fn export_csv(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    export(state, uri, headers, Format::Csv).await
}

/// The events as GeoJSON points.
#[utoipa::path(get, path = "/api/v1/export.geojson", tag = "read",
    params(ExportQuery),
    responses(
        (status = 200, description = "What `tally export --format geojson` prints", content_type = "application/geo+json", body = Object),
        (status = 304, description = "Unchanged since the ETag in If-None-Match"),
    ))]
pub async fn export_geojson(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    export(state, uri, headers, Format::GeoJson).await
}

#[derive(Clone, Copy)]
enum Format {
    Csv,
    GeoJson,
}

async fn export(
    state: AppState,
    uri: Uri,
    headers: HeaderMap,
    format: Format,
) -> Result<Response, ApiError> {
    let query: ExportQuery = super::parse_query(&uri)?;
    let selection = query.selection()?;
    cached_read(&state, cache_key(&uri), &headers, move |ledger| {
        let rows = tally_query::export_rows(ledger, &selection).map_err(query_error)?;
        let mut body = Vec::new();
        let content_type = match format {
            Format::Csv => {
                tally_publish::write_csv(&mut body, &rows).map_err(ApiError::internal)?;
                "text/csv; charset=utf-8"
            }
            Format::GeoJson => {
                tally_publish::write_geojson(&mut body, &rows).map_err(ApiError::internal)?;
                "application/geo+json"
            }
        };
        Ok(Answer {
            body: Bytes::from(body),
            content_type,
            headers: Vec::new(),
        })
    })
    .await
}
