//! The `podcorpus` binary end to end on both store engines: every command
//! run against a PostgreSQL database (`--db postgres://...`, a fresh one on
//! the test cluster) must print what the same command prints against an
//! SQLite file holding the same input — import, re-import, a bad file, an
//! import killed with SIGKILL, list, show, stats, kwic, freq, collocates,
//! compare, search, summarize, every export format, and serve.

mod support;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Stdio};
use std::time::{Duration, Instant};
use support::{podcorpus, samples};

/// One corpus database on one engine, with its own folder for what is
/// derived from it (the search index), so tests never share an index.
struct Db {
    /// `--db`: an SQLite file or a `postgres://` URL.
    db: PathBuf,
    /// PODCORPUS_CACHE for a server's index; the SQLite index sits beside its file.
    cache: PathBuf,
}

/// What one run printed.
#[derive(Debug, PartialEq)]
struct Out {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Db {
    fn sqlite(dir: &Path, name: &str) -> Db {
        Db {
            db: dir.join(format!("{name}.db")),
            cache: dir.join(format!("{name}.cache")),
        }
    }

    fn postgres(dir: &Path, label: &str) -> Db {
        Db {
            db: PathBuf::from(podcorpus_testpg::fresh_database(label)),
            cache: dir.join(format!("{label}.cache")),
        }
    }

    fn cmd(&self) -> assert_cmd::Command {
        let mut cmd = podcorpus(&self.db);
        cmd.env("PODCORPUS_CACHE", &self.cache);
        cmd
    }

    fn run<S: AsRef<std::ffi::OsStr>>(&self, args: &[S]) -> Out {
        let out = self.cmd().args(args).output().expect("runs");
        Out {
            code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Runs with `--json`, expects success, parses stdout.
    fn json<S: AsRef<std::ffi::OsStr>>(&self, args: &[S]) -> Value {
        let out = self.cmd().arg("--json").args(args).output().expect("runs");
        assert!(
            out.status.success(),
            "{:?} on {}: {}",
            args.iter().map(|a| a.as_ref()).collect::<Vec<_>>(),
            self.db.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("valid JSON")
    }

    fn store(&self) -> podcorpus_store::Store {
        podcorpus_store::Store::open(&self.db).expect("store opens")
    }
}

/// An SQLite file and a PostgreSQL database, to be given the same input.
struct Pair {
    sqlite: Db,
    pg: Db,
}

impl Pair {
    fn new(dir: &Path, label: &str) -> Pair {
        Pair {
            sqlite: Db::sqlite(dir, label),
            pg: Db::postgres(dir, label),
        }
    }

    /// Runs `args` on both; the exit code, stdout and stderr must be equal.
    fn same<S: AsRef<std::ffi::OsStr>>(&self, args: &[S]) -> Out {
        let a = self.sqlite.run(args);
        let b = self.pg.run(args);
        assert_eq!(
            a,
            b,
            "{:?}: SQLite (left) and PostgreSQL (right) differ",
            args.iter().map(|a| a.as_ref()).collect::<Vec<_>>()
        );
        a
    }

    /// Runs `args` with `--json` on both; the values must be equal after
    /// `normalize` (which leaves out what legitimately differs).
    fn same_json<S: AsRef<std::ffi::OsStr>>(&self, args: &[S]) -> Value {
        let a = without_times(self.sqlite.json(args));
        let b = without_times(self.pg.json(args));
        assert_eq!(
            a,
            b,
            "{:?}: SQLite (left) and PostgreSQL (right) differ",
            args.iter().map(|a| a.as_ref()).collect::<Vec<_>>()
        );
        a
    }
}

/// The value with every `created` field (the moment a summary was stored:
/// two imports a second apart differ there, on any engine) and every
/// measured speed (`embed`'s `seconds` and `passages_per_second`) set to null.
fn without_times(mut v: Value) -> Value {
    fn walk(v: &mut Value) {
        match v {
            Value::Object(m) => {
                for (k, x) in m.iter_mut() {
                    let moment = k == "created" && x.is_string();
                    let speed = (k == "seconds" || k == "passages_per_second") && x.is_number();
                    if moment || speed {
                        *x = Value::Null;
                    } else {
                        walk(x);
                    }
                }
            }
            Value::Array(a) => a.iter_mut().for_each(walk),
            _ => {}
        }
    }
    walk(&mut v);
    v
}

/// The text with every ISO moment (`2026-12-03T10:10:35Z`) written `<time>`:
/// `show` prints when each summary was stored.
fn masked_moments(text: &str) -> String {
    let b = text.as_bytes();
    let shape = b"dddd-dd-ddTdd:dd:ddZ";
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

fn notes() -> PathBuf {
    samples().join("lex-fridman-notes.txt")
}

fn lexicap() -> PathBuf {
    samples().join("lexicap")
}

/// Every episode name (`COLLECTION/NUMBER`) of a `list --json`.
fn names(list: &Value) -> Vec<String> {
    list.as_array()
        .expect("list is an array")
        .iter()
        .map(|e| {
            format!(
                "{}/{}",
                e["collection"].as_str().expect("collection"),
                e["number"]
            )
        })
        .collect()
}

/// Every file under `dir` with its bytes, by path under `dir`.
fn files(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).expect("read_dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                todo.push(path);
            } else {
                let name = path.strip_prefix(dir).expect("under").display().to_string();
                out.insert(name, std::fs::read(&path).expect("read"));
            }
        }
    }
    out
}

/// The samples imported into both: reading commands print the same.
#[test]
fn the_samples_read_the_same_on_both_engines() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pair = Pair::new(dir.path(), "samples");
    let report = pair.same_json(&[PathBuf::from("import"), notes(), lexicap()]);
    assert_eq!(report["files"], 5);
    assert_eq!(report["transcripts"], 9);
    assert_eq!(report["failed"], Value::Array(vec![]));

    // list and stats, as tables and as JSON.
    let list = pair.same_json(&["list"]);
    assert_eq!(list.as_array().map(Vec::len), Some(8));
    assert!(pair.same(&["list"]).stdout.starts_with("COLLECTION"));
    pair.same(&["list", "--collection", "lexicap"]);
    let stats = pair.same_json(&["stats"]);
    assert!(
        stats["tokens"].as_u64().is_some_and(|t| t > 50_000),
        "{stats}"
    );
    pair.same(&["stats"]);
    pair.same(&["stats", "--csv"]);
    for by in ["episode", "guest", "year"] {
        pair.same_json(&["stats", "--by", by]);
        pair.same(&["stats", "--by", by]);
    }
    pair.same_json(&["stats", "--source", "whisper-small"]);

    // show, every episode, JSON and text (the text with its moments masked).
    for name in names(&list) {
        let shown = pair.same_json(&["show", &name]);
        assert!(shown["title"].is_string() || shown["title"].is_null());
        let a = pair.sqlite.run(&["show", &name, "--text"]);
        let b = pair.pg.run(&["show", &name, "--text"]);
        assert_eq!(a.code, Some(0), "{}", a.stderr);
        assert_eq!(
            masked_moments(&a.stdout),
            masked_moments(&b.stdout),
            "show {name} --text"
        );
        assert_eq!(a.stderr, b.stderr);
    }

    // kwic: the totals and every line, for patterns of each kind.
    for pattern in [
        "war",
        "consci*",
        "\"nuclear war\"",
        "lemma:run",
        "/(cat|dog)s?/",
        "wom?n",
        "\"putin ukraine\"~10",
    ] {
        // Lines at one moment (untimed notes transcripts, two sources
        // with --all-sources) or of equal context (--sort left/right) come
        // in the search index's document order, which the parallel import
        // makes: their order is not compared, all else is.
        let k = same_kwic(&pair, &["kwic", pattern, "--limit", "0"]);
        assert!(k["total"].as_u64().is_some_and(|n| n > 0), "{pattern}: {k}");
        same_kwic(&pair, &["kwic", pattern, "--all-sources", "--limit", "0"]);
        same_lines(&pair, &["kwic", pattern, "--sort", "left", "--limit", "0"]);
        same_lines(&pair, &["kwic", pattern, "--sort", "right", "--limit", "0"]);
    }
    let war = same_kwic(&pair, &["kwic", "war", "--limit", "0"]);
    assert!(war["total"].as_u64().is_some_and(|n| n > 10), "{war}");
    same_kwic(&pair, &["kwic", "Putin", "--case", "--limit", "0"]);

    // freq, collocates.
    pair.same_json(&["freq"]);
    pair.same_json(&["freq", "--ngram", "2", "--no-stop", "--top", "200"]);
    pair.same_json(&["freq", "lexicap/316", "--top", "500"]);
    pair.same(&["freq", "--ngram", "3"]);
    pair.same_json(&["collocates", "war"]);
    pair.same_json(&["collocates", "consci*", "--no-stop", "--min-count", "1"]);

    // compare: WER of one episode's two transcripts, and of every pair.
    let wer = pair.same_json(&[
        "compare",
        "lexicap/316",
        "--ref",
        "whisper-large",
        "--hyp",
        "whisper-small",
    ]);
    assert!(wer.to_string().contains("wer"), "{wer}");
    pair.same_json(&[
        "compare",
        "--all",
        "--ref",
        "whisper-large",
        "--hyp",
        "whisper-small",
    ]);
    pair.same(&[
        "compare",
        "--all",
        "--ref",
        "whisper-large",
        "--hyp",
        "whisper-small",
    ]);

    // search: every hit (no limit cuts between equal scores), then the top 10.
    for q in [
        "war",
        "consciousness",
        "\"Ukraine into the NATO\"",
        "title:tensorflow graph",
        "love OR fear",
    ] {
        same_search(&pair, q);
    }

    // summarize (extractive, stored nowhere): the same key points.
    for name in names(&list) {
        let a = pair
            .sqlite
            .run(&["--json", "summarize", &name, "--dry-run"]);
        let b = pair.pg.run(&["--json", "summarize", &name, "--dry-run"]);
        assert_eq!(a, b, "summarize {name}");
    }
    pair.same(&["summarize", "lexicap/316", "--points", "5"]);
    // Stored: show lists it beside the imported summaries.
    let s = pair.same_json(&["show", "lexicap/316"]);
    assert!(
        s["summaries"].as_array().is_some_and(|a| !a.is_empty()),
        "{s}"
    );
    pair.same_json(&[
        "summarize",
        "lex-fridman-notes/5",
        "--by",
        "chapter",
        "--dry-run",
    ]);

    // export: every format, byte for byte.
    let out = dir.path().join("export");
    for (engine, db) in [("sqlite", &pair.sqlite), ("pg", &pair.pg)] {
        let to = out.join(engine);
        std::fs::create_dir_all(&to).expect("mkdir");
        for (format, name, extra) in [
            (
                "notes",
                "lex-fridman-notes.txt",
                &["--collection", "lex-fridman-notes"][..],
            ),
            ("jsonl", "c.jsonl", &["--segments"][..]),
            ("jsonl", "plain.jsonl", &[][..]),
            ("csv", "c.csv", &[][..]),
            ("csv", "segments.csv", &["--segments"][..]),
            ("parquet", "c.parquet", &["--segments", "--comments"][..]),
            ("txt", "txt", &[][..]),
            ("vtt", "vtt", &[][..]),
            ("srt", "srt", &["--source", "whisper-small"][..]),
            ("hf", "hf", &["--segments"][..]),
        ] {
            let mut cmd = db.cmd();
            cmd.args(["export", "--format", format, "--output"])
                .arg(to.join(name))
                .args(extra);
            let o = cmd.output().expect("export runs");
            assert!(
                o.status.success(),
                "{engine} export {format}: {}",
                String::from_utf8_lossy(&o.stderr)
            );
        }
    }
    let a = files(&out.join("sqlite"));
    let b = files(&out.join("pg"));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    assert!(a.len() > 20, "{:?}", a.keys());
    for (name, bytes) in &a {
        assert!(
            b[name] == *bytes,
            "export {name}: SQLite and PostgreSQL wrote different bytes"
        );
    }

    // The notes document: exported from PostgreSQL, imported into a second
    // PostgreSQL database and exported again, it is the same document.
    let first = out.join("pg/lex-fridman-notes.txt");
    let again = Db::postgres(dir.path(), "notes_again");
    let r = again.json(&[PathBuf::from("import"), first.clone()]);
    assert_eq!(r["episodes"], 6);
    let second = out.join("again.txt");
    let o = again
        .cmd()
        .args(["export", "--format", "notes", "--output"])
        .arg(&second)
        .output()
        .expect("export runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        std::fs::read(&first).expect("first") == std::fs::read(&second).expect("second"),
        "the notes document changed on its way through PostgreSQL"
    );
    // And it holds what the original holds, episode by episode.
    let notes_only = Db::postgres(dir.path(), "notes_original");
    notes_only.json(&[PathBuf::from("import"), notes()]);
    for n in 1..=6 {
        let name = format!("lex-fridman-notes/{n}");
        let x = without_times(notes_only.json(&["show", &name]));
        let y = without_times(again.json(&["show", &name]));
        assert_eq!(strip_ids(x), strip_ids(y), "{name}");
    }
}

/// A `kwic --json` with its lines in a fixed order (by their JSON text).
fn kwic_sorted(mut v: Value) -> Value {
    if let Some(lines) = v.get_mut("lines").and_then(Value::as_array_mut) {
        lines.sort_by_cached_key(|l| l.to_string());
    }
    v
}

/// `kwic ... --json` on both: the same keyword, total, counts per episode
/// and lines, in the same order (lines are ordered by the corpus, never by
/// how an index happened to be written).
fn same_kwic(pair: &Pair, args: &[&str]) -> Value {
    let a = pair.sqlite.json(args);
    let b = pair.pg.json(args);
    assert_eq!(
        a, b,
        "{args:?}: SQLite (left) and PostgreSQL (right) differ"
    );
    a
}

/// Runs `args` on both: the same lines in the same order (ties in a
/// sorted concordance fall back to the corpus's order).
fn same_lines(pair: &Pair, args: &[&str]) {
    let a = pair.sqlite.run(args);
    let b = pair.pg.run(args);
    assert_eq!((a.code, &a.stderr), (b.code, &b.stderr), "{args:?}");
    assert_eq!(a.code, Some(0), "{args:?}: {}", a.stderr);
    assert_eq!(a.stdout, b.stdout, "{args:?}");
}

/// The value with database ids (which count differently in two databases
/// that were written differently) left out.
fn strip_ids(mut v: Value) -> Value {
    if let Value::Object(m) = &mut v {
        m.remove("id");
        for t in m
            .get_mut("transcripts")
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
        {
            if let Value::Object(t) = t {
                t.remove("id");
            }
        }
    }
    v
}

/// `search QUERY` on both: all hits equal (sorted by score, ties by
/// place); then the default top 10, equal above the lowest score shown.
fn same_search(pair: &Pair, q: &str) {
    // By score, then by the whole hit: untimed passages share a place.
    let key = |h: &Value| {
        (
            -(h["score"].as_f64().unwrap_or(0.0) * 1e6).round() as i64,
            h.to_string(),
        )
    };
    let hits = |db: &Db, limit: &str| -> Vec<Value> {
        db.json(&["search", q, "--limit", limit])
            .as_array()
            .expect("hits")
            .clone()
    };
    // Every hit: equal scores come in the corpus's order, so the lists are
    // the same in the same order.
    let a = hits(&pair.sqlite, "100000");
    let b = hits(&pair.pg, "100000");
    assert!(!a.is_empty(), "{q}: no hits");
    assert_eq!(a, b, "search {q}: all hits");
    let a = hits(&pair.sqlite, "10");
    let b = hits(&pair.pg, "10");
    let scores = |h: &[Value]| h.iter().map(|h| h["score"].clone()).collect::<Vec<_>>();
    assert_eq!(scores(&a), scores(&b), "search {q}: the top 10's scores");
    let last = a.last().map(|h| h["score"].clone());
    // Above the lowest score shown every hit is in both; equal scores
    // may come in either order.
    let above = |h: &[Value]| {
        let mut v = h
            .iter()
            .filter(|h| Some(&h["score"]) != last.as_ref())
            .cloned()
            .collect::<Vec<_>>();
        v.sort_by_cached_key(key);
        v
    };
    assert_eq!(
        above(&a),
        above(&b),
        "search {q}: the top 10 above its lowest score"
    );
    if a != b {
        eprintln!("search {q}: the top 10 differ in order or at the cut among hits of equal score");
    }
}

/// A folder of copies of the Lexicap samples under `names`, taken in turn.
fn copy_samples(folder: &Path, names: impl Iterator<Item = String>) {
    std::fs::create_dir_all(folder).expect("mkdir");
    let mut sources: Vec<PathBuf> = std::fs::read_dir(lexicap())
        .expect("samples")
        .map(|e| e.expect("entry").path())
        .collect();
    sources.sort();
    for (i, name) in names.enumerate() {
        std::fs::copy(&sources[i % sources.len()], folder.join(name)).expect("copy");
    }
}

/// A re-import of the same files writes nothing; a changed file is read again.
#[test]
fn reimport_is_a_no_op_and_a_changed_file_is_imported_again() {
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("lexicap");
    copy_samples(
        &folder,
        ["049_large", "049_small", "316_large", "316_small"]
            .iter()
            .map(|s| format!("episode_{s}.vtt")),
    );
    std::fs::copy(notes(), dir.path().join("lex-fridman-notes.txt")).expect("copy");
    let inputs = [folder.clone(), dir.path().join("lex-fridman-notes.txt")];
    let import: Vec<std::ffi::OsString> = std::iter::once("import".into())
        .chain(inputs.iter().map(|p| p.clone().into_os_string()))
        .collect();
    let pair = Pair::new(dir.path(), "reimport");
    let first = pair.same_json(&import);
    assert_eq!(
        (first["imported"].as_u64(), first["unchanged"].as_u64()),
        (Some(5), Some(0))
    );
    let before = pair.same_json(&["list"]);
    let version = pair.pg.store().data_version().expect("data_version");

    let again = pair.same_json(&import);
    assert_eq!(
        (
            again["imported"].as_u64(),
            again["unchanged"].as_u64(),
            again["episodes"].as_u64()
        ),
        (Some(0), Some(5), Some(0)),
        "{again}"
    );
    assert_eq!(again["index"]["indexed"], 0, "{again}");
    assert_eq!(pair.same_json(&["list"]), before);
    assert_eq!(
        pair.pg.store().data_version().expect("data_version"),
        version,
        "nothing was written"
    );

    // One file changed: a cue's words replaced. It alone is imported again.
    let changed = folder.join("episode_316_small.vtt");
    let text = std::fs::read_to_string(&changed).expect("read");
    assert!(text.contains("Chomsky"));
    std::fs::write(&changed, text.replacen("Chomsky", "Chomsky zebrafinch", 1)).expect("write");
    let third = pair.same_json(&import);
    assert_eq!(
        (third["imported"].as_u64(), third["unchanged"].as_u64()),
        (Some(1), Some(4)),
        "{third}"
    );
    assert_eq!(third["index"]["indexed"], 1, "{third}");
    let list = pair.same_json(&["list"]);
    assert_eq!(
        list.as_array().map(Vec::len),
        before.as_array().map(Vec::len)
    );
    let k = pair.same_json(&["kwic", "zebrafinch", "--all-sources"]);
    assert!(k.to_string().contains("zebrafinch"), "{k}");
    pair.same_json(&["stats", "lexicap/316", "--source", "whisper-small"]);
    pair.same_json(&["stats"]);
}

/// Bad files next to good ones: the same error naming each bad file, the
/// same exit code, and the good files imported.
#[test]
fn bad_files_fail_alone_with_the_same_error_on_both() {
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("mixed");
    copy_samples(
        &folder,
        ["049_large", "316_large"]
            .iter()
            .map(|s| format!("episode_{s}.vtt")),
    );
    std::fs::write(
        folder.join("episode_007_large.vtt"),
        "WEBVTT\n\n00:00.000 --> banana\n hello\n",
    )
    .expect("write");
    let good = std::fs::read(lexicap().join("episode_049_small.vtt")).expect("read");
    std::fs::write(
        folder.join("episode_008_large.vtt"),
        [&[0xff, 0xfe, 0x00][..], &good[..100]].concat(),
    )
    .expect("write");
    let pair = Pair::new(dir.path(), "bad");
    let out = pair.same(&[PathBuf::from("import"), folder.clone()]);
    assert_eq!(out.code, Some(1), "{out:?}");
    assert!(
        out.stderr.contains("episode_007_large.vtt") && out.stderr.contains("line 3"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("episode_008_large.vtt"),
        "{}",
        out.stderr
    );
    let list = pair.same_json(&["list"]);
    assert_eq!(
        names(&list),
        vec!["mixed/49", "mixed/316"],
        "the good files are in"
    );
    pair.same_json(&["stats"]);
    // --json names them the same way.
    let pg = Db::postgres(dir.path(), "bad_json");
    let lite = Db::sqlite(dir.path(), "bad_json");
    let run = |db: &Db| {
        let o = db
            .cmd()
            .args(["--json", "import"])
            .arg(&folder)
            .output()
            .expect("runs");
        assert_eq!(o.status.code(), Some(1));
        serde_json::from_slice::<Value>(&o.stdout).expect("json")
    };
    let (a, b) = (run(&lite), run(&pg));
    assert_eq!(a["failed"], b["failed"]);
    assert_eq!(a["failed"].as_array().map(Vec::len), Some(2), "{a}");
    assert_eq!(
        (b["imported"].as_u64(), b["transcripts"].as_u64()),
        (Some(2), Some(2)),
        "{b}"
    );

    // --strict: nothing at all, on PostgreSQL as on SQLite.
    let strict = Pair::new(dir.path(), "strict");
    let out = strict.same(&[
        PathBuf::from("import"),
        PathBuf::from("--strict"),
        folder.clone(),
    ]);
    assert_ne!(out.code, Some(0));
    assert_eq!(
        strict
            .pg
            .store()
            .list(&Default::default())
            .expect("list")
            .len(),
        0
    );
}

/// The database after a kill: the engine's own check and the foreign keys
/// hold, and every transcript has all its segments.
fn consistent(db: &Db) -> usize {
    let store = db.store();
    assert_eq!(store.check().expect("check"), Vec::<String>::new());
    let all = store
        .transcripts(&podcorpus_store::query::TranscriptFilter {
            all_sources: true,
            ..Default::default()
        })
        .expect("transcripts");
    for t in &all {
        let shown = store
            .show(&format!("{}/{}", t.collection, t.number), false)
            .expect("show");
        let row = shown
            .transcripts
            .iter()
            .find(|r| r.id == t.id)
            .expect("its row");
        assert_eq!(
            store.segments(t.id).expect("segments").len() as i64,
            row.segments,
            "transcript {} is whole",
            t.id
        );
    }
    assert_eq!(
        store.file_hashes().expect("files").len(),
        all.len(),
        "every file has its transcript"
    );
    all.len()
}

/// kill -9 of an import into PostgreSQL at several moments, then a rerun:
/// a consistent database each time, and at the end what a clean import gives.
#[test]
fn an_import_into_postgres_killed_with_sigkill_recovers_on_rerun() {
    const N: usize = 240;
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("many");
    copy_samples(
        &folder,
        (1..=N / 2).flat_map(|n| ["large", "small"].map(|m| format!("episode_{n:03}_{m}.vtt"))),
    );
    let pg = Db::postgres(dir.path(), "killed");
    let bin = assert_cmd::cargo::cargo_bin("podcorpus");
    let spawn = || {
        StdCommand::new(&bin)
            .arg("--db")
            .arg(&pg.db)
            .arg("import")
            .arg(&folder)
            .env("PODCORPUS_CACHE", &pg.cache)
            .env_remove("PODCORPUS_DB")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn")
    };
    // First: killed once some files are committed, well before the end.
    let mut child = spawn();
    let started = Instant::now();
    let mut seen = 0;
    while started.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(10));
        seen = podcorpus_store::Store::open(&pg.db)
            .and_then(|s| s.file_hashes())
            .map(|h| h.len())
            .unwrap_or(0);
        if seen >= 3 {
            break;
        }
    }
    let _ = child.kill(); // SIGKILL
    let _ = child.wait();
    assert!(seen >= 3, "the import committed nothing in 30 s");
    let done = consistent(&pg);
    assert!(done < N, "the import was interrupted ({done} of {N} done)");
    // Then at fixed moments, each on top of the last.
    for delay_ms in [30, 150, 400, 900] {
        let mut child = spawn();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        consistent(&pg);
    }
    let report = pg.json(&[PathBuf::from("import"), folder.clone()]);
    assert_eq!(report["failed"], Value::Array(vec![]));
    assert_eq!(
        report["imported"].as_u64().expect("n") + report["unchanged"].as_u64().expect("n"),
        N as u64
    );
    assert_eq!(consistent(&pg), N);
    let again = pg.json(&[PathBuf::from("import"), folder.clone()]);
    assert_eq!(
        (again["imported"].as_u64(), again["unchanged"].as_u64()),
        (Some(0), Some(N as u64))
    );
    assert_eq!(
        again["index"]["indexed"], 0,
        "the index is complete: {again}"
    );

    // What a clean import into SQLite gives (ids aside: a killed import's
    // rolled-back rows used up ids on PostgreSQL).
    let clean = Db::sqlite(dir.path(), "clean");
    clean.json(&[PathBuf::from("import"), folder.clone()]);
    assert_eq!(clean.json(&["list"]), pg.json(&["list"]));
    assert_eq!(clean.json(&["stats"]), pg.json(&["stats"]));
    let kwic = |db: &Db| kwic_sorted(db.json(&["kwic", "war", "--limit", "0"]));
    assert_eq!(kwic(&clean), kwic(&pg));
}

/// Stops the server when the test ends, however it ends.
struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `podcorpus serve` on the database; returns the server and its base URL
/// once it answers.
fn serve(db: &Db) -> (Server, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let child = StdCommand::new(assert_cmd::cargo::cargo_bin("podcorpus"))
        .arg("--db")
        .arg(&db.db)
        .args(["serve", "--port", &port.to_string()])
        .env("PODCORPUS_CACHE", &db.cache)
        .env_remove("PODCORPUS_DB")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("serve starts");
    let mut server = Server(child);
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::blocking::Client::new();
    for _ in 0..150 {
        if client.get(format!("{base}/")).send().is_ok() {
            return (server, base);
        }
        if let Ok(Some(status)) = server.0.try_wait() {
            let mut said = String::new();
            if let Some(mut e) = server.0.stderr.take() {
                let _ = std::io::Read::read_to_string(&mut e, &mut said);
            }
            panic!("serve on {} ended ({status}): {said}", db.db.display());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("serve on {} never answered", db.db.display());
}

/// The web reader serves the same pages and answers from both engines.
#[test]
fn serve_gives_the_same_pages_and_answers_on_both_engines() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pair = Pair::new(dir.path(), "serve");
    pair.same_json(&[PathBuf::from("import"), notes(), lexicap()]);
    let (_a, a) = serve(&pair.sqlite);
    let (_b, b) = serve(&pair.pg);
    let client = reqwest::blocking::Client::new();
    let get = |base: &str, path: &str| {
        let r = client.get(format!("{base}{path}")).send().expect("get");
        let status = r.status().as_u16();
        (status, r.text().expect("body"))
    };
    for path in [
        "/",
        "/?sort=words&desc=1",
        "/e/lexicap/316",
        "/e/lex-fridman-notes/5",
        "/stats",
        "/search?q=Godfather",
        "/search?q=war&limit=1000",
        "/kwic?q=war",
        "/kwic?q=consci*",
        "/profile",
        "/dispersion?q=war",
        "/trend?q=war,love&by=year",
        "/api/episodes",
        "/api/episodes/lexicap/49",
        "/api/stats",
        "/api/kwic?q=war",
        "/api/search?q=Godfather&limit=3",
        "/api/search?q=war&limit=1000",
        "/api/dispersion?q=war",
        "/api/trend?q=war&by=year",
        "/api/profile",
        "/e/lexicap/999",
    ] {
        let (sa, ta) = get(&a, path);
        let (sb, tb) = get(&b, path);
        assert_eq!(sa, sb, "{path}: status");
        // Search hits and concordance lines of equal rank or moment come
        // in the search index's document order (see the CLI test above):
        // those answers are compared as sets of hits, lines or tags.
        let unordered = path.contains("search") || path.contains("kwic");
        if path.starts_with("/api/") {
            let json = |t: &str| {
                let mut v =
                    without_times(serde_json::from_str(t).unwrap_or(Value::String(t.into())));
                if unordered {
                    for key in ["hits", "lines"] {
                        if let Some(a) = v.get_mut(key).and_then(Value::as_array_mut) {
                            a.sort_by_cached_key(|h| h.to_string());
                        }
                    }
                }
                v
            };
            assert_eq!(json(&ta), json(&tb), "{path}");
        } else if unordered {
            let tags = |t: &str| {
                let mut v: Vec<String> = masked_moments(t).split('<').map(str::to_string).collect();
                v.sort();
                v
            };
            assert_eq!(tags(&ta), tags(&tb), "{path}");
        } else {
            assert_eq!(masked_moments(&ta), masked_moments(&tb), "{path}");
        }
    }
    let (status, hits) = get(&b, "/api/search?q=Godfather&limit=3");
    assert_eq!(status, 200);
    let hits: Value = serde_json::from_str(&hits).expect("json");
    assert_eq!(hits["hits"][0]["number"], 49, "{hits}");
}

/// The vectors are stored on the server too: `embed`, semantic and hybrid
/// search, and `similar` give the same answers on both engines, and a
/// second `embed` finds nothing to do on either.
#[test]
fn embed_semantic_search_and_similar_are_the_same_on_both_engines() {
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("lexicap");
    copy_samples(
        &folder,
        ["049_large", "316_large"]
            .iter()
            .map(|s| format!("episode_{s}.vtt")),
    );
    let pair = Pair::new(dir.path(), "semantic");
    pair.same_json(&[PathBuf::from("import"), folder.clone()]);
    let first = pair.same_json(&["embed"]);
    let passages = first["report"]["passages"].as_u64().unwrap_or(0);
    assert!(passages > 40, "{first}");
    assert_eq!(
        first["report"]["embedded"].as_u64(),
        Some(passages),
        "{first}"
    );
    let again = pair.same_json(&["embed"]);
    assert_eq!(again["report"]["embedded"].as_u64(), Some(0), "{again}");
    // (copy_samples gives the files the samples' texts in their order, so
    // which number answers is not asserted: that both engines agree is.)
    let q = "could the two superpowers fight each other";
    let hits = pair.same_json(&["search", "--semantic", q, "--limit", "5"]);
    assert_eq!(hits.as_array().map(Vec::len), Some(5), "{hits}");
    assert!(hits[0]["score"].as_f64().is_some_and(|s| s > 0.1), "{hits}");
    let hybrid = pair.same_json(&["search", "--hybrid", "brain machine", "--limit", "5"]);
    assert!(
        hybrid[0]["highlights"]
            .as_array()
            .is_some_and(|h| !h.is_empty()),
        "{hybrid}"
    );
    let sim = pair.same_json(&["similar", "lexicap/316@0:30", "--limit", "3"]);
    assert_eq!(sim["similar"].as_array().map(Vec::len), Some(3), "{sim}");
    pair.same(&[
        "similar",
        "lexicap/316@30",
        "--same-episode",
        "--limit",
        "2",
    ]);
}
