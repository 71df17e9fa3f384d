//! Size caps on input, and a reader that holds them while it reads.
//!
//! Files are read through [`read_capped`], which stops one byte past the cap instead of
//! reading to the end, so memory stays bounded by the cap whatever the input is (a
//! 200 MB article, `/dev/zero`, an endless pipe). The first 64 KiB are checked for
//! binary bytes before the rest is read, so a binary stream fails at once.

use crate::IngestError;
use std::io::Read;

/// The default cap on a table file (dataset, sheet, reports CSV): 256 MiB, about twice
/// the largest published dataset file. Reading a file takes several times its size in
/// memory, so the cap keeps a run well within a small machine.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 256 << 20;

/// The default cap on one document of prose (an article, an HTML page, a feed): 16 MiB.
pub const DEFAULT_MAX_DOCUMENT_BYTES: u64 = 16 << 20;

/// The caps in force, with the flag and environment variable that set each, for
/// messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InputLimits {
    /// The most bytes a table file may hold.
    pub max_file_bytes: u64,
    /// The most bytes a document of prose may hold.
    pub max_document_bytes: u64,
}

impl Default for InputLimits {
    fn default() -> Self {
        InputLimits {
            max_file_bytes: DEFAULT_MAX_FILE_BYTES,
            max_document_bytes: DEFAULT_MAX_DOCUMENT_BYTES,
        }
    }
}

/// What a cap is called on the command line, for the message that names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cap {
    File,
    Document,
}

impl Cap {
    pub fn flag(self) -> &'static str {
        match self {
            Cap::File => "--max-file-size (or TALLY_MAX_FILE_SIZE)",
            Cap::Document => "--max-document-size (or TALLY_MAX_DOCUMENT_SIZE)",
        }
    }

    pub fn noun(self) -> &'static str {
        match self {
            Cap::File => "file",
            Cap::Document => "document",
        }
    }
}

/// How many leading bytes are checked for binary content before the rest is read.
const SNIFF_BYTES: usize = 64 * 1024;

/// Reads at most `limit` bytes from `reader`. More than that is an error naming the
/// cap and how to raise it; a NUL or other control byte in the first 64 KiB is an error
/// before anything more is read.
pub fn read_capped(
    origin: &str,
    reader: impl Read,
    limit: u64,
    cap: Cap,
) -> Result<Vec<u8>, IngestError> {
    read_capped_sized(origin, reader, limit, cap, 0)
}

/// [`read_capped`] of a source whose size is known to be about `expected` bytes (a
/// file's length): the bytes are read into room made for them once, rather than into a
/// buffer grown by doubling, which copies a large file several times over (issue 12).
pub fn read_capped_sized(
    origin: &str,
    reader: impl Read,
    limit: u64,
    cap: Cap,
    expected: u64,
) -> Result<Vec<u8>, IngestError> {
    let io = |error: std::io::Error| IngestError::Io {
        origin: origin.to_string(),
        message: error.to_string(),
    };
    let mut reader = reader.take(limit.saturating_add(1));
    let mut bytes =
        Vec::with_capacity(SNIFF_BYTES.min(usize::try_from(limit).unwrap_or(usize::MAX)));
    (&mut reader)
        .take(SNIFF_BYTES as u64)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if let Some(offset) = crate::decode::binary_byte(&bytes) {
        return Err(IngestError::Binary {
            origin: origin.to_string(),
            offset,
        });
    }
    let room = usize::try_from(expected.min(limit)).unwrap_or(0);
    bytes.reserve_exact(room.saturating_sub(bytes.len()));
    reader.read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(origin, limit, cap));
    }
    Ok(bytes)
}

/// The error for input over its cap.
pub fn too_large(origin: &str, limit: u64, cap: Cap) -> IngestError {
    IngestError::TooLarge {
        origin: origin.to_string(),
        what: cap.noun(),
        limit: format_bytes(limit),
        flag: cap.flag(),
    }
}

/// Reads a size such as `256MiB`, `64M`, `1G`, `500k` or `1000` (bytes). Units are
/// binary (K = 1024).
pub fn parse_byte_size(text: &str) -> Result<u64, String> {
    let lower = text.trim().to_ascii_lowercase();
    let digits_end = lower
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(lower.len());
    let (digits, unit) = lower.split_at(digits_end);
    let value: u64 = digits
        .parse()
        .map_err(|_| format!("{text:?} is not a size; expected e.g. 256MiB, 64M or 1000"))?;
    let shift = match unit.trim() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        _ => return Err(format!("{text:?} has an unknown unit; use K, M or G")),
    };
    value
        .checked_mul(1 << shift)
        .ok_or_else(|| format!("{text:?} is too large"))
}

/// `268435456` → `"256 MiB (268435456 bytes)"`.
pub fn format_bytes(bytes: u64) -> String {
    let units = [(30, "GiB"), (20, "MiB"), (10, "KiB")];
    for (shift, unit) in units {
        if bytes >= 1 << shift && bytes.is_multiple_of(1 << shift) {
            return format!("{} {unit} ({bytes} bytes)", bytes >> shift);
        }
    }
    format!("{bytes} bytes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue_13_caps_hold_while_reading() {
        let small = read_capped("a.csv", &b"a,b\n1,2\n"[..], 100, Cap::File).unwrap();
        assert_eq!(small, b"a,b\n1,2\n");
        let exact = read_capped("a.csv", &[b'x'; 100][..], 100, Cap::File).unwrap();
        assert_eq!(exact.len(), 100);
        // An endless stream stops one byte past the cap.
        let endless = std::io::repeat(b'x');
        let error = read_capped("big.csv", endless, 1 << 20, Cap::File).unwrap_err();
        assert_eq!(
            error.to_string(),
            "big.csv: the file is larger than the limit of 1 MiB (1048576 bytes); raise it with --max-file-size (or TALLY_MAX_FILE_SIZE)"
        );
        // An endless stream of NUL bytes fails on its first 64 KiB.
        let zeros = std::io::repeat(0);
        let error = read_capped("/dev/zero", zeros, u64::MAX, Cap::File).unwrap_err();
        assert!(
            matches!(error, IngestError::Binary { offset: 0, .. }),
            "{error}"
        );
    }

    #[test]
    fn issue_12_a_file_of_known_size_is_read_into_room_made_once() {
        let text = vec![b'x'; 200_000];
        let read = read_capped_sized("a.csv", &text[..], 1 << 20, Cap::File, 200_000).unwrap();
        assert_eq!(read, text);
        assert_eq!(
            read.capacity(),
            200_000,
            "the buffer was grown while reading"
        );
        // A size that was wrong (the file grew) still reads it all, and the cap holds.
        let read = read_capped_sized("a.csv", &text[..], 1 << 20, Cap::File, 1000).unwrap();
        assert_eq!(read, text);
        let error = read_capped_sized("a.csv", &text[..], 1000, Cap::File, 200_000).unwrap_err();
        assert!(matches!(error, IngestError::TooLarge { .. }), "{error}");
    }

    #[test]
    fn byte_sizes_parse_with_units() {
        assert_eq!(parse_byte_size("1000"), Ok(1000));
        assert_eq!(parse_byte_size("64M"), Ok(64 << 20));
        assert_eq!(parse_byte_size("256MiB"), Ok(256 << 20));
        assert_eq!(parse_byte_size("1 GB"), Ok(1 << 30));
        assert!(parse_byte_size("lots").is_err());
        assert!(parse_byte_size("5T").is_err());
        assert!(parse_byte_size("99999999999999G").is_err());
        assert_eq!(format_bytes(16 << 20), "16 MiB (16777216 bytes)");
        assert_eq!(format_bytes(1000), "1000 bytes");
    }
}
