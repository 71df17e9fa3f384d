//! The seam between the ledger's users and its two backends: the [`LedgerBackend`] and
//! [`FileWrite`] traits, implemented by SQLite (`ledger.rs`, `ingest.rs`, `events.rs`,
//! `access.rs`) and by PostgreSQL (`pg/`), and the [`Ledger`] handle that the pipeline,
//! the queries and the server hold without knowing which one is behind it.
//!
//! `--db` chooses: a `postgres://` or `postgresql://` URL is PostgreSQL, anything else
//! is the path of a SQLite file. Both backends keep the same append-only guarantees and
//! give the same answers for the same inputs (the conformance tests in
//! `tests/it/conformance.rs` run one suite against both).

use crate::access::{StoredSubmission, StoredToken, SubmissionStatus};
use crate::error::StoreError;
use crate::events::KnownSums;
use crate::ingest::{AddOutcome, FileReceipt};
use crate::ledger::{Counts, OpenOptions, StoredDecision, StoredFile};
use std::path::Path;
use tally_model::{Event, EventId, Report, ReportId, Selection, Source, SourceId, Timestamp};

/// Everything a ledger does, whatever holds it. Object-safe: [`Ledger`] holds one
/// boxed, and dereferences to it, so `ledger.counts()` reaches the backend's method.
pub trait LedgerBackend: Send {
    /// Where the ledger lives: a file path, or a PostgreSQL URL without its password.
    fn path(&self) -> &Path;
    /// Which backend this is: `sqlite` or `postgres`.
    fn backend_name(&self) -> &'static str;
    /// Records `token` (a token's public id) as the author of this handle's later
    /// writes; `None` for the command line.
    fn set_author(&mut self, token: Option<String>);
    fn schema_version(&self) -> Result<i64, StoreError>;
    fn record_demo_marker(&mut self) -> Result<(), StoreError>;
    fn is_demo_ledger(&self) -> Result<bool, StoreError>;
    /// What the ledger holds besides the rows of files received under `origins`.
    fn rows_not_from(&self, origins: &[&str]) -> Result<Vec<String>, StoreError>;
    /// Calls `f` with the id, kind and content of every source, in order of receipt.
    fn scan_sources_dyn(&self, f: &mut dyn FnMut(&str, &str, &str)) -> Result<(), StoreError>;
    /// Reports whose source row is missing (none, in a sound ledger).
    fn orphan_reports(&self) -> Result<Vec<i64>, StoreError>;
    /// The database's own check of its storage: empty when it finds nothing wrong.
    fn integrity_check(&self) -> Result<Vec<String>, StoreError>;
    /// What is wrong with the append-only guards (nothing, for a sound ledger).
    fn guard_problems(&self) -> Result<Vec<String>, StoreError>;
    fn counts(&self) -> Result<Counts, StoreError>;
    /// Every report received up to `as_of` (all when `None`), in order of receipt.
    fn reports(&self, as_of: Option<Timestamp>) -> Result<Vec<Report>, StoreError>;
    /// The reports with these ids, in the order asked; missing ids are skipped.
    fn reports_by_id(&self, ids: &[ReportId]) -> Result<Vec<Report>, StoreError>;
    /// One source, verbatim.
    fn source(&self, id: &SourceId) -> Result<Option<Source>, StoreError>;
    /// Appends a reviewer decision; returns its number.
    fn record_decision(
        &mut self,
        made_at: Timestamp,
        kind: &str,
        body: &str,
    ) -> Result<i64, StoreError>;
    /// Decisions made up to `as_of` (all when `None`), in the order they were made.
    fn decisions(&self, as_of: Option<Timestamp>) -> Result<Vec<StoredDecision>, StoreError>;
    /// The files ingested, oldest first.
    fn files(&self) -> Result<Vec<StoredFile>, StoreError>;

    /// Starts appending one file: everything it adds lands at once on
    /// [`FileWrite::commit`], or not at all.
    fn begin_ingest<'a>(
        &'a mut self,
        receipt: &FileReceipt,
    ) -> Result<Box<dyn FileWrite + 'a>, StoreError>;

    /// [`LedgerBackend::begin_ingest`] for a file of about `expected_rows` rows: a
    /// backend may load a file that is large beside the ledger in bulk (SQLite does,
    /// see `ingest.rs`), with the same result.
    fn begin_ingest_sized<'a>(
        &'a mut self,
        receipt: &FileReceipt,
        expected_rows: u64,
    ) -> Result<Box<dyn FileWrite + 'a>, StoreError> {
        let _ = expected_rows;
        self.begin_ingest(receipt)
    }

    /// Replaces every event with `events` in one transaction.
    fn replace_events(&mut self, events: &[Event]) -> Result<(), StoreError>;
    /// The events that match `selection`, in no particular order.
    fn events_in_any_order(&self, selection: &Selection) -> Result<Vec<Event>, StoreError>;
    /// Counts and known sums of `selection`, without building any event.
    fn known_sums(&self, selection: &Selection) -> Result<KnownSums, StoreError>;
    fn event(&self, id: &EventId) -> Result<Option<Event>, StoreError>;
    fn event_of_report(&self, report: ReportId) -> Result<Option<EventId>, StoreError>;
    fn events_built_through(&self) -> Result<i64, StoreError>;
    fn last_report_id(&self) -> Result<i64, StoreError>;
    fn last_decision_id(&self) -> Result<i64, StoreError>;
    fn events_are_stale(&self) -> Result<bool, StoreError>;

    fn add_token(
        &mut self,
        id: &str,
        role: &str,
        name: Option<&str>,
        hash: &str,
        created_at: Timestamp,
    ) -> Result<(), StoreError>;
    fn token(&self, id: &str) -> Result<Option<StoredToken>, StoreError>;
    fn tokens(&self) -> Result<Vec<StoredToken>, StoreError>;
    fn revoke_token(&mut self, id: &str, at: Timestamp) -> Result<bool, StoreError>;
    fn add_submission(
        &mut self,
        received_at: Timestamp,
        body: &str,
        place_resolved: bool,
    ) -> Result<i64, StoreError>;
    fn submission(&self, id: i64) -> Result<Option<StoredSubmission>, StoreError>;
    fn submissions(
        &self,
        status: SubmissionStatus,
        limit: usize,
        offset: usize,
    ) -> Result<Vec<StoredSubmission>, StoreError>;
    fn pending_submissions(&self) -> Result<u64, StoreError>;
    fn decide_submission(
        &mut self,
        id: i64,
        status: SubmissionStatus,
        reason: Option<&str>,
        report_id: Option<i64>,
        at: Timestamp,
    ) -> Result<bool, StoreError>;
    fn last_report_of_origin(&self, origin: &str) -> Result<Option<i64>, StoreError>;
    fn file_author(&self, file_id: i64) -> Result<Option<String>, StoreError>;
    fn decision_author(&self, decision_id: i64) -> Result<Option<String>, StoreError>;

    /// Every row of the append-only tables, for `tally migrate-ledger`, read in one
    /// snapshot where the backend has them.
    fn export_rows(&self) -> Result<crate::copy::LedgerRows, StoreError>;

    /// Streams what the estimator reads of each event of `selection`.
    fn for_each_slim_event_dyn(
        &self,
        selection: &Selection,
        each: &mut dyn FnMut(crate::events::SlimEvent<'_>),
    ) -> Result<usize, StoreError>;
    /// The same, in `sinks.len()` consecutive parts read at once where the backend can
    /// (see `SqliteLedger::for_each_slim_event_in_parts`): the parts in order are the
    /// one stream's order. Otherwise every event goes to the first sink.
    fn for_each_slim_event_parts_dyn(
        &self,
        selection: &Selection,
        sinks: &mut [&mut (dyn FnMut(crate::events::SlimEvent<'_>) + Send)],
    ) -> Result<usize, StoreError> {
        match sinks.first_mut() {
            Some(first) => self.for_each_slim_event_dyn(selection, *first),
            None => Ok(0),
        }
    }
    /// Replaces every report's locators in one transaction.
    fn replace_locators(&mut self, locators: &[(ReportId, Vec<i64>)]) -> Result<(), StoreError>;
    /// Every report filed under any of `locators`, each once, in order of receipt.
    fn reports_at_locators(&self, locators: &[i64]) -> Result<Vec<Report>, StoreError>;
    /// The ids of the reports filed under any of `locators`, each once, in order of
    /// receipt.
    fn report_ids_at_locators(&self, locators: &[i64]) -> Result<Vec<ReportId>, StoreError> {
        Ok(self
            .reports_at_locators(locators)?
            .into_iter()
            .filter_map(|r| r.id)
            .collect())
    }
    /// True when the ledger holds reports but no locators.
    fn locators_missing(&self) -> Result<bool, StoreError>;
    /// True when the ledger files reports under locators (a SQLite ledger does not from
    /// migration 0015 on: its link rows stand in for them, and a caller need not
    /// compute any to file).
    fn keeps_locators(&self) -> Result<bool, StoreError> {
        Ok(true)
    }
    /// The ledger's places by number, when the backend keeps what linking reads of each
    /// report by place and day (SQLite's link rows, issue 12); `None` otherwise, and
    /// reports are then read whole by locator.
    fn linking_places(&self) -> Result<Option<Vec<(i64, tally_model::Place)>>, StoreError> {
        Ok(None)
    }
    /// Every stored report at a place of `ranges` on one of its days, each once in id
    /// order, with only what linking reads of it (see [`LedgerBackend::linking_places`],
    /// which gives `places`); nothing when the backend has no such rows.
    fn linking_reports_at(
        &self,
        ranges: &[crate::DayRange],
        places: &rustc_hash::FxHashMap<i64, tally_model::Place>,
    ) -> Result<Vec<Report>, StoreError> {
        let _ = (ranges, places);
        Ok(Vec::new())
    }
    /// Folds the changes that recent small relinks keep apart into the main tables now
    /// (issue 12, SQLite only: see `crate::recent`); how many recent events there were.
    fn merge_recent_changes(&mut self) -> Result<u64, StoreError> {
        Ok(0)
    }

    /// Applies an incremental relink in one transaction: drops `removed` events and
    /// writes `upserted` ones (new or changed), and marks the events current.
    fn update_events(&mut self, removed: &[EventId], upserted: &[Event]) -> Result<(), StoreError>;

    /// The reports received up to `selection.as_of` and dated within its days (every
    /// report, when it names no day; undated ones only then), in order of receipt. The
    /// rest of the selection is not read: a report's place and labels are not its
    /// event's.
    fn reports_on_days(&self, selection: &Selection) -> Result<Vec<Report>, StoreError> {
        let mut reports = self.reports(selection.as_of)?;
        if selection.from.is_some() || selection.to.is_some() {
            reports.retain(|r| {
                r.date.is_some_and(|d| {
                    selection.from.is_none_or(|from| d >= from)
                        && selection.to.is_none_or(|to| d <= to)
                })
            });
        }
        Ok(reports)
    }

    /// The claims (reports whose estimates are all aggregate) among
    /// [`LedgerBackend::reports_on_days`].
    fn claim_reports(&self, selection: &Selection) -> Result<Vec<Report>, StoreError> {
        let mut reports = self.reports_on_days(selection)?;
        reports.retain(Report::is_aggregate_only);
        Ok(reports)
    }

    /// Passes the events that match `selection` to `each`, one at a time, ordered as
    /// [`Ledger::events`] orders them, until `each` breaks; returns how many it was
    /// given. `selection.as_of` is ignored, as there.
    fn for_each_event_dyn(
        &self,
        selection: &Selection,
        each: &mut dyn FnMut(Event) -> std::ops::ControlFlow<()>,
    ) -> Result<usize, StoreError> {
        let mut events = self.events_in_any_order(selection)?;
        sort_for_listing(&mut events);
        let mut given = 0;
        for event in events {
            given += 1;
            if each(event).is_break() {
                break;
            }
        }
        Ok(given)
    }
}

/// The order events are listed and exported in: by date, state, locality and id
/// (nothing first, as SQL's `ORDER BY` puts NULL first).
fn sort_for_listing(events: &mut [Event]) {
    // Each key is built once, not once per comparison.
    events.sort_by_cached_key(|e| {
        (
            e.date,
            e.place.best_state().map(|s| s.as_str()),
            e.place.best_locality().map(str::to_string),
            e.id.clone(),
        )
    });
}

/// One file's appends, open until [`FileWrite::commit`]; dropped (or killed), it leaves
/// the ledger as it was.
pub trait FileWrite {
    /// Appends a source and its reports, unless the ledger already holds the source.
    fn add(&mut self, source: &Source, reports: &[Report]) -> Result<AddOutcome, StoreError>;
    /// Appends sources with their reports in order, as `add` would one at a time (a
    /// source already held, or met earlier among these, is a duplicate); one outcome per
    /// source. A backend may write them together.
    fn add_all(&mut self, items: &[(&Source, &[Report])]) -> Result<Vec<AddOutcome>, StoreError> {
        items
            .iter()
            .map(|&(source, reports)| self.add(source, reports))
            .collect()
    }
    /// Every source and report of the file is stored (nothing more is added): a
    /// backend may finish now what its bulk load put off to the commit (SQLite files
    /// the sources' addresses, by one sorted insert), so that it runs while the file is linked in
    /// memory. Called at most once before `commit`, which does it when it was not done.
    fn sources_stored(&self) -> Result<(), StoreError> {
        Ok(())
    }
    /// Writes the link rows of the file's reports from what the caller holds (SQLite:
    /// see `SqliteIngestTx::write_link_rows_given`); nothing in a backend without link
    /// rows (`fill` is then not called).
    fn write_link_rows_given(
        &self,
        fill: &mut crate::link_rows::FillLinkRows<'_>,
    ) -> Result<(), StoreError> {
        let _ = fill;
        Ok(())
    }
    /// The number under which the ledger holds `place`, for [`FileWrite::write_link_rows_given`];
    /// `None` for one it does not hold (or a backend without link rows).
    fn place_number(&self, place: &tally_model::Place) -> Result<Option<i64>, StoreError> {
        let _ = place;
        Ok(None)
    }
    fn reports_added(&self) -> u64;
    fn duplicates(&self) -> u64;
    /// Counts `n` more duplicates than the file met here (a copied file keeps its count).
    fn count_duplicates(&mut self, n: u64);
    /// Every report, this file's included, as the open transaction sees them.
    fn reports(&self) -> Result<Vec<Report>, StoreError>;
    /// Every reviewer decision, as the open transaction sees them.
    fn decisions(&self) -> Result<Vec<StoredDecision>, StoreError>;
    /// Replaces the events with `events`, inside the file's transaction.
    fn replace_events(&self, events: &[Event]) -> Result<(), StoreError>;
    /// Applies an incremental relink inside the file's transaction.
    fn update_events(&self, removed: &[EventId], upserted: &[Event]) -> Result<(), StoreError>;
    /// [`FileWrite::update_events`] when the caller knows that no stored event has the
    /// ids `new` (some of `upserted`'s: events that the relinked blocks did not hold), so
    /// that a backend need not look for the rows they replace (issue 12: a thousand random
    /// lookups in a ledger of a million). The default does not use it.
    fn update_events_some_new(
        &self,
        removed: &[EventId],
        upserted: &[Event],
        new: &[EventId],
    ) -> Result<(), StoreError> {
        let _ = new;
        self.update_events(removed, upserted)
    }
    /// The reports the ledger held before this file.
    fn reports_before_this_file(&self) -> Result<Vec<Report>, StoreError>;
    /// Files reports under their locators, inside the file's transaction.
    fn record_locators(&self, locators: &[(ReportId, Vec<i64>)]) -> Result<(), StoreError>;
    /// Files reports under their locators given as (locator, report id) rows, in any
    /// order and possibly repeated (issue 12: a million reports' locators without a list
    /// per report).
    fn record_locator_rows(&self, rows: Vec<(i64, i64)>) -> Result<(), StoreError> {
        let mut by_report: std::collections::BTreeMap<i64, Vec<i64>> = Default::default();
        for (locator, report) in rows {
            by_report.entry(report).or_default().push(locator);
        }
        let locators: Vec<(ReportId, Vec<i64>)> = by_report
            .into_iter()
            .map(|(report, locators)| (ReportId(report), locators))
            .collect();
        self.record_locators(&locators)
    }
    /// Writes a file's new events, held as [`crate::EventRows`], as `update_events`
    /// writes [`Event`]s (nothing removed); `progress` is told how many are written as
    /// the write goes on. A backend without a bulk path writes them as events.
    fn write_event_rows(
        &self,
        rows: &crate::EventRows,
        progress: &mut dyn FnMut(u64),
    ) -> Result<(), StoreError> {
        let events: Vec<Event> = (0..rows.len()).map(|i| rows.event(i)).collect();
        self.update_events(&[], &events)?;
        progress(events.len() as u64);
        Ok(())
    }
    /// What writing a first ingest's events aside needs (SQLite: see
    /// `crate::events_aside`), for events whose places are among `places`; `None` when
    /// they are written by [`FileWrite::write_event_rows`] (a backend that does not
    /// write them aside, a ledger that holds events).
    fn events_aside(
        &self,
        places: &mut dyn Iterator<Item = &tally_model::Place>,
    ) -> Result<Option<crate::EventsAside>, StoreError> {
        let _ = places;
        Ok(None)
    }
    /// Copies the events `rows` written aside into the ledger, as
    /// [`FileWrite::write_event_rows`] writes them.
    fn write_events_aside(
        &self,
        rows: &crate::EventRows,
        aside: crate::EventsWrittenAside,
        progress: &mut dyn FnMut(u64),
    ) -> Result<(), StoreError> {
        drop(aside);
        self.write_event_rows(rows, progress)
    }
    /// The ids of the reports filed under any of `locators`, each once, in order of
    /// receipt, as the open transaction sees them.
    fn report_ids_at_locators(&self, locators: &[i64]) -> Result<Vec<ReportId>, StoreError>;
    /// True when some report received before this file is filed under a locator (in a
    /// ledger that keeps none, would be: it is not a claim).
    fn has_located_reports(&self) -> Result<bool, StoreError>;
    /// True when the ledger files reports under locators (see
    /// [`LedgerBackend::keeps_locators`]); when not, `record_locators` does nothing.
    fn keeps_locators(&self) -> Result<bool, StoreError> {
        Ok(true)
    }
    /// The reports with these ids, as the open transaction sees them.
    fn reports_with_ids(&self, ids: &[ReportId]) -> Result<Vec<Report>, StoreError>;
    /// The ledger's places by number, when the backend keeps what linking reads of each
    /// report by place and day (SQLite's link rows, issue 12); `None` otherwise, and
    /// reports are then read whole by locator.
    fn linking_places(&self) -> Result<Option<Vec<(i64, tally_model::Place)>>, StoreError> {
        Ok(None)
    }
    /// Every report stored before this file at a place of `ranges` on one of its days,
    /// each once in id order, with only what linking reads of it (see
    /// [`FileWrite::linking_places`], which gives `places`); nothing when the backend
    /// has no such rows.
    fn linking_reports_at(
        &self,
        ranges: &[crate::DayRange],
        places: &rustc_hash::FxHashMap<i64, tally_model::Place>,
    ) -> Result<Vec<Report>, StoreError> {
        let _ = (ranges, places);
        Ok(Vec::new())
    }
    /// A reader of the ledger as it stood before this file, on a connection of its own,
    /// for another thread to read what the relink will ask for while the file is stored
    /// (issue 12, see `crate::read_ahead`); its first read must come before the commit.
    /// `None` when the backend has none (the default; SQLite in memory or outside WAL).
    fn reader_before_this_file(&self) -> Result<Option<Box<dyn crate::LinkingReader>>, StoreError> {
        Ok(None)
    }
    /// The stored events with these ids, as the open transaction sees them; ids with no
    /// event are skipped.
    fn events_by_id(&self, ids: &[EventId]) -> Result<Vec<Event>, StoreError>;
    /// Says that every row of the file is stored (before its events are written), so
    /// that a backend may build now what it would build at the commit (issue 12: on
    /// SQLite, the sources' address index of a bulk load, built while linking runs).
    fn rows_stored(&mut self) -> Result<(), StoreError> {
        Ok(())
    }
    /// Records the file's counts and makes everything visible at once.
    fn commit(self: Box<Self>, rows_read: u64, rejected: u64) -> Result<(), StoreError>;
}

/// One file's appends, whichever backend holds them.
pub type IngestTx<'a> = Box<dyn FileWrite + 'a>;

/// The ledger, on SQLite or PostgreSQL.
pub struct Ledger {
    backend: Box<dyn LedgerBackend>,
}

impl std::ops::Deref for Ledger {
    type Target = dyn LedgerBackend;

    fn deref(&self) -> &Self::Target {
        &*self.backend
    }
}

impl std::ops::DerefMut for Ledger {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut *self.backend
    }
}

/// True when `--db` names a PostgreSQL database rather than a SQLite file.
pub fn is_postgres_url(db: &Path) -> bool {
    db.to_str()
        .is_some_and(|text| text.starts_with("postgres://") || text.starts_with("postgresql://"))
}

impl OpenOptions {
    pub fn open(&self, path: &Path) -> Result<Ledger, StoreError> {
        Ledger::open_with(path, self)
    }
}

impl Ledger {
    /// Opens (creating if needed) the ledger at `path` for writing and brings its schema
    /// up to date.
    pub fn open(path: &Path) -> Result<Ledger, StoreError> {
        OpenOptions::write().open(path)
    }

    /// Opens an existing ledger for reading only: nothing is created, migrated or
    /// written.
    pub fn open_read_only(path: &Path) -> Result<Ledger, StoreError> {
        OpenOptions::read().open(path)
    }

    pub fn open_with(path: &Path, options: &OpenOptions) -> Result<Ledger, StoreError> {
        let backend: Box<dyn LedgerBackend> = if is_postgres_url(path) {
            Box::new(crate::pg::PgLedger::open_with(path, options)?)
        } else {
            Box::new(crate::ledger::Ledger::open_with(path, options)?)
        };
        Ok(Ledger { backend })
    }

    /// A SQLite ledger that lives in memory, for tests and one-shot work.
    pub fn open_in_memory() -> Result<Ledger, StoreError> {
        Ok(Ledger {
            backend: Box::new(crate::ledger::Ledger::open_in_memory()?),
        })
    }

    /// Appends a whole ledger's rows to this empty one, keeping every id (see
    /// [`crate::copy::import_rows`]).
    pub fn import_rows(&mut self, rows: &crate::copy::LedgerRows) -> Result<(), StoreError> {
        crate::copy::import_rows(self, rows)
    }

    /// Calls `f` with the id, kind and content of every source, in order of receipt.
    pub fn scan_sources(&self, mut f: impl FnMut(&str, &str, &str)) -> Result<(), StoreError> {
        self.backend.scan_sources_dyn(&mut f)
    }

    /// Streams what the estimator reads of each event of `selection`; how many passed.
    pub fn for_each_slim_event(
        &self,
        selection: &Selection,
        mut each: impl FnMut(crate::events::SlimEvent<'_>),
    ) -> Result<usize, StoreError> {
        self.backend.for_each_slim_event_dyn(selection, &mut each)
    }

    /// [`Ledger::for_each_slim_event`] in `sinks.len()` consecutive parts, read at once
    /// on as many connections where the backend can (each part on its own thread, all
    /// on one snapshot of the ledger): the parts in order are the one stream's order.
    /// Otherwise (a small ledger, a selection by dates, another backend) every event
    /// goes to the first sink. Returns how many events passed.
    pub fn for_each_slim_event_in_parts(
        &self,
        selection: &Selection,
        sinks: &mut [&mut (dyn FnMut(crate::events::SlimEvent<'_>) + Send)],
    ) -> Result<usize, StoreError> {
        self.backend.for_each_slim_event_parts_dyn(selection, sinks)
    }

    /// The events that match `selection`, ordered by date, state, locality and id.
    /// `selection.as_of` is ignored here: answering as of a time means relinking the
    /// reports known then (see `Ledger::reports`).
    pub fn events(&self, selection: &Selection) -> Result<Vec<Event>, StoreError> {
        let mut events = self.backend.events_in_any_order(selection)?;
        sort_for_listing(&mut events);
        Ok(events)
    }

    /// Passes the events that match `selection` to `each`, one at a time and ordered as
    /// [`Ledger::events`] orders them, without holding them all (SQLite streams them
    /// in that order), until `each` breaks; returns how many it was given.
    pub fn for_each_event(
        &self,
        selection: &Selection,
        mut each: impl FnMut(Event) -> std::ops::ControlFlow<()>,
    ) -> Result<usize, StoreError> {
        self.backend.for_each_event_dyn(selection, &mut each)
    }
}
