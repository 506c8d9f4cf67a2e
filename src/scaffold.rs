//! `briefing new`: starts a brief with its front-matter filled in, so an editor does not have
//! to remember the keys. Refuses to overwrite anything.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::diag::{Cause, Diag};
use crate::model::BriefDate;
use crate::model::slug::{is_reserved_brief_slug, slugify};

pub struct NewBrief {
    pub title: String,
    pub regions: Vec<String>,
    pub tags: Vec<String>,
    /// `YYYY-MM-DD`; today (UTC) when not given.
    pub date: Option<String>,
}

/// Writes `content/briefs/<slug>.md` under `root` and returns its path.
/// A mistake in the command (exit 2), named by its code.
fn usage(code: &'static str, message: String) -> Diag {
    Diag::error(code, message).caused_by(Cause::Usage)
}

/// The machine would not let a file be written (exit 3).
pub(crate) fn unwritable(path: &Path, e: std::io::Error) -> Diag {
    Diag::error(
        "file/unwritable",
        format!("cannot write {}: {e}", path.display()),
    )
    .caused_by(Cause::Environment)
}

pub fn new_brief(root: &Path, brief: &NewBrief) -> Result<PathBuf, Diag> {
    let title = brief.title.trim();
    if title.is_empty() {
        return Err(usage(
            "brief/new-title",
            "the title is empty: briefing new \"Spend by region, 2025\"".to_string(),
        ));
    }
    let mut slug = slugify(title);
    if slug.is_empty() {
        return Err(usage(
            "brief/new-title",
            format!("cannot make a file name from {title:?}: use a title with letters or digits"),
        ));
    }
    // The build refuses a brief whose URL would be a page of the brief list.
    if is_reserved_brief_slug(&slug) {
        slug.push_str("-brief");
    }
    let date = match &brief.date {
        Some(d) => match BriefDate::parse(d) {
            Some(parsed) => parsed.iso(),
            None => {
                return Err(usage(
                    "brief/new-date",
                    format!("--date {d:?} is not a date: write YYYY-MM-DD, e.g. --date 2025-11-20"),
                ));
            }
        },
        None => today(),
    };
    let dir = root.join(crate::layout::BRIEFS);
    let path = dir.join(format!("{slug}.md"));
    std::fs::create_dir_all(&dir).map_err(|e| unwritable(&dir, e))?;
    let text = format!(
        "---\ntitle: {}\ndate: {date}\nsummary: \"\"\ntags: [{}]\nregions: [{}]\n---\n\n\
Write the brief here: Markdown with ## headings, lists, tables and footnotes.\n\n\
<!--\nTo chart a data file from content/data/, add a block like this (and delete this note):\n\n\
```chart\ndata: spend-2025.csv\ntype: bar\nx: region\ny: spend_usd_bn\naggregate: sum\ntitle: Spend by region\n```\n-->\n",
        yaml_string(title),
        list(&brief.tags),
        list(&brief.regions),
    );
    write_new(&path, &text, || {
        usage(
            "brief/exists",
            format!(
                "{} already exists; briefing new never overwrites a brief",
                path.display()
            ),
        )
    })?;
    Ok(path)
}

/// Writes `text` to a file that must not exist yet (`create_new`: a file that appeared since
/// any check is still never replaced); `exists` says what to report when it does.
pub(crate) fn write_new(
    path: &Path,
    text: &str,
    exists: impl FnOnce() -> Diag,
) -> Result<(), Diag> {
    let mut file = std::fs::File::create_new(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            exists()
        } else {
            unwritable(path, e)
        }
    })?;
    file.write_all(text.as_bytes())
        .map_err(|e| unwritable(path, e))
}

/// A YAML double-quoted string: safe for any title (colons, quotes, `#`, leading dashes).
fn yaml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn list(items: &[String]) -> String {
    items
        .iter()
        .map(|i| yaml_string(i.trim()))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(crate) fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    chrono::DateTime::from_timestamp(secs, 0)
        .map(|t| t.date_naive().format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| "2025-01-01".to_string())
}
