//! An edit of one brief's text under `briefing serve`, rendered without every other page.
//!
//! When a save changes a brief's body and nothing else (its front-matter and chart blocks are
//! as they were), the only outputs that change are that brief's page, the search index (its
//! words) and the feeds (its text, in full or as the opening words of a brief without a
//! summary). List pages, neighbours and related briefs show front-matter only, and the
//! sitemap's dates are the front-matter's. So the page, the index and the feeds are rendered
//! again from what the last full render kept ([`Kept`]): every other brief's search tokens
//! and feed text. tests/cli/serve_equal.rs compares the result with a full build.

use super::search::{self, BriefTokens, TokenCollector};
use super::{BriefPlace, Generated, PageRenderer, Templates, brief_files, feed_files, feeds};
use crate::diag::Diag;
use crate::model::{Site, TaxonomyKind};
use crate::output::{Checked, Sink};
use crate::render::related::NeighbourFinder;

/// What a full render keeps for the next edit of one brief's text.
pub struct Kept {
    /// The token table every brief's tokens are numbered in.
    pub(super) collector: TokenCollector,
    /// Each brief's search tokens, by brief index.
    pub(super) tokens: Vec<BriefTokens>,
    /// Each brief's body HTML, for the briefs the feeds show in full.
    pub(super) contents: Vec<Option<String>>,
    /// The search index's files, which the next index replaces.
    pub(super) search_paths: Vec<String>,
}

impl Kept {
    /// The search index files of the last render, to be dropped when a new index is written.
    pub fn search_paths(&self) -> &[String] {
        &self.search_paths
    }
}

/// Renders brief `index`'s page (and chart files), the search index and the feeds into
/// `sink`, after an edit of that brief's text alone; updates `kept`. Returns the problems.
pub fn rerender_body(site: &Site, index: usize, kept: &mut Kept, sink: &dyn Sink) -> Vec<Diag> {
    let (Some(brief), true) = (
        site.briefs.get(index),
        kept.tokens.len() == site.briefs.len(),
    ) else {
        return vec![Diag::error(
            "internal/bug",
            "internal: no such brief to re-render",
        )];
    };
    let templates = match Templates::load(&site.templates) {
        Ok(t) => t,
        Err(diags) => return diags,
    };
    let checked = Checked::new(sink);
    let out = Generated::new(&checked);
    let renderer = PageRenderer::new(site, &templates, None);
    let place = BriefPlace {
        brief,
        index,
        neighbours: NeighbourFinder::new(site).of(site, index),
        in_full_feed: feeds::in_full_feed(site, index),
    };
    let output = brief_files(site, &renderer, &place, &out, Some(&kept.collector));
    let mut problems: Vec<Diag> = output.results.into_iter().filter_map(Result::err).collect();
    problems.extend(output.warnings);
    kept.tokens[index] = output.tokens;
    kept.contents[index] = output.content;
    let index = search::build(site, &kept.collector, &kept.tokens);
    kept.search_paths = index.files.iter().map(|(p, _)| p.clone()).collect();
    for (path, bytes) in index.files {
        problems.extend(out.put(path, bytes).err());
    }
    let terms: Vec<(TaxonomyKind, usize)> = TaxonomyKind::ALL
        .iter()
        .flat_map(|&k| (0..site.taxonomy(k).terms.len()).map(move |i| (k, i)))
        .collect();
    problems.extend(
        feed_files(site, &kept.contents, &terms, &out)
            .into_iter()
            .filter_map(Result::err),
    );
    problems
}
