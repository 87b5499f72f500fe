#!/usr/bin/env bash
# Benchmark and check of "one video, one episode" on the real corpus: import
# Lexicap, the podcast's metadata table into it, the channel's uploads, then the
# notes document, as a user would; time each metadata import (median of RUNS
# on fresh copies of the Lexicap database) and check what the issue asks.
# usage: bench/metadata.sh [CORPUS_DIR] [RUNS]   (default ../shared/corpus, 3)
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/corpus}
runs=${2:-3}
[ -d "$corpus/meta" ] || { echo "no corpus at $corpus (pass the folder holding lexicap/, meta/, notes/)"; exit 1; }
cargo build --release --quiet -p podcorpus
bin=${PODCORPUS_BIN:-$PWD/target/release/podcorpus}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
secs() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc -l; }
podcast=$corpus/meta/lex-fridman-podcast-episodes.csv
uploads=$corpus/meta/lexitalk-channel-uploads.csv
notes=$corpus/notes/lex-fridman-notes.txt

"$bin" --db "$tmp/lexicap.db" import --no-index "$corpus/lexicap" >/dev/null
times_podcast=(); times_uploads=()
for i in $(seq "$runs"); do
  rm -f "$tmp"/c.db*; cp "$tmp/lexicap.db" "$tmp/c.db"
  times_podcast+=("$(secs "$bin" --db "$tmp/c.db" import --no-index --collection lexicap "$podcast")")
  times_uploads+=("$(secs "$bin" --db "$tmp/c.db" import --no-index --collection lexfridman "$uploads")")
done
"$bin" --db "$tmp/c.db" import --no-index "$notes" >/dev/null
"$bin" --db "$tmp/c.db" reindex >/dev/null

printf 'metadata import, median of %s runs, seconds (whole process):\n' "$runs"
printf '  %-45s %8.3f\n' "$(basename "$podcast") --collection lexicap" "$(printf '%s\n' "${times_podcast[@]}" | median)"
printf '  %-45s %8.3f\n' "$(basename "$uploads") --collection lexfridman" "$(printf '%s\n' "${times_uploads[@]}" | median)"

# The expected count, computed apart from podcorpus: distinct video ids of the
# three inputs, plus Lexicap's #84, which no table knows.
expected=$(python3 - "$podcast" "$uploads" "$notes" <<'PY'
import csv, re, sys
ids = set()
for r in csv.DictReader(open(sys.argv[1], encoding="utf-8-sig")):
    ids.add(r["yt_url"].split("v=")[1][:11])
for r in csv.DictReader(open(sys.argv[2], encoding="utf-8")):
    ids.add(r["video_id"])
ids |= set(re.findall(r"v=([\w-]{11})", open(sys.argv[3], encoding="utf-8").read()))
print(len(ids) + 1)
PY
)
listed=$("$bin" --db "$tmp/c.db" list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
echo "episodes listed: $listed (expected $expected: distinct video ids of the inputs + Lexicap #84)"
q() { sqlite3 "$tmp/c.db" "$1"; }
lexicap="(SELECT m.episode_id FROM memberships m JOIN collections c ON c.id = m.collection_id
           WHERE c.name = 'lexicap' AND EXISTS (SELECT 1 FROM transcripts t WHERE t.episode_id = m.episode_id))"
echo "Lexicap episodes with title, guests and date: $(q "SELECT COUNT(*) FROM episodes WHERE id IN $lexicap AND title IS NOT NULL AND guests <> '[]' AND published IS NOT NULL") of $(q "SELECT COUNT(*) FROM $lexicap")"
echo "Lexicap episodes with timed chapters: $(q "SELECT COUNT(DISTINCT episode_id) FROM chapters WHERE start_ms IS NOT NULL AND episode_id IN $lexicap")"
echo "lexfridman/1: $("$bin" --db "$tmp/c.db" show lexfridman/1 --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["video_id"], d["title"], ["%s/%s" % (c["collection"], c["number"]) for c in d["collections"]])')"
for word in consciousness love; do
"$bin" --db "$tmp/c.db" search "$word" --collection lexicap --limit 20000 --json | python3 -c '
import json, sys
hits = json.load(sys.stdin)
hits = hits["hits"] if isinstance(hits, dict) else hits
unlinked = [h for h in hits if "&t=" not in (h.get("url") or "")]
names = sorted({"%s/%s" % (h["collection"], h["number"]) for h in unlinked})
print("search %r on Lexicap: %d hits, %d without a link at the second (%s)" % (sys.argv[1], len(hits), len(unlinked), ", ".join(names)))' "$word"
done
