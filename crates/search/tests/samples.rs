//! Search and concordance over the real samples bundled in the repo (two
//! Lexicap episodes in two Whisper models, the notes document) and a yt-dlp
//! bundle with a video id, imported into a temporary database.

use podcorpus_ingest::{discover, ImportOptions};
use podcorpus_search::index::update;
use podcorpus_search::query::SyntaxError;
use podcorpus_search::{
    index_dir, kwic, search, Filter, KwicOptions, SearchError, SearchIndex, Sort,
};
use podcorpus_store::query::TranscriptFilter;
use podcorpus_store::Store;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel)
}

fn import(store: &Store, paths: &[PathBuf]) {
    let options = ImportOptions::default();
    let (jobs, _) = discover(paths, &options).expect("discover");
    let report = podcorpus_ingest::import(store, &jobs, &options, &|_| {}).expect("import");
    assert!(report.failed.is_empty(), "{:?}", report.failed);
}

struct Corpus {
    _dir: tempfile::TempDir,
    store: Store,
    index: SearchIndex,
}

fn corpus() -> Corpus {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("c.db");
    let store = Store::open(&db).expect("open");
    import(
        &store,
        &[
            repo("samples/lexicap"),
            repo("samples/lex-fridman-notes.txt"),
            repo("crates/search/tests/fixtures/ytdlp"),
        ],
    );
    let (index, report) = SearchIndex::open_current(&store, &index_dir(&db)).expect("index");
    assert!(report.rebuilt);
    let stored = store
        .transcripts(&TranscriptFilter {
            all_sources: true,
            ..TranscriptFilter::default()
        })
        .unwrap();
    // Four Lexicap files, the notes slots with speech, the yt-dlp bundle.
    assert_eq!(
        stored.iter().filter(|t| t.collection == "lexicap").count(),
        4
    );
    assert!(stored.len() > 4 + 1);
    assert_eq!(report.indexed as usize, stored.len());
    Corpus {
        _dir: dir,
        store,
        index,
    }
}

/// Tokens of a text as an independent check: lowercase runs of letters and digits.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The spoken lines of a WebVTT file.
fn vtt_lines(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .expect("read")
        .lines()
        .filter(|l| !l.contains("-->") && *l != "WEBVTT" && !l.trim().is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn a_phrase_split_over_two_cues_is_found_where_a_line_grep_misses_it() {
    let c = corpus();
    // In episode_316_large.vtt the cue starting at 06:56.000 ends "...effectively
    // integrate Ukraine" and the next one (07:07.000) begins "into the NATO".
    let lines = vtt_lines(&repo("samples/lexicap/episode_316_large.vtt"));
    assert!(!lines
        .iter()
        .any(|l| l.to_lowercase().contains("ukraine into the nato")));
    let hits = search(
        &c.index,
        "\"Ukraine into the NATO\"",
        &Filter::default(),
        10,
    )
    .unwrap();
    assert_eq!(hits.len(), 1, "{hits:?}");
    let h = &hits[0];
    assert_eq!((h.collection.as_str(), h.number), ("lexicap", 316));
    assert_eq!(h.source, "whisper-large");
    assert_eq!(h.start_ms, Some(416_000));
    assert_eq!(h.timestamp.as_deref(), Some("00:06:56"));
    assert_eq!(h.url, None, "Lexicap files carry no video id");
    assert!(
        h.marked("[", "]")
            .contains("integrate [Ukraine into the NATO]"),
        "{}",
        h.snippet
    );
    assert!(h.score > 0.0);
}

#[test]
fn one_source_per_episode_unless_all_sources() {
    let c = corpus();
    let best = search(&c.index, "Chomsky", &Filter::default(), 100).unwrap();
    assert!(!best.is_empty());
    assert!(best.iter().all(|h| h.source == "whisper-large"), "{best:?}");
    let all = Filter {
        all_sources: true,
        ..Filter::default()
    };
    let every = search(&c.index, "Chomsky", &all, 100).unwrap();
    let sources: BTreeSet<&str> = every.iter().map(|h| h.source.as_str()).collect();
    assert_eq!(sources, BTreeSet::from(["whisper-large", "whisper-small"]));
    let small = Filter {
        source: Some("whisper-small".into()),
        ..Filter::default()
    };
    let only = search(&c.index, "Chomsky", &small, 100).unwrap();
    assert!(!only.is_empty() && only.iter().all(|h| h.source == "whisper-small"));
}

#[test]
fn links_go_to_the_second_when_the_video_id_is_known() {
    let c = corpus();
    // o8nZaDw_mOs.en.vtt: the cue "a way of living in your body" starts at 00:00:13.180.
    let hits = search(&c.index, "\"way of living\"", &Filter::default(), 10).unwrap();
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0].timestamp.as_deref(), Some("00:00:13"));
    assert_eq!(
        hits[0].url.as_deref(),
        Some("https://www.youtube.com/watch?v=o8nZaDw_mOs&t=13s")
    );
}

#[test]
fn date_and_collection_filters_agree_with_the_store() {
    let c = corpus();
    for (since, until) in [(Some("2016-01-01"), None), (None, Some("2015-01-01"))] {
        let filter = Filter {
            since: since.map(String::from),
            until: until.map(String::from),
            ..Filter::default()
        };
        let got: BTreeSet<(String, i64)> = search(&c.index, "the", &filter, 10_000)
            .unwrap()
            .into_iter()
            .map(|h| (h.collection, h.number))
            .collect();
        let want: BTreeSet<(String, i64)> = c
            .store
            .transcripts(&TranscriptFilter {
                since: since.map(String::from),
                until: until.map(String::from),
                ..TranscriptFilter::default()
            })
            .unwrap()
            .into_iter()
            .map(|t| (t.collection, t.number))
            .collect();
        assert!(!want.is_empty());
        assert_eq!(got, want, "since {since:?} until {until:?}");
    }
    let lexicap = Filter {
        collection: Some("lexicap".into()),
        ..Filter::default()
    };
    let got: BTreeSet<i64> = search(&c.index, "the", &lexicap, 10_000)
        .unwrap()
        .into_iter()
        .map(|h| h.number)
        .collect();
    assert_eq!(got, BTreeSet::from([49, 316]));
    let bad = Filter {
        since: Some("last week".into()),
        ..Filter::default()
    };
    let err = search(&c.index, "the", &bad, 10).unwrap_err();
    assert!(err.to_string().contains("--since expects a date"), "{err}");
}

#[test]
fn syntax_errors_say_where() {
    let c = corpus();
    match search(&c.index, "war AND (china", &Filter::default(), 10) {
        Err(SearchError::Syntax(SyntaxError {
            column, message, ..
        })) => {
            assert_eq!(column, 9);
            assert!(message.contains("never closed"), "{message}");
        }
        other => panic!("expected a syntax error, got {other:?}"),
    }
}

#[test]
fn boolean_queries_rank_passages_that_satisfy_them() {
    let c = corpus();
    let hits = search(
        &c.index,
        "china AND (war OR nuclear) -nuclear",
        &Filter::default(),
        50,
    )
    .unwrap();
    assert!(!hits.is_empty());
    for h in &hits {
        assert_eq!((h.collection.as_str(), h.number), ("lexicap", 316));
    }
    let n = |q: &str| search(&c.index, q, &Filter::default(), 1000).unwrap().len();
    // AND distributes over OR; NOT only removes.
    let grouped = n("china AND (war OR nuclear)");
    assert_eq!(grouped, n("(china AND war) OR (china nuclear)"));
    assert!(hits.len() <= grouped);
    assert_eq!(hits.len(), n("china war NOT nuclear"));
    assert!(n("china NOT war") > 0 && n("china NOT war") < n("china"));
    assert_eq!(n("china -china"), 0);
}

#[test]
fn kwic_counts_every_occurrence_with_context_and_time() {
    let c = corpus();
    let files = ["episode_049_large.vtt", "episode_316_large.vtt"];
    let expected: Vec<usize> = files
        .iter()
        .map(|f| {
            vtt_lines(&repo(&format!("samples/lexicap/{f}")))
                .iter()
                .flat_map(|l| words(l))
                .filter(|w| w == "war")
                .count()
        })
        .collect();
    let opts = KwicOptions {
        window: 4,
        filter: Filter {
            collection: Some("lexicap".into()),
            ..Filter::default()
        },
        ..KwicOptions::default()
    };
    let conc = kwic(&c.index, "war", &opts).unwrap();
    assert_eq!(conc.total, expected.iter().sum::<usize>());
    let in_316 = conc
        .per_episode
        .iter()
        .find(|e| e.number == 316)
        .map_or(0, |e| e.count);
    assert_eq!(in_316, expected[1]);
    assert!(expected[1] > 20);
    // First occurrence in 316: the first cue, "Will there be a war between U.S. and China".
    let first = conc.lines.iter().find(|l| l.number == 316).unwrap();
    assert_eq!(first.start_ms, Some(0));
    assert_eq!(
        (
            first.left.as_str(),
            first.keyword.as_str(),
            first.right.as_str()
        ),
        ("Will there be a", "war", "between U.S. and")
    );
    // Sorted right: right contexts in order, ignoring case and punctuation.
    let by_right = kwic(
        &c.index,
        "war",
        &KwicOptions {
            sort: Sort::Right,
            ..opts.clone()
        },
    )
    .unwrap();
    let keys: Vec<String> = by_right
        .lines
        .iter()
        .map(|l| words(&l.right).join(" "))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    // A phrase across a cue boundary, and case.
    let p = kwic(&c.index, "\"Ukraine into the NATO\"", &opts).unwrap();
    assert_eq!(p.total, 1);
    assert_eq!(p.lines[0].keyword, "Ukraine into the NATO");
    assert_eq!(p.lines[0].start_ms, Some(416_000));
    let cased = KwicOptions {
        case: true,
        ..opts.clone()
    };
    assert_eq!(kwic(&c.index, "nato", &cased).unwrap().total, 0);
    assert!(kwic(&c.index, "NATO", &cased).unwrap().total > 0);
}

#[test]
fn updates_index_only_what_changed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("lexicap");
    std::fs::create_dir(&folder).unwrap();
    let file = folder.join("episode_049_large.vtt");
    std::fs::copy(repo("samples/lexicap/episode_049_large.vtt"), &file).unwrap();
    let db = dir.path().join("c.db");
    let ix = index_dir(&db);
    let store = Store::open(&db).unwrap();
    import(&store, std::slice::from_ref(&folder));
    let r = update(&store, &ix, false).unwrap();
    assert!(r.rebuilt);
    assert_eq!((r.indexed, r.removed, r.unchanged), (1, 0, 0));
    assert!(r.passages > 10);
    // A second source of another episode: only it is read.
    std::fs::copy(
        repo("samples/lexicap/episode_316_small.vtt"),
        folder.join("episode_316_small.vtt"),
    )
    .unwrap();
    import(&store, std::slice::from_ref(&folder));
    let r = update(&store, &ix, false).unwrap();
    assert_eq!(
        (r.rebuilt, r.indexed, r.removed, r.unchanged),
        (false, 1, 0, 1)
    );
    assert_eq!(update(&store, &ix, false).unwrap().indexed, 0);
    // A changed file replaces its transcript's passages.
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains(" the "));
    std::fs::write(
        &file,
        format!(
            "{}\n00:00:00.000 --> 00:00:01.000\nzyzzyva quokka\n",
            text.trim_end()
        ),
    )
    .unwrap();
    import(&store, std::slice::from_ref(&folder));
    let r = update(&store, &ix, false).unwrap();
    assert_eq!((r.indexed, r.removed, r.unchanged), (1, 1, 1));
    let (index, _) = SearchIndex::open_current(&store, &ix).unwrap();
    let hits = search(&index, "\"zyzzyva quokka\"", &Filter::default(), 10).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].number, 49);
    // Every passage of episode 49 exists once, not twice.
    let all = Filter {
        collection: Some("lexicap".into()),
        ..Filter::default()
    };
    let once = kwic(
        &index,
        "zyzzyva",
        &KwicOptions {
            window: 3,
            filter: all,
            ..KwicOptions::default()
        },
    )
    .unwrap();
    assert_eq!(once.total, 1);
    // Rebuilding gives the same passages.
    let before = index.passages();
    let r = update(&store, &ix, true).unwrap();
    assert_eq!((r.rebuilt, r.indexed), (true, 2));
    let (index, _) = SearchIndex::open_current(&store, &ix).unwrap();
    assert_eq!(index.passages(), before);
}

/// An index fed episode by episode while an import writes (what `import`
/// does) ends up as the index one update would build, even when a later
/// file changes what was already indexed (the notes document gives the
/// Lexicap episodes another membership and a better source).
#[test]
fn an_index_built_beside_the_import_equals_one_built_after_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("c.db");
    let store = Store::open(&db).expect("open");
    let reader = Store::open(&db).expect("second connection");
    let mut beside =
        podcorpus_search::index::Update::begin(&dir.path().join("beside"), false).expect("begin");
    struct Feed<'a>(&'a Store, &'a mut podcorpus_search::index::Update, usize);
    impl podcorpus_ingest::Committed for Feed<'_> {
        fn committed(
            &mut self,
            episodes: &[i64],
            segments: Vec<(i64, Vec<podcorpus_core::Segment>)>,
        ) {
            assert!(!segments.is_empty(), "the parsed segments come along");
            self.1
                .episodes(self.0, episodes, segments)
                .expect("index episodes");
            self.2 += episodes.len();
        }
    }
    let mut feed = Feed(&reader, &mut beside, 0);
    let options = ImportOptions::default();
    let (jobs, _) = discover(
        &[
            repo("samples/lexicap"),
            repo("samples/lex-fridman-notes.txt"),
        ],
        &options,
    )
    .expect("discover");
    podcorpus_ingest::import_with(&store, &jobs, &options, &|_| {}, &mut feed).expect("import");
    assert!(feed.2 > 0, "episodes were handed over");
    let report = beside.finish(&reader).expect("finish");
    let after = update(&store, &dir.path().join("after"), true).expect("update");
    assert!(report.passages > 0);
    assert_eq!(report.indexed, after.indexed);
    let open = |name: &str| {
        SearchIndex::open_current(&store, &dir.path().join(name))
            .expect("open")
            .0
    };
    let (a, b) = (open("beside"), open("after"));
    assert_eq!(a.passages(), b.passages());
    // The same passages match. (Their order may differ a little for common
    // words: passages deleted and added again, when the notes changed an
    // episode, still count in the term statistics until segments merge, as
    // in Lucene.)
    for q in ["Chomsky", "the", "brain AND machine"] {
        let hits = |ix: &SearchIndex| {
            let mut all: Vec<_> = search(ix, q, &Filter::default(), 10_000)
                .expect("search")
                .into_iter()
                .map(|h| (h.collection, h.number, h.source, h.start_ms, h.snippet))
                .collect();
            all.sort();
            all
        };
        assert!(!hits(&a).is_empty(), "{q}");
        assert_eq!(hits(&a), hits(&b), "{q}");
    }
    // Opening it again finds nothing to do.
    let again = update(&store, &dir.path().join("beside"), false).expect("again");
    assert_eq!((again.indexed, again.removed), (0, 0));
}

#[test]
fn a_slot_pasted_with_panel_timestamps_links_to_the_second() {
    // The real notes document with slot 07 pasted from the transcript panel.
    let original = std::fs::read_to_string(repo("samples/lex-fridman-notes.txt")).unwrap();
    let body = std::fs::read_to_string(repo(
        "crates/formats/tests/fixtures/notes/slot-07-panel.txt",
    ))
    .unwrap();
    let empty = "--07--  \n\n-----\nDate:\nLink:\nTranscription:\n\npaste here\n";
    let doc = original.replace(empty, &format!("--07--  \n\n-----\n{body}"));
    assert_ne!(doc, original);
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("lex-fridman-notes.txt");
    std::fs::write(&path, doc).unwrap();
    let db = dir.path().join("c.db");
    let store = Store::open(&db).expect("open");
    import(&store, &[path]);
    let (index, _) = SearchIndex::open_current(&store, &index_dir(&db)).expect("index");
    let hits = search(&index, "\"detect frustration\"", &Filter::default(), 10).unwrap();
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0].number, 7);
    assert_eq!(hits[0].timestamp.as_deref(), Some("00:01:02"));
    assert_eq!(
        hits[0].url.as_deref(),
        Some("https://www.youtube.com/watch?v=wiYMwmPPGto&t=62s")
    );
    let conc = kwic(&index, "frustration", &KwicOptions::default()).unwrap();
    let times: Vec<(i64, Option<u64>, Option<&str>)> = conc
        .lines
        .iter()
        .map(|l| (l.number, l.start_ms, l.url.as_deref()))
        .collect();
    assert_eq!(
        times,
        vec![
            (
                7,
                Some(4_000),
                Some("https://www.youtube.com/watch?v=wiYMwmPPGto&t=4s")
            ),
            (
                7,
                Some(62_000),
                Some("https://www.youtube.com/watch?v=wiYMwmPPGto&t=62s")
            )
        ]
    );
}
