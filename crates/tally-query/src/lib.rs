//! tally-query: one library function per question that a front end asks of the ledger.
//!
//! The CLI, `tally demo` and the HTTP server call these and only print: the same
//! request gives the same figures and verdict everywhere (DESIGN.md "One answer
//! everywhere").
//!
//! | question | function | answer (its JSON is the CLI's `--json`) |
//! |---|---|---|
//! | totals for a selection | [`estimate()`] | [`EstimateAnswer`] |
//! | the events a selection picks | [`events()`] | `Vec<Event>` |
//! | one event, every report and source | [`event()`] | [`EventAnswer`] |
//! | a claim against the evidence | [`check()`] | [`CheckAnswer`] |
//! | every claim stored in the ledger | [`check_stored()`] | `Vec<`[`StoredCheck`]`>` |
//! | two selections side by side | [`compare()`] | [`CompareAnswer`] |
//! | the rows of an export | [`export_rows()`], streamed: [`for_each_export_row()`] | `Vec<ExportRow>` (CSV, GeoJSON, Parquet) |
//!
//! Requests are typed structs; selections come from [`SelectionInput`] (the flags and
//! query parameters, as text) or [`parse_selection`] (the `key=value,...` grammar of
//! `compare`). Populations come from the embedded gazetteer ([`populations`]).
//!
//! What is deliberately absent: printing, argument parsing, HTTP, and writing to the
//! ledger. Every function reads.

mod check;
mod compare;
mod estimate;
mod events;
mod export;
mod population;
mod selection;

pub use check::{check, check_stored, CheckAnswer, CheckEvidence, CheckRequest, StoredCheck};
pub use compare::{compare, CompareAnswer, CompareRequest, CompareSide};
pub use estimate::{
    estimate, load_events, load_rows, place_populations, totals_for, totals_for_rows,
    EstimateAnswer, EstimateRequest, ModelOptions,
};
pub use events::{event, events, EventAnswer, EventsRequest, ReportWithSource};
pub use export::{export_rows, for_each_export_row};
pub use population::{populations, GazetteerPopulation};
pub use selection::{parse_selection, parse_state, SelectionInput};

/// What can go wrong answering a question.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    /// The request itself is wrong (a bad state, date, claim or selection): the user's
    /// to fix. The message says what and why.
    #[error("{0}")]
    BadInput(String),
    #[error(transparent)]
    Store(#[from] tally_store::StoreError),
    #[error(transparent)]
    Pipeline(#[from] tally_pipeline::PipelineError),
}

impl QueryError {
    /// True when the error is the request's fault (exit code 1, HTTP 4xx), not ours.
    pub fn is_bad_input(&self) -> bool {
        match self {
            QueryError::BadInput(_) => true,
            QueryError::Pipeline(e) => e.is_bad_input(),
            QueryError::Store(_) => false,
        }
    }
}

pub(crate) fn bad_input(message: impl Into<String>) -> QueryError {
    QueryError::BadInput(message.into())
}
