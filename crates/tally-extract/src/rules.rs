//! The rules that decide what a number phrase counts: a crowd, events or places, or
//! something else (money, times, arrests, years, ...).
//!
//! `classify` runs small named rules in order. The first group says what a figure
//! can never be (`never_a_size`); then the figure's head noun and verb are read
//! (`read_head`), the words before it in its clause are weighed (`look_back`), and the
//! last rules look for shapes of real reporting that give a size without a noun
//! ("Denver: 100,000", "New York City had almost 200,000", "a crowd of 40,000"). A
//! figure is a crowd size only on positive evidence and with no cancelling word.
//! Word lists live in the lexicon's data files (`lexicon/*.txt`).

use crate::attribution;
use crate::lexicon::{self, Crowd};
use crate::number::{self, Doc, Phrase};
use crate::token::Kind;

mod assembly;
mod counted_as;
mod recall;

/// What a number phrase is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// A crowd size; `part` when it counts a part of a gathering's crowd on its own
    /// (people from elsewhere who came to join it, people turned away), which is no
    /// size of the whole gathering.
    Crowd {
        skip_to: usize,
        part: bool,
    },
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

/// What the sentence around a figure says about crowds.
#[derive(Debug, Clone, Copy)]
pub struct SentenceContext {
    /// The sentence speaks of a crowd, turnout or attendees.
    pub crowd_words: bool,
    /// An earlier figure of the sentence is a crowd size.
    pub earlier_crowd: bool,
    /// The sentence is about a game, concert or fair, not a political gathering.
    pub non_political: bool,
    /// The sentence right before gave a crowd size: "Organizers claimed 7 million.
    /// Morris gave a median estimate of 4.2 million." speaks of the same crowd.
    pub previous_crowd: bool,
    /// Every word class of the sentence's words and of the six tokens after it
    /// (`Doc::classes_in`): a rule gated by `Figure::needs` runs only when they hold one
    /// of its trigger words.
    pub classes: lexicon::Classes,
}

/// One figure in its sentence `[lo, hi)`, with the words next to it looked up once.
struct Figure<'a, 'd> {
    doc: &'a Doc<'d>,
    lo: usize,
    hi: usize,
    p: &'a Phrase,
    /// Token before the phrase, `usize::MAX` at the sentence start.
    prev: usize,
    prev_word: &'d str,
    prev_raw: &'d str,
    /// The word right after the phrase.
    after: &'d str,
    /// Every word class of the sentence (`SentenceContext::classes`).
    sentence: lexicon::Classes,
}

impl<'a, 'd> Figure<'a, 'd> {
    /// True when a word of the figure's sentence is in `list`: one bit test.
    fn sentence_has(&self, list: &lexicon::WordList) -> bool {
        list.in_classes(&self.sentence)
    }

    /// The gate of a per-figure rule: runs `rule` only when the figure's sentence
    /// holds a word of one of `triggers`, lists of words without one of which the rule
    /// cannot fire (most figures' sentences hold none, and the rule costs them one bit
    /// test). The trigger word must lie inside the sentence `[lo, hi)` or in the six
    /// tokens after it (`SentenceContext::classes`). Debug builds
    /// (every test, and the fuzz target) run the rule anyway and fail when it would
    /// have fired without its trigger. **Seam for a new rule:**
    /// `|| f.needs(&[&lexicon::AGE_WORDS], is_age)` in `classify` (a closure for a rule
    /// with more arguments: `|f| is_part_of_crowd(f, reading)`), and a new trigger
    /// word goes in the list.
    // (Inline: the gate is a bit test or two, cheaper than the call that ran it, made
    // some 30 times a figure. The rule itself stays out of line, `run_gated`.)
    #[inline(always)]
    fn needs(&self, triggers: &[&lexicon::WordList], rule: impl Fn(&Self) -> bool) -> bool {
        if triggers.iter().any(|t| self.sentence_has(t)) {
            return run_gated(self, rule);
        }
        debug_assert!(
            !rule(self),
            "{} fired with no word of {:?} in its sentence: add its trigger word to the list",
            std::any::type_name_of_val(&rule),
            triggers.iter().map(|t| t.file).collect::<Vec<_>>()
        );
        false
    }

    /// True when the token before the phrase is a capitalized word (a place name).
    fn f_capitalized_prev(&self) -> bool {
        self.prev != usize::MAX
            && self.doc.kind(self.prev) == Some(Kind::Word)
            && self.doc.tokens[self.prev].capitalized
    }

    fn new(
        doc: &'a Doc<'d>,
        lo: usize,
        hi: usize,
        p: &'a Phrase,
        sentence: lexicon::Classes,
    ) -> Figure<'a, 'd> {
        let mut prev = if p.first > lo {
            p.first - 1
        } else {
            usize::MAX
        };
        // A quoted figure ("'millions'", "\"Tens of thousands,\" according to police")
        // is read as if unquoted: the word before the opening quote is its neighbour.
        if prev != usize::MAX && is_open_quote(doc, prev, p.first) && !doc.adjacent(prev) {
            prev = if prev > lo { prev - 1 } else { usize::MAX };
        }
        let (prev_word, prev_raw) = if prev == usize::MAX {
            ("", "")
        } else {
            (doc.word(prev), doc.raw(prev))
        };
        Figure {
            doc,
            lo,
            hi,
            p,
            prev,
            prev_word,
            prev_raw,
            after: doc.word(p.end),
            sentence,
        }
    }
}

/// A gated rule, run out of line (`Figure::needs`): most gates are closed, and the
/// rule's code would only crowd the caller's.
#[inline(never)]
fn run_gated<'a, 'd>(f: &Figure<'a, 'd>, rule: impl Fn(&Figure<'a, 'd>) -> bool) -> bool {
    rule(f)
}

/// Tests of single rules: `rule` run on the figure of `text` (one sentence) that starts
/// at its token `first`.
#[cfg(test)]
fn judge_figure(text: &str, first: usize, rule: impl Fn(&Figure) -> bool) -> bool {
    let lower = text.to_ascii_lowercase();
    let tokens = crate::token::tokenize(text);
    let doc = Doc::new(text, &lower, &tokens);
    let p = number::read_phrase(&doc, first, &Default::default(), true).expect("a figure");
    let f = Figure::new(&doc, 0, tokens.len(), &p, doc.classes_in(0, tokens.len()));
    rule(&f)
}

#[cfg(test)]
mod gate_tests {
    use super::*;

    #[test]
    fn a_gated_rule_runs_only_when_its_sentence_holds_a_trigger_word() {
        let age = |f: &Figure| f.needs(&[&lexicon::AGE_WORDS], is_age);
        assert!(judge_figure("She is six years old.", 2, age));
        assert!(!judge_figure("She saw six rallies.", 2, age));
        // The rule runs with its trigger anywhere in the sentence, and still judges.
        assert!(!judge_figure("Six years ago, 500 marched.", 4, age));
        let ran = std::cell::Cell::new(0);
        let counting = |f: &Figure| {
            f.needs(&[&lexicon::AGE_WORDS, &lexicon::HABIT_WORDS], |_| {
                ran.set(ran.get() + 1);
                false
            })
        };
        judge_figure("500 marched every week.", 0, counting);
        assert_eq!(ran.get(), 1);
        judge_figure("500 marched on Sunday.", 0, counting);
        // (Debug builds run a gated-off rule once more, to check it.)
        assert_eq!(ran.get(), 1 + usize::from(cfg!(debug_assertions)));
    }

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "fired with no word of [\"unable-words.txt\"]")]
    fn debug_builds_fail_a_rule_that_fires_without_its_trigger() {
        judge_figure("500 marched on Sunday.", 0, |f| {
            f.needs(&[&lexicon::UNABLE_WORDS], |_| true)
        });
    }
}

/// A quote mark at `k`.
fn is_quote_mark(doc: &Doc, k: usize) -> bool {
    matches!(
        doc.raw(k),
        "\"" | "'" | "\u{201c}" | "\u{201d}" | "\u{2018}" | "\u{2019}"
    )
}

/// An opening quote at `k`, glued to the figure that starts at `first`.
fn is_open_quote(doc: &Doc, k: usize, first: usize) -> bool {
    matches!(doc.raw(k), "\"" | "'" | "\u{201c}" | "\u{2018}") && doc.adjacent(first)
}

/// The head noun and verb read after a figure.
#[derive(Debug, Clone, Copy)]
struct HeadReading {
    head: Head,
    head_at: usize,
    verb_after: bool,
    negative_after: bool,
    /// "2,000 people per square mile", "2,000 people higher than": not a crowd.
    rate_or_difference: bool,
    /// The people's verb is one of motion to somewhere that holds no gathering ("rode
    /// the system", "went to a hospital"): their clause places them elsewhere.
    went_elsewhere: bool,
}

impl HeadReading {
    /// The first token after the figure's people: after their noun when the figure has
    /// one ("2,000 workers joined"), else right after the figure ("2,000 joined").
    fn after_people(&self, p: &Phrase) -> usize {
        if matches!(self.head, Head::Crowd(_)) {
            self.head_at + 1
        } else {
            p.end
        }
    }
}

/// What the words before a figure in its clause say.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct LookBack {
    negative_before: bool,
    crowd_before: bool,
    /// "an estimated 200,000" in a sentence about crowds: evidence for a figure with
    /// no noun, not for a noun that names people counted for other reasons ("an
    /// estimated 150 million farmers").
    estimated: bool,
    /// The sentence speaks of a crowd or has an earlier crowd figure.
    crowd_sentence: bool,
    /// A word of counting before the figure with no source of its own ("the estimated
    /// 12 million"): evidence for a figure with no noun, not for people a noun names
    /// (`counts_without_a_source`).
    counted_before: bool,
    /// The figure is what a verb of size says of its subject, and the subject counts
    /// events ("actions ... numbered more than 1,300") or things ("the vehicles
    /// numbered more than 1,000"): `Some(true)` for events.
    subject_counts: Option<bool>,
}

/// Judges the number phrase `p` in the sentence `[lo, hi)`.
pub fn classify(doc: &Doc, lo: usize, hi: usize, p: &Phrase, context: SentenceContext) -> Verdict {
    let f = Figure::new(doc, lo, hi, p, context.classes);
    if context.non_political || p.high == 0 || p.fractional || never_a_size(&f) {
        return Verdict::Other;
    }
    let more_joined = adds_a_group(&f, context) || recall::more_in_a_town(&f, context);
    let joined_crowd = more_joined;
    if !more_joined && (is_difference_or_ratio(&f) || defined_otherwise(&f)) {
        return Verdict::Other;
    }
    let reading = read_head(&f, more_joined);
    let gave_up = reading.negative_after && gave_up_to_take_part(&f, reading);
    if reading.head == Head::Negative
        || reading.negative_after && !gave_up
        || reading.rate_or_difference
    {
        return Verdict::Other;
    }
    // People counted as riders, answers to an invitation, givers or by another verb
    // (`counted_as`): no crowd, whatever the words before the figure say.
    if counted_as::counted_by_another_verb(&f, reading)
        || counted_as::answered_online_or_depth(&f, reading)
        || counted_as::gave_money(&f)
        || counted_as::is_margin(&f)
        || counted_as::glued_to_name(&f)
        || counted_as::agent_of_another_verb(&f)
        || f.needs(
            &[&lexicon::NUMBERED_NAME_HEADS],
            counted_as::in_a_numbered_name,
        )
        || f.needs(&[&lexicon::POPULATED_PLACES], |f| {
            counted_as::population_after_place(f, reading)
        })
        || f.needs(&[&lexicon::TRANSIT_WORDS], |f| {
            counted_as::counted_by_transit(f, reading)
        })
    {
        return Verdict::Other;
    }
    let head = reading.head;
    // "an overflow room for 1,000 people to watch", "calling for 5,000 people to turn
    // out": room or a call for people, not people who came.
    if matches!(head, Head::Crowd(_))
        && f.prev_word == "for"
        && doc.word(reading.head_at + 1) == "to"
        && doc.kind(reading.head_at + 2) == Some(Kind::Word)
    {
        return Verdict::Other;
    }
    // "Of those arrested, 18 ... and the remaining 24 came from the suburbs": parts of a
    // group named at the sentence's start.
    if of_a_group_first(&f) {
        return Verdict::Other;
    }
    // "broadcast to an audience of 2 million on cable news": an audience that watched.
    if f.needs(&[&lexicon::BROADCAST_WORDS], assembly::broadcast_audience) {
        return Verdict::Other;
    }
    // "a crowd of 40,000" is a size whatever else the clause speaks of ("33 arrests
    // in a crowd of 40,000").
    if head == Head::None
        && (is_crowd_of(&f)
            || (context.crowd_words || context.previous_crowd) && is_estimate_of(&f))
    {
        return Verdict::Crowd {
            skip_to: p.end,
            part: false,
        };
    }
    let mut back = look_back(&f, context);
    // A word of counting is evidence for a bare figure, not for the people a noun names.
    if !matches!(head, Head::Crowd(_)) {
        back.crowd_before |= back.counted_before;
    }
    // "that figure has since been upgraded to 50,000": a crowd's figure as revised
    // ("since" here dates the revision, not the crowd). "achieved the goal of 100,000":
    // a goal met ("goal" is otherwise a wish).
    if head == Head::None
        && (f.needs(&[&lexicon::REVISION_VERBS], |f| {
            recall::revised_to(f, context)
        }) || f.needs(&[&lexicon::GOAL_MET_VERBS], recall::goal_met))
    {
        back.negative_before = false;
        back.crowd_before = true;
    }
    // "it would top the 60,000 people who marched in 2018": the crowd's own past
    // clause; the main clause's "would" does not reach it.
    if matches!(head, Head::Crowd(_)) && recall::own_past_clause(&f, reading.head_at) {
        back.negative_before = false;
    }
    // "The union bused about 2,000 members to rally": a verb of carrying people (no
    // crowd's, "the shuttles carried 20,000 riders") that brings them to a gathering.
    if f.needs(&[&lexicon::BRINGING_VERBS], |f| {
        assembly::brought_to_gather(f, reading)
    }) {
        back.negative_before = false;
        back.crowd_before = true;
    }
    // "a total of 60,000 to 100,000 demonstrators" counts a crowd.
    let head_is_crowd = matches!(head, Head::Crowd(_));
    if is_age_after_name(&f)
        || is_agent(&f)
        || p.high == 1
        || is_part_of_a_group(&f)
        || head != Head::Event
            && f.needs(&[&lexicon::EXPECTATION_WORDS], |f| {
                is_expectation(f, reading)
            })
        || is_partitive_one(&f)
        // "If I had to take a guess, I'd say 250,000": the main clause's own
        // judgement is no hypothetical.
        || f.needs(&[&lexicon::CONDITIONAL_WORDS], |f| {
            is_hypothetical(f)
                && !recall::judged(f)
                && !(head_is_crowd && recall::own_past_clause(f, reading.head_at))
        })
        || f.needs(&[&lexicon::HABIT_ADVERBS], habit_before)
        || head != Head::Event && is_whole_after_part(&f)
        || head != Head::Event && at_something_else(&f, reading)
        || is_population(&f) && !(head_is_crowd && f.doc.word(f.prev.wrapping_sub(1)) == "total")
    {
        return Verdict::Other;
    }
    // "..., including 500,000 Americans in various cities": a part of a crowd just
    // counted.
    back.crowd_before |=
        head == Head::Crowd(Crowd::Weak) && context.earlier_crowd && f.prev_word == "including";
    back.crowd_before |=
        is_packed_into(&f, head) || is_filled_with(&f) || joined_crowd || with_others(&f);
    back.crowd_before |= head_is_crowd && gathering_gathered(&f);
    back.crowd_before |= after_gathering_of(&f)
        || head == Head::None
            && (is_source_label(&f)
                || is_source_then_figure(&f, context)
                || is_appositive(&f, context)
                || is_coordinated(&f, context)
                || is_said_figure(&f)
                || is_sourced_fragment(&f)
                || is_place_parenthesis(&f, context)
                || is_list_line(&f)
                || is_bound_line(&f, context)
                || is_headline_figure(&f, context)
                || is_headline_verb(&f)
                || is_opening_past_verb(&f)
                || is_record_of(&f)
                || included_in_place(&f)
                || is_place_verb_figure(&f)
                || is_put_at(&f)
                || were_at(&f, context)
                || crowd_was(&f)
                || is_the_remaining(&f, context)
                || estimates_range(&f)
                || gathering_at(&f)
                || is_gathering_parenthesis(&f)
                || is_the_figure(&f)
                || is_there_were(&f, context)
                || is_hedged_fragment(&f, context)
                || is_place_possessive(&f, context)
                || f.needs(&[&lexicon::CROWD_VERBS], recall::came_by_the_count)
                || f.needs(
                    &[&lexicon::JUDGED_IT_VERBS, &lexicon::JUDGEMENT_NOUNS],
                    recall::judged,
                )
                || recall::source_says_figure(&f)
                || recall::with_figure(&f, context)
                || recall::town_then_figure(&f, context)
                || recall::had_it_at(&f)
                || recall::named_speaker_said(&f, context)
                || recall::there_must_have_been(&f)
                || recall::then_figure(&f, context)
                || f.needs(
                    &[&lexicon::GATHERING_PARTICIPLES],
                    recall::gathering_involving,
                )
                || recall::restated_after_colon(&f, context)
                || f.needs(&[&lexicon::AUDIENCE_VERBS], recall::audience_object));
    if head == Head::Event {
        return Verdict::EventCount;
    }
    // "Hundreds of demonstrations, some estimates place them at over 1,000, erupted":
    // a pronoun whose antecedent counts events.
    // "The demonstration was one of 1,300 held nationwide": a gathering that is one of
    // the figure's counts gatherings.
    if head == Head::None
        && (assembly::one_of_the_gatherings(&f) || counted_as::one_of_counted_events(&f))
    {
        return Verdict::EventCount;
    }
    if head == Head::None {
        match pronoun_antecedent_counts(&f) {
            Some(true) => return Verdict::EventCount,
            Some(false) => return Verdict::Other,
            None => {}
        }
    }
    // "actions ... numbered more than 1,300" counts events; "the teach-ins numbered from
    // dozens to 400 each" sizes each of them (a range per event: no count, no size).
    if head == Head::None && back.subject_counts.is_some() {
        return if back.subject_counts == Some(true) && !is_per_event_range(&f) {
            Verdict::EventCount
        } else {
            Verdict::Other
        };
    }
    // "1000 New York University students gathered": a round figure before people who
    // came is no year (one that could be a year still is: "2000 students marched").
    // "2000 people were in attendance": a figure that opens its clause, right before
    // the people who came, is no year either ("In 2000 people marched" still is).
    let opens_clause = f.prev == usize::MAX || doc.kind(f.prev) == Some(Kind::Punct);
    let came = matches!(head, Head::Crowd(_))
        && reading.verb_after
        && (!(1700..=2100).contains(&p.low) || opens_clause && reading.head_at == p.end);
    if back.negative_before
        || reacted_otherwise(&f, reading)
        || is_year(&f, back) && !came
        || f.needs(&[&lexicon::GOAL_VERBS], is_goal)
        || is_per_event_range(&f)
        || f.needs(&[&lexicon::HABIT_WORDS], habit_after)
        || f.needs(&[&lexicon::AVERAGE_WORDS], average_subject)
        || f.needs(&[&lexicon::REMOTE_WORDS], remote_audience)
        || head == Head::None && f.needs(&[&lexicon::DISPLAY_VERBS], |f| describes_part(f, context))
    {
        return Verdict::Other;
    }
    // "drew 100,000 people across all five boroughs": a figure with a noun of its own
    // that names no people ("boroughs", "statues") counts things, whatever the clause
    // says of crowds.
    if head == Head::None
        && !reading.verb_after
        && f.after.len() > 3
        && f.after.ends_with('s')
        && !lexicon::NOT_PLURALS.contains(f.after)
        && names_a_thing_after(&f)
    {
        return Verdict::Other;
    }
    let skip_to = if head == Head::None {
        p.end
    } else {
        reading.head_at + 1
    };
    // "570,557 people rode the system", "three people went to a nearby clinic": the
    // people's own verb takes them somewhere that holds no gathering.
    if reading.went_elsewhere && !names_presence(&f, reading) {
        return Verdict::Other;
    }
    let crowd = match head {
        // "2,000 people", "a crowd of 500": a noun of people with no verb that takes
        // them elsewhere.
        Head::Crowd(Crowd::Strong) => true,
        // "an estimated 75,000 teachers, supporters and staff filled the streets": a
        // hedged count of people needs a verb of coming somewhere after it.
        Head::Crowd(Crowd::Weak) => {
            reading.verb_after
                || gave_up
                || back.crowd_before
                || back.estimated && verb_of_coming_later(&f)
                || came_to_take_part(&f, reading.head_at)
                || recall::caption_at_gathering(&f, reading.head_at)
        }
        Head::None => {
            reading.verb_after || back.crowd_before || back.estimated && back.crowd_sentence
        }
        _ => false,
    };
    if crowd {
        Verdict::Crowd {
            skip_to,
            // "several hundred more marched" in another town is a crowd of its own:
            // "more" alone makes no part.
            part: is_part_of_crowd(&f, reading),
        }
    } else {
        Verdict::Other
    }
}

/// The figure's noun names its people by their presence at a gathering
/// ("protesters", "marchers", "attendees", "crowd", "5,000-strong", "a 3,000-person
/// march"), not only as people (`lexicon/people-nouns.txt`: "people", "supporters") or
/// as a kind of people ("residents", "nurses").
fn names_presence(f: &Figure, reading: HeadReading) -> bool {
    let at = reading.head_at;
    reading.head == Head::Crowd(Crowd::Strong)
        && (!f.doc.is(at, &lexicon::PEOPLE_NOUNS)
            || at > 0 && f.doc.is_dash(at - 1) && f.doc.adjacent(at - 1))
}

/// The verb of motion at `m` takes its people somewhere that holds no gathering: a
/// vehicle or route as its object ("rode the system", "rode the light rail between 6
/// a.m. and midnight"), a transit system ("took Metro"), or a place of care or custody
/// ("went to a nearby clinic", "drove to the hospital"). A gathering named in the goal
/// ("rode the trains to the march"), a goal after a preposition or a particle ("came to
/// the hearing", "came through") and an object followed by a place ("rode buses to
/// Lansing") are no such place.
fn goes_elsewhere(doc: &Doc, m: usize, hi: usize) -> bool {
    // The verb's goal ends at punctuation or a word that opens another clause ("came and
    // threatened to take the Park Service to court": "came" has no goal at all).
    let opens_clause = |k: usize| {
        doc.has(k, lexicon::CLAUSE_BREAK)
            || matches!(
                doc.word(k),
                "and" | "or" | "but" | "then" | "as" | "when" | "after"
            )
    };
    if doc.kind(m + 1) != Some(Kind::Word) || opens_clause(m + 1) {
        return false;
    }
    let clause = (m + 1..(m + 9).min(hi))
        .take_while(|&k| doc.kind(k) == Some(Kind::Word) && !opens_clause(k));
    let (mut goal_named, mut elsewhere_named) = (false, false);
    for k in clause {
        let w = doc.word(k);
        // "rode the trains to the march": a gathering named in the goal wins.
        if lexicon::gathering_noun(w)
            || doc.has(k, lexicon::CROWD_WORD) && !doc.is(k, &lexicon::PEOPLE_NOUNS)
            || k > m + 1 && doc.is(k, &lexicon::CROWD_VERBS)
        {
            return false;
        }
        elsewhere_named |= doc.is(k, &lexicon::TRANSIT_WORDS)
            || doc.is(k, &lexicon::CARE_CUSTODY_PLACES)
            || doc.is(k, &lexicon::RESTRAINT_NOUNS);
        goal_named |= doc.is(k, &lexicon::PLACE_NOUNS)
            || doc.tokens[k].capitalized && !doc.is(k, &lexicon::DATE_WORDS);
    }
    if elsewhere_named {
        return true;
    }
    // A preposition or particle right after the verb opens a goal of its own.
    let object = !doc.is(m + 1, &lexicon::MOTION_GOAL_PARTICLES);
    object && !goal_named
}

#[cfg(test)]
mod motion_tests {
    use super::*;

    fn went_elsewhere(text: &str) -> bool {
        judge_figure(text, 0, |f| read_head(f, false).went_elsewhere)
    }

    #[test]
    fn a_verb_of_motion_to_no_gathering_places_its_people_elsewhere() {
        for text in [
            "212,000 people rode the system on Saturday, twice a normal weekend.",
            "48,500 people rode the light rail between 6 a.m. and midnight.",
            "Three people went to a nearby clinic with heat exhaustion.",
            "Two people drove to the hospital after a fall.",
            "900 residents rode the trains into the city.",
        ] {
            assert!(went_elsewhere(text), "{text}");
        }
    }

    #[test]
    fn a_verb_of_motion_to_a_gathering_or_with_no_goal_keeps_its_people() {
        for text in [
            "1,200 people rode buses to the rally at the Capitol.",
            "2,000 people rode the trains to the march.",
            "Hundreds of supporters headed downtown after the speeches.",
            "3,000 people came and stayed until the last speaker.",
            "250 residents came to the hearing.",
            "6,000 people came through, the fire department said.",
            "2,500 people walked the full route.",
            "90 people came.",
        ] {
            assert!(!went_elsewhere(text), "{text}");
        }
    }
}

/// The figure's people are counted at something that is no gathering: a movement's
/// private assembly ("300 volunteers showed up for a training"), an organization they
/// join or that grows ("2,000 workers joined the union", "the chapter grew from 30
/// members to 1,200"), or their work ("the work of hundreds of volunteers").
fn at_something_else(f: &Figure, reading: HeadReading) -> bool {
    f.needs(&[&lexicon::MEETING_NOUNS, &lexicon::MEETING_HEADS], |f| {
        assembly::at_a_meeting(f, reading)
    }) || f.needs(&[&lexicon::ORGANIZATION_NOUNS], |f| {
        assembly::joins_an_organization(f, reading) || assembly::grows_an_organization(f)
    }) || f.needs(&[&lexicon::WORK_NOUNS], assembly::counted_by_their_work)
        || f.needs(&[&lexicon::MOBILIZING_VERBS], |f| {
            assembly::asked_to_act(f, reading)
        })
        || assembly::members_join(f, reading)
        || is_done_to_them(f, reading)
        || f.needs(&[&lexicon::RSVP_STATES], |f| {
            assembly::answered_as(f, reading)
        })
        || f.needs(&[&lexicon::TO_COME_WORDS], |f| {
            assembly::still_to_come(f, reading)
        })
        || f.needs(&[&lexicon::AIM_WORDS], assembly::aimed_for)
        || assembly::voters_without_coming(f, reading)
}

/// "thousands of people being let go from their federal jobs", "hundreds of workers
/// being laid off": a passive gerund after the people says what was done to them ("the
/// 150,000 being claimed by the organizers", with no people named, is a figure stated).
fn is_done_to_them(f: &Figure, reading: HeadReading) -> bool {
    let doc = f.doc;
    let at = reading.head_at + 1;
    matches!(reading.head, Head::Crowd(_)) && doc.word(at) == "being" && {
        let v = doc.word(at + 1);
        (done_to(v)
            || matches!(
                v,
                "let" | "laid" | "shot" | "hurt" | "hit" | "struck" | "told" | "forced"
            ))
            && !doc.is(at + 1, &lexicon::CROWD_VERBS)
    }
}

/// Shapes that are never a size: money, labels, times, ordinals and units, dates and
/// percentages, a year glued to a name ("the 1995 Million Man March", "in 2015").
fn never_a_size(f: &Figure) -> bool {
    is_glued_to_word(f)
        || is_part_of_counted_places(f)
        || is_money_or_label(f)
        || is_station_number(f)
        || is_clock_time(f)
        || is_run_in_unit(f)
        || is_day_or_percent(f)
        || is_year_glued_to_name(f)
        || is_year_before_a_name(f)
        || is_title_number(f)
        || is_date_before_gathering(f)
        || is_dimension(f)
        || is_domain_name(f)
        || f.needs(&[&lexicon::AGE_WORDS], is_age)
        || is_version_number(f)
        || f.needs(&[&lexicon::COUNTING_WORDS], is_counted_aloud)
        || is_gathering_name(f)
}

/// "the Millions March NYC", "the Million Mom March": a capitalized figure after
/// "the" and before a capitalized gathering noun names a march; so does one whose
/// capitalized words close a quoted name ("the \"One Million Strong\"").
fn is_gathering_name(f: &Figure) -> bool {
    let doc = f.doc;
    f.prev_word == "the"
        && doc.tokens[f.p.number_start].capitalized
        && doc.kind(f.p.end) == Some(Kind::Word)
        && doc.tokens[f.p.end].capitalized
        && (lexicon::gathering_noun(f.after)
            || f.prev + 1 < f.p.first
                && is_quote_mark(doc, f.p.end + 1)
                && doc.adjacent(f.p.end + 1))
}

/// "A tearful count to 50", "counted down from 10": a number said aloud, not people.
fn is_counted_aloud(f: &Figure) -> bool {
    let doc = f.doc;
    matches!(f.prev_word, "to" | "from")
        && f.prev > f.lo
        && (doc.is(f.prev - 1, &lexicon::COUNTING_WORDS)
            || doc.word(f.prev - 1) == "down"
                && f.prev > f.lo + 1
                && doc.is(f.prev - 2, &lexicon::COUNTING_WORDS))
}

/// "the Trump 2.0 version", "Web 3.0": a bare number written with a decimal point and
/// no multiplier is a version or a measure, never a count of people.
fn is_version_number(f: &Figure) -> bool {
    let p = f.p;
    // (A byte loop: the number is a few bytes, too short for `memchr`.)
    p.vague.is_none()
        && p.number_end == p.number_start + 1
        && f.doc.raw(p.number_start).bytes().any(|b| b == b'.')
        && !number::european_thousands(f.doc.raw(p.number_start))
}

/// "six years old", "he is six f**king years old", "a 6-year-old": an age, whatever
/// stands between the figure and "years old" (no other figure, in its clause).
fn is_age(f: &Figure) -> bool {
    let doc = f.doc;
    !f.p.is_range
        && f.p.high < 120
        && (f.p.end..(f.p.end + 6).min(f.hi))
            .take_while(|&k| {
                doc.kind(k) != Some(Kind::Number) && !matches!(doc.raw(k), "," | "." | ";")
            })
            .any(|k| matches!(doc.word(k), "years" | "year" | "yrs") && doc.word(k + 1) == "old")
}

/// "350.org", "MoveOn.org": a figure run into a web domain is a name.
fn is_domain_name(f: &Figure) -> bool {
    let doc = f.doc;
    let e = f.p.end;
    e + 1 < f.hi
        && doc.raw(e) == "."
        && doc.adjacent(e)
        && doc.adjacent(e + 1)
        && matches!(
            doc.word(e + 1),
            "org" | "com" | "net" | "edu" | "gov" | "us"
        )
}

/// "the 9-12 march", "the 4/20 rally": a small bare number or pair after "the" that
/// names a singular gathering is its date or name, not its size (a size needs a
/// noun of people: "the 1,000-person march", "the 300 marchers").
fn is_date_before_gathering(f: &Figure) -> bool {
    let doc = f.doc;
    let p = f.p;
    let next = p.end + 1;
    f.prev_word == "the"
        && p.qualifier.is_none()
        && p.vague.is_none()
        && p.high <= 31
        && lexicon::gathering_noun(f.after)
        && !f.after.ends_with('s')
        && !(next < f.hi && doc.is_dash(next) && doc.adjacent(next))
        // "the 12 rally marshals", "the 20 march participants": people after all.
        && !(lexicon::crowd_noun(doc.word(next)).is_some()
            || lexicon::person_like(doc.word(next))
            || lexicon::negative_noun(doc.word(next)))
}

/// "a 14-by-14-foot shack", "a 10-by-20 tent": a dimension, not a count.
fn is_dimension(f: &Figure) -> bool {
    let doc = f.doc;
    let e = f.p.end;
    e < f.hi && doc.is_dash(e) && doc.adjacent(e) && matches!(doc.word(e + 1), "by" | "x")
}

/// A figure run into the word before it: "Fox5", "H1N1", "COVID19" are names.
fn is_glued_to_word(f: &Figure) -> bool {
    let doc = f.doc;
    let n = f.p.number_start;
    f.p.first == n
        && doc.kind(n) == Some(Kind::Number)
        && doc.adjacent(n)
        && doc.kind(n - 1) == Some(Kind::Word)
}

/// "five of an estimated 600 marches", "62 of the country's 100 largest cities": a
/// part of a counted set of events or places; and "at fewer locations, 407": a count
/// of places set off after its noun.
fn is_part_of_counted_places(f: &Figure) -> bool {
    let doc = f.doc;
    let p = f.p;
    let partitive = f.after == "of"
        && (p.end + 1..(p.end + 8).min(f.hi)).any(|k| {
            doc.is(k, &lexicon::EVENT_NOUNS)
                && (p.end + 1..k).any(|m| doc.kind(m) == Some(Kind::Number))
                && !(p.end + 1..k).any(|m| {
                    lexicon::crowd_noun(doc.word(m)).is_some()
                        || matches!(doc.word(m), "in" | "at" | "across")
                })
        });
    let after_places = f.prev_raw == ","
        && f.prev > f.lo
        && doc.is(f.prev - 1, &lexicon::EVENT_NOUNS)
        && matches!(doc.raw(p.end), "." | "" | ";");
    partitive || after_places
}

/// Money, hashtags, numbering and ages: "$5", "#1", "No. 5", "Route 66", "aged 24",
/// "June 14" (the day after a month), "'20".
fn is_money_or_label(f: &Figure) -> bool {
    let doc = f.doc;
    matches!(f.prev_raw, "$" | "\u{20ac}" | "\u{a3}" | "#" | "\u{a7}")
        || lexicon::month_number(f.prev_word.trim_end_matches('.')).is_some()
            && doc.tokens[f.prev].capitalized
        // "Number 5" labels; "the number closer to 18,000" is qualified, no label.
        || lexicon::LABEL_WORDS.contains(f.prev_word)
            && f.p.qualifier.is_none()
            && f.prev + 1 == f.p.first
        || f.prev_raw == "." && doc.word(f.prev.wrapping_sub(1)) == "no"
        || f.prev_raw == "'" && doc.adjacent(f.p.first)
}

/// A broadcaster's channel number: "Channel 9 reporting some 6,000", "according to
/// News 12", "KARE 11": a bare number of one to three digits right after a capitalized
/// station word or a call sign (three or four capitals from K or W).
fn is_station_number(f: &Figure) -> bool {
    let doc = f.doc;
    let p = f.p;
    if p.qualifier.is_some()
        || p.vague.is_some()
        || p.is_range
        || p.number_start != p.first
        || p.number_end != p.first + 1
        || p.low > 999
    {
        return false;
    }
    let station = |k: usize| {
        doc.kind(k) == Some(Kind::Word)
            && doc.tokens[k].capitalized
            && (doc.is(k, &lexicon::STATION_WORDS) || attribution::is_call_sign(doc.raw(k)))
    };
    f.prev != usize::MAX && f.prev + 1 == p.first && station(f.prev)
}

/// A number inside a name or title: "the \u{201c}Unite the Right 2\u{201d} rally", "Local
/// 226 march", "Local 21 members": a bare number under 1,000 right after a capitalized
/// word inside the sentence, closing a quoted title or followed by a gathering noun, or
/// one under 10,000 after "Local" (or an acronym, before "members").
fn is_title_number(f: &Figure) -> bool {
    let doc = f.doc;
    let p = f.p;
    // (Every shape below is a number right after a capitalized word: most figures are
    // turned away by that alone.)
    if !f.f_capitalized_prev() || f.prev + 1 != p.first {
        return false;
    }
    let bare = p.qualifier.is_none()
        && p.vague.is_none()
        && !p.is_range
        && p.number_start == p.first
        && p.number_end == p.first + 1
        && p.high < 10_000;
    let named_at_start =
        bare && f.prev != usize::MAX && f.prev + 1 == p.first && f.f_capitalized_prev();
    let named = named_at_start && f.prev > f.lo;
    // "Local 21 members", "CCC 1600 members": a union local's or a group's number
    // before its members names the group, at the sentence's start too.
    let local = named_at_start
        && matches!(f.after, "members" | "member")
        // A name's number has no thousands comma ("UAW 5,000 members" would count).
        && !doc.raw(p.first).contains(',')
        && (f.prev_word == "local"
            || doc.raw(f.prev).len() >= 2 && doc.raw(f.prev).bytes().all(|b| b.is_ascii_uppercase()));
    // "members of Teamsters Local 705 picketed", "Local 32BJ members, about 500
    // strong": a number right after a capitalized "Local" is the local's, whatever
    // follows.
    let union_local = bare && doc.raw(f.prev) == "Local";
    local
        || union_local
        || named
            && p.high < 1000
            && (matches!(doc.raw(p.end), "\"" | "\u{201d}") && doc.adjacent(p.end)
                || lexicon::gathering_noun(f.after)
                // "a Recreate 68 anti-war march": a modifier before the noun.
                || name_before_gathering(f))
        // "Project 2025", "Vision 2030": a year as the last word of a name.
        || named_year(f)
}

/// "a Recreate 68 anti-war march": a gathering noun one or two words after the figure,
/// with only words (and hyphens) between.
fn name_before_gathering(f: &Figure) -> bool {
    let doc = f.doc;
    (f.p.end..f.hi.min(f.p.end + 4))
        .take_while(|&k| doc.kind(k) == Some(Kind::Word) || doc.is_dash(k) && doc.adjacent(k))
        .any(|k| k > f.p.end && lexicon::gathering_noun(doc.word(k)))
}

/// A bare four-digit year right after a capitalized word inside the sentence that is
/// no month: "dismay at Trump, Musk, Project 2025, ...".
fn named_year(f: &Figure) -> bool {
    let p = f.p;
    p.qualifier.is_none()
        && p.vague.is_none()
        && !p.is_range
        && p.number_end == p.number_start + 1
        && (1900..=2100).contains(&p.low)
        && f.doc.raw(p.number_start).len() == 4
        && f.prev != usize::MAX
        && f.prev > f.lo
        && f.prev + 1 == p.first
        && f.f_capitalized_prev()
        && lexicon::month_number(f.prev_word).is_none()
        && lexicon::crowd_noun(f.after).is_none()
}

/// Clock times: "3:30", "the 11:30 rally".
fn is_clock_time(f: &Figure) -> bool {
    let doc = f.doc;
    doc.raw(f.p.number_end) == ":" && doc.kind(f.p.number_end + 1) == Some(Kind::Number)
        || f.prev_raw == ":"
            && doc.adjacent(f.p.first)
            && doc.kind(f.prev.wrapping_sub(1)) == Some(Kind::Number)
}

/// Letters run into the figure: ordinals, decades, "2pm", "5km".
fn is_run_in_unit(f: &Figure) -> bool {
    let doc = f.doc;
    let end = f.p.number_end;
    doc.adjacent(end) && doc.kind(end) == Some(Kind::Word) && doc.is(end, &lexicon::RUN_IN_UNITS)
}

/// A month after the day ("14 June") or a percent sign.
fn is_day_or_percent(f: &Figure) -> bool {
    let doc = f.doc;
    doc.raw(f.p.end) == "%"
        || lexicon::month_number(f.after.trim_end_matches('.')).is_some()
            && doc.tokens.get(f.p.end).is_some_and(|t| t.capitalized)
            && f.p.high <= 31
}

/// "the 1995 Million Man March": a year before a title-case name that opens with a
/// multiplier word, read as one figure ("1995 Million").
fn is_year_before_a_name(f: &Figure) -> bool {
    let (doc, p) = (f.doc, f.p);
    let m = p.number_start + 1;
    p.number_end == m + 1
        && doc.raw(p.number_start).len() == 4
        && (1900..=2100).contains(&(p.low / 1_000_000))
        && doc.kind(m) == Some(Kind::Word)
        && doc.tokens[m].capitalized
        && doc.kind(p.end) == Some(Kind::Word)
        && doc.tokens[p.end].capitalized
}

/// A bare year after a word that dates something: "in 2015", "since 2017", "the
/// 2017 count", "in 1995 the so-called Million Man March".
fn is_year_glued_to_name(f: &Figure) -> bool {
    f.p.yearlike
        && (1900..=2100).contains(&f.p.low)
        && f.p.qualifier.is_none()
        && lexicon::YEAR_LEADS.contains(f.prev_word)
}

/// "hundreds more marched later" adds a group; "2 million more than" or "compared
/// with June, two million more turned out" compares.
fn adds_a_group(f: &Figure, _context: SentenceContext) -> bool {
    let doc = f.doc;
    let (p, hi) = (f.p, f.hi);
    let joined_with = joined_by_more(f);
    // "thousands more watching outside", "hundreds more waiting in line": people
    // watching or waiting where the gathering is.
    // "a few hundred more watching from a screen in a second room": where they were
    // watching, a preposition of place (not "watching from home", `watched_remotely`).
    let waiting = doc.is(p.end + 1, &lexicon::WAITING_VERBS)
        && ((p.end + 2..(p.end + 5).min(hi)).any(|k| {
            let w = doc.word(k);
            w == "line" || doc.is(k, &lexicon::WHERE_ADVERBS)
        }) || doc.is(p.end + 2, &lexicon::WATCHING_PLACES)
            && !watched_remotely(doc, p.end + 1, hi));
    f.after == "more"
        && !(p.end..(p.end + 5).min(hi)).any(|k| doc.word(k) == "than")
        // "compared with June, two million more": a difference; "More than 7,000 were
        // inside, with thousands more watching outside" compares nothing.
        && !(f.lo..p.first).any(|k| {
            matches!(doc.word(k), "compared" | "versus")
                || doc.word(k) == "than" && !number::may_start_quantity(doc, k + 1)
        })
        && (joined_with
            || waiting
            || (p.end + 1..(p.end + 4).min(hi)).any(|k| doc.is(k, &lexicon::CROWD_VERBS))
            // "thousands more were kept from entering".
            || (p.end + 1..(p.end + 4).min(hi)).any(|k| kept_out(doc, k))
            // "thousands more were halted at police barricades": where the rest of the
            // crowd was held, a passive that is not done to arrestees.
            || held_nearby(doc, p.end + 1)
            || verb_after_aside(doc, p.end + 1, hi))
}

/// "were halted at police barricades", "were stopped outside the gates": a passive
/// after "more", then where the people were; not a verb of arrest, injury or
/// expectation.
fn held_nearby(doc: &Doc, k: usize) -> bool {
    let v = k + 1;
    let w = doc.word(v);
    matches!(doc.word(k), "were" | "was")
        && w.len() > 4
        && w.ends_with("ed")
        && !doc.is(v, &lexicon::NEGATIVE_VERBS)
        && !doc.is(v, &lexicon::COUNTED_VERBS)
        && !doc.is(v, &lexicon::EXPECTATION_WORDS)
        && !doc.is(v, &lexicon::NEGATIVE_CONTEXT)
        && matches!(
            doc.word(v + 1),
            "at" | "behind" | "outside" | "near" | "along"
        )
}

/// "Hundreds of thousands more, in Islamabad, Nairobi, ... and 1,500 other cities,
/// joined": an aside opened by a comma (or a dash: "more\u{2014}in Islamabad, ...
/// \u{2014}joined") at `k` and closed by the same mark right before a verb of coming,
/// in the same sentence.
fn verb_after_aside(doc: &Doc, k: usize, hi: usize) -> bool {
    let mark = doc.raw(k);
    (mark == "," || mark == "\u{2014}" || doc.is_dash(k) && !doc.adjacent(k))
        && (k + 2..(k + 40).min(hi))
            .take_while(|&m| !matches!(doc.raw(m), ";" | ":"))
            .any(|m| doc.raw(m) == mark && doc.is(m + 1, &lexicon::CROWD_VERBS))
}

/// "to rally with thousands more", "were joined by hundreds more": a verb of coming
/// before the figure joins its group to the crowd.
fn joined_by_more(f: &Figure) -> bool {
    f.after == "more"
        && matches!(f.prev_word, "with" | "by")
        && f.prev > f.lo
        && f.doc.is(f.prev - 1, &lexicon::CROWD_VERBS)
}

/// Differences, ratios and measures: "2 million more", "three times", "25-year-old",
/// "20-mile-per-hour", "15 to 1".
fn is_difference_or_ratio(f: &Figure) -> bool {
    let doc = f.doc;
    let p = f.p;
    lexicon::COMPARATIVES.contains(f.after)
        // "outpacing June's protests by two million", "beat the record by 5,000": the
        // margin of a verb of surpassing (`lexicon/surpassing-verbs.txt`), a figure with
        // no noun ("topping the 1886 march by 80,000 workers" names the march's people).
        || f.prev_word == "by"
            && f.needs(&[&lexicon::SURPASSING_VERBS], |f| {
                lexicon::crowd_noun(f.after).is_none()
                    && !lexicon::person_like(f.after)
                    && (f.prev.saturating_sub(6).max(f.lo)..f.prev)
                        .any(|k| f.doc.is(k, &lexicon::SURPASSING_VERBS))
            })
        || doc.is_dash(p.end) && doc.adjacent(p.end) && doc.is(p.end + 1, &lexicon::DASH_UNITS)
        // "the two hour rally", "a three day march": a measure before a noun, unhyphenated.
        || p.high > 1
            && doc.is(p.end, &lexicon::DASH_UNITS)
            && doc.kind(p.end + 1) == Some(Kind::Word)
        // "a jump of as many as 150,000 in ridership": a change, not a count.
        || f.prev_word == "of"
            && f.prev > f.lo
            && doc.is(f.prev - 1, &lexicon::CHANGE_NOUNS)
        // "outnumbered them 15 to 1".
        || doc.word(p.end) == "to" && doc.word(p.end + 1) == "1"
        // "one in five Americans", "that number reached 1 in 4": a ratio.
        || p.high < 100
            && (doc.word(p.end) == "in"
                && doc.kind(p.end + 1) == Some(Kind::Number)
                && doc.raw(p.end + 1).len() <= 3
                || f.prev_word == "in"
                    && f.prev > f.lo
                    && p.qualifier.is_none()
                    && number::may_start_quantity(doc, f.prev - 1)
                    && doc.raw(f.prev - 1).len() <= 5
                    && !doc.raw(f.prev - 1).contains(',')
                    && doc.word(f.prev - 1) != "a")
}

/// Reads the head noun after the figure ("5,000 protesters", "300 arrests") or the
/// verb that follows it ("5,000 marched", "dozens were arrested").
fn read_head(f: &Figure, more_joined: bool) -> HeadReading {
    let doc = f.doc;
    let (p, hi) = (f.p, f.hi);
    let mut r = HeadReading {
        head: Head::None,
        head_at: p.end,
        verb_after: false,
        negative_after: false,
        rate_or_difference: false,
        went_elsewhere: false,
    };
    // "a 1-million-strong march", "a 10K-strong crowd": the figure's last word is a
    // multiplier joined to "strong" (or "person"), which says it counts people.
    let last = p.end.wrapping_sub(1);
    if p.end > p.number_start
        && doc.kind(last) == Some(Kind::Word)
        && number::strong_compound(doc.word(last), |w| {
            lexicon::multiplier_word(w).or_else(|| lexicon::multiplier_suffix(w))
        })
        .is_some()
    {
        r.head =
            if doc.is(p.end, &lexicon::LIMIT_NOUNS) || doc.is(p.end, &lexicon::POPULATION_NOUNS) {
                Head::Negative
            } else {
                Head::Crowd(Crowd::Strong)
            };
        r.head_at = last;
        if r.head != Head::Negative {
            verb_after_noun(f, &mut r);
        }
        return r;
    }
    if did_come(f) {
        r.verb_after = true;
        return r;
    }
    let mut k = if more_joined { p.end + 1 } else { p.end };
    let mut skipped = 0;
    let mut part_of_whole = false;
    while k < hi && skipped <= 4 {
        match doc.kind(k) {
            Some(Kind::Punct) => {
                let raw = doc.raw(k);
                // "Thousands — estimated at 2,000 to 3,000 — converged": the verb
                // comes after the aside.
                if let Some(close) = aside_end(doc, k, hi) {
                    k = close + 1;
                    continue;
                }
                // "thousands, if not tens of thousands, of people", "hundreds, not
                // thousands, of people": the noun comes after an aside with another
                // figure, and the aside's figure shares it.
                if k == p.end {
                    if let Some(of) = alternative_aside_end(doc, k, hi) {
                        k = of;
                        continue;
                    }
                    if raw == "," && doc.word(k + 1) == "of" && in_alternative_aside(doc, p.first) {
                        k += 1;
                        continue;
                    }
                    // "Roughly 2,000, by the organizers' count, marched", "About 3,500,
                    // according to the sheriff, walked": the bare figure's verb comes
                    // after an aside between commas.
                    if let Some(verb) = verb_after_comma_aside(doc, k, hi) {
                        k = verb;
                        continue;
                    }
                }
                if doc.is_dash(k) && doc.adjacent(k) {
                    // "5,000-strong", "a 3,000-person march".
                    let w = doc.word(k + 1);
                    if lexicon::DASH_CROWD_WORDS.contains(w) {
                        // "the 1,500-person capacity", "a 300-person limit": a limit, not
                        // a crowd.
                        // "in their 800-person town": a population, not a crowd.
                        r.head = if doc.is(k + 2, &lexicon::LIMIT_NOUNS)
                            || doc.is(k + 2, &lexicon::POPULATION_NOUNS)
                        {
                            Head::Negative
                        } else {
                            Head::Crowd(Crowd::Strong)
                        };
                        r.head_at = k + 1;
                        break;
                    }
                    k += 1;
                    continue;
                }
                // "only 6,200 (albeit largely enthusiastic) supporters": a remark in
                // parentheses, with no figure of its own, between the figure and its noun.
                if k == p.end && raw == "(" {
                    let close = (k + 2..(k + 10).min(hi))
                        .take_while(|&q| doc.kind(q) != Some(Kind::Number))
                        .find(|&q| doc.raw(q) == ")");
                    if let Some(close) = close {
                        k = close + 1;
                        continue;
                    }
                }
                // "over 100 \"Shut it Down for Palestine\" demonstrations": a title in
                // quotes between the figure and its noun.
                if k == p.end && matches!(raw, "\"" | "\u{201c}") {
                    let close = (k + 2..(k + 12).min(hi))
                        .find(|&q| matches!(doc.raw(q), "\"" | "\u{201d}"));
                    if let Some(close) = close {
                        k = close + 1;
                        continue;
                    }
                }
                if matches!(
                    raw,
                    "'" | "\"" | "\u{2018}" | "\u{2019}" | "\u{201c}" | "\u{201d}"
                ) {
                    k += 1;
                    continue;
                }
                // "100 Latino, labor, community, student and religious groups": a list
                // of modifiers, then the noun they share, which counts no people.
                if raw == "," && k > p.end {
                    if let Some(noun) = modifier_list_noun(doc, k, hi) {
                        r.head = if doc.is(noun, &lexicon::EVENT_NOUNS) {
                            Head::Event
                        } else {
                            Head::Negative
                        };
                        r.head_at = noun;
                    }
                }
                break;
            }
            Some(Kind::Word) => {
                let w = doc.word(k);
                if doc.is(k, &lexicon::TIME_LEADS) {
                    if let Some(next) = time_phrase_end(doc, k) {
                        k = next;
                        skipped += 1;
                        continue;
                    }
                }
                // "Crowd: 900-1,000 Speakers: ...", "Attendance: 150-200 Parade Route:":
                // the next label of a run-together list, not the figure's noun.
                if k == p.end
                    && doc.tokens[k].capitalized
                    && (doc.raw(k + 1) == ":" || doc.raw(k + 2) == ":")
                    && doc.raw(p.first.wrapping_sub(1)) == ":"
                {
                    break;
                }
                // "The 11,300 turnout in Phoenix was the biggest crowd": the figure
                // counts the turnout it stands before.
                if k == p.end
                    && matches!(w, "turnout" | "audience")
                    && p.vague.is_none()
                    && lexicon::crowd_noun(doc.word(k + 1)).is_none()
                {
                    r.head = Head::Crowd(Crowd::Strong);
                    r.head_at = k;
                    break;
                }
                if let Some(c) = lexicon::crowd_noun(w).or_else(|| recall::compound_crowd_noun(w)) {
                    r.head = Head::Crowd(c);
                    r.head_at = k;
                    // "300 union members", "50 clergy members", "300 Trump supporters",
                    // "Chicago Teachers Union members": a noun compound whose last noun
                    // is its head.
                    while r.head_at < k + 3 {
                        let Some(c) = lexicon::crowd_noun(doc.word(r.head_at + 1)) else {
                            break;
                        };
                        if c == Crowd::Strong || r.head == Head::Crowd(Crowd::Weak) {
                            r.head = Head::Crowd(c);
                        }
                        r.head_at += 1;
                    }
                    // "35 crowd spotters", "a dozen protest marshals": the compound's
                    // last noun counts people for their job, not for coming.
                    // "A few crowd estimates": the compound counts estimates.
                    let next = doc.word(r.head_at + 1);
                    if lexicon::negative_noun(next)
                        || lexicon::ESTIMATE_NOUNS.contains(next.strip_suffix('s').unwrap_or(next))
                    {
                        r.head = Head::Negative;
                        r.head_at += 1;
                    }
                    break;
                }
                // "over 100 picket lines" counts events; "About 300 picket outside the
                // store" is a headline verb: a singular event noun needs a plural after it.
                if doc.is(k, &lexicon::EVENT_NOUNS)
                    && (w.ends_with('s') || doc.word(k + 1).ends_with('s'))
                {
                    // "a dozen protest marshals", "the 10 march leaders": the compound's
                    // last noun counts people for their job.
                    r.head = if lexicon::negative_noun(doc.word(k + 1))
                        || doc.is(k + 1, &lexicon::ROLE_NOUNS)
                    {
                        Head::Negative
                    } else {
                        Head::Event
                    };
                    r.head_at = k;
                    break;
                }
                // "6,200 scanned tickets", "4,800 tickets were scanned at the doors": a
                // venue's count of the people who came in.
                let scanned = |m: usize| doc.word(m) == "scanned";
                if w == "tickets"
                    && (scanned(k - 1)
                        || scanned(k + 1)
                        || matches!(doc.word(k + 1), "were" | "had") && scanned(k + 2))
                {
                    r.head = Head::Crowd(Crowd::Strong);
                    r.head_at = k;
                    break;
                }
                // "stand outside Grand Rapids rally": a capitalized word inside a name
                // past the figure's first word is no noun of the figure ("grand").
                if lexicon::negative_noun(w) && !(skipped > 0 && in_a_name(doc, k)) {
                    r.head = Head::Negative;
                    r.head_at = k;
                    break;
                }
                if lexicon::person_like(w) && skipped < 3 {
                    // "Oregonians", "farmworkers": people, but only with a verb that
                    // says they came.
                    r.head = Head::Crowd(Crowd::Weak);
                    r.head_at = k;
                    break;
                }
                // "The thousands at the rally enjoyed speeches": people at a gathering,
                // then any verb that is not done to them.
                if k == p.end && w == "at" {
                    if let Some(g) = (k + 1..(k + 4).min(hi))
                        .take_while(|&g| doc.kind(g) == Some(Kind::Word))
                        .find(|&g| lexicon::gathering_noun(doc.word(g)))
                    {
                        let mut m = g + 1;
                        while doc.is(m, &lexicon::AUXILIARIES) && m < g + 4 {
                            m += 1;
                        }
                        // "The 30 at the rally were detained": a passive is done to
                        // them, unless it says they came ("were gathered").
                        let passive =
                            m > g + 1 && done_to(doc.word(m)) && !doc.is(m, &lexicon::CROWD_VERBS);
                        // "The 12 at the march who blocked the bridge were detained":
                        // what was done to them comes after their clause.
                        if doc.is(m, &lexicon::NEGATIVE_VERBS)
                            || passive
                            || lexicon::negative_noun(doc.word(m))
                            || f.needs(&[&lexicon::COUNTED_VERBS], |_| {
                                counted_later(doc, g + 1, m, hi)
                            })
                        {
                            r.negative_after = true;
                        } else if doc.kind(m) == Some(Kind::Word)
                            && !doc.is(m, &lexicon::STOP_WORDS)
                            && !doc.is(m, &lexicon::EXPECTATION_WORDS)
                        {
                            r.verb_after = true;
                        }
                        break;
                    }
                }
                if w == "in" && doc.word(k + 1) == "attendance"
                    || in_line(doc, k)
                    || there_at_clause_end(doc, k)
                    || in_the_streets(doc, k)
                    || w == "on" && matches!(doc.word(k + 1), "hand" | "strike")
                {
                    r.verb_after = true;
                    break;
                }
                if watched_remotely(doc, k, hi) {
                    r.negative_after = true;
                    break;
                }
                if skipped == 0 && doc.is(k, &lexicon::NEGATIVE_VERBS) {
                    r.negative_after = true;
                    break;
                }
                // "a dozen protest marshals": a verb-like noun before a noun that
                // counts people for their job.
                // "the 10 march leaders", "a dozen rally organizers": the people with a
                // job in the gathering.
                if skipped == 0
                    && (lexicon::gathering_noun(w) || doc.is(k, &lexicon::EVENT_NOUNS))
                    && (lexicon::negative_noun(doc.word(k + 1))
                        || doc.is(k + 1, &lexicon::ROLE_NOUNS))
                {
                    r.head = Head::Negative;
                    r.head_at = k + 1;
                    break;
                }
                // "dozens of marching demonstrators were arrested": a participle before
                // the noun is its modifier, not its verb.
                if w.ends_with("ing")
                    && doc.is(k, &lexicon::CROWD_VERBS)
                    && lexicon::crowd_noun(doc.word(k + 1)).is_some()
                {
                    k += 1;
                    skipped += 1;
                    continue;
                }
                if doc.is(k, &lexicon::CROWD_VERBS) || met_at(doc, k) {
                    // "where 17 crosses stood", "200 tents remained": a noun the lexicon
                    // does not know, then a verb that things do too.
                    if skipped > 0
                        && doc.is(k, &lexicon::THING_VERBS)
                        && unknown_plural_thing(doc, k - 1)
                    {
                        r.head = Head::Negative;
                        r.head_at = k - 1;
                        break;
                    }
                    r.verb_after = true;
                    break;
                }
                if doc.is(k, &lexicon::AUXILIARIES) {
                    // "Dozens were arrested", "5,000 had gathered": look at the verb.
                    let mut m = k;
                    while doc.is(m, &lexicon::AUXILIARIES) && m < k + 3 {
                        m += 1;
                    }
                    let m = past_reported_to(doc, m);
                    let v = doc.word(m);
                    // "over 100 trucks have been turned around", "30 tents were
                    // left standing": a plural noun the lexicon does not know, then a
                    // passive or a verb that things do too, counts those things.
                    if skipped > 0
                        && (doc.is(m, &lexicon::THING_VERBS)
                            || (k..m).any(|a| matches!(doc.word(a), "been" | "being")))
                        && unknown_plural_thing(doc, k - 1)
                    {
                        r.head = Head::Negative;
                        r.head_at = k - 1;
                        break;
                    }
                    if doc.is(m, &lexicon::NEGATIVE_VERBS)
                        || lexicon::negative_noun(v)
                        // "three were being trucked off to jail": done to them.
                        || v == "being" && done_to(doc.word(m + 1))
                        // "Three were taken into custody".
                        || held_at(doc, m + 1, hi)
                        || among_the_counted(doc, m)
                        || f.needs(&[&lexicon::COUNTED_VERBS], |_| counted_later(doc, k, m, hi))
                    {
                        r.negative_after = true;
                    } else if doc.is(m, &lexicon::CROWD_VERBS)
                        || doc.is(m, &lexicon::PRESENCE_WORDS)
                        // "thousands were seen marching", "were spotted rallying".
                        || doc.is(m, &lexicon::SEEN_VERBS)
                            && doc.word(m + 1).ends_with("ing")
                            && doc.is(m + 1, &lexicon::CROWD_VERBS)
                        || reached_the_gathering(doc, m)
                        || on_a_named_ground(doc, m)
                        // "10,000 were refused entry": the bare figure right before.
                        || skipped == 0 && p.low >= 10 && kept_out(doc, m)
                        || in_line(doc, m)
                        || in_the_streets(doc, m)
                    {
                        r.verb_after = true;
                    }
                    break;
                }
                if w == "of" {
                    // "300 or so of the press", "eight or 10 of them": a part of a
                    // group that is no crowd, or a few of a group named elsewhere
                    // ("30 of us" is the speaker's crowd).
                    let group = if doc.word(k + 1) == "the" {
                        k + 2
                    } else {
                        k + 1
                    };
                    let g = doc.word(group);
                    if matches!(g, "press" | "media") || lexicon::negative_noun(g) {
                        r.head = Head::Negative;
                        r.head_at = group;
                        break;
                    }
                    // "300 of 19,500 students demonstrated": the part's noun comes after
                    // the whole.
                    if let Some(whole) = whole_after_of(doc, k) {
                        k = whole + 1;
                        skipped += 1;
                        part_of_whole = true;
                        continue;
                    }
                    // "more than a thousand of his supporters rallied": a group named
                    // by its owner; its noun comes after the possessive.
                    if group == k + 1
                        && matches!(g, "his" | "her" | "their" | "our" | "its")
                        && lexicon::crowd_noun(doc.word(k + 2)).is_some()
                    {
                        k += 2;
                        skipped += 1;
                        continue;
                    }
                    if group == k + 1
                        && matches!(g, "them" | "those" | "these")
                        && p.vague.is_none()
                        && p.high < 100
                    {
                        r.negative_after = true;
                        break;
                    }
                    k += 1;
                    skipped += 1;
                    continue;
                }
                // "around 250 critics and supporters packed the room": a word the lexicon
                // does not know, joined to a crowd noun that heads the pair.
                if matches!(w, "and" | "or") && skipped > 0 {
                    let n = if matches!(doc.word(k + 1), "their" | "other") {
                        k + 2
                    } else {
                        k + 1
                    };
                    if let Some(c) = lexicon::crowd_noun(doc.word(n)) {
                        r.head = Head::Crowd(c);
                        r.head_at = n;
                        break;
                    }
                    // "Hundreds of hotel and casino workers": a modifier before the
                    // joined noun, shared by the word before "and".
                    if plain_noun_word(doc, n) {
                        if let Some(c) = lexicon::crowd_noun(doc.word(n + 1)) {
                            r.head = Head::Crowd(c);
                            r.head_at = n + 1;
                            break;
                        }
                    }
                }
                // "Hundreds of No Kings protesters": a name between the figure and its
                // noun, even one that starts with a stop word.
                if skipped > 0 && in_a_name(doc, k) {
                    k += 1;
                    skipped += 1;
                    continue;
                }
                if doc.is(k, &lexicon::STOP_WORDS) || number::may_start_quantity(doc, k) && w != "a"
                {
                    break;
                }
                k += 1;
                skipped += 1;
            }
            _ => break,
        }
    }
    // "Two of the 50 protesters who entered were charged": a relative clause after the
    // whole's noun says what the whole did, not the part.
    if part_of_whole && matches!(doc.word(r.head_at + 1), "who" | "that") {
        r.head = Head::None;
        r.head_at = p.end;
        return r;
    }
    if matches!(r.head, Head::Crowd(_)) {
        verb_after_noun(f, &mut r);
    }
    r
}

/// The noun at the end of a list of one-word modifiers that goes on at the comma `k`
/// ("Latino, labor, community, student and religious groups"), when it counts things
/// or events rather than people.
fn modifier_list_noun(doc: &Doc, k: usize, hi: usize) -> Option<usize> {
    let mut m = k;
    while doc.raw(m) == "," && doc.kind(m + 1) == Some(Kind::Word) && m < k + 14 {
        m += 2;
    }
    if m == k || !matches!(doc.word(m), "and" | "or") || m + 2 >= hi {
        return None;
    }
    let noun = m + 2;
    (doc.kind(m + 1) == Some(Kind::Word)
        && !doc.is(m + 1, &lexicon::STOP_WORDS)
        && doc.kind(noun) == Some(Kind::Word)
        && doc.word(noun).ends_with('s')
        && (lexicon::negative_noun(doc.word(noun)) || doc.is(noun, &lexicon::EVENT_NOUNS)))
    .then_some(noun)
}

/// "58 million, an estimate of the abortions performed": an appositive that says what
/// the figure counts, and it is no crowd.
fn defined_otherwise(f: &Figure) -> bool {
    let doc = f.doc;
    let mut k = f.p.end;
    if doc.raw(k) != "," {
        return false;
    }
    k += 1;
    if matches!(doc.word(k), "a" | "an" | "the" | "our" | "their") {
        k += 1;
    }
    if !doc.is(k, &lexicon::ESTIMATE_NOUNS) || doc.word(k + 1) != "of" {
        return false;
    }
    k += 2;
    if matches!(doc.word(k), "the" | "all") {
        k += 1;
    }
    let noun = doc.word(k);
    lexicon::negative_noun(noun)
        || noun.len() > 3
            && noun.ends_with('s')
            && lexicon::crowd_noun(noun).is_none()
            && !lexicon::person_like(noun)
            && !lexicon::gathering_noun(noun)
            && !doc.is(k, &lexicon::EVENT_NOUNS)
}

/// The verb after the noun: "5,000 people marched", "300 people were arrested",
/// "people per square mile" (a rate), "2,000 people higher than" (a difference).
fn verb_after_noun(f: &Figure, r: &mut HeadReading) {
    let doc = f.doc;
    let hi = f.hi;
    let mut m = r.head_at + 1;
    let mut limit = (m + 5).min(hi);
    while m < limit {
        let w = doc.word(m);
        if doc.kind(m) == Some(Kind::Punct) {
            let raw = doc.raw(m);
            // "1000-1500 people/block": a rate.
            if raw == "/" && doc.adjacent(m) && doc.kind(m + 1) == Some(Kind::Word) {
                r.rate_or_difference = true;
                return;
            }
            if raw == "," && doc.word(m + 1) == "who"
                || matches!(raw, "\"" | "\u{201d}" | "\u{2019}" | "'")
                // "two lawmakers\u{2014}were arrested": the dash closing an aside.
                || raw == "\u{2014}" && doc.is(m + 1, &lexicon::AUXILIARIES)
            {
                m += 1;
                continue;
            }
            // "Hundreds of students, faculty, staff and alumni showed up": a list of
            // nouns, then the verb.
            if raw == "," {
                if let Some(next) = noun_list_end(doc, m, hi) {
                    // "..., Penn State students and even parents visiting for the
                    // weekend showed up": a short phrase on the list's last item, then
                    // the verb.
                    let verb = (next..(next + 6).min(hi))
                        .take_while(|&k| {
                            doc.kind(k) == Some(Kind::Word)
                                && !doc.is(k, &lexicon::NEGATIVE_VERBS)
                                && !doc.is(k, &lexicon::VERB_SEARCH_STOPS)
                                // "..., teachers, and parents, are expected to gather".
                                && !doc.is(k, &lexicon::EXPECTATION_WORDS)
                        })
                        .find(|&k| doc.is(k, &lexicon::CROWD_VERBS));
                    if verb.is_some_and(|k| k > next) {
                        r.verb_after = true;
                        return;
                    }
                    m = next;
                    limit = (m + 4).min(hi);
                    continue;
                }
            }
            // "About 300 people, the police said, were arrested": a source's aside
            // between the noun and its verb.
            if let Some(close) = said_aside_end(doc, m, hi) {
                m = close + 1;
                limit = (m + 4).min(hi);
                continue;
            }
            // "Thousands of workers, in matching T-shirts, marched", "Hundreds of
            // nurses, many still in scrubs, rallied": an aside closed by a comma right
            // before a verb of coming.
            if raw == "," {
                let close = (m + 2..(m + 10).min(hi))
                    .take_while(|&q| !matches!(doc.raw(q), "." | ";" | ":"))
                    .find(|&q| doc.raw(q) == ",");
                if let Some(close) = close.filter(|&c| doc.is(c + 1, &lexicon::CROWD_VERBS)) {
                    r.verb_after = true;
                    let _ = close;
                    return;
                }
            }
            // "40 people, including a local man, were detained", "Hundreds of
            // residents, perhaps 900, gathered": the verb comes after the aside.
            if raw == "," && doc.is(m + 1, &lexicon::ASIDE_OPENERS) {
                // "..., including students, teachers, and parents, are expected": the
                // aside may hold a list; it ends at the comma before a verb.
                let commas = || (m + 2..(m + 16).min(hi)).filter(|&q| doc.raw(q) == ",");
                let before_verb = commas().find(|&q| {
                    doc.is(q + 1, &lexicon::AUXILIARIES)
                        || doc.is(q + 1, &lexicon::CROWD_VERBS)
                        || doc.is(q + 1, &lexicon::NEGATIVE_VERBS)
                });
                if let Some(close) = before_verb.or_else(|| commas().next()) {
                    m = close + 1;
                    limit = (m + 4).min(hi);
                    continue;
                }
            }
            break;
        }
        if doc.is(m, &lexicon::AUXILIARIES) || doc.is(m, &lexicon::VERB_FILLERS) || is_adverb(w) {
            m += 1;
            continue;
        }
        if doc.is(m, &lexicon::TIME_LEADS) {
            if let Some(next) = time_phrase_end(doc, m) {
                m = next;
                limit = (m + 3).min(hi);
                continue;
            }
        }
        // "15,000 Mainers are estimated to have attended": the verb after the report.
        let reported = past_reported_to(doc, m);
        if reported > m {
            m = reported;
            limit = (m + 2).min(hi);
            continue;
        }
        // "Hundreds of employees of the county hospital rallied": a phrase on the noun
        // (a place, a union, a school), then the noun's verb.
        if let Some(verb) = modifier_phrase_end(doc, m, hi) {
            m = verb;
            limit = (m + 4).min(hi);
            continue;
        }
        // "600 people across the country arrested by ICE", "supporters from across
        // the state came": a region after the noun, before its verb.
        if matches!(w, "across" | "around" | "throughout")
            || w == "from" && doc.word(m + 1) == "across"
        {
            let the = if w == "from" { m + 2 } else { m + 1 };
            if doc.word(the) == "the" && doc.is(the + 1, &lexicon::REGION_NOUNS) {
                m = the + 2;
                limit = (m + 4).min(hi);
                continue;
            }
        }
        // "Hundreds of students at the school walked out", "300 people outside the
        // courthouse were arrested": where they were, before the verb.
        // "teachers in the Los Angeles public school system march": where they work.
        if (matches!(w, "at" | "outside" | "inside" | "near")
            || w == "in" && !in_line(doc, m) && !in_the_streets(doc, m))
            && doc.word(m + 1) == "the"
        {
            // The place's words, up to five ("the school board office").
            let mut n = m + 2;
            while n < (m + 7).min(hi) && doc.kind(n) == Some(Kind::Word) && {
                !doc.is(n, &lexicon::CROWD_VERBS)
                    && !doc.is(n, &lexicon::NEGATIVE_VERBS)
                    && !doc.is(n, &lexicon::AUXILIARIES)
            } {
                n += 1;
            }
            if n > m + 2 {
                m = n;
                limit = (m + 4).min(hi);
                continue;
            }
        }
        // "employees at over one hundred Starbucks stores around the country took
        // part", "students across 125 nations took part": a place phrase with a count
        // of its own between the noun and its verb.
        if let Some(next) = recall::counted_place_phrase_end(doc, m, hi) {
            m = next;
            limit = (m + 4).min(hi);
            continue;
        }
        // "workers from three plants started a strike", "students from 12 schools
        // marched": where they came from, counted, before the verb.
        if w == "from"
            && number::may_start_quantity(doc, m + 1)
            && doc.kind(m + 2) == Some(Kind::Word)
            && doc.word(m + 2).ends_with('s')
        {
            m += 3;
            limit = (m + 4).min(hi);
            continue;
        }
        // "500 residents of Flint marched", "students from Lincoln High walked out":
        // a place or school named after the noun.
        if let Some(next) = named_after(doc, m, hi) {
            m = next;
            limit = (next + 4).min(hi);
            continue;
        }
        if turned_away(doc, m)
            || took_to_the_streets(doc, m)
            || in_line(doc, m)
            || f.p.low >= 10 && kept_out(doc, m)
            || holds_a_gathering(doc, m)
            || came_in(doc, m)
            || reached_the_gathering(doc, m)
            || may_have_been(doc, m)
            || began_the_strike(doc, m)
            || formed_a_line(doc, m)
            || met_at(doc, m)
            || on_the_line(doc, m, hi)
        {
            r.verb_after = true;
            break;
        }
        if watched_remotely(doc, m, hi) {
            r.negative_after = true;
            break;
        }
        // "farmworkers and their supporters marched".
        if matches!(w, "and" | "or") {
            let mut n = m + 1;
            if doc.is(n, &lexicon::COORDINATED_DETERMINERS) {
                n += 1;
            }
            // "Dozens of protesters and officers were injured": a joined noun that
            // counts no crowd shares the verb all the same.
            if lexicon::crowd_noun(doc.word(n)).is_some()
                || lexicon::person_like(doc.word(n))
                || lexicon::negative_noun(doc.word(n)) && doc.is(n + 1, &lexicon::AUXILIARIES)
            {
                m = n + 1;
                // "letter carriers and union members showed up": the joined noun may
                // be a compound of crowd nouns.
                while m < n + 3 && lexicon::crowd_noun(doc.word(m)).is_some() {
                    m += 1;
                }
                continue;
            }
            // "thousands of workers and community allies turned out": a modifier before
            // the joined noun.
            if doc.kind(n) == Some(Kind::Word)
                && !doc.is(n, &lexicon::STOP_WORDS)
                && lexicon::crowd_noun(doc.word(n + 1)).is_some()
            {
                m = n + 2;
                continue;
            }
            // "thousands of teachers and support staff members converged": a joined
            // noun the lexicon does not know (up to three words), then the verb.
            let e = (n..(n + 4).min(hi))
                .find(|&k| !plain_noun_word(doc, k))
                .unwrap_or(n);
            if e > n && doc.is(e, &lexicon::CROWD_VERBS) {
                m = e;
                limit = (m + 1).min(hi);
                continue;
            }
        }
        if w == "per"
            || matches!(w, "a" | "each") && doc.is(m + 1, &lexicon::RATE_WORDS)
            || w == "an" && doc.word(m + 1) == "hour"
        {
            r.rate_or_difference = true;
            return;
        }
        // "500 people over its legal capacity", "200 people above the limit".
        let over_limit = doc.is(m, &lexicon::LIMIT_PREPOSITIONS)
            && (m + 1..(m + 4).min(hi)).any(|k| doc.is(k, &lexicon::LIMIT_NOUNS));
        if over_limit
            || doc.is(m, &lexicon::THAN_COMPARATIVES)
                && (m + 1..(m + 3).min(hi)).any(|k| doc.word(k) == "than")
        {
            r.rate_or_difference = true;
            return;
        }
        // "The 1,000 or more members of the \"For Change\" group that showed up": a
        // relative clause that says they came, past the group's name.
        if !doc.is(m, &lexicon::NEGATIVE_VERBS)
            && !doc.is(m, &lexicon::CROWD_VERBS)
            && relative_came(doc, m, hi) == Some(true)
        {
            r.verb_after = true;
            break;
        }
        let took_trips = matches!(w, "took" | "taken" | "made" | "make" | "take")
            && (m + 1..(m + 3).min(hi)).any(|k| doc.is(k, &lexicon::TRIP_NOUNS));
        // "10,000 people have added their signatures", "put their names to a letter".
        let signed = !doc.is(m, &lexicon::CROWD_VERBS)
            && (m + 1..(m + 3).min(hi)).any(|k| doc.is(k, &lexicon::PETITION_NOUNS));
        // "200 immigrants are being held": something done to people, not a gathering.
        let done_to = w == "being" && done_to(doc.word(m + 1));
        // "1,000 people participated in a recent online survey".
        let polled = doc.is(m, &lexicon::CROWD_VERBS)
            && (m + 1..(m + 6).min(hi)).any(|k| doc.is(k, &lexicon::POLL_NOUNS));
        // "demonstrators ... are expected to gather": a projection.
        // A participle ("people hoping to get a seat lined the streets") is the
        // people's own hope: what they did comes after it.
        let expected = doc.is(m, &lexicon::EXPECTATION_WORDS)
            && doc.word(m + 1) == "to"
            && !w.ends_with("ing");
        // "50 to 75 protesters standing outside the facility": a posture participle
        // right after the noun, then where they stood: people present, whatever was
        // done to them ("standing guard", "were standing next to me" stay out).
        if m == r.head_at + 1 && recall::standing_at_a_place(doc, m) {
            r.verb_after = true;
            break;
        }
        if doc.is(m, &lexicon::NEGATIVE_VERBS)
            || expected
            || took_trips
            || signed
            || done_to
            || polled
            || among_the_counted(doc, m)
            || f.needs(&[&lexicon::COUNTED_VERBS], |_| counted_later(doc, r.head_at + 1, m, hi))
            || held_at(doc, m, hi)
            // "133 protesters were taken into custody", "were placed in handcuffs":
            // a verb that puts people where they are held.
            || doc.kind(m) == Some(Kind::Word) && held_at(doc, m + 1, hi)
            // "300 people said they intend to attend": a reported plan.
            || said_they_plan(doc, m)
            // "157 people facing assault and obstruction charges": people charged.
            || matches!(w, "facing" | "face" | "faced" | "faces")
                && (m + 1..(m + 5).min(hi)).any(|k| matches!(doc.word(k), "charges" | "charge" | "counts" | "prosecution" | "deportation"))
        {
            r.negative_after = true;
        } else if doc.is(m, &lexicon::MOTION_VERBS) && goes_elsewhere(doc, m, hi) {
            r.went_elsewhere = true;
        } else if doc.is(m, &lexicon::CROWD_VERBS)
            || matches!(w, "there" | "present")
            // "We've had thousands of people outside,' Trump said".
            || there_at_clause_end(doc, m)
            // Headline present tense: "Thousands of teachers crowd Fayetteville Street".
            || m == r.head_at + 1
                && (doc.is(m, &lexicon::HEADLINE_CROWD_VERBS)
                    // "Thousands of union members flock to parade": a headline's plain
                    // verb the lexicon need not know.
                    || opens_headline(f) && plain_verb(doc, m)
                    // "Dozens of residents turn out for vigil".
                    || matches!(w, "turn" | "come" | "show") && matches!(doc.word(m + 1), "out" | "up")
                    || f.needs(&[&lexicon::GATHERING_NOUNS], |f| past_verb_at_gathering(f, m)))
            || w == "on" && matches!(doc.word(m + 1), "strike" | "hand")
            // "1500 people were in attendance".
            || w == "in" && doc.word(m + 1) == "attendance"
            || came_or_let_in(doc, m)
            // "Several hundred people were still outside": where they stood.
            || matches!(w, "outside" | "inside")
                && (r.head_at + 1..m).any(|k| doc.is(k, &lexicon::AUXILIARIES))
        {
            r.verb_after = true;
        }
        break;
    }
}

/// "Demonstrators planned to occupy Times Square. By 5pm, 5,000 to 15,000 of them did",
/// "Organizers hoped 5,000 would march; about 2,000 did": a figure whose verb is a lone
/// "did" stands for the verb of an earlier clause (up to 40 tokens back), which is a
/// verb of coming after "to" or a modal.
fn did_come(f: &Figure) -> bool {
    let doc = f.doc;
    let mut k = f.p.end;
    if doc.word(k) == "of" && matches!(doc.word(k + 1), "them" | "those" | "us") {
        k += 2;
    }
    if doc.word(k) != "did" || doc.kind(k + 1) == Some(Kind::Word) && doc.word(k + 1) != "so" {
        return false;
    }
    let from = f.p.first.saturating_sub(40).max(1);
    (from..f.p.first).any(|v| {
        matches!(doc.word(v - 1), "to" | "would" | "will" | "could" | "might")
            && verb_of_coming(doc.word(v))
    })
}

/// A verb's plain form whose past tense is a verb of coming ("occupy": "occupied",
/// "march": "marched", "come"), or one that people come to join (`joining-verbs.txt`).
fn verb_of_coming(w: &str) -> bool {
    if w == "come" || lexicon::JOINING_VERBS.contains(w) {
        return true;
    }
    let past = match w.strip_suffix('y') {
        Some(stem) => format!("{stem}ied"),
        None if w.ends_with('e') => format!("{w}d"),
        None => format!("{w}ed"),
    };
    lexicon::crowd_verb(&past)
}

/// "Roughly 2,000, by the organizers' count, marched": after the comma at `k` that ends
/// a bare figure, an aside (no figure, no conjunction opening it, at most ten tokens)
/// closed by a comma right before a verb of coming or an auxiliary. Returns the verb's
/// token.
fn verb_after_comma_aside(doc: &Doc, k: usize, hi: usize) -> Option<usize> {
    if doc.raw(k) != ","
        || matches!(
            doc.word(k + 1),
            "and" | "or" | "but" | "nor" | "then" | "while" | "so" | "yet"
        )
        || number::may_start_quantity(doc, k + 1)
    {
        return None;
    }
    let close = (k + 2..(k + 12).min(hi))
        .take_while(|&q| {
            !matches!(doc.raw(q), "." | ";" | ":") && doc.kind(q) != Some(Kind::Number)
        })
        .find(|&q| doc.raw(q) == ",")?;
    let verb = close + 1;
    (doc.is(verb, &lexicon::CROWD_VERBS) || doc.is(verb, &lexicon::AUXILIARIES)).then_some(verb)
}

/// "of the county hospital", "from the Elm Street neighborhood", "of SEIU Local 1000":
/// a phrase on a crowd noun, opened by a preposition at `m` (up to six words, with a
/// name's number; no verb, relative word, conjunction or "to"), right before the noun's verb: a verb of coming or an
/// auxiliary that is not the noun of a determiner ("of the march committee").
/// Returns the verb's token.
fn modifier_phrase_end(doc: &Doc, m: usize, hi: usize) -> Option<usize> {
    if !matches!(
        doc.word(m),
        "of" | "from"
            | "at"
            | "in"
            | "on"
            | "outside"
            | "inside"
            | "near"
            | "across"
            | "around"
            | "throughout"
            | "with"
            | "along"
    ) || held_at(doc, m, hi)
    {
        return None;
    }
    let mut n = m + 1;
    while n < (m + 8).min(hi) {
        let word = doc.kind(n) == Some(Kind::Word)
            && !doc.is(n, &lexicon::CROWD_VERBS)
            && !doc.is(n, &lexicon::NEGATIVE_VERBS)
            && !doc.is(n, &lexicon::AUXILIARIES)
            && !doc.is(n, &lexicon::EXPECTATION_WORDS)
            && !matches!(
                doc.word(n),
                "who" | "that" | "which" | "where" | "when" | "and" | "or" | "to"
            );
        // "Local 1000", "District 9": a number in a name.
        let name_number = doc.kind(n) == Some(Kind::Number)
            && n > m + 1
            && doc.tokens[n - 1].capitalized
            && doc.kind(n - 1) == Some(Kind::Word);
        if !(word || name_number) {
            break;
        }
        n += 1;
    }
    let noun_of_determiner = matches!(
        doc.word(n - 1),
        "the" | "a" | "an" | "their" | "his" | "her" | "its" | "our" | "this" | "that"
    );
    (n > m + 1
        && !noun_of_determiner
        && (doc.is(n, &lexicon::CROWD_VERBS) || doc.is(n, &lexicon::AUXILIARIES)))
    .then_some(n)
}

/// "had shown up", "turning out", "had been let in", "were admitted inside": a
/// phrasal verb of coming in any tense, or a passive that let people into the
/// gathering's venue.
fn came_or_let_in(doc: &Doc, m: usize) -> bool {
    let next = doc.word(m + 1);
    matches!(
        doc.word(m),
        "shown" | "showing" | "turning" | "turn" | "coming" | "come"
    ) && matches!(next, "out" | "up")
        || matches!(doc.word(m), "let" | "allowed" | "admitted" | "ushered")
            && matches!(next, "in" | "inside" | "into")
}

/// "in custody", "into custody", "in jail", "in plastic handcuffs" at `k`: where people
/// are held, not where they gathered.
fn held_at(doc: &Doc, k: usize, hi: usize) -> bool {
    match doc.word(k) {
        "in" | "into" | "under" => {
            matches!(doc.word(k + 1), "custody" | "jail" | "detention" | "arrest")
                || (k + 1..(k + 3).min(hi)).any(|n| doc.is(n, &lexicon::RESTRAINT_NOUNS))
        }
        _ => false,
    }
}

/// A source's aside opened by the comma at `k` and closed by the next comma, with a
/// verb of saying and no figure of its own: ", the police said,", ", organizers
/// estimated,". Returns the closing comma.
fn said_aside_end(doc: &Doc, k: usize, hi: usize) -> Option<usize> {
    if doc.raw(k) != "," {
        return None;
    }
    let close = (k + 2..(k + 7).min(hi))
        .take_while(|&q| doc.kind(q) == Some(Kind::Word) || doc.raw(q) == ",")
        .find(|&q| doc.raw(q) == ",")?;
    // "3,500 people, police said, more than expected": the aside closes the clause
    // unless a verb comes after it.
    let verb = doc.is(close + 1, &lexicon::AUXILIARIES)
        || doc.is(close + 1, &lexicon::NEGATIVE_VERBS)
        || doc.is(close + 1, &lexicon::CROWD_VERBS);
    (verb && doc.is(close - 1, &lexicon::SAYING_VERBS)).then_some(close)
}

/// "said they intend to attend", "said they would come": a verb of saying at `m`
/// whose reported clause is a plan or an expectation.
fn said_they_plan(doc: &Doc, m: usize) -> bool {
    // "93,000 saying they would attend".
    if !doc.is(m, &lexicon::SAYING_VERBS) && doc.word(m) != "saying" {
        return false;
    }
    let mut n = m + 1;
    if doc.word(n) == "that" {
        n += 1;
    }
    if !matches!(doc.word(n), "they" | "we" | "she" | "he") {
        return false;
    }
    n += 1;
    while doc.is(n, &lexicon::VERB_FILLERS)
        || doc.is(n, &lexicon::AUXILIARIES)
        || is_adverb(doc.word(n))
    {
        n += 1;
    }
    doc.is(n, &lexicon::NEGATIVE_VERBS) || doc.is(n, &lexicon::EXPECTATION_WORDS)
}

/// A crowd figure that counts a part of a gathering's crowd: "Several hundred people
/// from Toledo rode buses to join the Cleveland rally" (people from a named place who
/// travelled to it), "300 people were turned away". Asked only of a crowd figure, over
/// a few tokens after its noun.
fn is_part_of_crowd(f: &Figure, reading: HeadReading) -> bool {
    let doc = f.doc;
    let from = reading.head_at + 1;
    let end = (from + 8).min(f.hi);
    let turned = [
        &lexicon::COULD_WORDS,
        &lexicon::UNABLE_WORDS,
        &lexicon::KEPT_OUT_VERBS,
        &lexicon::ENTRY_GERUNDS,
    ];
    if f.needs(&turned, |f| {
        (from..end).any(|k| turned_away(f.doc, k) || kept_out(f.doc, k))
    }) {
        return true;
    }
    // "Buses from Lafayette brought about 150 people to the Indianapolis rally": the
    // figure is what vehicles from a named place brought.
    if f.prev != usize::MAX && doc.is(f.prev, &lexicon::BRINGING_VERBS) {
        let subject = (f.prev.saturating_sub(6).max(f.lo)..f.prev)
            .any(|k| doc.word(k) == "from" && named_after(doc, k, f.prev + 1).is_some());
        if subject {
            return true;
        }
    }
    if doc.word(from) != "from" {
        return false;
    }
    let Some(name_end) = named_after(doc, from, f.hi) else {
        return false;
    };
    (name_end..(name_end + 6).min(f.hi))
        .take_while(|&k| !closes_context(doc, k))
        .any(|k| {
            doc.is(k, &lexicon::TRAVEL_VERBS)
                || doc.word(k) == "to" && matches!(doc.word(k + 1), "join" | "attend")
        })
}

/// The token after a dash aside opened at `k` ("— estimated at 2,000 —"), when an
/// em dash (or a spaced dash) opens it and another closes it within a dozen tokens.
fn aside_end(doc: &Doc, k: usize, hi: usize) -> Option<usize> {
    // An em dash may be set closed up: "hundreds\u{2014}including two lawmakers\u{2014}were
    // arrested".
    let em = doc.raw(k) == "\u{2014}";
    let opens = em || doc.is_dash(k) && !doc.adjacent(k);
    if !opens || !em && doc.adjacent(k + 1) {
        return None;
    }
    (k + 2..(k + 14).min(hi)).find(|&m| doc.raw(m) == doc.raw(k) && (em || !doc.adjacent(m)))
}

/// The words after a comma at `k` that open an aside naming another figure: "if not",
/// "not", "or even", "perhaps" (`lexicon/alternative-hedges.txt`). Returns the token
/// after them.
fn alternative_opener(doc: &Doc, k: usize) -> Option<usize> {
    if doc.raw(k) != "," {
        return None;
    }
    let m = k + 1;
    match doc.word(m) {
        "if" if doc.word(m + 1) == "not" => Some(m + 2),
        "not" => Some(m + 1),
        "or" if doc.is(m + 1, &lexicon::ALTERNATIVE_HEDGES) => Some(m + 2),
        "or" => Some(m + 1),
        _ if doc.is(m, &lexicon::ALTERNATIVE_HEDGES) => Some(if doc.word(m + 1) == "even" {
            m + 2
        } else {
            m + 1
        }),
        _ => None,
    }
}

/// "thousands, if not tens of thousands, of people": the aside opened by the comma at
/// `k` names another figure and closes with a comma right before "of". Returns the
/// "of".
fn alternative_aside_end(doc: &Doc, k: usize, hi: usize) -> Option<usize> {
    let m = alternative_opener(doc, k)?;
    if !number::may_start_quantity(doc, m) {
        return None;
    }
    let close = (m + 1..(m + 8).min(hi)).find(|&q| doc.raw(q) == ",")?;
    (doc.word(close + 1) == "of").then_some(close + 1)
}

/// The figure starting at `first` is the one named inside such an aside.
fn in_alternative_aside(doc: &Doc, first: usize) -> bool {
    (first.saturating_sub(3)..first).any(|c| alternative_opener(doc, c) == Some(first))
}

/// Adverbs between a crowd noun and its verb: "students nationwide walked out",
/// "teachers quickly filled".
fn is_adverb(w: &str) -> bool {
    lexicon::CROWD_ADVERBS.contains(w)
        || w.len() > 4 && w.ends_with("ly") && !lexicon::crowd_verb(w) && w != "only"
}

/// "of Shasta County", "from Lincoln High", "in Gaza": a named place or group after a
/// crowd noun, before its verb. Returns the token after it.
fn named_after(doc: &Doc, m: usize, hi: usize) -> Option<usize> {
    if !matches!(doc.word(m), "of" | "from" | "in" | "at") {
        return None;
    }
    let mut n = m + 1;
    if doc.word(n) == "the" {
        n += 1;
    }
    let start = n;
    while n < hi && n < start + 5 {
        let t = &doc.tokens[n];
        let abbreviation = doc.raw(n) == "." && doc.adjacent(n);
        // "of Teamsters Local 705": a union local's number is part of its name.
        let local_number = t.kind == Kind::Number && n > start && doc.raw(n - 1) == "Local";
        if t.kind == Kind::Word && t.capitalized || abbreviation || local_number {
            n += 1;
        } else {
            break;
        }
    }
    // A comma after the name ("of Shasta County, Calif., showed up") is skipped, and so
    // is a list of names ("from Seattle, Mercer Island and Issaquah gathered").
    while n < hi && n < start + 10 && (doc.raw(n) == "," || doc.word(n) == "and") && n > start {
        let mut q = n + 1;
        if doc.raw(n) == "," && doc.word(q) == "and" {
            q += 1;
        }
        let name = q;
        while q < hi
            && (doc.tokens[q].kind == Kind::Word && doc.tokens[q].capitalized
                || doc.raw(q) == "." && doc.adjacent(q))
        {
            q += 1;
        }
        if q == name {
            break;
        }
        n = if doc.raw(q) == "," && doc.word(n) != "and" {
            q + 1
        } else {
            q
        };
    }
    (n > start).then_some(n)
}

/// "could not get in", "were unable to get inside", "were turned away": people who
/// came but could not enter are counted as their own crowd (a subset).
fn turned_away(doc: &Doc, m: usize) -> bool {
    let w = doc.word(m);
    let get_in = |k: usize| {
        matches!(doc.word(k), "get" | "fit" | "squeeze")
            && matches!(doc.word(k + 1), "in" | "into" | "inside")
    };
    doc.is(m, &lexicon::COULD_WORDS) && (doc.word(m + 1) == "not" && get_in(m + 2) || get_in(m + 1))
        || w == "unable" && doc.word(m + 1) == "to" && get_in(m + 2)
}

/// "10,000 were refused entry", "thousands more were kept from entering", "hundreds
/// were shut out": people kept from a full gathering (`lexicon/kept-out-verbs.txt`),
/// counted like "turned away". Travellers at a border (`lexicon/entry-borders.txt`)
/// are no crowd; callers leave out a handful ("Two reporters were denied entry").
fn kept_out(doc: &Doc, m: usize) -> bool {
    let w = doc.word(m);
    // "thousands more were prevented from entering", "were blocked from getting in":
    // any passive before "from" and a word of getting in
    // (`lexicon/entry-gerunds.txt`), not a verb of arrest or injury.
    let from_entering = w.len() > 4
        && w.ends_with("ed")
        && doc.word(m + 1) == "from"
        && doc.is(m + 2, &lexicon::ENTRY_GERUNDS)
        && !doc.is(m, &lexicon::NEGATIVE_VERBS)
        && !doc.is(m, &lexicon::NEGATIVE_CONTEXT);
    (from_entering
        || doc.is(m, &lexicon::KEPT_OUT_VERBS)
            && matches!(
                doc.word(m + 1),
                "entry" | "admission" | "access" | "out" | "outside" | "from"
            ))
        && !(m + 2..(m + 8).min(doc.tokens.len())).any(|k| doc.is(k, &lexicon::ENTRY_BORDERS))
}

/// "Thousands on Saturday attended", "About 400 last night marched", "Hundreds Sunday
/// rallied": a day or a part of one between a figure (or its noun) and the verb.
/// Returns the token after it.
/// Callers test `lexicon::TIME_LEADS` first (one class bit).
fn time_phrase_end(doc: &Doc, k: usize) -> Option<usize> {
    let w = doc.word(k);
    let day = |m: usize| {
        let d = doc.word(m);
        // The full names only: "500 sat in" is no Saturday.
        d.ends_with("day") && lexicon::weekday(d).is_some()
            || matches!(d, "today" | "tonight" | "yesterday")
    };
    if day(k) {
        return Some(k + 1);
    }
    match w {
        "on" if day(k + 1) => Some(k + 2),
        "last" | "this" | "early" | "late" if doc.is(k + 1, &lexicon::DAY_PARTS) || day(k + 1) => {
            Some(k + 2)
        }
        _ => None,
    }
}

/// "Thousands still in line", "hundreds waiting in line", "students in the queue":
/// people queued to get in.
fn in_line(doc: &Doc, k: usize) -> bool {
    let k = if doc.word(k) == "still" || doc.is(k, &lexicon::WAITING_VERBS) {
        k + 1
    } else {
        k
    };
    let queue = if doc.word(k + 1) == "the" {
        k + 2
    } else {
        k + 1
    };
    doc.word(k) == "in"
        && matches!(doc.word(queue), "line" | "queue")
        && (queue == k + 1 || doc.word(queue) == "queue")
}

/// "10,000 inside.", "about 200 outside, and": a figure with only where its people
/// were, ending its clause.
fn there_at_clause_end(doc: &Doc, k: usize) -> bool {
    doc.is(k, &lexicon::WHERE_ADVERBS)
        && doc.word(k) != "nearby"
        && (matches!(
            doc.raw(k + 1),
            "." | "," | ";" | "!" | "" | "\"" | "\u{201d}" | "\u{2019}" | "'"
        ) || doc.kind(k + 1).is_none()
            || doc.word(k + 1) == "and")
}

/// "are estimated to have attended", "were said to be marching": a verb of reporting
/// and "to" (and "have") before the verb that says what the figure's people did.
/// Returns the token of that verb, or `m` when there is no such report.
fn past_reported_to(doc: &Doc, m: usize) -> usize {
    if !doc.is(m, &lexicon::REPORTED_TO_VERBS) || doc.word(m + 1) != "to" {
        return m;
    }
    if matches!(doc.word(m + 2), "have" | "be") {
        m + 3
    } else {
        m + 2
    }
}

/// A capitalized word with a capitalized neighbour: part of a name ("Grand Rapids").
fn in_a_name(doc: &Doc, k: usize) -> bool {
    let cap = |m: usize| doc.kind(m) == Some(Kind::Word) && doc.tokens[m].capitalized;
    cap(k) && (k > 0 && cap(k - 1) || cap(k + 1))
}

/// "in the streets", "on the street", "into the streets": where a crowd is.
fn in_the_streets(doc: &Doc, k: usize) -> bool {
    matches!(doc.word(k), "in" | "on" | "into" | "onto")
        && doc.word(k + 1) == "the"
        && matches!(doc.word(k + 2), "streets" | "street")
}

/// "700 nurses began the strike", "workers launched a walkout": a verb that starts a
/// strike or walkout, with the strike after it.
fn began_the_strike(doc: &Doc, m: usize) -> bool {
    doc.is(m, &lexicon::STRIKE_START_VERBS) && {
        let mut n = m + 1;
        if doc.word(n) == "off" {
            n += 1;
        }
        if matches!(doc.word(n), "the" | "a" | "an" | "their" | "its") {
            n += 1;
        }
        if doc.word(n).ends_with("-day") || doc.word(n).ends_with("-hour") {
            n += 1;
        }
        // "started a historic strike": one word before the stoppage.
        doc.is(n, &lexicon::STOPPAGE_NOUNS)
            || doc.kind(n) == Some(Kind::Word)
                && !doc.is(n, &lexicon::STOP_WORDS)
                && doc.is(n + 1, &lexicon::STOPPAGE_NOUNS)
    }
}

/// "hundreds of students met at the campus", "dozens met outside city hall": people
/// meeting at a place (not "met with the mayor", "met the deadline").
fn met_at(doc: &Doc, m: usize) -> bool {
    doc.word(m) == "met" && matches!(doc.word(m + 1), "at" | "outside" | "in" | "on" | "near")
}

/// "two dozen residents formed a circle", "students formed a human chain": people
/// who made a line or ring of themselves.
fn formed_a_line(doc: &Doc, m: usize) -> bool {
    matches!(
        doc.word(m),
        "formed" | "form" | "forming" | "linked" | "locked"
    ) && {
        let mut n = m + 1;
        if matches!(doc.word(n), "a" | "an" | "the") {
            n += 1;
        }
        if matches!(doc.word(n), "human" | "large" | "long" | "big") {
            n += 1;
        }
        doc.is(n, &lexicon::FORMATION_NOUNS)
    }
}

/// "33 people were among those arrested", "two were among the dead": people counted
/// with a group that is no crowd (`m` is the word after the auxiliaries).
fn among_the_counted(doc: &Doc, m: usize) -> bool {
    doc.word(m) == "among"
        && matches!(doc.word(m + 1), "those" | "the")
        && doc.is(m + 2, &lexicon::COUNTED_VERBS)
}

/// "Ten students who stayed behind were arrested", "50 protesters sat down in the
/// road and were detained": the verb at `v` says they came, but the clause goes on to
/// count them for another reason. A relative clause between `from` and `v` makes its
/// end's verb the main one; without one, only "and were ..." joins a second verb.
/// Looks at most a dozen tokens on, stopping at a clause break or the next figure.
/// Callers gate it on `lexicon/counted-verbs.txt` (`Figure::needs`).
fn counted_later(doc: &Doc, from: usize, v: usize, hi: usize) -> bool {
    // "Six people protesting the rally were arrested": a participle right after the
    // noun opens a clause like "who protested"; the main verb comes after it.
    let relative = (from..v).any(|k| matches!(doc.word(k), "who" | "that"))
        || v == from && doc.word(v).ends_with("ing");
    let mut k = v + 1;
    while k < (v + 12).min(hi) {
        if matches!(doc.raw(k), ";" | ":" | "." | "(" | ")" | "\u{2014}")
            || number::may_start_quantity(doc, k) && doc.word(k) != "a"
        {
            return false;
        }
        let joined = doc.word(k) == "and";
        let at = if joined { k + 1 } else { k };
        if (relative || joined) && matches!(doc.word(at), "were" | "was" | "are" | "is") {
            let mut m = at + 1;
            while m < at + 3 && (doc.is(m, &lexicon::AUXILIARIES) || is_adverb(doc.word(m))) {
                m += 1;
            }
            return doc.is(m, &lexicon::COUNTED_VERBS) || among_the_counted(doc, m);
        }
        k += 1;
    }
    false
}

/// A word that can be part of a noun phrase after a figure: no verb, stop word or
/// auxiliary ("The union has 40,000 members, and thousands marched": nor a quantity,
/// which opens the next figure).
fn plain_noun_word(doc: &Doc, k: usize) -> bool {
    doc.kind(k) == Some(Kind::Word)
        && !doc.is(k, &lexicon::CROWD_VERBS)
        && !doc.is(k, &lexicon::NEGATIVE_VERBS)
        && !doc.is(k, &lexicon::STOP_WORDS)
        && !doc.is(k, &lexicon::AUXILIARIES)
        && !number::may_start_quantity(doc, k)
}

/// ", faculty, staff and alumni showed up": the rest of a list of nouns after a crowd
/// noun, from its comma at `m` to the last item joined by "and" or "or". Returns the
/// token after the list; each item is one or two lowercase words that are neither a
/// verb nor a stop word.
fn noun_list_end(doc: &Doc, m: usize, hi: usize) -> Option<usize> {
    // ", including students, teachers, and parents,": an aside, not an item.
    let item = |k: usize| plain_noun_word(doc, k) && !doc.is(k, &lexicon::ASIDE_OPENERS);
    let mut k = m;
    while k < hi && k < m + 16 {
        // At a comma (or "and"/"or"): an item follows.
        let last = matches!(doc.word(k), "and" | "or")
            || doc.raw(k) == "," && matches!(doc.word(k + 1), "and" | "or");
        if doc.raw(k) == "," && matches!(doc.word(k + 1), "and" | "or") {
            k += 1;
        }
        // "and even parents": an adverb before the item.
        let start = if matches!(doc.word(k + 1), "even" | "also") {
            k + 2
        } else {
            k + 1
        };
        let mut e = start;
        // "and other assorted \"alt-right\" figures": "other" opens a longer item.
        let len = if doc.word(start) == "other" { 6 } else { 4 };
        while e < start + len && (item(e) || len > 4 && e > start && is_quote_mark(doc, e)) {
            e += 1;
        }
        // "Penn State students": capitalized words name the item's people, whose
        // noun (lowercase) ends it; a capitalized last word is a name, not an item.
        if e == start || named_word(doc, e - 1) {
            return None;
        }
        if last {
            return Some(e);
        }
        if doc.raw(e) != "," && !matches!(doc.word(e), "and" | "or") {
            return None;
        }
        k = e;
    }
    None
}

/// A capitalized word that is no noun of a list ("neo-Nazis", with its hyphen, is).
fn named_word(doc: &Doc, k: usize) -> bool {
    doc.tokens[k].capitalized && !doc.raw(k).contains('-')
}

/// "7,000 nurses spent three days on the picket line": people on a picket line in
/// the clause, a few words after their noun.
fn on_the_line(doc: &Doc, m: usize, hi: usize) -> bool {
    (m..(m + 6).min(hi))
        .take_while(|&k| doc.kind(k) != Some(Kind::Punct))
        .any(|k| {
            doc.word(k) == "on" && {
                let n = if doc.word(k + 1) == "the" {
                    k + 2
                } else {
                    k + 1
                };
                doc.word(n) == "picket" && matches!(doc.word(n + 1), "line" | "lines")
            }
        })
}

/// A relative clause after a crowd noun and what qualifies it: "members of the group
/// that showed up", "the students who had walked out". `Some(true)` when its verb says
/// they came, `Some(false)` when it says something else, `None` with no such clause.
fn relative_came(doc: &Doc, m: usize, hi: usize) -> Option<bool> {
    let rel = (m..(m + 10).min(hi))
        .take_while(|&k| {
            !matches!(doc.raw(k), "," | ";" | ":" | "." | "(" | ")" | "\u{2014}")
                && !doc.is(k, &lexicon::CROWD_VERBS)
                && !doc.is(k, &lexicon::NEGATIVE_VERBS)
        })
        .find(|&k| matches!(doc.word(k), "that" | "who"))?;
    let mut v = rel + 1;
    while doc.is(v, &lexicon::AUXILIARIES) && v < rel + 3 {
        v += 1;
    }
    Some(doc.is(v, &lexicon::ARRIVAL_VERBS))
}

/// "150,000 had already reached the rally", "protesters entered the plaza": arriving
/// at the gathering or its place.
fn reached_the_gathering(doc: &Doc, m: usize) -> bool {
    matches!(doc.word(m), "reached" | "entered")
        && matches!(doc.word(m + 1), "the" | "a")
        && doc.is(m + 2, &lexicon::GATHERING_NOUNS)
}

/// "Thousands were on the National Mall": being on a named ground (a capitalized
/// place after "on the"), not "on the verge" or "on the payroll".
fn on_a_named_ground(doc: &Doc, m: usize) -> bool {
    doc.word(m) == "on"
        && doc.word(m + 1) == "the"
        && doc.kind(m + 2) == Some(Kind::Word)
        && doc.tokens[m + 2].capitalized
}

/// "got into a shoving match", "got inside": being there, not receiving something.
fn came_in(doc: &Doc, m: usize) -> bool {
    doc.word(m) == "got" && matches!(doc.word(m + 1), "into" | "inside" | "there" | "in")
        || doc.word(m) == "set" && matches!(doc.word(m + 1), "off" | "out")
}

/// "Nearly a hundred students banded together for the march", "Dozens of veterans
/// trekked to the capitol for the rally": a past verb the lexicon lacks, right after
/// the figure's people, in a sentence that names a gathering (what makes people who did
/// something there a crowd), followed by a word of going or coming together
/// (`lexicon/motion-particles.txt`: not "complained about", "condemned the"). Not a
/// verb of loss, intent or counting (`plain_verb`).
fn past_verb_at_gathering(f: &Figure, m: usize) -> bool {
    let doc = f.doc;
    let w = doc.word(m);
    w.len() > 4
        && w.ends_with("ed")
        && plain_verb(doc, m)
        && !doc.is(m, &lexicon::COUNTED_VERBS)
        && (doc.is(m + 1, &lexicon::MOTION_PARTICLES)
            && (f.lo..f.hi).any(|k| doc.is(k, &lexicon::GATHERING_NOUNS))
            || did_at_the_gathering(doc, m, f.hi)
            || opens_at_a_gathering(f))
}

/// "At a Sunday evening service that was part rally and part vigil, thousands of
/// residents offered ...": the sentence opens with "At" or "During" and a gathering,
/// set off by a comma before the figure.
fn opens_at_a_gathering(f: &Figure) -> bool {
    let doc = f.doc;
    matches!(doc.word(f.lo), "at" | "during")
        && f.prev_raw == ","
        && (f.lo + 1..f.prev).any(|k| doc.is(k, &lexicon::GATHERING_NOUNS))
}

/// "Thousands of residents offered tears, hugs and applause at the vigil": what the
/// verb at `m` did was done at a gathering named later in its clause ("at" or "during",
/// then at most three words before the gathering's noun; not past a clause break).
fn did_at_the_gathering(doc: &Doc, m: usize, hi: usize) -> bool {
    (m + 1..(m + 10).min(hi))
        .take_while(|&k| !matches!(doc.raw(k), "." | ";" | ":" | "?" | "!"))
        .any(|k| {
            matches!(doc.word(k), "at" | "during")
                && (k + 1..(k + 5).min(hi))
                    .take_while(|&g| doc.kind(g) == Some(Kind::Word))
                    .any(|g| doc.is(g, &lexicon::GATHERING_NOUNS))
        })
}

/// "Tens of thousands of Vermonters take to the streets": people who came out.
fn took_to_the_streets(doc: &Doc, m: usize) -> bool {
    matches!(doc.word(m), "take" | "takes" | "took" | "taking" | "taken")
        && doc.word(m + 1) == "to"
        && doc.word(m + 2) == "the"
        && matches!(doc.word(m + 3), "streets" | "street")
}

/// "30,000 teachers hold a rally", "nurses lead a march": a verb whose object is a
/// gathering (`lexicon/hold-verbs.txt`). A headline drops the article: "Hundreds hold
/// vigil for victims", "Thousands stage candlelight vigil".
fn holds_a_gathering(doc: &Doc, m: usize) -> bool {
    if !doc.is(m, &lexicon::HOLD_VERBS) {
        return false;
    }
    let object = if matches!(doc.word(m + 1), "a" | "an" | "their") {
        m + 2
    } else {
        m + 1
    };
    doc.is(object, &lexicon::GATHERING_NOUNS) || doc.is(object + 1, &lexicon::GATHERING_NOUNS)
}

/// "may have been present", "might have been there": a hedged count of a crowd that
/// happened (not "would have", which is a counterfactual).
fn may_have_been(doc: &Doc, m: usize) -> bool {
    matches!(doc.word(m), "may" | "might" | "must")
        && doc.word(m + 1) == "have"
        && (doc.word(m + 2) == "been"
            && matches!(doc.word(m + 3), "present" | "there" | "in" | "at" | "on")
            || doc.is(m + 2, &lexicon::CROWD_VERBS))
}

/// "1.5 million watching by livestream", "watched online": viewers, not a crowd.
fn watched_remotely(doc: &Doc, m: usize, hi: usize) -> bool {
    // "watched the march on the network's livestream": up to seven words on.
    doc.is(m, &lexicon::VIEWING_VERBS)
        && (m + 1..(m + 8).min(hi)).any(|k| doc.is(k, &lexicon::REMOTE_WORDS))
}

/// A verb of coming later in the figure's clause, past a list of nouns: "an estimated
/// 75,000 teachers, supporters and staff filled the streets".
fn verb_of_coming_later(f: &Figure) -> bool {
    let doc = f.doc;
    (f.p.end..(f.p.end + 16).min(f.hi))
        .take_while(|&k| {
            !matches!(doc.raw(k), ";" | ":" | "\u{2014}") && !doc.is(k, &lexicon::VERB_SEARCH_STOPS)
        })
        .any(|k| doc.is(k, &lexicon::CROWD_VERBS))
}

/// The word at `k` counts without saying who counted: "estimated" after a determiner
/// ("the estimated 12 million"). "Police estimated 5,000 people" has a source and is no
/// such word.
fn counts_without_a_source(doc: &Doc, k: usize) -> bool {
    doc.word(k) == "estimated"
        && k > 0
        && matches!(doc.word(k - 1), "the" | "an" | "a" | "their" | "its")
}

/// Words that close the backward look for cancelling context.
fn closes_context(doc: &Doc, k: usize) -> bool {
    match doc.kind(k) {
        Some(Kind::Punct) => matches!(
            doc.raw(k),
            "," | ";" | ":" | "(" | ")" | "." | "!" | "?" | "\u{2014}" | "\u{2013}"
        ),
        Some(Kind::Word) => doc.is(k, &lexicon::CONTEXT_CLOSERS),
        _ => false,
    }
}

/// The backward look in the clause: cancelling words ("arrested", "expected",
/// "troops", "the game") and words that speak of a crowd ("drew", "crowd of").
fn look_back(f: &Figure, context: SentenceContext) -> LookBack {
    let out = look_back_words(f, context, true);
    debug_assert_eq!(
        out,
        look_back_words(f, context, false),
        "look_back passed over a word it reads: add it to lexicon/look-back-words.txt"
    );
    out
}

/// `look_back`; with `pass_plain`, a plain word in none of the lists it reads
/// (`look_back_lists`) is passed by one bit test, as it changes nothing.
fn look_back_words(f: &Figure, context: SentenceContext, pass_plain: bool) -> LookBack {
    let doc = f.doc;
    let read = look_back_lists();
    let (p, lo) = (f.p, f.lo);
    let crowd_sentence = context.crowd_words || context.earlier_crowd;
    let mut out = LookBack::default();
    let mut k = p.first;
    let mut steps = 0;
    let mut crossed = 0;
    let mut list_commas = 0;
    // The first token of the list's item after the comma looked at.
    let mut list_item = p.first;
    let mut own_clause = false;
    // "expected to exceed that day's turnout of 5 million": the turnout of a gathering
    // named by its owner; the words before the owner speak of another day.
    let owned_turnout = f.prev_word == "of"
        && f.prev >= lo + 3
        && matches!(doc.word(f.prev - 1), "turnout" | "crowd" | "attendance")
        && doc.word(f.prev - 2).ends_with(['s', 'S'])
        && doc.raw(f.prev - 2).contains(['\'', '\u{2019}'])
        // "tomorrow's crowd of 50,000", "next week's turnout of": still to come.
        && !doc.word(f.prev - 2).starts_with("to")
        && !matches!(doc.word(f.prev - 3), "next" | "this" | "coming");
    // A word at `m` on a line before the figure's: "Packed an 8,000-seat arena\n14,000
    // supporters in Philadelphia" names the venue of another list item. Asked only of
    // a word that would cancel the figure.
    let other_line = |m: usize| (m + 1..=p.first).any(|n| doc.tokens[n].newlines_before > 0);
    while k > lo && steps < 10 {
        if owned_turnout && k + 2 == f.prev {
            out.crowd_before = true;
            break;
        }
        k -= 1;
        steps += 1;
        if closes_context(doc, k) {
            crossed += 1;
            // "Capacity \u{2014} is 5,000 people", "Population: 800.": a label of a line
            // that names what the figure counts.
            if crossed == 1 && is_other_label(doc, k, lo) {
                out.negative_before = true;
                break;
            }
            // "hoping for 500, a thousand people, 1,500": the figures of a list share
            // a wish before the list.
            let item =
                (k.saturating_sub(3).max(lo)..k).find(|&m| number::may_start_quantity(doc, m));
            if doc.raw(k) == "," && k + 4 >= list_item && crossed == list_commas + 1 {
                if let Some(m) = item {
                    list_commas += 1;
                    list_item = m;
                    continue;
                }
            }
            // A comma does not close "The crowd, estimated at 5,000".
            if crossed > 1 || !matches!(doc.raw(k), "," | "\u{2014}") {
                break;
            }
            continue;
        }
        // Most words before a figure are plain and in none of the lists read below.
        if pass_plain && doc.tokens[k].plain && !doc.in_any(k, &read) {
            continue;
        }
        let w = doc.word(k);
        // "arrests at the encampment that drew several hundred people": a relative
        // clause with a verb of coming opens the figure's own clause: cancelling
        // words before it are the main clause's (a venue still counts: "the game,
        // which drew 68,000 fans").
        if matches!(w, "that" | "which" | "who")
            && k + 1 < p.first
            && (doc.is(k + 1, &lexicon::CROWD_VERBS) || doc.is(k + 1, &lexicon::CROWD_CONTEXT))
        {
            own_clause = true;
            continue;
        }
        if list_commas > 0
            && crossed == list_commas
            && doc.is(k, &lexicon::WISH_WORDS)
            && doc.is(k, &lexicon::NEGATIVE_CONTEXT)
        {
            out.negative_before = true;
        }
        // "the numbers were nowhere near a million", "didn't end up being millions of
        // people": a figure denied, not stated.
        if crossed == 0 && negates(doc, k, p.first) {
            out.negative_before = true;
        }
        // "as the body count passed 9,000": the dead, not a crowd.
        if crossed == 0 && w == "count" && k > lo && doc.word(k - 1) == "body" {
            out.negative_before = true;
        }
        // "Every year, tens of thousands converge": a habit, not one gathering.
        if crossed <= 1 && every_period(doc, k) {
            out.negative_before = true;
        }
        // "I'd be elated with 500": a wish, like "would" ("I'd probably say 3,000": a
        // hedge before the verb is no verb).
        if crossed == 0 && w.ends_with("'d") {
            let after_hedge = k + 1 + usize::from(doc.is(k + 1, &lexicon::MODAL_HEDGES));
            if would_verb(doc.word(after_hedge)) {
                out.negative_before = true;
            }
        }
        // "the planned march drew 3,000" plans nothing; "turned 79" needs the figure
        // right after it.
        let harmless = || {
            doc.is(k, &lexicon::PLANNED_WORDS) && doc.is(k + 1, &lexicon::GATHERING_NOUNS)
                || matches!(w, "turned" | "turns") && k + 1 != p.first
                || w == "ordered" && ordered_to_leave(doc, p.end, f.hi)
                // "The crowd could have numbered as high as 100,000": a hedged size.
                || doc.is(k, &lexicon::HEDGE_MODALS)
                    && doc.word(k + 1) == "have"
                    && doc.is(k + 2, &lexicon::HEDGED_SIZE_VERBS)
                    && p.qualifier.is_some()
                // "the overall number could have been 10,000 people": a hedged
                // estimate of what was there ("would have been" stays a counterfactual).
                || doc.is(k, &lexicon::HEDGE_MODALS)
                    && doc.word(k + 1) == "have"
                    && doc.word(k + 2) == "been"
                    && k + 3 == p.first
                // "I would say it was closer to 10,000", "I guessed that it would be
                // about 40,000": the modal hedges a judgement of the crowd.
                || matches!(w, "would" | "could" | "might" | "'d")
                    && f.needs(
                        &[&lexicon::JUDGED_IT_VERBS, &lexicon::JUDGEMENT_NOUNS],
                        recall::judged,
                    )
                // "There, she would join thousands of others in Grant Park": a
                // narrative's speaker joining a crowd, not a hypothetical.
                || w == "would"
                    && doc.is(k + 1, &lexicon::JOINING_VERBS)
                    && k + 2 == p.first
                    && !(lo..k).any(|m| matches!(doc.word(m), "if" | "unless"))
                // "filled to capacity with nearly 4,000 people": a full house.
                || doc.is(k, &lexicon::LIMIT_NOUNS) && recall::filled_to_capacity(doc, k)
                // "a capacity crowd of 10,000": a full house, not a limit.
                || doc.is(k, &lexicon::LIMIT_NOUNS) && matches!(doc.word(k + 1), "crowd" | "crowds")
                // "the largest since 700,000 people gathered in 1982": a past gathering
                // named as the comparison, not a time since.
                || w == "since"
                    && k + 1 == p.first
                    && !p.yearlike
                    && lexicon::crowd_noun(f.after).is_some()
        };
        // "a skirmish that left three people with minor injuries": people counted by
        // what happened to them.
        // "leaving thousands more gathering outside": the rest of a crowd, still coming
        // together, is no toll.
        let more_gathering = || {
            f.after == "more"
                && (doc.is(p.end + 1, &lexicon::CROWD_VERBS)
                    || doc.is(p.end + 1, &lexicon::WAITING_VERBS))
        };
        if k + 1 == p.first && doc.is(k, &lexicon::RESULT_VERBS) && !more_gathering() {
            out.negative_before = true;
        }
        // "On average, 300 people attended each rally": many gatherings' average.
        // "their median estimate is that 5.1 million took part": the middle of a range
        // of estimates of one crowd, not an average over gatherings.
        if crossed <= 1
            && doc.is(k, &lexicon::AVERAGE_WORDS)
            && !doc.is(k + 1, &lexicon::ESTIMATE_NOUNS)
        {
            out.negative_before = true;
        }
        // "agreed to cut off attendance at 1,000": a cap, not a count.
        let cut_off = w == "off" && k > lo && doc.word(k - 1) == "cut";
        // A line before the figure's own may name a venue's seats or capacity for
        // another list item ("Packed an 8,000-capacity arena\n14,000 supporters in
        // ...").
        let other_item_limit =
            || (doc.is(k, &lexicon::LIMIT_NOUNS) || w.starts_with("seat")) && other_line(k);
        if crossed == 0
            && !own_clause
            && (doc.is(k, &lexicon::NEGATIVE_CONTEXT)
                && !harmless()
                && !is_name_word(doc, k, lo, f.hi)
                && !other_item_limit()
                || cut_off)
        {
            // "troops watched as 5,000 marched" is cut by "as".
            out.negative_before = true;
        }
        // "last time was credited with 4000": a gathering's size credited to it, the
        // figure ending its clause.
        if crossed == 0
            && w == "with"
            && k == f.prev
            && k > lo
            && doc.word(k - 1) == "credited"
            && (matches!(doc.raw(p.end), "." | "," | ";" | ")") || doc.kind(p.end).is_none())
        {
            out.crowd_before = true;
        }
        // "the vehicles numbered more than 1,000": a verb of size whose subject
        // counts things or events, not people.
        if crossed == 0 && out.subject_counts.is_none() && doc.is(k, &lexicon::SUBJECT_SIZE_VERBS) {
            out.subject_counts = subject_counts(doc, k, lo);
        }
        // "attended by hundreds of drivers", "was joined by 300 nurses".
        if doc.is(k, &lexicon::CROWD_CONTEXT)
            || w == "by"
                && k > lo
                && doc.word(k - 1).ends_with("ed")
                && doc.is(k - 1, &lexicon::CROWD_VERBS)
        {
            // "the estimated 12 million immigrants", "figures from ...": a word of
            // counting says how a figure was reached, not that its people came.
            if counts_without_a_source(doc, k) {
                out.counted_before = true;
            } else {
                out.crowd_before = true;
            }
        }
        // "the game, which drew 68,000 fans": a crowd, but not at a gathering we count.
        // `VENUE_NOUNS` is a part of the `VENUE` class: one flag test first.
        if doc.has(k, lexicon::VENUE)
            && doc.is(k, &lexicon::VENUE_NOUNS)
            && !is_scuffle(doc, k)
            && !other_line(k)
        {
            out.negative_before = true;
        }
        if w == "than" && k + 1 == p.first {
            out.negative_before = true;
        }
        // "organizers said it was closer to 8,000" in a sentence about a crowd; not
        // "demanded that Biden halt the war on 2.3 million Palestinians", where "that"
        // opens a clause with a verb and an object of its own.
        if crowd_sentence
            && crossed == 0
            && doc.is(k, &lexicon::FIGURE_PRONOUNS)
            && (w != "that" || (k + 1..p.first).all(|m| doc.is(m, &lexicon::FIGURE_PRONOUN_LINKS)))
        {
            out.crowd_before = true;
        }
        // "police said 5k, while the organizers said 8k".
        if crowd_sentence && k + 1 == p.first && doc.is(k, &lexicon::SIZE_VERBS) {
            if counts_without_a_source(doc, k) {
                out.counted_before = true;
            } else {
                out.crowd_before = true;
            }
        }
    }
    // "an estimated 200,000 in New York City" in a sentence about crowds.
    out.estimated = p
        .qualifier
        .is_some_and(|(s, e)| (s..e).any(|k| doc.word(k) == "estimated"));
    out.crowd_sentence = crowd_sentence;
    out
}

/// The bits of every list whose words `look_back` reads at the word it looks at
/// (the lists it reads only together with one of these need not be here), and of
/// `lexicon/look-back-words.txt`, the words it reads by themselves.
fn look_back_lists() -> lexicon::Classes {
    let mut bits = lexicon::LOOK_BACK_WORDS.bits;
    for list in [
        &lexicon::NEGATIVE_CONTEXT,
        &lexicon::RESULT_VERBS,
        &lexicon::AVERAGE_WORDS,
        &lexicon::SUBJECT_SIZE_VERBS,
        &lexicon::CROWD_CONTEXT,
        &lexicon::VENUES,
        &lexicon::FIGURE_PRONOUNS,
        &lexicon::SIZE_VERBS,
        &lexicon::HABIT_WORDS,
    ] {
        lexicon::add_classes(&mut bits, &list.bits);
    }
    bits
}

/// "Hundreds gathered, a few carrying long guns": a bare figure after a comma, then a
/// participle of what some of a crowd just counted held or wore, describes them.
fn describes_part(f: &Figure, context: SentenceContext) -> bool {
    context.earlier_crowd && f.prev_raw == "," && f.doc.is(f.p.end, &lexicon::DISPLAY_VERBS)
}

/// What the subject of the verb of size at `k` counts ("the vehicles numbered", "actions
/// organized by the coalition numbered"): `Some(true)` for events, `Some(false)` for
/// things or people counted for another reason, `None` for people or an unknown noun.
fn subject_counts(doc: &Doc, k: usize, lo: usize) -> Option<bool> {
    let mut s = k.checked_sub(1).filter(|&s| s >= lo)?;
    while s > lo && (is_adverb(doc.word(s)) || doc.is(s, &lexicon::AUXILIARIES)) {
        s -= 1;
    }
    // "actions organized by the May Day Strong coalition numbered": the noun before a
    // participle and "by" heads the subject.
    // The clause starts after punctuation or "that" ("and" may join nouns inside it).
    let start = (lo.max(s.saturating_sub(10))..=s)
        .rev()
        .find(|&m| {
            doc.kind(m) == Some(Kind::Punct) && closes_context(doc, m) || doc.word(m) == "that"
        })
        .map_or(lo, |m| m + 1);
    if let Some(by) = (start + 2..s).rev().find(|&m| {
        doc.word(m) == "by"
            && doc.word(m - 1).ends_with("ed")
            && doc.kind(m - 2) == Some(Kind::Word)
    }) {
        s = by - 2;
    } else if let Some(of) = (start + 1..s).find(|&m| {
        matches!(
            doc.word(m),
            "of" | "for" | "in" | "at" | "from" | "across" | "on"
        )
    }) {
        // "the combined total for all marches and rallies in U.S. cities exceeded 3
        // million": the noun before the subject's first preposition heads it.
        s = of - 1;
    }
    if doc.kind(s) != Some(Kind::Word) || lexicon::crowd_noun(doc.word(s)).is_some() {
        return None;
    }
    noun_counts(doc, s)
}

/// What the noun at `k` counts: events (a plural event noun, `Some(true)`), things that
/// are not people (`Some(false)`), or neither (`None`).
fn noun_counts(doc: &Doc, k: usize) -> Option<bool> {
    let w = doc.word(k);
    if doc.is(k, &lexicon::EVENT_NOUNS) && w.ends_with('s') {
        Some(true)
    } else if lexicon::negative_noun(w) {
        Some(false)
    } else {
        None
    }
}

/// "Hundreds of demonstrations, some estimates place them at over 1,000": a figure
/// put on a pronoun ("place them at", "put it at") whose antecedent, the noun right
/// before the aside's comma, counts events (`Some(true)`) or things (`Some(false)`).
fn pronoun_antecedent_counts(f: &Figure) -> Option<bool> {
    let doc = f.doc;
    if f.prev_word != "at" || f.prev < f.lo + 3 {
        return None;
    }
    let pronoun = f.prev - 1;
    if !matches!(doc.word(pronoun), "them" | "it" | "those")
        || !doc.is(pronoun - 1, &lexicon::PUTTING_VERBS)
    {
        return None;
    }
    let comma = (f.lo.max(pronoun.saturating_sub(8))..pronoun - 1)
        .rev()
        .find(|&k| doc.raw(k) == ",")?;
    let noun = comma.checked_sub(1).filter(|&n| n >= f.lo)?;
    noun_counts(doc, noun)
}

/// "The average crowd size across six rallies ... was estimated to be around 13,400":
/// an average heads the figure's clause, however far before it ("and" inside the
/// subject does not end it; punctuation and "but", "while" do).
fn average_subject(f: &Figure) -> bool {
    let doc = f.doc;
    (f.lo..f.p.first)
        .rev()
        .take_while(|&k| {
            let ends = matches!(doc.word(k), "but" | "while" | "whereas" | "when")
                || doc.kind(k) == Some(Kind::Punct) && closes_context(doc, k);
            !ends
        })
        .any(|k| doc.is(k, &lexicon::AVERAGE_WORDS) && !doc.is(k + 1, &lexicon::ESTIMATE_NOUNS))
}

/// "said over Zello, a walkie-talkie app, ... to hundreds of people": people reached
/// through a medium earlier in the sentence, not a crowd where the speaker was.
fn remote_audience(f: &Figure) -> bool {
    let doc = f.doc;
    f.prev_word == "to"
        && (f.lo..f.prev).any(|k| {
            matches!(doc.word(k), "over" | "via")
                && (k + 1..(k + 8).min(f.prev)).any(|m| doc.is(m, &lexicon::REMOTE_WORDS))
        })
}

/// A colon or dash at `k` after a label of one or two words that opens its line or
/// sentence and names no crowd: "Capacity:", "Population \u{2014}", "Arrests:".
fn is_other_label(doc: &Doc, k: usize, lo: usize) -> bool {
    if !matches!(doc.raw(k), ":" | "\u{2014}" | "\u{2013}" | "-") || k <= lo {
        return false;
    }
    let w = k - 1;
    let opens = |m: usize| m == lo || doc.tokens[m].newlines_before > 0;
    doc.kind(w) == Some(Kind::Word)
        && (doc.is(w, &lexicon::NEGATIVE_CONTEXT) || lexicon::negative_noun(doc.word(w)))
        && (opens(w) || w > lo && doc.kind(w - 1) == Some(Kind::Word) && opens(w - 1))
}

/// A negation at `k` ("not", "nowhere", "never", "didn't") that reaches the figure at
/// `first` across words of being or nearness only.
fn negates(doc: &Doc, k: usize, first: usize) -> bool {
    let w = doc.word(k);
    (matches!(w, "not" | "nowhere" | "never") || w.ends_with("n't"))
        // "thousands, if not tens of thousands": a hedge, no denial.
        && !(w == "not" && k > 0 && doc.word(k - 1) == "if")
        // "it was not \"hundreds,\" but \"thousands\"": a quote mark is no word.
        && (k + 1..first).all(|m| doc.is(m, &lexicon::NEGATION_FILLERS) || is_quote_mark(doc, m))
}

/// "every year", "each January" at `k`: a period that repeats.
fn every_period(doc: &Doc, k: usize) -> bool {
    matches!(doc.word(k), "every" | "each") && doc.is(k + 1, &lexicon::HABIT_PERIODS)
}

/// "thousands converge on the capital every year", "hundreds march annually": a habit
/// later in the figure's clause (a relative clause, "since" or "when" ends the look).
fn habit_after(f: &Figure) -> bool {
    let doc = f.doc;
    (f.p.end..(f.p.end + 12).min(f.hi))
        .take_while(|&k| {
            doc.kind(k) != Some(Kind::Punct)
                && !matches!(
                    doc.word(k),
                    "which" | "that" | "who" | "since" | "when" | "where"
                )
        })
        .any(|k| every_period(doc, k) || doc.word(k) == "annually")
}

/// A figure in a condition or in the clause it governs: "if each averaged 400 people,
/// One Million protesters hit the street today", "I'd be surprised if it turns out to be
/// 2 million". The mood of the clause, not its verb, says nobody counted these people.
/// Not a condition: "if not" ("hundreds, if not thousands"), "if any"; a hedge of the
/// speaker's own judging ("If I had to estimate, ... this one is 120,000"); and "even
/// if", which concedes, unless the figure is inside it. A relative clause or a ";"
/// between the "if" and the figure is a clause of its own ("The figure, if confirmed,
/// would top June's, which saw over 5 million").
fn is_hypothetical(f: &Figure) -> bool {
    let doc = f.doc;
    let mut comma = false;
    let mut k = f.p.first;
    while k > f.lo {
        k -= 1;
        let w = doc.word(k);
        if matches!(w, "which" | "who" | "whom" | "whose" | "where") || doc.raw(k) == ";" {
            return false;
        }
        comma |= doc.raw(k) == ",";
        if !doc.is(k, &lexicon::CONDITIONAL_WORDS) {
            continue;
        }
        if matches!(doc.word(k + 1), "not" | "any" | "anything" | "so" | "ever") {
            return false;
        }
        if comma && k > f.lo && doc.word(k - 1) == "even" {
            return false;
        }
        // "If I had to estimate", "if we had to guess": the speaker judging.
        let judged = (k + 1..(k + 6).min(f.p.first)).any(|m| {
            doc.is(m, &lexicon::JUDGING_VERBS)
                && (k + 1..m).any(|s| matches!(doc.word(s), "i" | "we"))
        });
        return !judged;
    }
    false
}

/// "typically hundreds and even thousands of people were turned away", "about 40
/// people usually stand outside": a habit adverb right before the figure (or before the
/// first of two figures joined by "and" or "or") or right after its noun says what
/// happens at such gatherings, not how many came to one.
fn habit_before(f: &Figure) -> bool {
    let doc = f.doc;
    if (f.p.end..(f.p.end + 3).min(f.hi))
        .take_while(|&k| doc.kind(k) == Some(Kind::Word))
        .any(|k| doc.is(k, &lexicon::HABIT_ADVERBS))
    {
        return true;
    }
    let mut k = f.prev;
    let stop = f.p.first.saturating_sub(6).max(f.lo);
    while k != usize::MAX && k >= stop {
        if doc.is(k, &lexicon::HABIT_ADVERBS) {
            return true;
        }
        let joins = matches!(doc.word(k), "and" | "or" | "even" | "perhaps" | "maybe")
            || doc.kind(k) == Some(Kind::Number)
            || doc.is(k, &lexicon::NUMBER_STARTS);
        if !joins || k == f.lo {
            return false;
        }
        k -= 1;
    }
    false
}

/// A capitalized word inside a name in running text: "Will" in "Detroit Will Breathe",
/// "May" in "Mothers May March" (a capitalized neighbour, and the sentence is no
/// title-case headline, where "Organizers Expect 10,000" keeps its verb).
fn is_name_word(doc: &Doc, k: usize, lo: usize, hi: usize) -> bool {
    let cap = |m: usize| doc.kind(m) == Some(Kind::Word) && doc.tokens[m].capitalized;
    if k == lo || !cap(k) || !(cap(k - 1) || k + 1 < hi && cap(k + 1)) {
        return false;
    }
    // Running text: a title-case headline lowercases only its short function words.
    (lo..hi)
        .filter(|&m| {
            doc.kind(m) == Some(Kind::Word) && doc.raw(m).len() > 3 && !doc.tokens[m].capitalized
        })
        .nth(1)
        .is_some()
}

/// The verb after "I'd", "he'd": "be", "have", "like" or another plain verb makes a
/// wish or a habit ("I'd be elated with 500", "he'd see about four people"); a verb
/// of judging ("I'd say", "I'd put it at") gives an estimate, and a participle ("they'd
/// gathered") is "had".
fn would_verb(v: &str) -> bool {
    lexicon::WISH_VERBS.contains(v)
        || v.len() > 2
            && v.bytes().all(|b| b.is_ascii_lowercase())
            && !v.ends_with("ed")
            && !v.ends_with("en")
            && !v.ends_with('s')
            && !v.ends_with("ing")
            && !lexicon::JUDGING_VERBS.contains(v)
            && !lexicon::SIZE_VERBS.contains(v)
            && !lexicon::crowd_verb(v)
}

/// "ordered the roughly 200 remaining protesters to leave": an order given to a crowd
/// that is there, not an order placed for things.
fn ordered_to_leave(doc: &Doc, end: usize, hi: usize) -> bool {
    (end..(end + 3).min(hi)).any(|k| {
        lexicon::crowd_noun(doc.word(k)) == Some(Crowd::Strong)
            && (doc.word(k + 1) == "to"
                // "ordered about 200 protesters who remained by the building to
                // disperse": the order's verb after a relative clause on the crowd.
                || matches!(doc.word(k + 1), "who" | "that")
                    && (k + 2..(k + 12).min(hi))
                        .take_while(|&q| !matches!(doc.raw(q), "." | ";" | ":" | ","))
                        .any(|q| doc.word(q) == "to" && doc.kind(q + 1) == Some(Kind::Word)))
    })
}

/// "packed 1 million into Central Park", "crammed 3,000 onto the plaza", "joining
/// about a thousand teachers at the capitol": a verb that puts a crowd somewhere, or
/// a speaker joining a crowd (a hundred or more; "joined 40 other mayors" is no
/// crowd).
fn is_packed_into(f: &Figure, head: Head) -> bool {
    let packed = lexicon::PACKING_VERBS.contains(f.prev_word)
        && matches!(f.after, "into" | "onto" | "inside");
    let joining = matches!(f.prev_word, "joining" | "joined" | "join" | "joins")
        && matches!(head, Head::Crowd(_))
        && f.p.low >= 100;
    packed || joining
}

/// "on the streets of Sydney with an estimated 30,000 other Australians": a speaker
/// among a crowd of others (a hundred or more).
fn with_others(f: &Figure) -> bool {
    f.prev_word == "with" && matches!(f.after, "other" | "others" | "fellow") && f.p.low >= 100
}

/// "Fifth Avenue flowed with thousands of workers", "the procession began with 400
/// members of the bricklayers' union": a place or gathering filled with a crowd.
fn is_filled_with(f: &Figure) -> bool {
    f.prev_word == "with"
        && f.prev > f.lo
        && (f.doc.is(f.prev - 1, &lexicon::FILLED_WITH_VERBS)
            || f.prev > f.lo + 2 && recall::filled_to_capacity(f.doc, f.prev - 1))
}

/// "Ten thousand workers walked off the job to join the march": people who did
/// something in order to join a gathering, as the clause's subject ("excused the city's
/// 1.1 million students from class to participate" is no crowd).
fn came_to_take_part(f: &Figure, head_at: usize) -> bool {
    let doc = f.doc;
    let subject = f.prev == usize::MAX || closes_context(doc, f.prev);
    subject
        && (head_at + 1..(head_at + 12).min(f.hi))
            .take_while(|&k| !closes_context(doc, k) || doc.word(k) == "and")
            .any(|k| {
                doc.word(k) == "to"
                    && doc.is(k + 1, &lexicon::JOINING_VERBS)
                    && (doc.word(k + 1) != "take" || doc.word(k + 2) == "part")
            })
}

/// "Ten thousand workers gave up a day's pay to take part": what a crowd's people
/// gave up (a verb that is otherwise no crowd's) in order to join the gathering.
fn gave_up_to_take_part(f: &Figure, reading: HeadReading) -> bool {
    let doc = f.doc;
    let mut v = reading.head_at + 1;
    while doc.is(v, &lexicon::AUXILIARIES) && v < reading.head_at + 3 {
        v += 1;
    }
    matches!(reading.head, Head::Crowd(_))
        && doc.is(v, &lexicon::SACRIFICE_VERBS)
        && came_to_take_part(f, reading.head_at)
}

/// "going with the 2,200 figure", "the 15,000 estimate": a figure naming an estimate,
/// in a sentence that names who gave it; "the 2,000,000+ being claimed".
fn is_the_figure(f: &Figure) -> bool {
    let doc = f.doc;
    // "nowhere near the 2,000,000+ being claimed": a figure someone is claiming.
    let claimed = f.after == "being"
        && doc.is(f.p.end + 1, &lexicon::SIZE_VERBS)
        && doc.word(f.p.end + 1).ends_with("ed");
    // "more than the 85K the MPD estimates": a figure, then its source and a verb of
    // estimating.
    let source_estimates = f.after == "the"
        && doc.has(f.p.end + 1, lexicon::SOURCE_START)
        && (f.p.end + 2..(f.p.end + 4).min(f.hi))
            .any(|k| doc.is(k, &lexicon::SIZE_VERBS) || doc.word(k) == "estimates");
    // "is using 5.2 million as their official number", "in the 100,000-250,000
    // range".
    let used_as = f.after == "as"
        && matches!(f.prev_word, "using" | "uses" | "used" | "use")
        && (f.p.end + 1..(f.p.end + 5).min(f.hi)).any(|k| doc.is(k, &lexicon::ESTIMATE_NOUNS));
    let in_range = f.prev_word == "the"
        && f.after == "range"
        && doc.word(f.prev.wrapping_sub(1)) == "in"
        && f.p.low >= 100;
    f.prev_word == "the" && (claimed || source_estimates)
        || used_as
        || in_range
        || f.prev_word == "the"
            && lexicon::ESTIMATE_NOUNS.contains(f.after)
            && (f.lo..f.hi).any(|k| doc.has(k, lexicon::SOURCE_START))
}

/// "a pushing and shoving match" is no sports match.
pub fn is_scuffle(doc: &Doc, k: usize) -> bool {
    doc.word(k) == "match" && doc.is(k.wrapping_sub(1), &lexicon::SCUFFLE_WORDS)
}

/// "A protest of thousands organized by 3 young women", "led by 12 students": the
/// people who organized or led a gathering, not its crowd.
fn is_agent(f: &Figure) -> bool {
    // "led by hundreds of thousands who overwhelmed the capital": no gathering has
    // thousands of leaders; that is its crowd.
    f.prev_word == "by"
        && f.prev > f.lo
        && f.doc.is(f.prev - 1, &lexicon::AGENT_VERBS)
        && f.p.low < 1000
}

/// "a man, 24, was charged", "said Luis Ortega, 45.": an age after a name.
fn is_age_after_name(f: &Figure) -> bool {
    let p = f.p;
    f.prev_raw == ","
        && matches!(f.doc.raw(p.end), "," | "." | ";" | ")")
        && p.high < 120
        && !p.is_range
        && p.qualifier.is_none()
        && !is_list_item_after_semicolon(f)
}

/// "...; Manistee, about 250; Onekama, 45.": a name opening an item after a semicolon,
/// then a comma and the figure: a list of places and their figures, not a person's age.
fn is_list_item_after_semicolon(f: &Figure) -> bool {
    let doc = f.doc;
    let mut m = f.prev;
    while m > f.lo && m + 4 > f.prev && {
        let k = m - 1;
        doc.kind(k) == Some(Kind::Word) && doc.tokens[k].capitalized
    } {
        m -= 1;
    }
    m < f.prev && m > f.lo && doc.raw(m - 1) == ";"
}

/// "Two of the 50 protesters who entered were charged": a part of a group.
fn is_part_of_a_group(f: &Figure) -> bool {
    let doc = f.doc;
    let p = f.p;
    f.prev_word == "the"
        && p.first >= f.lo + 3
        && doc.word(p.first - 2) == "of"
        && number::may_start_quantity(doc, p.first - 3)
}

/// A figure followed in its clause by an expectation: "the 200,000 the organizers
/// had predicted", "the 200,000 spectators the Army had anticipated". A verb of
/// coming ends the look: "3,000 attended the rally organizers expected".
fn is_expectation(f: &Figure, reading: HeadReading) -> bool {
    let doc = f.doc;
    let from = if reading.head == Head::None {
        f.p.end
    } else {
        reading.head_at + 1
    };
    let mut m = from;
    // "20,000 people was the attendance number that they expected": a copula after
    // the figure lets the expectation come later in the clause.
    let reach = if matches!(doc.word(from), "was" | "is" | "were") {
        11
    } else {
        7
    };
    while m < f.hi && m < from + reach && !closes_context(doc, m) {
        // "the attendance number": a noun after a determiner says nobody came.
        if doc.is(m, &lexicon::CROWD_VERBS)
            && !matches!(doc.word(m - 1), "the" | "a" | "an" | "its" | "their")
        {
            return false;
        }
        if doc.is(m, &lexicon::EXPECTATION_WORDS) {
            // "Tens of thousands of people hoping to get a seat lined the streets": a
            // participle right after the people is their own hope, not a hope for them.
            return !(m == from && doc.word(m).ends_with("ing"));
        }
        m += 1;
    }
    false
}

/// "300 of 19,500 students": the whole that a part is counted from.
fn is_whole_after_part(f: &Figure) -> bool {
    let doc = f.doc;
    f.p.qualifier.is_none()
        && (f.p.first.saturating_sub(4).max(f.lo + 1)..f.p.first).any(|of| {
            doc.word(of) == "of"
                && doc.kind(of - 1) == Some(Kind::Number)
                && whole_after_of(doc, of) == Some(f.p.number_start)
        })
}

/// "of 19,500", "of the district's 9,000": the number of a whole after "of" at `k`,
/// past a determiner and a possessive.
fn whole_after_of(doc: &Doc, k: usize) -> Option<usize> {
    let mut n = k + 1;
    if matches!(doc.word(n), "the" | "its" | "their" | "our") {
        n += 1;
    }
    if doc.word(n).ends_with("'s") || doc.word(n).ends_with("\u{2019}s") {
        n += 1;
    }
    (doc.kind(n) == Some(Kind::Number) && n <= k + 3).then_some(n)
}

/// A partitive "one of the organizers" is not a figure.
fn is_partitive_one(f: &Figure) -> bool {
    f.doc.word(f.p.number_start) == "one" && f.after == "of"
}

/// "a city of about 237,000 people", "home to 90,000", "a research team of 4".
fn is_population(f: &Figure) -> bool {
    let doc = f.doc;
    if f.prev_word == "of" && f.prev > f.lo {
        let noun = doc.word(f.prev - 1);
        if lexicon::POPULATION_NOUNS.contains(noun) || matches!(noun, "team" | "pop." | "pop") {
            return true;
        }
    }
    // "took the lives of 49 individuals": the dead, not a crowd.
    f.prev_word == "of" && f.prev > f.lo && doc.word(f.prev - 1) == "lives"
        || f.prev_word == "to" && f.prev > f.lo && doc.word(f.prev - 1) == "home"
        || f.prev_raw == "." && doc.word(f.prev.wrapping_sub(1)) == "pop"
}

/// "a peaceful crowd of 5,000", "a rally of 300": a figure after a gathering noun
/// and "of".
fn after_gathering_of(f: &Figure) -> bool {
    let doc = f.doc;
    if f.prev_word != "of" || f.prev <= f.lo {
        return false;
    }
    let mut g = f.prev - 1;
    if g > f.lo && !doc.is(g, &lexicon::GATHERING_NOUNS) && doc.is(g, &lexicon::CROWD_ADJECTIVES) {
        g -= 1;
    }
    doc.is(g, &lexicon::GATHERING_NOUNS)
}

/// "a big rally which gathered 50,000 educators and parents", "the march assembled
/// 3,000 nurses": a gathering (or "which"/"that" after one) as the subject of a verb
/// of coming right before the people it counts.
fn gathering_gathered(f: &Figure) -> bool {
    let doc = f.doc;
    if f.prev == usize::MAX || !doc.is(f.prev, &lexicon::CROWD_VERBS) || f.prev == f.lo {
        return false;
    }
    let s = f.prev - 1;
    // "the biggest rally yet, which gathered": the relative pronoun's gathering a few
    // words before it.
    if matches!(doc.word(s), "which" | "that") {
        return (s.saturating_sub(4).max(f.lo)..s).any(|k| lexicon::gathering_noun(doc.word(k)));
    }
    lexicon::gathering_noun(doc.word(s))
}

/// "larger than his agency's official estimate of 400,000", in a sentence about a
/// crowd: an estimate named with its figure, which ends the phrase ("an estimate of
/// 58 million abortions" counts something else; "an expected estimate" is a projection).
fn is_estimate_of(f: &Figure) -> bool {
    let doc = f.doc;
    f.prev_word == "of"
        && f.prev > f.lo
        && doc.is(f.prev - 1, &lexicon::ESTIMATE_NOUNS)
        && (doc.kind(f.p.end) != Some(Kind::Word) || doc.is(f.p.end, &lexicon::STOP_WORDS))
        // "might have been larger than ...": a hedge on the past, no projection.
        && !(f.lo..f.hi).any(|k| {
            doc.is(k, &lexicon::EXPECTATION_WORDS)
                || doc.is(k, &lexicon::PROJECTION_WORDS) && doc.word(k + 1) != "have"
        })
}

/// "a crowd of 40,000", "a group of about a hundred", "a small band of about 50";
/// not "projected a turnout of 100,000".
fn is_crowd_of(f: &Figure) -> bool {
    let doc = f.doc;
    if f.prev_word != "of" || f.prev == usize::MAX {
        return false;
    }
    let projected = (f.lo..f.prev)
        .any(|k| doc.is(k, &lexicon::EXPECTATION_WORDS) || doc.is(k, &lexicon::PROJECTION_WORDS));
    // "The Crown Expo Center can hold a crowd of 7,000": the room's size.
    let room =
        (f.lo.max(f.prev.saturating_sub(5))..f.prev).any(|k| doc.is(k, &lexicon::CAPACITY_VERBS));
    !projected
        && !room
        && f.prev_word == "of"
        && f.prev > f.lo
        && doc.is(f.prev - 1, &lexicon::PEAK_WORDS)
        && !matches!(
            doc.word(f.prev.wrapping_sub(2)),
            "research" | "working" | "advocacy"
        )
}

/// "Only a few people flipped us off", "a handful yelled at the marchers": a few
/// people counted by what they did, not a gathering: a small vague figure whose noun
/// says no more than "people" and whose verb is a past verb of no coming.
fn reacted_otherwise(f: &Figure, reading: HeadReading) -> bool {
    let doc = f.doc;
    if f.p.vague.is_none() || f.p.high > 12 || reading.verb_after {
        return false;
    }
    let at = match reading.head {
        Head::None => f.p.end,
        Head::Crowd(Crowd::Strong)
            if matches!(
                doc.word(reading.head_at),
                "people" | "persons" | "individuals" | "folks"
            ) =>
        {
            reading.head_at + 1
        }
        _ => return false,
    };
    let v = doc.word(at);
    at < f.hi
        && doc.kind(at) == Some(Kind::Word)
        && !doc.tokens[at].capitalized
        && v.len() > 4
        && v.ends_with("ed")
        && !lexicon::crowd_verb(v)
        && !doc.is(at, &lexicon::PRESENCE_WORDS)
        && !doc.is(at, &lexicon::AUXILIARIES)
}

/// "Police: 3,000. Organizers: 7,500.": a source as a label.
fn is_source_label(f: &Figure) -> bool {
    f.prev_raw == ":" && f.p.first >= f.lo + 2 && f.doc.has(f.p.first - 2, lexicon::SOURCE_START)
}

/// "police said 8,000, organizers 20,000": a source, then a bare figure.
fn is_source_then_figure(f: &Figure, context: SentenceContext) -> bool {
    context.earlier_crowd && f.prev != usize::MAX && f.doc.has(f.prev, lexicon::SOURCE_START)
}

/// "Demonstrators — about 2,000 by police count — marched": an appositive figure.
/// "Hundreds \u{2014} about 800 by one count \u{2014} crowded the steps", "thousands (some
/// 3,000)": a figure set off right after a crowd figure restates it.
/// A hedge between the mark and the figure is skipped: "Hundreds of people, possibly
/// up to 1,000 or more, gathered".
fn is_appositive(f: &Figure, context: SentenceContext) -> bool {
    let doc = f.doc;
    let hedged = lexicon::HEDGE_ADVERBS.contains(f.prev_word);
    let first = if hedged { f.p.first - 1 } else { f.p.first };
    let mark = doc.raw(first.wrapping_sub(1));
    // "The students, about 30 in all, chanted": set off by commas, with the verb of
    // coming after the closing comma.
    let set_off = || {
        let close = (f.p.end..(f.p.end + 4).min(f.hi)).find(|&k| doc.raw(k) == ",");
        close.is_some_and(|c| {
            (f.p.end..c).all(|k| doc.is(k, &lexicon::TOTAL_WORDS))
                && doc.is(c + 1, &lexicon::CROWD_VERBS)
        })
    };
    // "I'd call the turn-out light, maybe 4000": a hedged figure after a clause about
    // the turnout, ending its clause.
    let hedged_turnout = hedged
        && mark == ","
        && (f.lo..first).any(|k| doc.is(k, &lexicon::CROWD_CONTEXT))
        && matches!(doc.raw(f.p.end), "," | "." | ";" | "");
    first >= f.lo + 2
        && (matches!(mark, "\u{2014}" | "," | "(" | "\u{2013}")
            || doc.is_dash(first - 1) && !doc.adjacent(first))
        && (lexicon::crowd_noun(doc.word(first - 2)) == Some(Crowd::Strong)
            || hedged_turnout
            || mark == "," && lexicon::crowd_noun(doc.word(first - 2)).is_some() && set_off()
            // "Hundreds of residents, perhaps as many as 900, gathered".
            || hedged && context.earlier_crowd && lexicon::crowd_noun(doc.word(first - 2)).is_some()
            || context.earlier_crowd
                && mark != ","
                && (doc.kind(first - 2) == Some(Kind::Number)
                    || number::may_start_quantity(doc, first - 2)))
}

/// "Tens of thousands, according to Seattle Police." opening its line, or after a
/// label ("By the numbers: 10,000, per police."): a figure whose clause is only its
/// source.
fn is_sourced_fragment(f: &Figure) -> bool {
    let doc = f.doc;
    let p = f.p;
    let opens =
        f.prev == usize::MAX || f.prev_raw == ":" || doc.tokens[p.first].newlines_before > 0;
    if !opens || doc.raw(p.end) != "," {
        return false;
    }
    let mut k = p.end + 1;
    while matches!(doc.raw(k), "\"" | "\u{201d}" | "'" | "\u{2019}") {
        k += 1;
    }
    let cue = match doc.word(k) {
        "according" if doc.word(k + 1) == "to" => k + 2,
        "per" => k + 1,
        _ => return false,
    };
    let mut end = cue;
    while end < f.hi && !matches!(doc.raw(end), "." | ";" | "!") && end < cue + 8 {
        end += 1;
    }
    (cue..end).any(|m| doc.has(m, lexicon::SOURCE_START))
        && (end >= f.hi || matches!(doc.raw(end), "." | ";" | "!"))
}

/// "San Francisco (40,000), Denver (7,500) and Boston (7,000)": a place, then its
/// figure alone in parentheses, in a sentence about a crowd.
fn is_place_parenthesis(f: &Figure, context: SentenceContext) -> bool {
    let doc = f.doc;
    let p = f.p;
    f.prev_raw == "("
        && doc.raw(p.end) == ")"
        && f.prev > f.lo
        && doc.kind(f.prev - 1) == Some(Kind::Word)
        && doc.tokens[f.prev - 1].capitalized
        && !doc.has(f.prev - 1, lexicon::SOURCE_START)
        && (context.crowd_words
            || context.earlier_crowd
            || (f.lo..f.hi)
                .any(|k| doc.is(k, &lexicon::CROWD_VERBS) || doc.is(k, &lexicon::GATHERING_NOUNS))
            || alone_among_list_lines(f))
}

/// "Ashland: 2,500\nMedford (1,800)\nGrants Pass: 900": a place and its figure alone
/// on a line, next to a list line of a place and a figure.
fn alone_among_list_lines(f: &Figure) -> bool {
    let doc = f.doc;
    let line_end = f.p.end + 1;
    // "Jones (2019)\nSmith (2021)": years, not sizes.
    let year = |k: usize| doc.raw(k).len() == 4 && !doc.raw(k).contains([',', '.']);
    let own_line = !f.p.yearlike
        && f.prev - 1 == f.lo
        && doc.tokens[f.lo].newlines_before > 0
        && doc
            .tokens
            .get(line_end)
            .is_none_or(|t| t.newlines_before > 0);
    // A list item's figure ends the line before: "Ashland: 2,500".
    let before = f.lo >= 3
        && doc.kind(f.lo - 1) == Some(Kind::Number)
        && !year(f.lo - 1)
        && matches!(doc.raw(f.lo - 2), ":" | "(");
    // The line after opens with a place and a colon or parenthesis: "Grants Pass: 900".
    let after = (line_end..(line_end + 4).min(doc.tokens.len()))
        .take_while(|&k| doc.kind(k) == Some(Kind::Word) && doc.tokens[k].capitalized)
        .last()
        .is_some_and(|k| {
            matches!(doc.raw(k + 1), ":" | "(")
                && doc.kind(k + 2) == Some(Kind::Number)
                && !year(k + 2)
        });
    own_line && (before || after)
}

/// "about 40 people at noon and about 400 by 2 p.m.", "20,000 people: 7,000 in the
/// arena, 2,000 in an overflow room", "including over 100,000 at the Washington
/// protest": a figure coordinated with a crowd size, with no noun of its own.
fn is_coordinated(f: &Figure, context: SentenceContext) -> bool {
    context.earlier_crowd
        && !names_a_thing_after(f)
        && (matches!(
            f.prev_word,
            "and" | "to" | "or" | "while" | "but" | "," | ";" | ":" | "including" | "with"
        ) || f.prev_word == "at" && f.p.low >= 20
            || at_a_moment(f)
            // "Tucson had 4,000, Mesa more than 2,500", "and Castle Rock roughly 350": a
            // place with its verb elided.
            || f.prev != usize::MAX
                && f.prev > f.lo
                && f.f_capitalized_prev()
                // (A name of up to three words ends at the token before the figure.)
                && matches!(f.doc.raw(capitalized_before_prev(f, 2) - 1), "," | "and"))
}

/// The first of at most `max` capitalized words that stand right before the token
/// before the figure (`f.prev` itself when there is none), never reaching the clause's
/// first token.
fn capitalized_before_prev(f: &Figure, max: usize) -> usize {
    let doc = f.doc;
    let mut s = f.prev;
    while s > f.lo + 1
        && s + max > f.prev
        && doc.kind(s - 1) == Some(Kind::Word)
        && doc.tokens[s - 1].capitalized
    {
        s -= 1;
    }
    s
}

/// "at the start about 1300 and at end 2200 to 2500", "by the end of the day 4,000":
/// a moment of the gathering right before the figure.
fn at_a_moment(f: &Figure) -> bool {
    let doc = f.doc;
    // The moment, or "the end of the rally": the gathering named after it.
    let mut m = f.prev;
    if m != usize::MAX
        && m > f.lo + 2
        && (doc.is(m, &lexicon::GATHERING_NOUNS) || doc.word(m) == "day")
    {
        let mut n = m - 1;
        if matches!(doc.word(n), "the" | "its" | "their") {
            n -= 1;
        }
        if doc.word(n) == "of" {
            m = n - 1;
        }
    }
    m != usize::MAX
        && doc.is(m, &lexicon::MOMENT_WORDS)
        && m > f.lo
        && (m.saturating_sub(3).max(f.lo)..m).any(|k| doc.is(k, &lexicon::MOMENT_LEADS))
}

/// "adorned with 17 glowing angel statues": a figure followed by words for something
/// that is no crowd (the head reader knew none of them), so a count of things. "and
/// 2,000 outside", "and 400 by noon" and "with 500 marching" stay crowd figures.
fn names_a_thing_after(f: &Figure) -> bool {
    f.p.end < f.hi && names_a_thing(f.doc, f.p.end)
}

/// A plural word at `k` of more than three letters that names a thing and is not one of
/// the lexicon's words ending in "s" that are no plurals: "crosses", "tents", "trucks".
fn unknown_plural_thing(doc: &Doc, k: usize) -> bool {
    let thing = doc.word(k);
    thing.len() > 3
        && thing.ends_with('s')
        && !lexicon::NOT_PLURALS.contains(thing)
        && names_a_thing(doc, k)
}

/// A lowercase word at `k` that is no verb, stop word, adverb or kind of people: a
/// noun for things when it is plural.
fn names_a_thing(doc: &Doc, k: usize) -> bool {
    let w = doc.word(k);
    // "to 550 yesterday": a word of time after a figure is no noun of it.
    doc.kind(k) == Some(Kind::Word)
        && !doc.is(k, &lexicon::DATE_WORDS)
        && !doc.tokens[k].capitalized
        && !lexicon::STOP_WORDS.contains(w)
        && !lexicon::AUXILIARIES.contains(w)
        && !lexicon::crowd_verb(w)
        && !is_adverb(w)
        && !lexicon::COMPARATIVES.contains(w)
        && !lexicon::NOT_THINGS.contains(w)
        && lexicon::crowd_noun(w).is_none()
        && !lexicon::person_like(w)
        // "hundreds of thousands swamping the capital": a participle with its object.
        && !(w.ends_with("ing") && doc.is(k + 1, &lexicon::STOP_WORDS))
}

/// "Police say 10,000 were in Philadelphia", "Organizers Claim 350K": a named
/// source, a verb of saying, then the figure.
fn is_said_figure(f: &Figure) -> bool {
    let doc = f.doc;
    f.prev != usize::MAX
        && f.prev > f.lo
        && lexicon::SAYING_VERBS.contains(f.prev_word)
        && (f.prev.saturating_sub(3).max(f.lo)..f.prev).any(|k| doc.has(k, lexicon::SOURCE_START))
        && !lexicon::negative_noun(f.after)
        || said_it_was(f)
}

/// "Officials ... said it was several thousand", "police said there were about 900": a
/// source, a verb of saying, "it was" or "there were", then the figure.
fn said_it_was(f: &Figure) -> bool {
    let doc = f.doc;
    let k = f.prev;
    k != usize::MAX
        && k >= f.lo + 3
        && matches!(f.prev_word, "was" | "were" | "is" | "are")
        && (matches!(doc.word(k - 1), "it" | "there" | "that")
            && doc.is(k - 2, &lexicon::SAID_IT_VERBS)
            // "SFPD said this demo was 50,000", "police said the crowd was 900".
            || (doc.is(k - 1, &lexicon::GATHERING_NOUNS) || doc.word(k - 1) == "demo")
                && matches!(doc.word(k - 2), "this" | "the" | "that")
                && doc.is(k.saturating_sub(3), &lexicon::SAID_IT_VERBS))
        && (f.lo..k - 2).any(|m| doc.has(m, lexicon::SOURCE_START))
        && !lexicon::negative_noun(f.after)
}

/// "People attendance estimation: 2.5 million": a label of a few words opening its
/// line, one of them a turnout word, before the colon at `colon`.
fn label_names_a_crowd(doc: &Doc, lo: usize, colon: usize) -> bool {
    // The label's first word: the line's start, at most five words back.
    let mut k = colon;
    while k > lo && k + 5 > colon && doc.kind(k - 1) == Some(Kind::Word) {
        k -= 1;
        if doc.tokens[k].newlines_before > 0 {
            break;
        }
    }
    let opens_line = k == lo || doc.tokens[k].newlines_before > 0;
    opens_line && k < colon && (k..colon).any(|m| lexicon::LIST_LABELS.contains(doc.word(m)))
}

/// A list line: "Denver: 100,000 (per police)", "June turnout: 700", "Washington
/// D.C. – 40,000 marchers" (the noun is read elsewhere), "Seattle, 70,000;": a place
/// or a turnout word, a colon or dash, and the figure ending its line or item.
fn is_list_line(f: &Figure) -> bool {
    let doc = f.doc;
    let p = f.p;
    if f.prev == usize::MAX || f.prev == 0 || p.first < 2 {
        return false;
    }
    let label = doc.word(f.prev - 1);
    // "Woman's Suffrage March of 1913: 5,000": a gathering named with its year.
    let dated_gathering = doc.kind(f.prev - 1) == Some(Kind::Number)
        && f.prev >= f.lo + 2
        && matches!(doc.word(f.prev - 2), "of" | "in")
        && (f.lo..f.prev - 2).any(|k| doc.is(k, &lexicon::GATHERING_NOUNS));
    // "...: Participants 600,000": a crowd word labels the figure after a colon.
    let crowd_label = doc.tokens[f.prev].capitalized
        && (lexicon::LIST_LABELS.contains(f.prev_word)
            || lexicon::crowd_noun(f.prev_word) == Some(Crowd::Strong))
        && doc.raw(f.prev - 1) == ":";
    if crowd_label
        && (matches!(doc.raw(p.end), "" | ";" | "." | "," | "(")
            || doc.kind(p.end).is_none()
            || doc.tokens.get(p.end).is_some_and(|t| t.newlines_before > 0))
    {
        return true;
    }
    let label_ok = dated_gathering
        || doc.tokens[f.prev - 1].capitalized && doc.kind(f.prev - 1) == Some(Kind::Word)
        || f.prev_raw == ":" && label_names_a_crowd(doc, f.lo, f.prev)
        // "Update (4/16/2009): 3,000+;": a label with a remark in parentheses.
        || doc.raw(f.prev - 1) == ")"
            && (f.prev.saturating_sub(9).max(f.lo)..f.prev - 1)
                .rev()
                .find(|&k| doc.raw(k) == "(")
                .is_some_and(|k| {
                    k > f.lo && doc.kind(k - 1) == Some(Kind::Word) && doc.tokens[k - 1].capitalized
                })
        || lexicon::LIST_LABELS.contains(label)
        || doc.raw(f.prev - 1) == "." && doc.tokens[f.prev.saturating_sub(2)].capitalized;
    // "| Seattle | 70,000 |": a table row.
    let sep = matches!(f.prev_raw, ":" | "|") || doc.is_dash(f.prev) && !doc.adjacent(f.p.first);
    let ends_item = matches!(doc.raw(p.end), "" | "(" | ";" | "." | "," | "|")
        || doc.kind(p.end).is_none()
        || doc.tokens.get(p.end).is_some_and(|t| t.newlines_before > 0);
    // "St. Paul, 80,000 (even though...": a place, a comma and the figure, in a list.
    let comma_item = f.prev_raw == ","
        && doc.tokens[f.prev - 1].capitalized
        && matches!(doc.raw(p.end), ";" | "(" | "." | "")
        && (f.lo..f.prev).any(|k| matches!(doc.raw(k), ":" | ";"));
    // "Attendance: 150-200 Parade Route: ...": a turnout label's figure, then the next
    // label of a run-together list.
    let next_label = lexicon::LIST_LABELS.contains(label)
        && doc
            .tokens
            .get(p.end)
            .is_some_and(|t| t.capitalized && t.kind == Kind::Word);
    label_ok && sep && (ends_item || next_label) || comma_item
}

/// "low: 3,500; mean: 5,000; high: 6,800": the bounds of one estimate as labels, in a
/// sentence about a crowd or with both a low and a high label (a weather forecast's
/// "high: 75, low: 58" is neither).
fn is_bound_line(f: &Figure, context: SentenceContext) -> bool {
    let doc = f.doc;
    let bound = |k: usize| doc.is(k, &lexicon::BOUND_LABELS);
    if f.prev_raw != ":" || f.prev <= f.lo || !bound(f.prev - 1) {
        return false;
    }
    let labels = |w: &str| (f.lo..f.hi).any(|k| doc.word(k) == w && doc.raw(k + 1) == ":");
    context.crowd_words || labels("low") && labels("high") && f.p.low >= 200
}

/// Headline shorthand and asides: "Over 70K in Seattle", "350K at March", "15,000 in
/// Tempe last night", "(3,000-4,000 in Fresno, 600 in Clovis)": a figure opening its
/// sentence or aside, straight before "in" or "at" and a capitalized name.
fn is_headline_figure(f: &Figure, context: SentenceContext) -> bool {
    let doc = f.doc;
    let p = f.p;
    let suffix = doc.word(p.number_end.wrapping_sub(1));
    let shorthand = lexicon::multiplier_suffix(suffix).is_some() || p.low >= 100;
    shorthand
        && matches!(f.after, "in" | "at")
        && doc
            .tokens
            .get(p.end + 1)
            .is_some_and(|t| t.capitalized && t.kind == Kind::Word)
        && lexicon::month_number(doc.word(p.end + 1)).is_none()
        && (p.first == f.lo
            || matches!(f.prev_raw, "(" | ":" | ";")
            || f.prev_raw == "," && context.earlier_crowd)
}

/// "Hundreds convene at Capitol", "Around 500 represent ..." : a figure opening a
/// headline line (no full stop ends it) and a plain verb right after it, which the
/// lexicon need not know: a word that is no noun of the figure, no stop word, no
/// verb that counts people for another reason (`HEADLINE_OTHER_VERBS`: "lose",
/// "face", "flee") and has no third-person "-s". "Thousands plan to march" is an
/// intent (a verb and "to" and a verb).
fn is_headline_verb(f: &Figure) -> bool {
    let p = f.p;
    (p.vague.is_some() || p.qualifier.is_some() || p.low >= 100)
        && opens_headline(f)
        && f.doc.kind(p.end) == Some(Kind::Word)
        // "Hundreds hold vigil for victims": "hold" is no plain verb ("hold" of
        // detainees), but a gathering as its object makes it one.
        && (plain_verb(f.doc, p.end) || holds_a_gathering(f.doc, p.end))
}

/// "Hundreds railed against Andy Harris on Saturday": a vague figure opening its
/// sentence and a past verb right after it that the lexicon need not know (the same
/// word tests as a headline's plain verb; "Thousands tuned in" and "Hundreds fled"
/// count people for another reason).
fn is_opening_past_verb(f: &Figure) -> bool {
    let p = f.p;
    p.vague.is_some()
        && p.first == f.lo
        && f.after.len() > 4
        && f.after.ends_with("ed")
        && f.doc.kind(p.end + 1) == Some(Kind::Word)
        && plain_verb(f.doc, p.end)
}

/// The figure opens a line (or the text) that no full stop ends: a headline.
fn opens_headline(f: &Figure) -> bool {
    let doc = f.doc;
    let p = f.p;
    if p.first != f.lo || f.lo != 0 && doc.tokens[f.lo].newlines_before == 0 || p.end + 1 >= f.hi {
        return false;
    }
    let line_end = (p.end + 1..f.hi)
        .find(|&m| doc.tokens[m].newlines_before > 0)
        .unwrap_or(f.hi);
    !matches!(doc.raw(line_end - 1), "." | "?")
}

/// A word at `k` that reads as a headline's plain present verb of a plural subject:
/// no noun of a figure, no stop word, no verb that counts people for another reason
/// (`HEADLINE_OTHER_VERBS`: "lose", "face", "flee"), no third-person "-s", and not an
/// intent ("plan to march": a verb, "to" and a lowercase verb).
fn plain_verb(doc: &Doc, k: usize) -> bool {
    let w = doc.word(k);
    let intent = doc.word(k + 1) == "to"
        && doc.kind(k + 2) == Some(Kind::Word)
        && !doc.tokens[k + 2].capitalized;
    doc.kind(k) == Some(Kind::Word)
        && w.len() > 2
        && (!w.ends_with('s') || w.ends_with("ss"))
        && doc.raw(k + 1) != "."
        && !intent
        && !doc.is(k, &lexicon::STOP_WORDS)
        && !doc.is(k, &lexicon::HEADLINE_OTHER_VERBS)
        && !doc.is(k, &lexicon::NEGATIVE_VERBS)
        && !doc.is(k, &lexicon::NEGATIVE_CONTEXT)
        && !doc.is(k, &lexicon::DASH_UNITS)
        && !lexicon::negative_noun(w)
        && lexicon::crowd_noun(w).is_none()
        && !lexicon::person_like(w)
        && lexicon::month_number(w).is_none()
}

/// "These included over 200,000 in New York and over 100,000 in Philadelphia": crowds
/// just spoken of (a pronoun or a crowd noun before "included") and a figure with its
/// place.
fn included_in_place(f: &Figure) -> bool {
    let doc = f.doc;
    matches!(f.prev_word, "included" | "include" | "includes")
        && f.prev > f.lo
        && {
            let s = doc.word(f.prev - 1);
            matches!(
                s,
                "these" | "those" | "they" | "which" | "that" | "this" | "it"
            ) || lexicon::crowd_noun(s) == Some(Crowd::Strong)
                || lexicon::gathering_noun(s)
        }
        && f.after == "in"
        && doc.tokens.get(f.p.end + 1).is_some_and(|t| t.capitalized)
}

/// "breaking her previous record of about 17,000 in Greensboro": a record crowd, the
/// figure ending its clause or followed by its place.
fn is_record_of(f: &Figure) -> bool {
    let doc = f.doc;
    f.prev_word == "of"
        && f.prev > f.lo
        && doc.word(f.prev - 1) == "record"
        && (matches!(f.after, "in" | "at" | "set")
            || matches!(doc.raw(f.p.end), "." | "," | ";" | "")
            || doc.kind(f.p.end).is_none())
}

/// "New York City had almost 200,000", "every other major city saw over 10,000",
/// "crowds swelled to 150,000": a place or crowd as subject, a verb of size, then a
/// figure with no noun.
fn is_place_verb_figure(f: &Figure) -> bool {
    let doc = f.doc;
    let p = f.p;
    let verb_at = if f.prev_word == "to" && f.prev > f.lo {
        f.prev - 1
    } else {
        f.prev
    };
    // "a handful of people turned into hundreds": a crowd growing into the figure.
    let grew_into = f.prev_word == "into"
        && f.prev > f.lo
        && matches!(
            doc.word(f.prev - 1),
            "turned" | "grew" | "swelled" | "ballooned"
        );
    if grew_into {
        return true;
    }
    if verb_at == usize::MAX || !doc.is(verb_at, &lexicon::HEADLINE_VERBS) {
        return false;
    }
    let subject = (verb_at.saturating_sub(3).max(f.lo)..verb_at).any(|k| {
        doc.tokens[k].capitalized
            && doc.kind(k) == Some(Kind::Word)
            && !doc.has(k, lexicon::SOURCE_START)
            || doc.is(k, &lexicon::HEADLINE_SUBJECTS)
    });
    subject && (p.qualifier.is_some() || p.low >= 1000 || p.vague.is_some())
}

/// "put the Washington, D.C., march and rally at 500,000", "pegged the crowd at
/// 5,000": a verb of estimating, the thing estimated, "at" and the figure.
fn is_put_at(f: &Figure) -> bool {
    let doc = f.doc;
    // "put the number closer to 400,000", "placed it near 2,000".
    let nearer = |k: usize| doc.is(k, &lexicon::NEARNESS_WORDS);
    // "had estimated the crowds on the three streets as over a million": "as" after
    // a crowd or another object of estimating.
    let as_crowd = f.prev_word == "as"
        && (f.prev.saturating_sub(9).max(f.lo)..f.prev).any(|k| {
            lexicon::crowd_noun(doc.word(k)) == Some(Crowd::Strong)
                || lexicon::PUT_OBJECTS.contains(doc.word(k))
        });
    let at = f.prev_word == "at"
        || as_crowd
        || f.prev_word == "to" && nearer(f.prev.wrapping_sub(1))
        || f.prev_word == "near"
        // The reader keeps "closer to" as the figure's qualifier.
        || f.p.qualifier.is_some_and(|(s, _)| nearer(s))
            && lexicon::PUT_OBJECTS.contains(f.prev_word);
    at && (f.prev.saturating_sub(9).max(f.lo)..f.prev).any(|k| doc.is(k, &lexicon::PUTTING_VERBS))
}

/// "they were already at 3,500", "attendance was at 900 by noon": a crowd (or a
/// pronoun for one, in a sentence about a gathering) standing at a figure.
fn were_at(f: &Figure, context: SentenceContext) -> bool {
    let doc = f.doc;
    if f.prev_word != "at" || f.prev <= f.lo + 1 || f.p.low < 20 {
        return false;
    }
    let mut v = f.prev - 1;
    while v > f.lo && matches!(doc.word(v), "already" | "still" | "now" | "just" | "only") {
        v -= 1;
    }
    if !matches!(doc.word(v), "were" | "was" | "stood" | "is" | "are") || v == f.lo {
        return false;
    }
    let s = doc.word(v - 1);
    lexicon::FIGURE_PRONOUNS.contains(s) && !matches!(s, "it" | "that" | "figure" | "number")
        || matches!(s, "they" | "we")
            && (context.crowd_words || (f.lo..f.hi).any(|k| doc.is(k, &lexicon::GATHERING_NOUNS)))
}

/// "Estimates of the march range from 87,000 to 650,000": the spread of a gathering's
/// estimates, not of many gatherings' sizes.
fn estimates_range(f: &Figure) -> bool {
    let doc = f.doc;
    // The reader takes "from" into the range: the verb is right before the phrase.
    let verb = if f.prev_word == "from" {
        f.prev.wrapping_sub(1)
    } else {
        f.prev
    };
    verb != usize::MAX
        && verb > f.lo
        && (f.prev_word == "from" || doc.word(f.p.first) == "from")
        && doc.is(verb, &lexicon::SPREAD_VERBS)
        && (f.lo..verb).any(|k| {
            let w = doc.word(k);
            lexicon::ESTIMATE_NOUNS.contains(w.strip_suffix('s').unwrap_or(w))
        })
}

/// "an anti-war protest at about 500,000, an LGBT march ...": a gathering, "at" and a
/// figure that ends its clause.
fn gathering_at(f: &Figure) -> bool {
    let doc = f.doc;
    f.prev_word == "at"
        && f.prev > f.lo
        && doc.is(f.prev - 1, &lexicon::GATHERING_NOUNS)
        && (f.p.qualifier.is_some() || f.p.low >= 100)
        && matches!(doc.raw(f.p.end), "," | "." | ";" | ")" | "")
}

/// "an LGBT protest for equal rights (300,000-1 million)": a figure alone in
/// parentheses right after words that name a gathering.
fn is_gathering_parenthesis(f: &Figure) -> bool {
    let doc = f.doc;
    f.prev_raw == "("
        && doc.raw(f.p.end) == ")"
        && f.p.low >= 100
        && f.prev > f.lo
        && (f.prev.saturating_sub(6).max(f.lo)..f.prev)
            .rev()
            .take_while(|&k| !matches!(doc.raw(k), "(" | ")"))
            .find(|&k| doc.is(k, &lexicon::GATHERING_NOUNS))
            // "number of local protests (~ 1400)": the figure counts the gatherings.
            .is_some_and(|g| !(g.saturating_sub(3).max(f.lo)..g).any(|k| doc.word(k) == "number"))
}

/// "before the remaining 100 or so decided to occupy the street": what was left of a
/// crowd counted in the sentence.
fn is_the_remaining(f: &Figure, context: SentenceContext) -> bool {
    (context.earlier_crowd || context.crowd_words)
        && f.prev_word == "remaining"
        && f.doc.word(f.prev.wrapping_sub(1)) == "the"
}

/// "the march was as big as 9,000", "attendance was 5,000": a gathering or a word for
/// its size as the subject of "was", then the figure.
fn crowd_was(f: &Figure) -> bool {
    let doc = f.doc;
    if !matches!(f.prev_word, "was" | "is" | "were") || f.prev <= f.lo {
        return false;
    }
    let s = doc.word(f.prev - 1);
    (lexicon::gathering_noun(s)
        || lexicon::FIGURE_PRONOUNS.contains(s)
            && !matches!(s, "it" | "that" | "figure" | "number"))
        && !lexicon::negative_noun(f.after)
}

/// "Of those arrested, 18 are residents": a sentence opened by a part of a group
/// that is no crowd (the arrested, the injured), then a comma.
fn of_a_group_first(f: &Figure) -> bool {
    let doc = f.doc;
    doc.word(f.lo) == "of"
        && (f.lo + 1..(f.lo + 6).min(f.p.first))
            .take_while(|&k| doc.raw(k) != ",")
            .any(|k| {
                doc.is(k, &lexicon::NEGATIVE_CONTEXT)
                    || doc.is(k, &lexicon::NEGATIVE_VERBS)
                    || lexicon::negative_noun(doc.word(k))
            })
}

/// "There were about 1300 at the beginning": "there were" and a figure; "A station
/// said dozens. There are thousands.": "there are" after a sentence with a crowd size.
fn is_there_were(f: &Figure, context: SentenceContext) -> bool {
    let doc = f.doc;
    (matches!(f.prev_word, "were" | "was")
        || context.previous_crowd && matches!(f.prev_word, "are" | "is"))
        && f.prev > f.lo
        && doc.word(f.prev - 1) == "there"
        && !lexicon::negative_noun(f.after)
}

/// "A station reported dozens. More like a few hundred.": after a sentence with a
/// crowd size, a sentence that is only a hedge (`lexicon/fragment-hedges.txt`) and a
/// figure corrects or restates that crowd.
fn is_hedged_fragment(f: &Figure, context: SentenceContext) -> bool {
    let doc = f.doc;
    let p = f.p;
    // "'We had thousands of people outside. Thousands,' he said": the fragment may
    // close a quote.
    let quote_ends = doc.raw(p.end) == "," && is_quote_mark(doc, p.end + 1);
    context.previous_crowd
        && (f.lo..p.first).all(|k| doc.is(k, &lexicon::FRAGMENT_HEDGES) || is_quote_mark(doc, k))
        && (p.end >= f.hi || matches!(doc.raw(p.end), "." | "!" | "?") || quote_ends)
}

/// "from Portland's tens of thousands to ...", "NYC's 100,000 across five boroughs":
/// a capitalized possessive right before a figure with no noun, in a sentence about a
/// crowd (or after one): that place's crowd.
fn is_place_possessive(f: &Figure, context: SentenceContext) -> bool {
    let doc = f.doc;
    let raw = f.prev_raw;
    f.prev != usize::MAX
        && f.prev >= f.lo
        && doc.tokens[f.prev].capitalized
        && (raw.ends_with("'s") || raw.ends_with("\u{2019}s") || raw.ends_with("s'"))
        && !doc.has(f.prev, lexicon::SOURCE_START)
        && (context.crowd_words || context.earlier_crowd || context.previous_crowd)
        && (f.p.vague.is_some() || f.p.low >= 100)
}

/// A year: a four-digit figure with no qualifier and nothing saying it is a crowd, or
/// one naming a gathering ("the 2017 march", "the 2020 Women's March").
fn is_year(f: &Figure, back: LookBack) -> bool {
    let p = f.p;
    // "The 3000-person march": a figure glued to a crowd word is no year.
    let glued_crowd = f.doc.is_dash(p.end)
        && f.doc.adjacent(p.end)
        && lexicon::DASH_CROWD_WORDS.contains(f.doc.word(p.end + 1));
    if glued_crowd {
        return false;
    }

    if p.yearlike && !back.crowd_before && p.qualifier.is_none() {
        return true;
    }
    // "approximately 25,000 more than 2007": a difference from an earlier year, the
    // comparative read as the year's qualifier.
    let doc = f.doc;
    if p.yearlike
        && (1900..=2100).contains(&p.low)
        && p.qualifier.is_some_and(|(s, e)| {
            doc.word(e - 1) == "than" && s > f.lo && doc.kind(s - 1) == Some(Kind::Number)
        })
    {
        return true;
    }
    p.yearlike
        && (1900..=2100).contains(&p.low)
        && (lexicon::gathering_noun(f.after)
            || f.doc.tokens.get(p.end).is_some_and(|t| t.capitalized)
            || f.after == "'s")
}

/// "rallies nationwide, which numbered from hundreds to 1,000+", "events ranged from
/// a dozen to 500": the spread of many gatherings' sizes, no one gathering's size.
fn is_per_event_range(f: &Figure) -> bool {
    let doc = f.doc;
    let p = f.p;
    // The ends of a spread: "from hundreds", "to 1,000+", "between a dozen and 500".
    if !matches!(f.prev_word, "from" | "to" | "between" | "and") {
        return false;
    }
    let verb =
        (p.first.saturating_sub(6).max(f.lo)..p.first).find(|&k| doc.is(k, &lexicon::SPREAD_VERBS));
    // "ranged in size from a few people in rural Kansas to 200,000 in Manhattan": ends
    // that name their own places are gatherings' sizes.
    let placed = || {
        (p.end..(p.end + 8).min(f.hi)).any(|k| {
            matches!(doc.word(k), "in" | "at")
                && (k + 1..(k + 4).min(f.hi))
                    .any(|m| doc.kind(m) == Some(Kind::Word) && doc.tokens[m].capitalized)
        })
    };
    verb.is_some_and(|v| {
        (v.saturating_sub(5).max(f.lo)..v).any(|k| doc.is(k, &lexicon::EVENT_NOUNS))
    }) && !placed()
}

/// "to get one million people into the streets": a goal. "swelled to 10,000" and
/// "estimated to have had 250,000" are not.
fn is_goal(f: &Figure) -> bool {
    let doc = f.doc;
    let p = f.p;
    (p.first.saturating_sub(3).max(f.lo)..p.first).any(|k| {
        doc.word(k) == "to"
            && !doc.is(k.wrapping_sub(1), &lexicon::RISING_VERBS)
            && doc.is(k + 1, &lexicon::GOAL_VERBS)
            // "estimated to have numbered 200,000", "to have drawn 5,000": a past size.
            && !(doc.word(k + 1) == "have" && is_participle(doc.word(k + 2)))
    })
}

/// A participle after "being": "held", "processed", "taken", "sent" (something done
/// to people, not a gathering).
fn done_to(w: &str) -> bool {
    is_participle(w)
        || w.len() > 4 && w.ends_with("en")
        || matches!(
            w,
            "held" | "kept" | "sent" | "brought" | "led" | "put" | "bused"
        )
}

/// A past participle after "have": "had", "been", "numbered", "drawn".
fn is_participle(w: &str) -> bool {
    matches!(w, "had" | "been" | "drawn" | "grown" | "seen")
        || w.len() > 4 && w.ends_with("ed") && w.bytes().all(|b| b.is_ascii_lowercase())
}
