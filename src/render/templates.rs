//! Tera templates: the built-in theme compiled into the binary, overridden by name from the
//! site's `templates/` folder. This module knows template names, not output paths.

use tera::{Context, ErrorKind, Tera};

use crate::diag::Diag;
use crate::model::TemplateSource;

/// The built-in theme. Its files live in `templates/` at the repository root, which is also
/// the example site, so the example always shows the built-in look.
const BUILTIN: [(&str, &str); 11] = [
    ("base.html", include_str!("../../templates/base.html")),
    ("home.html", include_str!("../../templates/home.html")),
    ("briefs.html", include_str!("../../templates/briefs.html")),
    ("brief.html", include_str!("../../templates/brief.html")),
    ("terms.html", include_str!("../../templates/terms.html")),
    ("term.html", include_str!("../../templates/term.html")),
    ("404.html", include_str!("../../templates/404.html")),
    ("search.html", include_str!("../../templates/search.html")),
    (
        "partials/brief_list.html",
        include_str!("../../templates/partials/brief_list.html"),
    ),
    (
        "partials/term_links.html",
        include_str!("../../templates/partials/term_links.html"),
    ),
    (
        "partials/pagination.html",
        include_str!("../../templates/partials/pagination.html"),
    ),
];

/// The built-in stylesheet, written to `style.css` unless the site's `static/` has its own.
pub const STYLESHEET: &str = include_str!("../../static/style.css");

/// The search page's script, written to `search.js` unless the site's `static/` has its own.
/// Only `/search/` loads it; every other page works without JavaScript.
pub const SEARCH_SCRIPT_SOURCE: &str = include_str!("../../static/search.js");

pub struct Templates {
    tera: Tera,
    /// Where each template came from, for error reports: (name, shown path, source text).
    origins: Vec<(String, String, String)>,
}

impl Templates {
    pub fn load(overrides: &[TemplateSource]) -> Result<Templates, Vec<Diag>> {
        let mut origins: Vec<(String, String, String)> = BUILTIN
            .iter()
            .map(|(name, text)| {
                (
                    name.to_string(),
                    format!("templates/{name} (built-in)"),
                    text.to_string(),
                )
            })
            .collect();
        for t in overrides {
            match origins.iter_mut().find(|(name, _, _)| *name == t.name) {
                Some(slot) => *slot = (t.name.clone(), t.path.clone(), t.text.clone()),
                None => origins.push((t.name.clone(), t.path.clone(), t.text.clone())),
            }
        }
        let mut tera = Tera::new();
        let result = tera.add_raw_templates(
            origins
                .iter()
                .map(|(name, _, text)| (name.as_str(), text.as_str())),
        );
        let templates = Templates { tera, origins };
        match result {
            Ok(()) => Ok(templates),
            Err(e) => Err(vec![templates.diag(&e, None)]),
        }
    }

    /// Renders `name` into a buffer of `capacity` bytes to start with.
    pub fn render(&self, name: &str, context: &Context, capacity: usize) -> Result<Vec<u8>, Diag> {
        let mut out = Vec::with_capacity(capacity);
        self.tera
            .render_to(name, context, &mut out)
            .map_err(|e| self.diag(&e, Some(name)))?;
        Ok(out)
    }

    /// Turns a Tera error into a report at the template file, line and column.
    fn diag(&self, e: &tera::Error, rendering: Option<&str>) -> Diag {
        // Read at load, written at render: a template that does not parse, or one that fails
        // on the data it is given.
        let code = match rendering {
            None => "template/syntax",
            Some(_) => "template/render",
        };
        let report = match e.kind() {
            ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => Some(r),
            _ => None,
        };
        let Some(report) = report else {
            let mut message = format!("template error: {e}");
            if let Some(name) = rendering {
                message = format!("template error while rendering {name}: {e}");
            }
            return Diag::error(code, message);
        };
        let origin = self
            .origins
            .iter()
            .find(|(name, _, _)| name == report.filename());
        let message = format!("template error: {}", report.message());
        match origin {
            Some((_, path, text)) => {
                let text: std::sync::Arc<str> = std::sync::Arc::from(text.as_str());
                Diag::error(code, message)
                    .in_file(path.clone())
                    .at_offset(&text, report.span().range.start)
            }
            None => Diag::error(code, message).in_file(report.filename().to_string()),
        }
    }
}
