//! Helpers for the integration tests: fixture sites written to temporary folders, and the real
//! `briefing` binary run on them.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Reading the SVG of charts: finding, parsing, texts, lines, marks.
pub mod svg;

pub struct TestSite {
    pub dir: tempfile::TempDir,
}

impl TestSite {
    /// A site folder with a `site.yaml` and nothing else.
    pub fn new() -> TestSite {
        let site = TestSite {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        site.write(
            "site.yaml",
            "title: Test Briefing\nbase_url: https://briefs.example.org\ndescription: Briefs for tests.\n",
        );
        site
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn out(&self) -> PathBuf {
        self.root().join("output")
    }

    pub fn write(&self, rel: &str, text: &str) -> &Self {
        self.write_bytes(rel, text.as_bytes())
    }

    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) -> &Self {
        let path = self.root().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
        self
    }

    /// Writes `content/briefs/<name>` with the given front-matter lines and body.
    pub fn brief(&self, name: &str, front: &str, body: &str) -> &Self {
        self.write(
            &format!("content/briefs/{name}"),
            &format!("---\n{front}\n---\n{body}"),
        )
    }

    pub fn build(&self) -> Run {
        self.run(&["build", "--root", path_str(self.root())])
    }

    pub fn run(&self, args: &[&str]) -> Run {
        run(args)
    }

    /// `briefing` with `SOURCE_DATE_EPOCH` set to `epoch`: "now", for scheduled briefs.
    pub fn run_at(&self, epoch: &str, args: &[&str]) -> Run {
        run_env(args, &[("SOURCE_DATE_EPOCH", epoch)])
    }

    /// The text of an output file, panicking with the list of files when it is missing.
    pub fn page(&self, rel: &str) -> String {
        let path = self.out().join(rel);
        std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "{rel}: {e}; output holds {:?}",
                tree(&self.out()).keys().collect::<Vec<_>>()
            )
        })
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.out().join(rel).is_file()
    }
}

pub fn path_str(p: &Path) -> &str {
    p.to_str().expect("utf-8 temp path")
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn assert_ok(&self) -> &Self {
        assert_eq!(self.code, 0, "expected success\nstderr:\n{}", self.stderr);
        self
    }
}

pub fn run(args: &[&str]) -> Run {
    run_with(Command::new(env!("CARGO_BIN_EXE_briefing")).args(args))
}

/// `briefing` run with the environment variables `env` set.
pub fn run_env(args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_briefing"));
    command.args(args);
    for (name, value) in env {
        command.env(name, value);
    }
    run_with(&mut command)
}

/// `briefing` run with `dir` as its working folder, so relative paths resolve the way they do
/// for an editor in a terminal.
pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    run_with(
        Command::new(env!("CARGO_BIN_EXE_briefing"))
            .args(args)
            .current_dir(dir),
    )
}

fn run_with(command: &mut Command) -> Run {
    let out: Output = command.env("NO_COLOR", "1").output().expect("run briefing");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Every file under `dir` with its bytes, by relative path.
pub fn tree(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    if !dir.exists() {
        return out;
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            out.insert(rel, std::fs::read(entry.path()).unwrap());
        }
    }
    out
}

/// The text between `<main` and `</main>`: what a reader reads, without the page chrome.
pub fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("page has <main>");
    let end = html.rfind("</main>").expect("page has </main>") + "</main>".len();
    &html[start..end]
}

/// Positions of `needles` in `haystack`, panicking when one is missing.
pub fn positions(haystack: &str, needles: &[&str]) -> Vec<usize> {
    needles
        .iter()
        .map(|n| {
            haystack
                .find(n)
                .unwrap_or_else(|| panic!("{n:?} not found"))
        })
        .collect()
}

/// Builds the site folder `root` into a new temporary folder; returns the folder (keep it
/// alive) and the output path inside it.
pub fn build_into_temp(root: &Path) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    run(&[
        "build",
        "--root",
        path_str(root),
        "--output",
        path_str(&out),
    ])
    .assert_ok();
    (tmp, out)
}
