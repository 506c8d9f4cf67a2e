//! A chart block's YAML inside a brief: any text must give chart specs or diagnostics that
//! point inside the file, never a panic.
#![no_main]
use std::sync::Arc;

use briefing::load::charts;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|yaml: &str| {
    let text: Arc<str> = Arc::from(format!("---\ntitle: t\ndate: 2025-01-01\n---\n```chart\n{yaml}\n```\n"));
    let (specs, diags) = charts::find(&text, 38, "fuzz.md");
    for d in &diags {
        if let Some(at) = d.at {
            assert!(at.offset <= text.len());
        }
        let _ = d.render();
    }
    for spec in specs {
        assert!(spec.offset < text.len());
        if let briefing::model::chart::ChartData::File(path) = &spec.data {
            assert!(!path.split('/').any(|p| p == ".." || p.is_empty()));
        }
    }
});
