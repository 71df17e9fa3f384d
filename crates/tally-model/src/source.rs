//! Sources: documents or rows as received, kept verbatim and content-addressed.

use crate::Timestamp;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A content address: the lowercase hex BLAKE3 hash of what identifies a source
/// (see `tally-ingest` for what goes into it). Equal ids mean the same source
/// received again.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SourceId(pub String);

impl fmt::Display for SourceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A source's id as a ledger's derived rows hold it, borrowed: a content address (64
/// lowercase hex digits) as its 32 bytes, any other id as its text (issue 12: what a
/// linker holds of each report's source and what a store writes into its link rows).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKey<'a> {
    Address(&'a [u8]),
    Text(&'a str),
}

/// What kind of document a source is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// A row of the published crowd dataset.
    DatasetRow,
    /// A row of a volunteer tally sheet.
    SheetRow,
    /// A row of a reports CSV: one source statement about one gathering.
    ReportRow,
    /// A news article (text, HTML, or a feed item).
    Article,
    /// An official or organizer statement.
    Statement,
    /// A reviewer's or researcher's own figure (area–density estimates).
    Analysis,
    /// An organizing platform's listing of a planned gathering (an event list row).
    Listing,
}

impl SourceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::DatasetRow => "dataset_row",
            SourceKind::SheetRow => "sheet_row",
            SourceKind::ReportRow => "report_row",
            SourceKind::Article => "article",
            SourceKind::Statement => "statement",
            SourceKind::Analysis => "analysis",
            SourceKind::Listing => "listing",
        }
    }

    pub fn parse(s: &str) -> Option<SourceKind> {
        Some(match s {
            "dataset_row" => SourceKind::DatasetRow,
            "sheet_row" => SourceKind::SheetRow,
            "report_row" => SourceKind::ReportRow,
            "article" => SourceKind::Article,
            "statement" => SourceKind::Statement,
            "analysis" => SourceKind::Analysis,
            "listing" => SourceKind::Listing,
            _ => return None,
        })
    }

    /// Rows of one curated dataset or sheet are distinct events by construction:
    /// the curator already did the linking, so they never merge with each other.
    pub fn is_curated(self) -> bool {
        matches!(self, SourceKind::DatasetRow | SourceKind::SheetRow)
    }
}

/// One document or row as received.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Source {
    pub id: SourceId,
    pub kind: SourceKind,
    /// Where it came from: a file name or a URL.
    pub origin: String,
    /// Where in the origin: "line 12" for a row, an item index for a feed.
    pub locator: Option<String>,
    /// The bytes as received, decoded to text (Latin-1 files are decoded, not mangled).
    pub content: String,
    pub received_at: Timestamp,
}
