//! Tags and regions: terms, their briefs, and their stable URLs.

use std::collections::HashMap;

use super::Brief;
use super::slug::{fingerprint, slugify, term_key};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TaxonomyKind {
    Tags,
    Regions,
}

impl TaxonomyKind {
    pub const ALL: [TaxonomyKind; 2] = [TaxonomyKind::Regions, TaxonomyKind::Tags];

    /// The folder of the taxonomy in the site: `tags` or `regions`.
    pub fn segment(self) -> &'static str {
        match self {
            TaxonomyKind::Tags => "tags",
            TaxonomyKind::Regions => "regions",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            TaxonomyKind::Tags => "Tags",
            TaxonomyKind::Regions => "Regions",
        }
    }

    pub fn singular(self) -> &'static str {
        match self {
            TaxonomyKind::Tags => "Tag",
            TaxonomyKind::Regions => "Region",
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Term {
    /// NFC + lowercase: the term's identity.
    pub key: String,
    /// The name as first written (in the oldest brief that uses it).
    pub name: String,
    /// URL segment, unique within the taxonomy.
    pub slug: String,
    /// Indices into `Site::briefs`, so newest first.
    pub briefs: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct Taxonomy {
    pub kind: TaxonomyKind,
    /// Sorted by key.
    pub terms: Vec<Term>,
    by_key: HashMap<String, usize>,
    /// Every spelling the briefs write, by its term: a name is looked up for every brief on
    /// every page that links its terms, and working out its key (NFC, lowercase) each time
    /// was most of finding a site's related briefs.
    by_name: foldhash::HashMap<String, usize>,
}

impl Taxonomy {
    /// `briefs` must already be in site order (newest first).
    pub fn build(
        kind: TaxonomyKind,
        briefs: &[Brief],
        names: impl Fn(&Brief) -> &[String],
    ) -> Self {
        // Terms in the order found, and each written name's term, worked out once: a site
        // repeats its names on every brief, so each brief's name costs one lookup.
        let mut found: Vec<Term> = Vec::new();
        let mut found_by_key: HashMap<String, usize> = HashMap::new();
        let mut of_name: foldhash::HashMap<&str, Option<usize>> = foldhash::HashMap::default();
        // Walk oldest first so that a term keeps the spelling it was first written with.
        for (index, brief) in briefs.iter().enumerate().rev() {
            for name in names(brief) {
                let term = *of_name.entry(name.as_str()).or_insert_with(|| {
                    let key = term_key(name);
                    if key.is_empty() {
                        return None;
                    }
                    let at = found_by_key.entry(key.clone()).or_insert_with(|| {
                        found.push(Term {
                            key,
                            name: name.trim().to_string(),
                            slug: String::new(),
                            briefs: Vec::new(),
                        });
                        found.len() - 1
                    });
                    Some(*at)
                });
                let Some(term) = term else { continue };
                let term = &mut found[term];
                if term.briefs.last() != Some(&index) {
                    term.briefs.push(index);
                }
            }
        }
        // Sorted by key; `place[i]` is where found term `i` went.
        let mut order: Vec<usize> = (0..found.len()).collect();
        order.sort_unstable_by(|&a, &b| found[a].key.cmp(&found[b].key));
        let mut place = vec![0; found.len()];
        for (to, &from) in order.iter().enumerate() {
            place[from] = to;
        }
        let mut terms: Vec<Term> = order
            .iter()
            .map(|&i| std::mem::take(&mut found[i]))
            .collect();
        for term in &mut terms {
            term.briefs.reverse();
        }
        assign_slugs(&mut terms);
        let by_key: HashMap<String, usize> = terms
            .iter()
            .enumerate()
            .map(|(i, t)| (t.key.clone(), i))
            .collect();
        let by_name = of_name
            .into_iter()
            .filter_map(|(name, term)| Some((name.to_string(), place[term?])))
            .collect();
        Taxonomy {
            kind,
            terms,
            by_key,
            by_name,
        }
    }

    /// The term a name written in a brief belongs to.
    pub fn term(&self, name: &str) -> Option<&Term> {
        self.term_index(name).map(|i| &self.terms[i])
    }

    /// The place in [`Taxonomy::terms`] of the term a name belongs to.
    pub fn term_index(&self, name: &str) -> Option<usize> {
        match self.by_name.get(name) {
            Some(&i) => Some(i),
            None => self.by_key.get(&term_key(name)).copied(),
        }
    }

    /// The terms some names written in a brief belong to, as places in [`Taxonomy::terms`]:
    /// in the order written, each term once however many spellings name it.
    pub fn terms_of(&self, names: &[String]) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::with_capacity(names.len());
        for name in names {
            if let Some(i) = self.term_index(name)
                && !out.contains(&i)
            {
                out.push(i);
            }
        }
        out
    }

    /// Site path of a term's page, such as `regions/france/`.
    pub fn term_path(&self, term: &Term) -> String {
        crate::routes::term(self.kind, &term.slug)
    }
}

/// Gives every term a distinct URL segment by a rule that depends only on the set of names:
/// terms are visited in key order; the first to claim a slug keeps it plain, and any other whose
/// name slugifies the same gets the slug plus a fingerprint of its own key. A name with no
/// letters or digits at all becomes `term-<fingerprint>`. `page` is reserved for pagination.
fn assign_slugs(terms: &mut [Term]) {
    let mut taken: HashMap<String, ()> = HashMap::new();
    taken.insert(crate::routes::PAGE_SEGMENT.to_string(), ());
    for term in terms.iter_mut() {
        let base = slugify(&term.key);
        let mut slug = if base.is_empty() {
            format!("term-{}", fingerprint(&term.key))
        } else {
            base.clone()
        };
        if taken.contains_key(&slug) {
            let stem = if base.is_empty() { "term" } else { &base };
            slug = format!("{stem}-{}", fingerprint(&term.key));
        }
        taken.insert(slug.clone(), ());
        term.slug = slug;
    }
}
