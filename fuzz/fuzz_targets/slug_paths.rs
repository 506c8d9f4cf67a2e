//! Slugs and term paths: whatever a name holds, its slug is a single safe URL segment and the
//! output path built from it stays inside the output folder.
#![no_main]
use briefing::model::slug::{slugify, term_key};
use briefing::output::safe_relative;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|name: &str| {
    let slug = slugify(name);
    assert!(!slug.contains(['/', '\\', '.', ' ', '\0', '?', '#', '%']), "{slug:?}");
    assert!(!slug.starts_with('-') && !slug.ends_with('-'), "{slug:?}");
    if !slug.is_empty() {
        assert!(safe_relative(&format!("briefs/{slug}/index.html")).is_ok());
        assert!(safe_relative(&format!("regions/{slug}/index.html")).is_ok());
    }
    assert_eq!(term_key(name), term_key(&term_key(name)), "term keys are stable");
    let _ = safe_relative(name);
});
