//! What `briefing serve` keeps between builds: each brief file and each data file as last
//! parsed, by its path and a hash of its bytes, so a rebuild after one save parses one file,
//! not ten thousand. Parsing a brief reads nothing but its own file (its schedule and the
//! site-wide checks come after), and parsing a data file nothing but its bytes, so the same
//! bytes give the same result, and a site loaded through the cache is the one a fresh load
//! makes (tests/cli/serve_equal.rs checks every kind of save against a full build).

use std::collections::HashMap;
use std::hash::BuildHasher;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::BriefResult;
use crate::diag::Diag;
use crate::model::chart::DataTable;

/// A data file read: its table and warnings, or its errors.
pub(crate) type TableResult = Result<(DataTable, Vec<Diag>), Vec<Diag>>;

/// Parsed briefs and data files by file. Shared between builds through
/// [`super::LoadOptions::cache`].
#[derive(Default)]
pub struct LoadCache {
    /// Seeded once per process: a file's content cannot aim for a collision.
    hasher: foldhash::quality::RandomState,
    entries: Mutex<HashMap<PathBuf, Entry<BriefResult>>>,
    tables: Mutex<HashMap<PathBuf, Entry<TableResult>>>,
}

struct Entry<T> {
    len: usize,
    hash: u64,
    result: T,
}

impl std::fmt::Debug for LoadCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.entries.lock().map_or(0, |e| e.len());
        let t = self.tables.lock().map_or(0, |e| e.len());
        write!(f, "LoadCache({n} briefs, {t} data files)")
    }
}

/// `parse`s `text` unless `entries` holds the result for the same bytes of `path`.
fn cached<T: Clone>(
    hasher: &foldhash::quality::RandomState,
    entries: &Mutex<HashMap<PathBuf, Entry<T>>>,
    path: &Path,
    text: &str,
    parse: impl FnOnce() -> T,
) -> T {
    let hash = hasher.hash_one(text.as_bytes());
    let len = text.len();
    if let Ok(entries) = entries.lock()
        && let Some(e) = entries.get(path)
        && e.len == len
        && e.hash == hash
    {
        return e.result.clone();
    }
    let result = parse();
    if let Ok(mut entries) = entries.lock() {
        let entry = Entry {
            len,
            hash,
            result: result.clone(),
        };
        entries.insert(path.to_path_buf(), entry);
    }
    result
}

impl LoadCache {
    /// The brief parsed from `text` (the bytes of `path`): as parsed before when the bytes
    /// are the same, else `parse`d now and kept.
    pub(crate) fn brief(
        &self,
        path: &Path,
        text: &str,
        parse: impl FnOnce() -> BriefResult,
    ) -> BriefResult {
        cached(&self.hasher, &self.entries, path, text, parse)
    }

    /// The data file parsed from `text` (the bytes of `path`), as [`Self::brief`].
    pub(crate) fn table(
        &self,
        path: &Path,
        text: &str,
        parse: impl FnOnce() -> TableResult,
    ) -> TableResult {
        cached(&self.hasher, &self.tables, path, text, parse)
    }

    /// Forgets every file not in `paths` (deleted or renamed briefs), so the cache holds at
    /// most the site's own files.
    pub(crate) fn keep_only(&self, paths: &[(PathBuf, String)]) {
        if let Ok(mut entries) = self.entries.lock() {
            let live: std::collections::HashSet<&Path> =
                paths.iter().map(|(p, _)| p.as_path()).collect();
            entries.retain(|p, _| live.contains(p.as_path()));
        }
    }

    /// Forgets every data file not in `paths`.
    pub(crate) fn keep_tables(&self, paths: &[PathBuf]) {
        if let Ok(mut tables) = self.tables.lock() {
            let live: std::collections::HashSet<&Path> =
                paths.iter().map(PathBuf::as_path).collect();
            tables.retain(|p, _| live.contains(p.as_path()));
        }
    }
}
