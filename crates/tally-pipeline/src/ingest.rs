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
    pub bytes: &'a [u8],
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
    /// Events are being rebuilt.
    Linking,
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

/// Reads, resolves and appends one file in one transaction, and links its new reports
/// into events in that same transaction, so a kill at any point leaves all of the file
/// or none of it.
pub fn ingest_file(
    ledger: &mut Ledger,
    request: IngestRequest<'_>,
    progress: &mut dyn FnMut(Progress),
) -> Result<FileOutcome, PipelineError> {
    let origin = request.origin;
    let started = std::time::Instant::now();
    let ReadFile {
        format,
        encoding,
        rows_read,
        mut items,
        rejects,
        warnings,
    } = read(origin, request.bytes, &request.options)?;
    progress(Progress::Read {
        rows: items.len() as u64,
    });
    tracing::info!(file = origin, rows = items.len(), elapsed = ?started.elapsed(), "read");

    let mut outcome = FileOutcome {
        file: origin.to_string(),
        format: format.to_string(),
        encoding: encoding.to_string(),
        rows_read,
        reports_added: 0,
        duplicates_skipped: 0,
        rejected: rejects
            .iter()
            .map(|r| RejectedRow {
                line: r.line,
                reason: r.reason.clone(),
            })
            .collect(),
        warnings: warnings.iter().map(format_warning).collect(),
        unresolved_places: 0,
        unresolved_place_names: Vec::new(),
        landed: false,
    };
    if request.strict && !outcome.rejected.is_empty() {
        return Ok(outcome);
    }

    let mut resolver = places::PlaceResolver::new(Gazetteer::embedded());
    let mut unresolved = std::collections::BTreeSet::new();
    for item in &mut items {
        for report in &mut item.reports {
            if let Some(hint) = item.state_hint {
                places::resolve_within_hinted_state(Gazetteer::embedded(), report, hint);
            }
            // A national figure has no place to resolve; it is a claim, not an event.
            let resolved = resolver.resolve(report);
            if !located(report, resolved) && !report.place.online && !report.is_aggregate_only() {
                outcome.unresolved_places += 1;
                let raw = report.place.raw.trim();
                unresolved.insert(if raw.is_empty() {
                    "(no place)".to_string()
                } else {
                    raw.to_string()
                });
            }
        }
    }
    outcome.unresolved_place_names = unresolved.into_iter().collect();

    tracing::info!(file = origin, elapsed = ?started.elapsed(), "places resolved");
    let receipt = FileReceipt {
        origin: origin.to_string(),
        content_hash: blake3::hash(request.bytes).to_hex().to_string(),
        format: format.to_string(),
        encoding: encoding.to_string(),
        received_at: request.options.received_at,
    };
    let mut tx = ledger.begin_ingest(&receipt)?;
    let mut stored = 0u64;
    let mut new_reports = Vec::new();
    for item in items {
        if let AddOutcome::Added(ids) = tx.add(&item.source, &item.reports)? {
            for (mut report, id) in item.reports.into_iter().zip(ids) {
                report.id = Some(id);
                new_reports.push(report);
            }
        }
        stored += 1;
        if stored.is_multiple_of(4096) {
            progress(Progress::Stored { rows: stored });
        }
    }
    progress(Progress::Stored { rows: stored });
    outcome.reports_added = tx.reports_added();
    outcome.duplicates_skipped = tx.duplicates();
    tracing::info!(file = origin, elapsed = ?started.elapsed(), "stored");
    progress(Progress::Linking);
    if !new_reports.is_empty() {
        crate::events::link_new_reports(&tx, new_reports)?;
    }
    tracing::info!(file = origin, elapsed = ?started.elapsed(), "linked");
    tx.commit(rows_read, outcome.rejected.len() as u64)?;
    tracing::info!(file = origin, elapsed = ?started.elapsed(), "committed");
    outcome.landed = true;
    Ok(outcome)
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

/// A file as its adapter read it, before anything is stored.
struct ReadFile {
    format: Format,
    encoding: &'static str,
    rows_read: u64,
    items: Vec<Item>,
    rejects: Vec<Reject>,
    warnings: Vec<Warning>,
}

/// Reads the file with the adapter its format calls for.
fn read(origin: &str, bytes: &[u8], options: &IngestOptions) -> Result<ReadFile, PipelineError> {
    let format = match options.format {
        Format::Auto if looks_like_articles(origin, bytes) => Format::Articles,
        other => other,
    };
    if format == Format::Articles {
        let cap = options.limits.max_document_bytes;
        if bytes.len() as u64 > cap {
            return Err(tally_ingest::too_large(origin, cap, tally_ingest::Cap::Document).into());
        }
        let extract_options = tally_extract::ExtractOptions {
            rules: options.rules.clone(),
            publication_date: options.date,
        };
        let articles = tally_extract::article::read_articles(
            origin,
            bytes,
            options.received_at,
            &extract_options,
        )
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
        return Ok(ReadFile {
            format: Format::Articles,
            encoding: "utf-8",
            rows_read: rows,
            items,
            rejects: Vec::new(),
            warnings,
        });
    }
    let parsed = tally_ingest::read_file(origin, bytes, options)?;
    let items = parsed
        .records
        .into_iter()
        .map(|record| Item {
            source: record.source,
            reports: vec![record.report],
            state_hint: None,
        })
        .collect();
    Ok(ReadFile {
        format: parsed.format,
        encoding: parsed.encoding,
        rows_read: parsed.rows_read as u64,
        items,
        rejects: parsed.rejects,
        warnings: parsed.warnings,
    })
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
