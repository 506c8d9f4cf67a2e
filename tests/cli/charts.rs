//! Charts as a reader meets them: bars that equal the data, honest notes, working downloads,
//! and clear errors for broken chart blocks.

use std::collections::BTreeMap;

use crate::common::svg::{first_svg, has_class, num, parse, rects};
use crate::common::*;

const SPEND_CSV: &str = "investor,region,sector,year,spend_usd_bn\n\
\"Stargate, initial pledge\",United States,Compute,2025,100\n\
SoftBank,France,Data centers,2025,Undisclosed\n\
\"Mistral, Fluidstack & co\",France,Compute,2025,8.5\n\
NAVER + NVIDIA,South Korea,AI capacity,2025,n/a\n\
Alphabet,Global,Data centers,2025,\n\
Kazakh Telecom,Kazakhstan,Data centers,2025,1.25\n\
\"Uzbek Cloud, LLC\",Uzbekistan,Cloud,2025,0.4\n\
Another,United States,Cloud,2025,\"2,100.5\"\n\
JPMorgan Chase,Global,AI budget,2025,n/a\n";

const CHART: &str = "```chart\ndata: spend-2025.csv\ntype: bar\nx: region\ny: spend_usd_bn\naggregate: sum\ntitle: Spend by region\n```\n";

fn spend_site() -> TestSite {
    let site = TestSite::new();
    site.write("content/data/spend-2025.csv", SPEND_CSV);
    site.brief(
        "spend.md",
        "title: Spend\ndate: 2025-11-20\nregions: [France, United States]",
        &format!("Intro.\n\n{CHART}\nAfter.\n"),
    );
    site
}

/// Per-region sums computed here, independently of briefing, with the csv crate.
fn expected_sums() -> BTreeMap<String, f64> {
    let mut reader = csv::Reader::from_reader(SPEND_CSV.as_bytes());
    let mut sums = BTreeMap::new();
    for record in reader.records() {
        let record = record.unwrap();
        let spend = record[4].replace(',', "");
        if let Ok(v) = spend.trim().parse::<f64>() {
            *sums.entry(record[1].to_string()).or_insert(0.0) += v;
        }
    }
    sums
}

/// The `<th scope="row">label</th><td ...>value</td>` pairs of a chart's data table.
fn data_table(html: &str, chart_id: &str) -> BTreeMap<String, String> {
    let start = html
        .find(&format!("id=\"{chart_id}-data\""))
        .expect("data table");
    let end = start + html[start..].find("</table>").unwrap();
    let table = &html[start..end];
    let mut out = BTreeMap::new();
    for row in table.split("<tr>").skip(2) {
        let label = between(row, "<th scope=\"row\">", "</th>");
        let value = between(row, ">", "</td>")
            .rsplit('>')
            .next()
            .unwrap()
            .to_string();
        out.insert(label.replace("&amp;", "&"), value);
    }
    out
}

fn between<'a>(s: &'a str, a: &str, b: &str) -> &'a str {
    let i = s.find(a).unwrap() + a.len();
    &s[i..i + s[i..].find(b).unwrap()]
}

#[test]
fn bars_equal_the_per_region_sums_of_the_numeric_cells() {
    let site = spend_site();
    let run = site.build();
    run.assert_ok();
    let html = site.page("briefs/spend/index.html");
    let shown = data_table(&html, "chart-spend-1");
    let expected = expected_sums();
    assert_eq!(
        shown.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>(),
        "one bar per region with a number"
    );
    for (region, sum) in &expected {
        // As readers read it in English: grouped thousands.
        let value: f64 = shown[region].replace(',', "").parse().unwrap();
        assert!(
            (value - sum).abs() < 1e-9,
            "{region}: chart {value}, data {sum}"
        );
    }
    // Precision as written: 2,100.5 + 100 is 2200.5, not 2200.5000000001; 1.25 keeps 2 places.
    assert_eq!(shown["United States"], "2,200.50");
    assert_eq!(shown["Kazakhstan"], "1.25");

    // And the drawing: each region's bar, found beside its label, is as long as its sum on
    // one scale (length per unit the same for every bar).
    let bars = drawn_bars(&html);
    assert_eq!(
        bars.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>(),
        "one drawn bar per region with a number"
    );
    let scale = bars["United States"] / expected["United States"];
    for (region, sum) in &expected {
        let drawn = bars[region] / scale;
        // Coordinates are written to a tenth of a unit.
        assert!(
            (drawn - sum).abs() <= 0.06 / scale + 1e-9,
            "{region}: bar {} long, {drawn} on the scale, data {sum}",
            bars[region]
        );
    }
}

/// The drawn length of each category's bar in the page's first chart, by the label beside it
/// (horizontal bars: the label on the bar's row; columns: the label under its middle).
fn drawn_bars(html: &str) -> BTreeMap<String, f64> {
    let doc = parse(first_svg(html).expect("a chart"));
    let labels: Vec<(String, f64, f64)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text") && has_class(n, "chart-category"))
        .map(|n| {
            let text = n.text().unwrap_or("").trim().to_string();
            (text, num(&n, "x"), num(&n, "y"))
        })
        .collect();
    let rects = rects(&doc, "chart-bar");
    // Horizontal bars all start at one x (the zero line); columns all end at one y.
    let horizontal = rects.windows(2).all(|w| (w[0].0 - w[1].0).abs() < 0.01);
    let mut out = BTreeMap::new();
    for (x, y, w, h) in rects {
        let (along, length) = if horizontal {
            (y + h / 2.0, w)
        } else {
            (x + w / 2.0, h)
        };
        let nearest = labels
            .iter()
            .min_by(|a, b| {
                let d = |l: &(String, f64, f64)| (if horizontal { l.2 } else { l.1 } - along).abs();
                d(a).total_cmp(&d(b))
            })
            .expect("a label for every bar");
        out.insert(nearest.0.clone(), length);
    }
    out
}

#[test]
fn chart_svg_is_accessible_static_and_has_its_table_csv_and_note() {
    let site = spend_site();
    site.build().assert_ok();
    let html = site.page("briefs/spend/index.html");
    let svg = &html[html.find("<svg").unwrap()..html.find("</svg>").unwrap()];
    assert!(svg.contains("role=\"img\""));
    assert!(svg.contains("<title") && svg.contains("Spend by region"));
    assert!(svg.contains("<desc"));
    assert!(svg.contains("viewBox="));
    assert!(!svg.contains("<script") && !svg.contains("href=\"http"));
    let flat = svg.replace('\n', "");
    assert!(
        flat.contains(">United States</text>") && flat.contains(">Kazakhstan</text>"),
        "labels stay text"
    );
    // The figure follows the text before it and precedes the text after it.
    assert!(
        html.find("Intro.") < html.find("<figure") && html.find("</figure>") < html.find("After.")
    );
    // The download link names a file that exists and holds the charted values.
    let href = between(&html, "<p class=\"chart-download\"><a href=\"", "\"");
    let csv = site.page(href.trim_start_matches('/'));
    assert!(csv.starts_with("region,spend_usd_bn\r\n"), "{csv}");
    assert!(csv.contains("United States,2200.50\r\n"));
    // The honest note: which rows were not charted, and why.
    let note = between(&html, "<p class=\"chart-note\">", "</p>");
    assert!(note.starts_with("Not charted: 4 of 9 rows"), "{note}");
    for part in [
        "“Undisclosed” (SoftBank)",
        "“n/a” (NAVER + NVIDIA)",
        "blank (Alphabet)",
        "“n/a” (JPMorgan Chase)",
    ] {
        assert!(note.contains(part), "{part} missing from {note}");
    }
}

#[test]
fn a_chart_with_no_numbers_builds_with_its_table_a_note_and_a_warning() {
    let site = TestSite::new();
    site.brief(
        "messy.md",
        "title: Messy\ndate: 2025-11-20",
        "Text.\n\n```chart\nx: Investor\ny: Estimated Spend\nrows:\n  - {Investor: Alphabet, Estimated Spend: Undisclosed}\n  - {Investor: SoftBank, Estimated Spend: Substantial investment}\n```\n",
    );
    let run = site.build();
    run.assert_ok();
    assert!(
        run.stderr
            .contains("warning: content/briefs/messy.md:7:1: chart 1 has no numbers to draw"),
        "{}",
        run.stderr
    );
    let html = site.page("briefs/messy/index.html");
    assert!(!html.contains("<svg"), "no empty chart");
    assert!(html.contains("<details class=\"chart-data\" open>"));
    assert!(html.contains("<td>Undisclosed</td>"));
    assert!(html.contains("Not charted: 2 of 2 rows"));
}

#[test]
fn spend_by_region_counts_each_file_once_across_briefs() {
    let site = spend_site();
    site.brief(
        "again.md",
        "title: Again\ndate: 2025-11-21\nregions: [France]",
        CHART,
    );
    site.write(
        "content/data/more.csv",
        "investor,region,spend_usd_bn\nX,France,1.5\n",
    );
    site.brief(
        "more.md",
        "title: More\ndate: 2025-11-22",
        "```chart\ndata: more.csv\nx: region\ny: spend_usd_bn\n```\n",
    );
    site.build().assert_ok();
    let regions = site.page("regions/index.html");
    let shown = data_table(&regions, "chart-spend-by-region");
    assert_eq!(
        shown["France"], "10.00",
        "8.5 once (two briefs chart the file) + 1.5"
    );
    assert_eq!(shown["United States"], "2,200.50");
    let france = site.page("regions/france/index.html");
    assert!(france.contains("Figures for"));
    assert!(france.contains("Mistral, Fluidstack &amp; co"));
}

fn broken(body: &str) -> Run {
    let site = TestSite::new();
    site.write("content/data/spend-2025.csv", SPEND_CSV);
    site.brief("bad.md", "title: Bad\ndate: 2025-11-20", body);
    let run = site.build();
    assert_eq!(run.code, 1, "expected exit 1:\n{}", run.stderr);
    assert!(!run.stderr.contains("panicked"));
    run
}

#[test]
fn broken_chart_blocks_name_the_brief_and_line() {
    let cases = [
        (
            "\n```chart\ndata: missing.csv\nx: region\ny: spend_usd_bn\n```\n",
            "bad.md:6:1",
            "chart data file not found",
        ),
        (
            "\n```chart\ndata: ../../site.yaml\nx: region\ny: spend_usd_bn\n```\n",
            "bad.md:7:1",
            "may not leave content/data/",
        ),
        (
            "\n```chart\ndata: spend-2025.csv\nx: region\ny: spend\n```\n",
            "bad.md:6:1",
            "unknown column \"spend\"",
        ),
        (
            "\n```chart\ndata: spend-2025.csv\ntype: pie\nx: region\ny: spend_usd_bn\n```\n",
            "bad.md:8:7",
            "chart `type` must be `bar`",
        ),
        (
            "\n```chart\ndata: [spend-2025.csv\n```\n",
            "bad.md:7:",
            "not valid YAML",
        ),
        (
            "\n```chart\ndata: spend-2025.csv\nx: region\n",
            "bad.md:6:1",
            "never closed",
        ),
    ];
    for (body, position, words) in cases {
        let run = broken(body);
        assert!(
            run.stderr.contains(&format!("content/briefs/{position}")),
            "{position} for {words}:\n{}",
            run.stderr
        );
        assert!(run.stderr.contains(words), "{words}:\n{}", run.stderr);
    }
    let run = broken("\n```chart\ndata: spend-2025.csv\nx: region\ny: spend\n```\n");
    assert!(
        run.stderr
            .contains("columns are investor, region, sector, year, spend_usd_bn"),
        "{}",
        run.stderr
    );
}

#[test]
fn data_file_problems_name_the_file_line_and_the_chart_using_it() {
    let site = TestSite::new();
    site.write(
        "content/data/bad.csv",
        "region,spend\nFrance,1\nKorea,2,3\n",
    );
    site.brief(
        "b.md",
        "title: B\ndate: 2025-11-20",
        "\n```chart\ndata: bad.csv\nx: region\ny: spend\n```\n",
    );
    let run = site.build();
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("error: content/data/bad.csv:3:1: row has 3 fields"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("charted in content/briefs/b.md:6"),
        "{}",
        run.stderr
    );
}

#[test]
fn values_too_large_to_be_exact_are_written_in_their_shortest_form() {
    let site = TestSite::new();
    // 2e39 written out: the longest integer a data file may hold is 40 digits.
    let huge = format!("2{}", "0".repeat(39));
    site.write_bytes(
        "content/data/big.csv",
        format!("investor,spend\nHuge,{huge}\nPlain,107\n").as_bytes(),
    );
    site.write_bytes("content/data/half.csv", b"investor,spend\nHalf,2.5\n");
    site.brief(
        "big.md",
        "title: Big\ndate: 2025-01-01",
        "```chart\ndata: big.csv\nx: investor\ny: spend\n```\n\n```chart\ndata: half.csv\nx: investor\ny: spend\n```\n",
    );
    site.build().assert_ok();
    let csv = site.page("briefs/big/chart-1.csv");
    assert!(csv.contains("Huge,2e39\r\n"), "{csv}");
    assert!(csv.contains("Plain,107\r\n"), "{csv}");
    assert!(!csv.contains(&huge[..10]), "no made-up digits: {csv}");
    let csv = site.page("briefs/big/chart-2.csv");
    assert!(csv.contains("Half,2.5\r\n"), "{csv}");
    let html = site.page("briefs/big/index.html");
    for cell in [">2e39</td>", ">107</td>", ">2.5</td>"] {
        assert!(html.contains(cell), "data table shows {cell}");
    }
    assert!(!html.contains(&huge[..10]), "no made-up digits in the page");
}

#[test]
fn more_categories_than_a_chart_can_show_give_the_table_and_a_warning() {
    let rows: String = (0..1_500).map(|i| format!("inv{i},{i}\n")).collect();
    let site = TestSite::new();
    site.write("content/data/many.csv", &format!("investor,spend\n{rows}"));
    site.brief(
        "many.md",
        "title: Many\ndate: 2025-11-20",
        "```chart\ndata: many.csv\ntype: hbar\nx: investor\ny: spend\n```\n",
    );
    let run = site.build();
    run.assert_ok();
    assert!(run.stderr.contains("1500 categories"), "{}", run.stderr);
    assert!(
        run.stderr.contains("limit: 20"),
        "a suggestion: {}",
        run.stderr
    );
    let html = site.page("briefs/many/index.html");
    let figure = &html[html.find("<figure class=\"chart\"").unwrap()..];
    let figure = &figure[..figure.find("</figure>").unwrap()];
    assert!(!figure.contains("<svg"), "no chart of 1,500 bars");
    assert!(figure.contains("1500 categories are more than one chart can show"));
    let table = &figure[figure.find("<table").unwrap()..];
    assert_eq!(
        table.matches("<tr>").count(),
        1_500 + 1,
        "every category in the table"
    );
    assert!(!site.exists("briefs/many/chart-1.svg"), "nothing to embed");
    assert_eq!(
        site.page("briefs/many/chart-1.csv").lines().count(),
        1_500 + 1
    );
}
