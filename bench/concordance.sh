#!/usr/bin/env bash
# Benchmark of the query language's concordance patterns (issue "Corpus
# linguistics", part 2): the Lexicap folder (636 VTT files, both Whisper
# models) is imported, then for `conscious*`, `/(cat|dog)s?/`, `lemma:run`
# and a proximity `"elon mars"~10`, `podcorpus kwic --all-sources` (whole
# process, index current) is timed against an AntConc-style brute force
# (bench/brute_concordance.py: every cue text of every file, one tokenizing
# regex, lowercased, each token tested). Both totals are printed; they must
# be equal, and the script says so when they are not.
# usage: bench/concordance.sh [LEXICAP_DIR] [RUNS]
#   (default ../shared/corpus/lexicap when it exists, else samples/lexicap; 3)
#   PODCORPUS_BIN=PATH uses that binary.
set -euo pipefail
cd "$(dirname "$0")/.."
default=samples/lexicap; [ -d ../shared/corpus/lexicap ] && default=../shared/corpus/lexicap
dir=${1:-$default}
runs=${2:-3}
[ -d "$dir" ] || { echo "no $dir (pass the Lexicap folder)"; exit 1; }
python3 -c 'import importlib.util as u, sys; sys.exit(u.find_spec("lemminflect") is None)' ||
  python3 -m pip install -q --no-deps 'lemminflect==0.2.3'
if [ -n "${PODCORPUS_BIN:-}" ]; then bin=$PODCORPUS_BIN; else
  cargo build --release --quiet -p podcorpus; bin=$PWD/target/release/podcorpus; fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
now() { date +%s.%N; }

db=$tmp/c.db
t=$(now); "$bin" --db "$db" import "$dir" >/dev/null 2>&1
printf 'import of %s VTT files: %.1f s\n' "$(ls "$dir"/*.vtt | wc -l)" "$(echo "$(now) - $t" | bc)"
"$bin" --db "$db" kwic the --limit 1 >/dev/null 2>&1 || true   # the index is current from here on

status=0
for pattern in 'conscious*' '/(cat|dog)s?/' 'lemma:run' '"elon mars"~10'; do
  ours=(); theirs=()
  for _ in $(seq "$runs"); do
    t=$(now); "$bin" --db "$db" kwic "$pattern" --all-sources --limit 0 >/dev/null 2>&1 || true
    ours+=("$(echo "$(now) - $t" | bc)")
    t=$(now); python3 bench/brute_concordance.py "$dir" "$pattern" >/dev/null
    theirs+=("$(echo "$(now) - $t" | bc)")
  done
  # kwic exits 1 when there is no occurrence; its JSON says 0 all the same.
  total=$({ "$bin" --db "$db" kwic "$pattern" --all-sources --json --limit 1 || true; } |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
  brute=$(python3 bench/brute_concordance.py "$dir" "$pattern")
  o=$(printf '%s\n' "${ours[@]}" | median); p=$(printf '%s\n' "${theirs[@]}" | median)
  same=equal; [ "$total" = "$brute" ] || { same=DIFFERENT; status=1; }
  printf 'kwic %-16s total %7s  brute force %7s  (%s)   median %.3f s vs %.3f s  (%.1fx)\n' \
    "$pattern" "$total" "$brute" "$same" "$o" "$p" "$(echo "$p / $o" | bc -l)"
done
exit $status
