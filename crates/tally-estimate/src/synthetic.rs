//! Synthetic events for tests, calibration and benchmarks: towns with a heavy-tailed
//! population, crowd sizes that grow with population (log-linear with heavy-tailed
//! noise), a few movements and kinds, and sizes missing mostly for small gatherings —
//! the shape of a real national day of action.

use crate::rng::Rng;
use tally_model::{Confidence, Event, EventId, Place, ResolvedPlace, StateCode};

/// What to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntheticConfig {
    pub events: usize,
    pub seed: u64,
    /// Consecutive days the events spread over, from 2025-06-14.
    pub days: u32,
    /// Share of events left without a size (chosen mostly among small gatherings).
    pub missing_share: f64,
    /// Share of sized events reported as a range (low < high) rather than one figure.
    pub range_share: f64,
}

impl Default for SyntheticConfig {
    fn default() -> Self {
        SyntheticConfig {
            events: 1_000,
            seed: 1,
            days: 1,
            missing_share: 0.4,
            range_share: 0.3,
        }
    }
}

const TITLES: [(&str, f64, f64); 3] = [
    ("No Kings", 0.80, 0.0),
    ("Pride and Protest", 0.12, 0.3),
    ("Hands Off", 0.08, -0.4),
];
const TYPES: [&str; 3] = ["protest", "march", "rally"];

/// Events with their true sizes, and the same events as observed (sizes removed for the
/// missing ones). Returns `(truth, observed)`.
pub fn synthetic_events(config: &SyntheticConfig) -> (Vec<Event>, Vec<Event>) {
    let mut rng = Rng::new(config.seed);
    let states: Vec<StateCode> = StateCode::all().filter(|s| !s.is_territory()).collect();
    let start: tally_model::Date = "2025-06-14".parse().expect("a valid date");
    let mut truth = Vec::with_capacity(config.events);
    let mut latent = Vec::with_capacity(config.events);
    for i in 0..config.events {
        // Zipf-like town sizes: P(population > x) ~ 1/x above 1,500, capped at 8.5 million.
        let population = (1_500.0 / rng.uniform().max(1e-9)).min(8.5e6) as u64;
        let pick = rng.uniform();
        let (title, effect) = if pick < TITLES[0].1 {
            (TITLES[0].0, TITLES[0].2)
        } else if pick < TITLES[0].1 + TITLES[1].1 {
            (TITLES[1].0, TITLES[1].2)
        } else {
            (TITLES[2].0, TITLES[2].2)
        };
        // Mostly normal noise, with one gathering in ten much more variable.
        let sd = if rng.uniform() < 0.1 { 1.6 } else { 0.8 };
        let log_size = 0.2 + 0.6 * (population as f64).ln() + effect + sd * rng.normal();
        let mid = log_size.exp().clamp(3.0, 2.0e6);
        let (low, high) = if rng.uniform() < config.range_share {
            let spread = 1.0 + 2.0 * rng.uniform();
            let low = (mid / spread.sqrt()).round().max(1.0) as u64;
            (low, ((mid * spread.sqrt()).round() as u64).max(low))
        } else {
            let v = mid.round() as u64;
            (v, v)
        };
        let state = states[i % states.len()];
        let day = start + chrono::Days::new(u64::from(i as u32 % config.days.max(1)));
        let locality = format!("Town {i}");
        let mut place = Place::from_parts(Some(&locality), Some(state));
        place.resolved = Some(ResolvedPlace {
            locality: Some(locality),
            county: None,
            fips: None,
            state,
            lat: None,
            lon: None,
            population: Some(population),
            confidence: Confidence::Exact,
        });
        truth.push(Event {
            id: EventId(format!("synthetic-{i}")),
            date: Some(day),
            place,
            event_type: Some(TYPES[rng.below(TYPES.len())].to_string()),
            title: Some(title.to_string()),
            organizers: None,
            reports: Vec::new(),
            size_low: Some(low),
            size_high: Some(high),
            low_from: None,
            high_from: None,
            coded_by_rule: false,
        });
        latent.push(log_size);
    }
    // Missing mostly for small gatherings: the chance falls with size rank.
    let ranks = ranks(&latent);
    let observed = truth
        .iter()
        .zip(&ranks)
        .map(|(e, &r)| {
            let mut e = e.clone();
            let p = (config.missing_share * 2.0 * (1.0 - r)).clamp(0.0, 1.0);
            if rng.uniform() < p {
                e.size_low = None;
                e.size_high = None;
            }
            e
        })
        .collect();
    (truth, observed)
}

/// Each value's rank as a share in [0, 1] (ties broken by position).
pub(crate) fn ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]).then(a.cmp(&b)));
    let mut ranks = vec![0.0; values.len()];
    let denominator = (values.len().max(2) - 1) as f64;
    for (rank, &i) in order.iter().enumerate() {
        ranks[i] = rank as f64 / denominator;
    }
    ranks
}
