//! Times the phases of `tally estimate` over a ledger, in process (CPU time of this
//! thread, which other work on a shared machine does not inflate the way it inflates
//! wall time): reading the slim rows, estimating, and the known sums alone.
//! `cargo run --release -p tally-query --example estimate_phases -- LEDGER [EXPECTED_EVENTS]`
//!
//! With `ESTIMATE_JSON` set, prints the totals' JSON once instead, for checking that a
//! change to how the estimate is computed leaves the answer byte for byte as it was.

use std::time::Instant;
use tally_estimate::EstimateConfig;
use tally_model::Selection;
use tally_store::OpenOptions;

fn thread_cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|t| t.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(f64::NAN, |nanos| nanos / 1e9)
}

fn timed<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let (wall, cpu) = (Instant::now(), thread_cpu_seconds());
    let out = f();
    println!(
        "{what:<12} {:.3} s wall, {:.3} s CPU",
        wall.elapsed().as_secs_f64(),
        thread_cpu_seconds() - cpu
    );
    out
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = std::path::PathBuf::from(args.first().expect("a ledger path"));
    let expected: Option<usize> = args.get(1).and_then(|a| a.parse().ok());
    let mut options = OpenOptions::read();
    options.check = false;
    let ledger = options.open(&path).expect("a ledger");
    let selection = Selection::default();
    let config = EstimateConfig {
        expected_events: expected,
        ..EstimateConfig::default()
    };
    if std::env::var_os("ESTIMATE_JSON").is_some() {
        let rows = tally_query::load_rows(&ledger, &selection).unwrap();
        let totals = tally_query::totals_for_rows(&selection, &rows, &config);
        println!("{}", serde_json::to_string_pretty(&totals).unwrap());
        return;
    }
    for _ in 0..3 {
        let rows = timed("slim rows", || {
            tally_query::load_rows(&ledger, &selection).unwrap()
        });
        let totals = timed("estimate", || {
            tally_query::totals_for_rows(&selection, &rows, &config)
        });
        let sums = timed("known sums", || ledger.known_sums(&selection).unwrap());
        println!(
            "{} events, imputed {:?}, known high {}",
            rows.len(),
            totals.imputed.map(|i| i.point),
            sums.known_high
        );
    }
}
