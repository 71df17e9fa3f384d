//! Issue 12: exports stream the selected events a batch at a time and read only their
//! reports, with the rows the whole-ledger path gave; and a row does not depend on the
//! order its reports were ingested in.

use crate::{ledger, REPORTS};
use tally_model::{Selection, StateCode};
use tally_pipeline::events_for;
use tally_publish::{write_csv, ExportRow};
use tally_query::{export_rows, for_each_export_row};
use tally_store::Ledger;

/// The rows as they were built before issue 12: every selected event loaded, then each
/// one's reports read on their own.
fn rows_the_old_way(ledger: &Ledger, selection: &Selection) -> Vec<ExportRow> {
    events_for(ledger, selection)
        .unwrap()
        .iter()
        .map(|event| {
            let reports = ledger.reports_by_id(&event.reports).unwrap();
            ExportRow::from(event).with_reports(&reports)
        })
        .collect()
}

#[test]
fn issue_12_streamed_export_rows_equal_the_whole_ledger_path() {
    let (_dir, ledger) = ledger();
    let day: tally_model::Date = "2025-06-14".parse().unwrap();
    let selections = [
        Selection::default(),
        Selection::on(day),
        Selection {
            state: Some("DC".parse::<StateCode>().unwrap()),
            ..Selection::on(day)
        },
        Selection {
            text: Some("no kings".into()),
            ..Selection::default()
        },
        Selection {
            locality: Some("Chicago".into()),
            ..Selection::default()
        },
        Selection {
            as_of: Some("2100-01-01T00:00:00Z".parse().unwrap()),
            ..Selection::on(day)
        },
        Selection::on("2025-06-15".parse().unwrap()),
    ];
    for selection in &selections {
        let rows = export_rows(&ledger, selection).unwrap();
        assert_eq!(rows, rows_the_old_way(&ledger, selection), "{selection:?}");
    }
    assert_eq!(
        export_rows(&ledger, &Selection::default()).unwrap().len(),
        6
    );
    // A consumer that stops early is given no more rows.
    let mut seen = 0;
    let passed = for_each_export_row(&ledger, &Selection::default(), |_| {
        seen += 1;
        if seen == 2 {
            std::ops::ControlFlow::Break(())
        } else {
            std::ops::ControlFlow::Continue(())
        }
    })
    .unwrap();
    assert_eq!((seen, passed), (2, 2));
}

/// A ledger holding `rows` (reports-CSV lines under [`REPORTS`]'s header).
pub(crate) fn ledger_of(rows: &[&str]) -> (tempfile::TempDir, Ledger) {
    let header = REPORTS.lines().next().unwrap();
    crate::ledger_with(&format!("{header}\n{}\n", rows.join("\n")))
}

#[test]
fn issue_12_an_export_does_not_depend_on_ingest_order() {
    let rows: Vec<&str> = REPORTS.lines().skip(1).collect();
    let mut reversed = rows.clone();
    reversed.reverse();
    let mut rotated = rows.clone();
    rotated.rotate_left(5);
    let csv = |rows: &[&str]| {
        let (_dir, ledger) = ledger_of(rows);
        let mut out = Vec::new();
        write_csv(
            &mut out,
            &export_rows(&ledger, &Selection::default()).unwrap(),
        )
        .unwrap();
        String::from_utf8(out).unwrap()
    };
    let first = csv(&rows);
    // The parade's six reports give it six sources: all of them, in one order.
    assert!(first.contains("https://a.example/1"), "{first}");
    assert_eq!(csv(&reversed), first);
    assert_eq!(csv(&rotated), first);
}

#[test]
fn issue_12_listing_events_stops_after_the_page_asked_for() {
    let (_dir, ledger) = ledger();
    let all = events_for(&ledger, &Selection::default()).unwrap();
    for (offset, limit) in [
        (0, None),
        (1, Some(2)),
        (4, Some(10)),
        (0, Some(0)),
        (9, None),
    ] {
        let page = tally_query::events(
            &ledger,
            &tally_query::EventsRequest {
                selection: Selection::default(),
                limit,
                offset,
            },
        )
        .unwrap();
        let expected: Vec<_> = all
            .iter()
            .skip(offset)
            .take(limit.unwrap_or(usize::MAX))
            .cloned()
            .collect();
        assert_eq!(page, expected, "offset {offset}, limit {limit:?}");
    }
}
