/* report.c - the report card's model: the labels table, the names of the
 * subdistrict and of the scope, and the figures from stats_compute (by
 * month, unit, community, grid and category) in one read snapshot. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "report.h"
#include "core/embed.h"
#include "store/store.h"
#include "store/place/store_place.h"
#include "store/unit/store_unit.h"

static const char *const lang_names[REPORT_LANGS] = {"zh-Hans", "zh-Hant", "en"};
static const char *const format_names[REPORT_FORMATS] = {"html", "md", "xlsx", "json"};

/* Finds s in names[0..n) (NULL or "" = the first). ERR_INVALID naming field. */
static int parse_name(const char *const *names, int n, const char *s, int *out, const char *field,
                      struct err *e)
{
    char list[96] = "";
    *out = 0;
    if (s == NULL || *s == '\0')
        return 0;
    for (int i = 0; i < n; i++) {
        if (strcmp(s, names[i]) == 0)
            return (*out = i), 0;
        size_t len = strlen(list);
        snprintf(list + len, sizeof list - len, "%s%s",
                 i == 0       ? ""
                 : i == n - 1 ? " or "
                              : ", ",
                 names[i]);
    }
    return err_set(e, ERR_INVALID, field, "%s must be %s", field, list);
}

int report_lang_parse(const char *s, int *lang, struct err *e)
{
    return parse_name(lang_names, REPORT_LANGS, s, lang, "lang", e);
}

const char *report_lang_name(int lang)
{
    return lang >= 0 && lang < REPORT_LANGS ? lang_names[lang] : lang_names[0];
}

int report_format_parse(const char *s, int *format, struct err *e)
{
    return parse_name(format_names, REPORT_FORMATS, s, format, "format", e);
}

/* ---- labels ------------------------------------------------------------------------------- */

/* Splits one line "key\ta\tb\tc" (copied into a) into l. 0 or -1 if malformed. */
static int parse_label(const char *line, size_t n, struct arena *a, struct report_label *l)
{
    char *s = arena_strndup(a, line, n);
    char *field[1 + REPORT_LANGS];
    int k = 0;
    field[k++] = s;
    for (char *p = s; *p; p++)
        if (*p == '\t') {
            if (k == 1 + REPORT_LANGS)
                return -1;
            *p = '\0';
            field[k++] = p + 1;
        }
    if (k != 1 + REPORT_LANGS || *field[0] == '\0')
        return -1;
    l->key = field[0];
    for (int i = 0; i < REPORT_LANGS; i++)
        l->text[i] = field[1 + i];
    return 0;
}

int report_init(struct report *r, int lang, struct arena *a, struct err *e)
{
    const struct embed_file *f = embed_find("data/report_strings.txt");
    memset(r, 0, sizeof *r);
    r->lang = lang;
    if (f == NULL)
        return err_set(e, ERR_INTERNAL, NULL, "data/report_strings.txt is not built in");
    const char *p = (const char *)f->data, *end = p + f->len;
    int lines = 0, line = 0;
    for (const char *q = p; q < end; q++)
        lines += *q == '\n';
    struct report_label *l = arena_alloc(a, sizeof *l * (size_t)(lines + 1));
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        line++;
        if (n > 0 && p[0] != '#' && parse_label(p, n, a, &l[r->n_labels++]) != 0)
            return err_set(e, ERR_INTERNAL, NULL,
                           "data/report_strings.txt line %d: want a key and three labels", line);
        p += n + 1;
    }
    r->labels = l;
    return 0;
}

/* The label of key in r's language, or NULL. */
static const char *lookup(const struct report *r, const char *key)
{
    for (int i = 0; i < r->n_labels; i++)
        if (strcmp(r->labels[i].key, key) == 0)
            return r->labels[i].text[r->lang];
    return NULL;
}

const char *report_text(const struct report *r, const char *key)
{
    const char *t = lookup(r, key);
    return t ? t : key;
}

const char *report_code_label(const struct report *r, const char *prefix, const char *code)
{
    char key[64];
    snprintf(key, sizeof key, "%s%s", prefix, code);
    const char *t = lookup(r, key);
    return t ? t : code;
}

const char *report_title(const struct report *r, struct arena *a)
{
    const char *sep = r->lang == REPORT_EN && r->place[0] ? " " : "";
    return arena_printf(a, "%s%s%s", r->place, sep, report_text(r, "title"));
}

void report_whistle_sums(const struct stats_row *row, int64_t *count, int64_t *units,
                         int64_t *rated, int64_t *score_sum)
{
    *count = *units = *rated = *score_sum = 0;
    for (int i = 0; i < row->n_whistle; i++) {
        *count += row->whistle[i].whistles;
        *units += row->whistle[i].units;
        *rated += row->whistle[i].rated;
        *score_sum += row->whistle[i].score_sum;
    }
}

/* ---- building ------------------------------------------------------------------------------ */

struct build {
    struct domain *d;             /* the domain */
    const struct report_query *q; /* what to report on */
    struct arena *a;              /* where the model lives */
    struct report *r;             /* the model */
};

/* Keeps the name of the first place visited (the subdistrict: the root). */
static int first_place(void *arg, const struct store_place *p)
{
    char *name = arg;
    if (name[0] == '\0')
        str_copy(name, 192, p->name);
    return 0;
}

/* A lookup's result: 0 found, ERR_NOTFOUND (e cleared: the caller keeps
 * the code), or a failure to report. */
static int found_or_absent(int rc, struct err *e)
{
    if (rc == ERR_NOTFOUND) {
        err_clear(e);
        return ERR_NOTFOUND;
    }
    return rc;
}

/* The names of the subdistrict and of the scope; a missing name leaves the
 * code (stats_compute has already checked that the scope exists). A failed
 * read fails the report: no card with names missing. */
static int name_places(struct build *b, struct err *e)
{
    struct report *r = b->r;
    const char *sc = b->q->scope, *colon = sc ? strchr(sc, ':') : NULL;
    struct store_place p;
    struct store_unit u;
    int64_t id;
    int rc = store_place_each(b->d->store, "subdistrict", NULL, 0, first_place, r->place, e);
    if (rc || colon == NULL)
        return rc;
    str_copy(r->scope_label, sizeof r->scope_label, colon + 1);
    if (strncmp(sc, "unit:", 5) == 0) {
        if (str_to_i64(colon + 1, &id) != 0)
            return 0;
        rc = found_or_absent(store_unit_get(b->d->store, id, &u, e), e);
        if (rc == 0)
            str_copy(r->scope_label, sizeof r->scope_label, u.name);
    } else {
        rc = found_or_absent(store_place_get(b->d->store, colon + 1, b->a, &p, e), e);
        if (rc == 0)
            str_copy(r->scope_label, sizeof r->scope_label, p.name);
    }
    return rc == ERR_NOTFOUND ? 0 : rc;
}

static int by_received(const void *x, const void *y)
{
    const struct stats_row *a = *(const struct stats_row *const *)x;
    const struct stats_row *b = *(const struct stats_row *const *)y;
    if (a->received != b->received)
        return a->received > b->received ? -1 : 1;
    return strcmp(a->key, b->key);
}

/* The REPORT_TOP most received rows of res (rows with none, and the row
 * "-" of cases without a grid, left out). */
static int top_rows(const struct stats_result *res, const struct stats_row **top, struct arena *a)
{
    const struct stats_row **all = arena_alloc(a, sizeof *all * (size_t)(res->n_rows + 1));
    int n = 0;
    for (int i = 0; i < res->n_rows; i++)
        if (res->rows[i].received > 0 && strcmp(res->rows[i].key, "-") != 0)
            all[n++] = &res->rows[i];
    qsort(all, (size_t)n, sizeof *all, by_received);
    if (n > REPORT_TOP)
        n = REPORT_TOP;
    memcpy(top, all, sizeof *all * (size_t)n);
    return n;
}

/* The read: every stats_compute joins this snapshot (store_read nests). */
static int build_read(struct store *s, void *arg, struct err *e)
{
    struct build *b = arg;
    struct report *r = b->r;
    static const char *const by[] = {"month", "unit", "community", "grid", "category"};
    struct stats_result *out[] = {&r->months, &r->units, &r->communities, &r->grids,
                                  &r->categories};
    (void)s;
    for (size_t i = 0; i < ARRAY_SIZE(by); i++) {
        struct stats_query q = {
            .from = b->q->from, .to = b->q->to, .scope = b->q->scope, .by = by[i]};
        int rc = stats_compute(b->d, &q, b->a, out[i], e);
        if (rc)
            return rc;
        if (r->months.total.received == 0)
            break; /* no case in the period: every grouping is empty (the month call has
                      checked the query) */
    }
    return name_places(b, e);
}

int report_build(struct domain *d, const struct report_query *q, struct arena *a, struct report *r,
                 struct err *e)
{
    int lang, rc = report_lang_parse(q->lang, &lang, e);
    if (rc || (rc = report_init(r, lang, a, e)) != 0)
        return rc;
    struct build b = {d, q, a, r};
    if ((rc = store_read(d->store, build_read, &b, e)) != 0)
        return rc;
    r->generated_at = time_now();
    time_format_date(r->months.from_day, r->from);
    time_format_date(r->months.to_day, r->to);
    time_format_date(r->months.yoy.prev_from_day, r->prev_from);
    time_format_date(r->months.yoy.prev_to_day, r->prev_to);
    r->n_top = top_rows(&r->categories, r->top, a);
    r->n_hot = top_rows(&r->grids, r->hot, a);
    return 0;
}
