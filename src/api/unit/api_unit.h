/* api_unit.h - units: departments and alliance units (/units). */
#ifndef CHUISHAO_API_UNIT_H
#define CHUISHAO_API_UNIT_H

#include "api/api_int.h"

extern const struct table_part api_unit_routes;

#endif
