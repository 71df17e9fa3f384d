//! The SQLite backend behind the [`LedgerBackend`] seam: each method is the SQLite
//! ledger's own (in `ledger.rs`, `events.rs`, `access.rs`, `ingest.rs`), named in full so
//! that a method missing there is a compile error rather than a call to itself. The
//! copy of whole ledgers (`tally migrate-ledger`) reads its rows here.

use crate::access::{StoredSubmission, StoredToken, SubmissionStatus};
use crate::backend::{FileWrite, LedgerBackend};
use crate::copy::{
    DecisionRow, FileRow, LedgerRows, RevocationRow, SourceRow, SubmissionDecisionRow,
    SubmissionRow, TokenRow,
};
use crate::error::StoreError;
use crate::events::KnownSums;
use crate::ingest::{AddOutcome, FileReceipt, IngestTx as SqliteIngestTx};
use crate::ledger::{Counts, Ledger as SqliteLedger, StoredDecision, StoredFile};
use std::path::Path;
use tally_model::{Event, EventId, Report, ReportId, Selection, Source, SourceId, Timestamp};

impl LedgerBackend for SqliteLedger {
    fn path(&self) -> &Path {
        SqliteLedger::path(self)
    }
    fn backend_name(&self) -> &'static str {
        "sqlite"
    }
    fn set_author(&mut self, token: Option<String>) {
        SqliteLedger::set_author(self, token)
    }
    fn schema_version(&self) -> Result<i64, StoreError> {
        SqliteLedger::schema_version(self)
    }
    fn record_demo_marker(&mut self) -> Result<(), StoreError> {
        SqliteLedger::record_demo_marker(self)
    }
    fn is_demo_ledger(&self) -> Result<bool, StoreError> {
        SqliteLedger::is_demo_ledger(self)
    }
    fn rows_not_from(&self, origins: &[&str]) -> Result<Vec<String>, StoreError> {
        SqliteLedger::rows_not_from(self, origins)
    }
    fn scan_sources_dyn(&self, f: &mut dyn FnMut(&str, &str, &str)) -> Result<(), StoreError> {
        SqliteLedger::scan_sources(self, f)
    }
    fn orphan_reports(&self) -> Result<Vec<i64>, StoreError> {
        SqliteLedger::orphan_reports(self)
    }
    fn integrity_check(&self) -> Result<Vec<String>, StoreError> {
        SqliteLedger::integrity_check(self)
    }
    fn guard_problems(&self) -> Result<Vec<String>, StoreError> {
        SqliteLedger::guard_problems(self)
    }
    fn counts(&self) -> Result<Counts, StoreError> {
        SqliteLedger::counts(self)
    }
    fn reports(&self, as_of: Option<Timestamp>) -> Result<Vec<Report>, StoreError> {
        SqliteLedger::reports(self, as_of)
    }
    fn reports_by_id(&self, ids: &[ReportId]) -> Result<Vec<Report>, StoreError> {
        SqliteLedger::reports_by_id(self, ids)
    }
    fn source(&self, id: &SourceId) -> Result<Option<Source>, StoreError> {
        SqliteLedger::source(self, id)
    }
    fn record_decision(
        &mut self,
        made_at: Timestamp,
        kind: &str,
        body: &str,
    ) -> Result<i64, StoreError> {
        SqliteLedger::record_decision(self, made_at, kind, body)
    }
    fn decisions(&self, as_of: Option<Timestamp>) -> Result<Vec<StoredDecision>, StoreError> {
        SqliteLedger::decisions(self, as_of)
    }
    fn files(&self) -> Result<Vec<StoredFile>, StoreError> {
        SqliteLedger::files(self)
    }
    fn begin_ingest<'a>(
        &'a mut self,
        receipt: &FileReceipt,
    ) -> Result<Box<dyn FileWrite + 'a>, StoreError> {
        Ok(Box::new(SqliteLedger::begin_ingest(self, receipt)?))
    }
    fn begin_ingest_sized<'a>(
        &'a mut self,
        receipt: &FileReceipt,
        expected_rows: u64,
    ) -> Result<Box<dyn FileWrite + 'a>, StoreError> {
        Ok(Box::new(SqliteLedger::begin_ingest_sized(
            self,
            receipt,
            expected_rows,
        )?))
    }
    fn replace_events(&mut self, events: &[Event]) -> Result<(), StoreError> {
        SqliteLedger::replace_events(self, events)
    }
    fn events_in_any_order(&self, selection: &Selection) -> Result<Vec<Event>, StoreError> {
        SqliteLedger::events_in_any_order(self, selection)
    }
    fn known_sums(&self, selection: &Selection) -> Result<KnownSums, StoreError> {
        SqliteLedger::known_sums(self, selection)
    }
    fn event(&self, id: &EventId) -> Result<Option<Event>, StoreError> {
        SqliteLedger::event(self, id)
    }
    fn event_of_report(&self, report: ReportId) -> Result<Option<EventId>, StoreError> {
        SqliteLedger::event_of_report(self, report)
    }
    fn events_built_through(&self) -> Result<i64, StoreError> {
        SqliteLedger::events_built_through(self)
    }
    fn last_report_id(&self) -> Result<i64, StoreError> {
        SqliteLedger::last_report_id(self)
    }
    fn last_decision_id(&self) -> Result<i64, StoreError> {
        SqliteLedger::last_decision_id(self)
    }
    fn events_are_stale(&self) -> Result<bool, StoreError> {
        SqliteLedger::events_are_stale(self)
    }
    fn add_token(
        &mut self,
        id: &str,
        role: &str,
        name: Option<&str>,
        hash: &str,
        created_at: Timestamp,
    ) -> Result<(), StoreError> {
        SqliteLedger::add_token(self, id, role, name, hash, created_at)
    }
    fn token(&self, id: &str) -> Result<Option<StoredToken>, StoreError> {
        SqliteLedger::token(self, id)
    }
    fn tokens(&self) -> Result<Vec<StoredToken>, StoreError> {
        SqliteLedger::tokens(self)
    }
    fn revoke_token(&mut self, id: &str, at: Timestamp) -> Result<bool, StoreError> {
        SqliteLedger::revoke_token(self, id, at)
    }
    fn add_submission(
        &mut self,
        received_at: Timestamp,
        body: &str,
        place_resolved: bool,
    ) -> Result<i64, StoreError> {
        SqliteLedger::add_submission(self, received_at, body, place_resolved)
    }
    fn submission(&self, id: i64) -> Result<Option<StoredSubmission>, StoreError> {
        SqliteLedger::submission(self, id)
    }
    fn submissions(
        &self,
        status: SubmissionStatus,
        limit: usize,
        offset: usize,
    ) -> Result<Vec<StoredSubmission>, StoreError> {
        SqliteLedger::submissions(self, status, limit, offset)
    }
    fn pending_submissions(&self) -> Result<u64, StoreError> {
        SqliteLedger::pending_submissions(self)
    }
    fn decide_submission(
        &mut self,
        id: i64,
        status: SubmissionStatus,
        reason: Option<&str>,
        report_id: Option<i64>,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        SqliteLedger::decide_submission(self, id, status, reason, report_id, at)
    }
    fn last_report_of_origin(&self, origin: &str) -> Result<Option<i64>, StoreError> {
        SqliteLedger::last_report_of_origin(self, origin)
    }
    fn file_author(&self, file_id: i64) -> Result<Option<String>, StoreError> {
        SqliteLedger::file_author(self, file_id)
    }
    fn decision_author(&self, decision_id: i64) -> Result<Option<String>, StoreError> {
        SqliteLedger::decision_author(self, decision_id)
    }
    fn export_rows(&self) -> Result<LedgerRows, StoreError> {
        export_rows(self)
    }
    fn for_each_slim_event_dyn(
        &self,
        selection: &Selection,
        each: &mut dyn FnMut(crate::events::SlimEvent<'_>),
    ) -> Result<usize, StoreError> {
        SqliteLedger::for_each_slim_event(self, selection, each)
    }
    fn for_each_slim_event_parts_dyn(
        &self,
        selection: &Selection,
        sinks: &mut [&mut (dyn FnMut(crate::events::SlimEvent<'_>) + Send)],
    ) -> Result<usize, StoreError> {
        SqliteLedger::for_each_slim_event_in_parts(self, selection, sinks)
    }
    fn replace_locators(&mut self, locators: &[(ReportId, Vec<i64>)]) -> Result<(), StoreError> {
        SqliteLedger::replace_locators(self, locators)
    }
    fn reports_at_locators(&self, locators: &[i64]) -> Result<Vec<Report>, StoreError> {
        SqliteLedger::reports_at_locators(self, locators)
    }
    fn locators_missing(&self) -> Result<bool, StoreError> {
        SqliteLedger::locators_missing(self)
    }
    fn keeps_locators(&self) -> Result<bool, StoreError> {
        SqliteLedger::keeps_locators(self)
    }
    fn linking_places(&self) -> Result<Option<Vec<(i64, tally_model::Place)>>, StoreError> {
        SqliteLedger::linking_places(self)
    }
    fn linking_reports_at(
        &self,
        ranges: &[crate::DayRange],
        places: &rustc_hash::FxHashMap<i64, tally_model::Place>,
    ) -> Result<Vec<Report>, StoreError> {
        SqliteLedger::linking_reports_at(self, ranges, places)
    }
    fn merge_recent_changes(&mut self) -> Result<u64, StoreError> {
        SqliteLedger::merge_recent_changes(self)
    }
    fn update_events(&mut self, removed: &[EventId], upserted: &[Event]) -> Result<(), StoreError> {
        SqliteLedger::update_events(self, removed, upserted)
    }
    fn report_ids_at_locators(&self, locators: &[i64]) -> Result<Vec<ReportId>, StoreError> {
        SqliteLedger::report_ids_at_locators(self, locators)
    }
    fn reports_on_days(&self, selection: &Selection) -> Result<Vec<Report>, StoreError> {
        SqliteLedger::reports_on_days(self, selection)
    }
    fn claim_reports(&self, selection: &Selection) -> Result<Vec<Report>, StoreError> {
        SqliteLedger::claim_reports(self, selection)
    }
    fn for_each_event_dyn(
        &self,
        selection: &Selection,
        each: &mut dyn FnMut(Event) -> std::ops::ControlFlow<()>,
    ) -> Result<usize, StoreError> {
        SqliteLedger::for_each_event(self, selection, each)
    }
}

impl FileWrite for SqliteIngestTx<'_> {
    fn add(&mut self, source: &Source, reports: &[Report]) -> Result<AddOutcome, StoreError> {
        SqliteIngestTx::add(self, source, reports)
    }
    fn add_all(&mut self, items: &[(&Source, &[Report])]) -> Result<Vec<AddOutcome>, StoreError> {
        SqliteIngestTx::add_all(self, items)
    }
    fn sources_stored(&self) -> Result<(), StoreError> {
        SqliteIngestTx::sources_stored(self)
    }
    fn write_link_rows_given(
        &self,
        fill: &mut crate::link_rows::FillLinkRows<'_>,
    ) -> Result<(), StoreError> {
        SqliteIngestTx::write_link_rows_given(self, fill)
    }
    fn place_number(&self, place: &tally_model::Place) -> Result<Option<i64>, StoreError> {
        SqliteIngestTx::place_number(self, place)
    }
    fn reports_added(&self) -> u64 {
        SqliteIngestTx::reports_added(self)
    }
    fn duplicates(&self) -> u64 {
        SqliteIngestTx::duplicates(self)
    }
    fn count_duplicates(&mut self, n: u64) {
        SqliteIngestTx::count_duplicates(self, n)
    }
    fn reports(&self) -> Result<Vec<Report>, StoreError> {
        SqliteIngestTx::reports(self)
    }
    fn decisions(&self) -> Result<Vec<StoredDecision>, StoreError> {
        SqliteIngestTx::decisions(self)
    }
    fn replace_events(&self, events: &[Event]) -> Result<(), StoreError> {
        SqliteIngestTx::replace_events(self, events)
    }
    fn update_events(&self, removed: &[EventId], upserted: &[Event]) -> Result<(), StoreError> {
        SqliteIngestTx::update_events(self, removed, upserted)
    }
    fn update_events_some_new(
        &self,
        removed: &[EventId],
        upserted: &[Event],
        new: &[EventId],
    ) -> Result<(), StoreError> {
        SqliteIngestTx::update_events_some_new(self, removed, upserted, new)
    }
    fn reports_before_this_file(&self) -> Result<Vec<Report>, StoreError> {
        SqliteIngestTx::reports_before_this_file(self)
    }
    fn record_locators(&self, locators: &[(ReportId, Vec<i64>)]) -> Result<(), StoreError> {
        SqliteIngestTx::record_locators(self, locators)
    }
    fn record_locator_rows(&self, rows: Vec<(i64, i64)>) -> Result<(), StoreError> {
        SqliteIngestTx::record_locator_rows(self, rows)
    }
    fn write_event_rows(
        &self,
        rows: &crate::EventRows,
        progress: &mut dyn FnMut(u64),
    ) -> Result<(), StoreError> {
        SqliteIngestTx::write_event_rows(self, rows, progress)
    }
    fn events_aside(
        &self,
        places: &mut dyn Iterator<Item = &tally_model::Place>,
    ) -> Result<Option<crate::EventsAside>, StoreError> {
        SqliteIngestTx::events_aside(self, places)
    }
    fn write_events_aside(
        &self,
        _rows: &crate::EventRows,
        aside: crate::EventsWrittenAside,
        progress: &mut dyn FnMut(u64),
    ) -> Result<(), StoreError> {
        SqliteIngestTx::write_events_aside(self, aside, progress)
    }
    fn report_ids_at_locators(&self, locators: &[i64]) -> Result<Vec<ReportId>, StoreError> {
        SqliteIngestTx::report_ids_at_locators(self, locators)
    }
    fn has_located_reports(&self) -> Result<bool, StoreError> {
        SqliteIngestTx::has_located_reports(self)
    }
    fn keeps_locators(&self) -> Result<bool, StoreError> {
        SqliteIngestTx::keeps_locators(self)
    }
    fn reports_with_ids(&self, ids: &[ReportId]) -> Result<Vec<Report>, StoreError> {
        SqliteIngestTx::reports_with_ids(self, ids)
    }
    fn linking_places(&self) -> Result<Option<Vec<(i64, tally_model::Place)>>, StoreError> {
        SqliteIngestTx::linking_places(self)
    }
    fn linking_reports_at(
        &self,
        ranges: &[crate::DayRange],
        places: &rustc_hash::FxHashMap<i64, tally_model::Place>,
    ) -> Result<Vec<Report>, StoreError> {
        SqliteIngestTx::linking_reports_at(self, ranges, places)
    }
    fn reader_before_this_file(&self) -> Result<Option<Box<dyn crate::LinkingReader>>, StoreError> {
        Ok(crate::read_ahead::reader_beside(self.connection())?
            .map(|reader| Box::new(reader) as Box<dyn crate::LinkingReader>))
    }
    fn events_by_id(&self, ids: &[EventId]) -> Result<Vec<Event>, StoreError> {
        SqliteIngestTx::events_by_id(self, ids)
    }
    fn rows_stored(&mut self) -> Result<(), StoreError> {
        SqliteIngestTx::rows_stored(self)
    }
    fn commit(self: Box<Self>, rows_read: u64, rejected: u64) -> Result<(), StoreError> {
        SqliteIngestTx::commit(*self, rows_read, rejected)
    }
}

/// Reads every row of a table with `read` in the order `sql` gives.
fn rows<T>(
    ledger: &SqliteLedger,
    sql: &str,
    read: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> Result<Vec<T>, StoreError> {
    let mut stmt = ledger.conn.prepare(sql)?;
    let found = stmt.query_map([], read)?;
    Ok(found.collect::<Result<_, _>>()?)
}

fn export_rows(ledger: &SqliteLedger) -> Result<LedgerRows, StoreError> {
    Ok(LedgerRows {
        demo: SqliteLedger::is_demo_ledger(ledger)?,
        tokens: rows(
            ledger,
            "SELECT id, role, name, hash, created_at FROM tokens ORDER BY id",
            |r| {
                Ok(TokenRow {
                    id: r.get(0)?,
                    role: r.get(1)?,
                    name: r.get(2)?,
                    hash: r.get(3)?,
                    created_at: r.get(4)?,
                })
            },
        )?,
        token_revocations: rows(
            ledger,
            "SELECT token_id, revoked_at, revoked_by FROM token_revocations ORDER BY token_id",
            |r| {
                Ok(RevocationRow {
                    token_id: r.get(0)?,
                    revoked_at: r.get(1)?,
                    revoked_by: r.get(2)?,
                })
            },
        )?,
        files: rows(
            ledger,
            "SELECT id, origin, content_hash, format, encoding, received_at, rows_read,
                    reports_added, duplicates, rejected, token_id
             FROM files WHERE sealed = 1 ORDER BY id",
            |r| {
                Ok(FileRow {
                    id: r.get(0)?,
                    origin: r.get(1)?,
                    content_hash: r.get(2)?,
                    format: r.get(3)?,
                    encoding: r.get(4)?,
                    received_at: r.get(5)?,
                    rows_read: r.get(6)?,
                    reports_added: r.get(7)?,
                    duplicates: r.get(8)?,
                    rejected: r.get(9)?,
                    token_id: r.get(10)?,
                })
            },
        )?,
        sources: {
            let located = rows(
                ledger,
                "SELECT id, file_id FROM sources ORDER BY row",
                |r| {
                    Ok((
                        crate::compact::id_text(r.get_ref(0)?),
                        r.get::<_, Option<i64>>(1)?,
                    ))
                },
            )?;
            let mut sources = Vec::with_capacity(located.len());
            for (id, file_id) in located {
                let id = SourceId(id?);
                let source =
                    SqliteLedger::source(ledger, &id)?.ok_or_else(|| StoreError::Corrupt {
                        what: "source",
                        id: id.0.clone(),
                        reason: "listed but not readable".into(),
                    })?;
                sources.push(SourceRow { file_id, source });
            }
            sources
        },
        reports: SqliteLedger::reports(ledger, None)?,
        decisions: rows(
            ledger,
            "SELECT id, made_at, kind, body, token_id FROM decisions ORDER BY id",
            |r| {
                Ok(DecisionRow {
                    id: r.get(0)?,
                    made_at: r.get(1)?,
                    kind: r.get(2)?,
                    body: r.get(3)?,
                    token_id: r.get(4)?,
                })
            },
        )?,
        submissions: rows(
            ledger,
            "SELECT id, received_at, body, place_resolved FROM submissions ORDER BY id",
            |r| {
                Ok(SubmissionRow {
                    id: r.get(0)?,
                    received_at: r.get(1)?,
                    body: r.get(2)?,
                    place_resolved: r.get::<_, i64>(3)? != 0,
                })
            },
        )?,
        submission_decisions: rows(
            ledger,
            "SELECT submission_id, outcome, reason, report_id, decided_at, token_id
             FROM submission_decisions ORDER BY submission_id",
            |r| {
                Ok(SubmissionDecisionRow {
                    submission_id: r.get(0)?,
                    outcome: r.get(1)?,
                    reason: r.get(2)?,
                    report_id: r.get(3)?,
                    decided_at: r.get(4)?,
                    token_id: r.get(5)?,
                })
            },
        )?,
    })
}
