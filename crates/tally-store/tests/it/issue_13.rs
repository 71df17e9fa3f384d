//! Issue 13: the ledger defends itself. Every bypass of append-only named in the issue
//! is tried with raw SQL; readers never create, migrate or write; damage and removed
//! guards are refused; a second writer waits.

use crate::{receipt, row};
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use tally_store::{Ledger, OpenOptions, StoreError};

/// A ledger file holding one committed file with one source and report.
fn ledger_with_one_row(dir: &Path) -> PathBuf {
    let path = dir.join("t.db");
    let mut ledger = Ledger::open(&path).unwrap();
    let (s, r) = row("a", "Chicago", 10, 20, "2025-06-15");
    let mut tx = ledger
        .begin_ingest(&receipt("f.csv", "2025-06-15"))
        .unwrap();
    tx.add(&s, &[r]).unwrap();
    tx.commit(1, 0).unwrap();
    ledger
        .record_decision(crate::at("2025-06-16"), "reject", "{}")
        .unwrap();
    ledger.record_demo_marker().unwrap();
    path
}

/// What a forger would change: a report's title, the compressed source text, a place,
/// an estimate.
type Snapshot = (String, Vec<u8>, String, i64);
const SNAPSHOT: &str = "SELECT title, (SELECT data FROM source_chunks),
    (SELECT raw FROM places), (SELECT low FROM report_estimates) FROM reports";

fn refused(conn: &Connection, sql: &str) {
    let result = conn.execute_batch(sql);
    assert!(result.is_err(), "the ledger accepted: {sql}");
}

#[test]
fn issue_13_replace_upsert_and_bookkeeping_bypasses_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = ledger_with_one_row(dir.path());
    let conn = Connection::open(&path).unwrap();
    let before: Snapshot = conn
        .query_row(SNAPSHOT, [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .unwrap();
    for sql in [
        // REPLACE deletes the conflicting row without firing delete triggers.
        "REPLACE INTO reports (id, source_row, received_at, place) VALUES (1, 1, 'x', 1)",
        "INSERT OR REPLACE INTO sources (id, kind, chunk, start, length)
         VALUES ('a', 'dataset_row', 1, 0, 1)",
        "INSERT OR REPLACE INTO sources (row, id, kind, chunk, start, length)
         VALUES (1, 'new-id', 'dataset_row', 1, 0, 1)",
        // Issue 12: the compressed texts, places and estimates are guarded alike.
        "REPLACE INTO source_chunks (id, codec, raw_len, data) VALUES (1, 'zstd', 1, x'00')",
        "UPDATE source_chunks SET data = x'00'",
        "DELETE FROM source_chunks",
        "UPDATE sources SET start = 1",
        "REPLACE INTO places (id, key, raw, online) VALUES (1, x'00', 'Elsewhere', 0)",
        "UPDATE places SET raw = 'Elsewhere'",
        "DELETE FROM places",
        "REPLACE INTO report_estimates (report_id, ord, low, high, attribution, scope,
                                        coded_by_rule)
         VALUES (1, 0, 1, 1, 'police', 'event', 0)",
        "UPDATE report_estimates SET low = 1",
        "DELETE FROM report_estimates",
        "REPLACE INTO decisions (id, made_at, kind, body) VALUES (1, 'x', 'merge', '{}')",
        // Upserts: the update path is guarded too.
        "INSERT INTO reports (id, source_row, received_at, place) VALUES (1, 1, 'x', 1)
         ON CONFLICT(id) DO UPDATE SET title = excluded.title",
        "INSERT INTO sources (id, kind, chunk, start, length)
         VALUES ('a', 'dataset_row', 1, 0, 1)
         ON CONFLICT(id) DO UPDATE SET length = excluded.length",
        "UPDATE OR REPLACE reports SET title = 'forged'",
        // The bookkeeping tables.
        "UPDATE files SET origin = 'elsewhere.csv'",
        "UPDATE files SET rows_read = 99",
        "DELETE FROM files",
        "REPLACE INTO files (id, origin, content_hash, format, encoding, received_at,
                            rows_read, reports_added, duplicates, rejected)
         VALUES (1, 'x', 'x', 'x', 'x', 'x', 0, 0, 0, 0)",
        "DELETE FROM meta WHERE key = 'demo'",
        "UPDATE meta SET value = '0' WHERE key = 'demo'",
        "REPLACE INTO meta (key, value) VALUES ('demo', '0')",
        "INSERT INTO meta (key, value) VALUES ('demo', '2')
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    ] {
        refused(&conn, sql);
    }
    let after: Snapshot = conn
        .query_row(SNAPSHOT, [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .unwrap();
    assert_eq!(before, after);
    // Appending is still allowed.
    conn.execute_batch(
        "INSERT INTO decisions (made_at, kind, body) VALUES ('2025-06-17', 'reject', '{}')",
    )
    .unwrap();
}

#[test]
fn issue_13_dropped_or_altered_triggers_refuse_writes() {
    let dir = tempfile::tempdir().unwrap();
    let path = ledger_with_one_row(dir.path());
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch("DROP TRIGGER reports_refuse_replace")
        .unwrap();
    drop(conn);
    let error = Ledger::open(&path)
        .err()
        .expect("an unguarded ledger is refused");
    assert!(matches!(error, StoreError::Unguarded { .. }), "{error}");
    let message = error.to_string();
    assert!(
        message.contains("reports_refuse_replace is missing"),
        "{message}"
    );
    assert!(message.contains("tally verify"), "{message}");
    // Reading is still possible, so the damage can be looked at.
    let reader = Ledger::open_read_only(&path).unwrap();
    assert_eq!(reader.counts().unwrap().reports, 1);
    assert!(!reader.guard_problems().unwrap().is_empty());

    // A trigger replaced by a harmless one of the same name is found too.
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch(
        "CREATE TRIGGER reports_refuse_replace BEFORE INSERT ON reports WHEN 0
         BEGIN SELECT 1; END;",
    )
    .unwrap();
    drop(conn);
    let error = Ledger::open(&path)
        .err()
        .expect("an altered guard is refused");
    assert!(error.to_string().contains("was altered"), "{error}");
}

#[test]
fn issue_13_readers_never_create_or_migrate() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("typo.db");
    let error = Ledger::open_read_only(&missing).err().unwrap();
    assert!(matches!(error, StoreError::Missing { .. }), "{error}");
    assert!(!missing.exists());

    // Someone else's SQLite database: neither readers nor writers touch it.
    let foreign = dir.path().join("theirs.db");
    let conn = Connection::open(&foreign).unwrap();
    conn.execute_batch("CREATE TABLE birds (name TEXT); INSERT INTO birds VALUES ('wren');")
        .unwrap();
    drop(conn);
    let bytes = std::fs::read(&foreign).unwrap();
    for error in [
        Ledger::open_read_only(&foreign).err().unwrap(),
        Ledger::open(&foreign).err().unwrap(),
    ] {
        assert!(matches!(error, StoreError::NotALedger { .. }), "{error}");
    }
    assert_eq!(std::fs::read(&foreign).unwrap(), bytes);
    assert!(!dir.path().join("theirs.db-wal").exists());

    // A ledger of an older schema is read as it is.
    let path = ledger_with_one_row(dir.path());
    let conn = Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", 2).unwrap();
    drop(conn);
    let reader = Ledger::open_read_only(&path).unwrap();
    assert_eq!(reader.schema_version().unwrap(), 2);
    assert_eq!(reader.counts().unwrap().sources, 1);
}

#[test]
fn issue_13_a_read_only_ledger_can_be_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = ledger_with_one_row(dir.path());
    let mut perms = std::fs::metadata(&path).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&path, perms).unwrap();
    assert_eq!(
        Ledger::open_read_only(&path)
            .unwrap()
            .counts()
            .unwrap()
            .reports,
        1
    );
    // Read-only media: SQLite cannot make the WAL's shared-memory file there. (Tests run
    // as root too, where permissions do not stop it, so a folder stands in its way.)
    let media = dir.path().join("media");
    std::fs::create_dir_all(media.join("t.db-shm")).unwrap();
    std::fs::copy(&path, media.join("t.db")).unwrap();
    let reader = Ledger::open_read_only(&media.join("t.db")).unwrap();
    assert_eq!(reader.counts().unwrap().reports, 1);
}

#[test]
fn issue_13_a_damaged_ledger_is_refused_with_how_to_recover() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    {
        let mut ledger = Ledger::open(&path).unwrap();
        let mut tx = ledger
            .begin_ingest(&receipt("f.csv", "2025-06-15"))
            .unwrap();
        for i in 0..3000 {
            let (s, r) = row(&format!("s{i}"), "Chicago", 10, 20 + i, "2025-06-15");
            tx.add(&s, &[r]).unwrap();
        }
        tx.commit(3000, 0).unwrap();
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "wal_checkpoint", "TRUNCATE")
            .unwrap();
    }
    let mut bytes = std::fs::read(&path).unwrap();
    assert!(bytes.len() > 3 * 16384, "{}", bytes.len());
    // 4 KiB of noise in the middle of the file.
    let middle = bytes.len() / 2;
    let mut x: u32 = 12345;
    for b in &mut bytes[middle..middle + 4096] {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        *b = (x >> 16) as u8;
    }
    std::fs::write(&path, &bytes).unwrap();
    let error = Ledger::open(&path)
        .err()
        .expect("a damaged ledger is refused");
    assert!(matches!(error, StoreError::Damaged { .. }), "{error}");
    assert!(error.to_string().contains(".recover"), "{error}");
    assert_eq!(std::fs::read(&path).unwrap(), bytes, "nothing was written");
}

#[test]
fn issue_13_a_second_writer_waits_and_says_so() {
    static WAITED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    let dir = tempfile::tempdir().unwrap();
    let path = ledger_with_one_row(dir.path());
    let holder = Connection::open(&path).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let second = {
        let path = path.clone();
        std::thread::spawn(move || {
            let mut options = OpenOptions::write();
            options.on_wait = Some(|_| WAITED.store(true, std::sync::atomic::Ordering::SeqCst));
            let mut ledger = options.open(&path).unwrap();
            ledger.record_decision(crate::at("2025-06-18"), "reject", "{}")
        })
    };
    std::thread::sleep(std::time::Duration::from_millis(700));
    holder.execute_batch("COMMIT").unwrap();
    let id = second.join().unwrap().expect("the second writer lands");
    assert_eq!(id, 2);
    assert!(WAITED.load(std::sync::atomic::Ordering::SeqCst));

    // With no time to wait, the error says what to do.
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let mut options = OpenOptions::write();
    options.wait = std::time::Duration::from_millis(50);
    let mut ledger = options.open(&path).unwrap();
    let error = ledger
        .record_decision(crate::at("2025-06-18"), "reject", "{}")
        .err()
        .unwrap();
    assert!(matches!(error, StoreError::Busy { .. }), "{error}");
}
