//! `tally export` end to end: CSV read back into an empty ledger gives the same totals;
//! GeoJSON is a FeatureCollection of the events with coordinates; Parquet is a whole
//! file or nothing.

use crate::{path_str, stderr, Workspace};

const REPORTS: &str = "\
date,locality,state,event,size_low,size_high,size_text,attribution,publisher,url
2025-06-14,Chicago,IL,No Kings,15000,15000,police figure,police,Paper A,https://a.example/1
2025-06-14,Chicago,IL,No Kings,75000,75000,organizers' figure,organizers,Paper B,https://b.example/1
2025-06-14,Peoria,IL,No Kings,,,hundreds,media,Paper C,https://c.example/1
2025-06-14,Washington,DC,Military parade,,,a large crowd,media,Paper E,https://e.example/1
2025-06-14,Boise,ID,No Kings,,10000,up to 10000,organizers,Paper F,https://f.example/1
";

#[test]
fn csv_export_reads_back_to_identical_totals() {
    let ws = Workspace::new();
    let input = ws.file("reports.csv", REPORTS);
    let ingested = ws.run(&["ingest", path_str(&input)]);
    assert!(ingested.status.success(), "{}", stderr(&ingested));
    let before = ws.json(&["estimate", "--json"]);
    assert_eq!(before["events"], 4, "{before}");
    assert_eq!(before["known_low"], 15_000 + 200 + 10_000, "{before}");
    assert_eq!(before["known_high"], 75_000 + 200 + 10_000, "{before}");

    let exported = ws.dir.path().join("export.csv");
    let export = ws.run(&["export", "--format", "csv", "--out", path_str(&exported)]);
    assert!(export.status.success(), "{}", stderr(&export));

    let fresh = Workspace::new();
    let reread = fresh.run(&["ingest", path_str(&exported)]);
    assert!(reread.status.success(), "{}", stderr(&reread));
    let after = fresh.json(&["estimate", "--json"]);
    for key in [
        "events",
        "events_with_size",
        "known_low",
        "known_high",
        "localities",
        "states",
    ] {
        assert_eq!(after[key], before[key], "{key}: {after} vs {before}");
    }
}

#[test]
fn geojson_export_has_a_point_per_located_event() {
    let ws = Workspace::new();
    let input = ws.file("reports.csv", REPORTS);
    assert!(ws.run(&["ingest", path_str(&input)]).status.success());
    let output = ws.run(&["export", "--format", "geojson"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["type"], "FeatureCollection");
    let features = json["features"].as_array().unwrap();
    assert_eq!(features.len(), 4);
    for feature in features {
        let coordinates = feature["geometry"]["coordinates"].as_array().unwrap();
        let (lon, lat) = (
            coordinates[0].as_f64().unwrap(),
            coordinates[1].as_f64().unwrap(),
        );
        assert!(
            (-180.0..=-60.0).contains(&lon) && (18.0..=72.0).contains(&lat),
            "{feature}"
        );
    }
}

/// Issue 12: `--format parquet` writes a Parquet file (magic bytes at both ends), to
/// `--out` or to a redirected standard output; a bad destination is a clear error that
/// leaves nothing behind.
#[test]
fn issue_12_parquet_export_is_a_whole_file_or_a_clear_error() {
    let ws = Workspace::new();
    let input = ws.file("reports.csv", REPORTS);
    assert!(ws.run(&["ingest", path_str(&input)]).status.success());
    let exported = ws.dir.path().join("events.parquet");
    let export = ws.run(&[
        "export",
        "--format",
        "parquet",
        "--out",
        path_str(&exported),
    ]);
    assert!(export.status.success(), "{}", stderr(&export));
    let bytes = std::fs::read(&exported).unwrap();
    assert!(bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1"));

    let piped = ws.run(&["export", "--format", "parquet"]);
    assert!(piped.status.success(), "{}", stderr(&piped));
    assert_eq!(piped.stdout, bytes, "the same export either way");

    let missing = ws.dir.path().join("no-such-folder").join("events.parquet");
    let failed = ws.run(&["export", "--format", "parquet", "--out", path_str(&missing)]);
    assert_eq!(failed.status.code(), Some(1), "{}", stderr(&failed));
    assert!(
        stderr(&failed).contains("no-such-folder"),
        "{}",
        stderr(&failed)
    );
    assert!(!missing.exists());
    let names: Vec<_> = std::fs::read_dir(ws.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.contains("tmp"))
        .collect();
    assert!(names.is_empty(), "{names:?}");
}

#[test]
fn an_unknown_format_is_bad_input() {
    let ws = Workspace::new();
    let output = ws.run(&["export", "--format", "xlsx"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
}

#[test]
fn estimate_without_imputation_gives_the_same_counts_from_one_scan() {
    let ws = Workspace::new();
    let input = ws.file("reports.csv", REPORTS);
    assert!(ws.run(&["ingest", path_str(&input)]).status.success());
    for filters in [
        vec![],
        vec!["--state", "IL"],
        vec!["--match", "no kings"],
        vec!["--locality", "chicago"],
    ] {
        let mut full_args = vec!["estimate", "--json"];
        full_args.extend(&filters);
        let mut fast_args = full_args.clone();
        fast_args.push("--no-impute");
        let (full, fast) = (ws.json(&full_args), ws.json(&fast_args));
        for key in [
            "events",
            "events_with_size",
            "coverage",
            "localities",
            "states",
            "known_low",
            "known_high",
            "population",
        ] {
            assert_eq!(
                full[key], fast[key],
                "{key} with {filters:?}: {full} vs {fast}"
            );
        }
        assert!(
            fast["imputed"].is_null() && fast["baseline"].is_null(),
            "{fast}"
        );
    }
}
