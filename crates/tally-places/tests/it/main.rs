//! Integration tests of tally-places: the data-driven place table and properties.

use tally_places::Gazetteer;

#[test]
fn boise_resolves() {
    let r = Gazetteer::embedded().resolve("Boise, ID");
    assert_eq!(r.place.unwrap().fips.unwrap().as_str(), "16001");
}
