//! The `briefing` command: parse the command line, run, print the report, exit.
//! Exit codes: 0 success, 1 the content has errors, 2 a usage error.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::run(cli::parse())
}

// mimalloc returns freed memory to the system more readily than glibc's per-thread arenas,
// which matters when pages render on every core at once (see BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
