//! `tally extract`: crowd sizes, attribution, scope, event counts, place and date from
//! article text, for one document (`FILE` or `-`) or a JSON Lines batch (`--jsonl`).
//!
//! Offsets (`start`, `end`) are byte offsets into the text as decoded. A file that is
//! not valid UTF-8 is decoded lossily (each bad sequence becomes U+FFFD, three bytes)
//! with a warning on stderr, so offsets then refer to the decoded text, not the raw
//! bytes. In `--jsonl` mode the text is the JSON string, always valid UTF-8.

use crate::cli::Global;
use crate::exit::{usage, Outcome};
use anyhow::Context;
use serde_json::{json, Value};
use std::io::{BufRead, Write};
use std::path::PathBuf;
use tally_extract::{extract, ExtractOptions, Extraction};
use tally_model::{CodingRules, Date};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The article text: a file, or `-` (the default) for standard input.
    #[arg(value_name = "FILE|-")]
    pub input: Option<PathBuf>,
    /// Publication date (YYYY-MM-DD): relative days ("on Saturday") count from it.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
    /// Read JSON Lines on standard input ({"id", "text", "date"}) and write one JSON
    /// object per line, in order.
    #[arg(long, conflicts_with_all = ["input", "json"])]
    pub jsonl: bool,
    /// Vague-word coding rules: `design` (the default, DESIGN.md's table) or `round`
    /// (a dozen = 10, dozens = 20, hundreds = 100).
    #[arg(long, value_name = "NAME", default_value = "design")]
    pub rules: String,
}

pub fn run(args: Args, global: &Global) -> anyhow::Result<Outcome> {
    let rules = CodingRules::named(&args.rules).map_err(|e| usage(format!("--rules: {e}")))?;
    if args.jsonl {
        let stdin = std::io::stdin();
        let stdout = std::io::stdout();
        return run_jsonl(
            stdin.lock(),
            &mut stdout.lock(),
            &rules,
            global.max_document_size,
        );
    }
    let publication_date = args
        .date
        .as_deref()
        .map(|d| parse_date(d).map_err(|e| usage(format!("--date: {e}"))))
        .transpose()?;
    let input = args.input.clone().unwrap_or_else(|| PathBuf::from("-"));
    let name = if input.as_os_str() == "-" {
        "-".to_string()
    } else {
        input.display().to_string()
    };
    let bytes = crate::input::read_input(
        &input,
        global.max_document_size,
        tally_ingest::Cap::Document,
    )?;
    let text = String::from_utf8_lossy(&bytes);
    if matches!(text, std::borrow::Cow::Owned(_)) {
        eprintln!(
            "warning: {name}: not valid UTF-8; bad bytes were replaced with U+FFFD and \
             offsets refer to the decoded text"
        );
    }
    let options = ExtractOptions {
        rules,
        publication_date,
    };
    let extraction = extract(&text, &options);
    for d in &extraction.diagnostics {
        match d.offset {
            Some(o) => eprintln!("note: {name}: byte {o}: {}", d.message),
            None => eprintln!("note: {name}: {}", d.message),
        }
    }
    let id = (name != "-").then_some(name);
    let mut out = std::io::stdout().lock();
    if args.json {
        let value = document_json(id.map(Value::String).unwrap_or(Value::Null), &extraction);
        writeln!(out, "{value}")?;
    } else {
        write_text(&mut out, &text, &extraction, &options.rules)?;
    }
    Ok(Outcome::Success)
}

fn parse_date(text: &str) -> Result<Date, String> {
    Date::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| format!("{text:?} is not a date (YYYY-MM-DD)"))
}

/// The JSON object of DESIGN.md for one document; `rules` is added to each estimate
/// (the coding rules' label when the figure was coded from a vague word, else null).
pub fn document_json(id: Value, e: &Extraction) -> Value {
    let estimates: Vec<Value> = e
        .estimates
        .iter()
        .map(|f| {
            json!({
                "low": f.estimate.low(),
                "high": f.estimate.high(),
                "qualifier": f.estimate.qualifier(),
                "vague_text": f.estimate.vague_text(),
                "attribution": f.estimate.attribution().as_str(),
                "scope": f.estimate.scope().as_str(),
                "start": f.start,
                "end": f.end,
                "rules": f.rules,
                // The gathering this figure describes (issue 9): its own place and
                // date when the text gives them, and whether it is an earlier one.
                "locality": f.locality,
                "state": f.state.map(|s| s.as_str()),
                "place_from": f.place_from.as_str(),
                "date": f.date.map(|d| d.format("%Y-%m-%d").to_string()),
                "year": f.year,
                "past": f.past,
            })
        })
        .collect();
    json!({
        "id": id,
        "estimates": estimates,
        "event_count": e.event_count,
        "locality": e.locality,
        "state": e.state.map(|s| s.as_str()),
        "date": e.date.map(|d| d.format("%Y-%m-%d").to_string()),
    })
}

/// One batch: each input line gives one output line, in order. A line that is not a
/// JSON object with a string `text` gives an object with an `error` and the run ends
/// with exit code 1.
/// A line longer than `max_line_bytes` (the document cap) gives an error object too,
/// without being held in memory.
pub fn run_jsonl(
    mut input: impl BufRead,
    out: &mut impl Write,
    rules: &CodingRules,
    max_line_bytes: u64,
) -> anyhow::Result<Outcome> {
    let mut outcome = Outcome::Success;
    let mut bytes = Vec::new();
    for line_no in 1.. {
        match crate::input::read_line_capped(&mut input, &mut bytes, max_line_bytes)
            .context("reading standard input")?
        {
            crate::input::Line::End => break,
            crate::input::Line::Read => {}
            crate::input::Line::TooLong => {
                outcome = Outcome::SomeInputRejected;
                let message = format!(
                    "line {line_no}: longer than the limit of {}; raise it with {}",
                    tally_ingest::format_bytes(max_line_bytes),
                    tally_ingest::Cap::Document.flag()
                );
                eprintln!("stdin:{message}");
                writeln!(out, "{}", json!({"id": null, "error": message}))?;
                continue;
            }
        }
        let text = String::from_utf8_lossy(&bytes);
        if text.trim().is_empty() {
            continue;
        }
        let value = match serde_json::from_str::<Value>(&text) {
            Ok(v) => v,
            Err(e) => {
                outcome = Outcome::SomeInputRejected;
                eprintln!("stdin:{line_no}: {e}");
                writeln!(
                    out,
                    "{}",
                    json!({"id": null, "error": format!("line {line_no}: {e}")})
                )?;
                continue;
            }
        };
        let id = value.get("id").cloned().unwrap_or(Value::Null);
        let Some(doc_text) = value.get("text").and_then(Value::as_str) else {
            outcome = Outcome::SomeInputRejected;
            let message = format!("line {line_no}: missing string field \"text\"");
            eprintln!("stdin:{line_no}: missing string field \"text\"");
            writeln!(out, "{}", json!({"id": id, "error": message}))?;
            continue;
        };
        let publication_date = match value.get("date") {
            None | Some(Value::Null) => None,
            Some(Value::String(d)) => match parse_date(d) {
                Ok(d) => Some(d),
                Err(e) => {
                    outcome = Outcome::SomeInputRejected;
                    eprintln!("stdin:{line_no}: date: {e}");
                    writeln!(
                        out,
                        "{}",
                        json!({"id": id, "error": format!("line {line_no}: date: {e}")})
                    )?;
                    continue;
                }
            },
            Some(other) => {
                outcome = Outcome::SomeInputRejected;
                let message = format!("line {line_no}: date must be a string, got {other}");
                eprintln!("stdin:{line_no}: date must be a string");
                writeln!(out, "{}", json!({"id": id, "error": message}))?;
                continue;
            }
        };
        let options = ExtractOptions {
            rules: rules.clone(),
            publication_date,
        };
        let extraction = extract(doc_text, &options);
        writeln!(out, "{}", document_json(id, &extraction))?;
    }
    out.flush()?;
    Ok(outcome)
}

fn write_text(
    out: &mut impl Write,
    text: &str,
    e: &Extraction,
    rules: &CodingRules,
) -> anyhow::Result<()> {
    if e.estimates.is_empty() {
        writeln!(out, "no crowd sizes found")?;
    }
    for f in &e.estimates {
        let range = if f.estimate.low() == f.estimate.high() {
            f.estimate.low().to_string()
        } else {
            format!("{}-{}", f.estimate.low(), f.estimate.high())
        };
        let coded = match &f.rules {
            Some(label) => format!(" (coded by {label})"),
            None => String::new(),
        };
        writeln!(
            out,
            "{range}\t{}\t{}\t{}..{}\t{:?}{coded}",
            f.estimate.attribution(),
            f.estimate.scope().as_str(),
            f.start,
            f.end,
            &text[f.start..f.end],
        )?;
    }
    let or_dash = |v: Option<String>| v.unwrap_or_else(|| "-".to_string());
    writeln!(
        out,
        "event count: {}",
        or_dash(e.event_count.map(|c| c.to_string()))
    )?;
    writeln!(
        out,
        "place: {}, {}",
        or_dash(e.locality.clone()),
        or_dash(e.state.map(|s| s.to_string()))
    )?;
    writeln!(out, "date: {}", or_dash(e.date.map(|d| d.to_string())))?;
    writeln!(out, "rules: {}", rules.label())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn batch(input: &str) -> (Vec<Value>, Outcome) {
        let mut out = Vec::new();
        let outcome =
            run_jsonl(input.as_bytes(), &mut out, &CodingRules::default(), 1 << 20).unwrap();
        let lines = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        (lines, outcome)
    }

    #[test]
    fn jsonl_gives_one_object_per_line_with_the_design_fields() {
        let input = concat!(
            r#"{"id": 7, "text": "CHICAGO (AP) \u2014 Police said about 5,000 people marched on Saturday.", "date": "2025-06-15"}"#,
            "\n",
            r#"{"id": "b", "text": ""}"#,
            "\n"
        );
        let (lines, outcome) = batch(input);
        assert_eq!(outcome, Outcome::Success);
        assert_eq!(lines.len(), 2);
        let first = &lines[0];
        assert_eq!(first["id"], 7);
        let e = &first["estimates"][0];
        assert_eq!(
            (e["low"].as_u64(), e["high"].as_u64()),
            (Some(5000), Some(5000))
        );
        assert_eq!(e["qualifier"], "about");
        assert_eq!(e["vague_text"], Value::Null);
        assert_eq!(e["attribution"], "police");
        assert_eq!(e["scope"], "event");
        let text = "CHICAGO (AP) \u{2014} Police said about 5,000 people marched on Saturday.";
        let (s, t) = (
            e["start"].as_u64().unwrap() as usize,
            e["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&text[s..t], "about 5,000");
        assert_eq!(first["locality"], "Chicago");
        assert_eq!(first["state"], "IL");
        assert_eq!(first["date"], "2025-06-14");
        assert_eq!(first["event_count"], Value::Null);
        assert_eq!(lines[1]["id"], "b");
        assert_eq!(lines[1]["estimates"].as_array().unwrap().len(), 0);
    }

    #[test]
    fn bad_lines_are_reported_in_place() {
        let (lines, outcome) =
            batch("not json\n{\"id\": 2}\n{\"id\": 3, \"text\": \"Dozens rallied.\"}\n");
        assert_eq!(outcome, Outcome::SomeInputRejected);
        assert_eq!(lines.len(), 3);
        assert!(lines[0]["error"].is_string());
        assert_eq!(lines[1]["id"], 2);
        assert!(lines[1]["error"].is_string());
        assert_eq!(lines[2]["estimates"][0]["low"], 24);
        assert_eq!(lines[2]["estimates"][0]["rules"], "design@1");
    }
}
