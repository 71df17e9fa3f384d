//! Property tests: the extractor never panics, its offsets are char boundaries that
//! point at the phrase, and every range is ordered.

use proptest::prelude::*;
use tally_extract::{extract, parse_size_phrase, ExtractOptions};
use tally_model::CodingRules;

/// Pieces of protest prose to splice into random strings, so that the generator
/// reaches the figure and phrase readers often.
const PIECES: &[&str] = &[
    "5,000",
    "3-4,000",
    "between 2 and 4.8 million",
    "twenty-five hundred",
    "a quarter million",
    "a million and a half",
    "5k",
    "1.5M",
    "125\u{a0}000",
    "12\u{2009}500",
    "10 \u{2013} 20,000",
    "dozens",
    "hundreds of thousands",
    "people",
    "protesters",
    "rallied",
    "police said",
    "organizers estimated",
    "in over 2,000 places",
    "nationwide",
    "arrests",
    "$",
    "%",
    "June 14",
    "Saturday",
    "CHICAGO (AP) \u{2014} ",
    "in Boise, Idaho",
    "Ill.",
    ".",
    ",",
    " ",
    "\n",
    "\u{201c}",
    "-",
    "\u{2014}",
    "or more",
    "+",
    "a",
    "of",
    "crowd of",
    "estimated at",
    "\u{e9}",
    "\u{1F600}",
];

fn spliced() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            prop::sample::select(PIECES).prop_map(str::to_string),
            "\\PC{0,6}",
            "[0-9,. ]{1,8}",
        ],
        0..24,
    )
    .prop_map(|parts| parts.join(" "))
}

fn check(text: &str) -> Result<(), TestCaseError> {
    let out = extract(text, &ExtractOptions::default());
    for f in &out.estimates {
        prop_assert!(f.start < f.end && f.end <= text.len());
        prop_assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
        prop_assert!(f.estimate.low() <= f.estimate.high());
        let phrase = &text[f.start..f.end];
        prop_assert!(
            phrase
                .chars()
                .any(|c| c.is_ascii_digit() || c.is_alphabetic()),
            "phrase {:?} has no figure",
            phrase
        );
        if f.estimate.coded_by_rule() {
            prop_assert!(f.rules.is_some());
            let vague = f.estimate.vague_text().unwrap_or_default();
            prop_assert!(phrase.contains(vague), "{:?} lacks {:?}", phrase, vague);
        }
    }
    if let Some(e) = parse_size_phrase(text, &CodingRules::default()) {
        prop_assert!(e.low() <= e.high());
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn never_panics_on_arbitrary_strings(text in "\\PC{0,200}") {
        check(&text)?;
    }

    #[test]
    fn offsets_point_at_the_phrase(text in spliced()) {
        check(&text)?;
    }
}

#[test]
fn digits_of_a_found_figure_are_inside_its_span() {
    let text = "Police said 5,000 people marched; organizers counted 12\u{a0}000 marchers.";
    let out = extract(text, &ExtractOptions::default());
    assert_eq!(out.estimates.len(), 2);
    assert!(text[out.estimates[0].start..out.estimates[0].end].contains("5,000"));
    assert!(text[out.estimates[1].start..out.estimates[1].end].contains("12\u{a0}000"));
}

#[test]
fn empty_and_huge_single_line_inputs() {
    let empty = extract("", &ExtractOptions::default());
    assert!(empty.estimates.is_empty());
    let line = "Police said about 5,000 people marched downtown on Saturday. ".repeat(20_000);
    let out = extract(&line, &ExtractOptions::default());
    // Each statement is one estimate (issue 9: a headline and its body are two).
    assert_eq!(out.estimates.len(), 20_000);
    assert!(out
        .estimates
        .iter()
        .all(|f| line[f.start..f.end] == *"about 5,000"));
}
