/* session.c - a session: the worker thread, the event queue between the
 * worker and the owner (the front end's thread), and stopping.
 *
 * Threads: hve_session_start_* / next / wait / free run on the owner's
 * thread; hve_session_stop and hve_session_conn_count on any thread; the
 * hve__* functions on the worker. The queue and flags are guarded by mu. */
#include "worker.h"

#include "hvecho/defaults.h"
#include "hvecho/error.h"
#include "hvecho/text.h"
#include "event_alloc.h"
#include "platform.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Past this many undrained events, data events are dropped (counted). */
#define QUEUE_SOFT_LIMIT 4096

/* A background worker's largest send or recv (its io_chunk when the
 * caller set none). Why: a kernel that does not preempt its own code
 * (Linux built or booted with preempt=none) lets the UI thread have the
 * CPU only when the worker's system call returns, and one send of a
 * whole big message on loopback copies megabytes, running the peer's
 * receive path inline: measured 8 to 32 ms per call during a 256 MiB
 * echo, the window's UI thread waiting for a CPU all along. 256 KiB a
 * call keeps each well under a millisecond and costs the transfer
 * nothing to speak of (a thousand calls per 256 MiB). */
#define BACKGROUND_IO_CHUNK 262144

struct qnode {
    struct qnode *next;
    hve_event *ev;
};

struct hve_session {
    hve_mutex mu;
    hve_cond cv;
    struct qnode *head, *tail;
    size_t queued;
    uint64_t dropped;
    uint64_t dropped_echo, dropped_verified; /* worker only: see FINISHED */
    uint64_t closed_ok, closed_failed; /* worker only: CLOSED events */
    bool unflushed;    /* worker only: queued since the last hve__flush */
    /* Lock-free: the worker asks at every send and the window at every
     * server event; with a background worker (a lower priority) a lock
     * here could keep the UI thread waiting while the scheduler has the
     * lock's holder waiting for a CPU. */
    atomic_bool stop_req;
    bool finished;     /* FINISHED queued */
    bool drained;      /* owner only: FINISHED handed to the owner */
    /* Owner only: events taken from the queue in one go (one lock per
     * batch, not per event), and how many of them were popped since; the
     * worker's count (queued) is settled at the next take. */
    struct qnode *ohead;
    size_t opopped;
    atomic_uint conns;      /* lock-free, as stop_req */
    hve__net_waker *waker;
    hve_wake_fn wake;
    void *user;
    hve_thread thread;
    bool started;
    int64_t t0;
    bool is_server;
    hve_client_opts copt;
    hve_server_opts sopt;
    unsigned char *owned;  /* the message or bye copy */
    void *taken;           /* the message taken without a copy ... */
    void (*taken_free)(void *); /* ... and how to give it back */
    char *allow;           /* the allow list copy */
    hve_allow *allowed;    /* ... parsed once, at start */
    char note[128];        /* worker: hve__finish_note */
    bool clients_wanted;   /* hve_session_clients_request */
    hve_client_info *clients; /* the last snapshot, clients_n long */
    size_t clients_n;
    unsigned clients_total;
    int64_t clients_t;     /* its t_us, -1 = none */
};

hve_event *hve__event(hve_session *s, hve_event_kind kind, uint64_t conn)
{
    hve_event *ev = hve__event_alloc();
    if (!ev)
        return NULL;
    ev->kind = kind;
    ev->conn = conn;
    ev->mono_us = hve__now_us();
    ev->t_us = ev->mono_us - s->t0;
    ev->side = s->is_server ? HVE_SIDE_SERVER : HVE_SIDE_CLIENT;
    ev->dur_us = ev->connect_us = ev->echo_us = ev->bye_us = -1;
    return ev;
}

void hve__event_data(hve_event *ev, const void *data, size_t len)
{
    if (!ev || !len)
        return;
    size_t n = len > HVE_EVENT_DATA_CAP ? HVE_EVENT_DATA_CAP : len;
    ev->data = malloc(n);
    if (!ev->data)
        return;
    memcpy(ev->data, data, n);
    ev->len = n;
    ev->truncated = n < len;
}

bool hve__emit(hve_session *s, hve_event *ev)
{
    if (!ev)
        return false;
    struct qnode *n = malloc(sizeof *n);
    if (!n) {
        hve_event_free(ev);
        return false;
    }
    n->next = NULL;
    n->ev = ev;
    if (ev->kind == HVE_EV_CLOSED) {
        if (ev->err)
            s->closed_failed++;
        else
            s->closed_ok++;
        if (ev->side == HVE_SIDE_CLIENT && ev->dropped_echo) {
            s->dropped_echo += ev->dropped_echo;
            if (!ev->err)
                s->dropped_verified++;
        }
    }
    bool is_data = ev->kind == HVE_EV_SENT || ev->kind == HVE_EV_RECEIVED;
    hve__mutex_lock(&s->mu);
    if (is_data && s->queued >= QUEUE_SOFT_LIMIT) {
        s->dropped++;
        hve__mutex_unlock(&s->mu);
        free(n);
        hve_event_free(ev);
        return false;
    }
    if (ev->kind == HVE_EV_FINISHED)
        s->finished = true;
    if (s->tail)
        s->tail->next = n;
    else
        s->head = n;
    s->tail = n;
    s->queued++;
    hve__mutex_unlock(&s->mu);
    /* No wake here: the owner hears of it when the worker is done with
     * what is ready (hve__flush), so the worker never hands the CPU to the
     * owner in the middle of a connection's I/O. */
    s->unflushed = true;
    return true;
}

void hve__count_closed_ok(hve_session *s)
{
    s->closed_ok++;
}

void hve__flush(hve_session *s)
{
    if (!s->unflushed)
        return;
    s->unflushed = false;
    /* The events were queued under the mutex, so an owner that found the
     * queue empty is already waiting on the condition: no lock needed. */
    hve__cond_broadcast(&s->cv);
    if (s->wake)
        s->wake(s->user);
}

int hve__wait(hve_session *s, hve__net_poller *p, hve__net_pev *out, int max,
              int timeout_ms)
{
    hve__flush(s);
    return hve__net_poller_wait(p, out, max, timeout_ms);
}

void hve__emitf(hve_session *s, hve_event_kind kind, uint64_t conn,
                const char *peer, int err, const char *fmt, ...)
{
    hve_event *ev = hve__event(s, kind, conn);
    if (!ev)
        return;
    ev->err = err;
    if (peer)
        hve__strlcpy(ev->peer, sizeof ev->peer, peer);
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(ev->detail, sizeof ev->detail, fmt, ap);
        va_end(ap);
    }
    hve__emit(s, ev);
}

bool hve__stopping(hve_session *s)
{
    return atomic_load(&s->stop_req);
}

void hve__finish_note(hve_session *s, const char *note)
{
    hve__strlcpy(s->note, sizeof s->note, note);
}

size_t hve__queued(hve_session *s)
{
    hve__mutex_lock(&s->mu);
    size_t n = s->queued;
    hve__mutex_unlock(&s->mu);
    return n;
}

hve__net_waker *hve__waker(hve_session *s)
{
    return s->waker;
}

const hve_allow *hve__allow(hve_session *s)
{
    return s->allowed;
}

void hve__set_conn_count(hve_session *s, unsigned n)
{
    atomic_store(&s->conns, n);
}

unsigned hve_session_conn_count(hve_session *s)
{
    return atomic_load(&s->conns);
}

void hve_session_clients_request(hve_session *s)
{
    hve__mutex_lock(&s->mu);
    s->clients_wanted = true;
    hve__mutex_unlock(&s->mu);
    hve__net_waker_signal(s->waker);
}

bool hve__clients_wanted(hve_session *s)
{
    hve__mutex_lock(&s->mu);
    bool r = s->clients_wanted;
    s->clients_wanted = false;
    hve__mutex_unlock(&s->mu);
    return r;
}

void hve__publish_clients(hve_session *s, hve_client_info *list, size_t n,
                          unsigned total)
{
    int64_t t = hve__now_us() - s->t0;
    hve__mutex_lock(&s->mu);
    hve_client_info *old = s->clients;
    s->clients = list;
    s->clients_n = list ? n : 0;
    s->clients_total = total;
    s->clients_t = t;
    hve__mutex_unlock(&s->mu);
    free(old);
}

size_t hve_session_clients(hve_session *s, hve_client_info *out, size_t max,
                           unsigned *total, int64_t *t_us)
{
    hve__mutex_lock(&s->mu);
    size_t n = s->clients_n < max ? s->clients_n : max;
    if (n)
        memcpy(out, s->clients, n * sizeof *out);
    if (total)
        *total = s->clients_total;
    if (t_us)
        *t_us = s->clients_t;
    hve__mutex_unlock(&s->mu);
    return n;
}

static void worker_main(void *arg)
{
    hve_session *s = arg;
    if (s->is_server ? s->sopt.background : s->copt.background)
        hve__thread_background();
    int err = s->is_server ? hve__server_run(s, &s->sopt)
                           : hve__client_run(s, &s->copt);
    hve__set_conn_count(s, 0);
    if (s->is_server)
        hve__publish_clients(s, NULL, 0, 0);
    hve__mutex_lock(&s->mu);
    uint64_t dropped = s->dropped;
    hve__mutex_unlock(&s->mu);
    hve_event *ev = hve__event(s, HVE_EV_FINISHED, 0);
    if (!ev) {
        /* The owner must still learn the session is over. */
        static hve_event oom;
        ev = malloc(sizeof *ev);
        if (ev)
            *ev = oom;
    }
    if (ev) {
        ev->kind = HVE_EV_FINISHED;
        ev->side = s->is_server ? HVE_SIDE_SERVER : HVE_SIDE_CLIENT;
        ev->err = err;
        hve__strlcpy(ev->detail, sizeof ev->detail, s->note);
        ev->ok = s->closed_ok;
        ev->failed = s->closed_failed;
        ev->dropped = dropped;
        ev->dropped_echo = s->dropped_echo;
        ev->dropped_verified = s->dropped_verified;
        hve__emit(s, ev);
    }
    hve__flush(s);
}

static hve_session *session_new(hve_wake_fn wake, void *user, int *err)
{
    int rc = hve__net_init();
    if (rc) {
        *err = rc;
        return NULL;
    }
    hve_session *s = calloc(1, sizeof *s);
    if (!s) {
        *err = HVE_ENOMEM;
        return NULL;
    }
    s->waker = hve__net_waker_new();
    if (!s->waker) {
        free(s);
        *err = HVE_ENOMEM;
        return NULL;
    }
    hve__mutex_init(&s->mu);
    hve__cond_init(&s->cv);
    atomic_init(&s->stop_req, false);
    atomic_init(&s->conns, 0);
    s->wake = wake;
    s->user = user;
    s->t0 = hve__now_us();
    s->clients_t = -1;
    return s;
}

static hve_session *session_go(hve_session *s, int *err)
{
    int rc = hve__thread_start(&s->thread, worker_main, s);
    if (rc) {
        *err = rc;
        hve_session_free(s);
        return NULL;
    }
    s->started = true;
    return s;
}

static const char default_message[] = HVE_DEFAULT_MESSAGE;
static const char default_bye[] = HVE_DEFAULT_BYE;

int hve_client_opts_message(hve_client_opts *o, const void *text, size_t len,
                            size_t fill)
{
    o->message = text;
    o->message_len = len;
    o->message_free = NULL;
    o->repeat_to = 0;
    if (fill > len) {
        if (len == 0)
            return HVE_ENOMEM; /* nothing to repeat (as hve_fill_repeat) */
        o->repeat_to = fill;
    }
    return 0;
}

/* The bytes a repeated message is sent from: whole copies of the text,
 * at least REPEAT_PATTERN bytes (or the whole message when it is shorter),
 * so that a send or a check runs over a long stretch at a time. */
#define REPEAT_PATTERN 262144
_Static_assert(REPEAT_PATTERN >= HVE_EVENT_DATA_CAP,
               "an event's data is taken from the pattern's start");

/* The session's own copy of the message: the text itself, or, repeated,
 * the pattern (see REPEAT_PATTERN). */
static int own_message(hve_session *s, const void *msg, size_t len,
                       uint64_t total)
{
    size_t plen = len;
    if (total > len) {
        uint64_t copies = (REPEAT_PATTERN + len - 1) / len;
        uint64_t want = copies * len;
        plen = (size_t)(want < total ? want : total);
    }
    s->owned = plen > len ? hve_fill_repeat(msg, len, plen) : malloc(len);
    if (!s->owned)
        return HVE_ENOMEM;
    if (plen == len)
        memcpy(s->owned, msg, len);
    s->copt.message = s->owned;
    s->copt.message_len = plen;
    s->copt.repeat_to = total;
    return 0;
}

hve_session *hve_session_start_client(const hve_client_opts *o,
                                      hve_wake_fn wake, void *user, int *err)
{
    int dummy;
    if (!err)
        err = &dummy;
    *err = 0;
    bool take = o->message_free && o->message;
    hve_session *s = session_new(wake, user, err);
    if (!s) {
        if (take)
            o->message_free((void *)o->message);
        return NULL;
    }
    s->copt = *o;
    s->copt.message_free = NULL;
    if (take) {
        /* hve_session_free gives it back, also when the start fails. */
        s->taken = (void *)o->message;
        s->taken_free = o->message_free;
    }
    const void *msg = o->message_len ? o->message : default_message;
    size_t len = o->message_len ? o->message_len : strlen(default_message);
    uint64_t total = o->repeat_to > len ? o->repeat_to : len;
    if (take && o->message_len && total == len) {
        s->copt.message = o->message;
        s->copt.repeat_to = len;
    } else if ((*err = own_message(s, msg, len, total)) != 0) {
        hve_session_free(s);
        return NULL;
    }
    if (s->copt.timeout_ms <= 0)
        s->copt.timeout_ms = HVE_DEFAULT_TIMEOUT_MS;
    if (s->copt.count == 0)
        s->copt.count = 1;
    if (s->copt.background && s->copt.io_chunk == 0)
        s->copt.io_chunk = BACKGROUND_IO_CHUNK;
    return session_go(s, err);
}

hve_session *hve_session_start_server(const hve_server_opts *o,
                                      hve_wake_fn wake, void *user, int *err)
{
    int dummy;
    if (!err)
        err = &dummy;
    *err = 0;
    hve_session *s = session_new(wake, user, err);
    if (!s)
        return NULL;
    s->is_server = true;
    s->sopt = *o;
    size_t len = o->bye_empty ? 0 : o->bye_len ? o->bye_len
                                               : strlen(default_bye);
    const void *bye = o->bye_len ? o->bye : default_bye;
    s->owned = malloc(len ? len : 1);
    if (o->allow)
        s->allow = malloc(strlen(o->allow) + 1);
    if (!s->owned || (o->allow && !s->allow)) {
        *err = HVE_ENOMEM;
        hve_session_free(s);
        return NULL;
    }
    if (len)
        memcpy(s->owned, bye, len);
    s->sopt.bye = s->owned;
    s->sopt.bye_len = len;
    if (o->allow) {
        strcpy(s->allow, o->allow);
        s->sopt.allow = s->allow;
        /* A bad list fails the start, before anything listens. */
        if (hve_allow_parse(s->allow, &s->allowed, NULL, 0)) {
            *err = HVE_EBADINPUT;
            hve_session_free(s);
            return NULL;
        }
    }
    if (s->sopt.max_conns == 0)
        s->sopt.max_conns = HVE_DEFAULT_MAX_CONNS;
    if (s->sopt.idle_timeout_ms == 0)
        s->sopt.idle_timeout_ms = HVE_DEFAULT_IDLE_TIMEOUT_MS;
    if (s->sopt.background && s->sopt.io_chunk == 0)
        s->sopt.io_chunk = BACKGROUND_IO_CHUNK;
    return session_go(s, err);
}

hve_event *hve_session_next(hve_session *s)
{
    return hve_session_wait(s, 0);
}

/* Owner: moves the whole shared queue to the owner's list (which must be
 * empty), under the lock held by the caller. */
static void take_locked(hve_session *s)
{
    s->queued -= s->opopped;
    s->opopped = 0;
    s->ohead = s->head;
    s->head = s->tail = NULL;
}

/* Owner: pops from the owner's list. */
static hve_event *pop_owned(hve_session *s)
{
    struct qnode *n = s->ohead;
    if (!n)
        return NULL;
    s->ohead = n->next;
    s->opopped++;
    hve_event *ev = n->ev;
    free(n);
    if (ev->kind == HVE_EV_FINISHED)
        s->drained = true;
    return ev;
}

/* One wait on cv (mu held) for what is left until deadline; timeout_ms
 * < 0 waits without a limit. False, without waiting, when timeout_ms is 0
 * or the deadline has passed. */
static bool wait_once(hve_cond *cv, hve_mutex *mu, int timeout_ms,
                      int64_t deadline)
{
    int ms = -1;
    if (timeout_ms == 0)
        return false;
    if (timeout_ms > 0) {
        int64_t left = deadline - hve__now_us();
        if (left <= 0)
            return false;
        ms = (int)((left + 999) / 1000);
    }
    hve__cond_wait(cv, mu, ms);
    return true;
}

hve_event *hve_session_wait(hve_session *s, int timeout_ms)
{
    if (s->ohead)
        return pop_owned(s);
    int64_t deadline = hve__now_us() + (int64_t)timeout_ms * 1000;
    hve__mutex_lock(&s->mu);
    while (!s->head && !s->drained &&
           wait_once(&s->cv, &s->mu, timeout_ms, deadline))
        ;
    take_locked(s);
    hve__mutex_unlock(&s->mu);
    return pop_owned(s);
}

/* The instant of the oldest event queued for the owner, or INT64_MAX. */
static int64_t head_mono(hve_session *s)
{
    if (!s->ohead && !s->drained) {
        hve__mutex_lock(&s->mu);
        take_locked(s);
        hve__mutex_unlock(&s->mu);
    }
    return s->ohead ? s->ohead->ev->mono_us : INT64_MAX;
}

size_t hve_sessions_next(hve_session *const *ss, size_t n, hve_event **out,
                         size_t *from, size_t max)
{
    size_t got = 0;
    while (got < max) {
        size_t best = n;
        int64_t best_t = INT64_MAX;
        for (size_t i = 0; i < n; i++) {
            if (!ss[i])
                continue;
            int64_t t = head_mono(ss[i]);
            if (t < best_t) {
                best_t = t;
                best = i;
            }
        }
        if (best == n)
            break;
        hve_event *ev = hve_session_next(ss[best]);
        if (!ev)
            break;
        if (from)
            from[got] = best;
        out[got++] = ev;
    }
    return got;
}

struct hve_bell {
    hve_mutex mu;
    hve_cond cv;
    bool rung;
};

hve_bell *hve_bell_new(void)
{
    hve_bell *b = calloc(1, sizeof *b);
    if (b) {
        hve__mutex_init(&b->mu);
        hve__cond_init(&b->cv);
    }
    return b;
}

void hve_bell_free(hve_bell *b)
{
    if (b) {
        hve__cond_destroy(&b->cv);
        hve__mutex_destroy(&b->mu);
        free(b);
    }
}

void hve_bell_ring(void *bell)
{
    hve_bell *b = bell;
    hve__mutex_lock(&b->mu);
    b->rung = true;
    hve__cond_signal(&b->cv);
    hve__mutex_unlock(&b->mu);
}

bool hve_bell_wait(hve_bell *b, int timeout_ms)
{
    int64_t deadline = hve__now_us() + (int64_t)timeout_ms * 1000;
    hve__mutex_lock(&b->mu);
    while (!b->rung && wait_once(&b->cv, &b->mu, timeout_ms, deadline))
        ;
    bool rung = b->rung;
    b->rung = false;
    hve__mutex_unlock(&b->mu);
    return rung;
}

void hve_session_stop(hve_session *s)
{
    atomic_store(&s->stop_req, true);
    hve__net_waker_signal(s->waker);
}

bool hve_session_finished(hve_session *s)
{
    hve__mutex_lock(&s->mu);
    bool f = s->finished;
    hve__mutex_unlock(&s->mu);
    return f;
}

void hve_session_free(hve_session *s)
{
    if (!s)
        return;
    if (s->started) {
        hve_session_stop(s);
        hve__thread_join(s->thread);
    }
    struct qnode *lists[2] = {s->ohead, s->head};
    for (int i = 0; i < 2; i++) {
        struct qnode *n = lists[i];
        while (n) {
            struct qnode *next = n->next;
            hve_event_free(n->ev);
            free(n);
            n = next;
        }
    }
    hve__net_waker_free(s->waker);
    hve__cond_destroy(&s->cv);
    hve__mutex_destroy(&s->mu);
    free(s->owned);
    if (s->taken_free)
        s->taken_free(s->taken);
    free(s->clients);
    free(s->allow);
    hve_allow_free(s->allowed);
    free(s);
}
