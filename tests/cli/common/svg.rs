//! Reading the SVG the binary writes: finding a chart's `<svg>` in a page, parsing it, and
//! reading its texts, lines, rectangles and marks, so each test compares drawn geometry with
//! its own numbers instead of repeating the plumbing.

use std::collections::BTreeMap;

pub use roxmltree::{Document, Node};

/// Every inline `<svg>…</svg>` of `html`, in order. Inline charts are never nested, so each
/// `<svg` runs to the next `</svg>`.
pub fn svgs(html: &str) -> Vec<&str> {
    html.match_indices("<svg")
        .map(|(at, _)| svg_at(html, at))
        .collect()
}

/// The `n`-th inline `<svg>…</svg>` of `html` (from 0), parsed.
pub fn nth_svg(html: &str, n: usize) -> Document<'_> {
    let at = html.match_indices("<svg").nth(n).expect("an svg").0;
    parse(svg_at(html, at))
}

/// The first `<svg>…</svg>` of `html`, if it has one.
pub fn first_svg(html: &str) -> Option<&str> {
    html.find("<svg").map(|at| svg_at(html, at))
}

/// The first `<svg>…</svg>` after the first `marker` in `html`, wherever it ends: the svg
/// need not be inside the element the marker starts (see [`figure_svg`] for one that must).
pub fn svg_after<'h>(html: &'h str, marker: &str) -> &'h str {
    let from = html
        .find(marker)
        .unwrap_or_else(|| panic!("{marker:?} in page"));
    first_svg(&html[from..]).expect("an svg")
}

/// The plain chart figure `id` (`<figure class="chart" id="…">`, not small multiples), from
/// its opening tag up to its `</figure>`.
pub fn chart_figure<'h>(html: &'h str, id: &str) -> &'h str {
    let from = html
        .find(&format!("<figure class=\"chart\" id=\"{id}\""))
        .unwrap_or_else(|| panic!("no figure {id}"));
    &html[from..from + html[from..].find("</figure>").expect("figure end")]
}

/// The `<svg>` drawn inside the plain chart figure `id`.
pub fn figure_svg<'h>(html: &'h str, id: &str) -> &'h str {
    first_svg(chart_figure(html, id)).unwrap_or_else(|| panic!("no svg in figure {id}"))
}

fn svg_at(html: &str, at: usize) -> &str {
    let end = at + html[at..].find("</svg>").expect("svg end") + "</svg>".len();
    &html[at..end]
}

/// `svg` parsed, panicking when it is not well-formed XML.
pub fn parse(svg: &str) -> Document<'_> {
    Document::parse(svg).expect("well-formed SVG")
}

/// Whether `n`'s `class` attribute holds the whole word `class`.
pub fn has_class(n: &Node, class: &str) -> bool {
    n.attribute("class")
        .is_some_and(|c| c.split(' ').any(|x| x == class))
}

/// The number in attribute `attr` of `n`, panicking when it is missing or not a number.
pub fn num(n: &Node, attr: &str) -> f64 {
    n.attribute(attr)
        .unwrap_or_else(|| panic!("no {attr} on {n:?}"))
        .parse()
        .unwrap_or_else(|e| panic!("{attr} on {n:?}: {e}"))
}

/// All the text children of `n`, joined (not its elements' texts, such as a `<title>`).
pub fn text_of(n: &Node) -> String {
    n.children()
        .filter(|c| c.is_text())
        .filter_map(|c| c.text())
        .collect()
}

/// The text of `n`'s first text child only, "" when it has none.
pub fn first_text(n: &Node) -> String {
    n.children()
        .find(|c| c.is_text())
        .and_then(|c| c.text())
        .unwrap_or_default()
        .to_string()
}

/// (text, x, y, anchor) of every `<text>` with `class`, in order; the anchor is `start` when
/// not written.
pub fn texts(doc: &Document, class: &str) -> Vec<(String, f64, f64, String)> {
    doc.descendants()
        .filter(|n| n.has_tag_name("text") && has_class(n, class))
        .map(|n| {
            let anchor = n.attribute("text-anchor").unwrap_or("start").to_string();
            (text_of(&n), num(&n, "x"), num(&n, "y"), anchor)
        })
        .collect()
}

/// The text of the first `<desc>`.
pub fn desc(doc: &Document) -> String {
    let d = doc
        .descendants()
        .find(|n| n.has_tag_name("desc"))
        .expect("a <desc>");
    text_of(&d)
}

/// The numbers of the root's `viewBox`.
pub fn view_box(doc: &Document) -> Vec<f64> {
    let v = doc.root_element().attribute("viewBox").expect("a viewBox");
    v.split(' ').map(|n| n.parse().unwrap()).collect()
}

/// The `points` of a `<polyline>`, as (x, y) pairs.
pub fn points_of(n: &Node) -> Vec<(f64, f64)> {
    n.attribute("points")
        .expect("points")
        .split_whitespace()
        .map(|p| {
            let (x, y) = p.split_once(',').unwrap();
            (x.parse().unwrap(), y.parse().unwrap())
        })
        .collect()
}

/// The polylines of `class` as lists of points.
pub fn polylines(doc: &Document, class: &str) -> Vec<Vec<(f64, f64)>> {
    doc.descendants()
        .filter(|n| n.has_tag_name("polyline") && has_class(n, class))
        .map(|n| points_of(&n))
        .collect()
}

/// (x, y, width, height) of every `<rect>` with `class`, in order.
pub fn rects(doc: &Document, class: &str) -> Vec<(f64, f64, f64, f64)> {
    doc.descendants()
        .filter(|n| n.has_tag_name("rect") && has_class(n, class))
        .map(|n| {
            (
                num(&n, "x"),
                num(&n, "y"),
                num(&n, "width"),
                num(&n, "height"),
            )
        })
        .collect()
}

/// The `chart-series-…` class of `n`, panicking when it has none.
pub fn series_class(n: &Node) -> String {
    let class = n.attribute("class").expect("a class");
    class
        .split(' ')
        .find(|c| c.starts_with("chart-series-"))
        .unwrap_or_else(|| panic!("no series class in {class:?}"))
        .to_string()
}

/// A mark's key, when `n` is a mark (has `data-value`): (data-label, data-series,
/// data-value) as written, "" for a missing label or series.
pub fn mark_key(n: &Node) -> Option<(String, String, String)> {
    let value = n.attribute("data-value")?;
    Some((
        n.attribute("data-label").unwrap_or_default().to_string(),
        n.attribute("data-series").unwrap_or_default().to_string(),
        value.to_string(),
    ))
}

/// `attr=value` for each of `attrs` that `n` has, in the order of `attrs`: a mark's geometry
/// as written, to compare two drawings of it exactly.
pub fn geometry(n: &Node, attrs: &[&str]) -> Vec<String> {
    attrs
        .iter()
        .filter_map(|a| n.attribute(*a).map(|v| format!("{a}={v}")))
        .collect()
}

/// `value → y` from the first and last tick labels of the value axis (class `chart-tick`),
/// read from the SVG; a minus sign (U+2212) reads as `-`.
pub fn value_to_y(doc: &Document) -> impl Fn(f64) -> f64 {
    let ticks: Vec<(f64, f64)> = texts(doc, "chart-tick")
        .into_iter()
        .map(|(t, _, y, _)| (t.replace('\u{2212}', "-").parse().unwrap(), y))
        .collect();
    let ((v0, y0), (v1, y1)) = (ticks[0], ticks[ticks.len() - 1]);
    move |v| y0 + (v - v0) * (y1 - y0) / (v1 - v0)
}

/// `&lt;` and friends, back to text: a snippet shown as code, read as the markup it is.
pub fn unescape(html: &str) -> String {
    html.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}

/// The attributes of the first `<img …>` in `markup`, read as XML.
pub fn img_attributes(markup: &str) -> BTreeMap<String, String> {
    let start = markup.find("<img ").expect("an <img>");
    let end = start + markup[start..].find('>').unwrap();
    let element = format!("{}/>", &markup[start..end]);
    let doc = Document::parse(&element).expect("the <img> is well-formed");
    doc.root_element()
        .attributes()
        .map(|a| (a.name().to_string(), a.value().to_string()))
        .collect()
}
