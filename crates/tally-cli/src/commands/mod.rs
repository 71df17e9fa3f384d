//! One module per subcommand; `run` dispatches.

pub mod area;
pub mod calibrate;
pub mod check;
pub mod compare;
pub mod demo;
pub mod estimate;
pub mod event;
pub mod events;
pub mod export;
pub mod extract;
pub mod geocode;
pub mod ingest;
pub mod link;
pub mod migrate_ledger;
pub mod serve;
pub mod synth;
pub mod token;
pub mod verify;

use crate::cli::{Cli, Command};
use crate::exit::Outcome;

pub fn run(cli: Cli) -> anyhow::Result<Outcome> {
    let global = &cli.global;
    match cli.command {
        Command::Ingest(args) => ingest::run(args, global),
        Command::Extract(args) => extract::run(args, global),
        Command::Geocode(args) => geocode::run(args, global),
        Command::Estimate(args) => estimate::run(args, global),
        Command::Events(args) => events::run(args, global),
        Command::Event(args) => event::run(args, global),
        Command::Check(args) => check::run(args, global),
        Command::Compare(args) => compare::run(args, global),
        Command::Calibrate(args) => calibrate::run(args, global),
        Command::Area(args) => area::run(args, global),
        Command::Export(args) => export::run(args, global),
        Command::Link(args) => link::run(args, global),
        Command::MigrateLedger(args) => migrate_ledger::run(args, global),
        Command::Synth(args) => synth::run(args, global),
        Command::Demo(args) => demo::run(args, global),
        Command::Verify(args) => verify::run(args, global),
        Command::Serve(args) => serve::run(args, global),
        Command::Token(args) => token::run(args, global),
    }
}
