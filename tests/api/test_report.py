#!/usr/bin/env python3
"""
tests/api/test_report.py - the report card: GET /api/v1/report and `chuishao
report` on the demo database, over real HTTP (same fixture as
tests/api/test_stats.py).

Usage:  python3 tests/api/test_report.py --bin build/asan/chuishao [unittest names...]

Each format is produced; the HTML is one file with no external reference and
inline SVG; the figures in the HTML, Markdown, JSON and xlsx forms equal
GET /api/v1/stats for the same period; bad input is a 400 naming the field,
and the CLI then exits 4 and leaves an existing -o file as it was. Python 3
standard library only (the xlsx is read with zipfile and regular
expressions). The last line printed is "N passed, M failed".
"""
import datetime
import io
import json
import os
import re
import sys
import unittest
import urllib.parse
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fixture  # noqa: E402  (tests/api/fixture.py: the shared module fixture)

BIN, _ARGV = fixture.take_bin(sys.argv)
HERE = os.path.dirname(os.path.abspath(__file__))
PASSWORD = "liujia2020"
USERS = ["lingdao", "zhihui", "admin", "jumin1", "hws"]
# The demo's recent cases lie in the 20 days before today (China date); the
# period is kept short so that the (large) 2019-2020 demo years stay out of it.
_TODAY = datetime.datetime.utcnow() + datetime.timedelta(hours=8)
WIDE = {"from": (_TODAY - datetime.timedelta(days=30)).strftime("%Y-%m-%d"),
        "to": _TODAY.strftime("%Y-%m-%d")}
SANLV = ("response", "resolution", "satisfaction")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def labels(lang=1):
    """data/report_strings.txt as {key: label} (lang 1 = zh-Hans, 2 zh-Hant, 3 en)."""
    out = {}
    with open(os.path.join(HERE, "..", "..", "data", "report_strings.txt"), encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line and not line.startswith("#"):
                parts = line.split("\t")
                out[parts[0]] = parts[lang]
    return out


class G(fixture.ServerState):
    tok = {}


def call(method, path, as_=None):
    headers = [("Authorization", "Bearer " + G.tok[as_])] if as_ else []
    return fixture.request(G.base, method, path, None, headers, 60)


def report(as_="lingdao", **q):
    return call("GET", "/api/v1/report?" + urllib.parse.urlencode(q), as_=as_)


def stats(**q):
    r = call("GET", "/api/v1/stats?" + urllib.parse.urlencode(q), as_="lingdao")
    assert r.status == 200, r
    return r.json


def pct(v):
    """A rate value as the report card shows it ("73.7%"), or the dash."""
    return "—" if v is None else "%.1f%%" % (v * 100)


def same_pct(shown, value):
    """shown ("73.7%") is value rounded to 0.1% (or both undefined)."""
    if value is None:
        return shown == "—"
    return shown.endswith("%") and abs(float(shown[:-1]) - value * 100) <= 0.05 + 1e-9


def setUpModule():
    fixture.start_server(G, BIN, "chuishao-report-")
    for name, j in fixture.sign_in(call_json, USERS, PASSWORD).items():
        G.tok[name] = j["token"]


def call_json(method, path, body):
    data = json.dumps(body).encode("utf-8")
    return fixture.request(G.base, method, path, data, [("Content-Type", "application/json")])


def tearDownModule():
    fixture.stop_server(G)


def run_cli(*args):
    return fixture.run_cli(BIN, *args, timeout=120)


class Report(unittest.TestCase):
    maxDiff = 4000

    def ok(self, r, ctype):
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.headers["Content-Type"].startswith(ctype), r.headers["Content-Type"])
        return r

    def test_formats(self):
        self.ok(report(format="html", **WIDE), "text/html")
        self.ok(report(format="md", **WIDE), "text/markdown")
        self.ok(report(format="json", **WIDE), "application/json")
        r = self.ok(report(format="xlsx", **WIDE), XLSX_TYPE)
        self.assertIn("attachment", r.headers["Content-Disposition"])
        self.assertIn(".xlsx", r.headers["Content-Disposition"])
        self.ok(report(**WIDE), "text/html")  # html is the default

    def test_html_self_contained(self):
        html = self.ok(report(format="html", **WIDE), "text/html").text
        self.assertTrue(html.startswith("<!DOCTYPE html>"))
        self.assertIn("<svg", html)
        self.assertIn("@media print", html)
        self.assertIn("六甲街道成绩单", html)
        self.assertNotRegex(html, r"(?i)(src|href)\s*=\s*[\"']?\s*(https?:)?//")
        self.assertNotRegex(html, r"(?i)<(script|link|iframe|img)\b")
        self.assertNotRegex(html, r"(?i)url\(|@import")
        self.assertEqual(html.count("<html"), 1)

    def check_figures(self, got, s):
        """got: {figure name: text shown} against the stats answer s."""
        t = s["total"]
        self.assertEqual(int(got["received"]), t["received"])
        for name in SANLV + ("closure", "ontime_closure", "rework", "extension",
                             "accurate_dispatch", "whistle_ontime"):
            self.assertTrue(same_pct(got[name], t["rates"][name]["value"]),
                            "%s: %s vs %r" % (name, got[name], t["rates"][name]))
        self.assertEqual(int(got["whistles"]), t["whistles"]["count"])

    def test_html_figures_equal_stats(self):
        html = self.ok(report(format="html", **WIDE), "text/html").text
        got = dict(re.findall(r'data-k="(\w+)">(?:<[^>]*>)*([^<]*)<', html))
        s = stats(**WIDE)
        self.check_figures(got, s)
        self.assertEqual(got["from"], WIDE["from"])
        self.assertEqual(got["to"], WIDE["to"])
        for m in stats(by="month", **WIDE)["rows"]:  # the trend table
            self.assertRegex(html, r"<td class=\"t\">%s</td><td>%d</td>" % (m["key"], m["received"]))

    def test_md_figures_equal_stats(self):
        md = self.ok(report(format="md", **WIDE), "text/markdown").text
        L = labels()
        rows = {}
        for line in md.splitlines():
            cells = [c.strip() for c in line.strip("|").split("|")]
            if len(cells) >= 2:
                rows.setdefault(cells[0], cells)
        got = {"received": rows[L["received"]][1], "whistles": rows[L["all_types"]][1],
               "whistle_ontime": rows[L["all_types"]][4]}
        for name in SANLV + ("closure", "ontime_closure", "rework", "extension",
                             "accurate_dispatch"):
            got[name] = rows[L[name]][1]
        self.check_figures(got, stats(**WIDE))
        self.assertTrue(md.startswith("# 六甲街道成绩单"))

    def test_json_equals_stats(self):
        j = self.ok(report(format="json", **WIDE), "application/json").json
        s = stats(**WIDE)
        h = j["headline"]
        self.assertEqual(h["received"], s["total"]["received"])
        self.assertEqual(h["rates"], s["total"]["rates"])
        self.assertEqual(h["stage_hours"], s["total"]["stage_hours"])
        self.assertEqual(h["whistles"]["count"], s["total"]["whistles"]["count"])
        self.assertEqual(h["whistles"]["ontime"], s["total"]["whistles"]["ontime"])
        self.assertEqual(sorted((w["type"], w["count"]) for w in h["whistles"]["by_type"]),
                         sorted((w["type"], w["count"]) for w in s["total"]["whistles"]["by_type"]))
        self.assertEqual((j["from"], j["to"], j["scope"]), (WIDE["from"], WIDE["to"], "subdistrict"))
        months = stats(by="month", **WIDE)["rows"]
        self.assertEqual([(m["month"], m["received"]) for m in j["months"]],
                         [(m["key"], m["received"]) for m in months])
        self.assertEqual(sum(c["count"] for c in j["by_channel"]), h["received"])
        self.assertEqual(sum(c["count"] for c in j["by_nature"]), h["received"])
        for by, key in (("unit", "units"), ("grid", "grids"), ("community", "communities")):
            want = [(r["key"], r["rank"], r["grade"], r["score"]) for r in stats(by=by, **WIDE)["rows"]]
            got = [(r["key"], r["rank"], r["grade"], r["score"]) for r in j["rankings"][key]]
            self.assertEqual(got, want, by)
        cats = sorted(stats(by="category", **WIDE)["rows"], key=lambda r: (-r["received"], r["key"]))
        want = [(r["key"], r["received"]) for r in cats if r["received"] > 0][:10]
        self.assertEqual([(r["key"], r["received"]) for r in j["top_categories"]], want)
        grids = sorted(stats(by="grid", **WIDE)["rows"], key=lambda r: (-r["received"], r["key"]))
        want = [(r["key"], r["received"]) for r in grids if r["received"] > 0 and r["key"] != "-"][:10]
        self.assertEqual([(r["key"], r["received"]) for r in j["hot_spots"]], want)
        p = h["petitions"]
        self.assertEqual((p["prev_from"][:4], p["prev_to"][:4]),
                         (str(int(WIDE["from"][:4]) - 1), str(int(WIDE["to"][:4]) - 1)))
        self.assertEqual((p["prev_from"][4:], p["prev_to"][4:]), (WIDE["from"][4:], WIDE["to"][4:]))
        c = h["coverage"]
        self.assertTrue(0 <= c["num"] <= c["den"])

    def test_xlsx_numeric_cells(self):
        raw = self.ok(report(format="xlsx", **WIDE), XLSX_TYPE).raw
        z = zipfile.ZipFile(io.BytesIO(raw))
        self.assertIsNone(z.testzip())
        names = z.namelist()
        sheets = [n for n in names if re.match(r"xl/worksheets/sheet\d+\.xml$", n)]
        self.assertGreaterEqual(len(sheets), 9)  # one sheet per section
        shared = re.findall(r"<si><t[^>]*>([^<]*)</t></si>", z.read("xl/sharedStrings.xml").decode())
        L = labels()
        sheet1 = z.read("xl/worksheets/sheet1.xml").decode()
        cells = {}  # row number -> {column: value (shared string text or number)}
        for ref, attrs, v in re.findall(r'<c r="([A-Z]+\d+)"([^>]*)>(?:<f>[^<]*</f>)?<v>([^<]*)</v>', sheet1):
            col, row = re.match(r"([A-Z]+)(\d+)", ref).groups()
            cells.setdefault(int(row), {})[col] = shared[int(v)] if 't="s"' in attrs else float(v)
        by_label = {r["A"]: r for r in cells.values() if isinstance(r.get("A"), str)}
        s = stats(**WIDE)["total"]
        self.assertEqual(by_label[L["received"]]["B"], s["received"])
        for name in SANLV + ("closure", "ontime_closure"):
            rate = s["rates"][name]
            row = by_label[L[name]]
            if rate["den"]:
                self.assertAlmostEqual(row["B"], rate["num"] / rate["den"], places=9)
            self.assertEqual((row["C"], row["D"]), (rate["num"], rate["den"]))
        self.assertIn('formatCode="0.0%"', z.read("xl/styles.xml").decode())

    def test_languages(self):
        for lang, title in (("zh-Hans", "成绩单"), ("zh-Hant", "成績單"), ("en", "Report Card")):
            r = self.ok(report(format="md", lang=lang, **WIDE), "text/markdown")
            self.assertIn(title, r.text.splitlines()[0], lang)
        en = self.ok(report(format="html", lang="en", **WIDE), "text/html").text
        self.assertIn('<html lang="en">', en)
        self.assertIn(labels(3)["response"], en)

    def test_scope(self):
        q = WIDE
        j = self.ok(report(format="json", **q), "application/json").json
        self.assertGreater(j["headline"]["received"], 0)
        grid = next(r["key"] for r in j["rankings"]["grids"] if r["key"] != "-")
        for scope in ("community:" + grid[:12], "grid:" + grid):
            c = self.ok(report(format="json", scope=scope, **q), "application/json").json
            self.assertEqual(c["headline"]["received"],
                             stats(scope=scope, **q)["total"]["received"], scope)
            self.assertEqual(c["scope"], scope)
            self.assertTrue(c["scope_label"])
            md = self.ok(report(format="md", scope=scope, **q), "text/markdown").text
            self.assertIn(c["scope_label"], md)

    def test_empty_period(self):
        q = {"from": "2001-02-01", "to": "2001-02-28"}
        j = self.ok(report(format="json", **q), "application/json").json
        self.assertEqual(j["headline"]["received"], 0)
        self.assertIsNone(j["headline"]["rates"]["response"]["value"])
        html = self.ok(report(format="html", **q), "text/html").text
        self.assertIn('data-k="response">—<', html)
        self.ok(report(format="xlsx", **q), XLSX_TYPE)

    def test_bad_input(self):
        for q, field in (({"from": "2020-06-30", "to": "2020-01-01"}, "to"),
                         ({"from": "2020-01-01"}, "to"),
                         ({"from": "2020-02-30", "to": "2020-03-01"}, "from"),
                         (dict(WIDE, scope="community:999"), "scope"),
                         (dict(WIDE, scope="planet:1"), "scope"),
                         (dict(WIDE, format="pdf"), "format"),
                         (dict(WIDE, lang="fr"), "lang")):
            r = report(**q)
            self.assertEqual(r.status, 400, (q, r))
            self.assertEqual(r.json["error"]["code"], "invalid", q)
            self.assertEqual(r.json["error"]["field"], field, q)

    def test_roles(self):
        for who in ("lingdao", "zhihui", "admin"):
            self.assertEqual(report(as_=who, format="md", **WIDE).status, 200, who)
        for who in ("jumin1", "hws"):
            self.assertEqual(report(as_=who, format="md", **WIDE).status, 403, who)
        self.assertEqual(report(as_=None, **WIDE).status, 401)


class ReportLeavesNoWriteOpen(unittest.TestCase):
    def test_no_write_lock_after_a_report(self):
        """A report brings the statistics roll-ups up to date inside its read
        snapshot (a write nested in a read, rolled back at its end). The
        server keeps read snapshots between requests, but never one that
        wrote: right after the answer another connection can take the write
        lock at once."""
        import sqlite3
        for _ in range(3):
            body = json.dumps({"category": "20102", "description": "测试：报告前的新案件",
                               "lat": 24.963, "lon": 102.744}).encode("utf-8")
            r = fixture.request(G.base, "POST", "/api/v1/cases", body,
                                [("Content-Type", "application/json"),
                                 ("Authorization", "Bearer " + G.tok["zhihui"])], 30)
            self.assertEqual(r.status, 201, r)
            self.assertEqual(report(**WIDE, format="json").status, 200)
            db = sqlite3.connect(G.db, timeout=0)
            try:
                db.execute("BEGIN IMMEDIATE")  # "database is locked" if the server held it
                db.execute("ROLLBACK")
            finally:
                db.close()


class ReportCli(unittest.TestCase):
    def out(self, name):
        return os.path.join(G.tmp.name, name)

    def test_cli_formats(self):
        for fmt in ("html", "md", "xlsx", "json"):
            path = self.out("r." + fmt)
            rc, out, err = run_cli("report", "--db", G.db, "--from", WIDE["from"], "--to",
                                   WIDE["to"], "--format", fmt, "-o", path)
            self.assertEqual(rc, 0, err)
            self.assertEqual(fixture.sanitizer_lines(err), [])
            with open(path, "rb") as f:
                data = f.read()
            if fmt == "xlsx":
                self.assertEqual(data[:4], b"PK\x03\x04")
                self.assertIsNone(zipfile.ZipFile(io.BytesIO(data)).testzip())
            elif fmt == "md":  # no time in it: the same bytes as over HTTP
                self.assertEqual(data, report(format="md", **WIDE).raw)
            elif fmt == "json":
                self.assertEqual(json.loads(data)["headline"]["received"],
                                 stats(**WIDE)["total"]["received"])
            else:
                self.assertIn(b"<svg", data)

    def test_cli_stdout(self):
        rc, out, err = run_cli("report", "--db", G.db, "--from", WIDE["from"], "--to", WIDE["to"],
                               "--format", "md", "--lang", "en", "-o", "-")
        self.assertEqual(rc, 0, err)
        self.assertTrue(out.startswith("# 六甲街道 Report Card"), out[:100])

    def test_cli_errors_keep_the_file(self):
        path = self.out("keep.html")
        with open(path, "w") as f:
            f.write("an earlier report\n")
        for args in (["--from", "2020-06-30", "--to", "2020-01-01"],
                     ["--from", "2020-01-01", "--to", "2020-06-30", "--format", "pdf"],
                     ["--from", "2020-01-01", "--to", "2020-06-30", "--lang", "fr"],
                     ["--from", "2020-01-01", "--to", "2020-06-30", "--scope", "grid:nope"]):
            rc, out, err = run_cli("report", "--db", G.db, *args, "-o", path)
            self.assertEqual(rc, 4, (args, err))
            self.assertIn("invalid", err)
            self.assertEqual(fixture.sanitizer_lines(err), [])
            with open(path) as f:
                self.assertEqual(f.read(), "an earlier report\n", args)
        leftovers = [n for n in os.listdir(G.tmp.name) if ".tmp-" in n]
        self.assertEqual(leftovers, [])
        rc, out, err = run_cli("report", "--db", G.db, "--from", "2020-01-01", "--to", "2020-06-30")
        self.assertEqual(rc, 2, err)  # no -o


if __name__ == "__main__":
    fixture.main(sys.modules[__name__], _ARGV)
