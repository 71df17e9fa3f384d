//! Precision rules of session 27: people counted as something other than a gathering's
//! crowd. A figure's people can be counted as riders of a transit system, as people in a
//! queue for it, as answers to an online invitation, as givers of money, or by a verb
//! done to them or done by them that says nothing of coming ("100 journalists were
//! credentialed", "600,000 people had ridden the Metro", "three people were
//! apprehended"). Each rule reads the figure's clause: the verb after the people, the
//! verb the figure is the object of, or the words that set the figure off as a margin,
//! a depth or a count of events.

use super::{closes_context, is_adverb, Figure, Head, HeadReading};
use crate::lexicon;
use crate::number::Doc;
use crate::token::Kind;

/// True for an auxiliary of a perfect or a passive ("had ridden", "were credentialed").
fn perfect_or_passive(w: &str) -> bool {
    matches!(
        w,
        "had" | "have" | "has" | "were" | "was" | "are" | "is" | "been" | "be" | "being"
    )
}

/// A past participle by its ending ("credentialed", "apprehended", "ridden"): regular
/// verbs end in "-ed", most strong ones in "-en"/"-wn".
fn looks_like_participle(w: &str) -> bool {
    w.len() > 4 && (w.ends_with("ed") || w.ends_with("en") || w.ends_with("wn"))
}

/// "100 journalists were credentialed for the event", "nearly 600,000 people had
/// ridden the capital's Metro", "more than 500,000 people had answered the call",
/// "three people were apprehended by ICE agents", "29 people are still in the
/// hospital": people named by a noun, then an auxiliary of a perfect or a passive and a
/// participle that is no verb of coming (nor one of `crowd-participles.txt`: "were
/// joined by", "were led by"), or a place where people are held. The verb says what the
/// people are counted by, and it is no gathering, whatever the words before the figure
/// say ("said", "for the event"). A figure with no noun ("more than 500,000 had
/// answered") is left to the rules that read it.
pub(super) fn counted_by_another_verb(f: &Figure, reading: HeadReading) -> bool {
    if !matches!(reading.head, Head::Crowd(_)) || reading.verb_after {
        return false;
    }
    let doc = f.doc;
    let start = reading.head_at + 1;
    let mut m = start;
    let mut aux = false;
    while m < f.hi && m < start + 4 && (doc.is(m, &lexicon::AUXILIARIES) || is_adverb(doc.word(m)))
    {
        aux |= perfect_or_passive(doc.word(m));
        m += 1;
    }
    if !aux || m >= f.hi || doc.kind(m) != Some(Kind::Word) {
        return false;
    }
    let w = doc.word(m);
    // "are still in the hospital", "were in hospital".
    if w == "in" {
        let place = if doc.word(m + 1) == "the" {
            m + 2
        } else {
            m + 1
        };
        return matches!(doc.word(place), "hospital" | "hospitals");
    }
    looks_like_participle(w)
        && !doc.is(m, &lexicon::CROWD_VERBS)
        && !doc.is(m, &lexicon::CROWD_PARTICIPLES)
        && !doc.is(m, &lexicon::SAYING_VERBS)
        && !doc.is(m, &lexicon::PRESENCE_WORDS)
}

/// "The rally's app was downloaded by 117,000 people", "the video was shared by 40,000
/// users": the agent of a passive verb of no coming (not "was attended by 5,000 people",
/// "was greeted by hundreds of supporters", "was confronted by 200 protesters").
pub(super) fn agent_of_another_verb(f: &Figure) -> bool {
    let doc = f.doc;
    if f.prev_word != "by" || f.prev <= f.lo {
        return false;
    }
    let v = f.prev - 1;
    let w = doc.word(v);
    looks_like_participle(w)
        && (v > f.lo && perfect_or_passive(doc.word(v - 1)))
        && !doc.is(v, &lexicon::CROWD_VERBS)
        && !doc.is(v, &lexicon::CROWD_PARTICIPLES)
        && !doc.is(v, &lexicon::SAYING_VERBS)
}

/// "4,600 people interested on Facebook", "A Facebook page showed only 93,000 saying
/// they would attend": people counted by how they answered an invitation, right after
/// them ("interested", "saying they would attend", "who said they were going"); and
/// "Lines for fare cards were dozens of people deep", "crowds stood 10 deep along the
/// route": a depth, not a count. One look at the word after the people.
pub(super) fn answered_online_or_depth(f: &Figure, reading: HeadReading) -> bool {
    let doc = f.doc;
    let at = reading.after_people(f.p);
    match doc.word(at) {
        "interested" | "deep" => true,
        "saying" => super::said_they_plan(doc, at),
        "who" => super::said_they_plan(doc, at + 1),
        _ => false,
    }
}

/// A word of `transit-words.txt` in `[from, to)` with a word of `transit-uses.txt`
/// before it, at most six tokens before ("waited several hours at some stations").
fn uses_transit(doc: &Doc, from: usize, to: usize) -> bool {
    (from..to)
        .filter(|&k| doc.is(k, &lexicon::TRANSIT_WORDS))
        .any(|k| (from.max(k.saturating_sub(6))..k).any(|u| doc.is(u, &lexicon::TRANSIT_USES)))
}

/// People counted by a transit system: "nearly 600,000 people had ridden the capital's
/// Metro system", "Thousands of people stood for hours in endless lines trying to buy
/// Metro tickets", "People, hundreds of whom had lined up before dawn, waited at some
/// stations for trains" (a use of the system after the people, in their clause), and
/// "Metro expects to carry ... as many as 1.6 million people" (the figure is what a
/// transit system carries). Riders and people queued for trains are no crowd, even on a
/// march's day.
pub(super) fn counted_by_transit(f: &Figure, reading: HeadReading) -> bool {
    let doc = f.doc;
    // The clause after the people, to the sentence's end or its first full stop.
    let from = reading.after_people(f.p);
    let to = (from..f.hi.min(from + 16))
        .find(|&k| matches!(doc.raw(k), "." | ";" | ":" | "!" | "?"))
        .unwrap_or(f.hi.min(from + 16));
    if uses_transit(doc, from, to) {
        return true;
    }
    // "Metro expects to carry as many as 1.6 million people": a carrying verb before the
    // figure in its clause, with the transit system before it.
    let Some(carry) = (f.lo..f.p.first)
        .rev()
        .take_while(|&k| !matches!(doc.raw(k), "." | ";" | ":"))
        .find(|&k| doc.is(k, &lexicon::CARRYING_VERBS))
    else {
        return false;
    };
    (f.lo..carry).any(|k| doc.is(k, &lexicon::TRANSIT_WORDS))
}

/// "at least $3.5 million from at least 75,000 people", "raised $40,000 from 900
/// donors": the people money came from, not a crowd.
pub(super) fn gave_money(f: &Figure) -> bool {
    f.prev_word == "from" && (f.lo..f.prev).any(|k| f.doc.raw(k).contains('$'))
}

/// "which drew about a million people, give or take a few hundred thousand", "plus or
/// minus 500": a margin around a figure, not a figure of its own.
pub(super) fn is_margin(f: &Figure) -> bool {
    let doc = f.doc;
    matches!(f.prev_word, "take" | "minus")
        && f.prev != usize::MAX
        && f.prev >= f.lo + 2
        && matches!(
            (doc.word(f.prev - 2), doc.word(f.prev - 1), f.prev_word),
            ("give", "or", "take") | ("plus", "or", "minus")
        )
}

/// "365gay.com reported": a number glued to the word after it is part of a name.
pub(super) fn glued_to_name(f: &Figure) -> bool {
    let doc = f.doc;
    let end = f.p.end;
    f.p.vague.is_none()
        && f.p.number_end == end
        && end < doc.tokens.len()
        && doc.kind(end) == Some(Kind::Word)
        && doc.adjacent(end)
        && doc.raw(end).len() >= 3
        // "1,200people": a typo, not a name.
        && lexicon::crowd_noun(doc.word(end)).is_none()
}

/// "Amendment 4 supporters marched", "opponents of Measure 110": a bare number right
/// after a capitalized word of `numbered-name-heads.txt` is part of the name.
pub(super) fn in_a_numbered_name(f: &Figure) -> bool {
    f.prev != usize::MAX
        && f.prev + 1 == f.p.first
        && f.p.number_start == f.p.first
        && f.p.vague.is_none()
        && f.doc.tokens[f.prev].capitalized
        && f.doc.is(f.prev, &lexicon::NUMBERED_NAME_HEADS)
}

/// "I was in a small city that is the biggest in the county, at 125,000 people", "a
/// town with about 900 residents": a place's population set off after its noun.
pub(super) fn population_after_place(f: &Figure, reading: HeadReading) -> bool {
    let doc = f.doc;
    if !matches!(f.prev_word, "at" | "with") || reading.verb_after || f.prev <= f.lo {
        return false;
    }
    let people = match reading.head {
        Head::None => true,
        Head::Crowd(_) => matches!(
            doc.word(reading.head_at),
            "people" | "residents" | "inhabitants" | "souls"
        ),
        _ => false,
    };
    // "..., at 125,000 people" after the place's clause; "a town with 900 residents".
    let set_off = if f.prev_word == "at" {
        doc.raw(f.prev - 1) == ","
    } else {
        doc.is(f.prev - 1, &lexicon::POPULATED_PLACES)
    };
    people
        && set_off
        && (f.lo.max(f.prev.saturating_sub(10))..f.prev)
            .take_while(|&k| !matches!(doc.raw(k), "." | ";"))
            .any(|k| doc.is(k, &lexicon::POPULATED_PLACES))
}

/// "at one of an estimated 2,000-plus No Kings rallies in the U.S.": a gathering said
/// to be one of the figure's, whose noun comes after the figure and a name (the figure
/// counts gatherings: "She was one of 3,000 marchers" counts people).
pub(super) fn one_of_counted_events(f: &Figure) -> bool {
    let doc = f.doc;
    if f.prev_word != "of" || f.prev <= f.lo || doc.word(f.prev - 1) != "one" {
        return false;
    }
    (f.p.end..f.hi.min(f.p.end + 6))
        .take_while(|&k| !closes_context(doc, k))
        .find(|&k| {
            doc.kind(k) == Some(Kind::Word) && !doc.tokens[k].capitalized && doc.word(k) != "plus"
        })
        .is_some_and(|k| doc.is(k, &lexicon::EVENT_NOUNS) && doc.word(k).ends_with('s'))
}

#[cfg(test)]
mod tests {
    use super::super::judge_figure;
    use super::*;

    fn reading(f: &Figure) -> HeadReading {
        super::super::read_head(f, false)
    }

    #[test]
    fn a_participle_that_is_no_coming_counts_people_otherwise() {
        let rule = |f: &Figure| counted_by_another_verb(f, reading(f));
        assert!(judge_figure(
            "That 100 journalists were credentialed for the event.",
            1,
            rule
        ));
        assert!(judge_figure(
            "Some 300 people had ridden the trains by noon.",
            1,
            rule
        ));
        assert!(!judge_figure(
            "About 300 people were joined by the mayor.",
            1,
            rule
        ));
        assert!(!judge_figure(
            "About 300 people had gathered by noon.",
            1,
            rule
        ));
    }

    #[test]
    fn the_agent_of_a_passive_of_no_coming_is_no_crowd() {
        assert!(judge_figure(
            "The app was downloaded by 117,000 people.",
            5,
            agent_of_another_verb
        ));
        assert!(!judge_figure(
            "The rally was attended by 5,000 people.",
            5,
            agent_of_another_verb
        ));
    }

    #[test]
    fn transit_riders_and_queues_are_no_crowd() {
        let rule = |f: &Figure| counted_by_transit(f, reading(f));
        assert!(judge_figure(
            "Thousands of people stood in lines to buy Metro tickets.",
            0,
            rule
        ));
        assert!(judge_figure(
            "The Metro system carried 1,100,000 people that day.",
            4,
            rule
        ));
        assert!(!judge_figure(
            "Thousands of people marched from the station to the Capitol.",
            0,
            rule
        ));
    }
}
