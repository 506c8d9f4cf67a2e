//! Data files and number reading: CSV, JSON and YAML parsing of arbitrary bytes, and every
//! cell through the number reader in both decimal conventions.
#![no_main]
use briefing::load::data::parse_bytes;
use briefing::load::number::{DecimalMark, parse};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    for name in ["fuzz.csv", "fuzz.tsv", "fuzz.json", "fuzz.yaml"] {
        match parse_bytes(bytes, name) {
            Ok((table, _)) => {
                for row in &table.rows {
                    assert!(row.cells.len() <= table.columns.len());
                }
            }
            Err(diags) => assert!(!diags.is_empty()),
        }
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        for mark in [DecimalMark::Point, DecimalMark::Comma] {
            if let Some(n) = parse(text, mark) {
                assert!(n.value.is_finite());
            }
        }
    }
});
