//! Unit tests of front-matter splitting and validation (src/load/frontmatter.rs).

use super::*;

fn parse_str(text: &str) -> Result<Parsed, Vec<Diag>> {
    parse(&Arc::from(text), "b.md")
}

#[test]
fn splits_front_matter_from_body() {
    let s = split("---\ntitle: a\n---\nbody\n").unwrap();
    assert_eq!((s.yaml_start, s.yaml_end, s.body_start), (4, 13, 17));
}

#[test]
fn blank_lines_may_come_before_the_front_matter() {
    let s = split("\n  \n---\ntitle: a\n---\nbody\n").unwrap();
    assert_eq!((s.yaml_start, s.yaml_end, s.body_start), (8, 17, 21));
    let errs = parse_str("\n\n---\ntitle: [a]\ndate: 2025-01-01\n---\n")
        .err()
        .unwrap();
    assert_eq!(errs[0].at.unwrap().line, 4);
    let (code, message, at, _) = split("\n---\ntitle: a\n").unwrap_err();
    assert_eq!(code, "front-matter/unclosed");
    assert_eq!(
        (message.as_str(), at),
        ("front-matter opened on line 2 is never closed", 1)
    );
    assert_eq!(split("\n\ntext\n").unwrap_err().0, "front-matter/missing");
    assert_eq!(split("\n\n").unwrap_err().1, "the file is empty");
}

#[test]
fn the_file_name_date_stands_in_for_a_missing_date_only() {
    let text: Arc<str> = Arc::from("---\ntitle: a\n---\n");
    let named = BriefDate::parse("2015-03-17");
    let p = parse_dated(&text, "b.md", named.clone()).ok().unwrap();
    assert_eq!(p.front.date.iso(), "2015-03-17");
    let dated: Arc<str> = Arc::from("---\ntitle: a\ndate: 2020-01-02\n---\n");
    let p = parse_dated(&dated, "b.md", named).ok().unwrap();
    assert_eq!(p.front.date.iso(), "2020-01-02");
    let errs = parse(&text, "b.md").err().unwrap();
    let help = errs[0].help.clone().unwrap_or_default();
    assert!(help.contains("2025-11-20-{slug}.md"), "{help}");
}

#[test]
fn hugo_and_jekyll_names_are_read_with_a_warning_each() {
    let p = parse_str(
        "---\ntitle: a\ndate: 2025-01-01\ndescription: The gist\nlastmod: 2025-01-03\n\
         tags: [AI, cloud]\ncategories: [ai, Policy]\npublishDate: 2025-01-01\n\
         expiryDate: 2026-01-01\n---\n",
    )
    .ok()
    .unwrap();
    assert_eq!(p.front.summary.as_deref(), Some("The gist"));
    assert_eq!(p.front.updated.as_ref().unwrap().iso(), "2025-01-03");
    assert_eq!(p.front.tags, ["AI", "cloud", "Policy"]);
    assert_eq!(p.front.publish_date.as_ref().unwrap().iso(), "2025-01-01");
    assert_eq!(p.front.expiry_date.as_ref().unwrap().iso(), "2026-01-01");
    assert!(p.front.extra.is_empty(), "{:?}", p.front.extra);
    let said: Vec<(&str, usize, &str)> = p
        .warnings
        .iter()
        .map(|d| (d.code, d.at.unwrap().line, d.message.as_str()))
        .collect();
    assert_eq!(
        said,
        [
            (
                "front-matter/other-name",
                4,
                "`description` is read as `summary`; rename it to silence this warning"
            ),
            (
                "front-matter/other-name",
                7,
                "`categories` is read as `tags` (merged with them); rename it to silence this warning"
            ),
            (
                "front-matter/other-name",
                5,
                "`lastmod` is read as `updated`; rename it to silence this warning"
            ),
            (
                "front-matter/other-name",
                8,
                "`publishDate` is read as `publish_date`; rename it to silence this warning"
            ),
            (
                "front-matter/other-name",
                9,
                "`expiryDate` is read as `expiry_date`; rename it to silence this warning"
            ),
        ]
    );
}

#[test]
fn publish_and_expiry_dates_are_read_as_dates() {
    let p = parse_str(
        "---\ntitle: a\ndate: 2025-01-01\npublish_date: 2026-01-01T09:00:00+02:00\n\
         expiry_date: 2027-01-01\n---\n",
    )
    .ok()
    .unwrap();
    let publish = p.front.publish_date.as_ref().unwrap();
    assert_eq!(publish.iso(), "2026-01-01T09:00:00+02:00");
    assert_eq!(p.front.expiry_date.as_ref().unwrap().iso(), "2027-01-01");
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    let errs = parse_str("---\ntitle: a\ndate: 2025-01-01\npublish_date: soon\n---\n")
        .err()
        .unwrap();
    assert_eq!(errs[0].code, "front-matter/bad-value");
}

#[test]
fn our_names_win_over_theirs_which_stay_extra() {
    let p = parse_str(
        "---\ntitle: a\ndate: 2025-01-01\nsummary: Ours\nexcerpt: Theirs\n\
         updated: 2025-01-02\nlastmod: 2025-01-03\n---\n",
    )
    .ok()
    .unwrap();
    assert_eq!(p.front.summary.as_deref(), Some("Ours"));
    assert_eq!(p.front.updated.as_ref().unwrap().iso(), "2025-01-02");
    assert!(p.front.extra.contains_key("excerpt") && p.front.extra.contains_key("lastmod"));
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    let p = parse_str("---\ntitle: a\ndate: 2025-01-01\nexcerpt: Jekyll's\n---\n")
        .ok()
        .unwrap();
    assert_eq!(p.front.summary.as_deref(), Some("Jekyll's"));
    assert!(
        p.warnings[0]
            .message
            .starts_with("`excerpt` is read as `summary`")
    );
}

#[test]
fn toml_front_matter_is_read_like_yaml() {
    let p = parse_str(
        "+++\ntitle = \"TOML\"\ndate = 2025-01-01\nlastmod = 2025-01-02T08:00:00Z\n\
         tags = [\"a\", \"b\"]\ndraft = false\nweight = 1.50\n[params]\nx = 1\n+++\nBody\n",
    )
    .ok()
    .unwrap();
    assert_eq!(p.front.title, "TOML");
    assert_eq!(p.front.date.iso(), "2025-01-01");
    assert_eq!(p.front.updated.unwrap().iso(), "2025-01-02T08:00:00+00:00");
    assert_eq!(p.front.tags, ["a", "b"]);
    assert!(p.front.extra.contains_key("params") && p.front.extra.contains_key("weight"));
    assert_eq!(p.warnings.len(), 1, "{:?}", p.warnings);
    assert_eq!(p.warnings[0].at.unwrap().line, 4);
}

#[test]
fn toml_problems_point_at_their_lines() {
    let errs = parse_str("+++\ntitle = \"a\"\ndate = \"2025-02-30\"\ndraft = \"yes\"\n+++\n")
        .err()
        .unwrap();
    let at: Vec<(usize, usize)> = errs
        .iter()
        .map(|d| (d.at.unwrap().line, d.at.unwrap().column))
        .collect();
    assert_eq!(at, [(3, 1), (4, 9)], "{errs:?}");
    let errs = parse_str("\n+++\ntitle = \"a\"\ndate = [2025\n+++\n")
        .err()
        .unwrap();
    assert_eq!(errs[0].code, "front-matter/toml");
    assert!(
        errs[0]
            .message
            .starts_with("front-matter is not valid TOML"),
        "{}",
        errs[0].message
    );
    assert!(errs[0].at.unwrap().line >= 4, "{:?}", errs[0].at);
    let errs = parse_str("+++\n+++\n").err().unwrap();
    assert_eq!(errs[0].code, "front-matter/not-a-mapping");
    let (code, _, _, help) = split("+++\ntitle = \"a\"\n---\n").unwrap_err();
    assert_eq!(
        (code, help.as_deref()),
        (
            "front-matter/unclosed",
            Some("add a line with +++ after the last front-matter key")
        )
    );
}

#[test]
fn yaml_error_is_reported_at_its_line_in_the_md_file() {
    let errs = parse_str("---\ntitle: ok\ndate: [2025\n---\n")
        .err()
        .unwrap();
    let at = errs[0].at.unwrap();
    assert!(at.line >= 3, "line {}", at.line);
}

#[test]
fn all_problems_are_collected() {
    let errs = parse_str("---\ntitle: [a]\ndate: 2025-02-30\n---\n")
        .err()
        .unwrap();
    assert_eq!(errs.len(), 2, "{errs:?}");
    assert_eq!(errs[0].at.unwrap().line, 2);
    assert_eq!(errs[1].at.unwrap().line, 3);
}

#[test]
fn a_misspelt_required_key_reports_both_the_gap_and_the_hint() {
    let problems = parse_str("---\ntittle: Spend\ndate: 2025-01-01\n---\n")
        .err()
        .unwrap();
    let messages: Vec<&str> = problems.iter().map(|d| d.message.as_str()).collect();
    assert!(
        messages.contains(&"front-matter has no `title`"),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("`tittle`: did you mean `title`?")),
        "{messages:?}"
    );
}

#[test]
fn tab_help_is_given_for_tabs_only() {
    let tabs = parse_str("---\ntitle: a\n\tdate: x\n---\n").err().unwrap();
    let table = parse_str("---\ntable: a\ntable: b\n---\n").err().unwrap();
    let help = |p: &[Diag]| p[0].help.clone().unwrap_or_default();
    assert!(
        help(&tabs).contains("not tabs"),
        "{}: {}",
        tabs[0].message,
        help(&tabs)
    );
    assert!(
        help(&table).contains("each key may appear once"),
        "{}: {}",
        table[0].message,
        help(&table)
    );
}

#[test]
fn misspelt_keys_warn_and_are_kept() {
    let p = parse_str("---\ntitle: a\ndate: 2025-01-01\nregion: [France]\n---\n")
        .ok()
        .unwrap();
    assert_eq!(p.warnings.len(), 1);
    assert!(p.warnings[0].message.contains("did you mean `regions`"));
    assert!(p.front.extra.contains_key("region"));
}
