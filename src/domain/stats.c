/*
 * stats.c - the statistics engine: folds the event log of each case reported
 * in the period into per-case facts, adds them to the total and to the
 * case's group, then adds the whistles. Every formula is in docs/metrics.md;
 * the ranking weights and grade bands come from data/metrics.txt.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../core/embed.h"
#include "case.h"
#include "stats.h"

static const struct {
    const char *name;  /* stable name */
    const char *label; /* Chinese label */
} rate_names[SR_COUNT] = {
    [SR_RESPONSE] = {"response", "响应率"},
    [SR_RESOLUTION] = {"resolution", "解决率"},
    [SR_SATISFACTION] = {"satisfaction", "满意率"},
    [SR_CLOSURE] = {"closure", "结案率"},
    [SR_ONTIME_CLOSURE] = {"ontime_closure", "按期结案率"},
    [SR_REWORK] = {"rework", "返工率"},
    [SR_EXTENSION] = {"extension", "延期率"},
    [SR_ACCURATE_DISPATCH] = {"accurate_dispatch", "准确派遣率"},
    [SR_WHISTLE_ONTIME] = {"whistle_ontime", "按时报到率"},
};

const char *stats_rate_name(int id)
{
    return id >= 0 && id < SR_COUNT ? rate_names[id].name : "";
}

const char *stats_rate_label(int id)
{
    return id >= 0 && id < SR_COUNT ? rate_names[id].label : "";
}

double stats_rate_value(struct stats_rate r)
{
    return r.den > 0 ? (double)r.num / (double)r.den : -1;
}

/* ---- weights and grades ------------------------------------------------------ */

static int parse_line(char *line, int ln, struct stats_weights *w, struct err *e)
{
    char kind[16], name[32], extra[2];
    double v;
    int k = sscanf(line, "%15s %31s %lf %1s", kind, name, &v, extra);
    if (k != 3 || v < 0)
        return err_set(e, ERR_INVALID, NULL, "line %d: expected 'weight RATE W' or 'grade X MIN'",
                       ln);
    if (strcmp(kind, "weight") == 0) {
        for (int i = 0; i < SR_COUNT; i++)
            if (strcmp(rate_names[i].name, name) == 0) {
                w->weight[i] = v;
                return 0;
            }
        return err_set(e, ERR_INVALID, NULL, "line %d: unknown rate '%s'", ln, name);
    }
    if (strcmp(kind, "grade") == 0 && name[0] >= 'A' && name[0] <= 'E' && name[1] == '\0' &&
        v <= 100) {
        w->grade_min[name[0] - 'A'] = v;
        return 0;
    }
    return err_set(e, ERR_INVALID, NULL, "line %d: unknown entry '%s %s'", ln, kind, name);
}

int stats_weights_parse(const char *text, size_t n, struct stats_weights *out, struct err *e)
{
    struct stats_weights w = {{0}, {90, 75, 60, 40, 0}};
    char line[256];
    int ln = 0;
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && text[j] != '\n')
            j++;
        ln++;
        size_t len = j - i < sizeof line - 1 ? j - i : sizeof line - 1;
        memcpy(line, text + i, len);
        line[len] = '\0';
        i = j + 1;
        char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '\0' || *p == '#' || *p == '\r')
            continue;
        int rc = parse_line(p, ln, &w, e);
        if (rc)
            return rc;
    }
    for (int g = 1; g < 5; g++)
        if (w.grade_min[g] > w.grade_min[g - 1])
            return err_set(e, ERR_INVALID, NULL, "grade bands must descend from A to E");
    *out = w;
    return 0;
}

int stats_weights_default(struct stats_weights *out, struct err *e)
{
    const struct embed_file *f = embed_find("data/metrics.txt");
    if (f == NULL)
        return err_set(e, ERR_INTERNAL, NULL, "data/metrics.txt is not built in");
    return stats_weights_parse((const char *)f->data, f->len, out, e);
}

int stats_score(const struct stats_weights *w, const struct stats_row *r, double *score)
{
    double sum = 0, wsum = 0;
    for (int i = 0; i < SR_COUNT; i++) {
        double v = stats_rate_value(r->rate[i]);
        if (w->weight[i] <= 0 || v < 0)
            continue;
        if (i == SR_REWORK || i == SR_EXTENSION)
            v = v > 1 ? 0 : 1 - v;
        sum += w->weight[i] * v;
        wsum += w->weight[i];
    }
    if (wsum <= 0)
        return -1;
    *score = 100.0 * sum / wsum;
    return 0;
}

const char *stats_grade(const struct stats_weights *w, double score)
{
    static const char *const letters[5] = {"A", "B", "C", "D", "E"};
    for (int g = 0; g < 4; g++)
        if (score >= w->grade_min[g])
            return letters[g];
    return "E";
}

/* ---- the query ------------------------------------------------------------------- */

enum { BY_NONE, BY_CATEGORY, BY_UNIT, BY_GRID, BY_MONTH };
static const char *const by_names[] = {"none", "category", "unit", "grid", "month"};

/* A unit:ID scope: the unit must exist. */
static int scope_unit(struct domain *d, const char *val, struct store_stats_scope *sc,
                      struct err *e)
{
    struct store_unit u;
    struct err le = {0};
    int64_t id;
    if (str_to_i64(val, &id) || id <= 0)
        return err_set(e, ERR_INVALID, "scope", "unit:ID needs a positive unit id");
    int rc = store_unit_get(d->store, id, &u, &le);
    if (rc == ERR_NOTFOUND)
        return err_set(e, ERR_INVALID, "scope", "no unit %lld", (long long)id);
    if (rc)
        return err_set(e, rc, NULL, "%s", le.msg);
    sc->unit_id = id;
    return 0;
}

/* Checks the scope and fills the store filter. */
static int parse_scope(struct domain *d, const char *scope, struct arena *a,
                       struct store_stats_scope *sc, struct err *e)
{
    const char *colon = scope ? strchr(scope, ':') : NULL;
    if (scope == NULL || *scope == '\0' || strcmp(scope, "subdistrict") == 0)
        return 0;
    if (colon == NULL || colon[1] == '\0')
        return err_set(e, ERR_INVALID, "scope",
                       "scope must be subdistrict, community:CODE, grid:CODE or unit:ID");
    const char *val = colon + 1;
    size_t klen = (size_t)(colon - scope);
    if (klen == 4 && strncmp(scope, "unit", 4) == 0)
        return scope_unit(d, val, sc, e);
    const char *kind = klen == 9 && strncmp(scope, "community", 9) == 0 ? "community"
                       : klen == 4 && strncmp(scope, "grid", 4) == 0    ? "grid"
                                                                        : NULL;
    if (kind == NULL)
        return err_set(e, ERR_INVALID, "scope", "unknown scope kind '%.*s'", (int)klen, scope);
    struct store_place p;
    struct err le = {0};
    int rc = store_place_get(d->store, val, a, &p, &le);
    if (rc && rc != ERR_NOTFOUND)
        return err_set(e, rc, NULL, "%s", le.msg);
    if (rc || strcmp(p.kind, kind) != 0)
        return err_set(e, ERR_INVALID, "scope", "no %s '%s'", kind, val);
    if (kind[0] == 'c')
        sc->community = arena_strdup(a, val);
    else
        sc->grid = arena_strdup(a, val);
    return 0;
}

static int parse_query(struct domain *d, const struct stats_query *q, struct arena *a,
                       struct stats_result *out, struct store_stats_scope *sc, int *by,
                       struct err *e)
{
    if (q->from == NULL || time_parse_date(q->from, &out->from_day))
        return err_set(e, ERR_INVALID, "from", "from must be a date YYYY-MM-DD");
    if (q->to == NULL || time_parse_date(q->to, &out->to_day))
        return err_set(e, ERR_INVALID, "to", "to must be a date YYYY-MM-DD");
    if (out->to_day < out->from_day)
        return err_set(e, ERR_INVALID, "to", "the period ends (%s) before it starts (%s)", q->to,
                       q->from);
    *by = -1;
    for (int i = 0; i < (int)ARRAY_SIZE(by_names); i++)
        if (q->by == NULL || *q->by == '\0' ? i == 0 : strcmp(q->by, by_names[i]) == 0)
            *by = i;
    if (*by < 0)
        return err_set(e, ERR_INVALID, "by", "by must be none, category, unit, grid or month");
    int rc = parse_scope(d, q->scope, a, sc, e);
    if (rc)
        return rc;
    out->from_t = out->from_day * 86400 - 8 * 3600;
    out->to_t = (out->to_day + 1) * 86400 - 8 * 3600 - 1;
    str_copy(out->scope, sizeof out->scope, q->scope && *q->scope ? q->scope : "subdistrict");
    str_copy(out->by, sizeof out->by, by_names[*by]);
    return 0;
}

/* ---- folding one case ------------------------------------------------------------------ */

/* What one case contributes, derived from its events up to the period's end. */
struct case_facts {
    int registered, dispatched, signed_ontime, feedback, extended;
    int64_t dispatches, returns, reworks, visits, resolved, satisfied;
    int closed, closed_ontime, due, deferred;
    int64_t lead_unit; /* unit of the last dispatch or reassign, 0 if none */
};

static int is_state(const struct store_event *ev, const char *name)
{
    return strcmp(ev->to_state, name) == 0;
}

/* Counts the events of one case into f. */
static void fold_actions(const struct store_event *ev, int n, struct case_facts *f,
                         int64_t *close_at, int64_t *close_due)
{
    int64_t sign_due = 0;
    int signed_once = 0;
    for (int i = 0; i < n; i++) {
        const char *a = ev[i].action;
        if (strcmp(a, "register") == 0)
            f->registered = 1;
        else if (strcmp(a, "dispatch") == 0 || strcmp(a, "reassign") == 0) {
            f->dispatched = 1;
            f->dispatches++;
            f->lead_unit = ev[i].unit_id;
            sign_due = ev[i].due_at;
        } else if (strcmp(a, "return") == 0)
            f->returns++;
        else if (strcmp(a, "sign") == 0 && !signed_once) {
            signed_once = 1;
            f->signed_ontime = sign_due > 0 && ev[i].at <= sign_due;
        } else if (strcmp(a, "rework") == 0)
            f->reworks++;
        else if (strcmp(a, "feedback") == 0)
            f->feedback = 1;
        else if (strcmp(a, "approve_extension") == 0)
            f->extended = 1;
        else if (strcmp(a, "close") == 0) {
            *close_at = ev[i].at;
            *close_due = ev[i].close_due;
        } else if (strcmp(a, "visit") == 0) {
            f->visits++;
            f->resolved += ev[i].flag == 1;
            f->satisfied += ev[i].amount == 1 || ev[i].amount == 2;
        }
    }
}

static void fold_events(const struct store_event *ev, int n, int64_t end, struct case_facts *f)
{
    int64_t close_at = 0, close_due = 0;
    memset(f, 0, sizeof *f);
    fold_actions(ev, n, f, &close_at, &close_due);
    if (n == 0 || !f->registered)
        return;
    const struct store_event *last = &ev[n - 1];
    f->deferred = is_state(last, "deferred");
    f->closed = is_state(last, "closed") || is_state(last, "visited");
    f->closed_ontime = f->closed && close_at <= close_due;
    int gone = is_state(last, "voided") || is_state(last, "merged");
    f->due =
        !f->deferred && !gone && (f->closed || (last->close_due > 0 && last->close_due <= end));
}

/* ---- accumulation ------------------------------------------------------------------- */

struct engine {
    struct domain *d;         /* calendar, store */
    struct stats_result *res; /* result being built */
    int by;                   /* BY_* */
    struct stats_row *rows;   /* groups (heap, grown) */
    int n_rows, cap_rows;     /* used and allocated */
    struct store_event *ev;   /* events of the current case (heap, reused) */
    int n_ev, cap_ev;         /* used and allocated */
    int64_t case_id;          /* the current case, 0 before the first */
    char channel[24];         /* its channel */
    char nature[24];          /* its nature */
    char category[24];        /* its category */
    char grid[24];            /* its grid */
};

static void kv_add(struct stats_kv *kv, int *n, const char *key)
{
    for (int i = 0; i < *n; i++)
        if (strcmp(kv[i].key, key) == 0) {
            kv[i].n++;
            return;
        }
    if (*n == STATS_MAX_KEYS) { /* the last slot absorbs the overflow */
        str_copy(kv[*n - 1].key, sizeof kv[0].key, "other");
        kv[*n - 1].n++;
        return;
    }
    str_copy(kv[*n].key, sizeof kv[0].key, key);
    kv[(*n)++].n = 1;
}

/* The row of a group key, created if new. */
static struct stats_row *group(struct engine *g, const char *key)
{
    for (int i = 0; i < g->n_rows; i++)
        if (strcmp(g->rows[i].key, key) == 0)
            return &g->rows[i];
    if (g->n_rows == g->cap_rows) {
        g->cap_rows = g->cap_rows ? 2 * g->cap_rows : 16;
        g->rows = xrealloc(g->rows, (size_t)g->cap_rows * sizeof *g->rows);
    }
    struct stats_row *r = &g->rows[g->n_rows++];
    memset(r, 0, sizeof *r);
    str_copy(r->key, sizeof r->key, key);
    return r;
}

static void month_key(int64_t t, char *out, size_t n)
{
    int y, m, dd;
    time_civil_from_days((t + 8 * 3600) / 86400, &y, &m, &dd);
    snprintf(out, n, "%04d-%02d", y, m);
}

static void rate_add(struct stats_rate *r, int64_t num, int64_t den)
{
    r->num += num;
    r->den += den;
}

static void row_add_case(struct engine *g, struct stats_row *r, const struct case_facts *f,
                         const struct case_deadline *dl)
{
    r->received++;
    kv_add(r->channel, &r->n_channel, g->channel);
    kv_add(r->nature, &r->n_nature, g->nature);
    r->registered += f->registered;
    r->dispatched += f->dispatched;
    r->dispatches += f->dispatches;
    r->returns += f->returns;
    r->reworks += f->reworks;
    r->visits += f->visits;
    r->closed += f->due && f->closed;
    r->due_to_close += f->due;
    r->deferred += f->registered && f->deferred;
    rate_add(&r->rate[SR_RESPONSE], f->dispatched && f->signed_ontime, f->dispatched);
    rate_add(&r->rate[SR_RESOLUTION], f->resolved, f->visits);
    rate_add(&r->rate[SR_SATISFACTION], f->satisfied, f->visits);
    rate_add(&r->rate[SR_CLOSURE], f->due && f->closed, f->due);
    rate_add(&r->rate[SR_ONTIME_CLOSURE], f->due && f->closed_ontime, f->due);
    rate_add(&r->rate[SR_REWORK], f->feedback ? f->reworks : 0, f->feedback);
    rate_add(&r->rate[SR_EXTENSION], f->due && f->extended, f->due);
    int64_t accurate = f->dispatches - f->returns - f->reworks;
    rate_add(&r->rate[SR_ACCURATE_DISPATCH], accurate > 0 ? accurate : 0, f->dispatches);
    for (int k = 0; k < STATS_STAGES; k++)
        if (dl[k].started && dl[k].done && dl[k].done >= dl[k].started) {
            r->stage_minutes[k] += cal_work_minutes_between(g->d->cal, dl[k].started, dl[k].done);
            r->stage_n[k]++;
        }
}

/* The group key of a case or whistle row; 0 if there is no grouping. */
static int group_key(struct engine *g, const char *category, const char *grid, int64_t unit,
                     int64_t reported, char *key, size_t n)
{
    switch (g->by) {
    case BY_CATEGORY:
        str_copy(key, n, category);
        return 1;
    case BY_UNIT:
        snprintf(key, n, "%lld", (long long)unit);
        return 1;
    case BY_GRID:
        str_copy(key, n, grid[0] ? grid : "-");
        return 1;
    case BY_MONTH:
        month_key(reported, key, n);
        return 1;
    default:
        return 0;
    }
}

/* Folds the buffered case into the total and its group. */
static void flush_case(struct engine *g)
{
    struct case_facts f;
    struct case_deadline dl[5];
    char key[48];
    if (g->n_ev == 0)
        return;
    fold_events(g->ev, g->n_ev, g->res->to_t, &f);
    case_deadlines(g->ev, g->n_ev, dl);
    row_add_case(g, &g->res->total, &f, dl);
    if (group_key(g, g->category, g->grid, f.lead_unit, g->ev[0].at, key, sizeof key))
        row_add_case(g, group(g, key), &f, dl);
    g->n_ev = 0;
}

static int on_event(void *arg, const struct store_stats_event *r)
{
    struct engine *g = arg;
    if (r->case_id != g->case_id) {
        flush_case(g);
        g->case_id = r->case_id;
        str_copy(g->channel, sizeof g->channel, r->channel);
        str_copy(g->nature, sizeof g->nature, r->nature);
        str_copy(g->category, sizeof g->category, r->category);
        str_copy(g->grid, sizeof g->grid, r->grid);
    }
    if (g->n_ev == g->cap_ev) {
        g->cap_ev = g->cap_ev ? 2 * g->cap_ev : 64;
        g->ev = xrealloc(g->ev, (size_t)g->cap_ev * sizeof *g->ev);
    }
    g->ev[g->n_ev++] = r->ev;
    return 0;
}

static void whistle_add(struct stats_row *r, const struct store_stats_whistle *w)
{
    int i = 0;
    while (i < r->n_whistle && strcmp(r->whistle[i].type, w->type) != 0)
        i++;
    if (i == r->n_whistle) {
        if (r->n_whistle == STATS_MAX_KEYS) { /* the last slot absorbs the overflow */
            i = STATS_MAX_KEYS - 1;
            str_copy(r->whistle[i].type, sizeof r->whistle[i].type, "other");
        } else
            str_copy(r->whistle[r->n_whistle++].type, sizeof r->whistle[i].type, w->type);
    }
    struct stats_whistle *x = &r->whistle[i];
    if (x->last_whistle != w->whistle_id) {
        x->whistles++;
        x->last_whistle = w->whistle_id;
    }
    x->units++;
    int ontime = w->checked_in > 0 && w->checked_in <= w->blown_at + (int64_t)w->limit_min * 60;
    rate_add(&x->ontime, ontime, 1);
    rate_add(&r->rate[SR_WHISTLE_ONTIME], ontime, 1);
    if (w->score >= 0) {
        x->rated++;
        x->score_sum += w->score;
    }
}

static int on_whistle(void *arg, const struct store_stats_whistle *w)
{
    struct engine *g = arg;
    char key[48];
    whistle_add(&g->res->total, w);
    if (group_key(g, w->category, w->grid, w->unit_id, w->reported_at, key, sizeof key))
        whistle_add(group(g, key), w);
    return 0;
}

struct run {
    struct engine *g;             /* the engine */
    struct store_stats_scope *sc; /* the filter */
};

static int run_read(struct store *s, void *arg, struct err *e)
{
    struct run *r = arg;
    struct stats_result *res = r->g->res;
    int rc = store_stats_events(s, res->from_t, res->to_t, r->sc, on_event, r->g, e);
    if (rc)
        return rc;
    flush_case(r->g);
    return store_stats_whistles(s, res->from_t, res->to_t, r->sc, on_whistle, r->g, e);
}

/* ---- labels, ordering, ranking ------------------------------------------------------------ */

static void label_row(struct engine *g, struct arena *a, struct stats_row *r)
{
    struct err e = {0};
    struct store_unit u;
    struct store_category c;
    struct store_place p;
    int64_t id;
    str_copy(r->label, sizeof r->label, r->key);
    if (g->by == BY_UNIT && str_to_i64(r->key, &id) == 0) {
        if (id == 0)
            str_copy(r->label, sizeof r->label, "未派遣");
        else if (store_unit_get(g->d->store, id, &u, &e) == 0)
            str_copy(r->label, sizeof r->label, u.name);
    } else if (g->by == BY_CATEGORY && store_category_get(g->d->store, r->key, &c, &e) == 0)
        str_copy(r->label, sizeof r->label, c.name);
    else if (g->by == BY_GRID && strcmp(r->key, "-") == 0)
        str_copy(r->label, sizeof r->label, "无网格");
    else if (g->by == BY_GRID && store_place_get(g->d->store, r->key, a, &p, &e) == 0)
        str_copy(r->label, sizeof r->label, p.name);
}

static int key_cmp(const void *x, const void *y)
{
    const struct stats_row *a = x, *b = y;
    int64_t i, j;
    if (strlen(a->key) < 12 && strlen(b->key) < 12 && str_to_i64(a->key, &i) == 0 &&
        str_to_i64(b->key, &j) == 0)
        return i < j ? -1 : i > j;
    return strcmp(a->key, b->key);
}

static int rank_cmp(const void *x, const void *y)
{
    const struct stats_row *a = x, *b = y;
    if (a->has_score != b->has_score)
        return b->has_score - a->has_score;
    if (a->has_score && a->score != b->score)
        return a->score > b->score ? -1 : 1;
    return key_cmp(x, y);
}

static int rank_rows(struct engine *g, struct err *e)
{
    struct stats_weights w;
    int rc = stats_weights_default(&w, e);
    if (rc)
        return rc;
    for (int i = 0; i < g->n_rows; i++) {
        struct stats_row *r = &g->rows[i];
        if (stats_score(&w, r, &r->score) == 0) {
            r->has_score = 1;
            str_copy(r->grade, sizeof r->grade, stats_grade(&w, r->score));
        }
    }
    qsort(g->rows, (size_t)g->n_rows, sizeof *g->rows, rank_cmp);
    for (int i = 0; i < g->n_rows; i++)
        g->rows[i].rank = g->rows[i].has_score ? i + 1 : 0;
    g->res->scored = 1;
    return 0;
}

static int finish(struct engine *g, struct arena *a, struct err *e)
{
    struct stats_result *res = g->res;
    for (int i = 0; i < g->n_rows; i++)
        label_row(g, a, &g->rows[i]);
    if (g->by == BY_UNIT || g->by == BY_GRID) {
        int rc = rank_rows(g, e);
        if (rc)
            return rc;
    } else if (g->n_rows > 1)
        qsort(g->rows, (size_t)g->n_rows, sizeof *g->rows, key_cmp);
    res->n_rows = g->n_rows;
    if (g->n_rows) {
        res->rows = arena_alloc(a, (size_t)g->n_rows * sizeof *res->rows);
        memcpy(res->rows, g->rows, (size_t)g->n_rows * sizeof *res->rows);
    }
    return 0;
}

int stats_compute(struct domain *d, const struct stats_query *q, struct arena *a,
                  struct stats_result *out, struct err *e)
{
    struct store_stats_scope sc = {0};
    struct engine g = {.d = d, .res = out};
    memset(out, 0, sizeof *out);
    int rc = parse_query(d, q, a, out, &sc, &g.by, e);
    if (rc)
        return rc;
    struct run r = {&g, &sc};
    rc = store_read(d->store, run_read, &r, e);
    if (rc == 0)
        rc = finish(&g, a, e);
    xfree(g.rows);
    xfree(g.ev);
    return rc;
}
