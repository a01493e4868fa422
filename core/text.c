/* text.c - peer bytes made safe to show (terminal, log row, JSON), and the
 * reverse for typed messages. Pure functions: any thread. */
#include "hvecho/text.h"
#include "attr.h"

#include <stdio.h>
#include <string.h>

/* Appends piece to out if it fits with room for "..." and the NUL;
 * returns false (having written "...") when it does not. */
static bool put(char *out, size_t outlen, size_t *pos, const char *piece)
{
    size_t n = strlen(piece);
    if (*pos + n + 4 > outlen) {
        if (outlen >= 4) {
            size_t at = *pos < outlen - 4 ? *pos : outlen - 4;
            memcpy(out + at, "...", 4);
        } else if (outlen) {
            out[0] = '\0';
        }
        return false;
    }
    memcpy(out + *pos, piece, n + 1);
    *pos += n;
    return true;
}

char *hve_escape(const void *data, size_t len, char *out, size_t outlen)
{
    const unsigned char *p = data;
    size_t pos = 0;
    if (outlen)
        out[0] = '\0';
    for (size_t i = 0; i < len; i++) {
        char piece[5];
        unsigned c = p[i];
        if (c == '\n')
            strcpy(piece, "\\n");
        else if (c == '\r')
            strcpy(piece, "\\r");
        else if (c == '\t')
            strcpy(piece, "\\t");
        else if (c == '\\')
            strcpy(piece, "\\\\");
        else if (c >= 0x20 && c < 0x7f)
            piece[0] = (char)c, piece[1] = '\0';
        else
            snprintf(piece, sizeof piece, "\\x%02X", c);
        if (!put(out, outlen, &pos, piece))
            break;
    }
    return out;
}

char *hve_json_escape(const void *data, size_t len, char *out, size_t outlen)
{
    const unsigned char *p = data;
    size_t pos = 0;
    if (outlen)
        out[0] = '\0';
    for (size_t i = 0; i < len; i++) {
        char piece[8];
        unsigned c = p[i];
        if (c == '"')
            strcpy(piece, "\\\"");
        else if (c == '\\')
            strcpy(piece, "\\\\");
        else if (c == '\n')
            strcpy(piece, "\\n");
        else if (c == '\r')
            strcpy(piece, "\\r");
        else if (c == '\t')
            strcpy(piece, "\\t");
        else if (c >= 0x20 && c < 0x7f)
            piece[0] = (char)c, piece[1] = '\0';
        else
            snprintf(piece, sizeof piece, "\\u%04X", c);
        if (!put(out, outlen, &pos, piece))
            break;
    }
    return out;
}

size_t hve_unescape(const char *text, unsigned char *out, size_t outlen)
{
    size_t n = 0;
    for (const char *p = text; *p; p++) {
        int c = (unsigned char)*p;
        if (c == '\\') {
            p++;
            switch (*p) {
            case 'n':
                c = '\n';
                break;
            case 'r':
                c = '\r';
                break;
            case 't':
                c = '\t';
                break;
            case '\\':
                c = '\\';
                break;
            case 'x': {
                int h1 = hve__hexval((unsigned char)p[1]);
                int h2 = h1 < 0 ? -1 : hve__hexval((unsigned char)p[2]);
                if (h2 < 0)
                    return (size_t)-1;
                c = h1 * 16 + h2;
                p += 2;
                break;
            }
            default:
                return (size_t)-1;
            }
        }
        if (n >= outlen)
            return (size_t)-1;
        out[n++] = (unsigned char)c;
    }
    return n;
}

bool hve_size_parse(const char *text, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;
    const char *p = text;
    if (!text || *p < '0' || *p > '9')
        return false;
    for (; *p >= '0' && *p <= '9'; p++) {
        if (v > (UINT64_MAX - 9) / 10)
            return false;
        v = v * 10 + (uint64_t)(*p - '0');
    }
    uint64_t mul = 1;
    switch (*p) {
    case 'K':
    case 'k':
        mul = (uint64_t)1 << 10;
        p++;
        break;
    case 'M':
    case 'm':
        mul = (uint64_t)1 << 20;
        p++;
        break;
    case 'G':
    case 'g':
        mul = (uint64_t)1 << 30;
        p++;
        break;
    default:
        break;
    }
    if (mul > 1 && (*p == 'i' || *p == 'I'))
        p++; /* KiB, MiB, GiB */
    if (*p == 'B' || *p == 'b')
        p++;
    if (*p || (v && mul > max / v) || v * mul > max)
        return false;
    *out = v * mul;
    return true;
}

bool hve_duration_parse(const char *text, int64_t max_us, int64_t *out_us)
{
    /* Digits, an optional fraction, then the unit; by hand, so a locale's
     * decimal comma never changes what "0.5" means. */
    const char *p = text;
    double v = 0, scale = 1;
    bool digits = false;
    if (!text)
        return false;
    for (; *p >= '0' && *p <= '9'; p++, digits = true)
        v = v * 10 + (*p - '0');
    if (*p == '.')
        for (p++; *p >= '0' && *p <= '9'; p++, digits = true)
            v += (*p - '0') * (scale /= 10);
    if (!digits || v > 1e15)
        return false;
    double mul;
    if (strcmp(p, "us") == 0)
        mul = 1;
    else if (strcmp(p, "ms") == 0)
        mul = 1e3;
    else if (*p == '\0' || strcmp(p, "s") == 0)
        mul = 1e6;
    else if (strcmp(p, "m") == 0 || strcmp(p, "min") == 0)
        mul = 60e6;
    else
        return false;
    double us = v * mul + 0.5;
    if (us > (double)max_us)
        return false;
    *out_us = (int64_t)us;
    return true;
}
