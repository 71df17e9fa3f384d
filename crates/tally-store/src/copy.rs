//! A whole ledger as plain rows, for copying it from one backend to another
//! (`tally migrate-ledger`). Only the append-only tables are carried: events are derived
//! and are rebuilt by the receiving side, and bookkeeping (`meta`) is the receiver's own,
//! except the mark of a demo ledger.
//!
//! Values are carried exactly as stored (timestamps as their text, report bodies as their
//! JSON), so that the copy compares equal to the original row by row.

/// Every row of the append-only tables, each table in id order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LedgerRows {
    pub demo: bool,
    pub tokens: Vec<TokenRow>,
    pub token_revocations: Vec<RevocationRow>,
    pub files: Vec<FileRow>,
    pub sources: Vec<SourceRow>,
    pub reports: Vec<ReportRow>,
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

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceRow {
    pub row: i64,
    pub id: String,
    pub kind: String,
    pub origin: String,
    pub locator: Option<String>,
    pub content: String,
    pub received_at: String,
    pub file_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRow {
    pub id: i64,
    pub source_row: i64,
    pub received_at: String,
    pub date: Option<String>,
    pub batch: Option<String>,
    pub body: String,
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
                    format!("source {}", r.id)
                })
            })
            .or_else(|| {
                compare("reports", &self.reports, &other.reports, |r| {
                    format!("report {}", r.id)
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
