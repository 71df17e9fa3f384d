//! `tally compare`: not built yet; its issue owns it.

use crate::cli::Global;
use crate::exit::Outcome;

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: Args, _global: &Global) -> anyhow::Result<Outcome> {
    anyhow::bail!("tally compare is not built yet")
}
