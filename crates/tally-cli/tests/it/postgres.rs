//! Issue 15: the ledger on PostgreSQL, end to end through the `tally` binary. Each test
//! runs when `TALLY_TEST_PG` names a server (`scripts/pg-cluster.sh start DIR`), in a
//! database of its own, and otherwise says on the terminal that it was skipped.

use crate::{path_str, stderr, Workspace};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};
use tally_store::testing::TestDatabase;

/// The fixture files of the judgement: both dataset eras and the reports CSV.
fn fixtures() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../test_data/ingest");
    [
        "ccc-2017-2020.csv",
        "ccc-2021-present.csv",
        "reports-mini.csv",
    ]
    .iter()
    .map(|name| root.join(name))
    .collect()
}

/// Runs `tally` with `--db db`, asserting success (for `ingest`, exit 1 too: the
/// fixtures hold rows it must reject); its stdout.
fn tally(ws: &Workspace, db: &str, args: &[&str]) -> String {
    let output = ws
        .command()
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap();
    let rejected_rows = args[0] == "ingest" && output.status.code() == Some(1);
    assert!(
        output.status.success() || rejected_rows,
        "tally --db {db} {args:?} failed: {}",
        stderr(&output)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// What the judgement compares: the estimate, both exports and the event list.
fn answers(ws: &Workspace, db: &str) -> Vec<String> {
    [
        &["estimate", "--json"][..],
        &["estimate", "--date", "2025-06-14", "--json"],
        &["export", "--format", "csv"],
        &["export", "--format", "geojson"],
        &["events", "--json"],
    ]
    .iter()
    .map(|args| tally(ws, db, args))
    .collect()
}

#[test]
fn issue_15_the_same_files_give_the_same_answers_on_sqlite_and_postgres() {
    let Some(pg) = TestDatabase::for_test("same_answers") else {
        return;
    };
    let ws = Workspace::new();
    let sqlite = ws.db();
    for file in fixtures() {
        tally(&ws, path_str(&sqlite), &["ingest", path_str(&file)]);
        tally(&ws, &pg.url, &["ingest", path_str(&file)]);
    }
    let expected = answers(&ws, path_str(&sqlite));
    assert!(expected[2].lines().count() > 10, "{}", expected[2]);
    assert_eq!(answers(&ws, &pg.url), expected);
    let verify = tally(&ws, &pg.url, &["verify", "--json"]);
    assert!(verify.contains("\"problems\": []"), "{verify}");
}

#[test]
fn issue_15_four_concurrent_ingests_equal_four_in_turn() {
    let Some(together) = TestDatabase::for_test("concurrent") else {
        return;
    };
    let in_turn = TestDatabase::new(&std::env::var("TALLY_TEST_PG").unwrap(), "in_turn");
    let ws = Workspace::new();
    let mut files = fixtures();
    // A fourth file of the same days, so that the writers share linking blocks.
    let extra = ws.dir.path().join("extra.csv");
    tally(
        &ws,
        &together.url,
        &[
            "synth",
            "--rows",
            "300",
            "--from",
            "2025-06-14",
            "--days",
            "1",
            "--out",
            path_str(&extra),
        ],
    );
    files.push(extra);
    // Create the schema first, so that the four start on an existing ledger.
    tally(&ws, &together.url, &["ingest", path_str(&files[0])]);
    tally(&ws, &in_turn.url, &["ingest", path_str(&files[0])]);
    // A server reads all along: its answers must never fail, and the writers must not
    // wait for it.
    let server = Server::start(&ws, &together.url);
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let reader = {
        let stop = stop.clone();
        let addr = server.addr;
        std::thread::spawn(move || {
            let mut answered = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let body = http_get(addr, "/api/v1/estimate").expect("a read failed under load");
                assert!(body.contains("\"events\""), "{body}");
                answered += 1;
            }
            answered
        })
    };
    let children: Vec<_> = files[1..]
        .iter()
        .chain(std::iter::once(&files[0]))
        .map(|file| {
            ws.command()
                .args(["--db", &together.url, "ingest", path_str(file)])
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert!(
            output.status.code().is_some_and(|c| c <= 1),
            "{}",
            stderr(&output)
        );
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let answered = reader.join().unwrap();
    assert!(answered > 0);
    drop(server);
    // The same files one after the other, in the order the writers committed: the
    // lock makes the concurrent run equal to that, to the report number. (The files'
    // order shows in an export, which names an event's sources in report order, so
    // another order would differ there while totals would not.)
    let order = together.value("SELECT string_agg(origin, '|' ORDER BY id) FROM files");
    for origin in order.split('|').skip(1) {
        tally(&ws, &in_turn.url, &["ingest", origin]);
    }
    let totals = |db: &str| {
        [
            tally(&ws, db, &["estimate", "--json"]),
            tally(&ws, db, &["export", "--format", "csv"]),
            tally(&ws, db, &["events", "--json"]),
        ]
    };
    assert_eq!(totals(&together.url), totals(&in_turn.url));
    let verify = tally(&ws, &together.url, &["verify", "--json"]);
    assert!(verify.contains("\"problems\": []"), "{verify}");
}

#[test]
fn issue_15_a_killed_ingest_leaves_nothing_and_a_rerun_completes() {
    let Some(pg) = TestDatabase::for_test("killed") else {
        return;
    };
    let ws = Workspace::new();
    let big = ws.dir.path().join("big.csv");
    tally(
        &ws,
        &pg.url,
        &["synth", "--rows", "5000", "--out", path_str(&big)],
    );
    tally(&ws, &pg.url, &["ingest", path_str(&fixtures()[0])]);
    let mut child = ws
        .command()
        .args(["--db", &pg.url, "ingest", path_str(&big)])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Kill it once its transaction has written rows (it holds the write lock then).
    let started = Instant::now();
    let holding = "SELECT count(*)::text FROM pg_locks WHERE locktype = 'advisory' AND granted";
    while pg.value(holding) == "0" {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the ingest ended before it could be killed"
        );
        assert!(started.elapsed() < Duration::from_secs(60));
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(100));
    child.kill().unwrap();
    child.wait().unwrap();
    // The server rolls the transaction back when the connection drops.
    while pg.value(holding) != "0" {
        assert!(started.elapsed() < Duration::from_secs(60));
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(pg.value("SELECT count(*)::text FROM files"), "1");
    assert_eq!(pg.value("SELECT count(*)::text FROM reports"), "13");
    tally(&ws, &pg.url, &["ingest", path_str(&big)]);
    assert_eq!(pg.value("SELECT count(*)::text FROM files"), "2");
    let sqlite = ws.db();
    tally(
        &ws,
        path_str(&sqlite),
        &["ingest", path_str(&fixtures()[0])],
    );
    tally(&ws, path_str(&sqlite), &["ingest", path_str(&big)]);
    assert_eq!(
        tally(&ws, &pg.url, &["estimate", "--json"]),
        tally(&ws, path_str(&sqlite), &["estimate", "--json"])
    );
}

#[test]
fn issue_15_migrate_ledger_copies_sqlite_to_postgres_and_back() {
    let Some(pg) = TestDatabase::for_test("migrate") else {
        return;
    };
    let ws = Workspace::new();
    let sqlite = ws.db();
    for file in fixtures() {
        tally(&ws, path_str(&sqlite), &["ingest", path_str(&file)]);
    }
    let reviewed = tally(&ws, path_str(&sqlite), &["events", "--json"]);
    assert!(reviewed.contains("\"id\""));
    let copied = tally(
        &ws,
        path_str(&sqlite),
        &["migrate-ledger", path_str(&sqlite), &pg.url, "--json"],
    );
    assert!(copied.contains("\"sources_verified\": 29"), "{copied}");
    let back = ws.dir.path().join("back.db");
    tally(
        &ws,
        path_str(&sqlite),
        &["migrate-ledger", &pg.url, path_str(&back)],
    );
    let expected = answers(&ws, path_str(&sqlite));
    assert_eq!(answers(&ws, &pg.url), expected);
    assert_eq!(answers(&ws, path_str(&back)), expected);
    // Never into a ledger that holds rows.
    let again = ws
        .command()
        .args(["migrate-ledger", path_str(&sqlite), &pg.url])
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(1), "{}", stderr(&again));
    assert!(
        stderr(&again).contains("already holds rows"),
        "{}",
        stderr(&again)
    );
}

#[test]
fn issue_15_a_server_reads_postgres() {
    let Some(pg) = TestDatabase::for_test("serve") else {
        return;
    };
    let ws = Workspace::new();
    tally(&ws, &pg.url, &["ingest", path_str(&fixtures()[0])]);
    let server = Server::start(&ws, &pg.url);
    let body = http_get(server.addr, "/api/v1/estimate").unwrap();
    drop(server);
    let cli = tally(&ws, &pg.url, &["estimate", "--json"]);
    let cli: serde_json::Value = serde_json::from_str(&cli).unwrap();
    let api: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(api["events"], cli["events"], "{body}");
}

/// `tally serve` on a free loopback port, answering; killed when dropped.
struct Server {
    addr: std::net::SocketAddr,
    child: std::process::Child,
}

impl Server {
    fn start(ws: &Workspace, db: &str) -> Server {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        drop(listener);
        let child = ws
            .command()
            .args(["--db", db, "serve", "--addr", &addr.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let server = Server { addr, child };
        let started = Instant::now();
        while http_get(addr, "/healthz").is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "the server never answered"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A bare HTTP/1.1 GET; the body of a 200 answer.
fn http_get(addr: std::net::SocketAddr, path: &str) -> Result<String, String> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).map_err(|e| e.to_string())?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .map_err(|e| e.to_string())?;
    let mut response = String::new();
    stream
        .read_to_string(&mut response)
        .map_err(|e| e.to_string())?;
    let (head, body) = response.split_once("\r\n\r\n").ok_or("no body")?;
    if !head.starts_with("HTTP/1.1 200") {
        return Err(head.to_string());
    }
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        return Err("chunked".into());
    }
    Ok(body.to_string())
}
