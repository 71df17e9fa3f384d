//! `tally check "CLAIM"`: parse a quantitative claim (participants and/or places) and
//! compare it with the evidence for the events it is about (`tally_query::check`).
//!
//! The claim's place ("in Chicago"), kind ("the parade") and movement ("No Kings")
//! select the events, on top of the selection flags (usually `--date`). With `--stored`,
//! every aggregate claim already in the ledger (national and city-wide figures found by
//! ingest or extraction) is checked the same way instead.

use crate::cli::Global;
use crate::commands::estimate::{group, ModelArgs};
use crate::exit::{bad_input, query_error, Outcome};
use crate::selection::SelectionArgs;
use tally_estimate::Exclusion;
use tally_model::Attribution;
use tally_query::{CheckAnswer, CheckRequest};

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
    /// Who makes the claim (police, officials, organizers, media, researchers,
    /// participants), when its words do not say; their reports are set aside.
    #[arg(long, value_name = "CLASS")]
    pub claimant: Option<String>,
    #[command(flatten)]
    pub model: ModelArgs,
    /// Print JSON: {"verdict", "claim", "evidence"}.
    #[arg(long)]
    pub json: bool,
}

impl Args {
    /// The library's request for these flags.
    pub fn request(&self) -> anyhow::Result<CheckRequest> {
        Ok(CheckRequest {
            claim: self.claim.clone().unwrap_or_default(),
            selection: self.selection.to_selection()?,
            min_coverage: self.min_coverage,
            expected_events: self.expected_events,
            complete: self.complete,
            model: self.model.options(),
            claimant: match &self.claimant {
                Some(text) => Some(text.parse::<Attribution>().map_err(|_| {
                    bad_input(format!(
                        "--claimant {text:?}: expected police, officials, organizers, media, researchers or participants"
                    ))
                })?),
                None => None,
            },
        })
    }
}

fn range_text(low: u64, high: Option<u64>) -> String {
    match high {
        Some(h) if h == low => group(low),
        Some(h) => format!("{} – {}", group(low), group(h)),
        None => format!("at least {}", group(low)),
    }
}

pub fn describe(check: &CheckAnswer) -> String {
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
    for part in &check.evidence.parts {
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
    let e = &check.evidence.summary;
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
    if e.ledger_incomplete {
        out.push_str(&format!(
            "             the ledger holds {} of about {} events: a claim above the evidence is not refuted\n",
            group(e.events as u64),
            group(e.expected_events.unwrap_or(0) as u64)
        ));
    }
    let classes: Vec<&str> = check
        .evidence
        .excluded_classes
        .iter()
        .map(|c| c.as_str())
        .collect();
    out.push_str(&format!(
        "independent  {} statements, from sources other than {}\n",
        group(check.evidence.independent_statements as u64),
        classes.join(" and ")
    ));
    // A national claim sets aside hundreds of statements: the first few, then a count.
    const SHOWN: usize = 12;
    for x in check.evidence.excluded.iter().take(SHOWN) {
        let why = match x.reason {
            Exclusion::Claimant => "the claimant",
            Exclusion::Organizers => "the organizers",
            Exclusion::Relay => "relays an excluded figure",
        };
        out.push_str(&format!(
            "excluded     {} {} ({}; {}): {} {} {}\n",
            x.attribution.as_str(),
            range_text(x.low, Some(x.high)),
            x.title.as_deref().unwrap_or(&x.event),
            why,
            x.reports.len(),
            if x.reports.len() == 1 {
                "report"
            } else {
                "reports"
            },
            if x.publishers.is_empty() {
                String::new()
            } else {
                format!("({})", x.publishers.join(", "))
            }
        ));
    }
    let more = check.evidence.excluded.len().saturating_sub(SHOWN);
    if more > 0 {
        out.push_str(&format!(
            "excluded     … and {} more statements (--json lists every one)\n",
            group(more as u64)
        ));
    }
    out
}

pub fn run(args: Args, global: &Global) -> anyhow::Result<Outcome> {
    let request = args.request()?;
    let ledger = crate::ledger::open(global)?;
    if args.stored {
        let checks = tally_query::check_stored(&ledger, &request).map_err(query_error)?;
        if args.json {
            println!("{}", serde_json::to_string_pretty(&checks)?);
        } else {
            for stored in &checks {
                println!(
                    "report {}",
                    stored.report.map_or("?".to_string(), |i| i.to_string())
                );
                println!("{}", describe(&stored.check));
            }
            println!("{} stored claims checked", checks.len());
        }
        return Ok(Outcome::Success);
    }
    let answer = tally_query::check(&ledger, &request).map_err(query_error)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&answer)?);
    } else {
        print!("{}", describe(&answer));
    }
    Ok(Outcome::Success)
}
