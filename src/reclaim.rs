//! Frees large values off the path a reader waits on. Under `briefing serve`, each save
//! replaces the last site, its pages and what the last render kept: at 10,000 briefs,
//! freeing them took 20 to 30 ms before the browser could be told to reload. A build to disk
//! frees its loaded site this way once the site is written (the process ends meanwhile), and
//! gives freed memory back to the system at two moments ([`return_freed`]), which serve skips
//! so no save waits for it.

/// Drops `value` on a thread of its own. Dropping has no effect anyone waits for, so the
/// only difference is when the memory returns.
pub(crate) fn drop_later<T: Send + 'static>(value: T) {
    let spawned = std::thread::Builder::new()
        .name("reclaim".into())
        .spawn(move || drop(value));
    // The thread runs detached. One that cannot start frees the value as it fails.
    drop(spawned);
}

/// Gives the memory freed so far back to the system now, on every thread of the pool and
/// this one, rather than when the allocator gets round to it (mimalloc waits a second). For
/// the moment after a stage frees much that the next does not reuse: at 100,000 briefs the
/// data files' cells, freed once the charts are prepared, were still held while the list
/// pages rendered, and the build's peak was theirs added to the lists'.
pub(crate) fn return_freed() {
    let collect = || {
        // SAFETY: mi_collect has no preconditions; it may be called on any thread at any
        // time, and only changes when freed memory goes back to the system.
        unsafe { libmimalloc_sys::mi_collect(true) }
    };
    rayon::broadcast(|_| collect());
    collect();
}
