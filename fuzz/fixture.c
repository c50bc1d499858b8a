/* fixture.c - input helpers and the database the fuzz targets share (see
 * fuzz.h): built once per process, on first use, removed at exit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fuzz.h"
#include "api/api.h"
#include "auth/auth.h"
#include "demo/demo_geo.h"
#include "domain/case/case.h"
#include "domain/place/place.h"
#include "store/auth/store_auth.h"
#include "store/store.h"
#include "store/unit/store_unit.h"

#define FUZZ_NOW "2020-03-02T10:00:00+08:00" /* a Monday, a working day */

char *fuzz_strndup(const void *p, size_t n)
{
    char *s = xmalloc(n + 1);
    memcpy(s, p, n);
    s[n] = '\0';
    return s;
}

int fuzz_next_line(const char **p, const char *end, const char **line, size_t *len)
{
    if (*p >= end)
        return 0;
    const char *nl = memchr(*p, '\n', (size_t)(end - *p));
    *line = *p;
    *len = (size_t)((nl ? nl : end) - *p);
    *p = nl ? nl + 1 : end;
    return 1;
}

static int hexval(int c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

char *fuzz_url_decode(struct arena *a, const char *s, size_t n, int plus)
{
    char *out = arena_alloc(a, n + 1), *d = out;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
            *d++ = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
            i += 2;
        } else {
            *d++ = plus && s[i] == '+' ? ' ' : s[i];
        }
    }
    *d = '\0';
    return out;
}

/* ---- the database ---------------------------------------------------------- */

static struct fuzz_db db;
static char dir[256], path[320];

static void die(const char *what, const struct err *e)
{
    fprintf(stderr, "fuzz fixture: %s: %s\n", what, e ? e->msg : "");
    abort();
}

/* Removes the database and its directory (atexit). */
static void cleanup(void)
{
    static const char *const sides[] = {"", "-wal", "-shm", "-journal"};
    char f[400];
    api_free(db.api);
    dom_close(db.dom);
    store_close(db.store);
    db.api = NULL;
    for (size_t i = 0; i < ARRAY_SIZE(sides); i++) {
        snprintf(f, sizeof f, "%s%s", path, sides[i]);
        unlink(f);
    }
    rmdir(dir);
}

/* A user of role; its actor goes to db.actors[slot]. */
static void add_user(int slot, const char *name, const char *role, int64_t unit, const char *grid)
{
    struct store_user u = {0};
    struct err e = {0};
    struct actor *a = &db.actors[slot];
    str_copy(u.username, sizeof u.username, name);
    str_copy(u.name, sizeof u.name, name);
    str_copy(u.role, sizeof u.role, role);
    str_copy(u.grid, sizeof u.grid, grid);
    u.unit_id = unit;
    u.created_at = time_now();
    if (store_user_insert(db.store, &u, &e))
        die("user", &e);
    *a = (struct actor){.user_id = u.id, .role = role_parse(role), .unit_id = unit};
    str_copy(a->grid, sizeof a->grid, grid);
    str_copy(a->username, sizeof a->username, name);
}

/* The demo boundaries, stored and indexed. */
static void add_places(void)
{
    struct place_report *r = xcalloc(1, sizeof *r);
    struct err e = {0};
    char *text = demo_geo_geojson();
    if (place_import_geojson(db.dom, text, strlen(text), 0, 1, r, &e))
        die("boundaries", &e);
    xfree(text);
    xfree(r);
}

/* An action by who on case id; a refusal is only reported (the fixture
 * stays useful if the rules change). */
static void act(const struct actor *who, int64_t id, const char *name, int64_t unit)
{
    struct case_action a = {.act = case_action_parse(name), .unit_id = unit};
    struct store_case k;
    struct err e = {0};
    struct arena *ar = arena_new();
    a.resolved = a.score = a.confirmed = -1;
    a.note = "fuzz fixture";
    if (case_act(db.dom, who, id, &a, ar, &k, &e))
        fprintf(stderr, "fuzz fixture: %s of case %lld: %s\n", name, (long long)id, e.msg);
    arena_free(ar);
}

/* A dozen cases in grids of the demo set, by the resident and the grid
 * worker; every third registered and dispatched, some signed for. */
static void add_cases(int64_t unit)
{
    static const char *const cats[] = {"20404", "10101", "10118", "10201"};
    uint32_t rng = 12345;
    for (int i = 0; i < 12; i++) {
        struct case_new in = {.channel = NULL, .category = cats[i % 4], .has_pos = 1};
        struct store_case k;
        struct err e = {0};
        struct arena *ar = arena_new();
        demo_geo_point_in_grid(i * 19 % demo_geo_grid_count(), &rng, &in.lon, &in.lat);
        in.priority = i % 5 == 4 ? "urgent" : "normal";
        in.description = i % 2 ? "小区门口下水道堵塞，污水漫到路面" : "路灯不亮";
        in.address = "六甲街道";
        in.reporter_phone = i % 3 ? "13800138000" : NULL;
        const struct actor *who = &db.actors[i % 2 ? FUZZ_RESIDENT : FUZZ_GRID];
        if (case_create(db.dom, who, &in, ar, &k, &e))
            die("case", &e);
        arena_free(ar);
        db.case_ids[db.n_cases++] = k.id;
        if (i % 3 == 0) {
            act(&db.actors[FUZZ_DISPATCHER], k.id, "register", 0);
            act(&db.actors[FUZZ_DISPATCHER], k.id, "dispatch", unit);
        }
        if (i % 6 == 0)
            act(&db.actors[FUZZ_HANDLER], k.id, "sign", 0);
    }
}

static void build(void)
{
    const char *base = getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    struct store_unit u = {0};
    struct err e = {0};
    char grid[16];
    setenv("CHUISHAO_NOW", FUZZ_NOW, 1);
    time_pin(-1); /* read the instant just set */
    if (auth_init())
        die("libsodium", NULL);
    snprintf(dir, sizeof dir, "%s/chuishao-fuzz.XXXXXX", base);
    if (mkdtemp(dir) == NULL)
        die("mkdtemp", NULL);
    snprintf(path, sizeof path, "%s/fuzz.db", dir);
    atexit(cleanup);
    if (store_open(path, STORE_CREATE, &db.store, &e) || dom_seed(db.store, &e) ||
        dom_open(db.store, &db.dom, &e))
        die("store", &e);
    add_places();
    str_copy(u.code, sizeof u.code, "FZ");
    str_copy(u.name, sizeof u.name, "模糊测试单位");
    str_copy(u.kind, sizeof u.kind, "department");
    if (store_unit_put(db.store, &u, &e))
        die("unit", &e);
    demo_geo_grid_code(0, grid);
    dom_actor_system(&db.actors[FUZZ_SYSTEM]);
    add_user(FUZZ_DISPATCHER, "fz_disp", "dispatcher", 0, "");
    add_user(FUZZ_LEADER, "fz_lead", "leader", 0, "");
    add_user(FUZZ_RESIDENT, "fz_res", "resident", 0, "");
    add_user(FUZZ_GRID, "fz_grid", "grid", 0, grid);
    add_user(FUZZ_HANDLER, "fz_hand", "handler", u.id, "");
    add_cases(u.id);
    db.api = api_new(db.store, db.dom);
}

struct fuzz_db *fuzz_db(void)
{
    if (db.api == NULL)
        build();
    return &db;
}

const struct actor *fuzz_actor(struct fuzz_db *d, const char *name, size_t n)
{
    static const char *const names[FUZZ_ACTORS] = {"system",   "dispatcher", "leader",
                                                   "resident", "grid",       "handler"};
    for (int i = 0; i < FUZZ_ACTORS; i++)
        if (strlen(names[i]) == n && memcmp(names[i], name, n) == 0)
            return &d->actors[i];
    return NULL;
}
