//! Event lists: the exports of organizing platforms (CSV or JSON) that list planned
//! gatherings with their title, start, venue, address, city, state, ZIP, coordinates,
//! host and RSVP count.
//!
//! Each listing becomes an **unsized** report of a planned gathering. It makes the
//! gathering known to exist (so totals can impute and extrapolate to it) and links with
//! the other reports of the same gathering. An RSVP count is kept on the report as a
//! predictor, never as a size: people who said they would come are not a crowd count.
//!
//! Platforms name their fields differently, and JSON exports nest them
//! (`location.locality`, `timeslots[0].start_date`, `sponsor.name`). Both layouts are read
//! through one table of field names: a JSON object is flattened into `a_b_c` paths (the
//! first element of an array stands for the array), a CSV header is normalised the same
//! way, and each role takes the first name of its list that the row has, either as the
//! whole path or, for names specific enough, as the path's last part.
//!
//! Rows of one list never merge with each other (two listings in one town are two
//! gatherings), so they carry the file as their batch, like the rows of a curated sheet.
//! Dates: an ISO date or date-time is read as written (the local date); a Unix
//! timestamp is read at UTC−7, which puts every US gathering between 6 a.m. Eastern and
//! midnight Hawaii on its local day.

use crate::drive::RowReader;
use crate::fields::{coordinate, is_true, parse_state};
use crate::identity::RowIdentities;
use crate::table::{is_missing, text, Header, Table};
use crate::{IngestError, ParsedFile, Record, Reject, RowContext, Warning};
use chrono::{DateTime, NaiveDate, NaiveDateTime};
use tally_model::{Confidence, Date, Place, Report, ResolvedPlace, Source, SourceId, SourceKind};

/// What a listing's field says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Title,
    Start,
    Venue,
    Address,
    City,
    State,
    Zip,
    Lat,
    Lon,
    Host,
    Rsvp,
    Url,
    Kind,
    Online,
}

/// The names each field goes by, most specific first. `whole` names match only the
/// whole path (they are too generic to trust at the end of a nested path: `sponsor_name`
/// is a host, not a title); `suffix` names also match the last parts of a path.
struct Names {
    field: Field,
    whole: &'static [&'static str],
    suffix: &'static [&'static str],
}

const NAMES: &[Names] = &[
    Names {
        field: Field::Title,
        whole: &["title", "name", "event"],
        suffix: &["event_title", "event_name"],
    },
    Names {
        field: Field::Start,
        whole: &["date", "start", "when", "time"],
        suffix: &[
            "start_date",
            "start_time",
            "start_datetime",
            "starts_at",
            "start_at",
            "event_date",
            "begins_at",
        ],
    },
    Names {
        field: Field::Venue,
        whole: &["location"],
        suffix: &["venue", "venue_name", "location_name", "place_name"],
    },
    Names {
        field: Field::Address,
        whole: &["address"],
        suffix: &[
            "address_lines",
            "address_line_1",
            "address1",
            "street_address",
            "street",
        ],
    },
    Names {
        field: Field::City,
        whole: &[],
        suffix: &["city", "locality", "town"],
    },
    Names {
        field: Field::State,
        whole: &["state"],
        suffix: &["region", "state_code", "province", "administrative_area"],
    },
    Names {
        field: Field::Zip,
        whole: &[],
        suffix: &["zip", "zip_code", "zipcode", "postal_code", "postcode"],
    },
    Names {
        field: Field::Lat,
        whole: &["lat"],
        suffix: &["latitude"],
    },
    Names {
        field: Field::Lon,
        whole: &["lon", "lng", "long"],
        suffix: &["longitude"],
    },
    Names {
        field: Field::Host,
        whole: &["host", "organizer", "organiser", "sponsor", "organization"],
        suffix: &[
            "host_name",
            "hosted_by",
            "organizer_name",
            "organiser_name",
            "sponsor_name",
            "organization_name",
            "contact_name",
        ],
    },
    Names {
        field: Field::Rsvp,
        whole: &["going"],
        suffix: &[
            "rsvp",
            "rsvps",
            "rsvp_count",
            "attendee_count",
            "attendees",
            "attendee_total",
            "participant_count",
            "registrations",
            "signups",
        ],
    },
    Names {
        field: Field::Url,
        whole: &["url", "link"],
        suffix: &["event_url", "browser_url", "event_link", "permalink"],
    },
    Names {
        field: Field::Kind,
        whole: &["type", "category"],
        suffix: &["event_type", "event_category"],
    },
    Names {
        field: Field::Online,
        whole: &["online", "virtual"],
        suffix: &["is_virtual", "is_online"],
    },
];

/// A header or a flattened JSON path in the one spelling the table uses: lowercase
/// ASCII words joined by `_`.
fn path_key(name: &str) -> String {
    let mut key = String::with_capacity(name.len());
    for word in name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !key.is_empty() {
            key.push('_');
        }
        key.push_str(&word.to_ascii_lowercase());
    }
    key
}

/// The index of the key that plays `field`, if any: whole-path names first, in the
/// table's order, then suffix names as whole paths, then suffix names at a path's end.
fn find(keys: &[String], field: Field) -> Option<usize> {
    let names = NAMES.iter().find(|n| n.field == field)?;
    for name in names.whole.iter().chain(names.suffix) {
        if let Some(i) = keys.iter().position(|k| k == name) {
            return Some(i);
        }
    }
    for name in names.suffix {
        let tail = format!("_{name}");
        if let Some(i) = keys.iter().position(|k| k.ends_with(&tail)) {
            return Some(i);
        }
    }
    None
}

/// True when a header row is an event list: a title, a start and a city, no size
/// columns, and at least one of the things only listings carry (RSVPs, a host, a venue
/// or a ZIP code).
pub(crate) fn looks_like_event_list(headers: &[String]) -> bool {
    let keys: Vec<String> = headers.iter().map(|h| path_key(h)).collect();
    let has = |f: Field| find(&keys, f).is_some();
    let sizes = keys
        .iter()
        .any(|k| k.starts_with("size") || k.contains("estimate") || k == "low" || k == "high");
    !sizes
        && has(Field::Title)
        && has(Field::Start)
        && has(Field::City)
        && (has(Field::Rsvp) || has(Field::Host) || has(Field::Venue) || has(Field::Zip))
}

/// A listing's fields, by role.
#[derive(Debug, Default)]
struct Listing<'a> {
    cells: [Option<&'a str>; 14],
}

impl<'a> Listing<'a> {
    fn get(&self, field: Field) -> Option<&'a str> {
        self.cells[field as usize].filter(|c| !is_missing(c.trim()))
    }
}

/// The start of a listing as a local date.
fn listing_date(cell: &str) -> Result<Date, String> {
    let cell = cell.trim();
    if let Ok(seconds) = cell.parse::<i64>() {
        // Milliseconds when the number is too large to be seconds of this era.
        let seconds = if seconds.unsigned_abs() > 100_000_000_000 {
            seconds / 1000
        } else {
            seconds
        };
        return DateTime::from_timestamp(seconds - 7 * 3600, 0)
            .map(|t| t.date_naive())
            .ok_or_else(|| format!("start is not a time: {}", crate::table::quote(cell)));
    }
    // ISO date-times are read as written: their date part is the local date.
    if cell.len() >= 10 && cell.as_bytes().get(4) == Some(&b'-') {
        // `get`: the tenth byte may fall inside a character (found by fuzzing).
        if let Some(Ok(date)) = cell
            .get(..10)
            .map(|head| NaiveDate::parse_from_str(head, "%Y-%m-%d"))
        {
            return Ok(date);
        }
    }
    let date_part = cell.split([' ', 'T']).next().unwrap_or(cell);
    for format in ["%m/%d/%Y", "%m/%d/%y", "%Y/%m/%d"] {
        if let Ok(date) = NaiveDate::parse_from_str(date_part, format) {
            return Ok(date);
        }
    }
    for format in ["%B %d, %Y", "%b %d, %Y", "%A, %B %d, %Y"] {
        if let Ok(date) = NaiveDate::parse_from_str(cell, format) {
            return Ok(date);
        }
    }
    if let Ok(time) = NaiveDateTime::parse_from_str(cell, "%m/%d/%Y %I:%M %p") {
        return Ok(time.date());
    }
    Err(format!(
        "start is not a date: {}",
        crate::table::quote(cell)
    ))
}

/// An RSVP count: a whole number of people, possibly with thousands separators, within
/// the plausibility bound for one gathering (`tally_model::bounds`).
fn rsvp_count(cell: &str) -> Result<u64, String> {
    let digits: String = cell.trim().chars().filter(|c| *c != ',').collect();
    let value: u64 =
        digits
            .parse()
            .map_err(|_| match tally_model::bounds::why_not_a_count(cell) {
                Some(why) => format!("rsvp count {} {why}", crate::table::quote(cell)),
                None => format!(
                    "rsvp count is not a whole number: {}",
                    crate::table::quote(cell)
                ),
            })?;
    tally_model::bounds::check_size(value, tally_model::Scope::Event)
        .map_err(|error| format!("rsvp count: {error}"))
}

/// Builds the unsized report of one listing; `Err` is the reason the row is rejected.
fn listing_report(listing: &Listing<'_>, context: &RowContext<'_>) -> Result<Report, String> {
    let start = listing
        .get(Field::Start)
        .ok_or("the listing has no start date")?;
    let date = listing_date(start)?;
    let date = tally_model::bounds::check_date(date, context.options.received_at.date_naive())
        .map_err(|error| format!("start: {error}"))?;
    let state_cell = listing.get(Field::State);
    let state = state_cell.and_then(parse_state);
    if let (Some(cell), None) = (state_cell, state) {
        return Err(format!(
            "state is not a US state or territory: {}",
            crate::table::quote(cell)
        ));
    }
    let city = listing.get(Field::City).map(str::trim);
    let online = listing.get(Field::Online).is_some_and(is_true);
    if city.is_none() && !online {
        return Err("the listing has no city".to_string());
    }
    let mut place = Place::from_parts(city, state);
    place.online = online;
    if let (Some(state), Some(lat), Some(lon)) = (
        state,
        listing
            .get(Field::Lat)
            .and_then(|c| coordinate(c.trim(), 90.0)),
        listing
            .get(Field::Lon)
            .and_then(|c| coordinate(c.trim(), 180.0)),
    ) {
        place.resolved = Some(ResolvedPlace {
            locality: city.map(str::to_string),
            county: None,
            fips: None,
            state,
            lat: Some(lat),
            lon: Some(lon),
            population: None,
            confidence: Confidence::Exact,
        });
    }
    let mut report = Report::new(SourceId(String::new()), place, context.options.received_at);
    report.date = Some(date);
    report.title = listing.get(Field::Title).and_then(text);
    let detail: Vec<&str> = [listing.get(Field::Venue), listing.get(Field::Address)]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    if !detail.is_empty() {
        report.location_detail = Some(detail.join(", "));
    }
    report.organizers = listing.get(Field::Host).and_then(text);
    report.event_type = listing
        .get(Field::Kind)
        .and_then(text)
        .map(|k| k.to_lowercase());
    report.rsvp = listing.get(Field::Rsvp).map(rsvp_count).transpose()?;
    report.urls = listing
        .get(Field::Url)
        .and_then(text)
        .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
        .into_iter()
        .collect();
    if let Some(zip) = listing.get(Field::Zip).and_then(text) {
        report.notes = Some(format!("ZIP {zip}"));
    }
    report.batch = Some(context.batch.clone());
    Ok(report)
}

/// The CSV layout: which column plays each field.
pub(crate) struct ListingRows {
    columns: [Option<usize>; 14],
}

const ALL_FIELDS: [Field; 14] = [
    Field::Title,
    Field::Start,
    Field::Venue,
    Field::Address,
    Field::City,
    Field::State,
    Field::Zip,
    Field::Lat,
    Field::Lon,
    Field::Host,
    Field::Rsvp,
    Field::Url,
    Field::Kind,
    Field::Online,
];

impl ListingRows {
    pub(crate) fn new(header: &Header, context: &RowContext<'_>) -> Result<Self, IngestError> {
        let keys: Vec<String> = header.headers.iter().map(|h| path_key(h)).collect();
        let mut columns = [None; 14];
        for field in ALL_FIELDS {
            columns[field as usize] = find(&keys, field);
        }
        let missing: Vec<String> = [(Field::Start, "start date"), (Field::City, "city")]
            .iter()
            .filter(|(f, _)| columns[*f as usize].is_none())
            .map(|(_, name)| name.to_string())
            .collect();
        if !missing.is_empty() {
            return Err(IngestError::MissingColumns {
                origin: context.origin.to_string(),
                missing,
                headers: header.headers.clone(),
            });
        }
        Ok(ListingRows { columns })
    }
}

impl RowReader for ListingRows {
    fn kind(&self) -> SourceKind {
        SourceKind::Listing
    }

    fn read_row(
        &self,
        table: &Table<'_>,
        context: &RowContext<'_>,
        _warnings: &mut Vec<Warning>,
    ) -> Result<Option<Report>, String> {
        let mut listing = Listing::default();
        for field in ALL_FIELDS {
            if let Some(column) = self.columns[field as usize] {
                listing.cells[field as usize] = Some(table.cell(Some(column)));
            }
        }
        listing_report(&listing, context).map(Some)
    }
}

/// True when the bytes are JSON (an array, an object or JSON Lines), not CSV.
pub fn looks_like_json(bytes: &[u8]) -> bool {
    let first = bytes
        .iter()
        .find(|b| !(b.is_ascii_whitespace() || **b == 0xEF || **b == 0xBB || **b == 0xBF));
    matches!(first, Some(b'[') | Some(b'{'))
}

/// Reads a JSON event list: an array of listings, an object holding one under
/// `events`, `data`, `results` or `items`, or JSON Lines with one listing a line.
/// Each listing's JSON text is kept verbatim as its source.
pub(crate) fn read_json(
    origin: &str,
    text: &str,
    context: &RowContext<'_>,
) -> Result<ParsedFile, IngestError> {
    let bad = |message: String| IngestError::Csv {
        origin: origin.to_string(),
        message,
    };
    let elements: Vec<&serde_json::value::RawValue> =
        match serde_json::from_str::<Vec<&serde_json::value::RawValue>>(text) {
            Ok(list) => list,
            Err(array_error) => {
                match serde_json::from_str::<
                    std::collections::BTreeMap<String, &serde_json::value::RawValue>,
                >(text)
                {
                    Ok(object) => {
                        let list = ["events", "data", "results", "items"]
                            .iter()
                            .find_map(|k| object.get(*k))
                            .ok_or_else(|| {
                                bad(
                                    "a JSON event list is an array of listings, or an object with \
                                 one under \"events\", \"data\", \"results\" or \"items\""
                                        .to_string(),
                                )
                            })?;
                        serde_json::from_str(list.get()).map_err(|e| {
                            bad(format!(
                                "line {}: the event list is not an array: {e}",
                                e.line()
                            ))
                        })?
                    }
                    Err(_) if text.trim_start().starts_with('{') => {
                        // JSON Lines: one listing a line; a bad line is a reject, not a stop.
                        return Ok(read_json_lines(text, context));
                    }
                    Err(_) => {
                        return Err(bad(format!(
                            "line {}: not valid JSON: {array_error}",
                            array_error.line()
                        )))
                    }
                }
            }
        };
    let mut out = empty_parsed();
    let mut identities = RowIdentities::new();
    for element in elements {
        let raw = element.get();
        let line = line_of(text, raw);
        out.rows_read += 1;
        add_json_listing(raw, line, context, &mut identities, &mut out);
    }
    Ok(out)
}

fn read_json_lines(text: &str, context: &RowContext<'_>) -> ParsedFile {
    let mut out = empty_parsed();
    let mut identities = RowIdentities::new();
    for (index, line_text) in text.lines().enumerate() {
        if line_text.trim().is_empty() {
            continue;
        }
        out.rows_read += 1;
        add_json_listing(
            line_text.trim(),
            index + 1,
            context,
            &mut identities,
            &mut out,
        );
    }
    out
}

fn empty_parsed() -> ParsedFile {
    ParsedFile {
        format: crate::Format::EventList,
        encoding: "utf-8",
        rows_read: 0,
        records: Vec::new(),
        rejects: Vec::new(),
        blank_rows: 0,
        warnings: Vec::new(),
    }
}

/// The 1-based line of the file where `part` (a slice of `text`) starts.
fn line_of(text: &str, part: &str) -> usize {
    let offset = (part.as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
    let offset = offset.min(text.len());
    memchr::memchr_iter(b'\n', &text.as_bytes()[..offset]).count() + 1
}

fn add_json_listing(
    raw: &str,
    line: usize,
    context: &RowContext<'_>,
    identities: &mut RowIdentities,
    out: &mut ParsedFile,
) {
    let value: serde_json::Value = match serde_json::from_str(raw) {
        Ok(value) => value,
        Err(error) => {
            out.rejects.push(Reject {
                line,
                reason: format!("not valid JSON: {error}"),
            });
            return;
        }
    };
    if !value.is_object() {
        out.rejects.push(Reject {
            line,
            reason: "a listing is a JSON object".to_string(),
        });
        return;
    }
    let mut flat: Vec<(String, String)> = Vec::new();
    flatten(&value, String::new(), &mut flat, 0);
    let keys: Vec<String> = flat.iter().map(|(k, _)| k.clone()).collect();
    let mut listing = Listing::default();
    for field in ALL_FIELDS {
        if let Some(i) = find(&keys, field) {
            listing.cells[field as usize] = Some(flat[i].1.as_str());
        }
    }
    match listing_report(&listing, context) {
        Ok(report) => {
            let id = identities.next_id(SourceKind::Listing, raw);
            out.records.push(Record {
                line,
                source: Source {
                    id,
                    kind: SourceKind::Listing,
                    origin: context.origin.to_string(),
                    locator: Some(crate::drive::line_locator(line)),
                    content: raw.to_string(),
                    received_at: context.options.received_at,
                },
                report,
            });
        }
        Err(reason) => out.rejects.push(Reject { line, reason }),
    }
}

/// Flattens a JSON value into `path → text` pairs, paths in [`path_key`] form. The first
/// element of an array stands for the array (a listing's first time slot is its start);
/// an array of strings is joined with ", " (address lines).
fn flatten(value: &serde_json::Value, path: String, out: &mut Vec<(String, String)>, depth: u32) {
    use serde_json::Value;
    // Listings are shallow; anything deeper than this is not a listing field.
    if depth > 8 {
        return;
    }
    let join = |key: &str| {
        let key = path_key(key);
        if path.is_empty() {
            key
        } else {
            format!("{path}_{key}")
        }
    };
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                flatten(inner, join(key), out, depth + 1);
            }
        }
        Value::Array(items) => {
            if items.iter().all(Value::is_string) && !items.is_empty() {
                let joined: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
                out.push((path, joined.join(", ")));
            } else if let Some(first) = items.first() {
                flatten(first, path, out, depth + 1);
            }
        }
        Value::String(s) => out.push((path, s.clone())),
        Value::Number(n) => out.push((path, n.to_string())),
        Value::Bool(b) => out.push((path, b.to_string())),
        Value::Null => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_normalised_like_headers() {
        assert_eq!(path_key("Start Date"), "start_date");
        assert_eq!(path_key("location.postal_code"), "location_postal_code");
        assert_eq!(path_key(" RSVP count "), "rsvp_count");
    }

    #[test]
    fn nested_names_find_their_field_but_generic_ones_stay_whole() {
        let keys: Vec<String> = [
            "title",
            "sponsor_name",
            "location_locality",
            "location_venue",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(find(&keys, Field::Title), Some(0));
        assert_eq!(find(&keys, Field::Host), Some(1));
        assert_eq!(find(&keys, Field::City), Some(2));
        assert_eq!(find(&keys, Field::Venue), Some(3));
        // "sponsor_name" ends in "name" but is not the listing's title.
        let keys: Vec<String> = vec!["sponsor_name".into()];
        assert_eq!(find(&keys, Field::Title), None);
    }

    #[test]
    fn starts_are_local_dates() {
        assert_eq!(
            listing_date("2025-06-14T18:00:00-07:00").unwrap(),
            NaiveDate::from_ymd_opt(2025, 6, 14).unwrap()
        );
        assert_eq!(
            listing_date("6/14/2025 10:00 AM").unwrap(),
            NaiveDate::from_ymd_opt(2025, 6, 14).unwrap()
        );
        // 7 p.m. Pacific on 14 June 2025 is 02:00 UTC on the 15th.
        assert_eq!(
            listing_date("1749952800").unwrap(),
            NaiveDate::from_ymd_opt(2025, 6, 14).unwrap()
        );
        assert_eq!(
            listing_date("1749952800000").unwrap(),
            NaiveDate::from_ymd_opt(2025, 6, 14).unwrap()
        );
        assert!(listing_date("next Saturday").is_err());
    }

    #[test]
    fn rsvp_counts_are_whole_and_bounded() {
        assert_eq!(rsvp_count("1,250").unwrap(), 1250);
        assert!(rsvp_count("12.5").is_err());
        assert!(rsvp_count("99999999999").is_err());
    }

    #[test]
    fn event_list_headers_are_told_from_sheets() {
        let h = |line: &str| line.split(',').map(str::to_string).collect::<Vec<_>>();
        assert!(looks_like_event_list(&h(
            "Event Title,Start Date,Venue,Address,City,State,ZIP,Host,RSVPs"
        )));
        assert!(!looks_like_event_list(&h(
            "City,State,Estimate (low),Estimate (high)"
        )));
        assert!(!looks_like_event_list(&h(
            "date,locality,state,event,size_low,size_high,size_text,attribution,publisher,url"
        )));
    }

    /// Found by fuzzing (issue 13): a start cell whose tenth byte falls inside a
    /// character, and the most negative timestamp, are rejected rows, not panics.
    #[test]
    fn issue_13_odd_start_cells_do_not_panic() {
        assert!(listing_date("2025-06-1\u{ac}0T10:00").is_err());
        assert!(listing_date("-9223372036854775808").is_err());
    }
}
