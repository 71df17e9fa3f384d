//! Bounded typo search: places whose key is within a small edit distance of the input
//! ("san fransisco" → "san francisco"), searched only after exact and alias lookups
//! fail, and only among names that share the first letter and nearly the same letters.

use rustc_hash::FxHashMap as FastMap;
use tally_model::StateCode;

/// The largest edit distance accepted for a key of this length: none for short keys,
/// where one edit turns a name into another real name.
pub fn max_distance(len: usize) -> usize {
    match len {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    }
}

/// A bit per letter or digit present in a key. One edit changes at most two bits, so
/// keys whose signatures differ in more than `2 * d` bits are more than `d` edits apart.
fn signature(key: &str) -> u64 {
    key.bytes().fold(0u64, |sig, b| match b {
        b'a'..=b'z' => sig | 1 << (b - b'a'),
        b'0'..=b'9' => sig | 1 << (26 + b - b'0'),
        _ => sig | 1 << 40,
    })
}

#[derive(Debug)]
struct Entry {
    /// The key's byte range in the index's arena.
    start: u32,
    len: u32,
    signature: u64,
    place: u32,
}

/// Place keys bucketed by state and first byte. The keys live in one arena string
/// rather than one allocation each, which keeps the gazetteer's load time down.
#[derive(Debug, Default)]
pub struct FuzzyIndex {
    arena: String,
    buckets: FastMap<(StateCode, u8), Vec<Entry>>,
    states: Vec<StateCode>,
}

impl FuzzyIndex {
    pub fn add(&mut self, state: StateCode, key: &str, place: u32) {
        let Some(&first) = key.as_bytes().first() else {
            return;
        };
        let start = self.arena.len() as u32;
        self.arena.push_str(key);
        self.buckets.entry((state, first)).or_default().push(Entry {
            start,
            len: key.len() as u32,
            signature: signature(key),
            place,
        });
    }

    pub fn finish(&mut self) {
        let mut states: Vec<StateCode> = self.buckets.keys().map(|(s, _)| *s).collect();
        states.sort();
        states.dedup();
        self.states = states;
    }

    /// Every place within the distance bound of `key`, with its distance, in `state`
    /// or anywhere when no state is given.
    pub fn search(&self, key: &str, state: Option<StateCode>) -> Vec<(u32, usize)> {
        let limit = max_distance(key.len());
        let mut found = Vec::new();
        let Some(&first) = key.as_bytes().first() else {
            return found;
        };
        if limit == 0 {
            return found;
        }
        let wanted = signature(key);
        let mut scan = |state: StateCode| {
            let Some(bucket) = self.buckets.get(&(state, first)) else {
                return;
            };
            for entry in bucket {
                if (entry.len as usize).abs_diff(key.len()) > limit
                    || (entry.signature ^ wanted).count_ones() as usize > 2 * limit
                {
                    continue;
                }
                let start = entry.start as usize;
                let candidate = &self.arena.as_bytes()[start..start + entry.len as usize];
                if let Some(d) = bounded_distance(key.as_bytes(), candidate, limit) {
                    found.push((entry.place, d));
                }
            }
        };
        match state {
            Some(s) => scan(s),
            None => self.states.iter().for_each(|&s| scan(s)),
        }
        found
    }
}

/// The optimal-string-alignment distance (edits plus adjacent transpositions) between
/// `a` and `b`, or `None` when it exceeds `limit`.
pub fn bounded_distance(a: &[u8], b: &[u8], limit: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    let width = b.len() + 1;
    let mut before: Vec<usize> = vec![0; width];
    let mut previous: Vec<usize> = (0..width).collect();
    let mut current: Vec<usize> = vec![0; width];
    for i in 1..=a.len() {
        current[0] = i;
        let mut row_min = current[0];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut value = (previous[j] + 1)
                .min(current[j - 1] + 1)
                .min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                value = value.min(before[j - 2] + 1);
            }
            current[j] = value;
            row_min = row_min.min(value);
        }
        if row_min > limit {
            return None;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    let distance = previous[b.len()];
    (distance <= limit).then_some(distance)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_counts_edits_and_transpositions() {
        let d = |a: &str, b: &str| bounded_distance(a.as_bytes(), b.as_bytes(), 2);
        assert_eq!(d("san fransisco", "san francisco"), Some(1));
        assert_eq!(d("fredricksburg", "fredericksburg"), Some(1));
        assert_eq!(d("chicgao", "chicago"), Some(1));
        assert_eq!(d("boston", "boston"), Some(0));
        assert_eq!(d("boston", "austin"), None);
        assert_eq!(d("", "ab"), Some(2));
    }

    #[test]
    fn short_keys_are_never_fuzzy() {
        assert_eq!(max_distance(4), 0);
        assert_eq!(max_distance(6), 1);
        assert_eq!(max_distance(13), 2);
    }
}
