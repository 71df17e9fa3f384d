//! Opening the ledger for a command, with the file named in every error.

use crate::cli::Global;
use crate::exit::bad_input;
use tally_pipeline::PipelineError;
use tally_store::{Ledger, StoreError};

/// Opens the ledger named by `--db`/`TALLY_DB`, creating it if needed, with its events
/// current. A path that cannot be opened, or a file that is not a ledger this tally
/// reads, is the user's to fix (exit 1); the error names the file.
pub fn open(global: &Global) -> anyhow::Result<Ledger> {
    match tally_pipeline::open_ledger(&global.db) {
        Ok(ledger) => Ok(ledger),
        Err(PipelineError::Store(
            error @ (StoreError::Open { .. } | StoreError::TooNew { .. }),
        )) => Err(bad_input(error.to_string())),
        Err(error) => {
            Err(anyhow::Error::new(error)
                .context(format!("cannot use ledger {}", global.db.display())))
        }
    }
}
