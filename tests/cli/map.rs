//! Maps as a reader meets them: every country's shape coloured by the sum of its rows however
//! its name was written, every place that is not one country listed with its value, small
//! countries visible as markers, and the site-wide spend map on /regions/, the home page and
//! each country's region page.

use std::collections::BTreeMap;

use crate::common::svg::{parse, svg_after, view_box};
use crate::common::*;

/// Places written the many ways editors write them, with values (one not a number).
const PLACES_CSV: &str = "country,sector,spend\n\
France,Compute,2.5\n\
FRA,Data centers,1.5\n\
\"Korea, Republic of\",Compute,3\n\
한국,AI capacity,4.25\n\
Қазақстан,Data centers,1.2\n\
Global,AI budget,10\n\
European Union,Policy,7\n\
Atlantis,Compute,1\n\
Singapore,Data centers,0.3\n\
France,Compute,Undisclosed\n";

const MAP: &str = "```chart\ndata: places.csv\ntype: map\nx: country\ny: spend\nunit: USD bn\ntitle: Spend by country\n```\n";

fn map_site() -> TestSite {
    let site = TestSite::new();
    site.write("content/data/places.csv", PLACES_CSV);
    site.brief(
        "map.md",
        "title: Spend on a map\ndate: 2025-11-20",
        &format!("Intro.\n\n{MAP}\nAfter.\n"),
    );
    site
}

/// The test's own reading of the names above: what each one is, written out by hand.
fn iso_of(name: &str) -> Option<&'static str> {
    match name {
        "France" | "FRA" => Some("FRA"),
        "Korea, Republic of" | "한국" => Some("KOR"),
        "Қазақстан" => Some("KAZ"),
        "Singapore" => Some("SGP"),
        _ => None,
    }
}

/// Sums per ISO code and per unmapped place, computed here from the CSV.
fn expected() -> (BTreeMap<&'static str, f64>, BTreeMap<String, f64>) {
    let mut reader = csv::Reader::from_reader(PLACES_CSV.as_bytes());
    let (mut mapped, mut unmapped) = (BTreeMap::new(), BTreeMap::new());
    for record in reader.records() {
        let record = record.unwrap();
        let Ok(v) = record[2].parse::<f64>() else {
            continue;
        };
        match iso_of(&record[0]) {
            Some(iso) => *mapped.entry(iso).or_insert(0.0) += v,
            None => *unmapped.entry(record[0].to_string()).or_insert(0.0) += v,
        }
    }
    (mapped, unmapped)
}

/// Every element with a `data-iso`: (code, element name, class, title text, fill).
fn shapes(svg: &str) -> Vec<(String, String, String, String, String)> {
    let doc = parse(svg);
    doc.descendants()
        .filter_map(|n| {
            let iso = n.attribute("data-iso")?;
            let title = n
                .children()
                .find(|c| c.has_tag_name("title"))
                .and_then(|t| t.text())
                .unwrap_or_default();
            Some((
                iso.to_string(),
                n.tag_name().name().to_string(),
                n.attribute("class").unwrap_or_default().to_string(),
                title.to_string(),
                n.attribute("fill").unwrap_or_default().to_string(),
            ))
        })
        .collect()
}

#[test]
fn a_map_sums_each_country_however_written_and_lists_what_it_could_not_place() {
    let site = map_site();
    let run = site.build();
    run.assert_ok();
    assert!(
        run.stderr.contains("content/data/places.csv:9:1")
            && run.stderr.contains("\"Atlantis\" is not a country"),
        "a warning at Atlantis's line:\n{}",
        run.stderr
    );
    for known in ["France", "Global", "European Union", "한국"] {
        assert!(
            !run.stderr
                .contains(&format!("\"{known}\" is not a country")),
            "{known} is not unknown:\n{}",
            run.stderr
        );
    }
    let html = site.page("briefs/map/index.html");
    let svg = svg_after(&html, "id=\"chart-map-1\"");
    assert!(
        svg.len() <= 120_000,
        "a world map is at most 120 kB: {}",
        svg.len()
    );
    let (mapped, unmapped) = expected();
    let shapes = shapes(svg);
    for (iso, want) in &mapped {
        let found: Vec<_> = shapes.iter().filter(|s| s.0 == *iso).collect();
        assert_eq!(found.len(), 1, "{iso} is drawn once: {found:?}");
        let title = &found[0].3;
        let value: f64 = title
            .rsplit(": ")
            .next()
            .and_then(|v| v.strip_suffix(" USD bn"))
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("{iso}'s title names its value: {title:?}"));
        assert!((value - want).abs() < 1e-9, "{iso}: {value} != {want}");
        assert!(
            found[0].2.contains("map-fill"),
            "{iso} is coloured: {found:?}"
        );
    }
    // 한국 and "Korea, Republic of" are one country, South Korea, with both rows summed.
    assert!(mapped["KOR"] > 7.0);
    // Every other country is drawn, hatched, and says it has no data.
    let no_data: Vec<_> = shapes
        .iter()
        .filter(|s| !mapped.contains_key(s.0.as_str()))
        .collect();
    assert!(
        no_data.len() > 150,
        "the whole world is drawn: {}",
        no_data.len()
    );
    for s in &no_data {
        assert!(
            s.2.contains("map-nodata") && s.4.starts_with("url(#"),
            "{s:?}"
        );
        assert!(s.3.ends_with(": no data"), "{s:?}");
    }
    assert!(svg.contains(">No data</text>"), "the legend says No data");
    // Singapore is too small to see at this size: it is a marker.
    let sgp = shapes.iter().find(|s| s.0 == "SGP").unwrap();
    assert_eq!(sgp.1, "circle", "{sgp:?}");
    // Not mapped, with the values the test summed.
    let note = between(&html, "<p class=\"chart-note\">Not mapped: ", "</p>");
    for (place, value) in &unmapped {
        let shown = format!("{place}\u{201d}");
        assert!(note.contains(&shown), "{place} in the note: {note}");
        let after = &note[note.find(&shown).unwrap()..];
        let number = after.split(": ").nth(1).unwrap().split(';').next().unwrap();
        assert_eq!(
            number.trim().parse::<f64>().unwrap(),
            *value,
            "{place}: {note}"
        );
    }
    assert!(
        html.contains("Read as one country: ")
            && between(&html, "Read as one country: ", "</p>").contains("South Korea"),
        "the merge is noted"
    );
    // The text cell is noted as for every chart.
    assert!(
        html.contains("Not charted: 1 of 10 rows"),
        "{}",
        between(&html, "chart-note", "</p>")
    );
}

fn between<'h>(html: &'h str, start: &str, end: &str) -> &'h str {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("{start:?} in page"))
        + start.len();
    let to = from + html[from..].find(end).unwrap();
    &html[from..to]
}

#[test]
fn the_map_table_and_csv_give_each_country_its_code_and_value() {
    let site = map_site();
    site.build().assert_ok();
    let csv_text = std::fs::read_to_string(site.out().join("briefs/map/chart-1.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let (mapped, _) = expected();
    let mut seen = BTreeMap::new();
    for record in reader.records() {
        let record = record.unwrap();
        if !record[1].is_empty() {
            seen.insert(record[1].to_string(), record[2].parse::<f64>().unwrap());
        }
    }
    let want: BTreeMap<String, f64> = mapped.iter().map(|(k, v)| (k.to_string(), *v)).collect();
    assert_eq!(seen, want);
    let html = site.page("briefs/map/index.html");
    assert!(html.contains("<th scope=\"row\">South Korea</th><td>KOR</td>"));
}

#[test]
fn shapes_that_cross_the_antimeridian_are_not_drawn_across_the_map() {
    let site = TestSite::new();
    site.write(
        "content/data/p.csv",
        "country,v\nRussia,1\nFiji,2\nUnited States,3\n",
    );
    site.brief(
        "m.md",
        "title: M\ndate: 2025-01-01",
        "```chart\ndata: p.csv\ntype: map\nx: country\ny: v\n```\n",
    );
    site.build().assert_ok();
    let html = site.page("briefs/m/index.html");
    let svg = svg_after(&html, "chart-m-1");
    let doc = parse(svg);
    let width = view_box(&doc)[2];
    for iso in ["RUS", "FJI", "USA"] {
        let node = doc
            .descendants()
            .find(|n| n.attribute("data-iso") == Some(iso))
            .unwrap_or_else(|| panic!("{iso} drawn"));
        let Some(d) = node.attribute("d") else {
            continue;
        };
        for (a, b) in segments(d) {
            assert!(
                (a.0 - b.0).abs() < width / 2.0,
                "{iso}: a stroke from {a:?} to {b:?}"
            );
        }
    }
}

/// The straight segments of a path written as `M x y l dx dy dx dy … z` subpaths.
fn segments(d: &str) -> Vec<((f64, f64), (f64, f64))> {
    let mut out = Vec::new();
    for sub in d.split('M').filter(|s| !s.is_empty()) {
        let sub = sub.trim_end_matches('z');
        let (start, rest) = sub.split_once('l').unwrap_or((sub, ""));
        let nums = |s: &str| -> Vec<f64> {
            s.replace('-', " -")
                .split_whitespace()
                .map(|n| n.parse().unwrap())
                .collect()
        };
        let s = nums(start);
        let mut at = (s[0], s[1]);
        for pair in nums(rest).chunks(2) {
            let next = (at.0 + pair[0], at.1 + pair[1]);
            out.push((at, next));
            at = next;
        }
    }
    out
}

#[test]
fn bad_map_keys_are_errors_at_their_line() {
    for (block, needle) in [
        ("series: sector\n", "takes no `series`"),
        ("breaks: [10, 1]\n", "each larger than the one before"),
        ("classes: 12\n", "whole number from 2 to 7"),
        (
            "classes: 3\nbreaks: [1, 2]\n",
            "both `classes` and `breaks`",
        ),
    ] {
        let site = TestSite::new();
        site.write("content/data/places.csv", PLACES_CSV);
        site.brief(
            "m.md",
            "title: M\ndate: 2025-01-01",
            &format!("```chart\ndata: places.csv\ntype: map\nx: country\ny: spend\n{block}```\n"),
        );
        let run = site.build();
        assert_eq!(run.code, 1, "{block}: {}", run.stderr);
        assert!(run.stderr.contains(needle), "{block}: {}", run.stderr);
        // The key's own line: the block starts on line 5 (after 4 front-matter lines), its
        // keys after the five written above.
        assert!(
            run.stderr.contains("content/briefs/m.md:1"),
            "{}",
            run.stderr
        );
    }
    let site = TestSite::new();
    site.write("content/data/places.csv", PLACES_CSV);
    site.brief(
        "b.md",
        "title: B\ndate: 2025-01-01",
        "```chart\ndata: places.csv\ntype: bar\nx: country\ny: spend\nclasses: 3\n```\n",
    );
    let run = site.build();
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("for maps only"), "{}", run.stderr);
}

#[test]
fn explicit_breaks_colour_the_countries_into_those_classes() {
    let site = TestSite::new();
    site.write(
        "content/data/p.csv",
        "country,v\nFrance,0.5\nGermany,5\nItaly,50\nSpain,500\n",
    );
    site.brief(
        "m.md",
        "title: M\ndate: 2025-01-01",
        "```chart\ndata: p.csv\ntype: map\nx: country\ny: v\nbreaks: [1, 10, 100]\n```\n",
    );
    site.build().assert_ok();
    let html = site.page("briefs/m/index.html");
    let svg = svg_after(&html, "chart-m-1");
    let class_of = |iso: &str| shapes(svg).into_iter().find(|s| s.0 == iso).unwrap().2;
    // Four classes spread over the seven steps of the ramp, lightest to darkest.
    assert!(
        class_of("FRA").contains("map-fill-1"),
        "{}",
        class_of("FRA")
    );
    assert!(
        class_of("ESP").contains("map-fill-7"),
        "{}",
        class_of("ESP")
    );
    let steps: Vec<String> = ["FRA", "DEU", "ITA", "ESP"]
        .iter()
        .map(|i| class_of(i))
        .collect();
    let mut distinct = steps.clone();
    distinct.dedup();
    assert_eq!(distinct.len(), 4, "{steps:?}");
    for label in ["Under 1", "1\u{2013}10", "10\u{2013}100", "100 and over"] {
        assert!(svg.contains(&format!(">{label}</text>")), "legend {label}");
    }
}

const REGION_CSV: &str =
    "investor,region,spend_usd_bn\nA,France,2.5\nB,FRA,1.5\nC,Kazakhstan,1.2\nD,Central Asia,3\n";

fn region_site(site_yaml_extra: &str) -> TestSite {
    let site = TestSite::new();
    site.write(
        "site.yaml",
        &format!("title: T\nbase_url: https://example.org/\n{site_yaml_extra}"),
    );
    site.write("content/data/spend.csv", REGION_CSV);
    site.brief(
        "s.md",
        "title: S\ndate: 2025-01-01\nregions: [France, Central Asia]",
        "```chart\ndata: spend.csv\ntype: hbar\nx: region\ny: spend_usd_bn\nunit: USD bn\n```\n",
    );
    site
}

#[test]
fn regions_and_home_open_with_the_spend_map_and_a_country_page_locates_it() {
    let site = region_site("");
    site.build().assert_ok();
    let regions = site.page("regions/index.html");
    let map_at = regions
        .find("id=\"chart-spend-map\"")
        .expect("a spend map on /regions/");
    let bars_at = regions
        .find("id=\"chart-spend-by-region\"")
        .expect("the bars stay");
    assert!(map_at < bars_at, "the map comes above the bars");
    let svg = svg_after(&regions, "id=\"chart-spend-map\"");
    let fra = shapes(svg).into_iter().find(|s| s.0 == "FRA").unwrap();
    assert!(
        fra.3.ends_with(": 4 USD bn") || fra.3.ends_with(": 4.0 USD bn"),
        "France and FRA summed: {fra:?}"
    );
    assert!(between(&regions, "id=\"chart-spend-map\"", "</figure>").contains("Central Asia"));
    let home = site.page("index.html");
    assert!(
        home.contains("id=\"chart-spend-map\""),
        "the home page opens with the map"
    );
    let france = site.page("regions/france/index.html");
    let locator = svg_after(&france, "chart-locator");
    let focus: Vec<_> = shapes(locator)
        .into_iter()
        .filter(|s| s.2.contains("map-focus"))
        .collect();
    assert_eq!(focus.len(), 1, "{focus:?}");
    assert_eq!(focus[0].0, "FRA");
    assert!(focus[0].3.contains("France"), "{focus:?}");
    // A close-up of France's neighbourhood: its neighbours, not the other side of the world.
    let drawn: Vec<String> = shapes(locator).into_iter().map(|s| s.0).collect();
    assert!(
        drawn.iter().any(|i| i == "ESP") && !drawn.iter().any(|i| i == "AUS"),
        "{drawn:?}"
    );
    assert!(
        locator.len() < 40_000,
        "a locator carries only what it shows: {}",
        locator.len()
    );
    let central_asia = site.page("regions/central-asia/index.html");
    assert!(
        !central_asia.contains("chart-locator"),
        "a region of several countries has no locator"
    );
    assert!(site.exists("regions/spend-by-country.csv"));

    let off = region_site("home_map: false\n");
    off.build().assert_ok();
    assert!(!off.page("index.html").contains("chart-spend-map"));
    assert!(off.page("regions/index.html").contains("chart-spend-map"));
}
