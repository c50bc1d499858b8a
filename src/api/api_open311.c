/* api_open311.c - Open311 GeoReport v2 (placeholder until implemented). */
#include "api_int.h"

void open311_handle(struct api *a, const struct api_req *req, struct api_resp *resp)
{
    static const char body[] =
        "[{\"code\":404,\"description\":\"Open311 is not implemented yet\"}]\n";
    (void)a;
    (void)req;
    resp->status = 404;
    resp->content_type = "application/json; charset=utf-8";
    resp->body = (char *)body;
    resp->len = sizeof body - 1;
}
