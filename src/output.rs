//! The output contract: what a build hands on (files at `/`-separated paths under the output
//! root), and the checks every file passes once, whatever the target: the write stage's
//! staging folder (`build`), memory (`serve`) or nowhere (`check`). So `check` finds exactly
//! the problems `build` would.

// A fast hasher: every output path passes through this set, from every thread.
use foldhash::HashSet;
use std::path::PathBuf;
use std::sync::Mutex;

use crate::diag::Diag;

/// One file of the built site, at a `/`-separated path relative to the output root.
#[derive(Debug, Clone)]
pub struct OutputFile {
    pub path: String,
    pub contents: Contents,
}

#[derive(Debug, Clone)]
pub enum Contents {
    Bytes(Vec<u8>),
    /// Bytes also held elsewhere: what `briefing serve` kept from the last render of a page
    /// whose inputs are unchanged, handed over without a copy.
    Shared(std::sync::Arc<Vec<u8>>),
    /// A static file, copied as is from this path.
    CopyOf(PathBuf),
}

/// Where rendered files go. Called from many threads at once.
pub trait Sink: Sync {
    fn put(&self, file: OutputFile) -> Result<(), Diag>;
}

/// Paths no content may take: files the write stage adds itself.
const RESERVED: [&str; 1] = [crate::write::MARKER];

/// A sink in front of the real target that refuses a path leaving the output root and a
/// second file at a path already taken, before the target sees either.
pub struct Checked<'a> {
    target: &'a dyn Sink,
    taken: Mutex<HashSet<String>>,
}

impl<'a> Checked<'a> {
    pub fn new(target: &'a dyn Sink) -> Checked<'a> {
        let taken = RESERVED.iter().map(|p| p.to_string()).collect();
        Checked {
            target,
            taken: Mutex::new(taken),
        }
    }
}

impl Sink for Checked<'_> {
    fn put(&self, file: OutputFile) -> Result<(), Diag> {
        safe_relative(&file.path)?;
        let fresh = self
            .taken
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(file.path.clone());
        if !fresh {
            return Err(Diag::error(
                "output/collision",
                format!("two outputs were written to the same path: {}", file.path),
            )
            .with_help("two briefs, terms or static files map to one URL; rename one of them"));
        }
        self.target.put(file)
    }
}

/// Checks that an output path stays inside the output folder, whatever a slug or file name held.
pub fn safe_relative(path: &str) -> Result<PathBuf, Diag> {
    let mut out = PathBuf::new();
    for part in path.split('/') {
        let bad = part.is_empty()
            || part == "."
            || part == ".."
            || part.contains(['\\', '\0'])
            || (cfg!(windows) && part.contains(':'));
        if bad {
            return Err(Diag::error(
                "output/unsafe-path",
                format!("refusing to write outside the output folder: {path:?}"),
            ));
        }
        out.push(part);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Counts what reaches the target.
    #[derive(Default)]
    struct Count(std::sync::atomic::AtomicUsize);

    impl Sink for Count {
        fn put(&self, _: OutputFile) -> Result<(), Diag> {
            self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            Ok(())
        }
    }

    fn file(path: &str) -> OutputFile {
        OutputFile {
            path: path.to_string(),
            contents: Contents::Bytes(Vec::new()),
        }
    }

    #[test]
    fn paths_cannot_escape() {
        assert!(safe_relative("briefs/x/index.html").is_ok());
        assert!(safe_relative("../x").is_err());
        assert!(safe_relative("/etc/passwd").is_err());
        assert!(safe_relative("a//b").is_err());
    }

    #[test]
    fn every_target_is_spared_duplicates_escapes_and_the_marker() {
        let target = Count::default();
        let checked = Checked::new(&target);
        assert!(checked.put(file("a/index.html")).is_ok());
        let twice = checked.put(file("a/index.html")).unwrap_err();
        assert!(twice.message.contains("same path: a/index.html"));
        assert!(checked.put(file("../x")).is_err());
        assert!(checked.put(file(crate::write::MARKER)).is_err());
        assert_eq!(target.0.load(std::sync::atomic::Ordering::Relaxed), 1);
    }
}
