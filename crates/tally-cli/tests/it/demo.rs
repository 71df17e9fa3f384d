//! `tally demo`: runs from nothing to the national comparison, reruns afresh, and never
//! overwrites a ledger it did not make.

use crate::{path_str, stderr, stdout, Workspace};

#[test]
fn demo_runs_end_to_end_and_reruns_afresh() {
    let ws = Workspace::new();
    let ledger = ws.dir.path().join("demo.db");
    for _ in 0..2 {
        let output = ws.run(&["demo", "--ledger", path_str(&ledger)]);
        assert!(output.status.success(), "{}", stderr(&output));
        let text = stdout(&output);
        assert!(text.contains("375 rows read: 375 reports"), "{text}");
        assert!(
            text.contains("== 4. National claims beside the evidence"),
            "{text}"
        );
        assert!(
            text.contains("5,000,000 people in more than 2,100 places"),
            "{text}"
        );
        assert!(text.contains("No Kings / parade:"), "{text}");
    }
    // The ledger it leaves is an ordinary one the other commands read.
    let events = ws.json(&[
        "--db",
        path_str(&ledger),
        "estimate",
        "--date",
        "2025-06-14",
        "--match",
        "military parade",
        "--json",
    ]);
    assert_eq!(events["events"], 1, "{events}");
    assert_eq!(events["known_low"], 2_000, "{events}");
    assert_eq!(events["known_high"], 250_000, "{events}");
}

#[test]
fn demo_never_overwrites_another_ledger() {
    let ws = Workspace::new();
    let precious = ws.file("mine.db", b"not a demo ledger");
    let output = ws.run(&["demo", "--ledger", path_str(&precious)]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_eq!(std::fs::read(&precious).unwrap(), b"not a demo ledger");
}
