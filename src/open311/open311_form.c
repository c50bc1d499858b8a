/* open311_form.c - Open311 parameters (query string and form body), the
 * api_key, typed parameter parsing, and the error and success answers. */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "open311_int.h"
#include "auth/auth.h"

#define O311_MAX_PARAMS   512                /* form fields accepted in one body */
#define O311_MAX_RESPONSE (16 * 1024 * 1024) /* the largest answer */

/* ---- answers --------------------------------------------------------------- */

int o311_fail(struct o311 *o, int status, const char *fmt, ...)
{
    va_list ap;
    if (o->status == 0) { /* the first error wins */
        o->status = status;
        va_start(ap, fmt);
        vsnprintf(o->e.msg, sizeof o->e.msg, fmt, ap);
        va_end(ap);
    }
    return -1;
}

int o311_fail_domain(struct o311 *o)
{
    int code = o->e.code;
    int status = err_http_status(code);
    char msg[sizeof o->e.msg];
    str_copy(msg, sizeof msg, o->e.msg[0] ? o->e.msg : err_name(code));
    return o311_fail(o, status, "%s", msg);
}

void o311_begin(struct o311 *o, struct buf *b, struct ow *w)
{
    buf_init(b, O311_MAX_RESPONSE);
    buf_reserve(b, 16 * 1024);
    ow_init(w, b, o->json);
}

int o311_reply(struct o311 *o, struct buf *b)
{
    if (b->overflow) { /* the writer dropped output at the limit */
        buf_free(b);
        return o311_fail(o, 400, "the answer would be too large; ask for fewer rows (page_size)");
    }
    o->resp->status = 200;
    o->resp->content_type = o->json ? "application/json; charset=utf-8" : "text/xml; charset=utf-8";
    o->resp->len = b->len;
    o->resp->body = buf_take(b);
    o->resp->body_heap = 1;
    return 0;
}

/* ---- parameters ------------------------------------------------------------ */

const char *o311_param(struct o311 *o, const char *name)
{
    for (int i = 0; i < o->np; i++)
        if (strcmp(o->p[i].key, name) == 0)
            return o->p[i].value[0] ? o->p[i].value : NULL;
    return NULL;
}

/* The value of a hex digit, or -1. */
static int hex(int c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* Decodes n bytes of a form component ('+' is a space, %XX a byte) into the
 * arena; *len gets the decoded length (a %00 makes it differ from strlen).
 * NULL for a malformed escape. */
static char *form_decode(struct arena *a, const char *s, size_t n, size_t *len)
{
    char *out = arena_alloc(a, n + 1), *d = out;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '+') {
            *d++ = ' ';
        } else if (s[i] == '%') {
            if (i + 2 >= n || hex(s[i + 1]) < 0 || hex(s[i + 2]) < 0)
                return NULL;
            *d++ = (char)(hex(s[i + 1]) * 16 + hex(s[i + 2]));
            i += 2;
        } else {
            *d++ = s[i];
        }
    }
    *d = '\0';
    *len = (size_t)(d - out);
    return out;
}

/* 1 if a query parameter (decoded by the server) is UTF-8 text. */
static int text_ok(const char *s)
{
    return utf8_valid(s, strlen(s));
}

/* 1 if the request's body is a form (or has no type). */
static int is_form(const char *type)
{
    static const char form[] = "application/x-www-form-urlencoded";
    return type == NULL || *type == '\0' || strncasecmp(type, form, sizeof form - 1) == 0;
}

/* Adds one "key=value" piece of the body. */
static int add_pair(struct o311 *o, const char *s, size_t n)
{
    const char *eq = memchr(s, '=', n);
    size_t kn = eq ? (size_t)(eq - s) : n, klen = 0, vlen = 0;
    char *k = form_decode(o->a, s, kn, &klen);
    char *v = eq ? form_decode(o->a, eq + 1, n - kn - 1, &vlen) : (char *)"";
    if (k == NULL || v == NULL)
        return o311_fail(o, 400, "the form body has a malformed %%-escape");
    if (!utf8_valid(k, klen) || !utf8_valid(v, vlen))
        return o311_fail(o, 400, "the form field %.60s is not valid UTF-8 text", k);
    if (o->np >= O311_MAX_PARAMS)
        return o311_fail(o, 400, "more than %d form fields", O311_MAX_PARAMS);
    o->p[o->np++] = (struct api_param){k, v};
    return 0;
}

/* Splits the form body on '&'. */
static int parse_body(struct o311 *o)
{
    const char *s = o->req->body, *end = s + o->req->body_len;
    if (!is_form(o->req->content_type))
        return o311_fail(o, 400,
                         "the body must be application/x-www-form-urlencoded (media upload is "
                         "not supported: give a media_url)");
    while (s < end) {
        const char *amp = memchr(s, '&', (size_t)(end - s));
        size_t n = amp ? (size_t)(amp - s) : (size_t)(end - s);
        if (n > 0 && add_pair(o, s, n))
            return -1;
        s += n + 1;
    }
    return 0;
}

int o311_params(struct o311 *o)
{
    const struct api_req *q = o->req;
    int has_body = q->body && q->body_len > 0 && strcmp(q->method, "POST") == 0;
    o->p = arena_alloc(o->a, sizeof *o->p * (O311_MAX_PARAMS + (size_t)q->n_query));
    if (has_body && parse_body(o))
        return -1;
    for (int i = 0; i < q->n_query; i++) {
        if (!text_ok(q->query[i].key) || !text_ok(q->query[i].value))
            return o311_fail(o, 400, "the parameter %.60s is not valid UTF-8 text",
                             q->query[i].key);
        o->p[o->np++] = q->query[i];
    }
    return 0;
}

/* ---- typed parameters ------------------------------------------------------ */

int o311_time_param(struct o311 *o, const char *name, int64_t *t)
{
    const char *v = o311_param(o, name);
    *t = 0;
    if (v == NULL)
        return 0;
    if (time_parse_iso(v, t) || *t <= 0)
        return o311_fail(o, 400,
                         "%s must be an ISO 8601 date-time such as 2024-05-01T08:00:00+08:00, "
                         "not '%.40s'",
                         name, v);
    return 0;
}

int o311_int_param(struct o311 *o, const char *name, int64_t def, int64_t lo, int64_t hi,
                   int64_t *out)
{
    const char *v = o311_param(o, name);
    *out = def;
    if (v == NULL)
        return 0;
    if (str_to_i64(v, out) || *out < lo || *out > hi)
        return o311_fail(o, 400, "%s must be a whole number from %lld to %lld", name, (long long)lo,
                         (long long)hi);
    return 0;
}

int o311_auth(struct o311 *o)
{
    const char *key = o311_param(o, "api_key");
    struct err e = {0};
    if (key == NULL)
        key = o->req->token; /* also accepted as X-Api-Key or a bearer token */
    if (key == NULL || *key == '\0')
        return o311_fail(o, 403, "api_key was not provided -- can't proceed.");
    if (auth_resolve(o->store, key, &o->who, &e))
        return o311_fail(o, 403, "Invalid api_key received -- can't proceed.");
    return 0;
}
