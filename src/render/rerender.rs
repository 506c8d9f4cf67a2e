//! An edit of one brief's text under `briefing serve`, rendered without every other page.
//!
//! When a save changes a brief's body and nothing else (its front-matter and chart blocks are
//! as they were), the only outputs that change are that brief's page, the search index (its
//! words) and the feeds (its text, in full or as the opening words of a brief without a
//! summary). List pages, neighbours and related briefs show front-matter only, and the
//! sitemap's dates are the front-matter's. So the page, the index and the feeds are rendered
//! again from what the last full render kept ([`Kept`]): every other brief's search tokens
//! and feed text. tests/cli/serve_equal.rs compares the result with a full build.

use std::borrow::Cow;

use super::search::{self, BriefTokens, TokenCollector};
use super::{Generated, Templates, all_terms, brief_alone, feed_files, no_such_brief};
use crate::diag::Diag;
use crate::model::Site;
use crate::output::{Checked, Sink};

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
    /// Every page of the last render with the fingerprint of its inputs.
    pub(super) memo: super::memo::Memo,
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
    if kept.tokens.len() != site.briefs.len() {
        return vec![no_such_brief()];
    }
    let templates = match Templates::load(&site.templates) {
        Ok(t) => t,
        Err(diags) => return diags,
    };
    let checked = Checked::new(sink);
    let out = Generated::new(&checked);
    let Some(mut output) = brief_alone(site, &templates, index, &out, Some(&kept.collector)) else {
        return vec![no_such_brief()];
    };
    // Its memo entry is of the old text: the next full render renders it again.
    kept.memo.forget_brief(&site.briefs[index]);
    kept.tokens[index] = std::mem::take(&mut output.tokens);
    kept.contents[index] = output.content.take();
    let mut problems = output.problems();
    let index = search::build(site, &kept.collector, Cow::Borrowed(&kept.tokens));
    kept.search_paths = index.files.iter().map(|(p, _)| p.clone()).collect();
    for (path, bytes) in index.files {
        problems.extend(out.put(path, bytes).err());
    }
    problems.extend(
        feed_files(site, &kept.contents, &all_terms(site), &out)
            .into_iter()
            .filter_map(Result::err),
    );
    problems
}
