"""The cues the reference parsers read from caption files, as JSON.

    python3 captions.py FILE...

WebVTT files are read with webvtt-py; SRT files with the `srt` library, or
with pysrt where `srt` refuses the file (it only knows LF and CRLF line
endings; pysrt reads a lone CR as Python's universal newlines do). Each cue
is [start_ms, end_ms, words]: its text with `<tags>` and `{\\override}` codes
removed and whitespace collapsed, which is what podcorpus keeps as speech.
scripts/test installs the three libraries.
"""
import json
import re
import sys
from importlib.metadata import version

import pysrt
import srt
import webvtt

MARKUP = re.compile(r"<[^>]*>|\{\\[^}]*\}")


def words(text):
    return " ".join(MARKUP.sub("", text).split())


def ms(td):
    return round(td.total_seconds() * 1000)


def read_vtt(path):
    cues = []
    for c in webvtt.read(path):
        h, m, s = c.start.split(":")
        start = round((int(h) * 3600 + int(m) * 60 + float(s)) * 1000)
        h, m, s = c.end.split(":")
        end = round((int(h) * 3600 + int(m) * 60 + float(s)) * 1000)
        cues.append([start, end, words(c.text)])
    return "webvtt-py " + version("webvtt-py"), cues


def read_srt(path):
    with open(path, encoding="utf-8", newline="") as f:
        data = f.read()
    try:
        subs = list(srt.parse(data))
        return "srt " + version("srt"), [[ms(s.start), ms(s.end), words(s.content)] for s in subs]
    except srt.SRTParseError:
        subs = pysrt.open(path, encoding="utf-8")
        return "pysrt " + version("pysrt"), [[s.start.ordinal, s.end.ordinal, words(s.text)] for s in subs]


out = {}
for path in sys.argv[1:]:
    library, cues = read_vtt(path) if path.endswith(".vtt") else read_srt(path)
    out[path.rsplit("/", 1)[-1]] = {"library": library, "cues": cues}
json.dump(out, sys.stdout, indent=1)
