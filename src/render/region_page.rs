//! What a region's page shows beyond its briefs: its figures from the site-wide spend and,
//! when the region is one country, a locator map. Both are made from the site-wide spend and
//! the term alone, so under serve's memo a region page whose spend is unchanged is handed
//! over without drawing its map again (80 region pages drew theirs on every save).

use std::sync::OnceLock;

use super::memo::{MemoUse, PageContext};
use super::pages::SpendView;
use crate::diag::Diag;
use crate::model::chart::Number;
use crate::model::spend::{RegionSpend, SiteSpend};
use crate::model::{Site, Term};

/// The fingerprint of what every region page's figures and map are made from.
pub(super) struct MadeFrom<'a> {
    spend: Option<&'a SpendView<'a>>,
    /// Under serve: the last render's fingerprint, kept while the spend is the same.
    memo: Option<&'a MemoUse<'a>>,
    /// Of the site-wide spend and its map values, taken on first use.
    spend_key: OnceLock<u64>,
}

impl<'a> MadeFrom<'a> {
    pub(super) fn new(spend: Option<&'a SpendView<'a>>) -> Self {
        MadeFrom {
            spend,
            memo: None,
            spend_key: OnceLock::new(),
        }
    }

    pub(super) fn with_memo(self, memo: Option<&'a MemoUse<'a>>) -> Self {
        MadeFrom { memo, ..self }
    }

    /// What `term`'s page puts through [`fill`] is made from (the site's configuration, in
    /// every page's fingerprint already, aside).
    pub(super) fn made_from(&self, term: &Term) -> u64 {
        let key_of = |view: &SpendView| match self.memo {
            Some(memo) => memo.spend_key_or(view.spend, &view.map, || spend_key(view)),
            None => spend_key(view),
        };
        let spend = *self.spend_key.get_or_init(|| self.spend.map_or(0, key_of));
        crate::fingerprint::of((spend, &term.key, &term.name, &term.slug))
    }
}

/// The fingerprint of the site-wide spend and its map values: every field, as Debug prints it
/// (numbers in full), once a render, not once a page. The regions (every data row behind
/// them) are printed in parallel: in one piece it was 15 ms that every region page waited for.
fn spend_key(view: &SpendView) -> u64 {
    use rayon::prelude::*;
    let spend = view.spend;
    let regions: Vec<u64> = spend
        .regions
        .par_iter()
        .map(|r| crate::fingerprint::of(format!("{r:?}")))
        .collect();
    // Every other field by name: a new one fails to compile here until it is printed too.
    let SiteSpend {
        column,
        unit,
        files,
        regions: _,
        decimals,
        rows_considered,
        skipped,
        excluded,
    } = spend;
    let rest = format!(
        "{column:?}{unit:?}{files:?}{decimals:?}{rows_considered:?}{skipped:?}{excluded:?}{:?}",
        view.map
    );
    crate::fingerprint::of((regions, rest))
}

/// Puts `term`'s figures (when the site-wide spend has the region) and its locator map
/// (when the region is a country) into its page's context.
pub(super) fn fill(
    ctx: &mut PageContext,
    site: &Site,
    spend: Option<&SpendView>,
    term: &Term,
) -> Result<(), Diag> {
    if let Some(view) = spend
        && let Some(region) = view.spend.regions.iter().find(|r| r.key == term.key)
    {
        ctx.insert("region_figures", &RegionFigures::of(view.spend, region));
    }
    if let Some(figure) = locator(site, spend, term) {
        ctx.insert("region_map", &figure?);
    }
    Ok(())
}

/// A region page's locator map, when the region is one country: with its value from the
/// site-wide spend when there is one.
fn locator(site: &Site, spend: Option<&SpendView>, term: &Term) -> Option<Result<String, Diag>> {
    let crate::geo::Place::Country(country) = crate::geo::place(&term.name) else {
        return None;
    };
    let map = spend.and_then(|v| v.map.as_ref());
    let (caption, unit) = match spend {
        Some(v) => (v.spend.column.as_str(), v.spend.unit.as_deref()),
        None => ("", None),
    };
    let id = format!("map-{}", term.slug);
    let numbers = crate::model::format::Numbers::plain(&site.config.language);
    let figure = super::map_figure::locator(&id, country, map, caption, unit, &numbers);
    Some(figure.map_err(|e| {
        Diag::error(
            "chart/draw",
            format!("could not draw the map of {}: {e}", term.name),
        )
    }))
}

/// A region's own figures from the site-wide spend, for its page.
#[derive(serde::Serialize)]
struct RegionFigures {
    column: String,
    unit: Option<String>,
    /// The region's total at the precision written, or none when no row had a number.
    total: Option<String>,
    rows: Vec<RegionRow>,
}

#[derive(serde::Serialize)]
struct RegionRow {
    label: String,
    value: String,
    file: String,
}

impl RegionFigures {
    fn of(spend: &SiteSpend, region: &RegionSpend) -> Self {
        RegionFigures {
            column: spend.column.clone(),
            unit: spend.unit.clone(),
            total: region.total.map(|t| Number::format(t, spend.decimals)),
            rows: region
                .rows
                .iter()
                .map(|row| {
                    let value = row.value.display();
                    RegionRow {
                        label: row.label.display(),
                        value: if value.is_empty() {
                            "(blank)".to_string()
                        } else {
                            value
                        },
                        file: format!("content/data/{}", row.file),
                    }
                })
                .collect(),
        }
    }
}
