#!/usr/bin/env python3
"""AntConc-style brute force for bench/dispersion.sh, apart from podcorpus.

Reads every Lexicap VTT cue text (Whisper large where an episode has it,
else small: the source podcorpus ranks best), [bracketed] sound tags left
out, tokenizes it with the regex
[^\\W_]+(?:['’][^\\W\\d_][^\\W_]*)* lowercased, takes each episode's date
from the podcast's metadata csv (upload_date, matched by episode number) and
prints, in the same canonical lines bench/dispersion.sh makes of podcorpus's
JSON, either

  trend TERMS      per term and year: count, tokens of the year's episodes
                   (episodes without a date left out)
  dispersion WORD  hits, parts, range, DP, DPnorm, Juilland's D over episodes

usage: brute_dispersion.py LEXICAP_DIR META_CSV trend 'a,b,c'
       brute_dispersion.py LEXICAP_DIR META_CSV dispersion WORD
"""

import csv
import math
import os
import re
import sys

TOKEN = re.compile(r"[^\W_]+(?:['’][^\W\d_][^\W_]*)*")
NAME = re.compile(r"episode_(\d+)_(\w+)\.vtt$")
# A caption's [bracketed] text is a sound, not speech ([Music], [Laughter]):
# left out of the words, as podcorpus and caption tools do. Lexicap has one,
# in #127: ["The Unlimited Breadsticks and Dollar Shave Club"].
TAG = re.compile(r"\[[^\]]*\]")


def episodes(folder):
    """{number: path} of the best transcript of each episode."""
    best = {}
    for name in sorted(os.listdir(folder)):
        m = NAME.match(name)
        if not m:
            continue
        n, model = int(m.group(1)), m.group(2)
        rank = 0 if model.startswith("large") else 1
        if n not in best or rank < best[n][0]:
            best[n] = (rank, os.path.join(folder, name))
    return {n: p for n, (_, p) in best.items()}


def tokens(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line == "WEBVTT" or "-->" in line:
                continue
            out.extend(t.lower() for t in TOKEN.findall(TAG.sub(" ", line)))
    return out


def count(toks, phrase):
    words = phrase.lower().split()
    n = len(words)
    if n == 1:
        w = words[0]
        return sum(1 for t in toks if t == w)
    return sum(1 for i in range(len(toks) - n + 1) if toks[i : i + n] == words)


def dates(meta):
    out = {}
    with open(meta, encoding="utf-8-sig") as f:
        for r in csv.DictReader(f):
            n, d = r.get("number", "").strip(), r.get("upload_date", "")[:10]
            if n.isdigit() and len(d) == 10:
                out.setdefault(int(n), d)
    return out


def main():
    folder, meta, mode, arg = sys.argv[1:5]
    eps = episodes(folder)
    docs = {n: tokens(p) for n, p in sorted(eps.items())}
    if mode == "trend":
        when = dates(meta)
        years = {}
        for n, toks in docs.items():
            if n in when:
                years.setdefault(when[n][:4], []).append(n)
        for term in [t.strip() for t in arg.split(",") if t.strip()]:
            for year in sorted(years):
                c = sum(count(docs[n], term) for n in years[year])
                size = sum(len(docs[n]) for n in years[year])
                print(f"trend {term}\t{year}\t{c}\t{size}")
        undated = sorted(set(docs) - set(when))
        print(f"undated {len(undated)}")
    else:
        parts = [(len(t), count(t, arg)) for t in docs.values() if t]
        l = sum(s for s, _ in parts)
        f = sum(v for _, v in parts)
        n = len(parts)
        rng = sum(1 for _, v in parts if v)
        dp = 0.5 * sum(abs(v / f - s / l) for s, v in parts)
        dp_norm = dp / (1 - min(s for s, _ in parts) / l)
        p = [v / s for s, v in parts]
        mean = sum(p) / n
        sd = math.sqrt(sum((x - mean) ** 2 for x in p) / n)
        d = 1 - (sd / mean) / math.sqrt(n - 1)
        print(f"dispersion {arg} hits={f} tokens={l} parts={n} range={rng}")
        print(f"dp={dp:.10f} dp_norm={dp_norm:.10f} juilland_d={d:.10f}")


if __name__ == "__main__":
    main()
