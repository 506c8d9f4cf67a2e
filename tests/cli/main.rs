//! Integration tests: the real `briefing` binary on real site folders in temporary folders,
//! with the real templates. One test binary, one module per area. The hostile-input suite is
//! its own target, one named trial per case: tests/hostile/main.rs.

mod annotate;
mod charts;
mod common;
mod compat;
mod editor;
mod embed;
mod errors;
mod example;
mod facet;
mod facet_embed;
mod format;
mod init;
mod map;
mod marks;
mod output;
mod publish;
mod readers;
mod sanitize;
mod schedule;
mod serve_equal;
mod serve_limits;
mod site;
mod symlinks;
mod time;
mod values;
