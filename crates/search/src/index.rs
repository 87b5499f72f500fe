//! Building and updating the index folder beside the database. Each commit
//! carries, as its payload, a fingerprint of every transcript it holds and
//! of every episode's comments; an update compares those with the store and
//! re-indexes only the transcripts that are new or changed (or whose episode
//! changed: its title, its best source), deleting the passages of those that
//! changed or went away, and likewise the comments of each episode.

use crate::passages::{self, Cue, Passage};
use crate::schema::{self, Fields};
use crate::tokens;
use crate::{Result, SearchError};
use podcorpus_core::EpisodeName;
use podcorpus_core::{source_rank, Segment};
use podcorpus_store::query::{TranscriptFilter, TranscriptRef};
use podcorpus_store::seams::SearchFeed;
use podcorpus_store::search_feed::CommentedEpisode;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use tantivy::collector::Count;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::schema::{Schema, Value};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

/// The index folder of a corpus: `<db path>.index`, or for a server a
/// folder of this machine's cache (see `podcorpus_store::location::derived`).
pub fn index_dir(db: &Path) -> PathBuf {
    podcorpus_store::location::derived(db, ".index")
}

/// What the last commit indexed, stored as the commit's payload.
#[derive(Debug, Default, Serialize, Deserialize)]
struct State {
    version: u32,
    /// Transcript id → fingerprint.
    transcripts: BTreeMap<i64, String>,
    /// Episode id → fingerprint of its comments, for episodes with comments.
    #[serde(default)]
    comments: BTreeMap<i64, String>,
}

/// What an update did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct UpdateReport {
    /// Whether the index was built from nothing.
    pub rebuilt: bool,
    /// Transcripts (re)indexed.
    pub indexed: u64,
    /// Transcripts whose passages were removed (changed or gone).
    pub removed: u64,
    /// Transcripts left as they were.
    pub unchanged: u64,
    /// Passages written.
    pub passages: u64,
    /// Episodes whose comments were (re)indexed.
    pub comments_indexed: u64,
    /// Episodes whose comments were removed (changed or gone).
    pub comments_removed: u64,
    /// Comments written.
    pub comments: u64,
}

/// An open index, ready to search.
pub struct SearchIndex {
    pub(crate) reader: IndexReader,
    pub(crate) fields: Fields,
    dir: PathBuf,
}

fn ix<T>(dir: &Path, r: tantivy::Result<T>) -> Result<T> {
    r.map_err(|cause| SearchError::Index {
        path: dir.display().to_string(),
        cause,
    })
}

fn io_err(dir: &Path, e: std::io::Error) -> SearchError {
    SearchError::Index {
        path: dir.display().to_string(),
        cause: tantivy::TantivyError::from(e),
    }
}

impl SearchIndex {
    /// Brings the index of the store up to date (building it when absent or
    /// unreadable), then opens it for searching.
    pub fn open_current(store: &dyn SearchFeed, dir: &Path) -> Result<(SearchIndex, UpdateReport)> {
        let report = update(store, dir, false)?;
        Ok((SearchIndex::reading(&open_dir(dir)?, dir)?, report))
    }

    /// A searcher of `index` (at `dir`) that reloads when asked.
    fn reading(index: &Index, dir: &Path) -> Result<SearchIndex> {
        let reader = ix(
            dir,
            index
                .reader_builder()
                .reload_policy(ReloadPolicy::Manual)
                .try_into(),
        )?;
        Ok(SearchIndex {
            reader,
            fields: schema::build().1,
            dir: dir.to_path_buf(),
        })
    }

    /// Opens the index at `dir` as it is, for a reader that must not change
    /// the corpus: nothing is updated, built or written (see
    /// [`crate::read_only`]). Also says, when it is behind the store, how far
    /// and which command brings it up to date; it still searches what it
    /// holds. An index that is absent or of another version is an error
    /// that names the command that builds it.
    pub fn open_read_only(
        store: &dyn SearchFeed,
        dir: &Path,
    ) -> Result<(SearchIndex, Option<String>)> {
        let unbuilt = |why: &str| {
            Err(SearchError::Unbuilt(format!(
                "search is off: {why} at {}; `podcorpus reindex` builds it",
                dir.display()
            )))
        };
        if !dir.join("meta.json").is_file() {
            return unbuilt("there is no search index");
        }
        let directory = ix(dir, crate::read_only::ReadOnlyDirectory::open(dir))?;
        let index = ix(dir, Index::open(directory))?;
        with_analyzer(&index);
        let Some(state) = committed(&index, &schema::build().0) else {
            return unbuilt("the search index was built by another version of podcorpus");
        };
        let searcher = SearchIndex::reading(&index, dir)?;
        let transcripts = behind(&state.transcripts, &wanted(store, None)?);
        let comments = behind(&state.comments, &wanted_comments(store, None)?);
        let mut what = Vec::new();
        if let Some((changed, gone)) = transcripts {
            what.push(format!("{changed} transcripts new or changed, {gone} gone"));
        }
        if let Some((changed, gone)) = comments {
            what.push(format!(
                "the comments of {changed} episodes new or changed, of {gone} gone"
            ));
        }
        let advice = (!what.is_empty()).then(|| {
            format!(
                "the search index at {} is behind the corpus ({}): searches miss them until `podcorpus reindex` or the next import updates it",
                dir.display(),
                what.join("; ")
            )
        });
        Ok((searcher, advice))
    }

    /// Sees what another process (an `import`, a `reindex`) has committed
    /// to the index since it was opened or last reloaded.
    pub fn reload(&self) -> Result<()> {
        ix(&self.dir, self.reader.reload())
    }

    /// Number of passages indexed.
    pub fn passages(&self) -> u64 {
        self.count(schema::KIND_TRANSCRIPT)
    }

    /// Number of comments indexed.
    pub fn comments(&self) -> u64 {
        self.count(schema::KIND_COMMENT)
    }

    /// Live documents of one kind. These are figures to show: one that
    /// cannot be read counts as 0 rather than failing what shows it.
    fn count(&self, kind: &str) -> u64 {
        let q = TermQuery::new(
            Term::from_field_text(self.fields.kind, kind),
            IndexRecordOption::Basic,
        );
        self.reader
            .searcher()
            .search(&q, &Count)
            .map_or(0, |n| n as u64)
    }
}

/// What the index should hold for a transcript: its reference, whether it
/// is its episode's best source, and its fingerprint.
type Wanted = (TranscriptRef, bool, String);

/// The transcripts the store holds (of one episode, or all of them), with
/// whether each is its episode's best source and its fingerprint.
fn wanted(store: &dyn SearchFeed, episode_id: Option<i64>) -> Result<BTreeMap<i64, Wanted>> {
    let all = store.transcripts(&TranscriptFilter {
        all_sources: true,
        episode_id,
        ..TranscriptFilter::default()
    })?;
    let content = match episode_id {
        Some(e) => store.episode_fingerprints(e)?,
        None => store.transcript_fingerprints()?,
    };
    Ok(fingerprint(all, &content))
}

/// Fingerprints `all` (every source of each of their episodes, in the
/// store's order), marking each episode's best source as
/// [`Store::transcripts`] chooses it: the first of the lowest rank.
fn fingerprint(all: Vec<TranscriptRef>, content: &HashMap<i64, String>) -> BTreeMap<i64, Wanted> {
    let mut best: HashMap<i64, (u8, i64)> = HashMap::new();
    for t in &all {
        let rank = source_rank(&t.source);
        let b = best.entry(t.episode_id).or_insert((rank, t.id));
        if rank < b.0 {
            *b = (rank, t.id);
        }
    }
    all.into_iter()
        .map(|t| {
            let is_best = best.get(&t.episode_id).map(|b| b.1) == Some(t.id);
            let fp = hash_parts(&[
                content.get(&t.id).map_or("", String::as_str),
                &t.collection,
                &t.number.to_string(),
                t.title.as_deref().unwrap_or(""),
                &t.guests.join("\u{1f}"),
                t.published.as_deref().unwrap_or(""),
                t.video_id.as_deref().unwrap_or(""),
                &t.source,
                &joined(&t.collections),
                if is_best { "best" } else { "" },
            ]);
            (t.id, (t, is_best, fp))
        })
        .collect()
}

/// What the index should hold for an episode's comments: the episode, and
/// the fingerprint of its comments and of the episode fields they carry.
type WantedComments = (CommentedEpisode, String);

/// The episodes with comments the store holds (one, or all of them), with
/// their fingerprints.
fn wanted_comments(
    store: &dyn SearchFeed,
    episode_id: Option<i64>,
) -> Result<BTreeMap<i64, WantedComments>> {
    Ok(store
        .commented_episodes(episode_id)?
        .into_iter()
        .map(|e| {
            let fp = hash_parts(&[
                &e.comments,
                &e.collection,
                &e.number.to_string(),
                e.title.as_deref().unwrap_or(""),
                &e.guests.join("\u{1f}"),
                e.published.as_deref().unwrap_or(""),
                e.video_id.as_deref().unwrap_or(""),
                &joined(&e.collections),
            ]);
            (e.episode_id, (e, fp))
        })
        .collect())
}

/// Memberships as one string, for a fingerprint.
fn joined(collections: &[EpisodeName]) -> String {
    collections
        .iter()
        .map(|n| n.to_string())
        .collect::<Vec<_>>()
        .join("\u{1f}")
}

/// A short hash of the parts, each ended by a separator no part holds.
fn hash_parts(parts: &[&str]) -> String {
    let mut h = blake3::Hasher::new();
    for part in parts {
        h.update(str::as_bytes(part));
        h.update(b"\x1e");
    }
    h.finalize().to_hex()[..16].to_string()
}

/// Something the index keeps with a fingerprint: a transcript, an episode's comments.
trait Fingerprinted {
    fn fingerprint(&self) -> &str;
}

impl Fingerprinted for Wanted {
    fn fingerprint(&self) -> &str {
        &self.2
    }
}

impl Fingerprinted for WantedComments {
    fn fingerprint(&self) -> &str {
        &self.1
    }
}

/// How far an index's last commit (`committed`: id → fingerprint) is behind
/// what the store holds: entries new or changed, and entries gone; `None`
/// when current.
fn behind<W: Fingerprinted>(
    committed: &BTreeMap<i64, String>,
    wanted: &BTreeMap<i64, W>,
) -> Option<(usize, usize)> {
    let changed = wanted
        .iter()
        .filter(|(id, w)| committed.get(id).map(String::as_str) != Some(w.fingerprint()))
        .count();
    let gone = committed
        .keys()
        .filter(|id| !wanted.contains_key(id))
        .count();
    (changed + gone > 0).then_some((changed, gone))
}

/// Registers the index's analyzer, which tantivy does not keep on disk.
fn with_analyzer(index: &Index) {
    index
        .tokenizers()
        .register(tokens::ANALYZER, tokens::Words::default());
}

/// Opens the index at `dir`, ready to tokenize.
fn open_dir(dir: &Path) -> Result<Index> {
    let index = ix(dir, Index::open_in_dir(dir))?;
    with_analyzer(&index);
    Ok(index)
}

/// What the index's last commit holds, when it was made by this version
/// with `schema`; `None` when it is unreadable or of another version.
fn committed(index: &Index, schema: &Schema) -> Option<State> {
    let state: State = index
        .load_metas()
        .ok()
        .and_then(|m| m.payload)
        .and_then(|p| serde_json::from_str(&p).ok())?;
    (state.version == schema::VERSION && index.schema() == *schema).then_some(state)
}

/// Opens the index at `dir` with what it last committed, or creates an empty
/// one when it is absent, unreadable, of another version, or `fresh` is asked.
fn open_or_create(dir: &Path, schema: &Schema, fresh: bool) -> Result<(Index, State, bool)> {
    if !fresh && dir.join("meta.json").exists() {
        if let Ok(index) = open_dir(dir) {
            if let Some(state) = committed(&index, schema) {
                return Ok((index, state, false));
            }
        }
    }
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(|e| io_err(dir, e))?;
    }
    std::fs::create_dir_all(dir).map_err(|e| io_err(dir, e))?;
    let index = ix(dir, Index::create_in_dir(dir, schema.clone()))?;
    with_analyzer(&index);
    Ok((index, State::default(), true))
}

/// Brings the index at `dir` up to date with the store; `rebuild` starts from
/// nothing. Only transcripts that are new or changed are read and indexed.
pub fn update(store: &dyn SearchFeed, dir: &Path, rebuild: bool) -> Result<UpdateReport> {
    Update::begin(dir, rebuild)?.finish(store)
}

/// An index update in progress. An import hands it each episode as soon as
/// the episode's file is committed ([`Update::episodes`]), so that indexing
/// runs beside the store's writes; [`Update::finish`] then brings whatever
/// else changed up to date and commits once. Nothing is visible to searches
/// before that commit, and a process killed before it leaves the last
/// commit in place: the next update indexes what is missing.
pub struct Update {
    dir: PathBuf,
    index: Index,
    fields: Fields,
    /// What the last commit holds.
    state: State,
    /// The index was created empty by this update.
    created: bool,
    /// Opened on the first document or deletion.
    writer: Option<IndexWriter>,
    /// Transcripts indexed by this update, with the fingerprint they had.
    added: HashMap<i64, String>,
    passages: u64,
    /// Episodes whose comments this update indexed, with their fingerprint.
    comments_added: HashMap<i64, String>,
    comments: u64,
}

impl Update {
    /// Opens the index at `dir` (creating it when absent, unreadable, of
    /// another version, or when `rebuild` asks) for an update.
    pub fn begin(dir: &Path, rebuild: bool) -> Result<Update> {
        let (schema, fields) = schema::build();
        let (index, state, created) = open_or_create(dir, &schema, rebuild)?;
        Ok(Update {
            dir: dir.to_path_buf(),
            index,
            fields,
            state,
            created,
            writer: None,
            added: HashMap::new(),
            passages: 0,
            comments_added: HashMap::new(),
            comments: 0,
        })
    }

    fn writer(&mut self) -> Result<&mut IndexWriter> {
        let w = match self.writer.take() {
            Some(w) => w,
            None => open_writer(&self.index, &self.dir)?,
        };
        Ok(self.writer.insert(w))
    }

    /// Indexes the transcripts and comments of these episodes as the store
    /// has them now, unless they are indexed already with the same
    /// fingerprint. `segments` holds, by transcript id, segments the caller
    /// has at hand (the import, as it parsed them); the others are read from
    /// the store.
    pub fn episodes(
        &mut self,
        store: &dyn SearchFeed,
        episode_ids: &[i64],
        segments: Vec<(i64, Vec<Segment>)>,
    ) -> Result<()> {
        let mut given: HashMap<i64, Vec<Segment>> = segments.into_iter().collect();
        for &e in episode_ids {
            for (id, w) in wanted(store, Some(e))? {
                if !self.is_current(id, &w.2) {
                    self.put(store, id, &w, given.remove(&id))?;
                }
            }
            for (id, w) in wanted_comments(store, Some(e))? {
                if !self.comments_current(id, &w.1) {
                    self.put_comments(store, &w)?;
                }
            }
        }
        Ok(())
    }

    /// Whether the index holds the comments of episode `id` as
    /// fingerprinted `fp`: indexed by this update, or else by the last commit.
    fn comments_current(&self, id: i64, fp: &str) -> bool {
        match self.comments_added.get(&id) {
            Some(added) => added == fp,
            None => self.state.comments.get(&id).map(String::as_str) == Some(fp),
        }
    }

    /// (Re)indexes one episode's comments: the old ones go, the current ones come.
    fn put_comments(&mut self, store: &dyn SearchFeed, (e, fp): &WantedComments) -> Result<()> {
        let id = e.episode_id;
        let was_there =
            self.comments_added.contains_key(&id) || self.state.comments.contains_key(&id);
        let comments = store.comments(id, false)?;
        let fields = self.fields;
        let dir = self.dir.clone();
        let writer = self.writer()?;
        if was_there {
            writer.delete_term(Term::from_field_u64(fields.episode, id as u64));
        }
        for (i, c) in comments.iter().enumerate() {
            ix(
                &dir,
                writer.add_document(crate::comments::document(&fields, e, i, c)),
            )?;
        }
        self.comments += comments.len() as u64;
        self.comments_added.insert(id, fp.clone());
        Ok(())
    }

    /// Whether the index holds transcript `id` as fingerprinted `fp`: indexed
    /// by this update, or else by the last commit.
    fn is_current(&self, id: i64, fp: &str) -> bool {
        match self.added.get(&id) {
            Some(added) => added == fp,
            None => self.state.transcripts.get(&id).map(String::as_str) == Some(fp),
        }
    }

    /// (Re)indexes one transcript: its old passages go, its current ones
    /// come (from `segments` when given, else from the store).
    fn put(
        &mut self,
        store: &dyn SearchFeed,
        id: i64,
        (t, best, fp): &Wanted,
        segments: Option<Vec<Segment>>,
    ) -> Result<()> {
        let was_there = self.added.contains_key(&id) || self.state.transcripts.contains_key(&id);
        let segments = match segments {
            Some(s) => s,
            None => store.segments(id)?,
        };
        let fields = self.fields;
        let dir = self.dir.clone();
        let writer = self.writer()?;
        if was_there {
            writer.delete_term(Term::from_field_u64(fields.transcript, id as u64));
        }
        let mut n = 0;
        for p in passages::cut(&segments) {
            ix(
                &dir,
                writer.add_document(document(&fields, t, *best, &p, n)),
            )?;
            n += 1;
        }
        self.passages += n;
        self.added.insert(id, fp.clone());
        Ok(())
    }

    /// Brings the rest of the index up to date with the store (transcripts
    /// and comments not handed over, or changed since: a later file made
    /// another source the best) and commits, with every fingerprint.
    pub fn finish(mut self, store: &dyn SearchFeed) -> Result<UpdateReport> {
        let wanted = wanted(store, None)?;
        let wanted_comments = wanted_comments(store, None)?;
        let mut report = UpdateReport {
            rebuilt: self.created,
            ..UpdateReport::default()
        };
        // The last commit's transcripts that are gone or changed.
        report.removed = self
            .state
            .transcripts
            .iter()
            .filter(|(id, fp)| wanted.get(id).is_none_or(|w| &w.2 != *fp))
            .count() as u64;
        let gone: Vec<i64> = self
            .state
            .transcripts
            .keys()
            .chain(self.added.keys())
            .filter(|id| !wanted.contains_key(id))
            .copied()
            .collect();
        for (id, w) in &wanted {
            if !self.is_current(*id, &w.2) {
                self.put(store, *id, w, None)?;
            }
        }
        if !gone.is_empty() {
            let field = self.fields.transcript;
            let writer = self.writer()?;
            for id in gone {
                writer.delete_term(Term::from_field_u64(field, id as u64));
            }
        }
        // The same for each episode's comments.
        report.comments_removed = self
            .state
            .comments
            .iter()
            .filter(|(id, fp)| wanted_comments.get(id).is_none_or(|w| &w.1 != *fp))
            .count() as u64;
        let gone: Vec<i64> = self
            .state
            .comments
            .keys()
            .chain(self.comments_added.keys())
            .filter(|id| !wanted_comments.contains_key(id))
            .copied()
            .collect();
        for (id, w) in &wanted_comments {
            if !self.comments_current(*id, &w.1) {
                self.put_comments(store, w)?;
            }
        }
        if !gone.is_empty() {
            let field = self.fields.episode;
            let writer = self.writer()?;
            for id in gone {
                writer.delete_term(Term::from_field_u64(field, id as u64));
            }
        }
        report.indexed = self.added.len() as u64;
        report.unchanged = wanted
            .keys()
            .filter(|id| !self.added.contains_key(id))
            .count() as u64;
        report.passages = self.passages;
        report.comments_indexed = self.comments_added.len() as u64;
        report.comments = self.comments;
        if self.writer.is_none() && !self.created {
            return Ok(report);
        }
        // Commit, with what the index now holds as the payload (a new,
        // empty index too gets its first commit).
        let payload = State {
            version: schema::VERSION,
            transcripts: wanted.iter().map(|(id, w)| (*id, w.2.clone())).collect(),
            comments: wanted_comments
                .iter()
                .map(|(id, w)| (*id, w.1.clone()))
                .collect(),
        };
        let payload =
            serde_json::to_string(&payload).map_err(|e| SearchError::Option(e.to_string()))?;
        let mut writer = match self.writer.take() {
            Some(w) => w,
            None => open_writer(&self.index, &self.dir)?,
        };
        let mut commit = ix(&self.dir, writer.prepare_commit())?;
        commit.set_payload(&payload);
        ix(&self.dir, commit.commit())?;
        ix(&self.dir, writer.wait_merging_threads())?;
        Ok(report)
    }
}

/// A writer with one indexing thread per core (at most four).
fn open_writer(index: &Index, dir: &Path) -> Result<IndexWriter> {
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(1, 4));
    ix(
        dir,
        index.writer_with_num_threads(threads, threads * WRITER_MEMORY_PER_THREAD),
    )
}

/// The indexing memory of each of the writer's threads. Two threads of
/// 64 MB index Lexicap in four segments; an import runs the index beside its
/// own parsing, and the whole process stays under 300 MB.
const WRITER_MEMORY_PER_THREAD: usize = 64_000_000;

/// One passage as an index document.
fn document(
    f: &Fields,
    t: &TranscriptRef,
    best: bool,
    p: &Passage,
    position: u64,
) -> TantivyDocument {
    let mut d = TantivyDocument::default();
    d.add_text(f.kind, schema::KIND_TRANSCRIPT);
    d.add_text(f.text, &p.text);
    if let Some(title) = &t.title {
        d.add_text(f.title, title);
    }
    for g in &t.guests {
        d.add_text(f.guest, g);
    }
    add_collections(&mut d, f, &t.collection, &t.collections);
    d.add_text(f.source, &t.source);
    if let Some(v) = &t.video_id {
        d.add_text(f.video_id, v);
    }
    d.add_i64(f.number, t.number);
    d.add_u64(f.transcript, t.id as u64);
    d.add_u64(f.best, u64::from(best));
    if let Some(n) = t
        .published
        .as_deref()
        .and_then(|p| schema::date_number(p, false))
    {
        d.add_u64(f.published, n);
    }
    if let Some(ms) = p.start_ms {
        d.add_u64(f.start_ms, ms);
    }
    d.add_u64(f.own_len, p.own_len as u64);
    d.add_u64(f.position, position);
    if !p.before.is_empty() {
        d.add_text(f.before, &p.before);
    }
    d.add_bytes(f.cues, &pack_cues(&p.cues));
    d
}

/// Adds an episode's collections to a document: the shown one first (hits
/// read the first value), then every other membership, so that
/// `--collection` finds the episode through any.
pub(crate) fn add_collections(
    d: &mut TantivyDocument,
    f: &Fields,
    shown: &str,
    collections: &[EpisodeName],
) {
    d.add_text(f.collection, shown);
    for n in collections.iter().filter(|n| n.collection != shown) {
        d.add_text(f.collection, &n.collection);
    }
}

const NO_TIME: u64 = u64::MAX;

/// Cues as 12 bytes each: offset (u32 LE) and start ms (u64 LE, all ones when untimed).
fn pack_cues(cues: &[Cue]) -> Vec<u8> {
    let mut out = Vec::with_capacity(cues.len() * 12);
    for c in cues {
        out.extend_from_slice(&(c.offset.min(u32::MAX as usize) as u32).to_le_bytes());
        out.extend_from_slice(&c.start_ms.unwrap_or(NO_TIME).to_le_bytes());
    }
    out
}

fn unpack_cues(bytes: &[u8]) -> Vec<Cue> {
    bytes
        .chunks_exact(12)
        .map(|c| {
            let mut off = [0u8; 4];
            let mut ms = [0u8; 8];
            off.copy_from_slice(&c[..4]);
            ms.copy_from_slice(&c[4..]);
            let ms = u64::from_le_bytes(ms);
            Cue {
                offset: u32::from_le_bytes(off) as usize,
                start_ms: (ms != NO_TIME).then_some(ms),
            }
        })
        .collect()
}

/// A passage read back from the index, with its episode.
#[derive(Debug, Clone)]
pub struct StoredPassage {
    /// Own text and tail.
    pub text: String,
    /// Byte length of the own text.
    pub own_len: usize,
    /// Words before the passage.
    pub before: String,
    /// Collection name.
    pub collection: String,
    /// Episode number.
    pub number: i64,
    /// Episode title.
    pub title: Option<String>,
    /// Guests.
    pub guests: Vec<String>,
    /// Source name.
    pub source: String,
    /// Video id.
    pub video_id: Option<String>,
    /// Passage start.
    pub start_ms: Option<u64>,
    /// Cue starts.
    pub cues: Vec<Cue>,
    /// Its place in the transcript, from 0.
    pub position: u64,
}

impl StoredPassage {
    /// Reads the stored fields of a passage document.
    pub(crate) fn from_doc(f: &Fields, d: &TantivyDocument) -> StoredPassage {
        let s = |field| {
            d.get_first(field)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        let text = s(f.text).unwrap_or_default();
        let own_len = d
            .get_first(f.own_len)
            .and_then(|v| v.as_u64())
            .map_or(text.len(), |n| (n as usize).min(text.len()));
        StoredPassage {
            own_len,
            text,
            before: s(f.before).unwrap_or_default(),
            collection: s(f.collection).unwrap_or_default(),
            number: d.get_first(f.number).and_then(|v| v.as_i64()).unwrap_or(0),
            title: s(f.title),
            guests: d
                .get_all(f.guest)
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            source: s(f.source).unwrap_or_default(),
            video_id: s(f.video_id),
            start_ms: d.get_first(f.start_ms).and_then(|v| v.as_u64()),
            position: d
                .get_first(f.position)
                .and_then(|v| v.as_u64())
                .unwrap_or(0),
            cues: d
                .get_first(f.cues)
                .and_then(|v| v.as_bytes())
                .map(unpack_cues)
                .unwrap_or_default(),
        }
    }

    /// The start of the cue holding byte `offset` of the text, else the passage's start.
    pub fn time_at(&self, offset: usize) -> Option<u64> {
        passages::cue_start_at(&self.cues, offset).or(self.start_ms)
    }

    /// The link to a moment of this passage's video, when its id is known.
    pub fn url(&self, ms: Option<u64>) -> Option<String> {
        self.video_id.as_deref().map(|v| crate::youtube_url(v, ms))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cues_survive_packing() {
        let cues = vec![
            Cue {
                offset: 0,
                start_ms: Some(1_234),
            },
            Cue {
                offset: 57,
                start_ms: None,
            },
        ];
        assert_eq!(unpack_cues(&pack_cues(&cues)), cues);
        assert_eq!(
            index_dir(Path::new("/x/podcorpus.db")),
            PathBuf::from("/x/podcorpus.db.index")
        );
    }

    /// An index committed by the version before the analyzer's apostrophe
    /// rule (3: `don't` indexed as `don`, `t`) is of another version: the
    /// read-only opener's check refuses it and an update starts afresh.
    #[test]
    fn an_index_of_the_previous_version_is_rebuilt() -> Result<()> {
        let tmp = tempfile::tempdir().map_err(|e| io_err(Path::new("tmp"), e))?;
        let dir = tmp.path().join("x.index");
        let (schema, _) = schema::build();
        for (version, kept) in [(schema::VERSION - 1, false), (schema::VERSION, true)] {
            let (index, _, _) = open_or_create(&dir, &schema, true)?;
            let mut writer = open_writer(&index, &dir)?;
            let mut commit = ix(&dir, writer.prepare_commit())?;
            commit.set_payload(&format!(
                r#"{{"version":{version},"transcripts":{{"1":"f"}}}}"#
            ));
            ix(&dir, commit.commit())?;
            ix(&dir, writer.wait_merging_threads())?;
            drop(index);
            let index = open_dir(&dir)?;
            assert_eq!(committed(&index, &schema).is_some(), kept, "{version}");
            drop(index);
            let (_, state, created) = open_or_create(&dir, &schema, false)?;
            assert_eq!(
                (created, state.transcripts.len()),
                (!kept, usize::from(kept))
            );
        }
        Ok(())
    }
}
