/* monitor_posix.c - the platform part of monitor.h on POSIX: the atomic
 * file replace (a temporary file in the same directory, then rename(2)),
 * the wall clock and a sleep. Any thread. */
#define _POSIX_C_SOURCE 200809L
#include "hvecho/monitor.h"

#include "hvecho/error.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int hve_file_replace(const char *path, const void *data, size_t len,
                     char *why, size_t whylen)
{
    /* Same directory, so the rename cannot cross file systems; a name
     * without ".prom" at the end, so no textfile collector reads it. */
    size_t n = strlen(path) + 32;
    char *tmp = malloc(n);
    if (!tmp)
        return HVE_ENOMEM;
    snprintf(tmp, n, "%s.tmp.%ld", path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    int err = 0;
    const char *what = "cannot create";
    if (fd < 0) {
        err = errno;
    } else {
        const char *p = data;
        size_t left = len;
        while (left && !err) {
            ssize_t w = write(fd, p, left);
            if (w < 0 && errno != EINTR)
                err = errno, what = "cannot write";
            else if (w > 0)
                p += w, left -= (size_t)w;
        }
        if (close(fd) < 0 && !err)
            err = errno, what = "cannot write";
        if (!err && rename(tmp, path) < 0)
            err = errno, what = "cannot rename over";
        if (err)
            unlink(tmp);
    }
    if (err && why && whylen)
        snprintf(why, whylen, "%s %s: %s", what,
                 strcmp(what, "cannot rename over") == 0 ? path : tmp,
                 strerror(err));
    free(tmp);
    return err ? hve_err_from_errno(err) : 0;
}

double hve_unix_time(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void hve_sleep_ms(int ms)
{
    if (ms <= 0)
        return;
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}
