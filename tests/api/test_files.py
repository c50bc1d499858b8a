#!/usr/bin/env python3
"""
tests/api/test_files.py - POST /api/v1/files and GET /api/v1/files/{sha256}
(photo upload), over real HTTP (same fixture as tests/api/test_stats.py).

Usage:  python3 tests/api/test_files.py --bin build/asan/chuishao [unittest names...]

setUpModule creates a demo database, starts `chuishao serve` on a free
loopback port and signs in the users needed; tearDownModule stops it with
SIGTERM and fails unless it exits 0 with no sanitizer report. The last line
printed is "N passed, M failed".
"""
import hashlib
import json
import os
import sqlite3
import struct
import sys
import unittest
import zlib


sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fixture  # noqa: E402  (tests/api/fixture.py: the shared module fixture)

BIN, _ARGV = fixture.take_bin(sys.argv)
PASSWORD = "liujia2020"
USERS = ["jumin1", "hws", "zhihui"]
MAX_UPLOAD = 5 * 1024 * 1024


class G(fixture.ServerState):
    tok = {}


def call(method, path, body=None, as_=None, ctype=None, timeout=30):
    """body: bytes sent as they are (with ctype), or an object sent as JSON."""
    headers = []
    data = body
    if body is not None and not isinstance(body, bytes):
        data = json.dumps(body).encode("utf-8")
        ctype = ctype or "application/json"
    if ctype is not None:
        headers.append(("Content-Type", ctype))
    if as_ is not None:
        headers.append(("Authorization", "Bearer " + G.tok[as_]))
    return fixture.request(G.base, method, path, data, headers, timeout)


def png(w=2, h=2, rgb=(200, 30, 30)):
    """A valid w x h RGB PNG of one colour."""
    def chunk(kind, data):
        c = kind + data
        return struct.pack(">I", len(data)) + c + struct.pack(">I", zlib.crc32(c) & 0xffffffff)
    rows = b"".join(b"\x00" + bytes(rgb) * w for _ in range(h))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


# The smallest JPEG-looking bytes: SOI, an APP0 JFIF header, EOI. The server
# checks the magic bytes only; it does not decode images.
JPEG = (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
        + b"\x00" * 64 + b"\xff\xd9")
WEBP = b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00\x2f\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00"


def stored():
    """The number of rows in the files table of the test database."""
    con = sqlite3.connect(G.db, timeout=10)
    try:
        return con.execute("SELECT count(*) FROM files").fetchone()[0]
    finally:
        con.close()


def setUpModule():
    fixture.start_server(G, BIN, "chuishao-files-")
    for name, j in fixture.sign_in(call, USERS, PASSWORD).items():
        G.tok[name] = j["token"]


def tearDownModule():
    fixture.stop_server(G)


class Files(unittest.TestCase):
    def upload(self, data, ctype, as_="jumin1"):
        r = call("POST", "/api/v1/files", data, as_=as_, ctype=ctype)
        self.assertEqual(r.status, 201, r)
        sha = hashlib.sha256(data).hexdigest()
        self.assertEqual(r.json, {"id": sha, "url": "/api/v1/files/" + sha, "type": ctype,
                                  "size": len(data)})
        return r.json

    def refused(self, status, code, data, ctype, as_="jumin1", words=()):
        """The upload is refused with status and the error envelope, nothing stored."""
        before = stored()
        r = call("POST", "/api/v1/files", data, as_=as_, ctype=ctype)
        self.assertEqual(r.status, status, r)
        self.assertEqual(r.json["error"]["code"], code, r)
        self.assertEqual(r.json["error"]["status"], status, r)
        for w in words:
            self.assertIn(w, r.json["error"]["message"], r)
        self.assertEqual(stored(), before, "a refused upload stored something")
        return r

    def test_png_roundtrip(self):
        data = png(3, 2)
        j = self.upload(data, "image/png")
        r = call("GET", j["url"], as_="zhihui")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.raw, data)
        self.assertEqual(r.headers["Content-Type"], "image/png")
        self.assertIn("max-age=31536000", r.headers["Cache-Control"])
        self.assertIn("immutable", r.headers["Cache-Control"])
        self.assertEqual(r.headers["X-Content-Type-Options"], "nosniff")
        h = call("HEAD", j["url"], as_="hws")
        self.assertEqual(h.status, 200, h)
        self.assertEqual(h.raw, b"")

    def test_jpeg_and_webp(self):
        for data, ctype in ((JPEG, "image/jpeg"), (WEBP, "image/webp")):
            j = self.upload(data, ctype)
            r = call("GET", j["url"], as_="hws")
            self.assertEqual((r.status, r.raw, r.headers["Content-Type"]), (200, data, ctype))
        # Content-Type parameters and letter case do not matter
        j = self.upload(JPEG + b"\x00", "image/jpeg")
        r = call("POST", "/api/v1/files", JPEG + b"\x00", as_="hws", ctype="Image/JPEG; q=1")
        self.assertEqual((r.status, r.json["id"]), (201, j["id"]), r)

    def test_same_bytes_same_id(self):
        data = png(4, 4, (1, 2, 3))
        before = stored()
        a = self.upload(data, "image/png", as_="jumin1")
        b = self.upload(data, "image/png", as_="hws")
        self.assertEqual(a["id"], b["id"])
        self.assertEqual(stored(), before + 1)
        c = self.upload(png(4, 4, (1, 2, 4)), "image/png")
        self.assertNotEqual(a["id"], c["id"])

    def test_sign_in_needed(self):
        self.refused(401, "unauthorized", png(), "image/png", as_=None)
        j = self.upload(png(5, 1), "image/png")
        r = call("GET", j["url"])
        self.assertEqual(r.status, 401, r)
        self.assertEqual(r.json["error"]["code"], "unauthorized")

    def test_wrong_type(self):
        self.refused(415, "unsupported", b"GIF89a\x01\x00\x01\x00", "image/gif",
                     words=("image/gif", "image/png"))
        self.refused(415, "unsupported", b'{"a":1}', "application/json")
        self.refused(415, "unsupported", png(), None)

    def test_fake_magic(self):
        self.refused(415, "unsupported", b"<svg xmlns='http://www.w3.org/2000/svg'/>",
                     "image/png", words=("PNG",))
        self.refused(415, "unsupported", png(), "image/jpeg", words=("JPEG",))
        self.refused(415, "unsupported", b"RIFF\x00\x00\x00\x00WAVEfmt ", "image/webp")
        self.refused(415, "unsupported", b"\xff\xd8", "image/jpeg")

    def test_too_large(self):
        big = JPEG + b"\x00" * (MAX_UPLOAD - len(JPEG) + 1)
        r = self.refused(413, "too_large", big, "image/jpeg", words=(str(MAX_UPLOAD),))
        # exactly the limit is fine
        ok = big[:MAX_UPLOAD]
        j = self.upload(ok, "image/jpeg")
        r = call("GET", j["url"], as_="jumin1")
        self.assertEqual((r.status, len(r.raw)), (200, MAX_UPLOAD))
        self.assertEqual(hashlib.sha256(r.raw).hexdigest(), j["id"])
        # other endpoints keep the 1 MiB limit
        r = call("POST", "/api/v1/cases", b"{" + b" " * (1024 * 1024) + b"}", as_="jumin1",
                 ctype="application/json")
        self.assertEqual(r.status, 413, r)

    def test_empty(self):
        self.refused(400, "invalid", b"", "image/png", words=("empty",))

    def test_unknown_id(self):
        r = call("GET", "/api/v1/files/" + "0" * 64, as_="jumin1")
        self.assertEqual((r.status, r.json["error"]["code"]), (404, "not_found"), r)
        for bad in ("abc", "G" * 64, "A" * 64, "0" * 65):
            r = call("GET", "/api/v1/files/" + bad, as_="jumin1")
            self.assertEqual(r.status, 404, (bad, r))
        r = call("DELETE", "/api/v1/files/" + "0" * 64, as_="jumin1")
        self.assertEqual(r.status, 405, r)

    def test_case_attachment(self):
        j = self.upload(png(6, 6, (9, 9, 9)), "image/png")
        r = call("POST", "/api/v1/cases", {
            "category": "20102", "description": "测试：楼下垃圾堆放，附照片", "attachments": [j["url"]],
        }, as_="jumin1")
        self.assertEqual(r.status, 201, r)
        got = call("GET", "/api/v1/cases/%d" % r.json["id"], as_="jumin1")
        self.assertIn(j["url"], json.dumps(got.json, ensure_ascii=False))


def main():
    fixture.main(sys.modules[__name__], _ARGV, timed=False)


if __name__ == "__main__":
    main()
