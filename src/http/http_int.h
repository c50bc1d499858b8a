/*
 * http_int.h - internals of src/http shared by server.c and static.c.
 */
#ifndef CHUISHAO_HTTP_INT_H
#define CHUISHAO_HTTP_INT_H

#include <microhttpd.h>
#include "http.h"

/* A directory of web files being served (static.c). */
struct http_static;

/* Opens dir for serving: it must exist and hold index.html. OUT: *out
 * (free with http_static_free). ERR_NOTFOUND if dir does not exist,
 * ERR_INVALID if it has no index.html; the message names dir. */
int http_static_open(const char *dir, struct http_static **out, struct err *e);
/* Frees what http_static_open made; NULL is fine. */
void http_static_free(struct http_static *s);
/* Answers a GET or HEAD of a non-API path: a file of s (NULL: the files
 * built into the binary), index.html for application pages, else 404.
 * url is the decoded path as libmicrohttpd gives it. */
enum MHD_Result http_static_serve(const struct http_static *s, struct MHD_Connection *conn,
                                  const char *url);

#endif
