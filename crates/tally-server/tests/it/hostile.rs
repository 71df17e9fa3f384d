//! Hostile input is normal: limits, bad bytes, markup, panics (issue 10).

use crate::Server;
use axum::http::StatusCode;

#[tokio::test]
async fn issue_10_hostile_submissions_are_refused_or_stored_inert() {
    let server = Server::new();
    let before = server.counts();
    let big = format!(
        r#"{{"date": "2025-06-14", "place": "{}", "size_low": 4}}"#,
        "a".repeat(1_000_000)
    );
    let cases: Vec<(Vec<u8>, StatusCode)> = vec![
        (big.into_bytes(), StatusCode::PAYLOAD_TOO_LARGE),
        (
            b"{\"date\": \"2025-06-14\", \"place\": \"Bo\xffse, ID\", \"size_low\": 4}".to_vec(),
            StatusCode::BAD_REQUEST,
        ),
        (b"{\"date\": ".to_vec(), StatusCode::BAD_REQUEST),
        (b"[1, 2]".to_vec(), StatusCode::UNPROCESSABLE_ENTITY),
        (
            br#"{"date": "2025-06-14", "place": "Boise, ID", "size_low": 4, "url": "javascript:alert(1)"}"#.to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            br#"{"date": "2025-06-14", "place": "Boise, ID", "size_low": 4, "admin": true}"#.to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ];
    for (index, (body, expected)) in cases.into_iter().enumerate() {
        let response = server
            .send_from([203, 0, 113, index as u8], post(body))
            .await;
        assert_eq!(response.status, expected, "case {index}");
        let error = response.json();
        assert!(error["error"]["message"].is_string());
        assert!(error["error"]["request_id"].is_string());
    }
    assert_eq!(server.counts(), before);
    // Markup is data: kept verbatim, sent back JSON-escaped, never as markup.
    let script = r#"{"date": "2025-06-14", "place": "Boise, ID", "size_low": 4,
        "title": "<script>alert(1)</script>", "note": "\"><img src=x onerror=alert(1)>"}"#;
    let response = server.send(post(script.as_bytes().to_vec())).await;
    assert_eq!(response.status, StatusCode::ACCEPTED);
    let queue = server
        .get("/api/v1/submissions", Some(&server.reviewer))
        .await;
    assert_eq!(queue.headers["content-type"], "application/json");
    assert_eq!(queue.headers["x-content-type-options"], "nosniff");
    assert_eq!(
        queue.json()["submissions"][0]["submission"]["title"],
        "<script>alert(1)</script>"
    );
}

#[tokio::test]
async fn issue_10_every_error_is_json_with_a_request_id() {
    let server = Server::new();
    let response = server.get("/no/such/thing", None).await;
    assert_eq!(response.status, StatusCode::NOT_FOUND);
    assert_eq!(response.code(), "not_found");
    let response = server
        .send(
            axum::http::Request::delete("/api/v1/submissions")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(response.status, StatusCode::METHOD_NOT_ALLOWED);
    let id = response.headers["x-request-id"]
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(response.json()["error"]["request_id"], id.as_str());
}

#[tokio::test]
async fn issue_10_a_panic_is_a_500_with_the_request_id_and_no_detail() {
    use tower::ServiceExt;
    let server = Server::new();
    async fn boom() -> &'static str {
        panic!("secret detail");
    }
    let app = tally_server::routes::with_layers(
        axum::Router::new().route("/boom", axum::routing::get(boom)),
    )
    .with_state(server.state.clone());
    let response = app
        .oneshot(
            axum::http::Request::get("/boom")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let id = response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_string();
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    let text = String::from_utf8_lossy(&body);
    assert!(!text.contains("secret detail"), "{text}");
    let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(json["error"]["code"], "internal");
    assert_eq!(json["error"]["request_id"], id.as_str());
}

#[tokio::test]
async fn issue_10_healthz_answers() {
    let server = Server::new();
    let health = server.get("/healthz", None).await;
    assert_eq!(health.status, StatusCode::OK);
    let health = health.json();
    assert_eq!(health["status"], "ok");
    assert_eq!(health["last_report"], 3);
}

fn post(body: Vec<u8>) -> axum::http::Request<axum::body::Body> {
    axum::http::Request::post("/api/v1/submissions")
        .header("content-type", "application/json")
        .body(axum::body::Body::from(body))
        .unwrap()
}
