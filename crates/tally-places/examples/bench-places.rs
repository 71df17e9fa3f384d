//! Benchmark of tally-places, run by `scripts/bench-places.sh` (not a test).
//!
//! Usage: `bench-places CLEAN_FILE TABLE_FILE`. CLEAN_FILE holds one "City, ST" per
//! line; TABLE_FILE is `test_data/places/places.tsv` (its inputs are the messy
//! strings). Prints `key value` lines: gazetteer load time, single-thread resolutions
//! per second for clean and messy strings, and the table's accuracy.

use std::hint::black_box;
use std::time::{Duration, Instant};
use tally_places::Gazetteer;

/// Nanoseconds this thread has spent on a CPU (Linux schedstat), so that rates per
/// core can be told apart from time spent waiting for a core on a busy machine.
fn cpu_ns() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    text.split_whitespace().next()?.parse().ok()
}

/// Runs `work` over the items repeatedly for at least `budget`; returns the rate per
/// wall-clock second and per second on a CPU.
fn rate<T>(items: &[T], budget: Duration, mut work: impl FnMut(&T)) -> (f64, Option<f64>) {
    // A warm-up pass fills caches and the lazily built indexes.
    items.iter().for_each(&mut work);
    let start = Instant::now();
    let cpu_start = cpu_ns();
    let mut done = 0usize;
    while start.elapsed() < budget {
        for item in items {
            work(item);
        }
        done += items.len();
    }
    let wall = done as f64 / start.elapsed().as_secs_f64();
    let cpu = match (cpu_start, cpu_ns()) {
        (Some(a), Some(b)) if b > a => Some(done as f64 / ((b - a) as f64 / 1e9)),
        _ => None,
    };
    (wall, cpu)
}

fn distance_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (lat1, lon1) = (a.0.to_radians(), a.1.to_radians());
    let (lat2, lon2) = (b.0.to_radians(), b.1.to_radians());
    let h = ((lat2 - lat1) / 2.0).sin().powi(2)
        + lat1.cos() * lat2.cos() * ((lon2 - lon1) / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().asin()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, clean_path, table_path] = args.as_slice() else {
        return Err("usage: bench-places CLEAN_FILE TABLE_FILE".into());
    };
    let clean_text = std::fs::read_to_string(clean_path)?;
    let clean: Vec<&str> = clean_text.lines().filter(|l| !l.is_empty()).collect();
    let table_text = std::fs::read_to_string(table_path)?;
    let table: Vec<Vec<&str>> = table_text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| l.split('\t').collect())
        .collect();

    let mut loads = Vec::new();
    let mut cpu_loads = Vec::new();
    for _ in 0..15 {
        let start = Instant::now();
        let cpu_start = cpu_ns();
        let gazetteer = Gazetteer::load()?;
        loads.push(start.elapsed().as_secs_f64() * 1000.0);
        if let (Some(a), Some(b)) = (cpu_start, cpu_ns()) {
            cpu_loads.push((b - a) as f64 / 1e6);
        }
        black_box(gazetteer);
    }
    loads.sort_by(f64::total_cmp);
    cpu_loads.sort_by(f64::total_cmp);
    println!("load_ms_min {:.2}", loads[0]);
    println!("load_ms_median {:.2}", loads[loads.len() / 2]);
    if !cpu_loads.is_empty() {
        println!("load_cpu_ms_median {:.2}", cpu_loads[cpu_loads.len() / 2]);
    }

    let gaz = Gazetteer::embedded();
    let budget = Duration::from_secs(2);
    let (clean_rate, clean_cpu) = rate(&clean, budget, |s| {
        black_box(gaz.resolve(s));
    });
    println!("clean_strings {}", clean.len());
    println!("clean_per_sec {clean_rate:.0}");
    if let Some(cpu) = clean_cpu {
        println!("clean_per_cpu_sec {cpu:.0}");
    }
    let (messy_rate, messy_cpu) = rate(&table, budget, |row| {
        if row[1].is_empty() {
            black_box(gaz.resolve(row[0]));
        } else {
            black_box(gaz.resolve_parts(Some(row[0]), Some(row[1])));
        }
    });
    println!("messy_strings {}", table.len());
    println!("messy_per_sec {messy_rate:.0}");
    if let Some(cpu) = messy_cpu {
        println!("messy_per_cpu_sec {cpu:.0}");
    }

    let (mut places, mut near) = (0usize, 0usize);
    for row in table.iter().filter(|r| r[2] == "place") {
        places += 1;
        let r = if row[1].is_empty() {
            gaz.resolve(row[0])
        } else {
            gaz.resolve_parts(Some(row[0]), Some(row[1]))
        };
        let got = r.place.and_then(|p| Some((p.lat?, p.lon?)));
        let want = (row[5].parse::<f64>()?, row[6].parse::<f64>()?);
        if got.is_some_and(|g| distance_km(g, want) <= 25.0) {
            near += 1;
        }
    }
    println!("table_places {places}");
    println!("table_within_25km {:.4}", near as f64 / places as f64);
    Ok(())
}
