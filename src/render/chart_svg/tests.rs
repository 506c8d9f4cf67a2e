//! Whole charts, through `render_svg`: accessible, safe, deterministic, classed, and drawing
//! what the values say.

use super::testkit::*;
use super::*;

#[test]
fn bar_chart_is_an_accessible_image_with_a_bar_and_a_label_per_category() {
    let v = values(
        &SCRIPTS,
        &[&[Some(7.7), Some(12.25), None, Some(0.5), Some(3.0)]],
        2,
    );
    let svg = render_svg(&chart(ChartKind::Bar, "Spend <2024> & \"more\"", &v)).unwrap();
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 480 "));
    assert!(svg.contains("role=\"img\""));
    assert!(svg.contains("aria-labelledby=\"chart-test-1-title chart-test-1-desc\""));
    assert!(svg.contains(
        "<title id=\"chart-test-1-title\">Spend &lt;2024&gt; &amp; &quot;more&quot;</title>"
    ));
    let desc = svg.split("<desc id=\"chart-test-1-desc\">").nth(1).unwrap();
    let desc = &desc[..desc.find("</desc>").unwrap()];
    assert!(desc.contains("Largest: 한국, 12.25 USD bn"), "{desc}");
    assert!(desc.contains("Smallest: مصر, 0.50 USD bn"), "{desc}");
    assert!(desc.contains("5 categories"), "{desc}");
    assert!(desc.contains("No value for 日本."), "{desc}");
    // One bar per category that has a value; none for 日本.
    assert_eq!(count(&svg, "class=\"chart-bar chart-series-1\""), 4);
    let t = texts(&svg);
    for label in SCRIPTS {
        assert!(t.iter().any(|x| x == label), "{label} missing in {t:?}");
    }
    assert!(t.iter().any(|x| x == "7.70"), "{t:?}");
    assert!(t.iter().any(|x| x == "n/a"), "{t:?}");
    // Fixed width and height would stop the SVG from scaling.
    let root = &svg[..svg.find('>').unwrap()];
    assert!(
        !root.contains(" width=") && !root.contains(" height="),
        "{root}"
    );
}

#[test]
fn values_keep_their_written_precision() {
    let v = values(
        &["a", "b", "c"],
        &[&[Some(7.700000000000001), Some(0.1 + 0.2), Some(2.0)]],
        1,
    );
    for kind in [ChartKind::Bar, ChartKind::HBar, ChartKind::StackedBar] {
        let svg = render_svg(&chart(kind, "t", &v)).unwrap();
        let t = texts(&svg);
        assert!(t.iter().any(|x| x == "7.7"), "{kind:?}: {t:?}");
        assert!(t.iter().any(|x| x == "0.3"), "{kind:?}: {t:?}");
        assert!(!svg.contains("7.700000000000001"));
        assert!(!svg.contains("0.30000000000000004"));
    }
}

#[test]
fn output_is_safe_and_byte_identical() {
    let v = values(
        &["<script>alert(1)</script>", "x\" onload=\"y", "a&b"],
        &[
            &[Some(1.0), Some(-2.0), Some(3.0)],
            &[Some(2.0), None, Some(1.0)],
        ],
        0,
    );
    for kind in [
        ChartKind::Bar,
        ChartKind::HBar,
        ChartKind::Line,
        ChartKind::StackedBar,
    ] {
        let c = chart(kind, "<script>", &v);
        let a = render_svg(&c).unwrap();
        let b = render_svg(&c).unwrap();
        assert_eq!(a, b);
        assert!(!a.contains("<script"));
        assert!(!a.contains("style="));
        assert!(!a.contains("<style"));
        assert!(!a.contains("href"));
        assert!(!a.contains(" onload=\""));
        assert!(!a.contains("url("));
        assert!(a.contains("&lt;script&gt;"));
    }
}

#[test]
fn every_element_is_classed_for_the_stylesheet() {
    let v = values(
        &["a", "b"],
        &[&[Some(1.0), Some(2.0)], &[Some(3.0), Some(4.0)]],
        0,
    );
    for kind in [
        ChartKind::Bar,
        ChartKind::HBar,
        ChartKind::Line,
        ChartKind::StackedBar,
    ] {
        let svg = render_svg(&chart(kind, "t", &v)).unwrap();
        for tag in ["<rect ", "<polyline ", "<circle ", "<text "] {
            for part in svg.split(tag).skip(1) {
                assert!(part.starts_with("class=\"chart-"), "{kind:?} {tag}{part}");
            }
        }
        assert!(svg.contains("chart-series-2"), "{kind:?}");
        assert!(svg.contains("class=\"chart-axis\""), "{kind:?}");
        let text_size = svg
            .split("font-size=\"")
            .skip(1)
            .all(|p| p.starts_with("15\""));
        assert!(text_size, "{kind:?}");
        if kind == ChartKind::Line {
            assert_eq!(count(&svg, "class=\"chart-line chart-series-"), 2);
            assert_eq!(count(&svg, "<circle "), 4);
        }
        // Legend for two series; a line chart names its lines at their ends instead.
        let (swatches, names) = if kind == ChartKind::Line {
            (0, 2)
        } else {
            (2, 0)
        };
        assert_eq!(count(&svg, "chart-swatch"), swatches, "{kind:?}");
        assert_eq!(count(&svg, "chart-direct-label"), names, "{kind:?}");
    }
}

#[test]
fn edge_cases_do_not_panic() {
    let empty = values(&[], &[&[]], 0);
    assert!(render_svg(&chart(ChartKind::Bar, "t", &empty)).is_err());
    let cases = [
        values(&["only"], &[&[Some(5.0)]], 0),
        values(&["a", "b", "c"], &[&[Some(2.0), Some(2.0), Some(2.0)]], 0),
        values(&["a", "b"], &[&[Some(0.0), Some(0.0)]], 0),
        values(&["a", "b"], &[&[None, None]], 0),
        values(
            &["a", "b", "c"],
            &[&[Some(-3.5), Some(-1.0), Some(-7.25)]],
            2,
        ),
        values(
            &["a", "b", "c"],
            &[&[Some(-3.0), Some(4.0), Some(f64::NAN)]],
            0,
        ),
        values(&["a"], &[&[Some(1e300)], &[Some(-1e300)]], 0),
        values(&["a", "b"], &[&[Some(1e-9), Some(2e-9)]], 9),
    ];
    for v in &cases {
        for kind in [
            ChartKind::Bar,
            ChartKind::HBar,
            ChartKind::Line,
            ChartKind::StackedBar,
        ] {
            let svg = render_svg(&chart(kind, "", v));
            let svg = svg.unwrap_or_else(|e| panic!("{kind:?} {v:?}: {e}"));
            assert!(svg.contains("role=\"img\""));
            assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
        }
    }
    // Shape mismatch between series and values is tolerated.
    let mut odd = values(&["a", "b"], &[&[Some(1.0)]], 0);
    odd.series = vec!["x".into(), "y".into()];
    assert!(render_svg(&chart(ChartKind::Bar, "t", &odd)).is_ok());
}

#[test]
fn labels_too_long_for_any_layout_are_shortened_with_their_full_text_kept() {
    let long = "A very long category name that cannot possibly fit on one line of a phone chart";
    let v = values(&[long, "b"], &[&[Some(1.0), Some(2.0)]], 0);
    let svg = render_svg(&chart(ChartKind::HBar, "t", &v)).unwrap();
    assert!(svg.contains(&format!("<title>{long}</title></text>")));
    assert!(texts(&svg).iter().any(|x| x.ends_with('…')));
}

/// The values in the order their bars are drawn: by category, then series; none when missing.
fn drawn_values(v: &ChartValues) -> Vec<(usize, usize, f64)> {
    (0..v.categories.len())
        .flat_map(|c| (0..v.values.len()).map(move |s| (c, s)))
        .filter_map(|(c, s)| v.values[s][c].map(|x| (c, s, x)))
        .collect()
}

/// Rounding to 0.1 unit at each end of a length, plus a little for long ones.
fn tol(len: f64) -> f64 {
    0.11 + len.abs() * 1e-3
}

#[test]
fn vertical_bars_are_as_long_as_their_values_on_the_axis_scale() {
    let one = values(
        &["a", "b", "c", "d", "e"],
        &[&[Some(4.0), Some(-2.5), Some(0.0), Some(12.25), None]],
        2,
    );
    let grouped = values(
        &["a", "b", "c"],
        &[
            &[Some(3.0), Some(-1.0), Some(7.5)],
            &[Some(0.5), None, Some(-4.0)],
        ],
        1,
    );
    for v in [&one, &grouped] {
        let svg = render_svg(&chart(ChartKind::Bar, "t", v)).unwrap();
        let g = geometry(&svg);
        let y = g.value_to_y();
        let zero = y(0.0);
        // The zero axis is drawn at value 0.
        assert!(
            g.axes
                .iter()
                .any(|a| a.iter().all(|p| (p.1 - zero).abs() <= 0.1))
        );
        let expected = drawn_values(v);
        assert_eq!(g.bars.len(), expected.len(), "one bar per value");
        for (bar, &(c, s, value)) in g.bars.iter().zip(&expected) {
            let what = format!("bar {c}/{s} of {value}");
            let (top, bottom) = (bar.y, bar.y + bar.h);
            // From zero to the value, whichever side of the axis it lies.
            near(top, y(value.max(0.0)), tol(bar.h), &what);
            near(bottom, y(value.min(0.0)), tol(bar.h), &what);
            near(bar.h, (y(0.0) - y(value.abs())).abs(), tol(bar.h), &what);
        }
    }
}

#[test]
fn horizontal_bars_are_proportional_to_their_values_from_the_zero_axis() {
    let one = values(
        &["North", "South", "East", "West"],
        &[&[Some(120.0), Some(45.5), Some(-10.0), Some(3.0)]],
        1,
    );
    let grouped = values(
        &["Deutschland", "Україна", "Türkiye"],
        &[
            &[Some(12.5), Some(-4.0), Some(33.0)],
            &[Some(14.0), None, Some(30.5)],
        ],
        1,
    );
    for v in [&one, &grouped] {
        let svg = render_svg(&chart(ChartKind::HBar, "t", v)).unwrap();
        let g = geometry(&svg);
        let expected = drawn_values(v);
        assert_eq!(g.bars.len(), expected.len(), "one bar per value");
        // The zero axis: vertical, at one x.
        let zero = g.axes[0][0].0;
        assert!(g.axes.iter().flatten().all(|p| (p.0 - zero).abs() < 1e-9));
        // Units per value, from the longest bar; every bar must agree.
        let (longest, lv) = g
            .bars
            .iter()
            .zip(&expected)
            .map(|(b, e)| (b.w, e.2.abs()))
            .fold((0.0, 1.0), |a, b| if b.0 > a.0 { b } else { a });
        let per_value = longest / lv;
        for (bar, &(c, s, value)) in g.bars.iter().zip(&expected) {
            let what = format!("bar {c}/{s} of {value}");
            near(bar.w, value.abs() * per_value, tol(bar.w), &what);
            let at_zero = if value >= 0.0 { bar.x } else { bar.x + bar.w };
            near(at_zero, zero, 0.11, &what);
        }
    }
}

#[test]
fn stacked_segments_sit_end_to_end_and_add_up_to_the_total() {
    let v = values(
        &["Q1", "Q2", "Q3"],
        &[
            &[Some(10.0), Some(12.0), Some(8.0)],
            &[Some(-6.0), Some(-14.0), None],
            &[Some(5.0), Some(2.5), Some(3.0)],
        ],
        1,
    );
    // Columns: along y, on the axis scale.
    let svg = render_svg(&chart(ChartKind::StackedBar, "t", &v)).unwrap();
    let g = geometry(&svg);
    let y = g.value_to_y();
    let expected = drawn_values(&v);
    assert_eq!(g.bars.len(), expected.len());
    let mut ends = (0.0, 0.0); // (positive, negative) running sums of the current category
    let mut column = 0.0; // x of the current category's first segment
    for (i, (bar, &(c, s, value))) in g.bars.iter().zip(&expected).enumerate() {
        if i == 0 || expected[i - 1].0 != c {
            ends = (0.0, 0.0);
            column = bar.x;
        }
        let what = format!("segment {c}/{s} of {value}");
        let base = if value >= 0.0 { ends.0 } else { ends.1 };
        let (from, to) = (y(base), y(base + value));
        near(bar.y, from.min(to), tol(bar.h), &what);
        near(bar.y + bar.h, from.max(to), tol(bar.h), &what);
        if value >= 0.0 {
            ends.0 += value;
        } else {
            ends.1 += value;
        }
        // Same column for every segment of a category.
        near(bar.x, column, 1e-9, &what);
    }
    // A stack's positive total: its top is at the sum.
    let tops: Vec<f64> = (0..3)
        .map(|c| {
            g.bars
                .iter()
                .zip(&expected)
                .filter(|(_, e)| e.0 == c)
                .map(|(b, _)| b.y)
                .fold(f64::INFINITY, f64::min)
        })
        .collect();
    near(tops[0], y(15.0), 0.15, "Q1 total");
    near(tops[1], y(14.5), 0.15, "Q2 total");
    near(tops[2], y(11.0), 0.15, "Q3 total");
}

#[test]
fn stacked_horizontal_segments_sit_end_to_end_from_the_zero_axis() {
    // Long labels: horizontal bars, along x, from the zero axis, lengths adding up.
    let long = values(
        &[
            "United States of America",
            "People's Republic of China",
            "Deutschland",
        ],
        &[
            &[Some(100.0), Some(250.0), Some(60.0)],
            &[Some(140.0), Some(300.0), Some(55.0)],
        ],
        0,
    );
    let svg = render_svg(&chart(ChartKind::StackedBar, "t", &long)).unwrap();
    let g = geometry(&svg);
    let cats = g.texts_of("chart-category");
    assert!(
        cats.iter().all(|t| t.anchor != "middle"),
        "horizontal: {cats:?}"
    );
    let zero = g.axes[0][0].0;
    assert!(g.axes.iter().flatten().all(|p| (p.0 - zero).abs() < 1e-9));
    assert_eq!(g.bars.len(), 6);
    let per_value = (g.bars[2].w + g.bars[3].w) / 550.0;
    for (c, pair) in g.bars.chunks(2).enumerate() {
        let (first, second) = (pair[0], pair[1]);
        near(first.x, zero, 0.11, "first segment at zero");
        near(
            second.x,
            first.x + first.w,
            0.11,
            "second segment where the first ends",
        );
        near(second.y, first.y, 1e-9, "one row");
        let total = long.values[0][c].unwrap() + long.values[1][c].unwrap();
        near(
            first.w + second.w,
            total * per_value,
            tol(total * per_value),
            "total",
        );
        near(
            first.w,
            long.values[0][c].unwrap() * per_value,
            tol(first.w),
            "segment",
        );
    }
}

#[test]
fn line_points_sit_at_their_values_evenly_spaced() {
    let v = values(
        &["2019", "2020", "2021", "2022", "2023", "2024"],
        &[
            &[Some(1.2), Some(2.5), None, Some(-0.8), Some(4.8), Some(5.0)],
            &[
                Some(-2.0),
                Some(-1.0),
                Some(0.5),
                Some(1.5),
                Some(1.0),
                Some(2.2),
            ],
        ],
        1,
    );
    let svg = render_svg(&chart(ChartKind::Line, "t", &v)).unwrap();
    let g = geometry(&svg);
    let y = g.value_to_y();
    // Dots: one per value, series by series.
    let expected: Vec<(usize, f64)> = v
        .values
        .iter()
        .flat_map(|row| {
            row.iter()
                .enumerate()
                .filter_map(|(c, x)| x.map(|x| (c, x)))
        })
        .collect();
    assert_eq!(g.points.len(), expected.len());
    // Series 1 has every category: its first and last dot give the spacing.
    let row: Vec<(f64, f64)> = g.points[g.points.len() - 6..].to_vec();
    let first = row[0].0;
    let dx = (row[5].0 - first) / 5.0;
    assert!(dx > 0.0);
    for (p, &(c, value)) in g.points.iter().zip(&expected) {
        let what = format!("point {c} of {value}");
        near(p.1, y(value), 0.11, &what);
        near(p.0, first + dx * c as f64, 0.15, &what);
    }
    // Lines: through the dots, broken at the missing value (series 1: two runs).
    assert_eq!(g.lines.len(), 3);
    let dots: Vec<(f64, f64)> = g.lines.iter().flatten().copied().collect();
    assert_eq!(dots, g.points);
    // The zero axis inside a range that crosses zero.
    assert!(
        g.axes
            .iter()
            .any(|a| a.iter().all(|p| (p.1 - y(0.0)).abs() <= 0.1))
    );
}

#[test]
fn no_text_leaves_the_view_box_even_with_long_labels() {
    use super::text::{TEXT_DOWN, TEXT_UP, measure};
    let long = [
        "A very long category name that cannot possibly fit on one line of a phone chart, even alone",
        "United Kingdom of Great Britain and Northern Ireland",
        "भारत गणराज्य",
        "中华人民共和国",
        "x",
    ];
    let rows: [&[Option<f64>]; 2] = [
        &[Some(1.0), Some(-22.0), Some(3.25), None, Some(1e6)],
        &[Some(2.0), Some(4.0), Some(-7.5), Some(0.5), Some(9.0)],
    ];
    let mut cases = vec![values(&long, &rows[..1], 2), values(&long, &rows, 2)];
    // A series name and a caption too long for a row.
    cases[1].series = vec![long[0].to_string(), long[1].to_string()];
    for v in &cases {
        for kind in [
            ChartKind::Bar,
            ChartKind::HBar,
            ChartKind::Line,
            ChartKind::StackedBar,
        ] {
            let mut c = chart(kind, "t", v);
            c.y_label = long[0];
            let svg = render_svg(&c).unwrap();
            let g = geometry(&svg);
            assert!(!g.texts.is_empty());
            for t in &g.texts {
                let w = measure(&t.text);
                let left = match t.anchor.as_str() {
                    "start" => t.x,
                    "middle" => t.x - w / 2.0,
                    "end" => t.x - w,
                    a => panic!("anchor {a}"),
                };
                let inside = left >= 0.0
                    && left + w <= g.width
                    && t.y - TEXT_UP >= 0.0
                    && t.y + TEXT_DOWN <= g.height;
                assert!(
                    inside,
                    "{kind:?}: {:?} ({left:.1}..{:.1}, {:.1}..{:.1}) leaves 0 0 {} {}",
                    t.text,
                    left + w,
                    t.y - TEXT_UP,
                    t.y + TEXT_DOWN,
                    g.width,
                    g.height
                );
            }
        }
    }
}
