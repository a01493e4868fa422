/* worker.h - private: what the client and server code (client.c,
 * server.c), running on a session's worker thread, use from session.c.
 *
 * Threads: everything here is called on the worker thread, except that
 * the queue inside is shared with the owner under the session's mutex. */
#ifndef HVECHO_WORKER_H
#define HVECHO_WORKER_H

#include "hvecho/allow.h"
#include "hvecho/session.h"
#include "attr.h"
#include "net.h"

/* A new event stamped with the session's clock; NULL only when out of
 * memory (then the emit functions ignore it). */
hve_event *hve__event(hve_session *s, hve_event_kind kind, uint64_t conn);
/* Copies up to HVE_EVENT_DATA_CAP of data into ev. */
void hve__event_data(hve_event *ev, const void *data, size_t len);
/* Queues ev: a push under the queue's mutex, nothing more (the owner is
 * told by hve__flush). Data events (SENT/RECEIVED) are dropped, and
 * counted, while the owner lags far behind, so memory stays bounded.
 * Returns false when ev was not queued (dropped, or NULL / out of memory):
 * the caller counts its connection's dropped data events for its CLOSED
 * (dropped, dropped_echo), which FINISHED sums up. */
bool hve__emit(hve_session *s, hve_event *ev);
/* Tells the owner about the events queued since the last flush, if any:
 * the condition variable and the front end's wake, once. */
void hve__flush(hve_session *s);
/* The worker's only way to block: flushes, then waits on the poller. So
 * the owner is woken at most once per loop iteration, and only after the
 * worker did all the I/O that was ready. Returns as hve__net_poller_wait. */
int hve__wait(hve_session *s, hve__net_poller *p, hve__net_pev *out, int max,
              int timeout_ms);
/* A connection that ended well, counted for FINISHED without a CLOSED
 * event (hve_server_opts.only_failures). */
void hve__count_closed_ok(hve_session *s);
/* Shorthand: an event with detail text (printf-style). */
void hve__emitf(hve_session *s, hve_event_kind kind, uint64_t conn,
                const char *peer, int err, const char *fmt, ...)
    HVE_PRINTF(6, 7);

/* Events queued and not yet drained by the owner. Past HVE_QUEUE_HIGH a
 * server stops accepting, and a client run does not start its next
 * handshake, until the owner catches up, so a front end that stalls (a
 * paused terminal) cannot make the queue grow without bound. */
#define HVE_QUEUE_HIGH 16384
size_t hve__queued(hve_session *s);

bool hve__stopping(hve_session *s);
/* A line FINISHED's detail will carry (before the dropped-events note). */
void hve__finish_note(hve_session *s, const char *note);
hve__net_waker *hve__waker(hve_session *s);
void hve__set_conn_count(hve_session *s, unsigned n);
/* Server: true (once) when the owner asked for a client list; the worker
 * then builds one and hands it over with hve__publish_clients, which
 * takes ownership of list (malloc'd, n entries, or NULL). */
bool hve__clients_wanted(hve_session *s);
void hve__publish_clients(hve_session *s, hve_client_info *list, size_t n,
                          unsigned total);
/* Server: the --allow list parsed at start, or NULL (allow everyone). */
const hve_allow *hve__allow(hve_session *s);

/* The two kinds of work. Each returns the session's result (0 or an
 * hve_err); session.c queues FINISHED with it. */
int hve__client_run(hve_session *s, const hve_client_opts *o);
int hve__server_run(hve_session *s, const hve_server_opts *o);

#endif
