//! What `briefing serve`'s file watcher has said, so the load cache can take a file it read
//! as unchanged without looking at its metadata, and the briefs folder as it was walked.
//!
//! Looking up the metadata of 10,000 briefs, and listing them, was a sixth of a save's time,
//! and the watcher names every file written. So while the watcher runs and has lost no event,
//! a file confirmed (read, or its metadata looked at) in a load that began after the watcher
//! started is taken as it was until an event names it. An event names a file by path, and
//! the path it gives need not be spelled as the load spells it, so an event unconfirms every
//! file of that name, wherever it is. The folder as walked is kept until an event may have
//! added, removed or renamed a file (anything but a write to a file in place).
//!
//! A write that no event reports (the file changed through a hard link from outside the
//! site, or an event lost without the watcher saying so) is seen only once an event names the
//! file or the server restarts: this is why only a watcher that reports lost events is
//! trusted (inotify, on Linux).

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// One change the watcher reported; of several, the greatest says what they did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    /// A file written in place (its bytes or metadata): it is read again.
    Written,
    /// Anything else (a file or folder created, removed or renamed): the folders are walked
    /// again too.
    Moved,
}

/// What a load may take on the watcher's word.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Trust {
    /// This load's number.
    pub(crate) load: u64,
    /// A file confirmed in a load numbered this or later is unchanged unless an event named
    /// it since (0: nothing is trusted).
    pub(crate) from: u64,
}

impl Trust {
    /// Whether something confirmed in load `confirmed` can be taken as it is.
    pub(crate) fn vouches(self, confirmed: u64) -> bool {
        self.from != 0 && confirmed >= self.from
    }
}

/// The brief files under a folder as last walked, and the load that walked it.
struct Walked {
    dir: PathBuf,
    files: Arc<[(PathBuf, String)]>,
    confirmed: u64,
}

#[derive(Default)]
pub(crate) struct Watched {
    /// The number of the last load begun; loads count from 1.
    load: AtomicU64,
    /// See [`Trust::from`].
    from: AtomicU64,
    walked: Mutex<Option<Walked>>,
}

impl Watched {
    /// Numbers a new load and says what it may trust.
    pub(crate) fn begin_load(&self) -> Trust {
        self.load.fetch_add(1, Ordering::SeqCst);
        self.trust()
    }

    /// What the load under way may trust (loads run one at a time).
    pub(crate) fn trust(&self) -> Trust {
        Trust {
            load: self.load.load(Ordering::SeqCst),
            from: self.from.load(Ordering::SeqCst),
        }
    }

    /// From the next load on, until events are lost, what that load confirms is trusted:
    /// the watcher runs, and reports every change made from now on.
    pub(crate) fn start(&self) {
        let next = self.load.load(Ordering::SeqCst) + 1;
        self.from.store(next, Ordering::SeqCst);
    }

    /// The watcher may have missed changes: only what a later load confirms is trusted.
    pub(crate) fn lost(&self) {
        if self.from.load(Ordering::SeqCst) != 0 {
            self.start();
        }
        self.forget_walk();
    }

    pub(crate) fn forget_walk(&self) {
        if let Ok(mut walked) = self.walked.lock() {
            *walked = None;
        }
    }

    /// The files under `dir` as walked before, if no event since may have changed which
    /// files there are.
    pub(crate) fn walk(&self, dir: &Path, trust: Trust) -> Option<Arc<[(PathBuf, String)]>> {
        let walked = self.walked.lock().ok()?;
        let w = walked.as_ref()?;
        (w.dir == dir && trust.vouches(w.confirmed)).then(|| w.files.clone())
    }

    /// Keeps the files under `dir` as walked in this load.
    pub(crate) fn keep_walk(&self, dir: &Path, files: Arc<[(PathBuf, String)]>, trust: Trust) {
        if let Ok(mut walked) = self.walked.lock() {
            *walked = Some(Walked {
                dir: dir.to_path_buf(),
                files,
                confirmed: trust.load,
            });
        }
    }
}

/// Whether `key` (a path as the load spells it) names a file called `name`.
pub(crate) fn named(key: &OsStr, name: &OsStr) -> bool {
    Path::new(key).file_name() == Some(name)
}

#[cfg(test)]
mod tests {
    use super::Change;
    use crate::load::{LoadOptions, load_site};
    use std::path::Path;
    use std::sync::Arc;

    /// A site folder with one brief titled `title`, loaded through a cache that the watcher
    /// vouches for.
    fn watched_site(title: &str) -> (tempfile::TempDir, LoadOptions) {
        let dir = crate::load::test_site_folder();
        write(dir.path(), "a.md", title);
        let options = LoadOptions {
            root: dir.path().to_path_buf(),
            cache: Some(Arc::new(Default::default())),
            ..Default::default()
        };
        options.cache.as_ref().unwrap().watching();
        (dir, options)
    }

    fn write(root: &Path, name: &str, title: &str) {
        let text = format!("---\ntitle: {title}\ndate: 2025-01-01\n---\nText.\n");
        std::fs::write(root.join("content/briefs").join(name), text).unwrap();
    }

    fn titles(options: &LoadOptions) -> Vec<String> {
        let site = load_site(options).site.unwrap();
        site.briefs.iter().map(|b| b.front.title.clone()).collect()
    }

    #[test]
    fn a_watched_file_is_read_again_once_an_event_names_it() {
        let (dir, options) = watched_site("Old");
        let cache = options.cache.clone().unwrap();
        assert_eq!(titles(&options), ["Old"]);
        // No event named it: the file is taken as it was, its metadata not even looked at.
        write(dir.path(), "a.md", "New");
        assert_eq!(titles(&options), ["Old"]);
        // Named by another path to it: the name is what counts.
        let other = dir.path().join("content/./briefs/a.md");
        cache.changed(&[other], Change::Written);
        assert_eq!(titles(&options), ["New"]);
        // Events lost: every file is looked at again.
        write(dir.path(), "a.md", "Newer");
        cache.events_lost();
        assert_eq!(titles(&options), ["Newer"]);
    }

    #[test]
    fn a_brief_added_is_found_once_an_event_may_have_added_a_file() {
        let (dir, options) = watched_site("A");
        let cache = options.cache.clone().unwrap();
        assert_eq!(titles(&options), ["A"]);
        write(dir.path(), "b.md", "B");
        let b = dir.path().join("content/briefs/b.md");
        // A write in place leaves the folder as it was walked.
        cache.changed(std::slice::from_ref(&b), Change::Written);
        assert_eq!(titles(&options), ["A"]);
        cache.changed(&[b], Change::Moved);
        assert_eq!(titles(&options), ["A", "B"]);
    }

    #[test]
    fn more_files_named_at_once_than_are_looked_up_one_by_one_are_all_looked_at() {
        let (dir, options) = watched_site("Old");
        let cache = options.cache.clone().unwrap();
        assert_eq!(titles(&options), ["Old"]);
        write(dir.path(), "a.md", "New");
        let named: Vec<_> = (0..=super::super::cache::MAX_NAMED)
            .map(|i| dir.path().join(format!("content/briefs/other-{i}.md")))
            .collect();
        cache.changed(&named, Change::Written);
        assert_eq!(titles(&options), ["New"]);
    }
}
