//! `tally demo`: from an empty ledger to a national total, on real reported figures for
//! Saturday 14 June 2025 (the No Kings protests and the Army parade in Washington).
//!
//! The bundled file is report-level: one row per source statement, several per
//! gathering, often conflicting. The demo ingests it as any user file would be, stores
//! the claims made about the day (national, state-wide, the parade's) as aggregate reports, links the statements
//! into events, and prints the totals, the stored claims beside the evidence, and the
//! parade beside the protests. Every answer comes from the same `tally-query` call as
//! the command named beside it (`check --stored`, `check`, `compare`), so the demo and
//! those commands agree; every figure can be traced with `tally event ID`.

use crate::cli::Global;
use crate::commands::estimate::{describe_totals, group};
use crate::exit::{bad_input, query_error, Outcome};
use anyhow::Context;
use std::path::{Path, PathBuf};
use tally_estimate::Verdict;
use tally_ingest::{Format, IngestOptions};
use tally_model::{Date, Event, Selection};
use tally_pipeline::{ingest_file, IngestRequest};
use tally_query::{load_events, CheckRequest, CompareRequest, EstimateRequest, ModelOptions};
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
/// The name the demo's national claims are recorded under.
const CLAIMS_ORIGIN: &str = "june-14-2025-claims.csv";

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

    heading(
        json,
        "1. Ingest: one row per source statement, and the claims made about the day",
    );
    let mut ledger = crate::ledger::open_for_writing(&global, true)?;
    ledger.record_demo_marker()?;
    let outcome = ingest_reports_csv(&mut ledger, DEMO_ORIGIN, REPORTS)?;
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
    let claims_csv = claims_as_reports()?;
    let stored = ingest_reports_csv(&mut ledger, CLAIMS_ORIGIN, &claims_csv)?;
    say!(
        json,
        "{} claims (national, state-wide and about the parade) stored as aggregate reports:\nchecked, never added into totals.",
        stored.reports_added
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
    let no_kings = EstimateRequest {
        selection: Selection {
            text: Some("no kings".into()),
            ..Selection::on(day)
        },
        model,
        ..EstimateRequest::default()
    };
    let protests = tally_query::estimate(&ledger, &no_kings)
        .map_err(query_error)?
        .totals;
    say!(json, "{}", describe_totals(&protests));
    say!(
        json,
        "These are the events this file has figures for. The organizers listed about 2,100;\nthe rest are not in this ledger, so the totals above are the evidence for {} of them.",
        protests.events
    );

    heading(json, "4. Claims beside the evidence (tally check --stored)");
    // The same call as `tally check --stored`: one answer for the same claim.
    let checks = tally_query::check_stored(
        &ledger,
        &CheckRequest {
            model,
            ..CheckRequest::default()
        },
    )
    .map_err(query_error)?;
    let mut shown: Vec<(String, Verdict, Vec<String>)> = Vec::new();
    for stored in &checks {
        let text = stored.check.claim.text.clone();
        let who = stored.publisher.clone().unwrap_or_default();
        match shown
            .iter_mut()
            .find(|(t, v, _)| *t == text && *v == stored.check.verdict)
        {
            Some((_, _, claimants)) => {
                if !who.is_empty() && !claimants.contains(&who) {
                    claimants.push(who);
                }
            }
            None => shown.push((text, stored.check.verdict, vec![who])),
        }
    }
    let national_answers: Vec<ClaimAnswer> = shown
        .iter()
        .map(|(text, verdict, claimants)| ClaimAnswer {
            claim: text.clone(),
            claimants: claimants.clone(),
            verdict: verdict.as_str(),
        })
        .collect();
    for (text, verdict, claimants) in &shown {
        say!(
            json,
            "{:<24} {}  ({})",
            verdict_label(*verdict),
            text,
            claimants.join("; ")
        );
    }
    let expected = checks
        .iter()
        .filter_map(|c| c.check.evidence.summary.expected_events)
        .max();
    // The widest extrapolated range a national claim was judged on (the claims that state
    // their own count are judged on that count).
    let national_range = checks
        .iter()
        .filter(|c| c.check.claim.state.is_none() && c.check.claim.locality.is_none())
        .filter(|c| c.check.evidence.summary.events_missing.is_some())
        .filter_map(|c| c.check.evidence.parts.first())
        .filter_map(|p| Some((p.evidence_low?, p.evidence_high?)))
        .max_by_key(|&(low, high)| (high, std::cmp::Reverse(low)));
    say!(
        json,
        "\nconsistent: the claim's range overlaps the evidence. above/below_evidence: it lies\nwholly outside. insufficient_evidence: the ledger cannot say. The ledger holds {} of about\n{} events (the largest count the stored claims state), so a national claim is judged on\nthe total extrapolated to all of them{}: the events it lacks drawn like the smaller\nknown ones, or like any known one but in no more places of a size than the country has.\nA state's claim without its own count of places cannot be refuted from above. Each claim\nis judged without its claimant's class and the organizers'.",
        protests.events,
        expected.map_or("?".to_string(), |n| group(n as u64)),
        national_range.map_or(String::new(), |(low, high)| format!(
            ", {} – {} people",
            group(low),
            group(high)
        ))
    );

    heading(
        json,
        "5. The Army parade in Washington, and claims about it",
    );
    let parade = EstimateRequest {
        selection: Selection {
            text: Some("military parade".into()),
            ..Selection::on(day)
        },
        model,
        ..EstimateRequest::default()
    };
    let parade_totals = tally_query::estimate(&ledger, &parade)
        .map_err(query_error)?
        .totals;
    say!(json, "{}", describe_totals(&parade_totals));
    let mut parade_answers = Vec::new();
    for text in [
        "The White House said more than 250,000 people attended the parade",
        "between 80,000 and 120,000 people attended the parade",
    ] {
        // The same call as `tally check TEXT --date 2025-06-14`.
        let request = CheckRequest {
            claim: text.to_string(),
            selection: Selection::on(day),
            model,
            ..CheckRequest::default()
        };
        let answer = tally_query::check(&ledger, &request).map_err(query_error)?;
        parade_answers.push(ClaimAnswer {
            claim: text.to_string(),
            claimants: answer
                .claim
                .claimant
                .map(|c| c.as_str().to_string())
                .into_iter()
                .collect(),
            verdict: answer.verdict.as_str(),
        });
        let part = answer.evidence.parts.first();
        say!(
            json,
            "{:<24} {}\n{:<24} evidence {} – {}, from sources other than {}",
            verdict_label(answer.verdict),
            text,
            "",
            part.and_then(|p| p.evidence_low)
                .map_or("?".to_string(), group),
            part.and_then(|p| p.evidence_high)
                .map_or("?".to_string(), group),
            answer
                .evidence
                .excluded_classes
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join(" and ")
        );
        for x in &answer.evidence.excluded {
            say!(
                json,
                "{:<24} excluded: {} {} ({} {})",
                "",
                x.attribution.as_str(),
                group(x.high),
                x.reports.len(),
                if x.reports.len() == 1 {
                    "report"
                } else {
                    "reports"
                }
            );
        }
    }

    heading(json, "6. The protests beside the parade (tally compare)");
    let comparison = tally_query::compare(
        &ledger,
        &CompareRequest {
            a: "No Kings".into(),
            b: "military parade".into(),
            defaults: Selection::on(day),
            model,
        },
    )
    .map_err(query_error)?;
    let ratio = &comparison.ratio;
    match ratio.point {
        Some(point) => say!(
            json,
            "No Kings / parade: {point:.1}× (interval {} – {}; {})",
            ratio.low.map_or("?".into(), |l| format!("{l:.1}×")),
            ratio
                .high
                .map_or("unbounded".into(), |h| format!("{h:.1}×")),
            ratio.method
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
        "  tally --db {db} check --stored                    every stored claim, as above"
    );
    say!(
        json,
        "  tally --db {db} check \"5 million people\" --date {DAY}"
    );
    say!(
        json,
        "  tally --db {db} check \"tens of thousands marched in Chicago\" --date {DAY}"
    );
    Ok(Outcome::Success)
}

/// Ingests one bundled reports-CSV text through the normal pipeline.
fn ingest_reports_csv(
    ledger: &mut Ledger,
    origin: &str,
    text: &str,
) -> anyhow::Result<tally_pipeline::FileOutcome> {
    let mut options = IngestOptions::new(chrono::Utc::now());
    options.format = Format::Reports;
    let request = IngestRequest {
        origin,
        bytes: text.as_bytes().into(),
        options,
        strict: false,
    };
    Ok(ingest_file(ledger, request, &mut |_| {})?)
}

/// Removes a previous demo ledger; refuses to touch any other file, and any demo ledger
/// that holds something the demo did not write (a user's own files, reports or
/// decisions): that is the user's data now.
fn start_fresh(path: &Path) -> anyhow::Result<()> {
    if tally_store::is_postgres_url(path) {
        // A database is never dropped by the demo: it runs on an empty one only.
        return match Ledger::open_read_only(path) {
            Err(tally_store::StoreError::Missing { .. }) => Ok(()),
            Ok(ledger) if ledger.counts()?.files == 0 => Ok(()),
            _ => Err(bad_input(format!(
                "{} is not empty; the demo runs on an empty PostgreSQL database",
                path.display()
            ))),
        };
    }
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
        let foreign = ledger.rows_not_from(&[DEMO_ORIGIN, CLAIMS_ORIGIN])?;
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

/// The claims with participant figures, national and city-wide, as rows of a reports CSV
/// with aggregate scope: one row per claim, its sentence as the size text, its place (a
/// state, or the parade in Washington), its claimant as publisher and attribution, the
/// count of places it states as `event_count`. Every claim is about the day of the demo
/// (the file's dates are when it was published, up to months later).
fn claims_as_reports() -> anyhow::Result<String> {
    let mut reader = csv::Reader::from_reader(CLAIMS.as_bytes());
    let headers = reader.headers()?.clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .with_context(|| format!("claims.csv lacks {name}"))
    };
    let (scope, low, high, places, claimant, attribution, url, summary) = (
        column("scope")?,
        column("participants_low")?,
        column("participants_high")?,
        column("places")?,
        column("claimant")?,
        column("attribution")?,
        column("url")?,
        column("claim_text_summary")?,
    );
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record([
        "date",
        "locality",
        "state",
        "event",
        "size_low",
        "size_high",
        "size_text",
        "attribution",
        "publisher",
        "url",
        "scope",
        "event_count",
    ])?;
    for row in reader.records() {
        let row = row?;
        let summary = &row[summary];
        // Projections, expectations, permits and viewer counts are not claims about who
        // was in the streets.
        if ["projection", "viewers", "pre-event", "permit"]
            .iter()
            .any(|w| summary.contains(w))
        {
            continue;
        }
        // A city-wide claim is stored with the place it is about, when that place is one
        // the ledger can select (a state, or Washington for the parade); a metro area or
        // a list of towns is not one selection, so it is left out.
        let (locality, state, event) = if &row[scope] == "national" {
            ("", "", "No Kings")
        } else {
            match claim_place(&row[places]) {
                Some(place) => place,
                None => continue,
            }
        };
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
        let places = if &row[scope] == "national" {
            places_phrase(&row[places])
        } else {
            count_in_parentheses(&row[places])
        };
        let mut text = match &places {
            Some(places) => format!("{people} in {places} places"),
            None => people,
        };
        if event == "Military parade" {
            text.push_str(" at the parade in Washington, DC");
        } else if let Ok(code) = state.parse::<tally_model::StateCode>() {
            text.push_str(&format!(" in {}", code.name()));
        }
        let count = places
            .as_deref()
            .and_then(|p| p.rsplit(' ').next())
            .map(|n| n.replace(',', ""))
            .unwrap_or_default();
        out.write_record([
            DAY,
            locality,
            state,
            event,
            &low.to_string(),
            &high.to_string(),
            &text,
            row[attribution].trim(),
            row[claimant].trim(),
            row[url].trim(),
            "aggregate",
            &count,
        ])?;
    }
    Ok(String::from_utf8(out.into_inner()?)?)
}

/// Where a city-wide claim is, as (locality, state, gathering): "Washington DC (Army
/// 250th parade)" → the parade; "Michigan (70+ rallies)" → Michigan's No Kings rallies.
/// `None` for an area the ledger cannot select (a metro area, "Nevada outside Reno", a
/// list of towns).
fn claim_place(text: &str) -> Option<(&'static str, &'static str, &'static str)> {
    let name = text.split('(').next().unwrap_or("").trim();
    if name == "Washington DC" {
        let parade = text.contains("parade") || text.contains("festival");
        return parade.then_some(("Washington", "DC", "Military parade"));
    }
    let state = tally_query::parse_state(name)?;
    Some(("", state.as_str(), "No Kings"))
}

/// "Michigan (70+ rallies)" → "more than 70"; "Mississippi (7 cities)" → "7"; "Rhode
/// Island (multiple sites)" → None.
fn count_in_parentheses(text: &str) -> Option<String> {
    let inner = text.split_once('(')?.1;
    let digits: String = inner.chars().take_while(|c| c.is_ascii_digit()).collect();
    if digits.is_empty() {
        return None;
    }
    let rest = &inner[digits.len()..];
    Some(if rest.starts_with('+') {
        format!("more than {digits}")
    } else {
        digits
    })
}

/// "more than 2,100" → "more than 2,100"; "18% of sites" → None (not a count of places).
fn places_phrase(text: &str) -> Option<String> {
    let text = text.trim();
    if text.is_empty() || text.contains('%') {
        return None;
    }
    let number_start = text.find(|c: char| c.is_ascii_digit())?;
    let number_end = text.rfind(|c: char| c.is_ascii_digit())?;
    let qualifier = text[..number_start].trim().to_lowercase();
    // Only a qualifier of the number reader's vocabulary may stand before the count.
    let known = qualifier.is_empty() || tally_extract::qualifier_phrases().any(|q| q == qualifier);
    known.then(|| text[..=number_end].to_string())
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
        assert_eq!(
            places_phrase("Nearly 2,000").as_deref(),
            Some("Nearly 2,000")
        );
        assert_eq!(places_phrase("sites in 2,000"), None);
        assert_eq!(places_phrase("18% of sites"), None);
        assert_eq!(places_phrase(""), None);
    }

    #[test]
    fn national_claims_become_aggregate_report_rows() {
        let csv = claims_as_reports().unwrap();
        let parsed = tally_ingest::read_file(
            "claims.csv",
            csv.as_bytes(),
            &IngestOptions::new(chrono::Utc::now()),
        )
        .unwrap();
        assert!(parsed.rejects.is_empty(), "{:?}", parsed.rejects);
        assert!(parsed.records.len() >= 15);
        assert!(parsed.records.iter().all(|r| r.report.is_aggregate_only()));
        let aclu = parsed
            .records
            .iter()
            .find(|r| {
                r.report.size_text.as_deref() == Some("5,000,000 people in more than 2,100 places")
            })
            .expect("the ACLU's claim");
        assert_eq!(aclu.report.event_count, Some(2_100));
        assert_eq!(aclu.report.publisher.as_deref(), Some("ACLU"));
        for record in &parsed.records {
            let text = record.report.size_text.as_deref().unwrap();
            tally_estimate::parse_claim(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        }
    }
}
