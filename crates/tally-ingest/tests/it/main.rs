//! Integration tests of the format adapters over the files in `test_data/ingest/`:
//! exact totals, exact reject lines, encodings and content addresses.

use chrono::{TimeZone, Utc};
use proptest::prelude::*;
use std::path::PathBuf;
use tally_ingest::{parse_column_map, read_file, Format, IngestError, IngestOptions, ParsedFile};
use tally_model::{Attribution, SourceKind};

fn data(name: &str) -> Vec<u8> {
    let path: PathBuf = [
        env!("CARGO_MANIFEST_DIR"),
        "..",
        "..",
        "test_data",
        "ingest",
        name,
    ]
    .iter()
    .collect();
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn options() -> IngestOptions {
    IngestOptions::new(Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap())
}

/// (records, records with a size, sum of lows, sum of highs).
fn totals(parsed: &ParsedFile) -> (usize, usize, u64, u64) {
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

fn reject_lines(parsed: &ParsedFile) -> Vec<usize> {
    parsed.rejects.iter().map(|r| r.line).collect()
}

fn record_at(parsed: &ParsedFile, line: usize) -> &tally_ingest::Record {
    parsed
        .records
        .iter()
        .find(|r| r.line == line)
        .unwrap_or_else(|| panic!("no record at line {line}"))
}

#[test]
fn dataset_2017_era_gives_exact_totals() {
    let parsed = read_file(
        "test_data/ccc-2017-2020.csv",
        &data("ccc-2017-2020.csv"),
        &options(),
    )
    .unwrap();
    assert_eq!(parsed.format, Format::Dataset);
    assert_eq!(parsed.encoding, "utf-8");
    assert_eq!(parsed.rows_read, 16);
    assert_eq!(totals(&parsed), (13, 12, 4584, 5284));
    assert_eq!(reject_lines(&parsed), vec![12, 13, 18]);
    assert_eq!(
        parsed.rejects[0].reason,
        "size_low 900 is above size_high 300"
    );
    assert_eq!(parsed.rejects[1].reason, "size_low is not a size: \"lots\"");

    // The byte-order mark is not part of the first header.
    let la = record_at(&parsed, 2);
    assert_eq!(la.report.place.locality.as_deref(), Some("Los Angeles"));
    assert_eq!(la.report.date, Some("2019-03-15".parse().unwrap()));
    let resolved = la.report.place.resolved.as_ref().unwrap();
    assert_eq!(resolved.fips.as_ref().unwrap().as_str(), "06037");
    assert_eq!(la.report.urls.len(), 2);
    assert_eq!(
        record_at(&parsed, 17)
            .report
            .place
            .resolved
            .as_ref()
            .unwrap()
            .fips
            .as_ref()
            .unwrap()
            .as_str(),
        "01073"
    );

    // Vague words are coded by rule; numbers with the matching word are marked too.
    for line in [5, 6, 16] {
        let estimate = &record_at(&parsed, line).report.estimates[0];
        assert!(estimate.coded_by_rule(), "line {line}");
    }
    assert_eq!(
        record_at(&parsed, 5).report.estimates[0].vague_text(),
        Some("dozens")
    );
    let omaha = &record_at(&parsed, 15).report.estimates[0];
    assert_eq!(
        (omaha.low(), omaha.qualifier(), omaha.coded_by_rule()),
        (350, Some("about"), false)
    );
    assert!(record_at(&parsed, 7).report.estimates.is_empty());

    // A quoted newline: the row starts on line 9 and keeps its text verbatim.
    let seattle = record_at(&parsed, 9);
    assert!(seattle
        .source
        .content
        .contains("marched\nto the federal building"));
    assert_eq!(
        seattle.report.notes.as_deref(),
        Some("Students walked out, then marched\nto the federal building")
    );

    // Online, no place.
    let online = record_at(&parsed, 14);
    assert!(online.report.place.online);
    assert_eq!(online.report.place.locality, None);

    // Every row of a curated dataset is its own event.
    assert!(parsed
        .records
        .iter()
        .all(|r| r.report.batch.as_deref() == Some("ccc-2017-2020.csv")
            && r.source.kind == SourceKind::DatasetRow
            && r.report
                .estimates
                .iter()
                .all(|e| e.attribution() == Attribution::Unknown)));
}

#[test]
fn identical_rows_stay_distinct_and_ids_are_stable() {
    let bytes = data("ccc-2017-2020.csv");
    let first = read_file("a/ccc.csv", &bytes, &options()).unwrap();
    let again = read_file("b/ccc.csv", &bytes, &options()).unwrap();
    let ids = |p: &ParsedFile| {
        p.records
            .iter()
            .map(|r| r.source.id.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&first), ids(&again));
    let (eight, eleven) = (record_at(&first, 8), record_at(&first, 11));
    assert_eq!(eight.source.content, eleven.source.content);
    assert_ne!(eight.source.id, eleven.source.id);
    let mut unique = ids(&first);
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), first.records.len());
}

#[test]
fn dataset_2021_era_latin1_crlf_gives_exact_totals() {
    let parsed = read_file(
        "ccc-2021-present.csv",
        &data("ccc-2021-present.csv"),
        &options(),
    )
    .unwrap();
    assert_eq!(parsed.format, Format::Dataset);
    assert_eq!(parsed.encoding, "windows-1252");
    assert_eq!(parsed.rows_read, 14);
    assert_eq!(totals(&parsed), (11, 10, 35_168, 76_008));
    assert_eq!(reject_lines(&parsed), vec![13, 14, 15]);
    assert_eq!(
        parsed.rejects[1].reason,
        "size_high is not a size: \"12abc\""
    );

    let espanola = record_at(&parsed, 2);
    assert_eq!(espanola.report.place.raw, "Espa\u{f1}ola, NM");
    assert!(espanola.source.content.contains("Espa\u{f1}ola"));
    assert_eq!(espanola.report.title.as_deref(), Some("No Kings"));
    assert_eq!(
        espanola.report.organizers.as_deref(),
        Some("Indivisible; 50501")
    );
    assert_eq!(espanola.report.participants.as_deref(), Some("residents"));
    let sf = record_at(&parsed, 9)
        .report
        .place
        .resolved
        .as_ref()
        .unwrap();
    assert_eq!(sf.fips.as_ref().unwrap().as_str(), "06075");
    assert_eq!(sf.state.as_str(), "CA");

    // The CRLF inside a quoted note is kept, and the next row starts on line 9.
    let bangor = record_at(&parsed, 7);
    assert!(bangor
        .report
        .notes
        .as_deref()
        .unwrap()
        .contains("march\r\nalong"));
    assert!(!bangor.source.content.ends_with('\n'));

    let dc = record_at(&parsed, 11);
    assert!(dc.report.estimates.is_empty());
    assert_eq!(dc.report.size_text.as_deref(), Some("a large crowd"));
    assert!(record_at(&parsed, 12).report.place.online);
    assert!(record_at(&parsed, 16).report.place.resolved.is_none());
    for (line, value) in [(3, 2000), (4, 20_000), (10, 3)] {
        let estimate = &record_at(&parsed, line).report.estimates[0];
        assert_eq!(
            (estimate.low(), estimate.coded_by_rule()),
            (value, true),
            "line {line}"
        );
    }
}

#[test]
fn tally_sheet_gives_exact_totals() {
    let mut options = options();
    options.date = Some("2025-06-14".parse().unwrap());
    let parsed = read_file(
        "sheets/sheet-no-kings.csv",
        &data("sheet-no-kings.csv"),
        &options,
    )
    .unwrap();
    assert_eq!(parsed.format, Format::Sheet);
    assert_eq!(parsed.rows_read, 14);
    assert_eq!(parsed.blank_rows, 1);
    assert_eq!(totals(&parsed), (9, 7, 37_050, 92_900));
    assert_eq!(reject_lines(&parsed), vec![10, 13, 14]);
    assert_eq!(
        parsed.rejects[0].reason,
        "City, ST is empty but the row has a size"
    );
    assert_eq!(
        parsed.rejects[1].reason,
        "Estimate1 (low) 2,000 is above Estimate (high) 1,500"
    );
    assert_eq!(
        parsed.rejects[2].reason,
        "Estimate1 (low) is not a size: \"lots\""
    );
    assert_eq!(parsed.warnings.len(), 1);
    assert_eq!(parsed.warnings[0].line, Some(11));

    let twin = record_at(&parsed, 2);
    assert_eq!(twin.report.place.raw, "St. Paul/Minneapolis, MN");
    assert_eq!(twin.report.place.state.map(|s| s.as_str()), Some("MN"));
    assert_eq!(twin.report.date, Some("2025-06-14".parse().unwrap()));
    assert_eq!(
        twin.report.notes.as_deref(),
        Some("State Patrol low; organizers high")
    );
    let dc = record_at(&parsed, 3);
    assert_eq!(dc.report.place.state.map(|s| s.as_str()), Some("DC"));
    assert_eq!(
        (dc.report.estimates[0].low(), dc.report.estimates[0].high()),
        (7000, 7000)
    );
    assert!(record_at(&parsed, 4).report.place.online);
    assert_eq!(record_at(&parsed, 5).report.place.state, None);
    // Two rows for Boise on one day are two events of one batch.
    let boise: Vec<_> = parsed
        .records
        .iter()
        .filter(|r| r.report.place.locality.as_deref() == Some("Boise"))
        .collect();
    assert_eq!(boise.len(), 2);
    assert!(boise
        .iter()
        .all(|r| r.report.batch.as_deref() == Some("sheet-no-kings.csv")));
    let springfield = &record_at(&parsed, 9).report;
    assert!(springfield.estimates[0].coded_by_rule());
    assert_eq!(springfield.size_text.as_deref(), Some("hundreds"));
    assert!(record_at(&parsed, 15).report.estimates.is_empty());
}

#[test]
fn issue_13_sheet_without_a_date_is_refused() {
    let error = read_file("s.csv", &data("sheet-no-kings.csv"), &options()).unwrap_err();
    assert!(
        matches!(error, IngestError::SheetWithoutDate { .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("--date YYYY-MM-DD"), "{error}");
    // A date column with a blank cell rejects that row alone, unless --date fills it.
    let file = "City,Low,High,Date\nBoise ID,10,20,2025-06-14\nSalem OR,5,6,\n";
    let parsed = read_file("d.csv", file.as_bytes(), &options()).unwrap();
    assert_eq!(parsed.records.len(), 1);
    assert_eq!(parsed.rejects.len(), 1);
    assert_eq!(parsed.rejects[0].line, 3);
    assert!(
        parsed.rejects[0].reason.contains("no --date"),
        "{:?}",
        parsed.rejects
    );
    let mut dated = options();
    dated.date = Some("2025-06-14".parse().unwrap());
    let parsed = read_file("d.csv", file.as_bytes(), &dated).unwrap();
    assert_eq!(parsed.records.len(), 2);
    assert!(parsed.records.iter().all(|r| r.report.date.is_some()));
}

#[test]
fn sheet_with_unguessable_headers_names_them_and_map_fixes_it() {
    let bytes = data("sheet-odd-headers.csv");
    let error = read_file("odd.csv", &bytes, &options()).unwrap_err();
    assert!(
        matches!(error, IngestError::UnrecognizedHeader { .. }),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "odd.csv: cannot tell the format from the header; headers seen: Where, Lo, Hi, When; give --format"
    );
    let mut sheet = options();
    sheet.format = Format::Sheet;
    let error = read_file("odd.csv", &bytes, &sheet).unwrap_err();
    assert_eq!(
        error.to_string(),
        "odd.csv: no low or high column found; headers seen: Where, Lo, Hi, When; name it with --map low=HEADER"
    );
    let mut mapped = options();
    mapped.column_map = parse_column_map("low=Lo,high=Hi,date=When").unwrap();
    let parsed = read_file("odd.csv", &bytes, &mapped).unwrap();
    assert_eq!(parsed.format, Format::Sheet);
    assert_eq!(totals(&parsed), (2, 2, 140, 290));
    assert_eq!(
        parsed.records[0].report.date,
        Some("2025-06-14".parse().unwrap())
    );
    mapped.column_map = parse_column_map("low=Lower").unwrap();
    assert!(matches!(
        read_file("odd.csv", &bytes, &mapped),
        Err(IngestError::MappedColumnNotFound { .. })
    ));
}

#[test]
fn reports_rows_keep_attribution_and_have_no_batch() {
    let parsed = read_file("reports-mini.csv", &data("reports-mini.csv"), &options()).unwrap();
    assert_eq!(parsed.format, Format::Reports);
    assert_eq!(totals(&parsed), (5, 4, 29_540, 35_540));
    assert_eq!(reject_lines(&parsed), vec![7]);
    assert!(parsed
        .records
        .iter()
        .all(|r| r.report.batch.is_none() && r.source.kind == SourceKind::ReportRow));
    let who: Vec<Attribution> = parsed
        .records
        .iter()
        .filter_map(|r| r.report.estimates.first().map(|e| e.attribution()))
        .collect();
    assert_eq!(
        who,
        vec![
            Attribution::Police,
            Attribution::Organizers,
            Attribution::Researchers,
            Attribution::Media
        ]
    );
    let parade = record_at(&parsed, 6);
    assert_eq!(parade.report.title.as_deref(), Some("Military parade"));
    assert_eq!(
        parade.report.urls,
        vec!["https://example.org/dc".to_string()]
    );
}

#[test]
fn articles_and_empty_files_are_refused() {
    let mut articles = options();
    articles.format = Format::Articles;
    assert!(matches!(
        read_file("a.txt", b"text", &articles),
        Err(IngestError::NotTabular { .. })
    ));
    assert!(matches!(
        read_file("e.csv", b"", &options()),
        Err(IngestError::Empty { .. })
    ));
}

/// Cells that real dataset files hold, good and bad.
fn messy_cell() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("NA".to_string()),
        Just(String::new()),
        Just("dozens".to_string()),
        Just("1,200".to_string()),
        Just("about 300".to_string()),
        Just("5-3".to_string()),
        Just("\"quoted, comma\"".to_string()),
        Just("\"multi\nline\"".to_string()),
        Just("\"".to_string()),
        (0u64..100_000).prop_map(|n| n.to_string()),
        "[a-z ,]{0,8}",
    ]
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        for format in [Format::Auto, Format::Dataset, Format::Sheet, Format::Reports] {
            let mut options = options();
            options.format = format;
            if let Ok(parsed) = read_file("fuzz.csv", &bytes, &options) {
                for record in &parsed.records {
                    for e in &record.report.estimates {
                        prop_assert!(e.low() <= e.high());
                    }
                }
            }
        }
    }

    #[test]
    fn messy_dataset_rows_keep_low_at_most_high(
        rows in proptest::collection::vec(proptest::collection::vec(messy_cell(), 5), 0..20)
    ) {
        let mut file = String::from("date,locality,state,size_low,size_high,size_text\n");
        for row in &rows {
            file.push_str("2020-01-01,");
            file.push_str(&row.join(","));
            file.push('\n');
        }
        let parsed = read_file("p.csv", file.as_bytes(), &options()).unwrap();
        prop_assert_eq!(
            parsed.records.len() + parsed.rejects.len() + parsed.blank_rows,
            parsed.rows_read
        );
        for record in &parsed.records {
            for e in &record.report.estimates {
                prop_assert!(e.low() <= e.high());
            }
        }
    }
}

#[test]
fn sheet_header_below_title_rows_with_a_state_column() {
    let mut options = options();
    options.date = Some("2025-06-14".parse().unwrap());
    let parsed = read_file("title.csv", &data("sheet-title-rows.csv"), &options).unwrap();
    assert_eq!(parsed.format, Format::Sheet);
    assert_eq!(parsed.rows_read, 4);
    assert!(parsed.rejects.is_empty(), "{:?}", parsed.rejects);
    // 1,000-1,500; 300; "100s" = hundreds = 200; ~800 to 1,200+.
    assert_eq!(totals(&parsed), (4, 4, 2300, 3200));
    assert_eq!(parsed.warnings[0].line, Some(3));
    let boise = record_at(&parsed, 4);
    assert_eq!(boise.report.place.locality.as_deref(), Some("Boise"));
    assert_eq!(boise.report.place.state.map(|s| s.as_str()), Some("ID"));
    let encinitas = record_at(&parsed, 5);
    assert_eq!(encinitas.report.place.raw, "Encinitas, CA (Seacrest)");
    assert_eq!(encinitas.report.notes.as_deref(), Some("beach rally"));
    assert!(record_at(&parsed, 6).report.estimates[0].coded_by_rule());
    assert_eq!(
        record_at(&parsed, 7).report.place.state.map(|s| s.as_str()),
        Some("MT")
    );
}

/// Cells of hand-kept sheets: figures with separators, words, placeholders, junk.
fn sheet_cell() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("?".to_string()),
        Just("hundreds".to_string()),
        Just("\"7,000\"".to_string()),
        Just("~500".to_string()),
        Just("1,000+".to_string()),
        Just("100-150".to_string()),
        Just("TOTAL".to_string()),
        Just("\"Boise, ID\"".to_string()),
        (0u64..50_000).prop_map(|n| n.to_string()),
        "[A-Za-z ./()]{0,10}",
    ]
}

proptest! {
    #[test]
    fn messy_sheets_account_for_every_row(
        rows in proptest::collection::vec(proptest::collection::vec(sheet_cell(), 4), 0..20),
        separator in prop_oneof![Just(','), Just(';')],
    ) {
        let mut file = format!("City{separator}Low{separator}High{separator}Notes\n");
        for row in &rows {
            file.push_str(&row.join(&separator.to_string()));
            file.push('\n');
        }
        let mut options = options();
        options.format = Format::Sheet;
        options.date = Some("2025-06-14".parse().unwrap());
        let parsed = read_file("s.csv", file.as_bytes(), &options).unwrap();
        let skipped = parsed.warnings.iter().filter(|w| w.line.is_some()).count();
        prop_assert_eq!(
            parsed.records.len() + parsed.rejects.len() + parsed.blank_rows + skipped,
            parsed.rows_read
        );
        for record in &parsed.records {
            for e in &record.report.estimates {
                prop_assert!(e.low() <= e.high());
            }
        }
    }
}

/// Issue 8: an organizing platform's CSV export becomes unsized reports, one per
/// listing, with the RSVP count kept as a predictor and never as a size; bad listings
/// are rejected by line.
#[test]
fn event_list_csv_gives_unsized_listings_with_rsvps_issue_8() {
    let parsed = read_file(
        "eventlist-platform.csv",
        &data("eventlist-platform.csv"),
        &options(),
    )
    .unwrap();
    assert_eq!(parsed.format, Format::EventList);
    assert_eq!(parsed.rows_read, 6);
    assert_eq!(reject_lines(&parsed), vec![5, 6, 7]);
    assert!(
        parsed.rejects[0].reason.contains("no city"),
        "{:?}",
        parsed.rejects
    );
    assert!(
        parsed.rejects[1].reason.contains("not a date"),
        "{:?}",
        parsed.rejects
    );
    assert!(
        parsed.rejects[2].reason.contains("rsvp"),
        "{:?}",
        parsed.rejects
    );
    assert_eq!(parsed.records.len(), 3);
    for record in &parsed.records {
        assert_eq!(record.source.kind, SourceKind::Listing);
        assert!(
            record.report.estimates.is_empty(),
            "an RSVP is never a size"
        );
        assert_eq!(record.report.date.unwrap().to_string(), "2025-06-14");
        assert_eq!(
            record.report.batch.as_deref(),
            Some("eventlist-platform.csv")
        );
    }
    let peoria = record_at(&parsed, 2);
    assert_eq!(peoria.report.rsvp, Some(1250));
    assert_eq!(
        peoria.report.organizers.as_deref(),
        Some("Peoria Indivisible")
    );
    assert_eq!(
        peoria.report.location_detail.as_deref(),
        Some("Courthouse lawn, 100 N Main St")
    );
    let resolved = peoria.report.place.resolved.as_ref().unwrap();
    assert_eq!(
        (resolved.lat, resolved.lon),
        (Some(40.6936), Some(-89.5890))
    );
    let galesburg = record_at(&parsed, 3);
    assert_eq!(galesburg.report.place.state.unwrap().to_string(), "IL");
    assert_eq!(galesburg.report.rsvp, Some(85));
    // Re-reading gives the same content addresses.
    let again = read_file(
        "eventlist-platform.csv",
        &data("eventlist-platform.csv"),
        &options(),
    )
    .unwrap();
    assert_eq!(again.records[0].source.id, parsed.records[0].source.id);
}

/// Issue 8: a nested JSON export (listings under "data", places under "location",
/// the start in the first time slot, the host under "sponsor") reads the same way, and
/// each listing's JSON is kept verbatim as its source.
#[test]
fn event_list_json_reads_nested_exports_issue_8() {
    let bytes = data("eventlist-platform.json");
    let parsed = read_file("eventlist-platform.json", &bytes, &options()).unwrap();
    assert_eq!(parsed.format, Format::EventList);
    assert_eq!(parsed.rows_read, 3);
    assert_eq!(parsed.records.len(), 2, "{:?}", parsed.rejects);
    assert_eq!(reject_lines(&parsed), vec![31]);
    let peoria = &parsed.records[0];
    assert_eq!(peoria.line, 4);
    assert_eq!(
        peoria.report.title.as_deref(),
        Some("No Kings: Peoria Riverfront")
    );
    assert_eq!(
        peoria.report.organizers.as_deref(),
        Some("Central Illinois Resists")
    );
    assert_eq!(peoria.report.place.locality.as_deref(), Some("Peoria"));
    assert_eq!(peoria.report.event_type.as_deref(), Some("rally"));
    assert_eq!(peoria.report.rsvp, Some(412));
    assert_eq!(peoria.report.date.unwrap().to_string(), "2025-06-14");
    assert_eq!(
        peoria.report.urls,
        vec!["https://mobilise.example.net/event/9001/".to_string()]
    );
    assert!(peoria.source.content.starts_with('{') && peoria.source.content.contains("9001"));
    let online = &parsed.records[1];
    assert!(online.report.place.online);
    assert!(online.report.estimates.is_empty());
}

/// JSON Lines exports read one listing a line; a broken line is a reject naming it.
#[test]
fn event_list_json_lines_reject_bad_lines_by_number() {
    let text = "{\"title\":\"No Kings\",\"start_date\":\"2025-06-14\",\"city\":\"Urbana\",\"state\":\"IL\",\"rsvp_count\":9}\n\
                {\"title\": broken\n\
                {\"title\":\"No Kings\",\"start_date\":\"2025-06-14\",\"city\":\"Normal\",\"state\":\"IL\"}\n";
    let mut options = options();
    options.format = Format::EventList;
    let parsed = read_file("list.jsonl", text.as_bytes(), &options).unwrap();
    assert_eq!(parsed.records.len(), 2);
    assert_eq!(reject_lines(&parsed), vec![2]);
    assert_eq!(parsed.records[0].report.rsvp, Some(9));
}
