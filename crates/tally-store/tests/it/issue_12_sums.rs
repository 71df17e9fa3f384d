//! Issue 12: per-day sums kept up to date as events are written, whole or as updates,
//! and slim rows for totals.

use crate::receipt;
use rusqlite::Connection;
use std::collections::BTreeMap;
use std::path::Path;
use tally_model::{Event, EventId, Place, ReportId, Selection};
use tally_store::{KnownSums, Ledger};

/// A small deterministic generator (no dependency needed for a test's variety).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

/// An event with a varied day, place (names differing in case and spacing, some
/// missing) and size (some missing).
fn event(rng: &mut Lcg, id: u64) -> Event {
    let dates = ["2025-06-14", "2025-06-15", "2025-04-05"];
    let places = [
        (Some("Chicago"), Some("IL")),
        (Some("chicago "), Some("IL")),
        (Some("Springfield"), Some("IL")),
        (Some("Springfield"), Some("MO")),
        (None, Some("TX")),
        (Some("Nowhere"), None),
        (None, None),
    ];
    let (locality, state) = places[rng.next(places.len() as u64) as usize];
    let size = match rng.next(4) {
        0 => None,
        _ => {
            let low = 10 + rng.next(5_000);
            Some((low, low + rng.next(2_000)))
        }
    };
    Event {
        id: EventId(format!("ev-{id}")),
        date: match rng.next(8) {
            0 => None,
            i => Some(dates[i as usize % 3].parse().unwrap()),
        },
        place: Place::from_parts(locality, state.map(|s| s.parse().unwrap())),
        event_type: Some("protest".into()),
        title: Some(if id % 3 == 0 { "No Kings" } else { "Hands Off" }.into()),
        organizers: None,
        reports: (0..=rng.next(3) as i64).map(ReportId).collect(),
        size_low: size.map(|s| s.0),
        size_high: size.map(|s| s.1),
        low_from: None,
        high_from: None,
        coded_by_rule: false,
    }
}

/// The per-day sums as stored, and as a full scan of the events computes them (the
/// backfill query of migration 0006).
fn stored_and_scanned(path: &Path) -> (Vec<Vec<String>>, Vec<Vec<String>>) {
    let conn = Connection::open(path).unwrap();
    let read = |sql: &str| -> Vec<Vec<String>> {
        let mut stmt = conn.prepare(sql).unwrap();
        let rows = stmt
            .query_map([], |row| {
                (0..7)
                    .map(|i| {
                        row.get::<_, rusqlite::types::Value>(i)
                            .map(|v| format!("{v:?}"))
                    })
                    .collect::<Result<Vec<_>, _>>()
            })
            .unwrap();
        rows.map(Result::unwrap).collect()
    };
    let stored = read("SELECT * FROM event_sums ORDER BY 1, 2, 3");
    let scanned = read(
        "SELECT coalesce(date, ''), coalesce(state, ''), lower(trim(coalesce(locality, ''))),
                count(*),
                count(CASE WHEN size_low IS NOT NULL AND size_high IS NOT NULL THEN 1 END),
                coalesce(sum(CASE WHEN size_low IS NOT NULL AND size_high IS NOT NULL THEN size_low END), 0),
                coalesce(sum(CASE WHEN size_low IS NOT NULL AND size_high IS NOT NULL THEN size_high END), 0)
         FROM events GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
    );
    (stored, scanned)
}

/// Known sums of `selection` computed from the events themselves.
fn expected_sums(events: &BTreeMap<String, Event>, selection: &Selection) -> KnownSums {
    let chosen: Vec<&Event> = events.values().filter(|e| selection.matches(e)).collect();
    let mut localities = std::collections::HashSet::new();
    let mut states = std::collections::HashSet::new();
    let mut sums = KnownSums::default();
    for e in &chosen {
        sums.events += 1;
        if let Some(l) = e.place.best_locality() {
            localities.insert((e.place.best_state(), l.trim().to_ascii_lowercase()));
        }
        if let Some(s) = e.place.best_state() {
            states.insert(s);
        }
        if let (Some(l), Some(h)) = (e.size_low, e.size_high) {
            sums.events_with_size += 1;
            sums.known_low += l;
            sums.known_high += h;
        }
    }
    sums.localities = localities.len() as u64;
    sums.states = states.len() as u64;
    sums
}

fn selections() -> Vec<Selection> {
    let june = Selection {
        from: Some("2025-06-01".parse().unwrap()),
        to: Some("2025-06-30".parse().unwrap()),
        ..Selection::default()
    };
    vec![
        Selection::default(),
        Selection::on("2025-06-14".parse().unwrap()),
        june.clone(),
        Selection {
            state: Some("IL".parse().unwrap()),
            ..june
        },
    ]
}

fn check(path: &Path, ledger: &Ledger, events: &BTreeMap<String, Event>, step: &str) {
    let (stored, scanned) = stored_and_scanned(path);
    assert_eq!(stored, scanned, "event_sums after {step}");
    for selection in selections() {
        assert_eq!(
            ledger.known_sums(&selection).unwrap(),
            expected_sums(events, &selection),
            "known sums of {selection:?} after {step}"
        );
    }
}

#[test]
fn issue_12_per_day_sums_match_a_full_scan_after_replaces_and_updates() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sums.db");
    let mut ledger = Ledger::open(&path).unwrap();
    let mut rng = Lcg(12);
    let mut events: BTreeMap<String, Event> = BTreeMap::new();
    for id in 0..200 {
        let e = event(&mut rng, id);
        events.insert(e.id.0.clone(), e);
    }
    let all: Vec<Event> = events.values().cloned().collect();
    ledger.replace_events(&all).unwrap();
    check(&path, &ledger, &events, "a full write");

    let mut next_id = 200;
    for step in 0..12 {
        // Remove some events (and one id that was never there), change some in place,
        // add new ones, and give one id twice (the last one counts).
        let ids: Vec<String> = events.keys().cloned().collect();
        let mut removed: Vec<EventId> = vec![EventId("ev-missing".into())];
        let mut upserted: Vec<Event> = Vec::new();
        for _ in 0..rng.next(15) {
            let id = &ids[rng.next(ids.len() as u64) as usize];
            if events.remove(id).is_some() {
                removed.push(EventId(id.clone()));
            }
        }
        for _ in 0..rng.next(15) {
            let id = &ids[rng.next(ids.len() as u64) as usize];
            let mut changed = event(&mut rng, next_id);
            changed.id = EventId(id.clone());
            upserted.push(changed);
            next_id += 1;
        }
        for _ in 0..rng.next(10) {
            upserted.push(event(&mut rng, next_id));
            next_id += 1;
        }
        if let Some(first) = upserted.first().cloned() {
            let mut again = event(&mut rng, next_id);
            again.id = first.id.clone();
            upserted.push(again);
        }
        for e in &upserted {
            events.insert(e.id.0.clone(), e.clone());
        }
        let tx = ledger
            .begin_ingest(&receipt(&format!("f{step}.csv"), "2025-06-15"))
            .unwrap();
        tx.update_events(&removed, &upserted).unwrap();
        tx.commit(0, 0).unwrap();
        check(&path, &ledger, &events, &format!("update {step}"));
    }

    // And a full replace after the updates starts the sums afresh.
    let some: Vec<Event> = events.values().take(50).cloned().collect();
    events = some.iter().map(|e| (e.id.0.clone(), e.clone())).collect();
    ledger.replace_events(&some).unwrap();
    check(&path, &ledger, &events, "a second full write");
}

/// Issue 12: a first ingest's events, held as rows and written in bulk (at least
/// 20,000 of them: their sums are worked out on a thread of their own, grouped by the
/// rows' place numbers, while the rows are inserted), keep the per-day sums a full scan
/// of the events gives, places that differ only in case or spacing in one row.
#[test]
fn issue_12_a_bulk_write_of_held_rows_keeps_the_sums_of_a_full_scan() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bulk.db");
    let mut ledger = Ledger::open(&path).unwrap();
    let mut rng = Lcg(27);
    let mut events: BTreeMap<String, Event> = BTreeMap::new();
    let mut rows = tally_store::EventRows::new();
    for id in 0..20_500 {
        let e = event(&mut rng, id);
        rows.push(&e);
        events.insert(e.id.0.clone(), e);
    }
    let tx = ledger
        .begin_ingest(&receipt("bulk.csv", "2025-06-15"))
        .unwrap();
    tx.write_event_rows(&rows, &mut |_| {}).unwrap();
    tx.commit(0, 0).unwrap();
    check(&path, &ledger, &events, "a bulk write of held rows");
}

/// A ledger at `path` holding `count` varied events (from `seed`), and those events by id.
fn ledger_of_events(path: &Path, seed: u64, count: u64) -> BTreeMap<String, Event> {
    let mut rng = Lcg(seed);
    let events: BTreeMap<String, Event> = (0..count)
        .map(|id| {
            let e = event(&mut rng, id);
            (e.id.0.clone(), e)
        })
        .collect();
    let mut ledger = Ledger::open(path).unwrap();
    ledger
        .replace_events(&events.values().cloned().collect::<Vec<_>>())
        .unwrap();
    events
}

#[test]
fn issue_12_migration_0006_backfills_sums_and_report_counts() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    let events = ledger_of_events(&path, 5, 100);
    // Make it a ledger from before migration 0006.
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(
            "DROP TABLE event_sums;
             ALTER TABLE events DROP COLUMN report_count;
             UPDATE meta SET value = '1,2,3,4,5' WHERE key = 'migrations';
             PRAGMA user_version = 5;",
        )
        .unwrap();
    }
    // Read-only, nothing is migrated and the sums still come out right (by a scan).
    let reader = Ledger::open_read_only(&path).unwrap();
    for selection in selections() {
        assert_eq!(
            reader.known_sums(&selection).unwrap(),
            expected_sums(&events, &selection)
        );
    }
    let mut reports = 0u64;
    reader
        .for_each_slim_event(&Selection::default(), |e| reports += u64::from(e.reports))
        .unwrap();
    drop(reader);
    let expected_reports: u64 = events.values().map(|e| e.reports.len() as u64).sum();
    assert_eq!(reports, expected_reports);

    // Opened for writing, the migration fills both in.
    let ledger = Ledger::open(&path).unwrap();
    let (stored, scanned) = stored_and_scanned(&path);
    assert!(!stored.is_empty());
    assert_eq!(stored, scanned);
    check(&path, &ledger, &events, "the migration");
    let mut reports = 0u64;
    ledger
        .for_each_slim_event(&Selection::default(), |e| reports += u64::from(e.reports))
        .unwrap();
    assert_eq!(reports, expected_reports);
}

#[test]
fn issue_12_slim_rows_are_the_events_figures() {
    let mut ledger = Ledger::open_in_memory().unwrap();
    let mut rng = Lcg(7);
    let events: Vec<Event> = (0..60).map(|id| event(&mut rng, id)).collect();
    ledger.replace_events(&events).unwrap();
    for selection in [
        Selection::default(),
        Selection {
            text: Some("kings".into()),
            ..Selection::default()
        },
        Selection {
            locality: Some("CHICAGO".into()),
            ..Selection::default()
        },
    ] {
        let mut slim = Vec::new();
        ledger
            .for_each_slim_event(&selection, |e| {
                slim.push((
                    e.date,
                    e.state,
                    e.locality.map(str::to_string),
                    e.reports as usize,
                    e.title.map(str::to_string),
                    e.size_low,
                    e.size_high,
                ))
            })
            .unwrap();
        let mut expected: Vec<_> = ledger
            .events(&selection)
            .unwrap()
            .into_iter()
            .map(|e| {
                (
                    e.date,
                    e.place.best_state(),
                    e.place.best_locality().map(str::to_string),
                    e.reports.len(),
                    e.title,
                    e.size_low,
                    e.size_high,
                )
            })
            .collect();
        assert!(!expected.is_empty(), "{selection:?}");
        slim.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
        expected.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
        assert_eq!(slim, expected, "{selection:?}");
    }
}

/// The events' secondary indexes, by name and SQL.
fn event_indexes(path: &Path) -> Vec<(String, String)> {
    crate::issue_12::indexes_of(path, "events")
        .into_iter()
        .filter_map(|(name, sql)| Some((name, sql?)))
        .collect()
}

/// Issue 12 (additions cost what they add): migration 0009 drops the events' totals
/// index, which every event written had to be filed in, and a ledger without it answers
/// every selection as before: the events by date, by state over all days (read by one
/// scan of the table, in the listing's order) and the known sums.
#[test]
fn issue_12_without_the_totals_index_selections_answer_as_before() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("indexes.db");
    let events = ledger_of_events(&path, 9, 150);
    assert_eq!(
        event_indexes(&path),
        vec![(
            "events_by_date".to_string(),
            "CREATE INDEX events_by_date ON events(date)".to_string()
        )]
    );
    let mut selections = selections();
    for state in ["IL", "MO", "TX"] {
        selections.push(Selection {
            state: Some(state.parse().unwrap()),
            ..Selection::default()
        });
    }
    selections.push(Selection {
        locality: Some("CHICAGO".into()),
        ..Selection::default()
    });
    selections.push(Selection {
        from: Some("2025-06-01".parse().unwrap()),
        state: Some("IL".parse().unwrap()),
        ..Selection::default()
    });
    let answers = |ledger: &Ledger| -> Vec<(KnownSums, Vec<Event>, usize)> {
        selections
            .iter()
            .map(|selection| {
                // Streamed in SQL's order, as sorted here, and as a scan finds them.
                let mut streamed = Vec::new();
                ledger
                    .for_each_event(selection, |e| {
                        streamed.push(e);
                        std::ops::ControlFlow::Continue(())
                    })
                    .unwrap();
                assert_eq!(streamed, ledger.events(selection).unwrap(), "{selection:?}");
                let mut slim = 0;
                ledger
                    .for_each_slim_event(selection, |_| slim += 1)
                    .unwrap();
                (ledger.known_sums(selection).unwrap(), streamed, slim)
            })
            .collect()
    };
    let now = answers(&Ledger::open_read_only(&path).unwrap());
    for (selection, (sums, listed, slim)) in selections.iter().zip(&now) {
        assert_eq!(*sums, expected_sums(&events, selection), "{selection:?}");
        let mut ids: Vec<&EventId> = listed.iter().map(|e| &e.id).collect();
        ids.sort();
        let expected: Vec<&EventId> = events
            .values()
            .filter(|e| selection.matches(e))
            .map(|e| &e.id)
            .collect();
        assert_eq!(ids, expected, "{selection:?}");
        assert_eq!(*slim, expected.len(), "{selection:?}");
    }

    // A ledger from before migration 0009, with the totals index, answers the same
    // before and after it is migrated.
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(
            "CREATE INDEX events_for_totals ON events(state, locality, date, size_low, size_high);
             UPDATE meta SET value = '1,2,3,4,5,6,7,8' WHERE key = 'migrations';
             PRAGMA user_version = 8;",
        )
        .unwrap();
    }
    assert_eq!(event_indexes(&path).len(), 2);
    assert_eq!(answers(&Ledger::open_read_only(&path).unwrap()), now);
    let migrated = Ledger::open(&path).unwrap();
    assert_eq!(
        migrated.schema_version().unwrap(),
        tally_store::SCHEMA_VERSION
    );
    assert_eq!(event_indexes(&path).len(), 1);
    assert_eq!(answers(&migrated), now);
}

/// Issue 12: a large update over stored events (at least 20,000: written into the main
/// tables, its new rows' sums worked out and put in key order beside the single writer,
/// then merged with what the replaced and removed rows held) keeps the per-day sums a
/// full scan of the events gives.
#[test]
fn issue_12_a_large_update_over_stored_events_keeps_the_sums_of_a_full_scan() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("large-update.db");
    let mut events = ledger_of_events(&path, 31, 300);
    let mut ledger = Ledger::open(&path).unwrap();
    let mut rng = Lcg(32);
    let ids: Vec<String> = events.keys().cloned().collect();
    let removed: Vec<EventId> = ids[..50].iter().map(|id| EventId(id.clone())).collect();
    for id in &ids[..50] {
        events.remove(id);
    }
    let mut upserted: Vec<Event> = Vec::new();
    for (n, id) in ids[50..150].iter().enumerate() {
        let mut changed = event(&mut rng, 1_000 + n as u64);
        changed.id = EventId(id.clone());
        upserted.push(changed);
    }
    upserted.extend((0..20_000).map(|n| event(&mut rng, 10_000 + n)));
    for e in &upserted {
        events.insert(e.id.0.clone(), e.clone());
    }
    let tx = ledger
        .begin_ingest(&receipt("large.csv", "2025-06-15"))
        .unwrap();
    tx.update_events(&removed, &upserted).unwrap();
    tx.commit(0, 0).unwrap();
    check(&path, &ledger, &events, "a large update over stored events");
}
