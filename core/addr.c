/* addr.c - the address rules, in one place: client
 * targets, server listen addresses and services, per platform, and their
 * text forms. Pure functions: any thread. */
#include "hvecho/addr.h"
#include "hvecho/error.h"
#include "attr.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

hve_platform hve_platform_native(void)
{
#ifdef _WIN32
    return HVE_PLATFORM_WINDOWS;
#else
    return HVE_PLATFORM_LINUX;
#endif
}

/* Fills why (one line) and returns err. The text quoted in it is the
 * user's: a control byte in it (a newline, an escape) becomes '?', so the
 * message stays one line and cannot drive a terminal. */
HVE_PRINTF(4, 5)
static int fail(int err, char *why, size_t whylen, const char *fmt, ...)
{
    if (why && whylen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(why, whylen, fmt, ap);
        va_end(ap);
        for (char *p = why; *p; p++)
            if ((unsigned char)*p < 0x20 || *p == 0x7f)
                *p = '?';
    }
    return err;
}

static bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool ieq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return false;
    return *a == *b;
}

/* A whole unsigned number, decimal or 0x hex, at most max. */
static bool parse_uint(const char *s, uint64_t max, uint64_t *out)
{
    if (!*s || *s == '-' || *s == '+' || isspace((unsigned char)*s))
        return false;
    int base = 10;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
        if (!isxdigit((unsigned char)*s))
            return false;
    }
    for (const char *p = s; *p; p++)
        if (base == 10 ? !isdigit((unsigned char)*p)
                       : !isxdigit((unsigned char)*p))
            return false;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, base);
    if (errno || *end || v > max)
        return false;
    *out = v;
    return true;
}

static void addr_zero(hve_addr *a, hve_family f)
{
    memset(a, 0, sizeof *a);
    a->family = f;
}

/* tcp:HOST:PORT or tcp:[V6]:PORT; host may be empty only when listening. */
static int parse_tcp(const char *s, bool listen, hve_addr *out, char *why,
                     size_t whylen)
{
    const char *text = s;
    s += 4;
    const char *host = s, *hend, *colon;
    if (*s == '[') {
        host = s + 1;
        hend = strchr(host, ']');
        if (!hend || hend[1] != ':')
            return fail(HVE_EBADTARGET, why, whylen,
                        "'%s': write an IPv6 address as tcp:[ADDR]:PORT",
                        text);
        colon = hend + 1;
    } else {
        colon = strrchr(s, ':');
        if (!colon)
            return fail(HVE_EBADTARGET, why, whylen,
                        "'%s': a TCP address is tcp:HOST:PORT", text);
        hend = colon;
        if (memchr(host, ':', (size_t)(hend - host)))
            return fail(HVE_EBADTARGET, why, whylen,
                        "'%s': write an IPv6 address as tcp:[ADDR]:PORT",
                        text);
    }
    size_t hlen = (size_t)(hend - host);
    if (hlen >= HVE_HOST_MAX)
        return fail(HVE_EBADTARGET, why, whylen, "'%.60s...': host name too long",
                    text);
    if (hlen == 0 && !listen)
        return fail(HVE_EBADTARGET, why, whylen,
                    "'%s': the host is missing (tcp:HOST:PORT)", text);
    uint64_t port;
    if (!parse_uint(colon + 1, 65535, &port) || (port == 0 && !listen))
        return fail(HVE_EBADTARGET, why, whylen,
                    "'%s': the port must be a number from 1 to 65535", text);
    addr_zero(out, HVE_FAM_TCP);
    memcpy(out->host, host, hlen);
    out->host[hlen] = '\0';
    if (hlen == 0)
        strcpy(out->host, "0.0.0.0");
    out->port = (uint16_t)port;
    return 0;
}

static int parse_unix(const char *s, hve_addr *out, char *why, size_t whylen)
{
    const char *path = s + 5;
    if (!*path)
        return fail(HVE_EBADTARGET, why, whylen,
                    "'%s': the socket path is missing (unix:PATH)", s);
    if (strlen(path) >= HVE_PATH_MAX)
        return fail(HVE_EBADTARGET, why, whylen,
                    "'%.60s...': a Unix socket path is at most 107 bytes", s);
    addr_zero(out, HVE_FAM_UNIX);
    strcpy(out->path, path);
    return 0;
}

/* hybrid:PATH[:PORT]. The port is the part after the last colon when it
 * is a number (so a path may hold colons; one that ends in ":digits"
 * needs the port written out). A listener binds PATH_PORT, which must fit
 * in sun_path too; that is checked once the port is known. */
static int parse_hybrid(const char *s, hve_addr *out, char *why,
                        size_t whylen)
{
    const char *path = s + 7;
    size_t plen = strlen(path);
    uint64_t port = 0;
    const char *colon = strrchr(path, ':');
    if (colon && colon[1] && parse_uint(colon + 1, 0xFFFFFFFFu, &port)) {
        if (port == 0 || port == 0xFFFFFFFFu)
            return fail(HVE_EBADTARGET, why, whylen,
                        "'%s': the guest port must be from 1 to 4294967294",
                        s);
        plen = (size_t)(colon - path);
    } else if (colon && !colon[1]) {
        return fail(HVE_EBADTARGET, why, whylen,
                    "'%s': the port after the last ':' is missing "
                    "(hybrid:PATH:PORT, or leave out the ':')",
                    s);
    }
    if (plen == 0)
        return fail(HVE_EBADTARGET, why, whylen,
                    "'%s': the VMM's socket path is missing "
                    "(hybrid:PATH[:PORT], e.g. hybrid:/run/fc/v.sock:5000)",
                    s);
    if (plen >= HVE_PATH_MAX)
        return fail(HVE_EBADTARGET, why, whylen,
                    "'%.60s...': a Unix socket path is at most 107 bytes", s);
    addr_zero(out, HVE_FAM_HYBRID);
    memcpy(out->path, path, plen);
    out->path[plen] = '\0';
    out->hybrid_port = (uint32_t)port;
    return 0;
}

uint32_t hve_hybrid_port(const hve_addr *a, const hve_service *svc)
{
    if (a->hybrid_port)
        return a->hybrid_port;
    return svc ? svc->port : HVE_DEFAULT_PORT;
}

int hve_hybrid_listen_path(const hve_addr *a, const hve_service *svc,
                           hve_addr *out, char *why, size_t whylen)
{
    char path[HVE_PATH_MAX + 16];
    snprintf(path, sizeof path, "%s_%lu", a->path,
             (unsigned long)hve_hybrid_port(a, svc));
    if (strlen(path) >= HVE_PATH_MAX)
        return fail(HVE_EBADTARGET, why, whylen,
                    "'%.60s...': with the port the socket path is longer "
                    "than 107 bytes",
                    path);
    addr_zero(out, HVE_FAM_UNIX);
    strcpy(out->path, path);
    return 0;
}

/* Both platforms' targets; listen selects the server's rules. */
static int parse_addr(const char *text, hve_platform pf, bool listen,
                      hve_addr *out, char *why, size_t whylen)
{
    if (!text)
        text = "";
    if (starts_with(text, "tcp:"))
        return parse_tcp(text, listen, out, why, whylen);
    if (starts_with(text, "unix:"))
        return parse_unix(text, out, why, whylen);
    if (starts_with(text, "hybrid:"))
        return parse_hybrid(text, out, why, whylen);

    bool is_default = !*text;
    bool any = listen && (is_default || ieq(text, "wildcard") ||
                          ieq(text, "any"));
    hve_guid g;
    bool named = hve_guid_by_name(text, &g);
    bool guid = !named && hve_guid_parse(text, &g);
    uint64_t cid = 0;
    const char *num = starts_with(text, "cid:") ? text + 4 : text;
    bool is_cid = !named && !guid && parse_uint(num, 0xFFFFFFFFu, &cid);

    if (pf == HVE_PLATFORM_WINDOWS) {
        addr_zero(out, HVE_FAM_HYPERV);
        if (any) {
            out->vmid = HVE_GUID_WILDCARD;
        } else if (is_default) {
            out->vmid = HVE_GUID_LOOPBACK;
        } else if (named || guid) {
            out->vmid = g;
        } else if (is_cid || starts_with(text, "cid:")) {
            return fail(HVE_EBADTARGET, why, whylen,
                        "'%s': a CID is an AF_VSOCK (Linux) address; on "
                        "Windows name the VM by its GUID, (Get-VM NAME).Id",
                        text);
        } else {
            return fail(HVE_EBADTARGET, why, whylen,
                        "'%s' is not a target: use loopback, parent, "
                        "children, a VM GUID, tcp:HOST:PORT, unix:PATH or "
                        "hybrid:PATH[:PORT]",
                        text);
        }
        return 0;
    }

    /* Linux: AF_VSOCK. */
    addr_zero(out, HVE_FAM_VSOCK);
    if (any) {
        out->cid = HVE_CID_ANY;
        return 0;
    }
    if (is_default || ieq(text, "loopback") || ieq(text, "local")) {
        out->cid = HVE_CID_LOCAL;
        return 0;
    }
    if (ieq(text, "parent") || ieq(text, "host")) {
        if (listen)
            return fail(HVE_EBADTARGET, why, whylen,
                        "'%s': a server listens on this machine's own "
                        "addresses: use wildcard (the default) or loopback",
                        text);
        out->cid = HVE_CID_HOST;
        return 0;
    }
    if (named)
        return fail(HVE_EBADTARGET, why, whylen,
                    "'%s' is a Hyper-V address with no AF_VSOCK "
                    "counterpart: on Linux use loopback, parent or a CID",
                    text);
    if (guid)
        return fail(HVE_EBADTARGET, why, whylen,
                    "'%s': a VM GUID is a Windows-host address; a Linux "
                    "guest reaches only its host (parent, CID 2), and a KVM "
                    "host names guests by CID",
                    text);
    if (is_cid) {
        if (cid == HVE_CID_ANY)
            return fail(HVE_EBADTARGET, why, whylen,
                        "'%s': CID 4294967295 means 'any' and is not a "
                        "target",
                        text);
        out->cid = (uint32_t)cid;
        return 0;
    }
    return fail(HVE_EBADTARGET, why, whylen,
                "'%s' is not a target: use loopback, parent, a CID (N or "
                "cid:N), tcp:HOST:PORT, unix:PATH or hybrid:PATH[:PORT]",
                text);
}

int hve_target_parse(const char *text, hve_platform pf, hve_addr *out,
                     char *why, size_t whylen)
{
    return parse_addr(text, pf, false, out, why, whylen);
}

int hve_listen_parse(const char *text, hve_platform pf, hve_addr *out,
                     char *why, size_t whylen)
{
    return parse_addr(text, pf, true, out, why, whylen);
}

void hve_service_default(hve_service *out)
{
    hve_guid_from_port(HVE_DEFAULT_PORT, &out->guid);
    out->port = HVE_DEFAULT_PORT;
    out->has_port = true;
}

int hve_service_parse(const char *text, hve_platform pf, hve_service *out,
                      char *why, size_t whylen)
{
    if (!text || !*text) {
        hve_service_default(out);
        return 0;
    }
    uint64_t port;
    if (parse_uint(text, 0xFFFFFFFFu, &port)) {
        if (port == 0xFFFFFFFFu)
            return fail(HVE_EBADSERVICE, why, whylen,
                        "'%s': port 0xFFFFFFFF means 'any port' and cannot "
                        "be used as a service",
                        text);
        out->port = (uint32_t)port;
        out->has_port = true;
        hve_guid_from_port(out->port, &out->guid);
        return 0;
    }
    hve_guid g;
    if (!hve_guid_parse(text, &g))
        return fail(HVE_EBADSERVICE, why, whylen,
                    "'%s' is not a service: give a port (5000, 0x3049197C) "
                    "or a GUID (3049197C-FACB-11E6-BD58-64006A7986D3)",
                    text);
    out->guid = g;
    out->has_port = hve_guid_to_port(&g, &out->port);
    if (!out->has_port) {
        out->port = 0;
        if (pf == HVE_PLATFORM_LINUX)
            return fail(HVE_EBADSERVICE, why, whylen,
                        "service %s is not of the form "
                        "XXXXXXXX-FACB-11E6-BD58-64006A7986D3: AF_VSOCK "
                        "knows only ports, and Hyper-V maps a vsock port to "
                        "exactly that GUID, so a Linux guest can never be "
                        "reached on it",
                        text);
    }
    return 0;
}

const char *hve_service_linux_warning(const hve_service *svc)
{
    if (svc->has_port)
        return NULL;
    return "this GUID is not of the form XXXXXXXX-FACB-11E6-BD58-"
           "64006A7986D3, so a Linux guest can never be reached on it "
           "(it works only between Windows partitions)";
}

const char *hve_family_name(hve_family f)
{
    switch (f) {
    case HVE_FAM_VSOCK:
        return "vsock";
    case HVE_FAM_HYPERV:
        return "hyperv";
    case HVE_FAM_TCP:
        return "tcp";
    case HVE_FAM_UNIX:
        return "unix";
    case HVE_FAM_HYBRID:
        return "hybrid";
    }
    return "?";
}

static const char *cid_name(uint32_t cid)
{
    switch (cid) {
    case HVE_CID_ANY:
        return " (any)";
    case HVE_CID_HYPERVISOR:
        return " (hypervisor)";
    case HVE_CID_LOCAL:
        return " (loopback)";
    case HVE_CID_HOST:
        return " (host)";
    default:
        return "";
    }
}

char *hve_addr_format(const hve_addr *a, const hve_service *svc, char *buf,
                      size_t len)
{
    char g1[HVE_GUID_STRLEN], g2[HVE_GUID_STRLEN];
    switch (a->family) {
    case HVE_FAM_VSOCK:
        if (a->cid == HVE_CID_ANY)
            snprintf(buf, len, "vsock cid any");
        else
            snprintf(buf, len, "vsock cid %lu%s", (unsigned long)a->cid,
                     cid_name(a->cid));
        if (svc) {
            size_t n = strlen(buf);
            snprintf(buf + n, len - n, " port %lu (0x%08lX)",
                     (unsigned long)svc->port, (unsigned long)svc->port);
        }
        break;
    case HVE_FAM_HYPERV: {
        const char *name = hve_guid_name(&a->vmid);
        snprintf(buf, len, "hyperv vm %s", name ? name : hve_guid_format(&a->vmid, g1));
        if (svc) {
            size_t n = strlen(buf);
            snprintf(buf + n, len - n, " service %s",
                     hve_guid_format(&svc->guid, g2));
        }
        break;
    }
    case HVE_FAM_TCP:
        if (strchr(a->host, ':'))
            snprintf(buf, len, "tcp [%s]:%u", a->host, (unsigned)a->port);
        else
            snprintf(buf, len, "tcp %s:%u", a->host, (unsigned)a->port);
        break;
    case HVE_FAM_UNIX:
        snprintf(buf, len, "unix %s", a->path);
        break;
    case HVE_FAM_HYBRID:
        if (svc || a->hybrid_port) {
            unsigned long p = (unsigned long)hve_hybrid_port(a, svc);
            snprintf(buf, len, "hybrid %s port %lu (0x%08lX)", a->path, p, p);
        } else {
            snprintf(buf, len, "hybrid %s", a->path);
        }
        break;
    }
    return buf;
}

char *hve_service_describe(const hve_service *svc, char *buf, size_t len)
{
    char g[HVE_GUID_STRLEN];
    hve_guid_format(&svc->guid, g);
    if (svc->has_port)
        snprintf(buf, len, "port 0x%08lX (%lu) = %s", (unsigned long)svc->port,
                 (unsigned long)svc->port, g);
    else
        snprintf(buf, len, "GUID %s (no vsock port)", g);
    return buf;
}

char *hve_service_register_command(const hve_service *svc, const char *name,
                                   char *buf, size_t len)
{
    char g[HVE_GUID_STRLEN];
    char quoted[256];
    size_t q = 0;
    if (!name || !*name)
        name = "hvecho";
    /* PowerShell single-quoted string: a quote is written twice. */
    for (const char *p = name; *p && q + 3 < sizeof quoted; p++) {
        if (*p == '\'')
            quoted[q++] = '\'';
        quoted[q++] = *p;
    }
    quoted[q] = '\0';
    snprintf(buf, len,
             "$k = New-Item -Force -Path 'HKLM:\\SOFTWARE\\Microsoft\\Windows "
             "NT\\CurrentVersion\\Virtualization\\GuestCommunicationServices' "
             "-Name '%s'; $k.SetValue('ElementName', '%s')",
             hve_guid_format(&svc->guid, g), quoted);
    return buf;
}
