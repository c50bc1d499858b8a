/* report_int.h - internals shared by the files of src/report/: number
 * formatting, escaping per output context, SVG charts. Pure functions over
 * buffers (unit-tested in tests/unit/test_report.c). */
#ifndef CHUISHAO_REPORT_INT_H
#define CHUISHAO_REPORT_INT_H

#include "report.h"

#define REPORT_NONE "—" /* an undefined figure (den 0, no year before) */

/* A rate as a percentage with one decimal ("73.7%"), or REPORT_NONE when
 * its denominator is 0. out holds at least 24 bytes. */
void report_fmt_rate(struct stats_rate r, char *out, size_t n);
/* A fraction as a percentage with one decimal, or REPORT_NONE if v < 0. */
void report_fmt_pct(double v, char *out, size_t n);
/* The change against a year before ("下降 64.0%", "up 5.0%", "0.0%") or
 * the "no_prev" label when the year before had none. */
void report_fmt_change(const struct report *r, double change, char *out, size_t n);
/* A score with two decimals, or REPORT_NONE when the row has none. */
void report_fmt_score(const struct stats_row *row, char *out, size_t n);

/* Appends s escaped for HTML text and attribute values (& < > " '). */
int report_html_esc(struct buf *b, const char *s);
/* Appends s escaped for a Markdown table cell (| \ ` * _ [ ] < > and line
 * breaks as spaces). */
int report_md_esc(struct buf *b, const char *s);

/* One series of a chart: values[i] < 0 is a gap (undefined). */
struct report_series {
    const char *name;     /* legend text */
    const double *values; /* n values */
    const char *color;    /* CSS colour */
};
/* Column chart (received by month): labels and values of n columns, with
 * the value on each column. */
int report_svg_columns(struct buf *b, const char *title, const char *const *labels,
                       const double *values, int n);
/* Line chart of fractions 0..1 (rates by month), k series of n points. */
int report_svg_lines(struct buf *b, const char *title, const char *const *labels,
                     const struct report_series *s, int k, int n);
/* Horizontal bars (top problems, hot spots), most first. */
int report_svg_hbars(struct buf *b, const char *title, const char *const *labels,
                     const double *values, int n);

/* ---- tables: the report as rows of cells, rendered by html, md and xlsx ---- */

enum report_cell_kind {
    RC_TEXT = 0, /* text */
    RC_INT,      /* a count */
    RC_RATE,     /* a fraction shown as a percentage (v < 0: undefined) */
    RC_NUM,      /* a score or an average, two decimals (v < 0: undefined) */
};
/* One cell. */
struct report_cell {
    int kind;         /* RC_* */
    const char *text; /* as shown (formatted figure for numbers) */
    double v;         /* the number (RC_INT, RC_RATE, RC_NUM) */
    const char *key;  /* stable name of a headline figure (HTML data-k), or NULL */
};
/* One table of a section. */
struct report_table {
    const char *section;       /* section heading key ("sec_headline", ...) */
    const char *sheet;         /* xlsx sheet key ("sheet_headline", ...) */
    int n_cols;                /* columns */
    const char **head;         /* n_cols column labels */
    struct report_cell *cells; /* n_rows * n_cols cells, row by row */
    int n_rows;                /* rows filled */
    int max_rows;              /* rows allocated */
    int shown;                 /* rows shown in HTML and Markdown (all in xlsx) */
    const char *note;          /* a line under the table, or NULL */
    int total_row;             /* 1 if the last row is a total (shown in bold) */
    const char *caption;       /* a heading above the table (translated), or NULL */
    int pair;                  /* 1: HTML lays this table and the next side by side */
};
/* The cell at row i, column j. */
static inline const struct report_cell *report_cell_at(const struct report_table *t, int i, int j)
{
    return &t->cells[i * t->n_cols + j];
}
/* The table of a section (the first one if it has several), or NULL. */
const struct report_table *report_table_of(const struct report_table *t, int n,
                                           const char *section);
/* The report as tables, in the order shown, grouped by section (the tables
 * of one section are adjacent). OUT: *out, *n (in a). */
void report_tables(const struct report *r, struct arena *a, struct report_table **out, int *n);

#endif
