/* api_file.h - uploaded files (/files): photos of reports and work. */
#ifndef CHUISHAO_API_FILE_H
#define CHUISHAO_API_FILE_H

#include "api/api_int.h"

extern const struct table_part api_file_routes;

#endif
