//! A file's new reports held for linking in a compact form, and linked a block at a
//! time (issue 12: a million-row ingest in under 1 GB).
//!
//! An ingest keeps every new report until the whole file is stored, because a report's
//! block is known only once every report is in. Held as whole [`Report`]s that was about
//! a kilobyte each; [`HeldReports`] keeps only what linking reads (the report's id,
//! source, day, place, location detail, type, title, headline, organizers, batch and the
//! numbers of its estimates), with each distinct place and text stored once. A block's
//! reports are made whole again only while it is linked, and its events can be written
//! before the next block is built.
//!
//! What is deliberately absent: the wording of sizes (qualifiers, vague text), claims,
//! participants, arrests, publisher, URLs, notes, RSVP counts and event counts, which
//! linking never reads. The events are the ones [`crate::link_reports`] gives for the
//! same reports, with the same ids (tested below and in `tests/it/same_events.rs`).

use crate::block::link_block;
use crate::linker::{is_linkable_parts, merge_key, owned_and_probed_keys_of_day, PlaceKeys};
use crate::{DecisionPlan, LinkConfig};
use tally_model::pool::{NumberedEvent, PlacePool, TextPool, NO_TEXT};
use tally_model::{
    Attribution, Date, Estimate, Event, Place, Report, ReportId, Scope, SourceId, SourceKey,
    Timestamp,
};

/// What a held report keeps, with its texts as numbers into [`HeldReports`]'s tables.
#[derive(Debug, Clone)]
struct Row {
    id: ReportId,
    /// The source id: an index into [`HeldReports::addresses`], or with
    /// [`TEXT_SOURCE`] set, into [`HeldReports::text_source_ends`] (issue 12: a number
    /// of four bytes where a start and a form took sixteen, 56 bytes a row instead of
    /// 72: 16 MB of a million-row ingest's peak).
    source: u32,
    /// The report's receipt time, as a number into [`HeldReports::times`].
    received_at: u32,
    date: Option<Date>,
    place: u32,
    location_detail: u32,
    event_type: u32,
    title: u32,
    headline: u32,
    organizers: u32,
    batch: u32,
    /// The report's estimates: `estimates_len` of them from `estimates_start`.
    estimates_start: u32,
    estimates_len: u32,
}

/// The bit of [`Row::source`] that says the id is kept as text.
const TEXT_SOURCE: u32 = 1 << 31;

/// How a source id is kept in [`HeldReports`].
#[derive(Debug, Clone, Copy)]
enum SourceForm {
    /// A content address (64 lowercase hex digits) as its 32 bytes.
    Address,
    /// Any other id as its text.
    Text,
}

/// The 32 bytes of a content address written as 64 lowercase hex digits.
fn address_bytes(id: &str) -> Option<[u8; 32]> {
    let hex = id.as_bytes();
    if hex.len() != 64 {
        return None;
    }
    let digit = |b: u8| match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        _ => None,
    };
    let mut bytes = [0u8; 32];
    for (byte, pair) in bytes.iter_mut().zip(hex.chunks(2)) {
        *byte = digit(pair[0])? << 4 | digit(pair[1])?;
    }
    Some(bytes)
}

/// The numbers of an estimate, all that linking reads of it.
#[derive(Debug, Clone, Copy)]
struct HeldEstimate {
    low: u64,
    high: u64,
    attribution: Attribution,
    scope: Scope,
    coded_by_rule: bool,
}

/// New reports kept for linking, compactly (see the module's documentation).
#[derive(Debug, Default, Clone)]
pub struct HeldReports {
    rows: Vec<Row>,
    /// The rows' source ids that are content addresses, as their 32 bytes each, in the
    /// order pushed (mostly distinct, so numbering them would cost more than it saves).
    addresses: Vec<[u8; 32]>,
    /// The other source ids, as their texts one after the other, and where each ends.
    text_sources: Vec<u8>,
    text_source_ends: Vec<usize>,
    /// The receipt times met (a file's reports share one).
    times: Vec<Timestamp>,
    /// Each distinct text once (titles, types, details, organizers, headlines, batches).
    texts: TextPool,
    /// Each distinct place once.
    places: PlacePool,
    estimates: Vec<HeldEstimate>,
}

impl HeldReports {
    pub fn new() -> HeldReports {
        HeldReports::default()
    }

    /// Room for `additional` more reports without growing.
    pub fn reserve(&mut self, additional: usize) {
        self.rows.reserve(additional);
        self.addresses.reserve(additional);
        self.estimates.reserve(additional);
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Keeps what linking reads of `report`, stored under `id`.
    pub fn push(&mut self, report: &Report, id: ReportId) {
        // Rows are numbered by `u32` (blocks hold positions so): so are their sources.
        let source = match address_bytes(&report.source_id.0) {
            Some(bytes) => {
                self.addresses.push(bytes);
                (self.addresses.len() - 1) as u32
            }
            None => {
                self.text_sources
                    .extend_from_slice(report.source_id.0.as_bytes());
                self.text_source_ends.push(self.text_sources.len());
                (self.text_source_ends.len() - 1) as u32 | TEXT_SOURCE
            }
        };
        if self.times.last() != Some(&report.received_at) {
            self.times.push(report.received_at);
        }
        let place = self.places.number(&report.place);
        let estimates_start = self.estimates.len() as u32;
        self.estimates
            .extend(report.estimates.iter().map(|e| HeldEstimate {
                low: e.low(),
                high: e.high(),
                attribution: e.attribution(),
                scope: e.scope(),
                coded_by_rule: e.coded_by_rule(),
            }));
        let row = Row {
            id,
            source,
            received_at: (self.times.len() - 1) as u32,
            date: report.date,
            place,
            location_detail: self.text(report.location_detail.as_deref()),
            event_type: self.text(report.event_type.as_deref()),
            title: self.text(report.title.as_deref()),
            headline: self.text(report.headline.as_deref()),
            organizers: self.text(report.organizers.as_deref()),
            batch: self.text(report.batch.as_deref()),
            estimates_start,
            estimates_len: report.estimates.len() as u32,
        };
        self.rows.push(row);
    }

    fn text(&mut self, text: Option<&str>) -> u32 {
        self.texts.number(text)
    }

    fn text_of(&self, number: u32) -> Option<String> {
        self.texts.get(number).map(str::to_string)
    }

    fn estimates_of(&self, row: &Row) -> &[HeldEstimate] {
        let start = row.estimates_start as usize;
        &self.estimates[start..start + row.estimates_len as usize]
    }

    /// The report at `position` (in the order pushed), with what linking reads of it.
    pub fn report(&self, position: usize) -> Report {
        let row = &self.rows[position];
        let source = match self.source_bytes(row) {
            (SourceForm::Address, bytes) => {
                const DIGITS: &[u8; 16] = b"0123456789abcdef";
                let mut hex = [0u8; 64];
                for (pair, byte) in hex.chunks_exact_mut(2).zip(bytes) {
                    pair[0] = DIGITS[usize::from(byte >> 4)];
                    pair[1] = DIGITS[usize::from(byte & 15)];
                }
                std::str::from_utf8(&hex)
                    .expect("hex digits are text")
                    .to_string()
            }
            (SourceForm::Text, bytes) => {
                String::from_utf8(bytes.to_vec()).expect("held source ids are text")
            }
        };
        let mut report = Report::new(
            SourceId(source),
            self.places.get(row.place).clone(),
            self.times[row.received_at as usize],
        );
        report.id = Some(row.id);
        report.date = row.date;
        report.location_detail = self.text_of(row.location_detail);
        report.event_type = self.text_of(row.event_type);
        report.title = self.text_of(row.title);
        report.headline = self.text_of(row.headline);
        report.organizers = self.text_of(row.organizers);
        report.batch = self.text_of(row.batch);
        report.estimates = self
            .estimates_of(row)
            .iter()
            .map(|e| {
                Estimate::range(e.low, e.high)
                    .expect("held estimates were valid when pushed")
                    .with_attribution(e.attribution)
                    .with_scope(e.scope)
                    .with_coded_by_rule(e.coded_by_rule)
            })
            .collect();
        report
    }

    /// What a store's link rows hold of the held report at `position` (issue 12: a
    /// first ingest writes them from here rather than by a select over its stored
    /// rows).
    pub fn link_row(&self, position: usize) -> HeldLinkRow<'_> {
        let row = &self.rows[position];
        let source = match self.source_bytes(row) {
            (SourceForm::Address, bytes) => SourceKey::Address(bytes),
            (SourceForm::Text, bytes) => {
                SourceKey::Text(std::str::from_utf8(bytes).expect("held source ids are text"))
            }
        };
        HeldLinkRow {
            id: row.id,
            source,
            date: row.date,
            place: row.place,
            batch: self.texts.get(row.batch),
            title: self.texts.get(row.title),
            headline: self.texts.get(row.headline),
            event_type: self.texts.get(row.event_type),
            location_detail: self.texts.get(row.location_detail),
            organizers: self.texts.get(row.organizers),
            estimates: self.estimates_of(row),
        }
    }

    /// The distinct places of the held reports, by the numbers [`HeldLinkRow::place`]
    /// gives.
    pub fn places(&self) -> impl Iterator<Item = &Place> {
        self.places.iter()
    }

    /// Every held report, made whole again (for the incremental path, which reads the
    /// ledger around them).
    pub fn into_reports(self) -> Vec<Report> {
        (0..self.len()).map(|p| self.report(p)).collect()
    }

    /// The blocks of the held reports under `plan`: the same blocks that
    /// [`crate::link_reports`] finds (reports that share a blocking key), each place's
    /// keys worked out once rather than once per report.
    pub fn blocks(&self, plan: &DecisionPlan, config: &LinkConfig) -> HeldBlocks {
        let mut finder = BlockFinder::new();
        finder.catch_up(self, plan, config);
        finder.finish()
    }

    /// Links the blocks `range` of `blocks` (the same events [`crate::link_reports`]
    /// gives for them), calling `each` with each block's reports once their events are
    /// built: a caller files the reports' locators there without making them again.
    pub fn link_blocks(
        &self,
        blocks: &HeldBlocks,
        range: std::ops::Range<usize>,
        plan: &DecisionPlan,
        config: &LinkConfig,
        mut each: impl FnMut(&[Report]),
    ) -> Vec<Event> {
        let mut events = Vec::new();
        let mut reports: Vec<Report> = Vec::new();
        for block in range {
            reports.clear();
            reports.extend(blocks.block(block).iter().map(|&p| self.report(p as usize)));
            let refs: Vec<&Report> = reports.iter().collect();
            events.extend(link_block(&refs, plan, config));
            each(&reports);
        }
        events
    }

    /// Links the blocks `range` of `blocks` as [`HeldReports::link_blocks`] does, into
    /// `events` in the same order, and adds the (locator, report id) rows of their reports
    /// to `locators`; returns how many reports the blocks hold.
    ///
    /// A block whose reports are each an event of their own (a block of one report, or
    /// of unmerged rows of one curated batch: nearly every block of a dataset file) is
    /// not made whole: each of its events is given as a [`SingleEvent`], named and
    /// described from the held rows, and its reports' locators are worked out once per
    /// place and day (issue 12: making every report and event whole, then holding each
    /// event's texts again, was most of a first ingest's linking). Other blocks are
    /// linked as [`crate::link_reports`] links them. Without `locators` (a store that
    /// keeps none: SQLite's link rows stand in for them), none are worked out.
    pub fn link_blocks_held(
        &self,
        blocks: &HeldBlocks,
        range: std::ops::Range<usize>,
        plan: &DecisionPlan,
        config: &LinkConfig,
        events: &mut Vec<HeldEvent>,
        mut locators: Option<&mut Vec<(i64, i64)>>,
    ) -> u64 {
        let mut reports: Vec<Report> = Vec::new();
        let mut keys: Vec<(u64, SourceForm, &[u8], ReportId, usize)> = Vec::new();
        let mut filer = Filer::default();
        let mut count = 0u64;
        for block in range {
            let positions = blocks.block(block);
            count += positions.len() as u64;
            if self.each_its_own_event(positions, plan) {
                // Reports of one source that read the same are told apart by their
                // order of id (`block::content_keys`).
                keys.clear();
                keys.extend(positions.iter().enumerate().map(|(at, &p)| {
                    let row = &self.rows[p as usize];
                    let (form, source) = self.source_bytes(row);
                    (self.fingerprint(row), form, source, row.id, at)
                }));
                let mut numbers = vec![0u64; positions.len()];
                if keys.len() > 1 {
                    keys.sort_unstable_by(|a, b| {
                        (a.0, a.1.rank(), a.2, a.3).cmp(&(b.0, b.1.rank(), b.2, b.3))
                    });
                }
                let mut occurrence = 0u32;
                for (i, key) in keys.iter().enumerate() {
                    let same = i > 0 && {
                        let before = &keys[i - 1];
                        (before.0, before.1.rank(), before.2) == (key.0, key.1.rank(), key.2)
                    };
                    occurrence = if same { occurrence + 1 } else { 0 };
                    numbers[key.4] = crate::block::event_number(key.0, occurrence);
                }
                for (&position, id) in positions.iter().zip(numbers) {
                    events.push(HeldEvent::Single(SingleEvent { position, id }));
                    if let Some(locators) = locators.as_mut() {
                        filer.file(self, position, config, locators);
                    }
                }
            } else {
                reports.clear();
                reports.extend(positions.iter().map(|&p| self.report(p as usize)));
                let refs: Vec<&Report> = reports.iter().collect();
                events.extend(
                    link_block(&refs, plan, config)
                        .into_iter()
                        .map(|event| HeldEvent::Whole(Box::new(event))),
                );
                let Some(locators) = locators.as_mut() else {
                    continue;
                };
                for report in &reports {
                    let id = report.id.expect("held reports have ids").0;
                    locators.extend(
                        crate::report_locators(report, config)
                            .into_iter()
                            .map(|locator| (locator, id)),
                    );
                }
            }
        }
        count
    }

    /// True when each report at `positions` (a block) is an event of its own, as
    /// [`link_block`] decides: a block of one report, or of rows of one curated batch
    /// that no reviewer merged.
    fn each_its_own_event(&self, positions: &[u32], plan: &DecisionPlan) -> bool {
        if positions.len() == 1 {
            return true;
        }
        let batch = self.rows[positions[0] as usize].batch;
        batch != NO_TEXT
            && positions.iter().all(|&p| {
                let row = &self.rows[p as usize];
                row.batch == batch && plan.merge_root(row.id).is_none()
            })
    }

    /// A row's source id as kept, with its form.
    fn source_bytes(&self, row: &Row) -> (SourceForm, &[u8]) {
        let at = (row.source & !TEXT_SOURCE) as usize;
        if row.source & TEXT_SOURCE == 0 {
            return (SourceForm::Address, &self.addresses[at]);
        }
        let start = at.checked_sub(1).map_or(0, |i| self.text_source_ends[i]);
        let bytes = &self.text_sources[start..self.text_source_ends[at]];
        (SourceForm::Text, bytes)
    }

    /// [`crate::normalize::report_fingerprint`] of a held row.
    fn fingerprint(&self, row: &Row) -> u64 {
        let mut hex = [0u8; 64];
        let source = match self.source_bytes(row) {
            (SourceForm::Address, bytes) => {
                const DIGITS: &[u8; 16] = b"0123456789abcdef";
                for (pair, byte) in hex.chunks_exact_mut(2).zip(bytes) {
                    pair[0] = DIGITS[usize::from(byte >> 4)];
                    pair[1] = DIGITS[usize::from(byte & 15)];
                }
                &hex[..]
            }
            (SourceForm::Text, bytes) => bytes,
        };
        crate::normalize::fingerprint_of(
            source,
            row.date,
            &self.places.get(row.place).raw,
            self.texts.get(row.title),
            self.texts.get(row.location_detail),
            self.estimates_of(row).iter().map(|e| (e.low, e.high)),
        )
    }

    /// The event of one held report (see [`HeldReports::link_blocks_held`]): what
    /// `block::build_event` makes of that report alone, with its place and labels as
    /// numbers among the held ones ([`HeldReports::place`], [`HeldReports::label`]).
    pub fn single_event(&self, single: SingleEvent) -> NumberedEvent {
        let row = &self.rows[single.position as usize];
        // The lowest low and the highest high of the figures about the event itself,
        // the first met of equals, as `build_event` takes them.
        let mut low: Option<&HeldEstimate> = None;
        let mut high: Option<&HeldEstimate> = None;
        for estimate in self.estimates_of(row) {
            if estimate.scope != Scope::Event {
                continue;
            }
            if low.map_or(true, |e| estimate.low < e.low) {
                low = Some(estimate);
            }
            if high.map_or(true, |e| estimate.high > e.high) {
                high = Some(estimate);
            }
        }
        let title = if self.label(row.title).is_some() {
            row.title
        } else {
            // An event only articles tell of takes its headline when it names the place.
            let headline = self.texts.get(row.headline);
            let named = match (
                headline,
                crate::block::headline_locality(self.place(row.place)),
            ) {
                (Some(headline), Some(locality)) => crate::block::names_place(headline, &locality),
                _ => false,
            };
            if named {
                row.headline
            } else {
                NO_TEXT
            }
        };
        let from = low.map(|_| row.id);
        NumberedEvent {
            id: single.id,
            report: row.id,
            date: row.date,
            place: row.place,
            event_type: row.event_type,
            title,
            organizers: row.organizers,
            size_low: low.map(|e| e.low),
            size_high: high.map(|e| e.high),
            low_from: from,
            high_from: high.map(|_| row.id),
            coded_by_rule: matches!((low, high), (Some(l), Some(h)) if l.coded_by_rule && h.coded_by_rule),
        }
    }

    /// The held place numbered `number` (see [`NumberedEvent::place`]).
    pub fn place(&self, number: u32) -> &Place {
        self.places.get(number)
    }

    /// The held text numbered `number` as an event's label: trimmed, and none when it
    /// is empty (as `block::build_event` takes the most common label).
    pub fn label(&self, number: u32) -> Option<&str> {
        self.texts
            .get(number)
            .map(str::trim)
            .filter(|text| !text.is_empty())
    }
}

impl SourceForm {
    /// Addresses before other ids: the two forms never hold the same id.
    fn rank(self) -> u32 {
        match self {
            SourceForm::Address => 0,
            SourceForm::Text => 1,
        }
    }
}

/// What a store's link rows hold of a held report ([`HeldReports::link_row`]).
pub struct HeldLinkRow<'h> {
    pub id: ReportId,
    pub source: SourceKey<'h>,
    pub date: Option<Date>,
    /// The place's number among [`HeldReports::places`].
    pub place: u32,
    pub batch: Option<&'h str>,
    pub title: Option<&'h str>,
    pub headline: Option<&'h str>,
    pub event_type: Option<&'h str>,
    pub location_detail: Option<&'h str>,
    pub organizers: Option<&'h str>,
    estimates: &'h [HeldEstimate],
}

impl HeldLinkRow<'_> {
    /// Each estimate's low, high, scope and whether it was coded by rule, in order.
    pub fn sizes(&self) -> impl Iterator<Item = (u64, u64, Scope, bool)> + '_ {
        self.estimates
            .iter()
            .map(|e| (e.low, e.high, e.scope, e.coded_by_rule))
    }
}

/// An event as [`HeldReports::link_blocks_held`] gives it.
#[derive(Debug, Clone)]
pub enum HeldEvent {
    /// An event linked from whole reports.
    Whole(Box<Event>),
    /// The event of one held report, read with [`HeldReports::single_event`].
    Single(SingleEvent),
}

/// The event of one held report (see [`HeldReports::link_blocks_held`]).
#[derive(Debug, Clone, Copy)]
pub struct SingleEvent {
    /// The report's position among the held reports.
    position: u32,
    /// The number of the event's id (see [`NumberedEvent::id`]).
    id: u64,
}

/// Works out the locators of held reports that are not made whole, once for each run of
/// reports at the same place and day and of the same kind (curated or not), from a
/// report that has only what [`crate::report_locators`] reads.
#[derive(Default)]
struct Filer {
    /// The place, day and kind of the last report filed, and its locators.
    last: Option<(FiledAt, Vec<i64>)>,
}

/// Where a held report is filed: its place's number, its day, and whether it is a
/// curated row.
type FiledAt = (u32, Option<Date>, bool);

impl Filer {
    /// Adds the (locator, report id) rows of the held report at `position`, a
    /// linkable one (not a claim).
    fn file(
        &mut self,
        held: &HeldReports,
        position: u32,
        config: &LinkConfig,
        rows: &mut Vec<(i64, i64)>,
    ) {
        let row = &held.rows[position as usize];
        let key = (row.place, row.date, row.batch != NO_TEXT);
        if self.last.as_ref().map(|(k, _)| *k) != Some(key) {
            let mut report = Report::new(
                SourceId(String::new()),
                held.places.get(row.place).clone(),
                held.times[row.received_at as usize],
            );
            report.date = row.date;
            report.batch = key.2.then(String::new);
            self.last = Some((key, crate::report_locators(&report, config)));
        }
        let (_, locators) = self.last.as_ref().expect("set just above");
        rows.extend(locators.iter().map(|&locator| (locator, row.id.0)));
    }
}

/// Finds the blocks of held reports as they are pushed (issue 12: an ingest finds a
/// file's blocks while it is still storing the file's rows, so that they are known the
/// moment the last row is stored). Fed the same reports in the same order, it finds the
/// blocks [`crate::link_reports`] finds, whatever the calls in between. Each report keeps
/// only its own cell's key and looks up the cells around it
/// (`owned_and_probed_keys_of_day`): the index holds about a third of the keys, memory
/// that would otherwise stand beside the file being stored.
#[derive(Default)]
pub struct BlockFinder {
    /// The keys of each of the held reports' places met so far, by place number.
    place_keys: Vec<PlaceKeys>,
    index: crate::linker::BlockIndex,
    /// The position of each report in the index, as held.
    linkable: Vec<u32>,
    left_out: Vec<u32>,
    /// How many of the held reports are indexed.
    seen: usize,
    keys: Vec<u64>,
    probes: Vec<u64>,
}

impl BlockFinder {
    pub fn new() -> BlockFinder {
        BlockFinder::default()
    }

    /// Indexes the reports of `held` pushed since the last call (`held` must be the
    /// same reports, grown, every time).
    pub fn catch_up(&mut self, held: &HeldReports, plan: &DecisionPlan, config: &LinkConfig) {
        for number in self.place_keys.len()..held.places.len() {
            let place = held.places.get(number as u32);
            self.place_keys.push(PlaceKeys::of(place, config));
        }
        for position in self.seen..held.rows.len() {
            let row = &held.rows[position];
            let aggregate_only = {
                let estimates = held.estimates_of(row);
                !estimates.is_empty() && estimates.iter().all(|e| e.scope != Scope::Event)
            };
            if !is_linkable_parts(Some(row.id), aggregate_only, plan) {
                self.left_out.push(position as u32);
                continue;
            }
            let (keys, probes) = (&mut self.keys, &mut self.probes);
            keys.clear();
            probes.clear();
            let place = &self.place_keys[row.place as usize];
            owned_and_probed_keys_of_day(keys, probes, row.date, place);
            if row.batch == NO_TEXT {
                if let Some(date) = row.date {
                    for late in 1..=config.late_report_days {
                        let day = date.checked_sub_days(chrono::Days::new(u64::from(late)));
                        owned_and_probed_keys_of_day(keys, probes, day, place);
                    }
                }
            }
            keys.extend(merge_key(row.id, plan));
            let at = self.linkable.len() as u32;
            self.index.insert(at, keys);
            self.index.join_owners(at, probes);
            self.linkable.push(position as u32);
        }
        self.seen = held.rows.len();
    }

    /// The blocks of the reports indexed.
    pub fn finish(mut self) -> HeldBlocks {
        let (starts, members) = self.index.flat_blocks();
        drop(self.index);
        let linkable = self.linkable;
        let members = members.into_iter().map(|m| linkable[m as usize]).collect();
        HeldBlocks {
            starts,
            members,
            left_out: self.left_out,
        }
    }
}

/// The blocks of some held reports: each block's positions, in order of its first
/// report, as one flat list (a million small blocks as a million lists would cost more
/// than the reports themselves).
#[derive(Debug, Clone, Default)]
pub struct HeldBlocks {
    /// Where each block starts in `members`; one more entry than blocks.
    starts: Vec<u32>,
    members: Vec<u32>,
    /// The positions of the reports in no block (rejected ones, claims).
    left_out: Vec<u32>,
}

impl HeldBlocks {
    pub fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The positions of block `index`'s reports, in the order they were pushed.
    pub fn block(&self, index: usize) -> &[u32] {
        &self.members[self.starts[index] as usize..self.starts[index + 1] as usize]
    }

    /// The positions of the reports left out of every block (rejected by a reviewer, or
    /// claims): stored like the rest, but in no event.
    pub fn left_out(&self) -> &[u32] {
        &self.left_out
    }

    /// How many reports the blocks hold.
    pub fn reports(&self) -> usize {
        self.members.len()
    }

    /// Consecutive runs of blocks holding about `reports` reports each (at least one
    /// block each), for linking a part at a time.
    pub fn parts(&self, reports: usize) -> Vec<std::ops::Range<usize>> {
        let mut parts = Vec::new();
        let mut start = 0;
        while start < self.len() {
            let mut end = start + 1;
            while end < self.len()
                && (self.starts[end + 1] - self.starts[start]) as usize <= reports.max(1)
            {
                end += 1;
            }
            parts.push(start..end);
            start = end;
        }
        parts
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tally_model::{Confidence, Place, ResolvedPlace};

    fn sample(id: i64, day: &str, city: &str, batch: Option<&str>) -> Report {
        let mut place = Place::from_parts(Some(city), Some("TX".parse().unwrap()));
        place.resolved = Some(ResolvedPlace {
            locality: Some(city.to_string()),
            county: Some("Travis County".into()),
            fips: Some(tally_model::Fips::parse("48453").unwrap()),
            state: "TX".parse().unwrap(),
            lat: Some(30.2672),
            lon: Some(-97.7431),
            population: Some(961_855),
            confidence: Confidence::Exact,
        });
        let mut r = Report::new(
            SourceId(format!("source-{id}")),
            place,
            "2025-06-20T00:00:00Z".parse().unwrap(),
        );
        r.date = Some(day.parse().unwrap());
        r.title = Some("No Kings".into());
        r.event_type = Some("protest".into());
        r.organizers = Some("Indivisible".into());
        r.location_detail = Some("Capitol".into());
        r.headline = (id % 2 == 0).then(|| "Thousands rally".to_string());
        r.batch = batch.map(str::to_string);
        r.estimates.push(
            Estimate::range(100, 250)
                .unwrap()
                .with_attribution(Attribution::Police),
        );
        r.estimates.push(Estimate::coded(2_000, "thousands"));
        r.size_text = Some("thousands".into());
        r.urls = vec!["https://example.org/a".into()];
        r
    }

    /// The blocks of `held` as found before issue 12's block finder: every report keeps
    /// every key of [`crate::linker::keys_of_day`] (the nine cells around its own).
    fn blocks_by_every_key(held: &HeldReports, config: &LinkConfig) -> HeldBlocks {
        let mut index = crate::linker::BlockIndex::default();
        let mut keys = Vec::new();
        for (position, row) in held.rows.iter().enumerate() {
            keys.clear();
            let place = PlaceKeys::of(held.places.get(row.place), config);
            crate::linker::keys_of_day(&mut keys, row.date, &place);
            if row.batch == NO_TEXT {
                let day = row
                    .date
                    .and_then(|d| d.checked_sub_days(chrono::Days::new(1)));
                crate::linker::keys_of_day(&mut keys, day, &place);
            }
            index.insert(position as u32, &keys);
        }
        let (starts, members) = index.flat_blocks();
        HeldBlocks {
            starts,
            members,
            left_out: Vec::new(),
        }
    }

    /// Issue 12: the block finder, which keeps each report's own cell and looks up the
    /// cells around it, finds the blocks that every report keeping all nine cells around
    /// its own finds, fed in one go or a few reports at a time: points scattered over a
    /// few hundred cells of one area (neighbours one, two and three cells apart), over three
    /// days, some reports a day late, no two places named alike.
    #[test]
    fn issue_12_the_block_finder_finds_the_blocks_of_every_key() {
        let config = LinkConfig::default();
        let cell = config.nearby_km / 111.0;
        for seed in 1..=20u64 {
            let mut rng = tally_model::rng::Rng::new(seed);
            let mut held = HeldReports::new();
            let mut finder = BlockFinder::new();
            let plan = DecisionPlan::default();
            for n in 0..200 {
                let (lat, lon) = (
                    30.0 + rng.uniform() * 40.0 * cell,
                    -97.0 + rng.uniform() * 40.0 * cell,
                );
                let name = format!("Spot {n}");
                let mut place = Place::from_parts(Some(&name), None);
                place.resolved = Some(crate::block::texas_town(&name, lat, lon));
                let mut report = Report::new(
                    SourceId(format!("s{seed}-{n}")),
                    place,
                    "2025-06-20T00:00:00Z".parse().unwrap(),
                );
                report.date = Some(
                    ["2025-06-14", "2025-06-15", "2025-06-17"][rng.below(3)]
                        .parse()
                        .unwrap(),
                );
                report.batch = rng.chance(0.5).then(|| "dataset".to_string());
                held.push(&report, ReportId(n + 1));
                if rng.chance(0.1) {
                    finder.catch_up(&held, &plan, &config);
                }
            }
            let expected = blocks_by_every_key(&held, &config);
            assert!(
                expected.len() > 10 && (0..expected.len()).any(|b| expected.block(b).len() > 5),
                "seed {seed}: blocks of one and of many"
            );
            let mut found = BlockFinder::new();
            found.catch_up(&held, &plan, &config);
            for blocks in [held.blocks(&plan, &config), {
                finder.catch_up(&held, &plan, &config);
                finder.finish()
            }] {
                assert_eq!(blocks.starts, expected.starts, "seed {seed}");
                assert_eq!(blocks.members, expected.members, "seed {seed}");
            }
        }
    }

    /// Issue 12: a held report comes back with every field linking reads as it was.
    /// Issue 12: a held row is 56 bytes (72 with its source's start and form as a
    /// `usize` and an enum), a million of them 16 MB less at a first ingest's peak.
    #[test]
    fn issue_12_a_held_row_takes_56_bytes() {
        assert_eq!(std::mem::size_of::<Row>(), 56);
    }

    /// Issue 12: source ids kept as content addresses and as texts, mixed, come back as
    /// they were pushed, in reports and in link rows.
    #[test]
    fn issue_12_mixed_source_ids_come_back_as_pushed() {
        let mut held = HeldReports::new();
        let ids: Vec<String> = (0..40)
            .map(|n| match n % 3 {
                0 => format!("{:064x}", n * 7919),
                1 => format!("text-{n}"),
                _ => "x".repeat(n),
            })
            .collect();
        for (n, id) in ids.iter().enumerate() {
            let mut report = sample(n as i64, "2025-06-14", "Austin", None);
            report.source_id = SourceId(id.clone());
            held.push(&report, ReportId(n as i64 + 1));
        }
        for (n, id) in ids.iter().enumerate() {
            assert_eq!(held.report(n).source_id.0, *id);
            match held.link_row(n).source {
                SourceKey::Address(bytes) => {
                    assert_eq!(n % 3, 0);
                    assert_eq!(address_bytes(id).unwrap(), bytes);
                }
                SourceKey::Text(text) => assert_eq!(text, id),
            }
        }
    }

    #[test]
    fn issue_12_a_held_report_keeps_what_linking_reads() {
        let mut original = sample(7, "2025-06-14", "Austin", Some("dataset"));
        let mut held = HeldReports::new();
        held.push(&original, ReportId(1));
        // A content address is kept as its bytes and comes back as the same text.
        original.source_id = SourceId(
            "00ff3a6b9c0d1e2f00ff3a6b9c0d1e2f00ff3a6b9c0d1e2f00ff3a6b9c0d1e2f".to_string(),
        );
        held.push(&original, ReportId(7));
        assert_eq!(held.report(0).source_id, SourceId("source-7".into()));
        held.push(&sample(8, "2025-06-14", "Austin", None), ReportId(8));
        let back = held.report(1);
        assert_eq!(back.id, Some(ReportId(7)));
        assert_eq!(back.source_id, original.source_id);
        assert_eq!(back.date, original.date);
        assert_eq!(back.place, original.place);
        assert_eq!(back.location_detail, original.location_detail);
        assert_eq!(back.event_type, original.event_type);
        assert_eq!(back.title, original.title);
        assert_eq!(back.headline, original.headline);
        assert_eq!(back.organizers, original.organizers);
        assert_eq!(back.batch, original.batch);
        assert_eq!(back.received_at, original.received_at);
        let numbers = |r: &Report| -> Vec<_> {
            r.estimates
                .iter()
                .map(|e| {
                    (
                        e.low(),
                        e.high(),
                        e.attribution(),
                        e.scope(),
                        e.coded_by_rule(),
                    )
                })
                .collect()
        };
        assert_eq!(numbers(&back), numbers(&original));
        // The wording linking never reads is not kept.
        assert_eq!(back.size_text, None);
        assert!(back.urls.is_empty());
        // One place and one of each text, however many reports share them.
        assert_eq!(held.places.len(), 1);
        assert_eq!(held.report(2).batch, None);
    }

    /// An event of one held report made into an [`Event`], from its parts.
    fn event_of_parts(held: &HeldReports, parts: NumberedEvent) -> Event {
        Event {
            id: tally_model::EventId(format!("ev-{:016x}", parts.id)),
            date: parts.date,
            place: held.place(parts.place).clone(),
            event_type: held.label(parts.event_type).map(str::to_string),
            title: held.label(parts.title).map(str::to_string),
            organizers: held.label(parts.organizers).map(str::to_string),
            reports: vec![parts.report],
            size_low: parts.size_low,
            size_high: parts.size_high,
            low_from: parts.low_from,
            high_from: parts.high_from,
            coded_by_rule: parts.coded_by_rule,
        }
    }

    /// Issue 12: linking held blocks without making the reports of single-report events
    /// whole gives the events, in the same order, and the locators of linking them
    /// whole: labels with spaces around them or empty, headlines that name the place (or
    /// only part of a word of it), figures about the event and about the nation, figures
    /// coded by rule or not, a source that repeats a row word for word, content
    /// addresses and other source ids, places without a resolved locality, articles
    /// that join curated rows, and a reviewer's merge of two curated rows.
    #[test]
    fn issue_12_single_report_events_from_held_rows_are_those_of_whole_reports() {
        let config = LinkConfig::default();
        let merged = (ReportId(5), ReportId(9));
        let plan = DecisionPlan::new(&[crate::Decision::Merge {
            reports: vec![merged.0, merged.1],
        }]);
        let titles = [Some(" No Kings "), Some(""), None, Some("Hands Off"), None];
        let headlines = [
            Some("Thousands rally in Austin"),
            Some("Austinites rally"),
            None,
            Some("  Crowds in  round rock  "),
        ];
        let mut held = HeldReports::new();
        let mut whole = Vec::new();
        for n in 0..240i64 {
            let (city, lat) =
                [("Austin", 30.27), ("Round Rock", 30.51), ("Waco", 31.55)][(n % 3) as usize];
            let day = format!("2025-06-{:02}", 1 + n * 7 % 19);
            let mut report = sample(n, &day, city, None);
            if let Some(resolved) = &mut report.place.resolved {
                resolved.lat = Some(lat);
            }
            if n % 5 == 0 {
                // Unresolved: the headline is matched against the place text.
                report.place.resolved = None;
            }
            report.source_id = if n % 4 == 0 {
                SourceId(format!("{:064x}", n / 8))
            } else {
                SourceId(format!("row-{}", n / 8))
            };
            report.batch = (n % 17 != 1).then(|| "dataset".to_string());
            report.title = titles[(n % 5) as usize].map(str::to_string);
            report.headline = headlines[(n % 4) as usize].map(str::to_string);
            report.event_type =
                [Some(" march"), Some("  "), None][(n % 3) as usize].map(str::to_string);
            report.organizers = (n % 2 == 0).then(|| "Indivisible ".to_string());
            report.estimates = match n % 4 {
                0 => vec![],
                1 => vec![
                    Estimate::range(50, 90)
                        .unwrap()
                        .with_scope(Scope::Aggregate),
                    Estimate::coded(200, "hundreds"),
                    Estimate::range(150, 400).unwrap(),
                ],
                2 => vec![
                    Estimate::coded(2_000, "thousands"),
                    Estimate::coded(1_000, "a thousand"),
                ],
                _ => vec![Estimate::exact(70), Estimate::exact(70)],
            };
            if n % 16 == 3 {
                // A row its source repeats word for word.
                held.push(&report, ReportId(1_000 + n));
                let mut again = report.clone();
                again.id = Some(ReportId(1_000 + n));
                whole.push(again);
            }
            held.push(&report, ReportId(n + 1));
            report.id = Some(ReportId(n + 1));
            whole.push(report);
        }
        let blocks = held.blocks(&plan, &config);
        let range = 0..blocks.len();
        let mut expected_locators = Vec::new();
        let expected = held.link_blocks(&blocks, range.clone(), &plan, &config, |reports| {
            for report in reports {
                let id = report.id.unwrap().0;
                expected_locators.extend(
                    crate::report_locators(report, &config)
                        .into_iter()
                        .map(|l| (l, id)),
                );
            }
        });
        let (mut events, mut locators) = (Vec::new(), Vec::new());
        let count = held.link_blocks_held(
            &blocks,
            range.clone(),
            &plan,
            &config,
            &mut events,
            Some(&mut locators),
        );
        assert_eq!(count as usize, blocks.reports());
        // Without locators to file (a store that keeps none), the same events.
        let mut unfiled = Vec::new();
        held.link_blocks_held(&blocks, range, &plan, &config, &mut unfiled, None);
        assert_eq!(format!("{unfiled:?}"), format!("{events:?}"));
        let singles = events
            .iter()
            .filter(|e| matches!(e, HeldEvent::Single(_)))
            .count();
        assert!(
            singles > 100 && singles < events.len(),
            "{singles} of {}",
            events.len()
        );
        let events: Vec<Event> = events
            .into_iter()
            .map(|event| match event {
                HeldEvent::Whole(event) => *event,
                HeldEvent::Single(single) => event_of_parts(&held, held.single_event(single)),
            })
            .collect();
        assert_eq!(events, expected);
        assert_eq!(locators, expected_locators);
        // And those are the events of linking the reports as they came.
        let mut linked = crate::link_reports(
            &whole,
            &[crate::Decision::Merge {
                reports: vec![merged.0, merged.1],
            }],
            &config,
        );
        let mut events = events;
        events.sort_by(|a, b| a.id.cmp(&b.id));
        linked.sort_by(|a, b| a.id.cmp(&b.id));
        assert_eq!(events, linked);
        for (what, present) in [
            (
                "a repeated row",
                events.iter().any(|e| e.reports == [ReportId(1_003)]),
            ),
            (
                "a headline as title",
                events
                    .iter()
                    .any(|e| e.title.as_deref() == Some("Thousands rally in Austin")),
            ),
            (
                "a trimmed title",
                events
                    .iter()
                    .any(|e| e.title.as_deref() == Some("No Kings")),
            ),
            (
                "a merge",
                events.iter().any(|e| e.reports == [merged.0, merged.1]),
            ),
            (
                "an event with no size",
                events
                    .iter()
                    .any(|e| e.size_low.is_none() && e.reports.len() == 1),
            ),
            (
                "a size coded by rule",
                events.iter().any(|e| e.coded_by_rule),
            ),
        ] {
            assert!(present, "{what}");
        }
    }
}
