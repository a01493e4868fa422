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
#define TEXT_MIN_DLU 80
/* A row's whole text: the description and its hint. */
#define ROW_TEXT_MAX (HVE_DESC_TEXT + 512)

/* Column widths in dialog units; the titles are the core's
 * (hve_ui_log_column). */
static const int width_dlu[LOGCOL_COUNT] = {46, 42, 34, 58, 30, 40, 200};

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
        wchar_t *title = gui_wide(hve_ui_log_column(i));
        col.pszText = title ? title : L"";
        col.cx = dlu_x(g, width_dlu[i]);
        col.iSubItem = i;
        ListView_InsertColumn(g->log, i, &col);
        free(title);
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

/* ---- what an event reads as: the core's description ---- */

static int tone_flags(hve_tone t)
{
    switch (t) {
    case HVE_TONE_BYE:
        return LOGROW_BYE;
    case HVE_TONE_ERROR:
        return LOGROW_ERROR;
    case HVE_TONE_NOTE:
        return LOGROW_NOTE;
    default:
        return 0;
    }
}

/* The Text column: the description's text, then its hint after a dash. */
static void row_text(const hve_desc *d, char *buf, size_t len)
{
    snprintf(buf, len, "%s%s%s", d->text, d->hint[0] ? " \xE2\x80\x94 " : "",
             d->hint);
}

static void conn_text(const hve_event *ev, char *buf, size_t len)
{
    const char *side = hve_side_name(ev->side);
    if (ev->side == HVE_SIDE_CLIENT && ev->round > 0)
        snprintf(buf, len, "client #%u", ev->round);
    else if (ev->conn == 0)
        snprintf(buf, len, "%s", side);
    else
        snprintf(buf, len, "%s #%llu", side, (unsigned long long)ev->conn);
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

/* Above the log: its rows, and what it did not show (the core's
 * words: merged data rows, rows the cap removed). */
static void set_label(gui *g)
{
    char t[600], note[500];
    char n[32];
    hve_format_count(g->nrows, n, sizeof n);
    hve_tally_note(&g->tally, LOG_MAX_ROWS, note, sizeof note);
    snprintf(t, sizeof t, "Log: %s row%s%s%s", n, g->nrows == 1 ? "" : "s",
             note[0] ? "; " : "", note);
    gui_set_text_changed(g->dlg, IDC_LOG_LABEL, t); /* every drain */
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
    g->tally.capped += n;
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
                    int64_t took_us, const char *text, int flags,
                    hve_event *ev)
{
    char took[32] = "";
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
    r->took_us = took_us;
    if (took_us >= 0)
        hve_format_duration(took_us, took, sizeof took);
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
    add_row(g, -1, 0, conn, event, "", "", -1, text, flags | LOGROW_NOTE,
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

static void merge_data(gui *g, hve_event *ev, int64_t when,
                       const char *conn, const hve_desc *d)
{
    int side = ev->side == HVE_SIDE_SERVER ? SIDE_SERVER : SIDE_CLIENT;
    logmerge *m = find_merge(g, side, ev, ev->kind);
    char bytes[32], *text;
    uint64_t n;

    if (m && m->row < g->nrows) {
        logrow *r = &g->rows[m->row];
        hve_tally_event(&g->tally, ev, false);
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
    hve_tally_event(&g->tally, ev, true);
    n = ev->total > ev->bytes ? ev->total : ev->bytes;
    snprintf(bytes, sizeof bytes, "%llu", (unsigned long long)n);
    text = malloc(ROW_TEXT_MAX);
    if (!text) {
        hve_event_free(ev);
        return;
    }
    row_text(d, text, ROW_TEXT_MAX);
    m = &g->merges[g->nmerges++];
    m->side = side;
    m->conn = ev->conn;
    m->round = ev->round;
    m->kind = (int)ev->kind;
    m->bytes = n;
    add_row(g, side, when, conn, d->verb, ev->peer, bytes, d->dur_us, text,
            tone_flags(d->tone), ev);
    m->row = g->nrows - 1;
    free(text);
}

void log_event(gui *g, hve_event *ev)
{
    char conn[48], bytes[32] = "", *text;
    int side = ev->side == HVE_SIDE_SERVER ? SIDE_SERVER : SIDE_CLIENT;
    int64_t when;
    hve_desc *d = malloc(sizeof *d);
    logmerge *m;

    if (!d) {
        hve_event_free(ev);
        return;
    }
    /* Wall time from the one monotonic clock of all sessions, so the
     * times read in the order the rows are (mono_us). */
    if (!g->mono_ref_set) {
        g->mono_ref = ev->mono_us;
        g->wall_ref = g->t0[side] + ev->t_us * 10; /* us -> 100 ns */
        g->mono_ref_set = true;
    }
    when = g->wall_ref + (ev->mono_us - g->mono_ref) * 10;
    hve_event_describe(ev, HVE_WORDS_WINDOW, d);
    conn_text(ev, conn, sizeof conn);
    if (ev->kind == HVE_EV_SENT || ev->kind == HVE_EV_RECEIVED) {
        merge_data(g, ev, when, conn, d);
        free(d);
        return;
    }
    hve_tally_event(&g->tally, ev, true);
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

    if ((ev->kind == HVE_EV_BYE && ev->bytes) || ev->kind == HVE_EV_CLOSED)
        snprintf(bytes, sizeof bytes, "%llu", (unsigned long long)ev->bytes);
    text = malloc(ROW_TEXT_MAX);
    if (!text) {
        free(d);
        hve_event_free(ev);
        return;
    }
    row_text(d, text, ROW_TEXT_MAX);
    add_row(g, side, when, conn, d->verb, ev->peer, bytes, d->dur_us, text,
            tone_flags(d->tone), ev);
    if (d->note[0])
        add_row(g, side, when, conn, "note", "", "", -1, d->note,
                LOGROW_NOTE, NULL);
    free(text);
    free(d);
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
    memset(&g->tally, 0, sizeof g->tally);
    ListView_SetItemCountEx(g->log, 0, 0);
    set_label(g);
}

/* ---- Copy, Save / Export, the detail pane ---- */

/* A growing UTF-8 buffer. */
typedef struct sbuf {
    char *p;
    size_t len, cap;
    bool oom;
} sbuf;

static void sb_add(sbuf *b, const char *s)
{
    size_t n = strlen(s);
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = (b->cap + n + 1) * 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->oom = true;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n + 1);
    b->len += n;
}

/* One row in a format, appended to b. */
static void row_out(const logrow *r, int format, sbuf *b)
{
    char *time = gui_utf8_alloc(r->cell[LOGCOL_TIME] ? r->cell[LOGCOL_TIME]
                                                     : L"");
    char *verb = gui_utf8_alloc(r->cell[LOGCOL_EVENT] ? r->cell[LOGCOL_EVENT]
                                                      : L"");
    char *text = gui_utf8_alloc(r->cell[LOGCOL_TEXT] ? r->cell[LOGCOL_TEXT]
                                                     : L"");
    char who[32] = "", *line = NULL;

    if (r->ev && r->ev->conn)
        snprintf(who, sizeof who, "#%llu", (unsigned long long)r->ev->conn);
    if (format == LOG_FILE_JSONL) {
        hve_event *note = NULL;
        const hve_event *ev = r->ev;
        if (!ev)
            ev = note = hve_event_note(r->side == SIDE_SERVER
                                           ? HVE_SIDE_SERVER
                                           : HVE_SIDE_CLIENT,
                                       text ? text : "");
        line = ev ? malloc(HVE_EVENT_JSON_MAX + 2) : NULL;
        if (line) {
            hve_event_json(ev, line, HVE_EVENT_JSON_MAX);
            strcat(line, "\n");
        }
        hve_event_free(note);
    } else {
        hve_export_row x;
        x.time = time;
        x.who = who;
        x.verb = verb;
        x.text = text;
        x.took_us = r->took_us;
        x.ev = r->ev;
        line = hve_export_row_text(&x, format == LOG_FILE_CSV
                                           ? HVE_EXPORT_CSV
                                           : HVE_EXPORT_TEXT);
    }
    if (line)
        sb_add(b, line);
    else
        b->oom = true;
    free(line);
    free(time);
    free(verb);
    free(text);
}

/* The rows (selected or all) in a format, UTF-8; free(). */
static char *rows_out(gui *g, bool only_selected, int format)
{
    sbuf b = {NULL, 0, 0, false};
    size_t r;
    int i = -1;

    sb_add(&b, format == LOG_FILE_CSV ? hve_export_header(HVE_EXPORT_CSV)
                                      : "");
    if (only_selected) {
        while ((i = ListView_GetNextItem(g->log, i, LVNI_SELECTED)) >= 0)
            if ((size_t)i < g->nrows)
                row_out(&g->rows[i], format, &b);
    } else {
        for (r = 0; r < g->nrows; r++)
            row_out(&g->rows[r], format, &b);
    }
    if (b.oom) {
        free(b.p);
        return NULL;
    }
    return b.p;
}

wchar_t *log_text(gui *g, bool only_selected)
{
    char *t = rows_out(g, only_selected, LOG_FILE_TEXT), *s;
    sbuf b = {NULL, 0, 0, false};
    wchar_t *w;

    if (!t)
        return NULL;
    /* The clipboard's lines end with CRLF. */
    sb_add(&b, "");
    for (s = t; *s; s++) {
        char c[2] = {*s, 0};
        if (*s == '\n')
            sb_add(&b, "\r");
        sb_add(&b, c);
    }
    free(t);
    if (b.oom) {
        free(b.p);
        return NULL;
    }
    w = gui_wide(b.p);
    free(b.p);
    return w;
}

bool log_write(gui *g, const wchar_t *path, int format)
{
    char *t = rows_out(g, false, format);
    HANDLE f;
    DWORD written = 0, n;
    bool ok = false;

    if (!t)
        return false;
    n = (DWORD)strlen(t);
    f = CreateFileW(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                    FILE_ATTRIBUTE_NORMAL, NULL);
    if (f != INVALID_HANDLE_VALUE) {
        ok = WriteFile(f, t, n, &written, NULL) && written == n;
        ok = CloseHandle(f) && ok;
    }
    free(t);
    return ok;
}

void log_save(gui *g)
{
    wchar_t path[MAX_PATH] = L"hvecho-log.txt", filter[512];
    OPENFILENAMEW ofn;
    size_t n = 0;
    int i, format;
    char utf8[MAX_PATH * 3];
    static const int formats[HVE_UI_EXPORTS] = {LOG_FILE_TEXT, LOG_FILE_CSV,
                                                LOG_FILE_JSONL};

    /* the core's file kinds: "name\0pattern\0" each, then "\0" */
    for (i = 0; i < HVE_UI_EXPORTS; i++) {
        const char *part[2] = {hve_ui_export_name(i),
                               hve_ui_export_pattern(i)};
        int k;
        for (k = 0; k < 2; k++)
            n += (size_t)MultiByteToWideChar(CP_UTF8, 0, part[k], -1,
                                             filter + n,
                                             (int)(511 - n));
    }
    filter[n] = L'\0';
    memset(&ofn, 0, sizeof ofn);
    ofn.lStructSize = sizeof ofn;
    ofn.hwndOwner = g->dlg;
    ofn.lpstrFilter = filter;
    ofn.lpstrFile = path;
    ofn.nMaxFile = MAX_PATH;
    ofn.lpstrDefExt = L"txt";
    ofn.Flags = OFN_OVERWRITEPROMPT | OFN_PATHMUSTEXIST | OFN_NOCHANGEDIR;
    if (!GetSaveFileNameW(&ofn))
        return;
    /* The type picked, unless the name's ending says otherwise. */
    gui_utf8(path, utf8, sizeof utf8);
    format = formats[hve_ui_export_kind(utf8, (int)ofn.nFilterIndex - 1)];
    if (!log_write(g, path, format)) {
        wchar_t *w = gui_wide(hve_ui_text(HVE_UI_SAVE_FAILED));
        MessageBoxW(g->dlg, w ? w : L"", L"hvecho", MB_OK | MB_ICONERROR);
        free(w);
    }
}

void log_show_detail(gui *g)
{
    int i = ListView_GetNextItem(g->log, -1, LVNI_SELECTED);
    sbuf b = {NULL, 0, 0, false};
    const logrow *r;
    char *text, head[160], *cell[LOGCOL_TEXT], title[1200];
    wchar_t *w;
    int c;

    if (i < 0 || (size_t)i >= g->nrows) {
        w = gui_wide(hve_ui_text(HVE_UI_DETAIL_EMPTY));
        SetDlgItemTextW(g->dlg, IDC_DETAIL, w ? w : L"");
        free(w);
        return;
    }
    r = &g->rows[i];
    /* the row's cells in a line, as the GTK window heads its detail */
    for (c = 0; c < LOGCOL_TEXT; c++)
        cell[c] = gui_utf8_alloc(r->cell[c] ? r->cell[c] : L"");
    hve_ui_detail_title(cell[LOGCOL_TIME] ? cell[LOGCOL_TIME] : "",
                        cell[LOGCOL_CONN] ? cell[LOGCOL_CONN] : "",
                        cell[LOGCOL_EVENT] ? cell[LOGCOL_EVENT] : "",
                        cell[LOGCOL_PEER], cell[LOGCOL_TOOK], title,
                        sizeof title);
    for (c = 0; c < LOGCOL_TEXT; c++)
        free(cell[c]);
    sb_add(&b, title);
    sb_add(&b, "\r\n\r\n");
    text = gui_utf8_alloc(r->cell[LOGCOL_TEXT] ? r->cell[LOGCOL_TEXT] : L"");
    sb_add(&b, text ? text : "");
    free(text);
    if (r->ev && r->ev->data && r->ev->len) {
        size_t need = hve_hexdump(r->ev->data, r->ev->len, 0, HVE_HEX_CRLF,
                                  NULL, 0) + 1;
        char *hex = malloc(need);
        sb_add(&b, "\r\n\r\n");
        sb_add(&b, hve_ui_dump_head(r->ev->bytes, r->ev->len, head,
                                    sizeof head));
        sb_add(&b, "\r\n");
        if (hex) {
            hve_hexdump(r->ev->data, r->ev->len, 0, HVE_HEX_CRLF, hex, need);
            sb_add(&b, hex);
            free(hex);
        }
    }
    w = b.oom ? NULL : gui_wide(b.p);
    SetDlgItemTextW(g->dlg, IDC_DETAIL, w ? w : L"");
    free(w);
    free(b.p);
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
    case LVN_ITEMCHANGED: {
        NMLISTVIEW *lv = (NMLISTVIEW *)nm;
        if ((lv->uChanged & LVIF_STATE) &&
            ((lv->uNewState ^ lv->uOldState) & LVIS_SELECTED))
            log_show_detail(g);
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
