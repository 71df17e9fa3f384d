//! Totals for a selection of events: counts, coverage, the known sums, the imputed total
//! with its interval, the median-fill baseline, and breakdowns by state, locality or day.

use crate::impute::{impute_groups, impute_targets, ImputeConfig, Targets, Unseen, UnsizedPart};
use crate::rows::{EventRow, EventRows};
use rustc_hash::FxHashSet;
use serde::Serialize;
use std::collections::BTreeMap;
use tally_model::Event;

/// The imputed total of event midpoints, including events without a size.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Imputed {
    pub point: u64,
    pub low: u64,
    pub high: u64,
    pub method: String,
    /// What the events without a size add (the part `check` adds to the known sums).
    #[serde(skip)]
    pub unsized_part: UnsizedPart,
}

/// The total over all the events the selection is known to hold, including those absent
/// from the ledger (DESIGN.md `extrapolated`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Extrapolated {
    pub point: u64,
    pub low: u64,
    pub high: u64,
    /// Events known to exist that the ledger lacks.
    pub events_missing: usize,
    pub method: String,
    /// What the events without a size and the missing events add to the known midpoints.
    #[serde(skip)]
    pub added: UnsizedPart,
}

/// The simple baseline others use: each unsized event filled with the median midpoint of
/// the sized ones.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Baseline {
    pub point: u64,
    pub method: String,
}

/// The totals of DESIGN.md, in its JSON field names.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Totals {
    pub events: usize,
    pub events_with_size: usize,
    /// Share of events with a size (0 when there are no events).
    pub coverage: f64,
    pub localities: usize,
    pub states: usize,
    pub known_low: u64,
    pub known_high: u64,
    pub imputed: Option<Imputed>,
    /// Present only when the selection is known to hold more events than the ledger.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extrapolated: Option<Extrapolated>,
    pub baseline: Option<Baseline>,
    pub population: Option<u64>,
    pub per_capita: Option<f64>,
    /// Sum of the midpoints of the sized events.
    #[serde(skip)]
    pub known_midpoint: f64,
}

/// How `estimate` runs.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EstimateConfig {
    pub impute: ImputeConfig,
    /// The number of events the selection is known to hold (`--expected-events`, an
    /// aggregate claim's event count). When it exceeds the events given, the totals
    /// carry `extrapolated`.
    pub expected_events: Option<usize>,
    /// The populations of every populated place of the selected area (the gazetteer's),
    /// when known: under the story that the missing events are like the known ones, no
    /// more of them are put in places of a size than there are such places without a
    /// known event.
    pub places: Option<std::sync::Arc<[u64]>>,
}

/// A breakdown dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    State,
    Locality,
    Date,
}

impl std::str::FromStr for By {
    type Err = crate::EstimateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "state" => Ok(By::State),
            "locality" => Ok(By::Locality),
            "date" | "day" => Ok(By::Date),
            _ => Err(crate::EstimateError::UnknownBreakdown(s.to_string())),
        }
    }
}

/// One row of a breakdown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BreakdownRow {
    pub key: String,
    #[serde(flatten)]
    pub totals: Totals,
}

impl Totals {
    /// Adds the selected area's population and the share of it that took part (the
    /// imputed point when there is one, else the known midpoints).
    pub fn with_population(mut self, population: Option<u64>) -> Totals {
        self.population = population.filter(|&p| p > 0);
        self.per_capita = self.population.map(|p| {
            let participants = self
                .imputed
                .as_ref()
                .map_or(self.known_midpoint, |i| i.point as f64);
            participants / p as f64
        });
        self
    }

    /// The evidence range for participants as `check` uses it: the known low sum plus the
    /// low end of the imputed unsized part, to the known high sum plus its high end.
    /// `None` when events without a size cannot be imputed.
    pub fn evidence_range(&self) -> Option<(f64, f64)> {
        match &self.imputed {
            Some(i) => Some((
                self.known_low as f64 + i.unsized_part.low,
                self.known_high as f64 + i.unsized_part.high,
            )),
            None if self.events_with_size == self.events && self.events > 0 => {
                Some((self.known_low as f64, self.known_high as f64))
            }
            None => None,
        }
    }
}

impl Totals {
    /// The evidence range over every event the selection is known to hold: the known
    /// low sum plus the low end of what the unsized and missing events add, to the known
    /// high sum plus its high end. `None` without an extrapolation.
    pub fn extrapolated_evidence_range(&self) -> Option<(f64, f64)> {
        self.extrapolated.as_ref().map(|x| {
            (
                self.known_low as f64 + x.added.low,
                self.known_high as f64 + x.added.high,
            )
        })
    }
}

/// Counts and known sums, without imputation.
fn counts<'a>(rows: impl ExactSizeIterator<Item = &'a EventRow>) -> Totals {
    let events = rows.len();
    // Localities are counted by a case-insensitive hash of (state, name) made when the
    // row was read, and a collision among a million names has odds of about 1 in 10^7.
    let mut localities: FxHashSet<u64> =
        FxHashSet::with_capacity_and_hasher(events, Default::default());
    // States by their 2-digit FIPS number: a bitmap, no hashing.
    let mut states = [false; 100];
    let (mut sized, mut low, mut high, mut mid) = (0usize, 0u64, 0u64, 0.0f64);
    for e in rows {
        if let Some(key) = e.locality {
            localities.insert(key);
        }
        if let Some(s) = e.state {
            let fips = s.fips().as_bytes();
            states[usize::from(fips[0] - b'0') * 10 + usize::from(fips[1] - b'0')] = true;
        }
        if let (Some(l), Some(h)) = (e.size_low, e.size_high) {
            sized += 1;
            // Every size is at most 20,000,000 (tally_model::bounds, checked by every
            // reader), so a u64 sum cannot overflow below 9 * 10^11 events; a sum that
            // did would be a broken invariant, never a silently clamped total.
            low = low
                .checked_add(l)
                .expect("bounded sizes cannot overflow a u64 sum");
            high = high
                .checked_add(h)
                .expect("bounded sizes cannot overflow a u64 sum");
            mid += (l as f64 + h as f64) / 2.0;
        }
    }
    Totals {
        events,
        events_with_size: sized,
        coverage: if events == 0 {
            0.0
        } else {
            sized as f64 / events as f64
        },
        localities: localities.len(),
        states: states.iter().filter(|&&s| s).count(),
        known_low: low,
        known_high: high,
        imputed: None,
        extrapolated: None,
        baseline: None,
        population: None,
        per_capita: None,
        known_midpoint: mid,
    }
}

fn median(mut values: Vec<f64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    // Selection, not a full sort: linear time on a million events.
    let n = values.len();
    let (below, middle, _) = values.select_nth_unstable_by(n / 2, |a, b| a.total_cmp(b));
    let middle = *middle;
    Some(if n % 2 == 1 {
        middle
    } else {
        let lower = below.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        (lower + middle) / 2.0
    })
}

fn baseline(totals: &Totals, median_midpoint: Option<f64>) -> Option<Baseline> {
    let median = median_midpoint?;
    let without_size = (totals.events - totals.events_with_size) as f64;
    Some(Baseline {
        point: (totals.known_midpoint + without_size * median).round() as u64,
        method: "median-fill".to_string(),
    })
}

fn finish(
    mut totals: Totals,
    part: Option<UnsizedPart>,
    method: &str,
    median_midpoint: Option<f64>,
) -> Totals {
    let without_size = totals.events - totals.events_with_size;
    totals.imputed = if without_size == 0 && totals.events > 0 {
        Some(Imputed {
            point: totals.known_midpoint.round() as u64,
            low: totals.known_midpoint.round() as u64,
            high: totals.known_midpoint.round() as u64,
            method: "none needed: every event has a size".to_string(),
            unsized_part: UnsizedPart {
                events: 0,
                point: 0.0,
                low: 0.0,
                high: 0.0,
            },
        })
    } else {
        part.map(|p| Imputed {
            point: (totals.known_midpoint + p.point).round() as u64,
            low: (totals.known_midpoint + p.low).round() as u64,
            high: (totals.known_midpoint + p.high).round() as u64,
            method: method.to_string(),
            unsized_part: p,
        })
    };
    totals.baseline = baseline(&totals, median_midpoint);
    totals
}

/// The totals of a selection of events (already selected).
pub fn estimate(events: &[Event], config: &EstimateConfig) -> Totals {
    estimate_rows(&EventRows::from_events(events), config)
}

/// [`estimate`] over borrowed events.
pub fn estimate_refs(events: &[&Event], config: &EstimateConfig) -> Totals {
    estimate_rows(&EventRows::from_events(events.iter().copied()), config)
}

/// [`estimate`] over slim rows (see [`EventRows`]): what a ledger of millions of
/// events is estimated from.
pub fn estimate_rows(events: &EventRows, config: &EstimateConfig) -> Totals {
    let missing = config
        .expected_events
        .map_or(0, |n| n.saturating_sub(events.len()));
    // Nothing to impute when every event has a size and none is missing.
    let model = missing > 0 || events.rows.iter().any(|e| !e.has_size());
    let class_targets = [vec![0]];
    let class_of = vec![0; if model { events.len() } else { 0 }];
    let targets = Targets {
        class_of: &class_of,
        class_targets: &class_targets,
        count: 1,
    };
    let unseen = (missing > 0).then_some(Unseen {
        events: missing,
        target: 0,
        places: config.places.as_deref(),
    });
    // The counts, the median and the model read the rows and nothing of each other: the
    // serial passes of the first two run beside the model's.
    let ((totals, median_midpoint), imputation) = rayon::join(
        || {
            rayon::join(
                || counts(events.rows.iter()),
                || median(events.rows.iter().filter_map(|e| e.midpoint()).collect()),
            )
        },
        || {
            model
                .then(|| impute_targets(events, &targets, &config.impute, unseen))
                .flatten()
        },
    );
    match imputation {
        Some(mut imputation) => {
            let method = imputation.summary.method(config.impute.level);
            let mut totals = finish(totals, imputation.parts.pop(), &method, median_midpoint);
            totals.extrapolated = imputation.extrapolated.map(|added| {
                let known = totals.known_midpoint;
                Extrapolated {
                    point: (known + added.point).round() as u64,
                    low: (known + added.low).round() as u64,
                    high: (known + added.high).round() as u64,
                    events_missing: added.events,
                    method: format!(
                        "{} events known to exist are missing from the ledger; each is drawn \
                         like the smaller half of the known events by fitted size, as if \
                         reported once (for the high end: like any known event, {}), drawn \
                         no larger than 3x the largest reported gathering; model: {method}",
                        added.events,
                        if config.places.is_some() {
                            "but in no more places of a size than the area has without a \
                             known event"
                        } else {
                            "the area's places unknown"
                        }
                    ),
                    added,
                }
            });
            totals
        }
        None => finish(totals, None, "", median_midpoint),
    }
}

/// Totals per state, locality or day. The imputation model is fit once on all the events
/// given, then each row gets its own interval from the same bootstrap replicates.
pub fn breakdown(events: &[Event], by: By, config: &EstimateConfig) -> Vec<BreakdownRow> {
    let rows = EventRows::from_events(events);
    let key_of = |e: &Event| -> String {
        match by {
            By::State => e
                .place
                .best_state()
                .map_or_else(|| "unknown".to_string(), |s| s.to_string()),
            By::Locality => match (e.place.best_locality(), e.place.best_state()) {
                (Some(l), Some(s)) => format!("{l}, {s}"),
                (Some(l), None) => l.to_string(),
                (None, _) => "unknown".to_string(),
            },
            By::Date => e
                .date
                .map_or_else(|| "unknown".to_string(), |d| d.to_string()),
        }
    };
    let mut keys: BTreeMap<String, usize> = BTreeMap::new();
    for e in events {
        let next = keys.len();
        keys.entry(key_of(e)).or_insert(next);
    }
    // Group numbers in key order, so output and random streams do not depend on event order.
    let order: BTreeMap<usize, usize> = keys
        .values()
        .enumerate()
        .map(|(rank, &first_seen)| (first_seen, rank))
        .collect();
    let group_of: Vec<usize> = events.iter().map(|e| order[&keys[&key_of(e)]]).collect();
    let groups = keys.len();
    let imputed = impute_groups(&rows, &group_of, groups, &config.impute);
    let method = imputed
        .as_ref()
        .map(|(_, s)| s.method(config.impute.level))
        .unwrap_or_default();
    let median_midpoint = median(events.iter().filter_map(|e| e.midpoint()).collect());
    let mut members: Vec<Vec<&EventRow>> = vec![Vec::new(); groups];
    for (e, &g) in rows.rows.iter().zip(&group_of) {
        members[g].push(e);
    }
    keys.keys()
        .zip(members)
        .enumerate()
        .map(|(g, (key, members))| {
            let part = imputed.as_ref().map(|(parts, _)| parts[g].clone());
            BreakdownRow {
                key: key.clone(),
                totals: finish(
                    counts(members.iter().copied()),
                    part,
                    &method,
                    median_midpoint,
                ),
            }
        })
        .collect()
}

/// The bootstrap replicates of several selections' totals, resampled jointly (see
/// [`joint_replicate_totals`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JointReplicates {
    /// Per selection, per replicate: the known midpoints plus that replicate's imputed
    /// total of the events without a size. Replicate `r` of every selection comes from
    /// the same draw (the same coefficients, the same residuals for a shared event).
    pub totals: Vec<Vec<f64>>,
    /// Per selection: the point estimate (known midpoints plus the imputed point).
    pub points: Vec<f64>,
    pub method: String,
}

/// Bootstrap replicate totals of up to 64 selections of `events`, resampled jointly: bit
/// `s` of `membership[i]` says that event `i` is in selection `s`. The model is fit once
/// on the sized events of all the selections together, and every replicate draws once
/// for each event, so an event in two selections adds the same amount to both; the
/// replicates of a ratio or a difference of two totals then carry their correlation.
///
/// The same events, membership and `config.impute.seed` give the same replicates.
/// `None` when there are too few sized events to fit the model (and some events lack a
/// size).
pub fn joint_replicate_totals(
    events: &[&Event],
    membership: &[u64],
    selections: usize,
    config: &EstimateConfig,
) -> Option<JointReplicates> {
    assert!(selections <= 64, "at most 64 selections");
    assert_eq!(events.len(), membership.len(), "one membership per event");
    let mask = if selections == 64 {
        u64::MAX
    } else {
        (1u64 << selections) - 1
    };
    let chosen: Vec<(&Event, u64)> = events
        .iter()
        .zip(membership)
        .map(|(e, m)| (*e, m & mask))
        .filter(|(_, m)| *m != 0)
        .collect();
    let mut known = vec![0.0; selections];
    for (e, m) in &chosen {
        if let Some(mid) = e.midpoint() {
            for (s, k) in known.iter_mut().enumerate() {
                if m >> s & 1 == 1 {
                    *k += mid;
                }
            }
        }
    }
    let replicates = config.impute.replicates.max(20);
    if chosen.iter().all(|(e, _)| e.has_size()) {
        return Some(JointReplicates {
            totals: known.iter().map(|&k| vec![k; replicates]).collect(),
            points: known,
            method: "none needed: every event has a size".to_string(),
        });
    }
    // One class per distinct membership pattern.
    let mut patterns: BTreeMap<u64, usize> = BTreeMap::new();
    for (_, m) in &chosen {
        let next = patterns.len();
        patterns.entry(*m).or_insert(next);
    }
    let class_of: Vec<usize> = chosen.iter().map(|(_, m)| patterns[m]).collect();
    let mut class_targets = vec![Vec::new(); patterns.len()];
    for (&m, &class) in &patterns {
        class_targets[class] = (0..selections).filter(|s| m >> s & 1 == 1).collect();
    }
    let rows = EventRows::from_events(chosen.iter().map(|(e, _)| *e));
    let targets = Targets {
        class_of: &class_of,
        class_targets: &class_targets,
        count: selections,
    };
    let imputation = impute_targets(&rows, &targets, &config.impute, None)?;
    Some(JointReplicates {
        totals: imputation
            .replicates
            .iter()
            .zip(&known)
            .map(|(reps, k)| reps.iter().map(|r| k + r).collect())
            .collect(),
        points: imputation
            .parts
            .iter()
            .zip(&known)
            .map(|(p, k)| k + p.point)
            .collect(),
        method: imputation.summary.method(config.impute.level),
    })
}

/// The bootstrap replicate totals of one selection (known midpoints plus each
/// replicate's imputed part), in replicate order. For two selections that must be
/// resampled jointly, use [`joint_replicate_totals`].
pub fn replicate_totals(events: &[&Event], config: &EstimateConfig) -> Option<Vec<f64>> {
    joint_replicate_totals(events, &vec![1; events.len()], 1, config)
        .map(|mut joint| joint.totals.remove(0))
}
