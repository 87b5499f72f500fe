#!/usr/bin/env python3
"""AntConc-style brute-force concordance count, the yardstick of
bench/concordance.sh: read every cue text of every WebVTT file in a folder,
tokenize it with one regex (a run of letters and digits, keeping an inner
apostrophe before a letter: don't, lex's), lowercase, and count the
matches of one pattern, written as podcorpus writes it:

  conscious*  wom?n      wildcards over whole tokens (* any run, ? one char)
  /(cat|dog)s?/          a regex the whole token must match
  lemma:run              run and every word whose lemma (lemminflect's
                         lemma_lu.csv.gz, any category) is run
  "elon mars"~10         both, at most 10 tokens between, either order;
                         each distinct span once
  word                   the word

usage: brute_concordance.py DIR PATTERN   (prints the total)
"""
import glob
import gzip
import html
import importlib.util
import os
import re
import sys

TOKEN = re.compile(r"[^\W_]+(?:['\u2019][^\W\d_][^\W_]*)*")


def tokens_of(path):
    """The lowercased tokens of a VTT file's cue texts, in order."""
    words = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line == "WEBVTT" or "-->" in line:
                continue
            text = html.unescape(line).lower().replace("\u2019", "'")
            words.extend(TOKEN.findall(text))
    return words


def lemma_forms(lemma):
    path = os.environ.get("PODCORPUS_LEMMAS")
    if not path:
        spec = importlib.util.find_spec("lemminflect")
        if spec is None:
            sys.exit("lemminflect is not installed: python3 -m pip install --no-deps lemminflect==0.2.3")
        path = os.path.join(list(spec.submodule_search_locations)[0], "resources", "lemma_lu.csv.gz")
    forms = {lemma}
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split(",", 2)
            if len(parts) == 3 and lemma in (l.lower() for l in parts[2].split("/")):
                forms.add(parts[0].lower())
    return forms


def token_test(item):
    """A function telling whether one lowercased token passes `item`."""
    if len(item) > 1 and item.startswith("/") and item.endswith("/"):
        r = re.compile(item[1:-1], re.IGNORECASE)
        return lambda t: r.fullmatch(t) is not None
    if item.lower().startswith("lemma:"):
        forms = lemma_forms(item[6:].lower())
        return forms.__contains__
    if "*" in item or "?" in item:
        r = re.compile("".join(".*" if c == "*" else "." if c == "?" else re.escape(c)
                               for c in item.lower()))
        return lambda t: r.fullmatch(t) is not None
    w = item.lower()
    return lambda t: t == w


def compile_pattern(pattern):
    """The pattern as (test, None) or, for a proximity, (test_a, (test_b, n)):
    built once, not per file (the lemma table is read once)."""
    near = re.fullmatch(r'"(\S+)\s+(\S+)"~(\d+)', pattern)
    if not near:
        return token_test(pattern), None
    return token_test(near[1]), (token_test(near[2]), int(near[3]))


def count(toks, compiled):
    test, near = compiled
    if near is None:
        return sum(1 for t in toks if test(t))
    a, (b, n) = test, near
    pa = [i for i, t in enumerate(toks) if a(t)]
    pb = [i for i, t in enumerate(toks) if b(t)]
    spans = set()
    j0 = 0
    for i in pa:
        # Every b within n tokens of i, either side (pb is sorted).
        while j0 < len(pb) and pb[j0] < i - n - 1:
            j0 += 1
        j = j0
        while j < len(pb) and pb[j] <= i + n + 1:
            if pb[j] != i:
                spans.add((min(i, pb[j]), max(i, pb[j])))
            j += 1
    return len(spans)


def main():
    folder, pattern = sys.argv[1], sys.argv[2]
    compiled = compile_pattern(pattern)
    total = 0
    for path in sorted(glob.glob(os.path.join(folder, "*.vtt"))):
        total += count(tokens_of(path), compiled)
    print(total)


if __name__ == "__main__":
    main()
