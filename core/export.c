/* export.c - log rows as text and CSV (export.h). Pure functions: any
 * thread. */
#include "hvecho/export.h"

#include "hvecho/error.h"
#include "hvecho/text.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char csv_header[] =
    "time,side,conn,event,verb,text,bytes,took_ms,error,data\r\n";

const char *hve_export_header(hve_export_format f)
{
    return f == HVE_EXPORT_CSV ? csv_header : "";
}

size_t hve_csv_field(const char *s, char *out, size_t outlen)
{
    if (!s)
        s = "";
    bool quote = strpbrk(s, ",\"\r\n") != NULL;
    size_t need = 0, pos = 0;
    /* Writes c if it fits (keeping room for the NUL); counts it anyway. */
#define PUT(c)                                                               \
    do {                                                                     \
        if (pos + 1 < outlen)                                                \
            out[pos++] = (c);                                                \
        need++;                                                              \
    } while (0)
    if (quote)
        PUT('"');
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            PUT('"');
        PUT(*p);
    }
    if (quote)
        PUT('"');
#undef PUT
    if (outlen)
        out[pos] = '\0';
    return need;
}

/* A growing string; on out of memory it turns NULL and stays so. */
typedef struct sbuf {
    char *p;
    size_t len, cap;
} sbuf;

static void sb_add(sbuf *b, const char *s, size_t n)
{
    if (!b->p)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = (b->len + n + 1) * 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            free(b->p);
            b->p = NULL;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void sb_str(sbuf *b, const char *s)
{
    sb_add(b, s, strlen(s));
}

static void sb_csv(sbuf *b, const char *s, bool last)
{
    size_t n = hve_csv_field(s, NULL, 0);
    char *f = malloc(n + 1);
    if (!f) {
        free(b->p);
        b->p = NULL;
        return;
    }
    hve_csv_field(s, f, n + 1);
    sb_add(b, f, n);
    sb_str(b, last ? "\r\n" : ",");
    free(f);
}

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

/* The text with its line breaks (and other controls) as escapes, so a
 * TEXT row stays one line. */
static char *one_line(const char *s)
{
    size_t n = strlen(s);
    char *out = malloc(n * 4 + 8);
    if (out)
        hve_escape(s, n, out, n * 4 + 8);
    return out;
}

static char *row_text(const hve_export_row *r)
{
    char *text = one_line(or_empty(r->text));
    if (!text)
        return NULL;
    size_t n = strlen(text) + strlen(or_empty(r->time)) +
               strlen(or_empty(r->who)) + strlen(or_empty(r->verb)) + 32;
    char *line = malloc(n);
    if (line)
        snprintf(line, n, "%s  %-6s %-11s %s\n", or_empty(r->time),
                 or_empty(r->who), or_empty(r->verb), text);
    free(text);
    return line;
}

static char *row_csv(const hve_export_row *r)
{
    const hve_event *ev = r->ev;
    sbuf b = {malloc(256), 0, 256};
    char num[48];
    sb_csv(&b, or_empty(r->time), false);
    sb_csv(&b, ev ? hve_side_name(ev->side) : "", false);
    sb_csv(&b, or_empty(r->who), false);
    sb_csv(&b, ev ? hve_event_kind_name(ev->kind) : "", false);
    sb_csv(&b, or_empty(r->verb), false);
    sb_csv(&b, or_empty(r->text), false);
    num[0] = '\0';
    if (ev && (ev->bytes || ev->kind == HVE_EV_CLOSED))
        snprintf(num, sizeof num, "%" PRIu64, ev->bytes);
    sb_csv(&b, num, false);
    num[0] = '\0';
    if (r->took_us >= 0)
        snprintf(num, sizeof num, "%.3f", (double)r->took_us / 1000.0);
    sb_csv(&b, num, false);
    sb_csv(&b, ev && ev->err ? hve_errname(ev->err) : "", false);
    char *data = NULL;
    if (ev && ev->data && ev->len) {
        size_t cap = ev->len * 4 + 8;
        data = malloc(cap);
        if (data)
            hve_escape(ev->data, ev->len, data, cap);
    }
    sb_csv(&b, data ? data : "", true);
    free(data);
    return b.p;
}

static char *row_json(const hve_export_row *r)
{
    char *line;
    if (r->ev) {
        line = malloc(HVE_EVENT_JSON_MAX + 1);
        if (line) {
            size_t n = hve_event_json(r->ev, line, HVE_EVENT_JSON_MAX);
            memcpy(line + n, "\n", 2);
        }
        return line;
    }
    static const char head[] = "{\"event\":\"note\",\"detail\":\"";
    const char *text = or_empty(r->text);
    size_t cap = sizeof head + strlen(text) * 6 + 8;
    line = malloc(cap);
    if (line) {
        memcpy(line, head, sizeof head);
        hve_json_escape(text, strlen(text), line + sizeof head - 1,
                        cap - sizeof head - 3);
        strcat(line, "\"}\n");
    }
    return line;
}

char *hve_export_row_text(const hve_export_row *r, hve_export_format f)
{
    switch (f) {
    case HVE_EXPORT_TEXT:
        return row_text(r);
    case HVE_EXPORT_CSV:
        return row_csv(r);
    case HVE_EXPORT_JSONL:
        return row_json(r);
    }
    return NULL;
}
