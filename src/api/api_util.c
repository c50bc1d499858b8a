/* api_util.c - body checks, parameter access and replies. */
#include <string.h>
#include "api_int.h"
#include "geo/geo.h"

static const char *const type_names[] = {"",
                                         "a string",
                                         "an integer",
                                         "a number",
                                         "a boolean",
                                         "an array of integers",
                                         "an array of strings",
                                         "any"};

static int type_ok(json_t *v, int type)
{
    size_t i;
    json_t *x;
    switch (type) {
    case F_STR:
        return json_is_string(v);
    case F_INT:
        return json_is_integer(v);
    case F_NUM:
        return json_is_number(v);
    case F_BOOL:
        return json_is_boolean(v);
    case F_INTS:
    case F_STRS:
        if (!json_is_array(v))
            return 0;
        json_array_foreach(v, i, x) if (type == F_INTS ? !json_is_integer(x)
                                                       : !json_is_string(x)) return 0;
        return 1;
    default:
        return 1;
    }
}

int api__check_body(struct api_ctx *c, const struct api_field *spec, int n)
{
    const char *key;
    json_t *v;
    if (c->body == NULL)
        c->body = json_object();
    json_object_foreach(c->body, key, v)
    {
        int k = 0;
        while (k < n && strcmp(spec[k].name, key) != 0)
            k++;
        if (k == n)
            return err_set(&c->e, ERR_FIELD, key, "unknown field '%s'", key);
        if (!json_is_null(v) && !type_ok(v, spec[k].type))
            return err_set(&c->e, ERR_TYPE, key, "'%s' must be %s", key, type_names[spec[k].type]);
    }
    for (int k = 0; k < n; k++) {
        v = json_object_get(c->body, spec[k].name);
        if (spec[k].required && (v == NULL || json_is_null(v)))
            return err_set(&c->e, ERR_INVALID, spec[k].name, "'%s' is required", spec[k].name);
    }
    return 0;
}

const char *api__str(struct api_ctx *c, const char *name)
{
    json_t *v = c->body ? json_object_get(c->body, name) : NULL;
    return json_is_string(v) ? json_string_value(v) : NULL;
}

int64_t api__int(struct api_ctx *c, const char *name, int64_t def)
{
    json_t *v = c->body ? json_object_get(c->body, name) : NULL;
    return json_is_integer(v) ? (int64_t)json_integer_value(v) : def;
}

double api__num(struct api_ctx *c, const char *name, double def, int *present)
{
    json_t *v = c->body ? json_object_get(c->body, name) : NULL;
    if (present)
        *present = json_is_number(v);
    return json_is_number(v) ? json_number_value(v) : def;
}

int api__bool(struct api_ctx *c, const char *name, int def)
{
    json_t *v = c->body ? json_object_get(c->body, name) : NULL;
    return json_is_boolean(v) ? json_is_true(v) : def;
}

int64_t *api__ints(struct api_ctx *c, const char *name, int *n)
{
    json_t *v = c->body ? json_object_get(c->body, name) : NULL, *x;
    size_t i;
    *n = 0;
    if (!json_is_array(v))
        return NULL;
    int64_t *out = arena_alloc(c->a, sizeof *out * (json_array_size(v) + 1));
    json_array_foreach(v, i, x) out[(*n)++] = (int64_t)json_integer_value(x);
    return out;
}

const char *api__query(struct api_ctx *c, const char *name)
{
    for (int i = 0; i < c->req->n_query; i++)
        if (strcmp(c->req->query[i].key, name) == 0)
            return c->req->query[i].value;
    return NULL;
}

int api__query_int(struct api_ctx *c, const char *name, int64_t def, int64_t *out)
{
    const char *v = api__query(c, name);
    *out = def;
    if (v == NULL || *v == '\0')
        return 0;
    if (str_to_i64(v, out))
        return err_set(&c->e, ERR_INVALID, name, "'%s' must be an integer", name);
    return 0;
}

int api__reply(struct api_ctx *c, int status, json_t *v)
{
    if (c->resp->body_heap) /* an earlier reply is replaced */
        xfree(c->resp->body);
    c->resp->body_heap = 0;
    size_t n = json_dumpb(v, NULL, 0, JSON_COMPACT);
    char *buf = arena_alloc(c->a, n + 2);
    json_dumpb(v, buf, n, JSON_COMPACT);
    buf[n] = '\n';
    json_decref(v);
    c->resp->status = status;
    c->resp->content_type = "application/json; charset=utf-8";
    c->resp->body = buf;
    c->resp->len = n + 1;
    return 0;
}

int api__reply_buf(struct api_ctx *c, int status, struct buf *b)
{
    if (b->overflow) { /* the writer dropped output at the limit */
        buf_free(b);
        err_set(&c->e, ERR_TOOBIG, NULL,
                "the response would be larger than %d bytes; narrow the "
                "request (limit, filters)",
                API_MAX_RESPONSE);
        api__reply_error(c, ERR_TOOBIG);
        return 0;
    }
    buf_append(b, "\n", 1);
    c->resp->status = status;
    c->resp->content_type = "application/json; charset=utf-8";
    c->resp->len = b->len;
    c->resp->body = buf_take(b); /* handed over: no copy */
    c->resp->body_heap = 1;
    return 0;
}

void api__buf_init(struct buf *b)
{
    buf_init(b, API_MAX_RESPONSE);
    buf_reserve(b, 16 * 1024);
}

void api__items_begin(struct buf *b, struct jw *w, const char *key)
{
    api__buf_init(b);
    jw_init(w, b);
    jw_obj(w);
    jw_key(w, key);
    jw_arr(w);
}

void api__items_end(struct jw *w)
{
    jw_arr_end(w);
    jw_obj_end(w);
}

json_t *api__time(int64_t t)
{
    char s[32];
    if (t == 0)
        return json_null();
    time_format_iso(t, s);
    return json_string(s);
}

/* The CRS of coordinates in the request (?crs= / "coord_sys"): default WGS-84. */
int api__crs(struct api_ctx *c, const char *value, int *crs)
{
    *crs = GEO_WGS84;
    if (value == NULL || *value == '\0')
        return 0;
    if ((*crs = geo_crs_parse(value)) == 0)
        return err_set(&c->e, ERR_INVALID, "crs",
                       "unknown coordinate system '%s' (wgs84, gcj02, bd09)", value);
    return 0;
}

/* {"error": {"code", "status", "message", "field"?}} into resp (in a). */
static void error_doc(struct arena *a, struct api_resp *resp, int code, const char *msg,
                      const char *field)
{
    int status = err_http_status(code);
    const char *name = err_name(code);
    json_t *err = json_pack("{s:s, s:i, s:s}", "code", name, "status", status, "message",
                            msg && *msg ? msg : name);
    if (err == NULL) /* the message was not UTF-8 after all: keep the envelope */
        err = json_pack("{s:s, s:i, s:s}", "code", name, "status", status, "message", name);
    if (field && *field)
        json_object_set_new(err, "field", json_string(field));
    json_t *doc = json_pack("{s:o}", "error", err);
    size_t n = json_dumpb(doc, NULL, 0, JSON_COMPACT);
    char *buf = arena_alloc(a, n + 2);
    json_dumpb(doc, buf, n, JSON_COMPACT);
    buf[n] = '\n';
    json_decref(doc);
    *resp = (struct api_resp){.status = status,
                              .content_type = "application/json; charset=utf-8",
                              .body = buf,
                              .len = n + 1,
                              .exit_code = err_exit_code(code)};
}

void api__reply_error(struct api_ctx *c, int code)
{
    if (c->resp->body_heap) /* an earlier reply is replaced */
        xfree(c->resp->body);
    error_doc(c->a, c->resp, code, c->e.msg, c->e.field);
}

void api_error(const struct api_req *req, struct api_resp *resp, int code, const char *msg)
{
    error_doc(req->arena, resp, code, msg, NULL);
}
