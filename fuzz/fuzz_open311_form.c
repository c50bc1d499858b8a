/* fuzz_open311_form.c - the parameters of an Open311 request
 * (src/open311/open311_form.c): the form body (application/x-www-form-
 * urlencoded, '+' and %XX decoding, UTF-8, at most 512 fields) joined with
 * the query parameters (o311_params), the typed parameters, and the text
 * cleaning and XML escaping every answer goes through (open311_write.c).
 *
 * Input: line 1 is the body's Content-Type ("" for none), line 2 the query
 * string (decoded here as libmicrohttpd decodes it), the rest the body as
 * sent, e.g. "application/x-www-form-urlencoded\npage=1\nservice_code=20404&
 * description=%E8%B7%AF". */
#include <string.h>
#include "fuzz.h"
#include "open311/open311_int.h"

#define MAX_QUERY 64 /* as the HTTP server (HTTP_MAX_QUERY) */

/* Splits a query string into decoded parameters (at most MAX_QUERY). */
static int split_query(struct arena *a, const char *s, size_t n, struct api_param *out)
{
    const char *end = s + n;
    int np = 0;
    while (s < end && np < MAX_QUERY) {
        const char *amp = memchr(s, '&', (size_t)(end - s));
        size_t len = (size_t)((amp ? amp : end) - s);
        const char *eq = memchr(s, '=', len);
        if (len > 0) {
            size_t kn = eq ? (size_t)(eq - s) : len;
            out[np].key = fuzz_url_decode(a, s, kn, 1);
            out[np].value = eq ? fuzz_url_decode(a, eq + 1, len - kn - 1, 1) : "";
            np++;
        }
        s += len + 1;
    }
    return np;
}

/* Appends s percent-encoded (everything but letters and digits). */
static void encode(struct buf *b, const char *s)
{
    static const char hexd[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')) {
            buf_append(b, p, 1);
        } else {
            char esc[3] = {'%', hexd[*p >> 4], hexd[*p & 15]};
            buf_append(b, esc, 3);
        }
    }
}

/* The body's fields, encoded again and parsed again, are the same fields. */
static void check_round_trip(struct arena *a, const struct o311 *o, int n_body)
{
    struct buf b;
    buf_init(&b, 64 * 1024 * 1024);
    for (int i = 0; i < n_body; i++) {
        if (i)
            buf_append(&b, "&", 1);
        encode(&b, o->p[i].key);
        buf_append(&b, "=", 1);
        encode(&b, o->p[i].value);
    }
    struct api_req req = {.method = "POST",
                          .path = "/open311/v2/requests.json",
                          .body = b.data,
                          .body_len = b.len,
                          .arena = a};
    struct o311 again = {.req = &req, .a = a};
    FUZZ_CHECK(o311_params(&again) == 0);
    int same = again.np == n_body;
    for (int i = 0; same && i < n_body; i++)
        same = strcmp(again.p[i].key, o->p[i].key) == 0 &&
               strcmp(again.p[i].value, o->p[i].value) == 0;
    FUZZ_CHECK(same);
    buf_free(&b);
}

/* o311_clean makes any text clean UTF-8 that XML 1.0 can carry, and the
 * escaped text has no markup characters left. */
static void check_clean(struct arena *a, const char *s)
{
    const char *c = o311_clean(a, s);
    FUZZ_CHECK(utf8_valid(c, strlen(c)));
    for (const unsigned char *p = (const unsigned char *)c; *p; p++)
        FUZZ_CHECK(*p >= 0x20 || *p == '\t' || *p == '\n' || *p == '\r');
    FUZZ_CHECK(strstr(c, "\xEF\xBF\xBE") == NULL && strstr(c, "\xEF\xBF\xBF") == NULL);
    FUZZ_CHECK(o311_clean(a, c) == c); /* clean text is returned as it is */
    struct buf b;
    buf_init(&b, 64 * 1024 * 1024);
    o311_xml_escape(&b, c);
    buf_append(&b, "", 1);
    FUZZ_CHECK(strpbrk(b.data, "<>\"'\t\n\r") == NULL);
    buf_free(&b);
}

/* The typed parameters: a value in range or a 400. */
static void check_typed(struct o311 *o)
{
    int64_t t, v;
    o->status = 0;
    if (o311_time_param(o, "start_date", &t) == 0)
        FUZZ_CHECK(o->status == 0 && (t > 0 || o311_param(o, "start_date") == NULL));
    else
        FUZZ_CHECK(o->status == 400);
    o->status = 0;
    if (o311_int_param(o, "page_size", 50, 1, 1000, &v) == 0)
        FUZZ_CHECK(v >= 1 && v <= 1000);
    else
        FUZZ_CHECK(o->status == 400);
    o->status = 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data, *end = p + size, *type = "", *qs = "";
    size_t type_n = 0, qs_n = 0;
    struct arena *a = arena_new();
    struct api_param query[MAX_QUERY];
    fuzz_next_line(&p, end, &type, &type_n);
    fuzz_next_line(&p, end, &qs, &qs_n);
    struct api_req req = {.method = "POST",
                          .path = "/open311/v2/requests.json",
                          .query = query,
                          .n_query = split_query(a, qs, qs_n, query),
                          .body = p,
                          .body_len = (size_t)(end - p),
                          .content_type = type_n ? arena_strndup(a, type, type_n) : NULL,
                          .arena = a};
    struct o311 o = {.req = &req, .a = a};
    if (o311_params(&o) == 0) {
        int n_body = o.np - req.n_query;
        FUZZ_CHECK(n_body >= 0 && n_body <= 512);
        for (int i = 0; i < o.np; i++) {
            FUZZ_CHECK(utf8_valid(o.p[i].key, strlen(o.p[i].key)));
            FUZZ_CHECK(utf8_valid(o.p[i].value, strlen(o.p[i].value)));
        }
        for (int i = 0; i < req.n_query; i++) /* the query's come after the body's */
            FUZZ_CHECK(o.p[n_body + i].key == query[i].key);
        check_round_trip(a, &o, n_body);
        check_typed(&o);
    } else {
        FUZZ_CHECK(o.status == 400 && o.e.msg[0] != '\0');
    }
    char *raw = fuzz_strndup(p, (size_t)(end - p));
    check_clean(a, raw);
    xfree(raw);
    arena_free(a);
    return 0;
}
