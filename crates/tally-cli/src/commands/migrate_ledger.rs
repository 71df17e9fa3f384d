//! `tally migrate-ledger FROM TO`: copies a ledger whole (SQLite file or PostgreSQL URL,
//! either way) into an empty one, and verifies the copy by content addresses.

use crate::cli::Global;
use crate::exit::{bad_input, Outcome};
use std::path::PathBuf;
use tally_pipeline::PipelineError;
use tally_store::OpenOptions;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The ledger to copy: a SQLite file or a postgres:// URL. It is only read.
    pub from: PathBuf,
    /// The ledger to copy into: a new SQLite file, or an empty PostgreSQL database.
    pub to: PathBuf,
    /// Print what was copied as one JSON object.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args, global: &Global) -> anyhow::Result<Outcome> {
    let mut options = OpenOptions::write();
    options.wait = std::time::Duration::from_secs(global.wait);
    options.on_wait = Some(crate::ledger::say_waiting);
    let migration = match tally_pipeline::migrate_ledger(&args.from, &args.to, &options) {
        Ok(migration) => migration,
        Err(PipelineError::Store(error)) if error.is_users_to_fix() => {
            return Err(bad_input(error.to_string()))
        }
        Err(error) if error.is_bad_input() => return Err(bad_input(error.to_string())),
        Err(error) => return Err(error.into()),
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&migration)?);
    } else {
        println!(
            "copied {} to {}: {} files, {} sources, {} reports, {} decisions, {} tokens, {} submissions; {} events linked; {} content addresses verified",
            args.from.display(),
            args.to.display(),
            migration.files,
            migration.sources,
            migration.reports,
            migration.decisions,
            migration.tokens,
            migration.submissions,
            migration.events,
            migration.sources_verified
        );
    }
    Ok(Outcome::Success)
}
