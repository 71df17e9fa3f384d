//! `tally link`: rebuild events from reports and reviewer decisions, and record
//! decisions — merge events or reports, split a report out of its event, reject a
//! report. Decisions are appended to the ledger, never edits, and every rebuild
//! applies them, so they survive rebuilds.

use crate::cli::Global;
use crate::exit::{bad_input, Outcome};
use serde_json::json;
use tally_link::Decision;
use tally_model::{EventId, ReportId};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub action: Option<Action>,
    /// Print JSON.
    #[arg(long, global = true)]
    pub json: bool,
}

#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// Rebuild every event from the reports and decisions (the default).
    Rebuild,
    /// These events or reports are one gathering: event ids (ev-...) or report numbers.
    Merge {
        #[arg(required = true, num_args = 2..)]
        ids: Vec<String>,
    },
    /// This report is about a gathering of its own: take it out of its event.
    Split { report: i64 },
    /// This report is not about a gathering, or is wrong: leave it out of events.
    Reject { report: i64 },
    /// List the decisions recorded, oldest first.
    Decisions,
}

pub fn run(args: Args, global: &Global) -> anyhow::Result<Outcome> {
    let mut ledger = crate::ledger::open_for_writing(global, false)?;
    let decision = match args.action.unwrap_or(Action::Rebuild) {
        Action::Rebuild => None,
        Action::Decisions => {
            let decisions = ledger.decisions(None)?;
            if args.json {
                println!("{}", serde_json::to_string_pretty(&decisions)?);
            } else {
                for d in &decisions {
                    println!("{:>5}  {}  {:<7} {}", d.id, d.made_at, d.kind, d.body);
                }
                println!("{} decisions", decisions.len());
            }
            return Ok(Outcome::Success);
        }
        Action::Merge { ids } => {
            let mut reports: Vec<ReportId> = Vec::new();
            for id in &ids {
                if let Ok(number) = id.parse::<i64>() {
                    if ledger.reports_by_id(&[ReportId(number)])?.is_empty() {
                        return Err(bad_input(format!("no report {number} in the ledger")));
                    }
                    reports.push(ReportId(number));
                    continue;
                }
                let event = ledger
                    .event(&EventId(id.clone()))?
                    .ok_or_else(|| bad_input(format!("no event {id:?} in the ledger")))?;
                reports.extend(event.reports);
            }
            reports.sort();
            reports.dedup();
            Some(Decision::Merge { reports })
        }
        Action::Split { report } => Some(Decision::Split {
            report: known_report(&ledger, report)?,
        }),
        Action::Reject { report } => Some(Decision::Reject {
            report: known_report(&ledger, report)?,
        }),
    };
    let recorded = match &decision {
        Some(d) => {
            let kind = match d {
                Decision::Merge { .. } => "merge",
                Decision::Split { .. } => "split",
                Decision::Reject { .. } => "reject",
            };
            Some(ledger.record_decision(chrono::Utc::now(), kind, &serde_json::to_string(d)?)?)
        }
        None => None,
    };
    let events = tally_pipeline::rebuild_events(&mut ledger)?;
    let counts = ledger.counts()?;
    let claims = ledger
        .reports(None)?
        .iter()
        .filter(|r| r.is_aggregate_only())
        .count();
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({
                "decision": decision,
                "decision_id": recorded,
                "events": events,
                "reports": counts.reports,
                "claims": claims,
                "decisions": counts.decisions,
            }))?
        );
    } else {
        if let (Some(d), Some(id)) = (&decision, recorded) {
            println!("recorded decision {id}: {}", serde_json::to_string(d)?);
        }
        println!(
            "{events} events from {} reports ({claims} aggregate claims kept apart), {} decisions applied",
            counts.reports, counts.decisions
        );
    }
    Ok(Outcome::Success)
}

fn known_report(ledger: &tally_store::Ledger, number: i64) -> anyhow::Result<ReportId> {
    if ledger.reports_by_id(&[ReportId(number)])?.is_empty() {
        return Err(bad_input(format!("no report {number} in the ledger")));
    }
    Ok(ReportId(number))
}
