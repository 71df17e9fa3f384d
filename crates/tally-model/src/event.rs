//! Events: clusters of reports about the same gathering. Always derived.

use crate::{Date, Place, ReportId};
use serde::{Deserialize, Serialize};

/// A stable event id: derived from the reports it holds, so a rebuild from the same
/// reports gives the same ids.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EventId(pub String);

/// One gathering, with the range its reports span.
///
/// `size_low` is the smallest event-scope estimate among its reports and `size_high`
/// the largest; `low_from` and `high_from` name the reports that gave them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub id: EventId,
    pub date: Option<Date>,
    pub place: Place,
    pub event_type: Option<String>,
    pub title: Option<String>,
    pub organizers: Option<String>,
    /// Sorted ascending.
    pub reports: Vec<ReportId>,
    pub size_low: Option<u64>,
    pub size_high: Option<u64>,
    pub low_from: Option<ReportId>,
    pub high_from: Option<ReportId>,
    /// True when every bound came from the vague-word table rather than a stated figure.
    pub coded_by_rule: bool,
}

impl Event {
    pub fn has_size(&self) -> bool {
        self.size_low.is_some() && self.size_high.is_some()
    }

    /// `(size_low + size_high) / 2`, when the event has a size.
    pub fn midpoint(&self) -> Option<f64> {
        Some((self.size_low? as f64 + self.size_high? as f64) / 2.0)
    }
}

/// What totals and the imputation model read of one event: numbers and short text
/// borrowed from wherever the event is read (a ledger row, an [`Event`]), with no
/// allocation. The store streams these; the estimator turns them into slim rows.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct SlimEvent<'a> {
    pub date: Option<crate::Date>,
    /// The best-known state and locality (resolved, else as the source gave them).
    pub state: Option<crate::StateCode>,
    pub locality: Option<&'a str>,
    /// The resolved locality's population.
    pub population: Option<u64>,
    /// How many reports the event holds.
    pub reports: u32,
    pub event_type: Option<&'a str>,
    pub title: Option<&'a str>,
    pub size_low: Option<u64>,
    pub size_high: Option<u64>,
}
