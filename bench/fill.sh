#!/usr/bin/env bash
# Benchmark of issue 20: `podcorpus fill` on a copy of the real notes document
# whose slot 08 holds a page served on 127.0.0.1 (the fetch tests' site),
# against the floor: the same yt-dlp writing the same page's info and
# subtitles alone (the arguments fetch gives it); and the import of the real
# document. Medians of ROUNDS (default 5); ratios within each round.
# usage: bench/fill.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
python3 -c 'import yt_dlp' 2>/dev/null || python3 -m pip install -q yt-dlp
cargo build --release --quiet -p podcorpus
bin=$PWD/target/release/podcorpus
tmp=$(mktemp -d); trap 'kill $server 2>/dev/null; rm -rf "$tmp"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 -d crates/fetch/tests/site >/dev/null 2>&1 & server=$!
sleep 1
url="http://127.0.0.1:$port/v/talk1.html"
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
secs() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc -l; }
notes=samples/lex-fridman-notes.txt
: >"$tmp/rounds"
for i in $(seq "$rounds"); do
  rm -rf "$tmp/dl" "$tmp/c.db"* "$tmp/notes.txt"*
  f=$(secs yt-dlp --skip-download --ignore-no-formats-error --no-write-playlist-metafiles --write-info-json \
        --write-subs --write-auto-subs --sub-langs 'en,en-.*' --sub-format 'vtt/vtt/best' --retries 3 \
        --no-warnings -o "$tmp/dl/%(id)s.%(ext)s" "$url")
  awk -v u="$url" '
    /^--08--/ {slot=1} slot && /^Link:$/ {print "Link: " u; slot=0; next} {print}' "$notes" >"$tmp/notes.txt"
  x=$(secs "$bin" --db "$tmp/c.db" fill "$tmp/notes.txt" --sub-format vtt --sleep 0 --out "$tmp/dl2")
  grep -q '^0:02$' "$tmp/notes.txt" || { echo "fill did not fill slot 08"; exit 1; }
  echo "$f $x" >>"$tmp/rounds"
  printf '  round %s: yt-dlp alone %.3f s  fill %.3f s (%.2fx)\n' "$i" "$f" "$x" "$(echo "$x / $f" | bc -l)"
done
f=$(cut -d' ' -f1 "$tmp/rounds" | median); x=$(cut -d' ' -f2 "$tmp/rounds" | median)
r=$(awk '{print $2/$1}' "$tmp/rounds" | median)
printf 'fill one slot: median %.3f s; yt-dlp alone (floor) %.3f s; median ratio %.2fx\n' "$x" "$f" "$r"
# The reader: import of the document alone (a fresh database each time).
for i in $(seq "$rounds"); do rm -f "$tmp/r.db"*; secs "$bin" --db "$tmp/r.db" import --no-index "$notes"; done | median \
  | xargs printf 'import of the real notes document (%s KB): median %.3f s\n' "$(( $(wc -c <"$notes") / 1024 ))"
