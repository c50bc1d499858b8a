#!/usr/bin/env python3
"""
tests/api/test_places.py - black-box tests of the place tree (网格化) over real
HTTP: /places (list, GeoJSON export, one place, locate, import, grid teams)
and the place side of /cases (positions in WGS-84 / GCJ-02 / BD-09, grid
assignment, grid_status, the grid / community / bbox / near filters).

Usage:  python3 tests/api/test_places.py --bin build/asan/chuishao [unittest names...]

Python 3 standard library only, same conventions as tests/api/test_api.py:
setUpModule creates a demo database in a temp dir (boundary set of
src/demo/demo_geo.c: subdistrict 530111008, 10 communities, 240 grids, 2
compounds, 6 buildings = 259 places), starts the REAL server on a free
loopback port and signs the needed demo users in; tearDownModule stops it with
SIGTERM and fails the suite unless it exits 0 with no AddressSanitizer / UBSan
report on stderr.

Test classes run in name order; T98Projected replaces the whole place tree
(a projected EPSG:4543 set) and therefore runs last but one.

The last line printed is "N passed, M failed"; the exit code is non-zero on
any failure. Tests marked "BUG:" document defects in src/ (they are meant to
fail until src/ is fixed; see the comment at each).
"""
import contextlib
import copy
import json
import math
import os
import re
import sys
import threading
import time
import unittest


sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fixture  # noqa: E402  (tests/api/fixture.py: the shared module fixture)

BIN, _ARGV = fixture.take_bin(sys.argv)
PASSWORD = "liujia2020"
USERS = {  # the demo users these tests sign in (src/demo/demo.c)
    "admin": "admin", "zhihui": "dispatcher", "lingdao": "leader", "hws": "handler",
    "pcs": "handler", "wangge01": "grid", "wangge02": "grid", "jumin1": "resident",
}

SUBDISTRICT = "530111008"
COMMUNITIES = ["530111008%03d" % i for i in range(1, 11)]
GRID_A = "53011100800201"     # wangge01's grid (its team leader), community 530111008002
GRID_A2 = "53011100800202"    # same community
GRID_B = "53011100800301"     # wangge02's grid, community 530111008003
GRID_TEAM = "53011100800216"  # used by the team tests (a vacant post: no team in the demo)
N_PLACES = 259                # 1 + 10 + 240 + 2 compounds + 6 buildings
OUTSIDE = (102.78, 24.95)     # east of the subdistrict's box (lon 102.735..102.775), < 1 km


class G(fixture.ServerState):
    """Module state shared by the tests."""
    tok = {}         # username -> session token
    uid = {}         # username -> user id
    fc = None        # the demo boundary set as exported at start (parsed)
    feat = {}        # code -> feature of fc


# ---- HTTP ----------------------------------------------------------------------------

Resp = fixture.Resp


def call(method, path, body=None, as_=None, token=None, raw=None, timeout=60):
    """One request. as_: a demo username (its session token); token: a raw bearer;
    raw: body bytes sent as they are."""
    data = raw if raw is not None else (
        json.dumps(body, ensure_ascii=False).encode("utf-8") if body is not None else None)
    headers = []
    if data is not None:
        headers.append(("Content-Type", "application/json"))
    if as_ is not None:
        token = G.tok[as_]
    if token is not None:
        headers.append(("Authorization", "Bearer " + token))
    return fixture.request(G.base, method, path, data, headers, timeout)


def get(path, as_="zhihui", **kw):
    return call("GET", path, as_=as_, **kw)


def post(path, body=None, as_="zhihui", **kw):
    return call("POST", path, body, as_=as_, **kw)


def act(cid, action, as_="zhihui", **fields):
    body = dict(fields)
    body["action"] = action
    return post("/api/v1/cases/%d/actions" % cid, body, as_=as_)


def new_case(as_="zhihui", **kw):
    body = {"category": "20102", "description": "测试：网格内垃圾堆放无人清运"}
    body.update(kw)
    return post("/api/v1/cases", body, as_=as_)


def case_of(cid, as_="zhihui", query=""):
    r = get("/api/v1/cases/%d%s" % (cid, query), as_=as_)
    assert r.status == 200, r
    return r.json


def all_cases(query=""):
    r = get("/api/v1/cases?limit=1000" + query)
    assert r.status == 200, r
    return r.json["items"]


def run_cli(*args, env=None, timeout=60):
    return fixture.run_cli(BIN, *args, env=env, timeout=timeout)


sanitizer_lines = fixture.sanitizer_lines


# ---- places helpers -------------------------------------------------------------------

# GET /places?format=geojson and GET /places/{code} write each geometry as raw
# text after a jw key (api_places.c place_jw), which loses the comma after the
# feature (see the BUG tests in T01/T02). `}}` directly followed by `{` or `"`
# is never valid JSON, so inserting the comma there changes nothing in valid
# text. The content tests parse with this repair so that they still check what
# the server says; the strict tests fail on the defect itself.
_MISSING_COMMA = re.compile(r'\}\}(?=[{"])')


def lenient_json(text):
    """(value, strict): parses text, repairing the missing commas if needed."""
    try:
        return json.loads(text), True
    except ValueError:
        return json.loads(_MISSING_COMMA.sub("}},", text)), False


def export_text():
    r = get("/api/v1/places?format=geojson")
    assert r.status == 200, r
    return r.text


def export_fc():
    return lenient_json(export_text())[0]


def place(code, as_="zhihui"):
    r = get("/api/v1/places/" + code, as_=as_)
    assert r.status == 200, r
    return lenient_json(r.text)[0]


def features_by_code(fc):
    return {f["properties"]["code"]: f for f in fc["features"]}


def outer_ring(feature):
    g = feature["geometry"]
    assert g["type"] == "Polygon", g
    return g["coordinates"][0]


def centroid(feature):
    """Mean of the ring's distinct vertices: inside a convex quad (the grids)."""
    ring = outer_ring(feature)[:-1]
    return (sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring))


def bbox_of(feature):
    ring = outer_ring(feature)
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    return min(xs), min(ys), max(xs), max(ys)


def haversine_m(lon1, lat1, lon2, lat2):
    r = 6371008.8
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(min(1.0, h)))


def convert(frm, to, lon, lat):
    """`chuishao geo convert` (7 decimals)."""
    rc, out, err = run_cli("geo", "convert", "--from", frm, "--to", to, repr(lon), repr(lat))
    assert rc == 0 and not sanitizer_lines(err), (rc, out, err)
    x, y = out.split()
    return float(x), float(y)


def do_import(body=None, query="", as_="admin", raw=None):
    if raw is None:
        raw = json.dumps(body, ensure_ascii=False).encode("utf-8")
    return call("POST", "/api/v1/places/import" + query, as_=as_, raw=raw)


# ---- module fixture: demo database + real server -------------------------------------

def setUpModule():
    fixture.start_server(G, BIN, "chuishao-places-")
    for name, j in fixture.sign_in(call, USERS, PASSWORD).items():
        G.tok[name] = j["token"]
        G.uid[name] = j["user"]["id"]
    G.fc = export_fc()
    G.feat = features_by_code(G.fc)
    for code in (SUBDISTRICT, GRID_A, GRID_A2, GRID_B, GRID_TEAM):
        if code not in G.feat:
            raise RuntimeError("the demo boundary set has no place %s" % code)


def tearDownModule():
    fixture.stop_server(G)


# ---- shared assertions ----------------------------------------------------------------

class Base(fixture.ApiCase):
    def assertHealthy(self):
        h = call("GET", "/api/v1/health")
        self.assertEqual(h.status, 200, h)
        self.assertTrue(h.json["ok"], h)

    @contextlib.contextmanager
    def tree_unchanged(self):
        """Proves that the stored place tree did not change and the server answers."""
        before = export_text()
        yield
        self.assertEqual(export_text(), before, "a refused or dry-run import changed the places")
        self.assertHealthy()

    def assertReport(self, r, status, kind, code, other=None):
        """An import report with a finding of this kind about this code."""
        self.assertEqual(r.status, status, r)
        j = r.json
        self.assertIsInstance(j, dict, r)
        for k in ("places", "stored", "problems", "issues"):
            self.assertIn(k, j, r)
        self.assertIs(j["stored"], False, r)
        self.assertGreaterEqual(j["problems"], 1, r)
        self.assertEqual(j["error"]["code"], "invalid", r)
        self.assertEqual(j["error"]["status"], 400, r)
        found = [x for x in j["issues"] if x["kind"] == kind and x["code"] == code and
                 (other is None or x.get("other") == other)]
        self.assertTrue(found, "no %s finding about %s%s in %r" % (
            kind, code, "" if other is None else " / " + other, j["issues"][:8]))
        for x in j["issues"]:
            self.assertIsInstance(x["detail"], str)
            self.assertTrue(x["detail"], x)
        return j

    def create_at(self, lon, lat, as_="zhihui", **kw):
        c = self.assertOk(new_case(as_=as_, lat=lat, lon=lon, **kw), 201)
        return c


# ---- 1. listing and export ------------------------------------------------------------

class T01List(Base):
    def test_list_json(self):
        j = self.assertOk(get("/api/v1/places"))
        items = j["items"]
        self.assertEqual(len(items), N_PLACES)
        for p in items:
            for k in ("code", "kind", "parent", "name"):
                self.assertIsInstance(p[k], str, p)
            self.assertNotIn("geometry", p)
        codes = [p["code"] for p in items]
        self.assertEqual(codes, sorted(codes), "places are listed by code")
        kinds = {}
        for p in items:
            kinds[p["kind"]] = kinds.get(p["kind"], 0) + 1
        self.assertEqual(kinds, {"subdistrict": 1, "community": 10, "grid": 240, "compound": 2,
                                 "building": 6})
        by = {p["code"]: p for p in items}
        self.assertEqual(by[SUBDISTRICT]["parent"], "")
        self.assertEqual(by[SUBDISTRICT]["name"], "六甲街道")
        self.assertEqual(by["530111008002"]["name"], "福保社区")
        self.assertEqual(by[GRID_A]["parent"], "530111008002")
        # every grid is a community + 2 digits, ~56,000 m2
        for p in items:
            if p["kind"] == "grid":
                self.assertRegex(p["code"], r"^530111008\d{5}$")
                self.assertEqual(p["parent"], p["code"][:12])
                self.assertTrue(10000 <= p["area_m2"] <= 100000, p)
        # residents may read the tree too
        self.assertEqual(len(self.assertOk(get("/api/v1/places", as_="jumin1"))["items"]), N_PLACES)
        self.assertErr(call("GET", "/api/v1/places"), 401, "unauthorized")

    def test_kind_filter(self):
        items = self.assertOk(get("/api/v1/places?kind=grid"))["items"]
        self.assertEqual(len(items), 240)
        self.assertEqual({p["kind"] for p in items}, {"grid"})
        items = self.assertOk(get("/api/v1/places?kind=community"))["items"]
        self.assertEqual([p["code"] for p in items], COMMUNITIES)
        items = self.assertOk(get("/api/v1/places?kind=subdistrict"))["items"]
        self.assertEqual([p["code"] for p in items], [SUBDISTRICT])
        self.assertEqual(self.assertOk(get("/api/v1/places?kind=household"))["items"], [])
        self.assertErr(get("/api/v1/places?kind=village"), 400, "invalid", field="kind")

    def test_parent_filter(self):
        items = self.assertOk(get("/api/v1/places?parent=530111008002"))["items"]
        self.assertEqual(len(items), 24)
        self.assertEqual({p["parent"] for p in items}, {"530111008002"})
        self.assertEqual({p["kind"] for p in items}, {"grid"})
        items = self.assertOk(get("/api/v1/places?parent=" + SUBDISTRICT))["items"]
        self.assertEqual([p["code"] for p in items], COMMUNITIES)
        items = self.assertOk(get("/api/v1/places?parent=530111008002&kind=community"))["items"]
        self.assertEqual(items, [])
        self.assertEqual(self.assertOk(get("/api/v1/places?parent=999"))["items"], [])
        self.assertErr(get("/api/v1/places?format=xml"), 400, "invalid", field="format")

    def test_geojson_content(self):
        r = get("/api/v1/places?format=geojson")
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.headers["Content-Type"].startswith("application/json"))
        fc, _ = lenient_json(r.text)  # see test_geojson_is_valid_json
        self.assertEqual(fc["type"], "FeatureCollection")
        self.assertEqual(len(fc["features"]), N_PLACES)
        codes = set()
        for f in fc["features"]:
            self.assertEqual(f["type"], "Feature")
            p = f["properties"]
            for k in ("kind", "code", "name", "parent"):
                self.assertIsInstance(p[k], str, p)
            codes.add(p["code"])
            g = f["geometry"]
            self.assertIn(g["type"], ("Polygon", "Point"), f)
            if g["type"] == "Polygon":
                ring = g["coordinates"][0]
                self.assertEqual(ring[0], ring[-1], "ring of %s is closed" % p["code"])
                for lon, lat in ring:
                    self.assertTrue(102.735 <= lon <= 102.775 and 24.935 <= lat <= 24.965,
                                    (p["code"], lon, lat))
        self.assertEqual(len(codes), N_PLACES)
        fc2, _ = lenient_json(get("/api/v1/places?format=geojson&kind=grid").text)
        self.assertEqual(len(fc2["features"]), 240)
        self.assertEqual({f["properties"]["kind"] for f in fc2["features"]}, {"grid"})
        # the lattice's outer vertices stay on the box
        x0, y0, x1, y1 = bbox_of(features_by_code(fc)[SUBDISTRICT])
        self.assertEqual((x0, y0, x1, y1), (102.735, 24.935, 102.775, 24.965))

    def test_geojson_is_valid_json(self):
        # BUG: GET /api/v1/places?format=geojson is not valid JSON: consecutive
        # features are not separated by commas ("...]]}}{\"type\":\"Feature\"...").
        # api_places.c place_jw appends the stored geometry text with buf_append
        # right after jw_key(w, "geometry"), so the writer's after_key flag stays
        # set and the next jw_obj (the next feature) skips its separator.
        # Expected: a valid GeoJSON FeatureCollection (`geo export` has the same
        # defect, and so `geo import` of an export fails with "not JSON").
        r = get("/api/v1/places?format=geojson")
        self.assertEqual(r.status, 200, r)
        try:
            fc = json.loads(r.text)
        except ValueError as e:
            at = e.pos if hasattr(e, "pos") else 0
            self.fail("GET /places?format=geojson is not valid JSON: %s near %r" % (
                e, r.text[max(0, at - 40):at + 40]))
        self.assertEqual(len(fc["features"]), N_PLACES)


# ---- 2. one place ----------------------------------------------------------------------

class T02PlaceGet(Base):
    def test_grid_detail(self):
        j = place(GRID_A)  # see test_place_get_is_valid_json
        p = j["place"]
        self.assertEqual(p["type"], "Feature")
        self.assertEqual(p["properties"]["code"], GRID_A)
        self.assertEqual(p["properties"]["kind"], "grid")
        self.assertEqual(p["properties"]["parent"], "530111008002")
        self.assertEqual(p["properties"]["name"], "福保社区第01网格")
        self.assertEqual(p["geometry"]["type"], "Polygon")
        self.assertEqual(p["geometry"], G.feat[GRID_A]["geometry"])
        self.assertEqual(len(j["names"]), 1, j["names"])
        self.assertEqual(j["names"][0]["name"], "福保社区第01网格")
        self.assertIsNotNone(j["names"][0]["from"])
        self.assertIsNone(j["names"][0]["to"])
        self.assertIn({"user": G.uid["wangge01"], "role": "leader"}, j["team"])
        self.assertNotIn(G.uid["wangge02"], [m["user"] for m in j["team"]])
        kids = j["children"]
        self.assertEqual([c["code"] for c in kids], [GRID_A + "-01"])
        self.assertEqual(kids[0]["kind"], "compound")
        self.assertEqual(kids[0]["name"], "福保文化城")
        self.assertEqual(kids[0]["parent"], GRID_A)
        # the compound's buildings
        b = place(GRID_A + "-01")
        self.assertEqual([c["code"] for c in b["children"]],
                         [GRID_A + "-01-01", GRID_A + "-01-02", GRID_A + "-01-03"])
        self.assertEqual(b["team"], [])
        wb = place(GRID_B)
        self.assertIn({"user": G.uid["wangge02"], "role": "leader"}, wb["team"])

    def test_community_and_root(self):
        j = place("530111008002")
        self.assertEqual(j["place"]["properties"]["kind"], "community")
        self.assertEqual(len(j["children"]), 24)
        self.assertEqual(j["team"], [])
        j = place(SUBDISTRICT)
        self.assertEqual([c["code"] for c in j["children"]], COMMUNITIES)
        self.assertEqual(j["place"]["properties"]["parent"], "")

    def test_unknown_place_404(self):
        self.assertErr(get("/api/v1/places/53011100899999"), 404, "not_found")
        self.assertErr(get("/api/v1/places/nosuch"), 404, "not_found")
        self.assertErr(call("GET", "/api/v1/places/" + GRID_A), 401, "unauthorized")

    def test_place_get_is_valid_json(self):
        # BUG: GET /api/v1/places/{code} of a place with a boundary is not valid
        # JSON: `"place":{...,"geometry":{...}}"names":[...]` lacks the comma
        # before "names" (same cause as T01 test_geojson_is_valid_json: the raw
        # geometry append in api_places.c place_jw leaves jw's after_key set).
        for code in (GRID_A, SUBDISTRICT):
            r = get("/api/v1/places/" + code)
            self.assertEqual(r.status, 200, r)
            self.assertIsNotNone(r.json, "GET /places/%s is not valid JSON: %s" % (
                code, r.text[:300]))


# ---- 3. locate ---------------------------------------------------------------------------

class T03Locate(Base):
    def locate(self, lon, lat, crs=None, as_="zhihui"):
        q = "lon=%r&lat=%r" % (lon, lat) + ("&crs=" + crs if crs else "")
        return self.assertOk(get("/api/v1/places/locate?" + q, as_=as_))

    def test_centroid_of_grid(self):
        lon, lat = centroid(G.feat[GRID_A])
        j = self.locate(lon, lat)
        self.assertEqual(j["grid"], GRID_A)
        self.assertEqual(j["community"], "530111008002")
        self.assertAlmostEqual(j["wgs84"][0], lon, places=9)
        self.assertAlmostEqual(j["wgs84"][1], lat, places=9)
        # every grid's centroid is in that grid
        for code in (GRID_A2, GRID_B, GRID_TEAM, "53011100801024", "53011100800113"):
            j = self.locate(*centroid(G.feat[code]), as_="jumin1")
            self.assertEqual((j["grid"], j["community"]), (code, code[:12]))

    def test_gcj02_and_bd09_input(self):
        lon, lat = centroid(G.feat[GRID_A])
        glon, glat = convert("wgs84", "gcj02", lon, lat)
        self.assertGreater(haversine_m(lon, lat, glon, glat), 100, "GCJ-02 shifts by ~300 m")
        j = self.locate(glon, glat, "gcj02")
        self.assertEqual(j["grid"], GRID_A)
        self.assertLess(haversine_m(lon, lat, j["wgs84"][0], j["wgs84"][1]), 0.5)
        blon, blat = convert("wgs84", "bd09", lon, lat)
        j = self.locate(blon, blat, "BD09")
        self.assertEqual(j["grid"], GRID_A)
        # the GCJ-02 numbers read as WGS-84 land elsewhere (a ~300 m shift)
        self.assertNotEqual(self.locate(glon, glat)["grid"], GRID_A)

    def test_outside_all_grids(self):
        j = self.locate(*OUTSIDE)
        self.assertIsNone(j["grid"])
        self.assertIsNone(j["community"])
        j = self.locate(120.0, 20.0)
        self.assertIsNone(j["grid"])

    def test_bad_locate(self):
        for q in ("lon=102.75", "lat=24.95", "", "lon=abc&lat=24.95", "lon=102.75&lat=x",
                  "lon=102.75&lat=95", "lon=181&lat=24.95", "lon=1e999&lat=24.95"):
            self.assertErr(get("/api/v1/places/locate?" + q), 400, "invalid")
        self.assertErr(get("/api/v1/places/locate?lon=102.75&lat=24.95&crs=mars"), 400,
                       "invalid", field="crs")
        self.assertHealthy()

    def test_empty_lon_or_lat_refused(self):
        # BUG: an empty lon or lat is read as 0: GET
        # /api/v1/places/locate?lon=102.75&lat= answers 200
        # {"wgs84":[102.75,0],"grid":null,"community":null} (api_places.c
        # api_places_locate: strtod("") consumes nothing, but only *end is
        # checked, which is already '\0'). Expected: 400 invalid, like lat=x.
        for q in ("lon=102.75&lat=", "lon=&lat=24.95", "lon=&lat="):
            self.assertErr(get("/api/v1/places/locate?" + q), 400, "invalid")


# ---- 4. cases with positions ---------------------------------------------------------------

class T04CasePosition(Base):
    def test_in_grid(self):
        lon, lat = centroid(G.feat[GRID_A])
        c = self.create_at(lon, lat)
        self.assertEqual(c["grid"], GRID_A)
        self.assertEqual(c["grid_status"], "in")
        self.assertAlmostEqual(c["lat"], lat, places=9)
        self.assertAlmostEqual(c["lon"], lon, places=9)
        got = case_of(c["id"])
        self.assertEqual((got["grid"], got["grid_status"]), (GRID_A, "in"))
        self.assertEqual(got["crs"], "wgs84")
        # the grid worker of the grid sees it; the other does not
        self.assertOk(get("/api/v1/cases/%d" % c["id"], as_="wangge01"))
        self.assertErr(get("/api/v1/cases/%d" % c["id"], as_="wangge02"), 404, "not_found")

    def test_gcj02_input_and_output(self):
        lon, lat = centroid(G.feat[GRID_A2])
        glon, glat = convert("wgs84", "gcj02", lon, lat)
        c = self.create_at(glon, glat, coord_sys="gcj02")
        self.assertEqual(c["grid"], GRID_A2)
        self.assertEqual(c["grid_status"], "in")
        got = case_of(c["id"])
        self.assertLess(abs(got["lat"] - lat), 1e-6, (got["lat"], lat))
        self.assertLess(abs(got["lon"] - lon), 1e-6, (got["lon"], lon))
        out = case_of(c["id"], query="?crs=gcj02")
        self.assertEqual(out["crs"], "gcj02")
        self.assertLess(abs(out["lat"] - glat), 1e-6, (out["lat"], glat))
        self.assertLess(abs(out["lon"] - glon), 1e-6, (out["lon"], glon))
        blon, blat = convert("wgs84", "bd09", lon, lat)
        out = case_of(c["id"], query="?crs=bd09")
        self.assertEqual(out["crs"], "bd09")
        self.assertLess(abs(out["lat"] - blat), 1e-6)
        self.assertLess(abs(out["lon"] - blon), 1e-6)
        # the same point given in BD-09
        c2 = self.create_at(blon, blat, coord_sys="bd09")
        self.assertEqual(c2["grid"], GRID_A2)
        got = case_of(c2["id"])
        self.assertLess(haversine_m(lon, lat, got["lon"], got["lat"]), 0.5)
        self.assertErr(get("/api/v1/cases/%d?crs=mars" % c["id"]), 400, "invalid", field="crs")

    def test_just_outside_kept_as_outside(self):
        c = self.create_at(*OUTSIDE)
        self.assertEqual(c["grid"], "")
        self.assertEqual(c["grid_status"], "outside")
        got = case_of(c["id"])
        self.assertEqual((got["grid"], got["grid_status"]), ("", "outside"))
        self.assertAlmostEqual(got["lon"], OUTSIDE[0], places=9)
        items = all_cases("&grid_status=outside")
        self.assertIn(c["id"], [x["id"] for x in items])
        self.assertEqual({x["grid_status"] for x in items}, {"outside"})
        # ~12.6 km east of the box is still within the 20 km margin
        c = self.create_at(102.90, 24.95)
        self.assertEqual((c["grid"], c["grid_status"]), ("", "outside"))

    def test_far_away_refused(self):
        before = len(all_cases())
        for lon, lat in ((120.0, 20.0), (102.75, 25.5), (102.75, 24.70), (103.0, 24.95)):
            self.assertErr(new_case(lat=lat, lon=lon), 400, "invalid", field="lat",
                           words=["far outside"])
        # also when the far point is given in GCJ-02
        self.assertErr(new_case(lat=25.5, lon=102.75, coord_sys="gcj02"), 400, "invalid",
                       field="lat")
        self.assertEqual(len(all_cases()), before)
        self.assertHealthy()

    def test_bad_positions(self):
        before = len(all_cases())
        self.assertErr(new_case(lat=24.95), 400, "invalid", field="lon")
        self.assertErr(new_case(lon=102.75), 400, "invalid", field="lat")
        self.assertErr(new_case(lat=95.0, lon=102.75), 400, "invalid", field="lat")
        self.assertErr(new_case(lat=24.95, lon=190.0), 400, "invalid", field="lon")
        self.assertErr(new_case(lat="24.95", lon=102.75), 400, "wrong_type", field="lat")
        self.assertErr(new_case(lat=24.95, lon=102.75, coord_sys="mars"), 400, "invalid",
                       field="coord_sys")
        self.assertEqual(len(all_cases()), before)

    def test_unknown_grid_with_outside_position(self):
        # BUG: with a position, the given grid code is never checked: POST
        # /api/v1/cases {"category":"20102","description":"x","lat":24.95,
        # "lon":102.78,"grid":"53011100899999"} answers 201 with
        # "grid":"53011100899999","grid_status":"outside" - a case stored in a
        # grid that does not exist (case.c locate() only checks the grid code
        # when there is no position, and fill_case copied it already).
        # Expected: 400 field grid, or the point's own grid ("" when outside).
        before = len(all_cases())
        r = new_case(lat=OUTSIDE[1], lon=OUTSIDE[0], grid="53011100899988")
        if r.status == 201:
            self.assertEqual((r.json["grid"], r.json["grid_status"]), ("", "outside"), r)
        else:
            self.assertErr(r, 400, "invalid", field="grid")
            self.assertEqual(len(all_cases()), before)

    def test_position_wins_over_grid(self):
        lon, lat = centroid(G.feat[GRID_A])
        c = self.assertOk(new_case(lat=lat, lon=lon, grid=GRID_B), 201)
        self.assertEqual((c["grid"], c["grid_status"]), (GRID_A, "in"))

    def test_grid_without_position(self):
        before = len(all_cases())
        self.assertErr(new_case(grid="53011100899999"), 400, "invalid", field="grid")
        self.assertErr(new_case(grid="530111008002"), 400, "invalid", field="grid")  # a community
        self.assertErr(new_case(grid=GRID_A + "-01"), 400, "invalid", field="grid")  # a compound
        self.assertEqual(len(all_cases()), before)
        c = self.assertOk(new_case(grid=GRID_B), 201)
        self.assertEqual(c["grid"], GRID_B)
        self.assertIsNone(c["lat"])
        self.assertIsNone(c["lon"])
        self.assertEqual(c["grid_status"], "")


# ---- 5. place filters of GET /cases -----------------------------------------------------------

class T05Search(Base):
    @classmethod
    def setUpClass(cls):
        cls.ids, cls.grid = {}, {}
        A, A2, B = (centroid(G.feat[c]) for c in (GRID_A, GRID_A2, GRID_B))
        # the centre of grid A, a point ~60 m north of it (same grid: cells are ~277 m
        # tall) and one ~150 m south-west-ish, plus cases in grids A2 and B
        pts = {"a": A, "a60": (A[0], A[1] + 60 / 110574.0),
               "a150": (A[0] - 100 / 101000.0, A[1] - 112 / 110574.0),
               "a2": A2, "b": B}
        cls.pts = pts
        for k, (lon, lat) in pts.items():
            r = new_case(lat=lat, lon=lon, description="检索测试 " + k)
            assert r.status == 201, r
            cls.ids[k] = r.json["id"]
            cls.grid[k] = r.json["grid"]
        r = new_case(lat=OUTSIDE[1], lon=OUTSIDE[0], description="检索测试 outside")
        assert r.status == 201, r
        cls.ids["out"] = r.json["id"]

    def ids_of(self, query, as_="zhihui"):
        j = self.assertOk(get("/api/v1/cases?limit=1000&" + query, as_=as_))
        self.assertEqual(j["count"], len(j["items"]))
        return j["items"]

    def test_grid_filter(self):
        self.assertEqual(self.grid["a"], GRID_A)
        self.assertEqual(self.grid["a60"], GRID_A)
        self.assertEqual(self.grid["a2"], GRID_A2)
        self.assertEqual(self.grid["b"], GRID_B)
        items = self.ids_of("grid=" + GRID_A)
        self.assertEqual({x["grid"] for x in items}, {GRID_A})
        got = {x["id"] for x in items}
        self.assertTrue({self.ids["a"], self.ids["a60"]} <= got)
        self.assertNotIn(self.ids["a2"], got)
        self.assertNotIn(self.ids["b"], got)
        # completeness: every case of the grid in the full list is there
        full = {x["id"] for x in all_cases() if x["grid"] == GRID_A}
        self.assertEqual(got, full)
        self.assertEqual(self.ids_of("grid=53011100899999"), [])

    def test_community_filter(self):
        items = self.ids_of("community=530111008002")
        self.assertTrue(all(x["grid"].startswith("530111008002") for x in items),
                        [x["grid"] for x in items])
        got = {x["id"] for x in items}
        self.assertTrue({self.ids["a"], self.ids["a60"], self.ids["a2"]} <= got)
        self.assertNotIn(self.ids["b"], got)
        self.assertNotIn(self.ids["out"], got)
        full = {x["id"] for x in all_cases() if x["grid"].startswith("530111008002")}
        self.assertEqual(got, full)

    def test_bbox_filter(self):
        x0, y0, x1, y1 = bbox_of(G.feat[GRID_A])
        items = self.ids_of("bbox=%r,%r,%r,%r" % (x0, y0, x1, y1))
        for x in items:
            self.assertTrue(x0 <= x["lon"] <= x1 and y0 <= x["lat"] <= y1, x)
        got = {x["id"] for x in items}
        self.assertTrue({self.ids["a"], self.ids["a60"]} <= got)
        self.assertNotIn(self.ids["b"], got)
        self.assertNotIn(self.ids["a2"], got)
        full = {x["id"] for x in all_cases()
                if x["lon"] is not None and x0 <= x["lon"] <= x1 and y0 <= x["lat"] <= y1}
        self.assertEqual(got, full)
        # the same box in GCJ-02 (crs=) finds the same cases near its middle, and
        # the answer's coordinates are GCJ-02
        gx0, gy0 = convert("wgs84", "gcj02", x0, y0)
        gx1, gy1 = convert("wgs84", "gcj02", x1, y1)
        g = self.ids_of("crs=gcj02&bbox=%r,%r,%r,%r" % (gx0, gy0, gx1, gy1))
        self.assertIn(self.ids["a"], {x["id"] for x in g})
        ga = [x for x in g if x["id"] == self.ids["a"]][0]
        self.assertEqual(ga["crs"], "gcj02")
        glon, glat = convert("wgs84", "gcj02", *self.pts["a"])
        self.assertLess(abs(ga["lon"] - glon), 1e-6)
        self.assertLess(abs(ga["lat"] - glat), 1e-6)

    def test_near_filter(self):
        lon, lat = self.pts["a"]
        items = self.ids_of("near=%r,%r&radius=100" % (lon, lat))
        for x in items:
            self.assertLessEqual(haversine_m(lon, lat, x["lon"], x["lat"]), 100.01, x)
        got = {x["id"] for x in items}
        self.assertIn(self.ids["a"], got)
        self.assertIn(self.ids["a60"], got)
        self.assertNotIn(self.ids["a150"], got)
        self.assertNotIn(self.ids["b"], got)
        full = {x["id"] for x in all_cases()
                if x["lon"] is not None and haversine_m(lon, lat, x["lon"], x["lat"]) <= 99.99}
        self.assertTrue(full <= got, full - got)
        # a larger circle takes the 150 m point in
        got = {x["id"] for x in self.ids_of("near=%r,%r&radius=200" % (lon, lat))}
        self.assertIn(self.ids["a150"], got)
        # the default radius (500 m) and a GCJ-02 centre
        glon, glat = convert("wgs84", "gcj02", lon, lat)
        got = {x["id"] for x in self.ids_of("crs=gcj02&near=%r,%r&radius=100" % (glon, glat))}
        self.assertIn(self.ids["a"], got)
        self.assertNotIn(self.ids["a150"], got)

    def test_bad_filters(self):
        for q in ("radius=0", "radius=abc", "radius=60000", "radius=-5", "radius=50001"):
            self.assertErr(get("/api/v1/cases?near=102.75,24.95&" + q), 400, "invalid",
                           field="radius")
        for q in ("near=102.75", "near=a,b", "near=102.75,24.95,1", "near=102.75,95"):
            self.assertErr(get("/api/v1/cases?" + q), 400, "invalid", field="near")
        for q in ("bbox=1,2,3", "bbox=a,b,c,d", "bbox=102.74,24.94,102.76,24.96,1",
                  "bbox=102.76,24.94,102.74,24.96", "bbox=102.74,24.96,102.76,24.94",
                  "bbox=102.74,24.94,102.76,95", "bbox=", "bbox=,,,"):
            self.assertErr(get("/api/v1/cases?" + q), 400, "invalid", field="bbox")
        self.assertErr(get("/api/v1/cases?crs=mars"), 400, "invalid", field="crs")
        self.assertErr(get("/api/v1/cases?crs=mars&bbox=102.74,24.94,102.76,24.96"), 400,
                       "invalid", field="crs")
        self.assertHealthy()

    def test_grid_worker_sees_only_own_grid(self):
        items = self.ids_of("", as_="wangge01")
        got = {x["id"] for x in items}
        self.assertIn(self.ids["a"], got)
        self.assertNotIn(self.ids["b"], got)
        self.assertNotIn(self.ids["a2"], got)


# ---- 6. grid teams and the default verifier ----------------------------------------------------

class T06Team(Base):
    def team(self, code):
        return place(code)["team"]

    def test_add_list_remove(self):
        pcs = G.uid["pcs"]
        r = post("/api/v1/places/%s/team" % GRID_TEAM, {"user": pcs, "role": "police"},
                 as_="admin")
        self.assertEqual(r.status, 200, r)
        j, _ = lenient_json(r.text)
        self.assertIn({"user": pcs, "role": "police"}, j["team"])
        self.assertIn({"user": pcs, "role": "police"}, self.team(GRID_TEAM))
        # adding again is harmless
        r = post("/api/v1/places/%s/team" % GRID_TEAM, {"user": pcs, "role": "police"},
                 as_="admin")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.team(GRID_TEAM).count({"user": pcs, "role": "police"}), 1)
        # a second role for the same user
        self.assertEqual(post("/api/v1/places/%s/team" % GRID_TEAM,
                              {"user": pcs, "role": "volunteer"}, as_="admin").status, 200)
        self.assertIn({"user": pcs, "role": "volunteer"}, self.team(GRID_TEAM))
        r = post("/api/v1/places/%s/team" % GRID_TEAM,
                 {"user": pcs, "role": "police", "remove": True}, as_="admin")
        self.assertEqual(r.status, 200, r)
        t = self.team(GRID_TEAM)
        self.assertNotIn({"user": pcs, "role": "police"}, t)
        self.assertIn({"user": pcs, "role": "volunteer"}, t)
        post("/api/v1/places/%s/team" % GRID_TEAM, {"user": pcs, "role": "volunteer",
                                                     "remove": True}, as_="admin")
        self.assertEqual(self.team(GRID_TEAM), [])

    def test_bad_team_requests(self):
        pcs = G.uid["pcs"]
        before = self.team(GRID_TEAM)
        p = "/api/v1/places/%s/team" % GRID_TEAM
        self.assertErr(post(p, {"user": pcs, "role": "astronaut"}, as_="admin"), 400, "invalid",
                       field="role")
        self.assertErr(post(p, {"user": 999999, "role": "police"}, as_="admin"), 400, "invalid",
                       field="user")
        self.assertErr(post(p, {"role": "police"}, as_="admin"), 400, "invalid", field="user")
        self.assertErr(post(p, {"user": pcs}, as_="admin"), 400, "invalid", field="role")
        self.assertErr(post(p, {"user": "x", "role": "police"}, as_="admin"), 400, "wrong_type",
                       field="user")
        self.assertErr(post("/api/v1/places/53011100899999/team", {"user": pcs, "role": "police"},
                            as_="admin"), 404, "not_found")
        # a community is not a grid
        self.assertErr(post("/api/v1/places/530111008002/team", {"user": pcs, "role": "police"},
                            as_="admin"), 404, "not_found")
        for who in ("zhihui", "wangge01", "jumin1"):
            self.assertErr(post(p, {"user": pcs, "role": "police"}, as_=who), 403, "forbidden")
        self.assertEqual(self.team(GRID_TEAM), before)
        self.assertHealthy()

    def test_send_verify_defaults_to_team_leader(self):
        c = self.create_at(*centroid(G.feat[GRID_A]))
        self.assertEqual(c["grid"], GRID_A)
        self.assertIsNone(c["verifier_id"])
        r = act(c["id"], "send_verify")
        j = self.assertOk(r)
        self.assertEqual(j["state"], "verifying")
        self.assertEqual(j["verifier_id"], G.uid["wangge01"])
        self.assertEqual(case_of(c["id"])["verifier_id"], G.uid["wangge01"])
        self.assertOk(get("/api/v1/cases/%d" % c["id"], as_="wangge01"))
        # and in wangge02's grid, wangge02
        c = self.create_at(*centroid(G.feat[GRID_B]))
        self.assertEqual(self.assertOk(act(c["id"], "send_verify"))["verifier_id"],
                         G.uid["wangge02"])


# ---- 7. refused imports ------------------------------------------------------------------------

def _fc():
    return copy.deepcopy(G.fc)


def _feature(fc, code):
    for f in fc["features"]:
        if f["properties"]["code"] == code:
            return f
    raise KeyError(code)


LEAF_GRID = "53011100800105"  # a grid without compounds, inside community 530111008001


class T07BadImport(Base):
    def bad(self, query="", **kw):
        """Posts a refused import inside tree_unchanged; returns the response."""
        with self.tree_unchanged():
            r = do_import(query=query, **kw)
        return r

    def test_not_json(self):
        r = self.bad(raw=b'{"type": "FeatureCollection", "features": [')
        self.assertErr(r, 400, "invalid", words=["json"])
        r = self.bad(raw=b"")
        self.assertErr(r, 400, "invalid")
        r = self.bad(raw=b"\xff\xfe garbage")
        self.assertEqual(r.status, 400, r)

    def test_not_a_feature_collection(self):
        self.assertErr(self.bad(body=G.feat[GRID_A]), 400, "invalid", field="type")
        self.assertErr(self.bad(body={"type": "FeatureCollection"}), 400, "invalid", field="type")
        self.assertErr(self.bad(body={"type": "FeatureCollection", "features": {}}), 400,
                       "invalid", field="type")
        self.assertErr(self.bad(body=[1, 2]), 400, "invalid", field="type")
        self.assertErr(self.bad(body={"type": "FeatureCollection", "features": []}), 400,
                       "invalid")

    def test_feature_without_code(self):
        fc = _fc()
        del _feature(fc, LEAF_GRID)["properties"]["code"]
        self.assertErr(self.bad(body=fc), 400, "invalid", field="features")
        fc = _fc()
        _feature(fc, LEAF_GRID)["properties"]["code"] = 530111008001
        self.assertErr(self.bad(body=fc), 400, "invalid", field="features")
        fc = _fc()
        _feature(fc, LEAF_GRID)["geometry"] = "POLYGON((0 0))"
        self.assertErr(self.bad(body=fc), 400, "invalid", field="features")

    def test_duplicate_code(self):
        fc = _fc()
        fc["features"].append(copy.deepcopy(_feature(fc, LEAF_GRID)))
        j = self.assertReport(self.bad(body=fc), 400, "duplicate", LEAF_GRID)
        self.assertEqual(j["places"], N_PLACES + 1)

    def test_unknown_kind(self):
        fc = _fc()
        _feature(fc, LEAF_GRID)["properties"]["kind"] = "village"
        self.assertReport(self.bad(body=fc), 400, "kind", LEAF_GRID)

    def test_grid_with_missing_parent(self):
        fc = _fc()
        f = copy.deepcopy(_feature(fc, LEAF_GRID))
        f["properties"].update(code="53011100809901", parent="530111008099")
        fc["features"].append(f)
        self.assertReport(self.bad(body=fc), 400, "parent", "53011100809901")
        # a grid directly under the subdistrict
        fc = _fc()
        _feature(fc, LEAF_GRID)["properties"]["parent"] = SUBDISTRICT
        self.assertReport(self.bad(body=fc), 400, "parent", LEAF_GRID)

    def test_grid_code_not_community_plus_two_digits(self):
        for code in ("5301110080019X", "530111008001051", "53011100800205x", "5301110080011"):
            fc = _fc()
            _feature(fc, LEAF_GRID)["properties"]["code"] = code
            self.assertReport(self.bad(body=fc), 400, "code", code)
        # a grid code of another community
        fc = _fc()
        _feature(fc, LEAF_GRID)["properties"]["code"] = "53011100800399"
        self.assertReport(self.bad(body=fc), 400, "code", "53011100800399")

    def test_unclosed_ring(self):
        fc = _fc()
        outer_ring(_feature(fc, LEAF_GRID)).pop()
        j = self.assertReport(self.bad(body=fc), 400, "geometry", LEAF_GRID)
        self.assertTrue(any("closed" in x["detail"] for x in j["issues"]), j["issues"])

    def test_bow_tie_is_invalid(self):
        fc = _fc()
        ring = outer_ring(_feature(fc, LEAF_GRID))
        a, b, c, d = ring[:4]
        ring[:] = [a, c, b, d, a]  # self-intersecting
        j = self.assertReport(self.bad(body=fc), 400, "invalid", LEAF_GRID)
        x = [x for x in j["issues"] if x["kind"] == "invalid"][0]
        self.assertIn("at", x)

    def test_overlapping_grids(self):
        fc = _fc()
        other = "53011100800106"
        _feature(fc, other)["geometry"] = copy.deepcopy(_feature(fc, LEAF_GRID)["geometry"])
        self.assertReport(self.bad(body=fc), 400, "overlap", LEAF_GRID, other=other)

    def test_grid_outside_its_community(self):
        # grid 01 of community 001 is the north-west corner cell: push its west
        # edge (lon 102.735, on the subdistrict's box) 0.001 degree further west
        # by adding a 0.001 degree wide strip west of its west edge (its other
        # edges, shared with its neighbours, stay exactly as they are)
        code = "53011100800101"
        fc = _fc()
        ring = outer_ring(_feature(fc, code))
        west = [i for i, p in enumerate(ring[:-1]) if p[0] == 102.735]
        self.assertEqual(len(west), 2, ring)
        # the ring runs counter-clockwise: ..., north-west corner, south-west corner
        nw, sw = ring[west[1]], ring[west[0]]
        self.assertGreater(nw[1], sw[1])
        ring[-1:] = [[102.734, nw[1]], [102.734, sw[1]], ring[0]]
        self.assertEqual(ring[0], ring[-1])
        j = self.assertReport(self.bad(body=fc), 400, "outside", code, other="530111008001")
        self.assertEqual({x["kind"] for x in j["issues"]}, {"outside"}, j["issues"])

    def test_community_with_gap(self):
        fc = _fc()
        fc["features"].remove(_feature(fc, LEAF_GRID))
        j = self.assertReport(self.bad(body=fc), 400, "gap", "530111008001")
        self.assertEqual({x["kind"] for x in j["issues"]}, {"gap"}, j["issues"])

    def test_coordinates_out_of_range(self):
        fc = _fc()
        ring = outer_ring(_feature(fc, LEAF_GRID))
        ring[1][1] = 95.0
        j = self.assertReport(self.bad(body=fc), 400, "geometry", LEAF_GRID)
        self.assertTrue(any("95" in x["detail"] for x in j["issues"]), j["issues"])
        fc = _fc()
        outer_ring(_feature(fc, LEAF_GRID))[2][0] = 200.0
        self.assertReport(self.bad(body=fc), 400, "geometry", LEAF_GRID)

    def test_unknown_epsg(self):
        j = self.assertReport(self.bad(body=G.fc, query="?epsg=999999"), 400, "geometry",
                              SUBDISTRICT)
        self.assertTrue(any("999999" in x["detail"] for x in j["issues"]), j["issues"][:3])
        self.assertErr(self.bad(body=G.fc, query="?epsg=abc"), 400, "invalid", field="epsg")

    def test_epsg_out_of_int_range(self):
        # Regression: ?epsg= was read as an int64 and cast to int, so
        # 2^32 + 4543 was taken for EPSG:4543. Codes outside 0..999999 are now
        # refused up front (400, field epsg), negative ones too.
        sq = [[575000.0, 2760000.0], [576000.0, 2760000.0], [576000.0, 2761000.0],
              [575000.0, 2761000.0], [575000.0, 2760000.0]]
        fc = {"type": "FeatureCollection", "features": [{
            "type": "Feature", "geometry": {"type": "Polygon", "coordinates": [sq]},
            "properties": {"kind": "subdistrict", "code": "530111009", "name": "测试街道"}}]}
        self.assertOk(self.bad(body=fc, query="?epsg=4543&dry_run=1"))  # the control
        r = self.bad(body=fc, query="?epsg=-4543&dry_run=1")
        self.assertEqual(r.status, 400, r)
        r = self.bad(body=fc, query="?epsg=%d&dry_run=1" % (2 ** 32 + 4543))
        self.assertEqual(r.status, 400, r)

    def test_bad_name(self):
        fc = _fc()
        _feature(fc, LEAF_GRID)["properties"]["name"] = ""
        self.assertReport(self.bad(body=fc), 400, "name", LEAF_GRID)
        fc = _fc()
        _feature(fc, LEAF_GRID)["properties"]["name"] = "网" * 61
        self.assertReport(self.bad(body=fc), 400, "name", LEAF_GRID)

    def test_non_admin_403(self):
        for who in ("zhihui", "lingdao", "wangge01", "jumin1"):
            self.assertErr(self.bad(body=G.fc, as_=who), 403, "forbidden")
        with self.tree_unchanged():
            r = call("POST", "/api/v1/places/import", raw=json.dumps(G.fc).encode())
        self.assertErr(r, 401, "unauthorized")

    def test_dry_run_clean_set(self):
        fc = _fc()
        _feature(fc, "530111008004")["properties"]["name"] = "陈家社区（试算）"
        with self.tree_unchanged():
            r = do_import(body=fc, query="?dry_run=1")
        j = self.assertOk(r)
        self.assertEqual(j["places"], N_PLACES)
        self.assertIs(j["stored"], False)
        self.assertEqual(j["problems"], 0)
        self.assertEqual(j["issues"], [])
        self.assertNotIn("error", j)
        n = place("530111008004")["names"]
        self.assertEqual([x["name"] for x in n], ["陈家社区"])
        self.assertErr(self.bad(body=fc, query="?dry_run=yes"), 400, "invalid", field="dry_run")


# ---- 8. import round trip -------------------------------------------------------------------

class T08Import(Base):
    def test_1_round_trip(self):
        text = export_text()
        fc, strict = lenient_json(text)
        # (posted as JSON text: the export itself is not valid JSON, see T01)
        body = text.encode("utf-8") if strict else json.dumps(fc, ensure_ascii=False).encode()
        before_list = self.assertOk(get("/api/v1/places"))["items"]
        r = do_import(raw=body)
        j = self.assertOk(r)
        self.assertEqual(j["places"], N_PLACES)
        self.assertIs(j["stored"], True)
        self.assertEqual(j["problems"], 0)
        self.assertEqual(j["issues"], [])
        self.assertEqual(export_text(), text, "places changed by a round trip")
        self.assertEqual(self.assertOk(get("/api/v1/places"))["items"], before_list)
        # teams are kept, the index still answers
        self.assertIn({"user": G.uid["wangge01"], "role": "leader"}, place(GRID_A)["team"])
        lon, lat = centroid(G.feat[GRID_A])
        j = self.assertOk(get("/api/v1/places/locate?lon=%r&lat=%r" % (lon, lat)))
        self.assertEqual(j["grid"], GRID_A)
        self.assertEqual(len(place(GRID_A)["names"]), 1)
        self.assertHealthy()

    def test_2_rename_keeps_history(self):
        code = "530111008003"
        fc = export_fc()
        _feature(fc, code)["properties"]["name"] = "海华社区（新）"
        time.sleep(1.1)  # valid_from has one-second resolution
        j = self.assertOk(do_import(body=fc))
        self.assertIs(j["stored"], True)
        p = place(code)
        self.assertEqual(p["place"]["properties"]["name"], "海华社区（新）")
        names = p["names"]
        self.assertEqual([x["name"] for x in names], ["海华社区", "海华社区（新）"], names)
        self.assertIsNotNone(names[0]["to"])
        self.assertIsNone(names[1]["to"])
        self.assertEqual(names[0]["to"], names[1]["from"])
        # others keep one name
        self.assertEqual(len(place("530111008002")["names"]), 1)
        # the list shows the new name
        items = self.assertOk(get("/api/v1/places?kind=community"))["items"]
        self.assertIn("海华社区（新）", [x["name"] for x in items])

    def test_4_locate_and_report_during_imports(self):
        # the grid index is swapped under readers: every answer sees a whole index
        text = export_text()
        fc, _ = lenient_json(text)
        body = json.dumps(fc, ensure_ascii=False).encode()
        lon, lat = centroid(G.feat[GRID_B])
        bad, lock, stop = [], threading.Lock(), threading.Event()

        def reader(k):
            i = 0
            while not stop.is_set() or i < 5:
                if k % 2:
                    r = get("/api/v1/places/locate?lon=%r&lat=%r" % (lon, lat))
                    ok = r.status == 200 and r.json["grid"] == GRID_B
                else:
                    r = new_case(lat=lat, lon=lon, description="并发定位 %d-%d" % (k, i))
                    ok = r.status == 201 and r.json["grid"] == GRID_B
                if not ok:
                    with lock:
                        bad.append(r)
                i += 1

        threads = [threading.Thread(target=reader, args=(k,)) for k in range(4)]
        for t in threads:
            t.start()
        try:
            for _ in range(3):
                r = do_import(raw=body)
                self.assertEqual(r.status, 200, r)
        finally:
            stop.set()
            for t in threads:
                t.join()
        self.assertEqual(bad, [])
        self.assertEqual(export_text(), text)
        self.assertHealthy()

    def test_3_areas_only_set_is_clean(self):
        # compounds and buildings are optional: the areas alone are a clean set
        # (dry run: the stored tree keeps its 259 places)
        fc = export_fc()
        fc["features"] = [f for f in fc["features"]
                          if f["properties"]["kind"] in ("subdistrict", "community", "grid")]
        j = self.assertOk(do_import(body=fc, query="?dry_run=1"))
        self.assertEqual((j["places"], j["stored"], j["problems"]), (251, False, 0))
        self.assertEqual(len(self.assertOk(get("/api/v1/places"))["items"]), N_PLACES)


# ---- 98. a projected set (replaces the tree: runs last) --------------------------------------

class T98Projected(Base):
    def test_epsg_4543_import(self):
        # CGCS2000 / 3-degree Gauss-Kruger CM 102E (false easting 500 km): easting
        # 575,000 m is ~75 km east of 102E, northing 2,760,000 m ~ 24.93N.
        E0, N0, E1, N1, EM = 575000.0, 2760000.0, 576000.0, 2761000.0, 575500.0

        def square(x0, y0, x1, y1):
            # the vertices at easting EM are on every ring that has that easting
            # inside its span, so the pieces share exact vertices after
            # reprojection (a straight line in metres is not one in degrees)
            south = [[x0, y0]] + ([[EM, y0]] if x0 < EM < x1 else []) + [[x1, y0]]
            north = [[x1, y1]] + ([[EM, y1]] if x0 < EM < x1 else []) + [[x0, y1]]
            return {"type": "Polygon", "coordinates": [south + north + [[x0, y0]]]}

        def feat(kind, code, name, parent, geom):
            return {"type": "Feature", "geometry": geom,
                    "properties": {"kind": kind, "code": code, "name": name, "parent": parent}}

        fc = {"type": "FeatureCollection", "features": [
            feat("subdistrict", "530111009", "测试街道", "", square(E0, N0, E1, N1)),
            feat("community", "530111009001", "测试社区", "530111009", square(E0, N0, E1, N1)),
            feat("grid", "53011100900101", "测试第01网格", "530111009001",
                 square(E0, N0, EM, N1)),
            feat("grid", "53011100900102", "测试第02网格", "530111009001",
                 square(EM, N0, E1, N1)),
        ]}
        # as lon/lat these numbers are out of range
        with self.tree_unchanged():
            self.assertReport(do_import(body=fc), 400, "geometry", "530111009")
        j = self.assertOk(do_import(body=fc, query="?epsg=4543"))
        self.assertEqual((j["places"], j["stored"], j["problems"]), (4, True, 0))
        out = export_fc()
        self.assertEqual(len(out["features"]), 4)
        by = features_by_code(out)
        for code, f in by.items():
            x0, y0, x1, y1 = bbox_of(f)
            for lon in (x0, x1):
                self.assertLess(abs(lon - 102.75), 0.1, (code, x0, y0, x1, y1))
            for lat in (y0, y1):
                self.assertLess(abs(lat - 24.9), 0.1, (code, x0, y0, x1, y1))
        # a 1 km square, roughly 1e6 m2
        items = {p["code"]: p for p in self.assertOk(get("/api/v1/places"))["items"]}
        self.assertLess(abs(items["530111009001"]["area_m2"] - 1e6), 2e4, items)
        self.assertLess(abs(items["53011100900101"]["area_m2"] - 5e5), 1e4, items)
        # the west half is grid 01, the east half grid 02
        lon, lat = centroid(by["53011100900101"])
        j = self.assertOk(get("/api/v1/places/locate?lon=%r&lat=%r" % (lon, lat)))
        self.assertEqual((j["grid"], j["community"]), ("53011100900101", "530111009001"))
        lon, lat = centroid(by["53011100900102"])
        c = self.create_at(lon, lat)
        self.assertEqual((c["grid"], c["grid_status"]), ("53011100900102", "in"))
        # the old grids are gone
        self.assertErr(get("/api/v1/places/" + GRID_A), 404, "not_found")
        self.assertHealthy()


# ---- last: the server is still fine, the log still replays ---------------------------------

class T97PartFails(Base):
    def test_place_with_an_unreadable_part_is_an_error_not_200(self):
        """A place's team cannot be read: the answer is 500, not the place
        without its team (it used to be 200 with the part missing)."""
        import sqlite3
        db = sqlite3.connect(G.db, timeout=10)
        db.execute("ALTER TABLE grid_members RENAME TO grid_members_away")
        db.commit()
        time.sleep(0.3)  # another process's commit is seen within ~0.1 s
        try:
            r = get("/api/v1/places/%s" % GRID_TEAM)
            self.assertErr(r, 500, "store_error")
        finally:
            db.execute("ALTER TABLE grid_members_away RENAME TO grid_members")
            db.commit()
            db.close()
        time.sleep(0.3)
        self.assertEqual(get("/api/v1/places/%s" % GRID_TEAM).status, 200)


class T99ReplayCheck(Base):
    def test_replay_check_at_end(self):
        rc, out, err = run_cli("case", "replay-check", "--db", G.db)
        self.assertEqual(rc, 0, out + err)
        self.assertFalse(sanitizer_lines(err), err)
        self.assertHealthy()


# ---- runner ------------------------------------------------------------------------------

def main():
    fixture.main(sys.modules[__name__], _ARGV)


if __name__ == "__main__":
    main()
