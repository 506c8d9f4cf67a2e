//! Criterion micro-benchmarks of the hot stages, each beside the peer it builds on, measured in
//! the same run so the ratio (our stage / the bare library) is what to read:
//!
//! - front-matter: `frontmatter::parse` (split, YAML, validation) against the YAML parse alone;
//! - Markdown: `markdown::render` (ids, footnotes, tables, link checks, plain text for search)
//!   against pulldown-cmark's own `push_html` with the same options;
//! - search tokens of one body, and a chart drawn to SVG (no peer: nothing else draws it);
//! - a world map with 30 countries' values (`render_map_svg`: classes, shapes, markers,
//!   titles, legend, `<desc>`) against its floor: every ring placed in the viewBox and written
//!   as path data. The shapes ship already in Equal Earth (scripts/regen-geo projects them), so
//!   no build projects anything: placing and writing the points is all a hand-written map
//!   writer must do, and the part no map can skip. Written as our backend writes them (tenths,
//!   relative moves, `itoa`), so the floor is the cheapest honest one; `write!` would raise it
//!   and flatter the ratio. plotters drawing the same polygons is no floor: it needs a backend
//!   (its SVG one is a feature we do not build), and ours is already plotters on one;
//! - a brief's `values:` bound to its data (`parse_bytes`, `value::compute`, `value::bind`:
//!   typed cells, filter, number and the sentence a page shows) against the `csv` crate
//!   reading the same file and summing the same column of the rows the filter keeps; and the
//!   binding alone on the table already read;
//! - one brief page end to end (`render_one_brief`: templates compiled, Markdown, charts, Tera
//!   template) on the example site, and the template compilation alone.
//!
//! Run with `cargo bench --bench stages` (see bench/README.md). Inputs are the example site's
//! own files (the map's 30 values excepted: the example's spend names five countries), so the
//! numbers follow what editors write.

use std::hint::black_box;
use std::path::PathBuf;
use std::sync::Arc;

use briefing::load::{LoadOptions, data, frontmatter, load_site};
use briefing::model::chart::{ChartKind, ChartValues, MapClasses as Asked};
use briefing::model::map::MapValues;
use briefing::model::markdown_options;
use briefing::model::value;
use briefing::render::chart_svg::{MapClasses, SvgChart, SvgMap, render_map_svg, render_svg};
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

/// Thirty countries, spread over every continent, with values over three orders of magnitude.
const MAP_COUNTRIES: [&str; 30] = [
    "United States",
    "Canada",
    "Mexico",
    "Brazil",
    "Argentina",
    "Chile",
    "Colombia",
    "France",
    "Germany",
    "United Kingdom",
    "Spain",
    "Italy",
    "Poland",
    "Sweden",
    "Norway",
    "Russia",
    "Turkey",
    "Egypt",
    "Nigeria",
    "Kenya",
    "South Africa",
    "Saudi Arabia",
    "India",
    "China",
    "Japan",
    "South Korea",
    "Indonesia",
    "Australia",
    "Kazakhstan",
    "Uzbekistan",
];
/// The map's viewBox: 480 units wide (chart_svg::WIDTH) less PAD (4) each side, over the
/// world frame's 4800 units (src/geo/frame.rs, generated). `map` checks the two agree in size.
const MAP_SCALE: f64 = (480.0 - 2.0 * 4.0) / 4800.0;
const MAP_PAD: f64 = 4.0;

/// The floor of a world map: each country's and each uncoded land's rings placed in the
/// viewBox, in backend tenths as plotters rounds them, written as one `<path>` each.
fn map_paths(out: &mut String) {
    let tenths = |v: f64| (v * 10.0).round() as i32;
    let place = |&(x, y): &(i32, i32)| {
        let at = |v: i32| tenths(MAP_PAD + f64::from(v) * MAP_SCALE);
        (at(x), at(y))
    };
    let shapes = briefing::geo::countries().iter().map(|c| &c.rings);
    for rings in shapes.chain(briefing::geo::unassigned_land()) {
        if rings.is_empty() {
            continue;
        }
        out.push_str("<path d=\"");
        for ring in rings {
            let mut points = ring.iter().map(place);
            let Some(first) = points.next() else { continue };
            out.push('M');
            map_number(out, first.0);
            out.push(' ');
            map_number(out, first.1);
            let (mut last, mut moves) = (first, 0);
            for p in points {
                let (dx, dy) = (p.0 - last.0, p.1 - last.1);
                if (dx, dy) == (0, 0) {
                    continue;
                }
                out.push(if moves == 0 { 'l' } else { ' ' });
                map_number(out, dx);
                if dy >= 0 {
                    out.push(' ');
                }
                map_number(out, dy);
                (last, moves) = (p, moves + 1);
            }
            out.push('z');
        }
        out.push_str("\"/>");
    }
}

/// Tenths as viewBox units: `125` → `12.5`, `-5` → `-0.5`.
fn map_number(out: &mut String, v: i32) {
    let (whole, tenths) = (v.unsigned_abs() / 10, v.unsigned_abs() % 10);
    if v < 0 {
        out.push('-');
    }
    out.push_str(itoa::Buffer::new().format(whole));
    if tenths != 0 {
        out.push('.');
        out.push(char::from(b'0' + tenths as u8));
    }
}

/// The bytes of every `d="…"` in `svg`.
fn path_bytes(svg: &str) -> usize {
    svg.split(" d=\"").skip(1).filter_map(|s| s.find('"')).sum()
}

fn map(c: &mut Criterion) {
    let totals: Vec<(String, Option<f64>)> = MAP_COUNTRIES
        .iter()
        .enumerate()
        .map(|(i, name)| (name.to_string(), Some(0.4 * 1.3f64.powi(i as i32))))
        .collect();
    let template = ChartValues {
        categories: Vec::new(),
        series: Vec::new(),
        values: Vec::new(),
        decimals: 1,
        rows_considered: totals.len(),
        skipped: Vec::new(),
    };
    let values = MapValues::of_totals(&totals, template);
    assert_eq!(
        values.countries.len(),
        MAP_COUNTRIES.len(),
        "every name is a country"
    );
    let numbers: Vec<f64> = values.countries.iter().map(|c| c.value).collect();
    let classes = MapClasses::new(&numbers, &Asked::Auto, 1);
    let shown = briefing::model::format::Numbers::default();
    let svg_map = SvgMap {
        id: "chart-bench-map",
        title: "Spend by country",
        caption: "spend_usd_bn (USD bn)",
        unit: Some("USD bn"),
        values: &values,
        classes: &classes,
        focus: None,
        numbers: &shown,
    };
    let ours = render_map_svg(&svg_map).expect("the map draws");
    let mut floor = String::new();
    map_paths(&mut floor);
    // The floor writes the same points as the map (less the small countries the map shows as
    // markers): were its scale wrong, or the map's writing changed, the sizes would part.
    let (a, b) = (path_bytes(&ours) as f64, path_bytes(&floor) as f64);
    assert!(
        (a / b - 1.0).abs() < 0.01,
        "map {a} bytes of paths, floor {b}"
    );
    let mut group = c.benchmark_group("map");
    group.bench_function("rings placed and written as paths (peer)", |b| {
        b.iter(|| {
            let mut out = String::with_capacity(floor.len());
            map_paths(&mut out);
            out
        })
    });
    group.bench_function("render_map_svg (world, 30 countries)", |b| {
        b.iter(|| render_map_svg(black_box(&svg_map)))
    });
    group.finish();
}

/// The example's one `values:` definition (a filter on `investor`, the `spend_usd_bn` cell of
/// the row it keeps), as summed by hand with the `csv` crate: headers found by name, one
/// record buffer reused, the kept rows' numbers added up.
fn csv_sum(bytes: &[u8], filter: (&str, &str), column: &str) -> f64 {
    let mut reader = csv::Reader::from_reader(bytes);
    let headers = reader.headers().expect("the header row").clone();
    let at = |name: &str| headers.iter().position(|h| h == name).expect("a column");
    let (key, y) = (at(filter.0), at(column));
    let mut record = csv::StringRecord::new();
    let mut sum = 0.0;
    while reader.read_record(&mut record).expect("a record") {
        if record
            .get(key)
            .is_some_and(|v| v.eq_ignore_ascii_case(filter.1))
            && let Some(n) = record.get(y).and_then(|v| v.trim().parse::<f64>().ok())
        {
            sum += n;
        }
    }
    sum
}

fn values(c: &mut Criterion) {
    let text = example_brief();
    let front = frontmatter::parse(&text, "brief.md")
        .expect("the example brief parses")
        .front;
    let spec = front.values.first().expect("the example brief has a value");
    let path = example_root().join("content/data").join(&spec.data);
    let bytes = std::fs::read(&path).expect("the example's data file");
    let shown = format!("content/data/{}", spec.data);
    let ((filter_column, kept), column) = (
        spec.filter.first().expect("the value filters"),
        spec.y.as_deref().expect("the value has a column"),
    );
    let filter = (filter_column.as_str(), kept[0].as_str());
    let table = data::parse_bytes(&bytes, &shown)
        .expect("the data parses")
        .0;
    let got = value::compute(spec, &table);
    assert_eq!(
        got.number,
        Some(csv_sum(&bytes, filter, column)),
        "same sum"
    );
    let mut group = c.benchmark_group("values");
    group.bench_function("csv crate, filter and sum the column (peer)", |b| {
        b.iter(|| csv_sum(black_box(&bytes), filter, column))
    });
    group.bench_function("parse_bytes + value::compute + value::bind", |b| {
        b.iter(|| {
            let table = data::parse_bytes(black_box(&bytes), &shown).map(|t| t.0);
            table.map(|t| value::bind(spec, &value::compute(spec, &t), &shown, "en"))
        })
    });
    group.bench_function("value::compute + value::bind (table read)", |b| {
        b.iter(|| value::bind(spec, &value::compute(spec, black_box(&table)), &shown, "en"))
    });
    group.finish();
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

criterion_group!(
    benches,
    front_matter,
    markdown_body,
    chart,
    map,
    values,
    brief_page
);
criterion_main!(benches);
