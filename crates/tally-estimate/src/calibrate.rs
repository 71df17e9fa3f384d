//! Calibration: hide known sizes (or drop whole events), estimate, and count how often
//! the 90% interval holds the true total, how wide it is and how far the point is.
//!
//! Only events with a size take part (their truth is known). Each trial hides a fixed
//! share of them, picked under one of two schemes, and compares the estimate with the
//! true total of their midpoints:
//!
//! - `uniform`: every event equally likely;
//! - `small-events`: a chance ∝ 1/√size — missingness that depends on the size itself,
//!   mostly of small gatherings, as on real tallies.
//!
//! Two things can be missing: the **sizes** of events still in the ledger (judged on the
//! imputed total), or whole **rows** (judged on the extrapolated total, told how many
//! events the day had). The median-fill baseline is scored beside the model: each
//! missing event filled with the median midpoint of the known ones.

use crate::rng::Rng;
use crate::rows::EventRows;
use crate::synthetic::pick_weighted;
use crate::totals::{estimate_rows, EstimateConfig};
use crate::EstimateError;
use serde::Serialize;
use tally_model::Event;

/// How a trial picks the events to hide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum HidingScheme {
    Uniform,
    SmallEvents,
}

impl HidingScheme {
    pub const ALL: [HidingScheme; 2] = [HidingScheme::Uniform, HidingScheme::SmallEvents];

    pub fn as_str(self) -> &'static str {
        match self {
            HidingScheme::Uniform => "uniform",
            HidingScheme::SmallEvents => "small-events",
        }
    }
}

/// What a trial takes away.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Missing {
    /// Sizes hidden, events kept: the imputed total is judged.
    Sizes,
    /// Whole events dropped, their number given: the extrapolated total is judged.
    Rows,
}

impl Missing {
    pub const ALL: [Missing; 2] = [Missing::Sizes, Missing::Rows];

    pub fn as_str(self) -> &'static str {
        match self {
            Missing::Sizes => "sizes",
            Missing::Rows => "rows",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct CalibrationConfig {
    pub trials: usize,
    /// Share of sized events whose size is hidden in a trial.
    pub hide_share: f64,
    /// Share of sized events dropped whole in a trial.
    pub drop_share: f64,
    pub seed: u64,
    pub schemes: Vec<HidingScheme>,
    pub missing: Vec<Missing>,
    pub estimate: EstimateConfig,
}

impl Default for CalibrationConfig {
    fn default() -> Self {
        let mut estimate = EstimateConfig::default();
        estimate.impute.replicates = 300;
        CalibrationConfig {
            trials: 20,
            hide_share: 0.2,
            drop_share: 0.3,
            seed: 1,
            schemes: HidingScheme::ALL.to_vec(),
            missing: Missing::ALL.to_vec(),
            estimate,
        }
    }
}

/// The results of one setup (what is missing, and how it is picked) over all trials.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SchemeResult {
    pub missing: Missing,
    pub scheme: HidingScheme,
    pub trials: usize,
    /// Trials whose interval held the true total, and their share.
    pub covered: usize,
    pub coverage: f64,
    /// Median of (high − low) / true total.
    pub median_relative_width: f64,
    /// Median share of the true total that was missing.
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
    pub drop_share: f64,
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
    calibrate_rows(&EventRows::from_events(events), config)
}

/// [`calibrate`] over slim rows (what a ledger streams, never building an `Event`):
/// the sized rows are taken once, and each trial copies them with its hidden sizes
/// cleared, or keeps the rows it does not drop, instead of rebuilding rows from events
/// (issue 12). The codes of a subset stay in the same order, so the model reads the
/// same categories: the report is the one events give.
pub fn calibrate_rows(
    rows: &EventRows,
    config: &CalibrationConfig,
) -> Result<CalibrationReport, EstimateError> {
    let sized = rows.subset((0..rows.len()).filter(|&i| rows.rows[i].has_size()));
    if sized.len() < 10 {
        return Err(EstimateError::TooFewSizedEvents {
            found: sized.len(),
            needed: 10,
        });
    }
    let truth_each: Vec<f64> = sized
        .rows
        .iter()
        .map(|e| e.midpoint().unwrap_or(0.0))
        .collect();
    let truth: f64 = truth_each.iter().sum();
    let uniform = vec![1.0; sized.len()];
    let small: Vec<f64> = truth_each.iter().map(|m| 1.0 / m.max(1.0).sqrt()).collect();
    // A trial's rows are written into this one copy: only the hidden sizes change.
    let mut trial_rows = sized.clone();

    let mut schemes = Vec::new();
    for (m, &missing) in config.missing.iter().enumerate() {
        let share = match missing {
            Missing::Sizes => config.hide_share,
            Missing::Rows => config.drop_share,
        };
        let count = (share.clamp(0.0, 1.0) * sized.len() as f64).round() as usize;
        for (s, &scheme) in config.schemes.iter().enumerate() {
            let weights = match scheme {
                HidingScheme::Uniform => &uniform,
                HidingScheme::SmallEvents => &small,
            };
            let mut covered = 0usize;
            let mut below = 0usize;
            let (mut widths, mut shares, mut errors, mut baseline_errors) =
                (Vec::new(), Vec::new(), Vec::new(), Vec::new());
            let mut kept: EventRows;
            for trial in 0..config.trials {
                let stream = (m as u64) << 48 | (s as u64) << 32 | trial as u64;
                let mut rng = Rng::derive(config.seed, stream);
                let hidden = pick_weighted(&mut rng, weights, count);
                let hidden_total: f64 = truth_each
                    .iter()
                    .zip(&hidden)
                    .filter(|(_, &h)| h)
                    .map(|(t, _)| t)
                    .sum();
                let trial = match missing {
                    Missing::Sizes => {
                        for ((row, original), &hide) in
                            trial_rows.rows.iter_mut().zip(&sized.rows).zip(&hidden)
                        {
                            (row.size_low, row.size_high) = if hide {
                                (None, None)
                            } else {
                                (original.size_low, original.size_high)
                            };
                        }
                        &trial_rows
                    }
                    Missing::Rows => {
                        kept = sized.subset((0..sized.len()).filter(|&i| !hidden[i]));
                        &kept
                    }
                };
                let mut estimate_config = config.estimate.clone();
                estimate_config.impute.seed = rng.next_u64();
                if missing == Missing::Rows {
                    estimate_config.expected_events = Some(sized.len());
                }
                let totals = estimate_rows(trial, &estimate_config);
                let interval = match missing {
                    Missing::Sizes => totals.imputed.as_ref().map(|i| (i.point, i.low, i.high)),
                    Missing::Rows => totals
                        .extrapolated
                        .as_ref()
                        .map(|x| (x.point, x.low, x.high)),
                };
                let Some((point, low, high)) = interval else {
                    continue;
                };
                let (point, low, high) = (point as f64, low as f64, high as f64);
                if low <= truth.round() && truth.round() <= high {
                    covered += 1;
                } else if truth < low {
                    below += 1;
                }
                widths.push((high - low) / truth);
                shares.push(hidden_total / truth);
                errors.push((point - truth).abs() / truth);
                let known: Vec<f64> = trial.rows.iter().filter_map(|e| e.midpoint()).collect();
                let known_total: f64 = known.iter().sum();
                let baseline = known_total + count as f64 * median(known);
                baseline_errors.push((baseline - truth).abs() / truth);
            }
            let n = widths.len();
            schemes.push(SchemeResult {
                missing,
                scheme,
                trials: n,
                covered,
                coverage: covered as f64 / n.max(1) as f64,
                median_relative_width: median(widths),
                median_hidden_share: median(shares),
                median_abs_error: median(errors),
                baseline_median_abs_error: median(baseline_errors),
                misses_below: below as f64 / n.max(1) as f64,
            });
        }
    }
    Ok(CalibrationReport {
        sized_events: sized.len(),
        hide_share: config.hide_share,
        drop_share: config.drop_share,
        level: config.estimate.impute.level,
        schemes,
    })
}
