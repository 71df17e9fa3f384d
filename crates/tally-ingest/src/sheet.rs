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

use crate::fields::{parse_date, parse_state, read_size, says_online, SizeColumn};
use crate::identity::RowIdentities;
use crate::table::{header_key, is_missing, text, Table};
use crate::{IngestError, ParsedFile, Record, Reject, Role, RowContext, Warning};
use tally_model::{Place, Report, Source, SourceId, SourceKind, StateCode};

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
    let key = header_key(header);
    let words: Vec<&str> = key
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let any = |list: &[&str]| words.iter().any(|w| list.contains(w));
    if any(&["low", "min", "minimum", "lower", "lowest"]) {
        return Some(Role::Low);
    }
    if any(&["high", "max", "maximum", "upper", "highest"]) {
        return Some(Role::High);
    }
    if matches!(
        key.as_str(),
        "state" | "st" | "state/territory" | "state code" | "stateterritory"
    ) {
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

/// The guess, with `--map` overrides applied, or the error naming what is missing.
fn columns(table: &Table<'_>, context: &RowContext<'_>) -> Result<Columns, IngestError> {
    let mut columns = guess(table.headers());
    for (role, name) in &context.options.column_map {
        let wanted = header_key(name);
        let index = table
            .keys()
            .iter()
            .position(|k| *k == wanted)
            .ok_or_else(|| IngestError::MappedColumnNotFound {
                origin: context.origin.to_string(),
                role: *role,
                name: name.clone(),
                headers: table.headers().to_vec(),
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
            headers: table.headers().to_vec(),
        });
    }
    Ok(columns)
}

pub(crate) fn read(
    table: &mut Table<'_>,
    context: &RowContext<'_>,
    out: &mut ParsedFile,
) -> Result<(), IngestError> {
    let columns = columns(table, context)?;
    if columns.date.is_none() && context.options.date.is_none() {
        out.warnings.push(Warning {
            line: None,
            message: "the sheet has no date column and no --date was given: rows have no date"
                .to_string(),
        });
    }
    let headers: Vec<String> = table.headers().to_vec();
    let name = |index: Option<usize>, fallback: &'static str| -> String {
        index
            .and_then(|i| headers.get(i).cloned())
            .unwrap_or_else(|| fallback.to_string())
    };
    let low_index = columns.low.or(columns.size);
    let (low_name, high_name) = (name(low_index, "low"), name(columns.high, "high"));
    let mut ids = RowIdentities::new();
    while table.advance()? {
        out.rows_read += 1;
        if table.is_blank() {
            out.blank_rows += 1;
            continue;
        }
        let line = table.line();
        if let Some(reason) = table.width_problem(true) {
            out.rejects.push(Reject { line, reason });
            continue;
        }
        let place_cell = table.cell(columns.place);
        let has_size = [low_index, columns.high]
            .iter()
            .any(|&i| !is_missing(table.cell(i)));
        if is_missing(place_cell) {
            if has_size {
                out.rejects.push(Reject {
                    line,
                    reason: format!(
                        "{} is empty but the row has a size",
                        name(columns.place, "place")
                    ),
                });
            } else {
                out.warnings.push(Warning {
                    line: Some(line),
                    message: "skipped: the row has no place and no size".to_string(),
                });
            }
            continue;
        }
        if is_totals_row(place_cell) {
            out.warnings.push(Warning {
                line: Some(line),
                message: format!("skipped a totals row ({place_cell:?}): it is not a gathering"),
            });
            continue;
        }
        let row = || -> Result<Report, String> {
            let estimate = read_size(
                low_index.map(|i| SizeColumn {
                    name: &low_name,
                    cell: table.cell(Some(i)),
                }),
                columns.high.map(|i| SizeColumn {
                    name: &high_name,
                    cell: table.cell(Some(i)),
                }),
                "",
                &context.options.rules,
            )?;
            let date = match columns.date {
                Some(i) => parse_date(&name(Some(i), "date"), table.cell(Some(i)))?,
                None => None,
            }
            .or(context.options.date);
            let mut report = Report::new(
                SourceId(String::new()),
                read_place(place_cell, parse_state(table.cell(columns.state))),
                context.options.received_at,
            );
            report.date = date;
            report.estimates = estimate.into_iter().collect();
            report.size_text = size_wording(table.cell(low_index), table.cell(columns.high));
            report.title = text(table.cell(columns.title));
            report.notes = text(table.cell(columns.notes));
            report.urls = text(table.cell(columns.url)).into_iter().collect();
            report.batch = Some(context.batch.clone());
            Ok(report)
        };
        match row() {
            Ok(mut report) => {
                let raw = table.raw();
                let source = Source {
                    id: ids.next_id(SourceKind::SheetRow, raw),
                    kind: SourceKind::SheetRow,
                    origin: context.origin.to_string(),
                    locator: Some(format!("line {line}")),
                    content: raw.to_string(),
                    received_at: context.options.received_at,
                };
                report.source_id = source.id.clone();
                out.records.push(Record {
                    line,
                    source,
                    report,
                });
            }
            Err(reason) => out.rejects.push(Reject { line, reason }),
        }
    }
    Ok(())
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
fn read_place(raw: &str, state_column: Option<StateCode>) -> Place {
    let (locality, state) = split_place(raw);
    Place {
        raw: raw.to_string(),
        locality,
        state: state_column.or(state),
        online: says_online(raw),
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
        let state = postal_code(last.trim()).or_else(|| parse_state(last.trim()));
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
        ];
        for (raw, locality, state) in cases {
            let (l, s) = split_place(raw);
            assert_eq!(l.as_deref(), *locality, "{raw}");
            assert_eq!(s.map(|s| s.as_str()), *state, "{raw}");
        }
        assert!(read_place("Disability (online)", None).online);
    }

    #[test]
    fn totals_rows_are_recognised() {
        assert!(is_totals_row("TOTAL"));
        assert!(is_totals_row("Grand Total:"));
        assert!(!is_totals_row("Totowa, NJ"));
    }
}
