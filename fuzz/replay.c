/* replay.c - runs one fuzz target without libFuzzer (fuzz/README.md): built
 * with gcc and the test build's sanitizers into build/asan/tests/
 * test_fuzz_<target>, it feeds LLVMFuzzerTestOneInput every file named on
 * the command line (or in a folder named there), or, with no arguments,
 * every file of fuzz/corpus/<target>/ and fuzz/regressions/<target>/
 * (found from the working directory, else from the binary's place in
 * build/asan/tests/). One line "[       OK ] FILE" per input; a failed
 * invariant or a sanitizer report aborts, so the exit status is non-zero. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "fuzz.h"

#ifndef FUZZ_NAME
#error "build with -DFUZZ_NAME='\"<target>\"'"
#endif

#define REPLAY_MAX (16 * 1024 * 1024) /* larger files are refused */

/* Defined by the targets that need a set-up (weak: the others do not). */
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

/* Runs one file through the target. 0, or 1 if it cannot be read. */
static int run_file(const char *file)
{
    FILE *f = fopen(file, "rb");
    char *data = xmalloc(REPLAY_MAX + 1);
    size_t n = f ? fread(data, 1, REPLAY_MAX + 1, f) : 0;
    int bad = f == NULL || ferror(f) || n > REPLAY_MAX;
    if (f)
        fclose(f);
    if (bad) {
        fprintf(stderr, "replay: cannot read %s (or it is over %d bytes)\n", file, REPLAY_MAX);
        xfree(data);
        return 1;
    }
    printf("[ RUN      ] %s\n", file);
    fflush(stdout);
    LLVMFuzzerTestOneInput((const uint8_t *)data, n);
    printf("[       OK ] %s\n", file);
    fflush(stdout);
    xfree(data);
    return 0;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs every file of a folder (not dot files), in name order. Returns the
 * number of failures; *count gets the inputs run. */
static int run_dir(const char *dir, int *count)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    char **names = NULL, path[4096];
    size_t n = 0, cap = 0;
    int fails = 0;
    if (d == NULL)
        return fprintf(stderr, "replay: cannot open %s\n", dir), 1;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            names = xrealloc(names, cap * sizeof *names);
        }
        names[n++] = xstrdup(de->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, name_cmp);
    for (size_t i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        fails += run_file(path);
        (*count)++;
        xfree(names[i]);
    }
    xfree(names);
    return fails;
}

static int is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Runs a file or every file of a folder. */
static int run_path(const char *p, int *count)
{
    if (is_dir(p))
        return run_dir(p, count);
    (*count)++;
    return run_file(p);
}

/* The repository root as a prefix of paths: "" if the working directory
 * holds fuzz/, else three folders above the binary (build/asan/tests/). */
static void find_root(const char *argv0, char *root, size_t n)
{
    const char *slash = strrchr(argv0, '/');
    root[0] = '\0';
    if (!is_dir("fuzz/corpus") && slash)
        snprintf(root, n, "%.*s/../../../", (int)(slash - argv0), argv0);
}

int main(int argc, char **argv)
{
    char root[2048], dir[4200];
    int fails = 0, count = 0;
    if (LLVMFuzzerInitialize)
        LLVMFuzzerInitialize(&argc, &argv);
    if (argc > 1) {
        for (int i = 1; i < argc; i++)
            fails += run_path(argv[i], &count);
    } else {
        find_root(argv[0], root, sizeof root);
        snprintf(dir, sizeof dir, "%sfuzz/corpus/%s", root, FUZZ_NAME);
        fails += run_dir(dir, &count); /* the corpus must be there */
        snprintf(dir, sizeof dir, "%sfuzz/regressions/%s", root, FUZZ_NAME);
        if (is_dir(dir))
            fails += run_dir(dir, &count);
        if (count == 0) {
            fprintf(stderr, "replay: no inputs for %s\n", FUZZ_NAME);
            fails++;
        }
    }
    printf("%s: %d inputs replayed, %d failed\n", FUZZ_NAME, count, fails);
    return fails ? 1 : 0;
}
