//! What every handler shares: the ledger (a pool of read-only connections and, unless
//! the server is a read-only mirror, one writer), the response cache, the rate limiter
//! and the verified-token cache.

use crate::auth::TokenCache;
use crate::cache::ResponseCache;
use crate::error::ApiError;
use crate::limit::RateLimiter;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tally_store::Ledger;

/// How `tally serve` runs.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    pub addr: SocketAddr,
    pub db: PathBuf,
    /// A public mirror: every write is refused, and the ledger is opened read-only.
    pub read_only: bool,
    /// Take the client address from the last `X-Forwarded-For` hop when the peer is a
    /// loopback reverse proxy (otherwise every client would share the proxy's limit).
    pub trust_proxy: bool,
    pub limits: Limits,
}

/// Body sizes and rates.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest body of a JSON request (submissions, decisions), in bytes.
    pub json_body: usize,
    /// Largest file `POST /api/v1/ingest` takes, in bytes.
    pub ingest_body: usize,
    /// Public submissions one client may send at once...
    pub submission_burst: u32,
    /// ...and then one per this interval.
    pub submission_interval: Duration,
    /// Pending submissions beyond this are refused (429) until reviewers catch up.
    pub max_pending_submissions: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            json_body: 16 * 1024,
            ingest_body: 512 * 1024 * 1024,
            submission_burst: 5,
            submission_interval: Duration::from_secs(12),
            max_pending_submissions: 10_000,
        }
    }
}

impl ServeConfig {
    pub fn new(addr: SocketAddr, db: PathBuf) -> ServeConfig {
        ServeConfig {
            addr,
            db,
            read_only: false,
            trust_proxy: false,
            limits: Limits::default(),
        }
    }
}

/// The state handed to every handler. Cheap to clone (one `Arc`).
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Shared>,
}

struct Shared {
    config: ServeConfig,
    readers: Mutex<Vec<Ledger>>,
    /// `None` on a read-only mirror. A tokio mutex: writes queue without blocking
    /// the runtime, and the ledger itself runs on the blocking pool.
    writer: Option<Arc<tokio::sync::Mutex<Ledger>>>,
    cache: ResponseCache,
    limiter: RateLimiter,
    tokens: TokenCache,
}

/// What the read answers depend on: the ledger's last report and decision. Any write
/// that can change an answer moves one of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LedgerVersion {
    pub last_report: i64,
    pub last_decision: i64,
}

impl LedgerVersion {
    /// The ETag of an answer read at this version (weak: gzip changes the bytes).
    pub fn etag(&self) -> String {
        format!(
            "W/\"{}-r{}-d{}\"",
            env!("CARGO_PKG_VERSION"),
            self.last_report,
            self.last_decision
        )
    }
}

impl AppState {
    /// Opens the ledger: for writing (migrating it and rebuilding stale events, as the
    /// CLI does) unless the config asks for a read-only mirror.
    pub fn open(config: ServeConfig) -> Result<AppState, OpenError> {
        let writer = if config.read_only {
            None
        } else {
            let ledger = tally_pipeline::open_ledger(&config.db)?;
            Some(Arc::new(tokio::sync::Mutex::new(ledger)))
        };
        // One reader now, so that a path that is not a ledger fails at start.
        let first = Ledger::open_read_only(&config.db)?;
        let limiter = RateLimiter::new(
            config.limits.submission_burst,
            config.limits.submission_interval,
        );
        Ok(AppState {
            inner: Arc::new(Shared {
                config,
                readers: Mutex::new(vec![first]),
                writer,
                cache: ResponseCache::new(),
                limiter,
                tokens: TokenCache::default(),
            }),
        })
    }

    pub fn config(&self) -> &ServeConfig {
        &self.inner.config
    }

    pub fn read_only(&self) -> bool {
        self.inner.writer.is_none()
    }

    pub(crate) fn cache(&self) -> &ResponseCache {
        &self.inner.cache
    }

    pub(crate) fn limiter(&self) -> &RateLimiter {
        &self.inner.limiter
    }

    pub(crate) fn tokens(&self) -> &TokenCache {
        &self.inner.tokens
    }

    /// Runs `work` on a read-only ledger connection, on the blocking pool. Reads never
    /// wait for a write: SQLite's WAL lets them see the last commit while one runs.
    pub async fn read<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Ledger) -> Result<T, ApiError> + Send + 'static,
    {
        let state = self.clone();
        tokio::task::spawn_blocking(move || state.read_now(work))
            .await
            .map_err(|e| ApiError::internal(format!("read task failed: {e}")))?
    }

    /// Runs `work` on a read-only connection on this thread: for work of a few
    /// microseconds, where a trip to the blocking pool would cost more than it.
    pub fn read_now<T>(
        &self,
        work: impl FnOnce(&Ledger) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let run = || {
            let ledger = self.take_reader()?;
            let result = work(&ledger);
            self.give_back(ledger);
            result
        };
        // The PostgreSQL driver blocks on a runtime of its own, which tokio refuses on a
        // thread that drives async tasks: such a read leaves the worker for its length.
        if tally_store::is_postgres_url(&self.inner.config.db)
            && tokio::runtime::Handle::try_current().is_ok()
        {
            tokio::task::block_in_place(run)
        } else {
            run()
        }
    }

    fn take_reader(&self) -> Result<Ledger, ApiError> {
        if let Some(ledger) = self.lock_readers().pop() {
            return Ok(ledger);
        }
        // The first reader, opened at start, ran SQLite's check; more of them skip it, so
        // that a burst of requests never waits for a check of a large ledger.
        let options = tally_store::OpenOptions {
            check: false,
            ..tally_store::OpenOptions::read()
        };
        options
            .open(&self.inner.config.db)
            .map_err(ApiError::internal)
    }

    fn give_back(&self, ledger: Ledger) {
        let mut idle = self.lock_readers();
        // Enough for the blocking pool's busy threads; more would only hold memory.
        if idle.len() < 16 {
            idle.push(ledger);
        }
    }

    fn lock_readers(&self) -> std::sync::MutexGuard<'_, Vec<Ledger>> {
        // A panic while holding the lock leaves a plain Vec behind: still usable.
        self.inner
            .readers
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Runs `work` on the writer, one write at a time, with `author` (a token's public
    /// id) recorded on what it writes. Refused on a read-only mirror.
    pub async fn write<T, F>(&self, author: Option<String>, work: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Ledger) -> Result<T, ApiError> + Send + 'static,
    {
        let writer = self.inner.writer.clone().ok_or_else(ApiError::read_only)?;
        let mut guard = writer.lock_owned().await;
        tokio::task::spawn_blocking(move || {
            guard.set_author(author);
            let result = work(&mut guard);
            guard.set_author(None);
            result
        })
        .await
        .map_err(|e| ApiError::internal(format!("write task failed: {e}")))?
    }

    /// The ledger's version as a reader sees it now.
    pub fn version(&self) -> Result<LedgerVersion, ApiError> {
        self.read_now(|ledger| {
            Ok(LedgerVersion {
                last_report: ledger.last_report_id()?,
                last_decision: ledger.last_decision_id()?,
            })
        })
    }
}

/// Why the ledger could not be opened for serving.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(transparent)]
    Store(#[from] tally_store::StoreError),
    #[error(transparent)]
    Pipeline(#[from] tally_pipeline::PipelineError),
}
