/* report_tables.c - the report card as tables of cells (report_int.h), the
 * one place that decides what each section holds; report_html.c,
 * report_md.c and report_xlsx.c only lay the tables out. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "report_int.h"

#define MAX_TABLES 12

struct tables {
    const struct report *r; /* the model */
    struct arena *a;        /* where the tables live */
    struct report_table *t; /* the tables */
    int n;                  /* tables started */
    int row;                /* current row of the last table */
};

/* Starts a table of n_cols columns whose labels are the keys in head. */
static struct report_table *table(struct tables *x, const char *section, const char *sheet,
                                  const char *const *head, int n_cols, int max_rows)
{
    struct report_table *t = &x->t[x->n++];
    t->section = section;
    t->sheet = sheet;
    t->n_cols = n_cols;
    t->head = arena_alloc(x->a, sizeof *t->head * (size_t)n_cols);
    for (int j = 0; j < n_cols; j++)
        t->head[j] = report_text(x->r, head[j]);
    t->max_rows = max_rows;
    t->cells = arena_alloc(x->a, sizeof *t->cells * (size_t)(n_cols * (max_rows ? max_rows : 1)));
    return t;
}

/* The cell of column j in a new row (j == 0) or the current one. */
static struct report_cell *cell(struct tables *x, int j)
{
    struct report_table *t = &x->t[x->n - 1];
    if (j == 0)
        t->n_rows++;
    t->shown = t->n_rows;
    return &t->cells[(t->n_rows - 1) * t->n_cols + j];
}

static void c_text(struct tables *x, int j, const char *text)
{
    *cell(x, j) = (struct report_cell){RC_TEXT, text ? text : "", 0, NULL};
}

static void c_int(struct tables *x, int j, int64_t v, const char *key)
{
    *cell(x, j) =
        (struct report_cell){RC_INT, arena_printf(x->a, "%lld", (long long)v), (double)v, key};
}

static void c_pct(struct tables *x, int j, double v, const char *key)
{
    char s[24];
    report_fmt_pct(v, s, sizeof s);
    *cell(x, j) = (struct report_cell){RC_RATE, arena_strdup(x->a, s), v, key};
}

static void c_rate(struct tables *x, int j, struct stats_rate r, const char *key)
{
    c_pct(x, j, r.den > 0 ? stats_rate_value(r) : -1, key);
}

static void c_num(struct tables *x, int j, double v, const char *key)
{
    *cell(x, j) =
        (struct report_cell){RC_NUM, v < 0 ? REPORT_NONE : arena_printf(x->a, "%.2f", v), v, key};
}

/* ---- sections ------------------------------------------------------------------------------ */

/* Headline: received, the rates with numerator and denominator, coverage. */
static void headline(struct tables *x)
{
    static const char *const head[] = {"figure", "value", "num", "den"};
    static const int rates[] = {SR_RESPONSE,  SR_RESOLUTION,       SR_SATISFACTION,
                                SR_CLOSURE,   SR_ONTIME_CLOSURE,   SR_REWORK,
                                SR_EXTENSION, SR_ACCURATE_DISPATCH};
    const struct stats_row *t = report_total(x->r);
    const struct stats_result *m = &x->r->months;
    table(x, "sec_headline", "sheet_headline", head, 4, 2 + (int)ARRAY_SIZE(rates));
    c_text(x, 0, report_text(x->r, "received"));
    c_int(x, 1, t->received, "received");
    c_text(x, 2, "");
    c_text(x, 3, "");
    for (size_t i = 0; i < ARRAY_SIZE(rates); i++) {
        const char *name = stats_rate_name(rates[i]);
        c_text(x, 0, report_text(x->r, name));
        c_rate(x, 1, t->rate[rates[i]], name);
        c_int(x, 2, t->rate[rates[i]].num, NULL);
        c_int(x, 3, t->rate[rates[i]].den, NULL);
    }
    c_text(x, 0, report_text(x->r, "coverage"));
    c_rate(x, 1, (struct stats_rate){m->grids_covered, m->grids}, "coverage");
    c_int(x, 2, m->grids_covered, NULL);
    c_int(x, 3, m->grids, NULL);
}

/* Average working hours per stage (case_deadlines' stages). */
static void stages(struct tables *x)
{
    static const char *const head[] = {"stage", "avg_hours", "stage_n"};
    static const char *const names[STATS_STAGES] = {"stage_register", "stage_dispatch",
                                                    "stage_sign", "stage_handle", "stage_close"};
    const struct stats_row *t = report_total(x->r);
    struct report_table *tb = table(x, "sec_headline", "sheet_headline", head, 3, STATS_STAGES);
    tb->caption = report_text(x->r, "stages");
    for (int k = 0; k < STATS_STAGES; k++) {
        c_text(x, 0, report_text(x->r, names[k]));
        c_num(x, 1, t->stage_n[k] ? (double)t->stage_minutes[k] / 60.0 / (double)t->stage_n[k] : -1,
              NULL);
        c_int(x, 2, t->stage_n[k], NULL);
    }
}

/* Whistles by type and in all. */
static void whistles(struct tables *x)
{
    static const char *const head[] = {"whistle_type",    "whistles",       "units_summoned",
                                       "reported_ontime", "whistle_ontime", "rated",
                                       "rating_avg"};
    const struct stats_row *t = report_total(x->r);
    int64_t count, units, rated, sum;
    table(x, "sec_whistles", "sheet_whistles", head, 7, t->n_whistle + 1);
    for (int i = 0; i < t->n_whistle; i++) {
        const struct stats_whistle *w = &t->whistle[i];
        c_text(x, 0, report_code_label(x->r, "wt_", w->type));
        c_int(x, 1, w->whistles, NULL);
        c_int(x, 2, w->units, NULL);
        c_int(x, 3, w->ontime.num, NULL);
        c_rate(x, 4, w->ontime, NULL);
        c_int(x, 5, w->rated, NULL);
        c_num(x, 6, w->rated ? (double)w->score_sum / (double)w->rated : -1, NULL);
    }
    report_whistle_sums(t, &count, &units, &rated, &sum);
    c_text(x, 0, report_text(x->r, "all_types"));
    c_int(x, 1, count, "whistles");
    c_int(x, 2, units, "units_summoned");
    c_int(x, 3, t->rate[SR_WHISTLE_ONTIME].num, NULL);
    c_rate(x, 4, t->rate[SR_WHISTLE_ONTIME], "whistle_ontime");
    c_int(x, 5, rated, NULL);
    c_num(x, 6, rated ? (double)sum / (double)rated : -1, NULL);
    x->t[x->n - 1].total_row = 1;
}

/* (cur - prev) / prev as stats_yoy_change counts it (-2: none before). */
static double change(int64_t cur, int64_t prev)
{
    struct stats_yoy y = {.petitions = cur, .prev_petitions = prev};
    return stats_yoy_change(&y);
}

/* Petitions and repeat complaints against the same period a year before. */
static void xisu(struct tables *x)
{
    static const char *const head[] = {"item", "this_period", "prev_period", "change"};
    const struct stats_yoy *y = &x->r->months.yoy;
    const int64_t cur[] = {y->petitions, y->repeats, y->petitions + y->repeats};
    const int64_t prev[] = {y->prev_petitions, y->prev_repeats,
                            y->prev_petitions + y->prev_repeats};
    static const char *const item[] = {"petitions", "repeats", "petitions_repeats"};
    char s[96];
    struct report_table *t = table(x, "sec_xisu", "sheet_xisu", head, 4, 3);
    for (int i = 0; i < 3; i++) {
        double ch = i == 2 ? stats_yoy_change(y) : change(cur[i], prev[i]);
        c_text(x, 0, report_text(x->r, item[i]));
        c_int(x, 1, cur[i], i == 2 ? "petitions_repeats" : NULL);
        c_int(x, 2, prev[i], i == 2 ? "petitions_repeats_prev" : NULL);
        report_fmt_change(x->r, ch, s, sizeof s);
        *cell(x, 3) = (struct report_cell){ch <= -1.5 ? RC_TEXT : RC_RATE, arena_strdup(x->a, s),
                                           ch, i == 2 ? "yoy_change" : NULL};
    }
    t->note = arena_printf(x->a, "%s %s %s %s%s%s", report_text(x->r, "prev_period_is"),
                           x->r->prev_from, report_text(x->r, "period_to"), x->r->prev_to,
                           report_text(x->r, "sep"), report_text(x->r, "note_xisu"));
}

/* Received and the main rates per month. */
static void trend(struct tables *x)
{
    static const char *const head[] = {"month",        "received", "response",      "resolution",
                                       "satisfaction", "closure",  "ontime_closure"};
    static const int rates[] = {SR_RESPONSE, SR_RESOLUTION, SR_SATISFACTION, SR_CLOSURE,
                                SR_ONTIME_CLOSURE};
    const struct stats_result *m = &x->r->months;
    table(x, "sec_trend", "sheet_trend", head, 7, m->n_rows);
    for (int i = 0; i < m->n_rows; i++) {
        c_text(x, 0, m->rows[i].key);
        c_int(x, 1, m->rows[i].received, NULL);
        for (int k = 0; k < 5; k++)
            c_rate(x, 2 + k, m->rows[i].rate[rates[k]], NULL);
    }
}

static int kv_cmp(const void *x, const void *y)
{
    const struct stats_kv *a = x, *b = y;
    return a->n != b->n ? (a->n > b->n ? -1 : 1) : strcmp(a->key, b->key);
}

/* Received by channel or nature, most first, with shares. */
static void breakdown(struct tables *x, const char *what, const char *prefix,
                      const struct stats_kv *in, int n)
{
    const char *head[] = {what, "count", "share"};
    int64_t all = report_total(x->r)->received;
    struct stats_kv *kv = arena_alloc(x->a, sizeof *kv * (size_t)(n + 1));
    memcpy(kv, in, sizeof *kv * (size_t)n);
    qsort(kv, (size_t)n, sizeof *kv, kv_cmp);
    table(x, "sec_breakdown", "sheet_breakdown", head, 3, n);
    for (int i = 0; i < n; i++) {
        c_text(x, 0, report_code_label(x->r, prefix, kv[i].key));
        c_int(x, 1, kv[i].n, NULL);
        c_pct(x, 2, all ? (double)kv[i].n / (double)all : -1, NULL);
    }
}

/* A ranking: rank, name, received, 三率, score, grade. */
static void ranking(struct tables *x, const char *section, const char *sheet, const char *name,
                    const struct stats_result *res, int shown)
{
    const char *head[] = {"rank",         "x",     "received", "response", "resolution",
                          "satisfaction", "score", "grade"};
    head[1] = name;
    struct report_table *t = table(x, section, sheet, head, 8, res->n_rows);
    for (int i = 0; i < res->n_rows; i++) {
        const struct stats_row *w = &res->rows[i];
        if (!w->has_score && w->received == 0)
            continue; /* e.g. a unit only summoned by a whistle: nothing to rank */
        if (w->rank)
            c_int(x, 0, w->rank, NULL);
        else
            c_text(x, 0, REPORT_NONE);
        c_text(x, 1, w->label);
        c_int(x, 2, w->received, NULL);
        c_rate(x, 3, w->rate[SR_RESPONSE], NULL);
        c_rate(x, 4, w->rate[SR_RESOLUTION], NULL);
        c_rate(x, 5, w->rate[SR_SATISFACTION], NULL);
        c_num(x, 6, w->has_score ? w->score : -1, NULL);
        c_text(x, 7, w->has_score ? w->grade : REPORT_NONE);
    }
    if (shown && t->n_rows > shown) {
        t->shown = shown;
        t->note = arena_printf(x->a, report_text(x->r, "grids_shown"), shown, t->n_rows);
    }
}

/* The most received categories or grids. */
static void top(struct tables *x, const char *section, const char *sheet, const char *name,
                const struct stats_row *const *rows, int n)
{
    const char *head[] = {"rank", name, "count", "share"};
    int64_t all = report_total(x->r)->received;
    table(x, section, sheet, head, 4, n);
    for (int i = 0; i < n; i++) {
        c_int(x, 0, i + 1, NULL);
        c_text(x, 1, rows[i]->label);
        c_int(x, 2, rows[i]->received, NULL);
        c_pct(x, 3, all ? (double)rows[i]->received / (double)all : -1, NULL);
    }
}

const struct report_table *report_table_of(const struct report_table *t, int n, const char *section)
{
    for (int i = 0; i < n; i++)
        if (strcmp(t[i].section, section) == 0)
            return &t[i];
    return NULL;
}

void report_tables(const struct report *r, struct arena *a, struct report_table **out, int *n)
{
    const struct stats_row *t = report_total(r);
    struct tables x = {r, a, arena_alloc(a, sizeof *x.t * MAX_TABLES), 0, 0};
    headline(&x);
    stages(&x);
    whistles(&x);
    xisu(&x);
    trend(&x);
    breakdown(&x, "channel", "ch_", t->channel, t->n_channel);
    x.t[x.n - 1].pair = 1;
    breakdown(&x, "nature", "na_", t->nature, t->n_nature);
    ranking(&x, "sec_units", "sheet_units", "unit", &r->units, 0);
    ranking(&x, "sec_communities", "sheet_communities", "community", &r->communities, 0);
    ranking(&x, "sec_grids", "sheet_grids", "grid", &r->grids, REPORT_GRIDS_SHOWN);
    top(&x, "sec_top", "sheet_top", "category", r->top, r->n_top);
    top(&x, "sec_hot", "sheet_hot", "grid", r->hot, r->n_hot);
    *out = x.t;
    *n = x.n;
}
