//! `format:` in a chart block (docs/charts.md): numbers written for readers in the site's
//! language: axis ticks, value labels, the titles of marks and the data table. `data-value`
//! and the CSV download keep plain, machine-readable numbers.

use crate::common::svg::figure_svg;
use crate::common::*;

/// U+202F NARROW NO-BREAK SPACE, the French thousands separator.
const NNBSP: char = '\u{202f}';

/// The texts of one chart's `<text class="… {class}">` elements, in order, as raw markup
/// (entities not decoded, unlike [`crate::common::svg::texts`]), so a test sees what is written.
fn texts(svg: &str, class: &str) -> Vec<String> {
    let needle = format!("{class}\"");
    svg.split("<text ")
        .skip(1)
        .filter(|t| t.split('>').next().unwrap_or("").contains(&needle))
        .map(|t| {
            let body = &t[t.find('>').unwrap() + 1..];
            body[..body.find("</text>").unwrap()].to_string()
        })
        .collect()
}

fn site(language: &str, csv: &str, chart: &str) -> TestSite {
    let site = TestSite::new();
    site.write(
        "site.yaml",
        &format!("title: Format\nbase_url: https://briefs.example.org\nlanguage: {language}\n"),
    );
    site.write("content/data/spend.csv", csv);
    site.brief(
        "spend.md",
        "title: Spend\ndate: 2025-11-20",
        &format!("Intro.\n\n```chart\ndata: spend.csv\nx: region\ny: spend\n{chart}```\n"),
    );
    site
}

#[test]
fn french_separators_in_ticks_labels_titles_and_table_but_not_in_the_csv() {
    let csv = "region,spend\nFrance,1234.5\nGermany,2500\nSpain,980.25\n";
    let site = site("fr", csv, "type: bar\nunit: EUR m\n");
    site.build().assert_ok();
    let html = site.page("briefs/spend/index.html");
    let svg = figure_svg(&html, "chart-spend-1");

    let ticks = texts(svg, "chart-tick");
    assert!(
        ticks.contains(&format!("2{NNBSP}500")),
        "ticks grouped the French way: {ticks:?}"
    );
    assert!(
        ticks.iter().all(|t| !t.contains(',')),
        "round ticks: {ticks:?}"
    );
    let labels = texts(svg, "chart-value");
    assert_eq!(
        labels,
        [
            format!("1{NNBSP}234,50"),
            format!("2{NNBSP}500,00"),
            "980,25".to_string()
        ]
    );
    assert!(svg.contains(&format!("<title>France: 1{NNBSP}234,50 EUR m</title>")));
    // Machines read plain numbers, the same in the marks and in the table.
    assert!(svg.contains("data-value=\"1234.50\""));
    assert!(html.contains(&format!("data-value=\"1234.50\">1{NNBSP}234,50</td>")));
    let data = site.page("briefs/spend/chart-1.csv");
    assert!(data.contains("France,1234.50"), "{data}");
    assert!(!data.contains(NNBSP));
}

#[test]
fn compact_numbers_on_the_axis_and_the_bars() {
    let csv = "region,spend\nFrance,1200000000\nGermany,3400000\nSpain,950000\n";
    let site = site("en", csv, "type: bar\nformat: compact\n");
    site.build().assert_ok();
    let html = site.page("briefs/spend/index.html");
    let svg = figure_svg(&html, "chart-spend-1");
    assert_eq!(texts(svg, "chart-value"), ["1.2bn", "3.4M", "950k"]);
    let ticks = texts(svg, "chart-tick");
    assert!(ticks.len() >= 3, "{ticks:?}");
    for t in &ticks[1..] {
        assert!(
            t.ends_with('M') || t.ends_with("bn"),
            "every tick past 0 is compact: {ticks:?}"
        );
    }
    assert!(html.contains("data-value=\"1200000000\">1.2bn</td>"));
}

#[test]
fn german_percent_with_asked_decimals() {
    let csv = "region,share\nFrance,0.253\nGermany,0.1\n";
    let site = site(
        "de",
        &csv.replace("share", "spend"),
        "type: hbar\nformat: {style: percent, decimals: 1}\n",
    );
    site.build().assert_ok();
    let html = site.page("briefs/spend/index.html");
    let svg = figure_svg(&html, "chart-spend-1");
    assert_eq!(texts(svg, "chart-value"), ["25,3%", "10,0%"]);
    assert!(html.contains("data-value=\"0.253\">25,3%</td>"));
}

#[test]
fn a_format_that_is_not_one_points_at_its_line() {
    let site = site("en", "region,spend\nFrance,1\n", "format: fancy\n");
    let run = site.build();
    assert_ne!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("spend.md:"), "{}", run.stderr);
    assert!(run.stderr.contains("`format`"), "{}", run.stderr);
    assert!(
        run.stderr.contains("compact"),
        "a suggestion: {}",
        run.stderr
    );
    assert!(
        run.stderr.contains(":11:"),
        "the format line: {}",
        run.stderr
    );
}

#[test]
fn a_percent_unit_is_not_written_twice_and_tiny_compact_values_keep_their_places() {
    let site = site(
        "en",
        "region,spend\nFrance,0.253\nGermany,0.1\n",
        "type: bar\nunit: \"%\"\nformat: percent\nannotate:\n  - {y: 0.2, label: Goal}\n",
    );
    site.build().assert_ok();
    let html = site.page("briefs/spend/index.html");
    let svg = figure_svg(&html, "chart-spend-1");
    assert!(svg.contains("<title>France: 25.3%</title>"), "{svg}");
    assert!(!svg.contains("%%"), "{svg}");
    assert!(
        svg.contains("reference line at 20%, Goal"),
        "the desc writes the goal as the axis does"
    );

    let tiny = site_with(
        "region,spend\nA,0.0001\nB,0.0002\nC,0.0003\n",
        "type: bar\nformat: compact\n",
    );
    let html = tiny.page("briefs/spend/index.html");
    let svg = figure_svg(&html, "chart-spend-1");
    let ticks = texts(svg, "chart-tick");
    let distinct: std::collections::BTreeSet<&String> = ticks.iter().collect();
    assert_eq!(distinct.len(), ticks.len(), "ticks stay apart: {ticks:?}");
    assert_eq!(texts(svg, "chart-value"), ["0.0001", "0.0002", "0.0003"]);
}

fn site_with(csv: &str, chart: &str) -> TestSite {
    let s = site("en", csv, chart);
    s.build().assert_ok();
    s
}
