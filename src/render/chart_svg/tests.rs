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
        // Legend for two series.
        assert_eq!(count(&svg, "chart-swatch"), 2, "{kind:?}");
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
fn negative_bars_hang_below_the_zero_axis() {
    let v = values(&["up", "down"], &[&[Some(4.0), Some(-2.0)]], 0);
    let svg = render_svg(&chart(ChartKind::Bar, "t", &v)).unwrap();
    let t = texts(&svg);
    assert!(t.iter().any(|x| x == "-2"), "{t:?}");
    assert!(t.iter().any(|x| x == "0"), "{t:?}");
}

#[test]
fn crowded_or_long_labels_fall_back_to_horizontal_bars() {
    let long = [
        "Côte d'Ivoire",
        "NAVER + NVIDIA (South Korea)",
        "United Kingdom of Great Britain",
        "Bosnia and Herzegovina",
    ];
    let v = values(&long, &[&[Some(1.5), Some(22.0), Some(3.25), Some(4.0)]], 2);
    let svg = render_svg(&chart(ChartKind::Bar, "t", &v)).unwrap();
    let t = texts(&svg);
    for label in long {
        assert!(t.iter().any(|x| x == label), "{label} missing in {t:?}");
    }
    // Anchored left (labels above bars), not centred under columns.
    assert!(!svg.contains("chart-category\" x=\"") || svg.contains("text-anchor=\"start\""));
}

#[test]
fn labels_too_long_for_any_layout_are_shortened_with_their_full_text_kept() {
    let long = "A very long category name that cannot possibly fit on one line of a phone chart";
    let v = values(&[long, "b"], &[&[Some(1.0), Some(2.0)]], 0);
    let svg = render_svg(&chart(ChartKind::HBar, "t", &v)).unwrap();
    assert!(svg.contains(&format!("<title>{long}</title></text>")));
    assert!(texts(&svg).iter().any(|x| x.ends_with('…')));
}
