/* api_errors.c - the one place that maps error codes to HTTP statuses,
 * stable error names and CLI exit codes (docs/api.md "Errors"). */
#include "api_int.h"

static const struct {
    int code;         /* ERR_* or API_ERR_* */
    int status;       /* HTTP status */
    const char *name; /* stable error name */
    int exit_code;    /* CLI exit code */
} errors[] = {
    {ERR_INVALID, 400, "invalid", 4},         {API_ERR_JSON, 400, "bad_json", 4},
    {API_ERR_FIELD, 400, "unknown_field", 4}, {API_ERR_TYPE, 400, "wrong_type", 4},
    {API_ERR_UTF8, 400, "bad_utf8", 4},       {ERR_AUTH, 401, "unauthorized", 5},
    {ERR_DENIED, 403, "forbidden", 5},        {ERR_NOTFOUND, 404, "not_found", 3},
    {API_ERR_ROUTE, 404, "no_route", 2},      {API_ERR_METHOD, 405, "method_not_allowed", 2},
    {ERR_CONFLICT, 409, "conflict", 6},       {ERR_TOOBIG, 413, "too_large", 4},
    {ERR_UNSUPPORTED, 415, "unsupported", 4}, {ERR_AGAIN, 503, "busy", 7},
    {ERR_NOMEM, 503, "out_of_memory", 7},     {ERR_STORE, 500, "store_error", 7},
    {ERR_INTERNAL, 500, "internal", 7},       {ERR_UNSYNCED, 500, "not_synced", 7},
};

int api__status(int code, const char **name, int *exit_code)
{
    for (size_t i = 0; i < ARRAY_SIZE(errors); i++) {
        if (errors[i].code == code) {
            *name = errors[i].name;
            *exit_code = errors[i].exit_code;
            return errors[i].status;
        }
    }
    *name = "internal";
    *exit_code = 7;
    return 500;
}

void api__reply_error(struct api_ctx *c, int code)
{
    const char *name;
    int exit_code;
    int status = api__status(code, &name, &exit_code);
    json_t *err = json_pack("{s:s, s:i, s:s}", "code", name, "status", status, "message",
                            c->e.msg[0] ? c->e.msg : name);
    if (err == NULL) /* the message was not UTF-8 after all: keep the envelope */
        err = json_pack("{s:s, s:i, s:s}", "code", name, "status", status, "message", name);
    if (c->e.field[0])
        json_object_set_new(err, "field", json_string(c->e.field));
    api__reply(c, status, json_pack("{s:o}", "error", err));
    c->resp->exit_code = exit_code;
}
