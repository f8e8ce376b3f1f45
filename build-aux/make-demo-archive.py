#!/usr/bin/env python3
"""Writes demo/sample-export.zip: a small but realistic Convex export (the layout of
`npx convex export --include-file-storage`) for the demo deployment that build-aux/run.sh starts.

Deterministic (fixed seed and times), so running it again gives the same archive:
    python3 build-aux/make-demo-archive.py demo/sample-export.zip
"""
import base64
import hashlib
import json
import random
import struct
import sys
import zipfile
import zlib

ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
README = """# Welcome to your Convex snapshot export!

This ZIP file contains a snapshot of the tables in your Convex deployment.

Documents for each table are listed as lines of JSON in
<table_name>/documents.jsonl files.
"""


def encode_id(table_number, rng):
    """A Convex document Id: varint(table) + 16 random bytes + Fletcher-16 footer, in base32."""
    data = bytearray()
    n = table_number
    while True:
        byte = n & 0x7F
        n >>= 7
        data.append(byte | (0x80 if n else 0))
        if not n:
            break
    data += bytes(rng.getrandbits(8) for _ in range(16))
    c0 = c1 = 0
    for b in data:
        c0 = (c0 + b) % 256
        c1 = (c1 + c0) % 256
    data += struct.pack("<H", (c1 << 8) | c0)
    bits = int.from_bytes(data, "big")
    n_bits = len(data) * 8
    n_chars = (n_bits + 4) // 5
    bits <<= n_chars * 5 - n_bits
    return "".join(ALPHABET[(bits >> (5 * (n_chars - 1 - i))) & 31] for i in range(n_chars))


def line(doc):
    return json.dumps(dict(sorted(doc.items())), ensure_ascii=False, separators=(",", ":"))


def tiny_png(width, height, rgb):
    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))

    def chunk(kind, payload):
        return (struct.pack(">I", len(payload)) + kind + payload
                + struct.pack(">I", zlib.crc32(kind + payload) & 0xFFFFFFFF))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def main(path):
    rng = random.Random(20261124)
    t = 1732406400000.0
    names = ["Ada Lovelace", "Grace Hopper", "Alan Turing", "Katherine Johnson", "Edsger Dijkstra",
             "Barbara Liskov", "Donald Knuth", "Margaret Hamilton", "Ken Thompson", "Frances Allen",
             "John Backus", "Radia Perlman"]
    users, channels, messages, limits, storage = [], [], [], [], []
    files = {}

    for i, name in enumerate(names):
        t += 60000.125
        users.append({"_id": encode_id(10001, rng), "_creationTime": t, "name": name,
                      "email": name.lower().replace(" ", ".") + "@example.com",
                      "karma": rng.randint(0, 5000), "score": round(rng.random() * 100, 3),
                      "avatarColor": {"$bytes": base64.b64encode(bytes(rng.getrandbits(8) for _ in range(3))).decode()}})
    for topic in ["general", "random", "engineering", "design", "support"]:
        t += 1000.5
        channels.append({"_id": encode_id(10002, rng), "_creationTime": t, "name": topic,
                         "private": topic == "engineering",
                         "members": [u["_id"] for u in rng.sample(users, 5)]})
    for kind, content, ext in [("image/png", tiny_png(16, 16, (108, 60, 200)), "png"),
                               ("text/plain", "Release notes for version 2.4\n".encode(), "txt")]:
        t += 250.25
        sid = encode_id(540, rng)
        storage.append({"_id": sid, "_creationTime": t,
                        "sha256": base64.b64encode(hashlib.sha256(content).digest()).decode(),
                        "size": len(content), "contentType": kind,
                        "internalId": "%08x-0000-4000-8000-%012x" % (rng.getrandbits(32), rng.getrandbits(48))})
        files["_storage/%s.%s" % (sid, ext)] = content
    bodies = ["Morning all!", "Has anyone seen the deploy logs?", "Shipping the new importer today 🚀",
              "Can we move standup to 10?", "Reviewed, looks good", "Who owns the billing cron?",
              "Thanks, that fixed it", "See the attached notes", "Déjà vu: the same bug again"]
    for i in range(240):
        t += rng.randint(1000, 900000) + 0.5
        msg = {"_id": encode_id(10003, rng), "_creationTime": t,
               "author": rng.choice(users)["_id"], "channel": rng.choice(channels)["_id"],
               "body": rng.choice(bodies), "likes": rng.randint(0, 40),
               "views": rng.randint(10**10, 10**12)}
        if i % 37 == 5:
            msg["attachment"] = storage[i % 2]["_id"]
        if i % 50 == 7:
            msg["edited"] = True
        messages.append(msg)
    for u in users[:6]:
        t += 10.0
        limits.append({"_id": encode_id(10001, rng), "_creationTime": t, "key": "send:" + u["_id"],
                       "tokens": 5.0, "ts": int(t)})

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("README.md", README)
        z.writestr("_tables/documents.jsonl",
                   "".join(line({"name": n, "id": i}) + "\n"
                           for n, i in [("users", 10001), ("channels", 10002), ("messages", 10003)]))
        z.writestr("_components/ratelimiter/_tables/documents.jsonl", line({"name": "limits", "id": 10001}) + "\n")
        for folder, docs in [("_components/ratelimiter/limits", limits), ("channels", channels),
                             ("users", users), ("messages", messages)]:
            z.writestr(folder + "/documents.jsonl", "".join(line(d) + "\n" for d in docs))
            z.writestr(folder + "/generated_schema.jsonl", '"uniform"\n')
        z.writestr("_storage/documents.jsonl", "".join(line(d) + "\n" for d in storage))
        for name, content in files.items():
            z.writestr(name, content)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "demo/sample-export.zip")
