//! The pipeline over a real ledger: ingest, relink, duplicates, strict refusal, as-of,
//! and incremental linking that agrees with a full rebuild.

use tally_ingest::{Format, IngestOptions};
use tally_model::{Selection, Timestamp};
use tally_pipeline::{events_for, ingest_file, rebuild_events, IngestRequest};
use tally_store::{parse_timestamp, Ledger};

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
        bytes: bytes.as_bytes(),
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

#[test]
fn sheet_places_written_as_one_string_resolve_to_their_city() {
    let mut ledger = Ledger::open_in_memory().unwrap();
    let sheet = "City,Low,High\n\"Honolulu (Oahu) HI\",7000,10000\n\"St. Paul/Minneapolis, MN\",\"25,000\",\"80,000\"\nDisability (online),1200,1500\n";
    let mut options = IngestOptions::new(at("2025-06-15T12:00:00Z"));
    options.format = Format::Sheet;
    options.date = Some("2025-06-14".parse().unwrap());
    let request = IngestRequest {
        origin: "sheet.csv",
        bytes: sheet.as_bytes(),
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
