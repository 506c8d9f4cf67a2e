//! The connections: the accept loop, at most [`MAX_CONNECTIONS`] open at once (each on a
//! thread of its own, so a 25-second long poll blocks nobody else), the `Host` check, and
//! the lines the server prints about refused requests, each said once.
//!
//! The accept loop never panics and never stops: past the cap, when a thread cannot be
//! started, or when `accept` itself fails (out of file descriptors), the client gets a 503
//! or a closed connection and the next one is served as usual.

use std::collections::HashSet;
use std::io::ErrorKind;
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::{Event, Shared, http, routes};

/// Connections served at once. A browser opens up to 6 per host for a page load and each open
/// tab holds one long poll; 64 leaves room for many tabs, and 64 small threads are cheap.
pub(crate) const MAX_CONNECTIONS: usize = 64;
/// Long polls (`/__briefing/wait`) held at once: at most half the connections, so that
/// however many tabs are open, pages still load. Past it a poll gets 503 and retries later.
pub(crate) const MAX_LONG_POLLS: usize = MAX_CONNECTIONS / 2;
/// Distinct refused hosts (and other events) the terminal is told about.
const MAX_NOTICES: usize = 32;
/// A connection thread reads into a heap buffer and renders nothing: a small stack suffices.
const STACK_SIZE: usize = 256 * 1024;

/// A count of something held, with a ceiling.
pub(crate) struct Gauge {
    held: AtomicUsize,
    max: usize,
}

/// One unit of a [`Gauge`], given back when dropped.
pub(crate) struct Slot(Arc<Gauge>);

impl Gauge {
    pub(crate) fn new(max: usize) -> Arc<Gauge> {
        Arc::new(Gauge {
            held: AtomicUsize::new(0),
            max,
        })
    }

    /// A unit, or `None` when all are held.
    pub(crate) fn take(self: &Arc<Self>) -> Option<Slot> {
        self.held
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < self.max).then_some(n + 1)
            })
            .ok()
            .map(|_| Slot(self.clone()))
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.held.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Lines for the terminal from the connection threads, each said once per key, for at most
/// [`MAX_NOTICES`] keys: a flood of requests with made-up hosts prints a bounded few lines.
pub(crate) struct Notices {
    say: Sender<Event>,
    seen: Mutex<HashSet<String>>,
}

impl Notices {
    pub(crate) fn new(say: Sender<Event>) -> Notices {
        Notices {
            say,
            seen: Mutex::new(HashSet::new()),
        }
    }

    pub(crate) fn once(&self, key: &str, line: impl FnOnce() -> String) {
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        if seen.len() >= MAX_NOTICES || seen.contains(key) {
            return;
        }
        seen.insert(key.to_string());
        let line = if seen.len() == MAX_NOTICES {
            format!("{} (and no more such lines until restart)", line())
        } else {
            line()
        };
        let _ = self.say.send(Event::Say(line));
    }
}

/// Accepts connections until the process ends.
pub(crate) fn accept(listener: TcpListener, shared: Arc<Shared>) {
    let open = Gauge::new(MAX_CONNECTIONS);
    loop {
        let stream = match listener.accept() {
            Ok((stream, _)) => stream,
            Err(e)
                if matches!(
                    e.kind(),
                    ErrorKind::Interrupted | ErrorKind::ConnectionAborted
                ) =>
            {
                continue;
            }
            Err(e) => {
                // Out of file descriptors, most likely: give the open ones time to close
                // rather than spin on the same error.
                shared.notices.once("accept", || {
                    format!("warning: cannot accept a connection: {e}")
                });
                std::thread::sleep(Duration::from_millis(100));
                continue;
            }
        };
        let Some(slot) = open.take() else {
            shared.notices.once("busy", || {
                format!("warning: more than {MAX_CONNECTIONS} connections at once; the extra ones get 503")
            });
            busy(&stream);
            continue;
        };
        // A second handle, to answer through if the thread cannot start (the closure, and
        // the stream in it, is dropped then).
        let answer = stream.try_clone();
        let worker = shared.clone();
        let spawned = std::thread::Builder::new()
            .name("briefing-conn".into())
            .stack_size(STACK_SIZE)
            .spawn(move || {
                let _slot = slot;
                handle(&stream, &worker);
            });
        if let Err(e) = spawned {
            shared.notices.once("spawn", || {
                format!("warning: cannot start a thread for a connection: {e}")
            });
            if let Ok(stream) = answer {
                busy(&stream);
            }
        }
    }
}

/// 503 without blocking the accept loop: the answer fits in any socket's send buffer, and a
/// client that has not made room for it simply does not get it.
fn busy(stream: &TcpStream) {
    if stream.set_nonblocking(true).is_ok() {
        http::respond(
            stream,
            "503 Service Unavailable",
            &[("Retry-After", "1".into())],
            &[b"busy: too many connections\n"],
            false,
        );
    }
}

/// One connection: read the head within its limits, check the host, answer.
fn handle(stream: &TcpStream, shared: &Shared) {
    let request = match http::read_request(stream) {
        Ok(request) => request,
        Err(e) => {
            if let Some(status) = e.status() {
                let why = match e {
                    http::HeadError::Malformed(why) => why,
                    _ => status,
                };
                http::respond(stream, status, &[], &[why.as_bytes(), b"\n"], false);
                http::linger(stream);
            }
            return;
        }
    };
    let permitted = request
        .host
        .as_deref()
        .is_some_and(|h| shared.allowed.permits(h));
    if permitted {
        routes::answer(stream, &request, shared);
    } else {
        refuse(stream, request.host.as_deref(), shared);
    }
    if request.extra || !permitted {
        http::linger(stream);
    }
}

/// 421 for a host that is not ours; the terminal hears of each such host once.
fn refuse(stream: &TcpStream, host: Option<&str>, shared: &Shared) {
    let shown: String = match host {
        Some(h) => format!("{:?}", h.chars().take(100).collect::<String>()),
        None => "(none)".into(),
    };
    shared.notices.once(&format!("host {shown}"), || {
        format!(
            "refused a request for Host {shown}: this preview answers only {} (a page on another site may be trying to read it)",
            shared.allowed.described()
        )
    });
    let body = format!(
        "this preview answers only requests for {}\n",
        shared.allowed.described()
    );
    http::respond(
        stream,
        "421 Misdirected Request",
        &[("Content-Type", "text/plain; charset=utf-8".into())],
        &[body.as_bytes()],
        false,
    );
}
