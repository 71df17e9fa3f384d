//! A whole ledger as plain rows, for copying it from one backend to another
//! (`tally migrate-ledger`). Only the append-only tables are carried: events are derived
//! and are rebuilt by the receiving side, and bookkeeping (`meta`) is the receiver's own,
//! except the mark of a demo ledger.
//!
//! Sources and reports are carried as model values (each backend stores them its own way:
//! SQLite in compressed chunks and typed columns, PostgreSQL as text); the other tables
//! as stored, timestamps as their text. [`import_rows`] writes through the ledger's own
//! append paths (one file's ingest per file, in order), so it works on either backend,
//! and every id comes out as it was because ids are handed out in order without gaps.

use crate::backend::Ledger;
use crate::error::StoreError;
use crate::ingest::FileReceipt;
use crate::time::parse_timestamp;
use std::collections::HashMap;
use tally_model::{Report, Source, SourceId};

/// Every row of the append-only tables, each table in id order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LedgerRows {
    pub demo: bool,
    pub tokens: Vec<TokenRow>,
    pub token_revocations: Vec<RevocationRow>,
    pub files: Vec<FileRow>,
    pub sources: Vec<SourceRow>,
    /// Every report, with its id, in id order.
    pub reports: Vec<Report>,
    pub decisions: Vec<DecisionRow>,
    pub submissions: Vec<SubmissionRow>,
    pub submission_decisions: Vec<SubmissionDecisionRow>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRow {
    pub id: String,
    pub role: String,
    pub name: Option<String>,
    pub hash: String,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevocationRow {
    pub token_id: String,
    pub revoked_at: String,
    pub revoked_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRow {
    pub id: i64,
    pub origin: String,
    pub content_hash: String,
    pub format: String,
    pub encoding: String,
    pub received_at: String,
    pub rows_read: i64,
    pub reports_added: i64,
    pub duplicates: i64,
    pub rejected: i64,
    pub token_id: Option<String>,
}

/// A source with the file it came in (none for a source that came in no file).
#[derive(Debug, Clone, PartialEq)]
pub struct SourceRow {
    pub file_id: Option<i64>,
    pub source: Source,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionRow {
    pub id: i64,
    pub made_at: String,
    pub kind: String,
    pub body: String,
    pub token_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubmissionRow {
    pub id: i64,
    pub received_at: String,
    pub body: String,
    pub place_resolved: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubmissionDecisionRow {
    pub submission_id: i64,
    pub outcome: String,
    pub reason: Option<String>,
    pub report_id: Option<i64>,
    pub decided_at: String,
    pub token_id: Option<String>,
}

impl LedgerRows {
    /// How many rows, all tables together.
    pub fn len(&self) -> usize {
        self.tokens.len()
            + self.token_revocations.len()
            + self.files.len()
            + self.sources.len()
            + self.reports.len()
            + self.decisions.len()
            + self.submissions.len()
            + self.submission_decisions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The first difference between two copies of a ledger, said as a person would
    /// check it: by table, then by the row's key (a source by its content address).
    pub fn first_difference(&self, other: &LedgerRows) -> Option<String> {
        fn compare<T: PartialEq>(
            table: &str,
            a: &[T],
            b: &[T],
            key: impl Fn(&T) -> String,
        ) -> Option<String> {
            if a.len() != b.len() {
                return Some(format!("{table}: {} rows here, {} there", a.len(), b.len()));
            }
            a.iter()
                .zip(b)
                .find(|(x, y)| x != y)
                .map(|(x, _)| format!("{table}: {} differs", key(x)))
        }
        if self.demo != other.demo {
            return Some("the demo marker differs".into());
        }
        compare("tokens", &self.tokens, &other.tokens, |r| r.id.clone())
            .or_else(|| {
                compare(
                    "token revocations",
                    &self.token_revocations,
                    &other.token_revocations,
                    |r| r.token_id.clone(),
                )
            })
            .or_else(|| compare("files", &self.files, &other.files, |r| r.id.to_string()))
            .or_else(|| {
                compare("sources", &self.sources, &other.sources, |r| {
                    format!("source {}", r.source.id.0)
                })
            })
            .or_else(|| {
                compare("reports", &self.reports, &other.reports, |r| {
                    format!("report {}", r.id.map_or(0, |id| id.0))
                })
            })
            .or_else(|| {
                compare("decisions", &self.decisions, &other.decisions, |r| {
                    format!("decision {}", r.id)
                })
            })
            .or_else(|| {
                compare("submissions", &self.submissions, &other.submissions, |r| {
                    format!("submission {}", r.id)
                })
            })
            .or_else(|| {
                compare(
                    "submission decisions",
                    &self.submission_decisions,
                    &other.submission_decisions,
                    |r| format!("the decision on submission {}", r.submission_id),
                )
            })
    }
}

/// A stored timestamp as a model one (they are written by tally, so a bad one is damage).
fn timestamp(
    what: &'static str,
    id: &str,
    text: &str,
) -> Result<tally_model::Timestamp, StoreError> {
    parse_timestamp(text).ok_or_else(|| StoreError::Corrupt {
        what,
        id: id.to_string(),
        reason: format!("bad time {text:?}"),
    })
}

/// Appends `rows` to an empty ledger through its own append paths, keeping every id:
/// tokens, then each file as one ingest (its sources in order, each with its reports),
/// then decisions and submissions. The caller rebuilds the events and checks the copy
/// (`LedgerRows::first_difference` against the copy read back).
pub fn import_rows(ledger: &mut Ledger, rows: &LedgerRows) -> Result<(), StoreError> {
    let counts = ledger.counts()?;
    if counts.files + counts.sources + counts.decisions > 0
        || !ledger.tokens()?.is_empty()
        || ledger.submission(1)?.is_some()
    {
        return Err(StoreError::NotEmpty {
            path: ledger.path().to_path_buf(),
        });
    }
    if let Some(source) = rows.sources.iter().find(|s| s.file_id.is_none()) {
        return Err(StoreError::Corrupt {
            what: "source",
            id: source.source.id.0.clone(),
            reason: "it came in no file, so it cannot be copied as one".into(),
        });
    }
    if rows.demo {
        ledger.record_demo_marker()?;
    }
    for t in &rows.tokens {
        let created = timestamp("token", &t.id, &t.created_at)?;
        ledger.add_token(&t.id, &t.role, t.name.as_deref(), &t.hash, created)?;
    }
    for r in &rows.token_revocations {
        ledger.set_author(r.revoked_by.clone());
        ledger.revoke_token(&r.token_id, timestamp("token", &r.token_id, &r.revoked_at)?)?;
    }
    let mut reports_of: HashMap<&SourceId, Vec<Report>> = HashMap::new();
    for report in &rows.reports {
        let mut copy = report.clone();
        copy.id = None;
        reports_of.entry(&report.source_id).or_default().push(copy);
    }
    let mut sources_of: HashMap<i64, Vec<&Source>> = HashMap::new();
    for row in &rows.sources {
        if let Some(file) = row.file_id {
            sources_of.entry(file).or_default().push(&row.source);
        }
    }
    for file in &rows.files {
        ledger.set_author(file.token_id.clone());
        let receipt = FileReceipt {
            origin: file.origin.clone(),
            content_hash: file.content_hash.clone(),
            format: file.format.clone(),
            encoding: file.encoding.clone(),
            received_at: timestamp("file", &file.id.to_string(), &file.received_at)?,
        };
        let mut tx = ledger.begin_ingest(&receipt)?;
        for source in sources_of.get(&file.id).into_iter().flatten() {
            let reports = reports_of.get(&source.id).map_or(&[][..], Vec::as_slice);
            tx.add(source, reports)?;
        }
        tx.count_duplicates(file.duplicates as u64);
        tx.commit(file.rows_read as u64, file.rejected as u64)?;
    }
    for d in &rows.decisions {
        ledger.set_author(d.token_id.clone());
        let made = timestamp("decision", &d.id.to_string(), &d.made_at)?;
        ledger.record_decision(made, &d.kind, &d.body)?;
    }
    for s in &rows.submissions {
        let received = timestamp("submission", &s.id.to_string(), &s.received_at)?;
        ledger.add_submission(received, &s.body, s.place_resolved)?;
    }
    for d in &rows.submission_decisions {
        ledger.set_author(d.token_id.clone());
        let status = match d.outcome.as_str() {
            "accepted" => crate::access::SubmissionStatus::Accepted,
            _ => crate::access::SubmissionStatus::Rejected,
        };
        let at = timestamp("submission", &d.submission_id.to_string(), &d.decided_at)?;
        ledger.decide_submission(
            d.submission_id,
            status,
            d.reason.as_deref(),
            d.report_id,
            at,
        )?;
    }
    ledger.set_author(None);
    Ok(())
}
