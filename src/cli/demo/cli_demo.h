/* cli_demo.h - the commands of the demo subject (docs/cli.md). */
#ifndef CHUISHAO_CLI_DEMO_H
#define CHUISHAO_CLI_DEMO_H

#include "cli/cli_int.h"

extern const struct table_part cli_demo_cmds;

#endif
