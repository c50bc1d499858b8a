/*
 * report.h - the report card (成绩单, docs/report.md): a model of the
 * period's figures built from several stats_compute calls in one read
 * snapshot, and its renderings as one self-contained HTML file (inline CSS
 * and SVG charts), Markdown and an xlsx workbook. The JSON form is written
 * by src/api/api_report.c from the same model. No SQL, no JSON, no sockets.
 */
#ifndef CHUISHAO_REPORT_H
#define CHUISHAO_REPORT_H

#include "domain/stats/stats.h"

/* Languages of the labels (data/report_strings.txt columns). */
enum report_lang { REPORT_ZH_HANS = 0, REPORT_ZH_HANT, REPORT_EN, REPORT_LANGS };
/* Output formats. */
enum report_format { REPORT_HTML = 0, REPORT_MD, REPORT_XLSX, REPORT_JSON, REPORT_FORMATS };

#define REPORT_TOP         10 /* top recurring problems and hot spots shown */
#define REPORT_GRIDS_SHOWN 20 /* grid ranking rows in HTML and Markdown (all in xlsx/json) */

/* One label in the three languages. */
struct report_label {
    const char *key;                /* e.g. "response" */
    const char *text[REPORT_LANGS]; /* the label per language */
};

/* What to report on. */
struct report_query {
    const char *from;  /* "YYYY-MM-DD", China date, inclusive */
    const char *to;    /* "YYYY-MM-DD", inclusive; >= from */
    const char *scope; /* as stats_query.scope (NULL: the subdistrict) */
    const char *lang;  /* "zh-Hans" (NULL: the default), "zh-Hant" or "en" */
};

/* The report card's model. Everything lives in the arena given to
 * report_build (or report_init). */
struct report {
    int lang;                                /* REPORT_ZH_HANS .. */
    const struct report_label *labels;       /* data/report_strings.txt, parsed */
    int n_labels;                            /* entries in labels */
    char place[192];                         /* the subdistrict's name ("" if no place tree) */
    char scope_label[256];                   /* the scope's name ("" for the whole subdistrict) */
    char from[16], to[16];                   /* the period, YYYY-MM-DD */
    char prev_from[16], prev_to[16];         /* the same period a year before */
    int64_t generated_at;                    /* instant the report was made */
    struct stats_result months;              /* total (headline figures, yoy, coverage), by month */
    struct stats_result units;               /* by unit, ranked */
    struct stats_result communities;         /* by community, ranked */
    struct stats_result grids;               /* by grid, ranked */
    struct stats_result categories;          /* by category */
    const struct stats_row *top[REPORT_TOP]; /* categories by received, most first */
    int n_top;                               /* entries in top */
    const struct stats_row *hot[REPORT_TOP]; /* grids by received, most first */
    int n_hot;                               /* entries in hot */
};

/* Parses a language name (NULL or "" = zh-Hans). ERR_INVALID naming "lang". */
int report_lang_parse(const char *s, int *lang, struct err *e);
/* The name of a language ("zh-Hans", ...). */
const char *report_lang_name(int lang);
/* Parses a format name (NULL or "" = html). ERR_INVALID naming "format". */
int report_format_parse(const char *s, int *format, struct err *e);

/* Zeroes r, sets its language and loads the labels (embedded
 * data/report_strings.txt) into a. ERR_INTERNAL if the file is missing or
 * malformed. For report_build and for tests that fill a model by hand. */
int report_init(struct report *r, int lang, struct arena *a, struct err *e);

/* Builds the model of q: stats_compute by month, unit, community, grid and
 * category, all in one read snapshot, plus the names of the subdistrict and
 * of the scope. OUT: *r (in a). Errors: those of report_lang_parse and
 * stats_compute (ERR_INVALID naming from, to, scope or lang), ERR_STORE.
 * Needs no transaction. */
int report_build(struct domain *d, const struct report_query *q, struct arena *a, struct report *r,
                 struct err *e);

/* The label of key in r's language; the key itself if there is none. */
const char *report_text(const struct report *r, const char *key);
/* The report's title, e.g. "六甲街道成绩单" (in a). */
const char *report_title(const struct report *r, struct arena *a);
/* The whole-period row (r->months.total). */
static inline const struct stats_row *report_total(const struct report *r)
{
    return &r->months.total;
}
/* The label of a channel, a nature or a whistle type code (prefix "ch_",
 * "na_", "wt_"); the code itself if there is none. */
const char *report_code_label(const struct report *r, const char *prefix, const char *code);
/* The whistles of a row over all types. OUT: *count, *units, *rated, *score_sum. */
void report_whistle_sums(const struct stats_row *row, int64_t *count, int64_t *units,
                         int64_t *rated, int64_t *score_sum);

/* Renderings: append the document to out (bounded). ERR_TOOBIG if out
 * would pass its maximum, ERR_INTERNAL if the workbook cannot be written. */
int report_html(const struct report *r, struct buf *out, struct err *e);
int report_md(const struct report *r, struct buf *out, struct err *e);
int report_xlsx(const struct report *r, struct buf *out, struct err *e);

#endif
