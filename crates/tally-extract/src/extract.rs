//! The extractor: from article text to crowd-size estimates, an event count, and the
//! gathering's place and date.
//!
//! It works clause by clause. Number phrases are read first (`number.rs`); each is
//! then judged from its head noun ("5,000 protesters", "2,100 rallies", "300
//! arrests"), the verb after it ("5,000 marched", "5,000 were arrested") and the words
//! before it in its clause ("a crowd of", "drew", "expected", "would have"). A figure
//! is a crowd size only on positive evidence and with no cancelling word: a bare
//! number is never a size.

use crate::attribution;
use crate::lexicon::{self, Crowd};
use crate::number::{self, Doc, Phrase};
use crate::token::{self, Kind};
use crate::{date, place};
use crate::{Diagnostic, ExtractOptions, Extraction, FoundEstimate, PlaceFrom};
use chrono::Datelike;
use tally_model::{Attribution, Scope};

/// What a number phrase is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Crowd { skip_to: usize },
    EventCount,
    Other,
}

/// Head of a figure: the noun (or verb) that says what it counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Head {
    Crowd(Crowd),
    Event,
    Negative,
    None,
}

fn is_stop_word(w: &str) -> bool {
    matches!(
        w,
        "in" | "at"
            | "on"
            | "to"
            | "from"
            | "for"
            | "with"
            | "by"
            | "and"
            | "or"
            | "but"
            | "than"
            | "as"
            | "who"
            | "that"
            | "which"
            | "said"
            | "says"
            | "say"
            | "the"
            | "a"
            | "an"
            | "is"
            | "was"
            | "were"
            | "are"
            | "be"
            | "been"
            | "had"
            | "have"
            | "has"
            | "it"
            | "its"
            | "this"
            | "these"
            | "those"
            | "their"
            | "his"
            | "her"
            | "into"
            | "onto"
            | "over"
            | "under"
            | "about"
            | "after"
            | "before"
            | "during"
            | "while"
            | "when"
            | "where"
            | "if"
            | "because"
            | "so"
            | "not"
            | "no"
            | "there"
            | "per"
            | "each"
            | "apiece"
            | "according"
            | "police"
            | "organizers"
    )
}

fn is_auxiliary(w: &str) -> bool {
    matches!(
        w,
        "were"
            | "was"
            | "had"
            | "have"
            | "has"
            | "are"
            | "is"
            | "been"
            | "who"
            | "that"
            | "also"
            | "reportedly"
            | "eventually"
            | "later"
            | "then"
            | "all"
            | "already"
            | "still"
            | "reportedly,"
            | "had,"
            | "soon"
            | "quickly"
            | "ultimately"
            | "finally"
            | "together"
            | "peacefully"
            | "mostly"
            | "largely"
            | "initially"
            | "first"
            | "once"
            | "again"
            | "did"
            | "do"
            | "actually"
            | "each"
            | "ever"
            | "just"
    )
}

/// Words that close the backward look for cancelling context.
fn closes_context(doc: &Doc, k: usize) -> bool {
    match doc.kind(k) {
        Some(Kind::Punct) => matches!(
            doc.raw(k),
            "," | ";" | ":" | "(" | ")" | "." | "!" | "?" | "\u{2014}" | "\u{2013}"
        ),
        Some(Kind::Word) => matches!(
            doc.word(k),
            "and"
                | "but"
                | "while"
                | "whereas"
                | "though"
                | "although"
                | "including"
                | "when"
                | "where"
                | "after"
                | "before"
                | "as"
                | "because"
                | "then"
        ),
        _ => false,
    }
}

/// Judges the number phrase `p` in the sentence `[lo, hi)`.
/// What the sentence around a figure says about crowds.
#[derive(Debug, Clone, Copy)]
struct SentenceContext {
    /// The sentence speaks of a crowd, turnout or attendees.
    crowd_words: bool,
    /// An earlier figure of the sentence is a crowd size.
    earlier_crowd: bool,
    /// The sentence is about a game, concert or fair, not a political gathering.
    non_political: bool,
}

fn classify(doc: &Doc, lo: usize, hi: usize, p: &Phrase, context: SentenceContext) -> Verdict {
    let crowd_sentence = context.crowd_words || context.earlier_crowd;
    if context.non_political {
        return Verdict::Other;
    }
    if p.high == 0 || p.fractional {
        return Verdict::Other;
    }
    let prev = if p.first > lo {
        p.first - 1
    } else {
        usize::MAX
    };
    let prev_word = if prev == usize::MAX {
        ""
    } else {
        doc.word(prev)
    };
    let prev_raw = if prev == usize::MAX {
        ""
    } else {
        doc.raw(prev)
    };
    // Money, hashtags, numbers ("No. 5"), dates, ages.
    if matches!(prev_raw, "$" | "\u{20ac}" | "\u{a3}" | "#" | "\u{a7}")
        || lexicon::month_number(prev_word.trim_end_matches('.')).is_some()
            && doc.tokens[prev].capitalized
        || matches!(
            prev_word,
            "no."
                | "number"
                | "page"
                | "route"
                | "highway"
                | "interstate"
                | "suite"
                | "room"
                | "gate"
                | "pier"
                | "exit"
                | "aged"
                | "age"
                | "ages"
                | "i"
                | "proposition"
                | "prop"
                | "measure"
                | "article"
                | "section"
                | "district"
        )
        || prev_raw == "." && doc.word(prev.wrapping_sub(1)) == "no"
        || prev_raw == "'" && doc.adjacent(p.first)
    {
        return Verdict::Other;
    }
    // Times ("3:30").
    if doc.raw(p.number_end) == ":" && doc.kind(p.number_end + 1) == Some(Kind::Number) {
        return Verdict::Other;
    }
    // Run-in letters: ordinals, decades, "2pm".
    if doc.adjacent(p.number_end) && doc.kind(p.number_end) == Some(Kind::Word) {
        let w = doc.word(p.number_end);
        if matches!(
            w,
            "th" | "st"
                | "nd"
                | "rd"
                | "s"
                | "pm"
                | "am"
                | "a.m."
                | "p.m."
                | "km"
                | "mi"
                | "ft"
                | "m2"
                | "sq"
        ) {
            return Verdict::Other;
        }
    }
    // A month after the day ("14 June"), a percent sign.
    let after = doc.word(p.end);
    if doc.raw(p.end) == "%"
        || lexicon::month_number(after.trim_end_matches('.')).is_some()
            && doc.tokens.get(p.end).is_some_and(|t| t.capitalized)
            && p.high <= 31
    {
        return Verdict::Other;
    }
    // "hundreds more marched later" adds a group; "2 million more than" compares.
    let more_joined = after == "more"
        && !(p.end..(p.end + 5).min(hi)).any(|k| doc.word(k) == "than")
        && (p.end + 1..(p.end + 4).min(hi)).any(|k| lexicon::crowd_verb(doc.word(k)));
    // Differences and ratios: "2 million more", "three times as many".
    if !more_joined
        && matches!(
            after,
            "more"
                | "fewer"
                | "less"
                | "times"
                | "additional"
                | "extra"
                | "fold"
                | "-fold"
                | "percent"
                | "per"
        )
        || doc.is_dash(p.end)
            && doc.adjacent(p.end)
            && matches!(
                doc.word(p.end + 1),
                "fold"
                    | "year-old"
                    | "year"
                    | "years"
                    | "day"
                    | "hour"
                    | "minute"
                    | "mile"
                    | "foot"
                    | "acre"
                    | "page"
                    | "point"
            )
    {
        return Verdict::Other;
    }
    // Head noun after the figure.
    let mut head = Head::None;
    let mut head_at = p.end;
    let mut verb_after = false;
    let mut negative_after = false;
    let mut k = if more_joined { p.end + 1 } else { p.end };
    let mut skipped = 0;
    while k < hi && skipped <= 4 {
        match doc.kind(k) {
            Some(Kind::Punct) => {
                let raw = doc.raw(k);
                if doc.is_dash(k) && doc.adjacent(k) {
                    // "5,000-strong", "a 3,000-person march".
                    let w = doc.word(k + 1);
                    if matches!(w, "strong" | "person" | "people" | "member" | "plus") {
                        head = Head::Crowd(Crowd::Strong);
                        head_at = k + 1;
                        break;
                    }
                    k += 1;
                    continue;
                }
                if matches!(
                    raw,
                    "'" | "\"" | "\u{2018}" | "\u{2019}" | "\u{201c}" | "\u{201d}"
                ) {
                    k += 1;
                    continue;
                }
                break;
            }
            Some(Kind::Word) => {
                let w = doc.word(k);
                if let Some(c) = lexicon::crowd_noun(w) {
                    // "people per square mile", "people a day".
                    head = Head::Crowd(c);
                    head_at = k;
                    break;
                }
                if lexicon::event_noun(w) {
                    head = Head::Event;
                    head_at = k;
                    break;
                }
                if lexicon::negative_noun(w) {
                    head = Head::Negative;
                    head_at = k;
                    break;
                }
                if lexicon::person_like(w) && skipped < 3 {
                    // "Oregonians", "farmworkers", "environmentalists": people, but
                    // only with a verb that says they came.
                    head = Head::Crowd(Crowd::Weak);
                    head_at = k;
                    break;
                }
                if w == "in" && doc.word(k + 1) == "attendance"
                    || w == "on" && matches!(doc.word(k + 1), "hand" | "strike")
                {
                    verb_after = true;
                    break;
                }
                if skipped == 0 && lexicon::negative_verb(w) {
                    negative_after = true;
                    break;
                }
                if lexicon::crowd_verb(w) {
                    verb_after = true;
                    break;
                }
                if is_auxiliary(w) {
                    // "Dozens were arrested", "5,000 had gathered": look at the verb.
                    let mut m = k;
                    while is_auxiliary(doc.word(m)) && m < k + 3 {
                        m += 1;
                    }
                    let v = doc.word(m);
                    if lexicon::negative_verb(v) || lexicon::negative_noun(v) {
                        negative_after = true;
                    } else if lexicon::crowd_verb(v) || matches!(v, "there" | "present" | "out") {
                        verb_after = true;
                    }
                    break;
                }
                if w == "of" {
                    k += 1;
                    skipped += 1;
                    continue;
                }
                if is_stop_word(w) || number::may_start_quantity(doc, k) && w != "a" {
                    break;
                }
                k += 1;
                skipped += 1;
            }
            _ => break,
        }
    }
    // The verb after the noun: "5,000 people marched", "300 people were arrested".
    if matches!(head, Head::Crowd(_)) {
        let mut m = head_at + 1;
        // "people who", "protesters, who".
        let limit = (m + 5).min(hi);
        while m < limit {
            let w = doc.word(m);
            if doc.kind(m) == Some(Kind::Punct) {
                let raw = doc.raw(m);
                if raw == "," && doc.word(m + 1) == "who"
                    || matches!(raw, "\"" | "\u{201d}" | "\u{2019}" | "'")
                {
                    m += 1;
                    continue;
                }
                break;
            }
            if is_auxiliary(w) || matches!(w, "reportedly" | "who" | "apparently") {
                m += 1;
                continue;
            }
            // "farmworkers and their supporters marched".
            if matches!(w, "and" | "or") {
                let mut n = m + 1;
                if matches!(doc.word(n), "their" | "the" | "other" | "some" | "local") {
                    n += 1;
                }
                if lexicon::crowd_noun(doc.word(n)).is_some() || lexicon::person_like(doc.word(n)) {
                    m = n + 1;
                    continue;
                }
            }
            if w == "per"
                || w == "a" && matches!(doc.word(m + 1), "day" | "week" | "year" | "month")
                || w == "each" && matches!(doc.word(m + 1), "day" | "week" | "year" | "month")
                || w == "an" && doc.word(m + 1) == "hour"
            {
                return Verdict::Other;
            }
            if matches!(
                w,
                "higher" | "lower" | "larger" | "smaller" | "bigger" | "greater" | "fewer" | "more"
            ) && (m + 1..(m + 3).min(hi)).any(|k| doc.word(k) == "than")
            {
                // "2,000 people higher than last year": a difference.
                return Verdict::Other;
            }
            if lexicon::negative_verb(w)
                || w == "in" && matches!(doc.word(m + 1), "custody" | "jail" | "detention")
                || w == "into" && doc.word(m + 1) == "custody"
            {
                negative_after = true;
            } else if lexicon::crowd_verb(w)
                || matches!(w, "there" | "present")
                || w == "on" && matches!(doc.word(m + 1), "strike" | "hand")
            {
                verb_after = true;
            }
            break;
        }
    }
    if head == Head::Negative || negative_after {
        return Verdict::Other;
    }
    // Backward look in the clause.
    let mut negative_before = false;
    let mut crowd_before = false;
    let mut k = p.first;
    let mut steps = 0;
    let mut crossed = 0;
    while k > lo && steps < 10 {
        k -= 1;
        steps += 1;
        if closes_context(doc, k) {
            crossed += 1;
            // A comma does not close "The crowd, estimated at 5,000".
            if crossed > 1 || !matches!(doc.raw(k), "," | "\u{2014}") {
                break;
            }
            continue;
        }
        let w = doc.word(k);
        // "the planned march drew 3,000" plans nothing; "turned 79" needs the figure
        // right after it.
        let harmless = matches!(w, "planned" | "permitted" | "scheduled" | "registered")
            && lexicon::gathering_noun(doc.word(k + 1))
            || matches!(w, "turned" | "turns") && k + 1 != p.first;
        if crossed == 0 && !harmless && lexicon::negative_context(w) {
            // "the troops" is a subject, not a cancelling word, once a verb of its own
            // stands between: "troops watched as 5,000 marched" is cut by "as".
            negative_before = true;
        }
        if lexicon::crowd_context(w) {
            crowd_before = true;
        }
        // "the game, which drew 68,000 fans": a crowd, but not at a gathering we count.
        if matches!(
            w,
            "game"
                | "games"
                | "concert"
                | "fair"
                | "museum"
                | "zoo"
                | "match"
                | "tournament"
                | "ballgame"
                | "playoff"
                | "marathon"
        ) {
            negative_before = true;
        }
        if w == "than" && k + 1 == p.first {
            negative_before = true;
        }
        // "organizers said it was closer to 8,000" in a sentence about a crowd.
        if crowd_sentence
            && crossed == 0
            && matches!(w, "it" | "figure" | "number" | "total" | "that")
        {
            crowd_before = true;
        }
        // "police said 5k, while the organizers said 8k".
        if crowd_sentence
            && k + 1 == p.first
            && matches!(
                w,
                "said"
                    | "estimated"
                    | "claimed"
                    | "counted"
                    | "reported"
                    | "says"
                    | "found"
                    | "showed"
                    | "suggested"
                    | "was"
                    | "were"
                    | "be"
                    | "is"
            )
        {
            crowd_before = true;
        }
    }
    // "an estimated 200,000 in New York City" in a sentence about crowds.
    if crowd_sentence
        && p.qualifier
            .is_some_and(|(s, e)| (s..e).any(|k| doc.word(k) == "estimated"))
    {
        crowd_before = true;
    }
    // "a man, 24, was charged", "said Luis Ortega, 45.": an age after a name.
    if prev_raw == ","
        && matches!(doc.raw(p.end), "," | "." | ";" | ")")
        && p.high < 120
        && !p.is_range
        && p.qualifier.is_none()
    {
        return Verdict::Other;
    }
    // "one marcher" is a person, not a crowd.
    if p.high == 1 {
        return Verdict::Other;
    }
    // "Two of the 50 protesters who entered were charged": a part of a group.
    if prev_word == "the"
        && p.first >= lo + 3
        && doc.word(p.first - 2) == "of"
        && number::may_start_quantity(doc, p.first - 3)
    {
        return Verdict::Other;
    }
    // A figure with no noun, followed in its clause by an expectation:
    // "the 200,000 the organizers had predicted".
    if head != Head::Event {
        // Also after a noun: "the 200,000 spectators the Army had anticipated". A verb
        // of coming ends the look: "3,000 attended the rally organizers expected".
        let from = if head == Head::None {
            p.end
        } else {
            head_at + 1
        };
        let mut m = from;
        while m < hi && m < from + 7 && !closes_context(doc, m) {
            if lexicon::crowd_verb(doc.word(m)) {
                break;
            }
            if matches!(
                doc.word(m),
                "predicted"
                    | "expected"
                    | "projected"
                    | "anticipated"
                    | "hoped"
                    | "forecast"
                    | "planned"
                    | "promised"
                    | "registered"
                    | "rsvp'd"
            ) {
                return Verdict::Other;
            }
            m += 1;
        }
    }
    // A partitive "one of the organizers" is not a figure.
    if doc.word(p.number_start) == "one" && doc.word(p.end) == "of" {
        return Verdict::Other;
    }
    if prev_word == "of" && prev > lo {
        let mut g = prev - 1;
        let mut n = 0;
        while g > lo
            && n < 1
            && !lexicon::gathering_noun(doc.word(g))
            && matches!(
                doc.word(g),
                "peaceful"
                    | "large"
                    | "massive"
                    | "silent"
                    | "candlelight"
                    | "huge"
                    | "big"
                    | "small"
                    | "raucous"
                    | "spirited"
                    | "boisterous"
                    | "noisy"
                    | "somber"
                    | "orderly"
                    | "crowd"
                    | "protest"
                    | "festive"
                    | "angry"
                    | "diverse"
            )
        {
            g -= 1;
            n += 1;
        }
        if lexicon::gathering_noun(doc.word(g)) {
            crowd_before = true;
        }
    }
    // "a city of about 237,000 people", "home to 90,000".
    if prev_word == "of" && prev > lo {
        let place = doc.word(prev - 1);
        if matches!(
            place,
            "city"
                | "town"
                | "village"
                | "county"
                | "state"
                | "community"
                | "suburb"
                | "nation"
                | "country"
                | "population"
                | "metro"
                | "region"
                | "area"
                | "district"
                | "borough"
                | "municipality"
                | "island"
                | "neighborhood"
                | "hamlet"
                | "enrollment"
                | "membership"
                | "workforce"
                | "staff"
                | "force"
                | "army"
                | "total"
                | "list"
                | "database"
        ) {
            return Verdict::Other;
        }
    }
    if prev_word == "to" && prev > lo && doc.word(prev - 1) == "home" {
        return Verdict::Other;
    }
    // "Police: 3,000. Organizers: 7,500.": a source as a label.
    if head == Head::None
        && prev_raw == ":"
        && p.first >= lo + 2
        && doc.has(p.first - 2, lexicon::SOURCE_START)
    {
        crowd_before = true;
    }
    // "police said 8,000, organizers 20,000": a source, then a bare figure.
    if context.earlier_crowd
        && head == Head::None
        && prev != usize::MAX
        && doc.has(prev, lexicon::SOURCE_START)
    {
        crowd_before = true;
    }
    // "Demonstrators — about 2,000 by police count — marched": an appositive figure.
    if head == Head::None
        && p.first >= lo + 2
        && matches!(prev_raw, "\u{2014}" | "," | "(" | "\u{2013}")
        && lexicon::crowd_noun(doc.word(p.first - 2)) == Some(Crowd::Strong)
    {
        crowd_before = true;
    }
    // "about 40 people at noon and about 400 by 2 p.m.": a figure coordinated with a
    // crowd size, with no noun of its own, is one too.
    if context.earlier_crowd
        && head == Head::None
        && (matches!(prev_word, "and" | "to" | "or" | "while" | "but" | ",")
            || prev_word == "at" && p.low >= 20)
    {
        crowd_before = true;
    }
    if head == Head::Event {
        return Verdict::EventCount;
    }
    if negative_before {
        return Verdict::Other;
    }
    if p.yearlike && !crowd_before && p.qualifier.is_none() {
        return Verdict::Other;
    }
    // "the 2017 march", "the 2020 Women's March": a year naming a gathering.
    if p.yearlike
        && (1900..=2100).contains(&p.low)
        && (lexicon::gathering_noun(after)
            || doc.tokens.get(p.end).is_some_and(|t| t.capitalized)
            || after == "'s")
    {
        return Verdict::Other;
    }
    // "to get one million people into the streets": a goal.
    if (p.first.saturating_sub(3).max(lo)..p.first).any(|k| {
        doc.word(k) == "to"
            && !matches!(
                doc.word(k.wrapping_sub(1)),
                "up" | "close"
                    | "closer"
                    | "near"
                    | "grew"
                    | "swelled"
                    | "rose"
                    | "climbed"
                    | "jumped"
                    | "increased"
            )
            && matches!(
                doc.word(k + 1),
                "get"
                    | "bring"
                    | "draw"
                    | "attract"
                    | "reach"
                    | "mobilize"
                    | "turn"
                    | "put"
                    | "see"
                    | "gather"
                    | "hit"
                    | "recruit"
                    | "organize"
                    | "have"
            )
    }) {
        return Verdict::Other;
    }
    let skip_to = if head == Head::None {
        p.end
    } else {
        head_at + 1
    };
    match head {
        Head::Crowd(Crowd::Strong) => Verdict::Crowd { skip_to },
        Head::Crowd(Crowd::Weak) if verb_after || crowd_before => Verdict::Crowd { skip_to },
        Head::None if verb_after || crowd_before => Verdict::Crowd { skip_to },
        _ => Verdict::Other,
    }
}

/// One crowd figure before attribution is settled.
struct Candidate {
    phrase: Phrase,
    skip_to: usize,
}

pub fn extract(text: &str, options: &ExtractOptions) -> Extraction {
    let lower = text.to_ascii_lowercase();
    let tokens = token::tokenize(text);
    let doc = Doc::new(text, &lower, &tokens);
    let sentences = token::sentences(text, &lower, &tokens);
    let rules_label = options.rules.label();
    let mut diagnostics = Vec::new();

    let mut found: Vec<FoundEstimate> = Vec::new();
    let mut event_counts: Vec<u64> = Vec::new();
    let mut crowd_sentences: Vec<usize> = Vec::new();
    let mut candidates: Vec<Candidate> = Vec::new();
    // Dates are read first so that their numbers ("June 14, 2025") are never figures.
    let dates = date::find_dates(&doc, options.publication_date);
    let mut in_date = vec![false; tokens.len()];
    for d in &dates {
        for flag in &mut in_date[d.at..d.end.min(tokens.len())] {
            *flag = true;
        }
    }

    for (s_index, &(lo, hi)) in sentences.iter().enumerate() {
        let mut i = lo;
        candidates.clear();
        let mut sentence_events = false;
        // Computed on the first figure of the sentence: most sentences have none.
        let mut crowd_words: Option<bool> = None;
        let mut non_political: Option<bool> = None;
        while i < hi {
            if in_date[i] || !number::may_start_quantity(&doc, i) {
                i += 1;
                continue;
            }
            // "between" and "from" open ranges; qualifiers are read backwards.
            let Some(phrase) = number::read_phrase(&doc, i, &options.rules, true) else {
                i += 1;
                continue;
            };
            if phrase.end > hi {
                i += 1;
                continue;
            }
            let next = phrase.end.max(i + 1);
            let crowd_words = *crowd_words
                .get_or_insert_with(|| (lo..hi).any(|k| doc.has(k, lexicon::CROWD_WORD)));
            let non_political = *non_political.get_or_insert_with(|| {
                // Most sentences name no venue: check that first.
                if !(lo..hi).any(|k| doc.has(k, lexicon::VENUE)) {
                    return false;
                }
                !(lo..hi).any(|k| {
                    let w = doc.word(k);
                    lexicon::gathering_noun(w)
                        && !matches!(
                            w,
                            "crowd"
                                | "crowds"
                                | "audience"
                                | "attendance"
                                | "turnout"
                                | "event"
                                | "day"
                                | "town"
                                | "hall"
                                | "concert"
                                | "festival"
                                | "celebration"
                        )
                        || matches!(
                            w,
                            "protesters"
                                | "demonstrators"
                                | "marchers"
                                | "rallied"
                                | "marched"
                                | "protested"
                        )
                })
            });
            let context = SentenceContext {
                non_political,
                crowd_words,
                earlier_crowd: !candidates.is_empty(),
            };
            match classify(&doc, lo, hi, &phrase, context) {
                Verdict::Crowd { skip_to } => candidates.push(Candidate { phrase, skip_to }),
                Verdict::EventCount => {
                    // "one of 35 rallies in Arizona" places a single gathering among
                    // many; it does not make the sentence's figures national.
                    let first = phrase.first;
                    let one_of = first >= 2
                        && doc.word(first - 1) == "of"
                        && matches!(doc.word(first - 2), "one" | "among" | "any");
                    sentence_events |= !one_of;
                    event_counts.push(phrase.low);
                }
                Verdict::Other => {}
            }
            i = next;
        }
        if candidates.is_empty() {
            continue;
        }
        crowd_sentences.push(s_index);
        let cues = attribution::cues(&doc, lo, hi);
        // "They estimated...": a pronoun source refers to the last source named in
        // the three sentences before; looked up only when needed.
        let previous_source = if cues.iter().any(|c| c.who == Attribution::Unknown) {
            sentences[s_index.saturating_sub(3)..s_index]
                .iter()
                .rev()
                .find_map(|&(plo, phi)| {
                    attribution::cues(&doc, plo, phi)
                        .iter()
                        .rev()
                        .find(|c| c.who != Attribution::Unknown)
                        .map(|c| c.who)
                })
        } else {
            None
        };
        let starts: Vec<usize> = candidates.iter().map(|c| c.phrase.first).collect();
        let clauses = attribution::Clauses::new(&doc, lo, hi);
        for c in &candidates {
            let p = &c.phrase;
            let who = attribution::choose(
                &doc,
                &cues,
                p.first,
                c.skip_to,
                previous_source,
                &starts,
                &clauses,
            );
            // No source named: the outlet's own voice, unless hedged (DESIGN.md).
            let who = if who == Attribution::Unknown {
                {
                    // The sentence before can say who is speaking ("I attended the vigil.").
                    let context_lo = sentences[s_index.saturating_sub(1)].0;
                    attribution::unnamed_source(
                        &doc, &cues, context_lo, lo, hi, p.first, c.skip_to, &clauses,
                    )
                }
            } else {
                who
            };
            let aggregate =
                attribution::aggregate_clause(&doc, lo, hi, p.first, c.skip_to, &clauses)
                    || sentence_events
                        && !attribution_breaks_between_events(&doc, lo, hi, p.first, &clauses);
            let scope = if aggregate {
                Scope::Aggregate
            } else {
                Scope::Event
            };
            let estimate = number::phrase_estimate(&doc, p)
                .with_attribution(who)
                .with_scope(scope);
            let start = tokens[p.first].start;
            let end = tokens[p.end - 1].end;
            // A figure stated twice (headline and body) is two statements: both kept.
            let rules = estimate.coded_by_rule().then(|| rules_label.clone());
            found.push(FoundEstimate {
                estimate,
                start,
                end,
                rules,
                locality: None,
                state: None,
                place_from: PlaceFrom::None,
                date: None,
                year: None,
                past: false,
            });
        }
    }

    // A figure of a million or more in a story about many places, with no place of
    // its own in its sentence, is a national figure even when its own sentence does
    // not say so ("The protests were held in every state. Organizers said 5 million
    // took part.").
    let big = found
        .iter()
        .any(|f| f.estimate.scope() == Scope::Event && f.estimate.low() >= 1_000_000);
    let many_places = big
        && (!event_counts.is_empty()
            || (0..tokens.len()).any(|k| {
                matches!(
                    doc.word(k),
                    "nationwide" | "national" | "nationally" | "country" | "every" | "statewide"
                )
            }));
    if many_places {
        for f in &mut found {
            if f.estimate.scope() == Scope::Event && f.estimate.low() >= 1_000_000 {
                let at = tokens.partition_point(|t| t.start < f.start);
                let own_place = sentences.iter().any(|&(lo, hi)| {
                    lo <= at
                        && at < hi
                        && (lo..hi).any(|k| {
                            matches!(doc.word(k), "in" | "at")
                                && doc.tokens.get(k + 1).is_some_and(|t| t.capitalized)
                        })
                });
                if !own_place {
                    f.estimate = f.estimate.clone().with_scope(Scope::Aggregate);
                }
            }
        }
    }

    // Places: the dateline, else the first place named; each estimate takes the last
    // place named before it (or in its sentence), falling back to the dateline.
    let places = place::find_places(&doc);
    let dateline = places.iter().find(|p| p.dateline).cloned();
    // Sentences are in order, so the sentence of a token is a binary search.
    let sentence_of = |at: usize| {
        let s = sentences.partition_point(|(lo, _)| *lo <= at);
        s.checked_sub(1).filter(|&s| at < sentences[s].1)
    };
    for f in &mut found {
        let at = tokens.partition_point(|t| t.start < f.start);
        let (sentence_start, sentence_end) = sentence_of(at).map_or((at, at), |s| sentences[s]);
        // Places named in the figure's sentence (nearest first), else the last one
        // before it. `places` is in text order (the dateline first).
        let from = places.partition_point(|p| p.dateline || p.at < sentence_start);
        let to = places.partition_point(|p| p.dateline || p.at < sentence_end);
        let in_sentence = places[from.min(to)..to]
            .iter()
            .filter(|p| !p.dateline)
            .min_by_key(|p| p.at.abs_diff(at));
        let before_end = places.partition_point(|p| p.dateline || p.at < at);
        let before = places[..before_end].iter().rev().find(|p| !p.dateline);
        let (chosen, from) = match (in_sentence, before, dateline.as_ref()) {
            (Some(p), _, _) => (Some(p), PlaceFrom::Sentence),
            (None, Some(p), _) => (Some(p), PlaceFrom::Earlier),
            (None, None, Some(p)) => (Some(p), PlaceFrom::Dateline),
            _ => (None, PlaceFrom::None),
        };
        if let Some(p) = chosen {
            f.locality = p.locality.clone();
            f.state = p.state;
            f.place_from = from;
        }
    }
    let first_event = found.iter().find(|f| f.estimate.scope() == Scope::Event);
    let (locality, state) = match (&dateline, first_event) {
        (Some(d), _) => (d.locality.clone(), d.state),
        (None, Some(f)) if f.locality.is_some() || f.state.is_some() => {
            (f.locality.clone(), f.state)
        }
        _ => places
            .first()
            .map_or((None, None), |p| (p.locality.clone(), p.state)),
    };

    // The date: the first date in a sentence with a crowd figure, else in a sentence
    // about a gathering, else the first date.
    let mut crowd_sentence = vec![false; sentences.len()];
    for &s in &crowd_sentences {
        crowd_sentence[s] = true;
    }
    let about_gathering = |s: usize| {
        let (lo, hi) = sentences[s];
        (lo..hi).any(|k| {
            lexicon::gathering_noun(doc.word(k))
                || matches!(
                    doc.word(k),
                    "rallied" | "marched" | "protested" | "gathered" | "demonstrated"
                )
        })
    };
    let chosen_date = dates
        .iter()
        .find(|d| sentence_of(d.at).is_some_and(|s| crowd_sentence[s]))
        .or_else(|| {
            dates
                .iter()
                .find(|d| sentence_of(d.at).is_some_and(about_gathering))
        })
        .or(dates.first());
    let date = chosen_date.and_then(|d| d.date);
    if chosen_date.is_some_and(|d| d.date.is_none() && d.relative) {
        diagnostics.push(Diagnostic {
            offset: chosen_date.map(|d| tokens[d.at].start),
            message: "a relative date needs the publication date (--date)".to_string(),
        });
    }
    let reference_year = date.or(options.publication_date).map(|d| d.year());
    for f in &mut found {
        let at = tokens.partition_point(|t| t.start < f.start);
        let Some(s) = sentence_of(at) else {
            f.date = date;
            continue;
        };
        let (lo, hi) = sentences[s];
        let when = figure_date(&doc, &dates, &in_date, lo, hi, at, reference_year);
        f.past = when.past;
        f.year = when.year;
        f.date = match when.date {
            Some(d) => Some(d),
            None if when.past => None,
            None => date,
        };
    }
    Extraction {
        estimates: found,
        event_count: event_counts.into_iter().max(),
        locality,
        state,
        date,
        diagnostics,
    }
}

/// When the gathering of one figure was, from its own sentence.
#[derive(Debug, Default)]
struct FigureDate {
    date: Option<tally_model::Date>,
    year: Option<i32>,
    past: bool,
}

/// Reads the date of the figure at token `at` in the sentence `[lo, hi)`: the nearest
/// date stated in the sentence, a year naming an earlier gathering in the figure's
/// clause ("the largest protest in 2020 drew 25,000", "the 2017 Women's March"), or
/// "last year". A figure is `past` when its year is before `reference_year` (the
/// text's date, else the publication date).
fn figure_date(
    doc: &Doc,
    dates: &[date::DateMention],
    in_date: &[bool],
    lo: usize,
    hi: usize,
    at: usize,
    reference_year: Option<i32>,
) -> FigureDate {
    let mut out = FigureDate::default();
    // The figure's clause: commas do not end it ("In 2017, an estimated 175,000
    // joined"), stronger breaks do.
    let strong_break = |k: usize| {
        matches!(doc.raw(k), ";" | ":" | "\u{2014}" | "(" | ")")
            || matches!(
                doc.word(k),
                "while" | "but" | "whereas" | "compared" | "than" | "versus" | "vs" | "vs."
            )
    };
    let mut start = at;
    while start > lo && !strong_break(start - 1) {
        start -= 1;
    }
    let mut stop = at;
    while stop < hi && !strong_break(stop) {
        stop += 1;
    }
    // A clause that opens with "when" or "which" belongs to the year before it:
    // "the largest since 2017, when an estimated 175,000 joined".
    let opener = (start..at)
        .rev()
        .find(|&k| matches!(doc.word(k), "when" | "which"));
    let look_from = opener.map_or(start, |k| k.saturating_sub(4).max(lo));
    let explicit = dates
        .iter()
        .filter(|d| d.at >= look_from && d.at < stop && d.date.is_some())
        .min_by_key(|d| d.at.abs_diff(at));
    if let Some(d) = explicit {
        out.date = d.date;
        out.past = match (d.date, reference_year) {
            (Some(d), Some(y)) => d.year() < y,
            _ => false,
        };
        return out;
    }
    for k in look_from..stop {
        if in_date.get(k).copied().unwrap_or(false) || doc.kind(k) != Some(Kind::Number) {
            continue;
        }
        let raw = doc.raw(k);
        let Ok(y) = raw.parse::<i32>() else { continue };
        if raw.len() != 4 || !(1900..=2100).contains(&y) {
            continue;
        }
        let before = doc.word(k.wrapping_sub(1));
        let after = doc.word(k + 1);
        let names_year = matches!(before, "in" | "since" | "of" | "the" | "during" | "back")
            || lexicon::gathering_noun(after)
            || doc
                .tokens
                .get(k + 1)
                .is_some_and(|t| t.capitalized && t.kind == Kind::Word);
        if names_year {
            out.year = Some(y);
            out.past = reference_year.is_some_and(|r| y < r);
            return out;
        }
    }
    out.past = (start..stop).any(|k| {
        doc.word(k) == "last" && matches!(doc.word(k + 1), "year" | "year's")
            || doc.word(k) == "year" && doc.word(k + 1) == "ago"
    });
    out
}

/// True when a clause break separates the figure at `first` from every event count of
/// the sentence: "5 million in 2,000 cities, including 200,000 in New York".
fn attribution_breaks_between_events(
    doc: &Doc,
    lo: usize,
    hi: usize,
    first: usize,
    clauses: &attribution::Clauses,
) -> bool {
    let mut start = first;
    while start > lo && !clauses.is_break(start - 1) {
        start -= 1;
    }
    let mut stop = first;
    while stop < hi && !clauses.is_break(stop) {
        stop += 1;
    }
    !(start..stop).any(|k| {
        lexicon::event_noun(doc.word(k)) && k > start && {
            let before = doc.word(k - 1);
            doc.kind(k - 1) == Some(Kind::Number)
                || before.ends_with(|c: char| c.is_ascii_digit())
                || number::may_start_quantity(doc, k - 1)
                || doc.kind(k.wrapping_sub(2)) == Some(Kind::Number)
        }
    })
}
