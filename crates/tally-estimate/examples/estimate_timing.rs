//! Times `estimate` (imputation and extrapolation) on synthetic events with a given
//! number of replicates:
//! `cargo run --release -p tally-estimate --example estimate_timing -- EVENTS REPLICATES`.

use std::time::Instant;
use tally_estimate::synthetic::{synthetic_events, SyntheticConfig};
use tally_estimate::{estimate, EstimateConfig};

/// CPU time of this thread in seconds (Linux), which other work on a shared machine
/// does not inflate the way it inflates wall time.
fn thread_cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|t| t.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(f64::NAN, |nanos| nanos / 1e9)
}

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
    // A fifth more events known to exist than the ledger holds: extrapolation too.
    config.expected_events = Some(events + events / 5);
    for _ in 0..6 {
        let started = Instant::now();
        let cpu = thread_cpu_seconds();
        let t = estimate(&observed, &config);
        let i = t.imputed.unwrap();
        let x = t.extrapolated.unwrap();
        println!(
            "{:.3}s (CPU {:.3}s) imputed {} ({} – {}) extrapolated {} ({} – {})",
            started.elapsed().as_secs_f64(),
            thread_cpu_seconds() - cpu,
            i.point,
            i.low,
            i.high,
            x.point,
            x.low,
            x.high
        );
    }
}
