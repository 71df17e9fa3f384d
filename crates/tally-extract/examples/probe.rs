//! Prints what the extractor finds in the text given as the first argument (a
//! debugging aid for corpus work).

fn main() {
    let text = std::env::args().nth(1).unwrap_or_default();
    let out = tally_extract::extract(&text, &tally_extract::ExtractOptions::default());
    for f in &out.estimates {
        println!(
            "{:?} {:?} at {:?} {:?} ({:?})",
            &text[f.start..f.end],
            f.estimate,
            f.locality,
            f.state,
            f.place_from
        );
    }
    println!(
        "events {:?} place {:?} {:?} date {:?}",
        out.event_count, out.locality, out.state, out.date
    );
}
