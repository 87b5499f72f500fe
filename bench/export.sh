#!/usr/bin/env bash
# Benchmark of issue 6: export of the whole Lexicap corpus (imported into a
# fresh database first) to Parquet with the segments table and to JSONL, next
# to the peer (bench/export_peer.py: Python sqlite3 + pyarrow / json doing the
# same streaming export); peak memory; output sizes next to the input's.
# Targets: Parquet+segments < 10 s and < 300 MB peak; JSONL < 5 s.
# usage: bench/export.sh [LEXICAP_DIR] [RUNS]   (default ../shared/corpus/lexicap, 3)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-../shared/corpus/lexicap}
runs=${2:-3}
[ -d "$dir" ] || { echo "no corpus at $dir (pass the Lexicap folder)"; exit 1; }
python3 -c 'import pyarrow' 2>/dev/null || python3 -m pip install -q 'pyarrow==26.0.1'
# PODCORPUS_BIN=path skips the build (to measure a binary already built).
bin=${PODCORPUS_BIN:-$PWD/target/release/podcorpus}
[ -n "${PODCORPUS_BIN:-}" ] || cargo build --release --quiet -p podcorpus
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
mb() { echo "scale=1; $1 / 1048576" | bc -l; }
size() { du -cb "$@" | tail -1 | cut -f1; }

"$bin" --db "$tmp/c.db" import "$dir" >/dev/null
input=$(size "$dir"/*.vtt)
echo "corpus: $dir ($(ls "$dir"/*.vtt | wc -l) files, $(mb "$input") MB of WebVTT; database $(mb "$(size "$tmp/c.db")") MB)"

# run NAME CMD...: times RUNS runs; sets $t (median seconds) and $m (peak KB, max over runs)
run() {
  local ts=() ms=()
  for i in $(seq "$runs"); do
    rm -rf "$tmp/out"; mkdir "$tmp/out"
    /usr/bin/time -f '%e %M' -o "$tmp/time" "$@" >/dev/null 2>"$tmp/err" || { cat "$tmp/err"; exit 1; }
    read -r e k <"$tmp/time"; ts+=("$e"); ms+=("$k")
  done
  t=$(printf '%s\n' "${ts[@]}" | median); m=$(printf '%s\n' "${ms[@]}" | sort -n | tail -1)
}

printf 'median of %s runs (seconds), peak memory (MB), output size (MB, input %s MB):\n' "$runs" "$(mb "$input")"
report() { printf '  %-34s %7.2f s %7.1f MB %8.1f MB\n' "$1" "$t" "$(echo "$m / 1024" | bc -l)" "$(mb "$2")"; }

run "$bin" --db "$tmp/c.db" export -f parquet --segments -o "$tmp/out/corpus.parquet"
ours_pq=$t; report "ours  parquet --segments" "$(size "$tmp"/out/*.parquet)"
echo "        episodes $(mb "$(size "$tmp/out/corpus.parquet")") MB, segments $(mb "$(size "$tmp/out/corpus.segments.parquet")") MB"
run python3 bench/export_peer.py "$tmp/c.db" parquet "$tmp/out/corpus.parquet"
peer_pq=$t; report "peer  pyarrow parquet + segments" "$(size "$tmp"/out/*.parquet)"

run "$bin" --db "$tmp/c.db" export -f jsonl -o "$tmp/out/corpus.jsonl"
ours_js=$t; report "ours  jsonl" "$(size "$tmp/out/corpus.jsonl")"
run python3 bench/export_peer.py "$tmp/c.db" jsonl "$tmp/out/corpus.jsonl"
peer_js=$t; report "peer  python json" "$(size "$tmp/out/corpus.jsonl")"

run "$bin" --db "$tmp/c.db" export -f jsonl --segments -o "$tmp/out/corpus.jsonl"
report "ours  jsonl --segments" "$(size "$tmp/out/corpus.jsonl")"
run "$bin" --db "$tmp/c.db" export -f hf --segments -o "$tmp/out/ds"
report "ours  hf --segments" "$(size "$tmp"/out/ds/data/*.parquet)"
run "$bin" --db "$tmp/c.db" export -f vtt -o "$tmp/out/vtt"
report "ours  vtt (one file per episode)" "$(size "$tmp"/out/vtt/*.vtt)"

printf 'ratios (peer / ours): parquet %.1fx, jsonl %.1fx\n' \
  "$(echo "$peer_pq / $ours_pq" | bc -l)" "$(echo "$peer_js / $ours_js" | bc -l)"
