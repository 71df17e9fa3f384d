//! The workspace's one number reader: size phrases and plain numbers in short text,
//! for callers outside the extractor (`tally-ingest` size cells, the claim parser).
//!
//! It reads quantities only; whether a quantity counts a crowd is the extractor's
//! question (`extract`). The vocabulary (number words, multipliers, qualifiers, the
//! vague words of the coding rules) is the extractor's own, so a cell, a claim and an
//! article read "about 5k" the same way.
//!
//! Figures above 2^53 (the largest integer a JSON number or an `f64` holds exactly)
//! and figures that are not finite are rejected, never wrapped or clamped.

use crate::lexicon;
use crate::number::{self, Doc};
use crate::token;
use tally_model::{Attribution, CodingRules, Estimate};

/// The largest figure the reader returns: 2^53.
pub const MAX_FIGURE: u64 = 1 << 53;

/// What a qualifier says about the stated figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Bound {
    /// "over", "more than", "at least", "10,000+", "or more": the figure is a floor.
    Above,
    /// "fewer than", "under", "up to", "at most", "no more than": the figure is a ceiling.
    Below,
    /// "nearly", "almost", "close to", "as many as": a ceiling that is nearly reached.
    Nearly,
    /// "about", "roughly", "an estimated", "some", "~": the figure, give or take.
    Approximate,
    /// No qualifier, or one that says nothing of the bound ("another", "a reported").
    Exact,
}

/// A size phrase read from text: "about 5k", "3-4,000", "hundreds (per police)".
#[derive(Debug, Clone, PartialEq)]
pub struct SizePhrase {
    pub low: u64,
    pub high: u64,
    /// The qualifier as written ("more than", "+", "-plus", "or so").
    pub qualifier: Option<String>,
    /// What the qualifier says of the figure (`Bound::Exact` without one).
    pub bound: Bound,
    /// The vague words a coded figure came from ("a few hundred").
    pub vague_text: Option<String>,
    /// True when the figure was coded from vague words by the coding rules.
    pub coded_by_rule: bool,
    /// True for a stated range ("3-4,000", "between 2 and 4.8 million").
    pub is_range: bool,
    /// A source named in the text ("per police", "(organizers)"), if any.
    pub attribution: Option<Attribution>,
    /// Byte offsets of the phrase (qualifier included) in the text read.
    pub start: usize,
    pub end: usize,
}

impl SizePhrase {
    /// The phrase as a model estimate (attribution `Unknown` when none was named).
    pub fn to_estimate(&self) -> Estimate {
        let estimate =
            Estimate::range(self.low, self.high).unwrap_or_else(|_| Estimate::exact(self.low));
        estimate
            .with_qualifier(self.qualifier.clone())
            .with_vague_text(self.vague_text.clone())
            .with_coded_by_rule(self.coded_by_rule)
            .with_attribution(self.attribution.unwrap_or(Attribution::Unknown))
    }
}

/// Reads the first size phrase in `text`, using `rules` for vague words.
///
/// Returns `None` when the text states no positive whole number ("a large crowd",
/// "NA", "2.5%"), or when the figure is above `MAX_FIGURE`.
pub fn read_size_phrase(text: &str, rules: &CodingRules) -> Option<SizePhrase> {
    let lower = text.to_ascii_lowercase();
    let tokens = token::tokenize(text);
    let doc = Doc::new(text, &lower, &tokens);
    let mut phrase = None;
    for i in 0..tokens.len() {
        if !number::may_start_quantity(&doc, i) {
            continue;
        }
        if let Some(p) = number::read_phrase(&doc, i, rules, true) {
            if p.high > 0 && !p.fractional {
                phrase = Some(p);
                break;
            }
        }
    }
    let phrase = phrase?;
    let attribution = (0..tokens.len()).find_map(|i| cell_attribution(doc.word(i)));
    Some(size_phrase(&doc, &phrase, attribution))
}

/// Every amount in `text`, in order, whatever it counts ("5 million people in 2,000
/// places" gives two); the caller looks at the words after `end` to tell people from
/// places. Numbers that are not amounts are left out: fractions ("2.5 percent"), zero,
/// years ("in 2025"), days of a month ("June 14"), ordinals ("250th") and percentages
/// ("40%", "40 percent").
pub fn find_number_phrases(text: &str, rules: &CodingRules) -> Vec<SizePhrase> {
    let lower = text.to_ascii_lowercase();
    let tokens = token::tokenize(text);
    let doc = Doc::new(text, &lower, &tokens);
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if !number::may_start_quantity(&doc, i) {
            i += 1;
            continue;
        }
        match number::read_phrase(&doc, i, rules, true) {
            Some(p) if p.high > 0 && !p.fractional => {
                i = p.end.max(i + 1);
                if !is_not_an_amount(&doc, &p) {
                    out.push(size_phrase(&doc, &p, None));
                }
            }
            _ => i += 1,
        }
    }
    out
}

/// A year, a day of a month, an ordinal or a percentage: a number, not an amount.
fn is_not_an_amount(doc: &Doc, p: &number::Phrase) -> bool {
    let single = !p.is_range && p.vague.is_none() && p.qualifier.is_none();
    if single && p.yearlike {
        return true;
    }
    // "June 14", "Jun. 14": a day, when the figure is one.
    let before = p.number_start.checked_sub(1).map(|k| {
        if doc.raw(k) == "." {
            k.saturating_sub(1)
        } else {
            k
        }
    });
    let after_month = before.is_some_and(|k| lexicon::month_number(doc.word(k)).is_some());
    if after_month && doc.kind(p.number_start) == Some(token::Kind::Number) && p.low <= 31 {
        return true;
    }
    let end = p.number_end;
    let ordinal = doc.adjacent(end) && matches!(doc.word(end), "th" | "st" | "nd" | "rd");
    let percent = doc.raw(end) == "%"
        || matches!(doc.word(end), "percent" | "pct")
        || (doc.word(end) == "per" && doc.word(end + 1) == "cent");
    ordinal || percent
}

/// The first figure in `text` that must not be read as a number at all: one in
/// scientific notation ("1e309", "5e6": reading it as "1" would be wrong), or one
/// above `MAX_FIGURE` ("99999999999999999999", "99999999999 billion"). Returns its
/// byte range; `None` when every figure is readable. Callers that must not guess (a
/// claim to check) turn it into an error.
pub fn find_unreadable_figure(text: &str) -> Option<(usize, usize)> {
    let lower = text.to_ascii_lowercase();
    let tokens = token::tokenize(text);
    let doc = Doc::new(text, &lower, &tokens);
    for i in 0..tokens.len() {
        if doc.kind(i) != Some(token::Kind::Number) {
            continue;
        }
        // "1e309" reads as "1", "e", "309"; "2.5E+7" as "2.5", "E", "+", "7".
        if doc.adjacent(i + 1) && doc.word(i + 1) == "e" {
            let mut k = i + 2;
            if matches!(doc.raw(k), "+" | "-") && doc.adjacent(k) {
                k += 1;
            }
            if doc.adjacent(k) && doc.kind(k) == Some(token::Kind::Number) {
                return Some((tokens[i].start, tokens[k].end));
            }
        }
        if let Some(q) = number::read_quantity(&doc, i, &CodingRules::default(), false) {
            if figure(q.value.round()).is_none() {
                return Some((tokens[i].start, tokens[q.end - 1].end));
            }
        }
    }
    None
}

/// True for the name of a month or its short form ("June", "jun", "Sept."): dates are
/// read with the same month words as figures.
pub fn is_month_name(word: &str) -> bool {
    lexicon::month_number(&word.trim_end_matches('.').to_ascii_lowercase()).is_some()
}

/// Reads `text` as one plain number: "7,000", "5k", "1.5 million", "125 000",
/// "twenty-five hundred", "a dozen". Surrounding spaces are allowed; anything else
/// (a qualifier, a range, a vague word, a second number) gives `None`, as do
/// fractions and figures above `MAX_FIGURE`.
pub fn read_number(text: &str) -> Option<u64> {
    let trimmed = text.trim();
    let lower = trimmed.to_ascii_lowercase();
    let tokens = token::tokenize(trimmed);
    if tokens.is_empty() {
        return None;
    }
    let doc = Doc::new(trimmed, &lower, &tokens);
    let q = number::read_quantity(&doc, 0, &CodingRules::default(), false)?;
    if q.end != tokens.len() || q.vague.is_some() {
        return None;
    }
    figure(q.value)
}

/// A quantity's value as a whole figure: `None` when it is not finite, not whole,
/// negative or above `MAX_FIGURE`.
pub fn figure(value: f64) -> Option<u64> {
    (value.is_finite() && value >= 0.0 && value.fract() == 0.0 && value <= MAX_FIGURE as f64)
        .then_some(value as u64)
}

/// What the qualifier `text` ("more than", "+", "about") says about a figure.
/// Unknown words give `Bound::Exact`.
pub fn qualifier_bound(text: &str) -> Bound {
    lexicon::qualifier_bound(text.trim().to_ascii_lowercase().as_str())
}

/// The qualifiers the reader knows before a figure ("more than", "an estimated"),
/// lowercased and space-separated, longest first. Post-figure qualifiers are "+",
/// "-plus", "plus", "or more", "or so" and "or greater".
pub fn qualifier_phrases() -> impl Iterator<Item = String> {
    lexicon::QUALIFIERS.iter().map(|q| q.join(" "))
}

fn size_phrase(doc: &Doc, p: &number::Phrase, attribution: Option<Attribution>) -> SizePhrase {
    let estimate = number::phrase_estimate(doc, p);
    let qualifier = estimate.qualifier().map(str::to_string);
    SizePhrase {
        low: p.low,
        high: p.high,
        bound: qualifier.as_deref().map_or(Bound::Exact, qualifier_bound),
        qualifier,
        vague_text: estimate.vague_text().map(str::to_string),
        coded_by_rule: estimate.coded_by_rule(),
        is_range: p.is_range,
        attribution,
        start: doc.tokens[p.first].start,
        end: doc.tokens[p.end - 1].end,
    }
}

/// Source words in a size cell: "(police)", "per organizers".
pub(crate) fn cell_attribution(w: &str) -> Option<Attribution> {
    Some(match w {
        "police" | "pd" | "nypd" | "lapd" | "sheriff" | "cops" => Attribution::Police,
        "organizers" | "organizer" | "organisers" | "organiser" | "org" | "orgs" => {
            Attribution::Organizers
        }
        "officials" | "official" | "city" | "mayor" | "government" => Attribution::Officials,
        "media" | "press" | "reporter" | "reporters" => Attribution::Media,
        "researchers" | "researcher" | "ccc" | "counters" => Attribution::Researchers,
        "participants" | "participant" | "attendee" | "attendees" => Attribution::Participants,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phrase(text: &str) -> Option<(u64, u64, Option<String>, Bound)> {
        read_size_phrase(text, &CodingRules::default())
            .map(|p| (p.low, p.high, p.qualifier, p.bound))
    }

    #[test]
    fn size_phrases_carry_qualifier_and_bound() {
        assert_eq!(
            phrase("more than 5,000"),
            Some((5000, 5000, Some("more than".into()), Bound::Above))
        );
        assert_eq!(
            phrase("10,000+"),
            Some((10_000, 10_000, Some("+".into()), Bound::Above))
        );
        assert_eq!(
            phrase("fewer than 50,000"),
            Some((50_000, 50_000, Some("fewer than".into()), Bound::Below))
        );
        assert_eq!(
            phrase("about 5k"),
            Some((5000, 5000, Some("about".into()), Bound::Approximate))
        );
        assert_eq!(phrase("3-4,000"), Some((3000, 4000, None, Bound::Exact)));
        assert_eq!(phrase("a large crowd"), None);
        assert_eq!(phrase("2.5%"), None);
    }

    #[test]
    fn cells_name_their_source_and_vague_words() {
        let p = read_size_phrase("hundreds (per police)", &CodingRules::default()).unwrap();
        assert_eq!((p.low, p.high), (200, 200));
        assert_eq!(p.vague_text.as_deref(), Some("hundreds"));
        assert!(p.coded_by_rule);
        assert_eq!(p.attribution, Some(Attribution::Police));
        assert_eq!(&"hundreds (per police)"[p.start..p.end], "hundreds");
    }

    #[test]
    fn plain_numbers_and_what_is_not_one() {
        let cases: &[(&str, Option<u64>)] = &[
            ("7,000", Some(7000)),
            (" 5k ", Some(5000)),
            ("1.5 million", Some(1_500_000)),
            ("125 000", Some(125_000)),
            ("twenty-five hundred", Some(2500)),
            ("a dozen", Some(12)),
            ("about 5,000", None),
            ("3-4,000", None),
            ("dozens", None),
            ("2.5", None),
            ("5,000 people", None),
            ("", None),
        ];
        for (text, want) in cases {
            assert_eq!(read_number(text), *want, "{text:?}");
        }
    }

    #[test]
    fn issue_9_figures_above_2_pow_53_are_rejected_not_wrapped() {
        assert_eq!(read_number("9007199254740992"), Some(MAX_FIGURE));
        assert_eq!(read_number("9007199254740993000"), None);
        assert_eq!(read_number("99999999999 billion"), None);
        assert_eq!(
            phrase("99999999999999999999999 people"),
            None,
            "a huge figure is not clamped to a size"
        );
        assert_eq!(figure(f64::INFINITY), None);
        assert_eq!(figure(f64::NAN), None);
    }

    #[test]
    fn every_number_phrase_in_order() {
        let found = find_number_phrases(
            "over 5 million people in more than 2,000 places",
            &CodingRules::default(),
        );
        let got: Vec<(u64, Bound)> = found.iter().map(|p| (p.low, p.bound)).collect();
        assert_eq!(got, [(5_000_000, Bound::Above), (2000, Bound::Above)]);
    }

    #[test]
    fn issue_9_amounts_leave_out_years_days_ordinals_and_percentages() {
        let found = find_number_phrases(
            "On June 14, 2025, 40% of the 3,000 people at the 3rd rally marched; \
             50 percent came from 12 towns",
            &CodingRules::default(),
        );
        let got: Vec<u64> = found.iter().map(|p| p.low).collect();
        assert_eq!(got, [3000, 12]);
    }

    #[test]
    fn issue_9_unreadable_figures_are_found_not_guessed() {
        let span = |t: &str| find_unreadable_figure(t).map(|(s, e)| t[s..e].to_string());
        assert_eq!(span("over 1e309 people").as_deref(), Some("1e309"));
        assert_eq!(span("more than 2.5E+7 marched").as_deref(), Some("2.5E+7"));
        assert_eq!(
            span("99999999999 billion people").as_deref(),
            Some("99999999999 billion")
        );
        assert_eq!(span("over 9,000,000 people in 2,000 places"), None);
        assert_eq!(span("the 5k run"), None);
    }

    #[test]
    fn issue_9_tilde_nearly_and_no_more_than() {
        assert_eq!(
            phrase("~5,000"),
            Some((5000, 5000, Some("~".into()), Bound::Approximate))
        );
        assert_eq!(
            phrase("nearly 5,000"),
            Some((5000, 5000, Some("nearly".into()), Bound::Nearly))
        );
        assert_eq!(
            phrase("no more than 5,000"),
            Some((5000, 5000, Some("no more than".into()), Bound::Below))
        );
        assert_eq!(
            phrase("exceeding 5,000"),
            Some((5000, 5000, Some("exceeding".into()), Bound::Above))
        );
    }

    #[test]
    fn issue_9_number_forms_of_real_news() {
        let read = |t: &str| {
            find_number_phrases(t, &CodingRules::default())
                .into_iter()
                .map(|p| (p.low, p.high, p.vague_text))
                .collect::<Vec<_>>()
        };
        // Fractions of a multiplier written as one hyphenated word.
        assert_eq!(
            read("an estimated quarter-million marchers"),
            [(250_000, 250_000, None)]
        );
        assert_eq!(
            read("a half-million people and a quarter-billion views"),
            [(500_000, 500_000, None), (250_000_000, 250_000_000, None)]
        );
        assert_eq!(read("half a million people"), [(500_000, 500_000, None)]);
        // A space between thousands groups, and "K" after a space, as tables print them.
        assert_eq!(
            read("estimates: 512 K, 1 060 K and 2 207 K"),
            [
                (512_000, 512_000, None),
                (1_060_000, 1_060_000, None),
                (2_207_000, 2_207_000, None)
            ]
        );
        // Labelled ends ("low: 849 K ... high: 1 394 K") are joined into one range by the
        // extractor after each figure is read (`extract::join_low_and_high`).
        let text = "Crowd counters put turnout at the marches at low: 512 K, mean: 1 060 K, \
                    high: 2 207 K.";
        let found = crate::extract(text, &crate::ExtractOptions::default()).estimates;
        let got: Vec<(u64, u64)> = found
            .iter()
            .map(|f| (f.estimate.low(), f.estimate.high()))
            .collect();
        assert_eq!(got, [(512_000, 2_207_000)]);
        // ... but not before a word: "5 K Street" is an address.
        assert_eq!(read("at 5 K Street"), [(5, 5, None)]);
        // Vague words in single quotes, straight or curly.
        assert_eq!(
            read("they claim 'millions' and \u{2018}thousands\u{2019} more"),
            [
                (2_000_000, 2_000_000, Some("millions".to_string())),
                (2_000, 2_000, Some("thousands".to_string()))
            ]
        );
        // The approximate sign and a qualifier after "the".
        let p = read_size_phrase("~5,000", &CodingRules::default()).unwrap();
        assert_eq!((p.low, p.bound), (5000, Bound::Approximate));
        let p = read_size_phrase("the roughly 200 remaining", &CodingRules::default()).unwrap();
        assert_eq!((p.low, p.qualifier.as_deref()), (200, Some("roughly")));
    }

    #[test]
    fn the_qualifier_vocabulary_is_public() {
        let all: Vec<String> = qualifier_phrases().collect();
        assert!(all.iter().any(|q| q == "more than"));
        assert_eq!(qualifier_bound("At least"), Bound::Above);
        assert_eq!(qualifier_bound("up to"), Bound::Below);
        assert_eq!(qualifier_bound("another"), Bound::Exact);
    }
}
