//! Tokens and roles on the write endpoints (issue 10).

use crate::Server;
use axum::http::StatusCode;

#[tokio::test]
async fn issue_10_writes_without_a_valid_token_or_role_change_nothing() {
    let server = Server::new();
    let before = server.counts();
    let decision = r#"{"kind": "reject", "report": 1}"#;
    // No token, a malformed one, a made-up one of the right shape.
    let fake = format!("tally_0000abcd_{}", "0".repeat(64));
    for token in [None, Some("not-a-token"), Some(fake.as_str())] {
        let response = server.post("/api/v1/decisions", token, decision).await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED, "{token:?}");
        assert_eq!(response.code(), "unauthorized");
        assert_eq!(response.headers["www-authenticate"], "Bearer");
        let response = server.post("/api/v1/ingest", token, "date,x\n").await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED);
        let response = server.get("/api/v1/submissions", token).await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED);
    }
    // A curator token on a reviewer route, a reviewer token on a curator route.
    let response = server
        .post("/api/v1/decisions", Some(&server.curator), decision)
        .await;
    assert_eq!(response.status, StatusCode::FORBIDDEN);
    assert_eq!(response.code(), "forbidden");
    let response = server
        .post(
            "/api/v1/ingest?format=reports",
            Some(&server.reviewer),
            crate::REPORTS_CSV,
        )
        .await;
    assert_eq!(response.status, StatusCode::FORBIDDEN);
    let response = server
        .get("/api/v1/submissions", Some(&server.curator))
        .await;
    assert_eq!(response.status, StatusCode::FORBIDDEN);
    assert_eq!(server.counts(), before);
}

#[tokio::test]
async fn issue_10_a_revoked_token_is_refused_at_once() {
    let server = Server::new();
    let response = server
        .get("/api/v1/submissions", Some(&server.reviewer))
        .await;
    assert_eq!(response.status, StatusCode::OK);
    // Revoked from "another process": straight in the ledger, after the token was
    // verified and remembered by the server.
    let mut ledger = tally_store::Ledger::open(&server.db).unwrap();
    assert!(tally_server::auth::revoke_token(&mut ledger, &server.reviewer).unwrap());
    drop(ledger);
    let response = server
        .get("/api/v1/submissions", Some(&server.reviewer))
        .await;
    assert_eq!(response.status, StatusCode::UNAUTHORIZED);
    assert!(response.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("revoked"));
}

#[tokio::test]
async fn issue_10_admin_may_do_what_the_others_may() {
    let server = Server::new();
    let response = server.get("/api/v1/submissions", Some(&server.admin)).await;
    assert_eq!(response.status, StatusCode::OK);
}
