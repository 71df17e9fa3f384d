//! Splitting a free-form place string into the localities and states it may name.
//!
//! "St. Paul/Minneapolis, MN" gives two localities in MN; "Honolulu (Oahu) HI" gives
//! Honolulu in HI with Oahu as a fallback; "Kahului, Maui, HI" gives Kahului then Maui,
//! both in HI. The parser only splits; the resolver decides which piece resolves.

use crate::normalize::normalize;
use crate::states::{parse_state, split_trailing_state};
use tally_model::StateCode;

/// One locality to try, with the state that constrains it.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub locality: String,
    pub state: Option<StateCode>,
}

/// What the parser found in a string.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Parsed {
    /// Localities to try, in order.
    pub candidates: Vec<Candidate>,
    /// Tried only when every candidate fails: the string read as a locality without
    /// the state a trailing word seemed to name ("Fort Washington" is not in WA).
    pub fallbacks: Vec<Candidate>,
    /// The first state the string names, which an unresolved locality falls back to.
    pub state: Option<StateCode>,
    /// True when the string names a state and nothing else.
    pub state_only: bool,
    /// A 5-digit ZIP code written in the string ("Troy, PA 16947"), the last one.
    pub zip: Option<u32>,
}

/// The last 5-digit ZIP code (or ZIP+4) written in the text.
fn find_zip(text: &str) -> Option<u32> {
    text.rsplit(|c: char| !c.is_ascii_alphanumeric() && c != '-')
        .find_map(|word| {
            let five = word.split_once('-').map_or(word, |(head, _)| head);
            (five.len() == 5 && five.bytes().all(|b| b.is_ascii_digit()))
                .then(|| five.parse().ok())
                .flatten()
        })
}

/// Words that mark an online or virtual gathering.
pub(crate) const ONLINE_WORDS: &[&str] = &[
    "online",
    "virtual",
    "virtually",
    "zoom",
    "webinar",
    "livestream",
    "livestreamed",
    "teleconference",
    "internet",
];

/// True when the text describes an online or virtual event.
pub fn is_online(text: &str) -> bool {
    let key = normalize(text);
    key.split(' ').any(|w| ONLINE_WORDS.contains(&w))
}

/// Splits text into what lies outside brackets and the contents of each bracket.
fn split_brackets(text: &str) -> (String, Vec<String>) {
    let mut main = String::with_capacity(text.len());
    let mut extras = Vec::new();
    let mut inner = String::new();
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' | '[' | '{' => {
                depth += 1;
                main.push(' ');
            }
            ')' | ']' | '}' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    extras.push(std::mem::take(&mut inner));
                }
            }
            ')' | ']' | '}' => main.push(' '),
            _ if depth > 0 => inner.push(c),
            _ => main.push(c),
        }
    }
    // An unclosed bracket is a typo, not an aside: its text stays in the main part,
    // so "Mt (, AL" keeps its trailing state.
    if !inner.is_empty() {
        main.push(' ');
        main.push_str(&inner);
    }
    (main, extras)
}

/// True for a part that names the country rather than a place in it.
fn is_country(key: &str) -> bool {
    matches!(
        key,
        "usa" | "us" | "united states" | "united states of america" | "america"
    )
}

/// Drops trailing ZIP codes ("Boston, MA 02108" → "Boston, MA").
fn strip_zip(part: &str) -> &str {
    let mut rest = part.trim_end();
    while let Some((pos, space)) = rest.char_indices().rev().find(|(_, c)| c.is_whitespace()) {
        let word = &rest[pos + space.len_utf8()..];
        if !word.is_empty() && word.chars().all(|c| c.is_ascii_digit() || c == '-') {
            rest = rest[..pos].trim_end();
        } else {
            break;
        }
    }
    if rest
        .chars()
        .all(|c| c.is_ascii_digit() || c == '-' || c.is_whitespace())
    {
        return "";
    }
    rest
}

/// One slash-separated segment: its localities, its own state, and its fallbacks.
struct Segment {
    localities: Vec<String>,
    fallback: Option<String>,
    state: Option<StateCode>,
}

fn parse_segment(segment: &str) -> Option<Segment> {
    let mut parts: Vec<&str> = segment
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    while parts.last().is_some_and(|p| is_country(&normalize(p))) {
        parts.pop();
    }
    if let Some(last) = parts.last_mut() {
        *last = strip_zip(last);
        if last.is_empty() {
            parts.pop();
        }
    }
    let last = *parts.last()?;
    if let Some(state) = parse_state(last) {
        parts.pop();
        return Some(Segment {
            localities: parts.iter().map(|p| p.to_string()).collect(),
            fallback: None,
            state: Some(state),
        });
    }
    let last_key = normalize(last);
    if let Some((rest, state)) = split_trailing_state(&last_key) {
        // A trailing full state name without a comma may be part of the place's own
        // name ("Fort Washington"); a trailing postal code is taken as the state.
        let fallback = (rest.len() + 3 < last_key.len()).then(|| last.to_string());
        let mut localities: Vec<String> = parts[..parts.len() - 1]
            .iter()
            .map(|p| p.to_string())
            .collect();
        localities.push(rest.to_string());
        return Some(Segment {
            localities,
            fallback,
            state: Some(state),
        });
    }
    Some(Segment {
        localities: parts.iter().map(|p| p.to_string()).collect(),
        fallback: None,
        state: None,
    })
}

/// Parses a free-form place string.
pub fn parse_place(text: &str) -> Parsed {
    let (main, extras) = split_brackets(text);
    // Spaced dashes separate parts like commas ("Los Angeles - CA").
    let main = main
        .replace(" - ", ",")
        .replace(" – ", ",")
        .replace(" — ", ",");
    let segments: Vec<Segment> = main
        .split(['/', ';', '|', '\\'])
        .filter_map(parse_segment)
        .collect();
    let mut parsed = Parsed::default();
    for (i, segment) in segments.iter().enumerate() {
        // A segment without a state takes the next segment's ("St. Paul/Minneapolis,
        // MN"), else the previous one's.
        let state = segment.state.or_else(|| {
            segments[i + 1..]
                .iter()
                .find_map(|s| s.state)
                .or_else(|| segments[..i].iter().rev().find_map(|s| s.state))
        });
        if parsed.state.is_none() {
            parsed.state = state;
        }
        for locality in &segment.localities {
            parsed.candidates.push(Candidate {
                locality: locality.clone(),
                state,
            });
        }
        if segment.localities.len() > 1 {
            parsed.candidates.push(Candidate {
                locality: segment.localities.join(" "),
                state,
            });
        }
        if let Some(fallback) = &segment.fallback {
            parsed.fallbacks.push(Candidate {
                locality: fallback.clone(),
                state: None,
            });
        }
    }
    for extra in extras {
        let extra = extra.trim();
        if extra.is_empty() {
            continue;
        }
        if let Some(state) = parse_state(extra) {
            if parsed.state.is_none() {
                parsed.state = Some(state);
                for c in &mut parsed.candidates {
                    c.state = Some(state);
                }
            }
            continue;
        }
        let inner = parse_place(extra);
        for mut c in inner.candidates {
            if let Some(outer) = parsed.state {
                // The bracket may not move the place out of the state outside it.
                if c.state.is_some_and(|s| s != outer) {
                    continue;
                }
                c.state = Some(outer);
            }
            parsed.candidates.push(c);
        }
        if parsed.state.is_none() {
            parsed.state = inner.state;
        }
    }
    // Names joined by "&", "and" or a hyphen ("Minneapolis & St. Paul",
    // "Urbana-Champaign") come last, after the joined form had its chance.
    let joined: Vec<Candidate> = parsed
        .candidates
        .iter()
        .filter(|c| c.locality.contains(['&', '-']) || normalize(&c.locality).contains(" and "))
        .cloned()
        .collect();
    for c in joined {
        let key = normalize(&c.locality.replace('-', " and "));
        for piece in key.split(" and ").filter(|p| !p.is_empty()) {
            parsed.candidates.push(Candidate {
                locality: piece.to_string(),
                state: c.state,
            });
        }
    }
    parsed.state_only = parsed.candidates.is_empty() && parsed.state.is_some();
    parsed.zip = find_zip(text);
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn localities(text: &str) -> Vec<(String, Option<&'static str>)> {
        parse_place(text)
            .candidates
            .into_iter()
            .map(|c| (c.locality, c.state.map(|s| s.as_str())))
            .collect()
    }

    #[test]
    fn comma_and_trailing_states() {
        assert_eq!(
            localities("Boise, ID"),
            vec![("Boise".to_string(), Some("ID"))]
        );
        assert_eq!(
            localities("Honolulu (Oahu) HI"),
            vec![
                ("honolulu".to_string(), Some("HI")),
                ("Oahu".to_string(), Some("HI"))
            ]
        );
        assert_eq!(
            localities("Boston, MA 02108, USA"),
            vec![("Boston".to_string(), Some("MA"))]
        );
    }

    #[test]
    fn issue_14_a_zip_is_kept_beside_the_place() {
        assert_eq!(parse_place("Troy, PA 16947").zip, Some(16947));
        assert_eq!(parse_place("Boston, MA 02108-1234, USA").zip, Some(2108));
        assert_eq!(parse_place("Route 66, AZ").zip, None);
        assert_eq!(parse_place("Boise, ID").zip, None);
    }

    #[test]
    fn slashes_share_the_state() {
        let parsed = parse_place("St. Paul/Minneapolis, MN");
        assert_eq!(parsed.candidates.len(), 2);
        assert!(parsed
            .candidates
            .iter()
            .all(|c| c.state.map(|s| s.as_str()) == Some("MN")));
        let tahoe = parse_place("South Lake Tahoe, CA / Stateline, NV");
        assert_eq!(tahoe.candidates[0].state.map(|s| s.as_str()), Some("CA"));
        assert_eq!(tahoe.candidates[1].state.map(|s| s.as_str()), Some("NV"));
    }

    #[test]
    fn an_unclosed_bracket_keeps_its_text() {
        let parsed = parse_place("Mt (, AL");
        assert_eq!(parsed.state.map(|s| s.as_str()), Some("AL"));
        let parsed = parse_place("Boise (downtown, ID");
        assert_eq!(parsed.state.map(|s| s.as_str()), Some("ID"));
    }

    #[test]
    fn state_only_and_online() {
        assert!(parse_place("Texas").state_only);
        assert!(parse_place("Calif.").state_only);
        assert!(!parse_place("Austin, TX").state_only);
        assert!(is_online("Disability (online)"));
        assert!(is_online("Virtual rally"));
        assert!(!is_online("Boise, ID"));
        assert!(parse_place("").candidates.is_empty());
    }
}
