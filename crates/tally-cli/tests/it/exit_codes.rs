//! Issue 13: one table of exit codes for every command (README, "Exit codes and error
//! messages"): 0 success, 1 bad input, 2 usage, 3 internal. A test per command.

use crate::{stderr, Workspace};

/// (arguments, expected exit code, words the error must hold).
const CASES: &[(&[&str], i32, &str)] = &[
    // A missing file is bad input everywhere, naming the file.
    (&["ingest", "nosuch.csv"], 1, "cannot read nosuch.csv"),
    (&["extract", "nosuch.txt"], 1, "cannot read nosuch.txt"),
    (
        &["synth", "--rows", "3", "--out", "no/such/dir/s.csv"],
        1,
        "no/such/dir/s.csv",
    ),
    // Nothing to do, an unknown flag or a value not among a flag's forms: usage.
    (&["geocode"], 2, "required"),
    (&["geocode", "--lat", "40"], 2, "--lon"),
    (&["ingest"], 2, "required"),
    (&["ingest", "--format", "bogus", "x.csv"], 2, "--format"),
    (&["ingest", "--rules", "bogus", "x.csv"], 2, "--rules"),
    (&["ingest", "--map", "nonsense", "x.csv"], 2, "--map"),
    (&["extract", "--rules", "bogus"], 2, "--rules"),
    (&["estimate", "--by", "bogus"], 2, "--by"),
    (&["estimate", "--from", "2025-13-01"], 2, "--from"),
    (&["events", "--bogus"], 2, "--bogus"),
    (&["event"], 2, "required"),
    (&["check"], 2, "required"),
    (&["compare", "only-one"], 2, "required"),
    (&["calibrate", "--trials", "0"], 2, "--trials"),
    (&["area", "--density", "dense"], 2, "required"),
    (
        &["area", "--m2", "100", "--density", "bogus"],
        2,
        "--density",
    ),
    (&["export", "--bogus"], 2, "--bogus"),
    (&["link", "bogus"], 2, "bogus"),
    (&["synth"], 2, "--rows"),
    (&["synth", "--rows", "3", "--json"], 2, "--out"),
    (&["demo", "--bogus"], 2, "--bogus"),
    (&["serve", "--bogus"], 2, "--bogus"),
    (&["token"], 2, "subcommand"),
    (&["nosuchcommand"], 2, "nosuchcommand"),
    (
        &["--max-file-size", "lots", "estimate"],
        2,
        "--max-file-size",
    ),
    // Bad values inside otherwise good commands: bad input.
    (&["area", "--m2=-5", "--density", "dense"], 1, "--m2"),
    (
        &["area", "--m2", "1e300", "--density", "dense"],
        1,
        "plausibility bound",
    ),
];

#[test]
fn issue_13_exit_codes_follow_one_table() {
    let ws = Workspace::new();
    let mut wrong = Vec::new();
    for (args, code, words) in CASES {
        let output = ws.run(args);
        let message = stderr(&output);
        if output.status.code() != Some(*code) || !message.contains(words) {
            wrong.push(format!(
                "tally {}: exit {:?} (expected {code}), stderr: {message}",
                args.join(" "),
                output.status.code()
            ));
        }
        if *code == 1 {
            // Short and to the point: no backtrace, no usage dump.
            assert!(
                message.trim_end().lines().count() <= 2,
                "{args:?}: {message}"
            );
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn issue_13_help_exits_zero_for_every_command() {
    let ws = Workspace::new();
    for command in [
        "ingest",
        "extract",
        "geocode",
        "estimate",
        "events",
        "event",
        "check",
        "compare",
        "calibrate",
        "area",
        "export",
        "link",
        "synth",
        "demo",
        "serve",
        "token",
    ] {
        let output = ws.run(&[command, "--help"]);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{command}: {}",
            stderr(&output)
        );
    }
}
