//! Format adapters: the bytes of a dataset, tally sheet or reports CSV file in, sources
//! and reports out.
//!
//! This crate is pure: it reads no files and knows nothing of SQLite. The caller hands
//! it the bytes of one file and stores what comes back. Every data row becomes either a
//! [`Record`] (a verbatim, content-addressed [`Source`] and the [`Report`] read from it)
//! or a [`Reject`] naming the line and the reason. Nothing is silently dropped: blank
//! rows are counted, and the rows a sheet skips (a totals row, title rows above the
//! header) are named in [`Warning`]s.
//!
//! Large files are read on several threads (see `drive`); the result is identical to a
//! row-by-row read, in file order.
//!
//! What goes where (the contract with the ledger):
//! - `Source.id` is the lowercase hex BLAKE3 content address described in [`identity`].
//! - `Source.content` is the row as decoded text, verbatim; `locator` is `"line N"`.
//! - Rows of a curated dataset or sheet carry `Report.batch = Some(batch)`; report rows
//!   carry `None`, so that linking may group them into events.
//! - Dataset rows that carry the curator's own geocoding (lat, lon, county, FIPS) keep it
//!   in `Place.resolved` with confidence `Exact` (see the `dataset` module).
//! - Sizes follow DESIGN.md's coding rules through a small private phrase parser
//!   (`size`), meant to be swapped for `tally_extract::parse_size_phrase`.

mod dataset;
mod decode;
mod detect;
mod drive;
mod eventlist;
mod fields;
pub mod identity;
mod limits;
mod reports;
mod sheet;
mod size;
mod table;

use std::fmt;
use std::str::FromStr;
use tally_model::{CodingRules, Date, Report, Source, Timestamp};

pub use detect::detect_format;
pub use eventlist::looks_like_json;
pub use limits::{
    format_bytes, parse_byte_size, read_capped, read_capped_sized, too_large, Cap, InputLimits,
    DEFAULT_MAX_DOCUMENT_BYTES, DEFAULT_MAX_FILE_BYTES,
};

/// The kind of file being read. `Auto` asks [`read_file`] to tell from the header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Format {
    #[default]
    Auto,
    /// The published US crowd dataset, either era of headers.
    Dataset,
    /// A volunteer tally sheet.
    Sheet,
    /// One row per source statement about a gathering.
    Reports,
    /// Plain text, HTML or feeds: read by the extraction stage, not by this crate.
    Articles,
    /// An organizing platform's list of planned gatherings (CSV or JSON): unsized
    /// reports that make events known to exist.
    EventList,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Auto => "auto",
            Format::Dataset => "dataset",
            Format::Sheet => "sheet",
            Format::Reports => "reports",
            Format::Articles => "articles",
            Format::EventList => "eventlist",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Format {
    type Err = IngestError;

    /// Accepts the names of [`Format::as_str`], plus `ccc` for the dataset.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s.trim().to_ascii_lowercase().as_str() {
            "auto" => Format::Auto,
            "dataset" | "ccc" => Format::Dataset,
            "sheet" => Format::Sheet,
            "reports" => Format::Reports,
            "articles" | "article" => Format::Articles,
            "eventlist" | "event-list" | "event_list" | "listings" => Format::EventList,
            _ => return Err(IngestError::UnknownFormat(s.to_string())),
        })
    }
}

/// What a column of a tally sheet holds; the keys of `--map role=header,...`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// The place as written ("City, ST").
    Place,
    /// An optional state column.
    State,
    Low,
    High,
    /// A single figure when the sheet has no separate low and high.
    Size,
    Date,
    /// The gathering's name or label.
    Title,
    Notes,
    /// A link to the source of the figure.
    Url,
}

impl Role {
    pub const ALL: [Role; 9] = [
        Role::Place,
        Role::State,
        Role::Low,
        Role::High,
        Role::Size,
        Role::Date,
        Role::Title,
        Role::Notes,
        Role::Url,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Place => "place",
            Role::State => "state",
            Role::Low => "low",
            Role::High => "high",
            Role::Size => "size",
            Role::Date => "date",
            Role::Title => "title",
            Role::Notes => "notes",
            Role::Url => "url",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = IngestError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase();
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == wanted)
            .ok_or_else(|| IngestError::UnknownRole(s.to_string()))
    }
}

/// Parses the value of `--map`: `place=City,low=Estimate1 (low),high=max`.
///
/// Header names may contain spaces but not commas; a header with a comma in it can be
/// given by repeating `--map` with one pair each.
pub fn parse_column_map(spec: &str) -> Result<Vec<(Role, String)>, IngestError> {
    let mut map = Vec::new();
    for pair in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (role, header) = pair
            .split_once('=')
            .ok_or_else(|| IngestError::BadMap(pair.to_string()))?;
        let header = header.trim();
        if header.is_empty() {
            return Err(IngestError::BadMap(pair.to_string()));
        }
        map.push((role.parse()?, header.to_string()));
    }
    Ok(map)
}

/// How to read one file.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    pub format: Format,
    /// The day of every row of a sheet that has no date column (or a blank date cell).
    pub date: Option<Date>,
    /// Header overrides for sheets (`--map`): the named header plays the role.
    pub column_map: Vec<(Role, String)>,
    /// The curated batch of dataset and sheet rows; defaults to the file's base name.
    pub batch: Option<String>,
    pub rules: CodingRules,
    pub received_at: Timestamp,
    /// Size caps: a file longer than `limits.max_file_bytes` is refused.
    pub limits: InputLimits,
}

impl IngestOptions {
    /// Auto-detected format, the default coding rules, no overrides.
    pub fn new(received_at: Timestamp) -> IngestOptions {
        IngestOptions {
            format: Format::Auto,
            date: None,
            column_map: Vec::new(),
            batch: None,
            rules: CodingRules::default(),
            received_at,
            limits: InputLimits::default(),
        }
    }
}

/// One data row read into a source and a report.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// The 1-based physical line where the row starts.
    pub line: usize,
    pub source: Source,
    pub report: Report,
}

/// A row that could not be read, with the reason. The ledger prints it as
/// `origin:line: reason`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reject {
    /// The 1-based physical line where the row starts.
    pub line: usize,
    pub reason: String,
}

/// Something worth telling the user that did not stop a row from being read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The line it concerns, or `None` for the whole file.
    pub line: Option<usize>,
    pub message: String,
}

/// Everything read from one file.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedFile {
    /// The format read (detected when the options said `Auto`).
    pub format: Format,
    /// `"utf-8"` or `"windows-1252"`.
    pub encoding: &'static str,
    /// Data rows in the file (the header excluded):
    /// `records + rejects + blank_rows + skipped rows named in warnings`.
    pub rows_read: usize,
    pub records: Vec<Record>,
    pub rejects: Vec<Reject>,
    /// Rows whose cells were all empty; they carry nothing and are not kept.
    pub blank_rows: usize,
    pub warnings: Vec<Warning>,
}

/// Errors that stop a whole file from being read. Bad rows are not errors: they are
/// [`Reject`]s in the [`ParsedFile`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IngestError {
    #[error("{origin}: the file is empty (no header row)")]
    Empty { origin: String },
    #[error("{origin}: not a text file (byte {offset} is a control byte that no CSV holds)")]
    Binary { origin: String, offset: usize },
    #[error("{origin}: cannot tell the format from the header; headers seen: {}; give --format", crate::table::quote_headers(.headers).join(", "))]
    UnrecognizedHeader {
        origin: String,
        headers: Vec<String>,
    },
    #[error("{origin}: no {} column found; headers seen: {}; name it with --map {}=HEADER", .missing.join(" or "), crate::table::quote_headers(.headers).join(", "), .missing[0])]
    MissingColumns {
        origin: String,
        missing: Vec<String>,
        headers: Vec<String>,
    },
    #[error("{origin}: --map {role}={}: no such header; headers seen: {}", crate::table::quote(.name), crate::table::quote_headers(.headers).join(", "))]
    MappedColumnNotFound {
        origin: String,
        role: Role,
        name: String,
        headers: Vec<String>,
    },
    #[error("{origin}: the sheet has no date column; give the day of its gatherings with --date YYYY-MM-DD, or map a date column with --map date=HEADER")]
    SheetWithoutDate { origin: String },
    #[error("{origin}: {format} files are not read by the tabular adapters")]
    NotTabular { origin: String, format: Format },
    #[error("unknown format {}; expected auto, dataset, sheet, reports, articles or eventlist", crate::table::quote(.0))]
    UnknownFormat(String),
    #[error("unknown column role {}; expected place, state, low, high, size, date, title, notes or url", crate::table::quote(.0))]
    UnknownRole(String),
    #[error("bad --map entry {}; expected role=header", crate::table::quote(.0))]
    BadMap(String),
    #[error("{origin}: {message}")]
    Csv { origin: String, message: String },
    #[error("{origin}: the {what} is larger than the limit of {limit}; raise it with {flag}")]
    TooLarge {
        origin: String,
        what: &'static str,
        limit: String,
        flag: &'static str,
    },
    #[error("{option}: {error}")]
    OptionOutOfBounds {
        option: &'static str,
        error: tally_model::BoundsError,
    },
    #[error("cannot read {origin}: {message}")]
    Io { origin: String, message: String },
}

/// Reads one file's bytes into records and rejects.
///
/// `origin` names the file in messages and in `Source.origin`; its base name is the
/// default batch.
pub fn read_file(
    origin: &str,
    bytes: &[u8],
    options: &IngestOptions,
) -> Result<ParsedFile, IngestError> {
    let mut records = Vec::new();
    let mut parsed = prepare(origin, bytes, options)?.read(&mut |batch| {
        if records.is_empty() {
            records = batch;
        } else {
            records.extend(batch);
        }
        Ok::<(), IngestError>(())
    })?;
    parsed.records = records;
    Ok(parsed)
}

/// A file whose format and encoding are known and whose rows are still to be read: the
/// first half of [`read_file`], so that a caller can act on the format (open a ledger
/// transaction that records it) before the rows come.
pub struct PreparedFile<'a> {
    text: std::borrow::Cow<'a, str>,
    context: RowContext<'a>,
    rows: PreparedRows,
    out: ParsedFile,
}

enum PreparedRows {
    /// An event list in JSON, read whole.
    Read(Vec<Record>),
    Table {
        header: table::Header,
        reader: Box<dyn drive::RowReader>,
    },
}

impl PreparedFile<'_> {
    pub fn format(&self) -> Format {
        self.out.format
    }

    pub fn encoding(&self) -> &'static str {
        self.out.encoding
    }

    /// About how many rows the file holds (its line breaks), for a progress bar.
    pub fn approximate_rows(&self) -> u64 {
        match &self.rows {
            PreparedRows::Read(records) => records.len() as u64,
            PreparedRows::Table { .. } => {
                memchr::memchr_iter(b'\n', self.text.as_bytes()).count() as u64
            }
        }
    }

    /// Reads the rows, handing the records to `sink` in file order a batch at a time
    /// (about 4 MB of rows per thread), so that a large file's records need not all be
    /// held at once. The returned file has no records; everything else is as
    /// [`read_file`] says. An error of the sink stops the read and is returned.
    pub fn read<E: From<IngestError>>(
        self,
        sink: &mut dyn FnMut(Vec<Record>) -> Result<(), E>,
    ) -> Result<ParsedFile, E> {
        self.read_into(&mut || None, sink)
    }

    /// [`PreparedFile::read`], with lists the sink is done with given back by
    /// `spare`: a batch's records go into one of them (emptied first) rather than into
    /// fresh memory (issue 12).
    pub fn read_into<E: From<IngestError>>(
        self,
        spare: &mut dyn FnMut() -> Option<Vec<Record>>,
        sink: &mut dyn FnMut(Vec<Record>) -> Result<(), E>,
    ) -> Result<ParsedFile, E> {
        let PreparedFile {
            text,
            context,
            rows,
            mut out,
        } = self;
        match rows {
            PreparedRows::Read(records) => {
                if !records.is_empty() {
                    sink(records)?;
                }
            }
            PreparedRows::Table { header, reader } => drive::read_in_batches(
                &text,
                &header,
                reader.as_ref(),
                &context,
                &mut out,
                drive::Split::auto(),
                spare,
                sink,
            )?,
        }
        Ok(out)
    }
}

/// Checks the file and its options, decodes it and finds its header and format; the
/// rows are read by [`PreparedFile::read`].
pub fn prepare<'a>(
    origin: &'a str,
    bytes: &'a [u8],
    options: &'a IngestOptions,
) -> Result<PreparedFile<'a>, IngestError> {
    if bytes.len() as u64 > options.limits.max_file_bytes {
        return Err(too_large(origin, options.limits.max_file_bytes, Cap::File));
    }
    if let Some(date) = options.date {
        tally_model::bounds::check_date(date, options.received_at.date_naive()).map_err(
            |error| IngestError::OptionOutOfBounds {
                option: "--date",
                error,
            },
        )?;
    }
    if let Some(offset) = decode::binary_byte(bytes) {
        return Err(IngestError::Binary {
            origin: origin.to_string(),
            offset,
        });
    }
    let decode::Decoded {
        text,
        encoding,
        replaced_lines,
    } = decode::decode(bytes);
    let json_list = match options.format {
        Format::EventList => eventlist::looks_like_json(bytes),
        Format::Auto => eventlist::looks_like_json(bytes),
        _ => false,
    };
    if json_list {
        let context = RowContext {
            origin,
            batch: options
                .batch
                .clone()
                .unwrap_or_else(|| base_name(origin).to_string()),
            options,
        };
        let mut parsed = eventlist::read_json(origin, &text, &context)?;
        parsed
            .warnings
            .splice(0..0, decoding_warnings(&replaced_lines));
        let records = std::mem::take(&mut parsed.records);
        return Ok(PreparedFile {
            text,
            context,
            rows: PreparedRows::Read(records),
            out: parsed,
        });
    }
    let header = table::Header::find(origin, &text, |headers| {
        detect::detect(headers).is_some()
            || eventlist::looks_like_event_list(headers)
            || sheet::looks_like_sheet(headers)
            || sheet::has_mapped_columns(headers, &options.column_map)
    })?;
    let mut warnings = decoding_warnings(&replaced_lines);
    if header.line > 1 {
        warnings.push(Warning {
            line: Some(header.line),
            message: format!(
                "the header is on line {}: the lines above it were skipped",
                header.line
            ),
        });
    }
    let format = match options.format {
        Format::Auto => match detect::detect(&header.headers) {
            Some(format) => {
                if !options.column_map.is_empty() && format != Format::Sheet {
                    warnings.push(Warning {
                        line: None,
                        message: format!("--map applies to sheets; ignored for a {format} file"),
                    });
                }
                format
            }
            None if !options.column_map.is_empty() => Format::Sheet,
            None if eventlist::looks_like_event_list(&header.headers) => Format::EventList,
            None if sheet::looks_like_sheet(&header.headers) => Format::Sheet,
            None => {
                return Err(IngestError::UnrecognizedHeader {
                    origin: origin.to_string(),
                    headers: header.headers.clone(),
                })
            }
        },
        Format::Articles => {
            return Err(IngestError::NotTabular {
                origin: origin.to_string(),
                format: Format::Articles,
            })
        }
        other => other,
    };
    let context = RowContext {
        origin,
        batch: options
            .batch
            .clone()
            .unwrap_or_else(|| base_name(origin).to_string()),
        options,
    };
    let reader: Box<dyn drive::RowReader> = match format {
        Format::Dataset => Box::new(dataset::DatasetRows::new(&header, &context)?),
        Format::Sheet => Box::new(sheet::SheetRows::new(&header, &context, &mut warnings)?),
        Format::Reports => Box::new(reports::ReportRows::new(&header, &context)?),
        Format::EventList => Box::new(eventlist::ListingRows::new(&header, &context)?),
        Format::Auto | Format::Articles => unreachable!("resolved above"),
    };
    let out = ParsedFile {
        format,
        encoding,
        rows_read: 0,
        records: Vec::new(),
        rejects: Vec::new(),
        blank_rows: 0,
        warnings,
    };
    Ok(PreparedFile {
        text,
        context,
        rows: PreparedRows::Table { header, reader },
        out,
    })
}

/// How many lines with invalid UTF-8 are named one by one before the rest are counted.
const MAX_DECODING_WARNINGS: usize = 20;

/// One warning per line whose invalid bytes were replaced (the first few), then a count.
fn decoding_warnings(replaced_lines: &[usize]) -> Vec<Warning> {
    let mut warnings: Vec<Warning> = replaced_lines
        .iter()
        .take(MAX_DECODING_WARNINGS)
        .map(|&line| Warning {
            line: Some(line),
            message: "bytes that are not valid UTF-8 were replaced with \u{FFFD} in this line"
                .to_string(),
        })
        .collect();
    if replaced_lines.len() > MAX_DECODING_WARNINGS {
        warnings.push(Warning {
            line: None,
            message: format!(
                "{} more lines held bytes that are not valid UTF-8 (replaced with \u{FFFD})",
                replaced_lines.len() - MAX_DECODING_WARNINGS
            ),
        });
    }
    warnings
}

/// What every adapter needs besides the rows.
pub(crate) struct RowContext<'a> {
    pub origin: &'a str,
    pub batch: String,
    pub options: &'a IngestOptions,
}

/// The last path component of an origin, for the default batch name.
fn base_name(origin: &str) -> &str {
    origin
        .rsplit(['/', '\\'])
        .find(|part| !part.is_empty())
        .unwrap_or(origin)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_map_parses_roles_and_headers() {
        let map = parse_column_map("place=Where, low=Estimate1 (low),high=max").unwrap();
        assert_eq!(
            map,
            vec![
                (Role::Place, "Where".to_string()),
                (Role::Low, "Estimate1 (low)".to_string()),
                (Role::High, "max".to_string()),
            ]
        );
        assert!(matches!(
            parse_column_map("where=City"),
            Err(IngestError::UnknownRole(_))
        ));
        assert!(matches!(
            parse_column_map("place"),
            Err(IngestError::BadMap(_))
        ));
    }

    #[test]
    fn base_name_drops_directories() {
        assert_eq!(base_name("data/2025/sheet.csv"), "sheet.csv");
        assert_eq!(base_name("sheet.csv"), "sheet.csv");
        assert_eq!(base_name(r"C:\data\sheet.csv"), "sheet.csv");
    }

    #[test]
    fn formats_parse_by_name() {
        assert_eq!("ccc".parse::<Format>().unwrap(), Format::Dataset);
        assert_eq!("Sheet".parse::<Format>().unwrap(), Format::Sheet);
        assert!("parquet".parse::<Format>().is_err());
    }
}
