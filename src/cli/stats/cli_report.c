/* cli_report.c - `chuishao report ... -o FILE`: GET /api/v1/report through
 * the API, the body written to FILE (or standard output for "-"). FILE is
 * replaced only by a complete report: the body goes to a temp file next to
 * it, renamed over it at the end; on any error FILE is left as it was. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli_stats.h"

/* Appends &name=value to path; values are plain words (dates, codes). */
static int add_param(struct cli *c, char *path, size_t n, const char *name)
{
    const char *v = cli_opt(c, name);
    if (v == NULL)
        return 0;
    if (v[strspn(v, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_.:")])
        return cli_fail(4, "%s: unexpected character in '%s'", name, v);
    size_t len = strlen(path);
    if ((size_t)snprintf(path + len, n - len, "%s%s=%s", strchr(path, '?') ? "&" : "?", name, v) >=
        n - len)
        return cli_fail(4, "%s: too long", name);
    return 0;
}

/* Writes all n bytes to fd. */
static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Writes body to file through a temp file in the same directory, renamed
 * over file when complete. Returns an exit code. */
static int write_file(const char *file, const char *body, size_t n)
{
    char tmp[4096];
    if (strcmp(file, "-") == 0)
        return fwrite(body, 1, n, stdout) == n && fflush(stdout) == 0
                   ? 0
                   : cli_fail(1, "cannot write to standard output");
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp-XXXXXX", file) >= sizeof tmp)
        return cli_fail(4, "-o: the file name is too long");
    int fd = mkstemp(tmp);
    if (fd < 0)
        return cli_fail(1, "%s: %s", file, strerror(errno));
    mode_t mask = umask(0);
    umask(mask);
    int bad = fchmod(fd, 0666 & ~mask) != 0 || write_all(fd, body, n) != 0 || fsync(fd) != 0;
    int err = errno;
    if (close(fd) != 0 && !bad)
        bad = 1, err = errno;
    if (!bad && rename(tmp, file) != 0)
        bad = 1, err = errno;
    if (bad) {
        unlink(tmp);
        return cli_fail(1, "%s: %s", file, strerror(err));
    }
    return 0;
}

int cli_report_cmd(struct cli *c)
{
    static const char *const opts[] = {"from", "to", "format", "lang", "scope"};
    char path[1024] = "/api/v1/report";
    struct api_resp resp;
    if (strcmp(c->pos[0], "-o") != 0)
        return cli_fail(2, "usage: chuishao report --from DATE --to DATE [--format "
                           "html|md|xlsx|json] [--lang zh-Hans|zh-Hant|en] [--scope SCOPE] "
                           "-o FILE");
    for (size_t i = 0; i < ARRAY_SIZE(opts); i++)
        if (add_param(c, path, sizeof path, opts[i]))
            return 4;
    int rc = cli_open(c, 0);
    if (rc)
        return rc;
    struct arena *a = arena_new();
    rc = cli_api_fetch(c, "GET", path, a, &resp);
    if (rc == 0)
        rc = write_file(c->pos[1], resp.body, resp.len);
    if (resp.body_heap)
        xfree(resp.body);
    arena_free(a);
    cli_close(c);
    return rc;
}
