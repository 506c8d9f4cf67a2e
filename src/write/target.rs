//! Which folder a build may replace, decided before anything is written.
//!
//! The output folder is replaced whole, so a wrong `--output` deletes whatever was there. Two
//! rules keep that from ever costing an editor their work:
//! - The path is resolved fully first (made absolute, `.` and `..` applied, every existing
//!   symlink followed), and that resolved path is both what is checked and what is written.
//!   No spelling (`nope/../content`, `./content//`, a link that points there) can then reach
//!   the site folder, `content/`, `templates/` or `static/`.
//! - A non-empty folder is replaced only when briefing wrote it, as proven by the marker file
//!   every build writes ([`MARKER`]); an `index.html` proves nothing, since any site has one.
//!   `--force` overrides that rule alone, never the first.

use std::ffi::OsString;
use std::path::{Component, Path, PathBuf};

/// Written at the top of every output folder; its presence is what lets a later build
/// replace the folder.
pub const MARKER: &str = ".briefing-build";

/// The marker's contents: the same bytes in every build, so output stays deterministic.
pub(super) const MARKER_TEXT: &str =
    "This folder was written by `briefing build`, which replaces it whole on the next build.\n";

/// Why an output folder was refused: the caller decides how that is reported.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The output would delete or overwrite the site's own files.
    IntoSite(String),
    /// The folder exists with files briefing did not write.
    NotABuild(String),
}

/// The folder a build will replace: `output` resolved, after checking it may be replaced.
/// `root` is the site folder; `force` allows replacing a non-empty folder without the marker.
pub fn resolve_output(root: &Path, output: &Path, force: bool) -> Result<PathBuf, Refusal> {
    let shown = output.display();
    let cannot = |why: String| Refusal::IntoSite(format!("--output {shown} {why}"));
    let root = resolve(root).map_err(|e| cannot(e.to_string()))?;
    let out = resolve(output).map_err(|e| cannot(e.to_string()))?;
    if out == root {
        return Err(cannot("is the site folder".into()));
    }
    if root.starts_with(&out) {
        return Err(cannot(format!("holds the site folder {}", root.display())));
    }
    for inner in ["content", "templates", "static", "site.yaml"] {
        // The folder as written and where it really is (it may be a link within the site).
        let written = root.join(inner);
        let real = resolve(&written).unwrap_or_else(|_| written.clone());
        for protected in [&written, &real] {
            if out.starts_with(protected) {
                return Err(cannot(format!("lies inside the site's {inner}")));
            }
            if protected.starts_with(&out) {
                return Err(cannot(format!("holds the site's {inner}")));
            }
        }
    }
    check_replaceable(&out, &shown.to_string(), force)?;
    Ok(out)
}

/// A folder may be replaced when it is missing, empty, or holds the marker (or with `force`).
fn check_replaceable(out: &Path, shown: &str, force: bool) -> Result<(), Refusal> {
    let Ok(meta) = std::fs::symlink_metadata(out) else {
        return Ok(());
    };
    if !meta.is_dir() {
        return Err(Refusal::IntoSite(format!(
            "--output {shown} exists and is not a folder"
        )));
    }
    let empty = std::fs::read_dir(out).is_ok_and(|mut d| d.next().is_none());
    if empty || force || out.join(MARKER).is_file() {
        return Ok(());
    }
    Err(Refusal::NotABuild(format!(
        "--output {shown} is a folder with files that briefing did not write (it has no {MARKER} file)"
    )))
}

/// The help line for a refusal.
pub fn help(refusal: &Refusal, default_output: &Path) -> String {
    match refusal {
        Refusal::IntoSite(_) => format!(
            "briefing replaces the output folder whole, so give it a folder of its own (the default is {})",
            default_output.display()
        ),
        Refusal::NotABuild(_) => format!(
            "pick a new or empty --output; if the folder is an earlier build (builds before the {MARKER} marker have none) or may be deleted, pass --force to replace it"
        ),
    }
}

impl Refusal {
    /// The problem code of the refusal (see docs/problems.md).
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::IntoSite(_) => "output/into-site",
            Refusal::NotABuild(_) => "output/not-a-build",
        }
    }

    pub fn message(&self) -> &str {
        match self {
            Refusal::IntoSite(m) | Refusal::NotABuild(m) => m,
        }
    }
}

/// `path` made absolute with `.` and `..` applied and every symlink in its existing part
/// followed, as the kernel would; the part that does not exist yet is taken as written.
/// A `..` after a missing folder is applied lexically (`nope/../x` is `x`).
fn resolve(path: &Path) -> std::io::Result<PathBuf> {
    let absolute = std::path::absolute(path)?;
    // Canonical for as long as each step exists, so a `..` pops a real parent.
    let mut resolved = PathBuf::new();
    for part in absolute.components() {
        match part {
            Component::Prefix(_) | Component::RootDir => resolved.push(part.as_os_str()),
            Component::CurDir => {}
            Component::ParentDir => {
                resolved.pop();
            }
            Component::Normal(name) => {
                resolved.push(name);
                resolved = follow(resolved, name.to_os_string())?;
            }
        }
    }
    Ok(resolved)
}

/// One step of [`resolve`]: the canonical form of `path` when it exists, or `path` itself.
fn follow(path: PathBuf, name: OsString) -> std::io::Result<PathBuf> {
    match std::fs::symlink_metadata(&path) {
        Err(_) => Ok(path),
        Ok(meta) => match path.canonicalize() {
            Ok(real) => Ok(real),
            Err(e) if meta.file_type().is_symlink() => Err(std::io::Error::new(
                e.kind(),
                format!(
                    "goes through the link {} that points nowhere ({e})",
                    name.to_string_lossy()
                ),
            )),
            Err(e) => Err(e),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for sub in ["content/briefs", "templates", "static"] {
            std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        }
        std::fs::write(dir.path().join("site.yaml"), "title: t\n").unwrap();
        dir
    }

    fn refused(root: &Path, output: &Path) -> bool {
        matches!(
            resolve_output(root, output, true),
            Err(Refusal::IntoSite(_))
        )
    }

    #[test]
    fn every_spelling_of_a_site_folder_is_refused() {
        let dir = site();
        let root = dir.path();
        for spelling in [
            "nope/../content",
            "x/../../SITE/content",
            "./content//briefs",
            "content/.",
            "static/new",
            "templates",
            ".",
            "output/..",
            "..",
            "content/briefs/../../static",
        ] {
            let site_name = root.file_name().unwrap().to_str().unwrap();
            let spelling = spelling.replace("SITE", site_name);
            assert!(
                refused(root, &root.join(&spelling)),
                "{spelling} was accepted"
            );
        }
        assert!(!refused(root, &root.join("output")));
        assert!(!refused(root, &root.join("nope/../output")));
    }

    #[test]
    fn a_symlink_to_the_content_is_refused() {
        let dir = site();
        let root = dir.path();
        let elsewhere = tempfile::tempdir().unwrap();
        let link = elsewhere.path().join("public");
        std::os::unix::fs::symlink(root.join("content"), &link).unwrap();
        assert!(refused(root, &link));
        assert!(refused(root, &link.join("briefs/new")));
        // A link to the site folder, then `..` resolved after the link, as the kernel does.
        let to_root = elsewhere.path().join("site");
        std::os::unix::fs::symlink(root, &to_root).unwrap();
        assert!(refused(root, &to_root.join("static/../templates")));
    }

    #[test]
    fn only_a_marked_folder_is_replaced_without_force() {
        let dir = site();
        let out = dir.path().join("output");
        assert!(resolve_output(dir.path(), &out, false).is_ok(), "missing");
        std::fs::create_dir(&out).unwrap();
        assert!(resolve_output(dir.path(), &out, false).is_ok(), "empty");
        std::fs::write(out.join("index.html"), "<p>a hand-written site").unwrap();
        assert!(matches!(
            resolve_output(dir.path(), &out, false),
            Err(Refusal::NotABuild(_))
        ));
        assert!(resolve_output(dir.path(), &out, true).is_ok(), "forced");
        std::fs::write(out.join(MARKER), MARKER_TEXT).unwrap();
        assert!(resolve_output(dir.path(), &out, false).is_ok(), "marked");
    }
}
