//! Crowd-size estimates: a range with who made it and what it covers.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Who made an estimate, as DESIGN.md lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Attribution {
    Police,
    /// Other government, including the White House.
    Officials,
    Organizers,
    /// The outlet's own estimate.
    Media,
    /// Crowd counters and data journalists.
    Researchers,
    Participants,
    Unknown,
}

impl Attribution {
    pub const ALL: [Attribution; 7] = [
        Attribution::Police,
        Attribution::Officials,
        Attribution::Organizers,
        Attribution::Media,
        Attribution::Researchers,
        Attribution::Participants,
        Attribution::Unknown,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Attribution::Police => "police",
            Attribution::Officials => "officials",
            Attribution::Organizers => "organizers",
            Attribution::Media => "media",
            Attribution::Researchers => "researchers",
            Attribution::Participants => "participants",
            Attribution::Unknown => "unknown",
        }
    }
}

impl fmt::Display for Attribution {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Attribution {
    type Err = EstimateError;

    /// Accepts the canonical names and a few common spellings ("organisers", "official").
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_ascii_lowercase();
        let found = match lower.as_str() {
            "police" => Attribution::Police,
            "officials" | "official" | "government" => Attribution::Officials,
            "organizers" | "organizer" | "organisers" | "organiser" => Attribution::Organizers,
            "media" | "press" => Attribution::Media,
            "researchers" | "researcher" => Attribution::Researchers,
            "participants" | "participant" => Attribution::Participants,
            "unknown" | "" => Attribution::Unknown,
            _ => return Err(EstimateError::UnknownAttribution(s.to_string())),
        };
        Ok(found)
    }
}

/// What an estimate covers: one gathering, or a total over many places.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// One gathering in one place.
    #[default]
    Event,
    /// A total over many places, such as a national figure. Kept as a claim to
    /// check, never added into totals.
    Aggregate,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Event => "event",
            Scope::Aggregate => "aggregate",
        }
    }
}

impl FromStr for Scope {
    type Err = EstimateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "event" => Ok(Scope::Event),
            "aggregate" => Ok(Scope::Aggregate),
            _ => Err(EstimateError::UnknownScope(s.to_string())),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EstimateError {
    #[error("estimate low {low} is above high {high}")]
    LowAboveHigh { low: u64, high: u64 },
    #[error("unknown attribution {0:?}")]
    UnknownAttribution(String),
    #[error("unknown scope {0:?}")]
    UnknownScope(String),
}

/// One crowd-size estimate: a range, never a bare number.
///
/// The fields are private so that `low <= high` always holds; a source that gives one
/// bound gives `low == high`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Estimate {
    low: u64,
    high: u64,
    /// The qualifier as written ("about", "more than", "up to"), kept as text.
    #[serde(skip_serializing_if = "Option::is_none")]
    qualifier: Option<String>,
    /// The vague wording ("dozens", "thousands") when the figure was coded by rule.
    #[serde(skip_serializing_if = "Option::is_none")]
    vague_text: Option<String>,
    attribution: Attribution,
    scope: Scope,
    /// True when the numbers come from the vague-word table, not from a stated figure.
    coded_by_rule: bool,
}

impl Estimate {
    /// A range estimate; fails when `low > high`.
    pub fn range(low: u64, high: u64) -> Result<Estimate, EstimateError> {
        if low > high {
            return Err(EstimateError::LowAboveHigh { low, high });
        }
        Ok(Estimate {
            low,
            high,
            qualifier: None,
            vague_text: None,
            attribution: Attribution::Unknown,
            scope: Scope::Event,
            coded_by_rule: false,
        })
    }

    /// A single figure: low = high = value.
    pub fn exact(value: u64) -> Estimate {
        Estimate::range(value, value).expect("a single value is a valid range")
    }

    /// A figure coded from a vague phrase by the coding rules.
    pub fn coded(value: u64, vague_text: impl Into<String>) -> Estimate {
        let mut estimate = Estimate::exact(value);
        estimate.vague_text = Some(vague_text.into());
        estimate.coded_by_rule = true;
        estimate
    }

    /// Builds a range from two optional bounds: one bound gives low = high = that bound.
    /// Returns `Ok(None)` when neither bound is present.
    pub fn from_bounds(
        low: Option<u64>,
        high: Option<u64>,
    ) -> Result<Option<Estimate>, EstimateError> {
        match (low, high) {
            (None, None) => Ok(None),
            (Some(v), None) | (None, Some(v)) => Ok(Some(Estimate::exact(v))),
            (Some(l), Some(h)) => Estimate::range(l, h).map(Some),
        }
    }

    pub fn with_attribution(mut self, attribution: Attribution) -> Estimate {
        self.attribution = attribution;
        self
    }

    pub fn with_scope(mut self, scope: Scope) -> Estimate {
        self.scope = scope;
        self
    }

    pub fn with_qualifier(mut self, qualifier: Option<String>) -> Estimate {
        self.qualifier = qualifier.filter(|q| !q.is_empty());
        self
    }

    pub fn with_vague_text(mut self, vague_text: Option<String>) -> Estimate {
        self.vague_text = vague_text.filter(|v| !v.is_empty());
        self
    }

    pub fn with_coded_by_rule(mut self, coded_by_rule: bool) -> Estimate {
        self.coded_by_rule = coded_by_rule;
        self
    }

    pub fn low(&self) -> u64 {
        self.low
    }

    pub fn high(&self) -> u64 {
        self.high
    }

    /// `(low + high) / 2`, the midpoint used for totals.
    pub fn midpoint(&self) -> f64 {
        (self.low as f64 + self.high as f64) / 2.0
    }

    pub fn qualifier(&self) -> Option<&str> {
        self.qualifier.as_deref()
    }

    pub fn vague_text(&self) -> Option<&str> {
        self.vague_text.as_deref()
    }

    pub fn attribution(&self) -> Attribution {
        self.attribution
    }

    pub fn scope(&self) -> Scope {
        self.scope
    }

    pub fn coded_by_rule(&self) -> bool {
        self.coded_by_rule
    }
}

/// Deserializing goes through the same check as construction, so JSON from outside
/// cannot smuggle in `low > high`.
impl<'de> Deserialize<'de> for Estimate {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Raw {
            low: u64,
            high: u64,
            #[serde(default)]
            qualifier: Option<String>,
            #[serde(default)]
            vague_text: Option<String>,
            #[serde(default = "unknown")]
            attribution: Attribution,
            #[serde(default)]
            scope: Scope,
            #[serde(default)]
            coded_by_rule: bool,
        }
        fn unknown() -> Attribution {
            Attribution::Unknown
        }
        let raw = Raw::deserialize(deserializer)?;
        let estimate = Estimate::range(raw.low, raw.high).map_err(serde::de::Error::custom)?;
        Ok(estimate
            .with_qualifier(raw.qualifier)
            .with_vague_text(raw.vague_text)
            .with_attribution(raw.attribution)
            .with_scope(raw.scope)
            .with_coded_by_rule(raw.coded_by_rule))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn low_above_high_is_refused() {
        assert_eq!(
            Estimate::range(5, 4),
            Err(EstimateError::LowAboveHigh { low: 5, high: 4 })
        );
    }

    #[test]
    fn one_bound_gives_equal_bounds() {
        let e = Estimate::from_bounds(None, Some(700)).unwrap().unwrap();
        assert_eq!((e.low(), e.high()), (700, 700));
        assert_eq!(Estimate::from_bounds(None, None).unwrap(), None);
    }

    #[test]
    fn json_cannot_break_the_invariant() {
        let bad = serde_json::from_str::<Estimate>(r#"{"low": 9, "high": 3}"#);
        assert!(bad.is_err());
        let good: Estimate =
            serde_json::from_str(r#"{"low": 3, "high": 9, "attribution": "police"}"#).unwrap();
        assert_eq!(good.attribution(), Attribution::Police);
    }

    #[test]
    fn attribution_names_round_trip() {
        for a in Attribution::ALL {
            assert_eq!(a.as_str().parse::<Attribution>().unwrap(), a);
        }
        assert!("sheriff-ish".parse::<Attribution>().is_err());
    }

    proptest! {
        #[test]
        fn every_constructed_estimate_is_ordered(a in any::<u64>(), b in any::<u64>()) {
            match Estimate::range(a, b) {
                Ok(e) => prop_assert!(e.low() <= e.high()),
                Err(_) => prop_assert!(a > b),
            }
        }
    }
}
