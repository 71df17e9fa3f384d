//! Content addresses of rows.
//!
//! `Source.id` is the lowercase hex BLAKE3 hash of
//! `blake3(kind ‖ 0x00 ‖ row text) ‖ occurrence` (the inner hash as 32 bytes, the
//! occurrence as a little-endian `u64`), where `row text` is the row as decoded text,
//! verbatim (without its line terminator), and `occurrence` counts identical rows of the
//! same kind earlier in the same file. So re-ingesting a file gives the same ids, while
//! two identical rows in one file (two gatherings a curator entered alike) stay
//! distinct.
//!
//! The decoded text is hashed rather than the undecoded bytes, so a Windows-1252 file
//! and its UTF-8 re-save, or a file with and without a byte-order mark, address the same
//! rows: they say the same thing.

use tally_model::{SourceId, SourceKind};

/// Counts occurrences of rows within one file and hands out their ids.
#[derive(Debug, Default)]
pub struct RowIdentities {
    /// Keyed by a hash already: a fast hasher does (issue 12: SipHash over 32 bytes was
    /// most of the time the reader spent giving out ids).
    seen: rustc_hash::FxHashMap<[u8; 32], u64>,
}

impl RowIdentities {
    pub fn new() -> RowIdentities {
        RowIdentities::default()
    }

    /// The id of the next row with this kind and text.
    pub fn next_id(&mut self, kind: SourceKind, row: &str) -> SourceId {
        self.assign(&content_hash(kind, row))
    }

    /// The id of the next row whose [`content_hash`] is `content`.
    pub fn assign(&mut self, content: &[u8; 32]) -> SourceId {
        let occurrence = self.seen.entry(*content).or_insert(0);
        let id = row_address(content, *occurrence);
        *occurrence += 1;
        id
    }
}

/// `blake3(kind ‖ 0x00 ‖ row text)`: what identical rows share.
pub fn content_hash(kind: SourceKind, row: &str) -> [u8; 32] {
    let mut hasher = blake3::Hasher::new();
    hasher.update(kind.as_str().as_bytes());
    hasher.update(&[0]);
    hasher.update(row.as_bytes());
    *hasher.finalize().as_bytes()
}

/// The id of the `occurrence`-th (from 0) row of a file whose [`content_hash`] is
/// `content`: what `tally verify` recomputes.
pub fn row_address(content: &[u8; 32], occurrence: u64) -> SourceId {
    let mut hasher = blake3::Hasher::new();
    hasher.update(content);
    hasher.update(&occurrence.to_le_bytes());
    SourceId(hasher.finalize().to_hex().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_rows_get_distinct_stable_ids() {
        let mut first = RowIdentities::new();
        let a = first.next_id(SourceKind::SheetRow, "Boise, ID,100");
        let b = first.next_id(SourceKind::SheetRow, "Boise, ID,100");
        let c = first.next_id(SourceKind::DatasetRow, "Boise, ID,100");
        assert_ne!(a, b);
        assert_ne!(a, c);
        let mut again = RowIdentities::new();
        assert_eq!(again.next_id(SourceKind::SheetRow, "Boise, ID,100"), a);
        assert_eq!(again.next_id(SourceKind::SheetRow, "Boise, ID,100"), b);
        assert_eq!(a.0.len(), 64);
        assert!(a
            .0
            .bytes()
            .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c)));
    }
}
