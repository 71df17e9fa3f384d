//! Comparing two selections: their totals and the ratio of the first to the second.
//!
//! The ratio's point is the ratio of the imputed points (of the known midpoints when a
//! side has no imputation). Its interval is interval arithmetic on the two evidence
//! ranges that `check` uses (known sums plus the imputed unsized part): the first's low
//! over the second's high, to the first's high over the second's low. The two sides are
//! estimated separately, so this is conservative — it holds at least the coverage of the
//! evidence ranges themselves — and it needs no assumption about how their errors are
//! correlated. When the second side's low end is zero, the ratio has no upper bound.

use crate::totals::Totals;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ratio {
    pub point: Option<f64>,
    pub low: Option<f64>,
    /// `None` when unbounded.
    pub high: Option<f64>,
    pub method: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    pub a: Totals,
    pub b: Totals,
    /// A relative to B.
    pub ratio: Ratio,
}

fn point_of(t: &Totals) -> Option<f64> {
    match &t.imputed {
        Some(i) => Some(i.point as f64),
        None if t.events_with_size > 0 => Some(t.known_midpoint),
        None => None,
    }
}

/// Compares two selections' totals.
pub fn compare(a: Totals, b: Totals) -> Comparison {
    let point = match (point_of(&a), point_of(&b)) {
        (Some(x), Some(y)) if y > 0.0 => Some(x / y),
        _ => None,
    };
    let (low, high) = match (a.evidence_range(), b.evidence_range()) {
        (Some((a_low, a_high)), Some((b_low, b_high))) if b_high > 0.0 => {
            (Some(a_low / b_high), (b_low > 0.0).then(|| a_high / b_low))
        }
        _ => (None, None),
    };
    Comparison {
        ratio: Ratio {
            point,
            low,
            high,
            method: "interval arithmetic on the evidence ranges (A low / B high .. A high / B low)"
                .to_string(),
        },
        a,
        b,
    }
}
