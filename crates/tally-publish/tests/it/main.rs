//! Export round-trips: events → CSV → the dataset adapter of tally-ingest → the same
//! events, sizes and totals.

use chrono::{TimeZone, Utc};
use proptest::prelude::*;
use tally_ingest::{read_file, Format, IngestOptions, ParsedFile};
use tally_model::{Confidence, Event, EventId, Fips, Place, ResolvedPlace, StateCode};
use tally_publish::{
    write_csv, write_csv_with, write_geojson, write_parquet, CsvOptions, ExportRow, ParquetOptions,
    PARQUET_ROW_GROUP_ROWS,
};

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

/// A sized event with a resolved place (county, FIPS, coordinates).
fn minneapolis(id: &str) -> Event {
    let mut minneapolis = event(id, "St. Paul/Minneapolis", "MN", Some((25_000, 80_000)));
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
    minneapolis
}

#[test]
fn events_round_trip_with_text_and_places_intact() {
    let minneapolis = minneapolis("e1");
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
        // A row with no size keeps a size text only of marks and spaces: a text with
        // letters may be a size in words ("ONe"), which the read-back rightly codes.
        proptest::option::of("[ ,;\"'\n-]{0,12}"),
        proptest::option::of((-90.0f64..90.0, -180.0f64..180.0)),
        any::<bool>(),
        proptest::collection::vec("https://[a-z]{1,8}\\.org/[a-z,]{0,5}", 0..4),
        // Days from 2017-01-01 up to 2025: every date is before the read-back's receipt day,
        // as the plausibility bound (issue 13) requires.
        proptest::option::of(0u32..3_200),
    )
        .prop_map(
            |(
                locality,
                state,
                size,
                sized_text,
                unsized_text,
                coordinates,
                online,
                sources,
                day,
            )| ExportRow {
                date: day.map(|d| {
                    chrono::NaiveDate::from_ymd_opt(2017, 1, 1).unwrap()
                        + chrono::Days::new(d.into())
                }),
                locality,
                state,
                online,
                size_low: size.map(|(a, b)| a.min(b)),
                size_high: size.map(|(a, b)| a.max(b)),
                size_text: if size.is_some() {
                    sized_text
                } else {
                    unsized_text
                },
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

/// Reads a Parquet export back with the `parquet` crate: the column names and each
/// row's cells written as the CSV export writes them (`NA` for a null, `1`/`0` for
/// `online`, dates as `YYYY-MM-DD`, numbers with Rust's shortest round-trip form).
fn parquet_as_csv_cells(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::Field;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("events.parquet");
    std::fs::write(&path, bytes).unwrap();
    let reader = SerializedFileReader::try_from(path.as_path()).unwrap();
    let names = reader
        .metadata()
        .file_metadata()
        .schema_descr()
        .columns()
        .iter()
        .map(|c| c.name().to_string())
        .collect();
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
    let rows = reader
        .get_row_iter(None)
        .unwrap()
        .map(|row| {
            row.unwrap()
                .get_column_iter()
                .map(|(_, field)| match field {
                    Field::Null => "NA".to_string(),
                    Field::Bool(b) => if *b { "1" } else { "0" }.to_string(),
                    Field::Int(v) => v.to_string(),
                    Field::Long(v) => v.to_string(),
                    Field::Double(v) => v.to_string(),
                    Field::Str(v) => v.clone(),
                    Field::Date(days) => {
                        (epoch + chrono::TimeDelta::days(i64::from(*days))).to_string()
                    }
                    other => panic!("unexpected Parquet value {other:?}"),
                })
                .collect()
        })
        .collect();
    (names, rows)
}

/// The `--raw` CSV export as a header and rows of cells.
fn raw_csv_cells(rows: &[ExportRow]) -> (Vec<String>, Vec<Vec<String>>) {
    let mut out = Vec::new();
    write_csv_with(
        &mut out,
        rows,
        CsvOptions {
            neutralise_formulas: false,
        },
    )
    .unwrap();
    let mut reader = csv::Reader::from_reader(out.as_slice());
    let header = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let records = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    (header, records)
}

/// Compares a Parquet export with the raw CSV export of the same rows, row by row and
/// cell by cell; the Parquet's first column is the event id.
fn assert_parquet_matches_csv(rows: &[ExportRow], options: ParquetOptions) {
    let mut bytes = Vec::new();
    assert_eq!(
        write_parquet(&mut bytes, rows, options).unwrap(),
        rows.len()
    );
    let (names, cells) = parquet_as_csv_cells(&bytes);
    let (header, records) = raw_csv_cells(rows);
    assert_eq!(names[0], "event_id");
    assert_eq!(names[1..], header[..]);
    assert_eq!(cells.len(), records.len());
    for ((row, parquet), csv) in rows.iter().zip(&cells).zip(&records) {
        assert_eq!(parquet[0], row.id.clone().unwrap_or_else(|| "NA".into()));
        for ((name, p), c) in header.iter().zip(&parquet[1..]).zip(csv) {
            // The CSV writes a null as NA; a text that is NA is NA in both.
            assert_eq!(p, c, "column {name} of {row:?}");
        }
    }
}

/// Issue 12: the Parquet export holds the CSV export's values, row by row, typed, with
/// the event ids; text with commas, quotes, newlines, formula-like cells and non-ASCII
/// letters comes back as it went in; 35 sources make 35 source columns; a FIPS code
/// stays text.
#[test]
fn issue_12_parquet_reads_back_equal_to_the_csv_export() {
    let mut rows: Vec<ExportRow> = [
        minneapolis("ev-1"),
        event("ev-2", "Espa\u{f1}ola", "NM", None),
        event("ev-3", "Boise", "ID", Some((0, 0))),
    ]
    .iter()
    .map(ExportRow::from)
    .collect();
    rows[0].size_text = Some("notes, with \"quotes\"\nand a newline".into());
    rows[0].title = Some("=HYPERLINK(\"x\")".into());
    rows[0].sources = (0..35)
        .map(|i| format!("https://example.org/{i}"))
        .collect();
    rows[1].participants = Some(String::new());
    rows[2].valence = Some("NA".into());
    // A county code whose state code starts with 0 (Jefferson County, AL).
    rows[2].fips = Some(Fips::parse("1073").unwrap());
    rows.push(ExportRow::default());
    for compress in [true, false] {
        assert_parquet_matches_csv(&rows, ParquetOptions { compress });
    }
    let mut bytes = Vec::new();
    write_parquet(&mut bytes, &rows, ParquetOptions::default()).unwrap();
    let (names, cells) = parquet_as_csv_cells(&bytes);
    assert_eq!(names.len(), 1 + 17 + 35 + 4);
    assert_eq!(
        cells[2][names.iter().position(|n| n == "fips_code").unwrap()],
        "01073"
    );
    // An empty text is an empty string, not a null; the CSV cannot tell them apart.
    assert_eq!(
        cells[1][names.iter().position(|n| n == "participants").unwrap()],
        ""
    );
}

/// Issue 12: a large export is cut into row groups, and an empty one is a valid file.
#[test]
fn issue_12_parquet_row_groups_and_empty_exports() {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    let read = |rows: &[ExportRow]| {
        let mut bytes = Vec::new();
        write_parquet(&mut bytes, rows, ParquetOptions::default()).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("events.parquet");
        std::fs::write(&path, bytes).unwrap();
        let reader = SerializedFileReader::try_from(path.as_path()).unwrap();
        let metadata = reader.metadata();
        (
            metadata.num_row_groups(),
            metadata.file_metadata().num_rows(),
        )
    };
    assert_eq!(read(&[]), (0, 0));
    let rows = vec![ExportRow::default(); PARQUET_ROW_GROUP_ROWS + 1];
    assert_eq!(read(&rows), (2, PARQUET_ROW_GROUP_ROWS as i64 + 1));
}

/// Issue 12: a destination that fails says so as an I/O error.
#[test]
fn issue_12_a_failing_destination_is_an_io_error() {
    struct Full;
    impl std::io::Write for Full {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::Error::new(
                std::io::ErrorKind::StorageFull,
                "disk full",
            ))
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let rows = vec![ExportRow::default(); 10];
    let error = write_parquet(Full, &rows, ParquetOptions::default()).unwrap_err();
    assert!(
        matches!(error, tally_publish::PublishError::Io(_)),
        "{error:?}"
    );
    assert!(error.to_string().contains("disk full"), "{error}");
}

proptest! {
    // Each case writes and reads a file; 64 cases keep the test under a few seconds.
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn issue_12_parquet_equals_the_csv_export(rows in proptest::collection::vec(any_row(), 0..20)) {
        let rows: Vec<ExportRow> = rows
            .into_iter()
            .enumerate()
            .map(|(i, row)| ExportRow { id: Some(format!("ev-{i:016x}")), ..row })
            .collect();
        assert_parquet_matches_csv(&rows, ParquetOptions::default());
    }
}
