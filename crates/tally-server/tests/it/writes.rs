//! Curators' files and reviewers' link decisions over HTTP (issue 10).

use crate::Server;
use axum::http::StatusCode;

#[tokio::test]
async fn issue_10_ingest_is_tally_ingest_and_records_its_token() {
    let server = Server::new();
    let file = "\
date,locality,state,event,size_low,size_high,size_text,attribution,publisher,url
2025-06-14,Eugene,OR,Park vigil,150,150,,media,Eugene Weekly,https://example.org/c
2025-13-40,Eugene,OR,Park vigil,150,150,,media,Eugene Weekly,https://example.org/c
2025-06-14,Salem,OR,Courthouse rally,80,90,,chief of staff,Salem Times,https://example.org/d
";
    let response = server
        .post(
            "/api/v1/ingest?format=reports&name=oregon.csv",
            Some(&server.curator),
            file,
        )
        .await;
    assert_eq!(
        response.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&response.body)
    );
    let outcome = response.json();
    assert_eq!(outcome["file"], "oregon.csv");
    assert_eq!(outcome["rows_read"], 3);
    assert_eq!(outcome["reports_added"], 1);
    assert_eq!(outcome["landed"], true);
    let rejected = outcome["rejected"].as_array().unwrap();
    assert_eq!(rejected.len(), 2);
    assert_eq!(rejected[0]["line"], 3);
    assert_eq!(rejected[1]["line"], 4);
    // The same file again adds nothing; --strict refuses the whole file.
    let again = server
        .post(
            "/api/v1/ingest?format=reports&name=oregon.csv",
            Some(&server.curator),
            file,
        )
        .await
        .json();
    assert_eq!(again["reports_added"], 0);
    let before = server.counts();
    let strict = server
        .post(
            "/api/v1/ingest?format=reports&strict=true&name=o2.csv",
            Some(&server.curator),
            file.replace("Eugene", "Bend"),
        )
        .await
        .json();
    assert_eq!(strict["landed"], false);
    assert_eq!(server.counts().0.reports, before.0.reports);
    // The file's row names the token that sent it.
    let ledger = tally_store::Ledger::open_read_only(&server.db).unwrap();
    let file = ledger
        .files()
        .unwrap()
        .into_iter()
        .find(|f| f.origin == "oregon.csv")
        .unwrap();
    let curator_id = &server.curator[6..14];
    assert_eq!(
        ledger.file_author(file.id).unwrap().as_deref(),
        Some(curator_id)
    );
}

#[tokio::test]
async fn issue_10_ingest_of_an_unreadable_format_is_422() {
    let server = Server::new();
    let response = server
        .post("/api/v1/ingest?format=parquet", Some(&server.curator), "x")
        .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    let response = server
        .post(
            "/api/v1/ingest?format=reports&bogus=1",
            Some(&server.curator),
            "x",
        )
        .await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn issue_10_decisions_merge_split_reject() {
    let server = Server::new();
    let ledger = tally_store::Ledger::open_read_only(&server.db).unwrap();
    let events_before = ledger.counts().unwrap().events;
    drop(ledger);
    // Report 3 (Boise) joins the Springfield event: a merge of reports by number.
    let merged = server
        .post(
            "/api/v1/decisions",
            Some(&server.reviewer),
            r#"{"kind": "merge", "ids": ["1", "3"]}"#,
        )
        .await;
    assert_eq!(
        merged.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&merged.body)
    );
    let merged = merged.json();
    assert_eq!(merged["decision"]["decision"], "merge");
    assert_eq!(merged["events"], events_before - 1);
    let split = server
        .post(
            "/api/v1/decisions",
            Some(&server.reviewer),
            r#"{"kind": "split", "report": 3}"#,
        )
        .await
        .json();
    assert_eq!(split["events"], events_before);
    let rejected = server
        .post(
            "/api/v1/decisions",
            Some(&server.reviewer),
            r#"{"kind": "reject", "report": 3}"#,
        )
        .await
        .json();
    assert_eq!(rejected["events"], events_before - 1);
    assert_eq!(rejected["decisions"], 3);
    let ledger = tally_store::Ledger::open_read_only(&server.db).unwrap();
    let reviewer_id = &server.reviewer[6..14];
    let id = rejected["decision_id"].as_i64().unwrap();
    assert_eq!(
        ledger.decision_author(id).unwrap().as_deref(),
        Some(reviewer_id)
    );
    drop(ledger);
    // Unknown reports and events are the request's fault.
    for body in [
        r#"{"kind": "reject", "report": 999}"#,
        r#"{"kind": "merge", "ids": ["ev-nope", "1"]}"#,
        r#"{"kind": "merge", "ids": ["1"]}"#,
        r#"{"kind": "rename", "report": 1}"#,
    ] {
        let response = server
            .post("/api/v1/decisions", Some(&server.reviewer), body)
            .await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    }
}

#[tokio::test]
async fn issue_10_a_read_only_mirror_takes_no_writes() {
    let server = Server::with(|config| config.read_only = true);
    let before = server.counts();
    let response = server
        .post(
            "/api/v1/decisions",
            Some(&server.reviewer),
            r#"{"kind": "reject", "report": 1}"#,
        )
        .await;
    assert_eq!(response.status, StatusCode::FORBIDDEN);
    assert_eq!(response.code(), "read_only");
    let response = server
        .post(
            "/api/v1/submissions",
            None,
            r#"{"date": "2025-06-14", "place": "Boise, ID", "size_low": 40}"#,
        )
        .await;
    assert_eq!(response.code(), "read_only");
    let health = server.get("/healthz", None).await.json();
    assert_eq!(health["read_only"], true);
    assert_eq!(server.counts(), before);
}

#[tokio::test]
async fn issue_10_openapi_is_3_1_and_lists_every_endpoint() {
    let server = Server::new();
    let response = server.get("/openapi.json", None).await;
    assert_eq!(response.status, StatusCode::OK);
    let doc = response.json();
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3.1"),
        "{}",
        doc["openapi"]
    );
    for path in [
        "/api/v1/estimate",
        "/api/v1/events",
        "/api/v1/events/{id}",
        "/api/v1/check",
        "/api/v1/compare",
        "/api/v1/export.csv",
        "/api/v1/export.geojson",
        "/healthz",
        "/api/v1/submissions",
        "/api/v1/submissions/{id}/accept",
        "/api/v1/submissions/{id}/reject",
        "/api/v1/decisions",
        "/api/v1/ingest",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} missing");
    }
    assert!(doc["components"]["schemas"]["SubmissionRequest"].is_object());
    // Query arguments come from the handlers' query types.
    let params = doc["paths"]["/api/v1/estimate"]["get"]["parameters"]
        .as_array()
        .unwrap();
    assert!(params.iter().any(|p| p["name"] == "match"));
    assert!(params.iter().any(|p| p["name"] == "replicates"));
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
}
