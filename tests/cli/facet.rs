//! Charts that tell the story (issue 16): grouped bars, side by side per category, and small
//! multiples, one small chart per value of a column on one shared value scale. Geometry is
//! read from the SVG and compared with sums the test computes from its own CSV.

use std::collections::BTreeMap;

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

fn has_class(n: &roxmltree::Node, c: &str) -> bool {
    n.attribute("class")
        .is_some_and(|v| v.split(' ').any(|x| x == c))
}

fn num(n: &roxmltree::Node, a: &str) -> f64 {
    n.attribute(a).unwrap().parse().unwrap()
}

/// Every `<svg>…</svg>` of `html`, in order.
fn svgs(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find("<svg") {
        let end = at + rest[at..].find("</svg>").unwrap() + 6;
        out.push(&rest[at..end]);
        rest = &rest[end..];
    }
    out
}

fn bars(svg: &str) -> Vec<Bar> {
    let doc = roxmltree::Document::parse(svg).expect("well-formed SVG");
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

/// The texts of one class, in order.
fn texts(svg: &str, class: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).expect("well-formed SVG");
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
