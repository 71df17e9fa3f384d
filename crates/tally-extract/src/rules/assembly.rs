//! Precision rules of session 26: a figure counts a crowd only when the people it
//! counts are present at a gathering. These rules find figures whose people are
//! counted at something else: a movement's private assembly (a training, a planning
//! call, a party convention), an organization they join or that grows, or the work
//! they give. Each rule reads the figure's clause (its verb's complement or subject),
//! not a phrase.

use super::{closes_context, is_adverb, Figure, HeadReading};
use crate::lexicon;
use crate::number::Doc;
use crate::token::Kind;

/// A private assembly of a movement at `k`: a noun of `meeting-nouns.txt` ("training",
/// "orientation", "convention"; not "convention center"), or a noun of
/// `meeting-heads.txt` after a word of `meeting-modifiers.txt` ("a planning call", "the
/// group's monthly meeting").
fn is_meeting(doc: &Doc, k: usize) -> bool {
    if doc.is(k, &lexicon::MEETING_NOUNS) {
        // "the convention center", "a training facility": a venue named after one.
        return !matches!(
            doc.word(k + 1),
            "center" | "centre" | "centers" | "facility" | "site" | "grounds"
        );
    }
    doc.is(k, &lexicon::MEETING_HEADS) && k > 0 && doc.is(k - 1, &lexicon::MEETING_MODIFIERS)
}

/// "about 300 volunteers showed up for a training session", "More than 40 organizers
/// joined a planning call", "400 delegates attended the state party convention", "The
/// orientation drew 300 new volunteers", "a webinar for 2,000 people": the assembly the
/// figure's people came to is the first one named after them in their clause (the
/// complement of their verb), or the subject of the verb that has them. A private
/// assembly of a movement is no gathering we count. A gathering named first ("packed a
/// school board meeting to protest", "a rally after the training") or a verb of
/// protesting ("marched to the convention") makes the assembly no meeting of theirs;
/// people counted as protesters ("5,000 protesters") are at a protest wherever they are.
pub(super) fn at_a_meeting(f: &Figure, reading: HeadReading) -> bool {
    let doc = f.doc;
    if doc.is(reading.head_at, &lexicon::PROTEST_NOUNS) {
        return false;
    }
    let start = reading.after_people(f.p);
    for m in start..(start + 9).min(f.hi) {
        if closes_context(doc, m) || doc.kind(m) == Some(Kind::Number) {
            break;
        }
        if doc.is(m, &lexicon::GATHERING_NOUNS)
            || doc.is(m, &lexicon::PROTEST_VERBS)
            || doc.is(m, &lexicon::PROTEST_NOUNS)
        {
            return false;
        }
        // "rallied outside the convention", "a vigil ahead of the training", "walked
        // out of the convention hall": the assembly is where or when they were, or
        // what they left, not what they came to.
        if matches!(
            doc.word(m),
            "outside"
                | "near"
                | "against"
                | "ahead"
                | "before"
                | "after"
                | "while"
                | "but"
                | "out"
                | "from"
                | "left"
                | "leaving"
        ) {
            break;
        }
        if is_meeting(doc, m) {
            return true;
        }
    }
    // "The orientation drew 300", "a webinar for 2,000 people", "the organizers' Zoom
    // call drew more than 900": the assembly right before the figure, one verb of
    // drawing or "for" between them.
    let first = f.p.first;
    let mut m = first;
    let mut between = 0;
    while m > f.lo && between < 2 {
        m -= 1;
        if is_meeting(doc, m) {
            return between > 0;
        }
        if doc.kind(m) != Some(Kind::Word)
            || !(doc.is(m, &lexicon::HEADLINE_VERBS) || matches!(doc.word(m), "for" | "with"))
        {
            return false;
        }
        between += 1;
    }
    false
}

/// "More than 2,000 workers joined the union this year", "About 500 people joined the
/// Facebook group's list", "about 50 people taking part in two Meetup groups": people
/// who join an organization (or take part in several) become members; they come to no
/// gathering. "joined the union members on the picket line", "joined the union's
/// picket line" join people or a gathering.
pub(super) fn joins_an_organization(f: &Figure, reading: HeadReading) -> bool {
    let doc = f.doc;
    if doc.is(reading.head_at, &lexicon::PROTEST_NOUNS) {
        return false;
    }
    let start = reading.after_people(f.p);
    let mut m = start;
    while m < f.hi && m < start + 3 && doc.is(m, &lexicon::AUXILIARIES) {
        m += 1;
    }
    let object = match doc.word(m) {
        "join" | "joins" | "joined" | "joining" => m + 1,
        "took" | "take" | "takes" | "taking"
            if doc.word(m + 1) == "part" && doc.word(m + 2) == "in" =>
        {
            m + 3
        }
        _ => return false,
    };
    // The object's noun: the first word of the organization list within a few words
    // (a determiner, a number and a name may come first), and nothing that names people
    // or a gathering after it.
    for k in object..(object + 5).min(f.hi) {
        if doc.kind(k) != Some(Kind::Word) && doc.kind(k) != Some(Kind::Number) {
            return false;
        }
        if doc.is(k, &lexicon::ORGANIZATION_NOUNS) {
            let next = doc.word(k + 1);
            if lexicon::crowd_noun(next).is_some()
                || doc.raw(k).contains(['\'', '\u{2019}'])
                || doc.raw(k + 1).starts_with(['\'', '\u{2019}'])
            {
                return false;
            }
            // "joined the coalition in marching to City Hall": they joined its protest.
            return !(k + 1..(k + 6).min(f.hi))
                .take_while(|&n| !closes_context(doc, n))
                .any(|n| {
                    doc.is(n, &lexicon::GATHERING_NOUNS)
                        || doc.is(n, &lexicon::PROTEST_VERBS)
                        || doc.is(n, &lexicon::PROTEST_NOUNS)
                });
        }
        if lexicon::crowd_noun(doc.word(k)).is_some() || lexicon::gathering_noun(doc.word(k)) {
            return false;
        }
    }
    false
}

/// "Indivisible's local chapter grew from 30 members to more than 1,200", "the mailing
/// list grew from 800 to 15,000": a figure that a verb of growth reaches, whose subject
/// is an organization or its list, counts members. "The crowd grew from 200 to 1,000"
/// keeps its crowd.
pub(super) fn grows_an_organization(f: &Figure) -> bool {
    let doc = f.doc;
    let mut k = f.p.first;
    let mut steps = 0;
    while k > f.lo && steps < 8 {
        k -= 1;
        steps += 1;
        if closes_context(doc, k) {
            return false;
        }
        if doc.is(k, &lexicon::GROWTH_VERBS) {
            // The subject: the word before the verb, past adverbs and auxiliaries ("has
            // quickly grown").
            let mut s = k.checked_sub(1).filter(|&s| s >= f.lo);
            while let Some(w) = s.filter(|&w| w > f.lo) {
                if !(is_adverb(doc.word(w)) || doc.is(w, &lexicon::AUXILIARIES)) {
                    break;
                }
                s = Some(w - 1);
            }
            return s.is_some_and(|s| doc.is(s, &lexicon::ORGANIZATION_NOUNS));
        }
    }
    false
}

/// "the work of hundreds of volunteers", "the signatures of 10,000 residents": a figure
/// after "of" and a noun of what people give or do counts them by that, not by coming.
pub(super) fn counted_by_their_work(f: &Figure) -> bool {
    f.prev_word == "of" && f.prev > f.lo && f.doc.is(f.prev - 1, &lexicon::WORK_NOUNS)
}

/// "organizing thousands of grassroots activists to campaign for him", "asked 3,000
/// supporters to call their senators": people that a verb of asking or sending has as
/// its object, then an infinitive of what they are to do that is no verb of coming,
/// count people asked to act, not people who came ("bused 2,000 members to rally"
/// came).
pub(super) fn asked_to_act(f: &Figure, reading: HeadReading) -> bool {
    let doc = f.doc;
    if !matches!(reading.head, super::Head::Crowd(_)) || doc.word(reading.head_at + 1) != "to" {
        return false;
    }
    let verb = reading.head_at + 2;
    let asked = f.p.first > f.lo && doc.is(f.p.first - 1, &lexicon::MOBILIZING_VERBS);
    asked
        && doc.kind(verb) == Some(Kind::Word)
        && !doc.tokens[verb].capitalized
        && !matches!(
            doc.word(verb),
            "the" | "a" | "an" | "their" | "its" | "his" | "her"
        )
        && !doc.is(verb, &lexicon::CROWD_VERBS)
        && !lexicon::gathering_noun(doc.word(verb))
}

/// "We've seen thousands of new members join across the country", "Hundreds of
/// volunteers have joined since January": members (or volunteers) who join with no
/// gathering or people named after them join the organization.
pub(super) fn members_join(f: &Figure, reading: HeadReading) -> bool {
    let doc = f.doc;
    let joins = |k: usize| matches!(doc.word(k), "join" | "joins" | "joined" | "joining");
    // "..., and over 700 join where I live": a bare figure with the same verb after
    // members who joined earlier in the sentence.
    if reading.head == super::Head::None
        && joins(f.p.end)
        && (f.lo..f.p.first).any(|k| doc.word(k) == "members" && joins(k + 1))
    {
        return true;
    }
    if !matches!(reading.head, super::Head::Crowd(_))
        || !matches!(
            doc.word(reading.head_at),
            "members" | "recruits" | "volunteers"
        )
    {
        return false;
    }
    // "Hundreds of volunteers have joined since January".
    let mut verb = reading.head_at + 1;
    while verb < reading.head_at + 3 && doc.is(verb, &lexicon::AUXILIARIES) {
        verb += 1;
    }
    joins(verb)
        && !(verb + 1..(verb + 6).min(f.hi))
            .take_while(|&n| !closes_context(doc, n))
            .any(|n| {
                doc.is(n, &lexicon::GATHERING_NOUNS)
                    || lexicon::crowd_noun(doc.word(n)).is_some()
                    || doc.is(n, &lexicon::PROTEST_VERBS)
            })
}

/// "The union bused about 2,000 members to rally at the statehouse": people that a verb
/// of bringing has as its object, then an infinitive of coming, came (the twin of
/// `asked_to_act`).
pub(super) fn brought_to_gather(f: &Figure, reading: HeadReading) -> bool {
    let doc = f.doc;
    matches!(reading.head, super::Head::Crowd(_))
        && f.p.first > f.lo
        && doc.is(f.p.first - 1, &lexicon::BRINGING_VERBS)
        && doc.word(reading.head_at + 1) == "to"
        && (doc.is(reading.head_at + 2, &lexicon::CROWD_VERBS)
            || doc.is(reading.head_at + 2, &lexicon::JOINING_VERBS))
}

/// "an audience of 2 million on cable news", "broadcast to an audience of 4 million": an
/// audience whose clause says the gathering reached it from afar watched; it did not
/// come ("an audience of 3,000 packed the hall" came).
pub(super) fn broadcast_audience(f: &Figure) -> bool {
    let doc = f.doc;
    if f.prev_word != "of" || f.prev <= f.lo || doc.word(f.prev - 1) != "audience" {
        return false;
    }
    let from = f.lo.max(f.prev.saturating_sub(8));
    let to = f.hi.min(f.p.end + 6);
    (from..to)
        .filter(|&k| k < f.p.first || k >= f.p.end)
        .any(|k| doc.is(k, &lexicon::BROADCAST_WORDS))
}

/// "The event page listed 12,000 people as going and another 20,000 as interested": people
/// counted by how they answered an invitation.
pub(super) fn answered_as(f: &Figure, reading: HeadReading) -> bool {
    let doc = f.doc;
    let at = reading.after_people(f.p);
    doc.word(at) == "as" && doc.is(at + 1, &lexicon::RSVP_STATES)
}

/// "Turnout in the primary topped 1.2 million voters": voters are counted at the polls;
/// they make a crowd only with a verb of coming of their own ("2,000 voters rallied at
/// the capitol").
pub(super) fn voters_without_coming(f: &Figure, reading: HeadReading) -> bool {
    matches!(reading.head, super::Head::Crowd(_))
        && matches!(
            f.doc.word(reading.head_at),
            "voters" | "electors" | "caucusgoers"
        )
        && !reading.verb_after
}

/// "The demonstration was one of 1,300 held nationwide", "the rally, one of more than
/// 2,000 across the country": a gathering said to be one of the figure's, which counts
/// gatherings ("She was one of 3,000 marchers" counts people).
pub(super) fn one_of_the_gatherings(f: &Figure) -> bool {
    let doc = f.doc;
    if f.prev_word != "of" || f.prev < f.lo + 2 || doc.word(f.prev - 1) != "one" {
        return false;
    }
    let one = f.prev - 1;
    (f.lo.max(one.saturating_sub(4))..one)
        .rev()
        .take_while(|&k| doc.kind(k) == Some(Kind::Word) || matches!(doc.raw(k), ","))
        .any(|k| {
            doc.is(k, &lexicon::GATHERING_NOUNS) && !doc.word(k).starts_with("crowd")
                || doc.is(k, &lexicon::EVENT_NOUNS)
        })
}

/// "About 5,000 people are set to march downtown", "Up to 3,000 people are due to attend",
/// "Between 5,000 and 10,000 people are likely to attend": the people's verb put in the
/// future by a word before "to" counts people still to come, in any tense ("were
/// poised to fill").
pub(super) fn still_to_come(f: &Figure, reading: HeadReading) -> bool {
    let doc = f.doc;
    let mut m = reading.after_people(f.p);
    // "Thousands of teachers and supporters are scheduled to rally": a joined noun.
    if matches!(doc.word(m), "and" | "or") && lexicon::crowd_noun(doc.word(m + 1)).is_some() {
        m += 2;
    }
    if !matches!(doc.word(m), "are" | "is" | "were" | "was" | "'re") {
        return false;
    }
    m += 1;
    // "are all set to", "are now due to" ("likely" is the future's own word).
    if (doc.word(m) == "all" || is_adverb(doc.word(m))) && !doc.is(m, &lexicon::TO_COME_WORDS) {
        m += 1;
    }
    let verb = m + 2;
    doc.is(m, &lexicon::TO_COME_WORDS)
        && doc.word(m + 1) == "to"
        && doc.kind(verb) == Some(Kind::Word)
        && !doc.tokens[verb].capitalized
        && !matches!(doc.word(verb), "the" | "a" | "an" | "their" | "its" | "his" | "her")
        // "were going to the rally": motion, not a future.
        && !(doc.word(m) == "going" && lexicon::gathering_noun(doc.word(verb)))
}

/// "Organizers are shooting for 25,000 participants", "counting on 10,000 supporters",
/// "The square has room for 20,000 demonstrators": a figure after "for" or "on" and a
/// word of aiming or of room is a goal or a capacity.
pub(super) fn aimed_for(f: &Figure) -> bool {
    matches!(f.prev_word, "for" | "on")
        && f.prev > f.lo
        && f.doc.is(f.prev - 1, &lexicon::AIM_WORDS)
}
