/* cli_auth.h - the commands of the auth subject (docs/cli.md). */
#ifndef CHUISHAO_CLI_AUTH_H
#define CHUISHAO_CLI_AUTH_H

#include "cli/cli_int.h"

extern const struct table_part cli_auth_cmds;

#endif
