//! Drives the pipeline: load → render → write. Parses nothing itself; owns the list of problems.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::diag::{self, Cause, Diag};
use crate::load::{LoadOptions, load_site};
use crate::model::Site;
use crate::output::Sink;
use crate::render::rerender::Kept;
use crate::render::{Keep, render_site_keeping};
use crate::write::{self, Discard, Memory, Staging};

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub load: LoadOptions,
    /// Where to write the site; `None` renders everything and writes nothing (`briefing check`).
    pub output: Option<PathBuf>,
    /// `--force`: replace a non-empty output folder that briefing did not write. Never lets
    /// the output reach the site's own folders.
    pub force: bool,
}

#[derive(Debug)]
pub struct BuildOutcome {
    /// Errors first, then warnings, each sorted by file and position.
    pub diags: Vec<Diag>,
    pub briefs: usize,
    pub pages: usize,
    /// Of `pages`, how many `briefing serve` handed over from the last build unchanged.
    pub pages_reused: usize,
    /// Bytes of the search index written (all of `search/`).
    pub search_index_bytes: u64,
    pub elapsed: Duration,
    /// Whether the output folder was replaced.
    pub wrote: bool,
    /// The next moment the site's content changes by itself (a `publish_date` or an
    /// `expiry_date` still to come), from the load stage.
    pub next_change: Option<crate::load::NextChange>,
}

impl BuildOutcome {
    pub fn errors(&self) -> usize {
        self.diags.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.diags.len() - self.errors()
    }
}

/// Builds the site. Every problem, whatever its cause, is in the outcome's `diags`;
/// [`crate::diag::exit_code`] turns them into the exit code.
pub fn run(options: &BuildOptions) -> BuildOutcome {
    run_with(options, None).0
}

/// Builds into memory (for `briefing serve`): the outcome, and when the build succeeded the
/// loaded site and every output file by path. Never touches the output folder. Keeps what
/// the next build after a save needs to render only what the save changed ([`crate::render::rerender::Kept`]); `last` is what the last build kept,
/// whose pages are reused where their inputs are unchanged.
/// What the build keeps replaces `kept`; a build that stops before rendering leaves it as it
/// was, so the save that mends a broken brief still reuses every other page.
pub fn run_in_memory_keeping(
    load: &LoadOptions,
    kept: &mut Option<Kept>,
) -> (BuildOutcome, Option<Built>) {
    let options = BuildOptions {
        load: load.clone(),
        output: None,
        force: false,
    };
    let memory = Memory::default();
    let (outcome, site) = run_with(&options, Some((&memory, kept)));
    let built = match site {
        Some(site) if outcome.errors() == 0 => Some((site, memory)),
        _ => None,
    };
    (outcome, built)
}

/// An in-memory build: the site as loaded and its files.
pub type Built = (Site, Memory);

/// An outcome that holds only `problem`: the build stopped before reading the site.
pub fn stopped_by(problem: Diag) -> BuildOutcome {
    stopped(problem, Instant::now()).0
}

fn stopped(problem: Diag, started: Instant) -> (BuildOutcome, Option<Site>) {
    let outcome = BuildOutcome {
        diags: vec![problem],
        briefs: 0,
        pages: 0,
        pages_reused: 0,
        search_index_bytes: 0,
        elapsed: started.elapsed(),
        wrote: false,
        next_change: None,
    };
    (outcome, None)
}

fn run_with(
    options: &BuildOptions,
    memory: Option<(&Memory, &mut Option<Kept>)>,
) -> (BuildOutcome, Option<Site>) {
    let (memory, mut kept) = match memory {
        Some((memory, kept)) => (Some(memory), Some(kept)),
        None => (None, None),
    };
    let started = Instant::now();
    let root = &options.load.root;
    if !root.is_dir() {
        let d = Diag::error(
            "site/not-found",
            format!("site folder {} does not exist", root.display()),
        )
        .with_help("pass --root with the folder that holds site.yaml")
        .caused_by(Cause::Usage);
        return stopped(d, started);
    }
    // The output resolved before anything is read: what was checked is what is written.
    let mut output = None;
    if let Some(wanted) = &options.output {
        match write::resolve_output(root, wanted, options.force) {
            Ok(resolved) => output = Some(resolved),
            Err(refusal) => {
                let d = Diag::error(refusal.code(), refusal.message())
                    .with_help(write::refusal_help(&refusal, &root.join("output")))
                    .caused_by(Cause::Usage);
                return stopped(d, started);
            }
        }
    }
    let mut diags = Vec::new();

    crate::trace::stage("start");
    let loaded = load_site(&options.load);
    crate::trace::stage("load");
    if kept.is_none() {
        // A build: the data files' cells are freed, and rendering does not reuse most of it.
        // (Serve keeps them, and each save should not wait for this.)
        crate::reclaim::return_freed();
    }
    diags.extend(loaded.diags);
    let mut kept_site = None;
    let mut outcome = BuildOutcome {
        diags: Vec::new(),
        briefs: 0,
        pages: 0,
        pages_reused: 0,
        search_index_bytes: 0,
        elapsed: Duration::ZERO,
        wrote: false,
        next_change: loaded.next_change,
    };
    if let Some(site) = loaded.site {
        outcome.briefs = site.briefs.len();
        let staging = match &output {
            Some(output) => match Staging::new(output) {
                Ok(s) => Some(s),
                Err(d) => {
                    diags.push(d);
                    None
                }
            },
            None => None,
        };
        if staging.is_some() || options.output.is_none() {
            let sink: &dyn Sink = match (&staging, memory) {
                (Some(s), _) => s,
                (None, Some(m)) => m,
                (None, None) => &Discard,
            };
            // Kept only for serve (a build into memory).
            let keep = match kept.as_mut().map(|k| k.take()) {
                None => Keep::Nothing,
                Some(None) => Keep::Fresh,
                Some(Some(last)) => Keep::From(Box::new(last)),
            };
            let (report, now_kept) = render_site_keeping(&site, sink, keep);
            if let Some(kept) = kept.as_mut() {
                **kept = now_kept;
            }
            outcome.pages = report.pages;
            outcome.pages_reused = report.pages_reused;
            outcome.search_index_bytes = report.search_index_bytes;
            diags.extend(report.diags);
            let failed = diags.iter().any(Diag::is_error);
            if let Some(staging) = staging
                && !failed
            {
                crate::trace::stage("render");
                match staging.commit() {
                    Ok(()) => outcome.wrote = true,
                    Err(d) => diags.push(d),
                }
            }
        }
        if memory.is_some() {
            kept_site = Some(site);
        } else {
            // Nothing reads a build's site again, and freeing it one value at a time took a
            // fifth of a second at 100,000 briefs before the report could be printed.
            crate::reclaim::drop_later(site);
        }
    }
    crate::trace::stage("commit");
    diag::sort(&mut diags);
    outcome.diags = diags;
    outcome.elapsed = started.elapsed();
    (outcome, kept_site)
}
