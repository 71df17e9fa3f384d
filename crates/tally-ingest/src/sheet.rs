//! Volunteer tally sheets: a place column ("City, ST"), maybe a state column, low and
//! high estimates under headers that vary from sheet to sheet, blanks and notes.
//!
//! Columns are guessed from the words of their headers ("Estimate1 (low)", "Low",
//! "min" are all the low estimate) and `--map role=header` overrides the guess. A sheet
//! needs a place column and at least one size column (low, high, or a single
//! estimate); without them the file is refused with the headers it had.
//!
//! Rows: a blank row is counted and skipped; a totals row ("Total", "Grand total") is
//! skipped with a warning, because adding it would count every gathering twice; a row
//! with sizes but no place is rejected; a row with a place but no size is an event
//! without a size.

use crate::drive::RowReader;
use crate::fields::{parse_date, parse_state, read_size, says_online, SizeColumn};
use crate::table::{header_key, is_missing, quote, text, Header, Table};
use crate::{IngestError, Role, RowContext, Warning};
use tally_model::{Place, Report, SourceId, SourceKind, StateCode};

/// The column of each role, by index.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Columns {
    place: Option<usize>,
    state: Option<usize>,
    low: Option<usize>,
    high: Option<usize>,
    size: Option<usize>,
    date: Option<usize>,
    title: Option<usize>,
    notes: Option<usize>,
    url: Option<usize>,
}

impl Columns {
    fn get(&self, role: Role) -> Option<usize> {
        match role {
            Role::Place => self.place,
            Role::State => self.state,
            Role::Low => self.low,
            Role::High => self.high,
            Role::Size => self.size,
            Role::Date => self.date,
            Role::Title => self.title,
            Role::Notes => self.notes,
            Role::Url => self.url,
        }
    }

    fn slot(&mut self, role: Role) -> &mut Option<usize> {
        match role {
            Role::Place => &mut self.place,
            Role::State => &mut self.state,
            Role::Low => &mut self.low,
            Role::High => &mut self.high,
            Role::Size => &mut self.size,
            Role::Date => &mut self.date,
            Role::Title => &mut self.title,
            Role::Notes => &mut self.notes,
            Role::Url => &mut self.url,
        }
    }
}

/// The role a header suggests, from its words. Size words are tried first, so that
/// "Estimate1 (low)" is the low estimate and not a single estimate.
fn guess_role(header: &str) -> Option<Role> {
    let key = header_key(&split_camel_case(header));
    // "Estimate1", "Source2": the number tells columns apart, not what they hold.
    let words: Vec<&str> = key
        .split(|c: char| !c.is_alphanumeric())
        .map(|w| w.trim_end_matches(|c: char| c.is_ascii_digit()))
        .filter(|w| !w.is_empty())
        .collect();
    let any = |list: &[&str]| words.iter().any(|w| list.contains(w));
    if any(&["low", "min", "minimum", "lower", "lowest"]) {
        return Some(Role::Low);
    }
    if any(&["high", "max", "maximum", "upper", "highest"]) {
        return Some(Role::High);
    }
    let state_words = ["territory", "code", "abbreviation", "abbr", "postal"];
    if matches!(key.as_str(), "st" | "state/territory")
        || (words.first() == Some(&"state") && words[1..].iter().all(|w| state_words.contains(w)))
    {
        return Some(Role::State);
    }
    if any(&[
        "city", "location", "place", "town", "locality", "where", "citytown",
    ]) {
        return Some(Role::Place);
    }
    if any(&["date", "day"]) {
        return Some(Role::Date);
    }
    if any(&["url", "link", "links", "source", "sources"]) {
        return Some(Role::Url);
    }
    if any(&[
        "notes",
        "note",
        "comments",
        "comment",
        "misc",
        "details",
        "description",
    ]) {
        return Some(Role::Notes);
    }
    if any(&[
        "estimate",
        "estimates",
        "count",
        "size",
        "attendance",
        "turnout",
        "crowd",
        "headcount",
        "attendees",
        "number",
    ]) {
        return Some(Role::Size);
    }
    if any(&["event", "title", "name", "action"]) {
        return Some(Role::Title);
    }
    None
}

/// "EstimateLow" → "Estimate Low": spreadsheet headers written in camel case.
fn split_camel_case(header: &str) -> String {
    let mut out = String::with_capacity(header.len() + 4);
    let mut previous_lower = false;
    for c in header.chars() {
        if c.is_uppercase() && previous_lower {
            out.push(' ');
        }
        previous_lower = c.is_lowercase();
        out.push(c);
    }
    out
}

/// Guesses every role from the headers: the leftmost column suggesting a role takes it.
fn guess(headers: &[String]) -> Columns {
    let mut columns = Columns::default();
    for (index, header) in headers.iter().enumerate() {
        if let Some(role) = guess_role(header) {
            columns.slot(role).get_or_insert(index);
        }
    }
    columns
}

/// True when the headers have a place column and a size column: enough to read a sheet.
pub(crate) fn looks_like_sheet(headers: &[String]) -> bool {
    let columns = guess(headers);
    columns.place.is_some()
        && (columns.low.is_some() || columns.high.is_some() || columns.size.is_some())
}

/// True when every header named by `--map` is in this row.
pub(crate) fn has_mapped_columns(headers: &[String], map: &[(Role, String)]) -> bool {
    !map.is_empty()
        && map.iter().all(|(_, name)| {
            let wanted = header_key(name);
            headers.iter().any(|h| header_key(h) == wanted)
        })
}

/// The guess, with `--map` overrides applied, or the error naming what is missing.
fn columns(header: &Header, context: &RowContext<'_>) -> Result<Columns, IngestError> {
    let mut columns = guess(&header.headers);
    for (role, name) in &context.options.column_map {
        let wanted = header_key(name);
        let index = header
            .keys
            .iter()
            .position(|k| *k == wanted)
            .ok_or_else(|| IngestError::MappedColumnNotFound {
                origin: context.origin.to_string(),
                role: *role,
                name: name.clone(),
                headers: header.headers.clone(),
            })?;
        // A mapped column plays only the role it was given.
        for other in Role::ALL {
            if columns.get(other) == Some(index) {
                *columns.slot(other) = None;
            }
        }
        *columns.slot(*role) = Some(index);
    }
    let mut missing = Vec::new();
    if columns.place.is_none() {
        missing.push("place".to_string());
    }
    if columns.low.is_none() && columns.high.is_none() && columns.size.is_none() {
        missing.push("low".to_string());
        missing.push("high".to_string());
    }
    if !missing.is_empty() {
        return Err(IngestError::MissingColumns {
            origin: context.origin.to_string(),
            missing,
            headers: header.headers.clone(),
        });
    }
    Ok(columns)
}

/// The sheet adapter: the columns guessed (and mapped), with their header names for
/// messages.
pub(crate) struct SheetRows {
    columns: Columns,
    /// The low column, or the single size column when there is no low one.
    low: Option<usize>,
    place_name: String,
    low_name: String,
    high_name: String,
    date_name: String,
}

impl SheetRows {
    /// Guesses and maps the columns; refuses a sheet whose rows could have no date.
    pub(crate) fn new(
        header: &Header,
        context: &RowContext<'_>,
        warnings: &mut Vec<Warning>,
    ) -> Result<SheetRows, IngestError> {
        let columns = columns(header, context)?;
        // A dateless row can never be linked to its gathering, and re-reading the sheet
        // later with a date would skip every row as a duplicate: refuse up front.
        if columns.date.is_none() && context.options.date.is_none() {
            return Err(IngestError::SheetWithoutDate {
                origin: context.origin.to_string(),
            });
        }
        let _ = warnings;
        let name = |index: Option<usize>, fallback: &str| -> String {
            index
                .and_then(|i| header.headers.get(i).cloned())
                .unwrap_or_else(|| fallback.to_string())
        };
        let low = columns.low.or(columns.size);
        Ok(SheetRows {
            low,
            place_name: name(columns.place, "place"),
            low_name: name(low, "low"),
            high_name: name(columns.high, "high"),
            date_name: name(columns.date, "date"),
            columns,
        })
    }
}

impl RowReader for SheetRows {
    fn kind(&self) -> SourceKind {
        SourceKind::SheetRow
    }

    fn allow_short_rows(&self) -> bool {
        true
    }

    fn read_row(
        &self,
        table: &Table<'_>,
        context: &RowContext<'_>,
        warnings: &mut Vec<Warning>,
    ) -> Result<Option<Report>, String> {
        let columns = &self.columns;
        let line = table.line();
        let place_cell = table.cell(columns.place);
        if is_missing(place_cell) {
            let has_size = [self.low, columns.high]
                .iter()
                .any(|&i| !is_missing(table.cell(i)));
            if has_size {
                return Err(format!(
                    "{} is empty but the row has a size",
                    self.place_name
                ));
            }
            warnings.push(Warning {
                line: Some(line),
                message: "skipped: the row has no place and no size".to_string(),
            });
            return Ok(None);
        }
        if is_totals_row(place_cell) {
            warnings.push(Warning {
                line: Some(line),
                message: format!(
                    "skipped a totals row ({}): it is not a gathering",
                    quote(place_cell)
                ),
            });
            return Ok(None);
        }
        let estimate = read_size(
            self.low.map(|i| SizeColumn {
                name: &self.low_name,
                cell: table.cell(Some(i)),
            }),
            columns.high.map(|i| SizeColumn {
                name: &self.high_name,
                cell: table.cell(Some(i)),
            }),
            "",
            &context.options.rules,
        )?;
        let date = match columns.date {
            Some(i) => parse_date(
                &self.date_name,
                table.cell(Some(i)),
                context.options.received_at.date_naive(),
            )?,
            None => None,
        }
        .or(context.options.date)
        .ok_or_else(|| {
            format!(
                "{} is empty and no --date was given: the row would have no date",
                self.date_name
            )
        })?;
        let mut report = Report::new(
            SourceId(String::new()),
            read_place(place_cell, table.cell(columns.state)),
            context.options.received_at,
        );
        report.date = Some(date);
        report.estimates = estimate.into_iter().collect();
        report.size_text = size_wording(table.cell(self.low), table.cell(columns.high));
        report.title = text(table.cell(columns.title));
        report.notes = text(table.cell(columns.notes));
        report.urls = text(table.cell(columns.url)).into_iter().collect();
        report.batch = Some(context.batch.clone());
        Ok(Some(report))
    }
}

/// The size cells as written, when either holds wording rather than plain digits, so
/// that "hundreds" or "~500" stays visible beside the coded figure.
fn size_wording(low: &str, high: &str) -> Option<String> {
    let wordy = |c: &str| !is_missing(c) && !c.bytes().all(|b| b.is_ascii_digit() || b == b',');
    match (wordy(low), wordy(high)) {
        (false, false) => None,
        (true, false) => Some(low.to_string()),
        (false, true) => Some(high.to_string()),
        (true, true) if low == high => Some(low.to_string()),
        (true, true) => Some(format!("{low} / {high}")),
    }
}

fn is_totals_row(place: &str) -> bool {
    let lower = place.trim().trim_end_matches(':').to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "total" | "totals" | "grand total" | "sum" | "subtotal"
    ) || lower.starts_with("total ")
}

/// A place as a sheet writes it. The text is kept whole in `raw`; the state is taken
/// from the state column, else from a trailing postal code ("Boise, ID",
/// "Washington DC"); the locality is split off only when the text names one place
/// ("Boise"), not several ("St. Paul/Minneapolis", "South Lake Tahoe, CA / Stateline").
fn read_place(raw: &str, state_cell: &str) -> Place {
    let state_column = parse_state(state_cell);
    let (mut locality, state) = split_place(raw);
    // A sheet with a state column often writes the city alone ("Boise").
    let plain = !raw.contains([',', '/', '&', ';', '(']);
    if locality.is_none() && state.is_none() && state_column.is_some() && plain {
        locality = Some(raw.trim().to_string());
    }
    Place {
        raw: raw.to_string(),
        locality,
        state: state_column.or(state),
        online: says_online(raw) || says_online(state_cell),
        resolved: None,
    }
}

fn split_place(raw: &str) -> (Option<String>, Option<StateCode>) {
    let raw = raw.trim();
    if let Some((before, last)) = raw.rsplit_once(',') {
        // Every part after a comma that starts with a postal code names a state; more
        // than one distinct state means the row spans places.
        let mut states: Vec<StateCode> = raw
            .split(',')
            .skip(1)
            .filter_map(|part| part.split_whitespace().next())
            .filter_map(postal_code)
            .collect();
        states.dedup();
        // A note after the state ("Encinitas, CA (Seacrest)") is not part of it.
        let last = last.split('(').next().unwrap_or(last).trim();
        let state = postal_code(last).or_else(|| parse_state(last));
        if states.len() > 1 || state.is_none() {
            return (None, None);
        }
        let before = before.trim();
        let single = !before.is_empty() && !before.contains(['/', ',', '&', ';']);
        return (single.then(|| before.to_string()), state);
    }
    if let Some((before, last)) = raw.rsplit_once(' ') {
        if let Some(state) = postal_code(last) {
            let before = before.trim();
            let single = !before.is_empty() && !before.contains(['/', '&', ';', '(']);
            return (single.then(|| before.to_string()), Some(state));
        }
    }
    (None, None)
}

/// An upper-case postal code ("MN", "D.C."): lower-case words such as "in" or "me" are
/// not taken for states.
fn postal_code(word: &str) -> Option<StateCode> {
    let word = word.trim();
    let letters: String = word.chars().filter(|c| *c != '.').collect();
    if letters.len() == 2 && letters.chars().all(|c| c.is_ascii_uppercase()) {
        letters.parse().ok()
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn odd_headers_are_guessed() {
        let columns = guess(&headers(&[
            "City, ST",
            "State",
            "Estimate1 (low)",
            "Estimate (high)",
            "Notes",
            "Source link",
        ]));
        assert_eq!(columns.place, Some(0));
        assert_eq!(columns.state, Some(1));
        assert_eq!(columns.low, Some(2));
        assert_eq!(columns.high, Some(3));
        assert_eq!(columns.notes, Some(4));
        assert_eq!(columns.url, Some(5));
        let columns = guess(&headers(&["Location", "min", "max"]));
        assert_eq!(
            (columns.place, columns.low, columns.high),
            (Some(0), Some(1), Some(2))
        );
        let columns = guess(&headers(&["Town", "Crowd size"]));
        assert_eq!((columns.place, columns.size), (Some(0), Some(1)));
        assert!(!looks_like_sheet(&headers(&["foo", "bar"])));
        // The column names of the crowd-counting project's own monthly sheets.
        let columns = guess(&headers(&[
            "Date",
            "CityTown",
            "StateTerritory",
            "Location",
            "EstimateText",
            "EstimateLow",
            "EstimateHigh",
            "Source1",
        ]));
        assert_eq!(columns.date, Some(0));
        assert_eq!(columns.place, Some(1));
        assert_eq!(columns.state, Some(2));
        assert_eq!((columns.low, columns.high), (Some(5), Some(6)));
        assert_eq!(columns.url, Some(7));
    }

    #[test]
    fn places_split_only_when_plain() {
        let cases: &[(&str, Option<&str>, Option<&str>)] = &[
            ("Boise, ID", Some("Boise"), Some("ID")),
            ("St. Paul/Minneapolis, MN", None, Some("MN")),
            ("South Lake Tahoe, CA / Stateline, NV", None, None),
            ("Washington DC", Some("Washington"), Some("DC")),
            ("Washington, D.C.", Some("Washington"), Some("DC")),
            ("Kahului, Maui, HI", None, Some("HI")),
            ("Disability (online)", None, None),
            ("Springfield", None, None),
            ("Portland, Oregon", Some("Portland"), Some("OR")),
            ("Encinitas, CA (Seacrest)", Some("Encinitas"), Some("CA")),
            ("Honolulu (Oahu) HI", None, Some("HI")),
        ];
        for (raw, locality, state) in cases {
            let (l, s) = split_place(raw);
            assert_eq!(l.as_deref(), *locality, "{raw}");
            assert_eq!(s.map(|s| s.as_str()), *state, "{raw}");
        }
        assert!(read_place("Disability (online)", "").online);
        assert!(read_place("Teach-in", "VIRTUAL").online);
        let boise = read_place("Boise", "ID");
        assert_eq!(
            (boise.locality.as_deref(), boise.raw.as_str()),
            (Some("Boise"), "Boise")
        );
    }

    #[test]
    fn totals_rows_are_recognised() {
        assert!(is_totals_row("TOTAL"));
        assert!(is_totals_row("Grand Total:"));
        assert!(!is_totals_row("Totowa, NJ"));
    }
}
