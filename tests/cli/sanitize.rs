//! Raw HTML in a brief, built by the real binary: it cannot run script through the chart
//! figures' placement, draw form controls, or take the page's ids (trust issue, findings 1, 6).

use crate::common::*;

const CHART: &str = "```chart\nx: k\ny: v\nrows:\n  - {k: a, v: 1}\n```\n";

#[test]
fn a_private_use_character_beside_a_chart_runs_no_script_and_keeps_the_chart() {
    let site = TestSite::new();
    site.brief(
        "pua.md",
        "title: PUA\ndate: 2025-01-01",
        &format!(
            "{CHART}\n<img src=\"x\" alt=\"\u{E000}\">\u{E000}<i title=\" onerror=document.title=42 x\">i</i>\n\nAfter \u{E000} it.\n"
        ),
    );
    site.build().assert_ok();
    let html = site.page("briefs/pua/index.html");
    let body = main_of(&html);
    assert!(body.contains("<svg"), "the chart is drawn: {body}");
    assert!(
        body.contains("<img src=\"x\" alt=\"\u{E000}\">\u{E000}<i title=\" onerror=document.title=42 x\">i</i>"),
        "{body}"
    );
    assert!(body.contains("After \u{E000} it."), "{body}");
    // `onerror` only as text inside the title, never as an attribute of its own.
    assert_eq!(
        html.matches("onerror").count(),
        html.matches("title=\" onerror").count(),
        "{html}"
    );
}

#[test]
fn raw_form_controls_and_page_ids_do_not_reach_the_page() {
    let site = TestSite::new();
    site.brief(
        "forms.md",
        "title: Forms\ndate: 2025-01-01",
        "<form action=\"https://evil.example/\"><input name=\"q\"><button>Go</button></form>\n<select><option>a</option></select><textarea>t</textarea>\n\n<p id=\"main\">a</p> <span id=\"site-header\">b</span>\n\n- [x] own checkbox\n",
    );
    site.build().assert_ok();
    let html = site.page("briefs/forms/index.html");
    let body = main_of(&html);
    for tag in ["<form", "<button", "<select", "<option", "<textarea"] {
        assert!(!body.contains(tag), "{tag} in {body}");
    }
    assert_eq!(
        body.matches("<input").count(),
        1,
        "only the task's checkbox: {body}"
    );
    assert!(body.contains("<input type=\"checkbox\" disabled checked aria-label=\"Done\">"));
    assert_eq!(
        html.matches("id=\"main\"").count(),
        1,
        "the template's own: {html}"
    );
    assert_eq!(html.matches("id=\"site-header\"").count(), 1, "{html}");
    assert!(body.contains("<p id=\"user-content-main\">a</p>"), "{body}");
}
