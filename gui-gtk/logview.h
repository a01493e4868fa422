/* logview.h - the event log: a GtkListStore shown in a GtkTreeView, one
 * row per event, with time, connection, event, peer, bytes and text.
 *
 * Threads: GTK main thread only. */
#ifndef HVE_GTK_LOGVIEW_H
#define HVE_GTK_LOGVIEW_H

#include <gtk/gtk.h>

#include "hvecho/hvecho.h"

enum {
    HVE_LOG_COL_TIME,    /* "15:42:03.128" */
    HVE_LOG_COL_CONN,    /* "server #3", "client #1", "server" */
    HVE_LOG_COL_EVENT,   /* "sent", "echoed", "bye", "error", ... */
    HVE_LOG_COL_PEER,
    HVE_LOG_COL_BYTES,   /* "" or a count */
    HVE_LOG_COL_TOOK,    /* how long the phase took: connect, round
                            trip, bye after the shutdown */
    HVE_LOG_COL_TEXT,    /* escaped data, durations, error + hint */
    HVE_LOG_COL_FG,      /* colour, or NULL */
    HVE_LOG_COL_WEIGHT,  /* PANGO_WEIGHT_* */
    HVE_LOG_N_COLS
};

/* Which side of the window a row comes from. */
typedef enum { HVE_LOG_SERVER, HVE_LOG_CLIENT } HveLogSide;

typedef struct HveLog HveLog;

/* Creates the store and the columns of view. */
HveLog *hve_log_new(GtkTreeView *view);
void hve_log_free(HveLog *log);

/* Appends a row for ev (or, for a run of data events on one connection,
 * updates the row that is already there, so a 256 MiB echo is one row
 * per direction and not one per read). start_wall is the run's start in
 * g_get_real_time() microseconds. */
void hve_log_add_event(HveLog *log, HveLogSide side, gint64 start_wall,
                       const hve_event *ev);
/* A row that did not come from a session (e.g. refused input). */
void hve_log_add_note(HveLog *log, HveLogSide side, const char *event,
                      const char *text, gboolean is_error);
void hve_log_clear(HveLog *log);
/* The log as tab-separated text, one line per row. g_free it. */
char *hve_log_to_text(HveLog *log);
guint hve_log_rows(HveLog *log);

/* The error line for an event: message, detail and hint. g_free it. */
char *hve_log_error_text(int err, const char *detail);

#endif
