/* api_stats.c - GET /stats: rates and counts for a period, a scope and a
 * grouping (docs/stats.md), streamed with jw. */
#include <math.h>
#include <string.h>
#include "domain/stats/stats.h"
#include "api_stats.h"

static const char *const stage_names[STATS_STAGES] = {"register", "dispatch", "sign", "handle",
                                                      "close"};

/* An average rounded to 0.01, or null. */
static void avg_jw(struct jw *w, const char *key, double sum, int64_t n)
{
    jw_key(w, key);
    if (n > 0)
        jw_num(w, round(sum / (double)n * 100) / 100);
    else
        jw_null(w);
}

static void kv_jw(struct jw *w, const char *key, const struct stats_kv *kv, int n)
{
    jw_key(w, key);
    jw_obj(w);
    for (int i = 0; i < n; i++)
        jw_kint(w, kv[i].key, kv[i].n);
    jw_obj_end(w);
}

static void whistles_jw(struct jw *w, const struct stats_row *r)
{
    int64_t count = 0, units = 0, rated = 0, sum = 0;
    jw_key(w, "whistles");
    jw_obj(w);
    jw_key(w, "by_type");
    jw_arr(w);
    for (int i = 0; i < r->n_whistle; i++) {
        const struct stats_whistle *x = &r->whistle[i];
        jw_obj(w);
        jw_kstr(w, "type", x->type);
        jw_kint(w, "count", x->whistles);
        jw_kint(w, "units", x->units);
        api_stats_rate_jw(w, "ontime", x->ontime);
        jw_kint(w, "rated", x->rated);
        avg_jw(w, "rating_avg", (double)x->score_sum, x->rated);
        jw_obj_end(w);
        count += x->whistles;
        units += x->units;
        rated += x->rated;
        sum += x->score_sum;
    }
    jw_arr_end(w);
    jw_kint(w, "count", count);
    jw_kint(w, "units", units);
    api_stats_rate_jw(w, "ontime", r->rate[SR_WHISTLE_ONTIME]);
    jw_kint(w, "rated", rated);
    avg_jw(w, "rating_avg", (double)sum, rated);
    jw_obj_end(w);
}

/* The figures of one row (inside an open object). */
static void row_jw(struct jw *w, const struct stats_row *r)
{
    jw_kint(w, "received", r->received);
    kv_jw(w, "by_channel", r->channel, r->n_channel);
    kv_jw(w, "by_nature", r->nature, r->n_nature);
    jw_kint(w, "registered", r->registered);
    jw_kint(w, "dispatched", r->dispatched);
    jw_kint(w, "dispatches", r->dispatches);
    jw_kint(w, "returns", r->returns);
    jw_kint(w, "reworks", r->reworks);
    jw_kint(w, "visits", r->visits);
    jw_kint(w, "due_to_close", r->due_to_close);
    jw_kint(w, "closed", r->closed);
    jw_kint(w, "deferred", r->deferred);
    jw_kint(w, "petitions", r->petitions);
    jw_kint(w, "repeats", r->repeats);
    jw_key(w, "rates");
    jw_obj(w);
    for (int i = 0; i < SR_COUNT; i++)
        api_stats_rate_jw(w, stats_rate_name(i), r->rate[i]);
    jw_obj_end(w);
    jw_key(w, "stage_hours");
    jw_obj(w);
    for (int k = 0; k < STATS_STAGES; k++) {
        jw_key(w, stage_names[k]);
        jw_obj(w);
        jw_kint(w, "n", r->stage_n[k]);
        avg_jw(w, "avg", (double)r->stage_minutes[k] / 60.0, r->stage_n[k]);
        jw_obj_end(w);
    }
    jw_obj_end(w);
    whistles_jw(w, r);
}

/* 息诉息访: petitions and repeat complaints against a year before. */
static void yoy_jw(struct jw *w, const struct stats_yoy *y)
{
    char from[16], to[16];
    double change = stats_yoy_change(y);
    time_format_date(y->prev_from_day, from);
    time_format_date(y->prev_to_day, to);
    jw_key(w, "petitions");
    jw_obj(w);
    jw_kint(w, "petitions", y->petitions);
    jw_kint(w, "repeats", y->repeats);
    jw_kint(w, "total", y->petitions + y->repeats);
    jw_kstr(w, "prev_from", from);
    jw_kstr(w, "prev_to", to);
    jw_kint(w, "prev_petitions", y->prev_petitions);
    jw_kint(w, "prev_repeats", y->prev_repeats);
    jw_kint(w, "prev_total", y->prev_petitions + y->prev_repeats);
    jw_key(w, "change");
    if (change < -1)
        jw_null(w);
    else
        jw_num(w, round(change * 1e6) / 1e6);
    jw_obj_end(w);
}

static void group_jw(struct jw *w, const struct stats_row *r, int scored)
{
    jw_obj(w);
    jw_kstr(w, "key", r->key);
    jw_kstr(w, "label", r->label);
    if (scored) {
        jw_key(w, "score");
        if (r->has_score)
            jw_num(w, round(r->score * 100) / 100);
        else
            jw_null(w);
        jw_kstr(w, "grade", r->has_score ? r->grade : NULL);
        jw_key(w, "rank");
        if (r->rank)
            jw_int(w, r->rank);
        else
            jw_null(w);
    }
    row_jw(w, r);
    jw_obj_end(w);
}

/* Starts an answer in b: the object with its period and scope. */
static void answer_head(struct jw *w, struct buf *b, int64_t from_day, int64_t to_day,
                        const char *scope)
{
    char from[16], to[16];
    time_format_date(from_day, from);
    time_format_date(to_day, to);
    api__buf_init(b);
    jw_init(w, b);
    jw_obj(w);
    jw_kstr(w, "from", from);
    jw_kstr(w, "to", to);
    jw_kstr(w, "scope", scope);
}

/* GET /stats?drill=FIGURE[&part=num|den]: the cases behind a figure. */
static int drill(struct api_ctx *c, const struct stats_query *q)
{
    const char *figure = api__query(c, "drill"), *part = api__query(c, "part");
    struct stats_drill d;
    struct buf b;
    struct jw w;
    if (stats_drill(c->api->dom, q, figure, part, c->a, &d, &c->e))
        return c->e.code;
    answer_head(&w, &b, d.from_day, d.to_day, q->scope && *q->scope ? q->scope : "subdistrict");
    jw_kstr(&w, "drill", figure);
    jw_kstr(&w, "part", part ? part : "num");
    jw_kint(&w, "count", d.n);
    jw_key(&w, "cases");
    jw_arr(&w);
    for (int i = 0; i < d.n; i++)
        jw_int(&w, d.ids[i]);
    jw_arr_end(&w);
    jw_obj_end(&w);
    return api__reply_buf(c, 200, &b);
}

static int api_stats_get(struct api_ctx *c)
{
    const char *exact = api__query(c, "exact");
    struct stats_query q = {.from = api__query(c, "from"),
                            .to = api__query(c, "to"),
                            .scope = api__query(c, "scope"),
                            .by = api__query(c, "by"),
                            .exact = exact && strcmp(exact, "1") == 0};
    if (exact && strcmp(exact, "1") != 0 && strcmp(exact, "0") != 0)
        return err_set(&c->e, ERR_INVALID, "exact", "exact must be 0 or 1");
    if (api__query(c, "drill"))
        return drill(c, &q);
    struct stats_result res;
    struct buf b;
    struct jw w;
    if (stats_compute(c->api->dom, &q, c->a, &res, &c->e))
        return c->e.code;
    answer_head(&w, &b, res.from_day, res.to_day, res.scope);
    jw_kstr(&w, "by", res.by);
    jw_key(&w, "total");
    jw_obj(&w);
    row_jw(&w, &res.total);
    jw_obj_end(&w);
    yoy_jw(&w, &res.yoy);
    jw_key(&w, "coverage");
    jw_obj(&w);
    jw_kint(&w, "grids", res.grids);
    jw_kint(&w, "covered", res.grids_covered);
    api_stats_rate_jw(&w, "rate", (struct stats_rate){res.grids_covered, res.grids});
    jw_obj_end(&w);
    jw_key(&w, "rows");
    jw_arr(&w);
    for (int i = 0; i < res.n_rows; i++)
        group_jw(&w, &res.rows[i], res.scored);
    jw_arr_end(&w);
    jw_obj_end(&w);
    return api__reply_buf(c, 200, &b);
}

void api_stats_rate_jw(struct jw *w, const char *key, struct stats_rate r)
{
    jw_key(w, key);
    jw_obj(w);
    jw_kint(w, "num", r.num);
    jw_kint(w, "den", r.den);
    jw_key(w, "value");
    if (r.den > 0)
        jw_num(w, round(stats_rate_value(r) * 1e6) / 1e6);
    else
        jw_null(w);
    jw_obj_end(w);
}

static const struct api_route routes[] = {
    {"/report", "GET", api_report_get, ACCESS_STAFF, 0},
    {"/stats", "GET", api_stats_get, ACCESS_STAFF, 0},
};
API_ROUTES(api_stats_routes, "stats", routes);
