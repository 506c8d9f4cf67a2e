//! Small multiples as the reader meets them, inside the same figure as every chart: one title
//! and caption, a grid of small charts (each its own `<svg role="img">` titled by its facet,
//! under a visible label), then one source line, one data table (facet, label, values), one
//! CSV download and one note; for a brief, one standalone file of the whole grid
//! ([`facet_file`]) and its "Embed this chart". By default every small chart is drawn on one value scale, so
//! heights compare across the grid.

use std::fmt::Write as _;

use super::chart::{
    FigureInput, FigureParts, csv_cell, esc, note, svg_frame, table_open, value_cell,
};
use super::chart_svg::{
    FacetCell, FacetGrid, Laid, SharedScale, SvgChart, SvgFile, SvgFrame, facet_file, lay_out,
};
use crate::model::chart::{ChartValues, Number};

/// What makes a figure small multiples.
pub(super) struct FacetInput<'a> {
    /// Each facet's value and what its small chart shows, in order.
    pub facets: &'a [(String, ChartValues)],
    /// The facet column (`region`): the first column of the table and the CSV.
    pub column: &'a str,
    /// One value scale for every small chart (`scales: shared`, the default).
    pub shared: bool,
}

pub(super) fn parts(input: &FigureInput, f: &FacetInput) -> Result<FigureParts, String> {
    let shared = if f.shared {
        let drawn = f.facets.iter().map(|(_, v)| v).filter(|v| has_numbers(v));
        SharedScale::of(input.kind, drawn, &input.numbers)
    } else {
        None
    };
    // Each small chart laid out once: drawn here for the page, and again in the file.
    let mut laid = Vec::with_capacity(f.facets.len());
    for (k, (label, values)) in f.facets.iter().enumerate() {
        let id = format!("{}-facet-{}", input.id, k + 1);
        laid.push(if has_numbers(values) {
            Some(lay_out(&SvgChart {
                id: &id,
                kind: input.kind,
                title: label,
                x_label: input.x,
                y_label: input.y_label,
                unit: input.unit,
                values,
                numbers: &input.numbers,
                // Load refuses `annotate` beside `facet`: one plan per small chart could
                // stretch one axis and not the others.
                annotations: &[],
                shared,
            })?)
        } else {
            None
        });
    }
    let mut grid = String::from("<div class=\"chart-facet-grid\">");
    for ((label, _), chart) in f.facets.iter().zip(&laid) {
        let _ = write!(
            grid,
            "<figure class=\"chart-facet\"><figcaption class=\"chart-facet-label\">{}</figcaption>",
            esc(label)
        );
        match chart {
            Some(chart) => grid.push_str(&chart.draw()?),
            None => grid.push_str("<p class=\"chart-empty\">No numbers to chart here.</p>"),
        }
        grid.push_str("</figure>");
    }
    grid.push_str("</div>");
    let notes: Vec<String> = note(input.values)
        .into_iter()
        .chain(Some(scale_note(f)))
        .chain(input.extra_note.clone())
        .collect();
    let file = match svg_frame(input, &notes) {
        Some(frame) => Some(file(input, f, &laid, &frame)?),
        None => None,
    };
    Ok(FigureParts {
        svg: Some(grid),
        table: table(input, f),
        csv: csv(input, f),
        notes,
        file,
    })
}

/// The grid as one standalone file, from the small charts the page drew.
fn file(
    input: &FigureInput,
    f: &FacetInput,
    laid: &[Option<Laid>],
    frame: &SvgFrame,
) -> Result<SvgFile, String> {
    let cells: Vec<FacetCell> = f
        .facets
        .iter()
        .zip(laid)
        .map(|((label, _), chart)| FacetCell {
            label,
            chart: chart.as_ref(),
        })
        .collect();
    facet_file(
        &FacetGrid {
            id: input.id,
            title: input.title,
            kind: input.kind,
            column: f.column,
            shared: f.shared,
            cells: &cells,
        },
        frame,
    )
}

fn has_numbers(values: &ChartValues) -> bool {
    values.values.iter().flatten().any(Option::is_some)
}

/// Says how the small charts may be compared, since the grid itself does not.
fn scale_note(f: &FacetInput) -> String {
    let n = f.facets.len();
    if f.shared {
        format!(
            "All {n} small charts, one per {}, share one value scale.",
            f.column
        )
    } else {
        format!(
            "Each of the {n} small charts, one per {}, has its own value scale: compare their shapes, not their heights.",
            f.column
        )
    }
}

/// The value columns' headings: the value heading for one unnamed series, else each series.
fn series_headings(input: &FigureInput, f: &FacetInput) -> Vec<String> {
    let series = f.facets.first().map_or(&[][..], |(_, v)| &v.series[..]);
    series
        .iter()
        .map(|s| {
            if s.is_empty() {
                input.y_heading.clone()
            } else {
                s.clone()
            }
        })
        .collect()
}

/// One line of the table: the facet, the label, each series' value and their decimals.
type Row<'a> = (&'a str, &'a str, Vec<Option<f64>>, u8);

/// Every (facet, label) with its values, in the grid's order.
fn rows<'a>(f: &'a FacetInput) -> impl Iterator<Item = Row<'a>> + 'a {
    f.facets.iter().flat_map(|(facet, v)| {
        v.categories.iter().enumerate().map(move |(c, label)| {
            let cells = v.values.iter().map(|column| column[c]).collect();
            (facet.as_str(), label.as_str(), cells, v.decimals)
        })
    })
}

fn table(input: &FigureInput, f: &FacetInput) -> String {
    let mut t = String::new();
    table_open(&mut t, input.id, input.title, false);
    let _ = write!(
        t,
        "<thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th>",
        esc(f.column),
        esc(input.x)
    );
    for h in series_headings(input, f) {
        let _ = write!(
            t,
            "<th scope=\"col\" class=\"align-right\">{}</th>",
            esc(&h)
        );
    }
    t.push_str("</tr></thead><tbody>");
    for (facet, label, cells, decimals) in rows(f) {
        let _ = write!(
            t,
            "<tr><th scope=\"row\">{}</th><th scope=\"row\">{}</th>",
            esc(facet),
            esc(label)
        );
        for cell in cells {
            match cell {
                Some(v) => value_cell(&mut t, v, decimals, &input.numbers),
                None => t.push_str("<td class=\"align-right\"></td>"),
            }
        }
        t.push_str("</tr>");
    }
    t.push_str("</tbody></table></div></details>");
    t
}

/// The CSV download: one line per (facet, label), as the data table.
fn csv(input: &FigureInput, f: &FacetInput) -> String {
    let mut out = String::new();
    let mut line = |cells: Vec<String>| {
        let cells: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    };
    let mut header = vec![f.column.to_string(), input.x.to_string()];
    header.extend(series_headings(input, f));
    line(header);
    for (facet, label, cells, decimals) in rows(f) {
        let mut all = vec![facet.to_string(), label.to_string()];
        all.extend(
            cells
                .into_iter()
                .map(|v| v.map(|v| Number::format(v, decimals)).unwrap_or_default()),
        );
        line(all);
    }
    out
}
