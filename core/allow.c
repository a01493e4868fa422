/* allow.c - the server's --allow list (allow.h): parsing the list once,
 * matching each accepted peer against it.
 *
 * IP addresses are parsed here, not with inet_pton, so the rules are the
 * same on every platform and the parser can be fuzzed on its own. Every
 * IP is kept as 16 bytes: IPv4 as ::ffff:a.b.c.d, so a v4 entry matches a
 * v4 peer whether the listener is v4 or dual-stack.
 *
 * Pure functions on caller-owned data; a parsed list is read-only, so any
 * thread may match against it. */
#include "hvecho/allow.h"
#include "attr.h"
#include "hvecho/error.h"
#include "hvecho/guid.h"
#include "hvecho/text.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ENTRY_MAX 80 /* longest entry text: a GUID in braces, v6/len */

typedef enum entry_kind { E_IP, E_CID, E_VM, E_UID } entry_kind;

typedef struct entry {
    entry_kind kind;
    uint8_t ip[16];    /* E_IP */
    unsigned prefix;   /* E_IP: leading bits that must match, 0..128 */
    uint32_t cid;      /* E_CID; E_VM: the vsock CID of that name, or
                          HVE_CID_ANY when it has none */
    hve_guid vmid;     /* E_VM */
    unsigned long uid; /* E_UID */
} entry;

struct hve_allow {
    size_t count;
    entry *e;
};

static bool is_digit(int c)
{
    return c >= '0' && c <= '9';
}

/* A whole decimal number up to max, no sign, no spaces. */
static bool parse_dec(const char *s, unsigned long max, unsigned long *out)
{
    unsigned long v = 0;
    if (!is_digit((unsigned char)*s))
        return false;
    for (; *s; s++) {
        if (!is_digit((unsigned char)*s))
            return false;
        unsigned d = (unsigned)(*s - '0');
        if (v > (max - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

/* Dotted quad, all of s: four parts of 1-3 digits, each at most 255. */
static bool parse_v4(const char *s, uint8_t out[4])
{
    for (int i = 0; i < 4; i++) {
        unsigned v = 0;
        int digits = 0;
        while (is_digit((unsigned char)*s) && digits < 4) {
            v = v * 10 + (unsigned)(*s++ - '0');
            digits++;
        }
        if (digits == 0 || digits > 3 || v > 255)
            return false;
        out[i] = (uint8_t)v;
        if (i < 3 && *s++ != '.')
            return false;
    }
    return *s == '\0';
}

/* RFC 4291 text, all of s: up to eight groups of 1-4 hex digits, one
 * "::" for a run of zero groups, an optional dotted-quad tail. */
static bool parse_v6(const char *s, uint8_t out[16])
{
    uint16_t w[8];
    int n = 0, gap = -1;
    const char *p = s;
    if (*p == ':') {
        if (p[1] != ':')
            return false;
        p += 2;
        gap = 0;
    }
    while (*p) {
        const char *q = p;
        while (hve__hexval((unsigned char)*q) >= 0)
            q++;
        if (*q == '.') {
            /* The dotted tail ends the text and fills two groups. */
            uint8_t v4[4];
            if (n > 6 || !parse_v4(p, v4))
                return false;
            w[n++] = (uint16_t)(v4[0] << 8 | v4[1]);
            w[n++] = (uint16_t)(v4[2] << 8 | v4[3]);
            break;
        }
        if (q == p || q - p > 4 || n >= 8)
            return false;
        unsigned v = 0;
        for (; p < q; p++)
            v = v * 16 + (unsigned)hve__hexval((unsigned char)*p);
        w[n++] = (uint16_t)v;
        if (!*p)
            break;
        if (*p++ != ':')
            return false;
        if (*p == ':') {
            if (gap >= 0)
                return false;
            gap = n;
            p++;
        } else if (!*p) {
            return false; /* one trailing colon */
        }
    }
    if (gap < 0 ? n != 8 : n > 7)
        return false;
    memset(out, 0, 16);
    int tail = gap < 0 ? 0 : n - gap;
    for (int i = 0; i < n; i++) {
        int at = (gap >= 0 && i >= gap) ? 8 - tail + (i - gap) : i;
        out[2 * at] = (uint8_t)(w[i] >> 8);
        out[2 * at + 1] = (uint8_t)(w[i] & 0xff);
    }
    return true;
}

/* An IPv4 or IPv6 address as 16 bytes; *v4 says which it was. */
static bool parse_ip(const char *s, uint8_t out[16], bool *v4)
{
    uint8_t a[4];
    if (parse_v4(s, a)) {
        memset(out, 0, 10);
        out[10] = out[11] = 0xff;
        memcpy(out + 12, a, 4);
        *v4 = true;
        return true;
    }
    *v4 = false;
    return parse_v6(s, out);
}

/* "addr", "addr/len", "[v6]", "[v6]/len" into e; false when not an IP
 * entry at all, *bad_len set when it is one with a bad prefix length. */
static bool parse_net(const char *text, entry *e, bool *bad_len)
{
    char buf[ENTRY_MAX];
    const char *slash = strchr(text, '/');
    size_t alen = slash ? (size_t)(slash - text) : strlen(text);
    if (alen >= sizeof buf)
        return false;
    memcpy(buf, text, alen);
    buf[alen] = '\0';
    char *addr = buf;
    if (addr[0] == '[') {
        if (alen < 2 || addr[alen - 1] != ']')
            return false;
        addr[alen - 1] = '\0';
        addr++;
    }
    bool v4;
    if (!parse_ip(addr, e->ip, &v4) || (v4 && addr != buf))
        return false;
    unsigned max = v4 ? 32 : 128;
    unsigned long len = max;
    if (slash && !parse_dec(slash + 1, max, &len)) {
        *bad_len = true;
        return false;
    }
    e->kind = E_IP;
    e->prefix = (unsigned)len + (v4 ? 96 : 0);
    return true;
}

static bool prefix_match(const uint8_t *a, const uint8_t *b, unsigned bits)
{
    unsigned whole = bits / 8, rest = bits % 8;
    if (memcmp(a, b, whole) != 0)
        return false;
    if (rest == 0)
        return true;
    uint8_t mask = (uint8_t)(0xff << (8 - rest));
    return (a[whole] & mask) == (b[whole] & mask);
}

/* One entry (trimmed, NUL-terminated) into e. */
static int parse_entry(const char *t, entry *e, char *why, size_t whylen)
{
    unsigned long v;
    bool bad_len = false;
    memset(e, 0, sizeof *e);
    if (strncmp(t, "cid:", 4) == 0 || is_digit((unsigned char)*t)) {
        const char *num = t[0] == 'c' ? t + 4 : t;
        if (parse_dec(num, 0xFFFFFFFFul, &v)) {
            e->kind = E_CID;
            e->cid = (uint32_t)v;
            return 0;
        }
        if (t[0] == 'c')
            goto bad;
    }
    if (strncmp(t, "uid:", 4) == 0) {
        if (!parse_dec(t + 4, 0xFFFFFFFFul, &v))
            goto bad;
        e->kind = E_UID;
        e->uid = v;
        return 0;
    }
    if (hve_guid_parse(t, &e->vmid) || hve_guid_by_name(t, &e->vmid)) {
        e->kind = E_VM;
        e->cid = HVE_CID_ANY;
        if (hve_guid_equal(&e->vmid, &HVE_GUID_LOOPBACK))
            e->cid = HVE_CID_LOCAL;
        else if (hve_guid_equal(&e->vmid, &HVE_GUID_PARENT))
            e->cid = HVE_CID_HOST;
        return 0;
    }
    if (parse_net(t, e, &bad_len))
        return 0;
bad:
    if (why && whylen) {
        char esc[ENTRY_MAX * 4];
        hve_escape(t, strlen(t), esc, sizeof esc);
        snprintf(why, whylen,
                 bad_len ? "allow list entry '%s': the prefix length is 0 to "
                           "32 for IPv4, 0 to 128 for IPv6"
                         : "allow list entry '%s' is not an IP address or "
                           "network, a vsock CID, a VM GUID or uid:N",
                 esc);
    }
    return HVE_EBADINPUT;
}

static bool is_space(int c)
{
    return c == ' ' || c == '\t';
}

int hve_allow_parse(const char *list, hve_allow **out, char *why,
                    size_t whylen)
{
    *out = NULL;
    if (why && whylen)
        why[0] = '\0';
    size_t n = 1;
    for (const char *p = list; *p; p++)
        n += *p == ',';
    if (n > HVE_ALLOW_MAX) {
        if (why && whylen)
            snprintf(why, whylen, "the allow list has more than %d entries",
                     HVE_ALLOW_MAX);
        return HVE_EBADINPUT;
    }
    hve_allow *a = malloc(sizeof *a);
    entry *ents = a ? malloc(n * sizeof *ents) : NULL;
    if (!ents) {
        free(a);
        if (why && whylen)
            snprintf(why, whylen, "out of memory");
        return HVE_ENOMEM;
    }
    a->count = 0;
    a->e = ents;
    const char *p = list;
    for (;;) {
        const char *end = strchr(p, ',');
        if (!end)
            end = p + strlen(p);
        const char *b = p, *e = end;
        while (b < e && is_space((unsigned char)*b))
            b++;
        while (e > b && is_space((unsigned char)e[-1]))
            e--;
        char text[ENTRY_MAX];
        size_t len = (size_t)(e - b);
        if (len == 0 || len >= sizeof text) {
            if (why && whylen) {
                if (len == 0)
                    snprintf(why, whylen, "the allow list has an empty "
                                          "entry (give addresses, networks, "
                                          "CIDs, VM GUIDs or uid:N, "
                                          "separated by commas)");
                else
                    snprintf(why, whylen, "an allow list entry is longer "
                                          "than %d characters",
                             ENTRY_MAX - 1);
            }
            hve_allow_free(a);
            return HVE_EBADINPUT;
        }
        memcpy(text, b, len);
        text[len] = '\0';
        int err = parse_entry(text, &a->e[a->count], why, whylen);
        if (err) {
            hve_allow_free(a);
            return err;
        }
        a->count++;
        if (!*end)
            break;
        p = end + 1;
    }
    *out = a;
    return 0;
}

/* A unix peer's uid, from the "pid N uid N" hve__net_accept writes. */
static bool unix_uid(const hve_addr *peer, unsigned long *uid)
{
    const char *u = strstr(peer->path, "uid ");
    return u && parse_dec(u + 4, 0xFFFFFFFFul, uid);
}

bool hve_allow_match(const hve_allow *a, const hve_addr *peer)
{
    if (!a)
        return true;
    uint8_t ip[16];
    bool v4, have_ip = false;
    unsigned long uid = 0;
    bool have_uid = false;
    if (peer->family == HVE_FAM_TCP)
        have_ip = parse_ip(peer->host, ip, &v4);
    else if (peer->family == HVE_FAM_UNIX)
        have_uid = unix_uid(peer, &uid);
    for (size_t i = 0; i < a->count; i++) {
        const entry *e = &a->e[i];
        switch (e->kind) {
        case E_IP:
            if (have_ip && prefix_match(e->ip, ip, e->prefix))
                return true;
            break;
        case E_CID:
            if (peer->family == HVE_FAM_VSOCK && peer->cid == e->cid)
                return true;
            break;
        case E_VM:
            if (peer->family == HVE_FAM_HYPERV &&
                hve_guid_equal(&peer->vmid, &e->vmid))
                return true;
            if (peer->family == HVE_FAM_VSOCK && e->cid != HVE_CID_ANY &&
                peer->cid == e->cid)
                return true;
            break;
        case E_UID:
            if (have_uid && uid == e->uid)
                return true;
            break;
        }
    }
    return false;
}

void hve_allow_free(hve_allow *a)
{
    if (a) {
        free(a->e);
        free(a);
    }
}
