//! `tally area`: the crowd scientists' area × density estimate, with ±20%. With
//! `--record`, the result is added to the ledger as a report attributed to researchers
//! (an analysis source), linked to the gathering of that day and place like any report.

use crate::cli::Global;
use crate::commands::estimate::group;
use crate::exit::{bad_input, usage, Outcome};
use anyhow::Context;
use serde_json::json;
use tally_estimate::{area_estimate, parse_polygon, AreaInput, Density};
use tally_model::{Place, Report, Source, SourceId, SourceKind, StateCode};
use tally_store::FileReceipt;

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("area").required(true).args(["m2", "ft2", "polygon"])))]
pub struct Args {
    /// Area in square metres.
    #[arg(long)]
    pub m2: Option<f64>,
    /// Area in square feet.
    #[arg(long)]
    pub ft2: Option<f64>,
    /// Corners as "lat,lon;lat,lon;..." (at least three).
    #[arg(long)]
    pub polygon: Option<String>,
    /// How densely the crowd stood: light (≈1/m²), dense (≈2.5/m²), very-dense (≈4/m²).
    #[arg(long)]
    pub density: String,
    /// Add the estimate to the ledger as a report (needs --date and --place).
    #[arg(long, requires_all = ["date", "place"])]
    pub record: bool,
    /// The day of the gathering (YYYY-MM-DD), for --record.
    #[arg(long)]
    pub date: Option<tally_model::Date>,
    /// The place ("City, ST"), for --record.
    #[arg(long)]
    pub place: Option<String>,
    /// The gathering's name, for --record ("No Kings").
    #[arg(long)]
    pub title: Option<String>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args, global: &Global) -> anyhow::Result<Outcome> {
    let density: Density = args
        .density
        .parse()
        .map_err(|e| usage(format!("--density: {e}")))?;
    for (flag, value) in [("--m2", args.m2), ("--ft2", args.ft2)] {
        if let Some(value) = value {
            if !value.is_finite() || value <= 0.0 {
                return Err(bad_input(format!(
                    "{flag} {value}: an area must be a positive finite number"
                )));
            }
        }
    }
    let input = match (&args.m2, &args.ft2, &args.polygon) {
        (Some(m), _, _) => AreaInput::SquareMetres(*m),
        (_, Some(f), _) => AreaInput::SquareFeet(*f),
        (_, _, Some(p)) => {
            AreaInput::Polygon(parse_polygon(p).map_err(|e| bad_input(format!("--polygon: {e}")))?)
        }
        _ => return Err(bad_input("give --m2, --ft2 or --polygon")),
    };
    let result = area_estimate(&input, density).map_err(|e| bad_input(e.to_string()))?;
    // The area's crowd is one gathering: it is held to the same bound as any report.
    if let Err(error) = tally_model::bounds::check_estimate(&result.to_estimate()) {
        return Err(bad_input(format!(
            "{:.3e} m² at {} density: {error}",
            result.area_m2,
            density.as_str()
        )));
    }
    let mut recorded = None;
    if args.record {
        recorded = Some(record(&args, &result, global)?);
    }
    if args.json {
        let mut value = serde_json::to_value(&result)?;
        value["recorded_report"] = json!(recorded);
        println!("{}", serde_json::to_string_pretty(&value)?);
        return Ok(Outcome::Success);
    }
    println!(
        "{} – {} people (point {}): {:.0} m² at {} density ({} per m²), ±20%",
        group(result.low),
        group(result.high),
        group(result.point),
        result.area_m2,
        density.as_str(),
        result.density_per_m2
    );
    if let Some(id) = recorded {
        println!("recorded as report {id}");
    }
    Ok(Outcome::Success)
}

/// Appends the estimate as an analysis source with one report and links it, in one
/// transaction. Recording the same estimate twice adds nothing (same source id).
fn record(
    args: &Args,
    result: &tally_estimate::AreaEstimate,
    global: &Global,
) -> anyhow::Result<i64> {
    let place_text = args.place.clone().unwrap_or_default();
    let date = args
        .date
        .ok_or_else(|| bad_input("--record needs --date"))?;
    tally_model::bounds::check_date(date, chrono::Utc::now().date_naive())
        .map_err(|error| bad_input(format!("--date: {error}")))?;
    let (locality, state) = match place_text.rsplit_once(',') {
        Some((l, s)) => (Some(l.trim()), s.trim().parse::<StateCode>().ok()),
        None => (Some(place_text.trim()), None),
    };
    let mut place = Place::from_parts(locality, state);
    place.raw = place_text.trim().to_string();
    let content = serde_json::to_string(&json!({
        "method": "area-density",
        "area_m2": result.area_m2,
        "density": result.density.as_str(),
        "low": result.low,
        "high": result.high,
        "date": date.to_string(),
        "place": place.raw,
        "title": args.title,
    }))?;
    let now = chrono::Utc::now();
    let source = Source {
        id: SourceId(blake3::hash(content.as_bytes()).to_hex().to_string()),
        kind: SourceKind::Analysis,
        origin: "tally area".to_string(),
        locator: None,
        content: content.clone(),
        received_at: now,
    };
    let mut report = Report::new(source.id.clone(), place, now);
    report.date = Some(date);
    report.title = args.title.clone();
    report.estimates.push(result.to_estimate());
    report.size_text = Some(format!(
        "{:.0} m² at {} density ({}–{})",
        result.area_m2,
        result.density.as_str(),
        result.low,
        result.high
    ));
    tally_pipeline::resolve_report_place(tally_places::Gazetteer::embedded(), &mut report);

    let mut ledger = crate::ledger::open_for_writing(global, true)?;
    let receipt = FileReceipt {
        origin: "tally area".to_string(),
        content_hash: source.id.0.clone(),
        format: "analysis".to_string(),
        encoding: "utf-8".to_string(),
        received_at: now,
    };
    // Linked in the same transaction, relinking only the blocks it touches (issue 12).
    let outcome = tally_pipeline::record_source(&mut ledger, &receipt, &source, &[report])
        .context("cannot record the estimate")?;
    match outcome {
        tally_store::AddOutcome::Added(ids) => Ok(ids.first().map_or(0, |i| i.0)),
        tally_store::AddOutcome::Duplicate => {
            Err(bad_input("this estimate is already in the ledger"))
        }
    }
}
