//! Viewers' comments in the index, on the real yt-dlp fixture with comments
//! (`o8nZaDw_mOs.info.json`: 12 comments, 5 of them replies, one spam),
//! imported beside the video's own captions: ranked comment hits with their
//! authors, likes and links, concordance totals against a brute-force count,
//! passages ranked as if the comments were not there, and updates when the
//! comments change.

use podcorpus_ingest::{discover, ImportOptions};
use podcorpus_search::index::update;
use podcorpus_search::tokens::terms;
use podcorpus_search::{
    index_dir, kwic, search, Filter, Hit, Kind, KwicOptions, SearchIndex, Sort,
};
use podcorpus_store::Store;
use std::path::{Path, PathBuf};

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel)
}

const VIDEO: &str = "o8nZaDw_mOs";

fn comments_fixture() -> PathBuf {
    repo("crates/formats/tests/fixtures/ytdlp-comments/o8nZaDw_mOs.info.json")
}

fn import(store: &Store, paths: &[PathBuf]) {
    let options = ImportOptions::default();
    let (jobs, _) = discover(paths, &options).expect("discover");
    let report = podcorpus_ingest::import(store, &jobs, &options, &|_| {}).expect("import");
    assert!(report.failed.is_empty(), "{:?}", report.failed);
}

/// Imports the video's folder `b`, then the Lexicap sample. The video goes
/// first, on its own: an import reads files on both cores, so in one import
/// its episode could get any id, and the documents' order (which breaks
/// ties in rank) with it. Before the others it is never the last row, so a
/// re-import that makes it again gives it a new id (SQLite reuses only the
/// largest) and the old one is gone, on every machine.
fn import_with_lexicap(store: &Store, b: PathBuf) {
    import(store, &[b]);
    import(store, &[repo("samples/lexicap")]);
}

/// A folder holding the video's info.json with its comments (`info`, the
/// fixture's text or a changed one) and its English captions beside it.
fn bundle(dir: &Path, info: &str) -> PathBuf {
    let b = dir.join("bundle");
    std::fs::create_dir_all(&b).expect("mkdir");
    std::fs::write(b.join(format!("{VIDEO}.info.json")), info).expect("write info");
    std::fs::copy(
        repo("crates/search/tests/fixtures/ytdlp/o8nZaDw_mOs.en.vtt"),
        b.join(format!("{VIDEO}.en.vtt")),
    )
    .expect("copy captions");
    b
}

fn fixture_text() -> String {
    std::fs::read_to_string(comments_fixture()).expect("read fixture")
}

struct Corpus {
    dir: tempfile::TempDir,
    store: Store,
}

impl Corpus {
    fn db(&self) -> PathBuf {
        self.dir.path().join("c.db")
    }

    fn index(&self) -> SearchIndex {
        SearchIndex::open_current(&self.store, &index_dir(&self.db()))
            .expect("index")
            .0
    }
}

/// The four Lexicap samples and the video with its captions and comments.
fn corpus() -> Corpus {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&dir.path().join("c.db")).expect("open");
    let b = bundle(dir.path(), &fixture_text());
    import_with_lexicap(&store, b);
    Corpus { dir, store }
}

fn comments_only() -> Filter {
    Filter {
        kind: Kind::Comment,
        ..Filter::default()
    }
}

/// (author, likes, url) of each hit, in rank order.
fn who(hits: &[Hit]) -> Vec<(String, u64, String)> {
    hits.iter()
        .map(|h| {
            let c = h.comment.as_ref().expect("a comment hit");
            (
                c.author.clone().unwrap_or_default(),
                c.likes.unwrap_or(0),
                h.url.clone().unwrap_or_default(),
            )
        })
        .collect()
}

fn link(id: &str) -> String {
    format!("https://www.youtube.com/watch?v={VIDEO}&lc={id}")
}

#[test]
fn comments_are_found_by_their_words_with_author_likes_and_link() {
    let c = corpus();
    let index = c.index();
    assert_eq!(index.comments(), 12);
    let hits = search(&index, "movement", &comments_only(), 10).expect("search");
    let mut found = who(&hits);
    found.sort();
    assert_eq!(
        found,
        vec![
            (
                "@lexfridman".to_string(),
                412,
                link("UgyP9w2kqX1mZ6b3nO14AaABAg")
            ),
            (
                "@movementlover".to_string(),
                1530,
                link("Ugw7Hk3Lm0QpRst9Uv84AaABAg")
            ),
            (
                "@stretchy".to_string(),
                88,
                link("Ugw7Hk3Lm0QpRst9Uv84AaABAg.9Aa1Bb2Cc3D")
            ),
        ]
    );
    for h in &hits {
        assert_eq!(h.kind, Kind::Comment);
        assert_eq!(h.source, "comments");
        assert_eq!((h.start_ms, h.timestamp.as_deref()), (None, None));
        assert_eq!(h.title.as_deref(), Some("Ido Portal: Movement"));
        assert!(h.score > 0.0);
        assert!(
            h.marked("[", "]").to_lowercase().contains("[movement]"),
            "{h:?}"
        );
    }
    // The shortest of the three ranks first: BM25 over comments alone.
    assert_eq!(
        hits[0].snippet,
        "Agreed. Movement as a lifelong practice is the key idea."
    );

    // A phrase, a boolean and a title filter work on comments as on passages.
    let h = search(&index, "\"thank you\"", &comments_only(), 10).expect("phrase");
    let mut authors: Vec<String> = who(&h).into_iter().map(|w| w.0).collect();
    authors.sort();
    assert_eq!(authors, ["@grateful", "@lexfridman"]);
    let h = search(&index, "movement -lex", &comments_only(), 10).expect("not");
    assert_eq!(who(&h).len(), 3);
    let h = search(&index, "movement -practice", &comments_only(), 10).expect("not");
    assert_eq!(who(&h)[0].0, "@lexfridman");
    let h = search(&index, "title:portal subscribe", &comments_only(), 10).expect("title");
    assert_eq!(who(&h)[0].0, "@fitspam2020");
    let h = search(&index, "title:portal", &comments_only(), 100).expect("all");
    assert_eq!(h.len(), 12);

    // The default search finds the captions' "movement", never a comment.
    let passages = search(&index, "movement", &Filter::default(), 100).expect("search");
    assert!(!passages.is_empty());
    assert!(passages
        .iter()
        .all(|h| h.kind == Kind::Transcript && h.comment.is_none()));
    let every = Filter {
        all_sources: true,
        ..Filter::default()
    };
    let h = search(&index, "title:portal", &every, 10_000).expect("all passages");
    assert!(!h.is_empty());
    assert!(h.iter().all(|h| h.kind == Kind::Transcript));
}

#[test]
fn episode_filters_apply_to_comments_and_a_source_is_refused() {
    let c = corpus();
    let index = c.index();
    let count = |f: Filter| search(&index, "movement", &f, 100).expect("search").len();
    let base = comments_only;
    assert_eq!(count(base()), 3);
    assert_eq!(
        count(Filter {
            collection: Some("Lex Fridman".into()),
            ..base()
        }),
        3
    );
    assert_eq!(
        count(Filter {
            collection: Some("lexicap".into()),
            ..base()
        }),
        0
    );
    // Uploaded 2014-05-08.
    assert_eq!(
        count(Filter {
            since: Some("2014-05-08".into()),
            until: Some("2014-05".into()),
            ..base()
        }),
        3
    );
    assert_eq!(
        count(Filter {
            since: Some("2014-05-09".into()),
            ..base()
        }),
        0
    );
    let err = search(
        &index,
        "movement",
        &Filter {
            source: Some("youtube-auto".into()),
            ..base()
        },
        10,
    )
    .expect_err("a source with comments");
    assert!(err.to_string().contains("comments have none"), "{err}");
}

/// Occurrences of the token sequence `seq` in `text`, with the index's tokenizer.
fn brute_force(text: &str, seq: &[String]) -> usize {
    let toks = terms(text);
    if toks.len() < seq.len() {
        return 0;
    }
    toks.windows(seq.len()).filter(|w| *w == seq).count()
}

#[test]
fn kwic_in_comments_counts_what_a_brute_force_count_finds() {
    let c = corpus();
    let index = c.index();
    let episodes = c.store.commented_episodes(None).expect("episodes");
    assert_eq!(episodes.len(), 1);
    let texts: Vec<String> = c
        .store
        .comments(episodes[0].episode_id, false)
        .expect("comments")
        .into_iter()
        .map(|c| c.text)
        .collect();
    assert_eq!(texts.len(), 12);
    let opts = KwicOptions {
        window: 3,
        filter: comments_only(),
        ..KwicOptions::default()
    };
    for keyword in [
        "movement",
        "the",
        "is",
        "a",
        "thank you",
        "Ido's",
        "practice",
        "lex",
        "him",
        "zyzzyva",
    ] {
        let seq = terms(keyword);
        let want: usize = texts.iter().map(|t| brute_force(t, &seq)).sum();
        let got = kwic(&index, keyword, &opts).expect("kwic");
        assert_eq!(got.total, want, "{keyword}");
        assert_eq!(got.lines.len(), want, "{keyword}");
        let per: usize = got.per_episode.iter().map(|e| e.count).sum();
        assert_eq!(per, want, "{keyword}");
        assert!(got.lines.iter().all(|l| l.kind == Kind::Comment));
    }
    // Real values: the fixture says "movement" three times (once "Movement").
    let got = kwic(&index, "movement", &opts).expect("kwic");
    assert_eq!(got.total, 3);
    let lines: Vec<(String, String, String, String)> = got
        .lines
        .iter()
        .map(|l| {
            (
                l.comment
                    .as_ref()
                    .and_then(|c| c.author.clone())
                    .unwrap_or_default(),
                l.left.clone(),
                l.keyword.clone(),
                l.right.clone(),
            )
        })
        .collect();
    // By episode, in the order fetched.
    assert_eq!(
        lines,
        [
            (
                "@lexfridman".into(),
                // `Ido's` is one token: the three before "movement" are
                // `Ido's`, `approach`, `to`.
                "Ido's approach to".into(),
                "movement".into(),
                "changed how I".into()
            ),
            (
                "@movementlover".into(),
                "idea of a".into(),
                "movement".into(),
                "practice instead of".into()
            ),
            (
                "@stretchy".into(),
                "Agreed.".into(),
                "Movement".into(),
                "as a lifelong".into()
            ),
        ]
    );
    assert_eq!(got.per_episode[0].count, 3);
    assert_eq!(
        got.lines[2].url.as_deref(),
        Some(link("Ugw7Hk3Lm0QpRst9Uv84AaABAg.9Aa1Bb2Cc3D").as_str())
    );
    // With --case, only the capitalized one.
    let cased = KwicOptions {
        case: true,
        sort: Sort::Right,
        ..opts.clone()
    };
    assert_eq!(kwic(&index, "Movement", &cased).expect("kwic").total, 1);
    // The transcripts' concordance is untouched by the comments.
    let spoken = kwic(&index, "movement", &KwicOptions::default()).expect("kwic");
    assert!(spoken.lines.iter().all(|l| l.comment.is_none()));
}

/// Passages rank exactly as in a corpus without the comments: each kind's
/// BM25 statistics are its own.
#[test]
fn comments_leave_the_scores_of_passages_as_they_were() {
    let with = corpus();
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("c.db");
    let store = Store::open(&db).expect("open");
    let mut info: serde_json::Value = serde_json::from_str(&fixture_text()).expect("json");
    info.as_object_mut().expect("object").remove("comments");
    let b = bundle(dir.path(), &info.to_string());
    import_with_lexicap(&store, b);
    let without = SearchIndex::open_current(&store, &index_dir(&db))
        .expect("index")
        .0;
    assert_eq!(without.comments(), 0);
    let with = with.index();
    assert_eq!(with.passages(), without.passages());
    for q in [
        "movement",
        "the",
        "Chomsky",
        "\"the brain\"",
        "practice OR body",
    ] {
        let ranked = |ix: &SearchIndex| -> Vec<(String, i64, Option<u64>, u32)> {
            // Every hit: a cut would fall among equal scores, and which of
            // them make it depends on the documents' order.
            search(ix, q, &Filter::default(), 100_000)
                .expect("search")
                .into_iter()
                .map(|h| (h.collection, h.number, h.start_ms, h.score.to_bits()))
                .collect()
        };
        // Equal scores may come in another order (document order breaks ties).
        let (mut a, mut b) = (ranked(&with), ranked(&without));
        assert!(!a.is_empty(), "{q}");
        a.sort();
        b.sort();
        assert_eq!(a, b, "{q}");
    }
}

#[test]
fn changed_or_removed_comments_update_the_index() {
    let c = corpus();
    let ix = index_dir(&c.db());
    let first = update(&c.store, &ix, false).expect("build");
    assert_eq!((first.comments_indexed, first.comments), (1, 12));
    // Nothing changed: nothing indexed.
    let again = update(&c.store, &ix, false).expect("update");
    assert_eq!((again.comments_indexed, again.comments_removed), (0, 0));
    assert_eq!(again.indexed, 0);

    // A re-fetch: one comment says something else, one reply is gone.
    let mut info: serde_json::Value = serde_json::from_str(&fixture_text()).expect("json");
    let list = info["comments"].as_array_mut().expect("comments");
    let genius = list
        .iter_mut()
        .find(|c| c["text"].as_str().is_some_and(|t| t.contains("genius")))
        .expect("the genius comment");
    genius["text"] = "Ido Portal is a wizard of movement.".into();
    list.retain(|c| c["author"] != "@orphan");
    let b = bundle(c.dir.path(), &info.to_string());
    import(&c.store, &[b]);

    // A reader that may not write says the index is behind, comments
    // included. (The file made the episode, so it is made again: a new
    // episode has the comments, the old one is gone.)
    let (_, advice) = SearchIndex::open_read_only(&c.store, &ix).expect("read only");
    let advice = advice.expect("behind");
    assert!(
        advice.contains("; the comments of 1 episodes new or changed, of 1 gone)"),
        "{advice}"
    );

    let r = update(&c.store, &ix, false).expect("update");
    assert_eq!(
        (r.comments_indexed, r.comments_removed, r.comments),
        (1, 1, 11)
    );
    let index = c.index();
    assert_eq!(index.comments(), 11);
    let find = |q: &str| who(&search(&index, q, &comments_only(), 10).expect("search"));
    assert!(find("genius").is_empty());
    assert!(find("replying").is_empty());
    assert_eq!(
        find("wizard"),
        [(
            "@movementlover".to_string(),
            1530,
            link("Ugw7Hk3Lm0QpRst9Uv84AaABAg")
        )]
    );
    let (_, advice) = SearchIndex::open_read_only(&c.store, &ix).expect("read only");
    assert_eq!(advice, None);

    // The comments fetched again without any: the episode's are gone.
    info.as_object_mut().expect("object").remove("comments");
    import(&c.store, &[bundle(c.dir.path(), &info.to_string())]);
    let r = update(&c.store, &ix, false).expect("update");
    assert_eq!((r.comments_indexed, r.comments_removed), (0, 1));
    let index = c.index();
    assert_eq!(index.comments(), 0);
    assert!(search(&index, "wizard", &comments_only(), 10)
        .expect("search")
        .is_empty());
    // The captions are still searched.
    assert!(!search(&index, "movement", &Filter::default(), 10)
        .expect("search")
        .is_empty());

    // A rebuild holds what the updates left.
    let rebuilt = update(&c.store, &ix, true).expect("rebuild");
    assert_eq!((rebuilt.comments_indexed, rebuilt.comments), (0, 0));
    assert_eq!(c.index().passages(), index.passages());
}
