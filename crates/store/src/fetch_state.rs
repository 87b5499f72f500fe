//! The state of fetch runs, kept in the database so an interrupted run
//! resumes where it stopped: one row per run, one per listed video. On a
//! server several fetch processes (workers, on any machine) share a run:
//! each claims one video at a time under a lease it keeps renewing, and
//! says in `fetch_workers` what it is doing.

use crate::sql::Dialect;
use crate::{p, Result, Store};
use serde::Serialize;

/// One video of a fetch run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FetchItem {
    /// Position in the listing, 1-based.
    pub idx: i64,
    /// Video id from the listing.
    pub video_id: Option<String>,
    /// The URL yt-dlp is given for this video.
    pub url: String,
    /// `-I` index into the run's URL, for listings whose entries have no URL of their own.
    pub playlist_item: Option<i64>,
    /// Title from the listing.
    pub title: Option<String>,
    /// Episode number the video gets in its collection.
    pub number: Option<i64>,
    /// `pending`, `working` (a worker holds it), `done`, `skipped`,
    /// `no-captions` or `failed`.
    pub status: String,
    /// Why it was skipped or failed.
    pub reason: Option<String>,
    /// How many times it was tried.
    pub attempts: i64,
}

/// A fetch run that did not finish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnfinishedRun {
    /// Run id.
    pub id: i64,
    /// The URL the run fetches.
    pub url: String,
    /// The options it ran with, as JSON.
    pub options: String,
}

/// What one fetch worker last said it was doing (`fetch --status`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FetchWorker {
    /// `host:pid`, or the name it was given.
    pub name: String,
    /// The machine it runs on.
    pub host: String,
    /// The source address its yt-dlp uses, when it was given one.
    pub address: Option<String>,
    /// The run it works on.
    pub run: Option<i64>,
    /// `fetching`, `waiting` (for others' videos), `paused` (the site
    /// refused it), `done` or `stopped`.
    pub state: String,
    /// The run's item it is on.
    pub item: Option<i64>,
    /// The video's title, or why it paused or stopped.
    pub detail: Option<String>,
    /// When its pause ends (ms since 1970, the database's clock).
    pub paused_until: Option<i64>,
    /// Videos it fetched.
    pub fetched: i64,
    /// How long its claims last without renewal, ms.
    pub lease_ms: i64,
    /// When it started (ms since 1970).
    pub started: i64,
    /// When it last said anything (ms since 1970).
    pub last_seen: i64,
}

/// The columns of a claimed item, as [`FetchItem`] reads them.
const ITEM_COLUMNS: &str =
    "idx, video_id, url, playlist_item, title, number, status, reason, attempts";

/// Takes the first pending video of a run, or one whose holder's lease ran
/// out. `SKIP LOCKED` lets workers claim at once without waiting on (or
/// taking) each other's row.
const CLAIM_PG: &str =
    "UPDATE fetch_items SET status = 'working', worker = ?2, lease_until = CAST(?3 AS BIGINT) + CAST(?4 AS BIGINT)
     WHERE (run_id, idx) IN (
       SELECT run_id, idx FROM fetch_items
        WHERE run_id = ?1 AND (status = 'pending' OR (status = 'working' AND lease_until < ?3))
        ORDER BY idx LIMIT 1 FOR UPDATE SKIP LOCKED)
     RETURNING idx, video_id, url, playlist_item, title, number, status, reason, attempts";

/// SQLite has one fetch process: a `working` item is one it was killed
/// on, taken again at once whatever its lease says (so `--resume` after a
/// kill does not wait), and there are no row locks to skip.
const CLAIM_SQLITE: &str =
    "UPDATE fetch_items SET status = 'working', worker = ?2, lease_until = CAST(?3 AS BIGINT) + CAST(?4 AS BIGINT)
     WHERE (run_id, idx) IN (
       SELECT run_id, idx FROM fetch_items
        WHERE run_id = ?1 AND status IN ('pending', 'working')
        ORDER BY idx LIMIT 1)
     RETURNING idx, video_id, url, playlist_item, title, number, status, reason, attempts";

fn item(r: &dyn crate::sql::Row) -> Result<FetchItem> {
    Ok(FetchItem {
        idx: r.get(0)?,
        video_id: r.get(1)?,
        url: r.get(2)?,
        playlist_item: r.get(3)?,
        title: r.get(4)?,
        number: r.get(5)?,
        status: r.get(6)?,
        reason: r.get(7)?,
        attempts: r.get(8)?,
    })
}

impl Store {
    /// Records a new run with its listed items (one transaction).
    pub fn fetch_run_create(&self, url: &str, options: &str, items: &[FetchItem]) -> Result<i64> {
        self.atomically(|db| {
            let run = db.one::<i64>(
                "INSERT INTO fetch_runs (url, options, started) VALUES (?1, ?2, podcorpus_now())
                 RETURNING id",
                p![url, options],
            )?;
            for i in items {
                db.execute(
                    "INSERT INTO fetch_items (run_id, idx, video_id, url, playlist_item, title, number, status, reason, attempts)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                    p![
                        run,
                        i.idx,
                        i.video_id.as_deref(),
                        &i.url,
                        i.playlist_item,
                        i.title.as_deref(),
                        i.number,
                        &i.status,
                        i.reason.as_deref(),
                        i.attempts
                    ],
                )?;
            }
            Ok(run)
        })
    }

    /// The run's items in listing order.
    pub fn fetch_items(&self, run: i64) -> Result<Vec<FetchItem>> {
        static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
            format!("SELECT {ITEM_COLUMNS} FROM fetch_items WHERE run_id = ?1 ORDER BY idx")
        });
        self.db().query_map(&SQL, p![run], item)
    }

    /// Records the outcome of one item.
    pub fn fetch_item_update(
        &self,
        run: i64,
        idx: i64,
        status: &str,
        reason: Option<&str>,
        attempts: i64,
    ) -> Result<()> {
        self.db().execute(
            "UPDATE fetch_items SET status = ?3, reason = ?4, attempts = ?5 WHERE run_id = ?1 AND idx = ?2",
            p![run, idx, status, reason, attempts],
        )?;
        Ok(())
    }

    /// Marks a run finished.
    pub fn fetch_run_finish(&self, run: i64) -> Result<()> {
        self.db().execute(
            "UPDATE fetch_runs SET finished = podcorpus_now() WHERE id = ?1",
            p![run],
        )?;
        Ok(())
    }

    /// The newest run that did not finish, if any.
    pub fn fetch_unfinished_run(&self) -> Result<Option<UnfinishedRun>> {
        self.db().query_opt(
            "SELECT id, url, options FROM fetch_runs WHERE finished IS NULL ORDER BY id DESC LIMIT 1",
            p![],
            |r| {
                Ok(UnfinishedRun {
                    id: r.get(0)?,
                    url: r.get(1)?,
                    options: r.get(2)?,
                })
            },
        )
    }

    /// The videos already fetched: a fetch run got them, or a yt-dlp bundle
    /// of theirs was imported. A video known only from the notes, a
    /// metadata table or Lexicap is not among them: fetching it adds its
    /// captions and the channel's number to that same episode.
    pub fn known_video_ids(&self) -> Result<std::collections::HashSet<String>> {
        let mut out = std::collections::HashSet::new();
        self.db().each(
            "SELECT video_id FROM fetch_items
               WHERE status IN ('done', 'no-captions') AND video_id IS NOT NULL
             UNION
             SELECT e.video_id FROM episodes e JOIN files f ON f.id = e.file_id
               WHERE f.format = 'ytdlp' AND e.video_id IS NOT NULL
             UNION
             SELECT e.video_id FROM episodes e JOIN transcripts t ON t.episode_id = e.id
               JOIN files f ON f.id = t.file_id
               WHERE f.format = 'ytdlp' AND e.video_id IS NOT NULL",
            p![],
            &mut |r| {
                out.insert(r.get(0)?);
                Ok(())
            },
        )?;
        Ok(out)
    }

    /// Whether several fetch processes can share a run: on a server they
    /// can, each a worker; an SQLite file has one fetch at a time.
    pub fn fetch_shared(&self) -> bool {
        self.db().dialect() == Dialect::Postgres
    }

    /// Milliseconds since 1970 by the database's clock: the one clock all
    /// workers' leases are measured by, whatever their machines' clocks say.
    pub fn fetch_clock(&self) -> Result<i64> {
        match self.db().dialect() {
            Dialect::Postgres => self.db().one(
                "SELECT CAST(floor(extract(epoch FROM clock_timestamp()) * 1000) AS BIGINT)",
                p![],
            ),
            Dialect::Sqlite => Ok(std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_millis() as i64)),
        }
    }

    /// Claims the run's next video for `worker` for `lease_ms`: the first
    /// pending one, or one whose holder stopped renewing its lease. `None`
    /// when there is none to take (all done, or held by live workers).
    pub fn fetch_claim(&self, run: i64, worker: &str, lease_ms: i64) -> Result<Option<FetchItem>> {
        let now = self.fetch_clock()?;
        let sql = match self.db().dialect() {
            Dialect::Postgres => CLAIM_PG,
            Dialect::Sqlite => CLAIM_SQLITE,
        };
        self.db()
            .query_opt(sql, p![run, worker, now, lease_ms], item)
    }

    /// Pushes the lease on a video `worker` holds `lease_ms` past now;
    /// false when it holds it no more (its lease ran out and another
    /// worker took the video, or it is finished).
    pub fn fetch_renew(&self, run: i64, idx: i64, worker: &str, lease_ms: i64) -> Result<bool> {
        let now = self.fetch_clock()?;
        let n = self.db().execute(
            "UPDATE fetch_items SET lease_until = CAST(?4 AS BIGINT) + CAST(?5 AS BIGINT)
             WHERE run_id = ?1 AND idx = ?2 AND worker = ?3 AND status = 'working'",
            p![run, idx, worker, now, lease_ms],
        )?;
        Ok(n > 0)
    }

    /// Records the outcome of a video `worker` holds (and lets go of it);
    /// false, changing nothing, when it no longer holds it.
    pub fn fetch_item_finish(
        &self,
        run: i64,
        idx: i64,
        worker: &str,
        status: &str,
        reason: Option<&str>,
        attempts: i64,
    ) -> Result<bool> {
        let n = self.db().execute(
            "UPDATE fetch_items SET status = ?4, reason = ?5, attempts = ?6, lease_until = NULL
             WHERE run_id = ?1 AND idx = ?2 AND worker = ?3 AND status = 'working'",
            p![run, idx, worker, status, reason, attempts],
        )?;
        Ok(n > 0)
    }

    /// Runs `f` while no other fetch process of this database runs its own
    /// `f`: a fetched video is imported under it, after the worker checked
    /// that it still holds the video, so no two workers import one video.
    /// On a server this is a session advisory lock; SQLite's writer lock
    /// (and its one fetch process) serialize imports already.
    pub fn fetch_exclusively<T>(&self, f: impl FnOnce() -> T) -> Result<T> {
        if self.db().dialect() != Dialect::Postgres {
            return Ok(f());
        }
        self.db().batch("SELECT pg_advisory_lock(7277017)")?;
        let out = f();
        self.db().batch("SELECT pg_advisory_unlock(7277017)")?;
        Ok(out)
    }

    /// Counts of the run's items by status, in status order.
    pub fn fetch_run_counts(&self, run: i64) -> Result<Vec<(String, i64)>> {
        self.db().query_map(
            "SELECT status, count(*) FROM fetch_items WHERE run_id = ?1 GROUP BY status ORDER BY status",
            p![run],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
    }

    /// Items of the run held by a worker whose lease has not run out.
    pub fn fetch_held(&self, run: i64) -> Result<i64> {
        let now = self.fetch_clock()?;
        self.db().one(
            "SELECT count(*) FROM fetch_items WHERE run_id = ?1 AND status = 'working' AND lease_until >= ?2",
            p![run, now],
        )
    }

    /// The newest run, finished or not: what `fetch --status` shows.
    pub fn fetch_latest_run(&self) -> Result<Option<UnfinishedRun>> {
        self.db().query_opt(
            "SELECT id, url, options FROM fetch_runs ORDER BY id DESC LIMIT 1",
            p![],
            |r| {
                Ok(UnfinishedRun {
                    id: r.get(0)?,
                    url: r.get(1)?,
                    options: r.get(2)?,
                })
            },
        )
    }

    /// Records what a worker is doing now (and that it is alive).
    pub fn fetch_worker_report(&self, w: &FetchWorker) -> Result<()> {
        self.db().execute(
            "INSERT INTO fetch_workers (name, host, address, run_id, state, idx, detail, paused_until,
                                        fetched, lease_ms, started, last_seen)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
             ON CONFLICT (name) DO UPDATE SET host = excluded.host, address = excluded.address,
               run_id = excluded.run_id, state = excluded.state, idx = excluded.idx,
               detail = excluded.detail, paused_until = excluded.paused_until,
               fetched = excluded.fetched, lease_ms = excluded.lease_ms,
               started = excluded.started, last_seen = excluded.last_seen",
            p![
                &w.name,
                &w.host,
                w.address.as_deref(),
                w.run,
                &w.state,
                w.item,
                w.detail.as_deref(),
                w.paused_until,
                w.fetched,
                w.lease_ms,
                w.started,
                w.last_seen
            ],
        )?;
        Ok(())
    }

    /// Tells that a worker is alive, without changing what it said it does.
    pub fn fetch_worker_seen(&self, name: &str) -> Result<()> {
        let now = self.fetch_clock()?;
        self.db().execute(
            "UPDATE fetch_workers SET last_seen = ?2 WHERE name = ?1",
            p![name, now],
        )?;
        Ok(())
    }

    /// The workers of a run, by name.
    pub fn fetch_workers(&self, run: i64) -> Result<Vec<FetchWorker>> {
        self.db().query_map(
            "SELECT name, host, address, run_id, state, idx, detail, paused_until, fetched,
                    lease_ms, started, last_seen
             FROM fetch_workers WHERE run_id = ?1 ORDER BY name",
            p![run],
            |r| {
                Ok(FetchWorker {
                    name: r.get(0)?,
                    host: r.get(1)?,
                    address: r.get(2)?,
                    run: r.get(3)?,
                    state: r.get(4)?,
                    item: r.get(5)?,
                    detail: r.get(6)?,
                    paused_until: r.get(7)?,
                    fetched: r.get(8)?,
                    lease_ms: r.get(9)?,
                    started: r.get(10)?,
                    last_seen: r.get(11)?,
                })
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn listed(n: i64) -> Vec<FetchItem> {
        (1..=n)
            .map(|idx| FetchItem {
                idx,
                video_id: Some(format!("v{idx}")),
                url: format!("http://127.0.0.1/v{idx}"),
                playlist_item: None,
                title: None,
                number: Some(idx),
                status: "pending".into(),
                reason: None,
                attempts: 0,
            })
            .collect()
    }

    #[test]
    fn workers_on_a_server_never_claim_one_video_twice() {
        let url = podcorpus_testpg::fresh_database("fetch-claims");
        let store = Store::open(Path::new(&url)).expect("open");
        let run = store
            .fetch_run_create("http://127.0.0.1/feed", "{}", &listed(40))
            .expect("run");
        // Eight workers, each its own connection, all connected before any
        // claims (a slow machine would otherwise let the first take all),
        // each holding a claimed video a moment as a worker does.
        let ready = std::sync::Barrier::new(8);
        let claimed: Vec<Vec<i64>> = std::thread::scope(|s| {
            let workers: Vec<_> = (0..8)
                .map(|w| {
                    let url = url.clone();
                    let ready = &ready;
                    s.spawn(move || {
                        let store = Store::open(Path::new(&url)).expect("open");
                        ready.wait();
                        let name = format!("w{w}");
                        let mut mine = Vec::new();
                        while let Some(item) = store.fetch_claim(run, &name, 60_000).expect("claim")
                        {
                            mine.push(item.idx);
                            std::thread::sleep(std::time::Duration::from_millis(5));
                        }
                        mine
                    })
                })
                .collect();
            workers
                .into_iter()
                .map(|w| w.join().expect("worker"))
                .collect()
        });
        let mut all: Vec<i64> = claimed.iter().flatten().copied().collect();
        all.sort();
        assert_eq!(all, (1..=40).collect::<Vec<_>>(), "{claimed:?}");
        assert!(claimed.iter().filter(|c| !c.is_empty()).count() > 1);
        assert_eq!(store.fetch_held(run).expect("held"), 40);
        assert_eq!(
            store.fetch_run_counts(run).expect("counts"),
            [("working".to_string(), 40)]
        );
    }

    #[test]
    fn a_lapsed_lease_passes_the_video_on() {
        let url = podcorpus_testpg::fresh_database("fetch-leases");
        let store = Store::open(Path::new(&url)).expect("open");
        let run = store
            .fetch_run_create("http://127.0.0.1/feed", "{}", &listed(2))
            .expect("run");
        let a = store.fetch_claim(run, "a", 60_000).expect("claim");
        let b = store.fetch_claim(run, "b", 1).expect("claim");
        assert_eq!((a.map(|i| i.idx), b.map(|i| i.idx)), (Some(1), Some(2)));
        // b stops renewing (killed): its video is c's once the lease lapsed.
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert_eq!(store.fetch_held(run).expect("held"), 1);
        let c = store.fetch_claim(run, "c", 60_000).expect("claim");
        assert_eq!(c.map(|i| i.idx), Some(2));
        assert!(store
            .fetch_claim(run, "d", 60_000)
            .expect("claim")
            .is_none());
        // b, back from the dead, holds nothing: it can neither renew nor finish.
        assert!(!store.fetch_renew(run, 2, "b", 60_000).expect("renew"));
        assert!(!store
            .fetch_item_finish(run, 2, "b", "done", None, 1)
            .expect("finish"));
        assert!(store.fetch_renew(run, 2, "c", 60_000).expect("renew"));
        assert!(store
            .fetch_item_finish(run, 2, "c", "done", None, 1)
            .expect("finish"));
        assert_eq!(
            store.fetch_run_counts(run).expect("counts"),
            [("done".to_string(), 1), ("working".to_string(), 1)]
        );
    }

    #[test]
    fn one_process_on_sqlite_takes_back_what_it_was_killed_on() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(&dir.path().join("c.db")).expect("open");
        assert!(!store.fetch_shared());
        let run = store
            .fetch_run_create("http://127.0.0.1/feed", "{}", &listed(2))
            .expect("run");
        let first = store.fetch_claim(run, "host:1", 60_000).expect("claim");
        assert_eq!(first.map(|i| i.idx), Some(1));
        // Killed holding video 1; the next fetch --resume takes it at once,
        // whatever the lease says.
        let again = store.fetch_claim(run, "host:2", 60_000).expect("claim");
        assert_eq!(again.map(|i| i.idx), Some(1));
        assert!(store
            .fetch_item_finish(run, 1, "host:2", "done", None, 1)
            .expect("finish"));
        let w = FetchWorker {
            name: "host:2".into(),
            host: "host".into(),
            address: None,
            run: Some(run),
            state: "fetching".into(),
            item: Some(2),
            detail: Some("v2".into()),
            paused_until: None,
            fetched: 1,
            lease_ms: 60_000,
            started: 1,
            last_seen: 2,
        };
        store.fetch_worker_report(&w).expect("report");
        store
            .fetch_worker_report(&FetchWorker {
                state: "done".into(),
                ..w.clone()
            })
            .expect("report again");
        let workers = store.fetch_workers(run).expect("workers");
        assert_eq!(workers.len(), 1);
        assert_eq!(workers[0].state, "done");
    }
}
