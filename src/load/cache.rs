//! What `briefing serve` keeps between builds: each brief file and each data file as last
//! parsed, by its path and a hash of its bytes, so a rebuild after one save parses one file,
//! not ten thousand. Parsing a brief reads nothing but its own file (its schedule and the
//! site-wide checks come after), and parsing a data file nothing but its bytes, so the same
//! bytes give the same result, and a site loaded through the cache is the one a fresh load
//! makes (tests/cli/serve_equal.rs checks every kind of save against a full build).
//!
//! A file whose metadata ([`Stamp`]) is what it was when it was last read is not even read
//! again: opening and reading ten thousand files was a third of a rebuild's time. While the
//! server's watcher vouches for the files ([`super::watched`]), not even its metadata is
//! looked at.

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

// Keyed by the path's bytes with a fast hasher: a `Path` hashes and compares component by
// component, parsing both paths each time, and 10,000 lookups a rebuild showed in profiles.
use foldhash::HashMap;

use super::BriefResult;
use super::watched::{Change, Trust, Watched};
use crate::diag::Diag;
use crate::model::Brief;
use crate::model::chart::{DataTable, PreparedChart};
use crate::model::value::BoundValue;

/// A data file read: its table and warnings, or its errors.
pub(crate) type TableResult = Result<(DataTable, Vec<Diag>), Vec<Diag>>;

/// Parsed briefs and data files by file. Shared between builds through
/// [`super::LoadOptions::cache`].
#[derive(Default)]
pub struct LoadCache {
    entries: Mutex<HashMap<OsString, Entry<BriefResult>>>,
    tables: Mutex<HashMap<OsString, Entry<TableResult>>>,
    /// Each brief's prepared charts, by its file, with the fingerprints of its bytes and of
    /// the data files its charts read: what a chart draws depends on nothing else.
    prepared: Mutex<HashMap<OsString, KeptCharts>>,
    /// Each brief's values as bound, by its file, with the fingerprints of its bytes and of
    /// every data file it reads: binding reads the brief again for the positions of its
    /// warnings, and 1,000 briefs with values were 50 ms a save.
    bound: Mutex<HashMap<OsString, KeptValues>>,
    /// The brief files the cache was last cut down to ([`Self::keep_only`]).
    kept_for: Mutex<Option<BriefPaths>>,
    watched: Watched,
}

/// Every brief file, as walked, with the path it is shown by.
pub(crate) type BriefPaths = Arc<[(PathBuf, String)]>;

/// More files than this named by one save's events, and nothing is taken on the watcher's
/// word until looked at again: unconfirming them one by one would visit every entry each.
pub(super) const MAX_NAMED: usize = 64;

/// A brief's prepared charts with the fingerprints of its file and its charts' data files.
type KeptCharts = (u64, u64, Arc<[PreparedChart]>);

/// A brief's values as bound ([`super::values::bind`]): what the load sets on the brief and
/// the problems it gives.
#[derive(Clone)]
pub(crate) struct BoundValues {
    pub(crate) bound: Vec<BoundValue>,
    /// The summary with its value spans filled in.
    pub(crate) summary: Option<String>,
    pub(crate) diags: Vec<Diag>,
}

/// Bound values with what they were bound from: the fingerprints of the brief's file and
/// data files, and the site's language (which formats the numbers).
struct KeptValues {
    source: u64,
    data: u64,
    language: Box<str>,
    values: BoundValues,
}

struct Entry<T> {
    /// The file's metadata when it was read, if it can vouch for the bytes (see
    /// [`Stamp::settled`]).
    stamp: Option<Stamp>,
    len: usize,
    /// [`crate::fingerprint::of_bytes`] of the text.
    hash: u64,
    /// The last load that found the file as it was read ([`Trust`]; 0 once an event named it).
    confirmed: u64,
    /// Shared, so a hit is cloned after the lock is let go, not while the other threads
    /// loading wait for it.
    result: Arc<T>,
}

/// What a file's metadata says about its bytes: size, times of the last write and of the
/// last change of any kind (which no program can set back), and which file it is (an
/// editor's save that renames a new file over the old one makes another inode).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified_ns: i128,
    changed_ns: i128,
    inode: u64,
    device: u64,
}

/// A write this long before the file was looked at has surely moved its times on: file
/// times tick coarsely (a write within the same tick as a read leaves them as they were),
/// and on a network disk they come from another clock. Git's "racy" check, with room to spare.
const SETTLE_NS: i128 = 2_000_000_000;

impl Stamp {
    /// The metadata of `path` now, where the platform tells all of it.
    #[cfg(unix)]
    fn of(path: &Path) -> Option<Stamp> {
        use std::os::unix::fs::MetadataExt;
        let m = std::fs::metadata(path).ok()?;
        let ns = |secs: i64, nanos: i64| i128::from(secs) * 1_000_000_000 + i128::from(nanos);
        Some(Stamp {
            len: m.len(),
            modified_ns: ns(m.mtime(), m.mtime_nsec()),
            changed_ns: ns(m.ctime(), m.ctime_nsec()),
            inode: m.ino(),
            device: m.dev(),
        })
    }

    /// Elsewhere every file is read again: the hash of its bytes still spares the parse.
    #[cfg(not(unix))]
    fn of(_path: &Path) -> Option<Stamp> {
        None
    }

    /// The stamp, when it was taken at least [`SETTLE_NS`] after the file's last change:
    /// only then does an unchanged stamp mean unchanged bytes.
    fn settled(self) -> Option<Stamp> {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as i128);
        let latest = self.modified_ns.max(self.changed_ns);
        (now - latest >= SETTLE_NS).then_some(self)
    }
}

impl std::fmt::Debug for LoadCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.entries.lock().map_or(0, |e| e.len());
        let t = self.tables.lock().map_or(0, |e| e.len());
        write!(f, "LoadCache({n} briefs, {t} data files)")
    }
}

/// The result for `path` and the fingerprint of its bytes: as kept when the file's stamp is
/// the one kept, else from `read` (whose errors are not kept: the next build tries again) and,
/// unless the bytes are those kept, from `parse`.
fn cached<T: Clone>(
    entries: &Mutex<HashMap<OsString, Entry<T>>>,
    path: &Path,
    trust: Trust,
    read: impl FnOnce() -> Result<Arc<str>, T>,
    parse: impl FnOnce(Arc<str>) -> T,
) -> (T, u64) {
    let key = path.as_os_str();
    if trust.from != 0
        && let Some((result, hash)) = kept(entries, key, |e| trust.vouches(e.confirmed))
    {
        return ((*result).clone(), hash);
    }
    // Taken before the read: a write during the read leaves a stamp older than the bytes,
    // which the next build finds changed.
    let stamp = Stamp::of(path).and_then(Stamp::settled);
    let confirm = |e: &mut Entry<T>, same: bool| {
        if same {
            e.stamp = stamp;
            e.confirmed = trust.load;
        }
        same
    };
    if let Some(stamp) = stamp
        && let Some((result, hash)) = kept(entries, key, |e| {
            let same = e.stamp == Some(stamp);
            confirm(e, same)
        })
    {
        return ((*result).clone(), hash);
    }
    let text = match read() {
        Ok(text) => text,
        Err(failed) => return (failed, 0),
    };
    let hash = crate::fingerprint::of_bytes(text.as_bytes());
    let len = text.len();
    let same = |e: &mut Entry<T>| {
        let same = e.len == len && e.hash == hash;
        confirm(e, same)
    };
    if let Some((result, hash)) = kept(entries, key, same) {
        return ((*result).clone(), hash);
    }
    let result = parse(text);
    if let Ok(mut entries) = entries.lock() {
        let entry = Entry {
            stamp,
            len,
            hash,
            confirmed: trust.load,
            result: Arc::new(result.clone()),
        };
        entries.insert(key.to_os_string(), entry);
    }
    (result, hash)
}

/// The kept result for `key` and its fingerprint, when `fits` (which may update the entry)
/// says it does.
fn kept<T>(
    entries: &Mutex<HashMap<OsString, Entry<T>>>,
    key: &OsStr,
    fits: impl FnOnce(&mut Entry<T>) -> bool,
) -> Option<(Arc<T>, u64)> {
    let mut entries = entries.lock().ok()?;
    let e = entries.get_mut(key)?;
    fits(e).then(|| (e.result.clone(), e.hash))
}

impl LoadCache {
    /// The brief in `path`: as parsed before when the file is unchanged, else `read` and
    /// `parse`d now and kept.
    pub(crate) fn brief(
        &self,
        path: &Path,
        read: impl FnOnce() -> Result<Arc<str>, Diag>,
        parse: impl FnOnce(Arc<str>) -> BriefResult,
    ) -> BriefResult {
        let read = || read().map_err(|d| Err(vec![d]));
        cached(&self.entries, path, self.watched.trust(), read, parse).0
    }

    /// The data file in `path`, as [`Self::brief`], with the fingerprint of its bytes (0
    /// when it could not be read).
    pub(crate) fn table(
        &self,
        path: &Path,
        read: impl FnOnce() -> Result<Arc<str>, Diag>,
        parse: impl FnOnce(Arc<str>) -> TableResult,
    ) -> (TableResult, u64) {
        let read = || read().map_err(|d| Err(vec![d]));
        cached(&self.tables, path, self.watched.trust(), read, parse)
    }

    /// `brief`'s prepared charts as kept, when its file and its charts' data files are the
    /// bytes they were prepared from (a data file only its values read changes no chart).
    pub(crate) fn prepared(&self, brief: &Brief) -> Option<Arc<[PreparedChart]>> {
        let kept = self.prepared.lock().ok()?;
        let (source, data, charts) = kept.get(brief.source_path.as_os_str())?;
        let fits = *source == brief.fingerprint && *data == brief.chart_data_fingerprint;
        fits.then(|| charts.clone())
    }

    /// Keeps the prepared charts of every brief of `briefs` that has charts (those kept
    /// already stay as they are), and forgets those of any other file.
    pub(crate) fn keep_prepared(&self, briefs: &[Brief]) {
        let Ok(mut kept) = self.prepared.lock() else {
            return;
        };
        let charted: HashMap<&OsStr, &Brief> = briefs
            .iter()
            .filter(|b| !b.prepared.is_empty())
            .map(|b| (b.source_path.as_os_str(), b))
            .collect();
        kept.retain(|path, (source, data, _)| {
            charted
                .get(path.as_os_str())
                .is_some_and(|b| b.fingerprint == *source && b.chart_data_fingerprint == *data)
        });
        for (path, brief) in charted {
            if !kept.contains_key(path) {
                let entry = (
                    brief.fingerprint,
                    brief.chart_data_fingerprint,
                    brief.prepared.clone(),
                );
                kept.insert(path.to_os_string(), entry);
            }
        }
    }

    /// `brief`'s values as bound before, when its file and data files are the bytes they
    /// were bound from, in the same language.
    pub(crate) fn bound(&self, brief: &Brief, language: &str) -> Option<BoundValues> {
        let kept = self.bound.lock().ok()?;
        let k = kept.get(brief.source_path.as_os_str())?;
        let fits = k.source == brief.fingerprint
            && k.data == brief.data_fingerprint
            && *k.language == *language;
        fits.then(|| k.values.clone())
    }

    /// Keeps `brief`'s values as just bound, with the problems binding gave.
    pub(crate) fn keep_bound(&self, brief: &Brief, language: &str, diags: &[Diag]) {
        let Ok(mut kept) = self.bound.lock() else {
            return;
        };
        let values = BoundValues {
            bound: brief.bound.clone(),
            summary: brief.front.summary.clone(),
            diags: diags.to_vec(),
        };
        let entry = KeptValues {
            source: brief.fingerprint,
            data: brief.data_fingerprint,
            language: language.into(),
            values,
        };
        kept.insert(brief.source_path.as_os_str().to_os_string(), entry);
    }

    /// Forgets every file not in `paths` (deleted or renamed briefs), so the cache holds at
    /// most the site's own files.
    pub(crate) fn keep_only(&self, paths: &BriefPaths) {
        // The walk the cache was cut down to last, kept since: every file read in between is
        // one of it, so there is nothing to forget (and 10,000 paths to look up were a serial
        // 4 ms of every save).
        if let Ok(mut kept_for) = self.kept_for.lock() {
            if kept_for.as_ref().is_some_and(|k| Arc::ptr_eq(k, paths)) {
                return;
            }
            *kept_for = Some(paths.clone());
        }
        let live: foldhash::HashSet<&OsStr> = paths.iter().map(|(p, _)| p.as_os_str()).collect();
        if let Ok(mut entries) = self.entries.lock() {
            entries.retain(|p, _| live.contains(p.as_os_str()));
        }
        if let Ok(mut bound) = self.bound.lock() {
            bound.retain(|p, _| live.contains(p.as_os_str()));
        }
    }

    /// Forgets every data file not in `paths`.
    pub(crate) fn keep_tables(&self, paths: &[PathBuf]) {
        if let Ok(mut tables) = self.tables.lock() {
            let live: foldhash::HashSet<&OsStr> = paths.iter().map(|p| p.as_os_str()).collect();
            tables.retain(|p, _| live.contains(p.as_os_str()));
        }
    }

    /// Starts a load: numbers it, for what it confirms.
    pub(crate) fn begin_load(&self) -> Trust {
        self.watched.begin_load()
    }

    /// The server's watcher runs from now on, and reports every change (and every lost one).
    pub fn watching(&self) {
        self.watched.start();
    }

    /// The watcher may have missed changes.
    pub fn events_lost(&self) {
        self.watched.lost();
    }

    /// The watcher reports `paths` changed: each file of one of those names is looked at again
    /// by the next load, and the folders walked again unless every change was a write in place.
    pub fn changed(&self, paths: &[PathBuf], change: Change) {
        if change == Change::Moved {
            self.watched.forget_walk();
        }
        let mut names: Vec<&OsStr> = Vec::new();
        for path in paths {
            match path.file_name() {
                Some(name) if !names.contains(&name) => names.push(name),
                Some(_) => {}
                None => return self.events_lost(),
            }
        }
        if names.len() > MAX_NAMED {
            return self.events_lost();
        }
        fn unconfirm<T>(entries: &Mutex<HashMap<OsString, Entry<T>>>, names: &[&OsStr]) {
            let mut entries = entries.lock().unwrap_or_else(|e| e.into_inner());
            for (key, entry) in entries.iter_mut() {
                if names.iter().any(|&n| super::watched::named(key, n)) {
                    entry.confirmed = 0;
                }
            }
        }
        unconfirm(&self.entries, &names);
        unconfirm(&self.tables, &names);
    }

    /// The brief files under `dir` as the last load walked them, while the watcher vouches
    /// that none came or went since.
    pub(crate) fn walked(&self, dir: &Path) -> Option<Arc<[(PathBuf, String)]>> {
        self.watched.walk(dir, self.watched.trust())
    }

    /// Keeps the brief files under `dir` as this load walked them.
    pub(crate) fn keep_walk(&self, dir: &Path, files: Arc<[(PathBuf, String)]>) {
        self.watched.keep_walk(dir, files, self.watched.trust());
    }
}
