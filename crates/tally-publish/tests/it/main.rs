//! Export round-trips: events → CSV → the dataset adapter of tally-ingest → the same
//! events, sizes and totals.

use chrono::{TimeZone, Utc};
use proptest::prelude::*;
use tally_ingest::{read_file, Format, IngestOptions, ParsedFile};
use tally_model::{Confidence, Event, EventId, Fips, Place, ResolvedPlace, StateCode};
use tally_publish::{write_csv, write_geojson, ExportRow};

fn read_back(rows: &[ExportRow]) -> ParsedFile {
    let mut csv = Vec::new();
    write_csv(&mut csv, rows).unwrap();
    let options = IngestOptions::new(Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap());
    let parsed = read_file("export.csv", &csv, &options).unwrap();
    assert_eq!(parsed.format, Format::Dataset);
    assert!(parsed.rejects.is_empty(), "{:?}", parsed.rejects);
    parsed
}

/// (events, events with a size, sum of lows, sum of highs).
fn event_totals(rows: &[ExportRow]) -> (usize, usize, u64, u64) {
    let sized: Vec<_> = rows.iter().filter(|r| r.size_low.is_some()).collect();
    (
        rows.len(),
        sized.len(),
        sized.iter().map(|r| r.size_low.unwrap()).sum(),
        sized.iter().map(|r| r.size_high.unwrap()).sum(),
    )
}

fn read_totals(parsed: &ParsedFile) -> (usize, usize, u64, u64) {
    let sized: Vec<_> = parsed
        .records
        .iter()
        .filter_map(|r| r.report.estimates.first())
        .collect();
    (
        parsed.records.len(),
        sized.len(),
        sized.iter().map(|e| e.low()).sum(),
        sized.iter().map(|e| e.high()).sum(),
    )
}

fn event(id: &str, locality: &str, state: &str, size: Option<(u64, u64)>) -> Event {
    Event {
        id: EventId(id.into()),
        date: Some("2025-06-14".parse().unwrap()),
        place: Place::from_parts(Some(locality), Some(state.parse().unwrap())),
        event_type: Some("protest".into()),
        title: Some("No Kings".into()),
        organizers: Some("Indivisible; \"50501\"".into()),
        reports: vec![],
        size_low: size.map(|s| s.0),
        size_high: size.map(|s| s.1),
        low_from: None,
        high_from: None,
        coded_by_rule: false,
    }
}

#[test]
fn events_round_trip_with_text_and_places_intact() {
    let mut minneapolis = event("e1", "St. Paul/Minneapolis", "MN", Some((25_000, 80_000)));
    minneapolis.place.resolved = Some(ResolvedPlace {
        locality: Some("Saint Paul".into()),
        county: Some("Ramsey County".into()),
        fips: Some(Fips::parse("27123").unwrap()),
        state: "MN".parse().unwrap(),
        lat: Some(44.9537),
        lon: Some(-93.09),
        population: None,
        confidence: Confidence::Alias,
    });
    let mut birmingham = event("e2", "Birmingham", "AL", None);
    birmingham.place.resolved = Some(ResolvedPlace {
        locality: Some("Birmingham".into()),
        county: Some("Jefferson County".into()),
        fips: Some(Fips::parse("1073").unwrap()),
        state: "AL".parse().unwrap(),
        lat: Some(33.5186),
        lon: Some(-86.8104),
        population: None,
        confidence: Confidence::Exact,
    });
    let rows: Vec<ExportRow> = [
        minneapolis,
        birmingham,
        event("e3", "Espa\u{f1}ola", "NM", Some((300, 300))),
    ]
    .iter()
    .map(ExportRow::from)
    .map(|mut row| {
        row.size_text = Some("notes, with \"quotes\"\nand a newline".into());
        row.sources = (0..35)
            .map(|i| format!("https://example.org/{i}"))
            .collect();
        row
    })
    .collect();
    let parsed = read_back(&rows);
    assert_eq!(read_totals(&parsed), event_totals(&rows));
    assert_eq!(read_totals(&parsed), (3, 2, 25_300, 80_300));
    let first = &parsed.records[0].report;
    assert_eq!(first.place.locality.as_deref(), Some("Saint Paul"));
    assert_eq!(first.organizers.as_deref(), Some("Indivisible; \"50501\""));
    assert_eq!(first.urls.len(), 35);
    assert_eq!(
        first.size_text.as_deref(),
        Some("notes, with \"quotes\"\nand a newline")
    );
    let resolved = parsed.records[1].report.place.resolved.as_ref().unwrap();
    assert_eq!(resolved.fips.as_ref().unwrap().as_str(), "01073");
    assert_eq!(
        (resolved.lat, resolved.lon),
        (Some(33.5186), Some(-86.8104))
    );
    assert_eq!(parsed.records[2].report.place.raw, "Espa\u{f1}ola, NM");

    let mut geojson = Vec::new();
    assert_eq!(write_geojson(&mut geojson, &rows).unwrap(), 2);
}

fn any_row() -> impl Strategy<Value = ExportRow> {
    let text = "[A-Za-z\u{e9} ,;\"'\n-]{0,12}";
    let state = (0usize..56).prop_map(|i| StateCode::all().nth(i).unwrap());
    (
        proptest::option::of(text),
        proptest::option::of(state),
        proptest::option::of((0u64..5_000_000, 0u64..5_000_000)),
        proptest::option::of(text),
        proptest::option::of((-90.0f64..90.0, -180.0f64..180.0)),
        any::<bool>(),
        proptest::collection::vec("https://[a-z]{1,8}\\.org/[a-z,]{0,5}", 0..4),
        // Days from 2017-01-01 up to 2025: every date is before the read-back's receipt day,
        // as the plausibility bound (issue 13) requires.
        proptest::option::of(0u32..3_200),
    )
        .prop_map(
            |(locality, state, size, size_text, coordinates, online, sources, day)| ExportRow {
                date: day.map(|d| {
                    chrono::NaiveDate::from_ymd_opt(2017, 1, 1).unwrap()
                        + chrono::Days::new(d.into())
                }),
                locality,
                state,
                online,
                size_low: size.map(|(a, b)| a.min(b)),
                size_high: size.map(|(a, b)| a.max(b)),
                size_text,
                lat: coordinates.map(|c| c.0),
                lon: coordinates.map(|c| c.1),
                sources,
                ..ExportRow::default()
            },
        )
}

proptest! {
    #[test]
    fn export_then_ingest_gives_identical_totals(rows in proptest::collection::vec(any_row(), 0..30)) {
        let parsed = read_back(&rows);
        prop_assert_eq!(read_totals(&parsed), event_totals(&rows));
        for (row, record) in rows.iter().zip(&parsed.records) {
            prop_assert_eq!(row.date, record.report.date);
            prop_assert_eq!(row.state, record.report.place.state);
            if row.online {
                prop_assert!(record.report.place.online);
            }
            let urls: Vec<String> = row.sources.iter().map(|s| s.trim().to_string()).collect();
            prop_assert_eq!(&urls, &record.report.urls);
        }
    }
}
