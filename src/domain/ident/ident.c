/*
 * ident.c - Chinese identifiers: ID card numbers (GB 11643), unified social
 * credit codes (GB 32100), phone numbers; validation and masking (see ident.h).
 */
#include <string.h>
#include "ident.h"

#define MAX_INPUT 64 /* longest trimmed input looked at; longer is invalid */

/* GB 11643: weights 2^(18-i) mod 11 and the check characters by S mod 11. */
static const int idcard_weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
static const char idcard_checks[] = "10X98765432";

/* GB 32100: the 31 characters in value order (no I, O, Z, S, V). */
static const char uscc_chars[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/* ---- helpers ------------------------------------------------------------ */

static int is_digit(int ch)
{
    return ch >= '0' && ch <= '9';
}

static int is_space(int ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

/* Copies in without surrounding white space into buf (size MAX_INPUT + 1).
 * Returns the trimmed length; a length > MAX_INPUT means it did not fit. */
static size_t trim_copy(const char *in, char *buf)
{
    const char *s = in ? in : "";
    while (is_space((unsigned char)*s))
        s++;
    size_t len = strlen(s);
    while (len > 0 && is_space((unsigned char)s[len - 1]))
        len--;
    size_t k = len <= MAX_INPUT ? len : MAX_INPUT;
    memcpy(buf, s, k);
    buf[k] = '\0';
    return len;
}

/* Index of the first non-digit among the first n characters of s, or -1. */
static int first_non_digit(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_digit((unsigned char)s[i]))
            return (int)i;
    return -1;
}

static int num2(const char *s)
{
    return (s[0] - '0') * 10 + (s[1] - '0');
}

/* 1 if the 8 digits at s are a real date YYYYMMDD with year 1800..2999. */
static int date_ok(const char *s)
{
    static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y = num2(s) * 100 + num2(s + 2), m = num2(s + 4), d = num2(s + 6);
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (y < 1800 || y > 2999 || m < 1 || m > 12 || d < 1)
        return 0;
    return d <= dim[m - 1] + (m == 2 && leap);
}

/* ---- ID card (GB 11643) ------------------------------------------------- */

/* The check character of the 17 digits at s. */
static char idcard_check_char(const char *s)
{
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += (s[i] - '0') * idcard_weights[i];
    return idcard_checks[sum % 11];
}

/* Builds the 18-character form of a 15- or 18-character input in buf into
 * id (size 19), checking the digits; 0 or ERR_INVALID with e set. */
static int idcard_expand(const char *buf, size_t len, char *id, struct err *e)
{
    size_t ndig = len == 15 ? 15 : 17;
    int bad = first_non_digit(buf, ndig);
    if (bad >= 0)
        return err_set(e, ERR_INVALID, "id_card", "ID card number: character %d is not a digit",
                       bad + 1);
    if (len == 15) {
        memcpy(id, buf, 6);
        memcpy(id + 6, "19", 2);
        memcpy(id + 8, buf + 6, 9);
        id[17] = idcard_check_char(id);
    } else {
        memcpy(id, buf, 17);
        id[17] = buf[17] == 'x' ? 'X' : buf[17];
        if (!is_digit((unsigned char)id[17]) && id[17] != 'X')
            return err_set(e, ERR_INVALID, "id_card",
                           "ID card number: the last character must be a digit or X");
    }
    id[18] = '\0';
    return 0;
}

int ident_idcard_check(const char *in, char out[19], struct err *e)
{
    char buf[MAX_INPUT + 1], id[19];
    size_t len = trim_copy(in, buf);
    if (len != 18 && len != 15)
        return err_set(e, ERR_INVALID, "id_card",
                       "ID card number must have 18 characters (or 15 digits), got %zu", len);
    if (idcard_expand(buf, len, id, e))
        return ERR_INVALID;
    if (!date_ok(id + 6))
        return err_set(e, ERR_INVALID, "id_card", "ID card number: bad birth date %.4s-%.2s-%.2s",
                       id + 6, id + 10, id + 12);
    char want = idcard_check_char(id);
    if (id[17] != want)
        return err_set(e, ERR_INVALID, "id_card",
                       "ID card number: wrong check character '%c', expected '%c'", id[17], want);
    memcpy(out, id, 19);
    return 0;
}

/* ---- phone numbers ------------------------------------------------------ */

/* Copies in without spaces and hyphens into buf (size MAX_INPUT + 1);
 * returns the length (> MAX_INPUT when it did not fit). */
static size_t phone_strip(const char *in, char *buf)
{
    size_t len = 0;
    for (const char *s = in ? in : ""; *s; s++) {
        if (is_space((unsigned char)*s) || *s == '-')
            continue;
        if (len < MAX_INPUT)
            buf[len] = *s;
        len++;
    }
    buf[len <= MAX_INPUT ? len : MAX_INPUT] = '\0';
    return len;
}

/* Length of the country-code prefix of s ("+86", "0086", or "86" before 11
 * digits), 0 when there is none. */
static size_t phone_prefix(const char *s, size_t len)
{
    if (strncmp(s, "+86", 3) == 0)
        return 3;
    if (strncmp(s, "0086", 4) == 0)
        return 4;
    if (strncmp(s, "86", 2) == 0 && len == 13)
        return 2;
    return 0;
}

static int is_mobile(const char *s, size_t len)
{
    return len == 11 && s[0] == '1' && s[1] >= '3' && first_non_digit(s, len) < 0;
}

/* Length of the area code of the fixed-line number s, 0 if s is not one. */
static size_t fixed_area_len(const char *s, size_t len)
{
    if (s[0] != '0' || len < 3 || first_non_digit(s, len) >= 0)
        return 0;
    size_t area = (s[1] == '1' || s[1] == '2') ? 3 : 4; /* 010, 02x; else 0xxx */
    size_t local = len - area;
    if (len <= area || local < 7 || local > 8 || s[area] < '2')
        return 0;
    return area;
}

/* Writes the normalised number into out; ERR_INTERNAL if out is too small. */
static int phone_write(const char *s, size_t len, size_t area, char *out, size_t n, struct err *e)
{
    if (len + (area ? 1 : 0) + 1 > n)
        return err_set(e, ERR_INTERNAL, "phone", "phone number: output buffer too small");
    if (area == 0) {
        memcpy(out, s, len + 1);
        return 0;
    }
    memcpy(out, s, area);
    out[area] = '-';
    memcpy(out + area + 1, s + area, len - area + 1);
    return 0;
}

int ident_phone_check(const char *in, char *out, size_t n, struct err *e)
{
    char buf[MAX_INPUT + 1];
    size_t len = phone_strip(in, buf);
    if (len == 0 || len > MAX_INPUT)
        return err_set(e, ERR_INVALID, "phone", "phone number is empty or too long");
    size_t pre = phone_prefix(buf, len);
    const char *s = buf + pre;
    len -= pre;
    if (is_mobile(s, len))
        return phone_write(s, len, 0, out, n, e);
    size_t area = pre ? 0 : fixed_area_len(s, len);
    if (area > 0)
        return phone_write(s, len, area, out, n, e);
    if (pre || s[0] == '1')
        return err_set(e, ERR_INVALID, "phone",
                       "a mobile number has 11 digits and starts with 13 to 19");
    if (s[0] == '0')
        return err_set(e, ERR_INVALID, "phone",
                       "a fixed-line number is an area code (e.g. 0871) and a 7- or 8-digit "
                       "local number not starting with 0 or 1");
    return err_set(e, ERR_INVALID, "phone",
                   "not a mobile (13800138000) or fixed-line (0871-67321111) number");
}

/* ---- unified social credit code (GB 32100) ------------------------------ */

/* Value of an upper-case code character, or -1 if it is not in the set. */
static int uscc_value(char ch)
{
    const char *p = ch ? strchr(uscc_chars, ch) : NULL;
    return p ? (int)(p - uscc_chars) : -1;
}

/* Upper-cases the 18 characters of buf and checks they are in the set. */
static int uscc_chars_ok(char *buf, struct err *e)
{
    for (int i = 0; i < 18; i++) {
        if (buf[i] >= 'a' && buf[i] <= 'z')
            buf[i] = (char)(buf[i] - 'a' + 'A');
        if (uscc_value(buf[i]) >= 0)
            continue;
        if (buf[i] && strchr("IOZSV", buf[i]))
            return err_set(e, ERR_INVALID, "uscc",
                           "credit code: character %d is '%c'; I, O, Z, S and V are never used",
                           i + 1, buf[i]);
        return err_set(e, ERR_INVALID, "uscc",
                       "credit code: character %d is not a digit or capital letter", i + 1);
    }
    return 0;
}

int ident_uscc_check(const char *in, char out[19], struct err *e)
{
    char buf[MAX_INPUT + 1];
    size_t len = trim_copy(in, buf);
    if (len != 18)
        return err_set(e, ERR_INVALID, "uscc", "credit code must have 18 characters, got %zu", len);
    if (uscc_chars_ok(buf, e))
        return ERR_INVALID;
    int sum = 0, w = 1; /* w = 3^(i-1) mod 31 */
    for (int i = 0; i < 17; i++, w = w * 3 % 31)
        sum += uscc_value(buf[i]) * w;
    char want = uscc_chars[(31 - sum % 31) % 31];
    if (buf[17] != want)
        return err_set(e, ERR_INVALID, "uscc",
                       "credit code: wrong check character '%c', expected '%c'", buf[17], want);
    memcpy(out, buf, 19);
    return 0;
}

/* ---- masking ------------------------------------------------------------ */

/* Bounded output: pieces that do not fit whole are dropped, with all after. */
struct mask_out {
    char *p;    /* destination */
    size_t n;   /* its size */
    size_t len; /* bytes written */
    int full;   /* 1 once a piece did not fit */
};

static void put(struct mask_out *o, const char *s, size_t k)
{
    if (o->full || o->len + k >= o->n) {
        o->full = 1;
        return;
    }
    memcpy(o->p + o->len, s, k);
    o->len += k;
    o->p[o->len] = '\0';
}

/* Bytes in the UTF-8 sequence starting with byte b (1 for stray bytes). */
static size_t cp_len(unsigned char b)
{
    return b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
}

static size_t cp_count(const char *s)
{
    size_t n = 0;
    for (size_t i = 0; s[i]; n++)
        for (size_t k = cp_len((unsigned char)s[i]); k > 0 && s[i]; k--)
            i++;
    return n;
}

/* Writes s into out keeping the first `head` and last `tail` code points
 * and replacing each other code point by '*'. */
static void mask_keep(const char *s, size_t head, size_t tail, char *out, size_t n)
{
    struct mask_out o = {out, n, 0, 0};
    size_t total = cp_count(s);
    if (n == 0)
        return;
    out[0] = '\0';
    for (size_t i = 0, cp = 0; s[i]; cp++) {
        size_t k = cp_len((unsigned char)s[i]);
        for (size_t j = 1; j < k; j++)
            if (s[i + j] == '\0')
                k = j;
        if (cp < head || cp + tail >= total)
            put(&o, s + i, k);
        else
            put(&o, "*", 1);
        i += k;
    }
}

/* The fallback: first and last character kept; 2 characters or fewer: all '*'. */
static void mask_generic(const char *s, char *out, size_t n)
{
    if (cp_count(s) <= 2)
        mask_keep(s, 0, 0, out, n);
    else
        mask_keep(s, 1, 1, out, n);
}

void ident_mask_phone(const char *in, char *out, size_t n)
{
    char norm[IDENT_PHONE_SIZE];
    const char *s = in ? in : "";
    if (ident_phone_check(s, norm, sizeof norm, NULL) != 0) {
        mask_generic(s, out, n);
        return;
    }
    const char *dash = strchr(norm, '-');
    if (dash)
        mask_keep(norm, (size_t)(dash - norm) + 1, 2, out, n);
    else
        mask_keep(norm, 3, 4, out, n);
}

void ident_mask_idcard(const char *in, char *out, size_t n)
{
    const char *s = in ? in : "";
    size_t len = strlen(s);
    if ((len == 18 || len == 15) && cp_count(s) == len)
        mask_keep(s, 6, 4, out, n);
    else
        mask_generic(s, out, n);
}
