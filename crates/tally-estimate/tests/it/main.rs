//! Integration tests of estimation: totals, calibration under biased missingness, claim
//! verdicts above, below and within the evidence, comparisons and invariants.

mod calibrate_rows;

use proptest::prelude::*;
use tally_estimate::synthetic::{synthetic_events, synthetic_places, Shape, SyntheticConfig};
use tally_estimate::{
    breakdown, calibrate, check_claim, compare, estimate, joint_replicate_totals, parse_claim,
    replicate_totals, By, CalibrationConfig, CheckConfig, EstimateConfig, HidingScheme, Missing,
    Verdict,
};
use tally_model::{Confidence, Event, EventId, Place, ResolvedPlace};

fn event(
    i: usize,
    city: &str,
    state: &str,
    size: Option<(u64, u64)>,
    population: u64,
    title: &str,
) -> Event {
    let state = state.parse().unwrap();
    let mut place = Place::from_parts(Some(city), Some(state));
    place.resolved = Some(ResolvedPlace {
        locality: Some(city.to_string()),
        county: None,
        fips: None,
        state,
        lat: None,
        lon: None,
        population: Some(population),
        confidence: Confidence::Exact,
    });
    Event {
        id: EventId(format!("e{i}")),
        date: Some("2025-06-14".parse().unwrap()),
        place,
        event_type: Some("protest".into()),
        title: Some(title.into()),
        organizers: None,
        reports: vec![],
        size_low: size.map(|s| s.0),
        size_high: size.map(|s| s.1),
        low_from: None,
        high_from: None,
        coded_by_rule: false,
    }
}

/// Twenty sized events (1,000–3,000 each: known 20,000 … 60,000) and five unsized towns.
fn day_of_action() -> Vec<Event> {
    let mut events: Vec<Event> = (0..20)
        .map(|i| {
            event(
                i,
                &format!("City {i}"),
                "OH",
                Some((1_000, 3_000)),
                50_000 + 10_000 * i as u64,
                "No Kings",
            )
        })
        .collect();
    events.extend((20..25).map(|i| event(i, &format!("Town {i}"), "IN", None, 5_000, "No Kings")));
    events
}

#[test]
fn totals_count_sum_and_impute() {
    let events = day_of_action();
    let t = estimate(&events, &EstimateConfig::default());
    assert_eq!(
        (t.events, t.events_with_size, t.localities, t.states),
        (25, 20, 25, 2)
    );
    assert!((t.coverage - 0.8).abs() < 1e-12);
    assert_eq!((t.known_low, t.known_high), (20_000, 60_000));
    let imputed = t.imputed.as_ref().unwrap();
    assert!(imputed.low <= imputed.point && imputed.point <= imputed.high);
    // The known midpoints sum to 40,000; five unsized events add something positive.
    assert!(
        imputed.point > 40_000 && imputed.point < 60_000,
        "{imputed:?}"
    );
    assert!(imputed.method.contains("regression"));
    // Median fill: 40,000 + 5 × 2,000.
    assert_eq!(t.baseline.as_ref().unwrap().point, 50_000);
    let json = serde_json::to_value(&t).unwrap();
    let mut keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    let mut expected = [
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
    ];
    expected.sort_unstable();
    assert_eq!(keys, expected);
    let mut imputed_keys: Vec<&str> = json["imputed"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    imputed_keys.sort_unstable();
    assert_eq!(imputed_keys, ["high", "low", "method", "point"]);
    let with_pop = t.clone().with_population(Some(1_000_000));
    assert!((with_pop.per_capita.unwrap() - imputed.point as f64 / 1e6).abs() < 1e-12);
}

#[test]
fn estimates_are_deterministic_given_the_seed() {
    let (_, observed) = synthetic_events(&SyntheticConfig {
        events: 500,
        seed: 4,
        ..Default::default()
    });
    let config = EstimateConfig::default();
    assert_eq!(estimate(&observed, &config), estimate(&observed, &config));
    let mut other = config.clone();
    other.impute.seed += 1;
    let (a, b) = (
        estimate(&observed, &config).imputed.unwrap(),
        estimate(&observed, &other).imputed.unwrap(),
    );
    assert_eq!(a.point, b.point);
}

/// Issue 12: the bootstrap replicates are drawn on every core, each from its own
/// random stream, so the answer is the same with one thread or several.
#[test]
fn issue_12_replicates_do_not_depend_on_the_number_of_threads() {
    let (truth, observed) = synthetic_events(&SyntheticConfig {
        events: 800,
        seed: 9,
        ..Default::default()
    });
    let mut config = EstimateConfig {
        expected_events: Some(1_200),
        ..EstimateConfig::default()
    };
    config.places = Some(synthetic_places(&truth, 9).into());
    let with_threads = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| estimate(&observed, &config))
    };
    let one = with_threads(1);
    let imputed = one.imputed.as_ref().unwrap();
    let extrapolated = one.extrapolated.as_ref().unwrap();
    assert!(
        imputed.low < imputed.point && imputed.point < imputed.high,
        "{imputed:?}"
    );
    assert!(extrapolated.low < extrapolated.high, "{extrapolated:?}");
    assert_eq!(with_threads(3), one);
    assert_eq!(with_threads(2), one);
}

#[test]
fn no_events_and_all_sized() {
    let t = estimate(&[], &EstimateConfig::default());
    assert_eq!((t.events, t.coverage), (0, 0.0));
    assert!(t.imputed.is_none() && t.baseline.is_none());
    let events: Vec<Event> = (0..3)
        .map(|i| event(i, "A", "OH", Some((10, 30)), 100, "x"))
        .collect();
    let t = estimate(&events, &EstimateConfig::default());
    let i = t.imputed.unwrap();
    assert_eq!((i.low, i.point, i.high), (60, 60, 60));
}

#[test]
fn breakdown_rows_partition_the_events() {
    let events = day_of_action();
    let rows = breakdown(&events, By::State, &EstimateConfig::default());
    assert_eq!(
        rows.iter().map(|r| r.key.as_str()).collect::<Vec<_>>(),
        ["IN", "OH"]
    );
    assert_eq!(rows.iter().map(|r| r.totals.events).sum::<usize>(), 25);
    let indiana = &rows[0].totals;
    assert_eq!(indiana.events_with_size, 0);
    // Indiana has no sized event but borrows the model fit on all events.
    assert!(indiana.imputed.as_ref().unwrap().point > 0);
    assert_eq!(
        breakdown(&events, By::Date, &EstimateConfig::default()).len(),
        1
    );
}

/// Issue 8: the targets of the hidden real-sheet judging, on synthetic days shaped like
/// real ones (600 events, log spread 2): with 20% of sizes hidden uniformly or with a
/// chance ∝ 1/√size, the 90% interval holds the truth in at least 17 of 20 trials, its
/// median width is at most 40% of the total and the median point error at most 8%; with
/// 30% of the rows dropped and their number given, the extrapolated interval holds the
/// truth in at least 17 of 20. Two log-normal days and two days shaped like a volunteer
/// sheet (the largest event 10–25% of the day, 45% ranges). The long version is
/// `examples/calibration.rs`.
#[test]
fn issue_8_calibration_meets_the_targets_in_both_regimes() {
    for (shape, seed) in [
        (Shape::LogNormal, 1),
        (Shape::LogNormal, 2),
        (Shape::Sheet, 2),
        (Shape::Sheet, 5),
    ] {
        let (truth, _) = synthetic_events(&SyntheticConfig::shaped(shape, 600, seed));
        let mut config = CalibrationConfig {
            seed,
            ..CalibrationConfig::default()
        };
        config.estimate.impute.replicates = 200;
        let report = calibrate(&truth, &config).unwrap();
        assert_eq!(report.schemes.len(), 4);
        let at = format!("{} seed {seed}", shape.as_str());
        for s in &report.schemes {
            assert_eq!(s.trials, 20, "{s:?}");
            assert!(s.covered >= 17, "{at}: {s:?}");
            if s.missing == Missing::Sizes {
                assert!(s.median_relative_width <= 0.40, "{at}: {s:?}");
                assert!(s.median_abs_error <= 0.08, "{at}: {s:?}");
            }
        }
        // Mean smearing's failure: when the small events are the missing ones, the point
        // must stay close (it was 12–34% high on a real sheet).
        let small = report
            .schemes
            .iter()
            .find(|s| s.missing == Missing::Sizes && s.scheme == HidingScheme::SmallEvents)
            .unwrap();
        assert!(small.median_abs_error <= 0.05, "{at}: {small:?}");
        // The lower story follows the estimated selection: sizes hidden uniformly leave
        // an interval with room under the target (it was 34–43% with a fixed γ of 0.75).
        let uniform = report
            .schemes
            .iter()
            .find(|s| s.missing == Missing::Sizes && s.scheme == HidingScheme::Uniform)
            .unwrap();
        assert!(uniform.median_relative_width <= 0.36, "{at}: {uniform:?}");
    }
}

/// Issue 8: a day with one dominant gathering (40% of it). Hiding it cannot be foreseen
/// (docs/calibration.md), but when the missing are mostly the small events, sizes and
/// whole rows alike, the intervals hold and stay narrow, and the point stays close.
#[test]
fn issue_8_dominant_day_holds_when_the_small_ones_are_missing() {
    let seed = 2;
    let (truth, _) = synthetic_events(&SyntheticConfig::shaped(Shape::Dominant, 600, seed));
    let mut config = CalibrationConfig {
        seed,
        schemes: vec![HidingScheme::SmallEvents],
        ..CalibrationConfig::default()
    };
    config.estimate.impute.replicates = 200;
    let report = calibrate(&truth, &config).unwrap();
    assert_eq!(report.schemes.len(), 2);
    for s in &report.schemes {
        assert!(s.covered >= 18, "{s:?}");
        assert!(s.median_abs_error <= 0.05, "{s:?}");
        if s.missing == Missing::Sizes {
            assert!(s.median_relative_width <= 0.30, "{s:?}");
        }
    }
}

/// Issue 8: the full sheet's national claims when no event count is known. On a day shaped
/// like a volunteer sheet (600 events, 6% unsized), a claim of twice the true total is
/// above the evidence, the true total is consistent with it, and a third of it is below.
#[test]
fn issue_8_sheet_claims_are_judged_without_an_event_count() {
    for seed in 1..=3 {
        let (truth, observed) = synthetic_events(&SyntheticConfig::shaped(Shape::Sheet, 600, seed));
        assert_eq!(observed.iter().filter(|e| !e.has_size()).count(), 36);
        let total: f64 = truth.iter().filter_map(|e| e.midpoint()).sum();
        let mut config = EstimateConfig::default();
        config.impute.replicates = 200;
        let totals = estimate(&observed, &config);
        let verdict = |claim: String| {
            let check = check_claim(
                &parse_claim(&claim).unwrap(),
                &totals,
                &CheckConfig::default(),
            );
            (check.verdict, claim)
        };
        let round = |x: f64| tally_model::group_thousands((x / 1_000.0).round() as u64 * 1_000);
        let (v, c) = verdict(format!("over {} people took part", round(2.0 * total)));
        assert_eq!(v, Verdict::AboveEvidence, "seed {seed}: {c}");
        let (v, c) = verdict(format!("more than {} people took part", round(total)));
        assert_eq!(v, Verdict::Consistent, "seed {seed}: {c}");
        let (v, c) = verdict(format!("fewer than {} people marched", round(total / 3.0)));
        assert_eq!(v, Verdict::BelowEvidence, "seed {seed}: {c}");
    }
}

/// Issue 8: when the day had several times the events the ledger holds, the story that
/// the missing events are like the known ones may not put more of them in big places
/// than the country has big places without one: the extrapolated high end falls, its
/// low end (small events) stays.
#[test]
fn issue_8_extrapolation_fills_only_places_that_exist() {
    let (truth, _) = synthetic_events(&SyntheticConfig {
        events: 600,
        seed: 4,
        ..Default::default()
    });
    let mut config = EstimateConfig {
        expected_events: Some(2_100),
        ..EstimateConfig::default()
    };
    config.impute.replicates = 200;
    let free = estimate(&truth, &config).extrapolated.unwrap();
    config.places = Some(synthetic_places(&truth, 4).into());
    let bounded = estimate(&truth, &config).extrapolated.unwrap();
    assert_eq!(bounded.events_missing, 1_500);
    assert!(bounded.high < free.high * 9 / 10, "{bounded:?} {free:?}");
    assert!(
        bounded.low.abs_diff(free.low) <= free.low / 100,
        "{bounded:?} {free:?}"
    );
    assert!(bounded.method.contains("places"), "{}", bounded.method);
}

#[test]
fn calibration_needs_sized_events() {
    assert!(calibrate(&day_of_action()[..5], &CalibrationConfig::default()).is_err());
}

#[test]
fn verdicts_above_below_within_and_insufficient() {
    let events = day_of_action();
    let totals = estimate(&events, &EstimateConfig::default());
    let (low, high) = totals.evidence_range().unwrap();
    assert!(low >= 20_000.0 && high >= 60_000.0);
    let verdict = |claim: &str| {
        check_claim(
            &parse_claim(claim).unwrap(),
            &totals,
            &CheckConfig::default(),
        )
        .verdict
    };
    assert_eq!(verdict("over 5 million people"), Verdict::AboveEvidence);
    assert_eq!(
        verdict("fewer than 10,000 people marched"),
        Verdict::BelowEvidence
    );
    assert_eq!(verdict("tens of thousands marched"), Verdict::Consistent);
    assert_eq!(verdict("about 45,000 people"), Verdict::Consistent);
    // Places: 25 localities and 25 events. A claim of more places than the ledger holds
    // says the ledger lacks events, which could only add people and places: it is not
    // refuted unless the user asserts the ledger is complete.
    assert_eq!(
        verdict("45,000 people in over 2,000 places"),
        Verdict::InsufficientEvidence
    );
    let complete = CheckConfig {
        complete: true,
        ..CheckConfig::default()
    };
    let with = |claim: &str, config: &CheckConfig| {
        check_claim(&parse_claim(claim).unwrap(), &totals, config).verdict
    };
    assert_eq!(
        with("45,000 people in over 2,000 places", &complete),
        Verdict::AboveEvidence
    );
    let expecting_more = CheckConfig {
        expected_events: Some(2_000),
        ..CheckConfig::default()
    };
    assert_eq!(
        with("over 5 million people", &expecting_more),
        Verdict::InsufficientEvidence
    );
    assert_eq!(
        with("fewer than 10,000 people marched", &expecting_more),
        Verdict::BelowEvidence
    );
    // One place or one kind of gathering is taken as fully covered.
    assert_eq!(
        with("over 5 million people attended the parade", &expecting_more),
        Verdict::AboveEvidence
    );
    assert_eq!(verdict("45,000 people in 25 places"), Verdict::Consistent);
    assert_eq!(
        verdict("rallies in fewer than 10 places"),
        Verdict::BelowEvidence
    );

    let empty = estimate(&[], &EstimateConfig::default());
    let check = check_claim(
        &parse_claim("5 million").unwrap(),
        &empty,
        &CheckConfig::default(),
    );
    assert_eq!(check.verdict, Verdict::InsufficientEvidence);
    // Too little coverage: one sized event among twenty.
    let mut sparse: Vec<Event> = (0..20)
        .map(|i| event(i, &format!("T{i}"), "OH", None, 5_000, "x"))
        .collect();
    sparse[0].size_low = Some(100);
    sparse[0].size_high = Some(100);
    let t = estimate(&sparse, &EstimateConfig::default());
    let check = check_claim(
        &parse_claim("5 million").unwrap(),
        &t,
        &CheckConfig::default(),
    );
    assert_eq!(check.verdict, Verdict::InsufficientEvidence);
    let json = serde_json::to_value(&check).unwrap();
    assert_eq!(json["verdict"], "insufficient_evidence");
    assert!(json["claim"]["participants"]["low"].is_number());
    assert!(json["evidence"]["events"].is_number());
}

#[test]
fn comparison_ratio_brackets_the_point() {
    let events = day_of_action();
    let a = estimate(&events, &EstimateConfig::default());
    let b = estimate(&events[..10], &EstimateConfig::default());
    let c = compare(a, b);
    let (low, point, high) = (
        c.ratio.low.unwrap(),
        c.ratio.point.unwrap(),
        c.ratio.high.unwrap(),
    );
    assert!(low <= point && point <= high, "{:?}", c.ratio);
    assert!(point > 1.0);
    let none = compare(
        estimate(&events, &EstimateConfig::default()),
        estimate(&[], &EstimateConfig::default()),
    );
    assert_eq!(none.ratio.point, None);
}

proptest! {
    #[test]
    fn claim_parsing_never_panics(text in "\\PC{0,80}") {
        if let Ok(claim) = parse_claim(&text) {
            for range in [&claim.participants, &claim.places, &claim.states].into_iter().flatten() {
                prop_assert!(range.high.map_or(true, |h| range.low <= h), "{:?}", range);
            }
        }
    }

    #[test]
    fn claim_parsing_never_panics_on_number_soup(parts in prop::collection::vec(prop::sample::select(vec![
        "over", "more than", "fewer than", "between", "and", "to", "-", "2", "4.8", "1,000", "250,000", "million",
        "thousand", "k", "tens of", "thousands", "people", "places", "states", "in", "Chicago", ",", "DC", "D.C.",
        "\"", "No", "Kings", "parade", "the", "military", "half", "a", "dozen", "twenty", "five", "hundred", "+",
        "or", "June", "14", "2025", "%", "250th",
    ]), 0..14)) {
        let text = parts.join(" ");
        if let Ok(claim) = parse_claim(&text) {
            for range in [&claim.participants, &claim.places, &claim.states].into_iter().flatten() {
                prop_assert!(range.high.map_or(true, |h| range.low <= h), "{text:?}: {range:?}");
            }
        }
    }

    #[test]
    fn polygon_parsing_never_panics(text in "[-0-9.,; ]{0,60}") {
        if let Ok(points) = tally_estimate::parse_polygon(&text) {
            prop_assert!(points.len() >= 3);
            prop_assert!(tally_estimate::polygon_area_m2(&points) >= 0.0);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]
    #[test]
    fn intervals_are_ordered(sizes in prop::collection::vec(prop::option::of((1u64..100_000, 0u64..10_000)), 0..40), pops in prop::collection::vec(1u64..5_000_000, 40)) {
        let events: Vec<Event> = sizes.iter().enumerate().map(|(i, s)| {
            event(i, &format!("P{i}"), if i % 2 == 0 { "CA" } else { "NY" }, s.map(|(l, w)| (l, l + w)), pops[i], if i % 3 == 0 { "a" } else { "b" })
        }).collect();
        let mut config = EstimateConfig::default();
        config.impute.replicates = 50;
        let t = estimate(&events, &config);
        prop_assert!(t.known_low <= t.known_high);
        if let Some(i) = &t.imputed {
            prop_assert!(i.low <= i.point && i.point <= i.high, "{:?}", i);
            prop_assert!(i.low as f64 >= t.known_midpoint.floor() - 1.0);
        }
        if let Some((low, high)) = t.evidence_range() {
            prop_assert!(low <= high);
        }
    }
}

/// Issue 8: compare's ratio interval needs both totals from one resampling. An event in
/// two selections adds the same amount to both in every replicate, so the union of two
/// disjoint selections is, replicate by replicate, their sum.
#[test]
fn issue_8_joint_replicates_add_up_replicate_by_replicate() {
    let (_, observed) = synthetic_events(&SyntheticConfig {
        events: 300,
        seed: 5,
        ..Default::default()
    });
    let refs: Vec<&Event> = observed.iter().collect();
    // Selection 0: even events; 1: odd events; 2: all of them.
    let membership: Vec<u64> = (0..refs.len())
        .map(|i| if i % 2 == 0 { 0b101 } else { 0b110 })
        .collect();
    let mut config = EstimateConfig::default();
    config.impute.replicates = 60;
    let joint = joint_replicate_totals(&refs, &membership, 3, &config).unwrap();
    assert_eq!(joint.totals.len(), 3);
    for r in 0..60 {
        let (a, b, all) = (joint.totals[0][r], joint.totals[1][r], joint.totals[2][r]);
        assert!(
            (a + b - all).abs() <= 1e-6 * all,
            "replicate {r}: {a} + {b} != {all}"
        );
    }
    assert!((joint.points[0] + joint.points[1] - joint.points[2]).abs() <= 1e-6 * joint.points[2]);
    // The replicates vary (they are a resampling), and the seed fixes them.
    assert!(joint.totals[2].iter().any(|&t| t != joint.totals[2][0]));
    assert_eq!(
        joint,
        joint_replicate_totals(&refs, &membership, 3, &config).unwrap()
    );
    let one = replicate_totals(&refs, &config).unwrap();
    assert_eq!(one.len(), 60);
    assert_eq!(one, replicate_totals(&refs, &config).unwrap());
    // Every event sized: each replicate is the known total.
    let sized: Vec<&Event> = refs.iter().copied().filter(|e| e.has_size()).collect();
    let known: f64 = sized.iter().filter_map(|e| e.midpoint()).sum();
    assert!(replicate_totals(&sized, &config)
        .unwrap()
        .iter()
        .all(|&t| t == known));
}
