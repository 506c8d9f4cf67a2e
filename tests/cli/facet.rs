//! Charts that tell the story (issue 16): grouped bars, side by side per category, and small
//! multiples, one small chart per value of a column on one shared value scale. Geometry is
//! read from the SVG and compared with sums the test computes from its own CSV.

use std::collections::BTreeMap;

use crate::common::svg::{has_class, num, parse, svgs};
use crate::common::*;

/// One drawn bar: what it says it is, and where it is.
#[derive(Debug, Clone)]
struct Bar {
    label: String,
    series: String,
    value: f64,
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

fn bars(svg: &str) -> Vec<Bar> {
    let doc = parse(svg);
    doc.descendants()
        .filter(|n| n.has_tag_name("rect") && has_class(n, "chart-bar"))
        .map(|n| Bar {
            label: n.attribute("data-label").unwrap_or_default().to_string(),
            series: n.attribute("data-series").unwrap_or_default().to_string(),
            value: num(&n, "data-value"),
            x: num(&n, "x"),
            y: num(&n, "y"),
            w: num(&n, "width"),
            h: num(&n, "height"),
        })
        .collect()
}

/// The texts of one class, in order, trimmed; unlike [`crate::common::svg::texts`] without
/// their places, and "" for a text whose first child is not text.
fn texts(svg: &str, class: &str) -> Vec<String> {
    let doc = parse(svg);
    doc.descendants()
        .filter(|n| n.has_tag_name("text") && has_class(n, class))
        .map(|n| n.text().unwrap_or_default().trim().to_string())
        .collect()
}

/// The test's own sums of `value` per key, from CSV rows `cols[..]`.
fn sums(csv: &str, key: impl Fn(&[&str]) -> String, value: usize) -> BTreeMap<String, f64> {
    let mut out = BTreeMap::new();
    for line in csv.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        if let Ok(v) = cells[value].parse::<f64>() {
            *out.entry(key(&cells)).or_insert(0.0) += v;
        }
    }
    out
}

const GROUPED_CSV: &str = "region,sector,spend\n\
France,Compute,4\n\
France,Cloud,2\n\
Korea,Compute,3\n\
Korea,Cloud,6\n\
Japan,Compute,1\n\
Japan,Cloud,5\n\
France,Compute,2\n";

#[test]
fn grouped_bars_stand_side_by_side_from_one_baseline() {
    let site = TestSite::new();
    site.write("content/data/spend.csv", GROUPED_CSV);
    let block = |kind: &str| {
        format!(
            "```chart\ndata: spend.csv\ntype: {kind}\nx: region\ny: spend\nseries: sector\n```\n"
        )
    };
    let body = format!("{}\n{}", block("grouped-bar"), block("grouped"));
    site.brief("g.md", "title: G\ndate: 2025-01-01", &body);
    site.build().assert_ok();
    let html = site.page("briefs/g/index.html");
    let want = sums(GROUPED_CSV, |c| format!("{}/{}", c[0], c[1]), 2);
    assert_eq!(want.len(), 6);
    let all = svgs(&html);
    assert_eq!(all.len(), 2, "both spellings draw a chart");
    for svg in all {
        assert!(
            svg.contains("Grouped bar chart"),
            "its <desc> names the kind"
        );
        assert_eq!(texts(svg, "chart-legend"), ["Compute", "Cloud"], "a legend");
        let b = bars(svg);
        assert_eq!(b.len(), 6, "3 regions × 2 sectors: {b:?}");
        // One baseline: every bar ends on the same zero line.
        let base = b[0].y + b[0].h;
        for bar in &b {
            assert!(
                (bar.y + bar.h - base).abs() < 0.11,
                "{bar:?} off the baseline"
            );
        }
        // Side by side: no two bars overlap along x, and each category's two bars touch
        // each other's neighbourhood (closer than the next category).
        let mut by_x = b.clone();
        by_x.sort_by(|a, b| a.x.total_cmp(&b.x));
        for p in by_x.windows(2) {
            assert!(p[0].x + p[0].w <= p[1].x + 0.05, "overlap: {p:?}");
        }
        for pair in by_x.chunks(2) {
            assert_eq!(pair[0].label, pair[1].label, "a group is one region");
            assert_ne!(pair[0].series, pair[1].series, "two sectors in a group");
        }
        // Heights proportional to the test's sums.
        let scale = b[0].h / want[&format!("{}/{}", b[0].label, b[0].series)];
        for bar in &b {
            let sum = want[&format!("{}/{}", bar.label, bar.series)];
            assert_eq!(bar.value, sum, "{bar:?}");
            assert!((bar.h - sum * scale).abs() < 0.15, "{bar:?} vs {sum}");
        }
    }
}

#[test]
fn grouped_bars_need_a_series() {
    let site = TestSite::new();
    site.write("content/data/spend.csv", GROUPED_CSV);
    site.brief(
        "g.md",
        "title: G\ndate: 2025-01-01",
        "```chart\ndata: spend.csv\ntype: grouped-bar\nx: region\ny: spend\n```\n",
    );
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("a grouped-bar chart needs `series`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("g.md:7:1"),
        "points at `type`: {}",
        run.stderr
    );
}

/// Six regions, three sectors each, a repeated row to sum, and one value that is not a number.
const REGIONS_CSV: &str = "region,sector,spend\n\
Europe,Compute,4.5\n\
Europe,Cloud,2.25\n\
Europe,Chips,1.5\n\
Asia,Compute,9\n\
Asia,Cloud,5.5\n\
Asia,Chips,11\n\
Africa,Compute,0.75\n\
Africa,Cloud,0.5\n\
Africa,Chips,0.25\n\
North America,Compute,12\n\
North America,Cloud,8.5\n\
North America,Chips,6\n\
South America,Compute,1.25\n\
South America,Cloud,1\n\
South America,Chips,0.5\n\
Oceania,Compute,1.75\n\
Oceania,Cloud,1.25\n\
Oceania,Chips,2\n\
Europe,Compute,5.25\n\
Asia,Chips,n/a\n";

const REGIONS: [&str; 6] = [
    "Europe",
    "Asia",
    "Africa",
    "North America",
    "South America",
    "Oceania",
];

fn facet_site(keys: &str) -> (TestSite, String) {
    let site = TestSite::new();
    site.write("content/data/regions.csv", REGIONS_CSV);
    site.brief(
        "f.md",
        "title: F\ndate: 2025-01-01",
        &format!(
            "Intro.\n\n```chart\ndata: regions.csv\nx: sector\ny: spend\nunit: USD bn\ntitle: Spend by sector\n{keys}\n```\n"
        ),
    );
    site.build().assert_ok();
    let html = site.page("briefs/f/index.html");
    (site, html)
}

/// The small charts of the page: (the visible label before each svg, the svg).
fn small_charts(html: &str) -> Vec<(String, &str)> {
    let mut out = Vec::new();
    for part in html
        .split("<figcaption class=\"chart-facet-label\">")
        .skip(1)
    {
        let label = &part[..part.find("</figcaption>").unwrap()];
        let svg = svgs(part)
            .into_iter()
            .next()
            .expect("an svg under each label");
        assert!(
            part.find("<svg").unwrap() < part.find("</figure>").unwrap(),
            "the svg sits in its label's element"
        );
        out.push((label.to_string(), svg));
    }
    out
}

#[test]
fn six_regions_are_six_small_charts_in_one_figure_on_one_scale() {
    let (site, html) = facet_site("facet: region");
    // One figure: one title, one grid, one source, one table, one download.
    assert_eq!(html.matches("<figure class=\"chart ").count(), 1);
    assert_eq!(html.matches("<figure class=\"chart\"").count(), 0);
    assert_eq!(html.matches("class=\"chart-title\"").count(), 1);
    assert_eq!(html.matches("<table").count(), 1);
    assert_eq!(html.matches("Download the data (CSV)").count(), 1);

    let charts = small_charts(&html);
    let labels: Vec<&str> = charts.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(labels, REGIONS, "first appearance in the data");
    let want = sums(REGIONS_CSV, |c| format!("{}/{}", c[0], c[1]), 2);
    let mut ticks = Vec::new();
    let mut ratios = Vec::new();
    for (k, (label, svg)) in charts.iter().enumerate() {
        let doc = parse(svg);
        let root = doc.root_element();
        assert_eq!(root.attribute("role"), Some("img"));
        let id = format!("chart-f-1-facet-{}", k + 1);
        let title = root.first_element_child().unwrap();
        assert_eq!(title.attribute("id"), Some(format!("{id}-title").as_str()));
        assert_eq!(
            title.text(),
            Some(label.as_str()),
            "its <title> is its facet"
        );
        assert!(svg.contains(&format!("id=\"{id}-desc\"")), "its own <desc>");
        ticks.push(texts(svg, "chart-tick"));
        for bar in bars(svg) {
            let sum = want[&format!("{label}/{}", bar.label)];
            assert_eq!(bar.value, sum, "{label}: {bar:?}");
            ratios.push((format!("{label}/{}", bar.label), bar.h / sum));
        }
    }
    assert!(ticks[0].len() >= 3, "{ticks:?}");
    assert!(
        ticks.iter().all(|t| *t == ticks[0]),
        "one value scale: {ticks:?}"
    );
    // 17 numbers (Asia's n/a row is skipped, Asia/Chips still has 11), each one bar.
    assert_eq!(ratios.len(), want.len());
    let scale = ratios[0].1;
    for (what, r) in &ratios {
        // Heights are written to a tenth of a unit; the smallest bar is 0.25 high in value.
        assert!(
            (r - scale).abs() * 0.25 <= 0.06,
            "{what}: {r} per unit, {scale} in the first chart"
        );
    }
    // The data table and the CSV: one row per (region, sector), the test's sums.
    let csv = site.page("briefs/f/chart-1.csv");
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("region,sector,spend (USD bn)"));
    let got: BTreeMap<String, f64> = lines
        .map(|l| {
            let c: Vec<&str> = l.split(',').collect();
            (format!("{}/{}", c[0], c[1]), c[2].parse().unwrap())
        })
        .collect();
    assert_eq!(got, want);
    let table = &html[html.find("<table").unwrap()..html.find("</table>").unwrap()];
    assert_eq!(table.matches("<tr>").count(), want.len() + 1);
    assert!(table.contains("<th scope=\"row\">Asia</th><th scope=\"row\">Chips</th><td class=\"align-right\" data-value=\"11.00\">11.00</td>"));
    // One note for the whole figure: the skipped row, and how the charts compare.
    assert!(html.contains("Not charted: 1 of 20 rows"), "{html}");
    assert!(html.contains("share one value scale"));
}

#[test]
fn free_scales_give_each_small_chart_its_own_ticks() {
    let (_, html) = facet_site("facet: region\nscales: free");
    let charts = small_charts(&html);
    let ticks: BTreeMap<&str, Vec<String>> = charts
        .iter()
        .map(|(l, svg)| (l.as_str(), texts(svg, "chart-tick")))
        .collect();
    // Asia reaches 11, Africa 0.75: their axes differ; each still covers its own largest.
    assert_ne!(ticks["Asia"], ticks["Africa"]);
    let top = |l: &str| ticks[l].last().unwrap().parse::<f64>().unwrap();
    assert!(top("Asia") >= 11.0 && top("Africa") >= 0.75 && top("Africa") < 2.0);
    assert!(html.contains("has its own value scale"));
}

#[test]
fn the_filter_applies_before_faceting_and_sort_label_orders_the_facets() {
    let (_, html) =
        facet_site("facet: region\nsort: label\nfilter: {region: [Oceania, Africa, Europe]}");
    let labels: Vec<String> = small_charts(&html).into_iter().map(|c| c.0).collect();
    assert_eq!(labels, ["Africa", "Europe", "Oceania"]);
}

#[test]
fn too_many_facets_is_an_error_with_the_count() {
    let site = TestSite::new();
    let mut csv = String::from("place,spend\n");
    for i in 0..30 {
        csv.push_str(&format!("P{i},{i}\n"));
    }
    site.write("content/data/many.csv", &csv);
    site.brief(
        "m.md",
        "title: M\ndate: 2025-01-01",
        "```chart\ndata: many.csv\nx: place\ny: spend\nfacet: place2\n```\n",
    );
    // A facet column the data lacks is an unknown column, like a missing `x`.
    let run = site.build();
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("unknown column \"place2\" in chart `facet`"),
        "{}",
        run.stderr
    );
    let mut csv = String::from("place,group,spend\n");
    for i in 0..30 {
        csv.push_str(&format!("P{i},g,{i}\n"));
    }
    site.write("content/data/many.csv", &csv);
    site.brief(
        "m.md",
        "title: M\ndate: 2025-01-01",
        "```chart\ndata: many.csv\nx: group\ny: spend\nfacet: place\n```\n",
    );
    let run = site.run(&["check", "--root", path_str(site.root()), "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stdout.contains("\"code\":\"chart/too-many-facets\""),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("30 small charts"), "{}", run.stdout);
    assert!(run.stdout.contains("at most 24"), "{}", run.stdout);
    assert!(!run.stderr.contains("panicked"));
}

#[test]
fn facet_keys_that_cannot_work_are_errors_at_their_line() {
    let cases = [
        ("facet: sector", "`facet` and `x` both name \"sector\""),
        (
            "facet: region\nseries: region",
            "`facet` and `series` both name",
        ),
        ("facet: region\nscales: loose", "chart `scales` must be"),
        ("scales: free", "`scales` is for small multiples"),
        (
            "facet: region\ntype: map",
            "a map cannot be drawn as small multiples",
        ),
    ];
    for (keys, words) in cases {
        let site = TestSite::new();
        site.write("content/data/regions.csv", REGIONS_CSV);
        site.brief(
            "f.md",
            "title: F\ndate: 2025-01-01",
            &format!("```chart\ndata: regions.csv\nx: sector\ny: spend\n{keys}\n```\n"),
        );
        let run = site.build();
        assert_eq!(run.code, 1, "{keys}: {}", run.stderr);
        assert!(run.stderr.contains(words), "{keys}: {}", run.stderr);
        assert!(
            run.stderr.contains("content/briefs/f.md:"),
            "{}",
            run.stderr
        );
        assert!(!run.stderr.contains("panicked"));
    }
}

#[test]
fn lines_and_horizontal_bars_share_the_scale_too() {
    let want = sums(REGIONS_CSV, |c| format!("{}/{}", c[0], c[1]), 2);
    let (_, html) = facet_site("facet: region\ntype: line");
    let ticks: Vec<Vec<String>> = small_charts(&html)
        .iter()
        .map(|(_, svg)| texts(svg, "chart-tick"))
        .collect();
    assert_eq!(ticks.len(), 6);
    assert!(ticks.iter().all(|t| *t == ticks[0]), "{ticks:?}");

    let (_, html) = facet_site("facet: region\ntype: hbar");
    let mut ratios = Vec::new();
    for (label, svg) in small_charts(&html) {
        for bar in bars(svg) {
            ratios.push(bar.w / want[&format!("{label}/{}", bar.label)]);
        }
    }
    assert_eq!(ratios.len(), want.len());
    for r in &ratios {
        assert!((r - ratios[0]).abs() * 0.25 <= 0.06, "{ratios:?}");
    }
}

#[test]
fn small_multiples_take_no_annotations_yet() {
    let site = TestSite::new();
    site.write(
        "content/data/r.csv",
        "region,year,spend\nNorth,2024,1\nSouth,2024,2\n",
    );
    site.brief(
        "f.md",
        "title: Facets\ndate: 2025-11-20",
        "```chart\ndata: r.csv\nx: year\ny: spend\nfacet: region\nannotate:\n  - {y: 1, label: Target}\n```\n",
    );
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("chart/conflicting-keys") || run.stderr.contains("take no `annotate`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("f.md:10:"),
        "at the annotate line: {}",
        run.stderr
    );
}

#[test]
fn many_labels_across_facets_are_not_multiplied_by_the_facets() {
    // 24 facets of 200 labels each, none shared: aligning every small chart on all 4,800
    // labels would write 115,200 table rows and as many empty bars.
    let rows: String = (0..4_800)
        .map(|i| format!("R{},item{i},1\n", i % 24))
        .collect();
    let site = TestSite::new();
    site.write("content/data/big.csv", &format!("region,item,v\n{rows}"));
    site.brief(
        "f.md",
        "title: Facets\ndate: 2025-11-20",
        "```chart\ndata: big.csv\ntype: hbar\nx: item\ny: v\nfacet: region\n```\n",
    );
    site.build().assert_ok();
    let html = site.page("briefs/f/index.html");
    let table = &html[html.find("<table").unwrap()..html.find("</table>").unwrap()];
    assert_eq!(
        table.matches("<tr>").count(),
        4_800 + 1,
        "one row per (facet, label) with data"
    );
    let csv = site.page("briefs/f/chart-1.csv");
    assert_eq!(csv.lines().count(), 4_800 + 1);
}

#[test]
fn one_grid_draws_every_small_chart_the_same_way_round() {
    // Sorted by value, each small chart keeps its own labels: A's three short ones fit under
    // columns, B's thirty long ones do not. On one shared scale, both must be horizontal bars.
    let mut csv = String::from("region,item,v\nA,x,12\nA,y,5\nA,z,3\n");
    for i in 0..30 {
        csv.push_str(&format!("B,longer item name {i},{}\n", 10 + i));
    }
    let site = TestSite::new();
    site.write("content/data/mixed.csv", &csv);
    site.brief(
        "f.md",
        "title: Facets\ndate: 2025-11-20",
        "```chart\ndata: mixed.csv\ntype: bar\nx: item\ny: v\nfacet: region\nsort: value-desc\n```\n",
    );
    site.build().assert_ok();
    let html = site.page("briefs/f/index.html");
    let charts = small_charts(&html);
    assert_eq!(charts.len(), 2);
    let mut per_unit = Vec::new();
    for (label, svg) in &charts {
        let drawn = bars(svg);
        let left = drawn[0].x;
        assert!(
            drawn.iter().all(|b| (b.x - left).abs() < 0.01),
            "{label}: horizontal bars all start at one baseline: {drawn:?}"
        );
        per_unit.extend(drawn.iter().map(|b| b.w / b.value));
    }
    let first = per_unit[0];
    assert!(
        per_unit.iter().all(|u| (u - first).abs() < 0.02 * first),
        "one length per unit across the grid: {per_unit:?}"
    );
}
