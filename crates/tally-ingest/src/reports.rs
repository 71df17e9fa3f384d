//! The reports CSV: one row per source statement about a gathering
//! (`date, locality, state, event, size_low, size_high, size_text, attribution,
//! publisher, url`).
//!
//! Rows are not curated: they carry no batch, so linking groups the statements about
//! one gathering (same day, place and event name) into one event whose range spans
//! them. The attribution column is required per row: an unknown value rejects the row,
//! an empty one means `unknown`.
//!
//! Two optional columns carry statements about many places at once (a national
//! figure): `scope` (`event`, the default, or `aggregate`) and `event_count` (the
//! number of events or places the statement speaks of). An aggregate row is a claim to
//! check, never an event.

use crate::dataset::attribution_names;
use crate::drive::RowReader;
use crate::fields::{parse_date, parse_state, read_size, says_online, SizeColumn};
use crate::table::{is_missing, quote, text, Header, Table};
use crate::{IngestError, RowContext, Warning};
use tally_model::{Attribution, Place, Report, Scope, SourceId, SourceKind};

/// The reports adapter: the columns found in the header.
pub(crate) struct ReportRows {
    date: Option<usize>,
    locality: Option<usize>,
    state: Option<usize>,
    event: Option<usize>,
    size_low: Option<usize>,
    size_high: Option<usize>,
    size_text: Option<usize>,
    attribution: Option<usize>,
    publisher: Option<usize>,
    url: Option<usize>,
    scope: Option<usize>,
    event_count: Option<usize>,
}

impl ReportRows {
    pub(crate) fn new(
        header: &Header,
        context: &RowContext<'_>,
    ) -> Result<ReportRows, IngestError> {
        let required = [
            "date",
            "locality",
            "state",
            "event",
            "size_low",
            "size_high",
            "attribution",
        ];
        let missing: Vec<String> = required
            .iter()
            .filter(|name| header.column(name).is_none())
            .map(|name| name.to_string())
            .collect();
        if !missing.is_empty() {
            return Err(IngestError::MissingColumns {
                origin: context.origin.to_string(),
                missing,
                headers: header.headers.clone(),
            });
        }
        let column = |name: &str| header.column(name);
        Ok(ReportRows {
            date: column("date"),
            locality: column("locality"),
            state: column("state"),
            event: column("event"),
            size_low: column("size_low"),
            size_high: column("size_high"),
            size_text: column("size_text"),
            attribution: column("attribution"),
            publisher: column("publisher"),
            url: column("url").or_else(|| column("source_1")),
            scope: column("scope"),
            event_count: column("event_count"),
        })
    }
}

impl RowReader for ReportRows {
    fn kind(&self) -> SourceKind {
        SourceKind::ReportRow
    }

    fn read_row(
        &self,
        table: &Table<'_>,
        context: &RowContext<'_>,
        _warnings: &mut Vec<Warning>,
    ) -> Result<Option<Report>, String> {
        let attribution_cell = table.cell(self.attribution);
        let who: Attribution = attribution_cell.parse().map_err(|_| {
            format!(
                "attribution is not one of {}: {}",
                attribution_names(),
                quote(attribution_cell)
            )
        })?;
        let wording = text(table.cell(self.size_text));
        let estimate = read_size(
            Some(SizeColumn {
                name: "size_low",
                cell: table.cell(self.size_low),
            }),
            Some(SizeColumn {
                name: "size_high",
                cell: table.cell(self.size_high),
            }),
            wording.as_deref().unwrap_or(""),
            &context.options.rules,
        )?;
        let state_cell = table.cell(self.state);
        let mut place = Place::from_parts(
            text(table.cell(self.locality)).as_deref(),
            parse_state(state_cell),
        );
        if place.state.is_none() && !is_missing(state_cell) {
            return Err(format!(
                "state is not a US state or territory: {}",
                quote(state_cell)
            ));
        }
        place.online = says_online(&place.raw);
        let mut report = Report::new(SourceId(String::new()), place, context.options.received_at);
        report.date = parse_date(
            "date",
            table.cell(self.date),
            context.options.received_at.date_naive(),
        )?;
        let scope = match table.cell(self.scope).trim().to_ascii_lowercase().as_str() {
            "" | "event" => Scope::Event,
            "aggregate" => Scope::Aggregate,
            other => return Err(format!("scope is not event or aggregate: {}", quote(other))),
        };
        report.estimates = estimate
            .map(|e| e.with_attribution(who).with_scope(scope))
            .into_iter()
            .collect();
        let count_cell = table.cell(self.event_count).trim();
        if !is_missing(count_cell) {
            let count = count_cell.replace(',', "");
            report.event_count = Some(count.parse::<u64>().map_err(|_| {
                format!("event_count is not a whole number: {}", quote(count_cell))
            })?);
        }
        report.size_text = wording;
        report.title = text(table.cell(self.event));
        report.publisher = text(table.cell(self.publisher));
        let url = text(table.cell(self.url));
        if let Some(url) = &url {
            if !is_web_address(url) {
                // `javascript:`, `data:` or `file:` would run or open something where the
                // address is shown as a link.
                return Err(format!("url is not an http(s) address: {}", quote(url)));
            }
        }
        report.urls = url.into_iter().collect();
        Ok(Some(report))
    }
}

/// An `http://` or `https://` address with a host and no spaces or control
/// characters: the only kind a source may be cited by (issue 13).
pub(crate) fn is_web_address(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    rest.is_some_and(|rest| {
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        !host.is_empty() && !rest.chars().any(|c| c.is_whitespace() || c.is_control())
    })
}

#[cfg(test)]
mod issue_13 {
    use super::is_web_address;

    #[test]
    fn issue_13_only_http_addresses_cite_a_source() {
        for good in [
            "https://a.example/1",
            "http://b.example",
            "HTTPS://C.example/x?y#z",
        ] {
            assert!(is_web_address(good), "{good}");
        }
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            "data:text/html,<b>x</b>",
            "file:///etc/passwd",
            "https://",
            "https:///path",
            "ftp://a.example/f",
            "https://a.example/ x",
            "www.example.org",
        ] {
            assert!(!is_web_address(bad), "{bad}");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{read_file, Format, IngestOptions};
    use chrono::Utc;
    use tally_model::Attribution;

    const HEADER: &str =
        "date,locality,state,event,size_low,size_high,size_text,attribution,publisher,url";

    #[test]
    fn statements_keep_attribution_and_no_batch() {
        let file = format!(
            "{HEADER}\n2025-06-14,Burlington,VT,No Kings,3000,4000,\"3,000-4,000\",police,Paper,https://x\n2025-06-14,Burlington,VT,No Kings,16500,16500,\"16,500\",organizers,Paper,https://y\n2025-06-14,Somewhere,VT,No Kings,,,scores (vague),media,Blog,https://z\n2025-06-14,Elsewhere,VT,No Kings,10,10,,sheriff,Blog,https://w\n"
        );
        let parsed = read_file(
            "reports.csv",
            file.as_bytes(),
            &IngestOptions::new(Utc::now()),
        )
        .unwrap();
        assert_eq!(parsed.format, Format::Reports);
        assert_eq!(parsed.records.len(), 3);
        let first = &parsed.records[0].report;
        assert_eq!(first.batch, None);
        assert_eq!(first.title.as_deref(), Some("No Kings"));
        assert_eq!(first.publisher.as_deref(), Some("Paper"));
        assert_eq!(first.estimates[0].attribution(), Attribution::Police);
        assert_eq!(
            parsed.records[1].report.estimates[0].attribution(),
            Attribution::Organizers
        );
        let vague = &parsed.records[2].report.estimates[0];
        assert!(vague.coded_by_rule());
        assert_eq!(vague.low(), 40);
        assert_eq!(parsed.rejects.len(), 1);
        assert_eq!(parsed.rejects[0].line, 5);
        assert!(parsed.rejects[0]
            .reason
            .starts_with("attribution is not one of police"));
    }

    #[test]
    fn aggregate_rows_are_claims_with_their_event_count() {
        let file = format!(
            "{HEADER},scope,event_count\n2025-06-14,,,No Kings,5000000,5000000,5 million,organizers,Group,https://x,aggregate,\"2,100\"\n2025-06-14,Keene,NH,No Kings,300,300,300,media,Paper,https://y,,\n2025-06-14,,,No Kings,10,10,,media,Paper,https://z,national,\n2025-06-14,,,No Kings,10,10,,media,Paper,https://w,aggregate,many\n"
        );
        let parsed = read_file(
            "claims.csv",
            file.as_bytes(),
            &IngestOptions::new(Utc::now()),
        )
        .unwrap();
        assert_eq!(parsed.records.len(), 2, "{:?}", parsed.rejects);
        let claim = &parsed.records[0].report;
        assert!(claim.is_aggregate_only());
        assert_eq!(claim.event_count, Some(2_100));
        assert!(!parsed.records[1].report.is_aggregate_only());
        assert_eq!(parsed.rejects.len(), 2);
        assert!(parsed.rejects[0].reason.starts_with("scope is not"));
        assert!(parsed.rejects[1].reason.starts_with("event_count is not"));
    }
}
