//! Integration tests of the ledger: appends, duplicates, atomicity, as-of, events.

use tally_model::{
    Estimate, Event, EventId, Place, Report, ReportId, Selection, Source, SourceId, SourceKind,
    Timestamp,
};
use tally_store::{parse_timestamp, AddOutcome, FileReceipt, Ledger};

mod conformance;
mod issue_12;
mod issue_12_sums;
mod issue_13;

fn at(text: &str) -> Timestamp {
    parse_timestamp(text).unwrap()
}

fn receipt(origin: &str, when: &str) -> FileReceipt {
    FileReceipt {
        origin: origin.into(),
        content_hash: format!("hash-of-{origin}"),
        format: "dataset".into(),
        encoding: "utf-8".into(),
        received_at: at(when),
    }
}

fn row(id: &str, locality: &str, low: u64, high: u64, when: &str) -> (Source, Report) {
    let source = Source {
        id: SourceId(id.into()),
        kind: SourceKind::DatasetRow,
        origin: "f.csv".into(),
        locator: Some("line 2".into()),
        content: format!("2025-06-14,{locality},IL,{low},{high}"),
        received_at: at(when),
    };
    let mut report = Report::new(
        source.id.clone(),
        Place::from_parts(Some(locality), Some("IL".parse().unwrap())),
        at(when),
    );
    report.date = Some("2025-06-14".parse().unwrap());
    report.estimates.push(Estimate::range(low, high).unwrap());
    report.title = Some("No Kings".into());
    (source, report)
}

fn event_for(report: &Report, id: ReportId) -> Event {
    let e = &report.estimates[0];
    Event {
        id: EventId(format!("ev-{}", id.0)),
        date: report.date,
        place: report.place.clone(),
        event_type: Some("protest".into()),
        title: report.title.clone(),
        organizers: None,
        reports: vec![id],
        size_low: Some(e.low()),
        size_high: Some(e.high()),
        low_from: Some(id),
        high_from: Some(id),
        coded_by_rule: false,
    }
}

#[test]
fn appends_and_skips_duplicates() {
    let mut ledger = Ledger::open_in_memory().unwrap();
    let (s1, r1) = row("a", "Chicago", 10, 20, "2025-06-15");
    let (s2, r2) = row("b", "Peoria", 5, 5, "2025-06-15");
    let mut tx = ledger
        .begin_ingest(&receipt("f.csv", "2025-06-15"))
        .unwrap();
    assert!(
        matches!(tx.add(&s1, std::slice::from_ref(&r1)).unwrap(), AddOutcome::Added(ids) if ids.len() == 1)
    );
    assert!(matches!(tx.add(&s2, &[r2]).unwrap(), AddOutcome::Added(_)));
    assert_eq!(tx.add(&s1, &[r1]).unwrap(), AddOutcome::Duplicate);
    tx.commit(3, 0).unwrap();
    let counts = ledger.counts().unwrap();
    assert_eq!((counts.files, counts.sources, counts.reports), (1, 2, 2));
    let files = ledger.files().unwrap();
    assert_eq!(
        (
            files[0].rows_read,
            files[0].reports_added,
            files[0].duplicates
        ),
        (3, 2, 1)
    );
    let stored = ledger.source(&SourceId("a".into())).unwrap().unwrap();
    assert_eq!(stored.content, "2025-06-14,Chicago,IL,10,20");
    let reports = ledger.reports(None).unwrap();
    assert_eq!(reports[0].id, Some(ReportId(1)));
    assert_eq!(reports[0].estimates[0].high(), 20);
}

#[test]
fn an_uncommitted_file_leaves_nothing() {
    let mut ledger = Ledger::open_in_memory().unwrap();
    {
        let mut tx = ledger
            .begin_ingest(&receipt("f.csv", "2025-06-15"))
            .unwrap();
        let (s, r) = row("a", "Chicago", 10, 20, "2025-06-15");
        tx.add(&s, &[r]).unwrap();
        // Dropped without commit, as a crash would.
    }
    assert_eq!(ledger.counts().unwrap(), tally_store::Counts::default());
}

#[test]
fn sources_and_reports_cannot_be_rewritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    let mut ledger = Ledger::open(&path).unwrap();
    let (s, r) = row("a", "Chicago", 10, 20, "2025-06-15");
    let mut tx = ledger
        .begin_ingest(&receipt("f.csv", "2025-06-15"))
        .unwrap();
    tx.add(&s, &[r]).unwrap();
    tx.commit(1, 0).unwrap();
    drop(ledger);
    let conn = rusqlite::Connection::open(&path).unwrap();
    assert!(conn.execute("UPDATE reports SET body = '{}'", []).is_err());
    assert!(conn.execute("DELETE FROM sources", []).is_err());
    let ledger = Ledger::open(&path).unwrap();
    assert_eq!(
        ledger.schema_version().unwrap(),
        tally_store::SCHEMA_VERSION
    );
    assert!(ledger.integrity_check().unwrap().is_empty());
}

#[test]
fn as_of_answers_from_what_was_known_then() {
    let mut ledger = Ledger::open_in_memory().unwrap();
    for (id, when) in [("a", "2025-06-15T10:00:00Z"), ("b", "2025-06-20T10:00:00Z")] {
        let (s, r) = row(id, "Chicago", 10, 20, when);
        let mut tx = ledger.begin_ingest(&receipt(id, when)).unwrap();
        tx.add(&s, &[r]).unwrap();
        tx.commit(1, 0).unwrap();
    }
    assert_eq!(ledger.reports(Some(at("2025-06-16"))).unwrap().len(), 1);
    assert_eq!(ledger.reports(Some(at("2025-06-20"))).unwrap().len(), 2);
    assert_eq!(ledger.reports(None).unwrap().len(), 2);
}

#[test]
fn events_are_replaced_and_selected() {
    let mut ledger = Ledger::open_in_memory().unwrap();
    let mut tx = ledger
        .begin_ingest(&receipt("f.csv", "2025-06-15"))
        .unwrap();
    let mut events = Vec::new();
    for (id, city, low, high) in [("a", "Chicago", 10_000, 15_000), ("b", "Peoria", 500, 700)] {
        let (s, r) = row(id, city, low, high, "2025-06-15");
        let AddOutcome::Added(ids) = tx.add(&s, std::slice::from_ref(&r)).unwrap() else {
            panic!()
        };
        events.push(event_for(&r, ids[0]));
    }
    tx.commit(2, 0).unwrap();
    assert!(ledger.events_are_stale().unwrap());
    ledger.replace_events(&events).unwrap();
    assert!(!ledger.events_are_stale().unwrap());

    let all = ledger.events(&Selection::default()).unwrap();
    assert_eq!(all.len(), 2);
    let mut chicago = Selection::on("2025-06-14".parse().unwrap());
    chicago.locality = Some("CHICAGO".into());
    assert_eq!(ledger.events(&chicago).unwrap().len(), 1);
    let mut rows = Vec::new();
    ledger
        .for_each_slim_event(&chicago, |e| rows.push((e.size_low, e.size_high)))
        .unwrap();
    assert_eq!(rows, vec![(Some(10_000), Some(15_000))]);
    let sums = ledger.known_sums(&chicago).unwrap();
    assert_eq!((sums.events, sums.localities, sums.states), (1, 1, 1));
    assert_eq!((sums.known_low, sums.known_high), (10_000, 15_000));
    let mut texts = Selection {
        text: Some("kings".into()),
        ..Selection::default()
    };
    let slim = |selection: &Selection| ledger.for_each_slim_event(selection, |_| ()).unwrap();
    assert_eq!(slim(&texts), 2);
    assert_eq!(ledger.known_sums(&texts).unwrap().known_high, 15_700);
    texts.text = Some("parade".into());
    assert_eq!(slim(&texts), 0);
    assert_eq!(
        ledger.event_of_report(ReportId(2)).unwrap(),
        Some(EventId("ev-2".into()))
    );
    let replaced = vec![events[0].clone()];
    ledger.replace_events(&replaced).unwrap();
    assert_eq!(ledger.counts().unwrap().events, 1);
}
