//! Recall rules of sessions 25 and 26: what the reader does with a figure that no
//! narrower rule recognises, when the shape of its clause says it counts the people who
//! came. Each rule is a mechanism (a grammatical shape), not a phrase.

use super::{Figure, SentenceContext};
use crate::lexicon::{self, Crowd};
use crate::number::{self, Doc};
use crate::token::Kind;

/// "supporters showed up by the hundreds", "jammed the avenue by the hundreds of
/// thousands", "gathered in the hundreds of thousands": a vague count after "by the"
/// or "in the" is how many came, when a verb of coming stands before it in its clause
/// (words only between them).
pub(super) fn came_by_the_count(f: &Figure) -> bool {
    let doc = f.doc;
    if f.p.vague.is_none() || f.prev_word != "the" || f.prev <= f.lo {
        return false;
    }
    let by = f.prev - 1;
    if !matches!(doc.word(by), "by" | "in") {
        return false;
    }
    let verb = (by.saturating_sub(6).max(f.lo)..by)
        .rev()
        .take_while(|&k| doc.kind(k) == Some(Kind::Word))
        .find(|&k| doc.is(k, &lexicon::CROWD_VERBS));
    // "Donations came in by the thousands", "Protests erupted by the hundreds": a
    // plural subject that names no people counts things or events.
    verb.is_some_and(|v| v == f.lo || !counts_things(doc, v - 1))
}

/// A plural noun at `k` that names no people: "donations", "letters", "protests".
fn counts_things(doc: &Doc, k: usize) -> bool {
    let w = doc.word(k);
    doc.kind(k) == Some(Kind::Word)
        && w.len() > 3
        && w.ends_with('s')
        && !w.ends_with("ss")
        && !doc.is(k, &lexicon::STOP_WORDS)
        && !lexicon::NOT_PLURALS.contains(w)
        && lexicon::crowd_noun(w).is_none()
        && !lexicon::person_like(w)
}

/// A source's own judgement of the crowd: `judged_it_was` or `judged_figure`.
pub(super) fn judged(f: &Figure) -> bool {
    judged_it_was(f) || judged_figure(f)
}

/// "I guessed at the time that it would be about 40,000", "I would say it was a lot
/// closer to 10,000": a source (the speaker too), a verb of judging, then "it was" (a
/// modal may stand in it: "it would be", "it might have been") and the figure, a few
/// hedge words before it allowed. The source's own guess of the crowd the sentence
/// speaks of.
fn judged_it_was(f: &Figure) -> bool {
    let doc = f.doc;
    if f.prev == usize::MAX || f.prev <= f.lo || f.p.yearlike && f.p.qualifier.is_none() {
        return false;
    }
    if lexicon::negative_noun(f.after) {
        return false;
    }
    // Back over hedge words ("a lot closer to", "probably", "easily").
    let mut k = f.prev;
    let mut hedges = 0;
    while k > f.lo && hedges < 4 && is_hedge_word(doc.word(k)) {
        k -= 1;
        hedges += 1;
    }
    if !matches!(doc.word(k), "was" | "is" | "be" | "been" | "were") {
        return false;
    }
    // Back over modals and auxiliaries ("would", "might have").
    let mut m = k;
    while m > f.lo
        && m + 3 > k
        && matches!(
            doc.word(m - 1),
            "would" | "could" | "might" | "may" | "will" | "must" | "have" | "'d"
        )
    {
        m -= 1;
    }
    if m <= f.lo || !matches!(doc.word(m - 1), "it" | "that") {
        return false;
    }
    let it = m - 1;
    // The verb of judging, up to six words before "it" ("guessed roughly at the time
    // that it"), no punctuation between; then a source before the verb.
    (it.saturating_sub(6).max(f.lo)..it)
        .rev()
        .take_while(|&v| doc.kind(v) == Some(Kind::Word))
        .find(|&v| doc.is(v, &lexicon::JUDGED_IT_VERBS))
        .is_some_and(|v| {
            (v.saturating_sub(3).max(f.lo)..v).any(|s| doc.has(s, lexicon::SOURCE_START))
        })
}

/// "I'd say a quarter of a million", "I would guess 5,000", "we'd put it near 800": a
/// modal judgement of the speaker (or another source) with the figure right after the
/// verb: the source's own estimate of the crowd the sentence speaks of.
fn judged_figure(f: &Figure) -> bool {
    let doc = f.doc;
    if f.prev == usize::MAX || f.prev <= f.lo || lexicon::negative_noun(f.after) {
        return false;
    }
    if !doc.is(f.prev, &lexicon::JUDGED_IT_VERBS) || f.p.yearlike && f.p.qualifier.is_none() {
        return false;
    }
    // "I'd probably say 3,000", "I would honestly guess 5,000": a hedge adverb between
    // the modal and its verb.
    let mut modal = f.prev - 1;
    if modal > f.lo && is_modal_hedge(doc.word(modal)) {
        modal -= 1;
    }
    let w = doc.word(modal);
    let source_at =
        |k: usize| doc.has(k, lexicon::SOURCE_START) || matches!(doc.word(k), "i'd" | "we'd");
    (w.ends_with("'d") || w.ends_with("\u{2019}d")) && source_at(modal)
        || matches!(w, "would" | "could" | "might") && modal > f.lo && source_at(modal - 1)
}

/// A hedge adverb that may stand between a modal and its verb: "I'd probably say".
pub(super) fn is_modal_hedge(w: &str) -> bool {
    matches!(
        w,
        "probably" | "maybe" | "perhaps" | "honestly" | "conservatively" | "easily" | "safely"
    )
}

fn is_hedge_word(w: &str) -> bool {
    matches!(
        w,
        "a" | "lot"
            | "much"
            | "far"
            | "probably"
            | "maybe"
            | "perhaps"
            | "easily"
            | "likely"
            | "well"
            | "closer"
            | "nearer"
            | "close"
            | "to"
            | "more"
            | "like"
    )
}

/// The end of a place phrase with a count of its own that follows a noun of people at
/// `m`: "at over one hundred Starbucks stores", "across 125 nations", "in 40 cities":
/// a preposition, at most three qualifier words, a quantity, then within four words a
/// plural noun that names no people. The verb of the people comes after it.
pub(super) fn counted_place_phrase_end(doc: &Doc, m: usize, hi: usize) -> Option<usize> {
    if !matches!(doc.word(m), "at" | "across" | "in" | "from" | "on") {
        return None;
    }
    let start = (m + 1..(m + 5).min(hi))
        .take_while(|&k| doc.kind(k) == Some(Kind::Word) || doc.kind(k) == Some(Kind::Number))
        .find(|&k| number::may_start_quantity(doc, k) && doc.word(k) != "a")?;
    if (m + 1..start).any(|k| !is_qualifier_word(doc.word(k))) {
        return None;
    }
    (start + 1..(start + 6).min(hi))
        .take_while(|&k| doc.kind(k) == Some(Kind::Word))
        .find(|&k| {
            let w = doc.word(k);
            w.len() > 3
                && w.ends_with('s')
                && !doc.tokens[k].capitalized
                && lexicon::crowd_noun(w).is_none()
                && !lexicon::person_like(w)
                && !number::may_start_quantity(doc, k)
        })
        .map(|k| k + 1)
}

fn is_qualifier_word(w: &str) -> bool {
    matches!(
        w,
        "over"
            | "more"
            | "than"
            | "about"
            | "nearly"
            | "almost"
            | "some"
            | "around"
            | "roughly"
            | "at"
            | "least"
            | "up"
            | "to"
    )
}

/// "standing outside the facility", "standing along the route", "standing in the
/// rain": the participle at `m` and a preposition of place after it.
pub(super) fn standing_at_a_place(doc: &Doc, m: usize) -> bool {
    doc.word(m) == "standing"
        && matches!(
            doc.word(m + 1),
            "outside" | "along" | "in" | "on" | "near" | "around" | "across" | "at"
        )
}

/// "filled to capacity", "packed to capacity": the limit noun at `k` (or the last word
/// before "with") after "to" and a verb of filling, in the past: a full house, whose
/// count is a crowd ("filled to capacity with nearly 4,000 people"), not a limit.
pub(super) fn filled_to_capacity(doc: &Doc, k: usize) -> bool {
    k >= 2
        && doc.is(k, &lexicon::LIMIT_NOUNS)
        && doc.word(k - 1) == "to"
        && doc.is(k - 2, &lexicon::FILLED_WITH_VERBS)
        && doc.word(k - 2).ends_with("ed")
        // "can be filled to capacity with 2,000": a limit.
        && !(k >= 3 && doc.word(k - 3) == "be")
}

/// "counter-demonstrators", "anti-war-protesters": a hyphenated word whose last part is
/// a noun of people who come is that noun ("non-members" are not: "non" negates it).
pub(super) fn compound_crowd_noun(w: &str) -> Option<Crowd> {
    let (prefix, tail) = w.rsplit_once(['-', '\u{2010}', '\u{2011}'])?;
    if prefix.is_empty() || prefix == "non" || prefix.ends_with("-non") {
        return None;
    }
    lexicon::crowd_noun(tail)
}

/// "The BBC says 5,000-20,000, while CNN says 2,000", "the Times has police saying
/// 5,000-7,000 with organisers saying 15,000", "Organizers told me 8,000": a source (a
/// word that starts one, or an outlet's initials) as the subject of a verb of saying in
/// the present or as a participle, or of "told" and its listener, then the figure
/// alone, ending its clause: that source's count of the crowd the sentence speaks of.
/// (The past "said 5,000" with a source word is `is_said_figure`'s.)
pub(super) fn source_says_figure(f: &Figure) -> bool {
    let doc = f.doc;
    let p = f.p;
    if f.prev == usize::MAX || f.prev <= f.lo || p.yearlike && p.qualifier.is_none() {
        return false;
    }
    if p.vague.is_none() && p.low < 20 || lexicon::negative_noun(f.after) {
        return false;
    }
    let ends_clause = matches!(doc.raw(p.end), "," | "." | ";" | ")" | "")
        || doc.kind(p.end).is_none()
        || matches!(f.after, "with" | "while" | "and" | "but" | "whereas");
    if !ends_clause {
        return false;
    }
    let verb = match f.prev_word {
        "says" | "saying" | "say" | "claims" | "claiming" | "estimates" | "estimating" => f.prev,
        // "told me 8,000", "told reporters 2,000".
        "me" | "us" | "reporters" | "journalists"
            if f.prev > f.lo + 1 && doc.word(f.prev - 1) == "told" =>
        {
            f.prev - 1
        }
        _ => return false,
    };
    (verb.saturating_sub(3).max(f.lo)..verb)
        .any(|k| doc.has(k, lexicon::SOURCE_START) || is_initials(doc.raw(k)))
}

/// An outlet's or agency's initials: "BBC", "KGW", "NBC".
fn is_initials(raw: &str) -> bool {
    (2..=5).contains(&raw.len()) && raw.bytes().all(|b| b.is_ascii_uppercase())
}

/// "(with 10,000-15,000 in Oakland, 1000 in Alameda)", "with perhaps 500-1000
/// attending", "with 2,000 marching": "with" before a figure that has no noun, then a
/// town or a participle of coming: the people of the gathering its sentence speaks of.
pub(super) fn with_figure(f: &Figure, context: SentenceContext) -> bool {
    let doc = f.doc;
    let p = f.p;
    if f.prev == usize::MAX || f.prev <= f.lo || p.yearlike && p.qualifier.is_none() {
        return false;
    }
    // "with perhaps 500-1000 attending": a hedge between "with" and the figure.
    let with = if is_modal_hedge(f.prev_word) {
        f.prev - 1
    } else {
        f.prev
    };
    if doc.word(with) != "with" || p.vague.is_none() && p.low < 10 {
        return false;
    }
    let coming = f.after.ends_with("ing") && doc.is(p.end, &lexicon::CROWD_VERBS)
        || matches!(
            (f.after, doc.word(p.end + 1)),
            ("taking", "part") | ("turning", "out") | ("showing", "up")
        );
    if coming {
        return true;
    }
    let in_town = matches!(f.after, "in" | "at")
        && doc
            .tokens
            .get(p.end + 1)
            .is_some_and(|t| t.capitalized && t.kind == Kind::Word)
        && lexicon::month_number(doc.word(p.end + 1)).is_none();
    in_town
        && (context.crowd_words
            || context.earlier_crowd
            || (f.lo..f.hi)
                .any(|k| doc.is(k, &lexicon::GATHERING_NOUNS) || doc.is(k, &lexicon::EVENT_NOUNS)))
}

/// "Obama rallies tens of thousands at Portland waterfront", "Sanders addressed 20,000 in
/// Washington Square Park": a verb whose object is the audience (`AUDIENCE_VERBS`),
/// then the figure with no noun, then the place it came to ("at", "in", "to" or "on",
/// and a name or a gathering): the crowd that came to hear the verb's subject.
pub(super) fn audience_object(f: &Figure) -> bool {
    let doc = f.doc;
    let p = f.p;
    if f.prev == usize::MAX || f.prev <= f.lo || !doc.is(f.prev, &lexicon::AUDIENCE_VERBS) {
        return false;
    }
    if p.vague.is_none() && p.qualifier.is_none() && p.low < 100 || p.yearlike {
        return false;
    }
    if !matches!(f.after, "at" | "in" | "to" | "on") {
        return false;
    }
    let mut k = p.end + 1;
    if doc.word(k) == "the" {
        k += 1;
    }
    doc.kind(k) == Some(Kind::Word)
        && (doc.tokens[k].capitalized && lexicon::month_number(doc.word(k)).is_none()
            || doc.is(k, &lexicon::GATHERING_NOUNS)
            || doc.has(k, lexicon::VENUE))
}

/// "Thousands rallied in Boston; hundreds more in Worcester", "..., with several hundred
/// more at Amherst": after a crowd figure of the sentence, a figure, "more" and a town
/// is that town's crowd, its verb left out (not a difference: no "than" follows).
pub(super) fn more_in_a_town(f: &Figure, context: SentenceContext) -> bool {
    let doc = f.doc;
    let p = f.p;
    f.after == "more"
        && context.earlier_crowd
        && (p.vague.is_some() || p.low >= 10)
        && matches!(doc.word(p.end + 1), "in" | "at")
        && doc
            .tokens
            .get(p.end + 2)
            .is_some_and(|t| t.capitalized && t.kind == Kind::Word)
        && lexicon::month_number(doc.word(p.end + 2)).is_none()
}

/// "In Seattle, 5,000; in Tacoma, 1,200": a town after "in" opening its clause, a comma,
/// then the figure alone, ending its item: the town's crowd, in a list of them (a
/// semicolon ends it) or in a sentence about crowds.
pub(super) fn town_then_figure(f: &Figure, context: SentenceContext) -> bool {
    let doc = f.doc;
    let p = f.p;
    if f.prev_raw != "," || f.prev <= f.lo + 1 || p.yearlike && p.qualifier.is_none() {
        return false;
    }
    // The town: up to three capitalized words before the comma, "in" before them.
    let m = super::capitalized_before_prev(f, 3);
    if m == f.prev || doc.word(m - 1) != "in" || lexicon::month_number(doc.word(m)).is_some() {
        return false;
    }
    let opens = m - 1 == f.lo || matches!(doc.raw(m - 2), ";" | ":");
    let end = doc.raw(p.end);
    let crowds = context.crowd_words || context.previous_crowd || context.earlier_crowd;
    // "In Texas, 40; in Ohio, 12" in no talk of crowds may count anything.
    opens
        && (matches!(end, ";" | "." | "," | "") || doc.kind(p.end).is_none())
        && (crowds || end == ";" && (p.low >= 100 || p.vague.is_some()))
}

/// "Thousands of union members at the rally Saturday", "Hundreds of teachers at the
/// Capitol for Red for Ed": a headline or caption line (no full stop ends it) that
/// opens with the figure, its people and where they are gathered ("at", "outside" or
/// "in front of" a gathering, a venue or a named place): the people there, no verb.
pub(super) fn caption_at_gathering(f: &Figure, head_at: usize) -> bool {
    let doc = f.doc;
    let p = f.p;
    if p.first != f.lo || f.lo != 0 && doc.tokens[f.lo].newlines_before == 0 {
        return false;
    }
    let line_end = (p.end + 1..f.hi)
        .find(|&m| doc.tokens[m].newlines_before > 0)
        .unwrap_or(f.hi);
    if line_end <= head_at + 2 || matches!(doc.raw(line_end - 1), "." | "?" | "!") {
        return false;
    }
    let mut k = head_at + 1;
    match doc.word(k) {
        "at" | "outside" => k += 1,
        "in" if doc.word(k + 1) == "front" && doc.word(k + 2) == "of" => k += 3,
        _ => return false,
    }
    if doc.word(k) == "the" {
        k += 1;
    }
    k < line_end
        && doc.kind(k) == Some(Kind::Word)
        && (doc.is(k, &lexicon::GATHERING_NOUNS)
            || doc.has(k, lexicon::VENUE)
            || doc.tokens[k].capitalized && lexicon::month_number(doc.word(k)).is_none())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::judge_figure;

    #[test]
    fn a_hedge_may_stand_between_the_modal_and_the_verb_of_judging() {
        assert!(judge_figure("I'd say 3,000.", 2, judged));
        assert!(judge_figure("I'd probably say 3,000.", 3, judged));
        assert!(judge_figure("I would honestly guess 3,000.", 4, judged));
        assert!(!judge_figure("He probably says 3,000.", 3, judged));
    }

    #[test]
    fn a_prefixed_noun_of_people_is_that_noun() {
        assert_eq!(
            compound_crowd_noun("counter-demonstrators"),
            Some(Crowd::Strong)
        );
        assert_eq!(
            compound_crowd_noun("anti-war-marchers"),
            Some(Crowd::Strong)
        );
        assert_eq!(compound_crowd_noun("non-members"), None);
        assert_eq!(compound_crowd_noun("well-being"), None);
    }

    #[test]
    fn a_source_says_the_figure_in_the_present_or_as_a_participle() {
        assert!(judge_figure(
            "The BBC says 5,000-20,000, while CNN says 2,000.",
            3,
            source_says_figure
        ));
        assert!(judge_figure(
            "The Times has police saying 5,000 with organisers saying 15,000.",
            5,
            source_says_figure
        ));
        assert!(judge_figure(
            "Organizers told me 8,000.",
            3,
            source_says_figure
        ));
        assert!(!judge_figure(
            "The mayor says 2026 will be the year.",
            3,
            source_says_figure
        ));
        assert!(!judge_figure(
            "The mayor says 400 buses came.",
            3,
            source_says_figure
        ));
        assert!(!judge_figure(
            "My cousin says 5,000, roughly.",
            3,
            source_says_figure
        ));
    }

    #[test]
    fn with_a_town_or_a_participle_of_coming_is_the_gathering_s_crowd() {
        let with = |f: &Figure| with_figure(f, no_context(f));
        assert!(judge_figure(
            "The march went on, with 4,000 in Burlington.",
            6,
            with
        ));
        assert!(judge_figure(
            "The vigil went ahead, with perhaps 300 attending.",
            7,
            with
        ));
        assert!(!judge_figure(
            "The delegation, with 12 in the House, voted no.",
            4,
            with
        ));
        assert!(!judge_figure(
            "The state, with 12 in Congress, voted no.",
            4,
            with
        ));
    }

    #[test]
    fn the_audience_is_the_object_of_its_verb() {
        assert!(judge_figure(
            "Obama rallies tens of thousands at Portland waterfront",
            2,
            audience_object
        ));
        assert!(judge_figure(
            "She addressed 6,000 in Washington Square Park.",
            2,
            audience_object
        ));
        assert!(!judge_figure(
            "The company told 300 at the plant to go home.",
            3,
            audience_object
        ));
        assert!(!judge_figure(
            "Ford cuts 3,000 in Michigan",
            2,
            audience_object
        ));
    }

    fn no_context(f: &Figure) -> SentenceContext {
        SentenceContext {
            crowd_words: false,
            earlier_crowd: false,
            non_political: false,
            previous_crowd: false,
            classes: f.sentence,
        }
    }
}
