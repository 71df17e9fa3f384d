//! The data model of Tally: sources, reports, events, estimates and places.
//!
//! This crate does no I/O and knows nothing of SQLite, HTTP or JSON files. Its
//! types carry the invariants of the design: an [`Estimate`] never has
//! `low > high`, a [`ResolvedPlace`] always has a state, and a [`Fips`] code is
//! always five digits kept as text.

pub mod bounds;
mod estimate;
mod event;
mod place;
pub mod pool;
mod report;
pub mod rng;
mod rules;
mod selection;
mod source;
mod state;

pub use bounds::{group_thousands, BoundsError};
pub use estimate::{Attribution, Estimate, EstimateError, Scope};
pub use event::{Event, EventId, SlimEvent};
pub use place::{locality_key, Confidence, Fips, FipsError, Place, ResolvedPlace};
pub use report::{Report, ReportId};
pub use rules::{CodingRules, RulesError, VagueRule};
pub use selection::Selection;
pub use source::{Source, SourceId, SourceKey, SourceKind};
pub use state::{StateCode, StateError};

/// Calendar dates carry no time zone: a gathering happens on a local day.
pub type Date = chrono::NaiveDate;
/// Receipt times are UTC instants.
pub type Timestamp = chrono::DateTime<chrono::Utc>;
