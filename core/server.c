/* server.c - the echo server, on a session's worker thread: one
 * non-blocking event loop (epoll / WSAPoll through net.h) for every
 * connection, not a thread per client.
 *
 * Per connection, the server half of the handshake: echo every byte back in
 * order; when a read returns 0 (the client shut down its sending side)
 * send the bye, exactly its bytes, then close.
 *
 * For untrusted peers:
 *   - at most BUF_CAP bytes are held per connection: while the buffer is
 *     full we stop reading from that peer (it is not reading its echo),
 *     so memory is bounded by BUF_CAP x connections; the buffer is only
 *     allocated once a peer sends something, so idle peers cost ~300 B;
 *   - each wakeup does at most one read and one write per ready peer, so
 *     a fast or flooding peer cannot starve the others;
 *   - --max-conns closes new peers past the limit, --idle-timeout closes
 *     peers that make no progress (connections sit on a list ordered by
 *     last activity, so the check costs nothing per idle peer),
 *     --max-bytes closes a peer that sent more than allowed, and a peer
 *     not on the --allow list is closed as soon as it is accepted;
 *   - a reset, a half-open peer or running out of descriptors closes or
 *     pauses only what it concerns; the loop goes on.
 * Threads: the worker thread only. */
#include "worker.h"

#include "hvecho/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 256 KiB: a streaming peer's echo moves in reads and writes this large.
 * With 64 KiB the loop made four times the sends, wakeups and context
 * switches per byte, and echoed throughput on loopback stayed well under
 * half of a one-way iperf3 (tests/bench/compare.sh). Pages are only
 * touched as data arrives, so a peer of small messages costs little. */
#define BUF_CAP 262144
#define MAX_EVENTS 256
#define ACCEPT_BURST 64
#define ACCEPT_PAUSE_MS 100
/* A connection holds an echo buffer only while it has bytes to echo;
 * then the buffer goes to a list of spares for the next reader, so an
 * idle peer costs a few hundred bytes whether or not it sent something.
 * The spares matter: a 256 KiB malloc is an mmap in musl (the static
 * build) and in glibc until its mmap threshold first rises, and its free
 * an munmap, which in a threaded process is a TLB shootdown on every CPU
 * the process ran on; in the two-CPU test guest that made each handshake
 * cost a cross-CPU interrupt. BUF_SPARE covers sequential and modestly
 * parallel clients (4 MiB at most, kept while the server runs). */
#define BUF_SPARE 16
/* A lone peer in a ping-pong (HOT_AFTER messages or more, nobody else
 * connected) is served with a receive that waits itself, up to HOT_WAIT_MS
 * (in timer ticks), instead of the poller's wait and then a receive: one
 * system call less per message, a tenth of a 64-byte round trip on
 * loopback. The poller (new peers, the stop and client-list requests) is
 * asked again at least every HOT_SLICE_US, and whenever the peer pauses
 * for longer than the wait. */
#define HOT_AFTER 2
#define HOT_WAIT_MS 1
#define HOT_SLICE_US 2000

typedef struct conn {
    struct conn *prev, *next; /* the activity list, oldest first */
    hve_sock sock;
    uint64_t id;
    char peer[128];
    unsigned char *buf;       /* echo bytes waiting to go back */
    size_t head, len;
    uint64_t in, out;         /* bytes read / echoed */
    uint64_t dropped;         /* data events the queue did not take */
    size_t bye_off;           /* bye bytes sent so far */
    bool eof;                 /* the peer shut down its sending side */
    bool rdhup_seen;          /* the peer shut down while we were full */
    signed char hot;          /* recv_wait: 0 untried, 1 ready, -1 none */
    unsigned reads;           /* reads that brought data (to HOT_AFTER) */
    unsigned interest;        /* what the poller watches now */
    int64_t last;             /* last progress, us */
    int64_t since;            /* accepted at, us */
} conn;

typedef struct server {
    hve_session *s;
    const hve_server_opts *o;
    hve_family fam;           /* of the listener (an inherited one's may
                                 differ from o->listen's) */
    hve__net_poller *poll;
    hve_sock lsock;
    bool accepting;
    int64_t resume_accept;    /* when accepting paused (EMFILE), until */
    int64_t now;              /* read once per wakeup, for touch() */
    conn *oldest, *newest;
    unsigned count;
    uint64_t next_id;
    unsigned char *spare[BUF_SPARE]; /* buffers for reuse, nspare of them */
    unsigned nspare;
    bool once_done;
    int once_result;
} server;

static char tag_listen, tag_wake;

static void list_unlink(server *sv, conn *c)
{
    if (c->prev)
        c->prev->next = c->next;
    else
        sv->oldest = c->next;
    if (c->next)
        c->next->prev = c->prev;
    else
        sv->newest = c->prev;
    c->prev = c->next = NULL;
}

static void list_append(server *sv, conn *c)
{
    c->prev = sv->newest;
    c->next = NULL;
    if (sv->newest)
        sv->newest->next = c;
    else
        sv->oldest = c;
    sv->newest = c;
}

/* Progress: move to the young end of the activity list. */
static void touch(server *sv, conn *c)
{
    c->last = sv->now;
    if (sv->newest != c) {
        list_unlink(sv, c);
        list_append(sv, c);
    }
}

static size_t chunk(const server *sv, size_t n)
{
    return sv->o->io_chunk && n > sv->o->io_chunk ? sv->o->io_chunk : n;
}

/* c's buffer back to the spares (or freed past BUF_SPARE); the caller
 * knows nothing in it is still to be echoed. */
static void buf_release(server *sv, conn *c)
{
    if (!c->buf)
        return;
    if (sv->nspare < BUF_SPARE)
        sv->spare[sv->nspare++] = c->buf;
    else
        free(c->buf);
    c->buf = NULL;
    c->head = c->len = 0;
}

/* An event about c, with its peer. NULL when out of memory, or when the
 * front end wants only failures (only_failures) and err is 0: all of a
 * connection's events but a failed CLOSED carry err 0. */
static hve_event *conn_event(server *sv, const conn *c, hve_event_kind kind,
                             int err)
{
    if (sv->o->only_failures && !err)
        return NULL;
    hve_event *ev = hve__event(sv->s, kind, c->id);
    if (ev) {
        hve__strlcpy(ev->peer, sizeof ev->peer, c->peer);
        ev->err = err;
    }
    return ev;
}

/* Closes c. err 0 means the handshake ended as it should (bye sent). */
static void conn_close(server *sv, conn *c, int err, const char *why)
{
    hve__net_poller_del(sv->poll, c->sock);
    if (err)
        hve__net_abort(c->sock);
    else
        hve__net_close(c->sock);
    if (!err && sv->o->only_failures)
        hve__count_closed_ok(sv->s); /* FINISHED counts it all the same */
    hve_event *ev = conn_event(sv, c, HVE_EV_CLOSED, err);
    if (ev) {
        ev->bytes = c->out;
        ev->total = c->in;
        ev->dur_us = ev->mono_us - c->since;
        ev->dropped = c->dropped;
        hve__strlcpy(ev->detail, sizeof ev->detail, why ? why : "");
        hve__emit(sv->s, ev);
    }
    list_unlink(sv, c);
    sv->count--;
    hve__set_conn_count(sv->s, sv->count);
    if (sv->o->once && !sv->once_done) {
        sv->once_done = true;
        sv->once_result = err;
    }
    buf_release(sv, c);
    free(c);
}

static void data_event(server *sv, conn *c, hve_event_kind kind,
                       const void *data, size_t n, uint64_t total)
{
    if (!sv->o->data_events)
        return;
    hve_event *ev = hve__event(sv->s, kind, c->id);
    if (!ev)
        return;
    hve__strlcpy(ev->peer, sizeof ev->peer, c->peer);
    ev->bytes = n;
    ev->total = total;
    hve__event_data(ev, data, n);
    c->dropped += !hve__emit(sv->s, ev);
}

/* Returns false when c was closed. wait: the receive may wait (c->hot). */
static bool conn_read(server *sv, conn *c, bool wait)
{
    if (!c->buf) {
        c->buf = sv->nspare ? sv->spare[--sv->nspare] : malloc(BUF_CAP);
        if (!c->buf) {
            conn_close(sv, c, HVE_ENOMEM, "out of memory");
            return false;
        }
    }
    if (c->len == 0)
        c->head = 0;
    else if (c->head + c->len == BUF_CAP) {
        memmove(c->buf, c->buf + c->head, c->len);
        c->head = 0;
    }
    size_t room = BUF_CAP - c->head - c->len;
    if (room == 0)
        return true;
    /* With --max-bytes, read at most one byte past the limit: enough to
     * know the peer broke it, and nothing more is taken from it. */
    size_t want = chunk(sv, room);
    if (sv->o->max_bytes && want > sv->o->max_bytes - c->in + 1)
        want = (size_t)(sv->o->max_bytes - c->in + 1);
    int err = 0;
    unsigned char *at = c->buf + c->head + c->len;
    long n = wait ? hve__net_recv_wait(c->sock, at, want, &err)
                  : hve__net_recv_now(c->sock, at, want, &err);
    if (n == NET_AGAIN)
        return true;
    if (n == NET_ERROR) {
        conn_close(sv, c, err, "the connection failed while reading");
        return false;
    }
    if (n == 0) {
        c->eof = true;
        touch(sv, c);
        hve_event *ev = conn_event(sv, c, HVE_EV_SHUTDOWN, 0);
        if (ev) {
            ev->total = c->in;
            hve__emit(sv->s, ev);
        }
        return true;
    }
    c->len += (size_t)n;
    c->in += (uint64_t)n;
    if (c->reads < HOT_AFTER)
        c->reads++;
    touch(sv, c);
    data_event(sv, c, HVE_EV_RECEIVED, at, (size_t)n, c->in);
    if (sv->o->max_bytes && c->in > sv->o->max_bytes) {
        char why[96];
        snprintf(why, sizeof why, "sent more than --max-bytes (%llu)",
                 (unsigned long long)sv->o->max_bytes);
        conn_close(sv, c, HVE_ELIMIT, why);
        return false;
    }
    return true;
}

/* Sends pending echo bytes, then the bye once the peer has shut down.
 * Returns false when c was closed. */
static bool conn_write(server *sv, conn *c)
{
    int err = 0;
    if (c->len) {
        long n = hve__net_send_now(c->sock, c->buf + c->head,
                                   chunk(sv, c->len), &err);
        if (n == NET_ERROR) {
            conn_close(sv, c, err, "the connection failed while echoing");
            return false;
        }
        if (n > 0) {
            data_event(sv, c, HVE_EV_SENT, c->buf + c->head, (size_t)n,
                       c->out + (uint64_t)n);
            c->head += (size_t)n;
            c->len -= (size_t)n;
            c->out += (uint64_t)n;
            touch(sv, c);
        }
    }
    if (!c->eof || c->len)
        return true;
    const unsigned char *bye = sv->o->bye;
    size_t blen = sv->o->bye_len;
    while (c->bye_off < blen) {
        long n = hve__net_send_now(c->sock, bye + c->bye_off,
                                   chunk(sv, blen - c->bye_off), &err);
        if (n == NET_AGAIN)
            return true;
        if (n == NET_ERROR) {
            conn_close(sv, c, err, "the connection failed while sending "
                                   "the bye");
            return false;
        }
        c->bye_off += (size_t)n;
        touch(sv, c);
    }
    hve_event *ev = conn_event(sv, c, HVE_EV_BYE, 0);
    if (ev) {
        ev->bytes = blen;
        ev->total = c->out;
        hve__event_data(ev, bye, blen);
        hve__emit(sv->s, ev);
    }
    conn_close(sv, c, 0, blen ? "bye sent" : "closed without a bye");
    return false;
}

static void conn_update_interest(server *sv, conn *c)
{
    unsigned want = 0;
    if (!c->eof && c->len < BUF_CAP)
        want |= NET_IN; /* conn_read compacts to make the room usable */
    else if (!c->eof && !c->rdhup_seen)
        want |= NET_RDHUP; /* a peer that dies while we are full */
    if (c->len || c->eof)
        want |= NET_OUT;
    if (want != c->interest) {
        hve__net_poller_mod(sv->poll, c->sock, want, c);
        c->interest = want;
    }
}

/* May c be served by waiting receives (HOT_AFTER)? Sets the socket up
 * the first time. */
static bool conn_may_wait(server *sv, conn *c)
{
    if (sv->count != 1 || c->reads < HOT_AFTER || c->len || c->eof ||
        c->hot < 0 || (sv->o->max_bytes && c->in >= sv->o->max_bytes))
        return false;
    if (c->hot == 0)
        c->hot = hve__net_recv_wait_ready(c->sock, HOT_WAIT_MS) ? 1 : -1;
    return c->hot > 0;
}

/* Returns false when c was closed. */
static bool conn_serve(server *sv, conn *c, unsigned events, bool wait)
{
    /* Full and the peer shut down: the send below learns whether it can
     * still read (EAGAIN) or is gone (EPIPE); ask only once. */
    if ((events & NET_IN) && c->len == BUF_CAP)
        c->rdhup_seen = true;
    if ((events & (NET_IN | NET_HUP)) && !c->eof)
        if (!conn_read(sv, c, wait))
            return false;
    /* Write right away: the socket is usually writable, and this saves a
     * wakeup per echo. */
    if (c->len || c->eof)
        if (!conn_write(sv, c))
            return false;
    return true;
}

static void conn_io(server *sv, conn *c, unsigned events)
{
    if (!conn_serve(sv, c, events, false))
        return;
    if (conn_may_wait(sv, c)) {
        int64_t end = hve__now_us() + HOT_SLICE_US;
        for (;;) {
            /* The owner hears of the echo before the wait, as it would
             * before the poller's. */
            hve__flush(sv->s);
            uint64_t in = c->in;
            if (!conn_serve(sv, c, NET_IN, true))
                return;
            int64_t now = hve__now_us();
            if (sv->o->idle_timeout_ms >= 0)
                sv->now = now;
            if (c->in == in || now >= end || hve__stopping(sv->s) ||
                !conn_may_wait(sv, c))
                break; /* the wait ran out, or time to ask the poller */
        }
    }
    if (!c->len)
        buf_release(sv, c);
    conn_update_interest(sv, c);
}

/* Stops watching the listener for ACCEPT_PAUSE_MS; the main loop turns
 * it back on. */
static void pause_accepting(server *sv)
{
    hve__net_poller_mod(sv->poll, sv->lsock, 0, &tag_listen);
    sv->accepting = false;
    sv->resume_accept = hve__now_us() + ACCEPT_PAUSE_MS * 1000;
}

static void accept_some(server *sv)
{
    /* The owner is not draining events: a new peer would only add to a
     * queue nobody reads. Its connect waits in the backlog meanwhile. */
    if (hve__queued(sv->s) >= HVE_QUEUE_HIGH) {
        pause_accepting(sv);
        return;
    }
    for (int i = 0; i < ACCEPT_BURST; i++) {
        hve_sock s;
        hve_addr peer;
        int rc = hve__net_accept(sv->lsock, sv->fam, &s, &peer);
        if (rc == NET_AGAIN)
            return;
        if (rc == HVE_ENOFDS || rc == HVE_ENOMEM) {
            /* Out of descriptors or memory: stop accepting for a moment
             * instead of spinning on a listener that stays readable. */
            pause_accepting(sv);
            hve__emitf(sv->s, HVE_EV_ERROR, 0, NULL, rc,
                       "%s: not accepting for %d ms",
                       rc == HVE_ENOFDS ? "out of file descriptors"
                                        : "out of memory",
                       ACCEPT_PAUSE_MS);
            return;
        }
        if (rc)
            continue; /* that peer went away before we took it */
        char peertext[128];
        hve__net_peer_format(&peer, &sv->o->service, peertext, sizeof peertext);
        uint64_t id = ++sv->next_id;
        if (!hve_allow_match(hve__allow(sv->s), &peer)) {
            hve__net_abort(s);
            hve__emitf(sv->s, HVE_EV_CLOSED, id, peertext, HVE_EDENIED,
                       "refused at once (--allow)");
            continue;
        }
        if (sv->count >= sv->o->max_conns) {
            hve__net_abort(s);
            hve__emitf(sv->s, HVE_EV_CLOSED, id, peertext, HVE_ELIMIT,
                       "refused: already %u connections (--max-conns)",
                       sv->count);
            continue;
        }
        conn *c = calloc(1, sizeof *c);
        if (!c) {
            hve__net_abort(s);
            continue;
        }
        c->sock = s;
        c->id = id;
        hve__strlcpy(c->peer, sizeof c->peer, peertext);
        c->last = sv->now;
        c->since = hve__now_us();
        c->interest = NET_IN;
        if (hve__net_poller_add(sv->poll, s, NET_IN, c) != 0) {
            hve__net_abort(s);
            free(c);
            continue;
        }
        list_append(sv, c);
        sv->count++;
        hve__set_conn_count(sv->s, sv->count);
        hve__emit(sv->s, conn_event(sv, c, HVE_EV_ACCEPTED, 0));
        /* A client usually sends at once: read (and echo) what is there
         * now rather than after another wait. */
        conn_io(sv, c, NET_IN);
    }
}

static int by_conn(const void *a, const void *b)
{
    uint64_t x = ((const hve_client_info *)a)->conn;
    uint64_t y = ((const hve_client_info *)b)->conn;
    return x < y ? -1 : x > y;
}

/* The owner asked for the client list: a copy of every connection (up to
 * HVE_CLIENTS_MAX), oldest connection first. Only on request, so a busy
 * server pays nothing for a list nobody looks at. */
static void publish_clients(server *sv)
{
    size_t cap = sv->count < HVE_CLIENTS_MAX ? sv->count : HVE_CLIENTS_MAX;
    hve_client_info *list = cap ? malloc(cap * sizeof *list) : NULL;
    size_t n = 0;
    int64_t now = hve__now_us();
    for (conn *c = sv->oldest; list && c && n < cap; c = c->next) {
        hve_client_info *i = &list[n++];
        i->conn = c->id;
        hve__strlcpy(i->peer, sizeof i->peer, c->peer);
        i->bytes_in = c->in;
        i->bytes_out = c->out;
        i->age_us = now - c->since;
        i->shut_down = c->eof;
    }
    if (n > 1)
        qsort(list, n, sizeof *list, by_conn);
    hve__publish_clients(sv->s, list, n, sv->count);
}

/* Closes peers idle past the timeout; returns ms until the next check.
 * now: sv->now, read right after the last wait (the work since then is
 * microseconds; the timeout counts in milliseconds), so a wakeup reads
 * the clock once, not twice. */
static int sweep_idle(server *sv)
{
    int ms = 1000;
    if (sv->o->idle_timeout_ms < 0)
        return ms;
    int64_t limit = (int64_t)sv->o->idle_timeout_ms * 1000;
    int64_t now = sv->now;
    while (sv->oldest && now - sv->oldest->last >= limit) {
        char why[64];
        snprintf(why, sizeof why, "no progress for %d ms (--idle-timeout)",
                 sv->o->idle_timeout_ms);
        conn_close(sv, sv->oldest, HVE_EIDLE, why);
    }
    if (sv->oldest) {
        int64_t left = (sv->oldest->last + limit - now + 999) / 1000;
        if (left < ms)
            ms = (int)left;
    }
    return ms < 1 ? 1 : ms;
}

int hve__server_run(hve_session *s, const hve_server_opts *o)
{
    server sv = {0};
    sv.s = s;
    sv.o = o;
    char text[HVE_HOST_MAX + 96], why[256] = "";
    hve_addr_format(&o->listen, &o->service, text, sizeof text);
    /* Thousands of peers need thousands of descriptors: take what the
     * hard limit allows (--max-conns still caps the connections). */
    hve__net_raise_fd_limit();
    sv.poll = hve__net_poller_new();
    if (!sv.poll)
        return HVE_ENOMEM;
    /* A deep accept queue: under a connect flood a short stall of this
     * thread must not make the kernel drop good clients' SYNs (each drop
     * costs that client a 1 s retransmit). The kernel caps it at
     * net.core.somaxconn. */
    hve_addr listen = o->listen;
    hve_service svc = o->service;
    int err;
    if (o->activated) {
        /* Socket activation: systemd bound it (ListenStream=, also
         * vsock::PORT); what it is comes from the socket itself. */
        err = hve__net_listen_inherited(&sv.lsock, &listen, why, sizeof why);
        if (!err && listen.family == HVE_FAM_VSOCK) {
            svc.port = listen.vport;
            svc.has_port = true;
            hve_guid_from_port(svc.port, &svc.guid);
        }
        if (!err)
            hve_addr_format(&listen, &svc, text, sizeof text);
    } else if (o->listen.family == HVE_FAM_HYBRID) {
        /* A hybrid vsock VMM hands the guest's connections to host port
         * P to the Unix socket PATH_P: listen there. */
        err = hve_hybrid_listen_path(&o->listen, &o->service, &listen, why,
                                     sizeof why);
        if (!err)
            err = hve__net_listen(&listen, &o->service, 4096, &sv.lsock, why,
                                  sizeof why);
        snprintf(text, sizeof text, "hybrid %s (guest connections to host "
                                    "port %lu)",
                 listen.path,
                 (unsigned long)hve_hybrid_port(&o->listen, &o->service));
    } else {
        err = hve__net_listen(&o->listen, &o->service, 4096, &sv.lsock, why,
                              sizeof why);
    }
    sv.fam = listen.family;
    if (err) {
        hve__emitf(s, HVE_EV_ERROR, 0, NULL, err, "%s", why);
        hve__net_poller_free(sv.poll);
        return err;
    }
    hve__net_file bound_file; /* what to remove at stop (unix) */
    hve__net_file_id(&listen, &bound_file);
    err = hve__net_poller_add(sv.poll, sv.lsock, NET_IN, &tag_listen);
    if (!err)
        err = hve__net_poller_add(sv.poll, hve__net_waker_sock(hve__waker(s)), NET_IN,
                             &tag_wake);
    if (err) {
        hve__emitf(s, HVE_EV_ERROR, 0, NULL, err, "cannot watch sockets");
        goto done;
    }
    sv.accepting = true;
    hve_event *ev = hve__event(s, HVE_EV_LISTENING, 0);
    if (ev) {
        /* Report what was really bound: port 0 means "pick one". */
        hve_addr bound;
        if (listen.family == HVE_FAM_TCP &&
            hve__net_local_addr(sv.lsock, listen.family, &bound) == 0) {
            ev->port = bound.port;
            hve_addr_format(&bound, NULL, text, sizeof text);
        } else if (listen.family == HVE_FAM_VSOCK) {
            ev->port = svc.port;
        } else if (o->listen.family == HVE_FAM_HYBRID) {
            ev->port = hve_hybrid_port(&o->listen, &o->service);
        }
        if (o->activated && strlen(text) + 24 < sizeof text)
            strcat(text, " (socket activation)");
        hve__strlcpy(ev->detail, sizeof ev->detail, text);
        hve__emit(s, ev);
    }

    sv.now = hve__now_us();
    hve__net_pev evs[MAX_EVENTS];
    /* The stop flag (a mutex) is read when the waker fired or the wait
     * timed out, not on every wakeup: hve_session_stop always signals the
     * waker after setting it. */
    bool check_stop = true;
    while (!(check_stop && hve__stopping(s)) && !sv.once_done) {
        /* A client-list request signals the waker too. */
        if (check_stop && hve__clients_wanted(s))
            publish_clients(&sv);
        check_stop = false;
        int ms = sweep_idle(&sv);
        if (!sv.accepting) {
            int64_t left = (sv.resume_accept - hve__now_us()) / 1000;
            if (left <= 0) {
                hve__net_poller_mod(sv.poll, sv.lsock, NET_IN, &tag_listen);
                sv.accepting = true;
            } else if (left < ms) {
                ms = (int)left + 1;
            }
        }
        int n = hve__wait(s, sv.poll, evs, MAX_EVENTS, ms);
        /* One clock read per wakeup, not one per read and write (none
         * without an idle timeout): on a ping-pong each is a sizeable part
         * of the round trip. */
        if (o->idle_timeout_ms >= 0)
            sv.now = hve__now_us();
        if (n <= 0)
            check_stop = true;
        if (n == NET_ERROR) {
            err = HVE_ESYS;
            hve__emitf(s, HVE_EV_ERROR, 0, NULL, err, "waiting for sockets "
                                                      "failed");
            break;
        }
        for (int i = 0; i < n; i++) {
            void *p = evs[i].ptr;
            if (p == &tag_wake) {
                hve__net_waker_drain(hve__waker(s));
                check_stop = true;
            } else if (p == &tag_listen)
                accept_some(&sv);
        }
        /* Connections in a second pass. epoll reports a socket at most
         * once per wait, so a close below frees only the conn whose event
         * it is, never one a later event points to. */
        for (int i = 0; i < n; i++) {
            void *p = evs[i].ptr;
            if (p != &tag_wake && p != &tag_listen)
                conn_io(&sv, p, evs[i].events);
        }
    }
    if (sv.once_done)
        err = sv.once_result;
    else if (!err)
        err = HVE_ECANCELED;
    while (sv.oldest)
        conn_close(&sv, sv.oldest, HVE_ECANCELED, "the server stopped");
done:
    hve__net_close(sv.lsock);
    /* An inherited unix socket file is systemd's to remove; ours only
     * while the path is still our socket. */
    if (!o->activated)
        hve__net_listen_cleanup(&listen, &bound_file);
    while (sv.nspare)
        free(sv.spare[--sv.nspare]);
    hve__net_poller_free(sv.poll);
    return err;
}
