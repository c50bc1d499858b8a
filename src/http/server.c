/* server.c - libmicrohttpd glue: request collection, limits, dispatch. */
#include <arpa/inet.h>
#include <pthread.h>
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "http_int.h"
#include "open311/open311.h"

#define HTTP_MAX_QUERY 256

struct http_req;

struct http_server {
    struct MHD_Daemon *mhd;  /* the daemon */
    struct api *api;         /* where requests go */
    struct http_static *web; /* the web directory served, or NULL: the built-in page */
    pthread_t *workers;      /* the worker pool */
    int n_workers;           /* its size */
    pthread_mutex_t mu;      /* guards the queue and stop */
    pthread_cond_t work;     /* signalled when a request is queued */
    struct http_req *head;   /* queued requests, oldest first */
    struct http_req *tail;
    int stop;      /* workers finish the queue and exit */
    int in_writer; /* requests handed to the store's writer, not yet done */
};

enum { REQ_NEW, REQ_QUEUED, REQ_DONE };

/* Per-request state, from the first call of the access handler to the
 * completion callback. */
struct http_req {
    struct arena *arena;         /* request arena */
    struct buf body;             /* collected body (bounded) */
    int too_big;                 /* the body passed the limit: answer 413 */
    int state;                   /* REQ_* */
    struct MHD_Connection *conn; /* for resuming */
    struct api_req req;          /* the request, for a worker */
    struct api_resp resp;        /* the worker's answer */
    struct http_server *server;  /* for completion callbacks */
    struct http_req *next;       /* queue link */
    const struct door *door;     /* who answers it */
};

/* The doors answered under their path prefixes: each answers its requests,
 * says how large a body it takes, and writes its own error document for
 * what the server refuses before the door sees the request (a body past
 * the limit: 413 in the door's shape, the status of the one error table). */
static const struct door {
    const char *prefix; /* path prefix */
    void (*handle)(struct api *a, const struct api_req *req, struct api_resp *resp);
    int (*handle_async)(struct api *a, const struct api_req *req, struct api_resp *resp,
                        void (*done)(void *arg), void *arg); /* NULL: the worker pool */
    size_t (*max_body)(const char *method, const char *path);
    void (*error)(const struct api_req *req, struct api_resp *resp, int code, const char *msg);
} doors[] = {
    {"/api/", api_handle, api_handle_async, api_max_body, api_error},
    {"/open311/", open311_handle, NULL, NULL, open311_error},
};

/* The door of a path, or NULL (a static file of the web app). */
static const struct door *door_of(const char *url)
{
    for (size_t i = 0; i < ARRAY_SIZE(doors); i++)
        if (strncmp(url, doors[i].prefix, strlen(doors[i].prefix)) == 0)
            return &doors[i];
    return NULL;
}

/* The largest body collected for a request to url. */
static size_t max_body(const char *method, const char *url)
{
    const struct door *d = door_of(url);
    return d && d->max_body ? d->max_body(method, url) : API_MAX_BODY;
}

static enum MHD_Result add_header(struct MHD_Response *r, const char *k, const char *v)
{
    return MHD_add_response_header(r, k, v);
}

/* Queues a response; disposition (Content-Disposition) may be NULL, and
 * cache (Cache-Control) NULL for "no-store". */
static enum MHD_Result send_download(struct MHD_Connection *conn, int status, const char *type,
                                     const char *disposition, const char *cache, const void *data,
                                     size_t len, enum MHD_ResponseMemoryMode mode)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)data, mode);
    if (r == NULL)
        return MHD_NO;
    add_header(r, "Content-Type", type);
    add_header(r, "X-Content-Type-Options", "nosniff");
    add_header(r, "Cache-Control", cache ? cache : "no-store");
    if (disposition)
        add_header(r, "Content-Disposition", disposition);
    enum MHD_Result ret = MHD_queue_response(conn, (unsigned)status, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result send_bytes(struct MHD_Connection *conn, int status, const char *type,
                                  const void *data, size_t len, enum MHD_ResponseMemoryMode mode)
{
    return send_download(conn, status, type, NULL, NULL, data, len, mode);
}

struct query_acc {
    struct api_param *v; /* parameters */
    int n;               /* count */
    int cap;             /* room in v */
    struct arena *a;     /* where copies live */
};

static enum MHD_Result collect_query(void *cls, enum MHD_ValueKind kind, const char *key,
                                     const char *value)
{
    struct query_acc *q = cls;
    (void)kind;
    if (q->n < q->cap) {
        q->v[q->n].key = arena_strdup(q->a, key);
        q->v[q->n].value = arena_strdup(q->a, value ? value : "");
        q->n++;
    }
    return MHD_YES;
}

/* The request's Content-Type, for the API (form or JSON bodies). */
static const char *request_type(struct MHD_Connection *conn)
{
    return MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type");
}

/* The credential: "Authorization: Bearer X" or "X-Api-Key: X". */
static const char *request_token(struct MHD_Connection *conn)
{
    const char *auth = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization");
    if (auth && strncasecmp(auth, "Bearer ", 7) == 0)
        return auth + 7;
    return MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Api-Key");
}

/* Fills r->req from the connection (copies live in the request arena). */
static void build_request(struct MHD_Connection *conn, struct http_req *r, const char *url,
                          const char *method)
{
    int n = MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, NULL, NULL);
    n = n < HTTP_MAX_QUERY ? n : HTTP_MAX_QUERY;
    struct query_acc q = {n ? arena_alloc(r->arena, (size_t)n * sizeof *q.v) : NULL, 0, n,
                          r->arena};
    const char *token = request_token(conn);
    if (n)
        MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, collect_query, &q);
    r->req = (struct api_req){
        .method = arena_strdup(r->arena, method),
        .path = arena_strdup(r->arena, url),
        .query = q.v,
        .n_query = q.n,
        .body = r->body.data,
        .body_len = r->body.len,
        .token = token ? arena_strdup(r->arena, token) : NULL,
        .content_type = request_type(conn) ? arena_strdup(r->arena, request_type(conn)) : NULL,
        .arena = r->arena};
}

/* Sends an API response; a heap body is handed to MHD, which frees it. */
static enum MHD_Result send_resp(struct MHD_Connection *conn, struct api_resp *resp)
{
    enum MHD_ResponseMemoryMode mode = MHD_RESPMEM_MUST_COPY;
    if (resp->body_heap) {
        mode = MHD_RESPMEM_MUST_FREE; /* xmalloc is malloc */
        resp->body_heap = 0;
    }
    return send_download(conn, resp->status, resp->content_type, resp->disposition, resp->cache,
                         resp->body, resp->len, mode);
}

/* The writer (or a worker) has the answer: let the event thread send it. */
static void finish(struct http_req *r)
{
    r->state = REQ_DONE;
    MHD_resume_connection(r->conn);
}

static void on_writer_done(void *arg)
{
    struct http_req *r = arg;
    struct http_server *h = r->server;
    finish(r);
    __atomic_sub_fetch(&h->in_writer, 1, __ATOMIC_SEQ_CST);
}

/* Answers a request that may write, off the event thread: case writes run
 * on the store's writer thread, other writes on the worker pool. The
 * connection is suspended until the answer is ready. */
static enum MHD_Result enqueue(struct http_server *h, struct MHD_Connection *conn,
                               struct http_req *r)
{
    r->state = REQ_QUEUED;
    r->conn = conn;
    r->server = h;
    MHD_suspend_connection(conn);
    __atomic_add_fetch(&h->in_writer, 1, __ATOMIC_SEQ_CST);
    if (r->door->handle_async &&
        r->door->handle_async(h->api, &r->req, &r->resp, on_writer_done, r))
        return MHD_YES;
    __atomic_sub_fetch(&h->in_writer, 1, __ATOMIC_SEQ_CST);
    pthread_mutex_lock(&h->mu);
    if (h->stop) { /* the pool is gone: answer here */
        pthread_mutex_unlock(&h->mu);
        r->door->handle(h->api, &r->req, &r->resp);
        finish(r);
        return MHD_YES;
    }
    if (h->tail)
        h->tail->next = r;
    else
        h->head = r;
    h->tail = r;
    pthread_cond_signal(&h->work);
    pthread_mutex_unlock(&h->mu);
    return MHD_YES;
}

static void *worker_main(void *arg)
{
    struct http_server *h = arg;
    pthread_mutex_lock(&h->mu);
    for (;;) {
        while (h->head == NULL && !h->stop)
            pthread_cond_wait(&h->work, &h->mu);
        struct http_req *r = h->head;
        if (r == NULL)
            break;
        h->head = r->next;
        if (h->head == NULL)
            h->tail = NULL;
        pthread_mutex_unlock(&h->mu);
        r->door->handle(h->api, &r->req, &r->resp);
        finish(r);
        pthread_mutex_lock(&h->mu);
    }
    pthread_mutex_unlock(&h->mu);
    return NULL;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_size, void **con_cls)
{
    struct http_server *h = cls;
    struct http_req *r = *con_cls;
    (void)version;
    if (r == NULL) { /* first call: headers only; answer on a later call (keep-alive) */
        r = xcalloc(1, sizeof *r);
        r->arena = arena_new();
        buf_init(&r->body, max_body(method, url)); /* 5 MiB for uploads, else 1 MiB */
        *con_cls = r;
        return MHD_YES;
    }
    if (r->state == REQ_DONE) /* resumed: the worker's answer is ready */
        return send_resp(conn, &r->resp);
    if (*upload_size) {
        if (!r->too_big && buf_append(&r->body, upload_data, *upload_size))
            r->too_big = 1;
        *upload_size = 0;
        return MHD_YES;
    }
    if ((r->door = door_of(url)) != NULL) {
        build_request(conn, r, url, method);
        if (r->too_big) {
            char msg[96];
            snprintf(msg, sizeof msg, "the body is larger than %zu bytes", r->body.max);
            r->door->error(&r->req, &r->resp, ERR_TOOBIG, msg);
            return send_resp(conn, &r->resp);
        }
        if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
            return enqueue(h, conn, r);
        r->door->handle(h->api, &r->req, &r->resp);
        return send_resp(conn, &r->resp);
    }
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
        return send_bytes(conn, 405, "text/plain", "method not allowed\n", 19,
                          MHD_RESPMEM_PERSISTENT);
    return http_static_serve(h->web, conn, url);
}

static void on_done(void *cls, struct MHD_Connection *conn, void **con_cls,
                    enum MHD_RequestTerminationCode code)
{
    struct http_req *r = *con_cls;
    (void)cls;
    (void)conn;
    (void)code;
    if (r) {
        buf_free(&r->body);
        arena_free(r->arena);
        xfree(r);
        *con_cls = NULL;
    }
}

int http_start(const struct http_options *o, struct api *api, struct http_server **out,
               struct err *e)
{
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)o->port)};
    if (o->port < 1 || o->port > 65535)
        return err_set(e, ERR_INVALID, "port", "port must be 1..65535");
    if (inet_pton(AF_INET, o->bind, &addr.sin_addr) != 1)
        return err_set(e, ERR_INVALID, "bind", "bind must be an IPv4 address like 127.0.0.1");
    struct http_static *web = NULL;
    int rc = o->web_dir ? http_static_open(o->web_dir, &web, e) : 0;
    if (rc)
        return rc;
    struct http_server *h = xcalloc(1, sizeof *h);
    h->api = api;
    h->web = web;
    pthread_mutex_init(&h->mu, NULL);
    pthread_cond_init(&h->work, NULL);
    h->n_workers = o->workers > 0 ? o->workers : 1;
    h->workers = xcalloc((size_t)h->n_workers, sizeof *h->workers);
    for (int i = 0; i < h->n_workers; i++) {
        if (pthread_create(&h->workers[i], NULL, worker_main, h) != 0) {
            int want = h->n_workers;
            h->n_workers = i; /* http_stop joins those that started */
            http_stop(h);
            return err_set(e, ERR_INTERNAL, "workers", "cannot start worker thread %d of %d", i + 1,
                           want);
        }
    }
    h->mhd = MHD_start_daemon(
        MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME,
        (uint16_t)o->port, NULL, NULL, on_request, h, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned)o->threads, MHD_OPTION_CONNECTION_LIMIT, (unsigned)o->max_conns,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_NOTIFY_COMPLETED, on_done, NULL, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)16384, MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)1024, MHD_OPTION_END);
    if (h->mhd == NULL) {
        http_stop(h);
        return err_set(
            e, ERR_AGAIN, "port",
            "cannot listen on %s:%d (the port is in use, or its threads could not start)", o->bind,
            o->port);
    }
    *out = h;
    return 0;
}

/* Stops the worker pool after it has answered (and resumed) everything
 * queued; requests arriving meanwhile are answered on the event threads. */
static void stop_workers(struct http_server *h)
{
    pthread_mutex_lock(&h->mu);
    h->stop = 1;
    pthread_cond_broadcast(&h->work);
    pthread_mutex_unlock(&h->mu);
    for (int i = 0; i < h->n_workers; i++)
        pthread_join(h->workers[i], NULL);
}

void http_stop(struct http_server *h)
{
    if (h == NULL)
        return;
    if (h->mhd)
        MHD_quiesce_daemon(h->mhd);
    stop_workers(h);
    /* Requests on the writer finish with its next commits (at most ~30 s). */
    for (int i = 0; i < 30000 && __atomic_load_n(&h->in_writer, __ATOMIC_SEQ_CST) > 0; i++)
        usleep(1000);
    if (h->mhd)
        MHD_stop_daemon(h->mhd);
    pthread_mutex_destroy(&h->mu);
    pthread_cond_destroy(&h->work);
    http_static_free(h->web);
    xfree(h->workers);
    xfree(h);
}
