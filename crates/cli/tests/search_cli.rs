//! `search`, `kwic` and `reindex` end to end on the bundled samples: the
//! index kept current by `import`, plain output when piped, JSON fields,
//! exit codes, syntax errors and the empty corpus.

use assert_cmd::Command;
use serde_json::Value;

mod support;
use support::{podcorpus, samples};

fn stdout(cmd: &mut Command) -> (i32, String, String) {
    let out = cmd.output().expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

#[test]
fn import_keeps_the_index_current_and_search_finds_cross_cue_phrases() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("c.db");
    let (code, out, _) = stdout(podcorpus(&db).arg("import").arg(samples().join("lexicap")));
    assert_eq!(code, 0);
    assert!(out.contains("search index: 4 transcripts indexed"), "{out}");
    assert!(dir.path().join("c.db.index").join("meta.json").exists());
    // Re-importing the same files indexes nothing.
    let (_, out, _) = stdout(podcorpus(&db).arg("import").arg(samples().join("lexicap")));
    assert!(!out.contains("search index"), "{out}");

    // Piped: plain text, no escape codes; the cue time of the match.
    let (code, out, _) = stdout(podcorpus(&db).args(["search", "\"Ukraine into the NATO\""]));
    assert_eq!(code, 0);
    assert!(!out.contains('\x1b'));
    assert!(
        out.starts_with("lexicap/316  [whisper-large]\n  00:06:56\n"),
        "{out}"
    );
    assert!(out.contains("integrate Ukraine into the NATO"), "{out}");

    let out = podcorpus(&db)
        .args(["--json", "search", "Chomsky", "--limit", "3"])
        .output()
        .expect("runs");
    let hits: Value = serde_json::from_slice(&out.stdout).expect("json");
    let hits = hits.as_array().expect("array");
    assert_eq!(hits.len(), 3);
    for key in [
        "collection",
        "number",
        "title",
        "start_ms",
        "score",
        "snippet",
        "url",
    ] {
        assert!(hits[0].get(key).is_some(), "{key} missing in {}", hits[0]);
    }
    assert_eq!(hits[0]["number"], 316);
    let scores: Vec<f64> = hits.iter().map(|h| h["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");

    // Nothing found: exit 1, as grep.
    let (code, out, _) = stdout(podcorpus(&db).args(["search", "zyzzyva"]));
    assert_eq!((code, out.trim()), (1, "no passage matches zyzzyva"));

    // A syntax error says where.
    let (code, _, err) = stdout(podcorpus(&db).args(["search", "war AND (china"]));
    assert_eq!(code, 2);
    assert!(err.contains("query syntax error at column 9"), "{err}");
    assert_eq!(err.matches("column 9").count(), 1, "{err}");
}

#[test]
fn kwic_aligns_the_keyword_and_counts_per_episode() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("c.db");
    podcorpus(&db)
        .arg("import")
        .arg(samples().join("lexicap"))
        .assert()
        .success();
    let (code, out, _) =
        stdout(podcorpus(&db).args(["kwic", "China", "--window", "3", "--limit", "0"]));
    assert_eq!(code, 0);
    let lines: Vec<&str> = out.lines().filter(|l| l.starts_with("lexicap/")).collect();
    assert!(lines.len() > 5);
    // The keyword starts in the same column on every line (two spaces on
    // each side of it; the contexts are single-spaced).
    let cols: Vec<usize> = lines
        .iter()
        .map(|l| l.to_lowercase().find("  china  ").expect("keyword column"))
        .collect();
    assert!(cols.windows(2).all(|w| w[0] == w[1]), "{out}");
    let total: usize = out
        .lines()
        .find(|l| l.contains("occurrences of"))
        .and_then(|l| l.split(' ').next())
        .and_then(|n| n.parse().ok())
        .expect("total line");
    assert_eq!(total, lines.len());
    assert!(out.contains("per episode: lexicap/316 "), "{out}");

    let out = podcorpus(&db)
        .args(["--json", "kwic", "war", "--sort", "left", "--limit", "2"])
        .output()
        .expect("runs");
    let c: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(c["total"].as_u64().unwrap() > 2);
    assert_eq!(c["lines"].as_array().unwrap().len(), 2);
    assert!(c["per_episode"][0]["count"].as_u64().unwrap() > 0);
}

#[test]
fn an_empty_corpus_says_how_to_import_and_reindex_rebuilds() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("c.db");
    let (code, _, err) = stdout(podcorpus(&db).args(["search", "love"]));
    assert_eq!(code, 2);
    assert!(err.contains("podcorpus import"), "{err}");
    // A database with no transcripts yet.
    rusqlite::Connection::open(&db).unwrap();
    podcorpus(&db).arg("list").assert().success();
    let (code, _, err) = stdout(podcorpus(&db).args(["kwic", "love"]));
    assert_eq!(code, 2);
    assert!(
        err.contains("the corpus is empty: import transcripts first"),
        "{err}"
    );

    podcorpus(&db)
        .arg("import")
        .arg(samples().join("lexicap"))
        .assert()
        .success();
    std::fs::remove_dir_all(dir.path().join("c.db.index")).unwrap();
    let (code, out, _) = stdout(podcorpus(&db).arg("reindex"));
    assert_eq!(code, 0);
    assert!(out.starts_with("indexed 4 transcripts ("), "{out}");
    let (code, _, _) = stdout(podcorpus(&db).args(["search", "\"integrate Ukraine\""]));
    assert_eq!(code, 0);
}

/// The yt-dlp fixture with comments (12, 5 of them replies), as `fetch
/// --comments` leaves it, copied where a test can change it.
fn comments_fixture(dir: &std::path::Path) -> (std::path::PathBuf, Value) {
    let from =
        samples().join("../crates/formats/tests/fixtures/ytdlp-comments/o8nZaDw_mOs.info.json");
    let text = std::fs::read_to_string(from).expect("read fixture");
    let folder = dir.join("downloads");
    std::fs::create_dir_all(&folder).expect("mkdir");
    let path = folder.join("o8nZaDw_mOs.info.json");
    std::fs::write(&path, &text).expect("write");
    (path, serde_json::from_str(&text).expect("fixture json"))
}

fn link(comment_id: &str) -> String {
    format!("https://www.youtube.com/watch?v=o8nZaDw_mOs&lc={comment_id}")
}

#[test]
fn search_and_kwic_in_comments() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("c.db");
    let (info_path, mut info) = comments_fixture(dir.path());
    let (code, out, _) = stdout(
        podcorpus(&db)
            .arg("import")
            .arg(samples().join("lexicap"))
            .arg(&info_path),
    );
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains(
            "search index: the comments of 1 episodes indexed (12 comments), of 0 removed"
        ),
        "{out}"
    );

    // Plain: the episode, then the author and likes where a passage has its
    // time, and the link to the comment.
    let (code, out, _) = stdout(podcorpus(&db).args(["search", "--in", "comments", "practice"]));
    assert_eq!(code, 0);
    let blocks: Vec<&str> = out.split("\n\n").collect();
    assert_eq!(blocks.len(), 2, "{out}");
    assert_eq!(
        blocks[0],
        format!(
            "Lex Fridman/1  Ido Portal: Movement  [comment]\n  @stretchy · 88 likes  {}\n  Agreed. Movement as a lifelong practice is the key idea.",
            link("Ugw7Hk3Lm0QpRst9Uv84AaABAg.9Aa1Bb2Cc3D")
        )
    );
    assert!(
        blocks[1].contains(&format!(
            "@movementlover · 1530 likes  {}",
            link("Ugw7Hk3Lm0QpRst9Uv84AaABAg")
        )),
        "{out}"
    );

    // JSON: kind, author, likes, comment_id and url, from the fixture's values.
    let hits = support::json(podcorpus(&db).args(["search", "--in", "comments", "movement"]));
    let mut got: Vec<(String, u64, String, String)> = hits
        .as_array()
        .expect("array")
        .iter()
        .map(|h| {
            assert_eq!(h["kind"], "comment", "{h}");
            assert_eq!(h["collection"], "Lex Fridman", "{h}");
            (
                h["author"].as_str().expect("author").to_string(),
                h["likes"].as_u64().expect("likes"),
                h["comment_id"].as_str().expect("id").to_string(),
                h["url"].as_str().expect("url").to_string(),
            )
        })
        .collect();
    got.sort();
    let mut want: Vec<(String, u64, String, String)> = info["comments"]
        .as_array()
        .expect("comments")
        .iter()
        .filter(|c| {
            podcorpus_search::tokens::terms(c["text"].as_str().unwrap_or(""))
                .contains(&"movement".to_string())
        })
        .map(|c| {
            let id = c["id"].as_str().expect("id").to_string();
            (
                c["author"].as_str().expect("author").to_string(),
                c["like_count"].as_u64().expect("likes"),
                link(&id),
                id,
            )
        })
        .map(|(a, l, url, id)| (a, l, id, url))
        .collect();
    want.sort();
    assert_eq!(want.len(), 3);
    assert_eq!(got, want);

    // The default search finds passages only, their JSON as before.
    let hits = support::json(podcorpus(&db).args(["search", "movement", "--limit", "50"]));
    let hits = hits.as_array().expect("array");
    assert!(!hits.is_empty());
    for h in hits {
        assert_eq!(h["kind"], "transcript", "{h}");
        assert_eq!(h["collection"], "lexicap", "{h}");
        for key in ["author", "likes", "comment_id"] {
            assert!(h.get(key).is_none(), "{key} in {h}");
        }
        assert!(h["start_ms"].is_u64(), "{h}");
    }
    let (code, out, _) = stdout(podcorpus(&db).args(["search", "--in", "comments", "zyzzyva"]));
    assert_eq!((code, out.trim()), (1, "no comment matches zyzzyva"));

    // kwic: every occurrence, with the author for a time; the totals are a
    // brute-force count over the fixture's texts with the index's tokenizer.
    let texts: Vec<String> = info["comments"]
        .as_array()
        .expect("comments")
        .iter()
        .map(|c| c["text"].as_str().unwrap_or("").to_string())
        .collect();
    for keyword in ["movement", "the", "a", "thank you", "lex", "is"] {
        let seq = podcorpus_search::tokens::terms(keyword);
        let want: usize = texts
            .iter()
            .map(|t| {
                let toks = podcorpus_search::tokens::terms(t);
                toks.windows(seq.len())
                    .filter(|w| *w == seq.as_slice())
                    .count()
            })
            .sum();
        let c = support::json(
            podcorpus(&db).args(["kwic", "--in", "comments", keyword, "--limit", "0"]),
        );
        assert_eq!(c["total"].as_u64(), Some(want as u64), "{keyword}");
        assert_eq!(c["lines"].as_array().map(Vec::len), Some(want), "{keyword}");
        if want > 0 {
            assert_eq!(
                c["per_episode"][0]["count"].as_u64(),
                Some(want as u64),
                "{keyword}"
            );
        }
    }
    let (code, out, _) =
        stdout(podcorpus(&db).args(["kwic", "--in", "comments", "movement", "--window", "3"]));
    assert_eq!(code, 0);
    assert!(
        out.contains(
            // The left column is as wide as its longest context, `Ido's
            // approach to` (one token `Ido's`, 17 chars): 7 + 2 + 10 spaces.
            "Lex Fridman/1 @stretchy · 88 likes                   Agreed.  Movement  as a lifelong"
        ),
        "{out}"
    );
    assert!(
        out.contains("3 occurrences of \"movement\" in 1 episodes\nper episode: Lex Fridman/1 3"),
        "{out}"
    );

    // What does not go with comments is a usage error.
    for command in ["search", "kwic"] {
        let (code, _, err) = stdout(podcorpus(&db).args([
            command,
            "--in",
            "comments",
            "--source",
            "whisper-large",
            "movement",
        ]));
        assert_eq!(code, 2, "{command}");
        assert!(
            err.contains("--source and --in comments do not go together"),
            "{command}: {err}"
        );
    }
    let (code, _, err) =
        stdout(podcorpus(&db).args(["search", "--in", "comments", "--hybrid", "movement"]));
    assert_eq!(code, 2);
    assert!(err.contains("comments are not embedded"), "{err}");
    let (code, _, err) = stdout(podcorpus(&db).args(["search", "--in", "everything", "movement"]));
    assert_eq!(code, 2);
    assert!(
        err.contains("transcripts") && err.contains("comments"),
        "{err}"
    );

    // A re-fetch changes a comment and loses a reply: re-imported, the old
    // words are gone and the new ones found.
    let list = info["comments"].as_array_mut().expect("comments");
    for c in list.iter_mut() {
        if c["author"] == "@movementlover" && c["parent"] == "root" {
            c["text"] = "Ido Portal is a wizard of movement.".into();
        }
    }
    list.retain(|c| c["author"] != "@orphan");
    std::fs::write(&info_path, info.to_string()).expect("rewrite");
    let (code, out, _) = stdout(podcorpus(&db).arg("import").arg(&info_path));
    assert_eq!(code, 0);
    assert!(
        out.contains("search index: the comments of 1 episodes indexed (11 comments)"),
        "{out}"
    );
    let (code, _, _) = stdout(podcorpus(&db).args(["search", "--in", "comments", "genius"]));
    assert_eq!(code, 1);
    let (code, _, _) = stdout(podcorpus(&db).args(["search", "--in", "comments", "replying"]));
    assert_eq!(code, 1);
    let hits = support::json(podcorpus(&db).args(["search", "--in", "comments", "wizard"]));
    assert_eq!(hits.as_array().map(Vec::len), Some(1));
    assert_eq!(hits[0]["author"], "@movementlover");
    assert_eq!(hits[0]["likes"], 1530);
    assert_eq!(hits[0]["url"], link("Ugw7Hk3Lm0QpRst9Uv84AaABAg"));
    let c = support::json(podcorpus(&db).args(["kwic", "--in", "comments", "movement"]));
    assert_eq!(c["total"], 3);

    // reindex rebuilds the comments too.
    let (code, out, _) = stdout(podcorpus(&db).arg("reindex"));
    assert_eq!(code, 0);
    assert!(
        out.contains("\nindexed the comments of 1 episodes (11 comments)\n"),
        "{out}"
    );
    let (code, _, _) = stdout(podcorpus(&db).args(["search", "--in", "comments", "wizard"]));
    assert_eq!(code, 0);
}

/// A corpus of comments alone (a video without captions) is searched in
/// its comments; its transcripts search finds nothing.
#[test]
fn a_corpus_of_comments_alone_is_searched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("c.db");
    let (info_path, _) = comments_fixture(dir.path());
    podcorpus(&db)
        .arg("import")
        .arg(&info_path)
        .assert()
        .success();
    let (code, out, _) = stdout(podcorpus(&db).args(["search", "--in", "comments", "subscribe"]));
    assert_eq!(code, 0);
    assert!(out.contains("  @fitspam2020 · 0 likes  "), "{out}");
    let (code, out, _) = stdout(podcorpus(&db).args(["search", "subscribe"]));
    assert_eq!((code, out.trim()), (1, "no passage matches subscribe"));
}
