//! Hostile cases too big to keep as files: each is written when its trial runs, so listing or
//! filtering the trials costs nothing.

/// A case made by `input`, named and held to `expect` like a line of expect.tsv.
pub struct Generated {
    pub name: &'static str,
    pub expect: &'static str,
    pub input: fn() -> String,
}

/// Huge inputs that must build or fail cleanly (trials `huge::NAME`).
pub fn huge() -> Vec<Generated> {
    vec![
        Generated {
            name: "huge.md",
            expect: "ok:Huge",
            input: huge_brief,
        },
        Generated {
            name: "data-200k-rows.csv",
            expect: "ok:inv49",
            input: rows_200k,
        },
        Generated {
            name: "data-5000-columns.csv",
            expect: "ok:wide",
            input: columns_5000,
        },
    ]
}

/// Inputs that cost time or memory out of all proportion to their size (the trust issue's
/// "bounded work"): each is refused or read in well under the harness's limit (trials
/// `bounded::NAME`). Before the fix the CSV, JSON and YAML cases took 10-25 s each in a release
/// build (minutes in a debug build), the anchor cases 1-2 GB, and the flow nesting 44 s.
pub fn bounded() -> Vec<Generated> {
    vec![
        // The alias on line 8 (a4) takes the expansion past a million values.
        Generated {
            name: "fm-doubling-anchors.md",
            expect: "error:8",
            input: || {
                format!(
                    "---\ntitle: Bomb\ndate: 2025-01-01\n{}---\n",
                    doubling_anchors("")
                )
            },
        },
        Generated {
            name: "data-doubling-anchors.yaml",
            expect: "error:8",
            input: || {
                format!(
                    "- {{investor: a, spend: 1}}\n- investor: b\n  spend: 2\n{}",
                    doubling_anchors("  ")
                )
            },
        },
        Generated {
            name: "chart-doubling-anchors.md",
            expect: "error:13",
            input: || {
                format!(
                    "---\ntitle: Chart\ndate: 2025-01-01\n---\n```chart\ntype: bar\nx: investor\ny: spend\n{}rows:\n  - {{investor: a, spend: 1}}\n```\n",
                    doubling_anchors("")
                )
            },
        },
        // The 64th `[` (column 67) opens level 65.
        Generated {
            name: "fm-flow-nesting-100000.md",
            expect: "error:4:67",
            input: || {
                format!(
                    "---\ntitle: Deep\ndate: 2025-01-01\nx: {}{}\n---\n",
                    "[".repeat(100_000),
                    "]".repeat(100_000)
                )
            },
        },
        Generated {
            name: "data-80000-short-rows.csv",
            expect: "warn:80000 rows have 1 field where the header names 2 columns (lines 2, 3, 4, …)",
            input: || format!("investor,spend\n{}", "a\n".repeat(80_000)),
        },
        Generated {
            name: "data-80000-columns.csv",
            expect: "warn:the header names 80002 columns",
            input: || {
                let header: Vec<String> = (0..80_000).map(|i| format!("c{i}")).collect();
                format!("investor,spend,{}\nwide,1\n", header.join(","))
            },
        },
        Generated {
            // Each label its own bar: finding a label's bar was a scan of every bar before it,
            // and 50,000 bars made a 28 MB page. Past 1,000 categories the page shows the
            // table with a warning (chart/too-many-categories), read in one pass.
            name: "data-50000-labels.csv",
            expect: "ok:inv49999",
            input: || {
                let rows: Vec<String> = (0..50_000).map(|i| format!("inv{i},{i}")).collect();
                format!("investor,spend\n{}\n", rows.join("\n"))
            },
        },
        Generated {
            // 50,000 places no map knows: each looked up once, 20 named with a did-you-mean
            // (a scan of every known name), the rest counted in one warning.
            name: "data-map-50000-unknown-places.csv",
            expect: "warn:49980 more place names are not countries briefing knows",
            input: || {
                let rows: Vec<String> = (0..50_000).map(|i| format!("Zq{i}land,{i}")).collect();
                format!("investor,spend\nFrance,1\n{}\n", rows.join("\n"))
            },
        },
        Generated {
            name: "data-80000-keys.json",
            expect: "ok:wide",
            input: || {
                let keys: Vec<String> = (0..80_000).map(|i| format!("\"k{i}\": {i}")).collect();
                format!(
                    "[{{\"investor\": \"wide\", \"spend\": 1, {}}}]",
                    keys.join(", ")
                )
            },
        },
        Generated {
            name: "data-80000-keys.yaml",
            expect: "ok:wide",
            input: || {
                let keys: Vec<String> = (0..80_000).map(|i| format!("k{i}: 1")).collect();
                format!("- {{investor: wide, spend: 1, {}}}\n", keys.join(", "))
            },
        },
    ]
}

/// A 5 MiB brief with a 1 MiB line.
fn huge_brief() -> String {
    let mut body = String::from("---\ntitle: Huge\ndate: 2025-01-01\n---\n");
    body.push_str(&"word ".repeat(1 << 18)); // a 1.25 MiB line
    body.push('\n');
    while body.len() < 5 << 20 {
        body.push_str("A paragraph of ordinary words that repeats until the brief is large.\n\n");
    }
    body
}

fn rows_200k() -> String {
    let mut rows = String::from("investor,spend\n");
    for i in 0..200_000 {
        rows.push_str(&format!("inv{},{}\n", i % 50, i % 7));
    }
    rows
}

fn columns_5000() -> String {
    let header: Vec<String> = std::iter::once("investor".to_string())
        .chain(std::iter::once("spend".to_string()))
        .chain((0..5_000).map(|i| format!("c{i}")))
        .collect();
    let line: Vec<String> = std::iter::once("wide".to_string())
        .chain((0..5_001).map(|i| i.to_string()))
        .collect();
    format!("{}\n{}\n", header.join(","), line.join(","))
}

/// `a0` holds 40,000 values and each next level aliases the one before twice: seven levels
/// (80 KB) stood for 5 million values and took 1 GB. Each line starts with `indent`.
fn doubling_anchors(indent: &str) -> String {
    let mut text = format!("{indent}a0: &a0 [{}]\n", vec!["x"; 40_000].join(", "));
    for i in 1..=7 {
        text.push_str(&format!("{indent}a{i}: &a{i} [*a{}, *a{}]\n", i - 1, i - 1));
    }
    text
}
