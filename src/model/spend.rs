//! Spend by region across the whole site: every data file that some brief charts by region,
//! each counted once however many briefs chart it, summed per region where the charted column
//! and unit agree. The view an editor of data briefs asks for first.

use std::collections::BTreeMap;

use super::Brief;
use super::chart::{Cell, ChartData, DataTable, SkippedRow};
use super::slug::term_key;

/// What the site-wide chart shows, and what it left out.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteSpend {
    /// The charted column, as the first chart over it names it (e.g. `spend_usd_bn`).
    pub column: String,
    pub unit: Option<String>,
    /// Data files summed, relative to `content/data/`.
    pub files: Vec<String>,
    /// Per region (name as first written in the data), in first-seen order.
    pub regions: Vec<RegionSpend>,
    pub decimals: u8,
    pub rows_considered: usize,
    pub skipped: Vec<SkippedRow>,
    /// Files charted by region that were not summed, with the reason.
    pub excluded: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RegionSpend {
    pub name: String,
    /// `term_key` of the name, to match the region's page.
    pub key: String,
    pub total: Option<f64>,
    /// Each row behind the total, as the data holds it: formatted only for the region's
    /// page (1,000 data files' rows were formatted on every build and every save).
    pub rows: Vec<SpendRow>,
}

/// One data row behind a region's total.
#[derive(Debug, Clone, PartialEq)]
pub struct SpendRow {
    /// The data file, relative to `content/data/`: shared by its rows.
    pub file: std::sync::Arc<str>,
    /// What identifies the row (its first cell, such as the investor).
    pub label: Cell,
    pub value: Cell,
}

fn is_region_column(name: &str) -> bool {
    matches!(
        name.trim().to_lowercase().as_str(),
        "region" | "regions" | "country" | "location"
    )
}

/// The region column, value column and unit a file is charted by (from the first chart over
/// it), by file; and the files whose charts disagree, with the reason.
type Charted<'a> = BTreeMap<&'a str, (&'a str, &'a str, Option<&'a str>)>;

/// `None` when no brief charts a data file by region. `data` holds the data files by their
/// path under `content/data/`.
pub(crate) fn site_spend(
    briefs: &[Brief],
    data: &BTreeMap<String, DataTable>,
) -> Option<SiteSpend> {
    let (charted, conflicts) = charted_files(briefs);
    // The (column, unit) most files share wins; ties go to the alphabetically first.
    let mut groups: BTreeMap<(String, Option<&str>), Vec<&str>> = BTreeMap::new();
    for (file, (_, y, unit)) in &charted {
        groups
            .entry((y.to_lowercase(), *unit))
            .or_default()
            .push(file);
    }
    let ((column_key, unit), files) = groups
        .iter()
        .max_by(|a, b| a.1.len().cmp(&b.1.len()).then(b.0.cmp(a.0)))
        .map(|(k, v)| (k.clone(), v.clone()))?;
    let mut spend = SiteSpend {
        column: String::new(),
        unit: unit.map(str::to_string),
        files: Vec::new(),
        regions: Vec::new(),
        decimals: 0,
        rows_considered: 0,
        skipped: Vec::new(),
        excluded: Vec::new(),
    };
    let mut places = Places::default();
    // A set: with one data file per chart, 100,000 briefs chart 10,000 files.
    let files: std::collections::HashSet<&str> = files.into_iter().collect();
    for (file, (x, y, u)) in &charted {
        if !files.contains(file) {
            spend.excluded.push((
                file.to_string(),
                format!(
                    "it charts {y}{} rather than {column_key}{}",
                    unit_text(*u),
                    unit_text(unit)
                ),
            ));
        } else if let Some(why) = conflicts.get(file) {
            spend.excluded.push((file.to_string(), why.clone()));
        } else if let Some(table) = data.get(*file) {
            add_rows(&mut spend, &mut places, file, table, (x, y));
        }
    }
    Some(spend)
}

/// Every data file some brief charts by region, and the files whose charts disagree.
fn charted_files(briefs: &[Brief]) -> (Charted<'_>, BTreeMap<&str, String>) {
    let mut charted = Charted::new();
    let mut conflicts = BTreeMap::new();
    for brief in briefs {
        for chart in &brief.charts {
            let ChartData::File(file) = &chart.data else {
                continue;
            };
            if !is_region_column(&chart.x) || chart.y.is_empty() {
                continue;
            }
            let this = (chart.x.as_str(), chart.y.as_str(), chart.unit.as_deref());
            match charted.get(file.as_str()) {
                None => {
                    charted.insert(file.as_str(), this);
                }
                Some(first) if first.1.eq_ignore_ascii_case(this.1) && first.2 == this.2 => {}
                Some(_) => {
                    conflicts.insert(
                        file.as_str(),
                        format!("its charts disagree on the column or unit ({})", brief.path),
                    );
                }
            }
        }
    }
    (charted, conflicts)
}

/// Where each region sits in `SiteSpend::regions`, by name as written and by term key.
/// Names repeat on every row, so the term key (lowercase, NFC) is worked out once per name;
/// both lookups are maps, so many distinct names cost linear time.
#[derive(Default)]
struct Places {
    by_name: std::collections::HashMap<String, usize>,
    by_key: std::collections::HashMap<String, usize>,
}

impl Places {
    fn of(&mut self, regions: &mut Vec<RegionSpend>, name: &str) -> usize {
        if let Some(&i) = self.by_name.get(name) {
            return i;
        }
        let key = term_key(name);
        let i = *self.by_key.entry(key.clone()).or_insert_with(|| {
            regions.push(RegionSpend {
                name: name.to_string(),
                key,
                total: None,
                rows: Vec::new(),
            });
            regions.len() - 1
        });
        self.by_name.insert(name.to_string(), i);
        i
    }
}

/// Adds one data file's rows to the per-region totals; `(x, y)` names its region and value
/// columns.
fn add_rows(
    spend: &mut SiteSpend,
    places: &mut Places,
    file: &str,
    table: &DataTable,
    (x, y): (&str, &str),
) {
    let (Some(xi), Some(yi)) = (table.column(x), table.column(y)) else {
        return;
    };
    if spend.column.is_empty() {
        spend.column = table.columns[yi].clone();
    }
    spend.files.push(file.to_string());
    let shared_file: std::sync::Arc<str> = file.into();
    for row in table.rows.iter() {
        let name = match row.cells.get(xi) {
            Some(Cell::Text(t)) => std::borrow::Cow::Borrowed(&**t),
            Some(other) => std::borrow::Cow::Owned(other.display()),
            None => std::borrow::Cow::Borrowed(""),
        };
        if name.is_empty() {
            continue;
        }
        spend.rows_considered += 1;
        let index = places.of(&mut spend.regions, &name);
        let label = row.cells.first().cloned().unwrap_or(Cell::Empty);
        let cell = row.cells.get(yi).cloned().unwrap_or(Cell::Empty);
        let region = &mut spend.regions[index];
        if let Cell::Number(n) = &cell {
            spend.decimals = spend.decimals.max(n.decimals);
            region.total = Some(region.total.unwrap_or(0.0) + n.value);
        } else {
            spend.skipped.push(SkippedRow {
                line: row.line,
                label: label.display(),
                value: cell.display(),
            });
        }
        region.rows.push(SpendRow {
            file: shared_file.clone(),
            label,
            value: cell,
        });
    }
}

fn unit_text(unit: Option<&str>) -> String {
    unit.map(|u| format!(" ({u})")).unwrap_or_default()
}
