//! What `briefing serve` keeps between builds: each brief file as last parsed, by its path and
//! a hash of its bytes, so a rebuild after one save parses one file, not ten thousand. Loading
//! a brief reads nothing but its own file (its schedule and the site-wide checks come after),
//! so the same bytes give the same brief, and a site loaded through the cache is the one a
//! fresh load makes (tests/cli/serve_equal.rs checks every kind of save against a full build).

use std::collections::HashMap;
use std::hash::BuildHasher;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::BriefResult;

/// Parsed briefs by file. Shared between builds through [`super::LoadOptions::cache`].
#[derive(Default)]
pub struct BriefCache {
    /// Seeded once per process: a file's content cannot aim for a collision.
    hasher: foldhash::quality::RandomState,
    entries: Mutex<HashMap<PathBuf, Entry>>,
}

struct Entry {
    len: usize,
    hash: u64,
    result: BriefResult,
}

impl std::fmt::Debug for BriefCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.entries.lock().map_or(0, |e| e.len());
        write!(f, "BriefCache({n} briefs)")
    }
}

impl BriefCache {
    /// The brief parsed from `text` (the bytes of `path`): as parsed before when the bytes
    /// are the same, else `parse`d now and kept.
    pub(crate) fn brief(
        &self,
        path: &Path,
        text: &str,
        parse: impl FnOnce() -> BriefResult,
    ) -> BriefResult {
        let hash = self.hasher.hash_one(text.as_bytes());
        let len = text.len();
        if let Ok(entries) = self.entries.lock()
            && let Some(e) = entries.get(path)
            && e.len == len
            && e.hash == hash
        {
            return e.result.clone();
        }
        let result = parse();
        if let Ok(mut entries) = self.entries.lock() {
            let entry = Entry {
                len,
                hash,
                result: result.clone(),
            };
            entries.insert(path.to_path_buf(), entry);
        }
        result
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
}
