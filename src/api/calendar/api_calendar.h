/* api_calendar.h - the working calendar (/calendar/...): working
 * days, working-day arithmetic and deadlines. */
#ifndef CHUISHAO_API_CALENDAR_H
#define CHUISHAO_API_CALENDAR_H

#include "api/api_int.h"

extern const struct table_part api_calendar_routes;

#endif
