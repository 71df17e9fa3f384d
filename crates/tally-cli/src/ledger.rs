//! Opening the ledger for a command, with the file named in every error.
//!
//! Commands that only read open it read-only: a missing file or someone else's SQLite
//! database is an error (exit 1), never a new empty ledger. Commands that write wait for
//! another writer, saying so on stderr, up to `--wait` seconds.

use crate::cli::Global;
use crate::exit::bad_input;
use std::path::Path;
use tally_pipeline::PipelineError;
use tally_store::{Ledger, OpenOptions};

/// Opens the ledger named by `--db`/`TALLY_DB` for reading, with its events as stored.
pub fn open(global: &Global) -> anyhow::Result<Ledger> {
    open_with(global, OpenOptions::read())
}

/// Opens the ledger for writing; `create` makes it when the file does not exist.
pub fn open_for_writing(global: &Global, create: bool) -> anyhow::Result<Ledger> {
    let mut options = OpenOptions::write();
    options.create = create;
    open_with(global, options)
}

fn open_with(global: &Global, mut options: OpenOptions) -> anyhow::Result<Ledger> {
    options.wait = std::time::Duration::from_secs(global.wait);
    options.on_wait = Some(say_waiting);
    match tally_pipeline::open_ledger_with(&global.db, &options) {
        Ok(ledger) => Ok(ledger),
        Err(PipelineError::Store(error)) if error.is_users_to_fix() => {
            Err(bad_input(error.to_string()))
        }
        Err(error) => {
            Err(anyhow::Error::new(error)
                .context(format!("cannot use ledger {}", global.db.display())))
        }
    }
}

/// Told once when a write has to wait for another process.
pub fn say_waiting(path: &Path) {
    eprintln!(
        "waiting for another tally writing to {}… (up to --wait seconds)",
        path.display()
    );
}
