//! The argument grammar of `tally`: global options and one subcommand each.

use crate::commands;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// Tally counts people at political gatherings in the United States, from the reports
/// that follow them, as ranges with honest uncertainty.
#[derive(Debug, Parser)]
#[command(name = "tally", version)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(Debug, Args, Clone)]
pub struct Global {
    /// The ledger: a SQLite file, or a PostgreSQL database as a URL
    /// (`postgres://USER@HOST/DB`, or `postgres://USER@localhost/DB?host=/socket/dir`).
    #[arg(long, global = true, env = "TALLY_DB", default_value = "tally.db")]
    pub db: PathBuf,
    /// How long a command that writes waits for another one writing to the same ledger,
    /// in seconds.
    #[arg(
        long,
        global = true,
        env = "TALLY_WAIT",
        default_value_t = 120,
        value_name = "SECONDS"
    )]
    pub wait: u64,
    /// True when `--db` or `TALLY_DB` named the ledger (rather than the default).
    #[arg(skip)]
    pub db_given: bool,
    /// More log output on stderr (-v info, -vv debug).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Only errors on stderr.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// The most bytes one table file (dataset, sheet, reports CSV) may hold, e.g.
    /// 256MiB or 1G; larger files are refused before they fill memory.
    #[arg(long, global = true, env = "TALLY_MAX_FILE_SIZE", value_name = "SIZE",
          default_value = "256MiB", value_parser = tally_ingest::parse_byte_size)]
    pub max_file_size: u64,
    /// The most bytes one document of prose (an article, HTML page or feed) may hold.
    #[arg(long, global = true, env = "TALLY_MAX_DOCUMENT_SIZE", value_name = "SIZE",
          default_value = "16MiB", value_parser = tally_ingest::parse_byte_size)]
    pub max_document_size: u64,
}

impl Global {
    /// The size caps given on the command line or in the environment.
    pub fn input_limits(&self) -> tally_ingest::InputLimits {
        tally_ingest::InputLimits {
            max_file_bytes: self.max_file_size,
            max_document_bytes: self.max_document_size,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Add sources from files: datasets, tally sheets, reports CSV, articles.
    Ingest(commands::ingest::Args),
    /// Find crowd sizes, attribution, places and dates in article text.
    Extract(commands::extract::Args),
    /// Resolve place strings to locality, county, state, coordinates and population.
    Geocode(commands::geocode::Args),
    /// Totals for a selection of events: counts, coverage, ranges.
    Estimate(commands::estimate::Args),
    /// List events.
    Events(commands::events::Args),
    /// Show one event with every report and source.
    Event(commands::event::Args),
    /// Check a quantitative claim against the evidence.
    Check(commands::check::Args),
    /// Compare two selections of events.
    Compare(commands::compare::Args),
    /// Measure how well the imputed intervals hold hidden known sizes.
    Calibrate(commands::calibrate::Args),
    /// Estimate a crowd from an area and a density.
    Area(commands::area::Args),
    /// Export events as CSV (the published dataset's layout) or GeoJSON.
    Export(commands::export::Args),
    /// Rebuild events from reports and reviewer decisions.
    Link(commands::link::Args),
    /// Generate a synthetic file in the published dataset layout.
    Synth(commands::synth::Args),
    /// From an empty ledger to a national total, on bundled real figures.
    Demo(commands::demo::Args),
    /// Check the ledger: SQLite's integrity, the append-only guards, every content
    /// address, and the events against a fresh link.
    Verify(commands::verify::Args),
    /// Copy a ledger whole into an empty one (SQLite file or postgres:// URL, either
    /// way) and verify the copy by content addresses.
    MigrateLedger(commands::migrate_ledger::Args),
    /// Serve the HTTP API over the ledger.
    Serve(commands::serve::Args),
    /// Make, list and revoke API tokens for `tally serve`.
    Token(commands::token::Args),
}

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;

    /// Every argument and subcommand, at every depth, with no help text.
    fn missing_help(command: &clap::Command, path: &str, missing: &mut Vec<String>) {
        for arg in command.get_arguments() {
            let id = arg.get_id().as_str();
            if matches!(id, "help" | "version") {
                continue;
            }
            if arg.get_help().is_none() && arg.get_long_help().is_none() {
                missing.push(format!("{path} <{id}>"));
            }
        }
        for sub in command.get_subcommands() {
            let path = format!("{path} {}", sub.get_name());
            if sub.get_about().is_none() && sub.get_long_about().is_none() {
                missing.push(path.clone());
            }
            missing_help(sub, &path, missing);
        }
    }

    #[test]
    fn issue_13_every_argument_has_help() {
        let command = Cli::command();
        command.clone().debug_assert();
        let mut missing = Vec::new();
        missing_help(&command, "tally", &mut missing);
        assert!(missing.is_empty(), "no help text: {missing:#?}");
    }
}
