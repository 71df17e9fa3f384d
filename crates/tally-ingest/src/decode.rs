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

/// The file's text without a byte-order mark, and the name of the encoding read.
pub(crate) fn decode(bytes: &[u8]) -> (Cow<'_, str>, &'static str) {
    let body = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    match std::str::from_utf8(body) {
        Ok(text) => (Cow::Borrowed(text), "utf-8"),
        Err(_) => {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(body);
            (text, "windows-1252")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_is_stripped_and_utf8_borrowed() {
        let (text, encoding) = decode(b"\xEF\xBB\xBFdate,locality\n");
        assert_eq!(text, "date,locality\n");
        assert_eq!(encoding, "utf-8");
        assert!(matches!(text, Cow::Borrowed(_)));
    }

    #[test]
    fn latin1_bytes_are_decoded_not_mangled() {
        let (text, encoding) = decode(b"Espa\xF1ola,NM,\x93quoted\x94\n");
        assert_eq!(text, "Espa\u{f1}ola,NM,\u{201c}quoted\u{201d}\n");
        assert_eq!(encoding, "windows-1252");
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
