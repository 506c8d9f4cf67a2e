//! Loads the data files the briefs' charts use, each once, and checks every chart against
//! its table (file found, columns known). Problems in a data file name the file with its line
//! and column, and the brief and line of each chart block that uses it.

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;

use super::data::read_table;
use crate::diag::{Diag, did_you_mean};
use crate::model::Brief;
use crate::model::chart::{Aggregate, ChartData, ChartSpec, DataTable};

pub(super) fn load(
    root: &Path,
    briefs: &[Brief],
    diags: &mut Vec<Diag>,
) -> BTreeMap<String, DataTable> {
    let data_dir = root.join("content").join("data");
    let mut users: BTreeMap<&str, Vec<(&Brief, &ChartSpec)>> = BTreeMap::new();
    for brief in briefs {
        for chart in &brief.charts {
            if let ChartData::File(path) = &chart.data {
                users.entry(path.as_str()).or_default().push((brief, chart));
            }
        }
    }
    let files: Vec<&str> = users.keys().copied().collect();
    let results: Vec<_> = files
        .par_iter()
        .map(|&rel| (rel, read_one(&data_dir, rel)))
        .collect();

    let mut tables = BTreeMap::new();
    for (rel, result) in results {
        let used_by = users.get(rel).map(Vec::as_slice).unwrap_or(&[]);
        match result {
            Ok((table, warnings)) => {
                diags.extend(warnings);
                tables.insert(rel.to_string(), table);
            }
            Err(Missing) => {
                let known = existing_files(&data_dir);
                let names: Vec<&str> = known.iter().map(String::as_str).collect();
                for (brief, chart) in used_by {
                    let mut d = Diag::error(
                        "chart/data-not-found",
                        format!("chart data file not found: content/data/{rel}"),
                    )
                    .in_file(brief.path.clone())
                    .at_offset(&full_text(brief), chart.offset);
                    d = match did_you_mean(rel, &names) {
                        Some(near) => d.with_help(format!("did you mean `data: {near}`?")),
                        None if names.is_empty() => d.with_help(
                            "put the file in content/data/ (the folder is empty or missing)",
                        ),
                        None => {
                            d.with_help(format!("files in content/data/: {}", names.join(", ")))
                        }
                    };
                    diags.push(d);
                }
            }
            Err(Outside(target)) => {
                for (brief, chart) in used_by {
                    diags.push(
                        Diag::error(
                            "symlink/outside",
                            format!(
                            "chart data file content/data/{rel} is a symlink to {}, outside content/data/: not read",
                            target.display()
                        ))
                        .in_file(brief.path.clone())
                        .at_offset(&full_text(brief), chart.offset)
                        .with_help("copy the data file into content/data/ instead of linking it"),
                    );
                }
            }
            Err(Invalid(errors)) => {
                let places: Vec<String> = used_by
                    .iter()
                    .map(|(b, c)| {
                        format!(
                            "{}:{}",
                            b.path,
                            crate::diag::Location::at(&full_text(b), c.offset).line
                        )
                    })
                    .collect();
                for mut e in errors {
                    e.message = format!("{} (charted in {})", e.message, places.join(", "));
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
    tables
}

/// Why a data file could not be used.
enum LoadError {
    Missing,
    /// A symlink to this target, which is not inside content/data/ of the site.
    Outside(std::path::PathBuf),
    Invalid(Vec<Diag>),
}
use LoadError::{Invalid, Missing, Outside};

fn read_one(data_dir: &Path, rel: &str) -> Result<(DataTable, Vec<Diag>), LoadError> {
    let path = data_dir.join(rel);
    if !path.is_file() {
        return Err(Missing);
    }
    // A symlink may not lead a chart outside content/data/ (which itself lies in the site:
    // the walk's top-level check refused it otherwise).
    match (path.canonicalize(), data_dir.canonicalize()) {
        (Ok(real), Ok(dir)) if real.starts_with(&dir) => {}
        _ => return Err(Outside(std::fs::read_link(&path).unwrap_or_default())),
    }
    read_table(&path, &format!("content/data/{rel}")).map_err(Invalid)
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
}

/// A brief's whole text, read again (bodies are not kept), to point a problem at its chart.
fn full_text(brief: &Brief) -> std::sync::Arc<str> {
    super::read_brief(brief).map_or_else(|_| brief.source.clone(), |t| t.text)
}
