//! Checkpointing the write-ahead log from a second connection while one
//! connection writes, so that the writer never stops to copy pages.

use crate::{Result, Store};
use rusqlite::{Connection, OpenFlags};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// How often the background connection checkpoints.
const EVERY: Duration = Duration::from_millis(100);

impl Store {
    /// Runs `write` with this connection's automatic checkpoints off and a
    /// thread of its own connection checkpointing (`PASSIVE`: it never
    /// blocks the writer) every 100 ms. SQLite's default has the committing
    /// connection copy the WAL into the database each time the log passes
    /// 1000 pages, on the writer's own time. Without a database file (in
    /// memory, or on a server) `write` just runs.
    pub fn with_background_checkpoints<T>(&self, write: impl FnOnce() -> T) -> Result<T> {
        // A server checkpoints on its own schedule.
        let Some(conn) = self.db().sqlite() else {
            return Ok(write());
        };
        let Some(path) = conn.path().filter(|p| !p.is_empty()).map(str::to_owned) else {
            return Ok(write());
        };
        let checkpointer = Connection::open_with_flags(
            &path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        checkpointer.busy_timeout(Duration::from_secs(1))?;
        conn.pragma_update(None, "wal_autocheckpoint", 0)?;
        let done = AtomicBool::new(false);
        let out = std::thread::scope(|scope| {
            let done = &done;
            let worker = scope.spawn(move || {
                while !done.load(Ordering::Relaxed) {
                    std::thread::park_timeout(EVERY);
                    // A checkpoint that cannot run now runs at the next tick.
                    let _ =
                        checkpointer.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
                }
            });
            let out = write();
            done.store(true, Ordering::Relaxed);
            worker.thread().unpark();
            out
        });
        // SQLite's default again (1000 pages); the log left over is copied
        // at the next checkpoint or when the last connection closes.
        conn.pragma_update(None, "wal_autocheckpoint", 1000)?;
        Ok(out)
    }
}
