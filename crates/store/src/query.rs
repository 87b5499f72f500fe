//! Reading the corpus back: episode lists, one episode in full, and naming an
//! episode the way a user does (`lexicap/5`, `5`, or a video id).

use crate::sql::Row;
use crate::{p, Result, Store, StoreError};
use podcorpus_core::{source_rank, Comment, EpisodeName, EpisodeRef};
use rusqlite::functions::FunctionFlags;
use rusqlite::Connection;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::LazyLock;

/// One line of `list`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EpisodeRow {
    /// Internal id (stable within one database).
    #[serde(skip)]
    pub id: i64,
    /// Collection name.
    pub collection: String,
    /// Number within the collection.
    pub number: i64,
    /// YouTube video id.
    pub video_id: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// Guests.
    pub guests: Vec<String>,
    /// ISO date.
    pub published: Option<String>,
    /// Address of the video.
    pub url: Option<String>,
    /// Transcript sources, best first.
    pub sources: Vec<String>,
    /// Words in the best source's transcript.
    pub words: i64,
    /// Length in milliseconds, when known.
    pub duration_ms: Option<i64>,
    /// Every collection the episode is in, with its number there.
    pub collections: Vec<EpisodeName>,
}

impl EpisodeRow {
    /// The name the row is shown under: `COLLECTION/NUMBER`.
    pub fn name(&self) -> EpisodeName {
        EpisodeName::new(self.collection.clone(), self.number)
    }
}

/// A chapter as `show` reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChapterRow {
    /// Title.
    pub title: String,
    /// Start in the video, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_ms: Option<i64>,
    /// Position in the transcript text, for chapters from notes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text_pos: Option<i64>,
}

/// One transcript as `show` reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TranscriptRow {
    /// Internal id.
    #[serde(skip)]
    pub id: i64,
    /// Source name.
    pub source: String,
    /// Language.
    pub language: Option<String>,
    /// Word count.
    pub words: i64,
    /// Segment count.
    pub segments: i64,
    /// The text, segments joined by one space (only when asked for).
    pub text: Option<String>,
}

/// One summary with its provenance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SummaryRow {
    /// `imported`, `extractive` or `llm`.
    pub kind: String,
    /// What it summarizes: the episode or its comments.
    pub subject: podcorpus_core::Subject,
    /// How it was made (the import format, the algorithm).
    pub method: Option<String>,
    /// The model, for LLM summaries.
    pub model: Option<String>,
    /// When it was stored.
    pub created: String,
    /// The method's parameters (JSON), when recorded.
    pub params: Option<serde_json::Value>,
    /// Hash of the prompt, for LLM summaries.
    pub prompt_hash: Option<String>,
    /// Token usage (JSON), for LLM summaries.
    pub usage: Option<serde_json::Value>,
    /// The text.
    pub text: String,
}

/// A viewer's comment as `show` reports it: the comment as read.
pub use podcorpus_core::Comment as CommentRow;

/// Everything about one episode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EpisodeDetail {
    /// The list fields.
    #[serde(flatten)]
    pub row: EpisodeRow,
    /// Description.
    pub description: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Chapters in order.
    pub chapters: Vec<ChapterRow>,
    /// Transcripts, best source first.
    pub transcripts: Vec<TranscriptRow>,
    /// Summaries in the order stored.
    pub summaries: Vec<SummaryRow>,
    /// Viewers' comments, most liked first.
    pub comments: Vec<CommentRow>,
}

/// A thread of comments: the comment that starts it and the replies to it,
/// as positions in [`EpisodeDetail::comments`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Thread {
    /// The comment that starts the thread.
    pub root: usize,
    /// Its replies, oldest first (those without a time last, as stored).
    pub replies: Vec<usize>,
}

impl EpisodeDetail {
    /// The comments as threads ([`threads`]).
    pub fn threads(&self) -> Vec<Thread> {
        threads(&self.comments)
    }
}

/// The comments as threads: pinned threads first, then by the starting
/// comment's likes (the order comments are read in). A reply whose
/// parent is not among the comments (yt-dlp fetched too few) starts a
/// thread of its own rather than being lost.
pub fn threads(comments: &[CommentRow]) -> Vec<Thread> {
    let by_id: HashMap<&str, usize> = comments
        .iter()
        .enumerate()
        .filter_map(|(i, c)| c.id.as_deref().map(|id| (id, i)))
        .collect();
    let mut threads: Vec<Thread> = Vec::new();
    let mut at: HashMap<usize, usize> = HashMap::new();
    let root_of = |i: usize| {
        comments[i]
            .parent
            .as_deref()
            .and_then(|p| by_id.get(p).copied())
            .filter(|&p| p != i)
    };
    for i in 0..comments.len() {
        if root_of(i).is_none() {
            at.insert(i, threads.len());
            threads.push(Thread {
                root: i,
                replies: Vec::new(),
            });
        }
    }
    for i in 0..comments.len() {
        // Replies to replies join the thread of the comment they answer.
        let mut p = root_of(i);
        let mut hops = 0;
        while let Some(q) = p.and_then(root_of) {
            p = Some(q);
            hops += 1;
            if hops > comments.len() {
                break;
            }
        }
        match p.and_then(|p| at.get(&p)) {
            Some(&t) => threads[t].replies.push(i),
            // Parents that answer each other (a cycle): a thread each.
            None if !at.contains_key(&i) => {
                at.insert(i, threads.len());
                threads.push(Thread {
                    root: i,
                    replies: Vec::new(),
                });
            }
            None => {}
        }
    }
    for t in &mut threads {
        t.replies.sort_by(|&a, &b| {
            let (ta, tb) = (&comments[a].time, &comments[b].time);
            ta.is_none().cmp(&tb.is_none()).then(ta.cmp(tb))
        });
    }
    threads.sort_by_key(|t| !comments[t.root].pinned);
    threads
}

/// Which episodes `list` shows.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    /// Only this collection.
    pub collection: Option<String>,
}

/// The column [`Store::list_page`] sorts by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum ListSort {
    /// Collection name, then number: the order of [`Store::list`].
    #[default]
    Number,
    /// Publication date, undated episodes first.
    Date,
    /// Title, untitled episodes first.
    Title,
    /// Words of the best source's transcript ([`EpisodeRow::words`]).
    Words,
    /// Length, episodes of unknown length first.
    Duration,
}

impl ListSort {
    /// Every sort key, for callers that try them all.
    pub const ALL: [ListSort; 5] = [
        ListSort::Number,
        ListSort::Date,
        ListSort::Title,
        ListSort::Words,
        ListSort::Duration,
    ];
}

/// One page of the episode list, filtered and sorted: what
/// [`Store::list_page`] returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListPage {
    /// Only episodes whose title or one of whose guests contains this,
    /// ignoring case (Unicode, as [`str::to_lowercase`]); `None`, empty or
    /// only whitespace: every episode.
    pub text: Option<String>,
    /// Only episodes shown under (whose home membership is in) this
    /// collection; `None` or empty: every collection.
    pub collection: Option<String>,
    /// The sort key; ties are ordered by collection name and number.
    pub sort: ListSort,
    /// The whole order reversed, ties included (the reverse of ascending,
    /// not a descending key with ascending ties).
    pub descending: bool,
    /// Matching rows skipped before the page.
    pub offset: usize,
    /// Most rows on the page.
    pub limit: usize,
}

impl Default for ListPage {
    /// Every episode, by collection and number.
    fn default() -> Self {
        ListPage {
            text: None,
            collection: None,
            sort: ListSort::Number,
            descending: false,
            offset: 0,
            limit: usize::MAX,
        }
    }
}

/// Registers the SQL functions the queries of this module call, on every
/// connection the store opens (SQLite's own `lower()` and `LIKE` fold ASCII
/// only, and the rank of a source is Rust's rule, kept in one place).
///
/// - `podcorpus_source_rank(source)`: [`podcorpus_core::source_rank`].
/// - `podcorpus_list_match(needle, title, guests)`: whether the title or one
///   of the guests (the JSON array of `episodes.guests`) contains `needle`,
///   all lowercased by Rust; a NULL title is empty, unreadable guests none,
///   exactly as [`EpisodeRow`] reads them.
pub(crate) fn register_functions(conn: &Connection) -> rusqlite::Result<()> {
    let flags = FunctionFlags::SQLITE_UTF8
        | FunctionFlags::SQLITE_DETERMINISTIC
        | FunctionFlags::SQLITE_INNOCUOUS;
    // The time of a write, as the store records it (UTC, to the second);
    // PostgreSQL's schema defines the same function.
    conn.create_scalar_function(
        "podcorpus_now",
        0,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_INNOCUOUS,
        |_| Ok(podcorpus_core::calendar::now_iso_utc()),
    )?;
    conn.create_scalar_function("podcorpus_source_rank", 1, flags, |ctx| {
        let source = ctx.get_raw(0).as_str().map_err(|e| {
            rusqlite::Error::UserFunctionError(format!("podcorpus_source_rank: {e}").into())
        })?;
        Ok(i64::from(source_rank(source)))
    })?;
    conn.create_scalar_function("podcorpus_list_match", 3, flags, |ctx| {
        // The needle is the same for every row of a query: lowercase it once
        // (SQLite keeps the result while the argument stays the same).
        let needle = ctx.get_or_create_aux(0, |v| {
            v.as_str()
                .map(str::to_lowercase)
                .map_err(|e| format!("podcorpus_list_match needle: {e}"))
        })?;
        let title: Option<String> = ctx.get(1)?;
        if title
            .as_deref()
            .unwrap_or("")
            .to_lowercase()
            .contains(needle.as_str())
        {
            return Ok(true);
        }
        let guests: Option<String> = ctx.get(2)?;
        let guests: Vec<String> =
            serde_json::from_str(guests.as_deref().unwrap_or("")).unwrap_or_default();
        Ok(guests
            .iter()
            .any(|g| g.to_lowercase().contains(needle.as_str())))
    })?;
    Ok(())
}

/// The column of an episode's (`e`) memberships, `name\x1fnumber` joined by
/// `\x1e`, as [`memberships_of`] reads it back.
macro_rules! memberships_sql {
    () => {
        "(SELECT group_concat(c2.name || char(31) || m2.number, char(30)) FROM memberships m2
           JOIN collections c2 ON c2.id = m2.collection_id WHERE m2.episode_id = e.id)"
    };
}

/// [`memberships_sql`] for the other modules of the crate.
pub(crate) const MEMBERSHIPS: &str = memberships_sql!();

const EPISODE_COLUMNS: &str = concat!(
    "e.id, c.name, m.number, e.video_id, e.title, e.guests, e.published, e.url,
     (SELECT group_concat(source || char(31) || words, char(30)) FROM transcripts t WHERE t.episode_id = e.id),
     e.duration_ms, ",
    memberships_sql!()
);

/// An episode's chapters (`?1`) of one origin: `?2` when it has those
/// (`text` for the chapters of a pasted transcript), else the video's own,
/// else the description's outline, else the pasted transcript's.
pub(crate) const CHAPTERS: &str = "SELECT title, start_ms, text_pos FROM chapters
     WHERE episode_id = ?1 AND origin = (SELECT origin FROM chapters WHERE episode_id = ?1
        ORDER BY CASE origin WHEN ?2 THEN 0 WHEN 'video' THEN 1 WHEN 'description' THEN 2 ELSE 3 END
        LIMIT 1)
     ORDER BY idx";

/// Episodes with each of their memberships (`m`) and its collection (`c`).
/// Filter with [`in_collection`] to get one row per episode.
pub(crate) const NAMED_EPISODES: &str = "episodes e JOIN memberships m ON m.episode_id = e.id
     JOIN collections c ON c.id = m.collection_id";

/// The condition that keeps one membership per episode: the one in the
/// collection bound to parameter `?N`, or the home one when that is NULL.
/// (The cast gives PostgreSQL the parameter's type where it first meets it.)
pub(crate) fn in_collection(n: usize) -> String {
    format!(
        "(CASE WHEN CAST(?{n} AS TEXT) IS NULL THEN m.collection_id = e.collection_id ELSE c.name = ?{n} END)"
    )
}

/// `name\x1fnumber\x1e...` as written by the memberships column, by name
/// (the engine concatenates them in no particular order).
pub(crate) fn memberships_of(packed: Option<String>) -> Vec<EpisodeName> {
    let mut v: Vec<EpisodeName> = packed
        .as_deref()
        .unwrap_or("")
        .split('\u{1e}')
        .filter_map(|s| {
            let (name, number) = s.split_once('\u{1f}')?;
            Some(EpisodeName::new(name, number.parse().ok()?))
        })
        .collect();
    v.sort();
    v
}

/// An [`EpisodeRow`] from the [`EPISODE_COLUMNS`] of a row. The sources
/// come concatenated in no particular order: they are sorted here.
pub(crate) fn episode_row(r: &dyn Row) -> Result<EpisodeRow> {
    let guests: String = r.get(5)?;
    let mut pairs: Vec<(String, i64)> = r
        .text(8)?
        .unwrap_or("")
        .split('\u{1e}')
        .filter(|s| !s.is_empty())
        .filter_map(|s| {
            let (name, words) = s.split_once('\u{1f}')?;
            Some((name.to_string(), words.parse().unwrap_or(0)))
        })
        .collect();
    pairs.sort_by(|a, b| {
        source_rank(&a.0)
            .cmp(&source_rank(&b.0))
            .then(a.0.cmp(&b.0))
    });
    Ok(EpisodeRow {
        id: r.get(0)?,
        collection: r.get(1)?,
        number: r.get(2)?,
        video_id: r.get(3)?,
        title: r.get(4)?,
        guests: serde_json::from_str(&guests).unwrap_or_default(),
        published: r.get(6)?,
        url: r.get(7)?,
        words: pairs.first().map_or(0, |p| p.1),
        duration_ms: r.get(9)?,
        sources: pairs.into_iter().map(|p| p.0).collect(),
        collections: memberships_of(r.get(10)?),
    })
}

/// [`Store::list`]'s query: `?1` the collection, or NULL.
static LIST_SQL: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT {EPISODE_COLUMNS} FROM {NAMED_EPISODES} WHERE {} ORDER BY c.name, m.number",
        in_collection(1)
    )
});

/// The condition of [`Store::list_page`]: home memberships, in collection
/// `?1` and matching text `?2` when those are not NULL. (The casts give
/// PostgreSQL the parameters' types where it first meets them.)
const LIST_PAGE_FILTER: &str = "m.collection_id = e.collection_id
               AND (CAST(?1 AS TEXT) IS NULL OR c.name = ?1)
               AND (CAST(?2 AS TEXT) IS NULL OR podcorpus_list_match(?2, e.title, e.guests))";

/// [`Store::list_page`]'s queries, one per sort key and direction, made once.
static LIST_PAGE_SQL: LazyLock<Vec<String>> = LazyLock::new(|| {
    let mut all = Vec::with_capacity(ListSort::ALL.len() * 2);
    for sort in ListSort::ALL {
        for descending in [false, true] {
            all.push(list_page_sql(sort, descending));
        }
    }
    all
});

/// The count of [`Store::list_page`]'s matches, for an empty page.
static LIST_PAGE_COUNT_SQL: LazyLock<String> =
    LazyLock::new(|| format!("SELECT COUNT(*) FROM {NAMED_EPISODES} WHERE {LIST_PAGE_FILTER}"));

/// The query of one page sorted by `sort`: `?1` collection, `?2` text,
/// `?3` limit, `?4` offset; the rows' columns are [`EPISODE_COLUMNS`] and
/// the number of matches on all pages.
fn list_page_sql(sort: ListSort, descending: bool) -> String {
    let key = match sort {
        // The ties below are the whole order already.
        ListSort::Number => "NULL",
        ListSort::Date => "e.published",
        ListSort::Title => "e.title",
        // The words of the source `episode_row` puts first.
        ListSort::Words => {
            "COALESCE((SELECT t.words FROM transcripts t WHERE t.episode_id = e.id
                ORDER BY podcorpus_source_rank(t.source), t.source LIMIT 1), 0)"
        }
        ListSort::Duration => "e.duration_ms",
    };
    // Descending reverses ties too, as reversing a stably sorted list does;
    // (collection, number) is unique, so the order is total. NULL sorts
    // first ascending and last descending, as `None` does in Rust (SQLite's
    // default; PostgreSQL's is the other way, hence the NULLS clause).
    let (dir, nulls) = if descending {
        ("DESC", "NULLS LAST")
    } else {
        ("ASC", "NULLS FIRST")
    };
    // The page's ids first, then the full columns (transcripts and
    // memberships gathered) for those rows only.
    format!(
        "WITH hits AS (
            SELECT e.id AS id, {key} AS k, c.name AS cname, m.number AS num,
                   COUNT(*) OVER () AS total
            FROM {NAMED_EPISODES} WHERE {LIST_PAGE_FILTER}
            ORDER BY k {dir} {nulls}, cname {dir}, num {dir} LIMIT ?3 OFFSET ?4)
         SELECT {EPISODE_COLUMNS}, h.total FROM hits h
         JOIN episodes e ON e.id = h.id
         JOIN memberships m ON m.episode_id = e.id AND m.collection_id = e.collection_id
         JOIN collections c ON c.id = m.collection_id
         ORDER BY h.k {dir} {nulls}, h.cname {dir}, h.num {dir}"
    )
}

/// The collections some episode's home is in, by name.
static COLLECTION_NAMES_SQL: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT DISTINCT c.name FROM {NAMED_EPISODES}
         WHERE m.collection_id = e.collection_id ORDER BY c.name"
    )
});

/// An episode by `COLLECTION/NUMBER`: `?1` the name, `?2` the number.
static BY_NAME_SQL: LazyLock<String> = LazyLock::new(|| {
    format!("SELECT {EPISODE_COLUMNS} FROM {NAMED_EPISODES} WHERE c.name = ?1 AND m.number = ?2")
});

/// Episodes numbered `?1` in some collection, their home membership first.
static BY_NUMBER_SQL: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT {EPISODE_COLUMNS} FROM {NAMED_EPISODES}
         WHERE m.number = ?1 ORDER BY m.collection_id <> e.collection_id, c.name"
    )
});

/// Episodes of video `?1`, each under its home collection (`?2` NULL).
static BY_VIDEO_SQL: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT {EPISODE_COLUMNS} FROM {NAMED_EPISODES} WHERE e.video_id = ?1 AND {}",
        in_collection(2)
    )
});

/// An episode's (`?1`) comments ordered by `$order`.
macro_rules! comments_sql {
    ($order:literal) => {
        concat!(
            "SELECT comment_id, parent, author, by_uploader, pinned, favorited, text, likes, time
             FROM comments WHERE episode_id = ?1 ORDER BY ",
            $order
        )
    };
}

impl Store {
    /// Episodes ordered by collection and number.
    pub fn list(&self, filter: &ListFilter) -> Result<Vec<EpisodeRow>> {
        self.db()
            .query_map(&LIST_SQL, p![filter.collection.as_deref()], episode_row)
    }

    /// One page of the episodes, filtered, sorted and paged by the engine,
    /// with the number of episodes matching the filter on all pages. The
    /// rows equal those of [`Store::list`] (one per episode, under its home
    /// collection) that match, in the order asked.
    pub fn list_page(&self, page: &ListPage) -> Result<(Vec<EpisodeRow>, usize)> {
        let text = page.text.as_deref().filter(|t| !t.trim().is_empty());
        let collection = page.collection.as_deref().filter(|c| !c.is_empty());
        let at = ListSort::ALL
            .iter()
            .position(|&s| s == page.sort)
            .unwrap_or(0);
        let sql = &LIST_PAGE_SQL[at * 2 + usize::from(page.descending)];
        // The engines' integers are i64: a larger offset or limit is "all the rest".
        let limit = i64::try_from(page.limit).unwrap_or(i64::MAX);
        let offset = i64::try_from(page.offset).unwrap_or(i64::MAX);
        let db = self.db();
        let mut total = None;
        let rows = db.query_map(sql, p![collection, text, limit, offset], |r| {
            total = Some(r.get::<i64>(11)?);
            episode_row(r)
        })?;
        let total = match total {
            Some(n) => n,
            // An empty page tells no total; only a page past the start (or
            // of no rows) can be empty while some episodes match.
            None if page.offset == 0 && page.limit > 0 => 0,
            None => db.one(&LIST_PAGE_COUNT_SQL, p![collection, text])?,
        };
        Ok((rows, usize::try_from(total).unwrap_or(0)))
    }

    /// The collections episodes are shown under (some episode's home), by
    /// name: the collections [`Store::list`] rows name.
    pub fn collection_names(&self) -> Result<Vec<String>> {
        self.db()
            .query_map(&COLLECTION_NAMES_SQL, &[], |r| r.get(0))
    }

    /// Number of episodes stored.
    pub fn episode_count(&self) -> Result<i64> {
        self.db().one("SELECT COUNT(*) FROM episodes", &[])
    }

    /// Finds the episode a user named: `COLLECTION/NUMBER` (any of its
    /// memberships), a bare number when only one episode has it, or a
    /// YouTube video id.
    pub fn resolve(&self, name: &str) -> Result<EpisodeRow> {
        self.resolve_ref(&EpisodeRef::parse(name))
    }

    /// [`Store::resolve`] for a parsed reference.
    pub fn resolve_ref(&self, reference: &EpisodeRef) -> Result<EpisodeRow> {
        let db = self.db();
        let mut candidates: Vec<EpisodeRow> = match reference {
            EpisodeRef::Named(n) => {
                let found = db.query_opt(&BY_NAME_SQL, p![&n.collection, n.number], episode_row)?;
                return found.ok_or_else(|| {
                    StoreError::NotFound(format!(
                        "no episode {} in collection {:?}; `podcorpus list` shows what is there",
                        n.number, n.collection
                    ))
                });
            }
            EpisodeRef::Number(n) => {
                let mut all = db.query_map(&BY_NUMBER_SQL, p![*n], episode_row)?;
                // One episode numbered so in two collections is still one episode.
                let mut seen = std::collections::HashSet::new();
                all.retain(|r| seen.insert(r.id));
                all
            }
            // Other sites than YouTube have ids of other shapes: any text may be one.
            EpisodeRef::Video(_) | EpisodeRef::Unknown(_) => {
                let id = match reference {
                    EpisodeRef::Video(v) => v.as_str().to_string(),
                    other => other.to_string(),
                };
                db.query_map(&BY_VIDEO_SQL, p![&id, None::<&str>], episode_row)?
            }
        };
        match candidates.len() {
            0 => Err(StoreError::NotFound(format!(
                "no episode named {:?}; name one as COLLECTION/NUMBER, NUMBER or a video id (`podcorpus list` shows them)",
                reference.to_string()
            ))),
            1 => Ok(candidates.remove(0)),
            _ => {
                let names: Vec<String> = candidates.iter().map(|c| c.name().to_string()).collect();
                Err(StoreError::NotFound(format!(
                    "{:?} is ambiguous: it could be {}; name it as COLLECTION/NUMBER",
                    reference.to_string(),
                    names.join(", ")
                )))
            }
        }
    }

    /// An episode's comments: the most liked first (as `show` lists
    /// them), or in the order they were fetched (yt-dlp's: each thread's
    /// comment, then its replies), as exports keep them.
    pub fn comments(&self, episode_id: i64, most_liked_first: bool) -> Result<Vec<Comment>> {
        let sql = if most_liked_first {
            comments_sql!("likes IS NULL, likes DESC, idx")
        } else {
            comments_sql!("idx")
        };
        self.db().query_map(sql, p![episode_id], |r| {
            Ok(Comment {
                id: r.get(0)?,
                parent: r.get(1)?,
                author: r.get(2)?,
                by_uploader: r.get(3)?,
                pinned: r.get(4)?,
                favorited: r.get(5)?,
                text: r.get(6)?,
                likes: r.get::<Option<i64>>(7)?.and_then(|l| u64::try_from(l).ok()),
                time: r.get(8)?,
            })
        })
    }

    /// One episode in full; with `text`, each transcript's text too.
    pub fn show(&self, name: &str, text: bool) -> Result<EpisodeDetail> {
        let row = self.resolve(name)?;
        let db = self.db();
        let (description, tags): (Option<String>, String) = db.query_row(
            "SELECT description, tags FROM episodes WHERE id = ?1",
            p![row.id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let chapters = db.query_map(CHAPTERS, p![row.id, None::<&str>], |r| {
            Ok(ChapterRow {
                title: r.get(0)?,
                start_ms: r.get(1)?,
                text_pos: r.get(2)?,
            })
        })?;
        let mut transcripts = db.query_map(
            "SELECT id, source, language, words, segments FROM transcripts WHERE episode_id = ?1",
            p![row.id],
            |r| {
                Ok(TranscriptRow {
                    id: r.get(0)?,
                    source: r.get(1)?,
                    language: r.get(2)?,
                    words: r.get(3)?,
                    segments: r.get(4)?,
                    text: None,
                })
            },
        )?;
        transcripts.sort_by(|a, b| {
            source_rank(&a.source)
                .cmp(&source_rank(&b.source))
                .then(a.source.cmp(&b.source))
        });
        if text {
            for t in &mut transcripts {
                t.text = Some(self.transcript_text(t.id)?);
            }
        }
        let summaries = db.query_map(
            "SELECT kind, method, model, created, text, params, prompt_hash, usage, subject
             FROM summaries WHERE episode_id = ?1 ORDER BY id",
            p![row.id],
            |r| {
                Ok(SummaryRow {
                    kind: r.get(0)?,
                    method: r.get(1)?,
                    model: r.get(2)?,
                    created: r.get(3)?,
                    text: r.get(4)?,
                    params: r.text(5)?.and_then(|p| serde_json::from_str(p).ok()),
                    prompt_hash: r.get(6)?,
                    usage: r.text(7)?.and_then(|u| serde_json::from_str(u).ok()),
                    subject: crate::summaries::subject_column(r.get(8)?)?,
                })
            },
        )?;
        let comments = self.comments(row.id, true)?;
        Ok(EpisodeDetail {
            comments,
            row,
            description,
            tags: serde_json::from_str(&tags)
                .map_err(|e| StoreError::Corrupt(format!("episode tags: {e}")))?,
            chapters,
            transcripts,
            summaries,
        })
    }

    /// A transcript's segment texts joined by one space (empty ones skipped).
    pub fn transcript_text(&self, transcript_id: i64) -> Result<String> {
        let mut out = String::new();
        self.db().each(
            "SELECT text FROM segments WHERE transcript_id = ?1 ORDER BY idx",
            p![transcript_id],
            &mut |r| {
                let t = r
                    .text(0)
                    .map_err(|e| StoreError::Corrupt(format!("segment text: {e}")))?
                    .ok_or_else(|| StoreError::Corrupt("segment text: NULL".into()))?;
                if t.is_empty() {
                    return Ok(());
                }
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(t);
                Ok(())
            },
        )?;
        Ok(out)
    }
}

/// A transcript and the episode it belongs to: the unit that search,
/// statistics, comparison and export walk over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TranscriptRef {
    /// Transcript id (for [`Store::segments`] and [`Store::transcript_text`]).
    pub id: i64,
    /// Episode id.
    pub episode_id: i64,
    /// Collection name.
    pub collection: String,
    /// Episode number.
    pub number: i64,
    /// Episode title.
    pub title: Option<String>,
    /// YouTube video id.
    pub video_id: Option<String>,
    /// ISO date.
    pub published: Option<String>,
    /// Guests.
    pub guests: Vec<String>,
    /// Source name.
    pub source: String,
    /// Language.
    pub language: Option<String>,
    /// Word count.
    pub words: i64,
    /// Every collection the episode is in, with its number there.
    pub collections: Vec<EpisodeName>,
}

/// Which transcripts to walk.
#[derive(Debug, Clone, Default)]
pub struct TranscriptFilter {
    /// Only this collection.
    pub collection: Option<String>,
    /// Only this source.
    pub source: Option<String>,
    /// Only episodes published on or after this ISO date.
    pub since: Option<String>,
    /// Only episodes published on or before this ISO date.
    pub until: Option<String>,
    /// Only this episode (id).
    pub episode_id: Option<i64>,
    /// Every source of each episode, not only the best one.
    pub all_sources: bool,
}

/// [`Store::transcripts`]'s query: `?1` collection, `?2` source, `?3`
/// since, `?4` until, `?5` episode id, each ignored when NULL. (The casts
/// give PostgreSQL the parameters' types where it first meets them.)
static TRANSCRIPTS_SQL: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT t.id, e.id, c.name, m.number, e.title, e.video_id, e.published, e.guests,
                t.source, t.language, t.words, {MEMBERSHIPS}
         FROM {NAMED_EPISODES} JOIN transcripts t ON t.episode_id = e.id
         WHERE {} AND (CAST(?2 AS TEXT) IS NULL OR t.source = ?2)
           AND (CAST(?3 AS TEXT) IS NULL OR e.published >= ?3)
           AND (CAST(?4 AS TEXT) IS NULL OR e.published <= ?4)
           AND (CAST(?5 AS BIGINT) IS NULL OR e.id = ?5)
         ORDER BY c.name, m.number, t.source",
        in_collection(1)
    )
});

impl Store {
    /// Transcripts matching the filter, ordered by collection and episode
    /// number; by default only the best source of each episode
    /// ([`podcorpus_core::source_rank`]).
    pub fn transcripts(&self, f: &TranscriptFilter) -> Result<Vec<TranscriptRef>> {
        let all: Vec<TranscriptRef> = self.db().query_map(
            &TRANSCRIPTS_SQL,
            p![
                f.collection.as_deref(),
                f.source.as_deref(),
                f.since.as_deref(),
                f.until.as_deref(),
                f.episode_id
            ],
            |r| {
                let guests: String = r.get(7)?;
                Ok(TranscriptRef {
                    id: r.get(0)?,
                    episode_id: r.get(1)?,
                    collection: r.get(2)?,
                    number: r.get(3)?,
                    title: r.get(4)?,
                    video_id: r.get(5)?,
                    published: r.get(6)?,
                    guests: serde_json::from_str(&guests).unwrap_or_default(),
                    source: r.get(8)?,
                    language: r.get(9)?,
                    words: r.get(10)?,
                    collections: memberships_of(r.get(11)?),
                })
            },
        )?;
        if f.all_sources || f.source.is_some() {
            return Ok(all);
        }
        let mut best: Vec<TranscriptRef> = Vec::with_capacity(all.len());
        for t in all {
            match best.last_mut() {
                Some(b) if b.episode_id == t.episode_id => {
                    if source_rank(&t.source) < source_rank(&b.source) {
                        *b = t;
                    }
                }
                _ => best.push(t),
            }
        }
        Ok(best)
    }

    /// A transcript's segments in order, with events and word timings.
    pub fn segments(&self, transcript_id: i64) -> Result<Vec<podcorpus_core::Segment>> {
        let mut out = Vec::new();
        self.db().each(
            "SELECT start_ms, end_ms, text, events, words FROM segments
             WHERE transcript_id = ?1 ORDER BY idx",
            p![transcript_id],
            &mut |r| {
                let events = match r.text(3)? {
                    Some(e) => serde_json::from_str(e)
                        .map_err(|e| StoreError::Corrupt(format!("segment events: {e}")))?,
                    None => Vec::new(),
                };
                let words: Vec<(u64, String)> = match r.text(4)? {
                    Some(w) => serde_json::from_str(w)
                        .map_err(|e| StoreError::Corrupt(format!("segment words: {e}")))?,
                    None => Vec::new(),
                };
                out.push(podcorpus_core::Segment {
                    start_ms: r.get::<Option<i64>>(0)?.map(|v| v as u64),
                    end_ms: r.get::<Option<i64>>(1)?.map(|v| v as u64),
                    text: r.get(2)?,
                    events,
                    words: words
                        .into_iter()
                        .map(|(start_ms, word)| podcorpus_core::WordTiming { start_ms, word })
                        .collect(),
                });
                Ok(())
            },
        )?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(id: &str, parent: Option<&str>, time: Option<&str>) -> CommentRow {
        CommentRow {
            id: Some(id.into()),
            parent: parent.map(Into::into),
            author: None,
            by_uploader: false,
            pinned: id == "pinned",
            favorited: false,
            text: id.into(),
            likes: None,
            time: time.map(Into::into),
        }
    }

    #[test]
    fn threads_keep_every_comment_once_whatever_the_parents_say() {
        let comments = vec![
            c("a", None, None),
            c("a.2", Some("a"), Some("2020-01-02T00:00:00Z")),
            c("a.1", Some("a"), Some("2020-01-01T00:00:00Z")),
            // A reply to a reply joins the thread it belongs to.
            c("a.1.x", Some("a.1"), None),
            c("pinned", None, None),
            // Parents that answer each other, and one that was never fetched.
            c("x", Some("y"), None),
            c("y", Some("x"), None),
            c("z", Some("gone"), None),
            // A comment that names itself as its parent.
            c("self", Some("self"), None),
        ];
        let t = threads(&comments);
        let mut seen: Vec<usize> = t
            .iter()
            .flat_map(|t| std::iter::once(t.root).chain(t.replies.iter().copied()))
            .collect();
        seen.sort_unstable();
        assert_eq!(seen, (0..comments.len()).collect::<Vec<_>>());
        assert_eq!(comments[t[0].root].text, "pinned");
        let a = t.iter().find(|t| t.root == 0).expect("thread a");
        assert_eq!(a.replies, vec![2, 1, 3]);
        assert!(t.iter().any(|t| t.root == 7 && t.replies.is_empty()));
        assert!(t.iter().any(|t| t.root == 8));
    }
}
