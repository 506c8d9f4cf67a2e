//! Tests of the Markdown renderer (`super`): ids, footnotes, tables, charts among raw HTML.

use super::*;

#[test]
fn words_are_counted_as_split_whitespace_counts_them() {
    for text in [
        "",
        " ",
        "one",
        " two  words ",
        "a\u{a0}b\u{2003}c\x0bd",
        "日本 経済",
        "x\r\ny\tz",
    ] {
        assert_eq!(
            count_words(text),
            text.split_whitespace().count(),
            "{text:?}"
        );
    }
    // Every ASCII byte, in runs across the eight-byte words and their remainder: spaces
    // and the control whitespace beside the bytes just outside their range.
    let mut seed: u32 = 7;
    let alphabet = b" \t\n\x0b\x0c\r\x08\x0e\x1f!a~\x7f";
    for len in 0..40 {
        for _ in 0..200 {
            let text: String = (0..len)
                .map(|_| {
                    seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    char::from(alphabet[(seed >> 16) as usize % alphabet.len()])
                })
                .collect();
            let mut every = text.clone();
            every.extend((0..128u8).map(char::from));
            for t in [&text, &every] {
                assert_eq!(count_words(t), t.split_whitespace().count(), "{t:?}");
            }
        }
    }
}

#[test]
fn headings_get_unique_ids_and_self_links() {
    let html = render("## Spend\n\n## Spend\n", &[]).html;
    assert!(html.contains("<h2 id=\"spend\">Spend <a class=\"anchor\" href=\"#spend\""));
    assert!(html.contains("<h2 id=\"spend-2\">"));
}

#[test]
fn footnotes_are_numbered_and_linked_back() {
    let html = render("A[^x] b[^y].\n\n[^y]: Why.\n[^x]: Ex.\n", &[]).html;
    assert!(html.contains("<a href=\"#fn-1\" id=\"fnref-1\">1</a>"));
    let first = html.find("<li id=\"fn-1\">").unwrap();
    let second = html.find("<li id=\"fn-2\">").unwrap();
    assert!(
        first < second && html[first..second].contains("Ex."),
        "{html}"
    );
    assert!(html.contains("href=\"#fnref-2\""));
}

#[test]
fn tables_scroll_in_a_region_without_inline_style() {
    let html = render("| a | b |\n|:--|--:|\n| 1 | 2 |\n", &[]).html;
    assert!(html.contains("<div class=\"table-wrap\" role=\"region\" tabindex=\"0\""));
    assert!(html.contains("<th scope=\"col\" class=\"align-left\">a</th>"));
    assert!(html.contains("<td class=\"align-right\">2</td>"));
    assert!(!html.contains("style="));
}

#[test]
fn raw_html_is_cleaned_and_template_syntax_stays_text() {
    let html = render(
        "{{ x }} {% if %}\n\n<script>alert(1)</script><b onclick=\"x()\">b</b>",
        &[],
    )
    .html;
    assert!(html.contains("{{ x }} {% if %}"));
    assert!(!html.contains("<script"));
    assert!(!html.contains("onclick"));
    assert!(html.contains("<b>b</b>"));
}

#[test]
fn chart_blocks_become_their_figures_and_code_is_focusable() {
    let figures = vec![
        "<figure>one</figure>".to_string(),
        "<figure>two</figure>".to_string(),
    ];
    let md = "A\n\n```chart\nx: a\n```\n\n<b>raw</b>\n\n```chart\nx: b\n```\n\n```sh\nls\n```\n";
    let html = render(md, &figures).html;
    assert!(
        html.contains("<figure>one</figure>") && html.contains("<figure>two</figure>"),
        "{html}"
    );
    assert!(html.find("one") < html.find("two"));
    assert!(!html.contains("x: a"), "chart YAML is not shown");
    assert!(html.contains("<pre tabindex=\"0\"><code class=\"language-sh\">ls"));
}

fn figs(n: usize) -> Vec<String> {
    (1..=n)
        .map(|i| format!("<figure class=\"chart\" id=\"chart-{i}\"><svg>{i}</svg></figure>\n"))
        .collect()
}

#[test]
fn a_private_use_character_cannot_smuggle_an_attribute_out_of_the_sanitizer() {
    let md = "```chart\nx: a\n```\n\n<img src=\"x\" alt=\"\u{E000}\">\u{E000}<i title=\" onerror=document.title=42 x\">i</i>\n";
    let html = render(md, &figs(1)).html;
    // The handler text stays inside the title, the private-use character in the alt.
    assert!(
        html.contains("<img src=\"x\" alt=\"\u{E000}\">\u{E000}<i title=\" onerror=document.title=42 x\">i</i>"),
        "{html}"
    );
    assert_eq!(
        html.matches("onerror").count(),
        html.matches("<i title=\" onerror").count(),
        "onerror only as text in the title: {html:?}"
    );
    assert_eq!(html.matches("<svg>1</svg>").count(), 1, "{html}");
}

#[test]
fn a_stray_private_use_character_drops_neither_charts_nor_text() {
    for raw in ["", "<b>raw</b>\n\n"] {
        let md = format!(
            "{raw}```chart\nx: a\n```\n\nBefore \u{E000} after.\n\n```chart\nx: b\n```\n\nThe end.\n"
        );
        let html = render(&md, &figs(2)).html;
        let one = html.find("<svg>1</svg>").expect(&html);
        let text = html.find("Before \u{E000} after.").expect(&html);
        let two = html.find("<svg>2</svg>").expect(&html);
        assert!(one < text && text < two, "{html}");
        assert!(html.contains("The end."), "{html}");
    }
}

#[test]
fn private_use_characters_of_every_kind_appear_as_written_among_charts() {
    let pua = [
        "\u{E000}",
        "\u{E000}2\u{E000}",
        "\u{E001}",
        "\u{E123}",
        "\u{F8FF}",
    ];
    let mut md = String::new();
    for (i, c) in pua.iter().enumerate() {
        md.push_str(&format!(
            "Text {c} and `code {c}` <span title=\"{c}\">{c}</span>\n\n```chart\nx: {i}\n```\n\n"
        ));
    }
    let html = render(&md, &figs(pua.len())).html;
    let mut at = 0;
    for (i, c) in pua.iter().enumerate() {
        let text = format!("Text {c} and <code>code {c}</code> <span title=\"{c}\">{c}</span>");
        let found = html[at..].find(&text).expect(&html) + at;
        let figure = html[found..]
            .find(&format!("<svg>{}</svg>", i + 1))
            .expect(&html);
        at = found + figure;
    }
    for i in 1..=pua.len() {
        assert_eq!(
            html.matches(&format!("<svg>{i}</svg>")).count(),
            1,
            "{html}"
        );
    }
}

#[test]
fn charts_nested_in_a_list_and_a_quote_stay_in_place_beside_raw_html() {
    let md = "<div class=\"note\">\n\n- item <b onclick=\"x()\">b</b>\n\n  ```chart\n  x: a\n  ```\n\n</div>\n\n> quote <i onmouseover=\"y()\">i</i>\n>\n> ```chart\n> x: b\n> ```\n";
    let html = render(md, &figs(2)).html;
    let li = html.find("<li>").expect(&html);
    let one = html.find("<svg>1</svg>").expect(&html);
    let li_end = html.find("</li>").expect(&html);
    assert!(li < one && one < li_end, "{html}");
    let quote = html.find("<blockquote>").expect(&html);
    let two = html.find("<svg>2</svg>").expect(&html);
    let quote_end = html.find("</blockquote>").expect(&html);
    assert!(quote < two && two < quote_end, "{html}");
    assert!(
        html.contains("item <b>b</b>") && html.contains("quote <i>i</i>"),
        "{html}"
    );
    assert!(
        !html.contains("onclick") && !html.contains("onmouseover"),
        "{html}"
    );
}

#[test]
fn raw_details_spanning_markdown_works_in_a_body_with_a_chart() {
    let md = "```chart\nx: a\n```\n\n<details>\n<summary>More</summary>\n\nSome *markdown* \u{E000} here.\n\n</details>\n\nAfter.\n";
    let html = render(md, &figs(1)).html;
    let open = html
        .find("<details>\n<summary>More</summary>")
        .expect(&html);
    let inner = html.find("<em>markdown</em> \u{E000} here.").expect(&html);
    let close = html.find("</details>").expect(&html);
    assert!(open < inner && inner < close, "{html}");
    assert!(html.find("<svg>1</svg>") < Some(open), "{html}");
}

#[test]
fn raw_form_controls_are_dropped() {
    let md = "<form action=\"/x\"><input name=\"q\"><button>Go</button>\n<select><option>a</option></select><textarea>t</textarea></form>\n";
    let html = render(md, &[]).html;
    for tag in [
        "<form",
        "<input",
        "<button",
        "<select",
        "<option",
        "<textarea",
    ] {
        assert!(!html.contains(tag), "{tag} in {html}");
    }
    assert!(html.contains("Go"), "the text stays: {html}");
}

#[test]
fn raw_ids_are_prefixed_so_they_never_pose_as_the_page_or_a_heading() {
    let md = "## Spend\n\n<p id=\"main\">a</p><span id=\"top\">b</span> <a id=\"spend\">c</a>\n";
    let html = render(md, &[]).html;
    assert!(html.contains("<p id=\"user-content-main\">a</p>"), "{html}");
    assert!(
        html.contains("<span id=\"user-content-top\">b</span>"),
        "{html}"
    );
    assert!(
        html.contains("<a id=\"user-content-spend\">c</a>"),
        "{html}"
    );
    assert_eq!(html.matches("id=\"spend\"").count(), 1, "{html}");
    assert!(
        !html.contains("id=\"main\"") && !html.contains("id=\"top\""),
        "{html}"
    );
}

#[test]
fn a_heading_never_takes_the_raw_id_prefix() {
    let html = render("## User content main\n\n<p id=\"main\">x</p>\n", &[]).html;
    assert!(html.contains("<h2 id=\"h-user-content-main\">"), "{html}");
    assert_eq!(
        html.matches("id=\"user-content-main\"").count(),
        1,
        "{html}"
    );
}

#[test]
fn own_checkboxes_heading_and_footnote_ids_survive_beside_raw_html() {
    let md = "## Tasks\n\n- [x] done <b>now</b>[^n]\n- [ ] later\n\n<p>raw</p>\n\n[^n]: Note.\n";
    let html = render(md, &[]).html;
    assert!(
        html.contains("<input type=\"checkbox\" disabled checked aria-label=\"Done\"> done"),
        "{html}"
    );
    assert!(html.contains("<input type=\"checkbox\" disabled aria-label=\"Not done\"> later"));
    assert!(html.contains("<h2 id=\"tasks\">Tasks <a class=\"anchor\" href=\"#tasks\""));
    assert!(
        html.contains("<a href=\"#fn-1\" id=\"fnref-1\">1</a>"),
        "{html}"
    );
    assert!(html.contains("<li id=\"fn-1\">"), "{html}");
    assert!(html.contains("<p>raw</p>"), "{html}");
    assert!(
        html.contains("> done <b>now</b>"),
        "inline raw HTML in a task: {html}"
    );
    // Every id is one word: briefing's secret never reaches the page.
    for value in html.split("id=\"").skip(1) {
        let value = &value[..value.find('"').unwrap()];
        assert!(!value.contains(' '), "{value:?} in {html}");
    }
}

#[test]
fn raw_html_that_swallows_the_rest_cannot_take_a_heading_with_it() {
    for raw in ["<div title='", "<p title=\"x\" class='"] {
        let md = format!("{raw}\n\n## Spend\n\nIt's text.\n");
        let html = render(&md, &[]).html;
        assert!(html.contains("<h2 id=\"spend\">Spend"), "{raw}: {html}");
        assert!(html.contains("<p>It’s text.</p>"), "{raw}: {html}");
        for value in html.split("id=\"").skip(1) {
            let value = &value[..value.find('"').unwrap()];
            assert!(!value.contains(' '), "{value:?} in {html}");
        }
    }
}

#[test]
fn unsafe_link_schemes_are_dropped() {
    let html = render(
        "[x](javascript:alert(1)) [y](https://a.org) [z](/briefs/)",
        &[],
    )
    .html;
    assert!(!html.contains("javascript"));
    assert!(html.contains("href=\"https://a.org\""));
    assert!(html.contains("href=\"/briefs/\""));
}
