/* file.c - uploaded files: the types taken, their magic bytes, the name
 * from the SHA-256 of the bytes. */
#include <sodium.h>
#include <string.h>
#include <strings.h>
#include "file.h"
#include "store/store.h"

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

/* Checks an upload. OUT: *kind. */
static int check_upload(const char *ct, const char *data, size_t n, int *kind, struct err *e)
{
    if (data == NULL || n == 0)
        return err_set(e, ERR_INVALID, NULL, "the body is empty: send the image's bytes");
    if (n > FILE_MAX_BYTES)
        return err_set(e, ERR_TOOBIG, NULL, "the file is larger than %d bytes", FILE_MAX_BYTES);
    if ((*kind = kind_of_type(ct)) < 0)
        return err_set(e, ERR_UNSUPPORTED, NULL,
                       "Content-Type %s is not taken: send image/jpeg, image/png or image/webp",
                       ct ? ct : "(none)");
    if (!magic_ok(*kind, data, n))
        return err_set(e, ERR_UNSUPPORTED, NULL, "the body is not %s image (%s)", kinds[*kind].name,
                       kinds[*kind].type);
    return 0;
}

/* The write job: stores the file at arg. */
static int put_job(struct store *s, void *arg, struct err *e)
{
    return store_file_put(s, arg, NULL, e);
}

int file_put(struct domain *d, const struct actor *who, const char *content_type, const char *data,
             size_t n, struct store_file *out, struct err *e)
{
    unsigned char h[crypto_hash_sha256_BYTES];
    int kind = 0, rc = check_upload(content_type, data, n, &kind, e);
    if (rc)
        return rc;
    *out = (struct store_file){.size = (int64_t)n,
                               .data = (char *)data,
                               .created_at = time_now(),
                               .created_by = who->user_id};
    str_copy(out->type, sizeof out->type, kinds[kind].type);
    crypto_hash_sha256(h, (const unsigned char *)data, n);
    sodium_bin2hex(out->id, sizeof out->id, h, sizeof h);
    return store_write(d->store, put_job, out, e);
}
