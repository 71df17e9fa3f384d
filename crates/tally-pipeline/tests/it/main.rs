//! The pipeline over a real ledger: ingest, relink, duplicates, strict refusal, as-of,
//! and incremental linking that agrees with a full rebuild.

use tally_ingest::{Format, IngestOptions};
use tally_model::{Selection, Timestamp};
use tally_pipeline::{events_for, ingest_file, rebuild_events, IngestRequest};
use tally_store::{parse_timestamp, Ledger};

mod issue_12;
mod scale;

const REPORTS_HEADER: &str =
    "date,locality,state,event,size_low,size_high,size_text,attribution,publisher,url\n";

/// Rows in the reports-CSV layout: several statements about the same gatherings.
const MORNING: &str = "\
2025-06-14,Chicago,IL,No Kings,15000,15000,police figure,police,Paper A,https://a.example/1
2025-06-14,Chicago,IL,No Kings,75000,75000,organizers' figure,organizers,Paper B,https://b.example/1
2025-06-14,Peoria,IL,No Kings,,,hundreds,media,Paper C,https://c.example/1
";
const EVENING: &str = "\
2025-06-14,Chicago,IL,No Kings,10000,15000,crowd scientist,researchers,Paper D,https://d.example/1
2025-06-14,Washington,DC,Military parade,,,tens of thousands,media,Paper E,https://e.example/1
2025-06-14,Peoria,IL,No Kings,300,300,about 300,media,Paper F,https://f.example/1
";

fn at(text: &str) -> Timestamp {
    parse_timestamp(text).unwrap()
}

fn ingest(
    ledger: &mut Ledger,
    name: &str,
    rows: &str,
    when: &str,
    strict: bool,
) -> tally_pipeline::FileOutcome {
    let bytes = format!("{REPORTS_HEADER}{rows}");
    let mut options = IngestOptions::new(at(when));
    options.format = Format::Reports;
    let request = IngestRequest {
        origin: name,
        bytes: bytes.as_bytes().into(),
        options,
        strict,
    };
    ingest_file(ledger, request, &mut |_| {}).unwrap()
}

fn summary(
    ledger: &Ledger,
    selection: &Selection,
) -> Vec<(String, Option<u64>, Option<u64>, usize)> {
    events_for(ledger, selection)
        .unwrap()
        .into_iter()
        .map(|e| {
            (
                e.place.raw.clone(),
                e.size_low,
                e.size_high,
                e.reports.len(),
            )
        })
        .collect()
}

#[test]
fn reports_of_one_gathering_become_one_event_spanning_its_sources() {
    let mut ledger = Ledger::open_in_memory().unwrap();
    let outcome = ingest(
        &mut ledger,
        "morning.csv",
        MORNING,
        "2025-06-14T20:00:00Z",
        false,
    );
    assert_eq!(
        (
            outcome.rows_read,
            outcome.reports_added,
            outcome.duplicates_skipped
        ),
        (3, 3, 0)
    );
    assert!(outcome.landed);
    let events = events_for(&ledger, &Selection::default()).unwrap();
    assert_eq!(events.len(), 2);
    let chicago = events
        .iter()
        .find(|e| e.place.raw.starts_with("Chicago"))
        .unwrap();
    assert_eq!(
        (chicago.size_low, chicago.size_high, chicago.reports.len()),
        (Some(15_000), Some(75_000), 2)
    );
    let resolved = chicago.place.resolved.as_ref().expect("Chicago resolves");
    assert_eq!(resolved.fips.as_ref().map(|f| f.as_str()), Some("17031"));
}

#[test]
fn the_same_file_twice_adds_nothing() {
    let mut ledger = Ledger::open_in_memory().unwrap();
    ingest(
        &mut ledger,
        "morning.csv",
        MORNING,
        "2025-06-14T20:00:00Z",
        false,
    );
    let before = summary(&ledger, &Selection::default());
    let again = ingest(
        &mut ledger,
        "morning.csv",
        MORNING,
        "2025-06-15T20:00:00Z",
        false,
    );
    assert_eq!((again.reports_added, again.duplicates_skipped), (0, 3));
    assert_eq!(summary(&ledger, &Selection::default()), before);
}

#[test]
fn strict_refuses_a_file_with_a_bad_row_and_stores_nothing() {
    let mut ledger = Ledger::open_in_memory().unwrap();
    let bad = format!(
        "{MORNING}2025-06-14,Springfield,IL,No Kings,900,100,backwards,media,X,https://x.example\n"
    );
    let outcome = ingest(&mut ledger, "bad.csv", &bad, "2025-06-14T20:00:00Z", true);
    assert!(!outcome.landed);
    assert_eq!(outcome.rejected.len(), 1);
    assert_eq!(outcome.rejected[0].line, 5);
    assert_eq!(ledger.counts().unwrap().reports, 0);
    let lenient = ingest(&mut ledger, "bad.csv", &bad, "2025-06-14T20:00:00Z", false);
    assert!(lenient.landed);
    assert_eq!(lenient.reports_added, 3);
}

#[test]
fn incremental_linking_agrees_with_a_full_rebuild_and_as_of_sees_the_past() {
    let mut ledger = Ledger::open_in_memory().unwrap();
    ingest(
        &mut ledger,
        "morning.csv",
        MORNING,
        "2025-06-14T20:00:00Z",
        false,
    );
    ingest(
        &mut ledger,
        "evening.csv",
        EVENING,
        "2025-06-15T08:00:00Z",
        false,
    );
    let incremental = summary(&ledger, &Selection::default());
    rebuild_events(&mut ledger).unwrap();
    assert_eq!(summary(&ledger, &Selection::default()), incremental);
    assert_eq!(incremental.len(), 3);

    let chicago = incremental
        .iter()
        .find(|e| e.0.starts_with("Chicago"))
        .unwrap();
    assert_eq!(
        (chicago.1, chicago.2, chicago.3),
        (Some(10_000), Some(75_000), 3)
    );

    let then = Selection {
        as_of: Some(at("2025-06-14T23:00:00Z")),
        ..Selection::default()
    };
    let past = summary(&ledger, &then);
    assert_eq!(past.len(), 2);
    let chicago_then = past.iter().find(|e| e.0.starts_with("Chicago")).unwrap();
    assert_eq!(
        (chicago_then.1, chicago_then.2),
        (Some(15_000), Some(75_000))
    );
}

/// Issue 12 (migration 0015): a ledger that kept report locators loses them when a
/// writer opens it, and a later file still links with its earlier reports (read by place
/// and day from the link rows); a full rebuild gives the same events.
#[test]
fn issue_12_a_ledger_that_kept_locators_links_by_its_link_rows_once_migrated() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        let mut ledger = tally_pipeline::open_ledger(&path).unwrap();
        ingest(
            &mut ledger,
            "morning.csv",
            MORNING,
            "2025-06-14T20:00:00Z",
            false,
        );
    }
    // A ledger of migration 0014: its locators (none of which is read any more), with
    // the migrations recorded through 0014.
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch(
            "CREATE TABLE report_locators (locator INTEGER NOT NULL,
                 report_id INTEGER NOT NULL, PRIMARY KEY (locator, report_id)) WITHOUT ROWID;
             CREATE TABLE report_locators_recent (report_id INTEGER NOT NULL,
                 locator INTEGER NOT NULL, PRIMARY KEY (report_id, locator)) WITHOUT ROWID;
             INSERT INTO report_locators SELECT 1, id FROM reports;
             UPDATE meta SET value = '1,2,3,4,5,6,7,8,9,10,11,12,13,14' WHERE key = 'migrations';
             PRAGMA user_version = 14;",
        )
        .unwrap();
    let mut ledger = tally_pipeline::open_ledger(&path).unwrap();
    ingest(
        &mut ledger,
        "evening.csv",
        EVENING,
        "2025-06-15T08:00:00Z",
        false,
    );
    let incremental = summary(&ledger, &Selection::default());
    let chicago = incremental
        .iter()
        .find(|e| e.0.starts_with("Chicago"))
        .unwrap();
    assert_eq!(
        chicago.3, 3,
        "the evening's Chicago figure joined the morning's event"
    );
    let tables: i64 = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE name LIKE 'report_locators%'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(tables, 0, "migration 0015 dropped the locators");
    rebuild_events(&mut ledger).unwrap();
    assert_eq!(summary(&ledger, &Selection::default()), incremental);
}

#[test]
fn sheet_places_written_as_one_string_resolve_to_their_city() {
    let mut ledger = Ledger::open_in_memory().unwrap();
    let sheet = "City,Low,High\n\"Honolulu (Oahu) HI\",7000,10000\n\"St. Paul/Minneapolis, MN\",\"25,000\",\"80,000\"\nDisability (online),1200,1500\n";
    let mut options = IngestOptions::new(at("2025-06-15T12:00:00Z"));
    options.format = Format::Sheet;
    options.date = Some("2025-06-14".parse().unwrap());
    let request = IngestRequest {
        origin: "sheet.csv",
        bytes: sheet.as_bytes().into(),
        options,
        strict: true,
    };
    let outcome = ingest_file(&mut ledger, request, &mut |_| {}).unwrap();
    assert!(outcome.landed, "{:?}", outcome.rejected);
    let events = events_for(&ledger, &Selection::default()).unwrap();
    let fips = |raw: &str| {
        let event = events
            .iter()
            .find(|e| e.place.raw.starts_with(raw))
            .unwrap();
        event
            .place
            .resolved
            .as_ref()
            .and_then(|r| r.fips.as_ref())
            .map(|f| f.as_str().to_string())
    };
    assert_eq!(fips("Honolulu").as_deref(), Some("15003"));
    assert_eq!(fips("St. Paul").as_deref(), Some("27123"));
    let online = events
        .iter()
        .find(|e| e.place.raw.starts_with("Disability"))
        .unwrap();
    assert!(online.place.online);
    assert!(online
        .place
        .resolved
        .as_ref()
        .is_none_or(|r| r.lat.is_none()));
}

#[test]
fn an_article_becomes_an_event_and_its_national_figure_a_claim() {
    let mut ledger = Ledger::open_in_memory().unwrap();
    let text = "BOISE, Idaho (Tally Wire) — Several thousand people gathered at the Statehouse on Saturday for a rally, police said, while organizers put the crowd at 10,000.\n\nAcross the country, organizers said more than five million people joined protests in over 2,000 places. Officers made 12 arrests.\n";
    let mut options = IngestOptions::new(at("2025-06-15T12:00:00Z"));
    options.date = Some("2025-06-15".parse().unwrap());
    let request = IngestRequest {
        origin: "story.txt",
        bytes: text.as_bytes().into(),
        options,
        strict: false,
    };
    let outcome = ingest_file(&mut ledger, request, &mut |_| {}).unwrap();
    assert_eq!(outcome.format, "articles");
    assert_eq!(outcome.unresolved_places, 0);
    let events = events_for(&ledger, &Selection::default()).unwrap();
    assert_eq!(events.len(), 1, "{events:?}");
    let boise = &events[0];
    assert_eq!(boise.date, Some("2025-06-14".parse().unwrap()));
    assert_eq!(
        (boise.size_low, boise.size_high),
        (Some(2_000), Some(10_000))
    );
    assert_eq!(boise.place.best_state().map(|s| s.as_str()), Some("ID"));
    let claims: Vec<_> = ledger
        .reports(None)
        .unwrap()
        .into_iter()
        .filter(|r| r.is_aggregate_only())
        .collect();
    assert_eq!(claims.len(), 1);
    assert_eq!(claims[0].event_count, Some(2_000));
    assert_eq!(claims[0].estimates[0].low(), 5_000_000);
}

/// Issue 8: an event list makes gatherings known to exist. Each listing is an unsized
/// event; a news or reports row about the same gathering joins it and gives its size;
/// two listings in one town stay two gatherings.
#[test]
fn event_list_listings_are_events_that_reports_join_issue_8() {
    let mut ledger = Ledger::open_in_memory().unwrap();
    let list = "\
Event Title,Start Date,Venue,City,State,ZIP,Host,RSVPs
No Kings at the Courthouse,2025-06-14T10:00:00-05:00,Courthouse lawn,Peoria,IL,61602,Peoria Indivisible,250
No Kings rally,2025-06-14,Gazebo,Galesburg,IL,61401,Knox Democrats,85
No Kings stand-out,2025-06-14,Library steps,Galesburg,IL,61401,Library Friends,40
No Kings rally,2025-06-14,Square,Macomb,IL,61455,Macomb Marchers,30
";
    let request = IngestRequest {
        origin: "list.csv",
        bytes: list.as_bytes().into(),
        options: IngestOptions::new(at("2025-06-10T12:00:00Z")),
        strict: false,
    };
    let outcome = ingest_file(&mut ledger, request, &mut |_| {}).unwrap();
    assert_eq!(outcome.format, "eventlist");
    assert_eq!(outcome.reports_added, 4);
    assert_eq!(outcome.unresolved_places, 0);
    let before = events_for(&ledger, &Selection::default()).unwrap();
    assert_eq!(before.len(), 4);
    assert!(before.iter().all(|e| e.size_low.is_none()));

    ingest(
        &mut ledger,
        "news.csv",
        "2025-06-14,Peoria,IL,No Kings,300,300,about 300,media,Paper F,https://f.example/1\n",
        "2025-06-15T12:00:00Z",
        false,
    );
    let after = events_for(&ledger, &Selection::default()).unwrap();
    assert_eq!(after.len(), 4, "the report joined its listing: {after:#?}");
    let peoria = after
        .iter()
        .find(|e| e.place.raw.starts_with("Peoria"))
        .unwrap();
    assert_eq!((peoria.size_low, peoria.size_high), (Some(300), Some(300)));
    assert_eq!(peoria.reports.len(), 2);
    assert_eq!(after.iter().filter(|e| e.size_low.is_none()).count(), 3);
}
