//! Frees large values off the path a reader waits on. Under `briefing serve`, each save
//! replaces the last site, its pages and what the last render kept: at 10,000 briefs,
//! freeing them took 20 to 30 ms before the browser could be told to reload. A build to disk
//! frees nothing this way; it ends soon after.

/// Drops `value` on a thread of its own. Dropping has no effect anyone waits for, so the
/// only difference is when the memory returns.
pub(crate) fn drop_later<T: Send + 'static>(value: T) {
    let spawned = std::thread::Builder::new()
        .name("reclaim".into())
        .spawn(move || drop(value));
    // The thread runs detached. One that cannot start frees the value as it fails.
    drop(spawned);
}
