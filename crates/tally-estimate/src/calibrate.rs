//! Calibration: hide known sizes, impute them, and count how often the interval holds
//! the true total, and how wide it is.
//!
//! Only events with a size take part (their truth is known). Each trial hides a share of
//! them under one of three schemes, estimates the total of all of them, and compares with
//! the true total of their midpoints:
//!
//! - `uniform`: every event equally likely to be hidden;
//! - `small-events`: the chance of hiding falls linearly with the event's size rank
//!   (twice the average share for the smallest, none for the largest) — missingness that
//!   depends on the size itself, which no covariate can see;
//! - `small-towns`: the same by the locality's population rank — the missingness real
//!   tallies show, which the model conditions on.

use crate::rng::Rng;
use crate::synthetic::ranks;
use crate::totals::{estimate, EstimateConfig};
use crate::EstimateError;
use serde::Serialize;
use tally_model::Event;

/// How a trial picks the sizes to hide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum HidingScheme {
    Uniform,
    SmallEvents,
    SmallTowns,
}

impl HidingScheme {
    pub const ALL: [HidingScheme; 3] = [
        HidingScheme::Uniform,
        HidingScheme::SmallEvents,
        HidingScheme::SmallTowns,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            HidingScheme::Uniform => "uniform",
            HidingScheme::SmallEvents => "small-events",
            HidingScheme::SmallTowns => "small-towns",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct CalibrationConfig {
    pub trials: usize,
    /// Average share of sized events hidden in a trial.
    pub hide_share: f64,
    pub seed: u64,
    pub schemes: Vec<HidingScheme>,
    pub estimate: EstimateConfig,
}

impl Default for CalibrationConfig {
    fn default() -> Self {
        let mut estimate = EstimateConfig::default();
        estimate.impute.replicates = 300;
        CalibrationConfig {
            trials: 200,
            hide_share: 0.3,
            seed: 1,
            schemes: HidingScheme::ALL.to_vec(),
            estimate,
        }
    }
}

/// The results of one scheme over all trials.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SchemeResult {
    pub scheme: HidingScheme,
    pub trials: usize,
    /// Share of trials whose interval held the true total.
    pub coverage: f64,
    /// Median of (high − low) / true total.
    pub median_relative_width: f64,
    /// Median of (high − low) / true hidden total: the width against what was hidden.
    pub median_hidden_relative_width: f64,
    /// Median share of the true total that was hidden.
    pub median_hidden_share: f64,
    /// Median of |point − truth| / truth for the model and for the median-fill baseline.
    pub median_abs_error: f64,
    pub baseline_median_abs_error: f64,
    /// Share of trials in which the truth was below the interval (the rest of the misses
    /// were above it).
    pub misses_below: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CalibrationReport {
    pub sized_events: usize,
    pub hide_share: f64,
    pub level: f64,
    pub schemes: Vec<SchemeResult>,
}

fn median(mut values: Vec<f64>) -> f64 {
    crate::impute::quantile(&mut values, 0.5)
}

/// Runs the calibration on the events' known sizes.
pub fn calibrate(
    events: &[Event],
    config: &CalibrationConfig,
) -> Result<CalibrationReport, EstimateError> {
    let sized: Vec<&Event> = events.iter().filter(|e| e.has_size()).collect();
    if sized.len() < 10 {
        return Err(EstimateError::TooFewSizedEvents {
            found: sized.len(),
            needed: 10,
        });
    }
    let truth_each: Vec<f64> = sized.iter().map(|e| e.midpoint().unwrap_or(0.0)).collect();
    let truth: f64 = truth_each.iter().sum();
    let size_ranks = ranks(&truth_each);
    let pops: Vec<f64> = sized
        .iter()
        .map(|e| {
            e.place
                .resolved
                .as_ref()
                .and_then(|r| r.population)
                .map_or(f64::NAN, |p| p as f64)
        })
        .collect();
    // Unknown populations rank in the middle.
    let known: Vec<f64> = pops.iter().copied().filter(|p| p.is_finite()).collect();
    let middle = if known.is_empty() { 0.0 } else { median(known) };
    let pop_ranks = ranks(
        &pops
            .iter()
            .map(|p| if p.is_finite() { *p } else { middle })
            .collect::<Vec<_>>(),
    );

    let mut schemes = Vec::new();
    for (s, &scheme) in config.schemes.iter().enumerate() {
        let mut covered = 0usize;
        let mut below = 0usize;
        let (mut widths, mut hidden_widths, mut shares, mut errors, mut baseline_errors) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for trial in 0..config.trials {
            let mut rng = Rng::derive(config.seed, (s as u64) << 32 | trial as u64);
            let mut hidden_total = 0.0;
            let mut trial_events: Vec<Event> = Vec::with_capacity(sized.len());
            for (i, e) in sized.iter().enumerate() {
                let p = match scheme {
                    HidingScheme::Uniform => config.hide_share,
                    HidingScheme::SmallEvents => 2.0 * config.hide_share * (1.0 - size_ranks[i]),
                    HidingScheme::SmallTowns => 2.0 * config.hide_share * (1.0 - pop_ranks[i]),
                };
                let mut e = (*e).clone();
                if rng.uniform() < p.clamp(0.0, 1.0) {
                    hidden_total += truth_each[i];
                    e.size_low = None;
                    e.size_high = None;
                }
                trial_events.push(e);
            }
            let mut estimate_config = config.estimate.clone();
            estimate_config.impute.seed = rng.next_u64();
            let totals = estimate(&trial_events, &estimate_config);
            let Some(imputed) = totals.imputed else {
                continue;
            };
            let (low, high) = (imputed.low as f64, imputed.high as f64);
            if low <= truth.round() && truth.round() <= high {
                covered += 1;
            } else if truth < low {
                below += 1;
            }
            widths.push((high - low) / truth);
            if hidden_total > 0.0 {
                hidden_widths.push((high - low) / hidden_total);
            }
            shares.push(hidden_total / truth);
            errors.push((imputed.point as f64 - truth).abs() / truth);
            if let Some(b) = totals.baseline {
                baseline_errors.push((b.point as f64 - truth).abs() / truth);
            }
        }
        let n = widths.len();
        schemes.push(SchemeResult {
            scheme,
            trials: n,
            coverage: covered as f64 / n.max(1) as f64,
            median_relative_width: median(widths),
            median_hidden_relative_width: median(hidden_widths),
            median_hidden_share: median(shares),
            median_abs_error: median(errors),
            baseline_median_abs_error: median(baseline_errors),
            misses_below: below as f64 / n.max(1) as f64,
        });
    }
    Ok(CalibrationReport {
        sized_events: sized.len(),
        hide_share: config.hide_share,
        level: config.estimate.impute.level,
        schemes,
    })
}
