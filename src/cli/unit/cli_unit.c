/* cli_unit.c - `unit add|list`: departments and alliance units. */
#include <stdio.h>
#include <string.h>
#include "cli_unit.h"

static int cli_unit_list_cmd(struct cli *c)
{
    return cli_get(c, "/api/v1/units");
}

static int cli_unit_add_cmd(struct cli *c)
{
    static const char *const opts[] = {"code", "name", "kind", "uscc", "phone"};
    json_t *body = json_object();
    for (size_t i = 0; i < ARRAY_SIZE(opts); i++)
        if (cli_opt(c, opts[i]))
            json_object_set_new(body, opts[i], json_string(cli_opt(c, opts[i])));
    int rc = cli_open(c, 0);
    if (rc) {
        json_decref(body);
        return rc;
    }
    rc = cli_api(c, "POST", "/api/v1/units", body, 0, NULL);
    cli_close(c);
    return rc;
}

static const struct cli_cmd cmds[] = {
    {"unit add", cli_unit_add_cmd, "", "db as code name kind uscc phone", 0, 0,
     "add a department or alliance unit"},
    {"unit list", cli_unit_list_cmd, "", "db as", 0, 0, "list units"},
};
CLI_CMDS(cli_unit_cmds, "unit", cmds);
