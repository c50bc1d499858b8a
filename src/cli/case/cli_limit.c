/* cli_limit.c - `limit list|set`: the time limits of cases. A running server
 * reads them at start. */
#include <stdio.h>
#include <string.h>
#include "cli_case.h"
#include "cal/cal.h"
#include "store/case/store_case.h"

static int print_limit(void *arg, const struct store_limit *l)
{
    (void)arg;
    printf("%-8s %-8s %-9s %s\n", l->category, l->priority, l->stage, l->span);
    return 0;
}

/* limit list: every time limit row. */
int cli_limit_list_cmd(struct cli *c)
{
    struct err e = {0};
    int rc = cli_open(c, 0);
    if (rc)
        return rc;
    printf("%-8s %-8s %-9s %s\n", "category", "priority", "stage", "limit");
    rc = store_limit_each(c->store, print_limit, NULL, &e);
    cli_close(c);
    return rc ? cli_fail(7, "%s", e.msg) : 0;
}

/* Checks a limit row: the category exists (or "*"), the stage is known, the
 * priority is a word, the span parses. */
static int check_limit(struct cli *c, const struct store_limit *l, struct err *e)
{
    static const char *const stages[] = {"register", "dispatch", "sign", "handle", "close"};
    struct store_category cat;
    struct cal_span span;
    int known = 0;
    for (size_t i = 0; i < ARRAY_SIZE(stages); i++)
        known |= strcmp(stages[i], l->stage) == 0;
    if (!known)
        return err_set(e, ERR_INVALID, "stage",
                       "stage must be register, dispatch, sign, handle or close");
    int rc = strcmp(l->category, "*") != 0 ? store_category_get(c->store, l->category, &cat, e) : 0;
    if (rc == ERR_NOTFOUND) {
        err_clear(e);
        return err_set(e, ERR_INVALID, "category", "no category '%s'", l->category);
    }
    if (rc)
        return rc;
    if (l->priority[0] == '\0' ||
        strspn(l->priority, "abcdefghijklmnopqrstuvwxyz_") != strlen(l->priority))
        return err_set(e, ERR_INVALID, "priority", "priority must be a lower-case word");
    if (cal_span_parse(l->span, &span))
        return err_set(e, ERR_INVALID, "span", "limit must look like 2wd, 4wh, 90wm, 24h or 30m");
    return 0;
}

/* limit set CATEGORY PRIORITY STAGE LIMIT: adds or changes one row. */
int cli_limit_set_cmd(struct cli *c)
{
    struct err e = {0};
    struct store_limit l;
    if (strlen(c->pos[0]) >= sizeof l.category || strlen(c->pos[1]) >= sizeof l.priority ||
        strlen(c->pos[2]) >= sizeof l.stage || strlen(c->pos[3]) >= sizeof l.span)
        return cli_fail(4, "an argument is too long");
    str_copy(l.category, sizeof l.category, c->pos[0]);
    str_copy(l.priority, sizeof l.priority, c->pos[1]);
    str_copy(l.stage, sizeof l.stage, c->pos[2]);
    str_copy(l.span, sizeof l.span, c->pos[3]);
    int rc = cli_open(c, 0);
    if (rc)
        return rc;
    rc = check_limit(c, &l, &e);
    if (rc == 0)
        rc = store_limit_put(c->store, &l, &e);
    if (rc == 0)
        printf("limit %s %s %s = %s (restart a running server)\n", l.category, l.priority, l.stage,
               l.span);
    cli_close(c);
    return rc ? cli_fail(rc == ERR_INVALID ? 4 : 7, "%s", e.msg) : 0;
}
