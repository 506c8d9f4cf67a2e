//! Problems found in a user's files, as values: collected, sorted, counted and printed.
//!
//! A [`Diag`] keeps the file it is about and a byte range in that file's (decoded) text, so the
//! report can say `path:line:col` and show the offending line. Nothing here prints by itself:
//! the command line decides where a report goes.

use std::fmt::Write as _;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

/// Whose problem an error is: it decides the exit code, not the channel it came through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Cause {
    /// The site's files (exit 1): the editor fixes a brief, a data file, a template.
    #[default]
    Content,
    /// The command line (exit 2): a flag, a folder that is not a site, an output that may not
    /// be replaced.
    Usage,
    /// The machine (exit 3): the output cannot be written, the disk is full, the port is taken.
    Environment,
}

/// The exit code for a finished command: 0 success (warnings allowed), 1 the content has
/// errors, 2 the command line is wrong, 3 briefing could not do its work for a reason outside
/// both. When several causes meet, the one the user must fix first wins: the command line,
/// then the machine, then the content.
pub fn exit_code(diags: &[Diag]) -> u8 {
    let errors = || diags.iter().filter(|d| d.is_error());
    if errors().any(|d| d.cause == Cause::Usage) {
        2
    } else if errors().any(|d| d.cause == Cause::Environment) {
        3
    } else if errors().next().is_some() {
        1
    } else {
        0
    }
}

/// A position in a source file: byte offset plus the 1-based line and column (in characters)
/// that a person sees in an editor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    pub line: usize,
    pub column: usize,
    pub offset: usize,
}

impl Location {
    /// Computes line and column of `offset` in `text`. Offsets past the end clamp to the end.
    pub fn at(text: &str, offset: usize) -> Location {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &text[..offset];
        let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = text[line_start..offset].chars().count() + 1;
        Location {
            line,
            column,
            offset,
        }
    }
}

/// At most this many characters of the offending line are quoted, around the column, so a
/// report on a 1 MiB line (minified data) stays readable and small.
const QUOTED_CHARS: usize = 120;

/// The quoted part of a line: its text, and the character index in the line where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    pub text: Box<str>,
    pub from: usize,
}

impl Quote {
    /// The part of the line at `at` in `text` that a report shows. Found from the offset,
    /// a window's width either side, never from the line's start: a brief whose one long
    /// line holds thousands of problems would make that a scan of the line for each.
    pub fn of(text: &str, at: Location) -> Quote {
        let mut offset = at.offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        // The window opens this many characters before the column (or at the line's start).
        let wanted = at.column.saturating_sub(1).min(QUOTED_CHARS / 2 - 1);
        let mut start = offset;
        let mut back = 0;
        while back < wanted {
            match text[..start].chars().next_back() {
                Some(c) if c != '\n' => start -= c.len_utf8(),
                _ => break,
            }
            back += 1;
        }
        Quote {
            text: text[start..]
                .chars()
                .take_while(|&c| c != '\n')
                .take(QUOTED_CHARS)
                .collect(),
            from: at.column.saturating_sub(1) - back,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Diag {
    pub severity: Severity,
    /// What kind of problem this is, stable across releases and wordings: `area/what` in
    /// kebab-case (`chart/unknown-column`), for editors' tools and CI to match on. Every code
    /// is listed, with what it means and how to fix it, in docs/problems.md.
    pub code: &'static str,
    /// Path as the user knows it: relative to the site folder where possible.
    pub path: Option<String>,
    pub at: Option<Location>,
    /// The part of the offending line the report quotes. Only that part is kept, never the
    /// file's text: 10,000 warnings each holding its brief's text were 65 MB at 100,000 briefs.
    pub quote: Option<Quote>,
    pub message: String,
    pub help: Option<String>,
    pub cause: Cause,
}

/// The areas a problem's code may start with: where the problem is found.
pub const AREAS: [&str; 13] = [
    "site",
    "front-matter",
    "brief",
    "chart",
    "value",
    "data",
    "file",
    "symlink",
    "template",
    "static",
    "output",
    "serve",
    "internal",
];

/// Whether `code` has the shape of a problem code: a known area, `/`, and kebab-case words.
pub fn is_code(code: &str) -> bool {
    let kebab = |s: &str| {
        !s.is_empty()
            && s.split('-').all(|w| {
                !w.is_empty()
                    && w.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            })
    };
    match code.split_once('/') {
        Some((area, what)) => AREAS.contains(&area) && kebab(what),
        None => false,
    }
}

impl Diag {
    /// An error of kind `code` (see [`Diag::code`]).
    pub fn error(code: &'static str, message: impl Into<String>) -> Diag {
        debug_assert!(is_code(code), "not a problem code: {code:?}");
        Diag {
            severity: Severity::Error,
            code,
            path: None,
            at: None,
            quote: None,
            message: message.into(),
            help: None,
            cause: Cause::Content,
        }
    }

    /// A warning of kind `code` (see [`Diag::code`]).
    pub fn warning(code: &'static str, message: impl Into<String>) -> Diag {
        Diag {
            severity: Severity::Warning,
            ..Diag::error(code, message)
        }
    }

    pub fn in_file(mut self, path: impl Into<String>) -> Diag {
        self.path = Some(path.into());
        self
    }

    /// Points the problem at `offset` in `source`, the whole decoded text of the file.
    pub fn at_offset(self, source: &str, offset: usize) -> Diag {
        let at = Location::at(source, offset);
        self.at_location(source, at)
    }

    /// Points the problem at `at`, a place in `source` found by the caller.
    pub fn at_location(mut self, source: &str, at: Location) -> Diag {
        self.quote = Some(Quote::of(source, at));
        self.at = Some(at);
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diag {
        self.help = Some(help.into());
        self
    }

    /// Marks whose problem this is (see [`Cause`]).
    pub fn caused_by(mut self, cause: Cause) -> Diag {
        self.cause = cause;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `path:line:col`, or as much of it as is known.
    pub fn position(&self) -> String {
        match (&self.path, &self.at) {
            (Some(p), Some(at)) => format!("{p}:{}:{}", at.line, at.column),
            (Some(p), None) => p.clone(),
            (None, _) => String::new(),
        }
    }

    /// The report a person reads, in the shape of a compiler message:
    ///
    /// ```text
    /// error: content/briefs/a.md:3:8: front-matter is not valid YAML: ...
    ///   |
    /// 3 | title: a: b
    ///   |        ^
    ///   = help: ...
    /// ```
    pub fn render(&self) -> String {
        let mut out = String::new();
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let pos = self.position();
        if pos.is_empty() {
            let _ = writeln!(out, "{label}: {}", self.message);
        } else {
            let _ = writeln!(out, "{label}: {pos}: {}", self.message);
        }
        if let (Some(at), Some(quote)) = (&self.at, &self.quote) {
            let number = at.line.to_string();
            let pad = " ".repeat(number.len());
            let caret_col = (at.column - 1).saturating_sub(quote.from);
            let _ = writeln!(out, "{pad} |");
            let _ = writeln!(out, "{number} | {}", quote.text.replace('\t', " "));
            let _ = writeln!(out, "{pad} | {}^", " ".repeat(caret_col));
        }
        if let Some(help) = &self.help {
            let _ = writeln!(out, "  = help: {help}");
        }
        out
    }
}

/// Orders problems the way a person fixes them: errors first, then by file and position.
pub fn sort(diags: &mut [Diag]) {
    diags.sort_by(order);
}

/// The order of [`sort`].
pub(crate) fn order(a: &Diag, b: &Diag) -> std::cmp::Ordering {
    (a.severity, &a.path, a.at.map(|l| l.offset), &a.message).cmp(&(
        b.severity,
        &b.path,
        b.at.map(|l| l.offset),
        &b.message,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_counts_lines_and_characters() {
        let text = "a\nдва: x\n";
        let at = Location::at(text, text.find('x').unwrap());
        assert_eq!((at.line, at.column), (2, 6));
    }

    #[test]
    fn render_quotes_the_line_with_a_caret() {
        let src = "---\ntitle: a: b\n---\n";
        let d = Diag::error("front-matter/yaml", "bad")
            .in_file("x.md")
            .at_offset(src, 11)
            .with_help("quote it");
        let text = d.render();
        assert!(text.starts_with("error: x.md:2:8: bad\n"), "{text}");
        assert!(text.contains("2 | title: a: b\n  |        ^\n"), "{text}");
        assert!(text.contains("= help: quote it"));
    }

    #[test]
    fn the_quote_is_the_lines_characters_around_the_column() {
        // Lines short and long, with characters of one to four bytes, at every offset.
        let text = format!("a\n{}\n\nдва три\n{}x", "é𝄞b".repeat(70), "c".repeat(130));
        for offset in (0..=text.len()).filter(|&o| text.is_char_boundary(o)) {
            let at = Location::at(&text, offset);
            let line = text.split('\n').nth(at.line - 1).unwrap();
            let from = at.column.saturating_sub(QUOTED_CHARS / 2);
            let expected: String = line.chars().skip(from).take(QUOTED_CHARS).collect();
            let quote = Quote::of(&text, at);
            assert_eq!(
                (&*quote.text, quote.from),
                (expected.as_str(), from),
                "at {offset}"
            );
        }
    }

    #[test]
    fn a_problem_on_a_long_line_keeps_and_quotes_only_the_part_around_its_column() {
        // One line of 1 MiB (minified data), the problem in its middle.
        let mut text = "x".repeat(1 << 20);
        text.replace_range(500_000..500_001, "!");
        let d = Diag::error("data/bad-json", "bad").at_offset(&text, 500_000);
        let quote = d.quote.as_ref().expect("a quote");
        assert_eq!(quote.text.chars().count(), QUOTED_CHARS);
        let shown = d.render();
        let line = shown.lines().nth(2).expect("the quoted line");
        let caret = shown.lines().nth(3).expect("the caret line");
        let bang = line.find('!').expect("the character at the column");
        assert_eq!(caret.find('^'), Some(bang), "{shown}");
    }
}

/// The candidate closest to `word` when it looks like a misspelling of it (a small edit distance,
/// or a singular/plural slip such as `region` for `regions`).
pub fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let word = word.to_lowercase();
    candidates
        .iter()
        .map(|&c| (edit_distance(&word, c), c))
        .filter(|&(d, c)| d > 0 && d <= (c.chars().count() / 3).max(1))
        .min()
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let old = row[j + 1];
            row[j + 1] = if ca == cb {
                prev
            } else {
                1 + prev.min(row[j]).min(row[j + 1])
            };
            prev = old;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod suggest_tests {
    use super::did_you_mean;

    #[test]
    fn suggests_near_keys_only() {
        let keys = ["title", "date", "regions", "tags", "summary"];
        assert_eq!(did_you_mean("tittle", &keys), Some("title"));
        assert_eq!(did_you_mean("region", &keys), Some("regions"));
        assert_eq!(did_you_mean("Tag", &keys), Some("tags"));
        assert_eq!(did_you_mean("source_url", &keys), None);
    }
}

#[cfg(test)]
mod code_tests {
    use std::collections::BTreeSet;
    use std::path::Path;

    use super::is_code;

    /// The codes of docs/problems.md's table, with their severities.
    fn documented() -> Vec<(String, String)> {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/problems.md");
        let text = std::fs::read_to_string(path).unwrap();
        text.lines()
            .filter(|l| l.starts_with("| `"))
            .map(|l| {
                let cells: Vec<&str> = l.split(" | ").collect();
                let code = cells[0].trim_start_matches("| ").trim_matches('`');
                (code.to_string(), cells[1].to_string())
            })
            .collect()
    }

    /// Every string literal in src/ that has the shape of a code, outside test modules (which
    /// sit at the end of a file, after `#[cfg(test)]`).
    fn used() -> BTreeSet<String> {
        fn walk(dir: &Path, out: &mut BTreeSet<String>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(&path, out);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    let code = text.split("#[cfg(test)]").next().unwrap_or("");
                    // Every quote may open a literal: no pairing to get wrong.
                    for (i, _) in code.match_indices('"') {
                        let rest = &code[i + 1..];
                        if let Some(end) = rest.find('"')
                            && is_code(&rest[..end])
                        {
                            out.insert(rest[..end].to_string());
                        }
                    }
                }
            }
        }
        let mut out = BTreeSet::new();
        walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut out);
        out
    }

    #[test]
    fn every_code_is_documented_once_and_every_documented_code_is_used() {
        let table = documented();
        let documented: BTreeSet<String> = table.iter().map(|(c, _)| c.clone()).collect();
        assert_eq!(
            documented.len(),
            table.len(),
            "a code is in the table twice"
        );
        for (code, severity) in &table {
            assert!(is_code(code), "not a code: {code:?}");
            assert!(
                severity == "error" || severity == "warning",
                "{code}: severity {severity:?}"
            );
        }
        let used = used();
        let undocumented: Vec<&String> = used.difference(&documented).collect();
        let unused: Vec<&String> = documented.difference(&used).collect();
        assert!(
            undocumented.is_empty(),
            "codes used in src/ but missing from docs/problems.md: {undocumented:?}"
        );
        assert!(
            unused.is_empty(),
            "codes in docs/problems.md that src/ never uses: {unused:?}"
        );
    }

    #[test]
    fn codes_have_an_area_and_kebab_case_words() {
        assert!(is_code("chart/unknown-column"));
        assert!(is_code("front-matter/yaml"));
        assert!(!is_code("chart/Unknown"));
        assert!(!is_code("chart/"));
        assert!(!is_code("chart/a--b"));
        assert!(!is_code("content/briefs"));
        assert!(!is_code("unknown-column"));
    }
}
