/* err.c - the error context (see core.h). */
#include <stdio.h>
#include <string.h>
#include "core.h"

/* Stable names of the error codes, indexed by -code. */
static const char *const err_names[] = {
    "ok",    "nomem", "invalid", "not_found", "conflict", "denied",
    "store", "again", "auth",    "too_big",   "internal", "unsupported",
};

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
    memset(e, 0, sizeof *e);
}

const char *err_name(int code)
{
    if (code > 0 || (size_t)-code >= ARRAY_SIZE(err_names))
        return "internal";
    return err_names[-code];
}
