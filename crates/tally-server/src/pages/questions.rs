//! The claim checker (`/check`) and the comparison (`/compare`): a form, and under it the
//! answer of the same library call as `tally check` and `tally compare`, in words.

use super::html::{self, escape, float, group, range, uint};
use super::{html_response, page_date, page_text, PageError};
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::Value;
use std::fmt::Write;
use tally_query::{CheckRequest, CompareRequest, SelectionInput};

#[derive(Debug, Default, Deserialize)]
pub struct CheckQuery {
    pub claim: Option<String>,
    pub date: Option<String>,
}

pub async fn check(
    State(state): State<AppState>,
    Query(query): Query<CheckQuery>,
) -> Result<Response, PageError> {
    let date = page_date("date", &query.date)?;
    let claim = page_text(&query.claim);
    let answer = match claim.clone() {
        None => None,
        Some(claim) => {
            let result = state
                .read(move |ledger| {
                    let selection = SelectionInput {
                        date,
                        ..SelectionInput::default()
                    }
                    .to_selection();
                    Ok(selection.and_then(|selection| {
                        tally_query::check(
                            ledger,
                            &CheckRequest {
                                claim,
                                selection,
                                ..CheckRequest::default()
                            },
                        )
                    }))
                })
                .await
                .map_err(PageError::from)?;
            Some(match result {
                Ok(answer) => Ok(serde_json::to_value(&answer)
                    .map_err(|e| PageError::Internal(e.to_string()))?),
                Err(error) if error.is_bad_input() => Err(error.to_string()),
                Err(error) => return Err(PageError::from(error)),
            })
        }
    };
    let mut body = format!(
        "<h1>Check a claim</h1>\n\
         <form class=\"ask\" method=\"get\" action=\"/check\">\
         <label for=\"claim\">The claim, as it was made</label>\
         <textarea id=\"claim\" name=\"claim\" rows=\"3\" placeholder=\"The White House said more than 250,000 people attended the parade\">{}</textarea>\
         <label>Day <input type=\"date\" name=\"date\" value=\"{}\"></label> \
         <button type=\"submit\">Check</button></form>\n",
        escape(claim.as_deref().unwrap_or("")),
        date.map(|d| d.to_string()).unwrap_or_default()
    );
    match answer {
        None => body.push_str(
            "<p>Write a claim about how many people took part, or in how many places \
             (“over 5 million people in over 2,000 places”). It is judged against the \
             sources other than the one who made it.</p>",
        ),
        Some(Err(message)) => {
            let _ = write!(
                body,
                "<p class=\"error\" role=\"alert\">{}</p>",
                escape(&message)
            );
        }
        Some(Ok(answer)) => body.push_str(&render_check(&answer)),
    }
    Ok(html_response(
        StatusCode::OK,
        html::page("Check a claim", "/check", &body),
    ))
}

/// The verdict in words a reader understands.
fn verdict_words(verdict: &str) -> (&'static str, &'static str) {
    match verdict {
        "consistent" => (
            "Consistent with the evidence",
            "The claim's figures overlap the range the independent evidence supports.",
        ),
        "above_evidence" => (
            "Higher than the evidence",
            "Even the claim's lowest figure is above the highest the independent evidence supports.",
        ),
        "below_evidence" => (
            "Lower than the evidence",
            "Even the claim's highest figure is below the lowest the independent evidence supports.",
        ),
        _ => (
            "Not enough evidence to say",
            "There are too few independent reports with a size for this selection to judge the claim.",
        ),
    }
}

fn render_check(answer: &Value) -> String {
    let verdict = answer["verdict"]
        .as_str()
        .unwrap_or("insufficient_evidence");
    let (headline, explanation) = verdict_words(verdict);
    let evidence = &answer["evidence"];
    let mut out = format!(
        "<section class=\"verdict verdict-{v}\" id=\"verdict\" data-verdict=\"{v}\" aria-live=\"polite\">\
         <h2>{headline}</h2><p>{explanation}</p>",
        v = escape(verdict)
    );
    if let (Some(low), Some(high)) = (
        uint(evidence, "participants_low"),
        uint(evidence, "participants_high"),
    ) {
        let _ = write!(
            out,
            "<p id=\"evidence-range\">The evidence supports <strong>{}</strong> people.</p>",
            range(low, high)
        );
    }
    let _ =
        write!(
        out,
        "<p>From {} with a size out of {} in the selection ({:.0}% coverage); the sums of what \
         they reported run from {} to {}.</p>",
        html::plural(uint(evidence, "events_with_size").unwrap_or(0), "event", "events"),
        group(uint(evidence, "events").unwrap_or(0)),
        float(evidence, "coverage").unwrap_or(0.0) * 100.0,
        group(uint(evidence, "known_low").unwrap_or(0)),
        group(uint(evidence, "known_high").unwrap_or(0)),
    );
    if let Some(text) = answer["claim"]["text"].as_str() {
        let _ = write!(out, "<p>The claim as read: “{}”.</p>", escape(text));
    }
    out.push_str(&excluded(answer));
    if let Some(method) = evidence["method"].as_str() {
        let _ = write!(
            out,
            "<details><summary>How the evidence range is made</summary><p>{}</p></details>",
            escape(method)
        );
    }
    out.push_str("</section>");
    out
}

/// The reports left out because they came from the claimant or the organizers, when the
/// answer lists them.
fn excluded(answer: &Value) -> String {
    let list = ["excluded", "excluded_reports"]
        .iter()
        .find_map(|k| answer.get(*k).or_else(|| answer["evidence"].get(*k)))
        .and_then(Value::as_array);
    let Some(list) = list else {
        return String::new();
    };
    if list.is_empty() {
        return "<p id=\"excluded\">No report was left out.</p>".to_string();
    }
    let mut items = String::new();
    for item in list {
        let mut words = Vec::new();
        for key in [
            "attribution",
            "class",
            "publisher",
            "place",
            "title",
            "reason",
        ] {
            if let Some(t) = item.get(key).and_then(Value::as_str) {
                words.push(escape(t));
            }
        }
        if let (Some(low), Some(high)) = (uint(item, "low"), uint(item, "high")) {
            words.push(range(low, high));
        }
        if words.is_empty() {
            words.push(escape(&item.to_string()));
        }
        let _ = write!(items, "<li>{}</li>", words.join(" · "));
    }
    format!(
        "<div id=\"excluded\"><h3>Left out as not independent ({})</h3><ul>{items}</ul></div>",
        list.len()
    )
}

#[derive(Debug, Default, Deserialize)]
pub struct CompareQuery {
    pub a: Option<String>,
    pub b: Option<String>,
    pub date: Option<String>,
}

pub async fn compare(
    State(state): State<AppState>,
    Query(query): Query<CompareQuery>,
) -> Result<Response, PageError> {
    let date = page_date("date", &query.date)?;
    let (a, b) = (page_text(&query.a), page_text(&query.b));
    let mut body = format!(
        "<h1>Compare</h1>\n<form class=\"ask\" method=\"get\" action=\"/compare\">\
         <label>First selection <input name=\"a\" value=\"{}\" placeholder=\"No Kings\"></label> \
         <label>Second selection <input name=\"b\" value=\"{}\" placeholder=\"military parade\"></label> \
         <label>Day <input type=\"date\" name=\"date\" value=\"{}\"></label> \
         <button type=\"submit\">Compare</button></form>\n",
        escape(a.as_deref().unwrap_or("")),
        escape(b.as_deref().unwrap_or("")),
        date.map(|d| d.to_string()).unwrap_or_default()
    );
    if let (Some(a), Some(b)) = (a, b) {
        let result = state
            .read(move |ledger| {
                let defaults = SelectionInput {
                    date,
                    ..SelectionInput::default()
                }
                .to_selection();
                Ok(defaults.and_then(|defaults| {
                    tally_query::compare(
                        ledger,
                        &CompareRequest {
                            a,
                            b,
                            defaults,
                            ..CompareRequest::default()
                        },
                    )
                }))
            })
            .await
            .map_err(PageError::from)?;
        match result {
            Ok(answer) => {
                let value = serde_json::to_value(&answer)
                    .map_err(|e| PageError::Internal(e.to_string()))?;
                body.push_str(&render_compare(&value));
            }
            Err(error) if error.is_bad_input() => {
                let _ = write!(
                    body,
                    "<p class=\"error\" role=\"alert\">{}</p>",
                    escape(&error.to_string())
                );
            }
            Err(error) => return Err(PageError::from(error)),
        }
    } else {
        body.push_str(
            "<p>Two selections, each written like “No Kings”, “military parade” or \
             “No Kings in IL”. The ratio's interval comes from resampling both totals together.</p>",
        );
    }
    Ok(html_response(
        StatusCode::OK,
        html::page("Compare", "/compare", &body),
    ))
}

fn side(value: &Value) -> String {
    let name = value["selection"].as_str().unwrap_or("?");
    let imputed = &value["imputed"];
    let imputed_text = match (
        uint(imputed, "point"),
        uint(imputed, "low"),
        uint(imputed, "high"),
    ) {
        (Some(p), Some(l), Some(h)) => format!("{} (90% interval {})", group(p), range(l, h)),
        _ => "—".to_string(),
    };
    format!(
        "<section class=\"side\"><h2>{}</h2><dl>\
         <dt>Events</dt><dd>{}</dd><dt>Reported</dt><dd>{}</dd><dt>Imputed</dt><dd>{}</dd></dl></section>",
        escape(name),
        group(uint(value, "events").unwrap_or(0)),
        range(
            uint(value, "known_low").unwrap_or(0),
            uint(value, "known_high").unwrap_or(0)
        ),
        imputed_text
    )
}

fn render_compare(answer: &Value) -> String {
    let ratio = &answer["ratio"];
    let fmt = |v: Option<f64>| v.map_or("unbounded".to_string(), |r| format!("{r:.2}×"));
    let mut out = format!(
        "<div class=\"columns\">{}{}</div>\
         <p class=\"lead\" id=\"ratio\">The first is <strong>{}</strong> the second (90% interval {} to {}).</p>",
        side(&answer["a"]),
        side(&answer["b"]),
        fmt(ratio["point"].as_f64()),
        fmt(ratio["low"].as_f64()),
        fmt(ratio["high"].as_f64()),
    );
    for key in ["overlap", "shared_events"] {
        if let Some(v) = answer.get(key).filter(|v| !v.is_null()) {
            let _ = write!(
                out,
                "<p class=\"warning\" role=\"note\">Some events are in both selections: {}</p>",
                escape(&v.to_string())
            );
        }
    }
    if let Some(m) = ratio["method"].as_str() {
        let _ = write!(
            out,
            "<details><summary>How the ratio is made</summary><p>{}</p></details>",
            escape(m)
        );
    }
    out
}
