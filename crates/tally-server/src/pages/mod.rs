//! The dashboard: HTML pages and their embedded assets, served from the same binary as
//! the API (no CDN, no web font, no network).
//!
//! Pages are rendered on the server from the same `tally-query` answers the API serves,
//! so the numbers and tables are in the HTML and read without JavaScript. The one
//! script (`assets/app.js`) adds the map, table sorting and the forms that post to the
//! API. Every response carries a Content-Security-Policy that forbids inline scripts,
//! and every text that came from a source or a submission is escaped ([`html`]).
//!
//! | page | what it shows |
//! |---|---|
//! | `/` | the day: map, national figures with their intervals, states, events |
//! | `/events/{id}` | one event: every report, who said what, each source verbatim |
//! | `/check` | a claim's verdict with the evidence and what was excluded |
//! | `/compare` | two selections side by side, the ratio and its interval |
//! | `/submit` | the public form (posts to `/api/v1/submissions`) |
//! | `/review` | the pending submissions, for a reviewer's token |

mod assets;
mod day;
mod event;
mod forms;
pub mod html;
mod questions;

use crate::state::AppState;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tally_query::QueryError;

/// The dashboard's routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(day::day))
        .route("/events/{id}", get(event::event))
        .route("/check", get(questions::check))
        .route("/compare", get(questions::compare))
        .route("/submit", get(forms::submit))
        .route("/review", get(forms::review))
        .route("/assets/{*path}", get(assets::asset))
}

/// No inline script, no script or style from elsewhere, no framing, no plugins.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
     base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Marks a response as a dashboard page, so the API's error layer leaves its HTML alone.
#[derive(Debug, Clone, Copy)]
pub struct HtmlPage;

/// An HTML response with the security headers every page carries.
pub(crate) fn html_response(status: StatusCode, body: String) -> Response {
    let mut response = (status, body).into_response();
    response.extensions_mut().insert(HtmlPage);
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// Why a page could not be shown: the reader's request (shown, 4xx) or ours (generic,
/// 500, logged).
pub(crate) enum PageError {
    BadRequest(String),
    NotFound(String),
    Internal(String),
}

impl From<QueryError> for PageError {
    fn from(error: QueryError) -> Self {
        if error.is_bad_input() {
            PageError::BadRequest(error.to_string())
        } else {
            PageError::Internal(error.to_string())
        }
    }
}

impl From<crate::error::ApiError> for PageError {
    fn from(error: crate::error::ApiError) -> Self {
        PageError::Internal(format!("{error:?}"))
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (status, message) = match self {
            PageError::BadRequest(m) => (StatusCode::BAD_REQUEST, m),
            PageError::NotFound(m) => (StatusCode::NOT_FOUND, m),
            PageError::Internal(detail) => {
                tracing::error!(%detail, "page failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "something went wrong on our side; the log has the details".to_string(),
                )
            }
        };
        let body = format!(
            "<h1>{}</h1>\n<p class=\"error\">{}</p>\n<p><a href=\"/\">Back to the day</a></p>",
            status.canonical_reason().unwrap_or("Error"),
            html::escape(&message)
        );
        html_response(status, html::page("Error", "", &body))
    }
}

/// A date parameter of a page: empty is none; anything else must be YYYY-MM-DD.
pub(crate) fn page_date(
    name: &str,
    value: &Option<String>,
) -> Result<Option<tally_model::Date>, PageError> {
    match value.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => text.parse().map(Some).map_err(|_| {
            PageError::BadRequest(format!("{name} is not a date (YYYY-MM-DD): {text:?}"))
        }),
    }
}

/// A text parameter: trimmed, empty is none.
pub(crate) fn page_text(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
}
