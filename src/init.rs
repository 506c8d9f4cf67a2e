//! `briefing init`: writes a new site folder that builds at once, so a newsroom starts from a
//! working site rather than from the README. Refuses a folder that already holds a site, and
//! never overwrites a file.
//!
//! The files are real files under `src/init/`, read in with `include_str!`: they are reviewed
//! and edited as what they are (YAML, Markdown, CSV), and the tests build exactly them.

use std::path::Path;

use crate::diag::{Cause, Diag};
use crate::scaffold::{unwritable, write_new};

/// The files of a new site, relative to its folder, with their text. `{date}` in a brief is
/// replaced by today's date.
const FILES: [(&str, &str); 4] = [
    ("site.yaml", include_str!("init/site.yaml")),
    ("content/briefs/welcome.md", include_str!("init/welcome.md")),
    ("content/data/example.csv", include_str!("init/example.csv")),
    (".gitignore", "output/\n"),
];

/// What `init` wrote, and the commands to run next.
pub struct Started {
    /// The files written, relative to the site folder, in the order written.
    pub files: Vec<&'static str>,
    /// `briefing serve …` and `briefing build …`, naming the folder unless it is `.`.
    pub next: [String; 2],
    /// Set when the folder already had a `.gitignore` (a new repository's), kept as it was,
    /// that does not ignore `output/`: what to add to it.
    pub gitignore_note: Option<String>,
}

/// The one file a folder may already hold: a repository's own `.gitignore` is kept.
const GITIGNORE: &str = ".gitignore";

/// Whether anything is at `path`: a file, a folder, or a symlink, even a broken one.
fn exists(path: &Path) -> bool {
    path.symlink_metadata().is_ok()
}

fn refused(message: String) -> Diag {
    Diag::error("site/exists", message)
        .caused_by(Cause::Usage)
        .with_help("pass a new or empty folder: briefing init my-briefing")
}

/// Writes a new site into `dir` (created when missing). Nothing is written when `dir` already
/// holds a site (`site.yaml` or `content/`), is not a folder, or holds one of the files.
pub fn init(dir: &Path) -> Result<Started, Diag> {
    if exists(dir) && !dir.is_dir() {
        return Err(refused(format!(
            "{} is not a folder; briefing init writes a new site into a folder",
            dir.display()
        )));
    }
    for part in ["site.yaml", "content"] {
        if exists(&dir.join(part)) {
            return Err(refused(format!(
                "{} already holds a site ({part}); briefing init changes nothing in it",
                dir.display()
            )));
        }
    }
    let kept_gitignore = exists(&dir.join(GITIGNORE));
    if let Some((rel, _)) = FILES
        .iter()
        .find(|(rel, _)| *rel != GITIGNORE && exists(&dir.join(rel)))
    {
        return Err(refused(format!(
            "{} already exists; briefing init never overwrites a file",
            dir.join(rel).display()
        )));
    }
    let today = crate::scaffold::today();
    let mut files = Vec::new();
    for (rel, text) in FILES {
        if rel == GITIGNORE && kept_gitignore {
            continue;
        }
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| unwritable(parent, e))?;
        }
        let text = text.replace("{date}", &today);
        write_new(&path, &text, || {
            refused(format!(
                "{} already exists; briefing init never overwrites a file",
                path.display()
            ))
        })?;
        files.push(rel);
    }
    let ignores_output = |text: String| {
        text.lines()
            .any(|l| matches!(l.trim(), "output" | "output/" | "/output" | "/output/"))
    };
    let gitignore = dir.join(GITIGNORE);
    let gitignore_note = (kept_gitignore
        && !std::fs::read_to_string(&gitignore).is_ok_and(ignores_output))
    .then(|| {
        format!(
            "kept {} as it was: add a line `output/` to it, so built sites stay out of git",
            gitignore.display()
        )
    });
    Ok(Started {
        files,
        next: ["serve", "build"].map(|verb| next_command(verb, dir)),
        gitignore_note,
    })
}

/// `briefing <verb>`, with `--root DIR` unless the folder is the current one.
fn next_command(verb: &str, dir: &Path) -> String {
    if dir == Path::new(".") || dir.as_os_str().is_empty() {
        format!("briefing {verb}")
    } else {
        format!(
            "briefing {verb} --root {}",
            shell_word(&dir.to_string_lossy())
        )
    }
}

/// `s` as one shell word: as it is when it is plain, else in single quotes.
fn shell_word(s: &str) -> String {
    let plain = |c: char| c.is_alphanumeric() || "/._-+=:,@%".contains(c);
    if !s.is_empty() && s.chars().all(plain) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_commands_name_the_folder_unless_it_is_the_current_one() {
        assert_eq!(next_command("build", Path::new(".")), "briefing build");
        assert_eq!(
            next_command("serve", Path::new("news/site")),
            "briefing serve --root news/site"
        );
        assert_eq!(
            next_command("build", Path::new("my site's")),
            r"briefing build --root 'my site'\''s'"
        );
    }

    #[test]
    fn the_example_data_says_it_is_illustrative() {
        let csv = FILES
            .iter()
            .find(|(rel, _)| rel.ends_with(".csv"))
            .unwrap()
            .1;
        let mut lines = csv.lines();
        assert!(lines.next().unwrap().ends_with(",basis"));
        assert!(lines.all(|row| row.contains("illustrative")));
    }
}
