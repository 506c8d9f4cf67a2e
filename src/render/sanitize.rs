//! The one place raw HTML from a brief is cleaned, and what briefing's own markup needs to pass.
//!
//! [`super::markdown`] hands over only runs of markup that contain raw HTML; briefing's own
//! markup the allowlist would refuse (chart figures, task-list checkboxes) never comes here,
//! so the allowlist can stay narrow: no form controls, no script, no event handlers, no style.
//! What comes out of [`clean`] is final: it is never searched or split as text afterwards,
//! since no marker put in before the clean could be told apart from the same bytes in a brief.
//!
//! Ids: a raw-HTML id must not pose as one of the page's own (`main`, a heading's id ...), so
//! every id becomes `user-content-<id>` (GitHub's convention). briefing's own ids in the same
//! run (headings, footnotes) are written by [`own_id`] with a per-process secret after them;
//! the attribute filter takes the secret off and keeps those ids as they are. A brief cannot
//! know the secret, and it never reaches the output (a run where raw HTML swallowed briefing's
//! markup so that the secret survives is not used, see [`holds_secret`]), so builds stay
//! byte-for-byte repeatable.

use std::borrow::Cow;
use std::collections::HashSet;
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::LazyLock;

/// What every id from raw HTML starts with.
pub(crate) const RAW_ID_PREFIX: &str = "user-content-";

/// 128 bits from two randomly keyed SipHashes: enough that no brief can guess it.
static NONCE: LazyLock<String> = LazyLock::new(|| {
    let half = |salt: u64| {
        let mut h = RandomState::new().build_hasher();
        h.write_u64(salt);
        h.finish()
    };
    format!("{:016x}{:016x}", half(1), half(2))
});

static BUILDER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.add_tags(["section", "details", "summary", "figure", "figcaption"])
        // Not in ammonia's defaults today; removed by name so that no later default adds them.
        .rm_tags(["input", "button", "select", "option", "textarea", "form"])
        .add_generic_attributes(["id", "class", "aria-label", "role", "tabindex"])
        .add_tag_attributes("th", ["scope"])
        .add_tag_attributes("pre", ["tabindex"])
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .link_rel(None)
        .attribute_filter(|_element, attribute, value| {
            if attribute != "id" {
                Some(value.into())
            } else {
                filter_id(value)
            }
        });
    b
});

/// briefing's own id `id`, written into markup that will go through [`clean`].
pub(crate) fn own_id(id: &str) -> String {
    format!("{id} {}", *NONCE)
}

fn filter_id(value: &str) -> Option<Cow<'_, str>> {
    let own = value
        .strip_suffix(NONCE.as_str())
        .and_then(|v| v.strip_suffix(' '));
    match own {
        Some(id) => Some(Cow::Borrowed(id)),
        None if value.is_empty() => None,
        None => Some(Cow::Owned(format!("{RAW_ID_PREFIX}{value}"))),
    }
}

/// Whether cleaned HTML still holds the secret: raw HTML turned briefing's own markup into an
/// attribute value or text, so the run must not be used.
pub(crate) fn holds_secret(cleaned: &str) -> bool {
    cleaned.contains(NONCE.as_str())
}

/// Cleans HTML that holds raw HTML from a brief to the allowlist: links only to http(s),
/// mailto and relative URLs, ids as the module doc says. briefing's own markup passes.
pub(crate) fn clean(html: &str) -> String {
    BUILDER.clean(html).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_ids_keep_their_name_and_raw_ids_are_prefixed() {
        let html = clean(&format!(
            "<h2 id=\"{}\">A</h2><p id=\"main\">x</p><p id=\"spend {}\">y</p><p id=\"\">z</p>",
            own_id("spend"),
            "0".repeat(32)
        ));
        assert!(html.contains("<h2 id=\"spend\">"), "{html}");
        assert!(html.contains("<p id=\"user-content-main\">"), "{html}");
        assert!(
            html.contains(&format!("id=\"user-content-spend {}\"", "0".repeat(32))),
            "a guessed secret is just part of a raw id: {html}"
        );
        assert!(html.contains("<p>z</p>"), "an empty id is dropped: {html}");
        assert!(!html.contains(NONCE.as_str()));
    }
}
