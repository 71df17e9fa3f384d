//! `tally link`: rebuild events from reports and reviewer decisions, and record
//! decisions — merge events or reports, split a report out of its event, reject a
//! report. Decisions are appended to the ledger, never edits, and every rebuild
//! applies them, so they survive rebuilds.

use crate::cli::Global;
use crate::exit::{bad_input, Outcome};
use tally_pipeline::{record_decision, DecisionRequest};

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
        /// Two or more event ids (ev-...) or report numbers.
        #[arg(required = true, num_args = 2..)]
        ids: Vec<String>,
    },
    /// This report is about a gathering of its own: take it out of its event.
    Split {
        /// The report's number (from `tally event ID`).
        report: i64,
    },
    /// This report is not about a gathering, or is wrong: leave it out of events.
    Reject {
        /// The report's number (from `tally event ID`).
        report: i64,
    },
    /// List the decisions recorded, oldest first.
    Decisions,
}

pub fn run(args: Args, global: &Global) -> anyhow::Result<Outcome> {
    let mut ledger = crate::ledger::open_for_writing(global, false)?;
    let request = match args.action.unwrap_or(Action::Rebuild) {
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
        Action::Merge { ids } => Some(DecisionRequest::Merge { ids }),
        Action::Split { report } => Some(DecisionRequest::Split { report }),
        Action::Reject { report } => Some(DecisionRequest::Reject { report }),
    };
    let outcome = match record_decision(&mut ledger, request, chrono::Utc::now()) {
        Ok(outcome) => outcome,
        Err(error) if error.is_bad_input() => return Err(bad_input(error.to_string())),
        Err(error) => return Err(error.into()),
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&outcome)?);
    } else {
        if let (Some(d), Some(id)) = (&outcome.decision, outcome.decision_id) {
            println!("recorded decision {id}: {}", serde_json::to_string(d)?);
        }
        println!(
            "{} events from {} reports ({} aggregate claims kept apart), {} decisions applied",
            outcome.events, outcome.reports, outcome.claims, outcome.decisions
        );
    }
    Ok(Outcome::Success)
}
