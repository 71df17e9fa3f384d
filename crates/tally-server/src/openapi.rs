//! `GET /openapi.json`: the OpenAPI 3.1 document, generated from the handlers'
//! annotations and their request and answer types, so it cannot drift from them.

use crate::routes::{decisions, health, ingest, read, submissions};
use axum::response::IntoResponse;
use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Tally",
        description = "Counts of people at US political gatherings, as sourced ranges. Read endpoints answer exactly what the `tally` command prints with `--json` for the same arguments. Writes need `Authorization: Bearer TOKEN` (made by `tally token create`). Errors are `{\"error\": {\"code\", \"message\"}}`."
    ),
    paths(
        read::estimate,
        read::events,
        read::event,
        read::check,
        read::compare,
        read::export_csv,
        read::export_geojson,
        health::healthz,
        submissions::submit,
        submissions::list,
        submissions::accept,
        submissions::reject,
        decisions::decide,
        ingest::ingest,
    ),
    components(schemas(crate::error::ErrorBody, crate::error::ErrorDetail, crate::auth::Role)),
    modifiers(&BearerToken),
    tags(
        (name = "read", description = "Public reads: the CLI's --json answers"),
        (name = "submissions", description = "Public submissions and their review"),
        (name = "review", description = "Reviewer link decisions"),
        (name = "curation", description = "Curators add files"),
        (name = "operations", description = "Health and this document"),
    )
)]
pub struct ApiDoc;

struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The document, built once.
pub fn document() -> &'static utoipa::openapi::OpenApi {
    static DOCUMENT: std::sync::OnceLock<utoipa::openapi::OpenApi> = std::sync::OnceLock::new();
    DOCUMENT.get_or_init(ApiDoc::openapi)
}

/// This API, described as OpenAPI 3.1.
#[utoipa::path(get, path = "/openapi.json", tag = "operations",
    responses((status = 200, description = "The OpenAPI 3.1 document", content_type = "application/json", body = Object)))]
pub async fn openapi_json() -> impl IntoResponse {
    Json(document())
}
