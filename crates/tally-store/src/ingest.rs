//! Appending a file's sources and reports in one transaction.

use crate::compact::{
    bind_estimate, bind_report, bind_values, id_key, insert_many, report_time, ChunkWriter,
    LastText, PlaceWriter, ReportPlacing, ESTIMATE_INSERT, ESTIMATE_WIDTH, REPORT_INSERT,
    REPORT_WIDTH,
};
use crate::error::StoreError;
use crate::ledger::Ledger;
use crate::ledger::StoredDecision;
use crate::time::format_timestamp;
use rusqlite::{params, Transaction};
use tally_model::{Event, EventId, Report, ReportId, Source, Timestamp};

/// The columns of `sources`, in the order [`IngestTx::add_all`] binds them.
const SOURCE_INSERT: &str = "INSERT INTO sources (row, id, kind, origin, locator, received_at,
    file_id, chunk, start, length) VALUES ";
const SOURCE_WIDTH: usize = 10;

/// A new source's row, before it is written.
struct SourceRow<'s> {
    row: i64,
    key: rusqlite::types::Value,
    chunk: i64,
    start: i64,
    length: i64,
    source: &'s Source,
}

/// What is recorded about an ingested file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileReceipt {
    pub origin: String,
    /// BLAKE3 of the file's bytes, lowercase hex.
    pub content_hash: String,
    pub format: String,
    pub encoding: String,
    pub received_at: Timestamp,
}

/// What happened to one source offered to the ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddOutcome {
    /// A new source; its reports were appended with these ids.
    Added(Vec<ReportId>),
    /// The ledger already held this source (the same row or document received
    /// again); nothing was added.
    Duplicate,
}

/// One file's worth of appends. Nothing is visible to readers until [`IngestTx::commit`];
/// dropping it (or a crash) leaves the ledger as it was.
pub struct IngestTx<'a> {
    tx: Transaction<'a>,
    file_id: i64,
    origin: String,
    received_at: String,
    reports_added: u64,
    duplicates: u64,
    /// Reports of this file get ids from here on.
    first_report_id: i64,
    /// The next source's row.
    next_source_row: i64,
    /// The file's source texts, compressed in chunks as they fill.
    chunks: ChunkWriter,
    places: PlaceWriter,
}

impl Ledger {
    /// Starts appending one file.
    pub fn begin_ingest(&mut self, receipt: &FileReceipt) -> Result<IngestTx<'_>, StoreError> {
        // A 256 MiB page cache keeps a large file's transaction from spilling pages to
        // the log before it commits.
        self.conn.pragma_update(None, "cache_size", -262144)?;
        // Every insert into a guarded table first copies the pages it will change into
        // a statement journal (so that a trigger's refusal undoes that one statement);
        // kept in memory, that copy costs no system call (issue 12: it was a fifth of
        // an ingest's time as writes to a temporary file). Set back at commit.
        self.conn.pragma_update(None, "temp_store", "MEMORY")?;
        // The ingest's statements (multi-row inserts, events, locators) all stay
        // prepared.
        self.conn.set_prepared_statement_cache_capacity(64);
        let author = self.author.clone();
        let tx = self.begin_write()?;
        let received_at = format_timestamp(receipt.received_at);
        tx.execute(
            "INSERT INTO files (origin, content_hash, format, encoding, received_at, rows_read,
                                reports_added, duplicates, rejected, token_id, sealed)
             VALUES (?1, ?2, ?3, ?4, ?5, 0, 0, 0, 0, ?6, 0)",
            params![
                receipt.origin,
                receipt.content_hash,
                receipt.format,
                receipt.encoding,
                received_at,
                author
            ],
        )?;
        let file_id = tx.last_insert_rowid();
        let first_report_id: i64 =
            tx.query_row("SELECT coalesce(max(id), 0) + 1 FROM reports", [], |row| {
                row.get(0)
            })?;
        let next_source_row: i64 =
            tx.query_row("SELECT coalesce(max(row), 0) + 1 FROM sources", [], |row| {
                row.get(0)
            })?;
        let chunks = ChunkWriter::new(&tx, Some(file_id))?;
        Ok(IngestTx {
            tx,
            file_id,
            origin: receipt.origin.clone(),
            received_at,
            reports_added: 0,
            duplicates: 0,
            first_report_id,
            next_source_row,
            chunks,
            places: PlaceWriter::default(),
        })
    }
}

impl IngestTx<'_> {
    /// Appends a source and its reports, unless the ledger already holds the source.
    pub fn add(&mut self, source: &Source, reports: &[Report]) -> Result<AddOutcome, StoreError> {
        let mut outcomes = self.add_all(&[(source, reports)])?;
        Ok(outcomes.pop().expect("one outcome per source"))
    }

    /// Appends sources with their reports in order, as [`IngestTx::add`] would one at a
    /// time: a source the ledger already holds, or met earlier among these, is a
    /// duplicate. The rows of each table go in multi-row statements (issue 12).
    pub fn add_all(
        &mut self,
        items: &[(&Source, &[Report])],
    ) -> Result<Vec<AddOutcome>, StoreError> {
        let mut outcomes = Vec::with_capacity(items.len());
        let mut sources = Vec::with_capacity(items.len());
        let mut reports = Vec::with_capacity(items.len());
        let mut estimates = Vec::new();
        let mut seen = rustc_hash::FxHashSet::default();
        {
            // The ledger refuses any insert whose source is already there (see
            // migration 0003), so a duplicate is looked for first rather than ignored
            // on conflict.
            let mut known = self
                .tx
                .prepare_cached("SELECT 1 FROM sources WHERE id = ?1")?;
            for &(source, its_reports) in items {
                let key = id_key(&source.id.0);
                if !seen.insert(source.id.0.as_str()) || known.exists(params![key])? {
                    self.duplicates += 1;
                    outcomes.push(AddOutcome::Duplicate);
                    continue;
                }
                let (chunk, start, length) = self.chunks.push(&self.tx, &source.content)?;
                let row = self.next_source_row;
                self.next_source_row += 1;
                sources.push(SourceRow {
                    row,
                    key,
                    chunk,
                    start,
                    length,
                    source,
                });
                let mut ids = Vec::with_capacity(its_reports.len());
                for report in its_reports {
                    let id = self.first_report_id + self.reports_added as i64;
                    self.reports_added += 1;
                    let place = self.places.id(&self.tx, &report.place)?;
                    reports.push((id, row, place, report));
                    estimates.extend(
                        report
                            .estimates
                            .iter()
                            .enumerate()
                            .map(|(ord, estimate)| (id, ord, estimate)),
                    );
                    ids.push(ReportId(id));
                }
                outcomes.push(AddOutcome::Added(ids));
            }
        }
        // Sources first, then their reports, then the reports' estimates: each row's
        // foreign key is in place before it.
        let (origin, file_received_at, file_id) = (&self.origin, &self.received_at, self.file_id);
        let mut source_time = LastText::default();
        insert_many(
            &self.tx,
            SOURCE_INSERT,
            SOURCE_WIDTH,
            &sources,
            |stmt, first, s| {
                // Origin and receipt time are the file's unless the source says
                // otherwise.
                let received_at = source_time.get(s.source.received_at, format_timestamp);
                bind_values(
                    stmt,
                    first,
                    &[
                        &s.row,
                        &s.key,
                        &s.source.kind.as_str(),
                        &(s.source.origin != *origin).then_some(&s.source.origin),
                        &s.source.locator,
                        &(received_at != file_received_at).then_some(received_at),
                        &file_id,
                        &s.chunk,
                        &s.start,
                        &s.length,
                    ],
                )
            },
        )?;
        let (mut report_time_text, mut date_text) = (LastText::default(), LastText::default());
        insert_many(
            &self.tx,
            REPORT_INSERT,
            REPORT_WIDTH,
            &reports,
            |stmt, first, &(id, source_row, place, report)| {
                let at = ReportPlacing {
                    id: Some(id),
                    source_row,
                    place,
                    received_at: report_time_text.get(report.received_at, report_time),
                    date: report
                        .date
                        .map(|d| date_text.get(d, |d: tally_model::Date| d.to_string())),
                };
                bind_report(stmt, first, &at, report)
            },
        )?;
        insert_many(
            &self.tx,
            ESTIMATE_INSERT,
            ESTIMATE_WIDTH,
            &estimates,
            |stmt, first, &(id, ord, estimate)| bind_estimate(stmt, first, id, ord, estimate),
        )?;
        Ok(outcomes)
    }

    pub fn reports_added(&self) -> u64 {
        self.reports_added
    }

    pub fn duplicates(&self) -> u64 {
        self.duplicates
    }

    /// Counts `n` more duplicates than this transaction met: a copied file keeps the
    /// count it was received with (`tally migrate-ledger`).
    pub(crate) fn count_duplicates(&mut self, n: u64) {
        self.duplicates += n;
    }

    /// Every report, this file's included, as the open transaction sees them.
    pub fn reports(&self) -> Result<Vec<Report>, StoreError> {
        crate::ledger::read_reports(&self.tx, None)
    }

    /// Every reviewer decision, as the open transaction sees them.
    pub fn decisions(&self) -> Result<Vec<StoredDecision>, StoreError> {
        crate::ledger::read_decisions(&self.tx, None)
    }

    /// Replaces the events with ones rebuilt from this file's reports and the rest, so
    /// that they land together with the file.
    pub fn replace_events(&self, events: &[Event]) -> Result<(), StoreError> {
        crate::events::write_all_events(&self.tx, events)
    }

    /// Applies an incremental relink: drops `removed` events and writes `upserted` ones.
    pub fn update_events(&self, removed: &[EventId], upserted: &[Event]) -> Result<(), StoreError> {
        crate::events::write_event_update(&self.tx, removed, upserted)
    }

    /// Writes a file's new events, held as [`crate::EventRows`]: the bulk form of
    /// [`IngestTx::update_events`] with nothing removed.
    pub fn write_event_rows(
        &self,
        rows: &crate::EventRows,
        progress: &mut dyn FnMut(u64),
    ) -> Result<(), StoreError> {
        crate::events::write_event_rows(&self.tx, rows, progress)
    }

    /// The stored events with these ids, as the open transaction sees them; ids with no
    /// event are skipped.
    pub fn events_by_id(&self, ids: &[EventId]) -> Result<Vec<Event>, StoreError> {
        crate::events::events_by_id(&self.tx, ids)
    }

    /// The reports the ledger held before this file, as the open transaction sees them.
    pub fn reports_before_this_file(&self) -> Result<Vec<Report>, StoreError> {
        crate::ledger::read_reports_below(&self.tx, self.first_report_id)
    }

    /// The open transaction, for the other modules that write or read inside it.
    pub(crate) fn connection(&self) -> &rusqlite::Connection {
        &self.tx
    }

    /// Records the file's counts and makes everything visible at once.
    pub fn commit(mut self, rows_read: u64, rejected: u64) -> Result<(), StoreError> {
        self.chunks.flush(&self.tx)?;
        self.tx.execute(
            "UPDATE files SET rows_read = ?1, reports_added = ?2, duplicates = ?3, rejected = ?4, sealed = 1
             WHERE id = ?5",
            params![rows_read as i64, self.reports_added as i64, self.duplicates as i64, rejected as i64, self.file_id],
        )?;
        // The setting is read when a write transaction begins: this one keeps its
        // journal in memory to the end, and later readers spill sorts to disk as usual.
        self.tx.pragma_update(None, "temp_store", "DEFAULT")?;
        self.tx.commit()?;
        Ok(())
    }
}
