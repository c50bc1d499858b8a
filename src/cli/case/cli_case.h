/* cli_case.h - the commands of cases and whistles, and of their time
 * limits (docs/cli.md). */
#ifndef CHUISHAO_CLI_CASE_H
#define CHUISHAO_CLI_CASE_H

#include "cli/cli_int.h"

extern const struct table_part cli_case_cmds;

/* limit list, limit set (cli_limit.c). */
int cli_limit_list_cmd(struct cli *c);
int cli_limit_set_cmd(struct cli *c);

#endif
