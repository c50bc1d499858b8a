/* cli_demo.c - `demo` builds the example database; `demo-logins` prints how
 * to sign in to it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "cli_demo.h"
#include "demo/demo.h"
#include "domain/case/case.h"

/* Removes a database file and its WAL companions. */
static void remove_db(const char *path)
{
    char side[4096];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}

/* The progress bar of a long generation, on stderr. */
struct bar {
    int64_t start; /* when it began (ms) */
    int64_t last;  /* last drawn (ms) */
    int tty;       /* 1: redraw in place; 0: a line every 10% */
    int64_t shown; /* last tenth printed (not a tty) */
};

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void progress(void *arg, int64_t done, int64_t total)
{
    struct bar *b = arg;
    int64_t t = now_ms(), el = t - b->start;
    if (total <= 0 || (b->tty && t - b->last < 200 && done < total) ||
        (!b->tty && done * 10 / total == b->shown && done < total))
        return;
    b->last = t;
    b->shown = done * 10 / total;
    double rate = el > 0 ? (double)done * 1000.0 / (double)el : 0;
    int64_t eta = rate > 0 ? (int64_t)((double)(total - done) / rate) : 0;
    char fill[41];
    int w = (int)(done * 40 / total);
    memset(fill, '#', (size_t)w);
    memset(fill + w, '.', (size_t)(40 - w));
    fill[40] = '\0';
    fprintf(stderr, "%s[%s] %3d%% %lld/%lld cases, %.0f/s, %lldm%02llds left%s", b->tty ? "\r" : "",
            fill, (int)(done * 100 / total), (long long)done, (long long)total, rate,
            (long long)(eta / 60), (long long)(eta % 60), b->tty && done < total ? "" : "\n");
    fflush(stderr);
}

/* A later phase of a long generation, with the time so far. */
static void phase(void *arg, const char *what)
{
    struct bar *b = arg;
    int64_t el = (now_ms() - b->start) / 1000;
    if (b->last > 0) /* a progress bar was drawn: say what comes next */
        fprintf(stderr, "%lldm%02llds: %s\n", (long long)(el / 60), (long long)(el % 60), what);
}

/* --cases N and --years A-B. */
static int demo_options(struct cli *c, struct demo_opts *o)
{
    const char *n = cli_opt(c, "cases"), *y = cli_opt(c, "years");
    int64_t v;
    o->cases = -1;
    o->first_year = 2019;
    o->last_year = 2020;
    if (n && (str_to_i64(n, &v) || v < 0 || v > 10000000))
        return cli_fail(4, "--cases must be a number from 0 to 10000000");
    if (n)
        o->cases = v;
    if (y) {
        char *end;
        long a = strtol(y, &end, 10), b = *end == '-' ? strtol(end + 1, &end, 10) : a;
        if (*end || a < 2000 || b > 2100 || b < a)
            return cli_fail(4, "--years must be YEAR or FIRST-LAST (2000-2100), e.g. 2019-2020");
        o->first_year = (int)a;
        o->last_year = (int)b;
    }
    return 0;
}

static int cli_demo_cmd(struct cli *c)
{
    struct stat sb;
    struct err e = {0};
    struct demo_opts o;
    struct bar bar = {now_ms(), 0, isatty(2), -1};
    if (demo_options(c, &o))
        return 4;
    o.progress = progress;
    o.phase = phase;
    o.progress_arg = &bar;
    if (stat(c->db, &sb) == 0) {
        if (!cli_flag(c, "force"))
            return cli_fail(6, "%s exists; use --force to replace it with the demo", c->db);
        remove_db(c->db);
    }
    int rc = cli_open(c, 1);
    if (rc)
        return rc;
    rc = demo_build(c->store, time_now(), &o, &e);
    if (rc) {
        cli_close(c);
        remove_db(c->db);
        return cli_fail(7, "demo: %s", e.msg);
    }
    int64_t n = 0;
    phase(&bar, "replay check of every case");
    rc = case_replay_check(c->dom, &n, &e);
    printf("demo database %s: Liujia subdistrict, %lld cases (replay check %s)\n", c->db,
           (long long)n, rc ? "FAILED" : "ok");
    cli_close(c);
    return rc ? 7 : 0;
}

static int cli_demo_logins_cmd(struct cli *c)
{
    const char *port = cli_opt(c, "port");
    printf("Sign in at http://127.0.0.1:%s/ (API: POST /api/v1/auth/login).\n"
           "Every demo user's password is %s\n",
           port ? port : "8080", DEMO_PASSWORD);
    for (const struct demo_login *l = demo_logins; l->username; l++)
        printf("  %-10s %-11s %s\n", l->username, l->role, l->who);
    return 0;
}

static const struct cli_cmd cmds[] = {
    {"demo", cli_demo_cmd, "", "db force cases years", 0, 0,
     "create a database with the Liujia example (--cases N: N generated cases)"},
    {"demo-logins", cli_demo_logins_cmd, "", "db port", 0, 0, "print the demo's sign-in names"},
};
CLI_CMDS(cli_demo_cmds, "demo", cmds);
