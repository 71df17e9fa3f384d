//! Where a gathering was: datelines ("CHICAGO (AP) —", "BOISE, Idaho —"), "in Boise,
//! Idaho", AP state abbreviations ("Ill.", "Calif.") and the cities that AP datelines
//! name without a state.
//!
//! This finds place text and a state; resolving it to a county and coordinates is the
//! gazetteer's job (`tally-places`).

use crate::lexicon;
use crate::number::Doc;
use crate::token::Kind;
use tally_model::StateCode;

/// A place named in the text, at token `at`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaceMention {
    pub at: usize,
    pub locality: Option<String>,
    pub state: Option<StateCode>,
    pub dateline: bool,
    /// A place opening a clause before its figure ("Chicago more than 150,000"): it
    /// names the figures after it, never one before it.
    pub subject: bool,
}

/// Cities that AP datelines name without a state, and a few common short names.
/// Source: the AP Stylebook's dateline list (a public convention).
fn standalone_city(words: &[&str]) -> Option<(&'static str, &'static str)> {
    Some(match words {
        ["atlanta"] => ("Atlanta", "GA"),
        ["baltimore"] => ("Baltimore", "MD"),
        ["boston"] => ("Boston", "MA"),
        ["chicago"] => ("Chicago", "IL"),
        ["cincinnati"] => ("Cincinnati", "OH"),
        ["cleveland"] => ("Cleveland", "OH"),
        ["dallas"] => ("Dallas", "TX"),
        ["denver"] => ("Denver", "CO"),
        ["detroit"] => ("Detroit", "MI"),
        ["honolulu"] => ("Honolulu", "HI"),
        ["houston"] => ("Houston", "TX"),
        ["indianapolis"] => ("Indianapolis", "IN"),
        ["las", "vegas"] => ("Las Vegas", "NV"),
        ["los", "angeles"] => ("Los Angeles", "CA"),
        ["miami"] => ("Miami", "FL"),
        ["milwaukee"] => ("Milwaukee", "WI"),
        ["minneapolis"] => ("Minneapolis", "MN"),
        ["new", "orleans"] => ("New Orleans", "LA"),
        ["new", "york", "city"] => ("New York", "NY"),
        ["new", "york"] => ("New York", "NY"),
        ["nyc"] => ("New York", "NY"),
        ["oklahoma", "city"] => ("Oklahoma City", "OK"),
        ["philadelphia"] => ("Philadelphia", "PA"),
        ["phoenix"] => ("Phoenix", "AZ"),
        ["pittsburgh"] => ("Pittsburgh", "PA"),
        ["st", ".", "louis"] | ["saint", "louis"] => ("St. Louis", "MO"),
        ["st", ".", "paul"] | ["saint", "paul"] => ("St. Paul", "MN"),
        ["salt", "lake", "city"] => ("Salt Lake City", "UT"),
        ["san", "antonio"] => ("San Antonio", "TX"),
        ["san", "diego"] => ("San Diego", "CA"),
        ["san", "francisco"] => ("San Francisco", "CA"),
        ["seattle"] => ("Seattle", "WA"),
        ["washington"] | ["washington", "d.c."] => ("Washington", "DC"),
        ["portland", "ore"] => ("Portland", "OR"),
        ["d.c."] => ("Washington", "DC"),
        ["la"] => ("Los Angeles", "CA"),
        _ => return None,
    })
}

/// Reads a state at token `i`: a full name ("New Mexico"), an AP abbreviation
/// ("Ill.") or, when `postal` is allowed, a 2-letter code ("IL"). Returns the code
/// and the token index after it.
fn read_state(doc: &Doc, i: usize, postal: bool) -> Option<(StateCode, usize)> {
    if doc.kind(i) != Some(Kind::Word) || !doc.tokens[i].capitalized {
        return None;
    }
    // (Speed: most capitalized words open no state's name or abbreviation, which one
    // bit test tells: `lexicon/state-starts.txt`. Debug builds check the full reading.)
    if !(doc.is(i, &lexicon::STATE_STARTS) || postal && doc.raw(i).len() == 2) {
        debug_assert!(
            read_state_at(doc, i, postal).is_none(),
            "{:?} opens a state: add it to lexicon/state-starts.txt",
            doc.word(i)
        );
        return None;
    }
    read_state_at(doc, i, postal)
}

/// `read_state` of a capitalized word.
fn read_state_at(doc: &Doc, i: usize, postal: bool) -> Option<(StateCode, usize)> {
    // Full names of one to three words.
    for n in (1..=3).rev() {
        if i + n > doc.tokens.len() {
            continue;
        }
        if (i..i + n).any(|k| doc.kind(k) != Some(Kind::Word)) {
            continue;
        }
        let start = doc.tokens[i].start;
        let end = doc.tokens[i + n - 1].end;
        if let Some(code) = StateCode::from_name(&doc.text[start..end]) {
            return Some((code, i + n));
        }
    }
    let w = doc.word(i);
    // "W.Va." reads as "W", ".", "Va", ".".
    if w == "w" && doc.raw(i + 1) == "." && doc.word(i + 2) == "va" {
        let end = if doc.raw(i + 3) == "." { i + 4 } else { i + 3 };
        return "WV".parse().ok().map(|c| (c, end));
    }
    if let Some(code) = StateCode::from_ap_abbreviation(w) {
        let mut end = i + 1;
        if !w.ends_with('.') {
            if doc.raw(end) != "." {
                return None;
            }
            end += 1;
        }
        return Some((code, end));
    }
    let raw = doc.raw(i);
    if postal && raw.len() == 2 && raw.bytes().all(|b| b.is_ascii_uppercase()) {
        return raw.parse().ok().map(|c| (c, i + 1));
    }
    None
}

/// Title case for an all-caps dateline ("ST. LOUIS" to "St. Louis").
fn title_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut start = true;
    for c in s.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        start = !c.is_alphanumeric() && c != '\'';
    }
    out
}

/// Reads a dateline starting at token `j`: all-caps words, an optional ", State" or
/// ", June 14", an optional "(AP)", and a dash.
fn dateline(doc: &Doc, j: usize) -> Option<PlaceMention> {
    let mut k = j;
    while k < doc.tokens.len() && k < j + 6 {
        let raw = doc.raw(k);
        let caps_word = doc.kind(k) == Some(Kind::Word)
            && raw.chars().any(|c| c.is_alphabetic())
            && !raw.chars().any(|c| c.is_lowercase());
        if caps_word || (raw == "." && k > j && doc.adjacent(k)) {
            k += 1;
        } else {
            break;
        }
    }
    if k == j || doc.raw(k - 1) == "." && k - 1 == j {
        return None;
    }
    let name_end = k;
    let name = &name_text(doc, j, name_end);
    if name.len() < 3 {
        return None;
    }
    let mut state = None;
    if doc.raw(k) == "," {
        if let Some((code, after)) = read_state(doc, k + 1, true) {
            state = Some(code);
            k = after;
        } else if doc.tokens.get(k + 1).is_some_and(|t| t.kind == Kind::Word) {
            // ", June 14" (a Reuters dateline) or something else; skip to the dash.
            k += 1;
            while k < doc.tokens.len() && k < name_end + 8 && !doc.is_dash(k) && doc.raw(k) != "(" {
                k += 1;
            }
        }
        if doc.raw(k) == "," {
            k += 1;
        }
    }
    if doc.raw(k) == "(" {
        let close = (k..(k + 6).min(doc.tokens.len())).find(|&m| doc.raw(m) == ")")?;
        k = close + 1;
    }
    if !doc.is_dash(k) {
        return None;
    }
    let lower_words: Vec<&str> = (j..name_end).map(|m| doc.word(m)).collect();
    let (locality, state) = match (standalone_city(&lower_words), state) {
        (Some((city, st)), None) => (city.to_string(), st.parse().ok()),
        (_, st) => (title_case(name), st),
    };
    Some(PlaceMention {
        at: j,
        locality: Some(locality),
        state,
        dateline: true,
        subject: false,
    })
}

/// Words between a preposition and a town's name: "in downtown Denver", "in nearby
/// Evanston".
fn is_place_adjective(doc: &Doc, k: usize) -> bool {
    doc.is(k, &lexicon::PLACE_ADJECTIVES)
}

/// True when the capitalized words `[start, end)` after "in" can be a town's name:
/// not a month, a day, an organisation, a building or a park ("in Grant Park" is a
/// venue, "in Congress" is not a place).
fn is_bare_locality(doc: &Doc, start: usize, end: usize) -> bool {
    let first = doc.word(start);
    let last = doc.word(end - 1);
    if lexicon::month_number(first.trim_end_matches('.')).is_some()
        || lexicon::weekday(first).is_some()
        || doc.raw(start).len() < 3
        || doc.raw(start).bytes().all(|b| b.is_ascii_uppercase())
    {
        return false;
    }
    // "in Tesla showrooms": a name used as an adjective is no town.
    let next_ok = match doc.kind(end) {
        None | Some(Kind::Punct) => true,
        Some(Kind::Number) => false,
        // A title-case headline: "Rally in Austin Against ...".
        Some(Kind::Word) if doc.tokens[end].capitalized && doc.is(end, &lexicon::TITLE_BREAKS) => {
            true
        }
        // "while in Erie some 150 gathered", "in Erie thousands marched": the figure
        // right after the town.
        Some(Kind::Word) => {
            doc.is(end, &lexicon::AFTER_TOWN_WORDS)
                || doc.is(end, &lexicon::FIGURE_OPENERS)
                || crate::number::may_start_quantity(doc, end)
                // "in nearby Ann Arbor a crowd of about 3,500": the crowd right after.
                || matches!(doc.word(end), "a" | "an")
                    && (lexicon::crowd_noun(doc.word(end + 1)).is_some()
                        || doc.is(end + 1, &lexicon::GATHERING_NOUNS))
                // "Over 400 people in Salina joined ...", "protesters in nearby Kent
                // marched": people of a town, then the verb of their coming.
                || doc.is(end, &lexicon::CROWD_VERBS)
                    && (start.saturating_sub(3)..start.saturating_sub(1))
                        .any(|k| lexicon::crowd_noun(doc.word(k)).is_some())
        }
    };
    next_ok && !lexicon::not_a_town(first) && !lexicon::venue_suffix(last)
}

/// "of" at `i` inside a capitalized name: "the University of Kansas", "the Governor
/// of Texas", "Bank of America" name an institution or an office, not where anyone
/// gathered ("In Lawrence, home of the University of Kansas, police estimated ..." is
/// Lawrence). "The City of Chicago", "the State of Texas" still name places.
fn of_in_a_name(doc: &Doc, i: usize) -> bool {
    doc.word(i) == "of"
        && i > 0
        && doc.kind(i - 1) == Some(Kind::Word)
        && doc.tokens[i - 1].capitalized
        && !doc.is(i - 1, &lexicon::PLACE_NOUNS)
}

/// A word with a possessive ending ("chicago's", "louis'"), without it.
fn strip_possessive(w: &str) -> Option<&str> {
    ["'s", "\u{2019}s", "'", "\u{2019}"]
        .iter()
        .find_map(|e| w.strip_suffix(e))
        .filter(|s| s.len() >= 3)
}

/// "in Fresno's Courthouse Park": a possessive town name before a capitalized venue
/// (from `end`), which the bare-town check (a name followed by a venue word) would
/// turn away; "in Newsom's California" names no town.
fn possessive_town(doc: &Doc, start: usize, end: usize) -> bool {
    let first = doc.word(start);
    let venue = (end..end + 3)
        .take_while(|&m| doc.tokens.get(m).is_some_and(|t| t.capitalized))
        .any(|m| lexicon::venue_suffix(doc.word(m)));
    venue
        && lexicon::month_number(first.trim_end_matches('.')).is_none()
        && lexicon::weekday(first).is_none()
        && !lexicon::not_a_town(strip_possessive(first).unwrap_or(first))
        && !doc.raw(start).bytes().all(|b| b.is_ascii_uppercase())
}

/// True when the capitalized words `[start, end)` name a country, region or large
/// city abroad ("Iraq", "South Africa", "Tel Aviv"); with a state after them ("Brazil,
/// Ind.") they were read as a town before this is asked.
fn is_abroad(doc: &Doc, start: usize, end: usize) -> bool {
    match end - start {
        1 => lexicon::FOREIGN_PLACES.contains(doc.word(start)),
        2 => {
            let name = format!("{} {}", doc.word(start), doc.word(start + 1));
            lexicon::FOREIGN_PLACES.contains(&name)
        }
        _ => false,
    }
}

/// The text of the name in tokens `[start, end)` with each run of white space (a line
/// break inside "Des\nMoines") read as one space.
fn name_text(doc: &Doc, start: usize, end: usize) -> String {
    let text = &doc.text[doc.tokens[start].start..doc.tokens[end - 1].end];
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every place mention in the text, in order.
pub fn find_places(doc: &Doc) -> Vec<PlaceMention> {
    let mut out = Vec::new();
    // A dateline opens the story: within the first lines.
    for j in 0..doc.tokens.len().min(80) {
        if j == 0 || doc.tokens[j].newlines_before > 0 {
            if let Some(p) = dateline(doc, j) {
                out.push(p);
                break;
            }
        }
    }
    let n = doc.tokens.len();
    if let Some((p, _)) = subject_place_at(doc, 0).filter(|_| doc.tokens[0].capitalized) {
        out.push(p);
    }
    let mut i = 0;
    let mut section_end = 0;
    // Towns named so far (mentions with a locality), counted as `out` grows.
    let (mut towns, mut counted) = (0usize, 0usize);
    while i < n {
        // "OREGON" alone on its line: a wire roundup's state section. Its towns named
        // without a state are that state's (`section_state`). The section's last token
        // is then looked at again as the opener of the line after it.
        if i >= section_end {
            if let Some(end) = state_section_at(doc, i) {
                out.push(subject_mention(
                    i,
                    None,
                    read_state(doc, i, false).map(|s| s.0),
                ));
                section_end = end;
                i = end - 1;
                continue;
            }
        }
        // Only a preposition followed by a capitalized word can open a place name.
        let next_capitalized = doc.tokens.get(i + 1).is_some_and(|t| t.capitalized);
        if !next_capitalized && !is_place_adjective(doc, i + 1) {
            i += 1;
            continue;
        }
        // A place opening a clause before its figure: "..., Chicago more than 150,000".
        if next_capitalized
            && doc.kind(i + 1) == Some(Kind::Word)
            && (opens_clause_after(doc, i) || doc.tokens[i + 1].newlines_before > 0)
        {
            if let Some((p, end)) = subject_place_at(doc, i + 1) {
                out.push(p);
                i = end;
                continue;
            }
            // "Orlando drew about 3,000": in a roundup (two towns named already), a
            // name opening a sentence as the subject of a verb of size is the next
            // town's, never the last one's; the gazetteer resolves it (or the ingest
            // summary names it).
            towns += out[counted..]
                .iter()
                .filter(|p| p.locality.is_some())
                .count();
            counted = out.len();
            if let Some(end) = roundup_subject_at(doc, i, towns) {
                out.push(subject_mention(
                    i + 1,
                    Some(name_text(doc, i + 1, end)),
                    None,
                ));
                i = end;
                continue;
            }
        }
        let w = doc.word(i);
        if !doc.is(i, &lexicon::PLACE_PREPOSITIONS) || of_in_a_name(doc, i) {
            i += 1;
            continue;
        }
        // Capitalized words after the preposition: the place name.
        let mut k = i + 1;
        let adjective = is_place_adjective(doc, k);
        if adjective || doc.word(k) == "the" && doc.word(k + 1) == "city" {
            k += if adjective { 1 } else { 2 };
        }
        let name_start = k;
        let mut possessive = false;
        while k < n && k < name_start + 4 {
            let t = doc.tokens[k];
            // A title-case headline goes on past the name: "in Austin Against ...".
            // A headline's last word is no part of the dateline under it: "across
            // Vermont\n\nBRATTLEBORO, Vt." names Vermont, then Brattleboro.
            let breaks =
                k > name_start && (doc.is(k, &lexicon::TITLE_BREAKS) || opens_a_new_block(doc, k));
            if t.kind == Kind::Word && t.capitalized && !breaks
                || doc.raw(k) == "." && doc.word(k.wrapping_sub(1)) == "st"
            {
                k += 1;
                // "in Chicago's Grant Park", "from St. Louis' Old Courthouse": the town
                // owns the venue after it.
                if t.kind == Kind::Word && strip_possessive(doc.word(k - 1)).is_some() {
                    possessive = true;
                    break;
                }
            } else {
                break;
            }
        }
        if k == name_start {
            i += 1;
            continue;
        }
        let mut words: Vec<&str> = (name_start..k).map(|m| doc.word(m)).collect();
        if possessive {
            let last = words.len() - 1;
            words[last] = strip_possessive(words[last]).unwrap_or(words[last]);
        }
        // "in Boise, Idaho", "in Springfield, Ill.", "in Boise, ID".
        if doc.raw(k) == "," {
            if let Some((code, _)) = read_state(doc, k + 1, true) {
                // A state name alone is not a locality ("in New York, ...").
                out.push(PlaceMention {
                    at: i,
                    locality: Some(name_text(doc, name_start, k)),
                    state: Some(code),
                    dateline: false,
                    subject: false,
                });
                i = k;
                continue;
            }
        }
        // "the Las Vegas mass shooting": a city's name used of something else; "the
        // Seattle march" is a gathering there.
        let of_something_else = w == "the"
            && doc.kind(k) == Some(Kind::Word)
            && !doc.tokens[k].capitalized
            && !doc.is(k, &lexicon::GATHERING_NOUNS)
            && lexicon::crowd_noun(doc.word(k)).is_none();
        if of_something_else {
            i = k;
            continue;
        }
        if let Some((city, st)) = standalone_city(&words) {
            if !(words == ["washington"] && doc.word(k) == "state") {
                out.push(PlaceMention {
                    at: i,
                    locality: Some(city.to_string()),
                    state: st.parse().ok(),
                    dateline: false,
                    subject: false,
                });
            }
        } else if let Some((code, end)) = read_state(doc, name_start, false) {
            if end == k {
                out.push(PlaceMention {
                    at: i,
                    locality: None,
                    state: Some(code),
                    dateline: false,
                    subject: false,
                });
            }
        } else if is_abroad(doc, name_start, k) {
            // "in Iraq", "in London": no US place; the figures there take none.
            out.push(PlaceMention {
                at: i,
                locality: None,
                state: None,
                dateline: false,
                subject: false,
            });
        } else if (w == "in" || adjective)
            // "in nearby Winter Park": after "nearby" a park's name is a town's.
            && (is_bare_locality(doc, name_start, k)
                || adjective
                    && lexicon::venue_suffix(doc.word(k - 1))
                    && k - name_start >= 2
                    && matches!(doc.raw(k), ",")
                || possessive && possessive_town(doc, name_start, k))
        {
            // "in nearby Evanston": a town the text names without its state; the
            // gazetteer resolves it (or flags it) downstream.
            let mut name = name_text(doc, name_start, k);
            if possessive {
                let cut = strip_possessive(&name).map_or(name.len(), str::len);
                name.truncate(cut);
            }
            out.push(PlaceMention {
                at: i,
                locality: Some(name),
                state: None,
                dateline: false,
                subject: false,
            });
        }
        i = k;
    }
    out
}

/// "while Seattle saw about 2,500", "Chicago more than 150,000", "Milwaukee (12,000)":
/// a place opening a clause (token `i`), right before its figure, a figure in
/// parentheses or a verb of size. Known cities and states only, except before a
/// parenthesized figure ("Green Bay (1,800)"), where a list leaves no doubt that the
/// name is a place. Returns the mention and the token after the name.
fn subject_place_at(doc: &Doc, i: usize) -> Option<(PlaceMention, usize)> {
    let n = doc.tokens.len();
    let mut k = i;
    while k < n
        && k < i + 3
        && (doc.tokens[k].kind == Kind::Word && doc.tokens[k].capitalized
            || doc.raw(k) == "." && doc.adjacent(k) && k > i)
    {
        k += 1;
    }
    if k == i {
        return None;
    }
    if let Some(found) = list_line_place(doc, i, k) {
        return Some(found);
    }
    let figure_in_parentheses =
        doc.raw(k) == "(" && doc.kind(k + 1) == Some(Kind::Number) && doc.raw(k + 2) == ")"
            || list_item_figure(doc, i, k);
    // "Nashville police put the crowd at 15,000": a town's own source opening the
    // clause names the town.
    let town_source = doc.is(k, &lexicon::TOWN_SOURCES) && could_be_town(doc, i, k);
    // "Eugene, where about 1,800 gathered, ...": a relative clause of place whose
    // figure follows; "Spokane's turnout, put at 3,000, ...": a town owning the
    // gathering or its turnout.
    let where_figure = doc.raw(k) == ","
        && doc.word(k + 1) == "where"
        && (k + 2..k + 5).any(|q| crate::number::may_start_quantity(doc, q))
        && could_be_town(doc, i, k);
    // (Not a day's: "Saturday's march", "June's rally".)
    let owns_gathering = strip_possessive(doc.word(k - 1))
        .is_some_and(|w| lexicon::weekday(w).is_none() && lexicon::month_number(w).is_none())
        && (doc.is(k, &lexicon::GATHERING_NOUNS) || matches!(doc.word(k), "turnout" | "crowd"))
        && could_be_town(doc, i, k);
    let follows = figure_in_parentheses
        || town_source
        || where_figure
        || owns_gathering
        || doc.kind(k) == Some(Kind::Number)
        || doc.is(k, &lexicon::SUBJECT_PLACE_FOLLOWERS);
    if !follows {
        // "..., and Yuma and Prescott passed 1,000": one figure for two places names
        // no one place; the mention keeps an earlier place off the figure.
        let second = k + 1;
        let mut end = second;
        while end < n && end < second + 3 && doc.tokens[end].capitalized {
            end += 1;
        }
        let pair = doc.word(k) == "and"
            && end > second
            && could_be_town(doc, i, k)
            && could_be_town(doc, second, end)
            && (doc.kind(end) == Some(Kind::Number)
                || doc.is(end, &lexicon::FIGURE_OPENERS)
                || matches!(doc.word(end), "saw" | "had" | "passed" | "each" | "topped"));
        return pair.then_some((subject_mention(i, None, None), end));
    }
    let mention = |locality, state| subject_mention(i, locality, state);
    let words: Vec<&str> = (i..k).map(|m| doc.word(m)).collect();
    let found = if let Some((city, st)) = standalone_city(&words) {
        mention(Some(city.to_string()), st.parse().ok())
    } else if let Some((code, _)) = read_state(doc, i, false).filter(|s| s.1 == k) {
        mention(None, Some(code))
    } else if owns_gathering {
        let name = name_text(doc, i, k);
        let cut = strip_possessive(&name).map_or(name.len(), str::len);
        mention(Some(name[..cut].to_string()), None)
    } else if figure_in_parentheses && is_bare_locality(doc, i, k)
        || town_source
        || where_figure
        || bare_subject_town(doc, i, k)
    {
        mention(Some(name_text(doc, i, k)), None)
    } else {
        return None;
    };
    Some((found, k))
}

/// "Elsewhere in the state: Grand Rapids, 4,000; Ludington, 600; Manistee, about 250":
/// an item of a list after a colon or semicolon (or opening a line), the name `[i, k)`
/// then a comma and a figure that ends the item. A list leaves no doubt that the name
/// is a place.
fn list_item_figure(doc: &Doc, i: usize, k: usize) -> bool {
    let opens_item =
        i > 0 && matches!(doc.raw(i - 1), ";" | ":") || doc.tokens[i].newlines_before > 0;
    let figure =
        crate::number::may_start_quantity(doc, k + 1) || doc.is(k + 1, &lexicon::FIGURE_OPENERS);
    if !opens_item || doc.raw(k) != "," || !figure {
        return false;
    }
    // The item ends after its figure (a qualifier and up to three number tokens).
    let n = doc.tokens.len();
    (k + 2..(k + 6).min(n + 1)).any(|e| {
        e == n
            || matches!(doc.raw(e), ";" | "." | ",")
                && (k + 1..e).any(|m| doc.kind(m) == Some(Kind::Number))
            || doc.tokens.get(e).is_some_and(|t| t.newlines_before > 0)
    })
}

/// "while Tucson saw more than 4,000", "..., and Flagstaff about 900": a name the
/// gazetteer may know, as the subject of "saw" and a figure, or with its verb elided
/// after "and" or a comma, straight before its figure. A person "drew" or "had" a
/// crowd ("Trump drew 10,000"), so those verbs stay for known cities; a source or a
/// common word is no town ("Police saw 2,000").
fn bare_subject_town(doc: &Doc, i: usize, k: usize) -> bool {
    let opener = doc.word(i.wrapping_sub(1));
    let figure_at =
        |m: usize| crate::number::may_start_quantity(doc, m) || doc.is(m, &lexicon::FIGURE_OPENERS);
    let saw = doc.word(k) == "saw" && figure_at(k + 1);
    let elided = matches!(opener, "and" | ",") && figure_at(k);
    (saw || elided || drew_in_a_roundup(doc, k)) && could_be_town(doc, i, k)
}

/// "Burlington drew roughly 9,000, while Charlotte saw about 75": a person also
/// "drew" or "had" a crowd, so such a subject is a town only when its sentence goes on
/// to name another town the same way (a roundup). `k` is the verb after the name.
fn drew_in_a_roundup(doc: &Doc, k: usize) -> bool {
    let figure_at =
        |m: usize| crate::number::may_start_quantity(doc, m) || doc.is(m, &lexicon::FIGURE_OPENERS);
    if !matches!(
        doc.word(k),
        "drew" | "had" | "attracted" | "topped" | "counted"
    ) || !figure_at(k + 1)
    {
        return false;
    }
    let n = doc.tokens.len();
    (k + 2..(k + 24).min(n))
        .take_while(|&m| !matches!(doc.raw(m), "." | ";" | "!" | "?"))
        .any(|m| {
            doc.tokens[m].capitalized
                && doc.kind(m) == Some(Kind::Word)
                && opens_clause_after(doc, m - 1)
                && {
                    let mut e = m;
                    while e < n
                        && e < m + 3
                        && doc.kind(e) == Some(Kind::Word)
                        && doc.tokens[e].capitalized
                    {
                        e += 1;
                    }
                    let saw = doc.word(e) == "saw" && figure_at(e + 1);
                    let elided = matches!(doc.word(m - 1), "and" | ",") && figure_at(e);
                    (saw || elided) && could_be_town(doc, m, e)
                }
        })
}

/// True when the capitalized words `[i, k)` can be a town the text names bare: no
/// source, common word, label, month or day, and not all caps.
fn could_be_town(doc: &Doc, i: usize, k: usize) -> bool {
    // "Police saw 2,000", "Capitol Police", "White House": a source; "White River
    // Junction" is a town whose first word only starts sources.
    let source =
        (i..k).all(|m| doc.has(m, lexicon::SOURCE_START)) || doc.has(k - 1, lexicon::SOURCE_START);
    let name_ok = !source
        && (i..k).all(|m| {
            let w = doc.word(m);
            // "St. Augustine saw some 800": the saint's abbreviation and its point.
            let saint = |s: usize| doc.word(s) == "st" && doc.raw(s + 1) == "." && s + 2 < k;
            doc.raw(m) == "." && m > i && saint(m - 1)
                || saint(m)
                || doc.kind(m) == Some(Kind::Word)
                    && !lexicon::not_a_town(w)
                    && !doc.is(m, &lexicon::CROWD_CONTEXT)
                    && !doc.is(m, &lexicon::LIST_LABELS)
                    && !doc.is(m, &lexicon::STOP_WORDS)
                    && lexicon::crowd_noun(w).is_none()
                    && lexicon::month_number(w).is_none()
                    && lexicon::weekday(w).is_none()
        });
    let saint = doc.word(i) == "st" && doc.raw(i + 1) == ".";
    name_ok
        && (doc.raw(i).len() >= 3 || saint)
        && !doc.raw(i).bytes().all(|b| b.is_ascii_uppercase())
}

/// True when the token `i` comes right after a dash that follows a time opening its
/// line ("2:15 p.m. \u{2014} Dallas: ..."): a live blog's entry.
fn after_entry_time(doc: &Doc, i: usize) -> bool {
    if i < 2 || !doc.is_dash(i - 1) {
        return false;
    }
    let start = (i.saturating_sub(8)..i - 1)
        .rev()
        .find(|&m| m == 0 || doc.tokens[m].newlines_before > 0);
    start.is_some_and(|m| {
        doc.kind(m) == Some(Kind::Number)
            && (doc.raw(m).contains(':') || doc.raw(m + 1) == ":" && doc.adjacent(m + 1))
    })
}

/// A state's name alone on its line (a wire roundup's section, "OREGON"): the token
/// after it.
fn state_section_at(doc: &Doc, i: usize) -> Option<usize> {
    let t = doc.tokens.get(i)?;
    if t.newlines_before == 0 || !t.capitalized || i == 0 {
        return None;
    }
    let (_, end) = read_state(doc, i, false)?;
    doc.tokens
        .get(end)
        .is_none_or(|t| t.newlines_before > 0)
        .then_some(end)
}

/// The mentions that set or end a roundup's state section, in text order: each
/// dateline and state named alone, with the state of those that are section lines
/// (`None` for the others). The section a token stands in is the last one before it
/// (`section_state`).
pub fn section_stops(doc: &Doc, places: &[PlaceMention]) -> Vec<(usize, Option<StateCode>)> {
    let mut stops = places
        .iter()
        .filter(|p| p.dateline || p.state.is_some() && p.locality.is_none())
        .map(|p| {
            let section = !p.dateline && state_section_at(doc, p.at).is_some();
            (p.at, p.state.filter(|_| section))
        })
        .collect::<Vec<_>>();
    stops.sort_by_key(|s| s.0);
    stops
}

/// The state of the roundup section a token at `at` stands in, from `section_stops`:
/// the last section line before it, when no dateline or other state came between.
pub fn section_state(stops: &[(usize, Option<StateCode>)], at: usize) -> Option<StateCode> {
    let before = stops.partition_point(|s| s.0 < at);
    stops[..before].last().and_then(|s| s.1)
}

/// "... Bend roughly 2,000. Orlando drew about 3,000": a capitalized name opening the
/// sentence after the token `i`, the subject of a verb of size and a figure, in a text
/// that has named two towns already. Returns the token after the name.
fn roundup_subject_at(doc: &Doc, i: usize, towns: usize) -> Option<usize> {
    let opens = doc.raw(i) == "." || doc.tokens.get(i + 1)?.newlines_before > 0;
    if !opens || towns < 2 {
        return None;
    }
    let n = doc.tokens.len();
    let mut k = i + 1;
    while k < n && k < i + 4 && doc.kind(k) == Some(Kind::Word) && doc.tokens[k].capitalized {
        k += 1;
    }
    let figure_at =
        |m: usize| crate::number::may_start_quantity(doc, m) || doc.is(m, &lexicon::FIGURE_OPENERS);
    (k > i + 1
        && matches!(
            doc.word(k),
            "drew" | "saw" | "had" | "attracted" | "counted" | "topped"
        )
        && figure_at(k + 1)
        && could_be_town(doc, i + 1, k))
    .then_some(k)
}

/// A list line's place label: "Madison, Wisconsin: 75,000 - 100,000", "Phoenix:
/// 20,000", "Sioux Falls, South Dakota - 3,300": the name `[i, k)` opening its line, an
/// optional state after a comma, a colon or spaced dash, then a figure. A name alone
/// must be a known city or a state; with its state any name is a town's. Returns the
/// mention and the token after the label.
fn list_line_place(doc: &Doc, i: usize, k: usize) -> Option<(PlaceMention, usize)> {
    // An all-caps name opening the text is a dateline, read as one. A live blog's
    // entry opens with its time: "2:15 p.m. \u{2014} Dallas: about 5,000".
    if i != 0 && doc.tokens[i].newlines_before == 0 && !after_entry_time(doc, i)
        || doc.raw(i).bytes().all(|b| b.is_ascii_uppercase())
    {
        return None;
    }
    let separator = |m: usize| doc.raw(m) == ":" || doc.is_dash(m) && !doc.adjacent(m);
    let (state, end) = if doc.raw(k) == "," {
        let (code, e) = read_state(doc, k + 1, true)?;
        let e = if doc.raw(e) == "," { e + 1 } else { e };
        (Some(code), e)
    } else {
        (None, k)
    };
    // A live blog's entry label names the place of the whole entry ("2:15 p.m. \u{2014}
    // Dallas: a crowd of about 5,000 ...").
    // (The separator first: most names have none after them.)
    if !separator(end) {
        return None;
    }
    let entry = doc.raw(end) == ":" && after_entry_time(doc, i);
    // The figure may open with its qualifier: "Fort Wayne \u{2014} about 1,500".
    let figure = crate::number::may_start_quantity(doc, end + 1)
        || (end + 2..end + 5).any(|q| {
            crate::number::may_start_quantity(doc, q)
                && crate::number::qualifier_before(doc, q) == Some(end + 1)
        });
    if !figure && !entry {
        return None;
    }
    let mention = |locality, state| subject_mention(i, locality, state);
    let words: Vec<&str> = (i..k).map(|m| doc.word(m)).collect();
    let found = match (state, standalone_city(&words)) {
        (Some(code), _) => {
            // A state name before its own state is no town ("Texas, TX"), but
            // "Washington, D.C.:" is the capital.
            let own_state = read_state(doc, i, false).is_some_and(|s| s.1 == k && s.0 == code);
            mention((!own_state).then(|| name_text(doc, i, k)), Some(code))
        }
        (None, Some((city, st))) => mention(Some(city.to_string()), st.parse().ok()),
        (None, None) => match read_state(doc, i, false) {
            Some((code, e)) if e == k => mention(None, Some(code)),
            // "Bend: 3,500" among other places' lines: a town the gazetteer resolves
            // (or flags); never a source or a label ("Police: 3,000", "Turnout: 700",
            // "Population: 800", "Arrests: 12").
            _ if (i..k).all(|m| {
                !doc.has(m, lexicon::SOURCE_START)
                    && !doc.is(m, &lexicon::LIST_LABELS)
                    && !doc.is(m, &lexicon::CROWD_CONTEXT)
                    && !doc.is(m, &lexicon::STOP_WORDS)
            }) && !(k == i + 1
                && (doc.is(i, &lexicon::NEGATIVE_CONTEXT)
                    || lexicon::negative_noun(doc.word(i))))
                && is_bare_locality(doc, i, k) =>
            {
                mention(Some(name_text(doc, i, k)), None)
            }
            _ => return None,
        },
    };
    Some((found, end))
}

/// A subject place at token `at`: it names the figures after it.
fn subject_mention(at: usize, locality: Option<String>, state: Option<StateCode>) -> PlaceMention {
    PlaceMention {
        at,
        locality,
        state,
        dateline: false,
        subject: true,
    }
}

/// A token at `k` that opens a paragraph, or a line in capitals (a dateline): a name
/// does not run on into it (a name wrapped onto the next line does: "in Des\nMoines").
fn opens_a_new_block(doc: &Doc, k: usize) -> bool {
    let t = doc.tokens[k];
    t.newlines_before > 1
        || t.newlines_before == 1
            && doc.raw(k).len() > 1
            && doc.raw(k).bytes().all(|b| b.is_ascii_uppercase())
}

/// A token after which a clause opens: a comma or other break, or "while", "and".
fn opens_clause_after(doc: &Doc, k: usize) -> bool {
    // "DENVER \u{2014} Parker saw about 600": a dateline's dash opens the first clause.
    matches!(doc.raw(k), "," | ";" | ":" | "(" | "\u{2014}")
        || doc.raw(k) == "." && !ends_a_title(doc, k)
        || matches!(doc.word(k), "while" | "and" | "but" | "whereas")
}

/// The point at `k` ends a title or an initial glued to it ("St. Paul police", "Gov.
/// Walz"): the name goes on after it, and no clause opens there ("Paul police" is no
/// town). A state's abbreviation may end a sentence ("in Springfield, Ill. Chicago
/// saw ..."), so it does not count here.
fn ends_a_title(doc: &Doc, k: usize) -> bool {
    k > 0 && doc.adjacent(k) && doc.kind(k - 1) == Some(Kind::Word) && {
        let w = doc.word(k - 1);
        // (`is_abbreviation` less the AP abbreviations: a title or an initial, asked
        // first, so that most words cost no AP lookup.)
        crate::token::is_title_or_initial(w) && StateCode::from_ap_abbreviation(w).is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::token::tokenize;

    fn places(text: &str) -> Vec<(Option<String>, Option<String>)> {
        let lower = text.to_ascii_lowercase();
        let tokens = tokenize(text);
        let doc = Doc::new(text, &lower, &tokens);
        find_places(&doc)
            .into_iter()
            .map(|p| (p.locality, p.state.map(|s| s.to_string())))
            .collect()
    }

    #[test]
    fn datelines_and_in_city_state() {
        assert_eq!(
            places("CHICAGO (AP) \u{2014} Thousands marched.")[0],
            (Some("Chicago".into()), Some("IL".into()))
        );
        assert_eq!(
            places("BOISE, Idaho (AP) \u{2014} A crowd gathered.")[0],
            (Some("Boise".into()), Some("ID".into()))
        );
        assert_eq!(
            places("ST. LOUIS \u{2014} Rain fell.")[0],
            (Some("St. Louis".into()), Some("MO".into()))
        );
        assert_eq!(
            places("Hundreds rallied in Springfield, Ill., on Saturday.")[0],
            (Some("Springfield".into()), Some("IL".into()))
        );
        assert_eq!(
            places("A march in Boise, ID drew 300.")[0],
            (Some("Boise".into()), Some("ID".into()))
        );
        assert_eq!(
            places("Protesters gathered in downtown Denver.")[0],
            (Some("Denver".into()), Some("CO".into()))
        );
    }

    #[test]
    fn issue_9_places_opening_a_clause_before_their_figure() {
        assert_eq!(
            places("The crowd in Denver topped 10,000, while Seattle saw about 2,500."),
            vec![
                (Some("Denver".into()), Some("CO".into())),
                (Some("Seattle".into()), Some("WA".into())),
            ]
        );
        assert_eq!(
            places("Rallies were big: Milwaukee (12,000), Madison (9,500) and Green Bay (1,800)."),
            vec![
                (Some("Milwaukee".into()), Some("WI".into())),
                (Some("Madison".into()), None),
                (Some("Green Bay".into()), None),
            ]
        );
        assert_eq!(
            places("Chicago more than 150,000, and Texas about 40,000."),
            vec![
                (Some("Chicago".into()), Some("IL".into())),
                (None, Some("TX".into())),
            ]
        );
        // A person or a source is no place.
        assert!(places("Trump drew 10,000, while Police saw 2,000.").is_empty());
        // A town the gazetteer may know, as the subject of "saw" or with its verb
        // elided; two towns sharing one figure name no one place.
        assert_eq!(
            places("Yuma saw more than 4,000, and Kingman about 900."),
            vec![(Some("Yuma".into()), None), (Some("Kingman".into()), None)]
        );
        assert_eq!(
            places("Mesa had 2,500, and Yuma and Prescott passed 1,000."),
            vec![(None, None)]
        );
    }

    #[test]
    fn issue_9_list_lines_and_title_case_headlines_name_each_figure_s_place() {
        assert_eq!(
            places("Turnout by city\nKalamazoo, Michigan: 4,000 - 5,000, per police\nReno: 2,200\nWashington, D.C.: 30,000\nElko, NV - 150\nPolice: 3,000\nTurnout: 700"),
            vec![
                (Some("Kalamazoo".into()), Some("MI".into())),
                (Some("Reno".into()), None),
                (Some("Washington".into()), Some("DC".into())),
                (Some("Elko".into()), Some("NV".into())),
            ]
        );
        // A dateline is read as a dateline, not as a list line.
        assert_eq!(
            places("RENO, Nev. \u{2014} Dozens marched.")[0],
            (Some("Reno".into()), Some("NV".into()))
        );
        // The words after a place in a title-case headline are no part of its name.
        assert_eq!(
            places("Hundreds Rally in Boise Against Land Sale"),
            vec![(Some("Boise".into()), None)]
        );
        assert_eq!(
            places("Thousands March in Fort Worth Over Wages"),
            vec![(Some("Fort Worth".into()), None)]
        );
    }

    #[test]
    fn issue_9_a_place_name_split_across_a_line_break_is_one_name() {
        assert_eq!(
            places("About 3,000 people marched in Des\nMoines on Saturday.")[0],
            (Some("Des Moines".into()), None)
        );
        assert_eq!(
            places("Several hundred rallied in Grand\r\nRapids, Mich., at noon.")[0],
            (Some("Grand Rapids".into()), Some("MI".into()))
        );
        assert_eq!(
            places("A vigil in Salt Lake\nCity drew 400.")[0],
            (Some("Salt Lake City".into()), Some("UT".into()))
        );
    }

    #[test]
    fn issue_9_places_abroad_are_no_us_towns() {
        // A country or a large city abroad names no US place, so its figure takes none.
        assert_eq!(
            places("Protests over the war in Iraq put millions on the streets."),
            [(None, None)]
        );
        assert_eq!(
            places("Marches drew 12,000 in Sydney and 800 in South Africa."),
            [(None, None), (None, None)]
        );
        // With its state it is a US town ("Brazil, Ind."); a US state stays a state.
        assert_eq!(
            places("About 500 people rallied in Brazil, Ind., on Saturday.")[0],
            (Some("Brazil".into()), Some("IN".into()))
        );
        assert_eq!(
            places("Thousands marched in Georgia on Saturday.")[0],
            (None, Some("GA".into()))
        );
    }

    #[test]
    fn issue_9_a_town_owning_a_venue_is_the_place() {
        assert_eq!(
            places("Hundreds marched from St. Louis' Old Courthouse.")[0],
            (Some("St. Louis".into()), Some("MO".into()))
        );
        assert_eq!(
            places("About 2,000 people rallied in Fresno's Courthouse Park.")[0],
            (Some("Fresno".into()), None)
        );
        // A person's name before a possessive is no town.
        assert!(
            places("Hundreds gathered in Newsom's California on Saturday.")
                .iter()
                .all(|p| p.0.is_none())
        );
    }
}
