//! Loads the data files the briefs' charts use, each once, and checks every chart against
//! its table (file found, columns known). Problems in a data file name the file with its line
//! and column, and the brief and line of each chart block that uses it.

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;

use super::cache::LoadCache;
use super::data::read_table_cached;
use crate::diag::{Diag, did_you_mean};
use crate::model::Brief;
use crate::model::chart::{Aggregate, ChartData, ChartSpec, DataTable};
use crate::model::facet;

/// The data files the briefs use, by path under `content/data/`, with the fingerprint of
/// each file read.
pub(super) struct Tables {
    pub(super) tables: BTreeMap<String, DataTable>,
    pub(super) fingerprints: BTreeMap<String, u64>,
}

pub(super) fn load(
    root: &Path,
    briefs: &[Brief],
    cache: Option<&LoadCache>,
    diags: &mut Vec<Diag>,
) -> Tables {
    let data_dir = root.join("content").join("data");
    let mut users: BTreeMap<&str, Vec<(&Brief, User)>> = BTreeMap::new();
    for brief in briefs {
        for chart in &brief.charts {
            if let ChartData::File(path) = &chart.data {
                let user = User::Chart(chart.offset);
                users.entry(path.as_str()).or_default().push((brief, user));
            }
        }
        for value in &brief.front.values {
            let user = User::Value(value.offset, &value.name);
            users
                .entry(value.data.as_str())
                .or_default()
                .push((brief, user));
        }
    }
    let files: Vec<&str> = users.keys().copied().collect();
    let data_real = data_dir.canonicalize().ok();
    let results: Vec<_> = files
        .par_iter()
        .map(|&rel| (rel, read_one(&data_dir, data_real.as_deref(), rel, cache)))
        .collect();
    if let Some(cache) = cache {
        let paths: Vec<_> = files.iter().map(|rel| data_dir.join(rel)).collect();
        cache.keep_tables(&paths);
    }

    let mut tables = BTreeMap::new();
    let mut fingerprints = BTreeMap::new();
    for (rel, (result, fingerprint)) in results {
        fingerprints.insert(rel.to_string(), fingerprint);
        let used_by = users.get(rel).map(Vec::as_slice).unwrap_or(&[]);
        match result {
            Ok((table, warnings)) => {
                diags.extend(warnings);
                tables.insert(rel.to_string(), table);
            }
            Err(Missing) => not_found(&data_dir, rel, used_by, diags),
            Err(Outside(target)) => {
                for (brief, user) in used_by {
                    diags.push(
                        Diag::error(
                            "symlink/outside",
                            format!(
                            "data file content/data/{rel} is a symlink to {}, outside content/data/: not read",
                            target.display()
                        ))
                        .in_file(brief.path.clone())
                        .at_offset(&user.text(brief), user.offset())
                        .with_help("copy the data file into content/data/ instead of linking it"),
                    );
                }
            }
            Err(Invalid(errors)) => {
                let places: Vec<String> = used_by
                    .iter()
                    .map(|(b, user)| {
                        format!(
                            "{}:{}",
                            b.path,
                            crate::diag::Location::at(&user.text(b), user.offset()).line
                        )
                    })
                    .collect();
                let charts_only = used_by.iter().all(|(_, u)| matches!(u, User::Chart(_)));
                let verb = if charts_only { "charted in" } else { "used in" };
                for mut e in errors {
                    e.message = format!("{} ({verb} {})", e.message, places.join(", "));
                    diags.push(e);
                }
            }
        }
    }
    for brief in briefs {
        for chart in &brief.charts {
            let table = match &chart.data {
                ChartData::File(path) => tables.get(path),
                ChartData::Inline(table) => Some(table),
            };
            if let Some(table) = table {
                check_columns(brief, chart, table, diags);
            }
        }
    }
    Tables {
        tables,
        fingerprints,
    }
}

/// The fingerprints of the data files a brief's charts read, and of those its charts and
/// values read, in the order it names them: its charts and its page are made from exactly
/// these bytes.
pub(super) fn data_fingerprints(brief: &Brief, fingerprints: &BTreeMap<String, u64>) -> (u64, u64) {
    let charts = brief.charts.iter().filter_map(|c| match &c.data {
        ChartData::File(path) => Some(path.as_str()),
        ChartData::Inline(_) => None,
    });
    let named: Vec<(&str, Option<&u64>)> = charts.map(|f| (f, fingerprints.get(f))).collect();
    let charted = named.len();
    let named: Vec<(&str, Option<&u64>)> = named
        .into_iter()
        .chain(
            brief
                .front
                .values
                .iter()
                .map(|v| (v.data.as_str(), fingerprints.get(&v.data))),
        )
        .collect();
    let of = |named: &[(&str, Option<&u64>)]| {
        if named.is_empty() {
            0
        } else {
            crate::fingerprint::of(named)
        }
    };
    (of(&named[..charted]), of(&named))
}

/// A data file that is not there: an error at each chart or value that names it, with the
/// nearest file (or what the folder holds).
fn not_found(data_dir: &Path, rel: &str, used_by: &[(&Brief, User)], diags: &mut Vec<Diag>) {
    let known = existing_files(data_dir);
    let names: Vec<&str> = known.iter().map(String::as_str).collect();
    for (brief, user) in used_by {
        let mut d = match user {
            User::Chart(_) => Diag::error(
                "chart/data-not-found",
                format!("chart data file not found: content/data/{rel}"),
            ),
            User::Value(_, name) => Diag::error(
                "value/data-not-found",
                format!("value `{name}`: data file not found: content/data/{rel}"),
            ),
        }
        .in_file(brief.path.clone())
        .at_offset(&user.text(brief), user.offset());
        d = match did_you_mean(rel, &names) {
            Some(near) => d.with_help(format!("did you mean `data: {near}`?")),
            None if names.is_empty() => {
                d.with_help("put the file in content/data/ (the folder is empty or missing)")
            }
            None => d.with_help(format!("files in content/data/: {}", names.join(", "))),
        };
        diags.push(d);
    }
}

/// What in a brief uses a data file: a chart block at its fence, or a value definition (its
/// name) at its line in the front-matter.
#[derive(Clone, Copy)]
enum User<'a> {
    Chart(usize),
    Value(usize, &'a str),
}

impl User<'_> {
    fn offset(self) -> usize {
        match self {
            User::Chart(at) | User::Value(at, _) => at,
        }
    }

    /// The brief's text to point into: a value's line is in the front-matter, still in
    /// memory; a chart's is in the body, read again.
    fn text(self, brief: &Brief) -> std::sync::Arc<str> {
        match self {
            User::Chart(_) => full_text(brief),
            User::Value(..) => brief.source.clone(),
        }
    }
}

/// Why a data file could not be used.
enum LoadError {
    Missing,
    /// A symlink to this target, which is not inside content/data/ of the site.
    Outside(std::path::PathBuf),
    Invalid(Vec<Diag>),
}
use LoadError::{Invalid, Missing, Outside};

/// One data file, `rel` under `data_dir` (whose real path is `data_real`, when it has one).
fn read_one(
    data_dir: &Path,
    data_real: Option<&Path>,
    rel: &str,
    cache: Option<&LoadCache>,
) -> (Result<(DataTable, Vec<Diag>), LoadError>, u64) {
    let path = data_dir.join(rel);
    // A file right in the folder that is no link lies inside it: one lookup of the file, not
    // the two of every path component that resolving it takes (every data file, every save).
    let plain = data_real.is_some()
        && !rel.contains(['/', '\\'])
        && std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file());
    if !plain {
        if !path.is_file() {
            return (Err(Missing), 0);
        }
        // A symlink may not lead a chart outside content/data/ (which itself lies in the
        // site: the walk's top-level check refused it otherwise).
        match (path.canonicalize(), data_real) {
            (Ok(real), Some(dir)) if real.starts_with(dir) => {}
            _ => {
                let target = std::fs::read_link(&path).unwrap_or_default();
                return (Err(Outside(target)), 0);
            }
        }
    }
    let (result, fingerprint) = read_table_cached(&path, &format!("content/data/{rel}"), cache);
    (result.map_err(Invalid), fingerprint)
}

fn existing_files(data_dir: &Path) -> Vec<String> {
    walkdir::WalkDir::new(data_dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            e.path()
                .strip_prefix(data_dir)
                .ok()
                .map(|p| p.to_string_lossy().replace('\\', "/"))
        })
        .collect()
}

fn check_columns(brief: &Brief, chart: &ChartSpec, table: &DataTable, diags: &mut Vec<Diag>) {
    let mut wanted: Vec<(&str, &str)> = vec![("x", chart.x.as_str())];
    if !(chart.aggregate == Aggregate::Count && chart.y.is_empty()) {
        wanted.push(("y", chart.y.as_str()));
    }
    if let Some(s) = &chart.series {
        wanted.push(("series", s.as_str()));
    }
    if let Some(f) = &chart.facet {
        wanted.push(("facet", f.column.as_str()));
    }
    for (column, _) in &chart.filter {
        wanted.push(("filter", column.as_str()));
    }
    let names: Vec<&str> = table.columns.iter().map(String::as_str).collect();
    for (key, column) in wanted {
        if table.column(column).is_some() {
            continue;
        }
        let mut help = format!("columns are {}", names.join(", "));
        if let Some(near) = did_you_mean(column, &names) {
            help = format!("did you mean `{key}: {near}`? {help}");
        }
        diags.push(
            Diag::error(
                "chart/unknown-column",
                format!(
                    "unknown column \"{column}\" in chart `{key}` ({})",
                    table.path
                ),
            )
            .in_file(brief.path.clone())
            .at_offset(&full_text(brief), chart.offset)
            .with_help(help),
        );
    }
    too_many_facets(brief, chart, table, diags);
}

/// A faceted chart may draw at most [`MAX_FACETS`](facet::MAX_FACETS) small charts.
fn too_many_facets(brief: &Brief, chart: &ChartSpec, table: &DataTable, diags: &mut Vec<Diag>) {
    let Some(f) = &chart.facet else { return };
    let Some(count) = facet::too_many(chart, table) else {
        return;
    };
    let most = facet::MAX_FACETS;
    diags.push(
        Diag::error(
            "chart/too-many-facets",
            format!(
                "chart `facet: {}` would draw {count} small charts, one per value in {}; at most {most} are drawn",
                f.column, table.path
            ),
        )
        .in_file(brief.path.clone())
        .at_offset(&full_text(brief), chart.offset)
        .with_help(format!(
            "keep at most {most} with a filter, e.g. `filter: {{{}: [A, B, C]}}`, or facet by a column with fewer values",
            f.column
        )),
    );
}

/// A brief's whole text, read again (bodies are not kept), to point a problem at its chart.
fn full_text(brief: &Brief) -> std::sync::Arc<str> {
    super::read_brief(brief).map_or_else(|_| brief.source.clone(), |t| t.text)
}
