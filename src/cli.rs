//! Command-line flags (clap) and how results are shown. The only module that knows clap.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use briefing::build::{BuildOptions, BuildOutcome, run as run_build};
use briefing::load::LoadOptions;
use clap::{Args, Parser, Subcommand, ValueEnum};

/// The exit codes, decided in one place (`diag::exit_code`) from the cause of the problem.
const EXIT_CODES: &str = "Exit codes:\n  0  success (warnings allowed)\n  1  the content has errors\n  2  the command line is wrong (a flag, --root, an --output that may not be replaced)\n  3  briefing could not do its work for a reason outside both (output not writable, disk full, port taken)";

#[derive(Parser, Debug)]
#[command(
    name = "briefing",
    version,
    about = "Build a static briefing site from Markdown briefs and data files",
    after_help = EXIT_CODES
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Build the site into the output folder (replaced only when the build succeeds)
    Build {
        #[command(flatten)]
        site: SiteArgs,
        /// Output folder [default: <root>/output]
        #[arg(long, short, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Print only the summary and the problems
        #[arg(long, short)]
        quiet: bool,
        /// Replace a non-empty output folder that briefing did not write (never the site's own folders)
        #[arg(long)]
        force: bool,
    },
    /// Serve the site from memory on loopback, rebuild on change and reload open pages
    Serve {
        #[command(flatten)]
        site: SiteArgs,
        /// Address to listen on (loopback by default)
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Port to listen on
        #[arg(long, short, default_value_t = 1111)]
        port: u16,
        /// Open the site in the default browser
        #[arg(long)]
        open: bool,
    },
    /// Start a site: writes site.yaml, a brief with a chart, its data file and .gitignore
    Init {
        /// The folder to write the site into (created when missing; must not hold a site)
        #[arg(value_name = "DIR", default_value = ".")]
        dir: PathBuf,
    },
    /// Start a brief: writes content/briefs/<slug>.md with its front-matter filled in
    New {
        /// The brief's title
        title: String,
        /// The site folder
        #[arg(long, short, value_name = "DIR", default_value = ".")]
        root: PathBuf,
        /// A region (repeat for several)
        #[arg(long = "region", value_name = "R")]
        regions: Vec<String>,
        /// A tag (repeat for several)
        #[arg(long = "tag", value_name = "T")]
        tags: Vec<String>,
        /// The date, YYYY-MM-DD [default: today]
        #[arg(long, value_name = "D")]
        date: Option<String>,
    },
    /// Run the whole build without writing anything, and report every problem
    Check {
        #[command(flatten)]
        site: SiteArgs,
        /// How to print problems
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
}

#[derive(Args, Debug)]
struct SiteArgs {
    /// The site folder (holding site.yaml and content/)
    #[arg(long, short, value_name = "DIR", default_value = ".")]
    root: PathBuf,
    /// Override base_url from site.yaml
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// Include briefs marked `draft: true`
    #[arg(long)]
    drafts: bool,
    /// Include briefs whose `publish_date` is still to come (their pages say "Scheduled for …")
    #[arg(long)]
    future: bool,
    /// Include briefs whose `expiry_date` has passed (their pages say "Expired on …")
    #[arg(long)]
    expired: bool,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Human,
    Json,
}

pub fn parse() -> Cli {
    Cli::parse()
}

impl SiteArgs {
    /// The load options, with "now" read once, here: `SOURCE_DATE_EPOCH` when set, else the
    /// clock. An unreadable `SOURCE_DATE_EPOCH` is a usage error.
    // As in the library (src/lib.rs): a problem is returned whole, once per command.
    #[allow(clippy::result_large_err)]
    fn load_options(&self) -> Result<LoadOptions, briefing::diag::Diag> {
        let epoch = std::env::var_os(briefing::load::SOURCE_DATE_EPOCH);
        let now = briefing::load::now_from(epoch.as_deref())?;
        Ok(LoadOptions {
            root: self.root.clone(),
            base_url: self.base_url.clone(),
            drafts: self.drafts,
            future: self.future,
            expired: self.expired,
            now: Some(now),
            cache: None,
        })
    }
}

pub fn run(cli: Cli) -> ExitCode {
    let (options, format, check, quiet) = match &cli.command {
        Command::Serve {
            site,
            bind,
            port,
            open,
        } => return serve(site, bind, *port, *open),
        Command::Init { dir } => return init(dir),
        Command::New {
            title,
            root,
            regions,
            tags,
            date,
        } => {
            let brief = briefing::scaffold::NewBrief {
                title: title.clone(),
                regions: regions.clone(),
                tags: tags.clone(),
                date: date.clone(),
            };
            return match briefing::scaffold::new_brief(root, &brief) {
                Ok(path) => {
                    println!("wrote {}", path.display());
                    ExitCode::SUCCESS
                }
                Err(problem) => {
                    eprintln!("{}", problem.render());
                    ExitCode::from(briefing::diag::exit_code(&[problem]))
                }
            };
        }
        Command::Build {
            site,
            output,
            quiet,
            force,
        } => {
            let output = output.clone().unwrap_or_else(|| site.root.join("output"));
            let load = match site.load_options() {
                Ok(load) => load,
                Err(problem) => return stop(&problem, Format::Human),
            };
            let options = BuildOptions {
                load,
                output: Some(output),
                force: *force,
            };
            (options, Format::Human, false, *quiet)
        }
        Command::Check { site, format } => {
            let load = match site.load_options() {
                Ok(load) => load,
                Err(problem) => return stop(&problem, *format),
            };
            let options = BuildOptions {
                load,
                output: None,
                force: false,
            };
            (options, *format, true, false)
        }
    };
    let show_progress =
        !quiet && format == Format::Human && std::io::IsTerminal::is_terminal(&std::io::stderr());
    let progress = Progress::start(show_progress);
    let outcome = run_build(&options);
    progress.stop();
    match format {
        Format::Human => print_human(&outcome, check, quiet, options.output.as_deref()),
        Format::Json => print_json(&outcome),
    }
    ExitCode::from(briefing::diag::exit_code(&outcome.diags))
}

/// Reports a problem found before the build started, in the command's format.
fn stop(problem: &briefing::diag::Diag, format: Format) -> ExitCode {
    match format {
        Format::Human => eprintln!("{}", problem.render()),
        Format::Json => print_json(&briefing::build::stopped_by(problem.clone())),
    }
    ExitCode::from(briefing::diag::exit_code(std::slice::from_ref(problem)))
}

fn init(dir: &std::path::Path) -> ExitCode {
    match briefing::init::init(dir) {
        Ok(started) => {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "wrote a new site in {}:", dir.display());
            for file in &started.files {
                let _ = writeln!(out, "  {file}");
            }
            if let Some(note) = &started.gitignore_note {
                let _ = writeln!(out, "{note}");
            }
            let [serve, build] = &started.next;
            let output = if dir == std::path::Path::new(".") {
                "output/".to_string()
            } else {
                format!("{}/", dir.join("output").display())
            };
            let _ = writeln!(
                out,
                "\nnext:\n  {serve}    preview it, reloading as you save\n  {build}    write it to {output}"
            );
            ExitCode::SUCCESS
        }
        Err(problem) => {
            eprintln!("{}", problem.render());
            ExitCode::from(briefing::diag::exit_code(&[problem]))
        }
    }
}

fn serve(site: &SiteArgs, bind: &str, port: u16, open: bool) -> ExitCode {
    let load = match site.load_options() {
        Ok(load) => load,
        Err(problem) => return stop(&problem, Format::Human),
    };
    let options = briefing::serve::ServeOptions {
        load,
        bind: bind.to_string(),
        port,
    };
    if open {
        let url = format!("http://{bind}:{port}/");
        // Best effort: a machine without a desktop simply has no browser to open.
        let _ = std::process::Command::new("xdg-open").arg(&url).spawn();
    }
    let mut print = |line: &str| {
        let mut err = std::io::stderr().lock();
        let _ = writeln!(err, "{line}");
    };
    match briefing::serve::serve(options, &mut print) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", e.message);
            let problem = briefing::diag::Diag::error("serve/start", e.message).caused_by(e.cause);
            ExitCode::from(briefing::diag::exit_code(&[problem]))
        }
    }
}

/// A live "building… 2.4 s" line on a terminal for builds that take more than a second;
/// nothing at all when piped or quiet, so logs hold only the summary and the problems.
struct Progress {
    done: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Progress {
    fn start(enabled: bool) -> Progress {
        use std::sync::atomic::Ordering;
        let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let thread = enabled.then(|| {
            let done = done.clone();
            std::thread::spawn(move || {
                let started = std::time::Instant::now();
                let mut shown = false;
                while !done.load(Ordering::Relaxed) {
                    std::thread::sleep(std::time::Duration::from_millis(100));
                    let elapsed = started.elapsed().as_secs_f64();
                    if elapsed >= 1.0 && !done.load(Ordering::Relaxed) {
                        eprint!("\rbuilding\u{2026} {elapsed:.1} s");
                        shown = true;
                    }
                }
                if shown {
                    eprint!("\r\x1b[2K");
                }
            })
        });
        Progress { done, thread }
    }

    fn stop(self) {
        self.done.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(t) = self.thread {
            let _ = t.join();
        }
    }
}

fn size(bytes: u64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} B"),
        b if b < 1024 * 1024 => format!("{:.1} KB", b as f64 / 1024.0),
        b => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn print_human(outcome: &BuildOutcome, check: bool, quiet: bool, output: Option<&std::path::Path>) {
    let colour = use_colour();
    let mut err = std::io::stderr().lock();
    for d in &outcome.diags {
        let _ = writeln!(err, "{}", paint(&d.render(), colour));
    }
    let warnings = plural(outcome.warnings(), "warning");
    let line = if outcome.errors() > 0 {
        let files: std::collections::BTreeSet<_> = outcome
            .diags
            .iter()
            .filter(|d| d.is_error())
            .filter_map(|d| d.path.as_deref())
            .collect();
        format!(
            "build failed: {} in {}, {warnings}; the previous output was left as it was",
            plural(outcome.errors(), "error"),
            plural(files.len().max(1), "file"),
        )
    } else {
        let verb = if check { "checked" } else { "built" };
        format!(
            "{verb} {}, {} in {:.2} s, search index {}, {warnings}",
            plural(outcome.briefs, "brief"),
            plural(outcome.pages, "page"),
            outcome.elapsed.as_secs_f64(),
            size(outcome.search_index_bytes),
        )
    };
    let _ = writeln!(err, "{line}");
    if let (false, true, Some(dir)) = (quiet, outcome.wrote, output) {
        let _ = writeln!(err, "site written to {}", dir.display());
    }
}

/// Colours only on a terminal, and never when NO_COLOR is set (https://no-color.org).
fn use_colour() -> bool {
    use std::io::IsTerminal;
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
}

/// Colours the severity word that starts a report.
fn paint(report: &str, colour: bool) -> String {
    if !colour {
        return report.to_string();
    }
    for (word, code) in [("error:", "1;31"), ("warning:", "1;33")] {
        if let Some(rest) = report.strip_prefix(word) {
            return format!("\x1b[{code}m{word}\x1b[0m{rest}");
        }
    }
    report.to_string()
}

/// One JSON object per problem, one per line, for CI and editors' tools; then a last line
/// with the next moment the site's content changes by itself, for a scheduled rebuild.
fn print_json(outcome: &BuildOutcome) {
    let mut out = std::io::stdout().lock();
    for d in &outcome.diags {
        let value = serde_json::json!({
            "severity": if d.is_error() { "error" } else { "warning" },
            "code": d.code,
            "path": d.path,
            "line": d.at.map(|a| a.line),
            "column": d.at.map(|a| a.column),
            "message": d.message,
            "help": d.help,
        });
        let _ = writeln!(out, "{value}");
    }
    let next = match &outcome.next_change {
        Some(next) => serde_json::json!({
            "next_change": next.utc(),
            "path": next.path,
            "key": next.key,
        }),
        None => serde_json::json!({ "next_change": null }),
    };
    let _ = writeln!(out, "{next}");
}
