//! Embeddable charts (issue 16): every chart of a brief, maps included, is also a standalone
//! SVG file beside its page (`chart-N.svg`, the N of its `chart-N.csv`), valid on its own
//! (XML, the SVG namespace, its title, source and notes as text, a light and dark `<style>`,
//! no script or external reference), with the inline chart's marks in the inline chart's
//! places; and the page offers the HTML to embed it, as text to copy.

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::svg::{
    Document, first_svg, geometry, img_attributes, mark_key, num, unescape, view_box,
};
use crate::common::*;

const SVG_NS: &str = "http://www.w3.org/2000/svg";
/// Room a row of text needs above and below its centre line, as the chart code reserves it
/// (0.95 and 0.65 of the 15-unit font).
const TEXT_UP: f64 = 14.25;
const TEXT_DOWN: f64 = 9.75;

const SPEND: &str = "country,year,spend\n\
France,2024,2.5\n\
France,2025,3\n\
Japan,2024,7.75\n\
Japan,2025,8\n\
Kazakhstan,2025,1.2\n";
const BAR_DATA: &str =
    "country,spend\nFrance,2.5\nJapan,7.75\nKazakhstan,1.2\nAtlantis,Undisclosed\n";

const LONG_TITLE: &str = "Spend on sovereign compute, data centres and the cloud capacity \
    that governments pledged in 2024 and 2025, by country, as announced";

fn charts_site() -> TestSite {
    let site = TestSite::new();
    site.write("content/data/spend.csv", SPEND);
    site.write("content/data/bar.csv", BAR_DATA);
    let body = format!(
        "Intro.\n\n\
         ```chart\ndata: bar.csv\ntype: bar\nx: country\ny: spend\nunit: USD bn\n\
         title: \"Spend by country & \\\"partner\\\"\"\nsource: Ministry figures <2025> & press releases\n```\n\n\
         ```chart\ndata: spend.csv\ntype: line\nx: year\ny: spend\nseries: country\nunit: USD bn\n\
         title: {LONG_TITLE}\n```\n\n\
         ```chart\ndata: spend.csv\ntype: map\nx: country\ny: spend\nunit: USD bn\n\
         title: Spend on the map\nsource: Briefing Desk\n```\n"
    );
    site.brief(
        "charts.md",
        "title: Three charts & a map\ndate: 2025-11-20",
        &body,
    );
    site
}

/// The text between `open` (after its first `>`) and `close`, from `from` in `html`.
fn between<'h>(html: &'h str, open: &str, close: &str) -> Option<&'h str> {
    let start = html.find(open)?;
    let start = start + html[start..].find('>')? + 1;
    let end = start + html[start..].find(close)?;
    Some(&html[start..end])
}

/// One chart figure of a page, as the page shows it.
struct Figure {
    number: usize,
    title: String,
    source: Option<String>,
    notes: Vec<String>,
    /// The inline `<svg>…</svg>`, when the figure could draw a chart.
    svg: Option<String>,
    html: String,
}

/// Every chart figure of the brief `slug`'s page, drawn or not.
fn figures(html: &str, slug: &str) -> Vec<Figure> {
    let marker = "<figure class=\"chart\" id=\"";
    html.match_indices(marker)
        .map(|(at, _)| {
            let end = at + html[at..].find("</figure>").unwrap();
            let f = &html[at..end];
            let id = &f[marker.len()..f[marker.len()..].find('"').unwrap() + marker.len()];
            let number = id
                .strip_prefix(&format!("chart-{slug}-"))
                .unwrap()
                .parse()
                .unwrap();
            let svg = first_svg(f).map(str::to_string);
            Figure {
                number,
                title: unescape(between(f, "<span class=\"chart-title\"", "</span>").unwrap()),
                source: between(f, "<p class=\"chart-source\"", "</p>").map(unescape),
                notes: f
                    .match_indices("<p class=\"chart-note\"")
                    .map(|(i, _)| unescape(between(&f[i..], "<p", "</p>").unwrap()))
                    .collect(),
                svg,
                html: f.to_string(),
            }
        })
        .collect()
}

/// Every mark of an SVG (an element with `data-value`): (label, series, value) → (x, y,
/// width, height) as written, `cx`/`cy` for points; the map's shapes by their outline.
type Marks = BTreeMap<(String, String, String), Vec<String>>;

fn marks(doc: &Document) -> Marks {
    doc.descendants()
        .filter_map(|n| {
            let attrs = ["x", "y", "width", "height", "cx", "cy", "r", "d"];
            Some((mark_key(&n)?, geometry(&n, &attrs)))
        })
        .collect()
}

/// The texts of the file's rows of class `class`, in order, joined as one text.
/// Kept here, not in common::svg: it matches `class` as a substring and panics on a row with
/// no text, unlike `svg::texts`; sharing it would change what it checks.
fn row_text(doc: &roxmltree::Document, class: &str) -> String {
    doc.descendants()
        .filter(|n| n.has_tag_name("text") && n.attribute("class").unwrap().contains(class))
        .map(|n| n.children().find(|c| c.is_text()).unwrap().text().unwrap())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Checks the standalone file of `fig` against the figure and its inline SVG.
fn check_file(out: &Path, slug: &str, fig: &Figure) {
    let rel = format!("briefs/{slug}/chart-{}.svg", fig.number);
    let text = std::fs::read_to_string(out.join(&rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    assert!(
        text.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg "),
        "{rel}"
    );
    let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().namespace(), Some(SVG_NS), "{rel}");
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(root.attribute("role"), Some("img"));
    let title = root.children().find(|n| n.has_tag_name("title")).unwrap();
    assert_eq!(title.text(), Some(fig.title.as_str()), "{rel}");
    assert!(root.children().any(|n| n.has_tag_name("desc")), "{rel}");
    let style = root.children().find(|n| n.has_tag_name("style")).unwrap();
    let css = style.text().unwrap();
    assert!(
        css.contains("@media (prefers-color-scheme: dark)"),
        "{rel}: {css}"
    );
    assert!(css.contains("font-family"), "{rel}");
    // Nothing runs, nothing is fetched: no script, no link, no URL but the file's own ids.
    for n in doc.descendants().filter(|n| n.is_element()) {
        assert!(!n.has_tag_name("script") && !n.has_tag_name("a"), "{rel}");
        for a in n.attributes() {
            assert!(
                a.name() != "href" && a.name() != "src",
                "{rel}: {}",
                a.name()
            );
            assert!(
                !a.value().contains("url(") || a.value().starts_with("url(#"),
                "{rel}: {}",
                a.value()
            );
        }
    }
    assert!(!css.contains("url(") && !css.contains("@import"), "{rel}");
    // The rows say what the figure says around the chart, in order.
    assert_eq!(row_text(&doc, "chart-file-title"), fig.title, "{rel}");
    match &fig.source {
        Some(source) => assert_eq!(&row_text(&doc, "chart-file-source"), source, "{rel}"),
        None => assert_eq!(row_text(&doc, "chart-file-source"), "", "{rel}"),
    }
    assert_eq!(
        row_text(&doc, "chart-file-note"),
        fig.notes.join(" "),
        "{rel}"
    );
    check_places(&rel, &doc, fig);
}

/// The file's rows lie inside the viewBox, none over another; returns where the room for
/// the chart begins (under the title rows) and ends (over the source and note rows).
fn check_rows(rel: &str, doc: &roxmltree::Document) -> (f64, f64) {
    let height = view_box(doc)[3];
    let rows = |class: &str| -> Vec<f64> {
        doc.descendants()
            .filter(|n| n.has_tag_name("text"))
            .filter(|n| n.attribute("class").is_some_and(|c| c.contains(class)))
            .map(|n| num(&n, "y"))
            .collect()
    };
    let titles = rows("chart-file-title");
    let below: Vec<f64> = [rows("chart-file-source"), rows("chart-file-note")].concat();
    assert!(titles[0] - TEXT_UP >= 0.0, "{rel}: the title is cut off");
    assert!(
        below.iter().all(|y| y + TEXT_DOWN <= height),
        "{rel}: a row below is cut off"
    );
    let mut all = [titles.clone(), below.clone()].concat();
    all.sort_by(f64::total_cmp);
    assert!(
        all.windows(2)
            .all(|w| w[1] - w[0] >= TEXT_UP + TEXT_DOWN - 0.05),
        "{rel}: rows overlap: {all:?}"
    );
    let top = titles.iter().cloned().fold(0.0, f64::max) + TEXT_DOWN;
    let bottom = below.iter().map(|y| y - TEXT_UP).fold(height, f64::min);
    (top, bottom)
}

/// The file holds the inline chart as the page draws it, every mark where the page has it,
/// in one nested `<svg>` placed under the title rows and over the rows below, at the page's
/// size; and no mark outside it.
fn check_places(rel: &str, doc: &roxmltree::Document, fig: &Figure) {
    let inline = roxmltree::Document::parse(fig.svg.as_deref().unwrap()).unwrap();
    let root = doc.root_element();
    let nested: Vec<_> = root.children().filter(|n| n.has_tag_name("svg")).collect();
    assert_eq!(nested.len(), 1, "{rel}: one nested chart");
    let chart = nested[0];
    let inline_marks = marks(&inline);
    assert!(!inline_marks.is_empty(), "{rel}");
    assert_eq!(
        marks(doc),
        inline_marks,
        "{rel}: the file's marks are the page's"
    );
    assert!(
        doc.descendants()
            .filter(|n| mark_key(n).is_some())
            .all(|n| n.ancestors().any(|a| a == chart)),
        "{rel}: every mark is inside the chart"
    );
    let (file_view, inline_view) = (view_box(doc), view_box(&inline));
    assert_eq!(num(&root, "height"), file_view[3], "{rel}");
    assert_eq!(num(&root, "width"), file_view[2], "{rel}");
    let inline_box = inline.root_element().attribute("viewBox");
    assert_eq!(
        chart.attribute("viewBox"),
        inline_box,
        "{rel}: the page's viewBox"
    );
    assert_eq!(
        num(&chart, "width"),
        inline_view[2],
        "{rel}: one unit a unit"
    );
    assert_eq!(
        num(&chart, "height"),
        inline_view[3],
        "{rel}: one unit a unit"
    );
    assert_eq!(
        chart.attribute("x").map_or(0.0, |x| x.parse().unwrap()),
        0.0
    );
    let (top, bottom) = check_rows(rel, doc);
    let y = num(&chart, "y");
    assert!(
        y >= top - 0.05,
        "{rel}: the chart starts under the title rows"
    );
    assert!(
        y + inline_view[3] <= bottom + 0.05,
        "{rel}: the chart ends above the rows below ({y} + {} > {bottom})",
        inline_view[3]
    );
}

/// The page's "Embed this chart" for `fig`: the markup in its `<pre><code>`, unescaped.
fn embed_markup(fig: &Figure) -> String {
    let at = fig
        .html
        .find("<details class=\"chart-embed\"><summary>Embed this chart</summary>")
        .unwrap_or_else(|| panic!("chart {} has no embed snippet", fig.number));
    let download = fig.html.find("<p class=\"chart-download\">").unwrap();
    assert!(download < at, "the snippet comes after the CSV download");
    let code = between(&fig.html[at..], "<code", "</code></pre>").unwrap();
    assert!(
        !code.contains('<'),
        "the snippet is text, not live markup: {code}"
    );
    unescape(code)
}

fn check_embed(out: &Path, base: &str, slug: &str, fig: &Figure) {
    let markup = embed_markup(fig);
    let img = img_attributes(&markup);
    let url = format!("{base}/briefs/{slug}/chart-{}.svg", fig.number);
    assert_eq!(img["src"], url, "{markup}");
    let alt = &img["alt"];
    assert!(alt.starts_with(&format!("{}: ", fig.title)), "{alt}");
    assert!(alt.len() > fig.title.len() + 4, "{alt}");
    let path = out.join(url.strip_prefix(&format!("{base}/")).unwrap());
    assert!(path.is_file(), "{}", path.display());
    let file = std::fs::read_to_string(&path).unwrap();
    let doc = roxmltree::Document::parse(&file).unwrap();
    assert_eq!(img["width"], doc.root_element().attribute("width").unwrap());
    assert_eq!(
        img["height"],
        doc.root_element().attribute("height").unwrap()
    );
    assert!(
        markup.contains(&format!("<a href=\"{base}/briefs/{slug}/\">")),
        "the credit links the brief: {markup}"
    );
}

#[test]
fn every_chart_of_a_brief_has_a_standalone_file_and_a_snippet() {
    let site = charts_site();
    site.build().assert_ok();
    let html = site.page("briefs/charts/index.html");
    let figs = figures(&html, "charts");
    assert_eq!(figs.len(), 3);
    for fig in &figs {
        let svg = fig.svg.as_deref().expect("every chart here is drawn");
        assert!(
            !svg.contains("<style"),
            "the inline chart has no style of its own"
        );
        check_file(&site.out(), "charts", fig);
        check_embed(&site.out(), "https://briefs.example.org", "charts", fig);
    }
    // The bar chart's title and source, with their markup characters, reach the file as text.
    assert_eq!(figs[0].title, "Spend by country & \"partner\"");
    assert_eq!(
        figs[0].source.as_deref(),
        Some("Source: Ministry figures <2025> & press releases")
    );
    assert_eq!(figs[0].notes.len(), 1, "Atlantis is not charted: a note");
    // The long title wraps into rows of its own.
    let line = site.page("briefs/charts/chart-2.svg");
    let doc = roxmltree::Document::parse(&line).unwrap();
    let rows = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("chart-text chart-file-title"))
        .count();
    assert!(rows >= 2, "the long title takes {rows} rows");
}

#[test]
fn example_charts_have_their_files_and_builds_repeat_byte_for_byte() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (_a, first) = build_into_temp(root);
    let (_b, second) = build_into_temp(root);
    let slug = "ai-infrastructure-spend";
    let html = std::fs::read_to_string(first.join(format!("briefs/{slug}/index.html"))).unwrap();
    let figs = figures(&html, slug);
    assert!(figs.len() >= 2, "the example brief has charts");
    let base = std::fs::read_to_string(root.join("site.yaml")).unwrap();
    let base = base
        .lines()
        .find_map(|l| l.strip_prefix("base_url:"))
        .unwrap()
        .trim()
        .trim_matches('"')
        .trim_end_matches('/')
        .to_string();
    let drawn: Vec<&Figure> = figs.iter().filter(|f| f.svg.is_some()).collect();
    assert!(
        drawn.len() >= 2,
        "the example brief draws a bar chart and a map"
    );
    for fig in &figs {
        let file = format!("briefs/{slug}/chart-{}.svg", fig.number);
        if fig.svg.is_none() {
            // Nothing drawn, nothing to embed: the table and the CSV stay.
            assert!(!first.join(&file).exists(), "{file}");
            assert!(!fig.html.contains("chart-embed"), "{file}");
            continue;
        }
        check_file(&first, slug, fig);
        check_embed(&first, &base, slug, fig);
    }
    let svgs = |out: &Path| -> BTreeMap<String, Vec<u8>> {
        tree(out)
            .into_iter()
            .filter(|(p, _)| p.ends_with(".svg"))
            .collect()
    };
    let (a, b) = (svgs(&first), svgs(&second));
    assert_eq!(
        a.len(),
        drawn.len(),
        "one file per drawn chart: {:?}",
        a.keys()
    );
    assert_eq!(a, b, "two builds, the same bytes");
}

#[test]
fn site_wide_charts_have_no_files_and_no_snippet() {
    let site = charts_site();
    site.build().assert_ok();
    for page in ["regions/index.html", "index.html"] {
        let html = site.page(page);
        assert!(!html.contains("chart-embed"), "{page}");
    }
    let files: Vec<String> = tree(&site.out())
        .into_keys()
        .filter(|p| p.ends_with(".svg"))
        .collect();
    assert!(
        files.iter().all(|p| p.starts_with("briefs/charts/chart-")),
        "{files:?}"
    );
}

#[test]
fn a_chart_with_nothing_to_draw_has_no_file() {
    let site = TestSite::new();
    site.write("content/data/t.csv", "country,spend\nFrance,Undisclosed\n");
    site.brief(
        "empty.md",
        "title: Empty\ndate: 2025-11-20",
        "```chart\ndata: t.csv\ntype: bar\nx: country\ny: spend\n```\n",
    );
    site.build().assert_ok();
    assert!(site.exists("briefs/empty/chart-1.csv"));
    assert!(!site.exists("briefs/empty/chart-1.svg"));
    assert!(!site.page("briefs/empty/index.html").contains("chart-embed"));
}

#[test]
fn an_autolink_is_marked_so_print_does_not_repeat_its_address() {
    let site = TestSite::new();
    site.brief(
        "links.md",
        "title: Links\ndate: 2025-11-20",
        "See <https://example.org/a?b=1&c=2> and [the office](https://example.org/office).\n",
    );
    site.build().assert_ok();
    let html = site.page("briefs/links/index.html");
    assert!(
        html.contains(
            "<a href=\"https://example.org/a?b=1&amp;c=2\" class=\"link-url\">https://example.org/a?b=1&amp;c=2</a>"
        ),
        "{html}"
    );
    assert!(html.contains("<a href=\"https://example.org/office\">the office</a>"));
    let css = site.page("style.css");
    assert!(css.contains(".prose a[href^=\"http\"]:not(figure.chart a, .link-url)::after"));
}
