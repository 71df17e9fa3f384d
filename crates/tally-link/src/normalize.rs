//! Normalized keys for linking: places, titles and kinds of gathering.
//!
//! These functions decide what "the same place" and "a compatible title" mean. They are
//! deliberately plain (lowercase, punctuation out, a few abbreviations expanded) so that a
//! reviewer can predict them; the geocoder does the hard work of resolving place names.

use std::collections::BTreeSet;
use std::fmt;
use tally_model::{Confidence, Date, Place, Report};

/// Lowercase ASCII words, punctuation removed, common abbreviations expanded
/// ("St." → "saint", "Ft" → "fort", "Mt" → "mount").
pub fn normalize_words(text: &str) -> Vec<String> {
    words(text)
        .map(|w| {
            let lower = w.to_lowercase();
            match expanded(&lower) {
                Some(long) => long.to_string(),
                None => lower,
            }
        })
        .collect()
}

/// Writes [`normalize_words`] joined by single spaces, without making a string per
/// word: the place keys of linking are written this way, straight into a hash or into
/// one string.
pub fn write_normalized_words<W: fmt::Write>(text: &str, out: &mut W) -> fmt::Result {
    for (i, word) in words(text).enumerate() {
        if i > 0 {
            out.write_char(' ')?;
        }
        if word.is_ascii() {
            match expanded_ascii(word) {
                Some(long) => out.write_str(long)?,
                None => {
                    for byte in word.bytes() {
                        out.write_char(char::from(byte.to_ascii_lowercase()))?;
                    }
                }
            }
        } else {
            // Rare: Unicode lowercasing depends on context (a final sigma), so the
            // word is lowercased whole, as `normalize_words` does.
            let lower = word.to_lowercase();
            out.write_str(expanded(&lower).unwrap_or(&lower))?;
        }
    }
    Ok(())
}

fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// [`expanded`] of an ASCII word in any case.
fn expanded_ascii(word: &str) -> Option<&'static str> {
    match word.as_bytes() {
        &[a, b] => {
            let lower = [a.to_ascii_lowercase(), b.to_ascii_lowercase()];
            expanded(std::str::from_utf8(&lower).ok()?)
        }
        _ => None,
    }
}

/// The long form of an abbreviation the normalizer expands, given a lowercase word.
fn expanded(lower: &str) -> Option<&'static str> {
    match lower {
        "st" => Some("saint"),
        "ft" => Some("fort"),
        "mt" => Some("mount"),
        _ => None,
    }
}

/// The place key of a report: `STATE|normalized locality`. The resolved locality wins
/// over the source's own locality column, which wins over the raw text before its first
/// comma. Online events share one key per state (or `online` when no state is known).
pub fn place_key(place: &Place) -> String {
    let state = place.best_state().map(|s| s.as_str()).unwrap_or("");
    if place.online {
        return format!("{state}|online");
    }
    let locality = place
        .best_locality()
        .map(str::to_string)
        .unwrap_or_else(|| place.raw.split(',').next().unwrap_or("").to_string());
    format!("{state}|{}", normalize_words(&locality).join(" "))
}

/// Coordinates usable for "nearby": only when the place resolved to a locality, never a
/// state centroid (which would make every state-only report "near" every other).
pub fn point(place: &Place) -> Option<(f64, f64)> {
    let resolved = place.resolved.as_ref()?;
    if matches!(resolved.confidence, Confidence::State | Confidence::None) {
        return None;
    }
    resolved.locality.as_ref()?;
    let (lat, lon) = (resolved.lat?, resolved.lon?);
    (lat.is_finite() && lon.is_finite()).then_some((lat, lon))
}

/// Great-circle distance in kilometres (haversine).
pub fn distance_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (lat1, lon1) = (a.0.to_radians(), a.1.to_radians());
    let (lat2, lon2) = (b.0.to_radians(), b.1.to_radians());
    let h = ((lat2 - lat1) / 2.0).sin().powi(2)
        + lat1.cos() * lat2.cos() * ((lon2 - lon1) / 2.0).sin().powi(2);
    2.0 * 6371.0088 * h.sqrt().min(1.0).asin()
}

/// Words that say what kind of gathering it was rather than which one, so "No Kings
/// protest" and "No Kings rally" name the same gathering.
const GENERIC_TITLE_WORDS: &[&str] = &[
    "a",
    "an",
    "and",
    "at",
    "day",
    "demonstration",
    "demonstrations",
    "event",
    "events",
    "for",
    "in",
    "of",
    "on",
    "protest",
    "protests",
    "rally",
    "rallies",
    "march",
    "marches",
    "the",
    "to",
];

/// The significant words of a title; empty when the title only says "protest".
pub fn title_tokens(title: Option<&str>) -> BTreeSet<String> {
    title
        .map(normalize_words)
        .unwrap_or_default()
        .into_iter()
        .filter(|w| !GENERIC_TITLE_WORDS.contains(&w.as_str()))
        .collect()
}

/// Two titles name the same gathering when one's words contain the other's, or when they
/// share at least half of their words together (Jaccard ≥ 0.5). Empty titles are handled
/// by the caller (an untitled report is compatible with anything).
pub fn titles_compatible(a: &BTreeSet<String>, b: &BTreeSet<String>) -> bool {
    word_counts_compatible(a.intersection(b).count(), a.len(), b.len())
}

/// [`titles_compatible`] from how many words two titles share and how many each has:
/// the words of one contain the other's (they share all of the shorter one's), or the
/// shared words are at least half of all their words together.
pub(crate) fn word_counts_compatible(shared: usize, a: usize, b: usize) -> bool {
    shared == a.min(b) || shared * 2 >= a + b - shared
}

/// The distinct kind of gathering a title names in so many words: a parade, a vigil, a
/// strike or a counter-protest. These are other gatherings than the protests of the same
/// day and town, even when their titles share a phrase ("Boston Pride parade with a No
/// Kings contingent" is a parade, not the No Kings rally). `None` when the title names no
/// such kind (protests, marches and rallies are one family; "Spokane Pride / No Kings" is
/// a combined protest).
pub fn title_kind(title: Option<&str>) -> Option<&'static str> {
    let words = normalize_words(title?);
    let has = |stems: &[&str]| words.iter().any(|w| stems.iter().any(|s| w.starts_with(s)));
    if has(&["counterprotest", "counterdemonstrat", "counterrall"])
        || words.windows(2).any(|w| w[0] == "counter")
    {
        Some("counter-protest")
    } else if has(&["parade"]) {
        Some("parade")
    } else if has(&["vigil"]) {
        Some("vigil")
    } else if has(&["strike", "walkout"]) {
        Some("strike")
    } else {
        None
    }
}

/// The family of a gathering's type: protests, marches, rallies and demonstrations are one
/// family (the same gathering is called all of these); parades, strikes, vigils and
/// counter-protests are their own. `None` when the report gives no type.
pub fn type_family(event_type: Option<&str>) -> Option<String> {
    let t = event_type?.trim().to_lowercase();
    if t.is_empty() {
        return None;
    }
    let family = if t.contains("counter") {
        "counter-protest"
    } else if t.contains("parade") {
        "parade"
    } else if t.contains("strike") || t.contains("walkout") {
        "strike"
    } else if t.contains("vigil") {
        "vigil"
    } else if [
        "protest",
        "march",
        "rally",
        "demonstration",
        "picket",
        "sit-in",
        "gathering",
    ]
    .iter()
    .any(|w| t.contains(w))
    {
        "protest"
    } else {
        return Some(t);
    };
    Some(family.to_string())
}

/// A stable 64-bit FNV-1a hash: the same bytes give the same value on every platform and
/// every run, which `std`'s hasher does not promise.
///
/// Deliberately not `rustc-hash` (issue 12): this value names things. Event ids are
/// `ev-` + `fnv1a` of the anchor report's fingerprint, and those ids are stored in the
/// ledger, appear in URLs and exports, and are pinned by tests; blocking keys decide
/// which reports meet. `rustc-hash` may change its output between versions, which would
/// rename every event. In-memory maps use `rustc-hash`; this function must keep its values.
pub fn fnv1a(parts: &[&[u8]]) -> u64 {
    let mut hash = Fnv1a::new();
    for part in parts {
        hash.write(part);
        hash.end_part();
    }
    hash.finish()
}

/// [`fnv1a`] written part by part, so that text can be hashed as it is formatted
/// (`write!(hash, "{date}")`) instead of being made into a string first:
/// writing each of `parts` and ending it gives `fnv1a(parts)`. A copy of an unfinished
/// hash continues on its own, so a shared prefix is hashed once.
#[derive(Debug, Clone, Copy)]
pub struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Self {
        Fnv1a::new()
    }
}

impl Fnv1a {
    pub fn new() -> Fnv1a {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }

    /// Adds bytes to the part being written.
    pub fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 ^= u64::from(*byte);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }

    /// Ends a part: a separator keeps ("ab", "c") apart from ("a", "bc").
    pub fn end_part(&mut self) {
        self.0 ^= 0xff;
        self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
    }

    /// Writes `bytes` as a whole part.
    pub fn part(mut self, bytes: &[u8]) -> Fnv1a {
        self.write(bytes);
        self.end_part();
        self
    }

    pub fn finish(self) -> u64 {
        self.0
    }
}

impl fmt::Write for Fnv1a {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        self.write(text.as_bytes());
        Ok(())
    }
}

/// The content that names a report for event ids: its source, day, place text, title,
/// location detail and figures. Independent of the ledger's numbering.
pub fn report_fingerprint(report: &Report) -> u64 {
    fingerprint_of(
        report.source_id.0.as_bytes(),
        report.date,
        &report.place.raw,
        report.title.as_deref(),
        report.location_detail.as_deref(),
        report.estimates.iter().map(|e| (e.low(), e.high())),
    )
}

/// [`report_fingerprint`] of a report given by its parts (issue 12: held reports are
/// named without being made whole): the source id's text, the day, the place text, the
/// title, the location detail and each estimate's low and high.
pub(crate) fn fingerprint_of(
    source: &[u8],
    date: Option<Date>,
    place_raw: &str,
    title: Option<&str>,
    location_detail: Option<&str>,
    estimates: impl Iterator<Item = (u64, u64)>,
) -> u64 {
    // Hashed as written, the same bytes as `fnv1a` over the formatted parts (`{date}`,
    // then `{low}-{high};` for each estimate), written without the formatting machinery
    // (issue 12: a small add into a large ledger names some 25,000 reports).
    let mut hash = Fnv1a::new().part(source);
    if let Some(date) = date {
        let mut day = [0u8; 16];
        hash.write(crate::linker::day_digits(date, &mut day));
    }
    hash.end_part();
    let mut hash = hash
        .part(place_raw.as_bytes())
        .part(title.unwrap_or("").as_bytes())
        .part(location_detail.unwrap_or("").as_bytes());
    let mut digits = itoa::Buffer::new();
    for (low, high) in estimates {
        hash.write(digits.format(low).as_bytes());
        hash.write(b"-");
        hash.write(digits.format(high).as_bytes());
        hash.write(b";");
    }
    hash.end_part();
    hash.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fmt::Write as _;

    /// Issue 12: a report's fingerprint (which names its events) hashes exactly the
    /// formatted text it hashed when written with `write!`: days of any year, and
    /// figures from none to the largest.
    #[test]
    fn issue_12_fingerprints_hash_the_formatted_parts() {
        let formatted = |date: Option<Date>, estimates: &[(u64, u64)]| {
            let mut hash = Fnv1a::new().part(b"source");
            if let Some(date) = date {
                write!(hash, "{date}").unwrap();
            }
            hash.end_part();
            let mut hash = hash.part(b"Austin, TX").part(b"No Kings").part(b"");
            for (low, high) in estimates {
                write!(hash, "{low}-{high};").unwrap();
            }
            hash.end_part();
            hash.finish()
        };
        let days = [
            None,
            Some(Date::from_ymd_opt(2025, 6, 14).unwrap()),
            Some(Date::from_ymd_opt(7, 1, 2).unwrap()),
            Some(Date::from_ymd_opt(10_000, 12, 31).unwrap()),
            Some(Date::from_ymd_opt(-44, 3, 15).unwrap()),
        ];
        let figures: [&[(u64, u64)]; 3] = [&[], &[(0, 9)], &[(10, 1_500), (u64::MAX, u64::MAX)]];
        for date in days {
            for estimates in figures {
                assert_eq!(
                    fingerprint_of(
                        b"source",
                        date,
                        "Austin, TX",
                        Some("No Kings"),
                        None,
                        estimates.iter().copied()
                    ),
                    formatted(date, estimates),
                    "{date:?} {estimates:?}"
                );
            }
        }
    }

    #[test]
    fn place_keys_ignore_case_punctuation_and_abbreviations() {
        let a = Place::from_parts(Some("St. Paul"), Some("MN".parse().unwrap()));
        let b = Place::from_parts(Some("saint paul"), Some("MN".parse().unwrap()));
        assert_eq!(place_key(&a), place_key(&b));
        assert_eq!(place_key(&a), "MN|saint paul");
        let c = Place::from_parts(
            Some("Highland Park (Los Angeles)"),
            Some("CA".parse().unwrap()),
        );
        assert_ne!(
            place_key(&c),
            place_key(&Place::from_parts(
                Some("Los Angeles"),
                Some("CA".parse().unwrap())
            ))
        );
    }

    #[test]
    fn generic_words_do_not_distinguish_titles() {
        let a = title_tokens(Some("No Kings protest"));
        let b = title_tokens(Some("No Kings Day rally"));
        assert_eq!(a, b);
        assert!(title_tokens(Some("Protest")).is_empty());
        let parade = title_tokens(Some("Military parade"));
        assert!(!titles_compatible(&a, &parade));
        let combined = title_tokens(Some("Spokane Pride / No Kings"));
        assert!(titles_compatible(&a, &combined));
    }

    #[test]
    fn type_families() {
        assert_eq!(type_family(Some("March")), Some("protest".into()));
        assert_eq!(type_family(Some("rally")), Some("protest".into()));
        assert_eq!(type_family(Some("military parade")), Some("parade".into()));
        assert_eq!(
            type_family(Some("counter-protest")),
            Some("counter-protest".into())
        );
        assert_eq!(type_family(Some(" ")), None);
        assert_eq!(type_family(None), None);
    }

    #[test]
    fn titles_name_their_kind_issue_8() {
        assert_eq!(
            title_kind(Some("Boston Pride parade with No Kings contingent")),
            Some("parade")
        );
        assert_eq!(title_kind(Some("Military parade")), Some("parade"));
        assert_eq!(
            title_kind(Some("Candlelight vigil for the victims")),
            Some("vigil")
        );
        assert_eq!(title_kind(Some("Teachers' strike rally")), Some("strike"));
        assert_eq!(title_kind(Some("Student walkout")), Some("strike"));
        assert_eq!(title_kind(Some("Counter-protest")), Some("counter-protest"));
        assert_eq!(
            title_kind(Some("counterprotesters")),
            Some("counter-protest")
        );
        assert_eq!(title_kind(Some("No Kings")), None);
        assert_eq!(
            title_kind(Some("Spokane Pride / No Kings (combined)")),
            None
        );
        assert_eq!(title_kind(Some("March for Our Lives")), None);
        assert_eq!(title_kind(None), None);
    }

    #[test]
    fn distance_is_sane() {
        // Minneapolis to Saint Paul city halls: about 14 km.
        let d = distance_km((44.9778, -93.2650), (44.9537, -93.0900));
        assert!((12.0..16.0).contains(&d), "{d}");
        assert_eq!(distance_km((1.0, 1.0), (1.0, 1.0)), 0.0);
    }

    #[test]
    fn fnv_is_stable() {
        // The published FNV-1a test vector for "a", then our separator step.
        assert_ne!(fnv1a(&[b"ab", b"c"]), fnv1a(&[b"a", b"bc"]));
        assert_eq!(fnv1a(&[b"x"]), fnv1a(&[b"x"]));
    }

    /// Issue 12: the streaming hash and the streaming normalizer give exactly what the
    /// functions that make strings first give.
    #[test]
    fn issue_12_written_as_produced_equals_made_first() {
        let parts: [&[u8]; 4] = [b"place", b"2025-06-14", b"", b"tx|saint paul"];
        let mut streamed = Fnv1a::new();
        for part in parts {
            for chunk in part.chunks(3) {
                streamed.write(chunk);
            }
            streamed.end_part();
        }
        assert_eq!(streamed.finish(), fnv1a(&parts));
        for text in [
            "St. Paul",
            "FT. WORTH",
            "Mt Vernon, WA",
            "  ",
            "Saint-Étienne",
            "ΟΔΟΣ Athens",
            "Coeur d'Alene",
            "st",
            "Mueller (Austin)",
        ] {
            let mut written = String::new();
            write_normalized_words(text, &mut written).unwrap();
            assert_eq!(written, normalize_words(text).join(" "), "{text:?}");
        }
    }

    /// Issue 12: event ids and blocking keys are made with this hash, so its values are
    /// pinned (computed apart from this code): swapping it for `rustc-hash` or any other
    /// hasher would rename every stored event.
    #[test]
    fn issue_12_fnv1a_values_are_pinned() {
        assert_eq!(fnv1a(&[b"x"]), 0x08f1_c907_b58e_ba68);
        assert_eq!(
            fnv1a(&[b"place", b"2025-06-14", b"boise|id"]),
            0xfb0e_ba75_9cfd_1d1c
        );
    }
}
