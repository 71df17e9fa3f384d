//! Checking a parsed claim against the totals of its selection.
//!
//! Verdicts (DESIGN.md):
//!
//! The participants evidence runs from `known_low` plus the low end of the imputed total
//! of the events without a size to `known_high` plus its high end. The places evidence
//! runs from the number of distinct localities to the number of events (a "place" may
//! mean either). `consistent` when the claim's range and the evidence overlap,
//! `above_evidence` when the claim's lowest value exceeds the evidence's highest,
//! `below_evidence` when the claim's highest value is under the evidence's lowest, and
//! `insufficient_evidence` when no events match or too few have a size.
//!
//! When the selection is known to hold more events than the ledger (a wide claim with an
//! event count: its own, the user's or a stored claim's), the totals carry
//! `extrapolated`, and the participants evidence is the extrapolated range instead:
//! `known_low` plus the low end of what the unsized and the missing events add, to
//! `known_high` plus its high end. Without an extrapolation, a claim above the evidence
//! of an incomplete ledger is not refuted (the missing events could only add people).

use crate::claim::parse::{Claim, ClaimRange};
use crate::totals::Totals;
use serde::Serialize;
/// A verdict of DESIGN.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Consistent,
    AboveEvidence,
    BelowEvidence,
    InsufficientEvidence,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Consistent => "consistent",
            Verdict::AboveEvidence => "above_evidence",
            Verdict::BelowEvidence => "below_evidence",
            Verdict::InsufficientEvidence => "insufficient_evidence",
        }
    }
}

/// One quantity of a claim against its evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartCheck {
    /// "participants", "places" or "states".
    pub what: &'static str,
    pub verdict: Verdict,
    pub claim_low: u64,
    pub claim_high: Option<u64>,
    pub evidence_low: Option<u64>,
    pub evidence_high: Option<u64>,
}

/// The evidence behind a verdict.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    pub events: usize,
    pub events_with_size: usize,
    pub coverage: f64,
    pub localities: usize,
    pub states: usize,
    pub known_low: u64,
    pub known_high: u64,
    /// The participants evidence range (known sums plus the imputed unsized part).
    pub participants_low: Option<u64>,
    pub participants_high: Option<u64>,
    pub imputed_point: Option<u64>,
    pub method: Option<String>,
    /// How many events the selection is believed to have in the world, when known.
    pub expected_events: Option<usize>,
    /// True when the ledger holds fewer events than that: a claim above the evidence
    /// is then not refuted (the missing events could only add people), unless the
    /// evidence is extrapolated to them.
    pub ledger_incomplete: bool,
    /// The participants evidence covers the events missing from the ledger too
    /// (`Totals::extrapolated`): how many, and the extrapolated point.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub events_missing: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extrapolated_point: Option<u64>,
}

/// A claim checked against the evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClaimCheck {
    pub verdict: Verdict,
    pub claim: Claim,
    pub evidence: Evidence,
    pub parts: Vec<PartCheck>,
}

/// The fewest sized events whose extrapolation to the events a ledger lacks can refute
/// a claim above the ledger's own evidence.
pub const MIN_EXTRAPOLATION_EVENTS: usize = 30;

/// How much evidence a verdict needs.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckConfig {
    /// Below this share of events with a size, participant claims get
    /// `insufficient_evidence`: the total would be mostly model.
    pub min_coverage: f64,
    /// How many events the selection is believed to have in the world (from the claim
    /// itself, a stated count, or the user). When the ledger holds fewer, the events it
    /// lacks could only add people and places: a claim above the evidence cannot be
    /// refuted (`insufficient_evidence`), while one below it still can.
    pub expected_events: Option<usize>,
    /// The user asserts that the ledger holds every event of the selection.
    pub complete: bool,
}

impl Default for CheckConfig {
    fn default() -> Self {
        CheckConfig {
            min_coverage: 0.2,
            expected_events: None,
            complete: false,
        }
    }
}

/// True when the ledger is known to lack events of the claim's selection. A claim about
/// one place or one kind of gathering ("the parade", "in Chicago") is taken as fully
/// covered; a wider one is not when its own place count, or the expected count, exceeds
/// the events held.
fn ledger_is_incomplete(claim: &Claim, totals: &Totals, config: &CheckConfig) -> bool {
    if config.complete || claim.locality.is_some() || claim.kind.is_some() {
        return false;
    }
    let claimed_places = claim.places.as_ref().map(|p| p.low as usize);
    let expected = config.expected_events.max(claimed_places);
    expected.is_some_and(|n| n > totals.events)
}

/// On an incomplete ledger, a claim above the evidence is not refuted.
fn unrefuted_when_incomplete(verdict: Verdict, incomplete: bool) -> Verdict {
    if incomplete && verdict == Verdict::AboveEvidence {
        Verdict::InsufficientEvidence
    } else {
        verdict
    }
}

/// The verdict of a claimed range against an evidence range, both in whole people as
/// they are printed: the verdict always follows from the figures shown beside it.
pub fn compare_ranges(claim: &ClaimRange, low: u64, high: u64) -> Verdict {
    if claim.low > high {
        Verdict::AboveEvidence
    } else if claim.high.is_some_and(|h| h < low) {
        Verdict::BelowEvidence
    } else {
        Verdict::Consistent
    }
}

/// Checks a claim against the totals of its selection.
pub fn check_claim(claim: &Claim, totals: &Totals, config: &CheckConfig) -> ClaimCheck {
    let incomplete = ledger_is_incomplete(claim, totals, config);
    // An incomplete ledger with an extrapolation is judged on the extrapolated range:
    // the missing events are in it, so a claim above it is refuted like any other. A
    // handful of sized events says too little about the rest to refute anything.
    let extrapolated = totals
        .extrapolated
        .as_ref()
        .filter(|_| incomplete && totals.events_with_size >= MIN_EXTRAPOLATION_EVENTS);
    let evidence_range = match extrapolated {
        Some(_) => totals.extrapolated_evidence_range(),
        None => totals.evidence_range(),
    };
    let incomplete_unmodelled = incomplete && extrapolated.is_none();
    // Rounded once: the comparison is made on the figures that are printed.
    let range = evidence_range.map(|(low, high)| (low.round() as u64, high.round() as u64));
    let evidence = Evidence {
        events: totals.events,
        events_with_size: totals.events_with_size,
        coverage: totals.coverage,
        localities: totals.localities,
        states: totals.states,
        known_low: totals.known_low,
        known_high: totals.known_high,
        participants_low: range.map(|r| r.0),
        participants_high: range.map(|r| r.1),
        imputed_point: totals.imputed.as_ref().map(|i| i.point),
        method: totals.imputed.as_ref().map(|i| i.method.clone()),
        expected_events: config.expected_events,
        ledger_incomplete: incomplete,
        events_missing: extrapolated.map(|x| x.events_missing),
        extrapolated_point: extrapolated.map(|x| x.point),
    };
    let mut parts = Vec::new();
    if let Some(p) = &claim.participants {
        let part = match range {
            Some((low, high)) if totals.events > 0 && totals.coverage >= config.min_coverage => {
                PartCheck {
                    what: "participants",
                    verdict: unrefuted_when_incomplete(
                        compare_ranges(p, low, high),
                        incomplete_unmodelled,
                    ),
                    claim_low: p.low,
                    claim_high: p.high,
                    evidence_low: Some(low),
                    evidence_high: Some(high),
                }
            }
            _ => PartCheck {
                what: "participants",
                verdict: Verdict::InsufficientEvidence,
                claim_low: p.low,
                claim_high: p.high,
                evidence_low: range.map(|r| r.0),
                evidence_high: range.map(|r| r.1),
            },
        };
        parts.push(part);
    }
    // With an extrapolation, the events known to exist are places too.
    let events_known = totals.events + extrapolated.map_or(0, |x| x.events_missing);
    for (what, claimed, low, high, unrefuted) in [
        (
            "places",
            &claim.places,
            totals.localities,
            events_known,
            incomplete_unmodelled,
        ),
        // Missing events may be in other states: the states count stays a floor.
        (
            "states",
            &claim.states,
            totals.states,
            totals.states,
            incomplete,
        ),
    ] {
        if let Some(c) = claimed {
            let verdict = if totals.events == 0 {
                Verdict::InsufficientEvidence
            } else {
                let verdict = compare_ranges(c, low.min(high) as u64, high as u64);
                unrefuted_when_incomplete(verdict, unrefuted)
            };
            parts.push(PartCheck {
                what,
                verdict,
                claim_low: c.low,
                claim_high: c.high,
                evidence_low: Some(low.min(high) as u64),
                evidence_high: Some(high as u64),
            });
        }
    }
    // A part that refutes the claim decides it; otherwise insufficient evidence for any
    // part makes the whole claim unanswerable.
    let refuting = parts
        .iter()
        .map(|p| p.verdict)
        .find(|v| matches!(v, Verdict::AboveEvidence | Verdict::BelowEvidence));
    let verdict = if totals.events == 0 {
        Verdict::InsufficientEvidence
    } else if let Some(refuting) = refuting {
        refuting
    } else if parts
        .iter()
        .any(|p| p.verdict == Verdict::InsufficientEvidence)
    {
        Verdict::InsufficientEvidence
    } else {
        Verdict::Consistent
    };
    ClaimCheck {
        verdict,
        claim: claim.clone(),
        evidence,
        parts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::impute::UnsizedPart;
    use crate::totals::Imputed;
    use proptest::prelude::*;

    fn totals(events: usize, sized: usize, low: u64, high: u64, missing: (f64, f64)) -> Totals {
        let imputed = (sized < events).then(|| Imputed {
            point: 0,
            low: 0,
            high: 0,
            method: "test".into(),
            unsized_part: UnsizedPart {
                events: events - sized,
                point: (missing.0 + missing.1) / 2.0,
                low: missing.0,
                high: missing.1,
            },
        });
        Totals {
            events,
            events_with_size: sized,
            coverage: if events == 0 {
                0.0
            } else {
                sized as f64 / events as f64
            },
            localities: events,
            states: 1,
            known_low: low,
            known_high: high,
            imputed,
            extrapolated: None,
            baseline: None,
            population: None,
            per_capita: None,
            known_midpoint: (low + high) as f64 / 2.0,
        }
    }

    /// What a reader can verify from the printed figures alone.
    fn follows_from_printed(part: &PartCheck) -> bool {
        let (Some(low), Some(high)) = (part.evidence_low, part.evidence_high) else {
            return part.verdict == Verdict::InsufficientEvidence;
        };
        match part.verdict {
            Verdict::AboveEvidence => part.claim_low > high,
            Verdict::BelowEvidence => part.claim_high.is_some_and(|h| h < low),
            Verdict::Consistent => {
                part.claim_low <= high && part.claim_high.map_or(true, |h| h >= low)
            }
            // Not refuting is always allowed: too little evidence, or a ledger that
            // lacks events (then only a claim above the evidence is left unrefuted).
            Verdict::InsufficientEvidence => true,
        }
    }

    proptest! {
        #[test]
        fn the_verdict_follows_from_the_evidence_printed_beside_it(
            events in 0usize..50,
            sized_share in 0.0f64..=1.0,
            low in 0u64..5_000_000,
            spread in 0u64..5_000_000,
            unsized_low in 0.0f64..1_000_000.0,
            unsized_spread in 0.0f64..1_000_000.0,
            claim_low in 0u64..12_000_000,
            claim_spread in proptest::option::of(0u64..6_000_000),
            expected in proptest::option::of(0usize..100),
            fraction in 0.0f64..0.999,
        ) {
            let sized = (events as f64 * sized_share).round() as usize;
            // Fractional evidence ends: the rounding must not split printed and judged.
            let missing = (unsized_low + fraction, unsized_low + unsized_spread + fraction);
            let totals = totals(events, sized, low, low + spread, missing);
            let claim = Claim {
                text: "test".into(),
                participants: Some(ClaimRange {
                    low: claim_low,
                    high: claim_spread.map(|s| claim_low + s),
                    text: "test".into(),
                }),
                places: Some(ClaimRange { low: 10, high: None, text: "10".into() }),
                states: None,
                locality: None,
                state: None,
                movement: None,
                kind: None,
                candidates: Vec::new(),
                claimant: None,
                one_gathering: false,
            };
            let config = CheckConfig { expected_events: expected, ..CheckConfig::default() };
            let check = check_claim(&claim, &totals, &config);
            for part in &check.parts {
                prop_assert!(follows_from_printed(part), "{part:?}");
            }
            let participants = &check.parts[0];
            prop_assert_eq!(participants.evidence_low, check.evidence.participants_low);
            prop_assert_eq!(participants.evidence_high, check.evidence.participants_high);
            // The whole claim's verdict is one of its parts' verdicts.
            prop_assert!(
                events == 0 || check.parts.iter().any(|p| p.verdict == check.verdict),
                "{check:?}"
            );
        }
    }

    #[test]
    fn a_fraction_above_the_claim_does_not_refute_it() {
        // Evidence high of 249,999.6 prints as 250,000: a claim of "over 250,000" is
        // then consistent with what is shown, not above it.
        let totals = totals(2, 1, 100_000, 200_000, (10_000.0, 49_999.6));
        let claim = parse_claim_for_test("more than 250,000 people");
        let check = check_claim(&claim, &totals, &CheckConfig::default());
        assert_eq!(check.parts[0].evidence_high, Some(250_000));
        assert_eq!(check.verdict, Verdict::Consistent);
    }

    fn parse_claim_for_test(text: &str) -> Claim {
        crate::claim::parse_claim(text).unwrap()
    }
}
