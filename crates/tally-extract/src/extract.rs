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
use crate::lexicon;
use crate::number::{self, Doc, Phrase};
use crate::rules::{classify, is_scuffle, SentenceContext, Verdict};
use crate::token::{self, Kind};
use crate::{date, place};
use crate::{Diagnostic, ExtractOptions, Extraction, FoundEstimate, PlaceFrom};
use chrono::Datelike;
use tally_model::{Attribution, Scope};

/// A sentence with crowd figures: its index, whether it counts events, and its
/// figures' range in the list of all crowd figures.
struct CrowdSentence {
    s_index: usize,
    sentence_events: bool,
    figures: std::ops::Range<usize>,
}

/// One crowd figure before attribution is settled.
struct Candidate {
    phrase: Phrase,
    skip_to: usize,
    /// A figure standing as its own sentence, explained by the next one (`figure_lede`):
    /// its source is named there.
    lede: bool,
    /// A part of a gathering's crowd counted on its own (`Verdict::Crowd::part`).
    part: bool,
}

/// The working vectors of `extract`, kept from one call to the next on the same thread
/// (`BUFFERS`) so that a call allocates little besides its answer: a text of one
/// passage costs about as much to set up as to read.
#[derive(Default)]
struct Buffers {
    lower: String,
    tokens: Vec<token::Token>,
    doc: number::DocBuffers,
    sentences: Vec<(usize, usize)>,
    in_date: Vec<bool>,
    bare_years: Vec<usize>,
    crowd_sentence: Vec<bool>,
    phrases: Vec<(usize, Phrase)>,
    candidates: Vec<Candidate>,
    figures: Vec<Candidate>,
    crowd_groups: Vec<CrowdSentence>,
    leads: Vec<(usize, Phrase)>,
    cues: Vec<attribution::Cue>,
    cue_ranges: Vec<std::ops::Range<usize>>,
    starts: Vec<usize>,
    clauses: attribution::Clauses,
    found_at: Vec<(usize, usize)>,
    figure_starts: Vec<usize>,
    /// The label of the coding rules of the last call ("design@1") and the rules'
    /// name and version: formatted once per thread, not once per call (a call of one
    /// passage with a vague figure paid a `format!` for it).
    rules_label: Option<(String, u32, String)>,
}

thread_local! {
    static BUFFERS: std::cell::Cell<Option<Box<Buffers>>> = const { std::cell::Cell::new(None) };
}

/// The tokens of a run of sentences that `extract` reads pass by pass (see
/// `extract_with`): far more than a news article has (about 250 a kilobyte).
const RUN_TOKENS: usize = 4096;

/// The tokens after a sentence whose word classes its rules' gates see too
/// (`SentenceContext::classes`).
const GATE_MARGIN: usize = 6;

/// Buffers that grew past this many bytes (a text of a few hundred kilobytes) are
/// freed after the call rather than kept for the thread's life.
const KEEP_BUFFERS: usize = 8 << 20;

pub fn extract(text: &str, options: &ExtractOptions) -> Extraction {
    let mut buffers = BUFFERS.with(std::cell::Cell::take).unwrap_or_default();
    let out = extract_with(text, options, &mut buffers);
    let held = buffers.tokens.capacity() * std::mem::size_of::<token::Token>()
        + buffers.doc.capacity()
        + buffers.lower.capacity();
    if held <= KEEP_BUFFERS {
        BUFFERS.with(|b| b.set(Some(buffers)));
    }
    out
}

fn extract_with(text: &str, options: &ExtractOptions, buffers: &mut Buffers) -> Extraction {
    let Buffers {
        lower,
        tokens,
        doc: doc_buffers,
        sentences,
        in_date,
        bare_years,
        crowd_sentence,
        phrases,
        candidates,
        figures,
        crowd_groups,
        leads,
        cues: all_cues,
        cue_ranges,
        starts,
        clauses,
        found_at,
        figure_starts,
        rules_label: label_cache,
    } = buffers;
    lower.clear();
    lower.push_str(text);
    lower.make_ascii_lowercase();
    token::tokenize_into(text, tokens);
    let mut doc = Doc::with_buffers(text, lower, tokens, std::mem::take(doc_buffers));
    doc.publication_date = options.publication_date;
    token::sentences_into(text, lower, tokens, sentences);
    let mut diagnostics = Vec::new();

    // Sized once for a figure every sixteen tokens (the densest texts have one every
    // eighteen or so): a long text's estimates are not grown by doubling, each step a
    // copy into fresh pages (a 10 MB line has 103,000 of 152 bytes). What is not used
    // is given back at the end when it is most of it.
    let mut found: Vec<FoundEstimate> = Vec::with_capacity(tokens.len() / 16);
    // For each estimate of `found`: the token of its phrase and its sentence, kept so
    // that the passes below need no binary search over the tokens.
    found_at.clear();
    found_at.reserve(found.capacity());
    let mut event_counts: Vec<u64> = Vec::new();
    // The sentences with a crowd figure.
    crowd_sentence.clear();
    crowd_sentence.resize(sentences.len(), false);
    candidates.clear();
    // The crowd figures of all sentences of a run, sentence by sentence, and the
    // sentences that have some (`CrowdSentence`): the figures of the run are found
    // first and attributed after, so that each pass runs its own code over every
    // sentence of it (the rules and the attribution together are far larger than the
    // instruction cache).
    // `starts` and `clauses` hold the first tokens of a crowd sentence's figures and
    // its clause breaks, one sentence at a time. `leads` holds the figures with no
    // noun of their own joined by "and"/"or" to the next figure: (the next figure's
    // first token, the figure).
    leads.clear();
    // Dates are read first so that their numbers ("June 14, 2025") are never figures.
    let dates = date::find_dates(&doc, options.publication_date);
    in_date.clear();
    in_date.resize(tokens.len(), false);
    for d in &dates {
        for flag in &mut in_date[d.at..d.end.min(tokens.len())] {
            *flag = true;
        }
    }
    // The numbers of four digits outside dates, in text order: the only tokens that
    // `figure_date` can read as a year naming a gathering, found there by position
    // rather than by a scan of every figure's clause.
    bare_years.clear();
    bare_years.extend((0..tokens.len()).filter(|&k| {
        let t = &tokens[k];
        t.kind == Kind::Number && t.end - t.start == 4 && !in_date[k]
    }));

    // The text is read in runs of whole sentences of about `RUN_TOKENS` tokens, each
    // pass below (phrases, their judging, cues, attribution) over a whole run before the
    // next: a run is long enough for each pass to keep its code in the instruction cache,
    // and the passes' vectors hold one run, not a long text's every phrase (a 10 MB line
    // has 165,000). No pass depends on the runs: each reads a sentence and its
    // neighbours in the whole text.
    let mut run_start = 0;
    while run_start < sentences.len() {
        let first_token = sentences[run_start].0;
        let run_end = run_start
            + 1
            + sentences[run_start + 1..].partition_point(|&(_, hi)| hi - first_token <= RUN_TOKENS);
        let run = run_start..run_end;
        run_start = run_end;

        // The number phrases of every sentence of the run, read first, in text order:
        // (sentence, phrase). Which phrases there are does not depend on how they are
        // judged.
        phrases.clear();
        for (s_index, &(lo, hi)) in sentences.iter().enumerate().take(run.end).skip(run.start) {
            let mut i = lo;
            while i < hi {
                if !number::may_start_quantity(&doc, i) || in_date[i] {
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
                i = phrase.end.max(i + 1);
                phrases.push((s_index, phrase));
            }
        }

        // The figures of each sentence with phrases, judged in order.
        // At most one figure and one crowd sentence per phrase.
        figures.clear();
        crowd_groups.clear();
        figures.reserve_exact(phrases.len());
        crowd_groups.reserve_exact(phrases.len());
        // (Read in place, by index: a phrase is about a hundred bytes, and a draining,
        // peeking iterator moved each one several times.)
        let mut next_phrase = 0;
        while let Some(&(s_index, _)) = phrases.get(next_phrase) {
            let (lo, hi) = sentences[s_index];
            candidates.clear();
            leads.clear();
            let mut sentence_events = false;
            // Computed on the first figure of the sentence: most sentences have none.
            let mut crowd_words: Option<bool> = None;
            let mut non_political: Option<bool> = None;
            // Every word class of the sentence and of the few tokens after it (a rule
            // may read a word or two past its sentence's end: "were kept
            // from\n\nentering"), for the rules' gates (`Figure::needs`).
            // (With every flag of the sentence's words, read in the same pass: a
            // sentence with no crowd word or no venue is known without a scan.)
            let (mut classes, sentence_flags) = doc.sets_in(lo, hi);
            lexicon::add_classes(
                &mut classes,
                &doc.classes_in(hi, (hi + GATE_MARGIN).min(tokens.len())),
            );
            while let Some((_, phrase)) = phrases.get(next_phrase).filter(|(s, _)| *s == s_index) {
                next_phrase += 1;
                let crowd_words = *crowd_words
                    .get_or_insert_with(|| sentence_flags & u16::from(lexicon::CROWD_WORD) != 0);
                let non_political = *non_political.get_or_insert_with(|| {
                    if sentence_flags & u16::from(lexicon::VENUE) == 0 {
                        return false;
                    }
                    // Most sentences name no venue: check that first.
                    // "the Greater Columbus Convention Center" names a building, not a
                    // convention: a venue word inside a name that a venue suffix ends.
                    let building = |k: usize| {
                        doc.tokens[k].capitalized
                            && doc.tokens.get(k + 1).is_some_and(|t| t.capitalized)
                            && doc.is(k + 1, &lexicon::VENUE_SUFFIXES)
                    };
                    // "what turned into a shouting match" is a scuffle, no game.
                    if !(lo..hi)
                        .any(|k| doc.has(k, lexicon::VENUE) && !building(k) && !is_scuffle(&doc, k))
                    {
                        return false;
                    }
                    !(lo..hi).any(|k| {
                        doc.is(k, &lexicon::GATHERING_NOUNS)
                            && !doc.is(k, &lexicon::NON_POLITICAL_EXCEPTIONS)
                            || doc.is(k, &lexicon::POLITICAL_WORDS)
                    })
                });
                let context = SentenceContext {
                    non_political,
                    crowd_words,
                    earlier_crowd: !candidates.is_empty(),
                    previous_crowd: s_index > 0 && crowd_sentence[s_index - 1],
                    classes,
                };
                match classify(&doc, lo, hi, phrase, context) {
                    Verdict::Crowd { skip_to, part } => candidates.push(Candidate {
                        phrase: phrase.clone(),
                        skip_to,
                        lede: false,
                        part,
                    }),
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
                    Verdict::Other => {
                        let skip_to = phrase.end;
                        if figure_lede(&doc, lo, hi, phrase, sentences.get(s_index + 1)) {
                            candidates.push(Candidate {
                                phrase: phrase.clone(),
                                skip_to,
                                lede: true,
                                part: false,
                            });
                        } else if let Some(partner) = shares_the_noun(&doc, hi, phrase) {
                            leads.push((partner, phrase.clone()));
                        }
                    }
                }
            }
            // "hundreds and, in some places, tens of thousands of people took to the
            // streets": a figure joined to the next one shares its noun and verb.
            for (partner, phrase) in leads.drain(..) {
                if let Some(at) = candidates
                    .iter()
                    .position(|c| !c.lede && c.phrase.first == partner)
                {
                    let skip_to = phrase.end;
                    candidates.insert(
                        at,
                        Candidate {
                            phrase,
                            skip_to,
                            lede: false,
                            part: false,
                        },
                    );
                }
            }
            if candidates.is_empty() {
                continue;
            }
            join_low_and_high(&doc, lo, candidates);
            crowd_sentence[s_index] = true;
            crowd_groups.push(CrowdSentence {
                s_index,
                sentence_events,
                figures: figures.len()..figures.len() + candidates.len(),
            });
            figures.append(candidates);
        }

        // The source cues of every crowd sentence, read in a pass of their own too.
        all_cues.clear();
        cue_ranges.clear();
        for group in crowd_groups.iter() {
            let (lo, hi) = sentences[group.s_index];
            let start = all_cues.len();
            all_cues.extend(attribution::cues(&doc, lo, hi));
            cue_ranges.push(start..all_cues.len());
        }

        found.reserve(figures.len());
        found_at.reserve(figures.len());
        for (group, cue_range) in crowd_groups.iter().zip(cue_ranges.iter().cloned()) {
            let s_index = group.s_index;
            let sentence_events = group.sentence_events;
            let (lo, hi) = sentences[s_index];
            let candidates = &figures[group.figures.clone()];
            let cues = &all_cues[cue_range];
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
            starts.clear();
            starts.extend(candidates.iter().map(|c| c.phrase.first));
            clauses.fill(&doc, lo, hi, starts.len());
            // The sources that the sentences after and before can give a figure that
            // names none: the same for every figure of the sentence, so read at most once.
            let mut source_after: Option<Option<Attribution>> = None;
            let mut source_before: Option<Option<Attribution>> = None;
            // The sentence before can say who is speaking ("I attended the vigil."), and
            // so can the sentence after ("Seemed to me ..."): read once per sentence, only
            // when one of its figures names no source.
            let mut first_person_context = None;
            // The source of the sentence's figure before, for a figure that itemizes it.
            let mut before: Option<Attribution> = None;
            for c in candidates {
                let p = &c.phrase;
                // The speaker of the figure's clause decides where the sentence's
                // structure names one; the nearest cue otherwise.
                let who = attribution::speaker::speaker_of(
                    &doc, cues, p.first, c.skip_to, starts, clauses,
                )
                .unwrap_or_else(|| {
                    attribution::choose(
                        &doc,
                        cues,
                        p.first,
                        c.skip_to,
                        previous_source,
                        starts,
                        clauses,
                    )
                });
                // "about 5 million across the country, including 750,000 in Los Angeles":
                // a part named after "including" is counted by the whole's source.
                let who = match before {
                    Some(whole)
                        if who == Attribution::Unknown
                            && attribution::itemizes(&doc, lo, p.first, clauses) =>
                    {
                        whole
                    }
                    _ => who,
                };
                let who = match sentences.get(s_index + 1) {
                    Some(&(next_lo, next_hi)) if c.lede => {
                        attribution::cues(&doc, next_lo, next_hi)
                            .iter()
                            .find(|c| c.validated && c.who != Attribution::Unknown)
                            .map_or(Attribution::Media, |c| c.who)
                    }
                    // "More than a million marched. The figure comes from the organizers."
                    Some(&(next_lo, next_hi)) if who == Attribution::Unknown => source_after
                        .get_or_insert_with(|| attribution::source_after(&doc, next_lo, next_hi))
                        .unwrap_or(who),
                    _ => who,
                };
                // "The NYPD posted on X:\nWe had more than 100,000 people ...".
                let who = match s_index.checked_sub(1).map(|k| sentences[k]) {
                    Some((prev_lo, prev_hi)) if who == Attribution::Unknown => source_before
                        .get_or_insert_with(|| attribution::source_before(&doc, prev_lo, prev_hi))
                        .unwrap_or(who),
                    _ => who,
                };
                // No source named: the outlet's own voice, unless hedged (DESIGN.md).
                let who = if who == Attribution::Unknown {
                    let context = *first_person_context.get_or_insert_with(|| {
                        attribution::FirstPersonContext::new(
                            &doc,
                            sentences[s_index.saturating_sub(1)].0,
                            sentences.get(s_index + 1).map_or(hi, |s| s.1),
                        )
                    });
                    attribution::unnamed_source(
                        &doc, cues, context, lo, hi, p.first, c.skip_to, starts, clauses,
                    )
                } else {
                    who
                };
                let aggregate =
                    attribution::aggregate_clause(&doc, lo, hi, p.first, c.skip_to, clauses)
                        || sentence_events
                            && !attribution_breaks_between_events(&doc, lo, hi, p.first, clauses);
                let scope = if aggregate {
                    Scope::Aggregate
                } else {
                    Scope::Event
                };
                // "We estimated that, at 653 locations, ...", "By our count, ... at 763
                // locations": a count of many gatherings in the first person is a counting
                // project's (data journalists, researchers), not an attendee's.
                let who = if aggregate
                    && matches!(who, Attribution::Participants | Attribution::Media)
                    && attribution::first_person_count(&doc, lo, p.first)
                {
                    Attribution::Researchers
                } else {
                    who
                };
                before = Some(who);
                let estimate = number::phrase_estimate(&doc, p)
                    .with_attribution(who)
                    .with_scope(scope);
                let start = tokens[p.first].start;
                let end = tokens[p.end - 1].end;
                // A figure stated twice (headline and body) is two statements: both kept.
                let rules = estimate.coded_by_rule().then(|| {
                    // (Formatted once per thread: most texts have no such estimate.)
                    rules_label_of(label_cache, &options.rules).to_string()
                });
                found_at.push((p.first, s_index));
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
                    part: c.part,
                });
            }
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
            || (0..tokens.len()).any(|k| doc.is(k, &lexicon::NATIONAL_WORDS)));
    if many_places {
        for (f, &(at, s)) in found.iter_mut().zip(found_at.iter()) {
            if f.estimate.scope() == Scope::Event && f.estimate.low() >= 1_000_000 {
                let own_place = {
                    let (lo, hi) = sentences[s];
                    at < hi
                        && (lo..hi).any(|k| {
                            matches!(doc.word(k), "in" | "at")
                                && doc.tokens.get(k + 1).is_some_and(|t| t.capitalized)
                        })
                };
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
    let section_stops = place::section_stops(&doc, &places);
    // Sentences are in order, so the sentence of a token is a binary search.
    let sentence_of = |at: usize| {
        let s = sentences.partition_point(|(lo, _)| *lo <= at);
        s.checked_sub(1).filter(|&s| at < sentences[s].1)
    };
    // The figures' first tokens, each kept only when it is past all the ones before
    // (all are, the figures being in text order): ascending, so `where_they_gathered`
    // finds the first figure after a token by a binary search, and the first past it
    // in the figures' order is always one of these.
    figure_starts.clear();
    for &(at, _) in found_at.iter() {
        if figure_starts.last().is_none_or(|&last| at > last) {
            figure_starts.push(at);
        }
    }
    for (f, &(at, s)) in found.iter_mut().zip(found_at.iter()) {
        let (sentence_start, sentence_end) = sentences[s];
        // Places named in the figure's sentence (nearest first), else the last one
        // before it. `places` is in text order (the dateline first).
        let from = places.partition_point(|p| p.dateline || p.at < sentence_start);
        let to = places.partition_point(|p| p.dateline || p.at < sentence_end);
        let own = &places[from.min(to)..to];
        // "In Evanston, just north of Chicago, roughly 900 marched": a place that only
        // locates another place of the sentence is nobody's gathering place.
        let located = own
            .iter()
            .any(|p| !p.dateline && !is_reference_point(&doc, p.at));
        let in_sentence =
            where_they_gathered(&doc, own, at, sentence_end, figure_starts).or_else(|| {
                own.iter()
                    .filter(|p| {
                        // A subject place names the figures after it, and a place
                        // opening a later clause names that clause's.
                        let later = p.at > at && (p.subject || in_a_later_clause(&doc, at, p.at));
                        !(p.dateline || later || located && is_reference_point(&doc, p.at))
                    })
                    .min_by_key(|p| p.at.abs_diff(at))
            });
        let before_end = places.partition_point(|p| p.dateline || p.at < at);
        // A place in a headline above the dateline ("... across Vermont\n\nBRATTLEBORO,
        // Vt. \u{2014}") is not the place in force after it: the dateline is.
        let dateline_at = dateline.as_ref().map_or(0, |d| d.at);
        let before = places[..before_end]
            .iter()
            .rev()
            .find(|p| !p.dateline && p.at > dateline_at);
        // A total over many places ("More than 2 million marched in 1,500 towns")
        // takes a place only from its own sentence, never from the dateline or an
        // earlier city's paragraph.
        let aggregate = f.estimate.scope() == Scope::Aggregate;
        // "more than 5 million nationwide, including some 200,000 in New York City": a
        // place after a later figure of the sentence is that figure's, not the total's.
        let in_sentence = in_sentence.filter(|p| {
            !aggregate || p.at < at || {
                let next = figure_starts.partition_point(|&s| s <= at);
                figure_starts.get(next).is_none_or(|&s| s > p.at)
            }
        });
        let (chosen, from) = match (in_sentence, before, dateline.as_ref()) {
            (Some(p), _, _) => (Some(p), PlaceFrom::Sentence),
            _ if aggregate => (None, PlaceFrom::None),
            (None, Some(p), _) => (Some(p), PlaceFrom::Earlier),
            (None, None, Some(p)) => (Some(p), PlaceFrom::Dateline),
            _ => (None, PlaceFrom::None),
        };
        if let Some(p) = chosen {
            f.locality = p.locality.clone();
            f.state = p.state;
            f.place_from = from;
            // "OREGON\n\nIn Portland, ...": a town named without its state in a
            // roundup's state section is that state's.
            if f.state.is_none() && f.locality.is_some() {
                f.state = place::section_state(&section_stops, at);
            }
        }
    }
    let first_event = found.iter().find(|f| f.estimate.scope() == Scope::Event);
    let (locality, state) = match (&dateline, first_event) {
        (Some(d), _) => (d.locality.clone(), d.state),
        // "Eugene, where about 1,800 gathered" under a lede about "towns across Oregon
        // and Washington": a first town named without its state takes the first state
        // the text names, a hint the resolver uses only where that state has the town.
        (None, Some(f)) if f.locality.is_some() || f.state.is_some() => (
            f.locality.clone(),
            f.state.or_else(|| places.iter().find_map(|p| p.state)),
        ),
        _ => places
            .first()
            .map_or((None, None), |p| (p.locality.clone(), p.state)),
    };

    // The date: the first date in a sentence with a crowd figure, else in a sentence
    // about a gathering, else the first date.
    let about_gathering = |s: usize| {
        let (lo, hi) = sentences[s];
        (lo..hi)
            .any(|k| doc.is(k, &lexicon::GATHERING_NOUNS) || doc.is(k, &lexicon::GATHERED_VERBS))
    };
    // "CHICAGO (June 15) \u{2014} Saturday's protests ...": a date in parentheses
    // right after the dateline is the day the story was filed, not the gathering's.
    let filed = |d: &&date::DateMention| {
        dateline.as_ref().is_some_and(|p| {
            d.at > p.at
                && d.at <= p.at + 8
                && doc.raw(d.at - 1) == "("
                && !(p.at..d.at).any(|k| doc.is_dash(k) || doc.raw(k) == "\u{2014}")
        })
    };

    // (A year naming an earlier gathering, "a 2006 rally", is no day of this text.)
    let days = || dates.iter().filter(|d| d.year.is_none());
    let chosen_date = days()
        .filter(|d| !filed(d))
        .find(|d| sentence_of(d.at).is_some_and(|s| crowd_sentence[s]))
        .or_else(|| {
            days()
                .filter(|d| !filed(d))
                .find(|d| sentence_of(d.at).is_some_and(about_gathering))
        })
        .or(days().next());
    let date = chosen_date.and_then(|d| d.date);
    if chosen_date.is_some_and(|d| d.date.is_none() && d.relative) {
        diagnostics.push(Diagnostic {
            offset: chosen_date.map(|d| tokens[d.at].start),
            message: "a relative date needs the publication date (--date)".to_string(),
        });
    }
    let reference = date.or(options.publication_date);
    let reference_year = reference.map(|d| d.year());
    let reference_month = reference.map(|d| d.month());
    for (f, &(at, s)) in found.iter_mut().zip(found_at.iter()) {
        let (lo, hi) = sentences[s];
        let when = figure_date(
            &doc,
            &dates,
            in_date,
            bare_years,
            (lo, hi),
            s.checked_sub(1).map(|p| sentences[p]),
            at,
            reference_year,
            reference_month,
        );
        f.past = when.past;
        f.year = when.year;
        f.date = match when.date {
            Some(d) => Some(d),
            None if when.past => None,
            None => date,
        };
    }
    *doc_buffers = doc.into_buffers();
    Extraction {
        estimates: {
            if found.capacity() > 4 * found.len() + 16 {
                found.shrink_to_fit();
            }
            found
        },
        event_count: event_counts.into_iter().max(),
        locality,
        state,
        date,
        diagnostics,
    }
}

/// The label of `rules` ("design@1"), from `cache` when it holds the same rules' name
/// and version.
fn rules_label_of<'c>(
    cache: &'c mut Option<(String, u32, String)>,
    rules: &tally_model::CodingRules,
) -> &'c str {
    let same = cache
        .as_ref()
        .is_some_and(|(name, version, _)| *name == rules.name && *version == rules.version);
    if !same {
        *cache = Some((rules.name.clone(), rules.version, rules.label()));
    }
    cache.as_ref().map_or("", |(_, _, label)| label.as_str())
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
/// "last year"; else, for a figure whose clause opens with "that" and a gathering
/// ("That march drew 500,000"), the date or year named last before it, in its sentence
/// or the one before (`previous`). A figure is `past` when its year is before
/// `reference_year` (the text's date, else the publication date).
#[allow(clippy::too_many_arguments)]
fn figure_date(
    doc: &Doc,
    dates: &[date::DateMention],
    in_date: &[bool],
    bare_years: &[usize],
    (lo, hi): (usize, usize),
    previous: Option<(usize, usize)>,
    at: usize,
    reference_year: Option<i32>,
    reference_month: Option<u32>,
) -> FigureDate {
    let mut out = FigureDate::default();
    // The figure's clause: commas do not end it ("In 2017, an estimated 175,000
    // joined"), stronger breaks do.
    let strong_break = |k: usize| match doc.kind(k) {
        Some(Kind::Punct) => matches!(doc.raw(k), ";" | ":" | "\u{2014}" | "(" | ")"),
        Some(Kind::Word) => doc.is(k, &lexicon::COMPARISON_BREAKS),
        _ => false,
    };
    // A clause that opens with "when" or "which" belongs to the year before it:
    // "the largest since 2017, when an estimated 175,000 joined", "smaller than at a
    // 2018 march for gun safety, when an estimated 8,000 filled the grounds" (a
    // gathering's name and purpose between the year and "when"). The opener nearest
    // the figure is found in the same walk back to the clause's start.
    let mut start = at;
    let mut opener = None;
    while start > lo && !strong_break(start - 1) {
        start -= 1;
        if opener.is_none() && matches!(doc.word(start), "when" | "which") {
            opener = Some(start);
        }
    }
    let mut stop = at;
    while stop < hi && !strong_break(stop) {
        stop += 1;
    }
    let look_from = opener.map_or(start, |k| k.saturating_sub(8).max(lo));
    // `dates` is in text order: the clause's dates are found by position, not by
    // scanning every date of the text for every figure (a long text has thousands).
    let first = dates.partition_point(|d| d.at < look_from);
    let last = first + dates[first..].partition_point(|d| d.at < stop);
    let explicit = dates[first..last]
        .iter()
        .filter(|d| d.date.is_some())
        .min_by_key(|d| d.at.abs_diff(at));
    let past_year = |y: i32| reference_year.is_some_and(|r| y < r);
    if let Some(d) = explicit {
        out.date = d.date;
        out.past = d.date.is_some_and(|d| past_year(d.year()));
        return out;
    }
    // A year after the figure is the figure's own only when nothing sets it apart:
    // "500,000, rivaling the 1982 rally", "5,000, double the 2002 march" compare the
    // figure with an earlier gathering; "500,000 marched in the 2017 Women's March"
    // dates it.
    let set_apart = |k: usize| {
        k > at && (at..k).any(|m| doc.raw(m) == "," || doc.is(m, &lexicon::SURPASSING_VERBS))
    };
    // "Eugene, where about 1,800 gathered, saw its largest march since 2017": a
    // comparison's starting year, unless the figure is in a clause about that year
    // ("the largest since 2017, when an estimated 175,000 joined"). `k` is the year or
    // the article before it ("since a 2006 rally").
    let since = |k: usize| doc.word(k.wrapping_sub(1)) == "since" && opener.is_none();
    // A year naming a gathering ("a 2006 rally", "the 2017 march": `DateMention::year`).
    let named = dates[first..last]
        .iter()
        .filter_map(|d| d.year.map(|y| (d.at, y)))
        .find(|&(k, _)| !set_apart(k) && !since(k - 1));
    if let Some((_, y)) = named {
        out.year = Some(y);
        out.past = past_year(y);
        return out;
    }
    // (The numbers of four digits outside dates in `[look_from, stop)`: the tokens a
    // scan of the clause would stop at.)
    let from = bare_years.partition_point(|&k| k < look_from);
    for &k in bare_years[from..].iter().take_while(|&&k| k < stop) {
        let raw = doc.raw(k);
        let Ok(y) = raw.parse::<i32>() else { continue };
        if raw.len() != 4 || !(1900..=2100).contains(&y) || set_apart(k) || since(k) {
            continue;
        }
        let before = doc.word(k.wrapping_sub(1));
        let after = doc.word(k + 1);
        let names_year = lexicon::YEAR_NAMING_WORDS.contains(before)
            || lexicon::gathering_noun(after)
            || doc
                .tokens
                .get(k + 1)
                .is_some_and(|t| t.capitalized && t.kind == Kind::Word);
        if names_year {
            out.year = Some(y);
            out.past = past_year(y);
            return out;
        }
    }
    out.past = (start..stop).any(|k| {
        doc.word(k) == "last" && matches!(doc.word(k + 1), "year" | "year's")
            || doc.word(k) == "year" && doc.word(k + 1) == "ago"
            // "Back in April, about 5,000 had rallied" in a June story: a month named
            // without its day, other than the story's own, is an earlier gathering's.
            || k < at
                && matches!(doc.word(k), "in" | "last")
                && doc.tokens.get(k + 1).is_some_and(|t| t.capitalized)
                && doc.kind(k + 2) != Some(Kind::Number)
                // "in March for Our Lives" is a name.
                && !doc.tokens.get(k + 2).is_some_and(|t| t.capitalized)
                && doc.word(k + 2) != "for"
                && lexicon::month_number(doc.word(k + 1))
                    .is_some_and(|m| reference_month.is_some_and(|r| m != r))
    });
    if out.past {
        return out;
    }
    // "... since a 2006 rally for immigration reform. That march drew an estimated
    // 500,000": a clause that opens with "that" and a gathering points back to the
    // gathering named last, whose date or year is the figure's.
    let points_back = doc.word(start) == "that" && lexicon::gathering_noun(doc.word(start + 1));
    if points_back {
        let from = previous.map_or(lo, |(plo, _)| plo);
        let named_before = dates[..dates.partition_point(|d| d.at < start)]
            .iter()
            .rev()
            .take_while(|d| d.at >= from)
            .find(|d| d.date.is_some() || d.year.is_some());
        // Else a bare year that names one ("walked out in the spring of 2018").
        let year_before = || {
            (from..start).rev().find_map(|k| {
                let raw = doc.raw(k);
                let y = raw
                    .parse::<i32>()
                    .ok()
                    .filter(|y| (1900..=2100).contains(y))?;
                let before = doc.word(k.wrapping_sub(1));
                (raw.len() == 4
                    && doc.kind(k) == Some(Kind::Number)
                    && !in_date.get(k).copied().unwrap_or(false)
                    && before != "since"
                    && lexicon::YEAR_NAMING_WORDS.contains(before))
                .then_some((k, y))
            })
        };
        match (named_before, year_before()) {
            (Some(d), bare) if bare.is_none_or(|(k, _)| k < d.at) => {
                out.date = d.date;
                out.year = d.year;
                out.past = d
                    .date
                    .map_or(d.year, |d| Some(d.year()))
                    .is_some_and(past_year);
            }
            (_, Some((_, y))) => {
                out.year = Some(y);
                out.past = past_year(y);
            }
            _ => {}
        }
    }
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
        doc.is(k, &lexicon::EVENT_NOUNS) && k > start && {
            let before = doc.word(k - 1);
            doc.kind(k - 1) == Some(Kind::Number)
                || before.ends_with(|c: char| c.is_ascii_digit())
                || number::may_start_quantity(doc, k - 1)
                || doc.kind(k.wrapping_sub(2)) == Some(Kind::Number)
        }
    })
}

/// The label of a bound before a figure: "a low estimate of 850,000", "the high end
/// at 2.5 million", "low: 849,000", "mean: 1.1 million".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BoundLabel {
    Low,
    High,
    Middle,
}

fn bound_label(doc: &Doc, lo: usize, first: usize) -> Option<BoundLabel> {
    let mut k = first;
    let mut steps = 0;
    // Back over "of", "at", "was", ":", "estimate", "end", "count" ... to the label.
    while k > lo && steps < 4 {
        k -= 1;
        steps += 1;
        let label = match doc.word(k) {
            "low" | "lowest" | "lower" | "minimum" => Some(BoundLabel::Low),
            "high" | "highest" | "higher" | "upper" | "maximum" => Some(BoundLabel::High),
            "mean" | "average" | "median" | "middle" | "midpoint" | "central" => {
                Some(BoundLabel::Middle)
            }
            _ => None,
        };
        if label.is_some() {
            return label;
        }
        let filler = doc.is(k, &lexicon::BOUND_FILLERS) || doc.raw(k) == ":";
        if !filler {
            return None;
        }
    }
    None
}

/// "a low estimate of 850,000 and a high estimate of 2.5 million", "low: 849,000,
/// mean: 1.1 million, high: 1.4 million": one estimate's two bounds stated apart are
/// one range; a middle figure stated between them is part of it, not another size.
fn join_low_and_high(doc: &Doc, lo: usize, candidates: &mut Vec<Candidate>) {
    // (Each label is read when needed rather than kept in a vector: most sentences
    // have no "low" label, and then each is read once.)
    let label = |k: usize| bound_label(doc, lo, candidates[k].phrase.first);
    let Some(l) = (0..candidates.len()).find(|&k| label(k) == Some(BoundLabel::Low)) else {
        return;
    };
    let Some(h) = (l + 1..candidates.len()).find(|&h| label(h) == Some(BoundLabel::High)) else {
        return;
    };
    if (l + 1..h).any(|m| label(m) != Some(BoundLabel::Middle))
        || candidates[l].phrase.low > candidates[h].phrase.high
    {
        return;
    }
    let high = candidates[h].phrase.clone();
    let high_skip = candidates[h].skip_to;
    let joined = &mut candidates[l];
    joined.phrase.high = high.high;
    joined.phrase.end = high.end;
    joined.phrase.number_end = high.number_end;
    joined.phrase.is_range = true;
    joined.skip_to = joined.skip_to.max(high_skip);
    candidates.drain(l + 1..=h);
}

/// "3.2 million. That is the estimated count of people who marched": a figure standing
/// as its own sentence, which the next sentence says is a crowd's count.
fn figure_lede(doc: &Doc, lo: usize, hi: usize, p: &Phrase, next: Option<&(usize, usize)>) -> bool {
    let Some(&(next_lo, next_hi)) = next else {
        return false;
    };
    let alone = p.first == lo && (p.end == hi || p.end + 1 == hi && doc.raw(p.end) == ".");
    let that = doc.word(next_lo) == "that"
        && matches!(doc.word(next_lo + 1), "is" | "was" | "'s" | "\u{2019}s")
        || matches!(doc.word(next_lo), "that's" | "that\u{2019}s");
    alone
        && p.low >= 100
        && !p.yearlike
        && that
        && (next_lo..(next_lo + 10).min(next_hi)).any(|k| doc.is(k, &lexicon::LEDE_NOUNS))
}

/// The place where a figure's people gathered when its subject also names a place
/// they came from or spoke of: "About 2,000 people angry about raids in Denver
/// protested outside a detention center in Aurora" is Aurora. The figure's verb of
/// coming is the first crowd verb after it; the first place after that verb, before
/// the sentence's next figure, is where they gathered. `None` when no place follows the
/// verb (then the nearest place stands: "500 residents of Flint marched").
fn where_they_gathered<'p>(
    doc: &Doc,
    own: &'p [place::PlaceMention],
    at: usize,
    sentence_end: usize,
    figure_starts: &[usize],
) -> Option<&'p place::PlaceMention> {
    // Only when a place sits between the figure and its verb: the usual "5,000
    // marched in Denver" needs no look.
    let first_after = own.iter().find(|p| !p.dateline && p.at > at)?;
    // (`figure_starts` ascends: see the caller.)
    let next_figure = figure_starts
        .get(figure_starts.partition_point(|&k| k <= at))
        .copied()
        .unwrap_or(usize::MAX)
        .min(sentence_end);
    let verb = (at + 1..next_figure).find(|&k| doc.is(k, &lexicon::CROWD_VERBS))?;
    if first_after.at > verb {
        return None;
    }
    own.iter()
        .find(|p| !p.dateline && !p.subject && p.at > verb && p.at < next_figure)
}

/// A place named only to locate another one: "just north of Chicago", "a suburb of
/// Denver", "20 miles outside Austin", "west of Tulsa" (a word of
/// `lexicon/reference-words.txt`, then "of" or "from", or "outside" right before it).
fn is_reference_point(doc: &Doc, at: usize) -> bool {
    // A mention may start at its preposition ("of Chicago") or at the name.
    let of = if matches!(doc.word(at), "of" | "from" | "outside") {
        at
    } else {
        at.wrapping_sub(1)
    };
    of != usize::MAX
        && (doc.word(of) == "outside"
            || matches!(doc.word(of), "of" | "from")
                && of >= 1
                && doc.is(of - 1, &lexicon::REFERENCE_WORDS))
}

/// A place at `place` after the figure at `at` that opens a later clause of the
/// sentence: "8,000 marched on Saturday, while in nearby Ann Arbor about 3,500
/// gathered", "...; in Flint, 900", "..., and in Lansing some 600". That place is the
/// later clause's, not the figure's.
fn in_a_later_clause(doc: &Doc, at: usize, place: usize) -> bool {
    (at + 1..place).any(|k| {
        matches!(doc.word(k), "while" | "whereas" | "but" | "meanwhile") || doc.raw(k) == ";"
    }) || place >= 2 && doc.word(place - 1) == "and" && doc.raw(place - 2) == ","
}

/// "hundreds and, in some places, tens of thousands of people", "hundreds or even
/// thousands of students": a figure with no noun of its own, then "and" or "or" (a
/// hedge or an aside between commas may follow), then another figure. Returns the token where that figure starts.
fn shares_the_noun(doc: &Doc, hi: usize, p: &Phrase) -> Option<usize> {
    if !matches!(doc.word(p.end), "and" | "or") {
        return None;
    }
    // "attendees in 2015 and 2.5 million in 2016": a year after its lead word.
    if p.yearlike && p.first > 0 && lexicon::YEAR_LEADS.contains(doc.word(p.first - 1)) {
        return None;
    }
    let mut k = p.end + 1;
    // "hundreds or even thousands".
    if doc.is(k, &lexicon::ALTERNATIVE_HEDGES) {
        k += 1;
    }
    if doc.raw(k) == "," {
        k = (k + 1..(k + 8).min(hi)).find(|&m| doc.raw(m) == ",")? + 1;
    }
    (k < hi && number::may_start_quantity(doc, k)).then_some(k)
}

#[cfg(test)]
mod tests {
    use crate::{extract, ExtractOptions};
    use chrono::NaiveDate;

    /// (low, past, year, locality) of each figure of `text`, published 2025-06-16.
    fn figures(text: &str) -> Vec<(u64, bool, Option<i32>, Option<String>)> {
        let options = ExtractOptions {
            publication_date: NaiveDate::from_ymd_opt(2025, 6, 16),
            ..ExtractOptions::default()
        };
        extract(text, &options)
            .estimates
            .into_iter()
            .map(|f| (f.estimate.low(), f.past, f.year, f.locality))
            .collect()
    }

    #[test]
    fn issue_9_a_year_set_apart_after_the_figure_is_a_comparisons_not_the_figures() {
        // A comma or a verb of surpassing between the figure and a year naming an
        // earlier gathering: the figure is today's.
        for text in [
            "Organizers put the crowd at 500,000, rivaling the 1982 rally in Central Park.",
            "Police counted 3,000, double the 2002 march.",
            "Protesters numbered 3,000, surpassing the 2019 march.",
            "Organizers put the crowd at 40,000, rivaling a 1982 antinuclear rally.",
        ] {
            let got = figures(text);
            assert_eq!(got.len(), 1, "{text}: {got:?}");
            assert!(!got[0].1, "{text}: {got:?}");
        }
        // Nothing sets it apart: the figure is that gathering's.
        for (text, year) in [
            (
                "About 500,000 people marched in the 2017 Women's March.",
                2017,
            ),
            ("The 2017 march drew 500,000.", 2017),
            ("The largest protest in 2020 drew 25,000.", 2020),
            ("A 2006 immigration rally drew some 400,000 people.", 2006),
            // A gathering's name and purpose between its year and "when".
            (
                "The crowds were smaller than at a 2018 march for gun safety, when an \
                 estimated 8,000 filled the capitol grounds.",
                2018,
            ),
        ] {
            let got = figures(text);
            assert_eq!(got.len(), 1, "{text}: {got:?}");
            assert_eq!((got[0].1, got[0].2), (true, Some(year)), "{text}: {got:?}");
        }
    }

    #[test]
    fn issue_9_that_march_points_back_to_the_gathering_named_before() {
        // "That march" after a sentence naming an earlier gathering by its year.
        let got = figures(
            "Police said it was the biggest protest since a 2006 rally for immigration \
             reform. That march drew an estimated 500,000 people. On Saturday, \
             organizers estimated some 750,000.",
        );
        assert_eq!(
            got.iter().map(|g| (g.0, g.1, g.2)).collect::<Vec<_>>(),
            [(500_000, true, Some(2006)), (750_000, false, None)]
        );
        let got =
            figures("Students walked out in the spring of 2018. That protest drew about 3,000.");
        assert_eq!((got[0].0, got[0].1), (3_000, true), "{got:?}");
        // "That march" after today's gathering is today's.
        let got = figures("Thousands marched Saturday in Boise. That march drew 5,000 people.");
        assert!(got.iter().all(|g| !g.1), "{got:?}");
    }

    #[test]
    fn issue_9_people_of_a_town_then_their_verb_are_at_that_town() {
        for (text, town) in [
            (
                "More than 600 people in Salina rallied outside the courthouse.",
                "Salina",
            ),
            (
                "About 250 protesters in nearby Lawrence marched to the jail.",
                "Lawrence",
            ),
            ("St. Paul police estimated the crowd at 12,000.", "St. Paul"),
        ] {
            let got = figures(text);
            assert_eq!(got.len(), 1, "{text}: {got:?}");
            assert_eq!(got[0].3.as_deref(), Some(town), "{text}: {got:?}");
        }
        // A name that is no town's: "in Tesla shirts".
        let got = figures("Some 400 people in Tesla shirts marched past the dealership.");
        assert_eq!(got[0].3, None, "{got:?}");
    }
}
