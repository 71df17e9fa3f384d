//! Size cells and size wording: "7,000", "NA", "about 200", "3,000-4,000", "dozens".
//!
//! This is a deliberately small phrase parser, private to ingest: it reads the short
//! wording found in size columns, not running text. The extraction stage owns the full
//! parser for articles (`tally_extract::parse_size_phrase`), which can replace this one
//! behind [`parse_phrase`] without changing the adapters.

use crate::table::is_missing;
use tally_model::{CodingRules, Estimate};

/// A size read from a cell or a phrase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Size {
    pub low: u64,
    pub high: u64,
    /// "about", "more than", ... as written (lowercased).
    pub qualifier: Option<String>,
    /// The wording, when the figure came from the vague-word table.
    pub vague: Option<String>,
}

impl Size {
    fn exact(value: u64) -> Size {
        Size {
            low: value,
            high: value,
            qualifier: None,
            vague: None,
        }
    }

    /// The model estimate; `low <= high` holds by construction of every `Size`.
    pub(crate) fn to_estimate(&self) -> Estimate {
        let estimate = match &self.vague {
            Some(text) => Estimate::coded(self.low, text.clone()),
            None => Estimate::range(self.low, self.high)
                .unwrap_or_else(|_| Estimate::range(self.high, self.low).expect("ordered")),
        };
        estimate.with_qualifier(self.qualifier.clone())
    }
}

/// What a numeric cell holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Cell {
    /// Empty, `NA` or a placeholder such as "?" or "unknown".
    Missing,
    Value(Size),
    /// Text that is neither a number nor a known wording.
    Garbage,
}

/// Reads a size cell. Plain digits take a fast path: this runs on every row.
pub(crate) fn parse_cell(cell: &str, rules: &CodingRules) -> Cell {
    let cell = cell.trim();
    if !cell.is_empty() && cell.len() <= 19 && cell.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(value) = cell.parse() {
            return Cell::Value(Size::exact(value));
        }
    }
    // "NaN" means "no value" in text columns, but in a size column it is a number
    // that went wrong upstream: the caller rejects it with a reason.
    if tally_model::bounds::why_not_a_count(cell).is_some() {
        return Cell::Garbage;
    }
    if is_missing(cell) || is_placeholder(cell) {
        return Cell::Missing;
    }
    match parse_phrase(cell, rules) {
        Some(size) => Cell::Value(size),
        None => Cell::Garbage,
    }
}

/// Cells that volunteers write for "no figure".
fn is_placeholder(cell: &str) -> bool {
    let lower = cell.to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "?" | "??"
            | "-"
            | "--"
            | "—"
            | "–"
            | "unknown"
            | "unk"
            | "tbd"
            | "n.a."
            | "none"
            | "no count"
            | "no estimate"
            | "not reported"
            | "no report"
            | "no data"
            | "x"
    )
}

/// Qualifiers kept as text in front of a figure, longest first so that "more than"
/// wins over "more".
const QUALIFIERS: &[&str] = &[
    "an estimated",
    "approximately",
    "upwards of",
    "as many as",
    "more than",
    "fewer than",
    "less than",
    "at least",
    "close to",
    "estimated",
    "roughly",
    "around",
    "nearly",
    "almost",
    "approx.",
    "approx",
    "about",
    "under",
    "up to",
    "over",
    "some",
    "est.",
    "ca.",
    "~",
    ">",
    "<",
];

/// Words after a figure that name the crowd, not the size.
const CROWD_WORDS: &[&str] = &[
    "people",
    "protesters",
    "protestors",
    "participants",
    "attendees",
    "marchers",
    "demonstrators",
    "persons",
    "ppl",
];

/// Reads short size wording into a range. `None` when it holds no figure this parser
/// knows (the caller keeps the text).
pub(crate) fn parse_phrase(text: &str, rules: &CodingRules) -> Option<Size> {
    let original = text.trim();
    // Notes in parentheses ("thousands (per the Daily News)") are not part of the size.
    let head = match original.find('(') {
        Some(0) | None => original,
        Some(i) => original[..i].trim(),
    };
    let lowered = head
        .to_lowercase()
        .replace(['\u{2013}', '\u{2014}'], "-")
        .replace('\u{a0}', " ");
    let mut rest = lowered.trim().trim_end_matches(['.', ';', ':']).trim();
    if rest.is_empty() {
        return None;
    }
    if let Some(value) = rules.lookup(rest) {
        return Some(coded(value, head, None));
    }
    let mut qualifier = None;
    for q in QUALIFIERS {
        if let Some(after) = rest.strip_prefix(q) {
            let symbol = !q.as_bytes()[0].is_ascii_alphabetic();
            if symbol || after.starts_with(' ') {
                qualifier = Some(q.to_string());
                rest = after.trim();
                break;
            }
        }
    }
    if let Some(stripped) = rest.strip_suffix('+') {
        rest = stripped.trim();
        qualifier.get_or_insert_with(|| "more than".to_string());
    }
    for word in CROWD_WORDS {
        if let Some(stripped) = rest.strip_suffix(word) {
            if stripped.ends_with(' ') {
                rest = stripped.trim();
                break;
            }
        }
    }
    if rest.is_empty() {
        return None;
    }
    if let Some(value) = rules.lookup(rest).or_else(|| plural_figure(rest, rules)) {
        return Some(coded(value, head, qualifier));
    }
    if let Some((low, high)) = range(rest) {
        return Some(Size {
            low,
            high,
            qualifier,
            vague: None,
        });
    }
    let value = number(rest)?;
    Some(Size {
        low: value,
        high: value,
        qualifier,
        vague: None,
    })
}

/// "100s", "1,000s", "10,000s": figures in the plural, read as the matching vague words
/// ("hundreds", "thousands", "tens of thousands").
fn plural_figure(text: &str, rules: &CodingRules) -> Option<u64> {
    let word = match text
        .strip_suffix('s')?
        .trim_end_matches('\'')
        .replace(',', "")
        .as_str()
    {
        "100" => "hundreds",
        "1000" => "thousands",
        "10000" => "tens of thousands",
        "100000" => "hundreds of thousands",
        _ => return None,
    };
    rules.lookup(word)
}

fn coded(value: u64, wording: &str, qualifier: Option<String>) -> Size {
    Size {
        low: value,
        high: value,
        qualifier,
        vague: Some(wording.to_string()),
    }
}

/// "A-B", "A to B", "between A and B", "from A to B"; `None` unless both ends are
/// figures and `A <= B`. A multiplier on the second end alone applies to both
/// ("10-15k").
fn range(text: &str) -> Option<(u64, u64)> {
    let text = text
        .strip_prefix("between ")
        .or_else(|| text.strip_prefix("from "))
        .unwrap_or(text);
    let (a, b) = [" and ", " to ", "-"]
        .iter()
        .find_map(|sep| text.split_once(sep))?;
    let (a, b) = (a.trim(), b.trim());
    let high = number(b)?;
    let low = match number(a) {
        Some(low) if multiplier_of(a).is_none() && multiplier_of(b).is_some() && low < high => {
            let (_, factor) = multiplier_of(b)?;
            low.checked_mul(factor)?
        }
        Some(low) => low,
        None => return None,
    };
    (low <= high).then_some((low, high))
}

fn dots_group_thousands(digits: &str) -> bool {
    let mut groups = digits.split('.');
    let first = groups.next().unwrap_or("");
    let rest: Vec<&str> = groups.collect();
    !rest.is_empty()
        && (1..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_digit())
        && rest
            .iter()
            .all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
}

fn grouped_by_spaces(text: &str) -> bool {
    let mut groups = text.split(' ');
    let first = groups.next().unwrap_or("");
    (1..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_digit())
        && groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
}

/// The multiplier word at the end of a figure, with what it stands for.
fn multiplier_of(text: &str) -> Option<(&str, u64)> {
    const MULTIPLIERS: &[(&str, u64)] = &[
        (" million", 1_000_000),
        ("million", 1_000_000),
        (" thousand", 1_000),
        ("thousand", 1_000),
        ("mil", 1_000_000),
        ("m", 1_000_000),
        ("k", 1_000),
    ];
    MULTIPLIERS
        .iter()
        .find(|(word, _)| text.ends_with(word))
        .map(|&(word, factor)| (&text[..text.len() - word.len()], factor))
}

/// A figure: digits with optional thousands separators and decimals, and an optional
/// multiplier ("1.5 million", "5k", "7,000", "1500.0").
fn number(text: &str) -> Option<u64> {
    let text = text.trim();
    // "7 000": a space as the thousands separator, in groups of three.
    let spaced;
    let text = if text.contains(' ') && grouped_by_spaces(text) {
        spaced = text.replace(' ', "");
        spaced.as_str()
    } else {
        text
    };
    let (digits, factor) = match multiplier_of(text) {
        Some((digits, factor)) => (digits.trim(), factor),
        None => (text, 1),
    };
    if !digits.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    // "7.000" and "1.500.000" use the dot as a thousands separator (spreadsheets in many
    // European locales): people are counted in wholes, so three digits after a single
    // dot, or several dots, are groups, not decimals.
    let dotted;
    let digits = if factor == 1 && dots_group_thousands(digits) {
        dotted = digits.replace('.', "");
        dotted.as_str()
    } else {
        digits
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    if !whole.bytes().all(|b| b.is_ascii_digit() || b == b',')
        || !fraction.bytes().all(|b| b.is_ascii_digit())
        || whole.contains(",,")
        || whole.ends_with(',')
        || fraction.len() > 9
    {
        return None;
    }
    let mut value: u64 = 0;
    for b in whole.bytes().filter(|b| *b != b',') {
        value = value.checked_mul(10)?.checked_add(u64::from(b - b'0'))?;
    }
    let mut value = value.checked_mul(factor)?;
    if !fraction.is_empty() {
        let scale = 10u64.pow(fraction.len() as u32);
        let fraction: u64 = fraction.parse().ok()?;
        // People are counted in wholes: "1500.0" is 1500 and "1.25k" is 1250, but
        // "1.5" and "1.2345k" are not counts, and are never rounded into one.
        let scaled = u128::from(fraction) * u128::from(factor);
        if scaled % u128::from(scale) != 0 {
            return None;
        }
        value = value.checked_add(u64::try_from(scaled / u128::from(scale)).ok()?)?;
    }
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phrase(text: &str) -> Option<(u64, u64, Option<String>, bool)> {
        parse_phrase(text, &CodingRules::default())
            .map(|s| (s.low, s.high, s.qualifier, s.vague.is_some()))
    }

    #[test]
    fn figures_ranges_and_words() {
        type Expected = Option<(u64, u64, Option<&'static str>, bool)>;
        let table: &[(&str, Expected)] = &[
            ("7,000", Some((7000, 7000, None, false))),
            ("about 200", Some((200, 200, Some("about"), false))),
            ("3,000-4,000", Some((3000, 4000, None, false))),
            ("3,000 – 4,000", Some((3000, 4000, None, false))),
            ("between 500 and 800", Some((500, 800, None, false))),
            ("from 10 to 20 people", Some((10, 20, None, false))),
            ("10-15k", Some((10_000, 15_000, None, false))),
            ("1.5 million", Some((1_500_000, 1_500_000, None, false))),
            ("5k", Some((5000, 5000, None, false))),
            ("500+", Some((500, 500, Some("more than"), false))),
            ("~250", Some((250, 250, Some("~"), false))),
            ("1500.0", Some((1500, 1500, None, false))),
            ("7 000", Some((7000, 7000, None, false))),
            ("7.000", Some((7000, 7000, None, false))),
            ("1.500.000", Some((1_500_000, 1_500_000, None, false))),
            ("1.25k", Some((1250, 1250, None, false))),
            ("1500.000", Some((1500, 1500, None, false))),
            ("1.5", None),
            ("1.2345k", None),
            ("2.5 people", None),
            ("12 30", None),
            ("dozens", Some((24, 24, None, true))),
            ("Several Hundred", Some((200, 200, None, true))),
            (
                "thousands (per the Daily News)",
                Some((2000, 2000, None, true)),
            ),
            ("more than a dozen", Some((12, 12, Some("more than"), true))),
            ("scores (vague, not coded)", Some((40, 40, None, true))),
            ("100s", Some((200, 200, None, true))),
            ("1,000's", Some((2000, 2000, None, true))),
            ("over 10,000s", Some((20_000, 20_000, Some("over"), true))),
            ("a large crowd", None),
            ("lots", None),
            ("4,000-3,000", None),
            ("12,,000", None),
            ("", None),
        ];
        for (text, expected) in table {
            let expected = expected.map(|(l, h, q, v)| (l, h, q.map(str::to_string), v));
            assert_eq!(phrase(text), expected, "{text:?}");
        }
    }

    #[test]
    fn cells_distinguish_missing_from_garbage() {
        let rules = CodingRules::default();
        assert_eq!(parse_cell("NA", &rules), Cell::Missing);
        assert_eq!(parse_cell(" ", &rules), Cell::Missing);
        assert_eq!(parse_cell("?", &rules), Cell::Missing);
        assert_eq!(parse_cell("12", &rules), Cell::Value(Size::exact(12)));
        assert_eq!(parse_cell("lots", &rules), Cell::Garbage);
        assert_eq!(parse_cell("99999999999999999999999", &rules), Cell::Garbage);
    }

    #[test]
    fn coded_sizes_become_coded_estimates() {
        let size = parse_phrase("hundreds", &CodingRules::default()).unwrap();
        let estimate = size.to_estimate();
        assert!(estimate.coded_by_rule());
        assert_eq!(estimate.vague_text(), Some("hundreds"));
        assert_eq!((estimate.low(), estimate.high()), (200, 200));
    }
}
