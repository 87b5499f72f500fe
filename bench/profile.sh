#!/usr/bin/env bash
# Benchmark of the vocabulary profile (issue "Corpus linguistics", part 4):
# the 1k share of lexicap/316 from `podcorpus profile` against an
# AntWordProfiler-style brute force (bench/brute_profile.py: the WebVTT cue
# texts tokenized with one regex, ranks from Python wordfreq's top_n_list),
# both shares printed (they must be equal) with their times (median of RUNS,
# whole process); then `keywords lexicap/316 --reference english`, `profile
# --by guest` over the corpus and `clusters war`.
# usage: bench/profile.sh [CORPUS_DIR] [RUNS]   (default ../shared/corpus, 3)
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/corpus}
runs=${2:-3}
[ -d "$corpus/lexicap" ] || { echo "no corpus at $corpus (pass the folder holding lexicap/ and meta/)"; exit 1; }
python3 -c 'import wordfreq' 2>/dev/null || python3 -m pip install -q 'wordfreq==3.1.1'
if [ -z "${PODCORPUS_BIN:-}" ]; then cargo build --release --quiet -p podcorpus; fi
bin=${PODCORPUS_BIN:-$PWD/target/release/podcorpus}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
secs() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc -l; }
db=(--db "$tmp/c.db")
"$bin" "${db[@]}" import --no-index "$corpus/lexicap" >/dev/null
"$bin" "${db[@]}" import --no-index --collection lexicap "$corpus/meta/lex-fridman-podcast-episodes.csv" >/dev/null
vtt=$corpus/lexicap/episode_316_large.vtt
source=$("$bin" "${db[@]}" --json show lexicap/316 | python3 -c 'import json,sys; print(",".join(json.load(sys.stdin).get("sources", [])))' 2>/dev/null || true)

ours=$("$bin" "${db[@]}" --json profile lexicap/316 | python3 -c 'import json,sys; print(repr(json.load(sys.stdin)["bands"][0]["share"]))')
theirs=$(python3 bench/brute_profile.py "$vtt")
if [ "$ours" = "$theirs" ]; then same="equal"; else same="DIFFERENT"; fi
t_ours=$(for i in $(seq "$runs"); do secs "$bin" "${db[@]}" profile lexicap/316; done | median)
t_brute=$(for i in $(seq "$runs"); do secs python3 bench/brute_profile.py "$vtt"; done | median)
t_kw=$(for i in $(seq "$runs"); do secs "$bin" "${db[@]}" keywords lexicap/316 --reference english; done | median)
t_rest=$(for i in $(seq "$runs"); do secs "$bin" "${db[@]}" keywords lexicap/316; done | median)
t_guest=$(for i in $(seq "$runs"); do secs "$bin" "${db[@]}" profile --by guest; done | median)
t_clusters=$(for i in $(seq "$runs"); do secs "$bin" "${db[@]}" clusters war --size 2..4; done | median)

echo "corpus: $corpus/lexicap ($(ls "$corpus"/lexicap/*.vtt | wc -l) files); lexicap/316 sources: ${source:-?}"
printf '1k share of lexicap/316 (tokens):\n'
printf '  ours   podcorpus profile lexicap/316         %s\n' "$ours"
printf '  brute  brute_profile.py %s   %s\n' "$(basename "$vtt")" "$theirs"
printf '  %s\n' "$same"
printf 'median of %s runs, seconds (whole process):\n' "$runs"
printf '  ours   profile lexicap/316                    %8.3f\n' "$t_ours"
printf '  brute  brute_profile.py (one file)            %8.3f\n' "$t_brute"
printf '  ours   keywords lexicap/316 --reference english %6.3f\n' "$t_kw"
printf '  ours   keywords lexicap/316 (against the rest) %7.3f\n' "$t_rest"
printf '  ours   profile --by guest (whole corpus)      %8.3f\n' "$t_guest"
printf '  ours   clusters war --size 2..4               %8.3f\n' "$t_clusters"
echo "top 20 keywords of lexicap/316 against general English:"
"$bin" "${db[@]}" --json keywords lexicap/316 --reference english --top 20 |
  python3 -c 'import json,sys; print("  " + " ".join(k["word"] for k in json.load(sys.stdin)))'
[ "$same" = equal ]
