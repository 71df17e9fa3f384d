// The hash of the lexicon's word table, shared by `build.rs` (which lays the table out)
// and `lexicon.rs` (which looks words up in it): one file, so the two cannot differ.

/// A hash of a word's bytes, with no copy: a short word is read as two overlapping
/// four-byte loads (or three single bytes), a long one eight bytes at a time with its
/// last eight bytes read again. Not DoS-resistant; the table holds our own words, and
/// every hit is checked against the word itself.
#[inline]
pub fn word_hash(w: &[u8]) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let n = w.len();
    let mut h = (n as u64).wrapping_mul(K);
    let v = if n >= 8 {
        let mut at = 0;
        while at + 8 < n {
            let chunk = u64::from_le_bytes(w[at..at + 8].try_into().unwrap_or([0; 8]));
            h = (h ^ chunk).wrapping_mul(K).rotate_left(23);
            at += 8;
        }
        u64::from_le_bytes(w[n - 8..].try_into().unwrap_or([0; 8]))
    } else if n >= 4 {
        let a = u32::from_le_bytes(w[..4].try_into().unwrap_or([0; 4]));
        let b = u32::from_le_bytes(w[n - 4..].try_into().unwrap_or([0; 4]));
        u64::from(a) | u64::from(b) << 32
    } else if n > 0 {
        u64::from(w[0]) | u64::from(w[n / 2]) << 8 | u64::from(w[n - 1]) << 16
    } else {
        0
    };
    h = (h ^ v).wrapping_mul(K);
    h ^ (h >> 29)
}
