/* report_md.c - the report card as Markdown (GitHub tables): the same
 * tables as the HTML form, without charts. */
#include <string.h>
#include "report_int.h"

static void put(struct buf *b, const char *s)
{
    buf_append(b, s, strlen(s));
}

static void table_md(struct buf *b, const struct report_table *t)
{
    if (t->caption) {
        put(b, "### ");
        report_md_esc(b, t->caption);
        put(b, "\n\n");
    }
    for (int j = 0; j < t->n_cols; j++) {
        put(b, "| ");
        report_md_esc(b, t->head[j]);
        put(b, " ");
    }
    put(b, "|\n");
    for (int j = 0; j < t->n_cols; j++) { /* numbers right-aligned */
        int num = 0;
        for (int i = 0; i < t->n_rows && !num; i++)
            num = report_cell_at(t, i, j)->kind != RC_TEXT;
        put(b, num ? "|--:" : "|---");
    }
    put(b, "|\n");
    for (int i = 0; i < t->shown; i++) {
        for (int j = 0; j < t->n_cols; j++) {
            put(b, "| ");
            report_md_esc(b, report_cell_at(t, i, j)->text);
            put(b, " ");
        }
        put(b, "|\n");
    }
    if (t->note) {
        put(b, "\n");
        report_md_esc(b, t->note);
        put(b, "\n");
    }
    put(b, "\n");
}

int report_md(const struct report *r, struct buf *out, struct err *e)
{
    static const char *const notes[] = {"note_computed", "note_closure", "note_score"};
    struct arena *a = arena_new();
    struct report_table *t;
    int n;
    report_tables(r, a, &t, &n);
    put(out, "# ");
    report_md_esc(out, report_title(r, a));
    put(out, "\n\n");
    report_md_esc(out, report_text(r, "subtitle"));
    buf_appendf(out, "\n\n- %s: %s %s %s\n- %s: ", report_text(r, "period"), r->from,
                report_text(r, "period_to"), r->to, report_text(r, "scope"));
    report_md_esc(out, r->scope_label[0] ? r->scope_label : report_text(r, "scope_subdistrict"));
    buf_appendf(out, "\n\n");
    for (int i = 0; i < n; i++) {
        if (i == 0 || strcmp(t[i].section, t[i - 1].section) != 0) {
            put(out, "## ");
            report_md_esc(out, report_text(r, t[i].section));
            put(out, "\n\n");
        }
        if (t[i].n_rows > 0)
            table_md(out, &t[i]);
        else
            buf_appendf(out, "%s\n\n", report_text(r, "no_data"));
    }
    put(out, "## ");
    report_md_esc(out, report_text(r, "sec_notes"));
    put(out, "\n\n");
    for (size_t i = 0; i < ARRAY_SIZE(notes); i++) {
        put(out, "- ");
        report_md_esc(out, report_text(r, notes[i]));
        put(out, "\n");
    }
    arena_free(a);
    return out->overflow ? err_set(e, ERR_TOOBIG, NULL, "the report is too large") : 0;
}
