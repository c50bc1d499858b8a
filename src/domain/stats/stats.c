/*
 * stats.c - the statistics engine: folds the event log of each case reported
 * in the period into per-case facts, adds them to the total and to the
 * case's group, then adds the whistles. Every formula is in docs/stats.md;
 * the ranking weights and grade bands come from data/metrics.txt.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/embed.h"
#include "domain/case/case.h"
#include "stats_int.h"

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

enum { BY_NONE, BY_CATEGORY, BY_UNIT, BY_GRID, BY_MONTH, BY_COMMUNITY };
static const char *const by_names[] = {"none", "category", "unit", "grid", "month", "community"};

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
        return err_set(e, ERR_INVALID, "by",
                       "by must be none, category, unit, grid, community or month");
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
    int merged;        /* merged as a duplicate (a repeat complaint) */
    int64_t lead_unit; /* unit of the last dispatch or reassign, 0 if none */
};

/* Counts the events of one case into f. */
static void fold_actions(const struct store_event *ev, int n, struct case_facts *f,
                         int64_t *close_at, int64_t *close_due)
{
    int64_t sign_due = 0;
    int signed_once = 0;
    for (int i = 0; i < n; i++) {
        switch (case_action_parse(ev[i].action)) {
        case ACT_REGISTER:
            f->registered = 1;
            break;
        case ACT_DISPATCH:
        case ACT_REASSIGN:
            f->dispatched = 1;
            f->dispatches++;
            f->lead_unit = ev[i].unit_id;
            sign_due = ev[i].due_at;
            break;
        case ACT_RETURN:
            f->returns++;
            break;
        case ACT_SIGN:
            if (!signed_once)
                f->signed_ontime = sign_due > 0 && ev[i].at <= sign_due;
            signed_once = 1;
            break;
        case ACT_REWORK:
            f->reworks++;
            break;
        case ACT_FEEDBACK:
            f->feedback = 1;
            break;
        case ACT_APPROVE_EXTENSION:
            f->extended = 1;
            break;
        case ACT_MERGE:
            f->merged = 1;
            break;
        case ACT_CLOSE:
            *close_at = ev[i].at;
            *close_due = ev[i].close_due;
            break;
        case ACT_VISIT:
            f->visits++;
            f->resolved += ev[i].flag == 1;
            f->satisfied += ev[i].amount == 1 || ev[i].amount == 2;
            break;
        default:
            break;
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
    int st = case_state_parse(last->to_state);
    f->deferred = st == ST_DEFERRED;
    f->closed = st == ST_CLOSED || st == ST_VISITED;
    f->closed_ontime = f->closed && close_at <= close_due;
    int gone = st == ST_VOIDED || st == ST_MERGED;
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
    int drill;                /* drill-down: the fact to collect cases of, -1 none */
    int64_t *ids;             /* drill-down: the cases (heap, grown) */
    int n_ids, cap_ids;
    int *slot;  /* hash of group keys: index + 1 into rows, 0 empty */
    int n_slot; /* slots (a power of two, > 2 * cap_rows) */
    int last;   /* index of the last group found, -1 none */
};

static void kv_add(struct stats_kv *kv, int *n, const char *key, int64_t by)
{
    for (int i = 0; i < *n; i++)
        if (strcmp(kv[i].key, key) == 0) {
            kv[i].n += by;
            return;
        }
    if (*n == STATS_MAX_KEYS) { /* the last slot absorbs the overflow */
        str_copy(kv[*n - 1].key, sizeof kv[0].key, "other");
        kv[*n - 1].n += by;
        return;
    }
    str_copy(kv[*n].key, sizeof kv[0].key, key);
    kv[(*n)++].n = by;
}

/* The row of a group key, created if new. */
static unsigned key_hash(const char *key)
{
    unsigned h = 2166136261u; /* FNV-1a */
    for (; *key; key++)
        h = (h ^ (unsigned char)*key) * 16777619u;
    return h;
}

/* The slot of key in the hash (empty if the key is new). */
static int *find_slot(struct engine *g, const char *key)
{
    unsigned mask = (unsigned)g->n_slot - 1, i = key_hash(key) & mask;
    while (g->slot[i] && strcmp(g->rows[g->slot[i] - 1].key, key) != 0)
        i = (i + 1) & mask;
    return &g->slot[i];
}

static struct stats_row *group(struct engine *g, const char *key)
{
    if (g->last >= 0 && strcmp(g->rows[g->last].key, key) == 0)
        return &g->rows[g->last];
    if (g->n_rows == g->cap_rows) { /* grow the rows and rebuild the hash */
        g->cap_rows = g->cap_rows ? 2 * g->cap_rows : 16;
        g->rows = xrealloc(g->rows, (size_t)g->cap_rows * sizeof *g->rows);
        g->n_slot = 4 * g->cap_rows;
        xfree(g->slot);
        g->slot = xcalloc((size_t)g->n_slot, sizeof *g->slot);
        for (int i = 0; i < g->n_rows; i++)
            *find_slot(g, g->rows[i].key) = i + 1;
    }
    int *slot = find_slot(g, key);
    if (*slot == 0) {
        struct stats_row *r = &g->rows[g->n_rows++];
        memset(r, 0, sizeof *r);
        str_copy(r->key, sizeof r->key, key);
        *slot = g->n_rows;
    }
    g->last = *slot - 1;
    return &g->rows[g->last];
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

void stats__case_vector(struct domain *d, const struct store_event *ev, int n, int64_t end,
                        const char *channel, int64_t *v, int64_t *lead)
{
    struct case_facts f;
    struct case_deadline dl[STATS_STAGES];
    memset(v, 0, SF_COUNT * sizeof *v);
    if (lead)
        *lead = 0;
    if (n == 0)
        return;
    fold_events(ev, n, end, &f);
    if (lead)
        *lead = f.lead_unit;
    case_deadlines(ev, n, dl);
    int64_t accurate = f.dispatches - f.returns - f.reworks;
    v[SF_RECEIVED] = 1;
    v[SF_REGISTERED] = f.registered;
    v[SF_DISPATCHED] = f.dispatched;
    v[SF_DISPATCHES] = f.dispatches;
    v[SF_RETURNS] = f.returns;
    v[SF_REWORKS] = f.reworks;
    v[SF_VISITS] = f.visits;
    v[SF_RESOLVED] = f.resolved;
    v[SF_SATISFIED] = f.satisfied;
    v[SF_CLOSED] = f.due && f.closed;
    v[SF_DUE] = f.due;
    v[SF_ONTIME] = f.due && f.closed_ontime;
    v[SF_EXTENDED] = f.due && f.extended;
    v[SF_DEFERRED] = f.registered && f.deferred;
    v[SF_SIGNED] = f.dispatched && f.signed_ontime;
    v[SF_FEEDBACK] = f.feedback;
    v[SF_REWORK_FB] = f.feedback ? f.reworks : 0;
    v[SF_ACCURATE] = accurate > 0 ? accurate : 0;
    v[SF_PETITION] = strcmp(channel, "petition") == 0;
    v[SF_REPEAT] = f.merged;
    for (int k = 0; k < STATS_STAGES; k++)
        if (dl[k].started && dl[k].done && dl[k].done >= dl[k].started) {
            v[SF_STAGE_MIN + k] = cal_work_minutes_between(d->cal, dl[k].started, dl[k].done);
            v[SF_STAGE_N + k] = 1;
        }
}

void stats__row_add_vector(struct stats_row *r, const int64_t *v)
{
    r->received += v[SF_RECEIVED];
    r->registered += v[SF_REGISTERED];
    r->dispatched += v[SF_DISPATCHED];
    r->dispatches += v[SF_DISPATCHES];
    r->returns += v[SF_RETURNS];
    r->reworks += v[SF_REWORKS];
    r->visits += v[SF_VISITS];
    r->closed += v[SF_CLOSED];
    r->due_to_close += v[SF_DUE];
    r->deferred += v[SF_DEFERRED];
    r->petitions += v[SF_PETITION];
    r->repeats += v[SF_REPEAT];
    rate_add(&r->rate[SR_RESPONSE], v[SF_SIGNED], v[SF_DISPATCHED]);
    rate_add(&r->rate[SR_RESOLUTION], v[SF_RESOLVED], v[SF_VISITS]);
    rate_add(&r->rate[SR_SATISFACTION], v[SF_SATISFIED], v[SF_VISITS]);
    rate_add(&r->rate[SR_CLOSURE], v[SF_CLOSED], v[SF_DUE]);
    rate_add(&r->rate[SR_ONTIME_CLOSURE], v[SF_ONTIME], v[SF_DUE]);
    rate_add(&r->rate[SR_REWORK], v[SF_REWORK_FB], v[SF_FEEDBACK]);
    rate_add(&r->rate[SR_EXTENSION], v[SF_EXTENDED], v[SF_DUE]);
    rate_add(&r->rate[SR_ACCURATE_DISPATCH], v[SF_ACCURATE], v[SF_DISPATCHES]);
    for (int k = 0; k < STATS_STAGES; k++) {
        r->stage_minutes[k] += v[SF_STAGE_MIN + k];
        r->stage_n[k] += v[SF_STAGE_N + k];
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
    case BY_COMMUNITY:
        snprintf(key, n, "%.12s", strlen(grid) >= 12 ? grid : "-");
        return 1;
    default:
        return 0;
    }
}

/* Folds the buffered case into the total and its group. */
static void row_add_case(struct engine *g, struct stats_row *r, const int64_t *v)
{
    stats__row_add_vector(r, v);
    kv_add(r->channel, &r->n_channel, g->channel, 1);
    kv_add(r->nature, &r->n_nature, g->nature, 1);
}

static void flush_case(struct engine *g)
{
    int64_t v[SF_COUNT], lead;
    char key[48];
    if (g->n_ev == 0)
        return;
    stats__case_vector(g->d, g->ev, g->n_ev, g->res->to_t, g->channel, v, &lead);
    if (g->drill >= 0) { /* collect the case if it counts, nothing else */
        if (v[g->drill] > 0) {
            if (g->n_ids == g->cap_ids) {
                g->cap_ids = g->cap_ids ? 2 * g->cap_ids : 256;
                g->ids = xrealloc(g->ids, (size_t)g->cap_ids * sizeof *g->ids);
            }
            g->ids[g->n_ids++] = g->case_id;
        }
        g->n_ev = 0;
        return;
    }
    row_add_case(g, &g->res->total, v);
    if (group_key(g, g->category, g->grid, lead, g->ev[0].at, key, sizeof key))
        row_add_case(g, group(g, key), v);
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

/* The same day a year before (29 Feb becomes 28 Feb). */
static int64_t year_before(int64_t day)
{
    int y, m, d;
    int64_t out;
    time_civil_from_days(day, &y, &m, &d);
    if (m == 2 && d == 29)
        d = 28;
    return time_days_from_civil(y - 1, m, d, &out) == 0 ? out : day - 365;
}

double stats_yoy_change(const struct stats_yoy *y)
{
    int64_t cur = y->petitions + y->repeats, prev = y->prev_petitions + y->prev_repeats;
    return prev > 0 ? (double)(cur - prev) / (double)prev : -2;
}

/* Petitions and repeat complaints of the period and of a year before. */
static int on_roll_prev(void *arg, int64_t rday, const char *grid, const int64_t *v);
static const char *scope_prefix(const struct store_stats_scope *sc);

static int add_yoy(struct store *s, struct stats_result *res, const struct store_stats_scope *sc,
                   int fast, struct err *e)
{
    struct stats_yoy *y = &res->yoy;
    y->petitions = res->total.petitions;
    y->repeats = res->total.repeats;
    y->prev_from_day = year_before(res->from_day);
    y->prev_to_day = year_before(res->to_day);
    if (fast)
        return store_roll_sum(s,
                              sc->grid        ? 2
                              : sc->community ? 1
                                              : 0,
                              y->prev_from_day, y->prev_to_day, scope_prefix(sc), on_roll_prev, y,
                              e);
    return store_stats_petitions(s, y->prev_from_day * 86400 - 8 * 3600,
                                 (y->prev_to_day + 1) * 86400 - 8 * 3600 - 1, sc,
                                 &y->prev_petitions, &y->prev_repeats, e);
}

struct run {
    struct engine *g;             /* the engine */
    struct store_stats_scope *sc; /* the filter */
    int fast;                     /* 1: read the roll-ups */
};

/* ---- the fast path: the roll-ups ---------------------------------------------------- */

/* The group key of a roll-up row (by none, month, grid or community). */
static int roll_key(struct engine *g, int64_t rday, const char *grid, char *key, size_t n)
{
    return group_key(g, "", grid, 0, rday * 86400 - 8 * 3600, key, n);
}

static int on_roll(void *arg, int64_t rday, const char *grid, const int64_t *v)
{
    struct engine *g = arg;
    char key[48];
    stats__row_add_vector(&g->res->total, v);
    if (roll_key(g, rday, grid, key, sizeof key))
        stats__row_add_vector(group(g, key), v);
    return 0;
}

static void intake_add(struct stats_row *r, const char *channel, const char *nature, int64_t n)
{
    kv_add(r->channel, &r->n_channel, channel, n);
    kv_add(r->nature, &r->n_nature, nature, n);
}

static int on_intake(void *arg, int64_t rday, const char *grid, const char *channel,
                     const char *nature, int64_t n)
{
    struct engine *g = arg;
    char key[48];
    intake_add(&g->res->total, channel, nature, n);
    if (roll_key(g, rday, grid, key, sizeof key))
        intake_add(group(g, key), channel, nature, n);
    return 0;
}

/* Petitions and repeats of a year before, from the roll-ups. */
static int on_roll_prev(void *arg, int64_t rday, const char *grid, const int64_t *v)
{
    struct stats_yoy *y = arg;
    (void)rday;
    (void)grid;
    y->prev_petitions += v[SF_PETITION];
    y->prev_repeats += v[SF_REPEAT];
    return 0;
}

static const char *scope_prefix(const struct store_stats_scope *sc)
{
    return sc->grid ? sc->grid : sc->community ? sc->community : "";
}

/* The figures of cases from the roll-ups (the whistles are read as always). */
/* The roll-up level that answers a scope and grouping: 0 subdistrict, 1
 * community, 2 grid. */
static int roll_level(const struct store_stats_scope *sc, int by)
{
    if (sc->grid || by == BY_GRID)
        return 2;
    return sc->community || by == BY_COMMUNITY ? 1 : 0;
}

static int read_fast(struct store *s, struct run *r, struct err *e)
{
    struct stats_result *res = r->g->res;
    const char *prefix = scope_prefix(r->sc);
    int lvl = roll_level(r->sc, r->g->by);
    int rc = store_roll_sum(s, lvl, res->from_day, res->to_day, prefix, on_roll, r->g, e);
    return rc ? rc
              : store_roll_intake_sum(s, lvl, res->from_day, res->to_day, prefix, on_intake, r->g,
                                      e);
}

/* Drill-down: the fold of the period's cases, collecting ids. */
static int run_drill(struct store *s, void *arg, struct err *e)
{
    struct run *r = arg;
    struct stats_result *res = r->g->res;
    int rc = store_stats_events(s, res->from_t, res->to_t, r->sc, on_event, r->g, e);
    if (rc == 0)
        flush_case(r->g);
    return rc;
}

static int run_read(struct store *s, void *arg, struct err *e)
{
    struct run *r = arg;
    struct stats_result *res = r->g->res;
    int rc = r->fast ? read_fast(s, r, e)
                     : store_stats_events(s, res->from_t, res->to_t, r->sc, on_event, r->g, e);
    if (rc)
        return rc;
    flush_case(r->g);
    rc = store_stats_whistles(s, res->from_t, res->to_t, r->sc, on_whistle, r->g, e);
    if (rc == 0)
        rc = add_yoy(s, res, r->sc, r->fast, e);
    if (rc == 0)
        rc = store_stats_coverage(s,
                                  r->sc->grid        ? r->sc->grid
                                  : r->sc->community ? r->sc->community
                                                     : "",
                                  &res->grids, &res->grids_covered, e);
    return rc;
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
    else if ((g->by == BY_GRID || g->by == BY_COMMUNITY) && strcmp(r->key, "-") == 0)
        str_copy(r->label, sizeof r->label, "无网格");
    else if ((g->by == BY_GRID || g->by == BY_COMMUNITY) &&
             store_place_get(g->d->store, r->key, a, &p, &e) == 0)
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
    if (g->n_rows > 1)
        qsort(g->rows, (size_t)g->n_rows, sizeof *g->rows, rank_cmp);
    for (int i = 0; i < g->n_rows; i++)
        g->rows[i].rank = g->rows[i].has_score ? i + 1 : 0;
    g->res->scored = 1;
    return 0;
}

/* Most frequent first, then by key: the same order however it was summed. */
static int kv_cmp(const void *x, const void *y)
{
    const struct stats_kv *a = x, *b = y;
    if (a->n != b->n)
        return a->n > b->n ? -1 : 1;
    return strcmp(a->key, b->key);
}

static void sort_keys(struct stats_row *r)
{
    qsort(r->channel, (size_t)r->n_channel, sizeof *r->channel, kv_cmp);
    qsort(r->nature, (size_t)r->n_nature, sizeof *r->nature, kv_cmp);
}

static int finish(struct engine *g, struct arena *a, struct err *e)
{
    struct stats_result *res = g->res;
    sort_keys(&res->total);
    for (int i = 0; i < g->n_rows; i++)
        sort_keys(&g->rows[i]);
    for (int i = 0; i < g->n_rows; i++)
        label_row(g, a, &g->rows[i]);
    if (g->by == BY_UNIT || g->by == BY_GRID || g->by == BY_COMMUNITY) {
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
    struct engine g = {.d = d, .res = out, .last = -1, .drill = -1};
    memset(out, 0, sizeof *out);
    int rc = parse_query(d, q, a, out, &sc, &g.by, e);
    if (rc)
        return rc;
    struct run r = {&g, &sc, 0};
    /* The roll-ups answer every scope but units and every grouping that
     * does not need a case's category or unit; a read-only database, or
     * one whose roll-ups cannot be brought up to date, is folded. */
    if (!q->exact && sc.unit_id == 0 && g.by != BY_CATEGORY && g.by != BY_UNIT) {
        struct err le = {0};
        r.fast = stats_roll_update(d, NULL, &le) == 0;
    }
    rc = store_read(d->store, run_read, &r, e);
    if (rc == 0)
        rc = finish(&g, a, e);
    xfree(g.rows);
    xfree(g.slot);
    xfree(g.ev);
    return rc;
}

/* ---- drill-down -------------------------------------------------------------------------- */

/* The fact counted by each figure a user can drill into: a count, or the
 * numerator or denominator of a rate. */
static const struct {
    const char *name; /* figure (docs/stats.md) */
    int num, den;     /* facts of the numerator and the denominator (-1: a plain count) */
} drills[] = {
    {"received", SF_RECEIVED, -1},
    {"registered", SF_REGISTERED, -1},
    {"dispatched", SF_DISPATCHED, -1},
    {"returns", SF_RETURNS, -1},
    {"reworks", SF_REWORKS, -1},
    {"visits", SF_VISITS, -1},
    {"closed", SF_CLOSED, -1},
    {"due_to_close", SF_DUE, -1},
    {"deferred", SF_DEFERRED, -1},
    {"petitions", SF_PETITION, -1},
    {"repeats", SF_REPEAT, -1},
    {"response", SF_SIGNED, SF_DISPATCHED},
    {"resolution", SF_RESOLVED, SF_VISITS},
    {"satisfaction", SF_SATISFIED, SF_VISITS},
    {"closure", SF_CLOSED, SF_DUE},
    {"ontime_closure", SF_ONTIME, SF_DUE},
    {"rework", SF_REWORK_FB, SF_FEEDBACK},
    {"extension", SF_EXTENDED, SF_DUE},
    {"accurate_dispatch", SF_ACCURATE, SF_DISPATCHES},
};

int stats_drill(struct domain *d, const struct stats_query *q, const char *figure, const char *part,
                struct arena *a, struct stats_drill *out, struct err *e)
{
    struct store_stats_scope sc = {0};
    struct stats_result res;
    struct engine g = {.d = d, .res = &res, .last = -1, .drill = -1};
    int by;
    memset(out, 0, sizeof *out);
    memset(&res, 0, sizeof res);
    for (size_t i = 0; figure && i < ARRAY_SIZE(drills); i++)
        if (strcmp(figure, drills[i].name) == 0) {
            int den = part && strcmp(part, "den") == 0;
            if (part && !den && strcmp(part, "num") != 0)
                return err_set(e, ERR_INVALID, "part", "part must be num or den");
            if (den && drills[i].den < 0)
                return err_set(e, ERR_INVALID, "part", "%s is a count: it has no denominator",
                               figure);
            g.drill = den ? drills[i].den : drills[i].num;
        }
    if (g.drill < 0)
        return err_set(e, ERR_INVALID, "drill", "no figure '%s' to drill into (see docs/stats.md)",
                       figure ? figure : "");
    struct stats_query plain = *q;
    plain.by = NULL;
    int rc = parse_query(d, &plain, a, &res, &sc, &by, e);
    struct run r = {&g, &sc, 0};
    if (rc == 0)
        rc = store_read(d->store, run_drill, &r, e);
    if (rc == 0) {
        out->n = g.n_ids;
        out->ids = arena_alloc(a, (size_t)(g.n_ids ? g.n_ids : 1) * sizeof *out->ids);
        if (g.n_ids)
            memcpy(out->ids, g.ids, (size_t)g.n_ids * sizeof *out->ids);
        out->from_day = res.from_day;
        out->to_day = res.to_day;
    }
    xfree(g.ids);
    xfree(g.ev);
    return rc;
}
