//! Chart annotations (`annotate:`): reference lines, markers, bands and pinned notes, drawn in
//! the SVG where the axes put their values, named in the `<desc>` and the figure's note, and
//! bad items reported at their own lines.

use crate::common::svg::{
    Document, desc, has_class, nth_svg, num, polylines, rects, texts, value_to_y, view_box,
};
use crate::common::*;

const SERIES_CSV: &str = "year,value\n2018,12\n2019,18\n2020,15\n2021,22\n2022,35\n2023,41\n";
const REGIONS_CSV: &str = "region,spend\nNorth,12.5\nSouth,8\nFrance,15.2\nWest,6.4\n";

const LINE: &str = "```chart\ndata: series.csv\ntype: line\nx: year\ny: value\nunit: USD bn\ntitle: Spend\nannotate:\n  - {y: 50, label: Target}\n  - {x: 2022, label: Stargate announced}\n  - {x: [2019, 2021], label: Pandemic}\n  - {y: [10, 20], label: Normal range}\n  - {x: 2023, series: value, label: Peak}\n```\n";

const BAR: &str = "```chart\ndata: regions.csv\ntype: bar\nx: region\ny: spend\nunit: USD bn\ntitle: Regions\nannotate:\n  - {y: 20, label: Goal}\n  - {x: France, label: Illustrative}\n  - {x: [North, South], label: Northern pair}\n  - {x: Atlantis, label: Nowhere}\n```\n";

fn site(body: &str) -> TestSite {
    let site = TestSite::new();
    site.write("content/data/series.csv", SERIES_CSV);
    site.write("content/data/regions.csv", REGIONS_CSV);
    site.brief("a.md", "title: Annotated\ndate: 2025-11-20", body);
    site
}

#[test]
fn every_kind_is_drawn_described_and_noted() {
    let site = site(&format!("{LINE}\n{BAR}"));
    let run = site.build();
    run.assert_ok();
    assert!(
        run.stderr.contains("chart/annotation-not-drawn") || run.stderr.contains("Atlantis"),
        "{}",
        run.stderr
    );
    let html = site.page("briefs/a/index.html");
    let line = nth_svg(&html, 0);
    let labels: Vec<String> = texts(&line, "chart-annotation-label")
        .into_iter()
        .map(|t| t.0)
        .collect();
    for l in [
        "Target",
        "Stargate announced",
        "Pandemic",
        "Normal range",
        "Peak",
    ] {
        assert!(labels.iter().any(|t| t == l), "{l} in {labels:?}");
    }
    let d = desc(&line);
    for phrase in [
        "reference line at 50 USD bn, Target",
        "marker at 2022, Stargate announced",
        "band from 2019 to 2021, Pandemic",
        "band from 10 USD bn to 20 USD bn, Normal range",
        "note at 2023 (value), Peak",
    ] {
        assert!(d.contains(phrase), "{phrase} in {d}");
    }
    let bar = nth_svg(&html, 1);
    let d = desc(&bar);
    assert!(d.contains("note on France, Illustrative"), "{d}");
    assert!(!d.contains("Nowhere"), "{d}");
    let notes: Vec<&str> = html
        .split("<p class=\"chart-note\">")
        .skip(1)
        .map(|p| &p[..p.find("</p>").unwrap()])
        .collect();
    assert!(
        notes[0].contains("marker at 2022, Stargate announced"),
        "{notes:?}"
    );
    assert!(
        notes[1].contains("reference line at 20 USD bn, Goal"),
        "{notes:?}"
    );
    assert!(notes[1].contains("Not drawn"), "{notes:?}");
    assert!(notes[1].contains("note on Atlantis, Nowhere"), "{notes:?}");
}

#[test]
fn a_reference_line_sits_where_the_axis_puts_its_value() {
    let site = site(LINE);
    site.build().assert_ok();
    let html = site.page("briefs/a/index.html");
    let doc = nth_svg(&html, 0);
    let y = value_to_y(&doc);
    // The data reaches 41: the axis was widened to show the target at 50.
    let top_tick: f64 = texts(&doc, "chart-tick")
        .iter()
        .map(|t| t.0.parse::<f64>().unwrap())
        .fold(f64::MIN, f64::max);
    assert!(top_tick >= 50.0, "{top_tick}");
    let horizontal: Vec<Vec<(f64, f64)>> = polylines(&doc, "chart-annotation-line")
        .into_iter()
        .filter(|p| (p[0].1 - p[1].1).abs() < 1e-9)
        .collect();
    assert_eq!(horizontal.len(), 1, "{horizontal:?}");
    assert!(
        (horizontal[0][0].1 - y(50.0)).abs() <= 0.11,
        "{horizontal:?}"
    );
    // Its label is level with it, right of the plot.
    let target = texts(&doc, "chart-annotation-label")
        .into_iter()
        .find(|t| t.0 == "Target")
        .unwrap();
    assert!((target.2 - y(50.0)).abs() <= 0.11, "{target:?}");
    assert!(target.1 > horizontal[0][1].0, "{target:?}");

    // The value band spans 10 to 20; the x band spans 2019 to 2021, read from the points.
    let points: Vec<(f64, f64)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("circle") && has_class(n, "chart-point"))
        .map(|n| (num(&n, "cx"), num(&n, "cy")))
        .collect();
    let bands = rects(&doc, "chart-annotation-band");
    assert_eq!(bands.len(), 2, "{bands:?}");
    let x_band = bands.iter().find(|b| b.3 > b.2).unwrap();
    let (x2019, x2021) = (points[1].0, points[3].0);
    assert!((x_band.0 - x2019).abs() <= 0.11, "{x_band:?} from {x2019}");
    assert!(
        (x_band.0 + x_band.2 - x2021).abs() <= 0.11,
        "{x_band:?} to {x2021}"
    );
    let y_band = bands.iter().find(|b| b.2 > b.3).unwrap();
    assert!((y_band.1 - y(20.0)).abs() <= 0.11, "{y_band:?}");
    assert!((y_band.1 + y_band.3 - y(10.0)).abs() <= 0.11, "{y_band:?}");
    // Bands come before the marks, so the data is drawn over them.
    let svg_text = &html[html.find("<svg").unwrap()..];
    let first_band = svg_text.find("chart-annotation-band").unwrap();
    assert!(first_band < svg_text.find("chart-point").unwrap());
    // The marker's rule stands at 2022's point, down to the plot's foot.
    let x2022 = points[4].0;
    let rule = polylines(&doc, "chart-annotation-line")
        .into_iter()
        .find(|p| (p[0].0 - x2022).abs() < 1e-9 && (p[1].0 - x2022).abs() < 1e-9);
    assert!(rule.is_some(), "a rule at {x2022}");
}

/// Every annotation label's box, estimated generously from its text and anchor.
fn boxes(doc: &Document) -> Vec<(String, f64, f64, f64, f64)> {
    texts(doc, "chart-annotation-label")
        .into_iter()
        .map(|(t, x, y, anchor)| {
            let w = t.chars().count() as f64 * 7.5;
            let left = match anchor.as_str() {
                "middle" => x - w / 2.0,
                "end" => x - w,
                _ => x,
            };
            (t, left, y - 11.0, left + w, y + 4.0)
        })
        .collect()
}

#[test]
fn many_labels_on_a_small_chart_never_overlap() {
    let mut items = String::new();
    for (i, year) in ["2018", "2019", "2020", "2021", "2022", "2023"]
        .iter()
        .enumerate()
    {
        items.push_str(&format!("  - {{x: {year}, label: Event number {i}}}\n"));
        items.push_str(&format!("  - {{y: {}, label: Line {i}}}\n", 12 + i * 5));
    }
    items.push_str("  - {x: [2019, 2022], label: A long band over years}\n");
    items.push_str("  - {x: 2021, series: value, label: Pinned}\n");
    let body = format!(
        "```chart\ndata: series.csv\ntype: line\nx: year\ny: value\nannotate:\n{items}```\n\n```chart\ndata: regions.csv\nx: region\ny: spend\nannotate:\n{}```\n",
        items
            .replace("2018", "North")
            .replace("2019", "South")
            .replace("2020", "France")
            .replace("2021", "West")
            .replace("2022", "West")
            .replace("2023", "North")
            .replace("series: value, ", "")
            .replace(
                "  - {x: [South, West], label: A long band over years}\n",
                "  - {x: [South, West], label: A long band}\n"
            )
    );
    let site = site(&body);
    site.build().assert_ok();
    let html = site.page("briefs/a/index.html");
    for n in 0..2 {
        let doc = nth_svg(&html, n);
        let view_box = view_box(&doc);
        let b = boxes(&doc);
        assert!(b.len() >= 12, "chart {n}: {b:?}");
        for (i, a) in b.iter().enumerate() {
            assert!(a.2 >= 0.0 && a.4 <= view_box[3], "inside: {a:?}");
            for c in &b[i + 1..] {
                let apart = a.3 <= c.1 || c.3 <= a.1 || a.4 <= c.2 || c.4 <= a.2;
                assert!(apart, "chart {n}: {a:?} overlaps {c:?}");
            }
        }
    }
}

/// `briefing check --format json` on a brief whose body is `body`: (code, line) of each error.
fn errors(body: &str) -> Vec<(String, u64, String)> {
    let site = site(body);
    let run = site.run(&["check", "--root", path_str(site.root()), "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    run.stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| v["severity"] == "error")
        .map(|v| {
            (
                v["code"].as_str().unwrap().to_string(),
                v["line"].as_u64().unwrap(),
                v["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

const HEAD: &str = "```chart\ndata: regions.csv\nx: region\ny: spend\nannotate:\n";

#[test]
fn bad_items_are_errors_at_their_lines() {
    // Front-matter takes lines 1-4, the fence is line 5: items start on line 10.
    let e = errors(&format!(
        "{HEAD}  - {{y: 50, label: Fine}}\n  - just text\n  - {{y: [20, 10], label: Backwards}}\n  - {{y: 5, lable: Typo}}\n  - {{x: France, y: 3, label: Both}}\n  - {{y: high, label: Word}}\n  - {{y: 1, label: [a, b]}}\n  - {{x: France}}\n```\n"
    ));
    let at = |line: u64| e.iter().filter(|p| p.1 == line).collect::<Vec<_>>();
    assert!(at(10).is_empty(), "{e:?}");
    assert!(
        at(11)[0].0 == "chart/bad-annotation" && at(11)[0].2.contains("mapping"),
        "{e:?}"
    );
    assert!(at(12)[0].2.contains("smaller value to the larger"), "{e:?}");
    assert!(
        at(13)
            .iter()
            .any(|p| p.0 == "chart/unknown-key" && p.2.contains("lable")),
        "{e:?}"
    );
    assert!(at(14)[0].2.contains("both `x` and `y`"), "{e:?}");
    assert!(at(15)[0].2.contains("must be a number"), "{e:?}");
    assert!(at(16)[0].2.contains("`label` must be text"), "{e:?}");
    assert!(at(17)[0].2.contains("needs a `label`"), "{e:?}");
}

#[test]
fn unknown_keys_get_a_suggestion() {
    let site = site(&format!("{HEAD}  - {{y: 5, lable: Typo}}\n```\n"));
    let run = site.run(&["check", "--root", path_str(site.root())]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("did you mean `label`"),
        "{}",
        run.stderr
    );
}

#[test]
fn twenty_one_items_are_too_many_and_maps_take_none() {
    let items: String = (0..21)
        .map(|i| format!("  - {{y: {i}, label: L{i}}}\n"))
        .collect();
    let e = errors(&format!("{HEAD}{items}```\n"));
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].0, "chart/bad-annotation");
    assert!(e[0].2.contains("at most 20"), "{e:?}");
    assert_eq!(e[0].1, 9, "at the `annotate` key");
    let e = errors(
        "```chart\ndata: regions.csv\ntype: map\nx: region\ny: spend\nannotate:\n  - {y: 1, label: X}\n```\n",
    );
    assert!(
        e.iter().any(|p| p.2.contains("maps take no annotate")),
        "{e:?}"
    );
}

#[test]
fn hostile_items_are_bounded_and_escaped() {
    let huge = "<script>&".repeat(2000);
    let bad = format!(
        "{HEAD}  - {{y: 1e308, label: Far}}\n  - {{y: [-1e300, 1], label: Everything}}\n  - {{x: [[1, 2], 3], label: Nested}}\n  - {{x: [1, 2, 3], label: Three}}\n```\n"
    );
    let e = errors(&bad);
    assert_eq!(e.len(), 4, "{e:?}");
    let body =
        format!("{HEAD}  - {{x: France, label: \"{huge}\"}}\n  - {{y: 1e15, label: Far}}\n```\n");
    let site = site(&body);
    site.build().assert_ok();
    let html = site.page("briefs/a/index.html");
    assert!(!html.contains("<script>&"));
    let doc = nth_svg(&html, 0);
    assert!(!texts(&doc, "chart-annotation-label").is_empty());
}

#[test]
fn notes_on_horizontal_bars_are_numbered_beside_their_bar() {
    let site = site(
        "```chart\ndata: regions.csv\ntype: hbar\nx: region\ny: spend\nannotate:\n  - {x: France, label: Illustrative}\n  - {y: 10, label: Goal}\n```\n",
    );
    site.build().assert_ok();
    let html = site.page("briefs/a/index.html");
    let doc = nth_svg(&html, 0);
    let labels = texts(&doc, "chart-annotation-label");
    let find = |t: &str| {
        labels
            .iter()
            .find(|l| l.0 == t)
            .unwrap_or_else(|| panic!("{t} in {labels:?}"))
    };
    let bars: Vec<(String, f64, f64, f64, f64)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("rect") && has_class(n, "chart-bar"))
        .map(|n| {
            let label = n.attribute("data-label").unwrap().to_string();
            (
                label,
                num(&n, "x"),
                num(&n, "y"),
                num(&n, "width"),
                num(&n, "height"),
            )
        })
        .collect();
    let france = bars.iter().find(|b| b.0 == "France").unwrap();
    // The number sits level with France's bar, right of every bar.
    let number = find("1");
    assert!(
        (number.2 - (france.2 + france.4 / 2.0)).abs() <= 0.11,
        "{number:?} {france:?}"
    );
    assert!(
        bars.iter().all(|b| b.1 + b.3 < number.1 - 10.0),
        "{number:?} {bars:?}"
    );
    // Its text is under the last bar.
    let key = find("1 Illustrative");
    assert!(bars.iter().all(|b| b.2 + b.4 < key.2), "{key:?}");
    // The goal is a vertical rule where the bars' own scale puts 10 (France is 15.2 long).
    let x10 = france.1 + france.3 * 10.0 / 15.2;
    let rules = polylines(&doc, "chart-annotation-line");
    assert!(
        rules
            .iter()
            .any(|r| r.iter().all(|p| (p.0 - x10).abs() <= 0.2)),
        "a rule at {x10}: {rules:?}"
    );
    assert!(
        find("Goal").2 < france.2,
        "the goal's label is above the bars"
    );
}

#[test]
fn a_note_on_a_grouped_bar_points_at_that_series_bar() {
    let site = site(
        "```chart\ntype: bar\nx: region\ny: spend\nseries: sector\nrows:\n  - {region: France, sector: Compute, spend: 2}\n  - {region: France, sector: Energy, spend: 5}\n  - {region: Korea, sector: Compute, spend: 3}\n  - {region: Korea, sector: Energy, spend: 1}\nannotate:\n  - {x: France, series: Compute, label: Estimate}\n```\n",
    );
    site.build().assert_ok();
    let html = site.page("briefs/a/index.html");
    let doc = nth_svg(&html, 0);
    let bar = |series: &str| {
        let n = doc
            .descendants()
            .find(|n| {
                has_class(n, "chart-bar")
                    && n.attribute("data-label") == Some("France")
                    && n.attribute("data-series") == Some(series)
            })
            .unwrap();
        (num(&n, "x"), num(&n, "y"), num(&n, "width"))
    };
    let (compute, energy) = (bar("Compute"), bar("Energy"));
    let rules = polylines(&doc, "chart-annotation-line");
    assert_eq!(rules.len(), 1, "{rules:?}");
    let (x, bottom) = (rules[0][0].0, rules[0][1].1);
    // At the Compute bar's middle (a group's bars keep a 1-unit gap), ending above it.
    assert!(
        (x - (compute.0 + compute.2 / 2.0)).abs() <= 0.6,
        "{x} {compute:?}"
    );
    assert!(x < energy.0, "not at the Energy bar: {x} {energy:?}");
    assert!(bottom < compute.1, "{bottom} above {compute:?}");
    assert!(desc(&doc).contains("note at France (Compute), Estimate"));
}

#[test]
fn a_marker_between_points_of_a_time_axis_stands_where_its_year_is() {
    // 2018 has no row: on an axis placed by time it still has its place, half-way from 2016
    // to 2020.
    let site = TestSite::new();
    site.write(
        "content/data/years.csv",
        "year,value\n2015,3\n2016,4\n2020,9\n",
    );
    site.brief(
        "a.md",
        "title: Annotated\ndate: 2025-11-20",
        "```chart\ndata: years.csv\ntype: line\nx: year\ny: value\nannotate:\n  - {x: 2018, label: Midway}\n  - {x: [2016, 2017], label: Survey gap}\n```\n",
    );
    let run = site.build();
    run.assert_ok();
    assert!(!run.stderr.contains("not drawn"), "{}", run.stderr);
    let html = site.page("briefs/a/index.html");
    let doc = nth_svg(&html, 0);
    let xs: Vec<f64> = doc
        .descendants()
        .filter(|n| n.has_tag_name("circle") && has_class(n, "chart-point"))
        .map(|n| num(&n, "cx"))
        .collect();
    assert_eq!(xs.len(), 3, "{xs:?}");
    let year = |y: f64| xs[1] + (y - 2016.0) * (xs[2] - xs[1]) / 4.0;
    let rules: Vec<f64> = polylines(&doc, "chart-annotation-line")
        .into_iter()
        .filter(|p| p.len() == 2 && (p[0].0 - p[1].0).abs() < 0.01)
        .map(|p| p[0].0)
        .collect();
    assert!(
        rules.iter().any(|x| (x - year(2018.0)).abs() < 0.6),
        "a rule at 2018's x {}: {rules:?}",
        year(2018.0)
    );
    assert!(desc(&doc).contains("marker at 2018, Midway"));
    assert!(
        texts(&doc, "chart-annotation-label")
            .iter()
            .any(|t| t.0 == "Survey gap")
    );
}
