/* api_stats.h - the statistics (/stats) and the report card
 * (/report). */
#ifndef CHUISHAO_API_STATS_H
#define CHUISHAO_API_STATS_H

#include "api/api_int.h"
#include "domain/stats/stats.h"

extern const struct table_part api_stats_routes;

/* "key": {"num": n, "den": d, "value": v|null} - a rate as GET /stats and
 * GET /report write it (value rounded to 6 places, null when den is 0). */
void api_stats_rate_jw(struct jw *w, const char *key, struct stats_rate r);
/* GET /report (api_report.c). */
int api_report_get(struct api_ctx *c);

#endif
