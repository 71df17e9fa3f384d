//! Vague-size coding rules: the table that turns "dozens" into 24.
//!
//! The tables are data (`rules/*.tsv`), versioned and embedded at build time, and
//! selectable by name so that a user can see which convention produced a figure.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RulesError {
    #[error("unknown coding rules {name:?}; known: {known}")]
    Unknown { name: String, known: String },
    #[error("rules {name:?} line {line}: {reason}")]
    Malformed {
        name: String,
        line: usize,
        reason: String,
    },
}

/// One phrase of the table and the value it codes to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VagueRule {
    pub phrase: String,
    pub value: u64,
}

/// A named, versioned table of vague-size phrases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CodingRules {
    pub name: String,
    pub version: u32,
    pub rules: Vec<VagueRule>,
}

/// (name, table text). Adding a convention means adding a file and a line here.
const EMBEDDED: &[(&str, &str)] = &[
    ("design", include_str!("../rules/design.tsv")),
    ("round", include_str!("../rules/round.tsv")),
];

impl Default for CodingRules {
    /// The DESIGN.md table.
    fn default() -> Self {
        CodingRules::named("design").expect("the embedded default rules parse")
    }
}

impl CodingRules {
    /// The names of the embedded rule sets.
    pub fn names() -> Vec<&'static str> {
        EMBEDDED.iter().map(|(name, _)| *name).collect()
    }

    pub fn named(name: &str) -> Result<CodingRules, RulesError> {
        let (name, text) =
            EMBEDDED
                .iter()
                .find(|(n, _)| *n == name)
                .ok_or_else(|| RulesError::Unknown {
                    name: name.to_string(),
                    known: CodingRules::names().join(", "),
                })?;
        CodingRules::parse(name, text)
    }

    /// Parses a table: `phrase<TAB>value` lines, `#` comments, and a `# version<TAB>N` line.
    pub fn parse(name: &str, text: &str) -> Result<CodingRules, RulesError> {
        let mut version = 0;
        let mut rules = Vec::new();
        for (index, line) in text.lines().enumerate() {
            let malformed = |reason: &str| RulesError::Malformed {
                name: name.to_string(),
                line: index + 1,
                reason: reason.to_string(),
            };
            if let Some(comment) = line.strip_prefix('#') {
                if let Some(v) = comment.trim().strip_prefix("version") {
                    version = v
                        .trim()
                        .parse()
                        .map_err(|_| malformed("version is not a number"))?;
                }
                continue;
            }
            if line.trim().is_empty() {
                continue;
            }
            let (phrase, value) = line
                .split_once('\t')
                .ok_or_else(|| malformed("expected phrase<TAB>value"))?;
            let value = value
                .trim()
                .parse()
                .map_err(|_| malformed("value is not a whole number"))?;
            rules.push(VagueRule {
                phrase: normalize_phrase(phrase),
                value,
            });
        }
        Ok(CodingRules {
            name: name.to_string(),
            version,
            rules,
        })
    }

    /// The value of a whole phrase ("Several Hundred" → 200), matched after folding
    /// case and white space.
    pub fn lookup(&self, phrase: &str) -> Option<u64> {
        let wanted = normalize_phrase(phrase);
        self.rules
            .iter()
            .find(|r| r.phrase == wanted)
            .map(|r| r.value)
    }

    /// `name@version`, for provenance ("design@1").
    pub fn label(&self) -> String {
        format!("{}@{}", self.name, self.version)
    }
}

/// Lowercases and folds runs of white space (including non-breaking spaces) to one space.
fn normalize_phrase(phrase: &str) -> String {
    phrase
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_table_follows_design() {
        let rules = CodingRules::default();
        assert_eq!(rules.label(), "design@1");
        for (phrase, value) in [
            ("a few", 3),
            ("a handful", 3),
            ("dozens", 24),
            ("several dozen", 24),
            ("scores", 40),
            ("Hundreds", 200),
            ("a few  hundred", 200),
            ("thousands", 2000),
            ("tens of thousands", 20_000),
            ("hundreds of thousands", 200_000),
            ("millions", 2_000_000),
            ("a dozen", 12),
        ] {
            assert_eq!(rules.lookup(phrase), Some(value), "{phrase}");
        }
        assert_eq!(rules.lookup("a large crowd"), None);
    }

    #[test]
    fn unknown_and_malformed_tables_are_errors() {
        assert!(matches!(
            CodingRules::named("nope"),
            Err(RulesError::Unknown { .. })
        ));
        assert!(matches!(
            CodingRules::parse("x", "dozens\tmany"),
            Err(RulesError::Malformed { line: 1, .. })
        ));
    }
}
