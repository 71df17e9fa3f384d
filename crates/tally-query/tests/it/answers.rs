//! Each question answered once, with the JSON field names of DESIGN.md.

use crate::ledger;
use tally_estimate::Verdict;
use tally_model::Selection;
use tally_query::{
    check, compare, estimate, event, events, CheckRequest, CompareRequest, EstimateRequest,
    EventsRequest, QueryError,
};

fn day() -> Selection {
    Selection::on("2025-06-14".parse().unwrap())
}

#[test]
fn estimate_answers_with_the_design_fields() {
    let (_dir, ledger) = ledger();
    let answer = estimate(
        &ledger,
        &EstimateRequest {
            selection: day(),
            ..EstimateRequest::default()
        },
    )
    .unwrap();
    assert_eq!(answer.totals.events, 6);
    assert_eq!(answer.totals.events_with_size, 5);
    let json = serde_json::to_value(&answer).unwrap();
    for key in [
        "events",
        "events_with_size",
        "coverage",
        "localities",
        "states",
        "known_low",
        "known_high",
        "imputed",
        "baseline",
        "population",
        "per_capita",
    ] {
        assert!(json.get(key).is_some(), "no {key} in {json}");
    }
    assert!(json.get("by").is_none(), "no breakdown was asked for");
    let by_state = estimate(
        &ledger,
        &EstimateRequest {
            selection: day(),
            by: Some(tally_estimate::By::State),
            ..EstimateRequest::default()
        },
    )
    .unwrap();
    let rows = serde_json::to_value(&by_state).unwrap()["by"].clone();
    assert_eq!(rows.as_array().unwrap().len(), 6);
    assert_eq!(rows[0]["key"], "DC");
}

#[test]
fn events_and_one_event_with_its_sources() {
    let (_dir, ledger) = ledger();
    let listed = events(
        &ledger,
        &EventsRequest {
            selection: day(),
            limit: Some(2),
            offset: 1,
        },
    )
    .unwrap();
    assert_eq!(listed.len(), 2);
    let parade = events(
        &ledger,
        &EventsRequest {
            selection: Selection {
                text: Some("parade".into()),
                ..day()
            },
            ..EventsRequest::default()
        },
    )
    .unwrap();
    assert_eq!(parade.len(), 1);
    let answer = event(&ledger, &parade[0].id.0).unwrap();
    assert_eq!(answer.reports.len(), 6);
    assert!(answer.reports.iter().all(|r| r.source.is_some()));
    assert!(matches!(
        event(&ledger, "ev-nosuch"),
        Err(QueryError::BadInput(_))
    ));
}

#[test]
fn a_claim_is_checked_and_a_bad_one_is_bad_input() {
    let (_dir, ledger) = ledger();
    let answer = check(
        &ledger,
        &CheckRequest {
            claim: "fewer than 1,000 people marched in Chicago".into(),
            selection: day(),
            ..CheckRequest::default()
        },
    )
    .unwrap();
    assert_eq!(answer.verdict, Verdict::BelowEvidence);
    let json = serde_json::to_value(&answer).unwrap();
    assert_eq!(json["verdict"], "below_evidence");
    assert!(json["evidence"]["parts"].is_array());
    let bad = check(
        &ledger,
        &CheckRequest {
            claim: "huge crowds everywhere".into(),
            ..CheckRequest::default()
        },
    );
    assert!(matches!(bad, Err(e) if e.is_bad_input()));
}

#[test]
fn compare_names_both_sides() {
    let (_dir, ledger) = ledger();
    let answer = compare(
        &ledger,
        &CompareRequest {
            a: "No Kings".into(),
            b: "parade".into(),
            defaults: day(),
            ..CompareRequest::default()
        },
    )
    .unwrap();
    let json = serde_json::to_value(&answer).unwrap();
    assert_eq!(json["a"]["selection"], "No Kings");
    assert_eq!(json["b"]["events"], 1);
    assert!(json["ratio"]["point"].as_f64().unwrap() > 0.0);
}

/// Issue 8: the claimant's class, the organizers and their relays are set aside and
/// listed; the verdict follows from what is left.
#[test]
fn issue_8_claims_are_judged_on_independent_evidence() {
    let (_dir, ledger) = ledger();
    let request = |claim: &str| CheckRequest {
        claim: claim.into(),
        selection: day(),
        ..CheckRequest::default()
    };
    let answer = check(
        &ledger,
        &request("The White House said more than 200,000 people attended the parade"),
    )
    .unwrap();
    assert_eq!(answer.verdict, Verdict::AboveEvidence);
    let part = &answer.evidence.parts[0];
    assert_eq!(
        (part.evidence_low, part.evidence_high),
        (Some(20_000), Some(120_000))
    );
    let officials = answer
        .evidence
        .excluded
        .iter()
        .find(|x| x.attribution == tally_model::Attribution::Officials)
        .expect("the officials' statement is listed");
    // One statement relayed by three outlets is listed once.
    assert_eq!(officials.reports.len(), 3);
    assert_eq!(answer.evidence.independent_statements, 2);

    // Nothing left but interested parties: no verdict.
    let chicago = check(
        &ledger,
        &CheckRequest {
            claimant: Some(tally_model::Attribution::Police),
            ..request("more than 100,000 people marched in Chicago")
        },
    )
    .unwrap();
    assert_eq!(chicago.verdict, Verdict::InsufficientEvidence);
}

#[test]
fn issue_8_an_event_shows_its_range_by_class() {
    let (_dir, ledger) = ledger();
    let parade = &events(
        &ledger,
        &EventsRequest {
            selection: Selection {
                text: Some("parade".into()),
                ..day()
            },
            ..EventsRequest::default()
        },
    )
    .unwrap()[0];
    let answer = event(&ledger, &parade.id.0).unwrap();
    let officials = answer.by_class.officials.as_ref().unwrap();
    assert_eq!(
        (officials.low, officials.reports, officials.statements),
        (250_000, 3, 1)
    );
    let researchers = answer.by_class.researchers.as_ref().unwrap();
    assert_eq!((researchers.low, researchers.high), (80_000, 120_000));
    assert!(answer.by_class.police.is_none());
    let json = serde_json::to_value(&answer).unwrap();
    assert_eq!(json["by_class"]["media"]["high"], 20_000);
    assert!(json["by_class"]["police"].is_null());
}

/// Issue 8: a selection used on both sides is refused; events counted on both sides are
/// named; the ratio's interval comes from resampling both sides together.
#[test]
fn issue_8_compare_refuses_one_selection_twice_and_names_the_overlap() {
    let (_dir, ledger) = ledger();
    let request = |a: &str, b: &str| CompareRequest {
        a: a.into(),
        b: b.into(),
        defaults: day(),
        ..CompareRequest::default()
    };
    let same = compare(&ledger, &request("No Kings", "match=No Kings"));
    assert!(matches!(same, Err(QueryError::BadInput(_))), "{same:?}");
    let same_events = compare(&ledger, &request("No Kings", "match=no kings"));
    assert!(matches!(same_events, Err(QueryError::BadInput(_))));
    let overlapping = compare(&ledger, &request("No Kings", "state=IL")).unwrap();
    let overlap = overlapping.overlap.expect("Chicago is on both sides");
    assert_eq!((overlap.events, overlap.known_low), (1, 50_000));
    assert_eq!(overlap.titles, vec!["No Kings".to_string()]);
    let disjoint = compare(&ledger, &request("No Kings", "parade")).unwrap();
    assert!(disjoint.overlap.is_none());
    let ratio = &disjoint.ratio;
    assert!(
        ratio.method.starts_with("joint bootstrap"),
        "{}",
        ratio.method
    );
    let (low, point, high) = (
        ratio.low.unwrap(),
        ratio.point.unwrap(),
        ratio.high.unwrap(),
    );
    assert!(low <= point && point <= high, "{ratio:?}");
}
