//! Decoding: UTF-8 (with or without a byte-order mark) or Windows-1252.
//!
//! Real files are both: spreadsheets exported on Windows write Windows-1252 (a superset
//! of Latin-1 for printable text). A file that is valid UTF-8 is read as UTF-8; any other
//! file is decoded as Windows-1252, which maps every byte to a character, so decoding
//! never fails and never mangles.

use std::borrow::Cow;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

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
}
