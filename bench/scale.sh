#!/usr/bin/env bash
# The numbers of docs/scale.md: the whole Lexicap corpus imported with its
# metadata table into a fresh database, then measured — hours of speech, rows
# and bytes per table (SQLite's dbstat), the database file, the search index
# (after import and after `reindex`), Parquet and Hugging Face exports with
# segments, embeddings on a sixteenth of the corpus, and vocabulary growth
# (Heaps' law) and term-dictionary growth over 1/16, 1/8, 1/4, 1/2 and all of
# it. Prints one table of measurements, then per 1,000 and per 1,000,000 hours.
# usage: bench/scale.sh [LEXICAP_DIR] [META_CSV]
#   (default ../shared/corpus/lexicap, ../shared/corpus/meta/lex-fridman-podcast-episodes.csv)
# env: PODCORPUS_BIN=path skips the build; SCALE_DIR (default /tmp/scale) is
# wiped and used; SCALE_EMBED=0 skips the embeddings (about 100 s on 2 cores);
# SCALE_BUDGET (default 300) is the assumed videos per address per day for
# the fetch arithmetic.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(realpath "${1:-../shared/corpus/lexicap}")
meta=$(realpath "${2:-../shared/corpus/meta/lex-fridman-podcast-episodes.csv}")
work=${SCALE_DIR:-/tmp/scale}
[ -d "$dir" ] || { echo "no corpus at $dir (pass the Lexicap folder)"; exit 1; }
bin=${PODCORPUS_BIN:-$PWD/target/release/podcorpus}
[ -n "${PODCORPUS_BIN:-}" ] || cargo build --release --quiet -p podcorpus
rm -rf "$work"; mkdir -p "$work"
m="$work/measured.tsv"    # key <TAB> value, read by the report below
put() { printf '%s\t%s\n' "$1" "$2" >>"$m"; }
size() { du -sb "$1" | cut -f1; }
# timed KEY CMD...: runs CMD, records KEY.s (wall seconds) and KEY.kb (peak RSS)
timed() {
  local key=$1; shift
  /usr/bin/time -f '%e %M' -o "$work/time" "$@" >"$work/out" 2>"$work/err" || { cat "$work/err"; exit 1; }
  read -r e k <"$work/time"; put "$key.s" "$e"; put "$key.kb" "$k"
}
# index KEY INDEX_DIR: bytes of the tantivy index, per file kind, and its segments
index() {
  put "$1.bytes" "$(size "$2")"
  put "$1.segments" "$(ls "$2" | grep -c '\.idx$')"
  for ext in term idx pos store fast fieldnorm del; do
    put "$1.$ext" "$(find "$2" -name "*.$ext" -printf '%s\n' | awk '{s+=$1} END {print s+0}')"
  done
}
db=$work/c.db
echo "binary: $bin; corpus: $dir ($(ls "$dir"/*.vtt | wc -l) files, $(size "$dir") bytes); work: $work" >&2

# 1. The whole corpus, its metadata table and its index.
put load.start "$(cut -d' ' -f1 /proc/loadavg)"
timed import "$bin" --db "$db" import "$dir" "$meta" --collection lexicap
put import.passages "$(sed -n 's/^search index: .*(\([0-9]*\) passages).*/\1/p' "$work/out")"
put input.bytes "$(size "$dir")"
put db.bytes "$(stat -c %s "$db")"
index index.import "$db.index"
timed stats "$bin" --db "$db" stats --json
cp "$work/out" "$work/stats.json"
timed reindex "$bin" --db "$db" reindex
put index.passages "$(sed -n 's/^indexed .*(\([0-9]*\) passages).*/\1/p' "$work/out")"
index index.reindex "$db.index"
# Whole-process search latency: every query of bench/queries.txt (filters
# dropped), one process each, the top 10; the first pass warms the page cache.
mapfile -t queries < <(grep -v '^#' bench/queries.txt | sed 's/ *|||.*//' | grep -v '^$')
for pass in warm timed; do
  start=$(date +%s%N)
  # (a query without hits exits 1)
  for q in "${queries[@]}"; do "$bin" --db "$db" search "$q" --limit 10 >/dev/null 2>&1 || :; done
  end=$(date +%s%N)
done
put search.queries "${#queries[@]}"
put search.s "$(echo "($end - $start) / 1000000000" | bc -l)"

# 2. Exports (each episode's best transcript).
mkdir -p "$work/pq"
timed parquet "$bin" --db "$db" export --format parquet --segments -o "$work/pq/corpus.parquet"
put parquet.episodes "$(stat -c %s "$work/pq/corpus.parquet")"
put parquet.segments "$(stat -c %s "$work/pq/corpus.segments.parquet")"
timed hf "$bin" --db "$db" export --format hf --segments -o "$work/hf"
put hf.bytes "$(size "$work/hf")"
put hf.data "$(size "$work/hf/data")"

# 3. Subsets: the first 1/16, 1/8, 1/4, 1/2 of the episodes (in file-name
# order, both transcripts of each), each in its own database, reindexed.
mapfile -t eps < <(ls "$dir" | sed -n 's/^\(episode_[0-9]*\)_.*\.vtt$/\1/p' | sort -u)
put episodes.files "${#eps[@]}"
for part in 16 8 4 2; do
  n=$(( (${#eps[@]} + part - 1) / part ))
  files=()
  for e in "${eps[@]:0:n}"; do files+=("$dir/$e"_*.vtt); done
  sdb=$work/part$part.db
  "$bin" --db "$sdb" import --collection lexicap "${files[@]}" >/dev/null
  "$bin" --db "$sdb" reindex >/dev/null
  "$bin" --db "$sdb" stats --json >"$work/stats.part$part.json"
  put "part$part.db.bytes" "$(stat -c %s "$sdb")"
  index "part$part.index" "$sdb.index"
done

# 4. Embeddings (all-MiniLM-L6-v2, each episode's best transcript) of the 1/16 part.
if [ "${SCALE_EMBED:-1}" != 0 ]; then
  before=$(stat -c %s "$work/part16.db")
  timed embed "$bin" --db "$work/part16.db" embed
  put embed.db_growth "$(( $(stat -c %s "$work/part16.db") - before ))"
fi

put load.end "$(cut -d' ' -f1 /proc/loadavg)"
put cores "$(nproc)"

python3 - "$work" <<'EOF'
import json, math, os, sqlite3, sys
work = sys.argv[1]
m = {}
for line in open(f"{work}/measured.tsv"):
    k, v = line.rstrip("\n").split("\t")
    m[k] = float(v)
stats = json.load(open(f"{work}/stats.json"))

def db_facts(path):
    c = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    tables = [r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
    rows = {t: c.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    # dbstat: pages of each b-tree; an index counts towards its table.
    size = dict(c.execute(
        "SELECT m.tbl_name, sum(d.pgsize) FROM dbstat d JOIN sqlite_master m ON m.name = d.name "
        "GROUP BY m.tbl_name"))
    f = {"rows": rows, "bytes": size,
         "page_size": c.execute("PRAGMA page_size").fetchone()[0],
         "pages": c.execute("PRAGMA page_count").fetchone()[0],
         "free": c.execute("PRAGMA freelist_count").fetchone()[0],
         "schema": c.execute("SELECT sum(pgsize) FROM dbstat WHERE name = 'sqlite_schema'").fetchone()[0]}
    # Hours of speech: each transcript's span (its latest cue end), summed.
    f["transcript_ms"], f["transcripts"] = c.execute(
        "SELECT sum(d), count(*) FROM (SELECT max(end_ms) d FROM segments GROUP BY transcript_id)").fetchone()
    f["text_bytes"] = c.execute("SELECT sum(length(CAST(text AS BLOB))) FROM segments").fetchone()[0]
    f["stored_words"] = c.execute("SELECT sum(words) FROM transcripts").fetchone()[0]
    f["meta_ms"], f["meta_eps"] = c.execute(
        "SELECT sum(duration_ms), count(*) FROM episodes e WHERE duration_ms IS NOT NULL "
        "AND EXISTS (SELECT 1 FROM transcripts t WHERE t.episode_id = e.id)").fetchone()
    f["embed_bytes"] = sum(v for k, v in size.items() if k.startswith("embed"))
    f["passages"] = rows.get("embedded_passages", 0)
    return f

full = db_facts(f"{work}/c.db")
H = 3600_000
th = full["transcript_ms"] / H            # hours of speech, every transcript
sh = stats["duration_ms"] / H             # hours of speech, each episode's best transcript
MiB = 1 << 20
def mb(b): return f"{b / MiB:,.1f} MB"

print(f"== measured (whole corpus; {m['cores']:.0f} cores, load average {m['load.start']} at start, {m['load.end']} at end) ==")
print(f"transcripts {full['transcripts']}, episodes with a transcript {stats['documents']}, "
      f"episodes in all {full['rows']['episodes']}")
print(f"hours of speech: {th:,.1f} h over all {full['transcripts']} transcripts; "
      f"{sh:,.1f} h in each episode's best one (stats duration_ms); "
      f"metadata durations of those episodes {full['meta_ms'] / H:,.1f} h")
print(f"tokens (best transcripts, stats): {stats['tokens']:,}, types {stats['types']:,}, "
      f"words {stats['words']:,}; words stored over all transcripts {full['stored_words']:,}; "
      f"segment text {mb(full['text_bytes'])}")
print(f"input WebVTT {mb(m['input.bytes'])}")
print(f"import: {m['import.s']:.2f} s, peak {m['import.kb'] / 1024:,.0f} MB "
      f"({th / m['import.s']:,.0f} h of speech per second)")
print(f"search index: {m['index.passages']:,.0f} passages after reindex ({m['index.passages'] / th:.1f} per hour of any transcript); "
      f"import wrote {m['import.passages']:,.0f} (the metadata table re-indexes the episodes it names)")
print(f"stats (whole corpus in memory): {m['stats.s']:.2f} s, peak {m['stats.kb'] / 1024:,.0f} MB "
      f"({m['stats.kb'] * 1024 / stats['tokens']:.1f} bytes per token)")
print(f"reindex: {m['reindex.s']:.2f} s, peak {m['reindex.kb'] / 1024:,.0f} MB")
print(f"search: {int(m['search.queries'])} queries of bench/queries.txt in {m['search.s']:.2f} s, "
      f"{m['search.s'] / m['search.queries'] * 1000:.1f} ms each (one process per query, top 10)")
print()
print(f"{'table':22} {'rows':>10} {'bytes':>13} {'bytes/row':>10}")
for t, b in sorted(full["bytes"].items(), key=lambda kv: -kv[1]):
    if t == "sqlite_schema": continue
    r = full["rows"].get(t, 0)
    if r == 0 and b <= 16384: continue
    print(f"{t:22} {r:>10,} {b:>13,} {b / r if r else 0:>10,.1f}")
empty = [t for t in full["rows"] if full["rows"][t] == 0]
print(f"(empty: {', '.join(empty)})")
print(f"database file {m['db.bytes']:,.0f} bytes = {full['pages']:,} pages of {full['page_size']} "
      f"({full['free']} free)")
print()
def index_row(name, key):
    parts = ", ".join(f"{e} {mb(m[f'{key}.{e}'])}" for e in ["store", "pos", "idx", "term", "fast", "fieldnorm", "del"])
    print(f"{name:16} {mb(m[f'{key}.bytes']):>10}  {int(m[f'{key}.segments'])} segments: {parts}")
index_row("index (import)", "index.import")
index_row("index (reindex)", "index.reindex")
print(f"parquet --segments: {m['parquet.s']:.2f} s; episodes {mb(m['parquet.episodes'])}, segments {mb(m['parquet.segments'])}")
print(f"hf --segments: {m['hf.s']:.2f} s; folder {mb(m['hf.bytes'])} (data {mb(m['hf.data'])})")

# Growth over the parts.
print()
print("== growth: the first 1/16 .. all of the episodes ==")
print(f"{'part':6} {'h (all)':>8} {'h (best)':>8} {'tokens':>10} {'types':>7} {'db':>10} {'index':>10} {'term dict':>10} {'segs':>4}")
pts = []
for part in [16, 8, 4, 2, 1]:
    if part == 1:
        s, f, db_b, key = stats, full, m["db.bytes"], "index.reindex"
    else:
        s = json.load(open(f"{work}/stats.part{part}.json"))
        f = db_facts(f"{work}/part{part}.db")
        db_b, key = m[f"part{part}.db.bytes"], f"part{part}.index"
    pts.append((f["transcript_ms"] / H, s["duration_ms"] / H, s["tokens"], s["types"], db_b, m[f"{key}.bytes"], m[f"{key}.term"], m[f"{key}.segments"]))
    p = pts[-1]
    print(f"1/{part:<4} {p[0]:>8,.1f} {p[1]:>8,.1f} {p[2]:>10,} {p[3]:>7,} {mb(p[4]):>10} {mb(p[5]):>10} {mb(p[6]):>10} {p[7]:>4.0f}")

def fit(xs, ys):
    """Least squares of log y = log k + b log x: (k, b)."""
    lx, ly = [math.log(x) for x in xs], [math.log(y) for y in ys]
    n = len(xs); mx, my = sum(lx) / n, sum(ly) / n
    b = sum((a - mx) * (c - my) for a, c in zip(lx, ly)) / sum((a - mx) ** 2 for a in lx)
    return math.exp(my - b * mx), b
K, beta = fit([p[2] for p in pts], [p[3] for p in pts])
_, gamma = fit([p[0] for p in pts], [p[6] for p in pts])
_, idx_exp = fit([p[0] for p in pts], [p[5] for p in pts])
_, db_exp = fit([p[0] for p in pts], [p[4] for p in pts])
print(f"Heaps: types = {K:.2f} * tokens^{beta:.3f}; term dictionary ~ hours^{gamma:.3f}; "
      f"whole index ~ hours^{idx_exp:.3f}; database ~ hours^{db_exp:.3f}")

emb = None
if "embed.s" in m:
    e = db_facts(f"{work}/part16.db")
    s16 = json.load(open(f"{work}/stats.part16.json"))
    eh = s16["duration_ms"] / H
    emb = (e["passages"], e["embed_bytes"], m["embed.s"], eh)
    print(f"embeddings (1/16 part, {eh:.1f} h best): {e['passages']:,} passages in {m['embed.s']:.1f} s "
          f"({e['passages'] / m['embed.s']:.1f}/s, peak {m['embed.kb'] / 1024:,.0f} MB); tables {mb(e['embed_bytes'])} "
          f"({e['embed_bytes'] / e['passages']:,.0f} bytes/passage); file grew {mb(m['embed.db_growth'])}")

# Per 1,000 hours and per 1,000,000 hours: linear, from the whole corpus,
# store and index per hour of any transcript (every transcript is stored and
# indexed), exports and embeddings per hour of best transcript (one per episode).
print()
print("== per 1,000 h and per 1,000,000 h of speech (linear from the whole corpus) ==")
GB = 1e9
rows = [
    ("segments rows", full["rows"]["segments"], th, "rows"),
    ("segments table", full["bytes"]["segments"], th, "B"),
    ("database file", m["db.bytes"], th, "B"),
    ("search index (reindexed)", m["index.reindex.bytes"], th, "B"),
    ("  of it: doc store", m["index.reindex.store"], th, "B"),
    ("  of it: positions", m["index.reindex.pos"], th, "B"),
    ("  of it: term dictionary", m["index.reindex.term"], th, "B"),
    ("parquet episodes", m["parquet.episodes"], sh, "B"),
    ("parquet segments", m["parquet.segments"], sh, "B"),
    ("hf folder (--segments)", m["hf.bytes"], sh, "B"),
    ("input WebVTT", m["input.bytes"], th, "B"),
    ("tokens", stats["tokens"], sh, "n"),
    ("stats peak memory", m["stats.kb"] * 1024, sh, "B"),
    ("import time", m["import.s"], th, "s"),
    ("reindex time", m["reindex.s"], th, "s"),
    ("parquet export time", m["parquet.s"], sh, "s"),
]
if emb:
    rows += [("embedding passages", emb[0], emb[3], "n"), ("embedding tables", emb[1], emb[3], "B"),
             ("embedding time (2 cores)", emb[2], emb[3], "s")]
print(f"{'':28} {'measured':>14} {'per h of':>9} {'per 1,000 h':>14} {'per 1,000,000 h':>16}")
for name, v, hours, unit in rows:
    k, mm = v / hours * 1e3, v / hours * 1e6
    if unit == "B":
        cells = (mb(v), mb(k), f"{mm / GB:,.1f} GB")
    elif unit == "s":
        cells = (f"{v:,.1f} s", f"{k:,.1f} s", f"{mm / 3600:,.1f} h")
    else:
        cells = (f"{v:,.0f}", f"{k:,.0f}", f"{mm:,.3g}")
    print(f"{name:28} {cells[0]:>14} {'all' if hours == th else 'best':>9} {cells[1]:>14} {cells[2]:>16}")

# Where it is not linear: the vocabulary (Heaps) and the term dictionary.
tok_per_h = stats["tokens"] / sh
t_m = tok_per_h * 1e6
print()
print(f"tokens at 1,000,000 h: {tok_per_h:,.0f}/h * 1e6 = {t_m:.3g}")
print(f"types at 1,000,000 h (Heaps, K={K:.2f}, beta={beta:.3f}): {K * t_m ** beta:,.0f} "
      f"(linear would say {stats['types'] / stats['tokens'] * t_m:,.0f})")
types_m = K * t_m ** beta
print(f"term dictionary at 1,000,000 h, scaled with the types (Heaps): "
      f"{m['index.reindex.term'] * types_m / stats['types'] / MiB:,.0f} MB per copy; "
      f"with the fitted hours^{gamma:.3f}: {m['index.reindex.term'] * (1e6 / th) ** gamma / MiB:,.0f} MB; "
      f"linear would say {m['index.reindex.term'] / th * 1e6 / MiB:,.0f} MB")
if emb:
    print(f"embedding vectors alone: 384 floats * 4 bytes = 1,536 bytes/passage; measured tables "
          f"{emb[1] / emb[0]:,.0f} bytes/passage")
mean_h = sh / stats["documents"]
videos = 1e6 / mean_h
print(f"mean episode: {mean_h:.2f} h of speech -> 1,000,000 h = {videos:,.0f} such episodes")
# Fetching: B videos per address per day before YouTube throttles it is an
# assumption (SCALE_BUDGET, default 300: "a few hundred"), not a measurement.
budget = float(os.environ.get("SCALE_BUDGET", "300"))
print(f"fetch at {budget:.0f} videos per address per day (assumed): " + "; ".join(
    f"{a} addresses {videos / (a * budget):,.1f} days" for a in [1, 10, 100, 1000]))
EOF
