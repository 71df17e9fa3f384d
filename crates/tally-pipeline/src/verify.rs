//! `tally verify`: everything that can be checked about a ledger, listed.
//!
//! The database's own integrity check (SQLite's, or amcheck on PostgreSQL); the append-only triggers; every source's content
//! address recomputed from its verbatim content; every report readable and tied to its
//! source; every decision readable; and the stored events compared with the events the
//! reports and decisions give when linked afresh.

use crate::PipelineError;
use std::collections::HashMap;
use tally_ingest::identity::{content_hash, row_address};
use tally_link::{link_reports, LinkConfig};
use tally_model::{Selection, SourceKind};
use tally_store::Ledger;

/// What `verify` found.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Verification {
    pub sources: u64,
    pub reports: u64,
    pub decisions: u64,
    pub events: u64,
    /// Every problem found, one line each; empty for a sound ledger.
    pub problems: Vec<String>,
}

impl Verification {
    pub fn is_sound(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Checks everything; never stops at the first problem.
pub fn verify_ledger(ledger: &Ledger) -> Result<Verification, PipelineError> {
    let mut found = Verification::default();
    let problems = &mut found.problems;
    match ledger.integrity_check() {
        Ok(lines) => problems.extend(
            lines
                .into_iter()
                .map(|l| format!("{}: {l}", ledger.backend_name())),
        ),
        Err(error) => problems.push(format!(
            "{}: the integrity check failed: {error}",
            ledger.backend_name()
        )),
    }
    match ledger.guard_problems() {
        Ok(found) => problems.extend(found),
        Err(error) => problems.push(format!("triggers: cannot be read: {error}")),
    }
    // A damaged file can fail any read: each step records its failure and the next one
    // is tried.

    // Content addresses. Rows are addressed by their text and their occurrence among
    // identical rows of one file, documents by their text alone.
    let mut sources: Vec<(String, String, String)> = Vec::new();
    if let Err(error) = ledger.scan_sources(|id, kind, content| {
        sources.push((id.to_string(), kind.to_string(), content.to_string()))
    }) {
        problems.push(format!("sources: cannot all be read: {error}"));
    }
    let mut identical: HashMap<[u8; 32], u64> = HashMap::new();
    let hashes: Vec<Option<[u8; 32]>> = sources
        .iter()
        .map(|(_, kind, content)| {
            let kind = SourceKind::parse(kind)?;
            let hash = content_hash(kind, content);
            *identical.entry(hash).or_default() += 1;
            Some(hash)
        })
        .collect();
    for ((id, kind, content), hash) in sources.iter().zip(&hashes) {
        let Some(hash) = hash else {
            problems.push(format!("source {id}: unknown kind {kind:?}"));
            continue;
        };
        let document = blake3::hash(content.as_bytes()).to_hex();
        let as_row = (0..identical[hash]).any(|k| row_address(hash, k).0 == *id);
        if document.as_str() != id && !as_row {
            problems.push(format!(
                "source {id}: its content does not match its address (altered after it was received)"
            ));
        }
    }
    found.sources = sources.len() as u64;
    drop(sources);

    match ledger.orphan_reports() {
        Ok(ids) => problems.extend(
            ids.into_iter()
                .map(|id| format!("report {id}: its source is missing")),
        ),
        Err(error) => problems.push(format!("reports: cannot be matched to sources: {error}")),
    }
    let reports = match ledger.reports(None) {
        Ok(reports) => reports,
        Err(error) => {
            problems.push(format!("reports: {error}"));
            Vec::new()
        }
    };
    found.reports = reports.len() as u64;
    let decisions = match crate::decisions(ledger, None) {
        Ok(decisions) => decisions,
        Err(error) => {
            problems.push(format!("decisions: {error}"));
            Vec::new()
        }
    };
    found.decisions = decisions.len() as u64;

    // The stored events against a fresh link of the same reports and decisions.
    let stored = match ledger.events(&Selection::default()) {
        Ok(events) => events,
        Err(error) => {
            problems.push(format!("events: cannot be read: {error}"));
            Vec::new()
        }
    };
    found.events = stored.len() as u64;
    if problems.is_empty() {
        let fresh = link_reports(&reports, &decisions, &LinkConfig::default());
        let key =
            |e: &tally_model::Event| (e.id.clone(), e.reports.clone(), e.size_low, e.size_high);
        let mut a: Vec<_> = stored.iter().map(key).collect();
        let mut b: Vec<_> = fresh.iter().map(key).collect();
        a.sort();
        b.sort();
        if a != b {
            problems.push(
                "events: the stored events differ from the ones the reports and decisions give; `tally link` rebuilds them"
                    .to_string(),
            );
        }
    }
    Ok(found)
}
