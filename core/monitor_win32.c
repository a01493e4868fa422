/* monitor_win32.c - the platform part of monitor.h on Windows: the atomic
 * file replace (a temporary file in the same directory, then MoveFileExW
 * with MOVEFILE_REPLACE_EXISTING, as windows_exporter's textfile collector
 * may read the file at any moment), the wall clock and a sleep. UTF-8
 * paths become UTF-16 for the wide API. Any thread. */
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>

#include "hvecho/monitor.h"

#include "hvecho/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static wchar_t *wide(const char *s)
{
    int n = MultiByteToWideChar(CP_UTF8, 0, s, -1, NULL, 0);
    if (n <= 0)
        return NULL;
    wchar_t *w = malloc((size_t)n * sizeof *w);
    if (w && MultiByteToWideChar(CP_UTF8, 0, s, -1, w, n) <= 0) {
        free(w);
        w = NULL;
    }
    return w;
}

static int fail(DWORD e, const char *what, const char *path, char *why,
                size_t whylen)
{
    if (why && whylen)
        snprintf(why, whylen, "%s %s: Windows error %lu", what, path,
                 (unsigned long)e);
    switch (e) {
    case ERROR_ACCESS_DENIED:
    case ERROR_SHARING_VIOLATION:
        return HVE_EACCES;
    case ERROR_FILE_NOT_FOUND:
    case ERROR_PATH_NOT_FOUND:
        return HVE_ENOTFOUND;
    case ERROR_NOT_ENOUGH_MEMORY:
    case ERROR_OUTOFMEMORY:
        return HVE_ENOMEM;
    default:
        return HVE_ESYS;
    }
}

int hve_file_replace(const char *path, const void *data, size_t len,
                     char *why, size_t whylen)
{
    size_t n = strlen(path) + 32;
    char *tmp = malloc(n);
    if (!tmp)
        return HVE_ENOMEM;
    snprintf(tmp, n, "%s.tmp.%lu", path, (unsigned long)GetCurrentProcessId());
    wchar_t *wtmp = wide(tmp), *wpath = wide(path);
    int err = 0;
    if (!wtmp || !wpath) {
        err = fail(ERROR_INVALID_NAME, "bad file name", path, why, whylen);
        goto out;
    }
    HANDLE h = CreateFileW(wtmp, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                           FILE_ATTRIBUTE_NORMAL, NULL);
    if (h == INVALID_HANDLE_VALUE) {
        err = fail(GetLastError(), "cannot create", tmp, why, whylen);
        goto out;
    }
    const char *p = data;
    size_t left = len;
    while (left) {
        DWORD chunk = left > 0x40000000u ? 0x40000000u : (DWORD)left, w = 0;
        if (!WriteFile(h, p, chunk, &w, NULL)) {
            err = fail(GetLastError(), "cannot write", tmp, why, whylen);
            break;
        }
        p += w;
        left -= w;
    }
    CloseHandle(h);
    if (!err && !MoveFileExW(wtmp, wpath,
                             MOVEFILE_REPLACE_EXISTING |
                                 MOVEFILE_WRITE_THROUGH))
        err = fail(GetLastError(), "cannot replace", path, why, whylen);
    if (err)
        DeleteFileW(wtmp);
out:
    free(wtmp);
    free(wpath);
    free(tmp);
    return err;
}

double hve_unix_time(void)
{
    FILETIME ft;
    GetSystemTimePreciseAsFileTime(&ft);
    ULARGE_INTEGER u;
    u.LowPart = ft.dwLowDateTime;
    u.HighPart = ft.dwHighDateTime;
    /* 100 ns ticks since 1601-01-01; the Unix epoch is 11644473600 s on. */
    return (double)u.QuadPart / 1e7 - 11644473600.0;
}

void hve_sleep_ms(int ms)
{
    if (ms > 0)
        Sleep((DWORD)ms);
}
