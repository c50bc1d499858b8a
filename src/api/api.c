/* api.c - the route table and the request pipeline: route, authenticate,
 * check the role, parse the body, run the handler, encode the result. */
#include <stdlib.h>
#include <string.h>
#include "api_int.h"
#include "api_cache.h"
#include "../auth/auth.h"

#define R_ANY 0 /* no sign-in needed */
#define R_USER                                                                                     \
    (ROLE_RESIDENT | ROLE_GRID | ROLE_DISPATCHER | ROLE_HANDLER | ROLE_LEADER | ROLE_ADMIN)
#define R_STAFF (ROLE_DISPATCHER | ROLE_LEADER | ROLE_ADMIN)

/* Route flags. */
enum {
    ROUTE_WRITER = 1,   /* a quick write, run on the writer thread (api_handle_async) */
    ROUTE_RAW_BODY = 2, /* the handler reads the body itself (not a JSON object) */
    ROUTE_UPLOAD = 4,   /* a raw body of up to API_MAX_UPLOAD bytes (api_max_body) */
};

/* One endpoint. `{id}` in a pattern matches a positive integer, `{code}` a
 * place or category code, `{sha256}` 64 lower-case hex digits. */
struct api_route {
    const char *pattern; /* path pattern below /api/v1 */
    const char *method;  /* HTTP method */
    api_handler fn;      /* handler */
    int roles;           /* roles allowed (R_ANY: anyone, even signed out) */
    int flags;           /* ROUTE_* */
};

/* The route table, sorted by pattern then method (keep it sorted). */
static const struct api_route routes[] = {
    {"/apikeys", "POST", api_apikeys_create, R_USER, 0},
    {"/auth/login", "POST", api_login_post, R_ANY, 0},
    {"/auth/logout", "POST", api_logout_post, R_USER, 0},
    {"/calendar/add-workdays", "GET", api_calendar_add, R_ANY, 0},
    {"/calendar/day", "GET", api_calendar_day, R_ANY, 0},
    {"/calendar/deadline", "GET", api_calendar_deadline, R_ANY, 0},
    {"/cases", "GET", api_cases_list, R_USER, 0},
    {"/cases", "POST", api_cases_create, R_USER, ROUTE_WRITER},
    {"/cases/{id}", "GET", api_case_get, R_USER, 0},
    {"/cases/{id}/actions", "POST", api_case_act, R_USER, ROUTE_WRITER},
    {"/cases/{id}/events", "GET", api_case_events, R_USER, 0},
    {"/cases/{id}/whistles", "POST", api_case_whistle, R_USER, ROUTE_WRITER},
    {"/categories", "GET", api_categories_list, R_ANY, 0},
    {"/files", "POST", api_files_post, R_USER, ROUTE_RAW_BODY | ROUTE_UPLOAD},
    {"/files/{sha256}", "GET", api_file_get, R_USER, 0},
    {"/health", "GET", api_health_get, R_ANY, 0},
    {"/me", "GET", api_me_get, R_USER, 0},
    {"/places", "GET", api_places_list, R_USER, 0},
    {"/places/import", "POST", api_places_import, ROLE_ADMIN, ROUTE_RAW_BODY},
    {"/places/locate", "GET", api_places_locate, R_USER, 0},
    {"/places/{code}", "GET", api_place_get, R_USER, 0},
    {"/places/{code}", "POST", api_place_rename, ROLE_ADMIN, 0},
    {"/places/{code}/team", "POST", api_place_team, ROLE_ADMIN, 0},
    {"/report", "GET", api_report_get, R_STAFF, 0},
    {"/stats", "GET", api_stats_get, R_STAFF, 0},
    {"/transitions", "GET", api_transitions_list, R_ANY, 0},
    {"/units", "GET", api_units_list, R_USER, 0},
    {"/units", "POST", api_units_create, ROLE_ADMIN, 0},
    {"/users", "GET", api_users_list, R_STAFF, 0},
    {"/users", "POST", api_users_create, ROLE_ADMIN, 0},
    {"/whistle-types", "GET", api_whistle_types_list, R_ANY, 0},
    {"/whistles", "GET", api_whistles_list, R_USER, 0},
    {"/whistles/{id}", "GET", api_whistle_get, R_USER, 0},
    {"/whistles/{id}/rate", "POST", api_whistle_rate, R_USER, ROUTE_WRITER},
    {"/whistles/{id}/report", "POST", api_whistle_report, R_USER, ROUTE_WRITER},
};

struct api *api_new(struct store *s, struct domain *d)
{
    struct api *a = xcalloc(1, sizeof *a);
    a->store = s;
    a->dom = d;
    a->cache = api_cache_new((size_t)API_CACHE_DEFAULT_MB << 20);
    return a;
}

void api_set_cache_mb(struct api *a, int mb)
{
    api_cache_free(a->cache);
    a->cache = api_cache_new((size_t)mb << 20);
}

void api_free(struct api *a)
{
    if (a)
        api_cache_free(a->cache);
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

/* Finds the route; ERR_NOTFOUND-style API codes when none. */
static const struct api_route *route_find(const char *method, const char *path, int64_t *id,
                                          char *pcode, int *code)
{
    const struct api_route *other = NULL;
    for (size_t i = 0; i < ARRAY_SIZE(routes); i++) {
        if (!route_match(routes[i].pattern, path, id, pcode))
            continue;
        if (strcmp(routes[i].method, method) == 0 ||
            (strcmp(method, "HEAD") == 0 && strcmp(routes[i].method, "GET") == 0))
            return &routes[i];
        other = &routes[i];
    }
    *code = other ? API_ERR_METHOD : API_ERR_ROUTE;
    return NULL;
}

static int authenticate(struct api_ctx *c, const struct api_route *r)
{
    if (c->req->as) {
        c->who = *c->req->as;
        return 0;
    }
    if (c->req->token == NULL && r->roles == R_ANY)
        return 0;
    if (auth_resolve(c->api->store, c->req->token, &c->who, &c->e) != 0)
        return r->roles == R_ANY ? (err_clear(&c->e), 0) : ERR_AUTH;
    return 0;
}

static int parse_body(struct api_ctx *c)
{
    json_error_t je;
    const struct api_req *q = c->req;
    if (q->body == NULL || q->body_len == 0)
        return 0;
    if (q->body_len > API_MAX_BODY && q->as == NULL) /* the local CLI may send big files */
        return err_set(&c->e, ERR_TOOBIG, NULL, "the body is larger than %d bytes", API_MAX_BODY);
    if (!utf8_valid(q->body, q->body_len))
        return err_set(&c->e, API_ERR_UTF8, NULL, "the body is not valid UTF-8");
    c->body = json_loadb(q->body, q->body_len, JSON_REJECT_DUPLICATES, &je);
    if (c->body == NULL)
        return err_set(&c->e, API_ERR_JSON, NULL, "malformed JSON at line %d column %d: %s",
                       je.line, je.column, je.text);
    if (!json_is_object(c->body))
        return err_set(&c->e, API_ERR_TYPE, NULL, "the body must be a JSON object");
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
    int rc = API_ERR_ROUTE;
    const struct api_route *r = NULL;
    memset(resp, 0, sizeof *resp);
    if (strncmp(path, "/open311/", 9) == 0) { /* GeoReport v2: its own formats and errors */
        open311_handle(a, req, resp);
        return;
    }
    if (strncmp(path, "/api/v1/", 8) == 0)
        r = route_find(req->method, path + 7, &c.id, c.code, &rc);
    if (r == NULL) {
        err_set(&c.e, rc, NULL,
                rc == API_ERR_METHOD ? "%s is not allowed on %s" : "no endpoint %s %s", req->method,
                path);
    } else if ((rc = authenticate(&c, r)) == 0 && (rc = api__require(&c, r->roles)) == 0 &&
               ((r->flags & ROUTE_RAW_BODY) || (rc = parse_body(&c)) == 0)) {
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
    const struct api_route *r = route_find(req->method, req->path + 7, &id, pcode, &code);
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
    int refused = authenticate(&x->c, r) || api__require(&x->c, r->roles) ||
                  (!(r->flags & ROUTE_RAW_BODY) && parse_body(&x->c));
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
    const struct api_route *r =
        strncmp(path, "/api/v1/", 8) == 0 ? route_find(method, path + 7, &id, pcode, &code) : NULL;
    return r && (r->flags & ROUTE_UPLOAD) ? API_MAX_UPLOAD : API_MAX_BODY;
}

int api__require(struct api_ctx *c, int roles)
{
    if (roles == R_ANY || (c->who.role & roles))
        return 0;
    if (c->who.role == 0)
        return err_set(&c->e, ERR_AUTH, NULL, "sign in first");
    return err_set(&c->e, ERR_DENIED, NULL, "a %s may not do this", role_name(c->who.role));
}
