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
    /// most of the time the reader spent giving out ids). The key is the first 16 bytes
    /// of the row's content hash, itself a 128-bit hash: two different rows share it
    /// with a chance of about n²/2¹²⁹ (10⁻²⁷ for a million rows), and a million rows'
    /// table takes 48 MB instead of 80 (issue 12: memory).
    seen: rustc_hash::FxHashMap<[u8; 16], u64>,
}

impl RowIdentities {
    pub fn new() -> RowIdentities {
        RowIdentities::default()
    }

    /// Room for the ids of about `rows` rows: a table grown by doubling holds the old
    /// table and the new one at once, and the last doubling of a million rows' table
    /// came near the end of the file, at the ingest's peak of memory (issue 12: 40 MB
    /// on top of it).
    pub fn with_capacity(rows: usize) -> RowIdentities {
        RowIdentities {
            seen: rustc_hash::FxHashMap::with_capacity_and_hasher(rows, Default::default()),
        }
    }

    /// The id of the next row with this kind and text.
    pub fn next_id(&mut self, kind: SourceKind, row: &str) -> SourceId {
        self.assign(&content_hash(kind, row))
    }

    /// The id of the next row whose [`content_hash`] is `content`.
    pub fn assign(&mut self, content: &[u8; 32]) -> SourceId {
        let key: [u8; 16] = content[..16].try_into().expect("16 of the 32 bytes");
        let occurrence = self.seen.entry(key).or_insert(0);
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
    // The 40 bytes hashed in one call rather than through an incremental hasher (issue
    // 12: about 400 instructions a row less, on every row of an ingest); BLAKE3 hashes
    // the bytes, however they are handed over.
    let mut input = [0u8; 40];
    input[..32].copy_from_slice(content);
    input[32..].copy_from_slice(&occurrence.to_le_bytes());
    SourceId(blake3::hash(&input).to_hex().as_str().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 12: ids given from a table made with room for the rows (and keyed by half
    /// of each content hash) are `row_address(content, k)` for the k-th row of a text,
    /// as `tally verify` recomputes them.
    #[test]
    fn issue_12_ids_from_a_sized_table_count_each_text_apart() {
        let mut identities = RowIdentities::with_capacity(64);
        let mut counts = std::collections::HashMap::new();
        for n in 0..300u64 {
            let row = format!("Town {},ST,{}", n % 37, n % 37 % 5);
            let k = counts.entry(row.clone()).or_insert(0u64);
            let expected = row_address(&content_hash(SourceKind::DatasetRow, &row), *k);
            *k += 1;
            assert_eq!(identities.next_id(SourceKind::DatasetRow, &row), expected);
        }
        assert!(counts.values().all(|&k| k > 1), "every text repeats");
    }

    /// Issue 12: the address hashed in one call is the hash of the content's 32 bytes
    /// followed by the occurrence's 8, as the module says (and as ledgers hold it).
    #[test]
    fn issue_12_row_address_is_the_hash_of_content_then_occurrence() {
        for (text, occurrence) in [("", 0u64), ("Boise, ID,100", 1), ("Town 3,ST,3", u64::MAX)] {
            let content = content_hash(SourceKind::DatasetRow, text);
            let mut hasher = blake3::Hasher::new();
            hasher.update(&content);
            hasher.update(&occurrence.to_le_bytes());
            assert_eq!(
                row_address(&content, occurrence).0,
                hasher.finalize().to_hex().as_str()
            );
        }
        // One address pinned, so that a change of the hash's input shows here.
        assert_eq!(
            row_address(&content_hash(SourceKind::SheetRow, "Boise, ID,100"), 0).0,
            "3530d9587900b088e59a22cb0d35f5cf2db42c98c5345403ed1fd7ce95e56ee5"
        );
    }

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
