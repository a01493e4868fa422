/* bench.c - the benchmark engine behind bench.h: one event loop (net.h's
 * poller: epoll / WSAPoll) drives 1 to thousands of client connections,
 * each a full handshake through the state machine of handshake.c, and
 * gathers the figures.
 *
 * Message bytes come from a pattern of PAT_LEN pseudo-random bytes (a
 * length that is no power of two, so a chunk lost or repeated at any
 * socket-buffer size shows as a mismatch); every echoed byte is compared.
 *
 * Per kind:
 *   latency     one connection; message n starts at its own place in the
 *               pattern; the next goes out the moment the echo is complete
 *               (no auto bye), the round trip is sampled each time;
 *   throughput  one connection streaming a message of o->bytes (or of
 *               whatever went out until duration_s), send and receive
 *               overlapped; the time runs from connected to echo complete;
 *   connections o->parallel slots, each running handshakes back to back;
 *   stress      the same with random sizes and places in the pattern,
 *               failures counted by kind instead of ending the run;
 *   idle        o->count connections that send nothing, held (also through
 *               an early stop from progress) and then closed each with the
 *               shutdown and the bye.
 *
 * Threads: the caller's thread only. */
#include "hvecho/bench.h"
#include "hvecho/defaults.h"

#include "attr.h"
#include "handshake.h"
#include "net.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAT_LEN (1048576 + 7)
#define RBUF_LEN 262144
/* Latency messages up to this size wait in a blocking receive; a larger
 * one could fill both sides' buffers while a blocking send waits, so it
 * stays on the poller, where sending and reading overlap. */
#define BLOCKING_MAX 65536
#define MAX_EVENTS 256
#define TICK_NS 50000000       /* deadlines and timeouts: every 50 ms */
#define PROGRESS_NS 200000000  /* progress: every 200 ms */
#define IDLE_CONNECTING 256 /* connects in flight, idle kind, default */

typedef struct slot {
    hve_hs hs;
    bool active;       /* has a socket, in the poller */
    bool held;         /* idle: connected, holding */
    bool connecting;   /* the connect has not finished */
    bool blocking;     /* latency: a blocking socket, no poller */
    unsigned interest; /* what the poller watches */
    int64_t t_start, t_msg, last; /* ns */
} slot;

typedef struct samples {
    int64_t *v; /* ns */
    size_t n, cap;
    bool oom;
} samples;

typedef struct bench {
    const hve_bench_opts *o;
    hve_bench_result *r;
    hve__net_poller *poll;
    unsigned char *pat, *rbuf;
    slot *slots;
    unsigned nslots;
    unsigned open, connecting, held;
    uint64_t started, msgs;
    int64_t t0, t_end, t_first, t_last, t_hold_end; /* ns */
    bool no_more;   /* start nothing new, send no new message */
    bool canceled;
    bool holding;   /* idle: all held */
    bool hold_stopped; /* idle: progress ended the hold: closing now */
    uint64_t rng;
    samples rtt, conn, hs;
} bench;

const char *hve_bench_kind_name(hve_bench_kind k)
{
    static const char *const names[] = {"latency", "throughput",
                                        "connections", "stress", "idle"};
    return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "?";
}

static uint64_t rnd(bench *b)
{
    uint64_t x = b->rng;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return b->rng = x;
}

static void sample(samples *s, int64_t ns)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 4096;
        int64_t *v = realloc(s->v, cap * sizeof *v);
        if (!v) {
            s->oom = true;
            return;
        }
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n++] = ns;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Nearest-rank percentile of sorted v, in microseconds. */
static double pct(const int64_t *v, size_t n, double p)
{
    size_t k = (size_t)(p / 100.0 * (double)n + 0.999999);
    if (k < 1)
        k = 1;
    if (k > n)
        k = n;
    return (double)v[k - 1] / 1e3;
}

static void stats(samples *s, hve_bench_stats *out)
{
    memset(out, 0, sizeof *out);
    if (!s->n)
        return;
    qsort(s->v, s->n, sizeof *s->v, cmp_i64);
    double sum = 0;
    for (size_t i = 0; i < s->n; i++)
        sum += (double)s->v[i];
    out->count = s->n;
    out->min_us = (double)s->v[0] / 1e3;
    out->max_us = (double)s->v[s->n - 1] / 1e3;
    out->mean_us = sum / (double)s->n / 1e3;
    out->p50_us = pct(s->v, s->n, 50);
    out->p90_us = pct(s->v, s->n, 90);
    out->p99_us = pct(s->v, s->n, 99);
}

static bool past(int64_t deadline, int64_t now)
{
    return deadline && now >= deadline;
}

/* May another connection start now? */
static bool may_start(const bench *b)
{
    const hve_bench_opts *o = b->o;
    if (b->no_more || b->canceled)
        return false;
    switch (o->kind) {
    case HVE_BENCH_LATENCY:
    case HVE_BENCH_THROUGHPUT:
        return b->started == 0;
    case HVE_BENCH_IDLE:
        return b->started < o->count && b->connecting < o->parallel;
    default:
        return o->count == 0 || b->started < o->count;
    }
}

static void watch(bench *b, slot *s)
{
    if (s->blocking)
        return;
    unsigned want = s->held ? 0u : hve__hs_want(&s->hs);
    if (want != s->interest) {
        hve__net_poller_mod(b->poll, s->hs.sock, want, s);
        s->interest = want;
    }
}

static void slot_close(bench *b, slot *s, bool ok)
{
    hve__net_poller_del(b->poll, s->hs.sock);
    if (ok)
        hve__net_close(s->hs.sock);
    else
        hve__net_abort(s->hs.sock);
    if (s->connecting) {
        s->connecting = false;
        b->connecting--;
    }
    s->blocking = false;
    s->active = false;
    if (s->held) {
        s->held = false;
        b->held--;
    }
    b->open--;
}

/* A handshake failed: count it, keep the first error. */
static void failed(bench *b, slot *s)
{
    hve_bench_result *r = b->r;
    hve_hs *h = &s->hs;
    r->failed++;
    if ((unsigned)h->err < HVE_ERR_COUNT)
        r->by_error[h->err]++;
    if (h->err == HVE_EMISMATCH)
        r->corrupted++;
    else if (h->sent > h->got)
        r->lost += h->sent - h->got;
    if (!r->err) {
        r->err = h->err;
        hve__strlcpy(r->detail, sizeof r->detail, h->why);
    }
    slot_close(b, s, false);
    if (b->o->kind == HVE_BENCH_LATENCY || b->o->kind == HVE_BENCH_THROUGHPUT)
        b->no_more = true;
}

/* The next latency message, or the bye when there are no more. */
static unsigned next_message(bench *b, slot *s, int64_t now)
{
    const hve_bench_opts *o = b->o;
    bool more = !b->no_more && (o->count == 0 || b->msgs < o->count);
    if (!more) {
        s->hs.auto_bye = true;
        return hve__hs_bye(&s->hs);
    }
    /* Each message starts elsewhere in the first 4 KiB of the pattern:
     * consecutive messages differ, and the bytes stay in the cache (a
     * cache miss per message would show in a 7 us round trip). */
    hve__hs_message(&s->hs, b->pat, PAT_LEN, (size_t)((b->msgs * 67) % 4096),
                    o->size);
    s->hs.auto_bye = false;
    /* Timed from right before the send, as sockperf does: the round trip,
     * not our bookkeeping between two messages. */
    (void)now;
    s->t_msg = hve__now_ns();
    return hve__hs_step(&s->hs, 0, b->rbuf, RBUF_LEN);
}

static void handle(bench *b, slot *s, unsigned flags, int64_t now)
{
    const hve_bench_opts *o = b->o;
    hve_bench_result *r = b->r;
    hve_hs *h = &s->hs;
    s->last = now;
    while (flags) {
        unsigned more = 0;
        if (flags & HVE_HS_CONNECTED) {
            s->connecting = false;
            b->connecting--;
            /* One connection, one message at a time: a blocking receive
             * wakes sooner than the poller and a receive (sockperf's
             * ping-pong waits the same way). The poller stays the
             * fallback. */
            if (o->kind == HVE_BENCH_LATENCY &&
                o->size <= BLOCKING_MAX &&
                hve__net_set_blocking(h->sock, o->timeout_ms) == 0) {
                /* Out of the poller too: its wakeup callback would only
                 * slow each arrival down. */
                hve__net_poller_del(b->poll, h->sock);
                s->blocking = true;
            }
            sample(&b->conn, now - s->t_start);
            s->t_msg = now;
            if (!b->t_first)
                b->t_first = now;
        }
        if (flags & HVE_HS_ECHOED) {
            switch (o->kind) {
            case HVE_BENCH_LATENCY:
                if (h->len) { /* not the empty first round */
                    sample(&b->rtt, now - s->t_msg);
                    b->msgs++;
                    r->ok++;
                    r->bytes += h->len;
                    r->sent += h->len;
                    b->t_last = now;
                }
                more = next_message(b, s, now);
                break;
            case HVE_BENCH_THROUGHPUT:
                r->bytes = r->sent = h->len;
                b->t_last = now;
                break;
            case HVE_BENCH_IDLE:
                if (!s->held) {
                    s->held = true;
                    if (++b->held == o->count && !b->holding) {
                        b->holding = true;
                        b->t_hold_end =
                            o->duration_s > 0
                                ? now + (int64_t)(o->duration_s * 1e9)
                                : 0;
                    }
                }
                break;
            default:
                r->bytes += h->len;
                r->sent += h->len;
                break;
            }
        }
        if (flags & HVE_HS_ERROR) {
            failed(b, s);
            return;
        }
        if (flags & HVE_HS_FINISHED) {
            if (o->kind != HVE_BENCH_LATENCY)
                r->ok++;
            sample(&b->hs, now - s->t_start);
            b->t_last = now;
            slot_close(b, s, true);
            return;
        }
        flags = more;
    }
    watch(b, s);
}

static void start(bench *b, slot *s, int64_t now)
{
    const hve_bench_opts *o = b->o;
    hve_hs *h = &s->hs;
    b->started++;
    s->t_start = s->last = now;
    s->t_msg = 0;
    s->held = false;
    int err = hve__hs_connect(h, &o->target, &o->service, o->timeout_ms);
    h->bye_optional = o->no_bye;
    if (err) {
        hve_bench_result *r = b->r;
        r->failed++;
        if ((unsigned)err < HVE_ERR_COUNT)
            r->by_error[err]++;
        if (!r->err) {
            r->err = err;
            hve__strlcpy(r->detail, sizeof r->detail, h->why);
        }
        if (o->kind != HVE_BENCH_STRESS)
            b->no_more = true;
        return;
    }
    switch (o->kind) {
    case HVE_BENCH_LATENCY:
        /* An empty first round: the first message goes out once
         * connected, through next_message. */
        hve__hs_message(h, NULL, 0, 0, 0);
        h->auto_bye = false;
        break;
    case HVE_BENCH_THROUGHPUT:
        hve__hs_message(h, b->pat, PAT_LEN, 0,
                        o->bytes ? o->bytes : UINT64_MAX);
        break;
    case HVE_BENCH_STRESS:
        hve__hs_message(h, b->pat, PAT_LEN, (size_t)(rnd(b) % PAT_LEN),
                        1 + rnd(b) % o->size);
        break;
    case HVE_BENCH_IDLE:
        hve__hs_message(h, NULL, 0, 0, 0);
        h->auto_bye = false;
        break;
    default:
        hve__hs_message(h, b->pat, PAT_LEN, (size_t)(b->started * 4099),
                        o->size);
        break;
    }
    s->active = true;
    s->interest = NET_OUT;
    b->open++;
    b->connecting++;
    s->connecting = true;
    if (hve__net_poller_add(b->poll, h->sock, NET_OUT, s) != 0) {
        h->err = HVE_ESYS;
        snprintf(h->why, sizeof h->why, "cannot watch the socket");
        failed(b, s);
    }
}

/* A held idle connection woke: the server closed it or sent something. */
static void held_event(bench *b, slot *s)
{
    unsigned char c;
    int err = 0;
    long n = hve__net_recv(s->hs.sock, &c, 1, &err);
    if (n == NET_AGAIN)
        return;
    s->hs.phase = HVE_HS_FAILED;
    if (n == NET_ERROR) {
        s->hs.err = err;
        snprintf(s->hs.why, sizeof s->hs.why, "an idle connection failed");
    } else {
        s->hs.err = HVE_ECLOSED;
        snprintf(s->hs.why, sizeof s->hs.why,
                 n == 0 ? "the server closed an idle connection"
                        : "the server sent bytes nobody asked for on an "
                          "idle connection");
    }
    failed(b, s);
}

/* The idle hold is over: every held connection says goodbye. */
static void end_hold(bench *b, int64_t now)
{
    b->holding = false;
    b->no_more = true;
    for (unsigned i = 0; i < b->nslots; i++) {
        slot *s = &b->slots[i];
        if (!s->active || !s->held)
            continue;
        s->held = false;
        b->held--;
        handle(b, s, hve__hs_bye(&s->hs), now);
    }
}

/* Deadlines, timeouts, progress: once per tick. */
static void tick(bench *b, int64_t now, int64_t *next_progress)
{
    const hve_bench_opts *o = b->o;
    if (!b->no_more && past(b->t_end, now)) {
        b->no_more = true;
        if (o->kind == HVE_BENCH_THROUGHPUT && b->slots[0].active &&
            b->slots[0].hs.phase == HVE_HS_ECHO) {
            slot *s = &b->slots[0];
            hve__hs_end_message(&s->hs);
            handle(b, s, hve__hs_step(&s->hs, 0, b->rbuf, RBUF_LEN), now);
        }
    }
    if (b->holding && past(b->t_hold_end, now))
        end_hold(b, now);
    int64_t limit = (int64_t)o->timeout_ms * 1000000;
    for (unsigned i = 0; i < b->nslots; i++) {
        slot *s = &b->slots[i];
        if (s->active && !s->held && now - s->last > limit) {
            hve__hs_timeout(&s->hs, o->timeout_ms);
            failed(b, s);
        }
    }
    if (o->progress && now >= *next_progress) {
        *next_progress = now + PROGRESS_NS;
        hve_bench_progress p = {0};
        p.kind = o->kind;
        p.elapsed_s = (double)(now - b->t0) / 1e9;
        p.done = b->r->ok;
        p.failed = b->r->failed;
        p.bytes = o->kind == HVE_BENCH_THROUGHPUT && b->slots[0].active
                      ? b->slots[0].hs.got
                      : b->r->bytes;
        p.open = b->open;
        p.holding = b->holding;
        if (!o->progress(o->user, &p)) {
            /* An idle hold ends with every connection closing properly,
             * bounded by the timeout; a stop in any other phase aborts. */
            if (o->kind == HVE_BENCH_IDLE && b->held == b->open &&
                b->open && !b->canceled) {
                b->hold_stopped = true;
                end_hold(b, now);
            } else if (!b->hold_stopped) {
                b->canceled = true;
            }
        }
    }
}

static int check_opts(const hve_bench_opts *o, char *why, size_t len)
{
    bool timed = o->duration_s > 0;
    switch (o->kind) {
    case HVE_BENCH_LATENCY:
    case HVE_BENCH_CONNECTIONS:
    case HVE_BENCH_STRESS:
        if (!o->size) {
            snprintf(why, len, "the message size must be at least 1 byte");
            return HVE_EBADINPUT;
        }
        if (!o->count && !timed) {
            snprintf(why, len, "give a count or a duration");
            return HVE_EBADINPUT;
        }
        return 0;
    case HVE_BENCH_THROUGHPUT:
        if (!o->bytes && !timed) {
            snprintf(why, len, "give a number of bytes or a duration");
            return HVE_EBADINPUT;
        }
        return 0;
    case HVE_BENCH_IDLE:
        if (!o->count) {
            snprintf(why, len, "give the number of connections to hold");
            return HVE_EBADINPUT;
        }
        return 0;
    }
    snprintf(why, len, "unknown benchmark");
    return HVE_EBADINPUT;
}

int hve_bench_run(const hve_bench_opts *opts, hve_bench_result *r)
{
    memset(r, 0, sizeof *r);
    hve_bench_opts o = *opts;
    if (o.timeout_ms <= 0)
        o.timeout_ms = HVE_DEFAULT_TIMEOUT_MS;
    if (o.parallel == 0)
        o.parallel = o.kind == HVE_BENCH_IDLE ? IDLE_CONNECTING : 1;
    r->err = check_opts(&o, r->detail, sizeof r->detail);
    if (r->err)
        return r->err;
    r->err = hve__net_init();
    if (r->err)
        return r->err;
    hve__net_raise_fd_limit();

    bench b = {0};
    b.o = &o;
    b.r = r;
    b.rng = o.seed ? o.seed : (uint64_t)hve__now_ns() | 1u;
    switch (o.kind) {
    case HVE_BENCH_LATENCY:
    case HVE_BENCH_THROUGHPUT:
        b.nslots = 1;
        break;
    case HVE_BENCH_IDLE:
        b.nslots = o.count > 10000000 ? 10000000 : (unsigned)o.count;
        break;
    default:
        b.nslots = o.parallel;
        if (o.count && o.count < b.nslots)
            b.nslots = (unsigned)o.count;
        break;
    }
    b.poll = hve__net_poller_new();
    b.pat = malloc(PAT_LEN);
    b.rbuf = malloc(RBUF_LEN);
    b.slots = calloc(b.nslots, sizeof *b.slots);
    if (!b.poll || !b.pat || !b.rbuf || !b.slots) {
        r->err = HVE_ENOMEM;
        snprintf(r->detail, sizeof r->detail, "out of memory");
        goto out;
    }
    hve_test_data(b.pat, PAT_LEN, 1);

    b.t0 = hve__now_ns();
    if (o.duration_s > 0 && o.kind != HVE_BENCH_IDLE)
        b.t_end = b.t0 + (int64_t)(o.duration_s * 1e9);
    int64_t next_tick = b.t0, next_progress = b.t0 + PROGRESS_NS;
    hve__net_pev evs[MAX_EVENTS];
    for (;;) {
        int64_t now = 0;
        for (unsigned i = 0; i < b.nslots && may_start(&b); i++)
            if (!b.slots[i].active)
                start(&b, &b.slots[i], now ? now : (now = hve__now_ns()));
        if (b.open == 0 && !may_start(&b))
            break;
        if (b.slots[0].active && b.slots[0].blocking) {
            /* Waits in the receive, at most timeout_ms. */
            slot *s = &b.slots[0];
            hve_hs *h = &s->hs;
            uint64_t got = h->got, sent = h->sent;
            size_t bye = h->bye_len;
            hve_hs_phase ph = h->phase;
            unsigned fl = hve__hs_step(h, NET_IN | NET_OUT, b.rbuf, RBUF_LEN);
            now = hve__now_ns();
            if (fl || h->got != got || h->sent != sent ||
                h->bye_len != bye || h->phase != ph)
                handle(&b, s, fl, now);
            if (now >= next_tick) {
                next_tick = now + TICK_NS;
                tick(&b, now, &next_progress);
            }
            if (!b.canceled)
                continue;
        }
        int n = b.canceled ? 0
                           : hve__net_poller_wait(b.poll, evs, MAX_EVENTS,
                                             TICK_NS / 1000000);
        if (n == NET_ERROR) {
            r->err = HVE_ESYS;
            snprintf(r->detail, sizeof r->detail, "waiting for sockets "
                                                  "failed");
            b.canceled = true;
        }
        now = hve__now_ns();
        for (int i = 0; i < n; i++) {
            slot *s = evs[i].ptr;
            if (!s->active)
                continue; /* closed by an earlier event of this round */
            if (s->held)
                held_event(&b, s);
            else
                handle(&b, s, hve__hs_step(&s->hs, evs[i].events, b.rbuf,
                                           RBUF_LEN),
                       now);
        }
        if (now >= next_tick) {
            next_tick = now + TICK_NS;
            tick(&b, now, &next_progress);
        }
        if (b.canceled) {
            for (unsigned i = 0; i < b.nslots; i++)
                if (b.slots[i].active)
                    slot_close(&b, &b.slots[i], false);
            if (!r->err || r->err != HVE_ESYS) {
                r->err = HVE_ECANCELED;
                snprintf(r->detail, sizeof r->detail, "stopped");
            }
            break;
        }
    }
    switch (o.kind) {
    case HVE_BENCH_LATENCY:
    case HVE_BENCH_THROUGHPUT:
        r->seconds = b.t_last > b.t_first ? (double)(b.t_last - b.t_first) / 1e9
                                          : 0;
        break;
    default:
        r->seconds = (double)((b.t_last ? b.t_last : hve__now_ns()) - b.t0) /
                     1e9;
        break;
    }
    stats(&b.rtt, &r->rtt);
    stats(&b.conn, &r->connect);
    stats(&b.hs, &r->handshake);
    if (!r->err && (b.rtt.oom || b.conn.oom || b.hs.oom)) {
        r->err = HVE_ENOMEM;
        snprintf(r->detail, sizeof r->detail, "out of memory for samples");
    }
out:
    free(b.rtt.v);
    free(b.conn.v);
    free(b.hs.v);
    free(b.slots);
    free(b.rbuf);
    free(b.pat);
    hve__net_poller_free(b.poll);
    return r->err;
}
