//! Relinking only what new reports can reach (issue 12): the *locators* under which a
//! store files each report, the locators to ask for the reports that may share a block
//! with a new one, and the closure that reads, round by round, until every block the
//! new reports touch is whole.
//!
//! A locator is an opaque number made of a day and a place: the report's own day with
//! its place text, with its resolved locality, and with the coarse tile of its
//! coordinates. The blocking keys of [`crate::linker`] are finer (they also say "the day
//! before", and cells three kilometres wide); the locators asked for cover every report
//! that can share a blocking key, so what comes back is a superset that the blocking keys
//! then sort out exactly. Locators do not depend on the [`LinkConfig`]: they are stored
//! once, when a report is received.
//!
//! What is deliberately absent: any I/O. The caller reads the ledger through
//! [`ReportLookup`].

use crate::linker::{blocking_keys, is_linkable, resolved_place_key, source_place_key};
use crate::normalize::{self, fnv1a};
use crate::{Decision, DecisionPlan, LinkConfig, LinkUpdate, Linker};
use std::collections::HashSet;
use tally_model::{Date, Report, ReportId};

/// The width and height, in degrees, of the tiles coordinates are filed under: a few
/// linking cells wide, so that a report's neighbourhood spans one to four tiles.
const TILE_DEGREES: f64 = 0.2;

/// Reads the reports of a ledger that linking asks for. Both methods may return reports
/// the caller already has, or more than were asked for; they must not miss any.
pub trait ReportLookup {
    type Error;
    /// Every report filed under any of `locators` (see [`report_locators`]).
    fn reports_at(&mut self, locators: &[i64]) -> Result<Vec<Report>, Self::Error>;
    /// The reports with these ids.
    fn reports_by_id(&mut self, ids: &[ReportId]) -> Result<Vec<Report>, Self::Error>;
}

/// The locators a store files `report` under: its own day with its place text, its
/// resolved locality and the tile of its coordinates. A claim (aggregate estimates
/// only) is never linked and has none.
pub fn report_locators(report: &Report) -> Vec<i64> {
    if report.is_aggregate_only() {
        return Vec::new();
    }
    let day = day_text(report.date);
    let mut locators = vec![name_locator(&day, &source_place_key(&report.place))];
    if let Some(resolved) = resolved_place_key(&report.place) {
        locators.push(name_locator(&day, &resolved));
    }
    if let Some((lat, lon)) = normalize::point(&report.place) {
        locators.push(tile_locator(&day, tile(lat), tile(lon)));
    }
    locators.sort_unstable();
    locators.dedup();
    locators
}

/// The locators under which every report that can share a blocking key with `report`
/// is filed: its two place keys and the tiles within reach of its cell neighbourhood, on
/// the days from `late_report_days` after its own (a later report that is not a curated
/// row meets this one's day) back to as many before when it is not a curated row itself
/// (it meets the days before its own).
fn neighbour_locators(report: &Report, config: &LinkConfig) -> Vec<i64> {
    let days: Vec<String> = match report.date {
        None => vec![String::new()],
        Some(date) => {
            let late = i64::from(config.late_report_days);
            let earliest = if report.batch.is_none() { -late } else { 0 };
            (earliest..=late)
                .filter_map(|offset| shift(date, offset))
                .map(|d| day_text(Some(d)))
                .collect()
        }
    };
    let place = source_place_key(&report.place);
    let resolved = resolved_place_key(&report.place);
    // Two cells share a blocking key when their indices differ by at most two, so the
    // points are less than three cells apart.
    let reach = 3.0 * (config.nearby_km / 111.0).max(1e-4);
    let tiles: Vec<(i64, i64)> = match normalize::point(&report.place) {
        None => Vec::new(),
        Some((lat, lon)) => {
            let mut tiles = Vec::new();
            for y in tile(lat - reach)..=tile(lat + reach) {
                for x in tile(lon - reach)..=tile(lon + reach) {
                    tiles.push((y, x));
                }
            }
            tiles
        }
    };
    let mut locators = Vec::with_capacity(days.len() * (2 + tiles.len()));
    for day in &days {
        locators.push(name_locator(day, &place));
        if let Some(resolved) = &resolved {
            locators.push(name_locator(day, resolved));
        }
        for &(y, x) in &tiles {
            locators.push(tile_locator(day, y, x));
        }
    }
    locators.sort_unstable();
    locators.dedup();
    locators
}

fn shift(date: Date, days: i64) -> Option<Date> {
    if days >= 0 {
        date.checked_add_days(chrono::Days::new(days as u64))
    } else {
        date.checked_sub_days(chrono::Days::new(days.unsigned_abs()))
    }
}

fn day_text(date: Option<Date>) -> String {
    date.map(|d| d.to_string()).unwrap_or_default()
}

fn tile(degrees: f64) -> i64 {
    (degrees / TILE_DEGREES).floor() as i64
}

/// Place text and resolved locality share one namespace, so that a report whose two
/// keys read the same is filed once.
fn name_locator(day: &str, place: &str) -> i64 {
    fnv1a(&[b"name", day.as_bytes(), place.as_bytes()]) as i64
}

fn tile_locator(day: &str, y: i64, x: i64) -> i64 {
    fnv1a(&[b"tile", day.as_bytes(), &y.to_le_bytes(), &x.to_le_bytes()]) as i64
}

/// Links `new_reports` into a ledger whose stored events are current, reading only the
/// blocks they touch: the events that change, as an update to apply to the stored ones.
///
/// The answer is the same as relinking every report (the property tests of this crate
/// hold it to that): a block is a connected group of reports that share blocking keys,
/// and the lookup is asked, round by round, for the neighbours of every report found to
/// be in a block with a new one, until no new neighbour turns up. Chains across days,
/// places and reviewer merges are followed to their end.
pub fn link_new_reports<L: ReportLookup>(
    lookup: &mut L,
    new_reports: Vec<Report>,
    decisions: Vec<Decision>,
    config: &LinkConfig,
) -> Result<LinkUpdate, L::Error> {
    let plan = DecisionPlan::new(&decisions);
    // Positions in `index`: the new linkable reports first, then the ledger's reports in
    // the order they were found. A block's root is its smallest position, so a block
    // holds a new report exactly when its root is below `fresh`.
    let mut index = crate::linker::BlockIndex::default();
    let mut seen: HashSet<ReportId> = new_reports.iter().filter_map(|r| r.id).collect();
    let new_linkable: Vec<&Report> = new_reports
        .iter()
        .filter(|r| is_linkable(r, &plan))
        .collect();
    let fresh = new_linkable.len() as u32;
    for (position, report) in new_linkable.iter().enumerate() {
        index.insert(position as u32, &blocking_keys(report, &plan, config));
    }

    let mut found: Vec<Report> = Vec::new();
    let mut asked_locators: HashSet<i64> = HashSet::new();
    let mut asked_merges: HashSet<ReportId> = HashSet::new();
    // Found reports not yet known to share a block with a new one.
    let mut waiting: Vec<u32> = Vec::new();
    let mut to_expand: Vec<u32> = (0..fresh).collect();
    while !to_expand.is_empty() {
        let mut locators = Vec::new();
        let mut ids = Vec::new();
        for &position in &to_expand {
            let report = if position < fresh {
                new_linkable[position as usize]
            } else {
                &found[(position - fresh) as usize]
            };
            for locator in neighbour_locators(report, config) {
                if asked_locators.insert(locator) {
                    locators.push(locator);
                }
            }
            if let Some(root) = report.id.and_then(|id| plan.merge_root(id)) {
                if asked_merges.insert(root) {
                    ids.extend(plan.merged_with(root).filter(|id| !seen.contains(id)));
                }
            }
        }
        let mut fetched = if locators.is_empty() {
            Vec::new()
        } else {
            lookup.reports_at(&locators)?
        };
        if !ids.is_empty() {
            fetched.extend(lookup.reports_by_id(&ids)?);
        }
        for report in fetched {
            let Some(id) = report.id else { continue };
            if !seen.insert(id) || !is_linkable(&report, &plan) {
                continue;
            }
            let position = fresh + found.len() as u32;
            index.insert(position, &blocking_keys(&report, &plan, config));
            found.push(report);
            waiting.push(position);
        }
        let (joined, apart): (Vec<u32>, Vec<u32>) = waiting
            .iter()
            .partition(|&&position| index.find(position) < fresh);
        to_expand = joined;
        waiting = apart;
    }

    // The ledger's reports in the touched blocks: whole blocks, since every one of them
    // had its neighbours read.
    let touched: Vec<Report> = found
        .into_iter()
        .enumerate()
        .filter(|(offset, _)| index.find(fresh + *offset as u32) < fresh)
        .map(|(_, report)| report)
        .collect();
    let mut linker = Linker::with_reports(config.clone(), decisions, touched);
    Ok(linker.add_reports(new_reports))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tally_model::{Confidence, Place, ResolvedPlace, SourceId};

    fn report_at(lat: f64, lon: f64, date: &str) -> Report {
        let mut r = Report::new(
            SourceId("s".into()),
            Place::from_parts(Some("Somewhere"), Some("KS".parse().unwrap())),
            "2025-06-20T00:00:00Z".parse().unwrap(),
        );
        r.date = Some(date.parse().unwrap());
        r.place.resolved = Some(ResolvedPlace {
            locality: Some("Somewhere".into()),
            county: None,
            fips: None,
            state: "KS".parse().unwrap(),
            lat: Some(lat),
            lon: Some(lon),
            population: None,
            confidence: Confidence::Exact,
        });
        r
    }

    #[test]
    fn neighbours_are_asked_for_under_their_own_locators() {
        // Points just under three cells apart, across a tile edge, a day apart.
        let config = LinkConfig::default();
        let size = config.nearby_km / 111.0;
        let a = report_at(39.9999, -94.0, "2025-06-14");
        let b = report_at(39.9999 + 2.9 * size, -94.0 - 2.9 * size, "2025-06-15");
        let asked = neighbour_locators(&a, &config);
        let (lat, lon) = normalize::point(&b.place).unwrap();
        assert_ne!(tile(lat), tile(39.9999), "the test crosses a tile edge");
        let tile_of_b = tile_locator("2025-06-15", tile(lat), tile(lon));
        assert!(report_locators(&b).contains(&tile_of_b));
        assert!(asked.contains(&tile_of_b));
        // Three days apart is out of reach.
        let c = report_at(39.9999, -94.0, "2025-06-17");
        assert!(report_locators(&c).iter().all(|l| !asked.contains(l)));
    }
}
