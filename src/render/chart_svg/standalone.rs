//! A chart as a file of its own (`chart-N.svg`, beside the brief's page), for other sites to
//! embed: the chart the page shows, with rows the page gives in HTML (the title above the
//! chart, the source and notes below it) and a `<style>` of its own, light and dark, since no
//! site stylesheet reaches an SVG shown as an image.
//!
//! Nothing is laid out or drawn again: the file's rows are placed in the chart's coordinates,
//! at negative `y` above it and past its height below it, and drawn lower by the rows above,
//! in a viewBox grown to hold them; the chart's marks, as drawn for the page, sit in a nested
//! `<svg>` at that depth (drawing every mark a second time was most of a file's cost). The
//! style is read from the built-in stylesheet (its chart rules and the custom properties they
//! use, light and dark), so the two cannot drift.

use std::fmt::Write as _;
use std::sync::OnceLock;

use plotters::drawing::IntoDrawingArea;
use plotters::element::BackendCoordOnly;
use plotters::style::RGBColor;
use plotters::style::text_anchor::HPos;

use super::WIDTH;
use super::backend::{ChartBackend, Names, Standalone, Units, WrittenAt};
use super::draw;
use super::layout::PAD;
use super::scene::Op;
use super::text::{LINE, Label, TEXT_UP, clean, measure};

/// What the file shows around the chart, as the page's figure shows it.
pub(crate) struct Frame<'a> {
    pub(crate) title: &'a str,
    pub(crate) source: Option<&'a str>,
    /// The honesty notes, in the figure's order.
    pub(crate) notes: &'a [String],
}

/// A chart's standalone file.
pub(crate) struct File {
    pub(crate) svg: String,
    /// Its size in CSS px (one per viewBox unit), for an `<img>`'s `width` and `height`.
    pub(crate) width: u32,
    pub(crate) height: u32,
    /// A short text alternative: the accessible title and the `<desc>`'s first sentence.
    pub(crate) alt: String,
}

/// The class of the file's root element; its style's rules are scoped by it, so a file's
/// contents pasted into a page restyle nothing else there.
const ROOT_CLASS: &str = "chart-file";
/// Space between the rows and the chart.
const GAP: f64 = 8.0;
/// How much wider bold text is than the regular text [`measure`] measures (DejaVu Sans Bold
/// runs about 10% wider; the reader's sans-serif is covered by measure's own margin).
const BOLD: f64 = 1.12;
/// Most lines of each row; past them the last line ends in "…" and its `<title>` holds the
/// whole text. The text wrapped is cut at [`MAX_CHARS`] first, so the work is bounded.
const TITLE_LINES: usize = 3;
const SOURCE_LINES: usize = 3;
const NOTE_LINES: usize = 4;
const MAX_CHARS: usize = 1200;
/// The longest alt text, in characters.
const MAX_ALT: usize = 300;
/// Light-mode fallback of the file's ground (`--bg`).
const GROUND: RGBColor = RGBColor(0xfd, 0xfc, 0xf9);

/// The standalone file of a chart `height` units tall whose inline SVG's marks are
/// `marks` ([`draw::draw_marked`]), named as the inline SVG is.
pub(crate) fn file(marks: &str, height: u32, names: &Names, frame: &Frame) -> Result<File, String> {
    let rows = rows(frame, WIDTH, f64::from(height));
    let root = rows.root(WIDTH);
    Ok(File {
        svg: draw_file(&root, &rows.ops, names, (marks, height))?,
        width: WIDTH as u32,
        height: root.above + height + root.below,
        alt: alt(names.title, names.desc),
    })
}

/// The file: its own elements (`own`: ground and rows, in the chart's coordinates, the rows
/// above it at negative `y`) drawn `root.above` units down, then the chart's marks as the
/// page has them, in a nested `<svg>` placed there.
fn draw_file(
    root: &Standalone,
    own: &[Op],
    names: &Names,
    (marks, height): (&str, u32),
) -> Result<String, String> {
    let err = |e| format!("the chart's file could not be drawn: {e}");
    let mut out = String::with_capacity(1024 + root.style.len() + own.len() * 160 + marks.len());
    {
        let area = ChartBackend::start(&mut out, height, names, Some(root))
            .into_drawing_area()
            .apply_coord_spec(Units {
                down: f64::from(root.above),
            });
        let text = draw::text_style();
        for op in own {
            draw::draw_op(&area, op, &text).map_err(err)?;
        }
        let chart = WrittenAt {
            at: [(0.0, 0.0)],
            write: |backend: &mut ChartBackend, at| backend.embed(at, height, marks),
        };
        area.draw::<WrittenAt<_>, BackendCoordOnly>(&chart)
            .map_err(err)?;
        area.present().map_err(err)?;
    }
    Ok(out)
}

/// The file's own elements around a content `width` wide and `height` tall: its ground, the
/// title rows above (at negative `y`) and the source and note rows below, and the room they
/// take above and below.
pub(super) struct Rows {
    pub(super) ops: Vec<Op>,
    above: u32,
    below: u32,
}

impl Rows {
    /// The file's root around these rows, `width` wide.
    pub(super) fn root(&self, width: f64) -> Standalone<'static> {
        Standalone {
            above: self.above,
            below: self.below,
            class: ROOT_CLASS,
            style: style(),
            width,
        }
    }
}

pub(super) fn rows(frame: &Frame, width: f64, height: f64) -> Rows {
    let room = width - 2.0 * PAD;
    let mut ops = Vec::new();
    // Rows above the chart grow upwards from `-GAP`; compute their lines first.
    let title = wrap(frame.title, room / BOLD, TITLE_LINES);
    let above = (PAD + title.len() as f64 * LINE + GAP).ceil();
    let mut y = -above + PAD + TEXT_UP;
    for line in title {
        ops.push(text(line, y, "chart-text chart-file-title"));
        y += LINE;
    }
    let mut y = height + GAP + TEXT_UP;
    let source = frame.source.map(|s| format!("Source: {s}"));
    let rows = source
        .iter()
        .map(|s| (s.as_str(), SOURCE_LINES, "chart-text chart-file-source"))
        .chain(
            frame
                .notes
                .iter()
                .map(|n| (n.as_str(), NOTE_LINES, "chart-text chart-file-note")),
        );
    let mut below = GAP + PAD;
    for (row, lines, class) in rows {
        for line in wrap(row, room, lines) {
            ops.push(text(line, y, class));
            y += LINE;
            below += LINE;
        }
    }
    let below = below.ceil();
    // The ground first, under everything: an embedding page's own colours stay outside.
    ops.insert(
        0,
        Op::Rect {
            x0: 0.0,
            y0: -above,
            x1: width,
            y1: height + below,
            colour: GROUND,
            class: "chart-file-ground".to_string(),
            mark: None,
        },
    );
    Rows {
        ops,
        above: above as u32,
        below: below as u32,
    }
}

fn text(label: Label, y: f64, class: &'static str) -> Op {
    left_text(label, PAD, y, class)
}

/// A text of the file's own, starting at `x`.
pub(super) fn left_text(label: Label, x: f64, y: f64, class: &'static str) -> Op {
    Op::Text {
        x,
        y,
        label,
        anchor: HPos::Left,
        class,
    }
}

/// `text` in lines at most `max` wide, at most `lines` of them: when more would be needed,
/// the last is shortened with "…" and keeps the whole text for its `<title>`. Words wider
/// than a line are broken between characters.
pub(crate) fn wrap(text: &str, max: f64, lines: usize) -> Vec<Label> {
    let whole = clean(text);
    let cut: String = whole.chars().take(MAX_CHARS).collect();
    let space = measure(" ");
    let mut out: Vec<String> = Vec::new();
    let (mut line, mut width) = (String::new(), 0.0);
    for word in cut.split_whitespace() {
        let w = measure(word);
        if !line.is_empty() && width + space + w <= max {
            line.push(' ');
            line.push_str(word);
            width += space + w;
            continue;
        }
        if !line.is_empty() {
            out.push(std::mem::take(&mut line));
        }
        width = 0.0;
        if w <= max {
            line.push_str(word);
            width = w;
            continue;
        }
        let mut buf = [0u8; 4];
        for c in word.chars() {
            let cw = measure(c.encode_utf8(&mut buf));
            if width + cw > max && !line.is_empty() {
                out.push(std::mem::take(&mut line));
                width = 0.0;
            }
            line.push(c);
            width += cw;
        }
    }
    if !line.is_empty() {
        out.push(line);
    }
    let cut_short = cut.len() < whole.len();
    if out.len() <= lines && !cut_short {
        return out.iter().map(|l| Label::new(l)).collect();
    }
    let keep = lines.saturating_sub(1).min(out.len());
    let rest = out[keep..].join(" ");
    let mut labels: Vec<Label> = out[..keep].iter().map(|l| Label::new(l)).collect();
    if lines > 0 {
        // "…" even when the rest would fit: the text goes on past the cut.
        let mut last = Label::fitted(&format!("{rest}\u{2026}"), max);
        last.full = Some(whole);
        labels.push(last);
    }
    labels
}

/// The alt text of an `<img>` of the file: `Title: Bar chart. 5 categories (region); …`,
/// the desc's first sentence, which for a chart is its kind and title (said once here), so
/// the next sentence comes with it.
pub(crate) fn alt(title: &str, desc: &str) -> String {
    let first = |s: &str| s.find(". ").map_or(s.to_string(), |i| s[..=i].to_string());
    let short = match desc.split_once(&format!(": {title}. ")) {
        Some((kind, rest)) if !kind.contains(". ") => format!("{kind}. {}", first(rest)),
        _ => first(desc),
    };
    let alt = format!("{title}: {short}");
    if alt.chars().count() <= MAX_ALT {
        return alt;
    }
    let mut cut: String = alt.chars().take(MAX_ALT - 1).collect();
    cut.push('\u{2026}');
    cut
}

/// The file's style, built once from the built-in stylesheet.
fn style() -> &'static str {
    static STYLE: OnceLock<String> = OnceLock::new();
    STYLE.get_or_init(|| build_style(crate::render::STYLESHEET))
}

/// The file's own rules, by class: its ground and rows, in the page's colours for the same
/// things.
const FILE_RULES: [(&str, &str); 5] = [
    ("chart-file-ground", "fill: var(--bg);"),
    ("chart-file-title", "fill: var(--fg); font-weight: 700;"),
    ("chart-file-facet", "fill: var(--fg);"),
    ("chart-file-source", "fill: var(--muted);"),
    ("chart-file-note", "fill: var(--muted);"),
];

/// Properties a chart rule may set to be copied into the file: paint, not page layout.
const PAINT: [&str; 6] = [
    "fill",
    "stroke",
    "stroke-width",
    "stroke-linejoin",
    "font-family",
    "--chart-series",
];

/// A CSS rule: its `@media` condition (one level), selectors and declarations.
struct Rule<'s> {
    media: Option<&'s str>,
    selectors: &'s str,
    body: &'s str,
}

/// The rules of `css` (without comments), `@media` blocks opened one level.
fn rules<'s>(css: &'s str, media: Option<&'s str>, out: &mut Vec<Rule<'s>>) {
    let mut rest = css;
    while let Some(open) = rest.find('{') {
        let prelude = rest[..open].trim();
        let after = &rest[open + 1..];
        let mut depth = 1;
        let Some(end) = after.char_indices().find_map(|(i, c)| {
            depth += match c {
                '{' => 1,
                '}' => -1,
                _ => 0,
            };
            (depth == 0).then_some(i)
        }) else {
            return;
        };
        let inner = &after[..end];
        match prelude.strip_prefix("@media") {
            Some(query) => rules(inner, Some(query.trim()), out),
            None => out.push(Rule {
                media,
                selectors: prelude,
                body: inner,
            }),
        }
        rest = &after[end + 1..];
    }
}

fn without_comments(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        rest = rest[start..]
            .find("*/")
            .map_or("", |end| &rest[start + end + 2..]);
    }
    out.push_str(rest);
    out
}

/// `name: value` pairs, each value's spaces and line breaks made single spaces.
fn declarations(body: &str) -> impl Iterator<Item = (&str, String)> {
    body.split(';')
        .filter_map(|d| d.split_once(':'))
        .map(|(name, value)| {
            let value: Vec<&str> = value.split_whitespace().collect();
            (name.trim(), value.join(" "))
        })
}

/// `figure.chart .chart-bar` → `chart-bar`, for the classes the SVG's elements carry.
fn chart_class(selector: &str) -> Option<&str> {
    let class = selector.trim().strip_prefix("figure.chart .")?;
    let ok = (class.starts_with("chart-") || class.starts_with("map-"))
        && class
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    ok.then_some(class)
}

/// The names of the custom properties `value` reads: `var(--chart-1)` → `--chart-1`.
fn vars(value: &str) -> impl Iterator<Item = &str> {
    value.split("var(").skip(1).filter_map(|v| {
        let end = v.find([')', ',', ' '])?;
        Some(v[..end].trim())
    })
}

/// The file's CSS from `stylesheet`: the custom properties the chart rules read, from its
/// `:root` and its dark `:root`; the chart rules (`figure.chart .chart-…`, `.map-…`) that
/// paint, scoped by the root class; then the file's own rules.
pub(crate) fn build_style(stylesheet: &str) -> String {
    let css = without_comments(stylesheet);
    let mut all = Vec::new();
    rules(&css, None, &mut all);
    let root = |media: Option<&str>| {
        all.iter()
            .filter(|r| r.media == media && r.selectors == ":root")
            .flat_map(|r| declarations(r.body))
            .filter(|(name, _)| name.starts_with("--"))
            .collect::<Vec<_>>()
    };
    let (light, dark) = (root(None), root(Some("(prefers-color-scheme: dark)")));
    let body = chart_rules(&all);
    let needed = needed_properties(&body, &light, &dark);
    let props = |set: &[(&str, String)]| -> String {
        set.iter()
            .filter(|(n, _)| needed.contains(n))
            .map(|(n, v)| format!("{n}: {v};"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    format!(
        ".{ROOT_CLASS} {{ {} font-family: var(--font-sans, sans-serif); }}\n\
         @media (prefers-color-scheme: dark) {{ .{ROOT_CLASS} {{ {} }} }}\n{body}",
        props(&light),
        props(&dark)
    )
}

/// The stylesheet's chart rules that paint, scoped by the root class, then the file's own.
fn chart_rules(all: &[Rule]) -> String {
    let mut body = String::new();
    for rule in all.iter().filter(|r| r.media.is_none()) {
        let Some(classes) = rule
            .selectors
            .split(',')
            .map(chart_class)
            .collect::<Option<Vec<_>>>()
        else {
            continue;
        };
        if !declarations(rule.body).all(|(name, _)| PAINT.contains(&name)) {
            continue;
        }
        let selectors: Vec<String> = classes
            .iter()
            .map(|c| format!(".{ROOT_CLASS} .{c}"))
            .collect();
        let decls: Vec<String> = declarations(rule.body)
            .map(|(n, v)| format!("{n}: {v};"))
            .collect();
        let _ = writeln!(body, "{} {{ {} }}", selectors.join(", "), decls.join(" "));
    }
    for (class, decls) in FILE_RULES {
        let _ = writeln!(body, ".{ROOT_CLASS} .{class} {{ {decls} }}");
    }
    body
}

/// Every custom property `rules` read, and those the properties read in turn.
fn needed_properties<'n>(
    rules: &'n str,
    light: &'n [(&'n str, String)],
    dark: &'n [(&'n str, String)],
) -> Vec<&'n str> {
    let mut needed: Vec<&str> = vars(rules).collect();
    let mut i = 0;
    while i < needed.len() {
        let name = needed[i];
        let more: Vec<&str> = light
            .iter()
            .chain(dark)
            .filter(|(n, _)| *n == name)
            .flat_map(|(_, v)| vars(v))
            .filter(|v| !needed.contains(v))
            .collect();
        needed.extend(more);
        i += 1;
    }
    needed
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The custom properties a block of CSS defines: `--chart-1: #0d5a9e;` → name, value.
    fn defined<'c>(css: &'c str, block: &str) -> Vec<(&'c str, &'c str)> {
        let start = css.find(block).unwrap() + block.len();
        let end = start + css[start..].find('}').unwrap();
        css[start..end]
            .split(';')
            .filter_map(|d| d.split_once(':'))
            .map(|(n, v)| (n.trim(), v.trim()))
            .filter(|(n, _)| n.starts_with("--"))
            .collect()
    }

    #[test]
    fn the_style_paints_every_class_a_chart_draws_light_and_dark() {
        let css = style();
        assert!(!css.contains("]]>") && !css.contains("url(") && !css.contains("figure"));
        let classes = (1..=8)
            .map(|i| format!("chart-series-{i}"))
            .chain((1..=7).map(|i| format!("map-fill-{i}")))
            .chain(
                [
                    "chart-text",
                    "chart-axis",
                    "chart-grid",
                    "chart-bar",
                    "chart-line",
                    "chart-point",
                    "chart-swatch",
                    "map-land",
                    "map-nodata-ground",
                    "map-nodata-line",
                    "map-focus",
                    "chart-file-ground",
                    "chart-file-title",
                ]
                .map(String::from),
            );
        for class in classes {
            assert!(css.contains(&format!(".{ROOT_CLASS} .{class}")), "{class}");
        }
        // Every property a rule reads is defined, with the stylesheet's own values, and
        // dark mode gives the series and the ramp their dark values.
        let light = defined(css, ".chart-file {");
        let dark = defined(css, "@media (prefers-color-scheme: dark) { .chart-file {");
        for name in vars(css) {
            let set_by_a_rule = css.contains(&format!("{name}: var("));
            assert!(
                set_by_a_rule || light.iter().any(|(n, _)| *n == name),
                "{name}"
            );
        }
        let sheet = crate::render::STYLESHEET;
        assert!(sheet.contains("--chart-1: #0d5a9e;") && sheet.contains("--chart-1: #5e9fe6;"));
        assert!(light.contains(&("--chart-1", "#0d5a9e")));
        assert!(dark.contains(&("--chart-1", "#5e9fe6")));
        assert!(dark.contains(&("--map-7", "#b5d4f2")) && dark.contains(&("--bg", "#131517")));
        // Page layout rules (the figure's title is HTML) stay out.
        assert!(!css.contains("display"));
    }

    #[test]
    fn a_stylesheet_change_reaches_the_file() {
        let sheet = crate::render::STYLESHEET.replace("--chart-3: #0f7a63;", "--chart-3: #123456;");
        assert!(build_style(&sheet).contains("--chart-3: #123456;"));
    }

    #[test]
    fn rows_wrap_within_the_width_and_stop_at_their_line_count() {
        let text = "Spend on sovereign compute, data centres and cloud capacity pledged by \
                    governments in 2024 and 2025, by country and by sector, as announced";
        let lines = wrap(text, 200.0, 10);
        assert!(lines.len() >= 3, "{lines:?}");
        assert!(lines.iter().all(|l| l.width <= 200.0 && l.full.is_none()));
        let joined: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(joined.join(" "), text);
        let cut = wrap(text, 200.0, 2);
        assert_eq!(cut.len(), 2);
        assert!(
            cut[1].text.ends_with('…') && cut[1].width <= 200.0,
            "{cut:?}"
        );
        assert_eq!(cut[1].full.as_deref(), Some(text));
        // A word wider than a line is broken; a huge text is cut first, so work is bounded.
        let word = "x".repeat(300);
        assert!(wrap(&word, 100.0, 50).iter().all(|l| l.width <= 100.0));
        let huge = "word ".repeat(100_000);
        let rows = wrap(&huge, 400.0, 3);
        assert!(rows.len() == 3 && rows[2].text.ends_with('…'));
        assert!(wrap("", 100.0, 3).is_empty());
    }

    #[test]
    fn alt_text_is_the_title_and_the_first_thing_the_desc_says() {
        let desc = "Bar chart: Spend. 3 categories (region); values: USD bn. Largest: Japan.";
        assert_eq!(
            alt("Spend", desc),
            "Spend: Bar chart. 3 categories (region); values: USD bn."
        );
        let map = "Map of countries coloured by spend. 4 countries with data.";
        assert_eq!(
            alt("Where", map),
            "Where: Map of countries coloured by spend."
        );
        assert!(alt(&"t".repeat(500), desc).chars().count() <= MAX_ALT);
    }
}
