//! Integration tests of `tally serve`'s router, in-process: each test has its own
//! ledger in a temporary folder and calls the router without a socket.

mod auth;
mod hostile;
mod pages;
mod reads;
mod submissions;
mod writes;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use std::net::SocketAddr;
use std::path::PathBuf;
use tally_server::auth::{create_token, Role};
use tally_server::{router, AppState, ServeConfig};
use tempfile::TempDir;
use tower::ServiceExt;

/// A few statements about two gatherings on one day, in the reports CSV layout.
pub const REPORTS_CSV: &str = "\
date,locality,state,event,size_low,size_high,size_text,attribution,publisher,url
2025-06-14,Springfield,IL,Riverside march,1200,1200,,police,Springfield Ledger,https://example.org/a
2025-06-14,Springfield,IL,Riverside march,3000,3000,,organizers,Springfield Ledger,https://example.org/a
2025-06-14,Boise,ID,Capitol steps rally,,,a few hundred,media,Boise Daily,https://example.org/b
";

/// A ledger in a temp folder, a router over it, and tokens of each role.
pub struct Server {
    pub dir: TempDir,
    pub db: PathBuf,
    pub state: AppState,
    pub curator: String,
    pub reviewer: String,
    pub admin: String,
}

impl Default for Server {
    fn default() -> Server {
        Server::with(|_| {})
    }
}

impl Server {
    pub fn new() -> Server {
        Server::default()
    }

    pub fn with(configure: impl FnOnce(&mut ServeConfig)) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("tally.db");
        let mut ledger = tally_pipeline::open_ledger(&db).unwrap();
        let request = tally_pipeline::IngestRequest {
            origin: "reports.csv",
            bytes: REPORTS_CSV.as_bytes().into(),
            options: tally_ingest::IngestOptions {
                format: tally_ingest::Format::Reports,
                ..tally_ingest::IngestOptions::new(chrono::Utc::now())
            },
            strict: false,
        };
        tally_pipeline::ingest_file(&mut ledger, request, &mut |_| {}).unwrap();
        let curator = create_token(&mut ledger, Role::Curator, Some("curator"))
            .unwrap()
            .token;
        let reviewer = create_token(&mut ledger, Role::Reviewer, None)
            .unwrap()
            .token;
        let admin = create_token(&mut ledger, Role::Admin, None).unwrap().token;
        drop(ledger);
        let mut config = ServeConfig::new(SocketAddr::from(([127, 0, 0, 1], 0)), db.clone());
        configure(&mut config);
        let state = AppState::open(config).unwrap();
        Server {
            dir,
            db,
            state,
            curator,
            reviewer,
            admin,
        }
    }

    /// Sends one request from `client` and returns status and body.
    pub async fn send(&self, request: Request<Body>) -> Response {
        self.send_from([192, 0, 2, 1], request).await
    }

    pub async fn send_from(&self, client: [u8; 4], mut request: Request<Body>) -> Response {
        request
            .extensions_mut()
            .insert(axum::extract::ConnectInfo(SocketAddr::from((
                client, 40000,
            ))));
        let response = router(self.state.clone()).oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        Response {
            status,
            headers,
            body: bytes.to_vec(),
        }
    }

    pub async fn get(&self, uri: &str, token: Option<&str>) -> Response {
        let mut builder = Request::get(uri);
        if let Some(token) = token {
            builder = builder.header("authorization", format!("Bearer {token}"));
        }
        self.send(builder.body(Body::empty()).unwrap()).await
    }

    pub async fn post(&self, uri: &str, token: Option<&str>, body: impl Into<Body>) -> Response {
        let mut builder = Request::post(uri).header("content-type", "application/json");
        if let Some(token) = token {
            builder = builder.header("authorization", format!("Bearer {token}"));
        }
        self.send(builder.body(body.into()).unwrap()).await
    }

    /// The ledger's row counts: what "nothing changed" is checked against.
    pub fn counts(&self) -> (tally_store::Counts, u64, u64) {
        let ledger = tally_store::Ledger::open_read_only(&self.db).unwrap();
        let submissions = ledger
            .submissions(tally_store::SubmissionStatus::Pending, 100_000, 0)
            .unwrap()
            .len() as u64;
        let tokens = ledger.tokens().unwrap().len() as u64;
        (ledger.counts().unwrap(), submissions, tokens)
    }

    /// Known sums over every event on 2025-06-14, as the ledger holds them.
    pub fn known_on_the_day(&self) -> tally_store::KnownSums {
        let ledger = tally_store::Ledger::open_read_only(&self.db).unwrap();
        let day = chrono::NaiveDate::from_ymd_opt(2025, 6, 14).unwrap();
        let selection = tally_model::Selection {
            from: Some(day),
            to: Some(day),
            ..Default::default()
        };
        ledger.known_sums(&selection).unwrap()
    }
}

pub struct Response {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Vec<u8>,
}

impl Response {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    /// The error code of a JSON error body.
    pub fn code(&self) -> String {
        self.json()["error"]["code"]
            .as_str()
            .unwrap_or("")
            .to_string()
    }
}
