//! Times `estimate` on synthetic events with a given number of replicates:
//! `cargo run --release -p tally-estimate --example estimate_timing -- EVENTS REPLICATES`.

use std::time::Instant;
use tally_estimate::synthetic::{synthetic_events, SyntheticConfig};
use tally_estimate::{estimate, EstimateConfig};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let events: usize = args
        .first()
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let replicates: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(500);
    let (_, observed) = synthetic_events(&SyntheticConfig {
        events,
        seed: 7,
        days: 30,
        ..SyntheticConfig::default()
    });
    let mut config = EstimateConfig::default();
    config.impute.replicates = replicates;
    for _ in 0..6 {
        let started = Instant::now();
        let t = estimate(&observed, &config);
        let i = t.imputed.unwrap();
        println!(
            "{:.3}s point {} low {} high {}",
            started.elapsed().as_secs_f64(),
            i.point,
            i.low,
            i.high
        );
    }
}
