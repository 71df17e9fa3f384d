//! Estimation: totals with calibrated uncertainty, claim checks, comparisons and the
//! area–density estimate. Pure functions over events; no I/O.
//!
//! - [`estimate`] / [`breakdown`]: the totals of DESIGN.md for a selection of events,
//!   including the imputed total (see [`impute`] for the model) and the median-fill
//!   baseline.
//! - [`EventRows`]: the slim rows estimation reads (numbers and label codes), built
//!   one event at a time with [`RowsBuilder`] without holding [`tally_model::Event`]s.
//! - [`selection_area`] and [`AreaPopulation`]: the selected area's population for
//!   per-capita figures; populations come from outside (the gazetteer).
//! - [`calibrate`]: how often the interval holds hidden known totals.
//! - [`parse_claim`] and [`check_claim`]: quantitative claims and their verdicts;
//!   [`independent_evidence`]: the events as sources other than the claimant and the
//!   organizers describe them; [`ranges_by_class`]: who said what about one event.
//! - [`compare`]: two selections and the ratio of their totals.
//! - [`area_estimate`]: area × density, the crowd scientists' method.
//!
//! What is deliberately absent: no storage, no JSON reading or writing beyond `serde`
//! derives, no global random state (every random draw comes from a seed in the config).

pub mod area;
pub mod calibrate;
pub mod claim;
pub mod compare;
pub mod evidence;
pub mod impute;
mod linalg;
pub mod population;
/// The workspace's one seeded generator; re-exported so benches and callers keep one path.
pub use tally_model::rng;
pub mod rows;
pub mod synthetic;
pub mod totals;

pub use area::{area_estimate, parse_polygon, polygon_area_m2, AreaEstimate, AreaInput, Density};
pub use calibrate::{
    calibrate, calibrate_rows, CalibrationConfig, CalibrationReport, HidingScheme, Missing,
    SchemeResult,
};
pub use claim::{
    check_claim, parse_claim, CheckConfig, Claim, ClaimCheck, ClaimError, ClaimRange, Evidence,
    PartCheck, Verdict,
};
pub use compare::{compare, compare_jointly, Comparison, Ratio};
pub use evidence::{
    independent_evidence, interested_classes, ranges_by_class, ClassRange, ExcludedStatement,
    Exclusion, IndependentEvidence, RangesByClass,
};
pub use impute::{ImputeConfig, ModelSummary, Selection as MissingSelection, UnsizedPart};
pub use population::{selection_area, Area, AreaPopulation, StaticPopulation};
pub use rows::{EventRow, EventRows, RowsBuilder};
pub use totals::{
    breakdown, estimate, estimate_refs, estimate_rows, joint_replicate_totals, replicate_totals,
    Baseline, BreakdownRow, By, EstimateConfig, Extrapolated, Imputed, JointReplicates, Totals,
};

/// What can go wrong in estimation: bad parameters or too little data.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EstimateError {
    #[error("unknown breakdown {0:?}: expected state, locality or date")]
    UnknownBreakdown(String),
    #[error("bad area: {0}")]
    BadArea(String),
    #[error("too few events with a size: found {found}, need at least {needed}")]
    TooFewSizedEvents { found: usize, needed: usize },
}
