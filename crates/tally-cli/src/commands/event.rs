//! `tally event ID`: one event with every report, its source verbatim, and which report
//! gave each bound of the range.

use crate::cli::Global;
use crate::commands::events::group;
use crate::exit::{query_error, Outcome};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The event's id (from `tally events`).
    pub id: String,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args, global: &Global) -> anyhow::Result<Outcome> {
    let ledger = crate::ledger::open(global)?;
    let answer = tally_query::event(&ledger, &args.id).map_err(query_error)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&answer)?);
        return Ok(Outcome::Success);
    }
    // Every line below may quote a source: control characters are shown, not obeyed.
    macro_rules! println {
        () => {
            std::println!()
        };
        ($($arg:tt)*) => {
            std::println!("{}", crate::terminal::escape_line(&format!($($arg)*)))
        };
    }
    let event = &answer.event;
    println!("event {}", event.id.0);
    println!(
        "  date      {}",
        event
            .date
            .map(|d| d.to_string())
            .unwrap_or_else(|| "unknown".into())
    );
    println!("  place     {}", event.place.raw);
    if let Some(resolved) = &event.place.resolved {
        println!(
            "  resolved  {}, {} (county {}, {}; {} people; {})",
            resolved.locality.as_deref().unwrap_or("-"),
            resolved.state,
            resolved.county.as_deref().unwrap_or("-"),
            resolved.fips.as_ref().map(|f| f.as_str()).unwrap_or("-"),
            resolved.population.map(group).unwrap_or_else(|| "?".into()),
            resolved.confidence.as_str()
        );
    }
    if let Some(title) = &event.title {
        println!("  title     {title}");
    }
    match (event.size_low, event.size_high) {
        (Some(low), Some(high)) => println!(
            "  size      {} to {} (low from report {}, high from report {})",
            group(low),
            group(high),
            event
                .low_from
                .map(|r| r.0.to_string())
                .unwrap_or_else(|| "-".into()),
            event
                .high_from
                .map(|r| r.0.to_string())
                .unwrap_or_else(|| "-".into())
        ),
        _ => println!("  size      none reported"),
    }
    let classes: Vec<String> = answer
        .by_class
        .iter()
        .filter_map(|(class, range)| {
            let r = range?;
            let figure = if r.low == r.high {
                group(r.low)
            } else {
                format!("{}–{}", group(r.low), group(r.high))
            };
            Some(format!(
                "    {:<13}{:>20}  {} {}, {} {}",
                class.as_str(),
                figure,
                r.reports,
                if r.reports == 1 { "report" } else { "reports" },
                r.statements,
                if r.statements == 1 {
                    "statement"
                } else {
                    "statements"
                }
            ))
        })
        .collect();
    if !classes.is_empty() {
        println!("  by class");
        for line in classes {
            println!("{line}");
        }
    }
    for entry in &answer.reports {
        let report = &entry.report;
        let sizes: Vec<String> = report
            .estimates
            .iter()
            .map(|e| {
                let range = if e.low() == e.high() {
                    group(e.low())
                } else {
                    format!("{}–{}", group(e.low()), group(e.high()))
                };
                format!("{range} ({}, {})", e.attribution(), e.scope().as_str())
            })
            .collect();
        println!();
        println!(
            "  report {}: {}",
            report.id.map(|r| r.0).unwrap_or_default(),
            if sizes.is_empty() {
                "no size".to_string()
            } else {
                sizes.join("; ")
            }
        );
        if let Some(text) = &report.size_text {
            println!("    as written: {text}");
        }
        if let Some(headline) = &report.headline {
            println!("    headline:   {headline}");
        }
        if let Some(publisher) = &report.publisher {
            println!("    publisher:  {publisher}");
        }
        for url in &report.urls {
            println!("    url:        {url}");
        }
        if let Some(source) = &entry.source {
            println!(
                "    source:     {} {} ({})",
                source.origin,
                source.locator.as_deref().unwrap_or(""),
                source.kind.as_str()
            );
            let shown: String = source.content.chars().take(300).collect();
            println!("    verbatim:   {}", shown.replace('\n', " "));
        }
        if let Some(text) = &entry.article_text {
            // The article as read: markup and boilerplate removed, entities decoded.
            println!("    text:");
            for line in text.lines() {
                println!("      {line}");
            }
        }
    }
    Ok(Outcome::Success)
}
