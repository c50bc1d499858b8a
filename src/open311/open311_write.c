/* open311_write.c - the Open311 document writer: one call sequence, XML or
 * JSON (see open311.h), with the one XML escaping function. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "open311_int.h"

/* ---- cleaning and escaping ------------------------------------------------- */

/* Length of the valid UTF-8 sequence at s that XML 1.0 can carry, or 0. */
static size_t good_char(const unsigned char *s)
{
    unsigned c = s[0];
    if (c < 0x80)
        return c >= 0x20 || c == '\t' || c == '\n' || c == '\r' ? 1 : 0;
    size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    if (n == 0 || c > 0xF4)
        return 0;
    uint32_t cp = c & (0x3F >> (n - 1));
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3F);
    }
    static const uint32_t min[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE ||
        cp == 0xFFFF)
        return 0;
    return n;
}

/* Bytes at the start of s that need no replacing. */
static size_t clean_prefix(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n;
    while (*p && (n = good_char(p)) > 0)
        p += n;
    return (size_t)(p - (const unsigned char *)s);
}

/* 1 if s needs no replacing. */
static int is_clean(const char *s)
{
    return s[clean_prefix(s)] == '\0';
}

const char *o311_clean(struct arena *a, const char *s)
{
    size_t ok = clean_prefix(s);
    const unsigned char *p = (const unsigned char *)s + ok;
    size_t n;
    if (*p == '\0')
        return s; /* the usual case: nothing to replace */
    struct buf b;
    buf_init(&b, 3 * strlen(s) + 1);
    buf_append(&b, s, ok);
    while (*p) {
        n = good_char(p);
        buf_append(&b, n ? (const char *)p : "\xEF\xBF\xBD", n ? n : 3);
        p += n ? n : 1;
    }
    const char *out = arena_strdup(a, b.data);
    buf_free(&b);
    return out;
}

void o311_xml_escape(struct buf *b, const char *s)
{
    const char *run = s;
    for (; *s; s++) {
        const char *rep;
        switch (*s) {
        case '&':
            rep = "&amp;";
            break;
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '"':
            rep = "&quot;";
            break;
        case '\'':
            rep = "&apos;";
            break;
        case '\t':
            rep = "&#9;";
            break;
        case '\n':
            rep = "&#10;";
            break;
        case '\r':
            rep = "&#13;";
            break;
        default:
            continue;
        }
        buf_append(b, run, (size_t)(s - run));
        buf_append(b, rep, strlen(rep));
        run = s + 1;
    }
    buf_append(b, run, (size_t)(s - run));
}

/* ---- structure ------------------------------------------------------------- */

void ow_init(struct ow *w, struct buf *b, int json)
{
    memset(w, 0, sizeof *w);
    w->b = b;
    w->json = json;
    if (json)
        jw_init(&w->jw, b);
    else
        buf_append(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", 39);
}

/* The element name for a value called name at the current level. */
static const char *element(const struct ow *w, const char *name)
{
    return name ? name : w->item[w->depth] ? w->item[w->depth] : "value";
}

/* JSON: the key before a value, unless at the root or inside a list. */
static void json_key(struct ow *w, const char *name)
{
    if (w->depth > 0 && w->item[w->depth] == NULL)
        jw_key(&w->jw, element(w, name));
}

/* <el> or </el>. */
static void xml_tag(struct ow *w, const char *el, int closing)
{
    buf_append(w->b, closing ? "</" : "<", closing ? 2 : 1);
    buf_append(w->b, el, strlen(el));
    buf_append(w->b, ">", 1);
}

/* Opens a level (list if item is set). */
static void push(struct ow *w, const char *name, const char *item)
{
    const char *el = element(w, name);
    if (w->json) {
        json_key(w, name);
        item ? jw_arr(&w->jw) : jw_obj(&w->jw);
    } else {
        xml_tag(w, el, 0);
    }
    if (w->depth < OW_MAX_DEPTH - 1) {
        w->depth++;
        w->name[w->depth] = el;
        w->item[w->depth] = item;
    }
}

/* Closes the innermost level (a newline after the root). */
static void pop(struct ow *w)
{
    if (w->json)
        w->item[w->depth] ? jw_arr_end(&w->jw) : jw_obj_end(&w->jw);
    else
        xml_tag(w, w->name[w->depth], 1);
    if (w->depth > 0)
        w->depth--;
    if (w->depth == 0)
        buf_append(w->b, "\n", 1);
}

void ow_list(struct ow *w, const char *name, const char *item)
{
    push(w, name, item);
}

void ow_list_end(struct ow *w)
{
    pop(w);
}

void ow_obj(struct ow *w, const char *name)
{
    push(w, name, NULL);
}

void ow_obj_end(struct ow *w)
{
    pop(w);
}

/* ---- scalars --------------------------------------------------------------- */

/* XML: <el>text</el>, or <el/> for NULL. */
static void xml_scalar(struct ow *w, const char *name, const char *text)
{
    const char *el = element(w, name);
    if (text == NULL) {
        buf_append(w->b, "<", 1);
        buf_append(w->b, el, strlen(el));
        buf_append(w->b, "/>", 2);
        return;
    }
    xml_tag(w, el, 0);
    o311_xml_escape(w->b, text);
    xml_tag(w, el, 1);
}

/* Writes a clean string (or NULL). */
static void str_clean(struct ow *w, const char *name, const char *v)
{
    if (w->json) {
        json_key(w, name);
        jw_str(&w->jw, v);
    } else {
        xml_scalar(w, name, v);
    }
}

void ow_str(struct ow *w, const char *name, const char *v)
{
    if (v == NULL || *v == '\0') {
        str_clean(w, name, NULL);
    } else if (is_clean(v)) {
        str_clean(w, name, v);
    } else {
        struct arena *a = arena_new();
        str_clean(w, name, o311_clean(a, v));
        arena_free(a);
    }
}

void ow_int(struct ow *w, const char *name, int64_t v)
{
    char t[24];
    if (w->json) {
        json_key(w, name);
        jw_int(&w->jw, v);
        return;
    }
    snprintf(t, sizeof t, "%lld", (long long)v);
    xml_scalar(w, name, t);
}

void ow_num(struct ow *w, const char *name, double v)
{
    char t[40];
    if (w->json) {
        json_key(w, name);
        jw_num(&w->jw, v); /* same digits as below */
        return;
    }
    if (!isfinite(v)) {
        xml_scalar(w, name, NULL);
        return;
    }
    /* The shortest of %.15g and %.17g that reads back exactly (as jw_num). */
    snprintf(t, sizeof t, "%.15g", v);
    if (strtod(t, NULL) != v)
        snprintf(t, sizeof t, "%.17g", v);
    xml_scalar(w, name, t);
}

void ow_bool(struct ow *w, const char *name, int v)
{
    if (w->json) {
        json_key(w, name);
        jw_bool(&w->jw, v);
    } else {
        xml_scalar(w, name, v ? "true" : "false");
    }
}

void ow_time(struct ow *w, const char *name, int64_t t)
{
    char s[32];
    if (t == 0) {
        str_clean(w, name, NULL);
        return;
    }
    time_format_iso(t, s);
    str_clean(w, name, s);
}
