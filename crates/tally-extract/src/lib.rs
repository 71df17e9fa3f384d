//! tally-extract: the extraction stage. From a short size cell or from article text it
//! finds crowd sizes (ranges with qualifier, attribution and scope), counts of events
//! or places, and the gathering's place and date; from article bytes it makes sources
//! and reports.
//!
//! No I/O: every function takes text or bytes and returns values plus diagnostics.

pub mod article;
mod attribution;
mod date;
mod extract;
mod lexicon;
mod markup;
mod number;
mod place;
mod reader;
mod rules;
mod token;

pub use article::{article_text, read_articles, ArticleFormat, ArticleReports, ExtractError};
pub use markup::html_to_text;
pub use reader::{
    figure, find_number_phrases, find_unreadable_figure, is_month_name, qualifier_bound,
    qualifier_phrases, read_number, read_size_phrase, Bound, SizePhrase, MAX_FIGURE,
};
use tally_model::{CodingRules, Date, Estimate, StateCode};
/// The tokenizer of the number reader, for callers that read short text around its
/// figures (the claim parser): words, figures and punctuation with byte offsets.
pub use token::{tokenize, Kind as TokenKind, Token};

/// How to read a text: which vague-word convention codes "dozens", and the
/// publication date that relative days ("on Saturday") are counted from.
#[derive(Debug, Clone, Default)]
pub struct ExtractOptions {
    pub rules: CodingRules,
    pub publication_date: Option<Date>,
}

/// One crowd size found in a text, with where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundEstimate {
    pub estimate: Estimate,
    /// Byte offset of the phrase (qualifier included: "more than 5,000") in the text.
    pub start: usize,
    /// Byte offset one past the phrase.
    pub end: usize,
    /// The coding rules' label (`CodingRules::label()`, "design@1") when the figure
    /// was coded from a vague word; `None` for stated figures.
    pub rules: Option<String>,
    /// The place of the gathering the figure describes: named in its sentence
    /// ("in nearby Evanston, a few hundred"), else the last place named before it,
    /// else the dateline. `place_from` says which.
    pub locality: Option<String>,
    pub state: Option<StateCode>,
    pub place_from: PlaceFrom,
    /// The date of the gathering the figure describes: a date stated with it, else
    /// the text's date (`Extraction::date`) unless the figure is about an earlier
    /// gathering (`past`).
    pub date: Option<Date>,
    /// The year of an earlier gathering named only by its year ("the largest protest
    /// in 2020 drew 25,000").
    pub year: Option<i32>,
    /// The figure describes an earlier gathering named as a comparison, not the one
    /// the text reports ("in 2017, an estimated 175,000 joined").
    pub past: bool,
    /// The figure counts a part of its gathering's crowd on its own: people from
    /// elsewhere who came to join it ("several hundred people from Toledo rode buses
    /// to the Cleveland rally"), people turned away. It is a size as stated, but no
    /// size of the whole gathering.
    pub part: bool,
}

/// Where an estimate's place came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PlaceFrom {
    /// Named in the figure's own sentence.
    Sentence,
    /// The last place named before the figure's sentence.
    Earlier,
    /// The story's dateline.
    Dateline,
    /// No place is named.
    #[default]
    None,
}

impl PlaceFrom {
    pub fn as_str(self) -> &'static str {
        match self {
            PlaceFrom::Sentence => "sentence",
            PlaceFrom::Earlier => "earlier",
            PlaceFrom::Dateline => "dateline",
            PlaceFrom::None => "none",
        }
    }
}

/// A note about something the extractor could not settle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Byte offset in the text, when the note is about one place in it.
    pub offset: Option<usize>,
    pub message: String,
}

/// What a text says about a gathering.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Extraction {
    pub estimates: Vec<FoundEstimate>,
    /// The number of events or places stated ("in over 2,000 places"); the largest
    /// when several are given.
    pub event_count: Option<u64>,
    pub locality: Option<String>,
    pub state: Option<StateCode>,
    pub date: Option<Date>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Finds every stated crowd size in `text`, with range, qualifier, attribution and
/// scope; the stated number of events or places; and the gathering's place and date.
///
/// Never panics; a text with no figures gives an empty extraction. Each stated phrase
/// is one estimate: a figure stated twice (a headline and its body) is reported twice.
pub fn extract(text: &str, options: &ExtractOptions) -> Extraction {
    extract::extract(text, options)
}

/// Codes a short size cell ("7,000", "3-4,000", "dozens", "about 5k",
/// "hundreds (per police)") into an estimate, using `rules` for vague words.
///
/// Returns `None` when the cell states no number ("a large crowd", "NA", "").
/// When the cell holds several figures, the first phrase is taken; a source named in
/// the cell ("per police", "(organizers)") becomes the attribution. The same reading
/// as `read_size_phrase`, as a model estimate.
pub fn parse_size_phrase(text: &str, rules: &CodingRules) -> Option<Estimate> {
    read_size_phrase(text, rules).map(|p| p.to_estimate())
}

#[cfg(test)]
mod tests {
    use super::*;
    use tally_model::{Attribution, Scope};

    #[test]
    fn issue_9_reused_buffers_give_the_same_answers() {
        // `extract` keeps its working vectors for the next call on the thread: a text
        // read after a longer one (and after a much longer one, whose buffers are
        // freed) is read as on a fresh thread.
        let long = "Police said 5,000 marched in Denver on Saturday. Organizers counted \
                    about 8,000 people at the rally, while a few dozen counter-protesters \
                    gathered nearby. "
            .repeat(40);
        let huge = long.repeat(250);
        let short = "About 300 people rallied at the capitol, organizers said.";
        let options = ExtractOptions::default();
        let fresh = |text: &'static str| {
            let text = text.to_string();
            std::thread::spawn(move || format!("{:?}", extract(&text, &ExtractOptions::default())))
                .join()
                .expect("thread")
        };
        let first = fresh(short);
        for before in [&long, &huge, &long] {
            assert!(!extract(before, &options).estimates.is_empty());
            assert_eq!(format!("{:?}", extract(short, &options)), first);
        }
        assert_eq!(sizes(short), vec![(300, 300, "organizers", "event")]);
    }

    fn sizes(text: &str) -> Vec<(u64, u64, &'static str, &'static str)> {
        extract(text, &ExtractOptions::default())
            .estimates
            .into_iter()
            .map(|f| {
                (
                    f.estimate.low(),
                    f.estimate.high(),
                    f.estimate.attribution().as_str(),
                    f.estimate.scope().as_str(),
                )
            })
            .collect()
    }

    #[test]
    fn the_mixed_day_of_protest_article() {
        let text = "Organizers said more than 5 million people took part in over 2,100 \
            events nationwide. The administration has set a quota of 3,000 arrests a day, \
            and immigration agents have averaged 1,200 arrests daily. The Pentagon sent \
            4,000 National Guard troops and 700 Marines to Los Angeles. In Philadelphia, \
            police estimated that about 80,000 people marched.";
        let e = extract(text, &ExtractOptions::default());
        assert_eq!(
            sizes(text),
            [
                (5_000_000, 5_000_000, "organizers", "aggregate"),
                (80_000, 80_000, "police", "event")
            ]
        );
        assert_eq!(e.event_count, Some(2100));
        assert_eq!(e.estimates[1].locality.as_deref(), Some("Philadelphia"));
        assert_eq!(e.estimates[0].estimate.scope(), Scope::Aggregate);
    }

    #[test]
    fn police_low_organizers_high() {
        assert_eq!(
            sizes("Police estimated the crowd at 5,000, while organizers put it at 12,000."),
            [
                (5000, 5000, "police", "event"),
                (12_000, 12_000, "organizers", "event")
            ]
        );
        // The outlet's own voice is media; only a hedge makes a figure unknown.
        assert_eq!(
            sizes("An estimated 3-4,000 demonstrators rallied."),
            [(3000, 4000, "media", "event")]
        );
        assert_eq!(
            sizes("The crowd was estimated at 3,000."),
            [(3000, 3000, "unknown", "event")]
        );
        assert_eq!(sizes("Dozens were arrested and 300 officers stood by."), []);
    }

    #[test]
    fn issue_9_each_figure_carries_its_own_place_and_date() {
        let options = ExtractOptions {
            publication_date: Date::from_ymd_opt(2025, 6, 15),
            ..ExtractOptions::default()
        };
        let text = "CHICAGO (AP) \u{2014} About 30,000 people marched through the Loop on \
            Saturday. In nearby Evanston, a few hundred gathered outside the library. The \
            largest protest in 2020 drew 25,000.";
        let e = extract(text, &options);
        let got: Vec<_> = e
            .estimates
            .iter()
            .map(|f| {
                (
                    f.estimate.low(),
                    f.locality.as_deref(),
                    f.place_from,
                    f.date.map(|d| d.to_string()),
                    f.year,
                    f.past,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    30_000,
                    Some("Chicago"),
                    PlaceFrom::Dateline,
                    Some("2025-06-14".into()),
                    None,
                    false
                ),
                (
                    200,
                    Some("Evanston"),
                    PlaceFrom::Sentence,
                    Some("2025-06-14".into()),
                    None,
                    false
                ),
                (
                    25_000,
                    Some("Evanston"),
                    PlaceFrom::Earlier,
                    None,
                    Some(2020),
                    true
                ),
            ]
        );
    }

    /// Places of session 23's articles: a town in a later clause of the sentence is
    /// that clause's ("8,000 marched ..., while in nearby Ann Arbor about 3,500
    /// gathered"), "in nearby X a crowd of", a `Place, figure;` list with a small last
    /// item (no age), and people from a named town who travelled to the rally: a part
    /// of the crowd where they arrived.
    #[test]
    fn issue_9_later_clauses_list_items_and_contingents_take_their_own_place() {
        let got = |text: &str| -> Vec<(u64, Option<String>, bool)> {
            extract(text, &ExtractOptions::default())
                .estimates
                .into_iter()
                .map(|f| (f.estimate.low(), f.locality, f.part))
                .collect()
        };
        let own = |n: u64, town: &str| (n, Some(town.to_string()), false);
        assert_eq!(
            got(
                "DETROIT \u{2014} Roughly 8,000 people marched on Saturday, while in nearby \
                Ann Arbor about 3,500 gathered."
            ),
            [own(8_000, "Detroit"), own(3_500, "Ann Arbor")]
        );
        assert_eq!(
            got(
                "DETROIT \u{2014} Roughly 8,000 people marched, police said, while in nearby \
                Ann Arbor a crowd of about 3,500 filled the Diag."
            ),
            [own(8_000, "Detroit"), own(3_500, "Ann Arbor")]
        );
        assert_eq!(
            got(
                "DETROIT \u{2014} Crowds marched. Elsewhere in the state: Grand Rapids, 4,000; \
                Ludington, 600; Manistee, about 250; Onekama, 45."
            ),
            [
                own(4_000, "Grand Rapids"),
                own(600, "Ludington"),
                own(250, "Manistee"),
                own(45, "Onekama")
            ]
        );
        assert_eq!(
            got(
                "CLEVELAND \u{2014} About 6,000 people rallied on Public Square. Several \
                hundred people from Toledo rode chartered buses to join the rally."
            ),
            [
                own(6_000, "Cleveland"),
                (200, Some("Cleveland".to_string()), true)
            ]
        );
        // People from a town who marched there are its own crowd, not a part.
        assert_eq!(
            got("Hundreds of people from Flint marched to City Hall."),
            [(200, None, false)]
        );
    }

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
