//! The published US crowd dataset, both eras of headers.
//!
//! Columns are found by name, so the era (2017–2020 or 2021 on) and any extra or
//! reordered columns do not matter. How the columns map onto the model:
//!
//! | column | model |
//! |---|---|
//! | date | `Report.date` (a bad date rejects the row) |
//! | locality, state | `Place.locality`, `Place.state`, `Place.raw` ("Locality, ST") |
//! | online, or "online"/"virtual" in the place or state (the curators write the state `VIRTUAL`) | `Place.online` |
//! | lat, lon, resolved_locality, resolved_county (else county), resolved_state, fips_code | `Place.resolved` (below) |
//! | size_low, size_high, size_text | one `Estimate` (see `fields::read_size`) and `Report.size_text` |
//! | attribution (when present) | the estimate's attribution; otherwise `unknown` |
//! | type (else event_type) | `event_type` |
//! | title, else macroevent | `title` |
//! | organizations, else actors | `organizers` |
//! | participants, claims, valence, arrests, location_detail (else location) | the same fields |
//! | source_1 ... source_N | `urls`, in order |
//! | notes, else misc | `notes` |
//!
//! The curator's geocoding is kept as `Place.resolved` with confidence `Exact` when the
//! row names a state (resolved_state, else state) and gives either both coordinates or
//! a FIPS code; FIPS codes that lost their leading zero are restored. The ledger may
//! still resolve the place against the gazetteer and prefer its own answer.
//! size_mean and size_cat are derived columns and are not read.

use crate::drive::RowReader;
use crate::fields::{
    coordinate, is_true, parse_date, parse_state, read_size, says_online, SizeColumn,
};
use crate::table::{quote, text, Header, Table};
use crate::{IngestError, RowContext, Warning};
use tally_model::{Attribution, Confidence, Fips, Place, Report, ResolvedPlace, SourceKind};

/// Column indexes by role; `None` when the file has no such column.
struct Columns {
    date: Option<usize>,
    locality: Option<usize>,
    state: Option<usize>,
    location_detail: Option<usize>,
    online: Option<usize>,
    event_type: Option<usize>,
    title: Option<usize>,
    macroevent: Option<usize>,
    organizations: Option<usize>,
    actors: Option<usize>,
    participants: Option<usize>,
    claims: Option<usize>,
    valence: Option<usize>,
    size_low: Option<usize>,
    size_high: Option<usize>,
    size_text: Option<usize>,
    arrests: Option<usize>,
    attribution: Option<usize>,
    notes: Option<usize>,
    lat: Option<usize>,
    lon: Option<usize>,
    resolved_locality: Option<usize>,
    resolved_county: Option<usize>,
    resolved_state: Option<usize>,
    fips: Option<usize>,
    sources: Vec<usize>,
}

impl Columns {
    fn find(header: &Header) -> Columns {
        let c = |name: &str| header.column(name);
        let mut sources: Vec<(u32, usize)> = header
            .keys
            .iter()
            .enumerate()
            .filter_map(|(i, k)| {
                let n = k.strip_prefix("source_")?.parse().ok()?;
                Some((n, i))
            })
            .collect();
        sources.sort_unstable();
        Columns {
            date: c("date"),
            locality: c("locality"),
            state: c("state"),
            location_detail: c("location_detail").or_else(|| c("location")),
            online: c("online"),
            // The curators' monthly sheets name it event_type; the compiled files, type.
            event_type: c("type").or_else(|| c("event_type")),
            title: c("title"),
            macroevent: c("macroevent"),
            organizations: c("organizations"),
            actors: c("actors"),
            participants: c("participants"),
            claims: c("claims"),
            valence: c("valence"),
            size_low: c("size_low"),
            size_high: c("size_high"),
            size_text: c("size_text"),
            arrests: c("arrests"),
            attribution: c("attribution"),
            notes: c("notes").or_else(|| c("misc")),
            lat: c("lat"),
            lon: c("lon"),
            resolved_locality: c("resolved_locality"),
            resolved_county: c("resolved_county").or_else(|| c("county")),
            resolved_state: c("resolved_state"),
            fips: c("fips_code").or_else(|| c("fips")),
            sources: sources.into_iter().map(|(_, i)| i).collect(),
        }
    }
}

/// The dataset adapter: the columns found in the header.
pub(crate) struct DatasetRows {
    columns: Columns,
}

impl DatasetRows {
    /// Finds the columns; the file is refused when a required one is missing.
    pub(crate) fn new(
        header: &Header,
        context: &RowContext<'_>,
    ) -> Result<DatasetRows, IngestError> {
        let columns = Columns::find(header);
        let missing: Vec<String> = [
            ("date", columns.date),
            ("locality", columns.locality),
            ("state", columns.state),
            ("size_low", columns.size_low),
            ("size_high", columns.size_high),
        ]
        .iter()
        .filter(|(_, index)| index.is_none())
        .map(|(name, _)| name.to_string())
        .collect();
        if !missing.is_empty() {
            return Err(IngestError::MissingColumns {
                origin: context.origin.to_string(),
                missing,
                headers: header.headers.clone(),
            });
        }
        Ok(DatasetRows { columns })
    }
}

impl RowReader for DatasetRows {
    fn kind(&self) -> SourceKind {
        SourceKind::DatasetRow
    }

    fn read_row(
        &self,
        table: &Table<'_>,
        context: &RowContext<'_>,
        warnings: &mut Vec<Warning>,
    ) -> Result<Option<Report>, String> {
        read_row(table, &self.columns, context, warnings).map(Some)
    }
}

fn read_row(
    table: &Table<'_>,
    columns: &Columns,
    context: &RowContext<'_>,
    warnings: &mut Vec<Warning>,
) -> Result<Report, String> {
    let cell = |index: Option<usize>| table.cell(index);
    let line = table.line();
    let date = parse_date(
        "date",
        cell(columns.date),
        context.options.received_at.date_naive(),
    )?;
    let place = read_place(table, columns, line, warnings);
    let attribution = match text(cell(columns.attribution)) {
        Some(value) => value.parse::<Attribution>().map_err(|_| {
            format!(
                "attribution is not one of {}: {}",
                attribution_names(),
                quote(&value)
            )
        })?,
        None => Attribution::Unknown,
    };
    let size_text = text(cell(columns.size_text));
    let estimate = read_size(
        Some(SizeColumn {
            name: "size_low",
            cell: cell(columns.size_low),
        }),
        Some(SizeColumn {
            name: "size_high",
            cell: cell(columns.size_high),
        }),
        size_text.as_deref().unwrap_or(""),
        &context.options.rules,
    )?;
    let mut report = Report::new(
        tally_model::SourceId(String::new()),
        place,
        context.options.received_at,
    );
    report.date = date;
    report.location_detail = text(cell(columns.location_detail));
    report.estimates = estimate
        .map(|e| e.with_attribution(attribution))
        .into_iter()
        .collect();
    report.size_text = size_text;
    report.event_type = text(cell(columns.event_type));
    report.title = text(cell(columns.title)).or_else(|| text(cell(columns.macroevent)));
    report.organizers = text(cell(columns.organizations)).or_else(|| text(cell(columns.actors)));
    report.participants = text(cell(columns.participants));
    report.claims = text(cell(columns.claims));
    report.valence = text(cell(columns.valence));
    report.arrests = text(cell(columns.arrests));
    report.urls = columns
        .sources
        .iter()
        .filter_map(|&i| text(table.cell(Some(i))))
        .collect();
    report.notes = text(cell(columns.notes));
    report.batch = Some(context.batch.clone());
    Ok(report)
}

fn read_place(
    table: &Table<'_>,
    columns: &Columns,
    line: usize,
    warnings: &mut Vec<Warning>,
) -> Place {
    let cell = |index: Option<usize>| table.cell(index);
    let state_cell = cell(columns.state);
    let state = parse_state(state_cell);
    // Built directly rather than through `Place::from_parts`, which copies the locality:
    // this runs on every row of files with hundreds of thousands of rows.
    let locality = text(cell(columns.locality));
    let raw = match (&locality, state) {
        (Some(l), Some(s)) => {
            let mut raw = String::with_capacity(l.len() + 4);
            raw.push_str(l);
            raw.push_str(", ");
            raw.push_str(s.as_str());
            raw
        }
        (Some(l), None) => l.clone(),
        (None, Some(s)) => s.to_string(),
        (None, None) => String::new(),
    };
    let mut place = Place {
        raw,
        locality,
        state,
        online: false,
        resolved: None,
    };
    if state.is_none() && !state_cell.is_empty() && !crate::table::is_missing(state_cell) {
        // An unknown state is kept in the raw text so that nothing is lost.
        place.raw = match &place.locality {
            Some(l) => format!("{l}, {state_cell}"),
            None => state_cell.to_string(),
        };
        // The curators code online events with the state "VIRTUAL": not worth a warning.
        if !says_online(state_cell) {
            warnings.push(Warning {
                line: Some(line),
                message: format!(
                    "state is not a US state or territory: {}",
                    quote(state_cell)
                ),
            });
        }
    }
    place.online = is_true(cell(columns.online)) || says_online(&place.raw);
    let resolved_cell = cell(columns.resolved_state);
    let resolved_state = if resolved_cell == state_cell {
        state
    } else {
        parse_state(resolved_cell).or(state)
    };
    let lat = coordinate(cell(columns.lat), 90.0);
    let lon = coordinate(cell(columns.lon), 180.0);
    let fips_cell = cell(columns.fips);
    let fips = if crate::table::is_missing(fips_cell) {
        None
    } else {
        match Fips::parse(fips_cell) {
            Ok(fips) => Some(fips),
            Err(_) => {
                warnings.push(Warning {
                    line: Some(line),
                    message: format!("fips_code is not a county FIPS code: {}", quote(fips_cell)),
                });
                None
            }
        }
    };
    if let Some(state) = resolved_state {
        if (lat.is_some() && lon.is_some()) || fips.is_some() {
            place.resolved = Some(ResolvedPlace {
                locality: text(cell(columns.resolved_locality)).or_else(|| place.locality.clone()),
                county: text(cell(columns.resolved_county)),
                fips,
                state,
                lat: lat.zip(lon).map(|(lat, _)| lat),
                lon: lat.zip(lon).map(|(_, lon)| lon),
                population: None,
                confidence: Confidence::Exact,
            });
        }
    }
    place
}

pub(crate) fn attribution_names() -> String {
    Attribution::ALL
        .iter()
        .map(|a| a.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use crate::{read_file, Format, IngestOptions};
    use chrono::{TimeZone, Utc};

    const HEADER_2017: &str = "date,locality,state,location_detail,online,type,actors,claims,valence,issues,size_low,size_high,size_mean,size_text,size_cat,arrests,source_1,source_2,notes,lat,lon,resolved_locality,resolved_county,resolved_state,fips_code";

    fn options() -> IngestOptions {
        IngestOptions::new(Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap())
    }

    #[test]
    fn a_2017_row_maps_every_column() {
        let file = format!(
            "{HEADER_2017}\n2017-01-21,Los Angeles,CA,City Hall,0,march,Women's March,for women's rights,1,women's rights,NA,750000,750000,NA,4,0,http://a,NA,\"big, peaceful\",34.05,-118.24,Los Angeles,Los Angeles County,CA,6037\n"
        );
        let parsed = read_file("data/ccc.csv", file.as_bytes(), &options()).unwrap();
        assert_eq!(parsed.format, Format::Dataset);
        assert!(parsed.rejects.is_empty(), "{:?}", parsed.rejects);
        let record = &parsed.records[0];
        let report = &record.report;
        assert_eq!(record.line, 2);
        assert_eq!(record.source.locator.as_deref(), Some("line 2"));
        assert_eq!(report.batch.as_deref(), Some("ccc.csv"));
        assert_eq!(report.place.raw, "Los Angeles, CA");
        let resolved = report.place.resolved.as_ref().unwrap();
        assert_eq!(resolved.fips.as_ref().unwrap().as_str(), "06037");
        assert_eq!(resolved.county.as_deref(), Some("Los Angeles County"));
        assert_eq!(resolved.lat, Some(34.05));
        assert_eq!(report.organizers.as_deref(), Some("Women's March"));
        assert_eq!(report.urls, vec!["http://a".to_string()]);
        assert_eq!(report.notes.as_deref(), Some("big, peaceful"));
        let estimate = &report.estimates[0];
        assert_eq!((estimate.low(), estimate.high()), (750_000, 750_000));
        assert_eq!(report.source_id, record.source.id);
    }

    #[test]
    fn r_style_quoting_and_virtual_states_are_read() {
        // R's write.csv quotes every text cell, the header included.
        let file = concat!(
            "\"date\",\"locality\",\"state\",\"online\",\"title\",\"size_low\",\"size_high\",\"size_text\",\"lat\",\"lon\",\"resolved_state\",\"fips_code\"\n",
            "2021-01-20,\"Online\",\"VIRTUAL\",1,\"Teach-in\",40,60,NA,NA,NA,NA,NA\n",
            "2021-01-20,\"Boise\",\"ID\",0,NA,NA,NA,\"dozens\",43.615,-116.2023,\"ID\",16001\n",
        );
        let parsed = read_file("r.csv", file.as_bytes(), &options()).unwrap();
        assert_eq!(parsed.format, Format::Dataset);
        assert!(
            parsed.rejects.is_empty() && parsed.warnings.is_empty(),
            "{parsed:?}"
        );
        let online = &parsed.records[0].report;
        assert!(online.place.online);
        assert_eq!(online.place.state, None);
        assert_eq!(online.place.raw, "Online, VIRTUAL");
        let boise = &parsed.records[1].report;
        assert_eq!(boise.estimates[0].low(), 24);
        assert!(boise.place.resolved.is_some());
    }

    #[test]
    fn bad_rows_are_rejected_with_reasons() {
        let file = format!(
            "{HEADER_2017}\n2017-13-40,A,CA,,0,,,,,,1,2,,,,,,,,,,,,,\n2017-01-01,B,CA,,0,,,,,,9,2,,,,,,,,,,,,,\n2017-01-01,C,CA\n"
        );
        let parsed = read_file("d.csv", file.as_bytes(), &options()).unwrap();
        let reasons: Vec<(usize, &str)> = parsed
            .rejects
            .iter()
            .map(|r| (r.line, r.reason.as_str()))
            .collect();
        assert_eq!(
            reasons,
            vec![
                (2, "date is not a date: \"2017-13-40\""),
                (3, "size_low 9 is above size_high 2"),
                (
                    4,
                    "3 fields but the header has 25 (a truncated row or an unclosed quote?)"
                ),
            ]
        );
    }
}
