/* jw.c - the streaming JSON writer (see jw.h). Appends past the buffer's
 * maximum are dropped by buf_append; callers size the buffer generously. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "jw.h"

void jw_init(struct jw *w, struct buf *b)
{
    memset(w, 0, sizeof *w);
    w->b = b;
}

/* Writes the separator before a value or key at the current level. */
static void sep(struct jw *w)
{
    if (w->after_key) {
        w->after_key = 0;
        return;
    }
    if (w->count[w->depth]++ > 0)
        buf_append(w->b, ",", 1);
}

static void open(struct jw *w, char c)
{
    sep(w);
    buf_append(w->b, &c, 1);
    if (w->depth < JW_MAX_DEPTH - 1)
        w->count[++w->depth] = 0;
}

static void close_(struct jw *w, char c)
{
    buf_append(w->b, &c, 1);
    if (w->depth > 0)
        w->depth--;
}

void jw_obj(struct jw *w)
{
    open(w, '{');
}

void jw_obj_end(struct jw *w)
{
    close_(w, '}');
}

void jw_arr(struct jw *w)
{
    open(w, '[');
}

void jw_arr_end(struct jw *w)
{
    close_(w, ']');
}

/* Writes s as a JSON string body: copies runs of plain bytes at once and
 * escapes quotes, backslashes and control characters. */
static void escaped(struct buf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    const char *run = s;
    buf_append(b, "\"", 1);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        buf_append(b, run, (size_t)(s - run));
        char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
        if (c == '"' || c == '\\') {
            esc[1] = (char)c;
            buf_append(b, esc, 2);
        } else if (c == '\n' || c == '\t' || c == '\r') {
            esc[1] = c == '\n' ? 'n' : c == '\t' ? 't' : 'r';
            buf_append(b, esc, 2);
        } else {
            buf_append(b, esc, 6);
        }
        run = s + 1;
    }
    buf_append(b, run, (size_t)(s - run));
    buf_append(b, "\"", 1);
}

void jw_key(struct jw *w, const char *k)
{
    sep(w);
    escaped(w->b, k);
    buf_append(w->b, ":", 1);
    w->after_key = 1;
}

void jw_str(struct jw *w, const char *s)
{
    if (s == NULL) {
        jw_null(w);
        return;
    }
    sep(w);
    escaped(w->b, s);
}

void jw_int(struct jw *w, int64_t v)
{
    char tmp[24], *p = tmp + sizeof tmp;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    sep(w);
    buf_append(w->b, p, (size_t)(tmp + sizeof tmp - p));
}

void jw_num(struct jw *w, double v)
{
    char tmp[40];
    if (!isfinite(v)) {
        jw_null(w);
        return;
    }
    /* The shortest of %.15g and %.17g that reads back exactly. */
    int n = snprintf(tmp, sizeof tmp, "%.15g", v);
    if (strtod(tmp, NULL) != v)
        n = snprintf(tmp, sizeof tmp, "%.17g", v);
    sep(w);
    buf_append(w->b, tmp, (size_t)n);
}

void jw_bool(struct jw *w, int v)
{
    sep(w);
    buf_append(w->b, v ? "true" : "false", v ? 4 : 5);
}

void jw_null(struct jw *w)
{
    sep(w);
    buf_append(w->b, "null", 4);
}

void jw_time(struct jw *w, int64_t t)
{
    char s[32];
    if (t == 0) {
        jw_null(w);
        return;
    }
    time_format_iso(t, s);
    sep(w);
    buf_append(w->b, "\"", 1);
    buf_append(w->b, s, strlen(s));
    buf_append(w->b, "\"", 1);
}

void jw_id(struct jw *w, int64_t v)
{
    if (v)
        jw_int(w, v);
    else
        jw_null(w);
}

void jw_kstr(struct jw *w, const char *k, const char *s)
{
    jw_key(w, k);
    jw_str(w, s);
}

void jw_kint(struct jw *w, const char *k, int64_t v)
{
    jw_key(w, k);
    jw_int(w, v);
}

void jw_kbool(struct jw *w, const char *k, int v)
{
    jw_key(w, k);
    jw_bool(w, v);
}

void jw_ktime(struct jw *w, const char *k, int64_t t)
{
    jw_key(w, k);
    jw_time(w, t);
}

void jw_kid(struct jw *w, const char *k, int64_t v)
{
    jw_key(w, k);
    jw_id(w, v);
}

void jw_raw(struct jw *w, const char *json, size_t n)
{
    sep(w);
    buf_append(w->b, json, n);
}
