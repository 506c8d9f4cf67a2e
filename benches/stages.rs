//! Criterion micro-benchmarks of the hot stages, each beside the peer it builds on, measured in
//! the same run so the ratio (our stage / the bare library) is what to read:
//!
//! - front-matter: `frontmatter::parse` (split, YAML, validation) against the YAML parse alone;
//! - Markdown: `markdown::render` (ids, footnotes, tables, link checks, plain text for search)
//!   against pulldown-cmark's own `push_html` with the same options;
//! - search tokens of one body, and a chart drawn to SVG (no peer: nothing else draws it);
//! - one brief page end to end (`render_one_brief`: templates compiled, Markdown, charts, Tera
//!   template) on the example site, and the template compilation alone.
//!
//! Run with `cargo bench --bench stages` (see bench/README.md). Inputs are the example site's
//! own files, so the numbers follow what editors write.

use std::hint::black_box;
use std::path::PathBuf;
use std::sync::Arc;

use briefing::load::{LoadOptions, frontmatter, load_site};
use briefing::model::chart::{ChartKind, ChartValues};
use briefing::model::markdown_options;
use briefing::render::chart_svg::{SvgChart, render_svg};
use briefing::render::{Templates, markdown, render_one_brief, tokens};
use briefing::write::Discard;
use criterion::{Criterion, criterion_group, criterion_main};

fn example_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn example_brief() -> Arc<str> {
    let path = example_root().join("content/briefs/ai-infrastructure-spend.md");
    let text = std::fs::read_to_string(&path).expect("the example brief is in the repository");
    Arc::from(text)
}

fn front_matter(c: &mut Criterion) {
    let text = example_brief();
    let parsed = frontmatter::parse(&text, "brief.md").expect("the example brief parses");
    let yaml_end = text[4..].find("\n---").map_or(text.len(), |i| i + 4);
    let yaml = &text[4..yaml_end];
    assert!(parsed.body_start > yaml_end);
    let mut group = c.benchmark_group("front-matter");
    group.bench_function("yaml parse alone (peer)", |b| {
        b.iter(|| briefing::yaml::parse(black_box(yaml)))
    });
    group.bench_function("frontmatter::parse", |b| {
        b.iter(|| frontmatter::parse(black_box(&text), "brief.md"))
    });
    group.finish();
}

fn markdown_body(c: &mut Criterion) {
    let text = example_brief();
    let body_start = frontmatter::parse(&text, "brief.md")
        .expect("the example brief parses")
        .body_start;
    let body = &text[body_start..];
    let mut group = c.benchmark_group("markdown");
    group.bench_function("pulldown-cmark push_html (peer)", |b| {
        b.iter(|| {
            let mut html = String::new();
            let parser = pulldown_cmark::Parser::new_ext(black_box(body), markdown_options());
            pulldown_cmark::html::push_html(&mut html, parser);
            html
        })
    });
    group.bench_function("markdown::render", |b| {
        b.iter(|| markdown::render(black_box(body), &[]))
    });
    group.finish();

    let plain = markdown::render(body, &[]).text;
    c.bench_function("search tokens of one body", |b| {
        b.iter(|| {
            let mut n = 0usize;
            tokens::for_each_token(black_box(&plain), |t| n += t.len());
            n
        })
    });
}

fn chart(c: &mut Criterion) {
    let regions = [
        "United States",
        "France",
        "South Korea",
        "Kazakhstan",
        "Uzbekistan",
        "Қазақстан",
        "日本",
        "Côte d'Ivoire",
    ];
    let values = ChartValues {
        categories: regions.iter().map(|r| r.to_string()).collect(),
        series: vec![String::new()],
        values: vec![
            (0..regions.len())
                .map(|i| Some(1.5 + i as f64 * 7.25))
                .collect(),
        ],
        decimals: 2,
        rows_considered: regions.len(),
        skipped: Vec::new(),
    };
    let numbers = briefing::model::format::Numbers::default();
    for kind in [ChartKind::Bar, ChartKind::HBar, ChartKind::Line] {
        let chart = SvgChart {
            id: "chart-bench-1",
            kind,
            title: "Spend by region",
            x_label: "region",
            y_label: "USD bn",
            unit: Some("USD bn"),
            values: &values,
            numbers: &numbers,
            annotations: &[],
            shared: None,
        };
        c.bench_function(&format!("chart svg ({kind:?}, 8 categories)"), |b| {
            b.iter(|| render_svg(black_box(&chart)))
        });
    }
}

fn brief_page(c: &mut Criterion) {
    let loaded = load_site(&LoadOptions {
        root: example_root(),
        base_url: None,
        drafts: false,
        ..LoadOptions::default()
    });
    let site = loaded.site.expect("the example site loads");
    let index = site
        .briefs
        .iter()
        .position(|b| !b.charts.is_empty())
        .expect("an example brief has a chart");
    // render_one_brief compiles the templates first, as serve does; timed alone here so the
    // page's own cost is the difference.
    c.bench_function("templates compiled (Templates::load)", |b| {
        b.iter(|| Templates::load(black_box(&site.templates)).is_ok())
    });
    c.bench_function("one brief page with its charts (render_one_brief)", |b| {
        b.iter(|| render_one_brief(black_box(&site), index, &Discard))
    });
}

criterion_group!(benches, front_matter, markdown_body, chart, brief_page);
criterion_main!(benches);
