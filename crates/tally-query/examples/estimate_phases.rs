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

/// CPU time of every thread of the process (ended threads included: their time is in
/// the process's `stat` once they end, so this reads both).
fn process_cpu_seconds() -> f64 {
    let ticks = std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|t| {
            let fields: Vec<&str> = t.rsplit_once(')')?.1.split_whitespace().collect();
            Some(fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?)
        })
        .unwrap_or(f64::NAN);
    ticks / 100.0
}

fn timed<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let (wall, cpu, all) = (Instant::now(), thread_cpu_seconds(), process_cpu_seconds());
    let out = f();
    let (cpu, all) = (thread_cpu_seconds() - cpu, process_cpu_seconds() - all);
    // On an idle machine with two cores a phase takes at least its calling thread's
    // CPU and at least half of the process's.
    println!(
        "{what:<12} {:.3} s wall, {cpu:.3} s CPU of this thread, {all:.2} s of the process \
         (two idle cores: about {:.3} s)",
        wall.elapsed().as_secs_f64(),
        cpu.max(all / 2.0)
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
