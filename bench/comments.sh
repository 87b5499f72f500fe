#!/usr/bin/env bash
# Benchmark of issue 16: viewers' comments at the scale of a popular video.
# A yt-dlp info.json with N comments (default 5,000) in yt-dlp's real comment
# format is made from Lexicap sentences (Pareto-distributed likes, 2% spam),
# imported, then:
# 1. `summarize ID --of comments` (extractive, whole process) against the peer
#    sumy LexRank (../shared/bench/peer_summarize.py, 5 sentences) on the
#    same comments, one VTT cue each;
# 2. `search --in comments WORD` (whole process, index current) against
#    `rg -c -i -w WORD` over the comment texts, one per line; and the
#    `kwic --in comments` total beside rg's count of matches.
# usage: bench/comments.sh [LEXICAP_DIR] [RUNS] [N]
#   (default ../shared/corpus/lexicap, 5, 5000); PEER_RUNS=N runs sumy N times (default 1:
#   about 280 s a run here); PODCORPUS_BIN=PATH uses that binary.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-../shared/corpus/lexicap}
runs=${2:-5}
peer_runs=${PEER_RUNS:-1}   # sumy takes minutes on 5,000 comments
n=${3:-5000}
peer=../shared/bench/peer_summarize.py
[ -d "$dir" ] || { echo "no $dir (pass the Lexicap folder)"; exit 1; }
[ -f "$peer" ] || { echo "no $peer"; exit 1; }
python3 -c 'import sumy, webvtt' 2>/dev/null ||
  python3 -m pip install -q 'sumy==0.13.0' 'webvtt-py==0.6.0'
command -v rg >/dev/null || { echo "needs ripgrep (rg)"; exit 1; }
if [ -n "${PODCORPUS_BIN:-}" ]; then bin=$PODCORPUS_BIN; else
  cargo build --release --quiet -p podcorpus; bin=$PWD/target/release/podcorpus; fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
now() { date +%s.%N; }

python3 - "$dir" "$n" "$tmp" <<'EOF'
import glob, json, random, re, sys
dir, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
random.seed(16)
sents = []
for f in sorted(glob.glob(f"{dir}/*_large.vtt"))[:60]:
    lines = [l for l in open(f, encoding="utf-8").read().splitlines()
             if l and "-->" not in l and not l.startswith("WEBVTT")]
    sents += [s for s in re.split(r"(?<=[.!?])\s+", " ".join(lines)) if 6 <= len(s.split()) <= 40]
spam = ["Check out my channel for free workout plans, subscribe now!",
        "I earn $5000 a week trading, contact my mentor on WhatsApp +1 555 013 4567"]
comments = []
for i in range(n):
    text = random.choice(spam) if random.random() < 0.02 else random.choice(sents)
    comments.append({"id": f"Ugx{i:07d}AaABAg", "parent": "root", "text": text,
                     "like_count": int(random.paretovariate(1.2)) - 1,
                     "author": f"@viewer{i}", "author_id": f"UC{i:08d}",
                     "author_is_uploader": False, "is_pinned": False, "is_favorited": False,
                     "timestamp": 1577836800 + i * 600})
info = {"id": "BnchCmmnts1", "title": "Comments benchmark", "channel": "Bench",
        "webpage_url": "https://www.youtube.com/watch?v=BnchCmmnts1", "upload_date": "20200101",
        "duration": 3600, "comment_count": n, "comments": comments, "_type": "video"}
json.dump(info, open(f"{out}/BnchCmmnts1.info.json", "w"))
with open(f"{out}/comments.txt", "w") as t:
    t.writelines(c["text"] + "\n" for c in comments)
with open(f"{out}/comments.vtt", "w") as v:
    v.write("WEBVTT\n\n")
    for i, c in enumerate(comments):
        v.write(f"00:{i // 3600 % 60:02d}:{i // 60 % 60:02d}.{i % 60:03d} --> "
                f"00:{i // 3600 % 60:02d}:{i // 60 % 60:02d}.{i % 60 + 1:03d}\n{c['text']}\n\n")
EOF
db=$tmp/c.db
"$bin" --db "$db" import "$tmp/BnchCmmnts1.info.json" >/dev/null 2>&1
echo "comments: $n (one video)"

ours=(); theirs=()
for _ in $(seq "$runs"); do
  t=$(now); "$bin" --db "$db" summarize BnchCmmnts1 --of comments --dry-run >/dev/null 2>&1
  ours+=("$(echo "$(now) - $t" | bc)")
done
for _ in $(seq "$peer_runs"); do
  t=$(now); python3 "$peer" "$tmp/comments.vtt" lexrank 5 >/dev/null
  theirs+=("$(echo "$(now) - $t" | bc)")
done
o=$(printf '%s\n' "${ours[@]}" | median); p=$(printf '%s\n' "${theirs[@]}" | median)
printf 'summarize --of comments: median %.3f s   sumy LexRank: median %.3f s   ratio %.1fx\n' \
  "$o" "$p" "$(echo "$p / $o" | bc -l)"

for word in consciousness universe love; do
  ours=(); theirs=()
  for _ in $(seq "$runs"); do
    t=$(now); "$bin" --db "$db" search --in comments "$word" --limit 10 >/dev/null 2>&1 || true
    ours+=("$(echo "$(now) - $t" | bc)")
    t=$(now); rg -c -i -w "$word" "$tmp/comments.txt" >/dev/null || true
    theirs+=("$(echo "$(now) - $t" | bc)")
  done
  o=$(printf '%s\n' "${ours[@]}" | median); p=$(printf '%s\n' "${theirs[@]}" | median)
  total=$("$bin" --db "$db" kwic --in comments "$word" --json --limit 1 2>/dev/null |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])' || echo 0)
  rg_n=$(rg -o -i -w "$word" "$tmp/comments.txt" | wc -l)
  printf 'search --in comments %-14s median %.4f s   rg: median %.4f s   kwic total %s, rg matches %s\n' \
    "$word" "$o" "$p" "$total" "$rg_n"
done
