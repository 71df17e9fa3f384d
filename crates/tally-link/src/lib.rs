//! Linking: groups the reports that describe the same gathering into events. No I/O.
//!
//! Two reports describe the same gathering when they are about the same day (or, for a
//! report that is not a curated row, the day before its own date: news is often dated the
//! day after), the same or a nearby place, and compatible descriptions (type family and
//! title). Rows of one curated batch (a dataset or sheet file) never merge with each
//! other: the curator already decided they are distinct; nor do two reports of one source
//! (an article gives one report per place and day it speaks of). Reports whose estimates are all
//! aggregate (a national figure) are claims, not events, and are left out of events.
//!
//! How it runs: every report gets a few blocking keys (day + place text, day + resolved
//! locality, day + grid cell of its coordinates). Reports that share a key are in one
//! *block* (union-find), and each block is linked on its own by a deterministic greedy
//! assignment (see [`block`]). Blocks are independent, so the [`Linker`] can add reports
//! by relinking only the blocks they touch, and a full rebuild gives the same events; and
//! [`link_new_reports`] does the same over a ledger it reads only in part, by the
//! *locators* each report is filed under (see [`locate`]).
//!
//! What is deliberately absent: no fuzzy string matching of place names (the geocoder
//! resolves aliases and typos; linking trusts its answer), no organizer matching (the
//! same coalition organizes many gatherings on one day, so organizers do not tell them
//! apart), and no learning: the rules are fixed and documented so a reviewer can predict
//! them and correct them with decisions.

mod block;
mod decision;
mod held;
mod linker;
mod locate;
pub mod normalize;

pub use decision::{Decision, DecisionPlan};
pub use held::{BlockFinder, HeldBlocks, HeldEvent, HeldLinkRow, HeldReports, SingleEvent};
pub use linker::{LinkUpdate, Linker};
pub use locate::{
    link_new_reports, link_new_reports_telling_new, relink_for_decision, report_locators,
    reports_in_blocks_of, FirstSpans, PlaceDays, ReportLookup,
};
pub use tally_model::pool::NumberedEvent;

use tally_model::{Event, Report};

/// The knobs of linking. The defaults are the documented rules.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkConfig {
    /// Two places with different names are "nearby" when their resolved coordinates are
    /// at most this far apart (kilometres) — a downtown and the city hall a street away,
    /// "NYC" and "New York". Sub-places written with parentheses or a slash
    /// ("Mira Mesa (San Diego)") are never merged by distance.
    pub nearby_km: f64,
    /// How many days after a gathering a report that is not a curated row may be dated
    /// and still join it (articles carry their publication date). 0 turns it off.
    pub late_report_days: u32,
}

impl Default for LinkConfig {
    fn default() -> Self {
        LinkConfig {
            nearby_km: 3.0,
            late_report_days: 1,
        }
    }
}

/// Links reports into events: deterministic, independent of input order, idempotent.
///
/// Reports without a ledger id are skipped (events list their reports by id), as are
/// rejected and aggregate-only reports (see [`claim_reports`]). Events come sorted by date,
/// then id.
pub fn link_reports(reports: &[Report], decisions: &[Decision], config: &LinkConfig) -> Vec<Event> {
    let plan = DecisionPlan::new(decisions);
    let linkable: Vec<&Report> = reports
        .iter()
        .filter(|r| linker::is_linkable(r, &plan))
        .collect();
    let mut index = linker::BlockIndex::default();
    for (position, report) in linkable.iter().enumerate() {
        index.insert(
            position as u32,
            &linker::blocking_keys(report, &plan, config),
        );
    }
    // At most one event per report: the list never grows by copying.
    let mut events: Vec<Event> = Vec::with_capacity(linkable.len());
    let mut block: Vec<&Report> = Vec::new();
    for members in index.blocks() {
        block.clear();
        block.extend(members.iter().map(|&p| linkable[p as usize]));
        events.extend(block::link_block(&block, &plan, config));
    }
    sort_events(&mut events);
    events
}

/// The reports that are claims rather than events: every estimate they carry has
/// aggregate scope ("5 million people nationwide"). They are checked, never counted.
pub fn claim_reports(reports: &[Report]) -> Vec<&Report> {
    reports.iter().filter(|r| r.is_aggregate_only()).collect()
}

/// The order events are listed in: by date (undated last), then by id.
pub(crate) fn sort_events(events: &mut [Event]) {
    // By cached keys: the events are large, and a sort that compares them in place
    // moves each many times; this one sorts the keys and moves each event once. It is
    // stable, as the sort it replaced.
    events.sort_by_cached_key(|e| (e.date.is_none(), e.date, e.id.clone()));
}
