/* place.c - the place tree: code rules, validated import, the grid index. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "place.h"
#include "domain/domain_int.h"
#include "store/auth/store_auth.h"
#include "store/case/store_case.h"
#include "domain/stats/stats.h"

static const char *const kinds[] = {"subdistrict", "community", "grid", "compound",
                                    "courtyard",   "building",  "unit", "household"};

const char *const place_team_roles[] = {"leader",     "supervisor", "enforcement",   "community",
                                        "sanitation", "police",     "building_head", "volunteer",
                                        "property",   NULL};

int place_kind_rank(const char *kind)
{
    for (int i = 0; kind && i < (int)ARRAY_SIZE(kinds); i++)
        if (strcmp(kinds[i], kind) == 0)
            return i;
    return -1;
}

const char *place_kind_name(int rank)
{
    return rank >= 0 && rank < (int)ARRAY_SIZE(kinds) ? kinds[rank] : "";
}

static int all_digits(const char *s, size_t n)
{
    if (strlen(s) != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/* Below grids: parent code + "-" + 1..5 letters or digits. */
static int sub_code_ok(const char *code, const char *parent)
{
    size_t pl = strlen(parent), n = strlen(code);
    if (pl == 0 || strncmp(code, parent, pl) != 0 || code[pl] != '-' || n - pl - 1 < 1 ||
        n - pl - 1 > 5)
        return 0;
    for (size_t i = pl + 1; i < n; i++) {
        char c = code[i];
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')))
            return 0;
    }
    return 1;
}

int place_check_code(const char *kind, const char *code, const char *parent,
                     const char *parent_kind, struct err *e)
{
    int rank = place_kind_rank(kind), prank = place_kind_rank(parent_kind);
    if (rank < 0)
        return err_set(e, ERR_INVALID, "kind", "unknown kind '%s' of place %s", kind, code);
    if (rank == 0 && parent[0])
        return err_set(e, ERR_INVALID, "parent", "subdistrict %s cannot have a parent", code);
    if (rank > 0 && (prank < 0 || prank >= rank))
        return err_set(e, ERR_INVALID, "parent", "%s %s needs a parent of a higher kind (has '%s')",
                       kind, code, parent);
    if (rank == 2 && prank != 1)
        return err_set(e, ERR_INVALID, "parent", "grid %s must belong to a community", code);
    int ok = rank == 0   ? all_digits(code, 9)
             : rank == 1 ? all_digits(code, 12) && strncmp(code, parent, 9) == 0
             : rank == 2 ? all_digits(code, 14) && strncmp(code, parent, 12) == 0
                         : sub_code_ok(code, parent);
    if (!ok)
        return err_set(e, ERR_INVALID, "code",
                       "code %s does not fit a %s under %s (9 digits for a subdistrict, 12 for a "
                       "community, community + 2 digits for a grid, parent-NN below)",
                       code, kind, parent[0] ? parent : "(none)");
    return 0;
}

/* ---- import ------------------------------------------------------------------ */

/* Records a finding (the first ones are kept). */
static void report_issue(struct place_report *r, const char *code, const char *kind,
                         const char *detail)
{
    if (r->n_issues < (int)ARRAY_SIZE(r->issues)) {
        struct geo_issue *x = &r->issues[r->n_issues];
        memset(x, 0, sizeof *x);
        str_copy(x->code, sizeof x->code, code ? code : "");
        str_copy(x->kind, sizeof x->kind, kind);
        str_copy(x->detail, sizeof x->detail, detail);
    }
    r->n_issues++;
}

static int cmp_code(const void *a, const void *b)
{
    return strcmp(((const struct place_in *const *)a)[0]->code,
                  ((const struct place_in *const *)b)[0]->code);
}

/* The input place with this code, or NULL (sorted is sorted by code). */
static const struct place_in *find_in(const struct place_in **sorted, int n, const char *code)
{
    int lo = 0, hi = n - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2, c = strcmp(sorted[mid]->code, code);
        if (c == 0)
            return sorted[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return NULL;
}

/* Tree rules: texts, unique codes, parents present, code formats. */
static void check_tree(const struct place_in *in, int n, const struct place_in **sorted,
                       struct place_report *r)
{
    struct err e;
    for (int i = 0; i < n; i++) {
        const struct place_in *p = sorted[i];
        err_clear(&e);
        if (i > 0 && strcmp(sorted[i - 1]->code, p->code) == 0) {
            report_issue(r, p->code, "duplicate", "the code appears more than once");
            continue;
        }
        if (!p->name || !*p->name || !utf8_valid(p->name, strlen(p->name)) ||
            utf8_len(p->name) > 60 || strlen(p->code) >= 40) {
            report_issue(r, p->code, "name", "a name (UTF-8, 1..60 characters) is required");
            continue;
        }
        const struct place_in *parent = p->parent[0] ? find_in(sorted, n, p->parent) : NULL;
        if (p->parent[0] && parent == NULL) {
            char msg[160];
            snprintf(msg, sizeof msg, "parent %s is not in the set", p->parent);
            report_issue(r, p->code, "parent", msg);
            continue;
        }
        if (place_check_code(p->kind, p->code, p->parent, parent ? parent->kind : "", &e))
            report_issue(r, p->code, e.field, e.msg);
    }
    (void)in;
}

/* Parsed shapes of the input, by input index. */
static void parse_shapes(const struct place_in *in, int n, int epsg, struct geo_shape **shapes,
                         struct place_report *r)
{
    for (int i = 0; i < n; i++) {
        struct err e = {0};
        if (!in[i].geojson || !*in[i].geojson)
            continue;
        if (geo_shape_from_geojson_epsg(in[i].geojson, strlen(in[i].geojson), epsg, &shapes[i],
                                        &e)) {
            report_issue(r, in[i].code, "geometry", e.msg);
            geo_shape_free(shapes[i]);
            shapes[i] = NULL;
        }
    }
}

struct import_job {
    const struct place_in *in; /* places */
    struct geo_shape **shapes; /* their shapes (NULL: none) */
    int n;                     /* count */
};

static int job_import(struct store *s, void *arg, struct err *e)
{
    struct import_job *j = arg;
    int rc = store_place_clear(s, e);
    int64_t now = time_now();
    for (int i = 0; rc == 0 && i < j->n; i++) {
        struct store_place p = {.updated_at = now};
        str_copy(p.code, sizeof p.code, j->in[i].code);
        str_copy(p.kind, sizeof p.kind, j->in[i].kind);
        str_copy(p.parent, sizeof p.parent, j->in[i].parent);
        str_copy(p.name, sizeof p.name, j->in[i].name);
        p.geometry = (char *)"";
        if (j->shapes[i]) {
            p.geometry = geo_shape_to_geojson(j->shapes[i]);
            geo_shape_bbox(j->shapes[i], &p.minx, &p.miny, &p.maxx, &p.maxy);
            p.area_m2 = geo_shape_area_m2(j->shapes[i]);
        }
        rc = store_place_put(s, &p, e);
        if (j->shapes[i])
            xfree(p.geometry);
    }
    return rc;
}

/* Geometry checks of geo_validate over every area of the set. */
static void check_geometry(const struct place_in *in, int n, struct geo_shape **shapes,
                           struct place_report *r)
{
    struct geo_area *areas = xcalloc((size_t)n + 1, sizeof *areas);
    int k = 0;
    for (int i = 0; i < n; i++)
        if (shapes[i] && geo_shape_type(shapes[i]) != 1)
            areas[k++] = (struct geo_area){in[i].code, in[i].parent, shapes[i],
                                           place_kind_rank(in[i].kind) < 2};
    int room = (int)ARRAY_SIZE(r->issues) - r->n_issues;
    int found = geo_validate(areas, k, 1.0, r->issues + r->n_issues, room > 0 ? room : 0);
    r->n_issues += found;
    xfree(areas);
}

int place_import(struct domain *d, const struct place_in *in, int n, int epsg, int apply,
                 struct place_report *r, struct err *e)
{
    memset(r, 0, sizeof *r);
    r->n_places = n;
    if (n < 1 || n > 200000)
        return err_set(e, ERR_INVALID, NULL, "a boundary set holds 1..200000 places (got %d)", n);
    const struct place_in **sorted = xcalloc((size_t)n, sizeof *sorted);
    struct geo_shape **shapes = xcalloc((size_t)n, sizeof *shapes);
    for (int i = 0; i < n; i++)
        sorted[i] = &in[i];
    qsort(sorted, (size_t)n, sizeof *sorted, cmp_code);
    check_tree(in, n, sorted, r);
    parse_shapes(in, n, epsg, shapes, r);
    if (r->n_issues == 0)
        check_geometry(in, n, shapes, r);
    int rc = 0;
    if (r->n_issues)
        rc = err_set(e, ERR_INVALID, NULL, "the boundary set has %d problem(s); nothing was stored",
                     r->n_issues);
    else if (apply) {
        struct import_job j = {in, shapes, n};
        rc = store_write(d->store, job_import, &j, e);
        if (rc == 0)
            rc = place_index_load(d, e);
        if (rc == 0)
            rc = place_regrid_cases(d, &r->regridded, e);
        if (rc == 0 && r->regridded > 0) /* the roll-ups count cases by grid */
            rc = stats_roll_reset(d, e);
    }
    for (int i = 0; i < n; i++)
        geo_shape_free(shapes[i]);
    xfree(shapes);
    xfree(sorted);
    return rc;
}

int place_import_geojson(struct domain *d, const char *text, size_t len, int epsg, int apply,
                         struct place_report *r, struct err *e)
{
    struct geo_feature *f;
    int n, rc;
    memset(r, 0, sizeof *r);
    if ((rc = geo_features_parse(text, len, &f, &n, e)))
        return rc;
    struct place_in *in = xcalloc((size_t)n + 1, sizeof *in);
    for (int i = 0; i < n; i++)
        in[i] = (struct place_in){f[i].code, f[i].kind, f[i].parent, f[i].name, f[i].geometry};
    rc = place_import(d, in, n, epsg, apply, r, e);
    xfree(in);
    geo_features_free(f, n);
    return rc;
}

/* ---- the grid index -------------------------------------------------------------- */

struct index_load {
    struct geo_index *ix; /* being built */
    int has_area;         /* subdistrict box seen */
    double area[4];       /* its box */
};

static int load_area(void *arg, const struct store_place *p)
{
    struct index_load *l = arg;
    struct geo_shape *shape;
    if (!p->geometry[0])
        return 0;
    if (strcmp(p->kind, "subdistrict") == 0) {
        l->has_area = 1;
        l->area[0] = p->minx, l->area[1] = p->miny, l->area[2] = p->maxx, l->area[3] = p->maxy;
        return 0;
    }
    if (geo_shape_from_geojson(p->geometry, strlen(p->geometry), &shape, NULL) == 0) {
        geo_index_add(l->ix, p->code, shape);
        geo_shape_free(shape);
    }
    return 0;
}

int place_index_load(struct domain *d, struct err *e)
{
    struct index_load l = {.ix = geo_index_new()};
    int rc = store_place_each(d->store, "grid", NULL, 1, load_area, &l, e);
    if (rc == 0)
        rc = store_place_each(d->store, "subdistrict", NULL, 1, load_area, &l, e);
    if (rc) {
        geo_index_free(l.ix);
        return rc;
    }
    geo_index_build(l.ix);
    pthread_rwlock_wrlock(&d->geo_lock);
    struct geo_index *old = d->grids;
    d->grids = l.ix;
    d->has_area = l.has_area;
    memcpy(d->area, l.area, sizeof d->area);
    pthread_rwlock_unlock(&d->geo_lock);
    geo_index_free(old);
    return 0;
}

int place_grid_at(struct domain *d, double lon, double lat, char out[40])
{
    int found = 0;
    pthread_rwlock_rdlock(&d->geo_lock);
    const char *code = d->grids ? geo_index_find(d->grids, lon, lat) : NULL;
    if (code) {
        str_copy(out, 40, code);
        found = 1;
    }
    pthread_rwlock_unlock(&d->geo_lock);
    return found;
}

int place_near_area(struct domain *d, double lon, double lat, double margin_m)
{
    pthread_rwlock_rdlock(&d->geo_lock);
    int ok = 1;
    if (d->has_area) {
        double dlat = margin_m / 110574.0, dlon = margin_m / (111320.0 * 0.9);
        ok = lon >= d->area[0] - dlon && lon <= d->area[2] + dlon && lat >= d->area[1] - dlat &&
             lat <= d->area[3] + dlat;
    }
    pthread_rwlock_unlock(&d->geo_lock);
    return ok;
}

int place_team_set(struct domain *d, const char *grid, int64_t user_id, const char *role, int add,
                   struct err *e)
{
    struct store_place p;
    struct store_user u;
    int known = 0;
    for (int i = 0; place_team_roles[i]; i++)
        known |= role && strcmp(place_team_roles[i], role) == 0;
    if (!known)
        return err_set(e, ERR_INVALID, "role", "unknown team role '%s'", role ? role : "");
    if (store_place_get(d->store, grid, NULL, &p, e) || strcmp(p.kind, "grid") != 0) {
        err_clear(e);
        return err_set(e, ERR_NOTFOUND, "code", "no grid %s", grid);
    }
    if (store_user_get(d->store, user_id, &u, e)) {
        err_clear(e);
        return err_set(e, ERR_INVALID, "user", "no user with id %lld", (long long)user_id);
    }
    return add ? store_grid_member_add(d->store, grid, user_id, role, e)
               : store_grid_member_remove(d->store, grid, user_id, role, e);
}

int place_rename(struct domain *d, const char *code, const char *name, struct err *e)
{
    struct store_place p;
    struct arena *a = arena_new();
    int rc = 0;
    if (!name || !*name || !utf8_valid(name, strlen(name)) || utf8_len(name) > 60)
        rc = err_set(e, ERR_INVALID, "name", "a name (UTF-8, 1..60 characters) is required");
    else if ((rc = store_place_get(d->store, code, a, &p, e)) == 0) {
        str_copy(p.name, sizeof p.name, name);
        p.updated_at = time_now();
        rc = store_place_put(d->store, &p, e);
    }
    arena_free(a);
    return rc;
}

struct regrid {
    struct domain *d; /* rules (the new index) */
    struct store *s;  /* the writer's store */
    int64_t changed;  /* cases updated */
    struct err *e;    /* errors */
};

static int regrid_one(void *arg, int64_t id, double lon, double lat, const char *grid,
                      const char *grid_status)
{
    struct regrid *r = arg;
    char now[40] = "";
    const char *status = place_grid_at(r->d, lon, lat, now) ? "in" : "outside";
    if (strcmp(now, grid) == 0 && strcmp(status, grid_status) == 0)
        return 0;
    r->changed++;
    return store_case_set_grid(r->s, id, now, status, r->e);
}

static int job_regrid(struct store *s, void *arg, struct err *e)
{
    struct regrid *r = arg;
    r->s = s;
    r->e = e;
    return store_case_each_located(s, regrid_one, r, e);
}

int place_regrid_cases(struct domain *d, int64_t *changed, struct err *e)
{
    struct regrid r = {.d = d};
    int rc = store_write(d->store, job_regrid, &r, e);
    if (changed)
        *changed = rc ? 0 : r.changed;
    return rc;
}

/* ---- the hooks of domain.c ------------------------------------------------------ */

int place__open(struct domain *d, struct err *e)
{
    return place_index_load(d, e);
}

void place__close(struct domain *d)
{
    geo_index_free(d->grids);
    d->grids = NULL;
}
