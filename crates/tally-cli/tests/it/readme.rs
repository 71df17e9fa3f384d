//! Issue 13: the README's "Using it" examples work as written after its two commands.
//!
//! The test runs `tally demo` in a fresh directory holding the repository's `examples/`
//! and `test_data/`, then every line of the "Using it" block in `sh`, after the block's
//! first line (which points `TALLY_DB` at the demo's ledger), with the built `tally` on
//! the `PATH`. Each line must succeed, and the estimate must not be the empty ledger's
//! zeros.

use crate::{stderr, stdout, Workspace};
use std::path::{Path, PathBuf};
use std::process::Command;

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The lines of the first `sh` block after "## Using it".
fn using_it_lines() -> Vec<String> {
    let readme = std::fs::read_to_string(repository().join("README.md")).expect("README.md");
    let section = &readme[readme.find("## Using it").expect("a Using it section")..];
    let block = &section[section.find("```sh\n").expect("an sh block") + 6..];
    let block = &block[..block.find("```").expect("the block ends")];
    block
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(str::to_string)
        .collect()
}

#[test]
fn readme_examples_work_as_written() {
    let ws = Workspace::new();
    for folder in ["examples", "test_data"] {
        std::os::unix::fs::symlink(repository().join(folder), ws.dir.path().join(folder))
            .expect("link a repository folder");
    }
    let binary_dir = Path::new(env!("CARGO_BIN_EXE_tally"))
        .parent()
        .unwrap()
        .to_path_buf();
    let path = std::env::join_paths(std::iter::once(binary_dir).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .unwrap();
    let shell = |script: &str| {
        Command::new("sh")
            .arg("-c")
            .arg(script)
            .current_dir(ws.dir.path())
            .env("PATH", &path)
            .env_remove("TALLY_DB")
            .env_remove("RUST_LOG")
            .output()
            .expect("run sh")
    };
    let demo = shell("tally demo");
    assert!(demo.status.success(), "tally demo: {}", stderr(&demo));

    let lines = using_it_lines();
    assert!(lines[0].starts_with("export TALLY_DB="), "{lines:?}");
    assert!(lines.len() > 15, "{lines:?}");
    for line in &lines[1..] {
        let output = shell(&format!("{}\n{line}", lines[0]));
        assert!(
            output.status.success(),
            "README line failed: {line}\nstdout: {}\nstderr: {}",
            stdout(&output),
            stderr(&output)
        );
        if line.starts_with("tally estimate --date 2025-06-14 --json") {
            let answer: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
            assert!(
                answer["totals"]["events"].as_u64().unwrap_or(0) > 100
                    || answer["events"].as_u64().unwrap_or(0) > 100,
                "the estimate reads an empty ledger: {answer}"
            );
        }
    }

    // Issue 13: types from titles, plain words, the right number, and no "too few".
    let run = |line: &str| {
        let output = shell(&format!("{}\n{line}", lines[0]));
        assert!(output.status.success(), "{line}: {}", stderr(&output));
        stdout(&output)
    };
    let parades = run("tally events --type parade --date 2025-06-14");
    assert!(parades.contains("Military parade"), "{parades}");
    let vermont = run("tally estimate --no-impute --date 2025-06-14 --state VT");
    assert!(vermont.contains("not computed (--no-impute)"), "{vermont}");
    assert!(!vermont.contains("too few"), "{vermont}");
    assert!(vermont.contains("in 1 state\n"), "{vermont}");
    let plain = run("tally estimate --date 2025-06-14");
    assert!(
        !plain.contains("method:") && !plain.contains("regression"),
        "{plain}"
    );
    let verbose = run("tally -v estimate --date 2025-06-14");
    assert!(verbose.contains("method:"), "{verbose}");
}
