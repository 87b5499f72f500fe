//! The store's API on both engines: each check writes the same input into
//! an SQLite file and into a fresh PostgreSQL database (the test cluster),
//! reads everything back through the same calls, and compares — episode
//! lists and pages, show, transcripts and segments, the feeds of search,
//! analysis and export, summaries and the LLM cache, embeddings, rewrites,
//! savepoints, and the change counter.

use podcorpus_core::{
    Chapter, Collect, Comment, Episode, EpisodeMeta, Segment, Subject, Transcript, TranscriptMeta,
};
use podcorpus_formats::naming::FileHints;
use podcorpus_formats::{Context, Format};
use podcorpus_store::embeddings::PassageKey;
use podcorpus_store::export_feed::ExportSelection;
use podcorpus_store::query::{ListFilter, ListPage, ListSort, TranscriptFilter};
use podcorpus_store::summaries::NewSummary;
use podcorpus_store::write::{CollectionSpec, FileRecord};
use podcorpus_store::Store;
use std::path::{Path, PathBuf};

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples")
}

/// An SQLite file and a PostgreSQL database, opened as the CLI opens them.
struct Both {
    _dir: tempfile::TempDir,
    sqlite: Store,
    pg: Store,
    /// The PostgreSQL URL, to open a second connection.
    url: String,
    /// The SQLite file, likewise.
    file: PathBuf,
}

fn both(label: &str) -> Both {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("c.db");
    let url = podcorpus_testpg::fresh_database(label);
    Both {
        sqlite: Store::open(&file).expect("SQLite opens"),
        pg: Store::open(Path::new(&url)).expect("PostgreSQL opens"),
        _dir: dir,
        url,
        file,
    }
}

impl Both {
    /// Runs `f` on each store; what it returns must be equal. Returns it.
    fn same<T: PartialEq + std::fmt::Debug>(&self, what: &str, f: impl Fn(&Store) -> T) -> T {
        let a = f(&self.sqlite);
        let b = f(&self.pg);
        if a != b {
            // The whole of both, for a diff: the assertion's lines are long.
            let out = std::env::temp_dir().join("podcorpus-engines");
            let _ = std::fs::create_dir_all(&out);
            let _ = std::fs::write(out.join("sqlite.txt"), format!("{a:#?}"));
            let _ = std::fs::write(out.join("postgres.txt"), format!("{b:#?}"));
        }
        assert_eq!(a, b, "{what}: SQLite (left) and PostgreSQL (right) differ");
        a
    }

    /// Runs `f` (which writes) on each store, in the same order.
    fn write(&self, f: impl Fn(&Store)) {
        f(&self.sqlite);
        f(&self.pg);
    }
}

/// `text` with every ISO moment (`2026-12-03T10:10:35Z`) written `<time>`:
/// a summary's `created` is the moment it was stored, a second apart on two
/// engines written one after the other.
fn masked(text: &str) -> String {
    let shape = b"dddd-dd-ddTdd:dd:ddZ";
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < b.len() {
        let fits = b.len() - i >= shape.len()
            && shape.iter().zip(&b[i..]).all(|(s, c)| match s {
                b'd' => c.is_ascii_digit(),
                s => s == c,
            });
        if fits {
            out.push_str("<time>");
            i += shape.len();
        } else {
            let ch = text[i..].chars().next().expect("a char");
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    out
}

/// Debug text of `v`, moments masked.
fn dbg<T: std::fmt::Debug>(v: &T) -> String {
    masked(&format!("{v:#?}"))
}

/// [`dbg`] with the database ids masked: a file written again gets new
/// ids, and SQLite reuses the largest rowid where PostgreSQL's sequence
/// moves on, so the two count apart from there.
fn dbg_without_ids<T: std::fmt::Debug>(v: &T) -> String {
    dbg(v)
        .lines()
        .map(|l| {
            let t = l.trim_start();
            if t.starts_with("id: ")
                || t.starts_with("episode_id: ")
                || t.starts_with("transcript_id: ")
            {
                format!("{}<id>", &l[..l.len() - t.len()])
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn write_file(store: &Store, path: &str, format: &str, collection: &str, parsed: &Collect) {
    let file = FileRecord {
        path: path.into(),
        hash: format!("hash of {path} with {} episodes", parsed.episodes.len()),
        format: format.into(),
        word_counts: Vec::new(),
    };
    let spec = CollectionSpec {
        name: collection.into(),
        kind: "folder".into(),
        url: None,
    };
    store.begin().expect("begin");
    store.savepoint().expect("savepoint");
    let written = store.write_file(&file, &spec, parsed).expect("write");
    assert!(written.refused.is_empty(), "{path}: {:?}", written.refused);
    store.release_savepoint().expect("release");
    store.commit().expect("commit");
}

/// Reads a sample file with the format its name and bytes say.
fn parse(path: &Path) -> (Format, Collect) {
    let text = std::fs::read_to_string(path).expect("sample");
    let name = path.file_name().and_then(|n| n.to_str()).expect("name");
    let format = Format::detect(name, text.as_bytes()).expect("format");
    let ctx = Context {
        hints: FileHints::from_file_name(name),
        ..Context::default()
    };
    let mut parsed = Collect::default();
    format.read(&ctx, &text, &mut parsed).expect("read");
    (format, parsed)
}

fn segment(start: u64, text: &str) -> Segment {
    Segment {
        start_ms: Some(start),
        end_ms: Some(start + 900),
        text: text.into(),
        ..Segment::default()
    }
}

/// Episodes that exercise what the samples lack: comments with replies,
/// non-ASCII text, chapters with and without times, a shared video.
fn made() -> Collect {
    let comment = |id: &str, parent: Option<&str>, text: &str, likes: u64| Comment {
        id: Some(id.into()),
        parent: parent.map(Into::into),
        author: Some(format!("@{id}")),
        by_uploader: id == "c3",
        pinned: id == "c1",
        favorited: likes > 10,
        text: text.into(),
        likes: Some(likes),
        time: Some("2022-03-04T05:06:07Z".into()),
    };
    Collect {
        episodes: vec![
            Episode {
                meta: EpisodeMeta {
                    number: Some(1),
                    video_id: Some("madevideo01".into()),
                    title: Some("Émile Zola — ΣΊΣΥΦΟΣ & 'quotes'".into()),
                    guests: vec!["Émile Zola".into(), "Straße".into()],
                    published: Some("2021-02-03".into()),
                    duration_ms: Some(5000),
                    ..EpisodeMeta::default()
                },
                chapters: vec![
                    Chapter {
                        title: "Opening".into(),
                        start_ms: Some(0),
                        text_pos: None,
                    },
                    Chapter {
                        title: "Café talk".into(),
                        start_ms: Some(2000),
                        text_pos: None,
                    },
                ],
                transcripts: vec![
                    Transcript {
                        meta: TranscriptMeta {
                            source: "youtube-manual".into(),
                            language: Some("en".into()),
                            provenance: None,
                        },
                        segments: vec![
                            segment(0, "Bonjour, the café is open. Don't panic!"),
                            segment(1000, "[Music] consciousness matters, it's said"),
                            segment(2000, "war and peace; war again — 100% sure"),
                        ],
                    },
                    Transcript {
                        meta: TranscriptMeta {
                            source: "youtube-auto".into(),
                            language: None,
                            provenance: None,
                        },
                        segments: vec![segment(0, "bonjour the cafe is open dont panic")],
                    },
                ],
                summaries: vec![podcorpus_core::Summary {
                    kind: "imported".into(),
                    subject: Subject::Comments,
                    text: "Viewers liked the café.".into(),
                }],
                comments: vec![
                    comment("c1", None, "First! The café part was great", 40),
                    comment("c2", Some("c1"), "Agreed — très bien", 3),
                    comment("c3", None, "Thanks all (the channel)", 12),
                    comment("c4", Some("c1"), "war is never the answer", 0),
                ],
                ..Episode::default()
            },
            Episode {
                meta: EpisodeMeta {
                    number: Some(2),
                    title: None,
                    ..EpisodeMeta::default()
                },
                ..Episode::default()
            },
        ],
        ..Collect::default()
    }
}

/// The samples (the notes document and the four Lexicap files) and the
/// made episodes, written into both.
fn corpus(label: &str) -> Both {
    let db = both(label);
    db.write(|store| {
        let notes = samples().join("lex-fridman-notes.txt");
        let (format, parsed) = parse(&notes);
        write_file(
            store,
            &notes.display().to_string(),
            format.name(),
            "lex-fridman-notes",
            &parsed,
        );
        for f in [
            "episode_049_large.vtt",
            "episode_049_small.vtt",
            "episode_316_large.vtt",
            "episode_316_small.vtt",
        ] {
            let path = samples().join("lexicap").join(f);
            let (format, parsed) = parse(&path);
            write_file(
                store,
                &path.display().to_string(),
                format.name(),
                "lexicap",
                &parsed,
            );
        }
        write_file(store, "/made/one.json", "json3", "made", &made());
    });
    db
}

#[test]
fn the_same_input_reads_back_the_same_through_every_query() {
    let db = corpus("queries");
    let list = db.same("list", |s| s.list(&ListFilter::default()).expect("list"));
    assert_eq!(list.len(), 10);
    db.same("list lexicap", |s| {
        s.list(&ListFilter {
            collection: Some("lexicap".into()),
        })
        .expect("list")
    });
    db.same("collection names", |s| s.collection_names().expect("names"));
    db.same("episode count", |s| s.episode_count().expect("count"));
    for sort in ListSort::ALL {
        for descending in [false, true] {
            for text in [
                None,
                Some("e"),
                Some("ÉMILE"),
                Some("straße"),
                Some("nothing like it"),
            ] {
                for (offset, limit) in [(0, 100), (2, 3)] {
                    let page = ListPage {
                        text: text.map(Into::into),
                        collection: None,
                        sort,
                        descending,
                        offset,
                        limit,
                    };
                    db.same(&format!("{page:?}"), |s| s.list_page(&page).expect("page"));
                }
            }
        }
    }
    let page = ListPage {
        text: None,
        collection: Some("made".into()),
        sort: ListSort::Title,
        descending: false,
        offset: 0,
        limit: 10,
    };
    assert_eq!(
        db.same("made page", |s| s.list_page(&page).expect("page"))
            .1,
        2
    );

    for e in &list {
        let name = format!("{}/{}", e.collection, e.number);
        db.same(&format!("show {name}"), |s| {
            dbg(&s.show(&name, true).expect("show"))
        });
        db.same(&format!("resolve {name}"), |s| {
            s.resolve(&name).expect("resolve")
        });
        if let Some(v) = &e.video_id {
            db.same(&format!("resolve {v}"), |s| s.resolve(v).expect("resolve"));
        }
        db.same(&format!("comments {name}"), |s| {
            (
                s.comments(e.id, true).expect("comments"),
                s.comments(e.id, false).expect("comments"),
            )
        });
        db.same(&format!("chapters {name}"), |s| {
            (
                s.chapters(e.id).expect("chapters"),
                s.chapters_preferring(e.id, Some("text")).expect("chapters"),
            )
        });
        db.same(&format!("summaries {name}"), |s| {
            dbg(&s.summaries(e.id, None).expect("summaries"))
        });
        db.same(&format!("memberships {name}"), |s| {
            s.memberships(e.id).expect("memberships")
        });
        db.same(&format!("fingerprints {name}"), |s| {
            s.episode_fingerprints(e.id).expect("fingerprints")
        });
        for source in ["whisper-large", "notes", "youtube-manual"] {
            db.same(&format!("provenance {name} {source}"), |s| {
                s.transcript_provenance(e.id, source).expect("provenance")
            });
        }
    }
    let errors = db.same("unknown names", |s| {
        ["nope/3", "lexicap/999", "nosuchvideo", ""]
            .map(|n| s.resolve(n).map(|_| ()).map_err(|e| e.to_string()))
    });
    assert!(errors.iter().all(Result::is_err));

    // Every transcript, its segments and text, by each filter.
    for f in [
        TranscriptFilter::default(),
        TranscriptFilter {
            all_sources: true,
            ..Default::default()
        },
        TranscriptFilter {
            collection: Some("lexicap".into()),
            source: Some("whisper-small".into()),
            ..Default::default()
        },
        TranscriptFilter {
            since: Some("2016-01-01".into()),
            until: Some("2021-12-31".into()),
            ..Default::default()
        },
        TranscriptFilter {
            episode_id: Some(list[0].id),
            all_sources: true,
            ..Default::default()
        },
    ] {
        db.same(&format!("{f:?}"), |s| {
            s.transcripts(&f).expect("transcripts")
        });
    }
    let all = db.same("all transcripts", |s| {
        s.transcripts(&TranscriptFilter {
            all_sources: true,
            ..Default::default()
        })
        .expect("transcripts")
    });
    assert_eq!(all.len(), 11);
    for t in &all {
        let segments = db.same(&format!("segments of {}", t.id), |s| {
            s.segments(t.id).expect("segments")
        });
        assert!(!segments.is_empty());
        db.same(&format!("text of {}", t.id), |s| {
            s.transcript_text(t.id).expect("text")
        });
        db.same(&format!("segment views of {}", t.id), |s| {
            let mut out = Vec::new();
            s.for_each_segment(t.id, |v| {
                out.push((
                    v.start_ms,
                    v.end_ms,
                    v.text.to_string(),
                    v.events_json.map(str::to_string),
                    v.events()?,
                ));
                Ok(())
            })
            .expect("each");
            out
        });
    }

    // The search feed and bookkeeping.
    db.same("transcript fingerprints", |s| {
        s.transcript_fingerprints().expect("fps")
    });
    let commented = db.same("commented episodes", |s| {
        s.commented_episodes(None).expect("commented")
    });
    assert_eq!(commented.len(), 1);
    // Its fingerprint: four comments, 40 + 3 + 12 + 0 likes, and its file.
    assert!(commented[0].comments.starts_with("4:55:"), "{commented:?}");
    db.same("file hashes", |s| s.file_hashes().expect("hashes"));
    let lexicap_file = samples()
        .join("lexicap/episode_316_large.vtt")
        .display()
        .to_string();
    let ep = db.same("episode of a file", |s| {
        s.episode_of_transcript_file(&lexicap_file, "whisper-large")
            .expect("episode")
    });
    assert!(ep.is_some());

    // The export feed.
    db.same("collections", |s| s.collections().expect("collections"));
    let doc = db.same("notes document", |s| {
        s.notes_document("lex-fridman-notes").expect("doc")
    });
    assert!(doc.is_some_and(|d| d.slots == 99));
    for sel in [
        ExportSelection::default(),
        ExportSelection {
            collection: Some("lexicap".into()),
            source: Some("whisper-small".into()),
            ..Default::default()
        },
        ExportSelection {
            since: Some("2019-01-01".into()),
            ..Default::default()
        },
        ExportSelection {
            episode_ids: Some(vec![list[0].id, list[9].id]),
            prefer_source: Some("notes".into()),
            ..Default::default()
        },
    ] {
        let items = db.same(&format!("export items {sel:?}"), |s| {
            s.export_items(&sel).expect("items")
        });
        for item in &items {
            db.same(&format!("export episode {item:?}"), |s| {
                s.export_episode(item).expect("episode")
            });
        }
    }
    assert_eq!(
        db.same("check", |s| s.check().expect("check")),
        Vec::<String>::new()
    );
}

#[test]
fn summaries_cache_and_embeddings_write_and_read_back_the_same() {
    let db = corpus("writes");
    let list = db.same("list", |s| s.list(&ListFilter::default()).expect("list"));
    let (a, b) = (list[0].id, list[5].id);
    let summary = |text: &str, model: Option<&str>| NewSummary {
        kind: "llm".into(),
        subject: Subject::Episode,
        text: text.into(),
        method: Some("map-reduce".into()),
        model: model.map(Into::into),
        params: Some(serde_json::json!({"temperature": 0.0, "points": 3})),
        prompt_hash: Some("abc123".into()),
        usage: Some(serde_json::json!({"prompt_tokens": 10})),
    };
    db.same("save summaries", |s| {
        s.save_summaries(&[
            (a, summary("first", Some("m1"))),
            (b, summary("other", None)),
        ])
        .map(|ids| ids.len())
        .expect("save")
    });
    // The same kind, method, model, parameters and prompt: replaced, not added.
    db.same("save again", |s| {
        s.save_summaries(&[(a, summary("second", Some("m1")))])
            .map(|ids| ids.len())
            .expect("save")
    });
    db.same("another model", |s| {
        s.save_summaries(&[(a, summary("third", Some("m2")))])
            .map(|ids| ids.len())
            .expect("save")
    });
    let stored = db.same("summaries", |s| {
        s.summaries(a, Some("llm"))
            .expect("summaries")
            .into_iter()
            .map(|x| (x.summary, x.episode_id))
            .collect::<Vec<_>>()
    });
    assert_eq!(
        stored
            .iter()
            .map(|(s, _)| s.text.as_str())
            .collect::<Vec<_>>(),
        ["second", "third"]
    );
    db.same("all summaries", |s| {
        dbg(&s
            .summaries(a, None)
            .expect("summaries")
            .into_iter()
            .map(|x| x.summary)
            .collect::<Vec<_>>())
    });
    db.same("with both kinds", |s| {
        s.episodes_with_summaries("imported", "llm", Subject::Episode)
            .expect("both")
    });
    db.same("show", |s| {
        dbg(&s
            .show(&format!("{}/{}", list[0].collection, list[0].number), false)
            .expect("show"))
    });

    db.write(|s| {
        s.llm_cache_put(
            "k1",
            "m1",
            "answer one",
            Some(&serde_json::json!({"total": 3})),
        )
        .expect("put");
        s.llm_cache_put("k1", "m1", "answer one, again", None)
            .expect("put");
        s.llm_cache_put("k2", "m2", "two ünïcode", None)
            .expect("put");
    });
    db.same("cache", |s| {
        ["k1", "k2", "k3"].map(|k| s.llm_cache_get(k).expect("get"))
    });

    let vectors = |n: usize| -> Vec<(String, Vec<f32>)> {
        (0..n)
            .map(|i| {
                (
                    format!("hash{i}"),
                    (0..384).map(|j| (i * 384 + j) as f32 / 7.0 - 3.5).collect(),
                )
            })
            .collect()
    };
    db.write(|s| {
        s.save_embeddings("mini", &vectors(5)).expect("save");
        // Stored ones are kept, new ones added.
        s.save_embeddings("mini", &vectors(7)).expect("save");
        let key = |o: i64| PassageKey {
            ordinal: o,
            hash: format!("hash{o}"),
            start_ms: Some(o as u64 * 1000),
        };
        s.save_passages("mini", 1, "fp1", &[key(0), key(1), key(2)])
            .expect("passages");
        s.save_passages("mini", 2, "fp2", &[key(3)])
            .expect("passages");
        // Replaced with its new fingerprint.
        s.save_passages("mini", 1, "fp1b", &[key(4), key(5)])
            .expect("passages");
        s.save_passages("other", 1, "fpx", &[key(6)])
            .expect("passages");
    });
    db.same("embedded fingerprints", |s| {
        s.embedded_fingerprints("mini").expect("fps")
    });
    let hashes = db.same("embedding hashes", |s| {
        s.embedding_hashes("mini").expect("hashes")
    });
    assert_eq!(hashes.len(), 7);
    let passages = db.same("embedded passages", |s| {
        s.embedded_passages("mini").expect("passages")
    });
    assert_eq!(
        passages
            .iter()
            .map(|p| (p.transcript_id, p.ordinal))
            .collect::<Vec<_>>(),
        [(1, 4), (1, 5), (2, 3)]
    );
    assert_eq!(
        db.same("other model", |s| s
            .embedded_passages("other")
            .expect("passages"))
            .len(),
        0
    );
    assert_eq!(
        db.same("check", |s| s.check().expect("check")),
        Vec::<String>::new()
    );
}

#[test]
fn rewrites_savepoints_and_rollbacks_behave_the_same() {
    let db = corpus("rewrites");
    let before = db.same("list", |s| s.list(&ListFilter::default()).expect("list"));
    // The made file again, with one episode fewer and other words.
    let mut changed = made();
    changed.episodes.truncate(1);
    changed.episodes[0].transcripts[0].segments[0].text = "Bonsoir, a different evening".into();
    changed.episodes[0].comments.truncate(1);
    db.write(|s| write_file(s, "/made/one.json", "json3", "made", &changed));
    let after = db.same("list after a rewrite", |s| {
        dbg_without_ids(&s.list(&ListFilter::default()).expect("list"))
    });
    assert_ne!(after, dbg_without_ids(&before));
    db.same("show after a rewrite", |s| {
        dbg_without_ids(&s.show("made/1", true).expect("show"))
    });
    db.same("commented after a rewrite", |s| {
        dbg_without_ids(&s.commented_episodes(None).expect("commented"))
    });
    db.same("fingerprints after a rewrite", |s| {
        let mut fps: Vec<String> = s
            .transcript_fingerprints()
            .expect("fps")
            .into_values()
            .collect();
        fps.sort();
        fps
    });

    // A file undone to its savepoint leaves nothing; the rest of the
    // transaction stays.
    let mut other = made();
    other.episodes[0].meta.video_id = Some("othervideo1".into());
    db.write(|s| {
        s.begin().expect("begin");
        s.savepoint().expect("savepoint");
        let file = FileRecord {
            path: "/made/kept.json".into(),
            hash: "kept".into(),
            format: "json3".into(),
            word_counts: Vec::new(),
        };
        let spec = CollectionSpec {
            name: "kept".into(),
            kind: "folder".into(),
            url: None,
        };
        s.write_file(&file, &spec, &other).expect("write");
        s.release_savepoint().expect("release");
        s.savepoint().expect("savepoint");
        let file = FileRecord {
            path: "/made/undone.json".into(),
            ..file
        };
        s.write_file(
            &file,
            &CollectionSpec {
                name: "undone".into(),
                ..spec
            },
            &made(),
        )
        .expect("write");
        s.undo_to_savepoint().expect("undo");
        s.commit().expect("commit");
    });
    let names = db.same("collections after a savepoint", |s| {
        s.collection_names().expect("names")
    });
    assert!(
        names.contains(&"kept".to_string()) && !names.contains(&"undone".to_string()),
        "{names:?}"
    );
    db.write(|s| {
        s.begin().expect("begin");
        write_file_in_tx(s, "/made/rolled.json", "rolled", &Collect::default());
        s.rollback().expect("rollback");
    });
    db.same("after a rollback", |s| {
        (
            s.collection_names().expect("names"),
            s.file_hashes().expect("hashes").len(),
        )
    });
    assert_eq!(
        db.same("check", |s| s.check().expect("check")),
        Vec::<String>::new()
    );
}

/// Writes `parsed` as the file `path` of `collection`, inside the open transaction.
fn write_file_in_tx(
    s: &Store,
    path: &str,
    collection: &str,
    parsed: &Collect,
) -> podcorpus_store::write::Written {
    try_write_file_in_tx(s, path, collection, parsed).expect("write")
}

/// [`write_file_in_tx`], its error returned.
fn try_write_file_in_tx(
    s: &Store,
    path: &str,
    collection: &str,
    parsed: &Collect,
) -> podcorpus_store::Result<podcorpus_store::write::Written> {
    let file = FileRecord {
        path: path.into(),
        hash: path.into(),
        format: "json3".into(),
        word_counts: Vec::new(),
    };
    let spec = CollectionSpec {
        name: collection.into(),
        kind: "folder".into(),
        url: None,
    };
    s.write_file(&file, &spec, parsed)
}

#[test]
fn another_connections_commit_changes_the_data_version_on_both() {
    let db = corpus("data_version");
    for (engine, reader, writer) in [
        (
            "SQLite",
            &db.sqlite,
            Store::open(&db.file).expect("second SQLite connection"),
        ),
        (
            "PostgreSQL",
            &db.pg,
            Store::open(Path::new(&db.url)).expect("second PostgreSQL connection"),
        ),
    ] {
        let v0 = reader.data_version().expect("version");
        assert_eq!(
            reader.data_version().expect("version"),
            v0,
            "{engine}: nothing changed"
        );
        // A corpus change (the LLM cache is not the corpus: PostgreSQL
        // counts changes of the corpus tables only).
        let episode = writer.resolve("made/1").expect("made/1").id;
        let point = NewSummary {
            kind: "extractive".into(),
            subject: Subject::Episode,
            text: "a point".into(),
            method: Some("lexrank-mmr".into()),
            model: None,
            params: None,
            prompt_hash: None,
            usage: None,
        };
        writer.save_summaries(&[(episode, point)]).expect("save");
        let v1 = reader.data_version().expect("version");
        assert_ne!(v1, v0, "{engine}: another connection committed");
        assert_eq!(
            reader.data_version().expect("version"),
            v1,
            "{engine}: nothing since"
        );
        // The reader sees the other's write.
        let texts: Vec<String> = reader
            .summaries(episode, Some("extractive"))
            .expect("summaries")
            .into_iter()
            .map(|s| s.summary.text)
            .collect();
        assert_eq!(texts, ["a point"]);
    }
}

/// Cues held for the commit (PostgreSQL writes a transaction's cues in one
/// `COPY`): a transcript replaced later in the same transaction keeps only
/// its new cues, and none belong to nothing.
#[test]
fn cues_held_for_the_commit_are_written_once_for_the_transcripts_that_remain() {
    let db = both("held_cues");
    let mut second = made();
    second.episodes[0].transcripts[0].segments = vec![
        segment(0, "the second file's words"),
        segment(700, "and only these"),
    ];
    db.write(|s| {
        s.begin().expect("begin");
        for (path, parsed) in [("/twice/a.json", made()), ("/twice/b.json", second.clone())] {
            s.savepoint().expect("savepoint");
            let w = write_file_in_tx(s, path, "twice", &parsed);
            assert_eq!(w.matched + w.created, 2, "{path}: {w:?}");
            s.release_savepoint().expect("release");
        }
        s.commit().expect("commit");
    });
    let texts = db.same("the cues of twice/1", |s| {
        let shown = s.show("twice/1", false).expect("show");
        let manual = shown
            .transcripts
            .iter()
            .find(|t| t.source == "youtube-manual")
            .expect("the manual transcript");
        s.segments(manual.id)
            .expect("segments")
            .into_iter()
            .map(|c| c.text)
            .collect::<Vec<_>>()
    });
    assert_eq!(texts, vec!["the second file's words", "and only these"]);
    assert_eq!(
        db.same("check", |s| s.check().expect("check")),
        Vec::<String>::new(),
        "no cue belongs to a replaced transcript"
    );
    // Every cue stored is a cue of a transcript that is there: on the
    // server, counted directly.
    let mut admin = postgres::Client::connect(&db.url, postgres::NoTls).expect("connect");
    let row = admin
        .query_one(
            "SELECT (SELECT count(*) FROM segments), (SELECT sum(segments) FROM transcripts)::BIGINT",
            &[],
        )
        .expect("counts");
    let (cues, promised): (i64, i64) = (row.get(0), row.get(1));
    assert_eq!((cues, promised), (3, 3), "2 manual cues and 1 automatic");
}

/// A statement sent in a pipeline fails the file that sent it, not the
/// next one: PostgreSQL refuses a NUL character (U+0000) in text, in a
/// comment (an `INSERT` held for the pipeline) or in a cue (held for the
/// commit's `COPY`); that file fails alone and is undone, and the files
/// before and after it are stored whole.
#[test]
fn a_file_refused_inside_the_pipeline_fails_alone_on_postgresql() {
    let db = both("pipeline_error");
    let s = &db.pg;
    // One episode: nothing after its comments waits for an answer, so only
    // the end of the file can report their error.
    let mut in_comment = made();
    in_comment.episodes.truncate(1);
    in_comment.episodes[0].comments[1].text = "a NUL \u{0} here".into();
    let mut in_cue = made();
    in_cue.episodes[0].transcripts[1].segments[0].text = "and \u{0} here".into();
    s.begin().expect("begin");
    let mut failed = Vec::new();
    for (path, collection, parsed) in [
        ("/p/first.json", "first", made()),
        ("/p/comment.json", "comment", in_comment),
        ("/p/cue.json", "cue", in_cue),
        ("/p/last.json", "last", made()),
    ] {
        s.savepoint().expect("savepoint");
        match try_write_file_in_tx(s, path, collection, &parsed) {
            Ok(_) => s.release_savepoint().expect("release"),
            Err(e) => {
                failed.push((collection, e.to_string()));
                s.undo_to_savepoint().expect("undo");
            }
        }
    }
    s.commit().expect("commit");
    assert_eq!(
        failed.iter().map(|f| f.0).collect::<Vec<_>>(),
        vec!["comment", "cue"],
        "{failed:?}"
    );
    assert!(
        failed[0].1.contains("NUL") && failed[0].1.contains("INSERT INTO comments"),
        "{failed:?}"
    );
    assert!(
        failed[1].1.contains("NUL") && failed[1].1.contains("segments"),
        "{failed:?}"
    );
    assert_eq!(s.collection_names().expect("names"), vec!["first", "last"]);
    for c in ["first", "last"] {
        let shown = s.show(&format!("{c}/1"), false).expect("show");
        assert_eq!(shown.transcripts.len(), 2, "{c}");
        for t in &shown.transcripts {
            assert_eq!(
                s.segments(t.id).expect("segments").len() as i64,
                t.segments,
                "{c}"
            );
        }
    }
    assert_eq!(s.check().expect("check"), Vec::<String>::new());
}
