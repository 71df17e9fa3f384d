//! Linking inside one block: a deterministic greedy assignment of reports to events.
//!
//! Reports are taken in a fixed order that depends only on their content and ids:
//! curated rows first (the largest batch first, so its rows lay out the distinct
//! gatherings), then titled reports, then untitled ones. Each report joins the best
//! compatible event found so far, or starts a new one. "Best" prefers the same day, then
//! an identical title, the same place text and the same location detail, then (for
//! curated rows and titled reports) the closest size. An untitled report joins the
//! *biggest* compatible event (largest reported size, then most reports): an article that
//! says "thousands marched downtown" is most likely about the main gathering of that day.
//! An article's headline is not a title ("Thousands rally in Austin" names the story, and
//! a roundup's headline names one city of several): its reports are untitled, and the
//! headline only prefers the event whose title it contains. An event that only articles
//! tell of shows, as its title, a headline that names its own place.

use crate::normalize::{self, distance_km};
use crate::{DecisionPlan, LinkConfig};
use std::collections::{BTreeSet, HashMap};
use tally_model::{Date, Estimate, Event, EventId, Place, Report, ReportId, SourceId};

/// What linking looks at in one report, computed once.
struct Item<'a> {
    report: &'a Report,
    id: ReportId,
    date: Option<Date>,
    place_key: String,
    /// True for "Mira Mesa (San Diego)" or "St. Paul/Minneapolis": a sub-place or a joint
    /// place that distance and resolution must not fold into its neighbour.
    compound_place: bool,
    resolved_key: Option<String>,
    point: Option<(f64, f64)>,
    title: BTreeSet<String>,
    /// The words of an article's headline: a hint for choosing among the events of a
    /// place and day, never a reason to keep a report apart from them.
    headline: BTreeSet<String>,
    /// The report has a title (any words at all, generic ones included).
    titled: bool,
    /// The distinct kind (parade, vigil, strike, counter-protest) the title names, if any.
    title_kind: Option<&'static str>,
    family: Option<String>,
    batch: Option<&'a str>,
    detail: Option<String>,
    /// The log of the middle of the report's event-scope figures, when it has one.
    log_size: Option<f64>,
    max_high: u64,
    split: bool,
}

impl<'a> Item<'a> {
    fn new(report: &'a Report, plan: &DecisionPlan) -> Item<'a> {
        let id = report.id.expect("linkable reports have ids");
        let place = &report.place;
        let source_locality = place
            .locality
            .as_deref()
            .unwrap_or_else(|| place.raw.split(',').next().unwrap_or(""));
        let (low, high) = report
            .event_estimates()
            .fold((None::<u64>, 0u64), |(low, high), e| {
                (
                    Some(low.map_or(e.low(), |l| l.min(e.low()))),
                    high.max(e.high()),
                )
            });
        let log_size = low.map(|l| ((l as f64 + high as f64) / 2.0).max(1.0).ln());
        Item {
            report,
            id,
            date: report.date,
            place_key: crate::linker::source_place_key(place),
            compound_place: source_locality.contains('(') || source_locality.contains('/'),
            resolved_key: crate::linker::resolved_place_key(place),
            point: normalize::point(place),
            title: normalize::title_tokens(report.title.as_deref()),
            headline: normalize::title_tokens(report.headline.as_deref()),
            titled: report
                .title
                .as_deref()
                .is_some_and(|t| !t.trim().is_empty()),
            title_kind: normalize::title_kind(report.title.as_deref()),
            family: normalize::type_family(report.event_type.as_deref()),
            batch: report.batch.as_deref(),
            detail: report
                .location_detail
                .as_deref()
                .map(|d| normalize::normalize_words(d).join(" "))
                .filter(|d| !d.is_empty()),
            log_size,
            max_high: high,
            split: plan.is_split(id),
        }
    }
}

/// An event being built.
struct Slot<'a> {
    members: Vec<usize>,
    date: Option<Date>,
    place_key: String,
    compound_place: bool,
    resolved_key: Option<String>,
    point: Option<(f64, f64)>,
    title: BTreeSet<String>,
    titled: bool,
    title_kind: Option<&'static str>,
    family: Option<String>,
    batches: Vec<&'a str>,
    /// The sources of the members: one source's reports are distinct gatherings (an
    /// article gives one report per place and day), so they never share an event.
    sources: Vec<&'a SourceId>,
    detail: Option<String>,
    log_size: Option<f64>,
    max_high: u64,
    closed: bool,
}

impl<'a> Slot<'a> {
    fn open(index: usize, item: &Item<'a>) -> Slot<'a> {
        Slot {
            members: vec![index],
            date: item.date,
            place_key: item.place_key.clone(),
            compound_place: item.compound_place,
            resolved_key: item.resolved_key.clone(),
            point: item.point,
            title: item.title.clone(),
            titled: item.titled,
            title_kind: item.title_kind,
            family: item.family.clone(),
            batches: item.batch.into_iter().collect(),
            sources: vec![&item.report.source_id],
            detail: item.detail.clone(),
            log_size: item.log_size,
            max_high: item.max_high,
            // A split report stands alone: nothing joins it automatically.
            closed: item.split,
        }
    }

    fn add(&mut self, index: usize, item: &Item<'a>) {
        self.members.push(index);
        if self.title.is_empty() {
            self.title = item.title.clone();
        }
        if !self.titled && item.titled {
            self.titled = true;
            self.title_kind = item.title_kind;
        }
        if self.family.is_none() {
            self.family = item.family.clone();
        }
        if self.detail.is_none() {
            self.detail = item.detail.clone();
        }
        if self.log_size.is_none() {
            self.log_size = item.log_size;
        }
        if let Some(batch) = item.batch {
            self.batches.push(batch);
        }
        self.sources.push(&item.report.source_id);
        self.max_high = self.max_high.max(item.max_high);
    }

    /// The score of `item` joining this slot, or `None` when it may not.
    fn score(&self, item: &Item<'_>, config: &LinkConfig) -> Option<i64> {
        if self.closed || item.split {
            return None;
        }
        if item.batch.is_some_and(|b| self.batches.contains(&b)) {
            return None;
        }
        if self.sources.contains(&&item.report.source_id) {
            return None;
        }
        let same_day = match (self.date, item.date) {
            (Some(a), Some(b)) if a == b => true,
            (Some(event_day), Some(report_day)) => {
                let late = (report_day - event_day).num_days();
                let allowed =
                    item.batch.is_none() && late >= 1 && late <= i64::from(config.late_report_days);
                if !allowed {
                    return None;
                }
                false
            }
            (None, None) => true,
            _ => return None,
        };
        let same_place_text = self.place_key == item.place_key;
        if !same_place_text {
            if self.compound_place || item.compound_place {
                return None;
            }
            let same_resolved =
                self.resolved_key.is_some() && self.resolved_key == item.resolved_key;
            let near = match (self.point, item.point) {
                (Some(a), Some(b)) => distance_km(a, b) <= config.nearby_km,
                _ => false,
            };
            if !same_resolved && !near {
                return None;
            }
        }
        if let (Some(a), Some(b)) = (&self.family, &item.family) {
            if a != b {
                return None;
            }
        }
        // A parade, vigil, strike or counter-protest named as such in one title is not
        // the gathering of another title that does not name it, however many words the
        // two share (a Pride parade with a No Kings contingent is not the No Kings rally).
        if item.titled && self.titled && item.title_kind != self.title_kind {
            return None;
        }
        let titled = !item.title.is_empty();
        if titled
            && !self.title.is_empty()
            && !normalize::titles_compatible(&self.title, &item.title)
        {
            return None;
        }
        let mut score = 0;
        if same_day {
            score += 1000;
        }
        if titled && self.title == item.title {
            score += 200;
        } else if titled && !self.title.is_empty() {
            score += 100;
        } else if !titled && !self.title.is_empty() && self.title.is_subset(&item.headline) {
            // "Military parade draws thousands" names the parade among that day's events.
            score += 100;
        }
        if same_place_text {
            score += 50;
        }
        match (&self.detail, &item.detail) {
            (Some(a), Some(b)) if a == b => score += 40,
            (Some(_), Some(_)) => score -= 40,
            _ => {}
        }
        if titled || item.batch.is_some() {
            if let (Some(a), Some(b)) = (self.log_size, item.log_size) {
                score += (20.0 - (10.0 * (a - b).abs()).min(20.0)) as i64;
            }
        }
        Some(score)
    }
}

/// Links the reports of one block into events.
pub(crate) fn link_block<'a>(
    reports: &[&'a Report],
    plan: &DecisionPlan,
    config: &LinkConfig,
) -> Vec<Event> {
    // Rows of one curated batch never merge with each other: a block that holds only
    // such rows, none of them in a reviewer's merge, is one event per row, and scoring
    // would reach the same answer slot by slot.
    if let Some(batch) = reports.first().and_then(|r| r.batch.as_deref()) {
        let one_batch_unmerged = reports.iter().all(|r| {
            r.batch.as_deref() == Some(batch)
                && r.id.is_some_and(|id| plan.merge_root(id).is_none())
        });
        if one_batch_unmerged {
            let keys = content_keys(reports);
            return reports
                .iter()
                .map(|r| build_event(vec![*r], &keys))
                .collect();
        }
    }
    let keys = content_keys(reports);
    let mut items: Vec<Item<'a>> = reports.iter().map(|r| Item::new(r, plan)).collect();
    let mut batch_sizes: HashMap<&'a str, usize> = HashMap::new();
    for item in &items {
        if let Some(batch) = item.batch {
            *batch_sizes.entry(batch).or_default() += 1;
        }
    }
    items.sort_by(|a, b| {
        let key = |i: &Item<'a>| {
            (
                i.batch.is_none(),
                std::cmp::Reverse(i.batch.map_or(0, |b| batch_sizes[b])),
                i.batch.unwrap_or(""),
                i.title.is_empty(),
                i.date,
                &keys[&i.id],
            )
        };
        key(a).cmp(&key(b))
    });

    let mut slots: Vec<Slot<'_>> = Vec::new();
    for (index, item) in items.iter().enumerate() {
        let mut best: Option<(i64, u64, usize, usize)> = None;
        for (slot_index, slot) in slots.iter().enumerate() {
            let Some(score) = slot.score(item, config) else {
                continue;
            };
            // Higher score, then the bigger event, then more reports, then the older slot.
            let candidate = (score, slot.max_high, slot.members.len(), slot_index);
            let better = match best {
                None => true,
                Some((s, h, n, i)) => {
                    (
                        candidate.0,
                        candidate.1,
                        candidate.2,
                        std::cmp::Reverse(candidate.3),
                    ) > (s, h, n, std::cmp::Reverse(i))
                }
            };
            if better {
                best = Some(candidate);
            }
        }
        match best {
            Some((_, _, _, slot_index)) => slots[slot_index].add(index, item),
            None => slots.push(Slot::open(index, item)),
        }
    }

    let groups = apply_merges(&slots, &items, plan);
    groups
        .into_iter()
        .map(|members| build_event(members.iter().map(|&m| items[m].report).collect(), &keys))
        .collect()
}

/// Joins the slots that hold reports of one reviewer merge.
fn apply_merges(slots: &[Slot<'_>], items: &[Item<'_>], plan: &DecisionPlan) -> Vec<Vec<usize>> {
    let mut parent: Vec<usize> = (0..slots.len()).collect();
    fn find(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut first_slot_of_root: HashMap<ReportId, usize> = HashMap::new();
    for (slot_index, slot) in slots.iter().enumerate() {
        for &member in &slot.members {
            if let Some(root) = plan.merge_root(items[member].id) {
                match first_slot_of_root.get(&root) {
                    Some(&other) => {
                        let (a, b) = (find(&mut parent, other), find(&mut parent, slot_index));
                        parent[a.max(b)] = a.min(b);
                    }
                    None => {
                        first_slot_of_root.insert(root, slot_index);
                    }
                }
            }
        }
    }
    let mut groups: HashMap<usize, Vec<usize>> = HashMap::new();
    for (slot_index, slot) in slots.iter().enumerate() {
        let root = find(&mut parent, slot_index);
        groups.entry(root).or_default().extend(&slot.members);
    }
    let mut groups: Vec<Vec<usize>> = groups.into_values().collect();
    groups.sort();
    groups
}

/// What orders reports and names events: the report's source (a content address),
/// the fingerprint of what it says, and its place among the reports of that source
/// that say the same. It depends only on content, never on the order in which files
/// were received (ledger numbers do), so the same files give the same events and ids
/// whatever order they were ingested in (issue 13).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct ContentKey<'a> {
    source: &'a str,
    fingerprint: u64,
    occurrence: u32,
}

/// The content key of every report of a block. Reports of one source that say the
/// same thing are told apart by their order within that source, which was fixed when
/// the source was read (they share a block: same day, same place).
pub(crate) fn content_keys<'a>(reports: &[&'a Report]) -> HashMap<ReportId, ContentKey<'a>> {
    let mut ordered: Vec<(&'a str, u64, ReportId)> = reports
        .iter()
        .filter_map(|r| {
            Some((
                r.source_id.0.as_str(),
                normalize::report_fingerprint(r),
                r.id?,
            ))
        })
        .collect();
    ordered.sort_unstable();
    let mut keys = HashMap::with_capacity(ordered.len());
    let mut previous: Option<(&str, u64)> = None;
    let mut occurrence = 0u32;
    for (source, fingerprint, id) in ordered {
        occurrence = if previous == Some((source, fingerprint)) {
            occurrence + 1
        } else {
            0
        };
        previous = Some((source, fingerprint));
        keys.insert(
            id,
            ContentKey {
                source,
                fingerprint,
                occurrence,
            },
        );
    }
    keys
}

/// Builds an event from its reports: range, provenance of each bound, and the
/// description most of its reports give. Members are taken in content-key order.
pub(crate) fn build_event(
    mut members: Vec<&Report>,
    keys: &HashMap<ReportId, ContentKey<'_>>,
) -> Event {
    let key = |r: &Report| r.id.and_then(|id| keys.get(&id)).cloned();
    members.sort_by_cached_key(|r| key(r));
    let anchor = members[0];
    // The anchor's content key: the same whatever the order of receipt, and two events
    // never share an id even when their first reports read the same.
    let anchor_key = key(anchor);
    let id = EventId(format!(
        "ev-{:016x}",
        normalize::fnv1a(&[
            &anchor_key
                .as_ref()
                .map_or_else(|| normalize::report_fingerprint(anchor), |k| k.fingerprint)
                .to_le_bytes(),
            &anchor_key.map_or(0, |k| k.occurrence).to_le_bytes(),
        ])
    ));
    let date = members.iter().filter_map(|r| r.date).min();
    let place = members
        .iter()
        .find(|r| {
            r.place
                .resolved
                .as_ref()
                .is_some_and(|p| p.locality.is_some())
        })
        .unwrap_or(&anchor)
        .place
        .clone();

    let mut low: Option<(&Estimate, ReportId)> = None;
    let mut high: Option<(&Estimate, ReportId)> = None;
    for report in &members {
        let report_id = report.id.expect("linked reports have ids");
        for estimate in report.event_estimates() {
            if low.map_or(true, |(e, _)| estimate.low() < e.low()) {
                low = Some((estimate, report_id));
            }
            if high.map_or(true, |(e, _)| estimate.high() > e.high()) {
                high = Some((estimate, report_id));
            }
        }
    }
    let title = most_common(members.iter().map(|r| r.title.as_deref()))
        .or_else(|| headline_title(&members, &place));
    Event {
        id,
        date,
        place,
        event_type: most_common(members.iter().map(|r| r.event_type.as_deref())),
        title,
        organizers: most_common(members.iter().map(|r| r.organizers.as_deref())),
        reports: {
            let mut ids: Vec<ReportId> = members.iter().filter_map(|r| r.id).collect();
            ids.sort_unstable();
            ids
        },
        size_low: low.map(|(e, _)| e.low()),
        size_high: high.map(|(e, _)| e.high()),
        low_from: low.map(|(_, r)| r),
        high_from: high.map(|(_, r)| r),
        coded_by_rule: matches!((low, high), (Some((l, _)), Some((h, _))) if l.coded_by_rule() && h.coded_by_rule()),
    }
}

/// The title of an event only articles tell of: the headline of a member report when
/// it names the event's own place ("Thousands rally in Austin" titles the Austin event,
/// never the Houston event of the same roundup). Linking never reads it; it is shown.
fn headline_title(members: &[&Report], place: &Place) -> Option<String> {
    let locality = place
        .resolved
        .as_ref()
        .and_then(|r| r.locality.as_deref())
        .or(place.locality.as_deref())?
        .to_lowercase();
    let names_place = |headline: &str| {
        let lower = headline.to_lowercase();
        lower.match_indices(&locality).any(|(at, _)| {
            let before = lower[..at].chars().next_back();
            let after = lower[at + locality.len()..].chars().next();
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        })
    };
    most_common(
        members
            .iter()
            .map(|r| r.headline.as_deref().filter(|h| names_place(h))),
    )
}

/// The most frequent non-empty value; ties go to the one seen first (in content-key order).
fn most_common<'a>(values: impl Iterator<Item = Option<&'a str>>) -> Option<String> {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for value in values.flatten().map(str::trim).filter(|v| !v.is_empty()) {
        match counts.iter_mut().find(|(v, _)| *v == value) {
            Some((_, n)) => *n += 1,
            None => counts.push((value, 1)),
        }
    }
    let mut best: Option<(&str, usize)> = None;
    for (value, n) in counts {
        if best.map_or(true, |(_, m)| n > m) {
            best = Some((value, n));
        }
    }
    best.map(|(v, _)| v.to_string())
}
