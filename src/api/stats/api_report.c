/* api_report.c - GET /report: the report card (docs/report.md) as HTML,
 * Markdown, xlsx (rendered by src/report) or JSON (written here with jw,
 * from the same model). */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "report/report.h"
#include "api_stats.h"

static const char *const content_types[] = {
    "text/html; charset=utf-8", "text/markdown; charset=utf-8",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"};
static const char *const extensions[] = {"html", "md", "xlsx"};

/* "key": number rounded to 0.01, or null when n is 0 (or v < 0). */
static void num_jw(struct jw *w, const char *key, double v, int defined)
{
    jw_key(w, key);
    if (defined)
        jw_num(w, round(v * 100) / 100);
    else
        jw_null(w);
}

/* "rates": {the rates named in ids} */
static void rates_jw(struct jw *w, const struct stats_row *row, const int *ids, int n)
{
    jw_key(w, "rates");
    jw_obj(w);
    for (int i = 0; i < n; i++)
        api_stats_rate_jw(w, stats_rate_name(ids[i]), row->rate[ids[i]]);
    jw_obj_end(w);
}

static const int sanlv[] = {SR_RESPONSE, SR_RESOLUTION, SR_SATISFACTION};
static const int month_rates[] = {SR_RESPONSE, SR_RESOLUTION, SR_SATISFACTION, SR_CLOSURE,
                                  SR_ONTIME_CLOSURE};

static void whistles_jw(struct jw *w, const struct report *r)
{
    const struct stats_row *t = report_total(r);
    int64_t count, units, rated, sum;
    report_whistle_sums(t, &count, &units, &rated, &sum);
    jw_key(w, "whistles");
    jw_obj(w);
    jw_kint(w, "count", count);
    jw_kint(w, "units", units);
    api_stats_rate_jw(w, "ontime", t->rate[SR_WHISTLE_ONTIME]);
    jw_kint(w, "rated", rated);
    num_jw(w, "rating_avg", rated ? (double)sum / (double)rated : 0, rated > 0);
    jw_key(w, "by_type");
    jw_arr(w);
    for (int i = 0; i < t->n_whistle; i++) {
        const struct stats_whistle *x = &t->whistle[i];
        jw_obj(w);
        jw_kstr(w, "type", x->type);
        jw_kstr(w, "label", report_code_label(r, "wt_", x->type));
        jw_kint(w, "count", x->whistles);
        jw_kint(w, "units", x->units);
        api_stats_rate_jw(w, "ontime", x->ontime);
        jw_kint(w, "rated", x->rated);
        num_jw(w, "rating_avg", x->rated ? (double)x->score_sum / (double)x->rated : 0,
               x->rated > 0);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_obj_end(w);
}

/* "stage_hours": {"register": {"n", "avg"}, ...} as GET /stats writes it. */
static void stages_jw(struct jw *w, const struct stats_row *t)
{
    static const char *const names[STATS_STAGES] = {"register", "dispatch", "sign", "handle",
                                                    "close"};
    jw_key(w, "stage_hours");
    jw_obj(w);
    for (int k = 0; k < STATS_STAGES; k++) {
        jw_key(w, names[k]);
        jw_obj(w);
        jw_kint(w, "n", t->stage_n[k]);
        num_jw(w, "avg",
               t->stage_n[k] ? (double)t->stage_minutes[k] / 60.0 / (double)t->stage_n[k] : 0,
               t->stage_n[k] > 0);
        jw_obj_end(w);
    }
    jw_obj_end(w);
}

static void headline_jw(struct jw *w, const struct report *r)
{
    const struct stats_row *t = report_total(r);
    const struct stats_result *m = &r->months;
    double change = stats_yoy_change(&m->yoy);
    jw_key(w, "headline");
    jw_obj(w);
    jw_kint(w, "received", t->received);
    jw_key(w, "rates");
    jw_obj(w);
    for (int i = 0; i < SR_COUNT; i++)
        api_stats_rate_jw(w, stats_rate_name(i), t->rate[i]);
    jw_obj_end(w);
    whistles_jw(w, r);
    jw_key(w, "petitions");
    jw_obj(w);
    jw_kint(w, "petitions", m->yoy.petitions);
    jw_kint(w, "repeats", m->yoy.repeats);
    jw_kstr(w, "prev_from", r->prev_from);
    jw_kstr(w, "prev_to", r->prev_to);
    jw_kint(w, "prev_petitions", m->yoy.prev_petitions);
    jw_kint(w, "prev_repeats", m->yoy.prev_repeats);
    jw_key(w, "change");
    if (change > -1.5)
        jw_num(w, round(change * 1e6) / 1e6);
    else
        jw_null(w);
    jw_obj_end(w);
    api_stats_rate_jw(w, "coverage", (struct stats_rate){m->grids_covered, m->grids});
    stages_jw(w, t);
    jw_obj_end(w);
}

static void months_jw(struct jw *w, const struct report *r)
{
    jw_key(w, "months");
    jw_arr(w);
    for (int i = 0; i < r->months.n_rows; i++) {
        const struct stats_row *x = &r->months.rows[i];
        jw_obj(w);
        jw_kstr(w, "month", x->key);
        jw_kint(w, "received", x->received);
        rates_jw(w, x, month_rates, (int)ARRAY_SIZE(month_rates));
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

/* "key": [{"key", "label", "count"}] of a channel or nature list. */
static void kv_jw(struct jw *w, const struct report *r, const char *key, const char *prefix,
                  const struct stats_kv *kv, int n)
{
    jw_key(w, key);
    jw_arr(w);
    for (int i = 0; i < n; i++) {
        jw_obj(w);
        jw_kstr(w, "key", kv[i].key);
        jw_kstr(w, "label", report_code_label(r, prefix, kv[i].key));
        jw_kint(w, "count", kv[i].n);
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

static void ranking_jw(struct jw *w, const char *key, const struct stats_result *res)
{
    jw_key(w, key);
    jw_arr(w);
    for (int i = 0; i < res->n_rows; i++) {
        const struct stats_row *x = &res->rows[i];
        jw_obj(w);
        jw_key(w, "rank");
        if (x->rank)
            jw_int(w, x->rank);
        else
            jw_null(w);
        jw_kstr(w, "key", x->key);
        jw_kstr(w, "label", x->label);
        jw_kint(w, "received", x->received);
        num_jw(w, "score", x->score, x->has_score);
        jw_kstr(w, "grade", x->has_score ? x->grade : NULL);
        rates_jw(w, x, sanlv, (int)ARRAY_SIZE(sanlv));
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

static void top_jw(struct jw *w, const char *key, const struct stats_row *const *rows, int n)
{
    jw_key(w, key);
    jw_arr(w);
    for (int i = 0; i < n; i++) {
        jw_obj(w);
        jw_kstr(w, "key", rows[i]->key);
        jw_kstr(w, "label", rows[i]->label);
        jw_kint(w, "received", rows[i]->received);
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

static int report_json(struct api_ctx *c, const struct report *r)
{
    struct buf b;
    struct jw w;
    api__buf_init(&b);
    jw_init(&w, &b);
    jw_obj(&w);
    jw_kstr(&w, "title", report_title(r, c->a));
    jw_kstr(&w, "lang", report_lang_name(r->lang));
    jw_kstr(&w, "from", r->from);
    jw_kstr(&w, "to", r->to);
    jw_kstr(&w, "scope", r->months.scope);
    jw_kstr(&w, "scope_label", r->scope_label[0] ? r->scope_label : NULL);
    jw_kstr(&w, "place", r->place);
    jw_ktime(&w, "generated_at", r->generated_at);
    headline_jw(&w, r);
    months_jw(&w, r);
    kv_jw(&w, r, "by_channel", "ch_", report_total(r)->channel, report_total(r)->n_channel);
    kv_jw(&w, r, "by_nature", "na_", report_total(r)->nature, report_total(r)->n_nature);
    jw_key(&w, "rankings");
    jw_obj(&w);
    ranking_jw(&w, "units", &r->units);
    ranking_jw(&w, "communities", &r->communities);
    ranking_jw(&w, "grids", &r->grids);
    jw_obj_end(&w);
    top_jw(&w, "top_categories", r->top, r->n_top);
    top_jw(&w, "hot_spots", r->hot, r->n_hot);
    jw_obj_end(&w);
    return api__reply_buf(c, 200, &b);
}

int api_report_get(struct api_ctx *c)
{
    struct report_query q = {api__query(c, "from"), api__query(c, "to"), api__query(c, "scope"),
                             api__query(c, "lang")};
    struct report r;
    struct buf b;
    int format, rc;
    if ((rc = report_format_parse(api__query(c, "format"), &format, &c->e)) != 0 ||
        (rc = report_build(c->api->dom, &q, c->a, &r, &c->e)) != 0)
        return rc;
    if (format == REPORT_JSON)
        return report_json(c, &r);
    api__buf_init(&b);
    rc = format == REPORT_HTML ? report_html(&r, &b, &c->e)
         : format == REPORT_MD ? report_md(&r, &b, &c->e)
                               : report_xlsx(&r, &b, &c->e);
    if (rc) {
        buf_free(&b);
        return rc;
    }
    c->resp->status = 200;
    c->resp->content_type = content_types[format];
    if (format == REPORT_XLSX)
        c->resp->disposition = arena_printf(c->a, "attachment; filename=\"report-%s-%s.%s\"",
                                            r.from, r.to, extensions[format]);
    c->resp->len = b.len;
    c->resp->body = buf_take(&b);
    c->resp->body_heap = 1;
    return 0;
}
