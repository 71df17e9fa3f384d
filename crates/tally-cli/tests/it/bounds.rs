//! Issue 13, item 3: hostile and implausible input is refused with a reason, never
//! rounded, wrapped or held whole in memory.

use crate::{path_str, stderr, stdout, Workspace};

const HEADER: &str = "date,locality,state,size_low,size_high";

#[test]
fn issue_13_implausible_sizes_and_dates_are_rejected_rows() {
    let ws = Workspace::new();
    let file = ws.file(
        "d.csv",
        format!(
            "{HEADER}\n2025-06-14,Boise,ID,9223372036854775808,NA\n2025-06-14,Salem,OR,1.5,2\n\
             2025-06-14,Bend,OR,NaN,NA\n9999-12-31,Bend,OR,5,6\n-0001-01-01,Bend,OR,5,6\n\
             2025-06-14,Eugene,OR,-3,NA\n2025-06-14,Medford,OR,20000001,NA\n\
             2025-06-14,Ashland,OR,10,20\n"
        ),
    );
    let output = ws.run(&["ingest", path_str(&file)]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let errors = stderr(&output);
    for (line, reason) in [
        (2, "above the plausibility bound of 20,000,000"),
        (3, "is not a whole number"),
        (4, "is not a number (NaN"),
        (5, "9999-12-31 is after"),
        (6, "-0001-01-01 is before 1900-01-01"),
        (7, "is negative"),
        (8, "above the plausibility bound"),
    ] {
        let prefix = format!("d.csv:{line}: ");
        assert!(
            errors
                .lines()
                .any(|l| l.contains(&prefix) && l.contains(reason)),
            "line {line} ({reason}): {errors}"
        );
    }
    assert!(
        stdout(&output).contains("8 rows read, 1 reports added"),
        "{}",
        stdout(&output)
    );
    let totals = ws.json(&["estimate", "--json", "--no-impute"]);
    assert_eq!(totals["known_low"], 10);
    assert_eq!(totals["known_high"], 20);
}

#[test]
fn issue_13_dev_zero_fails_fast_and_oversized_files_name_the_cap() {
    let ws = Workspace::new();
    let started = std::time::Instant::now();
    let output = ws.run(&["ingest", "/dev/zero"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(started.elapsed().as_secs() < 10);
    assert!(
        stderr(&output).contains("/dev/zero: not a text file"),
        "{}",
        stderr(&output)
    );

    let big = ws.file("big.csv", format!("{HEADER}\n").repeat(2000));
    let output = ws.run(&["--max-file-size", "10K", "ingest", path_str(&big)]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains(
            "larger than the limit of 10 KiB (10240 bytes); raise it with --max-file-size"
        ),
        "{}",
        stderr(&output)
    );
    let article = ws.file("a.html", format!("<p>{}</p>", "word ".repeat(5000)));
    let output = ws
        .command()
        .env("TALLY_MAX_DOCUMENT_SIZE", "8K")
        .args(["extract", path_str(&article)])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("the document is larger than the limit of 8 KiB"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn issue_13_one_bad_byte_is_replaced_in_its_line_only() {
    let ws = Workspace::new();
    let mut bytes = format!(
        "{HEADER},title\n2025-06-14,Boise,ID,10,20,No Kings \u{270a}\n2025-06-14,Salem,OR,1,2,bad X byte\n"
    )
    .into_bytes();
    let at = bytes.iter().position(|&b| b == b'X').unwrap();
    bytes[at] = 0xFF;
    let file = ws.file("u.csv", bytes);
    let output = ws.run(&["ingest", path_str(&file)]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout(&output).contains("(utf-8)"), "{}", stdout(&output));
    assert!(
        stderr(&output).contains("u.csv: warning: line 3: bytes that are not valid UTF-8"),
        "{}",
        stderr(&output)
    );
    let events = stdout(&ws.run(&["events", "--json"]));
    assert!(events.contains("No Kings \u{270a}"), "{events}");
}

#[test]
fn issue_13_an_unclosed_quote_is_reported_and_swallows_no_rows() {
    let ws = Workspace::new();
    let mut text = format!("{HEADER},notes\n2025-06-14,Boise,ID,10,20,\"never closed\n");
    for i in 0..50 {
        text.push_str(&format!("2025-06-14,Town {i},OR,{},{},ok\n", i + 1, i + 1));
    }
    let file = ws.file("q.csv", text);
    let output = ws.run(&["ingest", path_str(&file)]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("q.csv:2: a quote opened on line 2 is never closed"),
        "{}",
        stderr(&output)
    );
    assert!(
        stdout(&output).contains("51 rows read, 50 reports added"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn issue_13_a_huge_header_is_not_echoed() {
    let ws = Workspace::new();
    let file = ws.file("h.csv", format!("{}\n1,2\n", "x".repeat(5_000_000)));
    let output = ws.run(&["ingest", path_str(&file)]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).len() < 1000,
        "{} bytes",
        stderr(&output).len()
    );
}

#[test]
fn issue_13_area_beyond_the_bound_is_refused() {
    let ws = Workspace::new();
    let output = ws.run(&[
        "area",
        "--m2",
        "1e300",
        "--density",
        "dense",
        "--record",
        "--date",
        "2025-06-14",
        "--place",
        "Boise, ID",
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("plausibility bound"),
        "{}",
        stderr(&output)
    );
    let output = ws.run(&["area", "--m2", "NaN", "--density", "dense"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
}
