/* case_ref.c - the reference data of cases: categories, time limits and
 * whistle types seeded from the data/ text files, and the limits looked up. */
#include <stdlib.h>
#include <string.h>
#include "case_int.h"
#include "domain/domain_int.h"

/* One time limit row, parsed. */
struct case_limit {
    char category[16];    /* code or "*" */
    char priority[16];    /* normal | urgent | ... */
    char stage[16];       /* register | dispatch | sign | handle | close */
    struct cal_span span; /* the limit */
};

static int seed_category(void *arg, char **f, int n, struct err *e)
{
    struct store_category c = {0};
    if (n < 3)
        return ERR_INVALID;
    int rc = store_category_get(arg, f[0], &c, e);
    if (rc != ERR_NOTFOUND)
        return rc; /* already there, perhaps edited: keep it (or the read failed) */
    err_clear(e);
    str_copy(c.code, sizeof c.code, f[0]);
    str_copy(c.name, sizeof c.name, f[1]);
    str_copy(c.group, sizeof c.group, f[2]);
    str_copy(c.unit_code, sizeof c.unit_code, n > 3 ? f[3] : "");
    str_copy(c.whistle, sizeof c.whistle, n > 4 ? f[4] : "");
    return store_category_put(arg, &c, e);
}

/* A search for a stored row by key. */
struct find_key {
    const void *key; /* what is sought */
    int found;       /* set when seen */
};

/* Finds a stored limit row with the key of the sought limit. */
static int limit_same_key(void *arg, const struct store_limit *x)
{
    struct find_key *f = arg;
    const struct store_limit *l = f->key;
    f->found = strcmp(x->category, l->category) == 0 && strcmp(x->priority, l->priority) == 0 &&
               strcmp(x->stage, l->stage) == 0;
    return f->found;
}

static int seed_limit(void *arg, char **f, int n, struct err *e)
{
    struct store_limit l;
    struct cal_span span;
    if (n < 4 || cal_span_parse(f[3], &span))
        return ERR_INVALID;
    str_copy(l.category, sizeof l.category, f[0]);
    str_copy(l.priority, sizeof l.priority, f[1]);
    str_copy(l.stage, sizeof l.stage, f[2]);
    struct find_key fk = {&l, 0};
    int rc = store_limit_each(arg, limit_same_key, &fk, e);
    if (rc < 0 || fk.found)
        return rc < 0 ? rc : 0; /* already there: keep it */
    str_copy(l.span, sizeof l.span, f[3]);
    return store_limit_put(arg, &l, e);
}

/* Finds a stored whistle type by code. */
static int wt_same_code(void *arg, const struct store_whistle_type *t)
{
    struct find_key *f = arg;
    f->found = strcmp(t->code, f->key) == 0;
    return f->found;
}

static int seed_whistle_type(void *arg, char **f, int n, struct err *e)
{
    struct store_whistle_type t;
    int64_t limit;
    if (n < 3 || str_to_i64(f[2], &limit) || limit < 1)
        return ERR_INVALID;
    struct find_key fk = {f[0], 0};
    int rc = store_whistle_type_each(arg, wt_same_code, &fk, e);
    if (rc < 0 || fk.found)
        return rc < 0 ? rc : 0; /* already there: keep it */
    str_copy(t.code, sizeof t.code, f[0]);
    str_copy(t.name, sizeof t.name, f[1]);
    t.limit_min = (int)limit;
    return store_whistle_type_put(arg, &t, e);
}

static int load_limit(void *arg, const struct store_limit *l)
{
    struct domain *d = arg;
    struct case_limit *x;
    d->limits = xrealloc(d->limits, sizeof *d->limits * (size_t)(d->n_limits + 1));
    x = &d->limits[d->n_limits];
    if (cal_span_parse(l->span, &x->span))
        return 0; /* a malformed row is ignored, as if absent */
    str_copy(x->category, sizeof x->category, l->category);
    str_copy(x->priority, sizeof x->priority, l->priority);
    str_copy(x->stage, sizeof x->stage, l->stage);
    d->n_limits++;
    return 0;
}

static const struct case_limit *find_limit(const struct domain *d, const char *cat,
                                           const char *prio, const char *stage)
{
    for (int i = 0; i < d->n_limits; i++) {
        const struct case_limit *l = &d->limits[i];
        if (strcmp(l->category, cat) == 0 && strcmp(l->priority, prio) == 0 &&
            strcmp(l->stage, stage) == 0)
            return l;
    }
    return NULL;
}

int case_limit(const struct domain *d, const char *category, const char *priority,
               const char *stage, struct cal_span *out, struct err *e)
{
    const struct case_limit *l = find_limit(d, category, priority, stage);
    if (l == NULL)
        l = find_limit(d, "*", priority, stage);
    if (l == NULL)
        return err_set(e, ERR_NOTFOUND, "priority", "no %s time limit for priority '%s'", stage,
                       priority);
    *out = l->span;
    return 0;
}

int case_priority_known(const struct domain *d, const char *priority)
{
    for (int i = 0; priority && i < d->n_limits; i++)
        if (strcmp(d->limits[i].priority, priority) == 0)
            return 1;
    return 0;
}

struct wt_find {
    const char *code; /* wanted */
    int limit;        /* found limit, -1 if none */
};

static int find_wt(void *arg, const struct store_whistle_type *t)
{
    struct wt_find *f = arg;
    if (strcmp(t->code, f->code) != 0)
        return 0;
    f->limit = t->limit_min;
    return 1;
}

int case_whistle_limit(const struct domain *d, const char *type, int *limit, struct err *e)
{
    struct wt_find f = {type, -1};
    int rc = type ? store_whistle_type_each(d->store, find_wt, &f, e) : 0;
    if (rc < 0)
        return rc;
    if (f.limit < 0)
        return err_set(e, ERR_INVALID, "type", "unknown whistle type '%s'", type ? type : "");
    *limit = f.limit;
    return 0;
}

/* ---- the hooks of domain.c ------------------------------------------------------ */

int case__ref_seed(struct store *s, struct err *e)
{
    char v[32];
    int rc = dom__each_row("data/categories.txt", seed_category, s, e);
    if (rc == 0)
        rc = dom__each_row("data/time_limits.txt", seed_limit, s, e);
    if (rc == 0)
        rc = dom__each_row("data/whistle_types.txt", seed_whistle_type, s, e);
    if (rc == 0 && (rc = store_setting_get(s, "warn_fraction", v, sizeof v, e)) == ERR_NOTFOUND)
        rc = store_setting_set(s, "warn_fraction", "0.8", e);
    return rc;
}

int case__ref_open(struct domain *d, struct err *e)
{
    char v[32];
    d->warn_fraction = 0.8;
    int rc = store_setting_get(d->store, "warn_fraction", v, sizeof v, e);
    if (rc == 0) {
        double f = strtod(v, NULL);
        if (f > 0 && f < 1)
            d->warn_fraction = f;
    } else if (rc != ERR_NOTFOUND) {
        return rc;
    }
    return store_limit_each(d->store, load_limit, d, e);
}

void case__ref_close(struct domain *d)
{
    xfree(d->limits);
    d->limits = NULL;
    d->n_limits = 0;
}
