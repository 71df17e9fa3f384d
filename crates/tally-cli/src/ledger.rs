//! Opening the ledger for a command, with the file named in every error.

use crate::cli::Global;
use anyhow::Context;
use tally_store::Ledger;

/// Opens the ledger named by `--db`/`TALLY_DB`, creating it if needed, with its events
/// current.
pub fn open(global: &Global) -> anyhow::Result<Ledger> {
    tally_pipeline::open_ledger(&global.db)
        .with_context(|| format!("cannot use ledger {}", global.db.display()))
}
