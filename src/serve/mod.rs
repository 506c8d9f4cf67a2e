//! `briefing serve`: builds the site into memory, serves it on loopback, watches the site
//! folder and rebuilds on change, and reloads the open pages. It never writes `output/`.
//!
//! While a save leaves the content broken, the last good build keeps being served and every
//! HTML page carries an overlay with the errors; the next good save clears it.
//!
//! It answers only its own browser: requests must name a loopback host or the bound address
//! (host.rs), and every connection is bounded in size, time and number (http.rs, conn.rs).

mod conn;
mod host;
mod http;
mod live;
mod routes;

use std::collections::{BTreeMap, HashSet};
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use notify::{EventKind, RecursiveMode, Watcher};

use crate::build::run_in_memory_keeping;
use crate::diag::{Cause, Diag};
use crate::load::watched::Change;
use crate::load::{LoadOptions, load_one_brief};
use crate::model::Site;
use crate::render::render_site;
use crate::render::rerender::{Kept, rerender_body};
use crate::write::Memory;

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub load: LoadOptions,
    pub bind: String,
    pub port: u16,
}

/// What the server hands out: the last good build, and the problems of the latest one.
struct Snapshot {
    files: BTreeMap<String, Arc<Vec<u8>>>,
    generation: u64,
    /// The error overlay while the latest build failed.
    overlay: Option<String>,
}

struct Shared {
    snapshot: Mutex<Arc<Snapshot>>,
    changed: Condvar,
    allowed: host::Allowed,
    notices: conn::Notices,
    long_polls: Arc<conn::Gauge>,
}

/// What the main loop hears: a change in the site folder, or a line for the terminal from a
/// connection thread (so that every line goes through the one `out`).
enum Event {
    /// Files changed, and how.
    Changed(Change, Vec<PathBuf>),
    /// The watcher may have missed changes (its queue overflowed, or it failed).
    Lost,
    /// A writer is done with these files: written and closed, or renamed into place (the end
    /// of an editor's save either way).
    Done(Vec<PathBuf>),
    Say(String),
}

impl Shared {
    fn current(&self) -> Arc<Snapshot> {
        self.snapshot
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

/// A problem that stops the server from starting; its cause decides the exit code (a busy
/// port is the machine's problem, exit 3; an address that is not one is the command line's, 2).
pub struct ServeError {
    pub message: String,
    pub cause: Cause,
}

impl ServeError {
    fn environment(message: String) -> ServeError {
        ServeError {
            message,
            cause: Cause::Environment,
        }
    }
}

/// Binds the listener, and warns when the address reaches beyond this machine.
fn listen(
    options: &ServeOptions,
    out: &mut dyn FnMut(&str),
) -> Result<(TcpListener, SocketAddr), ServeError> {
    let listener = TcpListener::bind((options.bind.as_str(), options.port)).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AddrInUse {
            ServeError::environment(format!(
                "port {} on {} is already in use: pass another with --port (for example --port {})",
                options.port,
                options.bind,
                options.port.wrapping_add(1).max(1024)
            ))
        } else {
            // An address that does not parse or resolve is a mistake on the command line;
            // anything else (no permission, address not on this machine) is the machine's.
            let cause = match e.kind() {
                std::io::ErrorKind::InvalidInput => Cause::Usage,
                // A name that does not resolve comes back without an OS error code.
                _ if e.raw_os_error().is_none() => Cause::Usage,
                _ => Cause::Environment,
            };
            ServeError {
                message: format!("cannot listen on {}:{}: {e}", options.bind, options.port),
                cause,
            }
        }
    })?;
    let local = listener
        .local_addr()
        .map_err(|e| ServeError::environment(format!("cannot listen on {}: {e}", options.bind)))?;
    if !local.ip().is_loopback() {
        let drafts = if options.load.drafts {
            ", drafts included,"
        } else {
            ""
        };
        out(&format!(
            "warning: --bind {} is not a loopback address: the preview{drafts} is open to every machine that can reach this one on port {}",
            options.bind,
            local.port()
        ));
    }
    Ok((listener, local))
}

pub fn serve(options: ServeOptions, out: &mut dyn FnMut(&str)) -> Result<(), ServeError> {
    let (listener, local) = listen(&options, out)?;
    let port = local.port();
    let mut load = options.load.clone();
    // Links and canonical URLs point at the preview server, wherever the site will live.
    load.base_url = Some(format!("http://{}:{port}", display_host(&options.bind)));
    // Each rebuild parses only the brief files whose bytes changed since the last one.
    load.cache = Some(Arc::new(Default::default()));

    let (events_tx, events_rx) = mpsc::channel();
    let shared = Arc::new(Shared {
        snapshot: Mutex::new(Arc::new(Snapshot {
            files: BTreeMap::new(),
            generation: 0,
            overlay: None,
        })),
        changed: Condvar::new(),
        allowed: host::Allowed::new(&options.bind, local.ip(), port),
        notices: conn::Notices::new(events_tx.clone()),
        long_polls: conn::Gauge::new(conn::MAX_LONG_POLLS),
    });
    // The last good site, kept so that an edit to one brief's text re-renders only that brief.
    let mut last_site = Last::default();
    out(&rebuild(&shared, &load, "initial build", &mut last_site));

    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let event = match event {
            Ok(event) if event.need_rescan() => Event::Lost,
            Ok(event) if ends_a_save(event.kind) => {
                // A rename into place is a change as well as the end of the save.
                if !matches!(event.kind, EventKind::Access(_)) {
                    let _ = events_tx.send(Event::Changed(Change::Moved, event.paths.clone()));
                }
                Event::Done(event.paths)
            }
            // Reads (our own builds read every file) are not changes.
            Ok(event) if matches!(event.kind, EventKind::Access(_) | EventKind::Other) => return,
            Ok(event) => Event::Changed(change_of(event.kind), event.paths),
            Err(_) => Event::Lost,
        };
        let _ = events_tx.send(event);
    })
    .map_err(|e| ServeError::environment(format!("cannot watch the site folder: {e}")))?;
    for path in watched(&load.root) {
        let mode = if path.is_dir() {
            RecursiveMode::Recursive
        } else {
            RecursiveMode::NonRecursive
        };
        watcher.watch(&path, mode).map_err(|e| {
            ServeError::environment(format!("cannot watch {}: {e}", path.display()))
        })?;
    }

    // Only inotify is known to report the events it loses; elsewhere every rebuild looks at
    // every file's metadata, as the first one after the watcher started does here.
    if cfg!(target_os = "linux")
        && let Some(cache) = &load.cache
    {
        cache.watching();
    }
    // Announced only once the watcher runs, so no save after this line is missed.
    out(&format!(
        "serving {} at http://{}:{port}/ (Ctrl-C to stop)",
        load.root.display(),
        display_host(&options.bind)
    ));
    let server = shared.clone();
    std::thread::Builder::new()
        .name("briefing-accept".into())
        .spawn(move || conn::accept(listener, server))
        .map_err(|e| ServeError::environment(format!("cannot start the server thread: {e}")))?;

    rebuild_on_change(&shared, &load, &events_rx, &mut last_site, out);
    drop(watcher);
    Ok(())
}

/// Rebuilds on change, debounced: an editor's save-rename-write (a few milliseconds apart)
/// counts once. Short enough that the page reloads within 100 ms of a save. Lines from the
/// connection threads are printed as they come.
fn rebuild_on_change(
    shared: &Shared,
    load: &LoadOptions,
    events_rx: &mpsc::Receiver<Event>,
    last_site: &mut Last,
    out: &mut dyn FnMut(&str),
) {
    let root = load
        .root
        .canonicalize()
        .unwrap_or_else(|_| load.root.clone());
    while let Ok(first) = events_rx.recv() {
        let mut paths: Vec<PathBuf> = Vec::new();
        let (mut change, mut lost) = (Change::Written, false);
        let mut take = |event: Event, out: &mut dyn FnMut(&str)| match event {
            Event::Changed(how, more) => {
                paths.extend(more);
                change = change.max(how);
            }
            Event::Lost => lost = true,
            Event::Done(_) => {}
            Event::Say(line) => out(&line),
        };
        match first {
            Event::Say(line) => {
                out(&line);
                continue;
            }
            Event::Done(_) => continue,
            first => take(first, out),
        }
        let mut quiet_until = Instant::now() + DEBOUNCE;
        while let Ok(more) =
            events_rx.recv_timeout(quiet_until.saturating_duration_since(Instant::now()))
        {
            // A writer is done with a file the site reads: what is left to wait for is the
            // rest of its save (an editor's own leftovers do not count).
            if let Event::Done(done) = &more
                && done.iter().any(|p| is_relevant(&root, p))
            {
                quiet_until = quiet_until.min(Instant::now() + SETTLE);
            }
            take(more, out);
        }
        // Told before anything is read, whichever way the site is rebuilt.
        if let Some(cache) = &load.cache {
            cache.changed(&paths, change);
            if lost {
                cache.events_lost();
            }
        }
        let relevant: Vec<String> = paths
            .iter()
            .filter(|p| is_relevant(&root, p) && !p.is_dir())
            .map(|p| p.strip_prefix(&root).unwrap_or(p).display().to_string())
            .collect();
        if lost {
            out(&rebuild(
                shared,
                load,
                "changes the watcher lost",
                last_site,
            ));
            continue;
        }
        if relevant.is_empty() {
            continue;
        }
        let mut names = relevant.clone();
        names.sort();
        names.dedup();
        if let Some(line) = body_only_rebuild(shared, load, &root, &paths, last_site) {
            out(&line);
            continue;
        }
        out(&rebuild(shared, load, &names.join(", "), last_site));
    }
}

/// Whether an event ends a save: a file written and closed, or renamed into place.
fn ends_a_save(kind: EventKind) -> bool {
    use notify::event::{AccessKind, AccessMode, ModifyKind, RenameMode};
    matches!(
        kind,
        EventKind::Access(AccessKind::Close(AccessMode::Write))
            | EventKind::Modify(ModifyKind::Name(RenameMode::To | RenameMode::Both))
    )
}

/// How an event changed its files: a write in place, or anything that can change which
/// files there are.
fn change_of(kind: EventKind) -> Change {
    use notify::event::ModifyKind;
    match kind {
        EventKind::Modify(ModifyKind::Data(_) | ModifyKind::Metadata(_)) => Change::Written,
        _ => Change::Moved,
    }
}

/// How long after a change the server waits for more before it rebuilds: the few
/// milliseconds between an editor's writes, with room to spare, and no more, since every save
/// waits for it (changes that arrive during a rebuild start another).
const DEBOUNCE: Duration = Duration::from_millis(25);

/// How long after a writer is done ([`Event::Done`]) the server waits for the rest of its
/// save: an editor's next step (a rename after the close, a second file) follows within a
/// millisecond or two, and the close that ends the save need not wait the whole debounce.
const SETTLE: Duration = Duration::from_millis(5);

fn display_host(bind: &str) -> String {
    if bind.contains(':') {
        format!("[{bind}]")
    } else {
        bind.to_string()
    }
}

/// The parts of a site folder a rebuild depends on.
fn watched(root: &Path) -> Vec<PathBuf> {
    crate::layout::WATCHED
        .iter()
        .map(|p| root.join(p))
        .filter(|p| p.exists())
        .collect()
}

/// Whether a changed path can change the build: the rules load reads by (editor leftovers
/// and hidden files in content/ and templates/ do not; everything in static/ does).
fn is_relevant(root: &Path, path: &Path) -> bool {
    crate::layout::is_read(root, path)
}

/// Builds into memory and swaps the result in, or keeps the last good build and shows the
/// errors. Returns the line the terminal prints.
fn rebuild(shared: &Shared, load: &LoadOptions, why: &str, last_site: &mut Last) -> String {
    let started = Instant::now();
    let (outcome, built) = run_in_memory_keeping(load, &mut last_site.kept);
    let ms = started.elapsed().as_millis();
    // The pages are swapped in and the browsers told before anything is printed or freed.
    let site = match built {
        Some((site, memory)) => {
            let files = memory.into_files();
            publish(shared, |_| (files, None));
            Some(site)
        }
        None => {
            let overlay = live::overlay(&outcome.diags);
            publish(shared, |last| (last.files.clone(), Some(overlay)));
            None
        }
    };
    crate::reclaim::drop_later(std::mem::replace(&mut last_site.site, site));
    let (mut text, held) = report(&outcome.diags, &mut last_site.shown, Scope::Site);
    if last_site.site.is_some() {
        text.push_str(&format!(
            "rebuilt ({why}): {} brief{}, {} pages ({} unchanged) in {ms} ms, {} warning{}{}",
            outcome.briefs,
            if outcome.briefs == 1 { "" } else { "s" },
            outcome.pages,
            outcome.pages_reused,
            outcome.warnings(),
            if outcome.warnings() == 1 { "" } else { "s" },
            shown_before(held)
        ));
    } else {
        text.push_str(&shown_before_line(held));
        text.push_str(&format!(
            "build failed ({why}) in {ms} ms: {} error{}; still serving the last good build",
            outcome.errors(),
            if outcome.errors() == 1 { "" } else { "s" }
        ));
    }
    text
}

/// Serves the files and error overlay `next` makes from the snapshot served until now as the
/// next generation, wakes every browser waiting for it, and frees the replaced snapshot off
/// this thread.
fn publish(
    shared: &Shared,
    next: impl FnOnce(&Snapshot) -> (BTreeMap<String, Arc<Vec<u8>>>, Option<String>),
) {
    let mut snapshot = shared.snapshot.lock().unwrap_or_else(|e| e.into_inner());
    let (files, overlay) = next(&snapshot);
    let next = Snapshot {
        files,
        generation: snapshot.generation + 1,
        overlay,
    };
    let replaced = std::mem::replace(&mut *snapshot, Arc::new(next));
    shared.changed.notify_all();
    drop(snapshot);
    crate::reclaim::drop_later(replaced);
}

/// The fast path: when the change is one existing brief whose front-matter and charts are as
/// they were, only that brief is read again, and the site is rendered from what was loaded
/// before: no other file is read, no data table parsed, no chart prepared. Everything is
/// rendered, not only the brief's page: its text is also in the search index, in feeds (in
/// full, or as the opening words of a brief without a summary), so the pages served are
/// always those a full build makes. `None` when the change needs a full rebuild.
fn body_only_rebuild(
    shared: &Shared,
    load: &LoadOptions,
    root: &Path,
    paths: &[PathBuf],
    last: &mut Last,
) -> Option<String> {
    let site = last.site.as_mut()?;
    let mut changed: Vec<&PathBuf> = paths
        .iter()
        .filter(|p| is_relevant(root, p) && !p.is_dir())
        .collect();
    changed.sort();
    changed.dedup();
    let [path] = changed.as_slice() else {
        return None;
    };
    let started = Instant::now();
    // `root` is canonical; the briefs' paths start with the root as given. Compared under
    // the roots, so 10,000 briefs are looked through without a path made for each.
    let rel = path.strip_prefix(root).ok()?;
    let index = site.briefs.iter().position(|b| {
        b.source_path
            .strip_prefix(&load.root)
            .is_ok_and(|r| r == rel)
    })?;
    let (brief, warnings) = load_one_brief(&load.root, &site.briefs[index].source_path).ok()?;
    let old = &site.briefs[index];
    let same_charts = brief.charts.len() == old.charts.len()
        && brief.charts.iter().zip(&old.charts).all(|(a, b)| {
            let mut a = a.clone();
            a.offset = b.offset;
            a == *b
        });
    if brief.front != old.front || brief.slug != old.slug || !same_charts || !warnings.is_empty() {
        return None;
    }
    // The chart blocks are unchanged, so what they draw is too: keep the prepared charts
    // (a brief loaded alone has none, and its page would then need a full rebuild).
    let mut brief = brief;
    brief.prepared = std::mem::take(&mut site.briefs[index].prepared);
    // So are its values: their definitions are in the unchanged front-matter, and a data file
    // that changed is a change of its own, which rebuilds everything.
    brief.bound = std::mem::take(&mut site.briefs[index].bound);
    // Its dates are unchanged, and so is "now": it is scheduled or expired as it was.
    brief.schedule = site.briefs[index].schedule.clone();
    let old = std::mem::replace(&mut site.briefs[index], brief);
    // Only the brief's page, the search index and the feeds change (render/rerender.rs);
    // without what the last render kept, the whole site is rendered from what is loaded.
    let memory = Memory::default();
    let (problems, replaced) = match last.kept.as_mut() {
        Some(kept) => {
            let replaced = kept.search_paths().to_vec();
            (rerender_body(site, index, kept, &memory), Some(replaced))
        }
        None => (render_site(site, &memory).diags, None),
    };
    if problems.iter().any(Diag::is_error) {
        site.briefs[index] = old;
        // What was kept may hold the new text's tokens: the full rebuild that follows
        // keeps afresh.
        last.kept = None;
        return None;
    }
    let ms = started.elapsed().as_millis();
    let written = memory.into_files();
    let count = written.len();
    publish(shared, |last| {
        let mut files = match &replaced {
            Some(replaced) => {
                let mut files = last.files.clone();
                for path in replaced {
                    files.remove(path);
                }
                files
            }
            None => BTreeMap::new(),
        };
        files.extend(written);
        (files, None)
    });
    let path = path.strip_prefix(root).unwrap_or(path).display();
    let (mut text, held) = report(&problems, &mut last.shown, Scope::Brief);
    text.push_str(&shown_before_line(held));
    text.push_str(&format!(
        "rebuilt ({path}: its text changed) from the loaded site: {count} files in {ms} ms"
    ));
    Some(text)
}

/// The last good build's site as loaded, and what the last render kept for the next: every
/// page with the fingerprint of its inputs (kept through a failed build, so the save that
/// mends it renders only what changed).
#[derive(Default)]
struct Last {
    site: Option<Site>,
    kept: Option<Kept>,
    /// The problems the last report covered ([`printed_as`]), printed or held back.
    shown: HashSet<u64>,
}

/// The problems of a build, sorted as every build prints them, one after another: every
/// error, and each warning the last report did not print (a site with a thousand warnings
/// would otherwise scroll the one that the save caused out of sight, every save). `shown`
/// becomes this build's problems, or gains them when `diags` are one brief's (`Scope::Brief`).
/// Returns the text and how many warnings were held back.
fn report(diags: &[Diag], shown: &mut HashSet<u64>, scope: Scope) -> (String, usize) {
    // By reference: a build's problems come sorted, and a site can have thousands.
    let mut diags: Vec<&Diag> = diags.iter().collect();
    diags.sort_by(|a, b| crate::diag::order(a, b));
    let keys: HashSet<u64> = diags.iter().map(|d| printed_as(d)).collect();
    let mut held = 0;
    let text = diags
        .iter()
        .filter(|d| {
            let again = !d.is_error() && shown.contains(&printed_as(d));
            held += usize::from(again);
            !again
        })
        .map(|d| d.render() + "\n")
        .collect();
    match scope {
        Scope::Site => *shown = keys,
        Scope::Brief => shown.extend(keys),
    }
    (text, held)
}

/// What a report's problems are of.
#[derive(Clone, Copy)]
enum Scope {
    /// The whole site: problems it no longer has are forgotten.
    Site,
    /// One brief, rendered again alone.
    Brief,
}

/// What a problem prints as, as a fingerprint: its kind, place, words and the line it quotes.
fn printed_as(d: &Diag) -> u64 {
    let line = d.quote.as_ref().map_or("", |q| &q.text);
    let place = (&d.path, d.at.map(|l| (l.line, l.column)), line);
    crate::fingerprint::of((d.severity, d.code, place, &d.message, &d.help))
}

/// The rebuilt line's note of warnings held back.
fn shown_before(held: usize) -> String {
    match held {
        0 => String::new(),
        n => format!(" ({n} shown before)"),
    }
}

/// The same note as a line of its own, before a line that does not count warnings.
fn shown_before_line(held: usize) -> String {
    match held {
        0 => String::new(),
        1 => "1 warning as shown before\n".to_string(),
        n => format!("{n} warnings as shown before\n"),
    }
}
