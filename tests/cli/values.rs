//! Values (docs/values.md): numbers in the prose bound to data files, as a reader and an
//! editor meet them. Expected numbers are computed here from the CSV with the csv crate,
//! never by briefing's code.

use std::time::Duration;

use crate::common::*;
use crate::editor::{get, start_server, wait_for};

const CSV: &str = "investor,region,year,spend_usd_bn\n\
\"Stargate initiative (initial pledge)\",United States,2025,100\n\
SoftBank,France,2025,Undisclosed\n\
\"AI campus, Paris\",France,2025,2.5\n\
GPU cluster,South Korea,2025,3.0\n\
Cloud pilot,Kazakhstan,2025,1.25\n\
Alphabet,Global,2025,\n";

/// Sum of `spend_usd_bn` over the rows that pass `keep`, and how many rows have a number
/// there, read with the csv crate.
fn expected(keep: impl Fn(&csv::StringRecord) -> bool) -> (f64, usize) {
    let mut reader = csv::Reader::from_reader(CSV.as_bytes());
    let (mut sum, mut n) = (0.0, 0);
    for record in reader.records() {
        let record = record.unwrap();
        if keep(&record)
            && let Ok(v) = record[3].trim().parse::<f64>()
        {
            sum += v;
            n += 1;
        }
    }
    (sum, n)
}

/// Rows of one region.
fn region(name: &'static str) -> impl Fn(&csv::StringRecord) -> bool {
    move |r| &r[1] == name
}

const VALUES: &str = "values:\n  \
stargate: {data: spend.csv, filter: {investor: \"Stargate initiative (initial pledge)\"}, y: spend_usd_bn, unit: USD bn}\n  \
asia:\n    data: spend.csv\n    filter: {region: [South Korea, Kazakhstan]}\n    y: spend_usd_bn\n    aggregate: sum\n  \
regions: {data: spend.csv, y: region, aggregate: count-distinct}";

fn value_site() -> TestSite {
    let site = TestSite::new();
    site.write(
        "site.yaml",
        "title: Test Briefing\nbase_url: https://briefs.example.org\nfeed_content: full\n",
    );
    site.write("content/data/spend.csv", CSV);
    site.brief(
        "spend.md",
        &format!(
            "title: Spend\ndate: 2025-11-20\nsummary: \"Stargate pledged `{{value}} stargate`.\"\n{VALUES}"
        ),
        "Stargate's initial pledge is `{value} stargate`; Asia adds `{value} asia` across \
         `{value} regions` regions.\n\n## Searchable\n\nLater text.\n",
    );
    site
}

/// The `value` attribute and the text of the `<data>` element after `marker` in `html`.
fn data_after<'a>(html: &'a str, marker: &str) -> (&'a str, &'a str) {
    let at = html
        .find(marker)
        .unwrap_or_else(|| panic!("{marker:?} in {html}"));
    let rest = &html[at..];
    let start = rest.find("<data ").expect("a <data> element");
    let element = &rest[start..];
    let value = element
        .split("value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let text = element
        .split('>')
        .nth(1)
        .unwrap()
        .split("</data")
        .next()
        .unwrap();
    (value, text)
}

#[test]
fn a_value_shows_the_number_computed_from_its_csv_and_no_span_syntax_anywhere() {
    let site = value_site();
    let run = site.build();
    run.assert_ok();
    let page = site.page("briefs/spend/index.html");
    let body = main_of(&page);

    let (stargate, _) = expected(|r| &r[0] == "Stargate initiative (initial pledge)");
    let (value, text) = data_after(body, "initial pledge is");
    assert_eq!(value.parse::<f64>().unwrap(), stargate);
    assert_eq!(text, format!("{stargate} USD bn"));

    let (asia, asia_rows) = expected(|r| &r[1] == "South Korea" || &r[1] == "Kazakhstan");
    let (value, text) = data_after(body, "Asia adds");
    assert_eq!(value.parse::<f64>().unwrap(), asia);
    assert_eq!(text, format!("{asia:.2}"), "shown at the data's precision");
    assert!(
        body.contains(&format!(
            "sum of spend_usd_bn over {asia_rows} rows of content/data/spend.csv"
        )),
        "the title says how it was computed: {body}"
    );

    let mut reader = csv::Reader::from_reader(CSV.as_bytes());
    let mut regions: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[1].to_string())
        .collect();
    regions.sort();
    regions.dedup();
    let (value, _) = data_after(body, "across");
    assert_eq!(value, regions.len().to_string());

    // Pages, feeds (summary and full content), search index: the value, never the syntax.
    let files = tree(&site.out());
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        assert!(!text.contains("{value}"), "{path} holds span syntax");
    }
    let atom = site.page("atom.xml");
    assert!(
        atom.contains(&format!("Stargate pledged {stargate} USD bn.")),
        "{atom}"
    );
    assert!(
        atom.contains("value=&quot;100&quot;"),
        "full content carries the value: {atom}"
    );
    let search: String = files
        .iter()
        .filter(|(p, _)| p.starts_with("search/"))
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .collect();
    assert!(
        search.contains("Stargate pledged 100 USD bn."),
        "search result summary"
    );
    assert!(
        page.contains("content=\"Stargate pledged 100 USD bn.\""),
        "meta description"
    );
}

#[test]
fn text_cells_and_empty_filters_warn_at_the_span_and_the_page_notes_them() {
    let site = TestSite::new();
    site.write("content/data/spend.csv", CSV);
    site.brief(
        "spend.md",
        "title: Spend\ndate: 2025-11-20\nvalues:\n  \
         france: {data: spend.csv, filter: {region: France}, y: spend_usd_bn, aggregate: sum}\n  \
         mars: {data: spend.csv, filter: {region: Mars}, y: spend_usd_bn, aggregate: sum}\n  \
         softbank: {data: spend.csv, filter: {investor: SoftBank}, y: spend_usd_bn}",
        "Intro.\n\nFrance: `{value} france`.\n\nMars: `{value} mars`.\n\nSoftBank: `{value} softbank`.\n",
    );
    let run = site.build();
    run.assert_ok();
    // Lines: front-matter 1-8, body from 9; France on 11, Mars on 13, SoftBank on 15.
    for (line, column, code) in [
        (11, 9, "left out 1 of 2 rows"),
        (13, 7, "No data"),
        (15, 11, "No data"),
    ] {
        let at = format!("content/briefs/spend.md:{line}:{column}:");
        let said = run
            .stderr
            .lines()
            .find(|l| l.contains(&at))
            .unwrap_or_else(|| panic!("no warning at {at}:\n{}", run.stderr));
        assert!(
            said.starts_with("warning:") && said.contains(code),
            "{said}"
        );
    }
    let page = site.page("briefs/spend/index.html");
    let body = main_of(&page);
    let (france, _) = expected(region("France"));
    let (value, _) = data_after(body, "France:");
    assert_eq!(value.parse::<f64>().unwrap(), france);
    assert!(body.contains("“Undisclosed” (SoftBank, line 3)"), "{body}");
    // Nothing matched, or only text: "no data" with a note, never 0.
    for marker in ["Mars:", "SoftBank:"] {
        let rest = &body[body.find(marker).unwrap()..];
        let para = &rest[..rest.find("</p>").unwrap()];
        assert!(para.contains(">no data</span>"), "{para}");
        assert!(!para.contains("value=\"0\""), "{para}");
        assert!(
            para.contains("class=\"footnote-ref\""),
            "linked to its note: {para}"
        );
    }
    assert!(
        body.contains(
            "No data for “mars”: no row of content/data/spend.csv where region is “Mars”."
        ),
        "{body}"
    );
    assert_eq!(
        body.matches("<li id=\"fn-").count(),
        3,
        "one note per value: {body}"
    );
}

#[test]
fn an_unknown_name_fails_at_its_span_with_the_nearest_name() {
    let site = TestSite::new();
    site.write("content/data/spend.csv", CSV);
    site.brief(
        "b.md",
        "title: B\ndate: 2025-11-20\nvalues:\n  stargate: {data: spend.csv, filter: {region: United States}, y: spend_usd_bn}",
        "First line.\n\nThe pledge, `{value} stargat`, and `{{ site.title }}` and {% if %} stay.\n",
    );
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("content/briefs/b.md:9:13: unknown value `stargat`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("did you mean `{value} stargate`?"),
        "{}",
        run.stderr
    );
    let json = site.run(&["check", "--root", path_str(site.root()), "--format", "json"]);
    assert!(
        json.stdout.contains("\"code\":\"value/unknown-name\"")
            && json.stdout.contains("\"line\":9,\"column\":13"),
        "{}",
        json.stdout
    );

    site.brief(
        "b.md",
        "title: B\ndate: 2025-11-20\nvalues:\n  stargate: {data: spend.csv, filter: {region: United States}, y: spend_usd_bn}",
        "The pledge, `{value} stargate`, and `{{ site.title }}` and {% if %} stay.\n",
    );
    site.build().assert_ok();
    let page = site.page("briefs/b/index.html");
    assert!(
        page.contains("<code>{{ site.title }}</code> and {% if %} stay."),
        "{page}"
    );
}

#[test]
fn bad_definitions_are_errors_at_their_own_lines() {
    let site = TestSite::new();
    site.write("content/data/spend.csv", CSV);
    site.brief(
        "b.md",
        "title: B\ndate: 2025-11-20\nvalues:\n  \
         a: {data: spend.csv, y: spend_usd_bn, agregate: sum}\n  \
         b: {data: missing.csv, y: spend_usd_bn, aggregate: sum}\n  \
         c: {data: spend.csv, y: spend_usd, aggregate: sum}\n  \
         d:\n    data: spend.csv\n    y: spend_usd_bn\n    aggregate: total\n  \
         e: {data: spend.csv, y: spend_usd_bn}\n  \
         f: {data: spend.csv, y: spend_usd_bn, aggregate: sum}",
        "`{value} a` `{value} b` `{value} c` `{value} d` `{value} e`\n",
    );
    let run = site.run(&["check", "--root", path_str(site.root()), "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let problems: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .filter(|v: &serde_json::Value| v.get("code").is_some())
        .collect();
    let at = |code: &str| -> Vec<(u64, u64)> {
        problems
            .iter()
            .filter(|p| p["code"] == code)
            .map(|p| (p["line"].as_u64().unwrap(), p["column"].as_u64().unwrap()))
            .collect()
    };
    assert_eq!(at("value/unknown-key"), [(5, 41)], "{problems:?}");
    assert_eq!(at("value/bad-value"), [(11, 16)], "{problems:?}");
    // These two need the data files, which are read once every brief has loaded cleanly.
    site.brief(
        "b.md",
        "title: B\ndate: 2025-11-20\nvalues:\n  \
         b: {data: missing.csv, y: spend_usd_bn, aggregate: sum}\n  \
         c: {data: spend.csv, y: spend_usd, aggregate: sum}\n  \
         e: {data: spend.csv, y: spend_usd_bn}\n  \
         f: {data: spend.csv, y: spend_usd_bn, aggregate: sum}",
        "`{value} b` `{value} c` `{value} e`\n",
    );
    let run = site.build();
    assert_eq!(run.code, 1);
    for (line, what) in [
        (
            5,
            "value `b`: data file not found: content/data/missing.csv",
        ),
        (6, "unknown column \"spend_usd\" in value `c` `y`"),
        (7, "value `e` has no `aggregate` but matches 6 rows"),
        (8, "value `f` is defined but no `{value} f` span uses it"),
    ] {
        let at = format!("content/briefs/b.md:{line}:3: {what}");
        assert!(run.stderr.contains(&at), "{at}\n{}", run.stderr);
    }
    assert!(
        run.stderr.contains("did you mean `spend_usd_bn`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn formats_follow_the_site_language() {
    let site = TestSite::new();
    site.write(
        "site.yaml",
        "title: T\nbase_url: https://briefs.example.org\nlanguage: fr\n",
    );
    site.write(
        "content/data/big.csv",
        "name,amount,share\na,1234.5,0.25\nb,2100000,0.5\n",
    );
    site.brief(
        "b.md",
        "title: B\ndate: 2025-11-20\nvalues:\n  \
         a: {data: big.csv, filter: {name: a}, y: amount}\n  \
         total: {data: big.csv, y: amount, aggregate: sum, format: compact}\n  \
         share: {data: big.csv, filter: {name: b}, y: share, format: {style: percent}}\n  \
         mean: {data: big.csv, y: amount, aggregate: mean, decimals: 0}",
        "A `{value} a`, total `{value} total`, share `{value} share`, mean `{value} mean`.\n",
    );
    site.build().assert_ok();
    let page = site.page("briefs/b/index.html");
    assert!(page.contains("value=\"1234.5\" title=\"amount of 1 row of content/data/big.csv where name is “a”\">1\u{202f}234,5</data>"), "{page}");
    assert!(page.contains("value=\"2101234.5\""), "{page}");
    assert!(page.contains(">2,1M</data>"), "{page}");
    assert!(
        page.contains("value=\"0.5\"") && page.contains(">50%</data>"),
        "{page}"
    );
    let mean = (1234.5 + 2_100_000.0) / 2.0_f64;
    let shown = format!("{:.0}", mean);
    let grouped = format!(
        "{}\u{202f}{}\u{202f}{}",
        &shown[..1],
        &shown[1..4],
        &shown[4..]
    );
    assert!(
        page.contains(&format!(">{grouped}</data>")),
        "{grouped}: {page}"
    );
}

#[test]
fn serve_shows_new_data_after_a_data_file_edit_and_keeps_values_on_body_edits() {
    let site = TestSite::new();
    site.write("content/data/spend.csv", CSV);
    let front = "title: Kazakhstan\ndate: 2025-11-18\nvalues:\n  kz: {data: spend.csv, filter: {region: Kazakhstan}, y: spend_usd_bn}";
    site.brief("kz.md", front, "Spend is `{value} kz`.\n");
    let server = start_server(&site);
    let (status, page) = get(server.port, "/briefs/kz/");
    assert_eq!(status, 200);
    assert!(page.contains("value=\"1.25\""), "{page}");
    site.write(
        "content/data/spend.csv",
        &CSV.replace("Kazakhstan,2025,1.25", "Kazakhstan,2025,7.5"),
    );
    let fresh = wait_for(server.port, "/briefs/kz/", Duration::from_secs(5), |p| {
        p.contains("value=\"7.5\"")
    });
    assert!(fresh.is_some(), "the data file's new number is shown");
    site.brief("kz.md", front, "Spend now is `{value} kz`.\n");
    let kept = wait_for(server.port, "/briefs/kz/", Duration::from_secs(5), |p| {
        p.contains("Spend now is")
    });
    assert!(kept.is_some(), "the body edit arrives");
    let (_, page) = get(server.port, "/briefs/kz/");
    assert!(
        page.contains("value=\"7.5\"") && !page.contains("{value}"),
        "{page}"
    );
}

#[test]
fn thousands_of_definitions_and_unknown_spans_are_checked_in_bounded_time() {
    let site = TestSite::new();
    site.write("content/data/spend.csv", CSV);
    let n = 4000;
    let mut front = String::from("title: B\ndate: 2025-11-20\nvalues:\n");
    let mut body = String::new();
    for i in 0..n {
        front.push_str(&format!(
            "  v{i}: {{data: spend.csv, y: spend_usd_bn, aggregate: sum}}\n"
        ));
        body.push_str(&format!("`{{value}} w{i}` "));
    }
    site.brief("b.md", front.trim_end(), &body);
    let started = std::time::Instant::now();
    let run = site.run(&["check", "--root", path_str(site.root()), "--format", "json"]);
    let took = started.elapsed();
    assert_eq!(run.code, 1);
    let unknown = run.stdout.matches("value/unknown-name").count();
    assert_eq!(unknown, n, "every unknown span is reported");
    assert!(took < Duration::from_secs(5), "took {took:?}");
    // The last definition's problems still point at its own line.
    assert!(
        run.stdout
            .contains(&format!("\"line\":{},\"column\":3", n + 3)),
        "unused v{} at its line",
        n - 1
    );
}

#[test]
fn the_example_brief_states_the_stargate_pledge_from_its_data_file() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let csv_text = std::fs::read_to_string(root.join("content/data/spend-2025.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let pledge: f64 = reader
        .records()
        .map(Result::unwrap)
        .find(|r| &r[0] == "Stargate initiative (initial pledge)")
        .map(|r| r[4].parse().unwrap())
        .unwrap();
    let (_tmp, out) = build_into_temp(root);
    let page =
        std::fs::read_to_string(out.join("briefs/ai-infrastructure-spend/index.html")).unwrap();
    let body = main_of(&page);
    assert_eq!(
        body.matches(&format!("$<data class=\"value\" value=\"{pledge}\""))
            .count(),
        2,
        "the intro and the key point: {body}"
    );
    assert!(
        body.contains(&format!("Over ${pledge} billion committed.")),
        "the summary"
    );
}
