//! tally-extract: the extraction stage. From a short size cell or from article text it
//! finds crowd sizes (ranges with qualifier, attribution and scope), counts of events
//! or places, and the gathering's place and date; from article bytes it makes sources
//! and reports.
//!
//! No I/O: every function takes text or bytes and returns values plus diagnostics.

#[allow(dead_code)] // Used by the extractor, which lands in the next commit.
mod lexicon;
mod number;
#[allow(dead_code)] // Sentences are used by the extractor.
mod token;

use number::Doc;
use tally_model::{Attribution, CodingRules, Estimate};

/// Codes a short size cell ("7,000", "3-4,000", "dozens", "about 5k",
/// "hundreds (per police)") into an estimate, using `rules` for vague words.
///
/// Returns `None` when the cell states no number ("a large crowd", "NA", "").
/// When the cell holds several figures, the first phrase is taken; a source named in
/// the cell ("per police", "(organizers)") becomes the attribution.
pub fn parse_size_phrase(text: &str, rules: &CodingRules) -> Option<Estimate> {
    let lower = text.to_ascii_lowercase();
    let tokens = token::tokenize(text);
    let doc = Doc {
        text,
        lower: &lower,
        tokens: &tokens,
    };
    let phrase = (0..tokens.len())
        .filter(|&i| number::may_start_quantity(&doc, i))
        .find_map(|i| number::read_phrase(&doc, i, rules, true))
        .filter(|p| p.high > 0 && !p.fractional)?;
    let attribution = (0..tokens.len())
        .find_map(|i| cell_attribution(doc.word(i)))
        .unwrap_or(Attribution::Unknown);
    Some(number::phrase_estimate(&doc, &phrase).with_attribution(attribution))
}

/// Source words in a size cell: "(police)", "per organizers".
fn cell_attribution(w: &str) -> Option<Attribution> {
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

    fn cell(text: &str) -> Option<(u64, u64)> {
        parse_size_phrase(text, &CodingRules::default()).map(|e| (e.low(), e.high()))
    }

    #[test]
    fn size_cells_follow_the_design_table() {
        let cases: &[(&str, Option<(u64, u64)>)] = &[
            ("7,000", Some((7000, 7000))),
            ("3-4,000", Some((3000, 4000))),
            ("3\u{2013}4,000", Some((3000, 4000))),
            ("10 to 20,000", Some((10_000, 20_000))),
            ("between 2 and 4.8 million", Some((2_000_000, 4_800_000))),
            ("500-1,000", Some((500, 1000))),
            ("dozens", Some((24, 24))),
            ("Several dozen", Some((24, 24))),
            ("a few", Some((3, 3))),
            ("a handful", Some((3, 3))),
            ("scores", Some((40, 40))),
            ("hundreds", Some((200, 200))),
            ("a few hundred", Some((200, 200))),
            ("thousands", Some((2000, 2000))),
            ("tens of thousands", Some((20_000, 20_000))),
            ("hundreds of thousands", Some((200_000, 200_000))),
            ("millions", Some((2_000_000, 2_000_000))),
            ("about 5k", Some((5000, 5000))),
            ("70K", Some((70_000, 70_000))),
            ("1.5M", Some((1_500_000, 1_500_000))),
            ("1.5 million", Some((1_500_000, 1_500_000))),
            ("half a million", Some((500_000, 500_000))),
            ("a quarter million", Some((250_000, 250_000))),
            ("a quarter of a million", Some((250_000, 250_000))),
            ("a million and a half", Some((1_500_000, 1_500_000))),
            ("two and a half million", Some((2_500_000, 2_500_000))),
            ("five thousand", Some((5000, 5000))),
            ("twenty-five hundred", Some((2500, 2500))),
            ("sixty-two", Some((62, 62))),
            ("a dozen", Some((12, 12))),
            ("a hundred", Some((100, 100))),
            ("over five million", Some((5_000_000, 5_000_000))),
            ("125 000", Some((125_000, 125_000))),
            ("125\u{a0}000", Some((125_000, 125_000))),
            ("12\u{2009}500", Some((12_500, 12_500))),
            ("1,000+", Some((1000, 1000))),
            ("hundreds (per police)", Some((200, 200))),
            ("two to three thousand", Some((2000, 3000))),
            ("one hundred and fifty", Some((150, 150))),
            ("hundreds to thousands", Some((200, 2000))),
            ("a large crowd", None),
            ("NA", None),
            ("", None),
        ];
        for (text, want) in cases {
            assert_eq!(cell(text), *want, "{text}");
        }
    }

    #[test]
    fn cells_keep_qualifier_vague_text_and_source() {
        let rules = CodingRules::default();
        let e = parse_size_phrase("about 5k", &rules).unwrap();
        assert_eq!(e.qualifier(), Some("about"));
        assert!(!e.coded_by_rule());
        let e = parse_size_phrase("hundreds (per police)", &rules).unwrap();
        assert_eq!(e.vague_text(), Some("hundreds"));
        assert!(e.coded_by_rule());
        assert_eq!(e.attribution(), Attribution::Police);
        let e = parse_size_phrase("10,000-plus", &rules).unwrap();
        assert_eq!(e.qualifier(), Some("-plus"));
    }

    #[test]
    fn the_round_convention_codes_vague_words_lower() {
        let rules = CodingRules::named("round").unwrap();
        assert_eq!(rules.label(), "round@1");
        let coded = |t: &str| parse_size_phrase(t, &rules).map(|e| e.low());
        assert_eq!(coded("a dozen"), Some(10));
        assert_eq!(coded("dozens"), Some(20));
        assert_eq!(coded("hundreds"), Some(100));
        assert_eq!(coded("thousands"), Some(1000));
        assert_eq!(coded("two dozen"), Some(24));
    }
}
