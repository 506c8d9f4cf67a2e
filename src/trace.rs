//! Stage timings for profiling: with `BRIEFING_TRACE=1` in the environment, each stage of a
//! build prints its elapsed time and the process's resident memory to stderr. Off by default
//! and free when off; the benchmark notes (bench/README.md) say how to use it.

use std::sync::OnceLock;
use std::time::Instant;

fn start() -> Option<Instant> {
    static START: OnceLock<Option<Instant>> = OnceLock::new();
    *START.get_or_init(|| {
        std::env::var_os("BRIEFING_TRACE")
            .filter(|v| v != "0")
            .map(|_| Instant::now())
    })
}

/// Marks the end of a stage: `trace: <stage> at 1.234 s, rss 120 MiB (peak 150 MiB)`.
pub(crate) fn stage(name: &str) {
    let Some(started) = start() else { return };
    let (rss, peak) = memory();
    eprintln!(
        "trace: {name:<24} at {:>7.3} s, rss {rss:>5} MiB (peak {peak} MiB)",
        started.elapsed().as_secs_f64()
    );
}

/// Resident and peak resident memory in MiB, from /proc (0 where there is none).
fn memory() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |key: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .map_or(0, |kb| kb / 1024)
    };
    (field("VmRSS:"), field("VmHWM:"))
}
