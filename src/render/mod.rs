//! The render stage: turns a [`Site`] into output files, all in memory.
//!
//! Pages render in parallel and are handed one by one to a [`Sink`]; the render stage never
//! touches the disk itself. `briefing build` passes the write stage's staging folder,
//! `briefing check` a sink that only counts.

mod context;
pub mod markdown;
mod pages;
mod templates;

use std::collections::HashSet;
use std::path::PathBuf;

use rayon::prelude::*;

use crate::diag::Diag;
use crate::model::{Site, TaxonomyKind};
use pages::{Page, PageRenderer};
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
    let renderer = PageRenderer::new(site, &templates);
    let put_page = |page: Result<Page, Diag>| -> Result<(), Diag> {
        let page = page?;
        sink.put(OutputFile {
            path: page.path,
            contents: Contents::Bytes(page.html.into_bytes()),
        })
    };

    let mut results: Vec<Result<(), Diag>> = site
        .briefs
        .par_iter()
        .map(|b| put_page(renderer.brief(b)))
        .collect();
    let terms: Vec<(TaxonomyKind, usize)> = TaxonomyKind::ALL
        .iter()
        .flat_map(|&k| (0..site.taxonomy(k).terms.len()).map(move |i| (k, i)))
        .collect();
    results.par_extend(
        terms
            .par_iter()
            .map(|&(k, i)| put_page(renderer.term(k, &site.taxonomy(k).terms[i]))),
    );
    results.push(put_page(renderer.home()));
    results.push(put_page(renderer.brief_list()));
    for kind in TaxonomyKind::ALL {
        results.push(put_page(renderer.term_index(kind)));
    }
    results.push(put_page(renderer.not_found()));
    report.pages = results.len();

    results.extend(assets(site, sink));
    report.files = results.len();
    report.diags = results.into_iter().filter_map(Result::err).collect();
    report
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
    let mut paths: HashSet<String> = ["index.html", "briefs/index.html", "404.html"]
        .into_iter()
        .map(str::to_string)
        .collect();
    for b in &site.briefs {
        paths.insert(format!("{}index.html", b.site_path()));
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
