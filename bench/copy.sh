#!/usr/bin/env bash
# Benchmark of issue 17's `podcorpus copy`: the whole Lexicap corpus imported
# once into SQLite, copied SQLite → PostgreSQL and back PostgreSQL → SQLite,
# each copy verified (counts and checksums) before it commits. Prints seconds,
# rows/s, MB/s and peak memory (`/usr/bin/time`) of each whole process, and
# checks that the way back holds what the original does (every table's rows
# and checksum) and reads the same (`list`, `stats`).
# The server is scripts/pg-cluster's throwaway one unless PODCORPUS_BENCH_PG
# names a server (postgres://user@host:port, without a database).
# usage: bench/copy.sh [LEXICAP_DIR] [RUNS]   (default ../shared/corpus/lexicap, 1)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-../shared/corpus/lexicap}
runs=${2:-1}
[ -d "$dir" ] || { echo "no corpus at $dir (pass the Lexicap folder)"; exit 1; }
# PODCORPUS_BIN=... measures another build as it is (nothing is built).
[ -n "${PODCORPUS_BIN:-}" ] || cargo build --release --quiet -p podcorpus
bin=${PODCORPUS_BIN:-$PWD/target/release/podcorpus}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
if [ -n "${PODCORPUS_BENCH_PG:-}" ]; then
  server=${PODCORPUS_BENCH_PG%/}
else
  url=$(scripts/pg-cluster "${TMPDIR:-/tmp}/podcorpus-test-pg")
  server=${url%/*}
fi
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
hostport=${server#*@}; host=${hostport%:*}; port=${hostport##*:}; user=${server#*://}; user=${user%@*}
export PGOPTIONS='-c client_min_messages=warning'
newdb() { "$pgbin/psql" -q -h "$host" -p "$port" -U "$user" -d postgres -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1"; }

echo "corpus: $dir ($(ls "$dir"/*.vtt | wc -l) files, $(du -sh "$dir" | cut -f1))"
"$bin" --db "$tmp/laptop.db" import --no-index "$dir" >/dev/null
echo "imported into SQLite: $(du -h "$tmp/laptop.db" | cut -f1)"

# one FROM TO LABEL: a copy, timed as a whole process.
one() {
  /usr/bin/time -f '%e %M' -o "$tmp/time" "$bin" --db "$1" --json copy --to "$2" >"$tmp/report.json" 2>"$tmp/err" \
    || { cat "$tmp/err"; exit 1; }
  read -r secs kb <"$tmp/time"
  python3 - "$tmp/report.json" "$secs" "$kb" "$3" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1])); secs = float(sys.argv[2]); kb = int(sys.argv[3])
seg = next(t for t in r["tables"] if t["table"] == "segments")
verify = sum(t["verify_seconds"] for t in r["tables"])
print(f"  {sys.argv[4]}: {r['rows']:,} rows, {r['bytes']/1e6:.1f} MB in {secs:.2f} s "
      f"({r['rows']/secs:,.0f} rows/s, {r['bytes']/1e6/secs:.1f} MB/s), "
      f"of which verifying {verify:.2f} s; segments {seg['rows']:,} in {seg['seconds']:.2f} s; "
      f"peak {kb/1024:.0f} MB; verified={r['verified']}")
EOF
}

for i in $(seq "$runs"); do
  db="podcorpus_bench_copy_$$_$i"
  newdb "$db"
  rm -f "$tmp"/back.db*
  echo "round $i:"
  one "$tmp/laptop.db" "$server/$db" "SQLite → PostgreSQL"
  cp "$tmp/report.json" "$tmp/there.json"
  one "$server/$db" "$tmp/back.db" "PostgreSQL → SQLite"
  # The way back holds what went there: the same rows and checksums per table.
  python3 - "$tmp/there.json" "$tmp/report.json" <<'EOF'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
key = lambda r: [(t["table"], t["rows"], t["bytes"], t["checksum"]) for t in r["tables"]]
assert key(a) == key(b), "the way back differs"
print("  the way back: every table's rows and checksum as the original's")
EOF
  for cmd in list stats; do
    cmp <("$bin" --db "$tmp/laptop.db" --json $cmd) <("$bin" --db "$tmp/back.db" --json $cmd) \
      && echo "  $cmd: the same on the original and on the way back"
  done
  "$pgbin/psql" -q -h "$host" -p "$port" -U "$user" -d postgres -c "DROP DATABASE $db"
done
