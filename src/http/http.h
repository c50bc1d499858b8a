/*
 * http.h - the HTTP server: libmicrohttpd with its internal epoll thread
 * pool. It turns requests into api_req values and api_resp values into
 * responses, and serves the built-in static files; it knows no JSON shapes.
 *
 * Reads (GET, HEAD) are answered on the event threads. Any other method may
 * wait for a durable commit, so its connection is suspended and the request
 * handed to a pool of worker threads; when the worker has the answer it
 * resumes the connection and the event thread sends it. Many writes are thus
 * in flight at once (and share one fsync) without many event threads.
 */
#ifndef CHUISHAO_HTTP_H
#define CHUISHAO_HTTP_H

#include "api/api.h"

struct http_server;

struct http_options {
    const char *bind;    /* IPv4 address to listen on, e.g. "127.0.0.1" */
    int port;            /* TCP port */
    int threads;         /* event threads (each runs an epoll loop); reads run here */
    int workers;         /* worker threads for requests that write (they block until the
                            group commit holding their change is on disk) */
    int max_conns;       /* connection limit */
    const char *web_dir; /* directory of the web application (index.html, assets/), or
                            NULL to serve the small page built into the binary */
};

/* Starts serving (returns at once; requests run on the pool's threads).
 * OUT: *out. ERR_INVALID for a bad address or a web_dir without index.html,
 * ERR_NOTFOUND for a web_dir that does not exist, ERR_AGAIN if the port is
 * busy. */
int http_start(const struct http_options *o, struct api *api, struct http_server **out,
               struct err *e);
/* Stops accepting, finishes requests in flight, frees the server. */
void http_stop(struct http_server *h);

#endif
