//! Issue 12: reviewer decisions, recorded estimates and answers as of an earlier time
//! relink only the blocks they touch, and give what relinking the whole ledger gives.

use super::{at, ingest};
use tally_link::{link_reports, LinkConfig};
use tally_model::{Event, Place, Report, Selection, Source, SourceId, SourceKind};
use tally_pipeline::{
    decisions, events_for, rebuild_events, record_decision, record_source, DecisionRequest,
};
use tally_store::{FileReceipt, Ledger};

/// Statements over three days in three towns: articles dated a day late chain the
/// days, and the towns' rows keep blocks apart.
const MONDAY: &str = "\
2025-06-14,Chicago,IL,No Kings,15000,15000,police figure,police,Paper A,https://a.example/1
2025-06-14,Peoria,IL,No Kings,,,hundreds,media,Paper C,https://c.example/1
2025-06-15,Chicago,IL,No Kings,20000,20000,a day late,media,Paper G,https://g.example/1
2025-06-16,Springfield,IL,Teach-in,40,60,a few dozen,media,Paper H,https://h.example/1
";
const TUESDAY: &str = "\
2025-06-14,Chicago,IL,No Kings,75000,75000,organizers' figure,organizers,Paper B,https://b.example/1
2025-06-15,Peoria,IL,No Kings,300,300,about 300,media,Paper F,https://f.example/1
2025-06-16,Chicago,IL,Vigil,200,200,about 200,media,Paper I,https://i.example/1
2025-06-16,Springfield,IL,Teach-in,50,50,fifty,organizers,Paper J,https://j.example/1
";

fn ledger() -> Ledger {
    let mut ledger = Ledger::open_in_memory().unwrap();
    ingest(
        &mut ledger,
        "monday.csv",
        MONDAY,
        "2025-06-16T20:00:00Z",
        false,
    );
    ingest(
        &mut ledger,
        "tuesday.csv",
        TUESDAY,
        "2025-06-17T20:00:00Z",
        false,
    );
    ledger
}

fn all_events(ledger: &Ledger) -> Vec<Event> {
    events_for(ledger, &Selection::default()).unwrap()
}

/// The events after a full rebuild of (a copy of) what `ledger` holds.
fn rebuilt(ledger: &mut Ledger) -> Vec<Event> {
    let before = all_events(ledger);
    rebuild_events(ledger).unwrap();
    let after = all_events(ledger);
    assert_eq!(
        before, after,
        "the relinked events differ from a full rebuild"
    );
    after
}

fn event_of(ledger: &Ledger, place: &str, date: &str) -> Event {
    all_events(ledger)
        .into_iter()
        .find(|e| e.place.raw.starts_with(place) && e.date == Some(date.parse().unwrap()))
        .unwrap_or_else(|| panic!("no event in {place} on {date}"))
}

#[test]
fn issue_12_decisions_relink_their_blocks_as_a_full_rebuild_would() {
    let mut ledger = ledger();
    let chicago = event_of(&ledger, "Chicago", "2025-06-14");
    let peoria = event_of(&ledger, "Peoria", "2025-06-14");
    let requests = [
        DecisionRequest::Merge {
            ids: vec![chicago.id.0.clone(), peoria.id.0.clone()],
        },
        DecisionRequest::Split {
            report: chicago.reports[0].0,
        },
        DecisionRequest::Reject {
            report: peoria.reports[0].0,
        },
        DecisionRequest::Merge {
            ids: vec![
                chicago.reports[0].0.to_string(),
                event_of(&ledger, "Springfield", "2025-06-16").reports[0]
                    .0
                    .to_string(),
            ],
        },
    ];
    for request in requests {
        let outcome =
            record_decision(&mut ledger, Some(request.clone()), at("2025-06-18")).unwrap();
        let events = rebuilt(&mut ledger);
        assert_eq!(outcome.events, events.len(), "{request:?}");
        // The same as linking every report under every decision.
        let everything = link_reports(
            &ledger.reports(None).unwrap(),
            &decisions(&ledger, None).unwrap(),
            &LinkConfig::default(),
        );
        let mut sorted = events.clone();
        sorted.sort_by(|a, b| a.id.cmp(&b.id));
        let mut expected = everything;
        expected.sort_by(|a, b| a.id.cmp(&b.id));
        assert_eq!(sorted, expected, "{request:?}");
    }
}

#[test]
fn issue_12_a_recorded_estimate_links_like_an_ingest() {
    let mut ledger = ledger();
    let mut place = Place::from_parts(Some("Chicago"), Some("IL".parse().unwrap()));
    place.raw = "Chicago, IL".into();
    let source = Source {
        id: SourceId("area-estimate-for-a-test".into()),
        kind: SourceKind::Analysis,
        origin: "tally area".into(),
        locator: None,
        content: "{}".into(),
        received_at: at("2025-06-18"),
    };
    let mut report = Report::new(source.id.clone(), place, at("2025-06-18"));
    report.date = Some("2025-06-14".parse().unwrap());
    report.estimates = vec![tally_model::Estimate::range(40_000, 60_000).unwrap()];
    tally_pipeline::resolve_report_place(tally_places::Gazetteer::embedded(), &mut report);
    let receipt = FileReceipt {
        origin: "tally area".into(),
        content_hash: source.id.0.clone(),
        format: "analysis".into(),
        encoding: "utf-8".into(),
        received_at: at("2025-06-18"),
    };
    let outcome = record_source(&mut ledger, &receipt, &source, &[report.clone()]).unwrap();
    assert!(matches!(outcome, tally_store::AddOutcome::Added(_)));
    assert!(!ledger.events_are_stale().unwrap());
    let chicago = event_of(&ledger, "Chicago", "2025-06-14");
    assert_eq!(chicago.reports.len(), 4, "{chicago:?}");
    rebuilt(&mut ledger);
    // Recorded twice, it adds nothing.
    let again = record_source(&mut ledger, &receipt, &source, &[report]).unwrap();
    assert!(matches!(again, tally_store::AddOutcome::Duplicate));
}

#[test]
fn issue_12_as_of_links_only_the_selected_days_as_a_full_relink_would() {
    let mut ledger = ledger();
    let chicago = event_of(&ledger, "Chicago", "2025-06-14");
    record_decision(
        &mut ledger,
        Some(DecisionRequest::Split {
            report: chicago.reports[1].0,
        }),
        at("2025-06-17T21:00:00Z"),
    )
    .unwrap();
    for as_of in [
        "2025-06-16T21:00:00Z",
        "2025-06-17T20:30:00Z",
        "2025-06-18T00:00:00Z",
    ] {
        for (from, to) in [
            (None, None),
            (Some("2025-06-14"), Some("2025-06-14")),
            (Some("2025-06-15"), Some("2025-06-15")),
            (Some("2025-06-15"), Some("2025-06-16")),
            (None, Some("2025-06-14")),
            (Some("2025-06-16"), None),
        ] {
            let selection = Selection {
                from: from.map(|d| d.parse().unwrap()),
                to: to.map(|d| d.parse().unwrap()),
                as_of: Some(at(as_of)),
                ..Selection::default()
            };
            // The old way: link every report known then, and keep the selection's.
            let mut expected = link_reports(
                &ledger.reports(Some(at(as_of))).unwrap(),
                &decisions(&ledger, Some(at(as_of))).unwrap(),
                &LinkConfig::default(),
            );
            expected.retain(|e| selection.matches(e));
            assert_eq!(
                events_for(&ledger, &selection).unwrap(),
                expected,
                "as of {as_of}, {from:?}..{to:?}"
            );
        }
    }
}

const WEDNESDAY: &str = "\
2025-06-15,Chicago,IL,No Kings,18000,18000,a second late figure,media,Paper K,https://k.example/1
2025-06-16,Peoria,IL,Vigil,35,35,three dozen,media,Paper L,https://l.example/1
2025-06-17,Springfield,IL,Teach-in,55,55,fifty-five,media,Paper M,https://m.example/1
";

/// Every answer the ledger gives from its events, per-day sums and link rows, as
/// comparable text: listings (sorted, streamed in order, in any order), slim rows, known
/// sums, each event by id, the event of each report, the counts, and what linking reads
/// of the reports at each place.
fn every_answer(ledger: &Ledger) -> Vec<String> {
    let selections = [
        Selection::default(),
        Selection {
            from: Some("2025-06-15".parse().unwrap()),
            to: Some("2025-06-16".parse().unwrap()),
            ..Selection::default()
        },
        Selection {
            state: Some("IL".parse().unwrap()),
            ..Selection::default()
        },
        Selection {
            from: Some("2025-06-16".parse().unwrap()),
            state: Some("IL".parse().unwrap()),
            ..Selection::default()
        },
        Selection {
            locality: Some("chicago".into()),
            ..Selection::default()
        },
        Selection {
            text: Some("kings".into()),
            ..Selection::default()
        },
        Selection {
            event_type: Some("vigil".into()),
            ..Selection::default()
        },
    ];
    let mut answers = Vec::new();
    let mut ids = Vec::new();
    for selection in &selections {
        let listed = ledger.events(selection).unwrap();
        ids.extend(listed.iter().map(|e| e.id.clone()));
        answers.push(format!("{selection:?} listed {listed:?}"));
        let mut streamed = Vec::new();
        ledger
            .for_each_event(selection, |e| {
                streamed.push(e);
                std::ops::ControlFlow::Continue(())
            })
            .unwrap();
        assert_eq!(streamed, listed, "{selection:?}");
        let mut any_order = ledger.events_in_any_order(selection).unwrap();
        any_order.sort_by(|a, b| a.id.cmp(&b.id));
        answers.push(format!("{selection:?} in any order {any_order:?}"));
        let mut slim = Vec::new();
        ledger
            .for_each_slim_event(selection, |e| slim.push(format!("{e:?}")))
            .unwrap();
        slim.sort();
        answers.push(format!("{selection:?} slim {slim:?}"));
        answers.push(format!(
            "{selection:?} sums {:?}",
            ledger.known_sums(selection).unwrap()
        ));
    }
    ids.sort();
    ids.dedup();
    for id in &ids {
        answers.push(format!("{id:?}: {:?}", ledger.event(id).unwrap()));
    }
    answers.push(format!(
        "no such event: {:?}",
        ledger
            .event(&tally_model::EventId("ev-none".into()))
            .unwrap()
    ));
    for report in ledger.reports(None).unwrap() {
        let id = report.id.unwrap();
        answers.push(format!(
            "report {}: event {:?}, source {:?}",
            id.0,
            ledger.event_of_report(id).unwrap(),
            ledger.source(&report.source_id).unwrap()
        ));
    }
    // What linking reads of the reports at each place, every day (the link rows).
    let places = ledger.linking_places().unwrap().expect("link rows kept");
    let by_number: rustc_hash::FxHashMap<i64, tally_model::Place> =
        places.iter().cloned().collect();
    for (place, _) in &places {
        let every_day = tally_store::DayRange {
            place: *place,
            first: String::new(),
            last: "~".into(),
            every_batch: true,
        };
        answers.push(format!(
            "at place {place}: {:?}",
            ledger.linking_reports_at(&[every_day], &by_number).unwrap()
        ));
    }
    answers.push(format!("{:?}", ledger.counts().unwrap()));
    answers
}

/// How many sources' addresses are kept apart (migration 0012).
fn recent_addresses(path: &std::path::Path) -> i64 {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.query_row("SELECT count(*) FROM source_addresses_recent", [], |row| {
        row.get(0)
    })
    .unwrap()
}

/// How many rows the tables of recent changes hold (migration 0011), and how many of
/// them mark an event gone.
fn recent_rows(path: &std::path::Path) -> (i64, i64, i64, i64) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.query_row(
        "SELECT (SELECT count(*) FROM events_recent),
                (SELECT count(*) FROM events_recent WHERE NOT present),
                (SELECT count(*) FROM event_sums_recent),
                (SELECT count(*) FROM link_rows_recent)",
        [],
        |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
    )
    .unwrap()
}

/// Issue 12 (additions cost what they add): small relinks keep their changes apart
/// (migration 0011), and every reader sees exactly the ledger it would see with them
/// merged into the main tables, and the one a full rebuild gives; the same after a merge
/// and later adds.
#[test]
fn issue_12_readers_see_recent_changes_as_if_merged_and_as_a_full_rebuild() {
    // Every relink that reads a stored report reads on two connections (in the ledger
    // only from 512 reports on, on two cores).
    tally_store::testing::split_reads_from(1);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("recent.db");
    let mut ledger = tally_pipeline::open_ledger(&path).unwrap();
    // The first file goes into the main tables; the next ones, and a decision, are
    // small relinks kept apart: events changed, new, and removed by the merge.
    ingest(
        &mut ledger,
        "monday.csv",
        MONDAY,
        "2025-06-16T20:00:00Z",
        false,
    );
    assert_eq!(recent_rows(&path), (0, 0, 0, 0));
    ingest(
        &mut ledger,
        "tuesday.csv",
        TUESDAY,
        "2025-06-17T20:00:00Z",
        false,
    );
    // The add reads no report whole (issue 12: its link rows hold what the events it
    // changes are built from); the add after the decision below reads the reports the
    // decision merged whole, by id.
    assert_eq!(tally_store::testing::split_reads(), 0);
    let chicago = event_of(&ledger, "Chicago", "2025-06-14");
    let peoria = event_of(&ledger, "Peoria", "2025-06-14");
    record_decision(
        &mut ledger,
        Some(DecisionRequest::Merge {
            ids: vec![chicago.id.0.clone(), peoria.id.0.clone()],
        }),
        at("2025-06-18"),
    )
    .unwrap();
    let (events, gone, sums, link_rows) = recent_rows(&path);
    assert!(events > 0 && gone > 0 && sums > 0 && link_rows > 0);
    assert!(recent_addresses(&path) > 0);
    let kept_apart = every_answer(&ledger);
    let verification = tally_pipeline::verify_ledger(&ledger).unwrap();
    assert!(verification.is_sound(), "{:?}", verification.problems);

    // Merged: the same answers, and nothing left apart.
    assert_eq!(ledger.merge_recent_changes().unwrap(), events as u64);
    assert_eq!(recent_rows(&path), (0, 0, 0, 0));
    assert_eq!(recent_addresses(&path), 0);
    assert_eq!(every_answer(&ledger), kept_apart);
    // A file already held is found among the merged addresses: nothing is added.
    let again = ingest(
        &mut ledger,
        "tuesday.csv",
        TUESDAY,
        "2025-06-17T21:00:00Z",
        false,
    );
    assert_eq!(again.reports_added, 0);
    assert!(again.duplicates_skipped > 0);
    assert_eq!(recent_addresses(&path), 0);
    let answers = every_answer(&ledger);
    // (All but the counts, which hold one file more.)
    assert_eq!(
        answers[..answers.len() - 1],
        kept_apart[..kept_apart.len() - 1]
    );

    // Then a later add, kept apart again, answers as a full rebuild does.
    ingest(
        &mut ledger,
        "wednesday.csv",
        WEDNESDAY,
        "2025-06-18T20:00:00Z",
        false,
    );
    assert!(recent_rows(&path).0 > 0);
    assert!(recent_addresses(&path) > 0);
    assert!(tally_store::testing::split_reads() > 0);
    let verification = tally_pipeline::verify_ledger(&ledger).unwrap();
    assert!(verification.is_sound(), "{:?}", verification.problems);
    let after_merge = every_answer(&ledger);
    assert_ne!(after_merge, kept_apart);
    rebuild_events(&mut ledger).unwrap();
    // A full rebuild rewrites the events and sums; the link rows are the reports', not
    // the linking's, and stay where the add wrote them.
    let (events, gone, sums, link_rows) = recent_rows(&path);
    assert_eq!((events, gone, sums), (0, 0, 0));
    assert!(link_rows > 0);
    assert_eq!(every_answer(&ledger), after_merge);
}

/// Issue 12: a small add into a ledger on disk reads what its relink asks first ahead,
/// on a connection of its own while the file is stored (the ledger as the file found
/// it); the relink then gives every answer a full rebuild gives, reports a day late and
/// a neighbouring town's included.
#[test]
fn issue_12_a_small_add_reads_its_blocks_ahead_and_answers_as_a_full_rebuild() {
    adds_read_ahead_answer_as_a_full_rebuild("ahead.db");
}

/// Two small adds into a ledger on disk of one file: they read ahead, and every answer is
/// the one a full rebuild gives.
fn adds_read_ahead_answer_as_a_full_rebuild(name: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    let mut ledger = tally_pipeline::open_ledger(&path).unwrap();
    ingest(
        &mut ledger,
        "monday.csv",
        MONDAY,
        "2025-06-16T20:00:00Z",
        false,
    );
    let before = tally_store::testing::reports_read_ahead();
    for (name, text, when) in [
        ("tuesday.csv", TUESDAY, "2025-06-17T20:00:00Z"),
        ("wednesday.csv", WEDNESDAY, "2025-06-18T20:00:00Z"),
    ] {
        ingest(&mut ledger, name, text, when, false);
    }
    assert!(tally_store::testing::reports_read_ahead() > before);
    let incremental = every_answer(&ledger);
    rebuild_events(&mut ledger).unwrap();
    assert_eq!(every_answer(&ledger), incremental);
}

/// One row of the reports layout from small choices: a day of three, a town of four
/// (two of them neighbours), a gathering's name, a size or none, and its own address.
fn generated_row(n: usize, (day, town, name, size): (u8, u8, u8, Option<(u32, u32)>)) -> String {
    let towns = ["Chicago", "Evanston", "Peoria", "Springfield"];
    let names = ["No Kings", "Vigil", "Teach-in"];
    let (low, high) = size.map_or((String::new(), String::new()), |(low, extra)| {
        (low.to_string(), (low + extra).to_string())
    });
    format!(
        "2025-06-{:02},{},IL,{},{low},{high},a figure,media,Paper {n},https://p.example/{n}\n",
        14 + day,
        towns[usize::from(town)],
        names[usize::from(name)],
    )
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(12))]

    /// Issue 12: files added one after another to a ledger on disk, their changes kept
    /// apart (migrations 0011 and 0012) and merged at some point between them, give
    /// every answer a full rebuild gives; a file received again adds nothing.
    #[test]
    fn issue_12_adds_kept_apart_and_merged_answer_as_a_full_rebuild(
        rows in proptest::collection::vec(
            (0u8..3, 0u8..4, 0u8..3, proptest::option::of((1u32..5000, 0u32..500))),
            4..40,
        ),
        cuts in proptest::collection::vec(0usize..40, 1..4),
        merge_after in 0usize..4,
        again in 0usize..4,
    ) {
        // Relinks that read two stored reports or more read them on two connections.
        tally_store::testing::split_reads_from(2);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("adds.db");
        let mut ledger = tally_pipeline::open_ledger(&path).unwrap();
        let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c % rows.len()).collect();
        cuts.push(rows.len());
        cuts.sort_unstable();
        cuts.dedup();
        let mut files = Vec::new();
        let mut start = 0;
        for end in cuts {
            let text: String = (start..end).map(|n| generated_row(n, rows[n])).collect();
            files.push(text);
            start = end;
        }
        for (k, text) in files.iter().enumerate() {
            let name = format!("file-{k}.csv");
            ingest(&mut ledger, &name, text, &format!("2025-06-17T{:02}:00:00Z", 10 + k), false);
            if k == merge_after {
                ledger.merge_recent_changes().unwrap();
            }
        }
        let repeated = &files[again % files.len()];
        let outcome = ingest(&mut ledger, "again.csv", repeated, "2025-06-17T20:00:00Z", false);
        proptest::prop_assert_eq!(outcome.reports_added, 0);
        let verification = tally_pipeline::verify_ledger(&ledger).unwrap();
        proptest::prop_assert!(verification.is_sound(), "{:?}", verification.problems);
        let incremental = every_answer(&ledger);
        rebuild_events(&mut ledger).unwrap();
        proptest::prop_assert_eq!(every_answer(&ledger), incremental);
    }
}

/// Issue 12: the reads ahead of a small add, shared by two readers (each on a connection
/// of its own, both inside the file's transaction) once a batch asks for enough spans,
/// give the relink what one reader gives: every answer a full rebuild gives.
#[test]
fn issue_12_reads_ahead_shared_by_two_readers_answer_as_a_full_rebuild() {
    // Every batch's spans in two halves (128 and more otherwise), for the whole process.
    tally_pipeline::share_reads_ahead_from(1);
    adds_read_ahead_answer_as_a_full_rebuild("shared.db");
}
