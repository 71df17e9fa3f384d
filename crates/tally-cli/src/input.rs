//! Reading input files and standard input under the size caps, with the errors every
//! command gives for them (exit code 1, naming the file).

use crate::exit::bad_input;
use std::path::Path;
use tally_ingest::Cap;

/// The bytes of `path` (or standard input for `-`), at most `limit` of them. A missing,
/// unreadable, binary or oversized file is bad input.
pub fn read_input(path: &Path, limit: u64, cap: Cap) -> anyhow::Result<Vec<u8>> {
    if path.as_os_str() == "-" {
        return read_capped("standard input", std::io::stdin().lock(), limit, cap);
    }
    let origin = path.display().to_string();
    let file = std::fs::File::open(path)
        .map_err(|error| bad_input(format!("cannot read {origin}: {error}")))?;
    let mut expected = 0;
    if let Ok(metadata) = file.metadata() {
        if metadata.is_dir() {
            return Err(bad_input(format!(
                "cannot read {origin}: it is a directory"
            )));
        }
        // A regular file that is already too large is refused without reading it.
        if metadata.is_file() && metadata.len() > limit {
            return Err(bad_input(
                tally_ingest::too_large(&origin, limit, cap).to_string(),
            ));
        }
        expected = metadata.len();
    }
    tally_ingest::read_capped_sized(&origin, file, limit, cap, expected)
        .map_err(|error| bad_input(error.to_string()))
}

fn read_capped(
    origin: &str,
    reader: impl std::io::Read,
    limit: u64,
    cap: Cap,
) -> anyhow::Result<Vec<u8>> {
    tally_ingest::read_capped(origin, reader, limit, cap)
        .map_err(|error| bad_input(error.to_string()))
}

/// The cap to read a file to ingest with: prose (by its name) is a document, anything
/// else a table file. What a file's first byte says is checked after reading.
pub fn ingest_cap(path: &Path, global: &crate::cli::Global) -> (u64, Cap) {
    let lower = path.to_string_lossy().to_ascii_lowercase();
    let prose = [".txt", ".html", ".htm", ".xml", ".rss", ".atom"]
        .iter()
        .any(|ext| lower.ends_with(ext));
    if prose {
        (global.max_document_size, Cap::Document)
    } else {
        (
            global.max_file_size.max(global.max_document_size),
            Cap::File,
        )
    }
}

/// One line of a line-oriented input (JSON Lines), read without holding more than
/// `limit` bytes of it.
pub enum Line {
    /// The line, without its `\n`, in the buffer.
    Read,
    /// The line was longer than the limit; the rest of it was skipped.
    TooLong,
    End,
}

/// Reads the next line into `buf` (cleared first), at most `limit` bytes of it; a
/// longer line is skipped to its end and reported as [`Line::TooLong`].
pub fn read_line_capped(
    input: &mut impl std::io::BufRead,
    buf: &mut Vec<u8>,
    limit: u64,
) -> std::io::Result<Line> {
    use std::io::{BufRead, Read};
    buf.clear();
    let read = input.by_ref().take(limit + 1).read_until(b'\n', buf)?;
    if read == 0 {
        return Ok(Line::End);
    }
    if buf.last() == Some(&b'\n') {
        buf.pop();
        return Ok(Line::Read);
    }
    if (buf.len() as u64) <= limit {
        // The last line, without a final line break.
        return Ok(Line::Read);
    }
    buf.clear();
    loop {
        let chunk = input.fill_buf()?;
        if chunk.is_empty() {
            return Ok(Line::TooLong);
        }
        if let Some(at) = memchr_newline(chunk) {
            input.consume(at + 1);
            return Ok(Line::TooLong);
        }
        let length = chunk.len();
        input.consume(length);
    }
}

fn memchr_newline(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'\n')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue_13_long_lines_are_skipped_not_held() {
        let long = "x".repeat(10_000);
        let text = format!("short\n{long}\nafter");
        let mut input = std::io::BufReader::with_capacity(64, text.as_bytes());
        let mut buf = Vec::new();
        assert!(matches!(
            read_line_capped(&mut input, &mut buf, 100).unwrap(),
            Line::Read
        ));
        assert_eq!(buf, b"short");
        assert!(matches!(
            read_line_capped(&mut input, &mut buf, 100).unwrap(),
            Line::TooLong
        ));
        assert!(buf.is_empty());
        assert!(matches!(
            read_line_capped(&mut input, &mut buf, 100).unwrap(),
            Line::Read
        ));
        assert_eq!(buf, b"after");
        assert!(matches!(
            read_line_capped(&mut input, &mut buf, 100).unwrap(),
            Line::End
        ));
    }
}
