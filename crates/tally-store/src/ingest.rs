//! Appending a file's sources and reports in one transaction.

use crate::compact::{id_key, insert_report, ChunkWriter, PlaceWriter};
use crate::error::StoreError;
use crate::ledger::Ledger;
use crate::ledger::StoredDecision;
use crate::time::format_timestamp;
use rusqlite::{params, Transaction};
use tally_model::{Event, EventId, Report, ReportId, Source, Timestamp};

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
        let chunks = ChunkWriter::new(&tx, Some(file_id))?;
        Ok(IngestTx {
            tx,
            file_id,
            origin: receipt.origin.clone(),
            received_at,
            reports_added: 0,
            duplicates: 0,
            first_report_id,
            chunks,
            places: PlaceWriter::default(),
        })
    }
}

impl IngestTx<'_> {
    /// Appends a source and its reports, unless the ledger already holds the source.
    pub fn add(&mut self, source: &Source, reports: &[Report]) -> Result<AddOutcome, StoreError> {
        // The ledger refuses any insert whose source is already there (see migration
        // 0003), so a duplicate is looked for first rather than ignored on conflict.
        let key = id_key(&source.id.0);
        let known = self
            .tx
            .prepare_cached("SELECT 1 FROM sources WHERE id = ?1")?
            .exists(params![key])?;
        if known {
            self.duplicates += 1;
            return Ok(AddOutcome::Duplicate);
        }
        let (chunk, start, length) = self.chunks.push(&self.tx, &source.content)?;
        // Origin and receipt time are the file's unless the source says otherwise.
        let received_at = format_timestamp(source.received_at);
        self.tx
            .prepare_cached(
                "INSERT INTO sources (id, kind, origin, locator, received_at, file_id, chunk,
                    start, length)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(params![
                key,
                source.kind.as_str(),
                (source.origin != self.origin).then_some(&source.origin),
                source.locator,
                (received_at != self.received_at).then_some(&received_at),
                self.file_id,
                chunk,
                start,
                length
            ])?;
        let source_row = self.tx.last_insert_rowid();
        let mut ids = Vec::with_capacity(reports.len());
        for report in reports {
            let id = insert_report(&self.tx, &mut self.places, source_row, report)?;
            ids.push(ReportId(id));
        }
        self.reports_added += ids.len() as u64;
        Ok(AddOutcome::Added(ids))
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
        self.tx.commit()?;
        Ok(())
    }
}
