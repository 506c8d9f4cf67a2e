//! Cutting a list of briefs into pages of `page_size` (site.yaml, default 50).
//!
//! `/briefs/` and every term page are lists that grow without bound; one page of 10,000
//! entries is a heavy download on a phone. Page 1 stays at the list's own URL (`briefs/`), so
//! links from elsewhere never change; page n lives at `briefs/page/n/` ([`routes::list_page`]).
//! This module cuts the list and works out the numbers templates show; it knows nothing about
//! templates or files.

use std::ops::Range;

use serde::Serialize;

use crate::model::SiteConfig;
use crate::routes;

/// One page of a list: which items it shows and where it lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ListPage {
    /// 1-based.
    pub number: usize,
    pub total_pages: usize,
    /// Positions in the whole list (not brief indices).
    pub items: Range<usize>,
    /// Site path of the page, such as `briefs/` or `briefs/page/2/`.
    pub path: String,
}

/// Cuts a list of `len` items at `base` into pages of `page_size` (0: one page for all). An
/// empty list still has its first page, which says there is nothing yet.
pub(crate) fn paginate(base: &str, len: usize, page_size: usize) -> Vec<ListPage> {
    let page_size = if page_size == 0 {
        len.max(1)
    } else {
        page_size
    };
    let total_pages = len.div_ceil(page_size).max(1);
    (1..=total_pages)
        .map(|number| {
            let start = (number - 1) * page_size;
            ListPage {
                number,
                total_pages,
                items: start..(start + page_size).min(len),
                path: routes::list_page(base, number),
            }
        })
        .collect()
}

impl ListPage {
    pub(crate) fn previous_path(&self, base: &str) -> Option<String> {
        (self.number > 1).then(|| routes::list_page(base, self.number - 1))
    }

    pub(crate) fn next_path(&self, base: &str) -> Option<String> {
        (self.number < self.total_pages).then(|| routes::list_page(base, self.number + 1))
    }

    /// ` (page 2 of 3)` for titles, empty on a list that fits one page.
    pub(crate) fn title_suffix(&self) -> String {
        if self.total_pages > 1 {
            format!(" (page {} of {})", self.number, self.total_pages)
        } else {
            String::new()
        }
    }
}

/// What templates see as `pagination` (docs/templates.md).
#[derive(Debug, Serialize)]
pub(crate) struct PaginationView {
    pub number: usize,
    pub total_pages: usize,
    /// How many items the whole list has, and the 1-based positions this page shows.
    pub total_items: usize,
    pub first_item: usize,
    pub last_item: usize,
    /// Root-relative URLs; none on the first (or last) page.
    pub previous: Option<String>,
    pub next: Option<String>,
    pub first: String,
    pub last: String,
}

impl PaginationView {
    pub(crate) fn of(config: &SiteConfig, base: &str, page: &ListPage, total_items: usize) -> Self {
        PaginationView {
            number: page.number,
            total_pages: page.total_pages,
            total_items,
            first_item: if page.items.is_empty() {
                0
            } else {
                page.items.start + 1
            },
            last_item: page.items.end,
            previous: page.previous_path(base).map(|p| config.url(&p)),
            next: page.next_path(base).map(|p| config.url(&p)),
            first: config.url(base),
            last: config.url(&routes::list_page(base, page.total_pages)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_page_keeps_the_list_url() {
        let pages = paginate("briefs/", 120, 50);
        let paths: Vec<&str> = pages.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, ["briefs/", "briefs/page/2/", "briefs/page/3/"]);
        assert_eq!(pages[2].items, 100..120);
        assert_eq!(pages[0].previous_path("briefs/"), None);
        assert_eq!(
            pages[1].previous_path("briefs/").as_deref(),
            Some("briefs/")
        );
        assert_eq!(
            pages[1].next_path("briefs/").as_deref(),
            Some("briefs/page/3/")
        );
        assert_eq!(pages[2].next_path("briefs/"), None);
    }

    #[test]
    fn an_empty_list_has_one_page_and_exact_fits_no_extra() {
        let empty = paginate("tags/x/", 0, 50);
        assert_eq!(empty.len(), 1);
        assert!(empty[0].items.is_empty());
        assert_eq!(paginate("briefs/", 100, 50).len(), 2);
        assert_eq!(paginate("briefs/", 101, 50).len(), 3);
        let unpaginated = paginate("briefs/", 120, 0);
        assert_eq!(unpaginated.len(), 1);
        assert_eq!(unpaginated[0].items, 0..120);
    }
}
