//! Runs a format's row reader over every data row of a file, in parallel on large files,
//! and assembles the result in file order.
//!
//! Large files are cut into segments at guessed row boundaries (a line break after an
//! even number of quotes), one per thread. The guess is only a guess: segment `i` is
//! kept only when its first row starts exactly where the rows of segment `i - 1`
//! (itself kept) stopped, which is where a sequential read would be. Otherwise that
//! segment is read again sequentially from the true boundary. Malformed quoting can
//! therefore cost speed but never change a result: the output is identical to reading
//! the file row by row.

use crate::identity::{content_hash, RowIdentities};
use crate::table::{Header, Table};
use crate::{IngestError, ParsedFile, Record, Reject, RowContext, Warning};
use tally_model::{Report, Source, SourceId, SourceKind};

/// A format's reading of one row.
pub(crate) trait RowReader: Send + Sync {
    fn kind(&self) -> SourceKind;

    /// Whether rows with fewer cells than the header are read (sheets) or rejected.
    fn allow_short_rows(&self) -> bool {
        false
    }

    /// The report of the current row; `Ok(None)` for a row skipped with a warning;
    /// `Err(reason)` for a rejected row.
    fn read_row(
        &self,
        table: &Table<'_>,
        context: &RowContext<'_>,
        warnings: &mut Vec<Warning>,
    ) -> Result<Option<Report>, String>;
}

/// How far to split a file across threads.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Split {
    pub threads: usize,
    /// Files whose data rows are smaller than this are read on one thread.
    pub min_bytes: usize,
    /// A batched read cuts the file into segments of about this size, read `threads` at
    /// a time.
    pub segment_bytes: usize,
}

/// About how many bytes of rows one segment holds, and so one batch handed to the sink.
/// 4 MiB, not 8 (issue 12): the batches between reading and storing are the largest
/// memory an ingest holds besides the file and the new reports kept for linking. Halving
/// them took 300,000 rows' peak from 461–475 to 380–404 MiB for at most 2% more CPU in
/// more, smaller rounds; at a million rows the gain is small (one loaded run each gave
/// 923,088 against 844,036 KiB, but quiet runs of the session's final build peaked at
/// 922,100–961,428 KiB, against 969,500–972,376 for the build before it: BENCHMARKS.md).
const SEGMENT_BYTES: usize = 4 << 20;

impl Split {
    /// One segment per thread of rayon's pool (one per core unless `RAYON_NUM_THREADS`
    /// says otherwise; at most 16), for files of 4 MB and more.
    pub(crate) fn auto() -> Split {
        Split {
            threads: rayon::current_num_threads().clamp(1, 16),
            min_bytes: 4 << 20,
            segment_bytes: SEGMENT_BYTES,
        }
    }
}

/// What one segment of rows gave.
struct Partial {
    rows_read: usize,
    blank_rows: usize,
    records: Vec<Record>,
    /// The content hash of each record, for ids assigned in file order.
    hashes: Vec<[u8; 32]>,
    rejects: Vec<Reject>,
    warnings: Vec<Warning>,
    first_start: Option<usize>,
    stop: Option<(usize, usize)>,
}

/// Reads rows from `start` (a true row boundary on `line`) up to `limit`; the records
/// go into `spare` (emptied first) when one is given.
#[allow(clippy::too_many_arguments)]
fn read_rows(
    text: &str,
    header: &Header,
    start: usize,
    line: usize,
    limit: usize,
    reader: &dyn RowReader,
    context: &RowContext<'_>,
    spare: Option<Vec<Record>>,
) -> Result<Partial, IngestError> {
    let mut table = Table::rows(context.origin, text, header, start, line, limit);
    let end = limit.min(text.len()).max(start.min(text.len()));
    let expected_rows =
        memchr::memchr_iter(b'\n', &text.as_bytes()[start.min(text.len())..end]).count() + 1;
    let records = match spare {
        Some(mut records) => {
            records.clear();
            records.reserve(expected_rows);
            records
        }
        None => Vec::with_capacity(expected_rows),
    };
    let mut out = Partial {
        rows_read: 0,
        blank_rows: 0,
        records,
        hashes: Vec::with_capacity(expected_rows),
        rejects: Vec::new(),
        warnings: Vec::new(),
        first_start: None,
        stop: None,
    };
    let kind = reader.kind();
    let allow_short = reader.allow_short_rows();
    while table.advance()? {
        out.rows_read += 1;
        if table.is_blank() {
            out.blank_rows += 1;
            continue;
        }
        let line = table.line();
        if let Some(opened) = table.unclosed_quote() {
            out.rejects.push(Reject {
                line,
                reason: format!(
                    "a quote opened on line {opened} is never closed on that line; the row is rejected and reading goes on with line {}",
                    opened + 1
                ),
            });
            continue;
        }
        if let Some(reason) = table.width_problem(allow_short) {
            out.rejects.push(Reject { line, reason });
            continue;
        }
        match reader.read_row(&table, context, &mut out.warnings) {
            Ok(Some(report)) => {
                let raw = table.raw();
                out.hashes.push(content_hash(kind, raw));
                out.records.push(Record {
                    line,
                    source: Source {
                        id: SourceId(String::new()),
                        kind,
                        origin: context.origin.to_string(),
                        locator: Some(line_locator(line)),
                        content: raw.to_string(),
                        received_at: context.options.received_at,
                    },
                    report,
                });
            }
            Ok(None) => {}
            Err(reason) => out.rejects.push(Reject { line, reason }),
        }
    }
    out.first_start = table.first_start();
    out.stop = table.stop();
    Ok(out)
}

/// `"line N"`, a row's locator, written without the formatting machinery: this runs on
/// every row of a file (issue 12).
pub(crate) fn line_locator(line: usize) -> String {
    let mut digits = itoa::Buffer::new();
    let digits = digits.format(line);
    let mut locator = String::with_capacity(5 + digits.len());
    locator.push_str("line ");
    locator.push_str(digits);
    locator
}

/// Reads every data row of the file, handing the records to `sink` in file order, one
/// batch per segment (segments are read a round in parallel), so that a large file's records are
/// never all held at once (`out.records` stays empty). The batches joined are exactly
/// what a sequential read gives.
///
/// `spare` may give back a list the sink is done with: a segment's records go into it
/// (emptied first) instead of a fresh list (issue 12: a segment's list is about 8 MB,
/// and fresh memory for each was faulted in page by page, then given back to the
/// system, on every segment of a large file).
#[allow(clippy::too_many_arguments)]
pub(crate) fn read_in_batches<E: From<IngestError>>(
    text: &str,
    header: &Header,
    reader: &dyn RowReader,
    context: &RowContext<'_>,
    out: &mut ParsedFile,
    split: Split,
    spare: &mut dyn FnMut() -> Option<Vec<Record>>,
    sink: &mut dyn FnMut(Vec<Record>) -> Result<(), E>,
) -> Result<(), E> {
    let body = text.len().saturating_sub(header.body_start);
    // One thread still reads a large file in batches (of one segment each).
    let segments = (body / split.segment_bytes.max(1)).max(split.threads);
    let splits = if segments > 1 && body >= split.min_bytes {
        guess_splits(text, header.body_start, segments)
    } else {
        Vec::new()
    };
    // Segment i runs from starts[i] to starts[i + 1] (the last to the end).
    let mut starts = vec![(header.body_start, header.body_line)];
    starts.extend(splits);
    let limits: Vec<usize> = starts
        .iter()
        .skip(1)
        .map(|&(s, _)| s)
        .chain(std::iter::once(usize::MAX))
        .collect();
    // At most one row a line: the lines before the last segment are counted already.
    let rows = starts.last().map_or(0, |&(at, line)| {
        line - header.body_line + memchr::memchr_iter(b'\n', &text.as_bytes()[at..]).count() + 1
    });
    let mut identities = RowIdentities::with_capacity(rows);
    let mut previous_stop: Option<(usize, usize)> = None;
    let segments: Vec<usize> = (0..starts.len()).collect();
    for round in segments.chunks(split.threads.max(1)) {
        let spares: Vec<Option<Vec<Record>>> = round.iter().map(|_| spare()).collect();
        let partials: Vec<Result<Partial, IngestError>> = if round.len() == 1 {
            let (start, line) = starts[round[0]];
            vec![read_rows(
                text,
                header,
                start,
                line,
                limits[round[0]],
                reader,
                context,
                spares.into_iter().next().flatten(),
            )]
        } else {
            use rayon::prelude::*;
            round
                .par_iter()
                .zip(spares)
                .map(|(&i, spare)| {
                    let (start, line) = starts[i];
                    read_rows(text, header, start, line, limits[i], reader, context, spare)
                })
                .collect()
        };
        let mut finished = false;
        for (&index, partial) in round.iter().zip(partials) {
            let mut partial = partial?;
            if index > 0 {
                // Keep the segment only if it began where the previous one stopped.
                if partial.first_start != previous_stop.map(|(s, _)| s) {
                    partial = match previous_stop {
                        Some((start, line)) => read_rows(
                            text,
                            header,
                            start,
                            line,
                            limits[index],
                            reader,
                            context,
                            Some(std::mem::take(&mut partial.records)),
                        )?,
                        None => continue,
                    };
                }
            }
            previous_stop = partial.stop;
            out.rows_read += partial.rows_read;
            out.blank_rows += partial.blank_rows;
            out.rejects.append(&mut partial.rejects);
            out.warnings.append(&mut partial.warnings);
            for (record, hash) in partial.records.iter_mut().zip(&partial.hashes) {
                let id = identities.assign(hash);
                record.report.source_id = id.clone();
                record.source.id = id;
            }
            // Each segment's records go as a batch of their own, without a copy
            // (issue 12: joining a round's segments into one list was a fresh 10 MB
            // allocation and copy per round).
            if !partial.records.is_empty() {
                sink(partial.records)?;
            }
            if previous_stop.is_none() {
                // This segment read to the end of the file; later ones are covered.
                finished = true;
                break;
            }
        }
        if finished {
            break;
        }
    }
    out.rejects.sort_by_key(|r| r.line);
    Ok(())
}

/// Guesses `parts - 1` row boundaries: for each even share of the body, the first line
/// break after it that follows an even number of quote characters. Returns each
/// boundary with its line number.
fn guess_splits(text: &str, body_start: usize, parts: usize) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let share = (bytes.len() - body_start) / parts;
    let mut splits = Vec::with_capacity(parts - 1);
    let (mut position, mut quotes, mut lines) = (body_start, 0usize, 0usize);
    for part in 1..parts {
        let target = body_start + part * share;
        if target <= position {
            continue;
        }
        let segment = &bytes[position..target];
        quotes += memchr::memchr_iter(b'"', segment).count();
        lines += memchr::memchr_iter(b'\n', segment).count();
        position = target;
        // Walk to a line break outside quotes; give up on this share after 1 MB.
        let stop = (target + (1 << 20)).min(bytes.len());
        while position < stop {
            let b = bytes[position];
            position += 1;
            if b == b'"' {
                quotes += 1;
            } else if b == b'\n' {
                lines += 1;
                if quotes % 2 == 0 {
                    break;
                }
            }
        }
        if position < bytes.len() && bytes[position - 1] == b'\n' && quotes % 2 == 0 {
            splits.push((position, lines));
        }
    }
    // Line numbers are relative to the body; make them absolute.
    let body_line = 1 + memchr::memchr_iter(b'\n', &bytes[..body_start]).count();
    splits
        .into_iter()
        .map(|(at, lines)| (at, body_line + lines))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Format, IngestOptions};
    use chrono::{TimeZone, Utc};
    use tally_synth::{write_dataset, Era, SynthConfig};

    /// Reads a dataset text with the given split; also says in how many batches.
    fn read_batches(text: &str, split: Split) -> (ParsedFile, usize) {
        read_batches_given(text, split, &mut || None)
    }

    /// [`read_batches`] with the lists that `spare` gives back.
    fn read_batches_given(
        text: &str,
        split: Split,
        spare: &mut dyn FnMut() -> Option<Vec<Record>>,
    ) -> (ParsedFile, usize) {
        let options = IngestOptions::new(Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap());
        let context = RowContext {
            origin: "t.csv",
            batch: "t.csv".into(),
            options: &options,
        };
        let header = Header::read("t.csv", text).unwrap();
        let reader = crate::dataset::DatasetRows::new(&header, &context).unwrap();
        let mut out = ParsedFile {
            format: Format::Dataset,
            encoding: "utf-8",
            rows_read: 0,
            records: Vec::new(),
            rejects: Vec::new(),
            blank_rows: 0,
            warnings: Vec::new(),
        };
        let mut batches = Vec::new();
        read_in_batches(
            text,
            &header,
            &reader,
            &context,
            &mut out,
            split,
            spare,
            &mut |b| {
                batches.push(b);
                Ok::<(), IngestError>(())
            },
        )
        .unwrap();
        assert!(out.records.is_empty());
        let count = batches.len();
        out.records = batches.into_iter().flatten().collect();
        (out, count)
    }

    fn read(text: &str, split: Split) -> ParsedFile {
        read_batches(text, split).0
    }

    /// Asserts equality without printing megabytes: names the first difference.
    fn assert_same(found: &ParsedFile, expected: &ParsedFile, label: &str) {
        let first_diff = found
            .records
            .iter()
            .zip(&expected.records)
            .position(|(a, b)| a != b);
        assert_eq!(first_diff, None, "{label}: first differing record");
        assert_eq!(found.records.len(), expected.records.len(), "{label}");
        assert_eq!(found.rejects, expected.rejects, "{label}");
        assert_eq!(found.warnings, expected.warnings, "{label}");
        assert_eq!(
            (found.rows_read, found.blank_rows),
            (expected.rows_read, expected.blank_rows),
            "{label}"
        );
    }

    fn synthetic(rows: usize) -> String {
        let mut bytes = Vec::new();
        write_dataset(&mut bytes, &SynthConfig::new(rows, Era::Era2017)).unwrap();
        String::from_utf8(bytes).unwrap()
    }

    /// Issue 12: lists given back to the reader, still holding records of another
    /// read, are emptied before a segment's records go in: the read is the same.
    #[test]
    fn issue_12_line_locators_are_written_as_format_would() {
        for line in [0, 1, 9, 10, 99, 100, 12_345, 1_000_000, usize::MAX] {
            assert_eq!(line_locator(line), format!("line {line}"));
        }
    }

    #[test]
    fn issue_12_lists_given_back_to_the_reader_give_the_same_read() {
        let text = synthetic(3000);
        let split = Split {
            threads: 2,
            min_bytes: 0,
            segment_bytes: 64 << 10,
        };
        let (fresh, batches) = read_batches(&text, split);
        assert!(batches > 4, "{batches} batches");
        let other = synthetic(500);
        let stale = read(&other, split).records;
        let mut given = 0;
        let (reused, again) = read_batches_given(&text, split, &mut || {
            given += 1;
            Some(stale.clone())
        });
        assert!(given >= again, "a list was offered for every segment");
        assert_eq!(again, batches);
        assert_same(&reused, &fresh, "lists given back");
    }

    #[test]
    fn split_reads_equal_the_sequential_read() {
        let text = synthetic(3000);
        let sequential = read(
            &text,
            Split {
                threads: 1,
                min_bytes: 0,
                segment_bytes: usize::MAX,
            },
        );
        for threads in [2, 3, 7, 64] {
            let parallel = read(
                &text,
                Split {
                    threads,
                    min_bytes: 0,
                    segment_bytes: usize::MAX,
                },
            );
            assert_same(&parallel, &sequential, &format!("{threads} threads"));
        }
        assert_eq!(sequential.records.len(), 3000);
    }

    #[test]
    fn issue_12_a_read_is_the_same_in_pools_of_any_size() {
        let text = synthetic(2000);
        let in_pool = |threads: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| {
                    let split = Split {
                        min_bytes: 0,
                        ..Split::auto()
                    };
                    assert_eq!(split.threads, threads);
                    read(&text, split)
                })
        };
        let one = in_pool(1);
        assert_eq!(one.records.len(), 2000);
        for threads in [2, 3] {
            assert_same(&in_pool(threads), &one, &format!("a pool of {threads}"));
        }
    }

    #[test]
    fn issue_12_batches_joined_equal_the_sequential_read() {
        let text = synthetic(3000);
        let one = Split {
            threads: 1,
            min_bytes: 0,
            segment_bytes: usize::MAX,
        };
        let sequential = read(&text, one);
        let split = Split {
            threads: 3,
            min_bytes: 0,
            segment_bytes: 64 << 10,
        };
        let (batched, batches) = read_batches(&text, split);
        assert!(batches > 2, "{batches} batches");
        assert_same(&batched, &sequential, "batches");
    }

    #[test]
    fn wrong_guesses_from_stray_quotes_change_nothing() {
        // Stray quotes inside unquoted cells flip the parity the splitter relies on, and
        // an unclosed quote near the end swallows the rest of the file: every guessed
        // boundary after it is wrong, and the result must still equal a sequential read.
        let mut text = synthetic(800);
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        for i in (5..lines.len()).step_by(97) {
            lines[i] = lines[i].replacen(",NA,", ",5\" tall,", 1);
        }
        let at = lines.len() - 40;
        lines[at] = lines[at].replacen(",NA,", ",\"unclosed,", 1);
        text = lines.join("\n");
        let sequential = read(
            &text,
            Split {
                threads: 1,
                min_bytes: 0,
                segment_bytes: usize::MAX,
            },
        );
        assert!(!sequential.rejects.is_empty());
        // Some guesses must be wrong, or the fallback would go untested.
        let header = Header::read("t.csv", &text).unwrap();
        let mut table = Table::rows(
            "t.csv",
            &text,
            &header,
            header.body_start,
            header.body_line,
            usize::MAX,
        );
        let mut true_starts = std::collections::HashSet::new();
        while table.advance().unwrap() {
            true_starts.insert(table.raw().as_ptr() as usize - text.as_ptr() as usize);
        }
        let guesses = guess_splits(&text, header.body_start, 13);
        assert!(guesses.iter().any(|(at, _)| !true_starts.contains(at)));
        for threads in [2, 5, 13] {
            let parallel = read(
                &text,
                Split {
                    threads,
                    min_bytes: 0,
                    segment_bytes: usize::MAX,
                },
            );
            assert_same(&parallel, &sequential, &format!("{threads} threads"));
        }
    }

    #[test]
    fn guessed_splits_fall_after_line_breaks_outside_quotes() {
        let text = "h\n\"a\nb\"\nc\nd\ne\n";
        let splits = guess_splits(text, 2, 3);
        for (at, line) in &splits {
            assert_eq!(text.as_bytes()[at - 1], b'\n');
            assert_eq!(*line, 1 + text[..*at].matches('\n').count());
            assert_eq!(text[2..*at].matches('"').count() % 2, 0);
        }
    }
}
