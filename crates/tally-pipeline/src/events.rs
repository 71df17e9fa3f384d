//! Keeping events current: rebuild them from reports and reviewer decisions, or
//! answer as of an earlier time by linking what was known then.

use crate::{PipelineError, Progress};
use tally_link::{
    link_reports, report_locators, BlockFinder, Decision, DecisionPlan, FirstSpans, HeldEvent,
    HeldReports, LinkConfig, PlaceDays, ReportLookup,
};
use tally_model::{Event, EventId, Report, ReportId, Selection};
use tally_store::{EventRows, IngestTx, Ledger, NumberedEvent, StoredDecision};

/// Rebuilds every event from the ledger's reports and decisions; returns how many.
///
/// The reports' locators are rewritten first (in their own transaction): events marked
/// current always stand on complete locators, and a crash in between leaves the events
/// stale, so the next writer comes back here.
pub fn rebuild_events(ledger: &mut Ledger) -> Result<usize, PipelineError> {
    let reports = ledger.reports(None)?;
    let decisions = decode_decisions(&ledger.decisions(None)?)?;
    if ledger.keeps_locators()? {
        ledger.replace_locators(&locators_of(&reports))?;
    }
    let events = link_reports(&reports, &decisions, &LinkConfig::default());
    ledger.replace_events(&events)?;
    Ok(events.len())
}

/// Files every report under its locators when the ledger has none yet (it was written
/// before migration 0007); returns whether it did. The events stay as they are.
pub(crate) fn file_missing_locators(ledger: &mut Ledger) -> Result<bool, PipelineError> {
    if !ledger.locators_missing()? {
        return Ok(false);
    }
    let reports = ledger.reports(None)?;
    ledger.replace_locators(&locators_of(&reports))?;
    Ok(true)
}

/// Every report's locators, for the store to file it under.
fn locators_of(reports: &[Report]) -> Vec<(ReportId, Vec<i64>)> {
    reports
        .iter()
        .filter_map(|r| Some((r.id?, report_locators(r, &LinkConfig::default()))))
        .filter(|(_, locators)| !locators.is_empty())
        .collect()
}

/// A file's new reports as the ingest stores them: the seam between storing a file and
/// linking it (issue 12). The ingest's keeper thread hands each report over with its id
/// as soon as its batch is stored ([`NewReports::push`]), and the reports are linked
/// once the file is stored ([`NewReports::link`]).
///
/// Into a ledger with no reports to link against (a first ingest), the reports are
/// kept compactly ([`HeldReports`]) and their blocks found ([`BlockFinder`]) as they
/// come, on that thread, while the single writer stores the rest of the file (on the
/// machine's second core), so that linking starts from known blocks the moment the
/// last row is stored. Into a ledger with reports, they are held for
/// [`link_new_reports`], which reads the ledger around them.
pub(crate) struct NewReports {
    decisions: Vec<Decision>,
    /// How many reports were handed over.
    count: usize,
    keeper: Keeper,
}

/// Where a file's new reports go as they are stored.
enum Keeper {
    /// Held for a relink with what the ledger holds.
    Held(Box<HeldReports>),
    /// Gathered to be linked on their own.
    Alone(Box<Gatherer>),
}

impl NewReports {
    /// Ready to take the new reports of a file of about `expected` reports, inside its
    /// transaction `tx`, before any of them is stored.
    pub(crate) fn start(tx: &IngestTx<'_>, expected: usize) -> Result<NewReports, PipelineError> {
        let decisions = decode_decisions(&tx.decisions()?)?;
        let keeper = if tx.has_located_reports()? {
            Keeper::Held(Box::default())
        } else {
            Keeper::Alone(Box::new(Gatherer::new(
                DecisionPlan::new(&decisions),
                expected,
            )))
        };
        Ok(NewReports {
            decisions,
            count: 0,
            keeper,
        })
    }

    /// Takes a report just stored under `id`.
    pub(crate) fn push(&mut self, report: &Report, id: ReportId) {
        self.count += 1;
        match &mut self.keeper {
            Keeper::Held(held) => held.push(report, id),
            Keeper::Alone(gatherer) => gatherer.take(report, id),
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Links the reports taken into events with what the ledger holds, inside the
    /// file's transaction, and writes the events and the reports' locators.
    /// `ahead` is what was read ahead for them while they were stored, if anything.
    pub(crate) fn link(
        self,
        tx: &IngestTx<'_>,
        ahead: Option<ReadAhead>,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<(), PipelineError> {
        match self.keeper {
            Keeper::Held(held) => link_new_reports(tx, *held, self.decisions, ahead, progress),
            Keeper::Alone(gatherer) => link_file_alone(tx, *gatherer, progress),
        }
    }

    /// Starts reading ahead what the relink of a file of about `expected` reports will
    /// ask first (see [`ReadAhead`]), when the reports are held for a relink, the file is
    /// small and the backend gives a reader beside the writer.
    pub(crate) fn read_ahead(
        &self,
        tx: &IngestTx<'_>,
        expected: u64,
    ) -> Result<Option<ReadAhead>, PipelineError> {
        if !matches!(self.keeper, Keeper::Held(_)) || expected > READ_AHEAD_AT_MOST {
            return Ok(None);
        }
        let Some(reader) = tx.reader_before_this_file()? else {
            return Ok(None);
        };
        // A second reader shares the reads of a large batch (issue 12), on a connection
        // of its own opened at its first read (while this transaction is open: the same
        // ledger as the first one's).
        let helper = tx.reader_before_this_file()?;
        Ok(Some(ReadAhead::start(reader, helper)))
    }
}

/// Files of up to this many rows are read ahead (a larger file into a ledger that holds
/// reports asks for much of it: what is read ahead is held whole until the relink).
const READ_AHEAD_AT_MOST: u64 = 50_000;

/// Reads, on a thread and a connection of its own, the link rows that the relink of a
/// small file's new reports asks for first (issue 12: about 940 range reads, 7,500
/// reports, when 1,000 rows join a ledger of a million), while the single writer stores
/// the file: the places and days around each report ([`FirstSpans`]) are known once its
/// place is resolved, before it has an id. The relink then reads on the writer only what
/// was not read ahead (the rounds after the first, and new places).
pub(crate) struct ReadAhead {
    send: Option<std::sync::mpsc::Sender<Vec<Report>>>,
    /// What was read, sent before the reading connection is closed (closing it unmaps
    /// the pages it read: a few milliseconds a large ledger's add need not wait for).
    done: std::sync::mpsc::Receiver<Result<Ahead, tally_store::StoreError>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// What was read ahead: the spans asked, and every stored report of them, for linking
/// only (as [`ReportLookup::linking_reports_at`] gives them), each once, in the order
/// read (issue 12: sorting some 7,500 whole reports by id moved each of them a dozen
/// times, twice an add, for a linker that takes them in any order).
#[derive(Default)]
struct Ahead {
    spans: rustc_hash::FxHashSet<PlaceDays>,
    reports: Vec<Report>,
    /// The ids of `reports`.
    ids: rustc_hash::FxHashSet<ReportId>,
    elapsed: std::time::Duration,
}

impl Ahead {
    /// Takes `reports` read for spans, leaving out those taken already (spans of
    /// neighbouring days overlap).
    fn take(&mut self, reports: Vec<Report>) {
        let ids = &mut self.ids;
        self.reports.extend(
            reports
                .into_iter()
                .filter(|r| r.id.is_none_or(|id| ids.insert(id))),
        );
    }
}

impl ReadAhead {
    fn start(
        mut reader: Box<dyn tally_store::LinkingReader>,
        mut helper: Option<Box<dyn tally_store::LinkingReader>>,
    ) -> ReadAhead {
        let (send, receive) = std::sync::mpsc::channel::<Vec<Report>>();
        let (done_send, done) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            let helping = helper
                .as_mut()
                .map(|helper| &mut **helper as &mut dyn tally_store::LinkingReader);
            let _ = done_send.send(read_ahead(&mut *reader, helping, receive));
            // The connections close after what they read is handed over.
            drop(reader);
            drop(helper);
        });
        ReadAhead {
            send: Some(send),
            done,
            thread: Some(thread),
        }
    }

    /// Hands over reports about to be stored: what their spans need of them (their
    /// place, day, whether they are curated rows, and their estimates' scopes).
    pub(crate) fn give<'r>(&self, reports: impl Iterator<Item = &'r Report>) {
        let seeds: Vec<Report> = reports
            .map(|report| {
                let mut seed = Report::new(
                    tally_model::SourceId(String::new()),
                    report.place.clone(),
                    report.received_at,
                );
                seed.date = report.date;
                seed.batch = report.batch.as_ref().map(|_| String::new());
                seed.estimates.clone_from(&report.estimates);
                seed
            })
            .collect();
        if let Some(send) = &self.send {
            // Fails only when the reader stopped (its error is logged at `finish`).
            let _ = send.send(seeds);
        }
    }

    /// Waits for the reads; what they found, or nothing when they failed (the relink
    /// then reads everything on the writer, as without reading ahead). The thread is
    /// joined when `self` is dropped (its connection may still be closing).
    fn finish(&mut self) -> Ahead {
        self.send.take();
        match self.done.recv() {
            Ok(Ok(ahead)) => ahead,
            Ok(Err(error)) => {
                tracing::debug!(%error, "reading ahead failed: the relink reads on the writer");
                Ahead::default()
            }
            // The thread ended without a word: it panicked.
            Err(_) => {
                let thread = self.thread.take().expect("joined once");
                match thread.join() {
                    Err(panic) => std::panic::resume_unwind(panic),
                    Ok(()) => Ahead::default(),
                }
            }
        }
    }
}

impl Drop for ReadAhead {
    /// A file that stops before its relink (an error, or `--strict`) waits for the reads
    /// to end, and a relink for the reading connection to close, so that no thread
    /// outlives it.
    fn drop(&mut self) {
        self.send.take();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The reading thread of [`ReadAhead`]: the ledger's places once, then the first spans of
/// each batch of reports as it comes, each span once. A batch of at least
/// [`SHARED_SPANS_FROM`] new spans (128) is read in two halves at once, the second by `helper` on a
/// thread of its own (issue 12: the relink of 1,000 rows added to a million waited some
/// 10 ms for the 940 spans' reads, which ran on one core while the writer stored the
/// file on the other, and went on after it had stored them).
fn read_ahead(
    reader: &mut dyn tally_store::LinkingReader,
    mut helper: Option<&mut dyn tally_store::LinkingReader>,
    receive: std::sync::mpsc::Receiver<Vec<Report>>,
) -> Result<Ahead, tally_store::StoreError> {
    let mut ahead = Ahead::default();
    let Some(places) = reader.linking_places()? else {
        return Ok(ahead);
    };
    let finder = FirstSpans::new(&places, &LinkConfig::default());
    let places: rustc_hash::FxHashMap<i64, tally_model::Place> = places.into_iter().collect();
    for seeds in receive {
        let started = std::time::Instant::now();
        let mut spans = Vec::new();
        for seed in &seeds {
            finder.spans_of(seed, |span| {
                if ahead.spans.insert(span) {
                    spans.push(span);
                }
            });
        }
        let shared_from = SHARED_SPANS_FROM.load(std::sync::atomic::Ordering::Relaxed);
        match helper.as_deref_mut() {
            Some(helper) if spans.len() >= shared_from => {
                let (first, second) = spans.split_at(spans.len() / 2);
                let (ranges, places) = (day_ranges(second), &places);
                let (read, other) = std::thread::scope(|scope| {
                    let other = scope.spawn(move || helper.linking_reports_at(&ranges, places));
                    let read = reader.linking_reports_at(&day_ranges(first), places);
                    let other = other
                        .join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                    (read, other)
                });
                ahead.take(read?);
                ahead.take(other?);
            }
            _ if !spans.is_empty() => {
                let read = reader.linking_reports_at(&day_ranges(&spans), &places)?;
                ahead.take(read);
            }
            _ => {}
        }
        ahead.elapsed += started.elapsed();
    }
    Ok(ahead)
}

/// A batch's new spans are read in two halves at once from this many on (a few dozen
/// are read in about a millisecond: not worth a second connection); tests lower it
/// ([`share_reads_ahead_from`]).
static SHARED_SPANS_FROM: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(128);

/// Issue 12, for tests: a small add's reads ahead are shared by two readers from a batch
/// of `spans` new spans on (128 otherwise), so that small ledgers reach that path. For
/// the whole process.
#[doc(hidden)]
pub fn share_reads_ahead_from(spans: usize) {
    SHARED_SPANS_FROM.store(spans.max(1), std::sync::atomic::Ordering::Relaxed);
}

/// A file's new reports gathered for linking on their own (see [`NewReports`]): held
/// compactly, their blocks found as they come.
struct Gatherer {
    plan: DecisionPlan,
    config: LinkConfig,
    held: HeldReports,
    finder: BlockFinder,
}

impl Gatherer {
    fn new(plan: DecisionPlan, expected: usize) -> Gatherer {
        let mut held = HeldReports::new();
        // Room for every report at once: grown by doubling instead, the list would be
        // copied into fresh memory a dozen times on a large file.
        held.reserve(expected);
        Gatherer {
            plan,
            config: LinkConfig::default(),
            held,
            finder: BlockFinder::new(),
        }
    }

    fn take(&mut self, report: &Report, id: ReportId) {
        self.held.push(report, id);
        self.finder.catch_up(&self.held, &self.plan, &self.config);
    }
}

/// Links a file's new reports with what the ledger held, inside the file's
/// transaction, and writes only the events that changed. The stored events are current
/// when a file starts (opening the ledger rebuilds stale ones), so relinking the blocks
/// the new reports touch, read from the ledger by day and place, gives the events a
/// full rebuild would (issue 12: the cost follows the file, not the ledger). Into a
/// ledger with no reports to link against, the file is linked on its own, a part at a
/// time ([`link_file_alone`]).
fn link_new_reports(
    tx: &IngestTx<'_>,
    new_reports: HeldReports,
    decisions: Vec<Decision>,
    ahead: Option<ReadAhead>,
    progress: &mut dyn FnMut(Progress),
) -> Result<(), PipelineError> {
    progress(Progress::Linking);
    let started = std::time::Instant::now();
    let mut reading_ahead = ahead;
    let ahead = reading_ahead
        .as_mut()
        .map(ReadAhead::finish)
        .unwrap_or_default();
    // How long the relink waited for the reads ahead, and how long they took.
    let waited = started.elapsed();
    tracing::debug!(
        spans = ahead.spans.len(),
        reports = ahead.reports.len(),
        elapsed = ?ahead.elapsed,
        ?waited,
        "read ahead"
    );
    let new_reports = new_reports.into_reports();
    // A store that keeps no locators (SQLite from migration 0015: its link rows stand
    // in for them) is given none to file.
    let locators = if tx.keeps_locators()? {
        locators_of(&new_reports)
    } else {
        Vec::new()
    };
    let mut lookup = TxLookup {
        tx,
        places: rustc_hash::FxHashMap::default(),
        ahead,
        spans: 0,
        read: 0,
        linking_read: 0,
        events_read: 0,
        reading: waited,
    };
    // The events no touched block held are new to the ledger: their old rows are not
    // looked for when they are written.
    let (update, new) = tally_link::link_new_reports_telling_new(
        &mut lookup,
        new_reports,
        decisions,
        &LinkConfig::default(),
    )?;
    tracing::info!(
        elapsed = ?started.elapsed(),
        reports_read = lookup.read,
        linking_read = lookup.linking_read,
        spans = lookup.spans,
        events_read = lookup.events_read,
        events = update.upserted.len(),
        reading = ?lookup.reading,
        "linked in memory"
    );
    tx.update_events_some_new(&update.removed, &update.upserted, &new)?;
    tx.record_locators(&locators)?;
    tracing::info!(elapsed = ?started.elapsed(), "events written");
    drop(reading_ahead);
    Ok(())
}

/// About how many reports one part of a file holds when it is linked on its own: parts
/// are linked on rayon's pool and their events held compactly as they come.
const PART_REPORTS: usize = if cfg!(test) { 16 } else { 4096 };
/// How many parts are linked at once: what waits to be held is a few of them.
const PARTS_AT_ONCE: usize = 8;
/// A file of at least this many reports has its events written aside (see
/// `tally_store::EventsAside`); a few in this crate's own tests.
const ASIDE_REPORTS: usize = if cfg!(test) { 16 } else { 20_000 };

/// Links a file into a ledger with no reports to link against (a first ingest), its
/// reports gathered and its blocks found while it was stored: the blocks are linked a
/// part at a time on every core, each part's events held compactly ([`EventRows`]) and
/// its reports' locators kept as rows, so that neither the file's whole reports nor
/// its whole events are ever in memory (issue 12: a million-row ingest in
/// under 1 GB). The events are the ones `link_reports` gives for the same reports,
/// whatever the cut into parts: blocks are independent, and parts are whole blocks.
///
/// The linking runs on a thread of its own (with rayon's pool), which also holds the
/// parts' events as rows; meanwhile the single writer builds what the store phase
/// left for the commit (`sources_stored`: the sources' addresses, filed by one sorted
/// insert), so that after linking only the events and locators remain to be written.
fn link_file_alone(
    tx: &IngestTx<'_>,
    gathered: Gatherer,
    progress: &mut dyn FnMut(Progress),
) -> Result<(), PipelineError> {
    let started = std::time::Instant::now();
    let Gatherer {
        plan,
        config,
        held,
        finder,
    } = gathered;
    let blocks = finder.finish();
    let of = blocks.reports() as u64;
    progress(Progress::Linked { reports: 0, of });
    // How many reports each part linked held, as the parts are done.
    let (tick, ticks) = std::sync::mpsc::channel::<u64>();
    let file_locators = tx.keeps_locators()?;
    // With a core beside the single writer, the events are written aside there once
    // linked, while the writer writes the link rows (see `tally_store::EventsAside`).
    let aside = if rayon::current_num_threads() >= 2 && held.len() >= ASIDE_REPORTS {
        tx.events_aside(&mut held.places())?
    } else {
        None
    };
    let (rows, locators, aside) = std::thread::scope(|scope| -> Result<_, PipelineError> {
        let (held, blocks, plan, config) = (&held, &blocks, &plan, &config);
        let linker = scope.spawn(move || {
            let (rows, locators) = link_parts(held, blocks, plan, config, file_locators, &tick);
            let Some(aside) = aside else {
                return (rows, locators, None);
            };
            let rows = rows.into_id_order();
            let cpu = crate::ingest::thread_cpu;
            let before = cpu();
            let written = aside
                .write(&rows)
                .map_err(|error| {
                    // The writer writes them as it would have.
                    tracing::debug!(%error, "the events could not be written aside");
                })
                .ok();
            if let (Some(before), Some(after)) = (before, cpu()) {
                tracing::debug!(cpu = ?after - before, "events written aside");
            }
            (rows, locators, written)
        });
        let cpu = crate::ingest::thread_cpu;
        let before = cpu();
        let stored = tx.sources_stored();
        let between = cpu();
        let stored = stored.and_then(|()| write_link_rows(tx, held));
        if let (Some(before), Some(between), Some(after)) = (before, between, cpu()) {
            tracing::debug!(
                sources = ?between - before,
                link_rows = ?after - between,
                "the writer's thread while the file is linked, cpu"
            );
        }
        let mut linked = 0u64;
        for reports in ticks {
            linked += reports;
            progress(Progress::Linked {
                reports: linked,
                of,
            });
        }
        let linked = linker
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        stored?;
        Ok(linked)
    })?;
    drop(blocks);
    drop(held);
    tracing::info!(
        elapsed = ?started.elapsed(),
        reports_read = 0,
        events = rows.len(),
        "linked in memory"
    );
    let rows = if aside.is_some() {
        tx.record_locator_rows(locators)?;
        rows
    } else {
        // The rows are laid out in id order, the order they are written in, on a
        // thread of their own while the single writer files the locators.
        std::thread::scope(|scope| -> Result<EventRows, PipelineError> {
            let ordered = scope.spawn(move || rows.into_id_order());
            let filed = tx.record_locator_rows(locators);
            let rows = ordered
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            filed?;
            Ok(rows)
        })?
    };
    let of = rows.len() as u64;
    progress(Progress::EventsWritten { events: 0, of });
    let mut written = |events| progress(Progress::EventsWritten { events, of });
    match aside {
        Some(aside) => tx.write_events_aside(&rows, aside, &mut written)?,
        None => tx.write_event_rows(&rows, &mut written)?,
    }
    tracing::info!(elapsed = ?started.elapsed(), "events written");
    Ok(())
}

/// Writes the link rows of a file's held reports (the file's every report) from memory,
/// in key order (place, day, id), while the file's blocks are linked on the other
/// threads (issue 12: no select over the stored rows, no join, no subquery, no sort by
/// SQLite on the single writer). A place the ledger does not number, or held reports
/// that are not the file's every one, leave the rows to the commit, which writes them
/// from the stored rows.
fn write_link_rows(tx: &IngestTx<'_>, held: &HeldReports) -> Result<(), tally_store::StoreError> {
    if held.len() as u64 != tx.reports_added() {
        return Ok(());
    }
    let mut numbers = Vec::new();
    for place in held.places() {
        match tx.place_number(place)? {
            Some(number) => numbers.push(number),
            None => return Ok(()),
        }
    }
    // In key order: the place's number, then the day (none first, as the stored day of
    // no date sorts), then the id (the held order). A day's key is its number of days
    // from the first day a date can hold, which orders as the stored number of days
    // from 1970-01-01 does (migration 0016).
    let day_key = |date: Option<tally_model::Date>| {
        date.map_or(0, |d| {
            d.signed_duration_since(tally_model::Date::MIN).num_days() as u32 + 1
        })
    };
    let mut order: Vec<(u64, u32)> = (0..held.len())
        .map(|position| {
            let row = held.link_row(position);
            let place = numbers[row.place as usize] as u64;
            (place << 32 | u64::from(day_key(row.date)), position as u32)
        })
        .collect();
    order.sort_unstable();
    tx.write_link_rows_given(&mut |put| {
        for &(_, position) in &order {
            let row = held.link_row(position as usize);
            let mut sizes = row.sizes();
            put(tally_store::LinkRow {
                place: numbers[row.place as usize],
                day: row.date,
                id: row.id.0,
                source: row.source,
                batch: row.batch,
                title: row.title,
                headline: row.headline,
                event_type: row.event_type,
                detail: row.location_detail,
                organizers: row.organizers,
                sizes: &mut sizes,
            })?;
        }
        Ok(())
    })
}

/// Links `blocks` of `held` a few parts at a time on rayon's pool (see
/// [`link_file_alone`]); returns their events as rows and, with `file_locators`, the
/// (locator, report id) rows of every report, the ones in no event included. Tells
/// `tick` how many reports each part held.
fn link_parts(
    held: &HeldReports,
    blocks: &tally_link::HeldBlocks,
    plan: &DecisionPlan,
    config: &LinkConfig,
    file_locators: bool,
    tick: &std::sync::mpsc::Sender<u64>,
) -> (EventRows, Vec<(i64, i64)>) {
    use rayon::prelude::*;
    let mut rows = Rows::default();
    let mut locators: Vec<(i64, i64)> = Vec::new();
    // Reports in no event (rejected ones) are filed all the same.
    for &position in blocks.left_out().iter().filter(|_| file_locators) {
        file_under_locators(&held.report(position as usize), config, &mut locators);
    }
    for window in blocks.parts(PART_REPORTS).chunks(PARTS_AT_ONCE) {
        let linked: Vec<LinkedPart> = window
            .par_iter()
            .map(|part| {
                let (mut events, mut locators) = (Vec::new(), Vec::new());
                let reports = held.link_blocks_held(
                    blocks,
                    part.clone(),
                    plan,
                    config,
                    &mut events,
                    file_locators.then_some(&mut locators),
                );
                LinkedPart {
                    events,
                    locators,
                    reports,
                }
            })
            .collect();
        for part in linked {
            for event in &part.events {
                rows.push(held, event);
            }
            locators.extend(part.locators);
            // The receiver only reports progress; it goes only once this thread is done.
            let _ = tick.send(part.reports);
        }
    }
    // In the order they are filed, sorted here while the single writer still builds
    // what the store phase left (the longer of the two): the writer's own sort of
    // them then finds them in order (issue 12).
    locators.par_sort_unstable();
    locators.dedup();
    (rows.rows, locators)
}

/// A file's events held as rows, with the held reports' places and labels numbered
/// among the rows' own once each.
#[derive(Default)]
struct Rows {
    rows: EventRows,
    /// The rows' number of each held place, by its held number (`u32::MAX`: not yet).
    places: Vec<u32>,
    /// The rows' number of each held text as a label, by its held number.
    labels: Vec<u32>,
}

impl Rows {
    fn push(&mut self, held: &HeldReports, event: &HeldEvent) {
        let single = match event {
            HeldEvent::Whole(event) => return self.rows.push(event),
            HeldEvent::Single(single) => held.single_event(*single),
        };
        let rows = &mut self.rows;
        let place = numbered(&mut self.places, single.place, |n| {
            rows.place_number(held.place(n))
        });
        let labels = &mut self.labels;
        let mut label = |n: u32| {
            if n == tally_model::pool::NO_TEXT {
                return n;
            }
            numbered(labels, n, |n| rows.label_number(held.label(n)))
        };
        // In the rows' own numbers.
        let numbered_event = NumberedEvent {
            place,
            event_type: label(single.event_type),
            title: label(single.title),
            organizers: label(single.organizers),
            ..single
        };
        rows.push_numbered(&numbered_event);
    }
}

/// The number `table` holds for `key`, made by `make` the first time.
fn numbered(table: &mut Vec<u32>, key: u32, make: impl FnOnce(u32) -> u32) -> u32 {
    let at = key as usize;
    if table.len() <= at {
        table.resize(at + 1, u32::MAX);
    }
    if table[at] == u32::MAX {
        table[at] = make(key);
    }
    table[at]
}

/// One part of a file, linked.
struct LinkedPart {
    events: Vec<HeldEvent>,
    /// (locator, report id) rows of the part's reports.
    locators: Vec<(i64, i64)>,
    /// How many reports the part holds.
    reports: u64,
}

/// Adds the rows that file `report` under its locators.
fn file_under_locators(report: &Report, config: &LinkConfig, rows: &mut Vec<(i64, i64)>) {
    if let Some(id) = report.id {
        rows.extend(
            report_locators(report, config)
                .into_iter()
                .map(|locator| (locator, id.0)),
        );
    }
}

/// The ledger as the open transaction sees it, read by day and place for the linker.
struct TxLookup<'t, 'a> {
    tx: &'t IngestTx<'a>,
    /// The ledger's places by number, once [`ReportLookup::places`] has read them.
    places: rustc_hash::FxHashMap<i64, tally_model::Place>,
    /// What was read ahead (see [`ReadAhead`]), its reports handed out at the first ask.
    ahead: Ahead,
    /// How many whole reports were read, for the log.
    read: usize,
    /// How many reports were read for linking only (by place and day), and how many
    /// places and days were asked for, for the log.
    linking_read: usize,
    spans: usize,
    /// How many stored events were read (those of large blocks), for the log.
    events_read: usize,
    /// The time spent reading reports and their ids, for the log.
    reading: std::time::Duration,
}

impl ReportLookup for TxLookup<'_, '_> {
    type Error = tally_store::StoreError;

    fn report_ids_at(&mut self, locators: &[i64]) -> Result<Vec<ReportId>, Self::Error> {
        let started = std::time::Instant::now();
        let ids = self.tx.report_ids_at_locators(locators);
        self.reading += started.elapsed();
        ids
    }

    fn reports_by_id(&mut self, ids: &[ReportId]) -> Result<Vec<Report>, Self::Error> {
        let started = std::time::Instant::now();
        let reports = self.tx.reports_with_ids(ids)?;
        self.reading += started.elapsed();
        self.read += reports.len();
        Ok(reports)
    }

    fn events_by_id(&mut self, ids: &[EventId]) -> Result<Vec<Event>, Self::Error> {
        let events = self.tx.events_by_id(ids)?;
        self.events_read += events.len();
        Ok(events)
    }

    fn places(&mut self) -> Result<Option<Vec<(i64, tally_model::Place)>>, Self::Error> {
        let started = std::time::Instant::now();
        let places = self.tx.linking_places()?;
        if let Some(places) = &places {
            self.places = places.iter().cloned().collect();
        }
        self.reading += started.elapsed();
        Ok(places)
    }

    fn linking_reports_at(
        &mut self,
        spans: &[tally_link::PlaceDays],
    ) -> Result<Vec<Report>, Self::Error> {
        let started = std::time::Instant::now();
        // The spans read ahead come back as everything read ahead, once: more than was
        // asked, which the linker allows, and nothing it does not have already later.
        let unread: Vec<PlaceDays> = spans
            .iter()
            .filter(|span| !self.ahead.spans.contains(span))
            .copied()
            .collect();
        let read = if unread.is_empty() {
            Vec::new()
        } else {
            self.tx
                .linking_reports_at(&day_ranges(&unread), &self.places)?
        };
        // What was read ahead is handed over as it is (no copy: some 7,500 whole reports
        // at the first ask), with what was read now and not ahead.
        let reports = if unread.len() < spans.len() && !self.ahead.reports.is_empty() {
            self.ahead.take(read);
            self.ahead.ids.clear();
            std::mem::take(&mut self.ahead.reports)
        } else {
            read
        };
        self.reading += started.elapsed();
        self.linking_read += reports.len();
        self.spans += spans.len();
        Ok(reports)
    }
}

/// The store's day ranges of `spans`, as the link rows are read.
fn day_ranges(spans: &[tally_link::PlaceDays]) -> Vec<tally_store::DayRange> {
    // Text order is day order for the days of four-digit years (`2025-06-14`, as
    // `reports.date` writes them); a span past them reads every day of its place.
    let plain = |day: &str| day.len() == 10 && day.starts_with(|c: char| c.is_ascii_digit());
    spans
        .iter()
        .map(|span| {
            let (first, last, every_batch) =
                span.days
                    .map_or((String::new(), String::new(), false), |(first, last)| {
                        let (first, last) = (first.to_string(), last.to_string());
                        if plain(&first) && plain(&last) {
                            (first, last, false)
                        } else {
                            (String::new(), "~".to_string(), true)
                        }
                    });
            tally_store::DayRange {
                place: span.place,
                first,
                last,
                every_batch,
            }
        })
        .collect()
}

/// The reviewer decisions made up to `as_of` (all when `None`).
pub fn decisions(
    ledger: &Ledger,
    as_of: Option<tally_model::Timestamp>,
) -> Result<Vec<Decision>, PipelineError> {
    decode_decisions(&ledger.decisions(as_of)?)
}

/// The events a selection picks, ordered by date, state, locality and id. With
/// `as_of`, events are linked afresh from the reports and decisions known at that time,
/// since the stored events are today's.
pub fn events_for(ledger: &Ledger, selection: &Selection) -> Result<Vec<Event>, PipelineError> {
    let Some(as_of) = selection.as_of else {
        return Ok(ledger.events(selection)?);
    };
    events_as_of(ledger, selection, as_of)
}

/// The same events in no particular order: cheaper, for totals.
pub fn events_for_totals(
    ledger: &Ledger,
    selection: &Selection,
) -> Result<Vec<Event>, PipelineError> {
    match selection.as_of {
        None => Ok(ledger.events_in_any_order(selection)?),
        Some(as_of) => events_as_of(ledger, selection, as_of),
    }
}

/// The events of `selection` as of a time, linked from the reports and decisions known
/// then. Only the selection's days are read, with the blocks their reports are in
/// (issue 12): an event's date is its earliest report's, so every event of those days
/// holds a report of them, and linking whole blocks gives what a full relink gives.
fn events_as_of(
    ledger: &Ledger,
    selection: &Selection,
    as_of: tally_model::Timestamp,
) -> Result<Vec<Event>, PipelineError> {
    let decisions = decisions(ledger, Some(as_of))?;
    let config = LinkConfig::default();
    let mut reports = ledger.reports_on_days(selection)?;
    if selection.from.is_some() || selection.to.is_some() {
        let mut lookup = LedgerLookup::new(ledger, Some(as_of));
        let more = tally_link::reports_in_blocks_of(&mut lookup, &reports, &decisions, &config)?;
        reports.extend(more);
    }
    let mut events = link_reports(&reports, &decisions, &config);
    events.retain(|event| selection.matches(event));
    Ok(events)
}

/// The ledger as it stood at `as_of` (all of it when `None`), read by day and place
/// for the linker: by locator, or by place and day from a store's link rows (which
/// give every report, whatever its receipt: [`tally_link::reports_in_blocks_of`] reads
/// the reports it keeps again by id, and those received after `as_of` drop out there).
struct LedgerLookup<'l> {
    ledger: &'l Ledger,
    as_of: Option<tally_model::Timestamp>,
    /// The ledger's places by number, once [`ReportLookup::places`] has read them.
    places: rustc_hash::FxHashMap<i64, tally_model::Place>,
}

impl<'l> LedgerLookup<'l> {
    fn new(ledger: &'l Ledger, as_of: Option<tally_model::Timestamp>) -> LedgerLookup<'l> {
        LedgerLookup {
            ledger,
            as_of,
            places: rustc_hash::FxHashMap::default(),
        }
    }
}

impl LedgerLookup<'_> {
    fn known_then(&self, mut reports: Vec<Report>) -> Vec<Report> {
        if let Some(as_of) = self.as_of {
            reports.retain(|r| r.received_at <= as_of);
        }
        reports
    }
}

impl ReportLookup for LedgerLookup<'_> {
    type Error = tally_store::StoreError;

    fn report_ids_at(&mut self, locators: &[i64]) -> Result<Vec<ReportId>, Self::Error> {
        self.ledger.report_ids_at_locators(locators)
    }

    fn reports_by_id(&mut self, ids: &[ReportId]) -> Result<Vec<Report>, Self::Error> {
        Ok(self.known_then(self.ledger.reports_by_id(ids)?))
    }

    fn events_by_id(&mut self, ids: &[EventId]) -> Result<Vec<Event>, Self::Error> {
        // Not asked for by the relinks this lookup serves; answered one by one.
        let mut events = Vec::new();
        for id in ids {
            events.extend(self.ledger.event(id)?);
        }
        Ok(events)
    }

    fn places(&mut self) -> Result<Option<Vec<(i64, tally_model::Place)>>, Self::Error> {
        let places = self.ledger.linking_places()?;
        if let Some(places) = &places {
            self.places = places.iter().cloned().collect();
        }
        Ok(places)
    }

    fn linking_reports_at(
        &mut self,
        spans: &[tally_link::PlaceDays],
    ) -> Result<Vec<Report>, Self::Error> {
        self.ledger
            .linking_reports_at(&day_ranges(spans), &self.places)
    }
}

/// Records a reviewer decision and relinks only the blocks its reports are in, before
/// and after it (issue 12); the stored events must be current. The decision and the
/// events it changes are two transactions: a crash between them leaves the events
/// stale, and the next writer rebuilds them.
pub(crate) fn apply_decision(
    ledger: &mut Ledger,
    decision: &Decision,
    at: tally_model::Timestamp,
    kind: &str,
    body: &str,
) -> Result<i64, PipelineError> {
    let before = decisions(ledger, None)?;
    let update = tally_link::relink_for_decision(
        &mut LedgerLookup::new(ledger, None),
        before,
        decision.clone(),
        &LinkConfig::default(),
    )?;
    let id = ledger.record_decision(at, kind, body)?;
    ledger.update_events(&update.removed, &update.upserted)?;
    Ok(id)
}

/// Appends one source with its reports as a file of its own (`tally area --record`)
/// and links them in the same transaction, relinking only the blocks they touch, as an
/// ingest does.
pub fn record_source(
    ledger: &mut Ledger,
    receipt: &tally_store::FileReceipt,
    source: &tally_model::Source,
    reports: &[Report],
) -> Result<tally_store::AddOutcome, PipelineError> {
    let mut tx = ledger.begin_ingest(receipt)?;
    let mut new_reports = NewReports::start(&tx, reports.len())?;
    let outcome = tx.add(source, reports)?;
    if let tally_store::AddOutcome::Added(ids) = &outcome {
        for (report, id) in reports.iter().zip(ids) {
            new_reports.push(report, *id);
        }
        new_reports.link(&tx, None, &mut |_| {})?;
    }
    tx.commit(1, 0)?;
    Ok(outcome)
}

fn decode_decisions(stored: &[StoredDecision]) -> Result<Vec<Decision>, PipelineError> {
    stored
        .iter()
        .map(|d| {
            serde_json::from_str(&d.body).map_err(|e| PipelineError::BadDecision {
                id: d.id,
                reason: e.to_string(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use tally_model::{Confidence, Estimate, Place, ResolvedPlace, Source, SourceId, SourceKind};

    /// Issue 12: a file linked on its own, its reports gathered and its blocks found as
    /// they are stored, one at a time, then linked a
    /// few blocks per run on rayon's pool (runs of 16 reports in tests), its events held
    /// as rows and written, gives the events of one link of all its reports, with the
    /// same ids and fields, blocks chained over several days (articles dated a day late)
    /// included; its link rows, written from the held reports, are the stored reports'.
    #[test]
    fn issue_12_a_file_linked_alone_by_runs_gives_the_events_of_one_link() {
        let at: tally_model::Timestamp = "2025-06-20T00:00:00Z".parse().unwrap();
        let receipt = tally_store::FileReceipt {
            origin: "runs.csv".into(),
            content_hash: "00".into(),
            format: "reports".into(),
            encoding: "utf-8".into(),
            received_at: at,
        };
        let cities = [
            ("Austin", 30.2672, -97.7431),
            ("Waco", 31.5493, -97.1467),
            ("Houston", 29.7604, -95.3698),
            ("El Paso", 31.7619, -106.4850),
        ];
        let mut ledger = Ledger::open_in_memory().unwrap();
        let mut tx = ledger.begin_ingest(&receipt).unwrap();
        let mut new_reports = NewReports::start(&tx, 400).unwrap();
        assert!(matches!(new_reports.keeper, Keeper::Alone(_)));
        let mut held = HeldReports::new();
        let mut all = Vec::new();
        for n in 0..400usize {
            // Some sources by content address, the others by a text of their own.
            let id = if n % 5 == 0 {
                format!("{n:064x}")
            } else {
                format!("s{n}")
            };
            let source = Source {
                id: SourceId(id),
                kind: SourceKind::DatasetRow,
                origin: "runs.csv".into(),
                locator: None,
                content: format!("row {n}"),
                received_at: at,
            };
            let (city, lat, lon) = cities[n % 4];
            let mut place = Place::from_parts(Some(city), Some("TX".parse().unwrap()));
            place.resolved = Some(ResolvedPlace {
                locality: Some(city.to_string()),
                county: None,
                fips: None,
                state: "TX".parse().unwrap(),
                lat: Some(lat),
                lon: Some(lon),
                population: Some(100_000),
                confidence: Confidence::Exact,
            });
            let mut report = Report::new(source.id.clone(), place, at);
            // Runs of three days, two days apart: articles a day late chain each day of
            // a run to the one before, so a city's block spans three days.
            let day = n / 10 % 40;
            report.date = Some(
                chrono::NaiveDate::from_ymd_opt(2025, 5, 1).unwrap()
                    + chrono::Days::new((day / 3 * 5 + day % 3) as u64),
            );
            if n % 3 == 0 {
                report.batch = Some("dataset".into());
                report.title = Some(["No Kings", "Hands Off"][n % 2].into());
            } else {
                report.headline = Some("Crowds rally".into());
            }
            report.estimates.push(Estimate::exact(10 * n as u64 + 5));
            // What else the link rows hold: a second, aggregate figure, a type and a
            // location detail, no size, no date.
            if n % 11 == 0 {
                report
                    .estimates
                    .push(Estimate::exact(90_000).with_scope(tally_model::Scope::Aggregate));
            }
            if n % 13 == 0 {
                report.event_type = Some("march".into());
                report.location_detail = Some("the capitol steps".into());
            }
            if n % 17 == 0 {
                report.estimates.clear();
            }
            if n % 19 == 0 {
                report.date = None;
            }
            // Organizers and sizes coded by rule (migration 0016's link rows hold both).
            if n % 7 == 0 {
                report.organizers = Some(["Indivisible", "50501"][n % 2].into());
            }
            if n % 5 == 1 {
                report.estimates = vec![Estimate::coded(200, "hundreds")];
            }
            let ids = match tx.add(&source, std::slice::from_ref(&report)).unwrap() {
                tally_store::AddOutcome::Added(ids) => ids,
                tally_store::AddOutcome::Duplicate => unreachable!("every row differs"),
            };
            held.push(&report, ids[0]);
            new_reports.push(&report, ids[0]);
            report.id = Some(ids[0]);
            all.push(report);
        }
        let aside = tally_store::testing::events_copied_from_aside();
        new_reports.link(&tx, None, &mut |_| {}).unwrap();
        tx.commit(400, 0).unwrap();
        if rayon::current_num_threads() >= 2 {
            // Issue 12: with a core beside the writer, the events were written aside.
            assert!(tally_store::testing::events_copied_from_aside() > aside);
        }
        let mut stored = ledger.events(&Selection::default()).unwrap();
        let mut expected = link_reports(&all, &[], &LinkConfig::default());
        let blocks = held.blocks(&DecisionPlan::default(), &LinkConfig::default());
        assert!(
            blocks.parts(PART_REPORTS).len() > PARTS_AT_ONCE,
            "several windows of runs"
        );
        assert!(
            expected.iter().any(|e| e.reports.len() > 1),
            "some events join reports"
        );
        let spans = (0..blocks.len()).map(|b| {
            let days: Vec<_> = blocks
                .block(b)
                .iter()
                .filter_map(|&p| held.report(p as usize).date)
                .collect();
            // (A block of undated reports spans no days.)
            match (days.iter().min(), days.iter().max()) {
                (Some(first), Some(last)) => (*last - *first).num_days(),
                _ => 0,
            }
        });
        assert_eq!(spans.max(), Some(2), "blocks chained over three days");
        stored.sort_by(|a, b| a.id.cmp(&b.id));
        expected.sort_by(|a, b| a.id.cmp(&b.id));
        assert_eq!(stored, expected);
        // The ledger keeps no locators (migration 0015): its link rows, which stand in
        // for them, were written from the held reports (400 of them: six statements of
        // 64 rows and one of 16), and hold every report as stored (`integrity_check`
        // compares them with the select over the stored rows).
        assert!(!ledger.keeps_locators().unwrap());
        assert!(tally_store::testing::link_rows_given() > 0);
        assert_eq!(ledger.integrity_check().unwrap(), Vec::<String>::new());
    }
}
