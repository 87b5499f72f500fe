#!/usr/bin/env bash
# Benchmark of issues 2 and 14: import of the whole Lexicap folder into a
# fresh database (whole process; store only, then with the search index built
# beside the writes) against the peer webvtt-py (parse only) and the floor
# `cat FILES | wc -w`; peak memory; `list` latency on the result; then kill -9
# at several moments of an import, rerun, and check the database and index.
# usage: bench/import.sh [LEXICAP_DIR] [RUNS]   (default ../shared/corpus/lexicap, 3)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-../shared/corpus/lexicap}
runs=${2:-3}
[ -d "$dir" ] || { echo "no corpus at $dir (pass the Lexicap folder)"; exit 1; }
python3 -c 'import webvtt' 2>/dev/null || python3 -m pip install -q 'webvtt-py==0.6.0'
cargo build --release --quiet -p podcorpus
# PODCORPUS_BIN=... measures another build (e.g. the previous version) the same way.
bin=${PODCORPUS_BIN:-$PWD/target/release/podcorpus}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
secs() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc -l; }

echo "corpus: $dir ($(ls "$dir"/*.vtt | wc -l) files, $(du -sh "$dir" | cut -f1))"
floor=$(for i in $(seq "$runs"); do secs bash -c "cat '$dir'/*.vtt | wc -w"; done | median)
peer=$(for i in $(seq "$runs"); do python3 ../shared/bench/peer_vtt_parse.py "$dir" | sed 's/.*seconds=//'; done | median)
# Store only (--no-index), then the default import that also builds the search index.
measure() {
  local e m all=() mems=()
  for i in $(seq "$runs"); do
    rm -rf "$tmp"/c.db*
    /usr/bin/time -f '%e %M' -o "$tmp/time" "$bin" --db "$tmp/c.db" import "$@" "$dir" >"$tmp/out"
    read -r e m <"$tmp/time"; all+=("$e"); mems+=("$m")
  done
  echo "$(printf '%s\n' "${all[@]}" | median) $(printf '%s\n' "${mems[@]}" | sort -n | tail -1)"
}
read -r import peak < <(measure --no-index)
read -r indexed ipeak < <(measure)
list=$(for i in $(seq 11); do secs "$bin" --db "$tmp/c.db" list; done | median)
echo "podcorpus import: $(cat "$tmp/out")"
python3 ../shared/bench/peer_vtt_parse.py "$dir"
printf 'median of %s runs, seconds:\n' "$runs"
printf '  floor  cat | wc -w         %8.3f\n' "$floor"
printf '  peer   webvtt-py (parse)   %8.3f\n' "$peer"
printf '  ours   import --no-index   %8.3f   (%.1fx faster than the peer, %.2fx the floor; goal: at most 2.5x the floor)\n' "$import" "$(echo "$peer / $import" | bc -l)" "$(echo "$import / $floor" | bc -l)"
printf '  ours   import (+ index)    %8.3f   (%.1fx faster than the peer; goal: at least 10x)\n' "$indexed" "$(echo "$peer / $indexed" | bc -l)"
printf '  peak memory: store only %.1f MB, with index %.1f MB\n' "$(echo "$peak / 1024" | bc -l)" "$(echo "$ipeak / 1024" | bc -l)"
printf '  podcorpus list (median 11) %8.3f\n' "$list"
echo "database: $(du -sh "$tmp/c.db" | cut -f1)"

# Crash safety: kill -9 at several moments of one import, rerun to the end,
# then check: SQLite's integrity and foreign keys, no transcript missing any
# of its segments, and an import right after finding the index complete.
rm -rf "$tmp"/k.db*
for at in 0.3 0.8 1.5 2.5 3.5; do
  "$bin" --db "$tmp/k.db" import "$dir" >/dev/null 2>&1 & pid=$!
  sleep "$at"; kill -9 "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
done
"$bin" --db "$tmp/k.db" import "$dir" >/dev/null
again=$("$bin" --db "$tmp/k.db" --json import "$dir" | python3 -c 'import json,sys; r=json.load(sys.stdin); i=r.get("index") or {}; print(r["unchanged"], i.get("indexed"), i.get("removed"))')
python3 - "$tmp/k.db" "$again" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
ok = c.execute("PRAGMA integrity_check").fetchone()[0]
fk = c.execute("SELECT COUNT(*) FROM pragma_foreign_key_check").fetchone()[0]
partial = c.execute("SELECT COUNT(*) FROM transcripts t WHERE t.segments != (SELECT COUNT(*) FROM segments s WHERE s.transcript_id = t.id)").fetchone()[0]
n = c.execute("SELECT COUNT(*) FROM transcripts").fetchone()[0]
unchanged, indexed, removed = sys.argv[2].split()
print(f"after kill -9 at 0.3 0.8 1.5 2.5 3.5 s and a rerun: integrity {ok}, foreign-key violations {fk}, "
      f"transcripts {n} ({partial} partial); the next import: {unchanged} files unchanged, index {indexed} to add, {removed} to remove")
PY
