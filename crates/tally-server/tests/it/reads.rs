//! Read endpoints: arguments checked, ETags that follow the ledger (issue 10). That
//! they answer exactly what the CLI prints is tested beside the CLI, on the demo ledger
//! (`tally-cli`'s `serve` test).

use crate::Server;
use axum::http::StatusCode;

#[tokio::test]
async fn issue_10_bad_read_arguments_are_4xx_json() {
    let server = Server::new();
    for (uri, status) in [
        ("/api/v1/estimate?date=2025-02-30", StatusCode::BAD_REQUEST),
        (
            "/api/v1/estimate?date=2025-06-14&from=2025-06-01",
            StatusCode::BAD_REQUEST,
        ),
        ("/api/v1/estimate?dates=2025-06-14", StatusCode::BAD_REQUEST),
        (
            "/api/v1/estimate?state=Atlantis",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "/api/v1/estimate?by=planet",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "/api/v1/estimate?replicates=1000000",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        ("/api/v1/events?limit=0", StatusCode::BAD_REQUEST),
        ("/api/v1/events?limit=5000", StatusCode::BAD_REQUEST),
        ("/api/v1/events?offset=-1", StatusCode::BAD_REQUEST),
        ("/api/v1/events/ev-0000000000000000", StatusCode::NOT_FOUND),
        ("/api/v1/events/%3Cscript%3E", StatusCode::NOT_FOUND),
        ("/api/v1/check", StatusCode::BAD_REQUEST),
        ("/api/v1/compare?a=parade", StatusCode::BAD_REQUEST),
    ] {
        let response = server.get(uri, None).await;
        assert_eq!(
            response.status,
            status,
            "{uri}: {}",
            String::from_utf8_lossy(&response.body)
        );
        assert!(response.json()["error"]["message"].is_string(), "{uri}");
    }
}

#[tokio::test]
async fn issue_10_etags_follow_the_ledger() {
    let server = Server::new();
    let uri = "/api/v1/estimate?date=2025-06-14";
    let first = server.get(uri, None).await;
    assert_eq!(first.status, StatusCode::OK);
    let etag = first.headers["etag"].to_str().unwrap().to_string();
    let again = server
        .send(
            axum::http::Request::get(uri)
                .header("if-none-match", &etag)
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
    // A reviewer's decision changes the ledger, the ETag and the answer.
    let decided = server
        .post(
            "/api/v1/decisions",
            Some(&server.reviewer),
            r#"{"kind": "reject", "report": 3}"#,
        )
        .await;
    assert_eq!(decided.status, StatusCode::OK);
    let after = server.get(uri, None).await;
    assert_ne!(after.headers["etag"].to_str().unwrap(), etag);
    assert_ne!(after.json()["events"], first.json()["events"]);
}

#[tokio::test]
async fn issue_10_events_are_paginated() {
    let server = Server::new();
    let page = server.get("/api/v1/events?limit=1", None).await;
    assert_eq!(page.json().as_array().unwrap().len(), 1);
    let next = page.headers["link"].to_str().unwrap();
    assert!(next.contains("offset=1"), "{next}");
    let second = server
        .get("/api/v1/events?limit=1&offset=1", None)
        .await
        .json();
    assert_ne!(second[0]["id"], page.json()[0]["id"]);
    let past = server.get("/api/v1/events?limit=1&offset=99", None).await;
    assert_eq!(past.json().as_array().unwrap().len(), 0);
    assert!(!past.headers.contains_key("link"));
}
