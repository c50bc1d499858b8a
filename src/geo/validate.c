/*
 * validate.c - checks of a boundary set (see geo_validate in geo.h).
 *
 * Per area (in code order): "empty" for an empty shape; "invalid" with GEOS's
 * reason and location when GEOSisValidDetail fails (the later checks then use
 * a copy repaired by GEOSMakeValid, so one bad ring does not hide the
 * others' problems). Point shapes are not areas and are skipped.
 *
 * Per parent (the areas sharing one parent code, in parent order):
 *  - overlap: siblings whose intersection exceeds tol_m2. The union of the
 *    siblings is computed once (GEOSUnaryUnion); when the sum of their areas
 *    exceeds the union's by at most tol_m2 no pair can overlap by more, and
 *    the pairwise pass is skipped (the common case of a clean tiling).
 *    Otherwise an STRtree of the siblings gives the candidate pairs.
 *  - outside: a child whose part outside its parent exceeds tol_m2 (cheap
 *    GEOSPreparedCovers first, the difference only when it fails).
 *  - gap: each connected piece of parent minus the union of its children
 *    larger than tol_m2, when the parent has a shape.
 * Areas are in m^2 on the WGS-84 ellipsoid (geo__area_m2). GEOS failures
 * (robustness exceptions) become "invalid" findings, never crashes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "geo_int.h"

/* One area being validated. */
struct vitem {
    const char *code;      /* its code */
    const char *parent;    /* its parent's code ("" for a root) */
    const GEOSGeometry *g; /* geometry for the set checks (NULL: skip) */
    GEOSGeometry *fixed;   /* owned repaired copy, when the input was invalid */
    double area;           /* m^2 of g */
    int order;             /* input position (tie-break) */
    int cover;             /* its children must cover it */
};

/* State of one geo_validate call. */
struct vctx {
    GEOSContextHandle_t h;    /* this thread's GEOS context */
    double tol;               /* tolerance in m^2 */
    struct geo_issue *issues; /* the caller's array */
    int max;                  /* its size */
    int count;                /* findings so far (may exceed max) */
};

/* Records a finding (written only while there is room). */
__attribute__((format(printf, 7, 8))) static void add_issue(struct vctx *v, const char *code,
                                                            const char *other, const char *kind,
                                                            double lon, double lat, const char *fmt,
                                                            ...)
{
    if (v->count < v->max) {
        struct geo_issue *x = &v->issues[v->count];
        memset(x, 0, sizeof *x);
        str_copy(x->code, sizeof x->code, code);
        str_copy(x->other, sizeof x->other, other ? other : "");
        str_copy(x->kind, sizeof x->kind, kind);
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(x->detail, sizeof x->detail, fmt, ap);
        va_end(ap);
        x->lon = lon;
        x->lat = lat;
    }
    v->count++;
}

/* Records that GEOS failed during a check (as an "invalid" finding). */
static void geos_failed(struct vctx *v, const struct vitem *it, const char *check)
{
    double x, y;
    geo__inner_point(v->h, it->g, &x, &y);
    add_issue(v, it->code, "", "invalid", x, y, "GEOS failed in the %s check: %s", check,
              geo__last_error());
}

/* Orders item pointers by code, then input position. */
static int cmp_code(const void *pa, const void *pb)
{
    const struct vitem *a = *(const struct vitem *const *)pa, *b = *(const struct vitem *const *)pb;
    int c = strcmp(a->code, b->code);
    return c ? c : a->order - b->order;
}

/* Orders item pointers by parent code, then code. */
static int cmp_parent(const void *pa, const void *pb)
{
    const struct vitem *a = *(const struct vitem *const *)pa, *b = *(const struct vitem *const *)pb;
    int c = strcmp(a->parent, b->parent);
    return c ? c : cmp_code(pa, pb);
}

/* The item with this code in the code-sorted array, or NULL. */
static struct vitem *find_code(struct vitem **by_code, int n, const char *code)
{
    int lo = 0, hi = n - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2, c = strcmp(by_code[mid]->code, code);
        if (c == 0) {
            while (mid > 0 && strcmp(by_code[mid - 1]->code, code) == 0)
                mid--;
            return by_code[mid];
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return NULL;
}

/* ---- per area ---------------------------------------------------------------- */

/* A polygonal repair of g (GEOSMakeValid, structure method); NULL if none. */
static GEOSGeometry *repair(GEOSContextHandle_t h, const GEOSGeometry *g)
{
    GEOSMakeValidParams *p = GEOSMakeValidParams_create_r(h);
    if (p == NULL)
        return NULL;
    GEOSMakeValidParams_setMethod_r(h, p, GEOS_MAKE_VALID_STRUCTURE);
    GEOSMakeValidParams_setKeepCollapsed_r(h, p, 0);
    GEOSGeometry *r = GEOSMakeValidWithParams_r(h, g, p);
    GEOSMakeValidParams_destroy_r(h, p);
    if (r && GEOSisEmpty_r(h, r)) {
        GEOSGeom_destroy_r(h, r);
        r = NULL;
    }
    return r;
}

/* Empty and validity checks of one area; sets it->g for the set checks. */
static void check_area(struct vctx *v, struct vitem *it, const struct geo_shape *s)
{
    GEOSContextHandle_t h = v->h;
    if (s->type == 1) /* a point is not an area */
        return;
    if (GEOSisEmpty_r(h, s->g)) {
        add_issue(v, it->code, "", "empty", 0, 0, "the boundary is empty");
        return;
    }
    char *reason = NULL;
    GEOSGeometry *loc = NULL;
    geo__clear_error();
    char ok = GEOSisValidDetail_r(h, s->g, 0, &reason, &loc);
    if (ok == 1) {
        it->g = s->g;
    } else {
        double x = 0, y = 0;
        if (loc == NULL || !GEOSGeomGetX_r(h, loc, &x) || !GEOSGeomGetY_r(h, loc, &y))
            geo__inner_point(h, s->g, &x, &y);
        it->fixed = repair(h, s->g);
        it->g = it->fixed;
        add_issue(v, it->code, "", "invalid", x, y, "%s%s",
                  reason    ? reason
                  : ok == 2 ? geo__last_error()
                            : "invalid geometry",
                  it->g ? " (the other checks use a repaired copy)"
                        : " (cannot be repaired; not checked further)");
    }
    if (reason)
        GEOSFree_r(h, reason);
    if (loc)
        GEOSGeom_destroy_r(h, loc);
    if (it->g)
        it->area = geo__area_m2(h, it->g);
}

/* ---- per parent ---------------------------------------------------------------- */

/* Collects candidate siblings from the STRtree. */
struct cands {
    struct vitem **v; /* candidates */
    int n, cap;       /* count, capacity */
};

/* STRtree callback: appends a candidate sibling. */
static void on_cand(void *item, void *ud)
{
    struct cands *c = ud;
    if (c->n == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 16;
        c->v = xrealloc(c->v, (size_t)c->cap * sizeof *c->v);
    }
    c->v[c->n++] = item;
}

/* Reports the intersection of a and b if it exceeds the tolerance. */
static void check_pair(struct vctx *v, const struct vitem *a, const struct vitem *b)
{
    geo__clear_error();
    GEOSGeometry *x = GEOSIntersection_r(v->h, a->g, b->g);
    if (x == NULL) {
        geos_failed(v, a, "overlap");
        return;
    }
    double m2 = geo__area_m2(v->h, x);
    if (m2 > v->tol) {
        double lon, lat;
        geo__inner_point(v->h, x, &lon, &lat);
        add_issue(v, a->code, b->code, "overlap", lon, lat, "%s and %s overlap by %.1f m\u00b2",
                  a->code, b->code, m2);
    }
    GEOSGeom_destroy_r(v->h, x);
}

/* Pairwise overlaps among siblings s[0..n) (STRtree of their envelopes, then
 * prepared intersects, then the intersection's area). Pairs in code order. */
static void check_overlaps(struct vctx *v, struct vitem **s, int n)
{
    GEOSContextHandle_t h = v->h;
    GEOSSTRtree *t = GEOSSTRtree_create_r(h, 10);
    struct cands c = {0};
    for (int i = 0; i < n; i++)
        GEOSSTRtree_insert_r(h, t, s[i]->g, s[i]);
    for (int i = 0; i < n; i++) {
        c.n = 0;
        GEOSSTRtree_query_r(h, t, s[i]->g, on_cand, &c);
        if (c.n > 1)
            qsort(c.v, (size_t)c.n, sizeof *c.v, cmp_code);
        const GEOSPreparedGeometry *pg = NULL;
        for (int k = 0; k < c.n; k++) {
            if (cmp_code(&c.v[k], &s[i]) <= 0) /* each pair once, lower code first */
                continue;
            if (pg == NULL && (pg = GEOSPrepare_r(h, s[i]->g)) == NULL)
                break;
            if (GEOSPreparedIntersects_r(h, pg, c.v[k]->g) == 1)
                check_pair(v, s[i], c.v[k]);
        }
        if (pg)
            GEOSPreparedGeom_destroy_r(h, pg);
    }
    xfree(c.v);
    GEOSSTRtree_destroy_r(h, t);
}

/* Children of parent p sticking out of it by more than the tolerance. */
static void check_outside(struct vctx *v, const struct vitem *p, struct vitem **s, int n)
{
    GEOSContextHandle_t h = v->h;
    const GEOSPreparedGeometry *pg = GEOSPrepare_r(h, p->g);
    for (int i = 0; i < n; i++) {
        if (pg && GEOSPreparedCovers_r(h, pg, s[i]->g) == 1)
            continue;
        geo__clear_error();
        GEOSGeometry *d = GEOSDifference_r(h, s[i]->g, p->g);
        if (d == NULL) {
            geos_failed(v, s[i], "outside-parent");
            continue;
        }
        double m2 = geo__area_m2(h, d);
        if (m2 > v->tol) {
            double lon, lat;
            geo__inner_point(h, d, &lon, &lat);
            add_issue(v, s[i]->code, p->code, "outside", lon, lat,
                      "%.1f m\u00b2 of %s lies outside its parent %s", m2, s[i]->code, p->code);
        }
        GEOSGeom_destroy_r(h, d);
    }
    if (pg)
        GEOSPreparedGeom_destroy_r(h, pg);
}

/* Pieces of parent p not covered by u (the union of its n children). */
static void check_gaps(struct vctx *v, const struct vitem *p, const GEOSGeometry *u, int n)
{
    GEOSContextHandle_t h = v->h;
    geo__clear_error();
    GEOSGeometry *d = GEOSDifference_r(h, p->g, u);
    if (d == NULL) {
        geos_failed(v, p, "gap");
        return;
    }
    int parts = GEOSGetNumGeometries_r(h, d);
    for (int i = 0; i < parts; i++) {
        const GEOSGeometry *piece = GEOSGetGeometryN_r(h, d, i);
        double m2 = geo__area_m2(h, piece);
        if (m2 > v->tol) {
            double lon, lat;
            geo__inner_point(h, piece, &lon, &lat);
            add_issue(v, p->code, "", "gap", lon, lat,
                      "%.1f m\u00b2 of %s is covered by none of its %d child area(s)", m2, p->code,
                      n);
        }
    }
    GEOSGeom_destroy_r(h, d);
}

/* Union of the geometries of s[0..n); NULL if GEOS fails. */
static GEOSGeometry *union_of(GEOSContextHandle_t h, struct vitem **s, int n)
{
    GEOSGeometry **parts = xcalloc((size_t)n, sizeof *parts);
    for (int i = 0; i < n; i++)
        parts[i] = GEOSGeom_clone_r(h, s[i]->g);
    GEOSGeometry *coll =
        GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, parts, (unsigned)n);
    GEOSGeometry *u = NULL;
    if (coll) {
        u = GEOSUnaryUnion_r(h, coll);
        GEOSGeom_destroy_r(h, coll);
    } else {
        for (int i = 0; i < n; i++)
            if (parts[i])
                GEOSGeom_destroy_r(h, parts[i]);
    }
    xfree(parts);
    return u;
}

/* All set checks for the children s[0..n) of one parent (p: the parent's
 * item, or NULL if it is not in the set). */
static void check_family(struct vctx *v, const struct vitem *p, struct vitem **s, int n)
{
    GEOSContextHandle_t h = v->h;
    int with_parent = p && p->g;
    if (n < 2 && !with_parent)
        return;
    geo__clear_error();
    GEOSGeometry *u = union_of(h, s, n);
    if (n >= 2) {
        double sum = 0;
        for (int i = 0; i < n; i++)
            sum += s[i]->area;
        if (u == NULL || sum - geo__area_m2(h, u) > v->tol)
            check_overlaps(v, s, n);
    }
    if (with_parent) {
        check_outside(v, p, s, n);
        if (u && p->cover)
            check_gaps(v, p, u, n);
        else if (u == NULL)
            geos_failed(v, p, "gap");
    }
    if (u)
        GEOSGeom_destroy_r(h, u);
}

/* Validates a boundary set (see geo.h). Findings come in this order: per
 * area in code order (empty, invalid), then per parent code (overlaps
 * between its children, children outside it, gaps in it). For "outside",
 * `other` is the parent; for "gap", `code` is the parent. tol_m2 < 0 counts
 * as 0. Returns the number of findings (only the first max are written). */
int geo_validate(const struct geo_area *areas, int n, double tol_m2, struct geo_issue *issues,
                 int max)
{
    struct vctx v = {geo__ctx(), tol_m2 > 0 ? tol_m2 : 0, issues, max > 0 ? max : 0, 0};
    if (n <= 0)
        return 0;
    struct vitem *items = xcalloc((size_t)n, sizeof *items);
    struct vitem **by_code = xcalloc((size_t)n, sizeof *by_code);
    struct vitem **by_parent = xcalloc((size_t)n, sizeof *by_parent);
    int nc = 0, np = 0;
    for (int i = 0; i < n; i++) {
        if (areas[i].shape == NULL || areas[i].code == NULL)
            continue;
        items[i] =
            (struct vitem){areas[i].code, areas[i].parent ? areas[i].parent : "", NULL, NULL, 0, i,
                           areas[i].cover};
        by_code[nc++] = &items[i];
    }
    qsort(by_code, (size_t)nc, sizeof *by_code, cmp_code);
    for (int k = 0; k < nc; k++) {
        check_area(&v, by_code[k], areas[by_code[k]->order].shape);
        if (by_code[k]->g)
            by_parent[np++] = by_code[k];
    }
    qsort(by_parent, (size_t)np, sizeof *by_parent, cmp_parent);
    for (int k = 0; k < np;) {
        int end = k + 1;
        while (end < np && strcmp(by_parent[end]->parent, by_parent[k]->parent) == 0)
            end++;
        const char *pc = by_parent[k]->parent;
        check_family(&v, pc[0] ? find_code(by_code, nc, pc) : NULL, by_parent + k, end - k);
        k = end;
    }
    for (int i = 0; i < n; i++)
        if (items[i].fixed)
            GEOSGeom_destroy_r(v.h, items[i].fixed);
    xfree(items);
    xfree(by_code);
    xfree(by_parent);
    return v.count;
}
