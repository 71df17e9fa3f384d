//! `tally demo`: from an empty ledger to a national total, on real reported figures for
//! Saturday 14 June 2025 (the No Kings protests and the Army parade in Washington).
//!
//! The bundled file is report-level: one row per source statement, several per
//! gathering, often conflicting. The demo ingests it as any user file would be, links the
//! statements into events, and prints the totals, the national claims beside the
//! evidence, and the parade beside the protests. Every figure it prints can be traced
//! with `tally event ID`.

use crate::cli::Global;
use crate::commands::estimate::{describe_totals, group};
use crate::exit::{bad_input, query_error, Outcome};
use anyhow::Context;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tally_estimate::{compare, Verdict};
use tally_ingest::{Format, IngestOptions};
use tally_model::{Date, Event, Selection};
use tally_pipeline::{ingest_file, IngestRequest};
use tally_query::{load_events, totals_for, CheckRequest, ModelOptions};
use tally_store::Ledger;

/// Reported figures, one row per source statement (publisher and address in each row).
const REPORTS: &str = include_str!("../../demo/june-14-2025-reports.csv");
/// National and city-wide claims made about the day.
const CLAIMS: &str = include_str!("../../demo/june-14-2025-claims.csv");
const DAY: &str = "2025-06-14";

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The demo's own ledger (default: the one `--db`/`TALLY_DB` names, else
    /// tally-demo.db). It is made afresh on every run; an existing file is replaced only
    /// when it holds nothing but an earlier demo's rows.
    #[arg(long)]
    pub ledger: Option<PathBuf>,
    /// Print one JSON object with the demo's answers instead of the walkthrough.
    #[arg(long)]
    pub json: bool,
}

/// What the demo found, for `--json`: the same figures the walkthrough prints.
#[derive(Debug, serde::Serialize)]
struct DemoAnswer {
    ledger: String,
    rows_read: u64,
    reports_added: u64,
    rejected: usize,
    unresolved_places: u64,
    events: usize,
    events_with_several_sources: usize,
    protests: tally_estimate::Totals,
    national_claims: Vec<ClaimAnswer>,
    parade: tally_estimate::Totals,
    parade_claims: Vec<ClaimAnswer>,
    protests_to_parade: tally_estimate::Ratio,
}

#[derive(Debug, serde::Serialize)]
struct ClaimAnswer {
    claim: String,
    claimants: Vec<String>,
    verdict: &'static str,
}

/// `println!` unless the demo prints JSON.
macro_rules! say {
    ($json:expr, $($arg:tt)*) => {
        if !$json {
            println!($($arg)*);
        }
    };
}

/// The name the demo's file is recorded under; a ledger whose files all carry it holds
/// only what the demo wrote.
const DEMO_ORIGIN: &str = "june-14-2025-reports.csv";

pub fn run(args: Args, global: &Global) -> anyhow::Result<Outcome> {
    let json = args.json;
    let path = match (&args.ledger, global.db_given) {
        (Some(path), _) => path.clone(),
        (None, true) => global.db.clone(),
        (None, false) => PathBuf::from("tally-demo.db"),
    };
    start_fresh(&path)?;
    let global = Global {
        db: path.clone(),
        ..global.clone()
    };
    let day: Date = DAY.parse().expect("the demo day is a date");

    heading(json, "1. Ingest: one row per source statement");
    let mut ledger = crate::ledger::open_for_writing(&global, true)?;
    ledger.record_demo_marker()?;
    let mut options = IngestOptions::new(chrono::Utc::now());
    options.format = Format::Reports;
    let request = IngestRequest {
        origin: DEMO_ORIGIN,
        bytes: REPORTS.as_bytes(),
        options,
        strict: false,
    };
    let outcome = ingest_file(&mut ledger, request, &mut |_| {})?;
    let counts = ledger.counts()?;
    say!(
        json,
        "{} rows read: {} reports from {} sources, {} rejected; {} places left unresolved.",
        outcome.rows_read,
        outcome.reports_added,
        counts.sources,
        outcome.rejected.len(),
        outcome.unresolved_places
    );

    heading(
        json,
        "2. Link: statements about the same gathering become one event",
    );
    let all_day = Selection::on(day);
    let events = load_events(&ledger, &all_day).map_err(query_error)?;
    let multi = events.iter().filter(|e| e.reports.len() > 1).count();
    say!(
        json,
        "{} reports → {} events; {} events have more than one source, and their range spans them\n(the smallest figure is size_low, the largest size_high).",
        outcome.reports_added,
        events.len(),
        multi
    );
    print_largest(&events, json);

    heading(json, "3. Totals: the No Kings protests");
    let model = ModelOptions::default();
    let config = model.config();
    let no_kings = Selection {
        text: Some("no kings".into()),
        ..Selection::on(day)
    };
    let protest_events = load_events(&ledger, &no_kings).map_err(query_error)?;
    let protests = totals_for(&no_kings, &protest_events, &config);
    let (protest_count, protest_floor) = (protests.events, protests.known_low);
    say!(json, "{}", describe_totals(&protests));
    say!(
        json,
        "These are the events this file has figures for. The organizers listed about 2,100;\nthe rest are not in this ledger, so the totals below are the evidence for {} of them.",
        protests.events
    );

    heading(json, "4. National claims beside the evidence");
    let claims = national_claims()?;
    let mut national_answers = Vec::new();
    // The organizers' own count of events: the ledger holds only some of them.
    let expected_events = 2_100;
    for (text, claimants) in &claims {
        let request = CheckRequest {
            claim: text.clone(),
            selection: no_kings.clone(),
            expected_events: Some(expected_events),
            model,
            ..CheckRequest::default()
        };
        let result = tally_query::check(&ledger, &request).map_err(query_error)?;
        national_answers.push(ClaimAnswer {
            claim: text.clone(),
            claimants: claimants.clone(),
            verdict: result.verdict.as_str(),
        });
        say!(
            json,
            "{:<22} {}  ({})",
            verdict_label(result.verdict),
            text,
            claimants.join("; ")
        );
    }
    say!(
        json,
        "\nconsistent: the claim's range overlaps the evidence. above/below_evidence: it lies\nwholly outside. insufficient_evidence: the ledger cannot say. With {} of about {} events,\nthe ledger refutes any national claim below its floor of {} people, but cannot refute one\nabove its ceiling: the events it lacks could only add people.",
        protest_count,
        group(expected_events as u64),
        group(protest_floor)
    );

    heading(
        json,
        "5. The Army parade in Washington, and claims about it",
    );
    let parade = Selection {
        text: Some("military parade".into()),
        ..Selection::on(day)
    };
    let parade_events = load_events(&ledger, &parade).map_err(query_error)?;
    let parade_totals = totals_for(&parade, &parade_events, &config);
    say!(json, "{}", describe_totals(&parade_totals));
    let mut parade_answers = Vec::new();
    for text in [
        "more than 250,000 people attended the parade",
        "between 80,000 and 120,000 people attended the parade",
    ] {
        let request = CheckRequest {
            claim: text.to_string(),
            selection: parade.clone(),
            model,
            ..CheckRequest::default()
        };
        let result = tally_query::check(&ledger, &request).map_err(query_error)?;
        parade_answers.push(ClaimAnswer {
            claim: text.to_string(),
            claimants: Vec::new(),
            verdict: result.verdict.as_str(),
        });
        say!(json, "{:<22} {}", verdict_label(result.verdict), text);
    }

    heading(json, "6. The protests beside the parade");
    let comparison = compare(protests.clone(), parade_totals.clone());
    match comparison.ratio.point {
        Some(point) => say!(
            json,
            "No Kings / parade: {point:.1}× (interval {} – {}; {})",
            comparison
                .ratio
                .low
                .map_or("?".into(), |l| format!("{l:.1}×")),
            comparison
                .ratio
                .high
                .map_or("unbounded".into(), |h| format!("{h:.1}×")),
            comparison.ratio.method
        ),
        None => say!(json, "No Kings / parade: no size to compare"),
    }

    if json {
        let answer = DemoAnswer {
            ledger: path.display().to_string(),
            rows_read: outcome.rows_read,
            reports_added: outcome.reports_added,
            rejected: outcome.rejected.len(),
            unresolved_places: outcome.unresolved_places,
            events: events.len(),
            events_with_several_sources: multi,
            protests,
            national_claims: national_answers,
            parade: parade_totals,
            parade_claims: parade_answers,
            protests_to_parade: comparison.ratio,
        };
        println!("{}", serde_json::to_string_pretty(&answer)?);
        return Ok(Outcome::Success);
    }
    heading(json, "Next");
    let db = path.display();
    say!(
        json,
        "  tally --db {db} events --match \"no kings\"        every event with its range"
    );
    say!(
        json,
        "  tally --db {db} event ID                          one event, every source verbatim"
    );
    say!(
        json,
        "  tally --db {db} estimate --date {DAY} --by state   totals per state"
    );
    say!(
        json,
        "  tally --db {db} check \"tens of thousands marched in Chicago\" --date {DAY}"
    );
    Ok(Outcome::Success)
}

/// Removes a previous demo ledger; refuses to touch any other file, and any demo ledger
/// that holds something the demo did not write (a user's own files, reports or
/// decisions): that is the user's data now.
fn start_fresh(path: &Path) -> anyhow::Result<()> {
    let metadata = match std::fs::symlink_metadata(path) {
        Ok(metadata) => metadata,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(error) => return Err(bad_input(format!("cannot use {}: {error}", path.display()))),
    };
    let refuse = |why: String| {
        bad_input(format!(
            "{} {why}; the demo leaves it untouched. Choose another ledger with --ledger",
            path.display()
        ))
    };
    if !metadata.is_file() {
        return Err(refuse("is not a regular file".into()));
    }
    if metadata.len() > 0 {
        let ledger = Ledger::open_read_only(path)
            .map_err(|error| refuse(format!("is not a demo ledger ({error})")))?;
        if !ledger.is_demo_ledger()? {
            return Err(refuse("is not a demo ledger".into()));
        }
        let foreign = ledger.rows_not_from(DEMO_ORIGIN)?;
        if !foreign.is_empty() {
            return Err(refuse(format!(
                "holds data the demo did not write ({})",
                foreign.join(", ")
            )));
        }
    }
    for suffix in ["", "-wal", "-shm"] {
        let file = PathBuf::from(format!("{}{suffix}", path.display()));
        if file.exists() {
            std::fs::remove_file(&file)
                .with_context(|| format!("cannot remove {}", file.display()))?;
        }
    }
    Ok(())
}

fn heading(json: bool, text: &str) {
    say!(json, "\n== {text}");
}

fn print_largest(events: &[Event], json: bool) {
    if json {
        return;
    }
    let mut sized: Vec<&Event> = events.iter().filter(|e| e.has_size()).collect();
    sized.sort_by_key(|e| std::cmp::Reverse((e.size_high, e.size_low)));
    println!("\nThe ten largest by their high figure:");
    for event in sized.iter().take(10) {
        let (low, high) = (event.size_low.unwrap_or(0), event.size_high.unwrap_or(0));
        let range = if low == high {
            group(low)
        } else {
            format!("{} – {}", group(low), group(high))
        };
        println!(
            "  {:<20} {:<24} {:>20}  {} sources  {}",
            event.id.0,
            format!(
                "{}, {}",
                event.place.best_locality().unwrap_or("?"),
                event.place.best_state().map(|s| s.as_str()).unwrap_or("?")
            ),
            range,
            event.reports.len(),
            event.title.as_deref().unwrap_or("")
        );
    }
}

fn verdict_label(verdict: Verdict) -> String {
    format!("[{}]", verdict.as_str())
}

/// The national claims with participant figures, as claim sentences, each with who made it.
/// Claims with the same figures are shown once.
fn national_claims() -> anyhow::Result<Vec<(String, Vec<String>)>> {
    let mut reader = csv::Reader::from_reader(CLAIMS.as_bytes());
    let headers = reader.headers()?.clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .with_context(|| format!("claims.csv lacks {name}"))
    };
    let (scope, low, high, places, claimant, summary) = (
        column("scope")?,
        column("participants_low")?,
        column("participants_high")?,
        column("places")?,
        column("claimant")?,
        column("claim_text_summary")?,
    );
    let mut claims: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for row in reader.records() {
        let row = row?;
        let summary = &row[summary];
        // Projections and viewer counts are not claims about who was in the streets.
        if &row[scope] != "national"
            || summary.contains("projection")
            || summary.contains("viewers")
        {
            continue;
        }
        let (Ok(low), Ok(high)) = (
            row[low].trim().parse::<u64>(),
            row[high].trim().parse::<u64>(),
        ) else {
            continue;
        };
        let people = if low == high {
            format!("{} people", group(low))
        } else {
            format!("between {} and {} people", group(low), group(high))
        };
        let text = match places_phrase(&row[places]) {
            Some(places) => format!("{people} in {places} places"),
            None => people,
        };
        let who = row[claimant].trim().to_string();
        let entry = claims.entry(text).or_default();
        if !who.is_empty() && !entry.contains(&who) {
            entry.push(who);
        }
    }
    let mut claims: Vec<(String, Vec<String>)> = claims.into_iter().collect();
    claims.sort_by_key(|(_, who)| std::cmp::Reverse(who.len()));
    Ok(claims)
}

/// "more than 2,100" → "more than 2,100"; "18% of sites" → None (not a count of places).
fn places_phrase(text: &str) -> Option<String> {
    let text = text.trim();
    if text.is_empty() || text.contains('%') {
        return None;
    }
    let number_start = text.find(|c: char| c.is_ascii_digit())?;
    let number_end = text.rfind(|c: char| c.is_ascii_digit())?;
    let qualifier = text[..number_start].trim();
    let known = [
        "",
        "more than",
        "over",
        "roughly",
        "approximately",
        "around",
        "about",
    ];
    known
        .contains(&qualifier)
        .then(|| text[..=number_end].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_phrases_keep_counts_only() {
        assert_eq!(
            places_phrase("more than 2,100").as_deref(),
            Some("more than 2,100")
        );
        assert_eq!(
            places_phrase("over 2,000 cities").as_deref(),
            Some("over 2,000")
        );
        assert_eq!(places_phrase("2,000").as_deref(), Some("2,000"));
        assert_eq!(places_phrase("18% of sites"), None);
        assert_eq!(places_phrase(""), None);
    }

    #[test]
    fn national_claims_are_read_and_grouped() {
        let claims = national_claims().unwrap();
        assert!(
            claims
                .iter()
                .any(|(text, _)| text == "5,000,000 people in more than 2,100 places"),
            "{claims:?}"
        );
        assert!(claims
            .iter()
            .any(|(text, _)| text.starts_with("between 2,000,000 and 4,800,000 people")));
        for (text, _) in &claims {
            tally_estimate::parse_claim(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        }
    }
}
