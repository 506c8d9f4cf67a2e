//! The search page and its index: what is indexed, how text is escaped, that no other page
//! needs a script, and that a phone fetches a small part of a 10,000-brief index per word.

use std::collections::BTreeMap;
use std::sync::Arc;

use briefing::model::{BriefDate, FeedContent, FrontMatter, HostHeaders, Site, SiteConfig};
use briefing::render::search::{
    DOCS_PER_FILE, MANIFEST_PATH, PREFIX_BUDGET_BYTES, RESULTS_PER_PAGE, TokenCollector, build,
    shards_for,
};
use briefing::render::text::plain_text;
use briefing::render::tokens::tokens;
use serde_json::Value;

use crate::common::*;

/// The shard entry of `token`, read the way the script reads it: manifest, then its shard.
fn entry(out: &std::path::Path, token: &str) -> Option<Value> {
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(out.join("search/index.json")).unwrap()).unwrap();
    let shards: Vec<(String, usize)> = manifest["shards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s[0].as_str().unwrap().to_string(),
                s[1].as_u64().unwrap() as usize,
            )
        })
        .collect();
    let files = manifest["files"].as_str().unwrap();
    let n = shards_for(&shards, token, false)[0];
    let shard: Value = serde_json::from_slice(
        &std::fs::read(out.join(format!("search/{files}s{n}.json"))).unwrap(),
    )
    .unwrap();
    shard
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e[0] == token)
        .cloned()
}

/// Brief ids of one field list of an entry (gaps added up).
fn ids(entry: &Value, field: usize) -> Vec<u64> {
    let mut id = 0;
    entry
        .get(field + 1)
        .and_then(Value::as_array)
        .map(|gaps| {
            gaps.iter()
                .enumerate()
                .map(|(i, g)| {
                    id = if i == 0 {
                        g.as_u64().unwrap()
                    } else {
                        id + g.as_u64().unwrap()
                    };
                    id
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn the_index_covers_every_field_folds_accents_and_escapes_text() {
    let site = TestSite::new();
    site.brief(
        "newest.md",
        "title: \"<script>Québec</script> & tariffs\"\ndate: 2025-03-01\nregions: [Türkiye]\ntags: [trade]",
        "Body about Қазақстан, 日本経済 and भारत.\n",
    );
    site.brief(
        "older.md",
        "title: Grain\ndate: 2025-02-01\nsummary: Exports from Quebec rose.",
        "Nothing else.\n",
    );
    site.build().assert_ok();
    let out = site.out();
    let quebec = entry(&out, "quebec").expect("quebec is indexed");
    assert_eq!(ids(&quebec, 0), [0], "in the newest brief's title");
    assert_eq!(ids(&entry(&out, "turkiye").unwrap(), 0), [0]);
    assert_eq!(ids(&entry(&out, "trade").unwrap(), 1), [0], "in a tag");
    assert_eq!(ids(&entry(&out, "quebec").unwrap(), 2), [1], "in a summary");
    for word in ["қазақстан", "日本", "経済", "भारत"] {
        assert_eq!(
            ids(&entry(&out, word).expect(word), 3),
            [0],
            "{word} in the body"
        );
    }
    for (path, bytes) in tree(&out.join("search")) {
        if !path.ends_with(".json") {
            continue;
        }
        let text = String::from_utf8(bytes).unwrap();
        assert!(
            !text.contains('<') && !text.contains('>'),
            "raw angle bracket in {path}"
        );
        serde_json::from_str::<Value>(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    }
    let docs: String = tree(&out.join("search"))
        .into_iter()
        .filter(|(p, _)| p.ends_with("d0.json"))
        .map(|(_, b)| String::from_utf8(b).unwrap())
        .collect();
    assert!(docs.contains(r#""\u003cscript\u003eQuébec\u003c/script\u003e \u0026 tariffs""#));
}

#[test]
fn only_the_search_page_loads_a_script_and_it_works_without_one() {
    let site = TestSite::new();
    site.brief(
        "a.md",
        "title: A\ndate: 2025-01-01\nregions: [France]",
        "Body.\n",
    );
    site.build().assert_ok();
    let search = site.page("search/index.html");
    assert!(search.contains("<script src=\"/search.js\" defer></script>"));
    let nojs = &search[search
        .find("id=\"search-nojs\"")
        .expect("a no-script message")..];
    let nojs = &nojs[..nojs.find("</p>").unwrap()];
    assert!(nojs.contains("needs JavaScript"));
    assert!(nojs.contains("href=\"/regions/\"") && nojs.contains("href=\"/tags/\""));
    assert!(search.contains("data-index=\"/search/index.json\""));
    assert!(site.exists("search.js") && site.exists("search/index.json"));
    for page in super::html_pages(&site.out()) {
        let html = site.page(&page);
        if page != "search/index.html" {
            assert!(!html.contains("<script"), "{page} loads a script");
        }
        // Nothing inline, so a strict Content-Security-Policy holds.
        assert!(
            !html.contains("<script>") && !html.contains(" style=\""),
            "{page}"
        );
        assert!(
            !html.contains(" onclick=") && !html.contains(" onload="),
            "{page}"
        );
    }
}

/// A site of `n` generated briefs: titles, regions, tags, summaries and bodies drawn from a
/// vocabulary with a long tail, as real text has (a few words everywhere, most words rare).
fn generated_site(n: usize) -> Site {
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let syllables = [
        "ka", "za", "khs", "tan", "ro", "mi", "de", "sol", "ver", "an", "ti", "po", "lu", "ne",
        "gra", "in", "ex", "port", "ma", "ri", "bu", "sel", "to", "qu", "é", "bec", "ü", "ye",
    ];
    let vocabulary: Vec<String> = (0..30_000u64)
        .map(|i| {
            let mut word = String::new();
            let mut k = i + 1;
            while k > 0 {
                word.push_str(syllables[(k % syllables.len() as u64) as usize]);
                k /= syllables.len() as u64;
            }
            word
        })
        .collect();
    // Log-uniform ranks: word r is drawn about as often as 1/r (Zipf).
    let word = |next: &mut dyn FnMut() -> u64| -> String {
        let u = (next() % 1_000_000) as f64 / 1_000_000.0;
        let rank = ((vocabulary.len() as f64).powf(u) as usize).saturating_sub(1);
        vocabulary[rank.min(vocabulary.len() - 1)].clone()
    };
    let regions: Vec<String> = (0..120).map(|i| format!("Region {i}")).collect();
    let tags: Vec<String> = (0..60).map(|i| format!("tag{i}")).collect();
    let start = chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
    let briefs = (0..n)
        .map(|i| {
            let mut sentence = |len: usize| {
                (0..len)
                    .map(|_| word(&mut next))
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            let title = sentence(6);
            let summary = sentence(25);
            let body = sentence(150);
            let r = next() as usize;
            let date = start + chrono::Days::new(i as u64 / 3);
            briefing::model::Brief {
                path: format!("content/briefs/b{i}.md"),
                source_path: std::path::PathBuf::from(format!("b{i}.md")),
                slug: format!("b{i}"),
                front: FrontMatter {
                    title,
                    date: BriefDate::parse(&date.to_string()).unwrap(),
                    summary: Some(summary),
                    tags: vec![tags[r % 60].clone(), tags[(r / 60) % 60].clone()],
                    regions: vec![regions[(r / 7) % 120].clone()],
                    slug: None,
                    draft: false,
                    updated: None,
                    publish_date: None,
                    expiry_date: None,
                    authors: Vec::new(),
                    values: Vec::new(),
                    extra: BTreeMap::new(),
                },
                source: Arc::from(body.as_str()),
                body_offset: 0,
                prepared: Default::default(),
                charts: Vec::new(),
                schedule: None,
                value_uses: Vec::new(),
                bound: Vec::new(),
                fingerprint: 0,
                data_fingerprint: 0,
                chart_data_fingerprint: 0,
            }
        })
        .collect();
    let config = SiteConfig {
        title: "Generated".into(),
        base_url: "https://g.example.org".into(),
        base_path: String::new(),
        description: None,
        language: "en".into(),
        author: None,
        feed_limit: 20,
        feed_content: FeedContent::Summary,
        page_size: 50,
        term_feeds: true,
        home_map: true,
        headers: HostHeaders::None,
    };
    Site::assemble(config, briefs, Vec::new(), Vec::new(), BTreeMap::new())
}

/// The issue's budget: at 10,000 briefs, a one-word query fetches under 300 KB. For every word
/// in the index this adds up what the script fetches: the manifest, the shards the word (as
/// typed, so as a prefix) needs, and a full page of results from the largest docs files.
#[test]
fn a_one_word_query_fetches_under_300_kb_of_a_10000_brief_index() {
    let site = generated_site(10_000);
    // As the page renderer does: each brief's tokens from its plain text, then the index.
    let collector = TokenCollector::default();
    let per_brief: Vec<_> = site
        .briefs
        .iter()
        .map(|b| collector.brief(b, &plain_text(site.brief_text(b).unwrap().body())))
        .collect();
    let index = build(&site, &collector, per_brief.into());
    let size = |path: &str| {
        index
            .files
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, b)| b.len())
            .unwrap()
    };
    let manifest = size(MANIFEST_PATH);
    let mut docs: Vec<usize> = index
        .files
        .iter()
        .filter(|(p, _)| p.rsplit('/').next().is_some_and(|f| f.starts_with('d')))
        .map(|(_, b)| b.len())
        .collect();
    assert_eq!(docs.len(), 10_000usize.div_ceil(DOCS_PER_FILE));
    docs.sort_unstable();
    let results: usize = docs.iter().rev().take(RESULTS_PER_PAGE).sum();
    let total = index.total_bytes() as usize;
    assert!(
        total > 3_000_000,
        "the whole index ({total} bytes) is far too big to fetch"
    );

    // Every word in the index, and the first letters of words as a reader types them.
    let mut words: Vec<String> = Vec::new();
    for (path, bytes) in &index.files {
        if path.rsplit('/').next().is_some_and(|f| f.starts_with('s')) {
            let shard: Value = serde_json::from_slice(bytes).unwrap();
            for entry in shard.as_array().unwrap() {
                words.push(entry[0].as_str().unwrap().to_string());
            }
        }
    }
    assert!(words.len() > 10_000, "{} words", words.len());
    for typed in ["k", "ka", "kaz", "r", "re", "reg", "region", "q", "qu"] {
        words.push(typed.to_string());
    }
    words.extend(tokens("Québec Türkiye"));
    let largest_shard = index.shards.iter().map(|s| s.1).max().unwrap();
    let mut worst = (0, String::new());
    for word in &words {
        for prefix in [false, true] {
            let shards: usize = shards_for(&index.shards, word, prefix)
                .iter()
                .map(|&n| index.shards[n].1)
                .sum();
            assert!(shards <= PREFIX_BUDGET_BYTES.max(largest_shard), "{word}");
            let fetched = manifest + shards + results;
            if fetched > worst.0 {
                worst = (fetched, word.clone());
            }
        }
    }
    assert!(
        worst.0 < 300_000,
        "a query for {:?} fetches {} bytes (manifest {manifest}, results {results})",
        worst.1,
        worst.0
    );
}
