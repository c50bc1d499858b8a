/* fuzz_query.c - GET requests with query strings through the real request
 * pipeline, in-process (as the CLI does: src/cli/cli.c run_request): the
 * route table and its path parameters, then every parser a read runs on
 * its query: dates and ISO instants, bbox, near and radius, crs, limits
 * and cursors, states, kinds, formats, by= and drill= of /stats, the
 * report card's options, and Open311's own parameters (/open311/v2/...),
 * against the fixture's database (fuzz.h: the demo boundaries, a dozen
 * cases). Only GET: nothing is written but the roll-ups /stats brings up
 * to date.
 *
 * Input: line 1 names the actor (system, dispatcher, leader, resident,
 * grid, handler; anything else: signed out), each further line (at most
 * 4) is a request target "PATH?QUERY", decoded here as libmicrohttpd
 * decodes it, e.g. "dispatcher\n/api/v1/cases?near=102.75,24.95&radius=300".
 *
 * Every answer has a status from 200 to 499 (a read of a sound database
 * never fails) and a body: JSON that parses, or XML that is clean UTF-8. */
#include <string.h>
#include <jansson.h>
#include "fuzz.h"
#include "api/api.h"
#include "open311/open311.h"

#define MAX_QUERY    64 /* as the HTTP server (HTTP_MAX_QUERY) */
#define MAX_REQUESTS 4  /* request lines read from one input */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_db();
    return 0;
}

/* Splits "k=v&k=v" into decoded parameters (at most MAX_QUERY). */
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

/* What a calendar answer says agrees with its question: the dates and
 * instants it shows parse back (so are within 1900..9999), a deadline is
 * not before its start, N working days later is not before the day. */
static void check_calendar(const char *path, json_t *doc)
{
    const char *a = NULL, *b = NULL;
    if (strcmp(path, "/api/v1/calendar/deadline") == 0) {
        a = json_string_value(json_object_get(doc, "start"));
        b = json_string_value(json_object_get(doc, "due"));
    } else if (strcmp(path, "/api/v1/calendar/add-workdays") == 0) {
        a = json_string_value(json_object_get(doc, "date"));
        b = json_string_value(json_object_get(doc, "result"));
    }
    if (a == NULL || b == NULL)
        return;
    int64_t t;
    if (time_parse_iso(a, &t) || time_parse_iso(b, &t) || strcmp(b, a) < 0)
        fprintf(stderr, "%s: %s, then %s\n", path, a, b);
    FUZZ_CHECK(time_parse_iso(a, &t) == 0 && time_parse_iso(b, &t) == 0);
    FUZZ_CHECK(strcmp(b, a) >= 0); /* ISO texts of one zone order as their instants */
}

/* A JSON answer parses, and an error names its code and status. */
static void check_json(const char *path, const struct api_resp *resp)
{
    json_error_t je;
    json_t *doc = json_loadb(resp->body, resp->len, JSON_DECODE_ANY, &je);
    if (doc == NULL)
        fprintf(stderr, "not JSON (%s): %.*s\n", je.text, (int)(resp->len < 400 ? resp->len : 400),
                resp->body);
    FUZZ_CHECK(doc != NULL);
    json_t *err = json_object_get(doc, "error");
    if (resp->status >= 400 && err) {
        FUZZ_CHECK(json_is_string(json_object_get(err, "code")));
        FUZZ_CHECK(json_integer_value(json_object_get(err, "status")) == resp->status);
    }
    if (resp->status == 200)
        check_calendar(path, doc);
    json_decref(doc);
}

/* The invariants of every answer. */
static void check_answer(const char *path, const struct api_resp *resp, int open311)
{
    if (resp->status >= 500)
        fprintf(stderr, "status %d: %.*s\n", resp->status, (int)(resp->len < 400 ? resp->len : 400),
                resp->body ? resp->body : "");
    FUZZ_CHECK(resp->status >= 200 && resp->status < 500);
    FUZZ_CHECK(resp->body != NULL && resp->len > 0 && resp->content_type != NULL);
    if (strncmp(resp->content_type, "application/json", 16) == 0)
        check_json(path, resp);
    else if (strncmp(resp->content_type, "text/xml", 8) == 0)
        FUZZ_CHECK(utf8_valid(resp->body, resp->len) && strncmp(resp->body, "<?xml", 5) == 0);
    else
        FUZZ_CHECK(!open311); /* Open311 answers only XML or JSON */
}

/* Runs one request line as who. */
static void run(struct fuzz_db *db, const struct actor *who, const char *line, size_t n)
{
    struct arena *a = arena_new();
    struct api_param query[MAX_QUERY];
    struct api_resp resp = {0};
    const char *q = memchr(line, '?', n);
    size_t path_n = q ? (size_t)(q - line) : n;
    struct api_req req = {.method = "GET",
                          .path = fuzz_url_decode(a, line, path_n, 0),
                          .query = query,
                          .n_query = q ? split_query(a, q + 1, n - path_n - 1, query) : 0,
                          .as = who,
                          .arena = a};
    int open311 = strncmp(req.path, "/open311/", 9) == 0;
    if (open311)
        open311_handle(db->api, &req, &resp);
    else
        api_handle(db->api, &req, &resp);
    if (getenv("FUZZ_VERBOSE")) /* to see what a seed reaches */
        fprintf(stderr, "%s %d %.*s\n", req.path, resp.status,
                (int)(resp.len < 160 ? resp.len : 160), resp.body ? resp.body : "");
    check_answer(req.path, &resp, open311);
    if (resp.body_heap)
        xfree(resp.body);
    arena_free(a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_db *db = fuzz_db();
    const char *p = (const char *)data, *end = p + size, *line;
    size_t n;
    if (!fuzz_next_line(&p, end, &line, &n))
        return 0;
    const struct actor *who = fuzz_actor(db, line, n);
    for (int i = 0; i < MAX_REQUESTS && fuzz_next_line(&p, end, &line, &n); i++)
        run(db, who, line, n);
    return 0;
}
