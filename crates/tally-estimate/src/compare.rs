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

/// How the ratio of two totals is resampled.
const JOINT_METHOD: &str = "joint bootstrap: both totals from the same replicates (one imputation model fit on both sides; a shared event adds the same draw to both), each sized event drawn within its low–high range";

/// Compares two selections of `events` by resampling both totals jointly: bit 0 of
/// `membership[i]` puts event `i` in A, bit 1 in B (an event may be in both). Each
/// replicate takes the imputed totals of the same bootstrap draw for both sides
/// ([`crate::joint_replicate_totals`]) and adds, for the events with a size, a draw
/// within their reported ranges (uniform, so the mean is the midpoint; over a group of
/// more than a few dozen ranged events, the sum as a normal draw truncated to the
/// group's known sums; shared events drawn once for both sides). The interval is the central `level` share of the replicate ratios A/B,
/// widened to hold the point. `a` and `b` are the sides' own totals, reported as they
/// are. Falls back to [`compare`] when the model cannot be fit.
pub fn compare_jointly(
    events: &[&tally_model::Event],
    membership: &[u64],
    a: Totals,
    b: Totals,
    config: &crate::EstimateConfig,
) -> Comparison {
    let Some(joint) = crate::joint_replicate_totals(events, membership, 2, config) else {
        return compare(a, b);
    };
    let (Some(&point_a), Some(&point_b)) = (joint.points.first(), joint.points.get(1)) else {
        return compare(a, b);
    };
    if point_b <= 0.0 {
        return compare(a, b);
    }
    // Range spread per membership group: A only, B only, both.
    let mut groups: [RangeGroup; 3] = Default::default();
    for (e, &m) in events.iter().zip(membership) {
        let (Some(low), Some(high)) = (e.size_low, e.size_high) else {
            continue;
        };
        let group = match m & 3 {
            1 => 0,
            2 => 1,
            3 => 2,
            _ => continue,
        };
        groups[group].add(low as f64, high as f64);
    }
    let mut rng = crate::rng::Rng::derive(config.impute.seed, 0xC0_4A_11);
    let replicates = joint.totals[0].len().min(joint.totals[1].len());
    let mut ratios = Vec::with_capacity(replicates);
    for r in 0..replicates {
        let only_a = groups[0].draw(&mut rng);
        let only_b = groups[1].draw(&mut rng);
        let both = groups[2].draw(&mut rng);
        let total_a = joint.totals[0][r] + only_a + both;
        let total_b = joint.totals[1][r] + only_b + both;
        if total_b > 0.0 {
            ratios.push(total_a / total_b);
        }
    }
    let point = point_a / point_b;
    let (low, high) = if ratios.is_empty() {
        (None, None)
    } else {
        ratios.sort_by(f64::total_cmp);
        let tail = (1.0 - config.impute.level) / 2.0;
        let at = |q: f64| ratios[((ratios.len() - 1) as f64 * q).round() as usize];
        (Some(at(tail).min(point)), Some(at(1.0 - tail).max(point)))
    };
    Comparison {
        ratio: Ratio {
            point: Some(point),
            low,
            high,
            method: format!(
                "{JOINT_METHOD}; {} replicates, {:.0}% interval",
                replicates,
                config.impute.level * 100.0
            ),
        },
        a,
        b,
    }
}

/// Up to this many ranged events in a group are drawn one by one; more are summed as
/// one normal draw (their sum is close to normal by then, and a million draws per
/// replicate would be slow).
const EXACT_DRAWS: usize = 48;

/// The sized events of one membership group: how far their sum may move within the
/// reported ranges.
#[derive(Debug, Clone, Default)]
struct RangeGroup {
    /// The widths of the ranged events while there are few of them.
    widths: Vec<f64>,
    ranged: usize,
    /// Sum of (high - low)² / 12: the variance of a uniform draw in each range.
    variance: f64,
    /// Half the sum of the widths: the sum stays within its known sums.
    half_width: f64,
}

impl RangeGroup {
    fn add(&mut self, low: f64, high: f64) {
        let width = high - low;
        if width <= 0.0 {
            return;
        }
        self.ranged += 1;
        if self.ranged <= EXACT_DRAWS {
            self.widths.push(width);
        }
        self.variance += width * width / 12.0;
        self.half_width += width / 2.0;
    }

    /// The group's deviation from its midpoint sum in one replicate.
    fn draw(&self, rng: &mut crate::rng::Rng) -> f64 {
        if self.ranged == 0 {
            0.0
        } else if self.ranged <= EXACT_DRAWS {
            self.widths.iter().map(|w| (rng.uniform() - 0.5) * w).sum()
        } else {
            (rng.normal() * self.variance.sqrt()).clamp(-self.half_width, self.half_width)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synthetic::{synthetic_events, SyntheticConfig};
    use crate::{estimate_refs, EstimateConfig};
    use tally_model::Event;

    fn config(seed: u64) -> EstimateConfig {
        let mut config = EstimateConfig::default();
        config.impute.replicates = 200;
        config.impute.seed = seed;
        config
    }

    fn truth(events: &[&Event]) -> f64 {
        events.iter().filter_map(|e| e.midpoint()).sum()
    }

    /// Two movements of one synthetic day, some sizes hidden: the 90% ratio interval
    /// holds the true ratio of midpoint totals in most trials, and is far narrower
    /// than interval arithmetic on the two evidence ranges.
    fn coverage(trials: u64) -> (usize, f64, f64) {
        let (mut held, mut joint_widths, mut old_widths) = (0, Vec::new(), Vec::new());
        for seed in 0..trials {
            let (truth_events, observed) = synthetic_events(&SyntheticConfig {
                events: 400,
                seed: 100 + seed,
                missing_share: 0.2,
                ..SyntheticConfig::default()
            });
            let side = |e: &Event| -> u64 {
                match e.title.as_deref() {
                    Some("No Kings") => 1,
                    Some(_) => 2,
                    None => 0,
                }
            };
            let refs: Vec<&Event> = observed.iter().collect();
            let membership: Vec<u64> = observed.iter().map(side).collect();
            let pick = |bit: u64| -> Vec<&Event> {
                observed
                    .iter()
                    .zip(&membership)
                    .filter(|(_, m)| *m & bit != 0)
                    .map(|(e, _)| e)
                    .collect()
            };
            let config = config(seed);
            let a = estimate_refs(&pick(1), &config);
            let b = estimate_refs(&pick(2), &config);
            let old = compare(a.clone(), b.clone()).ratio;
            let joint = compare_jointly(&refs, &membership, a, b, &config).ratio;
            let true_a = truth(
                &truth_events
                    .iter()
                    .filter(|e| side(e) == 1)
                    .collect::<Vec<_>>(),
            );
            let true_b = truth(
                &truth_events
                    .iter()
                    .filter(|e| side(e) == 2)
                    .collect::<Vec<_>>(),
            );
            let true_ratio = true_a / true_b;
            let (low, high) = (joint.low.unwrap(), joint.high.unwrap());
            assert!(low <= joint.point.unwrap() && joint.point.unwrap() <= high);
            if low <= true_ratio && true_ratio <= high {
                held += 1;
            }
            joint_widths.push(high / low);
            if let (Some(l), Some(h)) = (old.low, old.high) {
                old_widths.push(h / l);
            }
        }
        let median = |mut v: Vec<f64>| {
            v.sort_by(f64::total_cmp);
            v[v.len() / 2]
        };
        (held, median(joint_widths), median(old_widths))
    }

    #[test]
    fn issue_8_joint_ratio_interval_holds_the_truth_and_is_usable() {
        let trials = 10;
        let (held, joint_width, old_width) = coverage(trials);
        assert!(held >= 8, "held the true ratio in {held} of {trials}");
        assert!(
            joint_width < old_width,
            "joint high/low {joint_width:.2} vs interval arithmetic {old_width:.2}"
        );
    }

    /// The longer run behind the numbers in BENCHMARKS.md (`cargo test --release -p
    /// tally-estimate compare -- --ignored --nocapture`).
    #[test]
    #[ignore]
    fn joint_ratio_coverage_over_many_trials() {
        let trials = 100;
        let (held, joint_width, old_width) = coverage(trials);
        println!(
            "ratio coverage: {held}/{trials}; median high/low {joint_width:.3} (interval arithmetic {old_width:.3})"
        );
    }

    #[test]
    fn a_shared_event_moves_both_sides_together() {
        let (_, observed) = synthetic_events(&SyntheticConfig {
            events: 200,
            seed: 7,
            missing_share: 0.0,
            ..SyntheticConfig::default()
        });
        let refs: Vec<&Event> = observed.iter().collect();
        // The same events on both sides: every replicate's ratio is exactly 1.
        let membership = vec![3u64; refs.len()];
        let totals = estimate_refs(&refs, &config(1));
        let ratio = compare_jointly(&refs, &membership, totals.clone(), totals, &config(1)).ratio;
        assert_eq!(
            (ratio.low, ratio.point, ratio.high),
            (Some(1.0), Some(1.0), Some(1.0))
        );
    }
}
