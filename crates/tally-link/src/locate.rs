//! Relinking only what new reports can reach (issue 12): the *locators* under which a
//! store files each report, the locators to ask for the reports that may share a block
//! with a new one, and the closure that reads, round by round, until every block the
//! new reports touch is whole.
//!
//! A locator is an opaque number made of a day and a place: for each day a report can
//! meet others on (its own, and for a report that is not a curated row the days before,
//! see [`LinkConfig::late_report_days`]), its place text, its resolved locality, and the
//! *area* of its coordinates (two by two linking cells). The blocking keys of
//! [`crate::linker`] are finer; the locators asked for cover every report that can share a
//! blocking key (the same day and place text or locality, or cells at most two apart,
//! which lie in neighbouring areas), so what comes back is a small superset that the
//! blocking keys then sort out exactly. Reports are filed and asked for with the same
//! [`LinkConfig`].
//!
//! A store that keeps what linking reads of each report by place and day (issue 12:
//! SQLite's link rows) is read by place and day instead ([`ReportLookup::places`]): the
//! places whose keys a locator would name are found from the ledger's places, and each
//! is read over the days a locator covers, so what comes back is again a superset. The
//! reports read that way hold only what linking compares and what an event is built
//! from (their organizers and the estimates' coding too, issue 12): the events that
//! change are built from them, and no report is read whole.
//!
//! What is deliberately absent: any I/O. The caller reads the ledger through
//! [`ReportLookup`].

use crate::block::{each_its_own_event, link_block, own_event_ids, possible_event_ids};
use crate::linker::{
    blocking_keys, diff, is_linkable, resolved_place_key, source_place_key, BlockIndex,
};
use crate::normalize::{self, fnv1a};
use crate::{Decision, DecisionPlan, LinkConfig, LinkUpdate};
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::{BTreeMap, HashSet};
use tally_model::{Date, Event, EventId, Place, Report, ReportId};

/// Reads the reports of a ledger that linking asks for. The methods may return reports
/// the caller already has, or more than were asked for; they must not miss any.
pub trait ReportLookup {
    type Error;
    /// The ids of every report filed under any of `locators` (see [`report_locators`]);
    /// the linker then reads only the reports it has not read yet.
    fn report_ids_at(&mut self, locators: &[i64]) -> Result<Vec<ReportId>, Self::Error>;
    /// The reports with these ids.
    fn reports_by_id(&mut self, ids: &[ReportId]) -> Result<Vec<Report>, Self::Error>;
    /// The stored events with these ids; ids with no event are skipped.
    fn events_by_id(&mut self, ids: &[EventId]) -> Result<Vec<Event>, Self::Error>;
    /// Blocks of at least this many reports take their events as stored (read by
    /// [`ReportLookup::events_by_id`]) rather than linked again to see what an ingest
    /// changed; smaller ones are linked again, which costs less than reading their events
    /// from a large ledger.
    fn stored_events_from(&self) -> usize {
        STORED_EVENTS_FROM
    }
    /// The ledger's places by number, when the store can read its reports by place and
    /// day ([`ReportLookup::linking_reports_at`]); `None`, the default, reads reports
    /// whole by locator.
    fn places(&mut self) -> Result<Option<Vec<(i64, Place)>>, Self::Error> {
        Ok(None)
    }
    /// Every stored report of one of these places and days (see [`PlaceDays`]; more may
    /// come back), holding at least what linking reads of it and what an event is built
    /// from: its id, source, date, place, batch, title, headline, type, location detail,
    /// organizers, and each estimate's low, high, scope and whether it was coded by rule
    /// (every field of its content key and every field an event takes from it; issue 12: the
    /// events that change are built from these, with no report read whole). Only asked
    /// when [`ReportLookup::places`] gave places.
    fn linking_reports_at(&mut self, spans: &[PlaceDays]) -> Result<Vec<Report>, Self::Error> {
        let _ = spans;
        Ok(Vec::new())
    }
}

/// Days at one place, as [`ReportLookup::linking_reports_at`] is asked for them: the
/// place's number and a first and last day, or `None` for the reports without a date.
/// What is asked for is every report filed under the first day (see
/// [`report_locators`]): the place's reports of that day, and those that are not curated
/// rows (no batch) of the days after it up to the last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PlaceDays {
    pub place: i64,
    pub days: Option<(Date, Date)>,
}

/// The ledger's places by what locators name of them (see [`ReportLookup::places`]):
/// their place text and resolved locality (one namespace, as in [`name_locator`]) and
/// the area of their point.
struct PlaceIndex {
    by_name: FxHashMap<String, Vec<i64>>,
    by_area: FxHashMap<(i64, i64), Vec<i64>>,
}

impl PlaceIndex {
    fn new(places: &[(i64, Place)], config: &LinkConfig) -> PlaceIndex {
        let mut index = PlaceIndex {
            by_name: FxHashMap::default(),
            by_area: FxHashMap::default(),
        };
        for (id, place) in places {
            let mut names = vec![source_place_key(place)];
            names.extend(resolved_place_key(place));
            names.dedup();
            for name in names {
                index.by_name.entry(name).or_default().push(*id);
            }
            if let Some(area) = area_of(place, config) {
                index.by_area.entry(area).or_default().push(*id);
            }
        }
        index
    }

    /// The places of every report that [`neighbour_locators`] of a report at `at` can
    /// find (and maybe more), each once.
    fn places_near(&self, at: &Whereabouts) -> Vec<i64> {
        let mut places: Vec<i64> = Vec::new();
        for name in std::iter::once(&at.place).chain(&at.resolved) {
            places.extend(self.by_name.get(name).into_iter().flatten());
        }
        if let Some((y, x)) = at.area {
            for dy in -1..=1 {
                for dx in -1..=1 {
                    places.extend(self.by_area.get(&(y + dy, x + dx)).into_iter().flatten());
                }
            }
        }
        places.sort_unstable();
        places.dedup();
        places
    }
}

impl PlaceIndex {
    /// Gives `span` each place and days that [`reach`] asks for around `report`: the
    /// places near it ([`PlaceIndex::places_near`]) over each of its day spans.
    fn spans_around(&self, report: &Report, config: &LinkConfig, mut span: impl FnMut(PlaceDays)) {
        let near = self.places_near(&Whereabouts::of(report, config));
        for days in Whereabouts::day_spans(report, config) {
            for &place in &near {
                span(PlaceDays { place, days });
            }
        }
    }
}

/// The places and days that [`link_new_reports`] asks first (its first round, through
/// [`ReportLookup::linking_reports_at`]) for new reports, known before the reports are
/// stored (issue 12: a small ingest reads them on a connection of its own while the
/// single writer stores the file). Made from the ledger's places as
/// [`ReportLookup::places`] gives them; a report asks for the same spans whatever its id,
/// so spans found for reports not stored yet are the ones the relink asks for them
/// (the new reports' own new places aside, which nothing stored before is at).
pub struct FirstSpans {
    places: PlaceIndex,
    config: LinkConfig,
}

impl FirstSpans {
    pub fn new(places: &[(i64, Place)], config: &LinkConfig) -> FirstSpans {
        FirstSpans {
            places: PlaceIndex::new(places, config),
            config: config.clone(),
        }
    }

    /// Gives `span` each place and days asked for `report` in the first round (some
    /// more than once; a claim, never linked, asks for none).
    pub fn spans_of(&self, report: &Report, span: impl FnMut(PlaceDays)) {
        if !report.is_aggregate_only() {
            self.places.spans_around(report, &self.config, span);
        }
    }
}

/// The area of a place's point: the linker's cells (see `blocking_keys`), two by two.
fn area_of(place: &Place, config: &LinkConfig) -> Option<(i64, i64)> {
    let size = (config.nearby_km / 111.0).max(1e-4);
    normalize::point(place).map(|(lat, lon)| {
        let cell = |degrees: f64| (degrees / size).floor() as i64;
        (cell(lat).div_euclid(2), cell(lon).div_euclid(2))
    })
}

/// See [`ReportLookup::stored_events_from`]: a block of a thousand reports links in a few
/// milliseconds, about what reading its events by id costs.
const STORED_EVENTS_FROM: usize = 1000;

/// Where a report is: the days it can meet others on, its two place keys, and the area
/// of its linking cell.
struct Whereabouts {
    days: Vec<String>,
    place: String,
    resolved: Option<String>,
    area: Option<(i64, i64)>,
}

impl Whereabouts {
    fn of(report: &Report, config: &LinkConfig) -> Whereabouts {
        let mut days = vec![day_text(report.date)];
        if report.batch.is_none() {
            if let Some(date) = report.date {
                for late in 1..=config.late_report_days {
                    if let Some(day) = date.checked_sub_days(chrono::Days::new(u64::from(late))) {
                        days.push(day_text(Some(day)));
                    }
                }
            }
        }
        Whereabouts {
            days,
            place: source_place_key(&report.place),
            resolved: resolved_place_key(&report.place),
            area: area_of(&report.place, config),
        }
    }

    /// The days a report on one of [`Whereabouts::days`] can be filed under that day
    /// from: that day and up to `late_report_days` after it (a report that is not a
    /// curated row is filed under the days before its own).
    fn day_spans(report: &Report, config: &LinkConfig) -> Vec<Option<(Date, Date)>> {
        let Some(date) = report.date else {
            return vec![None];
        };
        let mut spans = Vec::new();
        let late = if report.batch.is_none() {
            config.late_report_days
        } else {
            0
        };
        for back in 0..=late {
            let Some(day) = date.checked_sub_days(chrono::Days::new(u64::from(back))) else {
                continue;
            };
            let last = day
                .checked_add_days(chrono::Days::new(u64::from(config.late_report_days)))
                .unwrap_or(Date::MAX);
            spans.push(Some((day, last)));
        }
        spans
    }
}

/// The locators a store files `report` under: on each day it can meet others, its place
/// text, its resolved locality and the area of its coordinates. A claim (aggregate
/// estimates only) is never linked and has none.
pub fn report_locators(report: &Report, config: &LinkConfig) -> Vec<i64> {
    if report.is_aggregate_only() {
        return Vec::new();
    }
    let at = Whereabouts::of(report, config);
    let mut locators = Vec::with_capacity(at.days.len() * 3);
    for day in &at.days {
        locators.push(name_locator(day, &at.place));
        if let Some(resolved) = &at.resolved {
            locators.push(name_locator(day, resolved));
        }
        if let Some((y, x)) = at.area {
            locators.push(area_locator(day, y, x));
        }
    }
    locators.sort_unstable();
    locators.dedup();
    locators
}

/// The locators under which every report that can share a blocking key with `report`
/// is filed: on each day it can meet others, its two place keys, and the areas around
/// its own (cells at most two apart are in neighbouring areas).
fn neighbour_locators(report: &Report, config: &LinkConfig) -> Vec<i64> {
    let at = Whereabouts::of(report, config);
    let mut locators = Vec::with_capacity(at.days.len() * 11);
    for day in &at.days {
        locators.push(name_locator(day, &at.place));
        if let Some(resolved) = &at.resolved {
            locators.push(name_locator(day, resolved));
        }
        if let Some((y, x)) = at.area {
            for dy in -1..=1 {
                for dx in -1..=1 {
                    locators.push(area_locator(day, y + dy, x + dx));
                }
            }
        }
    }
    locators.sort_unstable();
    locators.dedup();
    locators
}

fn day_text(date: Option<Date>) -> String {
    date.map(|d| d.to_string()).unwrap_or_default()
}

/// Place text and resolved locality share one namespace, so that a report whose two
/// keys read the same is filed once.
fn name_locator(day: &str, place: &str) -> i64 {
    fnv1a(&[b"name", day.as_bytes(), place.as_bytes()]) as i64
}

fn area_locator(day: &str, y: i64, x: i64) -> i64 {
    fnv1a(&[b"area", day.as_bytes(), &y.to_le_bytes(), &x.to_le_bytes()]) as i64
}

/// Links `new_reports` into a ledger whose stored events are current, reading only the
/// blocks they touch: the events that change, as an update to apply to the stored ones.
///
/// The answer is the same as relinking every report (the property tests of this crate
/// hold it to that): a block is a connected group of reports that share blocking keys,
/// and the lookup is asked, round by round, for the neighbours of every report found to
/// be in a block with a new one, until no new neighbour turns up. Chains across days,
/// places and reviewer merges are followed to their end.
///
/// Each touched block is linked once, with its new reports. What it held before comes
/// from the stored events of its old blocks (issue 12: a block of 100,000 reports is not
/// linked twice to find what one report changed); an old block smaller than
/// [`ReportLookup::stored_events_from`] is linked again instead, and so is one whose
/// stored events do not hold exactly its reports (events stored by an earlier linker).
pub fn link_new_reports<L: ReportLookup>(
    lookup: &mut L,
    new_reports: Vec<Report>,
    decisions: Vec<Decision>,
    config: &LinkConfig,
) -> Result<LinkUpdate, L::Error> {
    link_new_reports_telling_new(lookup, new_reports, decisions, config).map(|(update, _)| update)
}

/// [`link_new_reports`], with the ids of the upserted events that no event of the touched
/// blocks had before (issue 12): with the stored events current, as that function
/// requires, and event ids unique, no stored event has them, so a store need not look for
/// the old rows they replace.
pub fn link_new_reports_telling_new<L: ReportLookup>(
    lookup: &mut L,
    new_reports: Vec<Report>,
    decisions: Vec<Decision>,
    config: &LinkConfig,
) -> Result<(LinkUpdate, Vec<EventId>), L::Error> {
    let plan = DecisionPlan::new(&decisions);
    let new_linkable: Vec<&Report> = new_reports
        .iter()
        .filter(|r| is_linkable(r, &plan))
        .collect();
    let fresh = new_linkable.len() as u32;
    let places = lookup
        .places()?
        .map(|places| PlaceIndex::new(&places, config));
    let Reach {
        mut index,
        found,
        found_keys,
        ..
    } = reach(
        lookup,
        &new_linkable,
        &new_reports,
        &plan,
        config,
        places.as_ref(),
    )?;

    // The ledger's reports in the touched blocks: whole old blocks, since every one of
    // them had its neighbours read.
    let mut touched: Vec<usize> = Vec::new();
    for offset in 0..found.len() {
        if index.find(fresh + offset as u32) < fresh {
            touched.push(offset);
        }
    }
    let mut before: FxHashMap<EventId, Held> = FxHashMap::default();
    // Old blocks to link again (the small ones, or those whose stored events do not
    // stand), linked together below with the new blocks.
    let mut relinked_old: Vec<Vec<&Report>> = Vec::new();
    for old_block in blocks_of(touched.iter().map(|&offset| &found_keys[offset])) {
        let reports: Vec<&Report> = old_block
            .iter()
            .map(|&i| &found[touched[i as usize]])
            .collect();
        if reports.len() < lookup.stored_events_from() && each_its_own_event(&reports, &plan) {
            // One event per report (a ledger of one big file, mostly): their ids are
            // known without linking or building them.
            before.reserve(reports.len());
            for (report, id) in own_event_ids(&reports) {
                before.insert(id, Held::Alone(report));
            }
            continue;
        }
        let events = if reports.len() >= lookup.stored_events_from() {
            stored_events_of(lookup, &reports)?
        } else {
            None
        };
        match events {
            Some(events) => before.extend(
                events
                    .into_iter()
                    .map(|e| (e.id.clone(), Held::Stored(Box::new(e)))),
            ),
            None => relinked_old.push(reports),
        }
    }

    let mut members: BTreeMap<u32, Vec<&Report>> = BTreeMap::new();
    for (position, report) in new_linkable.iter().enumerate() {
        let root = index.find(position as u32);
        members.entry(root).or_default().push(report);
    }
    for &offset in &touched {
        let root = index.find(fresh + offset as u32);
        members.entry(root).or_default().push(&found[offset]);
    }
    let new_blocks: Vec<Vec<&Report>> = members.into_values().collect();
    let (old_events, new_events) = rayon::join(
        || link_blocks(&relinked_old, &plan, config),
        || link_blocks(&new_blocks, &plan, config),
    );
    before.extend(
        old_events
            .into_iter()
            .map(|(_, e)| (e.id, Held::Members(e.reports))),
    );
    let update = changes(&before, new_events.into_iter().map(|(_, e)| e).collect());
    let new = update
        .upserted
        .iter()
        .filter(|event| !before.contains_key(&event.id))
        .map(|event| event.id.clone())
        .collect();
    Ok((update, new))
}

/// What a touched old block held before the new reports: an event's members (an event
/// is a function of its members: the same members make the same event, id included,
/// since the new reports' sources are new and so leave every old report's content key
/// as it was), or a stored event (compared whole, so that one stored by an earlier
/// linker is written again).
enum Held {
    Members(Vec<ReportId>),
    /// An event of this report alone.
    Alone(ReportId),
    Stored(Box<Event>),
}

/// What changed from the events the touched blocks held to their events `after`: the
/// ids gone and the events new or changed, each in id order (what `diff` gives for
/// whole events, without building the unchanged ones twice).
fn changes(before: &FxHashMap<EventId, Held>, after: Vec<Event>) -> LinkUpdate {
    let kept: FxHashSet<&EventId> = after.iter().map(|e| &e.id).collect();
    let mut removed: Vec<EventId> = before
        .keys()
        .filter(|id| !kept.contains(id))
        .cloned()
        .collect();
    removed.sort_unstable();
    drop(kept);
    let mut upserted: Vec<Event> = after
        .into_iter()
        .filter(|event| match before.get(&event.id) {
            Some(Held::Members(members)) => *members != event.reports,
            Some(Held::Alone(report)) => event.reports != [*report],
            Some(Held::Stored(stored)) => **stored != *event,
            None => true,
        })
        .collect();
    upserted.sort_unstable_by(|a, b| a.id.cmp(&b.id));
    LinkUpdate { removed, upserted }
}

/// The events of each of `blocks`, each with the number of its block, linked on rayon's
/// pool (blocks are independent: the events are those of linking them one after
/// another), in no particular order.
fn link_blocks(
    blocks: &[Vec<&Report>],
    plan: &DecisionPlan,
    config: &LinkConfig,
) -> Vec<(usize, Event)> {
    use rayon::prelude::*;
    blocks
        .par_iter()
        .enumerate()
        .with_min_len(64)
        .flat_map_iter(|(number, block)| {
            link_block(block, plan, config)
                .into_iter()
                .map(move |event| (number, event))
        })
        .collect()
}

/// What [`reach`] found: the ledger's reports read around the seeds, their blocking keys,
/// and the blocks of seeds and found reports together (positions: the linkable seeds
/// first, then the found reports in the order they were read; a block holds a seed
/// exactly when its root is below the number of linkable seeds).
struct Reach {
    index: BlockIndex,
    found: Vec<Report>,
    found_keys: Vec<Vec<u64>>,
    /// The found reports read by place and day, which hold only what linking reads.
    linking_only: FxHashSet<ReportId>,
}

/// The closure behind [`link_new_reports`] and [`reports_in_blocks_of`]: reads, round by
/// round, the neighbours (by locator and merge group) of every report found to share a
/// block with a seed, until no new one turns up. `seeds` are every seed, linkable or
/// not (none of them is read again); `linkable` those of them that take part.
fn reach<L: ReportLookup>(
    lookup: &mut L,
    linkable: &[&Report],
    seeds: &[Report],
    plan: &DecisionPlan,
    config: &LinkConfig,
    places: Option<&PlaceIndex>,
) -> Result<Reach, L::Error> {
    let mut index = BlockIndex::default();
    let mut seen: HashSet<ReportId> = seeds.iter().filter_map(|r| r.id).collect();
    let fresh = linkable.len() as u32;
    for (position, report) in linkable.iter().enumerate() {
        index.insert(position as u32, &blocking_keys(report, plan, config));
    }
    let mut found: Vec<Report> = Vec::new();
    let mut linking_only: FxHashSet<ReportId> = FxHashSet::default();
    // The blocking keys of each found report, to find its old block without the new ones.
    let mut found_keys: Vec<Vec<u64>> = Vec::new();
    let mut asked_locators: HashSet<i64> = HashSet::new();
    let mut asked_days: FxHashSet<(i64, Option<(Date, Date)>)> = FxHashSet::default();
    let mut asked_merges: HashSet<ReportId> = HashSet::new();
    // Found reports not yet known to share a block with a new one.
    let mut waiting: Vec<u32> = Vec::new();
    let mut to_expand: Vec<u32> = (0..fresh).collect();
    while !to_expand.is_empty() {
        let mut locators = Vec::new();
        let mut spans: Vec<PlaceDays> = Vec::new();
        let mut ids = Vec::new();
        let report_at = |position: u32| {
            if position < fresh {
                linkable[position as usize]
            } else {
                &found[(position - fresh) as usize]
            }
        };
        match places {
            None => {
                let around: Vec<Vec<i64>> = {
                    use rayon::prelude::*;
                    to_expand
                        .par_iter()
                        .with_min_len(128)
                        .map(|&position| neighbour_locators(report_at(position), config))
                        .collect()
                };
                for around in around {
                    for locator in around {
                        if asked_locators.insert(locator) {
                            locators.push(locator);
                        }
                    }
                }
            }
            Some(places) => {
                for &position in &to_expand {
                    places.spans_around(report_at(position), config, |span| {
                        if asked_days.insert((span.place, span.days)) {
                            spans.push(span);
                        }
                    });
                }
            }
        }
        for &position in &to_expand {
            let report = report_at(position);
            if let Some(root) = report.id.and_then(|id| plan.merge_root(id)) {
                if asked_merges.insert(root) {
                    ids.extend(plan.merged_with(root).filter(|id| !seen.contains(id)));
                }
            }
        }
        if !locators.is_empty() {
            ids.extend(lookup.report_ids_at(&locators)?);
        }
        ids.retain(|id| !seen.contains(id));
        ids.sort_unstable();
        ids.dedup();
        let mut fetched = if ids.is_empty() {
            Vec::new()
        } else {
            lookup.reports_by_id(&ids)?
        };
        if !spans.is_empty() {
            let by_span = lookup.linking_reports_at(&spans)?;
            linking_only.extend(
                by_span
                    .iter()
                    .filter_map(|r| r.id)
                    .filter(|id| !seen.contains(id) && ids.binary_search(id).is_err()),
            );
            fetched.extend(by_span);
        }
        // The blocking keys of what was read, on rayon's pool (some 7,500 reports when
        // 1,000 rows join a ledger of a million, issue 12).
        let fetched: Vec<(Report, Vec<u64>)> = {
            use rayon::prelude::*;
            fetched
                .into_par_iter()
                .with_min_len(256)
                .map(|report| {
                    let keys = if is_linkable(&report, plan) {
                        blocking_keys(&report, plan, config)
                    } else {
                        Vec::new()
                    };
                    (report, keys)
                })
                .collect()
        };
        found.reserve(fetched.len());
        found_keys.reserve(fetched.len());
        for (report, keys) in fetched {
            let Some(id) = report.id else { continue };
            if !seen.insert(id) || !is_linkable(&report, plan) {
                continue;
            }
            let position = fresh + found.len() as u32;
            index.insert(position, &keys);
            found.push(report);
            found_keys.push(keys);
            waiting.push(position);
        }
        let (joined, apart): (Vec<u32>, Vec<u32>) = waiting
            .iter()
            .partition(|&&position| index.find(position) < fresh);
        to_expand = joined;
        waiting = apart;
    }

    Ok(Reach {
        index,
        found,
        found_keys,
        linking_only,
    })
}

/// The ledger's reports that share a block with one of `seeds` under `decisions`: whole
/// blocks, read through `lookup` as [`link_new_reports`] reads them, the seeds
/// themselves left out, each whole (those found by place and day are read again by id:
/// they become events here). Linking the seeds with these gives exactly the events of
/// the blocks the seeds are in (for answering as of an earlier time, and a reviewer
/// decision's blocks, issue 12).
///
/// Read by place and day, the blocks are those of every stored report, whatever the
/// lookup's [`ReportLookup::reports_by_id`] leaves out (reports received after an
/// earlier time): what comes back is then every report that lookup gives of a union of
/// whole blocks, which holds the seeds' whole blocks among the reports it gives.
pub fn reports_in_blocks_of<L: ReportLookup>(
    lookup: &mut L,
    seeds: &[Report],
    decisions: &[Decision],
    config: &LinkConfig,
) -> Result<Vec<Report>, L::Error> {
    let plan = DecisionPlan::new(decisions);
    let linkable: Vec<&Report> = seeds.iter().filter(|r| is_linkable(r, &plan)).collect();
    let fresh = linkable.len() as u32;
    let places = lookup
        .places()?
        .map(|places| PlaceIndex::new(&places, config));
    let Reach {
        mut index,
        found,
        linking_only,
        ..
    } = reach(lookup, &linkable, seeds, &plan, config, places.as_ref())?;
    let joined: Vec<Report> = found
        .into_iter()
        .enumerate()
        .filter(|(offset, _)| index.find(fresh + *offset as u32) < fresh)
        .map(|(_, report)| report)
        .collect();
    if linking_only.is_empty() {
        return Ok(joined);
    }
    let mut partial: Vec<ReportId> = joined
        .iter()
        .filter_map(|r| r.id)
        .filter(|id| linking_only.contains(id))
        .collect();
    partial.sort_unstable();
    let mut whole: FxHashMap<ReportId, Report> = if partial.is_empty() {
        FxHashMap::default()
    } else {
        lookup
            .reports_by_id(&partial)?
            .into_iter()
            .filter_map(|r| Some((r.id?, r)))
            .collect()
    };
    Ok(joined
        .into_iter()
        .filter_map(|report| match report.id {
            Some(id) if linking_only.contains(&id) => whole.remove(&id),
            _ => Some(report),
        })
        .collect())
}

/// The events that change when `decision` joins `decisions`, over a ledger whose stored
/// events are current under `decisions`, reading only the blocks the decision's reports
/// are in before and after it (issue 12: a decision does not relink the ledger).
///
/// The reports read are grown until they are whole blocks under both sets of
/// decisions; outside them no report's blocking keys change (a report whose merge
/// group changes shares a block with the decision's reports), so the update is the
/// same as relinking everything (the property tests of this crate hold it to that).
pub fn relink_for_decision<L: ReportLookup>(
    lookup: &mut L,
    decisions: Vec<Decision>,
    decision: Decision,
    config: &LinkConfig,
) -> Result<LinkUpdate, L::Error> {
    let mut named: Vec<ReportId> = match &decision {
        Decision::Merge { reports } => reports.clone(),
        Decision::Split { report } | Decision::Reject { report } => vec![*report],
    };
    // A split or merge also moves the reports joined to these by earlier merges, which
    // may sit in other blocks (a merge across days or places): take them all.
    loop {
        let known = named.len();
        for earlier in &decisions {
            if let Decision::Merge { reports } = earlier {
                if reports.iter().any(|r| named.contains(r)) {
                    let joined: Vec<ReportId> = reports
                        .iter()
                        .filter(|r| !named.contains(r))
                        .copied()
                        .collect();
                    named.extend(joined);
                }
            }
        }
        if named.len() == known {
            break;
        }
    }
    named.sort_unstable();
    named.dedup();
    let before = decisions;
    let mut after = before.clone();
    after.push(decision);
    let mut reports: Vec<Report> = lookup.reports_by_id(&named)?;
    let mut seen: HashSet<ReportId> = reports.iter().filter_map(|r| r.id).collect();
    loop {
        let known = reports.len();
        for decisions in [&before, &after] {
            for report in reports_in_blocks_of(lookup, &reports, decisions, config)? {
                if report.id.is_some_and(|id| seen.insert(id)) {
                    reports.push(report);
                }
            }
        }
        if reports.len() == known {
            break;
        }
    }
    let events = |decisions: &[Decision]| -> BTreeMap<EventId, Event> {
        crate::link_reports(&reports, decisions, config)
            .into_iter()
            .map(|e| (e.id.clone(), e))
            .collect()
    };
    Ok(diff(events(&before), events(&after)))
}

/// The blocks among reports with these blocking keys, as lists of their positions.
fn blocks_of<'k>(keys: impl Iterator<Item = &'k Vec<u64>>) -> Vec<Vec<u32>> {
    let mut index = BlockIndex::default();
    for (position, keys) in keys.enumerate() {
        index.insert(position as u32, keys);
    }
    let mut blocks = index.blocks();
    // In order of their first report, so the reads (and a test's count) do not depend
    // on a hash map's order.
    blocks.sort_unstable_by_key(|members| members.iter().min().copied());
    blocks
}

/// The stored events of a whole block, or `None` when they do not hold exactly its
/// reports, each once (events stored by an earlier linker, or not current): the block is
/// then linked again instead.
fn stored_events_of<L: ReportLookup>(
    lookup: &mut L,
    block: &[&Report],
) -> Result<Option<Vec<Event>>, L::Error> {
    let mut ids = possible_event_ids(block);
    ids.sort_unstable();
    let events = lookup.events_by_id(&ids)?;
    let mut held: Vec<ReportId> = events
        .iter()
        .flat_map(|e| e.reports.iter().copied())
        .collect();
    held.sort_unstable();
    let mut expected: Vec<ReportId> = block.iter().filter_map(|r| r.id).collect();
    expected.sort_unstable();
    Ok((held == expected).then_some(events))
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

    /// A report of another place text, `cells` linking cells north-west of `lat, lon`.
    fn away(lat: f64, lon: f64, cells: f64, date: &str) -> Report {
        let size = LinkConfig::default().nearby_km / 111.0;
        let mut r = report_at(lat + cells * size, lon - cells * size, date);
        r.place = Place::from_parts(Some("Elsewhere"), Some("KS".parse().unwrap()));
        r.place.resolved = report_at(lat + cells * size, lon - cells * size, date)
            .place
            .resolved
            .map(|p| ResolvedPlace {
                locality: Some("Elsewhere".into()),
                ..p
            });
        r
    }

    fn shares(asked: &[i64], filed: &[i64]) -> bool {
        filed.iter().any(|l| asked.contains(l))
    }

    /// A lookup that holds only events.
    struct Events(Vec<Event>);

    impl ReportLookup for Events {
        type Error = std::convert::Infallible;
        fn report_ids_at(&mut self, _: &[i64]) -> Result<Vec<ReportId>, Self::Error> {
            Ok(Vec::new())
        }
        fn reports_by_id(&mut self, _: &[ReportId]) -> Result<Vec<Report>, Self::Error> {
            Ok(Vec::new())
        }
        fn events_by_id(&mut self, ids: &[EventId]) -> Result<Vec<Event>, Self::Error> {
            Ok(self
                .0
                .iter()
                .filter(|e| ids.contains(&e.id))
                .cloned()
                .collect())
        }
    }

    #[test]
    fn issue_12_stored_events_stand_only_when_they_hold_the_block_exactly() {
        let config = LinkConfig::default();
        let plan = DecisionPlan::new(&[]);
        let block: Vec<Report> = (1..=6)
            .map(|n| {
                let mut r = report_at(30.0, -97.0, "2025-06-14");
                r.id = Some(ReportId(n));
                r.source_id = tally_model::SourceId(format!("s{n}"));
                // Four rows of one curated batch (four gatherings) and two articles.
                r.batch = (n <= 4).then(|| "rows".to_string());
                r
            })
            .collect();
        let refs: Vec<&Report> = block.iter().collect();
        let events = link_block(&refs, &plan, &config);
        assert!(events.len() > 1);
        let found = stored_events_of(&mut Events(events.clone()), &refs).unwrap();
        assert_eq!(found.map(|e| e.len()), Some(events.len()));
        // An event missing, or one holding a report of another block: linked again.
        let mut missing = events.clone();
        missing.pop();
        assert!(stored_events_of(&mut Events(missing), &refs)
            .unwrap()
            .is_none());
        let mut stranger = events;
        stranger[0].reports.push(ReportId(99));
        assert!(stored_events_of(&mut Events(stranger), &refs)
            .unwrap()
            .is_none());
    }

    #[test]
    fn neighbours_are_asked_for_under_their_own_locators() {
        let config = LinkConfig::default();
        // A report of the 15th that is not a curated row meets the 14th.
        let a = report_at(39.9999, -94.0, "2025-06-14");
        let asked = neighbour_locators(&a, &config);
        for cells in [0.5, 1.5, 1.9] {
            let b = away(39.9999, -94.0, cells, "2025-06-15");
            assert!(
                shares(&asked, &report_locators(&b, &config)),
                "{cells} cells"
            );
        }
        // Five cells apart, or a curated row a day later, is out of reach.
        let far = away(39.9999, -94.0, 5.0, "2025-06-14");
        assert!(!shares(&asked, &report_locators(&far, &config)));
        let mut row = away(39.9999, -94.0, 0.5, "2025-06-15");
        row.batch = Some("dataset".into());
        assert!(!shares(&asked, &report_locators(&row, &config)));
    }
}
