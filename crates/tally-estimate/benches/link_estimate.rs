//! Benchmark of linking and estimation at scale (run by `scripts/bench-estimate.sh`):
//!
//! - `estimate` with imputation over 1,000,000 synthetic events (median of 5 runs);
//! - `link_reports` over 1,000,000 synthetic reports of which 30% are duplicates (extra
//!   reports about a gathering already reported), with pairwise precision and recall
//!   against the known truth; the same reports are written as CSV for the Splink run.
//!
//! Usage: `cargo bench -p tally-estimate --bench link_estimate -- [--out DIR] [--reports N] [--events N]`.
//! Prints one JSON object on stdout.

use std::collections::HashMap;
use std::io::Write;
use std::time::Instant;
use tally_estimate::rng::Rng;
use tally_estimate::synthetic::{synthetic_events, SyntheticConfig};
use tally_estimate::{estimate, EstimateConfig};
use tally_link::{link_reports, LinkConfig};
use tally_model::{Estimate, Place, Report, ReportId, SourceId, StateCode};

const PREFIXES: &[&str] = &[
    "Ash", "Bell", "Cedar", "Clear", "Deer", "East", "Elm", "Fair", "Fox", "Glen", "Green",
    "Hazel", "High", "Lake", "Lin", "Maple", "Mill", "New", "North", "Oak", "Pine", "Red", "River",
    "Rock", "Rose", "Sand", "Spring", "Stone", "Sun", "West", "White", "Wood", "Brook", "Mar",
    "Port", "Bridge", "Clay", "Iron", "Silver", "Gold",
];
const SUFFIXES: &[&str] = &[
    "ford", "ton", "ville", "field", "wood", "dale", "burg", "port", "view", "haven", "mont",
    "brook", "ridge", "land", "water", "bury", "side", " Falls", " Springs", " Heights", " Grove",
    " Park", " City", " Hills", " Valley",
];
const MOVEMENTS: &[&str] = &[
    "No Kings",
    "Hands Off",
    "Tesla Takedown",
    "Good Trouble Lives On",
    "Free America",
    "Workers Over Billionaires",
    "May Day Strong",
    "Stand Up for Science",
    "Save Our Schools",
    "Medicaid Matters",
    "Climate Strike",
    "Veterans Rally",
    "Faith Vigil",
    "Pride March",
    "Teachers Walkout",
    "Housing Now",
    "Peace Walk",
    "Immigrant Solidarity",
    "Women's March",
    "Labor Day Rally",
];
const TYPES: &[&str] = &[
    "protest", "march", "rally", "rally", "protest", "vigil", "parade",
];

/// CPU time of this thread in seconds (Linux), which other work on the machine does not
/// inflate the way it inflates wall time.
fn thread_cpu_seconds() -> Option<f64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos: f64 = text.split_whitespace().next()?.parse().ok()?;
    Some(nanos / 1e9)
}

struct Args {
    out: Option<String>,
    reports: usize,
    events: usize,
}

fn args() -> Args {
    let mut args = Args {
        out: None,
        reports: 1_000_000,
        events: 1_000_000,
    };
    let raw: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < raw.len() {
        match raw[i].as_str() {
            "--out" => args.out = raw.get(i + 1).cloned(),
            "--reports" => {
                args.reports = raw
                    .get(i + 1)
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(args.reports)
            }
            "--events" => {
                args.events = raw
                    .get(i + 1)
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(args.events)
            }
            _ => {
                i += 1;
                continue;
            }
        }
        i += 2;
    }
    args
}

/// A spelling variant of a town name, as different sources write it.
fn variant(name: &str, rng: &mut Rng) -> String {
    let roll = rng.uniform();
    if roll < 0.70 {
        name.to_string()
    } else if roll < 0.85 {
        name.to_uppercase()
    } else if roll < 0.95 {
        name.replace("Saint ", "St. ")
            .replace(" City", "")
            .to_lowercase()
    } else {
        // A typo: one letter dropped (what the geocoder's fuzzy match would fix; linking
        // itself does no fuzzy matching).
        let mut chars: Vec<char> = name.chars().collect();
        if chars.len() > 4 {
            let at = 1 + rng.below(chars.len() - 2);
            chars.remove(at);
        }
        chars.into_iter().collect()
    }
}

struct Synthetic {
    reports: Vec<Report>,
    truth: Vec<u32>,
}

fn synthetic_reports(n: usize, seed: u64) -> Synthetic {
    let mut rng = Rng::new(seed);
    let states: Vec<StateCode> = StateCode::all().filter(|s| !s.is_territory()).collect();
    let towns: Vec<(String, StateCode)> = (0..20_000)
        .map(|i| {
            let base = format!(
                "{}{}",
                PREFIXES[i % PREFIXES.len()],
                SUFFIXES[(i / PREFIXES.len()) % SUFFIXES.len()]
            );
            let name = if i % 37 == 0 {
                format!("Saint {base}")
            } else {
                base
            };
            (name, states[(i * 7 + i / 1000) % states.len()])
        })
        .collect();
    let at: tally_model::Timestamp = "2025-09-01T00:00:00Z".parse().expect("a valid time");
    let start: tally_model::Date = "2025-06-01".parse().expect("a valid date");
    let gatherings = n * 7 / 10;
    let mut reports = Vec::with_capacity(n);
    let mut truth = Vec::with_capacity(n);
    let mut originals: Vec<(usize, u32, usize, usize)> = Vec::with_capacity(gatherings);
    for g in 0..gatherings {
        let town = rng.below(towns.len());
        let day = rng.below(60) as u32;
        let movement = rng.below(MOVEMENTS.len());
        let kind = rng.below(TYPES.len());
        originals.push((town, day, movement, kind));
        let (name, state) = &towns[town];
        let mut r = Report::new(
            SourceId(format!("row-{g}")),
            Place::from_parts(Some(name), Some(*state)),
            at,
        );
        r.date = Some(start + chrono::Days::new(u64::from(day)));
        r.title = Some(MOVEMENTS[movement].to_string());
        r.event_type = Some(TYPES[kind].to_string());
        r.batch = Some("dataset".to_string());
        let size = (20.0 * (1.0 / rng.uniform().max(1e-6)).powf(0.8)) as u64;
        r.estimates.push(Estimate::exact(size.max(1)));
        reports.push(r);
        truth.push(g as u32);
    }
    for d in 0..(n - gatherings) {
        let g = rng.below(gatherings);
        let (town, day, movement, kind) = originals[g];
        let (name, state) = &towns[town];
        let late = rng.uniform() < 0.2;
        let mut r = Report::new(
            SourceId(format!("article-{d}")),
            Place::from_parts(Some(&variant(name, &mut rng)), Some(*state)),
            at,
        );
        r.date = Some(start + chrono::Days::new(u64::from(day) + u64::from(late)));
        let title_roll = rng.uniform();
        r.title = if title_roll < 0.15 {
            None
        } else if title_roll < 0.4 {
            Some(format!("{} rally", MOVEMENTS[movement]))
        } else {
            Some(MOVEMENTS[movement].to_string())
        };
        r.event_type = (rng.uniform() < 0.5).then(|| TYPES[kind].to_string());
        let size = (20.0 * (1.0 / rng.uniform().max(1e-6)).powf(0.8)) as u64;
        r.estimates.push(Estimate::exact(size.max(1)));
        reports.push(r);
        truth.push(g as u32);
    }
    // Shuffle so that ids do not reveal the truth, then number as a ledger would.
    let mut order: Vec<usize> = (0..reports.len()).collect();
    for i in (1..order.len()).rev() {
        let j = rng.below(i + 1);
        order.swap(i, j);
    }
    let mut shuffled_reports = Vec::with_capacity(n);
    let mut shuffled_truth = Vec::with_capacity(n);
    let mut slots: Vec<Option<Report>> = reports.into_iter().map(Some).collect();
    for (id, &i) in order.iter().enumerate() {
        let mut r = slots[i].take().expect("each report once");
        r.id = Some(ReportId(id as i64 + 1));
        shuffled_reports.push(r);
        shuffled_truth.push(truth[i]);
    }
    Synthetic {
        reports: shuffled_reports,
        truth: shuffled_truth,
    }
}

/// Pairwise precision and recall of a clustering against the truth.
pub fn pairwise(predicted: &[u32], truth: &[u32]) -> (f64, f64) {
    let pairs = |counts: &HashMap<u64, u64>| {
        counts
            .values()
            .map(|&c| c * (c.saturating_sub(1)) / 2)
            .sum::<u64>()
    };
    let mut by_pred: HashMap<u64, u64> = HashMap::new();
    let mut by_truth: HashMap<u64, u64> = HashMap::new();
    let mut by_both: HashMap<u64, u64> = HashMap::new();
    for (&p, &t) in predicted.iter().zip(truth) {
        *by_pred.entry(u64::from(p)).or_default() += 1;
        *by_truth.entry(u64::from(t)).or_default() += 1;
        *by_both
            .entry(u64::from(p) << 32 | u64::from(t))
            .or_default() += 1;
    }
    let (pp, tp_all, both) = (pairs(&by_pred), pairs(&by_truth), pairs(&by_both));
    (
        if pp == 0 {
            1.0
        } else {
            both as f64 / pp as f64
        },
        if tp_all == 0 {
            1.0
        } else {
            both as f64 / tp_all as f64
        },
    )
}

fn main() {
    let args = args();

    // Estimation over a million events spread over 30 days.
    let (_, events) = synthetic_events(&SyntheticConfig {
        events: args.events,
        seed: 7,
        days: 30,
        ..SyntheticConfig::default()
    });
    // Imputation and extrapolation: a fifth more events known to exist.
    let config = EstimateConfig {
        expected_events: Some(args.events + args.events / 5),
        ..EstimateConfig::default()
    };
    let mut times = Vec::new();
    let mut cpu_times = Vec::new();
    let mut totals = None;
    for _ in 0..5 {
        let cpu = thread_cpu_seconds();
        let started = Instant::now();
        totals = Some(estimate(&events, &config));
        times.push(started.elapsed().as_secs_f64());
        if let (Some(before), Some(after)) = (cpu, thread_cpu_seconds()) {
            cpu_times.push(after - before);
        }
    }
    times.sort_by(|a, b| a.total_cmp(b));
    cpu_times.sort_by(|a, b| a.total_cmp(b));
    let estimate_cpu = cpu_times
        .get(cpu_times.len() / 2)
        .copied()
        .unwrap_or(f64::NAN);
    let totals = totals.expect("ran");
    let estimate_seconds = times[times.len() / 2];
    drop(events);

    // Linking a million reports with 30% duplicates.
    let data = synthetic_reports(args.reports, 11);
    let cpu = thread_cpu_seconds();
    let started = Instant::now();
    let linked = link_reports(&data.reports, &[], &LinkConfig::default());
    let link_seconds = started.elapsed().as_secs_f64();
    let link_cpu = match (cpu, thread_cpu_seconds()) {
        (Some(before), Some(after)) => after - before,
        _ => f64::NAN,
    };
    let mut cluster_of: HashMap<ReportId, u32> = HashMap::with_capacity(data.reports.len());
    for (c, event) in linked.iter().enumerate() {
        for r in &event.reports {
            cluster_of.insert(*r, c as u32);
        }
    }
    let predicted: Vec<u32> = data
        .reports
        .iter()
        .map(|r| cluster_of[&r.id.expect("numbered")])
        .collect();
    let (precision, recall) = pairwise(&predicted, &data.truth);

    if let Some(dir) = &args.out {
        std::fs::create_dir_all(dir).expect("create the output directory");
        let path = format!("{dir}/reports.csv");
        let mut out =
            std::io::BufWriter::new(std::fs::File::create(&path).expect("create reports.csv"));
        writeln!(
            out,
            "unique_id,date,state,locality,title,event_type,batch,truth,tally_cluster"
        )
        .expect("write");
        for ((r, t), p) in data.reports.iter().zip(&data.truth).zip(&predicted) {
            let clean = |s: &str| s.replace([',', '"'], " ");
            writeln!(
                out,
                "{},{},{},{},{},{},{},{},{}",
                r.id.expect("numbered").0,
                r.date.map(|d| d.to_string()).unwrap_or_default(),
                r.place.state.map(|s| s.to_string()).unwrap_or_default(),
                clean(r.place.locality.as_deref().unwrap_or("")),
                clean(r.title.as_deref().unwrap_or("")),
                r.event_type.as_deref().unwrap_or(""),
                r.batch.as_deref().unwrap_or(""),
                t,
                p
            )
            .expect("write");
        }
    }

    let imputed = totals.imputed.expect("imputed");
    println!(
        "{{\"estimate_events\": {}, \"estimate_seconds\": {:.4}, \"estimate_cpu_seconds\": {:.4}, \"estimate_runs\": {:?}, \"imputed_point\": {}, \"imputed_low\": {}, \"imputed_high\": {}, \
         \"link_reports\": {}, \"link_events\": {}, \"link_seconds\": {:.3}, \"link_cpu_seconds\": {:.3}, \"link_precision\": {:.5}, \"link_recall\": {:.5}}}",
        args.events,
        estimate_seconds,
        estimate_cpu,
        times.iter().map(|t| (t * 1e4).round() / 1e4).collect::<Vec<_>>(),
        imputed.point,
        imputed.low,
        imputed.high,
        data.reports.len(),
        linked.len(),
        link_seconds,
        link_cpu,
        precision,
        recall
    );
}
