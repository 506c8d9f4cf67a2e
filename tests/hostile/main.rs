//! Bad input never hurts: every case in tests/hostile/cases/ is dropped into a fresh site beside
//! a good brief and built. Each gets the outcome tests/hostile/expect.tsv names (a page a reader
//! sees, or an error at the file and line with exit 1 and the previous output intact), never a
//! panic or a hang, and no case's markup reaches any HTML, SVG, XML or JSON file unescaped.
//!
//! A libtest-mimic harness (`harness = false` in Cargo.toml), so that each case is its own
//! named trial, run, filtered and reported alone:
//!
//! - `hostile::FILE`  one per file in cases/ and line in expect.tsv (a file without a line, or a
//!   line without a file, fails as its own trial);
//! - `huge::NAME`, `bounded::NAME`  the generated cases of generated.rs;
//! - `checks::...`  expect.tsv matches cases/ line for file, the markup scanner, CSV downloads.
//!
//! `cargo test --test hostile fm-billion` runs the cases whose name holds `fm-billion`;
//! `cargo test --test hostile -- --list` lists them all.

#[path = "../cli/common/mod.rs"]
mod common;

mod case;
mod generated;
mod markup;

use std::time::{Duration, Instant};

use libtest_mimic::{Arguments, Failed, Trial};

use case::{check_case, hostile_dir, site_with_case};

fn main() {
    let args = Arguments::from_args();
    let manifest = Manifest::read();
    let on_disk = case_files();

    let mut trials = Vec::new();
    {
        let (manifest, on_disk) = (manifest.clone(), on_disk.clone());
        trials.push(Trial::test(
            "checks::every_case_file_has_one_line_in_expect_tsv",
            move || manifest.matches(&on_disk),
        ));
    }
    trials.push(Trial::test(
        "checks::the_markup_scanner_finds_what_it_must",
        || {
            markup::the_markup_scanner_finds_what_it_must();
            Ok(())
        },
    ));
    trials.push(Trial::test(
        "checks::csv_downloads_neutralise_formula_cells",
        || {
            csv_downloads_neutralise_formula_cells();
            Ok(())
        },
    ));

    for (file, expect) in manifest.cases.clone() {
        trials.push(Trial::test(format!("hostile::{file}"), move || {
            let path = hostile_dir().join("cases").join(&file);
            let bytes = std::fs::read(&path).map_err(|e| {
                format!("expect.tsv lists {file}, but cases/{file} cannot be read: {e}")
            })?;
            check_case(&file, &expect, &bytes)
                .map(drop)
                .map_err(|e| Failed::from(format!("{file} ({expect}): {e}")))
        }));
    }
    if let Ok(files) = &on_disk {
        for file in files {
            if !manifest.cases.iter().any(|(f, _)| f == file) {
                let file = file.clone();
                trials.push(Trial::test(format!("hostile::{file}"), move || {
                    Err(format!("cases/{file} has no line in expect.tsv").into())
                }));
            }
        }
    }

    for case in generated::huge() {
        trials.push(Trial::test(format!("huge::{}", case.name), move || {
            let input = (case.input)();
            check_case(case.name, case.expect, input.as_bytes())
                .map(drop)
                .map_err(|e| Failed::from(format!("{} ({}): {e}", case.name, case.expect)))
        }));
    }

    for case in generated::bounded() {
        trials.push(Trial::test(format!("bounded::{}", case.name), move || {
            let name = case.name;
            let input = (case.input)();
            let started = Instant::now();
            let run = check_case(name, case.expect, input.as_bytes())
                .map_err(|e| format!("{name} ({}): {e}", case.expect))?;
            // Two builds of a small site plus the case: seconds even in a loaded debug build.
            let took = started.elapsed();
            if took >= Duration::from_secs(20) {
                return Err(format!("{name} took {took:?}").into());
            }
            if run
                .stderr
                .matches("is not a country briefing knows")
                .count()
                > 20
            {
                return Err(format!("{name}: at most 20 unknown places are named").into());
            }
            if run.stderr.matches("fields but the header").count() > 1 {
                return Err(format!(
                    "{name}: one warning for all short rows:\n{}",
                    &run.stderr[..run.stderr.len().min(2000)]
                )
                .into());
            }
            Ok(())
        }));
    }

    libtest_mimic::run(&args, trials).exit();
}

/// The lines of expect.tsv: (file, expectation) in order, and what could not be read.
#[derive(Clone)]
struct Manifest {
    cases: Vec<(String, String)>,
    problems: Vec<String>,
}

impl Manifest {
    fn read() -> Manifest {
        let mut manifest = Manifest {
            cases: Vec::new(),
            problems: Vec::new(),
        };
        let text = match std::fs::read_to_string(hostile_dir().join("expect.tsv")) {
            Ok(text) => text,
            Err(e) => {
                manifest.problems.push(format!("expect.tsv: {e}"));
                return manifest;
            }
        };
        for l in text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        {
            match l.split_once('\t') {
                Some((f, e)) => manifest.cases.push((f.to_string(), e.to_string())),
                None => manifest.problems.push(format!("bad manifest line {l:?}")),
            }
        }
        manifest
    }

    /// Every case file has one line in expect.tsv and back, and there are at least 60.
    fn matches(&self, on_disk: &Result<Vec<String>, String>) -> Result<(), Failed> {
        if !self.problems.is_empty() {
            return Err(self.problems.join("\n").into());
        }
        let on_disk = on_disk.as_ref().map_err(Failed::from)?;
        let mut listed: Vec<String> = self.cases.iter().map(|(f, _)| f.clone()).collect();
        listed.sort();
        if *on_disk != listed {
            let only_on_disk: Vec<_> = on_disk.iter().filter(|f| !listed.contains(f)).collect();
            let only_listed: Vec<_> = listed.iter().filter(|f| !on_disk.contains(f)).collect();
            return Err(format!(
                "every case file has one line in expect.tsv and back: files without a line \
                 {only_on_disk:?}, lines without a file {only_listed:?}, {} lines for {} files",
                listed.len(),
                on_disk.len()
            )
            .into());
        }
        if self.cases.len() < 60 {
            return Err(format!("at least 60 cases, found {}", self.cases.len()).into());
        }
        Ok(())
    }
}

/// The file names in cases/, sorted.
fn case_files() -> Result<Vec<String>, String> {
    let dir = hostile_dir().join("cases");
    let mut on_disk = Vec::new();
    for entry in std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let entry = entry.map_err(|e| format!("{}: {e}", dir.display()))?;
        on_disk.push(entry.file_name().to_string_lossy().into_owned());
    }
    on_disk.sort();
    Ok(on_disk)
}

fn csv_downloads_neutralise_formula_cells() {
    let bytes = std::fs::read(hostile_dir().join("cases/data-formula-cells.csv")).unwrap();
    let (site, _) = site_with_case("data-formula-cells.csv", &bytes);
    site.build().assert_ok();
    let csv = site.page("briefs/chart/chart-1.csv");
    for line in csv.lines().skip(1) {
        let first = line.trim_start_matches('"');
        assert!(
            !first.starts_with(['=', '+', '-', '@']),
            "formula cell survives: {line}"
        );
    }
    assert!(
        csv.contains("'=HYPERLINK") && csv.contains("'@cmd"),
        "{csv}"
    );
}
