//! The public submission form (`/submit`) and the reviewers' queue (`/review`). Both are
//! plain HTML forms that the script sends to the API as JSON (`/api/v1/submissions`),
//! with the reviewer's token kept only in the tab's session storage.

use super::html::{self};
use super::html_response;
use axum::http::StatusCode;
use axum::response::Response;

const ATTRIBUTIONS: &[&str] = &[
    "media",
    "police",
    "officials",
    "organizers",
    "researchers",
    "participants",
    "unknown",
];

pub async fn submit() -> Response {
    let options: String = ATTRIBUTIONS
        .iter()
        .map(|a| format!("<option value=\"{a}\">{a}</option>"))
        .collect();
    let body = format!(
        "<h1>Submit a report</h1>\n\
         <p>Tell us about a gathering and the size a source gave it. A reviewer checks every \
         submission before it counts anywhere.</p>\n\
         <form id=\"submit-form\" class=\"form\" data-endpoint=\"/api/v1/submissions\">\
         <label>Day <input type=\"date\" name=\"date\" required></label>\
         <label>Place <input name=\"place\" required placeholder=\"Springfield, IL\"></label>\
         <label>Name of the gathering <input name=\"title\" placeholder=\"No Kings\"></label>\
         <label>Low figure <input name=\"size_low\" placeholder=\"2,500 or a few thousand\"></label>\
         <label>High figure <input name=\"size_high\" placeholder=\"leave empty for one figure\"></label>\
         <label>The source's words <input name=\"size_text\" placeholder=\"about 3,000\"></label>\
         <label>Whose figure <select name=\"attribution\">{options}</select></label>\
         <label>Link to the source <input type=\"url\" name=\"url\" placeholder=\"https://…\"></label>\
         <label>Note for the reviewer <textarea name=\"note\" rows=\"3\"></textarea></label>\
         <button type=\"submit\">Send for review</button></form>\n\
         <p id=\"submit-result\" role=\"status\" aria-live=\"polite\"></p>\n\
         <noscript><p>This form needs JavaScript; without it, POST the same fields as JSON to \
         <code>/api/v1/submissions</code>.</p></noscript>"
    );
    html_response(
        StatusCode::OK,
        html::page("Submit a report", "/submit", &body),
    )
}

pub async fn review() -> Response {
    let body = "<h1>Review submissions</h1>\n\
         <p>Pending submissions count nowhere until a reviewer accepts them. Accepting adds a \
         report and relinks; rejecting records the reason. Nothing is edited or deleted.</p>\n\
         <form id=\"token-form\" class=\"form\">\
         <label>Reviewer token <input type=\"password\" name=\"token\" autocomplete=\"off\" required></label>\
         <button type=\"submit\">Show the queue</button></form>\n\
         <p id=\"review-status\" role=\"status\" aria-live=\"polite\"></p>\n\
         <div id=\"queue\"></div>\n\
         <noscript><p>The queue needs JavaScript and a reviewer token; the API serves it at \
         <code>/api/v1/submissions?status=pending</code>.</p></noscript>";
    html_response(StatusCode::OK, html::page("Review", "/review", body))
}
