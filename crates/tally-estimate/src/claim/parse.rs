//! Reading a claim: quantitative statements about participants and places ("over 5
//! million people in over 2,000 places") parsed into ranges, with the words that select
//! events and the claimant who makes it.
//!
//! # Reading a claim
//!
//! Each quantity becomes a range `[low, high]` (`high` open for "over"):
//!
//! | wording | range |
//! |---|---|
//! | "over / more than / at least / upwards of / in excess of X", "X+", "X or more" | X … open |
//! | "fewer than / less than / under / below / at most / up to / no more than X" | 0 … X |
//! | "nearly / almost / close to / as many as X" | 0.9·X … X |
//! | "about / around / roughly / approximately / some / an estimated X" | X ∓ max(10%, rounding) |
//! | "X" (a bare figure) | X ∓ half a unit of its last stated digit ("5 million" → 4.5–5.5 million) |
//! | "between A and B", "A to B", "A-B" (a multiplier after B applies to A too) | A … B |
//! | "dozens", "hundreds", "thousands", "tens of thousands", "hundreds of thousands", "millions" | the DESIGN.md coded value … the largest value the words allow (tens of thousands: 20,000 … 99,999) |
//! | "tens of millions", "hundreds of millions"; "a few hundred thousand" | as "tens of thousands" and "hundreds of thousands", carried to the multiplier: 20 million … 99,999,999; 200,000 … 999,999 |
//!
//! Figures, number words, qualifiers and vague words are read by the workspace's one
//! number reader (`tally_extract::find_number_phrases`), with its vocabulary; this
//! module only turns what it read into claim ranges.
//!
//! A quantity followed by a word for places ("places", "events", "rallies", "cities",
//! "towns", "communities", "locations", "sites", "actions") counts places; followed by
//! "states" it counts states; otherwise it counts participants. Years, dates, ordinals
//! and percentages are skipped.
//!
//! The words that select events: a place after "in", "at", "across" ("in Chicago",
//! "in Washington, D.C.", "in Texas"); a distinctive kind of gathering ("parade",
//! "vigil", "strike", "walkout"); and the movement: a quoted phrase or a capitalized
//! phrase followed by a word for gatherings ("No Kings protests"). Other capitalized
//! phrases are kept as candidates that the caller can match against event titles
//! ([`Claim::choose_movement`]).
//!
//!
//! The claimant ("the White House said…", "organizers say…", "according to police") is
//! read with the extraction crate's attribution rules; a claim in no one's voice has none.

use serde::Serialize;
use tally_extract::{Bound, SizePhrase, TokenKind};
use tally_model::{Attribution, CodingRules, Event, Selection, StateCode};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClaimError {
    #[error("empty claim")]
    Empty,
    #[error("no number of participants, places or states found in {0:?}")]
    NoQuantity(String),
    /// A figure in scientific notation, or beyond the largest figure the workspace's
    /// number reader accepts (`tally_extract::MAX_FIGURE`): never read as a smaller one.
    #[error("{0:?} is not a whole number of people or places that tally can read")]
    NotAFigure(String),
}

/// A claimed quantity as a range; `high: None` is open above.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClaimRange {
    pub low: u64,
    pub high: Option<u64>,
    /// The words it was read from.
    pub text: String,
}

/// A parsed claim.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Claim {
    pub text: String,
    pub participants: Option<ClaimRange>,
    pub places: Option<ClaimRange>,
    pub states: Option<ClaimRange>,
    pub locality: Option<String>,
    pub state: Option<StateCode>,
    /// Words that must appear in an event's title or organizers ("No Kings").
    pub movement: Option<String>,
    /// A distinctive kind of gathering that must appear in the type or title ("parade").
    pub kind: Option<String>,
    /// Capitalized phrases that may name the movement; see [`Claim::choose_movement`].
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<String>,
    /// Who makes the claim, when its words say so ("the White House said" →
    /// officials). Their reports are not evidence for it.
    pub claimant: Option<Attribution>,
    /// True when the claim speaks of one gathering ("the parade"): of the events its
    /// kind matches, it is judged against the one it most plausibly means
    /// (see [`Claim::pick_one_gathering`]).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub one_gathering: bool,
}

const PLACE_NOUNS: &[&str] = &[
    "places",
    "place",
    "events",
    "event",
    "rallies",
    "rally",
    "protests",
    "cities",
    "city",
    "towns",
    "communities",
    "locations",
    "sites",
    "actions",
    "demonstrations",
    "marches",
    "gatherings",
    "venues",
    "counties",
];
const MOVEMENT_NOUNS: &[&str] = &[
    "protest",
    "protests",
    "rally",
    "rallies",
    "march",
    "marches",
    "events",
    "event",
    "demonstrations",
    "demonstration",
    "day",
    "movement",
    "parade",
    "gatherings",
];
const KINDS: &[(&str, &str)] = &[
    ("parade", "parade"),
    ("parades", "parade"),
    ("vigil", "vigil"),
    ("vigils", "vigil"),
    ("strike", "strike"),
    ("strikes", "strike"),
    ("walkout", "walkout"),
    ("walkouts", "walkout"),
];
/// Words before a kind of gathering that do not narrow it.
const ARTICLES: &[&str] = &[
    "this", "that", "these", "those", "its", "his", "her", "their", "our", "your", "my", "big",
    "huge", "large", "massive", "small", "whole", "entire", "first", "same", "attended", "joined",
    "watched", "saw", "lined", "at", "to", "for", "of", "with",
];

/// Capitalized words that never name a movement or a place on their own.
const NOT_NAMES: &[&str] = &[
    "the",
    "a",
    "an",
    "in",
    "at",
    "on",
    "i",
    "we",
    "they",
    "it",
    "this",
    "that",
    "there",
    "us",
    "u.s.",
    "america",
    "american",
    "americans",
    "nationwide",
    "saturday",
    "sunday",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "and",
    "but",
    "across",
    "according",
];

/// A word, figure or mark of the claim, from the number reader's tokenizer.
#[derive(Debug, Clone)]
struct Spanned {
    /// Lowercased, with typographic apostrophes straightened ("trump's").
    lower: String,
    kind: TokenKind,
    start: usize,
    end: usize,
    /// True when the word starts with a capital letter in the text.
    capitalized: bool,
}

impl Spanned {
    /// True for the punctuation mark `c` (curly quotes count as `"`).
    fn is_mark(&self, c: char) -> bool {
        self.kind == TokenKind::Punct
            && match c {
                '"' => matches!(self.lower.as_str(), "\"" | "\u{201c}" | "\u{201d}"),
                _ => self.lower.chars().eq([c]),
            }
    }
}

fn tokenize(text: &str) -> Vec<Spanned> {
    tally_extract::tokenize(text)
        .into_iter()
        .map(|t| Spanned {
            lower: text[t.start..t.end].to_lowercase().replace('\u{2019}', "'"),
            kind: t.kind,
            start: t.start,
            end: t.end,
            capitalized: t.capitalized,
        })
        .collect()
}

fn mark_at(tokens: &[Spanned], i: usize, c: char) -> bool {
    tokens.get(i).is_some_and(|t| t.is_mark(c))
}

fn word_at(tokens: &[Spanned], i: usize) -> Option<&str> {
    tokens
        .get(i)
        .filter(|t| t.kind == TokenKind::Word)
        .map(|t| t.lower.as_str())
}

/// One quantity found in the claim.
struct Found {
    low: f64,
    high: Option<f64>,
    /// Index of the first token of the quantity (its qualifier included).
    start: usize,
    /// Index of the first token after the quantity.
    next: usize,
}

/// Half a unit of the last non-zero digit: the rounding a bare figure implies ("5
/// million" → 500,000; "4.8 million" → 50,000; "250,000" → 5,000).
fn rounding_of(value: u64) -> f64 {
    let mut unit = 1.0;
    let mut v = value;
    while v > 0 && v % 10 == 0 {
        v /= 10;
        unit *= 10.0;
    }
    0.5 * unit
}

/// A figure's range under what its qualifier says of it.
fn range_of(bound: Bound, value: f64, rounding: f64) -> (f64, Option<f64>) {
    match bound {
        Bound::Above => (value, None),
        Bound::Below => (0.0, Some(value)),
        Bound::Nearly => (0.9 * value, Some(value)),
        Bound::Approximate => {
            let margin = (0.1 * value).max(rounding);
            (value - margin, Some(value + margin))
        }
        Bound::Exact => (value - rounding, Some(value + rounding)),
    }
}

/// A phrase read by the number reader as a claim range. Vague words run from their
/// coded value to just below the next power of ten, the largest value the words
/// allow ("tens of thousands": 20,000 … 99,999; "dozens": 24 … 99); a rule phrase that
/// names one number ("a dozen", "a million") is that number.
fn claim_range(phrase: &SizePhrase) -> (f64, Option<f64>) {
    let stated = phrase
        .vague_text
        .as_deref()
        .and_then(tally_extract::read_number);
    let (low, high) = (phrase.low as f64, phrase.high as f64);
    if phrase.is_range {
        if phrase.coded_by_rule && stated.is_none() {
            return (low, Some(largest_of_magnitude(phrase.high)));
        }
        return (low, Some(high));
    }
    if phrase.coded_by_rule && stated.is_none() {
        return match phrase.bound {
            Bound::Above => (low, None),
            Bound::Below => (0.0, Some(largest_of_magnitude(phrase.high))),
            _ => (low, Some(largest_of_magnitude(phrase.high))),
        };
    }
    let (low, high) = range_of(phrase.bound, low, rounding_of(phrase.low));
    (low.max(0.0), high)
}

/// The largest number with as many digits as `value` (200 → 999).
fn largest_of_magnitude(value: u64) -> f64 {
    let mut top = 10.0;
    while top <= value as f64 {
        top *= 10.0;
    }
    top - 1.0
}

/// The quantities of a claim, read by the workspace's number reader, with the token
/// span each covers.
fn find_quantities(text: &str, tokens: &[Spanned]) -> Vec<Found> {
    let mut found = Vec::new();
    for phrase in tally_extract::find_number_phrases(text, &CodingRules::default()) {
        // "one" alone is more often a pronoun than a crowd ("one of the largest").
        if phrase.high <= 1 {
            continue;
        }
        let Some(start) = tokens.iter().position(|t| t.start == phrase.start) else {
            continue;
        };
        let Some(last) = tokens[start..].iter().position(|t| t.end == phrase.end) else {
            continue;
        };
        let (low, high) = claim_range(&phrase);
        found.push(Found {
            low,
            high,
            start,
            next: start + last + 1,
        });
    }
    found
}

enum Counted {
    Participants,
    Places,
    States,
}

/// What a quantity counts, from the words after it.
fn counted(tokens: &[Spanned], next: usize) -> Counted {
    for k in next..(next + 4).min(tokens.len()) {
        match word_at(tokens, k) {
            Some("states") => return Counted::States,
            Some(w) if PLACE_NOUNS.contains(&w) => {
                // "2,000 protesters" is people; "2,000 protests" is places.
                return Counted::Places;
            }
            Some(
                "people" | "protesters" | "protestors" | "participants" | "marchers"
                | "demonstrators" | "attendees" | "spectators" | "americans" | "supporters"
                | "residents" | "persons" | "individuals" | "marched" | "attended" | "rallied"
                | "gathered" | "joined" | "protested" | "turned" | "showed" | "took" | "came"
                | "filled" | "packed" | "lined" | "were" | "attendance" | "crowd" | "strong",
            ) => return Counted::Participants,
            // Adjectives and fillers between a number and its noun.
            Some(
                "different" | "separate" | "local" | "individual" | "of" | "and" | "other" | "no"
                | "kings" | "more",
            ) => continue,
            Some(_) => return Counted::Participants,
            None => {
                if tokens.get(k).is_some_and(|t| t.kind != TokenKind::Punct) {
                    return Counted::Participants;
                }
            }
        }
    }
    Counted::Participants
}

/// Reads the place after "in/at/across": a state, "City, ST", "Washington, D.C.", or a
/// capitalized locality. Returns (locality, state, tokens used).
fn read_place(
    text: &str,
    tokens: &[Spanned],
    at: usize,
) -> Option<(Option<String>, Option<StateCode>, usize)> {
    let mut j = at;
    if word_at(tokens, j) == Some("the") {
        j += 1;
    }
    let first = j;
    while j < tokens.len()
        && tokens[j].capitalized
        && tokens[j].kind == TokenKind::Word
        && !word_at(tokens, j).is_some_and(|w| NOT_NAMES.contains(&w) && j == first)
    {
        j += 1;
        // "St. Paul": a period inside a name.
        if mark_at(tokens, j, '.')
            && tokens.get(j + 1).is_some_and(|t| t.capitalized)
            && word_at(tokens, j - 1).is_some_and(|w| w.len() <= 3)
        {
            j += 1;
        }
    }
    if j == first {
        return None;
    }
    let name = text[tokens[first].start..tokens[j - 1].end].to_string();
    let lower = name.to_lowercase();
    // What follows: ", ST", ", State", " D.C.".
    let mut used = j;
    let mut state_after: Option<StateCode> = None;
    // "D.C." is one word; "D.C" at the end of a claim reads as "D", ".", "C".
    let dc_follows = |k: usize| {
        (word_at(tokens, k) == Some("d") && word_at(tokens, k + 2) == Some("c"))
            || matches!(word_at(tokens, k), Some("dc" | "d.c."))
    };
    let mut k = j;
    if mark_at(tokens, k, ',') {
        k += 1;
    }
    if dc_follows(k) {
        state_after = "DC".parse().ok();
        used = if word_at(tokens, k) == Some("d") {
            k + 3
        } else {
            k + 1
        };
        if mark_at(tokens, used, '.') {
            used += 1;
        }
    } else if k > j {
        if let Some(w) = word_at(tokens, k) {
            let original = &text[tokens[k].start..tokens[k].end];
            if original.len() == 2 && original.chars().all(|c| c.is_ascii_uppercase()) {
                state_after = original.parse().ok();
            } else if tokens[k].capitalized && mark_at(tokens, k + 1, '.') {
                // AP style: "Springfield, Ill.".
                state_after = StateCode::from_ap_abbreviation(w);
                if state_after.is_some() {
                    k += 1;
                }
            }
            if state_after.is_none() {
                state_after = StateCode::from_name(w);
            }
            if state_after.is_some() {
                used = k + 1;
            }
        }
    }
    if let Some(state) = state_after {
        let locality = if lower == "washington" && state.as_str() == "DC" {
            "Washington".to_string()
        } else {
            name
        };
        return Some((Some(locality), Some(state), used - at));
    }
    match lower.as_str() {
        "washington" | "dc" | "d" => {
            return Some((Some("Washington".into()), "DC".parse().ok(), used - at))
        }
        "new york" | "new york city" | "nyc" => {
            return Some((Some("New York".into()), "NY".parse().ok(), used - at))
        }
        _ => {}
    }
    if let Some(state) = StateCode::from_name(&name) {
        if word_at(tokens, j) == Some("state") {
            return Some((None, Some(state), j + 1 - at));
        }
        return Some((None, Some(state), used - at));
    }
    Some((Some(name), None, used - at))
}

/// Parses a claim. Fails only when it holds no quantity at all.
pub fn parse_claim(text: &str) -> Result<Claim, ClaimError> {
    if text.trim().is_empty() {
        return Err(ClaimError::Empty);
    }
    if let Some((start, end)) = tally_extract::find_unreadable_figure(text) {
        return Err(ClaimError::NotAFigure(text[start..end].to_string()));
    }
    let tokens = tokenize(text);
    let quantities = find_quantities(text, &tokens);
    let mut claim = Claim {
        text: text.trim().to_string(),
        participants: None,
        places: None,
        states: None,
        locality: None,
        state: None,
        movement: None,
        kind: None,
        candidates: Vec::new(),
        claimant: claimant_in(text),
        one_gathering: false,
    };
    let mut consumed = vec![false; tokens.len()];
    for q in &quantities {
        for c in consumed.iter_mut().take(q.next).skip(q.start) {
            *c = true;
        }
        let range = ClaimRange {
            low: q.low.round() as u64,
            high: q.high.map(|h| h.round() as u64),
            text: text[tokens[q.start].start..tokens[q.next - 1].end].to_string(),
        };
        let slot = match counted(&tokens, q.next) {
            Counted::Participants => &mut claim.participants,
            Counted::Places => &mut claim.places,
            Counted::States => &mut claim.states,
        };
        if slot.is_none() {
            *slot = Some(range);
        }
    }
    if claim.participants.is_none() && claim.places.is_none() && claim.states.is_none() {
        return Err(ClaimError::NoQuantity(text.trim().to_string()));
    }

    // Places after "in", "at", "across", "throughout".
    let mut i = 0;
    while i < tokens.len() {
        if matches!(
            word_at(&tokens, i),
            Some("in" | "at" | "across" | "throughout")
        ) && !consumed[i]
        {
            if let Some((locality, state, used)) = read_place(text, &tokens, i + 1) {
                // "at No Kings rallies" names a movement, not a place.
                let after = word_at(&tokens, i + 1 + used);
                if after.is_some_and(|w| MOVEMENT_NOUNS.contains(&w)) {
                    i += 1;
                    continue;
                }
                if claim.locality.is_none() && claim.state.is_none() {
                    claim.locality = locality;
                    claim.state = state;
                }
                for c in consumed.iter_mut().skip(i).take(used + 1) {
                    *c = true;
                }
                i += used + 1;
                continue;
            }
        }
        i += 1;
    }

    // Kinds of gathering, with the adjective before them when there is one ("the
    // military parade" selects military parades, not every parade that day).
    for k in 0..tokens.len() {
        if let Some(w) = word_at(&tokens, k) {
            if let Some((_, kind)) = KINDS.iter().find(|(word, _)| *word == w) {
                let adjective = k
                    .checked_sub(1)
                    .and_then(|j| word_at(&tokens, j))
                    .filter(|a| {
                        !NOT_NAMES.contains(a)
                            && !ARTICLES.contains(a)
                            && a.chars().all(char::is_alphabetic)
                    });
                let phrase = match adjective {
                    Some(a) if !consumed[k - 1] => format!("{a} {kind}"),
                    _ => kind.to_string(),
                };
                if claim.kind.is_none() {
                    claim.kind = Some(phrase);
                    // "the parade", "this military parade": one gathering, not a sum
                    // over every parade of the day.
                    let singular = w == *kind;
                    let definite = (k.saturating_sub(2)..k)
                        .any(|j| matches!(word_at(&tokens, j), Some("the" | "this" | "that")));
                    claim.one_gathering = singular && definite;
                }
            }
        }
    }

    // The movement: quoted phrases, then capitalized phrases.
    let mut k = 0;
    while k < tokens.len() {
        if tokens[k].is_mark('"') {
            if let Some(close) = (k + 1..tokens.len()).find(|&e| tokens[e].is_mark('"')) {
                if close > k + 1 {
                    let phrase = text[tokens[k + 1].start..tokens[close - 1].end].to_string();
                    claim.movement.get_or_insert(phrase);
                }
                k = close + 1;
                continue;
            }
        }
        let is_name_word = |t: &Spanned, idx: usize| {
            t.capitalized
                && !consumed[idx]
                && t.kind == TokenKind::Word
                && !tally_extract::is_month_name(&t.lower)
        };
        if is_name_word(&tokens[k], k) {
            let mut end = k;
            while end < tokens.len() && is_name_word(&tokens[end], end) {
                end += 1;
            }
            // Drop leading words that are never names ("The", "Over", "In").
            let mut begin = k;
            while begin < end && word_at(&tokens, begin).is_some_and(|w| NOT_NAMES.contains(&w)) {
                begin += 1;
            }
            if begin < end {
                let phrase = text[tokens[begin].start..tokens[end - 1].end].to_string();
                let followed_by_noun =
                    word_at(&tokens, end).is_some_and(|w| MOVEMENT_NOUNS.contains(&w));
                if followed_by_noun && claim.movement.is_none() {
                    claim.movement = Some(phrase.clone());
                }
                if !claim.candidates.contains(&phrase) {
                    claim.candidates.push(phrase);
                }
            }
            k = end;
            continue;
        }
        k += 1;
    }
    if let Some(m) = &claim.movement {
        claim.candidates.retain(|c| c != m);
    }
    Ok(claim)
}

/// The class of whoever makes a claim, read with the extraction crate's attribution
/// rules ("the White House said…" → officials, "according to police" → police,
/// "organizers say…" → organizers). `None` when the claim names no one. The extraction
/// rules give a figure in no one's voice to the outlet (`media`), which for a claim
/// typed by the user names no one; a media claimant would set no class aside anyway.
pub fn claimant_in(text: &str) -> Option<Attribution> {
    tally_extract::extract(text, &tally_extract::ExtractOptions::default())
        .estimates
        .iter()
        .map(|found| found.estimate.attribution())
        .find(|&a| !matches!(a, Attribution::Unknown | Attribution::Media))
}

impl Claim {
    /// For a claim about one gathering ("the parade") that matches several events, the
    /// index of the one it means: among the events where the claimant's class made a
    /// statement (the White House spoke of the military parade, not of a Pride parade),
    /// else among all, the most reported one (the parade of the day is the one every
    /// outlet wrote about); ties go to the smaller id. `None` when the claim is not
    /// about one gathering or nothing matches.
    pub fn pick_one_gathering(
        &self,
        events: &[Event],
        claimant_spoke: impl Fn(&Event) -> bool,
    ) -> Option<usize> {
        if !self.one_gathering || events.is_empty() {
            return None;
        }
        let spoken: Vec<usize> = (0..events.len())
            .filter(|&i| claimant_spoke(&events[i]))
            .collect();
        let pool: Vec<usize> = if spoken.is_empty() {
            (0..events.len()).collect()
        } else {
            spoken
        };
        pool.into_iter().max_by(|&a, &b| {
            (events[a].reports.len(), std::cmp::Reverse(&events[a].id))
                .cmp(&(events[b].reports.len(), std::cmp::Reverse(&events[b].id)))
        })
    }

    /// Picks the movement among the candidate phrases: the first that appears in one of
    /// the given titles (case-insensitive). Keeps an explicit movement.
    pub fn choose_movement<'a>(&mut self, titles: impl IntoIterator<Item = &'a str>) {
        if self.movement.is_some() {
            return;
        }
        let titles: Vec<String> = titles.into_iter().map(str::to_lowercase).collect();
        self.movement = self
            .candidates
            .iter()
            .find(|c| {
                let needle = c.to_lowercase();
                titles.iter().any(|t| t.contains(&needle))
            })
            .cloned();
    }

    /// The claim's place and movement applied on top of a base selection (the date).
    pub fn selection(&self, base: &Selection) -> Selection {
        let mut selection = base.clone();
        if self.locality.is_some() {
            selection.locality = self.locality.clone();
        }
        if self.state.is_some() {
            selection.state = self.state;
        }
        selection
    }

    /// True when an event matches the claim's movement and kind (the place and date are
    /// in [`Claim::selection`]).
    pub fn matches(&self, event: &Event) -> bool {
        let fields = [&event.title, &event.organizers, &event.event_type];
        let contains = |needle: &str| {
            let needle = needle.to_lowercase();
            fields
                .iter()
                .filter_map(|f| f.as_deref())
                .any(|f| f.to_lowercase().contains(&needle))
        };
        self.movement.as_deref().is_none_or_match(contains)
            && self.kind.as_deref().is_none_or_match(contains)
    }
}

trait NoneOrMatch {
    fn is_none_or_match(&self, test: impl Fn(&str) -> bool) -> bool;
}

impl NoneOrMatch for Option<&str> {
    fn is_none_or_match(&self, test: impl Fn(&str) -> bool) -> bool {
        match self {
            None => true,
            Some(s) => test(s),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Claim {
        parse_claim(text).unwrap()
    }

    fn range(r: &Option<ClaimRange>) -> (u64, Option<u64>) {
        let r = r.as_ref().expect("a range");
        (r.low, r.high)
    }

    #[test]
    fn people_and_places() {
        let c = parse("over 5 million people in over 2,000 places");
        assert_eq!(range(&c.participants), (5_000_000, None));
        assert_eq!(range(&c.places), (2_000, None));
        assert_eq!(c.locality, None);
    }

    #[test]
    fn parade_claim() {
        let c = parse("more than 250,000 people attended the parade");
        assert_eq!(range(&c.participants), (250_000, None));
        assert_eq!(c.kind.as_deref(), Some("parade"));
        let c = parse("Trump's military parade drew fewer than 50,000");
        assert_eq!(c.kind.as_deref(), Some("military parade"));
        assert_eq!(range(&c.participants), (0, Some(50_000)));
    }

    #[test]
    fn the_parade_is_one_gathering_and_parades_are_many() {
        assert!(parse("more than 250,000 people attended the parade").one_gathering);
        assert!(parse("The White House said 250,000 came to this military parade").one_gathering);
        assert!(!parse("250,000 people attended parades across the country").one_gathering);
        assert!(!parse("250,000 people attended a parade").one_gathering);
    }

    #[test]
    fn vague_claim_with_a_city() {
        let c = parse("tens of thousands marched in Chicago");
        assert_eq!(range(&c.participants), (20_000, Some(99_999)));
        assert_eq!(c.locality.as_deref(), Some("Chicago"));
        assert_eq!(c.movement, None);
    }

    #[test]
    fn upper_bounds_ranges_and_bare_figures() {
        let c = parse("fewer than one million people marched");
        assert_eq!(range(&c.participants), (0, Some(1_000_000)));
        let c = parse("between 2 and 4.8 million");
        assert_eq!(range(&c.participants), (2_000_000, Some(4_800_000)));
        let c = parse("5 million");
        assert_eq!(range(&c.participants), (4_500_000, Some(5_500_000)));
        let c = parse("2-4.8 million people at more than 2,150 actions");
        assert_eq!(range(&c.participants), (2_000_000, Some(4_800_000)));
        assert_eq!(range(&c.places), (2_150, None));
        let c = parse("about 15,000 people");
        assert_eq!(range(&c.participants), (13_500, Some(16_500)));
        let c = parse("nearly 5,000 marched");
        assert_eq!(range(&c.participants), (4_500, Some(5_000)));
        let c = parse("5 million+ Americans");
        assert_eq!(range(&c.participants), (5_000_000, None));
    }

    #[test]
    fn places_states_movement_and_dates() {
        let c = parse("On June 14, 2025, No Kings protests drew 5 million people in all 50 states");
        assert_eq!(range(&c.participants), (4_500_000, Some(5_500_000)));
        assert_eq!(range(&c.states), (45, Some(55)));
        assert_eq!(c.movement.as_deref(), Some("No Kings"));
        let c = parse("thousands rallied in Washington, D.C.");
        assert_eq!(c.locality.as_deref(), Some("Washington"));
        assert_eq!(c.state.map(|s| s.to_string()).as_deref(), Some("DC"));
        let c = parse("over 100,000 people in Texas");
        assert_eq!(c.state.map(|s| s.to_string()).as_deref(), Some("TX"));
        assert_eq!(c.locality, None);
        let c = parse("80,000 people marched in St. Paul, MN");
        assert_eq!(c.locality.as_deref(), Some("St. Paul"));
        assert_eq!(c.state.map(|s| s.to_string()).as_deref(), Some("MN"));
    }

    #[test]
    fn movement_from_candidates() {
        let mut c = parse("Organizers said 5 million joined the Hands Off day");
        assert_eq!(c.movement.as_deref(), Some("Hands Off"));
        let mut c2 = parse("ACLU: 5 million joined No Kings");
        assert_eq!(c2.movement, None);
        c2.choose_movement(["No Kings", "Military parade"]);
        assert_eq!(c2.movement.as_deref(), Some("No Kings"));
        c.choose_movement(["x"]);
        assert_eq!(c.movement.as_deref(), Some("Hands Off"));
    }

    #[test]
    fn the_claimant_is_found_in_the_words() {
        let cases = [
            (
                "The White House said more than 250,000 people attended the parade",
                Some(Attribution::Officials),
            ),
            (
                "Organizers say 5 million people marched in 2,100 places",
                Some(Attribution::Organizers),
            ),
            (
                "According to police, 50,000 marched in Chicago",
                Some(Attribution::Police),
            ),
            (
                "Police estimated 30,000 people at the rally",
                Some(Attribution::Police),
            ),
            (
                "The mayor said 100,000 people joined",
                Some(Attribution::Officials),
            ),
            ("more than 250,000 people attended the parade", None),
        ];
        for (text, claimant) in cases {
            assert_eq!(parse(text).claimant, claimant, "{text}");
        }
    }

    #[test]
    fn issue_13_huge_and_scientific_figures_are_errors() {
        for text in [
            "over 1e309 people",
            "more than 5e6 people marched",
            "over 99999999999999999999 people in 2,000 places",
        ] {
            assert!(
                matches!(parse_claim(text), Err(ClaimError::NotAFigure(_))),
                "{text}: {:?}",
                parse_claim(text)
            );
        }
        assert!(parse_claim("over 9,000,000 people").is_ok());
    }

    #[test]
    fn issue_8_claims_read_numbers_with_the_extraction_reader() {
        let cases: &[(&str, (u64, Option<u64>))] = &[
            // The reader's qualifier vocabulary, with what each says of the figure.
            ("~5,000 people", (4_500, Some(5_500))),
            ("no more than 40,000 people marched", (0, Some(40_000))),
            ("crowds exceeding 10,000 people", (10_000, None)),
            ("as many as 8,000 people", (7_200, Some(8_000))),
            ("close to 2 million people", (1_800_000, Some(2_000_000))),
            ("some 3,000 people", (2_500, Some(3_500))),
            // Number words and forms only the reader knows.
            ("a quarter million people", (245_000, Some(255_000))),
            (
                "two and a half million people",
                (2_450_000, Some(2_550_000)),
            ),
            ("125 000 people", (124_500, Some(125_500))),
            ("10,000+ people", (10_000, None)),
            // Vague words: the coded value up to the largest the words allow.
            ("dozens of people", (24, Some(99))),
            ("hundreds of thousands of people", (200_000, Some(999_999))),
            ("a few thousand people", (2_000, Some(9_999))),
            ("over a million people", (1_000_000, None)),
        ];
        for (text, want) in cases {
            assert_eq!(range(&parse(text).participants), *want, "{text}");
        }
        // Percentages, ordinals, years and days are numbers, not amounts.
        let c = parse("40% of the 2,000 people at the 3rd rally on June 14, 2025");
        assert_eq!(range(&c.participants), (1_500, Some(2_500)));
        let c = parse("50,000 people marched in Springfield, Ill.");
        assert_eq!(c.locality.as_deref(), Some("Springfield"));
        assert_eq!(c.state.map(|s| s.to_string()).as_deref(), Some("IL"));
        // A quoted vague word is still a vague amount.
        let c = parse("\"millions\" marched in 2,000 towns");
        assert_eq!(range(&c.participants), (2_000_000, Some(9_999_999)));
        assert_eq!(range(&c.places), (1_500, Some(2_500)));
    }

    #[test]
    fn issue_9_claim_ranges_follow_the_coding_rules() {
        let cases: &[(&str, (u64, Option<u64>))] = &[
            // "tens of thousands" is 20,000 (DESIGN.md); "tens of millions" is 20
            // million, up to the largest the words allow.
            ("tens of millions of people", (20_000_000, Some(99_999_999))),
            (
                "hundreds of millions marched",
                (200_000_000, Some(999_999_999)),
            ),
            ("tens of thousands of people", (20_000, Some(99_999))),
            // "as many as" and "nearly" reach the figure from just below it.
            ("as many as 6 million people", (5_400_000, Some(6_000_000))),
            ("nearly 7 million people", (6_300_000, Some(7_000_000))),
            ("almost a million people", (900_000, Some(1_000_000))),
            // Bare round figures: half a unit of the last stated digit.
            ("5 million people", (4_500_000, Some(5_500_000))),
            ("250,000 people", (245_000, Some(255_000))),
            ("7,000 people", (6_500, Some(7_500))),
            ("a million people", (500_000, Some(1_500_000))),
            // Coded hundreds of a larger multiplier ("a few hundred thousand").
            ("a few hundred thousand people", (200_000, Some(999_999))),
            ("more than 5 million people", (5_000_000, None)),
        ];
        for (text, want) in cases {
            assert_eq!(range(&parse(text).participants), *want, "{text}");
        }
    }

    #[test]
    fn no_quantity_is_an_error() {
        assert!(matches!(
            parse_claim("huge crowds everywhere"),
            Err(ClaimError::NoQuantity(_))
        ));
        assert_eq!(parse_claim("  "), Err(ClaimError::Empty));
        assert!(parse_claim("the 250th birthday in 2025").is_err());
    }
}
