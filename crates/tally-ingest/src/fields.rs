//! Cell readers shared by the adapters: dates, states, online flags and size columns.

use crate::size::{parse_cell, parse_phrase, Cell, Size};
use crate::table::is_missing;
use chrono::NaiveDate;
use tally_model::{CodingRules, Date, Estimate, StateCode};

/// A date cell: ISO `YYYY-MM-DD` (the datasets), or `M/D/YYYY` and `M/D/YY` (spreadsheets).
/// `Ok(None)` when missing; `Err` with the reason when it is not a date.
pub(crate) fn parse_date(column: &str, cell: &str) -> Result<Option<Date>, String> {
    if is_missing(cell) {
        return Ok(None);
    }
    if let Some(date) = iso_date(cell) {
        return Ok(Some(date));
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
        .map(Some)
        .ok_or_else(|| format!("{column} is not a date: {cell:?}"))
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
    if is_missing(cell) {
        return None;
    }
    cell.parse()
        .ok()
        .or_else(|| StateCode::from_name(cell))
        .or_else(|| cell.replace('.', "").parse().ok())
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
            Cell::Value(size) => Ok(Some(size)),
            Cell::Garbage => Err(format!("{} is not a size: {:?}", column.name, column.cell)),
        }
    };
    let low_size = read(low)?;
    let high_size = read(high)?;
    let wording = if is_missing(wording) { "" } else { wording };
    let estimate = match (low_size, high_size) {
        (None, None) => {
            return Ok((!wording.is_empty())
                .then(|| parse_phrase(wording, rules))
                .flatten()
                .map(|size| size.to_estimate()))
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
    fn dates_states_and_online() {
        assert_eq!(
            parse_date("date", "6/14/2025").unwrap(),
            Some("2025-06-14".parse().unwrap())
        );
        assert_eq!(parse_date("date", "NA").unwrap(), None);
        assert!(parse_date("date", "June-ish").is_err());
        assert_eq!(parse_state("mn").unwrap().as_str(), "MN");
        assert_eq!(parse_state("Minnesota").unwrap().as_str(), "MN");
        assert_eq!(parse_state("D.C.").unwrap().as_str(), "DC");
        assert_eq!(parse_state("Ontario"), None);
        assert!(says_online("Disability (online)"));
        assert!(says_online("Virtual rally"));
        assert!(!says_online("Onlineville, OH"));
    }
}
