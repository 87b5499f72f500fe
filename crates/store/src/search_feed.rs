//! What the search index needs from the store beyond the transcript walk: a
//! fingerprint of each transcript's content, so that an index update
//! re-reads only the transcripts whose content changed, and the episodes
//! that have viewers' comments, each with a fingerprint of its comments.

use crate::query::{memberships_of, MEMBERSHIPS, NAMED_EPISODES};
use crate::{p, Result, Store};
use podcorpus_core::EpisodeName;
use std::collections::HashMap;
use std::sync::LazyLock;

/// An episode with comments, with what a comment hit shows of it: the
/// unit the index keeps comments by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentedEpisode {
    /// Episode id (for [`Store::comments`]).
    pub episode_id: i64,
    /// The collection it is shown under (its first membership).
    pub collection: String,
    /// Its number there.
    pub number: i64,
    /// Episode title.
    pub title: Option<String>,
    /// YouTube video id.
    pub video_id: Option<String>,
    /// ISO date.
    pub published: Option<String>,
    /// Guests.
    pub guests: Vec<String>,
    /// Every collection the episode is in, with its number there.
    pub collections: Vec<EpisodeName>,
    /// A string that changes whenever the episode's comments may have:
    /// their count and likes, and the hashes of the files they came from.
    /// Comments are only ever written from a file (an imported or fetched
    /// info.json), whose hash covers their texts: reading the texts to hash
    /// them would cost a scan of every comment on every search.
    pub comments: String,
}

impl Store {
    /// For every stored transcript, a string that changes whenever its content
    /// may have changed: the hash of the file it came from with its word and
    /// segment counts. Transcript ids alone are not enough, because SQLite may
    /// reuse the id of a deleted row for the replacement of a changed file.
    pub fn transcript_fingerprints(&self) -> Result<HashMap<i64, String>> {
        self.fingerprints_where(None)
    }

    /// [`Store::transcript_fingerprints`] of one episode's transcripts.
    pub fn episode_fingerprints(&self, episode_id: i64) -> Result<HashMap<i64, String>> {
        self.fingerprints_where(Some(episode_id))
    }

    fn fingerprints_where(&self, episode_id: Option<i64>) -> Result<HashMap<i64, String>> {
        let mut out = HashMap::new();
        self.db().each(
            "SELECT t.id, COALESCE(f.hash, ''), t.words, t.segments
             FROM transcripts t LEFT JOIN files f ON f.id = t.file_id
             WHERE CAST(?1 AS BIGINT) IS NULL OR t.episode_id = ?1",
            p![episode_id],
            &mut |r| {
                let id: i64 = r.get(0)?;
                let hash = r.text(1)?.unwrap_or("");
                let words: i64 = r.get(2)?;
                let segments: i64 = r.get(3)?;
                out.insert(id, format!("{hash}:{words}:{segments}"));
                Ok(())
            },
        )?;
        Ok(out)
    }

    /// Every episode with comments (or only episode `episode_id`, when it
    /// has any), by collection and number.
    pub fn commented_episodes(&self, episode_id: Option<i64>) -> Result<Vec<CommentedEpisode>> {
        self.db()
            .query_map(&COMMENTED_EPISODES, p![episode_id], |r| {
                let guests: String = r.get(6)?;
                let n: i64 = r.get(8)?;
                // An integer sum: it formats as SQLite's TOTAL() of whole likes
                // did (`12`), so fingerprints an index keeps stay equal.
                let likes: i64 = r.get(9)?;
                let files: String = r.get(10)?;
                Ok(CommentedEpisode {
                    episode_id: r.get(0)?,
                    collection: r.get(1)?,
                    number: r.get(2)?,
                    title: r.get(3)?,
                    video_id: r.get(4)?,
                    published: r.get(5)?,
                    guests: serde_json::from_str(&guests).unwrap_or_default(),
                    collections: memberships_of(r.get(7)?),
                    comments: format!("{n}:{likes}:{files}"),
                })
            })
    }
}

/// The query of [`Store::commented_episodes`] (`?1`: one episode, or NULL for all).
static COMMENTED_EPISODES: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT e.id, c.name, m.number, e.title, e.video_id, e.published, e.guests,
                {MEMBERSHIPS}, k.n, k.likes, k.files
         FROM {NAMED_EPISODES}
         JOIN (SELECT x.episode_id, COUNT(*) AS n, CAST(coalesce(sum(x.likes), 0) AS BIGINT) AS likes,
                      MIN(COALESCE(f.hash, '')) || '+' || MAX(COALESCE(f.hash, '')) AS files
               FROM comments x LEFT JOIN files f ON f.id = x.file_id
               WHERE CAST(?1 AS BIGINT) IS NULL OR x.episode_id = ?1
               GROUP BY x.episode_id) k ON k.episode_id = e.id
         WHERE m.collection_id = e.collection_id
         ORDER BY c.name, m.number"
    )
});
