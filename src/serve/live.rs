//! What only the preview server adds to pages: the live-reload script and, while the content
//! has errors, an overlay that shows them. `briefing build` output never contains either.

use crate::diag::Diag;

/// Long-polls the server and reloads the page when a new build is ready. Plain script, no
/// dependencies; if the server goes away it retries quietly.
pub const RELOAD_JS: &str = r#"(function () {
  var me = document.currentScript;
  var seen = me ? me.getAttribute("data-generation") : "";
  function wait() {
    fetch("/__briefing/wait?since=" + encodeURIComponent(seen), { cache: "no-store" })
      .then(function (r) { return r.text(); })
      .then(function (gen) {
        gen = gen.trim();
        if (gen && gen !== seen) { location.reload(); } else { wait(); }
      })
      .catch(function () { setTimeout(wait, 1000); });
  }
  wait();
})();
"#;

/// Adds the reload script (and the error overlay, if any) to an HTML page.
pub fn inject(html: &[u8], generation: u64, overlay: Option<&str>) -> Vec<u8> {
    let Ok(text) = std::str::from_utf8(html) else {
        return html.to_vec();
    };
    let mut out = String::with_capacity(text.len() + 512);
    let script = format!(
        "<script src=\"/__briefing/live.js\" data-generation=\"{generation}\" defer></script>"
    );
    let body_open = text
        .find("<body")
        .and_then(|i| text[i..].find('>').map(|j| i + j + 1));
    match (overlay, body_open) {
        (Some(overlay), Some(at)) => {
            out.push_str(&text[..at]);
            out.push_str(overlay);
            out.push_str(&text[at..]);
        }
        (Some(overlay), None) => {
            out.push_str(overlay);
            out.push_str(text);
        }
        _ => out.push_str(text),
    }
    match out.rfind("</body>") {
        Some(at) => out.insert_str(at, &script),
        None => out.push_str(&script),
    }
    out.into_bytes()
}

/// The overlay for a failed build: every error with its path, line and column, escaped.
pub fn overlay(diags: &[Diag]) -> String {
    let errors: Vec<&Diag> = diags.iter().filter(|d| d.is_error()).collect();
    let mut report = String::new();
    for d in &errors {
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
    fn injects_overlay_after_body_and_script_before_its_end() {
        let page = b"<html><body class=\"x\"><p>hi</p></body></html>";
        let d = Diag::error("bad <b>").in_file("content/briefs/a.md");
        let out = String::from_utf8(inject(page, 7, Some(&overlay(&[d])))).unwrap();
        let overlay_at = out.find("briefing-error-overlay").unwrap();
        assert!(out.find("<body class=\"x\">").unwrap() < overlay_at);
        assert!(overlay_at < out.find("<p>hi</p>").unwrap());
        assert!(out.contains("bad &lt;b&gt;"));
        assert!(out.contains("data-generation=\"7\" defer></script></body>"));
    }
}
