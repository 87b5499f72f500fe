//! The state of fetch runs, kept in the database so an interrupted run
//! resumes where it stopped: one row per run, one per listed video.

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
    /// `pending`, `done`, `skipped`, `no-captions` or `failed`.
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
        self.db().query_map(
            "SELECT idx, video_id, url, playlist_item, title, number, status, reason, attempts
             FROM fetch_items WHERE run_id = ?1 ORDER BY idx",
            p![run],
            |r| {
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
            },
        )
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
}
