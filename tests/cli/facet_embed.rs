//! Small multiples embed as one file (issue 16): a `facet:` chart of a brief is written as one
//! standalone `chart-N.svg`, its title, source and notes as rows around a grid of the small
//! charts, each under its facet's label and each the page's small chart (its title, desc and
//! marks), and the page offers it to embed with the file's own size.

use std::collections::BTreeMap;

use crate::common::svg::{
    Document, Node, first_text, geometry, has_class, img_attributes, mark_key, num, parse, svgs,
    unescape, view_box,
};
use crate::common::*;

const SVG_NS: &str = "http://www.w3.org/2000/svg";
/// Room a text needs above and below its centre line, as the chart code reserves it (0.95
/// and 0.65 of the 15-unit font).
const TEXT_UP: f64 = 14.25;
const TEXT_DOWN: f64 = 9.75;
/// Fewest units a character of the 15-unit font takes (DejaVu Sans' narrowest run about
/// 0.3 em): a lower bound of a text's width, so a text found to overflow surely does.
const NARROWEST: f64 = 4.5;

const REGIONS: [&str; 6] = [
    "Europe",
    "Asia",
    "Africa",
    "North America",
    "South America",
    "Oceania",
];
const SECTORS: [&str; 3] = ["Compute", "Cloud", "Chips"];
const TITLE: &str = "Spend by sector & region";
const SOURCE: &str = "Ministry figures <2025>";

/// The value the CSV gives region `r`, sector `s`; Oceania's chips are undisclosed.
fn value(r: usize, s: usize) -> Option<f64> {
    (!(r == 5 && s == 2)).then(|| (r * 3 + s + 1) as f64 * 0.75)
}

fn facet_site(extra: &str) -> TestSite {
    let mut csv = String::from("region,sector,spend\n");
    for (r, region) in REGIONS.iter().enumerate() {
        for (s, sector) in SECTORS.iter().enumerate() {
            let v = value(r, s).map_or("Undisclosed".to_string(), |v| v.to_string());
            csv.push_str(&format!("{region},{sector},{v}\n"));
        }
    }
    let site = TestSite::new();
    site.write("content/data/regions.csv", &csv);
    site.brief(
        "grid.md",
        "title: A grid\ndate: 2025-11-20",
        &format!(
            "```chart\ndata: regions.csv\ntype: bar\nfacet: region\nx: sector\ny: spend\n\
             unit: USD bn\ntitle: {TITLE}\nsource: {SOURCE}\n{extra}```\n"
        ),
    );
    site
}

/// The figure of chart 1 on the page, up to its end.
fn figure(html: &str) -> &str {
    let start = html
        .find("<figure class=\"chart chart-facets\" id=\"chart-grid-1\"")
        .unwrap();
    let end = start + html[start..].find("</figure>\n").unwrap();
    &html[start..end]
}

/// Every mark (an element with `data-value`): (label, series, value) → its geometry as
/// written, and whether it has a `<title>`.
type Marks = BTreeMap<(String, String, String), (Vec<String>, bool)>;

fn marks(svg: Node) -> Marks {
    svg.descendants()
        .filter_map(|n| {
            // Only marks that name their label: a value without one is no mark here.
            n.attribute("data-label")?;
            let key = mark_key(&n)?;
            let geometry = geometry(&n, &["x", "y", "width", "height", "cx", "cy"]);
            let titled = n.children().any(|c| c.has_tag_name("title"));
            Some((key, (geometry, titled)))
        })
        .collect()
}

fn child_text(n: Node, tag: &str) -> String {
    n.children()
        .find(|c| c.has_tag_name(tag))
        .map(|n| first_text(&n))
        .unwrap_or_default()
}

/// The `<img>` of the figure's "Embed this chart", its attributes read as XML.
fn embed_img(fig: &str) -> BTreeMap<String, String> {
    let at = fig
        .find("<details class=\"chart-embed\"><summary>Embed this chart</summary>")
        .expect("the small multiples have an embed snippet");
    let code = &fig[at..];
    let code = &code[code.find("<code>").unwrap() + 6..code.find("</code>").unwrap()];
    assert!(!code.contains('<'), "the snippet is text: {code}");
    img_attributes(&unescape(code))
}

/// Where a node's coordinates start in the file: the sum of its nested `<svg>`s' x and y.
fn origin(n: Node) -> (f64, f64) {
    n.ancestors()
        .filter(|a| a.has_tag_name("svg") && a.parent_element().is_some())
        .fold((0.0, 0.0), |(x, y), a| (x + num(&a, "x"), y + num(&a, "y")))
}

#[test]
fn small_multiples_embed_as_one_file_with_their_grid() {
    let site = facet_site("");
    site.build().assert_ok();
    let html = site.page("briefs/grid/index.html");
    let fig = figure(&html);
    let file = site.page("briefs/grid/chart-1.svg");
    assert!(file.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg "));
    let doc = roxmltree::Document::parse(&file).expect("the file is XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().namespace(), Some(SVG_NS));
    assert_eq!(root.attribute("role"), Some("img"));
    assert_eq!(child_text(root, "title"), TITLE);
    let desc = child_text(root, "desc");
    assert!(desc.starts_with("Small multiples of bar charts"), "{desc}");
    assert!(REGIONS.iter().all(|r| desc.contains(r)), "{desc}");
    let css = child_text(root, "style");
    assert!(css.contains("@media (prefers-color-scheme: dark)"), "{css}");
    assert!(!doc.descendants().any(|n| n.has_tag_name("script")));
    let rows = |class: &str| -> Vec<String> {
        doc.descendants()
            .filter(|n| n.has_tag_name("text") && has_class(n, class))
            .map(|n| first_text(&n))
            .collect()
    };
    assert_eq!(rows("chart-file-title"), [TITLE]);
    assert_eq!(rows("chart-file-source"), [format!("Source: {SOURCE}")]);
    let notes = rows("chart-file-note").join(" ");
    assert!(
        notes.contains("\u{201c}Undisclosed\u{201d} (Oceania)"),
        "{notes}"
    );
    assert!(notes.contains("share one value scale"), "{notes}");
    // Six labels, the regions in order, each over its own small chart.
    assert_eq!(rows("chart-file-facet"), REGIONS);
    let nested: Vec<Node> = root.children().filter(|n| n.has_tag_name("svg")).collect();
    assert_eq!(nested.len(), 6, "one small chart per region");
    let labels: Vec<Node> = doc
        .descendants()
        .filter(|n| has_class(n, "chart-file-facet"))
        .collect();
    for (label, chart) in labels.iter().zip(&nested) {
        let (lx, ly) = (num(label, "x"), num(label, "y"));
        let (cx, cy) = (num(chart, "x"), num(chart, "y"));
        // (Positions are written to a tenth of a unit.)
        assert!(ly + TEXT_DOWN <= cy + 0.06, "the label is above its chart");
        assert!(lx >= cx && lx < cx + num(chart, "width"), "and over it");
    }
    check_grid(&nested, &file_view_box(&doc));
    check_small_charts(fig, &nested);
    check_texts_inside(&doc);
    // The snippet: the file's absolute URL, its size, an alt built as other charts' are.
    let img = embed_img(fig);
    assert_eq!(
        img["src"],
        "https://briefs.example.org/briefs/grid/chart-1.svg"
    );
    assert_eq!(img["width"], root.attribute("width").unwrap());
    assert_eq!(img["height"], root.attribute("height").unwrap());
    let alt = &img["alt"];
    assert!(
        alt.starts_with(&format!(
            "{TITLE}: Small multiples of bar charts. 6 small charts"
        )),
        "{alt}"
    );
    assert!(alt.contains("Oceania"), "the alt names the facets: {alt}");
}

/// The file's viewBox, checked to start at 0,0 and to be the file's width and height.
fn file_view_box(doc: &Document) -> Vec<f64> {
    let v = view_box(doc);
    let root = doc.root_element();
    assert_eq!((v[0], v[1]), (0.0, 0.0));
    assert_eq!(num(&root, "width"), v[2]);
    assert_eq!(num(&root, "height"), v[3]);
    v
}

/// The small charts sit in the viewBox, two or three to a row, none over another.
fn check_grid(nested: &[Node], view: &[f64]) {
    let boxes: Vec<[f64; 4]> = nested
        .iter()
        .map(|n| {
            let (x, y, w, h) = (num(n, "x"), num(n, "y"), num(n, "width"), num(n, "height"));
            assert_eq!(
                n.attribute("viewBox"),
                Some(format!("0 0 {w} {h}").as_str())
            );
            [x, y, x + w, y + h]
        })
        .collect();
    for b in &boxes {
        assert!(
            b[0] >= 0.0 && b[1] >= 0.0 && b[2] <= view[2] && b[3] <= view[3],
            "{b:?}"
        );
    }
    for (i, a) in boxes.iter().enumerate() {
        for b in &boxes[i + 1..] {
            let apart = a[2] <= b[0] || b[2] <= a[0] || a[3] <= b[1] || b[3] <= a[1];
            assert!(apart, "{a:?} overlaps {b:?}");
        }
    }
    let mut columns: Vec<i64> = boxes.iter().map(|b| b[0] as i64).collect();
    columns.sort();
    columns.dedup();
    assert!((2..=3).contains(&columns.len()), "columns at {columns:?}");
}

/// Each small chart of the file is the page's: its title and desc, and its marks with their
/// values, `<title>`s and places; and the values are the CSV's.
fn check_small_charts(fig: &str, nested: &[Node]) {
    let inline = svgs(fig);
    assert_eq!(inline.len(), 6);
    for (r, (chart, page)) in nested.iter().zip(&inline).enumerate() {
        let page = parse(page);
        let page = page.root_element();
        assert_eq!(chart.attribute("role"), Some("img"));
        assert_eq!(child_text(*chart, "title"), REGIONS[r]);
        assert_eq!(child_text(*chart, "title"), child_text(page, "title"));
        assert_eq!(child_text(*chart, "desc"), child_text(page, "desc"));
        assert!(child_text(*chart, "desc").contains(REGIONS[r]));
        let (file_marks, page_marks) = (marks(*chart), marks(page));
        assert_eq!(file_marks, page_marks, "{}: the page's marks", REGIONS[r]);
        let expected: BTreeMap<String, f64> = (0..3)
            .filter_map(|s| value(r, s).map(|v| (SECTORS[s].to_string(), v)))
            .collect();
        let drawn: BTreeMap<String, f64> = file_marks
            .iter()
            .map(|((label, _, v), (_, titled))| {
                assert!(titled, "{label} has a <title>");
                (label.clone(), v.parse().unwrap())
            })
            .collect();
        assert_eq!(drawn, expected, "{}", REGIONS[r]);
    }
}

/// Every text of the file lies inside the viewBox (and a small chart's inside its own
/// `<svg>`), judged by its centre line's room and, across, a lower bound of its width.
fn check_texts_inside(doc: &Document) {
    let view = file_view_box(doc);
    let texts: Vec<Node> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .collect();
    assert!(texts.len() > 6 * 8, "{} texts", texts.len());
    for t in texts {
        let (ox, oy) = origin(t);
        let (x, y) = (ox + num(&t, "x"), oy + num(&t, "y"));
        let width = first_text(&t).chars().count() as f64 * NARROWEST;
        let (left, right) = match t.attribute("text-anchor") {
            Some("end") => (x - width, x),
            Some("middle") => (x - width / 2.0, x + width / 2.0),
            _ => (x, x + width),
        };
        let what = format!("{:?} at {x},{y}", first_text(&t));
        assert!(y - TEXT_UP >= 0.0 && y + TEXT_DOWN <= view[3], "{what}");
        assert!(left >= 0.0 && right <= view[2], "{what}");
        assert_eq!(t.attribute("font-size"), Some("15"), "{what}");
        if let Some(svg) = t
            .ancestors()
            .find(|a| a.has_tag_name("svg") && *a != doc.root_element())
        {
            let (sy, sh) = (num(&svg, "y"), num(&svg, "height"));
            assert!(
                y - TEXT_UP >= sy - 0.05 && y + TEXT_DOWN <= sy + sh + 0.05,
                "{what}"
            );
        }
    }
}

#[test]
fn a_small_chart_without_numbers_says_so_in_the_file() {
    // Oceania's one value filtered away: its small chart has nothing to draw.
    let site = facet_site("filter: {sector: Chips}\n");
    site.build().assert_ok();
    let file = site.page("briefs/grid/chart-1.svg");
    let doc = roxmltree::Document::parse(&file).unwrap();
    let root = doc.root_element();
    let nested = root.children().filter(|n| n.has_tag_name("svg")).count();
    assert_eq!(nested, 5, "Oceania has no chart");
    let facets: Vec<String> = doc
        .descendants()
        .filter(|n| has_class(n, "chart-file-facet"))
        .map(|n| first_text(&n))
        .collect();
    assert_eq!(facets, REGIONS, "but it keeps its label");
    assert!(
        doc.descendants()
            .any(|n| n.has_tag_name("text") && first_text(&n) == "No numbers to chart here."),
        "and says why it has no chart"
    );
    let desc = child_text(root, "desc");
    assert!(desc.contains("No numbers to chart for Oceania."), "{desc}");
    check_texts_inside(&doc);
}
