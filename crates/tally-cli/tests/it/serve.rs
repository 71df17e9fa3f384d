//! `tally serve`'s read endpoints answer exactly what the CLI prints with `--json`
//! for the same arguments, on the demo ledger (issue 10).

use crate::{path_str, stderr, Workspace};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use std::net::SocketAddr;
use tower::ServiceExt;

/// Each read endpoint beside the CLI arguments that ask the same question.
const PAIRS: &[(&str, &[&str])] = &[
    ("/api/v1/estimate?date=2025-06-14", &["estimate", "--date", "2025-06-14", "--json"]),
    (
        "/api/v1/estimate?date=2025-06-14&state=IL&replicates=200",
        &["estimate", "--date", "2025-06-14", "--state", "IL", "--replicates", "200", "--json"],
    ),
    (
        "/api/v1/estimate?from=2025-06-01&to=2025-06-30&by=state",
        &["estimate", "--from", "2025-06-01", "--to", "2025-06-30", "--by", "state", "--json"],
    ),
    (
        "/api/v1/estimate?date=2025-06-14&no_impute=true",
        &["estimate", "--date", "2025-06-14", "--no-impute", "--json"],
    ),
    (
        "/api/v1/events?date=2025-06-14&limit=25",
        &["events", "--date", "2025-06-14", "--limit", "25", "--json"],
    ),
    (
        "/api/v1/events?match=No%20Kings&limit=10&offset=30",
        &["events", "--match", "No Kings", "--limit", "10", "--offset", "30", "--json"],
    ),
    (
        "/api/v1/check?claim=over%205%20million%20people%20in%20over%202%2C000%20places&date=2025-06-14",
        &["check", "over 5 million people in over 2,000 places", "--date", "2025-06-14", "--json"],
    ),
    (
        "/api/v1/check?claim=tens%20of%20thousands%20marched%20in%20Chicago&date=2025-06-14",
        &["check", "tens of thousands marched in Chicago", "--date", "2025-06-14", "--json"],
    ),
    (
        "/api/v1/compare?a=No%20Kings&b=parade&date=2025-06-14",
        &["compare", "No Kings", "parade", "--date", "2025-06-14", "--json"],
    ),
];

#[tokio::test]
async fn issue_10_every_read_endpoint_answers_what_the_cli_prints() {
    let ws = Workspace::new();
    let ledger = ws.dir.path().join("demo.db");
    let output = ws.run(&["demo", "--ledger", path_str(&ledger)]);
    assert!(output.status.success(), "{}", stderr(&output));
    let config =
        tally_server::ServeConfig::new(SocketAddr::from(([127, 0, 0, 1], 0)), ledger.clone());
    let state = tally_server::AppState::open(config).unwrap();

    let cli = |args: &[&str]| -> Vec<u8> {
        let mut all = vec!["--db", path_str(&ledger)];
        all.extend_from_slice(args);
        let output = ws.run(&all);
        assert!(
            output.status.success(),
            "tally {args:?}: {}",
            stderr(&output)
        );
        output.stdout
    };
    let api = |uri: String| {
        let state = state.clone();
        async move {
            let response = tally_server::router(state)
                .oneshot(Request::get(&uri).body(Body::empty()).unwrap())
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::OK, "{uri}");
            let etag = response.headers()["etag"].to_str().unwrap().to_string();
            let body = axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .unwrap();
            (body.to_vec(), etag)
        }
    };

    let mut events_page: Option<serde_json::Value> = None;
    for (uri, args) in PAIRS {
        let (from_api, _) = api(uri.to_string()).await;
        let from_cli = cli(args);
        let api_json: serde_json::Value = serde_json::from_slice(&from_api).unwrap();
        let cli_json: serde_json::Value = serde_json::from_slice(&from_cli).unwrap();
        assert_same_fields("", &api_json, &cli_json, uri);
        // Byte for byte too: the same pretty printing and final newline.
        assert_eq!(from_api, from_cli, "{uri}");
        if uri.starts_with("/api/v1/events?date") {
            events_page = Some(api_json);
        }
    }

    // One event, by an id taken from the list.
    let events = events_page.unwrap();
    let id = events[0]["id"].as_str().unwrap();
    let (from_api, _) = api(format!("/api/v1/events/{id}")).await;
    assert_eq!(from_api, cli(&["event", id, "--json"]));

    // The exports are the CLI's bytes.
    let (csv, _) = api("/api/v1/export.csv?date=2025-06-14".into()).await;
    assert_eq!(
        csv,
        cli(&["export", "--format", "csv", "--date", "2025-06-14"])
    );
    let (geojson, etag) = api("/api/v1/export.geojson".into()).await;
    assert_eq!(geojson, cli(&["export", "--format", "geojson"]));

    // A changed ledger changes the ETag; an unchanged one answers 304.
    let response = tally_server::router(state.clone())
        .oneshot(
            Request::get("/api/v1/export.geojson")
                .header("if-none-match", &etag)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_MODIFIED);
    let rejected = cli(&["link", "reject", "1", "--json"]);
    assert!(!rejected.is_empty());
    let (_, new_etag) = api("/api/v1/export.geojson".into()).await;
    assert_ne!(etag, new_etag);
    // And the answer follows the ledger, not the cache.
    let (from_api, _) = api(PAIRS[0].0.to_string()).await;
    assert_eq!(from_api, cli(PAIRS[0].1));
}

/// Walks both values and names the first field that differs.
fn assert_same_fields(path: &str, api: &serde_json::Value, cli: &serde_json::Value, uri: &str) {
    use serde_json::Value;
    match (api, cli) {
        (Value::Object(a), Value::Object(c)) => {
            let mut keys: Vec<&String> = a.keys().chain(c.keys()).collect();
            keys.sort();
            keys.dedup();
            for key in keys {
                let (Some(av), Some(cv)) = (a.get(key), c.get(key)) else {
                    panic!("{uri}: field {path}.{key} is in only one of API and CLI");
                };
                assert_same_fields(&format!("{path}.{key}"), av, cv, uri);
            }
        }
        (Value::Array(a), Value::Array(c)) => {
            assert_eq!(a.len(), c.len(), "{uri}: {path} lengths differ");
            for (i, (av, cv)) in a.iter().zip(c).enumerate() {
                assert_same_fields(&format!("{path}[{i}]"), av, cv, uri);
            }
        }
        _ => assert_eq!(api, cli, "{uri}: field {path} differs"),
    }
}
