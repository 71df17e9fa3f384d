//! `tally serve`: the HTTP API over the same library calls as the command line.
//!
//! - Reads are public and answer exactly what `tally … --json` prints for the same
//!   arguments, with ETags that follow the ledger's last report and decision.
//! - Writes need a bearer token with the right role ([`auth`]): curators add files,
//!   reviewers review public submissions and record link decisions. Every write records
//!   the token that made it.
//! - Anyone may submit a report (`POST /api/v1/submissions`); it is checked, kept
//!   pending, counts nowhere until a reviewer accepts it, and is rate-limited per client.
//! - Errors are `{"error": {"code", "message"}}` ([`error`]); a 5xx carries the request
//!   id that the log carries too, and never the detail.
//!
//! Deliberately absent: any estimating, linking or parsing of its own. Handlers call
//! the libraries the CLI calls and serialize their typed answers.
//!
//! For the dashboard: [`router`] takes an [`AppState`]; pages go in [`pages::routes`],
//! and may use [`AppState::read`] and [`cache::cached_read`] as the API does.

pub mod auth;
pub mod cache;
pub mod error;
mod limit;
pub mod openapi;
pub mod pages;
pub mod routes;
mod state;
pub mod submission;

pub use state::{AppState, LedgerVersion, Limits, OpenError, ServeConfig};

use std::net::SocketAddr;

/// Every route (API and dashboard) with the layers every request passes.
pub fn router(state: AppState) -> axum::Router {
    let routes = routes::api_routes(&state).merge(pages::routes());
    routes::with_layers(routes).with_state(state)
}

/// Why `tally serve` stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(transparent)]
    Open(#[from] OpenError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("server failed: {0}")]
    Io(#[from] std::io::Error),
}

/// Serves until SIGTERM or Ctrl-C, then finishes the requests in flight and returns.
pub async fn serve(config: ServeConfig) -> Result<(), ServeError> {
    // The PostgreSQL driver blocks on a runtime of its own, which tokio refuses on a
    // worker thread unless the worker steps aside for it.
    let state = if tally_store::is_postgres_url(&config.db) {
        tokio::task::block_in_place(|| AppState::open(config.clone()))?
    } else {
        AppState::open(config.clone())?
    };
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|source| ServeError::Bind {
            addr: config.addr,
            source,
        })?;
    let local = listener.local_addr()?;
    eprintln!(
        "tally serve: listening on http://{local} (ledger {}{})",
        config.db.display(),
        if config.read_only { ", read-only" } else { "" }
    );
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    eprintln!("tally serve: stopped");
    Ok(())
}

/// Runs [`serve`] on a runtime of its own: for the `tally` binary.
pub fn run(config: ServeConfig) -> Result<(), ServeError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        // Each blocking thread may hold a ledger connection; bound them.
        .max_blocking_threads(64)
        .build()?;
    runtime.block_on(serve(config))
}

async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    eprintln!("tally serve: shutting down; finishing requests in flight");
}
