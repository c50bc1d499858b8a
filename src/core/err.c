/* err.c - the error context, and the one table of error codes: stable name,
 * HTTP status and CLI exit code (core.h; the names are in docs/api.md). */
#include <stdio.h>
#include <string.h>
#include "core.h"

static const struct err_info {
    int code;         /* ERR_* */
    const char *name; /* stable name (the API's "code") */
    int status;       /* HTTP status */
    int exit_code;    /* CLI exit code */
} errors[] = {
    {ERR_OK, "ok", 200, 0},
    {ERR_NOMEM, "out_of_memory", 503, 7},
    {ERR_INVALID, "invalid", 400, 4},
    {ERR_NOTFOUND, "not_found", 404, 3},
    {ERR_CONFLICT, "conflict", 409, 6},
    {ERR_DENIED, "forbidden", 403, 5},
    {ERR_STORE, "store_error", 500, 7},
    {ERR_AGAIN, "busy", 503, 7},
    {ERR_AUTH, "unauthorized", 401, 5},
    {ERR_TOOBIG, "too_large", 413, 4},
    {ERR_INTERNAL, "internal", 500, 7},
    {ERR_UNSUPPORTED, "unsupported", 415, 4},
    {ERR_UNSYNCED, "not_synced", 500, 7},
    {ERR_JSON, "bad_json", 400, 4},
    {ERR_FIELD, "unknown_field", 400, 4},
    {ERR_TYPE, "wrong_type", 400, 4},
    {ERR_UTF8, "bad_utf8", 400, 4},
    {ERR_ROUTE, "no_route", 404, 2},
    {ERR_METHOD, "method_not_allowed", 405, 2},
};

static const struct err_info *info(int code)
{
    for (size_t i = 0; i < ARRAY_SIZE(errors); i++)
        if (errors[i].code == code)
            return &errors[i];
    return NULL;
}

const char *err_name(int code)
{
    const struct err_info *x = info(code);
    return x ? x->name : "internal";
}

int err_http_status(int code)
{
    const struct err_info *x = info(code);
    return x ? x->status : 500;
}

int err_exit_code(int code)
{
    const struct err_info *x = info(code);
    return x ? x->exit_code : 7;
}

int err_set(struct err *e, int code, const char *field, const char *fmt, ...)
{
    va_list ap;
    if (e == NULL || e->code != 0)
        return code;
    e->code = code;
    str_copy(e->field, sizeof e->field, field ? field : "");
    char tmp[sizeof e->msg * 2];
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    str_copy(e->msg, sizeof e->msg, tmp); /* whole characters only */
    str_utf8_fix(e->msg);                 /* echoed input may not be UTF-8 */
    str_utf8_fix(e->field);
    return code;
}

void err_clear(struct err *e)
{
    if (e)
        memset(e, 0, sizeof *e);
}
