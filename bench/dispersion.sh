#!/usr/bin/env bash
# Benchmark and check of dispersion and trends on the real corpus: Lexicap
# imported with the podcast's metadata table (dates by episode number, as the
# README imports it), then `podcorpus trend TERMS --by year` and `podcorpus
# dispersion WORD` against bench/brute_dispersion.py, an AntConc-style brute
# force (every VTT cue text without its [bracketed] sound tags, the regex
# [^\W_]+(?:['’][^\W\d_][^\W_]*)* lowercased, dates from the csv): both
# results in the same canonical lines, compared, and both whole-process times
# (median of RUNS).
# usage: bench/dispersion.sh [CORPUS_DIR] [RUNS] [TERMS] [WORD]
#   (default ../shared/corpus, 3, 'consciousness,love,the,meaning of life', consciousness)
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/corpus}
runs=${2:-3}
terms=${3:-consciousness,love,the,meaning of life}
word=${4:-consciousness}
[ -d "$corpus/lexicap" ] || { echo "no corpus at $corpus (pass the folder holding lexicap/ and meta/)"; exit 1; }
bin=${PODCORPUS_BIN:-$PWD/target/release/podcorpus}
[ -x "$bin" ] || cargo build --release --quiet -p podcorpus
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
secs() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc -l; }
meta=$corpus/meta/lex-fridman-podcast-episodes.csv
db=(--db "$tmp/c.db")
"$bin" "${db[@]}" import --no-index "$corpus/lexicap" >/dev/null
"$bin" "${db[@]}" import --no-index --collection lexicap "$meta" >/dev/null
IFS=, read -r -a term_list <<<"$terms"

# Ours, in the brute force's canonical lines.
"$bin" "${db[@]}" --json trend "${term_list[@]}" --by year 2>"$tmp/trend.err" | python3 -c '
import json, sys
for r in json.load(sys.stdin):
    print("trend %s\t%s\t%d\t%d" % (r["term"], r["period"], r["count"], r["tokens"]))' >"$tmp/ours.trend"
undated=$(sed -n 's/^left out \([0-9]*\) of.*/\1/p' "$tmp/trend.err")
echo "undated ${undated:-0}" >>"$tmp/ours.trend"
"$bin" "${db[@]}" --json dispersion "$word" | python3 -c '
import json, sys
d = json.load(sys.stdin)
print("dispersion %s hits=%d tokens=%d parts=%d range=%d" % (d["query"], d["hits"], d["tokens"], d["parts"], d["range"]))
print("dp=%.10f dp_norm=%.10f juilland_d=%.10f" % (d["dp"], d["dp_norm"], d["juilland_d"]))' >"$tmp/ours.disp"
python3 bench/brute_dispersion.py "$corpus/lexicap" "$meta" trend "$terms" >"$tmp/brute.trend"
python3 bench/brute_dispersion.py "$corpus/lexicap" "$meta" dispersion "$word" >"$tmp/brute.disp"

same() { if cmp -s "$1" "$2"; then echo identical; else echo DIFFERENT; diff "$1" "$2" | head -20; fi; }
echo "== trend per year (podcorpus)"; cat "$tmp/ours.trend"
echo "== trend: against the brute force: $(same "$tmp/ours.trend" "$tmp/brute.trend")"
echo "== dispersion (podcorpus)"; cat "$tmp/ours.disp"
echo "== dispersion (brute force)"; cat "$tmp/brute.disp"
echo "== dispersion: against the brute force: $(same "$tmp/ours.disp" "$tmp/brute.disp")"

ot=$(for i in $(seq "$runs"); do secs "$bin" "${db[@]}" trend "${term_list[@]}" --by year; done | median)
bt=$(for i in $(seq "$runs"); do secs python3 bench/brute_dispersion.py "$corpus/lexicap" "$meta" trend "$terms"; done | median)
od=$(for i in $(seq "$runs"); do secs "$bin" "${db[@]}" dispersion "$word"; done | median)
bd=$(for i in $(seq "$runs"); do secs python3 bench/brute_dispersion.py "$corpus/lexicap" "$meta" dispersion "$word"; done | median)
op=$(for i in $(seq "$runs"); do secs "$bin" "${db[@]}" dispersion "$word" --plot "$tmp/d.svg"; done | median)
printf 'median of %s runs, seconds (whole process):\n' "$runs"
printf '  ours    trend %-40s %8.3f   (%.1fx the brute force)\n' "($terms) --by year" "$ot" "$(echo "$bt / $ot" | bc -l)"
printf '  brute   brute_dispersion.py trend                         %8.3f\n' "$bt"
printf '  ours    dispersion %-35s %8.3f   (%.1fx the brute force)\n' "$word" "$od" "$(echo "$bd / $od" | bc -l)"
printf '  ours    dispersion %-35s %8.3f\n' "$word --plot" "$op"
printf '  brute   brute_dispersion.py dispersion                    %8.3f\n' "$bd"
