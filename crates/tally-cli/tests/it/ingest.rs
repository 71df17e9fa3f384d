//! `tally ingest` end to end: exact totals, idempotence, rejects by line, `--strict`,
//! and a kill in the middle.

use crate::{path_str, stderr, stdout, Workspace};

const DATASET: &str = "\
date,locality,state,location_detail,online,type,title,macroevent,organizations,participants,claims,valence,issues,issues_major,size_low,size_high,size_mean,size_text,size_cat,arrests,participant_measures,police_measures,participant_deaths,police_deaths,source_1,notes,lat,lon,resolved_locality,resolved_county,resolved_state,fips_code
2025-06-14,Chicago,IL,Daley Plaza,0,march,No Kings,,Indivisible,,no kings,1,democracy,,15000,75000,,,3,0,,,,,https://example.org/a,,41.88,-87.63,Chicago,Cook County,IL,17031
2025-06-14,Springfield,IL,,0,rally,No Kings,,,,,1,,,NA,NA,NA,dozens,1,NA,,,,,,,39.80,-89.64,Springfield,Sangamon County,IL,17167
2025-06-14,Springfield,IL,,0,rally,No Kings,,,,,1,,,NA,NA,NA,dozens,1,NA,,,,,,,39.80,-89.64,Springfield,Sangamon County,IL,17167
2025-06-14,Boise,ID,Statehouse,0,rally,No Kings,,,,\"no kings, democracy\",1,,,NA,10000,,,,,,,,,,\"two lines
of notes\",43.61,-116.20,Boise,Ada County,ID,16001
2025-06-14,Anchorage,AK,,0,rally,No Kings,,,,,1,,,NA,NA,NA,,,,,,,,,,61.22,-149.90,Anchorage,Anchorage Municipality,AK,2020
";

fn totals(ws: &Workspace) -> serde_json::Value {
    ws.json(&["estimate", "--json"])
}

#[test]
fn dataset_ingests_with_exact_totals_and_twice_changes_nothing() {
    let ws = Workspace::new();
    let file = ws.file("ccc.csv", DATASET);
    let first = ws.run(&["ingest", path_str(&file)]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(
        stdout(&first).contains("5 reports added"),
        "{}",
        stdout(&first)
    );
    let t = totals(&ws);
    assert_eq!(t["events"], 5, "{t}");
    assert_eq!(t["events_with_size"], 4, "{t}");
    // 15,000–75,000 + 24 + 24 (two distinct rows coded by rule) + 10,000 (one bound).
    assert_eq!(t["known_low"], 15_000 + 24 + 24 + 10_000, "{t}");
    assert_eq!(t["known_high"], 75_000 + 24 + 24 + 10_000, "{t}");
    assert_eq!(t["states"], 3, "{t}");

    let again = ws.run(&["ingest", path_str(&file)]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(
        stdout(&again).contains("0 reports added, 5 duplicates skipped"),
        "{}",
        stdout(&again)
    );
    assert_eq!(totals(&ws), t);
}

#[test]
fn a_malformed_row_is_named_by_file_and_line_and_strict_lands_nothing() {
    let ws = Workspace::new();
    let bad = DATASET.replace("2025-06-14,Boise", "not-a-date,Boise");
    let file = ws.file("bad.csv", bad);
    let strict = ws.run(&["ingest", "--strict", path_str(&file)]);
    assert_eq!(strict.status.code(), Some(1), "{}", stderr(&strict));
    assert!(
        stderr(&strict).contains(&format!("{}:5:", path_str(&file))),
        "{}",
        stderr(&strict)
    );
    assert_eq!(totals(&ws)["events"], 0);

    let lenient = ws.run(&["ingest", path_str(&file)]);
    assert_eq!(lenient.status.code(), Some(1));
    assert!(
        stderr(&lenient).contains(&format!("{}:5:", path_str(&file))),
        "{}",
        stderr(&lenient)
    );
    assert_eq!(totals(&ws)["events"], 4);
}

#[test]
fn a_missing_file_is_bad_input_naming_it() {
    let ws = Workspace::new();
    let output = ws.run(&["ingest", "nowhere.csv"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("nowhere.csv"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_killed_ingest_leaves_all_or_nothing_and_a_rerun_completes_it() {
    let ws = Workspace::new();
    let file = ws.dir.path().join("big.csv");
    let synth = ws.run(&[
        "synth",
        "--rows",
        "15000",
        "--seed",
        "7",
        "--out",
        path_str(&file),
    ]);
    assert!(synth.status.success(), "{}", stderr(&synth));
    let full = {
        let reference = Workspace::new();
        let output = reference.run(&["ingest", path_str(&file)]);
        assert!(
            output.status.code().is_some_and(|c| c <= 1),
            "{}",
            stderr(&output)
        );
        reference.json(&["estimate", "--json"])
    };
    for delay_ms in [30u64, 150, 400] {
        let ws = Workspace::new();
        let mut child = ws
            .command()
            .args(["ingest", path_str(&file)])
            .spawn()
            .expect("spawn");
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        // Issue 13: an integrity check that cannot run is a failure, not "ok". Only a
        // kill before the ledger file or its tables existed leaves nothing to check.
        if !ws.db().exists() {
            continue;
        }
        let conn = rusqlite::Connection::open(ws.db()).expect("open ledger after kill");
        let check: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap_or_else(|e| {
                panic!("after a kill at {delay_ms} ms: integrity check failed: {e}")
            });
        assert_eq!(check, "ok", "after a kill at {delay_ms} ms");
        let has_reports: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'reports'",
                [],
                |r| r.get(0),
            )
            .expect("read the schema after a kill");
        let reports: i64 = if has_reports == 0 {
            0
        } else {
            conn.query_row("SELECT count(*) FROM reports", [], |r| r.get(0))
                .unwrap_or_else(|e| {
                    panic!("after a kill at {delay_ms} ms: cannot count reports: {e}")
                })
        };
        let expected = full["events"].as_i64().unwrap();
        assert!(
            reports == 0 || reports == expected,
            "after a kill at {delay_ms} ms: {reports} reports"
        );
        let rerun = ws.run(&["ingest", path_str(&file)]);
        assert!(
            rerun.status.code().is_some_and(|c| c <= 1),
            "{}",
            stderr(&rerun)
        );
        assert_eq!(
            ws.json(&["estimate", "--json"])["known_low"],
            full["known_low"]
        );
        assert_eq!(ws.json(&["estimate", "--json"])["events"], full["events"]);
    }
}

#[test]
fn a_binary_file_and_a_ledger_that_is_not_one_are_bad_input_naming_the_file() {
    let ws = Workspace::new();
    let binary = ws.file(
        "sheet.xlsx",
        b"PK\x03\x04\x14\x00\x06\x00binary spreadsheet",
    );
    let output = ws.run(&["ingest", path_str(&binary)]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("sheet.xlsx: not a text file"),
        "{}",
        stderr(&output)
    );

    let not_a_ledger = ws.file("notes.db", "just some notes\n");
    let output = ws.run(&["--db", path_str(&not_a_ledger), "estimate"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("cannot open ledger"),
        "{}",
        stderr(&output)
    );
    assert!(stderr(&output).contains("notes.db"), "{}", stderr(&output));
    assert_eq!(std::fs::read(&not_a_ledger).unwrap(), b"just some notes\n");
}
