/* cli_auth.c - `user add|list|passwd` and `apikey create`: accounts and keys. */
#include <stdio.h>
#include <string.h>
#include "cli_auth.h"

static int cli_user_add_cmd(struct cli *c)
{
    static const char *const strs[][2] = {{"username", "username"}, {"name", "name"},
                                          {"role", "role"},         {"password", "password"},
                                          {"grid", "grid"},         {"phone", "phone"},
                                          {"id-card", "id_card"}};
    json_t *body = json_object();
    for (size_t i = 0; i < ARRAY_SIZE(strs); i++)
        if (cli_opt(c, strs[i][0]))
            json_object_set_new(body, strs[i][1], json_string(cli_opt(c, strs[i][0])));
    const char *unit = cli_opt(c, "unit");
    int64_t uid;
    if (unit && (str_to_i64(unit, &uid) || uid <= 0)) {
        json_decref(body);
        return cli_fail(2, "--unit must be a unit id");
    }
    if (unit)
        json_object_set_new(body, "unit", json_integer(uid));
    int rc = cli_open(c, 0);
    if (rc) {
        json_decref(body);
        return rc;
    }
    rc = cli_api(c, "POST", "/api/v1/users", body, 0, NULL);
    cli_close(c);
    return rc;
}

static int cli_user_list_cmd(struct cli *c)
{
    return cli_get(c, "/api/v1/users");
}

static int cli_user_passwd_cmd(struct cli *c)
{
    struct err e = {0};
    const char *pw = cli_opt(c, "password");
    if (pw == NULL)
        return cli_fail(2, "give the new password with --password");
    int rc = cli_open(c, 0);
    if (rc)
        return rc;
    rc = auth_user_set_password(c->store, c->pos[0], pw, &e);
    if (rc == 0)
        printf("password of %s changed\n", c->pos[0]);
    cli_close(c);
    return rc ? cli_fail(rc == ERR_NOTFOUND ? 3 : 4, "%s", e.msg) : 0;
}

static int cli_apikey_create_cmd(struct cli *c)
{
    json_t *out = NULL, *body = json_object();
    if (cli_opt(c, "name") == NULL) {
        json_decref(body);
        return cli_fail(2, "give the key a name with --name NAME");
    }
    json_object_set_new(body, "name", json_string(cli_opt(c, "name")));
    if (cli_opt(c, "user"))
        json_object_set_new(body, "user", json_string(cli_opt(c, "user")));
    int rc = cli_open(c, 0);
    if (rc) {
        json_decref(body);
        return rc;
    }
    if (strcmp(c->as.username, "system") == 0 && cli_opt(c, "user") == NULL) {
        cli_close(c);
        json_decref(body);
        return cli_fail(2, "say whose key it is with --user USERNAME (or --as USERNAME)");
    }
    rc = cli_api(c, "POST", "/api/v1/apikeys", body, 1, &out);
    if (rc == 0)
        printf("API key '%s' for %s (shown once; keep it secret):\n%s\n",
               json_string_value(json_object_get(out, "name")),
               json_string_value(json_object_get(out, "user")),
               json_string_value(json_object_get(out, "key")));
    json_decref(out);
    cli_close(c);
    return rc;
}

static const struct cli_cmd cmds[] = {
    {"apikey create", cli_apikey_create_cmd, "", "db as name user", 0, 0,
     "create an API key (printed alone on the last line)"},
    {"user add", cli_user_add_cmd, "", "db as username name role password unit grid phone id-card",
     0, 0, "add a user"},
    {"user list", cli_user_list_cmd, "", "db as", 0, 0,
     "list users (phones and ID numbers masked)"},
    {"user passwd", cli_user_passwd_cmd, "USERNAME", "db password", 1, 1, "set a user's password"},
};
CLI_CMDS(cli_auth_cmds, "auth", cmds);
