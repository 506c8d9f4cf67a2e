//! CSV and TSV data files: delimiter detection, the header and ragged rows.
//!
//! Every per-row and per-column check is linear in the file: a hostile file of 80,000 short
//! rows or 80,000 columns must cost what its size costs, not its size squared.

use std::collections::HashSet;
use std::sync::Arc;

use super::{MAX_CELLS, RawTable};
use crate::diag::Diag;

/// The delimiter of a CSV file: the most frequent of `,`, `;` and tab in its header line,
/// counted outside quotes.
fn detect_delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in header.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], 3 - i)).unwrap_or(0);
    [b',', b';', b'\t'][best]
}

pub(super) fn read_delimited(
    text: &Arc<str>,
    shown: &str,
    delim: Option<u8>,
) -> Result<RawTable, Vec<Diag>> {
    let delim = delim.unwrap_or_else(|| detect_delimiter(text));
    if let Some(open) = unterminated_quote(text, delim) {
        return Err(vec![
            Diag::error("data/csv", "quoted field is never closed: the rest of the file would be one cell")
                .in_file(shown)
                .at_offset(text, open)
                .with_help("add the closing double quote; a quote inside a quoted field is written twice (\"\")"),
        ]);
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delim)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header =
        match records.next() {
            None => {
                return Err(vec![
                Diag::error("data/empty", "data file is empty").in_file(shown).with_help(
                    "the first line names the columns, e.g. investor,region,year,spend_usd_bn",
                ),
            ]);
            }
            Some(Err(e)) => return Err(vec![csv_diag(&e, text, shown)]),
            Some(Ok(h)) => h,
        };
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let columns = header_names(header.iter(), text, 0, shown, &mut errors, &mut warnings);
    let mut rows = Vec::new();
    let mut short = ShortRows::default();
    let mut cells = 0usize;
    for record in records {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(csv_diag(&e, text, shown));
                break;
            }
        };
        let line = record.position().map_or(0, |p| p.line() as usize);
        let offset = record.position().map_or(0, |p| p.byte() as usize);
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let mut fields: Vec<Option<String>> = record.iter().map(|f| Some(f.to_string())).collect();
        if fields.len() > columns.len() {
            let extra_filled = fields[columns.len()..]
                .iter()
                .any(|f| f.as_deref().is_some_and(|s| !s.trim().is_empty()));
            if extra_filled {
                errors.push(
                    Diag::error(
                        "data/long-rows",
                        format!(
                        "row has {} fields but the header names {} columns",
                        fields.len(),
                        columns.len()
                    ))
                    .in_file(shown)
                    .at_offset(text, offset)
                    .with_help("add the missing column names to the first line, or quote fields that contain the delimiter"),
                );
                continue;
            }
            fields.truncate(columns.len());
        } else if fields.len() < columns.len() {
            short.add(line, offset, fields.len());
            fields.resize(columns.len(), None);
        }
        cells += fields.len();
        if cells > MAX_CELLS {
            errors.push(
                Diag::error(
                    "data/too-large",
                    format!("data file has more than {MAX_CELLS} cells"),
                )
                .in_file(shown)
                .at_offset(text, offset),
            );
            break;
        }
        rows.push((line, fields));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    warnings.extend(short.warning(columns.len(), text, shown));
    Ok(RawTable {
        columns,
        rows,
        warnings,
    })
}

/// Rows with fewer fields than the header, gathered into one warning: a file of 80,000 such
/// rows gets one line that counts them, not 80,000 (each of which also cost a scan of the file
/// from its start to find its line).
#[derive(Default)]
struct ShortRows {
    count: usize,
    /// The field count all short rows share, or None once two differ.
    fields: Option<usize>,
    first_offset: usize,
    first_lines: Vec<usize>,
}

impl ShortRows {
    /// Lines named in the warning; the rest are counted.
    const LINES_NAMED: usize = 3;

    fn add(&mut self, line: usize, offset: usize, fields: usize) {
        if self.count == 0 {
            self.first_offset = offset;
            self.fields = Some(fields);
        } else if self.fields != Some(fields) {
            self.fields = None;
        }
        if self.first_lines.len() < Self::LINES_NAMED {
            self.first_lines.push(line);
        }
        self.count += 1;
    }

    fn warning(&self, columns: usize, text: &Arc<str>, shown: &str) -> Option<Diag> {
        let message = match (self.count, self.fields) {
            (0, _) => return None,
            // One short row keeps the message it always had.
            (1, Some(fields)) => format!(
                "row has {fields} fields but the header names {columns} columns; the missing cells are empty"
            ),
            (count, fields) => {
                let have = match fields {
                    Some(1) => "1 field".to_string(),
                    Some(n) => format!("{n} fields"),
                    None => format!("fewer than {columns} fields"),
                };
                let mut lines: Vec<String> =
                    self.first_lines.iter().map(usize::to_string).collect();
                if count > lines.len() {
                    lines.push("…".to_string());
                }
                format!(
                    "{count} rows have {have} where the header names {columns} columns (lines {}); the missing cells are empty",
                    lines.join(", ")
                )
            }
        };
        Some(
            Diag::warning("data/short-rows", message)
                .in_file(shown)
                .at_offset(text, self.first_offset)
                .with_help("fill the missing cells, or end short rows with the delimiter (a,,) to mark them empty on purpose"),
        )
    }
}

/// The offset of a quote that opens a field and is never closed (the csv crate would read the
/// rest of the file into that one cell without complaint).
fn unterminated_quote(text: &str, delim: u8) -> Option<usize> {
    let bytes = text.as_bytes();
    let (mut quoted, mut open, mut i) = (false, 0, 0);
    while i < bytes.len() {
        let b = bytes[i];
        if quoted {
            if b == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    quoted = false;
                }
            }
        } else if b == b'"' && (i == 0 || bytes[i - 1] == delim || bytes[i - 1] == b'\n') {
            quoted = true;
            open = i;
        }
        i += 1;
    }
    quoted.then_some(open)
}

fn csv_diag(e: &csv::Error, text: &Arc<str>, shown: &str) -> Diag {
    let offset = e.position().map_or(0, |p| p.byte() as usize);
    Diag::error("data/csv", format!("cannot read CSV: {e}"))
        .in_file(shown)
        .at_offset(text, offset)
        .with_help("check for an unterminated quote; a field holding the delimiter or a line break must be in double quotes")
}

/// Validates header names: blank names get `column N` and a warning, duplicates are errors.
/// Linear in the header: names are looked up in a set, and a duplicate's position is found by
/// searching just past the previous name rather than the whole line.
fn header_names<'a>(
    names: impl Iterator<Item = &'a str>,
    text: &Arc<str>,
    header_offset: usize,
    shown: &str,
    errors: &mut Vec<Diag>,
    warnings: &mut Vec<Diag>,
) -> Vec<String> {
    /// Blank names warned about one by one; the rest are counted in one more warning.
    const BLANKS_NAMED: usize = 10;
    let line = text[header_offset..]
        .split('\n')
        .next()
        .unwrap_or("")
        .as_bytes();
    let mut out: Vec<String> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    let (mut cursor, mut blanks) = (0usize, 0usize);
    for (i, name) in names.enumerate() {
        let name = name.trim();
        if name.is_empty() {
            blanks += 1;
            if blanks <= BLANKS_NAMED {
                warnings.push(
                    Diag::warning(
                        "data/unnamed-column",
                        format!(
                            "column {} has no name; calling it \"column {}\"",
                            i + 1,
                            i + 1
                        ),
                    )
                    .in_file(shown)
                    .at_offset(text, header_offset)
                    .with_help("name every column in the first line"),
                );
            }
            let generated = format!("column {}", i + 1);
            seen.insert(generated.clone());
            out.push(generated);
            continue;
        }
        // The name follows the previous one after a delimiter, perhaps a quote and spaces.
        let window = &line[cursor.min(line.len())..(cursor + name.len() + 64).min(line.len())];
        let at = memchr::memmem::find(window, name.as_bytes()).map(|j| cursor + j);
        if let Some(at) = at {
            cursor = at + name.len();
        }
        if !seen.insert(name.to_string()) {
            errors.push(
                Diag::error(
                    "data/duplicate-column",
                    format!("column name \"{name}\" appears twice in the header"),
                )
                .in_file(shown)
                .at_offset(text, header_offset + at.unwrap_or(cursor))
                .with_help("give each column a distinct name"),
            );
        }
        out.push(name.to_string());
    }
    if blanks > BLANKS_NAMED {
        warnings.push(
            Diag::warning(
                "data/unnamed-column",
                format!(
                    "{} more columns have no name; each is called \"column N\" after its place",
                    blanks - BLANKS_NAMED
                ),
            )
            .in_file(shown)
            .at_offset(text, header_offset)
            .with_help("name every column in the first line"),
        );
    }
    out
}
