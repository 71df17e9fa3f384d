//! Claims: quantitative statements about participants and places ("over 5 million
//! people in over 2,000 places"), parsed into ranges ([`parse`]) and checked against the
//! evidence ([`check`]).

pub mod check;
pub mod parse;

pub use check::{check_claim, CheckConfig, ClaimCheck, Evidence, PartCheck, Verdict};
pub use parse::{parse_claim, Claim, ClaimError, ClaimRange};
