/*
 * http.h - the HTTP server: libmicrohttpd with its internal epoll thread
 * pool. It turns requests into api_req values and api_resp values into
 * responses, and serves the built-in static files; it knows no JSON shapes.
 */
#ifndef CHUISHAO_HTTP_H
#define CHUISHAO_HTTP_H

#include "../api/api.h"

struct http_server;

struct http_options {
    const char *bind;  /* IPv4 address to listen on, e.g. "127.0.0.1" */
    int port;          /* TCP port */
    int threads;       /* worker threads (each runs an epoll loop) */
    int max_conns;     /* connection limit */
};

/* Starts serving (returns at once; requests run on the pool's threads).
 * OUT: *out. ERR_INVALID for a bad address, ERR_AGAIN if the port is busy. */
int http_start(const struct http_options *o, struct api *api, struct http_server **out,
               struct err *e);
/* Stops accepting, finishes requests in flight, frees the server. */
void http_stop(struct http_server *h);

#endif
