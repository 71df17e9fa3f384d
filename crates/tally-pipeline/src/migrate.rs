//! `tally migrate-ledger FROM TO`: copies a ledger whole from one backend (or file) to
//! another, and proves the copy.
//!
//! The append-only rows (files, sources, reports, decisions, tokens, submissions and
//! their outcomes) are read from FROM in one snapshot and written into TO, which must be
//! empty, in one transaction, keeping every id, so that report numbers, event member
//! lists and ETags stay what they were. The events are derived: TO links them afresh.
//! Then the copy is checked: every row read back from TO equals the original, every
//! source's content address is recomputed from its content (`verify_ledger`), and TO's
//! events equal FROM's.

use crate::{rebuild_events, verify_ledger, PipelineError};
use std::path::Path;
use tally_model::Selection;
use tally_store::{Ledger, OpenOptions};

/// What a migration copied and checked.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Migration {
    pub files: u64,
    pub sources: u64,
    pub reports: u64,
    pub decisions: u64,
    pub tokens: u64,
    pub submissions: u64,
    pub events: u64,
    /// Every content address recomputed in TO and found equal to the source's.
    pub sources_verified: u64,
}

/// Copies FROM into the empty ledger TO and verifies the copy; an error says what
/// differs.
pub fn migrate_ledger(
    from: &Path,
    to: &Path,
    options: &OpenOptions,
) -> Result<Migration, PipelineError> {
    let source = crate::open_ledger_with(from, &OpenOptions::read())?;
    let rows = source.export_rows()?;
    let mut target = options.open(to)?;
    target.import_rows(&rows)?;
    rebuild_events(&mut target)?;

    let copied = target.export_rows()?;
    if let Some(difference) = rows.first_difference(&copied) {
        return Err(PipelineError::BadRequest(format!(
            "the copy in {} differs from {}: {difference}",
            to.display(),
            from.display()
        )));
    }
    let verification = verify_ledger(&target)?;
    if !verification.is_sound() {
        return Err(PipelineError::BadRequest(format!(
            "the copy in {} does not verify: {}",
            to.display(),
            verification.problems.join("; ")
        )));
    }
    let before = events_of(&source)?;
    let after = events_of(&target)?;
    if !source.events_are_stale()? && before != after {
        return Err(PipelineError::BadRequest(format!(
            "the events of {} differ from those of {} ({} against {})",
            to.display(),
            from.display(),
            after.len(),
            before.len()
        )));
    }
    Ok(Migration {
        files: rows.files.len() as u64,
        sources: rows.sources.len() as u64,
        reports: rows.reports.len() as u64,
        decisions: rows.decisions.len() as u64,
        tokens: rows.tokens.len() as u64,
        submissions: rows.submissions.len() as u64,
        events: after.len() as u64,
        sources_verified: verification.sources,
    })
}

fn events_of(ledger: &Ledger) -> Result<Vec<tally_model::Event>, PipelineError> {
    Ok(ledger.events(&Selection::default())?)
}
