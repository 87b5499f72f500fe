#!/usr/bin/env python3
"""Peer for bench/export.sh: the same exports done the usual Python way,
sqlite3 + json for JSONL and sqlite3 + pyarrow (zstd) for Parquet with a
segments table, streaming per episode like podcorpus does.
usage: export_peer.py DB jsonl|parquet OUT"""
import json, sqlite3, sys
import pyarrow as pa
import pyarrow.parquet as pq

db, fmt, out = sys.argv[1:4]
con = sqlite3.connect(db)
# The best source per episode: whisper-large first, as podcorpus ranks them.
episodes = con.execute("""
    SELECT e.id, c.name, e.number, e.video_id, e.title, e.published,
           (SELECT t.id FROM transcripts t WHERE t.episode_id = e.id
            ORDER BY CASE WHEN t.source LIKE 'whisper-large%' THEN 0 ELSE 1 END, t.source LIMIT 1),
           (SELECT t.source FROM transcripts t WHERE t.episode_id = e.id
            ORDER BY CASE WHEN t.source LIKE 'whisper-large%' THEN 0 ELSE 1 END, t.source LIMIT 1)
    FROM episodes e JOIN collections c ON c.id = e.collection_id ORDER BY c.name, e.number""").fetchall()

def segments(tid):
    return con.execute("SELECT start_ms, end_ms, text FROM segments WHERE transcript_id = ? ORDER BY idx", (tid,)).fetchall()

if fmt == "jsonl":
    with open(out, "w") as f:
        for eid, coll, num, vid, title, pub, tid, src in episodes:
            segs = segments(tid) if tid else []
            f.write(json.dumps({"collection": coll, "number": num, "video_id": vid, "title": title,
                                "published": pub, "source": src,
                                "text": " ".join(s[2] for s in segs if s[2])}) + "\n")
else:
    import datetime
    ep_w = seg_w = None
    rows, seg_rows = [], []
    def flush_eps():
        global ep_w
        t = pa.Table.from_pylist(rows)
        ep_w = ep_w or pq.ParquetWriter(out, t.schema, compression="zstd")
        ep_w.write_table(t); rows.clear()
    def flush_segs():
        global seg_w
        t = pa.Table.from_pylist(seg_rows)
        seg_w = seg_w or pq.ParquetWriter(out.replace(".parquet", ".segments.parquet"), t.schema, compression="zstd")
        seg_w.write_table(t); seg_rows.clear()
    for eid, coll, num, vid, title, pub, tid, src in episodes:
        segs = segments(tid) if tid else []
        rows.append({"collection": coll, "number": num, "video_id": vid, "title": title,
                     "published": datetime.date.fromisoformat(pub) if pub else None, "source": src,
                     "text": " ".join(s[2] for s in segs if s[2])})
        for i, (s, e, t) in enumerate(segs):
            seg_rows.append({"collection": coll, "number": num, "source": src, "idx": i,
                             "start_ms": s, "end_ms": e, "text": t})
        if len(rows) >= 64: flush_eps()
        if len(seg_rows) >= 131072: flush_segs()
    if rows: flush_eps()
    if seg_rows: flush_segs()
    ep_w.close(); seg_w.close()
