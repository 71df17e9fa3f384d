//! Integration tests of linking: the rules on small scenarios, and the invariants
//! (deterministic, order-independent, idempotent, incremental = full) as properties.

mod incremental;
mod same_events;

use proptest::prelude::*;
use tally_link::{claim_reports, link_reports, Decision, LinkConfig, Linker};
use tally_model::{
    Attribution, Confidence, Estimate, Place, Report, ReportId, ResolvedPlace, Scope, SourceId,
};

fn at() -> tally_model::Timestamp {
    "2025-06-20T00:00:00Z".parse().unwrap()
}

/// A report: id, day, "City, ST", title, size range (low = high for one figure).
fn report(
    id: i64,
    date: &str,
    place: &str,
    title: Option<&str>,
    size: Option<(u64, u64)>,
) -> Report {
    let (city, state) = place.split_once(", ").unwrap();
    let mut r = Report::new(
        SourceId(format!("source-{id}")),
        Place::from_parts(Some(city), Some(state.parse().unwrap())),
        at(),
    );
    r.id = Some(ReportId(id));
    r.date = Some(date.parse().unwrap());
    r.title = title.map(str::to_string);
    if let Some((low, high)) = size {
        r.estimates.push(Estimate::range(low, high).unwrap());
    }
    r
}

fn batched(mut r: Report, batch: &str) -> Report {
    r.batch = Some(batch.to_string());
    r
}

fn resolved(mut r: Report, locality: &str, lat: f64, lon: f64) -> Report {
    let state = r.place.state.unwrap();
    r.place.resolved = Some(ResolvedPlace {
        locality: Some(locality.to_string()),
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

fn link(reports: &[Report]) -> Vec<tally_model::Event> {
    link_reports(reports, &[], &LinkConfig::default())
}

#[test]
fn article_statement_and_dataset_row_become_one_event() {
    let mut police = report(
        2,
        "2025-06-14",
        "Chicago, IL",
        Some("No Kings"),
        Some((15_000, 15_000)),
    );
    police.estimates[0] = police.estimates[0]
        .clone()
        .with_attribution(Attribution::Police);
    let reports = vec![
        batched(
            report(
                1,
                "2025-06-14",
                "Chicago, IL",
                Some("No Kings protest"),
                None,
            ),
            "ccc-2025",
        ),
        police,
        report(
            3,
            "2025-06-15",
            "Chicago, IL",
            Some("No Kings rally"),
            Some((75_000, 75_000)),
        ),
    ];
    let events = link(&reports);
    assert_eq!(events.len(), 1, "{events:#?}");
    let e = &events[0];
    assert_eq!(e.reports, vec![ReportId(1), ReportId(2), ReportId(3)]);
    assert_eq!((e.size_low, e.size_high), (Some(15_000), Some(75_000)));
    assert_eq!(
        (e.low_from, e.high_from),
        (Some(ReportId(2)), Some(ReportId(3)))
    );
    assert_eq!(e.date, Some("2025-06-14".parse().unwrap()));
    assert!(!e.coded_by_rule);
}

#[test]
fn rows_of_one_batch_never_merge() {
    let reports = vec![
        batched(
            report(
                1,
                "2025-06-14",
                "Boise, ID",
                Some("No Kings"),
                Some((5_000, 5_000)),
            ),
            "sheet",
        ),
        batched(
            report(
                2,
                "2025-06-14",
                "Boise, ID",
                Some("No Kings"),
                Some((300, 300)),
            ),
            "sheet",
        ),
        // A row of another sheet about the big one joins it, by size.
        batched(
            report(
                3,
                "2025-06-14",
                "Boise, ID",
                Some("No Kings"),
                Some((6_000, 6_000)),
            ),
            "other",
        ),
    ];
    let events = link(&reports);
    assert_eq!(events.len(), 2);
    let big = events
        .iter()
        .find(|e| e.reports.contains(&ReportId(1)))
        .unwrap();
    assert_eq!(big.reports, vec![ReportId(1), ReportId(3)]);
}

#[test]
fn protest_and_parade_on_one_day_stay_apart_and_untitled_news_joins_the_biggest() {
    let reports = vec![
        report(
            1,
            "2025-06-14",
            "Washington, DC",
            Some("No Kings"),
            Some((8_000, 8_000)),
        ),
        report(
            2,
            "2025-06-14",
            "Washington, DC",
            Some("Military parade"),
            Some((200_000, 250_000)),
        ),
        report(
            3,
            "2025-06-14",
            "Washington, DC",
            Some("Military parade"),
            Some((20_000, 20_000)),
        ),
        report(
            4,
            "2025-06-14",
            "Washington, DC",
            None,
            Some((100_000, 100_000)),
        ),
    ];
    let events = link(&reports);
    assert_eq!(events.len(), 2, "{events:#?}");
    let parade = events
        .iter()
        .find(|e| e.title.as_deref() == Some("Military parade"))
        .unwrap();
    assert_eq!(parade.reports, vec![ReportId(2), ReportId(3), ReportId(4)]);
    assert_eq!(
        (parade.size_low, parade.size_high),
        (Some(20_000), Some(250_000))
    );
}

/// An article report carries its headline, not a title.
fn headlined(mut r: Report, headline: &str) -> Report {
    r.title = None;
    r.headline = Some(headline.to_string());
    r
}

#[test]
fn issue_9_headline_titled_article_reports_join_the_event_of_their_place_and_day() {
    let reports = vec![
        report(
            1,
            "2025-06-14",
            "Austin, TX",
            Some("No Kings"),
            Some((2_000, 2_000)),
        ),
        report(
            2,
            "2025-06-14",
            "Austin, TX",
            Some("No Kings"),
            Some((20_000, 20_000)),
        ),
        report(
            3,
            "2025-06-14",
            "Houston, TX",
            Some("No Kings"),
            Some((10_000, 10_000)),
        ),
        // A roundup published the next day, headlined with one of its cities.
        headlined(
            report(4, "2025-06-15", "Austin, TX", None, Some((12_000, 12_000))),
            "Thousands rally in Austin as protests sweep Texas",
        ),
        headlined(
            report(5, "2025-06-15", "Houston, TX", None, Some((8_000, 8_000))),
            "Thousands rally in Austin as protests sweep Texas",
        ),
    ];
    let events = link(&reports);
    assert_eq!(events.len(), 2, "{events:#?}");
    let austin = events
        .iter()
        .find(|e| e.reports.contains(&ReportId(1)))
        .unwrap();
    assert_eq!(austin.reports, vec![ReportId(1), ReportId(2), ReportId(4)]);
    assert_eq!(austin.title.as_deref(), Some("No Kings"));
    let houston = events
        .iter()
        .find(|e| e.reports.contains(&ReportId(3)))
        .unwrap();
    assert_eq!(houston.reports, vec![ReportId(3), ReportId(5)]);
}

#[test]
fn issue_9_an_event_only_articles_tell_of_takes_a_headline_that_names_its_place() {
    let headline = "Hundreds march in Tulsa as rallies spread across Oklahoma";
    let reports = vec![
        headlined(
            report(1, "2025-06-14", "Tulsa, OK", None, Some((600, 600))),
            headline,
        ),
        headlined(
            report(2, "2025-06-14", "Norman, OK", None, Some((250, 250))),
            headline,
        ),
        report(
            3,
            "2025-06-14",
            "Lawton, OK",
            Some("No Kings"),
            Some((90, 90)),
        ),
        headlined(
            report(4, "2025-06-14", "Lawton, OK", None, Some((120, 120))),
            "Rain fails to keep Lawton marchers home",
        ),
    ];
    let events = link(&reports);
    assert_eq!(events.len(), 3, "{events:#?}");
    let title_of = |id: i64| {
        events
            .iter()
            .find(|e| e.reports.contains(&ReportId(id)))
            .unwrap()
            .title
            .clone()
    };
    // Tulsa's headline titles Tulsa's event, never the Norman event of the same story.
    assert_eq!(title_of(1).as_deref(), Some(headline));
    assert_eq!(title_of(2), None);
    // A title that a report gives wins over any headline.
    assert_eq!(title_of(3).as_deref(), Some("No Kings"));
}

#[test]
fn issue_9_one_articles_reports_about_neighbouring_towns_stay_two_events() {
    // Fargo and Moorhead face each other across the river, well within "nearby".
    let mut fargo = resolved(
        report(1, "2025-06-14", "Fargo, ND", None, Some((1_500, 1_500))),
        "Fargo",
        46.8772,
        -96.7898,
    );
    let mut moorhead = resolved(
        report(2, "2025-06-14", "Moorhead, MN", None, Some((200, 200))),
        "Moorhead",
        46.8738,
        -96.7678,
    );
    fargo.source_id = SourceId("article".into());
    moorhead.source_id = SourceId("article".into());
    let events = link(&[fargo.clone(), moorhead.clone()]);
    assert_eq!(events.len(), 2, "{events:#?}");
    // From two sources, the nearby rule joins them as before.
    moorhead.source_id = SourceId("another".into());
    assert_eq!(link(&[fargo, moorhead]).len(), 1);
}

#[test]
fn issue_9_a_headline_prefers_the_event_it_names_but_never_keeps_a_report_apart() {
    let reports = vec![
        report(
            1,
            "2025-06-14",
            "Washington, DC",
            Some("No Kings"),
            Some((200_000, 200_000)),
        ),
        report(
            2,
            "2025-06-14",
            "Washington, DC",
            Some("Military parade"),
            Some((8_000, 8_000)),
        ),
        headlined(
            report(
                3,
                "2025-06-14",
                "Washington, DC",
                None,
                Some((10_000, 10_000)),
            ),
            "Military parade draws thousands to the Mall",
        ),
        headlined(
            report(
                4,
                "2025-06-14",
                "Washington, DC",
                None,
                Some((150_000, 150_000)),
            ),
            "A day of marches across the country",
        ),
    ];
    let events = link(&reports);
    assert_eq!(events.len(), 2, "{events:#?}");
    let parade = events
        .iter()
        .find(|e| e.reports.contains(&ReportId(2)))
        .unwrap();
    assert_eq!(parade.reports, vec![ReportId(2), ReportId(3)]);
    let protest = events
        .iter()
        .find(|e| e.reports.contains(&ReportId(1)))
        .unwrap();
    assert_eq!(protest.reports, vec![ReportId(1), ReportId(4)]);
}

#[test]
fn different_type_families_stay_apart() {
    let mut vigil = report(1, "2025-06-14", "Eugene, OR", None, Some((50, 50)));
    vigil.event_type = Some("vigil".into());
    let mut march = report(2, "2025-06-14", "Eugene, OR", None, Some((4_000, 4_000)));
    march.event_type = Some("march".into());
    assert_eq!(link(&[vigil, march]).len(), 2);
}

/// Issue 8: Boston's Pride parade (with a No Kings contingent) swallowed Boston's two No
/// Kings rows because the titles share "No Kings". A title that names a parade is another
/// gathering than one whose title does not; a combined event named as such still joins.
#[test]
fn a_parade_with_a_contingent_is_not_the_protest_issue_8() {
    let pride = "Boston Pride parade with No Kings contingent";
    let reports = vec![
        report(
            1,
            "2025-06-14",
            "Boston, MA",
            Some(pride),
            Some((20_000, 20_000)),
        ),
        report(
            2,
            "2025-06-14",
            "Boston, MA",
            Some(pride),
            Some((1_000_000, 1_000_000)),
        ),
        report(
            3,
            "2025-06-14",
            "Boston, MA",
            Some("No Kings"),
            Some((24, 24)),
        ),
        report(
            4,
            "2025-06-14",
            "Boston, MA",
            Some("No Kings"),
            Some((2_000, 2_000)),
        ),
        report(
            5,
            "2025-06-14",
            "Spokane, WA",
            Some("No Kings"),
            Some((5_000, 5_000)),
        ),
        report(
            6,
            "2025-06-14",
            "Spokane, WA",
            Some("Spokane Pride / No Kings (combined)"),
            Some((60_000, 60_000)),
        ),
    ];
    let events = link(&reports);
    let members: Vec<Vec<ReportId>> = events.iter().map(|e| e.reports.clone()).collect();
    assert!(
        members.contains(&vec![ReportId(1), ReportId(2)]),
        "{members:?}"
    );
    assert!(
        members.contains(&vec![ReportId(3), ReportId(4)]),
        "{members:?}"
    );
    assert!(
        members.contains(&vec![ReportId(5), ReportId(6)]),
        "{members:?}"
    );
    assert_eq!(events.len(), 3);
}

#[test]
fn late_reports_join_only_when_not_curated() {
    let event = report(
        1,
        "2025-06-14",
        "Reno, NV",
        Some("No Kings"),
        Some((3_000, 3_000)),
    );
    let article = report(
        2,
        "2025-06-15",
        "Reno, NV",
        Some("No Kings"),
        Some((4_000, 4_000)),
    );
    let row = batched(
        report(
            3,
            "2025-06-15",
            "Reno, NV",
            Some("No Kings"),
            Some((100, 100)),
        ),
        "d",
    );
    let two_days = report(4, "2025-06-16", "Reno, NV", Some("No Kings"), Some((9, 9)));
    assert_eq!(link(&[event.clone(), article]).len(), 1);
    assert_eq!(link(&[event.clone(), row]).len(), 2);
    assert_eq!(link(&[event, two_days]).len(), 2);
}

#[test]
fn nearby_resolved_places_join_but_sub_places_do_not() {
    let a = resolved(
        report(
            1,
            "2025-06-14",
            "NYC, NY",
            Some("No Kings"),
            Some((50_000, 50_000)),
        ),
        "New York",
        40.7128,
        -74.0060,
    );
    let b = resolved(
        report(
            2,
            "2025-06-14",
            "Manhattan, NY",
            Some("No Kings"),
            Some((30_000, 30_000)),
        ),
        "Manhattan",
        40.7200,
        -73.9990,
    );
    let c = resolved(
        report(
            3,
            "2025-06-14",
            "Brooklyn (Prospect Park), NY",
            Some("No Kings"),
            Some((400, 400)),
        ),
        "New York",
        40.7128,
        -74.0060,
    );
    let events = link(&[a, b, c]);
    assert_eq!(events.len(), 2, "{events:#?}");
    assert_eq!(events.iter().map(|e| e.reports.len()).max(), Some(2));
}

#[test]
fn aggregate_reports_are_claims_not_events() {
    let mut national = report(9, "2025-06-14", "Washington, DC", Some("No Kings"), None);
    national
        .estimates
        .push(Estimate::exact(5_000_000).with_scope(Scope::Aggregate));
    let local = report(
        1,
        "2025-06-14",
        "Washington, DC",
        Some("No Kings"),
        Some((8_000, 8_000)),
    );
    let reports = vec![national, local];
    let events = link(&reports);
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].size_high, Some(8_000));
    assert_eq!(claim_reports(&reports).len(), 1);
}

#[test]
fn coded_by_rule_only_when_both_bounds_are_coded() {
    let mut a = report(1, "2025-06-14", "Macon, GA", Some("No Kings"), None);
    a.estimates.push(Estimate::coded(200, "hundreds"));
    let events = link(&[a.clone()]);
    assert!(events[0].coded_by_rule);
    let b = report(
        2,
        "2025-06-14",
        "Macon, GA",
        Some("No Kings"),
        Some((350, 350)),
    );
    let events = link(&[a, b]);
    assert!(!events[0].coded_by_rule);
}

#[test]
fn decisions_survive_rebuilds() {
    let reports = vec![
        report(
            1,
            "2025-06-14",
            "Austin, TX",
            Some("No Kings"),
            Some((20_000, 20_000)),
        ),
        report(
            2,
            "2025-06-14",
            "Austin, TX",
            Some("No Kings"),
            Some((2, 2)),
        ),
        report(
            3,
            "2025-06-14",
            "Round Rock, TX",
            Some("No Kings"),
            Some((500, 500)),
        ),
        report(
            4,
            "2025-06-14",
            "Austin, TX",
            Some("No Kings"),
            Some((1_000_000, 1_000_000)),
        ),
    ];
    let decisions = vec![
        Decision::Split {
            report: ReportId(2),
        },
        Decision::Merge {
            reports: vec![ReportId(1), ReportId(3)],
        },
        Decision::Reject {
            report: ReportId(4),
        },
    ];
    let config = LinkConfig::default();
    let events = link_reports(&reports, &decisions, &config);
    let memberships: Vec<Vec<ReportId>> = events.iter().map(|e| e.reports.clone()).collect();
    assert!(memberships.contains(&vec![ReportId(1), ReportId(3)]));
    assert!(memberships.contains(&vec![ReportId(2)]));
    assert_eq!(memberships.len(), 2);
    assert_eq!(link_reports(&reports, &decisions, &config), events);

    // The same through the incremental linker, decision by decision.
    let mut linker = Linker::with_reports(config.clone(), Vec::new(), reports.clone());
    for d in decisions {
        linker.add_decision(d);
    }
    assert_eq!(linker.events(), events);
}

#[test]
fn merge_of_events_becomes_a_merge_of_their_reports() {
    let reports = vec![
        report(
            1,
            "2025-06-14",
            "Austin, TX",
            Some("No Kings"),
            Some((20_000, 20_000)),
        ),
        report(
            2,
            "2025-06-14",
            "Dallas, TX",
            Some("No Kings"),
            Some((8_000, 8_000)),
        ),
    ];
    let events = link(&reports);
    let ids: Vec<_> = events.iter().map(|e| e.id.clone()).collect();
    let merge = Decision::merge_events(&ids, &events);
    let merged = link_reports(&reports, &[merge], &LinkConfig::default());
    assert_eq!(merged.len(), 1);
}

#[test]
fn incremental_update_reports_what_changed() {
    let mut linker = Linker::new(LinkConfig::default(), vec![]);
    let first = linker.add_reports(vec![report(
        1,
        "2025-06-14",
        "Tulsa, OK",
        Some("No Kings"),
        Some((900, 900)),
    )]);
    assert_eq!(first.upserted.len(), 1);
    assert!(first.removed.is_empty());
    let old_id = first.upserted[0].id.clone();
    let second = linker.add_reports(vec![report(
        2,
        "2025-06-14",
        "Tulsa, OK",
        Some("No Kings"),
        Some((1_500, 1_500)),
    )]);
    // The anchor (smallest report id) is unchanged, so the event keeps its id.
    assert!(second.removed.is_empty());
    assert_eq!(second.upserted.len(), 1);
    assert_eq!(second.upserted[0].id, old_id);
    assert_eq!(second.upserted[0].size_high, Some(1_500));
}

// ---- Properties ----

const CITIES: &[&str] = &["Austin, TX", "Dallas, TX", "Boise, ID", "Washington, DC"];
const TITLES: &[Option<&str>] = &[
    Some("No Kings"),
    Some("No Kings rally"),
    Some("Military parade"),
    None,
];

const HEADLINES: &[&str] = &[
    "Thousands rally across the state",
    "Military parade draws crowds",
    "No Kings protesters fill downtown",
];

fn arb_reports() -> impl Strategy<Value = Vec<Report>> {
    prop::collection::vec(
        (
            0..CITIES.len(),
            0..TITLES.len(),
            0u32..3,
            prop::option::of((1u64..50_000, 0u64..5_000)),
            prop::option::of(0..3usize),
            prop::option::of(0..HEADLINES.len()),
        ),
        0..40,
    )
    .prop_map(|rows| {
        rows.into_iter()
            .enumerate()
            .map(|(i, (city, title, day, size, batch, headline))| {
                let date = format!("2025-06-{}", 14 + day);
                let r = report(
                    i as i64 + 1,
                    &date,
                    CITIES[city],
                    TITLES[title],
                    size.map(|(l, w)| (l, l + w)),
                );
                let r = match headline {
                    // Articles carry a headline and no title, and are never batched.
                    Some(h) if batch.is_none() => headlined(r, HEADLINES[h]),
                    _ => r,
                };
                match batch {
                    Some(b) => batched(r, &format!("batch-{b}")),
                    None => r,
                }
            })
            .collect()
    })
}

proptest! {
    #[test]
    fn order_does_not_matter(reports in arb_reports(), seed in any::<u64>()) {
        let events = link(&reports);
        let mut shuffled = reports.clone();
        // A deterministic shuffle from the seed (Fisher–Yates with an LCG).
        let mut state = seed | 1;
        for i in (1..shuffled.len()).rev() {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let j = (state >> 33) as usize % (i + 1);
            shuffled.swap(i, j);
        }
        prop_assert_eq!(link(&shuffled), events);
    }

    #[test]
    fn linking_is_deterministic_idempotent_and_ordered(reports in arb_reports()) {
        let events = link(&reports);
        prop_assert_eq!(&link(&reports), &events);
        let mut seen = std::collections::BTreeSet::new();
        for e in &events {
            prop_assert!(seen.insert(e.id.clone()), "duplicate event id");
            if let (Some(low), Some(high)) = (e.size_low, e.size_high) {
                prop_assert!(low <= high);
            }
            // Idempotent: relinking one event's own reports gives that event back.
            let members: Vec<Report> = reports.iter().filter(|r| e.reports.contains(&r.id.unwrap())).cloned().collect();
            let again = link(&members);
            prop_assert_eq!(again.len(), 1);
            prop_assert_eq!(&again[0], e);
        }
        // Every report lands in exactly one event.
        let total: usize = events.iter().map(|e| e.reports.len()).sum();
        prop_assert_eq!(total, reports.len());
    }

    #[test]
    fn incremental_equals_full(reports in arb_reports(), cut in 0usize..40) {
        let cut = cut.min(reports.len());
        let mut linker = Linker::new(LinkConfig::default(), vec![]);
        let mut events: std::collections::BTreeMap<_, _> = Default::default();
        for chunk in [&reports[..cut], &reports[cut..]] {
            let update = linker.add_reports(chunk.to_vec());
            for id in update.removed { events.remove(&id); }
            for e in update.upserted { events.insert(e.id.clone(), e); }
        }
        let full = link(&reports);
        prop_assert_eq!(linker.events(), full.clone());
        let mut applied: Vec<_> = events.into_values().collect();
        applied.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
        prop_assert_eq!(applied, full);
    }
}
