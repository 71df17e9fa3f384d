//! Resolving a report's place against the embedded gazetteer.

use tally_model::{Confidence, Report, ResolvedPlace, StateCode};
use tally_places::{Gazetteer, Hints, Resolution};

/// Starts parsing the embedded gazetteer on a thread of its own, once per process, so
/// that it is ready when the first rows are resolved (issue 12: it took about 0.05 s at
/// the start of every ingest, on one core, with every row waiting for it). Whoever asks
/// for it before it is ready waits for that parse rather than starting another.
pub fn load_gazetteer_ahead() {
    static STARTED: std::sync::Once = std::sync::Once::new();
    STARTED.call_once(|| {
        std::thread::spawn(|| {
            Gazetteer::embedded();
        });
    });
}

/// Resolves places with a memory of the strings it has seen: a file names the same
/// cities over and over, and a resolution depends only on the text.
pub struct PlaceResolver<'g> {
    gazetteer: &'g Gazetteer,
    /// What was seen, by a hash of its (raw, locality, state): a place seen before is
    /// found without copying its texts into a key (issue 12: the copies were half of
    /// the resolution's time in a large ingest); places that share a hash are told
    /// apart by their texts. Fx hashing: the texts are a file's, and a hash that
    /// many places share costs only a longer scan.
    seen: rustc_hash::FxHashMap<u64, Vec<Seen>>,
}

/// A place's texts as seen, and their resolution.
struct Seen {
    raw: String,
    locality: Option<String>,
    state: Option<StateCode>,
    resolution: Resolution,
}

impl<'g> PlaceResolver<'g> {
    pub fn new(gazetteer: &'g Gazetteer) -> PlaceResolver<'g> {
        PlaceResolver {
            gazetteer,
            seen: rustc_hash::FxHashMap::default(),
        }
    }

    /// Fills `report.place.resolved`; see [`resolve_report_place`].
    pub fn resolve(&mut self, report: &mut Report) -> bool {
        use std::hash::BuildHasher;
        let place = &report.place;
        let hash = rustc_hash::FxBuildHasher.hash_one((
            place.raw.as_str(),
            place.locality.as_deref(),
            place.state,
        ));
        let gazetteer = self.gazetteer;
        let seen = self.seen.entry(hash).or_default();
        let index = match seen.iter().position(|seen| {
            seen.raw == place.raw && seen.locality == place.locality && seen.state == place.state
        }) {
            Some(index) => index,
            None => {
                seen.push(Seen {
                    raw: place.raw.clone(),
                    locality: place.locality.clone(),
                    state: place.state,
                    resolution: lookup(gazetteer, report),
                });
                seen.len() - 1
            }
        };
        // The remembered resolution is lent, not cloned: a curated row keeps its own
        // texts and takes at most a few of the gazetteer's (issue 12: the clone of
        // each row's resolution, texts and all, was two to four allocations a row).
        let remembered = &seen[index].resolution;
        match asked_again(gazetteer, report, remembered) {
            Some(resolution) => apply(report, &resolution),
            None => apply(report, remembered),
        }
    }
}

/// Fills `report.place.resolved` from the gazetteer.
///
/// A curator's own geocoding (dataset rows with lat/lon) is kept: the gazetteer only
/// adds what it lacks (population, county) and only when it agrees on the state. Online
/// events are flagged and get no coordinates. Returns false when the place stays
/// unresolved; the report is kept either way.
pub fn resolve_report_place(gazetteer: &Gazetteer, report: &mut Report) -> bool {
    let resolution = lookup(gazetteer, report);
    match asked_again(gazetteer, report, &resolution) {
        Some(again) => apply(report, &again),
        None => apply(report, &resolution),
    }
}

/// Resolves an article's locality named without a state ("in nearby Evanston") within
/// the state the article is about, when the gazetteer knows the locality there. A
/// locality the hinted state does not hold ("in Boston" in a Chicago story) is left for
/// the ordinary resolution. Returns true when the hint settled the place.
pub fn resolve_within_hinted_state(
    gazetteer: &Gazetteer,
    report: &mut Report,
    hint: StateCode,
) -> bool {
    let place = &report.place;
    if place.state.is_some() || place.online || place.resolved.is_some() {
        return false;
    }
    let Some(locality) = place.locality.as_deref() else {
        return false;
    };
    let resolution = gazetteer.resolve_parts(Some(locality), Some(hint.as_str()));
    // The hinted state must hold a place of that name: "Norristown" under a
    // WASHINGTON dateline is no part of the District (an answer with the enclosing
    // place, `area_of`, would file a Pennsylvania town's figure as Washington's).
    // An alias must be the locality's own, not the state's answer for any name in it
    // (the District answers every locality with Washington).
    let named = |c: Confidence| match c {
        Confidence::Exact | Confidence::Fuzzy | Confidence::TownshipOf => true,
        Confidence::Alias => gazetteer
            .resolve_parts(Some(locality), None)
            .place
            .is_some_and(|p| p.state == hint),
        _ => false,
    };
    match resolution.place {
        Some(found)
            if found.locality.is_some() && found.state == hint && named(found.confidence) =>
        {
            report.place.resolved = Some(found);
            true
        }
        _ => false,
    }
}

/// Separate locality and state columns are resolved as parts; a place written as one
/// string ("Honolulu (Oahu) HI") as text, held to the state column when there is one.
fn lookup(gazetteer: &Gazetteer, report: &Report) -> Resolution {
    let place = &report.place;
    let state = place.state.map(|s| s.as_str());
    if place.locality.is_some() {
        return gazetteer.resolve_parts(place.locality.as_deref(), state);
    }
    let raw = place.raw.trim();
    if raw.is_empty() || state.is_some_and(|s| raw.eq_ignore_ascii_case(s)) {
        return gazetteer.resolve_parts(None, state);
    }
    let resolution = gazetteer.resolve(raw);
    match (place.state, &resolution.place) {
        // The text named another state than the state column: ask again within the
        // column's state, which never answers with a place elsewhere.
        (Some(given), Some(found)) if found.state != given => {
            gazetteer.resolve_parts(Some(raw), state)
        }
        (Some(_), None) if !resolution.online => gazetteer.resolve_parts(Some(raw), state),
        _ => resolution,
    }
}

/// A name shared by several towns of the state, or one not found, is asked again with
/// the curator's coordinates (dataset rows with lat/lon): they pick the namesake, or
/// give the county and nearest place. Other names keep their memoised answer (`None`).
fn asked_again(
    gazetteer: &Gazetteer,
    report: &Report,
    resolution: &Resolution,
) -> Option<Resolution> {
    let point = curated_point(report)?;
    let vague = resolution.ambiguous
        || resolution
            .place
            .as_ref()
            .map_or(!resolution.online, |p| p.locality.is_none());
    if !vague {
        return None;
    }
    let place = &report.place;
    let hints = Hints {
        point: Some(point),
        ..Hints::default()
    };
    let text = place.locality.as_deref().unwrap_or(place.raw.as_str());
    Some(gazetteer.resolve_with(Some(text), place.state.map(|s| s.as_str()), &hints))
}

/// The coordinates a curator gave with the report (dataset rows with lat/lon).
fn curated_point(report: &Report) -> Option<(f64, f64)> {
    let resolved = report.place.resolved.as_ref()?;
    Some((resolved.lat?, resolved.lon?))
}

fn apply(report: &mut Report, resolution: &Resolution) -> bool {
    let place = &mut report.place;
    if resolution.online {
        place.online = true;
    }
    if place.online {
        return place.resolved.is_some() || resolution.place.is_some();
    }
    match (&mut place.resolved, &resolution.place) {
        (Some(curated), Some(found)) => {
            fill_missing(curated, found);
            true
        }
        (Some(_), None) => true,
        (None, Some(found)) => {
            place.resolved = Some(found.clone());
            true
        }
        (None, None) => false,
    }
}

/// Adds the gazetteer's population, county and FIPS to a curator's resolution when
/// both agree on the state; only what is taken is copied.
fn fill_missing(curated: &mut ResolvedPlace, found: &ResolvedPlace) {
    if curated.state != found.state {
        return;
    }
    if curated.population.is_none() {
        curated.population = found.population;
    }
    if curated.county.is_none() {
        curated.county.clone_from(&found.county);
    }
    if curated.fips.is_none() {
        curated.fips.clone_from(&found.fips);
    }
    if curated.locality.is_none() {
        curated.locality.clone_from(&found.locality);
    }
    if curated.lat.is_none() || curated.lon.is_none() {
        curated.lat = found.lat;
        curated.lon = found.lon;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tally_model::{Confidence, Place, SourceId};

    fn article_report(locality: &str) -> Report {
        Report::new(
            SourceId("article".into()),
            Place::from_parts(Some(locality), None),
            "2025-06-15T00:00:00Z".parse().unwrap(),
        )
    }

    fn report(locality: &str, state: &str, point: Option<(f64, f64)>) -> Report {
        let mut place = Place::from_parts(Some(locality), state.parse().ok());
        if let Some((lat, lon)) = point {
            place.resolved = Some(ResolvedPlace {
                locality: None,
                county: None,
                fips: None,
                state: state.parse().unwrap(),
                lat: Some(lat),
                lon: Some(lon),
                population: None,
                confidence: Confidence::Exact,
            });
        }
        Report::new(
            SourceId("s".into()),
            place,
            "2025-06-14T00:00:00Z".parse().unwrap(),
        )
    }

    /// Issue 12: a resolver that remembers what it has seen resolves each place as a
    /// fresh resolution does, for a place seen again and for places that differ only
    /// in their state, their locality or their raw text.
    #[test]
    fn issue_12_a_remembered_place_resolves_as_a_fresh_one() {
        let gazetteer = Gazetteer::embedded();
        let mut resolver = PlaceResolver::new(gazetteer);
        let mut places = vec![
            report("Troy", "PA", None),
            report("Troy", "NY", None),
            report("Troy", "PA", None),
            report("Austin", "TX", None),
            report("Troy", "", None),
            report("Zzyzxville", "NV", None),
            report("Troy", "NY", None),
            report("Zzyzxville", "NV", None),
        ];
        let mut raw_only = report("Troy", "NY", None);
        raw_only.place.raw = "Troy NY".into();
        places.push(raw_only);
        for mut remembered in places {
            let mut fresh = remembered.clone();
            let resolved_fresh = resolve_report_place(gazetteer, &mut fresh);
            assert_eq!(resolver.resolve(&mut remembered), resolved_fresh);
            assert_eq!(remembered.place, fresh.place, "{:?}", fresh.place.raw);
        }
        let seen: usize = resolver.seen.values().map(Vec::len).sum();
        assert_eq!(seen, 6, "each distinct place is kept once");
    }

    #[test]
    fn issue_9_a_locality_named_without_a_state_resolves_within_the_articles_state() {
        let gazetteer = Gazetteer::embedded();
        let illinois: StateCode = "IL".parse().unwrap();
        let mut evanston = article_report("Evanston");
        assert!(resolve_within_hinted_state(
            gazetteer,
            &mut evanston,
            illinois
        ));
        let resolved = evanston.place.resolved.as_ref().unwrap();
        assert_eq!(resolved.state, illinois);
        assert_eq!(resolved.locality.as_deref(), Some("Evanston"));
        // A city the hinted state does not hold is left to the ordinary resolution.
        let mut boston = article_report("Boston");
        assert!(!resolve_within_hinted_state(
            gazetteer,
            &mut boston,
            illinois
        ));
        assert!(boston.place.resolved.is_none());
        let mut resolver = PlaceResolver::new(gazetteer);
        assert!(resolver.resolve(&mut boston));
        assert_eq!(
            boston.place.resolved.unwrap().state,
            "MA".parse::<StateCode>().unwrap()
        );
    }

    /// Under a WASHINGTON dateline, a town named without its state is no part of the
    /// District: the gazetteer answers any locality in DC with Washington (an alias),
    /// which filed a Pennsylvania town's figure as Washington's.
    #[test]
    fn issue_9_a_town_under_a_washington_dateline_is_not_filed_as_washington() {
        let gazetteer = Gazetteer::embedded();
        let dc: StateCode = "DC".parse().unwrap();
        let mut norristown = article_report("Norristown");
        assert!(!resolve_within_hinted_state(gazetteer, &mut norristown, dc));
        assert!(norristown.place.resolved.is_none());
        // Washington itself still resolves within the District.
        let mut washington = article_report("Washington");
        assert!(resolve_within_hinted_state(gazetteer, &mut washington, dc));
        assert_eq!(washington.place.resolved.unwrap().state, dc);
    }

    #[test]
    fn issue_14_a_curators_point_picks_among_namesakes_and_gives_the_county() {
        let gaz = Gazetteer::embedded();
        let mut resolver = PlaceResolver::new(gaz);
        // Two Troys in Pennsylvania: the point near Towanda is Bradford County's.
        let mut near_towanda = report("Troy", "PA", Some((41.78, -76.79)));
        assert!(resolver.resolve(&mut near_towanda));
        let place = near_towanda.place.resolved.unwrap();
        assert_eq!(place.fips.unwrap().as_str(), "42015");
        // The curator's coordinates stay.
        assert_eq!((place.lat, place.lon), (Some(41.78), Some(-76.79)));
        // The same name without a point keeps the most populous namesake.
        let mut plain = report("Troy", "PA", None);
        assert!(resolver.resolve(&mut plain));
        assert_eq!(
            plain.place.resolved.unwrap().fips.unwrap().as_str(),
            "42033"
        );
        // A name the gazetteer lacks takes its county from the point.
        let mut unknown = report("Wawayanda", "NY", Some((41.38, -74.47)));
        assert!(resolver.resolve(&mut unknown));
        assert_eq!(
            unknown.place.resolved.unwrap().fips.unwrap().as_str(),
            "36071"
        );
    }
}
