//! The write stage: the only code that touches the output folder.
//!
//! Files are written into a fresh staging folder beside the output. Only when the whole build
//! succeeded is the staging folder swapped in (output → old, staging → output, old removed),
//! so a failed build leaves the previous output exactly as it was. A staging folder that is
//! dropped without [`Staging::commit`] is deleted.

mod target;

pub use target::{MARKER, Refusal, help as refusal_help, resolve_output};

use std::ffi::OsString;

// Folder paths by their bytes, with a fast hasher: a `PathBuf` hashes component by component,
// and every file written looks its folder up here.
use foldhash::{HashSet, HashSetExt};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::diag::{Cause, Diag};
use crate::output::{Contents, OutputFile, Sink};

pub struct Staging {
    dir: tempfile::TempDir,
    target: PathBuf,
    made_dirs: Mutex<HashSet<OsString>>,
}

impl Staging {
    /// Prepares to replace `target`, which [`target::resolve_output`] has resolved and
    /// checked. The marker that lets the next build replace the folder is the first file.
    pub fn new(target: &Path) -> Result<Staging, Diag> {
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent).map_err(|e| io_diag(&parent, "create folder", e))?;
        let dir = tempfile::Builder::new()
            .prefix(".briefing-staging-")
            .tempdir_in(&parent)
            .map_err(|e| io_diag(&parent, "create a staging folder in", e))?;
        let marker = dir.path().join(target::MARKER);
        std::fs::write(&marker, target::MARKER_TEXT).map_err(|e| io_diag(&marker, "write", e))?;
        Ok(Staging {
            dir,
            target: target.to_path_buf(),
            made_dirs: Mutex::new(HashSet::new()),
        })
    }

    /// Swaps the staged site in for the output folder.
    pub fn commit(self) -> Result<(), Diag> {
        let staged = self.dir.keep();
        let target = &self.target;
        if !target.exists() {
            return std::fs::rename(&staged, target).map_err(|e| {
                let _ = std::fs::remove_dir_all(&staged);
                io_diag(target, "move the new site into", e)
            });
        }
        let old = staged.with_file_name(format!(
            ".briefing-old-{}",
            staged
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        ));
        if let Err(e) = std::fs::rename(target, &old) {
            let _ = std::fs::remove_dir_all(&staged);
            return Err(io_diag(target, "move the previous site out of", e));
        }
        if let Err(e) = std::fs::rename(&staged, target) {
            // Put the previous build back: never leave the user with no site.
            let _ = std::fs::rename(&old, target);
            let _ = std::fs::remove_dir_all(&staged);
            return Err(io_diag(target, "move the new site into", e));
        }
        remove_tree(&old).map_err(|e| io_diag(&old, "remove the previous site from", e))
    }

    fn ensure_dir(&self, dir: &Path) -> std::io::Result<()> {
        if let Ok(made) = self.made_dirs.lock()
            && made.contains(dir.as_os_str())
        {
            return Ok(());
        }
        std::fs::create_dir_all(dir)?;
        if let Ok(mut made) = self.made_dirs.lock() {
            made.insert(dir.as_os_str().to_os_string());
        }
        Ok(())
    }
}

impl Sink for Staging {
    fn put(&self, file: OutputFile) -> Result<(), Diag> {
        let rel = crate::output::safe_relative(&file.path)?;
        let dest = self.dir.path().join(rel);
        if let Some(parent) = dest.parent() {
            self.ensure_dir(parent)
                .map_err(|e| io_diag(parent, "create folder", e))?;
        }
        let result = match &file.contents {
            Contents::Bytes(bytes) => {
                std::fs::File::create_new(&dest).and_then(|mut f| f.write_all(bytes))
            }
            Contents::Shared(bytes) => {
                std::fs::File::create_new(&dest).and_then(|mut f| f.write_all(bytes))
            }
            // Never over a file already written: output::Checked has refused a second file at
            // one path before it gets here, so a clash can only be a bug, and stays an error.
            Contents::CopyOf(src) => std::fs::File::open(src).and_then(|mut from| {
                let mut to = std::fs::File::create_new(&dest)?;
                std::io::copy(&mut from, &mut to).map(|_| ())
            }),
        };
        result.map_err(|e| io_diag(&dest, "write", e))
    }
}

/// Removes `dir` and everything in it, its folders in parallel: a site of 10,000 briefs is
/// 10,000 folders, and removing them one by one was a seventh of a rebuild's wall time. A
/// link is removed, never followed.
fn remove_tree(dir: &Path) -> std::io::Result<()> {
    use rayon::prelude::*;
    let entries = std::fs::read_dir(dir)?.collect::<std::io::Result<Vec<_>>>()?;
    entries.par_iter().try_for_each(|entry| {
        if entry.file_type()?.is_dir() {
            remove_tree(&entry.path())
        } else {
            std::fs::remove_file(entry.path())
        }
    })?;
    std::fs::remove_dir(dir)
}

/// A failure of the machine, not of the content: a full disk, a folder without write access.
fn io_diag(path: &Path, what: &str, e: std::io::Error) -> Diag {
    Diag::error(
        "output/io",
        format!("cannot {what} {}: {e}", path.display()),
    )
    .caused_by(Cause::Environment)
}

/// A sink that keeps the site in memory, for `briefing serve`: static files are read in, so
/// the served site does not change under the reader until the next build.
#[derive(Default)]
pub struct Memory {
    files: Mutex<std::collections::BTreeMap<String, Arc<Vec<u8>>>>,
}

impl Memory {
    pub fn into_files(self) -> std::collections::BTreeMap<String, Arc<Vec<u8>>> {
        self.files.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl Sink for Memory {
    fn put(&self, file: OutputFile) -> Result<(), Diag> {
        let bytes = match file.contents {
            Contents::Bytes(b) => Arc::new(b),
            Contents::Shared(b) => b,
            Contents::CopyOf(src) => {
                Arc::new(std::fs::read(&src).map_err(|e| io_diag(&src, "read", e))?)
            }
        };
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        files.insert(file.path, bytes);
        Ok(())
    }
}

/// A sink that keeps nothing: `briefing check` renders every page to find every problem.
pub struct Discard;

impl Sink for Discard {
    fn put(&self, _: OutputFile) -> Result<(), Diag> {
        Ok(())
    }
}
