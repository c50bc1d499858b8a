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
import sys
import unittest
import urllib.parse


sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fixture  # noqa: E402  (tests/api/fixture.py: the shared module fixture)

BIN, _ARGV = fixture.take_bin(sys.argv)
PASSWORD = "liujia2020"
USERS = ["zhihui", "lingdao", "admin", "jumin1", "hws", "wangge01"]
WIDE = {"from": "2000-01-01", "to": "2099-12-31"}
RATES = ("response", "resolution", "satisfaction", "closure", "ontime_closure", "rework",
         "extension", "accurate_dispatch", "whistle_ontime")


class G(fixture.ServerState):
    tok = {}
    unit = {}


Resp = fixture.Resp


def call(method, path, body=None, as_=None, timeout=30):
    data = json.dumps(body).encode("utf-8") if body is not None else None
    headers = []
    if data is not None:
        headers.append(("Content-Type", "application/json"))
    if as_ is not None:
        headers.append(("Authorization", "Bearer " + G.tok[as_]))
    return fixture.request(G.base, method, path, data, headers, timeout)


def stats(as_="lingdao", **q):
    return call("GET", "/api/v1/stats?" + urllib.parse.urlencode(q), as_=as_)


def run_cli(*args, timeout=60):
    return fixture.run_cli(BIN, *args, timeout=timeout)


sanitizer_lines = fixture.sanitizer_lines


def setUpModule():
    fixture.start_server(G, BIN, "chuishao-stats-")
    for name, j in fixture.sign_in(call, USERS, PASSWORD).items():
        G.tok[name] = j["token"]
    r = call("GET", "/api/v1/units", as_="admin")
    G.unit = {u["code"]: u["id"] for u in r.json["items"]}


def tearDownModule():
    fixture.stop_server(G)


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

    def test_drill_down(self):
        j = self.ok(stats(**WIDE))
        t = j["total"]
        for figure, part, want in (("received", None, t["received"]),
                                   ("registered", None, t["registered"]),
                                   ("dispatched", None, t["dispatched"]),
                                   ("due_to_close", None, t["due_to_close"]),
                                   ("closure", "den", t["due_to_close"]),
                                   ("closure", "num", t["rates"]["closure"]["num"]),
                                   ("response", None, t["rates"]["response"]["num"]),
                                   ("response", "den", t["rates"]["response"]["den"]),
                                   ("repeats", None, t["repeats"])):
            q = dict(WIDE, drill=figure)
            if part:
                q["part"] = part
            d = self.ok(stats(**q))
            self.assertEqual(d["count"], want, (figure, part, d))
            self.assertEqual(len(d["cases"]), want)
            self.assertEqual(d["cases"], sorted(d["cases"]))
            self.assertEqual(d["part"], part or "num")
        d = self.ok(stats(drill="visits", **WIDE))
        self.assertTrue(d["cases"])
        for cid in d["cases"]:
            c = self.ok(call("GET", "/api/v1/cases/%d" % cid, as_="zhihui"))
            self.assertIsNotNone(c["visit"], c)  # every case behind `visits` was visited
        for q, field in ((dict(WIDE, drill="nope"), "drill"),
                         (dict(WIDE, drill="received", part="den"), "part"),
                         (dict(WIDE, drill="closure", part="all"), "part"),
                         ({"drill": "received", "from": "2020-02-01", "to": "2020-01-01"}, "to")):
            r = stats(**q)
            self.assertEqual(r.status, 400, (q, r))
            self.assertEqual(r.json["error"].get("field"), field, (q, r))

    def test_community_yoy_coverage(self):
        j = self.ok(stats(by="community", **WIDE))
        rows = j["rows"]
        self.assertEqual(sum(r["received"] for r in rows), j["total"]["received"])
        ranked = [r for r in rows if r["rank"] is not None]
        self.assertTrue(ranked)
        self.assertEqual([r["rank"] for r in ranked], list(range(1, len(ranked) + 1)))
        self.assertTrue(all(len(r["key"]) == 12 or r["key"] == "-" for r in rows))
        p = j["petitions"]
        self.assertEqual(p["total"], p["petitions"] + p["repeats"])
        self.assertEqual(p["repeats"], j["total"]["repeats"])
        self.assertEqual((p["prev_from"], p["prev_to"]), ("1999-01-01", "2098-12-31"))
        c = j["coverage"]
        self.assertEqual(c["grids"], 240)
        self.assertTrue(0 < c["covered"] <= 240)
        self.assertEqual(c["rate"]["num"], c["covered"])
        # A year before a leap day: 29 Feb becomes 28 Feb.
        j = self.ok(stats(**{"from": "2020-02-29", "to": "2020-02-29"}))
        self.assertEqual((j["petitions"]["prev_from"], j["petitions"]["prev_to"]),
                         ("2019-02-28", "2019-02-28"))

    def test_exact_equals_roll_ups(self):
        for by in ("none", "month", "grid", "community"):
            fast = self.ok(stats(by=by, **WIDE))
            exact = self.ok(stats(by=by, exact="1", **WIDE))
            self.assertEqual(fast, exact, by)
        r = stats(exact="2", **WIDE)
        self.assertEqual(r.status, 400, r)
        self.assertEqual(r.json["error"].get("field"), "exact")

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


def main():
    fixture.main(sys.modules[__name__], _ARGV, timed=False)


if __name__ == "__main__":
    main()
