//! Cell readers shared by the adapters: dates, states, online flags and size columns.

use crate::size::{parse_cell, parse_phrase, Cell, Size};
use crate::table::is_missing;
use crate::table::quote;
use chrono::NaiveDate;
use tally_model::{bounds, CodingRules, Date, Estimate, Scope, StateCode};

/// A date cell: ISO `YYYY-MM-DD` (the datasets), or `M/D/YYYY` and `M/D/YY` (spreadsheets).
/// `Ok(None)` when missing; `Err` with the reason when it is not a date or lies outside
/// the plausible range (1900 to one year after `today`, see `tally_model::bounds`).
pub(crate) fn parse_date(column: &str, cell: &str, today: Date) -> Result<Option<Date>, String> {
    if is_missing(cell) {
        return Ok(None);
    }
    let date = read_date(column, cell)?;
    bounds::check_date(date, today)
        .map(Some)
        .map_err(|error| format!("{column}: {error}"))
}

fn read_date(column: &str, cell: &str) -> Result<Date, String> {
    if let Some(date) = iso_date(cell) {
        return Ok(date);
    }
    let formats = [
        "%Y-%m-%d",
        "%m/%d/%Y",
        "%m/%d/%y",
        "%Y/%m/%d",
        "%B %d, %Y",
        "%b %d, %Y",
    ];
    formats
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(cell, f).ok())
        .ok_or_else(|| format!("{column} is not a date: {}", quote(cell)))
}

/// `YYYY-MM-DD` without chrono's general parser: this runs on every dataset row.
fn iso_date(cell: &str) -> Option<Date> {
    let b = cell.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        b[range].iter().try_fold(0u32, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    NaiveDate::from_ymd_opt(number(0..4)? as i32, number(5..7)?, number(8..10)?)
}

/// A state cell: a postal code or a full name, in any case.
pub(crate) fn parse_state(cell: &str) -> Option<StateCode> {
    if let Some(code) = postal_code(cell) {
        return Some(code);
    }
    if is_missing(cell) {
        return None;
    }
    cell.parse()
        .ok()
        .or_else(|| StateCode::from_name(cell))
        .or_else(|| cell.replace('.', "").parse().ok())
}

/// A cell of two ASCII letters that is a postal code, by one look in a table of every
/// such pair (issue 12: the scan of the code list for each state cell of a dataset row
/// was about a tenth of the row's reading); `None` for any other cell, left to the
/// full reading.
fn postal_code(cell: &str) -> Option<StateCode> {
    static CODES: std::sync::OnceLock<[Option<StateCode>; 26 * 26]> = std::sync::OnceLock::new();
    let &[first, second] = cell.as_bytes() else {
        return None;
    };
    if !(first.is_ascii_alphabetic() && second.is_ascii_alphabetic()) {
        return None;
    }
    let index = |a: u8, b: u8| usize::from(a - b'A') * 26 + usize::from(b - b'A');
    let codes = CODES.get_or_init(|| {
        let mut codes = [None; 26 * 26];
        for a in b'A'..=b'Z' {
            for b in b'A'..=b'Z' {
                codes[index(a, b)] = std::str::from_utf8(&[a, b])
                    .ok()
                    .and_then(|code| code.parse().ok());
            }
        }
        codes
    });
    codes[index(first.to_ascii_uppercase(), second.to_ascii_uppercase())]
}

/// True for a truthy flag cell ("1", "TRUE", "yes").
pub(crate) fn is_true(cell: &str) -> bool {
    matches!(
        cell.to_ascii_lowercase().as_str(),
        "1" | "true" | "t" | "yes" | "y" | "1.0"
    )
}

/// True when a place's wording says the event was online ("Disability (online)",
/// "Virtual rally").
pub(crate) fn says_online(text: &str) -> bool {
    text.split(|c: char| !c.is_alphanumeric())
        .any(|word| word.eq_ignore_ascii_case("online") || word.eq_ignore_ascii_case("virtual"))
}

/// One numeric size column: its name (for messages) and its cell.
#[derive(Clone, Copy)]
pub(crate) struct SizeColumn<'a> {
    pub name: &'a str,
    pub cell: &'a str,
}

/// Reads a row's size from its low and high columns and its size wording.
///
/// - One bound gives low = high; a low above the high is an error naming both columns.
/// - No number at all: the wording is read (vague words coded by the rules, figures
///   such as "about 200" read as figures); none gives `Ok(None)`, an event without size.
/// - Numbers that equal the coded value of the wording beside them ("200" with
///   "hundreds") are marked as coded by rule: the curator coded them so.
/// - Text in a numeric column that is neither a figure nor a known wording is an error
///   naming the column and the value.
pub(crate) fn read_size(
    low: Option<SizeColumn<'_>>,
    high: Option<SizeColumn<'_>>,
    wording: &str,
    rules: &CodingRules,
) -> Result<Option<Estimate>, String> {
    let read = |column: Option<SizeColumn<'_>>| -> Result<Option<Size>, String> {
        let Some(column) = column else {
            return Ok(None);
        };
        match parse_cell(column.cell, rules) {
            Cell::Missing => Ok(None),
            Cell::Value(size) => bounded(column.name, column.cell, size).map(Some),
            Cell::Garbage => Err(match bounds::why_not_a_count(column.cell) {
                Some(why) => format!("{} {} {why}", column.name, quote(column.cell)),
                None => format!("{} is not a size: {}", column.name, quote(column.cell)),
            }),
        }
    };
    let low_size = read(low)?;
    let high_size = read(high)?;
    let wording = if is_missing(wording) { "" } else { wording };
    let estimate = match (low_size, high_size) {
        (None, None) => {
            return match (!wording.is_empty())
                .then(|| parse_phrase(wording, rules))
                .flatten()
            {
                Some(size) => Ok(Some(bounded("size_text", wording, size)?.to_estimate())),
                None => Ok(None),
            };
        }
        (Some(size), None) | (None, Some(size)) => size.to_estimate(),
        (Some(a), Some(b)) => {
            if a.low > b.high {
                let (low, high) = (low.expect("read"), high.expect("read"));
                return Err(format!(
                    "{} {} is above {} {}",
                    low.name, low.cell, high.name, high.cell
                ));
            }
            let qualifier = a.qualifier.clone().or_else(|| b.qualifier.clone());
            match (&a.vague, &b.vague) {
                (Some(text), Some(_)) if a.low == b.high => Estimate::coded(a.low, text.clone()),
                _ => Estimate::range(a.low, b.high).expect("checked above"),
            }
            .with_qualifier(qualifier)
        }
    };
    if estimate.coded_by_rule() || wording.is_empty() || estimate.low() != estimate.high() {
        return Ok(Some(estimate));
    }
    let coded = parse_phrase(wording, rules)
        .filter(|size| size.vague.is_some() && size.low == estimate.low());
    Ok(Some(match coded {
        Some(size) => estimate
            .with_coded_by_rule(true)
            .with_vague_text(size.vague),
        None => estimate,
    }))
}

/// The size when both its ends are within the bound for one gathering; otherwise the
/// reason, naming the column and the cell as written.
fn bounded(column: &str, cell: &str, size: Size) -> Result<Size, String> {
    for value in [size.high, size.low] {
        if let Err(error) = bounds::check_size(value, Scope::Event) {
            return Err(format!("{column} {}: {error}", quote(cell)));
        }
    }
    Ok(size)
}

/// A latitude or longitude within `limit` degrees; anything else is treated as absent.
pub(crate) fn coordinate(cell: &str, limit: f64) -> Option<f64> {
    cell.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && v.abs() <= limit)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col<'a>(name: &'a str, cell: &'a str) -> Option<SizeColumn<'a>> {
        Some(SizeColumn { name, cell })
    }

    fn bounds(e: &Option<Estimate>) -> Option<(u64, u64, bool)> {
        e.as_ref().map(|e| (e.low(), e.high(), e.coded_by_rule()))
    }

    #[test]
    fn sizes_follow_the_coding_rules() {
        let r = CodingRules::default();
        let size = |l, h, t| read_size(col("size_low", l), col("size_high", h), t, &r);
        assert_eq!(
            bounds(&size("100", "300", "").unwrap()),
            Some((100, 300, false))
        );
        assert_eq!(
            bounds(&size("NA", "300", "").unwrap()),
            Some((300, 300, false))
        );
        assert_eq!(bounds(&size("70", "", "").unwrap()), Some((70, 70, false)));
        assert_eq!(
            bounds(&size("NA", "NA", "dozens").unwrap()),
            Some((24, 24, true))
        );
        assert_eq!(
            bounds(&size("", "", "about 350").unwrap()),
            Some((350, 350, false))
        );
        assert_eq!(bounds(&size("NA", "NA", "a large crowd").unwrap()), None);
        assert_eq!(bounds(&size("NA", "NA", "NA").unwrap()), None);
        assert_eq!(
            bounds(&size("200", "200", "hundreds").unwrap()),
            Some((200, 200, true))
        );
        assert_eq!(
            bounds(&size("250", "250", "hundreds").unwrap()),
            Some((250, 250, false))
        );
        assert_eq!(
            size("500", "200", "").unwrap_err(),
            "size_low 500 is above size_high 200"
        );
        assert_eq!(
            size("lots", "", "").unwrap_err(),
            "size_low is not a size: \"lots\""
        );
    }

    #[test]
    fn issue_13_sizes_are_whole_and_plausible() {
        let r = CodingRules::default();
        let size = |l, h, t| read_size(col("size_low", l), col("size_high", h), t, &r);
        let table: &[(&str, &str, &str, &str)] = &[
            ("NaN", "", "", "size_low \"NaN\" is not a number (NaN or infinity)"),
            ("1.5", "", "", "size_low \"1.5\" is not a whole number"),
            ("-5", "", "", "size_low \"-5\" is negative"),
            (
                "9223372036854775808",
                "",
                "",
                "size_low \"9223372036854775808\": 9223372036854775808 people is above the plausibility bound of 20,000,000 for one gathering",
            ),
            (
                "18446744073709551616",
                "",
                "",
                "size_low \"18446744073709551616\" is too large to be a count of people",
            ),
            (
                "10",
                "20000001",
                "",
                "size_high \"20000001\": 20000001 people is above the plausibility bound of 20,000,000 for one gathering",
            ),
            (
                "",
                "",
                "about 30 million",
                "size_text \"about 30 million\": 30000000 people is above the plausibility bound of 20,000,000 for one gathering",
            ),
        ];
        for (low, high, text, expected) in table {
            assert_eq!(
                size(low, high, text).unwrap_err(),
                *expected,
                "{low:?} {high:?} {text:?}"
            );
        }
        assert_eq!(
            bounds(&size("20000000", "", "").unwrap()),
            Some((20_000_000, 20_000_000, false))
        );
        assert_eq!(
            bounds(&size("1.5 million", "", "").unwrap()),
            Some((1_500_000, 1_500_000, false))
        );
    }

    #[test]
    fn issue_13_dates_are_plausible() {
        let today: Date = "2026-11-29".parse().unwrap();
        assert!(parse_date("date", "9999-12-31", today)
            .unwrap_err()
            .starts_with("date: 9999-12-31 is after 2027-11-29"));
        assert!(parse_date("date", "-0001-01-01", today).is_err());
        assert!(parse_date("date", "1899-12-31", today).is_err());
        assert!(parse_date("date", "1900-01-01", today).unwrap().is_some());
    }

    #[test]
    fn dates_states_and_online() {
        let today: Date = "2026-01-01".parse().unwrap();
        assert_eq!(
            parse_date("date", "6/14/2025", today).unwrap(),
            Some("2025-06-14".parse().unwrap())
        );
        assert_eq!(parse_date("date", "NA", today).unwrap(), None);
        assert!(parse_date("date", "June-ish", today).is_err());
        assert_eq!(parse_state("mn").unwrap().as_str(), "MN");
        assert_eq!(parse_state("Minnesota").unwrap().as_str(), "MN");
        assert_eq!(parse_state("D.C.").unwrap().as_str(), "DC");
        assert_eq!(parse_state("Ontario"), None);
        assert_eq!(parse_state("Dc").unwrap().as_str(), "DC");
        assert_eq!(parse_state("ZZ"), None);
        assert_eq!(parse_state("NA"), None);
        assert!(says_online("Disability (online)"));
        assert!(says_online("Virtual rally"));
        assert!(!says_online("Onlineville, OH"));
    }
}
