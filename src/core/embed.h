/*
 * embed.h - files built into the binary (data/, schema migrations, web/):
 * tools/embed.c turns them into a generated C file at build time, so an
 * installed binary needs no data directory.
 */
#ifndef CHUISHAO_EMBED_H
#define CHUISHAO_EMBED_H

#include <stddef.h>

struct embed_file {
    const char *name;          /* path relative to the project root */
    const unsigned char *data; /* contents, followed by a NUL byte */
    size_t len;                /* length without the NUL */
};

/* The embedded file with this name, or NULL. */
const struct embed_file *embed_find(const char *name);
/* All embedded files, sorted by name. OUT: *n. */
const struct embed_file *embed_list(size_t *n);

#endif
