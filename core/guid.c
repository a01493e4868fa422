/* guid.c - GUID text form, the well-known Hyper-V VM ids and the vsock
 * port <-> service GUID rule. Pure functions: any thread. */
#include "hvecho/guid.h"
#include "attr.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

const hve_guid HVE_GUID_WILDCARD = {0, 0, 0, {0, 0, 0, 0, 0, 0, 0, 0}};
const hve_guid HVE_GUID_BROADCAST = {
    0xFFFFFFFFu, 0xFFFF, 0xFFFF,
    {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}};
const hve_guid HVE_GUID_CHILDREN = {
    0x90db8b89u, 0x0d35, 0x4f79,
    {0x8c, 0xe9, 0x49, 0xea, 0x0a, 0xc8, 0xb7, 0xcd}};
const hve_guid HVE_GUID_LOOPBACK = {
    0xe0e16197u, 0xdd56, 0x4a10,
    {0x91, 0x95, 0x5e, 0xe7, 0xa1, 0x55, 0xa8, 0x38}};
const hve_guid HVE_GUID_PARENT = {
    0xa42e7cdau, 0xd03f, 0x480c,
    {0x9c, 0xc2, 0xa4, 0xde, 0x20, 0xab, 0xb8, 0x78}};
const hve_guid HVE_GUID_SILOHOST = {
    0x36bd0c5cu, 0x7276, 0x4223,
    {0x88, 0xba, 0x7d, 0x03, 0xb6, 0x54, 0xc5, 0x68}};
const hve_guid HVE_GUID_VSOCK_TEMPLATE = {
    0x00000000u, 0xfacb, 0x11e6,
    {0xbd, 0x58, 0x64, 0x00, 0x6a, 0x79, 0x86, 0xd3}};

static const struct {
    const char *name;
    const hve_guid *guid;
} known[] = {
    {"wildcard", &HVE_GUID_WILDCARD}, {"zero", &HVE_GUID_WILDCARD},
    {"broadcast", &HVE_GUID_BROADCAST}, {"children", &HVE_GUID_CHILDREN},
    {"loopback", &HVE_GUID_LOOPBACK}, {"parent", &HVE_GUID_PARENT},
    {"silohost", &HVE_GUID_SILOHOST},
};

/* Reads exactly n hex digits. */
static bool hexn(const char *s, int n, uint64_t *out)
{
    uint64_t v = 0;
    for (int i = 0; i < n; i++) {
        int h = hve__hexval((unsigned char)s[i]);
        if (h < 0)
            return false;
        v = (v << 4) | (uint64_t)h;
    }
    *out = v;
    return true;
}

bool hve_guid_parse(const char *text, hve_guid *out)
{
    if (!text)
        return false;
    size_t len = strlen(text);
    bool braces = len > 0 && text[0] == '{';
    if (braces) {
        if (len != 38 || text[37] != '}')
            return false;
        text++;
    } else if (len != 36) {
        return false;
    }
    if (text[8] != '-' || text[13] != '-' || text[18] != '-' ||
        text[23] != '-')
        return false;
    uint64_t a, b, c, d, e;
    if (!hexn(text, 8, &a) || !hexn(text + 9, 4, &b) ||
        !hexn(text + 14, 4, &c) || !hexn(text + 19, 4, &d) ||
        !hexn(text + 24, 12, &e))
        return false;
    hve_guid g;
    g.data1 = (uint32_t)a;
    g.data2 = (uint16_t)b;
    g.data3 = (uint16_t)c;
    g.data4[0] = (uint8_t)(d >> 8);
    g.data4[1] = (uint8_t)d;
    for (int i = 0; i < 6; i++)
        g.data4[2 + i] = (uint8_t)(e >> (8 * (5 - i)));
    *out = g;
    return true;
}

char *hve_guid_format(const hve_guid *g, char *buf)
{
    snprintf(buf, HVE_GUID_STRLEN,
             "%08lX-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X",
             (unsigned long)g->data1, (unsigned)g->data2, (unsigned)g->data3,
             g->data4[0], g->data4[1], g->data4[2], g->data4[3], g->data4[4],
             g->data4[5], g->data4[6], g->data4[7]);
    return buf;
}

bool hve_guid_equal(const hve_guid *a, const hve_guid *b)
{
    return a->data1 == b->data1 && a->data2 == b->data2 &&
           a->data3 == b->data3 && memcmp(a->data4, b->data4, 8) == 0;
}

static bool name_eq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return false;
    return *a == *b;
}

bool hve_guid_by_name(const char *name, hve_guid *out)
{
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        if (name_eq(name, known[i].name)) {
            *out = *known[i].guid;
            return true;
        }
    }
    return false;
}

const char *hve_guid_name(const hve_guid *g)
{
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (hve_guid_equal(g, known[i].guid))
            return known[i].name;
    return NULL;
}

void hve_guid_from_port(uint32_t port, hve_guid *out)
{
    *out = HVE_GUID_VSOCK_TEMPLATE;
    out->data1 = port;
}

bool hve_guid_to_port(const hve_guid *g, uint32_t *port)
{
    hve_guid t = *g;
    t.data1 = 0;
    if (!hve_guid_equal(&t, &HVE_GUID_VSOCK_TEMPLATE))
        return false;
    if (port)
        *port = g->data1;
    return true;
}
