//! Claims against the evidence: one claim given as text ([`check`]), or every aggregate
//! claim stored in the ledger ([`check_stored`]), through the same steps.
//!
//! The claim's place ("in Chicago"), kind ("the parade") and movement ("No Kings")
//! select the events, on top of the request's selection (usually a date). The claim is
//! judged against independent evidence only: the claimant's class (from its words, or
//! the request), the gathering's organizers and relays of them are set aside and listed
//! (`tally_estimate::evidence`). Place flags
//! the user gave win over the claim's words. When the selection is known to hold more
//! events than the ledger (the request's `expected_events`, else the largest event
//! count stated by a stored aggregate claim for those days, or the claim's own "in 2,100
//! places"), a wide claim is judged on the total extrapolated to every event known to
//! exist (`Totals::extrapolated`); where nothing can be extrapolated (a state's claim
//! beside a national count), a claim above the evidence is not refuted.

use crate::estimate::{load_events, totals_for, ModelOptions};
use crate::{bad_input, QueryError};
use serde::Serialize;
use tally_estimate::{
    check_claim, independent_evidence, parse_claim, CheckConfig, Claim, ClaimCheck, ClaimRange,
    Evidence, ExcludedStatement, IndependentEvidence, PartCheck, Verdict,
};
use tally_model::{Attribution, Date, Event, Report, ReportId, Selection};
use tally_store::Ledger;

/// `tally check`.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckRequest {
    /// The claim ("over 5 million people in over 2,000 places"); ignored by
    /// [`check_stored`].
    pub claim: String,
    /// The base selection (usually a date); its place, when set, wins over the claim's.
    pub selection: Selection,
    /// Below this share of events with a size, participant claims are
    /// `insufficient_evidence`.
    pub min_coverage: f64,
    /// How many events the selection had in the world; `None` takes the largest count
    /// stated by the aggregate claims stored for those days.
    pub expected_events: Option<usize>,
    /// The user asserts that the ledger holds every event of the selection.
    pub complete: bool,
    pub model: ModelOptions,
    /// Who makes the claim, when the caller knows better than the claim's words
    /// (`--claimant`); their class is set aside from the evidence.
    pub claimant: Option<Attribution>,
}

impl Default for CheckRequest {
    fn default() -> Self {
        CheckRequest {
            claim: String::new(),
            selection: Selection::default(),
            min_coverage: 0.2,
            expected_events: None,
            complete: false,
            model: ModelOptions::default(),
            claimant: None,
        }
    }
}

/// The evidence behind a verdict, with the verdict of each quantity the claim states.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckEvidence {
    #[serde(flatten)]
    pub summary: Evidence,
    pub parts: Vec<PartCheck>,
    /// The classes whose reports are not evidence for this claim: the claimant's and
    /// the gathering's organizers'.
    pub excluded_classes: Vec<Attribution>,
    /// Each statement set aside (once, however many outlets relayed it).
    pub excluded: Vec<ExcludedStatement>,
    /// Distinct statements the evidence rests on (class, figure, gathering).
    pub independent_statements: usize,
}

/// DESIGN.md's `{"verdict", "claim", "evidence"}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckAnswer {
    pub verdict: Verdict,
    pub claim: Claim,
    pub evidence: CheckEvidence,
}

impl CheckAnswer {
    fn new(check: ClaimCheck, independent: IndependentEvidence) -> Self {
        CheckAnswer {
            verdict: check.verdict,
            claim: check.claim,
            evidence: CheckEvidence {
                summary: check.evidence,
                parts: check.parts,
                excluded_classes: independent.excluded_classes,
                excluded: independent.excluded,
                independent_statements: independent.statements,
            },
        }
    }
}

/// A stored aggregate claim checked: the answer, with the report it came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredCheck {
    #[serde(flatten)]
    pub check: CheckAnswer,
    /// The stored report the claim came from, its publisher (who made it) and date.
    pub report: Option<i64>,
    pub publisher: Option<String>,
    pub date: Option<Date>,
}

/// Answers `tally check "CLAIM"`; a claim with no quantity is bad input.
pub fn check(ledger: &Ledger, request: &CheckRequest) -> Result<CheckAnswer, QueryError> {
    let claim = parse_claim(&request.claim).map_err(|e| bad_input(format!("claim: {e}")))?;
    check_parsed(ledger, claim, &request.selection, request)
}

/// Answers `tally check --stored`: every aggregate claim the ledger holds, each on its
/// own day unless the request's selection sets dates.
pub fn check_stored(
    ledger: &Ledger,
    request: &CheckRequest,
) -> Result<Vec<StoredCheck>, QueryError> {
    // Every claim stored up to the selection's time, whatever its day; the claims alone
    // are read (issue 12).
    let everywhen = Selection {
        as_of: request.selection.as_of,
        ..Selection::default()
    };
    let reports = ledger.claim_reports(&everywhen)?;
    let mut checks = Vec::new();
    for report in &reports {
        let Some(mut claim) = claim_of_report(report) else {
            continue;
        };
        let mut selection = request.selection.clone();
        if selection.from.is_none() && selection.to.is_none() {
            selection.from = report.date;
            selection.to = report.date;
        }
        claim.movement = movement_in_title(report, &load_events(ledger, &selection)?);
        let check = check_parsed(ledger, claim, &selection, request)?;
        checks.push(StoredCheck {
            check,
            report: report.id.map(|i| i.0),
            publisher: report.publisher.clone(),
            date: report.date,
        });
    }
    Ok(checks)
}

/// Checks one parsed claim against the events of `base` and the claim's own words.
fn check_parsed(
    ledger: &Ledger,
    mut claim: Claim,
    base: &Selection,
    request: &CheckRequest,
) -> Result<CheckAnswer, QueryError> {
    // Flags the user gave win over what the claim's words suggest.
    let explicit_place = request.selection.locality.is_some() || request.selection.state.is_some();
    let selection = if explicit_place {
        base.clone()
    } else {
        claim.selection(base)
    };
    let mut events: Vec<Event> = load_events(ledger, &selection)?;
    claim.choose_movement(events.iter().filter_map(|e| e.title.as_deref()));
    events.retain(|e| claim.matches(e));
    claim.claimant = request.claimant.or(claim.claimant);
    // Judged against the other sources only: the claimant's class, the organizers',
    // and relays of them are set aside.
    let ids: Vec<ReportId> = events
        .iter()
        .flat_map(|e| e.reports.iter().copied())
        .collect();
    let reports = ledger.reports_by_id(&ids)?;
    // "The White House said 250,000 attended the parade": the parade it spoke of.
    let claimant = claim.claimant;
    let spoke = |event: &Event| {
        claimant.is_some_and(|class| {
            reports.iter().any(|r| {
                r.id.is_some_and(|id| event.reports.contains(&id))
                    && r.event_estimates().any(|e| e.attribution() == class)
            })
        })
    };
    if let Some(one) = claim.pick_one_gathering(&events, spoke) {
        events = vec![events.swap_remove(one)];
    }
    let independent = independent_evidence(&events, &reports, claim.claimant);
    let stored_count = stated_event_count(ledger, &selection)?;
    let expected_events = request.expected_events.or(stored_count);
    // A wide claim whose number of events is known (the user's count, the claim's own
    // "in 2,100 places", or, for a national claim, the count stored claims state) is
    // judged on the total extrapolated to all of them.
    let mut config = request.model.config();
    let wide = !request.complete
        && claim.locality.is_none()
        && claim.kind.is_none()
        && selection.locality.is_none();
    let national = claim.state.is_none() && selection.state.is_none();
    config.expected_events = request
        .expected_events
        .or(claim.places.as_ref().map(|p| p.low as usize))
        .or(stored_count.filter(|_| national))
        .filter(|_| wide);
    let totals = totals_for(&selection, &independent.events, &config);
    let check = check_claim(
        &claim,
        &totals,
        &CheckConfig {
            min_coverage: request.min_coverage,
            expected_events,
            complete: request.complete,
        },
    );
    Ok(CheckAnswer::new(check, independent))
}

/// The largest count of events stated by an aggregate claim stored for the selection's
/// days ("in over 2,000 places"), if any.
pub(crate) fn stated_event_count(
    ledger: &Ledger,
    selection: &Selection,
) -> Result<Option<usize>, QueryError> {
    // Only the claims of those days are read, never the ledger's reports (issue 12).
    Ok(ledger
        .claim_reports(selection)?
        .iter()
        .filter_map(|r| r.event_count)
        .max()
        .map(|n| n as usize))
}

/// A stored aggregate report as a claim: its figures (bounded by their qualifiers, so
/// "more than 5 million" stays open above), its event count, and its place. The
/// movement is chosen later from the event titles its own title mentions.
fn claim_of_report(report: &Report) -> Option<Claim> {
    let mut low: Option<u64> = None;
    let mut high: Option<Option<u64>> = None;
    for e in &report.estimates {
        // What the qualifier says, in the number reader's vocabulary.
        let bound = e
            .qualifier()
            .map_or(tally_extract::Bound::Exact, tally_extract::qualifier_bound);
        let (l, h) = match bound {
            tally_extract::Bound::Above => (e.low(), None),
            tally_extract::Bound::Below => (0, Some(e.high())),
            _ => (e.low(), Some(e.high())),
        };
        low = Some(low.map_or(l, |x| x.min(l)));
        high = Some(match (high, h) {
            (None, h) => h,
            (Some(None), _) | (_, None) => None,
            (Some(Some(a)), Some(b)) => Some(a.max(b)),
        });
    }
    let (low, high) = (low?, high?);
    let range_text = match high {
        Some(h) if h == low => low.to_string(),
        Some(h) => format!("{low}–{h}"),
        None => format!("over {low}"),
    };
    let text = report
        .size_text
        .clone()
        .or_else(|| report.claims.clone())
        .unwrap_or_else(|| range_text.clone());
    // One answer: the claim's words are read as `tally check` reads them ("100,000
    // people" is a round figure, 50,000–150,000), so that asking the stored sentence
    // ad hoc gives the same range; the report's own figures serve when they do not parse.
    let parsed = parse_claim(&text).ok();
    let participants = parsed
        .as_ref()
        .and_then(|c| c.participants.clone())
        .unwrap_or(ClaimRange {
            low,
            high,
            text: range_text,
        });
    let places = parsed.and_then(|c| c.places).or_else(|| {
        report.event_count.map(|n| ClaimRange {
            low: n,
            high: None,
            text: n.to_string(),
        })
    });
    Some(Claim {
        text,
        participants: Some(participants),
        places,
        states: None,
        locality: report.place.best_locality().map(str::to_string),
        state: report.place.best_state(),
        movement: None,
        kind: None,
        candidates: Vec::new(),
        claimant: report.estimates.first().map(|e| e.attribution()),
        one_gathering: false,
    })
}

/// The event title that a stored claim's own title mentions ("No Kings draws millions"
/// → "No Kings"), the longest when several do.
fn movement_in_title(report: &Report, events: &[Event]) -> Option<String> {
    // Articles keep their headline apart from a gathering's title (issue 9).
    let title = report
        .title
        .as_deref()
        .or(report.headline.as_deref())?
        .to_lowercase();
    events
        .iter()
        .filter_map(|e| e.title.as_deref())
        .filter(|t| !t.trim().is_empty() && title.contains(&t.trim().to_lowercase()))
        .max_by_key(|t| t.len())
        .map(|t| t.trim().to_string())
}
