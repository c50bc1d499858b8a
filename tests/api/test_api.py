#!/usr/bin/env python3
"""
tests/api/test_api.py - black-box tests of the chuishao JSON API over real HTTP.

Usage:  python3 tests/api/test_api.py --bin build/asan/chuishao [unittest names...]

Python 3 standard library only. setUpModule creates a demo database in a temp
dir, starts the REAL server (`chuishao serve`) on a free loopback port and
signs in every demo user; tearDownModule stops it with SIGTERM and fails the
suite unless it exits 0 with no AddressSanitizer / UBSan report on stderr.

The last line printed is "N passed, M failed"; the exit code is non-zero on
any failure. Tests marked "BUG:" document defects in src/ (they are meant to
fail until src/ is fixed; see the comment at each).
"""
import contextlib
import datetime
import json
import os
import sys
import threading
import time
import unittest
import urllib.parse


sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fixture  # noqa: E402  (tests/api/fixture.py: the shared module fixture)

BIN, _ARGV = fixture.take_bin(sys.argv)
PASSWORD = "liujia2020"
USERS = {  # username -> role (src/demo/demo.c)
    "admin": "admin", "zhihui": "dispatcher", "lingdao": "leader",
    "cgzf": "handler", "hws": "handler", "szgl": "handler", "scjg": "handler",
    "hzb": "handler", "swgs": "handler", "lm04": "handler", "pcs": "handler",
    "wangge01": "grid", "wangge02": "grid", "jumin1": "resident", "jumin2": "resident",
}


class G(fixture.ServerState):
    """Module state shared by the tests."""
    tok = {}         # username -> session token
    login = {}       # username -> login response
    uid = {}         # username -> user id
    unit = {}        # unit code -> unit id


# ---- HTTP ----------------------------------------------------------------------------

Resp = fixture.Resp


def call(method, path, body=None, as_=None, token=None, apikey=None, raw=None, timeout=30):
    """One request. as_: a demo username (its session token); token: a raw bearer;
    apikey: sent as X-Api-Key; raw: body bytes sent as they are."""
    data = raw if raw is not None else (
        json.dumps(body, ensure_ascii=False).encode("utf-8") if body is not None else None)
    headers = []
    if data is not None:
        headers.append(("Content-Type", "application/json"))
    if as_ is not None:
        token = G.tok[as_]
    if token is not None:
        headers.append(("Authorization", "Bearer " + token))
    if apikey is not None:
        headers.append(("X-Api-Key", apikey))
    return fixture.request(G.base, method, path, data, headers, timeout)


def get(path, as_="zhihui", **kw):
    return call("GET", path, as_=as_, **kw)


def post(path, body=None, as_="zhihui", **kw):
    return call("POST", path, body, as_=as_, **kw)


def act(cid, action, as_="zhihui", **fields):
    body = dict(fields)
    body["action"] = action
    return post("/api/v1/cases/%d/actions" % cid, body, as_=as_)


def new_case(as_="jumin1", **kw):
    body = {"category": "20102", "description": "测试：楼下垃圾堆放无人清运"}
    body.update(kw)
    return post("/api/v1/cases", body, as_=as_)


def case_of(cid, as_="zhihui"):
    r = get("/api/v1/cases/%d" % cid, as_=as_)
    assert r.status == 200, r
    return r.json


def all_cases():
    r = get("/api/v1/cases?limit=1000")
    assert r.status == 200, r
    return r.json["items"]


def iso(s):
    return datetime.datetime.fromisoformat(s)


def run_cli(*args, env=None, timeout=30):
    return fixture.run_cli(BIN, *args, env=env, timeout=timeout)


sanitizer_lines = fixture.sanitizer_lines


def drive(cid, steps):
    """Runs (action, who, fields) steps; each must answer 200."""
    for action, who, fields in steps:
        r = act(cid, action, who, **fields)
        assert r.status == 200, "%s by %s on case %d: %r" % (action, who, cid, r)
    return case_of(cid)


def make_case(state_path, as_="jumin1", **kw):
    """Creates a case and drives it along a named path; returns its id."""
    r = new_case(as_=as_, **kw)
    assert r.status == 201, r
    cid = r.json["id"]
    paths = {
        "reported": [],
        "registered": [("register", "zhihui", {})],
        "dispatched": [("register", "zhihui", {}),
                       ("dispatch", "zhihui", {"unit": G.unit["HWS"]})],
        "in_progress": [("register", "zhihui", {}),
                        ("dispatch", "zhihui", {"unit": G.unit["HWS"]}),
                        ("sign", "hws", {}), ("progress", "hws", {"note": "处理中"})],
        "closed": [("register", "zhihui", {}),
                   ("dispatch", "zhihui", {"unit": G.unit["HWS"]}),
                   ("sign", "hws", {}), ("feedback", "hws", {"note": "已清运"}),
                   ("close", "zhihui", {})],
    }
    drive(cid, paths[state_path])
    return cid


# ---- module fixture: demo database + real server -------------------------------------

def setUpModule():
    fixture.start_server(G, BIN, "chuishao-api-")
    for name, j in fixture.sign_in(call, USERS, PASSWORD).items():
        G.login[name] = j
        G.tok[name] = j["token"]
        G.uid[name] = j["user"]["id"]
    r = get("/api/v1/units")
    if r.status != 200:
        raise RuntimeError("GET /units: %r" % r)
    G.unit = {u["code"]: u["id"] for u in r.json["items"]}


def tearDownModule():
    fixture.stop_server(G)


# ---- shared assertions ----------------------------------------------------------------

class Base(fixture.ApiCase):
    def snapshot(self, cids=()):
        items = all_cases()
        snap = {"count": len(items),
                "cases": sorted((c["id"], c["state"], c["last_seq"]) for c in items)}
        for cid in cids:
            c = case_of(cid)
            snap[cid] = (c["state"], c["last_seq"], len(c["events"]), c["description"],
                         json.dumps(c["whistles"], sort_keys=True))
        return snap

    @contextlib.contextmanager
    def unchanged(self, *cids):
        """Proves that nothing stored changed and the server still answers."""
        before = self.snapshot(cids)
        yield
        after = self.snapshot(cids)
        self.assertEqual(after, before, "a refused request changed stored data")
        h = call("GET", "/api/v1/health")
        self.assertEqual(h.status, 200, h)
        self.assertTrue(h.json["ok"])


# ---- 1. sign-in -----------------------------------------------------------------------

class T01SignIn(Base):
    def test_login_every_role_gets_token(self):
        seen = set()
        for name, role in USERS.items():
            j = G.login[name]
            self.assertRegex(j["token"], r"^[0-9a-f]{64}$")
            self.assertEqual(j["user"]["username"], name)
            self.assertEqual(j["user"]["role"], role)
            self.assertIn("expires_at", j)
            seen.add(role)
            me = self.assertOk(get("/api/v1/me", as_=name))
            self.assertEqual(me["username"], name)
        self.assertEqual(seen, {"resident", "grid", "dispatcher", "handler", "leader", "admin"})

    def test_wrong_password_401(self):
        r = call("POST", "/api/v1/auth/login", {"username": "zhihui", "password": "wrong-pass"})
        self.assertErr(r, 401, "unauthorized")
        r = call("POST", "/api/v1/auth/login", {"username": "nobody", "password": PASSWORD})
        self.assertErr(r, 401, "unauthorized")

    def test_no_token_401(self):
        self.assertErr(call("GET", "/api/v1/cases"), 401, "unauthorized")
        self.assertErr(call("POST", "/api/v1/cases", {"category": "20102", "description": "x"}),
                       401, "unauthorized")

    def test_bad_token_401(self):
        self.assertErr(call("GET", "/api/v1/cases", token="0" * 64), 401, "unauthorized")
        self.assertErr(call("GET", "/api/v1/cases", token="garbage"), 401, "unauthorized")
        self.assertErr(call("GET", "/api/v1/cases", apikey="cs_" + "0" * 64), 401, "unauthorized")

    def test_api_key_as_header_and_bearer(self):
        r = post("/api/v1/apikeys", {"name": "x"}, as_="hws")
        self.assertIn(r.status, (200, 201), r)
        key = r.json["key"]
        self.assertTrue(key.startswith("cs_"), key)
        self.assertEqual(len(key), 67)
        self.assertEqual(r.json["user"], "hws")
        me = self.assertOk(call("GET", "/api/v1/me", apikey=key))
        self.assertEqual(me["username"], "hws")
        me = self.assertOk(call("GET", "/api/v1/me", token=key))
        self.assertEqual(me["username"], "hws")
        self.assertOk(call("GET", "/api/v1/cases", apikey=key))
        # a non-admin may not create keys for someone else
        self.assertErr(post("/api/v1/apikeys", {"name": "y", "user": "zhihui"}, as_="hws"),
                       403, "forbidden")

    def test_logout_revokes_token(self):
        r = call("POST", "/api/v1/auth/login", {"username": "lingdao", "password": PASSWORD})
        tok = self.assertOk(r)["token"]
        self.assertOk(call("GET", "/api/v1/cases", token=tok))
        self.assertOk(call("POST", "/api/v1/auth/logout", token=tok))
        self.assertErr(call("GET", "/api/v1/cases", token=tok), 401, "unauthorized")
        # the shared session of the same user is unaffected
        self.assertOk(get("/api/v1/cases", as_="lingdao"))


# ---- 2. the full lifecycle --------------------------------------------------------------

class T02Lifecycle(Base):
    def step(self, cid, action, who, to, **fields):
        before = case_of(cid)
        r = act(cid, action, who, **fields)
        j = self.assertOk(r)
        self.assertEqual(j["state"], to, "%s by %s" % (action, who))
        after = case_of(cid)
        self.assertEqual(after["state"], to)
        self.assertEqual(len(after["events"]), len(before["events"]) + 1,
                         "%s must append exactly one event" % action)
        ev = after["events"][-1]
        self.assertEqual(ev["action"], action)
        self.assertEqual(ev["actor_role"], USERS[who])
        self.assertEqual(ev["actor_id"], G.uid[who])
        self.assertEqual(ev["from"], before["state"])
        self.assertEqual(ev["to"], to)
        self.assertEqual(ev["seq"], after["last_seq"])
        self.assertEqual(after["last_seq"], before["last_seq"] + 1)
        self.assertIsInstance(after["deadlines"], list)
        self.assertEqual([d["stage"] for d in after["deadlines"]],
                         ["register", "dispatch", "sign", "handle", "close"])
        self.assertIsInstance(after["actions"], list)
        # the actor's own view has the same fields
        mine = case_of(cid, as_=who)
        self.assertIn("deadlines", mine)
        self.assertIn("actions", mine)
        return before, after

    def test_full_lifecycle(self):
        U = G.unit
        r = new_case(as_="jumin1", description="福保文化城3栋旁垃圾堆放三天无人清运",
                     address="福保社区福保文化城3栋", reporter_phone="13888710004")
        c = self.assertOk(r, 201)
        cid = c["id"]
        self.assertEqual(c["state"], "reported")
        self.assertEqual(c["last_seq"], 1)
        c = case_of(cid)
        self.assertEqual(len(c["events"]), 1)
        self.assertEqual(c["events"][0]["action"], "report")
        self.assertEqual(c["events"][0]["actor_role"], "resident")
        self.assertIn("deadlines", c)
        self.assertIn("actions", c)
        self.assertIn("register", [a["action"] for a in c["actions"]])
        # wangge01 (grid 53011100800201) cannot see a case outside its grid ...
        self.assertErr(get("/api/v1/cases/%d" % cid, as_="wangge01"), 404, "not_found")
        self.step(cid, "send_verify", "zhihui", "verifying", verifier=G.uid["wangge01"])
        # ... until it is the verifier; wangge02 still cannot
        self.assertEqual(case_of(cid, as_="wangge01")["verifier_id"], G.uid["wangge01"])
        self.assertErr(get("/api/v1/cases/%d" % cid, as_="wangge02"), 404, "not_found")
        self.step(cid, "verify", "wangge01", "verified", confirmed=True, note="现场核实属实")
        self.step(cid, "register", "zhihui", "registered")
        _, a = self.step(cid, "dispatch", "zhihui", "dispatched", unit=U["HWS"], units=[U["CGZF"]])
        self.assertEqual(a["lead_unit"], U["HWS"])
        self.assertEqual(a["co_units"], [U["CGZF"]])
        _, a = self.step(cid, "return", "hws", "returned", note="需执法队先行处置")
        self.assertEqual(a["counts"]["return"], 1)
        self.step(cid, "dispatch", "zhihui", "dispatched", unit=U["HWS"], units=[U["CGZF"]])
        _, a = self.step(cid, "sign", "hws", "accepted")
        self.assertIsNotNone(a["due_at"])
        self.step(cid, "progress", "hws", "in_progress", note="已安排清运车辆")
        self.step(cid, "request_extension", "hws", "extension_requested", span="2wd",
                  note="需协调产权单位")
        b, a = self.step(cid, "approve_extension", "zhihui", "in_progress")
        self.assertGreater(iso(a["due_at"]), iso(b["due_at"]), "approve_extension must move due_at later")
        self.assertGreater(iso(a["close_due"]), iso(b["close_due"]))
        self.assertEqual(a["counts"]["extension"], 1)
        _, a = self.step(cid, "defer", "zhihui", "deferred", note="纳入改造计划")
        self.assertIsNotNone(a["paused_at"])
        self.assertFalse(a["overdue"])
        _, a = self.step(cid, "resume", "zhihui", "in_progress")
        self.assertIsNone(a["paused_at"])
        self.step(cid, "hang", "zhihui", "hung", note="历史遗留问题，书面说明已报送")
        self.step(cid, "resume", "zhihui", "in_progress")
        self.step(cid, "feedback", "hws", "handled", note="已清运完毕")
        _, a = self.step(cid, "rework", "zhihui", "rework", note="复查仍有垃圾")
        self.assertEqual(a["counts"]["rework"], 1)
        self.step(cid, "feedback", "hws", "handled", note="已彻底清运")
        _, a = self.step(cid, "close", "zhihui", "closed")
        self.assertIsNotNone(a["closed_at"])
        self.assertIsNotNone(a["deadlines"][4]["done"])
        _, a = self.step(cid, "visit", "jumin1", "visited", resolved=False,
                         satisfaction="unsatisfied")
        self.assertEqual(a["visit"], {"resolved": False, "satisfaction": "unsatisfied"})
        self.assertIn("reopen", [x["action"] for x in case_of(cid, as_="jumin1")["actions"]])
        _, a = self.step(cid, "reopen", "jumin1", "rework", note="回访不满意，垃圾又堆起来了")
        self.assertIsNone(a["closed_at"])
        self.assertEqual(a["counts"]["rework"], 2)
        self.step(cid, "feedback", "hws", "handled", note="已再次清运并加装垃圾桶")
        self.step(cid, "close", "zhihui", "closed")
        _, a = self.step(cid, "visit", "jumin1", "visited", resolved=True, satisfaction="satisfied")
        self.assertEqual(a["visit"], {"resolved": True, "satisfaction": "satisfied"})
        # a satisfied visit cannot be reopened
        self.assertNotIn("reopen", [x["action"] for x in case_of(cid, as_="jumin1")["actions"]])
        self.assertErr(act(cid, "reopen", "jumin1", note="再开"), 409, "conflict")
        ev = case_of(cid)["events"]
        self.assertEqual(len(ev), 24)
        self.assertEqual([e["seq"] for e in ev], list(range(1, 25)))
        # GET /events agrees with the embedded events
        evs = self.assertOk(get("/api/v1/cases/%d/events" % cid))["items"]
        self.assertEqual([e["action"] for e in evs], [e["action"] for e in ev])
        # replay check via the CLI while the server runs (WAL)
        rc, out, err = run_cli("case", "replay-check", "--db", G.db)
        self.assertEqual(rc, 0, out + err)
        self.assertFalse(sanitizer_lines(err), err)

    def test_co_unit_may_progress_but_not_feedback(self):
        U = G.unit
        cid = make_case("reported")
        drive(cid, [("register", "zhihui", {}),
                    ("dispatch", "zhihui", {"unit": U["HWS"], "units": [U["CGZF"]]}),
                    ("sign", "hws", {})])
        self.assertErr(act(cid, "sign", "cgzf"), 409)  # already accepted
        self.assertOk(act(cid, "progress", "cgzf", note="执法队已到场"))
        self.assertErr(act(cid, "feedback", "cgzf", note="完成"), 403, "forbidden")
        self.assertErr(act(cid, "request_extension", "cgzf", note="x", span="1wd"), 403)

    def test_expect_seq_match_is_accepted(self):
        cid = make_case("reported")
        c = case_of(cid)
        j = self.assertOk(act(cid, "comment", "zhihui", note="已电话联系", expect_seq=c["last_seq"]))
        self.assertEqual(j["last_seq"], c["last_seq"] + 1)


# ---- 3. whistles (吹哨报到) ----------------------------------------------------------------

class T03Whistles(Base):
    @classmethod
    def setUpClass(cls):
        U = G.unit
        cls.cid = make_case("reported", as_="zhihui", category="20603",
                            description="河道黑臭水体，周边居民反映强烈")
        drive(cls.cid, [("register", "zhihui", {}), ("dispatch", "zhihui", {"unit": U["HZB"]})])
        r = post("/api/v1/cases/%d/whistles" % cls.cid,
                 {"type": "huanjing", "units": [U["CGZF"], U["HWS"]], "limit_minutes": 30,
                  "note": "涉及多个部门，吹哨召集"})
        assert r.status == 201, r
        cls.blow = r
        ws = case_of(cls.cid)["whistles"]
        cls.wid = ws[-1]["id"]

    def test_1_blow(self):
        self.assertOk(self.blow, 201)
        w = self.assertOk(get("/api/v1/whistles/%d" % self.wid))
        self.assertEqual(w["case_id"], self.cid)
        self.assertEqual(w["type"], "huanjing")
        self.assertEqual(w["limit_minutes"], 30)
        self.assertEqual(sorted(u["unit"] for u in w["units"]),
                         sorted([G.unit["CGZF"], G.unit["HWS"]]))
        ev = case_of(self.cid)["events"][-1]
        self.assertEqual(ev["action"], "whistle")
        # summoned units now see the case
        self.assertOk(get("/api/v1/cases/%d" % self.cid, as_="cgzf"))
        self.assertOk(get("/api/v1/whistles/%d" % self.wid, as_="hws"))

    def test_2_report_once(self):
        r = post("/api/v1/whistles/%d/report" % self.wid, {"note": "已到达现场"}, as_="cgzf")
        self.assertOk(r)
        w = self.assertOk(get("/api/v1/whistles/%d" % self.wid))
        u = [x for x in w["units"] if x["unit"] == G.unit["CGZF"]][0]
        self.assertIsNotNone(u["reported_at"])
        self.assertEqual(u["report_note"], "已到达现场")
        self.assertIs(u["on_time"], True)
        with self.unchanged(self.cid):
            r = post("/api/v1/whistles/%d/report" % self.wid, {"note": "again"}, as_="cgzf")
            self.assertErr(r, 409, "conflict", words=["already"])

    def test_3_unit_not_summoned(self):
        with self.unchanged(self.cid):
            # szgl has nothing to do with the case: it is not even visible -> 404
            r = post("/api/v1/whistles/%d/report" % self.wid, {}, as_="szgl")
            self.assertIn(r.status, (403, 404), r)
            self.assertErr(r, r.status)
            # hzb (the lead unit) sees the case but was not summoned -> 403
            r = post("/api/v1/whistles/%d/report" % self.wid, {}, as_="hzb")
            self.assertErr(r, 403, "forbidden", field="unit")

    def test_3b_report_offered_only_to_summoned_units_that_have_not_reported(self):
        """The case's `actions` come from the rule case_act applies: 报到 is
        offered to a summoned unit until it reports, never to another unit."""
        def offered(who):
            return {a["action"] for a in case_of(self.cid, as_=who)["actions"]}
        self.assertIn("whistle_report", offered("hws"))       # summoned, not yet reported
        self.assertNotIn("whistle_report", offered("cgzf"))   # summoned, has reported
        self.assertNotIn("whistle_report", offered("hzb"))    # the lead unit, not summoned
        acts = {a["action"]: a for a in case_of(self.cid, as_="hws")["actions"]}
        self.assertEqual(acts["whistle_report"]["fields"], ["whistle"])
        self.assertIs(acts["whistle_report"]["note_required"], False)
        self.assertEqual(acts["whistle_report"]["required"], ["whistle"])
        t = {x["action"]: x for x in self.assertOk(get("/api/v1/transitions"))["items"]}
        for a in acts.values():
            if a["action"] != "whistle_report":
                self.assertEqual(a["fields"], t[a["action"]]["fields"])
            self.assertEqual(a["note_required"], t[a["action"]]["note_required"])
        # A handler reports for its own unit; anyone else names the unit it reports for.
        self.assertEqual(t["whistle_report"]["fields"], ["whistle", "unit"])
        adm = {a["action"]: a for a in case_of(self.cid, as_="admin")["actions"]}
        self.assertEqual(adm["whistle_report"]["required"], ["whistle", "unit"])

    def test_4_rate(self):
        U = G.unit
        r = post("/api/v1/whistles/%d/rate" % self.wid,
                 {"unit": U["CGZF"], "score": 90, "note": "响应迅速"})
        self.assertOk(r)
        with self.unchanged(self.cid):
            r = post("/api/v1/whistles/%d/rate" % self.wid, {"unit": U["CGZF"], "score": 101})
            self.assertErr(r, 400, "invalid", field="score", words=["score"])
            r = post("/api/v1/whistles/%d/rate" % self.wid, {"unit": U["CGZF"], "score": -1})
            self.assertErr(r, 400, "invalid", field="score")
            # a unit that was not summoned cannot be rated
            r = post("/api/v1/whistles/%d/rate" % self.wid, {"unit": U["SZGL"], "score": 80})
            self.assertErr(r, 400, field="unit")
            # a handler may not rate
            r = post("/api/v1/whistles/%d/rate" % self.wid, {"unit": U["CGZF"], "score": 80},
                     as_="hws")
            self.assertErr(r, 403, "forbidden")
        w = self.assertOk(get("/api/v1/whistles/%d" % self.wid))
        by = {u["unit"]: u for u in w["units"]}
        self.assertEqual(by[U["CGZF"]]["score"], 90)
        self.assertEqual(by[U["CGZF"]]["comment"], "响应迅速")
        self.assertIs(by[U["CGZF"]]["on_time"], True)
        self.assertIsNone(by[U["HWS"]]["score"])
        self.assertIsNone(by[U["HWS"]]["on_time"])
        self.assertIsNone(by[U["HWS"]]["reported_at"])
        for u in w["units"]:
            self.assertIn("on_time", u)
            self.assertIn("score", u)

    # BUG: whistle fields are read as int64 and then cast to int
    # (api_cases.c action_from_body: `a->limit_min = (int)api__int(...)`,
    # `a->score = (int)api__int(...)`), so 2^32+30 minutes becomes 30 and a score
    # of 2^32+90 becomes 90: both are accepted (201 / 200) instead of refused.
    def test_6a_whistle_limit_overflow(self):
        with self.unchanged(self.cid):
            r = post("/api/v1/cases/%d/whistles" % self.cid,
                     {"type": "huanjing", "units": [G.unit["SZGL"]],
                      "limit_minutes": 2 ** 32 + 30})
            self.assertErr(r, 400, "invalid", field="limit_minutes")

    def test_6b_whistle_score_overflow(self):
        with self.unchanged(self.cid):
            r = post("/api/v1/whistles/%d/rate" % self.wid,
                     {"unit": G.unit["HWS"], "score": 2 ** 32 + 90})
            self.assertErr(r, 400, "invalid", field="score")

    def test_7_whistle_list(self):
        ws = self.assertOk(get("/api/v1/whistles"))["items"]
        self.assertIn(self.wid, [w["id"] for w in ws])
        ws = self.assertOk(get("/api/v1/whistles", as_="cgzf"))["items"]
        self.assertIn(self.wid, [w["id"] for w in ws])
        for w in ws:  # a handler lists only whistles of cases it can see
            self.assertEqual(get("/api/v1/cases/%d" % w["case_id"], as_="cgzf").status, 200)
        self.assertNotIn(self.wid, [w["id"] for w in self.assertOk(
            get("/api/v1/whistles", as_="scjg"))["items"]])
        self.assertErr(get("/api/v1/whistles", as_="jumin1"), 403, "forbidden")
        self.assertErr(get("/api/v1/whistles?limit=abc"), 400, "invalid", field="limit")

    def test_8_whistle_list_limit_range(self):
        # BUG: GET /api/v1/whistles does not range-check ?limit (api_whistles_list
        # only parses it): limit=0 and limit=-1 answer 200 with every whistle,
        # while GET /api/v1/cases refuses them with 400 "limit must be 1..1000".
        for q in ("limit=0", "limit=-1"):
            self.assertErr(get("/api/v1/whistles?" + q), 400, "invalid", field="limit")

    def test_5_whistle_bad_input(self):
        U = G.unit
        with self.unchanged(self.cid):
            p = "/api/v1/cases/%d/whistles" % self.cid
            self.assertErr(post(p, {"type": "nosuch", "units": [U["CGZF"]]}), 400, field="type")
            self.assertErr(post(p, {"type": "huanjing", "units": []}), 400, field="units")
            self.assertErr(post(p, {"type": "huanjing", "units": [999999]}), 400, field="units")
            self.assertErr(post(p, {"type": "huanjing", "units": [U["CGZF"], U["CGZF"]]}), 400,
                           field="units")
            self.assertErr(post(p, {"type": "huanjing", "units": "1"}), 400, "wrong_type",
                           field="units")
            self.assertErr(post(p, {"type": "huanjing", "units": [U["CGZF"]]}, as_="hws"), 403)
            self.assertErr(post("/api/v1/whistles/999999/report", {}, as_="cgzf"), 404, "not_found")
            self.assertErr(get("/api/v1/whistles/999999"), 404, "not_found")


# ---- 4. merge ------------------------------------------------------------------------

class T04Merge(Base):
    def test_merge_duplicate(self):
        orig = make_case("reported", as_="jumin1", description="小区门口垃圾堆放无人清运")
        dup = make_case("reported", as_="jumin2", description="小区门口垃圾还没清运（重复反映）")
        self.assertErr(get("/api/v1/cases/%d" % orig, as_="jumin2"), 404, "not_found")
        self.assertNotIn(orig, [c["id"] for c in self.assertOk(
            get("/api/v1/cases?limit=1000", as_="jumin2"))["items"]])
        j = self.assertOk(act(dup, "merge", "zhihui", master=orig, note="重复反映"))
        self.assertEqual(j["state"], "merged")
        self.assertEqual(j["master_id"], orig)
        m = self.assertOk(get("/api/v1/cases/%d" % orig, as_="jumin2"))
        self.assertEqual(m["id"], orig)
        self.assertIn(orig, [c["id"] for c in self.assertOk(
            get("/api/v1/cases?limit=1000", as_="jumin2"))["items"]])
        # merged is final
        self.assertErr(act(dup, "register", "zhihui"), 409, "conflict")

    def test_merge_into_itself_400(self):
        cid = make_case("reported")
        with self.unchanged(cid):
            self.assertErr(act(cid, "merge", "zhihui", master=cid), 400, "invalid", words=["itself"])
            self.assertErr(act(cid, "merge", "zhihui", master=999999), 400, "invalid")
            self.assertErr(act(cid, "merge", "zhihui"), 400, "invalid")


# ---- 5. visibility and roles -------------------------------------------------------------

class T05Visibility(Base):
    @classmethod
    def setUpClass(cls):
        # jumin1's case, dispatched to HWS, then returned by HWS
        cls.cid = make_case("dispatched", as_="jumin1", reporter_phone="13888710004")
        drive(cls.cid, [("return", "hws", {"note": "不属于本单位职责"})])
        cls.other = make_case("reported", as_="jumin2")

    def test_handler_of_other_unit_404(self):
        self.assertOk(get("/api/v1/cases/%d" % self.cid, as_="hws"))
        self.assertErr(get("/api/v1/cases/%d" % self.cid, as_="szgl"), 404, "not_found")
        self.assertErr(get("/api/v1/cases/%d/events" % self.cid, as_="szgl"), 404, "not_found")
        with self.unchanged(self.cid):
            self.assertErr(act(self.cid, "comment", "szgl", note="x"), 404, "not_found")

    def test_resident_other_case_404(self):
        self.assertErr(get("/api/v1/cases/%d" % self.other, as_="jumin1"), 404, "not_found")
        self.assertOk(get("/api/v1/cases/%d" % self.other, as_="jumin2"))

    def test_resident_register(self):
        # Own case: visible to the resident, so the refusal is about the role -> 403.
        # Someone else's case: not visible, so it reads as absent -> 404 (ids of
        # others' cases are not disclosed; visibility is checked before the role).
        with self.unchanged(self.other):
            self.assertErr(act(self.other, "register", "jumin2"), 403, "forbidden")
            self.assertErr(act(self.other, "register", "jumin1"), 404, "not_found")

    def test_handler_dispatch_403(self):
        with self.unchanged(self.cid):
            self.assertEqual(case_of(self.cid)["state"], "returned")
            self.assertErr(act(self.cid, "dispatch", "hws", unit=G.unit["HWS"]), 403, "forbidden")

    def test_phone_masked_for_handler(self):
        self.assertEqual(case_of(self.cid)["reporter"]["phone"], "13888710004")
        self.assertEqual(case_of(self.cid, as_="jumin1")["reporter"]["phone"], "13888710004")
        self.assertNotIn("13888710004", get("/api/v1/cases/%d" % self.cid, as_="hws").text)
        self.assertNotIn("13888710004", get("/api/v1/cases?limit=1000").text)

    def test_resident_list_only_own_or_followed(self):
        every = all_cases()
        for who in ("jumin1", "jumin2"):
            me = G.uid[who]
            own = {c["id"] for c in every if c["reporter"]["id"] == me}
            followed = {c["master_id"] for c in every
                        if c["reporter"]["id"] == me and c["state"] == "merged"}
            got = [c["id"] for c in self.assertOk(get("/api/v1/cases?limit=1000", as_=who))["items"]]
            self.assertEqual(len(got), len(set(got)))
            self.assertEqual(set(got), own | followed, who)

    def _visible_ids(self, who, ids):
        return {i for i in ids if get("/api/v1/cases/%d" % i, as_=who).status == 200}

    def test_list_equals_visible_for_handlers_and_residents(self):
        ids = [c["id"] for c in all_cases()]
        for who in ("hws", "szgl", "jumin1"):
            listed = {c["id"] for c in self.assertOk(get("/api/v1/cases?limit=1000", as_=who))["items"]}
            self.assertEqual(listed, self._visible_ids(who, ids), who)

    def test_grid_list_includes_own_reports(self):
        # BUG: a grid worker may GET every case it reported (case_visible:
        # reporter_id == user), but GET /api/v1/cases as that grid worker only
        # lists cases of its own grid or that it verifies (store_case_list filters
        # "c.grid = ?5 OR c.verifier_id = ?6" and drops the reporter), so cases it
        # reported in another grid are visible but never listed. case.h says
        # case_list "Lists cases visible to who". (Fixed in src/store/store_case.c
        # while these tests were written: the filter now also has
        # "OR c.reporter_id = ?6"; kept as a regression test.)
        ids = [c["id"] for c in all_cases()]
        for who in ("wangge01", "wangge02"):
            listed = {c["id"] for c in self.assertOk(get("/api/v1/cases?limit=1000", as_=who))["items"]}
            visible = self._visible_ids(who, ids)
            self.assertEqual(visible - listed, set(),
                             "%s can GET these cases but GET /cases does not list them" % who)
            self.assertEqual(listed - visible, set(), who)

    def _check_flag_filter(self, flag, must_have_items):
        # A case may cross its warning or due time between two requests, so the
        # server's selection is compared with the flags seen just before and after.
        before = {c["id"]: c[flag] for c in all_cases()}
        r = self.assertOk(get("/api/v1/cases?%s=1&limit=1000" % flag))
        after = {c["id"]: c[flag] for c in all_cases()}
        if must_have_items:
            self.assertTrue(r["items"], "the demo has %s cases" % flag)
        for c in r["items"]:
            self.assertIs(c[flag], True, c["id"])
        got = {c["id"] for c in r["items"]}
        surely = {i for i in before if before[i] and after.get(i)}
        maybe = {i for i in before if before[i]} | {i for i in after if after[i]}
        self.assertEqual(surely - got, set(), "%s cases missing from ?%s=1" % (flag, flag))
        self.assertEqual(got - maybe, set(), "cases wrongly selected by ?%s=1" % flag)
        self.assertEqual(r["count"], len(r["items"]))

    def test_filter_overdue(self):
        self._check_flag_filter("overdue", True)

    def test_filter_at_risk(self):
        self._check_flag_filter("at_risk", False)

    def test_filter_at_risk_pinned_clock(self):
        # A fresh case is never at risk yet; pin the clock (CHUISHAO_NOW) of an
        # in-process CLI just past its warning time to see the filter select it.
        cid = make_case("reported")
        c = case_of(cid)
        now = iso(c["warn_at"]) + datetime.timedelta(seconds=1)
        self.assertLess(now, iso(c["due_at"]))
        rc, out, err = run_cli("case", "overdue", "--db", G.db, "--at-risk", "--json",
                               env={"CHUISHAO_NOW": now.isoformat()})
        self.assertEqual(rc, 0, err)
        items = json.loads(out)["items"]
        self.assertIn(cid, [x["id"] for x in items])
        for x in items:
            self.assertIs(x["at_risk"], True)
            self.assertIs(x["overdue"], False)

    def test_filter_state_closed(self):
        every = all_cases()
        r = self.assertOk(get("/api/v1/cases?state=closed&limit=1000"))
        self.assertTrue(r["items"])
        for c in r["items"]:
            self.assertEqual(c["state"], "closed")
        self.assertEqual({c["id"] for c in r["items"]},
                         {c["id"] for c in every if c["state"] == "closed"})
        self.assertEqual(r["count"], len(r["items"]))

    def test_paging(self):
        full = [c["id"] for c in all_cases()]
        self.assertEqual(full, sorted(full, reverse=True))
        got, before, pages = [], None, 0
        while True:
            q = "/api/v1/cases?limit=2" + ("&before=%d" % before if before else "")
            r = self.assertOk(get(q))
            ids = [c["id"] for c in r["items"]]
            self.assertLessEqual(len(ids), 2)
            if before:
                self.assertTrue(all(i < before for i in ids))
            got += ids
            pages += 1
            if len(ids) == 2:
                self.assertEqual(r["next_before"], ids[-1])
            if r["next_before"] is None or not ids:
                break
            before = r["next_before"]
            self.assertLess(pages, 1000)
        self.assertEqual(got, full)


# ---- 6. bad input ------------------------------------------------------------------------

class T06BadInput(Base):
    @classmethod
    def setUpClass(cls):
        cls.rep = make_case("reported")
        cls.disp = make_case("dispatched")
        cls.prog = make_case("in_progress")
        cls.closed = make_case("closed")

    def create(self, raw=None, body=None):
        return call("POST", "/api/v1/cases", body, as_="zhihui", raw=raw)

    def test_malformed_json(self):
        with self.unchanged():
            self.assertErr(self.create(raw=b'{"category":'), 400, "bad_json", words=["JSON"])
            self.assertErr(self.create(raw=b'{"category":"20102",}'), 400, "bad_json")
            self.assertErr(self.create(raw=b'{"a":1,"a":2}'), 400, "bad_json")

    def test_body_is_array(self):
        with self.unchanged():
            e = self.assertErr(self.create(raw=b'[{"category":"20102","description":"x"}]'), 400,
                               ("wrong_type", "bad_json"), words=["object"])
            self.assertTrue(e)
            self.assertErr(self.create(raw=b'"just a string"'), 400, ("wrong_type", "bad_json"))

    def test_wrong_types(self):
        with self.unchanged(self.disp):
            self.assertErr(self.create(body={"category": "20102", "description": 5}), 400,
                           "wrong_type", field="description", words=["description", "string"])
            self.assertErr(self.create(body={"category": "20102", "description": "x", "lat": "x",
                                             "lon": 102.7}),
                           400, "wrong_type", field="lat", words=["lat", "number"])
            self.assertErr(self.create(body={"category": 20102, "description": "x"}), 400,
                           "wrong_type", field="category")
            self.assertErr(act(self.disp, "reassign", "zhihui", unit=G.unit["CGZF"], units="1",
                               note="改派"),
                           400, "wrong_type", field="units", words=["units"])
            self.assertErr(act(self.disp, "reassign", "zhihui", unit=str(G.unit["CGZF"]),
                               note="改派"),
                           400, "wrong_type", field="unit")
            self.assertErr(act(self.disp, "comment", "zhihui", note=["a"]), 400, "wrong_type",
                           field="note")

    def test_unknown_field(self):
        with self.unchanged(self.rep):
            self.assertErr(self.create(body={"category": "20102", "description": "x",
                                             "colour": "red"}),
                           400, "unknown_field", field="colour", words=["colour"])
            self.assertErr(act(self.rep, "register", "zhihui", colour="red"), 400,
                           "unknown_field", field="colour")

    def test_invalid_utf8(self):
        with self.unchanged():
            self.assertErr(self.create(raw=b'{"category":"20102","description":"\xff\xfe"}'), 400,
                           "bad_utf8", words=["UTF-8"])
            # an overlong encoding of "/" and a lone surrogate are invalid too
            self.assertErr(self.create(raw=b'{"category":"20102","description":"\xc0\xaf"}'), 400,
                           "bad_utf8")
            self.assertErr(self.create(raw=b'{"category":"20102","description":"\xed\xa0\x80"}'),
                           400, "bad_utf8")

    def test_oversized_body(self):
        body = b'{"category":"20102","description":"' + b"a" * (1536 * 1024) + b'"}'
        with self.unchanged():
            self.assertErr(self.create(raw=body), 413, "too_large", words=["larger"])

    def test_unknown_ids_and_routes(self):
        with self.unchanged():
            self.assertErr(get("/api/v1/cases/999999"), 404, "not_found", words=["999999"])
            self.assertErr(act(999999, "register", "zhihui"), 404, "not_found")
            self.assertErr(post("/api/v1/whistles/999999/report", {}, as_="hws"), 404, "not_found")
            self.assertErr(get("/api/v1/cases/abc"), 404, "no_route")
            self.assertErr(get("/api/v1/cases/0"), 404, "no_route")
            self.assertErr(get("/api/v1/cases/-1"), 404, "no_route")
            self.assertErr(get("/api/v1/nothing-here"), 404, "no_route", words=["/api/v1/nothing-here"])
            self.assertErr(call("GET", "/api/v2/cases"), 404, "no_route")
            self.assertErr(call("DELETE", "/api/v1/cases", as_="zhihui"), 405,
                           "method_not_allowed", words=["DELETE"])
            self.assertErr(call("PUT", "/api/v1/cases/%d" % self.rep, {}, as_="zhihui"), 405,
                           "method_not_allowed")

    def test_forbidden_transitions(self):
        with self.unchanged(self.rep, self.disp):
            self.assertErr(act(self.rep, "close", "zhihui"), 409, "conflict", words=["close"])
            self.assertErr(act(self.rep, "sign", "hws"), 404, "not_found")  # not its case
            # sign: handlers (of the lead unit) and admins only
            self.assertErr(act(self.disp, "sign", "zhihui"), 403, "forbidden", words=["sign"])
            self.assertErr(act(self.disp, "sign", "lingdao"), 403, "forbidden")
            self.assertErr(act(self.disp, "register", "zhihui"), 409, "conflict")

    def test_missing_note(self):
        with self.unchanged(self.disp, self.rep):
            self.assertErr(act(self.disp, "return", "hws"), 400, "invalid", field="note",
                           words=["note"])
            self.assertErr(act(self.disp, "return", "hws", note=""), 400, "invalid", field="note")
            self.assertErr(act(self.rep, "reject", "zhihui"), 400, "invalid", field="note")
            self.assertErr(act(self.rep, "reject", "zhihui", note=None), 400, "invalid",
                           field="note")

    def test_case_fields(self):
        with self.unchanged():
            self.assertErr(self.create(body={"category": "99999", "description": "x"}), 400,
                           "invalid", field="category", words=["99999"])
            self.assertErr(self.create(body={"description": "x"}), 400, "invalid",
                           field="category")
            self.assertErr(self.create(body={"category": "20102", "description": "字" * 4001}),
                           400, "invalid", field="description", words=["4000"])
            self.assertErr(self.create(body={"category": "20102", "description": ""}), 400,
                           "invalid", field="description")
            self.assertErr(self.create(body={"category": "20102"}), 400, "invalid",
                           field="description")
            self.assertErr(self.create(body={"category": "20102", "description": "x",
                                             "lat": 25.0}),
                           400, "invalid", field=("lat", "lon"), words=["lon"])
            self.assertErr(self.create(body={"category": "20102", "description": "x",
                                             "lon": 102.7}),
                           400, "invalid", field=("lat", "lon"))
            self.assertErr(self.create(body={"category": "20102", "description": "x", "lat": 91,
                                             "lon": 102.7}),
                           400, "invalid", field="lat", words=["range"])
            self.assertErr(self.create(body={"category": "20102", "description": "x", "lat": 25,
                                             "lon": 181}),
                           400, "invalid", field=("lat", "lon"))
            self.assertErr(self.create(body={"category": "20102", "description": "x",
                                             "reporter_phone": "12345"}),
                           400, "invalid", field=("reporter_phone", "phone"), words=["number"])
            self.assertErr(self.create(body={"category": "20102", "description": "x",
                                             "reporter_phone": "1380013800a"}),
                           400, "invalid", field=("reporter_phone", "phone"))
            self.assertErr(self.create(body={"category": "20102", "description": "x",
                                             "channel": "carrier_pigeon"}),
                           400, "invalid", field="channel")
            self.assertErr(self.create(body={"category": "20102", "description": "x",
                                             "priority": "asap"}),
                           400, "invalid", field="priority")
            self.assertErr(self.create(body={"category": "20102", "description": "x",
                                             "coord_sys": "mars"}),
                           400, "invalid", field="coord_sys")

    def test_description_4000_is_accepted(self):
        d = "字" * 4000
        c = self.assertOk(self.create(body={"category": "20102", "description": d}), 201)
        self.assertEqual(case_of(c["id"])["description"], d)

    def test_sql_looking_strings(self):
        evil = "'; DROP TABLE cases; --"
        before = self.snapshot()
        c = self.assertOk(self.create(body={"category": "20102", "description": evil,
                                            "address": evil, "title": "Robert'); --"}), 201)
        got = case_of(c["id"])
        self.assertEqual(got["description"], evil)
        self.assertEqual(got["address"], evil)
        self.assertEqual(got["title"], "Robert'); --")
        self.assertOk(act(c["id"], "comment", "zhihui", note=evil))
        self.assertEqual(case_of(c["id"])["events"][-1]["note"], evil)
        with self.unchanged(c["id"]):
            q = urllib.parse.quote(evil)
            self.assertErr(get("/api/v1/cases?state=" + q), 400, "invalid", field="state")
            r = self.assertOk(get("/api/v1/cases?category=" + q))
            self.assertEqual(r["items"], [])
            self.assertErr(self.create(body={"category": evil, "description": "x"}), 400,
                           "invalid", field="category")
            self.assertErr(act(c["id"], evil, "zhihui"), 400, "invalid", field="action")
        after = self.snapshot()
        self.assertEqual(after["count"], before["count"] + 1)
        self.assertTrue(set(before["cases"]) <= set(after["cases"]))

    def test_unknown_action(self):
        with self.unchanged(self.rep):
            self.assertErr(act(self.rep, "teleport", "zhihui"), 400, "invalid", field="action",
                           words=["teleport"])
            self.assertErr(act(self.rep, "", "zhihui"), 400, "invalid", field="action")
            self.assertErr(post("/api/v1/cases/%d/actions" % self.rep, {}), 400, "invalid",
                           field="action")

    def test_visit_bad_satisfaction(self):
        with self.unchanged(self.closed):
            self.assertErr(act(self.closed, "visit", "jumin1", resolved=True, satisfaction="great"),
                           400, "invalid", field="satisfaction", words=["satisfaction"])
            self.assertErr(act(self.closed, "visit", "jumin1", satisfaction="satisfied"), 400,
                           "invalid", field="resolved")
            self.assertErr(act(self.closed, "visit", "jumin1", resolved=True), 400, "invalid",
                           field="satisfaction")
            self.assertErr(act(self.closed, "visit", "jumin1", resolved="yes",
                               satisfaction="satisfied"), 400, "wrong_type", field="resolved")

    def test_bad_span(self):
        with self.unchanged(self.prog):
            for span in ("abc", "0wd", "-2wd", "2", "wd", ""):
                self.assertErr(act(self.prog, "request_extension", "hws", span=span, note="延期"),
                               400, "invalid", field="span", words=["span"])
            self.assertErr(act(self.prog, "request_extension", "hws", note="延期"), 400,
                           "invalid", field="span")

    def test_expect_seq_mismatch(self):
        with self.unchanged(self.rep):
            seq = case_of(self.rep)["last_seq"]
            self.assertErr(act(self.rep, "register", "zhihui", expect_seq=seq + 5), 409, "conflict",
                           field="expect_seq")
            self.assertErr(act(self.rep, "register", "zhihui", expect_seq=seq - 1 or 99), 409,
                           "conflict")

    def test_bad_query_limit(self):
        with self.unchanged():
            for q in ("limit=0", "limit=abc", "limit=-5", "limit=1001", "limit=1.5", "before=abc"):
                field = q.split("=")[0]
                self.assertErr(get("/api/v1/cases?" + q), 400, "invalid", field=field,
                               words=[field])

    def test_calendar_bad_dates(self):
        with self.unchanged():
            for q in ("date=2020-13-01", "date=abc", "date=2020-1-19", "date=", "",
                      "date=2020-02-30", "date=2019-02-29"):
                self.assertErr(call("GET", "/api/v1/calendar/day?" + q), 400, "invalid",
                               field="date", words=["date"])
            for q in ("date=bad&n=1", "date=2020-09-30&n=abc", "date=2020-09-30&n=-1",
                      "date=2020-09-30"):
                self.assertErr(call("GET", "/api/v1/calendar/add-workdays?" + q), 400, "invalid")
            self.assertErr(call("GET", "/api/v1/calendar/deadline?start=yesterday&limit=2wh"), 400,
                           "invalid", field="start")
            self.assertErr(call("GET", "/api/v1/calendar/deadline?start=2020-09-30T25:00:00"
                                       "%2B08:00&limit=2wh"), 400, "invalid", field="start")
            self.assertErr(call("GET", "/api/v1/calendar/deadline?start=2020-09-30T17:00:00"
                                       "%2B08:00&limit=abc"), 400, "invalid", field="limit")


# ---- 7. calendar -------------------------------------------------------------------------

class T07Calendar(Base):
    def day(self, d):
        return self.assertOk(call("GET", "/api/v1/calendar/day?date=" + d))

    def test_day(self):
        j = self.day("2020-01-19")  # Sunday, make-up working day (调休上班) for 春节
        self.assertIs(j["workday"], True)
        self.assertEqual(j["date"], "2020-01-19")
        j = self.day("2020-10-08")  # Thursday, 国庆节 holiday
        self.assertIs(j["workday"], False)
        self.assertIs(self.day("2020-01-31")["workday"], False)  # COVID-19 extension
        self.assertIs(self.day("2020-02-01")["workday"], False)  # make-up day cancelled
        self.assertIs(self.day("2020-02-03")["workday"], True)
        self.assertIs(self.day("2019-10-07")["workday"], False)

    def test_add_workdays(self):
        j = self.assertOk(call("GET", "/api/v1/calendar/add-workdays?date=2020-09-30&n=1"))
        self.assertEqual(j["result"], "2020-10-09")
        j = self.assertOk(call("GET", "/api/v1/calendar/add-workdays?date=2020-01-23&n=1"))
        self.assertEqual(j["result"], "2020-02-03")

    def test_add_workdays_far_future(self):
        # BUG: dates up to 9999-12-31 and n up to 3650 are accepted, but a result
        # past year 9999 is truncated by time_format_date (10-byte buffer):
        # GET /api/v1/calendar/add-workdays?date=9999-12-31&n=3650 answers 200
        # {"result":"10010-01-0"}. Expected: 400 (out of range) or a well-formed date.
        r = call("GET", "/api/v1/calendar/add-workdays?date=9999-12-31&n=3650")
        if r.status == 200:
            self.assertRegex(r.json["result"], r"^\d{4}-\d{2}-\d{2}$", "malformed date")
        else:
            self.assertErr(r, 400, "invalid")

    def test_deadline(self):
        j = self.assertOk(call("GET", "/api/v1/calendar/deadline?start=2020-09-30T17:00:00"
                                      "%2B08:00&limit=2wh"))
        # 17:00-18:00 on 09-30 is one working hour; 10-01..10-08 are the National Day
        # holiday; 10-09 (Friday) 09:00 + 1 h.
        self.assertEqual(iso(j["due"]), iso("2020-10-09T10:00:00+08:00"))
        j = self.assertOk(call("GET", "/api/v1/calendar/deadline?start=2020-09-30T17:00:00"
                                      "%2B08:00&limit=24h"))
        self.assertEqual(iso(j["due"]), iso("2020-10-01T17:00:00+08:00"))


# ---- 8. concurrency ----------------------------------------------------------------------

class T08Concurrency(Base):
    def test_parallel_creates(self):
        before = len(all_cases())
        results, lock = [], threading.Lock()

        def worker(k):
            for i in range(25):
                r = new_case(as_="zhihui", description="并发测试 %d-%d" % (k, i))
                with lock:
                    results.append((r.status, r.json["id"] if r.status == 201 else r.text))

        threads = [threading.Thread(target=worker, args=(k,)) for k in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(len(results), 200)
        self.assertEqual([s for s, _ in results if s != 201], [],
                         [x for x in results if x[0] != 201][:5])
        ids = [i for _, i in results]
        self.assertEqual(len(set(ids)), 200)
        self.assertEqual(len(all_cases()), before + 200)


    def test_race_one_register_wins(self):
        cid = make_case("reported")
        out, lock = [], threading.Lock()

        def worker():
            r = act(cid, "register", "zhihui")
            with lock:
                out.append(r)

        threads = [threading.Thread(target=worker) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        codes = sorted(r.status for r in out)
        self.assertEqual(codes, [200] + [409] * 7, out)
        for r in out:
            if r.status == 409:
                self.assertErr(r, 409, "conflict")
        c = case_of(cid)
        self.assertEqual(c["state"], "registered")
        self.assertEqual([e["action"] for e in c["events"]], ["report", "register"])

    def test_race_comments_all_kept(self):
        cid = make_case("reported")
        out, lock = [], threading.Lock()

        def worker(k):
            for i in range(10):
                r = act(cid, "comment", "zhihui", note="并发备注 %d-%d" % (k, i))
                with lock:
                    out.append(r.status)

        threads = [threading.Thread(target=worker, args=(k,)) for k in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(out, [200] * 80)
        c = case_of(cid)
        self.assertEqual(c["last_seq"], 81)
        self.assertEqual([e["seq"] for e in c["events"]], list(range(1, 82)))
        self.assertEqual(len({e["note"] for e in c["events"][1:]}), 80)

    def test_race_whistle_report_once(self):
        U = G.unit
        cid = make_case("dispatched")
        self.assertOk(post("/api/v1/cases/%d/whistles" % cid,
                           {"type": "minsheng", "units": [U["SZGL"]]}), 201)
        wid = case_of(cid)["whistles"][-1]["id"]
        out, lock = [], threading.Lock()

        def worker():
            r = post("/api/v1/whistles/%d/report" % wid, {"note": "到"}, as_="szgl")
            with lock:
                out.append(r.status)

        threads = [threading.Thread(target=worker) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(sorted(out), [200] + [409] * 7)
        self.assertEqual([e["action"] for e in case_of(cid)["events"]].count("whistle_report"), 1)


# ---- admin endpoints ------------------------------------------------------------------

class T10Admin(Base):
    def test_admin_only(self):
        self.assertErr(post("/api/v1/units", {"code": "X1", "name": "x"}), 403, "forbidden")
        self.assertErr(post("/api/v1/users", {"username": "x1", "role": "resident",
                                              "password": "longpass1"}), 403, "forbidden")
        self.assertErr(get("/api/v1/users", as_="hws"), 403, "forbidden")
        self.assertErr(get("/api/v1/users", as_="jumin1"), 403, "forbidden")
        self.assertOk(get("/api/v1/users"))
        self.assertErr(post("/api/v1/users", {"username": "hws", "role": "handler",
                                              "unit": G.unit["HWS"], "password": "longpass1"},
                            as_="admin"), 409, "conflict", field="username")

    def test_unit_create_and_duplicate_code(self):
        r = post("/api/v1/units", {"code": "TSTDUP", "name": "测试单位", "phone": "0871-67310000"},
                 as_="admin")
        u = self.assertOk(r, 201)
        # BUG: POST /api/v1/units with a code that already exists answers 201 and
        # silently overwrites that unit's name, kind, uscc and phone
        # (store_unit_put is an upsert: INSERT ... ON CONFLICT(code) DO UPDATE),
        # unlike POST /api/v1/users with a taken username (409 conflict).
        # Expected: 409 conflict, and the existing unit unchanged.
        r = post("/api/v1/units", {"code": "TSTDUP", "name": "覆盖"}, as_="admin")
        units = {x["code"]: x for x in self.assertOk(get("/api/v1/units"))["items"]}
        self.assertEqual((units["TSTDUP"]["name"], units["TSTDUP"]["phone"]),
                         ("测试单位", u["phone"]), "an existing unit was overwritten")
        self.assertErr(r, 409, "conflict")


# ---- 9. static ---------------------------------------------------------------------------

class T09Static(Base):
    def test_index(self):
        r = call("GET", "/")
        self.assertEqual(r.status, 200)
        self.assertTrue(r.headers["Content-Type"].startswith("text/html"), r.headers["Content-Type"])
        self.assertIn("<html", r.text.lower())
        self.assertEqual(call("GET", "/no/such/file.html").status, 404)
        self.assertEqual(call("GET", "/../etc/passwd").status, 404)


# ---- last: the log still replays ----------------------------------------------------------

class T11ViewCache(Base):
    """Full case views are cached per viewer (src/api/api_cache.c): a view is
    served again only while the case is unchanged, and is the viewer's own."""

    def test_views_follow_changes_and_viewers(self):
        r = new_case(lat=24.963, lon=102.744)
        cid = self.assertOk(r, 201)["id"]
        one, two = get("/api/v1/cases/%d" % cid), get("/api/v1/cases/%d" % cid)
        self.assertEqual(one.json, two.json)
        self.assertOk(act(cid, "register"))
        after = case_of(cid)
        self.assertEqual(after["state"], "registered")  # not the cached "reported"
        self.assertEqual(after["last_seq"], one.json["last_seq"] + 1)
        self.assertOk(act(cid, "dispatch", unit=G.unit["HWS"]))
        disp = case_of(cid)
        hws = case_of(cid, as_="hws")
        self.assertEqual(disp["state"], "dispatched")
        self.assertIn("sign", [a["action"] for a in hws["actions"]])
        self.assertNotIn("sign", [a["action"] for a in disp["actions"]])
        self.assertEqual(case_of(cid, as_="hws"), hws)  # the handler's own, again
        g = get("/api/v1/cases/%d?crs=gcj02" % cid).json
        self.assertEqual(g["crs"], "gcj02")
        self.assertNotEqual((g["lat"], g["lon"]), (disp["lat"], disp["lon"]))
        self.assertOk(act(cid, "sign", as_="hws"))
        self.assertEqual(case_of(cid)["state"], "accepted")
        self.assertEqual(case_of(cid, as_="hws")["state"], "accepted")
        # A handler of another unit never gets it, cached or not.
        self.assertEqual(get("/api/v1/cases/%d" % cid, as_="cgzf").status, 404)

    def test_changes_by_another_process(self):
        """The CLI writes the database beside the server: the server's cached
        views and kept read snapshots notice it (the writer watches for other
        connections' commits every 100 ms), within half a second."""
        cid = self.assertOk(new_case(lat=24.963, lon=102.744), 201)["id"]
        for _ in range(3):  # cached, and read in the kept snapshots of both event threads
            self.assertEqual(case_of(cid)["state"], "reported")
        code, out, err = run_cli("case", "act", str(cid), "register", "--as", "zhihui",
                                 "--db", G.db)
        self.assertEqual(code, 0, err)
        seen, t0 = None, time.monotonic()
        while time.monotonic() - t0 < 2:
            seen = case_of(cid)["state"]
            if seen == "registered":
                break
            time.sleep(0.01)
        self.assertEqual(seen, "registered")
        self.assertLess(time.monotonic() - t0, 0.5)

    def test_idle_snapshots_do_not_hold_the_wal(self):
        """Read snapshots kept open between requests are ended when their
        thread goes idle, so a checkpoint can copy the whole WAL."""
        import sqlite3
        cid = self.assertOk(new_case(lat=24.963, lon=102.744), 201)["id"]
        for _ in range(4):  # snapshots kept on the event threads
            self.assertEqual(get("/api/v1/cases?limit=1").status, 200)
        for _ in range(3):  # commits after them
            self.assertOk(act(cid, "comment", note="x"))
        time.sleep(0.35)
        db = sqlite3.connect(G.db, timeout=10)
        try:
            busy, log, done = db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        finally:
            db.close()
        self.assertEqual((busy, done), (0, log))


class T12ListByPeriod(Base):
    def test_from_to(self):
        items = all_cases()
        day = items[-1]["created_at"][:10]  # the oldest case's report day (China time)
        r = get("/api/v1/cases?limit=1000&from=%s&to=%s" % (day, day))
        got = self.assertOk(r)["items"]
        want = [c["id"] for c in items if c["created_at"][:10] == day]
        self.assertEqual([c["id"] for c in got], want)
        self.assertTrue(want)
        r = get("/api/v1/cases?from=2000-01-01&to=2000-12-31")
        self.assertEqual(self.assertOk(r)["items"], [])
        for q, field in (("from=2020-13-01", "from"), ("to=yesterday", "to"),
                         ("from=2020-03-02&to=2020-03-01", "to")):
            r = get("/api/v1/cases?" + q)
            self.assertEqual(r.status, 400, (q, r))
            self.assertEqual(r.json["error"]["field"], field, (q, r))


class T99ReplayCheck(Base):
    def test_replay_check_at_end(self):
        rc, out, err = run_cli("case", "replay-check", "--db", G.db)
        self.assertEqual(rc, 0, out + err)
        self.assertIn("replay check", out)
        self.assertFalse(sanitizer_lines(err), err)
        self.assertEqual(call("GET", "/api/v1/health").status, 200)


# ---- runner ------------------------------------------------------------------------------

def main():
    fixture.main(sys.modules[__name__], _ARGV)


if __name__ == "__main__":
    main()
