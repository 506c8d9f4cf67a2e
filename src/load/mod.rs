//! The load stage: reads a site folder into a [`Site`].
//!
//! Walks `content/briefs/` in sorted order, reads every brief in parallel, validates
//! `site.yaml` and the front-matter, and runs the checks that need every file at once
//! (duplicate slugs). Every problem is collected; nothing here stops at the first one.

mod annotate;
pub mod cache;
mod chart_facet;
mod chart_map;
pub mod charts;
mod config;
pub mod data;
mod fields;
mod format;
pub mod frontmatter;
mod now;
pub mod number;
mod shortcodes;
pub mod source;
mod tables;
mod toml_front;
mod values;
mod walk;
pub mod watched;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diag::Diag;
use crate::model::{Brief, ScheduleState, Site, StaticFile, TemplateSource, slug::slugify};
pub use now::{NextChange, SOURCE_DATE_EPOCH, now_from};
use now::{clock_now, next_change};
use rayon::prelude::*;
use walk::{Hidden, shown_path};

#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    pub root: PathBuf,
    /// `--base-url`: replaces `base_url` from site.yaml.
    pub base_url: Option<String>,
    /// `--drafts`: include briefs marked `draft: true`.
    pub drafts: bool,
    /// `--future`: include briefs whose `publish_date` is still to come.
    pub future: bool,
    /// `--expired`: include briefs whose `expiry_date` has passed.
    pub expired: bool,
    /// The moment the build takes as now, in seconds since the epoch: the command line fills
    /// it once, from `SOURCE_DATE_EPOCH` or the clock ([`now_from`]), so the same input and
    /// the same `SOURCE_DATE_EPOCH` give the same site. `None` reads the clock when loading.
    pub now: Option<i64>,
    /// Briefs and data files parsed by an earlier load (`briefing serve`): a file whose bytes
    /// are unchanged is not parsed again.
    pub cache: Option<std::sync::Arc<cache::LoadCache>>,
}

/// The site when it loaded without errors, and every problem found on the way.
pub struct Loaded {
    pub site: Option<Site>,
    pub diags: Vec<Diag>,
    /// When the site would next change by itself (`briefing check --format json` says).
    pub next_change: Option<NextChange>,
}

/// A loaded brief with its warnings, or every error it has.
type BriefResult = Result<(Brief, Vec<Diag>), Vec<Diag>>;

pub fn load_site(options: &LoadOptions) -> Loaded {
    let root = &options.root;
    let mut diags = Vec::new();
    if let Some(cache) = &options.cache {
        cache.begin_load();
    }
    walk::check_top_level(root, &mut diags);
    if diags.iter().any(Diag::is_error) {
        // A folder from outside the site would be read whole: nothing is read at all.
        return Loaded {
            site: None,
            diags,
            next_change: None,
        };
    }

    let config = read_config(root, options.base_url.as_deref(), &mut diags);

    let briefs_dir = root.join(crate::layout::BRIEFS);
    let paths: Arc<[(PathBuf, String)]> = if briefs_dir.is_dir() {
        brief_paths(root, &briefs_dir, options.cache.as_deref(), &mut diags)
    } else {
        diags.push(
            Diag::warning(
                "site/no-briefs",
                "no content/briefs folder: the site has no briefs",
            )
            .with_help("put one Markdown file per brief in content/briefs/"),
        );
        Arc::from(Vec::new())
    };

    crate::trace::stage("load: walk");
    let (briefs, next_change) = published_briefs(options, &paths, &briefs_dir, &mut diags);
    check_slugs(&briefs, &mut diags);
    if paths.is_empty() && briefs_dir.is_dir() {
        diags.push(
            Diag::warning(
                "site/no-briefs",
                "content/briefs holds no .md file: the site has no briefs",
            )
            .in_file("content/briefs"),
        );
    }

    crate::trace::stage("load: briefs");
    let tables::Tables {
        tables: data,
        fingerprints,
    } = tables::load(root, &briefs, options.cache.as_deref(), &mut diags);
    let language = config.as_ref().map_or("en", |c| c.language.as_str());
    let mut briefs = briefs;
    for brief in &mut briefs {
        (brief.chart_data_fingerprint, brief.data_fingerprint) =
            tables::data_fingerprints(brief, &fingerprints);
        if let Some(cache) = &options.cache
            && !brief.charts.is_empty()
        {
            brief.prepared = cache.prepared(brief).unwrap_or_default();
        }
    }
    values::bind(
        &mut briefs,
        &data,
        language,
        options.cache.as_deref(),
        &mut diags,
    );
    crate::trace::stage("load: data");
    let static_files = static_files(root, &mut diags);
    let templates = templates(root, &mut diags);

    let failed = diags.iter().any(Diag::is_error);
    let site = match config {
        Some(config) if !failed => Some(Site::assemble(
            config,
            briefs,
            static_files,
            templates,
            data,
        )),
        _ => None,
    };
    let site = site.map(|mut site| {
        site.read_brief = read_brief;
        if let Some(cache) = &options.cache {
            cache.keep_prepared(&site.briefs);
        }
        site
    });
    Loaded {
        site,
        diags,
        next_change,
    }
}

/// Every brief read (in parallel), and those the site shows: drafts only with `--drafts`,
/// scheduled and expired briefs only with `--future` and `--expired`. Also the next moment a
/// brief's schedule changes what the site shows.
fn published_briefs(
    options: &LoadOptions,
    paths: &cache::BriefPaths,
    briefs_dir: &Path,
    diags: &mut Vec<Diag>,
) -> (Vec<Brief>, Option<NextChange>) {
    let results: Vec<BriefResult> = paths
        .par_iter()
        .map(|(path, shown)| load_cached(options, path, shown, briefs_dir))
        .collect();
    if let Some(cache) = &options.cache {
        cache.keep_only(paths);
    }
    let now = options.now.unwrap_or_else(clock_now);
    let mut read = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok((brief, warnings)) => {
                diags.extend(warnings);
                if options.drafts || !brief.front.draft {
                    read.push(brief);
                }
            }
            Err(errors) => diags.extend(errors),
        }
    }
    let next_change = next_change(read.iter(), now);
    // Scheduled and expired briefs leave here, as drafts do: nothing downstream sees them.
    let briefs: Vec<Brief> = read
        .into_iter()
        .filter_map(|mut brief| {
            brief.schedule = brief.front.schedule_at(now);
            let kept = match brief.schedule.as_ref().map(|s| s.state) {
                None => true,
                Some(ScheduleState::Scheduled) => options.future,
                Some(ScheduleState::Expired) => options.expired,
            };
            kept.then_some(brief)
        })
        .collect();
    (briefs, next_change)
}

fn read_config(
    root: &Path,
    base_url: Option<&str>,
    diags: &mut Vec<Diag>,
) -> Option<crate::model::SiteConfig> {
    let path = root.join("site.yaml");
    if !path.is_file() {
        diags.push(Diag::error("site/not-found", format!("no site.yaml in {}", root.display())).with_help(
            "create site.yaml with `title: ...` and `base_url: https://...`, or pass --root with the site folder",
        ));
        return None;
    }
    let text = match source::read_text(&path, "site.yaml") {
        Ok(text) => text,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let (config, problems) = config::parse(&text, "site.yaml", base_url);
    diags.extend(problems);
    config
}

fn is_markdown(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
}

/// Every brief file under `dir`, sorted (see [`walk`] for which links are followed); as
/// walked before when the cache has the walk and the server's watcher vouches for it.
fn brief_paths(
    root: &Path,
    dir: &Path,
    cache: Option<&cache::LoadCache>,
    diags: &mut Vec<Diag>,
) -> Arc<[(PathBuf, String)]> {
    if let Some(paths) = cache.and_then(|c| c.walked(dir)) {
        return paths;
    }
    let before = diags.len();
    let (mut paths, links) = walk::files_and_links(root, dir, Hidden::Skip, diags);
    paths.retain(|(path, _)| is_markdown(path));
    let paths: Arc<[(PathBuf, String)]> = paths.into();
    // A walk through links is not kept: an event names the file written, not the link to it.
    if let Some(cache) = cache
        && !links
        && diags.len() == before
    {
        cache.keep_walk(dir, paths.clone());
    }
    paths
}

/// A brief's text, read again from its file (or taken from memory while it is still there).
/// The body's start is found again, in case the file changed since it was loaded.
pub fn read_brief(brief: &Brief) -> Result<crate::model::BriefText, Diag> {
    if brief.has_body() {
        return crate::model::text_in_memory(brief);
    }
    let text = source::read_text(&brief.source_path, &brief.path)?;
    let body_start = frontmatter::split(&text).map_or(brief.body_offset, |s| s.body_start);
    Ok(crate::model::BriefText { text, body_start })
}

/// Loads one brief file of the site at `root` (for `briefing serve`, when one file changed),
/// with the same checks as a full load except those that need every brief (duplicate slugs,
/// data files).
pub fn load_one_brief(root: &Path, path: &Path) -> BriefResult {
    let briefs_dir = root.join(crate::layout::BRIEFS);
    let shown = shown_path(root, path);
    load_brief(path, &shown, &briefs_dir)
}

/// A brief file read and parsed, or as parsed before when the file is unchanged.
fn load_cached(options: &LoadOptions, path: &Path, shown: &str, briefs_dir: &Path) -> BriefResult {
    let read = || source::read_text(path, shown);
    // Only the front-matter stays in memory, in the cache too: with every body kept, 100,000
    // briefs would hold 600 MB of Markdown. Bodies are read again when they render. Under
    // serve, a brief with values keeps its body: an edit of a data file its values read
    // renders its page again, and 1,000 such briefs were 2,000 files read (binding places
    // its warnings in the text) on every save of that file.
    let keep_body = options.cache.is_some();
    let parse = |text| {
        parse_brief(text, path, shown, briefs_dir).map(|(mut brief, warnings)| {
            if !keep_body || brief.front.values.is_empty() {
                brief.drop_body();
            }
            (brief, warnings)
        })
    };
    match &options.cache {
        Some(cache) => cache.brief(path, read, parse),
        None => parse(read().map_err(|d| vec![d])?),
    }
}

fn load_brief(
    path: &Path,
    shown: &str,
    briefs_dir: &Path,
) -> Result<(Brief, Vec<Diag>), Vec<Diag>> {
    let text: Arc<str> = source::read_text(path, shown).map_err(|d| vec![d])?;
    parse_brief(text, path, shown, briefs_dir)
}

/// A brief from the text of its file: what it is depends on these bytes and the file's
/// path alone (the cache relies on that).
fn parse_brief(text: Arc<str>, path: &Path, shown: &str, briefs_dir: &Path) -> BriefResult {
    let name = file_slug_source(path, briefs_dir);
    let (file_date, name) = match date_prefix(&name) {
        Some((date, rest)) => (Some(date), rest.to_string()),
        None => (None, name),
    };
    let parsed = frontmatter::parse_dated(&text, shown, file_date)?;
    let (charts, mut body_diags) = charts::find(&text, parsed.body_start, shown);
    let (value_uses, value_diags) = values::uses(
        &text,
        parsed.body_start,
        shown,
        &parsed.front.values,
        parsed.front.summary.as_deref(),
    );
    body_diags.extend(value_diags);
    if body_diags.iter().any(Diag::is_error) {
        return Err(body_diags);
    }
    let mut warnings = parsed.warnings;
    warnings.extend(body_diags);
    warnings.extend(shortcodes::find(&text, parsed.body_start, shown));
    let slug = match &parsed.front.slug {
        Some(wanted) => {
            let clean = slugify(wanted);
            if clean != *wanted && !clean.is_empty() {
                warnings.push(
                    Diag::warning(
                        "brief/unsafe-slug",
                        format!("slug {wanted:?} is not URL-safe; using {clean:?}"),
                    )
                    .in_file(shown)
                    .with_help(format!("write `slug: {clean}`")),
                );
            }
            clean
        }
        None => slugify(&name),
    };
    if slug.is_empty() {
        return Err(vec![
            Diag::error(
                "brief/bad-slug",
                "cannot make a URL slug for this brief: its name has no letters or digits",
            )
            .in_file(shown)
            .with_help("add `slug: some-name` to the front-matter"),
        ]);
    }
    if crate::model::slug::is_reserved_brief_slug(&slug) {
        return Err(vec![
            Diag::error(
                "brief/bad-slug",
                "the slug `page` is reserved for the pages of the brief list",
            )
            .in_file(shown)
            .with_help("set another `slug:` in the front-matter or rename the file"),
        ]);
    }
    Ok((
        Brief {
            path: shown.to_string(),
            source_path: path.to_path_buf(),
            slug,
            front: parsed.front,
            fingerprint: crate::fingerprint::of_bytes(text.as_bytes()),
            source: text,
            body_offset: parsed.body_start,
            charts,
            prepared: Default::default(),
            schedule: None,
            value_uses,
            bound: Vec::new(),
            data_fingerprint: 0,
            chart_data_fingerprint: 0,
        },
        warnings,
    ))
}

/// `x.md` gives `x`; `x/index.md` gives `x` (the folder names the brief).
fn file_slug_source(path: &Path, briefs_dir: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if stem.eq_ignore_ascii_case("index")
        && let Some(parent) = path.parent()
        && parent != briefs_dir
        && let Some(name) = parent.file_name()
    {
        return name.to_string_lossy().into_owned();
    }
    stem
}

/// `2015-03-17-slug` (or `2015-03-17_slug`), the Jekyll and Zola convention: the date, and
/// the name without it. As in Zola, the prefix leaves the slug whether or not the
/// front-matter has a `date` (which then wins over the name's).
fn date_prefix(name: &str) -> Option<(crate::model::BriefDate, &str)> {
    let (head, rest) = (name.get(..10)?, name.get(11..)?);
    let shape = head.bytes().enumerate().all(|(i, b)| {
        if i == 4 || i == 7 {
            b == b'-'
        } else {
            b.is_ascii_digit()
        }
    });
    if !shape || !matches!(name.as_bytes()[10], b'-' | b'_') || rest.is_empty() {
        return None;
    }
    Some((crate::model::BriefDate::parse(head)?, rest))
}

fn check_slugs(briefs: &[Brief], diags: &mut Vec<Diag>) {
    let mut by_slug: BTreeMap<&str, Vec<&Brief>> = BTreeMap::new();
    for b in briefs {
        by_slug.entry(&b.slug).or_default().push(b);
    }
    for (slug, group) in by_slug {
        if group.len() < 2 {
            continue;
        }
        let names: Vec<&str> = group.iter().map(|b| b.path.as_str()).collect();
        for b in &group {
            let others: Vec<&str> = names.iter().copied().filter(|n| *n != b.path).collect();
            diags.push(
                Diag::error(
                    "brief/duplicate-slug",
                    format!(
                        "slug `{slug}` is used by more than one brief: also {}",
                        others.join(", ")
                    ),
                )
                .in_file(b.path.clone())
                .with_help("give one of them another file name or a `slug:` in its front-matter"),
            );
        }
    }
}

/// Every file under `static/`, dotfiles included (`CNAME`, `.well-known/`).
fn static_files(root: &Path, diags: &mut Vec<Diag>) -> Vec<StaticFile> {
    let dir = root.join("static");
    if !dir.is_dir() {
        return Vec::new();
    }
    walk::files(root, &dir, Hidden::Keep, diags)
        .into_iter()
        .map(|(source_path, _)| StaticFile {
            rel: shown_path(&dir, &source_path),
            source_path,
        })
        .collect()
}

/// The site's template overrides, by name relative to `templates/`.
fn templates(root: &Path, diags: &mut Vec<Diag>) -> Vec<TemplateSource> {
    let dir = root.join("templates");
    let mut out = Vec::new();
    if !dir.is_dir() {
        return out;
    }
    for (path, shown) in walk::files(root, &dir, Hidden::Skip, diags) {
        match source::read_text(&path, &shown) {
            Ok(text) => out.push(TemplateSource {
                name: shown_path(&dir, &path),
                path: shown,
                text: text.to_string(),
            }),
            Err(d) => diags.push(d),
        }
    }
    out
}

/// A site folder for unit tests: a `site.yaml` and an empty `content/briefs/`.
#[cfg(test)]
pub(crate) fn test_site_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("site.yaml"),
        "title: T\nbase_url: \"https://x.example\"\n",
    )
    .unwrap();
    std::fs::create_dir_all(dir.path().join(crate::layout::BRIEFS)).unwrap();
    dir
}

#[cfg(test)]
mod tests {
    use super::{date_prefix, next_change, now_from};
    use crate::model::{BriefDate, ScheduleState};

    fn brief(path: &str, front: &str) -> crate::model::Brief {
        let text: std::sync::Arc<str> =
            std::sync::Arc::from(format!("---\ntitle: t\ndate: 2025-01-01\n{front}\n---\n"));
        let parsed = super::frontmatter::parse(&text, path).ok().unwrap();
        crate::model::Brief {
            path: path.to_string(),
            source_path: path.into(),
            slug: "t".to_string(),
            front: parsed.front,
            source: text,
            body_offset: parsed.body_start,
            charts: Vec::new(),
            prepared: Default::default(),
            schedule: None,
            value_uses: Vec::new(),
            bound: Vec::new(),
            fingerprint: 0,
            data_fingerprint: 0,
            chart_data_fingerprint: 0,
        }
    }

    #[test]
    fn source_date_epoch_is_whole_seconds() {
        assert_eq!(now_from(Some("1767225600".as_ref())).unwrap(), 1767225600);
        assert_eq!(now_from(Some(" 0\n".as_ref())).unwrap(), 0);
        for bad in ["", "soon", "1.5", "99999999999999999999"] {
            let d = now_from(Some(bad.as_ref())).unwrap_err();
            assert_eq!(d.code, "site/source-date-epoch");
            assert_eq!(crate::diag::exit_code(&[d]), 2);
        }
        assert!(now_from(None).unwrap() > 1_700_000_000);
    }

    #[test]
    fn a_date_alone_is_midnight_utc_and_the_edges_are_exact() {
        let b = brief("a.md", "publish_date: 2026-01-01\nexpiry_date: 2026-02-01");
        let midnight = BriefDate::parse("2026-01-01T00:00:00Z")
            .unwrap()
            .timestamp();
        let state = |now| b.front.schedule_at(now).map(|s| s.state);
        assert_eq!(state(midnight - 1), Some(ScheduleState::Scheduled));
        assert_eq!(state(midnight), None);
        let expiry = BriefDate::parse("2026-02-01").unwrap().timestamp();
        assert_eq!(state(expiry - 1), None);
        assert_eq!(state(expiry), Some(ScheduleState::Expired));
    }

    #[test]
    fn the_next_change_is_the_earliest_date_still_to_come() {
        let briefs = [
            brief("a.md", "publish_date: 2026-03-01"),
            brief(
                "b.md",
                "publish_date: 2025-01-01\nexpiry_date: 2026-02-01T00:00:00+01:00",
            ),
            brief("c.md", "expiry_date: 2024-01-01"),
        ];
        let now = BriefDate::parse("2025-06-01").unwrap().timestamp();
        let next = next_change(briefs.iter(), now).unwrap();
        assert_eq!((next.path.as_str(), next.key), ("b.md", "expiry_date"));
        assert_eq!(next.utc(), "2026-01-31T23:00:00Z");
        let later = BriefDate::parse("2026-02-01").unwrap().timestamp();
        let next = next_change(briefs.iter(), later).unwrap();
        assert_eq!((next.path.as_str(), next.key), ("a.md", "publish_date"));
        let past = BriefDate::parse("2027-01-01").unwrap().timestamp();
        assert!(next_change(briefs.iter(), past).is_none());
    }

    #[test]
    fn a_date_prefix_gives_the_date_and_the_rest_of_the_name() {
        let (date, rest) = date_prefix("2015-03-17-ai-spend").unwrap();
        assert_eq!((date.iso().as_str(), rest), ("2015-03-17", "ai-spend"));
        assert_eq!(date_prefix("2015-03-17_x").unwrap().1, "x");
        assert!(date_prefix("2015-03-17").is_none());
        assert!(date_prefix("2015-03-17-").is_none());
        assert!(date_prefix("2015-02-30-x").is_none());
        assert!(date_prefix("2015-3-17-xyz").is_none());
        assert!(date_prefix("20150317-slug").is_none());
        assert!(date_prefix("ai-infrastructure-spend").is_none());
    }
}
