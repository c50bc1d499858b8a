/* cli_calendar.h - the commands of the calendar subject (docs/cli.md). */
#ifndef CHUISHAO_CLI_CALENDAR_H
#define CHUISHAO_CLI_CALENDAR_H

#include "cli/cli_int.h"

extern const struct table_part cli_calendar_cmds;

#endif
