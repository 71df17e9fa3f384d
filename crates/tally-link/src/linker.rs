//! Blocking (which reports can possibly be linked) and the incremental [`Linker`].

use crate::block::link_block;
use crate::normalize::{self, fnv1a, Fnv1a};
use crate::{sort_events, Decision, DecisionPlan, LinkConfig};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::{self, Write as _};
use tally_model::{Date, Event, EventId, Place, Report, ReportId};

/// A report takes part in linking when it has an id, is not rejected, and is not a
/// claim (aggregate estimates only).
pub(crate) fn is_linkable(report: &Report, plan: &DecisionPlan) -> bool {
    is_linkable_parts(report.id, report.is_aggregate_only(), plan)
}

/// [`is_linkable`] from a report's id and whether it carries only aggregate estimates.
pub(crate) fn is_linkable_parts(
    id: Option<ReportId>,
    aggregate_only: bool,
    plan: &DecisionPlan,
) -> bool {
    match id {
        Some(id) => !plan.is_rejected(id) && !aggregate_only,
        None => false,
    }
}

/// The place as the source wrote it: `STATE|locality words`.
pub(crate) fn source_place_key(place: &Place) -> String {
    let mut key = String::new();
    write_source_place_key(place, &mut key).expect("writing to a String cannot fail");
    key
}

/// Writes [`source_place_key`] into a string or a hash.
pub(crate) fn write_source_place_key<W: fmt::Write>(place: &Place, out: &mut W) -> fmt::Result {
    out.write_str(place.best_state().map(|s| s.as_str()).unwrap_or(""))?;
    if place.online {
        return out.write_str("|online");
    }
    let text = place
        .locality
        .as_deref()
        .or_else(|| {
            let before_comma = place.raw.split(',').next().unwrap_or("").trim();
            (!before_comma.is_empty()).then_some(before_comma)
        })
        .or_else(|| place.best_locality())
        .unwrap_or_default();
    out.write_char('|')?;
    normalize::write_normalized_words(text, out)
}

/// The place as the geocoder resolved it, when it resolved to a locality.
pub(crate) fn resolved_place_key(place: &Place) -> Option<String> {
    let mut key = String::new();
    write_resolved_place_key(place, &mut key)?.expect("writing to a String cannot fail");
    Some(key)
}

/// Writes [`resolved_place_key`] into a string or a hash; `None` (nothing written) when
/// the place did not resolve to a locality.
fn write_resolved_place_key<W: fmt::Write>(place: &Place, out: &mut W) -> Option<fmt::Result> {
    let resolved = place.resolved.as_ref()?;
    let locality = resolved.locality.as_deref()?;
    Some((|| {
        out.write_str(resolved.state.as_str())?;
        out.write_char('|')?;
        normalize::write_normalized_words(locality, out)
    })())
}

/// The keys under which a report can meet the reports it may be linked with. Sharing a
/// key puts two reports in one block; the block linker then applies the real rules.
///
/// Each key is the [`fnv1a`] of its kind, the day and the place text or cell: see
/// [`keys_of_day`].
pub(crate) fn blocking_keys(report: &Report, plan: &DecisionPlan, config: &LinkConfig) -> Vec<u64> {
    let place = PlaceKeys::of(&report.place, config);
    let mut keys = Vec::with_capacity(2 * 11 + 1);
    keys_of_day(&mut keys, report.date, &place);
    if report.batch.is_none() {
        if let Some(date) = report.date {
            for late in 1..=config.late_report_days {
                keys_of_day(
                    &mut keys,
                    date.checked_sub_days(chrono::Days::new(u64::from(late))),
                    &place,
                );
            }
        }
    }
    keys.extend(report.id.and_then(|id| merge_key(id, plan)));
    keys
}

/// What the blocking keys of a place are made of, worked out once per place: its place
/// text key, its resolved key and its grid cell.
pub(crate) struct PlaceKeys {
    /// [`source_place_key`].
    place: String,
    /// [`resolved_place_key`].
    resolved: Option<String>,
    /// The cell of the place's point, at least `nearby_km` wide, so every place within
    /// that distance is in one of the 3×3 cells around a report's own.
    cell: Option<(i64, i64)>,
}

impl PlaceKeys {
    pub(crate) fn of(place: &Place, config: &LinkConfig) -> PlaceKeys {
        PlaceKeys {
            place: source_place_key(place),
            resolved: resolved_place_key(place),
            cell: normalize::point(place).map(|(lat, lon)| {
                let size = (config.nearby_km / 111.0).max(1e-4);
                ((lat / size).floor() as i64, (lon / size).floor() as i64)
            }),
        }
    }
}

/// Adds the blocking keys of one day (the report's own, or a day before it for a late
/// report) at a place: its place text, its resolved locality and the nine cells around
/// its point, each hashed as it is written (no string per key, issue 12).
pub(crate) fn keys_of_day(keys: &mut Vec<u64>, day: Option<Date>, place: &PlaceKeys) {
    keys_around(day, place, 1, |key, _| keys.push(key));
}

/// The blocking keys of one day at a place as [`keys_of_day`] gives them, split for a
/// smaller index (issue 12: a first ingest finds its blocks while it stores the file):
/// `owned` gets the place text, the resolved locality and the place's own cell, and
/// `probes` the 24 other cells at most two cells away. Two reports of a day whose nine
/// cells around their points overlap are exactly those whose own cells are at most two
/// apart each way, so joining a report with the owners of the cells it probes joins the
/// blocks that the nine cells of [`keys_of_day`] join, with a third of the keys kept.
pub(crate) fn owned_and_probed_keys_of_day(
    owned: &mut Vec<u64>,
    probes: &mut Vec<u64>,
    day: Option<Date>,
    place: &PlaceKeys,
) {
    keys_around(day, place, 2, |key, around| {
        if around {
            probes.push(key);
        } else {
            owned.push(key);
        }
    });
}

/// Gives `key` the keys of one day at a place: its place text, its resolved locality and
/// the cells up to `reach` cells from its point's own, each with whether it is a cell
/// other than the point's own.
fn keys_around(day: Option<Date>, place: &PlaceKeys, reach: i64, mut key: impl FnMut(u64, bool)) {
    // The day as `Display` writes it, made once rather than once per kind.
    let mut day_text = [0u8; 16];
    let day_text = match day {
        Some(day) => day_digits(day, &mut day_text),
        None => &[],
    };
    // The hash of a kind and the day, which each key of that kind goes on from.
    let of_day = |kind: &[u8]| Fnv1a::new().part(kind).part(day_text);
    key(
        of_day(b"place").part(place.place.as_bytes()).finish(),
        false,
    );
    if let Some(resolved) = &place.resolved {
        key(
            of_day(b"resolved").part(resolved.as_bytes()).finish(),
            false,
        );
    }
    if let Some((y, x)) = place.cell {
        assert!(
            (0..=MOST_REACH).contains(&reach),
            "a reach of {reach} cells"
        );
        let mut digits = itoa::Buffer::new();
        // Each column's digits, written once rather than once a row of cells (issue 12:
        // 25 formattings of a number a report were about 3% of the linking's work). An
        // `i64` has at most 20 characters.
        let mut columns = [([0u8; 20], 0usize); (2 * MOST_REACH + 1) as usize];
        for (column, dx) in columns.iter_mut().zip(-reach..=reach) {
            let text = digits.format(x + dx).as_bytes();
            column.0[..text.len()].copy_from_slice(text);
            column.1 = text.len();
        }
        let of_cells = of_day(b"cell");
        for dy in -reach..=reach {
            let mut of_row = of_cells;
            of_row.write(digits.format(y + dy).as_bytes());
            of_row.write(b",");
            for ((text, len), dx) in columns.iter().zip(-reach..=reach) {
                let mut hash = of_row;
                hash.write(&text[..*len]);
                hash.end_part();
                key(hash.finish(), dy != 0 || dx != 0);
            }
        }
    }
}

/// The most cells around a point's own that [`keys_around`] reaches.
const MOST_REACH: i64 = 2;

/// `day` as its `Display` writes it (`2025-06-14`), without the formatting machinery
/// for the years a date has in practice.
pub(crate) fn day_digits(day: Date, out: &mut [u8; 16]) -> &[u8] {
    use chrono::Datelike;
    let year = day.year();
    if !(0..=9999).contains(&year) {
        let mut text = String::new();
        write!(text, "{day}").expect("writing to a String cannot fail");
        out[..text.len()].copy_from_slice(text.as_bytes());
        return &out[..text.len()];
    }
    let digit = |n: u32| b'0' + (n % 10) as u8;
    let (y, m, d) = (year as u32, day.month(), day.day());
    *out = [
        digit(y / 1000),
        digit(y / 100),
        digit(y / 10),
        digit(y),
        b'-',
        digit(m / 10),
        digit(m),
        b'-',
        digit(d / 10),
        digit(d),
        0,
        0,
        0,
        0,
        0,
        0,
    ];
    &out[..10]
}

/// The key that puts the reports of one reviewer merge in one block.
pub(crate) fn merge_key(id: ReportId, plan: &DecisionPlan) -> Option<u64> {
    plan.merge_root(id)
        .map(|root| fnv1a(&[b"merge", &root.0.to_le_bytes()]))
}

/// Union-find over report positions, joined through shared blocking keys.
#[derive(Debug, Default, Clone)]
pub(crate) struct BlockIndex {
    parent: Vec<u32>,
    // The keys are already FNV hashes; Fx only spreads them over the table.
    owner_of_key: rustc_hash::FxHashMap<u64, u32>,
}

impl BlockIndex {
    pub(crate) fn find(&mut self, mut i: u32) -> u32 {
        while self.parent[i as usize] != i {
            let grandparent = self.parent[self.parent[i as usize] as usize];
            self.parent[i as usize] = grandparent;
            i = grandparent;
        }
        i
    }

    fn union(&mut self, a: u32, b: u32) -> u32 {
        let (a, b) = (self.find(a), self.find(b));
        // The smaller position stays the root, so roots do not depend on union order.
        let (root, child) = if a < b { (a, b) } else { (b, a) };
        self.parent[child as usize] = root;
        root
    }

    /// Adds position `position` (the next one) with its keys; returns the roots of the
    /// blocks it joined, before joining.
    pub(crate) fn insert(&mut self, position: u32, keys: &[u64]) -> Vec<u32> {
        debug_assert_eq!(position as usize, self.parent.len());
        self.parent.push(position);
        let mut joined = Vec::new();
        for key in keys {
            // One lookup whether the key is new or not (a first ingest meets millions).
            let owner = match self.owner_of_key.entry(*key) {
                std::collections::hash_map::Entry::Occupied(found) => *found.get(),
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(position);
                    continue;
                }
            };
            let root = self.find(owner);
            if root != self.find(position) {
                joined.push(root);
                self.union(root, position);
            }
        }
        joined
    }

    /// Joins position `position` (already added) with the owners of those of `keys`
    /// that some position added before owns; keys no one owns are not kept.
    pub(crate) fn join_owners(&mut self, position: u32, keys: &[u64]) {
        for key in keys {
            if let Some(&owner) = self.owner_of_key.get(key) {
                let root = self.find(owner);
                if root != self.find(position) {
                    self.union(root, position);
                }
            }
        }
    }

    /// Every block's member positions as one flat list: where each block starts (one
    /// more entry than blocks) and the members, ordered as [`BlockIndex::blocks`] orders
    /// them. A block's root is its smallest position, so a counting sort by root keeps
    /// the members of each block in order.
    pub(crate) fn flat_blocks(&mut self) -> (Vec<u32>, Vec<u32>) {
        let count = self.parent.len();
        let mut block_of_root: Vec<u32> = vec![u32::MAX; count];
        let mut sizes: Vec<u32> = Vec::new();
        let mut block_of: Vec<u32> = Vec::with_capacity(count);
        for position in 0..count as u32 {
            let root = self.find(position) as usize;
            if block_of_root[root] == u32::MAX {
                block_of_root[root] = sizes.len() as u32;
                sizes.push(0);
            }
            let block = block_of_root[root];
            sizes[block as usize] += 1;
            block_of.push(block);
        }
        drop(block_of_root);
        let mut starts: Vec<u32> = Vec::with_capacity(sizes.len() + 1);
        let mut next = 0u32;
        for size in &sizes {
            starts.push(next);
            next += size;
        }
        starts.push(next);
        let mut fill: Vec<u32> = starts[..sizes.len()].to_vec();
        let mut members = vec![0u32; count];
        for (position, block) in block_of.into_iter().enumerate() {
            members[fill[block as usize] as usize] = position as u32;
            fill[block as usize] += 1;
        }
        (starts, members)
    }

    /// Every block's member positions.
    ///
    /// A block's root is its smallest position, so blocks come in the order of their
    /// first member, and members in order.
    pub(crate) fn blocks(&mut self) -> Vec<Vec<u32>> {
        let mut block_of_root: Vec<u32> = vec![u32::MAX; self.parent.len()];
        let mut blocks: Vec<Vec<u32>> = Vec::new();
        for position in 0..self.parent.len() as u32 {
            let root = self.find(position) as usize;
            if block_of_root[root] == u32::MAX {
                block_of_root[root] = blocks.len() as u32;
                blocks.push(Vec::new());
            }
            blocks[block_of_root[root] as usize].push(position);
        }
        blocks
    }
}

/// What an incremental step changed: events that no longer exist, and events that are
/// new or changed. Applying both to the previous events gives the new events.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LinkUpdate {
    pub removed: Vec<EventId>,
    pub upserted: Vec<Event>,
}

/// Incremental linking: new reports relink only the blocks they touch.
///
/// [`Linker::events`] after any sequence of [`Linker::add_reports`] calls equals
/// [`crate::link_reports`] over all the reports (the blocks and the per-block linking are
/// the same). A new decision relinks everything, since it can reach any block.
#[derive(Debug, Clone)]
pub struct Linker {
    config: LinkConfig,
    decisions: Vec<Decision>,
    plan: DecisionPlan,
    /// Every report received, linkable or not.
    reports: Vec<Report>,
    /// Positions (into `reports`) of the linkable reports, in index order.
    linkable: Vec<usize>,
    index: BlockIndex,
    /// Members (index positions) of each block, by root.
    members: HashMap<u32, Vec<u32>>,
    /// The events of each block, by root.
    events: HashMap<u32, Vec<Event>>,
}

impl Linker {
    pub fn new(config: LinkConfig, decisions: Vec<Decision>) -> Linker {
        Linker {
            plan: DecisionPlan::new(&decisions),
            config,
            decisions,
            reports: Vec::new(),
            linkable: Vec::new(),
            index: BlockIndex::default(),
            members: HashMap::new(),
            events: HashMap::new(),
        }
    }

    /// A linker holding `reports`, linked.
    pub fn with_reports(
        config: LinkConfig,
        decisions: Vec<Decision>,
        reports: Vec<Report>,
    ) -> Linker {
        let mut linker = Linker::new(config, decisions);
        linker.add_reports(reports);
        linker
    }

    /// Adds reports and relinks the blocks they touch.
    pub fn add_reports(&mut self, reports: Vec<Report>) -> LinkUpdate {
        let mut dirty: HashSet<u32> = HashSet::new();
        let mut before: BTreeMap<EventId, Event> = BTreeMap::new();
        for report in reports {
            let at = self.reports.len();
            let linkable = is_linkable(&report, &self.plan);
            let keys = if linkable {
                blocking_keys(&report, &self.plan, &self.config)
            } else {
                Vec::new()
            };
            self.reports.push(report);
            if !linkable {
                continue;
            }
            let position = self.linkable.len() as u32;
            self.linkable.push(at);
            let joined = self.index.insert(position, &keys);
            let mut members = vec![position];
            for root in joined {
                dirty.remove(&root);
                if let Some(old) = self.events.remove(&root) {
                    before.extend(old.into_iter().map(|e| (e.id.clone(), e)));
                }
                members.extend(self.members.remove(&root).unwrap_or_default());
            }
            let root = self.index.find(position);
            if let Some(old) = self.events.remove(&root) {
                before.extend(old.into_iter().map(|e| (e.id.clone(), e)));
            }
            self.members.entry(root).or_default().extend(members);
            dirty.insert(root);
        }
        let mut after: BTreeMap<EventId, Event> = BTreeMap::new();
        let mut roots: Vec<u32> = dirty.into_iter().collect();
        roots.sort_unstable();
        for root in roots {
            let block = self.relink(root);
            after.extend(block.iter().map(|e| (e.id.clone(), e.clone())));
            self.events.insert(root, block);
        }
        diff(before, after)
    }

    /// Records a decision and relinks everything.
    pub fn add_decision(&mut self, decision: Decision) -> LinkUpdate {
        let before: BTreeMap<EventId, Event> = self
            .events()
            .into_iter()
            .map(|e| (e.id.clone(), e))
            .collect();
        self.decisions.push(decision);
        let reports = std::mem::take(&mut self.reports);
        let decisions = std::mem::take(&mut self.decisions);
        *self = Linker::with_reports(self.config.clone(), decisions, reports);
        let after: BTreeMap<EventId, Event> = self
            .events()
            .into_iter()
            .map(|e| (e.id.clone(), e))
            .collect();
        diff(before, after)
    }

    fn relink(&mut self, root: u32) -> Vec<Event> {
        let members = &self.members[&root];
        let block: Vec<&Report> = members
            .iter()
            .map(|&p| &self.reports[self.linkable[p as usize]])
            .collect();
        link_block(&block, &self.plan, &self.config)
    }

    /// Every event, sorted as [`crate::link_reports`] sorts them.
    pub fn events(&self) -> Vec<Event> {
        let mut events: Vec<Event> = self.events.values().flatten().cloned().collect();
        sort_events(&mut events);
        events
    }

    /// The claims among the reports received (aggregate estimates only).
    pub fn claims(&self) -> impl Iterator<Item = &Report> {
        self.reports.iter().filter(|r| r.is_aggregate_only())
    }

    pub fn decisions(&self) -> &[Decision] {
        &self.decisions
    }
}

/// What changed from `before` to `after`: the ids gone, and the events new or changed.
pub(crate) fn diff(
    before: BTreeMap<EventId, Event>,
    after: BTreeMap<EventId, Event>,
) -> LinkUpdate {
    let removed = before
        .keys()
        .filter(|id| !after.contains_key(*id))
        .cloned()
        .collect();
    let upserted = after
        .into_iter()
        .filter(|(id, event)| before.get(id) != Some(event))
        .map(|(_, event)| event)
        .collect();
    LinkUpdate { removed, upserted }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 12: the digits written by hand are exactly what `Display` writes, since
    /// blocking keys hash them.
    #[test]
    fn issue_12_digits_by_hand_are_what_display_writes() {
        let mut out = [0u8; 16];
        for day in [
            "2025-06-14",
            "1900-01-01",
            "0001-12-31",
            "9999-12-31",
            "+10000-01-01",
        ] {
            let date: Date = day.parse().unwrap();
            assert_eq!(day_digits(date, &mut out), date.to_string().as_bytes());
        }
        // A cell's key hashes its coordinates as `Display` writes them.
        let mut digits = itoa::Buffer::new();
        for value in [0, 7, -1, 10, -10, 9_999_999, i64::MIN, i64::MAX] {
            assert_eq!(
                digits.format(value).as_bytes(),
                value.to_string().as_bytes()
            );
        }
    }

    /// Issue 12: the cells' keys, with each column's digits written once, are the keys
    /// of the cells' texts ("cell", the day, "y,x"), as they were when every cell
    /// formatted its own, in the same order, near zero and at the ends of `i64` alike.
    #[test]
    fn issue_12_cell_keys_are_the_keys_of_the_cells_texts() {
        let day: Date = "2025-06-14".parse().unwrap();
        for (y, x) in [
            (0, 0),
            (-1, 1),
            (4_123, -9_871),
            (i64::MIN + 2, i64::MAX - 2),
        ] {
            let place = PlaceKeys {
                place: "Boise, ID".to_string(),
                resolved: None,
                cell: Some((y, x)),
            };
            for reach in 0..=MOST_REACH {
                let mut keys = Vec::new();
                keys_around(Some(day), &place, reach, |key, around| {
                    keys.push((key, around))
                });
                let mut expected = vec![(
                    Fnv1a::new()
                        .part(b"place")
                        .part(b"2025-06-14")
                        .part(b"Boise, ID")
                        .finish(),
                    false,
                )];
                for dy in -reach..=reach {
                    for dx in -reach..=reach {
                        let cell = format!("{},{}", y + dy, x + dx);
                        let key = Fnv1a::new()
                            .part(b"cell")
                            .part(b"2025-06-14")
                            .part(cell.as_bytes())
                            .finish();
                        expected.push((key, dy != 0 || dx != 0));
                    }
                }
                assert_eq!(keys, expected, "cell ({y}, {x}), reach {reach}");
            }
        }
    }
}
