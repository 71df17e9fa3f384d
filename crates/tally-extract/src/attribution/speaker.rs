//! The speaker of a figure, found from the structure of the clause that carries it:
//! the subject of its verb of saying, estimating or counting (before the figure or in
//! a tag after it: "..., the mayor tweeted", "..., said Jane Doe, an organizer"), the
//! object of "according to", "per" or "by X's count", the label of a parenthesis
//! beside it ("3,000 (police)", "organizers' estimate: 9,000"), and, in a list of
//! pairs, the source named right before each figure ("Organizers claimed 6,000,
//! police 3,000").
//!
//! The speaker's class is the class of the source cue (`attribution::cues`) that heads
//! the speaker's noun phrase. Where the pass finds a speaker, that speaker decides;
//! where it finds none (no such structure, a pronoun or a name with no role for a
//! subject), `attribution::choose` and its cue distances decide as before. It never
//! answers `media` for the outlet's own voice nor `unknown` for passive sourcing: those
//! stay with `unnamed_source`.

use super::{
    names_organizer_not_source, possessive, says_another_thing, source_head, source_word,
    sourcing_at, vaguely_determined, Clauses, Cue,
};
use crate::lexicon;
use crate::number::{is_quote_mark, Doc};
use crate::token::Kind;
use std::cell::OnceCell;
use tally_model::Attribution;

/// The speaker of the figure that starts at `first` and ends before `skip_to`, in the
/// sentence whose clauses are `clauses`; `others` are the starts of the sentence's
/// figures (this one included) and `cues` its source cues.
pub fn speaker_of(
    doc: &Doc,
    cues: &[Cue],
    first: usize,
    skip_to: usize,
    others: &[usize],
    clauses: &Clauses,
) -> Option<Attribution> {
    let clause = Clause::of(doc, first, skip_to, clauses);
    // Labels first, then speakers from the innermost out: "organizers estimated half a
    // million, according to the Associated Press" is the organizers' figure, relayed;
    // a quotation's speaker is the outermost ("According to the Examiner, \"police
    // estimated 1.2 million\"").
    // A verb of saying whose subject has no class found (a name with no role, a
    // pronoun) ends the search: an outer speaker would only be the one who relays it.
    // The verb's subject and the agent of "according to" are asked by `relay` and again
    // below: each is found once.
    let subject = subject_before(doc, cues, first, others, clause, clauses);
    let agent_found = OnceCell::new();
    let agent_once =
        || *agent_found.get_or_init(|| agent(doc, cues, first, skip_to, others, clause, clauses));
    let found = match relay(doc, clause, subject, agent_once)
        .map(Subject::Named)
        .or_else(|| parenthesis_label(doc, skip_to, clause).map(Subject::Named))
        .or_else(|| label_before_colon(doc, first, clause).map(Subject::Named))
        .or_else(|| paired_label(doc, first, others, clause).map(Subject::Named))
        .or_else(|| estimate_owner(doc, first, clause).map(Subject::Named))
        .or(subject)
        .or_else(|| agent_once().map(Subject::Named))
        .or_else(|| tag_after(doc, cues, skip_to, others, clause, clauses))
        .or_else(|| quotation_speaker(doc, cues, first, clauses).map(Subject::Named))?
    {
        Subject::Named(c) => c,
        Subject::Unclassed => return None,
    };
    // "Some outlets said ...", "several observers estimated": a source with no name.
    if vaguely_determined(doc, found.start, clauses.lo) {
        return Some(Attribution::Unknown);
    }
    (found.who != Attribution::Unknown).then_some(found.who)
}

/// "The Post reported that about 10,000 people marched, citing police": an outlet that
/// names its own source relays that source's figure.
fn relay(
    doc: &Doc,
    clause: Clause,
    subject: Option<Subject>,
    agent: impl Fn() -> Option<Cue>,
) -> Option<Cue> {
    let Some(Subject::Named(speaker)) = subject else {
        return None;
    };
    let source = agent()?;
    // "citing police estimates, organizers said 8,000": whoever cites a source relays
    // its figure. An outlet relays the source it names by "according to" too; anyone
    // else who is the subject stays the speaker ("organizers estimated half a million,
    // according to the Associated Press").
    let cited = {
        let head = source_head(doc, source.start, clause.start);
        (head.saturating_sub(4).max(clause.start)..head).any(|k| doc.word(k) == "citing")
    };
    (source.who != speaker.who && (cited || speaker.who == Attribution::Media)).then_some(source)
}

/// The subject of a verb of saying: a source of a known class, or one the pass cannot
/// class (a pronoun, a name with no role).
#[derive(Debug, Clone, Copy)]
enum Subject {
    Named(Cue),
    Unclassed,
}

/// The tokens `[start, end)` of the clause that holds a figure: from the clause break
/// before it to the one after it (`Clauses`), inside the sentence.
#[derive(Debug, Clone, Copy)]
struct Clause {
    start: usize,
    end: usize,
    /// The parenthesized aside that holds the figure, if any (`Clauses::paren_of`).
    paren: Option<(usize, usize)>,
}

impl Clause {
    fn of(doc: &Doc, first: usize, skip_to: usize, clauses: &Clauses) -> Clause {
        let mut start = first;
        while start > clauses.lo && !clauses.is_break(start - 1) {
            start -= 1;
        }
        let hi = clauses.hi();
        let mut end = skip_to.min(hi);
        while end < hi && !clauses.is_break(end) {
            end += 1;
        }
        // (A sentence of list lines: a line is a clause of its own.)
        if let Some(k) = (start + 1..=first)
            .rev()
            .find(|&k| doc.tokens[k].newlines_before > 0)
        {
            start = k;
        }
        if let Some(k) = (skip_to.max(first + 1)..end).find(|&k| doc.tokens[k].newlines_before > 0)
        {
            end = k;
        }
        // "Portland (8,000 marchers, organizers said) and Salem (about 1,200)": inside
        // an aside, the aside is the clause; outside, what an aside holds is not the
        // figure's (`outside`).
        let paren = clauses.paren_of(first);
        if let Some((o, c)) = paren {
            start = start.max(o + 1);
            end = end.min(c);
        }
        Clause { start, end, paren }
    }

    /// True when token `k` is not inside a parenthesized aside other than the figure's.
    fn outside(&self, clauses: &Clauses, k: usize) -> bool {
        match clauses.paren_of(k) {
            None => true,
            aside => aside == self.paren,
        }
    }
}

/// True when token `k` is a word and a verb of saying, estimating or counting
/// (`lexicon/speaker-verbs.txt`) used as a verb: "an estimated 5,000" and "the count"
/// are not; "put", "placed", "pegged" and "had" speak of a figure only with "at"
/// before the figure ("police had it at 2,000").
fn speaking_verb(doc: &Doc, k: usize, first: usize) -> bool {
    if doc.kind(k) != Some(Kind::Word) || !doc.is(k, &lexicon::SPEAKER_VERBS) {
        return false;
    }
    // (A noun after a determiner, possibly past one adjective: "the official count".)
    let determiner = |m: usize| {
        matches!(
            doc.word(m),
            "an" | "a" | "the" | "its" | "their" | "his" | "her" | "our" | "my"
        ) || possessive(doc.raw(m))
    };
    if determiner(k.wrapping_sub(1))
        || matches!(
            doc.word(k.wrapping_sub(1)),
            "official" | "initial" | "final" | "own"
        ) && determiner(k.wrapping_sub(2))
    {
        return false;
    }
    match doc.word(k) {
        "put" | "puts" | "putting" | "pegged" | "pegs" | "pegging" | "placed" | "places"
        | "placing" | "had" => k < first && (k + 1..first).any(|m| doc.word(m) == "at"),
        _ => true,
    }
}

/// "3,000 (police)", "5,000 people (organizers' estimate)": a parenthesis right after
/// the figure that holds a source and no figure of its own labels the figure.
fn parenthesis_label(doc: &Doc, skip_to: usize, clause: Clause) -> Option<Cue> {
    // (Up to two words of what is counted between: "5,000 people (police)".)
    let open = (skip_to..skip_to + 3).find(|&k| doc.raw(k) == "(")?;
    if (skip_to..open).any(|k| doc.kind(k) != Some(Kind::Word)) {
        return None;
    }
    let close =
        (open + 1..(open + 8).min(clause.end.max(open + 1) + 8)).find(|&k| doc.raw(k) == ")")?;
    if (open + 1..close).any(|k| doc.kind(k) == Some(Kind::Number)) {
        return None;
    }
    label_source(doc, open + 1, close, Lead::First)
}

/// The source word of a label `[lo, hi)` ("police", "organizers' estimate"): a label
/// has no verb, so its source is read from the word itself (`source_word`), not from
/// the sentence's cues, which need a verb or a preposition of sourcing. Of two sources
/// the first named leads ("(police and organizer estimates)"), as in `source_word`.
/// `Lead::Last` reads the source nearest `hi` instead: a subject right before its verb
/// or a label right before its figure ("10,000 marchers, police 4,000").
fn label_source(doc: &Doc, lo: usize, hi: usize, lead: Lead) -> Option<Cue> {
    let at = |k: usize| {
        if !doc.has(k, lexicon::SOURCE_START) || names_organizer_not_source(doc, k) {
            return None;
        }
        let (who, n) = source_word(doc, k)?;
        (k + n <= hi).then_some(Cue {
            start: k,
            end: k + n,
            who,
            validated: false,
        })
    };
    match lead {
        Lead::First => (lo..hi).find_map(at),
        Lead::Last => (lo..hi).rev().find_map(at),
    }
}

/// Which of a label's sources `label_source` reads.
#[derive(Debug, Clone, Copy)]
enum Lead {
    First,
    Last,
}

/// "organizers' estimate: 200,000", "Police count: 4,000": a label ending in a word
/// for an estimate, then a colon, right before the figure.
fn label_before_colon(doc: &Doc, first: usize, clause: Clause) -> Option<Cue> {
    let colon = (first.saturating_sub(2)..first)
        .rev()
        .find(|&k| doc.raw(k) == ":")?;
    if !(colon + 1..first).all(|k| doc.kind(k) == Some(Kind::Word)) || colon == 0 {
        return None;
    }
    if !doc.is(colon - 1, &lexicon::ESTIMATE_NOUNS) && !sourcing_at(doc, colon - 1) {
        return None;
    }
    // (The label starts after the last mark before it: "...; police estimate: 55,000".)
    let label_start = (colon.saturating_sub(5).max(clause.start.min(colon))..colon)
        .rev()
        .find(|&k| {
            matches!(doc.raw(k), ";" | "(" | "," | "." | ":") || doc.kind(k) == Some(Kind::Number)
        })
        .map_or(colon.saturating_sub(5), |k| k + 1);
    label_source(doc, label_start, colon, Lead::First)
}

/// '... thanked "the tens of thousands of peaceful protesters"', '"We had 5,000
/// here," the organizer said': a figure inside a quotation is the words of whoever the
/// sentence says is quoted, named right before the opening mark (with its verb) or
/// right after the closing one.
fn quotation_speaker(doc: &Doc, cues: &[Cue], first: usize, clauses: &Clauses) -> Option<Cue> {
    let (lo, hi) = (clauses.lo, clauses.hi());
    if !doc.quote_in(lo, first) {
        return None;
    }
    // Inside a quotation: an odd number of marks before the figure, the last opening it.
    let mut marks = 0;
    let mut open = lo;
    for k in lo..first {
        if is_quote_mark(doc.raw(k)) {
            marks += 1;
            open = k;
        }
    }
    if marks % 2 == 0 {
        return None;
    }
    let close = (first..hi).find(|&k| is_quote_mark(doc.raw(k)));
    // Before the opening mark: the subject and its verb, a few words at most, no
    // figure between ("The department posted: \"...\"", "Organizers told us \"...\"").
    let before = cues.iter().copied().rev().find(|c| {
        c.end <= open
            && open - c.end <= 4
            && (c.end..open).any(|k| doc.kind(k) == Some(Kind::Word) && !doc.tokens[k].capitalized)
            && !(c.end..open).any(|k| {
                doc.kind(k) == Some(Kind::Number) || clauses.is_break(k) && doc.raw(k) != ":"
            })
    });
    // (A verb that is no verb of saying leaves the source out of the cues: "The police
    // department thanked \"the thousands of peaceful marchers\"".)
    let before = before.or_else(|| {
        let c = label_source(doc, open.saturating_sub(5).max(lo), open, Lead::Last)?;
        let words = c.end..open;
        (!words.is_empty()
            && words.clone().all(|k| {
                doc.kind(k) == Some(Kind::Word) && !doc.tokens[k].capitalized || doc.raw(k) == ":"
            }))
        .then_some(c)
    });
    if before.is_some() {
        return before;
    }
    // After the closing mark: '..." police said', '...," said a spokesman for police'.
    let close = close?;
    let verb = (close + 1..(close + 4).min(hi)).find(|&k| speaking_verb(doc, k, 0))?;
    cues.iter().copied().find(|c| {
        c.start > close
            && c.start <= verb + 3
            && !(close + 1..c.start).any(|k| doc.kind(k) == Some(Kind::Number))
    })
}

/// "Organizers claimed 6,000, police 3,000", "police 2,000 and organizers 5,000": in a
/// list of pairs, a source right before a figure (no verb between) after a comma,
/// "and" or the clause's start, with another figure before it, is that figure's.
fn paired_label(doc: &Doc, first: usize, others: &[usize], clause: Clause) -> Option<Cue> {
    // Between the source and the figure: at most one word of degree ("only", "just").
    // ("organizers at 5,000": the "at" of a verb of putting shared with the pair before.)
    let degree = first > 0 && doc.is(first - 1, &lexicon::SPEAKER_PAIR_GAP_WORDS);
    let label_end = first - usize::from(degree);
    let c = label_source(
        doc,
        label_end.saturating_sub(3).max(clause.start),
        label_end,
        Lead::Last,
    )?;
    let gap = first - c.end;
    if gap > 1 || gap == 1 && !doc.is(c.end, &lexicon::SPEAKER_PAIR_GAP_WORDS) {
        return None;
    }
    let head = source_head(doc, c.start, clause.start);
    let opens = head == clause.start
        || matches!(doc.raw(head - 1), "," | ";" | "(")
        || matches!(doc.word(head - 1), "and" | "while" | "whereas" | "but");
    if !opens || possessive(doc.raw(c.end - 1)) {
        return None;
    }
    // A pair needs a partner: another figure just before this source or just after
    // this figure ("police 2,000, organizers 5,000").
    let partner = others
        .iter()
        .any(|&o| o < head && head - o <= 8 || o > first && o - first <= 8);
    partner.then_some(c)
}

/// "The police assessment is only 15,000", "the sheriff's estimate of 900",
/// "Organizers' own tally came to 2,400": the source named in a noun phrase whose head
/// is an estimate, right before the figure or its verb of being.
fn estimate_owner(doc: &Doc, first: usize, clause: Clause) -> Option<Cue> {
    // The estimate's head: right before "of" and the figure, or before a short verb
    // ("is", "was", "came to", "stood at") and the figure.
    let head = (first.saturating_sub(4).max(clause.start + 1)..first)
        .rev()
        .find(|&k| {
            (doc.is(k, &lexicon::ATTRIBUTION_COUNTING_NOUNS) || doc.word(k) == "assessment")
                && doc.kind(k) == Some(Kind::Word)
        })?;
    let link = head + 1..first;
    let linked = link.len() <= 3
        && link.clone().all(|k| {
            matches!(
                doc.word(k),
                "of" | "is"
                    | "was"
                    | "were"
                    | "came"
                    | "to"
                    | "stood"
                    | "at"
                    | "only"
                    | "just"
                    | "about"
                    | "put"
                    | "reached"
            )
        });
    if !linked {
        return None;
    }
    // The owner: the noun right before the head, past one modifier ("organizers' own
    // tally", "the police crowd estimate"); "the official count" names no owner.
    let mut owner_end = head;
    if owner_end > clause.start
        && matches!(
            doc.word(owner_end - 1),
            "own" | "official" | "initial" | "final" | "crowd" | "preliminary" | "unofficial"
        )
    {
        owner_end -= 1;
    }
    let c = label_source(
        doc,
        owner_end.saturating_sub(3).max(clause.start),
        owner_end,
        Lead::Last,
    )?;
    (c.end == owner_end && doc.word(c.start) != "official").then_some(c)
}

/// "according to police", "per state troopers", "by the organizers' count", "estimated
/// by police at 5,000": the object of a preposition of sourcing in the figure's clause,
/// unless another figure stands between it and the figure (that figure's agent).
fn agent(
    doc: &Doc,
    cues: &[Cue],
    first: usize,
    skip_to: usize,
    others: &[usize],
    clause: Clause,
    clauses: &Clauses,
) -> Option<Cue> {
    let is_agent = |c: &Cue| {
        let head = source_head(doc, c.start, clause.start);
        if head <= clause.start {
            return false;
        }
        match doc.word(head - 1) {
            "per" | "citing" => true,
            "to" => doc.word(head.wrapping_sub(2)) == "according",
            // "by police", "by the organizers' count", "by police estimates".
            "by" => {
                possessive(doc.raw(c.end - 1))
                    || doc.is(c.end, &lexicon::ESTIMATE_NOUNS)
                    || doc.is(c.end, &lexicon::ATTRIBUTION_COUNTING_NOUNS)
                    || head >= 2 && speaking_verb(doc, head - 2, usize::MAX)
            }
            _ => false,
        }
    };
    // (A source after the preposition that the cues left out is read from its words:
    // "citing police".)
    let opens_source = |k: usize| {
        matches!(doc.word(k), "per" | "citing")
            || doc.word(k) == "to" && k > 0 && doc.word(k - 1) == "according"
    };
    let from_words = (clause.start..clause.end)
        .filter(move |&k| opens_source(k))
        .filter_map(|k| label_source(doc, k + 1, (k + 7).min(clause.end), Lead::First));
    let from_cues = cues.iter().copied().filter(is_agent);
    // The nearest such source with no other figure between it and the figure.
    from_cues
        .chain(from_words)
        .filter(|c| {
            c.start >= clause.start
                && c.end <= clause.end
                && (c.end <= first || c.start >= skip_to)
                && clause.outside(clauses, c.start)
                && !others.iter().any(|&o| {
                    o != first
                        && if c.start >= skip_to {
                            o > first && o < c.start
                        } else {
                            o >= c.end && o < first
                        }
                })
        })
        .min_by_key(|c| {
            if c.start >= skip_to {
                c.start - skip_to
            } else {
                first - c.end
            }
        })
}

/// "Organizers said 5,000", "Dana Lee, an organizer with Indivisible, said the rally
/// drew 8,000", "Police had it at 2,000": the subject of the nearest verb of saying
/// before the figure in its clause.
fn subject_before(
    doc: &Doc,
    cues: &[Cue],
    first: usize,
    others: &[usize],
    clause: Clause,
    clauses: &Clauses,
) -> Option<Subject> {
    let verb = (clause.start..first)
        .rev()
        .find(|&k| speaking_verb(doc, k, first) && clause.outside(clauses, k))?;
    // "the former governor told more than 700 people at the park to ...": the figure
    // right after a verb of addressing is the audience, not what is said.
    if doc.is(verb, &lexicon::ATTRIBUTION_ADDRESSING_VERBS)
        && first - verb <= 3
        && !(verb + 1..first).any(|k| doc.word(k) == "that")
    {
        return None;
    }
    // The verb's reach: "Organizers said 12,000 came, easily topping the 4,000 who
    // rallied last spring" (a figure after another one and a comma), "Deputies
    // reported no arrests as 12,000 filled the square" (an adverbial clause of its
    // own) are left to `choose`.
    if others
        .iter()
        .any(|&o| o > verb && o < first && (o..first).any(|k| doc.raw(k) == ","))
        || (verb + 1..first).any(|k| {
            matches!(
                doc.word(k),
                "as" | "when" | "after" | "before" | "because" | "since" | "until" | "once"
            ) && doc.kind(k + 1) != Some(Kind::Number)
                && !matches!(doc.word(k + 1), "many" | "much" | "high" | "large" | "of")
        })
    {
        return None;
    }
    // 'ABC said, "About 60,000 filled the avenue, the fire department said"': a verb
    // before the quotation that holds the figure introduces the quotation, the
    // outermost speaker (`quotation_speaker`).
    if doc.quote_in(verb, first) {
        return None;
    }
    // The verb's subject ends before it, past adverbs and auxiliaries ("also said",
    // "have estimated").
    let mut end = verb;
    while end > clause.start
        && matches!(
            doc.word(end - 1),
            "also"
                | "later"
                | "again"
                | "then"
                | "first"
                | "initially"
                | "had"
                | "has"
                | "have"
                | "now"
                | "still"
                | "separately"
                | "previously"
                | "earlier"
        )
    {
        end -= 1;
    }
    // A pronoun subject is left to `choose`, which looks back for its antecedent.
    if end > clause.start
        && matches!(
            doc.word(end - 1),
            "they" | "he" | "she" | "it" | "we" | "i" | "who" | "which"
        )
    {
        return Some(Subject::Unclassed);
    }
    // "Organizers of the march, which police said drew 4,000, claimed 9,000", "Dana
    // Lee, an organizer with Indivisible, said": across an appositive or a relative
    // clause set off by commas, the subject is the noun phrase before the first comma.
    let mut subject_end = end;
    if end > clause.start + 1 && doc.raw(end - 1) == "," {
        if let Some(open) = (end.saturating_sub(16).max(clause.start)..end - 1)
            .rev()
            .find(|&k| doc.raw(k) == ",")
        {
            subject_end = open;
        }
    }
    let subject_start = (clause.start..subject_end)
        .rev()
        .find(|&k| doc.raw(k) == "," || doc.kind(k) == Some(Kind::Number))
        .map_or(clause.start, |k| k + 1);
    if subject_start >= subject_end
        || others.iter().any(|&o| o >= subject_end && o < verb) && subject_end == end
    {
        return Some(Subject::Unclassed);
    }
    // The cues read names and their roles; a plain noun is read from the word itself
    // ("Police had it at 2,000": the verb makes it a source). A label's head leads when
    // the phrase has an appositive after it ("Organizers of the march, ..."), the word
    // right before the verb otherwise ("the city's police said").
    let c = cues
        .iter()
        .copied()
        .rev()
        .find(|c| c.start >= subject_start && c.end <= subject_end)
        .or_else(|| {
            if subject_end < end {
                label_source(
                    doc,
                    subject_start,
                    subject_end.min(subject_start + 4),
                    Lead::First,
                )
            } else {
                label_source(
                    doc,
                    subject_end.saturating_sub(3).max(subject_start),
                    subject_end,
                    Lead::Last,
                )
            }
        });
    let Some(c) = c else {
        return Some(Subject::Unclassed);
    };
    // "The vigil, which organizers said was the first of its kind, drew about 350":
    // the verb's own clause closes before the figure.
    if says_another_thing(doc, c.end, first, true) {
        return None;
    }
    // Right before the verb (or the appositive), with no other figure or verb of
    // saying between.
    if (subject_end == end && end - c.end > 1)
        || (c.end..subject_end)
            .any(|k| doc.kind(k) == Some(Kind::Number) || speaking_verb(doc, k, first))
    {
        return Some(Subject::Unclassed);
    }
    Some(Subject::Named(c))
}

/// "About 4,000 marched downtown, the mayor tweeted", "..., said Dana Lee, a
/// spokeswoman for the city police", "..., a police spokeswoman said": a tag of saying
/// set off by a comma after the figure, with no clause of its own after the verb.
fn tag_after(
    doc: &Doc,
    cues: &[Cue],
    skip_to: usize,
    others: &[usize],
    clause: Clause,
    clauses: &Clauses,
) -> Option<Subject> {
    let verb =
        (skip_to..clause.end).find(|&k| speaking_verb(doc, k, 0) && clause.outside(clauses, k))?;
    if others.iter().any(|&o| o >= skip_to && o < verb) {
        return None;
    }
    // The tag opens with a comma (or a dash) right before its source or its verb.
    let tag_opens = |k: usize| k > skip_to && (doc.raw(k - 1) == "," || doc.is_dash(k - 1));
    // "..., said Dana Lee, ...": the verb first, its source right after.
    if tag_opens(verb) {
        let c = cues
            .iter()
            .copied()
            .find(|c| c.start > verb && c.start <= verb + 3 && c.end <= clause.end);
        return Some(c.map_or(Subject::Unclassed, Subject::Named));
    }
    // "..., the mayor tweeted", "..., a police spokeswoman said Saturday".
    let c = cues
        .iter()
        .copied()
        .rev()
        .find(|c| c.start >= skip_to && c.end <= verb)?;
    let head = source_head(doc, c.start, clause.start);
    let opens = tag_opens(head);
    if !opens || verb - c.end > 1 {
        return None;
    }
    // No clause of its own after the verb: "..., and police said the event was
    // peaceful" says another thing.
    let rest = verb + 1..clause.end;
    if rest.len() > 8
        || rest.clone().any(|k| {
            doc.word(k) == "that"
                || doc.kind(k) == Some(Kind::Number)
                || matches!(
                    doc.word(k),
                    "was" | "were" | "is" | "are" | "would" | "will" | "had"
                )
        })
    {
        return None;
    }
    Some(Subject::Named(c))
}

#[cfg(test)]
mod tests {
    use tally_model::Attribution::{self, *};

    /// Each figure's class in order, by the whole extractor: the speaker pass decides
    /// where it finds a speaker.
    fn classes(text: &str) -> Vec<(u64, Attribution)> {
        crate::extract(text, &crate::ExtractOptions::default())
            .estimates
            .iter()
            .map(|e| (e.estimate.low(), e.estimate.attribution()))
            .collect()
    }

    #[test]
    fn issue_9_speaker_of_each_figure() {
        let table: &[(&str, &[(u64, Attribution)])] = &[
            // Pairs: each figure has its own speaker.
            (
                "Organizers claimed 6,000, police 3,000.",
                &[(6000, Organizers), (3000, Police)],
            ),
            (
                "Organizers counted about 6,000 people, police only 3,000.",
                &[(6000, Organizers), (3000, Police)],
            ),
            (
                "The crowd numbered between 3,000 (police) and 5,000 (organizers).",
                &[(3000, Police), (5000, Organizers)],
            ),
            (
                "Police had it at 2,000 while organizers said 5,000.",
                &[(2000, Police), (5000, Organizers)],
            ),
            // Speaker after the figure, in a tag.
            (
                "About 4,000 people marched downtown, the mayor tweeted.",
                &[(4000, Officials)],
            ),
            (
                "More than 900 gathered at the plaza, a police spokeswoman said Sunday.",
                &[(900, Police)],
            ),
            (
                "The rally drew 8,000, said Dana Lee, an organizer with Indivisible.",
                &[(8000, Organizers)],
            ),
            // Speaker before the figure.
            (
                "Dana Lee, a spokeswoman for the city police, said the rally drew 8,000.",
                &[(8000, Police)],
            ),
            (
                "The fire department pegged attendance at 15,000.",
                &[(15000, Officials)],
            ),
            // The object of "according to", "per", "by X's count".
            (
                "Some 8,000 people rallied at the statehouse, according to Capitol Police.",
                &[(8000, Police)],
            ),
            (
                "By the sheriff's estimate, 1,200 people lined the route.",
                &[(1200, Police)],
            ),
            // A label: "X's estimate: N".
            (
                "(organizers' estimate: 200,000 people; police estimate: 55,000)",
                &[(200000, Organizers), (55000, Police)],
            ),
            // A quotation's speaker.
            (
                "The police department thanked \"the thousands of peaceful marchers\" on Saturday.",
                &[(2000, Police)],
            ),
        ];
        for (text, want) in table {
            assert_eq!(classes(text), want.to_vec(), "{text}");
        }
    }
}
