//! Prints the shape of synthetic days: share of events under 1,000 and under 100, and
//! the largest event's share of the day, per seed:
//! `cargo run --release -p tally-estimate --example synthetic_shape -- [EVENTS] [SEEDS]`.

use tally_estimate::synthetic::{synthetic_events, SyntheticConfig};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let events: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(600);
    let seeds: u64 = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(8);
    for seed in 1..=seeds {
        let (truth, _) = synthetic_events(&SyntheticConfig {
            events,
            seed,
            ..SyntheticConfig::default()
        });
        let mids: Vec<f64> = truth.iter().filter_map(|e| e.midpoint()).collect();
        let n = mids.len() as f64;
        let total: f64 = mids.iter().sum();
        let top = mids.iter().copied().fold(0.0, f64::max);
        println!(
            "seed {seed}: under 1,000 {:.2}, under 100 {:.2}, largest {:.3} of {:.0}",
            mids.iter().filter(|&&m| m < 1_000.0).count() as f64 / n,
            mids.iter().filter(|&&m| m < 100.0).count() as f64 / n,
            top / total,
            total
        );
    }
}
