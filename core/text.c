/* text.c - peer bytes made safe to show (terminal, log row, JSON), and the
 * reverse for typed messages. Pure functions: any thread. */
#include "hvecho/text.h"
#include "attr.h"

#include <stdio.h>
#include <stdlib.h>
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

size_t hve_utf8_printable(const void *data, size_t len)
{
    const unsigned char *p = data;
    if (len < 2 || p[0] < 0xC2 || p[0] > 0xF4)
        return 0;
    size_t n = p[0] >= 0xF0 ? 4 : p[0] >= 0xE0 ? 3 : 2;
    if (len < n)
        return 0;
    uint32_t cp = p[0] & (0x7Fu >> n);
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (p[i] & 0x3Fu);
    }
    /* Overlong forms, surrogates, past U+10FFFF: not UTF-8. */
    if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
        return 0;
    /* Valid but not for showing: C1 controls, invisible format characters
     * that reorder or hide text (bidi overrides, zero widths), line and
     * paragraph separators, the byte order mark, tags, noncharacters. */
    if (cp <= 0x9F || (cp >= 0x200B && cp <= 0x200F) ||
        (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x206F) ||
        cp == 0xFEFF || (cp >= 0xFFF9 && cp <= 0xFFFB) ||
        (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE ||
        (cp >= 0xE0000 && cp <= 0xE007F))
        return 0;
    return n;
}

/* Shows at most max bytes of data (cut before a character, never inside
 * one); sets *cut when bytes were left out, and returns false when out ran
 * out of room (then it ends with "..." already). */
static bool escape_upto(const unsigned char *p, size_t len, size_t max,
                        char *out, size_t outlen, size_t *pos, bool *cut)
{
    if (outlen)
        out[0] = '\0';
    *pos = 0;
    *cut = false;
    for (size_t i = 0; i < len;) {
        char piece[8];
        unsigned c = p[i];
        size_t n = c >= 0x80 ? hve_utf8_printable(p + i, len - i) : 1;
        if (n > 1) {
            memcpy(piece, p + i, n);
            piece[n] = '\0';
        } else {
            n = 1;
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
        }
        if (i + n > max) {
            *cut = true;
            return true;
        }
        if (!put(out, outlen, pos, piece)) {
            *cut = true;
            return false;
        }
        i += n;
    }
    return true;
}

char *hve_escape(const void *data, size_t len, char *out, size_t outlen)
{
    size_t pos;
    bool cut;
    escape_upto(data, len, len, out, outlen, &pos, &cut);
    return out;
}

char *hve_show_bytes(const void *data, size_t len, size_t max, bool more,
                     char *out, size_t outlen)
{
    size_t pos;
    bool cut;
    if (escape_upto(data, len, max, out, outlen, &pos, &cut) &&
        (cut || more) && outlen >= 4) {
        /* put keeps room for "..." after every piece. */
        memcpy(out + pos, "...", 4);
    }
    return out;
}

char *hve_json_escape(const void *data, size_t len, char *out, size_t outlen)
{
    const unsigned char *p = data;
    size_t pos = 0;
    if (outlen)
        out[0] = '\0';
    for (size_t i = 0; i < len;) {
        char piece[8];
        unsigned c = p[i];
        size_t n = c >= 0x80 ? hve_utf8_printable(p + i, len - i) : 1;
        if (n > 1) {
            memcpy(piece, p + i, n); /* printable UTF-8 as is */
            piece[n] = '\0';
        } else {
            n = 1;
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
        }
        if (!put(out, outlen, &pos, piece))
            break;
        i += n;
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

/* The decimal digits text starts with (at least one), into *v; *end is
 * where they stop. False without a digit or past UINT64_MAX. */
static bool leading_digits(const char *text, uint64_t *v, const char **end)
{
    const char *p = text;
    *v = 0;
    if (!text || *p < '0' || *p > '9')
        return false;
    for (; *p >= '0' && *p <= '9'; p++) {
        if (*v > (UINT64_MAX - 9) / 10)
            return false;
        *v = *v * 10 + (uint64_t)(*p - '0');
    }
    *end = p;
    return true;
}

bool hve_size_parse(const char *text, uint64_t max, uint64_t *out)
{
    uint64_t v;
    const char *p;
    if (!leading_digits(text, &v, &p))
        return false;
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

bool hve_count_parse(const char *text, uint64_t max, uint64_t *out)
{
    uint64_t v;
    const char *p;
    if (!leading_digits(text, &v, &p))
        return false;
    if (*p || v > max)
        return false;
    *out = v;
    return true;
}

unsigned char *hve_fill_repeat(const void *text, size_t len, size_t fill)
{
    unsigned char *msg;
    size_t have;

    if (len == 0 || fill == 0)
        return NULL;
    msg = malloc(fill);
    if (!msg)
        return NULL;
    have = len < fill ? len : fill;
    memcpy(msg, text, have);
    /* doubling what is there: log2(fill / len) copies */
    while (have < fill) {
        size_t c = have < fill - have ? have : fill - have;
        memcpy(msg + have, msg, c);
        have += c;
    }
    return msg;
}
