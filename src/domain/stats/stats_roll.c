/*
 * stats_roll.c - keeps the statistics roll-ups (006_stats_roll.sql) in step
 * with the event log.
 *
 * What a case contributes to the figures of a period ending on day T is
 * F(T) = stats__case_vector(its events up to the end of T). F changes only
 * on the days of its events and on the day its closing deadline passes (a
 * case becomes "due to close" then). The roll-up stores, per (report day,
 * day of change, grid), the sum of those changes, so the facts at the end of
 * T are the sum of the rows with cday <= T.
 *
 * A cursor (setting stats_roll_event) says up to which event the rows are
 * complete. Catching up takes every case with newer events, works out F
 * before (events up to the cursor) and after (all events) on each day where
 * either may change from the first new event on, and adds the differences.
 * Old events are never re-read except those of the cases touched.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "stats_int.h"

#define ROLL_CURSOR   "stats_roll_event"
#define ROLL_CALENDAR "stats_roll_calendar"
#define ROLL_CHUNK    20000 /* events per catching-up transaction */

_Static_assert(SF_COUNT <= STORE_ROLL_NV, "the roll-up table has too few value columns");

/* A roll-up or intake row's change, summed over a chunk before it is
 * written (many cases share a report day, a change day and a place). */
struct pend {
    int intake;                   /* 1: an intake row (v[0] cases) */
    int lvl;                      /* level */
    int64_t rday, cday;           /* days (cday unused for intake) */
    char grid[24];                /* row key */
    char channel[24], nature[24]; /* intake only */
    int64_t v[SF_COUNT];          /* the summed change */
};

struct roll {
    struct domain *d;
    struct pend *pend; /* pending changes (heap, grown) */
    int n_pend, cap_pend;
    int *slot;              /* hash of pend: index + 1, 0 empty */
    int n_slot;             /* a power of two > 2 * cap_pend */
    int64_t after, upto;    /* events (after, upto] are new */
    struct store_event *ev; /* the events of the current case (heap, grown) */
    int n_ev, cap_ev;
    int64_t case_id; /* current case, 0 before the first */
    char channel[24], nature[24], grid[24];
    int64_t cases; /* cases caught up */
    int64_t *days; /* change days of the current case (heap, grown) */
    int cap_days;
};

static int day_cmp(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return a < b ? -1 : a > b;
}

static unsigned pend_hash(const struct pend *p)
{
    unsigned h = 2166136261u;
    const char *parts[3] = {p->grid, p->channel, p->nature};
    int64_t nums[4] = {p->intake, p->lvl, p->rday, p->cday};
    for (int i = 0; i < 4; i++)
        h = (h ^ (unsigned)(nums[i] & 0xffffffff)) * 16777619u;
    for (int i = 0; i < 3; i++)
        for (const char *c = parts[i]; *c; c++)
            h = (h ^ (unsigned char)*c) * 16777619u;
    return h;
}

static int pend_same(const struct pend *a, const struct pend *b)
{
    return a->intake == b->intake && a->lvl == b->lvl && a->rday == b->rday && a->cday == b->cday &&
           strcmp(a->grid, b->grid) == 0 && strcmp(a->channel, b->channel) == 0 &&
           strcmp(a->nature, b->nature) == 0;
}

static int *pend_slot(struct roll *r, const struct pend *p)
{
    unsigned mask = (unsigned)r->n_slot - 1, i = pend_hash(p) & mask;
    while (r->slot[i] && !pend_same(&r->pend[r->slot[i] - 1], p))
        i = (i + 1) & mask;
    return &r->slot[i];
}

/* Adds v (n values) to the pending row like key. */
static void pend_add(struct roll *r, const struct pend *key, const int64_t *v, int n)
{
    if (r->n_pend == r->cap_pend) {
        r->cap_pend = r->cap_pend ? 2 * r->cap_pend : 1024;
        r->pend = xrealloc(r->pend, (size_t)r->cap_pend * sizeof *r->pend);
        r->n_slot = 4 * r->cap_pend;
        xfree(r->slot);
        r->slot = xcalloc((size_t)r->n_slot, sizeof *r->slot);
        for (int i = 0; i < r->n_pend; i++)
            *pend_slot(r, &r->pend[i]) = i + 1;
    }
    int *slot = pend_slot(r, key);
    if (*slot == 0) {
        r->pend[r->n_pend] = *key;
        memset(r->pend[r->n_pend].v, 0, sizeof key->v);
        *slot = ++r->n_pend;
    }
    for (int k = 0; k < n; k++)
        r->pend[*slot - 1].v[k] += v[k];
}

/* Writes the pending changes and empties the map. */
static int pend_write(struct roll *r, struct err *e)
{
    int64_t v[STORE_ROLL_NV] = {0};
    int rc = 0;
    for (int i = 0; rc == 0 && i < r->n_pend; i++) {
        const struct pend *p = &r->pend[i];
        memcpy(v, p->v, sizeof p->v);
        rc = p->intake ? store_roll_intake_add(r->d->store, p->lvl, p->rday, p->grid, p->channel,
                                               p->nature, p->v[0], e)
                       : store_roll_add(r->d->store, p->lvl, p->rday, p->cday, p->grid, v, e);
    }
    r->n_pend = 0;
    if (r->slot)
        memset(r->slot, 0, (size_t)r->n_slot * sizeof *r->slot);
    return rc;
}

/* The events of ev[0..n) at or before the instant end: a prefix. */
static int upto_end(const struct store_event *ev, int n, int64_t end)
{
    int k = 0;
    while (k < n && ev[k].at <= end)
        k++;
    return k;
}

/* Adds the changes of the current case to the pending roll-up rows. */
static void flush(struct roll *r)
{
    struct store_event *ev = r->ev;
    int n = r->n_ev, n_old = 0;
    if (n == 0)
        return;
    r->n_ev = 0;
    r->cases++;
    while (n_old < n && ev[n_old].id <= r->after)
        n_old++;
    if (n_old == n)
        return;
    int64_t rday = STATS_DAY(ev[0].at), d1 = STATS_DAY(ev[n_old].at);
    char keys[3][24]; /* the row key at each level */
    keys[0][0] = '\0';
    snprintf(keys[1], sizeof keys[1], "%.12s", strlen(r->grid) >= 12 ? r->grid : "");
    str_copy(keys[2], sizeof keys[2], r->grid);
    struct pend key = {.intake = 1, .rday = rday};
    int64_t one = 1;
    str_copy(key.channel, sizeof key.channel, r->channel);
    str_copy(key.nature, sizeof key.nature, r->nature);
    for (int l = 0; n_old == 0 && l < 3; l++) {
        key.lvl = l;
        str_copy(key.grid, sizeof key.grid, keys[l]);
        pend_add(r, &key, &one, 1);
    }
    key.intake = 0;
    key.channel[0] = key.nature[0] = '\0';
    /* The days from d1 on where F before or after may change: at most the
     * day of each event and of each closing deadline. */
    if (r->cap_days < 2 * n + 1) {
        r->cap_days = 2 * n + 1;
        r->days = xrealloc(r->days, (size_t)r->cap_days * sizeof *r->days);
    }
    int64_t *days = r->days;
    int nd = 0;
    days[nd++] = d1;
    for (int i = 0; i < n; i++) {
        if (i >= n_old && STATS_DAY(ev[i].at) > d1)
            days[nd++] = STATS_DAY(ev[i].at);
        if (ev[i].close_due > 0 && STATS_DAY(ev[i].close_due) > d1)
            days[nd++] = STATS_DAY(ev[i].close_due);
    }
    qsort(days, (size_t)nd, sizeof *days, day_cmp);
    int64_t prev[SF_COUNT] = {0}, vo[SF_COUNT], vn[SF_COUNT], delta[STORE_ROLL_NV] = {0};
    for (int i = 0; i < nd; i++) {
        if (i > 0 && days[i] == days[i - 1])
            continue;
        int64_t end = STATS_DAY_END(days[i]);
        int changed = 0;
        stats__case_vector(r->d, ev, upto_end(ev, n_old, end), end, r->channel, vo, NULL);
        stats__case_vector(r->d, ev, upto_end(ev, n, end), end, r->channel, vn, NULL);
        for (int k = 0; k < SF_COUNT; k++) {
            int64_t g = vn[k] - vo[k];
            delta[k] = g - prev[k];
            prev[k] = g;
            changed |= delta[k] != 0;
        }
        key.cday = days[i];
        for (int l = 0; changed && l < 3; l++) {
            key.lvl = l;
            str_copy(key.grid, sizeof key.grid, keys[l]);
            pend_add(r, &key, delta, SF_COUNT);
        }
    }
}

static int on_event(void *arg, const struct store_stats_event *x)
{
    struct roll *r = arg;
    if (x->case_id != r->case_id) {
        flush(r);
        r->case_id = x->case_id;
        str_copy(r->channel, sizeof r->channel, x->channel);
        str_copy(r->nature, sizeof r->nature, x->nature);
        str_copy(r->grid, sizeof r->grid, x->grid);
    }
    if (r->n_ev == r->cap_ev) {
        r->cap_ev = r->cap_ev ? 2 * r->cap_ev : 64;
        r->ev = xrealloc(r->ev, (size_t)r->cap_ev * sizeof *r->ev);
    }
    r->ev[r->n_ev++] = x->ev;
    return 0;
}

/* The last event the roll-ups hold (0 when unset or unreadable: rebuild). */
static int64_t read_cursor(struct store *s)
{
    char val[32];
    int64_t v;
    struct err le = {0};
    if (store_setting_get(s, ROLL_CURSOR, val, sizeof val, &le) || str_to_i64(val, &v))
        return 0;
    return v;
}

/* One chunk of catching up, in one write transaction. Sets r->upto to 0
 * when there was nothing to do. */
static int roll_job(struct store *s, void *arg, struct err *e)
{
    struct roll *r = arg;
    char val[32];
    int64_t max = 0;
    r->after = read_cursor(s);
    int rc = store_roll_max_event(s, &max, e);
    if (rc || max <= r->after) {
        r->upto = 0;
        return rc;
    }
    r->upto = max - r->after > ROLL_CHUNK ? r->after + ROLL_CHUNK : max;
    r->case_id = 0;
    r->n_ev = 0;
    rc = store_roll_events(s, r->after, r->upto, on_event, r, e);
    if (rc == 0)
        flush(r);
    if (rc == 0)
        rc = pend_write(r, e);
    if (rc && e && e->code == 0)
        err_set(e, rc, NULL, "statistics roll-up: cannot store");
    snprintf(val, sizeof val, "%lld", (long long)r->upto);
    return rc ? rc : store_setting_set(s, ROLL_CURSOR, val, e);
}

static int reset_job(struct store *s, void *arg, struct err *e)
{
    (void)arg;
    int rc = store_roll_clear(s, e);
    return rc ? rc : store_setting_set(s, ROLL_CURSOR, "0", e);
}

int stats_roll_reset(struct domain *d, struct err *e)
{
    return store_write(d->store, reset_job, NULL, e);
}

/* The cursor and the newest event id. */
struct peek {
    int64_t cursor, max;
};

static int peek_job(struct store *s, void *arg, struct err *e)
{
    struct peek *p = arg;
    p->cursor = read_cursor(s);
    return store_roll_max_event(s, &p->max, e);
}

static int hash_day(void *arg, int64_t day, int kind, const char *name)
{
    uint64_t *h = arg;
    (void)name;
    *h = (*h ^ (uint64_t)(day * 4 + kind)) * 1099511628211ull;
    return 0;
}

/* A signature of the calendar the stage times are worked out on. */
static void calendar_signature(const struct cal *c, char out[24])
{
    uint64_t h = 14695981039346656037ull;
    char periods[128];
    cal_each_day(c, hash_day, &h);
    cal_get_periods(c, periods, sizeof periods);
    for (const char *p = periods; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    snprintf(out, 24, "%016llx", (unsigned long long)h);
}

/* Drops the roll-ups if the calendar changed since they were built: the
 * working time of every stage may have changed. */
static int check_calendar(struct domain *d, struct err *e)
{
    char want[24], have[32];
    struct err le = {0};
    calendar_signature(d->cal, want);
    if (store_setting_get(d->store, ROLL_CALENDAR, have, sizeof have, &le) == 0 &&
        strcmp(have, want) == 0)
        return 0;
    int rc = stats_roll_reset(d, e);
    return rc ? rc : store_setting_set(d->store, ROLL_CALENDAR, want, e);
}

int stats_roll_update(struct domain *d, int64_t *cases, struct err *e)
{
    struct roll r = {.d = d, .upto = 1};
    struct peek p;
    int rc = check_calendar(d, e);
    if (cases)
        *cases = 0;
    if (rc == 0)
        rc = store_read(d->store, peek_job, &p, e);
    if (rc || p.max <= p.cursor) /* up to date: no write transaction */
        return rc;
    while (rc == 0 && r.upto != 0)
        rc = store_write(d->store, roll_job, &r, e);
    xfree(r.ev);
    xfree(r.pend);
    xfree(r.slot);
    xfree(r.days);
    if (cases)
        *cases = r.cases;
    return rc;
}
