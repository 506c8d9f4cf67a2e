//! The sample page of the chart browser check (`node tests/fixtures/chart-svg-preview/check.cjs`):
//! one chart of every shape and awkward case, written by an ignored test.

use std::fmt::Write as _;

use super::testkit::SCRIPTS;
use super::{SvgChart, render_svg};
use crate::model::chart::{ChartKind, ChartValues};
use crate::render::xml::escape as escape_xml;

/// One sample: kind, title, unit, values.
type Sample = (ChartKind, &'static str, Option<&'static str>, ChartValues);

fn cv(cats: &[&str], series: &[&str], rows: Vec<Vec<Option<f64>>>, decimals: u8) -> ChartValues {
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    ChartValues {
        categories: s(cats),
        series: s(series),
        values: rows,
        decimals,
        rows_considered: 0,
        skipped: Vec::new(),
    }
}

/// Scripts, long and short labels beside bars, a line with a gap.
fn first_samples() -> Vec<Sample> {
    let years = [
        "2015", "2016", "2017", "2018", "2019", "2020", "2021", "2022", "2023", "2024",
    ];
    vec![
        (
            ChartKind::Bar,
            "Spend by country (five scripts)",
            Some("USD bn"),
            cv(
                &SCRIPTS,
                &[""],
                vec![vec![Some(7.7), Some(12.25), None, Some(0.5), Some(3.0)]],
                2,
            ),
        ),
        (
            ChartKind::HBar,
            "Long labels: « Côte d'Ivoire » & co",
            Some("USD bn"),
            cv(
                &[
                    "Côte d'Ivoire",
                    "NAVER + NVIDIA (South Korea)",
                    "Ελλάδα",
                    "中华人民共和国",
                    "Қазақстан Республикасы",
                    "भारत गणराज्य",
                ],
                &[""],
                vec![vec![
                    Some(1.5),
                    Some(22.0),
                    Some(-3.25),
                    Some(4.0),
                    None,
                    Some(9.75),
                ]],
                2,
            ),
        ),
        (
            ChartKind::HBar,
            "Short labels beside bars",
            None,
            cv(
                &["Côte d'Ivoire", "Kenya", "日本", "한국", "مصر"],
                &[""],
                vec![vec![
                    Some(120.0),
                    Some(45.5),
                    Some(80.25),
                    Some(-10.0),
                    Some(3.0),
                ]],
                2,
            ),
        ),
        (
            ChartKind::Line,
            "Two series with a gap and negatives",
            Some("%"),
            cv(
                &years,
                &["Model A", "Model B (Республика)"],
                vec![
                    vec![
                        Some(1.2),
                        Some(2.5),
                        Some(3.1),
                        None,
                        Some(4.8),
                        Some(5.0),
                        Some(6.2),
                        Some(7.7),
                        Some(8.1),
                        Some(9.9),
                    ],
                    vec![
                        Some(-2.0),
                        Some(-1.0),
                        Some(0.5),
                        Some(1.5),
                        Some(1.0),
                        Some(2.2),
                        Some(3.3),
                        Some(2.9),
                        Some(4.4),
                        Some(5.0),
                    ],
                ],
                1,
            ),
        ),
    ]
}

/// Thinned line labels, stacks, groups, twelve months, negatives.
fn middle_samples() -> Vec<Sample> {
    let days: Vec<String> = (1..=30).map(|d| format!("2024-06-{d:02}")).collect();
    let day_refs: Vec<&str> = days.iter().map(|d| d.as_str()).collect();
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    vec![
        (
            ChartKind::Line,
            "Thirty days, labels thinned",
            Some("req/s"),
            cv(
                &day_refs,
                &[""],
                vec![
                    (0..30)
                        .map(|i| Some(1000.0 + (i as f64 * 0.7).sin() * 300.0 + i as f64 * 20.0))
                        .collect(),
                ],
                0,
            ),
        ),
        (
            ChartKind::StackedBar,
            "Stacked, three series",
            Some("GW"),
            cv(
                &["2021", "2022", "2023", "2024"],
                &["Solar", "Wind", "Hydro (ГЭС)"],
                vec![
                    vec![Some(10.0), Some(14.5), Some(20.0), Some(28.0)],
                    vec![Some(8.0), Some(9.0), Some(11.5), Some(12.0)],
                    vec![Some(5.0), Some(5.0), None, Some(5.5)],
                ],
                1,
            ),
        ),
        (
            ChartKind::StackedBar,
            "Stacked with long labels (falls back to horizontal)",
            Some("GW"),
            cv(
                &[
                    "United States of America",
                    "People's Republic of China",
                    "Deutschland",
                ],
                &["Solar", "Wind"],
                vec![
                    vec![Some(100.0), Some(250.0), Some(60.0)],
                    vec![Some(140.0), Some(300.0), Some(55.0)],
                ],
                0,
            ),
        ),
        (
            ChartKind::Bar,
            "Grouped, two series",
            None,
            cv(
                &["North", "South", "East", "West"],
                &["2023", "2024"],
                vec![
                    vec![Some(3.0), Some(4.5), Some(-1.0), Some(2.0)],
                    vec![Some(3.5), Some(5.0), Some(0.5), None],
                ],
                1,
            ),
        ),
        (
            ChartKind::Bar,
            "Twelve months",
            Some("mm"),
            cv(
                &months,
                &[""],
                vec![
                    months
                        .iter()
                        .enumerate()
                        .map(|(i, _)| Some(40.0 + i as f64 * 7.5))
                        .collect(),
                ],
                1,
            ),
        ),
        (
            ChartKind::Bar,
            "Negative values",
            None,
            cv(
                &["Gain", "Loss", "Flat", "Big loss"],
                &[""],
                vec![vec![Some(4.0), Some(-2.5), Some(0.0), Some(-12.0)]],
                1,
            ),
        ),
    ]
}

/// One category, all equal, grouped horizontal, stacked negatives, many categories, a label too long.
fn last_samples() -> Vec<Sample> {
    vec![
        (
            ChartKind::Bar,
            "One category",
            None,
            cv(&["Only one"], &[""], vec![vec![Some(42.0)]], 0),
        ),
        (
            ChartKind::Line,
            "All equal",
            None,
            cv(
                &["a", "b", "c"],
                &[""],
                vec![vec![Some(5.0), Some(5.0), Some(5.0)]],
                0,
            ),
        ),
        (
            ChartKind::HBar,
            "Grouped horizontal, three series",
            Some("%"),
            cv(
                &["Deutschland", "Україна", "Türkiye"],
                &["2022", "2023", "2024 (est.)"],
                vec![
                    vec![Some(12.5), Some(-4.0), Some(33.0)],
                    vec![Some(14.0), None, Some(30.5)],
                    vec![Some(15.5), Some(2.0), Some(28.0)],
                ],
                1,
            ),
        ),
        (
            ChartKind::StackedBar,
            "Stacked with negatives",
            None,
            cv(
                &["Q1", "Q2", "Q3"],
                &["Revenue", "Costs"],
                vec![
                    vec![Some(10.0), Some(12.0), Some(8.0)],
                    vec![Some(-6.0), Some(-14.0), Some(-3.0)],
                ],
                0,
            ),
        ),
        (
            ChartKind::Bar,
            "Many categories",
            None,
            cv(
                &[
                    "Austria", "Belgium", "Bulgaria", "Croatia", "Cyprus", "Czechia", "Denmark",
                    "Estonia", "Finland", "France", "Germany", "Greece", "Hungary", "Ireland",
                    "Italy",
                ],
                &[""],
                vec![
                    (0..15)
                        .map(|i| Some(((i * 37) % 23) as f64 + 0.5))
                        .collect(),
                ],
                1,
            ),
        ),
        (
            ChartKind::Bar,
            "A label too long for anything",
            None,
            cv(
                &[
                    "A very long category name that cannot possibly fit on one line of a phone chart, even alone",
                    "Short",
                ],
                &[""],
                vec![vec![Some(1.0), Some(2.0)]],
                0,
            ),
        ),
    ]
}

/// Writes `index.html` with sample charts for the browser check
/// (`node tests/fixtures/chart-svg-preview/check.cjs`). Output folder:
/// `$CHART_SVG_PREVIEW_DIR`, default `tests/fixtures/chart-svg-preview`.
#[test]
#[ignore = "writes the HTML page of the chart browser check"]
fn write_browser_preview() {
    let samples: Vec<Sample> = [first_samples(), middle_samples(), last_samples()].concat();
    let mut html = String::from(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>chart_svg preview</title>\n\
         <link rel=\"stylesheet\" href=\"../../../static/style.css\">\n\
         <link rel=\"stylesheet\" href=\"charts.css\">\n</head>\n<body>\n<main class=\"preview\">\n",
    );
    for (i, (kind, title, unit, values)) in samples.iter().enumerate() {
        let id = format!("chart-preview-{}", i + 1);
        let svg = render_svg(&SvgChart {
            id: &id,
            kind: *kind,
            title,
            x_label: "category",
            y_label: "value",
            unit: *unit,
            values,
            numbers: &Default::default(),
            annotations: &[],
            shared: None,
        })
        .unwrap();
        let _ = write!(
            html,
            "<figure class=\"chart\" id=\"{id}\">\n<figcaption>{}</figcaption>\n{svg}\n</figure>\n",
            escape_xml(title)
        );
    }
    html.push_str("</main>\n</body>\n</html>\n");
    let dir = std::env::var("CHART_SVG_PREVIEW_DIR").unwrap_or_else(|_| {
        format!(
            "{}/tests/fixtures/chart-svg-preview",
            env!("CARGO_MANIFEST_DIR")
        )
    });
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(format!("{dir}/index.html"), html).unwrap();
}
