/* logview.h - the event log: a GtkListStore shown in a GtkTreeView, one
 * row per event, with time, connection, event, peer, bytes and text.
 *
 * Threads: GTK main thread only. */
#ifndef HVG_LOGVIEW_H
#define HVG_LOGVIEW_H

#include <gtk/gtk.h>

#include "hvecho/hvecho.h"

enum {
    HVG_LOG_COL_TIME,    /* "15:42:03.128" */
    HVG_LOG_COL_CONN,    /* "server #3", "client #1", "server" */
    HVG_LOG_COL_EVENT,   /* "sent", "echoed", "bye", "error", ... */
    HVG_LOG_COL_PEER,
    HVG_LOG_COL_BYTES,   /* "" or a count */
    HVG_LOG_COL_TOOK,    /* how long the phase took: connect, round
                            trip, bye after the shutdown */
    HVG_LOG_COL_TEXT,    /* escaped data, durations, error + hint */
    HVG_LOG_COL_FG,      /* colour, or NULL */
    HVG_LOG_COL_WEIGHT,  /* PANGO_WEIGHT_* */
    HVG_LOG_N_COLS
};

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
void hvg_log_add_event(HvgLog *log, HvgLogSide side, gint64 start_wall,
                       const hve_event *ev);
/* A row that did not come from a session (e.g. refused input). */
void hvg_log_add_note(HvgLog *log, HvgLogSide side, const char *event,
                      const char *text, gboolean is_error);
void hvg_log_clear(HvgLog *log);
/* The log as tab-separated text, one line per row. g_free it. */
char *hvg_log_to_text(HvgLog *log);
guint hvg_log_rows(HvgLog *log);
/* The log keeps the newest HVG_LOG_MAX_ROWS rows; how many older ones it
 * dropped since it was created or cleared. */
#define HVG_LOG_MAX_ROWS 10000
guint64 hvg_log_dropped(HvgLog *log);

/* The error line for an event: message, detail and hint. g_free it. */
char *hvg_log_error_text(int err, const char *detail);

#endif
