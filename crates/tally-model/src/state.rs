//! US states, DC and the inhabited territories, by 2-letter postal code.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// (postal code, name, 2-digit state FIPS code).
const STATES: [(&str, &str, &str); 56] = [
    ("AL", "Alabama", "01"),
    ("AK", "Alaska", "02"),
    ("AZ", "Arizona", "04"),
    ("AR", "Arkansas", "05"),
    ("CA", "California", "06"),
    ("CO", "Colorado", "08"),
    ("CT", "Connecticut", "09"),
    ("DE", "Delaware", "10"),
    ("DC", "District of Columbia", "11"),
    ("FL", "Florida", "12"),
    ("GA", "Georgia", "13"),
    ("HI", "Hawaii", "15"),
    ("ID", "Idaho", "16"),
    ("IL", "Illinois", "17"),
    ("IN", "Indiana", "18"),
    ("IA", "Iowa", "19"),
    ("KS", "Kansas", "20"),
    ("KY", "Kentucky", "21"),
    ("LA", "Louisiana", "22"),
    ("ME", "Maine", "23"),
    ("MD", "Maryland", "24"),
    ("MA", "Massachusetts", "25"),
    ("MI", "Michigan", "26"),
    ("MN", "Minnesota", "27"),
    ("MS", "Mississippi", "28"),
    ("MO", "Missouri", "29"),
    ("MT", "Montana", "30"),
    ("NE", "Nebraska", "31"),
    ("NV", "Nevada", "32"),
    ("NH", "New Hampshire", "33"),
    ("NJ", "New Jersey", "34"),
    ("NM", "New Mexico", "35"),
    ("NY", "New York", "36"),
    ("NC", "North Carolina", "37"),
    ("ND", "North Dakota", "38"),
    ("OH", "Ohio", "39"),
    ("OK", "Oklahoma", "40"),
    ("OR", "Oregon", "41"),
    ("PA", "Pennsylvania", "42"),
    ("RI", "Rhode Island", "44"),
    ("SC", "South Carolina", "45"),
    ("SD", "South Dakota", "46"),
    ("TN", "Tennessee", "47"),
    ("TX", "Texas", "48"),
    ("UT", "Utah", "49"),
    ("VT", "Vermont", "50"),
    ("VA", "Virginia", "51"),
    ("WA", "Washington", "53"),
    ("WV", "West Virginia", "54"),
    ("WI", "Wisconsin", "55"),
    ("WY", "Wyoming", "56"),
    ("AS", "American Samoa", "60"),
    ("GU", "Guam", "66"),
    ("MP", "Northern Mariana Islands", "69"),
    ("PR", "Puerto Rico", "72"),
    ("VI", "U.S. Virgin Islands", "78"),
];

/// For each letter from "a" to "z", the `STATES` whose name starts with it (bit `i`
/// for `STATES[i]`), case-insensitively.
const NAMES_BY_LETTER: [u64; 26] = {
    let mut by_letter = [0u64; 26];
    let mut i = 0;
    while i < STATES.len() {
        let first = STATES[i].1.as_bytes()[0].to_ascii_lowercase();
        by_letter[(first - b'a') as usize] |= 1 << i;
        i += 1;
    }
    by_letter
};

/// For each letter from "a" to "z", the lengths in bytes of the `STATES` names that
/// start with it (bit `n` for a name of `n` bytes): most words asked of `from_name`
/// have the length of none of them.
const NAME_LENGTHS_BY_LETTER: [u32; 26] = {
    let mut by_letter = [0u32; 26];
    let mut i = 0;
    while i < STATES.len() {
        let name = STATES[i].1.as_bytes();
        assert!(name.len() < 32);
        by_letter[(name[0].to_ascii_lowercase() - b'a') as usize] |= 1 << name.len();
        i += 1;
    }
    by_letter
};

/// `s` without white space at either end; the same `s` at once when it starts and ends
/// with a printable ASCII byte (a token of the article reader), where `str::trim` would
/// decode a character at each end.
fn trim_space(s: &str) -> &str {
    let b = s.as_bytes();
    match (b.first(), b.last()) {
        (Some(f), Some(l)) if f.is_ascii_graphic() && l.is_ascii_graphic() => s,
        _ => s.trim(),
    }
}

/// AP style state abbreviations: the AP Stylebook's list (a public convention) and the
/// older forms that news still prints ("Cal.", "Nebr.", "Tex."), in the key form of
/// [`StateCode::from_ap_abbreviation`]: lowercased, without spaces and without the final
/// period ("calif" for "Calif.", "n.y" for "N.Y.", "w.va" for "W. Va.").
///
/// The one home of these abbreviations: the article reader (`tally-extract`) and the
/// gazetteer (`tally-places`) both read them from here.
const AP_ABBREVIATIONS: &[(&str, &str)] = &[
    ("ala", "AL"),
    ("ariz", "AZ"),
    ("ark", "AR"),
    ("calif", "CA"),
    ("cal", "CA"),
    ("colo", "CO"),
    ("conn", "CT"),
    ("del", "DE"),
    ("d.c", "DC"),
    ("fla", "FL"),
    ("ga", "GA"),
    ("ill", "IL"),
    ("ind", "IN"),
    ("kan", "KS"),
    ("kans", "KS"),
    ("ky", "KY"),
    ("la", "LA"),
    ("md", "MD"),
    ("mass", "MA"),
    ("mich", "MI"),
    ("minn", "MN"),
    ("miss", "MS"),
    ("mo", "MO"),
    ("mont", "MT"),
    ("neb", "NE"),
    ("nebr", "NE"),
    ("nev", "NV"),
    ("n.h", "NH"),
    ("n.j", "NJ"),
    ("n.m", "NM"),
    ("n.mex", "NM"),
    ("n.y", "NY"),
    ("n.c", "NC"),
    ("n.d", "ND"),
    ("n.dak", "ND"),
    ("okla", "OK"),
    ("ore", "OR"),
    ("oreg", "OR"),
    ("pa", "PA"),
    ("penn", "PA"),
    ("p.r", "PR"),
    ("r.i", "RI"),
    ("s.c", "SC"),
    ("s.d", "SD"),
    ("s.dak", "SD"),
    ("tenn", "TN"),
    ("tex", "TX"),
    ("vt", "VT"),
    ("va", "VA"),
    ("wash", "WA"),
    ("w.va", "WV"),
    ("wis", "WI"),
    ("wisc", "WI"),
    ("wyo", "WY"),
];

/// The longest key of `AP_ABBREVIATIONS`, in bytes.
const AP_KEY_MAX: usize = 5;

/// The keys of `AP_ABBREVIATIONS` packed into integers (one byte each, at most
/// `AP_KEY_MAX`), so that a lookup compares integers, not strings.
const AP_KEYS: [u64; AP_ABBREVIATIONS.len()] = {
    let mut keys = [0u64; AP_ABBREVIATIONS.len()];
    let mut i = 0;
    while i < keys.len() {
        let bytes = AP_ABBREVIATIONS[i].0.as_bytes();
        let mut j = 0;
        while j < bytes.len() {
            keys[i] = keys[i] << 8 | bytes[j] as u64;
            j += 1;
        }
        i += 1;
    }
    keys
};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown US state or territory {0:?}")]
pub struct StateError(pub String);

/// A validated 2-letter postal code of a state, DC or an inhabited territory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StateCode(u8);

impl StateCode {
    /// Every code, in table order (states alphabetically by name, then territories).
    pub fn all() -> impl Iterator<Item = StateCode> {
        (0..STATES.len() as u8).map(StateCode)
    }

    pub fn as_str(self) -> &'static str {
        STATES[self.0 as usize].0
    }

    pub fn name(self) -> &'static str {
        STATES[self.0 as usize].1
    }

    /// The 2-digit state FIPS code, as text.
    pub fn fips(self) -> &'static str {
        STATES[self.0 as usize].2
    }

    pub fn is_territory(self) -> bool {
        matches!(self.as_str(), "AS" | "GU" | "MP" | "PR" | "VI")
    }

    /// Looks a state up by its full name, case-insensitively ("new york"). Only the
    /// names with the same first letter are compared (`NAMES_BY_LETTER`): the article
    /// reader asks this of every capitalized word and of the two and three words from it.
    pub fn from_name(name: &str) -> Option<StateCode> {
        let name = trim_space(name);
        let first = name.as_bytes().first()?.to_ascii_lowercase();
        let letter = usize::from(first.wrapping_sub(b'a'));
        // (No name of this length starts with this letter: nothing to compare.)
        let lengths = *NAME_LENGTHS_BY_LETTER.get(letter)?;
        if name.len() >= 32 || lengths & 1 << name.len() == 0 {
            return None;
        }
        let mut candidates = *NAMES_BY_LETTER.get(letter)?;
        while candidates != 0 {
            let i = candidates.trailing_zeros() as usize;
            if STATES[i].1.eq_ignore_ascii_case(name) {
                return Some(StateCode(i as u8));
            }
            candidates &= candidates - 1;
        }
        None
    }

    /// Reads an AP style abbreviation as written: "Calif.", "calif", "N.Y.", "W. Va."
    /// (case, spaces and the final period do not matter). Full names and postal codes
    /// are not abbreviations ("CA" gives `None`), except where AP writes the code
    /// itself with a period ("Pa.", "Va.", "Ga."). Whether a word is used as a state in
    /// its text (capitalized, followed by a period) is the caller's question.
    pub fn from_ap_abbreviation(text: &str) -> Option<StateCode> {
        // The key is built on the stack: the article reader asks this of every
        // capitalized word and every word before a period, so it must not allocate.
        let text = trim_space(text).trim_end_matches('.');
        // No abbreviation is longer than five bytes ("calif", "n.dak"; a test keeps
        // that true): longer words are rejected before the table is searched.
        let mut key = 0u64;
        for (n, b) in text
            .bytes()
            .filter(|b| !b.is_ascii_whitespace())
            .enumerate()
        {
            if n == AP_KEY_MAX {
                return None;
            }
            key = key << 8 | u64::from(b.to_ascii_lowercase());
        }
        AP_KEYS
            .iter()
            .position(|k| *k == key)
            .and_then(|i| AP_ABBREVIATIONS[i].1.parse().ok())
    }

    /// Every AP style abbreviation with its state, in the key form of
    /// [`StateCode::from_ap_abbreviation`] ("calif", "n.y").
    pub fn ap_abbreviations() -> impl Iterator<Item = (&'static str, StateCode)> {
        AP_ABBREVIATIONS
            .iter()
            .filter_map(|(abbreviation, code)| Some((*abbreviation, code.parse().ok()?)))
    }

    /// Looks a state up by its 2-digit FIPS code ("6" and "06" both work).
    pub fn from_fips(code: &str) -> Option<StateCode> {
        let code = code.trim();
        let padded = if code.len() == 1 {
            format!("0{code}")
        } else {
            code.to_string()
        };
        STATES
            .iter()
            .position(|(_, _, f)| *f == padded)
            .map(|i| StateCode(i as u8))
    }
}

impl FromStr for StateCode {
    type Err = StateError;

    /// Accepts a postal code in any case ("il", "IL").
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let trimmed = s.trim();
        STATES
            .iter()
            .position(|(code, _, _)| code.eq_ignore_ascii_case(trimmed))
            .map(|i| StateCode(i as u8))
            .ok_or_else(|| StateError(s.to_string()))
    }
}

impl fmt::Display for StateCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for StateCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for StateCode {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_names_and_fips_agree() {
        let il: StateCode = "il".parse().unwrap();
        assert_eq!(il.as_str(), "IL");
        assert_eq!(il.name(), "Illinois");
        assert_eq!(il.fips(), "17");
        assert_eq!(
            StateCode::from_name("district of columbia")
                .unwrap()
                .as_str(),
            "DC"
        );
        assert_eq!(StateCode::from_fips("6").unwrap().as_str(), "CA");
        assert!("ZZ".parse::<StateCode>().is_err());
        assert!(StateCode::from_fips("72").unwrap().is_territory());
        assert_eq!(StateCode::all().count(), 56);
    }
    #[test]
    fn every_full_name_reads_back_in_any_case() {
        // `from_name` compares only the names of the same first letter.
        for code in StateCode::all() {
            let name = code.name();
            for written in [
                name.to_string(),
                name.to_uppercase(),
                name.to_lowercase(),
                format!(" {name} "),
            ] {
                assert_eq!(StateCode::from_name(&written), Some(code), "{written}");
            }
        }
        for other in [
            "",
            " ",
            "New",
            "Yorkshire",
            "5,000",
            "\u{c9}tat",
            "Kansas City",
        ] {
            assert_eq!(StateCode::from_name(other), None, "{other}");
        }
    }

    #[test]
    fn ap_abbreviations_have_one_home() {
        let ap = |s: &str| StateCode::from_ap_abbreviation(s).map(|c| c.as_str());
        assert_eq!(ap("Calif."), Some("CA"));
        assert_eq!(ap("calif"), Some("CA"));
        assert_eq!(ap("Mass."), Some("MA"));
        assert_eq!(ap("N.Y."), Some("NY"));
        assert_eq!(ap("W. Va."), Some("WV"));
        assert_eq!(ap("Pa."), Some("PA"));
        assert_eq!(ap("D.C."), Some("DC"));
        assert_eq!(ap("CA"), None);
        assert_eq!(ap("California"), None);
        assert_eq!(ap(""), None);
        // Every code in the table is a real one: a typo cannot drop a state silently.
        assert_eq!(
            StateCode::ap_abbreviations().count(),
            AP_ABBREVIATIONS.len()
        );
        assert!(AP_ABBREVIATIONS.iter().all(|(k, _)| k.len() <= AP_KEY_MAX));
        assert_eq!(ap("Californ."), None);
        // Every key reads back, with spaces around it and a final period.
        for (key, code) in AP_ABBREVIATIONS {
            assert_eq!(ap(key), Some(*code), "{key}");
            assert_eq!(ap(&format!(" {key}. ")), Some(*code), "{key}");
        }
    }
}
