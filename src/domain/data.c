/* data.c - reading the tab-separated data files built into the binary
 * (the data/ text files), for the subjects that seed reference data from them. */
#include <string.h>
#include "domain_int.h"
#include "core/embed.h"

/* Splits the next line of text (advancing *p) into up to max tab-separated
 * fields, in place. Returns the number of fields; 0 for blank or comment
 * lines; -1 at the end of the text. */
static int next_line(char **p, char **f, int max)
{
    char *s = *p;
    if (*s == '\0')
        return -1;
    char *end = strchr(s, '\n');
    *p = end ? end + 1 : s + strlen(s);
    if (end)
        *end = '\0';
    if (end > s && end[-1] == '\r')
        end[-1] = '\0';
    if (*s == '#' || *s == '\0')
        return 0;
    int n = 0;
    while (n < max) {
        f[n++] = s;
        s = strchr(s, '\t');
        if (s == NULL)
            break;
        *s++ = '\0';
    }
    return n;
}

int dom__each_row(const char *file, int (*row)(void *arg, char **f, int n, struct err *e),
                  void *arg, struct err *e)
{
    const struct embed_file *ef = embed_find(file);
    if (ef == NULL)
        return err_set(e, ERR_INTERNAL, NULL, "built-in file %s is missing", file);
    char *text = xstrndup((const char *)ef->data, ef->len), *p = text, *f[8];
    int n, rc = 0, line = 0;
    while (rc == 0 && (n = next_line(&p, f, 8)) >= 0) {
        line++;
        if (n > 0 && (rc = row(arg, f, n, e)) != 0)
            err_set(e, rc, NULL, "%s line %d is wrong", file, line);
    }
    xfree(text);
    return rc;
}
