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
        assert!(text.contains("== 4. Claims beside the evidence"), "{text}");
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

/// Issue 8: the demo, `check --stored` and an ad-hoc `check` give one answer for the
/// same claim, because they make the same library call on the same stored claims.
#[test]
fn issue_8_demo_and_check_give_one_answer() {
    let ws = Workspace::new();
    let ledger = ws.dir.path().join("demo.db");
    let output = ws.run(&["demo", "--ledger", path_str(&ledger)]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    let section: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("== 4."))
        .take_while(|l| !l.starts_with("== 5."))
        .filter(|l| l.starts_with('['))
        .collect();
    let db = path_str(&ledger);
    let stored = ws.json(&["--db", db, "check", "--stored", "--json"]);
    let stored = stored.as_array().expect("an array of checks");
    assert!(stored.len() >= 15, "the demo stores its national claims");
    for check in stored {
        let verdict = check["verdict"].as_str().unwrap();
        let claim = check["claim"]["text"].as_str().unwrap();
        let line = format!("[{verdict}]");
        assert!(
            section
                .iter()
                .any(|l| l.starts_with(&line) && l.contains(&format!(" {claim}  ("))),
            "the demo does not print {verdict} for {claim:?}:\n{}",
            section.join("\n")
        );
    }
    // The same claims asked ad hoc, with their claimant, get the same verdicts.
    let mut asked: Vec<(String, String)> = Vec::new();
    for check in stored {
        let claim = check["claim"]["text"].as_str().unwrap().to_string();
        let claimant = check["claim"]["claimant"]
            .as_str()
            .unwrap_or("")
            .to_string();
        if asked.contains(&(claim.clone(), claimant.clone())) {
            continue;
        }
        asked.push((claim.clone(), claimant.clone()));
        // The stored claim's place and gathering, as flags.
        let field = |name: &str| check["claim"][name].as_str().unwrap_or("").to_string();
        let (locality, state, movement) = (field("locality"), field("state"), field("movement"));
        let mut args = vec![
            "--db",
            db,
            "check",
            &claim,
            "--date",
            "2025-06-14",
            "--json",
        ];
        for (flag, value) in [
            ("--locality", &locality),
            ("--state", &state),
            ("--match", &movement),
            ("--claimant", &claimant),
        ] {
            if !value.is_empty() {
                args.extend([flag, value.as_str()]);
            }
        }
        let adhoc = ws.json(&args);
        assert_eq!(adhoc["verdict"], check["verdict"], "{claim} ({claimant})");
    }
    // City-wide claims are stored too: a state's, and the White House's about the parade.
    assert!(
        stored.iter().any(|c| c["claim"]["state"] == "PA"),
        "Pennsylvania"
    );
    assert!(stored
        .iter()
        .any(|c| c["claim"]["locality"] == "Washington" && c["verdict"] == "above_evidence"));
    // The headline example of the issue: stated event counts are in the ledger now, so
    // a national claim is judged on the total extrapolated to every event they state.
    let five = ws.json(&[
        "--db",
        db,
        "check",
        "5 million people",
        "--date",
        "2025-06-14",
        "--json",
    ]);
    assert_eq!(five["evidence"]["ledger_incomplete"], true, "{five}");
    assert!(
        five["evidence"]["events_missing"].as_u64().unwrap() > 1_500,
        "{five}"
    );
    let verdict = five["verdict"].as_str().unwrap();
    assert_ne!(verdict, "insufficient_evidence", "{five}");
    assert!(section
        .iter()
        .any(|l| l.starts_with(&format!("[{verdict}]")) && l.contains(" 5,000,000 people  (")));
}

/// Issue 8: the White House's figure is not evidence for the White House's claim.
#[test]
fn issue_8_a_claim_is_not_checked_against_its_claimant() {
    let ws = Workspace::new();
    let ledger = ws.dir.path().join("demo.db");
    let output = ws.run(&["demo", "--ledger", path_str(&ledger)]);
    assert!(output.status.success(), "{}", stderr(&output));
    let check = ws.json(&[
        "--db",
        path_str(&ledger),
        "check",
        "The White House said more than 250,000 people attended the parade",
        "--date",
        "2025-06-14",
        "--json",
    ]);
    assert_eq!(check["verdict"], "above_evidence", "{check}");
    assert_eq!(check["claim"]["claimant"], "officials");
    let excluded = check["evidence"]["excluded"].as_array().unwrap();
    assert!(excluded.iter().any(|x| x["attribution"] == "officials"
        && x["reason"] == "claimant"
        && x["high"] == 250_000));
    // The verdict follows from the range printed beside it.
    let part = &check["evidence"]["parts"][0];
    assert!(part["claim_low"].as_u64().unwrap() > part["evidence_high"].as_u64().unwrap());
    let text = stdout(&ws.run(&[
        "--db",
        path_str(&ledger),
        "check",
        "The White House said more than 250,000 people attended the parade",
        "--date",
        "2025-06-14",
    ]));
    assert!(text.contains("excluded     officials 250,000"), "{text}");
}
