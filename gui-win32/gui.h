/* gui.h - private to hvecho-gui.exe: the dialog's state and the calls
 * between its files (dialog.c: the fields and what the buttons do;
 * pump.c: session events to the UI thread; log.c: the ListView log;
 * settings.c: HKCU\Software\hvecho; util.c: UTF-8 <-> UTF-16, control
 * text, the clipboard).
 *
 * Threads: everything here runs on the UI thread, except pump_wake(),
 * which a session's worker calls and which only posts a message, and the
 * client start thread in dialog.c, which builds a message and starts the
 * session, touching only its own job. */
#ifndef HVECHO_GUI_H
#define HVECHO_GUI_H

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>
#include <commctrl.h>

#include <stdbool.h>
#include <stdint.h>

#include "hvecho/hvecho.h"
#include "resource.h"

/* Posted by a session's wake callback; the dialog then drains. */
#define WM_APP_SESSION (WM_APP + 1)
/* Posted after a DPI change, to take the new layout as the base. */
#define WM_APP_RELAYOUT (WM_APP + 2)
/* Posted by the client start thread: lParam is its job, done. */
#define WM_APP_CLIENT_READY (WM_APP + 3)
/* The timer that watches the elevated register helper. */
#define GUI_TIMER_REGISTER 1
/* The frame timer: the chart and the live line, at display rate, while
 * a run has new figures. */
#define GUI_TIMER_FRAME 2
#define GUI_FRAME_MS 16
/* The connected clients' list, while a server runs. */
#define GUI_TIMER_CLIENTS 3
#define GUI_CLIENTS_MS 500

/* Posted when a value was picked from a field's history list. */
#define WM_APP_RECHECK (WM_APP + 5)
/* Controls that follow a resize (dialog.c). */
#define GUI_ANCHORS 14

/* Text lengths the dialog reads from its small fields. */
#define GUI_FIELD_MAX 1024

#define SIDE_SERVER 0
#define SIDE_CLIENT 1

/* One log row. The cells are UTF-16 for the ListView; ev is the event the
 * row shows (for data rows the first of the merged ones), NULL for a
 * note. */
typedef struct logrow {
    int64_t when;  /* FILETIME count */
    int flags;     /* LOGROW_* (resource.h) */
    int side;
    int64_t took_us; /* the Took column, -1 for none */
    wchar_t *cell[7];
    hve_event *ev;
} logrow;

/* A data row still open for merging: per side, connection, round and
 * direction. */
typedef struct logmerge {
    int side;
    uint64_t conn;
    unsigned round;
    int kind;
    size_t row;
    uint64_t bytes;
} logmerge;

struct client_job;

typedef struct gui {
    HWND dlg;
    HWND log;
    HICON icon_big, icon_small;

    hve_session *server;
    hve_session *client;
    volatile LONG wake_pending; /* a WM_APP_SESSION is in the queue */
    /* pump.c: events taken from a session, not shown yet. */
    hve_event *hold[2][256];
    size_t hold_n[2], hold_at[2];
    /* When each session started (FILETIME counts): event times are
     * relative to their session's start, the log shows wall time. */
    int64_t t0[2];
    /* The first event's monotonic time and wall time: every row's time
     * is taken from mono_us through them. */
    int64_t mono_ref, wall_ref;
    bool mono_ref_set;

    /* The client: its start thread, numbering and outcome. */
    HANDLE start_thread;
    struct client_job *job;
    bool cancel_asked;           /* Cancel while the job still ran */
    unsigned client_first;       /* the number of the next Send's first
                                    handshake: numbers go on across
                                    Sends */
    hve_ui_run client_run;       /* what the outcome line follows */
    unsigned client_last_round;  /* the highest round this run reached */
    /* The run's figures (stats.h), fed on this thread as events are
     * drained; the live line and the chart read them on the frame timer. */
    hve_stats *stats;
    bool stats_dirty;
    bool frame_timer;
    HWND chart;
    HWND tips;                   /* the tooltips of the run options */
    HFONT mono;                  /* the detail pane's font */
    hve_history *history;        /* targets and listen addresses used */
    /* The server's status line. */
    char server_where[256];
    uint64_t server_served;
    bool server_stopping;

    /* The value typed for each kind, so switching kinds keeps them. */
    wchar_t *listen_vals[LISTEN_KINDS];
    wchar_t *target_vals[TARGET_KINDS];
    int listen_kind, target_kind;

    /* log.c */
    logrow *rows;
    size_t nrows, caprows;
    uint64_t rows_dropped;
    hve_tally tally;           /* rows merged or let go, in the core's
                                  words above the log */
    logmerge *merges;
    size_t nmerges, capmerges;
    bool log_dirty;

    HANDLE reg_proc;            /* the elevated "--register" helper */
    bool elevated;              /* from the probe at start */
    bool hyperv;                /* AF_HYPERV sockets can be made */
    /* Layout: the size the dialog opened with (also its smallest) and
     * where the controls that follow a resize were then. */
    SIZE min_size;
    SIZE client0;
    RECT anchor_rc[GUI_ANCHORS];
} gui;

/* util.c */
/* UTF-8 -> newly allocated UTF-16 (free()), never NULL unless out of
 * memory. */
wchar_t *gui_wide(const char *utf8);
/* UTF-16 -> UTF-8 into buf; always NUL-terminated. */
char *gui_utf8(const wchar_t *w, char *buf, size_t len);
/* UTF-16 -> newly allocated UTF-8 (free()), NULL if out of memory. */
char *gui_utf8_alloc(const wchar_t *w);
/* A control's text as UTF-8, whole, newly allocated (free()); NULL if
 * out of memory. */
char *gui_get_text_alloc(HWND dlg, int id);
/* A small control's text as UTF-8 into buf (cut at GUI_FIELD_MAX). */
char *gui_get_text(HWND dlg, int id, char *buf, size_t len);
void gui_set_text(HWND dlg, int id, const char *utf8);
/* The same, and nothing when the control shows that text already: a
 * status line set at every event would repaint (and, under Wine, ask
 * wineserver) at every event. UI thread. */
void gui_set_text_changed(HWND dlg, int id, const char *utf8);
/* A control's label in the core's words (ui_text.h), key marked as its
 * mnemonic (0: none) and colon appended when asked. */
void gui_set_label(HWND dlg, int id, const char *words, char key,
                   bool colon);
/* Puts UTF-16 text on the clipboard; false if it could not. */
bool gui_clipboard_set(HWND owner, const wchar_t *text);
/* Now as a FILETIME count. */
int64_t gui_now_ft(void);
/* "12:34:56.789" for a FILETIME count, local time. */
void gui_time_text(int64_t when, char *buf, size_t len);

/* log.c */
void log_init(gui *g);
/* A session event as a row (or merged into a data row), in the core's
 * words (hve_event_describe). Takes ev. */
void log_event(gui *g, hve_event *ev);
/* A row of the dialog's own (a bad field, Copy PowerShell...). */
void log_note(gui *g, const char *conn, const char *event,
              const char *text, int flags);
/* After a batch of rows: the ListView's count, the newest row shown. */
void log_flush(gui *g);
void log_clear(gui *g);
/* Rows as the core's export text (export.h), selected ones or all, as
 * UTF-16 with CRLF line ends; free(). */
wchar_t *log_text(gui *g, bool only_selected);
/* Save / Export: the log as text, CSV or JSON lines (the fields of
 * `hvecho --json`), picked in the Save As dialog by the file type. */
void log_save(gui *g);
/* The file formats of Save / Export. */
#define LOG_FILE_TEXT 0
#define LOG_FILE_CSV 1
#define LOG_FILE_JSONL 2
/* Writes the log to path in a format; false when it could not. */
bool log_write(gui *g, const wchar_t *path, int format);
/* The detail pane: the selected row's full text and, for data rows,
 * its bytes as a hex dump. */
void log_show_detail(gui *g);
/* The Text column takes the width the others leave. */
void log_fit_columns(gui *g);
/* WM_NOTIFY from the log; true with *result set when handled. */
bool log_notify(gui *g, NMHDR *nm, LRESULT *result);

/* pump.c */
/* Worker threads: schedules a drain on the UI thread, nothing else. */
void pump_wake(void *user);
/* UI thread: shows a bounded batch of what the sessions queued, in the
 * order it happened; frees a session after its FINISHED. */
void pump_drain(gui *g);
/* UI thread: forgets held events of a side (its session is gone). */
void pump_forget(gui *g, int side);

/* dialog.c: what an event means for the dialog's state (status lines,
 * buttons), called by the pump before the row is logged. */
void dialog_on_event(gui *g, int side, const hve_event *ev);
/* dialog.c: a side's session has been freed after its FINISHED. */
void dialog_session_done(gui *g, int side);

/* chart.c */
bool chart_register(HINSTANCE inst);
/* The stats the chart draws (the dialog's; they outlive the chart). */
void chart_attach(HWND chart, const hve_stats *st);
/* The figures changed: new text, a redraw. */
void chart_update(HWND chart);

/* clients.c */
void clients_init(gui *g);
/* The last snapshot into the list, and a request for the next. */
void clients_poll(gui *g);

/* settings.c */
void settings_load(gui *g);
void settings_save(gui *g);

/* dialog.c */
INT_PTR CALLBACK dialog_proc(HWND dlg, UINT msg, WPARAM wp, LPARAM lp);

#endif
