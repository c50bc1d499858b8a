/* api.c - the route table and the request pipeline: route, authenticate,
 * check the role, parse the body, run the handler, encode the result. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api_int.h"
#include "api/case/api_case_cache.h"
#include "auth/auth.h"
#include "store/store.h"

#include "api/auth/api_auth.h"
#include "api/calendar/api_calendar.h"
#include "api/case/api_case.h"
#include "api/file/api_file.h"
#include "api/place/api_place.h"
#include "api/stats/api_stats.h"
#include "api/unit/api_unit.h"

static int api_health_get(struct api_ctx *c)
{
    return api__reply(c, 200,
                      json_pack("{s:b, s:s, s:i}", "ok", 1, "driver",
                                store_driver_name(c->api->store), "schema",
                                store_schema_version(c->api->store)));
}

static const struct api_route core_routes[] = {
    {"/health", "GET", api_health_get, ACCESS_PUBLIC, 0},
};
static API_ROUTES(api_core_routes, "api", core_routes);

/* Every subject's routes: a new subject adds its table here. */
static const struct table_part *const subjects[] = {
    &api_core_routes, &api_auth_routes,  &api_calendar_routes, &api_case_routes,
    &api_file_routes, &api_place_routes, &api_stats_routes,    &api_unit_routes,
};

struct api *api_new(struct store *s, struct domain *d)
{
    size_t n;
    struct err e = {0};
    if (api__routes(&n, &e) == NULL) { /* a programming error: fail loudly at start */
        fprintf(stderr, "chuishao: %s\n", e.msg);
        abort();
    }
    struct api *a = xcalloc(1, sizeof *a);
    a->store = s;
    a->dom = d;
    a->cache = api_case_cache_new((size_t)API_CACHE_DEFAULT_MB << 20);
    return a;
}

struct store *api_store(const struct api *a)
{
    return a->store;
}

struct domain *api_domain(const struct api *a)
{
    return a->dom;
}

void api_set_cache_mb(struct api *a, int mb)
{
    api_case_cache_free(a->cache);
    a->cache = api_case_cache_new((size_t)mb << 20);
}

void api_free(struct api *a)
{
    if (a)
        api_case_cache_free(a->cache);
    xfree(a);
}

/* Matches a {code} segment: 1..47 of [0-9A-Za-z_-]; copies it to code. */
static const char *match_code(const char *path, char *code)
{
    size_t n = 0;
    while (n < 47 && ((path[n] >= '0' && path[n] <= '9') || (path[n] >= 'A' && path[n] <= 'Z') ||
                      (path[n] >= 'a' && path[n] <= 'z') || path[n] == '-' || path[n] == '_'))
        n++;
    if (n == 0 || (path[n] && path[n] != '/'))
        return NULL;
    memcpy(code, path, n);
    code[n] = '\0';
    return path + n;
}

/* Matches a {sha256} segment: exactly 64 of [0-9a-f]; copies it to code. */
static const char *match_sha256(const char *path, char *code)
{
    size_t n = 0;
    while (n < 64 && ((path[n] >= '0' && path[n] <= '9') || (path[n] >= 'a' && path[n] <= 'f')))
        n++;
    if (n != 64 || (path[n] && path[n] != '/'))
        return NULL;
    memcpy(code, path, n);
    code[n] = '\0';
    return path + n;
}

/* Matches path against pattern; on success stores {id} in *id, {code} or
 * {sha256} in code (API_CODE_SIZE bytes). */
static int route_match(const char *pattern, const char *path, int64_t *id, char *code)
{
    while (*pattern && *path) {
        if (*pattern != '{') { /* most characters: literal */
            if (*pattern++ != *path++)
                return 0;
            continue;
        }
        if (strncmp(pattern, "{code}", 6) == 0) {
            if ((path = match_code(path, code)) == NULL)
                return 0;
            pattern += 6;
            continue;
        }
        if (strncmp(pattern, "{sha256}", 8) == 0) {
            if ((path = match_sha256(path, code)) == NULL)
                return 0;
            pattern += 8;
            continue;
        }
        if (strncmp(pattern, "{id}", 4) == 0) {
            char *end;
            if (*path < '1' || *path > '9')
                return 0;
            long long v = strtoll(path, &end, 10);
            if (v <= 0 || (*end && *end != '/'))
                return 0;
            *id = v;
            pattern += 4;
            path = end;
            continue;
        }
        if (*pattern++ != *path++)
            return 0;
    }
    return *pattern == '\0' && (*path == '\0' || strcmp(path, "/") == 0);
}

/* ---- the merged route table ---------------------------------------------------- */

/* 1 if a pattern segment starting at p is a parameter. */
static int is_param(const char *p)
{
    return *p == '{';
}

int api__pattern_cmp(const char *a, const char *b)
{
    while (*a && *b) {
        int pa = is_param(a), pb = is_param(b);
        if (pa != pb)
            return pa - pb; /* a literal segment sorts before a parameter */
        size_t na = strcspn(a, "/"), nb = strcspn(b, "/");
        int c = strncmp(a, b, na < nb ? na : nb);
        if (c == 0 && na != nb)
            c = na < nb ? -1 : 1;
        if (c)
            return c;
        a += na;
        b += nb;
        if (*a == '/' && *b == '/')
            a++, b++;
        else if (*a != *b)
            return *a == '\0' ? -1 : *b == '\0' ? 1 : (unsigned char)*a - (unsigned char)*b;
    }
    return *a ? 1 : *b ? -1 : 0;
}

static int route_cmp(const void *x, const void *y)
{
    const struct api_route *a = x, *b = y;
    int c = api__pattern_cmp(a->pattern, b->pattern);
    return c ? c : strcmp(a->method, b->method);
}

static struct {
    pthread_once_t once; /* builds the table */
    struct api_route *v; /* the merged, sorted routes */
    size_t n;            /* their number */
    struct err e;        /* a duplicate found while building */
} table = {PTHREAD_ONCE_INIT, NULL, 0, {0}};

static void table_build(void)
{
    size_t dup;
    table.v =
        table_merge(subjects, ARRAY_SIZE(subjects), sizeof *table.v, route_cmp, &table.n, &dup);
    if (dup)
        err_set(&table.e, ERR_INTERNAL, NULL, "two routes for %s %s", table.v[dup].method,
                table.v[dup].pattern);
}

const struct api_route *api__routes(size_t *n, struct err *e)
{
    pthread_once(&table.once, table_build);
    *n = table.n;
    if (table.e.code)
        return (void)err_set(e, table.e.code, NULL, "%s", table.e.msg), NULL;
    return table.v;
}

const struct api_route *api__route_find(const char *method, const char *path, int64_t *id,
                                        char *pcode, int *code)
{
    const struct api_route *other = NULL;
    pthread_once(&table.once, table_build);
    for (size_t i = 0; i < table.n; i++) {
        const struct api_route *r = &table.v[i];
        if (!route_match(r->pattern, path, id, pcode))
            continue;
        if (strcmp(r->method, method) == 0 ||
            (strcmp(method, "HEAD") == 0 && strcmp(r->method, "GET") == 0))
            return r;
        other = r;
    }
    *code = other ? ERR_METHOD : ERR_ROUTE;
    return NULL;
}

static int authenticate(struct api_ctx *c, const struct api_route *r)
{
    if (c->req->as) {
        c->who = *c->req->as;
        return 0;
    }
    if (c->req->token == NULL && r->access == ACCESS_PUBLIC)
        return 0;
    if (auth_resolve(c->api->store, c->req->token, &c->who, &c->e) != 0)
        return r->access == ACCESS_PUBLIC ? (err_clear(&c->e), 0) : ERR_AUTH;
    return 0;
}

int api__parse_body(struct api_ctx *c)
{
    json_error_t je;
    const struct api_req *q = c->req;
    if (q->body == NULL || q->body_len == 0)
        return 0;
    if (q->body_len > API_MAX_BODY && q->as == NULL) /* the local CLI may send big files */
        return err_set(&c->e, ERR_TOOBIG, NULL, "the body is larger than %d bytes", API_MAX_BODY);
    if (!utf8_valid(q->body, q->body_len))
        return err_set(&c->e, ERR_UTF8, NULL, "the body is not valid UTF-8");
    c->body = json_loadb(q->body, q->body_len, JSON_REJECT_DUPLICATES, &je);
    if (c->body == NULL)
        return err_set(&c->e, ERR_JSON, NULL, "malformed JSON at line %d column %d: %s", je.line,
                       je.column, je.text);
    if (!json_is_object(c->body))
        return err_set(&c->e, ERR_TYPE, NULL, "the body must be a JSON object");
    return 0;
}

static void handle(struct api *a, const struct api_req *req, struct api_resp *resp);

void api_handle(struct api *a, const struct api_req *req, struct api_resp *resp)
{
    store_enter(a->store); /* reads may share a kept snapshot (store.h) */
    handle(a, req, resp);
    store_leave(a->store);
}

static void handle(struct api *a, const struct api_req *req, struct api_resp *resp)
{
    struct api_ctx c = {.api = a, .req = req, .resp = resp, .a = req->arena};
    const char *path = req->path;
    int rc = ERR_ROUTE;
    const struct api_route *r = NULL;
    memset(resp, 0, sizeof *resp);
    if (strncmp(path, "/api/v1/", 8) == 0)
        r = api__route_find(req->method, path + 7, &c.id, c.code, &rc);
    if (r == NULL) {
        err_set(&c.e, rc, NULL, rc == ERR_METHOD ? "%s is not allowed on %s" : "no endpoint %s %s",
                req->method, path);
    } else if ((rc = authenticate(&c, r)) == 0 && (rc = dom_access(&c.who, r->access, &c.e)) == 0 &&
               ((r->flags & ROUTE_RAW_BODY) || (rc = api__parse_body(&c)) == 0)) {
        rc = r->fn(&c);
    }
    if (rc)
        api__reply_error(&c, c.e.code ? c.e.code : rc);
    json_decref(c.body);
}

/* A request running as a writer job (see api_handle_async). */
struct api_async {
    struct api *api;           /* the API */
    const struct api_req *req; /* the request */
    struct api_resp *resp;     /* where the answer goes */
    void (*done)(void *arg);   /* the caller's completion */
    void *arg;                 /* its argument */
    int ok;                    /* 1 if the handler succeeded */
    const struct api_route *r; /* its route */
    struct api_ctx c;          /* signed in and parsed on the caller's thread */
    struct err batch_err;      /* why its batch failed, if it did */
};

/* The job: the handler inside its savepoint (the credential and the body
 * were checked before, off the writer thread); an error answer rolls back
 * whatever the handler wrote. */
static int async_job(struct store *s, void *arg, struct err *e)
{
    struct api_async *x = arg;
    (void)s;
    (void)e;
    int rc = x->r->fn(&x->c);
    if (rc)
        api__reply_error(&x->c, x->c.e.code ? x->c.e.code : rc);
    json_decref(x->c.body);
    x->c.body = NULL;
    x->ok = x->resp->status < 400;
    return x->ok ? 0 : ERR_CONFLICT;
}

/* After the batch: a success whose commit failed becomes a store error. */
static void async_done(void *arg, int rc)
{
    struct api_async *x = arg;
    if (x->resp->status == 0) { /* the job never ran: its batch could not begin */
        struct api_ctx c = {.api = x->api, .req = x->req, .resp = x->resp, .a = x->req->arena};
        int code = rc == ERR_AGAIN ? ERR_AGAIN : ERR_STORE;
        err_set(&c.e, code, NULL, "%s; nothing was stored",
                x->batch_err.msg[0] ? x->batch_err.msg : "the database is busy or failing");
        api__reply_error(&c, code);
    } else if (x->ok && rc == ERR_UNSYNCED) {
        struct api_ctx c = {.api = x->api, .req = x->req, .resp = x->resp, .a = x->req->arena};
        err_set(&c.e, ERR_UNSYNCED, NULL,
                "the change was saved but the disk failed to confirm it: it may be lost; look "
                "before you send it again");
        api__reply_error(&c, ERR_UNSYNCED);
    } else if (x->ok && rc != 0) {
        struct api_ctx c = {.api = x->api, .req = x->req, .resp = x->resp, .a = x->req->arena};
        err_set(&c.e, ERR_STORE, NULL, "the change could not be saved; nothing was stored");
        api__reply_error(&c, ERR_STORE);
    }
    x->done(x->arg);
    json_decref(x->c.body); /* if the job never ran */
    xfree(x);
}

int api_handle_async(struct api *a, const struct api_req *req, struct api_resp *resp,
                     void (*done)(void *arg), void *arg)
{
    int64_t id;
    int code;
    char pcode[API_CODE_SIZE];
    if (strncmp(req->path, "/api/v1/", 8) != 0)
        return 0;
    const struct api_route *r = api__route_find(req->method, req->path + 7, &id, pcode, &code);
    if (r == NULL || !(r->flags & ROUTE_WRITER))
        return 0;
    struct api_async *x = xcalloc(1, sizeof *x);
    *x = (struct api_async){.api = a, .req = req, .resp = resp, .done = done, .arg = arg, .r = r};
    x->c = (struct api_ctx){.api = a, .req = req, .resp = resp, .a = req->arena, .id = id};
    str_copy(x->c.code, sizeof x->c.code, pcode);
    memset(resp, 0, sizeof *resp);
    /* Sign-in, role and body checks here, on the caller's thread: the writer
     * thread only runs the handler. A request they refuse is left to
     * api_handle, which answers the same error. */
    store_enter(a->store);
    int refused = authenticate(&x->c, r) || dom_access(&x->c.who, r->access, &x->c.e) ||
                  (!(r->flags & ROUTE_RAW_BODY) && api__parse_body(&x->c));
    store_leave(a->store);
    if (refused || store_write_async(a->store, async_job, x, async_done, x, &x->batch_err) != 0) {
        json_decref(x->c.body);
        xfree(x);
        memset(resp, 0, sizeof *resp);
        return 0;
    }
    return 1;
}

size_t api_max_body(const char *method, const char *path)
{
    int64_t id;
    int code;
    char pcode[API_CODE_SIZE];
    const struct api_route *r = strncmp(path, "/api/v1/", 8) == 0
                                    ? api__route_find(method, path + 7, &id, pcode, &code)
                                    : NULL;
    return r && (r->flags & ROUTE_UPLOAD) ? API_MAX_UPLOAD : API_MAX_BODY;
}
