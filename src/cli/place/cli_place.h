/* cli_place.h - the commands of the place subject (docs/cli.md). */
#ifndef CHUISHAO_CLI_PLACE_H
#define CHUISHAO_CLI_PLACE_H

#include "cli/cli_int.h"

extern const struct table_part cli_place_cmds;

#endif
