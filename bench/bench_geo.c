/*
 * bench_geo.c - the point -> grid index and boundary validation at city size.
 *
 * usage: build/bench/bench_geo [SIDE [POINTS [RUNS]]]  (defaults 100 1000000 5)
 *
 * Makes SIDE x SIDE grids of irregular quadrilaterals (a vertex lattice of
 * 0.001 degree, about 100 m, jittered by up to 30%) near 102.75E 24.95N,
 * parses them from GeoJSON, builds the index, and times POINTS lookups of
 * random points (over the tiled area widened by 5% on each side, so some
 * fall outside) on one thread, RUNS times: first the fast path
 * (geo_index_find), then the GEOS reference path (STRtree + prepared
 * intersects). Checks that both agree on every point, measures two threads,
 * and times geo_validate on the tiling under one parent, clean and with one
 * overlapping grid (which forces the pairwise pass). Prints one line per run
 * and the medians.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "geo/geo.h"
#include "geo/geo_int.h"

#define X0 102.75 /* south-west corner of the tiling */
#define Y0 24.95
#define D  0.001 /* lattice step in degrees */

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;
/* Uniform in [0, 1) (xorshift64; fixed seed, so runs are repeatable). */
static double urand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (double)(rng >> 11) / 9007199254740992.0;
}

/* qsort order of doubles. */
static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median of v[0..n) (sorts v). */
static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Parses GeoJSON or exits. */
static struct geo_shape *parse(const char *json)
{
    struct err e = {0};
    struct geo_shape *s;
    if (geo_shape_from_geojson(json, strlen(json), &s, &e)) {
        fprintf(stderr, "bench_geo: %s\n", e.msg);
        exit(1);
    }
    return s;
}

/* One lookup thread. */
struct job {
    struct geo_index *ix; /* shared index */
    const double *pts;    /* x, y pairs */
    long n;               /* points */
    long found;           /* OUT: points inside a grid */
};

/* Thread body: looks every point up once. */
static void *run_job(void *arg)
{
    struct job *j = arg;
    long found = 0;
    for (long k = 0; k < j->n; k++)
        found += geo_index_find(j->ix, j->pts[2 * k], j->pts[2 * k + 1]) != NULL;
    j->found = found;
    return NULL;
}

/* Times `runs` passes of find over the points; prints and returns the median. */
static double time_lookups(const char *name, struct geo_index *ix, const double *pts, long n,
                           int runs, int geos)
{
    double rate[16];
    long found = 0;
    for (int r = 0; r < runs; r++) {
        double t = now();
        found = 0;
        for (long k = 0; k < n; k++) {
            const char *c = geos ? geo__index_find_geos(ix, pts[2 * k], pts[2 * k + 1])
                                 : geo_index_find(ix, pts[2 * k], pts[2 * k + 1]);
            found += c != NULL;
        }
        rate[r] = (double)n / (now() - t);
        printf("%-5s run %d: %ld lookups, %ld in a grid, %.0f lookups/s\n", name, r + 1, n, found,
               rate[r]);
    }
    double m = median(rate, runs);
    printf("%-5s median: %.0f lookups/s (%.0f ns each)\n", name, m, 1e9 / m);
    return m;
}

/* The tiling's GeoJSON grid (i, j) from the jittered lattice. */
static void grid_json(char *out, size_t n, const double *vx, const double *vy, int side, int i,
                      int j)
{
    int a = i * (side + 1) + j, b = (i + 1) * (side + 1) + j;
    snprintf(out, n,
             "{\"type\":\"Polygon\",\"coordinates\":[[[%.7f,%.7f],[%.7f,%.7f],[%.7f,%.7f],"
             "[%.7f,%.7f],[%.7f,%.7f]]]}",
             vx[a], vy[a], vx[b], vy[b], vx[b + 1], vy[b + 1], vx[a + 1], vy[a + 1], vx[a], vy[a]);
}

/* Times geo_validate of the tiling under one parent. */
static void bench_validate(struct geo_shape **s, char (*codes)[16], int n, int side)
{
    char json[400];
    double e = X0 + side * D, north = Y0 + side * D;
    snprintf(json, sizeof json,
             "{\"type\":\"Polygon\",\"coordinates\":[[[%.7f,%.7f],[%.7f,%.7f],[%.7f,%.7f],"
             "[%.7f,%.7f],[%.7f,%.7f]]]}",
             X0, Y0, e, Y0, e, north, X0, north, X0, Y0);
    struct geo_shape *parent = parse(json);
    struct geo_area *a = xcalloc((size_t)n + 2, sizeof *a);
    struct geo_issue is[16];
    a[0] = (struct geo_area){"P", "", parent, 1};
    for (int i = 0; i < n; i++)
        a[i + 1] = (struct geo_area){codes[i], "P", s[i], 1};
    double t = now();
    int found = geo_validate(a, n + 1, 1.0, is, 16);
    printf("validate: %d grids under one parent, clean: %d finding(s) in %.3f s\n", n, found,
           now() - t);
    /* one extra grid overlapping four others: the pairwise pass runs */
    double cx = X0 + side / 2 * D, cy = Y0 + side / 2 * D;
    snprintf(json, sizeof json,
             "{\"type\":\"Polygon\",\"coordinates\":[[[%.7f,%.7f],[%.7f,%.7f],[%.7f,%.7f],"
             "[%.7f,%.7f],[%.7f,%.7f]]]}",
             cx, cy, cx + D, cy, cx + D, cy + D, cx, cy + D, cx, cy);
    struct geo_shape *extra = parse(json);
    a[n + 1] = (struct geo_area){"ZZZZ", "P", extra, 1};
    t = now();
    found = geo_validate(a, n + 2, 1.0, is, 16);
    printf("validate: %d grids under one parent, one overlapping: %d finding(s) in %.3f s\n", n + 1,
           found, now() - t);
    for (int i = 0; i < found && i < 3; i++)
        printf("  %s %s %s: %s\n", is[i].kind, is[i].code, is[i].other, is[i].detail);
    geo_shape_free(extra);
    geo_shape_free(parent);
    xfree(a);
}

int main(int argc, char **argv)
{
    int side = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 100;
    long npts = argc > 2 ? strtol(argv[2], NULL, 10) : 1000000;
    int runs = argc > 3 ? (int)strtol(argv[3], NULL, 10) : 5;
    if (side < 2 || side > 1000 || npts < 1 || runs < 1 || runs > 16) {
        fprintf(stderr, "usage: bench_geo [SIDE 2..1000 [POINTS [RUNS 1..16]]]\n");
        return 2;
    }
    if (geo_init()) {
        fprintf(stderr, "bench_geo: GEOS did not start\n");
        return 1;
    }
    int n = side * side, nv = (side + 1) * (side + 1);
    double *vx = xmalloc(sizeof *vx * (size_t)nv), *vy = xmalloc(sizeof *vy * (size_t)nv);
    for (int i = 0; i <= side; i++)
        for (int j = 0; j <= side; j++) {
            int edge = i == 0 || j == 0 || i == side || j == side;
            vx[i * (side + 1) + j] = X0 + (i + (edge ? 0 : (urand() - 0.5) * 0.6)) * D;
            vy[i * (side + 1) + j] = Y0 + (j + (edge ? 0 : (urand() - 0.5) * 0.6)) * D;
        }
    struct geo_shape **s = xmalloc(sizeof *s * (size_t)n);
    char(*codes)[16] = xmalloc(sizeof *codes * (size_t)n);
    char json[400];
    double t = now();
    for (int i = 0; i < side; i++)
        for (int j = 0; j < side; j++) {
            grid_json(json, sizeof json, vx, vy, side, i, j);
            s[i * side + j] = parse(json);
            snprintf(codes[i * side + j], sizeof codes[0], "G%04d%04d", i, j);
        }
    printf("geo bench: %d grids of ~100 m (%d x %d), %ld points, %d runs\n", n, side, side, npts,
           runs);
    printf("parse: %d GeoJSON polygons in %.3f s\n", n, now() - t);
    t = now();
    struct geo_index *ix = geo_index_new();
    for (int k = 0; k < n; k++)
        geo_index_add(ix, codes[k], s[k]);
    double t_add = now() - t;
    t = now();
    geo_index_build(ix);
    double t_build = now() - t;
    long fallbacks;
    int cells;
    double per;
    geo__index_stats(ix, &fallbacks, &cells, &per);
    printf("index: add %.3f s, build %.3f s (%d buckets, %.2f candidates per bucket)\n", t_add,
           t_build, cells, per);

    double w = side * D, *pts = xmalloc(sizeof *pts * 2 * (size_t)npts);
    for (long k = 0; k < npts; k++) {
        pts[2 * k] = X0 - 0.05 * w + urand() * 1.1 * w;
        pts[2 * k + 1] = Y0 - 0.05 * w + urand() * 1.1 * w;
    }
    double fast = time_lookups("fast", ix, pts, npts, runs, 0);
    geo__index_stats(ix, &fallbacks, &cells, &per);
    printf("fast  GEOS fallbacks: %ld of %ld lookups\n", fallbacks, npts * runs);
    double ref = time_lookups("GEOS", ix, pts, npts, runs, 1);
    printf("speed-up of the fast path: %.1fx\n", fast / ref);
    long differ = 0;
    for (long k = 0; k < npts; k++) {
        const char *a = geo_index_find(ix, pts[2 * k], pts[2 * k + 1]);
        const char *b = geo__index_find_geos(ix, pts[2 * k], pts[2 * k + 1]);
        differ += (a == NULL) != (b == NULL) || (a && strcmp(a, b) != 0);
    }
    printf("check: fast and GEOS paths differ on %ld of %ld points\n", differ, npts);

    enum { NT = 2 };
    pthread_t th[NT];
    struct job jobs[NT];
    t = now();
    for (int i = 0; i < NT; i++) {
        jobs[i] = (struct job){ix, pts, npts, 0};
        pthread_create(&th[i], NULL, run_job, &jobs[i]);
    }
    for (int i = 0; i < NT; i++)
        pthread_join(th[i], NULL);
    printf("fast  %d threads: %.0f lookups/s in total\n", NT, NT * (double)npts / (now() - t));

    bench_validate(s, codes, n, side);
    geo_index_free(ix);
    for (int k = 0; k < n; k++)
        geo_shape_free(s[k]);
    xfree(s);
    xfree(codes);
    xfree(pts);
    xfree(vx);
    xfree(vy);
    geo_shutdown();
    return differ != 0;
}
