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
use rustc_hash::FxHashMap;
use std::cmp::Reverse;
use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use tally_model::{Date, Estimate, Event, EventId, Place, Report, ReportId};

/// The empty set of title words (a report without a significant title word).
const NO_WORDS: u32 = 0;
/// The empty set of batches.
const NO_BATCHES: u32 = 0;

/// The texts and sets of one block as small numbers (issue 12): slots compare, hash and
/// copy numbers instead of strings and sets of strings, and what a title, headline, type
/// or location detail says is worked out once per distinct text, not once per report.
/// Two numbers are equal exactly when the texts or sets they stand for are.
#[derive(Default)]
struct Vocabulary<'a> {
    /// Place keys, resolved place keys, type families and location details. Each is
    /// only ever compared with its own kind, so one table serves them all.
    texts: FxHashMap<String, u32>,
    words: Words,
    /// By title text: its set of words and the kind it names.
    titles: FxHashMap<&'a str, (u32, Option<&'static str>)>,
    headlines: FxHashMap<&'a str, u32>,
    families: FxHashMap<&'a str, Option<u32>>,
    details: FxHashMap<&'a str, Option<u32>>,
    sources: FxHashMap<&'a str, u32>,
    /// By batch name: its number and the set that holds only it.
    batches: FxHashMap<&'a str, (u32, u32)>,
    /// Sets of batch numbers; set [`NO_BATCHES`] is empty.
    batch_sets: NumberSets,
}

/// The number of `key` in `table`, a new one when it is not there yet.
fn number_of<K: std::hash::Hash + Eq>(table: &mut FxHashMap<K, u32>, key: K) -> u32 {
    let next = table.len() as u32;
    *table.entry(key).or_insert(next)
}

/// Sets of numbers (sorted), each numbered once; set 0 is the empty set.
struct NumberSets {
    sets: Vec<Vec<u32>>,
    number_of: FxHashMap<Vec<u32>, u32>,
}

impl Default for NumberSets {
    fn default() -> Self {
        NumberSets {
            sets: vec![Vec::new()],
            number_of: std::iter::once((Vec::new(), 0)).collect(),
        }
    }
}

impl NumberSets {
    /// The number of a sorted set.
    fn number(&mut self, members: Vec<u32>) -> u32 {
        let next = self.sets.len() as u32;
        match self.number_of.entry(members) {
            std::collections::hash_map::Entry::Occupied(e) => *e.get(),
            std::collections::hash_map::Entry::Vacant(e) => {
                self.sets.push(e.key().clone());
                e.insert(next);
                next
            }
        }
    }

    fn members(&self, set: u32) -> &[u32] {
        &self.sets[set as usize]
    }
}

/// Title words by number, and sets of them; set [`NO_WORDS`] is empty.
#[derive(Default)]
struct Words {
    numbers: FxHashMap<String, u32>,
    sets: NumberSets,
}

impl Words {
    /// The number of a set of title words ([`normalize::title_tokens`]).
    fn set(&mut self, words: BTreeSet<String>) -> u32 {
        let mut numbers: Vec<u32> = words
            .into_iter()
            .map(|w| number_of(&mut self.numbers, w))
            .collect();
        numbers.sort_unstable();
        self.sets.number(numbers)
    }
}

impl<'a> Vocabulary<'a> {
    fn text(&mut self, text: String) -> u32 {
        number_of(&mut self.texts, text)
    }

    fn words_of(&self, set: u32) -> &[u32] {
        self.words.sets.members(set)
    }

    fn title(&mut self, title: Option<&'a str>) -> (u32, Option<&'static str>) {
        let Some(text) = title else {
            return (NO_WORDS, None);
        };
        let words = &mut self.words;
        *self.titles.entry(text).or_insert_with(|| {
            let set = words.set(normalize::title_tokens(Some(text)));
            (set, normalize::title_kind(Some(text)))
        })
    }

    fn headline(&mut self, headline: Option<&'a str>) -> u32 {
        let Some(text) = headline else {
            return NO_WORDS;
        };
        let words = &mut self.words;
        *self
            .headlines
            .entry(text)
            .or_insert_with(|| words.set(normalize::title_tokens(Some(text))))
    }

    fn family(&mut self, event_type: Option<&'a str>) -> Option<u32> {
        let text = event_type?;
        let texts = &mut self.texts;
        *self.families.entry(text).or_insert_with(|| {
            normalize::type_family(Some(text)).map(|family| number_of(texts, family))
        })
    }

    fn detail(&mut self, detail: Option<&'a str>) -> Option<u32> {
        let text = detail?;
        let texts = &mut self.texts;
        *self.details.entry(text).or_insert_with(|| {
            let words = normalize::normalize_words(text).join(" ");
            (!words.is_empty()).then(|| number_of(texts, words))
        })
    }

    /// A batch's number and the set that holds only it.
    fn batch(&mut self, name: &'a str) -> (u32, u32) {
        let number = self.batches.len() as u32;
        let sets = &mut self.batch_sets;
        *self
            .batches
            .entry(name)
            .or_insert_with(|| (number, sets.number(vec![number])))
    }

    fn holds_batch(&self, set: u32, batch: u32) -> bool {
        self.batch_sets.members(set).binary_search(&batch).is_ok()
    }

    /// The set `set` with `batch` added.
    fn with_batch(&mut self, set: u32, batch: u32) -> u32 {
        let members = self.batch_sets.members(set);
        match members.binary_search(&batch) {
            Ok(_) => set,
            Err(at) => {
                let mut grown = members.to_vec();
                grown.insert(at, batch);
                self.batch_sets.number(grown)
            }
        }
    }

    /// [`normalize::titles_compatible`] of two sets of title words.
    fn titles_compatible(&self, a: u32, b: u32) -> bool {
        a == b || {
            let (a, b) = (self.words_of(a), self.words_of(b));
            normalize::word_counts_compatible(shared_count(a, b), a.len(), b.len())
        }
    }

    /// True when every word of set `a` is in set `b`.
    fn is_subset(&self, a: u32, b: u32) -> bool {
        let a = self.words_of(a);
        shared_count(a, self.words_of(b)) == a.len()
    }
}

/// How many numbers two sorted lists share.
fn shared_count(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut shared) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    shared
}

/// What linking looks at in one report, computed once; texts and sets as the numbers
/// of the block's [`Vocabulary`].
struct Item<'a> {
    report: &'a Report,
    id: ReportId,
    date: Option<Date>,
    place_key: u32,
    /// True for "Mira Mesa (San Diego)" or "St. Paul/Minneapolis": a sub-place or a joint
    /// place that distance and resolution must not fold into its neighbour.
    compound_place: bool,
    resolved_key: Option<u32>,
    point: Option<(f64, f64)>,
    /// The significant words of the title, as a set number ([`NO_WORDS`]: none).
    title: u32,
    /// The words of an article's headline: a hint for choosing among the events of a
    /// place and day, never a reason to keep a report apart from them.
    headline: u32,
    /// The report has a title (any words at all, generic ones included).
    titled: bool,
    /// The distinct kind (parade, vigil, strike, counter-protest) the title names, if any.
    title_kind: Option<&'static str>,
    family: Option<u32>,
    batch: Option<&'a str>,
    /// The batch's number and the set that holds only it.
    batch_number: Option<(u32, u32)>,
    source: u32,
    detail: Option<u32>,
    /// The log of the middle of the report's event-scope figures, when it has one.
    log_size: Option<f64>,
    max_high: u64,
    split: bool,
}

impl<'a> Item<'a> {
    fn new(report: &'a Report, plan: &DecisionPlan, vocabulary: &mut Vocabulary<'a>) -> Item<'a> {
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
        let (title, title_kind) = vocabulary.title(report.title.as_deref());
        Item {
            report,
            id,
            date: report.date,
            place_key: vocabulary.text(crate::linker::source_place_key(place)),
            compound_place: source_locality.contains('(') || source_locality.contains('/'),
            resolved_key: crate::linker::resolved_place_key(place).map(|k| vocabulary.text(k)),
            point: normalize::point(place),
            title,
            headline: vocabulary.headline(report.headline.as_deref()),
            titled: report
                .title
                .as_deref()
                .is_some_and(|t| !t.trim().is_empty()),
            title_kind,
            family: vocabulary.family(report.event_type.as_deref()),
            batch: report.batch.as_deref(),
            batch_number: report.batch.as_deref().map(|b| vocabulary.batch(b)),
            source: number_of(&mut vocabulary.sources, report.source_id.0.as_str()),
            detail: vocabulary.detail(report.location_detail.as_deref()),
            log_size,
            max_high: high,
            split: plan.is_split(id),
        }
    }
}

/// An event being built.
struct Slot {
    members: Vec<usize>,
    date: Option<Date>,
    place_key: u32,
    compound_place: bool,
    resolved_key: Option<u32>,
    point: Option<(f64, f64)>,
    title: u32,
    titled: bool,
    title_kind: Option<&'static str>,
    family: Option<u32>,
    /// The batches of the members, as a set number.
    batches: u32,
    detail: Option<u32>,
    log_size: Option<f64>,
    max_high: u64,
    closed: bool,
}

impl Slot {
    fn open(index: usize, item: &Item<'_>) -> Slot {
        Slot {
            members: vec![index],
            date: item.date,
            place_key: item.place_key,
            compound_place: item.compound_place,
            resolved_key: item.resolved_key,
            point: item.point,
            title: item.title,
            titled: item.titled,
            title_kind: item.title_kind,
            family: item.family,
            batches: item.batch_number.map_or(NO_BATCHES, |(_, alone)| alone),
            detail: item.detail,
            log_size: item.log_size,
            max_high: item.max_high,
            // A split report stands alone: nothing joins it automatically.
            closed: item.split,
        }
    }

    fn add(&mut self, index: usize, item: &Item<'_>, vocabulary: &mut Vocabulary<'_>) {
        self.members.push(index);
        if self.title == NO_WORDS {
            self.title = item.title;
        }
        if !self.titled && item.titled {
            self.titled = true;
            self.title_kind = item.title_kind;
        }
        if self.family.is_none() {
            self.family = item.family;
        }
        if self.detail.is_none() {
            self.detail = item.detail;
        }
        if self.log_size.is_none() {
            self.log_size = item.log_size;
        }
        if let Some((batch, _)) = item.batch_number {
            self.batches = vocabulary.with_batch(self.batches, batch);
        }
        self.max_high = self.max_high.max(item.max_high);
    }

    /// The score of `item` joining this slot, or `None` when it may not: one source's
    /// reports are distinct gatherings (an article gives one report per place and day),
    /// so they never share an event.
    #[cfg(test)]
    fn score(
        &self,
        item: &Item<'_>,
        items: &[Item<'_>],
        vocabulary: &Vocabulary<'_>,
        config: &LinkConfig,
    ) -> Option<i64> {
        if self.members.iter().any(|&m| items[m].source == item.source) {
            return None;
        }
        Some(self.shared_score(item, vocabulary, config, true)? + self.size_score(item))
    }

    /// The part of the score that depends only on what the slot's [`SlotKey`] holds, so
    /// that every slot of one bucket shares it; `None` when `item` may not join. The
    /// rest is [`Slot::size_score`], and a source already in the slot keeps `item` out.
    ///
    /// Without `with_title`, the slot's title is not looked at: for an untitled item it
    /// only adds the headline's points, so the score is then a lower bound shared by
    /// slots that differ only in title.
    fn shared_score(
        &self,
        item: &Item<'_>,
        vocabulary: &Vocabulary<'_>,
        config: &LinkConfig,
        with_title: bool,
    ) -> Option<i64> {
        if self.closed || item.split {
            return None;
        }
        if item
            .batch_number
            .is_some_and(|(b, _)| vocabulary.holds_batch(self.batches, b))
        {
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
        if let (Some(a), Some(b)) = (self.family, item.family) {
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
        let titled = item.title != NO_WORDS;
        if titled && self.title != NO_WORDS && !vocabulary.titles_compatible(self.title, item.title)
        {
            return None;
        }
        let mut score = 0;
        if same_day {
            score += 1000;
        }
        if titled && self.title == item.title {
            score += 200;
        } else if titled && self.title != NO_WORDS {
            score += 100;
        } else if with_title
            && !titled
            && self.title != NO_WORDS
            && vocabulary.is_subset(self.title, item.headline)
        {
            // "Military parade draws thousands" names the parade among that day's events.
            score += 100;
        }
        if same_place_text {
            score += 50;
        }
        match (self.detail, item.detail) {
            (Some(a), Some(b)) if a == b => score += 40,
            (Some(_), Some(_)) => score -= 40,
            _ => {}
        }
        Some(score)
    }

    /// How close the sizes are, for a titled report or a curated row: 20 for the same
    /// size, down to 0 for sizes e² apart or more.
    #[cfg(test)]
    fn size_score(&self, item: &Item<'_>) -> i64 {
        if item.title != NO_WORDS || item.batch.is_some() {
            if let (Some(a), Some(b)) = (self.log_size, item.log_size) {
                return size_points(a, b);
            }
        }
        0
    }
}

fn size_points(a: f64, b: f64) -> i64 {
    (20.0 - (10.0 * (a - b).abs()).min(20.0)) as i64
}

/// True when [`link_block`] makes each report of `reports` an event of its own without
/// scoring: a report alone in its block (most blocks of a big file), or rows of one
/// curated batch, none of them in a reviewer's merge (rows of one batch never merge with
/// each other, and scoring would reach the same answer slot by slot).
pub(crate) fn each_its_own_event(reports: &[&Report], plan: &DecisionPlan) -> bool {
    if let [_] = reports {
        return true;
    }
    let Some(batch) = reports.first().and_then(|r| r.batch.as_deref()) else {
        return false;
    };
    reports.iter().all(|r| {
        r.batch.as_deref() == Some(batch) && r.id.is_some_and(|id| plan.merge_root(id).is_none())
    })
}

/// The id of the event each report of `block` anchors when it is an event of its own
/// (see [`each_its_own_event`]): those events' ids, without building them (issue 12).
pub(crate) fn own_event_ids(block: &[&Report]) -> Vec<(ReportId, EventId)> {
    content_keys(block)
        .iter()
        .map(|(id, key)| (*id, event_id(key)))
        .collect()
}

/// Links the reports of one block into events.
pub(crate) fn link_block(
    reports: &[&Report],
    plan: &DecisionPlan,
    config: &LinkConfig,
) -> Vec<Event> {
    if each_its_own_event(reports, plan) {
        let keys = content_keys(reports);
        return reports
            .iter()
            .map(|r| build_event(vec![*r], &keys))
            .collect();
    }
    let keys = content_keys(reports);
    let mut vocabulary = Vocabulary::default();
    let items = ordered_items(reports, plan, &keys, &mut vocabulary);
    let slots = assign(&items, &mut vocabulary, config);

    let groups = apply_merges(&slots, &items, plan);
    groups
        .into_iter()
        .map(|members| build_event(members.iter().map(|&m| items[m].report).collect(), &keys))
        .collect()
}

/// The block's reports as items, in the order they are assigned: curated rows first
/// (the largest batch first), then titled reports, then untitled ones; by day and
/// content key within each.
fn ordered_items<'a>(
    reports: &[&'a Report],
    plan: &DecisionPlan,
    keys: &HashMap<ReportId, ContentKey<'a>>,
    vocabulary: &mut Vocabulary<'a>,
) -> Vec<Item<'a>> {
    let mut items: Vec<Item<'a>> = reports
        .iter()
        .map(|r| Item::new(r, plan, vocabulary))
        .collect();
    let mut batch_sizes: HashMap<&'a str, usize> = HashMap::new();
    for item in &items {
        if let Some(batch) = item.batch {
            *batch_sizes.entry(batch).or_default() += 1;
        }
    }
    // The batches in the order their rows come: the largest first, then by name.
    let mut batches: Vec<(&str, usize)> = batch_sizes.into_iter().collect();
    batches.sort_unstable_by_key(|&(name, size)| (Reverse(size), name));
    let batch_order: HashMap<&str, u32> = batches
        .iter()
        .enumerate()
        .map(|(order, &(name, _))| (name, order as u32))
        .collect();
    // Numbers only: the batch's place in that order (reports without one last), and
    // the content key's rank, which orders as the key does.
    items.sort_by_cached_key(|i| {
        (
            i.batch.map_or(u32::MAX, |b| batch_order[b]),
            i.title == NO_WORDS,
            i.date,
            keys[&i.id].rank,
        )
    });
    items
}

/// Assigns each item, in order, to the best slot it may join (higher score, then the
/// bigger event, then more reports, then the older slot), or opens a new one.
///
/// The answer is the one a scan of every slot would give ([`assign_by_scan`], kept
/// beside it and compared in the tests), found without the scan (issue 12): slots are
/// filed in [`Bucket`]s of the same [`SlotKey`], whose shared score is computed once per
/// bucket, and inside a bucket the best slot is read from two orders (by size, and by
/// rank). A titled report only looks at buckets whose title shares a word with its own
/// (no other title is compatible) and at untitled ones; an untitled report looks at the
/// buckets grouped without their titles, and at those whose title its headline names.
fn assign(items: &[Item<'_>], vocabulary: &mut Vocabulary<'_>, config: &LinkConfig) -> Vec<Slot> {
    let mut slots: Vec<Slot> = Vec::new();
    let mut index = SlotIndex::default();
    // By source number: the slots that hold one of its reports, in order. One source's
    // reports are distinct gatherings (an article gives one report per place and day),
    // so they never share an event.
    let mut slots_of_source: Vec<Vec<usize>> = vec![Vec::new(); vocabulary.sources.len()];
    for (position, item) in items.iter().enumerate() {
        let mut best: Option<(i64, u64, usize, Reverse<usize>)> = None;
        let taken = &slots_of_source[item.source as usize];
        let mut consider = |bucket: &Bucket, with_title: bool| {
            let Some(&(_, _, key_slot)) = bucket.by_rank.first() else {
                return;
            };
            let Some(shared) = slots[key_slot].shared_score(item, vocabulary, config, with_title)
            else {
                return;
            };
            let Some((extra, slot_index)) = bucket.best_for(item, taken) else {
                return;
            };
            let slot = &slots[slot_index];
            let candidate = (
                shared + extra,
                slot.max_high,
                slot.members.len(),
                Reverse(slot_index),
            );
            if best.is_none_or(|b| candidate > b) {
                best = Some(candidate);
            }
        };
        let stamp = position + 1;
        if item.title != NO_WORDS {
            for &b in &index.untitled_buckets {
                consider(&index.buckets[b], true);
            }
            for token in vocabulary.words_of(item.title) {
                for &b in index.by_token.get(token).into_iter().flatten() {
                    if index.seen[b] != stamp {
                        index.seen[b] = stamp;
                        consider(&index.buckets[b], true);
                    }
                }
            }
        } else {
            for group in &index.groups {
                consider(group, false);
            }
            for token in vocabulary.words_of(item.headline) {
                for &b in index.by_token.get(token).into_iter().flatten() {
                    if index.seen[b] != stamp {
                        index.seen[b] = stamp;
                        consider(&index.buckets[b], true);
                    }
                }
            }
        }
        let slot_index = match best {
            Some((_, _, _, Reverse(slot_index))) => {
                index.unfile(&slots, slot_index);
                slots[slot_index].add(position, item, vocabulary);
                slot_index
            }
            None => {
                slots.push(Slot::open(position, item));
                slots.len() - 1
            }
        };
        index.file(&slots, slot_index, vocabulary);
        let taken = &mut slots_of_source[item.source as usize];
        if let Err(at) = taken.binary_search(&slot_index) {
            taken.insert(at, slot_index);
        }
    }
    slots
}

/// What a slot's shared score depends on (see [`Slot::shared_score`]): slots with the
/// same key score the same against any report, apart from size and sources. All
/// numbers, so it is copied and hashed cheaply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct SlotKey {
    closed: bool,
    date: Option<Date>,
    place_key: u32,
    compound_place: bool,
    resolved_key: Option<u32>,
    point: Option<(u64, u64)>,
    title: u32,
    titled: bool,
    title_kind: Option<&'static str>,
    family: Option<u32>,
    detail: Option<u32>,
    batches: u32,
}

impl SlotKey {
    fn of(slot: &Slot) -> SlotKey {
        SlotKey {
            closed: slot.closed,
            date: slot.date,
            place_key: slot.place_key,
            compound_place: slot.compound_place,
            resolved_key: slot.resolved_key,
            point: slot.point.map(|(lat, lon)| (lat.to_bits(), lon.to_bits())),
            title: slot.title,
            titled: slot.titled,
            title_kind: slot.title_kind,
            family: slot.family,
            detail: slot.detail,
            batches: slot.batches,
        }
    }

    /// The key of the slot's group: the same without the title.
    fn untitled(self) -> SlotKey {
        SlotKey {
            title: NO_WORDS,
            ..self
        }
    }
}

/// A slot's rank among slots of equal score: the bigger event, then more reports, then
/// the older slot; smallest first.
type Rank = (Reverse<u64>, Reverse<usize>, usize);

fn rank(slot: &Slot, index: usize) -> Rank {
    (Reverse(slot.max_high), Reverse(slot.members.len()), index)
}

/// Where the slots are filed: by [`SlotKey`] (buckets, reachable by the words of their
/// title), and by the same key without the title (groups, for untitled reports).
#[derive(Default)]
struct SlotIndex {
    buckets: Vec<Bucket>,
    bucket_of: FxHashMap<SlotKey, usize>,
    /// By word number: the buckets whose title holds the word.
    by_token: FxHashMap<u32, Vec<usize>>,
    untitled_buckets: Vec<usize>,
    /// The last item that looked at each bucket, plus one.
    seen: Vec<usize>,
    groups: Vec<Bucket>,
    group_of: FxHashMap<SlotKey, usize>,
}

impl SlotIndex {
    fn file(&mut self, slots: &[Slot], index: usize, vocabulary: &Vocabulary<'_>) {
        let slot = &slots[index];
        let key = SlotKey::of(slot);
        let bucket = match self.bucket_of.get(&key) {
            Some(&b) => b,
            None => {
                let b = self.buckets.len();
                if key.title == NO_WORDS {
                    self.untitled_buckets.push(b);
                }
                for &token in vocabulary.words_of(key.title) {
                    self.by_token.entry(token).or_default().push(b);
                }
                self.buckets.push(Bucket::default());
                self.seen.push(0);
                self.bucket_of.insert(key, b);
                b
            }
        };
        self.buckets[bucket].insert(slot, index);
        let groups = &mut self.groups;
        let group = *self.group_of.entry(key.untitled()).or_insert_with(|| {
            groups.push(Bucket::default());
            groups.len() - 1
        });
        self.groups[group].insert(slot, index);
    }

    /// Takes slot `index` out, before the slot changes.
    fn unfile(&mut self, slots: &[Slot], index: usize) {
        let slot = &slots[index];
        let key = SlotKey::of(slot);
        self.buckets[self.bucket_of[&key]].remove(slot, index);
        self.groups[self.group_of[&key.untitled()]].remove(slot, index);
    }
}

/// Slots that score alike, in two orders.
#[derive(Debug, Default)]
struct Bucket {
    /// Slots with a size, by the bits of their log size (non-negative, so the bits sort
    /// as the numbers do), then by rank: a walk over the sizes steps from one size to
    /// the next without searching the tree again.
    by_size: BTreeMap<u64, BTreeSet<Rank>>,
    /// Every slot, by rank.
    by_rank: BTreeSet<Rank>,
}

impl Bucket {
    fn insert(&mut self, slot: &Slot, index: usize) {
        let r = rank(slot, index);
        if let Some(log_size) = slot.log_size {
            self.by_size
                .entry(log_size.to_bits())
                .or_default()
                .insert(r);
        }
        self.by_rank.insert(r);
    }

    fn remove(&mut self, slot: &Slot, index: usize) {
        let r = rank(slot, index);
        if let Some(log_size) = slot.log_size {
            if let Entry::Occupied(mut of_size) = self.by_size.entry(log_size.to_bits()) {
                of_size.get_mut().remove(&r);
                if of_size.get().is_empty() {
                    of_size.remove();
                }
            }
        }
        self.by_rank.remove(&r);
    }

    /// The best slot of the bucket for `item` and its size score: the highest size
    /// score, then the best rank, among slots that hold none of the item's source.
    ///
    /// `taken` lists, in order, the slots that hold a report of the item's source.
    fn best_for(&self, item: &Item<'_>, taken: &[usize]) -> Option<(i64, usize)> {
        let excluded = |slot: usize| !taken.is_empty() && taken.binary_search(&slot).is_ok();
        let sized = item.title != NO_WORDS || item.batch.is_some();
        if let (true, Some(b)) = (sized, item.log_size) {
            // Walk the sizes outward from the item's own; the size score only falls, so
            // the walk stops at the first size that scores less than the best found.
            let mut upward = self.by_size.range(b.to_bits()..);
            let mut downward = self.by_size.range(..b.to_bits()).rev();
            let (mut up, mut down) = (upward.next(), downward.next());
            let mut best: Option<(i64, Rank)> = None;
            loop {
                let ((&bits, of_size), is_up) = match (up, down) {
                    (Some(u), Some(d)) => {
                        let above = f64::from_bits(*u.0) - b;
                        let below = b - f64::from_bits(*d.0);
                        if above <= below {
                            (u, true)
                        } else {
                            (d, false)
                        }
                    }
                    (Some(u), None) => (u, true),
                    (None, Some(d)) => (d, false),
                    (None, None) => break,
                };
                let points = size_points(f64::from_bits(bits), b);
                if points <= 0 || best.is_some_and(|(p, _)| points < p) {
                    break;
                }
                // The first slot of this size that the item may join is the best of it.
                if let Some(&r) = of_size.iter().find(|r| !excluded(r.2)) {
                    // Higher points first, then the smaller rank.
                    if best.is_none_or(|(p, br)| (points, Reverse(r)) > (p, Reverse(br))) {
                        best = Some((points, r));
                    }
                }
                if is_up {
                    up = upward.next();
                } else {
                    down = downward.next();
                }
            }
            if let Some((points, r)) = best {
                return Some((points, r.2));
            }
        }
        // Every slot left scores no size points: the best rank wins.
        self.by_rank
            .iter()
            .find(|r| !excluded(r.2))
            .map(|r| (0, r.2))
    }
}

/// A Texas town resolved exactly at (`lat`, `lon`), with no county: the place of the
/// generated reports of this crate's tests of blocks (here and in `held.rs`).
#[cfg(test)]
pub(crate) fn texas_town(name: &str, lat: f64, lon: f64) -> tally_model::ResolvedPlace {
    tally_model::ResolvedPlace {
        locality: Some(name.to_string()),
        county: None,
        fips: None,
        state: "TX".parse().unwrap(),
        lat: Some(lat),
        lon: Some(lon),
        population: None,
        confidence: tally_model::Confidence::Exact,
    }
}

/// The assignment by a scan of every slot: the rule as written, which [`assign`] must
/// reproduce.
#[cfg(test)]
fn assign_by_scan(
    items: &[Item<'_>],
    vocabulary: &mut Vocabulary<'_>,
    config: &LinkConfig,
) -> Vec<Slot> {
    let mut slots: Vec<Slot> = Vec::new();
    for (index, item) in items.iter().enumerate() {
        let mut best: Option<(i64, u64, usize, Reverse<usize>)> = None;
        for (slot_index, slot) in slots.iter().enumerate() {
            let Some(score) = slot.score(item, items, vocabulary, config) else {
                continue;
            };
            let candidate = (
                score,
                slot.max_high,
                slot.members.len(),
                Reverse(slot_index),
            );
            if best.is_none_or(|b| candidate > b) {
                best = Some(candidate);
            }
        }
        match best {
            Some((_, _, _, Reverse(slot_index))) => slots[slot_index].add(index, item, vocabulary),
            None => slots.push(Slot::open(index, item)),
        }
    }
    slots
}

/// Joins the slots that hold reports of one reviewer merge.
fn apply_merges(slots: &[Slot], items: &[Item<'_>], plan: &DecisionPlan) -> Vec<Vec<usize>> {
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
    /// The key's place among the block's keys in the order of the fields above (which
    /// tell every report of a block apart), for sorting by a number.
    rank: u32,
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
    for (rank, (source, fingerprint, id)) in ordered.into_iter().enumerate() {
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
                rank: rank as u32,
            },
        );
    }
    keys
}

/// The id of the event whose anchor (first member in content-key order) has this key.
fn event_id(key: &ContentKey<'_>) -> EventId {
    event_id_of(key.fingerprint, key.occurrence)
}

fn event_id_of(fingerprint: u64, occurrence: u32) -> EventId {
    EventId(format!("ev-{:016x}", event_number(fingerprint, occurrence)))
}

/// The number an event id writes in hex after `ev-`: its anchor's fingerprint and
/// occurrence, hashed.
pub(crate) fn event_number(fingerprint: u64, occurrence: u32) -> u64 {
    normalize::fnv1a(&[&fingerprint.to_le_bytes(), &occurrence.to_le_bytes()])
}

/// Every id the events of `block` can have when it is linked on its own: each event is
/// named after one of its reports (see [`build_event`]), so the block's events are among
/// these, one id per report (issue 12: the stored events of a block are read by these
/// ids instead of linking the block again).
pub(crate) fn possible_event_ids(block: &[&Report]) -> Vec<EventId> {
    content_keys(block).values().map(event_id).collect()
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
    // The event is named after its first member in content-key order that is not an
    // article's report (an article's report has a headline), else its first: an
    // article's figure that joins an event of its place and day never renames it
    // (issue 9, item 4), and the name is still the same whatever the order of receipt.
    // The anchor's content key: two events never share an id even when their first
    // reports read the same.
    let named_after = members
        .iter()
        .find(|r| r.headline.is_none())
        .unwrap_or(&anchor);
    let id = match key(named_after) {
        Some(anchor_key) => event_id(&anchor_key),
        None => event_id_of(normalize::report_fingerprint(named_after), 0),
    };
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
    let locality = headline_locality(place)?;
    most_common(
        members
            .iter()
            .map(|r| r.headline.as_deref().filter(|h| names_place(h, &locality))),
    )
}

/// The locality a headline must name to title an event at `place`, lowercased.
pub(crate) fn headline_locality(place: &Place) -> Option<String> {
    Some(
        place
            .resolved
            .as_ref()
            .and_then(|r| r.locality.as_deref())
            .or(place.locality.as_deref())?
            .to_lowercase(),
    )
}

/// True when `headline` names `locality` (lowercased) as a whole word or words.
pub(crate) fn names_place(headline: &str, locality: &str) -> bool {
    let lower = headline.to_lowercase();
    lower.match_indices(locality).any(|(at, _)| {
        let before = lower[..at].chars().next_back();
        let after = lower[at + locality.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Decision;
    use proptest::prelude::*;
    use tally_model::Place;

    const PLACES: &[(&str, f64, f64)] = &[
        ("Austin", 30.2672, -97.7431),
        ("Westlake", 30.2800, -97.7600),
        ("Mueller (Austin)", 30.2980, -97.7050),
    ];
    const TITLES: &[Option<&str>] = &[
        Some("No Kings"),
        Some("No Kings rally"),
        Some("Pride parade"),
        Some("Hands Off Austin"),
        Some("Hands Off"),
        None,
    ];
    const TYPES: &[Option<&str>] = &[Some("protest"), Some("march"), Some("vigil"), None];
    const DETAILS: &[Option<&str>] = &[Some("Capitol"), Some("City Hall"), None];

    type Row = (
        usize,
        usize,
        usize,
        usize,
        bool,
        Option<u64>,
        Option<u8>,
        u8,
        bool,
    );

    fn build(rows: &[Row]) -> Vec<Report> {
        rows.iter()
            .enumerate()
            .map(
                |(i, &(place, title, kind, detail, late, size, batch, source, headline))| {
                    let (name, lat, lon) = PLACES[place];
                    let mut r = Report::new(
                        tally_model::SourceId(format!("s{source}")),
                        Place::from_parts(Some(name), Some("TX".parse().unwrap())),
                        "2025-06-20T00:00:00Z".parse().unwrap(),
                    );
                    r.id = Some(ReportId(i as i64 + 1));
                    r.date = Some(
                        if late { "2025-06-15" } else { "2025-06-14" }
                            .parse()
                            .unwrap(),
                    );
                    r.place.resolved = Some(texas_town(name, lat, lon));
                    r.title = TITLES[title].map(str::to_string);
                    r.event_type = TYPES[kind].map(str::to_string);
                    r.location_detail = DETAILS[detail].map(str::to_string);
                    // Sizes from a few values, so that many slots share one.
                    if let Some(size) = size {
                        r.estimates
                            .push(Estimate::range(size * 100, size * 100 + size % 3 * 50).unwrap());
                    }
                    r.batch = batch.map(|b| format!("batch-{b}"));
                    if headline && r.batch.is_none() {
                        r.headline = r.title.take().map(|t| format!("{t} draws crowds"));
                    }
                    r
                },
            )
            .collect()
    }

    fn arb_rows() -> impl Strategy<Value = Vec<Row>> {
        prop::collection::vec(
            (
                0..PLACES.len(),
                0..TITLES.len(),
                0..TYPES.len(),
                0..DETAILS.len(),
                prop::bool::weighted(0.2),
                prop::option::of(1u64..30),
                prop::option::of(0u8..3),
                0u8..40,
                prop::bool::weighted(0.2),
            ),
            0..120,
        )
    }

    fn memberships(slots: &[Slot]) -> Vec<Vec<usize>> {
        slots.iter().map(|s| s.members.clone()).collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn issue_12_indexed_assignment_equals_the_scan(rows in arb_rows(), split in prop::option::of(1i64..120)) {
            let reports = build(&rows);
            let decisions: Vec<Decision> =
                split.map(|id| Decision::Split { report: ReportId(id) }).into_iter().collect();
            let plan = DecisionPlan::new(&decisions);
            let refs: Vec<&Report> = reports.iter().collect();
            let keys = content_keys(&refs);
            let mut vocabulary = Vocabulary::default();
            let items = ordered_items(&refs, &plan, &keys, &mut vocabulary);
            let config = LinkConfig::default();
            let indexed = assign(&items, &mut vocabulary, &config);
            let scanned = assign_by_scan(&items, &mut vocabulary, &config);
            prop_assert_eq!(memberships(&indexed), memberships(&scanned));
        }
    }
}
