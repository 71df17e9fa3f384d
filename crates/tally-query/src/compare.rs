//! Two selections side by side: their totals and the ratio of the first to the second,
//! with an interval from resampling both totals jointly
//! (`tally_estimate::compare_jointly`), and the events both sides count named.

use crate::estimate::{load_events, totals_for, ModelOptions};
use crate::selection::parse_selection;
use crate::{bad_input, QueryError};
use serde::Serialize;
use std::collections::HashSet;
use tally_estimate::{Ratio, Totals};
use tally_model::{Event, EventId, Selection};
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

/// `{"a": {...}, "b": {...}, "ratio": {...}, "overlap": {...}}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompareAnswer {
    pub a: CompareSide,
    pub b: CompareSide,
    /// A relative to B.
    pub ratio: Ratio,
    /// The events counted on both sides, named; `null` when the sides are disjoint.
    pub overlap: Option<Overlap>,
}

/// Events that both selections pick: counted in both totals, and so in the ratio.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Overlap {
    pub events: usize,
    pub known_low: u64,
    pub known_high: u64,
    /// Their ids and titles (at most 20; `events` counts them all).
    pub ids: Vec<String>,
    pub titles: Vec<String>,
}

/// Answers `tally compare A B`. Two sides that select the same events are refused
/// (bad input); events picked by both are named in the answer and resampled once for
/// both sides.
pub fn compare(ledger: &Ledger, request: &CompareRequest) -> Result<CompareAnswer, QueryError> {
    let a = parse_selection(&request.a, &request.defaults)?;
    let b = parse_selection(&request.b, &request.defaults)?;
    if a == b {
        return Err(bad_input(format!(
            "both sides select the same events ({:?} and {:?}): nothing to compare",
            request.a, request.b
        )));
    }
    let config = request.model.config();
    let events_a = load_events(ledger, &a)?;
    let events_b = load_events(ledger, &b)?;
    let in_b: HashSet<&EventId> = events_b.iter().map(|e| &e.id).collect();
    let in_a: HashSet<&EventId> = events_a.iter().map(|e| &e.id).collect();
    if !events_a.is_empty() && in_a == in_b {
        return Err(bad_input(format!(
            "both sides select the same {} events ({:?} and {:?}): nothing to compare",
            events_a.len(),
            request.a,
            request.b
        )));
    }
    let shared: Vec<&Event> = events_a.iter().filter(|e| in_b.contains(&e.id)).collect();
    let overlap = (!shared.is_empty()).then(|| Overlap {
        events: shared.len(),
        known_low: shared.iter().filter_map(|e| e.size_low).sum(),
        known_high: shared.iter().filter_map(|e| e.size_high).sum(),
        ids: shared.iter().take(20).map(|e| e.id.0.clone()).collect(),
        titles: shared
            .iter()
            .take(20)
            .map(|e| e.title.clone().unwrap_or_default())
            .collect(),
    });
    // Both sides' events once each, with which side(s) they belong to.
    let mut union: Vec<&Event> = events_a.iter().collect();
    let mut membership: Vec<u64> = events_a
        .iter()
        .map(|e| if in_b.contains(&e.id) { 3 } else { 1 })
        .collect();
    for e in events_b.iter().filter(|e| !in_a.contains(&e.id)) {
        union.push(e);
        membership.push(2);
    }
    let comparison = tally_estimate::compare_jointly(
        &union,
        &membership,
        totals_for(&a, &events_a, &config),
        totals_for(&b, &events_b, &config),
        &config,
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
        overlap,
    })
}
