//! Timestamps as fixed-width UTC text, so that SQLite's text order is time order.

use chrono::{DateTime, NaiveDateTime, SecondsFormat, Utc};
use tally_model::Timestamp;

/// `2025-06-14T18:03:11.000123Z`: always microseconds and `Z`.
pub fn format_timestamp(t: Timestamp) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// Parses RFC 3339 (any offset) or a plain date or `YYYY-MM-DD HH:MM[:SS]` taken as UTC.
pub fn parse_timestamp(text: &str) -> Option<Timestamp> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&Utc));
    }
    for format in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(text, format) {
            return Some(t.and_utc());
        }
    }
    // A plain date means the end of that day: "as of June 20" includes what arrived on June 20.
    let date = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
    Some(date.and_hms_micro_opt(23, 59, 59, 999_999)?.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_order_is_time_order() {
        let a = parse_timestamp("2025-06-14T09:00:00-05:00").unwrap();
        let b = parse_timestamp("2025-06-14 15:00").unwrap();
        assert!(format_timestamp(a) < format_timestamp(b));
        assert_eq!(format_timestamp(a), "2025-06-14T14:00:00.000000Z");
        assert_eq!(
            format_timestamp(parse_timestamp("2025-06-20").unwrap()),
            "2025-06-20T23:59:59.999999Z"
        );
        assert!(parse_timestamp("last tuesday").is_none());
    }
}
