//! Size cells and size wording: "7,000", "NA", "about 200", "3,000-4,000", "dozens".
//!
//! Cells are read by the workspace's one number reader (`tally_extract`); this file
//! keeps only what belongs to cells: missing-value placeholders, the fast path for plain
//! digits, and the locale forms of spreadsheets ("7.000", "7 000", "100s").

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

/// Reads short size wording into a range with the workspace's one number reader
/// (`tally_extract::read_size_phrase`: its number words, multipliers, qualifiers and
/// vague words). `None` when the cell holds no figure, or holds more than one phrase's
/// worth of digits ("12 30"): the caller keeps the text.
///
/// What is a cell's own is done here first: figures grouped by dots or spaces
/// ("7.000", "1.500.000", "7 000", spreadsheets in many locales) and figures in the
/// plural ("100s", "1,000's") read as the vague words they stand for.
pub(crate) fn parse_phrase(text: &str, rules: &CodingRules) -> Option<Size> {
    let original = text.trim();
    // Notes in parentheses ("thousands (per the Daily News)") are not part of the size.
    let head = match original.find('(') {
        Some(0) | None => original,
        Some(i) => original[..i].trim(),
    };
    let cell = normalize_cell(head);
    let phrase = tally_extract::read_size_phrase(&cell, rules)?;
    // Digits outside the phrase mean the cell is not one size ("12 30", "4,000-3,000"),
    // and a phrase glued to letters is not a figure ("12abc").
    let (before, after) = (&cell[..phrase.start], &cell[phrase.end..]);
    let glued = before
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric)
        || after.chars().next().is_some_and(char::is_alphanumeric);
    if glued
        || before
            .bytes()
            .chain(after.bytes())
            .any(|b| b.is_ascii_digit())
    {
        return None;
    }
    let vague = phrase.coded_by_rule.then(|| head.to_string());
    Some(Size {
        low: phrase.low,
        high: phrase.high,
        qualifier: phrase.qualifier.map(|q| q.to_lowercase()),
        vague,
    })
}

/// A cell's figure in the form the reader reads: thousands grouped by dots or spaces
/// joined, and plural figures as the vague words they stand for.
fn normalize_cell(cell: &str) -> String {
    let lowered = cell.trim().to_lowercase();
    let mut words: Vec<String> = Vec::new();
    for word in lowered.split(' ') {
        // "7 000": a group of three digits after a figure joins it.
        let joins = word.len() == 3
            && word.bytes().all(|b| b.is_ascii_digit())
            && words.last().is_some_and(|w| {
                let digits = w.trim_start_matches(|c: char| !c.is_ascii_digit());
                !digits.is_empty()
                    && digits.bytes().all(|b| b.is_ascii_digit())
                    && digits.len() <= 3
                    || grouped_by_spaces_tail(w)
            });
        if joins {
            words.last_mut().expect("checked").push_str(word);
            continue;
        }
        let word = if dots_group_thousands(word) {
            word.replace('.', "")
        } else {
            word.to_string()
        };
        words.push(plural_figure(&word).map_or(word, str::to_string));
    }
    words.join(" ")
}

/// True for a figure already joined from groups ("7000" after "7" + "000").
fn grouped_by_spaces_tail(word: &str) -> bool {
    word.len() > 3 && word.bytes().all(|b| b.is_ascii_digit())
}

/// "100s", "1,000's", "10,000s": figures in the plural, read as the matching vague words.
fn plural_figure(word: &str) -> Option<&'static str> {
    Some(
        match word
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
        },
    )
}

/// "7.000" and "1.500.000" use the dot as a thousands separator: people are counted in
/// wholes, so three digits after a single dot, or several dots, are groups.
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
            ("500+", Some((500, 500, Some("+"), false))),
            // The reader's "~" is "about".
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
            ("12abc", None),
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
        let mut wrong = Vec::new();
        for (text, expected) in table {
            let expected = expected.map(|(l, h, q, v)| (l, h, q.map(str::to_string), v));
            if phrase(text) != expected {
                wrong.push(format!(
                    "{text:?}: {:?}, expected {expected:?}",
                    phrase(text)
                ));
            }
        }
        assert!(wrong.is_empty(), "{wrong:#?}");
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
