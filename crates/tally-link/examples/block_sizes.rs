//! Times linking one block of many reports: one city on one day (issue 12), for
//! `scripts/bench-link.sh`. Prints one JSON object per block size.
//!
//! Usage: `cargo run --release -p tally-link --example block_sizes -- [N ...]`
//! (default 10000 20000 40000 100000).
//!
//! The block mixes what a big day in one city brings: curated rows of three datasets
//! (rows of one dataset never merge, so each opens its own event), titled news reports
//! and untitled ones with a headline, a few dated a day late; titles come from sixty
//! gatherings whose titles share words, sizes from three hundred values.

use std::time::Instant;
use tally_link::{link_new_reports, link_reports, report_locators, LinkConfig, ReportLookup};
use tally_model::{
    Confidence, Estimate, Event, EventId, Place, Report, ReportId, ResolvedPlace, SourceId,
};

const WORDS: &[&str] = &[
    "kings",
    "hands",
    "off",
    "science",
    "schools",
    "medicaid",
    "climate",
    "veterans",
    "faith",
    "pride",
    "teachers",
    "housing",
    "peace",
    "immigrant",
    "women",
    "labor",
    "workers",
    "truth",
    "justice",
    "water",
    "freedom",
    "voices",
    "unity",
    "dignity",
    "future",
    "rights",
    "families",
    "students",
    "nurses",
    "farmers",
];

/// A small deterministic generator (SplitMix64).
struct Mix(u64);

impl Mix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn block(n: usize, seed: u64) -> Vec<Report> {
    let mut rng = Mix(seed);
    (0..n)
        .map(|i| {
            let mut r = Report::new(
                SourceId(format!("source-{i}")),
                Place::from_parts(Some("Austin"), Some("TX".parse().unwrap())),
                "2025-06-20T00:00:00Z".parse().unwrap(),
            );
            r.id = Some(ReportId(i as i64 + 1));
            r.place.resolved = Some(ResolvedPlace {
                locality: Some("Austin".into()),
                county: None,
                fips: None,
                state: "TX".parse().unwrap(),
                lat: Some(30.2672),
                lon: Some(-97.7431),
                population: Some(961_855),
                confidence: Confidence::Exact,
            });
            // Sixty gatherings' titles, two words each; titles share words.
            let t = rng.below(60) as usize;
            let title = format!("{} {}", WORDS[t % 30], WORDS[(t * 7 + 3) % 30]);
            let size = 10 * (1 + rng.below(300));
            r.estimates.push(Estimate::exact(size));
            let kind = rng.below(10);
            let late = kind >= 4 && rng.below(10) == 0;
            r.date = Some(
                if late { "2025-06-15" } else { "2025-06-14" }
                    .parse()
                    .unwrap(),
            );
            match kind {
                0..=3 => {
                    r.batch = Some(format!("dataset-{}", [0, 0, 1, 2][kind as usize]));
                    r.title = Some(title);
                }
                4..=7 => r.title = Some(title),
                _ => r.headline = Some(format!("Thousands rally for {title}")),
            }
            r
        })
        .collect()
}

/// The block as a ledger, read by locator: what an ingest into it reads, its events
/// as stored.
struct Ledger {
    reports: Vec<Report>,
    by_locator: std::collections::HashMap<i64, Vec<usize>>,
    events: std::collections::HashMap<EventId, Event>,
}

impl ReportLookup for Ledger {
    type Error = std::convert::Infallible;
    fn report_ids_at(&mut self, locators: &[i64]) -> Result<Vec<ReportId>, Self::Error> {
        Ok(locators
            .iter()
            .flat_map(|l| self.by_locator.get(l).into_iter().flatten())
            .map(|&i| self.reports[i].id.unwrap())
            .collect())
    }
    fn reports_by_id(&mut self, ids: &[ReportId]) -> Result<Vec<Report>, Self::Error> {
        // Ids are positions plus one here.
        Ok(ids
            .iter()
            .map(|id| self.reports[id.0 as usize - 1].clone())
            .collect())
    }
    fn events_by_id(&mut self, ids: &[EventId]) -> Result<Vec<Event>, Self::Error> {
        Ok(ids
            .iter()
            .filter_map(|id| self.events.get(id).cloned())
            .collect())
    }
}

/// CPU time of this thread in seconds (Linux), which other work on a shared machine
/// does not inflate the way it inflates wall time.
fn cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|t| t.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(f64::NAN, |ns| ns / 1e9)
}

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![10_000, 20_000, 40_000, 100_000]
    } else {
        sizes
    };
    let config = LinkConfig::default();
    for n in sizes {
        let reports = block(n, 12);
        let (started, cpu) = (Instant::now(), cpu_seconds());
        let events = link_reports(&reports, &[], &config);
        let link_seconds = started.elapsed().as_secs_f64();
        let link_cpu = cpu_seconds() - cpu;

        // One more report into the same block, as an ingest would add it.
        let mut by_locator: std::collections::HashMap<i64, Vec<usize>> = Default::default();
        for (i, r) in reports.iter().enumerate() {
            for l in report_locators(r, &config) {
                by_locator.entry(l).or_default().push(i);
            }
        }
        let mut extra = block(1, 99).remove(0);
        extra.id = Some(ReportId(n as i64 + 1));
        extra.source_id = SourceId("source-extra".into());
        let event_count = events.len();
        let mut ledger = Ledger {
            reports,
            by_locator,
            events: events.into_iter().map(|e| (e.id.clone(), e)).collect(),
        };
        let (started, cpu) = (Instant::now(), cpu_seconds());
        let update = link_new_reports(&mut ledger, vec![extra], Vec::new(), &config).unwrap();
        let add_seconds = started.elapsed().as_secs_f64();
        let add_cpu = cpu_seconds() - cpu;
        println!(
            "{{\"reports\": {n}, \"events\": {}, \"link_seconds\": {link_seconds:.3}, \"link_cpu_seconds\": {link_cpu:.3}, \"add_one_seconds\": {add_seconds:.3}, \"add_one_cpu_seconds\": {add_cpu:.3}, \"events_changed\": {}}}",
            event_count,
            update.upserted.len() + update.removed.len()
        );
    }
}
