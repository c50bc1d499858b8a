/* domain.c - the domain handle: roles, reference data seeding, time limits
 * and the working calendar loaded from the store. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "domain.h"
#include "../core/embed.h"
#include "place.h"

static const char *const role_names[] = {"resident", "grid",   "dispatcher",
                                         "handler",  "leader", "admin"};

int role_parse(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(role_names); i++)
        if (name && strcmp(role_names[i], name) == 0)
            return 1 << i;
    return 0;
}

const char *role_name(int role)
{
    for (size_t i = 0; i < ARRAY_SIZE(role_names); i++)
        if (role == 1 << i)
            return role_names[i];
    return "";
}

/* One time limit row, parsed. */
struct dom_limit {
    char category[16];    /* code or "*" */
    char priority[16];    /* normal | urgent | ... */
    char stage[16];       /* register | dispatch | sign | handle | close */
    struct cal_span span; /* the limit */
};

/* ---- tab-separated data files ------------------------------------------------- */

/* Splits the next line of text (advancing *p) into up to max tab-separated
 * fields, in place. Returns the number of fields; 0 for blank or comment
 * lines; -1 at the end of the text. */
static int next_line(char **p, char **f, int max)
{
    char *s = *p;
    if (*s == '\0')
        return -1;
    char *end = strchr(s, '\n');
    *p = end ? end + 1 : s + strlen(s);
    if (end)
        *end = '\0';
    if (end > s && end[-1] == '\r')
        end[-1] = '\0';
    if (*s == '#' || *s == '\0')
        return 0;
    int n = 0;
    while (n < max) {
        f[n++] = s;
        s = strchr(s, '\t');
        if (s == NULL)
            break;
        *s++ = '\0';
    }
    return n;
}

/* Calls row(arg, fields, n, line, e) for each data line of an embedded file. */
static int each_row(const char *file, int (*row)(void *arg, char **f, int n, struct err *e),
                    void *arg, struct err *e)
{
    const struct embed_file *ef = embed_find(file);
    if (ef == NULL)
        return err_set(e, ERR_INTERNAL, NULL, "built-in file %s is missing", file);
    char *text = xstrndup((const char *)ef->data, ef->len), *p = text, *f[8];
    int n, rc = 0, line = 0;
    while (rc == 0 && (n = next_line(&p, f, 8)) >= 0) {
        line++;
        if (n > 0 && (rc = row(arg, f, n, e)) != 0)
            err_set(e, rc, NULL, "%s line %d is wrong", file, line);
    }
    xfree(text);
    return rc;
}

static int seed_category(void *arg, char **f, int n, struct err *e)
{
    struct store_category c = {0};
    if (n < 3)
        return ERR_INVALID;
    if (store_category_get(arg, f[0], &c, NULL) == 0)
        return 0; /* already there, perhaps edited: keep it */
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
    store_limit_each(arg, limit_same_key, &fk, NULL);
    if (fk.found)
        return 0; /* already there: keep it */
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
    store_whistle_type_each(arg, wt_same_code, &fk, NULL);
    if (fk.found)
        return 0; /* already there: keep it */
    str_copy(t.code, sizeof t.code, f[0]);
    str_copy(t.name, sizeof t.name, f[1]);
    t.limit_min = (int)limit;
    return store_whistle_type_put(arg, &t, e);
}

struct seed_job {
    struct err *e; /* for messages */
};

/* Stops at the first stored calendar day. */
static int any_day(void *arg, int64_t day, int kind, const char *name)
{
    (void)day, (void)kind, (void)name;
    *(int *)arg = 1;
    return 1;
}

static int job_seed(struct store *s, void *arg, struct err *e)
{
    (void)arg;
    const struct embed_file *hol = embed_find("data/holidays.txt");
    int have_days = 0, rc = 0;
    store_calendar_each(s, any_day, &have_days, NULL);
    if (hol == NULL)
        rc = err_set(e, ERR_INTERNAL, NULL, "built-in holidays are missing");
    else if (!have_days)
        rc = dom_calendar_import(s, (const char *)hol->data, hol->len, e);
    if (rc == 0)
        rc = each_row("data/categories.txt", seed_category, s, e);
    if (rc == 0)
        rc = each_row("data/time_limits.txt", seed_limit, s, e);
    if (rc == 0)
        rc = each_row("data/whistle_types.txt", seed_whistle_type, s, e);
    char v[64];
    if (rc == 0 && store_setting_get(s, "work_periods", v, sizeof v, NULL) == ERR_NOTFOUND)
        rc = store_setting_set(s, "work_periods", "09:00-12:00,14:00-18:00", e);
    if (rc == 0 && store_setting_get(s, "warn_fraction", v, sizeof v, NULL) == ERR_NOTFOUND)
        rc = store_setting_set(s, "warn_fraction", "0.8", e);
    return rc;
}

int dom_seed(struct store *s, struct err *e)
{
    return store_write(s, job_seed, NULL, e);
}

/* ---- calendar ---------------------------------------------------------------- */

struct day_iter {
    const struct cal *c; /* the calendar being copied */
    int64_t *days;       /* its special days */
    int *kinds;          /* and their kinds */
    const char **names;  /* and names */
    int n, i, cap;       /* count, cursor, allocated */
};

static int collect_day(void *arg, int64_t day, int kind, const char *name)
{
    struct day_iter *it = arg;
    if (it->n == it->cap) {
        it->cap = it->cap ? it->cap * 2 : 256;
        it->days = xrealloc(it->days, sizeof *it->days * (size_t)it->cap);
        it->kinds = xrealloc(it->kinds, sizeof *it->kinds * (size_t)it->cap);
        it->names = xrealloc(it->names, sizeof *it->names * (size_t)it->cap);
    }
    it->days[it->n] = day;
    it->kinds[it->n] = kind;
    it->names[it->n++] = name;
    return 0;
}

static int next_day(void *arg, int64_t *day, int *kind, const char **name)
{
    struct day_iter *it = arg;
    if (it->i >= it->n)
        return 0;
    *day = it->days[it->i];
    *kind = it->kinds[it->i];
    *name = it->names[it->i++];
    return 1;
}

int dom_calendar_import(struct store *s, const char *text, size_t n, struct err *e)
{
    struct cal *c = cal_new();
    struct day_iter it = {.c = c};
    int rc = cal_load_text(c, text, n, e), y0, y1;
    int64_t from, to;
    if (rc == 0) {
        cal_years(c, &y0, &y1);
        if (y0 == 0 || time_days_from_civil(y0, 1, 1, &from) ||
            time_days_from_civil(y1, 12, 31, &to))
            rc = err_set(e, ERR_INVALID, NULL, "the calendar text holds no days");
    }
    if (rc == 0) {
        cal_each_day(c, collect_day, &it);
        rc = store_calendar_replace(s, from, to, next_day, &it, e);
    }
    xfree(it.days);
    xfree(it.kinds);
    xfree(it.names);
    cal_free(c);
    return rc;
}

static int load_day(void *arg, int64_t day, int kind, const char *name)
{
    return cal_set_day(arg, day, kind, name);
}

int dom_calendar_load(struct store *s, struct cal **out, struct err *e)
{
    struct cal *c = cal_new();
    int rc;
    if (s == NULL) {
        const struct embed_file *hol = embed_find("data/holidays.txt");
        rc = hol ? cal_load_text(c, (const char *)hol->data, hol->len, e)
                 : err_set(e, ERR_INTERNAL, NULL, "built-in holidays are missing");
    } else {
        char periods[128];
        rc = store_calendar_each(s, load_day, c, e);
        if (rc == 0 && store_setting_get(s, "work_periods", periods, sizeof periods, NULL) == 0)
            rc = cal_set_periods(c, periods, e);
    }
    if (rc) {
        cal_free(c);
        return rc;
    }
    *out = c;
    return 0;
}

/* ---- limits -------------------------------------------------------------------- */

static int load_limit(void *arg, const struct store_limit *l)
{
    struct domain *d = arg;
    struct dom_limit *x;
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

static const struct dom_limit *find_limit(const struct domain *d, const char *cat, const char *prio,
                                          const char *stage)
{
    for (int i = 0; i < d->n_limits; i++) {
        const struct dom_limit *l = &d->limits[i];
        if (strcmp(l->category, cat) == 0 && strcmp(l->priority, prio) == 0 &&
            strcmp(l->stage, stage) == 0)
            return l;
    }
    return NULL;
}

int dom_limit(const struct domain *d, const char *category, const char *priority, const char *stage,
              struct cal_span *out, struct err *e)
{
    const struct dom_limit *l = find_limit(d, category, priority, stage);
    if (l == NULL)
        l = find_limit(d, "*", priority, stage);
    if (l == NULL)
        return err_set(e, ERR_NOTFOUND, "priority", "no %s time limit for priority '%s'", stage,
                       priority);
    *out = l->span;
    return 0;
}

int dom_priority_known(const struct domain *d, const char *priority)
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

int dom_whistle_limit(const struct domain *d, const char *type)
{
    struct wt_find f = {type, -1};
    if (type == NULL || store_whistle_type_each(d->store, find_wt, &f, NULL) < 0)
        return -1;
    return f.limit;
}

int dom_open(struct store *s, struct domain **out, struct err *e)
{
    struct domain *d = xcalloc(1, sizeof *d);
    char v[32];
    d->store = s;
    pthread_rwlock_init(&d->geo_lock, NULL);
    d->warn_fraction = 0.8;
    if (store_setting_get(s, "warn_fraction", v, sizeof v, NULL) == 0) {
        double f = strtod(v, NULL);
        if (f > 0 && f < 1)
            d->warn_fraction = f;
    }
    int rc = dom_calendar_load(s, &d->cal, e);
    if (rc == 0)
        rc = store_limit_each(s, load_limit, d, e);
    if (rc == 0)
        rc = place_index_load(d, e);
    if (rc) {
        dom_close(d);
        return rc;
    }
    *out = d;
    return 0;
}

void dom_close(struct domain *d)
{
    if (d == NULL)
        return;
    cal_free(d->cal);
    xfree(d->limits);
    geo_index_free(d->grids);
    pthread_rwlock_destroy(&d->geo_lock);
    xfree(d);
}
