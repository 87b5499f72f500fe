//! Every export format on the sample corpus (the notes document and four
//! Lexicap transcripts), read back by an independent reader: serde_json for
//! JSONL, pyarrow for Parquet and hf, the csv crate's reader for CSV, and
//! podcorpus's own WebVTT/SRT readers for subtitles.

mod common;

use common::*;
use podcorpus_core::{Collect, Segment};
use podcorpus_export::{export, ExportError, Format};
use podcorpus_formats::{srt::Srt, webvtt::WebVtt, Context, Reader};
use podcorpus_store::export_feed::ExportSelection;
use serde_json::Value;

#[test]
fn jsonl_has_one_episode_per_line_with_text_and_segments() {
    let dir = tempfile::tempdir().unwrap();
    let store = sample_corpus(dir.path());
    let out = dir.path().join("corpus.jsonl");
    let mut req = request(Format::Jsonl, &out);
    req.segments = true;
    let report = run(&store, &req);
    assert_eq!(report.episodes, 8);
    let text = std::fs::read_to_string(&out).unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 8);
    let ep49 = lines
        .iter()
        .find(|l| l["collection"] == "lexicap" && l["number"] == 49)
        .unwrap();
    // The best source of episode 49 is whisper-large; its segments are the file's cues.
    assert_eq!(ep49["transcript"]["source"], "whisper-large");
    let segs = ep49["transcript"]["segments"].as_array().unwrap();
    assert_eq!(
        segs.len(),
        cue_count(&samples().join("lexicap/episode_049_large.vtt"))
    );
    assert_eq!(segs[0]["start_ms"], 0);
    let joined: Vec<&str> = segs.iter().map(|s| s["text"].as_str().unwrap()).collect();
    assert_eq!(ep49["transcript"]["text"], joined.join(" "));
    assert_eq!(
        report.segments as usize,
        lines
            .iter()
            .map(|l| l["transcript"]["segments"]
                .as_array()
                .map_or(0, |a| a.len()))
            .sum::<usize>()
    );
    let notes6 = lines
        .iter()
        .find(|l| l["collection"] == "lex-fridman-notes" && l["number"] == 6)
        .unwrap();
    assert_eq!(notes6["published"], "2016-09-27");
    assert_eq!(notes6["video_id"], "G5RY_SUJih4");
    assert_eq!(notes6["guests"][0], "Quoc Le");
    let notes3 = lines.iter().find(|l| l["number"] == 3).unwrap();
    assert_eq!(notes3["transcript"], Value::Null);
    assert_eq!(notes3["summaries"].as_array().unwrap().len(), 2);
    assert_eq!(notes3["summaries"][0]["kind"], "imported");
    // Slot 03: first the viewers' comments, then the interview.
    assert_eq!(notes3["summaries"][0]["subject"], "comments");
    assert_eq!(notes3["summaries"][1]["subject"], "episode");
}

const PYARROW_CHECK: &str = r#"
import json, sys
import pyarrow.compute as pc
import pyarrow.parquet as pq
ep = pq.read_table(sys.argv[1])
seg = pq.read_table(sys.argv[2])
meta = pq.ParquetFile(sys.argv[1]).metadata
rows = ep.to_pylist()
n1 = [r for r in rows if r["collection"] == "lex-fridman-notes" and r["number"] == 1][0]
n6 = [r for r in rows if r["collection"] == "lex-fridman-notes" and r["number"] == 6][0]
n3 = [r for r in rows if r["collection"] == "lex-fridman-notes" and r["number"] == 3][0]
l49 = [r for r in rows if r["collection"] == "lexicap" and r["number"] == 49][0]
s49 = seg.filter(pc.and_(pc.equal(seg["collection"], "lexicap"),
                         pc.equal(seg["number"], 49))).to_pylist()
print(json.dumps({
  "episode_rows": ep.num_rows,
  "segment_rows": seg.num_rows,
  "types": {f.name: str(f.type) for f in ep.schema},
  "segment_types": {f.name: str(f.type) for f in seg.schema},
  "compression": meta.row_group(0).column(0).compression,
  "n6_published": str(n6["published"]),
  "n3_subjects": [s["subject"] for s in n3["summaries"]],
  "n1_chapters": [c["title"] for c in n1["chapters"]],
  "n1_chapter1_pos": n1["chapters"][1]["text_pos"],
  "l49_source": l49["source"],
  "l49_text_len": len(l49["text"]),
  "s49_first": [s49[0]["start_ms"], s49[0]["end_ms"], s49[0]["text"]],
  "s49_count": len(s49),
}))
"#;

#[test]
fn parquet_reads_back_with_pyarrow() {
    let dir = tempfile::tempdir().unwrap();
    let store = sample_corpus(dir.path());
    let out = dir.path().join("corpus.parquet");
    let mut req = request(Format::Parquet, &out);
    req.segments = true;
    let report = run(&store, &req);
    assert_eq!(report.files.len(), 2);
    let seg_path = dir.path().join("corpus.segments.parquet");
    let got: Value = serde_json::from_str(&python(
        PYARROW_CHECK,
        &[out.to_str().unwrap(), seg_path.to_str().unwrap()],
    ))
    .unwrap();
    let eps = episodes(&store, None);
    let total_segments: usize = eps
        .iter()
        .map(|e| e.transcript.as_ref().map_or(0, |t| t.segments.len()))
        .sum();
    assert_eq!(got["episode_rows"], 8);
    assert_eq!(got["segment_rows"], total_segments as u64);
    assert_eq!(report.segments as usize, total_segments);
    assert_eq!(got["types"]["published"], "date32[day]");
    assert_eq!(got["types"]["number"], "int64");
    assert_eq!(got["types"]["duration_ms"], "int64");
    assert_eq!(
        got["types"]["chapters"],
        "list<item: struct<title: string not null, start_ms: int64, text_pos: int64>>"
    );
    assert_eq!(got["types"]["guests"], "list<item: string>");
    assert_eq!(got["segment_types"]["start_ms"], "int64");
    assert_eq!(got["compression"], "ZSTD");
    assert_eq!(got["n6_published"], "2016-09-27");
    assert_eq!(
        got["n3_subjects"],
        serde_json::json!(["comments", "episode"])
    );
    let n1 = eps
        .iter()
        .find(|e| e.collection == "lex-fridman-notes" && e.number == 1)
        .unwrap();
    let titles: Vec<&str> = n1.chapters.iter().map(|c| c.title.as_str()).collect();
    assert_eq!(got["n1_chapters"], serde_json::json!(titles));
    assert_eq!(got["n1_chapters"][0], "Intro");
    assert_eq!(got["n1_chapter1_pos"], n1.chapters[1].text_pos.unwrap());
    assert_eq!(got["l49_source"], "whisper-large");
    // The first cue of episode_049_large.vtt, read from the file itself.
    let vtt = std::fs::read_to_string(samples().join("lexicap/episode_049_large.vtt")).unwrap();
    let timing = vtt.lines().find(|l| l.contains("-->")).unwrap();
    let first_text = vtt
        .lines()
        .skip_while(|l| !l.contains("-->"))
        .nth(1)
        .unwrap()
        .trim();
    assert!(timing.starts_with("00:00.000 --> 00:0"), "{timing}");
    let end_ms =
        podcorpus_formats::timestamp::parse_ms(timing.split("-->").nth(1).unwrap()).unwrap();
    assert_eq!(got["s49_first"], serde_json::json!([0, end_ms, first_text]));
    assert_eq!(
        got["s49_count"],
        cue_count(&samples().join("lexicap/episode_049_large.vtt")) as u64
    );
}

#[test]
fn csv_is_rfc4180_and_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let store = sample_corpus(dir.path());
    let out = dir.path().join("episodes.csv");
    run(&store, &request(Format::Csv, &out));
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.windows(2).any(|w| w == b"\r\n"));
    let mut r = csv::Reader::from_path(&out).unwrap();
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header, podcorpus_export::csv::EPISODE_HEADER);
    let rows: Vec<csv::StringRecord> = r.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 8);
    // Descriptions hold commas, quotes and line breaks: they come back exact.
    for ep in episodes(&store, None) {
        let row = rows
            .iter()
            .find(|r| r[0] == *ep.collection && r[1] == ep.number.to_string())
            .unwrap();
        assert_eq!(&row[8], ep.meta.description.as_deref().unwrap_or(""));
        assert_eq!(&row[15], podcorpus_export::writer::transcript_text(&ep));
    }
    let d1 = rows
        .iter()
        .find(|r| &r[0] == "lex-fridman-notes" && &r[1] == "1")
        .unwrap();
    assert!(d1[8].contains("\"I want the contents, not the container.\""));

    // One row per segment with --segments.
    let seg_out = dir.path().join("segments.csv");
    let mut req = request(Format::Csv, &seg_out);
    req.segments = true;
    let report = run(&store, &req);
    let mut r = csv::Reader::from_path(&seg_out).unwrap();
    assert_eq!(r.records().count() as u64, report.segments);
}

#[test]
fn txt_writes_one_file_per_episode_with_the_transcript() {
    let dir = tempfile::tempdir().unwrap();
    let store = sample_corpus(dir.path());
    let out = dir.path().join("texts");
    let report = run(&store, &request(Format::Txt, &out));
    // Slot 03 of the notes has no transcript.
    assert_eq!(report.episodes, 7);
    assert_eq!(report.skipped, vec!["lex-fridman-notes/3: no transcript"]);
    let text = std::fs::read_to_string(out.join("lexicap-316.txt")).unwrap();
    let ep = episodes(&store, Some("lexicap"))
        .into_iter()
        .find(|e| e.number == 316)
        .unwrap();
    assert_eq!(
        text.lines().collect::<Vec<_>>().join(" "),
        podcorpus_export::writer::transcript_text(&ep)
    );
    let words = text.split_whitespace().count() as i64;
    assert_eq!(words, ep.transcript.unwrap().words);
}

fn read_subtitles(reader: &impl Reader, text: &str) -> Vec<Segment> {
    let mut sink = Collect::default();
    reader.read(&Context::default(), text, &mut sink).unwrap();
    sink.episodes.remove(0).transcripts.remove(0).segments
}

#[test]
fn vtt_and_srt_read_back_to_the_same_segments() {
    let dir = tempfile::tempdir().unwrap();
    let store = sample_corpus(dir.path());
    let lexicap = episodes(&store, Some("lexicap"));
    for (format, ext) in [(Format::Vtt, "vtt"), (Format::Srt, "srt")] {
        let out = dir.path().join(ext);
        let report = run(&store, &request(format, &out));
        // The notes transcripts have no timings.
        assert_eq!(report.episodes, 2, "{ext}");
        assert!(report.skipped.iter().any(|s| s.contains("no timings")));
        for ep in &lexicap {
            let text = std::fs::read_to_string(out.join(format!("lexicap-{:03}.{ext}", ep.number)))
                .unwrap();
            let segs = match format {
                Format::Vtt => read_subtitles(&WebVtt, &text),
                _ => read_subtitles(&Srt, &text),
            };
            assert_eq!(
                &segs,
                &ep.transcript.as_ref().unwrap().segments,
                "{ext} {}",
                ep.number
            );
        }
    }
    // A notes-only selection has nothing timed: a clear error, no files.
    let out = dir.path().join("none");
    let mut req = request(Format::Vtt, &out);
    req.selection.collection = Some("lex-fridman-notes".into());
    let err = export(&store, &req).unwrap_err().to_string();
    assert!(
        err.contains("nothing to export") && err.contains("no timings"),
        "{err}"
    );
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 0);
}

const HF_CHECK: &str = r#"
import json, sys, glob, os
import pyarrow.parquet as pq
d = sys.argv[1]
out = {"files": sorted(os.path.relpath(p, d) for p in glob.glob(d + "/data/*.parquet"))}
out["rows"] = {s: sum(pq.read_table(p).num_rows for p in glob.glob(f"{d}/data/{s}-*.parquet"))
               for s in ["train", "validation", "test"]}
try:
    import datasets
except ImportError:
    datasets = None
if datasets is not None:
    ds = datasets.load_dataset(d)
    out["datasets"] = {k: v.num_rows for k, v in ds.items()}
    out["features"] = str(ds["train"].features["chapters"])
    info = datasets.load_dataset_builder(d).info  # from the card's YAML
    out["card_splits"] = {k: v.num_examples for k, v in info.splits.items()}
print(json.dumps(out))
"#;

#[test]
fn hf_folder_has_shards_and_a_card_that_datasets_reads() {
    let dir = tempfile::tempdir().unwrap();
    let store = sample_corpus(dir.path());
    let out = dir.path().join("dataset");
    let mut req = request(Format::Hf, &out);
    req.split = "0.5,0.25,0.25".parse().unwrap();
    req.segments = true;
    let report = run(&store, &req);
    assert_eq!(report.episodes, 8);
    let card = std::fs::read_to_string(out.join("README.md")).unwrap();
    assert!(card.starts_with("---\nlanguage:\n- en\n"));
    assert!(card.contains("configs:\n- config_name: default\n  data_files:\n  - split: train\n    path: data/train-*\n"));
    assert!(card.contains("  - name: published\n    dtype: date32\n"));
    assert!(
        card.contains("  - name: chapters\n    list:\n    - name: title\n      dtype: string\n")
    );
    let got: Value = serde_json::from_str(&python(HF_CHECK, &[out.to_str().unwrap()])).unwrap();
    // The split follows the hash of each episode's key, as the library computes it.
    let mut expect = [0u64; 3];
    for ep in episodes(&store, None) {
        expect[req.split.of(&podcorpus_export::hf::episode_key(&ep))] += 1;
    }
    assert_eq!(got["rows"]["train"], expect[0]);
    assert_eq!(got["rows"]["validation"], expect[1]);
    assert_eq!(got["rows"]["test"], expect[2]);
    for (i, name) in ["train", "validation", "test"].iter().enumerate() {
        if expect[i] > 0 {
            assert!(
                card.contains(&format!("  - name: {name}\n    num_bytes: ")),
                "{name}"
            );
            assert!(card.contains(&format!("    num_examples: {}\n", expect[i])));
            let shard = format!("data/{name}-00000-of-00001.parquet");
            assert!(
                got["files"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|f| f == shard.as_str()),
                "{shard}"
            );
        }
    }
    // When the datasets package is installed (optional), it loads the folder by its card.
    if let Some(ds) = got.get("datasets") {
        assert_eq!(ds["train"], expect[0]);
        assert!(got["features"].as_str().unwrap().contains("title"));
        assert_eq!(got["card_splits"]["train"], expect[0]);
    }
    // A second export with another split replaces the shards, never mixes them.
    req.split = "1".parse().unwrap();
    run(&store, &req);
    let got: Value = serde_json::from_str(&python(HF_CHECK, &[out.to_str().unwrap()])).unwrap();
    assert_eq!(
        got["files"],
        serde_json::json!(["data/train-00000-of-00001.parquet"])
    );
    assert_eq!(got["rows"]["train"], 8);
}

#[test]
fn selection_and_errors_are_clear() {
    let dir = tempfile::tempdir().unwrap();
    let store = sample_corpus(dir.path());
    let out = dir.path().join("x.jsonl");
    // --since/--until by publication date: the notes slots from 2016 only.
    let mut req = request(Format::Jsonl, &out);
    req.selection = ExportSelection {
        since: Some("2016-01-01".into()),
        until: Some("2016-12-31".into()),
        ..Default::default()
    };
    assert_eq!(run(&store, &req).episodes, 3);
    // --source picks that transcript and leaves out episodes without it.
    req.selection = ExportSelection {
        source: Some("whisper-small".into()),
        ..Default::default()
    };
    run(&store, &req);
    let text = std::fs::read_to_string(&out).unwrap();
    assert_eq!(text.lines().count(), 2);
    assert!(text
        .lines()
        .all(|l| l.contains("\"source\":\"whisper-small\"")));
    // --episodes by name, through the selection module.
    let sel = podcorpus_export::selection::resolve(
        &store,
        &podcorpus_export::selection::SelectionArgs {
            collection: Some("lexicap".into()),
            episodes: Some("316".into()),
            ..Default::default()
        },
    )
    .unwrap();
    req.selection = sel;
    assert_eq!(run(&store, &req).episodes, 1);
    // An empty selection is an error that says so, and leaves no file.
    std::fs::remove_file(&out).unwrap();
    req.selection = ExportSelection {
        since: Some("2100-01-01".into()),
        ..Default::default()
    };
    let err = export(&store, &req).unwrap_err();
    assert!(matches!(err, ExportError::Empty(_)));
    assert!(err.to_string().contains("since 2100-01-01"), "{err}");
    assert!(!out.exists());
    // An unwritable path names the path.
    let bad = request(
        Format::Jsonl,
        std::path::Path::new("/nonexistent-dir/x.jsonl"),
    );
    let err = export(&store, &bad).unwrap_err().to_string();
    assert!(err.contains("/nonexistent-dir/x.jsonl"), "{err}");
    // Unknown format and collection.
    let err = "xml".parse::<Format>().unwrap_err().to_string();
    assert!(err.contains("xml") && err.contains("parquet"), "{err}");
    let err = podcorpus_export::selection::resolve(
        &store,
        &podcorpus_export::selection::SelectionArgs {
            collection: Some("nope".into()),
            ..Default::default()
        },
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("nope") && err.contains("lexicap"), "{err}");
    // A folder format needs a folder, not stdout.
    let err = export(&store, &request(Format::Txt, std::path::Path::new("-")))
        .unwrap_err()
        .to_string();
    assert!(err.contains("folder"), "{err}");
}

#[test]
fn jsonl_carries_the_comments_with_their_threads() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../formats/tests/fixtures/ytdlp-comments/o8nZaDw_mOs.info.json");
    let store = import(&dir.path().join("c.db"), &[fixture]);
    let out = dir.path().join("corpus.jsonl");
    run(&store, &request(Format::Jsonl, &out));
    let line: Value = serde_json::from_str(std::fs::read_to_string(&out).unwrap().trim()).unwrap();
    let comments = line["comments"].as_array().unwrap();
    assert_eq!(comments.len(), 12);
    assert_eq!(comments[0]["author"], "@lexfridman");
    assert_eq!(comments[0]["pinned"], true);
    assert_eq!(comments[0]["by_uploader"], true);
    assert_eq!(comments[0]["parent"], Value::Null);
    assert_eq!(comments[7]["parent"], "Ugw7Hk3Lm0QpRst9Uv84AaABAg");
    assert_eq!(
        comments[7]["text"],
        "Agreed. Movement as a lifelong practice is the key idea."
    );
    assert_eq!(comments[1]["likes"], 1530);
    assert_eq!(comments[1]["time"], "2020-04-28T18:53:20Z");
    // The sample corpus has none: an empty list, not a missing field.
    let sample = dir.path().join("s");
    std::fs::create_dir(&sample).unwrap();
    let store = sample_corpus(&sample);
    let out = sample.join("corpus.jsonl");
    run(&store, &request(Format::Jsonl, &out));
    let first: Value = serde_json::from_str(
        std::fs::read_to_string(&out)
            .unwrap()
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(first["comments"], serde_json::json!([]));
}

/// The comments of the yt-dlp fixture as the file has them, in its order:
/// `[id, parent (null for "root"), author, likes, text, timestamp,
/// by_uploader, pinned, favorited]`.
fn fixture_comments() -> (std::path::PathBuf, Vec<Value>) {
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../formats/tests/fixtures/ytdlp-comments/o8nZaDw_mOs.info.json");
    let info: Value = serde_json::from_str(&std::fs::read_to_string(&fixture).unwrap()).unwrap();
    let rows = info["comments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let parent = match c["parent"].as_str() {
                Some("root") | None => Value::Null,
                Some(p) => Value::from(p),
            };
            serde_json::json!([
                c["id"],
                parent,
                c["author"],
                c["like_count"],
                c["text"],
                c["timestamp"],
                c["author_is_uploader"],
                c["is_pinned"],
                c["is_favorited"]
            ])
        })
        .collect();
    (fixture, rows)
}

const COMMENTS_CHECK: &str = r#"
import json, sys, glob
import pyarrow.parquet as pq
def row(c):
    t = c["time"]
    return [c["id"], c["parent"], c["author"], c["likes"], c["text"],
            None if t is None else int(t.timestamp()),
            c["by_uploader"], c["pinned"], c["favorited"]]
ep = pq.read_table(sys.argv[1])
cm = pq.read_table(sys.argv[2])
rows = cm.to_pylist()
video = [r for r in ep.to_pylist() if r["video_id"] == "o8nZaDw_mOs"][0]
shards = [r for p in sorted(glob.glob(sys.argv[3] + "/data/*.parquet"))
          for r in pq.read_table(p).to_pylist()]
hf_video = [r for r in shards if r["video_id"] == "o8nZaDw_mOs"][0]
out = {}
try:
    import datasets
except ImportError:
    datasets = None
if datasets is not None:
    # The folder as `datasets` loads it, by the card's features.
    ds = datasets.load_dataset(sys.argv[3])
    out["ds_feature"] = str(ds["train"].features["comments"])
    out["ds_comments"] = [row(c) for s in ds.values() for r in s
                          if r["video_id"] == "o8nZaDw_mOs" for c in r["comments"]]
print(json.dumps(out | {
  "rows": cm.num_rows,
  "types": {f.name: str(f.type) for f in cm.schema},
  "keys": sorted({(r["collection"], r["number"], r["video_id"]) for r in rows}),
  "episode_key": [video["collection"], video["number"], video["video_id"]],
  "idx": [r["idx"] for r in rows],
  "comments": [row(r) for r in rows],
  "hf_comments": [row(c) for c in hf_video["comments"]],
  "hf_type": str(pq.read_schema(sorted(glob.glob(sys.argv[3] + "/data/*.parquet"))[0]).field("comments").type),
  "hf_empty": sorted({len(r["comments"]) for r in shards if r["video_id"] != "o8nZaDw_mOs"}),
  "hf_rows": len(shards),
}))
"#;

/// The dataset card's YAML front matter, parsed by PyYAML when it is
/// installed (printed as JSON), else `null`.
const CARD_YAML: &str = r#"
import json, sys
try:
    import yaml
except ImportError:
    print("null"); sys.exit()
text = open(sys.argv[1]).read()
print(json.dumps(yaml.safe_load(text.split("---\n")[1])))
"#;

#[test]
fn parquet_and_hf_carry_the_comments() {
    let dir = tempfile::tempdir().unwrap();
    let (fixture, expect) = fixture_comments();
    // The fixture's video beside the samples (it joins the notes' slot 01),
    // whose other episodes have no comments.
    let store = import(
        &dir.path().join("c.db"),
        &[
            fixture,
            samples().join("lex-fridman-notes.txt"),
            samples().join("lexicap"),
        ],
    );
    let out = dir.path().join("corpus.parquet");
    let mut req = request(Format::Parquet, &out);
    req.comments = true;
    let report = run(&store, &req);
    assert_eq!(report.comments, 12);
    let comments_path = dir.path().join("corpus.comments.parquet");
    assert_eq!(
        report
            .files
            .iter()
            .map(|f| f.path.as_str())
            .collect::<Vec<_>>(),
        [comments_path.to_str().unwrap(), out.to_str().unwrap()]
    );
    let hf = dir.path().join("dataset");
    let mut req = request(Format::Hf, &hf);
    req.comments = true;
    req.segments = true;
    assert_eq!(run(&store, &req).comments, 12);
    let got: Value = serde_json::from_str(&python(
        COMMENTS_CHECK,
        &[
            out.to_str().unwrap(),
            comments_path.to_str().unwrap(),
            hf.to_str().unwrap(),
        ],
    ))
    .unwrap();

    assert_eq!(expect.len(), 12);
    assert_eq!(got["rows"], 12);
    let replies = |rows: &Value| {
        rows.as_array()
            .unwrap()
            .iter()
            .filter(|r| !r[1].is_null())
            .count()
    };
    assert_eq!(replies(&got["comments"]), 5);
    assert_eq!(replies(&Value::from(expect.clone())), 5);
    // Every comment as the fixture has it, in the order fetched.
    assert_eq!(got["comments"], Value::from(expect.clone()));
    assert_eq!(got["idx"], serde_json::json!((0..12).collect::<Vec<i64>>()));
    let top = got["comments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r[0] == "Ugw7Hk3Lm0QpRst9Uv84AaABAg")
        .unwrap();
    assert_eq!(top[2], "@movementlover");
    assert_eq!(top[3], 1530);
    assert!(top[4]
        .as_str()
        .unwrap()
        .starts_with("Ido Portal is a genius."));
    assert_eq!(top[5], 1_588_100_000);
    // The parents: the four replies to fetched comments and the orphan's.
    let parents: Vec<&Value> = got["comments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r[1])
        .filter(|p| !p.is_null())
        .collect();
    assert_eq!(
        parents,
        [
            "Ugw7Hk3Lm0QpRst9Uv84AaABAg",
            "Ugw7Hk3Lm0QpRst9Uv84AaABAg",
            "UgzQ1r5Tx8YvW2aBc3d4AaABAg",
            "UgyP9w2kqX1mZ6b3nO14AaABAg",
            "UgyZz9Yy8Xx7Ww6Vv5Uu4AaABAg"
        ]
    );
    // Each row joins its episode by the same keys as the segments table.
    assert_eq!(got["keys"], serde_json::json!([got["episode_key"]]));
    assert_eq!(got["types"]["time"], "timestamp[ms, tz=UTC]");
    assert_eq!(got["types"]["likes"], "int64");
    assert_eq!(got["types"]["pinned"], "bool");
    assert_eq!(got["types"]["idx"], "int64");

    // hf: the same comments as a list column; the others' lists are empty.
    assert_eq!(got["hf_comments"], Value::from(expect));
    assert_eq!(got["hf_rows"], episodes(&store, None).len() as u64);
    assert_eq!(got["hf_empty"], serde_json::json!([0]));
    assert_eq!(
        got["hf_type"],
        "list<item: struct<id: string, parent: string, author: string, \
         by_uploader: bool not null, pinned: bool not null, favorited: bool not null, \
         text: string not null, likes: int64, time: timestamp[ms, tz=UTC]>>"
    );
    // When the datasets package is installed (optional), it reads them too.
    if let Some(ds) = got.get("ds_comments") {
        assert_eq!(ds, &got["hf_comments"]);
        assert!(got["ds_feature"]
            .as_str()
            .unwrap()
            .contains("timestamp[ms, tz=UTC]"));
    }
    let card = std::fs::read_to_string(hf.join("README.md")).unwrap();
    assert!(card.contains(
        "  - name: comments\n    list:\n    - name: id\n      dtype: string\n    - name: parent\n"
    ));
    assert!(card.contains("    - name: pinned\n      dtype: bool\n"));
    assert!(card.contains("    - name: time\n      dtype: timestamp[ms, tz=UTC]\n"));
    let yaml: Value = serde_json::from_str(&python(
        CARD_YAML,
        &[hf.join("README.md").to_str().unwrap()],
    ))
    .unwrap();
    if !yaml.is_null() {
        let features = yaml["dataset_info"]["features"].as_array().unwrap();
        let names: Vec<&str> = features
            .iter()
            .map(|f| f["name"].as_str().unwrap())
            .collect();
        assert_eq!(names.last(), Some(&"comments"));
        assert_eq!(names[names.len() - 2], "segments");
        let time = &features.last().unwrap()["list"][8];
        assert_eq!(
            (&time["name"], &time["dtype"]),
            (&Value::from("time"), &Value::from("timestamp[ms, tz=UTC]"))
        );
    }

    // A corpus without comments still gets the table, empty, and stdout
    // cannot hold two files.
    let sample = dir.path().join("s");
    std::fs::create_dir(&sample).unwrap();
    let store = sample_corpus(&sample);
    let mut req = request(Format::Parquet, &sample.join("corpus.parquet"));
    req.comments = true;
    assert_eq!(run(&store, &req).comments, 0);
    let rows = python(
        "import sys, pyarrow.parquet as pq; print(pq.read_table(sys.argv[1]).num_rows)",
        &[sample.join("corpus.comments.parquet").to_str().unwrap()],
    );
    assert_eq!(rows.trim(), "0");
    req.output = "-".into();
    let err = export(&store, &req).unwrap_err().to_string();
    assert!(err.contains("--comments") && err.contains("-o"), "{err}");
    // Without --comments, the parquet export is as it was: one file.
    let mut req = request(Format::Parquet, &sample.join("plain.parquet"));
    req.comments = false;
    assert_eq!(run(&store, &req).files.len(), 1);
}
