/* clients.c - the server's connected clients: a ListView (peer, bytes,
 * age) filled from the core's snapshot (hve_session_clients), which the
 * dialog asks for on a timer while the server runs. The worker answers
 * the request at its next wakeup; the list shows the last answer.
 *
 * UI thread only. */
#include "gui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "resource.h"

static const struct {
    const wchar_t *title;
    int width_dlu;
} columns[] = {
    {L"Peer", 86}, {L"Bytes", 44}, {L"Age", 40},
};
#define NCOLS (int)(sizeof columns / sizeof columns[0])

void clients_init(gui *g)
{
    HWND lv = GetDlgItem(g->dlg, IDC_CLIENTS);
    LVCOLUMNW col;
    int i;

    ListView_SetExtendedListViewStyle(lv, LVS_EX_FULLROWSELECT |
                                              LVS_EX_DOUBLEBUFFER);
    memset(&col, 0, sizeof col);
    col.mask = LVCF_TEXT | LVCF_WIDTH | LVCF_SUBITEM | LVCF_FMT;
    for (i = 0; i < NCOLS; i++) {
        RECT r = {0, 0, columns[i].width_dlu, 1};
        MapDialogRect(g->dlg, &r);
        col.fmt = i ? LVCFMT_RIGHT : LVCFMT_LEFT;
        col.pszText = (wchar_t *)columns[i].title;
        col.cx = r.right;
        col.iSubItem = i;
        ListView_InsertColumn(lv, i, &col);
    }
}

static void set_cell(HWND lv, int row, int col, const char *utf8)
{
    wchar_t *w = gui_wide(utf8);
    if (w) {
        ListView_SetItemText(lv, row, col, w);
        free(w);
    }
}

void clients_poll(gui *g)
{
    HWND lv = GetDlgItem(g->dlg, IDC_CLIENTS);
    hve_client_info *c;
    size_t n = 0, i;
    unsigned total = 0;
    int rows;
    char t[64];

    if (!g->server) {
        ListView_DeleteAllItems(lv);
        return;
    }
    c = malloc(HVE_CLIENTS_MAX * sizeof *c);
    if (!c)
        return;
    n = hve_session_clients(g->server, c, HVE_CLIENTS_MAX, &total, NULL);
    hve_session_clients_request(g->server); /* the next one */
    SendMessageW(lv, WM_SETREDRAW, FALSE, 0);
    rows = ListView_GetItemCount(lv);
    while (rows > (int)n)
        ListView_DeleteItem(lv, --rows);
    for (i = 0; i < n; i++) {
        if ((int)i >= rows) {
            LVITEMW it;
            memset(&it, 0, sizeof it);
            it.mask = LVIF_TEXT;
            it.iItem = (int)i;
            it.pszText = L"";
            ListView_InsertItem(lv, &it);
        }
        set_cell(lv, (int)i, 0, c[i].peer);
        snprintf(t, sizeof t, "%llu",
                 (unsigned long long)(c[i].bytes_in + c[i].bytes_out));
        set_cell(lv, (int)i, 1, t);
        snprintf(t, sizeof t, "%.1f s", (double)c[i].age_us / 1e6);
        set_cell(lv, (int)i, 2, t);
    }
    SendMessageW(lv, WM_SETREDRAW, TRUE, 0);
    InvalidateRect(lv, NULL, FALSE);
    free(c);
}
