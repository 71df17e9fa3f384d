//! Reading reports by day and place (issue 12): each report is filed under a few opaque
//! *locators* that the linker computes from its day and place, so that an ingest reads
//! only the reports its new ones can link with instead of the whole ledger.
//!
//! The store does not know what a locator means; it keeps them beside the reports
//! (table `report_locators`, migration 0007) and answers which reports are filed under
//! which. The table is derived: written with the reports of each file, in that file's
//! transaction, and rewritten whole by a full relink.
//!
//! A SQLite ledger from migration 0015 on keeps no locators: its link rows
//! (`crate::link_rows`) answer the same question by place and day, so the writes here
//! do nothing (every ledger a writer opens is migrated) and the linker reads by place
//! and day. A ledger of migrations 0007 to 0013 opened read-only (it has no link rows)
//! is still read by its locators ([`kept`]); PostgreSQL keeps its own.

use crate::error::StoreError;
use crate::ingest::IngestTx;
use crate::ledger::Ledger;
use rusqlite::Connection;
use std::cell::Cell;
use tally_model::{Report, ReportId};

impl IngestTx<'_> {
    /// Nothing: a ledger a writer opens is at migration 0015 or later, which keeps no
    /// locators (the link rows stand in for them; [`IngestTx::keeps_locators`]).
    pub fn record_locators(&self, locators: &[(ReportId, Vec<i64>)]) -> Result<(), StoreError> {
        let _ = locators;
        Ok(())
    }

    /// Nothing, as [`IngestTx::record_locators`].
    pub fn record_locator_rows(&self, rows: Vec<(i64, i64)>) -> Result<(), StoreError> {
        let _ = rows;
        Ok(())
    }

    /// The ids of the reports filed under any of `locators`, each once, in order of
    /// receipt: the linker reads only those it has not read yet.
    pub fn report_ids_at_locators(&self, locators: &[i64]) -> Result<Vec<ReportId>, StoreError> {
        report_ids_at_locators(self.connection(), locators)
    }

    /// True when the ledger files reports under locators: never, in a ledger a writer
    /// opened (migration 0015 dropped them), so the caller need not compute any.
    pub fn keeps_locators(&self) -> Result<bool, StoreError> {
        Ok(false)
    }

    /// True when some report received before this file can be linked with: one that
    /// is not a claim (a claim is a report whose estimates are all aggregate ones).
    /// False for an empty ledger (or one of claims only), where a file links on its own.
    /// (Before migration 0015, the question was whether a report was filed under a
    /// locator, which every report but a claim was.)
    pub fn has_located_reports(&self) -> Result<bool, StoreError> {
        // The first report with no estimate or one of its event ends the search.
        Ok(self.connection().query_row(
            "SELECT EXISTS (SELECT 1 FROM reports r
                 WHERE NOT EXISTS (SELECT 1 FROM report_estimates e WHERE e.report_id = r.id)
                    OR EXISTS (SELECT 1 FROM report_estimates e
                               WHERE e.report_id = r.id AND e.scope = 'event'))",
            [],
            |row| row.get(0),
        )?)
    }

    /// The reports with these ids, as the open transaction sees them; missing ids are
    /// skipped. Many reports stored before this file are read on two connections at
    /// once (see [`reports_stored_before`]).
    pub fn reports_with_ids(&self, ids: &[ReportId]) -> Result<Vec<Report>, StoreError> {
        reports_stored_before(self.connection(), ids)
    }

    /// The ledger's places by number when it keeps link rows (migration 0014), for
    /// [`IngestTx::linking_reports_at`]; `None` otherwise.
    pub fn linking_places(&self) -> Result<Option<Vec<(i64, tally_model::Place)>>, StoreError> {
        crate::link_rows::places_if_kept(self.connection())
    }

    /// Every report stored before this file at a place of `ranges` on one of its days,
    /// with only what linking reads of it (see `crate::link_rows`), each once in id
    /// order; `places` as [`IngestTx::linking_places`] gives them.
    pub fn linking_reports_at(
        &self,
        ranges: &[crate::DayRange],
        places: &rustc_hash::FxHashMap<i64, tally_model::Place>,
    ) -> Result<Vec<Report>, StoreError> {
        crate::link_rows::linking_reports_at(self.connection(), ranges, places)
    }
}

impl Ledger {
    /// Nothing: a ledger a writer opens is at migration 0015 or later, which keeps no
    /// locators ([`Ledger::keeps_locators`]).
    pub fn replace_locators(
        &mut self,
        locators: &[(ReportId, Vec<i64>)],
    ) -> Result<(), StoreError> {
        let _ = locators;
        Ok(())
    }

    /// Every report filed under any of `locators`, each once, in order of receipt.
    pub fn reports_at_locators(&self, locators: &[i64]) -> Result<Vec<Report>, StoreError> {
        reports_at_locators(&self.conn, locators)
    }

    /// The ids of the reports filed under any of `locators`, each once, in order of
    /// receipt (for relinking a reviewer decision's blocks).
    pub fn report_ids_at_locators(&self, locators: &[i64]) -> Result<Vec<ReportId>, StoreError> {
        report_ids_at_locators(&self.conn, locators)
    }

    /// True when the ledger files reports under locators (see
    /// [`IngestTx::keeps_locators`]).
    pub fn keeps_locators(&self) -> Result<bool, StoreError> {
        kept(&self.conn)
    }

    /// The ledger's places by number when it keeps link rows (migration 0014), for
    /// [`Ledger::linking_reports_at`]; `None` otherwise.
    pub fn linking_places(&self) -> Result<Option<Vec<(i64, tally_model::Place)>>, StoreError> {
        crate::link_rows::places_if_kept(&self.conn)
    }

    /// Every stored report at a place of `ranges` on one of its days, with only what
    /// linking reads of it, as [`IngestTx::linking_reports_at`] reads them.
    pub fn linking_reports_at(
        &self,
        ranges: &[crate::DayRange],
        places: &rustc_hash::FxHashMap<i64, tally_model::Place>,
    ) -> Result<Vec<Report>, StoreError> {
        crate::link_rows::linking_reports_at(&self.conn, ranges, places)
    }

    /// True when the ledger holds reports but no locators and a writer should file them
    /// with [`Ledger::replace_locators`]: never, from migration 0015 on, which dropped
    /// the locators (before it, a ledger written before migration 0007 had none).
    pub fn locators_missing(&self) -> Result<bool, StoreError> {
        Ok(false)
    }

    /// Folds the changes of recent small relinks (events, per-day sums, locators) into
    /// the main tables now, in one transaction (see `crate::recent`; writes do it by
    /// themselves when the recent tables grow past a share of the main ones). Returns
    /// how many recent events were merged.
    pub fn merge_recent_changes(&mut self) -> Result<u64, StoreError> {
        let tx = self.begin_write()?;
        let merged = crate::recent::merge(&tx)?;
        tx.commit()?;
        Ok(merged)
    }
}

/// True when the ledger keeps report locators: a SQLite ledger before migration 0015
/// (which dropped them for the link rows).
pub(crate) fn kept(conn: &Connection) -> Result<bool, StoreError> {
    crate::recent::has_tables(conn, &["report_locators"])
}

/// True when the recent small ingests' locators are kept apart (migrations 0011 to
/// 0014).
pub(crate) fn recent_kept(conn: &Connection) -> Result<bool, StoreError> {
    crate::recent::has_tables(conn, &["report_locators", "report_locators_recent"])
}

/// The (locator, report id) rows to file, each once and in key order, so that the
/// index is appended to rather than split at random (PostgreSQL writes these).
pub(crate) fn locator_rows(locators: &[(ReportId, Vec<i64>)]) -> Vec<(i64, i64)> {
    let mut rows: Vec<(i64, i64)> = locators
        .iter()
        .flat_map(|(id, keys)| keys.iter().map(move |key| (*key, id.0)))
        .collect();
    rows.sort_unstable();
    rows.dedup();
    rows
}

fn reports_at_locators(conn: &Connection, locators: &[i64]) -> Result<Vec<Report>, StoreError> {
    reports_with_ids(conn, &report_ids_at_locators(conn, locators)?)
}

fn report_ids_at_locators(
    conn: &Connection,
    locators: &[i64],
) -> Result<Vec<ReportId>, StoreError> {
    use crate::compact::{bind_keys, key_list, IDS_PER_READ};
    if !kept(conn)? {
        // Asked only of a store without link rows (the linker reads those by place and
        // day instead): a ledger keeps one or the other.
        return Err(StoreError::Corrupt {
            what: "ledger",
            id: "report_locators".into(),
            reason:
                "it keeps no report locators (migration 0015): read its link rows by place and day"
                    .into(),
        });
    }
    let mut select = conn.prepare_cached(&format!(
        "SELECT report_id FROM report_locators WHERE locator IN {}",
        key_list()
    ))?;
    // In key order, the index is read front to back rather than at random, many
    // locators a statement.
    let mut locators = locators.to_vec();
    locators.sort_unstable();
    locators.dedup();
    let mut ids: Vec<i64> = Vec::new();
    for group in locators.chunks(IDS_PER_READ) {
        bind_keys(&mut select, group)?;
        let mut rows = select.raw_query();
        while let Some(row) = rows.next()? {
            ids.push(row.get(0)?);
        }
    }
    ids.extend(crate::recent::recent_locator_ids(conn, &locators)?);
    ids.sort_unstable();
    ids.dedup();
    Ok(ids.into_iter().map(ReportId).collect())
}

fn reports_with_ids(conn: &Connection, ids: &[ReportId]) -> Result<Vec<Report>, StoreError> {
    crate::compact::reports_by_id(conn, ids)
}

/// From this many ids on, [`reports_stored_before`] reads half of them on a second
/// connection (a few in this crate's tests, so that they take that path; other crates'
/// tests lower it for their own thread with [`crate::testing::split_reads_from`]).
const SPLIT_READ_FROM: usize = if cfg!(test) { 4 } else { 512 };

thread_local! {
    /// Set by [`crate::testing::split_reads_from`] for the thread that calls it: from
    /// this many ids on, split reads even on one core. Per thread, so that tests running
    /// side by side in one process neither change each other's threshold nor count each
    /// other's reads (a test that asked for 1 once saw another's 2 and no split).
    static SPLIT_READ_FROM_HERE: Cell<Option<usize>> = const { Cell::new(None) };
    /// How many reads [`reports_stored_before`] split on this thread, for tests to see
    /// that they took that path ([`crate::testing::split_reads`]).
    static SPLIT_READS: Cell<usize> = const { Cell::new(0) };
}

/// See [`crate::testing::split_reads_from`].
pub(crate) fn split_reads_from(ids: usize) {
    SPLIT_READ_FROM_HERE.set(Some(ids));
}

/// See [`crate::testing::split_reads`].
pub(crate) fn split_reads() -> usize {
    SPLIT_READS.get()
}

/// The reports with these ids, in the order asked, missing ids skipped, every one of them
/// committed before the transaction open on `conn` began (a relink reads only reports
/// stored before its file). Reading a block's stored reports is a few random b-tree
/// lookups each, mostly the first touch of a mapped page (issue 12: some 7,500 reports
/// for 1,000 rows added to a ledger of a million); with many ids and a second core, the
/// upper half is read at the same time on a read-only connection of the ledger's file,
/// which sees the same committed reports (the open transaction holds the write lock, so
/// nothing else commits meanwhile, and a reader of a ledger in WAL never waits for it).
/// A ledger in memory or under a rollback journal (a bulk load, whose writer may hold
/// the file exclusively), or a second connection that cannot open or read it, reads
/// them all on `conn`.
fn reports_stored_before(conn: &Connection, ids: &[ReportId]) -> Result<Vec<Report>, StoreError> {
    let path = conn.path().filter(|path| !path.is_empty());
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let split = match SPLIT_READ_FROM_HERE.get() {
        Some(from) => ids.len() >= from,
        None => ids.len() >= SPLIT_READ_FROM && (cores > 1 || cfg!(test)),
    };
    let Some(path) = path.filter(|_| split) else {
        return reports_with_ids(conn, ids);
    };
    let mode: String = conn.pragma_query_value(None, "journal_mode", |row| row.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return reports_with_ids(conn, ids);
    }
    let path = std::path::PathBuf::from(path);
    let (lower, upper) = ids.split_at(ids.len() / 2);
    SPLIT_READS.set(SPLIT_READS.get() + 1);
    std::thread::scope(|scope| {
        let helper = scope.spawn(|| -> Result<Vec<Report>, StoreError> {
            let reader = crate::ledger::open_beside_writer(&path)?;
            reports_with_ids(&reader, upper)
        });
        let mut reports = reports_with_ids(conn, lower)?;
        match helper.join() {
            Ok(Ok(read)) => reports.extend(read),
            Ok(Err(error)) => {
                tracing::debug!(%error, "the second connection could not read: one reads all");
                reports.extend(reports_with_ids(conn, upper)?);
            }
            Err(panic) => std::panic::resume_unwind(panic),
        }
        Ok(reports)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FileReceipt;
    use tally_model::{Place, Source, SourceKind};

    /// The locators of a ledger from before migration 0015 (filed here by hand, as
    /// such a ledger's writers filed them), as a reader of it asks them.
    fn file_by_hand(ledger: &Ledger, rows: &[(i64, i64)], recent: &[(i64, i64)]) {
        ledger
            .conn
            .execute_batch(
                "CREATE TABLE report_locators (locator INTEGER NOT NULL,
                     report_id INTEGER NOT NULL, PRIMARY KEY (locator, report_id))
                     WITHOUT ROWID;
                 CREATE TABLE report_locators_recent (report_id INTEGER NOT NULL,
                     locator INTEGER NOT NULL, PRIMARY KEY (report_id, locator))
                     WITHOUT ROWID;",
            )
            .unwrap();
        for (table, rows) in [
            ("report_locators", rows),
            ("report_locators_recent", recent),
        ] {
            for (locator, id) in rows {
                ledger
                    .conn
                    .execute(
                        &format!("INSERT INTO {table} (locator, report_id) VALUES (?1, ?2)"),
                        [locator, id],
                    )
                    .unwrap();
            }
        }
    }

    /// Issue 12 (migration 0015): a writer files no locators, and a ledger that still
    /// has them (one from before 0015, read as it stands) is read by them, the recent
    /// ones included.
    #[test]
    fn issue_12_locators_are_not_filed_and_old_ones_are_read() {
        let mut ledger = Ledger::open_in_memory().unwrap();
        let at: tally_model::Timestamp = "2025-06-20T00:00:00Z".parse().unwrap();
        let receipt = FileReceipt {
            origin: "t.csv".into(),
            content_hash: "00".into(),
            format: "reports".into(),
            encoding: "utf-8".into(),
            received_at: at,
        };
        let mut tx = ledger.begin_ingest(&receipt).unwrap();
        assert!(!tx.has_located_reports().unwrap());
        assert!(!tx.keeps_locators().unwrap());
        let mut ids = Vec::new();
        for n in 0..3 {
            let source = Source {
                id: tally_model::SourceId(format!("s{n}")),
                kind: SourceKind::DatasetRow,
                origin: "t.csv".into(),
                locator: None,
                content: format!("row {n}"),
                received_at: at,
            };
            let report = Report::new(source.id.clone(), Place::from_parts(Some("Ames"), None), at);
            match tx.add(&source, &[report]).unwrap() {
                crate::AddOutcome::Added(added) => ids.extend(added),
                crate::AddOutcome::Duplicate => unreachable!(),
            }
        }
        tx.record_locators(&[(ids[0], vec![7, 8]), (ids[1], vec![8]), (ids[2], vec![9])])
            .unwrap();
        // A report that is not a claim, received before: there is something to link with.
        assert!(tx.has_located_reports().unwrap());
        tx.commit(3, 0).unwrap();
        assert!(crate::recent::has_tables(&ledger.conn, &["link_rows"]).unwrap());
        assert!(!kept(&ledger.conn).unwrap());
        assert!(ledger.report_ids_at_locators(&[8]).is_err());
        assert!(!ledger.locators_missing().unwrap());

        file_by_hand(
            &ledger,
            &[(7, ids[0].0), (8, ids[0].0), (9, ids[2].0)],
            &[(8, ids[1].0)],
        );
        let found = |locators: &[i64]| ledger.report_ids_at_locators(locators).unwrap();
        assert_eq!(found(&[8]), vec![ids[0], ids[1]]);
        assert_eq!(found(&[7, 8]), vec![ids[0], ids[1]]);
        assert_eq!(found(&[9, 10]), vec![ids[2]]);
        assert!(found(&[10]).is_empty());
        let ids_at_9: Vec<ReportId> = ledger
            .reports_at_locators(&[9])
            .unwrap()
            .iter()
            .map(|r| r.id.unwrap())
            .collect();
        assert_eq!(ids_at_9, vec![ids[2]]);
    }

    /// Issue 12: reports and locators are read many keys a statement; more keys than one
    /// statement holds, asked in any order, twice, or missing, give what one lookup per
    /// key gave (each report with its own estimates, in the order asked).
    #[test]
    fn issue_12_reports_and_locators_read_many_keys_a_statement() {
        use crate::compact::IDS_PER_READ;
        let mut ledger = Ledger::open_in_memory().unwrap();
        let at: tally_model::Timestamp = "2025-06-20T00:00:00Z".parse().unwrap();
        let receipt = FileReceipt {
            origin: "many.csv".into(),
            content_hash: "01".into(),
            format: "reports".into(),
            encoding: "utf-8".into(),
            received_at: at,
        };
        let count = 2 * IDS_PER_READ + 7;
        let mut tx = ledger.begin_ingest(&receipt).unwrap();
        let mut ids = Vec::new();
        for n in 0..count {
            let source = Source {
                id: tally_model::SourceId(format!("{n:064x}")),
                kind: SourceKind::DatasetRow,
                origin: "many.csv".into(),
                locator: None,
                content: format!("row {n}"),
                received_at: at,
            };
            let mut report = Report::new(
                source.id.clone(),
                Place::from_parts(Some(["Ames", "Boone", "Nevada"][n % 3]), None),
                at,
            );
            report.title = Some(format!("march {n}"));
            // None, one or two estimates.
            for k in 0..n % 3 {
                report.estimates.push(
                    tally_model::Estimate::range((n + k) as u64, (2 * n + k) as u64).unwrap(),
                );
            }
            if let crate::AddOutcome::Added(added) = tx.add(&source, &[report]).unwrap() {
                ids.extend(added);
            }
        }
        tx.commit(count as u64, 0).unwrap();
        // Report n under locators n and 1,000,000 + n % 5.
        let filed: Vec<(i64, i64)> = ids
            .iter()
            .enumerate()
            .flat_map(|(n, id)| [(n as i64, id.0), (1_000_000 + (n % 5) as i64, id.0)])
            .collect();
        file_by_hand(&ledger, &filed, &[]);
        let stored = ledger.reports(None).unwrap();
        assert_eq!(stored.len(), count);
        assert!(stored.iter().any(|r| r.estimates.len() == 2));
        assert_eq!(ledger.reports_by_id(&ids).unwrap(), stored);
        // Backwards, one asked twice, one missing.
        let mut asked: Vec<ReportId> = ids.iter().rev().copied().collect();
        asked.insert(3, ids[1]);
        asked.insert(10, ReportId(1_000_000));
        let expected: Vec<Report> = asked
            .iter()
            .filter_map(|id| stored.iter().find(|r| r.id == Some(*id)).cloned())
            .collect();
        assert_eq!(expected.len(), count + 1);
        assert_eq!(ledger.reports_by_id(&asked).unwrap(), expected);
        // Every locator at once, and a few.
        let every: Vec<i64> = (0..count as i64).rev().collect();
        assert_eq!(ledger.report_ids_at_locators(&every).unwrap(), ids);
        assert_eq!(
            ledger
                .report_ids_at_locators(&[1_000_002, 1, 5_000_000])
                .unwrap(),
            ids.iter()
                .enumerate()
                .filter(|(n, _)| n % 5 == 2 || *n == 1)
                .map(|(_, id)| *id)
                .collect::<Vec<_>>()
        );
    }

    /// Issue 12: the reports stored before a file, read in a relink on two connections
    /// at once, are the ones a single connection reads, in order, missing ids skipped.
    #[test]
    fn issue_12_reports_read_on_two_connections_are_the_stored_ones() {
        let dir = tempfile::tempdir().unwrap();
        let mut ledger = Ledger::open(&dir.path().join("ledger.db")).unwrap();
        let at: tally_model::Timestamp = "2025-06-20T00:00:00Z".parse().unwrap();
        let receipt = |origin: &str| FileReceipt {
            origin: origin.into(),
            content_hash: format!("hash-of-{origin}"),
            format: "reports".into(),
            encoding: "utf-8".into(),
            received_at: at,
        };
        let mut tx = ledger.begin_ingest(&receipt("a.csv")).unwrap();
        for n in 0..12 {
            let source = Source {
                id: tally_model::SourceId(format!("{n:064x}")),
                kind: SourceKind::DatasetRow,
                origin: "a.csv".into(),
                locator: None,
                content: format!("row {n}"),
                received_at: at,
            };
            let mut report = Report::new(
                source.id.clone(),
                Place::from_parts(Some(["Ames", "Ames", "Boone"][n % 3]), None),
                at,
            );
            report.title = Some(format!("rally {n}"));
            report
                .estimates
                .push(tally_model::Estimate::range(n as u64, 2 * n as u64).unwrap());
            tx.add(&source, &[report]).unwrap();
        }
        tx.commit(12, 0).unwrap();
        let stored = ledger.reports(None).unwrap();
        let tx = ledger.begin_ingest(&receipt("b.csv")).unwrap();
        let mut asked: Vec<ReportId> = stored.iter().filter_map(|r| r.id).collect();
        asked.insert(5, ReportId(400));
        assert!(asked.len() >= SPLIT_READ_FROM);
        assert_eq!(tx.reports_with_ids(&asked).unwrap(), stored);
        assert_eq!(tx.reports_with_ids(&asked[..2]).unwrap(), stored[..2]);
        drop(tx);
        // A file large beside the ledger goes in bulk, under a rollback journal: read on
        // the writer's connection alone, the same reports.
        let tx = ledger.begin_ingest_sized(&receipt("c.csv"), 100).unwrap();
        let mode: String = tx
            .connection()
            .pragma_query_value(None, "journal_mode", |row| row.get(0))
            .unwrap();
        assert_eq!(mode, "delete");
        assert_eq!(tx.reports_with_ids(&asked).unwrap(), stored);
    }
}
