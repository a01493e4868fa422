/* event.h - what a session reports, and the one description of it that
 * every front end shows.
 *
 * Usage (a front end):
 *
 *     hve_event *ev = hve_session_next(s);           // the owner's thread
 *     hve_desc d;
 *     hve_event_describe(ev, HVE_WORDS_WINDOW, &d);  // or HVE_WORDS_CLI
 *     show(d.verb, d.text, d.dur_us, d.tone);        // one row / line
 *     if (d.hint[0]) show_hint(d.hint);              // errors: what to do
 *     if (d.note[0]) show_note(d.note);              // e.g. rows not shown
 *     hve_event_free(ev);
 *
 * A front end that merges or drops rows of its own (a log with a row cap,
 * data rows merged per connection) counts them with hve_tally_* and shows
 * hve_tally_note(), so nothing is lost silently. hve_event_json() gives
 * the line `hvecho --json` prints for an event, for exports.
 *
 * Threads: events are made on a session's worker thread and handed to the
 * owner through the session's queue (session.h); once popped an event
 * belongs to whoever popped it. Every function here is pure (no shared
 * state) and may be called on any thread, on an event that thread owns. */
#ifndef HVECHO_EVENT_H
#define HVECHO_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hvecho/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Which side of the handshake an event is from. */
typedef enum hve_side {
    HVE_SIDE_CLIENT,
    HVE_SIDE_SERVER
} hve_side;

typedef enum hve_event_kind {
    HVE_EV_LISTENING,
    HVE_EV_CONNECTING,
    HVE_EV_CONNECTED,
    HVE_EV_ACCEPTED,
    HVE_EV_SENT,
    HVE_EV_RECEIVED,
    HVE_EV_SHUTDOWN,
    HVE_EV_BYE,
    HVE_EV_CLOSED,
    HVE_EV_ERROR,
    HVE_EV_FINISHED,
    HVE_EV_NOTE,
    HVE_EV_KIND_COUNT
} hve_event_kind;

/* How many bytes of data an event carries at most. */
#define HVE_EVENT_DATA_CAP 4096

/* Fields every event has:
 *   kind, side;
 *   conn     the connection id, from 1 (server: in accept order; client:
 *            the handshake number); 0 for the session itself;
 *   round    client: the handshake number (from 1); server: 0;
 *   peer     the other end as text ("cid 1 port 1234", "127.0.0.1:5000",
 *            "unix socket"), or "" for session events;
 *   t_us     when, in microseconds since the session started;
 *   mono_us  the same instant on the process's monotonic clock: sort the
 *            events of several sessions by it;
 *   dur_us   -1 unless the kind says otherwise;
 *   err      0 unless the kind says otherwise (an hve_err);
 *   detail   "" unless the kind says otherwise;
 *   data/len/truncated  NULL/0/false unless the kind says otherwise
 *            (truncated: the bytes were longer than the HVE_EVENT_DATA_CAP
 *            copied); bytes, total, port, the phase times and the
 *            FINISHED counts are 0 (phase times -1) unless said.
 *
 * Per kind (C = client side, S = server side):
 *   LISTENING   S  detail = the address really bound ("tcp 127.0.0.1:5000"
 *                  with the port chosen for port 0); port = that tcp or
 *                  vsock port (0 for other families).
 *   CONNECTING  C  detail = peer = the target being connected to.
 *   CONNECTED   C  dur_us = the connect time; detail = the target.
 *   ACCEPTED    S  peer = the new client.
 *   SENT        C  the whole message went to the kernel: bytes = total =
 *                  its length; dur_us = from the start of sending; data =
 *                  its first bytes.
 *               S  (only with hve_server_opts.data_events) echo bytes
 *                  written: bytes = this write; total = all echoed so far
 *                  on conn; data = them.
 *   RECEIVED    C  the whole echo came back and matched: bytes = total =
 *                  the message length; dur_us = from the start of sending
 *                  to the last echo byte; data = the first bytes.
 *               S  (only with data_events) bytes read: bytes = this read;
 *                  total = all read so far on conn; data = them.
 *   SHUTDOWN    C  we shut down our sending side: total = bytes sent.
 *               S  the client shut down its sending side (a read gave
 *                  end of stream): total = bytes read from it.
 *   BYE         C  the bye arrived (end of stream after it): bytes = its
 *                  length; dur_us = from our shutdown to end of stream;
 *                  data = the bye. HVE_EVF_SEED_BYE in flags when it is
 *                  the original sample server's fixed 8-byte bye. With
 *                  hve_client_opts.no_bye, bytes 0: the stream ended
 *                  without one.
 *               S  the bye was sent: bytes = its length; total = bytes
 *                  echoed on conn; data = the bye.
 *   CLOSED      C  a handshake is over, one CLOSED per handshake, also
 *                  when its connection never came up:
 *                  bytes = echo bytes that really came back and matched
 *                  (0 for a refused connect, what came back for a
 *                  cancelled or failed send); total = message bytes sent;
 *                  err = 0 for a complete handshake, else why it ended;
 *                  dur_us = from the connect's start; connect_us, echo_us,
 *                  bye_us = the phase times (-1: not reached); detail =
 *                  the reason in words when err != 0; dropped = this
 *                  handshake's data events (SENT, RECEIVED) the core did
 *                  not queue because the owner fell far behind, and
 *                  dropped_echo = 1 when its echo row (RECEIVED) was one
 *                  of them (the echo was still checked: with err = 0 the
 *                  handshake is verified, only its rows are missing).
 *               S  a connection closed: bytes = bytes echoed back to the
 *                  client; total = bytes read from it; err = 0 when the
 *                  bye was sent, else why (HVE_ECANCELED: the server
 *                  stopped; HVE_EDENIED / HVE_ELIMIT: refused at once);
 *                  dur_us = since it was accepted (-1 when refused at
 *                  once); detail = the reason in words; dropped = this
 *                  connection's data events the core did not queue.
 *   ERROR       C/S  something failed: err and detail say what. Client:
 *                  the handshake's failure (a CLOSED follows when a socket
 *                  was made). Server: could not listen, or a problem that
 *                  does not stop it (out of descriptors: accepting paused).
 *   FINISHED    C/S  the last event of every session: err = the result
 *                  (0, HVE_ECANCELED when stopped, else the failure);
 *                  ok / failed = handshakes (client) or connections
 *                  (server) that completed / did not; dropped = data
 *                  events (SENT / RECEIVED) the core did not queue because
 *                  the owner fell far behind (their handshakes still
 *                  count in ok / failed), the sum of the CLOSED events'
 *                  dropped; dropped_echo = of which client echo rows;
 *                  dropped_verified = complete handshakes (CLOSED err 0)
 *                  among those whose echo row was dropped; detail = a
 *                  remark on the run
 *                  or "" (e.g. "2 of 10 handshakes failed" with
 *                  keep_going).
 *   NOTE        C/S  something to tell the user that is no failure:
 *                  detail = the text (made by hve_event_note, e.g. by a
 *                  front end; the core makes none today). */
typedef struct hve_event {
    hve_event_kind kind;
    hve_side side;
    uint64_t conn;
    unsigned round;
    char peer[128];
    uint64_t bytes;
    uint64_t total;
    int64_t t_us;
    int64_t mono_us;
    int64_t dur_us;
    int64_t connect_us, echo_us, bye_us; /* client CLOSED */
    uint64_t ok, failed;                 /* FINISHED */
    uint64_t dropped, dropped_echo;      /* CLOSED, FINISHED */
    uint64_t dropped_verified;           /* FINISHED */
    uint32_t port;
    unsigned flags;
    int err;
    char detail[256];
    size_t len;
    bool truncated;
    unsigned char *data;
} hve_event;

/* flags */
#define HVE_EVF_SEED_BYE 1u /* client BYE: the original server's 8-byte bye
                               ("Bye!", a NUL, 3 stray bytes) */

/* Frees an event and its data (NULL is fine). */
void hve_event_free(hve_event *ev);
/* The kind's stable name ("connected", ...), as in the JSON. */
const char *hve_event_kind_name(hve_event_kind k);
/* "client" / "server". */
const char *hve_side_name(hve_side side);

/* A NOTE event (detail = text, cut to fit), stamped now; NULL when out of
 * memory. For front ends that need to put a remark in their log in the
 * same shape as the core's events. */
hve_event *hve_event_note(hve_side side, const char *text);

/* True for the original sample server's bye: exactly 8 bytes, "Bye!" and
 * a NUL, then 3 bytes of whatever was on its stack. */
bool hve_bye_is_seed(const void *data, size_t len);

/* ---- the description ---- */

typedef enum hve_tone {
    HVE_TONE_NORMAL, /* progress */
    HVE_TONE_BYE,    /* a handshake's good end: bye, complete */
    HVE_TONE_ERROR,  /* a failure */
    HVE_TONE_NOTE    /* worth a look, not a failure */
} hve_tone;

#define HVE_DESC_TEXT 1400

typedef struct hve_desc {
    const char *verb;          /* short, lower case: "connected", "echo",
                                  "bye", "closed", "error", "done" ... */
    char text[HVE_DESC_TEXT];  /* the rest of the line, complete: byte
                                  counts, times, the peer's bytes (as text
                                  when printable UTF-8, else escaped) */
    int64_t dur_us;            /* for a "took" column, or -1 */
    hve_tone tone;
    char hint[400];            /* errors: what to do, in the wording
                                  asked for; else "" */
    char note[200];            /* a remark to show after the line, or "" */
} hve_desc;

/* The one description of an event, for any kind and side. wording picks
 * how hints and remarks name settings (HVE_WORDS_CLI: flags like -p;
 * HVE_WORDS_WINDOW: fields like "Service") and how much of the peer's
 * bytes the text shows (CLI 64 bytes, window 256). */
void hve_event_describe(const hve_event *ev, hve_words wording,
                        hve_desc *out);

/* A duration as people read it: "0.122 ms", "12 ms", "1.5 s". */
char *hve_format_duration(int64_t us, char *out, size_t outlen);
/* A count with thousands separators: "1,250". */
char *hve_format_count(uint64_t n, char *out, size_t outlen);

/* ---- rows a front end did not show ---- */

/* Counts what a front end merged or dropped from its log, and the data
 * rows the core did not queue while the owner fell behind (from each
 * CLOSED's dropped, so per handshake), so it can say so. Zero it; call
 * hve_tally_event for every event, with shown = false when the event got
 * no row of its own (merged into another row, or left out); add to capped
 * each row a cap on the log's length removed. Show hve_tally_note() (in a
 * note row, a status line, at the end). Owner's thread. */
typedef struct hve_tally {
    uint64_t hidden;      /* data events (SENT / RECEIVED) without a row */
    uint64_t echo_hidden; /* ... of which client echoes (RECEIVED) */
    uint64_t verified;    /* handshakes complete whose echo row is hidden
                             or was not queued */
    uint64_t capped;      /* rows removed by a row cap (the front end
                             adds these itself) */
    uint64_t dropped;     /* data events the core did not queue */
    uint64_t dropped_echo;   /* ... of which client echo rows */
    uint64_t dropped_sent;   /* ... of which client sent rows */
    /* private: what CLOSED events told since each side's last FINISHED
     * (FINISHED adds what no CLOSED accounted for) */
    uint64_t pending_conn;
    uint64_t closed_dropped[2], closed_echo, closed_verified;
} hve_tally;

void hve_tally_event(hve_tally *t, const hve_event *ev, bool shown);
/* What the tally hid, in words, e.g. "1,250 echo rows not shown: 1,250
 * handshakes verified; 1,250 sent rows and 2,500 server data rows not
 * shown (the display fell behind); 10,000 oldest rows removed (the log
 * keeps the newest 10,000)"; "" when nothing was hidden. row_cap: the
 * log's cap, for the wording (0: none). Returns out. */
char *hve_tally_note(const hve_tally *t, unsigned row_cap, char *out,
                     size_t outlen);

/* ---- JSON ---- */

/* The longest line hve_event_json writes, with its NUL. */
#define HVE_EVENT_JSON_MAX 6144

/* One JSON object, no newline: the line `hvecho --json` prints for ev:
 * {"event":"closed","side":"client","t_ms":..,"conn":..,"round":..,
 *  "peer":"..","bytes":..,"total":..,"dur_ms":..,"port":..,
 *  "error":"refused","message":"..","hint":"..","detail":"..",
 *  "data":"..","data_truncated":true,"exit":0, ...}
 * (members with nothing to say are left out). Returns the length, cut
 * short (still valid JSON, without data) if outlen is too small. */
size_t hve_event_json(const hve_event *ev, char *out, size_t outlen);

#ifdef __cplusplus
}
#endif
#endif
