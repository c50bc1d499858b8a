/*
 * static.c - the web application's files: from a directory given to
 * `chuishao serve --web DIR` (the Vite build, build/web), or the small page
 * built into the binary (web/static) when there is none.
 *
 * Safety rules for a directory: a path with a "." or ".." segment, a
 * backslash or a control byte is refused (404); the file found is resolved
 * with realpath(3) and must lie inside the directory's own real path, so a
 * symbolic link cannot lead out of it; only regular files are served. A path
 * that names no file and whose last segment has no dot is a page of the
 * single-page application: index.html answers it (SPA fallback). Files under
 * assets/ carry content hashes in their names (Vite), so they are cached as
 * immutable; everything else is revalidated.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "http_int.h"
#include "core/embed.h"

#define STATIC_MAX_URL 512

struct http_static {
    char *root;     /* real path of the directory, without a trailing slash */
    size_t rootlen; /* its length */
};

int http_static_open(const char *dir, struct http_static **out, struct err *e)
{
    char real[PATH_MAX], index[PATH_MAX + 16];
    struct stat st;
    if (realpath(dir, real) == NULL)
        return err_set(e, ERR_NOTFOUND, "web", "web directory %s: %s", dir, strerror(errno));
    snprintf(index, sizeof index, "%s/index.html", real);
    if (stat(index, &st) != 0 || !S_ISREG(st.st_mode))
        return err_set(e, ERR_INVALID, "web", "web directory %s has no index.html", dir);
    struct http_static *s = xcalloc(1, sizeof *s);
    s->root = xstrdup(real);
    s->rootlen = strlen(real);
    *out = s;
    return 0;
}

void http_static_free(struct http_static *s)
{
    if (s == NULL)
        return;
    xfree(s->root);
    xfree(s);
}

/* The Content-Type of a file name, by its extension. */
static const char *mime_of(const char *name)
{
    static const struct {
        const char *ext, *type;
    } types[] = {{".css", "text/css; charset=utf-8"},
                 {".gif", "image/gif"},
                 {".html", "text/html; charset=utf-8"},
                 {".ico", "image/x-icon"},
                 {".jpg", "image/jpeg"},
                 {".js", "text/javascript; charset=utf-8"},
                 {".json", "application/json; charset=utf-8"},
                 {".map", "application/json; charset=utf-8"},
                 {".mjs", "text/javascript; charset=utf-8"},
                 {".png", "image/png"},
                 {".svg", "image/svg+xml"},
                 {".txt", "text/plain; charset=utf-8"},
                 {".webmanifest", "application/manifest+json"},
                 {".webp", "image/webp"},
                 {".woff", "font/woff"},
                 {".woff2", "font/woff2"}};
    const char *slash = strrchr(name, '/');
    const char *dot = strrchr(slash ? slash : name, '.');
    for (size_t i = 0; dot && i < ARRAY_SIZE(types); i++)
        if (strcasecmp(dot, types[i].ext) == 0)
            return types[i].type;
    return "application/octet-stream";
}

static enum MHD_Result send_plain(struct MHD_Connection *conn, int status, const char *msg)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(strlen(msg), (void *)msg, MHD_RESPMEM_PERSISTENT);
    if (r == NULL)
        return MHD_NO;
    MHD_add_response_header(r, "Content-Type", "text/plain; charset=utf-8");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Cache-Control", "no-store");
    enum MHD_Result ret = MHD_queue_response(conn, (unsigned)status, r);
    MHD_destroy_response(r);
    return ret;
}

/* Headers every static answer carries. */
static void add_common(struct MHD_Response *r, const char *type, int immutable)
{
    MHD_add_response_header(r, "Content-Type", type);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "same-origin");
    MHD_add_response_header(r, "Cache-Control",
                            immutable ? "public, max-age=31536000, immutable" : "no-cache");
}

/* 1 if the decoded path is acceptable: starts with '/', no "." or ".."
 * segment, no empty segment, no backslash or control byte, not too long. */
static int path_ok(const char *url)
{
    size_t n = strlen(url);
    if (url[0] != '/' || n > STATIC_MAX_URL)
        return 0;
    for (const char *p = url; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == '\\')
            return 0;
    for (const char *seg = url + 1; *seg;) {
        const char *end = strchr(seg, '/');
        size_t len = end ? (size_t)(end - seg) : strlen(seg);
        if ((len == 0 && end) || (len == 1 && seg[0] == '.') ||
            (len == 2 && seg[0] == '.' && seg[1] == '.'))
            return 0;
        if (!end)
            break;
        seg = end + 1;
    }
    return 1;
}

/* 1 if the last segment of the path has no dot: a page of the application
 * rather than a file. */
static int is_page(const char *url)
{
    const char *last = strrchr(url, '/');
    return strchr(last ? last : url, '.') == NULL;
}

/* Opens root + rel as a regular file inside root. Returns the descriptor
 * (OUT: *size) or -1. */
static int open_inside(const struct http_static *s, const char *rel, uint64_t *size)
{
    char path[PATH_MAX], real[PATH_MAX];
    struct stat st;
    if (snprintf(path, sizeof path, "%s%s", s->root, rel) >= (int)sizeof path)
        return -1;
    if (realpath(path, real) == NULL)
        return -1;
    /* inside: the root's path, then a slash (the root "/" ends in one already) */
    if (strncmp(real, s->root, s->rootlen) != 0 ||
        (s->root[s->rootlen - 1] != '/' && real[s->rootlen] != '/'))
        return -1;
    int fd = open(real, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return -1;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return -1;
    }
    *size = (uint64_t)st.st_size;
    return fd;
}

/* Sends an open file (MHD closes the descriptor). */
static enum MHD_Result send_fd(struct MHD_Connection *conn, int fd, uint64_t size, const char *type,
                               int immutable)
{
    struct MHD_Response *r = MHD_create_response_from_fd64(size, fd);
    if (r == NULL) {
        close(fd);
        return MHD_NO;
    }
    add_common(r, type, immutable);
    enum MHD_Result ret = MHD_queue_response(conn, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return ret;
}

/* The built-in landing page (web/static), when no directory is served. */
static enum MHD_Result serve_embedded(struct MHD_Connection *conn, const char *url)
{
    char name[STATIC_MAX_URL + 16];
    snprintf(name, sizeof name, "web/static%s", strcmp(url, "/") == 0 ? "/index.html" : url);
    const struct embed_file *f = embed_find(name);
    if (f == NULL && is_page(url))
        f = embed_find("web/static/index.html");
    if (f == NULL)
        return send_plain(conn, 404, "not found\n");
    struct MHD_Response *r =
        MHD_create_response_from_buffer(f->len, (void *)f->data, MHD_RESPMEM_PERSISTENT);
    if (r == NULL)
        return MHD_NO;
    add_common(r, mime_of(f->name), 0);
    enum MHD_Result ret = MHD_queue_response(conn, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return ret;
}

enum MHD_Result http_static_serve(const struct http_static *s, struct MHD_Connection *conn,
                                  const char *url)
{
    if (!path_ok(url))
        return send_plain(conn, 404, "not found\n");
    if (s == NULL)
        return serve_embedded(conn, url);
    char rel[STATIC_MAX_URL + 16];
    size_t n = strlen(url);
    snprintf(rel, sizeof rel, "%s%s", url, url[n - 1] == '/' ? "index.html" : "");
    uint64_t size = 0;
    int fd = open_inside(s, rel, &size);
    if (fd >= 0)
        return send_fd(conn, fd, size, mime_of(rel), strncmp(rel, "/assets/", 8) == 0);
    if (!is_page(url))
        return send_plain(conn, 404, "not found\n");
    fd = open_inside(s, "/index.html", &size);
    if (fd < 0)
        return send_plain(conn, 404, "not found\n");
    return send_fd(conn, fd, size, "text/html; charset=utf-8", 0);
}
