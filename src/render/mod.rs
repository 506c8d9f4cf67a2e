//! The render stage: turns a [`Site`] into output files, all in memory.
//!
//! Pages render in parallel and are handed one by one to a [`Sink`]; the render stage never
//! touches the disk itself. `briefing build` passes the write stage's staging folder,
//! `briefing check` a sink that only counts.

mod chart;
pub mod chart_svg;
mod context;
pub mod markdown;
mod pages;
mod templates;

use std::collections::HashSet;
use std::path::PathBuf;

use rayon::prelude::*;

use crate::diag::Diag;
use crate::model::chart::{ChartKind, ChartValues};
use crate::model::spend::site_spend;
use crate::model::{Site, TaxonomyKind};
use pages::{Page, PageRenderer, SpendView};
pub use templates::{STYLESHEET, Templates};

/// One file of the built site, at a `/`-separated path relative to the output root.
#[derive(Debug, Clone)]
pub struct OutputFile {
    pub path: String,
    pub contents: Contents,
}

#[derive(Debug, Clone)]
pub enum Contents {
    Bytes(Vec<u8>),
    /// A static file, copied as is from this path.
    CopyOf(PathBuf),
}

/// Where rendered files go. Called from many threads at once.
pub trait Sink: Sync {
    fn put(&self, file: OutputFile) -> Result<(), Diag>;
}

/// What rendering produced besides the files.
#[derive(Debug, Default)]
pub struct RenderReport {
    pub pages: usize,
    pub files: usize,
    pub diags: Vec<Diag>,
}

pub fn render_site(site: &Site, sink: &dyn Sink) -> RenderReport {
    let mut report = RenderReport::default();
    let templates = match Templates::load(&site.templates) {
        Ok(t) => t,
        Err(diags) => {
            report.diags = diags;
            return report;
        }
    };
    let mut results: Vec<Result<(), Diag>> = Vec::new();
    let spend = spend_view(site, sink, &mut results);
    let renderer = PageRenderer::new(site, &templates, spend.as_ref());
    let put_page = |page: Result<Page, Diag>| -> Result<(), Diag> {
        let page = page?;
        sink.put(OutputFile {
            path: page.path,
            contents: Contents::Bytes(page.html.into_bytes()),
        })
    };

    let per_brief: Vec<Vec<Result<(), Diag>>> = site
        .briefs
        .par_iter()
        .map(|b| brief_files(site, &renderer, b, sink, &put_page))
        .collect();
    results.extend(per_brief.into_iter().flatten());
    let terms: Vec<(TaxonomyKind, usize)> = TaxonomyKind::ALL
        .iter()
        .flat_map(|&k| (0..site.taxonomy(k).terms.len()).map(move |i| (k, i)))
        .collect();
    results.par_extend(
        terms
            .par_iter()
            .map(|&(k, i)| put_page(renderer.term(k, &site.taxonomy(k).terms[i]))),
    );
    let brief_pages = site.briefs.len();
    results.push(put_page(renderer.home()));
    results.push(put_page(renderer.brief_list()));
    for kind in TaxonomyKind::ALL {
        results.push(put_page(renderer.term_index(kind)));
    }
    results.push(put_page(renderer.not_found()));
    report.pages = brief_pages + terms.len() + 5;

    results.extend(assets(site, sink));
    report.files = results.len();
    report.diags = results.into_iter().filter_map(Result::err).collect();
    report
}

/// The "Spend by region" figure of the regions index, and its CSV.
fn spend_view(
    site: &Site,
    sink: &dyn Sink,
    results: &mut Vec<Result<(), Diag>>,
) -> Option<SpendView> {
    let spend = site_spend(site)?;
    let mut order: Vec<usize> = (0..spend.regions.len()).collect();
    let total = |i: usize| spend.regions[i].total.unwrap_or(f64::NEG_INFINITY);
    order.sort_by(|&a, &b| total(b).total_cmp(&total(a)).then(a.cmp(&b)));
    let values = ChartValues {
        categories: order
            .iter()
            .map(|&i| spend.regions[i].name.clone())
            .collect(),
        series: vec![String::new()],
        values: vec![order.iter().map(|&i| spend.regions[i].total).collect()],
        decimals: spend.decimals,
        rows_considered: spend.rows_considered,
        skipped: spend.skipped.clone(),
    };
    let files: Vec<String> = spend
        .files
        .iter()
        .map(|f| format!("content/data/{f}"))
        .collect();
    let extra_note = (!spend.excluded.is_empty()).then(|| {
        let parts: Vec<String> = spend
            .excluded
            .iter()
            .map(|(f, why)| format!("content/data/{f} ({why})"))
            .collect();
        format!("Not summed: {}", parts.join("; "))
    });
    let unit = spend.unit.as_deref();
    let heading = match unit {
        Some(u) => format!("{} ({u})", spend.column),
        None => spend.column.clone(),
    };
    let csv_url = site.config.url("regions/spend-by-region.csv");
    let source = format!("sum over {}", files.join(", "));
    let input = chart::FigureInput {
        id: "chart-spend-by-region",
        kind: ChartKind::HBar,
        title: "Total charted spend, by region",
        caption: Some("Every data file the briefs chart by region, each counted once."),
        source: Some(&source),
        x: "region",
        y_heading: heading,
        y_label: unit.unwrap_or(&spend.column),
        unit,
        values: &values,
        raw: None,
        csv_url: &csv_url,
        extra_note,
    };
    match chart::figure(&input) {
        Ok((figure, csv)) => {
            results.push(sink.put(OutputFile {
                path: "regions/spend-by-region.csv".to_string(),
                contents: Contents::Bytes(csv.into_bytes()),
            }));
            Some(SpendView { spend, figure })
        }
        Err(e) => {
            results.push(Err(Diag::error(format!(
                "could not draw the spend-by-region chart: {e}"
            ))));
            None
        }
    }
}

/// A brief's page and the CSV files of its charts. Chart warnings come back as `Err` values
/// with warning severity, so they travel with the errors.
fn brief_files(
    site: &Site,
    renderer: &PageRenderer,
    brief: &crate::model::Brief,
    sink: &dyn Sink,
    put_page: &(dyn Fn(Result<Page, Diag>) -> Result<(), Diag> + Sync),
) -> Vec<Result<(), Diag>> {
    let mut out = Vec::new();
    let mut figures = Vec::with_capacity(brief.charts.len());
    for spec in &brief.charts {
        match chart::render_chart(site, brief, spec) {
            Ok(rendered) => {
                let (name, csv) = rendered.csv;
                out.push(sink.put(OutputFile {
                    path: format!("{}{name}", brief.site_path()),
                    contents: Contents::Bytes(csv.into_bytes()),
                }));
                out.extend(rendered.warnings.into_iter().map(Err));
                // Figures are numbered by block; a missing one leaves its place empty.
                figures.resize(spec.number - 1, String::new());
                figures.push(rendered.figure);
            }
            Err(d) => out.push(Err(d)),
        }
    }
    out.push(put_page(renderer.brief(brief, &figures)));
    out
}

/// The site's `static/` files and the built-in stylesheet (unless `static/style.css` replaces it).
fn assets(site: &Site, sink: &dyn Sink) -> Vec<Result<(), Diag>> {
    let generated = generated_paths(site);
    let mut out = Vec::new();
    if !site.static_files.iter().any(|f| f.rel == "style.css") {
        out.push(sink.put(OutputFile {
            path: "style.css".to_string(),
            contents: Contents::Bytes(STYLESHEET.as_bytes().to_vec()),
        }));
    }
    for file in &site.static_files {
        if generated.contains(&file.rel) {
            out.push(Err(Diag::error(format!(
                "static/{} would replace the page briefing generates at {}",
                file.rel, file.rel
            ))
            .in_file(format!("static/{}", file.rel))
            .with_help(
                "rename or remove the static file; override pages with templates/ instead",
            )));
            continue;
        }
        out.push(sink.put(OutputFile {
            path: file.rel.clone(),
            contents: Contents::CopyOf(file.source_path.clone()),
        }));
    }
    out
}

/// Every page path the render stage writes, so a static file cannot silently replace one.
fn generated_paths(site: &Site) -> HashSet<String> {
    let mut paths: HashSet<String> = [
        "index.html",
        "briefs/index.html",
        "404.html",
        "regions/spend-by-region.csv",
    ]
    .into_iter()
    .map(str::to_string)
    .collect();
    for b in &site.briefs {
        paths.insert(format!("{}index.html", b.site_path()));
        for c in &b.charts {
            paths.insert(format!("{}chart-{}.csv", b.site_path(), c.number));
        }
    }
    for kind in TaxonomyKind::ALL {
        let t = site.taxonomy(kind);
        paths.insert(format!("{}/index.html", kind.segment()));
        for term in &t.terms {
            paths.insert(format!("{}index.html", t.term_path(term)));
        }
    }
    paths
}
