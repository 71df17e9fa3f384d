//! Places: the text a source gave, and what it resolved to.

use crate::state::StateCode;
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid county FIPS code {0:?}: expected 5 digits (a lost leading zero is restored)")]
pub struct FipsError(pub String);

/// A 5-digit county FIPS code, kept as text. Codes that lost their leading zero in a
/// spreadsheet ("6037") are restored ("06037").
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Fips(String);

impl Fips {
    pub fn parse(code: &str) -> Result<Fips, FipsError> {
        let trimmed = code.trim();
        // Spreadsheets turn codes into numbers, sometimes with a decimal tail ("6037.0").
        let digits = trimmed.strip_suffix(".0").unwrap_or(trimmed);
        if digits.is_empty() || digits.len() > 5 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(FipsError(code.to_string()));
        }
        if digits.len() < 4 {
            return Err(FipsError(code.to_string()));
        }
        // Padded by hand: `format!` cost about 500 instructions a row of an ingest
        // (issue 12), where this is a push or two.
        let mut code = String::with_capacity(5);
        if digits.len() == 4 {
            code.push('0');
        }
        code.push_str(digits);
        Ok(Fips(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The first two digits: the state's FIPS code.
    pub fn state_fips(&self) -> &str {
        &self.0[..2]
    }
}

impl fmt::Display for Fips {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Fips {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Fips {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        Fips::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// How a place string was resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// The name and state matched a gazetteer entry as written.
    Exact,
    /// Matched through an alias: a nickname, a borough, an abbreviation.
    Alias,
    /// Matched after correcting a typo.
    Fuzzy,
    /// A township or other county subdivision the gazetteer lacks, answered with the
    /// place of its name ("Zion Township" as Zion).
    #[serde(rename = "township_of")]
    TownshipOf,
    /// A part of a larger place or area ("North Austin", "West Maui", "Ortley
    /// Beach"), answered with the enclosing place or county.
    #[serde(rename = "area_of")]
    AreaOf,
    /// Given as coordinates: the county holds the point; the locality is the nearest
    /// place in it.
    Coordinates,
    /// Only the state is known; coordinates are its centroid.
    State,
    /// Not resolved.
    None,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Exact => "exact",
            Confidence::Alias => "alias",
            Confidence::Fuzzy => "fuzzy",
            Confidence::TownshipOf => "township_of",
            Confidence::AreaOf => "area_of",
            Confidence::Coordinates => "coordinates",
            Confidence::State => "state",
            Confidence::None => "none",
        }
    }
}

/// A place resolved against the gazetteer. It always has a state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResolvedPlace {
    /// The locality's canonical name; `None` when only the state is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locality: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub county: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fips: Option<Fips>,
    pub state: StateCode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lon: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub population: Option<u64>,
    pub confidence: Confidence,
}

/// A place as a source gave it, with its resolution when there is one.
///
/// Unresolvable places are kept with `resolved: None`, never dropped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Place {
    /// The text as written ("St. Paul/Minneapolis, MN").
    pub raw: String,
    /// The locality as the source coded it, when it had a separate column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locality: Option<String>,
    /// The state as the source coded it, when valid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<StateCode>,
    /// True for online and virtual events: no coordinates.
    pub online: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved: Option<ResolvedPlace>,
}

impl Place {
    /// A place from separate locality and state columns.
    pub fn from_parts(locality: Option<&str>, state: Option<StateCode>) -> Place {
        let locality = locality
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string);
        let raw = match (&locality, state) {
            (Some(l), Some(s)) => format!("{l}, {s}"),
            (Some(l), None) => l.clone(),
            (None, Some(s)) => s.to_string(),
            (None, None) => String::new(),
        };
        Place {
            raw,
            locality,
            state,
            online: false,
            resolved: None,
        }
    }

    /// The best state known: the resolution's, else the source's.
    pub fn best_state(&self) -> Option<StateCode> {
        self.resolved.as_ref().map(|r| r.state).or(self.state)
    }

    /// The best locality name known: the resolution's, else the source's.
    pub fn best_locality(&self) -> Option<&str> {
        self.resolved
            .as_ref()
            .and_then(|r| r.locality.as_deref())
            .or(self.locality.as_deref())
    }

    /// Hashes every field, coordinates by their bits: with [`Place::eq_exact`], a key
    /// for keeping each distinct place once (issue 12: a file's reports and events
    /// share a few thousand places).
    pub fn hash_exact<H: std::hash::Hasher>(&self, state: &mut H) {
        use std::hash::Hash;
        self.raw.hash(state);
        self.locality.hash(state);
        self.state.hash(state);
        self.online.hash(state);
        if let Some(r) = &self.resolved {
            r.locality.hash(state);
            r.county.hash(state);
            r.fips.hash(state);
            r.state.hash(state);
            r.lat.map(f64::to_bits).hash(state);
            r.lon.map(f64::to_bits).hash(state);
            r.population.hash(state);
            r.confidence.hash(state);
        }
    }

    /// True when every field is equal, coordinates bit for bit (unlike `==`, for which
    /// 0.0 and -0.0 are equal and a NaN is not equal to itself).
    pub fn eq_exact(&self, other: &Place) -> bool {
        let bits = |v: Option<f64>| v.map(f64::to_bits);
        let same_resolved = match (&self.resolved, &other.resolved) {
            (None, None) => true,
            (Some(a), Some(b)) => {
                a.locality == b.locality
                    && a.county == b.county
                    && a.fips == b.fips
                    && a.state == b.state
                    && bits(a.lat) == bits(b.lat)
                    && bits(a.lon) == bits(b.lon)
                    && a.population == b.population
                    && a.confidence == b.confidence
            }
            _ => false,
        };
        same_resolved
            && self.raw == other.raw
            && self.locality == other.locality
            && self.state == other.state
            && self.online == other.online
    }
}

/// A key of a locality for counting distinct ones in memory: (state, name), ASCII case
/// folded and trimmed, hashed without allocating. The store's fast sums and the
/// estimator's totals count localities with this one key, so they agree. A collision
/// among a million names has odds of about one in ten million; the key is never stored
/// (the hash may change with `rustc-hash` versions).
pub fn locality_key(state: &str, name: &str) -> u64 {
    use std::hash::Hasher;
    let mut hasher = rustc_hash::FxHasher::default();
    for b in state.bytes() {
        hasher.write_u8(b.to_ascii_uppercase());
    }
    // A separator keeps ("A", "Bc") apart from ("AB", "c").
    hasher.write_u8(b'|');
    for b in name.trim().bytes() {
        hasher.write_u8(b.to_ascii_lowercase());
    }
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fips_restores_lost_leading_zero() {
        assert_eq!(Fips::parse("6037").unwrap().as_str(), "06037");
        assert_eq!(Fips::parse("6037.0").unwrap().as_str(), "06037");
        assert_eq!(Fips::parse("36047").unwrap().state_fips(), "36");
        assert!(Fips::parse("NA").is_err());
        assert!(Fips::parse("123456").is_err());
        assert!(Fips::parse("12").is_err());
        assert_eq!(Fips::parse(" 1001 ").unwrap().as_str(), "01001");
        assert_eq!(Fips::parse("01001").unwrap().as_str(), "01001");
        assert!(Fips::parse("").is_err());
        assert!(Fips::parse(".0").is_err());
        assert!(Fips::parse("60a7").is_err());
    }

    #[test]
    fn place_from_parts_builds_raw_text() {
        let p = Place::from_parts(Some(" Boise "), Some("ID".parse().unwrap()));
        assert_eq!(p.raw, "Boise, ID");
        assert_eq!(p.best_locality(), Some("Boise"));
    }

    #[test]
    fn issue_12_locality_keys_fold_case_and_space_but_keep_state_and_name_apart() {
        assert_eq!(
            locality_key("OR", " Portland "),
            locality_key("or", "PORTLAND")
        );
        assert_ne!(
            locality_key("OR", "Portland"),
            locality_key("ME", "Portland")
        );
        assert_ne!(locality_key("A", "Bc"), locality_key("AB", "c"));
        let keys: std::collections::HashSet<u64> = (0..10_000)
            .map(|i| locality_key("TX", &format!("town {i}")))
            .collect();
        assert_eq!(keys.len(), 10_000);
    }
}
