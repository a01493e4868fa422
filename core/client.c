/* client.c - the client side of the hvecho handshake, on a session's
 * worker thread. The order of a handshake:
 *
 *   1. connect to target/service (timeout);
 *   2. send the whole message, and at the same time
 *   3. read the echo until as many bytes came back as were sent, checking
 *      each byte as it arrives (sending and reading overlap, so a message
 *      larger than the socket buffers cannot deadlock);
 *   4. shutdown(SHUT_WR);
 *   5. read until end of stream: that is the bye (at most 4 KiB);
 *   6. close. Success = the echo matched and a non-empty bye arrived.
 *
 * Steps 2 to 5 are the state machine of handshake.c, shared with the
 * benchmarks (bench.c); this file connects, waits and reports events.
 * Every wait is bounded by the timeout (no progress for timeout_ms is a
 * failure) and by the round's deadline (deadline_ms for the whole round,
 * which a peer trickling a byte per timeout cannot stretch), and is
 * interrupted at once by hve_session_stop (the waker). A TCP host name is
 * looked up on a helper thread (resolve.h), waited for the same way.
 * Threads: the worker thread only. */
#include "worker.h"

#include "attr.h"
#include "handshake.h"
#include "hybrid.h"
#include "resolve.h"
#include "hvecho/error.h"
#include "hvecho/probe.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RECV_BUF 65536
#define QUEUE_WAIT_MS 10 /* how often a run held up by the owner looks */

/* Poller tags: which of the two watched sockets woke us. */
static char tag_sock, tag_wake, tag_resolve;

typedef struct client {
    hve_session *s;
    const hve_client_opts *o;
    hve__net_poller *poll;
    hve_sock sock;
    uint64_t conn;
    unsigned round;
    int64_t deadline_at; /* the round's deadline (monotonic us); 0 = none */
    char peer[128];
    char why[256];
    unsigned char *rbuf;
    hve_hs hs;
    hve_hybrid hy;             /* a hybrid vsock target's CONNECT / OK */
    /* this round: its start and phase times (-1 until reached) */
    int64_t t_start, connect_us, echo_us, bye_us;
    uint64_t dropped, dropped_echo; /* this round's data events not queued */
} client;

/* end, or the round's deadline when that comes first. */
static int64_t bounded(const client *c, int64_t end)
{
    return c->deadline_at && c->deadline_at < end ? c->deadline_at : end;
}

static bool past_deadline(const client *c)
{
    return c->deadline_at && hve__now_us() >= c->deadline_at;
}

/* Waits for want (NET_IN / NET_OUT) on the socket, at most ms and not
 * past the deadline. Returns the events seen, 0 on timeout, or -1 when
 * the session stops. */
static int wait_sock(client *c, unsigned want, int ms)
{
    hve__net_poller_mod(c->poll, c->sock, want, &tag_sock);
    int64_t end = bounded(c, hve__now_us() + (int64_t)ms * 1000);
    for (;;) {
        if (hve__stopping(c->s))
            return -1;
        int64_t left = end - hve__now_us();
        if (left <= 0)
            return 0;
        hve__net_pev evs[4];
        int n = hve__wait(c->s, c->poll, evs, 4, (int)((left + 999) / 1000));
        unsigned got = 0;
        for (int i = 0; i < n; i++) {
            if (evs[i].ptr == &tag_wake)
                hve__net_waker_drain(hve__waker(c->s));
            else
                got |= evs[i].events;
        }
        if (got)
            return (int)got;
    }
}

static hve_event *ev_new(client *c, hve_event_kind kind)
{
    hve_event *ev = hve__event(c->s, kind, c->conn);
    if (ev) {
        ev->round = c->round;
        hve__strlcpy(ev->peer, sizeof ev->peer, c->peer);
    }
    return ev;
}

/* Reports an ERROR event for this connection and returns err. */
HVE_PRINTF(3, 4)
static int fail(client *c, int err, const char *fmt, ...)
{
    char why[sizeof c->why];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    hve__strlcpy(c->why, sizeof c->why, why); /* for the CLOSED after */
    hve_event *ev = ev_new(c, HVE_EV_ERROR);
    if (ev) {
        ev->err = err;
        hve__strlcpy(ev->detail, sizeof ev->detail, why);
        hve__emit(c->s, ev);
    }
    return err;
}

/* A wait ran out: the deadline's failure when that is what passed,
 * else err with why. */
static int timed_out(client *c, int err, const char *why, const char *when)
{
    if (past_deadline(c))
        return fail(c, HVE_EDEADLINE, "the deadline of %d ms passed %s",
                    c->o->deadline_ms, when);
    return fail(c, err, "%s", why);
}

/* Looks a TCP host name up on a helper thread and waits for it, the
 * stop and the deadline, until end. 0 with the address as a literal in
 * out; -1 when the session stops; else the hve_err, reported. */
static int resolve_host(client *c, const char *host, int64_t end, char *out,
                        size_t outlen)
{
    int err = 0;
    hve__resolve *r = hve__resolve_start(host, &err);
    if (!r)
        return fail(c, err, "cannot start the lookup of '%s'", host);
    hve_sock rs = hve__resolve_sock(r);
    err = hve__net_poller_add(c->poll, rs, NET_IN, &tag_resolve);
    int rc = NET_AGAIN;
    end = bounded(c, end);
    while (!err) {
        rc = hve__resolve_result(r, out, outlen);
        if (rc != NET_AGAIN || hve__stopping(c->s))
            break;
        int64_t left = end - hve__now_us();
        if (left <= 0)
            break;
        hve__net_pev evs[4];
        int n = hve__wait(c->s, c->poll, evs, 4, (int)((left + 999) / 1000));
        for (int i = 0; i < n; i++)
            if (evs[i].ptr == &tag_wake)
                hve__net_waker_drain(hve__waker(c->s));
    }
    if (!err)
        hve__net_poller_del(c->poll, rs);
    /* A lookup still running goes on alone and frees itself. */
    hve__resolve_release(r);
    if (err)
        return fail(c, err, "cannot watch the lookup of '%s'", host);
    if (rc == NET_AGAIN && hve__stopping(c->s))
        return -1;
    if (rc == NET_AGAIN) {
        char why[HVE_HOST_MAX + 64];
        snprintf(why, sizeof why, "no answer from the resolver for '%s' "
                                  "within %d ms", host, c->o->timeout_ms);
        return timed_out(c, HVE_ETIMEDOUT, why, "while looking the host up");
    }
    if (rc)
        return fail(c, rc, "cannot resolve host '%s'", host);
    return 0;
}

/* A hybrid vsock target, once connected to the VMM's socket: CONNECT
 * <port>, and the VMM's OK, until end. 0, or the hve_err, reported. */
static int hybrid_ok(client *c, int64_t end)
{
    for (;;) {
        char why[sizeof c->why];
        int rc = hve__hybrid_step(&c->hy, c->sock, why, sizeof why);
        if (rc == 0)
            return 0;
        if (rc != NET_AGAIN)
            return fail(c, rc, "%s", why);
        int64_t left = end - hve__now_us();
        int got = left > 0 ? wait_sock(c, hve__hybrid_want(&c->hy),
                                       (int)((left + 999) / 1000))
                           : 0;
        if (got < 0)
            return HVE_ECANCELED;
        if (got == 0) {
            rc = hve__hybrid_timeout(&c->hy, c->o->timeout_ms, why,
                                     sizeof why);
            return timed_out(c, rc, why, "waiting for the VMM's OK");
        }
    }
}

/* A vsock connect to another VM's CID that failed: which side is wrong.
 * On a vsock host (vhost_vsock) "no such device" means no running guest
 * has that CID; in a guest that is no host itself, anything but its host
 * is dropped by the host, so the connect only times out or fails. Else
 * err unchanged. why gets the specific words. */
static int vsock_side(const hve_addr *t, int err, char *why, size_t len)
{
    if (t->family != HVE_FAM_VSOCK || t->cid <= HVE_CID_HOST ||
        t->cid == HVE_CID_ANY || hve_platform_native() != HVE_PLATFORM_LINUX)
        return err;
    if (err != HVE_ENODEV && err != HVE_ETIMEDOUT && err != HVE_EUNREACH)
        return err;
    uint32_t own = hve_vm_local_cid();
    if (t->cid == own)
        return err;
    if (hve_vm_vhost_available()) {
        if (err == HVE_ETIMEDOUT)
            return err; /* a guest by that CID exists but does not answer */
        snprintf(why, len, "no guest of this host has CID %lu (vhost_vsock "
                           "knows none by that number)",
                 (unsigned long)t->cid);
        return HVE_ENOGUEST;
    }
    if (hve_vm_host_transport_available()) {
        char me[48] = "";
        if (own != HVE_CID_ANY)
            snprintf(me, sizeof me, " (CID %lu)", (unsigned long)own);
        snprintf(why, len, "this machine is a guest%s: only its host, CID 2 "
                           "(parent), answers; the host drops connections "
                           "to CID %lu",
                 me, (unsigned long)t->cid);
        return HVE_EGUESTONLY;
    }
    return err;
}

static int do_connect(client *c)
{
    const hve_client_opts *o = c->o;
    char text[HVE_HOST_MAX + 96];
    hve_addr_format(&o->target, &o->service, text, sizeof text);
    hve__strlcpy(c->peer, sizeof c->peer, text);
    hve_event *ev = ev_new(c, HVE_EV_CONNECTING);
    if (ev) {
        hve__strlcpy(ev->detail, sizeof ev->detail, text);
        hve__emit(c->s, ev);
    }
    int64_t t = hve__now_us();
    c->why[0] = '\0';
    /* A host name is looked up first, within the connect timeout; the
     * connect then goes to the address found. */
    const hve_addr *target = &o->target;
    hve_addr found;
    if (target->family == HVE_FAM_TCP && !hve__net_host_is_literal(target->host)) {
        found = *target;
        int rc = resolve_host(c, target->host, t + (int64_t)o->timeout_ms * 1000,
                              found.host, sizeof found.host);
        if (rc < 0)
            return HVE_ECANCELED;
        if (rc)
            return rc;
        target = &found;
    }
    bool hybrid = target->family == HVE_FAM_HYBRID;
    int err = hybrid ? hve__hybrid_connect_start(target, &o->service,
                                                 o->timeout_ms, &c->hy,
                                                 &c->sock, c->why,
                                                 sizeof c->why)
                     : hve__net_connect_start(target, &o->service,
                                              o->timeout_ms, &c->sock,
                                              c->why, sizeof c->why);
    if (err) {
        err = vsock_side(target, err, c->why, sizeof c->why);
        return fail(c, err, "%s", c->why);
    }
    err = hve__net_poller_add(c->poll, c->sock, NET_OUT, &tag_sock);
    if (err)
        return fail(c, err, "cannot watch the socket");
    int64_t left = t + (int64_t)o->timeout_ms * 1000 - hve__now_us();
    int got = left > 0 ? wait_sock(c, NET_OUT, (int)((left + 999) / 1000)) : 0;
    if (got < 0)
        return HVE_ECANCELED;
    if (got == 0) {
        char why[sizeof text + 48];
        snprintf(why, sizeof why, "no answer from %s within %d ms", text,
                 o->timeout_ms);
        err = vsock_side(target, HVE_ETIMEDOUT, why, sizeof why);
        return timed_out(c, err, why, "while connecting");
    }
    err = hve__net_connect_result(c->sock);
    if (err && hybrid) {
        c->why[0] = '\0';
        err = hve__hybrid_connect_error(&c->hy, err, c->why, sizeof c->why);
        return fail(c, err, "%s", c->why);
    }
    if (err) {
        char why[sizeof text + 48];
        snprintf(why, sizeof why, "cannot connect to %s", text);
        err = vsock_side(target, err, why, sizeof why);
        return fail(c, err, "%s", why);
    }
    if (hybrid) {
        err = hybrid_ok(c, t + (int64_t)o->timeout_ms * 1000);
        if (err)
            return err;
    }
    c->connect_us = hve__now_us() - t;
    ev = ev_new(c, HVE_EV_CONNECTED);
    if (ev) {
        ev->dur_us = c->connect_us;
        hve__strlcpy(ev->detail, sizeof ev->detail, text);
        hve__emit(c->s, ev);
    }
    return 0;
}

/* Steps 2 to 5, through the handshake machine (handshake.c): send the
 * message while reading and checking the echo, shut down, read the bye.
 * Here: the waiting, the timeout and the events for the front end. */
static int do_exchange(client *c)
{
    hve_hs *h = &c->hs;
    /* The message, or the pattern a repeated one is sent from (the
     * session made it: whole copies of the text, at least an event's
     * data long); len is what goes on the wire. */
    const unsigned char *msg = c->o->message;
    size_t plen = c->o->message_len;
    uint64_t len = c->o->repeat_to;
    int ms = c->o->timeout_ms;
    hve__hs_attach(h, c->sock);
    h->io_chunk = c->o->io_chunk;
    h->bye_optional = c->o->no_bye;
    hve__hs_message(h, msg, plen, 0, len);
    int64_t t = hve__now_us(), t_bye = t;
    unsigned flags = hve__hs_step(h, 0, c->rbuf, RECV_BUF);
    for (;;) {
        if (flags & HVE_HS_ALL_SENT) {
            hve_event *e = ev_new(c, HVE_EV_SENT);
            if (e) {
                e->bytes = e->total = len;
                e->dur_us = hve__now_us() - t;
                hve__event_data(e, msg, len);
                c->dropped += !hve__emit(c->s, e);
            }
        }
        if (flags & HVE_HS_ECHOED) {
            c->echo_us = hve__now_us() - t;
            hve_event *e = ev_new(c, HVE_EV_RECEIVED);
            if (e) {
                e->bytes = e->total = len;
                e->dur_us = c->echo_us;
                hve__event_data(e, msg, len);
                snprintf(e->detail, sizeof e->detail, "echo verified");
                if (!hve__emit(c->s, e)) {
                    c->dropped++;
                    c->dropped_echo++;
                }
            }
        }
        if (flags & HVE_HS_SHUT) {
            t_bye = hve__now_us();
            hve_event *e = ev_new(c, HVE_EV_SHUTDOWN);
            if (e) {
                e->total = h->sent;
                hve__emit(c->s, e);
            }
        }
        if (flags & HVE_HS_ERROR)
            return fail(c, h->err, "%s", h->why);
        if (flags & HVE_HS_FINISHED) {
            c->bye_us = hve__now_us() - t_bye;
            hve_event *e = ev_new(c, HVE_EV_BYE);
            if (e) {
                e->bytes = h->bye_len;
                e->dur_us = c->bye_us;
                if (hve_bye_is_seed(h->bye, h->bye_len))
                    e->flags |= HVE_EVF_SEED_BYE;
                hve__event_data(e, h->bye, h->bye_len);
                hve__emit(c->s, e);
            }
            return 0;
        }
        int ev = wait_sock(c, hve__hs_want(h), ms);
        if (ev < 0)
            return HVE_ECANCELED;
        if (ev == 0) {
            bool in_bye = h->phase == HVE_HS_BYE;
            int err = hve__hs_timeout(h, ms);
            return timed_out(c, err, h->why,
                             in_bye ? "waiting for the bye"
                                    : "during the echo");
        }
        flags = hve__hs_step(h, (unsigned)ev, c->rbuf, RECV_BUF);
    }
}

static int one_round(client *c)
{
    c->t_start = hve__now_us();
    c->connect_us = c->echo_us = c->bye_us = -1;
    c->dropped = c->dropped_echo = 0;
    c->hs.sent = c->hs.got = 0; /* a failed connect echoed nothing */
    c->hs.why[0] = '\0';
    c->deadline_at = c->o->deadline_ms > 0
                         ? hve__now_us() + (int64_t)c->o->deadline_ms * 1000
                         : 0;
    int err = do_connect(c);
    if (!err)
        err = do_exchange(c);
    if (c->sock != HVE_BADSOCK) {
        hve__net_poller_del(c->poll, c->sock);
        if (err)
            hve__net_abort(c->sock);
        else
            hve__net_close(c->sock);
        c->sock = HVE_BADSOCK;
    }
    /* Every round ends with one CLOSED, also when no socket came up. */
    hve_event *e = ev_new(c, HVE_EV_CLOSED);
    if (e) {
        e->err = err;
        e->bytes = c->hs.got; /* what really came back and matched */
        e->total = c->hs.sent;
        e->dur_us = hve__now_us() - c->t_start;
        e->connect_us = c->connect_us;
        e->echo_us = c->echo_us;
        e->bye_us = c->bye_us;
        e->dropped = c->dropped;
        e->dropped_echo = c->dropped_echo;
        if (err)
            hve__strlcpy(e->detail, sizeof e->detail,
                         err == HVE_ECANCELED ? "stopped" : c->why);
        hve__emit(c->s, e);
    }
    return err;
}

/* The pause between two handshakes (interval_ms): waits on the waker
 * only. Returns false when the session is stopping. */
static bool pause_between(client *c, int ms)
{
    int64_t end = hve__now_us() + (int64_t)ms * 1000;
    while (!hve__stopping(c->s)) {
        int64_t left = end - hve__now_us();
        if (left <= 0)
            return true;
        hve__net_pev evs[2];
        int n = hve__wait(c->s, c->poll, evs, 2, (int)((left + 999) / 1000));
        for (int i = 0; i < n; i++)
            if (evs[i].ptr == &tag_wake)
                hve__net_waker_drain(hve__waker(c->s));
    }
    return false;
}

int hve__client_run(hve_session *s, const hve_client_opts *o)
{
    client c = {0};
    c.s = s;
    c.o = o;
    c.sock = HVE_BADSOCK;
    c.poll = hve__net_poller_new();
    c.rbuf = malloc(RECV_BUF);
    int err = 0;
    if (!c.poll || !c.rbuf)
        err = HVE_ENOMEM;
    if (!err)
        err = hve__net_poller_add(c.poll, hve__net_waker_sock(hve__waker(s)), NET_IN,
                             &tag_wake);
    int first_err = 0;
    uint64_t ran = 0, failed = 0;
    unsigned first = o->first_round ? o->first_round : 1;
    for (unsigned i = 0; !err && (o->until_stopped || i < o->count); i++) {
        if (i > 0 && o->interval_ms > 0 && !pause_between(&c, o->interval_ms))
            err = HVE_ECANCELED;
        /* A long run whose owner is not draining (a busy window, a paused
         * terminal) waits for it instead of queueing without bound. */
        while (!err && hve__queued(s) >= HVE_QUEUE_HIGH)
            if (!pause_between(&c, QUEUE_WAIT_MS))
                err = HVE_ECANCELED;
        if (!err && hve__stopping(s))
            err = HVE_ECANCELED;
        if (err)
            break;
        c.round = first + i;
        c.conn = c.round;
        int rc = one_round(&c);
        if (rc == HVE_ECANCELED) {
            err = rc;
            break;
        }
        ran++;
        if (rc) {
            failed++;
            if (!first_err)
                first_err = rc;
            if (!o->keep_going)
                err = rc;
        }
    }
    if (failed && o->keep_going) {
        char note[96];
        snprintf(note, sizeof note, "%llu of %llu handshake%s failed",
                 (unsigned long long)failed, (unsigned long long)ran,
                 ran == 1 ? "" : "s");
        hve__finish_note(s, note);
    }
    /* Stopping an "until stopped" run is its end, not a failure. */
    if (err == HVE_ECANCELED && o->until_stopped)
        err = 0;
    if (!err || (err == HVE_ECANCELED && o->keep_going))
        err = first_err ? first_err : err;
    free(c.rbuf);
    hve__net_poller_free(c.poll);
    return err;
}
