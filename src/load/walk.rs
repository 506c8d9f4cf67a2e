//! Which files of the site folder are read, and the symlink rules that keep everything else out.
//!
//! Nothing outside the site folder is read or published unless the editor puts it there:
//! - A top-level part of the site (`site.yaml`, `content/`, `content/briefs/`, `content/data/`,
//!   `static/`, `templates/`) that is, or lies under, a symlink leading outside the site folder
//!   is an error naming the link and its target: the whole folder would come from elsewhere.
//! - Deeper down, a symlink (to a file or a folder) is followed when its target lies inside the
//!   site folder and skipped with a warning when it leads outside or nowhere. A link loop is
//!   skipped the same way.
//! - Hidden files and editor leftovers are never content; `static/` keeps dotfiles (`CNAME`,
//!   `.well-known/`), since a host may need them.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diag::Diag;
use crate::layout::{READ_PARTS, is_ignored};

/// The site folder's real path, for checking where links lead.
pub(crate) fn canonical_root(root: &Path) -> PathBuf {
    root.canonicalize().unwrap_or_else(|_| root.to_path_buf())
}

/// An error for each top-level part of the site that a symlink takes outside the site folder
/// (one per link: `content/briefs` is not reported again when `content` already leaves).
pub(crate) fn check_top_level(root: &Path, diags: &mut Vec<Diag>) {
    let real_root = canonical_root(root);
    let mut reported: Vec<&str> = Vec::new();
    for part in READ_PARTS {
        if reported.iter().any(|r| part.starts_with(&format!("{r}/"))) {
            continue;
        }
        let path = root.join(part);
        if std::fs::symlink_metadata(&path).is_err() {
            continue;
        }
        let Some(link) = first_link(root, part) else {
            continue;
        };
        let target = std::fs::read_link(root.join(&link)).unwrap_or_default();
        let leaves = match path.canonicalize() {
            Ok(real) => !real.starts_with(&real_root),
            Err(_) => true,
        };
        if leaves {
            reported.push(part);
            diags.push(
                Diag::error(
                    "symlink/outside",
                    format!(
                    "{link} is a symlink to {}, outside the site folder: briefing reads nothing outside it",
                    target.display()
                ))
                .in_file(link.clone())
                .with_help(format!(
                    "copy the folder into the site (or move the site around it) instead of linking {link}"
                )),
            );
        }
    }
}

/// The first component of `part` (from the site folder down) that is a symlink.
fn first_link(root: &Path, part: &str) -> Option<String> {
    let mut at = String::new();
    for name in part.split('/') {
        if !at.is_empty() {
            at.push('/');
        }
        at.push_str(name);
        let meta = std::fs::symlink_metadata(root.join(&at)).ok()?;
        if meta.file_type().is_symlink() {
            return Some(at);
        }
    }
    None
}

/// Which names a walk leaves out.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Hidden {
    /// Dotfiles and editor leftovers are skipped (briefs, templates).
    Skip,
    /// Every name is kept (static files: `CNAME`, `.well-known/`).
    Keep,
}

/// Every file under `dir`, sorted by name, as (path, path shown relative to `root`). Links
/// inside the site are followed; links leading outside or nowhere, and loops, are skipped with
/// a warning.
pub(crate) fn files(
    root: &Path,
    dir: &Path,
    hidden: Hidden,
    diags: &mut Vec<Diag>,
) -> Vec<(PathBuf, String)> {
    files_and_links(root, dir, hidden, diags).0
}

/// [`files`], and whether any entry under `dir` is a symbolic link.
pub(crate) fn files_and_links(
    root: &Path,
    dir: &Path,
    hidden: Hidden,
    diags: &mut Vec<Diag>,
) -> (Vec<(PathBuf, String)>, bool) {
    match plain_files(root, dir, hidden, diags) {
        Some(files) => (files, false),
        None => (linked_files(root, dir, hidden, diags), true),
    }
}

/// The files under `dir` when no entry is a symbolic link, else `None`. Following links makes
/// the walk look up every entry's metadata (10,000 of them on each serve rebuild, which the
/// load cache looks up again); a folder without links needs only the names it lists.
fn plain_files(
    root: &Path,
    dir: &Path,
    hidden: Hidden,
    diags: &mut Vec<Diag>,
) -> Option<Vec<(PathBuf, String)>> {
    let walker = WalkDir::new(dir).into_iter().filter_entry(|e| {
        e.depth() == 0 || hidden == Hidden::Keep || !is_ignored(&e.file_name().to_string_lossy())
    });
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for entry in walker {
        match entry {
            Ok(e) if e.path_is_symlink() => return None,
            Ok(e) if e.file_type().is_file() => {
                out.push((e.path().to_path_buf(), shown_path(root, e.path())))
            }
            Ok(_) => {}
            Err(e) if e.path().is_some_and(is_link) => return None,
            Err(e) => {
                let shown = e.path().map(|p| shown_path(root, p)).unwrap_or_default();
                problems.push(
                    Diag::error("file/unreadable", format!("cannot read: {e}")).in_file(shown),
                );
            }
        }
    }
    out.sort_by_cached_key(|(path, _)| walk_order(path));
    diags.extend(problems);
    Some(out)
}

/// The files under `dir`, following the links that stay inside the site folder and warning
/// of the others.
fn linked_files(
    root: &Path,
    dir: &Path,
    hidden: Hidden,
    diags: &mut Vec<Diag>,
) -> Vec<(PathBuf, String)> {
    let real_root = canonical_root(root);
    // Filled by the walk's filter (links leading out) and by its errors (loops, dangling links).
    let skipped = std::cell::RefCell::new(Vec::<PathBuf>::new());
    // Not walkdir's sort_by_file_name: its comparison parses each path for its file name, and
    // sorting a folder of 10,000 briefs that way was 40 ms of every rebuild. The same order is
    // made once at the end, from keys taken once.
    let walker = WalkDir::new(dir)
        .follow_links(true)
        .into_iter()
        .filter_entry(|e| {
            if e.depth() == 0 {
                return true;
            }
            if hidden == Hidden::Skip && is_ignored(&e.file_name().to_string_lossy()) {
                return false;
            }
            let inside = !e.path_is_symlink()
                || e.path()
                    .canonicalize()
                    .is_ok_and(|real| real.starts_with(&real_root));
            if !inside {
                skipped.borrow_mut().push(e.path().to_path_buf());
            }
            inside
        });
    let mut out = Vec::new();
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                out.push((e.path().to_path_buf(), shown_path(root, e.path())))
            }
            Ok(_) => {}
            // A loop, or a link whose target vanished between the check and the read.
            Err(e) if e.loop_ancestor().is_some() || e.path().is_some_and(is_link) => {
                if let Some(path) = e.path() {
                    skipped.borrow_mut().push(path.to_path_buf());
                }
            }
            Err(e) => {
                let shown = e.path().map(|p| shown_path(root, p)).unwrap_or_default();
                diags.push(
                    Diag::error("file/unreadable", format!("cannot read: {e}")).in_file(shown),
                );
            }
        }
    }
    out.sort_by_cached_key(|(path, _)| walk_order(path));
    let mut skipped = skipped.into_inner();
    skipped.sort_by_cached_key(|path| walk_order(path));
    for path in skipped {
        let target = std::fs::read_link(&path).unwrap_or_default();
        diags.push(
            Diag::warning(
                "symlink/skipped",
                format!(
                "symlink points outside the site folder, to no file, or in a loop ({}): skipped",
                target.display()
            ))
            .in_file(shown_path(root, &path))
            .with_help("briefing reads only files inside the site folder; copy the file in"),
        );
    }
    out
}

fn is_link(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

/// A key that sorts paths as a walk that visits each folder's entries by name lists them:
/// name by name, a folder's own name before anything under it. As bytes with each separator
/// made 0, which sorts below every byte a name can hold.
fn walk_order(path: &Path) -> Vec<u8> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let bytes = path.as_os_str().as_bytes();
        bytes
            .iter()
            .map(|&b| if b == b'/' { 0 } else { b })
            .collect()
    }
    #[cfg(not(unix))]
    {
        let mut key = Vec::new();
        for part in path.components() {
            key.extend_from_slice(part.as_os_str().to_string_lossy().as_bytes());
            key.push(0);
        }
        key
    }
}

/// Path relative to the site folder with `/` separators, as shown to the user.
pub(crate) fn shown_path(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    // A path of plain names (every one a brief's) is already written the way it is shown.
    #[cfg(unix)]
    if let Some(text) = rel.to_str()
        && !text.split('/').any(|part| part.is_empty() || part == ".")
    {
        return text.to_string();
    }
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The order is the one a walk visiting each folder's entries by name gives (walkdir's own
    /// sort), names with bytes below `/` included.
    #[test]
    fn files_come_in_the_order_of_a_walk_sorted_by_name() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("content");
        for name in [
            "a-b/x.md", "a/y.md", "a/b/z.md", "a.md", "ab.md", "a b.md", "a!/w.md", "Z.md",
        ] {
            let path = dir.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, "x").unwrap();
        }
        let walked: Vec<PathBuf> = WalkDir::new(&dir)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| e.path().to_path_buf())
            .collect();
        let mut diags = Vec::new();
        let got: Vec<PathBuf> = files(root.path(), &dir, Hidden::Keep, &mut diags)
            .into_iter()
            .map(|(path, _)| path)
            .collect();
        assert_eq!(got, walked);
        assert!(diags.is_empty());
    }

    #[test]
    fn a_folder_without_links_walks_as_one_with_them_would() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("content");
        for name in [
            "b.md",
            "a/c.md",
            ".hidden.md",
            "a/.git/x.md",
            "a/d.md~",
            "z/y.md",
        ] {
            let path = dir.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, "x").unwrap();
        }
        for hidden in [Hidden::Skip, Hidden::Keep] {
            let (mut plain_diags, mut linked_diags) = (Vec::new(), Vec::new());
            let plain = plain_files(root.path(), &dir, hidden, &mut plain_diags);
            let linked = linked_files(root.path(), &dir, hidden, &mut linked_diags);
            assert_eq!(plain, Some(linked));
            assert!(plain_diags.is_empty() && linked_diags.is_empty());
        }
        // A link anywhere sends the walk the way that follows links and checks them.
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.join("b.md"), dir.join("z/link.md")).unwrap();
            let mut diags = Vec::new();
            assert_eq!(
                plain_files(root.path(), &dir, Hidden::Skip, &mut diags),
                None
            );
            let walked = files(root.path(), &dir, Hidden::Skip, &mut diags);
            assert!(walked.iter().any(|(_, shown)| shown == "content/z/link.md"));
        }
    }

    #[test]
    fn shown_paths_use_slashes_and_drop_dots() {
        let root = Path::new("/site");
        assert_eq!(
            shown_path(root, Path::new("/site/content/a.md")),
            "content/a.md"
        );
        assert_eq!(
            shown_path(root, Path::new("/site/content/./a.md")),
            "content/a.md"
        );
        assert_eq!(
            shown_path(root, Path::new("/site/content//a.md")),
            "content/a.md"
        );
    }
}
