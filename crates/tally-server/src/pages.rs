//! Where the dashboard's pages mount: HTML pages and embedded assets, served from the
//! same binary (no CDN, no network). Empty until the dashboard lands; the router merges
//! whatever this returns beside the API.

use crate::state::AppState;
use axum::Router;

/// The dashboard's routes (`/`, `/event/{id}`, `/assets/...`).
pub fn routes() -> Router<AppState> {
    Router::new()
}
