/* api_place.h - the place tree (/places): boundaries, import and
 * export, locating a point, grid teams. */
#ifndef CHUISHAO_API_PLACE_H
#define CHUISHAO_API_PLACE_H

#include "api/api_int.h"

extern const struct table_part api_place_routes;

#endif
