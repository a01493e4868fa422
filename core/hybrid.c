/* hybrid.c - the host side of hybrid vsock (Firecracker docs/vsock.md,
 * the same protocol in Cloud Hypervisor): the connect to the VMM's Unix
 * socket and the "CONNECT <port>\n" / "OK <hostport>\n" exchange before
 * the guest's stream begins. Platform-free: the sockets go through net.h.
 *
 * Threads: whoever owns the hve_hybrid (one thread). */
#include "hybrid.h"

#include "hvecho/error.h"
#include "hvecho/text.h"

#include <stdio.h>
#include <string.h>

int hve__hybrid_connect_start(const hve_addr *a, const hve_service *svc,
                              int timeout_ms, hve_hybrid *hy, hve_sock *out,
                              char *why, size_t whylen)
{
    memset(hy, 0, sizeof *hy);
    hy->port = hve_hybrid_port(a, svc);
    hy->req_len = (size_t)snprintf(hy->req, sizeof hy->req, "CONNECT %lu\n",
                                   (unsigned long)hy->port);
    memcpy(hy->path, a->path, sizeof hy->path);
    hve_addr un;
    memset(&un, 0, sizeof un);
    un.family = HVE_FAM_UNIX;
    memcpy(un.path, a->path, sizeof un.path);
    int err = hve__net_connect_start(&un, svc, timeout_ms, out, why, whylen);
    return err ? hve__hybrid_connect_error(hy, err, why, whylen) : 0;
}

int hve__hybrid_connect_error(const hve_hybrid *hy, int err, char *why,
                              size_t whylen)
{
    if (err == HVE_ENOTFOUND) {
        snprintf(why, whylen, "no socket file at %s", hy->path);
        return HVE_ENOVMM;
    }
    if (err == HVE_EREFUSED) {
        snprintf(why, whylen, "%s exists, but nothing listens on it (a VMM "
                              "that exited leaves its socket file behind)",
                 hy->path);
        return HVE_ENOVMM;
    }
    if (!why[0])
        snprintf(why, whylen, "cannot connect to %s", hy->path);
    return err;
}

unsigned hve__hybrid_want(const hve_hybrid *hy)
{
    return hy->req_sent < hy->req_len ? NET_OUT : NET_IN;
}

static int no_ok(const hve_hybrid *hy, char *why, size_t whylen,
                 const char *how, const char *meaning)
{
    snprintf(why, whylen, "the VMM at %s %s after CONNECT %lu: %s",
             hy->path, how, (unsigned long)hy->port, meaning);
    return HVE_EHYBRIDNOOK;
}

#define REFUSED "no guest program accepted on that port"


static int malformed(const hve_hybrid *hy, char *why, size_t whylen,
                     const char *how)
{
    char q[HVE_HYBRID_REPLY_MAX * 4 + 8];
    hve_escape(hy->reply, hy->reply_len, q, sizeof q);
    snprintf(why, whylen, "the VMM at %s answered \"%s\"%s to CONNECT %lu, "
                          "not \"OK <port>\"",
             hy->path, q, how, (unsigned long)hy->port);
    return HVE_EHYBRIDREPLY;
}

/* "OK " then 1 to 10 digits, then the newline (already stripped). */
static bool reply_ok(const char *r, size_t n)
{
    if (n < 4 || n > 13 || memcmp(r, "OK ", 3) != 0)
        return false;
    for (size_t i = 3; i < n; i++)
        if (r[i] < '0' || r[i] > '9')
            return false;
    return true;
}

int hve__hybrid_step(hve_hybrid *hy, hve_sock s, char *why, size_t whylen)
{
    int err = 0;
    while (hy->req_sent < hy->req_len) {
        long n = hve__net_send(s, hy->req + hy->req_sent,
                          hy->req_len - hy->req_sent, &err);
        if (n == NET_AGAIN)
            return NET_AGAIN;
        if (n == NET_ERROR)
            return no_ok(hy, why, whylen, "closed the connection", REFUSED);
        hy->req_sent += (size_t)n;
    }
    for (;;) {
        char c;
        long n = hve__net_recv(s, &c, 1, &err);
        if (n == NET_AGAIN)
            return NET_AGAIN;
        if (n == NET_ERROR || n == 0) {
            if (hy->reply_len == 0)
                return no_ok(hy, why, whylen,
                             n == 0 ? "closed the connection"
                                    : "reset the connection",
                             REFUSED);
            return malformed(hy, why, whylen, " and closed");
        }
        if (c == '\n') {
            if (reply_ok(hy->reply, hy->reply_len))
                return 0;
            return malformed(hy, why, whylen, "");
        }
        if (hy->reply_len == sizeof hy->reply) {
            return malformed(hy, why, whylen, "... (no end of line)");
        }
        hy->reply[hy->reply_len++] = c;
    }
}

int hve__hybrid_timeout(const hve_hybrid *hy, int ms, char *why,
                        size_t whylen)
{
    if (hy->reply_len)
        return malformed(hy, why, whylen, " (no end of line in time)");
    char how[64];
    snprintf(how, sizeof how, "sent no reply within %d ms", ms);
    return no_ok(hy, why, whylen, how,
                 "the guest is not running, or accepts nothing on that "
                 "port");
}
