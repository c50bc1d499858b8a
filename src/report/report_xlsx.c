/* report_xlsx.c - the report card as an xlsx workbook through libxlsxwriter:
 * one sheet per section, real numeric cells (counts, rates with a percent
 * format, scores). libxlsxwriter 1.1.4 writes only to a file, so the
 * workbook goes to a private temp file (mkstemp) that is read back and
 * removed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include "report_int.h"

/* The formats of the workbook. */
struct fmts {
    lxw_format *title, *head, *text, *count, *pct, *num;
};

static void make_formats(lxw_workbook *wb, struct fmts *f)
{
    f->title = workbook_add_format(wb);
    format_set_bold(f->title);
    format_set_font_size(f->title, 14);
    format_set_font_color(f->title, 0x8C1F1C);
    f->head = workbook_add_format(wb);
    format_set_bold(f->head);
    format_set_bg_color(f->head, 0xF5E9E7);
    format_set_border(f->head, LXW_BORDER_THIN);
    f->text = workbook_add_format(wb);
    format_set_border(f->text, LXW_BORDER_THIN);
    f->count = workbook_add_format(wb);
    format_set_border(f->count, LXW_BORDER_THIN);
    format_set_num_format(f->count, "0");
    f->pct = workbook_add_format(wb);
    format_set_border(f->pct, LXW_BORDER_THIN);
    format_set_num_format(f->pct, "0.0%");
    f->num = workbook_add_format(wb);
    format_set_border(f->num, LXW_BORDER_THIN);
    format_set_num_format(f->num, "0.00");
}

/* One cell: a number where there is one, else its text. */
static void put_cell(lxw_worksheet *ws, int row, int col, const struct report_cell *c,
                     const struct fmts *f)
{
    if (c->kind == RC_INT)
        worksheet_write_number(ws, (lxw_row_t)row, (lxw_col_t)col, c->v, f->count);
    else if (c->kind == RC_RATE && c->v >= 0)
        worksheet_write_number(ws, (lxw_row_t)row, (lxw_col_t)col, c->v, f->pct);
    else if (c->kind == RC_NUM && c->v >= 0)
        worksheet_write_number(ws, (lxw_row_t)row, (lxw_col_t)col, c->v, f->num);
    else
        worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)col, c->text, f->text);
}

/* A table from row on; returns the next free row. */
static int put_table(lxw_worksheet *ws, int row, const struct report_table *t, const struct fmts *f)
{
    if (t->caption)
        worksheet_write_string(ws, (lxw_row_t)row++, 0, t->caption, f->head);
    for (int j = 0; j < t->n_cols; j++)
        worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)j, t->head[j], f->head);
    row++;
    for (int i = 0; i < t->n_rows; i++, row++)
        for (int j = 0; j < t->n_cols; j++)
            put_cell(ws, row, j, report_cell_at(t, i, j), f);
    if (t->note)
        worksheet_write_string(ws, (lxw_row_t)row++, 0, t->note, NULL);
    return row + 1;
}

/* Writes the workbook to path. */
static int write_book(const struct report *r, const char *path, struct arena *a, struct err *e)
{
    struct report_table *t;
    int n, row = 0;
    struct fmts f;
    lxw_worksheet *ws = NULL;
    lxw_workbook *wb = workbook_new(path);
    if (wb == NULL)
        return err_set(e, ERR_INTERNAL, NULL, "cannot create the workbook");
    const char *title = report_title(r, a);
    lxw_doc_properties props = {.title = (char *)title, .company = (char *)r->place};
    workbook_set_properties(wb, &props);
    make_formats(wb, &f);
    report_tables(r, a, &t, &n);
    for (int i = 0; i < n; i++) {
        if (i == 0 || strcmp(t[i].sheet, t[i - 1].sheet) != 0) {
            ws = workbook_add_worksheet(wb, report_text(r, t[i].sheet));
            if (ws == NULL)
                break;
            worksheet_set_column(ws, 0, 0, 22, NULL);
            worksheet_set_column(ws, 1, 1, 26, NULL);
            worksheet_set_column(ws, 2, 8, 13, NULL);
            worksheet_write_string(ws, 0, 0, report_text(r, t[i].section), f.title);
            worksheet_write_string(ws, 1, 0,
                                   arena_printf(a, "%s %s %s %s %s", title,
                                                report_text(r, "period"), r->from,
                                                report_text(r, "period_to"), r->to),
                                   NULL);
            row = 3;
        }
        row = put_table(ws, row, &t[i], &f);
    }
    lxw_error rc = workbook_close(wb);
    if (ws == NULL || rc != LXW_NO_ERROR)
        return err_set(e, ERR_INTERNAL, NULL, "cannot write the workbook: %s", lxw_strerror(rc));
    return 0;
}

/* Appends the file at path to out. */
static int read_back(const char *path, struct buf *out, struct err *e)
{
    char chunk[65536];
    size_t n;
    FILE *fp = fopen(path, "rb");
    if (fp == NULL)
        return err_set(e, ERR_INTERNAL, NULL, "cannot read the workbook back");
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
        if (buf_append(out, chunk, n) != 0)
            break;
    int bad = ferror(fp);
    fclose(fp);
    if (out->overflow)
        return err_set(e, ERR_TOOBIG, NULL, "the report is too large");
    return bad ? err_set(e, ERR_INTERNAL, NULL, "cannot read the workbook back") : 0;
}

int report_xlsx(const struct report *r, struct buf *out, struct err *e)
{
    const char *dir = getenv("TMPDIR");
    char path[512];
    snprintf(path, sizeof path, "%s/chuishao-report-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0)
        return err_set(e, ERR_INTERNAL, NULL, "cannot create a temp file for the workbook");
    close(fd);
    struct arena *a = arena_new();
    int rc = write_book(r, path, a, e);
    if (rc == 0)
        rc = read_back(path, out, e);
    unlink(path);
    arena_free(a);
    return rc;
}
