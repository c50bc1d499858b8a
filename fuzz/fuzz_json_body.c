/* fuzz_json_body.c - a JSON request body on its way to a handler: what the
 * API checks before any handler runs (api__parse_body in src/api/api.c:
 * size, UTF-8, a JSON object without duplicate keys), the error answer a
 * refused body gets, and the field checks of two real specs (case creation
 * and case actions, as in src/api/case/api_case.c) with the accessors of
 * src/api/api_util.c. The input is the body. */
#include <string.h>
#include "fuzz.h"
#include "api/api_int.h"

/* The spec of POST /cases (api_case.c api_case_create). */
static const struct api_field create_spec[] = {
    {"channel", F_STR, 0},        {"nature", F_STR, 0},     {"category", F_STR, 1},
    {"priority", F_STR, 0},       {"title", F_STR, 0},      {"description", F_STR, 1},
    {"address", F_STR, 0},        {"lat", F_NUM, 0},        {"lon", F_NUM, 0},
    {"coord_sys", F_STR, 0},      {"grid", F_STR, 0},       {"reporter_name", F_STR, 0},
    {"reporter_phone", F_STR, 0}, {"source_ref", F_STR, 0}, {"attachments", F_STRS, 0},
    {"self_handled", F_BOOL, 0},
};

/* The spec of POST /cases/{id}/actions (api_case.c action_spec). */
static const struct api_field action_spec[] = {
    {"action", F_STR, 1},       {"note", F_STR, 0},          {"unit", F_INT, 0},
    {"units", F_INTS, 0},       {"master", F_INT, 0},        {"verifier", F_INT, 0},
    {"whistle", F_INT, 0},      {"span", F_STR, 0},          {"resolved", F_BOOL, 0},
    {"satisfaction", F_STR, 0}, {"score", F_INT, 0},         {"confirmed", F_BOOL, 0},
    {"type", F_STR, 0},         {"limit_minutes", F_INT, 0}, {"attachments", F_STRS, 0},
    {"expect_seq", F_INT, 0},
};

/* The error answer of code: a JSON document {"error": {...}} whose status
 * is the response's, a client error. */
static void check_error_reply(struct api_ctx *c, int code)
{
    api__reply_error(c, code);
    FUZZ_CHECK(c->resp->status >= 400 && c->resp->status < 500);
    FUZZ_CHECK(c->resp->body != NULL && c->resp->len > 0);
    json_t *doc = json_loadb(c->resp->body, c->resp->len, 0, NULL);
    FUZZ_CHECK(doc != NULL);
    json_t *err = json_object_get(doc, "error");
    FUZZ_CHECK(json_is_string(json_object_get(err, "code")));
    FUZZ_CHECK(json_integer_value(json_object_get(err, "status")) == c->resp->status);
    json_decref(doc);
}

/* One array field read through api__ints agrees with the body. */
static void check_ints(struct api_ctx *c, const char *name, json_t *v)
{
    int n = -1;
    int64_t *ints = api__ints(c, name, &n);
    if (!json_is_array(v)) {
        FUZZ_CHECK(ints == NULL && n == 0);
        return;
    }
    FUZZ_CHECK(ints != NULL && (size_t)n == json_array_size(v));
    for (int i = 0; i < n; i++)
        FUZZ_CHECK(ints[i] == (int64_t)json_integer_value(json_array_get(v, (size_t)i)));
}

/* After a successful check, every field read through the accessors agrees
 * with the body. */
static void check_fields(struct api_ctx *c, const struct api_field *spec, int n)
{
    for (int k = 0; k < n; k++) {
        const char *name = spec[k].name;
        json_t *v = json_object_get(c->body, name);
        int present = -1;
        FUZZ_CHECK(!spec[k].required || (v != NULL && !json_is_null(v)));
        FUZZ_CHECK(v == NULL || json_is_null(v) || spec[k].type != F_STR || json_is_string(v));
        const char *s = api__str(c, name);
        FUZZ_CHECK((s != NULL) == json_is_string(v));
        FUZZ_CHECK(s == NULL || utf8_valid(s, strlen(s)));
        FUZZ_CHECK(api__int(c, name, -7) == (json_is_integer(v) ? json_integer_value(v) : -7));
        api__num(c, name, 0, &present);
        FUZZ_CHECK(present == json_is_number(v));
        FUZZ_CHECK(api__bool(c, name, 2) == (json_is_boolean(v) ? json_is_true(v) : 2));
        if (spec[k].type == F_INTS)
            check_ints(c, name, v);
    }
}

/* api__check_body with one spec: a success leaves fields that agree with
 * it, a refusal names a field and answers a client error. */
static void check_spec(struct api_ctx *c, const struct api_field *spec, int n)
{
    const char *key;
    json_t *v;
    err_clear(&c->e);
    int rc = api__check_body(c, spec, n);
    FUZZ_CHECK(c->body != NULL && json_is_object(c->body));
    if (rc) {
        FUZZ_CHECK(rc == ERR_FIELD || rc == ERR_TYPE || rc == ERR_INVALID);
        FUZZ_CHECK(c->e.code == rc); /* naming the field ("" is a key JSON allows) */
        FUZZ_CHECK(c->e.field[0] != '\0' || json_object_get(c->body, "") != NULL);
        check_error_reply(c, rc);
        return;
    }
    json_object_foreach(c->body, key, v)
    {
        int k = 0;
        while (k < n && strcmp(spec[k].name, key) != 0)
            k++;
        FUZZ_CHECK(k < n); /* no unknown field passes */
    }
    check_fields(c, spec, n);
}

/* The parsed body survives a round trip through its own encoding. */
static void check_round_trip(json_t *body)
{
    char *text = json_dumps(body, JSON_COMPACT);
    FUZZ_CHECK(text != NULL);
    json_t *again = json_loads(text, JSON_REJECT_DUPLICATES, NULL);
    FUZZ_CHECK(again != NULL && json_equal(body, again));
    json_decref(again);
    xfree(text); /* jansson allocates with malloc */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena *a = arena_new();
    struct api_resp resp = {0};
    struct api_req req = {.method = "POST",
                          .path = "/api/v1/cases",
                          .body = (const char *)data,
                          .body_len = size,
                          .arena = a};
    struct api_ctx c = {.req = &req, .resp = &resp, .a = a};
    int rc = api__parse_body(&c);
    if (rc == 0) {
        FUZZ_CHECK(size == 0 ? c.body == NULL : json_is_object(c.body));
        FUZZ_CHECK(size <= API_MAX_BODY && utf8_valid((const char *)data, size));
        if (c.body)
            check_round_trip(c.body);
        check_spec(&c, create_spec, (int)ARRAY_SIZE(create_spec));
        check_spec(&c, action_spec, (int)ARRAY_SIZE(action_spec));
    } else {
        FUZZ_CHECK(rc == ERR_TOOBIG || rc == ERR_UTF8 || rc == ERR_JSON || rc == ERR_TYPE);
        FUZZ_CHECK(c.e.code == rc);
        check_error_reply(&c, rc);
    }
    json_decref(c.body);
    arena_free(a);
    return 0;
}
