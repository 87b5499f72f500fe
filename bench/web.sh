#!/usr/bin/env bash
# Benchmark of issues 7 and 18: the web reader under load, with the Lexicap
# corpus. First, /stats computed from cold while wrk loads the longest
# episode page (the page's p99 must stay under 100 ms); then wrk (2 threads,
# 16 connections, SECONDS each) against the search API, the longest episode
# page (plain, gzip, brotli, revalidated with its ETag), the list and the
# statistics; size and time of that page with curl, and its compressed sizes.
# usage: bench/web.sh [LEXICAP_DIR] [SECONDS]   (default ../shared/corpus/lexicap, 30)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-../shared/corpus/lexicap}
secs=${2:-30}
[ -d "$dir" ] || { echo "no corpus at $dir"; exit 1; }
command -v wrk >/dev/null || { sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo; $sudo apt-get install -y -qq wrk >/dev/null; }
cargo build --release --quiet -p podcorpus
bin=$PWD/target/release/podcorpus
tmp=$(mktemp -d)
"$bin" --db "$tmp/c.db" import "$dir" >/dev/null
port=$((20000 + RANDOM % 20000))
"$bin" --db "$tmp/c.db" serve --port "$port" 2>/dev/null &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 100); do curl -s "http://127.0.0.1:$port/" >/dev/null && break; sleep 0.1; done
# The longest episode by words.
longest=$("$bin" --db "$tmp/c.db" list --json | python3 -c 'import json,sys; e=max(json.load(sys.stdin), key=lambda e: e["words"]); print(e["collection"] + "/" + str(e["number"]), e["words"])')
read -r ep words <<<"$longest"
echo "longest episode: $ep ($words words)"
for i in 1 2 3 4 5; do curl -s -o /dev/null -w '%{time_total} %{size_download}\n' "http://127.0.0.1:$port/e/$ep"; done |
  sort -n | awk 'NR==3 {printf "episode page: median %.1f ms, %.2f MB\n", $1*1000, $2/1048576}'
for enc in gzip br; do
  curl -s -o /dev/null -H "Accept-Encoding: $enc" -w "episode page, $enc: %{size_download} bytes\n" "http://127.0.0.1:$port/e/$ep"
done
etag=$(curl -s -D - -o /dev/null "http://127.0.0.1:$port/e/$ep" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag" {print $2}')
echo "episode page revalidated: HTTP $(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "http://127.0.0.1:$port/e/$ep")"
# /stats from cold (nothing has asked for it yet) under load.
cold=$(( secs < 10 ? 10 : secs ))
echo "== wrk -t2 -c16 -d${cold}s /e/$ep (gzip) while /stats computes from cold"
wrk -t2 -c16 -d"${cold}s" --latency -H "Accept-Encoding: gzip" "http://127.0.0.1:$port/e/$ep" > "$tmp/cold.txt" &
loader=$!
sleep 2
curl -s -o /dev/null -w '/stats from cold: %{time_total} s\n' "http://127.0.0.1:$port/stats"
wait $loader
grep -E 'Requests/sec|99%|50%|Non-2xx|Socket errors' "$tmp/cold.txt" || true
run() { # LABEL URL [HEADER]
  echo "== wrk -t2 -c16 -d${secs}s $1"
  wrk -t2 -c16 -d"${secs}s" --latency ${3:+-H "$3"} "http://127.0.0.1:$port$2" | grep -E 'Requests/sec|99%|50%|Non-2xx|Socket errors' || true
}
run "/api/search?q=consciousness" "/api/search?q=consciousness"
run '/api/search?q="meaning of life"' "/api/search?q=%22meaning+of+life%22"
run "/e/$ep" "/e/$ep"
run "/e/$ep (gzip)" "/e/$ep" "Accept-Encoding: gzip"
run "/e/$ep (br, as browsers ask)" "/e/$ep" "Accept-Encoding: gzip, deflate, br"
run "/e/$ep (If-None-Match)" "/e/$ep" "If-None-Match: $etag"
run "/ (gzip)" "/" "Accept-Encoding: gzip"
run "/?q=brain&sort=words&dir=desc (gzip)" "/?q=brain&sort=words&dir=desc" "Accept-Encoding: gzip"
run "/stats (gzip)" "/stats" "Accept-Encoding: gzip"
run "/stats?episode=$ep (gzip)" "/stats?episode=${ep/\//%2F}" "Accept-Encoding: gzip"
