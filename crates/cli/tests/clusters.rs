//! `clusters` end to end on the bundled Lexicap samples, against a brute
//! force in Python that knows nothing of podcorpus: the WebVTT cue texts
//! tokenized with one regex, every n-gram of every size enumerated, those
//! holding the term where asked counted (once per window), range = files.

use serde_json::Value;
use std::collections::BTreeMap;

mod support;
use support::{json, podcorpus, samples};

const BRUTE: &str = r#"
import json, re, sys
from collections import defaultdict
TOKEN = re.compile(r"[^\W_]+(?:['’][^\W\d_][^\W_]*)*")
term, position, lo, hi = sys.argv[1].split(), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
freq, files = defaultdict(int), defaultdict(set)
for path in sys.argv[5:]:
    toks, in_cue = [], False
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if "-->" in line: in_cue = True
        elif not line.strip(): in_cue = False
        elif in_cue: toks += [m.group(0).lower().replace("’", "'") for m in TOKEN.finditer(line)]
    m = len(term)
    for n in range(lo, hi + 1):
        for s in range(len(toks) - n + 1):
            w = toks[s:s + n]
            at = [i for i in range(n - m + 1) if w[i:i + m] == term]
            ok = (position == "any" and at) or (position == "left" and 0 in at) \
                or (position == "right" and (n - m) in at)
            if ok:
                freq[" ".join(w)] += 1
                files[" ".join(w)].add(path)
print(json.dumps({k: [freq[k], len(files[k])] for k in freq}))
"#;

fn brute(term: &str, position: &str, lo: usize, hi: usize) -> BTreeMap<String, (u64, u64)> {
    let files = ["episode_049_large.vtt", "episode_316_large.vtt"];
    let out = std::process::Command::new("python3")
        .args([
            "-c",
            BRUTE,
            term,
            position,
            &lo.to_string(),
            &hi.to_string(),
        ])
        .args(files.iter().map(|f| samples().join("lexicap").join(f)))
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: BTreeMap<String, (u64, u64)> = serde_json::from_slice(&out.stdout).expect("json");
    v
}

fn ours(v: &Value) -> BTreeMap<String, (u64, u64)> {
    v["clusters"]
        .as_array()
        .expect("clusters")
        .iter()
        .map(|c| {
            (
                c["cluster"].as_str().unwrap_or_default().to_string(),
                (
                    c["freq"].as_u64().unwrap_or_default(),
                    c["range"].as_u64().unwrap_or_default(),
                ),
            )
        })
        .collect()
}

#[test]
fn clusters_equal_a_brute_force_count() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("c.db");
    json(podcorpus(&db).arg("import").arg(samples().join("lexicap")));
    for (term, position, lo, hi) in [
        ("putin", "any", 2, 4),
        ("the", "left", 2, 3),
        ("the", "right", 3, 3),
        ("\"the war\"", "any", 2, 4),
        ("i", "any", 1, 2),
    ] {
        let got = json(podcorpus(&db).args([
            "clusters",
            term,
            "--size",
            &format!("{lo}..{hi}"),
            "--position",
            position,
            "--min-freq",
            "1",
            "--limit",
            "1000000",
        ]));
        let want = brute(term.trim_matches('"'), position, lo, hi);
        assert!(!want.is_empty(), "{term}");
        assert_eq!(
            got["distinct"].as_u64(),
            Some(want.len() as u64),
            "{term} {position}"
        );
        assert_eq!(ours(&got), want, "{term} {position} {lo}..{hi}");
    }
    // Sorted by frequency; --min-freq and --limit cut.
    let top = json(podcorpus(&db).args([
        "clusters",
        "the",
        "--position",
        "left",
        "--min",
        "2",
        "--max",
        "2",
        "--min-freq",
        "5",
        "--limit",
        "3",
    ]));
    let list = top["clusters"].as_array().expect("clusters");
    assert_eq!(list.len(), 3);
    let want = brute("the", "left", 2, 2);
    let mut best: Vec<(u64, u64, &String)> = want.iter().map(|(k, &(f, r))| (f, r, k)).collect();
    best.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(b.2)));
    for (c, (f, _, k)) in list.iter().zip(&best) {
        assert_eq!(
            (c["cluster"].as_str(), c["freq"].as_u64()),
            (Some(k.as_str()), Some(*f))
        );
    }
    // One episode only: the range is 1 at most.
    let one = json(podcorpus(&db).args(["clusters", "war", "--episode", "lexicap/316"]));
    assert!(one["clusters"]
        .as_array()
        .expect("clusters")
        .iter()
        .all(|c| c["range"] == 1));
    assert!(one["hits"].as_u64().unwrap_or(0) > 20);
}
