/* api_files.c - uploaded files (docs/api.md "Files"): POST /files stores an
 * image under the SHA-256 of its bytes, GET /files/{sha256} returns it.
 * Cases refer to photos in `attachments` by the file's URL. */
#include <sodium.h>
#include <string.h>
#include <strings.h>
#include "api_int.h"

/* The image types accepted and how their bytes begin. */
static const struct {
    const char *type;   /* media type, as in Content-Type */
    const char *name;   /* for messages */
    const char *magic;  /* the first bytes */
    size_t n;           /* their number */
    const char *magic8; /* bytes at offset 8 as well (WebP), NULL if none */
} kinds[] = {
    {"image/jpeg", "a JPEG", "\xff\xd8\xff", 3, NULL},
    {"image/png", "a PNG", "\x89PNG\r\n\x1a\n", 8, NULL},
    {"image/webp", "a WebP", "RIFF", 4, "WEBP"},
};

/* The kind whose media type is the Content-Type ct (parameters after ';'
 * and letter case ignored), or -1. */
static int kind_of_type(const char *ct)
{
    size_t n = ct ? strcspn(ct, "; \t") : 0;
    for (size_t i = 0; i < ARRAY_SIZE(kinds); i++)
        if (n == strlen(kinds[i].type) && strncasecmp(ct, kinds[i].type, n) == 0)
            return (int)i;
    return -1;
}

/* 1 if the n bytes at p begin as kind k's files do. */
static int magic_ok(int k, const char *p, size_t n)
{
    if (n < kinds[k].n || memcmp(p, kinds[k].magic, kinds[k].n) != 0)
        return 0;
    return kinds[k].magic8 == NULL || (n >= 12 && memcmp(p + 8, kinds[k].magic8, 4) == 0);
}

/* Checks the upload: not empty (ERR_INVALID), at most API_MAX_UPLOAD bytes
 * (ERR_TOOBIG), a Content-Type we take whose magic bytes the body has
 * (ERR_UNSUPPORTED). OUT: *kind. */
static int check_upload(struct api_ctx *c, int *kind)
{
    const struct api_req *q = c->req;
    if (q->body == NULL || q->body_len == 0)
        return err_set(&c->e, ERR_INVALID, NULL, "the body is empty: send the image's bytes");
    if (q->body_len > API_MAX_UPLOAD)
        return err_set(&c->e, ERR_TOOBIG, NULL, "the file is larger than %d bytes", API_MAX_UPLOAD);
    if ((*kind = kind_of_type(q->content_type)) < 0)
        return err_set(&c->e, ERR_UNSUPPORTED, NULL,
                       "Content-Type %s is not taken: send image/jpeg, image/png or image/webp",
                       q->content_type ? q->content_type : "(none)");
    if (!magic_ok(*kind, q->body, q->body_len))
        return err_set(&c->e, ERR_UNSUPPORTED, NULL, "the body is not %s image (%s)",
                       kinds[*kind].name, kinds[*kind].type);
    return 0;
}

/* The write job: stores the file at arg. */
static int put_job(struct store *s, void *arg, struct err *e)
{
    return store_file_put(s, arg, NULL, e);
}

int api_files_post(struct api_ctx *c)
{
    unsigned char h[crypto_hash_sha256_BYTES];
    int kind = 0, rc;
    if ((rc = check_upload(c, &kind)) != 0)
        return rc;
    struct store_file f = {.size = (int64_t)c->req->body_len,
                           .data = (char *)c->req->body,
                           .created_at = time_now(),
                           .created_by = c->who.user_id};
    str_copy(f.type, sizeof f.type, kinds[kind].type);
    crypto_hash_sha256(h, (const unsigned char *)c->req->body, c->req->body_len);
    sodium_bin2hex(f.id, sizeof f.id, h, sizeof h);
    if ((rc = store_write(c->api->store, put_job, &f, &c->e)) != 0)
        return rc;
    return api__reply(c, 201,
                      json_pack("{s:s, s:s, s:s, s:I}", "id", f.id, "url",
                                arena_printf(c->a, "/api/v1/files/%s", f.id), "type", f.type,
                                "size", (json_int_t)f.size));
}

int api_file_get(struct api_ctx *c)
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
