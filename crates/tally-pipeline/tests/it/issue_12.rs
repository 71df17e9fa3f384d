//! Issue 12: migration 0005 converts a schema-4 ledger (verbatim rows and JSON report
//! bodies) into compressed source chunks and typed report columns, keeping every source
//! byte-exact, every address, report id and event, and `verify` clean.

use rusqlite::{params, Connection};
use std::path::Path;
use tally_ingest::IngestOptions;
use tally_model::{Selection, SourceKind};
use tally_pipeline::{ingest_file, verify_ledger, IngestRequest};
use tally_store::{format_timestamp, parse_timestamp, Ledger};

/// The schema a ledger had before 0005, from the migrations as they were written.
const SCHEMA_4: [&str; 4] = [
    include_str!("../../../tally-store/src/migrations/0001_ledger.sql"),
    include_str!("../../../tally-store/src/migrations/0002_totals_index.sql"),
    include_str!("../../../tally-store/src/migrations/0003_guards.sql"),
    include_str!("../../../tally-store/src/migrations/0004_tokens_submissions.sql"),
];

fn fixture(path: &str) -> Vec<u8> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../test_data");
    std::fs::read(root.join(path)).unwrap()
}

/// A ledger of today's schema holding both dataset eras, a tally sheet, an article (one
/// source, several reports) and a feed.
fn current_ledger(path: &Path) -> Ledger {
    let mut ledger = Ledger::open(path).unwrap();
    for (name, when) in [
        ("ingest/ccc-2017-2020.csv", "2025-07-01T10:00:00Z"),
        (
            "ingest/ccc-2021-present.csv",
            "2025-07-01T11:00:00.123456789Z",
        ),
        ("ingest/sheet-no-kings.csv", "2025-07-02T09:00:00Z"),
        (
            "articles/roundup-illinois-texas.txt",
            "2025-07-03T09:00:00Z",
        ),
        ("articles/feed.rss", "2025-07-03T10:00:00Z"),
    ] {
        let bytes = fixture(name);
        let mut options = IngestOptions::new(parse_timestamp(when).unwrap());
        options.date = Some("2025-06-14".parse().unwrap());
        let outcome = ingest_file(
            &mut ledger,
            IngestRequest {
                origin: name,
                bytes: bytes.as_slice().into(),
                options,
                strict: false,
            },
            &mut |_| {},
        )
        .unwrap();
        assert!(outcome.reports_added > 0, "{name} added nothing");
    }
    ledger
}

/// Writes what `from` holds as a schema-4 ledger would have held it: each source's text
/// in a column, each report as a JSON body.
fn write_schema_4(from: &Ledger, from_path: &Path, to: &Path) {
    let conn = Connection::open(to).unwrap();
    for sql in SCHEMA_4 {
        conn.execute_batch(sql).unwrap();
    }
    conn.execute_batch(
        "PRAGMA user_version = 4; INSERT INTO meta VALUES ('migrations', '1,2,3,4');",
    )
    .unwrap();
    conn.execute(
        "ATTACH DATABASE ?1 AS now",
        params![from_path.to_str().unwrap()],
    )
    .unwrap();
    conn.execute_batch(
        "INSERT INTO files SELECT id, origin, content_hash, format, encoding, received_at,
             rows_read, reports_added, duplicates, rejected, sealed, token_id FROM now.files;
         INSERT INTO decisions SELECT * FROM now.decisions;
         INSERT INTO events SELECT e.id, e.date, e.state, e.locality, p.raw, p.locality,
             p.state, p.online, p.resolved_state, p.resolved_locality, p.county, p.fips,
             p.lat, p.lon, p.population, p.confidence, e.event_type, e.title, e.organizers,
             e.size_low, e.size_high, e.low_from, e.high_from, e.coded_by_rule, e.reports
             FROM now.events e JOIN now.places p ON p.id = e.place;
         INSERT INTO meta SELECT * FROM now.meta
             WHERE key IN ('events_built_through', 'events_built_with_decisions');",
    )
    .unwrap();
    let mut ids = Vec::new();
    from.scan_sources(|id, _, _| ids.push(id.to_string()))
        .unwrap();
    let files: Vec<(i64, String)> = from
        .files()
        .unwrap()
        .into_iter()
        .map(|f| (f.id, f.origin))
        .collect();
    for (row, id) in ids.iter().enumerate() {
        let source = from
            .source(&tally_model::SourceId(id.clone()))
            .unwrap()
            .unwrap();
        let file_id = files.iter().find(|(_, o)| *o == source.origin).unwrap().0;
        conn.execute(
            "INSERT INTO sources (row, id, kind, origin, locator, content, received_at, file_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                row as i64 + 1,
                id,
                source.kind.as_str(),
                source.origin,
                source.locator,
                source.content,
                format_timestamp(source.received_at),
                file_id
            ],
        )
        .unwrap();
    }
    for report in from.reports(None).unwrap() {
        let row = ids.iter().position(|id| *id == report.source_id.0).unwrap() as i64 + 1;
        let id = report.id.unwrap().0;
        let mut body = report.clone();
        body.id = None;
        conn.execute(
            "INSERT INTO reports (id, source_row, received_at, date, batch, body)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                id,
                row,
                format_timestamp(report.received_at),
                report.date.map(|d| d.to_string()),
                report.batch,
                serde_json::to_string(&body).unwrap()
            ],
        )
        .unwrap();
    }
}

#[test]
fn issue_12_migration_0005_converts_a_schema_4_ledger_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let now_path = dir.path().join("now.db");
    let old_path = dir.path().join("old.db");
    let mut now = current_ledger(&now_path);
    // The copy below reads the events table itself: the recent changes of small
    // relinks (migration 0011) are merged into it first.
    now.merge_recent_changes().unwrap();
    write_schema_4(&now, &now_path, &old_path);

    let migrated = Ledger::open(&old_path).unwrap();
    assert_eq!(
        migrated.schema_version().unwrap(),
        tally_store::SCHEMA_VERSION
    );
    assert!(migrated.guard_problems().unwrap().is_empty());

    // Every report, field by field, and every source, byte by byte, under its address.
    assert_eq!(migrated.reports(None).unwrap(), now.reports(None).unwrap());
    let mut sources = Vec::new();
    now.scan_sources(|id, kind, content| {
        sources.push((id.to_string(), kind.to_string(), content.to_string()))
    })
    .unwrap();
    let mut again = Vec::new();
    migrated
        .scan_sources(|id, kind, content| {
            again.push((id.to_string(), kind.to_string(), content.to_string()))
        })
        .unwrap();
    assert_eq!(again, sources);
    assert!(sources
        .iter()
        .any(|(_, kind, _)| kind == SourceKind::Article.as_str()));
    for (id, _, _) in &sources {
        let id = tally_model::SourceId(id.clone());
        assert_eq!(migrated.source(&id).unwrap(), now.source(&id).unwrap());
    }
    // The events were kept (report ids did not move), so nothing needs relinking.
    assert!(!migrated.events_are_stale().unwrap());
    assert_eq!(
        migrated.events(&Selection::default()).unwrap(),
        now.events(&Selection::default()).unwrap()
    );
    let verification = verify_ledger(&migrated).unwrap();
    assert!(verification.is_sound(), "{:?}", verification.problems);
    assert_eq!(verification.sources as usize, sources.len());
    drop(migrated);

    // Reopening does not convert twice.
    let reopened = Ledger::open(&old_path).unwrap();
    assert_eq!(reopened.reports(None).unwrap(), now.reports(None).unwrap());
}

/// Ingests `bytes` into a fresh ledger inside a rayon pool of `threads`.
fn ingest_in_pool(threads: usize, bytes: &[u8], dir: &Path) -> Ledger {
    let path = dir.join(format!("pool-{threads}.db"));
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
        .install(|| {
            let mut ledger = Ledger::open(&path).unwrap();
            let options = IngestOptions::new(parse_timestamp("2025-07-01T10:00:00Z").unwrap());
            let outcome = ingest_file(
                &mut ledger,
                IngestRequest {
                    origin: "synth.csv",
                    bytes: bytes.into(),
                    options,
                    strict: false,
                },
                &mut |_| {},
            )
            .unwrap();
            assert!(outcome.landed);
            ledger
        })
}

#[test]
fn issue_12_an_ingest_gives_the_same_ledger_on_any_number_of_threads() {
    // Over 4 MB, so that rows are read in parallel segments, in batches.
    let mut bytes = Vec::new();
    let config = tally_synth::SynthConfig::new(12_000, tally_synth::Era::Era2021);
    tally_synth::write_dataset(&mut bytes, &config).unwrap();
    assert!(bytes.len() > 4 << 20);
    let dir = tempfile::tempdir().unwrap();
    let one = ingest_in_pool(1, &bytes, dir.path());
    let three = ingest_in_pool(3, &bytes, dir.path());
    let reports = one.reports(None).unwrap();
    assert_eq!(reports.len(), 12_000);
    assert_eq!(three.reports(None).unwrap(), reports);
    let sources = |ledger: &Ledger| {
        let mut all = Vec::new();
        ledger
            .scan_sources(|id, _, content| all.push((id.to_string(), content.to_string())))
            .unwrap();
        all
    };
    assert_eq!(sources(&three), sources(&one));
    assert_eq!(
        three.events(&Selection::default()).unwrap(),
        one.events(&Selection::default()).unwrap()
    );
    assert!(verify_ledger(&three).unwrap().is_sound());
}
