//! Two selections side by side: their totals and the ratio of the first to the second.

use crate::estimate::{load_events, totals_for, ModelOptions};
use crate::selection::parse_selection;
use crate::QueryError;
use serde::Serialize;
use tally_estimate::{Ratio, Totals};
use tally_model::Selection;
use tally_store::Ledger;

/// `tally compare A B`: each side in the selection grammar of [`parse_selection`],
/// on top of shared defaults (dates, as-of).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CompareRequest {
    pub a: String,
    pub b: String,
    pub defaults: Selection,
    pub model: ModelOptions,
}

/// One side: the selection as written, and its totals.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompareSide {
    #[serde(flatten)]
    pub totals: Totals,
    pub selection: String,
}

/// `{"a": {...}, "b": {...}, "ratio": {...}}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompareAnswer {
    pub a: CompareSide,
    pub b: CompareSide,
    /// A relative to B.
    pub ratio: Ratio,
}

/// Answers `tally compare A B`.
pub fn compare(ledger: &Ledger, request: &CompareRequest) -> Result<CompareAnswer, QueryError> {
    let a = parse_selection(&request.a, &request.defaults)?;
    let b = parse_selection(&request.b, &request.defaults)?;
    let config = request.model.config();
    let events_a = load_events(ledger, &a)?;
    let events_b = load_events(ledger, &b)?;
    let comparison = tally_estimate::compare(
        totals_for(&a, &events_a, &config),
        totals_for(&b, &events_b, &config),
    );
    Ok(CompareAnswer {
        a: CompareSide {
            totals: comparison.a,
            selection: request.a.clone(),
        },
        b: CompareSide {
            totals: comparison.b,
            selection: request.b.clone(),
        },
        ratio: comparison.ratio,
    })
}
