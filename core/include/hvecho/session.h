/* session.h - a server, or one client run, on its own worker thread.
 *
 * Threads:
 *   - The front end's thread (the "owner") calls hve_session_start_*,
 *     hve_session_next / hve_session_wait, hve_session_stop and
 *     hve_session_free. A session may be started on one thread and handed
 *     to the owner through anything that synchronises (a GTask result, a
 *     mutex), as long as one thread at a time drains it.
 *   - The session's worker thread does all socket work and pushes events
 *     onto a mutex-protected queue (a push, never a wait for the owner).
 *     When it has done all the I/O that is ready and is about to wait, it
 *     calls wake(user) once if it queued anything: at most once per turn
 *     of its loop. wake is called FROM THE WORKER THREAD: it must only
 *     schedule the drain on the owner's thread (g_idle_add, PostMessage,
 *     hve_bell_ring) and return. It must not call back into the session.
 *
 * The shape every front end gives this (its "pump"): wake only schedules;
 * the drain, on the owner's thread, takes a bounded batch
 * (hve_sessions_next) and shows it; the FINISHED event frees its
 * session.
 *   - hve_session_stop may be called from any thread (including a signal-
 *     safe context is NOT supported: use a flag and call it from a thread).
 *
 * The events and what each field means: event.h.
 *
 * Every session ends with exactly one HVE_EV_FINISHED event, after which
 * hve_session_next returns NULL forever. */
#ifndef HVECHO_SESSION_H
#define HVECHO_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hvecho/addr.h"
#include "hvecho/event.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef void (*hve_wake_fn)(void *user);

typedef struct hve_client_opts {
    hve_addr target;
    hve_service service;      /* used for vsock and hyperv targets */
    const void *message;      /* copied at start, unless message_free */
    size_t message_len;       /* 0 means the default "this is a test" */
    /* Set: the session takes message as it is, with no copy (a 256 MiB
     * message then costs 256 MiB, not twice that). From the call to
     * hve_session_start_client on, the caller no longer writes or frees
     * it: the worker reads it while the session runs, and the session
     * calls message_free(message) exactly once, when it is done with it:
     * in hve_session_free (after the worker ended, on the thread that
     * frees the session), or before hve_session_start_client returns
     * NULL. The caller's own deallocator (free, g_free ...), so that the
     * memory goes back to the allocator it came from. */
    void (*message_free)(void *message);
    /* More than message_len: the message is message repeated, the last
     * copy cut, to repeat_to bytes (a window's Fill to). The session
     * sends and checks it from a pattern of whole copies of at most
     * 256 KiB + message_len bytes: a 1 GiB Fill to costs no 1 GiB buffer,
     * nor the time to make and free one. 0 (or not more than message_len):
     * the message as it is. */
    uint64_t repeat_to;
    int timeout_ms;           /* connect and each read; 0 = 5000 */
    unsigned count;           /* handshakes in a row; 0 = 1 */
    int deadline_ms;          /* each handshake as a whole: name lookup,
                                 connect, echo and bye; past it the round
                                 fails with HVE_EDEADLINE, however the
                                 peer trickles its bytes; 0 = none */
    size_t io_chunk;          /* max bytes per send/recv; 0 = no limit
                                 (tests use 1 to force partial I/O) */
    bool no_bye;              /* the peer only echoes: end of stream after
                                 our shutdown, with no bye, completes the
                                 handshake too (BYE then has 0 bytes) */
    /* Runs of several handshakes (a window's Repeat, `hvecho -c -n`): */
    bool until_stopped;       /* handshakes until hve_session_stop; count
                                 is not used. Stopping is then the normal
                                 end: FINISHED's err is 0 when none failed
                                 (the one cut short counts as neither) */
    int interval_ms;          /* wait this long between the close of one
                                 handshake and the connect of the next; 0 =
                                 none. Stop ends the wait at once */
    bool keep_going;          /* a failed handshake is reported (its ERROR
                                 and CLOSED events) and the run goes on;
                                 FINISHED's err is then the first failure's
                                 error and its detail says how many failed
                                 ("2 of 10 handshakes failed") */
    unsigned first_round;     /* the number of the first handshake (events'
                                 round and conn); 0 = 1. A window passes
                                 its last number + 1, so numbers go on
                                 across Sends */
    bool background;          /* the worker thread runs below normal CPU
                                 priority, so its bulk I/O yields the CPU
                                 to the thread that shows the events (a
                                 window's UI thread); the CLI leaves it off */
} hve_client_opts;

typedef struct hve_server_opts {
    hve_addr listen;
    hve_service service;
    const void *bye;          /* copied at start */
    size_t bye_len;           /* 0 means the default "bye" */
    bool bye_empty;           /* send no bye at all (for tests) */
    unsigned max_conns;       /* 0 = 1024 */
    int idle_timeout_ms;      /* 0 = 60000; <0 = none */
    uint64_t max_bytes;       /* per connection; 0 = no limit */
    bool once;                /* serve one client, then finish with its
                                 result */
    bool data_events;         /* emit SENT/RECEIVED per read with data */
    bool only_failures;       /* a quiet front end: queue a connection's
                                 events only when it fails (ACCEPTED,
                                 SHUTDOWN, BYE and a clean CLOSED are not
                                 made); ERROR, LISTENING and FINISHED as
                                 always, and FINISHED's ok still counts
                                 every clean connection */
    size_t io_chunk;          /* as for the client */
    const char *allow;        /* comma list of peers to accept, or NULL */
    bool activated;           /* socket activation: serve the listening
                                 socket systemd handed over (LISTEN_FDS,
                                 LISTEN_PID; the first one, fd 3) instead
                                 of binding listen; see
                                 hve_socket_activated() */
    bool background;          /* as for the client: the worker below normal
                                 CPU priority */
} hve_server_opts;

/* True when this process was started by socket activation: LISTEN_PID
 * is its pid and LISTEN_FDS at least 1 (systemd, systemd-socket-activate).
 * Always false on Windows. Any thread. */
bool hve_socket_activated(void);

/* A window's message: text itself (len bytes, which the session copies),
 * or, when fill > len, text repeated to fill bytes (repeat_to = fill; the
 * session never makes the whole of it). Sets o->message, message_len,
 * message_free (NULL) and repeat_to; HVE_ENOMEM when fill > len and
 * there is no text to repeat (len 0). Any thread. */
int hve_client_opts_message(hve_client_opts *o, const void *text, size_t len,
                            size_t fill);

typedef struct hve_session hve_session;

/* Start a session. On failure returns NULL and *err says why (bad
 * options, out of memory); connect and listen errors arrive as events. */
hve_session *hve_session_start_client(const hve_client_opts *o,
                                      hve_wake_fn wake, void *user,
                                      int *err);
hve_session *hve_session_start_server(const hve_server_opts *o,
                                      hve_wake_fn wake, void *user,
                                      int *err);

/* Owner thread. Pop one event, or NULL when none is queued now. The
 * caller frees it with hve_event_free. */
hve_event *hve_session_next(hve_session *s);
/* Owner thread. Like next, but waits up to timeout_ms (-1 = forever). */
hve_event *hve_session_wait(hve_session *s, int timeout_ms);

/* Owner thread. Pops up to max events queued now in the n sessions of ss
 * (NULL entries are skipped) into out, oldest first by mono_us across the
 * sessions, so the events of a server and a client in one window show in
 * the order they happened; from[i] (when from is not NULL) is the index in
 * ss of out[i]'s session. Returns how many; 0 when none is queued. */
size_t hve_sessions_next(hve_session *const *ss, size_t n, hve_event **out,
                         size_t *from, size_t max);

/* A bell: for a front end with no event loop of its own (a command line)
 * to sleep until a session has events. Start its sessions with
 * hve_bell_ring as the wake function and the bell as user. */
typedef struct hve_bell hve_bell;
/* NULL when out of memory. */
hve_bell *hve_bell_new(void);
void hve_bell_free(hve_bell *b);
/* Any thread (a hve_wake_fn: user is the bell). */
void hve_bell_ring(void *bell);
/* The owner. Waits until the bell rang since the last wait, at most
 * timeout_ms (-1 = forever); true when it rang. */
bool hve_bell_wait(hve_bell *b, int timeout_ms);

/* Any thread. Ask the worker to stop: it closes every connection and
 * ends with FINISHED (err HVE_ECANCELED unless it had finished already).
 * Returns at once; the worker notices within 100 ms. */
void hve_session_stop(hve_session *s);

/* True once FINISHED has been queued. */
bool hve_session_finished(hve_session *s);

/* Owner thread. Stops the session if needed, joins the worker, frees
 * everything, including events not drained. */
void hve_session_free(hve_session *s);

/* Server sessions: connections open now, exactly: what hve_session_stop
 * would close (a window's "Stop Server will close N clients"). Any
 * thread. */
unsigned hve_session_conn_count(hve_session *s);

/* Server sessions: the connected clients, for a window's client list.
 *
 * The worker owns the connections, so the owner asks and the worker
 * answers with a copy: hve_session_clients_request (any thread) returns
 * at once, and the worker publishes a snapshot under the session's lock
 * at its next wakeup (within milliseconds; the request wakes it).
 * hve_session_clients (owner thread) copies the last one published. A
 * window polls on a timer, say every 500 ms: read the last snapshot, then
 * request the next. ACCEPTED and CLOSED events tell about arrivals and
 * departures at once; the snapshot adds bytes and ages. After FINISHED
 * the snapshot is empty. Client sessions have none (0, t_us -1). */
typedef struct hve_client_info {
    uint64_t conn;       /* the connection id, as in its events */
    char peer[128];      /* as in its events */
    uint64_t bytes_in;   /* read from the client */
    uint64_t bytes_out;  /* echoed back to it */
    int64_t age_us;      /* connected for this long when the snapshot was
                            taken */
    bool shut_down;      /* it shut down its side: the bye is going out */
} hve_client_info;

/* A snapshot holds at most this many clients (with more connected: the
 * ones least recently active). */
#define HVE_CLIENTS_MAX 1000

void hve_session_clients_request(hve_session *s);
/* Copies up to max clients of the last snapshot into out, oldest
 * connection first; returns how many. *total (if not NULL): connections
 * open at that moment (may exceed the list); *t_us (if not NULL): when it
 * was taken on the session's clock (events' t_us), or -1 when there is
 * none yet. */
size_t hve_session_clients(hve_session *s, hve_client_info *out, size_t max,
                           unsigned *total, int64_t *t_us);

#ifdef __cplusplus
}
#endif
#endif
