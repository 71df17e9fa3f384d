//! Scores the extractor on the labelled corpus (`test_data/extract/*.txt`, format in
//! its README) and asserts the quality bar: precision and recall on exact (low, high)
//! pairs, attribution and scope accuracy, and no size from negative passages.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use tally_extract::{extract, ExtractOptions};
use tally_model::{Attribution, CodingRules, Date, Scope};

#[derive(Debug, Clone, PartialEq)]
struct Expected {
    low: u64,
    high: u64,
    attribution: Attribution,
    scope: Scope,
}

#[derive(Debug, Default)]
pub struct Passage {
    pub id: String,
    pub file: String,
    pub text: String,
    pub published: Option<Date>,
    pub rules: Option<String>,
    tags: Vec<String>,
    sizes: Vec<Expected>,
    stated_none: bool,
    events: Option<Option<u64>>,
    place: Option<(Option<String>, Option<String>)>,
    date: Option<Date>,
}

pub fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../test_data/extract")
}

fn parse_expectation(p: &mut Passage, line: &str) {
    let mut parts = line.split_whitespace();
    let head = parts
        .next()
        .unwrap_or_else(|| panic!("{}: empty expectation", p.id));
    match head {
        "none" => p.stated_none = true,
        "events" => {
            let v = parts.next().expect("events value");
            p.events = Some(if v == "-" {
                None
            } else {
                Some(v.parse().expect("events number"))
            });
        }
        "place" => {
            let rest: Vec<&str> = parts.collect();
            let (state, locality) = rest.split_last().expect("place state");
            let locality = locality.join(" ");
            let opt = |s: &str| (s != "-" && !s.is_empty()).then(|| s.to_string());
            p.place = Some((opt(&locality), opt(state)));
        }
        "date" => p.date = Some(parts.next().expect("date").parse().expect("date format")),
        range => {
            let (low, high) = match range.split_once('-') {
                Some((l, h)) => (l.parse().expect("low"), h.parse().expect("high")),
                None => {
                    let v: u64 = range
                        .parse()
                        .unwrap_or_else(|_| panic!("{}: bad size {range}", p.id));
                    (v, v)
                }
            };
            let attribution = parts
                .next()
                .expect("attribution")
                .parse()
                .expect("attribution name");
            let scope = parts.next().expect("scope").parse().expect("scope name");
            p.sizes.push(Expected {
                low,
                high,
                attribution,
                scope,
            });
        }
    }
}

pub fn load() -> Vec<Passage> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .expect("test_data/extract exists")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let name = file.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(&file).expect("corpus file is UTF-8");
        let mut current: Option<Passage> = None;
        for line in text.lines() {
            if let Some(header) = line.strip_prefix("## ") {
                out.extend(current.take());
                let mut words = header.split_whitespace();
                let mut p = Passage {
                    id: words.next().expect("id").to_string(),
                    file: name.clone(),
                    ..Passage::default()
                };
                for w in words {
                    if let Some(d) = w.strip_prefix("pub=") {
                        p.published = Some(d.parse().expect("pub date"));
                    } else if let Some(r) = w.strip_prefix("rules=") {
                        p.rules = Some(r.to_string());
                    } else {
                        p.tags.push(w.to_string());
                    }
                }
                current = Some(p);
            } else if let Some(p) = current.as_mut() {
                if let Some(exp) = line.strip_prefix("> ") {
                    parse_expectation(p, exp);
                } else if !line.trim().is_empty() || !p.text.is_empty() {
                    if !p.text.is_empty() {
                        p.text.push('\n');
                    }
                    p.text.push_str(line);
                }
            }
        }
        out.extend(current.take());
    }
    for p in &mut out {
        p.text = p.text.trim_end().to_string();
        assert!(
            !p.sizes.is_empty() || p.stated_none,
            "{} {}: a passage must state its sizes or `none`",
            p.file,
            p.id
        );
    }
    out
}

#[derive(Default)]
struct Score {
    expected: usize,
    found: usize,
    matched: usize,
    attribution_right: usize,
    scope_right: usize,
    negative_passages: usize,
    negative_sizes: usize,
    events_checked: usize,
    events_right: usize,
    places_checked: usize,
    places_right: usize,
    dates_checked: usize,
    dates_right: usize,
}

#[test]
fn corpus_scores_meet_the_bar() {
    let passages = load();
    let mut ids = HashMap::new();
    for p in &passages {
        assert!(
            ids.insert(p.id.clone(), p.file.clone()).is_none(),
            "duplicate id {}",
            p.id
        );
    }
    let mut s = Score::default();
    let mut failures = Vec::new();
    for p in &passages {
        let rules = match &p.rules {
            Some(name) => CodingRules::named(name).expect("known rules"),
            None => CodingRules::default(),
        };
        let options = ExtractOptions {
            rules,
            publication_date: p.published,
        };
        let got = extract(&p.text, &options);
        let mut unmatched: Vec<&Expected> = p.sizes.iter().collect();
        s.expected += p.sizes.len();
        s.found += got.estimates.len();
        if p.sizes.is_empty() {
            s.negative_passages += 1;
            s.negative_sizes += got.estimates.len();
        }
        let mut problems = Vec::new();
        for f in &got.estimates {
            let (low, high) = (f.estimate.low(), f.estimate.high());
            match unmatched
                .iter()
                .position(|e| e.low == low && e.high == high)
            {
                Some(k) => {
                    let e = unmatched.remove(k);
                    s.matched += 1;
                    if e.attribution == f.estimate.attribution() {
                        s.attribution_right += 1;
                    } else {
                        problems.push(format!(
                            "{low}-{high}: attribution {} (want {})",
                            f.estimate.attribution(),
                            e.attribution
                        ));
                    }
                    if e.scope == f.estimate.scope() {
                        s.scope_right += 1;
                    } else {
                        problems.push(format!(
                            "{low}-{high}: scope {} (want {})",
                            f.estimate.scope().as_str(),
                            e.scope.as_str()
                        ));
                    }
                }
                None => problems.push(format!(
                    "extra {low}-{high} {} at {:?}",
                    f.estimate.attribution(),
                    &p.text[f.start..f.end]
                )),
            }
        }
        for e in unmatched {
            problems.push(format!("missed {}-{} {}", e.low, e.high, e.attribution));
        }
        if let Some(want) = p.events {
            s.events_checked += 1;
            if got.event_count == want {
                s.events_right += 1;
            } else {
                problems.push(format!("events {:?} (want {want:?})", got.event_count));
            }
        }
        if let Some((loc, st)) = &p.place {
            s.places_checked += 1;
            let got_state = got.state.map(|s| s.to_string());
            let loc_ok = loc.is_none()
                || got.locality.as_deref().map(str::to_lowercase)
                    == loc.as_deref().map(str::to_lowercase);
            if loc_ok && (st.is_none() || got_state == *st) {
                s.places_right += 1;
            } else {
                problems.push(format!(
                    "place {:?} {:?} (want {loc:?} {st:?})",
                    got.locality, got_state
                ));
            }
        }
        if let Some(want) = p.date {
            s.dates_checked += 1;
            if got.date == Some(want) {
                s.dates_right += 1;
            } else {
                problems.push(format!("date {:?} (want {want})", got.date));
            }
        }
        if !problems.is_empty() {
            failures.push(format!("{} {}: {}", p.file, p.id, problems.join("; ")));
        }
    }
    let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    let precision = ratio(s.matched, s.found);
    let recall = ratio(s.matched, s.expected);
    let f1 = if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    let attribution = ratio(s.attribution_right, s.matched);
    let scope = ratio(s.scope_right, s.matched);
    for f in &failures {
        eprintln!("  {f}");
    }
    eprintln!(
        "corpus: {} passages, {} expected sizes, {} found, {} matched",
        passages.len(),
        s.expected,
        s.found,
        s.matched
    );
    eprintln!(
        "precision {precision:.3} recall {recall:.3} F1 {f1:.3}; attribution {attribution:.3}; scope {scope:.3}"
    );
    eprintln!(
        "negative passages {}: {} sizes; event counts {}/{}; places {}/{}; dates {}/{}",
        s.negative_passages,
        s.negative_sizes,
        s.events_right,
        s.events_checked,
        s.places_right,
        s.places_checked,
        s.dates_right,
        s.dates_checked
    );
    assert!(
        passages.len() >= 300,
        "the corpus has {} passages",
        passages.len()
    );
    assert!(f1 >= 0.95, "F1 {f1:.3} below 0.95");
    assert!(precision >= 0.95, "precision {precision:.3} below 0.95");
    assert!(
        attribution >= 0.92,
        "attribution accuracy {attribution:.3} below 0.92"
    );
    assert!(scope >= 0.92, "scope accuracy {scope:.3} below 0.92");
    assert_eq!(s.negative_sizes, 0, "sizes found in negative passages");
    assert!(
        ratio(s.events_right, s.events_checked) >= 0.9,
        "event counts"
    );
    assert!(ratio(s.places_right, s.places_checked) >= 0.85, "places");
    assert!(ratio(s.dates_right, s.dates_checked) >= 0.85, "dates");
}

/// The shapes of real reporting learnt from the news development set (issue 9), in
/// our own words, at least two wordings each: every passage of the file must come
/// out exactly as labelled (sizes, attribution and scope), not only on average.
#[test]
fn issue_9_real_news_shapes_come_out_exactly_as_labelled() {
    every_passage_as_labelled("16-real-shapes-2.txt", 50);
}

/// The failure classes of fresh real text (issue 9, sizes session 19), in our own
/// words, each with a near miss: a moment before a figure ("and at the end 1,400 to
/// 1,600"), a hedged turnout ("the turn-out modest, perhaps 700"), a list of places
/// after the noun, "about 45 in all" set off by commas, a relative clause that says the
/// group came, "critics and supporters", picket lines and "began the strike", what
/// people gave up to take part, "joined by dozens more", "the 150,000 being claimed";
/// never sizes: "the lives of 14", "300 people over its capacity", "he'd see six".
/// Second set: lists of nouns before the verb ("students, faculty, staff and alumni
/// showed up"), "had reached the rally", "still in line", "12,000 inside.", "with
/// thousands more watching outside", "Tens of thousands more, in ..., joined", "with
/// 4,000 other teachers", a dash appositive; never sizes: a quoted title before an
/// event noun, "face eviction", "cut off attendance at 800", "can seat 1,200", "took
/// rides", "struck three marchers".
#[test]
fn issue_9_fresh_text_shapes_come_out_exactly_as_labelled() {
    every_passage_as_labelled("18-real-shapes-4.txt", 30);
}

/// The failure classes of fresh real text (issue 9, sizes session 20), in our own
/// words, each with a near miss: noun compounds ("union members", "Biden supporters"),
/// a capitalized modal inside a name ("Flint Will Rise"), "estimated to have numbered",
/// lists with "and other far-right activists", an aside ("about half of them
/// teenagers"), "formed a human chain", headline "turn out", run-together label lists
/// ("Turnout: 2,500 Route: ..."), "they were already at 4,000"; never sizes: a habit
/// ("usually draw about 400"), "an 800-person capacity", "for 600 people to watch", a
/// number inside a title ("Free Speech 2" rally, "Local 174 march"), "Of those
/// detained, 12 ...". Second set: a part counted from a whole ("120 of 1,400 students
/// walked out"), "huddled", "led by tens of thousands who overwhelmed ...", "the
/// remaining 200 or so"; never sizes: "indicated online that they would come", "added
/// their names to the petition", "300 migrants are being held". Third set: "as large
/// as", "estimates of the march range from A to B", dated list lines ("... March of
/// 1894: 4,000", "Participants 17,000"), a gathering "at about 2,000", a figure in
/// parentheses after a gathering, "attendance was 5,000"; never sizes: "membership
/// reached 800,000", "took part in a phone survey", "1 in 4".
#[test]
fn issue_9_session_20_shapes_come_out_exactly_as_labelled() {
    every_passage_as_labelled("19-real-shapes-5.txt", 30);
}

/// The shapes of session 21's held-out real passages (issue 9), in our own words, two
/// or more wordings and a near miss each: a verb of reporting before the verb ("are
/// believed to have marched"), "attended by" a group, people "outside" ending a quote,
/// "could have been 8,000 people", "a capacity crowd of", "the 4,200 turnout", a
/// "previous record of", a headline verb the lexicon does not know ("Hundreds convene
/// at statehouse", "About 300 picket outside"), a year ending a name ("Project 2025"),
/// an unhyphenated measure ("the two hour rally"), a name holding a money word ("Grand
/// Rapids"), a convention center that is a building, "These included 30,000 in
/// Denver", "workers and community allies", a headline verb after the figure's noun
/// ("Thousands of union members flock to parade"), "she would join thousands of
/// others", "the 1500-person march" (no year), list items of capitalized names ("Penn
/// State students") and a phrase before the verb, a party's convention, "Another
/// thousand waited", "turnouts: Fresno (12,000), ...", "900 more spilling into the
/// lot", "rally draws thousands", "verified 3,000 to 4,000", a vague figure opening its
/// sentence with a past verb the lexicon lacks ("Hundreds railed against"); never sizes:
/// "Thousands tuned in", "Dozens testified",
/// "would have been", "if ..., she would join", "limited to about two dozen", "a
/// capacity of", "audience members" a hall holds, a team's record, headline verbs of
/// loss or intent ("lose", "face", "plan to"), "job cuts included", "their 1,200-person
/// town".
#[test]
fn issue_9_session_21_shapes_come_out_exactly_as_labelled() {
    every_passage_as_labelled("20-real-shapes-6.txt", 30);
}

/// The shapes of session 22's held-out real passages (issue 9), in our own words, two
/// or more wordings and a near miss each: a day between the figure and its verb
/// ("Hundreds last night marched"), people refused entry or kept from entering (not a
/// handful, not travellers at a border), a verb whose object is a gathering ("2,000
/// Minneapolis nurses hold a rally"), a round four-digit figure before people who came
/// ("1200 Ohio State students gathered"; "In 2019 students gathered" stays a year), an
/// aside naming another figure before the shared noun ("thousands, if not tens of
/// thousands, of marchers"; "dozens, not hundreds"), "That included 35,000 in Denver",
/// "a couple of thousand", "several million" (not dollars), a list line after a line
/// naming another stop's seats or capacity, people "in the queue" or "still in line",
/// and a past gathering's own turnout inside an expectation ("expected to top last
/// year's turnout of 20,000"; "tomorrow's crowd of 50,000" stays a projection), a
/// remark in parentheses between the figure and its noun ("4,100 (a far cry from ...)
/// supporters"; "5,000 (mostly online) tickets" stays tickets), scanned tickets, an
/// aside between commas before the verb ("nurses, many still in scrubs, rallied"), and
/// a past verb the lexicon lacks with a word of going after it in a sentence about a
/// gathering ("banded together", "snaked through"; not "complained about", "condemned
/// the rally"), "take to the streets" (not "to the polls"), a name between the figure
/// and its noun that starts with a stop word ("Hundreds of No Kings marchers"), and a
/// size "credited with" a past gathering (not "credited with 40 new contracts").
#[test]
fn issue_9_session_22_shapes_come_out_exactly_as_labelled() {
    every_passage_as_labelled("21-real-shapes-7.txt", 20);
}

/// The shapes of real reporting found on session 23's private held-out sets (issue 9,
/// sizes), in our own words, two or more wordings and a near miss each: a four-digit
/// figure opening its clause before the people who came ("1800 people were in
/// attendance"; "In 2000 people marched" stays a year), a joined noun the lexicon does
/// not know before the verb ("teachers and support staff members converged"), an aside
/// between dashes before the verb ("Thousands more—in Tulsa, ...—joined"), where the
/// people work before their verb ("nurses in the county hospital system rallied"),
/// people at a gathering then any verb not done to them ("The thousands at the rally
/// sang"; not "The 12 at the march who blocked the bridge were detained"), a
/// gathering's verb of coming before its people ("a rally which gathered 8,000
/// students"; not "The strike affected 30,000 students"), a label of a few words with
/// a turnout word ("Reported march attendance: 12,000"), a year after "in" in a
/// series of sizes ("in 2018 and 1.5 million in 2019"), a past gathering after "since"
/// ("since 90,000 people marched there in 2017"; "since 2017" is none), a word between
/// the verb and the strike ("started a historic walkout") and where the strikers came
/// from ("workers from five plants launched"), an estimate named with its figure ("the
/// police department's estimate of 20,000"; not an expected crowd's), and a year before
/// a name that opens with a multiplier ("the 1995 Million Man March" is no size), the
/// rest of a crowd held back at barricades or gates ("thousands more were halted at
/// police barricades"; not "were arrested"), a list label with a remark in
/// parentheses ("Update (3/5/2011): 4,000+"), and a place with its figure in
/// parentheses alone on a line between list lines (not a list of years).
#[test]
fn issue_9_session_23_shapes_come_out_exactly_as_labelled() {
    every_passage_as_labelled("23-real-shapes-sizes.txt", 30);
}

/// Session 24's shapes of real reporting (issue 9; the sizes engineer's regression pool
/// and fresh held-out sets), in our own words with near misses: the rest of a crowd
/// still gathering, watching from a place or kept from entering ("leaving thousands
/// more gathering outside", "a few hundred more watching from a screen", "were
/// prevented from entering"), "were seen marching", a modifier before a joined crowd
/// noun ("hotel and casino workers"), a joined compound ("letter carriers and union
/// members"), a verb the lexicon lacks whose clause names the gathering it was done
/// at ("offered prayers ... at the vigil", "At a ... vigil, hundreds of neighbors
/// offered"), a median estimate, "estimated the crowds ... as over a million", and
/// after a sentence with a crowd size a bare correction ("More like a few hundred."),
/// "There are thousands." or a named estimate with no crowd word of its own; the
/// margin of a verb of surpassing is no size ("outpacing June's protests by two
/// million"), a repeated figure closing a quote ("... outside. Hundreds,' he said"), a
/// place's possessive before a figure ("Denver's tens of thousands"), and "ordered
/// about 300 protesters who stayed ... to disperse".
#[test]
fn issue_9_session_24_shapes_come_out_exactly_as_labelled() {
    every_passage_as_labelled("24-real-shapes-sizes.txt", 20);
}

/// Session 25's recall mechanisms (issue 9), in our own words: a vague count after "by
/// the" or "in the" with a verb of coming before it ("showed up by the hundreds",
/// "gathered in the tens of thousands"; not when the subject counts things:
/// "Donations came in by the thousands"), and a speaker's own judgement of the crowd
/// ("I would say it was easily 3,000", "I'd say a quarter of a million"; not a year,
/// a percentage or a temperature), a place phrase with its own count between people and
/// their verb ("2,000 nurses at more than 40 hospitals ... walked off the job"), and
/// "protesters standing outside" (not "deputies were standing guard"), "filled to
/// capacity with nearly 900" (not "can be filled to capacity with"), "went from 40
/// protesters last week to 400 today" (a word of time is no noun of the figure), and
/// "If I had to take a guess, I'd say 12,000" (no hypothetical).
#[test]
fn issue_9_session_25_shapes_come_out_exactly_as_labelled() {
    every_passage_as_labelled("25-real-shapes-sizes.txt", 25);
}

/// Session 26's recall mechanisms (issue 9), in our own words: a noun of people with a
/// prefix ("counter-demonstrators"; not "non-members"), a source that says the figure
/// in the present or as a participle or "told me" it ("KGW says 3,000, while the
/// sheriff's office says 1,800"; not a year or a percentage), "with" before a figure and
/// its town or a participle of coming ("with 4,000 in Burlington", "with perhaps 300
/// attending"; not "with 12 in the House" in a sentence about no gathering), a verb
/// whose object is the audience ("rallies thousands at Riverfront Park"; not "told 300
/// at the plant"), "I'd probably say", and a dash range whose high end has four digits
/// and is no year ("500-1000"; not "1995-2000"); "hundreds more in New Haven" after a
/// crowd figure (not "200 more in April"); a list "In Tucson, 4,500; in Flagstaff, 800"
/// (not "In Texas, 40; in Ohio, 12"); and a caption "Thousands of union members at the
/// rally Saturday" (not "... in the district signed the letter").
#[test]
fn issue_9_session_26_shapes_come_out_exactly_as_labelled() {
    every_passage_as_labelled("26-sizes.txt", 28);
}

/// Session 26's context shapes (issue 9, test_data/extract/26-context.txt), in our own
/// words with near misses: people of a town named between the figure and its verb
/// ("600 people in Salina rallied"; not "people in Tesla shirts"), a saint's
/// abbreviation opening a city's name ("St. Paul police"), a year naming an earlier
/// gathering after "a" ("rivaling a 1982 antinuclear rally": no size), a scuffle called
/// a "match" ("what became a shouting match"; a game's match stays no size), and a
/// building's or an agency's police ("Capitol police", "Housing police") naming no
/// town (a town's police still names it: "Nashville police"), a state inside an
/// institution's name ("home of the University of Kansas") that is no place of the
/// figure's ("The City of Chicago" is).
#[test]
fn issue_9_session_26_context_shapes_come_out_exactly_as_labelled() {
    every_passage_as_labelled("26-context.txt", 20);
}

/// The attribution classes of real reporting (issue 9), in our own words, two or more
/// wordings each: a source named far before its verb, police initials, "the estimate
/// from the Park Service", an aside ("Organizers, however, put it at"), a source set
/// aside ("not the organizers"), organisations named by their own names (their role
/// from their words: "... Alliance", "... Institute", initials), "assessment", an
/// attendee's "our rally" and "of us", "told the crowd", and a research team.
#[test]
fn issue_9_attribution_classes_come_out_exactly_as_labelled() {
    every_passage_as_labelled("17-attribution-classes.txt", 25);
}

/// Session 24's attribution shapes (issue 9), in our own words, two or more wordings
/// each: an outlet citing a source relays that source ("citing organizers"); a
/// candidate's staff ("a campaign official", "X's communications director") and an
/// official's spokeswoman; a name that is only the subject of another verb ("before
/// Governor X was due to give his speech", "The Ledger suggested Senator X drew", "the
/// Gazette reported, with a giant Uncle Sam"); "they said" inside a clause on a noun;
/// "from N by the sheriff to M by organizers" (each figure its own agent); "asserted",
/// "argued"; "per" a named police department; an estimate "made by" a university's
/// centre; a group's own social-media account; a first-person estimate over many
/// places (researchers); a source word inside a sign's quoted wording; a quoted
/// first person in a headline (the outlet's); a headline's bare "Campaign Estimates";
/// "told me" (a listener, not an attendee); "the White House's claim of N" (that
/// figure's alone); "claims of fraud" (a noun); a chief whose agency was named just
/// before, speaking in a quote that opened in the sentence before or closes in the
/// sentence after; a speaker before a clause of narration opened by "as"; a source word
/// naming a thing ("union signs", "police vans"); "Secretary X of Y Council" (the
/// council's); "but added that" and "and noted that" (the same speaker); "according to
/// on-the-ground estimates" leading the sentence (a hedge); "we had a great turnout" and
/// "our brothers and sisters", "our numbers" (the hosts'); a first person "on
/// assignment for" an outlet.
#[test]
fn issue_9_session_24_attribution_shapes_come_out_exactly_as_labelled() {
    every_passage_as_labelled("24-attribution-shapes.txt", 52);
}

/// Issue 9, session 25: how far a source reaches, in the wording of no earlier passage
/// (test_data/extract/25-attribution-scope.txt): a source inside a parenthesized aside
/// with its own figure is that figure's only ("Fresno (about 4,000 marchers, according
/// to the sheriff's office), Bakersfield (an estimated 2,500, according to the
/// Californian)"), but "(per the fire department)" with no figure reaches the figure
/// before it; a part listed after "including" is counted by the whole's source; a
/// pronoun that speaks before a clause of narration ("she said nothing as a crowd of
/// several thousand stood") sources nothing; an "according to ..." that ends the
/// sentence sources a hedged figure a clause before it; a possessive owner of a thing
/// ("President Biden's hometown") is no source, its office or estimate is.
#[test]
fn issue_9_session_25_source_reach_comes_out_exactly_as_labelled() {
    every_passage_as_labelled("25-attribution-scope.txt", 14);
}

/// Issue 9, session 26: a source's class from the structure around its name
/// (test_data/extract/26-attribution-structure.txt): a staff role in an appositive is
/// the body's it serves, named by a common noun ("a spokeswoman for the city", "a
/// captain with the sheriff's office") or before the role ("fire public information
/// officer", "the county emergency management director"); an appositive's relative
/// clause says an attendee ("who attended the rally") or a host ("who helped plan the
/// vigil"); a hedge in a main clause with its own subject does not reach a figure that
/// opens a clause of time ("No injuries were reported after about 2,000 people
/// marched"); an outlet's story with an adverb before its verb ("the article also
/// says") is a source; a document from a body ("a statement from the city", "a county
/// statement"); "one officer"; "union officials"; a verb of saying with a clause of
/// its own ("and police said the event was peaceful", "which organizers said was the
/// first") does not source a figure outside that clause; "as about 900 people filed in"
/// is narration; a statement quoted after a colon goes on for a second sentence; a
/// plural first person over many places is a movement's own voice (organizers), a
/// singular one an attendee's.
#[test]
fn issue_9_session_26_source_structure_comes_out_exactly_as_labelled() {
    every_passage_as_labelled("26-attribution-structure.txt", 33);
}

/// Recall shapes of session 27 (issue 9), in our own words: a source reporting the
/// figure, "had it at", a named speaker with an appositive who said the figure, a
/// speaker's own guess or count, "there must have been", a revised figure, a sequence
/// of figures, a figure restated after a colon, a headline that holds a vigil, a goal
/// met, a gathering's participle and its crowd, a crowd's own past clause inside a
/// hypothetical, "I'd actually guess" and "I heard it was"; with near misses.
#[test]
fn issue_9_session_27_recall_shapes_come_out_exactly_as_labelled() {
    every_passage_as_labelled("27-recall.txt", 36);
}

/// Issue 9 (attribution by structure): the speaker of each figure's clause, in several
/// wordings each: the subject of a verb of saying before the figure or in a tag after
/// it, "according to" / "per" / "by X's count", an estimate's owner, parenthesized
/// labels, pairs of sources and figures, relays and quotations; with negatives.
#[test]
fn issue_9_session_28_speakers_come_out_exactly_as_labelled() {
    every_passage_as_labelled("28-speaker.txt", 36);
}

/// Every passage of `file` comes out exactly as labelled (sizes, attribution and
/// scope), not only on average.
fn every_passage_as_labelled(file: &str, at_least: usize) {
    let passages: Vec<Passage> = load().into_iter().filter(|p| p.file == file).collect();
    assert!(passages.len() >= at_least, "{} passages", passages.len());
    let mut wrong = Vec::new();
    for p in &passages {
        let options = ExtractOptions {
            rules: CodingRules::default(),
            publication_date: p.published,
        };
        let mut got: Vec<(u64, u64, Attribution, Scope)> = extract(&p.text, &options)
            .estimates
            .iter()
            .map(|f| {
                let e = &f.estimate;
                (e.low(), e.high(), e.attribution(), e.scope())
            })
            .collect();
        let mut want: Vec<(u64, u64, Attribution, Scope)> = p
            .sizes
            .iter()
            .map(|e| (e.low, e.high, e.attribution, e.scope))
            .collect();
        got.sort_by_key(|g| (g.0, g.1));
        want.sort_by_key(|w| (w.0, w.1));
        if got != want {
            wrong.push(format!("{}: got {got:?}, want {want:?}", p.id));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Numbers of people counted for another reason than gathering, in our own words, two
/// or more wordings each with near misses (issue 9, fresh negatives): "among those
/// arrested", a relative clause or "and were ..." whose main verb counts arrests,
/// things that stand or remain ("49 crosses stood"), union memberships joined by a
/// comma to the next clause's figure, habits ("Every year, tens of thousands
/// converge"), "were being taken to the lockup", a body count; and a union named
/// before its members ("Chicago Teachers Union members marched"); figures denied ("nowhere
/// near a million"), permit applications, "can fit"; "an estimated quarter of a million"
/// (read as a million before).
#[test]
fn issue_9_people_counted_otherwise_come_out_exactly_as_labelled() {
    every_passage_as_labelled("20-counted-otherwise.txt", 42);
}

/// More people counted for another reason than gathering, each shape in two or more
/// wordings with near misses (issue 9, precise, session 22): a few people counted by
/// what they did ("flipped us off"), an expectation after a copula ("20,000 people
/// was the number they expected"), a counterfactual list ("could've had three, four,
/// five thousand"), people counted for a job in a compound ("35 crowd spotters"), a
/// participle clause before "were arrested", "left three people with injuries",
/// averages, a date
/// naming a march ("the 9-12 march"), things done to ("100 trucks have been turned
/// away"); and a relative clause of coming that starts the figure's own clause
/// ("arrests at the camp that drew several hundred students"); "are expected to" after
/// an aside that holds a list ("including nurses, teachers, and retirees"), people "in
/// plastic handcuffs", a dimension ("a 20-by-40-foot tent"), vehicles that "took part"
/// ("2,500 tractors"); and two sizes: a group named by its owner ("a thousand of his
/// supporters rallied"), "were on the National Mall"; a figure run into a web domain
/// ("350.org") is a name.
#[test]
fn issue_9_people_counted_otherwise_second_set_come_out_exactly_as_labelled() {
    every_passage_as_labelled("21-counted-otherwise-2.txt", 48);
}

#[test]
fn issue_9_session_23_never_a_size_shapes_come_out_exactly_as_labelled() {
    every_passage_as_labelled("23-real-shapes-precise.txt", 42);
}

/// Session 24's never-a-size classes of real text and the number reader's misreads,
/// two or more wordings each with near misses that stay sizes: forecasts, debunked
/// claims, a blockade's or siege's population, counts of crowd estimates, roles in a
/// gathering ("the 12 march leaders"), modifier lists before groups, counting aloud,
/// an appositive that defines the figure ("2.3 million, an estimate of the
/// evictions"), sports crowds, march names, people pardoned or indicted, participles
/// before the noun ("dozens of chanting protesters were arrested"), nouns joined to
/// the crowd's before "were injured"; "500.000", "1.250", "600,00", "four thousand,
/// three hundred", "two and a half times", "between 180 and nearly 250" (one range)
/// beside "ranged from 300,000 to nearly 900,000" (two estimates); an absolute phrase
/// after a crowd ("..., a few carrying rifles") describes part of it.
#[test]
fn issue_9_session_24_never_a_size_shapes_and_misreads_come_out_exactly_as_labelled() {
    every_passage_as_labelled("24-real-shapes-precise.txt", 42);
}

/// Session 25's never-a-size shapes (precise): the mood of the figure's clause (a
/// condition and the clause it governs, "if each drew 250 people, a quarter million
/// took part"), with the near misses that stay sizes ("if not more", "If I had to
/// guess", "Even if the rain kept some away", a relative clause after "if confirmed");
/// a hope or forecast in a reduced relative clause in any tense ("the 50,000 people
/// organizers had been hoping for"), while a participle right after the people is their
/// own ("4,000 people hoping to see the senator waited"); a habit adverb before the
/// figure or after its noun; a quoted name of number words; "number of local rallies (~
/// 1,300)"; a union local's number before "members"; and each figure's place and day
/// (snapshot lines): a reference place ("just north of Chicago"), "Eugene, where ...",
/// "Spokane's turnout", "Muncie \u{2014} about 1,500", a dateline's filing date, "Back in
/// April", "since 2017".
#[test]
fn issue_9_session_25_clause_mood_names_and_habits_come_out_exactly_as_labelled() {
    every_passage_as_labelled("25-real-shapes-precise.txt", 34);
}

/// Session 26's never-a-size shapes (precise): people counted at something that is no
/// gathering. A movement's private assembly named as the complement or subject of the
/// people's verb ("showed up for a training session", "joined a planning call", "The
/// orientation drew 300", "400 delegates attended the state party convention"), while a
/// public meeting packed to protest, protesters marching to a convention and protesters
/// rallying outside it stay crowds; people who join an organization or members who
/// join, and an organization or list that grows ("the chapter grew from 30 members to
/// 1,200"), while a crowd that grows or joins union members on a picket line stays one;
/// the work or signatures of people; people asked to act ("organizing thousands of
/// activists to canvass"), while people bused to rally came; a passive gerund done to
/// them ("thousands of people being let go"); voters with no verb of coming of their
/// own, people counted by how they answered an event page ("12,000 as going"), and an
/// audience that watched a broadcast, while voters who rallied and an audience that
/// packed the hall stay crowds; a union local's number after "Local" is its name
/// ("members of Teamsters Local 705 picketed" counts the members before it), and a
/// gathering said to be "one of 1,300" counts gatherings, while a person who was one of
/// 3,000 marchers counts a crowd; people whose verb is put in the future ("are set to
/// march", "are likely to attend", "were poised to fill") while people "going to the
/// rally" or "forced to stand outside" came; and a figure after a word of aiming or of
/// room ("shooting for 25,000", "counting on 10,000", "room for 20,000").
#[test]
fn issue_9_session_26_people_at_something_else_come_out_exactly_as_labelled() {
    every_passage_as_labelled("26-precise.txt", 53);
}

/// Issue 9, session 27 (negs): people counted as something other than a gathering's
/// crowd (`rules::counted_as`): a perfect or passive verb of no coming after the people
/// ("100 journalists were credentialed", "three people were apprehended"), riders of a
/// transit system or people queued for it, answers to an online invitation, givers of
/// money, a depth, a margin, a count of events after "one of", a room's size ("can hold a
/// crowd of"), a number inside a name, a promise or a cap before the figure, people
/// joined to others who are scheduled to rally, the agent of a passive of no coming
/// ("was downloaded by 117,000 people"), "100,000 ticket requests", "Amendment 4
/// supporters", a place's population after it ("..., at 12,000 people"), contractions
/// with a curly apostrophe ("could’ve had") and permission ("got permission to let
/// 10,000 people in"); near misses stay sizes
/// (people joined by the mayor, marchers from Union Station, a crowd of 9,000 that
/// filled the arena, a promise kept by 15,000 marchers, a rally attended by 5,000,
/// protesters who had crossed a bridge).
#[test]
fn issue_9_session_27_people_counted_otherwise_come_out_exactly_as_labelled() {
    every_passage_as_labelled("27-negs.txt", 57);
}
