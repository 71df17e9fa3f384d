//! `tally verify`: SQLite's integrity check, the append-only guards, every content
//! address recomputed, and the events compared with a fresh link. Exit 1 with the list
//! of problems when anything is wrong. It reads only, so it works on a damaged or
//! read-only ledger.

use crate::cli::Global;
use crate::exit::{bad_input, Outcome};
use crate::terminal::escape_for_terminal;
use tally_store::OpenOptions;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print the findings as one JSON object.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args, global: &Global) -> anyhow::Result<Outcome> {
    let mut options = OpenOptions::read();
    options.check = false;
    let ledger = options
        .open(&global.db)
        .map_err(|error| bad_input(error.to_string()))?;
    let found = tally_pipeline::verify_ledger(&ledger)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&found)?);
    } else if found.is_sound() {
        println!(
            "{}: sound ({} sources, {} reports, {} decisions, {} events checked)",
            global.db.display(),
            found.sources,
            found.reports,
            found.decisions,
            found.events
        );
    } else {
        println!(
            "{}: {} problems found",
            global.db.display(),
            found.problems.len()
        );
        for problem in &found.problems {
            println!("  {}", escape_for_terminal(problem));
        }
        println!("To recover: {}", tally_store::RECOVERY_ADVICE);
    }
    Ok(if found.is_sound() {
        Outcome::Success
    } else {
        Outcome::SomeInputRejected
    })
}
