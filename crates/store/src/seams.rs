//! The store as each kind of consumer sees it: one trait per consumer, as
//! `ReplyCache` is the summaries' view of a cache. The search index, the
//! analyses, the exports, the embeddings, the summaries and the import
//! depend on their trait, not on [`Store`]: a store of another kind (a
//! remote service, a Parquet folder) serves a consumer by implementing its
//! trait. [`Store`] implements them all, on whichever engine it is.

use crate::analysis_feed::SegmentView;
use crate::embeddings::{EmbeddedPassage, PassageKey};
use crate::export_feed::{
    CollectionInfo, ExportEpisode, ExportItem, ExportSelection, StoredDocument,
};
use crate::fetch_state::{FetchItem, FetchWorker, UnfinishedRun};
use crate::query::{
    EpisodeDetail, EpisodeRow, ListFilter, ListPage, TranscriptFilter, TranscriptRef,
};
use crate::search_feed::CommentedEpisode;
use crate::summaries::{NewSummary, StoredSummary};
use crate::write::{CollectionSpec, FileRecord, Written};
use crate::{Result, Store};
use podcorpus_core::{Chapter, Comment, Segment};
use std::collections::{HashMap, HashSet};

/// Declares a consumer's trait and implements it for [`Store`] by its
/// methods of the same names, so each signature is written once here.
macro_rules! seam {
    ($(#[$doc:meta])* $name:ident {
        $( $(#[$fdoc:meta])* fn $f:ident(&self $(, $a:ident : $t:ty)* $(,)?) -> $r:ty; )*
    }) => {
        $(#[$doc])*
        pub trait $name {
            $( $(#[$fdoc])* fn $f(&self $(, $a: $t)*) -> $r; )*
        }
        impl $name for Store {
            $( fn $f(&self $(, $a: $t)*) -> $r { Store::$f(self $(, $a)*) } )*
        }
    };
}

seam! {
    /// What the search index is built from: the transcripts and comments,
    /// with the fingerprints that tell what changed since the last build.
    SearchFeed {
        /// Transcript id → fingerprint of every transcript.
        fn transcript_fingerprints(&self) -> Result<HashMap<i64, String>>;
        /// Transcript id → fingerprint of one episode's transcripts.
        fn episode_fingerprints(&self, episode_id: i64) -> Result<HashMap<i64, String>>;
        /// Episodes with comments (one, or all), with their comments' fingerprints.
        fn commented_episodes(&self, episode_id: Option<i64>) -> Result<Vec<CommentedEpisode>>;
        /// Transcripts chosen by a filter.
        fn transcripts(&self, f: &TranscriptFilter) -> Result<Vec<TranscriptRef>>;
        /// A transcript's segments in order.
        fn segments(&self, transcript_id: i64) -> Result<Vec<Segment>>;
        /// An episode's comments.
        fn comments(&self, episode_id: i64, most_liked_first: bool) -> Result<Vec<Comment>>;
    }
}

seam! {
    /// What the corpus analyses read: transcripts and their segments streamed.
    AnalysisFeed {
        /// Transcripts chosen by a filter.
        fn transcripts(&self, f: &TranscriptFilter) -> Result<Vec<TranscriptRef>>;
        /// Calls `f` with every segment of a transcript, in order.
        fn for_each_segment(
            &self,
            transcript_id: i64,
            f: &mut dyn FnMut(SegmentView<'_>) -> Result<()>,
        ) -> Result<()>;
    }
}

seam! {
    /// What the exports read.
    ExportFeed {
        /// The episodes a selection names, in order.
        fn export_items(&self, sel: &ExportSelection) -> Result<Vec<ExportItem>>;
        /// One episode in full.
        fn export_episode(&self, item: &ExportItem) -> Result<ExportEpisode>;
        /// Every collection.
        fn collections(&self) -> Result<Vec<CollectionInfo>>;
        /// A notes collection's document, for write-back.
        fn notes_document(&self, collection: &str) -> Result<Option<StoredDocument>>;
        /// The episode a name names.
        fn resolve(&self, name: &str) -> Result<EpisodeRow>;
    }
}

seam! {
    /// What semantic search reads and writes: passages' vectors by model.
    EmbeddingStore {
        /// Transcript id → fingerprint of every transcript.
        fn transcript_fingerprints(&self) -> Result<HashMap<i64, String>>;
        /// Transcripts chosen by a filter.
        fn transcripts(&self, f: &TranscriptFilter) -> Result<Vec<TranscriptRef>>;
        /// A transcript's segments in order.
        fn segments(&self, transcript_id: i64) -> Result<Vec<Segment>>;
        /// The episode a name names.
        fn resolve(&self, name: &str) -> Result<EpisodeRow>;
        /// Transcript id → fingerprint it had when embedded with `model`.
        fn embedded_fingerprints(&self, model: &str) -> Result<HashMap<i64, String>>;
        /// Hashes of the texts `model` has vectors of.
        fn embedding_hashes(&self, model: &str) -> Result<HashSet<String>>;
        /// Stores vectors by text hash.
        fn save_embeddings(&self, model: &str, vectors: &[(String, Vec<f32>)]) -> Result<()>;
        /// Records a transcript's passages as embedded.
        fn save_passages(
            &self,
            model: &str,
            transcript_id: i64,
            fingerprint: &str,
            passages: &[PassageKey],
        ) -> Result<()>;
        /// Every embedded passage with its vector.
        fn embedded_passages(&self, model: &str) -> Result<Vec<EmbeddedPassage>>;
    }
}

seam! {
    /// What the summaries read and write (their cache of answers is
    /// `ReplyCache`, in the summarize crate).
    SummaryStore {
        /// A transcript's segments in order.
        fn segments(&self, transcript_id: i64) -> Result<Vec<Segment>>;
        /// An episode's chapters.
        fn chapters(&self, episode_id: i64) -> Result<Vec<Chapter>>;
        /// An episode's comments.
        fn comments(&self, episode_id: i64, most_liked_first: bool) -> Result<Vec<Comment>>;
        /// Stores summaries; returns their ids.
        fn save_summaries(&self, items: &[(i64, NewSummary)]) -> Result<Vec<i64>>;
    }
}

seam! {
    /// What an import writes through: whole files in transactions, with a
    /// savepoint per file.
    ImportWriter {
        /// Path → (content hash, collection) of every imported file.
        fn file_hashes(&self) -> Result<HashMap<String, (String, String)>>;
        /// Starts a write transaction.
        fn begin(&self) -> Result<()>;
        /// Commits it.
        fn commit(&self) -> Result<()>;
        /// Rolls it back.
        fn rollback(&self) -> Result<()>;
        /// Marks the start of one file inside the transaction.
        fn savepoint(&self) -> Result<()>;
        /// Keeps the file.
        fn release_savepoint(&self) -> Result<()>;
        /// Undoes the file, keeping the rest.
        fn undo_to_savepoint(&self) -> Result<()>;
        /// Runs `write` while the engine keeps its log short on the side
        /// (SQLite's checkpoints from a second connection).
        fn with_background_checkpoints(&self, write: &mut dyn FnMut()) -> Result<()>;
        /// Writes one parsed file.
        fn write_file(
            &self,
            file: &FileRecord,
            collection: &CollectionSpec,
            parsed: &podcorpus_core::Collect,
        ) -> Result<Written>;
    }
}

seam! {
    /// What fetch runs keep in the store: the run and its videos, the
    /// workers' claims under leases, and what each worker says it does.
    FetchQueue {
        /// Records a listed run; returns its id.
        fn fetch_run_create(&self, url: &str, options: &str, items: &[FetchItem]) -> Result<i64>;
        /// A run's videos in listing order.
        fn fetch_items(&self, run: i64) -> Result<Vec<FetchItem>>;
        /// Sets a video's outcome (one process: no lease to check).
        fn fetch_item_update(
            &self,
            run: i64,
            idx: i64,
            status: &str,
            reason: Option<&str>,
            attempts: i64,
        ) -> Result<()>;
        /// Marks a run finished.
        fn fetch_run_finish(&self, run: i64) -> Result<()>;
        /// The newest run that did not finish.
        fn fetch_unfinished_run(&self) -> Result<Option<UnfinishedRun>>;
        /// Video ids fetched already (or stored from a fetch).
        fn known_video_ids(&self) -> Result<HashSet<String>>;
        /// Whether several workers may share a run (a server).
        fn fetch_shared(&self) -> bool;
        /// The store's clock, ms since 1970: every worker's leases are on it.
        fn fetch_clock(&self) -> Result<i64>;
        /// Claims the next video for `worker` for `lease_ms`.
        fn fetch_claim(&self, run: i64, worker: &str, lease_ms: i64) -> Result<Option<FetchItem>>;
        /// Renews a claim; false when the worker no longer holds the video.
        fn fetch_renew(&self, run: i64, idx: i64, worker: &str, lease_ms: i64) -> Result<bool>;
        /// Sets the outcome of a held video; false when it is no longer held.
        fn fetch_item_finish(
            &self,
            run: i64,
            idx: i64,
            worker: &str,
            status: &str,
            reason: Option<&str>,
            attempts: i64,
        ) -> Result<bool>;
        /// Runs `f` while no other worker imports.
        fn fetch_exclusively(&self, f: &mut dyn FnMut()) -> Result<()>;
        /// A run's videos counted by status.
        fn fetch_run_counts(&self, run: i64) -> Result<Vec<(String, i64)>>;
        /// Videos of a run held by a live lease.
        fn fetch_held(&self, run: i64) -> Result<i64>;
        /// The newest run, finished or not.
        fn fetch_latest_run(&self) -> Result<Option<UnfinishedRun>>;
        /// Records what a worker is doing.
        fn fetch_worker_report(&self, w: &FetchWorker) -> Result<()>;
        /// Records that a worker is alive.
        fn fetch_worker_seen(&self, name: &str) -> Result<()>;
        /// The workers of a run.
        fn fetch_workers(&self, run: i64) -> Result<Vec<FetchWorker>>;
        /// The episode a fetched video became (by its id).
        fn resolve(&self, name: &str) -> Result<EpisodeRow>;
        /// The episode a transcribed file was stored in, as that source.
        fn episode_of_transcript_file(&self, path: &str, source: &str) -> Result<Option<i64>>;
        /// The names an episode has in its collections.
        fn memberships(&self, episode_id: i64) -> Result<Vec<podcorpus_core::EpisodeName>>;
    }
}

seam! {
    /// What readers ask of the corpus: `list`, `show`, the web reader's
    /// pages. (The commands that read through a consumer's trait above use
    /// that one.)
    Queries {
        /// Episodes by a filter, in list order.
        fn list(&self, filter: &ListFilter) -> Result<Vec<EpisodeRow>>;
        /// One page of the list, and how many match in all.
        fn list_page(&self, page: &ListPage) -> Result<(Vec<EpisodeRow>, usize)>;
        /// Every collection's name.
        fn collection_names(&self) -> Result<Vec<String>>;
        /// How many episodes there are.
        fn episode_count(&self) -> Result<i64>;
        /// The episode a name names.
        fn resolve(&self, name: &str) -> Result<EpisodeRow>;
        /// One episode in full (with its transcripts' text when asked).
        fn show(&self, name: &str, text: bool) -> Result<EpisodeDetail>;
        /// A transcript's speech as one string.
        fn transcript_text(&self, transcript_id: i64) -> Result<String>;
        /// A transcript's segments in order.
        fn segments(&self, transcript_id: i64) -> Result<Vec<Segment>>;
        /// An episode's summaries, of one kind or all.
        fn summaries(&self, episode_id: i64, kind: Option<&str>) -> Result<Vec<StoredSummary>>;
        /// How a transcript was made, where its source says.
        fn transcript_provenance(&self, episode_id: i64, source: &str) -> Result<Option<String>>;
        /// A number that moves when another connection commits a change.
        fn data_version(&self) -> Result<i64>;
    }
}
