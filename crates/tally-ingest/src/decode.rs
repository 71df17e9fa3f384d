//! Decoding: UTF-8 (with or without a byte-order mark) or Windows-1252.
//!
//! Real files are both: spreadsheets exported on Windows write Windows-1252 (a superset
//! of Latin-1 for printable text). A file that is valid UTF-8 is read as UTF-8; any other
//! file is decoded as Windows-1252, which maps every byte to a character, so decoding
//! never fails and never mangles.

use std::borrow::Cow;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// The offset of the first byte in the first 64 KiB that marks a binary file: NUL or
/// another control character that is not white space. Text in any of the encodings
/// read here never holds one; a spreadsheet saved as .xlsx or a PDF always does.
pub(crate) fn binary_byte(bytes: &[u8]) -> Option<usize> {
    bytes
        .iter()
        .take(64 * 1024)
        .position(|&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C))
}

/// A file's text, the encoding it was read in, and the lines where bytes that were not
/// valid UTF-8 were replaced.
pub(crate) struct Decoded<'a> {
    pub text: Cow<'a, str>,
    pub encoding: &'static str,
    /// 1-based lines holding invalid bytes, each replaced by U+FFFD in that line only.
    pub replaced_lines: Vec<usize>,
}

/// The file's text without a byte-order mark, and the name of the encoding read.
///
/// A file that is valid UTF-8 is borrowed as is. A file with invalid sequences is read
/// as UTF-8 with each invalid sequence replaced (and its line reported) when it also
/// holds valid multi-byte UTF-8 characters at least as often as invalid sequences: one
/// stray byte must not re-decode "No Kings ✊" everywhere else as mojibake. A file with
/// no valid multi-byte character is Windows-1252, as spreadsheets on Windows write it.
pub(crate) fn decode(bytes: &[u8]) -> Decoded<'_> {
    let body = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    let first_error = match std::str::from_utf8(body) {
        Ok(text) => {
            return Decoded {
                text: Cow::Borrowed(text),
                encoding: "utf-8",
                replaced_lines: Vec::new(),
            }
        }
        Err(error) => error,
    };
    let (valid_multibyte, invalid) = count_sequences(body, first_error.valid_up_to());
    if valid_multibyte == 0 || invalid > valid_multibyte {
        let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(body);
        return Decoded {
            text,
            encoding: "windows-1252",
            replaced_lines: Vec::new(),
        };
    }
    let mut text = String::with_capacity(body.len() + 16);
    let mut replaced_lines = Vec::new();
    let (mut rest, mut line) = (body, 1usize);
    loop {
        match std::str::from_utf8(rest) {
            Ok(valid) => {
                text.push_str(valid);
                break;
            }
            Err(error) => {
                let (valid, after) = rest.split_at(error.valid_up_to());
                let valid = std::str::from_utf8(valid).expect("checked by valid_up_to");
                text.push_str(valid);
                line += memchr::memchr_iter(b'\n', valid.as_bytes()).count();
                if replaced_lines.last() != Some(&line) {
                    replaced_lines.push(line);
                }
                text.push(char::REPLACEMENT_CHARACTER);
                let skip = error.error_len().unwrap_or(after.len());
                rest = &after[skip..];
            }
        }
    }
    Decoded {
        text: Cow::Owned(text),
        encoding: "utf-8",
        replaced_lines,
    }
}

/// Counts valid multi-byte UTF-8 characters and invalid sequences from `start` (the
/// end of the valid prefix, whose own multi-byte characters are counted too).
fn count_sequences(body: &[u8], start: usize) -> (usize, usize) {
    let lead_bytes = |valid: &[u8]| valid.iter().filter(|&&b| b >= 0xC0).count();
    let mut valid_multibyte = lead_bytes(&body[..start]);
    let mut invalid = 0;
    let mut rest = &body[start..];
    loop {
        match std::str::from_utf8(rest) {
            Ok(valid) => {
                valid_multibyte += lead_bytes(valid.as_bytes());
                return (valid_multibyte, invalid);
            }
            Err(error) => {
                valid_multibyte += lead_bytes(&rest[..error.valid_up_to()]);
                invalid += 1;
                let skip = error
                    .error_len()
                    .unwrap_or(rest.len() - error.valid_up_to());
                rest = &rest[error.valid_up_to() + skip..];
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_is_stripped_and_utf8_borrowed() {
        let Decoded { text, encoding, .. } = decode(b"\xEF\xBB\xBFdate,locality\n");
        assert_eq!(text, "date,locality\n");
        assert_eq!(encoding, "utf-8");
        assert!(matches!(text, Cow::Borrowed(_)));
    }

    #[test]
    fn latin1_bytes_are_decoded_not_mangled() {
        let Decoded { text, encoding, .. } = decode(b"Espa\xF1ola,NM,\x93quoted\x94\n");
        assert_eq!(text, "Espa\u{f1}ola,NM,\u{201c}quoted\u{201d}\n");
        assert_eq!(encoding, "windows-1252");
    }

    #[test]
    fn issue_13_one_bad_byte_is_replaced_in_its_line_only() {
        let file = "title,place\nNo Kings \u{270a},Boise\nBad \u{FF} here,Salem\nCaf\u{e9},Bend\n"
            .replace('\u{FF}', "\u{1}");
        let mut bytes = file.into_bytes();
        let at = bytes.iter().position(|&b| b == 1).unwrap();
        bytes[at] = 0xFF;
        let decoded = decode(&bytes);
        assert_eq!(decoded.encoding, "utf-8");
        assert_eq!(decoded.replaced_lines, vec![3]);
        assert_eq!(
            decoded.text,
            "title,place\nNo Kings \u{270a},Boise\nBad \u{FFFD} here,Salem\nCaf\u{e9},Bend\n"
        );
        // A file of Windows-1252 bytes only is still read as Windows-1252.
        let latin = decode(b"a\n\xE9t\xE9\nna\xEFve\n");
        assert_eq!(latin.encoding, "windows-1252");
        assert_eq!(latin.text, "a\n\u{e9}t\u{e9}\nna\u{ef}ve\n");
        assert!(latin.replaced_lines.is_empty());
    }

    #[test]
    fn binary_files_are_told_by_control_bytes() {
        assert_eq!(
            binary_byte(b"date,place\r\n2025-06-14,\"Boise\tID\"\n"),
            None
        );
        assert_eq!(binary_byte(b"PK\x03\x04 spreadsheet"), Some(2));
        assert_eq!(binary_byte(b"Espa\xF1ola,NM\n"), None);
    }
}
