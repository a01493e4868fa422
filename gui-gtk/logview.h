/* logview.h - the event log: a GtkListStore shown in a GtkTreeView, one
 * row per event, with time, connection, event, peer, bytes, took and text.
 * Each row keeps a copy of the event behind it, for the detail pane (its
 * full text, its bytes as a hex dump), Copy and Export.
 *
 * Threads: GTK main thread only. */
#ifndef HVG_LOGVIEW_H
#define HVG_LOGVIEW_H

#include <gtk/gtk.h>

#include "hvecho/hvecho.h"

enum {
    HVG_LOG_COL_TIME,    /* "15:42:03.128" */
    HVG_LOG_COL_CONN,    /* "server #3", "client #1", "server" */
    HVG_LOG_COL_EVENT,   /* the verb: "sent", "echoed", "bye", "error" */
    HVG_LOG_COL_PEER,
    HVG_LOG_COL_BYTES,   /* "" or a count */
    HVG_LOG_COL_TOOK,    /* how long the phase took: connect, round
                            trip, bye after the shutdown */
    HVG_LOG_COL_TEXT,    /* the whole text: data, durations, error + hint
                            (the column ends in "..." where it is longer
                            than the room; the tooltip has it all) */
    HVG_LOG_COL_FG,      /* colour, or NULL */
    HVG_LOG_COL_WEIGHT,  /* PANGO_WEIGHT_* */
    HVG_LOG_COL_TOOK_US, /* the Took column in microseconds, or -1 */
    HVG_LOG_COL_EV,      /* HVG_TYPE_EVENT: a copy of the event, or NULL
                            for a row the window made itself */
    HVG_LOG_N_COLS
};

/* The boxed type of the event copies kept in the rows. */
#define HVG_TYPE_EVENT (hvg_event_get_type())
GType hvg_event_get_type(void);

/* The log keeps the newest HVG_LOG_MAX_ROWS rows. */
#define HVG_LOG_MAX_ROWS 10000

/* Which side of the window a row comes from. */
typedef enum { HVG_LOG_SERVER, HVG_LOG_CLIENT } HvgLogSide;

typedef struct HvgLog HvgLog;

/* Creates the store and the columns of view. */
HvgLog *hvg_log_new(GtkTreeView *view);
void hvg_log_free(HvgLog *log);

/* Appends a row for ev (or, for a run of data events on one connection,
 * updates the row that is already there, so a 256 MiB echo is one row
 * per direction and not one per read). start_wall is the run's start in
 * g_get_real_time() microseconds. */
void hvg_log_add_event(HvgLog *log, gint64 start_wall, const hve_event *ev);
/* A row that did not come from a session (a summary, refused input). */
void hvg_log_add_note(HvgLog *log, HvgLogSide side, const char *event,
                      const char *text, gboolean is_error);
void hvg_log_clear(HvgLog *log);
guint hvg_log_rows(HvgLog *log);
/* What the log did not show row by row since it was made or cleared
 * (rows merged, the oldest removed by the cap, events the core could not
 * queue), in the core's words; "" when nothing. Returns out. */
char *hvg_log_status(HvgLog *log, char *out, size_t outlen);

/* The formats of Copy and Export. */
typedef enum {
    HVG_EXPORT_TEXT, /* as the log shows it, for people */
    HVG_EXPORT_CSV,  /* RFC 4180, with a header line */
    HVG_EXPORT_JSON  /* one JSON object per line, as `hvecho --json` */
} HvgExport;

/* The rows (all, or only the selected ones) in that format. NULL when
 * only_selected and nothing is selected. g_free it. */
char *hvg_log_export(HvgLog *log, HvgExport format, gboolean only_selected);

/* The detail of the selected row (the first, with several selected): its
 * full text, returned, and for a row with data the bytes as a hex dump
 * (offset, hex, ASCII) in *hex (else NULL). NULL when nothing is
 * selected. g_free both. */
char *hvg_log_detail(HvgLog *log, char **hex);

#endif
