//! End-to-end tests of the `tally` binary: each test gets its own temp dir and ledger.

mod articles;
mod bounds;
mod demo;
mod estimate;
mod exit_codes;
mod export;
mod ingest;
mod issue_13;
mod postgres;
mod readme;
mod serve;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A temp dir with a ledger path, and a way to run `tally` against it.
pub struct Workspace {
    pub dir: tempfile::TempDir,
}

impl Default for Workspace {
    fn default() -> Workspace {
        Workspace::new()
    }
}

impl Workspace {
    pub fn new() -> Workspace {
        Workspace {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("tally.db")
    }

    pub fn file(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, contents).expect("write test file");
        path
    }

    pub fn command(&self) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_tally"));
        command
            .env("TALLY_DB", self.db())
            .env_remove("RUST_LOG")
            .current_dir(self.dir.path());
        command
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command().args(args).output().expect("run tally")
    }

    /// Runs and parses stdout as JSON, asserting success.
    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let output = self.run(args);
        assert!(
            output.status.success(),
            "tally {args:?} failed: {}",
            stderr(&output)
        );
        serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|e| panic!("tally {args:?}: not JSON ({e}): {}", stdout(&output)))
    }
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn path_str(path: &Path) -> &str {
    path.to_str().expect("utf-8 temp path")
}
