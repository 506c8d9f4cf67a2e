//! The site folder's layout: which parts briefing reads, and which names in them are never
//! content. Load walks by these rules, serve watches by them, `new` writes into them, so a file
//! that changes the build always triggers a rebuild and one that cannot never does.

use std::path::Path;

/// The parts of a site folder that are read, in the order their links are checked.
pub(crate) const READ_PARTS: [&str; 6] = [
    "site.yaml",
    "content",
    "content/briefs",
    "content/data",
    "static",
    "templates",
];

/// What `briefing serve` watches (each part once: `content` holds briefs and data).
pub(crate) const WATCHED: [&str; 4] = ["site.yaml", "content", "static", "templates"];

/// Where briefs live, relative to the site folder.
pub(crate) const BRIEFS: &str = "content/briefs";

/// Hidden files and editor leftovers are never content (`static/` is the exception: it is
/// published as it is, dotfiles such as `CNAME` and `.well-known/` included).
pub(crate) fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.starts_with('#')
        || name.ends_with(".swp")
        || name.ends_with(".tmp")
}

/// Whether a change to `path` (under the site folder `root`) can change the build.
pub(crate) fn is_read(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy());
    match parts.next().as_deref() {
        Some("site.yaml") => rel.components().count() == 1,
        Some("static") => true,
        Some("content" | "templates") => !parts.any(|name| is_ignored(&name)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serve_and_load_agree_on_what_is_read() {
        let root = Path::new("/site");
        let read = |p: &str| is_read(root, &root.join(p));
        assert!(read("site.yaml") && read("content/briefs/a.md") && read("templates/base.html"));
        assert!(
            read("static/.well-known/security.txt"),
            "static keeps dotfiles"
        );
        assert!(read("static/CNAME"));
        for ignored in [
            "content/briefs/a.md.tmp",
            "content/briefs/.a.md.swp",
            "content/briefs/a.md~",
            "content/briefs/#a.md#",
            "templates/.hidden/base.html",
            "output/index.html",
            "notes.txt",
        ] {
            assert!(!read(ignored), "{ignored}");
        }
    }
}
