//! The day (`/`): a map of where people gathered, the national figures with their
//! intervals, coverage in plain words, a sortable table of states with per-capita
//! figures, the largest events, and the events that have no size, shown apart.

use super::html::{self, escape, float, group, json_for_script, place_name, plural, range, uint};
use super::{html_response, page_date, page_text, PageError};
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::fmt::Write;
use tally_estimate::By;
use tally_model::Date;
use tally_query::{EstimateRequest, EventsRequest, SelectionInput};

/// The most events drawn on the map (the largest first); the rest are counted.
const MAP_LIMIT: usize = 5_000;
/// Rows of the largest-events table.
const LARGEST: usize = 25;

#[derive(Debug, Default, Deserialize)]
pub struct DayQuery {
    pub date: Option<String>,
    #[serde(rename = "match")]
    pub text: Option<String>,
    pub state: Option<String>,
}

/// What the page is made from: the day, its totals by state, and its events.
struct Day {
    date: Option<Date>,
    text: Option<String>,
    state: Option<String>,
    totals: Value,
    events: Vec<Value>,
}

pub async fn day(
    State(state): State<AppState>,
    Query(query): Query<DayQuery>,
) -> Result<Response, PageError> {
    let wanted = page_date("date", &query.date)?;
    let text = page_text(&query.text);
    let area = page_text(&query.state);
    let day = state
        .read(move |ledger| Ok(load(ledger, wanted, text, area)))
        .await
        .map_err(PageError::from)??;
    Ok(html_response(StatusCode::OK, render(&day)))
}

fn load(
    ledger: &tally_store::Ledger,
    wanted: Option<Date>,
    text: Option<String>,
    area: Option<String>,
) -> Result<Day, PageError> {
    let date = match wanted {
        Some(date) => Some(date),
        None => busiest_day(ledger)?,
    };
    let selection = SelectionInput {
        date,
        text: text.clone(),
        state: area.clone(),
        ..SelectionInput::default()
    }
    .to_selection()?;
    let totals = tally_query::estimate(
        ledger,
        &EstimateRequest {
            selection: selection.clone(),
            by: Some(By::State),
            extrapolate: true,
            ..EstimateRequest::default()
        },
    )?;
    let events = tally_query::events(
        ledger,
        &EventsRequest {
            selection,
            limit: None,
            offset: 0,
        },
    )?;
    Ok(Day {
        date,
        text,
        state: area,
        totals: serde_json::to_value(&totals).map_err(|e| PageError::Internal(e.to_string()))?,
        events: events
            .iter()
            .map(serde_json::to_value)
            .collect::<Result<_, _>>()
            .map_err(|e| PageError::Internal(e.to_string()))?,
    })
}

/// The day with the most events (the latest of equals), when the page names none.
fn busiest_day(ledger: &tally_store::Ledger) -> Result<Option<Date>, PageError> {
    let totals = tally_query::estimate(
        ledger,
        &EstimateRequest {
            by: Some(By::Date),
            no_impute: true,
            ..EstimateRequest::default()
        },
    )?;
    let rows = totals.by.unwrap_or_default();
    Ok(rows
        .iter()
        .filter_map(|row| Some((row.totals.events, row.key.parse::<Date>().ok()?)))
        .max()
        .map(|(_, date)| date))
}

fn render(day: &Day) -> String {
    let t = &day.totals;
    let mut body = String::new();
    let when = day
        .date
        .map(|d| d.format("%-d %B %Y").to_string())
        .unwrap_or_else(|| "every day in the ledger".to_string());
    let _ = writeln!(
        body,
        "<h1>Gatherings on {}{}</h1>",
        escape(&when),
        day.text
            .as_deref()
            .map(|t| format!(" matching “{}”", escape(t)))
            .unwrap_or_default()
            + &day
                .state
                .as_deref()
                .map(|s| format!(" in {}", escape(s)))
                .unwrap_or_default()
    );
    let _ = writeln!(
        body,
        "<form class=\"pick\" method=\"get\" action=\"/\">\
         <label>Day <input type=\"date\" name=\"date\" value=\"{}\"></label> \
         <label>Movement or title <input type=\"search\" name=\"match\" value=\"{}\" placeholder=\"No Kings\"></label> \
         <button type=\"submit\">Show</button></form>",
        day.date.map(|d| d.to_string()).unwrap_or_default(),
        escape(day.text.as_deref().unwrap_or(""))
    );
    let events = uint(t, "events").unwrap_or(0);
    if events == 0 {
        body.push_str("<p class=\"lead\">The ledger holds no events for this selection.</p>");
        return html::page("The day", "/", &body);
    }
    body.push_str(&coverage_sentence(t));
    body.push_str("<div class=\"columns\">\n");
    body.push_str(&map_section(day));
    body.push_str(&figures_section(t));
    body.push_str("</div>\n");
    body.push_str(&states_section(t, day));
    body.push_str(&largest_section(&day.events));
    body.push_str(&unsized_section(&day.events));
    html::page("The day", "/", &body)
}

/// Coverage said plainly: how many events, where, and how many have a size.
fn coverage_sentence(t: &Value) -> String {
    let events = uint(t, "events").unwrap_or(0);
    let sized = uint(t, "events_with_size").unwrap_or(0);
    let coverage = float(t, "coverage").unwrap_or(0.0);
    format!(
        "<p class=\"lead\" id=\"coverage\">The ledger holds {} in {} across {}. \
         {} of them ({:.0}%) have a reported size; {} {}.</p>\n",
        plural(events, "event", "events"),
        plural(uint(t, "localities").unwrap_or(0), "place", "places"),
        plural(
            uint(t, "states").unwrap_or(0),
            "state or territory",
            "states and territories"
        ),
        group(sized),
        coverage * 100.0,
        group(events - sized.min(events)),
        if events - sized.min(events) == 1 {
            "does not"
        } else {
            "do not"
        },
    )
}

/// One figure of the national bar chart: a label, its interval and its point.
struct Figure {
    label: String,
    low: u64,
    high: u64,
    point: Option<u64>,
    note: String,
}

fn figures(t: &Value) -> Vec<Figure> {
    let mut out = vec![Figure {
        label: "Reported".to_string(),
        low: uint(t, "known_low").unwrap_or(0),
        high: uint(t, "known_high").unwrap_or(0),
        point: None,
        note: "the sums of the low and high figures of the events that have a size".to_string(),
    }];
    let imputed = &t["imputed"];
    if imputed.is_object() {
        out.push(Figure {
            label: "Imputed".to_string(),
            low: uint(imputed, "low").unwrap_or(0),
            high: uint(imputed, "high").unwrap_or(0),
            point: uint(imputed, "point"),
            note:
                "every event in the ledger, sizes estimated where none was reported (90% interval)"
                    .to_string(),
        });
    }
    let extrapolated = &t["extrapolated"];
    if extrapolated.is_object() {
        let missing = uint(extrapolated, "events_missing").unwrap_or(0);
        out.push(Figure {
            label: "Extrapolated".to_string(),
            low: uint(extrapolated, "low").unwrap_or(0),
            high: uint(extrapolated, "high").unwrap_or(0),
            point: uint(extrapolated, "point"),
            note: format!(
                "with the {} known to exist but missing from the ledger (90% interval)",
                plural(missing, "event", "events")
            ),
        });
    }
    out
}

/// The national figures: a bar with its interval for each, and the same numbers in a
/// table for those who do not see the chart.
fn figures_section(t: &Value) -> String {
    let figures = figures(t);
    let max = figures.iter().map(|f| f.high).max().unwrap_or(1).max(1) as f64;
    let (width, label_w, row_h) = (560.0, 110.0, 40.0);
    let scale = |v: u64| label_w + (v as f64 / max) * (width - label_w - 20.0);
    let mut svg = format!(
        "<svg class=\"bars\" viewBox=\"0 0 {width} {}\" role=\"img\" aria-labelledby=\"figures-h\">",
        row_h * figures.len() as f64 + 24.0
    );
    for (i, f) in figures.iter().enumerate() {
        let y = 10.0 + row_h * i as f64;
        let (x0, x1) = (scale(f.low), scale(f.high).max(scale(f.low) + 2.0));
        let _ = write!(
            svg,
            "<text x=\"0\" y=\"{:.1}\" class=\"bar-label\">{}</text>\
             <rect class=\"bar bar-{}\" x=\"{x0:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"18\"><title>{}: {}</title></rect>",
            y + 14.0,
            escape(&f.label),
            i,
            x1 - x0,
            escape(&f.label),
            range(f.low, f.high)
        );
        if let Some(p) = f.point {
            let x = scale(p);
            let _ = write!(
                svg,
                "<line class=\"point\" x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{:.1}\" y2=\"{:.1}\"/>",
                y - 4.0,
                y + 22.0
            );
        }
    }
    let _ = write!(
        svg,
        "<text x=\"{label_w}\" y=\"{:.1}\" class=\"axis\">0</text><text x=\"{:.1}\" y=\"{:.1}\" class=\"axis\" text-anchor=\"end\">{}</text></svg>",
        row_h * figures.len() as f64 + 20.0,
        width - 20.0,
        row_h * figures.len() as f64 + 20.0,
        group(max as u64)
    );
    let mut rows = String::new();
    for f in &figures {
        let _ = write!(
            rows,
            "<tr><th scope=\"row\">{}</th><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
            escape(&f.label),
            range(f.low, f.high),
            f.point.map(group).unwrap_or_else(|| "—".to_string()),
            escape(&f.note)
        );
    }
    let mut extra = String::new();
    if let Some(b) = t["baseline"].as_object() {
        if let Some(p) = b.get("point").and_then(Value::as_u64) {
            let _ = write!(
                extra,
                "<p>For comparison, filling each event without a size with the median of the others gives {}.</p>",
                group(p)
            );
        }
    }
    if let (Some(pop), Some(share)) = (uint(t, "population"), float(t, "per_capita")) {
        let _ = write!(
            extra,
            "<p id=\"per-capita\">Population of the area: {}. The imputed total is {:.2}% of it.</p>",
            group(pop),
            share * 100.0
        );
    }
    let method = t["imputed"]["method"].as_str().unwrap_or("");
    if !method.is_empty() {
        let _ = write!(
            extra,
            "<details><summary>How the imputed figure is made</summary><p>{}</p></details>",
            escape(method)
        );
    }
    let national = figures
        .first()
        .map(|f| range(f.low, f.high))
        .unwrap_or_default();
    format!(
        "<section class=\"figures\" aria-labelledby=\"figures-h\">\
         <h2 id=\"figures-h\">How many people</h2>\
         <p class=\"national\" id=\"national-range\">Reported: <strong>{national}</strong> people</p>\
         {svg}\
         <table class=\"figures-table\"><caption>The figures behind the chart</caption>\
         <thead><tr><th scope=\"col\">Figure</th><th scope=\"col\">Range</th><th scope=\"col\">Point</th><th scope=\"col\">What it counts</th></tr></thead>\
         <tbody>{rows}</tbody></table>{extra}</section>\n"
    )
}

/// The map: the shapes and circles are drawn by the script from the data block; the
/// block holds every located event of the day (the largest first, at most
/// [`MAP_LIMIT`]).
fn map_section(day: &Day) -> String {
    let mut located: Vec<(&Value, f64, f64)> = day
        .events
        .iter()
        .filter_map(|e| {
            let r = &e["place"]["resolved"];
            Some((e, r["lat"].as_f64()?, r["lon"].as_f64()?))
        })
        .collect();
    located.sort_by_key(|(e, _, _)| std::cmp::Reverse(uint(e, "size_high").unwrap_or(0)));
    let total_located = located.len();
    located.truncate(MAP_LIMIT);
    let points: Vec<Value> = located
        .iter()
        .map(|(e, lat, lon)| {
            json!({
                "id": e["id"],
                "lat": lat,
                "lon": lon,
                "low": e["size_low"],
                "high": e["size_high"],
                "place": place_name(e),
                "title": e["title"],
            })
        })
        .collect();
    let unlocated = day.events.len() - total_located;
    let mut caption = format!(
        "One circle per event with a known place ({}), its area by the middle of its reported range; \
         events without a size are hollow. Hover or focus a circle for its range; select it to open the event.",
        group(total_located as u64)
    );
    if total_located > MAP_LIMIT {
        let _ = write!(
            caption,
            " The {} largest are drawn.",
            group(MAP_LIMIT as u64)
        );
    }
    if unlocated > 0 {
        let _ = write!(
            caption,
            " {} without a known place (online or unresolved) are not on the map.",
            plural(unlocated as u64, "event", "events")
        );
    }
    format!(
        "<section class=\"map\" aria-labelledby=\"map-h\"><h2 id=\"map-h\">Where</h2>\
         <figure><div id=\"map\" data-atlas=\"/assets/vendor/states-albers-10m.json\">\
         <p class=\"noscript-note\">The map needs JavaScript; every event is in the tables below.</p></div>\
         <figcaption>{}</figcaption></figure>\
         <script type=\"application/json\" id=\"events-data\">{}</script></section>\n",
        escape(&caption),
        json_for_script(&Value::Array(points))
    )
}

/// The states, sortable by the script; per capita per 100,000 people.
fn states_section(t: &Value, day: &Day) -> String {
    let date = day.date.map(|d| d.to_string()).unwrap_or_default();
    let Some(rows) = t["by"].as_array() else {
        return String::new();
    };
    let mut body = String::new();
    for row in rows {
        let key = row["key"].as_str().unwrap_or("");
        let events = uint(row, "events").unwrap_or(0);
        let (low, high) = (
            uint(row, "known_low").unwrap_or(0),
            uint(row, "known_high").unwrap_or(0),
        );
        let imputed = uint(&row["imputed"], "point");
        let per_100k = float(row, "per_capita").map(|p| p * 100_000.0);
        let _ = write!(
            body,
            "<tr><th scope=\"row\"><a href=\"/?date={date}&amp;state={k}\">{k}</a></th>\
             <td class=\"num\" data-value=\"{events}\">{}</td>\
             <td class=\"num\" data-value=\"{}\">{}</td>\
             <td class=\"num\" data-value=\"{low}\">{}</td>\
             <td class=\"num\" data-value=\"{}\">{}</td>\
             <td class=\"num\" data-value=\"{}\">{}</td></tr>",
            group(events),
            uint(row, "events_with_size").unwrap_or(0),
            group(uint(row, "events_with_size").unwrap_or(0)),
            range(low, high),
            imputed.unwrap_or(0),
            imputed.map(group).unwrap_or_else(|| "—".into()),
            per_100k.unwrap_or(-1.0),
            per_100k
                .map(|p| format!("{p:.0}"))
                .unwrap_or_else(|| "—".into()),
            k = escape(key),
        );
    }
    format!(
        "<section aria-labelledby=\"states-h\"><h2 id=\"states-h\">By state</h2>\
         <table class=\"sortable\" id=\"states\"><caption>Events and people by state; per capita is the imputed total per 100,000 residents. Select a column heading to sort.</caption>\
         <thead><tr><th scope=\"col\">State</th><th scope=\"col\">Events</th><th scope=\"col\">With a size</th>\
         <th scope=\"col\">Reported</th><th scope=\"col\">Imputed</th><th scope=\"col\">Per 100,000</th></tr></thead>\
         <tbody>{body}</tbody></table></section>\n"
    )
}

fn event_link(e: &Value) -> String {
    let id = e["id"].as_str().unwrap_or("");
    let title = e["title"].as_str().unwrap_or("untitled gathering");
    format!("<a href=\"/events/{}\">{}</a>", escape(id), escape(title))
}

fn largest_section(events: &[Value]) -> String {
    let mut sized: Vec<&Value> = events.iter().filter(|e| e["size_high"].is_u64()).collect();
    sized.sort_by_key(|e| std::cmp::Reverse(uint(e, "size_high").unwrap_or(0)));
    let mut rows = String::new();
    for e in sized.iter().take(LARGEST) {
        let _ = write!(
            rows,
            "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            event_link(e),
            escape(&place_name(e)),
            range(
                uint(e, "size_low").unwrap_or(0),
                uint(e, "size_high").unwrap_or(0)
            ),
            e["reports"].as_array().map_or(0, Vec::len)
        );
    }
    format!(
        "<section aria-labelledby=\"largest-h\"><h2 id=\"largest-h\">The largest events</h2>\
         <table id=\"largest\"><thead><tr><th scope=\"col\">Event</th><th scope=\"col\">Place</th>\
         <th scope=\"col\">Reported range</th><th scope=\"col\">Reports</th></tr></thead><tbody>{rows}</tbody></table></section>\n"
    )
}

/// Events without a size, shown apart and grouped by state.
fn unsized_section(events: &[Value]) -> String {
    let missing: Vec<&Value> = events.iter().filter(|e| e["size_low"].is_null()).collect();
    if missing.is_empty() {
        return String::new();
    }
    let mut by_state: BTreeMap<String, Vec<&Value>> = BTreeMap::new();
    for e in &missing {
        let state = e["place"]["resolved"]["state"]
            .as_str()
            .or_else(|| e["place"]["state"].as_str())
            .unwrap_or("unknown state")
            .to_string();
        by_state.entry(state).or_default().push(e);
    }
    let mut items = String::new();
    for (state, list) in by_state {
        let links: Vec<String> = list
            .iter()
            .map(|e| format!("{} ({})", event_link(e), escape(&place_name(e))))
            .collect();
        let _ = write!(
            items,
            "<li><strong>{}</strong>: {}</li>",
            escape(&state),
            links.join("; ")
        );
    }
    format!(
        "<section aria-labelledby=\"unsized-h\"><h2 id=\"unsized-h\">Events without a reported size</h2>\
         <details id=\"unsized\"><summary>{} known to have happened, with no size reported; the imputed figure estimates them</summary>\
         <ul>{items}</ul></details></section>\n",
        plural(missing.len() as u64, "event", "events")
    )
}
