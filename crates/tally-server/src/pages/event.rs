//! One event (`/events/{id}`): its range and which reports gave each bound, the range by
//! attribution class when the answer carries it, and every report with who said what and
//! its source verbatim, with its link.

use super::html::{self, escape, place_name, range, uint};
use super::{html_response, PageError};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::Value;
use std::fmt::Write;

pub async fn event(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let wanted = id.clone();
    let answer = state
        .read(move |ledger| {
            Ok(match tally_query::event(ledger, &wanted) {
                Ok(answer) => {
                    serde_json::to_value(&answer).map_err(|e| PageError::Internal(e.to_string()))
                }
                Err(error) if error.is_bad_input() => Err(PageError::NotFound(format!(
                    "no event {wanted:?} in this ledger"
                ))),
                Err(error) => Err(PageError::from(error)),
            })
        })
        .await
        .map_err(PageError::from)??;
    Ok(html_response(StatusCode::OK, render(&answer)))
}

/// A link only for http(s) addresses; anything else is shown as text.
fn source_link(url: &str) -> String {
    if url.starts_with("https://") || url.starts_with("http://") {
        format!(
            "<a href=\"{u}\" rel=\"noopener noreferrer nofollow\">{u}</a>",
            u = escape(url)
        )
    } else {
        escape(url)
    }
}

fn render(answer: &Value) -> String {
    let event = &answer["event"];
    let title = event["title"].as_str().unwrap_or("Untitled gathering");
    let date = event["date"].as_str().unwrap_or("undated");
    let mut body = format!(
        "<h1>{} <span class=\"sub\">{}, {}</span></h1>\n",
        escape(title),
        escape(&place_name(event)),
        escape(date)
    );
    let low_from = event["low_from"].as_i64();
    let high_from = event["high_from"].as_i64();
    match (uint(event, "size_low"), uint(event, "size_high")) {
        (Some(low), Some(high)) => {
            let _ =
                writeln!(
                body,
                "<p class=\"lead\" id=\"event-range\">Reported range: <strong>{}</strong> people. \
                 The low end comes from report {}, the high end from report {}.</p>",
                range(low, high),
                low_from.map_or("?".to_string(), |r| format!("<a href=\"#report-{r}\">#{r}</a>")),
                high_from.map_or("?".to_string(), |r| format!("<a href=\"#report-{r}\">#{r}</a>")),
            );
        }
        _ => body.push_str(
            "<p class=\"lead\" id=\"event-range\">No source gave this event a size.</p>\n",
        ),
    }
    body.push_str(&by_class(answer));
    let reports = answer["reports"].as_array().cloned().unwrap_or_default();
    let _ = writeln!(
        body,
        "<h2>Who said what ({})</h2>",
        html::plural(reports.len() as u64, "report", "reports")
    );
    for entry in &reports {
        body.push_str(&report_card(entry, low_from, high_from));
    }
    html::page(title, "", &body)
}

/// The range per attribution class, when the answer gives one (`by_attribution` or
/// `by_class`: an object or a list of {class, low, high}).
fn by_class(answer: &Value) -> String {
    let found = ["by_attribution", "by_class", "ranges_by_class"]
        .iter()
        .find_map(|k| answer.get(*k).or_else(|| answer["event"].get(*k)));
    let Some(found) = found else {
        return String::new();
    };
    let mut rows = String::new();
    let mut add = |class: &str, v: &Value| {
        if let (Some(low), Some(high)) = (uint(v, "low"), uint(v, "high")) {
            let _ = write!(
                rows,
                "<tr><th scope=\"row\">{}</th><td class=\"num\">{}</td></tr>",
                escape(class),
                range(low, high)
            );
        }
    };
    match found {
        Value::Object(map) => {
            for (class, v) in map {
                add(class, v);
            }
        }
        Value::Array(list) => {
            for v in list {
                let class = v["class"]
                    .as_str()
                    .or_else(|| v["attribution"].as_str())
                    .unwrap_or("?");
                add(class, v);
            }
        }
        _ => {}
    }
    if rows.is_empty() {
        return String::new();
    }
    format!(
        "<table id=\"by-class\"><caption>The range each kind of source gave</caption>\
         <thead><tr><th scope=\"col\">Source</th><th scope=\"col\">Range</th></tr></thead><tbody>{rows}</tbody></table>\n"
    )
}

fn report_card(entry: &Value, low_from: Option<i64>, high_from: Option<i64>) -> String {
    let report = &entry["report"];
    let source = &entry["source"];
    let id = report["id"].as_i64().unwrap_or(0);
    let mut badges = String::new();
    if Some(id) == low_from {
        badges.push_str(" <span class=\"badge\">gave the low end</span>");
    }
    if Some(id) == high_from {
        badges.push_str(" <span class=\"badge\">gave the high end</span>");
    }
    let mut figures = String::new();
    for e in report["estimates"].as_array().into_iter().flatten() {
        let (Some(low), Some(high)) = (uint(e, "low"), uint(e, "high")) else {
            continue;
        };
        let who = e["attribution"].as_str().unwrap_or("unknown");
        let scope = e["scope"].as_str().unwrap_or("event");
        let _ = write!(
            figures,
            "<li><strong>{}</strong> people, according to <em>{}</em>{}</li>",
            range(low, high),
            escape(who),
            if scope == "aggregate" {
                " (a total over many places: a claim, not counted here)"
            } else {
                ""
            }
        );
    }
    if figures.is_empty() {
        figures.push_str("<li>No figure (the report says the gathering happened).</li>");
    }
    let mut meta = String::new();
    if let Some(p) = report["publisher"].as_str() {
        let _ = write!(meta, "<dt>Published by</dt><dd>{}</dd>", escape(p));
    }
    for url in report["urls"].as_array().into_iter().flatten() {
        if let Some(u) = url.as_str() {
            let _ = write!(meta, "<dt>Link</dt><dd>{}</dd>", source_link(u));
        }
    }
    if let Some(t) = report["size_text"].as_str() {
        let _ = write!(meta, "<dt>Wording</dt><dd>{}</dd>", escape(t));
    }
    if let Some(n) = report["rsvp"].as_u64() {
        let _ = write!(
            meta,
            "<dt>RSVPs</dt><dd>{} (people who said they would come: not a count)</dd>",
            html::group(n)
        );
    }
    let kind = source["kind"].as_str().unwrap_or("source");
    let origin = source["origin"].as_str().unwrap_or("");
    let locator = source["locator"].as_str().unwrap_or("");
    let content = source["content"]
        .as_str()
        .unwrap_or("(the source is not in this ledger)");
    format!(
        "<article class=\"report\" id=\"report-{id}\"><h3>Report #{id}{badges}</h3>\
         <ul class=\"figures\">{figures}</ul><dl>{meta}\
         <dt>Source</dt><dd>{} · {} {}</dd></dl>\
         <details><summary>The source, verbatim</summary><pre class=\"verbatim\">{}</pre></details></article>\n",
        escape(kind),
        escape(origin),
        escape(locator),
        escape(content)
    )
}
