//! Plausibility bounds on input: crowd sizes and dates.
//!
//! Every reader (dataset CSV, sheets, reports CSV, articles, `area --record`) checks what
//! it read against these bounds before anything reaches the ledger, so that one typo or
//! hostile cell cannot move a total. The bounds live here, in one place, so that every
//! front end refuses the same things with the same words.
//!
//! - A size is a whole number of people. One gathering holds at most
//!   [`MAX_GATHERING_SIZE`] (20 million: well above the largest gatherings ever
//!   reported, which are in the low millions, yet far below anything that overflows);
//!   a total over many places (an aggregate) at most [`MAX_AGGREGATE_SIZE`] (more than
//!   the population of the United States).
//! - A date runs from [`EARLIEST_DATE`] (1900-01-01) to one year after "today", where
//!   today is the day the input was received (so that a re-read gives the same answer).
//! - Text that looks like a number but is not a whole count ("NaN", "1.5", "-3",
//!   "18446744073709551616") is named as such by [`why_not_a_count`], never rounded,
//!   clamped or wrapped.

use crate::{Date, Estimate, Scope};
use chrono::{Datelike, NaiveDate};

/// The most people one gathering may be reported to hold.
pub const MAX_GATHERING_SIZE: u64 = 20_000_000;

/// The most people a total over many places may be reported to hold.
pub const MAX_AGGREGATE_SIZE: u64 = 400_000_000;

/// The earliest date a gathering may carry.
pub const EARLIEST_DATE: Date = match NaiveDate::from_ymd_opt(1900, 1, 1) {
    Some(date) => date,
    None => panic!("1900-01-01 is a date"),
};

/// Why a value is outside the bounds. The messages name the value and the bound.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BoundsError {
    #[error("{value} people is above the plausibility bound of {} for one gathering", group_thousands(*bound))]
    GatheringTooLarge { value: u64, bound: u64 },
    #[error("{value} people is above the plausibility bound of {} for a total over many places", group_thousands(*bound))]
    AggregateTooLarge { value: u64, bound: u64 },
    #[error("{date} is before {EARLIEST_DATE}, the earliest date accepted")]
    DateTooEarly { date: Date },
    #[error("{date} is after {latest}, one year from the day the input was received")]
    DateTooLate { date: Date, latest: Date },
}

/// The bound for an estimate of this scope.
pub fn max_size(scope: Scope) -> u64 {
    match scope {
        Scope::Event => MAX_GATHERING_SIZE,
        Scope::Aggregate => MAX_AGGREGATE_SIZE,
    }
}

/// `value` when it is a plausible size for an estimate of `scope`.
pub fn check_size(value: u64, scope: Scope) -> Result<u64, BoundsError> {
    let bound = max_size(scope);
    if value <= bound {
        return Ok(value);
    }
    Err(match scope {
        Scope::Event => BoundsError::GatheringTooLarge { value, bound },
        Scope::Aggregate => BoundsError::AggregateTooLarge { value, bound },
    })
}

/// Checks both ends of an estimate against the bound of its scope.
pub fn check_estimate(estimate: &Estimate) -> Result<(), BoundsError> {
    check_size(estimate.high(), estimate.scope())?;
    check_size(estimate.low(), estimate.scope())?;
    Ok(())
}

/// The latest date accepted when the input was received on `today`: one year later
/// (February 29 falls back to February 28).
pub fn latest_date(today: Date) -> Date {
    let year = today.year() + 1;
    NaiveDate::from_ymd_opt(year, today.month(), today.day())
        .or_else(|| NaiveDate::from_ymd_opt(year, today.month(), 28))
        .unwrap_or(today)
}

/// `date` when it lies between [`EARLIEST_DATE`] and one year after `today`.
pub fn check_date(date: Date, today: Date) -> Result<Date, BoundsError> {
    if date < EARLIEST_DATE {
        return Err(BoundsError::DateTooEarly { date });
    }
    let latest = latest_date(today);
    if date > latest {
        return Err(BoundsError::DateTooLate { date, latest });
    }
    Ok(date)
}

/// Why `text`, which a reader could not take for a count, is not one, when it looks
/// like a number: "is not a number (NaN)", "is negative", "is not a whole number",
/// "is too large". `None` when the text does not look like a number at all (the
/// caller then says it is not a size).
///
/// Thousands separators (`,`) are allowed; a fractional part of zeros ("1500.0") is a
/// whole number and so is not named here.
pub fn why_not_a_count(text: &str) -> Option<&'static str> {
    let text = text.trim();
    let lower = text.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "nan" | "+nan" | "-nan" | "inf" | "+inf" | "-inf" | "infinity" | "+infinity" | "-infinity"
    ) {
        return Some("is not a number (NaN or infinity)");
    }
    let (negative, unsigned) = match text
        .strip_prefix('-')
        .or_else(|| text.strip_prefix('\u{2212}'))
    {
        Some(rest) => (true, rest.trim_start()),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (mantissa, exponent) = match unsigned.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e)),
        None => (unsigned, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits_ok = !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit() || b == b',')
        && whole.as_bytes()[0].is_ascii_digit()
        && fraction.bytes().all(|b| b.is_ascii_digit());
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit())
    });
    if !digits_ok || !exponent_ok {
        return None;
    }
    if negative && whole.bytes().any(|b| b != b'0' && b != b',') {
        return Some("is negative");
    }
    if exponent.is_some() {
        return Some("is in scientific notation; write the whole number");
    }
    if fraction.bytes().any(|b| b != b'0') {
        return Some("is not a whole number");
    }
    let significant = whole
        .bytes()
        .filter(u8::is_ascii_digit)
        .skip_while(|b| *b == b'0')
        .count();
    if significant > 19 {
        return Some("is too large to be a count of people");
    }
    None
}

/// `1234567` → `"1,234,567"`: the one thousands grouping of figures shown to people
/// (the CLI's tables, the dashboard, and the errors here).
pub fn group_thousands(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Date {
        text.parse().unwrap()
    }

    #[test]
    fn sizes_are_bounded_by_scope() {
        assert_eq!(check_size(20_000_000, Scope::Event), Ok(20_000_000));
        let error = check_size(20_000_001, Scope::Event).unwrap_err();
        assert_eq!(
            error.to_string(),
            "20000001 people is above the plausibility bound of 20,000,000 for one gathering"
        );
        assert!(check_size(1 << 63, Scope::Event).is_err());
        assert!(check_size(u64::MAX, Scope::Aggregate).is_err());
        assert_eq!(check_size(5_000_000, Scope::Aggregate), Ok(5_000_000));
        assert!(check_estimate(&Estimate::range(10, 30_000_000).unwrap()).is_err());
        assert!(check_estimate(&Estimate::exact(30_000_000).with_scope(Scope::Aggregate)).is_ok());
    }

    #[test]
    fn dates_run_from_1900_to_a_year_ahead() {
        let today = day("2026-11-29");
        assert_eq!(check_date(day("1900-01-01"), today), Ok(day("1900-01-01")));
        assert!(check_date(day("1899-12-31"), today).is_err());
        assert_eq!(check_date(day("2027-11-29"), today), Ok(day("2027-11-29")));
        let late = check_date(day("9999-12-31"), today).unwrap_err();
        assert_eq!(
            late.to_string(),
            "9999-12-31 is after 2027-11-29, one year from the day the input was received"
        );
        let before_zero = NaiveDate::from_ymd_opt(-1, 1, 1).unwrap();
        assert!(check_date(before_zero, today).is_err());
        assert_eq!(latest_date(day("2028-02-29")), day("2029-02-28"));
    }

    #[test]
    fn numbers_that_are_not_counts_are_named() {
        let table: &[(&str, Option<&str>)] = &[
            ("NaN", Some("is not a number (NaN or infinity)")),
            ("-inf", Some("is not a number (NaN or infinity)")),
            ("1.5", Some("is not a whole number")),
            ("-3", Some("is negative")),
            ("-0", None),
            (
                "1e6",
                Some("is in scientific notation; write the whole number"),
            ),
            (
                "1e309",
                Some("is in scientific notation; write the whole number"),
            ),
            (
                "18446744073709551616",
                Some("is too large to be a count of people"),
            ),
            (
                "99999999999999999999999",
                Some("is too large to be a count of people"),
            ),
            ("9223372036854775808", None),
            ("1500.0", None),
            ("7,000", None),
            ("lots", None),
            ("about 200", None),
            ("", None),
        ];
        for (text, expected) in table {
            assert_eq!(why_not_a_count(text), *expected, "{text:?}");
        }
    }
}
