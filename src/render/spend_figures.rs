//! The site-wide figures of the regions index: the "Spend by region" bars and the spend map,
//! each with its CSV, drawn once per render from [`crate::model::spend::SiteSpend`].

use super::pages::SpendView;
use super::{Generated, chart, map_figure};
use crate::diag::Diag;
use crate::model::Site;
use crate::model::chart::{ChartKind, ChartValues};
use crate::routes;

/// The "Spend by region" figure of the regions index, and its CSV.
pub(super) fn spend_view<'a>(
    site: &'a Site,
    out: &Generated,
    results: &mut Vec<Result<(), Diag>>,
) -> Option<SpendView<'a>> {
    let spend = site.spend.as_ref()?;
    let mut order: Vec<usize> = (0..spend.regions.len()).collect();
    let total = |i: usize| spend.regions[i].total.unwrap_or(f64::NEG_INFINITY);
    order.sort_by(|&a, &b| total(b).total_cmp(&total(a)).then(a.cmp(&b)));
    let values = ChartValues {
        categories: order
            .iter()
            .map(|&i| spend.regions[i].name.clone())
            .collect(),
        series: vec![String::new()],
        values: vec![order.iter().map(|&i| spend.regions[i].total).collect()],
        decimals: spend.decimals,
        rows_considered: spend.rows_considered,
        skipped: spend.skipped.clone(),
    };
    let files: Vec<String> = spend
        .files
        .iter()
        .map(|f| format!("content/data/{f}"))
        .collect();
    let extra_note = (!spend.excluded.is_empty()).then(|| {
        let parts: Vec<String> = spend
            .excluded
            .iter()
            .map(|(f, why)| format!("content/data/{f} ({why})"))
            .collect();
        format!("Not summed: {}", parts.join("; "))
    });
    let unit = spend.unit.as_deref();
    let heading = match unit {
        Some(u) => format!("{} ({u})", spend.column),
        None => spend.column.clone(),
    };
    let csv_path = routes::spend_csv();
    let csv_url = site.config.url(&csv_path);
    let source = format!("sum over {}", files.join(", "));
    let input = chart::FigureInput {
        id: "chart-spend-by-region",
        kind: ChartKind::HBar,
        title: "Total charted spend, by region",
        caption: Some("Every data file the briefs chart by region, each counted once."),
        source: Some(&source),
        x: "region",
        y_heading: heading,
        y_label: unit.unwrap_or(&spend.column),
        unit,
        values: &values,
        raw: None,
        csv_url: &csv_url,
        extra_note,
        map: None,
        numbers: crate::model::format::Numbers::plain(&site.config.language),
        annotations: &[],
        facets: None,
        embed: None,
    };
    let bars = match chart::figure(&input) {
        Ok((figure, csv)) => {
            results.push(out.put(csv_path, csv.into_bytes()));
            figure
        }
        Err(e) => {
            results.push(Err(Diag::error(
                "chart/draw",
                format!("could not draw the spend-by-region chart: {e}"),
            )));
            return None;
        }
    };
    let map = map_figure::spend_map(spend, &input);
    let map_figure = map.as_ref().and_then(|map| {
        let csv_path = routes::spend_map_csv();
        let csv_url = site.config.url(&csv_path);
        let input = chart::FigureInput {
            id: "chart-spend-map",
            kind: ChartKind::Map,
            title: "Total charted spend, by country",
            caption: Some("Every data file the briefs chart by region, each counted once, for each region that is one country."),
            x: "country",
            csv_url: &csv_url,
            extra_note: None,
            map: Some(map_figure::MapInput {
                values: map,
                classes: &Default::default(),
            }),
            ..input
        };
        match chart::figure(&input) {
            Ok((figure, csv)) => {
                results.push(out.put(csv_path, csv.into_bytes()));
                Some(figure)
            }
            Err(e) => {
                results.push(Err(Diag::error(
                    "chart/draw",
                    format!("could not draw the spend map: {e}"),
                )));
                None
            }
        }
    });
    Some(SpendView {
        spend,
        figure: bars,
        map,
        map_figure,
    })
}
