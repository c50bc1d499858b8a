/*
 * test_report.c - unit tests of the report card's pure parts (src/report):
 * number formats, escaping per context, the labels table, the SVG charts,
 * and the HTML, Markdown and xlsx renderings of a model filled by hand
 * (no database).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include "report/report_int.h"

static void assert_contains(const char *s, const char *part)
{
    if (s == NULL || strstr(s, part) == NULL)
        fail_msg("'%.300s' does not contain '%s'", s ? s : "(null)", part);
}

static void assert_lacks(const char *s, const char *part)
{
    if (strstr(s, part) != NULL)
        fail_msg("'%.300s' contains '%s'", s, part);
}

static void test_fmt_rate(void **state)
{
    char s[24];
    (void)state;
    report_fmt_rate((struct stats_rate){14, 19}, s, sizeof s);
    assert_string_equal(s, "73.7%");
    report_fmt_rate((struct stats_rate){0, 0}, s, sizeof s);
    assert_string_equal(s, REPORT_NONE);
    report_fmt_rate((struct stats_rate){19, 19}, s, sizeof s);
    assert_string_equal(s, "100.0%");
    report_fmt_pct(0.0005, s, sizeof s); /* rounds half away from zero */
    assert_string_equal(s, "0.1%");
}

static void test_fmt_change(void **state)
{
    struct arena *a = arena_new();
    struct report r;
    struct err e = {0};
    char s[96];
    (void)state;
    assert_int_equal(report_init(&r, REPORT_ZH_HANS, a, &e), 0);
    report_fmt_change(&r, -0.64, s, sizeof s);
    assert_string_equal(s, "下降 64.0%");
    report_fmt_change(&r, 0.05, s, sizeof s);
    assert_string_equal(s, "上升 5.0%");
    report_fmt_change(&r, 0, s, sizeof s);
    assert_string_equal(s, "0.0%");
    report_fmt_change(&r, -2, s, sizeof s); /* the year before had none */
    assert_string_equal(s, "上年同期无数据");
    r.lang = REPORT_EN;
    report_fmt_change(&r, -0.64, s, sizeof s);
    assert_string_equal(s, "down 64.0%");
    arena_free(a);
}

static void test_escape(void **state)
{
    struct buf b;
    (void)state;
    buf_init(&b, 1024);
    report_html_esc(&b, "<a href=\"x\">&'</a>");
    assert_string_equal(b.data, "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
    buf_reset(&b);
    report_md_esc(&b, "a|b_c*d\ne");
    assert_string_equal(b.data, "a\\|b\\_c\\*d e");
    buf_reset(&b);
    report_html_esc(&b, "六甲街道");
    assert_string_equal(b.data, "六甲街道");
    buf_free(&b);
}

/* Every key has a label in each language; unknown keys and codes fall back. */
static void test_labels(void **state)
{
    struct arena *a = arena_new();
    struct report r;
    struct err e = {0};
    (void)state;
    assert_int_equal(report_init(&r, REPORT_ZH_HANT, a, &e), 0);
    assert_true(r.n_labels > 50);
    for (int i = 0; i < r.n_labels; i++)
        for (int k = 0; k < REPORT_LANGS; k++)
            if (r.labels[i].text[k][0] == '\0')
                fail_msg("label %s has no text in language %d", r.labels[i].key, k);
    assert_string_equal(report_text(&r, "title"), "成績單");
    assert_string_equal(report_text(&r, "no such key"), "no such key");
    assert_string_equal(report_code_label(&r, "ch_", "hotline_12345"), "12345熱線");
    assert_string_equal(report_code_label(&r, "ch_", "carrier_pigeon"), "carrier_pigeon");
    arena_free(a);
}

static void test_parse(void **state)
{
    struct err e = {0};
    int v;
    (void)state;
    assert_int_equal(report_lang_parse(NULL, &v, &e), 0);
    assert_int_equal(v, REPORT_ZH_HANS);
    assert_int_equal(report_lang_parse("en", &v, &e), 0);
    assert_int_equal(v, REPORT_EN);
    assert_int_equal(report_lang_parse("fr", &v, &e), ERR_INVALID);
    assert_string_equal(e.field, "lang");
    err_clear(&e);
    assert_int_equal(report_format_parse("xlsx", &v, &e), 0);
    assert_int_equal(v, REPORT_XLSX);
    assert_int_equal(report_format_parse("pdf", &v, &e), ERR_INVALID);
    assert_string_equal(e.field, "format");
}

static void test_svg(void **state)
{
    const char *labels[] = {"2020-01", "2020-02", "<3>"};
    const double v[] = {109, 0, 142}, rate[] = {0.9, -1, 0.95};
    struct report_series s = {"响应率", rate, "#b8312f"};
    struct buf b;
    (void)state;
    buf_init(&b, 1 << 20);
    assert_int_equal(report_svg_columns(&b, "受理", labels, v, 3), 0);
    assert_contains(b.data, "<svg");
    assert_contains(b.data, ">142</text>");
    assert_contains(b.data, "&lt;3&gt;");
    assert_lacks(b.data, "nan");
    buf_reset(&b);
    assert_int_equal(report_svg_lines(&b, "rates", labels, &s, 1, 3), 0);
    assert_contains(b.data, "<polyline");
    assert_contains(b.data, ">80%</text>"); /* the axis starts below the lowest value */
    assert_lacks(b.data, "nan");
    buf_reset(&b);
    assert_int_equal(report_svg_hbars(&b, "top", labels, v, 3), 0);
    assert_contains(b.data, "<rect");
    buf_free(&b);
}

/* A model of two months filled by hand. */
static void fill(struct report *r, struct arena *a)
{
    struct stats_row *m = arena_alloc(a, sizeof *m * 2);
    str_copy(r->place, sizeof r->place, "六甲街道");
    str_copy(r->from, sizeof r->from, "2020-01-01");
    str_copy(r->to, sizeof r->to, "2020-02-29");
    str_copy(m[0].key, sizeof m[0].key, "2020-01");
    str_copy(m[1].key, sizeof m[1].key, "2020-02");
    m[0].received = 109;
    m[1].received = 82;
    m[0].rate[SR_RESPONSE] = (struct stats_rate){90, 100};
    r->months.rows = m;
    r->months.n_rows = 2;
    r->months.total.received = 191;
    r->months.total.rate[SR_RESPONSE] = (struct stats_rate){90, 100};
    r->months.total.n_channel = 1;
    str_copy(r->months.total.channel[0].key, 24, "petition");
    r->months.total.channel[0].n = 191;
    r->months.yoy = (struct stats_yoy){.petitions = 9, .repeats = 0, .prev_petitions = 25};
    r->months.grids = 240;
    r->months.grids_covered = 234;
}

static void test_render(void **state)
{
    struct arena *a = arena_new();
    struct report r;
    struct err e = {0};
    struct buf b;
    (void)state;
    assert_int_equal(report_init(&r, REPORT_ZH_HANS, a, &e), 0);
    fill(&r, a);
    buf_init(&b, 1 << 22);
    assert_int_equal(report_html(&r, &b, &e), 0);
    assert_contains(b.data, "<!DOCTYPE html>");
    assert_contains(b.data, "<title>六甲街道成绩单 2020-01-01");
    assert_contains(b.data, "data-k=\"received\">191<");
    assert_contains(b.data, "data-k=\"response\">90.0%<");
    assert_contains(b.data, "data-k=\"petitions_repeats\">9<");
    assert_contains(b.data, "下降 64.0%");
    assert_contains(b.data, "<svg");
    assert_contains(b.data, "@media print");
    assert_lacks(b.data, "<script");
    assert_lacks(b.data, "http://");
    assert_lacks(b.data, "https://");
    buf_reset(&b);
    assert_int_equal(report_md(&r, &b, &e), 0);
    assert_contains(b.data, "# 六甲街道成绩单");
    assert_contains(b.data, "| 受理诉求 | 191 |");
    assert_contains(b.data, "| 信访 | 191 | 100.0% |");
    buf_reset(&b);
    assert_int_equal(report_xlsx(&r, &b, &e), 0);
    assert_true(b.len > 1000);
    assert_memory_equal(b.data, "PK\x03\x04", 4); /* a zip */
    buf_free(&b);
    buf_init(&b, 1024); /* too small: refused, not cut */
    assert_int_equal(report_html(&r, &b, &e), ERR_TOOBIG);
    buf_free(&b);
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fmt_rate), cmocka_unit_test(test_fmt_change),
        cmocka_unit_test(test_escape),   cmocka_unit_test(test_labels),
        cmocka_unit_test(test_parse),    cmocka_unit_test(test_svg),
        cmocka_unit_test(test_render),
    };
    return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}
