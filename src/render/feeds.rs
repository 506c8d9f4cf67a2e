//! Feeds: Atom (RFC 4287) for the site at `atom.xml` and for every tag and region at
//! `<taxonomy>/<term>/atom.xml`, and RSS 2.0 for the site at `rss.xml`.
//!
//! Feed readers and newsletters follow a briefing site through these, so they are written by
//! hand rather than through templates: every text is escaped with XML entities (never CDATA),
//! every link is absolute, entry ids are the briefs' permalinks, and every date comes from the
//! briefs (`updated`, else `date`), never from the build clock, so a rebuild changes nothing.
//! Each feed holds the newest `feed_limit` briefs; with `feed_content: full` an entry carries
//! the brief's HTML too, its links made absolute.

use std::fmt::Write as _;

use super::summary::feed_text;
use super::xml::{element, escape, rfc822, rfc3339};
use crate::model::{Brief, BriefDate, FeedContent, Site, SiteConfig, TaxonomyKind, Term};
use crate::routes::{self, SITE_ATOM, SITE_RSS};

/// One feed file: its site path and text.
pub(crate) struct FeedFile {
    pub path: String,
    pub xml: String,
}

/// Whether a feed shows brief `index` in full, so its body HTML must be kept for the feeds:
/// never unless `feed_content: full`; then when it is among the newest `feed_limit` of the
/// site, or of a term it names (per-term feeds or not, as before).
pub(crate) fn in_full_feed(site: &Site, index: usize) -> bool {
    let config = &site.config;
    if config.feed_content != FeedContent::Full {
        return false;
    }
    let limit = config.feed_limit;
    if index < limit {
        return true;
    }
    let brief = &site.briefs[index];
    TaxonomyKind::ALL.iter().any(|&kind| {
        let taxonomy = site.taxonomy(kind);
        let names = match kind {
            TaxonomyKind::Tags => &brief.front.tags,
            TaxonomyKind::Regions => &brief.front.regions,
        };
        // A term's briefs are in site order, so the brief is among its newest `limit` when
        // it comes no later than the `limit`-th of them.
        taxonomy.terms_of(names).into_iter().any(|t| {
            let briefs = &taxonomy.terms[t].briefs;
            limit > 0 && briefs.get(limit - 1).is_none_or(|&last| index <= last)
        })
    })
}

/// What every feed shares about the site and its briefs.
pub(crate) struct Feeds<'a> {
    site: &'a Site,
    /// The body HTML of each brief a feed shows in full, by brief index.
    contents: &'a [Option<String>],
}

impl<'a> Feeds<'a> {
    pub(crate) fn new(site: &'a Site, contents: &'a [Option<String>]) -> Self {
        Feeds { site, contents }
    }

    fn config(&self) -> &SiteConfig {
        &self.site.config
    }

    /// The site's Atom feed.
    pub(crate) fn site_atom(&self) -> FeedFile {
        let config = self.config();
        let entries: Vec<usize> = (0..self.site.briefs.len().min(config.feed_limit)).collect();
        let xml = self.atom(&AtomHead {
            title: config.title.clone(),
            subtitle: config.description.clone(),
            self_path: SITE_ATOM,
            page_path: routes::HOME,
            entries: &entries,
        });
        FeedFile {
            path: SITE_ATOM.to_string(),
            xml,
        }
    }

    /// The Atom feed of one tag or region.
    pub(crate) fn term_atom(&self, kind: TaxonomyKind, term: &Term) -> FeedFile {
        let config = self.config();
        let taxonomy = self.site.taxonomy(kind);
        let path = routes::term_feed(kind, &term.slug);
        let page_path = taxonomy.term_path(term);
        let entries: Vec<usize> = term
            .briefs
            .iter()
            .take(config.feed_limit)
            .copied()
            .collect();
        let xml = self.atom(&AtomHead {
            title: format!("{}: {}: {}", config.title, kind.singular(), term.name),
            subtitle: Some(format!("Briefs on {} from {}.", term.name, config.title)),
            self_path: &path,
            page_path: &page_path,
            entries: &entries,
        });
        FeedFile { path, xml }
    }

    fn atom(&self, head: &AtomHead) -> String {
        let config = self.config();
        let site_author = config.author.as_deref().unwrap_or(&config.title);
        let mut out = String::with_capacity(2048 + head.entries.len() * 1024);
        out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        let _ = writeln!(
            out,
            "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">",
            escape(&config.language)
        );
        element(&mut out, "  ", "title", &head.title);
        if let Some(subtitle) = &head.subtitle {
            element(&mut out, "  ", "subtitle", subtitle);
        }
        let self_url = config.permalink(head.self_path);
        let _ = writeln!(
            out,
            "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
            escape(&self_url)
        );
        let _ = writeln!(
            out,
            "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
            escape(&config.permalink(head.page_path))
        );
        element(&mut out, "  ", "id", &self_url);
        element(&mut out, "  ", "updated", &self.newest(head.entries));
        let _ = writeln!(
            out,
            "  <author>\n    <name>{}</name>\n  </author>",
            escape(site_author)
        );
        out.push_str("  <generator>briefing</generator>\n");
        for &index in head.entries {
            self.atom_entry(&mut out, index, site_author);
        }
        out.push_str("</feed>\n");
        out
    }

    fn atom_entry(&self, out: &mut String, index: usize, site_author: &str) {
        let brief = &self.site.briefs[index];
        let front = &brief.front;
        let permalink = self.config().permalink(&brief.site_path());
        out.push_str("  <entry>\n");
        element(out, "    ", "title", &front.title);
        let _ = writeln!(
            out,
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
            escape(&permalink)
        );
        element(out, "    ", "id", &permalink);
        element(out, "    ", "published", &rfc3339(&front.date));
        element(out, "    ", "updated", &rfc3339(updated(brief)));
        for name in authors(brief, site_author) {
            let _ = writeln!(
                out,
                "    <author>\n      <name>{}</name>\n    </author>",
                escape(name)
            );
        }
        for (kind, name) in self.categories(brief) {
            let taxonomy = self.site.taxonomy(kind);
            let scheme = self.config().permalink(&routes::taxonomy(kind));
            if let Some(term) = taxonomy.term(name) {
                let _ = writeln!(
                    out,
                    "    <category term=\"{}\" scheme=\"{}\" label=\"{}\"/>",
                    escape(&term.name),
                    escape(&scheme),
                    escape(&format!("{}: {}", kind.singular(), term.name))
                );
            }
        }
        let summary = feed_text(self.site, brief);
        if !summary.is_empty() {
            let _ = writeln!(
                out,
                "    <summary type=\"text\">{}</summary>",
                escape(&summary)
            );
        }
        if let Some(html) = self.content(index) {
            let _ = writeln!(
                out,
                "    <content type=\"html\">{}</content>",
                escape(&absolute_links(html, &permalink, &self.origin()))
            );
        }
        out.push_str("  </entry>\n");
    }

    /// The site's RSS 2.0 feed.
    pub(crate) fn site_rss(&self) -> FeedFile {
        let config = self.config();
        let site_author = config.author.as_deref().unwrap_or(&config.title);
        let entries: Vec<usize> = (0..self.site.briefs.len().min(config.feed_limit)).collect();
        let full = config.feed_content == FeedContent::Full;
        let mut out = String::with_capacity(2048 + entries.len() * 1024);
        out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        out.push_str(
            "<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\" \
             xmlns:dc=\"http://purl.org/dc/elements/1.1/\"",
        );
        if full {
            out.push_str(" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"");
        }
        out.push_str(">\n<channel>\n");
        element(&mut out, "  ", "title", &config.title);
        element(&mut out, "  ", "link", &config.permalink(routes::HOME));
        element(
            &mut out,
            "  ",
            "description",
            config.description.as_deref().unwrap_or(&config.title),
        );
        element(&mut out, "  ", "language", &config.language);
        let _ = writeln!(
            out,
            "  <atom:link rel=\"self\" type=\"application/rss+xml\" href=\"{}\"/>",
            escape(&config.permalink(SITE_RSS))
        );
        if let Some(newest) = self.newest_date(&entries) {
            element(&mut out, "  ", "lastBuildDate", &rfc822(newest));
        }
        out.push_str("  <generator>briefing</generator>\n");
        for &index in &entries {
            let brief = &self.site.briefs[index];
            let permalink = config.permalink(&brief.site_path());
            out.push_str("  <item>\n");
            element(&mut out, "    ", "title", &brief.front.title);
            element(&mut out, "    ", "link", &permalink);
            let _ = writeln!(
                out,
                "    <guid isPermaLink=\"true\">{}</guid>",
                escape(&permalink)
            );
            element(&mut out, "    ", "pubDate", &rfc822(&brief.front.date));
            for name in authors(brief, site_author) {
                element(&mut out, "    ", "dc:creator", name);
            }
            for (_, name) in self.categories(brief) {
                element(&mut out, "    ", "category", name);
            }
            // RSS readers read <description> as HTML: the plain summary is escaped for HTML
            // first, then for XML, so `<` in a summary shows as `<`.
            let summary = feed_text(self.site, brief);
            element(&mut out, "    ", "description", &escape(&summary));
            if let Some(html) = self.content(index) {
                let html = absolute_links(html, &permalink, &self.origin());
                element(&mut out, "    ", "content:encoded", &html);
            }
            out.push_str("  </item>\n");
        }
        out.push_str("</channel>\n</rss>\n");
        FeedFile {
            path: SITE_RSS.to_string(),
            xml: out,
        }
    }

    fn content(&self, index: usize) -> Option<&str> {
        self.contents.get(index).and_then(|c| c.as_deref())
    }

    /// `https://host` of the base URL, for root-relative links.
    fn origin(&self) -> String {
        let config = self.config();
        config.base_url[..config.base_url.len() - config.base_path.len()].to_string()
    }

    fn newest_date(&self, entries: &[usize]) -> Option<&BriefDate> {
        entries
            .iter()
            .map(|&i| updated(&self.site.briefs[i]))
            .max_by_key(|d| d.timestamp())
    }

    /// The feed's `updated`: its newest entry's, or the epoch for a feed with no entries.
    fn newest(&self, entries: &[usize]) -> String {
        self.newest_date(entries)
            .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), rfc3339)
    }

    /// The regions then tags a brief names, each term once, as written in the taxonomy.
    fn categories<'b>(&self, brief: &'b Brief) -> Vec<(TaxonomyKind, &'b str)> {
        let mut out = Vec::new();
        let mut seen: Vec<(TaxonomyKind, &str)> = Vec::new();
        for (kind, names) in [
            (TaxonomyKind::Regions, &brief.front.regions),
            (TaxonomyKind::Tags, &brief.front.tags),
        ] {
            for name in names {
                if let Some(term) = self.site.taxonomy(kind).term(name)
                    && !seen.contains(&(kind, term.key.as_str()))
                {
                    seen.push((kind, term.key.as_str()));
                    out.push((kind, name.as_str()));
                }
            }
        }
        out
    }
}

struct AtomHead<'h> {
    title: String,
    subtitle: Option<String>,
    self_path: &'h str,
    page_path: &'h str,
    entries: &'h [usize],
}

/// A brief's `updated`, else its `date`.
fn updated(brief: &Brief) -> &BriefDate {
    brief.front.updated.as_ref().unwrap_or(&brief.front.date)
}

/// The brief's authors, else the site's author, else the site title.
fn authors<'b>(brief: &'b Brief, site_author: &'b str) -> Vec<&'b str> {
    let named: Vec<&str> = brief
        .front
        .authors
        .iter()
        .map(|a| a.trim())
        .filter(|a| !a.is_empty())
        .collect();
    if named.is_empty() {
        vec![site_author]
    } else {
        named
    }
}

/// Rewrites the `href` and `src` values of briefing's HTML so they work outside the site: a
/// root-relative URL gets the origin, a fragment or relative URL the brief's permalink. Text
/// is untouched: in that HTML every `<` outside a tag is written `&lt;` and attribute values
/// are double-quoted, so a scan of tags and quotes finds exactly the attributes.
pub(crate) fn absolute_links(html: &str, permalink: &str, origin: &str) -> String {
    let mut out = String::with_capacity(html.len() + 256);
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        rest = &rest[open..];
        // The tag runs to the first `>` outside a quoted value.
        let mut quoted = false;
        let end = rest
            .char_indices()
            .find(|&(_, c)| {
                if c == '"' {
                    quoted = !quoted;
                }
                c == '>' && !quoted
            })
            .map_or(rest.len(), |(i, _)| i + 1);
        out.push_str(&rewrite_tag(&rest[..end], permalink, origin));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

fn rewrite_tag(tag: &str, permalink: &str, origin: &str) -> String {
    let mut out = String::with_capacity(tag.len() + 64);
    let mut rest = tag;
    loop {
        let next = ["href=\"", "src=\""]
            .iter()
            .filter_map(|attr| {
                rest.find(attr).and_then(|at| {
                    let before = rest[..at].chars().last();
                    before
                        .is_some_and(char::is_whitespace)
                        .then_some((at, attr.len()))
                })
            })
            .min();
        let Some((at, len)) = next else {
            out.push_str(rest);
            return out;
        };
        let value_start = at + len;
        let value_end = rest[value_start..]
            .find('"')
            .map_or(rest.len(), |n| value_start + n);
        out.push_str(&rest[..value_start]);
        let value = &rest[value_start..value_end];
        out.push_str(&absolute(value, permalink, origin));
        rest = &rest[value_end..];
    }
}

fn absolute(value: &str, permalink: &str, origin: &str) -> String {
    let has_scheme = value.find(':').is_some_and(|colon| {
        let scheme = &value[..colon];
        !scheme.is_empty()
            && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    if has_scheme || value.starts_with("//") || value.is_empty() {
        value.to_string()
    } else if value.starts_with('/') {
        format!("{origin}{value}")
    } else {
        format!("{permalink}{value}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_become_absolute_and_text_stays() {
        let html = "<p>See <a href=\"/briefs/x/\">x</a>, <a href=\"#fn-1\" id=\"r\">1</a>, \
                    <img src=\"chart.svg\" alt=\"a &gt; b\"> and <a href=\"https://e.org/\">e</a>. \
                    href=\"/no\"</p>";
        let got = absolute_links(html, "https://s.org/briefs/a/", "https://s.org");
        assert_eq!(
            got,
            "<p>See <a href=\"https://s.org/briefs/x/\">x</a>, \
             <a href=\"https://s.org/briefs/a/#fn-1\" id=\"r\">1</a>, \
             <img src=\"https://s.org/briefs/a/chart.svg\" alt=\"a &gt; b\"> and \
             <a href=\"https://e.org/\">e</a>. href=\"/no\"</p>"
        );
    }

    #[test]
    fn mailto_and_data_attributes_are_left_alone() {
        let html = "<a href=\"mailto:a@b.org\" data-href=\"/x\">m</a>";
        assert_eq!(
            absolute_links(html, "https://s.org/b/", "https://s.org"),
            html
        );
    }
}
