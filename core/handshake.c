/* handshake.c - the client side of the hvecho handshake as a non-blocking
 * state machine over one socket (see handshake.h for the phases). Used by
 * client.c (one connection, events for a front end) and bench.c (many
 * connections, figures). No waiting here: the caller polls.
 *
 * Threads: whoever owns the hve_hs. */
#include "handshake.h"

#include "attr.h"
#include "hvecho/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

HVE_PRINTF(3, 4)
static unsigned fail(hve_hs *h, int err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(h->why, sizeof h->why, fmt, ap);
    va_end(ap);
    h->err = err;
    h->phase = HVE_HS_FAILED;
    return HVE_HS_ERROR;
}

static void reset(hve_hs *h, hve_sock s, hve_hs_phase phase)
{
    h->sock = s;
    h->phase = phase;
    h->pat = NULL;
    h->pat_len = h->start = 0;
    h->len = h->sent = h->got = 0;
    h->has_msg = false;
    h->blocked = false;
    h->auto_bye = true;
    h->bye_len = 0;
    h->hybrid = false;
    h->err = 0;
    h->why[0] = '\0';
}

int hve__hs_connect(hve_hs *h, const hve_addr *a, const hve_service *svc,
                    int timeout_ms)
{
    reset(h, HVE_BADSOCK, HVE_HS_CONNECT);
    int err;
    if (a->family == HVE_FAM_HYBRID) {
        h->hybrid = true;
        err = hve__hybrid_connect_start(a, svc, timeout_ms, &h->hy, &h->sock,
                                        h->why, sizeof h->why);
    } else {
        err = hve__net_connect_start(a, svc, timeout_ms, &h->sock, h->why,
                                     sizeof h->why);
    }
    if (err) {
        h->sock = HVE_BADSOCK;
        h->err = err;
        h->phase = HVE_HS_FAILED;
    }
    return err;
}

void hve__hs_attach(hve_hs *h, hve_sock s)
{
    reset(h, s, HVE_HS_ECHO);
}

void hve__hs_message(hve_hs *h, const unsigned char *pat, size_t pat_len,
                     size_t start, uint64_t len)
{
    if (h->phase != HVE_HS_CONNECT && h->phase != HVE_HS_HYBRID)
        h->phase = HVE_HS_ECHO;
    h->has_msg = true;
    h->pat = pat;
    h->pat_len = pat_len;
    h->start = pat_len ? start % pat_len : 0;
    h->len = len;
    h->sent = h->got = 0;
    h->blocked = false;
    h->auto_bye = true;
}

void hve__hs_end_message(hve_hs *h)
{
    if (h->phase == HVE_HS_ECHO)
        h->len = h->sent;
}

unsigned hve__hs_bye(hve_hs *h)
{
    int err = hve__net_shutdown_send(h->sock);
    if (err)
        return fail(h, err, "shutdown of the sending side failed");
    h->phase = HVE_HS_BYE;
    h->bye_len = 0;
    return HVE_HS_SHUT;
}

unsigned hve__hs_want(const hve_hs *h)
{
    switch (h->phase) {
    case HVE_HS_CONNECT:
        return NET_OUT;
    case HVE_HS_HYBRID:
        return hve__hybrid_want(&h->hy);
    case HVE_HS_ECHO:
        return (h->got < h->len ? NET_IN : 0u) |
               (h->sent < h->len && h->blocked ? NET_OUT : 0u);
    case HVE_HS_BYE:
        return NET_IN;
    default:
        return 0;
    }
}

/* At most n, and at most io_chunk. */
static size_t chunk(const hve_hs *h, uint64_t n)
{
    if (h->io_chunk && n > h->io_chunk)
        return h->io_chunk;
    return n > (uint64_t)SIZE_MAX ? SIZE_MAX : (size_t)n;
}

/* Where message byte off sits in the pattern, and how many bytes from
 * there are contiguous. */
static size_t pat_pos(const hve_hs *h, uint64_t off, size_t *run)
{
    size_t pos = (size_t)((h->start + off) % h->pat_len);
    *run = h->pat_len - pos;
    return pos;
}

/* Checks n echoed bytes against the message from offset got. */
static unsigned check_echo(hve_hs *h, const unsigned char *buf, size_t n)
{
    size_t done = 0;
    while (done < n) {
        size_t run;
        size_t pos = pat_pos(h, h->got + done, &run);
        size_t k = n - done < run ? n - done : run;
        if (memcmp(buf + done, h->pat + pos, k) != 0) {
            size_t i = 0;
            while (buf[done + i] == h->pat[pos + i])
                i++;
            return fail(h, HVE_EMISMATCH,
                        "byte %llu differs: sent 0x%02X, got back 0x%02X",
                        (unsigned long long)(h->got + done + i),
                        h->pat[pos + i], buf[done + i]);
        }
        done += k;
    }
    return 0;
}

static unsigned step_echo(hve_hs *h, unsigned events, unsigned char *rbuf,
                          size_t rcap)
{
    unsigned flags = 0;
    int err = 0;
    /* Read first: what is waiting makes room in the peer's buffers. */
    while ((events & (NET_IN | NET_HUP)) && h->got < h->len) {
        uint64_t left = h->len - h->got;
        size_t room = chunk(h, left < rcap ? left : rcap);
        long n = hve__net_recv(h->sock, rbuf, room, &err);
        if (n == NET_AGAIN)
            break;
        if (n == NET_ERROR)
            return fail(h, err, "the connection failed after %llu of %llu "
                                "echoed bytes",
                        (unsigned long long)h->got,
                        (unsigned long long)h->len);
        if (n == 0)
            return fail(h, HVE_ECLOSED, "end of stream after %llu of %llu "
                                        "echoed bytes",
                        (unsigned long long)h->got,
                        (unsigned long long)h->len);
        if (check_echo(h, rbuf, (size_t)n))
            return HVE_HS_ERROR;
        h->got += (uint64_t)n;
        if ((size_t)n < room)
            break; /* drained: the next read would only say "again" */
    }
    /* Send while the socket takes it: at once after a new message, else
     * when the poller says writable. */
    if (h->sent < h->len && (!h->blocked || (events & (NET_OUT | NET_HUP)))) {
        h->blocked = false;
        while (h->sent < h->len) {
            size_t run;
            size_t pos = pat_pos(h, h->sent, &run);
            uint64_t left = h->len - h->sent;
            size_t want = chunk(h, left < run ? left : run);
            long n = hve__net_send(h->sock, h->pat + pos, want, &err);
            if (n == NET_AGAIN) {
                h->blocked = true;
                break;
            }
            if (n == NET_ERROR)
                return fail(h, err, "sending failed after %llu of %llu bytes",
                            (unsigned long long)h->sent,
                            (unsigned long long)h->len);
            h->sent += (uint64_t)n;
            if (h->sent == h->len)
                flags |= HVE_HS_ALL_SENT;
            if ((size_t)n < want) {
                h->blocked = true; /* the buffer is full */
                break;
            }
        }
    }
    if (h->got == h->len) {
        flags |= HVE_HS_ECHOED;
        if (h->auto_bye)
            flags |= hve__hs_bye(h);
    }
    return flags;
}

static unsigned step_bye(hve_hs *h, unsigned events)
{
    int err = 0;
    while (events & (NET_IN | NET_HUP)) {
        size_t room = chunk(h, sizeof h->bye - h->bye_len);
        long n = hve__net_recv(h->sock, h->bye + h->bye_len, room, &err);
        if (n == NET_AGAIN)
            return 0;
        if (n == NET_ERROR)
            return fail(h, err, "the connection failed while waiting for the "
                                "bye");
        if (n == 0) {
            if (h->bye_len == 0 && !h->bye_optional)
                return fail(h, HVE_ENOBYE, "end of stream right after the "
                                           "shutdown, with no bye");
            h->phase = HVE_HS_DONE;
            return HVE_HS_FINISHED;
        }
        h->bye_len += (size_t)n;
        if (h->bye_len > HVE_HS_BYE_CAP)
            return fail(h, HVE_EBYETOOLONG, "more than %d bytes after the "
                                            "shutdown", HVE_HS_BYE_CAP);
    }
    return 0;
}

unsigned hve__hs_step(hve_hs *h, unsigned events, unsigned char *rbuf,
                      size_t rcap)
{
    unsigned flags = 0;
    if (h->phase == HVE_HS_CONNECT) {
        if (!(events & (NET_OUT | NET_HUP)))
            return 0;
        int err = hve__net_connect_result(h->sock);
        if (err && h->hybrid) {
            h->why[0] = '\0';
            err = hve__hybrid_connect_error(&h->hy, err, h->why,
                                            sizeof h->why);
            return fail(h, err, "%s", h->why);
        }
        if (err)
            return fail(h, err, "the connect did not go through");
        if (h->hybrid) {
            h->phase = HVE_HS_HYBRID;
        } else {
            h->phase = HVE_HS_ECHO;
            flags |= HVE_HS_CONNECTED;
            /* Not writable-as-in-readable: the echo waits for its own
             * events. */
            events &= ~(NET_IN | NET_HUP);
            if (!h->has_msg)
                return flags; /* no message set yet */
        }
    }
    if (h->phase == HVE_HS_HYBRID) {
        char why[sizeof h->why];
        int rc = hve__hybrid_step(&h->hy, h->sock, why, sizeof why);
        if (rc == NET_AGAIN)
            return flags;
        if (rc)
            return fail(h, rc, "%s", why);
        h->phase = HVE_HS_ECHO;
        flags |= HVE_HS_CONNECTED;
        events = 0; /* those were the reply's; nothing was echoed yet */
        if (!h->has_msg)
            return flags;
    }
    if (h->phase == HVE_HS_ECHO) {
        flags |= step_echo(h, events, rbuf, rcap);
        if (flags & HVE_HS_ERROR)
            return flags;
    }
    if (h->phase == HVE_HS_BYE && !(flags & HVE_HS_SHUT))
        flags |= step_bye(h, events);
    return flags;
}

int hve__hs_timeout(hve_hs *h, int ms)
{
    switch (h->phase) {
    case HVE_HS_CONNECT:
        fail(h, HVE_ETIMEDOUT, "no answer within %d ms", ms);
        break;
    case HVE_HS_HYBRID: {
        char why[sizeof h->why];
        int err = hve__hybrid_timeout(&h->hy, ms, why, sizeof why);
        fail(h, err, "%s", why);
        break;
    }
    case HVE_HS_ECHO:
        if (h->sent < h->len)
            fail(h, HVE_EREADTIMEOUT,
                 "the peer took nothing for %d ms, after %llu of %llu bytes "
                 "sent",
                 ms, (unsigned long long)h->sent, (unsigned long long)h->len);
        else
            fail(h, HVE_EREADTIMEOUT,
                 "no echo for %d ms: %llu of %llu bytes came back", ms,
                 (unsigned long long)h->got, (unsigned long long)h->len);
        break;
    case HVE_HS_BYE:
        if (h->bye_len)
            fail(h, HVE_EREADTIMEOUT,
                 "the bye did not end (no end of stream) within %d ms", ms);
        else
            fail(h, HVE_EREADTIMEOUT,
                 "no bye within %d ms after the shutdown", ms);
        break;
    default:
        break;
    }
    return h->err;
}
