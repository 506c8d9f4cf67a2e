//! A map chart as the reader meets it, inside the same figure as every chart: the map, its
//! data table (country, code, value, class), the CSV download, and notes that say what could
//! not be mapped and which names were read as one country. Also the build's warnings for
//! place names briefing does not know, at their line in the data.

use std::fmt::Write as _;

use super::chart::{
    FigureInput, FigureParts, csv_cell, esc, note, svg_frame, table_open, value_cell,
};
use super::chart_svg::{MapClasses, SvgMap, render_map_svg, render_map_svgs};
use crate::diag::{Diag, Location};
use crate::geo;
use crate::model::Brief;
use crate::model::chart::{ChartData, ChartSpec, MapClasses as Asked, Number};
use crate::model::format::Numbers;
use crate::model::map::{MapValues, NotMappedWhy};

/// What makes a figure a map.
pub(super) struct MapInput<'a> {
    pub values: &'a MapValues,
    pub classes: &'a Asked,
}

/// How many unknown place names get their own warning (with a did-you-mean) before the
/// rest are counted in one: a hostile table can hold thousands.
const NAMED_UNKNOWN: usize = 20;
/// How many places each note names before it says "and N more".
const NOTE_PLACES: usize = 12;

pub(super) fn parts(input: &FigureInput, map: &MapInput) -> Result<FigureParts, String> {
    let values = map.values;
    let numbers: Vec<f64> = values.countries.iter().map(|c| c.value).collect();
    let classes = MapClasses::new(&numbers, map.classes, values.values.decimals);
    let notes: Vec<String> = note(&values.values)
        .into_iter()
        .chain(not_mapped_note(values, &input.numbers))
        .chain(merged_note(values))
        .chain(input.extra_note.clone())
        .collect();
    let map = SvgMap {
        id: input.id,
        title: input.title,
        caption: &input.y_heading,
        unit: input.unit,
        values,
        classes: &classes,
        focus: None,
        numbers: &input.numbers,
    };
    let drawn = render_map_svgs(&map, svg_frame(input, &notes).as_ref())?;
    Ok(FigureParts {
        svg: Some(drawn.svg),
        table: table(input, values, &classes),
        csv: csv(input, values),
        notes,
        file: drawn.file,
    })
}

/// A value for machines (the CSV download): plain digits.
fn show(values: &MapValues, v: Option<f64>) -> String {
    v.map(|v| Number::format(v, values.values.decimals))
        .unwrap_or_default()
}

/// Every country on the map, largest first, then the places not mapped.
fn table(input: &FigureInput, values: &MapValues, classes: &MapClasses) -> String {
    let mut f = String::new();
    table_open(&mut f, input.id, input.title, false);
    let _ = write!(
        f,
        "<thead><tr><th scope=\"col\">Country</th><th scope=\"col\">Code</th>\
         <th scope=\"col\" class=\"align-right\">{}</th><th scope=\"col\">Class</th></tr></thead><tbody>",
        esc(&input.y_heading)
    );
    let decimals = values.values.decimals;
    let numbers = &input.numbers;
    for c in &values.countries {
        let _ = write!(
            f,
            "<tr><th scope=\"row\">{}</th><td>{}</td>",
            esc(c.name),
            c.iso3
        );
        value_cell(&mut f, c.value, decimals, numbers);
        let class = classes.label(classes.of(c.value), numbers);
        let _ = write!(f, "<td>{}</td></tr>", esc(&class));
    }
    for p in &values.not_mapped {
        let _ = write!(f, "<tr><th scope=\"row\">{}</th><td></td>", esc(&p.label));
        match p.value {
            Some(v) => value_cell(&mut f, v, decimals, numbers),
            None => f.push_str("<td class=\"align-right\"></td>"),
        }
        let _ = write!(f, "<td>Not mapped: {}</td></tr>", p.why.reason());
    }
    f.push_str("</tbody></table></div></details>");
    f
}

/// The CSV download: each country's name, ISO code and value, then the places not mapped
/// (without a code).
fn csv(input: &FigureInput, values: &MapValues) -> String {
    let mut out = String::new();
    let mut line = |cells: [&str; 3]| {
        let cells: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    };
    line([input.x, "iso3", &input.y_heading]);
    for c in &values.countries {
        line([c.name, c.iso3, &show(values, Some(c.value))]);
    }
    for p in &values.not_mapped {
        line([&p.label, "", &show(values, p.value)]);
    }
    out
}

/// `Not mapped: “Global” (the whole world) 0.5; “Atlantis” (…) 1`.
fn not_mapped_note(values: &MapValues, numbers: &Numbers) -> Option<String> {
    if values.not_mapped.is_empty() {
        return None;
    }
    let mut parts: Vec<String> = values
        .not_mapped
        .iter()
        .take(NOTE_PLACES)
        .map(|p| {
            let value = match p.value {
                Some(v) => numbers.value(v, values.values.decimals),
                None => "no number".to_string(),
            };
            format!("\u{201c}{}\u{201d} ({}): {value}", p.label, p.why.reason())
        })
        .collect();
    if values.not_mapped.len() > NOTE_PLACES {
        parts.push(format!(
            "and {} more",
            values.not_mapped.len() - NOTE_PLACES
        ));
    }
    Some(format!("Not mapped: {}", parts.join("; ")))
}

/// `Read as one country: South Korea (“한국”, “Korea, Republic of”)`.
fn merged_note(values: &MapValues) -> Option<String> {
    let merged: Vec<String> = values
        .merged()
        .take(NOTE_PLACES)
        .map(|c| {
            let names: Vec<String> = c
                .merged
                .iter()
                .map(|n| format!("\u{201c}{n}\u{201d}"))
                .collect();
            format!("{} ({})", c.name, names.join(", "))
        })
        .collect();
    (!merged.is_empty()).then(|| format!("Read as one country: {}", merged.join("; ")))
}

/// A warning for each place name that is no country briefing knows, at its first row.
pub(super) fn unknown_places(brief: &Brief, spec: &ChartSpec, map: &MapValues) -> Vec<Diag> {
    let file = match &spec.data {
        ChartData::File(path) => format!("content/data/{path}"),
        ChartData::Inline(_) => brief.path.clone(),
    };
    let unknown: Vec<_> = map
        .not_mapped
        .iter()
        .filter(|p| p.why == NotMappedWhy::Unknown)
        .collect();
    let mut out: Vec<Diag> = unknown
        .iter()
        .take(NAMED_UNKNOWN)
        .map(|p| {
            let help = match geo::nearest(&p.label) {
                Some(near) => format!("did you mean \"{near}\"? Write a country's name or its ISO code (FRA, KOR)"),
                None => "write a country's name (in any language) or its ISO code (FRA, KOR); a place that is not one country is listed as not mapped".to_string(),
            };
            let mut d = Diag::warning(
                "chart/unknown-place",
                format!(
                    "chart {} of {}: \"{}\" is not a country briefing knows; the map lists it as not mapped",
                    spec.number, brief.path, p.label
                ),
            )
            .in_file(file.clone())
            .with_help(help);
            d.at = Some(Location {
                line: p.line,
                column: 1,
                offset: 0,
            });
            d
        })
        .collect();
    if unknown.len() > NAMED_UNKNOWN {
        out.push(
            Diag::warning(
                "chart/unknown-place",
                format!(
                    "chart {} of {}: {} more place names are not countries briefing knows",
                    spec.number,
                    brief.path,
                    unknown.len() - NAMED_UNKNOWN
                ),
            )
            .in_file(file),
        );
    }
    out
}

/// The site-wide spend as a map: every region that is one country, names of one country
/// summed; `None` when no region is a country.
pub(super) fn spend_map(
    spend: &crate::model::spend::SiteSpend,
    bars: &FigureInput,
) -> Option<MapValues> {
    let totals: Vec<(String, Option<f64>)> = spend
        .regions
        .iter()
        .map(|r| (r.name.clone(), r.total))
        .collect();
    let template = crate::model::chart::ChartValues {
        categories: Vec::new(),
        series: Vec::new(),
        values: Vec::new(),
        decimals: bars.values.decimals,
        rows_considered: bars.values.rows_considered,
        // The rows that could not be summed are noted under the bars, right below.
        skipped: Vec::new(),
    };
    let map = MapValues::of_totals(&totals, template);
    (!map.countries.is_empty()).then_some(map)
}

/// A region page's locator: the world with one country marked, and its value if known.
pub(super) fn locator(
    id: &str,
    country: &geo::Country,
    values: Option<&MapValues>,
    caption: &str,
    unit: Option<&str>,
    numbers: &Numbers,
) -> Result<String, String> {
    let empty;
    let values = match values {
        Some(v) => v,
        None => {
            empty = MapValues::of_totals(&[], Default::default());
            &empty
        }
    };
    let title = format!("Where {} is", country.name);
    let value = values.countries.iter().find(|c| c.iso3 == country.iso3);
    let caption_html = match (value, caption.is_empty()) {
        (Some(c), false) => {
            let mut shown = numbers.value(c.value, values.values.decimals);
            if let Some(unit) = unit {
                shown = format!("{shown} {unit}");
            }
            format!(
                " <span class=\"chart-caption\">Charted {caption}: {}</span>",
                esc(&shown)
            )
        }
        _ => String::new(),
    };
    let svg = render_map_svg(&SvgMap {
        id,
        title: &title,
        caption,
        unit,
        values,
        classes: &MapClasses::new(&[], &Asked::Auto, 0),
        focus: Some(country.iso3),
        numbers,
    })?;
    Ok(format!(
        "<figure class=\"chart chart-locator\" id=\"{id}\" aria-labelledby=\"{id}-caption\">\
         <figcaption id=\"{id}-caption\"><span class=\"chart-title\">{}</span>{caption_html}</figcaption>{svg}</figure>\n",
        esc(&title)
    ))
}
