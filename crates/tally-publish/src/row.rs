//! The view of an event that the export layouts need.

use tally_model::{CodingRules, Date, Event, Fips, Report, StateCode};

/// One exported event: the event's own fields plus the details the published layout
/// carries that an [`Event`] does not (location detail, participants, claims, size
/// wording, source URLs), which the caller may fill from the event's reports with
/// [`ExportRow::with_reports`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ExportRow {
    /// The event id, written in the GeoJSON properties (the CSV layout has no id column).
    pub id: Option<String>,
    pub date: Option<Date>,
    pub locality: Option<String>,
    pub state: Option<StateCode>,
    pub location_detail: Option<String>,
    pub online: bool,
    pub event_type: Option<String>,
    pub title: Option<String>,
    pub organizations: Option<String>,
    pub participants: Option<String>,
    pub claims: Option<String>,
    pub valence: Option<String>,
    /// Always `<= size_high` when both are set; one set without the other never happens.
    pub size_low: Option<u64>,
    pub size_high: Option<u64>,
    pub size_text: Option<String>,
    pub coded_by_rule: bool,
    pub arrests: Option<String>,
    /// Source URLs, in order: `source_1`, `source_2`, ...
    pub sources: Vec<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub resolved_county: Option<String>,
    pub fips: Option<Fips>,
}

impl From<&Event> for ExportRow {
    /// Takes the best-known place (the resolution, else the source's own columns) and the
    /// event's range. A range given with one bound only is exported as low = high, and
    /// bounds out of order are put in order, so the row always reads back.
    fn from(event: &Event) -> ExportRow {
        let (size_low, size_high) = match (event.size_low, event.size_high) {
            (Some(a), Some(b)) => (Some(a.min(b)), Some(a.max(b))),
            (Some(v), None) | (None, Some(v)) => (Some(v), Some(v)),
            (None, None) => (None, None),
        };
        let resolved = event.place.resolved.as_ref();
        ExportRow {
            id: Some(event.id.0.clone()),
            date: event.date,
            locality: event.place.best_locality().map(str::to_string),
            state: event.place.best_state(),
            online: event.place.online,
            event_type: event.event_type.clone(),
            title: event.title.clone(),
            organizations: event.organizers.clone(),
            size_low,
            size_high,
            coded_by_rule: event.coded_by_rule && size_low.is_some(),
            lat: resolved.and_then(|r| r.lat.zip(r.lon)).map(|(lat, _)| lat),
            lon: resolved.and_then(|r| r.lat.zip(r.lon)).map(|(_, lon)| lon),
            resolved_county: resolved.and_then(|r| r.county.clone()),
            fips: resolved.and_then(|r| r.fips.clone()),
            ..ExportRow::default()
        }
    }
}

impl ExportRow {
    /// Fills the details an event does not carry from its reports, taken in the order
    /// of their sources' content addresses (never of their ledger numbers, so the same
    /// content gives the same row whatever order it was ingested in): the first
    /// non-empty location detail, participants, claims, valence and arrests; the size
    /// wording of the reports that gave the event's bounds (else the first); and every
    /// distinct URL.
    pub fn with_reports(mut self, reports: &[Report]) -> ExportRow {
        let mut ordered: Vec<&Report> = reports.iter().collect();
        // Two reports of one source never share an event; the rest of the key only
        // keeps the order total if a reviewer's merge made them.
        ordered.sort_by_cached_key(|r| {
            (
                r.source_id.0.clone(),
                r.date,
                r.place.raw.clone(),
                r.title.clone(),
                r.estimates
                    .iter()
                    .map(|e| (e.low(), e.high()))
                    .collect::<Vec<_>>(),
            )
        });
        let reports = ordered.as_slice();
        fn first(
            reports: &[&Report],
            field: impl Fn(&Report) -> Option<&String>,
        ) -> Option<String> {
            reports
                .iter()
                .find_map(|r| field(r).filter(|v| !v.is_empty()).cloned())
        }
        self.location_detail = self
            .location_detail
            .or_else(|| first(reports, |r| r.location_detail.as_ref()));
        self.participants = self
            .participants
            .or_else(|| first(reports, |r| r.participants.as_ref()));
        self.claims = self
            .claims
            .or_else(|| first(reports, |r| r.claims.as_ref()));
        self.valence = self
            .valence
            .or_else(|| first(reports, |r| r.valence.as_ref()));
        self.arrests = self
            .arrests
            .or_else(|| first(reports, |r| r.arrests.as_ref()));
        if self.size_text.is_none() {
            let bound = |value: Option<u64>, pick: fn(&tally_model::Estimate) -> u64| {
                reports
                    .iter()
                    .find(|r| r.event_estimates().any(|e| Some(pick(e)) == value))
            };
            self.size_text = bound(self.size_low, |e| e.low())
                .or_else(|| bound(self.size_high, |e| e.high()))
                .and_then(|r| r.size_text.clone())
                .or_else(|| first(reports, |r| r.size_text.as_ref()));
        }
        for url in reports.iter().flat_map(|r| r.urls.iter()) {
            if !url.is_empty() && !self.sources.contains(url) {
                self.sources.push(url.clone());
            }
        }
        self
    }

    /// `(size_low + size_high) / 2`.
    pub fn size_mean(&self) -> Option<f64> {
        Some((self.size_low? as f64 + self.size_high? as f64) / 2.0)
    }

    /// The size wording to export. For an event without a size, wording that holds a
    /// figure or a phrase of the coding table is left out: read back, it would be coded
    /// into a size the ledger did not count, and the export must round-trip.
    pub(crate) fn exported_size_text(&self, rules: &CodingRules) -> Option<&str> {
        let text = self.size_text.as_deref().filter(|t| !t.trim().is_empty())?;
        if self.size_low.is_some() || !could_be_coded(text, rules) {
            Some(text)
        } else {
            None
        }
    }
}

/// True when the wording holds a digit or any phrase of the coding table as whole words.
fn could_be_coded(text: &str, rules: &CodingRules) -> bool {
    if text.bytes().any(|b| b.is_ascii_digit()) {
        return true;
    }
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    rules.rules.iter().any(|rule| {
        let phrase: Vec<&str> = rule.phrase.split(' ').collect();
        words
            .windows(phrase.len())
            .any(|window| window.iter().zip(&phrase).all(|(w, p)| w == p))
    })
}

/// The size category of the published dataset, from the midpoint of the range:
/// 0 = unknown, 1 = under 100, 2 = 100–999, 3 = 1,000–9,999, 4 = 10,000 or more.
/// (A known size of 0 is category 1: known, and under 100.)
pub fn size_category(mean: Option<f64>) -> u8 {
    match mean {
        None => 0,
        Some(m) if m < 100.0 => 1,
        Some(m) if m < 1_000.0 => 2,
        Some(m) if m < 10_000.0 => 3,
        Some(_) => 4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tally_model::{Confidence, EventId, Place, ResolvedPlace};

    fn event() -> Event {
        let mut place = Place::from_parts(Some("Boise"), Some("ID".parse().unwrap()));
        place.resolved = Some(ResolvedPlace {
            locality: Some("Boise City".into()),
            county: Some("Ada County".into()),
            fips: Some(Fips::parse("16001").unwrap()),
            state: "ID".parse().unwrap(),
            lat: Some(43.615),
            lon: Some(-116.2023),
            population: None,
            confidence: Confidence::Exact,
        });
        Event {
            id: EventId("ev1".into()),
            date: Some("2025-06-14".parse().unwrap()),
            place,
            event_type: Some("protest".into()),
            title: Some("No Kings".into()),
            organizers: Some("Indivisible".into()),
            reports: vec![],
            size_low: Some(900),
            size_high: Some(300),
            low_from: None,
            high_from: None,
            coded_by_rule: false,
        }
    }

    #[test]
    fn events_become_rows_with_ordered_bounds() {
        let row = ExportRow::from(&event());
        assert_eq!((row.size_low, row.size_high), (Some(300), Some(900)));
        assert_eq!(row.locality.as_deref(), Some("Boise City"));
        assert_eq!(row.fips.as_ref().unwrap().as_str(), "16001");
        assert_eq!(row.size_mean(), Some(600.0));
        assert_eq!(size_category(row.size_mean()), 2);
    }

    #[test]
    fn issue_12_report_details_fill_what_the_event_lacks_in_source_order() {
        use tally_model::{Attribution, Estimate, SourceId, Timestamp};
        let at: Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
        let place = Place::from_parts(Some("Boise"), Some("ID".parse().unwrap()));
        let mut police = Report::new(SourceId("a".into()), place.clone(), at);
        police.estimates = vec![Estimate::exact(300).with_attribution(Attribution::Police)];
        police.size_text = Some("about 300, police".into());
        police.urls = vec!["https://a".into(), "https://shared".into()];
        police.claims = Some("against the war".into());
        let mut organizers = Report::new(SourceId("b".into()), place, at);
        organizers.estimates = vec![Estimate::exact(900).with_attribution(Attribution::Organizers)];
        organizers.size_text = Some("900 say organizers".into());
        organizers.urls = vec!["https://shared".into(), "https://b".into()];
        organizers.location_detail = Some("the capitol".into());
        let row = ExportRow::from(&event()).with_reports(&[organizers.clone(), police.clone()]);
        // The wording of the report that gave the low bound is the one kept.
        assert_eq!(row.size_text.as_deref(), Some("about 300, police"));
        assert_eq!(row.claims.as_deref(), Some("against the war"));
        assert_eq!(row.location_detail.as_deref(), Some("the capitol"));
        // URLs in the order of the sources' content addresses ("a" before "b").
        assert_eq!(row.sources, ["https://a", "https://shared", "https://b"]);
        // Whatever order the ledger numbered the reports in.
        assert_eq!(
            ExportRow::from(&event()).with_reports(&[police, organizers]),
            row
        );
    }

    #[test]
    fn size_categories_follow_the_published_convention() {
        assert_eq!(size_category(None), 0);
        assert_eq!(size_category(Some(0.0)), 1);
        assert_eq!(size_category(Some(99.5)), 1);
        assert_eq!(size_category(Some(100.0)), 2);
        assert_eq!(size_category(Some(9_999.0)), 3);
        assert_eq!(size_category(Some(10_000.0)), 4);
    }

    #[test]
    fn codable_wording_of_unsized_events_is_left_out() {
        let rules = CodingRules::default();
        let mut row = ExportRow {
            size_text: Some("a large crowd".into()),
            ..ExportRow::default()
        };
        assert_eq!(row.exported_size_text(&rules), Some("a large crowd"));
        for text in ["scores of people", "Dozens", "about 300"] {
            row.size_text = Some(text.into());
            assert_eq!(row.exported_size_text(&rules), None, "{text}");
        }
        row.size_low = Some(24);
        row.size_high = Some(24);
        row.size_text = Some("dozens".into());
        assert_eq!(row.exported_size_text(&rules), Some("dozens"));
    }
}
