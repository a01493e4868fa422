/* clients.c - the server's connected clients: a ListView (#, peer, in,
 * out, age: the GTK window's columns, in the core's words) filled from the
 * core's snapshot (hve_session_clients), which the dialog asks for on a
 * timer while the server runs, and the status over it ("Clients: 1 client
 * connected"). The worker answers the request at its next wakeup; the
 * list shows the last answer.
 *
 * UI thread only. */
#include "gui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "resource.h"

/* Column widths, in dialog units. */
static const int width_dlu[HVE_UI_CLIENT_COLUMNS] = {16, 70, 30, 30, 30};

/* "Clients: " and the core's status sentence. */
static void show_status(gui *g, bool have, unsigned total, size_t shown)
{
    char t[200];
    size_t n;
    snprintf(t, sizeof t, "%s: ", hve_ui_text(HVE_UI_CLIENTS));
    n = strlen(t);
    hve_ui_clients_status(g->server != NULL, have, total, shown, t + n,
                          sizeof t - n);
    gui_set_text(g->dlg, IDC_CLIENTS_LABEL, t);
}

void clients_init(gui *g)
{
    HWND lv = GetDlgItem(g->dlg, IDC_CLIENTS);
    LVCOLUMNW col;
    int i;

    ListView_SetExtendedListViewStyle(lv, LVS_EX_FULLROWSELECT |
                                              LVS_EX_DOUBLEBUFFER);
    memset(&col, 0, sizeof col);
    col.mask = LVCF_TEXT | LVCF_WIDTH | LVCF_SUBITEM | LVCF_FMT;
    for (i = 0; i < HVE_UI_CLIENT_COLUMNS; i++) {
        RECT r = {0, 0, width_dlu[i], 1};
        wchar_t *w = gui_wide(hve_ui_client_column(i));
        MapDialogRect(g->dlg, &r);
        col.fmt = i == 1 ? LVCFMT_LEFT : LVCFMT_RIGHT;
        col.pszText = w ? w : L"";
        col.cx = r.right;
        col.iSubItem = i;
        ListView_InsertColumn(lv, i, &col);
        free(w);
    }
    show_status(g, false, 0, 0);
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
    int64_t t_us = -1;
    int rows;
    char t[64];

    if (!g->server) {
        ListView_DeleteAllItems(lv);
        show_status(g, false, 0, 0);
        return;
    }
    c = malloc(HVE_CLIENTS_MAX * sizeof *c);
    if (!c)
        return;
    n = hve_session_clients(g->server, c, HVE_CLIENTS_MAX, &total, &t_us);
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
        snprintf(t, sizeof t, "%llu", (unsigned long long)c[i].conn);
        set_cell(lv, (int)i, 0, t);
        set_cell(lv, (int)i, 1, c[i].peer);
        snprintf(t, sizeof t, "%llu", (unsigned long long)c[i].bytes_in);
        set_cell(lv, (int)i, 2, t);
        snprintf(t, sizeof t, "%llu", (unsigned long long)c[i].bytes_out);
        set_cell(lv, (int)i, 3, t);
        set_cell(lv, (int)i, 4, hve_ui_age(c[i].age_us, t, sizeof t));
    }
    show_status(g, t_us >= 0, total, n);
    SendMessageW(lv, WM_SETREDRAW, TRUE, 0);
    InvalidateRect(lv, NULL, FALSE);
    free(c);
}
