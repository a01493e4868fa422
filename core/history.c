/* history.c - most-recently-used targets and listen addresses per kind,
 * and their settings text (history.h). A few short lists: plain arrays,
 * newest first.
 *
 * Threads: the owner of the hve_history only (no locks). */
#include "hvecho/history.h"

#include "hvecho/text.h"

#include <stdlib.h>
#include <string.h>

typedef struct kind_list {
    char name[HVE_HISTORY_KIND_MAX + 1];
    size_t n;
    char **v; /* per_kind slots, newest first */
} kind_list;

struct hve_history {
    unsigned per_kind;
    size_t nkinds;
    kind_list kinds[HVE_HISTORY_KINDS];
};

hve_history *hve_history_new(unsigned per_kind)
{
    if (per_kind == 0)
        per_kind = HVE_HISTORY_PER_KIND;
    if (per_kind > 100)
        per_kind = 100;
    hve_history *h = calloc(1, sizeof *h);
    if (h)
        h->per_kind = per_kind;
    return h;
}

void hve_history_free(hve_history *h)
{
    if (!h)
        return;
    for (size_t k = 0; k < h->nkinds; k++) {
        for (size_t i = 0; i < h->kinds[k].n; i++)
            free(h->kinds[k].v[i]);
        free(h->kinds[k].v);
    }
    free(h);
}

static bool kind_ok(const char *kind)
{
    size_t n = 0;
    for (const char *p = kind; *p; p++, n++) {
        char c = *p;
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                  (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
        if (!ok)
            return false;
    }
    return n > 0 && n <= HVE_HISTORY_KIND_MAX;
}

static kind_list *find(const hve_history *h, const char *kind)
{
    for (size_t k = 0; k < h->nkinds; k++)
        if (strcmp(h->kinds[k].name, kind) == 0)
            return (kind_list *)&h->kinds[k];
    return NULL;
}

/* The list of kind, made if needed; NULL for a bad kind or no room. */
static kind_list *find_or_make(hve_history *h, const char *kind)
{
    kind_list *l = find(h, kind);
    if (l || !kind_ok(kind) || h->nkinds == HVE_HISTORY_KINDS)
        return l;
    l = &h->kinds[h->nkinds];
    l->v = calloc(h->per_kind, sizeof *l->v);
    if (!l->v)
        return NULL;
    strcpy(l->name, kind);
    l->n = 0;
    h->nkinds++;
    return l;
}

static long index_of(const kind_list *l, const char *value)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i], value) == 0)
            return (long)i;
    return -1;
}

static bool value_ok(const char *value)
{
    size_t n = value ? strlen(value) : 0;
    return n > 0 && n <= HVE_HISTORY_VALUE_MAX;
}

/* Puts value at position `at` (0 = newest, or l->n = oldest), removing an
 * equal entry first and the oldest when full. */
static bool insert(hve_history *h, kind_list *l, const char *value,
                   bool newest)
{
    long old = index_of(l, value);
    char *copy;
    if (old >= 0) {
        if (!newest)
            return false; /* loading: the newer copy is there already */
        copy = l->v[old];
        memmove(&l->v[old], &l->v[old + 1],
                (l->n - (size_t)old - 1) * sizeof *l->v);
        l->n--;
    } else {
        if (!newest && l->n == h->per_kind)
            return false;
        copy = malloc(strlen(value) + 1);
        if (!copy)
            return false;
        strcpy(copy, value);
        if (l->n == h->per_kind)
            free(l->v[--l->n]);
    }
    if (newest) {
        memmove(&l->v[1], &l->v[0], l->n * sizeof *l->v);
        l->v[0] = copy;
    } else {
        l->v[l->n] = copy;
    }
    l->n++;
    return true;
}

bool hve_history_add(hve_history *h, const char *kind, const char *value)
{
    if (!value_ok(value))
        return false;
    kind_list *l = find_or_make(h, kind);
    return l && insert(h, l, value, true);
}

bool hve_history_remove(hve_history *h, const char *kind, const char *value)
{
    kind_list *l = find(h, kind);
    long i = l && value ? index_of(l, value) : -1;
    if (i < 0)
        return false;
    free(l->v[i]);
    memmove(&l->v[i], &l->v[i + 1], (l->n - (size_t)i - 1) * sizeof *l->v);
    l->n--;
    return true;
}

size_t hve_history_count(const hve_history *h, const char *kind)
{
    const kind_list *l = find(h, kind);
    return l ? l->n : 0;
}

const char *hve_history_get(const hve_history *h, const char *kind,
                            size_t i)
{
    const kind_list *l = find(h, kind);
    return l && i < l->n ? l->v[i] : NULL;
}

/* Every byte escapes to at most 4 ("\xHH"), plus room for "...". */
#define ESC_MAX (HVE_HISTORY_VALUE_MAX * 4 + 8)

char *hve_history_save(const hve_history *h)
{
    size_t cap = 1;
    for (size_t k = 0; k < h->nkinds; k++)
        for (size_t i = 0; i < h->kinds[k].n; i++)
            cap += strlen(h->kinds[k].name) + 2 +
                   strlen(h->kinds[k].v[i]) * 4;
    char *text = malloc(cap);
    char *esc = malloc(ESC_MAX);
    if (!text || !esc) {
        free(text);
        free(esc);
        return NULL;
    }
    size_t pos = 0;
    for (size_t k = 0; k < h->nkinds; k++) {
        const kind_list *l = &h->kinds[k];
        for (size_t i = 0; i < l->n; i++) {
            hve_escape(l->v[i], strlen(l->v[i]), esc, ESC_MAX);
            size_t kn = strlen(l->name), en = strlen(esc);
            memcpy(text + pos, l->name, kn);
            text[pos + kn] = '\t';
            memcpy(text + pos + kn + 1, esc, en);
            text[pos + kn + 1 + en] = '\n';
            pos += kn + en + 2;
        }
    }
    text[pos] = '\0';
    free(esc);
    return text;
}

size_t hve_history_load(hve_history *h, const char *text)
{
    size_t taken = 0;
    char kind[HVE_HISTORY_KIND_MAX + 1];
    char *esc = malloc(ESC_MAX);
    char *value = malloc(HVE_HISTORY_VALUE_MAX + 1);
    for (const char *p = text; esc && value && p && *p;) {
        const char *end = strchr(p, '\n');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        const char *tab = memchr(p, '\t', len);
        /* KIND<TAB>ESCAPED; a CR before the newline is allowed (a file
         * that went through Windows line ends). */
        size_t vlen = tab ? len - (size_t)(tab - p) - 1 : 0;
        if (vlen && tab[vlen] == '\r')
            vlen--;
        if (tab && (size_t)(tab - p) <= HVE_HISTORY_KIND_MAX && vlen &&
            vlen < ESC_MAX) {
            memcpy(kind, p, (size_t)(tab - p));
            kind[tab - p] = '\0';
            memcpy(esc, tab + 1, vlen);
            esc[vlen] = '\0';
            size_t n = hve_unescape(esc, (unsigned char *)value,
                                    HVE_HISTORY_VALUE_MAX);
            if (n != (size_t)-1 && n > 0 && memchr(value, 0, n) == NULL) {
                value[n] = '\0';
                kind_list *l = find_or_make(h, kind);
                if (l && insert(h, l, value, false))
                    taken++;
            }
        }
        p = end ? end + 1 : NULL;
    }
    free(esc);
    free(value);
    return taken;
}
