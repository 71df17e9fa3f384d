//! `tally check "CLAIM"`: parse a quantitative claim (participants and/or places) and
//! compare it with the evidence for the events it is about.
//!
//! The claim's place ("in Chicago"), kind ("the parade") and movement ("No Kings")
//! select the events, on top of the selection flags (usually `--date`). With `--stored`,
//! every aggregate claim already in the ledger (national and city-wide figures found by
//! ingest or extraction) is checked the same way instead.

use crate::cli::Global;
use crate::commands::estimate::{group, load_events, totals_for, ModelArgs};
use crate::exit::{bad_input, Outcome};
use crate::selection::SelectionArgs;
use serde_json::{json, Value};
use tally_estimate::{check_claim, parse_claim, CheckConfig, Claim, ClaimCheck, ClaimRange};
use tally_model::{Event, Report, Selection};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The claim, e.g. "over 5 million people in over 2,000 places".
    #[arg(required_unless_present = "stored")]
    pub claim: Option<String>,
    /// Check every aggregate claim stored in the ledger instead of one given here.
    #[arg(long, conflicts_with = "claim")]
    pub stored: bool,
    #[command(flatten)]
    pub selection: SelectionArgs,
    /// Below this share of events with a size, participant claims are
    /// insufficient_evidence.
    #[arg(long, default_value_t = 0.2)]
    pub min_coverage: f64,
    /// How many events the selection had in the world, when the ledger may hold fewer
    /// (default: the largest event count stated by the aggregate claims stored for those
    /// days). A claim above the evidence of an incomplete ledger is not refuted.
    #[arg(long)]
    pub expected_events: Option<usize>,
    /// Assert that the ledger holds every event of the selection.
    #[arg(long, conflicts_with = "expected_events")]
    pub complete: bool,
    #[command(flatten)]
    pub model: ModelArgs,
    /// Print JSON: {"verdict", "claim", "evidence"}.
    #[arg(long)]
    pub json: bool,
}

/// Checks one parsed claim against the ledger.
pub fn check_one(
    mut claim: Claim,
    base: &Selection,
    explicit_place: bool,
    args: &Args,
    global: &Global,
) -> anyhow::Result<ClaimCheck> {
    // Flags the user gave win over what the claim's words suggest.
    let selection = if explicit_place {
        base.clone()
    } else {
        claim.selection(base)
    };
    let mut events: Vec<Event> = load_events(global, &selection)?;
    claim.choose_movement(events.iter().filter_map(|e| e.title.as_deref()));
    events.retain(|e| claim.matches(e));
    let totals = totals_for(&selection, &events, &args.model.config());
    let expected_events = match args.expected_events {
        Some(n) => Some(n),
        None => stated_event_count(global, &selection)?,
    };
    Ok(check_claim(
        &claim,
        &totals,
        &CheckConfig {
            min_coverage: args.min_coverage,
            expected_events,
            complete: args.complete,
        },
    ))
}

/// The largest count of events stated by an aggregate claim stored for the selection's
/// days ("in over 2,000 places"), if any.
fn stated_event_count(global: &Global, selection: &Selection) -> anyhow::Result<Option<usize>> {
    let ledger = crate::ledger::open(global)?;
    let reports = ledger.reports(selection.as_of)?;
    let on_days = |date: Option<tally_model::Date>| match (selection.from, selection.to, date) {
        (None, None, _) => true,
        (_, _, None) => false,
        (from, to, Some(d)) => from.is_none_or(|f| d >= f) && to.is_none_or(|t| d <= t),
    };
    Ok(reports
        .iter()
        .filter(|r| r.is_aggregate_only() && on_days(r.date))
        .filter_map(|r| r.event_count)
        .max()
        .map(|n| n as usize))
}

/// The JSON of DESIGN.md: the three keys, with the per-part verdicts inside the evidence.
fn to_json(check: &ClaimCheck) -> anyhow::Result<Value> {
    let mut evidence = serde_json::to_value(&check.evidence)?;
    evidence["parts"] = serde_json::to_value(&check.parts)?;
    Ok(json!({
        "verdict": check.verdict,
        "claim": check.claim,
        "evidence": evidence,
    }))
}

fn range_text(low: u64, high: Option<u64>) -> String {
    match high {
        Some(h) if h == low => group(low),
        Some(h) => format!("{} – {}", group(low), group(h)),
        None => format!("at least {}", group(low)),
    }
}

fn describe(check: &ClaimCheck) -> String {
    let mut out = format!(
        "verdict   {}\nclaim     {}\n",
        check.verdict.as_str(),
        check.claim.text
    );
    let c = &check.claim;
    let mut about = Vec::new();
    if let Some(l) = &c.locality {
        about.push(format!("locality {l}"));
    }
    if let Some(s) = c.state {
        about.push(format!("state {s}"));
    }
    if let Some(m) = &c.movement {
        about.push(format!("movement {m:?}"));
    }
    if let Some(k) = &c.kind {
        about.push(format!("kind {k}"));
    }
    if !about.is_empty() {
        out.push_str(&format!("about        {}\n", about.join(", ")));
    }
    for part in &check.parts {
        let evidence = match (part.evidence_low, part.evidence_high) {
            (Some(l), Some(h)) => range_text(l, Some(h)),
            _ => "none".to_string(),
        };
        out.push_str(&format!(
            "{:<13}claimed {}; evidence {} → {}\n",
            part.what,
            range_text(part.claim_low, part.claim_high),
            evidence,
            part.verdict.as_str()
        ));
    }
    let e = &check.evidence;
    out.push_str(&format!(
        "evidence     {} events ({} with a size, {:.0}%), {} localities, {} states; known {} – {}\n",
        group(e.events as u64),
        group(e.events_with_size as u64),
        e.coverage * 100.0,
        group(e.localities as u64),
        e.states,
        group(e.known_low),
        group(e.known_high)
    ));
    out
}

/// A stored aggregate report as a claim: its figures (bounded by their qualifiers, so
/// "more than 5 million" stays open above), its event count, and its place. The
/// movement is chosen later from the event titles its own title mentions.
fn claim_of_report(report: &Report) -> Option<Claim> {
    let mut low: Option<u64> = None;
    let mut high: Option<Option<u64>> = None;
    for e in &report.estimates {
        let qualifier = e.qualifier().unwrap_or("").to_lowercase();
        let open_above = [
            "more than",
            "over",
            "at least",
            "upwards of",
            "in excess of",
            "exceeding",
        ]
        .iter()
        .any(|q| qualifier.contains(q));
        let open_below = [
            "fewer than",
            "less than",
            "up to",
            "at most",
            "no more than",
            "under",
        ]
        .iter()
        .any(|q| qualifier.contains(q));
        let (l, h) = match (open_above, open_below) {
            (true, _) => (e.low(), None),
            (_, true) => (0, Some(e.high())),
            _ => (e.low(), Some(e.high())),
        };
        low = Some(low.map_or(l, |x| x.min(l)));
        high = Some(match (high, h) {
            (None, h) => h,
            (Some(None), _) | (_, None) => None,
            (Some(Some(a)), Some(b)) => Some(a.max(b)),
        });
    }
    let (low, high) = (low?, high?);
    let range_text = match high {
        Some(h) if h == low => low.to_string(),
        Some(h) => format!("{low}–{h}"),
        None => format!("over {low}"),
    };
    let text = report
        .size_text
        .clone()
        .or_else(|| report.claims.clone())
        .unwrap_or_else(|| range_text.clone());
    Some(Claim {
        text,
        participants: Some(ClaimRange {
            low,
            high,
            text: range_text,
        }),
        places: report.event_count.map(|n| ClaimRange {
            low: n,
            high: None,
            text: n.to_string(),
        }),
        states: None,
        locality: report.place.best_locality().map(str::to_string),
        state: report.place.best_state(),
        movement: None,
        kind: None,
        candidates: Vec::new(),
    })
}

/// The event title that a stored claim's own title or headline mentions ("No Kings
/// draws millions" → "No Kings"), the longest when several do.
fn movement_in_title(report: &Report, events: &[Event]) -> Option<String> {
    let title = report
        .title
        .as_deref()
        .or(report.headline.as_deref())?
        .to_lowercase();
    events
        .iter()
        .filter_map(|e| e.title.as_deref())
        .filter(|t| !t.trim().is_empty() && title.contains(&t.trim().to_lowercase()))
        .max_by_key(|t| t.len())
        .map(|t| t.trim().to_string())
}

pub fn run(args: Args, global: &Global) -> anyhow::Result<Outcome> {
    let base = args.selection.to_selection()?;
    let explicit_place = base.locality.is_some() || base.state.is_some();
    if args.stored {
        let ledger = crate::ledger::open(global)?;
        let reports = ledger.reports(base.as_of)?;
        drop(ledger);
        let mut checks = Vec::new();
        for report in reports.iter().filter(|r| r.is_aggregate_only()) {
            let Some(mut claim) = claim_of_report(report) else {
                continue;
            };
            let mut selection = base.clone();
            if selection.from.is_none() && selection.to.is_none() {
                selection.from = report.date;
                selection.to = report.date;
            }
            claim.movement = movement_in_title(report, &load_events(global, &selection)?);
            let check = check_one(claim, &selection, explicit_place, &args, global)?;
            checks.push((report.id.map(|i| i.0), check));
        }
        if args.json {
            let values: Vec<Value> = checks
                .iter()
                .map(|(id, c)| {
                    let mut v = to_json(c)?;
                    v["report"] = json!(id);
                    Ok(v)
                })
                .collect::<anyhow::Result<_>>()?;
            println!("{}", serde_json::to_string_pretty(&values)?);
        } else {
            for (id, check) in &checks {
                println!("report {}", id.map_or("?".to_string(), |i| i.to_string()));
                println!("{}", describe(check));
            }
            println!("{} stored claims checked", checks.len());
        }
        return Ok(Outcome::Success);
    }
    let text = args.claim.clone().unwrap_or_default();
    let claim = parse_claim(&text).map_err(|e| bad_input(format!("claim: {e}")))?;
    let check = check_one(claim, &base, explicit_place, &args, global)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&to_json(&check)?)?);
    } else {
        print!("{}", describe(&check));
    }
    Ok(Outcome::Success)
}
