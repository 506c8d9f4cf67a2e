//! One brief's files: its page and its charts' files, rendered or, under a memo, handed
//! over as the last render made them; and what the rest of the render takes from them.

use std::sync::{Arc, Mutex};

use super::pages::PageRenderer;
use super::related::NeighbourFinder;
use super::templates::Templates;
use super::{BriefPlace, Generated, chart, feeds, markdown, memo, search};
use rayon::prelude::*;

use crate::diag::Diag;
use crate::model::{Brief, Site};

/// The most briefs one piece of parallel work renders: a few milliseconds' work, so no thread
/// waits long for another's last piece.
const BRIEFS_PER_PIECE: usize = 8;

/// A value per worker thread, made by the first brief each thread renders, as `map_init` does
/// per piece of work: with small pieces that would be thousands of values.
struct PerThread<T> {
    slots: Vec<Mutex<Option<T>>>,
}

impl<T> PerThread<T> {
    fn new() -> Self {
        // One slot per worker, and one for a caller outside the pool.
        let slots = (0..=rayon::current_num_threads()).map(|_| Mutex::new(None));
        PerThread {
            slots: slots.collect(),
        }
    }

    /// Calls `use_it` with this thread's value. The lock is held only while `use_it` runs,
    /// which must not wait on other rayon work (the thread could take a job that asks for the
    /// same slot).
    fn with<R>(&self, make: impl FnOnce() -> T, use_it: impl FnOnce(&mut T) -> R) -> R {
        let last = self.slots.len() - 1;
        let at = rayon::current_thread_index().map_or(last, |i| i.min(last));
        let mut slot = self.slots[at].lock().unwrap_or_else(|e| e.into_inner());
        use_it(slot.get_or_insert_with(make))
    }
}

/// What rendering every brief gave, in site order where it is per brief.
#[derive(Default)]
pub(super) struct Briefs {
    /// The errors of their files.
    pub(super) results: Vec<Result<(), Diag>>,
    /// How many files were written.
    pub(super) written: usize,
    pub(super) warnings: Vec<Diag>,
    /// Each brief's body HTML, where a feed shows it in full.
    pub(super) contents: Vec<Option<String>>,
    pub(super) tokens: Vec<search::BriefTokens>,
    /// The memo entries, by brief file.
    pub(super) entries: Vec<(String, Arc<memo::BriefEntry>)>,
}

/// Every brief's page and chart files, in parallel, with their neighbours: under serve kept
/// for the next render, otherwise found page by page and dropped.
pub(super) fn render_all(
    site: &Site,
    renderer: &PageRenderer,
    out: &Generated,
    collector: &search::TokenCollector,
    memo: Option<&memo::MemoUse>,
) -> Briefs {
    let neighbours = memo.map(|m| m.neighbours(site));
    crate::trace::stage("render: neighbours");
    // One finder per thread, made on first use (each holds a count per brief).
    let finders = PerThread::<NeighbourFinder>::new();
    let per_brief: Vec<BriefOutput> = site
        .briefs
        .par_iter()
        .enumerate()
        // Small pieces: rayon otherwise cuts the briefs into a few long runs up front, and a
        // thread that finishes the list pages while the other is inside a run of thousands
        // finds nothing to take (a tenth of a build's wall time at 10,000 briefs on 2 cores).
        .with_max_len(BRIEFS_PER_PIECE)
        .map(|(index, brief)| {
            let place = BriefPlace {
                brief,
                index,
                neighbours: match &neighbours {
                    Some(all) => all[index].clone(),
                    None => finders.with(|| NeighbourFinder::new(site), |f| f.of(site, index)),
                },
                in_full_feed: feeds::in_full_feed(site, index),
            };
            brief_files(site, renderer, &place, out, Some(collector), memo).settled()
        })
        .collect();
    crate::trace::stage("render: brief pages");
    let mut briefs = Briefs {
        contents: Vec::with_capacity(per_brief.len()),
        tokens: Vec::with_capacity(per_brief.len()),
        ..Briefs::default()
    };
    for (brief, output) in site.briefs.iter().zip(per_brief) {
        briefs.written += output.written;
        briefs.results.extend(output.results);
        briefs.warnings.extend(output.warnings);
        briefs.contents.push(output.content);
        briefs.tokens.push(output.tokens);
        if let Some(entry) = output.memo {
            briefs.entries.push((brief.path.clone(), entry));
        }
    }
    briefs
}

/// What writing one brief gave: a result per file, the warnings its charts raised, and its
/// body HTML when a feed shows the brief in full.
pub(super) struct BriefOutput {
    /// Every file's outcome, until [`BriefOutput::settled`] keeps the errors and counts the rest.
    pub(super) results: Vec<Result<(), Diag>>,
    pub(super) written: usize,
    pub(super) warnings: Vec<Diag>,
    pub(super) content: Option<String>,
    /// Its search tokens, when a collector was given.
    pub(super) tokens: search::BriefTokens,
    /// Its memo entry, when rendered under a memo without errors.
    pub(super) memo: Option<Arc<memo::BriefEntry>>,
}

/// A brief's page and the CSV files of its charts; keeps the body HTML for the feeds when they
/// show the brief in full. Under a memo, hands over what the last render made when the
/// brief's inputs are unchanged.
pub(super) fn brief_files(
    site: &Site,
    renderer: &PageRenderer,
    place: &BriefPlace,
    out: &Generated,
    collector: Option<&search::TokenCollector>,
    memo: Option<&memo::MemoUse>,
) -> BriefOutput {
    let brief = place.brief;
    let key =
        memo.map(|m| m.brief_key(brief, place.in_full_feed, &renderer.brief_summaries(place)));
    if let (Some(memo), Some(key)) = (memo, key)
        && let Some(entry) = memo.brief(brief, key)
    {
        return reused(entry, out);
    }
    let mut results = Vec::new();
    let text = match site.brief_text(brief) {
        Ok(t) => t,
        Err(d) => {
            results.push(Err(d));
            return BriefOutput {
                results,
                written: 0,
                warnings: Vec::new(),
                content: None,
                tokens: Default::default(),
                memo: None,
            };
        }
    };
    let charts_key = memo.map(|m| m.charts_key(brief));
    let kept_charts = memo.zip(charts_key).and_then(|(m, k)| m.charts(brief, k));
    let charts = match kept_charts {
        Some(charts) => charts.clone(),
        None => {
            let key = charts_key.unwrap_or_default();
            Arc::new(draw_charts(site, brief, &text.text, key, &mut results))
        }
    };
    for (path, bytes) in &charts.files {
        results.push(out.put_shared(path.clone(), bytes.clone()));
    }
    // Under serve, a body with values is kept with stand-ins for them: a data file edit
    // changes values, not the Markdown around them.
    let kept_body = memo
        .filter(|_| !brief.bound.is_empty())
        .map(|m| m.body(brief, charts.key, text.body(), &charts.figures));
    let body = match &kept_body {
        Some(kept) => kept.body(text.body(), &charts.figures, &brief.bound),
        None => markdown::render_with_values(text.body(), &charts.figures, &brief.bound),
    };
    let page = renderer.brief_page(place, renderer.brief_context(place), &body);
    let kept_page = page.as_ref().ok().filter(|_| key.is_some()).cloned();
    results.push(out.page(page));
    let tokens = collector.map_or_else(Default::default, |c| c.brief(brief, &body.text));
    let content = place.in_full_feed.then_some(body.html);
    let failed = results.iter().any(Result::is_err);
    let memo = match (key, kept_page) {
        (Some(key), Some(page)) if !failed => Some(Arc::new(memo::BriefEntry {
            key,
            page,
            charts: charts.clone(),
            body: kept_body,
            content: content.clone(),
            tokens: tokens.clone(),
        })),
        _ => None,
    };
    BriefOutput {
        results,
        written: 0,
        warnings: charts.warnings.clone(),
        content,
        tokens,
        memo,
    }
}

/// A brief's charts drawn, with `key`, the fingerprint of what they are drawn from; a chart
/// that cannot be drawn is an error in `results` and leaves its place on the page empty.
fn draw_charts(
    site: &Site,
    brief: &Brief,
    text: &Arc<str>,
    key: u64,
    results: &mut Vec<Result<(), Diag>>,
) -> memo::ChartsEntry {
    let mut charts = memo::ChartsEntry {
        key,
        figures: Vec::with_capacity(brief.charts.len()),
        ..Default::default()
    };
    for (spec, prepared) in brief.charts_prepared() {
        match chart::render_chart(site, brief, text, spec, prepared) {
            Ok(rendered) => {
                let (name, csv) = rendered.csv;
                let mut put = |name: String, text: String| {
                    let path = format!("{}{name}", brief.site_path());
                    charts.files.push((path, Arc::new(text.into_bytes())));
                };
                put(name, csv);
                if let Some((name, svg)) = rendered.svg_file {
                    put(name, svg);
                }
                charts.warnings.extend(rendered.warnings);
                // Figures are numbered by block; a missing one leaves its place empty.
                charts.figures.resize(spec.number - 1, String::new());
                charts.figures.push(rendered.figure);
            }
            Err(d) => results.push(Err(d)),
        }
    }
    charts
}

/// A brief's files as the last render made them, handed to `out` again.
fn reused(entry: &Arc<memo::BriefEntry>, out: &Generated) -> BriefOutput {
    let mut results: Vec<Result<(), Diag>> = entry
        .charts
        .files
        .iter()
        .map(|(path, bytes)| out.put_shared(path.clone(), bytes.clone()))
        .collect();
    results.push(out.page(Ok(entry.page.clone())));
    BriefOutput {
        results,
        written: 0,
        warnings: entry.charts.warnings.clone(),
        content: entry.content.clone(),
        tokens: entry.tokens.clone(),
        memo: Some(entry.clone()),
    }
}

/// One brief's page and chart files rendered alone into `out`, its search tokens gathered by
/// `collector`: what an edit of its text renders again ([`rerender`]) and what the page
/// benchmark times. `None` when there is no brief `index`.
pub(super) fn brief_alone(
    site: &Site,
    templates: &Templates,
    index: usize,
    out: &Generated,
    collector: Option<&search::TokenCollector>,
) -> Option<BriefOutput> {
    let brief = site.briefs.get(index)?;
    let renderer = PageRenderer::new(site, templates, None);
    let place = BriefPlace {
        brief,
        index,
        neighbours: NeighbourFinder::new(site).of(site, index),
        in_full_feed: feeds::in_full_feed(site, index),
    };
    Some(brief_files(site, &renderer, &place, out, collector, None))
}

impl BriefOutput {
    /// Keeps only the errors among its files' outcomes and counts the files written: a build
    /// holds every brief's output until the pages that list them are done, and an outcome is
    /// the size of a problem (20 MB at 100,000 briefs).
    pub(super) fn settled(mut self) -> Self {
        self.written += self.results.iter().filter(|r| r.is_ok()).count();
        self.results.retain(Result::is_err);
        self.results.shrink_to_fit();
        self
    }

    /// The errors of its files, then its warnings.
    pub(super) fn problems(self) -> Vec<Diag> {
        let mut problems: Vec<Diag> = self.results.into_iter().filter_map(Result::err).collect();
        problems.extend(self.warnings);
        problems
    }
}
