//! "Embed this chart": the HTML another site pastes to show a brief's chart, its standalone
//! file (`chart-N.svg`) as an `<img>` with a credit linking the brief, shown on the page as
//! text to copy (escaped, never live markup) inside the chart's figure.

use std::fmt::Write as _;

use super::chart::esc;
use super::chart_svg::SvgFile;

/// Where a brief's chart file lives and whom it credits; a site-wide chart has none.
pub(super) struct EmbedInput<'a> {
    /// The file's name beside the page (`chart-1.svg`).
    pub file_name: String,
    /// The file's absolute URL, and the brief's.
    pub file_url: String,
    pub page_url: String,
    pub brief_title: &'a str,
    pub site_title: &'a str,
}

/// The markup to copy: the image, then a credit line that links the brief.
pub(super) fn markup(embed: &EmbedInput, file: &SvgFile) -> String {
    format!(
        "<img src=\"{}\" alt=\"{}\" width=\"{}\" height=\"{}\">\n\
         <p>Chart: <a href=\"{}\">{}</a>, {}</p>",
        esc(&embed.file_url),
        esc(&file.alt),
        file.width,
        file.height,
        esc(&embed.page_url),
        esc(embed.brief_title),
        esc(embed.site_title)
    )
}

/// The figure's disclosure holding the markup as text, after the CSV download.
pub(super) fn snippet(embed: &EmbedInput, file: &SvgFile) -> String {
    let mut f = String::new();
    let _ = write!(
        f,
        "<details class=\"chart-embed\"><summary>Embed this chart</summary>\
         <p>To show this chart on another page, copy this HTML into it. The image is an SVG \
         file that follows the reader's light or dark mode, with its title, source and notes; \
         the line under it credits this brief.</p><pre><code>{}</code></pre></details>",
        esc(&markup(embed, file))
    );
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_markup_is_shown_as_text_with_its_attributes_escaped() {
        let embed = EmbedInput {
            file_name: "chart-1.svg".into(),
            file_url: "https://x.org/briefs/a/chart-1.svg".into(),
            page_url: "https://x.org/briefs/a/".into(),
            brief_title: "A & <B>",
            site_title: "Site",
        };
        let file = SvgFile {
            svg: String::new(),
            width: 480,
            height: 300,
            alt: "Spend \"by\" region: Bar chart.".into(),
        };
        let m = markup(&embed, &file);
        assert!(
            m.contains("alt=\"Spend &quot;by&quot; region: Bar chart.\""),
            "{m}"
        );
        assert!(m.contains(">A &amp; &lt;B&gt;</a>"), "{m}");
        let s = snippet(&embed, &file);
        assert!(!s.contains("<img"), "{s}");
        assert!(s.contains("&lt;img src=&quot;https://x.org/briefs/a/chart-1.svg&quot;"));
        assert!(
            s.contains("width=&quot;480&quot; height=&quot;300&quot;"),
            "{s}"
        );
    }
}
