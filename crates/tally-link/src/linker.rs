//! Blocking (which reports can possibly be linked) and the incremental [`Linker`].

use crate::block::link_block;
use crate::normalize::{self, fnv1a, Fnv1a};
use crate::{sort_events, Decision, DecisionPlan, LinkConfig};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::{self, Write as _};
use tally_model::{Event, EventId, Place, Report};

/// A report takes part in linking when it has an id, is not rejected, and is not a
/// claim (aggregate estimates only).
pub(crate) fn is_linkable(report: &Report, plan: &DecisionPlan) -> bool {
    match report.id {
        Some(id) => !plan.is_rejected(id) && !report.is_aggregate_only(),
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
/// Each key is the [`fnv1a`] of its kind, the day and the place text or cell, hashed as
/// they are written: no string is made per key (issue 12).
pub(crate) fn blocking_keys(report: &Report, plan: &DecisionPlan, config: &LinkConfig) -> Vec<u64> {
    let mut days = vec![report.date];
    if report.batch.is_none() {
        if let Some(date) = report.date {
            for late in 1..=config.late_report_days {
                days.push(date.checked_sub_days(chrono::Days::new(u64::from(late))));
            }
        }
    }
    let cell = normalize::point(&report.place).map(|(lat, lon)| {
        // Cells at least `nearby_km` wide, so every place within that distance is in
        // one of the 3×3 cells around a report's own.
        let size = (config.nearby_km / 111.0).max(1e-4);
        ((lat / size).floor() as i64, (lon / size).floor() as i64)
    });
    let written = "hashing cannot fail";
    let mut keys = Vec::with_capacity(days.len() * 11 + 1);
    for day in days {
        // The hash of a kind and the day, which each key of that kind goes on from.
        let of_day = |kind: &[u8]| {
            let mut hash = Fnv1a::new().part(kind);
            if let Some(day) = day {
                write!(hash, "{day}").expect(written);
            }
            hash.end_part();
            hash
        };
        let mut place = of_day(b"place");
        write_source_place_key(&report.place, &mut place).expect(written);
        place.end_part();
        keys.push(place.finish());
        let mut resolved = of_day(b"resolved");
        if write_resolved_place_key(&report.place, &mut resolved).is_some() {
            resolved.end_part();
            keys.push(resolved.finish());
        }
        if let Some((y, x)) = cell {
            let of_cells = of_day(b"cell");
            for dy in -1..=1i64 {
                for dx in -1..=1i64 {
                    let mut hash = of_cells;
                    write!(hash, "{},{}", y + dy, x + dx).expect(written);
                    hash.end_part();
                    keys.push(hash.finish());
                }
            }
        }
    }
    if let Some(root) = report.id.and_then(|id| plan.merge_root(id)) {
        keys.push(fnv1a(&[b"merge", &root.0.to_le_bytes()]));
    }
    keys
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
            match self.owner_of_key.get(key) {
                Some(&owner) => {
                    let root = self.find(owner);
                    if root != self.find(position) {
                        joined.push(root);
                        self.union(root, position);
                    }
                }
                None => {
                    self.owner_of_key.insert(*key, position);
                }
            }
        }
        joined
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
