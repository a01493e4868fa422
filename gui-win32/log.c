/* log.c - the dialog's log: a report-mode ListView with one row per
 * session event (time, connection, event, peer, text), bye rows and
 * error rows coloured, and Clear / Save log / Copy. UI thread only. */
#include "gui.h"

#include <commctrl.h>
#include <commdlg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "resource.h"

static const struct {
    const wchar_t *title;
    int width_dlu;
} columns[LOGCOL_COUNT] = {
    {L"Time", 58}, {L"Connection", 46}, {L"Event", 46},
    {L"Peer", 84}, {L"Text", 180},
};

void log_init(gui *g)
{
    LVCOLUMNW col;
    int i;

    ListView_SetExtendedListViewStyle(
        g->log, LVS_EX_FULLROWSELECT | LVS_EX_DOUBLEBUFFER |
                    LVS_EX_LABELTIP);
    memset(&col, 0, sizeof col);
    col.mask = LVCF_TEXT | LVCF_WIDTH | LVCF_SUBITEM;
    for (i = 0; i < LOGCOL_COUNT; i++) {
        /* Widths in dialog units, so they follow the font and DPI. */
        RECT r = {0, 0, columns[i].width_dlu, 1};
        MapDialogRect(g->dlg, &r);
        col.pszText = (wchar_t *)columns[i].title;
        col.cx = r.right;
        col.iSubItem = i;
        ListView_InsertColumn(g->log, i, &col);
    }
}

static void set_cell(HWND lv, int row, int col, const char *utf8)
{
    wchar_t *w = gui_wide(utf8 ? utf8 : "");
    if (!w)
        return;
    ListView_SetItemText(lv, row, col, w);
    free(w);
}

int64_t gui_now_ft(void)
{
    FILETIME ft;
    GetSystemTimePreciseAsFileTime(&ft);
    return (int64_t)(((uint64_t)ft.dwHighDateTime << 32) | ft.dwLowDateTime);
}

void log_add(gui *g, const char *conn, const char *event, const char *peer,
             const char *text, int flags)
{
    log_add_at(g, 0, conn, event, peer, text, flags);
}

void log_add_at(gui *g, int64_t when, const char *conn, const char *event,
                const char *peer, const char *text, int flags)
{
    SYSTEMTIME st;
    FILETIME utc, local;
    char now[32];
    LVITEMW it;
    int row, count;

    if (when <= 0)
        when = gui_now_ft();
    utc.dwLowDateTime = (DWORD)((uint64_t)when & 0xFFFFFFFFu);
    utc.dwHighDateTime = (DWORD)((uint64_t)when >> 32);
    if (!FileTimeToLocalFileTime(&utc, &local) ||
        !FileTimeToSystemTime(&local, &st))
        GetLocalTime(&st);
    snprintf(now, sizeof now, "%02u:%02u:%02u.%03u", (unsigned)st.wHour,
             (unsigned)st.wMinute, (unsigned)st.wSecond,
             (unsigned)st.wMilliseconds);
    count = ListView_GetItemCount(g->log);
    memset(&it, 0, sizeof it);
    it.mask = LVIF_TEXT | LVIF_PARAM;
    it.iItem = count;
    it.pszText = L"";
    it.lParam = flags;
    row = ListView_InsertItem(g->log, &it);
    if (row < 0)
        return;
    set_cell(g->log, row, LOGCOL_TIME, now);
    set_cell(g->log, row, LOGCOL_CONN, conn);
    set_cell(g->log, row, LOGCOL_EVENT, event);
    set_cell(g->log, row, LOGCOL_PEER, peer);
    set_cell(g->log, row, LOGCOL_TEXT, text);
    ListView_EnsureVisible(g->log, row, FALSE);
}

void log_clear(gui *g)
{
    ListView_DeleteAllItems(g->log);
}

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

wchar_t *log_text(gui *g, bool only_selected)
{
    wchar_t cell[HVE_EVENT_DATA_CAP * 4 + 64];
    wchar_t *buf = NULL;
    size_t len = 0, cap = 0;
    int rows = ListView_GetItemCount(g->log);
    int r, c;

    if (!append(&buf, &len, &cap, L""))
        return NULL;
    for (r = 0; r < rows; r++) {
        if (only_selected &&
            !(ListView_GetItemState(g->log, r, LVIS_SELECTED) &
              LVIS_SELECTED))
            continue;
        for (c = 0; c < LOGCOL_COUNT; c++) {
            cell[0] = L'\0';
            ListView_GetItemText(g->log, r, c, cell,
                                 (int)(sizeof cell / sizeof cell[0]));
            if (!append(&buf, &len, &cap, cell) ||
                !append(&buf, &len, &cap,
                        c + 1 < LOGCOL_COUNT ? L"\t" : L"\r\n")) {
                free(buf);
                return NULL;
            }
        }
    }
    return buf;
}

void log_save(gui *g)
{
    wchar_t path[MAX_PATH] = L"hvecho-log.txt";
    OPENFILENAMEW ofn;
    wchar_t *text;
    char *utf8;
    int n;
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
    n = WideCharToMultiByte(CP_UTF8, 0, text, -1, NULL, 0, NULL, NULL);
    utf8 = n > 0 ? malloc((size_t)n) : NULL;
    if (utf8) {
        WideCharToMultiByte(CP_UTF8, 0, text, -1, utf8, n, NULL, NULL);
        f = CreateFileW(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                        FILE_ATTRIBUTE_NORMAL, NULL);
        if (f != INVALID_HANDLE_VALUE) {
            ok = WriteFile(f, utf8, (DWORD)(n - 1), &written, NULL) &&
                 written == (DWORD)(n - 1);
            ok = CloseHandle(f) && ok;
        }
        free(utf8);
    }
    free(text);
    if (!ok)
        MessageBoxW(g->dlg, L"The log could not be written to that file.",
                    L"hvecho", MB_OK | MB_ICONERROR);
}

LRESULT log_custom_draw(gui *g, NMLVCUSTOMDRAW *cd)
{
    (void)g;
    switch (cd->nmcd.dwDrawStage) {
    case CDDS_PREPAINT:
        return CDRF_NOTIFYITEMDRAW;
    case CDDS_ITEMPREPAINT:
        if (cd->nmcd.lItemlParam & LOGROW_ERROR) {
            cd->clrText = RGB(0xB0, 0x00, 0x00);
        } else if (cd->nmcd.lItemlParam & LOGROW_BYE) {
            cd->clrText = RGB(0x00, 0x60, 0x00);
            cd->clrTextBk = RGB(0xE4, 0xF6, 0xE4);
        }
        return CDRF_DODEFAULT;
    default:
        return CDRF_DODEFAULT;
    }
}
