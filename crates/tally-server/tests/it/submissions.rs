//! Public submissions: pending until reviewed, counted only once accepted (issue 10).

use crate::Server;
use axum::http::StatusCode;

const GOOD: &str = r#"{"date": "2025-06-14", "place": "Eugene, OR", "title": "Riverfront march",
    "size_low": "a few thousand", "size_high": 2500, "attribution": "police",
    "url": "https://example.org/eugene"}"#;

#[tokio::test]
async fn issue_10_a_submission_counts_only_once_accepted() {
    let server = Server::new();
    let before = server.known_on_the_day();
    let response = server.post("/api/v1/submissions", None, GOOD).await;
    assert_eq!(response.status, StatusCode::ACCEPTED);
    let receipt = response.json();
    assert_eq!(receipt["status"], "pending");
    assert_eq!(receipt["place_resolved"], true);
    let id = receipt["id"].as_i64().unwrap();
    // Pending: in the queue, nowhere in the totals.
    assert_eq!(server.known_on_the_day(), before);
    let queue = server
        .get("/api/v1/submissions?status=pending", Some(&server.reviewer))
        .await
        .json();
    assert_eq!(queue["submissions"][0]["id"], id);
    assert_eq!(queue["submissions"][0]["submission"]["size_low"], 2000);
    // Accepted: a report, in an event, in the totals.
    let accepted = server
        .post(
            &format!("/api/v1/submissions/{id}/accept"),
            Some(&server.reviewer),
            "",
        )
        .await;
    assert_eq!(
        accepted.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&accepted.body)
    );
    let accepted = accepted.json();
    assert_eq!(accepted["status"], "accepted");
    assert!(accepted["report_id"].is_i64());
    assert!(accepted["event_id"].as_str().unwrap().starts_with("ev-"));
    let after = server.known_on_the_day();
    assert_eq!(after.events, before.events + 1);
    assert_eq!(after.known_low, before.known_low + 2000);
    assert_eq!(after.known_high, before.known_high + 2500);
    // Reviewed once only.
    let again = server
        .post(
            &format!("/api/v1/submissions/{id}/reject"),
            Some(&server.reviewer),
            r#"{"reason": "x"}"#,
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let queue = server
        .get("/api/v1/submissions", Some(&server.reviewer))
        .await
        .json();
    assert_eq!(queue["submissions"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn issue_10_a_rejected_submission_never_counts() {
    let server = Server::new();
    let before = server.known_on_the_day();
    let id = server.post("/api/v1/submissions", None, GOOD).await.json()["id"]
        .as_i64()
        .unwrap();
    let no_reason = server
        .post(
            &format!("/api/v1/submissions/{id}/reject"),
            Some(&server.reviewer),
            "{}",
        )
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    let rejected = server
        .post(
            &format!("/api/v1/submissions/{id}/reject"),
            Some(&server.reviewer),
            r#"{"reason": "the story is about another day"}"#,
        )
        .await;
    assert_eq!(rejected.status, StatusCode::OK);
    let accept = server
        .post(
            &format!("/api/v1/submissions/{id}/accept"),
            Some(&server.reviewer),
            "",
        )
        .await;
    assert_eq!(accept.status, StatusCode::CONFLICT);
    assert_eq!(server.known_on_the_day(), before);
    let listed = server
        .get(
            "/api/v1/submissions?status=rejected",
            Some(&server.reviewer),
        )
        .await
        .json();
    assert_eq!(
        listed["submissions"][0]["reason"],
        "the story is about another day"
    );
    for uri in [
        "/api/v1/submissions/999/accept",
        "/api/v1/submissions/abc/accept",
    ] {
        let response = server.post(uri, Some(&server.reviewer), "").await;
        assert!(
            response.status == StatusCode::NOT_FOUND || response.status == StatusCode::BAD_REQUEST,
            "{uri}"
        );
    }
}

#[tokio::test]
async fn issue_10_a_flood_gets_429_and_leaves_the_ledger_as_it_was() {
    let server = Server::new();
    let burst = server.state.config().limits.submission_burst as usize;
    let mut accepted = 0;
    let mut limited = 0;
    for _ in 0..burst + 20 {
        let response = server
            .send_from([198, 51, 100, 9], post_request(GOOD))
            .await;
        match response.status {
            StatusCode::ACCEPTED => accepted += 1,
            StatusCode::TOO_MANY_REQUESTS => {
                assert!(response.headers.contains_key("retry-after"));
                assert_eq!(response.code(), "rate_limited");
                limited += 1;
            }
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!(accepted, burst);
    assert_eq!(limited, 20);
    // Only the burst was stored; the refused requests wrote nothing.
    assert_eq!(server.counts().1, burst as u64);
    // Another client is not held back by the first one's flood.
    let other = server
        .send_from([198, 51, 100, 10], post_request(GOOD))
        .await;
    assert_eq!(other.status, StatusCode::ACCEPTED);
}

fn post_request(body: &'static str) -> axum::http::Request<axum::body::Body> {
    axum::http::Request::post("/api/v1/submissions")
        .header("content-type", "application/json")
        .body(axum::body::Body::from(body))
        .unwrap()
}
