/* attr.h - private: compiler attributes the core uses (empty where the
 * compiler lacks them: MSVC), and a bounded string copy. */
#ifndef HVECHO_ATTR_H
#define HVECHO_ATTR_H

#if defined(__MINGW32__)
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

#endif
