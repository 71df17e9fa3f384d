//! `tally ingest FILE...`: add sources from files, one transaction per file.
//!
//! Prints, per file, rows read, reports added and duplicates skipped on stdout, and each
//! rejected row as `file:line: reason` on stderr. Any rejected row makes the exit code 1;
//! with `--strict` it also refuses the whole file.

use crate::cli::Global;
use crate::exit::{bad_input, usage, Outcome};
use crate::terminal::escape_for_terminal;
use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::Write;
use std::path::PathBuf;
use tally_ingest::{parse_column_map, Format, IngestOptions};
use tally_model::{CodingRules, Date};
use tally_pipeline::{ingest_file, FileOutcome, IngestRequest, Progress};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files to add (CSV datasets, tally sheets, reports CSV, articles, event lists).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// The format: auto, dataset (alias ccc), sheet, reports, articles or eventlist (an organizing platform's CSV or JSON export).
    #[arg(long, default_value = "auto")]
    pub format: String,
    /// The day of every row of a sheet that has no date column; for articles, the
    /// publication date that "on Saturday" is read against.
    #[arg(long)]
    pub date: Option<Date>,
    /// Which header plays which role in a sheet: `place=City,low=Estimate1 (low),high=max`.
    #[arg(long)]
    pub map: Vec<String>,
    /// The curated batch name of dataset and sheet rows (default: the file's name). Rows
    /// of one batch are distinct events and never merge with each other.
    #[arg(long)]
    pub batch: Option<String>,
    /// Vague-size coding rules (see `tally extract --help`).
    #[arg(long, default_value = "design")]
    pub rules: String,
    /// Refuse a whole file when any row is rejected.
    #[arg(long)]
    pub strict: bool,
    /// Print one JSON object per file.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args, global: &Global) -> anyhow::Result<Outcome> {
    let format: Format = args
        .format
        .parse()
        .map_err(|e: tally_ingest::IngestError| usage(format!("--format: {e}")))?;
    let rules = CodingRules::named(&args.rules).map_err(|e| usage(format!("--rules: {e}")))?;
    let mut column_map = Vec::new();
    for spec in &args.map {
        column_map.extend(parse_column_map(spec).map_err(|e| usage(format!("--map: {e}")))?);
    }
    // The gazetteer is parsed while the first file is read.
    tally_pipeline::load_gazetteer_ahead();
    // The ledger is opened (and created) only once a file has been read, so that
    // `tally ingest nosuch.csv` leaves no empty ledger behind.
    let mut ledger: Option<tally_store::Ledger> = None;
    let mut outcome = Outcome::Success;
    let mut out = Output::default();
    for path in &args.files {
        let origin = path.display().to_string();
        let (limit, cap) = crate::input::ingest_cap(path, global);
        let bytes = match crate::input::read_input(path, limit, cap) {
            Ok(bytes) => bytes,
            Err(error) => {
                // One unreadable file does not stop the others.
                let reason = format!("{error:#}");
                eprintln!("{}", escape_for_terminal(&reason));
                out.line(&format_failure(&origin, &reason, args.json));
                outcome = Outcome::SomeInputRejected;
                continue;
            }
        };
        let ledger = match &mut ledger {
            Some(ledger) => ledger,
            None => ledger.insert(crate::ledger::open_for_writing(global, true)?),
        };
        let options = IngestOptions {
            format,
            date: args.date,
            column_map: column_map.clone(),
            batch: args.batch.clone(),
            rules: rules.clone(),
            received_at: chrono::Utc::now(),
            limits: global.input_limits(),
        };
        let request = IngestRequest {
            origin: &origin,
            bytes: bytes.into(),
            options,
            strict: args.strict,
        };
        let bar = progress_bar();
        // Each counted step starts its bar afresh, so that its rate and time are its own.
        let start_step = |of: u64, unit: &str, message: &'static str| {
            bar.reset();
            bar.set_style(bar_style(unit));
            bar.set_length(of);
            bar.set_message(message);
        };
        let mut on_progress = |p: Progress| match p {
            Progress::Read { rows } => start_step(rows, "rows", "storing"),
            Progress::Stored { rows } => bar.set_position(rows),
            Progress::Linking => {
                // Linking into a ledger that holds reports has no count to show: a
                // spinner with the time it has taken.
                bar.set_style(spinner_style());
                bar.set_message("linking");
            }
            Progress::Linked { reports: 0, of } => start_step(of, "reports", "linking"),
            Progress::Linked { reports, .. } => bar.set_position(reports),
            Progress::EventsWritten { events: 0, of } => start_step(of, "events", "writing"),
            Progress::EventsWritten { events, .. } => bar.set_position(events),
        };
        let result = ingest_file(ledger, request, &mut on_progress);
        bar.finish_and_clear();
        let file = match result {
            Ok(file) => file,
            Err(error) if error.is_bad_input() => {
                // A file that cannot be read as its format is reported, and the next
                // one is taken.
                eprintln!("{}", escape_for_terminal(&error.to_string()));
                out.line(&format_failure(&origin, &error.to_string(), args.json));
                outcome = Outcome::SomeInputRejected;
                continue;
            }
            Err(tally_pipeline::PipelineError::Store(error)) if error.is_users_to_fix() => {
                return Err(bad_input(error.to_string()))
            }
            Err(error) => return Err(error).with_context(|| format!("cannot ingest {origin}")),
        };
        print_outcome(&file, args.json, &mut out)?;
        if !file.rejected.is_empty() {
            outcome = Outcome::SomeInputRejected;
        }
    }
    out.finish()?;
    Ok(outcome)
}

/// Standard output that survives a failed write: the ingest goes on (every file still
/// lands), a closed pipe is quietly ignored, and any other write error is reported once
/// at the end (exit code 3).
#[derive(Default)]
struct Output {
    closed: bool,
    failed: Option<std::io::Error>,
}

impl Output {
    fn line(&mut self, text: &str) {
        if self.closed || self.failed.is_some() {
            return;
        }
        let mut stdout = std::io::stdout().lock();
        if let Err(error) = writeln!(stdout, "{text}").and_then(|()| stdout.flush()) {
            if error.kind() == std::io::ErrorKind::BrokenPipe {
                self.closed = true;
            } else {
                self.failed = Some(error);
            }
        }
    }

    fn finish(self) -> anyhow::Result<()> {
        match self.failed {
            Some(error) => {
                Err(anyhow::Error::new(error).context("cannot write to standard output"))
            }
            None => Ok(()),
        }
    }
}

/// The line printed for a file that could not be ingested at all.
fn format_failure(origin: &str, reason: &str, json: bool) -> String {
    if json {
        serde_json::json!({"file": origin, "landed": false, "error": reason}).to_string()
    } else {
        escape_for_terminal(&format!("{origin}: not ingested: {reason}")).into_owned()
    }
}

fn progress_bar() -> ProgressBar {
    // indicatif hides the bar by itself when stderr is not a terminal.
    let bar = ProgressBar::new(0);
    bar.set_style(spinner_style());
    bar.set_message("reading");
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    bar
}

/// A counted step (storing rows, linking reports, writing events): how many are done
/// of how many, and how many per second.
fn bar_style(unit: &str) -> ProgressStyle {
    ProgressStyle::with_template(&format!(
        "{{msg:>8}} [{{bar:30}}] {{human_pos}}/{{human_len}} {unit}, {{per_sec}}, {{elapsed}}"
    ))
    .expect("the template is valid")
    .progress_chars("=> ")
}

/// Steps without a row count (reading, linking): the time they have taken.
fn spinner_style() -> ProgressStyle {
    ProgressStyle::with_template("{msg:>8} {spinner} {elapsed}").expect("the template is valid")
}

fn print_outcome(file: &FileOutcome, json: bool, out: &mut Output) -> anyhow::Result<()> {
    for reject in &file.rejected {
        eprintln!(
            "{}",
            escape_for_terminal(&format!("{}:{}: {}", file.file, reject.line, reject.reason))
        );
    }
    for warning in &file.warnings {
        eprintln!(
            "{}",
            escape_for_terminal(&format!("{}: warning: {warning}", file.file))
        );
    }
    if json {
        out.line(&serde_json::to_string(file)?);
        return Ok(());
    }
    if !file.landed {
        out.line(&format!(
            "{}: refused (--strict): {} rows read, {} rejected; nothing added",
            file.file,
            file.rows_read,
            file.rejected.len()
        ));
        return Ok(());
    }
    let line = format!(
        "{}: {} ({}): {} rows read, {} reports added, {} duplicates skipped, {} rejected, {} places unresolved",
        file.file,
        file.format,
        file.encoding,
        file.rows_read,
        file.reports_added,
        file.duplicates_skipped,
        file.rejected.len(),
        file.unresolved_places
    );
    out.line(&escape_for_terminal(&line));
    // Every name for an article or a sheet; a dataset of thousands of rows is cut short
    // here (the JSON lists them all).
    const SHOWN: usize = 50;
    let names = &file.unresolved_place_names;
    if !names.is_empty() {
        let more = names.len().saturating_sub(SHOWN);
        let line = format!(
            "{}: places not resolved (kept, flagged): {}{}",
            file.file,
            names[..names.len().min(SHOWN)].join("; "),
            if more > 0 {
                format!("; and {more} more (--json lists all)")
            } else {
                String::new()
            }
        );
        out.line(&escape_for_terminal(&line));
    }
    Ok(())
}
