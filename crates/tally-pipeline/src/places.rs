//! Resolving a report's place against the embedded gazetteer.

use tally_model::{Report, ResolvedPlace};
use tally_places::Gazetteer;

/// Fills `report.place.resolved` from the gazetteer.
///
/// A curator's own geocoding (dataset rows with lat/lon) is kept: the gazetteer only
/// adds what it lacks (population, county) and only when it agrees on the state. Online
/// events are flagged and get no coordinates. Returns false when the place stays
/// unresolved; the report is kept either way.
pub fn resolve_report_place(gazetteer: &Gazetteer, report: &mut Report) -> bool {
    let place = &mut report.place;
    let resolution = if place.locality.is_some() || place.state.is_some() {
        gazetteer.resolve_parts(place.locality.as_deref(), place.state.map(|s| s.as_str()))
    } else {
        gazetteer.resolve(&place.raw)
    };
    if resolution.online {
        place.online = true;
    }
    if place.online {
        return place.resolved.is_some() || resolution.place.is_some();
    }
    match (&mut place.resolved, resolution.place) {
        (Some(curated), Some(found)) => {
            fill_missing(curated, found);
            true
        }
        (Some(_), None) => true,
        (None, Some(found)) => {
            place.resolved = Some(found);
            true
        }
        (None, None) => false,
    }
}

/// Adds the gazetteer's population, county and FIPS to a curator's resolution when
/// both agree on the state.
fn fill_missing(curated: &mut ResolvedPlace, found: ResolvedPlace) {
    if curated.state != found.state {
        return;
    }
    if curated.population.is_none() {
        curated.population = found.population;
    }
    if curated.county.is_none() {
        curated.county = found.county;
    }
    if curated.fips.is_none() {
        curated.fips = found.fips;
    }
    if curated.locality.is_none() {
        curated.locality = found.locality;
    }
    if curated.lat.is_none() || curated.lon.is_none() {
        curated.lat = found.lat;
        curated.lon = found.lon;
    }
}
