//! Prints the calibration of the imputed interval on synthetic events, as JSON lines:
//! `cargo run --release -p tally-estimate --example calibration -- [EVENTS] [TRIALS] [SELECTION_QUANTILE]`.

use tally_estimate::synthetic::{synthetic_events, SyntheticConfig};
use tally_estimate::{calibrate, CalibrationConfig};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let events: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(639);
    let trials: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(200);
    let mut config = CalibrationConfig {
        trials,
        ..CalibrationConfig::default()
    };
    if let Some(q) = args.get(2).and_then(|a| a.parse().ok()) {
        config.estimate.impute.selection_quantile = q;
    }
    let drop_population = args.get(3).is_some_and(|a| a == "nopop");
    for seed in 1..=3u64 {
        let (truth, _) = synthetic_events(&SyntheticConfig {
            events,
            seed,
            ..SyntheticConfig::default()
        });
        let truth: Vec<_> = truth
            .into_iter()
            .map(|mut e| {
                if drop_population {
                    e.place.resolved = None;
                }
                e
            })
            .collect();
        if std::env::var_os("SHOW_TOP").is_some() {
            let mut mids: Vec<(f64, u64)> = truth
                .iter()
                .map(|e| {
                    (
                        e.midpoint().unwrap_or(0.0),
                        e.place
                            .resolved
                            .as_ref()
                            .and_then(|r| r.population)
                            .unwrap_or(0),
                    )
                })
                .collect();
            mids.sort_by(|a, b| b.0.total_cmp(&a.0));
            let total: f64 = mids.iter().map(|m| m.0).sum();
            let top: Vec<String> = mids
                .iter()
                .take(5)
                .map(|(m, p)| format!("{:.3} (pop {p})", m / total))
                .collect();
            println!("seed {seed} total {total:.0} top shares {}", top.join(", "));
        }
        let report = calibrate(&truth, &config).expect("enough events");
        for s in &report.schemes {
            println!(
                "seed {seed} {:<13} coverage {:.3} below {:.3} width {:.3} hidden-width {:.2} hidden-share {:.3} err {:.3} baseline-err {:.3}",
                s.scheme.as_str(), s.coverage, s.misses_below, s.median_relative_width, s.median_hidden_relative_width,
                s.median_hidden_share, s.median_abs_error, s.baseline_median_abs_error
            );
        }
    }
}
