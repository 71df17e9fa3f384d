//! Test support shared by the crates' test suites (not part of the ledger's API): a
//! PostgreSQL server to run the conformance tests against, and a database of its own
//! for each test.
//!
//! The server is named by `TALLY_TEST_PG` (`scripts/pg-cluster.sh start DIR` prints
//! one). Without it a test's PostgreSQL half says on the terminal that it was skipped;
//! with `TALLY_REQUIRE_PG` set (as `.ci/run` sets it) a missing server fails the test
//! instead, so CI can never pass without running it.

use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Issue 12: a relink's read of at least `ids` stored reports goes on two connections
/// (the writer's and a reader beside it) even on one core, so that tests with small
/// ledgers reach that path (in the ledger it starts at 512 ids, on two cores or more).
/// For the calling thread only (the thread that holds the ledger and ingests), so that
/// tests running side by side do not change each other's threshold.
pub fn split_reads_from(ids: usize) {
    crate::locators::split_reads_from(ids);
}

/// How many relink reads went on two connections on the calling thread so far.
pub fn split_reads() -> usize {
    crate::locators::split_reads()
}

/// How many files' link rows were written from what the caller held
/// (`write_link_rows_given`) in this process so far.
pub fn link_rows_given() -> usize {
    crate::link_rows::GIVEN.load(Ordering::Relaxed)
}

/// How many files' events were copied in from a scratch file written aside
/// (`crate::events_aside`) in this process so far.
pub fn events_copied_from_aside() -> usize {
    crate::events_aside::COPIED.load(Ordering::Relaxed)
}

/// How many stored reports small ingests read ahead, beside their writer, in this
/// process so far (issue 12, `crate::read_ahead`).
pub fn reports_read_ahead() -> usize {
    crate::read_ahead::reports_read_ahead()
}

/// The server named by `TALLY_TEST_PG`, or `None` after saying that `test` is skipped
/// on PostgreSQL. Panics when `TALLY_REQUIRE_PG` is set and no server is named.
pub fn postgres_server(test: &str) -> Option<String> {
    match std::env::var("TALLY_TEST_PG") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            if std::env::var_os("TALLY_REQUIRE_PG").is_some() {
                panic!("{test}: TALLY_REQUIRE_PG is set but TALLY_TEST_PG names no server");
            }
            // Straight to the terminal: the test harness captures `eprintln!`.
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED: {test} on PostgreSQL (set TALLY_TEST_PG, e.g. from scripts/pg-cluster.sh)"
            );
            None
        }
    }
}

/// A database made for one test on the test server, dropped with it.
pub struct TestDatabase {
    /// The database's URL, for `--db`.
    pub url: String,
    server: String,
    name: String,
}

impl TestDatabase {
    /// A new, empty database on `server`, named after `test`.
    pub fn new(server: &str, test: &str) -> TestDatabase {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            "t_{}_{}_{}",
            test.chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
                .take(30)
                .collect::<String>(),
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        )
        .to_lowercase();
        let mut admin = postgres::Client::connect(server, postgres::NoTls)
            .unwrap_or_else(|e| panic!("cannot reach TALLY_TEST_PG {server}: {e}"));
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .unwrap_or_else(|e| panic!("cannot create database {name}: {e}"));
        TestDatabase {
            url: with_database(server, &name),
            server: server.to_string(),
            name,
        }
    }

    /// A database for `test` when a server is named (see [`postgres_server`]).
    pub fn for_test(test: &str) -> Option<TestDatabase> {
        postgres_server(test).map(|server| TestDatabase::new(&server, test))
    }

    /// Runs SQL directly, bypassing tally as `psql` would; the server's message when
    /// it refuses.
    pub fn raw(&self, sql: &str) -> Result<(), String> {
        let mut client =
            postgres::Client::connect(&self.url, postgres::NoTls).map_err(|e| e.to_string())?;
        client.batch_execute(sql).map_err(|e| {
            e.as_db_error()
                .map_or_else(|| e.to_string(), |db| db.message().to_string())
        })
    }

    /// The first column of the first row of `sql`, as text.
    pub fn value(&self, sql: &str) -> String {
        let mut client = postgres::Client::connect(&self.url, postgres::NoTls).unwrap();
        client.query_one(sql, &[]).unwrap().get(0)
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Ok(mut client) = postgres::Client::connect(&self.server, postgres::NoTls) {
            let _ = client.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

/// `postgres://u@h/db?q` with another database name.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (url, String::new()),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| i + scheme_end);
    format!("{}/{name}{query}", &base[..host_end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_name_another_database() {
        assert_eq!(
            with_database("postgres://tally@localhost/tally?host=%2Ftmp%2Fpg", "t_1"),
            "postgres://tally@localhost/t_1?host=%2Ftmp%2Fpg"
        );
        assert_eq!(with_database("postgres://u@h", "x"), "postgres://u@h/x");
    }
}
