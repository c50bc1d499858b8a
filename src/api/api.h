/*
 * api.h - the JSON API (/api/v1) as a function: a request in, a response
 * out. The HTTP server and the CLI are its two front doors; neither knows a
 * JSON shape. See docs/api.md for every endpoint.
 */
#ifndef CHUISHAO_API_H
#define CHUISHAO_API_H

#include "domain/domain.h"

struct api;

/* A query-string or form parameter (decoded). */
struct api_param {
    const char *key;   /* name */
    const char *value; /* value, "" if none */
};

struct api_req {
    const char *method;            /* "GET", "POST", ... */
    const char *path;              /* decoded path, e.g. "/api/v1/cases/7" */
    const struct api_param *query; /* query parameters */
    int n_query;                   /* their number */
    const char *body;              /* request body (not NUL-terminated), may be NULL */
    size_t body_len;               /* its length */
    const char *token;             /* bearer token or API key, NULL if none */
    const char *content_type;      /* the body's Content-Type, NULL if none */
    const struct actor *as;        /* trusted actor (the CLI), NULL for HTTP */
    struct arena *arena;           /* request arena: the response lives here */
};

struct api_resp {
    int status;               /* HTTP status */
    const char *content_type; /* e.g. "application/json; charset=utf-8" */
    const char *disposition;  /* Content-Disposition (a download), NULL if none */
    const char *cache;        /* Cache-Control, NULL: "no-store" */
    char *body;               /* response body (in the request arena, or on the heap) */
    size_t len;               /* its length */
    int body_heap;            /* 1: body is from xmalloc and the receiver frees it */
    int exit_code;            /* for the CLI: 0 ok, else see docs/cli.md */
};

/* Creates the API over a store and its domain (both outlive the api). */
struct api *api_new(struct store *s, struct domain *d);
/* The store and the domain an API answers from (for the other doors over
 * the same data, such as Open311). */
struct store *api_store(const struct api *a);
struct domain *api_domain(const struct api *a);
void api_free(struct api *a);
/* Replaces the case view cache (case/api_case_cache.h) by one of mb MiB (0: none);
 * before serving. API_CACHE_DEFAULT_MB is the size api_new gives it. */
#define API_CACHE_DEFAULT_MB 128
void api_set_cache_mb(struct api *a, int mb);

/* Answers a request. Never fails: errors become an error response with a
 * stable code (docs/api.md "Errors"). Thread-safe. */
void api_handle(struct api *a, const struct api_req *req, struct api_resp *resp);

/* Starts answering a request that writes, if its endpoint runs on the
 * store's writer thread (case reports and actions): the whole request is
 * handled inside its own savepoint of the next group commit, and done(arg)
 * is called (on the store's syncer thread) once resp is filled and the change is on
 * disk. Returns 1 if it took the request, 0 if the caller must answer it
 * with api_handle (other endpoints, or no group commit). req and resp must
 * stay valid until done is called. */
int api_handle_async(struct api *a, const struct api_req *req, struct api_resp *resp,
                     void (*done)(void *arg), void *arg);

/* Answers an error in the API's document shape ({"error": {...}}, the
 * status and exit code of the one error table, core.h), for refusals made
 * before a request reaches api_handle (the HTTP server's 413). The body
 * lives in req->arena. */
void api_error(const struct api_req *req, struct api_resp *resp, int code, const char *msg);

/* Maximum request body size in bytes. */
#define API_MAX_BODY (1024 * 1024)
/* Maximum body of an upload (POST /files) in bytes. */
#define API_MAX_UPLOAD (5 * 1024 * 1024)

/* The largest body the endpoint of method and path (decoded, as in
 * api_req) accepts: API_MAX_UPLOAD for uploads, else API_MAX_BODY. The HTTP
 * server caps what it collects with it before the body arrives. */
size_t api_max_body(const char *method, const char *path);

#endif
