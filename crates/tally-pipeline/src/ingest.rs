//! One file into the ledger: read, resolve, append, relink — all or nothing.

use crate::{places, PipelineError};
use tally_ingest::{Format, IngestOptions, Reject, Warning};
use tally_model::{Report, Source, StateCode};
use tally_places::Gazetteer;
use tally_store::{AddOutcome, FileReceipt, Ledger};

/// What to ingest and how.
pub struct IngestRequest<'a> {
    /// The file's name as the user gave it: used in messages and as the source origin.
    pub origin: &'a str,
    /// The file's bytes: owned ones are let go once its rows are stored, before linking
    /// (issue 12: a million-row file is 400 MB of the ingest's peak memory otherwise).
    pub bytes: std::borrow::Cow<'a, [u8]>,
    pub options: IngestOptions,
    /// One rejected row refuses the whole file.
    pub strict: bool,
}

/// Where an ingest is, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// The file was read: this many rows to store.
    Read { rows: u64 },
    /// This many rows stored so far.
    Stored { rows: u64 },
    /// Events are being rebuilt (a file into a ledger that holds reports already: no
    /// count to give).
    Linking,
    /// Linking a file into an empty ledger: this many of its `of` reports linked so far.
    Linked { reports: u64, of: u64 },
    /// Writing the events of a file linked on its own: this many of `of` written so far.
    EventsWritten { events: u64, of: u64 },
}

/// What happened to one file.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FileOutcome {
    pub file: String,
    pub format: String,
    pub encoding: String,
    pub rows_read: u64,
    pub reports_added: u64,
    pub duplicates_skipped: u64,
    pub rejected: Vec<RejectedRow>,
    pub warnings: Vec<String>,
    /// Reports whose place the gazetteer could not resolve (kept, flagged).
    pub unresolved_places: u64,
    /// The place texts behind `unresolved_places`, each once, in sorted order; an empty
    /// text (an article that names no place for a figure) is listed as "(no place)".
    pub unresolved_place_names: Vec<String>,
    /// False when `--strict` refused the file: nothing of it landed.
    pub landed: bool,
}

/// A rejected row: `file:line: reason`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RejectedRow {
    pub line: usize,
    pub reason: String,
}

/// A unit of the file to store: one source and the reports read from it.
struct Item {
    source: Source,
    reports: Vec<Report>,
    /// The state an article's text is about (its dateline, else the first state it
    /// names): a hint for a locality it names without one ("in nearby Evanston").
    state_hint: Option<StateCode>,
}

/// A batch to store: articles as items, or a table's rows as its reader gave them
/// (issue 12: wrapping each row's report in a list of its own was an allocation and a
/// copy of the report per row, on the thread that hands the rows to the writer).
enum Batch {
    Items(Vec<Item>),
    Rows(Vec<tally_ingest::Record>),
}

impl Batch {
    fn len(&self) -> usize {
        match self {
            Batch::Items(items) => items.len(),
            Batch::Rows(rows) => rows.len(),
        }
    }

    /// Unit `index`'s source and reports.
    fn unit(&self, index: usize) -> (&Source, &[Report]) {
        match self {
            Batch::Items(items) => (&items[index].source, items[index].reports.as_slice()),
            Batch::Rows(rows) => (
                &rows[index].source,
                std::slice::from_ref(&rows[index].report),
            ),
        }
    }
}

/// Reads, resolves and appends one file in one transaction, and links its new reports
/// into events in that same transaction, so a kill at any point leaves all of the file
/// or none of it.
///
/// A table is read, resolved and appended a batch of rows at a time (issue 12), so its
/// rows' texts are never all held at once; only what linking needs of each new report
/// is kept until the file's reports are linked.
pub fn ingest_file(
    ledger: &mut Ledger,
    request: IngestRequest<'_>,
    progress: &mut dyn FnMut(Progress),
) -> Result<FileOutcome, PipelineError> {
    let origin = request.origin;
    let started = std::time::Instant::now();
    places::load_gazetteer_ahead();
    // The file's hash on a thread of its own while its format, encoding and rows are
    // found (issue 12: both are passes over the whole file, and they were the start of
    // every ingest on one core while the other waited).
    let (prepared, content_hash) = std::thread::scope(|scope| {
        let hash = scope.spawn(|| blake3::hash(&request.bytes).to_hex().to_string());
        let prepared = prepare(origin, &request.bytes, &request.options).map(|prepared| {
            let expected_rows = match &prepared {
                Prepared::Articles(file) => file.items.len() as u64,
                Prepared::Table(file) => file.approximate_rows(),
            };
            (prepared, expected_rows)
        });
        let hash = hash
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (prepared, hash)
    });
    let (prepared, expected_rows) = prepared?;
    let (format, encoding, rows) = match prepared {
        Prepared::Articles(file) => (file.format, file.encoding, Rows::Articles(file)),
        Prepared::Table(file) => (file.format(), file.encoding(), Rows::Table(file)),
    };
    let receipt = FileReceipt {
        origin: origin.to_string(),
        content_hash,
        format: format.to_string(),
        encoding: encoding.to_string(),
        received_at: request.options.received_at,
    };
    let mut tx = ledger.begin_ingest_sized(&receipt, expected_rows)?;
    let new_reports =
        crate::events::NewReports::start(&tx, usize::try_from(expected_rows).unwrap_or(0))?;
    let ahead = new_reports.read_ahead(&tx, expected_rows)?;
    let mut store = Store {
        tx: &mut tx,
        ahead: ahead.as_ref(),
        unresolved: std::collections::BTreeSet::new(),
        unresolved_count: 0,
        keeper: Keeper::start(new_reports),
        stored: 0,
        progress,
    };
    let (rows_read, rejects, warnings) = match rows {
        Rows::Articles(file) => {
            (store.progress)(Progress::Read {
                rows: file.items.len() as u64,
            });
            store.add(file.items)?;
            (file.rows_read, file.rejects, file.warnings)
        }
        Rows::Table(file) => {
            (store.progress)(Progress::Read {
                rows: expected_rows,
            });
            let parsed = read_while_storing(file, &mut store)?;
            (parsed.rows_read as u64, parsed.rejects, parsed.warnings)
        }
    };
    drop(request.bytes);
    let Store {
        unresolved,
        unresolved_count,
        keeper,
        stored,
        progress,
        ..
    } = store;
    let new_reports = keeper.finish();
    progress(Progress::Stored { rows: stored });
    tracing::info!(file = origin, rows = stored, elapsed = ?started.elapsed(), "read, resolved and stored");

    let mut outcome = FileOutcome {
        file: origin.to_string(),
        format: format.to_string(),
        encoding: encoding.to_string(),
        rows_read,
        reports_added: tx.reports_added(),
        duplicates_skipped: tx.duplicates(),
        rejected: rejects
            .iter()
            .map(|r| RejectedRow {
                line: r.line,
                reason: r.reason.clone(),
            })
            .collect(),
        warnings: warnings.iter().map(format_warning).collect(),
        unresolved_places: unresolved_count,
        unresolved_place_names: unresolved.into_iter().collect(),
        landed: false,
    };
    if request.strict && !outcome.rejected.is_empty() {
        // Dropping the transaction leaves the ledger as it was.
        drop(tx);
        outcome.reports_added = 0;
        outcome.duplicates_skipped = 0;
        return Ok(outcome);
    }
    if !new_reports.is_empty() {
        new_reports.link(&tx, ahead, progress)?;
    }
    tracing::info!(file = origin, elapsed = ?started.elapsed(), "linked");
    // This thread runs every SQLite statement of the file: its CPU time by phase says
    // how much of each phase's wall time the single writer accounts for (`-v -v`).
    tracing::debug!(cpu = ?thread_cpu(), "the writer's thread, linked");
    tx.commit(rows_read, outcome.rejected.len() as u64)?;
    tracing::info!(file = origin, elapsed = ?started.elapsed(), "committed");
    tracing::debug!(cpu = ?thread_cpu(), "the writer's thread, committed");
    outcome.landed = true;
    Ok(outcome)
}

/// Resolves and appends batches of items inside the file's transaction.
struct Store<'t, 'a, 'p> {
    tx: &'t mut tally_store::IngestTx<'a>,
    /// Reads ahead for the relink what each batch's reports will ask for first, while
    /// the batch is stored (issue 12; a small file into a ledger with reports).
    ahead: Option<&'t crate::events::ReadAhead>,
    unresolved: std::collections::BTreeSet<String>,
    unresolved_count: u64,
    /// Keeps the new reports for linking (issue 12: their blocks are found while the
    /// rest of the file is stored).
    keeper: Keeper,
    stored: u64,
    progress: &'p mut dyn FnMut(Progress),
}

/// Reads and resolves a table's batches on a thread of their own while this thread
/// stores the batch before (issue 12): the single writer does not wait for parsing, and
/// at most one resolved batch waits between them, so memory stays that of a few batches.
fn read_while_storing(
    file: tally_ingest::PreparedFile<'_>,
    store: &mut Store<'_, '_, '_>,
) -> Result<tally_ingest::ParsedFile, PipelineError> {
    let (send, receive) = std::sync::mpsc::sync_channel::<(Batch, Vec<String>)>(1);
    let spares = store.keeper.spares.take();
    std::thread::scope(|scope| {
        let reader = scope.spawn(move || {
            // The keeper gives each row list back once it is done with it.
            let mut spare = || spares.as_ref().and_then(|spares| spares.try_recv().ok());
            file.read_into(&mut spare, &mut |mut records: Vec<tally_ingest::Record>| {
                let unresolved = resolve(&mut records, |record| {
                    (std::slice::from_mut(&mut record.report), None)
                });
                send.send((Batch::Rows(records), unresolved))
                    .map_err(|_| ReadStop::WriterStopped)
            })
        });
        let mut stored = Ok(());
        // Whether the single writer waits for rows (then parsing is the bound) or is
        // busy all along (then the reader waits for it): `tally -v -v ingest`.
        let (mut busy, mut waited) = (std::time::Duration::ZERO, std::time::Duration::ZERO);
        let cpu_before = thread_cpu();
        tracing::debug!(cpu = ?cpu_before, "the writer's thread, storing");
        let mut mark = std::time::Instant::now();
        for (batch, unresolved) in &receive {
            waited += mark.elapsed();
            mark = std::time::Instant::now();
            stored = store.add_resolved(batch, unresolved);
            busy += mark.elapsed();
            mark = std::time::Instant::now();
            if stored.is_err() {
                break;
            }
        }
        // Its own CPU time too: on a loaded machine, busy is also time spent preempted.
        let cpu = thread_cpu()
            .zip(cpu_before)
            .map(|(after, before)| after.saturating_sub(before));
        tracing::debug!(
            ?busy,
            ?waited,
            ?cpu,
            "the writer stored rows, and waited for them"
        );
        // A writer that stopped lets the reader's next send fail, which ends the read.
        drop(receive);
        let read = reader
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        stored?;
        match read {
            Ok(parsed) => Ok(parsed),
            Err(ReadStop::Ingest(error)) => Err(error.into()),
            Err(ReadStop::WriterStopped) => unreachable!("the writer stopped with an error"),
        }
    })
}

/// The CPU time the calling thread has run, where the system says (Linux's
/// `/proc/thread-self/schedstat`, in nanoseconds); `None` elsewhere.
pub(crate) fn thread_cpu() -> Option<std::time::Duration> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos = text.split_whitespace().next()?.parse().ok()?;
    Some(std::time::Duration::from_nanos(nanos))
}

/// Why a read on its own thread stopped early.
enum ReadStop {
    Ingest(tally_ingest::IngestError),
    /// The writer stopped (its error is the one returned).
    WriterStopped,
}

impl From<tally_ingest::IngestError> for ReadStop {
    fn from(error: tally_ingest::IngestError) -> Self {
        ReadStop::Ingest(error)
    }
}

/// Resolves the places of a batch's reports on every core (each thread with its own
/// memory of the strings it has seen: a resolution depends only on the text, so the
/// result is the same on any number of threads); returns what stayed unresolved, in
/// file order. `parts` gives a unit's reports and the state its text is about.
fn resolve<T: Send>(
    units: &mut [T],
    parts: impl Fn(&mut T) -> (&mut [Report], Option<StateCode>) + Sync,
) -> Vec<String> {
    use rayon::prelude::*;
    let unresolved: Vec<Vec<String>> = units
        .par_iter_mut()
        .map_init(
            || places::PlaceResolver::new(Gazetteer::embedded()),
            |resolver, unit| {
                let mut unresolved = Vec::new();
                let (reports, state_hint) = parts(unit);
                for report in reports {
                    if let Some(hint) = state_hint {
                        places::resolve_within_hinted_state(Gazetteer::embedded(), report, hint);
                    }
                    // A national figure has no place to resolve; it is a claim, not an
                    // event.
                    let resolved = resolver.resolve(report);
                    if !located(report, resolved)
                        && !report.place.online
                        && !report.is_aggregate_only()
                    {
                        let raw = report.place.raw.trim();
                        unresolved.push(if raw.is_empty() {
                            "(no place)".to_string()
                        } else {
                            raw.to_string()
                        });
                    }
                }
                unresolved
            },
        )
        .collect();
    unresolved.into_iter().flatten().collect()
}

impl Store<'_, '_, '_> {
    fn add(&mut self, mut items: Vec<Item>) -> Result<(), PipelineError> {
        let unresolved = resolve(&mut items, |item| (&mut item.reports[..], item.state_hint));
        self.add_resolved(Batch::Items(items), unresolved)
    }

    /// Appends a batch whose places are resolved; `unresolved` names those that are
    /// not.
    fn add_resolved(&mut self, batch: Batch, unresolved: Vec<String>) -> Result<(), PipelineError> {
        for name in unresolved {
            self.unresolved_count += 1;
            self.unresolved.insert(name);
        }
        if let Some(ahead) = self.ahead {
            ahead.give((0..batch.len()).flat_map(|index| batch.unit(index).1));
        }
        let mut outcomes = Vec::with_capacity(batch.len());
        let mut units = Vec::with_capacity(batch.len().min(4096));
        // Stored a slice at a time, so that the bar moves.
        let mut start = 0;
        while start < batch.len() {
            let end = batch.len().min(start + 4096);
            units.clear();
            units.extend((start..end).map(|index| batch.unit(index)));
            outcomes.extend(self.tx.add_all(&units)?);
            self.stored += (end - start) as u64;
            (self.progress)(Progress::Stored { rows: self.stored });
            start = end;
        }
        drop(units);
        self.keeper.keep(batch, outcomes);
        Ok(())
    }
}

/// Keeps what linking needs of each new report, on a thread of its own, and lets the
/// rest of each stored batch go there (issue 12: compacting the new reports and freeing
/// their texts were a tenth of the single writer's time, which bounds the store phase).
/// The batches come in file order, so the reports are kept in order of id. What is
/// kept, and the blocks found meanwhile, is `events::NewReports`' business (the seam
/// between storing and linking).
struct Keeper {
    send: std::sync::mpsc::SyncSender<(Batch, Vec<AddOutcome>)>,
    thread: std::thread::JoinHandle<crate::events::NewReports>,
    /// The row lists the keeper is done with, emptied, for the reader to fill again
    /// (taken by the reader of a table).
    spares: Option<std::sync::mpsc::Receiver<Vec<tally_ingest::Record>>>,
}

impl Keeper {
    /// Starts the keeping thread, which hands each new report to `new_reports`.
    fn start(mut new_reports: crate::events::NewReports) -> Keeper {
        // No batch waits: the writer hands a stored batch over when the keeper takes
        // it. The keeper's work per batch is light beside the writer's, so the writer
        // seldom waits for it, and a batch waiting holds whole reports, at the end of
        // the file when the most reports are held (issue 12: about 15 MB of a
        // million-row ingest's peak).
        let (send, receive) = std::sync::mpsc::sync_channel::<(Batch, Vec<AddOutcome>)>(0);
        // At most one list waits to be filled again (issue 12: an emptied list keeps
        // its room, about 8 MB, so each one waiting is that much of the peak; a list
        // the reader does not take is dropped).
        let (give_back, spares) = std::sync::mpsc::sync_channel(1);
        let thread = std::thread::spawn(move || {
            for (batch, outcomes) in receive {
                for (index, outcome) in outcomes.into_iter().enumerate() {
                    if let AddOutcome::Added(ids) = outcome {
                        for (report, id) in batch.unit(index).1.iter().zip(ids) {
                            new_reports.push(report, id);
                        }
                    }
                }
                if let Batch::Rows(mut rows) = batch {
                    rows.clear();
                    let _ = give_back.try_send(rows);
                }
            }
            new_reports
        });
        Keeper {
            send,
            thread,
            spares: Some(spares),
        }
    }

    /// Hands a stored batch and what became of each of its items to the keeper.
    fn keep(&self, batch: Batch, outcomes: Vec<AddOutcome>) {
        // Fails only when the keeper panicked: `finish` passes that panic on.
        let _ = self.send.send((batch, outcomes));
    }

    /// Waits for the keeper to take every batch; the new reports, in order of id.
    fn finish(self) -> crate::events::NewReports {
        drop(self.send);
        self.thread
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    }
}

/// True when the report's place resolved as far as it was named: a locality that only
/// resolved to its state's centroid ("Zzyzxville, NV") is not located.
fn located(report: &Report, resolved: bool) -> bool {
    let named_locality = report
        .place
        .locality
        .as_deref()
        .is_some_and(|l| !l.trim().is_empty());
    let confidence = report.place.resolved.as_ref().map(|r| r.confidence);
    resolved
        && !(named_locality
            && matches!(
                confidence,
                Some(tally_model::Confidence::State | tally_model::Confidence::None)
            ))
}

/// Articles as their reader read them, before anything is stored.
struct ReadArticles {
    format: Format,
    encoding: &'static str,
    rows_read: u64,
    items: Vec<Item>,
    rejects: Vec<Reject>,
    warnings: Vec<Warning>,
}

enum Prepared<'a> {
    Articles(ReadArticles),
    Table(tally_ingest::PreparedFile<'a>),
}

enum Rows<'a> {
    Articles(ReadArticles),
    Table(tally_ingest::PreparedFile<'a>),
}

/// Reads articles whole, or finds a table's format and encoding with its rows still to
/// be read.
fn prepare<'a>(
    origin: &'a str,
    bytes: &'a [u8],
    options: &'a IngestOptions,
) -> Result<Prepared<'a>, PipelineError> {
    let format = match options.format {
        Format::Auto if looks_like_articles(origin, bytes) => Format::Articles,
        other => other,
    };
    if format != Format::Articles {
        return Ok(Prepared::Table(tally_ingest::prepare(
            origin, bytes, options,
        )?));
    }
    let cap = options.limits.max_document_bytes;
    if bytes.len() as u64 > cap {
        return Err(tally_ingest::too_large(origin, cap, tally_ingest::Cap::Document).into());
    }
    let extract_options = tally_extract::ExtractOptions {
        rules: options.rules.clone(),
        publication_date: options.date,
    };
    let articles =
        tally_extract::article::read_articles(origin, bytes, options.received_at, &extract_options)
            .map_err(|error| PipelineError::Extract {
                origin: origin.to_string(),
                reason: error.to_string(),
            })?;
    let rows = articles.len() as u64;
    let mut warnings = Vec::new();
    let items = articles
        .into_iter()
        .enumerate()
        .map(|(index, mut article)| {
            warnings.extend(article.diagnostics.iter().map(|message| Warning {
                line: None,
                message: format!("article {}: {message}", index + 1),
            }));
            for report in &mut article.reports {
                for message in hold_to_bounds(report, options.received_at.date_naive()) {
                    warnings.push(Warning {
                        line: None,
                        message: format!("article {}: {message}", index + 1),
                    });
                }
            }
            Item {
                source: article.source,
                reports: article.reports,
                state_hint: article.extraction.state,
            }
        })
        .collect();
    Ok(Prepared::Articles(ReadArticles {
        format: Format::Articles,
        encoding: "utf-8",
        rows_read: rows,
        items,
        rejects: Vec::new(),
        warnings,
    }))
}

/// Drops what an article's report says beyond the plausibility bounds (a size over the
/// bound of its scope, a date outside 1900 to a year ahead), and says what was dropped.
/// The article itself is kept verbatim as the source, so nothing is lost.
fn hold_to_bounds(report: &mut Report, today: tally_model::Date) -> Vec<String> {
    let mut messages = Vec::new();
    report.estimates.retain(
        |estimate| match tally_model::bounds::check_estimate(estimate) {
            Ok(()) => true,
            Err(error) => {
                messages.push(format!("a size was left out: {error}"));
                false
            }
        },
    );
    if let Some(date) = report.date {
        if let Err(error) = tally_model::bounds::check_date(date, today) {
            messages.push(format!("the date was left out: {error}"));
            report.date = None;
        }
    }
    messages
}

/// Articles are told by their name or by a first non-blank byte that no CSV starts with.
fn looks_like_articles(origin: &str, bytes: &[u8]) -> bool {
    let lower = origin.to_ascii_lowercase();
    if [".txt", ".html", ".htm", ".xml", ".rss", ".atom"]
        .iter()
        .any(|ext| lower.ends_with(ext))
    {
        return true;
    }
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    matches!(first, Some(b'<'))
}

fn format_warning(warning: &Warning) -> String {
    match warning.line {
        Some(line) => format!("line {line}: {}", warning.message),
        None => warning.message.clone(),
    }
}
