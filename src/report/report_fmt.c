/* report_fmt.c - numbers as the report card shows them, and escaping for
 * HTML and Markdown (one function per output context). */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "report_int.h"

void report_fmt_pct(double v, char *out, size_t n)
{
    if (v < 0)
        str_copy(out, n, REPORT_NONE);
    else
        snprintf(out, n, "%.1f%%", round(v * 1000) / 10);
}

void report_fmt_rate(struct stats_rate r, char *out, size_t n)
{
    report_fmt_pct(r.den > 0 ? stats_rate_value(r) : -1, out, n);
}

void report_fmt_change(const struct report *r, double change, char *out, size_t n)
{
    char pct[24];
    if (change <= -1.5) { /* stats_yoy_change: the year before had none */
        str_copy(out, n, report_text(r, "no_prev"));
        return;
    }
    report_fmt_pct(fabs(change), pct, sizeof pct);
    if (round(change * 1000) == 0)
        str_copy(out, n, pct);
    else
        snprintf(out, n, "%s %s", report_text(r, change < 0 ? "down" : "up"), pct);
}

void report_fmt_score(const struct stats_row *row, char *out, size_t n)
{
    if (row->has_score)
        snprintf(out, n, "%.2f", round(row->score * 100) / 100);
    else
        str_copy(out, n, REPORT_NONE);
}

/* Appends s with each byte in `special` replaced by its entry of rep. */
static int esc(struct buf *b, const char *s, const char *special, const char *const *rep)
{
    int rc = 0;
    for (const char *p = s; *p && rc == 0;) {
        size_t run = strcspn(p, special);
        rc = buf_append(b, p, run);
        p += run;
        if (*p && rc == 0) {
            const char *r = rep[strchr(special, *p) - special];
            rc = buf_append(b, r, strlen(r));
            p++;
        }
    }
    return rc;
}

int report_html_esc(struct buf *b, const char *s)
{
    static const char *const rep[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&#39;"};
    return esc(b, s ? s : "", "&<>\"'", rep);
}

int report_md_esc(struct buf *b, const char *s)
{
    static const char *const rep[] = {"\\|", "\\\\", "\\`",  "\\*", "\\_", "\\[",
                                      "\\]", "&lt;", "&gt;", " ",   " "};
    return esc(b, s ? s : "", "|\\`*_[]<>\n\r", rep);
}
