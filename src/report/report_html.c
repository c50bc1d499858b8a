/* report_html.c - the report card as ONE self-contained HTML file: inline
 * CSS (with a print stylesheet for A4), inline SVG charts drawn by
 * report_svg.c, no script, no external reference. Headline figures carry
 * data-k="name" so that tools (and tests) can read them back. */
#include <stdio.h>
#include <string.h>
#include "report_int.h"

static const char css[] =
    "@page{size:A4;margin:14mm 12mm}"
    "*{box-sizing:border-box}"
    "body{margin:0;background:#efece6;color:#222;font:14px/1.55 'Noto Sans CJK SC','Source "
    "Han Sans SC','PingFang SC','Microsoft YaHei',sans-serif}"
    ".page{max-width:860px;margin:24px auto;background:#fff;padding:36px 44px 28px;"
    "box-shadow:0 1px 6px rgba(0,0,0,.18)}"
    "header{text-align:center;border-bottom:3px double #b8312f;padding-bottom:14px}"
    ".org{color:#b8312f;font-size:15px;letter-spacing:6px}"
    "h1{font-family:'Noto Serif CJK SC','Source Han Serif SC',SimSun,serif;color:#b8312f;"
    "font-size:34px;letter-spacing:6px;margin:6px 0 2px}"
    "html:lang(en) h1,html:lang(en) .org{letter-spacing:1px}"
    "html:lang(zh-Hant) body{font-family:'Noto Sans CJK TC','Source Han Sans TC','PingFang "
    "TC','Microsoft JhengHei',sans-serif}"
    "html:lang(zh-Hant) h1,html:lang(zh-Hant) h2{font-family:'Noto Serif CJK TC','Source Han "
    "Serif TC',PMingLiU,serif}"
    ".sub{color:#555;font-size:15px}"
    ".meta{margin-top:10px;color:#444;font-size:13px}.meta span{margin:0 10px}"
    "h2{font-family:'Noto Serif CJK SC','Source Han Serif SC',SimSun,serif;font-size:19px;"
    "color:#8c1f1c;border-left:5px solid #b8312f;padding-left:10px;margin:30px 0 12px}"
    ".cards{display:grid;grid-template-columns:repeat(4,1fr);gap:10px}"
    ".card{border:1px solid #eadbd8;border-top:3px solid #c9a3a0;background:#fffaf9;"
    "padding:8px 12px}"
    ".card.main{border-top-color:#b8312f}"
    ".card .k{font-size:12.5px;color:#666}"
    ".card .v{font-size:25px;font-weight:700;line-height:1.3}"
    ".card.main .v{color:#b8312f}"
    ".card .d{font-size:11.5px;color:#888}"
    "table{width:100%;border-collapse:collapse;margin:8px 0 4px;font-size:13px}"
    "th{background:#f5e9e7;color:#5a1a18;font-weight:600}"
    "th,td{border:1px solid #dcd3d1;padding:4px 8px;text-align:right;white-space:nowrap}"
    "th.t,td.t{text-align:left;white-space:normal}"
    "tr.sum td{font-weight:700;background:#faf6f5}"
    "h3{font-size:14px;color:#5a1a18;margin:16px 0 4px}"
    "table.narrow{width:60%}.two table.narrow{width:100%}"
    ".g{display:inline-block;min-width:22px;text-align:center;border-radius:3px;color:#fff;"
    "font-weight:700;padding:0 4px}"
    ".gA{background:#2e7d32}.gB{background:#689f38}.gC{background:#f9a825}"
    ".gD{background:#ef6c00}.gE{background:#c62828}"
    ".note{font-size:12px;color:#666;margin:4px 0}"
    "svg.chart{display:block;width:100%;height:auto;margin:10px 0}"
    ".two{display:grid;grid-template-columns:1fr 1fr;gap:18px;align-items:start}"
    "footer{margin-top:28px;border-top:1px solid #ddd;padding-top:8px;font-size:12px;"
    "color:#666}footer p{margin:3px 0}"
    "@media print{body{background:#fff}.page{box-shadow:none;margin:0;max-width:none;"
    "padding:0}h2{break-after:avoid}tr,svg.chart,.cards,.card{break-inside:avoid}"
    "thead{display:table-header-group}}";

static void h(struct buf *b, const char *s)
{
    report_html_esc(b, s);
}

static void put(struct buf *b, const char *s)
{
    buf_append(b, s, strlen(s));
}

/* <td> of one cell (with data-k when it has a name; grades as badges). */
static void td(struct buf *b, const struct report_cell *c, int grade_col)
{
    put(b, c->kind == RC_TEXT ? "<td class=\"t\"" : "<td");
    if (c->key) {
        put(b, " data-k=\"");
        h(b, c->key);
        put(b, "\"");
    }
    put(b, ">");
    if (grade_col && strlen(c->text) == 1) {
        buf_appendf(b, "<span class=\"g g%s\">%s</span>", c->text, c->text);
    } else {
        h(b, c->text);
    }
    put(b, "</td>");
}

static void table_html(struct buf *b, const struct report_table *t)
{
    int grade_col = strcmp(t->sheet, "sheet_units") == 0 ||
                    strcmp(t->sheet, "sheet_communities") == 0 ||
                    strcmp(t->sheet, "sheet_grids") == 0;
    if (t->caption) {
        put(b, "<h3>");
        h(b, t->caption);
        put(b, "</h3>");
    }
    put(b, t->n_cols <= 3 ? "<table class=\"narrow\"><thead><tr>" : "<table><thead><tr>");
    for (int j = 0; j < t->n_cols; j++) {
        int text = t->n_rows == 0 || report_cell_at(t, 0, j)->kind == RC_TEXT;
        put(b, text ? "<th class=\"t\">" : "<th>");
        h(b, t->head[j]);
        put(b, "</th>");
    }
    put(b, "</tr></thead><tbody>");
    for (int i = 0; i < t->shown; i++) {
        put(b, t->total_row && i == t->n_rows - 1 ? "<tr class=\"sum\">" : "<tr>");
        for (int j = 0; j < t->n_cols; j++)
            td(b, report_cell_at(t, i, j), grade_col && j == t->n_cols - 1);
        put(b, "</tr>");
    }
    put(b, "</tbody></table>");
    if (t->note) {
        put(b, "<p class=\"note\">");
        h(b, t->note);
        put(b, "</p>");
    }
}

/* One headline card. */
static void card(struct buf *b, const char *label, const char *value, const char *key,
                 const char *detail, int main)
{
    put(b, main ? "<div class=\"card main\"><div class=\"k\">"
                : "<div class=\"card\"><div "
                  "class=\"k\">");
    h(b, label);
    put(b, "</div><div class=\"v\" data-k=\"");
    h(b, key);
    put(b, "\">");
    h(b, value);
    put(b, "</div><div class=\"d\">");
    h(b, detail);
    put(b, "</div></div>");
}

/* The headline cards: received, 三率, closure, on-time closure, whistles,
 * 息诉息访, coverage and the other rates (the rows of the headline table). */
static void cards(struct buf *b, const struct report *r, const struct report_table *head,
                  const struct report_table *wh, const struct report_table *xs)
{
    const struct report_cell *wt = report_cell_at(wh, wh->n_rows - 1, 0);
    const struct report_cell *xsum = report_cell_at(xs, 2, 0);
    char d[128];
    put(b, "<div class=\"cards\">");
    for (int i = 0; i < head->n_rows; i++) {
        const struct report_cell *c = report_cell_at(head, i, 0);
        if (i == 0)
            str_copy(d, sizeof d, "");
        else
            snprintf(d, sizeof d, "%s / %s", c[2].text, c[3].text);
        card(b, c[0].text, c[1].text, c[1].key, d, i <= 3);
        if (i == 5) { /* after the closure rates: whistles, then 息诉息访 */
            snprintf(d, sizeof d, "%s %s · %s %s", report_text(r, "whistles"), wt[1].text,
                     report_text(r, "units_summoned"), wt[2].text);
            card(b, report_text(r, "whistle_ontime"), wt[4].text, wt[4].key, d, 0);
            snprintf(d, sizeof d, "%s %s · %s %s", report_text(r, "prev_period"), xsum[2].text,
                     report_text(r, "change"), xsum[3].text);
            card(b, report_text(r, "petitions_repeats"), xsum[1].text, xsum[1].key, d, 0);
        }
    }
    put(b, "</div>");
}

/* Charts of a section, before its tables. */
static void charts(struct buf *b, const struct report *r, const struct report_table *t,
                   struct arena *a)
{
    int n = t->n_rows;
    const char **labels = arena_alloc(a, sizeof *labels * (size_t)(n + 1));
    double *v = arena_alloc(a, sizeof *v * (size_t)(n + 1) * 5);
    for (int i = 0; i < n; i++)
        labels[i] = report_cell_at(t, i, strcmp(t->section, "sec_trend") == 0 ? 0 : 1)->text;
    if (strcmp(t->section, "sec_trend") == 0 && n > 0) {
        static const char *const colors[] = {"#b8312f", "#1f5fa8", "#2e8b57", "#d98b16"};
        struct report_series s[4];
        for (int i = 0; i < n; i++)
            v[i] = report_cell_at(t, i, 1)->v;
        report_svg_columns(b, report_text(r, "chart_received"), labels, v, n);
        for (int k = 0; k < 4; k++) {
            double *sv = v + (size_t)n * (size_t)(k + 1);
            for (int i = 0; i < n; i++)
                sv[i] = report_cell_at(t, i, 2 + k)->v;
            s[k] = (struct report_series){t->head[2 + k], sv, colors[k]};
        }
        report_svg_lines(b, report_text(r, "chart_rates"), labels, s, 4, n);
    } else if ((strcmp(t->section, "sec_top") == 0 || strcmp(t->section, "sec_hot") == 0) &&
               n > 0) {
        for (int i = 0; i < n; i++)
            v[i] = report_cell_at(t, i, 2)->v;
        report_svg_hbars(
            b, report_text(r, strcmp(t->section, "sec_top") == 0 ? "chart_top" : "chart_hot"),
            labels, v, n);
    }
}

static void header(struct buf *b, const struct report *r, struct arena *a)
{
    char at[40];
    time_format_iso(r->generated_at, at);
    at[16] = '\0'; /* YYYY-MM-DDTHH:MM */
    at[10] = ' ';
    put(b, "<header><div class=\"org\">");
    h(b, r->place);
    put(b, "</div><h1>");
    h(b, report_title(r, a));
    put(b, "</h1><div class=\"sub\">");
    h(b, report_text(r, "subtitle"));
    put(b, "</div><div class=\"meta\"><span>");
    h(b, report_text(r, "period"));
    buf_appendf(b, " <b data-k=\"from\">%s</b> ", r->from);
    h(b, report_text(r, "period_to"));
    buf_appendf(b, " <b data-k=\"to\">%s</b></span><span>", r->to);
    h(b, report_text(r, "scope"));
    put(b, " ");
    h(b, r->scope_label[0] ? r->scope_label : report_text(r, "scope_subdistrict"));
    put(b, "</span><span>");
    h(b, report_text(r, "generated"));
    buf_appendf(b, " %s</span></div></header>", at);
}

static void footer(struct buf *b, const struct report *r)
{
    static const char *const notes[] = {"note_computed", "note_closure", "note_score"};
    put(b, "<footer><p><b>");
    h(b, report_text(r, "sec_notes"));
    put(b, "</b></p>");
    for (size_t i = 0; i < ARRAY_SIZE(notes); i++) {
        put(b, "<p>");
        h(b, report_text(r, notes[i]));
        put(b, "</p>");
    }
    put(b, "</footer>");
}

int report_html(const struct report *r, struct buf *out, struct err *e)
{
    struct arena *a = arena_new();
    struct report_table *t;
    int n;
    report_tables(r, a, &t, &n);
    buf_appendf(out, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">",
                report_lang_name(r->lang));
    put(out, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>");
    h(out, report_title(r, a));
    buf_appendf(out, " %s – %s</title><style>%s</style></head>\n<body><div class=\"page\">",
                r->from, r->to, css);
    header(out, r, a);
    for (int i = 0; i < n; i++) {
        int first = i == 0 || strcmp(t[i].section, t[i - 1].section) != 0;
        int last = i == n - 1 || strcmp(t[i].section, t[i + 1].section) != 0;
        if (first) {
            put(out, "\n<section><h2>");
            h(out, report_text(r, t[i].section));
            put(out, "</h2>");
            charts(out, r, &t[i], a);
        }
        if (t[i].pair)
            put(out, "<div class=\"two\">");
        if (i == 0) /* the headline table */
            cards(out, r, &t[i], report_table_of(t, n, "sec_whistles"),
                  report_table_of(t, n, "sec_xisu"));
        else if (t[i].n_rows == 0 && first) {
            put(out, "<p class=\"note\">");
            h(out, report_text(r, "no_data"));
            put(out, "</p>");
        } else if (t[i].n_rows > 0)
            table_html(out, &t[i]);
        if (i > 0 && t[i - 1].pair)
            put(out, "</div>");
        if (last)
            put(out, "</section>");
    }
    footer(out, r);
    put(out, "</div></body></html>\n");
    arena_free(a);
    return out->overflow ? err_set(e, ERR_TOOBIG, NULL, "the report is too large") : 0;
}
