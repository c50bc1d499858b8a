/* str.c - string helpers: UTF-8 validation, bounded copies, numbers. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "core.h"

/* Length of the UTF-8 sequence starting with byte c, 0 if c cannot start one. */
static int utf8_seq_len(unsigned char c)
{
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        return 2;
    if (c >= 0xE0 && c <= 0xEF)
        return 3;
    if (c >= 0xF0 && c <= 0xF4)
        return 4;
    return 0;
}

/* 1 if the continuation bytes of the sequence at s (length k) are valid,
 * rejecting overlong forms, surrogates and code points above U+10FFFF. */
static int utf8_seq_ok(const unsigned char *s, int k)
{
    for (int i = 1; i < k; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if (k == 3 && s[0] == 0xE0 && s[1] < 0xA0)
        return 0;
    if (k == 3 && s[0] == 0xED && s[1] > 0x9F)
        return 0;
    if (k == 4 && s[0] == 0xF0 && s[1] < 0x90)
        return 0;
    if (k == 4 && s[0] == 0xF4 && s[1] > 0x8F)
        return 0;
    return 1;
}

int utf8_valid(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < n) {
        int k = utf8_seq_len(s[i]);
        if (k == 0 || s[i] == 0 || i + (size_t)k > n || !utf8_seq_ok(s + i, k))
            return 0;
        i += (size_t)k;
    }
    return 1;
}

size_t utf8_len(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

size_t str_copy(char *dst, size_t dsz, const char *src)
{
    size_t n = strlen(src);
    if (dsz > 0) {
        size_t k = n < dsz - 1 ? n : dsz - 1;
        if (k < n) /* cut before a continuation byte: never inside a UTF-8 character */
            while (k > 0 && ((unsigned char)src[k] & 0xC0) == 0x80)
                k--;
        memcpy(dst, src, k);
        dst[k] = '\0';
    }
    return n;
}

void str_utf8_fix(char *s)
{
    size_t n = strlen(s), i = 0;
    while (i < n) {
        int k = utf8_seq_len((unsigned char)s[i]);
        if (k == 0 || i + (size_t)k > n || !utf8_seq_ok((const unsigned char *)s + i, k)) {
            s[i++] = '?';
            continue;
        }
        i += (size_t)k;
    }
}

int str_to_i64(const char *s, int64_t *out)
{
    char *end;
    if (s == NULL || *s == '\0' || *s == ' ' || *s == '+')
        return ERR_INVALID;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno != 0 || *end != '\0')
        return ERR_INVALID;
    *out = v;
    return 0;
}
