/* hexdump.c - bytes as offset / hex / ASCII lines (hexdump.h). Pure
 * functions: any thread. */
#include "hvecho/hexdump.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static const char hexdigits[] = "0123456789abcdef";

/* Formats one line of n (1..16) bytes into line; returns its length. */
static size_t one_line(const unsigned char *p, size_t n, uint64_t off,
                       bool crlf, char *line)
{
    size_t k = (size_t)sprintf(line, "%08llx ", (unsigned long long)off);
    for (size_t i = 0; i < HVE_HEX_PER_LINE; i++) {
        if (i == 8)
            line[k++] = ' ';
        line[k++] = ' ';
        if (i < n) {
            line[k++] = hexdigits[p[i] >> 4];
            line[k++] = hexdigits[p[i] & 15];
        } else {
            line[k++] = ' ';
            line[k++] = ' ';
        }
    }
    line[k++] = ' ';
    line[k++] = ' ';
    line[k++] = '|';
    for (size_t i = 0; i < n; i++)
        line[k++] = p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '.';
    line[k++] = '|';
    if (crlf)
        line[k++] = '\r';
    line[k++] = '\n';
    return k;
}

size_t hve_hexdump(const void *data, size_t len, uint64_t offset,
                   unsigned flags, char *out, size_t outlen)
{
    const unsigned char *p = data;
    /* 16 offset digits + 2 + 16 x 3 + 1 + 3 + 16 + 3: under 128. */
    char line[128];
    size_t total = 0;
    bool full = false;
    if (outlen)
        out[0] = '\0';
    for (size_t at = 0; at < len; at += HVE_HEX_PER_LINE) {
        size_t n = len - at < HVE_HEX_PER_LINE ? len - at : HVE_HEX_PER_LINE;
        size_t k = one_line(p + at, n, offset + at, flags & HVE_HEX_CRLF,
                            line);
        if (!full && total + k < outlen) {
            memcpy(out + total, line, k);
            out[total + k] = '\0';
        } else {
            full = true; /* only whole lines, and none after a gap */
        }
        total += k;
    }
    return total;
}
