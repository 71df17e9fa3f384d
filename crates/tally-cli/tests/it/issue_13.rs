//! Issue 13, as a user and an attacker would try it: `--out` onto the ledger and onto a
//! device node, a mistyped `--db`, a foreign database, `> /dev/full`, a closed pipe, a
//! REPLACE bypass, dropped triggers, damage, two writers, a demo re-run over user data.
//! Each ends with nothing lost, a clear message and the documented exit code.

use crate::{path_str, stderr, stdout, Workspace};
use std::path::Path;
use std::process::Stdio;

const REPORTS: &str = "\
date,locality,state,event,size_low,size_high,size_text,attribution,publisher,url
2025-06-14,Chicago,IL,No Kings,15000,15000,police figure,police,Paper A,https://a.example/1
2025-06-14,Chicago,IL,No Kings,75000,75000,organizers' figure,organizers,Paper B,https://b.example/1
2025-06-14,Peoria,IL,No Kings,,,hundreds,media,Paper C,https://c.example/1
2025-06-14,Boise,ID,No Kings,,10000,up to 10000,organizers,Paper F,https://f.example/1
";

fn ingested() -> Workspace {
    let ws = Workspace::new();
    let input = ws.file("reports.csv", REPORTS);
    let output = ws.run(&["ingest", path_str(&input)]);
    assert!(output.status.success(), "{}", stderr(&output));
    ws
}

fn assert_exit(output: &std::process::Output, code: i32, needle: &str) {
    assert_eq!(output.status.code(), Some(code), "{}", stderr(output));
    assert!(stderr(output).contains(needle), "{}", stderr(output));
    assert!(!stderr(output).contains("panicked"), "{}", stderr(output));
}

#[test]
fn issue_13_export_onto_the_ledger_is_refused_and_the_ledger_kept() {
    let ws = ingested();
    let before = std::fs::read(ws.db()).unwrap();
    let link = ws.dir.path().join("alias.db");
    std::os::unix::fs::symlink(ws.db(), &link).unwrap();
    let wal = format!("{}-wal", path_str(&ws.db()));
    for target in [path_str(&ws.db()), "./tally.db", path_str(&link), &wal] {
        let output = ws.run(&["export", "--format", "csv", "--out", target]);
        assert_exit(&output, 1, "refusing to write");
    }
    assert_eq!(std::fs::read(ws.db()).unwrap(), before);
    assert_eq!(ws.json(&["estimate", "--json"])["events"], 3);
}

#[test]
fn issue_13_export_onto_a_device_node_or_a_symlink_is_refused() {
    let ws = ingested();
    // A device node of our own where we may make one (as root), else a FIFO; and the
    // real /dev/null, which must stay a character device.
    let node = ws.dir.path().join("null");
    let made = std::process::Command::new("mknod")
        .args([path_str(&node), "c", "1", "3"])
        .status()
        .is_ok_and(|s| s.success())
        || std::process::Command::new("mkfifo")
            .arg(path_str(&node))
            .status()
            .is_ok_and(|s| s.success());
    assert!(made, "cannot make a special file to test with");
    for target in [path_str(&node), "/dev/null"] {
        let output = ws.run(&["export", "--out", target]);
        assert_exit(&output, 1, "not a regular file");
        let kind = std::fs::symlink_metadata(target).unwrap().file_type();
        assert!(!kind.is_file(), "{target} was replaced by a regular file");
    }
    let real = ws.file("real.csv", "keep me\n");
    let link = ws.dir.path().join("link.csv");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let output = ws.run(&["export", "--out", path_str(&link)]);
    assert_exit(&output, 1, "symbolic link");
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(std::fs::read(&real).unwrap(), b"keep me\n");

    // A regular file is replaced, keeping its mode.
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o644)).unwrap();
    let output = ws.run(&["export", "--out", path_str(&real)]);
    assert!(output.status.success(), "{}", stderr(&output));
    let metadata = std::fs::metadata(&real).unwrap();
    assert_eq!(metadata.permissions().mode() & 0o777, 0o644);
    assert!(std::fs::read_to_string(&real).unwrap().starts_with("date,"));
}

#[test]
fn issue_13_a_missing_db_is_an_error_and_nothing_is_created() {
    let ws = Workspace::new();
    let typo = ws.dir.path().join("tallly.db");
    for args in [
        vec!["estimate"],
        vec!["estimate", "--json"],
        vec!["events"],
        vec!["export"],
        vec!["check", "over 1,000 people", "--date", "2025-06-14"],
        vec!["verify"],
    ] {
        let mut full = vec!["--db", path_str(&typo)];
        full.extend(args);
        let output = ws.run(&full);
        assert_exit(&output, 1, "no ledger at");
        assert!(stdout(&output).is_empty(), "{}", stdout(&output));
        assert!(!typo.exists(), "{full:?} created the ledger");
    }
    // An ingest of files that cannot be read creates nothing either.
    let output = ws.run(&["ingest", "nosuch.csv"]);
    assert_exit(&output, 1, "nosuch.csv");
    assert!(!ws.db().exists());
}

#[test]
fn issue_13_a_foreign_sqlite_database_is_left_untouched() {
    let ws = Workspace::new();
    let theirs = ws.dir.path().join("theirs.db");
    let conn = rusqlite::Connection::open(&theirs).unwrap();
    conn.execute_batch("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('hi');")
        .unwrap();
    drop(conn);
    let before = std::fs::read(&theirs).unwrap();
    let csv = ws.file("reports.csv", REPORTS);
    for args in [
        vec!["estimate"],
        vec!["ingest", path_str(&csv)],
        vec!["link"],
    ] {
        let mut full = vec!["--db", path_str(&theirs)];
        full.extend(args);
        let output = ws.run(&full);
        assert_exit(&output, 1, "not a tally ledger");
    }
    assert_eq!(std::fs::read(&theirs).unwrap(), before);
    assert!(!Path::new(&format!("{}-wal", path_str(&theirs))).exists());
}

#[test]
fn issue_13_a_read_only_ledger_is_read() {
    let ws = ingested();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(ws.db(), std::fs::Permissions::from_mode(0o444)).unwrap();
    let totals = ws.json(&["estimate", "--json"]);
    assert_eq!(totals["events"], 3, "{totals}");
}

/// Every command that prints, with its output going to `/dev/full`.
fn printing_commands(ws: &Workspace) -> Vec<Vec<String>> {
    let csv = ws.file("more.csv", REPORTS.replace("Paper", "Outlet"));
    let article = ws.file(
        "a.txt",
        "Thousands marched in Peoria, Illinois on Saturday.",
    );
    let id = ws.json(&["events", "--json"])[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    [
        vec!["ingest", path_str(&csv)],
        vec!["extract", path_str(&article)],
        vec!["geocode", "Boise, ID"],
        vec!["estimate"],
        vec!["estimate", "--json"],
        vec!["events"],
        vec!["events", "--json"],
        vec!["event", &id],
        vec!["check", "over 1,000 people", "--date", "2025-06-14"],
        vec!["compare", "--date", "2025-06-14", "state=IL", "state=ID"],
        vec!["area", "--m2", "1000", "--density", "light"],
        vec!["export"],
        vec!["export", "--format", "geojson"],
        vec!["link"],
        vec!["link", "decisions"],
        vec!["synth", "--rows", "50"],
        vec!["verify"],
    ]
    .into_iter()
    .map(|args| args.into_iter().map(String::from).collect())
    .collect()
}

#[test]
fn issue_13_output_to_dev_full_exits_3_with_a_message_never_a_panic() {
    let ws = ingested();
    let commands = printing_commands(&ws);
    for args in &commands {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let output = ws
            .command()
            .args(args)
            .stdout(Stdio::from(full))
            .output()
            .unwrap();
        let text = stderr(&output);
        assert!(!text.contains("panicked"), "{args:?}: {text}");
        assert_eq!(output.status.code(), Some(3), "{args:?}: {text}");
        assert!(text.contains("No space left"), "{args:?}: {text}");
    }
    // The ledger is intact, and the ingest whose summary could not be printed landed.
    assert_eq!(
        ws.json(&["verify", "--json"])["problems"],
        serde_json::json!([])
    );
    let events = ws.json(&["events", "--json"]);
    assert!(!events.as_array().unwrap().is_empty());
}

#[test]
fn issue_13_a_closed_pipe_ends_quietly() {
    let ws = ingested();
    for args in [
        vec!["events"],
        vec!["export"],
        vec!["synth", "--rows", "20000"],
    ] {
        let mut child = ws
            .command()
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let output = child.wait_with_output().unwrap();
        assert_eq!(
            output.status.code(),
            Some(0),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(stderr(&output).is_empty() || !stderr(&output).contains("panicked"));
    }
}

#[test]
fn issue_13_a_multi_file_ingest_reports_every_file_and_goes_past_a_bad_one() {
    let ws = Workspace::new();
    let a = ws.file("a.csv", REPORTS);
    let bad = ws.file("bad.csv", [0u8, 159, 146, 150, 0, 0, 1, 2]);
    let b = ws.file("b.csv", REPORTS.replace("Boise", "Nampa"));
    let output = ws.run(&[
        "ingest",
        path_str(&a),
        "nope.csv",
        path_str(&bad),
        path_str(&b),
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let text = stdout(&output);
    for name in ["a.csv", "nope.csv", "bad.csv", "b.csv"] {
        assert!(text.contains(name), "{name} missing from: {text}");
    }
    assert!(stderr(&output).contains("nope.csv"), "{}", stderr(&output));
    // Both good files landed.
    let places: Vec<String> = ws
        .json(&["events", "--json"])
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["place"]["locality"].as_str().unwrap_or("").to_string())
        .collect();
    assert!(places.iter().any(|p| p == "Nampa"), "{places:?}");
    assert!(places.iter().any(|p| p == "Boise"), "{places:?}");
}

#[test]
fn issue_13_replace_bypass_is_refused_and_dropped_triggers_stop_writes() {
    let ws = ingested();
    let conn = rusqlite::Connection::open(ws.db()).unwrap();
    let size = "SELECT low FROM report_estimates WHERE report_id = 1 AND ord = 0";
    let before: i64 = conn.query_row(size, [], |r| r.get(0)).unwrap();
    for sql in [
        "REPLACE INTO report_estimates (report_id, ord, low, high, attribution, scope,
                                        coded_by_rule)
         SELECT report_id, ord, 2500000, 2500000, attribution, scope, coded_by_rule
         FROM report_estimates WHERE report_id = 1",
        "REPLACE INTO reports (id, source_row, received_at, place)
         SELECT id, source_row, received_at, place FROM reports WHERE id = 1",
        "INSERT OR REPLACE INTO sources (row, id, kind, chunk, start, length)
         SELECT row, id, kind, chunk, start + 1, length - 1 FROM sources WHERE row = 1",
        "UPDATE files SET origin = 'x'",
        "DELETE FROM files",
    ] {
        assert!(conn.execute_batch(sql).is_err(), "accepted: {sql}");
    }
    let after: i64 = conn.query_row(size, [], |r| r.get(0)).unwrap();
    assert_eq!(before, after);
    let verified = ws.run(&["verify"]);
    assert!(verified.status.success(), "{}", stdout(&verified));

    // Without its guards, the ledger takes no writes, and verify says why.
    conn.execute_batch("DROP TRIGGER reports_refuse_replace; DROP TRIGGER sources_refuse_replace;")
        .unwrap();
    conn.execute_batch(
        "REPLACE INTO sources (row, id, kind, origin, locator, received_at, file_id, chunk,
                               start, length)
         SELECT row, id, kind, origin, locator, received_at, file_id, chunk, start + 1,
                length - 1
         FROM sources WHERE row = 1",
    )
    .unwrap();
    drop(conn);
    let more = ws.file("more.csv", REPORTS.replace("Paper", "Outlet"));
    let output = ws.run(&["ingest", path_str(&more)]);
    assert_exit(&output, 1, "append-only guards");
    let verified = ws.run(&["verify"]);
    assert_eq!(verified.status.code(), Some(1), "{}", stdout(&verified));
    let text = stdout(&verified);
    assert!(text.contains("reports_refuse_replace is missing"), "{text}");
    assert!(text.contains("does not match its address"), "{text}");
}

#[test]
fn issue_13_a_damaged_ledger_is_refused_with_how_to_recover() {
    let ws = Workspace::new();
    let big = ws.dir.path().join("big.csv");
    assert!(ws
        .run(&[
            "synth",
            "--rows",
            "3000",
            "--seed",
            "3",
            "--out",
            path_str(&big)
        ])
        .status
        .success());
    let output = ws.run(&["ingest", path_str(&big)]);
    assert!(
        output.status.code().is_some_and(|c| c <= 1),
        "{}",
        stderr(&output)
    );
    let conn = rusqlite::Connection::open(ws.db()).unwrap();
    conn.pragma_update(None, "wal_checkpoint", "TRUNCATE")
        .unwrap();
    drop(conn);
    let mut bytes = std::fs::read(ws.db()).unwrap();
    // The first 4 KiB of the middle page (of 16 KiB): its header and cell pointers, so
    // the damage breaks the page's structure wherever the ledger's layout puts its rows
    // (garbage in the middle of a page can fall in its free space or in a text).
    let middle = bytes.len() / 2 / 16384 * 16384;
    let mut x: u32 = 99;
    for b in &mut bytes[middle..middle + 4096] {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        *b = (x >> 16) as u8;
    }
    std::fs::write(ws.db(), &bytes).unwrap();
    let more = ws.file("more.csv", REPORTS);
    for args in [vec!["ingest", path_str(&more)], vec!["estimate"]] {
        let output = ws.run(&args);
        assert_exit(&output, 1, "tally verify");
    }
    assert_eq!(
        std::fs::read(ws.db()).unwrap(),
        bytes,
        "nothing was written"
    );
    let verified = ws.run(&["verify"]);
    assert_eq!(verified.status.code(), Some(1), "{}", stdout(&verified));
    assert!(
        stdout(&verified).contains("sqlite:"),
        "{}",
        stdout(&verified)
    );
}

#[test]
fn issue_13_two_writers_seconds_apart_both_land() {
    let ws = ingested();
    // The first writer holds the ledger for a few seconds, as a long ingest would.
    let conn = rusqlite::Connection::open(ws.db()).unwrap();
    conn.execute_batch("BEGIN IMMEDIATE").unwrap();
    let second = ws.file("second.csv", REPORTS.replace("Boise", "Nampa"));
    let child = ws
        .command()
        .args(["ingest", path_str(&second)])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_secs(3));
    conn.execute_batch("COMMIT").unwrap();
    drop(conn);
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("waiting for another tally writing to"),
        "{}",
        stderr(&output)
    );
    assert!(
        stdout(&output).contains("1 reports added"),
        "{}",
        stdout(&output)
    );

    // With a short --wait the second writer gives up cleanly and adds nothing.
    let conn = rusqlite::Connection::open(ws.db()).unwrap();
    conn.execute_batch("BEGIN IMMEDIATE").unwrap();
    let third = ws.file("third.csv", REPORTS.replace("Boise", "Meridian"));
    let output = ws.run(&["--wait", "1", "ingest", path_str(&third)]);
    assert_exit(&output, 1, "still being written");
    conn.execute_batch("COMMIT").unwrap();
}

#[test]
fn issue_13_demo_never_deletes_user_data_and_honours_db() {
    let ws = Workspace::new();
    let ledger = ws.dir.path().join("mine.db");
    // --db (and TALLY_DB) name the demo's ledger when --ledger is not given.
    let output = ws.run(&["--db", path_str(&ledger), "demo"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(ledger.exists());
    assert!(!ws.dir.path().join("tally-demo.db").exists());
    // A re-run over the demo's own ledger starts afresh.
    let output = ws.run(&["--db", path_str(&ledger), "demo"]);
    assert!(output.status.success(), "{}", stderr(&output));

    // The user adds their own reports and a decision.
    let mine = ws.file("mine.csv", REPORTS.replace("Boise", "Nampa"));
    let added = ws.run(&["--db", path_str(&ledger), "ingest", path_str(&mine)]);
    assert!(added.status.success(), "{}", stderr(&added));
    let before = ws.json(&["--db", path_str(&ledger), "estimate", "--json"]);
    let output = ws.run(&["demo", "--ledger", path_str(&ledger)]);
    assert_exit(&output, 1, "holds data the demo did not write");
    assert!(stderr(&output).contains("mine.csv"), "{}", stderr(&output));
    let after = ws.json(&["--db", path_str(&ledger), "estimate", "--json"]);
    assert_eq!(before, after);

    // A decision alone is the user's too.
    let other = ws.dir.path().join("other.db");
    assert!(ws
        .run(&["demo", "--ledger", path_str(&other)])
        .status
        .success());
    let decided = ws.run(&["--db", path_str(&other), "link", "reject", "1"]);
    assert!(decided.status.success(), "{}", stderr(&decided));
    let output = ws
        .command()
        .env("TALLY_DB", &other)
        .arg("demo")
        .output()
        .unwrap();
    assert_exit(&output, 1, "decisions");
}

/// The bundled demo's statements, split into two files, every other row to each, so
/// that most gatherings have reports in both.
fn two_halves(ws: &Workspace) -> (std::path::PathBuf, std::path::PathBuf) {
    let all = include_str!("../../demo/june-14-2025-reports.csv");
    let mut lines = all.lines();
    let header = lines.next().unwrap();
    let (mut a, mut b) = (format!("{header}\n"), format!("{header}\n"));
    for (i, line) in lines.enumerate() {
        let half = if i % 2 == 0 { &mut a } else { &mut b };
        half.push_str(line);
        half.push('\n');
    }
    (ws.file("a.csv", a), ws.file("b.csv", b))
}

/// Everything an event says except the ledger numbers of its reports, which count
/// receipts and so follow the order of ingest by nature.
fn without_report_numbers(events: &serde_json::Value) -> serde_json::Value {
    let mut events = events.clone();
    for event in events.as_array_mut().unwrap() {
        let object = event.as_object_mut().unwrap();
        let members = object.remove("reports").unwrap();
        object.insert(
            "report_count".into(),
            members.as_array().unwrap().len().into(),
        );
        object.remove("low_from");
        object.remove("high_from");
    }
    events
}

#[test]
fn issue_13_two_ingest_orders_give_the_same_event_ids_and_estimates() {
    let ab = Workspace::new();
    let ba = Workspace::new();
    let (a, b) = two_halves(&ab);
    for (ws, order) in [(&ab, [&a, &b]), (&ba, [&b, &a])] {
        let output = ws.run(&["ingest", path_str(order[0]), path_str(order[1])]);
        assert!(
            output.status.code().is_some_and(|c| c <= 1),
            "{}",
            stderr(&output)
        );
    }
    for args in [
        vec!["estimate", "--json"],
        vec![
            "estimate",
            "--date",
            "2025-06-14",
            "--match",
            "no kings",
            "--json",
        ],
        vec!["estimate", "--by", "state", "--json"],
    ] {
        let (first, second) = (ab.run(&args), ba.run(&args));
        assert!(first.status.success(), "{args:?}: {}", stderr(&first));
        assert_eq!(
            stdout(&first),
            stdout(&second),
            "{args:?} differs with the order of ingest"
        );
    }
    // A check's verdict and evidence too (its list of excluded statements names reports
    // by their ledger numbers, which count receipts).
    let check = [
        "check",
        "more than 5,000,000 people",
        "--date",
        "2025-06-14",
        "--json",
    ];
    let (first, second) = (ab.json(&check), ba.json(&check));
    assert_eq!(first["verdict"], second["verdict"]);
    for key in [
        "participants_low",
        "participants_high",
        "imputed_point",
        "known_low",
    ] {
        assert_eq!(first["evidence"][key], second["evidence"][key], "{key}");
    }
    let (first, second) = (
        ab.json(&["events", "--json"]),
        ba.json(&["events", "--json"]),
    );
    let ids = |events: &serde_json::Value| -> Vec<String> {
        events
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(ids(&first).len() > 100, "{}", ids(&first).len());
    assert_eq!(ids(&first), ids(&second));
    assert_eq!(
        without_report_numbers(&first).to_string(),
        without_report_numbers(&second).to_string()
    );
    // The same file ingested alone and in a pair names its events the same way too.
    let alone = Workspace::new();
    let output = alone.run(&["ingest", path_str(&a), path_str(&b)]);
    assert!(output.status.code().is_some_and(|c| c <= 1));
    assert_eq!(ids(&alone.json(&["events", "--json"])), ids(&first));
}

#[test]
fn issue_13_csv_export_neutralises_formula_cells_and_raw_opts_out() {
    let ws = Workspace::new();
    let hostile = "\
date,locality,state,event,size_low,size_high,size_text,attribution,publisher,url
2025-06-14,Chicago,IL,\"=HYPERLINK(\"\"http://x.example\"\",\"\"click\"\")\",100,100,,media,Paper A,https://a.example/1
2025-06-14,Peoria,IL,+cmd|' /C calc'!A0,200,200,,media,Paper B,https://b.example/1
2025-06-14,Boise,ID,@SUM(1+1),300,300,,media,Paper C,https://c.example/1
2025-06-14,Nampa,ID,No Kings,400,400,,media,Paper D,javascript:alert(1)
";
    let file = ws.file("hostile.csv", hostile);
    let output = ws.run(&["ingest", path_str(&file)]);
    // The javascript: address is a rejected row with its reason; the rest land.
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains(":5: url is not an http(s) address"),
        "{}",
        stderr(&output)
    );
    assert!(
        stdout(&output).contains("3 reports added"),
        "{}",
        stdout(&output)
    );

    let titles = |raw: bool| -> Vec<String> {
        let mut args = vec!["export", "--format", "csv"];
        if raw {
            args.push("--raw");
        }
        let output = ws.run(&args);
        assert!(output.status.success(), "{}", stderr(&output));
        let mut reader = csv::Reader::from_reader(output.stdout.as_slice());
        let headers = reader.headers().unwrap().clone();
        let title = headers.iter().position(|h| h == "title").unwrap();
        let lon = headers.iter().position(|h| h == "lon").unwrap();
        let mut titles = Vec::new();
        for record in reader.records() {
            let record = record.unwrap();
            // Numbers such as a negative longitude are values, not formulas: untouched.
            assert!(record[lon].starts_with('-'), "{:?}", &record[lon]);
            titles.push(record[title].to_string());
        }
        titles.sort();
        titles
    };
    assert_eq!(
        titles(false),
        [
            "'+cmd|' /C calc'!A0",
            "'=HYPERLINK(\"http://x.example\",\"click\")",
            "'@SUM(1+1)",
        ]
    );
    assert_eq!(
        titles(true),
        [
            "+cmd|' /C calc'!A0",
            "=HYPERLINK(\"http://x.example\",\"click\")",
            "@SUM(1+1)",
        ]
    );
}

#[test]
fn issue_13_control_characters_from_sources_are_escaped_on_the_terminal() {
    let ws = Workspace::new();
    // A numeric character reference is how an escape sequence survives into an
    // article's text (raw control bytes are refused as "not a text file").
    let file = ws.file(
        "esc.html",
        "<html><head><title>No Kings &#x1b;[31m march</title></head><body><p>Organizers \
         said 3,000 people marched in Peoria, Illinois on June 14, 2025.</p></body></html>\n",
    );
    let output = ws.run(&["ingest", "--date", "2025-06-15", path_str(&file)]);
    assert!(output.status.success(), "{}", stderr(&output));
    let events = ws.json(&["events", "--json"]);
    let id = events[0]["id"].as_str().unwrap().to_string();
    let shown = ws.run(&["event", &id]);
    assert!(shown.status.success(), "{}", stderr(&shown));
    let text = stdout(&shown);
    assert!(!text.contains('\u{1b}'), "{text:?}");
    assert!(text.contains("No Kings \\x1b[31m march"), "{text}");
    // JSON carries the data as it is (escaped by JSON's own rules).
    let json = ws.run(&["event", &id, "--json"]);
    assert!(stdout(&json).contains("\\u001b[31m"), "{}", stdout(&json));
}
