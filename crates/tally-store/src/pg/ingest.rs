//! Appending one file's sources and reports on PostgreSQL, in one transaction that
//! holds the ledger's write lock from its first statement to its commit.

use crate::backend::FileWrite;
use crate::error::StoreError;
use crate::ingest::{AddOutcome, FileReceipt};
use crate::ledger::StoredDecision;
use crate::time::format_timestamp;
use postgres::{Statement, Transaction};
use std::cell::RefCell;
use tally_model::{Event, EventId, Report, ReportId, Source};

/// One file's worth of appends. Nothing is visible to readers until `commit`; dropping
/// it (or a killed process, whose connection the server then closes) rolls it back.
pub(crate) struct PgIngestTx<'a> {
    /// The driver's calls take `&mut`; some of the file's reads take `&self`.
    tx: RefCell<Transaction<'a>>,
    file_id: i64,
    reports_added: u64,
    duplicates: u64,
    /// The next source row and report id to hand out (the write lock is held, so no
    /// other writer can take them).
    next_row: i64,
    next_report: i64,
    /// Reports of this file get ids from here on.
    first_report_id: i64,
    statements: Statements,
}

struct Statements {
    known: Statement,
    source: Statement,
    report: Statement,
}

impl<'a> PgIngestTx<'a> {
    pub(crate) fn begin(
        mut tx: Transaction<'a>,
        receipt: &FileReceipt,
        author: Option<String>,
    ) -> Result<PgIngestTx<'a>, StoreError> {
        let received_at = format_timestamp(receipt.received_at);
        let file_id: i64 = tx
            .query_one(
                "INSERT INTO files (id, origin, content_hash, format, encoding, received_at,
                                    rows_read, reports_added, duplicates, rejected, token_id,
                                    sealed)
                 SELECT coalesce(max(id), 0) + 1, $1, $2, $3, $4, $5, 0, 0, 0, 0, $6, false
                 FROM files RETURNING id",
                &[
                    &receipt.origin,
                    &receipt.content_hash,
                    &receipt.format,
                    &receipt.encoding,
                    &received_at,
                    &author,
                ],
            )?
            .get(0);
        let next = tx.query_one(
            "SELECT (SELECT coalesce(max(row), 0) + 1 FROM sources),
                    (SELECT coalesce(max(id), 0) + 1 FROM reports)",
            &[],
        )?;
        let next_row: i64 = next.get(0);
        let next_report: i64 = next.get(1);
        let statements = Statements {
            known: tx.prepare("SELECT 1 FROM sources WHERE id = $1")?,
            source: tx.prepare(
                "INSERT INTO sources (row, id, kind, origin, locator, content, received_at, file_id)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )?,
            report: tx.prepare(
                "INSERT INTO reports (id, source_row, received_at, date, batch, body)
                 SELECT * FROM unnest($1::int8[], $2::int8[], $3::text[], $4::text[],
                                      $5::text[], $6::text[])",
            )?,
        };
        Ok(PgIngestTx {
            tx: RefCell::new(tx),
            file_id,
            reports_added: 0,
            duplicates: 0,
            next_row,
            next_report,
            first_report_id: next_report,
            statements,
        })
    }
}

impl FileWrite for PgIngestTx<'_> {
    fn add(&mut self, source: &Source, reports: &[Report]) -> Result<AddOutcome, StoreError> {
        let tx = self.tx.get_mut();
        if tx
            .query_opt(&self.statements.known, &[&source.id.0])?
            .is_some()
        {
            self.duplicates += 1;
            return Ok(AddOutcome::Duplicate);
        }
        let row = self.next_row;
        tx.execute(
            &self.statements.source,
            &[
                &row,
                &source.id.0,
                &source.kind.as_str(),
                &source.origin,
                &source.locator,
                &source.content,
                &format_timestamp(source.received_at),
                &self.file_id,
            ],
        )?;
        self.next_row += 1;
        if reports.is_empty() {
            return Ok(AddOutcome::Added(Vec::new()));
        }
        let mut ids = Vec::with_capacity(reports.len());
        let mut bodies = Vec::with_capacity(reports.len());
        let mut dates = Vec::with_capacity(reports.len());
        let mut batches = Vec::with_capacity(reports.len());
        for report in reports {
            let body = serde_json::to_string(report).map_err(|cause| StoreError::Encode {
                what: "report",
                cause,
            })?;
            ids.push(self.next_report + ids.len() as i64);
            bodies.push(body);
            dates.push(report.date.map(|d| d.to_string()));
            batches.push(report.batch.clone());
        }
        let rows = vec![row; ids.len()];
        // Each row keeps its own receipt time, as on SQLite (the file's, in the pipeline).
        let received: Vec<String> = reports
            .iter()
            .map(|r| format_timestamp(r.received_at))
            .collect();
        tx.execute(
            &self.statements.report,
            &[&ids, &rows, &received, &dates, &batches, &bodies],
        )?;
        self.next_report += ids.len() as i64;
        self.reports_added += ids.len() as u64;
        Ok(AddOutcome::Added(ids.into_iter().map(ReportId).collect()))
    }

    fn reports_added(&self) -> u64 {
        self.reports_added
    }

    fn duplicates(&self) -> u64 {
        self.duplicates
    }

    fn count_duplicates(&mut self, n: u64) {
        self.duplicates += n;
    }

    fn reports(&self) -> Result<Vec<Report>, StoreError> {
        super::read_reports(&mut *self.tx.borrow_mut(), "true", &[])
    }

    fn decisions(&self) -> Result<Vec<StoredDecision>, StoreError> {
        super::read_decisions(&mut *self.tx.borrow_mut(), None)
    }

    fn replace_events(&self, events: &[Event]) -> Result<(), StoreError> {
        super::events::write_all_events(&mut *self.tx.borrow_mut(), events)
    }

    fn update_events(&self, removed: &[EventId], upserted: &[Event]) -> Result<(), StoreError> {
        super::events::write_event_update(&mut *self.tx.borrow_mut(), removed, upserted)
    }

    fn reports_before_this_file(&self) -> Result<Vec<Report>, StoreError> {
        super::read_reports(
            &mut *self.tx.borrow_mut(),
            "id < $1",
            &[&self.first_report_id],
        )
    }

    fn record_locators(&self, locators: &[(ReportId, Vec<i64>)]) -> Result<(), StoreError> {
        super::locators::insert_locators(&mut *self.tx.borrow_mut(), locators)
    }

    fn report_ids_at_locators(&self, locators: &[i64]) -> Result<Vec<ReportId>, StoreError> {
        super::locators::report_ids_at_locators(&mut *self.tx.borrow_mut(), locators)
    }

    fn has_located_reports(&self) -> Result<bool, StoreError> {
        Ok(self
            .tx
            .borrow_mut()
            .query_one("SELECT EXISTS (SELECT 1 FROM report_locators)", &[])?
            .get(0))
    }

    fn reports_with_ids(&self, ids: &[ReportId]) -> Result<Vec<Report>, StoreError> {
        super::locators::reports_with_ids(&mut *self.tx.borrow_mut(), ids)
    }

    fn events_by_id(&self, ids: &[EventId]) -> Result<Vec<Event>, StoreError> {
        super::events::events_by_id(&mut *self.tx.borrow_mut(), ids)
    }

    fn commit(self: Box<Self>, rows_read: u64, rejected: u64) -> Result<(), StoreError> {
        let mut tx = self.tx.into_inner();
        tx.execute(
            "UPDATE files SET rows_read = $1, reports_added = $2, duplicates = $3, rejected = $4,
                              sealed = true
             WHERE id = $5",
            &[
                &(rows_read as i64),
                &(self.reports_added as i64),
                &(self.duplicates as i64),
                &(rejected as i64),
                &self.file_id,
            ],
        )?;
        tx.commit()?;
        Ok(())
    }
}
