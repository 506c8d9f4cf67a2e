//! Every mark says what it is (issue 16): each bar, stacked segment, point and map shape
//! carries `data-label`, `data-series` (with several series) and `data-value`, and a
//! `<title>` a hover shows with no script; the values equal the chart's own data table.

use std::collections::BTreeMap;

use crate::common::svg::{figure_svg, parse};
use crate::common::*;

const CSV: &str = "region,sector,year,spend\n\
France,Compute,2024,2.5\n\
France,Cloud,2025,1.25\n\
Kazakhstan,Compute,2024,1.2\n\
Kazakhstan,Cloud,2025,0.4\n\
Japan,Compute,2025,7.75\n";

fn block(keys: &str) -> String {
    format!("```chart\ndata: spend.csv\n{keys}\ny: spend\nunit: USD bn\n```\n")
}

/// The data table of the figure `id`: (label, series heading) → value as shown.
fn table(html: &str, id: &str) -> BTreeMap<(String, String), String> {
    let start = html.find(&format!("id=\"{id}-data\"")).expect("data table");
    let table = &html[start..start + html[start..].find("</table>").unwrap()];
    let head = &table[..table.find("</thead>").unwrap()];
    let headings: Vec<String> = head
        .split("<th scope=\"col\"")
        .skip(2)
        .map(|h| h[h.find('>').unwrap() + 1..h.find("</th>").unwrap()].to_string())
        .collect();
    let mut out = BTreeMap::new();
    for row in table.split("<tr>").skip(2) {
        let label = &row[row.find("\">").unwrap() + 2..row.find("</th>").unwrap()];
        let cells = row
            .split("<td")
            .skip(1)
            .map(|c| c[c.find('>').unwrap() + 1..c.find("</td>").unwrap()].to_string());
        for (heading, cell) in headings.iter().zip(cells) {
            if !cell.is_empty() {
                out.insert((label.to_string(), heading.clone()), cell);
            }
        }
    }
    out
}

#[test]
fn every_bar_segment_and_point_names_its_label_series_and_value() {
    let charts = [
        ("bar", "type: bar\nx: region"),
        ("hbar", "type: hbar\nx: region"),
        ("stacked", "type: stacked-bar\nx: region\nseries: sector"),
        ("line", "type: line\nx: year\nseries: sector"),
    ];
    let site = TestSite::new();
    site.write("content/data/spend.csv", CSV);
    let body: String = charts
        .iter()
        .map(|(_, keys)| block(keys))
        .collect::<Vec<_>>()
        .join("\n");
    site.brief("m.md", "title: M\ndate: 2025-01-01", &body);
    site.build().assert_ok();
    let html = site.page("briefs/m/index.html");
    for (n, (name, _)) in charts.iter().enumerate() {
        let id = format!("chart-m-{}", n + 1);
        let doc = parse(figure_svg(&html, &id));
        let marks: Vec<_> = doc
            .descendants()
            .filter(|n| {
                let class = n.attribute("class").unwrap_or_default();
                class.contains("chart-bar") || class.contains("chart-point")
            })
            .collect();
        assert!(!marks.is_empty(), "{name}: marks drawn");
        let want = table(&html, &id);
        let several = want.keys().any(|(_, h)| h != "spend (USD bn)");
        for m in &marks {
            let label = m
                .attribute("data-label")
                .unwrap_or_else(|| panic!("{name}: data-label"));
            let value = m
                .attribute("data-value")
                .unwrap_or_else(|| panic!("{name}: data-value"));
            let series = m.attribute("data-series");
            assert_eq!(
                series.is_some(),
                several,
                "{name}: data-series only with several series"
            );
            let heading = series.map_or("spend (USD bn)".to_string(), str::to_string);
            assert_eq!(
                want.get(&(label.to_string(), heading.clone()))
                    .map(String::as_str),
                Some(value),
                "{name}: {label}/{heading} against its data table"
            );
            let title = m
                .children()
                .find(|c| c.has_tag_name("title"))
                .and_then(|t| t.text())
                .unwrap_or_else(|| panic!("{name}: a <title>"));
            let named = match series {
                Some(s) => format!("{label}, {s}: {value} USD bn"),
                None => format!("{label}: {value} USD bn"),
            };
            assert_eq!(title, named, "{name}");
        }
        assert_eq!(
            marks.len(),
            want.len(),
            "{name}: one mark per value in the table"
        );
    }
}

#[test]
fn map_shapes_with_data_carry_their_label_and_value() {
    let site = TestSite::new();
    site.write("content/data/spend.csv", CSV);
    site.brief(
        "m.md",
        "title: M\ndate: 2025-01-01",
        &block("type: map\nx: region"),
    );
    site.build().assert_ok();
    let html = site.page("briefs/m/index.html");
    for (iso, label, value) in [
        ("FRA", "France", "3.75"),
        ("KAZ", "Kazakhstan", "1.60"),
        ("JPN", "Japan", "7.75"),
    ] {
        let at = html
            .find(&format!("data-iso=\"{iso}\""))
            .unwrap_or_else(|| panic!("{iso}"));
        let tag = &html[at..at + html[at..].find('>').unwrap()];
        assert!(tag.contains(&format!("data-label=\"{label}\"")), "{tag}");
        assert!(tag.contains(&format!("data-value=\"{value}\"")), "{tag}");
    }
}
