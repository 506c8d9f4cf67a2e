//! Time on the x axis of line charts (issue 16): years, dates, months and quarters are placed
//! in proportion to time, in time order whatever the rows' order, and a period missing from
//! a regular series breaks the line and is named in the note and the `<desc>`. Several
//! series are named at their lines' ends instead of a legend when the names fit.

use crate::common::svg::{
    chart_figure, desc, figure_svg, has_class, num, parse, points_of, series_class, text_of,
    view_box,
};
use crate::common::*;

/// Every point: (data-label, series class, cx, cy).
fn points(svg: &str) -> Vec<(String, String, f64, f64)> {
    let doc = parse(svg);
    doc.descendants()
        .filter(|n| has_class(n, "chart-point"))
        .map(|n| {
            (
                n.attribute("data-label").unwrap().to_string(),
                series_class(&n),
                num(&n, "cx"),
                num(&n, "cy"),
            )
        })
        .collect()
}

/// Every line: its series class and its points.
fn lines(svg: &str) -> Vec<(String, Vec<(f64, f64)>)> {
    let doc = parse(svg);
    doc.descendants()
        .filter(|n| has_class(n, "chart-line"))
        .map(|n| (series_class(&n), points_of(&n)))
        .collect()
}

fn x_of(points: &[(String, String, f64, f64)], label: &str) -> f64 {
    points
        .iter()
        .find(|p| p.0 == label)
        .unwrap_or_else(|| panic!("no point {label} in {points:?}"))
        .2
}

/// A site with one line chart per (x values, rows written in this order) case.
fn build(cases: &[&[(&str, f64)]]) -> (TestSite, String) {
    let site = TestSite::new();
    let mut body = String::new();
    for (i, rows) in cases.iter().enumerate() {
        let mut csv = String::from("when,value\n");
        for (x, v) in rows.iter() {
            csv.push_str(&format!("{x},{v}\n"));
        }
        site.write(&format!("content/data/t{i}.csv"), &csv);
        body.push_str(&format!(
            "```chart\ndata: t{i}.csv\ntype: line\nx: when\ny: value\n```\n\n"
        ));
    }
    site.brief("t.md", "title: T\ndate: 2025-01-01", &body);
    site.build().assert_ok();
    let html = site.page("briefs/t/index.html");
    (site, html)
}

/// Rows as written, the three x values in time order, the note on what is missing.
type Case = (
    &'static [(&'static str, f64)],
    [&'static str; 3],
    &'static str,
);

#[test]
fn years_dates_months_and_quarters_are_placed_by_time_and_gaps_break_the_line() {
    // (values written out of order, first, second, last, the periods missing between).
    let cases: [Case; 4] = [
        (
            &[("2020", 5.0), ("2015", 1.0), ("2016", 2.0)],
            ["2015", "2016", "2020"],
            "No value for 2017, 2018, 2019.",
        ),
        (
            &[
                ("2025-11-25", 5.0),
                ("2025-11-20", 1.0),
                ("2025-11-21", 2.0),
            ],
            ["2025-11-20", "2025-11-21", "2025-11-25"],
            "No value for 2025-11-22, 2025-11-23, 2025-11-24.",
        ),
        (
            &[("2025-06", 5.0), ("2025-01", 1.0), ("2025-02", 2.0)],
            ["2025-01", "2025-02", "2025-06"],
            "No value for 2025-03, 2025-04, 2025-05.",
        ),
        (
            &[("2025-Q4", 5.0), ("2024-Q3", 1.0), ("2024-Q4", 2.0)],
            ["2024-Q3", "2024-Q4", "2025-Q4"],
            "No value for 2025-Q1, 2025-Q2, 2025-Q3.",
        ),
    ];
    let rows: Vec<&[(&str, f64)]> = cases.iter().map(|c| c.0).collect();
    let (_site, html) = build(&rows);
    for (i, (_, [a, b, c], missing)) in cases.iter().enumerate() {
        let id = format!("chart-t-{}", i + 1);
        let svg = figure_svg(&html, &id);
        let pts = points(svg);
        assert_eq!(pts.len(), 3, "{id}");
        let (xa, xb, xc) = (x_of(&pts, a), x_of(&pts, b), x_of(&pts, c));
        assert!(xa < xb && xb < xc, "{id}: in time order");
        // Four periods from the second to the last, one from the first to the second.
        let (near, far) = (xb - xa, xc - xb);
        assert!(
            (far - 4.0 * near).abs() <= 0.5,
            "{id}: {far} is not 4 × {near}"
        );
        // The line runs from the first to the second point and stops: nothing joins the
        // second to the last.
        let ls = lines(svg);
        for (_, l) in &ls {
            let has = |x: f64| l.iter().any(|p| (p.0 - x).abs() < 0.01);
            assert!(!(has(xb) && has(xc)), "{id}: a line joins {b} to {c}");
        }
        assert_eq!(ls.len(), 1, "{id}: one line, {a} to {b}");
        // The note and the desc name what is missing.
        let fig = chart_figure(&html, &id);
        assert!(
            fig.contains(&format!("<p class=\"chart-note\">{missing}</p>")),
            "{id}: note in {fig}"
        );
        let d = desc(&parse(svg));
        assert!(d.contains(missing), "{id}: {d}");
        // The data table and the CSV follow the line's order.
        let rows = positions(
            fig,
            &[
                &format!(">{a}</th>"),
                &format!(">{b}</th>"),
                &format!(">{c}</th>"),
            ],
        );
        assert!(rows[0] < rows[1] && rows[1] < rows[2], "{id}: table order");
    }
    let csv = std::fs::read_to_string(_site.out().join("briefs/t/chart-1.csv")).unwrap();
    assert_eq!(csv, "when,value\r\n2015,1\r\n2016,2\r\n2020,5\r\n");
}

#[test]
fn values_of_mixed_kinds_stay_evenly_spaced_categories_with_a_note() {
    let (_site, html) = build(&[&[("2015", 1.0), ("2025-11", 2.0), ("2016", 3.0)]]);
    let svg = figure_svg(&html, "chart-t-1");
    let pts = points(svg);
    let (x1, x2, x3) = (
        x_of(&pts, "2015"),
        x_of(&pts, "2025-11"),
        x_of(&pts, "2016"),
    );
    assert!(
        ((x3 - x2) - (x2 - x1)).abs() <= 0.2,
        "evenly spaced, data order"
    );
    let d = desc(&parse(svg));
    assert!(d.contains("not all of one kind"), "{d}");
    assert!(d.contains("\u{201c}2025-11\u{201d} is a month"), "{d}");
    // One line through all three: nothing is missing.
    assert_eq!(lines(svg).len(), 1);
    assert!(!html.contains("chart-note\">No value"));
}

/// Each direct label: (series class, text, x, y).
fn direct_labels(svg: &str) -> Vec<(String, String, f64, f64)> {
    let doc = parse(svg);
    doc.descendants()
        .filter(|n| has_class(n, "chart-direct-label"))
        .map(|n| (series_class(&n), text_of(&n), num(&n, "x"), num(&n, "y")))
        .collect()
}

fn series_site(names: &[&str], last: &[f64]) -> String {
    let site = TestSite::new();
    let mut csv = String::from("year,series,value\n");
    for (s, name) in names.iter().enumerate() {
        for (y, year) in [2020, 2021, 2022, 2023].iter().enumerate() {
            let v = if y == 3 { last[s] } else { (s + y) as f64 };
            csv.push_str(&format!("{year},\"{name}\",{v}\n"));
        }
    }
    site.write("content/data/s.csv", &csv);
    site.brief(
        "s.md",
        "title: S\ndate: 2025-01-01",
        "```chart\ndata: s.csv\ntype: line\nx: year\ny: value\nseries: series\n```\n",
    );
    site.build().assert_ok();
    site.page("briefs/s/index.html")
}

#[test]
fn several_lines_are_named_at_their_ends_instead_of_a_legend() {
    // Two lines end close together (10 and 10.2), one far from them.
    let names = ["Compute", "Cloud", "Data centres"];
    let html = series_site(&names, &[10.0, 10.2, 1.0]);
    let svg = figure_svg(&html, "chart-s-1");
    assert!(
        !svg.contains("chart-legend") && !svg.contains("chart-swatch"),
        "no legend"
    );
    let labels = direct_labels(svg);
    assert_eq!(labels.len(), 3, "{labels:?}");
    let pts = points(svg);
    let text_height = 15.0;
    for (series, text, x, y) in &labels {
        let last = pts
            .iter()
            .filter(|p| &p.1 == series)
            .max_by(|a, b| a.2.total_cmp(&b.2))
            .unwrap();
        assert_eq!(last.0, "2023");
        let name = names[series["chart-series-".len()..].parse::<usize>().unwrap() - 1];
        assert_eq!(text, name);
        assert!(*x > last.2, "{text}: right of its last point");
        let close = (y - last.3).abs() <= 1.0;
        let apart = labels
            .iter()
            .filter(|o| &o.0 != series)
            .all(|o| (o.3 - y).abs() >= text_height);
        assert!(close || apart, "{text} at {y}, its point at {}", last.3);
    }
    // The far one sits at its point; the close two are moved apart by a line at least.
    let far = labels.iter().find(|l| l.1 == "Data centres").unwrap();
    let far_point = pts.iter().find(|p| p.1 == far.0 && p.0 == "2023").unwrap();
    assert!((far.3 - far_point.3).abs() < 0.01);
    let (a, b) = (&labels[0], &labels[1]);
    assert!((a.3 - b.3).abs() >= 24.0, "{a:?} {b:?}");
    // Every label inside the viewBox.
    let vb = view_box(&parse(svg));
    for (_, text, x, y) in &labels {
        assert!(*x >= 0.0 && *x < vb[2] && *y > 0.0 && *y < vb[3], "{text}");
    }
}

#[test]
fn nine_long_names_keep_the_legend() {
    let names: Vec<String> = (1..=9)
        .map(|i| format!("A rather long series name number {i}"))
        .collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let html = series_site(&refs, &[1.0; 9]);
    let svg = figure_svg(&html, "chart-s-1");
    assert!(direct_labels(svg).is_empty());
    assert_eq!(svg.matches("chart-legend").count(), 9);
    // Three long names: no room at the ends either.
    let html = series_site(&refs[..3], &[1.0, 2.0, 3.0]);
    let svg = figure_svg(&html, "chart-s-1");
    assert!(direct_labels(svg).is_empty());
    assert_eq!(svg.matches("chart-legend").count(), 3);
}

/// A line chart of three series over 2020–2023; "Short" ends in 2021 at `short`.
fn early_end_site(short: f64) -> String {
    let site = TestSite::new();
    let mut csv = String::from("year,series,value\n");
    for (y, year) in (2020..=2023).enumerate() {
        csv.push_str(&format!("{year},Rising,{y}\n{year},Flat,10\n"));
        if year <= 2021 {
            csv.push_str(&format!("{year},Short,{short}\n"));
        }
    }
    site.write("content/data/e.csv", &csv);
    site.brief(
        "e.md",
        "title: E\ndate: 2025-01-01",
        "```chart\ndata: e.csv\ntype: line\nx: year\ny: value\nseries: series\n```\n",
    );
    site.build().assert_ok();
    site.page("briefs/e/index.html")
}

#[test]
fn a_line_that_ends_early_is_named_at_its_end_when_clear_of_the_others() {
    let html = early_end_site(5.0);
    let svg = figure_svg(&html, "chart-e-1");
    let labels = direct_labels(svg);
    assert_eq!(labels.len(), 3, "{labels:?}");
    assert!(!svg.contains("chart-legend"));
    let pts = points(svg);
    let short = labels.iter().find(|l| l.1 == "Short").unwrap();
    let end = pts
        .iter()
        .find(|p| p.1 == short.0 && p.0 == "2021")
        .unwrap();
    assert!((short.3 - end.3).abs() < 0.01, "at its last point's height");
    assert!(
        short.2 > end.2 && short.2 < x_of(&pts, "2023"),
        "beside its end"
    );
    // Ending where another line runs: the name would cross it, so the legend stays.
    let html = early_end_site(1.5);
    let svg = figure_svg(&html, "chart-e-1");
    assert!(direct_labels(svg).is_empty());
    assert_eq!(svg.matches("chart-legend").count(), 3);
}
