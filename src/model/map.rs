//! A map chart's values: the labels of a table read as places, each country's rows
//! aggregated together however its name was written, and every label that is not one country
//! kept with its value and the reason, for the note under the map. Nothing is dropped.

use super::aggregate::{Written, keyed_values};
use super::chart::{ChartSpec, ChartValues, DataTable};
use crate::geo::{self, Place};

/// What a map shows and what it could not place.
#[derive(Debug, Clone, PartialEq)]
pub struct MapValues {
    /// One per country with a number, largest first (ties by name).
    pub countries: Vec<CountryValue>,
    /// Labels that are not one country, in first-seen order.
    pub not_mapped: Vec<NotMapped>,
    /// Every label's value as one series (countries by their reader names, then the labels
    /// not mapped), with the rows the values could not use: for the table shown when nothing
    /// has a number, and the "Not charted" note.
    pub values: ChartValues,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CountryValue {
    pub iso3: &'static str,
    /// The name readers see (`South Korea`), whatever the data wrote.
    pub name: &'static str,
    pub value: f64,
    /// The labels the data wrote it as, when more than one (`한국`, `Korea, Republic of`).
    pub merged: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NotMapped {
    /// The label as written.
    pub label: String,
    pub value: Option<f64>,
    pub why: NotMappedWhy,
    /// 1-based line of its first row in the data (or the brief, for inline rows).
    pub line: usize,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NotMappedWhy {
    /// Real, but not one country (`Global`, `European Union`): the reason readers see.
    NotOneCountry(&'static str),
    /// No country briefing knows by that name.
    Unknown,
}

impl NotMappedWhy {
    pub fn reason(&self) -> &'static str {
        match self {
            NotMappedWhy::NotOneCountry(reason) => reason,
            NotMappedWhy::Unknown => "not a country name briefing knows",
        }
    }
}

/// A key no country's ISO code can be: labels that are not one country stay apart.
const UNPLACED: char = '\u{0}';

/// A country's ISO code, or [`UNPLACED`] and the label for anything else.
fn place_key(label: &str) -> String {
    match geo::place(label) {
        Place::Country(c) => c.iso3.to_string(),
        _ => format!("{UNPLACED}{label}"),
    }
}

impl MapValues {
    /// The spec's rows aggregated per country. `sort` and `limit` do not apply: a map has
    /// no order, and every country is shown.
    pub fn of(spec: &ChartSpec, table: &DataTable) -> MapValues {
        let mut spec = spec.clone();
        spec.sort = super::chart::SortOrder::Data;
        spec.limit = None;
        spec.series = None;
        // A table repeats its few places on every row: each is looked up once.
        let mut seen: std::collections::HashMap<String, String> = Default::default();
        let mut key = |label: &str| {
            if let Some(key) = seen.get(label) {
                return key.clone();
            }
            let key = place_key(label);
            seen.insert(label.to_string(), key.clone());
            key
        };
        let (values, written) = keyed_values(&spec, table, &mut key);
        MapValues::from_keyed(values, &written)
    }

    /// From values per key (an ISO code, or [`UNPLACED`] and the label).
    fn from_keyed(mut values: ChartValues, written: &[Written]) -> MapValues {
        let column = values.values.first().cloned().unwrap_or_default();
        let mut countries = Vec::new();
        let mut not_mapped = Vec::new();
        for ((key, value), w) in values.categories.iter().zip(&column).zip(written) {
            match key.strip_prefix(UNPLACED) {
                Some(label) => not_mapped.push(NotMapped {
                    label: label.to_string(),
                    value: *value,
                    why: match geo::place(label) {
                        Place::NotOneCountry { reason } => NotMappedWhy::NotOneCountry(reason),
                        _ => NotMappedWhy::Unknown,
                    },
                    line: w.line,
                }),
                None => {
                    if let (Some(country), Some(value)) = (geo::by_iso3(key), value) {
                        countries.push(CountryValue {
                            iso3: country.iso3,
                            name: country.name,
                            value: *value,
                            merged: if w.names.len() > 1 {
                                w.names.clone()
                            } else {
                                Vec::new()
                            },
                        });
                    }
                }
            }
        }
        countries.sort_by(|a, b| b.value.total_cmp(&a.value).then(a.name.cmp(b.name)));
        // The one-series view: reader names for countries (with or without a number).
        for key in &mut values.categories {
            *key = match key.strip_prefix(UNPLACED) {
                Some(label) => label.to_string(),
                None => geo::by_iso3(key).map_or(key.clone(), |c| c.name.to_string()),
            };
        }
        MapValues {
            countries,
            not_mapped,
            values,
        }
    }

    /// Site-wide totals per region name (already summed per name) as a map: names that are
    /// one country are summed again. `lines` are unknown here: the totals span files.
    pub fn of_totals(totals: &[(String, Option<f64>)], template: ChartValues) -> MapValues {
        let mut index: std::collections::HashMap<String, usize> = Default::default();
        let mut categories: Vec<String> = Vec::new();
        let mut sums: Vec<Option<f64>> = Vec::new();
        let mut written: Vec<Written> = Vec::new();
        for (name, total) in totals {
            let key = place_key(name);
            let i = *index.entry(key.clone()).or_insert_with(|| {
                categories.push(key);
                sums.push(None);
                written.push(Written::default());
                categories.len() - 1
            });
            if let Some(t) = total {
                sums[i] = Some(sums[i].unwrap_or(0.0) + t);
            }
            if !written[i].names.contains(name) {
                written[i].names.push(name.clone());
            }
        }
        let values = ChartValues {
            categories,
            series: vec![String::new()],
            values: vec![sums],
            ..template
        };
        MapValues::from_keyed(values, &written)
    }

    /// Countries whose data wrote them more than one way, for the note.
    pub fn merged(&self) -> impl Iterator<Item = &CountryValue> {
        self.countries.iter().filter(|c| !c.merged.is_empty())
    }
}
