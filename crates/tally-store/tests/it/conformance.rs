//! Issue 15: one suite of ledger tests, run against every backend. SQLite always;
//! PostgreSQL when `TALLY_TEST_PG` names a server, each test in a database of its own
//! (`tally_store::testing`: without a server the PostgreSQL half says on the terminal
//! that it was skipped, and fails when `TALLY_REQUIRE_PG` is set, as in CI).

use super::{at, event_for, receipt, row};
use std::path::PathBuf;
use tally_model::{Event, EventId, Report, ReportId, Selection, Source, SourceId};
use tally_store::testing::{postgres_server, TestDatabase};
use tally_store::{AddOutcome, Ledger, LedgerRows, StoreError};

/// A ledger of one backend, with a way around tally to its database (as `psql` or
/// `sqlite3` would be).
pub struct Backend {
    pub name: &'static str,
    /// The ledger's `--db`: a file path or a PostgreSQL URL.
    pub db: PathBuf,
    _dir: Option<tempfile::TempDir>,
    database: Option<TestDatabase>,
}

impl Backend {
    pub fn open(&self) -> Ledger {
        Ledger::open(&self.db).unwrap()
    }

    /// Runs SQL directly, bypassing tally; the error's text when the database refuses.
    pub fn raw(&self, sql: &str) -> Result<(), String> {
        match &self.database {
            Some(database) => database.raw(sql),
            None => rusqlite::Connection::open(&self.db)
                .unwrap()
                .execute_batch(sql)
                .map_err(|e| e.to_string()),
        }
    }
}

/// A new, empty PostgreSQL database on the test server, for one test.
pub fn fresh_postgres(server: &str, test: &str) -> Backend {
    let database = TestDatabase::new(server, test);
    Backend {
        name: "postgres",
        db: PathBuf::from(&database.url),
        _dir: None,
        database: Some(database),
    }
}

/// A new SQLite ledger file in a temporary folder.
pub fn fresh_sqlite() -> Backend {
    let dir = tempfile::tempdir().unwrap();
    Backend {
        name: "sqlite",
        db: dir.path().join("ledger.db"),
        _dir: Some(dir),
        database: None,
    }
}

/// Runs `test` on a fresh ledger of each backend.
pub fn each_backend(test: &str, body: impl Fn(&Backend)) {
    body(&fresh_sqlite());
    if let Some(server) = postgres_server(test) {
        body(&fresh_postgres(&server, test));
    }
}

/// Ingests two rows (Chicago, Peoria) as one file and stores an event for each.
fn two_events(ledger: &mut Ledger) -> Vec<Event> {
    let mut tx = ledger
        .begin_ingest(&receipt("f.csv", "2025-06-15"))
        .unwrap();
    let mut events = Vec::new();
    for (id, city, low, high) in [("a", "Chicago", 10_000, 15_000), ("b", "Peoria", 500, 700)] {
        let (s, r) = row(id, city, low, high, "2025-06-15");
        let AddOutcome::Added(ids) = tx.add(&s, std::slice::from_ref(&r)).unwrap() else {
            panic!("a new source was taken for a duplicate")
        };
        events.push(event_for(&r, ids[0]));
    }
    tx.commit(2, 0).unwrap();
    ledger.replace_events(&events).unwrap();
    events
}

#[test]
fn issue_15_appends_skip_duplicates_and_number_reports_alike() {
    each_backend("appends", |backend| {
        let mut ledger = backend.open();
        let (s1, r1) = row("a", "Chicago", 10, 20, "2025-06-15");
        let (s2, r2) = row("b", "Peoria", 5, 5, "2025-06-15");
        let mut tx = ledger
            .begin_ingest(&receipt("f.csv", "2025-06-15"))
            .unwrap();
        let first = tx.add(&s1, std::slice::from_ref(&r1)).unwrap();
        assert_eq!(
            first,
            AddOutcome::Added(vec![ReportId(1)]),
            "{}",
            backend.name
        );
        assert_eq!(
            tx.add(&s2, &[r2.clone(), r2]).unwrap(),
            AddOutcome::Added(vec![ReportId(2), ReportId(3)])
        );
        assert_eq!(tx.add(&s1, &[r1]).unwrap(), AddOutcome::Duplicate);
        tx.commit(3, 1).unwrap();
        let counts = ledger.counts().unwrap();
        assert_eq!((counts.files, counts.sources, counts.reports), (1, 2, 3));
        let files = ledger.files().unwrap();
        assert_eq!(
            (
                files[0].id,
                files[0].rows_read,
                files[0].reports_added,
                files[0].duplicates,
                files[0].rejected
            ),
            (1, 3, 3, 1, 1)
        );
        let stored = ledger.source(&SourceId("a".into())).unwrap().unwrap();
        assert_eq!(stored.content, "2025-06-14,Chicago,IL,10,20");
        assert_eq!(stored.received_at, at("2025-06-15"));
        let reports = ledger.reports(None).unwrap();
        assert_eq!(reports.len(), 3);
        assert_eq!(reports[0].estimates[0].high(), 20);
        let picked = ledger
            .reports_by_id(&[ReportId(3), ReportId(9), ReportId(1)])
            .unwrap();
        assert_eq!(
            picked.iter().map(|r| r.id).collect::<Vec<_>>(),
            vec![Some(ReportId(3)), Some(ReportId(1))]
        );
        assert_eq!(ledger.last_report_id().unwrap(), 3);
        assert!(ledger.orphan_reports().unwrap().is_empty());
    });
}

#[test]
fn issue_15_an_uncommitted_file_leaves_nothing_and_a_rerun_completes() {
    each_backend("uncommitted", |backend| {
        let mut ledger = backend.open();
        {
            let mut tx = ledger
                .begin_ingest(&receipt("f.csv", "2025-06-15"))
                .unwrap();
            let (s, r) = row("a", "Chicago", 10, 20, "2025-06-15");
            tx.add(&s, &[r]).unwrap();
            // Dropped without commit, as a crash would.
        }
        assert_eq!(
            ledger.counts().unwrap(),
            tally_store::Counts::default(),
            "{}",
            backend.name
        );
        // Another handle (another process) saw nothing either; the rerun lands whole,
        // with the numbers the first try would have had.
        let mut again = backend.open();
        let mut tx = again.begin_ingest(&receipt("f.csv", "2025-06-15")).unwrap();
        let (s, r) = row("a", "Chicago", 10, 20, "2025-06-15");
        assert_eq!(
            tx.add(&s, &[r]).unwrap(),
            AddOutcome::Added(vec![ReportId(1)])
        );
        tx.commit(1, 0).unwrap();
        assert_eq!(ledger.counts().unwrap().reports, 1);
        assert_eq!(ledger.files().unwrap()[0].id, 1);
    });
}

#[test]
fn issue_15_append_only_is_enforced_by_the_database() {
    each_backend("append_only", |backend| {
        let mut ledger = backend.open();
        two_events(&mut ledger);
        ledger
            .record_decision(at("2025-06-16"), "reject", "{}")
            .unwrap();
        ledger
            .add_submission(at("2025-06-16"), "{\"x\":1}", true)
            .unwrap();
        drop(ledger);
        for sql in [
            "UPDATE reports SET date = '1999-01-01'",
            "DELETE FROM reports",
            "UPDATE sources SET locator = 'forged'",
            "DELETE FROM sources",
            "UPDATE decisions SET kind = 'merge'",
            "DELETE FROM decisions",
            "UPDATE submissions SET body = '{}'",
            "DELETE FROM submissions",
            "DELETE FROM files",
            "UPDATE files SET origin = 'other.csv'",
        ] {
            let refused = backend.raw(sql);
            let message = refused.expect_err(&format!("{}: {sql} was allowed", backend.name));
            assert!(
                message.contains("append-only"),
                "{}: {sql}: {message}",
                backend.name
            );
        }
        if backend.name == "postgres" {
            for sql in ["TRUNCATE reports CASCADE", "TRUNCATE sources CASCADE"] {
                let message = backend.raw(sql).unwrap_err();
                assert!(message.contains("append-only"), "{sql}: {message}");
            }
        }
        let ledger = backend.open();
        assert_eq!(ledger.counts().unwrap().reports, 2);
        assert!(ledger.guard_problems().unwrap().is_empty());
        // The database's own check (SQLite's, or amcheck's on PostgreSQL) finds nothing.
        assert_eq!(ledger.integrity_check().unwrap(), Vec::<String>::new());
    });
}

#[test]
fn issue_15_a_ledger_without_its_guards_refuses_writes() {
    each_backend("unguarded", |backend| {
        drop(backend.open());
        let drop_guard = if backend.name == "sqlite" {
            "DROP TRIGGER reports_are_append_only_update"
        } else {
            "DROP TRIGGER reports_are_append_only ON reports"
        };
        backend.raw(drop_guard).unwrap();
        let refused = Ledger::open(&backend.db)
            .err()
            .expect("an unguarded ledger was opened");
        assert!(matches!(refused, StoreError::Unguarded { .. }), "{refused}");
    });
}

#[test]
fn issue_15_events_are_replaced_and_selected_alike() {
    each_backend("events", |backend| {
        let mut ledger = backend.open();
        let events = two_events(&mut ledger);
        assert!(!ledger.events_are_stale().unwrap());
        let all = ledger.events(&Selection::default()).unwrap();
        assert_eq!(all, {
            let mut sorted = events.clone();
            sorted.sort_by(|a, b| a.id.cmp(&b.id));
            sorted
        });
        assert_eq!(
            ledger.event(&events[1].id).unwrap().as_ref(),
            Some(&events[1])
        );
        let mut chicago = Selection::on("2025-06-14".parse().unwrap());
        chicago.locality = Some("CHICAGO".into());
        assert_eq!(
            ledger.events(&chicago).unwrap().len(),
            1,
            "{}",
            backend.name
        );
        let mut rows = Vec::new();
        let passed = ledger
            .for_each_slim_event(&chicago, |e| {
                rows.push((e.size_low, e.size_high, e.reports))
            })
            .unwrap();
        assert_eq!((passed, rows), (1, vec![(Some(10_000), Some(15_000), 1)]));
        let slim = |selection: &Selection| ledger.for_each_slim_event(selection, |_| ()).unwrap();
        let sums = ledger.known_sums(&chicago).unwrap();
        assert_eq!((sums.events, sums.localities, sums.states), (1, 1, 1));
        assert_eq!((sums.known_low, sums.known_high), (10_000, 15_000));
        let mut texts = Selection {
            text: Some("kings".into()),
            ..Selection::default()
        };
        assert_eq!(slim(&texts), 2);
        assert_eq!(ledger.known_sums(&texts).unwrap().known_high, 15_700);
        texts.text = Some("parade".into());
        assert_eq!(slim(&texts), 0);
        let typed = Selection {
            event_type: Some("Protest".into()),
            ..Selection::default()
        };
        assert_eq!(ledger.events_in_any_order(&typed).unwrap().len(), 2);
        assert_eq!(
            ledger.event_of_report(ReportId(2)).unwrap(),
            Some(EventId("ev-2".into()))
        );
        // An incremental update inside a file's transaction.
        let mut tx = ledger
            .begin_ingest(&receipt("g.csv", "2025-06-16"))
            .unwrap();
        let (s, r) = row("c", "Aurora", 100, 200, "2025-06-16");
        let AddOutcome::Added(ids) = tx.add(&s, std::slice::from_ref(&r)).unwrap() else {
            panic!()
        };
        assert_eq!(tx.reports_before_this_file().unwrap().len(), 2);
        assert_eq!(tx.reports().unwrap().len(), 3);
        // Stored events by id, as the relink of a large block reads them (issue 12):
        // in the order asked, unknown ids skipped, equal to what was written.
        let asked = [
            events[1].id.clone(),
            EventId("ev-none".into()),
            events[0].id.clone(),
        ];
        assert_eq!(
            tx.events_by_id(&asked).unwrap(),
            vec![events[1].clone(), events[0].clone()],
            "{}",
            backend.name
        );
        tx.update_events(&[events[1].id.clone()], &[event_for(&r, ids[0])])
            .unwrap();
        tx.commit(1, 0).unwrap();
        let ids: Vec<String> = ledger
            .events(&Selection::default())
            .unwrap()
            .into_iter()
            .map(|e| e.id.0)
            .collect();
        assert_eq!(ids, ["ev-3", "ev-1"], "Aurora sorts before Chicago");
        assert!(!ledger.events_are_stale().unwrap());
    });
}

#[test]
fn issue_15_as_of_answers_from_what_was_known_then() {
    each_backend("as_of", |backend| {
        let mut ledger = backend.open();
        for (id, when) in [("a", "2025-06-15T10:00:00Z"), ("b", "2025-06-20T10:00:00Z")] {
            let (s, r) = row(id, "Chicago", 10, 20, when);
            let mut tx = ledger.begin_ingest(&receipt(id, when)).unwrap();
            tx.add(&s, &[r]).unwrap();
            tx.commit(1, 0).unwrap();
        }
        ledger
            .record_decision(at("2025-06-18"), "reject", "{}")
            .unwrap();
        assert_eq!(ledger.reports(Some(at("2025-06-16"))).unwrap().len(), 1);
        assert_eq!(ledger.reports(Some(at("2025-06-20"))).unwrap().len(), 2);
        assert_eq!(ledger.decisions(Some(at("2025-06-17"))).unwrap().len(), 0);
        assert_eq!(ledger.decisions(None).unwrap().len(), 1);
        assert!(ledger.events_are_stale().unwrap());
    });
}

#[test]
fn issue_15_tokens_and_submissions_behave_alike() {
    use tally_store::SubmissionStatus;
    each_backend("tokens", |backend| {
        let mut ledger = backend.open();
        ledger
            .add_token(
                "abc12345",
                "reviewer",
                Some("desk"),
                "$argon2id$x",
                at("2025-06-01"),
            )
            .unwrap();
        assert!(ledger.revoke_token("abc12345", at("2025-06-02")).unwrap());
        assert!(!ledger.revoke_token("abc12345", at("2025-06-03")).unwrap());
        let token = ledger.token("abc12345").unwrap().unwrap();
        assert_eq!(
            token.revoked_at.as_deref(),
            Some("2025-06-02T23:59:59.999999Z")
        );
        assert_eq!(ledger.tokens().unwrap().len(), 1);
        let id = ledger.add_submission(at("2025-06-04"), "{}", true).unwrap();
        assert_eq!(id, 1);
        assert_eq!(ledger.pending_submissions().unwrap(), 1);
        assert!(ledger
            .decide_submission(
                id,
                SubmissionStatus::Rejected,
                Some("spam"),
                None,
                at("2025-06-05")
            )
            .unwrap());
        assert!(!ledger
            .decide_submission(id, SubmissionStatus::Accepted, None, None, at("2025-06-05"))
            .unwrap());
        let rejected = ledger
            .submissions(SubmissionStatus::Rejected, 10, 0)
            .unwrap();
        assert_eq!(rejected[0].reason.as_deref(), Some("spam"));
        assert_eq!(ledger.submission(id).unwrap().unwrap().status, "rejected");
        ledger.set_author(Some("abc12345".into()));
        let decision = ledger
            .record_decision(at("2025-06-06"), "reject", "{}")
            .unwrap();
        assert_eq!(
            ledger.decision_author(decision).unwrap().as_deref(),
            Some("abc12345")
        );
        ledger.record_demo_marker().unwrap();
        assert!(ledger.is_demo_ledger().unwrap());
        assert_eq!(
            ledger.rows_not_from(&[]).unwrap().len(),
            5,
            "{:?}",
            ledger.rows_not_from(&[])
        );
    });
}

#[test]
fn issue_15_readers_never_write() {
    each_backend("readers", |backend| {
        // A reader refuses a ledger that does not exist yet rather than making one.
        let missing = Ledger::open_read_only(&backend.db)
            .err()
            .expect("opened nothing");
        assert!(
            matches!(missing, StoreError::Missing { .. }),
            "{}: {missing}",
            backend.name
        );
        let mut writer = backend.open();
        two_events(&mut writer);
        let reader = Ledger::open_read_only(&backend.db).unwrap();
        assert_eq!(reader.counts().unwrap().events, 2);
    });
}

/// Rows copied from one backend to the other come back equal, and the copy refuses a
/// ledger that already holds rows.
#[test]
fn issue_15_rows_copy_between_backends_unchanged() {
    each_backend("copy_rows", |backend| {
        let mut from = backend.open();
        two_events(&mut from);
        from.add_token("tok00001", "curator", None, "$argon2id$x", at("2025-06-01"))
            .unwrap();
        from.set_author(Some("tok00001".into()));
        from.record_decision(at("2025-06-16"), "reject", "{\"report\":1}")
            .unwrap();
        let submission = from
            .add_submission(at("2025-06-16"), "{\"x\":1}", false)
            .unwrap();
        from.decide_submission(
            submission,
            tally_store::SubmissionStatus::Accepted,
            None,
            Some(2),
            at("2025-06-17"),
        )
        .unwrap();
        from.revoke_token("tok00001", at("2025-06-18")).unwrap();
        let rows: LedgerRows = from.export_rows().unwrap();
        assert_eq!(rows.reports.len(), 2);
        let mut targets = vec![fresh_sqlite()];
        if let Some(server) = postgres_server("copy_rows into postgres") {
            targets.push(fresh_postgres(&server, "copy_rows_target"));
        }
        for target in targets {
            let mut to = target.open();
            to.import_rows(&rows).unwrap();
            let copied = to.export_rows().unwrap();
            assert_eq!(
                copied.first_difference(&rows),
                None,
                "{} to {}",
                backend.name,
                target.name
            );
            assert_eq!(copied, rows);
            assert!(to.events_are_stale().unwrap());
            let again = to.import_rows(&rows).unwrap_err();
            assert!(matches!(again, StoreError::NotEmpty { .. }), "{again}");
        }
    });
}

/// Appends `rows` to `ledger` as one file, one call per source or all in one call.
fn append_file(ledger: &mut Ledger, rows: &[(Source, Report)], together: bool) -> Vec<AddOutcome> {
    let mut tx = ledger
        .begin_ingest(&receipt("f.csv", "2025-06-15"))
        .unwrap();
    let outcomes = if together {
        let items: Vec<_> = rows
            .iter()
            .map(|(s, r)| (s, std::slice::from_ref(r)))
            .collect();
        tx.add_all(&items).unwrap()
    } else {
        rows.iter()
            .map(|(s, r)| tx.add(s, std::slice::from_ref(r)).unwrap())
            .collect()
    };
    tx.commit(rows.len() as u64, 0).unwrap();
    outcomes
}

#[test]
fn issue_12_appends_in_one_call_are_appends_one_at_a_time() {
    each_backend("add_all", |backend| {
        // 150 sources: more than one multi-row statement holds. The first is in the
        // ledger already, and the 41st repeats the 4th within the call.
        let rows: Vec<(Source, Report)> = (0..150u64)
            .map(|i| {
                let i = if i == 40 { 3 } else { i };
                let city = if i % 2 == 0 { "Chicago" } else { "Peoria" };
                row(&format!("s{i}"), city, 10 + i, 20 + i, "2025-06-15")
            })
            .collect();
        let mut ledgers = [backend.open(), fresh_sqlite().open()];
        let mut outcomes = Vec::new();
        for (ledger, together) in ledgers.iter_mut().zip([true, false]) {
            let mut tx = ledger
                .begin_ingest(&receipt("first.csv", "2025-06-14"))
                .unwrap();
            tx.add(&rows[0].0, std::slice::from_ref(&rows[0].1))
                .unwrap();
            tx.commit(1, 0).unwrap();
            outcomes.push(append_file(ledger, &rows, together));
        }
        assert_eq!(outcomes[0], outcomes[1], "{}", backend.name);
        assert_eq!(outcomes[0][0], AddOutcome::Duplicate);
        assert_eq!(outcomes[0][40], AddOutcome::Duplicate);
        assert_eq!(outcomes[0][1], AddOutcome::Added(vec![ReportId(2)]));
        assert_eq!(outcomes[0][149], AddOutcome::Added(vec![ReportId(149)]));
        let [together, one_by_one] = &ledgers;
        let reports = together.reports(None).unwrap();
        assert_eq!(reports.len(), 149);
        assert_eq!(reports, one_by_one.reports(None).unwrap());
        let counts = together.counts().unwrap();
        assert_eq!((counts.sources, counts.reports), (149, 149));
        assert_eq!(together.files().unwrap()[1].duplicates, 2);
        for (source, _) in &rows {
            assert_eq!(
                together.source(&source.id).unwrap(),
                one_by_one.source(&source.id).unwrap()
            );
        }
        assert!(together.orphan_reports().unwrap().is_empty());
    });
}
