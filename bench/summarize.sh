#!/usr/bin/env bash
# Benchmark of issue 5: extractive summaries.
# 1. Speed: the 4-hour Lexicap episode 192 (Whisper large), whole process
#    (import into a fresh database + `summarize`, 10 key points) against the
#    peer sumy LexRank (`peer_summarize.py FILE lexrank 10`, whole process).
# 2. Quality: ROUGE-1/2/L F1 (rouge-score 0.1.2, no stemming) of the
#    extractive summaries of notes slots 01 and 05 against the summaries
#    imported from the notes, next to sumy LexRank (10 sentences) on the same
#    transcript text — as pasted (no punctuation: sumy sees one or two
#    "sentences") and cut into 25-word pseudo-sentences ending in a period.
# usage: bench/summarize.sh [LEXICAP_DIR] [RUNS] [NOTES]
#   (default ../shared/corpus/lexicap, 3, samples/lex-fridman-notes.txt)
#   PEER_RUNS=N runs the ~90 s peer N times (default RUNS);
#   PODCORPUS_BIN=PATH uses that binary instead of building one.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-../shared/corpus/lexicap}
runs=${2:-3}
notes=${3:-samples/lex-fridman-notes.txt}
peer=../shared/bench/peer_summarize.py
file=$dir/episode_192_large.vtt
[ -f "$file" ] || { echo "no $file (pass the Lexicap folder)"; exit 1; }
[ -f "$peer" ] || { echo "no $peer"; exit 1; }
python3 -c 'import sumy, webvtt, rouge_score' 2>/dev/null ||
  python3 -m pip install -q 'sumy==0.13.0' 'webvtt-py==0.6.0' 'rouge-score==0.1.2'
peer_runs=${PEER_RUNS:-$runs}
if [ -n "${PODCORPUS_BIN:-}" ]; then bin=$PODCORPUS_BIN; else
  cargo build --release --quiet -p podcorpus; bin=$PWD/target/release/podcorpus; fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
secs() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc -l; }

echo "== speed: $file ($(grep -c -- '-->' "$file") cues, $(du -h "$file" | cut -f1))"
whole() { rm -f "$tmp"/b.db*; "$bin" --db "$tmp/b.db" import "$file" && "$bin" --db "$tmp/b.db" summarize --all; }
ours=$(for i in $(seq "$runs"); do secs whole; done | median)
only=$(for i in $(seq "$runs"); do secs "$bin" --db "$tmp/b.db" summarize --all; done | median)
"$bin" --db "$tmp/b.db" summarize --all --json > "$tmp/ours192.json"
peer_once() { python3 "$peer" "$file" lexrank 10 > "$tmp/peer192.txt"; }
peer_t=$(for i in $(seq "$peer_runs"); do secs peer_once; done | median)
printf 'median of %s runs (peer: %s), seconds (whole process):\n' "$runs" "$peer_runs"
printf '  peer  sumy LexRank (%s)   %8.3f\n' "$(head -1 "$tmp/peer192.txt" | cut -d' ' -f2)" "$peer_t"
printf '  ours  import + summarize      %8.3f   (%.0fx faster than the peer)\n' "$ours" "$(echo "$peer_t / $ours" | bc -l)"
printf '  ours  summarize alone         %8.3f\n' "$only"
python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["text"])' "$tmp/ours192.json" | head -3 | cut -c1-150

echo "== ROUGE against the summaries imported from $notes"
"$bin" --db "$tmp/n.db" import "$notes" >/dev/null
for n in 1 5; do
  "$bin" --db "$tmp/n.db" summarize "lex-fridman-notes/$n" >/dev/null 2>&1
  "$bin" --db "$tmp/n.db" show --json "lex-fridman-notes/$n" > "$tmp/show$n.json"
  "$bin" --db "$tmp/n.db" eval-summary --json "lex-fridman-notes/$n" > "$tmp/eval$n.json"
  python3 - "$tmp" "$n" <<'PY'
import json, sys
tmp, n = sys.argv[1], sys.argv[2]
d = json.load(open(f"{tmp}/show{n}.json"))
text = [t for t in d["transcripts"] if t["source"] == "notes"][0]["text"]
def vtt(path, cues):
    with open(path, "w") as f:
        f.write("WEBVTT\n\n")
        for i, c in enumerate(cues):
            f.write(f"{i // 60:02d}:{i % 60:02d}.000 --> {i // 60:02d}:{i % 60:02d}.900\n{c}\n\n")
vtt(f"{tmp}/raw{n}.vtt", [text])
w = text.split()
vtt(f"{tmp}/pseudo{n}.vtt", [" ".join(w[i:i + 25]) + "." for i in range(0, len(w), 25)])
kinds = {s["kind"]: s["text"] for s in d["summaries"]}
open(f"{tmp}/ref{n}.txt", "w").write(kinds["imported"])
open(f"{tmp}/ours{n}.txt", "w").write(kinds["extractive"])
PY
  for v in raw pseudo; do
    python3 "$peer" "$tmp/$v$n.vtt" lexrank 10 | tail -n +2 | sed 's/^- //' > "$tmp/sumy_$v$n.txt"
  done
done
python3 - "$tmp" <<'PY'
import json, sys
from rouge_score import rouge_scorer
tmp = sys.argv[1]
sc = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=False)
print(f"{'slot':<5}{'summary':<34}{'words':>6}{'R1 F1':>9}{'R2 F1':>9}{'RL F1':>9}")
for n in (1, 5):
    ref = open(f"{tmp}/ref{n}.txt").read()
    for name, label in (("ours", "podcorpus extractive"), ("sumy_raw", "sumy LexRank, text as pasted"),
                        ("sumy_pseudo", "sumy LexRank, 25-word sentences")):
        hyp = open(f"{tmp}/{name}{n}.txt").read()
        s = sc.score(ref, hyp)
        print(f"{n:02d}   {label:<34}{len(hyp.split()):>6}{s['rouge1'].fmeasure:>9.4f}{s['rouge2'].fmeasure:>9.4f}{s['rougeL'].fmeasure:>9.4f}")
    ours = json.load(open(f"{tmp}/eval{n}.json"))
    s = sc.score(ref, open(f"{tmp}/ours{n}.txt").read())
    same = all(abs(ours[k]["f1"] - s[k].fmeasure) < 1e-12 and abs(ours[k]["precision"] - s[k].precision) < 1e-12
               and abs(ours[k]["recall"] - s[k].recall) < 1e-12 for k in ("rouge1", "rouge2", "rougeL"))
    print(f"     podcorpus eval-summary equals rouge-score on slot {n:02d}: {same}")
PY
