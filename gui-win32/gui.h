/* gui.h - private to hvecho-gui.exe: the dialog's state and the calls
 * between its files (dialog.c: the dialog and the sessions; log.c: the
 * ListView log; settings.c: HKCU\Software\hvecho; util.c: UTF-8 <->
 * UTF-16 and the clipboard).
 *
 * Threads: everything here runs on the UI thread, except wake() in
 * dialog.c, which a session's worker calls and which only posts a
 * message. */
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

/* Posted by a session's wake callback; the dialog then drains. */
#define WM_APP_SESSION (WM_APP + 1)

/* Text lengths the dialog reads from its fields. */
#define GUI_FIELD_MAX 1024

typedef struct gui {
    HWND dlg;
    HWND log;
    HICON icon_big, icon_small;
    hve_session *server;
    hve_session *client;
    volatile LONG wake_pending; /* a WM_APP_SESSION is in the queue */
    unsigned client_runs;       /* numbers the client runs in the log */
    /* When each session started (FILETIME counts): event times are
     * relative to their session's start, the log shows wall time. */
    int64_t server_t0, client_t0;
    HANDLE reg_proc;            /* the elevated "--register" helper */
    bool elevated;              /* from the probe at start */
    bool hyperv;                /* AF_HYPERV sockets can be made */
    /* Layout: the size the dialog opened with (also its smallest) and
     * where the controls that follow a resize were then. */
    SIZE min_size;
    SIZE client0;
    RECT anchor_rc[8];
} gui;

/* Posted after a DPI change, to take the new layout as the base. */
#define WM_APP_RELAYOUT (WM_APP + 2)
/* The timer that watches the elevated register helper. */
#define GUI_TIMER_REGISTER 1

/* util.c */
/* UTF-8 -> newly allocated UTF-16 (free()), never NULL unless out of
 * memory. */
wchar_t *gui_wide(const char *utf8);
/* UTF-16 -> UTF-8 into buf; always NUL-terminated. */
char *gui_utf8(const wchar_t *w, char *buf, size_t len);
/* A control's text as UTF-8. */
char *gui_get_text(HWND dlg, int id, char *buf, size_t len);
void gui_set_text(HWND dlg, int id, const char *utf8);
/* Puts UTF-16 text on the clipboard; false if it could not. */
bool gui_clipboard_set(HWND owner, const wchar_t *text);

/* log.c */
void log_init(gui *g);
/* One row; any of the texts may be NULL. kind_flags marks the row for
 * drawing. */
#define LOGROW_BYE 1
#define LOGROW_ERROR 2
void log_add(gui *g, const char *conn, const char *event, const char *peer,
             const char *text, int flags);
/* The same with the time of the row: a FILETIME count (100 ns units),
 * or 0 for now. */
void log_add_at(gui *g, int64_t when, const char *conn, const char *event,
                const char *peer, const char *text, int flags);
/* Now as a FILETIME count. */
int64_t gui_now_ft(void);
void log_clear(gui *g);
/* Rows as tab-separated UTF-16 lines, selected ones or all; free(). */
wchar_t *log_text(gui *g, bool only_selected);
void log_save(gui *g);
/* NM_CUSTOMDRAW for the log: colours bye and error rows. */
LRESULT log_custom_draw(gui *g, NMLVCUSTOMDRAW *cd);

/* settings.c */
void settings_load(gui *g);
void settings_save(gui *g);

/* dialog.c */
INT_PTR CALLBACK dialog_proc(HWND dlg, UINT msg, WPARAM wp, LPARAM lp);

#endif
