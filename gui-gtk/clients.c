/* clients.c - the server's connected clients (see clients.h).
 *
 * Threads: GTK main thread only: a 500 ms timer reads the last snapshot
 * the server's worker published and asks for the next. */
#include "clients.h"

#include "hvecho/hvecho.h"

enum { COL_CONN, COL_PEER, COL_IN, COL_OUT, COL_AGE, N_COLS };

/* Rows shown at most (the snapshot may hold up to HVE_CLIENTS_MAX). */
#define SHOWN_MAX 200

struct HvgClients {
    GtkTreeView *view;
    GtkLabel *status;
    GtkListStore *store;
    HvgRun *server; /* not owned */
    guint timer;
    gboolean asked;
    hve_client_info *buf;
};

static void add_column(GtkTreeView *v, const char *title, int col,
                       gboolean right)
{
    GtkCellRenderer *r = gtk_cell_renderer_text_new();
    GtkTreeViewColumn *c =
        gtk_tree_view_column_new_with_attributes(title, r, "text", col, NULL);

    if (right)
        g_object_set(r, "xalign", 1.0, NULL);
    gtk_tree_view_column_set_resizable(c, TRUE);
    gtk_tree_view_append_column(v, c);
}

HvgClients *hvg_clients_new(GtkTreeView *view, GtkLabel *status)
{
    HvgClients *c = g_new0(HvgClients, 1);

    c->view = view;
    c->status = status;
    c->store = gtk_list_store_new(N_COLS, G_TYPE_STRING, G_TYPE_STRING,
                                  G_TYPE_STRING, G_TYPE_STRING,
                                  G_TYPE_STRING);
    c->buf = g_new(hve_client_info, SHOWN_MAX);
    gtk_tree_view_set_model(view, GTK_TREE_MODEL(c->store));
    /* the core's column titles, the Win32 dialog's too */
    for (int i = 0; i < HVE_UI_CLIENT_COLUMNS; i++)
        add_column(view, hve_ui_client_column(i), COL_CONN + i,
                   i != COL_PEER);
    return c;
}

/* The last snapshot into the list. */
static void show(HvgClients *c)
{
    unsigned total = 0;
    int64_t t_us = -1;
    size_t n = c->server ? hvg_run_clients(c->server, c->buf, SHOWN_MAX,
                                           &total, &t_us)
                         : 0;
    char t[200];

    gtk_list_store_clear(c->store);
    for (size_t i = 0; i < n; i++) {
        const hve_client_info *ci = &c->buf[i];
        char conn[24], in[24], out[24], age[32];
        g_snprintf(conn, sizeof conn, "%" G_GUINT64_FORMAT,
                   (guint64)ci->conn);
        g_snprintf(in, sizeof in, "%" G_GUINT64_FORMAT,
                   (guint64)ci->bytes_in);
        g_snprintf(out, sizeof out, "%" G_GUINT64_FORMAT,
                   (guint64)ci->bytes_out);
        gtk_list_store_insert_with_values(c->store, NULL, -1, COL_CONN, conn,
                                          COL_PEER, ci->peer, COL_IN, in,
                                          COL_OUT, out, COL_AGE,
                                          hve_ui_age(ci->age_us, age,
                                                     sizeof age),
                                          -1);
    }
    gtk_label_set_text(c->status,
                       hve_ui_clients_status(c->server != NULL, t_us >= 0,
                                             total, n, t, sizeof t));
}

static gboolean tick(gpointer data)
{
    HvgClients *c = data;

    show(c);
    if (c->server)
        hvg_run_clients_request(c->server);
    return G_SOURCE_CONTINUE;
}

void hvg_clients_follow(HvgClients *c, HvgRun *server)
{
    c->server = server;
    if (server && !c->timer) {
        hvg_run_clients_request(server);
        c->timer = g_timeout_add(500, tick, c);
    } else if (!server && c->timer) {
        g_source_remove(c->timer);
        c->timer = 0;
    }
    show(c);
}

/* A snapshot asked for now arrives within milliseconds: show it soon,
 * not at the next half second. */
static gboolean soon(gpointer data)
{
    HvgClients *c = data;

    c->asked = FALSE;
    show(c);
    return G_SOURCE_REMOVE;
}

void hvg_clients_poke(HvgClients *c)
{
    if (!c->server)
        return;
    hvg_run_clients_request(c->server);
    if (!c->asked) {
        c->asked = TRUE;
        g_timeout_add_full(G_PRIORITY_DEFAULT, 50, soon, c, NULL);
    }
}

void hvg_clients_free(HvgClients *c)
{
    if (!c)
        return;
    if (c->timer)
        g_source_remove(c->timer);
    g_source_remove_by_user_data(c);
    g_object_unref(c->store);
    g_free(c->buf);
    g_free(c);
}
