/*
 * fail_sync.c - an LD_PRELOAD shim for tests/api/test_durability.py: while
 * the file named by $FAIL_SYNC_FLAG exists, fdatasync fails with EIO, as a
 * failing disk would; otherwise it is the C library's.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

int fdatasync(int fd)
{
    static int (*real)(int);
    const char *flag = getenv("FAIL_SYNC_FLAG");
    if (flag && access(flag, F_OK) == 0) {
        errno = EIO;
        return -1;
    }
    if (real == NULL)
        real = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
    return real(fd);
}
