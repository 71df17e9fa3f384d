//! Public submissions: what a member of the public may send, and how it is checked.
//!
//! Everything here is data in, verdict out: no I/O. A submission is refused (422, with
//! every problem named) unless it has a real date, a place (resolved against the
//! gazetteer, or kept and flagged), a crowd size read as numbers or by the extraction
//! crate's number reader, and, if it has one, an http(s) URL. Text is kept verbatim
//! but bounded, without control characters; it is never interpreted, and whoever shows
//! it escapes it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tally_model::{Attribution, CodingRules};
use tally_places::Gazetteer;
use utoipa::ToSchema;

/// A submission as sent: `POST /api/v1/submissions`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmissionRequest {
    /// The day of the gathering, `YYYY-MM-DD`.
    pub date: String,
    /// Where: "Springfield, IL", "Washington, DC".
    pub place: String,
    pub title: Option<String>,
    /// A number (`2500`) or words (`"a few thousand"`, `"5k"`).
    #[schema(value_type = Option<Object>)]
    pub size_low: Option<Value>,
    /// A number or words, as `size_low`.
    #[schema(value_type = Option<Object>)]
    pub size_high: Option<Value>,
    /// The size in the source's words ("hundreds", "about 3,000").
    pub size_text: Option<String>,
    /// Whose figure: police, officials, organizers, media, researchers, participants,
    /// unknown.
    pub attribution: Option<String>,
    /// Where the figure was published (http or https).
    pub url: Option<String>,
    /// Anything else the reviewer should know.
    pub note: Option<String>,
}

/// A submission that passed the checks, as stored and as shown to reviewers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Submission {
    #[schema(value_type = String, format = Date)]
    pub date: NaiveDate,
    pub place: String,
    /// The gazetteer's locality and state for `place`, when it resolved.
    pub locality: Option<String>,
    pub state: Option<String>,
    /// False when the place did not resolve to a locality: kept, and flagged here.
    pub place_resolved: bool,
    /// Why the place is flagged, when it is.
    pub place_note: Option<String>,
    pub title: Option<String>,
    pub size_low: u64,
    pub size_high: u64,
    pub size_text: Option<String>,
    pub attribution: String,
    pub url: Option<String>,
    pub note: Option<String>,
}

/// The largest gathering a submission may claim.
const MAX_SIZE: u64 = 10_000_000;

/// Checks a submission; `Err` lists every problem, one per line.
pub fn validate(request: &SubmissionRequest, today: NaiveDate) -> Result<Submission, Vec<String>> {
    let mut problems = Vec::new();
    let mut check_text = |field: &str, value: Option<&str>, max: usize, multiline: bool| {
        let text = value.map(str::trim).filter(|t| !t.is_empty())?;
        if text.chars().count() > max {
            problems.push(format!("{field}: longer than {max} characters"));
            return None;
        }
        let bad = text
            .chars()
            .any(|c| c.is_control() && !(multiline && (c == '\n' || c == '\t')));
        if bad {
            problems.push(format!("{field}: holds control characters"));
            return None;
        }
        Some(text.to_string())
    };
    let place = check_text("place", Some(&request.place), 200, false);
    let title = check_text("title", request.title.as_deref(), 300, false);
    let size_text = check_text("size_text", request.size_text.as_deref(), 200, false);
    let note = check_text("note", request.note.as_deref(), 2000, true);
    let url = check_text("url", request.url.as_deref(), 2000, false);
    let attribution_text = check_text("attribution", request.attribution.as_deref(), 40, false);
    if place.is_none() && !problems.iter().any(|p| p.starts_with("place")) {
        problems.push("place: required (\"City, ST\")".into());
    }

    let date = match NaiveDate::parse_from_str(request.date.trim(), "%Y-%m-%d") {
        Ok(date) if date > today.succ_opt().unwrap_or(today) => {
            problems.push(format!("date: {date} is in the future"));
            None
        }
        Ok(date) if date < NaiveDate::from_ymd_opt(1900, 1, 1).expect("a real date") => {
            problems.push(format!("date: {date} is before 1900"));
            None
        }
        Ok(date) => Some(date),
        Err(_) => {
            problems.push(format!(
                "date: {:?} is not a real date in the form YYYY-MM-DD",
                shorten(&request.date)
            ));
            None
        }
    };

    let attribution = match attribution_text.as_deref().map(str::parse::<Attribution>) {
        None => Some(Attribution::Unknown),
        Some(Ok(a)) => Some(a),
        Some(Err(_)) => {
            problems.push(
                "attribution: expected police, officials, organizers, media, researchers, participants or unknown"
                    .into(),
            );
            None
        }
    };

    if let Some(url) = &url {
        if let Err(reason) = check_url(url) {
            problems.push(format!("url: {reason}"));
        }
    }

    let rules = CodingRules::default();
    let low = read_size("size_low", request.size_low.as_ref(), &rules, &mut problems);
    let high = read_size(
        "size_high",
        request.size_high.as_ref(),
        &rules,
        &mut problems,
    );
    let from_text = size_text
        .as_deref()
        .and_then(|t| tally_extract::parse_size_phrase(t, &rules));
    if size_text.is_some() && from_text.is_none() && low.is_none() && high.is_none() {
        problems.push("size_text: no crowd size found in it".into());
    }
    let (size_low, size_high) = match (low, high, &from_text) {
        (Some(l), Some(h), _) => (Some(l.0), Some(h.1)),
        (Some(l), None, _) => (Some(l.0), Some(l.1)),
        (None, Some(h), _) => (Some(h.0), Some(h.1)),
        (None, None, Some(e)) => (Some(e.low()), Some(e.high())),
        (None, None, None) => {
            if !problems.iter().any(|p| p.starts_with("size")) {
                problems.push(
                    "size: give size_low and/or size_high (a number or words such as \"a few hundred\"), or size_text"
                        .into(),
                );
            }
            (None, None)
        }
    };
    if let (Some(l), Some(h)) = (size_low, size_high) {
        if l > h {
            problems.push(format!("size_low {l} is above size_high {h}"));
        }
        if h > MAX_SIZE {
            problems.push(format!(
                "size: {h} is more than {MAX_SIZE}, the most one gathering may hold here"
            ));
        }
    }

    if !problems.is_empty() {
        return Err(problems);
    }
    let place = place.expect("checked above");
    let resolution = Gazetteer::embedded().resolve(&place);
    let resolved = resolution.place.as_ref().filter(|p| p.locality.is_some());
    let place_note = match resolved {
        Some(_) => None,
        None if resolution.online => Some("an online event: no locality".to_string()),
        None => Some(
            resolution
                .error
                .clone()
                .unwrap_or_else(|| "the place did not resolve to a locality".to_string()),
        ),
    };
    Ok(Submission {
        date: date.expect("checked above"),
        locality: resolved.and_then(|p| p.locality.clone()),
        state: resolved.map(|p| p.state.as_str().to_string()),
        place_resolved: resolved.is_some(),
        place_note,
        place,
        title,
        size_low: size_low.expect("checked above"),
        size_high: size_high.expect("checked above"),
        size_text,
        attribution: attribution.expect("checked above").as_str().to_string(),
        url,
        note,
    })
}

/// A size field: a whole number, or words for the number reader. `(low, high)`.
fn read_size(
    field: &str,
    value: Option<&Value>,
    rules: &CodingRules,
    problems: &mut Vec<String>,
) -> Option<(u64, u64)> {
    match value? {
        Value::Null => None,
        Value::Number(n) => match n.as_u64() {
            Some(n) if n > 0 => Some((n, n)),
            _ => {
                problems.push(format!("{field}: {n} is not a whole number above zero"));
                None
            }
        },
        Value::String(text) if text.trim().is_empty() => None,
        Value::String(text) if text.chars().count() > 200 => {
            problems.push(format!("{field}: longer than 200 characters"));
            None
        }
        Value::String(text) => match tally_extract::parse_size_phrase(text, rules) {
            Some(estimate) => Some((estimate.low(), estimate.high())),
            None => {
                problems.push(format!("{field}: no number in {:?}", shorten(text)));
                None
            }
        },
        _ => {
            problems.push(format!("{field}: expected a number or words"));
            None
        }
    }
}

/// An http(s) URL with a host; nothing else (no `javascript:`, `data:`, `file:`).
fn check_url(url: &str) -> Result<(), String> {
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .ok_or_else(|| "must start with http:// or https://".to_string())?;
    if url.chars().any(|c| {
        c.is_whitespace() || c.is_control() || c == '"' || c == '<' || c == '>' || c == '\\'
    }) {
        return Err("holds spaces, quotes or angle brackets".into());
    }
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..host_end];
    let host = authority.rsplit_once(':').map_or(authority, |(h, _)| h);
    let host_ok = !host.is_empty()
        && !authority.contains('@')
        && host.chars().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '[' | ']' | ':') || !c.is_ascii()
        });
    if !host_ok {
        return Err("has no valid host".into());
    }
    Ok(())
}

/// The first 80 characters of a bad value, for a message.
fn shorten(text: &str) -> String {
    let mut short: String = text.chars().take(80).collect();
    if text.chars().count() > 80 {
        short.push('…');
    }
    short
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 7, 1).unwrap()
    }

    fn request(json: serde_json::Value) -> SubmissionRequest {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn a_good_submission_with_words_for_sizes() {
        let s = validate(
            &request(serde_json::json!({
                "date": "2025-06-14", "place": "Springfield, IL", "title": "Rally downtown",
                "size_low": "a few thousand", "size_high": 4500, "attribution": "police",
                "url": "https://example.org/story?id=1"
            })),
            today(),
        )
        .unwrap();
        assert_eq!((s.size_low, s.size_high), (2000, 4500));
        assert!(s.place_resolved);
        assert_eq!(s.state.as_deref(), Some("IL"));
        assert_eq!(s.attribution, "police");
    }

    #[test]
    fn size_text_alone_is_read_by_the_number_reader() {
        let s = validate(
            &request(serde_json::json!({"date": "2025-06-14", "place": "Boise, ID", "size_text": "about 5k"})),
            today(),
        )
        .unwrap();
        assert_eq!((s.size_low, s.size_high), (5000, 5000));
    }

    #[test]
    fn an_unknown_place_is_kept_and_flagged() {
        let s = validate(
            &request(
                serde_json::json!({"date": "2025-06-14", "place": "Qwxzv Hollow", "size_low": 30}),
            ),
            today(),
        )
        .unwrap();
        assert!(!s.place_resolved);
        assert!(s.place_note.is_some());
    }

    #[test]
    fn hostile_fields_are_refused() {
        for (json, expect) in [
            (
                serde_json::json!({"date": "2025-02-30", "place": "Boise, ID", "size_low": 3}),
                "date",
            ),
            (
                serde_json::json!({"date": "2031-01-01", "place": "Boise, ID", "size_low": 3}),
                "future",
            ),
            (
                serde_json::json!({"date": "2025-06-14", "place": "Boise, ID", "size_low": 3, "url": "javascript:alert(1)"}),
                "url",
            ),
            (
                serde_json::json!({"date": "2025-06-14", "place": "Boise, ID", "size_low": 3, "url": "http://\"><img onerror=x>"}),
                "url",
            ),
            (
                serde_json::json!({"date": "2025-06-14", "place": "Boise, ID", "size_low": -4}),
                "size_low",
            ),
            (
                serde_json::json!({"date": "2025-06-14", "place": "Boise, ID", "size_low": "lots"}),
                "size_low",
            ),
            (
                serde_json::json!({"date": "2025-06-14", "place": "Boise, ID"}),
                "size",
            ),
            (
                serde_json::json!({"date": "2025-06-14", "place": "Boise, ID", "size_low": 900, "size_high": 10}),
                "above",
            ),
            (
                serde_json::json!({"date": "2025-06-14", "place": "x".repeat(5000), "size_low": 3}),
                "place",
            ),
            (
                serde_json::json!({"date": "2025-06-14", "place": "Boise\u{0}, ID", "size_low": 3}),
                "control",
            ),
            (
                serde_json::json!({"date": "2025-06-14", "place": "  ", "size_low": 3}),
                "place",
            ),
            (
                serde_json::json!({"date": "2025-06-14", "place": "Boise, ID", "size_low": 3, "attribution": "<script>"}),
                "attribution",
            ),
        ] {
            let problems = validate(&request(json.clone()), today()).unwrap_err();
            assert!(
                problems.iter().any(|p| p.contains(expect)),
                "{json}: {problems:?}"
            );
        }
    }

    #[test]
    fn markup_in_text_is_kept_verbatim_as_data() {
        let s = validate(
            &request(serde_json::json!({
                "date": "2025-06-14", "place": "Boise, ID", "size_low": 40,
                "title": "<script>alert(1)</script>", "note": "\"><img src=x onerror=alert(1)>"
            })),
            today(),
        )
        .unwrap();
        // Stored as text; JSON encoding and the pages' escaping keep it inert.
        assert_eq!(s.title.as_deref(), Some("<script>alert(1)</script>"));
    }

    #[test]
    fn urls() {
        assert!(check_url("https://example.org/a?b=c#d").is_ok());
        assert!(check_url("http://127.0.0.1:8080/x").is_ok());
        assert!(check_url("ftp://example.org").is_err());
        assert!(check_url("https://").is_err());
        assert!(check_url("https://user:pw@example.org").is_err());
        assert!(check_url("JAVASCRIPT:alert(1)").is_err());
        assert!(check_url("data:text/html,<b>").is_err());
    }
}
