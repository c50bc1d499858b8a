/* api_file.c - uploaded files (docs/api.md "Files"): POST /files stores an
 * image under the SHA-256 of its bytes, GET /files/{sha256} returns it.
 * Cases refer to photos in `attachments` by the file's URL. */
#include "api_file.h"
#include "domain/file/file.h"

static int api_files_post(struct api_ctx *c)
{
    struct store_file f;
    int rc = file_put(c->api->dom, &c->who, c->req->content_type, c->req->body, c->req->body_len,
                      &f, &c->e);
    if (rc)
        return rc;
    return api__reply(c, 201,
                      json_pack("{s:s, s:s, s:s, s:I}", "id", f.id, "url",
                                arena_printf(c->a, "/api/v1/files/%s", f.id), "type", f.type,
                                "size", (json_int_t)f.size));
}

static int api_file_get(struct api_ctx *c)
{
    struct store_file f;
    int rc = store_file_get(c->api->store, c->code, &f, &c->e);
    if (rc)
        return rc;
    c->resp->status = 200;
    c->resp->content_type = arena_strdup(c->a, f.type);
    c->resp->cache = "private, max-age=31536000, immutable"; /* the id names the bytes */
    c->resp->body = f.data;                                  /* handed over */
    c->resp->len = (size_t)f.size;
    c->resp->body_heap = 1;
    return 0;
}

static const struct api_route routes[] = {
    {"/files", "POST", api_files_post, ACCESS_USER, ROUTE_RAW_BODY | ROUTE_UPLOAD},
    {"/files/{sha256}", "GET", api_file_get, ACCESS_USER, 0},
};
API_ROUTES(api_file_routes, "file", routes);
