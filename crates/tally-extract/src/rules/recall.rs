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

/// A source's own judgement of the crowd: `judged_it_was`, `judged_figure` or
/// `judged_noun`.
pub(super) fn judged(f: &Figure) -> bool {
    judged_it_was(f) || judged_figure(f) || judged_noun(f)
}

/// "I guessed at the time that it would be about 40,000", "I would say it was a lot
/// closer to 10,000": a source (the speaker too), a verb of judging, then "it was" (a
/// modal may stand in it: "it would be", "it might have been") and the figure, a few
/// hedge words before it allowed. The source's own guess of the crowd the sentence
/// speaks of.
fn judged_it_was(f: &Figure) -> bool {
    let doc = f.doc;
    if !word_before(f) || lexicon::negative_noun(f.after) {
        return false;
    }
    let k = back_over_hedges(f);
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
    if !word_before(f) || lexicon::negative_noun(f.after) {
        return false;
    }
    if !doc.is(f.prev, &lexicon::JUDGED_IT_VERBS) {
        return false;
    }
    // "I'd probably say 3,000", "I would honestly guess 5,000": a hedge adverb between
    // the modal and its verb.
    let mut modal = f.prev - 1;
    if modal > f.lo && doc.is(modal, &lexicon::MODAL_HEDGES) {
        modal -= 1;
    }
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
    if !count_after_a_word(f) {
        return false;
    }
    let ends_clause = matches!(doc.raw(p.end), "," | "." | ";" | ")" | "")
        || doc.kind(p.end).is_none()
        || matches!(f.after, "with" | "while" | "and" | "but" | "whereas")
        // "reporting \"more than half a million\" and ...": a quote closes the figure.
        || super::is_quote_mark(doc, p.end)
        // "reporting 85,000 at its peak".
        || f.after == "at"
            && matches!(doc.word(p.end + 1), "its" | "the")
            && doc.word(p.end + 2) == "peak";
    if !ends_clause {
        return false;
    }
    let verb = match f.prev_word {
        "says" | "saying" | "say" | "claims" | "claiming" | "estimates" | "estimating" => f.prev,
        // "They're reporting 85,000", "various media reporting \"more than half a million\"".
        w if lexicon::REPORTING_VERBS.contains(w) => f.prev,
        // "told me 8,000", "told reporters 2,000".
        "me" | "us" | "reporters" | "journalists"
            if f.prev > f.lo + 1 && doc.word(f.prev - 1) == "told" =>
        {
            f.prev - 1
        }
        _ => return false,
    };
    // "They're reporting 85,000": the contracted pronoun is a source too.
    (verb.saturating_sub(3).max(f.lo)..verb).any(|k| {
        doc.has(k, lexicon::SOURCE_START)
            || is_initials(doc.raw(k))
            || matches!(
                doc.word(k),
                "they're" | "they\u{2019}re" | "we're" | "we\u{2019}re"
            )
    })
}

/// A figure with a word of its own clause before it, and no bare year: what most rules
/// of this file ask first.
fn word_before(f: &Figure) -> bool {
    f.prev != usize::MAX && f.prev > f.lo && !(f.p.yearlike && f.p.qualifier.is_none())
}

/// `word_before`, and the figure could be a crowd's count: no exact number under 20, no
/// negative noun after it.
fn count_after_a_word(f: &Figure) -> bool {
    word_before(f) && !(f.p.vague.is_none() && f.p.low < 20) && !lexicon::negative_noun(f.after)
}

/// What `had_it_at` and `named_speaker_said` ask first: `count_after_a_word`, with the
/// word right before the figure `word`, at least `min_before` words into the clause.
fn count_after_word(f: &Figure, word: &str, min_before: usize) -> bool {
    f.prev_word == word && f.prev >= f.lo + min_before && count_after_a_word(f)
}

/// The word before a figure once up to four hedge words ("a lot closer to", "probably",
/// "easily") are passed going back, never before the clause's first word.
fn back_over_hedges(f: &Figure) -> usize {
    let mut k = f.prev;
    let mut hedges = 0;
    while k > f.lo && hedges < 4 && is_hedge_word(f.doc.word(k)) {
        k -= 1;
        hedges += 1;
    }
    k
}

/// "Another counter told me later they had it at 14,500", "the Guardian has it at
/// 30,000": a source, "had it at" (or "has", "have") and the figure: the source's
/// count of the crowd the sentence speaks of.
pub(super) fn had_it_at(f: &Figure) -> bool {
    if !count_after_word(f, "at", 3) {
        return false;
    }
    let doc = f.doc;
    let it = f.prev - 1;
    matches!(doc.word(it), "it" | "them")
        && matches!(doc.word(it - 1), "had" | "has" | "have")
        && (it.saturating_sub(4).max(f.lo)..it - 1)
            .any(|k| doc.has(k, lexicon::SOURCE_START) || is_initials(doc.raw(k)))
}

/// "Jane Doe said 3,000", "Jane Doe, executive director of Fair Wages Now, said 3,000":
/// a person named by a capitalized name (with an appositive that holds a source word, or
/// two capitalized words and no appositive), "said" and the figure alone, ending its
/// clause, in a sentence that speaks of a gathering: the speaker's count of its crowd.
/// (A source word right before "said" is `is_said_figure`'s.)
pub(super) fn named_speaker_said(f: &Figure, context: SentenceContext) -> bool {
    if !count_after_word(f, "said", 2) {
        return false;
    }
    let doc = f.doc;
    let p = f.p;
    let ends_clause = matches!(doc.raw(p.end), "," | "." | ";" | "")
        || doc.kind(p.end).is_none()
        || matches!(f.after, "and" | "but" | "while");
    let about_crowds = context.crowd_words
        || context.previous_crowd
        || context.earlier_crowd
        || (f.lo..f.hi).any(|k| doc.is(k, &lexicon::GATHERING_NOUNS));
    if !ends_clause || !about_crowds {
        return false;
    }
    let name_word = |k: usize| doc.kind(k) == Some(Kind::Word) && doc.tokens[k].capitalized;
    let before = f.prev - 1;
    if doc.raw(before) == "," {
        // The appositive: back to the comma that opens it, a source word inside it, a
        // name before it.
        let Some(open) = (before.saturating_sub(12).max(f.lo)..before)
            .rev()
            .find(|&k| doc.raw(k) == ",")
        else {
            return false;
        };
        open > f.lo
            && (open + 1..before).any(|k| doc.has(k, lexicon::SOURCE_START))
            && name_word(open - 1)
    } else {
        before > f.lo && name_word(before) && name_word(before - 1)
    }
}

/// "my rough guess at the time was that it would be about 40,000", "her count was
/// 1,200": a possessive, a noun of judgement (`lexicon/judgement-nouns.txt`), words
/// only, then "was" (or "it would be") and the figure: the source's own estimate.
fn judged_noun(f: &Figure) -> bool {
    let doc = f.doc;
    if !word_before(f) {
        return false;
    }
    let k = back_over_hedges(f);
    if !matches!(doc.word(k), "was" | "is" | "be" | "been") {
        return false;
    }
    (k.saturating_sub(12).max(f.lo)..k)
        .rev()
        .take_while(|&m| doc.kind(m) == Some(Kind::Word))
        .any(|m| {
            doc.is(m, &lexicon::JUDGEMENT_NOUNS)
                && (m > f.lo && doc.is(m - 1, &lexicon::POSSESSIVE_SOURCES)
                    || m > f.lo + 1 && doc.is(m - 2, &lexicon::POSSESSIVE_SOURCES))
        })
        && !lexicon::negative_noun(f.after)
}

/// "there couldn't have been much over a thousand", "there must have been 5,000": a
/// hedged or denied upper bound of the crowd there ("would have been" is a
/// counterfactual and stays out).
pub(super) fn there_must_have_been(f: &Figure) -> bool {
    let doc = f.doc;
    let p = f.p;
    if !matches!(f.prev_word, "been" | "much" | "far" | "well" | "many")
        || f.prev < f.lo + 3
        || p.yearlike && p.qualifier.is_none()
        || p.vague.is_none() && p.low < 10
    {
        return false;
    }
    let mut k = f.prev;
    while k > f.lo + 3 && matches!(doc.word(k), "much" | "far" | "well" | "many") {
        k -= 1;
    }
    let modal = doc.word(k - 2);
    doc.word(k) == "been"
        && doc.word(k - 1) == "have"
        && (doc.is(k - 2, &lexicon::HEDGE_MODALS)
            || matches!(
                modal,
                "couldn't" | "can't" | "mustn't" | "couldn\u{2019}t" | "can\u{2019}t"
            ))
        && doc.word(k - 3) == "there"
        && !lexicon::negative_noun(f.after)
}

/// "that figure has since been upgraded to 50,000", "the estimate was revised to
/// 12,000", "bumped up to 40,000": a figure noun (`lexicon/estimate-nouns.txt`), a
/// participle of changing it (`lexicon/revision-verbs.txt`), "to" and the figure, in a
/// sentence about a crowd: the crowd's figure as revised.
pub(super) fn revised_to(f: &Figure, context: SentenceContext) -> bool {
    let doc = f.doc;
    let p = f.p;
    if f.prev_word != "to" || f.prev < f.lo + 2 || p.yearlike && p.qualifier.is_none() {
        return false;
    }
    if !(context.crowd_words || context.earlier_crowd || context.previous_crowd) {
        return false;
    }
    let mut v = f.prev - 1;
    if doc.word(v) == "up" {
        v -= 1;
    }
    doc.is(v, &lexicon::REVISION_VERBS)
        && (v.saturating_sub(6).max(f.lo)..v).any(|k| {
            let w = doc.word(k);
            lexicon::ESTIMATE_NOUNS.contains(w.strip_suffix('s').unwrap_or(w))
        })
        && !lexicon::negative_noun(f.after)
}

/// "Estimates have been creeping up - 100,000, then 120,000", "Organizers said 900 at
/// first, then 1,400": after a crowd figure of the sentence (at most two words after
/// it), ", then" and the next figure, no noun of its own: the same crowd's figure at a
/// later time.
pub(super) fn then_figure(f: &Figure, context: SentenceContext) -> bool {
    let doc = f.doc;
    let p = f.p;
    // "Organizers said 900 at first, then 1,400": a few words may follow the earlier
    // figure.
    context.earlier_crowd
        && f.prev_word == "then"
        && f.prev > f.lo + 1
        && doc.raw(f.prev - 1) == ","
        && (f.prev.saturating_sub(4).max(f.lo)..f.prev - 1)
            .any(|k| doc.kind(k) == Some(Kind::Number))
        && !(p.yearlike && p.qualifier.is_none())
        && !lexicon::negative_noun(f.after)
}

/// "Our review put the number much lower: 101,000", "the number was much lower—3,000":
/// a figure noun and a comparative, then a colon or a dash and the figure, after a
/// crowd figure: the crowd's figure restated.
pub(super) fn restated_after_colon(f: &Figure, context: SentenceContext) -> bool {
    let doc = f.doc;
    let p = f.p;
    if !(context.previous_crowd || context.earlier_crowd)
        || !matches!(f.prev_raw, ":" | "\u{2014}" | "\u{2013}")
        || f.prev < f.lo + 3
        || p.yearlike && p.qualifier.is_none()
    {
        return false;
    }
    let from = f.prev.saturating_sub(8).max(f.lo);
    let comparative = doc.word(f.prev - 1);
    matches!(
        comparative,
        "lower" | "higher" | "smaller" | "larger" | "bigger"
    ) && (from..f.prev - 1).any(|k| {
        let w = doc.word(k);
        lexicon::ESTIMATE_NOUNS.contains(w.strip_suffix('s').unwrap_or(w))
    }) && !lexicon::negative_noun(f.after)
}

/// "the protesters achieved the goal of 100,000 and probably exceeded it", "they met
/// their target of 5,000": a past verb of meeting a goal (`lexicon/goal-met-verbs.txt`),
/// "goal" or "target", "of" and the figure: a crowd at least that big came (a goal not
/// met, "hoped to reach a goal of", stays a wish).
pub(super) fn goal_met(f: &Figure) -> bool {
    let doc = f.doc;
    if f.prev_word != "of" || f.prev < f.lo + 2 || lexicon::negative_noun(f.after) {
        return false;
    }
    let noun = f.prev - 1;
    if !matches!(doc.word(noun), "goal" | "target") {
        return false;
    }
    let mut v = noun - 1;
    if v > f.lo && matches!(doc.word(v), "the" | "their" | "its" | "our" | "an" | "a") {
        v -= 1;
    }
    doc.is(v, &lexicon::GOAL_MET_VERBS)
        // "hoped to have reached the goal of": not met.
        && !(v > f.lo && matches!(doc.word(v - 1), "to" | "have" | "not" | "never"))
}

/// "after weekend demonstrations involving thousands", "a march drawing 5,000": a
/// gathering noun, a participle whose object is its crowd
/// (`lexicon/gathering-participles.txt`), then the figure with no noun of its own.
pub(super) fn gathering_involving(f: &Figure) -> bool {
    let doc = f.doc;
    let p = f.p;
    f.prev != usize::MAX
        && f.prev > f.lo
        && doc.is(f.prev, &lexicon::GATHERING_PARTICIPLES)
        && doc.is(f.prev - 1, &lexicon::GATHERING_NOUNS)
        && (p.vague.is_some() || p.qualifier.is_some() || p.low >= 20)
        && !(p.yearlike && p.qualifier.is_none())
        && !lexicon::negative_noun(f.after)
}

/// "more than doubling the 440,000 people who attended the 2017 Women's March", "break
/// the 800,000 people who attended the Inauguration": a crowd noun with its own
/// relative clause of coming in the past, after "the": a gathering that happened,
/// whatever the main clause supposes ("If it really did draw 850,000 people, it would
/// ...", "it would top the 60,000 people who marched in 2018").
pub(super) fn own_past_clause(f: &Figure, head_at: usize) -> bool {
    let doc = f.doc;
    f.prev_word == "the"
        && matches!(doc.word(head_at + 1), "who" | "that")
        && doc.is(head_at + 2, &lexicon::CROWD_VERBS)
        && doc.word(head_at + 2).ends_with("ed")
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
    if !word_before(f) {
        return false;
    }
    // "with perhaps 500-1000 attending": a hedge between "with" and the figure.
    let with = if doc.is(f.prev, &lexicon::MODAL_HEDGES) {
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

    #[test]
    fn a_source_that_is_reporting_or_has_it_at_gives_the_figure() {
        assert!(judge_figure(
            "KOTV is reporting 12,000 at the peak of the march.",
            3,
            source_says_figure
        ));
        assert!(judge_figure(
            "Another counter told me they had it at 14,500.",
            8,
            had_it_at
        ));
        assert!(!judge_figure(
            "The clinic is reporting 40 new cases.",
            4,
            source_says_figure
        ));
        assert!(!judge_figure(
            "They had it at 40 percent off.",
            4,
            had_it_at
        ));
    }

    #[test]
    fn a_possessive_noun_of_judgement_then_was_gives_the_source_s_estimate() {
        assert!(judge_figure(
            "My rough guess at the time was that it would be about 40,000.",
            12,
            judged
        ));
        assert!(judge_figure("Her count was 1,150.", 3, judged));
        assert!(!judge_figure("The count was 1,150.", 3, judged));
    }

    #[test]
    fn there_must_have_been_is_a_hedged_size_and_would_is_not() {
        assert!(judge_figure(
            "There couldn't have been much over a thousand.",
            6,
            there_must_have_been
        ));
        assert!(judge_figure(
            "There must have been 20,000 on the avenue.",
            4,
            there_must_have_been
        ));
        assert!(!judge_figure(
            "There would have been 10,000 if it had not rained.",
            4,
            there_must_have_been
        ));
    }

    #[test]
    fn a_goal_met_is_a_size_and_a_goal_hoped_for_is_not() {
        assert!(judge_figure(
            "The protesters achieved the goal of 100,000.",
            6,
            goal_met
        ));
        assert!(judge_figure("They met their target of 5,000.", 5, goal_met));
        assert!(!judge_figure(
            "They hope to reach their goal of 5,000.",
            7,
            goal_met
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
