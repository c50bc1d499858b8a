/* cli_demo.c - `demo` builds the example database; `demo-logins` prints how
 * to sign in to it. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli_int.h"
#include "../demo/demo.h"

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

int cli_demo_cmd(struct cli *c)
{
    struct stat sb;
    struct err e = {0};
    if (stat(c->db, &sb) == 0) {
        if (!cli_flag(c, "force"))
            return cli_fail(6, "%s exists; use --force to replace it with the demo", c->db);
        remove_db(c->db);
    }
    int rc = cli_open(c, 1);
    if (rc)
        return rc;
    rc = demo_build(c->store, time_now(), &e);
    if (rc) {
        cli_close(c);
        remove_db(c->db);
        return cli_fail(7, "demo: %s", e.msg);
    }
    int64_t n = 0;
    rc = case_replay_check(c->dom, &n, &e);
    printf("demo database %s: Liujia subdistrict, %lld cases (replay check %s)\n", c->db,
           (long long)n, rc ? "FAILED" : "ok");
    cli_close(c);
    return rc ? 7 : 0;
}

int cli_demo_logins_cmd(struct cli *c)
{
    const char *port = cli_opt(c, "port");
    printf("Sign in at http://127.0.0.1:%s/ (API: POST /api/v1/auth/login).\n"
           "Every demo user's password is %s\n",
           port ? port : "8080", DEMO_PASSWORD);
    for (const struct demo_login *l = demo_logins; l->username; l++)
        printf("  %-10s %-11s %s\n", l->username, l->role, l->who);
    return 0;
}
