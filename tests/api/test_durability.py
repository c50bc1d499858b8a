#!/usr/bin/env python3
"""
test_durability.py - what the server does when the disk fails to sync.

Case writes are acknowledged only after the syncer's fdatasync of the WAL
(docs/architecture.md). Here the real server runs with an LD_PRELOAD shim
(fail_sync.c, built by this test with cc) that makes fdatasync fail with EIO
while a flag file exists. A report made then is answered 500 `not_synced`
(it was written but may be lost), every later write is refused with
`store_error` until the server restarts (as PostgreSQL stops on a failed
fsync: the kernel may have dropped the pages), and reads go on.

usage: python3 tests/api/test_durability.py [--bin build/asan/chuishao]
"""
import json
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fixture  # noqa: E402  (tests/api/fixture.py: the shared module fixture)

BIN, _ARGV = fixture.take_bin(sys.argv)
HERE = os.path.dirname(os.path.abspath(__file__))
REPORT = {"category": "20102", "description": "测试：楼下垃圾堆放三天", "lat": 24.963, "lon": 102.744}


class G(fixture.ServerState):
    tok = None
    flag = None


def call(method, path, body=None):
    data = json.dumps(body).encode("utf-8") if body is not None else None
    headers = [("Authorization", "Bearer " + G.tok)]
    if data is not None:
        headers.append(("Content-Type", "application/json"))
    return fixture.request(G.base, method, path, data, headers, 30)


def shim_env(g):
    shim = os.path.join(g.tmp.name, "fail_sync.so")
    subprocess.run(["cc", "-shared", "-fPIC", "-O1", "-o", shim, os.path.join(HERE, "fail_sync.c"),
                    "-ldl"], check=True)
    g.flag = os.path.join(g.tmp.name, "fail-sync")
    asan = os.environ.get("ASAN_OPTIONS", "")
    return {"LD_PRELOAD": shim, "FAIL_SYNC_FLAG": g.flag,
            # the shim comes before the ASan runtime in the library list
            "ASAN_OPTIONS": (asan + ":" if asan else "") + "verify_asan_link_order=0"}


def sign_in():
    r = fixture.request(G.base, "POST", "/api/v1/auth/login",
                        json.dumps({"username": "zhihui", "password": "liujia2020"}).encode(),
                        [("Content-Type", "application/json")], 30)
    assert r.status == 200, r
    G.tok = r.json["token"]


def setUpModule():
    fixture.start_server(G, BIN, "chuishao-durability-", env=shim_env)
    sign_in()


def tearDownModule():
    if G.flag and os.path.exists(G.flag):
        os.unlink(G.flag)
    fixture.stop_server(G)


class FailedSync(unittest.TestCase):
    def test_failed_sync_stops_writes(self):
        r = call("POST", "/api/v1/cases", REPORT)
        self.assertEqual(r.status, 201, r)
        first = r.json["id"]
        open(G.flag, "w").close()  # the disk fails from now on
        r = call("POST", "/api/v1/cases", REPORT)
        self.assertEqual(r.status, 500, r)
        self.assertEqual(r.json["error"]["code"], "not_synced", r)
        self.assertIn("may be lost", r.json["error"]["message"])
        os.unlink(G.flag)  # even once it works again, writes stay stopped
        for _ in range(2):
            r = call("POST", "/api/v1/cases", REPORT)
            self.assertEqual(r.status, 500, r)
            self.assertEqual(r.json["error"]["code"], "store_error", r)
            self.assertIn("restart the server", r.json["error"]["message"])
        r = call("POST", "/api/v1/cases/%d/actions" % first, {"action": "register"})
        self.assertEqual(r.status, 500, r)
        # Reads go on, and what was acknowledged is there.
        r = call("GET", "/api/v1/cases/%d" % first)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["state"], "reported")
        G.err.seek(0)
        self.assertIn(b"writes are stopped", G.err.read())


def main():
    fixture.main(sys.modules[__name__], _ARGV, timed=False)


if __name__ == "__main__":
    main()
