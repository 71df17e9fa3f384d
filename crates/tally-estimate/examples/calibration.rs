//! Prints the calibration of the imputed and extrapolated intervals on synthetic days
//! shaped like real ones (see `synthetic`), one line per data seed and setup:
//! `cargo run --release -p tally-estimate --example calibration -- [EVENTS] [TRIALS] [SEEDS] [nopop] [lognormal|sheet|dominant]`.
//!
//! The defaults (600 events, 20 trials, seeds 1–5, the log-normal shape) are those of
//! docs/calibration.md.

use tally_estimate::synthetic::{synthetic_events, Shape, SyntheticConfig};
use tally_estimate::{calibrate, CalibrationConfig};

/// Trials covered, trials, and per seed the median width, error and median-fill error.
type Pooled = (usize, usize, Vec<f64>, Vec<f64>, Vec<f64>);

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let events: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(600);
    let trials: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(20);
    let seeds: u64 = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(5);
    let drop_population = args.iter().any(|a| a == "nopop");
    let shape = args
        .iter()
        .find_map(|a| Shape::parse(a))
        .unwrap_or(Shape::LogNormal);
    let mut config = CalibrationConfig {
        trials,
        ..CalibrationConfig::default()
    };
    // Knobs for choosing the model by calibration.
    let knob = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<f64>().ok());
    let impute = &mut config.estimate.impute;
    if let Some(v) = knob("BANDS") {
        impute.max_bands = v as usize;
    }
    if let Some(v) = knob("LOWER_TILT") {
        impute.lower_tilt = v;
    }
    if let Some(v) = knob("LOWER_FACTOR") {
        impute.lower_tilt_factor = v;
    }
    if let Some(v) = knob("PRIOR_TILT") {
        impute.prior_tilt = v;
    }
    if let Some(v) = knob("PRIOR_TILT_SD") {
        impute.prior_tilt_sd = v;
    }
    if let Some(v) = knob("STATE_EVENTS") {
        impute.min_state_events = v as usize;
    }
    if let Some(v) = knob("REPLICATES") {
        impute.replicates = v as usize;
    }
    let mut pooled: std::collections::BTreeMap<String, Pooled> = Default::default();
    for seed in 1..=seeds {
        let (truth, _) = synthetic_events(&SyntheticConfig::shaped(shape, events, seed));
        let mids: Vec<f64> = truth.iter().filter_map(|e| e.midpoint()).collect();
        let total: f64 = mids.iter().sum();
        println!(
            "seed {seed} {} day: total {:.0}, largest event {:.1}% of it",
            shape.as_str(),
            total,
            100.0 * mids.iter().fold(0.0f64, |a, &b| a.max(b)) / total
        );
        let truth: Vec<_> = truth
            .into_iter()
            .map(|mut e| {
                if drop_population {
                    e.place.resolved = None;
                }
                e
            })
            .collect();
        let mut config = config.clone();
        config.seed = seed;
        let report = calibrate(&truth, &config).expect("enough events");
        for s in &report.schemes {
            println!(
                "seed {seed} {:<5} {:<12} covered {:>2}/{:<2} below {:.2} width {:.3} hidden {:.3} error {:.3} median-fill {:.3}",
                s.missing.as_str(), s.scheme.as_str(), s.covered, s.trials, s.misses_below,
                s.median_relative_width, s.median_hidden_share, s.median_abs_error,
                s.baseline_median_abs_error
            );
            let entry = pooled
                .entry(format!("{} {}", s.missing.as_str(), s.scheme.as_str()))
                .or_default();
            entry.0 += s.covered;
            entry.1 += s.trials;
            entry.2.push(s.median_relative_width);
            entry.3.push(s.median_abs_error);
            entry.4.push(s.baseline_median_abs_error);
        }
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
    for (setup, (covered, trials, widths, errors, baseline)) in &pooled {
        println!(
            "pooled {setup:<18} covered {covered}/{trials} ({:.0}%), mean of median width {:.3}, error {:.3}, median-fill {:.3}",
            100.0 * *covered as f64 / (*trials).max(1) as f64,
            mean(widths),
            mean(errors),
            mean(baseline)
        );
    }
}
