//! The rows of a decoded CSV file, with the line each starts on and its verbatim text.
//!
//! Rows may span lines through quoted newlines, so the line of a row is the csv
//! reader's record position, not a count of rows. The verbatim text of a row runs from
//! its start to the start of the next one, without the line terminator.

use crate::IngestError;
use csv::StringRecord;

pub(crate) struct Table<'t> {
    origin: String,
    text: &'t str,
    reader: csv::Reader<&'t [u8]>,
    headers: Vec<String>,
    keys: Vec<String>,
    record: StringRecord,
    line: usize,
    raw: &'t str,
}

impl<'t> Table<'t> {
    /// Reads the header row.
    pub(crate) fn new(origin: &str, text: &'t str) -> Result<Table<'t>, IngestError> {
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut table = Table {
            origin: origin.to_string(),
            text,
            reader,
            headers: Vec::new(),
            keys: Vec::new(),
            record: StringRecord::new(),
            line: 0,
            raw: "",
        };
        if !table.advance()? {
            return Err(IngestError::Empty {
                origin: origin.to_string(),
            });
        }
        table.headers = table.record.iter().map(|h| h.trim().to_string()).collect();
        if table.headers.iter().all(String::is_empty) {
            return Err(IngestError::Empty {
                origin: origin.to_string(),
            });
        }
        table.keys = table.headers.iter().map(|h| header_key(h)).collect();
        Ok(table)
    }

    /// The header cells as written (trimmed).
    pub(crate) fn headers(&self) -> &[String] {
        &self.headers
    }

    /// The header cells lowercased with white space folded, for matching by name.
    pub(crate) fn keys(&self) -> &[String] {
        &self.keys
    }

    /// The index of the column whose key is `key`.
    pub(crate) fn column(&self, key: &str) -> Option<usize> {
        self.keys.iter().position(|k| k == key)
    }

    /// Moves to the next data row; false at the end of the file.
    pub(crate) fn advance(&mut self) -> Result<bool, IngestError> {
        let more = self
            .reader
            .read_record(&mut self.record)
            .map_err(|error| IngestError::Csv {
                origin: self.origin.clone(),
                message: error.to_string(),
            })?;
        if !more {
            return Ok(false);
        }
        let position = self
            .record
            .position()
            .cloned()
            .unwrap_or_else(csv::Position::new);
        let mut line = position.line() as usize;
        let mut start = position.byte() as usize;
        let end = (self.reader.position().byte() as usize).min(self.text.len());
        // The csv reader may place a record's start on the '\n' of a preceding CRLF or
        // on skipped blank lines; the row itself starts after them.
        let bytes = self.text.as_bytes();
        while start < end && matches!(bytes[start], b'\n' | b'\r') {
            if bytes[start] == b'\n' {
                line += 1;
            }
            start += 1;
        }
        self.line = line;
        let raw = self.text.get(start..end).unwrap_or("");
        self.raw = raw.trim_end_matches(['\n', '\r']);
        Ok(true)
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
            .and_then(|i| self.record.get(i))
            .map(str::trim)
            .unwrap_or("")
    }

    /// True when every cell of the current row is empty or white space.
    pub(crate) fn is_blank(&self) -> bool {
        self.record.iter().all(|c| c.trim().is_empty())
    }

    /// Why the current row's width does not fit the header, if it does not. Empty cells
    /// past the header's width are tolerated (spreadsheets pad rows); missing cells are
    /// tolerated only when `allow_short`.
    pub(crate) fn width_problem(&self, allow_short: bool) -> Option<String> {
        let width = self.headers.len();
        let found = self.record.len();
        let extra_filled = self.record.iter().skip(width).any(|c| !c.trim().is_empty());
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

    #[test]
    fn rows_know_their_line_and_raw_text() {
        let text = "a,b\r\n1,\"two\nlines\"\r\n3,4\n";
        let mut table = Table::new("t.csv", text).unwrap();
        assert_eq!(table.headers(), ["a", "b"]);
        assert!(table.advance().unwrap());
        assert_eq!(table.line(), 2);
        assert_eq!(table.raw(), "1,\"two\nlines\"");
        assert_eq!(table.cell(Some(1)), "two\nlines");
        assert!(table.advance().unwrap());
        assert_eq!(table.line(), 4);
        assert_eq!(table.raw(), "3,4");
        assert!(!table.advance().unwrap());
    }

    #[test]
    fn blank_lines_do_not_shift_line_numbers() {
        let mut table = Table::new("t.csv", "a,b\r\n\r\n\r\n1,2\r\n\n3,4").unwrap();
        assert!(table.advance().unwrap());
        assert_eq!((table.line(), table.raw()), (4, "1,2"));
        assert!(table.advance().unwrap());
        assert_eq!((table.line(), table.raw()), (6, "3,4"));
    }

    #[test]
    fn last_row_without_newline_is_read_whole() {
        let mut table = Table::new("t.csv", "a,b\n1,2").unwrap();
        assert!(table.advance().unwrap());
        assert_eq!(table.raw(), "1,2");
    }

    #[test]
    fn empty_file_is_an_error() {
        assert!(matches!(
            Table::new("t.csv", ""),
            Err(IngestError::Empty { .. })
        ));
    }

    #[test]
    fn width_problems_are_named() {
        let mut table = Table::new("t.csv", "a,b,c\n1,2\n1,2,3,4\n1,2,3,,\n").unwrap();
        table.advance().unwrap();
        assert!(table.width_problem(true).is_none());
        assert!(table.width_problem(false).unwrap().starts_with("2 fields"));
        table.advance().unwrap();
        assert!(table.width_problem(true).unwrap().starts_with("4 fields"));
        table.advance().unwrap();
        assert!(table.width_problem(false).is_none());
    }
}
