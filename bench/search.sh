#!/usr/bin/env bash
# Benchmark of issue 3: search and concordance on the whole Lexicap folder.
#  - index build: `import` of the folder (store + index) and `reindex` alone;
#  - in-process query latency (p50/p99) over the committed bench/queries.txt;
#  - whole process: `podcorpus search '"meaning of life"'` against
#    `rg -i "meaning of life"` over the files, times and match counts;
#  - `kwic` on a word with 10,000+ occurrences.
# usage: bench/search.sh [LEXICAP_DIR] [RUNS]   (default ../shared/corpus/lexicap, 5)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-../shared/corpus/lexicap}
runs=${2:-5}
[ -d "$dir" ] || { echo "no corpus at $dir (pass the Lexicap folder)"; exit 1; }
command -v rg >/dev/null || { apt-get update -qq && apt-get install -y -qq ripgrep; }
cargo build --release --quiet -p podcorpus
bin=$PWD/target/release/podcorpus
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
db=$tmp/c.db
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
secs() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc -l; }
ms() { printf '%.1f' "$(echo "$1 * 1000" | bc -l)"; }

echo "corpus: $dir ($(ls "$dir"/*.vtt | wc -l) files, $(du -sh "$dir" | cut -f1))"
imports=()
for i in $(seq 3); do
  rm -rf "$db"*
  imports+=("$(secs "$bin" --db "$db" import "$dir")")
done
import=$(printf '%s\n' "${imports[@]}" | median)
"$bin" --db "$db" reindex >"$tmp/reindex"
reindex=$(for i in $(seq 3); do secs "$bin" --db "$db" reindex; done | median)
echo "index: $(cat "$tmp/reindex"); $(du -sh "$db.index" | cut -f1) on disk"

latency=$("$bin" --db "$db" search --bench bench/queries.txt)

q='meaning of life'
ours=$(for i in $(seq "$runs"); do secs "$bin" --db "$db" search "\"$q\""; done | median)
peer=$(for i in $(seq "$runs"); do secs rg -i "$q" "$dir"; done | median)
rg_lines=$(rg -i -c "$q" "$dir" | awk -F: '{s+=$NF} END {print s+0}')
rg_occ=$(rg -i -o "$q" "$dir" | wc -l)
rg_large=$(rg -i -o "$q" "$dir" --glob '*_large.vtt' | wc -l)
kwic_occ() { "$bin" --db "$db" --json kwic "\"$q\"" --limit 1 "$@" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])'; }
ours_all=$(kwic_occ --all-sources)
ours_best=$(kwic_occ)
ours_hits=$("$bin" --db "$db" --json search "\"$q\"" --all-sources --limit 100000 | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')

word=people
kwic=$(for i in $(seq "$runs"); do secs "$bin" --db "$db" kwic "$word"; done | median)
kwic_all=$(for i in $(seq "$runs"); do secs "$bin" --db "$db" kwic "$word" --limit 0; done | median)
kwic_n=$("$bin" --db "$db" --json kwic "$word" --limit 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
rg_word=$(rg -i -o -w "$word" "$dir" --glob '*_large.vtt' | wc -l)

printf 'median of %s runs (index build: of 3):\n' "$runs"
printf '  import + index build (whole process)    %8.2f s\n' "$import"
printf '  reindex alone (whole process)           %8.2f s   (target < 15 s)\n' "$reindex"
printf '  in-process latency, bench/queries.txt   %s   (target p50 < 2 ms, p99 < 20 ms)\n' "$latency"
printf '  search "%s" (whole process) %8s ms\n' "$q" "$(ms "$ours")"
printf '  rg -i "%s" (whole process)   %8s ms   (podcorpus %.1fx faster)\n' "$q" "$(ms "$peer")" "$(echo "$peer / $ours" | bc -l)"
printf '  matches: rg %s lines / %s occurrences (%s in *_large); podcorpus %s occurrences in all sources, %s in the best (large), %s ranked passages (all sources)\n' \
  "$rg_lines" "$rg_occ" "$rg_large" "$ours_all" "$ours_best" "$ours_hits"
printf '  cross-cue occurrences rg misses:        %8d (all sources)\n' "$((ours_all - rg_occ))"
printf '  kwic %s (%s occurrences; rg -w in *_large: %s), 100 lines shown %8s ms, all lines %s ms   (target < 300 ms)\n' \
  "$word" "$kwic_n" "$rg_word" "$(ms "$kwic")" "$(ms "$kwic_all")"
