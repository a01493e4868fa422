/* log.c - the dialog's log: a virtual (owner-data) report ListView over
 * an array of rows, one per session event, with the time, connection,
 * event, peer, bytes, how long the phase took and the text; bye and
 * error rows coloured; the full text as a tooltip; Ctrl+C, Clear, Save
 * log and Copy.
 *
 * Data events (sent / echoed / received) are merged per connection and
 * direction into one row that counts the bytes, so a big echo adds two
 * rows, not one per read. The log keeps at most LOG_MAX_ROWS rows and
 * says above itself how many older ones it let go.
 *
 * UI thread only. */
#include "gui.h"

#include <commctrl.h>
#include <commdlg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "resource.h"

#define LOG_MAX_ROWS 50000
#define LOG_DROP_ROWS 5000
/* The Text column is never narrower than this (dialog units). */
#define TEXT_MIN_DLU 120

static const struct {
    const wchar_t *title;
    int width_dlu;
} columns[LOGCOL_COUNT] = {
    {L"Time", 52}, {L"Connection", 50}, {L"Event", 44}, {L"Peer", 70},
    {L"Bytes", 40}, {L"Took", 36}, {L"Text", 200},
};

static int dlu_x(gui *g, int dlu)
{
    RECT r = {0, 0, dlu, 1};
    MapDialogRect(g->dlg, &r);
    return r.right;
}

void log_init(gui *g)
{
    LVCOLUMNW col;
    int i;

    ListView_SetExtendedListViewStyle(
        g->log, LVS_EX_FULLROWSELECT | LVS_EX_DOUBLEBUFFER | LVS_EX_INFOTIP);
    memset(&col, 0, sizeof col);
    col.mask = LVCF_TEXT | LVCF_WIDTH | LVCF_SUBITEM | LVCF_FMT;
    for (i = 0; i < LOGCOL_COUNT; i++) {
        /* Widths in dialog units, so they follow the font and DPI. */
        col.fmt = i == LOGCOL_BYTES || i == LOGCOL_TOOK ? LVCFMT_RIGHT
                                                        : LVCFMT_LEFT;
        col.pszText = (wchar_t *)columns[i].title;
        col.cx = dlu_x(g, columns[i].width_dlu);
        col.iSubItem = i;
        ListView_InsertColumn(g->log, i, &col);
    }
    log_fit_columns(g);
}

void log_fit_columns(gui *g)
{
    RECT rc;
    int i, used = 0, w;

    GetClientRect(g->log, &rc);
    for (i = 0; i < LOGCOL_TEXT; i++)
        used += ListView_GetColumnWidth(g->log, i);
    w = rc.right - used;
    if (w < dlu_x(g, TEXT_MIN_DLU))
        w = dlu_x(g, TEXT_MIN_DLU);
    if (ListView_GetColumnWidth(g->log, LOGCOL_TEXT) != w)
        ListView_SetColumnWidth(g->log, LOGCOL_TEXT, w);
}

/* ---- what an event reads as ---- */

static void ms_text(int64_t us, char *buf, size_t len)
{
    if (us < 10000)
        snprintf(buf, len, "%.2f ms", (double)us / 1000.0);
    else if (us < 10000000)
        snprintf(buf, len, "%.0f ms", (double)us / 1000.0);
    else
        snprintf(buf, len, "%.1f s", (double)us / 1e6);
}

static const char *event_word(int side, const hve_event *ev)
{
    switch (ev->kind) {
    case HVE_EV_SENT:
        return side == SIDE_SERVER ? "echoed" : "sent";
    case HVE_EV_RECEIVED:
        return side == SIDE_SERVER ? "received" : "echoed";
    case HVE_EV_SHUTDOWN:
        return "shut down";
    case HVE_EV_FINISHED:
        if (ev->err == HVE_ECANCELED)
            return "stopped";
        if (ev->err)
            return "failed";
        return side == SIDE_SERVER ? "stopped" : "done";
    default:
        return hve_event_kind_name(ev->kind);
    }
}

/* The error, its detail and its hint on one line. */
static void error_text(const hve_event *ev, char *buf, size_t len)
{
    const char *hint = hve_hint(ev->err);
    snprintf(buf, len, "%s%s%s%s%s", hve_strerror(ev->err),
             ev->detail[0] ? ": " : "", ev->detail,
             hint[0] ? " \xE2\x80\x94 " : "", hint);
}

/* The Text column; buf holds at least HVE_EVENT_DATA_CAP * 4 + 1024. */
static void event_text(int side, const hve_event *ev, char *buf,
                       size_t len)
{
    buf[0] = '\0';
    switch (ev->kind) {
    case HVE_EV_LISTENING:
        snprintf(buf, len, "listening on %s", ev->detail);
        break;
    case HVE_EV_CONNECTING:
        snprintf(buf, len, "connecting to %s", ev->detail);
        break;
    case HVE_EV_ACCEPTED:
        snprintf(buf, len, "a new connection");
        break;
    case HVE_EV_CONNECTED:
        snprintf(buf, len, "connected to %s", ev->detail);
        break;
    case HVE_EV_SHUTDOWN:
        snprintf(buf, len, "%s",
                 side == SIDE_SERVER ? "the client shut down its sending side"
                                     : "shut down the sending side");
        break;
    case HVE_EV_CLOSED:
        if (ev->err)
            error_text(ev, buf, len);
        else
            snprintf(buf, len, "%llu bytes echoed",
                     (unsigned long long)ev->bytes);
        break;
    case HVE_EV_ERROR:
        error_text(ev, buf, len);
        break;
    case HVE_EV_FINISHED:
        if (ev->err && ev->err != HVE_ECANCELED)
            error_text(ev, buf, len);
        else if (side == SIDE_CLIENT && ev->err == 0)
            snprintf(buf, len, "handshake complete: echo matched, bye "
                               "arrived");
        else
            snprintf(buf, len, "%s", ev->detail);
        break;
    default:
        if (ev->data && ev->len) {
            hve_escape(ev->data, ev->len, buf, len - 8);
            if ((ev->truncated || ev->bytes > ev->len) &&
                strlen(buf) >= 3 && strcmp(buf + strlen(buf) - 3, "..."))
                strcat(buf, "...");
        }
        break;
    }
}

static int row_flags(int side, const hve_event *ev)
{
    switch (ev->kind) {
    case HVE_EV_BYE:
        return LOGROW_BYE;
    case HVE_EV_CLOSED:
        return ev->err && ev->err != HVE_ECANCELED ? LOGROW_ERROR : 0;
    case HVE_EV_ERROR:
        return LOGROW_ERROR;
    case HVE_EV_FINISHED:
        if (ev->err && ev->err != HVE_ECANCELED)
            return LOGROW_ERROR;
        return side == SIDE_CLIENT && ev->err == 0 ? LOGROW_BYE : 0;
    default:
        return 0;
    }
}

static void conn_text(gui *g, int side, const hve_event *ev, char *buf,
                      size_t len)
{
    if (side == SIDE_CLIENT && ev->round > 0)
        snprintf(buf, len, "client #%u", g->client_base + ev->round);
    else if (ev->conn == 0)
        snprintf(buf, len, "%s", side == SIDE_SERVER ? "server" : "client");
    else
        snprintf(buf, len, "%s #%llu", side == SIDE_SERVER ? "server" : "client",
                 (unsigned long long)ev->conn);
}

static void took_text(int side, const hve_event *ev, char *buf, size_t len)
{
    buf[0] = '\0';
    if (side != SIDE_CLIENT || ev->dur_us < 0)
        return;
    switch (ev->kind) {
    case HVE_EV_CONNECTED:
    case HVE_EV_SENT:
    case HVE_EV_RECEIVED:
    case HVE_EV_BYE:
        ms_text(ev->dur_us, buf, len);
        break;
    default:
        break;
    }
}

/* ---- rows ---- */

static void row_free(logrow *r)
{
    int c;
    for (c = 0; c < LOGCOL_COUNT; c++)
        free(r->cell[c]);
    if (r->ev)
        hve_event_free(r->ev);
}

static void set_label(gui *g)
{
    char t[160];
    if (g->rows_dropped)
        snprintf(t, sizeof t,
                 "Log: %zu rows; the %llu oldest were let go (it keeps "
                 "%d)",
                 g->nrows, (unsigned long long)g->rows_dropped,
                 LOG_MAX_ROWS);
    else
        snprintf(t, sizeof t, "Log: %zu rows", g->nrows);
    gui_set_text(g->dlg, IDC_LOG_LABEL, t);
}

/* Lets the oldest rows go; merges into them end. */
static void drop_oldest(gui *g)
{
    size_t n = LOG_DROP_ROWS, i, j = 0;
    for (i = 0; i < n; i++)
        row_free(&g->rows[i]);
    memmove(g->rows, g->rows + n, (g->nrows - n) * sizeof *g->rows);
    g->nrows -= n;
    g->rows_dropped += n;
    for (i = 0; i < g->nmerges; i++) {
        if (g->merges[i].row < n)
            continue;
        g->merges[i].row -= n;
        g->merges[j++] = g->merges[i];
    }
    g->nmerges = j;
}

static logrow *new_row(gui *g)
{
    logrow *r;
    if (g->nrows >= LOG_MAX_ROWS)
        drop_oldest(g);
    if (g->nrows == g->caprows) {
        size_t cap = g->caprows ? g->caprows * 2 : 256;
        logrow *n = realloc(g->rows, cap * sizeof *n);
        if (!n)
            return NULL;
        g->rows = n;
        g->caprows = cap;
    }
    r = &g->rows[g->nrows++];
    memset(r, 0, sizeof *r);
    g->log_dirty = true;
    return r;
}

static void set_cell(logrow *r, int col, const char *utf8)
{
    free(r->cell[col]);
    r->cell[col] = gui_wide(utf8 ? utf8 : "");
}

static void add_row(gui *g, int side, int64_t when, const char *conn,
                    const char *event, const char *peer, const char *bytes,
                    const char *took, const char *text, int flags,
                    hve_event *ev)
{
    char t[32];
    logrow *r = new_row(g);
    if (!r) {
        if (ev)
            hve_event_free(ev);
        return;
    }
    r->when = when > 0 ? when : gui_now_ft();
    r->flags = flags;
    r->side = side;
    r->ev = ev;
    gui_time_text(r->when, t, sizeof t);
    set_cell(r, LOGCOL_TIME, t);
    set_cell(r, LOGCOL_CONN, conn);
    set_cell(r, LOGCOL_EVENT, event);
    set_cell(r, LOGCOL_PEER, peer);
    set_cell(r, LOGCOL_BYTES, bytes);
    set_cell(r, LOGCOL_TOOK, took);
    set_cell(r, LOGCOL_TEXT, text);
}

void log_note(gui *g, const char *conn, const char *event, const char *text,
              int flags)
{
    add_row(g, -1, 0, conn, event, "", "", "", text, flags | LOGROW_NOTE,
            NULL);
    log_flush(g);
}

static logmerge *find_merge(gui *g, int side, const hve_event *ev, int kind)
{
    size_t i;
    for (i = 0; i < g->nmerges; i++) {
        logmerge *m = &g->merges[i];
        if (m->side == side && m->conn == ev->conn && m->round == ev->round &&
            m->kind == kind)
            return m;
    }
    return NULL;
}

static void set_bytes(gui *g, logmerge *m, uint64_t bytes)
{
    char t[32];
    if (bytes <= m->bytes || m->row >= g->nrows)
        return;
    m->bytes = bytes;
    snprintf(t, sizeof t, "%llu", (unsigned long long)bytes);
    set_cell(&g->rows[m->row], LOGCOL_BYTES, t);
    g->log_dirty = true;
}

/* A connection's data rows take no more events. */
static void end_merges(gui *g, int side, const hve_event *ev, bool all)
{
    size_t i, j = 0;
    for (i = 0; i < g->nmerges; i++) {
        logmerge *m = &g->merges[i];
        if (m->side == side &&
            (all || (m->conn == ev->conn && m->round == ev->round)))
            continue;
        g->merges[j++] = *m;
    }
    g->nmerges = j;
}

static void merge_data(gui *g, int side, hve_event *ev, int64_t when,
                       const char *conn, const char *word)
{
    logmerge *m = find_merge(g, side, ev, ev->kind);
    char bytes[32], took[32], *text;
    uint64_t n;

    if (m && m->row < g->nrows) {
        logrow *r = &g->rows[m->row];
        /* total counts every byte even when the core dropped data events
         * to bound its queue */
        n = ev->total > m->bytes ? ev->total : m->bytes + ev->bytes;
        set_bytes(g, m, n);
        if (ev->len && r->cell[LOGCOL_TEXT]) {
            size_t l = wcslen(r->cell[LOGCOL_TEXT]);
            if (l < 3 || wcscmp(r->cell[LOGCOL_TEXT] + l - 3, L"...")) {
                wchar_t *w = realloc(r->cell[LOGCOL_TEXT],
                                     (l + 4) * sizeof *w);
                if (w) {
                    wcscpy(w + l, L"...");
                    r->cell[LOGCOL_TEXT] = w;
                }
            }
        }
        hve_event_free(ev);
        return;
    }
    if (g->nmerges == g->capmerges) {
        size_t cap = g->capmerges ? g->capmerges * 2 : 32;
        logmerge *nm = realloc(g->merges, cap * sizeof *nm);
        if (!nm) {
            hve_event_free(ev);
            return;
        }
        g->merges = nm;
        g->capmerges = cap;
    }
    n = ev->total > ev->bytes ? ev->total : ev->bytes;
    snprintf(bytes, sizeof bytes, "%llu", (unsigned long long)n);
    took_text(side, ev, took, sizeof took);
    text = malloc(HVE_EVENT_DATA_CAP * 4 + 1024);
    if (!text) {
        hve_event_free(ev);
        return;
    }
    event_text(side, ev, text, HVE_EVENT_DATA_CAP * 4 + 1024);
    m = &g->merges[g->nmerges++];
    m->side = side;
    m->conn = ev->conn;
    m->round = ev->round;
    m->kind = (int)ev->kind;
    m->bytes = n;
    add_row(g, side, when, conn, word, ev->peer, bytes, took, text, 0, ev);
    m->row = g->nrows - 1;
    free(text);
}

void log_event(gui *g, int side, hve_event *ev)
{
    char conn[48], bytes[32] = "", took[32], *text;
    int64_t when = g->t0[side] + ev->t_us * 10; /* us -> 100 ns */
    const char *word = event_word(side, ev);
    logmerge *m;

    conn_text(g, side, ev, conn, sizeof conn);
    if (ev->kind == HVE_EV_SENT || ev->kind == HVE_EV_RECEIVED) {
        merge_data(g, side, ev, when, conn, word);
        return;
    }
    /* The merged rows' byte counts are made exact from the totals these
     * events carry. */
    if (side == SIDE_SERVER &&
        (ev->kind == HVE_EV_SHUTDOWN || ev->kind == HVE_EV_CLOSED) &&
        (m = find_merge(g, side, ev, HVE_EV_RECEIVED)) != NULL)
        set_bytes(g, m, ev->total);
    if (side == SIDE_SERVER && ev->kind == HVE_EV_CLOSED &&
        (m = find_merge(g, side, ev, HVE_EV_SENT)) != NULL)
        set_bytes(g, m, ev->bytes);
    if (ev->kind == HVE_EV_CLOSED)
        end_merges(g, side, ev, false);
    if (ev->kind == HVE_EV_FINISHED)
        end_merges(g, side, ev, true);

    if (ev->kind == HVE_EV_BYE && ev->bytes)
        snprintf(bytes, sizeof bytes, "%llu", (unsigned long long)ev->bytes);
    if (ev->kind == HVE_EV_CLOSED)
        snprintf(bytes, sizeof bytes, "%llu", (unsigned long long)ev->bytes);
    took_text(side, ev, took, sizeof took);
    text = malloc(HVE_EVENT_DATA_CAP * 4 + 1024);
    if (!text) {
        hve_event_free(ev);
        return;
    }
    event_text(side, ev, text, HVE_EVENT_DATA_CAP * 4 + 1024);
    add_row(g, side, when, conn, word, ev->peer, bytes, took, text,
            row_flags(side, ev), ev);
    free(text);
}

void log_flush(gui *g)
{
    if (!g->log_dirty)
        return;
    g->log_dirty = false;
    ListView_SetItemCountEx(g->log, (int)g->nrows,
                            LVSICF_NOINVALIDATEALL | LVSICF_NOSCROLL);
    InvalidateRect(g->log, NULL, FALSE);
    if (g->nrows)
        ListView_EnsureVisible(g->log, (int)g->nrows - 1, FALSE);
    set_label(g);
}

void log_clear(gui *g)
{
    size_t i;
    for (i = 0; i < g->nrows; i++)
        row_free(&g->rows[i]);
    g->nrows = 0;
    g->nmerges = 0;
    g->rows_dropped = 0;
    ListView_SetItemCountEx(g->log, 0, 0);
    set_label(g);
}

/* ---- text for Copy and Save ---- */

/* Appends s to the growing buffer; false when out of memory. */
static bool append(wchar_t **buf, size_t *len, size_t *cap, const wchar_t *s)
{
    size_t n = wcslen(s);
    if (*len + n + 1 > *cap) {
        size_t cap2 = (*cap + n + 1) * 2;
        wchar_t *b = realloc(*buf, cap2 * sizeof *b);
        if (!b)
            return false;
        *buf = b;
        *cap = cap2;
    }
    memcpy(*buf + *len, s, n * sizeof *s);
    *len += n;
    (*buf)[*len] = L'\0';
    return true;
}

static bool append_row(const logrow *r, wchar_t **buf, size_t *len,
                       size_t *cap)
{
    int c;
    for (c = 0; c < LOGCOL_COUNT; c++)
        if (!append(buf, len, cap, r->cell[c] ? r->cell[c] : L"") ||
            !append(buf, len, cap, c + 1 < LOGCOL_COUNT ? L"\t" : L"\r\n"))
            return false;
    return true;
}

wchar_t *log_text(gui *g, bool only_selected)
{
    wchar_t *buf = NULL;
    size_t len = 0, cap = 0, r;
    int i = -1;

    if (!append(&buf, &len, &cap, L""))
        return NULL;
    if (only_selected) {
        while ((i = ListView_GetNextItem(g->log, i, LVNI_SELECTED)) >= 0)
            if ((size_t)i < g->nrows &&
                !append_row(&g->rows[i], &buf, &len, &cap))
                goto oom;
        return buf;
    }
    for (r = 0; r < g->nrows; r++)
        if (!append_row(&g->rows[r], &buf, &len, &cap))
            goto oom;
    return buf;
oom:
    free(buf);
    return NULL;
}

void log_save(gui *g)
{
    wchar_t path[MAX_PATH] = L"hvecho-log.txt";
    OPENFILENAMEW ofn;
    wchar_t *text;
    char *utf8;
    HANDLE f;
    DWORD written = 0;
    bool ok = false;

    memset(&ofn, 0, sizeof ofn);
    ofn.lStructSize = sizeof ofn;
    ofn.hwndOwner = g->dlg;
    ofn.lpstrFilter = L"Text files (*.txt)\0*.txt\0All files\0*.*\0";
    ofn.lpstrFile = path;
    ofn.nMaxFile = MAX_PATH;
    ofn.lpstrDefExt = L"txt";
    ofn.Flags = OFN_OVERWRITEPROMPT | OFN_PATHMUSTEXIST | OFN_NOCHANGEDIR;
    if (!GetSaveFileNameW(&ofn))
        return;

    text = log_text(g, false);
    if (!text)
        return;
    /* UTF-8, tab-separated, one event per line. */
    utf8 = gui_utf8_alloc(text);
    free(text);
    if (utf8) {
        DWORD n = (DWORD)strlen(utf8);
        f = CreateFileW(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                        FILE_ATTRIBUTE_NORMAL, NULL);
        if (f != INVALID_HANDLE_VALUE) {
            ok = WriteFile(f, utf8, n, &written, NULL) && written == n;
            ok = CloseHandle(f) && ok;
        }
        free(utf8);
    }
    if (!ok)
        MessageBoxW(g->dlg, L"The log could not be written to that file.",
                    L"hvecho", MB_OK | MB_ICONERROR);
}

/* ---- the ListView's notifications ---- */

static void copy_cell(wchar_t *out, int cap, const wchar_t *s)
{
    size_t n;
    if (!out || cap <= 0)
        return;
    s = s ? s : L"";
    n = wcslen(s);
    if (n >= (size_t)cap)
        n = (size_t)cap - 1;
    memcpy(out, s, n * sizeof *s);
    out[n] = L'\0';
}

bool log_notify(gui *g, NMHDR *nm, LRESULT *result)
{
    *result = 0;
    switch (nm->code) {
    case LVN_GETDISPINFOW: {
        LVITEMW *it = &((NMLVDISPINFOW *)nm)->item;
        if (it->iItem < 0 || (size_t)it->iItem >= g->nrows)
            return true;
        if ((it->mask & LVIF_TEXT) && it->iSubItem >= 0 &&
            it->iSubItem < LOGCOL_COUNT)
            copy_cell(it->pszText, it->cchTextMax,
                      g->rows[it->iItem].cell[it->iSubItem]);
        if (it->mask & LVIF_PARAM)
            it->lParam = g->rows[it->iItem].flags;
        return true;
    }
    case LVN_GETINFOTIPW: {
        NMLVGETINFOTIPW *tip = (NMLVGETINFOTIPW *)nm;
        if (tip->iItem >= 0 && (size_t)tip->iItem < g->nrows)
            copy_cell(tip->pszText, tip->cchTextMax,
                      g->rows[tip->iItem].cell[LOGCOL_TEXT]);
        return true;
    }
    case LVN_KEYDOWN: {
        NMLVKEYDOWN *k = (NMLVKEYDOWN *)nm;
        if (k->wVKey == 'C' && GetKeyState(VK_CONTROL) < 0) {
            wchar_t *t = log_text(g, true);
            if (t)
                gui_clipboard_set(g->dlg, t);
            free(t);
        } else if (k->wVKey == 'A' && GetKeyState(VK_CONTROL) < 0) {
            ListView_SetItemState(g->log, -1, LVIS_SELECTED, LVIS_SELECTED);
        }
        return true;
    }
    case NM_CUSTOMDRAW: {
        NMLVCUSTOMDRAW *cd = (NMLVCUSTOMDRAW *)nm;
        size_t i = (size_t)cd->nmcd.dwItemSpec;
        *result = CDRF_DODEFAULT;
        if (cd->nmcd.dwDrawStage == CDDS_PREPAINT) {
            *result = CDRF_NOTIFYITEMDRAW;
        } else if (cd->nmcd.dwDrawStage == CDDS_ITEMPREPAINT &&
                   i < g->nrows) {
            if (g->rows[i].flags & LOGROW_ERROR) {
                cd->clrText = RGB(0xB0, 0x00, 0x00);
            } else if (g->rows[i].flags & LOGROW_BYE) {
                cd->clrText = RGB(0x00, 0x60, 0x00);
                cd->clrTextBk = RGB(0xE4, 0xF6, 0xE4);
            }
        }
        return true;
    }
    default:
        return false;
    }
}
