/* server.c - libmicrohttpd glue: request collection, limits, dispatch. */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>
#include "http.h"
#include "../core/embed.h"

#define HTTP_MAX_QUERY 64

struct http_server {
    struct MHD_Daemon *mhd; /* the daemon */
    struct api *api;        /* where requests go */
};

/* Per-request state, from the first call of the access handler to the
 * completion callback. */
struct http_req {
    struct arena *arena;  /* request arena */
    struct buf body;      /* collected body (bounded) */
    int too_big;          /* the body passed the limit: answer 413 */
};

static enum MHD_Result add_header(struct MHD_Response *r, const char *k, const char *v)
{
    return MHD_add_response_header(r, k, v);
}

static enum MHD_Result send_bytes(struct MHD_Connection *conn, int status, const char *type,
                                  const void *data, size_t len, enum MHD_ResponseMemoryMode mode)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)data, mode);
    if (r == NULL)
        return MHD_NO;
    add_header(r, "Content-Type", type);
    add_header(r, "X-Content-Type-Options", "nosniff");
    add_header(r, "Cache-Control", "no-store");
    enum MHD_Result ret = MHD_queue_response(conn, (unsigned)status, r);
    MHD_destroy_response(r);
    return ret;
}

struct query_acc {
    struct api_param *v; /* parameters */
    int n;               /* count */
    struct arena *a;     /* where copies live */
};

static enum MHD_Result collect_query(void *cls, enum MHD_ValueKind kind, const char *key,
                                     const char *value)
{
    struct query_acc *q = cls;
    (void)kind;
    if (q->n < HTTP_MAX_QUERY) {
        q->v[q->n].key = arena_strdup(q->a, key);
        q->v[q->n].value = arena_strdup(q->a, value ? value : "");
        q->n++;
    }
    return MHD_YES;
}

/* The credential: "Authorization: Bearer X" or "X-Api-Key: X". */
static const char *request_token(struct MHD_Connection *conn)
{
    const char *auth = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization");
    if (auth && strncasecmp(auth, "Bearer ", 7) == 0)
        return auth + 7;
    return MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Api-Key");
}

static const char *mime_of(const char *name)
{
    static const struct {
        const char *ext, *type;
    } types[] = {{".html", "text/html; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
                 {".js", "text/javascript; charset=utf-8"}, {".svg", "image/svg+xml"},
                 {".json", "application/json"}, {".png", "image/png"}};
    const char *dot = strrchr(name, '.');
    for (size_t i = 0; dot && i < ARRAY_SIZE(types); i++)
        if (strcmp(dot, types[i].ext) == 0)
            return types[i].type;
    return "application/octet-stream";
}

/* Serves a built-in file of web/static ("/" is index.html). */
static enum MHD_Result serve_static(struct MHD_Connection *conn, const char *url)
{
    char name[256];
    if (strstr(url, "..") || strlen(url) > 200)
        return send_bytes(conn, 404, "text/plain", "not found\n", 10, MHD_RESPMEM_PERSISTENT);
    snprintf(name, sizeof name, "web/static%s", strcmp(url, "/") == 0 ? "/index.html" : url);
    const struct embed_file *f = embed_find(name);
    if (f == NULL)
        return send_bytes(conn, 404, "text/plain; charset=utf-8", "not found\n", 10,
                          MHD_RESPMEM_PERSISTENT);
    return send_bytes(conn, 200, mime_of(name), f->data, f->len, MHD_RESPMEM_PERSISTENT);
}

static enum MHD_Result dispatch(struct http_server *h, struct MHD_Connection *conn,
                                struct http_req *r, const char *url, const char *method)
{
    struct api_param params[HTTP_MAX_QUERY];
    struct query_acc q = {params, 0, r->arena};
    struct api_resp resp;
    if (r->too_big) {
        static const char msg[] = "{\"error\":{\"code\":\"too_large\",\"status\":413,"
                                  "\"message\":\"the body is larger than 1048576 bytes\"}}\n";
        return send_bytes(conn, 413, "application/json", msg, sizeof msg - 1,
                          MHD_RESPMEM_PERSISTENT);
    }
    MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, collect_query, &q);
    struct api_req req = {.method = method, .path = url, .query = params, .n_query = q.n,
                          .body = r->body.data, .body_len = r->body.len,
                          .token = request_token(conn), .arena = r->arena};
    api_handle(h->api, &req, &resp);
    return send_bytes(conn, resp.status, resp.content_type, resp.body, resp.len,
                      MHD_RESPMEM_MUST_COPY);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_size, void **con_cls)
{
    struct http_server *h = cls;
    struct http_req *r = *con_cls;
    (void)version;
    if (r == NULL) { /* first call: headers only; answer on a later call (keep-alive) */
        r = xcalloc(1, sizeof *r);
        r->arena = arena_new();
        buf_init(&r->body, API_MAX_BODY);
        *con_cls = r;
        return MHD_YES;
    }
    if (*upload_size) {
        if (!r->too_big && buf_append(&r->body, upload_data, *upload_size))
            r->too_big = 1;
        *upload_size = 0;
        return MHD_YES;
    }
    if (strncmp(url, "/api/", 5) == 0)
        return dispatch(h, conn, r, url, method);
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
        return send_bytes(conn, 405, "text/plain", "method not allowed\n", 19,
                          MHD_RESPMEM_PERSISTENT);
    return serve_static(conn, url);
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
    struct http_server *h = xcalloc(1, sizeof *h);
    h->api = api;
    h->mhd = MHD_start_daemon(
        MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG, (uint16_t)o->port, NULL, NULL,
        on_request, h, MHD_OPTION_THREAD_POOL_SIZE, (unsigned)o->threads,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)o->max_conns, MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned)60, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_NOTIFY_COMPLETED, on_done, NULL, MHD_OPTION_LISTEN_BACKLOG_SIZE,
        (unsigned)1024, MHD_OPTION_END);
    if (h->mhd == NULL) {
        xfree(h);
        return err_set(e, ERR_AGAIN, "port", "cannot listen on %s:%d (in use?)", o->bind, o->port);
    }
    *out = h;
    return 0;
}

void http_stop(struct http_server *h)
{
    if (h) {
        MHD_stop_daemon(h->mhd);
        xfree(h);
    }
}
