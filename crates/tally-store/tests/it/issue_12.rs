//! Issue 12: sources kept once per file in compressed chunks come back byte-exact under
//! their addresses; reports stored as typed columns come back field for field.

use crate::{at, receipt};
use tally_model::{
    Attribution, Confidence, Estimate, EventId, Fips, Place, Report, ResolvedPlace, Scope,
    Selection, Source, SourceId, SourceKind,
};
use tally_store::{AddOutcome, Ledger};

fn source(id: &str, content: String) -> Source {
    Source {
        id: SourceId(id.into()),
        kind: SourceKind::Article,
        origin: "mixed.txt".into(),
        locator: None,
        content,
        received_at: at("2025-06-15"),
    }
}

/// A report that sets every field, with values that are easy to get wrong: an empty
/// string beside a missing one, URLs with a line break or a leading bracket, several
/// estimates, a resolved place with coordinates.
fn full_report(source: &Source) -> Report {
    let mut report = Report::new(
        source.id.clone(),
        Place {
            raw: "Fargo, ND".into(),
            locality: Some("Fargo".into()),
            state: Some("ND".parse().unwrap()),
            online: false,
            resolved: Some(ResolvedPlace {
                locality: Some("Fargo".into()),
                county: Some("Cass County".into()),
                fips: Some(Fips::parse("38017").unwrap()),
                state: "ND".parse().unwrap(),
                lat: Some(46.877_186_123_456_79),
                lon: Some(-96.789_803),
                population: Some(125_990),
                confidence: Confidence::TownshipOf,
            }),
        },
        at("2025-06-15T08:09:10.123456789Z"),
    );
    report.date = Some("2025-06-14".parse().unwrap());
    report.location_detail = Some(String::new());
    report.estimates = vec![
        Estimate::range(1_000, 2_500)
            .unwrap()
            .with_qualifier(Some("about".into()))
            .with_attribution(Attribution::Police),
        Estimate::coded(40_000_000, "millions").with_scope(Scope::Aggregate),
    ];
    report.size_text = Some("1,000 to 2,500".into());
    report.event_count = Some(2_000);
    report.event_type = Some("rally".into());
    report.title = Some("Hands Off — Fargo".into());
    report.headline = Some("Crowds rally on the Red River".into());
    report.organizers = Some("Indivisible".into());
    report.participants = Some("neighbours".into());
    report.claims = Some("against cuts".into());
    report.valence = Some("1".into());
    report.arrests = Some("0".into());
    report.publisher = Some("The Forum".into());
    report.urls = vec!["[bracketed".into(), "a\nb".into(), String::new()];
    report.notes = Some("note\r\nwith a CRLF".into());
    report.rsvp = Some(350);
    report.batch = Some("mixed.txt".into());
    report
}

#[test]
fn issue_12_sources_and_reports_round_trip_exactly() {
    let mut ledger = Ledger::open_in_memory().unwrap();
    let hex = "0123456789abcdef".repeat(4);
    let large: String = (0..40_000).map(|i| format!("row {i} é\n")).collect();
    let sources = vec![
        source(&hex, "Fargo — 1,000 to 2,500 “marchers”\r\n".into()),
        source("not-a-hash", String::new()),
        source(
            &"ABCDEF0123456789".repeat(4),
            "\u{0}zero byte and 🦀".into(),
        ),
        source("big", large),
        source("after-big", "the next chunk".into()),
    ];
    let mut report = full_report(&sources[0]);
    let mut plain = Report::new(
        sources[1].id.clone(),
        Place::default(),
        at("2025-06-15T00:00:00Z"),
    );
    plain.urls = vec!["https://example.org/only".into()];
    let mut tx = ledger
        .begin_ingest(&receipt("mixed.txt", "2025-06-15"))
        .unwrap();
    let mut ids = Vec::new();
    for (i, s) in sources.iter().enumerate() {
        let reports: Vec<Report> = match i {
            0 => vec![report.clone(), plain.clone()],
            _ => Vec::new(),
        };
        match tx.add(s, &reports).unwrap() {
            AddOutcome::Added(added) => ids.extend(added),
            AddOutcome::Duplicate => panic!("{} is not a duplicate", s.id),
        }
    }
    assert_eq!(tx.add(&sources[3], &[]).unwrap(), AddOutcome::Duplicate);
    tx.commit(5, 0).unwrap();

    for s in &sources {
        assert_eq!(ledger.source(&s.id).unwrap().as_ref(), Some(s), "{}", s.id);
    }
    let mut scanned = Vec::new();
    ledger
        .scan_sources(|id, _, content| scanned.push((id.to_string(), content.to_string())))
        .unwrap();
    let expected: Vec<(String, String)> = sources
        .iter()
        .map(|s| (s.id.0.clone(), s.content.clone()))
        .collect();
    assert_eq!(scanned, expected);

    report.id = Some(ids[0]);
    plain.id = Some(ids[1]);
    // `plain` was read from source 0 too: both reports carry its address.
    plain.source_id = sources[0].id.clone();
    assert_eq!(
        ledger.reports(None).unwrap(),
        vec![report.clone(), plain.clone()]
    );
    assert_eq!(
        ledger.reports_by_id(&[ids[1], ids[0]]).unwrap(),
        vec![plain, report]
    );
    // The report received a nanosecond after the cutoff is not yet known then.
    assert_eq!(
        ledger
            .reports(Some(at("2025-06-15T08:09:10.123456788Z")))
            .unwrap()
            .len(),
        1
    );
}

/// The sources of a ledger with the UNIQUE constraint of migration 0005 on their
/// addresses, as every ledger had before migration 0010, with the migrations recorded
/// through 0009.
fn back_to_schema_9(path: &std::path::Path) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(
        "PRAGMA foreign_keys = OFF;
         BEGIN;
         CREATE TABLE sources_v5 (
             row INTEGER PRIMARY KEY, id BLOB NOT NULL UNIQUE, kind TEXT NOT NULL,
             origin TEXT, locator TEXT, received_at TEXT,
             file_id INTEGER REFERENCES files(id), chunk INTEGER NOT NULL,
             start INTEGER NOT NULL, length INTEGER NOT NULL);
         INSERT INTO sources_v5 SELECT * FROM sources;
         DROP TABLE sources;
         ALTER TABLE sources_v5 RENAME TO sources;
         CREATE TRIGGER sources_are_append_only_update BEFORE UPDATE ON sources
         BEGIN SELECT RAISE(ABORT, 'sources are append-only'); END;
         CREATE TRIGGER sources_are_append_only_delete BEFORE DELETE ON sources
         BEGIN SELECT RAISE(ABORT, 'sources are append-only'); END;
         CREATE TRIGGER sources_refuse_replace BEFORE INSERT ON sources
         WHEN EXISTS (SELECT 1 FROM sources WHERE id = NEW.id OR row = NEW.row)
         BEGIN SELECT RAISE(ABORT, 'sources are append-only: this source is already in the ledger'); END;
         UPDATE meta SET value = '1,2,3,4,5,6,7,8,9' WHERE key = 'migrations';
         PRAGMA user_version = 9;
         COMMIT;",
    )
    .unwrap();
}

/// The indexes of `table`, by name and SQL (`None` for one SQLite made for a
/// constraint), in order of name.
pub(crate) fn indexes_of(path: &std::path::Path, table: &str) -> Vec<(String, Option<String>)> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?1
             ORDER BY name",
        )
        .unwrap();
    let rows = stmt
        .query_map([table], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap();
    rows.map(Result::unwrap).collect()
}

/// Issue 12: migration 0010 moves the sources' addresses from a UNIQUE constraint to an
/// index of their own, and migration 0012 into tables of their own (recent ones kept
/// apart): every source keeps its row, address and text, every report its source, the
/// guards stand, and an address is still unique.
#[test]
fn issue_12_migrations_10_and_12_keep_every_source_and_file_their_addresses() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.db");
    {
        let mut ledger = Ledger::open(&path).unwrap();
        for (file, range) in [("a.csv", 0..40), ("b.csv", 40..90)] {
            let mut tx = ledger.begin_ingest(&receipt(file, "2025-06-15")).unwrap();
            for n in range {
                let (source, report) = peoria_row(n, 9);
                tx.add(&source, &[report]).unwrap();
            }
            tx.commit(50, 0).unwrap();
        }
    }
    let snapshot = |ledger: &Ledger| {
        let mut sources = Vec::new();
        ledger
            .scan_sources(|id, kind, content| {
                sources.push((id.to_string(), kind.to_string(), content.to_string()))
            })
            .unwrap();
        (
            sources,
            ledger.reports(None).unwrap(),
            ledger.files().unwrap(),
        )
    };
    let before = snapshot(&Ledger::open_read_only(&path).unwrap());
    assert_eq!(before.0.len(), 90);
    back_to_schema_9(&path);
    assert_eq!(
        indexes_of(&path, "sources"),
        vec![("sqlite_autoindex_sources_1".to_string(), None)]
    );
    let ledger = Ledger::open(&path).unwrap();
    assert_eq!(
        ledger.schema_version().unwrap(),
        tally_store::SCHEMA_VERSION
    );
    // Migration 0012 then moves the addresses into a table of their own, leaving the
    // sources no index: every address is there with its row.
    assert_eq!(indexes_of(&path, "sources"), vec![]);
    assert_eq!(ledger.integrity_check().unwrap(), Vec::<String>::new());
    assert_eq!(snapshot(&ledger), before);
    assert!(ledger.guard_problems().unwrap().is_empty());
    assert!(ledger.orphan_reports().unwrap().is_empty());
    let conn = rusqlite::Connection::open(&path).unwrap();
    let dangling: Option<String> = conn
        .query_row("PRAGMA foreign_key_check", [], |row| row.get(0))
        .ok();
    assert_eq!(dangling, None);
    // A taken address is refused by the guard; without it, the address is filed twice,
    // which the ledger's check finds.
    let again = "INSERT INTO sources (row, id, kind, chunk, start, length)
                 SELECT 1000, id, kind, chunk, start, length FROM sources WHERE row = 5";
    let refused = conn.execute(again, []).unwrap_err().to_string();
    assert!(refused.contains("append-only"), "{refused}");
    conn.execute_batch("DROP TRIGGER sources_refuse_replace")
        .unwrap();
    conn.execute(again, []).unwrap();
    let problems = ledger.integrity_check().unwrap();
    assert!(
        problems.iter().any(|p| p.contains("filed twice")),
        "{problems:?}"
    );
}

/// Row `n` of a Peoria file (2025-06-15, `n` to `2n + 1` people) with a text of its
/// own; every `text_every`-th source has an address that is not a hash, stored as text.
fn peoria_row(n: usize, text_every: usize) -> (Source, Report) {
    let (mut source, mut report) = crate::row(
        &format!("{n:064x}"),
        "Peoria",
        n as u64,
        2 * n as u64 + 1,
        "2025-06-15",
    );
    source.content = format!("{n},Peoria,IL");
    if n % text_every == 0 {
        source.id = SourceId(format!("row-{n}"));
        report.source_id = source.id.clone();
    }
    (source, report)
}

/// Issue 12: the addresses of recent files' sources are kept apart (migration 0012) and
/// found as well as the others: a source is read by its address and a duplicate is
/// skipped, whether its address is among the recent ones or merged into the main table.
#[test]
fn issue_12_recent_source_addresses_are_found_before_and_after_a_merge() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.db");
    let mut ledger = Ledger::open(&path).unwrap();
    let add = |ledger: &mut Ledger, file: &str, range: std::ops::Range<usize>| -> u64 {
        let mut tx = ledger.begin_ingest(&receipt(file, "2025-06-15")).unwrap();
        let mut added = 0;
        for n in range {
            let (source, report) = peoria_row(n, 7);
            if let AddOutcome::Added(_) = tx.add(&source, &[report]).unwrap() {
                added += 1;
            }
        }
        tx.commit(0, 0).unwrap();
        added
    };
    let count = |table: &str| -> i64 {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |row| {
            row.get(0)
        })
        .unwrap()
    };
    assert_eq!(add(&mut ledger, "a.csv", 0..30), 30);
    assert_eq!(count("source_addresses_recent"), 30);
    assert_eq!(count("source_addresses"), 0);
    let sources_of = |ledger: &Ledger| -> Vec<Option<String>> {
        [0, 3, 14, 29, 30]
            .iter()
            .map(|&n| {
                ledger
                    .source(&peoria_row(n, 7).0.id)
                    .unwrap()
                    .map(|source| source.content)
            })
            .collect()
    };
    let apart = sources_of(&ledger);
    assert_eq!(apart[1].as_deref(), Some("3,Peoria,IL"));
    assert_eq!(apart[2].as_deref(), Some("14,Peoria,IL"));
    assert_eq!(apart[4], None);
    // Rows already held, among the recent addresses, are duplicates.
    assert_eq!(add(&mut ledger, "b.csv", 20..40), 10);
    ledger.merge_recent_changes().unwrap();
    assert_eq!(count("source_addresses_recent"), 0);
    assert_eq!(count("source_addresses"), 40);
    let merged = sources_of(&ledger);
    assert_eq!(merged[..4], apart[..4]);
    assert_eq!(merged[4].as_deref(), Some("30,Peoria,IL"));
    // ... and among the merged ones.
    assert_eq!(add(&mut ledger, "c.csv", 35..45), 5);
    assert_eq!(count("source_addresses_recent"), 5);
    assert_eq!(ledger.integrity_check().unwrap(), Vec::<String>::new());
}

/// Puts a ledger's events back into the shape they had before migration 0013 (each
/// event's place copied into twelve columns, in `events` and `events_recent`), with the
/// record of migrations back at 0012.
fn back_to_schema_12(path: &std::path::Path) {
    let conn = rusqlite::Connection::open(path).unwrap();
    let place = "p.raw, p.locality, p.state, p.online, p.resolved_state, p.resolved_locality,
        p.county, p.fips, p.lat, p.lon, p.population, p.confidence";
    let rest = "e.event_type, e.title, e.organizers, e.size_low, e.size_high, e.low_from,
        e.high_from, e.coded_by_rule, e.reports, e.report_count";
    conn.execute_batch(&format!(
        "PRAGMA foreign_keys = OFF;
         BEGIN;
         CREATE TABLE events_v12 (
             id TEXT PRIMARY KEY, date TEXT, state TEXT, locality TEXT,
             place_raw TEXT NOT NULL, place_locality TEXT, place_state TEXT,
             online INTEGER NOT NULL, resolved_state TEXT, resolved_locality TEXT,
             county TEXT, fips TEXT, lat REAL, lon REAL, population INTEGER,
             confidence TEXT, event_type TEXT, title TEXT, organizers TEXT,
             size_low INTEGER, size_high INTEGER, low_from INTEGER, high_from INTEGER,
             coded_by_rule INTEGER NOT NULL, reports TEXT NOT NULL,
             report_count INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
         INSERT INTO events_v12 SELECT e.id, e.date, e.state, e.locality, {place}, {rest}
             FROM events e JOIN places p ON p.id = e.place;
         DROP TABLE events;
         ALTER TABLE events_v12 RENAME TO events;
         CREATE INDEX events_by_date ON events(date);
         CREATE TABLE events_recent_v12 (
             id TEXT NOT NULL UNIQUE, present INTEGER NOT NULL DEFAULT 1,
             date TEXT, state TEXT, locality TEXT, place_raw TEXT, place_locality TEXT,
             place_state TEXT, online INTEGER, resolved_state TEXT,
             resolved_locality TEXT, county TEXT, fips TEXT, lat REAL, lon REAL,
             population INTEGER, confidence TEXT, event_type TEXT, title TEXT,
             organizers TEXT, size_low INTEGER, size_high INTEGER, low_from INTEGER,
             high_from INTEGER, coded_by_rule INTEGER, reports TEXT, report_count INTEGER);
         INSERT INTO events_recent_v12 SELECT e.id, e.present, e.date, e.state, e.locality,
             {place}, {rest}
             FROM events_recent e LEFT JOIN places p ON p.id = e.place ORDER BY e.rowid;
         DROP TABLE events_recent;
         ALTER TABLE events_recent_v12 RENAME TO events_recent;
         UPDATE meta SET value = '1,2,3,4,5,6,7,8,9,10,11,12' WHERE key = 'migrations';
         PRAGMA user_version = 12;
         COMMIT;"
    ))
    .unwrap();
}

/// Issue 12 (the event write): migration 0013 gives every event its place by number in
/// `places`, and every reader sees the same events before it (a ledger read before its
/// migration) and after it: the main table's, the recent ones that stand in for them,
/// the removed ones, and an event whose place no report holds (added to `places`).
#[test]
fn issue_12_migration_0013_names_each_events_place_by_number_and_keeps_every_event() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.db");
    let places_count = |path: &std::path::Path| -> i64 {
        rusqlite::Connection::open(path)
            .unwrap()
            .query_row("SELECT count(*) FROM places", [], |row| row.get(0))
            .unwrap()
    };
    let (before, places_before) = {
        let mut ledger = Ledger::open(&path).unwrap();
        let mut tx = ledger
            .begin_ingest(&receipt("a.csv", "2025-06-15"))
            .unwrap();
        let mut events = Vec::new();
        for n in 0..30u64 {
            let (source, mut report) = crate::row(
                &format!("{n:064x}"),
                ["Peoria", "Normal", "Joliet"][n as usize % 3],
                n,
                2 * n + 1,
                "2025-06-15",
            );
            if n % 5 == 0 {
                report.place = full_report(&source).place;
            }
            let added = tx.add(&source, std::slice::from_ref(&report)).unwrap();
            let AddOutcome::Added(ids) = added else {
                panic!("{added:?}")
            };
            events.push(crate::event_for(&report, ids[0]));
        }
        tx.commit(30, 0).unwrap();
        // An event whose place no report holds (written by hand).
        events[7].place = Place::from_parts(Some("Cairo"), Some("IL".parse().unwrap()));
        events[7].place.online = true;
        ledger.replace_events(&events).unwrap();
        // A small relink: two events changed, one removed, one new, kept apart.
        let mut changed = vec![events[3].clone(), events[10].clone()];
        changed[0].size_high = Some(999);
        changed[1].place = events[0].place.clone();
        let mut new = events[4].clone();
        new.id = EventId("ev-new".into());
        changed.push(new);
        ledger
            .update_events(&[events[12].id.clone()], &changed)
            .unwrap();
        let all = ledger.events(&Selection::default()).unwrap();
        assert_eq!(all.len(), 30);
        assert!(all.iter().any(|e| e.place.resolved.is_some()));
        (all, places_count(&path))
    };
    let recent: i64 = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row("SELECT count(*) FROM events_recent", [], |row| row.get(0))
        .unwrap();
    assert_eq!(recent, 4, "the relink was kept apart");
    back_to_schema_12(&path);
    // Read before the migration, from the twelve columns.
    let old = Ledger::open_read_only(&path).unwrap();
    assert_eq!(old.events(&Selection::default()).unwrap(), before);
    drop(old);
    // Without the hand-written place in `places`, as an old ledger would be.
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch(
            "PRAGMA foreign_keys = OFF; DROP TRIGGER places_are_append_only_delete;
             DELETE FROM places WHERE raw = 'Cairo, IL';
             CREATE TRIGGER places_are_append_only_delete BEFORE DELETE ON places\n\
             BEGIN SELECT RAISE(ABORT, 'places are append-only'); END;",
        )
        .unwrap();
    assert_eq!(places_count(&path), places_before - 1);

    let migrated = Ledger::open(&path).unwrap();
    assert_eq!(
        migrated.schema_version().unwrap(),
        tally_store::SCHEMA_VERSION
    );
    assert_eq!(migrated.events(&Selection::default()).unwrap(), before);
    for event in &before {
        assert_eq!(migrated.event(&event.id).unwrap().as_ref(), Some(event));
    }
    assert!(migrated
        .event(&EventId("ev-nothing".into()))
        .unwrap()
        .is_none());
    assert!(migrated.guard_problems().unwrap().is_empty());
    drop(migrated);
    assert_eq!(places_count(&path), places_before);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let columns: Vec<String> = conn
        .prepare("SELECT name FROM pragma_table_info('events')")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(columns.contains(&"place".to_string()), "{columns:?}");
    assert!(!columns.contains(&"place_raw".to_string()), "{columns:?}");
    // Every event names a place; the removed one's mark names none.
    let unplaced: i64 = conn
        .query_row(
            "SELECT (SELECT count(*) FROM events WHERE place NOT IN (SELECT id FROM places))
                  + (SELECT count(*) FROM events_recent WHERE present AND place IS NULL)
                  + (SELECT count(*) FROM events_recent WHERE NOT present AND place IS NOT NULL)",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(unplaced, 0);
    drop(conn);
    // The recent rows merge into the main table as they are.
    let mut ledger = Ledger::open(&path).unwrap();
    ledger.merge_recent_changes().unwrap();
    assert_eq!(ledger.events(&Selection::default()).unwrap(), before);
}

/// What linking reads of a report and an event is built from: the report as the link
/// rows give it back (see `tally_store::DayRange`), every other field empty.
fn linking_view(report: &Report) -> Report {
    let mut view = Report::new(
        report.source_id.clone(),
        report.place.clone(),
        chrono::DateTime::UNIX_EPOCH,
    );
    view.id = report.id;
    view.date = report.date;
    view.batch = report.batch.clone();
    view.title = report.title.clone();
    view.headline = report.headline.clone();
    view.event_type = report.event_type.clone();
    view.location_detail = report.location_detail.clone();
    view.organizers = report.organizers.clone();
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

/// Removes the link rows and the record of migration 0014, as a ledger written before it
/// was.
fn back_to_schema_13(path: &std::path::Path) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(
        "DROP TABLE link_rows; DROP TABLE link_rows_recent; DROP TABLE link_texts;
         UPDATE meta SET value = '1,2,3,4,5,6,7,8,9,10,11,12,13' WHERE key = 'migrations';
         PRAGMA user_version = 13;",
    )
    .unwrap();
}

/// Issue 12: the link rows (migration 0014) hold what linking reads of every report: the
/// first file's in the main table, a small later file's among the recent rows, both
/// read by place and day as the reports themselves give it, before and after a merge
/// and after the migration of a ledger from before them; `integrity_check` finds a row
/// that differs from its report.
#[test]
fn issue_12_link_rows_hold_what_linking_reads_of_every_report() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.db");
    let mut ledger = Ledger::open(&path).unwrap();
    let add = |ledger: &mut Ledger, file: &str, rows: Vec<(Source, Report)>| {
        let mut tx = ledger.begin_ingest(&receipt(file, "2025-06-15")).unwrap();
        for (source, report) in rows {
            tx.add(&source, &[report]).unwrap();
        }
        tx.commit(0, 0).unwrap();
    };
    let mixed = source(&format!("{:064x}", 99), "Fargo: a long text".into());
    let mut undated = full_report(&mixed);
    undated.date = None;
    undated.title = None;
    let fargo = full_report(&mixed);
    add(
        &mut ledger,
        "a.csv",
        (0..12)
            .map(|n| {
                let (source, mut report) = peoria_row(n, 5);
                // Half of them curated rows of one batch; some with organizers, some
                // sizes coded by rule (migration 0016 keeps both).
                report.batch = (n % 2 == 0).then(|| "a.csv".to_string());
                report.organizers = (n % 3 == 0).then(|| "Peoria Indivisible".to_string());
                if n % 4 == 1 {
                    report.estimates = vec![Estimate::coded(200, "hundreds")];
                }
                (source, report)
            })
            .collect(),
    );
    let mut tx = ledger
        .begin_ingest(&receipt("b.txt", "2025-06-16"))
        .unwrap();
    tx.add(&mixed, &[fargo, undated]).unwrap();
    tx.commit(0, 0).unwrap();
    let count = |table: &str| -> i64 {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |row| {
            row.get(0)
        })
        .unwrap()
    };
    assert_eq!((count("link_rows"), count("link_rows_recent")), (12, 2));
    // Every report, read back by its place and day, is its linking view.
    let read_all = |ledger: &mut Ledger| -> Vec<Report> {
        let tx = ledger
            .begin_ingest(&receipt("c.csv", "2025-06-17"))
            .unwrap();
        let places = tx.linking_places().unwrap().expect("link rows kept");
        let ranges: Vec<tally_store::DayRange> = places
            .iter()
            .flat_map(|(id, _)| {
                [("", ""), ("2025-06-01", "2025-06-30")].map(|(first, last)| {
                    tally_store::DayRange {
                        place: *id,
                        first: first.into(),
                        last: last.into(),
                        every_batch: true,
                    }
                })
            })
            .collect();
        let places = places.into_iter().collect();
        let read = tx.linking_reports_at(&ranges, &places).unwrap();
        // A day range outside every report's finds none.
        let none = tally_store::DayRange {
            place: ranges[0].place,
            first: "2025-07-01".into(),
            last: "2025-07-31".into(),
            every_batch: true,
        };
        assert!(tx.linking_reports_at(&[none], &places).unwrap().is_empty());
        // After its first day, a range reads only the reports that are not curated
        // rows: half the Peoria rows of the 14th are of a batch, read on that day only.
        let peoria = |first: &str, every_batch: bool| {
            let range = tally_store::DayRange {
                place: ranges[0].place,
                first: first.into(),
                last: "2025-06-14".into(),
                every_batch,
            };
            tx.linking_reports_at(&[range], &places).unwrap().len()
        };
        assert_eq!(peoria("2025-06-14", false), 12);
        assert_eq!(peoria("2025-06-13", false), 6);
        assert_eq!(peoria("2025-06-13", true), 12);
        read
    };
    let expected: Vec<Report> = ledger
        .reports(None)
        .unwrap()
        .iter()
        .map(linking_view)
        .collect();
    assert_eq!(expected.len(), 14);
    assert_eq!(read_all(&mut ledger), expected);
    assert_eq!(ledger.integrity_check().unwrap(), Vec::<String>::new());
    ledger.merge_recent_changes().unwrap();
    assert_eq!((count("link_rows"), count("link_rows_recent")), (14, 0));
    assert_eq!(read_all(&mut ledger), expected);
    assert_eq!(ledger.integrity_check().unwrap(), Vec::<String>::new());
    drop(ledger);

    // A ledger from before the link rows gets them by its migration.
    back_to_schema_13(&path);
    let mut ledger = Ledger::open(&path).unwrap();
    assert_eq!(
        ledger.schema_version().unwrap(),
        tally_store::SCHEMA_VERSION
    );
    assert_eq!(count("link_rows"), 14);
    assert_eq!(read_all(&mut ledger), expected);
    assert_eq!(ledger.integrity_check().unwrap(), Vec::<String>::new());
    drop(ledger);
    // Migration 0016's layout: the day a number (no date below every day), the batch,
    // type and organizers numbers into `link_texts`, each text once, the sizes short.
    let conn = rusqlite::Connection::open(&path).unwrap();
    let layout: (String, String, i64, i64) = conn
        .query_row(
            "SELECT group_concat(DISTINCT typeof(day)), group_concat(DISTINCT typeof(batch)),
                    (SELECT count(*) FROM link_texts),
                    (SELECT count(DISTINCT text) FROM link_texts)
             FROM link_rows WHERE batch IS NOT NULL",
            [],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
        )
        .unwrap();
    // a.csv, mixed.txt, rally, Indivisible, Peoria Indivisible.
    assert_eq!(layout, ("integer".into(), "integer".into(), 5, 5));
    let undated: i64 = conn
        .query_row("SELECT min(day) FROM link_rows", [], |row| row.get(0))
        .unwrap();
    assert_eq!(undated, i64::from(i32::MIN));
    let sizes: Vec<String> = conn
        .prepare("SELECT sizes FROM link_rows WHERE id IN (1, 2, 13) ORDER BY id")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(sizes, ["0 1", "*200", "1000 2500;*40000000 aggregate"]);
    // A text that says other than the reports' is found.
    conn.execute(
        "UPDATE link_texts SET text = 'another batch' WHERE text = 'a.csv'",
        [],
    )
    .unwrap();
    drop(conn);
    let ledger = Ledger::open(&path).unwrap();
    let problems = ledger.integrity_check().unwrap();
    assert!(
        problems.iter().any(|p| p.contains("link rows")),
        "{problems:?}"
    );
    drop(ledger);
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute(
        "UPDATE link_texts SET text = 'a.csv' WHERE text = 'another batch'",
        [],
    )
    .unwrap();
    drop(conn);

    // A row that says other than its report is found.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute(
        "UPDATE link_rows SET title = 'another title' WHERE id = 3",
        [],
    )
    .unwrap();
    drop(conn);
    let ledger = Ledger::open(&path).unwrap();
    let problems = ledger.integrity_check().unwrap();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].contains("link rows"), "{problems:?}");
}

/// The report locators and their recent part as a ledger of migration 0014 kept them
/// (a few rows in each), with the migrations recorded through 0014.
fn back_to_schema_14(path: &std::path::Path) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(
        "CREATE TABLE report_locators (
             locator INTEGER NOT NULL, report_id INTEGER NOT NULL,
             PRIMARY KEY (locator, report_id)) WITHOUT ROWID;
         CREATE TABLE report_locators_recent (
             report_id INTEGER NOT NULL, locator INTEGER NOT NULL,
             PRIMARY KEY (report_id, locator)) WITHOUT ROWID;
         INSERT INTO report_locators SELECT 7, id FROM reports;
         INSERT INTO report_locators_recent SELECT id, 8 FROM reports WHERE id > 10;
         UPDATE meta SET value = '1,2,3,4,5,6,7,8,9,10,11,12,13,14' WHERE key = 'migrations';
         PRAGMA user_version = 14;",
    )
    .unwrap();
}

/// Issue 12: migration 0015 drops the report locators and their recent part, which the
/// link rows stand in for: the ledger is sound after it, keeps no locators (filing them
/// does nothing, asking for them is an error, none are missing), and a file finds the
/// reports it can link with (any report that is not a claim) without them.
#[test]
fn issue_12_migration_0015_drops_the_report_locators() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.db");
    let table_exists = |name: &str| -> bool {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.query_row(
            "SELECT count(*) > 0 FROM sqlite_master WHERE name = ?1",
            [name],
            |row| row.get(0),
        )
        .unwrap()
    };
    {
        let mut ledger = Ledger::open(&path).unwrap();
        assert!(!ledger.keeps_locators().unwrap());
        let mut tx = ledger
            .begin_ingest(&receipt("a.csv", "2025-06-15"))
            .unwrap();
        // An empty ledger: a file links on its own.
        assert!(!tx.has_located_reports().unwrap());
        for n in 0..12 {
            let (source, report) = peoria_row(n, 5);
            tx.add(&source, &[report]).unwrap();
        }
        tx.commit(12, 0).unwrap();
    }
    back_to_schema_14(&path);
    assert!(table_exists("report_locators") && table_exists("report_locators_recent"));
    let mut ledger = Ledger::open(&path).unwrap();
    assert_eq!(
        ledger.schema_version().unwrap(),
        tally_store::SCHEMA_VERSION
    );
    assert!(!table_exists("report_locators") && !table_exists("report_locators_recent"));
    assert_eq!(ledger.integrity_check().unwrap(), Vec::<String>::new());
    assert!(!ledger.keeps_locators().unwrap());
    assert!(!ledger.locators_missing().unwrap());
    ledger
        .replace_locators(&[(tally_model::ReportId(1), vec![7])])
        .unwrap();
    assert!(ledger.report_ids_at_locators(&[7]).is_err());
    assert!(!table_exists("report_locators"));
    // Filing a small file's locators, or a large one's, writes nothing.
    let mut tx = ledger
        .begin_ingest(&receipt("b.csv", "2025-06-16"))
        .unwrap();
    assert!(tx.has_located_reports().unwrap());
    assert!(!tx.keeps_locators().unwrap());
    let (source, report) = peoria_row(40, 5);
    let ids = match tx.add(&source, &[report]).unwrap() {
        AddOutcome::Added(ids) => ids,
        AddOutcome::Duplicate => unreachable!("a new row"),
    };
    tx.record_locators(&[(ids[0], vec![1, 2])]).unwrap();
    tx.record_locator_rows((0..100_000).map(|n| (n, ids[0].0)).collect())
        .unwrap();
    tx.commit(1, 0).unwrap();
    assert!(!table_exists("report_locators") && !table_exists("report_locators_recent"));
    assert_eq!(ledger.merge_recent_changes().unwrap(), 0);
    assert_eq!(ledger.integrity_check().unwrap(), Vec::<String>::new());

    // A ledger of claims only (every estimate aggregate) has nothing to link with.
    let mut claims = Ledger::open_in_memory().unwrap();
    let mut tx = claims
        .begin_ingest(&receipt("c.csv", "2025-06-15"))
        .unwrap();
    let (source, mut report) = peoria_row(1, 5);
    report.estimates = vec![Estimate::exact(4_000_000).with_scope(Scope::Aggregate)];
    tx.add(&source, &[report]).unwrap();
    tx.commit(1, 0).unwrap();
    let tx = claims
        .begin_ingest(&receipt("d.csv", "2025-06-16"))
        .unwrap();
    assert!(!tx.has_located_reports().unwrap());
}
