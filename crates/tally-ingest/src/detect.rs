//! Telling the format of a file from its header row.

use crate::table::header_key;
use crate::Format;

/// The format a header row belongs to, when it is one of the curated layouts: the
/// reports CSV (an `attribution` and a `publisher` or `url` beside the size columns) or
/// the published dataset (date, locality, state and both size columns). Tally sheets
/// have no fixed header; `None` leaves the guess to the sheet adapter.
pub fn detect_format(headers: &[String]) -> Option<Format> {
    detect(headers)
}

pub(crate) fn detect(headers: &[String]) -> Option<Format> {
    let keys: Vec<String> = headers.iter().map(|h| header_key(h)).collect();
    let has = |name: &str| keys.iter().any(|k| k == name);
    let sizes = has("size_low") && has("size_high");
    if sizes && has("attribution") && (has("publisher") || has("url")) && has("event") {
        return Some(Format::Reports);
    }
    if sizes && has("date") && has("locality") && has("state") {
        return Some(Format::Dataset);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(line: &str) -> Vec<String> {
        line.split(',').map(str::to_string).collect()
    }

    #[test]
    fn layouts_are_told_apart() {
        assert_eq!(
            detect(&headers(
                "date,locality,state,event,size_low,size_high,size_text,attribution,publisher,url"
            )),
            Some(Format::Reports)
        );
        assert_eq!(
            detect(&headers("date,locality,state,location_detail,online,type,actors,claims,valence,issues,size_low,size_high")),
            Some(Format::Dataset)
        );
        assert_eq!(
            detect(&headers("City,Estimate1 (low),Estimate (high)")),
            None
        );
    }
}
