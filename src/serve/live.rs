//! What only the preview server adds to pages: the live-reload script and, while the content
//! has errors, an overlay that shows them. `briefing build` output never contains either.

use crate::diag::Diag;

/// Long-polls the server and reloads the page when a new build is ready. Plain script, no
/// dependencies; if the server goes away it retries quietly.
pub(crate) const RELOAD_JS: &str = r#"(function () {
  var me = document.currentScript;
  var seen = me ? me.getAttribute("data-generation") : "";
  function wait() {
    fetch("/__briefing/wait?since=" + encodeURIComponent(seen), { cache: "no-store" })
      .then(function (r) {
        // 503: too many pages are waiting already; try again later rather than reload.
        if (!r.ok) { throw new Error("busy"); }
        return r.text();
      })
      .then(function (gen) {
        gen = gen.trim();
        if (gen && gen !== seen) { location.reload(); } else { wait(); }
      })
      .catch(function () { setTimeout(wait, 1000); });
  }
  wait();
})();
"#;

/// An HTML page with the reload script (and the error overlay, if any) added: the page's
/// own bytes stay where the snapshot holds them and are written around the additions.
pub(crate) struct Injected<'a> {
    before_overlay: &'a [u8],
    overlay: &'a [u8],
    before_script: &'a [u8],
    script: String,
    rest: &'a [u8],
}

impl Injected<'_> {
    /// The response body, in order.
    pub(crate) fn parts(&self) -> [&[u8]; 5] {
        [
            self.before_overlay,
            self.overlay,
            self.before_script,
            self.script.as_bytes(),
            self.rest,
        ]
    }
}

/// Places the overlay just inside `<body ...>` (else first) and the script just before the
/// last `</body>` (else last).
pub(crate) fn inject<'a>(
    html: &'a [u8],
    generation: u64,
    overlay: Option<&'a str>,
) -> Injected<'a> {
    let script = format!(
        "<script src=\"/__briefing/live.js\" data-generation=\"{generation}\" defer></script>"
    );
    let body_open = memchr::memmem::find(html, b"<body")
        .and_then(|i| memchr::memchr(b'>', &html[i..]).map(|j| i + j + 1));
    let overlay_at = match overlay {
        Some(_) => body_open.unwrap_or(0),
        None => 0,
    };
    let script_at = memchr::memmem::rfind(html, b"</body>")
        .filter(|&at| at >= overlay_at)
        .unwrap_or(html.len());
    Injected {
        before_overlay: &html[..overlay_at],
        overlay: overlay.unwrap_or("").as_bytes(),
        before_script: &html[overlay_at..script_at],
        script,
        rest: &html[script_at..],
    }
}

/// The overlay for a failed build: every error with its path, line and column, escaped.
pub(crate) fn overlay(diags: &[Diag]) -> String {
    let errors: Vec<&Diag> = diags.iter().filter(|d| d.is_error()).collect();
    // The warnings of a file with errors often explain them (`tittle`: did you mean `title`?).
    let broken: std::collections::HashSet<Option<&str>> =
        errors.iter().map(|d| d.path.as_deref()).collect();
    let mut report = String::new();
    for d in diags
        .iter()
        .filter(|d| d.is_error() || broken.contains(&d.path.as_deref()))
    {
        report.push_str(&d.render());
        report.push('\n');
    }
    format!(
        "<div id=\"briefing-error-overlay\" role=\"alert\">\
<style>#briefing-error-overlay{{position:sticky;top:0;z-index:1000;margin:0;padding:1rem 1.25rem;\
background:#fff4f2;color:#5c0a00;border-bottom:3px solid #b3261e;font:14px/1.45 ui-monospace,monospace;\
max-height:60vh;overflow:auto}}#briefing-error-overlay pre{{white-space:pre-wrap;margin:.5rem 0 0}}</style>\
<strong>briefing: the last save has {} error{}; showing the last good build.</strong><pre>{}</pre></div>",
        errors.len(),
        if errors.len() == 1 { "" } else { "s" },
        escape(&report)
    )
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let _ = pulldown_cmark_escape::escape_html(&mut out, text);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_overlay_keeps_the_hints_of_a_broken_file() {
        let diags = [
            Diag::error("front-matter/missing-key", "front-matter has no `title`")
                .in_file("content/briefs/a.md"),
            Diag::warning(
                "front-matter/unknown-key",
                "unknown front-matter key `tittle`: did you mean `title`?",
            )
            .in_file("content/briefs/a.md"),
            Diag::warning("data/no-rows", "an unrelated warning").in_file("content/briefs/b.md"),
        ];
        let html = overlay(&diags);
        assert!(html.contains("has no `title`"), "{html}");
        assert!(html.contains("did you mean `title`?"), "{html}");
        assert!(!html.contains("unrelated"), "{html}");
        assert!(html.contains("1 error;"), "{html}");
    }

    #[test]
    fn injects_overlay_after_body_and_script_before_its_end() {
        let page = b"<html><body class=\"x\"><p>hi</p></body></html>";
        let d = Diag::error("template/render", "bad <b>").in_file("content/briefs/a.md");
        let overlay = overlay(&[d]);
        let out = String::from_utf8(inject(page, 7, Some(&overlay)).parts().concat()).unwrap();
        let overlay_at = out.find("briefing-error-overlay").unwrap();
        assert!(out.find("<body class=\"x\">").unwrap() < overlay_at);
        assert!(overlay_at < out.find("<p>hi</p>").unwrap());
        assert!(out.contains("bad &lt;b&gt;"));
        assert!(out.contains("data-generation=\"7\" defer></script></body>"));
    }

    #[test]
    fn pages_without_body_tags_still_get_both() {
        let out = inject(b"<p>bare</p>", 3, Some("<div>e</div>"))
            .parts()
            .concat();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "<div>e</div><p>bare</p><script src=\"/__briefing/live.js\" data-generation=\"3\" defer></script>"
        );
    }
}
