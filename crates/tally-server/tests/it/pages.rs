//! The dashboard's pages without a browser: the numbers are in the HTML, every page
//! carries the Content-Security-Policy, markup from sources is escaped, and the pages
//! answer with the same figures and verdicts as the API (the browser test in
//! tests/browser/ drives the same pages in Chromium).

use crate::Server;
use axum::http::StatusCode;

fn text(response: &crate::Response) -> String {
    String::from_utf8(response.body.clone()).unwrap()
}

#[tokio::test]
async fn issue_11_the_day_page_carries_its_numbers_without_javascript() {
    let server = Server::new();
    let page = server.get("/?date=2025-06-14", None).await;
    assert_eq!(page.status, StatusCode::OK);
    let csp = page.headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"));
    let html = text(&page);
    let api = server
        .get("/api/v1/estimate?date=2025-06-14", None)
        .await
        .json();
    let low = api["known_low"].as_u64().unwrap();
    let high = api["known_high"].as_u64().unwrap();
    let range = format!(
        "Reported: <strong>{} – {}</strong> people",
        group(low),
        group(high)
    );
    assert!(html.contains(&range), "{range} not in the page");
    assert!(html.contains("The ledger holds 2 events in 2 places"));
    assert!(html.contains("id=\"events-data\""));
    assert!(html.contains("<table class=\"sortable\" id=\"states\""));
    // No inline script: every <script> either loads a file or holds JSON data.
    for tag in html.split("<script").skip(1) {
        let open = &tag[..tag.find('>').unwrap()];
        assert!(
            open.contains("src=\"/assets/") || open.contains("type=\"application/json\""),
            "inline script: {open}"
        );
    }
    // The busiest day is the default.
    let default = text(&server.get("/", None).await);
    assert!(default.contains("Gatherings on 14 June 2025"));
}

#[tokio::test]
async fn issue_11_markup_from_sources_is_shown_as_text() {
    let server = Server::new();
    let hostile = "date,locality,state,event,size_low,size_high,size_text,attribution,publisher,url\n\
        2025-06-14,Bangor,ME,\"Rally <img src=x onerror=alert(1)></script><script>alert(2)</script>\",900,900,,media,\"<b>x</b>\",https://example.org/x\n";
    let response = server
        .send(
            axum::http::Request::post("/api/v1/ingest?format=reports&name=hostile.csv")
                .header("authorization", format!("Bearer {}", server.curator))
                .header("content-type", "text/csv")
                .body(axum::body::Body::from(hostile))
                .unwrap(),
        )
        .await;
    assert!(response.status.is_success(), "{}", text(&response));
    let day = text(&server.get("/?date=2025-06-14&state=ME", None).await);
    assert!(!day.contains("<img src=x") && !day.contains("<script>alert"));
    assert!(day.contains("&lt;img src=x"));
    // The JSON data block cannot be closed by a title.
    let data = day.split("id=\"events-data\">").nth(1).unwrap();
    let data = &data[..data.find("</script>").unwrap()];
    assert!(!data.contains('<'), "{data}");
    let id = day
        .split("href=\"/events/")
        .nth(1)
        .map(|s| s[..s.find('"').unwrap()].to_string())
        .unwrap();
    let event = text(&server.get(&format!("/events/{id}"), None).await);
    assert!(event.contains("&lt;script&gt;alert(2)&lt;/script&gt;"));
    assert!(!event.contains("<script>alert") && !event.contains("<b>x</b>"));
}

#[tokio::test]
async fn issue_11_check_and_compare_pages_agree_with_the_api() {
    let server = Server::new();
    let claim = "organizers said more than 100000 people marched";
    let api = server
        .get(
            &format!(
                "/api/v1/check?date=2025-06-14&claim={}",
                claim.replace(' ', "%20")
            ),
            None,
        )
        .await
        .json();
    let page = text(
        &server
            .get(
                &format!("/check?date=2025-06-14&claim={}", claim.replace(' ', "+")),
                None,
            )
            .await,
    );
    let verdict = api["verdict"].as_str().unwrap();
    assert!(
        page.contains(&format!("data-verdict=\"{verdict}\"")),
        "{verdict}: {page}"
    );
    let compare = server
        .get("/compare?date=2025-06-14&a=Riverside&b=Capitol", None)
        .await;
    assert_eq!(compare.status, StatusCode::OK);
    assert!(text(&compare).contains("id=\"ratio\""));
    let bad = server.get("/?date=2025-13-45", None).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(text(&bad).contains("not a date"));
    let missing = server.get("/events/ev-0000000000000000", None).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn issue_11_assets_are_embedded_and_the_first_page_is_small() {
    let server = Server::new();
    let mut total = text(&server.get("/", None).await).len();
    for asset in [
        "app.js",
        "app.css",
        "vendor/d3-array.min.js",
        "vendor/d3-geo.min.js",
        "vendor/topojson-client.min.js",
        "vendor/states-albers-10m.json",
    ] {
        let response = server.get(&format!("/assets/{asset}"), None).await;
        assert_eq!(response.status, StatusCode::OK, "{asset}");
        total += response.body.len();
    }
    assert!(total < 1_500_000, "the first page weighs {total} bytes");
    assert_eq!(
        server.get("/assets/../Cargo.toml", None).await.status,
        StatusCode::NOT_FOUND
    );
}

fn group(value: u64) -> String {
    tally_server::pages::html::group(value)
}
