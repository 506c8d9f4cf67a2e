//! A chart block as the reader meets it: the SVG, its caption and source, the data table of
//! charted values, a CSV download of those values, and an honest note of the rows that
//! could not be charted. No templates; the figure is spliced into the brief's body HTML.

use std::fmt::Write as _;

use pulldown_cmark_escape::escape_html;

use super::chart_svg::{SvgChart, SvgFile, SvgFrame, render_svgs};
use crate::diag::Diag;
use crate::model::chart::{ChartKind, ChartSpec, ChartValues, DataTable, Number, PreparedChart};
use crate::model::format::Numbers;
use crate::model::{Brief, Site};

/// A rendered chart: the figure for the page and the CSV file beside the page.
pub(super) struct RenderedChart {
    pub figure: String,
    /// `(file name, contents)`, written next to the brief's `index.html`.
    pub csv: (String, String),
    /// `(file name, contents)` of the chart as a standalone SVG, when one was drawn.
    pub svg_file: Option<(String, String)>,
    pub warnings: Vec<Diag>,
}

/// How many skipped rows the note names before it says "and N more".
const NOTE_ROWS: usize = 6;

/// Everything a figure shows, whichever chart it comes from.
pub(super) struct FigureInput<'a> {
    pub id: &'a str,
    pub kind: ChartKind,
    pub title: &'a str,
    pub caption: Option<&'a str>,
    pub source: Option<&'a str>,
    /// Name of the label column (`region`).
    pub x: &'a str,
    /// Heading of the value column (`spend_usd_bn (USD bn)`).
    pub y_heading: String,
    /// Axis label of the values: the unit, else the column.
    pub y_label: &'a str,
    pub unit: Option<&'a str>,
    pub values: &'a ChartValues,
    /// The rows as written, shown when nothing could be charted.
    pub raw: Option<&'a DataTable>,
    pub csv_url: &'a str,
    /// More honesty, after the skipped rows (files left out of a site-wide sum).
    pub extra_note: Option<String>,
    /// A map's places, drawn instead of `values` when there are any to draw.
    pub map: Option<super::map_figure::MapInput<'a>>,
    /// How values are written for readers (the block's `format`, the site's language).
    pub numbers: Numbers,
    /// The annotations to draw (each names a category the chart has).
    pub annotations: &'a [crate::model::annotation::Annotation],
    /// Small multiples, drawn instead of `values`.
    pub facets: Option<super::facet_figure::FacetInput<'a>>,
    /// Where the chart's standalone file goes (a brief's charts only): drawn and offered to
    /// embed.
    pub embed: Option<super::embed::EmbedInput<'a>>,
}

impl FigureInput<'_> {
    pub(super) fn has_numbers(&self) -> bool {
        self.values.values.iter().flatten().any(Option::is_some)
    }

    /// Whether the chart has more categories than one chart can show ([`MOST_DRAWN`]).
    pub(super) fn too_many(&self) -> bool {
        self.values.categories.len() > MOST_DRAWN
    }
}

/// The most categories one bar or line chart draws. Past it no reader can tell the bars
/// apart (1,000 horizontal bars are 32,000 units tall), and a hostile table of 50,000
/// labels made a 28 MB page: the data table alone shows them, with a warning.
pub(super) const MOST_DRAWN: usize = 1_000;

/// `text` is the brief's whole text, for pointing problems at the chart's block.
pub(super) fn render_chart(
    site: &Site,
    brief: &Brief,
    text: &std::sync::Arc<str>,
    spec: &ChartSpec,
    prepared: Option<&PreparedChart>,
) -> Result<RenderedChart, Diag> {
    let at = |d: Diag| d.in_file(brief.path.clone()).at_offset(text, spec.offset);
    let (values, table, map) = match prepared {
        Some(PreparedChart::Drawn { values }) => (values, None, None),
        Some(PreparedChart::NoNumbers { values, table }) => (values, Some(table), None),
        Some(PreparedChart::Mapped { map }) => (&map.values, None, Some(map)),
        Some(PreparedChart::Faceted { values, .. }) => (values, None, None),
        Some(PreparedChart::Missing) | None => {
            return Err(at(Diag::error("internal/bug", "chart data was not loaded")));
        }
    };
    let id = format!("chart-{}-{}", brief.slug, spec.number);
    let title = spec.title.clone().unwrap_or_else(|| default_title(spec));
    let csv_name = crate::routes::chart_csv_name(spec.number);
    let csv_url = site.config.url(&format!("{}{csv_name}", brief.site_path()));
    let (drawn, not_drawn) = super::annotations::split(spec, values);
    let svg_name = crate::routes::chart_svg_name(spec.number);
    let embed = super::embed::EmbedInput {
        file_url: site
            .config
            .permalink(&format!("{}{svg_name}", brief.site_path())),
        page_url: site.config.permalink(&brief.site_path()),
        file_name: svg_name,
        brief_title: &brief.front.title,
        site_title: &site.config.title,
    };
    let input = FigureInput {
        id: &id,
        kind: spec.kind,
        title: &title,
        caption: spec.caption.as_deref(),
        source: spec.source.as_deref(),
        x: &spec.x,
        y_heading: value_heading(spec),
        y_label: spec.unit.as_deref().unwrap_or(&spec.y),
        unit: spec.unit.as_deref(),
        values,
        raw: table,
        csv_url: &csv_url,
        extra_note: None,
        map: map.map(|values| super::map_figure::MapInput {
            values,
            classes: &spec.classes,
        }),
        numbers: Numbers {
            format: spec.format,
            language: site.config.language.clone(),
        },
        annotations: &drawn,
        facets: facet_input(spec, prepared),
        embed: Some(embed),
    };
    let mut warnings = Vec::new();
    let at_item = |d: Diag, offset: usize| d.in_file(brief.path.clone()).at_offset(text, offset);
    for (a, d) in &not_drawn {
        warnings.push(at_item(d.clone(), a.offset));
    }
    let input = FigureInput {
        extra_note: super::annotations::note(spec, &drawn, &not_drawn, &input.numbers),
        ..input
    };
    if let Some(map) = map {
        warnings.extend(super::map_figure::unknown_places(brief, spec, map));
    }
    if !input.has_numbers() {
        warnings.push(at(Diag::warning(
            "chart/no-numbers",
            format!(
            "chart {} has no numbers to draw: none of the {} rows has a number in \"{}\"; the page shows the table and a note instead",
            spec.number, values.rows_considered, spec.y
        ))
        .with_help(format!(
            "put numbers in the \"{}\" column of {}, or write text figures in the brief instead of a chart",
            spec.y,
            table.map_or("the data", |t| t.path.as_str())
        ))));
    }
    if input.map.is_none() && input.facets.is_none() && input.has_numbers() && input.too_many() {
        warnings.push(at(Diag::warning(
            "chart/too-many-categories",
            format!(
                "chart {} has {} categories, more than one chart can show (at most {MOST_DRAWN}); the page shows the data table instead",
                spec.number,
                values.categories.len()
            ),
        )
        .with_help(
            "add `limit: 20` to chart the 20 largest and group the rest as \"Other\", or `filter` to keep the ones the chart is about",
        )));
    }
    let (figure, csv, file) = figure_and_file(&input).map_err(|e| {
        at(Diag::error(
            "chart/draw",
            format!("could not draw chart {}: {e}", spec.number),
        ))
    })?;
    let svg_file = input
        .embed
        .as_ref()
        .zip(file)
        .map(|(e, f)| (e.file_name.clone(), f.svg));
    Ok(RenderedChart {
        figure,
        csv: (csv_name, csv),
        svg_file,
        warnings,
    })
}

/// What goes in a figure between its caption and its source, and after.
pub(super) struct FigureParts {
    /// The chart, or `None` when nothing could be drawn.
    pub svg: Option<String>,
    /// The data table's HTML.
    pub table: String,
    pub csv: String,
    /// The honesty notes, in order.
    pub notes: Vec<String>,
    /// The chart as a standalone file, when the figure has somewhere to put one.
    pub file: Option<SvgFile>,
}

/// The figure's HTML and its CSV download.
pub(super) fn figure(input: &FigureInput) -> Result<(String, String), String> {
    figure_and_file(input).map(|(figure, csv, _)| (figure, csv))
}

/// The figure's HTML, its CSV download and, with `input.embed`, its standalone file.
fn figure_and_file(input: &FigureInput) -> Result<(String, String, Option<SvgFile>), String> {
    let parts = match (&input.map, &input.facets) {
        (Some(map), _) => super::map_figure::parts(input, map)?,
        (None, Some(facets)) => super::facet_figure::parts(input, facets)?,
        (None, None) => chart_parts(input)?,
    };
    Ok((frame(input, &parts), parts.csv, parts.file))
}

/// What the standalone file shows around the chart, when the figure has one.
pub(super) fn svg_frame<'a>(input: &'a FigureInput, notes: &'a [String]) -> Option<SvgFrame<'a>> {
    input.embed.as_ref().map(|_| SvgFrame {
        title: input.title,
        source: input.source,
        notes,
    })
}

/// A bar or line chart's parts.
fn chart_parts(input: &FigureInput) -> Result<FigureParts, String> {
    let notes: Vec<String> = note(input.values)
        .into_iter()
        .chain(missing_note(input))
        .chain(input.extra_note.clone())
        .collect();
    let drawn = if input.has_numbers() && !input.too_many() {
        let chart = SvgChart {
            id: input.id,
            kind: input.kind,
            title: input.title,
            x_label: input.x,
            y_label: input.y_label,
            unit: input.unit,
            values: input.values,
            numbers: &input.numbers,
            annotations: input.annotations,
            shared: None,
        };
        Some(render_svgs(&chart, svg_frame(input, &notes).as_ref())?)
    } else {
        None
    };
    let (svg, file) = match drawn {
        Some(d) => (Some(d.svg), d.file),
        None => (None, None),
    };
    let raw = input.raw.filter(|_| svg.is_none());
    let table = match raw {
        Some(table) => raw_table(input.id, input.title, table),
        None => values_table(input),
    };
    Ok(FigureParts {
        svg,
        table,
        csv: csv(input, raw),
        notes,
        file,
    })
}

/// The figure around its parts, in newsroom order: title and caption above the chart, source
/// below it, then the data, the download and the notes.
fn frame(input: &FigureInput, parts: &FigureParts) -> String {
    let id = input.id;
    let class = match input.facets {
        Some(_) => "chart chart-facets",
        None => "chart",
    };
    let mut f = String::new();
    let _ = write!(
        f,
        "<figure class=\"{class}\" id=\"{id}\" aria-labelledby=\"{id}-caption\">"
    );
    let _ = write!(
        f,
        "<figcaption id=\"{id}-caption\"><span class=\"chart-title\">{}</span>",
        esc(input.title)
    );
    if let Some(caption) = input.caption {
        let _ = write!(f, " <span class=\"chart-caption\">{}</span>", esc(caption));
    }
    f.push_str("</figcaption>");
    match &parts.svg {
        Some(svg) => f.push_str(svg),
        None if input.has_numbers() && input.too_many() => {
            let n = input.values.categories.len();
            let _ = write!(
                f,
                "<p class=\"chart-empty\">No chart: {n} categories are more than one chart can show; the data table holds them all.</p>"
            );
        }
        None => f.push_str(
            "<p class=\"chart-empty\">No chart: nothing in this data could be drawn.</p>",
        ),
    }
    if let Some(source) = input.source {
        let _ = write!(f, "<p class=\"chart-source\">Source: {}</p>", esc(source));
    }
    f.push_str(&parts.table);
    let _ = write!(
        f,
        "<p class=\"chart-download\"><a href=\"{}\" download>Download the data (CSV)</a></p>",
        esc(input.csv_url)
    );
    if let (Some(embed), Some(file)) = (&input.embed, &parts.file) {
        f.push_str(&super::embed::snippet(embed, file));
    }
    for n in &parts.notes {
        let _ = write!(f, "<p class=\"chart-note\">{}</p>", esc(n));
    }
    f.push_str("</figure>\n");
    f
}

/// What makes the figure small multiples, when the chart is faceted.
fn facet_input<'a>(
    spec: &'a ChartSpec,
    prepared: Option<&'a PreparedChart>,
) -> Option<super::facet_figure::FacetInput<'a>> {
    match (prepared, &spec.facet) {
        (Some(PreparedChart::Faceted { facets, .. }), Some(facet)) => {
            Some(super::facet_figure::FacetInput {
                facets,
                column: &facet.column,
                shared: facet.scales == crate::model::facet::Scales::Shared,
            })
        }
        _ => None,
    }
}

fn default_title(spec: &ChartSpec) -> String {
    format!(
        "{} by {}",
        spec.y.replace('_', " "),
        spec.x.replace('_', " ")
    )
}

pub(super) fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let _ = escape_html(&mut out, text);
    out
}

/// `Not charted: 2 of 9 rows — "Undisclosed" (Alphabet), "n/a" (JPMorgan Chase)`.
pub(super) fn note(values: &ChartValues) -> Option<String> {
    if values.skipped.is_empty() {
        return None;
    }
    let mut parts: Vec<String> = values
        .skipped
        .iter()
        .take(NOTE_ROWS)
        .map(|s| {
            let value = if s.value.is_empty() {
                "blank".to_string()
            } else {
                format!("\u{201c}{}\u{201d}", s.value)
            };
            format!("{value} ({})", s.label)
        })
        .collect();
    if values.skipped.len() > NOTE_ROWS {
        parts.push(format!("and {} more", values.skipped.len() - NOTE_ROWS));
    }
    Some(format!(
        "Not charted: {} of {} rows \u{2014} {}",
        values.skipped.len(),
        values.rows_considered,
        parts.join(", ")
    ))
}

/// A line chart's missing points, which break its lines: "No value for 2017, 2018, 2019."
fn missing_note(input: &FigureInput) -> Option<String> {
    let v = input.values;
    (input.kind == ChartKind::Line && input.has_numbers())
        .then(|| crate::model::time::missing_points(&v.categories, &v.series, &v.values))
        .flatten()
}

/// Opens the data table's disclosure; `open` when the table is all there is to see.
pub(super) fn table_open(f: &mut String, id: &str, title: &str, open: bool) {
    let open = if open { " open" } else { "" };
    let _ = write!(
        f,
        "<details class=\"chart-data\"{open}><summary>Data table</summary><div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"Data for {}\"><table id=\"{id}-data\">",
        esc(title)
    );
}

/// The charted values: one row per category, one column per series.
fn values_table(input: &FigureInput) -> String {
    let values = input.values;
    let mut f = String::new();
    table_open(&mut f, input.id, input.title, false);
    let _ = write!(f, "<thead><tr><th scope=\"col\">{}</th>", esc(input.x));
    for s in &values.series {
        let name = if s.is_empty() {
            input.y_heading.clone()
        } else {
            s.clone()
        };
        let _ = write!(
            f,
            "<th scope=\"col\" class=\"align-right\">{}</th>",
            esc(&name)
        );
    }
    f.push_str("</tr></thead><tbody>");
    for (c, category) in values.categories.iter().enumerate() {
        let _ = write!(f, "<tr><th scope=\"row\">{}</th>", esc(category));
        for column in &values.values {
            match column[c] {
                Some(v) => value_cell(&mut f, v, values.decimals, &input.numbers),
                None => f.push_str("<td class=\"align-right\"></td>"),
            }
        }
        f.push_str("</tr>");
    }
    f.push_str("</tbody></table></div></details>");
    f
}

/// A value as readers read it (`1 234,5`), its plain number in `data-value` as the chart's
/// marks carry it.
pub(super) fn value_cell(f: &mut String, v: f64, decimals: u8, numbers: &Numbers) {
    let _ = write!(
        f,
        "<td class=\"align-right\" data-value=\"{}\">{}</td>",
        Number::format(v, decimals),
        esc(&numbers.value(v, decimals))
    );
}

fn value_heading(spec: &ChartSpec) -> String {
    match &spec.unit {
        Some(unit) => format!("{} ({unit})", spec.y),
        None => spec.y.clone(),
    }
}

/// When nothing could be charted, the rows as written, so the reader still sees the data.
pub(super) fn raw_table(id: &str, title: &str, table: &DataTable) -> String {
    let mut f = String::new();
    table_open(&mut f, id, title, true);
    f.push_str("<thead><tr>");
    for c in &table.columns {
        let _ = write!(f, "<th scope=\"col\">{}</th>", esc(c));
    }
    f.push_str("</tr></thead><tbody>");
    for row in table.rows.iter() {
        f.push_str("<tr>");
        for cell in &row.cells {
            let _ = write!(f, "<td>{}</td>", esc(&cell.display()));
        }
        f.push_str("</tr>");
    }
    f.push_str("</tbody></table></div></details>");
    f
}

/// The CSV download: the aggregated values a reader sees in the chart (or, when nothing could
/// be charted, the rows as written). Text cells a spreadsheet would run as a formula are
/// neutralised with a leading apostrophe.
pub(super) fn csv(input: &FigureInput, raw: Option<&DataTable>) -> String {
    let mut out = String::new();
    let mut line = |cells: Vec<String>| {
        let cells: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    };
    if let Some(table) = raw {
        line(table.columns.clone());
        for row in table.rows.iter() {
            line(row.cells.iter().map(|c| c.display()).collect());
        }
        return out;
    }
    let values = input.values;
    let mut header = vec![input.x.to_string()];
    for s in &values.series {
        header.push(if s.is_empty() {
            input.y_heading.clone()
        } else {
            s.clone()
        });
    }
    line(header);
    for (c, category) in values.categories.iter().enumerate() {
        let mut cells = vec![category.clone()];
        for column in &values.values {
            cells.push(
                column[c]
                    .map(|v| Number::format(v, values.decimals))
                    .unwrap_or_default(),
            );
        }
        line(cells);
    }
    out
}

pub(super) fn csv_cell(text: &str) -> String {
    let is_number = text.parse::<f64>().is_ok();
    let mut cell = text.to_string();
    if !is_number && cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        cell.insert(0, '\'');
    }
    if cell.contains([',', '"', '\n', '\r']) {
        cell = format!("\"{}\"", cell.replace('"', "\"\""));
    }
    cell
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_cannot_run_as_formulas() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("-1.5"), "-1.5");
        assert_eq!(csv_cell("SoftBank, Inc."), "\"SoftBank, Inc.\"");
    }
}
