//! briefing: turns a folder of Markdown briefs and data files into a static HTML briefing site.
//!
//! The pipeline is visible in the module layout and runs in this order:
//! [`load`] (read files, split front-matter, parse YAML) → [`model`] (plain structs: briefs,
//! taxonomies, the site) → [`render`] (Markdown to HTML, Tera pages, all in memory) →
//! [`write`] (the only code that touches the output folder, atomically).
//! [`build`] drives the stages; [`diag`] carries every problem with its file and position.

// A `Diag` carries its file, position and quoted source so it can be reported without
// re-reading anything; it is built only on the cold path, so its size in `Result` is fine.
#![allow(clippy::result_large_err)]
// What is not used outside its module is pub(crate), so the compiler finds dead code.
#![warn(unreachable_pub)]

pub mod build;
pub mod diag;
pub(crate) mod fingerprint;
pub mod geo;
pub mod init;
mod layout;
pub mod load;
pub mod model;
pub mod output;
pub(crate) mod reclaim;
pub mod render;
pub(crate) mod routes;
pub mod scaffold;
pub mod serve;
pub(crate) mod trace;
pub mod write;
pub mod yaml;
