/* cli_unit.h - the commands of the unit subject (docs/cli.md). */
#ifndef CHUISHAO_CLI_UNIT_H
#define CHUISHAO_CLI_UNIT_H

#include "cli/cli_int.h"

extern const struct table_part cli_unit_cmds;

#endif
