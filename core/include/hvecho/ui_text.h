/* ui_text.h - the words both windows show (the GTK window and the Win32
 * dialog): the items of the Listen on and Target lists with their field
 * hints, the run options and their tips, the status and outcome lines,
 * the Stop Server question, the field errors, the clients list, the
 * empty chart and detail pane, About. Both windows take their sentences
 * from here, so they cannot drift apart; a test checks each window shows
 * them.
 *
 * Labels carry no mnemonic: a window marks its own key with
 * hve_ui_mnemonic ('_' in GTK, '&' in Win32), as the keys free in each
 * window differ.
 *
 * Constant tables and pure functions (hve_ui_client_line changes only
 * the caller's hve_ui_run): safe from any thread. */
#ifndef HVECHO_UI_TEXT_H
#define HVECHO_UI_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hvecho/addr.h"
#include "hvecho/event.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- the kinds of address in the Listen on and Target lists ---- */

typedef enum hve_ui_kind {
    HVE_UI_WILDCARD,  /* listen: every VM */
    HVE_UI_LOOPBACK,  /* this machine */
    HVE_UI_PARENT,    /* target: the host */
    HVE_UI_CHILDREN,  /* target (Windows): every child partition */
    HVE_UI_GUID,      /* target: a VM's GUID */
    HVE_UI_CID,       /* target (Linux): a vsock CID */
    HVE_UI_TCP,       /* host:port */
    HVE_UI_UNIX,      /* a socket path */
    HVE_UI_HYBRID     /* a hybrid-vsock VMM's socket path[:port] */
} hve_ui_kind;

typedef struct hve_ui_kind_text {
    hve_ui_kind kind;
    const char *id;     /* "tcp": kept in the settings; the history's key
                           is "target.tcp" / "listen.tcp" */
    const char *name;   /* the list's item: "TCP host:port" */
    const char *hint;   /* the value field's hint (placeholder, cue
                           banner); "" for a kind that takes no value */
    const char *prefix; /* what the parser needs before the value
                           ("tcp:"); "" when the value is the text as is,
                           NULL when the kind takes no value */
    bool uses_service;  /* the Service field applies (vsock, Hyper-V, and
                           hybrid for a path without a port) */
} hve_ui_kind_text;

/* The items of the Listen on list (listen true) or the Target list on
 * platform pf, in the order shown; *n gets their count. */
const hve_ui_kind_text *hve_ui_kinds(hve_platform pf, bool listen,
                                     size_t *n);
/* Item i of that list; the first when i is out of range (no kind picked
 * yet). */
const hve_ui_kind_text *hve_ui_kind_at(hve_platform pf, bool listen, int i);
/* The index of id in that list, or 0 (the first item) when it is not
 * there. */
size_t hve_ui_kind_index(hve_platform pf, bool listen, const char *id);
/* The text a parser takes for a kind and the value typed: the kind's
 * prefix and the value without that prefix when it was typed too
 * ("tcp:" + "tcp:1.2.3.4:5" is "tcp:1.2.3.4:5"); "wildcard", "loopback",
 * "parent", "children" for kinds without a value. Returns out. */
char *hve_ui_kind_address(const hve_ui_kind_text *k, const char *value,
                          char *out, size_t outlen);
/* A kind that needs a value and has none: the reason ("type the VM's
 * id, ..."), else NULL (the parser speaks for the rest). */
const char *hve_ui_kind_missing(const hve_ui_kind_text *k,
                                const char *value);

/* ---- fixed words ---- */

typedef enum hve_ui_phrase {
    /* labels of the run options and fields */
    HVE_UI_TIMEOUT,          /* "Timeout (s)" */
    HVE_UI_REPEAT,           /* "Repeat" */
    HVE_UI_UNTIL_STOPPED,    /* "Until stopped" */
    HVE_UI_INTERVAL,         /* "Interval" */
    HVE_UI_KEEP_GOING,       /* "Keep going on errors" */
    HVE_UI_FILL_TO,          /* "Fill to" */
    HVE_UI_DECODE,           /* "Decode \n \t \xHH" */
    HVE_UI_BYE,              /* "Bye message" (the server's) */
    /* their tips and hints */
    HVE_UI_UNTIL_STOPPED_TIP,
    HVE_UI_INTERVAL_TIP,
    HVE_UI_INTERVAL_HINT,    /* "none" */
    HVE_UI_KEEP_GOING_TIP,
    HVE_UI_FILL_TIP,
    HVE_UI_FILL_HINT,        /* "as typed" */
    HVE_UI_DECODE_TIP,
    HVE_UI_SEND_TIP,
    /* status lines */
    HVE_UI_READY,            /* the client's, before a Send */
    HVE_UI_NOT_RUNNING,      /* the server's, before a Start */
    HVE_UI_STARTING,
    HVE_UI_STOPPING,
    HVE_UI_PREPARING,        /* a Fill to message is being made */
    HVE_UI_CONNECTING,       /* before the first event */
    HVE_UI_CONNECTED,
    HVE_UI_ECHO_MATCHED,
    HVE_UI_CONNECTS_TO,      /* the target check: "Connects to" ADDR */
    HVE_UI_LISTENS_ON,       /* the listen check: "Listens on" ADDR */
    HVE_UI_SERVICE_UNUSED,   /* "(not used for TCP and Unix sockets)" */
    /* field errors: what, then why */
    HVE_UI_TARGET_BAD,
    HVE_UI_LISTEN_BAD,
    HVE_UI_SERVICE_BAD,
    HVE_UI_MESSAGE_BAD,
    HVE_UI_BAD_ESCAPE,
    HVE_UI_FILL_BAD,
    HVE_UI_FILL_WHY,
    HVE_UI_INTERVAL_BAD,
    HVE_UI_INTERVAL_WHY,
    HVE_UI_TIMEOUT_BAD,
    HVE_UI_TIMEOUT_WHY,
    HVE_UI_REPEAT_BAD,
    HVE_UI_REPEAT_WHY,
    /* Stop Server with clients connected */
    HVE_UI_STOP_TITLE,       /* "Stop Server" (the box, its button) */
    HVE_UI_STOP_QUESTION,    /* "Stop the server?" */
    /* the side panes */
    HVE_UI_CHART,            /* "Chart" */
    HVE_UI_DETAILS,          /* "Details" */
    HVE_UI_CLIENTS,          /* "Clients" */
    HVE_UI_CHART_EMPTY,
    HVE_UI_DETAIL_EMPTY,
    HVE_UI_SERVER_NOT_RUNNING, /* the clients list's status */
    HVE_UI_SERVER_WAITING,
    HVE_UI_ABOUT,            /* what hvecho is, one paragraph */
    /* the log's buttons */
    HVE_UI_CLEAR,            /* "Clear" */
    HVE_UI_COPY,             /* "Copy" */
    HVE_UI_SAVE,             /* "Save / Export…" (text, CSV, JSON lines) */
    HVE_UI_SAVE_FAILED,      /* "Could not save the log" */
    HVE_UI_PHRASE_COUNT
} hve_ui_phrase;

/* The words of a phrase; "" for an unknown one. */
const char *hve_ui_text(hve_ui_phrase p);

/* The columns of the connected clients list, left to right. */
#define HVE_UI_CLIENT_COLUMNS 5
const char *hve_ui_client_column(int i); /* "#", "Peer", "In", "Out",
                                            "Age"; "" out of range */
/* The columns of the log, left to right. */
#define HVE_UI_LOG_COLUMNS 7
const char *hve_ui_log_column(int i);    /* "Time", "Connection", "Event",
                                            "Peer", "Bytes", "Took",
                                            "Text" */

/* The file kinds Save / Export offers, i = 0.. HVE_UI_EXPORTS - 1: their
 * name ("CSV (*.csv)") and pattern ("*.csv"). The file name's ending
 * picks the format. */
#define HVE_UI_EXPORTS 3
const char *hve_ui_export_name(int i);
const char *hve_ui_export_pattern(int i);
/* The kind a saved file gets: by its name's ending (.txt, .csv, .jsonl or
 * .json, any case), else picked (the kind chosen in the file dialog; 0
 * when out of range). */
int hve_ui_export_kind(const char *path, int picked);

/* ---- sentences with figures; each returns out (NUL-terminated) ---- */

/* "Listening on WHERE  ·  1 client connected  ·  3 served". */
char *hve_ui_server_status(const char *where, unsigned open,
                           uint64_t served, char *out, size_t outlen);
/* The server's line once it ended: "Stopped  ·  3 clients served", or
 * "Stopped: " and the error when err is neither 0 nor HVE_ECANCELED. */
char *hve_ui_server_stopped(int err, uint64_t served, char *out,
                            size_t outlen);
/* "Connecting to ADDR…". */
char *hve_ui_connecting_to(const char *addr, char *out, size_t outlen);
/* A client run's outcome: "Done: 3 handshakes complete, last round trip
 * 0.10 ms" (err 0), "Cancelled" (HVE_ECANCELED), "Failed: " and the
 * error. */
char *hve_ui_outcome(int err, unsigned handshakes, int64_t last_rtt_us,
                     char *out, size_t outlen);
/* A client run's line as its events come: the window keeps one
 * hve_ui_run, zeroed at each Send, and passes it every client event.
 * Returns the line to show now: "Connecting to ADDR…", "Connected…",
 * "Echo matched…", and hve_ui_outcome at FINISHED (handshakes with a bye,
 * the last echo's round trip); NULL when the line stays as it is. The
 * only state is the caller's hve_ui_run. */
typedef struct hve_ui_run {
    unsigned handshakes;      /* BYE events: handshakes complete */
    int64_t last_rtt_us;      /* the last echo round trip */
} hve_ui_run;
const char *hve_ui_client_line(hve_ui_run *run, const hve_event *ev,
                               char *out, size_t outlen);
/* The detail under "Stop the server?": "1 connected client will be
 * closed." / "N connected clients will be closed." */
char *hve_ui_stop_detail(unsigned open, char *out, size_t outlen);
/* The log's note once the stop is confirmed: "Stop Server: closing N
 * connected client(s)". */
char *hve_ui_stop_note(unsigned open, char *out, size_t outlen);
/* The clients list's status: "The server is not running", "Waiting for
 * the server…" (no snapshot yet), "2 clients connected", "300 clients
 * connected (the 256 most recently active shown)". */
char *hve_ui_clients_status(bool running, bool have_snapshot,
                            unsigned total, size_t shown, char *out,
                            size_t outlen);
/* A client's age in the list: "4.2 s", "3m 05s", "2h 07m". */
char *hve_ui_age(int64_t us, char *out, size_t outlen);
/* What Send will send: "sends 14 bytes", "sends 1 byte", "sends 65536
 * bytes (the 3-byte message repeated)". */
char *hve_ui_message_size(size_t len, uint64_t fill, char *out,
                          size_t outlen);
/* The detail pane's first line for a log row: "12:00:01.250  client #3
 * echo  tcp 127.0.0.1:5000  took 0.081 ms" (peer and took left out when
 * empty). */
char *hve_ui_detail_title(const char *time, const char *conn,
                          const char *event, const char *peer,
                          const char *took, char *out, size_t outlen);
/* The line over a row's hex dump: "14 bytes:", "1 byte:", or "1048576
 * bytes; the first 4096:" when the dump shows only the start. */
char *hve_ui_dump_head(uint64_t bytes, size_t shown, char *out,
                       size_t outlen);
/* After the registration command went to the clipboard: "Copied the
 * command that registers service GUID on a Windows host". */
char *hve_ui_register_copied(const char *guid, char *out, size_t outlen);
/* What to do with it, before the command itself: "Paste it into
 * PowerShell run as administrator on the host:". */
#define HVE_UI_REGISTER_PASTE \
    "Paste it into PowerShell run as administrator on the host:"

/* A service the transport does not use and that is not valid: "not
 * valid, but not used for TCP and Unix sockets: WHY". */
char *hve_ui_service_unused_bad(const char *why, char *out, size_t outlen);

/* words with key marked for a mnemonic: mark ('_' or '&') before the
 * first letter equal to key, either case; words as they are when key is
 * not in them (or is 0). Returns out. */
char *hve_ui_mnemonic(const char *words, char key, char mark, char *out,
                      size_t outlen);

#ifdef __cplusplus
}
#endif
#endif
