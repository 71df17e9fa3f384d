//! `tally geocode`: resolves place strings offline, one at a time or as JSON Lines.
//!
//! `--jsonl` reads `{"id", "place"}`, `{"id", "locality", "state"}` or `{"id", "lat",
//! "lon"}` per line (a line may also carry `"county"`, `"zip"`, and coordinates beside a name,
//! which pick among towns that share it) and writes one object per line, in order,
//! carrying the input's `id`. A malformed line gets an error object naming its line
//! number; the stream goes on.

use crate::cli::Global;
use crate::exit::{bad_input, Outcome};
use anyhow::Context;
use serde::{Deserialize, Serialize};
use std::io::{BufRead, BufWriter, Write};
use tally_places::{Gazetteer, Hints, Resolution};

#[derive(Debug, clap::Args)]
// Nothing to resolve is a usage error (exit 2), said by clap like any other.
#[command(group(clap::ArgGroup::new("what").required(true).args(["place", "lat", "jsonl"])))]
pub struct Args {
    /// The place to resolve ("St. Paul/Minneapolis, MN"); omit it with --jsonl.
    pub place: Option<String>,
    /// Read JSON Lines from standard input: {"id", "place"}, {"id", "locality", "state"}
    /// or {"id", "lat", "lon"}, with an optional "county".
    #[arg(long, conflicts_with_all = ["place", "lat", "lon"])]
    pub jsonl: bool,
    /// Print the result as one JSON object.
    #[arg(long)]
    pub json: bool,
    /// The state, when PLACE is only the locality.
    #[arg(long)]
    pub state: Option<String>,
    /// The county, to pick among towns of one name in the state.
    #[arg(long)]
    pub county: Option<String>,
    /// Latitude given with the place (or alone, with --lon): resolved offline to its
    /// county and nearest place.
    #[arg(long, requires = "lon", allow_hyphen_values = true)]
    pub lat: Option<f64>,
    /// Longitude, with --lat.
    #[arg(long, requires = "lat", allow_hyphen_values = true)]
    pub lon: Option<f64>,
}

/// One input line of `--jsonl`.
#[derive(Debug, Deserialize)]
struct Request {
    #[serde(default)]
    id: serde_json::Value,
    place: Option<String>,
    locality: Option<String>,
    state: Option<String>,
    county: Option<String>,
    zip: Option<String>,
    lat: Option<f64>,
    lon: Option<f64>,
}

/// One output object; the field order is the contract of DESIGN.md, then extras.
#[derive(Debug, Serialize)]
struct Answer<'a> {
    id: &'a serde_json::Value,
    locality: Option<&'a str>,
    county: Option<&'a str>,
    fips: Option<&'a str>,
    state: Option<&'a str>,
    lat: Option<f64>,
    lon: Option<f64>,
    population: Option<u64>,
    confidence: &'static str,
    online: bool,
    ambiguous: bool,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    alternatives: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
}

impl<'a> Answer<'a> {
    fn new(id: &'a serde_json::Value, resolution: &'a Resolution) -> Answer<'a> {
        let place = resolution.place.as_ref();
        Answer {
            id,
            locality: place.and_then(|p| p.locality.as_deref()),
            county: place.and_then(|p| p.county.as_deref()),
            fips: place.and_then(|p| p.fips.as_ref()).map(|f| f.as_str()),
            state: place.map(|p| p.state.as_str()),
            lat: place.and_then(|p| p.lat),
            lon: place.and_then(|p| p.lon),
            population: place.and_then(|p| p.population),
            confidence: place.map_or("none", |p| p.confidence.as_str()),
            online: resolution.online,
            ambiguous: resolution.ambiguous,
            alternatives: &resolution.alternatives,
            note: resolution.note.as_deref(),
            error: resolution.error.as_deref(),
        }
    }
}

fn resolve_request(gazetteer: &Gazetteer, request: &Request) -> Result<Resolution, String> {
    let point = match (request.lat, request.lon) {
        (Some(lat), Some(lon)) => Some((lat, lon)),
        (None, None) => None,
        _ => return Err("\"lat\" and \"lon\" come together".to_string()),
    };
    let hints = Hints {
        county: request.county.clone(),
        point,
        near: Vec::new(),
        zip: request.zip.clone(),
    };
    let locality = request.locality.as_deref().or(request.place.as_deref());
    Ok(gazetteer.resolve_with(locality, request.state.as_deref(), &hints))
}

/// One input line as a request; the error names what was wrong with it and carries
/// the line's `id` when it had one.
fn parse_request(line: &str) -> Result<Request, (serde_json::Value, String)> {
    let null = serde_json::Value::Null;
    let value: serde_json::Value =
        serde_json::from_str(line).map_err(|e| (null.clone(), format!("invalid JSON: {e}")))?;
    if !value.is_object() {
        let reason =
            "expected an object with \"id\" and \"place\", \"locality\"/\"state\" or \"lat\"/\"lon\"";
        return Err((null, reason.to_string()));
    }
    let id = value.get("id").cloned().unwrap_or(null);
    serde_json::from_value(value).map_err(|e| (id, format!("invalid field: {e}")))
}

fn write_answer(out: &mut impl Write, answer: &Answer<'_>) -> anyhow::Result<()> {
    serde_json::to_writer(&mut *out, answer)?;
    writeln!(out).context("writing standard output")?;
    Ok(())
}

fn run_jsonl(gazetteer: &Gazetteer) -> anyhow::Result<Outcome> {
    let stdin = std::io::stdin().lock();
    let mut out = BufWriter::new(std::io::stdout().lock());
    let outcome = geocode_lines(gazetteer, stdin, &mut out)?;
    out.flush().context("writing standard output")?;
    Ok(outcome)
}

/// Answers each JSON line of `input` with one JSON line on `out`, in order.
fn geocode_lines(
    gazetteer: &Gazetteer,
    input: impl BufRead,
    mut out: impl Write,
) -> anyhow::Result<Outcome> {
    let mut outcome = Outcome::Success;
    for (index, line) in input.lines().enumerate() {
        let line = line.context("reading standard input")?;
        if line.trim().is_empty() {
            continue;
        }
        let line_no = index + 1;
        match parse_request(&line) {
            Ok(request) => match resolve_request(gazetteer, &request) {
                Ok(resolution) => write_answer(&mut out, &Answer::new(&request.id, &resolution))?,
                Err(error) => {
                    outcome = Outcome::SomeInputRejected;
                    let resolution = Resolution {
                        error: Some(format!("stdin:{line_no}: {error}")),
                        ..Resolution::default()
                    };
                    write_answer(&mut out, &Answer::new(&request.id, &resolution))?;
                }
            },
            Err((id, error)) => {
                outcome = Outcome::SomeInputRejected;
                let resolution = Resolution {
                    error: Some(format!("stdin:{line_no}: {error}")),
                    ..Resolution::default()
                };
                write_answer(&mut out, &Answer::new(&id, &resolution))?;
            }
        }
    }
    Ok(outcome)
}

fn print_human(place_text: &str, resolution: &Resolution) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    if resolution.online {
        writeln!(out, "{place_text}: online or virtual event (no place)")?;
        return Ok(());
    }
    let Some(place) = &resolution.place else {
        let reason = resolution.error.as_deref().unwrap_or("not resolved");
        writeln!(out, "{place_text}: unresolved ({reason})")?;
        return Ok(());
    };
    let name = match &place.locality {
        Some(locality) => format!("{locality}, {}", place.state),
        None => place.state.name().to_string(),
    };
    writeln!(out, "{place_text} → {name}")?;
    if let (Some(county), Some(fips)) = (&place.county, &place.fips) {
        writeln!(out, "  county      {county} (FIPS {fips})")?;
    }
    if let (Some(lat), Some(lon)) = (place.lat, place.lon) {
        writeln!(out, "  coordinates {lat:.5}, {lon:.5}")?;
    }
    if let Some(population) = place.population {
        writeln!(out, "  population  {population}")?;
    }
    writeln!(out, "  confidence  {}", place.confidence.as_str())?;
    if resolution.ambiguous {
        writeln!(
            out,
            "  ambiguous   also {}",
            resolution.alternatives.join("; ")
        )?;
    }
    if let Some(note) = &resolution.note {
        writeln!(out, "  note        {note}")?;
    }
    Ok(())
}

pub fn run(args: Args, _global: &Global) -> anyhow::Result<Outcome> {
    let gazetteer = Gazetteer::embedded();
    if args.jsonl {
        return run_jsonl(gazetteer);
    }
    let point = args.lat.zip(args.lon);
    if args.place.is_none() && point.is_none() {
        return Err(bad_input(
            "give a PLACE (or --lat and --lon) to resolve, or --jsonl to read JSON Lines from standard input",
        ));
    }
    let hints = Hints {
        county: args.county.clone(),
        point,
        ..Hints::default()
    };
    let resolution = gazetteer.resolve_with(args.place.as_deref(), args.state.as_deref(), &hints);
    let place = match (&args.place, point) {
        (Some(place), _) => place.clone(),
        (None, Some((lat, lon))) => format!("{lat}, {lon}"),
        (None, None) => String::new(),
    };
    if args.json {
        let id = serde_json::Value::Null;
        println!("{}", serde_json::to_string(&Answer::new(&id, &resolution))?);
    } else {
        print_human(&place, &resolution)?;
    }
    Ok(Outcome::Success)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn geocode(input: &str) -> (Outcome, Vec<serde_json::Value>) {
        let mut out = Vec::new();
        let outcome = geocode_lines(Gazetteer::embedded(), input.as_bytes(), &mut out).unwrap();
        let lines = String::from_utf8(out).unwrap();
        let values = lines
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        (outcome, values)
    }

    #[test]
    fn jsonl_answers_each_line_in_order_with_the_contract_fields() {
        let input = concat!(
            r#"{"id": 1, "place": "Brooklyn, NY"}"#,
            "\n",
            r#"{"id": "b", "locality": "Carson City", "state": "NV"}"#,
            "\n\n",
            r#"{"id": 3, "place": "Disability (online)"}"#,
            "\n",
            r#"{"id": 4, "place": "Narnia"}"#,
            "\n",
        );
        let (outcome, answers) = geocode(input);
        assert_eq!(outcome, Outcome::Success);
        assert_eq!(answers.len(), 4);
        assert_eq!(answers[0]["id"], 1);
        assert_eq!(answers[0]["fips"], "36047");
        assert_eq!(answers[0]["state"], "NY");
        assert_eq!(answers[0]["confidence"], "alias");
        assert_eq!(answers[1]["id"], "b");
        assert_eq!(answers[1]["fips"], "32510");
        assert_eq!(answers[1]["confidence"], "exact");
        assert_eq!(answers[2]["online"], true);
        assert!(answers[2]["lat"].is_null());
        assert_eq!(answers[3]["confidence"], "none");
        assert!(answers[3]["error"].is_string());
        for key in [
            "locality",
            "county",
            "fips",
            "state",
            "lat",
            "lon",
            "population",
        ] {
            assert!(answers[3][key].is_null(), "{key}");
        }
    }

    #[test]
    fn issue_14_jsonl_takes_coordinates_and_a_county() {
        let input = concat!(
            r#"{"id": 1, "lat": 43.6135, "lon": -116.20345}"#,
            "\n",
            r#"{"id": 2, "locality": "Troy", "state": "PA", "county": "Bradford"}"#,
            "\n",
            r#"{"id": 3, "place": "Troy, PA", "lat": 41.7676, "lon": -76.4427}"#,
            "\n",
            r#"{"id": 4, "lat": 35.0, "lon": -40.0}"#,
            "\n",
            r#"{"id": 5, "lat": 35.0}"#,
            "\n",
        );
        let (outcome, answers) = geocode(input);
        assert_eq!(outcome, Outcome::SomeInputRejected);
        assert_eq!(answers[0]["fips"], "16001");
        assert_eq!(answers[0]["locality"], "Boise");
        assert_eq!(answers[0]["confidence"], "coordinates");
        assert_eq!(answers[1]["fips"], "42015");
        assert_eq!(answers[2]["fips"], "42015");
        assert_eq!(answers[2]["confidence"], "exact");
        // The middle of the Atlantic is in no county.
        assert!(answers[3]["error"].is_string());
        assert!(answers[3]["fips"].is_null());
        let error = answers[4]["error"].as_str().unwrap();
        assert!(error.starts_with("stdin:5:"), "{error}");
        assert_eq!(answers[4]["id"], 5);
    }

    #[test]
    fn field_order_follows_the_contract() {
        let mut out = Vec::new();
        geocode_lines(
            Gazetteer::embedded(),
            r#"{"id": 7, "place": "Boise, ID"}"#.as_bytes(),
            &mut out,
        )
        .unwrap();
        let line = String::from_utf8(out).unwrap();
        let order = [
            "\"id\"",
            "\"locality\"",
            "\"county\"",
            "\"fips\"",
            "\"state\"",
            "\"lat\"",
            "\"lon\"",
            "\"population\"",
            "\"confidence\"",
        ];
        let positions: Vec<usize> = order.iter().map(|k| line.find(k).unwrap()).collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{line}");
    }

    #[test]
    fn a_malformed_line_gets_an_error_naming_it_and_the_stream_goes_on() {
        let input = "{\"id\": 1, \"place\": \"Boise, ID\"}\n{not json\n{\"id\": 3, \"place\": \"Austin, TX\"}\n[1, 2]\n{\"id\": 5, \"place\": 7}\n";
        let (outcome, answers) = geocode(input);
        assert_eq!(outcome, Outcome::SomeInputRejected);
        assert_eq!(answers.len(), 5);
        let error = answers[1]["error"].as_str().unwrap();
        assert!(error.starts_with("stdin:2: invalid JSON"), "{error}");
        assert_eq!(answers[2]["id"], 3);
        assert_eq!(answers[2]["state"], "TX");
        let error = answers[3]["error"].as_str().unwrap();
        assert!(error.starts_with("stdin:4: expected an object"), "{error}");
        let error = answers[4]["error"].as_str().unwrap();
        assert!(error.starts_with("stdin:5: invalid field"), "{error}");
        assert_eq!(answers[4]["id"], 5);
    }
}
