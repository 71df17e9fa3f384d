//! The dashboard's static files, embedded in the binary: its own script and style
//! sheet, and the vendored map libraries and shapes (`assets/vendor/README.md` lists
//! their versions, licences and checksums; `scripts/vendor-dashboard.sh` regenerates
//! them from the npm registry).

use axum::extract::Path;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// Path under `/assets/`, content type, bytes.
const ASSETS: &[(&str, &str, &[u8])] = &[
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/app.js"),
    ),
    (
        "app.css",
        "text/css; charset=utf-8",
        include_bytes!("../../assets/app.css"),
    ),
    (
        "vendor/d3-array.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/vendor/d3-array.min.js"),
    ),
    (
        "vendor/d3-geo.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/vendor/d3-geo.min.js"),
    ),
    (
        "vendor/topojson-client.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/vendor/topojson-client.min.js"),
    ),
    (
        "vendor/states-albers-10m.json",
        "application/json",
        include_bytes!("../../assets/vendor/states-albers-10m.json"),
    ),
];

pub async fn asset(Path(path): Path<String>) -> Response {
    match ASSETS.iter().find(|(name, _, _)| *name == path) {
        Some((_, content_type, bytes)) => {
            let mut response = (StatusCode::OK, *bytes).into_response();
            let headers = response.headers_mut();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
            headers.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            );
            headers.insert(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            );
            response
        }
        None => (StatusCode::NOT_FOUND, "no such asset").into_response(),
    }
}

/// Every embedded asset's size, for the page-weight test.
#[cfg(test)]
pub fn total_bytes() -> usize {
    ASSETS.iter().map(|(_, _, b)| b.len()).sum()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_assets_fit_the_page_budget() {
        // The whole first page must stay under 1.5 MB; the assets are most of it.
        assert!(super::total_bytes() < 600_000, "{}", super::total_bytes());
    }
}
