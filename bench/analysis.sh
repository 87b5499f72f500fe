#!/usr/bin/env bash
# Benchmark of issue 4: `compare --all` (WER of Whisper small against Whisper
# large over every Lexicap episode) against the peer ../shared/bench/peer_wer.py
# (webvtt-py + jiwer 4.0.0), side by side: the same S, D, I, H counts and the
# whole-process times; then corpus `stats`, `keywords` for one episode against
# the rest, `freq` and `collocates`.
# usage: bench/analysis.sh [LEXICAP_DIR] [RUNS]   (default ../shared/corpus/lexicap, 3)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-../shared/corpus/lexicap}
runs=${2:-3}
[ -d "$dir" ] || { echo "no corpus at $dir (pass the Lexicap folder)"; exit 1; }
python3 -c 'import jiwer, webvtt' 2>/dev/null || python3 -m pip install -q 'webvtt-py==0.6.0' 'jiwer==4.0.0'
cargo build --release --quiet -p podcorpus
bin=$PWD/target/release/podcorpus
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
secs() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc -l; }
"$bin" --db "$tmp/c.db" import "$dir" >/dev/null
db=(--db "$tmp/c.db")

echo "corpus: $dir ($(ls "$dir"/*.vtt | wc -l) files)"
# The peer: whole process (reading the files with webvtt-py, jiwer) and jiwer's own seconds.
peer_wall=(); peer_jiwer=()
for i in $(seq "$runs"); do
  s=$(date +%s.%N)
  python3 ../shared/bench/peer_wer.py "$dir" >"$tmp/peer"
  e=$(date +%s.%N)
  peer_wall+=("$(echo "$e - $s" | bc -l)")
  peer_jiwer+=("$(sed 's/.*seconds=//' "$tmp/peer")")
done
cat "$tmp/peer"
ours=()
for i in $(seq "$runs"); do
  s=$(date +%s.%N)
  "$bin" "${db[@]}" --json compare --all --ref whisper-large --hyp whisper-small >"$tmp/ours"
  e=$(date +%s.%N)
  ours+=("$(echo "$e - $s" | bc -l)")
done
read -r pairs wer S D I H < <(python3 -c 'import json,sys; o=json.load(open(sys.argv[1])); print(o["pairs"], "%.9f" % o["wer"], o["substitutions"], o["deletions"], o["insertions"], o["hits"])' "$tmp/ours")
echo "podcorpus pairs=$pairs wer=$wer S=$S D=$D I=$I H=$H"
want=$(sed 's/.*\(pairs=[0-9]*\) wer=\([0-9.]*\) \(S=.*H=[0-9]*\).*/\1 wer=\2 \3/' "$tmp/peer")
got="pairs=$pairs wer=$wer S=$S D=$D I=$I H=$H"
if [ "$want" = "$got" ]; then same="identical"; else same="DIFFERENT"; fi
cer=$(for i in $(seq "$runs"); do secs "$bin" "${db[@]}" compare --all --cer --ref whisper-large --hyp whisper-small; done | median)
stats=$(for i in $(seq "$runs"); do secs "$bin" "${db[@]}" stats; done | median)
byep=$(for i in $(seq "$runs"); do secs "$bin" "${db[@]}" stats --by episode --csv; done | median)
kw=$(for i in $(seq "$runs"); do secs "$bin" "${db[@]}" keywords lexicap/1; done | median)
freq=$(for i in $(seq "$runs"); do secs "$bin" "${db[@]}" freq --ngram 2 --top 100; done | median)
coll=$(for i in $(seq "$runs"); do secs "$bin" "${db[@]}" collocates mind --window 5; done | median)
pw=$(printf '%s\n' "${peer_wall[@]}" | median)
pj=$(printf '%s\n' "${peer_jiwer[@]}" | median)
ow=$(printf '%s\n' "${ours[@]}" | median)
printf 'S/D/I/H against jiwer: %s\n' "$same"
printf 'median of %s runs, seconds (whole process):\n' "$runs"
printf '  peer   peer_wer.py (webvtt-py + jiwer)   %8.3f   (jiwer itself %.3f)\n' "$pw" "$pj"
printf '  ours   compare --all                     %8.3f   (%.1fx faster than the peer)\n' "$ow" "$(echo "$pw / $ow" | bc -l)"
printf '  ours   compare --all --cer (WER + CER)   %8.3f\n' "$cer"
printf '  ours   stats (whole corpus)              %8.3f   (target < 5 s)\n' "$stats"
printf '  ours   stats --by episode --csv          %8.3f\n' "$byep"
printf '  ours   keywords lexicap/1 (vs the rest)  %8.3f   (target < 1 s)\n' "$kw"
printf '  ours   freq --ngram 2 --top 100          %8.3f\n' "$freq"
printf '  ours   collocates mind --window 5        %8.3f\n' "$coll"
[ "$same" = identical ]
