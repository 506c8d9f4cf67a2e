//! `_headers` (`headers: netlify` in site.yaml): the response headers a host should send, in
//! the file format Netlify and Cloudflare Pages read from the output root.
//!
//! Every path gets the Content-Security-Policy of docs/security.md. Only the search index's
//! shards and result files live under a folder named by a fingerprint of their contents
//! (`search/<version>/`), so only they are cached as immutable. The stylesheet and the search
//! script keep their names from build to build (`/style.css`, `/search.js`), so they get a
//! short cache: a new build's pages never wait long for their new stylesheet. Pages, feeds and
//! `search/index.json` are left to the host's default (revalidated on every request).
//!
//! Both hosts join the values of a header set by several matching rules with commas, so
//! `Cache-Control` is set by exactly one rule for any path. Paths are relative to the output
//! folder, which is the root these hosts publish.

use crate::routes;

/// The Content-Security-Policy every page works under; docs/security.md shows the same line.
pub(crate) const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// For files whose name changes whenever their contents do.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// For assets whose name stays the same from build to build: ten minutes.
const SHORT: &str = "public, max-age=600";

/// The text of `_headers`.
pub(crate) fn netlify_headers() -> String {
    let mut out = String::from(
        "# Response headers for Netlify and Cloudflare Pages, written by briefing\n\
         # (`headers: netlify` in site.yaml). To change them, put your own static/_headers.\n\n",
    );
    out.push_str(&format!(
        "/*\n  Content-Security-Policy: {CONTENT_SECURITY_POLICY}\n\n"
    ));
    out.push_str(&format!(
        "# The search index's files are named by a fingerprint of their contents.\n\
         /{}:version/*\n  Cache-Control: {IMMUTABLE}\n\n",
        routes::SEARCH
    ));
    out.push_str("# Same name in every build: cached briefly, not for good.\n");
    for asset in [routes::STYLESHEET, routes::SEARCH_SCRIPT] {
        out.push_str(&format!("/{asset}\n  Cache-Control: {SHORT}\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_is_the_one_docs_security_md_shows() {
        let doc = include_str!("../../docs/security.md");
        assert!(
            doc.contains(&format!(
                "Content-Security-Policy: {CONTENT_SECURITY_POLICY}\n"
            )),
            "docs/security.md and render/headers.rs disagree on the policy"
        );
    }

    #[test]
    fn only_fingerprinted_files_are_immutable() {
        // (path, header) for every header line, under the path line above it.
        let mut path = "";
        let mut rules = Vec::new();
        for line in netlify_headers().lines() {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            match line.strip_prefix("  ") {
                Some(header) => rules.push((path.to_string(), header.to_string())),
                None => path = line,
            }
        }
        let immutable: Vec<&str> = rules
            .iter()
            .filter(|(_, h)| h.contains("immutable"))
            .map(|(p, _)| p.as_str())
            .collect();
        assert_eq!(immutable, ["/search/:version/*"]);
        let everywhere: Vec<&str> = rules
            .iter()
            .filter(|(p, _)| p == "/*")
            .map(|(_, h)| h.as_str())
            .collect();
        assert_eq!(
            everywhere,
            [format!(
                "Content-Security-Policy: {CONTENT_SECURITY_POLICY}"
            )],
            "/* sets no Cache-Control, which the hosts would join with the other rules'"
        );
    }
}
