#!/usr/bin/env python3
"""
tests/api/test_open311.py - black-box tests of Open311 GeoReport v2 under /open311/v2/
over real HTTP (docs/open311.md).

Usage:  python3 tests/api/test_open311.py --bin build/asan/chuishao [unittest names...]

Python 3 standard library only. setUpModule creates a demo database in a temp
dir, creates API keys for the dispatcher (zhihui), a handler (hws) and a
resident (jumin1), and starts the REAL server on a free loopback port;
tearDownModule stops it with SIGTERM and fails the suite unless it exits 0
with no AddressSanitizer / UBSan report on stderr.

Every method is exercised in XML and JSON, and the two answers are compared
value by value. The last line printed is "N passed, M failed".
"""
import datetime
import json
import os
import sys
import time
import unittest
import urllib.parse
import xml.etree.ElementTree as ET


sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fixture  # noqa: E402  (tests/api/fixture.py: the shared module fixture)

BIN, _ARGV = fixture.take_bin(sys.argv)
JURISDICTION = "liujia.kunming.cn"
POINT = (102.7465, 24.9625)  # lon, lat inside the demo boundaries
BASE = "/open311/v2"
# XML elements that hold lists (the Spark mapping turns them into JSON arrays).
LISTS = {"services", "service_requests", "errors", "attributes", "values", "endpoints",
         "formats", "notes", "service_request_updates"}


class G(fixture.ServerState):
    key = {}      # username -> API key
    unit = {}     # unit code -> {id, name}


# ---- HTTP ----------------------------------------------------------------------------

class Resp(fixture.Resp):
    repr_len = 800

    def __init__(self, status, headers, raw):
        super().__init__(status, headers, raw)
        self.xml = None
        if raw.startswith(b"<?xml"):
            self.xml = ET.fromstring(raw)

    @property
    def ctype(self):
        return self.headers.get("Content-Type", "")


def request(method, path, data=None, ctype=None, headers=None, timeout=30):
    hdrs = [("Content-Type", ctype)] if ctype else []
    hdrs.extend((headers or {}).items())
    return fixture.request(G.base, method, path, data, hdrs, timeout, resp=Resp)


def q(path, params=None):
    """path + urlencoded query (params: dict or list of pairs)."""
    return path + ("?" + urllib.parse.urlencode(params) if params else "")


def o_get(res, fmt="json", params=None):
    return request("GET", q("%s/%s.%s" % (BASE, res, fmt), params))


def o_post(res, fields, fmt="json", key="zhihui", raw=None, ctype=None):
    """POST a form; key: a username whose API key is added (None: none)."""
    fields = list(fields.items()) if isinstance(fields, dict) else list(fields or [])
    if key is not None:
        fields.insert(0, ("api_key", G.key.get(key, key)))
    data = raw if raw is not None else urllib.parse.urlencode(fields).encode("utf-8")
    return request("POST", "%s/%s.%s" % (BASE, res, fmt), data,
                   ctype or "application/x-www-form-urlencoded; charset=utf-8")


def api(method, path, body=None, as_="zhihui"):
    """The JSON API, authenticated with the user's API key."""
    data = json.dumps(body, ensure_ascii=False).encode("utf-8") if body is not None else None
    return request(method, "/api/v1" + path, data, "application/json" if data else None,
                   {"Authorization": "Bearer " + G.key[as_]})


def act(cid, action, as_="zhihui", **fields):
    fields["action"] = action
    r = api("POST", "/cases/%d/actions" % cid, fields, as_)
    assert r.status == 200, "%s on %d: %r" % (action, cid, r)
    return r.json


def case_of(cid):
    r = api("GET", "/cases/%d" % cid)
    assert r.status == 200, r
    return r.json


def iso(s):
    return datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))


def iso_str(dt):
    return dt.isoformat(timespec="seconds")


def run_cli(*args, timeout=60):
    return fixture.run_cli(BIN, *args, timeout=timeout)


sanitizer_lines = fixture.sanitizer_lines


# ---- XML <-> JSON --------------------------------------------------------------------

def xml_data(el):
    """An XML element as JSON-like data: list elements become lists, elements
    with children dicts, leaves their text (None when empty)."""
    kids = list(el)
    if el.tag in LISTS:
        return [xml_data(k) for k in kids]
    if not kids:
        return el.text
    out = {}
    for k in kids:
        assert k.tag not in out, "duplicate element %s" % k.tag
        out[k.tag] = xml_data(k)
    return out


def same(j, x, where="$"):
    """Asserts that JSON value j and XML-derived value x carry the same data."""
    if isinstance(j, list):
        assert isinstance(x, list) and len(j) == len(x), "%s: %r vs %r" % (where, j, x)
        for i, (a, b) in enumerate(zip(j, x)):
            same(a, b, "%s[%d]" % (where, i))
    elif isinstance(j, dict):
        assert isinstance(x, dict) and set(j) == set(x), \
            "%s: keys %s vs %s" % (where, sorted(j), sorted(x) if isinstance(x, dict) else x)
        for k in j:
            same(j[k], x[k], "%s.%s" % (where, k))
    elif j is None:
        assert x is None, "%s: null vs %r" % (where, x)
    elif isinstance(j, bool):
        assert x == ("true" if j else "false"), "%s: %r vs %r" % (where, j, x)
    elif isinstance(j, int):
        assert x is not None and int(x) == j, "%s: %r vs %r" % (where, j, x)
    elif isinstance(j, float):
        assert x is not None and float(x) == j, "%s: %r vs %r" % (where, j, x)
    else:
        assert x == j, "%s: %r vs %r" % (where, j, x)


# ---- fixture -------------------------------------------------------------------------

def _api_keys(G):
    for user in ("zhihui", "hws", "jumin1"):
        rc, out, err = run_cli("apikey", "create", "--db", G.db, "--name", "o311-" + user,
                               "--user", user)
        if rc != 0 or sanitizer_lines(err):
            raise RuntimeError("apikey create failed (%d): %s %s" % (rc, out, err))
        G.key[user] = out.strip().splitlines()[-1].strip()


def setUpModule():
    fixture.start_server(G, BIN, "chuishao-o311-", prepare=_api_keys)
    r = api("GET", "/units")
    if r.status != 200:
        raise RuntimeError("GET /units: %r" % r)
    G.unit = {u["code"]: u for u in r.json["items"]}


def tearDownModule():
    fixture.stop_server(G)


# ---- shared helpers ------------------------------------------------------------------

def new_request(fmt="json", **fields):
    """Creates a request (default: exposed rubbish at POINT); returns its id."""
    body = {"service_code": "20102", "lat": str(POINT[1]), "long": str(POINT[0]),
            "description": "Open311 测试：楼下垃圾堆放"}
    body.update(fields)
    r = o_post("requests", {k: v for k, v in body.items() if v is not None}, fmt)
    assert r.status == 200, r
    if fmt == "json":
        return r.json[0]["service_request_id"]
    return int(r.xml.find("request/service_request_id").text)


def state_snapshot():
    """What any write would change: the cases, their event counts, the updates."""
    r = api("GET", "/cases?limit=1000")
    assert r.status == 200, r
    cases = sorted((c["id"], c["state"], c["last_seq"]) for c in r.json["items"])
    u = o_get("servicerequestupdates", "json", {"start_date": "2000-01-01T00:00:00Z",
                                                 "page_size": 1000})
    assert u.status == 200, u
    return cases, len(u.json)


class Base(unittest.TestCase):
    maxDiff = 4000

    def both(self, res, params=None, status=200):
        """GETs res in JSON and XML; checks status, content types and that both
        carry the same data. Returns the JSON."""
        j = o_get(res, "json", params)
        x = o_get(res, "xml", params)
        self.assertEqual(j.status, status, j)
        self.assertEqual(x.status, status, x)
        self.assertTrue(j.ctype.startswith("application/json"), j.ctype)
        self.assertIn("charset=utf-8", j.ctype.lower())
        self.assertTrue(x.ctype.startswith("text/xml"), x.ctype)
        self.assertIn("charset=utf-8", x.ctype.lower())
        self.assertTrue(x.raw.startswith(b'<?xml version="1.0" encoding="UTF-8"?>'), x.raw[:60])
        self.assertIsNotNone(j.json, j)
        same(j.json, xml_data(x.xml))
        return j.json

    def assertO311Error(self, r, status, words=()):
        """The spec's error list, in whichever format was asked for."""
        self.assertEqual(r.status, status, r)
        if r.xml is not None:
            self.assertEqual(r.xml.tag, "errors", r)
            errs = xml_data(r.xml)
            self.assertTrue(r.ctype.startswith("text/xml"), r.ctype)
        else:
            self.assertIsInstance(r.json, list, r)
            errs = r.json
            self.assertTrue(r.ctype.startswith("application/json"), r.ctype)
        self.assertGreaterEqual(len(errs), 1, r)
        for e in errs:
            self.assertEqual(set(e), {"code", "description"}, r)
            self.assertEqual(int(e["code"]), status, r)
            self.assertTrue(e["description"].strip(), r)
        for w in words:
            self.assertIn(w.lower(), errs[0]["description"].lower(), r)
        return errs


# ---- discovery and services ------------------------------------------------------------

class TestDiscovery(Base):
    def test_discovery_both_formats(self):
        d = self.both("discovery")
        for k in ("changeset", "contact", "key_service", "endpoints"):
            self.assertTrue(d[k], k)
        ep = d["endpoints"][0]
        self.assertEqual(ep["specification"], "http://wiki.open311.org/GeoReport_v2")
        self.assertIn(ep["type"], ("production", "test"))
        self.assertEqual(set(ep["formats"]), {"text/xml", "application/json"})
        self.assertTrue(ep["url"].endswith("/open311/v2"), ep)
        iso(d["changeset"])

    def test_discovery_also_at_open311_root(self):
        r = request("GET", "/open311/discovery.json")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json, o_get("discovery").json)


class TestServices(Base):
    def test_services_are_the_categories(self):
        s = self.both("services")
        cats = api("GET", "/categories")
        self.assertEqual(cats.status, 200, cats)
        items = cats.json["items"] if isinstance(cats.json, dict) else cats.json
        by_code = {c["code"]: c for c in items}
        self.assertEqual({x["service_code"] for x in s}, set(by_code))
        for x in s:
            self.assertEqual(set(x), {"service_code", "service_name", "description", "metadata",
                                      "type", "keywords", "group"})
            c = by_code[x["service_code"]]
            self.assertEqual(x["service_name"], c["name"])
            self.assertEqual(x["group"], c["group"])
            self.assertEqual(x["type"], "realtime")
        meta = {x["service_code"] for x in s if x["metadata"]}
        self.assertTrue({"10118", "20102", "20301", "30103", "30203"} <= meta, meta)
        self.assertNotIn("10101", meta)

    def test_service_definitions_cover_every_datatype(self):
        seen = set()
        for code in ("10118", "20102", "20301", "30103", "30203"):
            d = self.both("services/" + code)
            self.assertEqual(d["service_code"], code)
            orders = [a["order"] for a in d["attributes"]]
            self.assertEqual(orders, sorted(orders))
            self.assertEqual(len(set(orders)), len(orders))
            for a in d["attributes"]:
                for k in ("variable", "code", "datatype", "required", "datatype_description",
                          "order", "description"):
                    self.assertIn(k, a)
                seen.add(a["datatype"])
                if a["datatype"].endswith("valuelist"):
                    self.assertTrue(a["values"], a)
                    for v in a["values"]:
                        self.assertEqual(set(v), {"key", "name"})
                else:
                    self.assertNotIn("values", a)
        self.assertEqual(seen, {"string", "number", "datetime", "text", "singlevaluelist",
                                "multivaluelist"})
        gas = o_get("services/30203").json["attributes"]
        self.assertFalse(gas[0]["variable"])  # an informational text

    def test_service_without_attributes(self):
        d = self.both("services/10101")
        self.assertEqual(d, {"service_code": "10101", "attributes": []})

    def test_unknown_service_code_404(self):
        for fmt in ("json", "xml"):
            self.assertO311Error(o_get("services/99999", fmt), 404, ["99999"])


# ---- POST requests ---------------------------------------------------------------------

class TestPostRequest(Base):
    def test_create_json_lands_in_grid_with_deadlines(self):
        loc = api("GET", "/places/locate?lon=%s&lat=%s" % POINT)
        self.assertEqual(loc.status, 200, loc)
        grid = loc.json["grid"]
        self.assertTrue(grid, loc)
        r = o_post("requests", {"service_code": "20102", "lat": POINT[1], "long": POINT[0],
                                "description": "垃圾堆了三天", "first_name": "张",
                                "last_name": "三", "phone": "13800138000",
                                "media_url": "https://example.org/p/1.jpg",
                                "attribute[volume]": "1.5",
                                "attribute[since]": "2024-05-01T08:00:00+08:00"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(len(r.json), 1)
        self.assertIn("service_request_id", r.json[0])
        self.assertNotIn("token", r.json[0])
        self.assertTrue(r.json[0]["service_notice"])
        cid = r.json[0]["service_request_id"]
        c = case_of(cid)  # an ordinary case in the JSON API
        self.assertEqual(c["channel"], "open311")
        self.assertEqual(c["category"], "20102")
        self.assertEqual(c["grid"], grid)
        self.assertEqual(c["state"], "reported")
        self.assertEqual(c["description"], "垃圾堆了三天")
        self.assertEqual(c["reporter"]["name"], "张 三")
        self.assertTrue(c["due_at"], c)
        reg = [d for d in c["deadlines"] if d["stage"] == "register"][0]
        self.assertTrue(reg["due"], c["deadlines"])
        listed = api("GET", "/cases?grid=%s&limit=1000" % grid).json["items"]
        self.assertIn(cid, [x["id"] for x in listed])
        g = self.both("requests/%d" % cid, {"extensions": "true"})[0]
        self.assertEqual(g["service_request_id"], cid)
        self.assertEqual(g["media_url"], "https://example.org/p/1.jpg")
        self.assertEqual(g["lat"], POINT[1])
        self.assertEqual(g["long"], POINT[0])
        self.assertEqual(g["extended_attributes"]["grid"], grid)
        self.assertEqual([(a["code"], a["value"]) for a in g["attributes"]],
                         [("volume", "1.5"), ("since", "2024-05-01T08:00:00+08:00")])

    def test_create_xml(self):
        r = o_post("requests", {"service_code": "20301", "lat": POINT[1], "long": POINT[0],
                                "description": "夜间施工噪声",
                                "attribute[started]": "2024-05-01T22:30:00+08:00",
                                "attribute[kinds][]": "machinery",
                                "attribute[site]": "某某工地",
                                "attribute[details]": "第一行\n第二行"}, "xml")
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.ctype.startswith("text/xml"))
        self.assertEqual(r.xml.tag, "service_requests")
        cid = int(r.xml.find("request/service_request_id").text)
        self.assertEqual(case_of(cid)["channel"], "open311")

    def test_multivaluelist_values_and_labels(self):
        r = o_post("requests", [("service_code", "20301"), ("lat", POINT[1]), ("long", POINT[0]),
                                ("description", "噪声"),
                                ("attribute[started]", "2024-05-01T22:30:00Z"),
                                ("attribute[kinds][]", "machinery"),
                                ("attribute[kinds][]", "night_work")])
        self.assertEqual(r.status, 200, r)
        cid = r.json[0]["service_request_id"]
        g = self.both("requests/%d" % cid, {"extensions": "true"})[0]
        kinds = [(a["value"], a["name"]) for a in g["attributes"] if a["code"] == "kinds"]
        self.assertEqual(kinds, [("machinery", "施工机械"), ("night_work", "夜间施工")])
        label = [a["label"] for a in g["attributes"] if a["code"] == "started"][0]
        self.assertEqual(label, "噪声开始的时间")

    def test_address_string_only(self):
        cid = new_request(lat=None, long=None, address_string="六甲街道福德社区 3 栋")
        c = case_of(cid)
        self.assertEqual(c["address"], "六甲街道福德社区 3 栋")
        g = o_get("requests/%d" % cid).json[0]
        self.assertIsNone(g["lat"])
        self.assertEqual(g["address"], "六甲街道福德社区 3 栋")

    def test_address_id_is_a_place_code(self):
        b = api("GET", "/places?kind=building").json["items"][0]
        cid = new_request(lat=None, long=None, address_id=b["code"])
        c = case_of(cid)
        self.assertTrue(b["code"].startswith(c["grid"]), (b, c["grid"]))
        self.assertEqual(c["address"], b["name"])

    def test_description_of_4000_characters_is_accepted(self):
        cid = new_request(description="长" * 4000)
        self.assertEqual(len(case_of(cid)["description"]), 4000)

    def test_jurisdiction_accepted(self):
        new_request(jurisdiction_id=JURISDICTION)


class TestPostRequestErrors(Base):
    def check(self, status, fields, fmt="json", key="zhihui", words=(), raw=None, ctype=None):
        before = state_snapshot()
        r = o_post("requests", fields, fmt, key, raw, ctype)
        errs = self.assertO311Error(r, status, words)
        self.assertEqual(state_snapshot(), before, "something was stored after %r" % r)
        return errs

    def good(self, **kw):
        f = {"service_code": "20102", "lat": POINT[1], "long": POINT[0],
             "description": "测试"}
        f.update(kw)
        return {k: v for k, v in f.items() if v is not None}

    def test_api_key_missing_or_bad_403(self):
        for fmt in ("json", "xml"):
            self.check(403, self.good(), fmt, key=None, words=["api_key"])
            self.check(403, self.good(), fmt, key="cs_" + "0" * 64, words=["api_key"])

    def test_api_key_of_a_user_who_may_not_report_403(self):
        self.check(403, self.good(), key="hws")

    def test_missing_service_code_400(self):
        for fmt in ("json", "xml"):
            self.check(400, self.good(service_code=None), fmt, words=["service_code"])

    def test_unknown_service_code_404(self):
        for fmt in ("json", "xml"):
            self.check(404, self.good(service_code="99999"), fmt, words=["99999"])

    def test_lat_without_long_400(self):
        for fmt in ("json", "xml"):
            self.check(400, self.good(long=None), fmt, words=["lat", "long"])
            self.check(400, self.good(lat=None), fmt, words=["lat", "long"])

    def test_bad_coordinates_400(self):
        self.check(400, self.good(lat="north"))
        self.check(400, self.good(lat="95"))
        self.check(400, self.good(lat="39.9", long="116.4"))  # Beijing: far from Liujia

    def test_no_location_400(self):
        self.check(400, self.good(lat=None, long=None), words=["location"])

    def test_unknown_address_id_400(self):
        self.check(400, self.good(lat=None, long=None, address_id="nope"))

    def test_description_of_4001_characters_400(self):
        for fmt in ("json", "xml"):
            self.check(400, self.good(description="长" * 4001), fmt, words=["description"])

    def test_invalid_utf8_400(self):
        body = ("api_key=%s&service_code=20102&lat=%s&long=%s&description=" %
                (G.key["zhihui"], POINT[1], POINT[0])).encode()
        for fmt in ("json", "xml"):
            self.check(400, None, fmt, key=None, raw=body + b"%FF%FE", words=["utf-8"])
            self.check(400, None, fmt, key=None, raw=body + b"ok\xc3(", words=["utf-8"])
            self.check(400, None, fmt, key=None, raw=body + b"a%00b", words=["utf-8"])

    def test_malformed_escape_400(self):
        body = ("api_key=%s&service_code=20102&address_string=%%G1" % G.key["zhihui"]).encode()
        self.check(400, None, key=None, raw=body)

    def test_other_body_types_400(self):
        body = urllib.parse.urlencode(self.good(api_key=G.key["zhihui"])).encode()
        self.check(400, None, key=None, raw=body, ctype="multipart/form-data; boundary=x")
        self.check(400, None, key=None, raw=b"{}", ctype="application/json")

    def test_bad_jurisdiction_404(self):
        for fmt in ("json", "xml"):
            self.check(404, self.good(jurisdiction_id="sfgov.org"), fmt, words=["jurisdiction"])

    def test_attribute_errors_400(self):
        base = {"service_code": "20301", "lat": POINT[1], "long": POINT[0],
                "description": "噪声", "attribute[started]": "2024-05-01T22:30:00Z",
                "attribute[kinds][]": "machinery"}
        cases = [
            ({"attribute[started]": None}, "started"),            # required datetime missing
            ({"attribute[kinds][]": None}, "kinds"),              # required list missing
            ({"attribute[started]": "last night"}, "started"),    # malformed datetime
            ({"attribute[kinds][]": "thunder"}, "kinds"),         # not one of the values
            ({"attribute[site]": "x" * 501}, "site"),             # string too long
            ({"attribute[bad code]": "x"}, "attribute"),          # malformed field name
        ]
        for change, word in cases:
            f = dict(base)
            f.update(change)
            self.check(400, {k: v for k, v in f.items() if v is not None}, words=[word])
        f = dict(base, service_code="20102")
        f.pop("attribute[started]")
        f.pop("attribute[kinds][]")
        self.check(400, dict(f, **{"attribute[volume]": "a lot"}), words=["volume"])
        two = [("service_code", "30103"), ("lat", POINT[1]), ("long", POINT[0]),
               ("description", "吵"), ("attribute[source]", "shop"),
               ("attribute[source]", "neighbour")]
        self.check(400, two, words=["source"])


# ---- GET requests ----------------------------------------------------------------------

class TestGetRequests(Base):
    @classmethod
    def setUpClass(cls):
        cls.mine = [new_request(description="列表测试 %d" % i) for i in range(3)]

    def test_list_both_formats_and_fields(self):
        rows = self.both("requests")
        self.assertGreater(len(rows), 20)
        fields = {"service_request_id", "status", "status_notes", "service_name",
                  "service_code", "description", "agency_responsible", "service_notice",
                  "requested_datetime", "updated_datetime", "expected_datetime", "address",
                  "address_id", "zipcode", "lat", "long", "media_url"}
        for x in rows:
            self.assertEqual(set(x), fields)
            self.assertIn(x["status"], ("open", "closed"))
            for k in ("requested_datetime", "updated_datetime"):
                t = iso(x[k])
                self.assertIsNotNone(t.tzinfo, x[k])
        ids = [x["service_request_id"] for x in rows]
        for cid in self.mine:
            self.assertIn(cid, ids)
        times = [iso(x["requested_datetime"]) for x in rows]
        self.assertEqual(times, sorted(times, reverse=True))  # newest first

    def test_status_maps_to_open_and_closed(self):
        closed = {"closed", "visited", "self_handled", "rejected", "voided", "merged"}
        cases = {c["id"]: c["state"] for c in api("GET", "/cases?limit=1000").json["items"]}
        rows = o_get("requests").json
        for x in rows:
            st = cases[x["service_request_id"]]
            self.assertEqual(x["status"], "closed" if st in closed else "open", (x, st))
        only_closed = self.both("requests", {"status": "closed"})
        self.assertTrue(only_closed)
        self.assertTrue(all(x["status"] == "closed" for x in only_closed))
        only_open = o_get("requests", params={"status": "open"}).json
        self.assertEqual(len(only_open) + len(only_closed), len(rows))
        self.assertEqual(len(o_get("requests", params={"status": "open,closed"}).json),
                         len(rows))
        self.assertO311Error(o_get("requests", "xml", {"status": "fixed"}), 400, ["status"])

    def test_service_code_filter(self):
        rows = self.both("requests", {"service_code": "20102,20301"})
        self.assertTrue(rows)
        self.assertTrue(all(x["service_code"] in ("20102", "20301") for x in rows))
        for cid in self.mine:
            self.assertIn(cid, [x["service_request_id"] for x in rows])
        self.assertEqual(o_get("requests", params={"service_code": "99999"}).json, [])

    def test_service_request_id_list_overrides_filters(self):
        a, b = self.mine[0], self.mine[1]
        rows = self.both("requests", {"service_request_id": "%d,%d,999999" % (a, b),
                                      "status": "closed", "service_code": "10101"})
        self.assertEqual([x["service_request_id"] for x in rows], [a, b])
        self.assertO311Error(o_get("requests", "json", {"service_request_id": "1,x"}), 400)

    def test_paging(self):
        full = o_get("requests").json
        p1 = self.both("requests", {"page_size": 5, "page": 1})
        p2 = self.both("requests", {"page_size": 5, "page": 2})
        self.assertEqual(len(p1), 5)
        self.assertEqual(len(p2), 5)
        ids = [x["service_request_id"] for x in full]
        self.assertEqual([x["service_request_id"] for x in p1 + p2], ids[:10])
        last = (len(full) + 4) // 5
        self.assertEqual(len(o_get("requests", params={"page_size": 5, "page": last}).json),
                         len(full) - 5 * (last - 1))
        self.assertEqual(o_get("requests", params={"page_size": 5, "page": last + 1}).json, [])
        for bad in ({"page_size": 0}, {"page_size": 1001}, {"page": 0}, {"page": "two"}):
            self.assertO311Error(o_get("requests", "xml", bad), 400)

    def test_default_window_is_90_days(self):
        now = iso(o_get("requests/%d" % self.mine[0]).json[0]["requested_datetime"])
        old = {"start_date": iso_str(now - datetime.timedelta(days=200)),
               "end_date": iso_str(now - datetime.timedelta(days=111))}
        self.assertEqual(self.both("requests", old), [])
        default = o_get("requests").json
        window = o_get("requests", params={
            "start_date": iso_str(now - datetime.timedelta(days=89)),
            "end_date": iso_str(now + datetime.timedelta(days=1))}).json
        self.assertEqual(default, window)

    def test_start_and_end_date(self):
        t = iso(o_get("requests/%d" % self.mine[1]).json[0]["requested_datetime"])
        rows = self.both("requests", {"start_date": iso_str(t), "end_date": iso_str(t)})
        self.assertIn(self.mine[1], [x["service_request_id"] for x in rows])
        for x in rows:
            self.assertEqual(iso(x["requested_datetime"]), t)
        utc = t.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        rows = o_get("requests", params={"start_date": utc, "end_date": utc}).json
        self.assertIn(self.mine[1], [x["service_request_id"] for x in rows])

    def test_malformed_dates_400(self):
        for name in ("start_date", "end_date", "updated_after", "updated_before"):
            for fmt in ("json", "xml"):
                self.assertO311Error(o_get("requests", fmt, {name: "yesterday"}), 400, [name])
            self.assertO311Error(o_get("requests", "json", {name: "2024-02-30T00:00:00Z"}), 400)
        self.assertO311Error(o_get("requests", "json", {
            "start_date": "2024-05-02T00:00:00Z", "end_date": "2024-05-01T00:00:00Z"}), 400)
        self.assertO311Error(o_get("requests", "json", {
            "start_date": "2024-01-01T00:00:00Z", "end_date": "2024-06-01T00:00:00Z"}), 400,
            ["90 days"])

    def test_updated_after_and_before(self):
        cid = self.mine[2]
        before = iso(o_get("requests/%d" % cid).json[0]["updated_datetime"])
        time.sleep(1.1)
        act(cid, "comment", note="更新时间测试")
        g = o_get("requests/%d" % cid).json[0]
        after = iso(g["updated_datetime"])
        self.assertGreater(after, before)
        rows = self.both("requests", {"updated_after": iso_str(after)})
        self.assertIn(cid, [x["service_request_id"] for x in rows])
        self.assertTrue(all(iso(x["updated_datetime"]) >= after for x in rows))
        rows = o_get("requests", params={"updated_before": iso_str(before)}).json
        self.assertNotIn(cid, [x["service_request_id"] for x in rows])
        self.assertTrue(all(iso(x["updated_datetime"]) <= before for x in rows))
        self.assertO311Error(o_get("requests", "json", {
            "updated_after": iso_str(after), "updated_before": iso_str(before)}), 400)

    def test_bbox(self):
        lon, lat = POINT
        box = "%f,%f,%f,%f" % (lon - 0.001, lat - 0.001, lon + 0.001, lat + 0.001)
        rows = self.both("requests", {"bbox": box})
        for cid in self.mine:
            self.assertIn(cid, [x["service_request_id"] for x in rows])
        for x in rows:
            self.assertTrue(lon - 0.001 <= x["long"] <= lon + 0.001, x)
            self.assertTrue(lat - 0.001 <= x["lat"] <= lat + 0.001, x)
        far = "%f,%f,%f,%f" % (lon + 1, lat + 1, lon + 1.01, lat + 1.01)
        self.assertEqual(o_get("requests", params={"bbox": far}).json, [])
        for bad in ("1,2,3", "a,b,c,d", "103,25,102,24", "1,2,3,4,5"):
            self.assertO311Error(o_get("requests", "xml", {"bbox": bad}), 400, ["bbox"])

    def test_lat_long_radius(self):
        lon, lat = POINT
        rows = self.both("requests", {"lat": lat, "long": lon, "radius": 30})
        ids = [x["service_request_id"] for x in rows]
        for cid in self.mine:
            self.assertIn(cid, ids)
        # 0.001 degree of latitude is about 110 m: outside a 50 m circle.
        rows = o_get("requests", params={"lat": lat + 0.001, "long": lon, "radius": 50}).json
        for cid in self.mine:
            self.assertNotIn(cid, [x["service_request_id"] for x in rows])
        rows = o_get("requests", params={"lat": lat + 0.001, "long": lon, "radius": 200}).json
        for cid in self.mine:
            self.assertIn(cid, [x["service_request_id"] for x in rows])
        self.assertO311Error(o_get("requests", "json", {"lat": lat}), 400, ["lat", "long"])
        self.assertO311Error(o_get("requests", "xml", {"long": lon}), 400, ["lat", "long"])
        self.assertO311Error(o_get("requests", "json", {"radius": 50}), 400)
        self.assertO311Error(o_get("requests", "json", {"lat": lat, "long": lon,
                                                        "radius": 0}), 400)

    def test_invalid_utf8_in_query_400(self):
        r = request("GET", BASE + "/requests.json?service_code=%FF")
        self.assertO311Error(r, 400, ["utf-8"])

    def test_bad_jurisdiction_404(self):
        for res in ("services", "requests", "discovery", "services/20102"):
            self.assertO311Error(o_get(res, "xml", {"jurisdiction_id": "sfgov.org"}), 404)
        self.assertEqual(o_get("services", params={"jurisdiction_id": JURISDICTION}).status, 200)
        self.assertEqual(o_get("services", params={"jurisdiction_id": ""}).status, 200)


class TestOneRequest(Base):
    def test_get_one_both_formats(self):
        cid = new_request(description="单条查询")
        g = self.both("requests/%d" % cid)
        self.assertEqual(len(g), 1)
        self.assertEqual(g[0]["service_request_id"], cid)
        self.assertEqual(g[0]["description"], "单条查询")
        self.assertEqual(g[0]["service_name"], "暴露垃圾")
        self.assertEqual(g[0]["status"], "open")
        self.assertEqual(g[0]["service_notice"], "已上报")
        self.assertIsNone(g[0]["expected_datetime"])  # not registered yet

    def test_unknown_request_404(self):
        for fmt in ("json", "xml"):
            self.assertO311Error(o_get("requests/999999", fmt), 404, ["999999"])
            self.assertO311Error(o_get("requests/abc", fmt), 404)

    def test_lifecycle_agency_expected_and_closing(self):
        cid = new_request(description="生命周期")
        act(cid, "register")
        c = case_of(cid)
        g = self.both("requests/%d" % cid)[0]
        self.assertEqual(iso(g["expected_datetime"]), iso(c["close_due"]))  # closing deadline
        self.assertIsNone(g["agency_responsible"])
        act(cid, "dispatch", unit=G.unit["HWS"]["id"])
        self.assertEqual(o_get("requests/%d" % cid).json[0]["agency_responsible"],
                         G.unit["HWS"]["name"])
        act(cid, "sign", as_="hws")
        c = case_of(cid)
        handle = [d for d in c["deadlines"] if d["stage"] == "handle"][0]
        g = self.both("requests/%d" % cid)[0]
        self.assertEqual(iso(g["expected_datetime"]), iso(handle["due"]))  # handling deadline
        self.assertEqual(g["status"], "open")
        act(cid, "feedback", as_="hws", note="已清运完毕")
        act(cid, "close")
        c = case_of(cid)
        g = self.both("requests/%d" % cid, {"extensions": "true"})[0]
        self.assertEqual(g["status"], "closed")
        self.assertEqual(iso(g["updated_datetime"]), iso(c["closed_at"]))
        self.assertEqual(g["detailed_status"], "closed")
        self.assertEqual(g["status_notes"], c["events"][-1]["note"] or None)
        self.assertIn(cid, [x["service_request_id"] for x in
                            o_get("requests", params={"status": "closed"}).json])

    def test_extensions(self):
        cid = new_request(description="扩展字段")
        act(cid, "comment", note="居民补充：<已拍照> & 已告知物业")
        plain = o_get("requests/%d" % cid).json[0]
        self.assertNotIn("notes", plain)
        self.assertNotIn("detailed_status", plain)
        g = self.both("requests/%d" % cid, {"extensions": "true"})[0]
        c = case_of(cid)
        self.assertEqual(g["detailed_status"], c["state"])
        self.assertEqual(g["extended_attributes"]["channel"], "open311")
        self.assertEqual(len(g["notes"]), len(c["events"]))
        self.assertEqual([n["type"] for n in g["notes"]], [e["action"] for e in c["events"]])
        self.assertEqual(g["notes"][-1]["description"], "居民补充：<已拍照> & 已告知物业")
        for n in g["notes"]:
            self.assertIsNotNone(iso(n["datetime"]).tzinfo)
            self.assertIn(n["status"], ("open", "closed"))
        rows = self.both("requests", {"extensions": "true", "page_size": 3})
        self.assertTrue(all("notes" in x for x in rows))

    def test_xml_escaping_and_utf8_round_trip(self):
        text = "引号\"单引号' <tag> & 符号 ]]> 表情😀\n第二行\t制表\r回车"
        cid = new_request(description=text, address_string="<地址> & \"号\"", lat=None,
                          long=None)
        j = o_get("requests/%d" % cid, "json").json[0]
        x = o_get("requests/%d" % cid, "xml")
        self.assertEqual(j["description"], text)
        self.assertEqual(x.xml.find("request/description").text, text)
        self.assertEqual(x.xml.find("request/address").text, "<地址> & \"号\"")
        x.raw.decode("utf-8")  # strictly UTF-8

    def test_control_characters_are_replaced_in_both_formats(self):
        cid = new_request(description="bell\x07here")
        j = o_get("requests/%d" % cid, "json").json[0]
        x = o_get("requests/%d" % cid, "xml")
        self.assertEqual(j["description"], "bell\ufffdhere")
        self.assertEqual(x.xml.find("request/description").text, "bell\ufffdhere")
        self.assertEqual(case_of(cid)["description"], "bell\x07here")  # stored as given


class TestTokens(Base):
    def test_token_is_the_request_id(self):
        cid = new_request()
        t = self.both("tokens/%d" % cid)
        self.assertEqual(t, [{"service_request_id": cid, "token": str(cid)}])

    def test_unknown_token_404(self):
        for fmt in ("json", "xml"):
            self.assertO311Error(o_get("tokens/999999", fmt), 404, ["token"])
            self.assertO311Error(o_get("tokens/abc", fmt), 404, ["token"])


# ---- servicerequestupdates -------------------------------------------------------------

class TestUpdates(Base):
    def test_get_updates_since_a_date(self):
        cid = new_request(description="更新列表")
        act(cid, "register")
        act(cid, "comment", note="已安排人员")
        start = iso(case_of(cid)["created_at"]) - datetime.timedelta(seconds=1)
        rows = self.both("servicerequestupdates", {"start_date": iso_str(start)})
        mine = [u for u in rows if u["service_request_id"] == cid]
        self.assertEqual([u["update_id"] for u in mine], ["%d-2" % cid, "%d-3" % cid])
        self.assertEqual(mine[1]["description"], "已安排人员")
        self.assertEqual(mine[0]["external_status_code"], "registered")
        for u in rows:
            self.assertTrue({"update_id", "service_request_id", "status", "updated_datetime",
                             "description", "media_url"} <= set(u))
            self.assertIn(u["status"], ("open", "closed"))
            self.assertGreaterEqual(iso(u["updated_datetime"]), start)
            self.assertTrue(u["description"])
        times = [iso(u["updated_datetime"]) for u in rows]
        self.assertEqual(times, sorted(times))  # oldest first
        later = iso_str(iso(mine[1]["updated_datetime"]) + datetime.timedelta(seconds=1))
        self.assertEqual([u for u in o_get("servicerequestupdates", params={
            "start_date": later}).json if u["service_request_id"] == cid], [])
        one = o_get("servicerequestupdates", params={"start_date": iso_str(start),
                                                     "service_request_id": cid}).json
        self.assertEqual(one, mine)
        page = o_get("servicerequestupdates", params={"start_date": "2000-01-01T00:00:00Z",
                                                      "page_size": 2, "page": 2}).json
        full = o_get("servicerequestupdates", params={"start_date": "2000-01-01T00:00:00Z"}).json
        self.assertEqual(page, full[2:4])
        for fmt in ("json", "xml"):
            self.assertO311Error(o_get("servicerequestupdates", fmt,
                                       {"start_date": "soon"}), 400, ["start_date"])

    def fields(self, cid, uid, **kw):
        f = {"service_request_id": cid, "update_id": uid, "status": "IN_PROGRESS",
             "updated_datetime": "2024-05-01T10:00:00Z", "description": "已派人处理"}
        f.update(kw)
        return {k: v for k, v in f.items() if v is not None}

    def test_post_update_and_replay_refused(self):
        cid = new_request(description="外部更新")
        n0 = len(case_of(cid)["events"])
        r = o_post("servicerequestupdates", self.fields(cid, "fms-%d-1" % cid,
                                                        media_url="https://x.org/a.jpg"))
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json[0]["update_id"], "%d-%d" % (cid, n0 + 1))
        c = case_of(cid)
        self.assertEqual(len(c["events"]), n0 + 1)
        self.assertEqual(c["events"][-1]["action"], "comment")
        self.assertEqual(c["events"][-1]["note"], "已派人处理")
        self.assertEqual(c["state"], "reported")  # a comment: no workflow of its own
        before = state_snapshot()
        for fmt in ("json", "xml"):  # the same update_id again: refused, nothing added
            r = o_post("servicerequestupdates",
                       self.fields(cid, "fms-%d-1" % cid, description="重复"), fmt)
            self.assertO311Error(r, 400, ["already exists"])
        self.assertEqual(state_snapshot(), before)
        self.assertEqual(len(case_of(cid)["events"]), n0 + 1)
        r = o_post("servicerequestupdates", self.fields(cid, "fms-%d-2" % cid, status="closed"),
                   "xml")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.xml.tag, "service_request_updates")
        self.assertEqual(r.xml.find("request_update/update_id").text, "%d-%d" % (cid, n0 + 2))
        got = o_get("servicerequestupdates", params={"service_request_id": cid}).json
        self.assertEqual([u["update_id"] for u in got][-2:],
                         ["%d-%d" % (cid, n0 + 1), "%d-%d" % (cid, n0 + 2)])
        self.assertEqual(got[-2]["media_url"], "https://x.org/a.jpg")

    def test_post_update_errors(self):
        cid = new_request(description="更新错误")
        cases = [
            (403, {}, None),
            (403, {}, "cs_" + "1" * 64),
            (400, {"service_request_id": None}, "zhihui"),
            (400, {"update_id": None}, "zhihui"),
            (400, {"status": None}, "zhihui"),
            (400, {"status": "MAYBE"}, "zhihui"),
            (400, {"updated_datetime": None}, "zhihui"),
            (400, {"updated_datetime": "tuesday"}, "zhihui"),
            (400, {"description": None}, "zhihui"),
            (400, {"description": "长" * 4001}, "zhihui"),
            (400, {"update_id": "u" * 65}, "zhihui"),
            (404, {"service_request_id": 999999}, "zhihui"),
            (404, {"service_request_id": "abc"}, "zhihui"),
            (404, {"jurisdiction_id": "sfgov.org"}, "zhihui"),
        ]
        for i, (status, change, key) in enumerate(cases):
            before = state_snapshot()
            for fmt in ("json", "xml"):
                r = o_post("servicerequestupdates", self.fields(cid, "err-%d-%d" % (cid, i),
                                                                **change), fmt, key)
                self.assertO311Error(r, status)
            self.assertEqual(state_snapshot(), before, (status, change))

    def test_post_update_on_invisible_case_404(self):
        cid = new_request(description="居民看不到")
        r = o_post("servicerequestupdates", self.fields(cid, "res-%d" % cid), key="jumin1")
        self.assertO311Error(r, 404)


# ---- paths and formats -----------------------------------------------------------------

class TestPrivacy(Base):
    def test_internal_notes_stay_private(self):
        """Open311 reads are public: internal notes (a return reason) never
        appear; the reply meant for the reporter (register, feedback) does."""
        cid = new_request()
        units = api("GET", "/units").json["items"]
        unit = [u for u in units if u["code"] == "HWS"][0]["id"]
        act(cid, "register", note="PUBLIC-REGISTERED")
        act(cid, "dispatch", unit=unit)
        act(cid, "supervise", note="INTERNAL-SUPERVISE-7731",
            attachments=["http://internal.example/secret-7731.jpg"])
        for fmt in ("json", "xml"):
            r = o_get("requests/%d" % cid, fmt, {"extensions": "true"})
            self.assertEqual(r.status, 200, r)
            text = r.raw.decode("utf-8")
            self.assertNotIn("INTERNAL-SUPERVISE-7731", text)
            self.assertIn("PUBLIC-REGISTERED", text)
            u = o_get("servicerequestupdates", fmt, {"start_date": "2000-01-01T00:00:00Z"})
            self.assertNotIn("INTERNAL-SUPERVISE-7731", u.raw.decode("utf-8"))
            self.assertNotIn("secret-7731", u.raw.decode("utf-8"))  # nor its attachment
            self.assertNotIn("secret-7731", text)
        # the staff API still shows the internal note
        self.assertIn("INTERNAL-SUPERVISE-7731", json.dumps(case_of(cid), ensure_ascii=False))


class TestPaths(Base):
    def test_unknown_resource_404_in_the_asked_format(self):
        self.assertO311Error(o_get("nothing", "json"), 404)
        self.assertO311Error(o_get("nothing", "xml"), 404)
        self.assertO311Error(request("GET", "/open311/v3/services.json"), 404)

    def test_unknown_format_404_in_xml(self):
        r = request("GET", BASE + "/services.html")
        self.assertO311Error(r, 404, ["format"])
        self.assertIsNotNone(r.xml)

    def test_no_suffix_means_xml(self):
        r = request("GET", BASE + "/services")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.xml.tag, "services")

    def test_method_not_supported_400(self):
        r = request("DELETE", BASE + "/requests.json")
        self.assertO311Error(r, 400)
        r = request("POST", BASE + "/services.xml", b"", "application/x-www-form-urlencoded")
        self.assertO311Error(r, 400)


class TestErrorStatuses(Base):
    """Errors take the HTTP status of the one error table (core/err.c) in the
    spec's document: a body past the limit is 413, a database failure 500."""

    def test_body_too_large_413_in_the_asked_format(self):
        big = b"description=" + b"x" * (1024 * 1024 + 10)
        for fmt in ("json", "xml"):
            r = request("POST", "%s/requests.%s" % (BASE, fmt), big,
                        "application/x-www-form-urlencoded")
            errs = self.assertO311Error(r, 413, ["larger than"])
            self.assertTrue(errs)
        self.assertIsNotNone(r.xml)

    def test_database_failure_500_not_400(self):
        import sqlite3
        db = sqlite3.connect(G.db, timeout=10)
        db.execute("ALTER TABLE open311_attributes RENAME TO open311_attributes_away")
        db.commit()
        time.sleep(0.3)
        try:
            for fmt in ("json", "xml"):
                r = o_get("services/30103", fmt)
                self.assertO311Error(r, 500)
        finally:
            db.execute("ALTER TABLE open311_attributes_away RENAME TO open311_attributes")
            db.commit()
            db.close()
        time.sleep(0.3)  # another process's commit is seen within ~0.1 s
        self.assertEqual(o_get("services/30103").status, 200)


# ---- runner ----------------------------------------------------------------------------

def main():
    fixture.main(sys.modules[__name__], _ARGV)


if __name__ == "__main__":
    main()
