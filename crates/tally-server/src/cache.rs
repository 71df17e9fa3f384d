//! Read answers cached by ledger version and URL, with ETags and conditional requests.
//!
//! An answer is a pure function of the ledger's reports and decisions and the request's
//! arguments (the bootstrap is seeded), so it can be kept until either changes. The
//! version is part of the key: a write makes every older entry unreachable, and the
//! first request at a new version drops them. Requests that miss together wait for one
//! computation instead of each running it.

use crate::error::ApiError;
use crate::state::{AppState, LedgerVersion};
use axum::body::Bytes;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::OnceCell;

/// One answer as sent: its bytes and media type.
#[derive(Debug, Clone)]
pub struct Answer {
    pub body: Bytes,
    pub content_type: &'static str,
    /// Extra headers (pagination), sent with the body and with a 304 alike.
    pub headers: Vec<(header::HeaderName, HeaderValue)>,
}

impl Answer {
    /// An answer as JSON, pretty-printed as the CLI prints it.
    pub fn json<T: serde::Serialize>(value: &T) -> Result<Answer, ApiError> {
        let mut body = serde_json::to_vec_pretty(value).map_err(ApiError::internal)?;
        body.push(b'\n');
        Ok(Answer {
            body: Bytes::from(body),
            content_type: "application/json",
            headers: Vec::new(),
        })
    }
}

type Slot = Arc<OnceCell<Answer>>;

/// Entries beyond this, or beyond `MAX_BYTES` of bodies, clear the cache.
const MAX_ENTRIES: usize = 1024;
const MAX_BYTES: usize = 128 * 1024 * 1024;

pub struct ResponseCache {
    inner: Mutex<Entries>,
    /// Answers computed at once: misses beyond this wait, so that many distinct
    /// questions at a time queue instead of starving the cores.
    computing: tokio::sync::Semaphore,
}

struct Entries {
    version: Option<LedgerVersion>,
    slots: HashMap<String, Slot>,
    bytes: usize,
}

impl ResponseCache {
    pub fn new() -> ResponseCache {
        ResponseCache {
            inner: Mutex::new(Entries {
                version: None,
                slots: HashMap::new(),
                bytes: 0,
            }),
            computing: tokio::sync::Semaphore::new(4),
        }
    }

    fn slot(&self, version: LedgerVersion, key: &str) -> Slot {
        let mut entries = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if entries.version != Some(version) || entries.slots.len() >= MAX_ENTRIES {
            entries.version = Some(version);
            entries.slots.clear();
            entries.bytes = 0;
        }
        if entries.bytes > MAX_BYTES {
            entries.slots.clear();
            entries.bytes = 0;
        }
        entries.slots.entry(key.to_string()).or_default().clone()
    }

    fn account(&self, bytes: usize) {
        let mut entries = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        entries.bytes += bytes;
    }
}

impl Default for ResponseCache {
    fn default() -> ResponseCache {
        ResponseCache::new()
    }
}

/// Answers a read: from the cache when the ledger has not changed, else by running
/// `compute` on a read-only connection. Sends the ETag, and 304 when the client's
/// `If-None-Match` already names it.
pub async fn cached_read<F>(
    state: &AppState,
    key: String,
    request_headers: &HeaderMap,
    compute: F,
) -> Result<Response, ApiError>
where
    F: FnOnce(&tally_store::Ledger) -> Result<Answer, ApiError> + Send + 'static,
{
    let version = state.version()?;
    let etag = version.etag();
    let slot = state.cache().slot(version, &key);
    let answer = slot
        .get_or_try_init(|| async {
            let _permit = state
                .cache()
                .computing
                .acquire()
                .await
                .map_err(ApiError::internal)?;
            let answer = state.read(compute).await?;
            state.cache().account(answer.body.len());
            Ok::<Answer, ApiError>(answer)
        })
        .await?
        .clone();
    Ok(respond(answer, &etag, request_headers))
}

fn respond(answer: Answer, etag: &str, request_headers: &HeaderMap) -> Response {
    let etag_value = HeaderValue::from_str(etag).expect("an ETag is ASCII");
    let matches = request_headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|tag| {
            let tag = tag.trim();
            tag == "*" || tag.trim_start_matches("W/") == etag.trim_start_matches("W/")
        });
    let mut response = if matches {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut response = answer.body.into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(answer.content_type),
        );
        response
    };
    let headers = response.headers_mut();
    headers.insert(header::ETAG, etag_value);
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    for (name, value) in answer.headers {
        headers.insert(name, value);
    }
    response
}
