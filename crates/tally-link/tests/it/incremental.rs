//! Issue 12: linking a file's new reports by reading only the blocks they touch
//! (`link_new_reports` over a ledger read by locators) gives the events a full rebuild
//! gives, whatever the order the reports arrive in and however they are cut into files;
//! chains across days and places, and reviewer merges, splits and rejects included.

use super::{batched, headlined, report};
use proptest::prelude::*;
use std::collections::{BTreeMap, HashMap};
use tally_link::{
    link_new_reports, link_reports, relink_for_decision, report_locators, reports_in_blocks_of,
    Decision, LinkConfig,
};
use tally_model::{Confidence, Estimate, Event, EventId, Report, ReportId, ResolvedPlace, Scope};

/// A ledger in memory, read the way the store reads it: by locator and by id. It counts
/// what it hands out, so a test can see that an ingest reads only its blocks.
#[derive(Default)]
struct MemoryLedger {
    reports: BTreeMap<ReportId, Report>,
    by_locator: HashMap<i64, Vec<ReportId>>,
    events: BTreeMap<EventId, Event>,
    read: usize,
    /// Events handed out by id (a block's events taken as stored).
    events_read: usize,
    /// Passed on as [`tally_link::ReportLookup::stored_events_from`] (`None`: never, as
    /// the default is for blocks as small as these).
    stored_events_from: Option<usize>,
    /// Read by place and day, as a store with link rows is: only what linking reads of
    /// each report (see [`linking_view`]), the places numbered in order of arrival.
    by_place: bool,
    places: Vec<tally_model::Place>,
}

/// What a store's link rows give of a report (issue 12, migration 0016): the fields
/// linking reads and an event is built from, each estimate's low, high, scope and
/// coding, and nothing else (notes that no report has: an event that read them would
/// show it).
fn linking_view(report: &Report) -> Report {
    let mut view = Report::new(
        report.source_id.clone(),
        report.place.clone(),
        "2000-01-01T00:00:00Z".parse().unwrap(),
    );
    view.id = report.id;
    view.date = report.date;
    view.batch = report.batch.clone();
    view.title = report.title.clone();
    view.headline = report.headline.clone();
    view.event_type = report.event_type.clone();
    view.location_detail = report.location_detail.clone();
    view.organizers = report.organizers.clone();
    view.notes = Some("not in a link row".into());
    view.estimates = report
        .estimates
        .iter()
        .map(|e| {
            Estimate::range(e.low(), e.high())
                .unwrap()
                .with_scope(e.scope())
                .with_coded_by_rule(e.coded_by_rule())
        })
        .collect();
    view
}

impl MemoryLedger {
    /// One file: link its reports incrementally, apply the update, then file them.
    fn ingest(&mut self, file: Vec<Report>, decisions: &[Decision]) {
        let update = link_new_reports(
            self,
            file.clone(),
            decisions.to_vec(),
            &LinkConfig::default(),
        )
        .unwrap();
        self.apply(update);
        for r in file {
            let id = r.id.unwrap();
            for locator in report_locators(&r, &LinkConfig::default()) {
                self.by_locator.entry(locator).or_default().push(id);
            }
            if !self.places.contains(&r.place) {
                self.places.push(r.place.clone());
            }
            self.reports.insert(id, r);
        }
    }

    /// Applies a relink's update to the stored events.
    fn apply(&mut self, update: tally_link::LinkUpdate) {
        for id in update.removed {
            assert!(
                self.events.remove(&id).is_some(),
                "removed an unknown event"
            );
        }
        for event in update.upserted {
            self.events.insert(event.id.clone(), event);
        }
    }

    fn events(&self) -> Vec<Event> {
        let mut events: Vec<Event> = self.events.values().cloned().collect();
        events.sort_by(|a, b| {
            (a.date.is_none(), a.date, &a.id).cmp(&(b.date.is_none(), b.date, &b.id))
        });
        events
    }
}

impl tally_link::ReportLookup for MemoryLedger {
    type Error = std::convert::Infallible;

    fn report_ids_at(&mut self, locators: &[i64]) -> Result<Vec<ReportId>, Self::Error> {
        Ok(locators
            .iter()
            .flat_map(|l| self.by_locator.get(l).into_iter().flatten().copied())
            .collect())
    }

    fn reports_by_id(&mut self, ids: &[ReportId]) -> Result<Vec<Report>, Self::Error> {
        let found: Vec<Report> = ids
            .iter()
            .filter_map(|id| self.reports.get(id).cloned())
            .collect();
        self.read += found.len();
        Ok(found)
    }

    fn events_by_id(&mut self, ids: &[EventId]) -> Result<Vec<Event>, Self::Error> {
        let found: Vec<Event> = ids
            .iter()
            .filter_map(|id| self.events.get(id).cloned())
            .collect();
        self.events_read += found.len();
        Ok(found)
    }

    fn stored_events_from(&self) -> usize {
        self.stored_events_from.unwrap_or(usize::MAX)
    }

    fn places(&mut self) -> Result<Option<Vec<(i64, tally_model::Place)>>, Self::Error> {
        Ok(self.by_place.then(|| {
            (0..)
                .zip(self.places.iter().cloned())
                .collect::<Vec<(i64, tally_model::Place)>>()
        }))
    }

    fn linking_reports_at(
        &mut self,
        spans: &[tally_link::PlaceDays],
    ) -> Result<Vec<Report>, Self::Error> {
        let found: Vec<Report> = self
            .reports
            .values()
            .filter(|r| {
                let place = self.places.iter().position(|p| *p == r.place).unwrap() as i64;
                spans.iter().any(|span| {
                    span.place == place
                        && match (span.days, r.date) {
                            (None, None) => true,
                            (Some((first, last)), Some(day)) => {
                                day == first || (r.batch.is_none() && first < day && day <= last)
                            }
                            _ => false,
                        }
                })
            })
            .map(linking_view)
            .collect();
        self.read += found.len();
        Ok(found)
    }
}

/// Places with coordinates: Austin and a suburb 2 km away (nearby: they link), a town
/// 7 km north (blocked with Austin through shared cells, never linked), a place across
/// a locator tile edge within cell reach, Dallas, and a place that did not resolve.
const PLACES: &[(&str, Option<(f64, f64)>)] = &[
    ("Austin, TX", Some((30.2672, -97.7431))),
    ("Westlake, TX", Some((30.2800, -97.7600))),
    ("Pflugerville, TX", Some((30.3300, -97.7400))),
    ("Buda, TX", Some((30.1950, -97.7500))),
    ("Dallas, TX", Some((32.7767, -96.7970))),
    ("Nowhere Creek, TX", None),
];
const TITLES: &[Option<&str>] = &[
    Some("No Kings"),
    Some("No Kings rally"),
    Some("Pride parade"),
    None,
];

fn placed(r: Report, place: usize) -> Report {
    let (name, point) = PLACES[place];
    match point {
        Some((lat, lon)) => {
            let mut r = r;
            let state = r.place.state.unwrap();
            r.place.resolved = Some(ResolvedPlace {
                locality: Some(name.split_once(", ").unwrap().0.to_string()),
                county: None,
                fips: None,
                state,
                lat: Some(lat),
                lon: Some(lon),
                population: None,
                confidence: Confidence::Exact,
            });
            r
        }
        None => r,
    }
}

#[derive(Debug, Clone)]
enum Kind {
    /// A curated row of one of three batches.
    Row(usize),
    /// An article's report: no batch, may be dated a day late.
    Article,
    /// An article's report with a headline and no title.
    Headlined,
    /// A national figure: a claim, never linked.
    Aggregate,
    /// No date at all.
    Undated,
}

fn arb_kind() -> impl Strategy<Value = Kind> {
    prop_oneof![
        3 => (0..3usize).prop_map(Kind::Row),
        3 => Just(Kind::Article),
        1 => Just(Kind::Headlined),
        1 => Just(Kind::Aggregate),
        1 => Just(Kind::Undated),
    ]
}

/// Reports over a week in and around Austin: articles every day chain blocks across days.
fn arb_ledger() -> impl Strategy<Value = Vec<Report>> {
    prop::collection::vec(
        (
            0..PLACES.len(),
            0..TITLES.len(),
            0u32..6,
            prop::option::of((1u64..50_000, 0u64..5_000)),
            arb_kind(),
        ),
        1..45,
    )
    .prop_map(|rows| {
        rows.into_iter()
            .enumerate()
            .map(|(i, (place, title, day, size, kind))| {
                let date = format!("2025-06-{}", 14 + day);
                let r = report(
                    i as i64 + 1,
                    &date,
                    PLACES[place].0,
                    TITLES[title],
                    size.map(|(l, w)| (l, l + w)),
                );
                let mut r = placed(r, place);
                // Organizers and coded sizes that differ between the members of an
                // event: the events built from link rows must read them (issue 12).
                r.organizers = [None, Some("Indivisible"), Some("Sunrise Movement")][i % 3]
                    .map(str::to_string);
                if i % 4 == 1 {
                    r.estimates = r
                        .estimates
                        .into_iter()
                        .map(|e| e.with_coded_by_rule(true))
                        .collect();
                }
                match kind {
                    Kind::Row(b) => batched(r, &format!("batch-{b}")),
                    Kind::Article => r,
                    Kind::Headlined => headlined(r, "Thousands rally in Austin"),
                    Kind::Aggregate => {
                        r.estimates = vec![Estimate::exact(5_000_000).with_scope(Scope::Aggregate)];
                        r
                    }
                    Kind::Undated => {
                        r.date = None;
                        r
                    }
                }
            })
            .collect()
    })
}

fn arb_decisions() -> impl Strategy<Value = Vec<Decision>> {
    prop::collection::vec(
        prop_oneof![
            prop::collection::vec(1i64..46, 2..4).prop_map(|ids| Decision::Merge {
                reports: ids.into_iter().map(ReportId).collect()
            }),
            (1i64..46).prop_map(|id| Decision::Split {
                report: ReportId(id)
            }),
            (1i64..46).prop_map(|id| Decision::Reject {
                report: ReportId(id)
            }),
        ],
        0..4,
    )
}

/// A deterministic shuffle (Fisher–Yates with an LCG), then cuts into files.
fn files(mut reports: Vec<Report>, seed: u64, cuts: &[usize]) -> Vec<Vec<Report>> {
    let mut state = seed | 1;
    for i in (1..reports.len()).rev() {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let j = (state >> 33) as usize % (i + 1);
        reports.swap(i, j);
    }
    let mut cuts: Vec<usize> = cuts.iter().map(|c| c % (reports.len() + 1)).collect();
    cuts.sort_unstable();
    cuts.push(reports.len());
    let mut files = Vec::new();
    let mut start = 0;
    for cut in cuts {
        files.push(reports[start..cut].to_vec());
        start = cut;
    }
    files
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn issue_12_relinking_touched_blocks_equals_a_full_rebuild(
        reports in arb_ledger(),
        decisions in arb_decisions(),
        seed in any::<u64>(),
        cuts in prop::collection::vec(0usize..50, 0..5),
        stored_events_from in prop::option::of(1usize..8),
        by_place in any::<bool>(),
    ) {
        let mut ledger = MemoryLedger {
            stored_events_from,
            by_place,
            ..MemoryLedger::default()
        };
        for file in files(reports.clone(), seed, &cuts) {
            ledger.ingest(file, &decisions);
        }
        prop_assert_eq!(ledger.events(), link_reports(&reports, &decisions, &LinkConfig::default()));
    }
}

#[test]
fn issue_12_an_ingest_reads_only_the_blocks_it_touches() {
    // Ten days of Dallas and Austin rows; a new Austin article reads Austin only, and only
    // the days it can reach.
    let mut ledger = MemoryLedger::default();
    let mut old = Vec::new();
    for day in 0..10 {
        for (n, place) in [(0, 0), (1, 4)] {
            let id = 1 + day * 2 + n;
            let date = format!("2025-06-{}", 10 + day);
            old.push(batched(
                placed(
                    report(
                        id,
                        &date,
                        PLACES[place].0,
                        Some("No Kings"),
                        Some((100, 100)),
                    ),
                    place,
                ),
                "dataset",
            ));
        }
    }
    ledger.ingest(old.clone(), &[]);
    ledger.read = 0;
    let new = placed(
        report(
            100,
            "2025-06-15",
            "Austin, TX",
            Some("No Kings"),
            Some((900, 900)),
        ),
        0,
    );
    ledger.ingest(vec![new.clone()], &[]);
    // Only its block is read: the Austin rows of the 15th and of the 14th (it may be a
    // day late). Dallas, and the other days, are never read.
    assert_eq!(ledger.read, 2);
    old.push(new);
    assert_eq!(
        ledger.events(),
        link_reports(&old, &[], &LinkConfig::default())
    );
}

#[test]
fn issue_12_an_ingest_into_a_big_block_takes_its_old_events_as_stored() {
    // Forty reports of Austin on two days (curated rows of two batches and articles,
    // titled or not): one block, whose events an ingest reads instead of linking the
    // block a second time.
    let mut old = Vec::new();
    for id in 1..=40i64 {
        let date = format!("2025-06-{}", 14 + id % 2);
        let title = TITLES[id as usize % TITLES.len()];
        let r = placed(
            report(
                id,
                &date,
                "Austin, TX",
                title,
                Some((100 * id as u64, 120 * id as u64)),
            ),
            0,
        );
        old.push(match id % 3 {
            0 => batched(r, "batch-a"),
            1 => batched(r, "batch-b"),
            _ => r,
        });
    }
    let mut ledger = MemoryLedger {
        stored_events_from: Some(10),
        ..MemoryLedger::default()
    };
    ledger.ingest(old.clone(), &[]);
    let old_events = ledger.events.len();
    assert!(old_events > 1 && old_events < 40, "{old_events} events");
    assert_eq!(
        ledger.events_read, 0,
        "an empty ledger has no events to read"
    );

    let new = placed(
        report(
            41,
            "2025-06-15",
            "Austin, TX",
            Some("No Kings"),
            Some((5000, 5000)),
        ),
        0,
    );
    ledger.ingest(vec![new.clone()], &[]);
    // Every event of the old block was read by id, once.
    assert_eq!(ledger.events_read, old_events);
    old.push(new);
    assert_eq!(
        ledger.events(),
        link_reports(&old, &[], &LinkConfig::default())
    );
}

impl MemoryLedger {
    /// Applies one more reviewer decision through `relink_for_decision`.
    fn decide(&mut self, decisions: &[Decision], decision: Decision) {
        let update =
            relink_for_decision(self, decisions.to_vec(), decision, &LinkConfig::default())
                .unwrap();
        self.apply(update);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn issue_12_a_decision_relinking_its_blocks_equals_a_full_rebuild(
        reports in arb_ledger(),
        decisions in arb_decisions(),
        more in arb_decisions(),
        by_place in any::<bool>(),
    ) {
        // Read by locator, or by place and day as from link rows (whose reports are
        // read again whole: an event built from the linking view fails this).
        let mut ledger = MemoryLedger { by_place, ..MemoryLedger::default() };
        ledger.ingest(reports.clone(), &decisions);
        let mut all = decisions.clone();
        for decision in more {
            ledger.decide(&all, decision.clone());
            all.push(decision);
            prop_assert_eq!(
                ledger.events(),
                link_reports(&reports, &all, &LinkConfig::default())
            );
        }
    }

    #[test]
    fn issue_12_the_blocks_of_one_day_give_that_days_events(
        reports in arb_ledger(),
        decisions in arb_decisions(),
        day in 0u32..6,
        by_place in any::<bool>(),
    ) {
        let mut ledger = MemoryLedger { by_place, ..MemoryLedger::default() };
        ledger.ingest(reports.clone(), &decisions);
        let date: tally_model::Date = format!("2025-06-{}", 14 + day).parse().unwrap();
        let seeds: Vec<Report> = reports.iter().filter(|r| r.date == Some(date)).cloned().collect();
        let mut read = reports_in_blocks_of(&mut ledger, &seeds, &decisions, &LinkConfig::default()).unwrap();
        read.extend(seeds);
        let on_day = |events: Vec<Event>| -> Vec<Event> {
            events.into_iter().filter(|e| e.date == Some(date)).collect()
        };
        prop_assert_eq!(
            on_day(link_reports(&read, &decisions, &LinkConfig::default())),
            on_day(link_reports(&reports, &decisions, &LinkConfig::default()))
        );
    }
}
