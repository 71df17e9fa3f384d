//! Recall rules of session 25: what the reader does with a figure that no narrower rule
//! recognises, when the shape of its clause says it counts the people who came.
//! Each rule is a mechanism (a grammatical shape), not a phrase.

use super::Figure;
use crate::lexicon;
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
    if f.prev == usize::MAX || f.prev <= f.lo + 1 || lexicon::negative_noun(f.after) {
        return false;
    }
    if !doc.is(f.prev, &lexicon::JUDGED_IT_VERBS) || f.p.yearlike && f.p.qualifier.is_none() {
        return false;
    }
    let modal = f.prev - 1;
    let w = doc.word(modal);
    let source_at =
        |k: usize| doc.has(k, lexicon::SOURCE_START) || matches!(doc.word(k), "i'd" | "we'd");
    (w.ends_with("'d") || w.ends_with("\u{2019}d")) && source_at(modal)
        || matches!(w, "would" | "could" | "might") && modal > f.lo && source_at(modal - 1)
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
