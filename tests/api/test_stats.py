#!/usr/bin/env python3
"""
tests/api/test_stats.py - GET /api/v1/stats and `chuishao stats` on the demo
database, over real HTTP (same fixture as tests/api/test_api.py).

Usage:  python3 tests/api/test_stats.py --bin build/asan/chuishao [unittest names...]

setUpModule creates a demo database, starts `chuishao serve` on a free
loopback port and signs in the users needed; tearDownModule stops it with
SIGTERM and fails unless it exits 0 with no sanitizer report. The last line
printed is "N passed, M failed".
"""
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request


def _take_bin(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.join(here, "..", "..", "build", "asan", "chuishao")
    rest, path, i = [argv[0]], None, 1
    while i < len(argv):
        a = argv[i]
        if a == "--bin" and i + 1 < len(argv):
            path = argv[i + 1]
            i += 2
            continue
        if a.startswith("--bin="):
            path = a[len("--bin="):]
        else:
            rest.append(a)
        i += 1
    return os.path.abspath(path or default), rest


BIN, _ARGV = _take_bin(sys.argv)
PASSWORD = "liujia2020"
USERS = ["zhihui", "lingdao", "admin", "jumin1", "hws", "wangge01"]
SANITIZER_MARKS = ("ERROR: AddressSanitizer", "runtime error:", "ERROR: LeakSanitizer")
WIDE = {"from": "2000-01-01", "to": "2099-12-31"}
RATES = ("response", "resolution", "satisfaction", "closure", "ontime_closure", "rework",
         "extension", "accurate_dispatch", "whistle_ontime")


class G:
    tmp = db = proc = port = base = out = err = None
    tok = {}
    unit = {}


_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class Resp:
    def __init__(self, status, raw):
        self.status = status
        self.text = raw.decode("utf-8", "replace")
        try:
            self.json = json.loads(self.text)
        except ValueError:
            self.json = None

    def __repr__(self):
        return "HTTP %d %s" % (self.status, self.text[:600])


def call(method, path, body=None, as_=None, timeout=30):
    data = json.dumps(body).encode("utf-8") if body is not None else None
    req = urllib.request.Request(G.base + path, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    if as_ is not None:
        req.add_header("Authorization", "Bearer " + G.tok[as_])
    try:
        with _OPENER.open(req, timeout=timeout) as r:
            return Resp(r.status, r.read())
    except urllib.error.HTTPError as e:
        return Resp(e.code, e.read())


def stats(as_="lingdao", **q):
    return call("GET", "/api/v1/stats?" + urllib.parse.urlencode(q), as_=as_)


def run_cli(*args, timeout=60):
    p = subprocess.run([BIN] + list(args), capture_output=True, timeout=timeout)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def sanitizer_lines(text):
    return [l for l in text.splitlines() if any(m in l for m in SANITIZER_MARKS)]


def _free_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def setUpModule():
    if not os.access(BIN, os.X_OK):
        raise RuntimeError("no chuishao binary at %s (give --bin PATH)" % BIN)
    G.tmp = tempfile.TemporaryDirectory(prefix="chuishao-stats-")
    G.db = os.path.join(G.tmp.name, "t.db")
    rc, out, err = run_cli("demo", "--db", G.db)
    if rc != 0 or sanitizer_lines(err):
        raise RuntimeError("chuishao demo failed (%d): %s %s" % (rc, out, err))
    G.port = _free_port()
    G.base = "http://127.0.0.1:%d" % G.port
    G.out = open(os.path.join(G.tmp.name, "server.out"), "w+b")
    G.err = open(os.path.join(G.tmp.name, "server.err"), "w+b")
    G.proc = subprocess.Popen([BIN, "serve", "--db", G.db, "--port", str(G.port),
                               "--bind", "127.0.0.1"], stdout=G.out, stderr=G.err)
    deadline = time.time() + 20
    while True:
        if G.proc.poll() is not None:
            G.err.seek(0)
            raise RuntimeError("server exited with %d: %s" % (G.proc.returncode, G.err.read()))
        try:
            if call("GET", "/api/v1/health", timeout=2).status == 200:
                break
        except (urllib.error.URLError, ConnectionError, socket.timeout, OSError):
            pass
        if time.time() > deadline:
            raise RuntimeError("server did not answer /api/v1/health within 20 s")
        time.sleep(0.05)
    for name in USERS:
        r = call("POST", "/api/v1/auth/login", {"username": name, "password": PASSWORD})
        if r.status != 200:
            raise RuntimeError("login %s failed: %r" % (name, r))
        G.tok[name] = r.json["token"]
    r = call("GET", "/api/v1/units", as_="admin")
    G.unit = {u["code"]: u["id"] for u in r.json["items"]}


def tearDownModule():
    problems = []
    if G.proc is not None:
        if G.proc.poll() is None:
            G.proc.send_signal(signal.SIGTERM)
            try:
                G.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                G.proc.kill()
                G.proc.wait()
                problems.append("the server did not stop within 20 s of SIGTERM")
        if G.proc.returncode != 0:
            problems.append("the server exited with status %r" % G.proc.returncode)
    if G.err is not None:
        G.err.seek(0)
        err = G.err.read().decode("utf-8", "replace")
        bad = sanitizer_lines(err)
        if bad:
            problems.append("sanitizer reports:\n  " + "\n  ".join(bad[:20]))
        G.err.close()
        G.out.close()
    if G.tmp is not None:
        G.tmp.cleanup()
    if problems:
        raise AssertionError("\n".join(problems))


class Stats(unittest.TestCase):
    maxDiff = 4000

    def ok(self, r):
        self.assertEqual(r.status, 200, r)
        return r.json

    def check_row(self, row):
        for name in RATES:
            x = row["rates"][name]
            self.assertGreaterEqual(x["num"], 0, name)
            self.assertLessEqual(x["num"], x["den"], name)
            if x["den"] == 0:
                self.assertIsNone(x["value"], name)
            else:
                self.assertGreaterEqual(x["value"], 0, name)
                self.assertLessEqual(x["value"], 1, name)
                self.assertAlmostEqual(x["value"], x["num"] / x["den"], places=5)
        self.assertEqual(sum(row["by_channel"].values()), row["received"])
        self.assertEqual(sum(row["by_nature"].values()), row["received"])
        self.assertLessEqual(row["registered"], row["received"])
        self.assertLessEqual(row["dispatched"], row["registered"])
        self.assertLessEqual(row["closed"], row["due_to_close"])

    def test_total_on_demo(self):
        j = self.ok(stats(**WIDE))
        t = j["total"]
        self.assertEqual(t["received"], 27)  # src/demo/demo.c
        self.assertGreater(t["dispatched"], 0)
        self.assertGreater(t["visits"], 0)
        self.assertGreater(t["whistles"]["count"], 0)
        self.check_row(t)
        self.assertEqual(j["scope"], "subdistrict")
        self.assertEqual(j["by"], "none")
        self.assertEqual(j["rows"], [])

    def test_by_unit_sums_and_ranks(self):
        j = self.ok(stats(by="unit", **WIDE))
        rows = j["rows"]
        self.assertEqual(sum(r["received"] for r in rows), j["total"]["received"])
        self.assertEqual(sum(r["dispatches"] for r in rows), j["total"]["dispatches"])
        ranked = [r for r in rows if r["score"] is not None]
        self.assertTrue(ranked)
        for i, r in enumerate(ranked):
            self.check_row(r)
            self.assertEqual(r["rank"], i + 1)
            self.assertIn(r["grade"], "ABCDE")
            self.assertTrue(0 <= r["score"] <= 100)
            if i:
                self.assertLessEqual(r["score"], ranked[i - 1]["score"])

    def test_groupings_sum(self):
        for by in ("category", "grid", "month"):
            j = self.ok(stats(by=by, **WIDE))
            self.assertEqual(sum(r["received"] for r in j["rows"]), j["total"]["received"], by)
            for r in j["rows"]:
                self.check_row(r)

    def test_scopes(self):
        hws = G.unit["HWS"]
        j = self.ok(stats(scope="unit:%d" % hws, **WIDE))
        self.assertGreater(j["total"]["received"], 0)
        self.assertLessEqual(j["total"]["received"], 27)
        g = self.ok(stats(by="grid", **WIDE))
        grid = next(r["key"] for r in g["rows"] if r["key"] != "-")
        j = self.ok(stats(scope="grid:" + grid, **WIDE))
        want = next(r["received"] for r in g["rows"] if r["key"] == grid)
        self.assertEqual(j["total"]["received"], want)
        j = self.ok(stats(scope="community:" + grid[:12], **WIDE))
        self.assertGreaterEqual(j["total"]["received"], want)

    def test_empty_period(self):
        j = self.ok(stats(**{"from": "2001-01-01", "to": "2001-01-31"}))
        self.assertEqual(j["total"]["received"], 0)
        self.assertIsNone(j["total"]["rates"]["response"]["value"])

    def test_bad_input(self):
        cases = [
            ({"from": "2020-02-30", "to": "2020-03-01"}, "from"),
            ({"to": "2020-03-01"}, "from"),
            ({"from": "2020-03-01", "to": "2020/03/31"}, "to"),
            ({"from": "2020-06-30", "to": "2020-01-01"}, "to"),
            (dict(WIDE, scope="county:1"), "scope"),
            (dict(WIDE, scope="unit:99999"), "scope"),
            (dict(WIDE, scope="grid:00000000000000"), "scope"),
            (dict(WIDE, scope="community:nope"), "scope"),
            (dict(WIDE, by="week"), "by"),
        ]
        for q, field in cases:
            r = stats(**q)
            self.assertEqual(r.status, 400, (q, r))
            self.assertEqual(r.json["error"].get("field"), field, (q, r))

    def test_roles(self):
        for who in ("zhihui", "lingdao", "admin"):
            self.assertEqual(stats(as_=who, **WIDE).status, 200, who)
        for who in ("jumin1", "hws", "wangge01"):
            self.assertEqual(stats(as_=who, **WIDE).status, 403, who)
        r = call("GET", "/api/v1/stats?from=2020-01-01&to=2020-12-31")
        self.assertEqual(r.status, 401, r)

    def test_cli(self):
        rc, out, err = run_cli("stats", "--db", G.db, "--from", WIDE["from"], "--to",
                               WIDE["to"], "--json")
        self.assertEqual(rc, 0, err)
        self.assertEqual(json.loads(out)["total"]["received"], 27)
        rc, out, err = run_cli("stats", "--db", G.db, "--from", WIDE["from"], "--to",
                               WIDE["to"], "--by", "unit")
        self.assertEqual(rc, 0, err)
        self.assertIn("响应率", out)
        self.assertIn("grade", out)
        rc, out, err = run_cli("stats", "--db", G.db, "--from", "2020-06-30", "--to", "2020-01-01")
        self.assertEqual(rc, 4, (out, err))
        self.assertFalse(sanitizer_lines(err), err)


class CountingResult(unittest.TextTestResult):
    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.n_pass = 0
        self.n_fail = 0

    def addSuccess(self, test):
        super().addSuccess(test)
        self.n_pass += 1

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self.n_fail += 1

    def addError(self, test, err):
        super().addError(test, err)
        self.n_fail += 1


def main():
    loader = unittest.TestLoader()
    module = sys.modules[__name__]
    names = _ARGV[1:]
    suite = loader.loadTestsFromNames(names, module) if names else loader.loadTestsFromModule(module)
    result = unittest.TextTestRunner(stream=sys.stdout, verbosity=2,
                                     resultclass=CountingResult).run(suite)
    sys.stdout.write("%d passed, %d failed\n" % (result.n_pass, result.n_fail))
    sys.stdout.flush()
    sys.exit(1 if result.n_fail or not result.wasSuccessful() else 0)


if __name__ == "__main__":
    main()
