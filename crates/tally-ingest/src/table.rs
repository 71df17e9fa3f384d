//! The rows of a decoded CSV file, with the line each starts on and its verbatim text.
//!
//! Rows may span lines through quoted newlines, so the line of a row is the csv
//! reader's record position, not a count of rows. The verbatim text of a row runs from
//! its start to the start of the next one, without the line terminator.

use crate::IngestError;
use csv::StringRecord;

/// The header row of a file, and where the data rows begin.
#[derive(Debug, Clone)]
pub(crate) struct Header {
    /// The header cells as written (trimmed).
    pub headers: Vec<String>,
    /// The header cells lowercased with white space folded, for matching by name.
    pub keys: Vec<String>,
    /// The line of the header row (rows above it were titles or notes).
    pub line: usize,
    /// The field separator: `,`, or `;` or a tab when the first line has more of them.
    pub delimiter: u8,
    /// The byte offset and line of the csv reader just after the header.
    pub body_start: usize,
    pub body_line: usize,
}

impl Header {
    /// The first row, as the header.
    #[cfg(test)]
    pub(crate) fn read(origin: &str, text: &str) -> Result<Header, IngestError> {
        Header::find(origin, text, |_| true)
    }

    /// The first of the first [`HEADER_SEARCH_ROWS`] rows that `accept` takes for a
    /// header; when none is, the first row. Hand-kept sheets often start with a title
    /// row or two above the real header.
    pub(crate) fn find(
        origin: &str,
        text: &str,
        accept: impl Fn(&[String]) -> bool,
    ) -> Result<Header, IngestError> {
        let delimiter = sniff_delimiter(text);
        let mut reader = builder(delimiter).from_reader(text.as_bytes());
        let mut record = StringRecord::new();
        let mut first: Option<Header> = None;
        for _ in 0..HEADER_SEARCH_ROWS {
            let found = reader
                .read_record(&mut record)
                .map_err(|error| csv_error(origin, error))?;
            if !found {
                break;
            }
            let headers: Vec<String> = record.iter().map(|h| h.trim().to_string()).collect();
            if headers.iter().all(String::is_empty) {
                continue;
            }
            let line = record.position().map_or(1, |p| p.line() as usize);
            let header = Header {
                keys: headers.iter().map(|h| header_key(h)).collect(),
                headers,
                delimiter,
                line: line + leading_line_breaks(text, record.position()),
                body_start: reader.position().byte() as usize,
                body_line: reader.position().line() as usize,
            };
            if accept(&header.headers) {
                return Ok(header);
            }
            first.get_or_insert(header);
        }
        first.ok_or_else(|| IngestError::Empty {
            origin: origin.to_string(),
        })
    }

    /// The index of the column whose key is `key`.
    pub(crate) fn column(&self, key: &str) -> Option<usize> {
        self.keys.iter().position(|k| k == key)
    }
}

/// How many rows from the top may be searched for the header.
const HEADER_SEARCH_ROWS: usize = 10;

/// The line breaks the csv reader counted into a record's position before the record
/// itself starts (blank lines, the rest of a CRLF).
fn leading_line_breaks(text: &str, position: Option<&csv::Position>) -> usize {
    let Some(position) = position else { return 0 };
    text.as_bytes()
        .iter()
        .skip(position.byte() as usize)
        .take_while(|b| matches!(b, b'\n' | b'\r'))
        .filter(|b| **b == b'\n')
        .count()
}

fn builder(delimiter: u8) -> csv::ReaderBuilder {
    let mut builder = csv::ReaderBuilder::new();
    builder
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter);
    builder
}

/// The separator of the first non-empty line, outside quotes: a comma unless semicolons
/// (spreadsheets in many European locales) or tabs are more frequent.
fn sniff_delimiter(text: &str) -> u8 {
    let line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for b in line.bytes() {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    if counts[1] > counts[0] && counts[1] >= counts[2] {
        b';'
    } else if counts[2] > counts[0] && counts[2] > counts[1] {
        b'\t'
    } else {
        b','
    }
}

fn csv_error(origin: &str, error: csv::Error) -> IngestError {
    IngestError::Csv {
        origin: origin.to_string(),
        message: error.to_string(),
    }
}

/// The data rows of a file from a record boundary up to (not including) the first row
/// that starts at or after `limit`.
///
/// Rows are read as the csv crate reads them (the same cells, the same line numbers),
/// but a row without a quote character, most rows of most files, is cut at its
/// separators directly rather than through the csv reader's state machine and its
/// copy of every byte (issue 12: that was about a third of the parse's CPU on the
/// 300,000-row file). A row with a quote character anywhere in it is read by the csv
/// reader's core, from the row's start, exactly as before.
pub(crate) struct Table<'t> {
    origin: &'t str,
    text: &'t str,
    limit: usize,
    width: usize,
    /// Where the next row is looked for (a row boundary, or line breaks before one),
    /// and the line there.
    next: usize,
    next_line: usize,
    /// The csv reader's core, for rows that hold a quote character.
    core: csv_core::Reader,
    /// The cells of the current row: spans of `raw` for a row without quotes, of
    /// `unescaped` for a row read by the core.
    cells: Vec<(usize, usize)>,
    quoted: bool,
    /// The current row's cells as the core gave them (quotes taken out), end to end.
    unescaped: String,
    /// The core's cell ends, reused from row to row.
    ends: Vec<usize>,
    line: usize,
    start: usize,
    raw: &'t str,
    first_start: Option<usize>,
    stop: Option<(usize, usize)>,
    delimiter: u8,
    /// When the current row is an unclosed quote: the line the quote opened on.
    unclosed_quote: Option<usize>,
}

impl<'t> Table<'t> {
    /// The rows from byte `start` (a record boundary, on line `line`) up to `limit`.
    pub(crate) fn rows(
        origin: &'t str,
        text: &'t str,
        header: &Header,
        start: usize,
        line: usize,
        limit: usize,
    ) -> Table<'t> {
        let start = start.min(text.len());
        Table {
            origin,
            text,
            limit,
            width: header.headers.len(),
            next: start,
            next_line: line,
            core: csv_core::ReaderBuilder::new()
                .delimiter(header.delimiter)
                .build(),
            cells: Vec::with_capacity(header.headers.len() + 1),
            quoted: false,
            unescaped: String::new(),
            ends: Vec::new(),
            line: 0,
            start: 0,
            raw: "",
            first_start: None,
            stop: None,
            delimiter: header.delimiter,
            unclosed_quote: None,
        }
    }

    /// Moves to the next data row; false at the end of the file or at the limit.
    pub(crate) fn advance(&mut self) -> Result<bool, IngestError> {
        if self.stop.is_some() {
            return Ok(false);
        }
        // Line breaks before a row (blank lines, the rest of a CRLF) make no row, as
        // the csv reader skips them.
        let bytes = self.text.as_bytes();
        let (mut start, mut line) = (self.next, self.next_line);
        while start < bytes.len() && matches!(bytes[start], b'\n' | b'\r') {
            if bytes[start] == b'\n' {
                line += 1;
            }
            start += 1;
        }
        if start >= bytes.len() {
            self.next = start;
            return Ok(false);
        }
        self.first_start.get_or_insert(start);
        if start >= self.limit {
            self.stop = Some((start, line));
            return Ok(false);
        }
        self.line = line;
        self.start = start;
        self.unclosed_quote = None;
        match memchr::memchr3(b'\n', b'\r', b'"', &bytes[start..]) {
            Some(at) if bytes[start + at] == b'"' => {
                let end = self.read_quoted(start)?;
                let raw = self.text.get(start..end).unwrap_or("");
                self.raw = raw.trim_end_matches(['\n', '\r']);
                self.next = start + self.raw.len();
                self.next_line = line + memchr::memchr_iter(b'\n', self.raw.as_bytes()).count();
                if memchr::memchr(b'\n', self.raw.as_bytes()).is_some() {
                    self.check_unclosed_quote(end);
                }
            }
            found => {
                let end = found.map_or(bytes.len(), |at| start + at);
                self.raw = self.text.get(start..end).unwrap_or("");
                self.next = end;
                self.next_line = line;
                self.quoted = false;
                split_cells(self.raw.as_bytes(), self.delimiter, &mut self.cells);
            }
        }
        Ok(true)
    }

    /// Reads the row at `start` with the csv reader's core into `unescaped` and
    /// `cells`; returns where the row ends (after the line break that ends it).
    fn read_quoted(&mut self, start: usize) -> Result<usize, IngestError> {
        use csv_core::ReadRecordResult;
        self.core.reset();
        let input = &self.text.as_bytes()[start..];
        let mut out = std::mem::take(&mut self.unescaped).into_bytes();
        out.clear();
        // Most rows fit; a longer one doubles it as the core asks.
        out.resize(input.len().clamp(64, 2048), 0);
        if self.ends.len() < self.width + 1 {
            self.ends.resize(self.width + 1, 0);
        }
        let (mut read, mut written, mut cells) = (0, 0, 0);
        loop {
            let (result, nin, nout, nend) =
                self.core
                    .read_record(&input[read..], &mut out[written..], &mut self.ends[cells..]);
            read += nin;
            written += nout;
            cells += nend;
            match result {
                // The input given is the rest of the file: the next call, with nothing
                // left, says that the file ends there.
                ReadRecordResult::InputEmpty => {}
                ReadRecordResult::OutputFull => {
                    let grown = out.len() * 2;
                    out.resize(grown, 0);
                }
                ReadRecordResult::OutputEndsFull => {
                    let grown = self.ends.len() * 2;
                    self.ends.resize(grown, 0);
                }
                ReadRecordResult::Record | ReadRecordResult::End => break,
            }
        }
        out.truncate(written);
        // The cells are the file's text with quotes taken out: UTF-8, as the file is.
        self.unescaped = String::from_utf8(out).map_err(|_| IngestError::Csv {
            origin: self.origin.to_string(),
            message: format!("the row at byte {start} is not UTF-8 once unquoted"),
        })?;
        self.quoted = true;
        self.cells.clear();
        let mut cell_start = 0;
        for &end in &self.ends[..cells] {
            self.cells.push((cell_start, end));
            cell_start = end;
        }
        Ok(start + read)
    }

    /// The current row's cell `index`, untrimmed.
    fn cell_text(&self, index: usize) -> Option<&str> {
        let &(from, to) = self.cells.get(index)?;
        let text = if self.quoted {
            self.unescaped.as_str()
        } else {
            self.raw
        };
        text.get(from..to)
    }

    /// The number of cells of the current row.
    fn cell_count(&self) -> usize {
        self.cells.len()
    }

    /// A quoted cell that runs over line breaks is either a cell with several lines
    /// (notes) or a quote that was never closed and swallowed the rows after it. It is
    /// taken for the second when the row then reaches the end of the file with its
    /// quote still open, when its width does not fit the header, or when a line inside
    /// the cell looks like a row of its own (as many separators as the header). The row
    /// is then cut at the end of the line where the quote opened, reported by
    /// [`Table::unclosed_quote`], and reading resumes on the next line, so no row after
    /// it is lost.
    fn check_unclosed_quote(&mut self, end: usize) {
        let Some((open, close)) = multiline_quote(self.raw, self.delimiter) else {
            return;
        };
        let raw = self.raw.as_bytes();
        let at_eof_open = end >= self.text.len() && quote_still_open(self.raw, self.delimiter);
        let found = self.cell_count();
        let wrong_width = found < self.width
            || (found > self.width
                && (self.width..found).any(|i| !trim(self.cell_text(i).unwrap_or("")).is_empty()));
        let separators = self.width.saturating_sub(1).max(1);
        let inner_row = self.raw[open..close]
            .split('\n')
            .skip(1)
            .any(|line| memchr::memchr_iter(self.delimiter, line.as_bytes()).count() >= separators);
        if !(at_eof_open || wrong_width || inner_row) {
            return;
        }
        let open_line = self.line + memchr::memchr_iter(b'\n', &raw[..open]).count();
        let line_end = open + memchr::memchr(b'\n', &raw[open..]).expect("the cell spans lines");
        let resume = self.start + line_end + 1;
        self.unclosed_quote = Some(open_line);
        self.raw = self.raw[..line_end].trim_end_matches('\r');
        // Read on from the line after the one where the quote opened.
        self.next = resume;
        self.next_line = open_line + 1;
    }

    /// When the current row was cut at an unclosed quote: the line the quote opened
    /// on. The row must be rejected; the rows after it are read as usual.
    pub(crate) fn unclosed_quote(&self) -> Option<usize> {
        self.unclosed_quote
    }

    /// The start of the first row this table read (at or past the limit or not), or
    /// `None` when it read none.
    pub(crate) fn first_start(&self) -> Option<usize> {
        self.first_start
    }

    /// Where the row that stopped the table starts, and its line; `None` when the table
    /// ran to the end of the file.
    pub(crate) fn stop(&self) -> Option<(usize, usize)> {
        self.stop
    }

    /// The 1-based line where the current row starts.
    pub(crate) fn line(&self) -> usize {
        self.line
    }

    /// The current row's text, verbatim.
    pub(crate) fn raw(&self) -> &'t str {
        self.raw
    }

    /// The trimmed cell of the current row in column `index`, or "" when the column is
    /// absent or the row is short.
    pub(crate) fn cell(&self, index: Option<usize>) -> &str {
        index
            .and_then(|i| self.cell_text(i))
            .map(trim)
            .unwrap_or("")
    }

    /// True when every cell of the current row is empty or white space.
    pub(crate) fn is_blank(&self) -> bool {
        // Any byte other than separators, quotes and white space is in some cell: the
        // common case is decided without looking at the cells.
        let only_punctuation = self
            .raw
            .bytes()
            .all(|b| b == b',' || b == b'"' || b.is_ascii_whitespace());
        only_punctuation
            && (0..self.cell_count()).all(|i| self.cell_text(i).unwrap_or("").trim().is_empty())
    }

    /// Why the current row's width does not fit the header, if it does not. Empty cells
    /// past the header's width are tolerated (spreadsheets pad rows); missing cells are
    /// tolerated only when `allow_short`.
    pub(crate) fn width_problem(&self, allow_short: bool) -> Option<String> {
        let width = self.width;
        let found = self.cell_count();
        let extra_filled =
            (width..found).any(|i| !trim(self.cell_text(i).unwrap_or("")).is_empty());
        if found > width && extra_filled {
            return Some(format!(
                "{found} fields but the header has {width} (an unquoted comma or an unclosed quote?)"
            ));
        }
        if found < width && !allow_short {
            return Some(format!(
                "{found} fields but the header has {width} (a truncated row or an unclosed quote?)"
            ));
        }
        None
    }
}

/// Cuts a row without quotes at every `delimiter` into the spans of its cells
/// (`cells` is emptied first). Eight bytes at a time: a row's cells are short (a
/// dataset row has 65 of about six bytes), so a search per separator cost more than
/// the looking (issue 12).
fn split_cells(row: &[u8], delimiter: u8, cells: &mut Vec<(usize, usize)>) {
    const LOW: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let pattern = u64::from_le_bytes([delimiter; 8]);
    cells.clear();
    let mut cell_start = 0;
    let mut words = row.chunks_exact(8);
    let mut offset = 0;
    for word in &mut words {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(word);
        let x = u64::from_le_bytes(bytes) ^ pattern;
        // The high bit of each byte of `x` that is zero (a separator), exactly: no
        // carry crosses from one byte into the next.
        let mut found = !(((x & LOW) + LOW) | x | LOW);
        while found != 0 {
            let at = offset + (found.trailing_zeros() / 8) as usize;
            cells.push((cell_start, at));
            cell_start = at + 1;
            found &= found - 1;
        }
        offset += 8;
    }
    for (i, &byte) in words.remainder().iter().enumerate() {
        if byte == delimiter {
            cells.push((cell_start, offset + i));
            cell_start = offset + i + 1;
        }
    }
    cells.push((cell_start, row.len()));
}

/// The byte offsets of the opening and closing quote (or the end of `raw` when it is
/// never closed) of the first quoted cell of `raw` that holds a line break, read as the
/// csv reader reads: a quote opens a cell only at its start, and `""` inside a quoted
/// cell is a literal quote.
fn multiline_quote(raw: &str, delimiter: u8) -> Option<(usize, usize)> {
    let bytes = raw.as_bytes();
    let mut i = 0;
    let mut field_start = true;
    while i < bytes.len() {
        let b = bytes[i];
        if field_start && b == b'"' {
            let open = i;
            i += 1;
            let mut newline = false;
            loop {
                match bytes.get(i) {
                    None => return newline.then_some((open, i)),
                    Some(b'"') if bytes.get(i + 1) == Some(&b'"') => i += 2,
                    Some(b'"') => {
                        i += 1;
                        break;
                    }
                    Some(b'\n') => {
                        newline = true;
                        i += 1;
                    }
                    Some(_) => i += 1,
                }
            }
            if newline {
                return Some((open, i - 1));
            }
            field_start = false;
            continue;
        }
        field_start = b == delimiter || b == b'\n';
        i += 1;
    }
    None
}

/// True when `raw` ends inside a quoted cell.
fn quote_still_open(raw: &str, delimiter: u8) -> bool {
    let bytes = raw.as_bytes();
    let (mut i, mut field_start) = (0, true);
    while i < bytes.len() {
        if field_start && bytes[i] == b'"' {
            i += 1;
            loop {
                match bytes.get(i) {
                    None => return true,
                    Some(b'"') if bytes.get(i + 1) == Some(&b'"') => i += 2,
                    Some(b'"') => {
                        i += 1;
                        break;
                    }
                    Some(_) => i += 1,
                }
            }
            field_start = false;
            continue;
        }
        field_start = bytes[i] == delimiter || bytes[i] == b'\n';
        i += 1;
    }
    false
}

/// Trims white space; most cells have none, and they are answered without the
/// Unicode-aware scan of `str::trim`.
fn trim(cell: &str) -> &str {
    match (cell.as_bytes().first(), cell.as_bytes().last()) {
        (Some(first), Some(last)) if first.is_ascii_graphic() && last.is_ascii_graphic() => cell,
        _ => cell.trim(),
    }
}

/// Lowercases a header and folds runs of white space to one space.
pub(crate) fn header_key(header: &str) -> String {
    header
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// True for cells that mean "no value": empty, `NA` and its spellings.
pub(crate) fn is_missing(cell: &str) -> bool {
    matches!(
        cell,
        "" | "NA" | "N/A" | "n/a" | "na" | "NaN" | "nan" | "NULL" | "null" | "None" | "#N/A"
    )
}

/// The most bytes of input text that a message quotes.
pub(crate) const QUOTE_LIMIT: usize = 200;

/// `text` quoted for a message, cut to at most [`QUOTE_LIMIT`] bytes (at a character
/// boundary) with the number of bytes left out: a 50 MB cell is never echoed whole.
pub(crate) fn quote(text: &str) -> String {
    if text.len() <= QUOTE_LIMIT {
        return format!("{text:?}");
    }
    let mut end = QUOTE_LIMIT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{:?}... ({} more bytes)", &text[..end], text.len() - end)
}

/// A list of header cells for a message, quoted and cut like [`quote`], at most a few
/// hundred bytes in all.
pub(crate) fn quote_headers(headers: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut used = 0;
    for (i, header) in headers.iter().enumerate() {
        if used > 2 * QUOTE_LIMIT {
            out.push(format!("... ({} more)", headers.len() - i));
            break;
        }
        let quoted = if header.len() > 60 {
            quote(&header[..floor_char_boundary(header, 60)]) + "..."
        } else {
            header.clone()
        };
        used += quoted.len() + 2;
        out.push(quoted);
    }
    out
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    index = index.min(text.len());
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

/// A text cell as an owned value: `None` when missing.
pub(crate) fn text(cell: &str) -> Option<String> {
    if is_missing(cell) {
        None
    } else {
        Some(cell.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A row as the tests compare it: line, raw text, cells, unclosed quote.
    type RowRead = (usize, String, Vec<String>, Option<usize>);
    /// Every row read, then where the reading stopped and the first row's start.
    type RowsRead = (Vec<RowRead>, Option<(usize, usize)>, Option<usize>);

    /// The row reader as it was before rows without quotes were cut directly (issue
    /// 12): every row through the csv reader. What the new one must give, row for row.
    mod csv_reference {
        use super::super::*;
        use super::{RowRead, RowsRead};
        use csv::StringRecord;

        struct CsvTable<'t> {
            origin: &'t str,
            text: &'t str,
            offset: usize,
            base_line: usize,
            limit: usize,
            width: usize,
            reader: csv::Reader<&'t [u8]>,
            record: StringRecord,
            line: usize,
            start: usize,
            raw: &'t str,
            first_start: Option<usize>,
            stop: Option<(usize, usize)>,
            delimiter: u8,
            unclosed_quote: Option<usize>,
        }

        impl<'t> CsvTable<'t> {
            fn rows(
                origin: &'t str,
                text: &'t str,
                header: &Header,
                start: usize,
                line: usize,
                limit: usize,
            ) -> CsvTable<'t> {
                let start = start.min(text.len());
                CsvTable {
                    origin,
                    text,
                    offset: start,
                    base_line: line,
                    limit,
                    width: header.headers.len(),
                    reader: builder(header.delimiter).from_reader(&text.as_bytes()[start..]),
                    record: StringRecord::new(),
                    line: 0,
                    start: 0,
                    raw: "",
                    first_start: None,
                    stop: None,
                    delimiter: header.delimiter,
                    unclosed_quote: None,
                }
            }

            fn advance(&mut self) -> Result<bool, IngestError> {
                if self.stop.is_some() {
                    return Ok(false);
                }
                let more = self
                    .reader
                    .read_record(&mut self.record)
                    .map_err(|error| csv_error(self.origin, error))?;
                if !more {
                    return Ok(false);
                }
                let position = self
                    .record
                    .position()
                    .cloned()
                    .unwrap_or_else(csv::Position::new);
                let mut line = self.base_line + position.line() as usize - 1;
                let mut start = self.offset + position.byte() as usize;
                let end =
                    (self.offset + self.reader.position().byte() as usize).min(self.text.len());
                // The csv reader may place a record's start on the '\n' of a preceding CRLF or
                // on skipped blank lines; the row itself starts after them.
                let bytes = self.text.as_bytes();
                while start < end && matches!(bytes[start], b'\n' | b'\r') {
                    if bytes[start] == b'\n' {
                        line += 1;
                    }
                    start += 1;
                }
                self.first_start.get_or_insert(start);
                if start >= self.limit {
                    self.stop = Some((start, line));
                    return Ok(false);
                }
                self.line = line;
                self.start = start;
                let raw = self.text.get(start..end).unwrap_or("");
                self.raw = raw.trim_end_matches(['\n', '\r']);
                self.unclosed_quote = None;
                if memchr::memchr(b'\n', self.raw.as_bytes()).is_some() {
                    self.check_unclosed_quote(end);
                }
                Ok(true)
            }

            fn check_unclosed_quote(&mut self, end: usize) {
                let Some((open, close)) = multiline_quote(self.raw, self.delimiter) else {
                    return;
                };
                let raw = self.raw.as_bytes();
                let at_eof_open =
                    end >= self.text.len() && quote_still_open(self.raw, self.delimiter);
                let found = self.record.len();
                let wrong_width = found < self.width
                    || (found > self.width
                        && (self.width..found).any(|i| !trim(&self.record[i]).is_empty()));
                let separators = self.width.saturating_sub(1).max(1);
                let inner_row = self.raw[open..close].split('\n').skip(1).any(|line| {
                    memchr::memchr_iter(self.delimiter, line.as_bytes()).count() >= separators
                });
                if !(at_eof_open || wrong_width || inner_row) {
                    return;
                }
                let open_line = self.line + memchr::memchr_iter(b'\n', &raw[..open]).count();
                let line_end =
                    open + memchr::memchr(b'\n', &raw[open..]).expect("the cell spans lines");
                let resume = self.start + line_end + 1;
                self.unclosed_quote = Some(open_line);
                self.raw = self.raw[..line_end].trim_end_matches('\r');
                // Start a fresh reader on the line after the one where the quote opened.
                self.offset = resume;
                self.base_line = open_line + 1;
                self.reader = builder(self.delimiter).from_reader(&self.text.as_bytes()[resume..]);
            }

            fn row(&self) -> RowRead {
                (
                    self.line,
                    self.raw.to_string(),
                    self.record.iter().map(str::to_string).collect(),
                    self.unclosed_quote,
                )
            }
        }

        /// Every row of `text` after its header as the csv reader reads it: line, raw
        /// text, cells, unclosed quote; then where it stopped.
        pub(crate) fn rows(text: &str, header: &Header, limit: usize) -> RowsRead {
            let mut table = CsvTable::rows(
                "t.csv",
                text,
                header,
                header.body_start,
                header.body_line,
                limit,
            );
            let mut rows = Vec::new();
            while table.advance().unwrap() {
                rows.push(table.row());
            }
            (rows, table.stop, table.first_start)
        }
    }

    fn table<'t>(text: &'t str, header: &Header) -> Table<'t> {
        Table::rows(
            "t.csv",
            text,
            header,
            header.body_start,
            header.body_line,
            usize::MAX,
        )
    }

    #[test]
    fn rows_know_their_line_and_raw_text() {
        let text = "a,b\r\n1,\"two\nlines\"\r\n3,4\n";
        let header = Header::read("t.csv", text).unwrap();
        assert_eq!(header.headers, ["a", "b"]);
        let mut table = table(text, &header);
        assert!(table.advance().unwrap());
        assert_eq!(table.line(), 2);
        assert_eq!(table.raw(), "1,\"two\nlines\"");
        assert_eq!(table.cell(Some(1)), "two\nlines");
        assert!(table.advance().unwrap());
        assert_eq!(table.line(), 4);
        assert_eq!(table.raw(), "3,4");
        assert!(!table.advance().unwrap());
        assert_eq!(table.stop(), None);
    }

    #[test]
    fn blank_lines_do_not_shift_line_numbers() {
        let text = "a,b\r\n\r\n\r\n1,2\r\n\n3,4";
        let header = Header::read("t.csv", text).unwrap();
        let mut table = table(text, &header);
        assert!(table.advance().unwrap());
        assert_eq!((table.line(), table.raw()), (4, "1,2"));
        assert!(table.advance().unwrap());
        assert_eq!((table.line(), table.raw()), (6, "3,4"));
    }

    #[test]
    fn a_limit_stops_before_the_row_that_reaches_it() {
        let text = "a,b\n1,2\n3,4\n5,6\n";
        let header = Header::read("t.csv", text).unwrap();
        let mut table = Table::rows("t.csv", text, &header, 8, 3, 12);
        assert!(table.advance().unwrap());
        assert_eq!((table.line(), table.raw()), (3, "3,4"));
        assert!(!table.advance().unwrap());
        assert_eq!(table.stop(), Some((12, 4)));
        assert_eq!(table.first_start(), Some(8));
    }

    #[test]
    fn the_header_may_sit_below_title_rows() {
        let text = "No Kings tally,,\n\nCity,Low,High\nBoise,1,2\n";
        let header = Header::find("t.csv", text, |h| h.iter().any(|c| c == "Low")).unwrap();
        assert_eq!(header.headers, ["City", "Low", "High"]);
        assert_eq!(header.line, 3);
        let mut table = table(text, &header);
        assert!(table.advance().unwrap());
        assert_eq!((table.line(), table.raw()), (4, "Boise,1,2"));
        let fallback = Header::find("t.csv", text, |_| false).unwrap();
        assert_eq!(fallback.line, 1);
    }

    #[test]
    fn semicolons_and_tabs_are_separators_too() {
        for (text, expected) in [
            ("City;Low;High\nBoise;1,5;2\n", b';'),
            ("City\tLow\tHigh\nBoise\t1,000\t2\n", b'\t'),
            ("\"City; ST\",Low,High\n", b','),
        ] {
            let header = Header::read("t.csv", text).unwrap();
            assert_eq!(header.delimiter, expected, "{text:?}");
            assert_eq!(header.headers.len(), 3);
        }
        let text = "City\tLow\tHigh\nBoise\t1,000\t2\n";
        let header = Header::read("t.csv", text).unwrap();
        let mut table = table(text, &header);
        assert!(table.advance().unwrap());
        assert_eq!(table.cell(Some(1)), "1,000");
    }

    #[test]
    fn empty_file_is_an_error() {
        assert!(matches!(
            Header::read("t.csv", ""),
            Err(IngestError::Empty { .. })
        ));
    }

    #[test]
    fn issue_13_an_unclosed_quote_swallows_nothing() {
        let mut text = String::from("a,b,c\n1,\"unclosed,3\n");
        for i in 0..1000 {
            text.push_str(&format!("{i},x,y\n"));
        }
        let header = Header::read("t.csv", &text).unwrap();
        let mut table = table(&text, &header);
        assert!(table.advance().unwrap());
        assert_eq!(table.unclosed_quote(), Some(2));
        assert_eq!(table.raw(), "1,\"unclosed,3");
        let mut rows = 0;
        while table.advance().unwrap() {
            assert_eq!(table.unclosed_quote(), None);
            assert_eq!(table.line(), rows + 3);
            rows += 1;
        }
        assert_eq!(rows, 1000);
        // A quote closed many lines later still does not swallow the rows between.
        let text = "a,b,c\n1,\"open,3\n4,5,6\n7,\"x\",9\n";
        let header = Header::read("t.csv", text).unwrap();
        let mut table = self::table(text, &header);
        assert!(table.advance().unwrap());
        assert_eq!(table.unclosed_quote(), Some(2));
        assert!(table.advance().unwrap());
        assert_eq!((table.line(), table.raw()), (3, "4,5,6"));
        assert!(table.advance().unwrap());
        assert_eq!((table.line(), table.cell(Some(1))), (4, "x"));
        assert!(!table.advance().unwrap());
    }

    #[test]
    fn cells_of_several_lines_are_kept() {
        let text = "a,b,c,d\n1,\"\n\",3,4\n";
        let header = Header::read("t.csv", text).unwrap();
        let mut table = table(text, &header);
        assert!(table.advance().unwrap());
        assert_eq!(table.unclosed_quote(), None);
        assert_eq!(table.cell(Some(3)), "4");
        let text = "a,b,c\n1,\"first line\nsecond line\",3\n4,5,6\n";
        let header = Header::read("t.csv", text).unwrap();
        let mut table = self::table(text, &header);
        assert!(table.advance().unwrap());
        assert_eq!(table.unclosed_quote(), None);
        assert_eq!(table.cell(Some(1)), "first line\nsecond line");
        assert!(table.advance().unwrap());
        assert_eq!((table.line(), table.raw()), (4, "4,5,6"));
    }

    #[test]
    fn issue_13_quotes_are_short() {
        let long = "x".repeat(50_000_000);
        let quoted = quote(&long);
        assert!(quoted.len() < 300, "{}", quoted.len());
        assert!(quoted.ends_with("(49999800 more bytes)"));
        assert!(quote("é".repeat(150).as_str()).len() < 300);
        let headers: Vec<String> = (0..10_000).map(|i| format!("column {i}")).collect();
        let listed = quote_headers(&headers).join(", ");
        assert!(listed.len() < 600, "{}", listed.len());
        assert!(listed.ends_with("more)"));
        assert_eq!(quote_headers(&["a".into(), "b".into()]), ["a", "b"]);
    }

    #[test]
    fn width_problems_are_named() {
        let text = "a,b,c\n1,2\n1,2,3,4\n1,2,3,,\n";
        let header = Header::read("t.csv", text).unwrap();
        let mut table = table(text, &header);
        table.advance().unwrap();
        assert!(table.width_problem(true).is_none());
        assert!(table.width_problem(false).unwrap().starts_with("2 fields"));
        table.advance().unwrap();
        assert!(table.width_problem(true).unwrap().starts_with("4 fields"));
        table.advance().unwrap();
        assert!(table.width_problem(false).is_none());
    }

    /// Every row of `text` after its header as [`Table`] reads it, in the shape of
    /// [`csv_reference::rows`].
    fn rows_read(text: &str, header: &Header, limit: usize) -> RowsRead {
        let mut table = Table::rows(
            "t.csv",
            text,
            header,
            header.body_start,
            header.body_line,
            limit,
        );
        let mut rows = Vec::new();
        while table.advance().unwrap() {
            let cells = (0..table.cell_count())
                .map(|i| table.cell_text(i).unwrap().to_string())
                .collect();
            rows.push((
                table.line(),
                table.raw().to_string(),
                cells,
                table.unclosed_quote(),
            ));
        }
        (rows, table.stop(), table.first_start())
    }

    #[test]
    fn issue_12_cells_are_cut_at_every_separator() {
        let mut cells = Vec::new();
        for row in [
            "",
            ",",
            "a,b",
            ",-77.0369,,,",
            "1234567,12345678,123456789,",
            "é,ü,,x,y,z,,,,,,,,,,,,,,,,,,-,+",
            "no separator at all in sixteen+",
        ] {
            split_cells(row.as_bytes(), b',', &mut cells);
            let got: Vec<&str> = cells.iter().map(|&(a, b)| &row[a..b]).collect();
            let want: Vec<&str> = row.split(',').collect();
            assert_eq!(got, want, "{row:?}");
        }
    }

    #[test]
    fn issue_12_rows_are_read_as_the_csv_reader_reads_them() {
        for text in [
            "a,b\r\n1,\"two\nlines\"\r\n3,4\n",
            "a,b\r\n\r\n\r\n1,2\r\n\n3,4",
            "a,b,c\n1,\"open,3\n4,5,6\n7,\"x\",9\n",
            "a,b,c\n1,b\"c,3\n\"q\"\"q\",,\r\r5,6,7\n  ,\t,\n\"\"\n",
            "a;b\n1;\"x;y\"\n2;3",
            "a,b\n\"é\",ü\n\"unclosed\n",
        ] {
            let header = Header::read("t.csv", text).unwrap();
            assert_eq!(
                rows_read(text, &header, usize::MAX),
                csv_reference::rows(text, &header, usize::MAX),
                "{text:?}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn issue_12_any_text_is_read_as_the_csv_reader_reads_it(
            body in proptest::collection::vec(
                proptest::sample::select(vec!["a", "7", ",", ",", "\"", "\"\"", "\n", "\r\n", "\r", " ", "é", ";"]),
                0..60,
            ),
            limit in 4usize..80,
        ) {
            let text = format!("a,b,c\n{}", body.concat());
            let header = Header::read("t.csv", &text).unwrap();
            for limit in [usize::MAX, limit] {
                proptest::prop_assert_eq!(
                    rows_read(&text, &header, limit),
                    csv_reference::rows(&text, &header, limit)
                );
            }
        }
    }
}
