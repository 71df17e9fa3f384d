//! Who said what: an event's range by attribution class, and the independent evidence
//! for a claim (DESIGN.md `check`).
//!
//! A claim is judged against the reports of sources other than the interested parties:
//! the claimant's class ("the White House said…" → officials) and the gathering's own
//! organizers. Their statements are set aside, and so are relays of them: a media or
//! unknown-source report of the same gathering that gives exactly the same stated
//! figure (an outlet repeating the White House's 250,000 without naming it). Police,
//! officials, researchers and participants speak for themselves: the same round figure
//! from them is agreement, not a relay. Figures coded from vague words ("hundreds of
//! thousands") are never taken for relays either: they are the outlet's own words. A media or unknown claimant sets no class aside: an outlet is one
//! voice among many of its class, and "unknown" is no party at all.
//!
//! One original statement relayed by many outlets (same class, same figure, same
//! gathering) counts once, in the evidence and in the list of what was set aside.

use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use tally_model::{Attribution, Estimate, Event, Report, ReportId};

/// The range one attribution class gives for an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClassRange {
    pub low: u64,
    pub high: u64,
    /// Reports in this class that give a size.
    pub reports: usize,
    /// Distinct statements among them (a figure relayed by many outlets counts once).
    pub statements: usize,
}

/// An event's range per attribution class, beside the overall range (DESIGN.md).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct RangesByClass {
    pub police: Option<ClassRange>,
    pub officials: Option<ClassRange>,
    pub organizers: Option<ClassRange>,
    pub media: Option<ClassRange>,
    pub researchers: Option<ClassRange>,
    pub participants: Option<ClassRange>,
    pub unknown: Option<ClassRange>,
}

impl RangesByClass {
    /// The classes in DESIGN.md's order, with their ranges.
    pub fn iter(&self) -> impl Iterator<Item = (Attribution, Option<&ClassRange>)> {
        [
            (Attribution::Police, self.police.as_ref()),
            (Attribution::Officials, self.officials.as_ref()),
            (Attribution::Organizers, self.organizers.as_ref()),
            (Attribution::Media, self.media.as_ref()),
            (Attribution::Researchers, self.researchers.as_ref()),
            (Attribution::Participants, self.participants.as_ref()),
            (Attribution::Unknown, self.unknown.as_ref()),
        ]
        .into_iter()
    }

    fn slot(&mut self, class: Attribution) -> &mut Option<ClassRange> {
        match class {
            Attribution::Police => &mut self.police,
            Attribution::Officials => &mut self.officials,
            Attribution::Organizers => &mut self.organizers,
            Attribution::Media => &mut self.media,
            Attribution::Researchers => &mut self.researchers,
            Attribution::Participants => &mut self.participants,
            Attribution::Unknown => &mut self.unknown,
        }
    }
}

/// The ranges by class of an event's reports (event-scope estimates only: an aggregate
/// figure is a claim, never a size).
pub fn ranges_by_class(reports: &[Report]) -> RangesByClass {
    let mut by_class = RangesByClass::default();
    let mut seen: BTreeMap<Attribution, Vec<(u64, u64)>> = BTreeMap::new();
    for report in reports {
        let mut counted_in: Vec<Attribution> = Vec::new();
        for estimate in report.event_estimates() {
            let class = estimate.attribution();
            let figure = (estimate.low(), estimate.high());
            let statements = seen.entry(class).or_default();
            let new_statement = !statements.contains(&figure);
            if new_statement {
                statements.push(figure);
            }
            let new_report = !counted_in.contains(&class);
            counted_in.push(class);
            let slot = by_class.slot(class);
            match slot {
                None => {
                    *slot = Some(ClassRange {
                        low: figure.0,
                        high: figure.1,
                        reports: 1,
                        statements: 1,
                    })
                }
                Some(range) => {
                    range.low = range.low.min(figure.0);
                    range.high = range.high.max(figure.1);
                    range.reports += usize::from(new_report);
                    range.statements += usize::from(new_statement);
                }
            }
        }
    }
    by_class
}

/// Why a statement was set aside.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Exclusion {
    /// The claimant's own class.
    Claimant,
    /// The gathering's own organizers.
    Organizers,
    /// The same figure as an excluded statement, repeated in another class.
    Relay,
}

/// One statement set aside, however many reports relayed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExcludedStatement {
    pub event: String,
    pub title: Option<String>,
    pub attribution: Attribution,
    pub low: u64,
    pub high: u64,
    pub reason: Exclusion,
    /// The reports that carried it (ledger ids).
    pub reports: Vec<i64>,
    /// Their publishers, each once.
    pub publishers: Vec<String>,
}

/// The events as the independent sources describe them.
#[derive(Debug, Clone, PartialEq)]
pub struct IndependentEvidence {
    /// The events, each with its range recomputed from the statements kept; an event
    /// whose only sizes came from interested parties has no size.
    pub events: Vec<Event>,
    pub excluded: Vec<ExcludedStatement>,
    /// Distinct statements kept (class, figure, gathering), relays counted once.
    pub statements: usize,
    /// The classes set aside.
    pub excluded_classes: Vec<Attribution>,
}

/// The classes a claim is not judged by: the claimant's (unless media or unknown) and
/// the organizers'.
pub fn interested_classes(claimant: Option<Attribution>) -> Vec<Attribution> {
    let mut classes = Vec::new();
    if let Some(c) = claimant.filter(|c| !matches!(c, Attribution::Media | Attribution::Unknown)) {
        classes.push(c);
    }
    if !classes.contains(&Attribution::Organizers) {
        classes.push(Attribution::Organizers);
    }
    classes
}

/// Recomputes each event's range from the statements of sources other than the
/// interested parties. `reports` must hold every report of the events (others are
/// ignored).
pub fn independent_evidence(
    events: &[Event],
    reports: &[Report],
    claimant: Option<Attribution>,
) -> IndependentEvidence {
    let interested = interested_classes(claimant);
    let claimant_class = claimant.filter(|c| interested.contains(c));
    let by_id: HashMap<ReportId, &Report> = reports
        .iter()
        .filter_map(|r| r.id.map(|id| (id, r)))
        .collect();
    let mut kept_events = Vec::with_capacity(events.len());
    let mut excluded: BTreeMap<(String, Attribution, u64, u64, Exclusion), ExcludedStatement> =
        BTreeMap::new();
    let mut statements = 0;
    for event in events {
        let members: Vec<&Report> = event
            .reports
            .iter()
            .filter_map(|id| by_id.get(id).copied())
            .collect();
        let interested_figures: Vec<(u64, u64)> = members
            .iter()
            .flat_map(|r| r.event_estimates())
            .filter(|e| interested.contains(&e.attribution()))
            .map(|e| (e.low(), e.high()))
            .collect();
        let mut kept: Vec<(&Estimate, ReportId)> = Vec::new();
        let mut kept_statements: Vec<(Attribution, u64, u64)> = Vec::new();
        for report in &members {
            let id = report.id.expect("events list stored reports");
            for estimate in report.event_estimates() {
                let class = estimate.attribution();
                let figure = (estimate.low(), estimate.high());
                let reason = if Some(class) == claimant_class {
                    Some(Exclusion::Claimant)
                } else if interested.contains(&class) {
                    Some(Exclusion::Organizers)
                } else if matches!(class, Attribution::Media | Attribution::Unknown)
                    && !estimate.coded_by_rule()
                    && interested_figures.contains(&figure)
                {
                    Some(Exclusion::Relay)
                } else {
                    None
                };
                match reason {
                    Some(reason) => {
                        let entry = excluded
                            .entry((event.id.0.clone(), class, figure.0, figure.1, reason))
                            .or_insert_with(|| ExcludedStatement {
                                event: event.id.0.clone(),
                                title: event.title.clone(),
                                attribution: class,
                                low: figure.0,
                                high: figure.1,
                                reason,
                                reports: Vec::new(),
                                publishers: Vec::new(),
                            });
                        if !entry.reports.contains(&id.0) {
                            entry.reports.push(id.0);
                        }
                        if let Some(p) = &report.publisher {
                            if !entry.publishers.contains(p) {
                                entry.publishers.push(p.clone());
                            }
                        }
                    }
                    None => {
                        kept.push((estimate, id));
                        if !kept_statements.contains(&(class, figure.0, figure.1)) {
                            kept_statements.push((class, figure.0, figure.1));
                        }
                    }
                }
            }
        }
        statements += kept_statements.len();
        kept_events.push(with_range_of(event, &kept));
    }
    IndependentEvidence {
        events: kept_events,
        excluded: excluded.into_values().collect(),
        statements,
        excluded_classes: interested,
    }
}

/// The event with its range from the given estimates only (smallest low, largest high,
/// as linking computes it).
fn with_range_of(event: &Event, estimates: &[(&Estimate, ReportId)]) -> Event {
    let low = estimates.iter().min_by_key(|(e, id)| (e.low(), *id));
    let high = estimates
        .iter()
        .max_by_key(|(e, id)| (e.high(), std::cmp::Reverse(*id)));
    let mut event = event.clone();
    event.size_low = low.map(|(e, _)| e.low());
    event.size_high = high.map(|(e, _)| e.high());
    event.low_from = low.map(|(_, id)| *id);
    event.high_from = high.map(|(_, id)| *id);
    event.coded_by_rule = matches!((low, high), (Some((l, _)), Some((h, _))) if l.coded_by_rule() && h.coded_by_rule());
    event
}

#[cfg(test)]
mod tests {
    use super::*;
    use tally_model::{EventId, Place, SourceId};

    fn report(id: i64, class: Attribution, low: u64, high: u64, coded: bool) -> Report {
        let mut r = Report::new(
            SourceId(format!("s{id}")),
            Place::from_parts(Some("Washington"), None),
            chrono::Utc::now(),
        );
        r.id = Some(ReportId(id));
        r.publisher = Some(format!("Outlet {id}"));
        r.estimates = vec![Estimate::range(low, high)
            .unwrap()
            .with_attribution(class)
            .with_coded_by_rule(coded)];
        r
    }

    fn parade() -> (Event, Vec<Report>) {
        let reports = vec![
            report(1, Attribution::Officials, 250_000, 250_000, false),
            report(2, Attribution::Officials, 250_000, 250_000, false),
            report(3, Attribution::Organizers, 250_000, 250_000, false),
            report(4, Attribution::Media, 20_000, 20_000, true),
            report(5, Attribution::Researchers, 80_000, 120_000, false),
            // An outlet repeating the official figure in its own voice.
            report(6, Attribution::Media, 250_000, 250_000, false),
            report(7, Attribution::Media, 200_000, 200_000, true),
            // The police agreeing on a round figure speak for themselves.
            report(8, Attribution::Police, 250_000, 250_000, false),
        ];
        let event = Event {
            id: EventId("ev-parade".into()),
            date: None,
            place: Place::from_parts(Some("Washington"), None),
            event_type: None,
            title: Some("Military parade".into()),
            organizers: None,
            reports: reports.iter().filter_map(|r| r.id).collect(),
            size_low: Some(20_000),
            size_high: Some(250_000),
            low_from: Some(ReportId(4)),
            high_from: Some(ReportId(1)),
            coded_by_rule: false,
        };
        (event, reports)
    }

    #[test]
    fn officials_their_relays_and_organizers_are_set_aside() {
        let (event, reports) = parade();
        let evidence = independent_evidence(&[event], &reports, Some(Attribution::Officials));
        let kept = &evidence.events[0];
        assert_eq!(
            (kept.size_low, kept.size_high),
            (Some(20_000), Some(250_000))
        );
        assert_eq!(kept.high_from, Some(ReportId(8)));
        let reasons: Vec<(Attribution, Exclusion, Vec<i64>)> = evidence
            .excluded
            .iter()
            .map(|e| (e.attribution, e.reason, e.reports.clone()))
            .collect();
        assert_eq!(
            reasons,
            vec![
                (Attribution::Officials, Exclusion::Claimant, vec![1, 2]),
                (Attribution::Organizers, Exclusion::Organizers, vec![3]),
                (Attribution::Media, Exclusion::Relay, vec![6]),
            ]
        );
        assert_eq!(evidence.statements, 4);
        assert_eq!(
            evidence.excluded_classes,
            vec![Attribution::Officials, Attribution::Organizers]
        );
    }

    #[test]
    fn only_interested_sources_leave_no_size() {
        let (mut event, reports) = parade();
        event.reports = vec![ReportId(1), ReportId(3), ReportId(6)];
        let evidence = independent_evidence(&[event], &reports, Some(Attribution::Officials));
        assert!(!evidence.events[0].has_size());
        assert_eq!(evidence.statements, 0);
    }

    #[test]
    fn a_media_claimant_sets_no_class_aside() {
        assert_eq!(
            interested_classes(Some(Attribution::Media)),
            vec![Attribution::Organizers]
        );
        assert_eq!(
            interested_classes(Some(Attribution::Organizers)),
            vec![Attribution::Organizers]
        );
    }

    #[test]
    fn ranges_by_class_count_a_relayed_figure_once() {
        let (_, reports) = parade();
        let by_class = ranges_by_class(&reports);
        let officials = by_class.officials.as_ref().unwrap();
        assert_eq!((officials.low, officials.high), (250_000, 250_000));
        assert_eq!((officials.reports, officials.statements), (2, 1));
        let media = by_class.media.as_ref().unwrap();
        assert_eq!(
            (media.low, media.high, media.statements),
            (20_000, 250_000, 3)
        );
        assert!(by_class.participants.is_none());
        assert_eq!(by_class.iter().count(), 7);
    }
}
