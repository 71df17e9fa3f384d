//! Recognizing a state in text: postal codes, full names, AP style abbreviations
//! ("Calif.", "Ill.", "Mass.") and the usual spellings of DC and the territories.

use crate::normalize::normalize;
use rustc_hash::FxHashMap as FastMap;
use std::sync::OnceLock;
use tally_model::StateCode;

/// Abbreviations beyond postal codes, full names and AP style (which live in
/// `tally_model`, `StateCode::ap_abbreviations`), as normalized keys: spellings common
/// in volunteer sheets.
const EXTRA_STATE_NAMES: &[(&str, &str)] = &[
    ("cali", "CA"),
    ("col", "CO"),
    ("district of columbia", "DC"),
    ("washington dc", "DC"),
    ("flor", "FL"),
    ("hawaii", "HI"),
    ("ida", "ID"),
    ("ills", "IL"),
    ("n car", "NC"),
    ("north dak", "ND"),
    ("penna", "PA"),
    ("s car", "SC"),
    ("south dak", "SD"),
    ("west va", "WV"),
    ("west virg", "WV"),
    ("wva", "WV"),
    ("virgin islands", "VI"),
    ("us virgin islands", "VI"),
    ("usvi", "VI"),
    ("u s virgin islands", "VI"),
    ("united states virgin islands", "VI"),
    ("cnmi", "MP"),
    ("northern marianas", "MP"),
    ("mariana islands", "MP"),
    ("commonwealth of the northern mariana islands", "MP"),
    ("puerto rico", "PR"),
    ("commonwealth of puerto rico", "PR"),
    ("am samoa", "AS"),
    ("amer samoa", "AS"),
];

/// The capital of each state and territory, as the gazetteer names it: "State
/// Capitol" in a state is its capital city.
const CAPITALS: &[(&str, &str)] = &[
    ("AL", "Montgomery"),
    ("AK", "Juneau"),
    ("AZ", "Phoenix"),
    ("AR", "Little Rock"),
    ("CA", "Sacramento"),
    ("CO", "Denver"),
    ("CT", "Hartford"),
    ("DE", "Dover"),
    ("DC", "Washington"),
    ("FL", "Tallahassee"),
    ("GA", "Atlanta"),
    ("HI", "Honolulu"),
    ("ID", "Boise"),
    ("IL", "Springfield"),
    ("IN", "Indianapolis"),
    ("IA", "Des Moines"),
    ("KS", "Topeka"),
    ("KY", "Frankfort"),
    ("LA", "Baton Rouge"),
    ("ME", "Augusta"),
    ("MD", "Annapolis"),
    ("MA", "Boston"),
    ("MI", "Lansing"),
    ("MN", "Saint Paul"),
    ("MS", "Jackson"),
    ("MO", "Jefferson City"),
    ("MT", "Helena"),
    ("NE", "Lincoln"),
    ("NV", "Carson City"),
    ("NH", "Concord"),
    ("NJ", "Trenton"),
    ("NM", "Santa Fe"),
    ("NY", "Albany"),
    ("NC", "Raleigh"),
    ("ND", "Bismarck"),
    ("OH", "Columbus"),
    ("OK", "Oklahoma City"),
    ("OR", "Salem"),
    ("PA", "Harrisburg"),
    ("RI", "Providence"),
    ("SC", "Columbia"),
    ("SD", "Pierre"),
    ("TN", "Nashville"),
    ("TX", "Austin"),
    ("UT", "Salt Lake City"),
    ("VT", "Montpelier"),
    ("VA", "Richmond"),
    ("WA", "Olympia"),
    ("WV", "Charleston"),
    ("WI", "Madison"),
    ("WY", "Cheyenne"),
    ("AS", "Pago Pago"),
    ("GU", "Hagatna"),
    ("MP", "Saipan"),
    ("PR", "San Juan"),
    ("VI", "Charlotte Amalie"),
];

/// The name of a state's capital.
pub fn capital(state: StateCode) -> Option<&'static str> {
    CAPITALS
        .iter()
        .find(|(code, _)| *code == state.as_str())
        .map(|(_, name)| *name)
}

fn state_names() -> &'static FastMap<String, StateCode> {
    static NAMES: OnceLock<FastMap<String, StateCode>> = OnceLock::new();
    NAMES.get_or_init(|| {
        let mut names = FastMap::default();
        for code in StateCode::all() {
            names.insert(code.as_str().to_ascii_lowercase(), code);
            names.insert(normalize(code.name()), code);
        }
        for (abbreviation, code) in StateCode::ap_abbreviations() {
            names.insert(normalize(abbreviation), code);
        }
        for (name, code) in EXTRA_STATE_NAMES {
            // The table above is written by hand; a typo in it must not take a state.
            if let Ok(code) = code.parse::<StateCode>() {
                names.insert(normalize(name), code);
            }
        }
        names
    })
}

/// The state a piece of text names, if it is nothing but a state.
pub fn parse_state(text: &str) -> Option<StateCode> {
    lookup_state_key(&normalize(text))
}

/// Looks up an already normalized key.
pub fn lookup_state_key(key: &str) -> Option<StateCode> {
    if key.is_empty() {
        return None;
    }
    state_names().get(key).copied()
}

/// Splits a trailing state off a normalized key ("salt lake city utah" → ("salt lake
/// city", UT)), trying the longest state name first. The remainder is never empty.
pub fn split_trailing_state(key: &str) -> Option<(&str, StateCode)> {
    let spaces: Vec<usize> = key
        .char_indices()
        .filter(|(_, c)| *c == ' ')
        .map(|(i, _)| i)
        .collect();
    // A state name has at most five words ("commonwealth of the northern mariana
    // islands"); try the longest suffix first so "west virginia" beats "virginia".
    let first = spaces.len().saturating_sub(5);
    for &space in &spaces[first..] {
        let (rest, tail) = (&key[..space], &key[space + 1..]);
        if let Some(code) = lookup_state_key(tail) {
            return Some((rest, code));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_parse_from_codes_names_and_ap_style() {
        let st = |s: &str| parse_state(s).map(|c| c.as_str());
        assert_eq!(st("IL"), Some("IL"));
        assert_eq!(st("Ill."), Some("IL"));
        assert_eq!(st("Calif."), Some("CA"));
        assert_eq!(st("Mass"), Some("MA"));
        assert_eq!(st("new york"), Some("NY"));
        assert_eq!(st("D.C."), Some("DC"));
        assert_eq!(st("W. Va."), Some("WV"));
        assert_eq!(st("N.Y."), Some("NY"));
        assert_eq!(st("Hawaiʻi"), Some("HI"));
        assert_eq!(st("U.S. Virgin Islands"), Some("VI"));
        assert_eq!(st("Guam"), Some("GU"));
        assert_eq!(st("Springfield"), None);
        assert_eq!(st(""), None);
    }

    #[test]
    fn trailing_states_split_longest_first() {
        assert_eq!(
            split_trailing_state("charleston west virginia").map(|(r, c)| (r, c.as_str())),
            Some(("charleston", "WV"))
        );
        assert_eq!(
            split_trailing_state("honolulu hi").map(|(r, c)| (r, c.as_str())),
            Some(("honolulu", "HI"))
        );
        assert_eq!(split_trailing_state("kansas city"), None);
        assert_eq!(split_trailing_state("ohio"), None);
    }
}
