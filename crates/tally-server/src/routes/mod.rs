//! The router: every endpoint, and the layers every request passes (request ids,
//! logs, JSON errors, panics to 500s, compression, body limits).

pub(crate) mod decisions;
pub(crate) mod health;
pub(crate) mod ingest;
pub(crate) mod read;
pub(crate) mod submissions;

use crate::error::{ApiError, ErrorInfo};
use crate::state::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, FromRequest, Request};
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::de::DeserializeOwned;
use std::sync::atomic::{AtomicU64, Ordering};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::trace::TraceLayer;

pub use decisions::{DecisionRequest, DecisionResponse};
pub use ingest::IngestQuery;
pub use submissions::{ReviewRequest, ReviewResponse, SubmissionList, SubmissionReceipt};

/// The API's routes, without the outer layers (see [`crate::router`]).
pub fn api_routes(state: &AppState) -> Router<AppState> {
    let limits = &state.config().limits;
    let json_limit = limits.json_body;
    // Small JSON bodies: submissions, reviews and decisions.
    let json_writes = Router::new()
        .route(
            "/api/v1/submissions",
            get(submissions::list).post(submissions::submit),
        )
        .route("/api/v1/submissions/{id}/accept", post(submissions::accept))
        .route("/api/v1/submissions/{id}/reject", post(submissions::reject))
        .route("/api/v1/decisions", post(decisions::decide))
        .layer(RequestBodyLimitLayer::new(json_limit))
        .layer(DefaultBodyLimit::max(json_limit));
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/openapi.json", get(crate::openapi::openapi_json))
        .route("/api/v1/estimate", get(read::estimate))
        .route("/api/v1/events", get(read::events))
        .route("/api/v1/events/{id}", get(read::event))
        .route("/api/v1/check", get(read::check))
        .route("/api/v1/compare", get(read::compare))
        .route("/api/v1/export.csv", get(read::export_csv))
        .route("/api/v1/export.geojson", get(read::export_geojson))
        .merge(json_writes)
        .merge(
            Router::new()
                .route("/api/v1/ingest", post(ingest::ingest))
                .layer(RequestBodyLimitLayer::new(limits.ingest_body))
                .layer(DefaultBodyLimit::max(limits.ingest_body)),
        )
}

/// Adds the layers every request passes, outermost last: panics become 500s, logs
/// carry the request id, answers are gzipped when the client asks, and every error
/// leaves as `{"error": {"code", "message", "request_id"}}`.
pub fn with_layers(router: Router<AppState>) -> Router<AppState> {
    router
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(CatchPanicLayer::custom(panicked))
        .layer(CompressionLayer::new())
        .layer(
            TraceLayer::new_for_http().make_span_with(|request: &Request<Body>| {
                let id = request
                    .extensions()
                    .get::<RequestId>()
                    .map(|id| id.0.as_str())
                    .unwrap_or("-");
                tracing::info_span!("request", id, method = %request.method(), path = %request.uri().path())
            })
            // One line per answer at info (`tally -v serve`); failures at error.
            .on_response(tower_http::trace::DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .layer(axum::middleware::from_fn(request_context))
}

async fn not_found() -> ApiError {
    ApiError::not_found("no such endpoint; GET /openapi.json lists them")
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this endpoint does not take that method; GET /openapi.json lists them",
    )
}

fn panicked(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let message = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    ApiError::internal(format!("handler panicked: {message}")).into_response()
}

/// The id of one request: in the `x-request-id` header, in every log line of the
/// request, and in a 5xx body.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

static REQUEST_COUNTER: AtomicU64 = AtomicU64::new(0);

fn next_request_id() -> String {
    use std::sync::OnceLock;
    // A per-process prefix keeps ids of two runs apart in one log.
    static PREFIX: OnceLock<u32> = OnceLock::new();
    let prefix = PREFIX.get_or_init(|| {
        let seed = format!("{:?}{}", std::time::SystemTime::now(), std::process::id());
        let hash = blake3::hash(seed.as_bytes());
        u32::from_le_bytes(hash.as_bytes()[..4].try_into().expect("four bytes"))
    });
    let n = REQUEST_COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("{prefix:08x}-{n:06}")
}

static REQUEST_ID_HEADER: HeaderName = HeaderName::from_static("x-request-id");

/// The outermost layer: gives the request its id, and makes every error response the
/// JSON error shape with that id (errors made by layers, such as a body limit's 413 or
/// the router's 405, arrive here as plain text).
async fn request_context(mut request: Request, next: Next) -> Response {
    let id = next_request_id();
    request.extensions_mut().insert(RequestId(id.clone()));
    let mut response = next.run(request).await;
    let status = response.status();
    if status.is_client_error() || status.is_server_error() {
        let info = response
            .extensions()
            .get::<ErrorInfo>()
            .cloned()
            .unwrap_or_else(|| ErrorInfo {
                code: ApiError::code_for(status),
                message: default_message(status),
            });
        let mut rebuilt = (status, axum::Json(info.body(Some(&id)))).into_response();
        for name in [header::RETRY_AFTER, header::WWW_AUTHENTICATE, header::ALLOW] {
            if let Some(value) = response.headers().get(&name) {
                rebuilt.headers_mut().insert(name, value.clone());
            }
        }
        rebuilt.extensions_mut().insert(info);
        response = rebuilt;
    }
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&id) {
        headers.insert(REQUEST_ID_HEADER.clone(), value);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

fn default_message(status: StatusCode) -> String {
    match status {
        StatusCode::PAYLOAD_TOO_LARGE => {
            "request body is larger than this endpoint takes".to_string()
        }
        s if s.is_server_error() => {
            "internal error; the server log has the detail under this request id".to_string()
        }
        s => s.canonical_reason().unwrap_or("error").to_ascii_lowercase(),
    }
}

/// A JSON body, with errors in the API's shape: 413 over the limit, 400 for bytes
/// that are not JSON (or not UTF-8), 422 for JSON that does not fit the request type.
/// The content type is not checked: a body is JSON or it is refused.
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<ApiJson<T>, ApiError> {
        let bytes = read_body(request, state).await?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// The body's bytes; a body over the route's limit is a 413.
pub async fn read_body<S: Send + Sync>(request: Request, state: &S) -> Result<Bytes, ApiError> {
    Bytes::from_request(request, state)
        .await
        .map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "payload_too_large",
                    "request body is larger than this endpoint takes",
                )
            } else {
                ApiError::bad_request(format!(
                    "cannot read the request body: {}",
                    rejection.body_text()
                ))
            }
        })
}

pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(bytes).map_err(|error| {
        use serde_json::error::Category;
        match error.classify() {
            Category::Data => ApiError::unprocessable(format!("request body: {error}")),
            Category::Syntax | Category::Eof | Category::Io => {
                ApiError::bad_request(format!("request body is not valid JSON: {error}"))
            }
        }
    })
}

/// Query arguments, with a bad one answered 400 in the API's shape.
pub fn parse_query<T: DeserializeOwned>(uri: &axum::http::Uri) -> Result<T, ApiError> {
    axum::extract::Query::<T>::try_from_uri(uri)
        .map(|q| q.0)
        .map_err(|rejection| ApiError::bad_request(rejection.body_text()))
}
