#!/bin/sh
# test_demo.sh - the Liujia demo (chuishao demo): its generated two-year
# history holds the facts of the 2020 H1 report (171 whistles of the three
# types, petitions and repeat complaints down 64% on 2019 H1, satisfaction
# up), computed from the generated events; the figures from the roll-ups
# equal those from folding the log; the generation is deterministic; its
# options refuse bad input without creating a database.
SUITE=demo
. "$(dirname "$0")/lib.sh"

DB=$TMP/liujia.db
expect_rc "demo builds the Liujia history" 0 demo --db "$DB"
if grep -q "Liujia subdistrict, 30027 cases (replay check ok)" "$OUT"; then
    ok "30,000 generated cases and the 27 scripted ones, every one replays"
else
    bad "30,000 generated cases and the 27 scripted ones, every one replays" "$(cat "$OUT")"
fi
if grep -q "100% 30000/30000 cases" "$ERR"; then
    ok "the generation shows its progress"
else
    bad "the generation shows its progress" "$(tail -c 300 "$ERR")"
fi

# The 2020 H1 report card's facts, from GET /api/v1/stats.
run api --db "$DB" GET "/api/v1/stats?from=2020-01-01&to=2020-06-30"
cp "$OUT" "$TMP/h1.json"
run api --db "$DB" GET "/api/v1/stats?from=2019-01-01&to=2019-06-30"
cp "$OUT" "$TMP/h1-2019.json"
if python3 - "$TMP/h1.json" "$TMP/h1-2019.json" <<'PY'; then
import json, sys
now, before = (json.load(open(p)) for p in sys.argv[1:3])
w = now["total"]["whistles"]
types = sorted(t["type"] for t in w["by_type"])
assert w["count"] == 171, w["count"]
assert types == ["huanjing", "minsheng", "shichang"], types
assert sum(t["count"] for t in w["by_type"]) == 171
p = now["petitions"]
assert p["prev_from"] == "2019-01-01" and p["prev_to"] == "2019-06-30", p
assert p["change"] == -0.64, p
assert p["total"] == p["petitions"] + p["repeats"] and p["prev_total"] == 600, p
assert before["petitions"]["total"] == p["prev_total"], (before["petitions"], p)
r1, r0 = now["total"]["rates"], before["total"]["rates"]
assert r1["satisfaction"]["value"] > r0["satisfaction"]["value"] + 0.05, (r1, r0)
assert 6500 < now["total"]["received"] < 8000, now["total"]["received"]
assert now["coverage"]["grids"] == 240 and now["coverage"]["covered"] == 234, now["coverage"]
PY
    ok "2020 H1: 171 whistles of three types, petitions and repeats -64%, satisfaction up"
else
    bad "2020 H1: 171 whistles of three types, petitions and repeats -64%, satisfaction up"
fi

# Brute force from the tables themselves (sqlite3), against the API.
if python3 - "$DB" "$TMP/h1.json" <<'PY'; then
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
api = json.load(open(sys.argv[2]))
lo, hi = 1577808000, 1593532799  # 2020-01-01 00:00 .. 2020-06-30 23:59:59 China time
ids = [r[0] for r in db.execute(
    "SELECT case_id FROM case_events WHERE action = 'report' AND at BETWEEN ? AND ?", (lo, hi))]
assert api["total"]["received"] == len(ids)
q = ("SELECT count(*), coalesce(sum(e.flag = 1), 0), coalesce(sum(e.amount IN (1, 2)), 0) "
     "FROM case_events e JOIN case_events r ON r.case_id = e.case_id AND r.action = 'report' "
     "WHERE e.action = 'visit' AND e.at <= ? AND r.at BETWEEN ? AND ?")
visits, resolved, satisfied = db.execute(q, (hi, lo, hi)).fetchone()
t = api["total"]
assert t["visits"] == visits, (t["visits"], visits)
assert t["rates"]["resolution"]["num"] == resolved and t["rates"]["satisfaction"]["num"] == satisfied
chan = dict(db.execute("SELECT channel, count(*) FROM cases WHERE created_at BETWEEN ? AND ? "
                       "GROUP BY channel", (lo, hi)).fetchall())
assert t["by_channel"] == chan, (t["by_channel"], chan)
PY
    ok "received, visits, resolved, satisfied and channels equal a count over the tables"
else
    bad "received, visits, resolved, satisfied and channels equal a count over the tables"
fi

# The roll-ups answer exactly like the fold of the log.
same=0
for q in "from=2020-01-01&to=2020-06-30" "from=2019-03-15&to=2020-02-20&by=month" \
    "from=2020-01-01&to=2020-06-30&by=community" "from=2019-01-01&to=2020-12-31&by=grid" \
    "from=2020-06-01&to=2020-06-30&scope=community:530111008002&by=grid"; do
    run api --db "$DB" GET "/api/v1/stats?$q"
    cp "$OUT" "$TMP/fast.json"
    run api --db "$DB" GET "/api/v1/stats?$q&exact=1"
    if cmp -s "$OUT" "$TMP/fast.json"; then
        same=$((same + 1))
    else
        bad "roll-ups equal the fold: $q" "$(diff "$OUT" "$TMP/fast.json" | head -5)"
    fi
done
[ "$same" -eq 5 ] && ok "roll-ups equal the fold for 5 periods, scopes and groupings"
expect_rc "exact must be 0 or 1" 4 api --db "$DB" GET "/api/v1/stats?from=2020-01-01&to=2020-06-30&exact=yes"

# Deterministic: the same seed gives the same events.
expect_rc "a small generated demo" 0 demo --db "$TMP/a.db" --cases 400 --years 2020
expect_rc "the same again" 0 demo --db "$TMP/b.db" --cases 400 --years 2020
a=$(sqlite3 "$TMP/a.db" "SELECT count(*), sum(at), group_concat(action) FROM case_events WHERE case_id <= 400" | md5sum)
b=$(sqlite3 "$TMP/b.db" "SELECT count(*), sum(at), group_concat(action) FROM case_events WHERE case_id <= 400" | md5sum)
[ "$a" = "$b" ] && ok "the generation is deterministic" || bad "the generation is deterministic"
n=$(sqlite3 "$TMP/a.db" "SELECT count(*) FROM cases WHERE created_at < 1609430400")
[ "$n" -eq 400 ] && ok "--cases 400 --years 2020: 400 cases in 2020" || bad "--cases 400 --years 2020" "$n"

# Bad options: a clear error, exit 4, no database left behind.
for args in "--cases -1" "--cases 10000001" "--cases lots" "--years 2020-2019" \
    "--years 1999" "--years 2019-20x"; do
    # shellcheck disable=SC2086
    expect_rc "demo $args -> 4" 4 demo --db "$TMP/bad.db" $args
    if [ -e "$TMP/bad.db" ]; then
        bad "demo $args leaves no database"
    elif ! grep -q "cases\|years" "$ERR"; then
        bad "demo $args says what is wrong" "$(cat "$ERR")"
    fi
done
expect_rc "demo over an existing database -> 6" 6 demo --db "$DB" --cases 0
run case replay-check --db "$DB"
[ "$RC" -eq 0 ] && ok "the existing database is untouched and still replays" ||
    bad "the existing database is untouched" "rc=$RC"

summary
