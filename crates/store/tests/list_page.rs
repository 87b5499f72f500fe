//! `Store::list_page` (filtered, sorted and paged by SQLite) against the web
//! reader's former algorithm over `Store::list`, kept here as the oracle: for
//! every sort key, direction, text, collection and page, both give the same
//! rows in the same order and the same total.
//!
//! The corpus is the bundled samples (the notes document and the Lexicap
//! files) plus episodes made to be hard: titles and guests in non-ASCII case,
//! ties on every key, missing dates, titles and lengths, sources whose best
//! one is not the biggest, and episodes in several collections.

use podcorpus_core::{Collect, Episode, EpisodeMeta, Segment, Transcript, TranscriptMeta};
use podcorpus_formats::naming::FileHints;
use podcorpus_formats::{Context, Format};
use podcorpus_store::query::{EpisodeRow, ListFilter, ListPage, ListSort};
use podcorpus_store::write::{CollectionSpec, FileRecord};
use podcorpus_store::Store;
use std::path::Path;

fn samples() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples")
}

fn write(store: &Store, path: &str, format: Format, collection: &str, parsed: &Collect) {
    let file = FileRecord {
        path: path.into(),
        hash: format!("hash of {path}"),
        format: format.name().into(),
        word_counts: Vec::new(),
    };
    let spec = CollectionSpec {
        name: collection.into(),
        kind: "folder".into(),
        url: None,
    };
    let written = store.write_file(&file, &spec, parsed).expect("write");
    assert!(written.refused.is_empty(), "{path}: {:?}", written.refused);
}

/// Reads a sample file with the format its name and bytes say.
fn import_sample(store: &Store, path: &Path, collection: &str) {
    let text = std::fs::read_to_string(path).expect("sample");
    let name = path.file_name().and_then(|n| n.to_str()).expect("name");
    let format = Format::detect(name, text.as_bytes()).expect("format");
    let ctx = Context {
        hints: FileHints::from_file_name(name),
        ..Context::default()
    };
    let mut parsed = Collect::default();
    format.read(&ctx, &text, &mut parsed).expect("read");
    write(
        store,
        &path.display().to_string(),
        format,
        collection,
        &parsed,
    );
}

/// A transcript of `source` with `words` words.
fn transcript(source: &str, words: usize) -> Transcript {
    Transcript {
        meta: TranscriptMeta {
            source: source.into(),
            language: None,
            provenance: None,
        },
        segments: vec![Segment {
            start_ms: Some(0),
            end_ms: Some(1000),
            text: vec!["word"; words].join(" "),
            ..Segment::default()
        }],
    }
}

struct Made {
    number: u32,
    video_id: Option<&'static str>,
    title: Option<&'static str>,
    guests: &'static [&'static str],
    published: Option<&'static str>,
    duration_ms: Option<u64>,
    transcripts: Vec<Transcript>,
}

fn episodes(made: Vec<Made>) -> Collect {
    Collect {
        episodes: made
            .into_iter()
            .map(|m| Episode {
                meta: EpisodeMeta {
                    number: Some(m.number),
                    video_id: m.video_id.map(Into::into),
                    title: m.title.map(Into::into),
                    guests: m.guests.iter().map(|g| g.to_string()).collect(),
                    published: m.published.map(Into::into),
                    duration_ms: m.duration_ms,
                    ..EpisodeMeta::default()
                },
                transcripts: m.transcripts,
                ..Episode::default()
            })
            .collect(),
        ..Collect::default()
    }
}

fn made(number: u32) -> Made {
    Made {
        number,
        video_id: None,
        title: None,
        guests: &[],
        published: None,
        duration_ms: None,
        transcripts: Vec::new(),
    }
}

fn corpus() -> Store {
    let store = Store::open_in_memory().expect("open");
    import_sample(
        &store,
        &samples().join("lex-fridman-notes.txt"),
        "lex-fridman-notes",
    );
    for f in [
        "episode_049_large.vtt",
        "episode_049_small.vtt",
        "episode_316_large.vtt",
        "episode_316_small.vtt",
    ] {
        import_sample(&store, &samples().join("lexicap").join(f), "lexicap");
    }
    let zeta = episodes(vec![
        Made {
            title: Some("Émile Zola and the Novel"),
            guests: &["Émile Zola"],
            published: Some("2020-01-01"),
            duration_ms: Some(1000),
            // The best source (YouTube's) is the smaller one, and second by name.
            transcripts: vec![transcript("notes", 9), transcript("youtube-auto", 5)],
            ..made(1)
        },
        Made {
            title: Some("émile, again"),
            ..made(2)
        },
        Made {
            guests: &["Ångström", "ÉCOLE"],
            published: Some("2020-01-01"),
            duration_ms: Some(1000),
            transcripts: vec![transcript("notes", 5)],
            ..made(3)
        },
        Made {
            title: Some("STRASSE"),
            guests: &["Straße"],
            published: Some("2019-05-05"),
            duration_ms: Some(500),
            // Same rank: the first by name is the best.
            transcripts: vec![
                transcript("whisper-medium", 3),
                transcript("whisper-base", 7),
            ],
            ..made(4)
        },
        Made {
            title: Some("İstanbul nights"),
            guests: &["ΣΊΣΥΦΟΣ", "a \"quoted\", name"],
            duration_ms: Some(2000),
            // Best by rank, not by name.
            transcripts: vec![transcript("custom", 8), transcript("youtube-manual", 2)],
            ..made(5)
        },
        Made {
            title: Some(""),
            published: Some("2020-01-01"),
            ..made(6)
        },
        Made {
            video_id: Some("sharedvid01"),
            title: Some("Shared video 100%_"),
            published: Some("2021-02-02"),
            duration_ms: Some(500),
            transcripts: vec![transcript("whisper-large-v3", 7)],
            ..made(7)
        },
    ]);
    write(&store, "/made/zeta", Format::Table, "zeta", &zeta);
    // Alpha holds the shared video too (zeta stays its home) and lends its
    // first episode to zeta, where the list does not show it.
    let alpha = episodes(vec![
        Made {
            video_id: Some("alphaone001"),
            title: Some("Alpha one"),
            guests: &["Lex Fridman"],
            published: Some("2020-01-01"),
            duration_ms: Some(1000),
            transcripts: vec![transcript("notes", 5)],
            ..made(1)
        },
        Made {
            title: Some("ÉMILE in alpha"),
            published: Some("2018-01-01"),
            ..made(2)
        },
        Made {
            video_id: Some("sharedvid01"),
            ..made(3)
        },
    ]);
    write(&store, "/made/alpha", Format::Table, "alpha", &alpha);
    let lent = episodes(vec![Made {
        video_id: Some("alphaone001"),
        ..made(8)
    }]);
    write(&store, "/made/zeta-more", Format::Table, "zeta", &lent);
    // A collection that is no episode's home.
    let mine = episodes(vec![Made {
        video_id: Some("sharedvid01"),
        ..made(1)
    }]);
    write(&store, "/made/mine", Format::Table, "mine", &mine);
    store
}

/// The web reader's list before it asked SQLite: filter, stable sort,
/// reverse for descending, then page.
fn oracle(all: &[EpisodeRow], p: &ListPage) -> (Vec<EpisodeRow>, usize) {
    let needle = p
        .text
        .as_deref()
        .map(str::to_lowercase)
        .filter(|s| !s.trim().is_empty());
    let mut rows: Vec<EpisodeRow> = all
        .iter()
        .filter(|r| {
            p.collection
                .as_ref()
                .is_none_or(|c| c.is_empty() || *c == r.collection)
        })
        .filter(|r| {
            needle.as_ref().is_none_or(|n| {
                r.title
                    .as_deref()
                    .unwrap_or("")
                    .to_lowercase()
                    .contains(n.as_str())
                    || r.guests
                        .iter()
                        .any(|g| g.to_lowercase().contains(n.as_str()))
            })
        })
        .cloned()
        .collect();
    match p.sort {
        ListSort::Number => {
            rows.sort_by(|a, b| (&a.collection, a.number).cmp(&(&b.collection, b.number)))
        }
        ListSort::Date => rows.sort_by(|a, b| a.published.cmp(&b.published)),
        ListSort::Title => rows.sort_by(|a, b| a.title.cmp(&b.title)),
        ListSort::Words => rows.sort_by_key(|r| r.words),
        ListSort::Duration => rows.sort_by_key(|r| r.duration_ms),
    }
    if p.descending {
        rows.reverse();
    }
    let total = rows.len();
    let rows = rows.into_iter().skip(p.offset).take(p.limit).collect();
    (rows, total)
}

const TEXTS: &[Option<&str>] = &[
    None,
    Some(""),
    Some("   "),
    Some("É"),
    Some("é"),
    Some("émile"),
    Some("ÉMILE ZOLA"),
    Some("straße"),
    Some("STRASSE"),
    Some("ß"),
    Some("İSTANBUL"),
    Some("i\u{307}"),
    Some("ΣΊΣΥΦΟΣ"),
    Some("ångström"),
    Some("lex"),
    Some("LEX FRIDMAN"),
    Some("the"),
    Some(" the "),
    Some("%"),
    Some("_"),
    Some("\""),
    Some(","),
    Some("[\"Ångström\""),
    Some("nothing is called this"),
];

const COLLECTIONS: &[Option<&str>] = &[
    None,
    Some(""),
    Some("zeta"),
    Some("alpha"),
    Some("lexicap"),
    Some("lex-fridman-notes"),
    Some("mine"),
    Some("nope"),
];

const PAGES: &[(usize, usize)] = &[
    (0, usize::MAX),
    (0, 0),
    (0, 1),
    (0, 3),
    (1, 2),
    (3, 4),
    (5, 50),
    (12, 5),
    (1000, 50),
    (usize::MAX - 1, 3),
    (usize::MAX, usize::MAX),
];

#[test]
fn list_page_equals_filtering_sorting_and_paging_the_whole_list() {
    let store = corpus();
    let all = store.list(&ListFilter::default()).expect("list");
    // The corpus is what the cases below need.
    assert!(all.len() > 15, "{}", all.len());
    assert!(all.iter().any(|r| r.collection == "lexicap"));
    assert!(all.iter().any(|r| r.collection == "lex-fridman-notes"));
    let shared: Vec<&EpisodeRow> = all
        .iter()
        .filter(|r| r.video_id.as_deref() == Some("sharedvid01"))
        .collect();
    assert_eq!(shared.len(), 1, "one row per episode");
    assert_eq!(shared[0].collections.len(), 3);

    let mut nonempty = 0;
    for &sort in &ListSort::ALL {
        for descending in [false, true] {
            for text in TEXTS {
                for collection in COLLECTIONS {
                    for &(offset, limit) in PAGES {
                        let p = ListPage {
                            text: text.map(Into::into),
                            collection: collection.map(Into::into),
                            sort,
                            descending,
                            offset,
                            limit,
                        };
                        let got = store.list_page(&p).expect("list_page");
                        let want = oracle(&all, &p);
                        assert_eq!(got, want, "{p:?}");
                        if !got.0.is_empty() {
                            nonempty += 1;
                        }
                    }
                }
            }
        }
    }
    assert!(nonempty > 1000, "{nonempty}");
}

#[test]
fn case_is_ignored_beyond_ascii_and_raw_json_is_not_searched() {
    let store = corpus();
    let count = |text: &str, collection: Option<&str>| {
        store
            .list_page(&ListPage {
                text: Some(text.into()),
                collection: collection.map(Into::into),
                ..ListPage::default()
            })
            .expect("list_page")
            .1
    };
    // zeta/1 (title and guest), zeta/2, zeta/3 (guest ÉCOLE), alpha/2.
    assert_eq!(count("É", None), 4);
    assert_eq!(count("é", None), 4);
    assert_eq!(count("É", Some("zeta")), 3);
    assert_eq!(count("ß", None), 1);
    assert_eq!(count("ΣΊΣΥΦΟΣ", None), 1);
    // LIKE's wildcards are plain characters here.
    assert_eq!(count("%_", None), 1);
    // The guests' JSON punctuation is not their names'.
    assert_eq!(count("[\"Ångström\"", None), 0);
    assert_eq!(count("\"quoted\", name", None), 1);
    // zeta/8 is alpha/1, shown under alpha only.
    assert_eq!(count("alpha one", Some("zeta")), 0);
    assert_eq!(count("alpha one", Some("alpha")), 1);
}

#[test]
fn words_sort_by_the_best_source_and_ties_keep_the_list_order() {
    let store = corpus();
    let page = |sort, descending| {
        store
            .list_page(&ListPage {
                collection: Some("zeta".into()),
                sort,
                descending,
                ..ListPage::default()
            })
            .expect("list_page")
            .0
            .iter()
            .map(|r| (r.number, r.words))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        page(ListSort::Words, false),
        vec![(2, 0), (6, 0), (5, 2), (1, 5), (3, 5), (4, 7), (7, 7)]
    );
    assert_eq!(
        page(ListSort::Words, true),
        vec![(7, 7), (4, 7), (3, 5), (1, 5), (5, 2), (6, 0), (2, 0)]
    );
    let dates = |descending| {
        store
            .list_page(&ListPage {
                collection: Some("zeta".into()),
                sort: ListSort::Date,
                descending,
                ..ListPage::default()
            })
            .expect("list_page")
            .0
            .iter()
            .map(|r| r.number)
            .collect::<Vec<_>>()
    };
    assert_eq!(dates(false), vec![2, 5, 4, 1, 3, 6, 7]);
    assert_eq!(dates(true), vec![7, 6, 3, 1, 4, 5, 2]);
}

#[test]
fn collection_names_are_those_the_list_shows() {
    let store = corpus();
    let mut old: Vec<String> = store
        .list(&ListFilter::default())
        .expect("list")
        .into_iter()
        .map(|r| r.collection)
        .collect();
    old.dedup();
    let names = store.collection_names().expect("names");
    assert_eq!(names, old);
    assert_eq!(names, ["alpha", "lex-fridman-notes", "lexicap", "zeta"]);
}
