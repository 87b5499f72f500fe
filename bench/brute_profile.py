#!/usr/bin/env python3
"""An AntWordProfiler-style vocabulary profile of one WebVTT file, by brute
force and independently of podcorpus: the cue texts tokenized with one regex,
each token looked up in wordfreq's own top_n_list('en', 20000, 'large').

Tokens: `[^\\W_]+(?:['’][^\\W\\d_][^\\W_]*)*`, lowercased, ’ written ' (as
wordfreq's list spells don't). A token that begins with a digit is a number,
counted apart and left out of the shares (podcorpus's rule). Bands: rank
<= 1000 is 1k, ..., <= 5000 is 5k, <= 10000 10k, <= 20000 20k, else off-list.

usage: brute_profile.py FILE.vtt [--json]
prints the 1k share of tokens (or, with --json, every band's tokens and types)
"""
import json
import re
import sys
from collections import Counter

import wordfreq

TOKEN = re.compile(r"[^\W_]+(?:['’][^\W\d_][^\W_]*)*")
BANDS = [("1k", 1000), ("2k", 2000), ("3k", 3000), ("4k", 4000), ("5k", 5000),
         ("10k", 10000), ("20k", 20000)]


def cue_texts(path):
    """The text lines of each cue: after a timing line, up to a blank line."""
    in_cue = False
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if "-->" in line:
                in_cue = True
            elif not line.strip():
                in_cue = False
            elif in_cue:
                yield line


def main():
    path = sys.argv[1]
    ranks = {}
    for i, w in enumerate(wordfreq.top_n_list("en", 20000, wordlist="large")):
        ranks.setdefault(w, i + 1)
    counts = Counter()
    for text in cue_texts(path):
        for m in TOKEN.finditer(text):
            counts[m.group(0).lower().replace("’", "'")] += 1
    tokens = Counter()
    types = Counter()
    numbers = [0, 0]
    for word, n in counts.items():
        if word[0].isnumeric():
            numbers[0] += n
            numbers[1] += 1
            continue
        r = ranks.get(word)
        band = next((name for name, top in BANDS if r is not None and r <= top), "off-list")
        tokens[band] += n
        types[band] += 1
    total = sum(tokens.values())
    if "--json" in sys.argv[2:]:
        print(json.dumps({
            "tokens": total,
            "types": sum(types.values()),
            "numbers": {"tokens": numbers[0], "types": numbers[1]},
            "bands": [{"band": b, "tokens": tokens[b], "types": types[b]}
                      for b in [name for name, _ in BANDS] + ["off-list"]],
        }))
    else:
        print(repr(tokens["1k"] / total if total else 0.0))


if __name__ == "__main__":
    main()
