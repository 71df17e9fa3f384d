//! Reports: one source's statement about one gathering.

use crate::{Date, Estimate, Place, Scope, SourceId, Timestamp};
use serde::{Deserialize, Serialize};

/// A report's number in the ledger, assigned in order of receipt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ReportId(pub i64);

/// One source's statement about one gathering. Reports are append-only:
/// corrections are new reports or reviewer decisions, never edits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// `None` until the ledger stores it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<ReportId>,
    pub source_id: SourceId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
    pub place: Place,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_detail: Option<String>,
    /// Zero or more size estimates, each with its attribution and scope.
    pub estimates: Vec<Estimate>,
    /// The size wording as the source gave it ("dozens", "7,000", "about 3k").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size_text: Option<String>,
    /// A stated count of events or places ("in over 2,000 places"), kept apart from sizes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_count: Option<u64>,
    /// protest, march, rally, strike, vigil, parade, ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_type: Option<String>,
    /// The gathering's name or label ("No Kings", "Military parade").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The headline of the article the report came from ("Thousands rally in Austin").
    /// It names the story, not the gathering: linking reads it as a hint, never as a
    /// title that keeps a report apart from the event of its place and day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headline: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organizers: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participants: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claims: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valence: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arrests: Option<String>,
    /// Who published the statement, and where (for report-level files and articles).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub urls: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// How many people said they would come, from an organizing platform's listing. A
    /// predictor of size, never a size.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rsvp: Option<u64>,
    /// The curated batch a row belongs to (a dataset or sheet file); reports of one
    /// batch never merge with each other. `None` for articles and statements.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch: Option<String>,
    pub received_at: Timestamp,
}

impl Report {
    /// A report with only the required parts; the rest is empty.
    pub fn new(source_id: SourceId, place: Place, received_at: Timestamp) -> Report {
        Report {
            id: None,
            source_id,
            date: None,
            place,
            location_detail: None,
            estimates: Vec::new(),
            size_text: None,
            event_count: None,
            event_type: None,
            title: None,
            headline: None,
            organizers: None,
            participants: None,
            claims: None,
            valence: None,
            arrests: None,
            publisher: None,
            urls: Vec::new(),
            notes: None,
            rsvp: None,
            batch: None,
            received_at,
        }
    }

    /// The estimates that count toward an event's range (scope `event`).
    pub fn event_estimates(&self) -> impl Iterator<Item = &Estimate> {
        self.estimates.iter().filter(|e| e.scope() == Scope::Event)
    }

    /// True when the report carries only aggregate statements: a claim to check,
    /// never an event to count.
    pub fn is_aggregate_only(&self) -> bool {
        !self.estimates.is_empty() && self.event_estimates().next().is_none()
    }
}
