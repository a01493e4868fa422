/* attr.h - private: compiler attributes the core uses (empty where the
 * compiler lacks them: MSVC), and the tiny text helpers several files
 * share (a bounded string copy, a hex digit's value). */
#ifndef HVECHO_ATTR_H
#define HVECHO_ATTR_H

#if defined(__MINGW32__) && !defined(__clang__)
/* gnu_printf with __USE_MINGW_ANSI_STDIO (the toolchain file sets it):
 * plain "printf" would check against the old msvcrt (no %zu). */
#define HVE_PRINTF(fmt, args) \
    __attribute__((format(gnu_printf, fmt, args)))
#elif defined(__GNUC__) || defined(__clang__)
#define HVE_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define HVE_PRINTF(fmt, args)
#endif

#include <string.h>

/* Copies src into dst (n bytes), cutting it short if it must; always
 * NUL-terminates. */
static inline void hve__strlcpy(char *dst, size_t n, const char *src)
{
    size_t len = strlen(src);
    if (n == 0)
        return;
    if (len >= n)
        len = n - 1;
    memcpy(dst, src, len);
    dst[len] = '\0';
}

/* The value of one hex digit, or -1. */
static inline int hve__hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

#endif
