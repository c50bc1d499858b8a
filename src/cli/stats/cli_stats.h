/* cli_stats.h - the commands of the stats subject (docs/cli.md). */
#ifndef CHUISHAO_CLI_STATS_H
#define CHUISHAO_CLI_STATS_H

#include "cli/cli_int.h"

extern const struct table_part cli_stats_cmds;

/* report (cli_report.c). */
int cli_report_cmd(struct cli *c);

#endif
