//! Throughput of `read_file` on a dataset file: a synthetic one of `--rows` rows
//! (default 300,000, about 130 MB) or the file given with `--file`.
//!
//! `cargo bench -p tally-ingest --bench read_file -- [--rows N] [--file PATH]
//! [--write PATH]`: prints one line per run and a final `best` line with the seconds,
//! MB/s and rows/s. `--write` saves the synthetic file, so that a peer can read the same
//! bytes (see scripts/bench-ingest.sh).

use chrono::Utc;
use std::time::Instant;
use tally_ingest::{read_file, IngestOptions};
use tally_synth::{write_dataset, Era, SynthConfig};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let rows: usize = value("--rows").map_or(300_000, |v| v.parse().expect("--rows N"));
    let runs: usize = value("--runs").map_or(3, |v| v.parse().expect("--runs N"));
    let bytes = match value("--file") {
        Some(path) => std::fs::read(&path).expect("readable --file"),
        None => {
            let mut bytes = Vec::new();
            let summary = write_dataset(&mut bytes, &SynthConfig::new(rows, Era::Era2021))
                .expect("in-memory write");
            eprintln!(
                "synthetic: {} rows, {} with a size, sum of lows {}, sum of highs {}",
                summary.rows, summary.rows_with_size, summary.sum_low, summary.sum_high
            );
            bytes
        }
    };
    if let Some(path) = value("--write") {
        std::fs::write(&path, &bytes).expect("writable --write");
    }
    let options = IngestOptions::new(Utc::now());
    let megabytes = bytes.len() as f64 / 1e6;
    let mut best = f64::INFINITY;
    let mut best_cpu = f64::INFINITY;
    for run in 1..=runs {
        let cpu_before = cpu_seconds();
        let start = Instant::now();
        let parsed = read_file("bench.csv", &bytes, &options).expect("readable file");
        let seconds = start.elapsed().as_secs_f64();
        let cpu = cpu_seconds()
            .zip(cpu_before)
            .map(|(after, before)| after - before);
        let (low, high) = parsed
            .records
            .iter()
            .filter_map(|r| r.report.estimates.first())
            .fold((0u64, 0u64), |(l, h), e| (l + e.low(), h + e.high()));
        best_cpu = best_cpu.min(cpu.unwrap_or(f64::NAN));
        println!(
            "run {run}: {seconds:.3} s wall, {:.3} s cpu, {} rows read, {} records, {} rejects, lows {low}, highs {high}",
            cpu.unwrap_or(f64::NAN),
            parsed.rows_read,
            parsed.records.len(),
            parsed.rejects.len()
        );
        best = best.min(seconds);
        drop(parsed);
    }
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "best: {best:.3} s wall ({best_cpu:.3} s cpu, {threads} threads) for {megabytes:.1} MB: {:.0} MB/s, {:.0} rows/s",
        megabytes / best,
        rows as f64 / best
    );
}

/// CPU time used by this process so far (all threads), from /proc on Linux; `None`
/// elsewhere. Wall time alone misleads on a shared machine.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which is in parentheses); utime and stime are the
    // 14th and 15th fields, in clock ticks (100 per second on Linux).
    let after = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}
