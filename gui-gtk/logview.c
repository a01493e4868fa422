/* logview.c - the event log of the window: how each session event reads
 * as a row; the rows' details, Copy and Export.
 *
 * Threads: GTK main thread only (events arrive here through run.c).
 *
 * Data events (sent / received / echoed) are merged per connection and
 * direction into one row that counts the bytes, until the connection
 * closes: a big echo must not add a row per read, or the log (and the
 * main loop drawing it) would grow without bound. The
 * log also keeps at most HVG_LOG_MAX_ROWS rows, dropping the oldest. */
#include "logview.h"

#include <stdlib.h>
#include <string.h>

/* Escaped text shown per row; the core copies at most 4 KiB of data. */
#define SHOWN_TEXT_MAX 320

#define FG_ERROR "#c01c28"
#define FG_BYE "#1c7c3a"

struct HvgLog {
    GtkTreeView *view;
    GtkListStore *store;
    guint64 dropped; /* oldest rows removed by the cap since the last
                        clear */
    /* "side:conn:kind" -> DataRow, for merging data events */
    GHashTable *data_rows;
};

/* A copy of an event for a row (the data too: at most the core's
 * HVE_EVENT_DATA_CAP bytes). */
typedef hve_event HvgEvent;

static HvgEvent *event_copy(const HvgEvent *ev)
{
    hve_event *c = g_new(hve_event, 1);

    *c = *ev;
    c->data = ev->data && ev->len ? g_memdup2(ev->data, ev->len) : NULL;
    if (!c->data)
        c->len = 0;
    return c;
}

static void event_copy_free(HvgEvent *c)
{
    if (c) {
        g_free(c->data);
        g_free(c);
    }
}

G_DEFINE_BOXED_TYPE(HvgEvent, hvg_event, event_copy, event_copy_free)

typedef struct DataRow {
    GtkTreeRowReference *ref;
    guint64 bytes;
    guint64 events;
    char *text;  /* escaped data of the first event */
    gboolean more; /* more bytes arrived than text shows */
} DataRow;

static void data_row_free(gpointer p)
{
    DataRow *d = p;

    gtk_tree_row_reference_free(d->ref);
    g_free(d->text);
    g_free(d);
}

static void add_column(GtkTreeView *view, const char *title, int col,
                       gboolean expand)
{
    GtkCellRenderer *r = gtk_cell_renderer_text_new();
    GtkTreeViewColumn *c = gtk_tree_view_column_new_with_attributes(
        title, r, "text", col, "foreground", HVG_LOG_COL_FG, "weight",
        HVG_LOG_COL_WEIGHT, NULL);

    gtk_tree_view_column_set_resizable(c, TRUE);
    if (expand) {
        /* Asks for little, takes what the others leave (expand), and
           ends in "..." where the text is longer; the tooltip has it all. */
        g_object_set(r, "ellipsize", PANGO_ELLIPSIZE_END, "width-chars", 24,
                     "max-width-chars", 24, NULL);
        gtk_tree_view_column_set_expand(c, TRUE);
    }
    gtk_tree_view_append_column(view, c);
}

/* The whole text of the row under the pointer (the Text column may show
 * only its start). Plain text: never read as markup. */
static gboolean query_tooltip_cb(GtkWidget *w, int x, int y, gboolean kbd,
                                 GtkTooltip *tip, gpointer user)
{
    GtkTreeView *view = GTK_TREE_VIEW(w);
    GtkTreeModel *model;
    GtkTreePath *path;
    GtkTreeIter it;
    char *text = NULL;
    gboolean show = FALSE;

    (void)user;
    if (!gtk_tree_view_get_tooltip_context(view, &x, &y, kbd, &model, &path,
                                           &it))
        return FALSE;
    gtk_tree_model_get(model, &it, HVG_LOG_COL_TEXT, &text, -1);
    if (text && *text) {
        gtk_tooltip_set_text(tip, text);
        gtk_tree_view_set_tooltip_row(view, tip, path);
        show = TRUE;
    }
    g_free(text);
    gtk_tree_path_free(path);
    return show;
}

HvgLog *hvg_log_new(GtkTreeView *view)
{
    HvgLog *log = g_new0(HvgLog, 1);

    log->view = view;
    log->store = gtk_list_store_new(HVG_LOG_N_COLS, G_TYPE_STRING,
                                    G_TYPE_STRING, G_TYPE_STRING,
                                    G_TYPE_STRING, G_TYPE_STRING,
                                    G_TYPE_STRING, G_TYPE_STRING,
                                    G_TYPE_STRING, G_TYPE_INT, G_TYPE_INT64,
                                    HVG_TYPE_EVENT);
    log->data_rows = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                           data_row_free);
    gtk_tree_view_set_model(view, GTK_TREE_MODEL(log->store));
    gtk_tree_selection_set_mode(gtk_tree_view_get_selection(view),
                                GTK_SELECTION_MULTIPLE);
    add_column(view, "Time", HVG_LOG_COL_TIME, FALSE);
    add_column(view, "Connection", HVG_LOG_COL_CONN, FALSE);
    add_column(view, "Event", HVG_LOG_COL_EVENT, FALSE);
    add_column(view, "Peer", HVG_LOG_COL_PEER, FALSE);
    add_column(view, "Bytes", HVG_LOG_COL_BYTES, FALSE);
    add_column(view, "Took", HVG_LOG_COL_TOOK, FALSE);
    add_column(view, "Text", HVG_LOG_COL_TEXT, TRUE);
    gtk_widget_set_has_tooltip(GTK_WIDGET(view), TRUE);
    g_signal_connect(view, "query-tooltip", G_CALLBACK(query_tooltip_cb),
                     NULL);
    return log;
}

void hvg_log_free(HvgLog *log)
{
    if (!log)
        return;
    g_hash_table_destroy(log->data_rows);
    g_object_unref(log->store);
    g_free(log);
}

static const char *side_name(HvgLogSide side)
{
    return side == HVG_LOG_SERVER ? "server" : "client";
}

/* What a person calls each event, from the side that saw it. */
static const char *event_word(HvgLogSide side, const hve_event *ev)
{
    switch (ev->kind) {
    case HVE_EV_LISTENING: return "listening";
    case HVE_EV_CONNECTING: return "connecting";
    case HVE_EV_CONNECTED: return "connected";
    case HVE_EV_ACCEPTED: return "accepted";
    case HVE_EV_SENT: return side == HVG_LOG_SERVER ? "echoed" : "sent";
    case HVE_EV_RECEIVED:
        return side == HVG_LOG_SERVER ? "received" : "echoed";
    case HVE_EV_SHUTDOWN: return "shut down";
    case HVE_EV_BYE: return "bye";
    case HVE_EV_CLOSED: return "closed";
    case HVE_EV_ERROR: return "error";
    case HVE_EV_FINISHED:
        if (ev->err == HVE_ECANCELED)
            return "stopped";
        if (ev->err)
            return "failed";
        return side == HVG_LOG_SERVER ? "stopped" : "done";
    default: return hve_event_kind_name(ev->kind);
    }
}

static char *time_text(gint64 wall_us)
{
    GDateTime *dt = g_date_time_new_from_unix_local(wall_us / G_USEC_PER_SEC);
    char *hms, *out;

    if (!dt)
        return g_strdup("");
    hms = g_date_time_format(dt, "%H:%M:%S");
    out = g_strdup_printf("%s.%03d", hms,
                          (int)((wall_us % G_USEC_PER_SEC) / 1000));
    g_free(hms);
    g_date_time_unref(dt);
    return out;
}

static char *ms_text(gint64 us)
{
    if (us < 10000)
        return g_strdup_printf("%.2f ms", us / 1000.0);
    if (us < 10000000)
        return g_strdup_printf("%.0f ms", us / 1000.0);
    return g_strdup_printf("%.1f s", us / 1e6);
}

static char *escaped(const unsigned char *data, size_t len, gboolean more)
{
    char buf[SHOWN_TEXT_MAX + 4];

    if (!data || len == 0)
        return g_strdup("");
    hve_escape(data, len, buf, sizeof buf);
    if (more && !g_str_has_suffix(buf, "..."))
        return g_strconcat(buf, "...", NULL);
    return g_strdup(buf);
}

static char *error_text(int err, const char *detail)
{
    const char *hint = hve_hint(err);
    GString *s = g_string_new(hve_strerror(err));

    if (detail && *detail)
        g_string_append_printf(s, ": %s", detail);
    if (hint && *hint)
        g_string_append_printf(s, " \xe2\x80\x94 %s", hint); /* em dash */
    return g_string_free(s, FALSE);
}

/* The text column of one (non-merged) event. */
static char *event_text(HvgLogSide side, const hve_event *ev)
{
    switch (ev->kind) {
    case HVE_EV_LISTENING:
        return g_strdup_printf("listening on %s", ev->detail);
    case HVE_EV_CONNECTING:
        return g_strdup_printf("connecting to %s", ev->detail);
    case HVE_EV_ACCEPTED:
        return g_strdup("a new connection");
    case HVE_EV_CONNECTED:
        return g_strdup_printf("connected to %s", ev->detail);
    case HVE_EV_SHUTDOWN:
        return g_strdup(side == HVG_LOG_SERVER
                            ? "the client shut down its sending side"
                            : "shut down the sending side");
    case HVE_EV_BYE:
        return escaped(ev->data, ev->len, ev->truncated);
    case HVE_EV_CLOSED:
        if (ev->err)
            return error_text(ev->err, ev->detail);
        return g_strdup_printf("%" G_GUINT64_FORMAT " bytes echoed",
                               (guint64)ev->bytes);
    case HVE_EV_ERROR:
        return error_text(ev->err, ev->detail);
    case HVE_EV_FINISHED:
        if (ev->err && ev->err != HVE_ECANCELED)
            return error_text(ev->err, ev->detail);
        if (side == HVG_LOG_CLIENT && ev->err == 0)
            return g_strdup("handshake complete: echo matched, bye "
                            "arrived");
        return g_strdup(ev->detail);
    default:
        return escaped(ev->data, ev->len, ev->truncated);
    }
}

static char *conn_text(HvgLogSide side, const hve_event *ev)
{
    if (side == HVG_LOG_CLIENT && ev->round > 0)
        return g_strdup_printf("client #%u", ev->round);
    if (ev->conn == 0)
        return g_strdup(side_name(side));
    return g_strdup_printf("%s #%" G_GUINT64_FORMAT, side_name(side),
                           (guint64)ev->conn);
}

static void trim(HvgLog *log)
{
    GtkTreeIter it;

    while (gtk_tree_model_iter_n_children(GTK_TREE_MODEL(log->store), NULL)
               > HVG_LOG_MAX_ROWS &&
           gtk_tree_model_get_iter_first(GTK_TREE_MODEL(log->store), &it)) {
        gtk_list_store_remove(log->store, &it);
        log->dropped++;
    }
}

static void append_row(HvgLog *log, GtkTreeIter *it, gint64 wall,
                       const char *conn, const char *event, const char *peer,
                       const char *bytes, gint64 took_us, const char *text,
                       const char *fg, int weight, const hve_event *ev)
{
    char *time = time_text(wall);
    char *took = took_us >= 0 ? ms_text(took_us) : g_strdup("");

    gtk_list_store_insert_with_values(
        log->store, it, -1, HVG_LOG_COL_TIME, time,
        HVG_LOG_COL_CONN, conn, HVG_LOG_COL_EVENT, event, HVG_LOG_COL_PEER,
        peer, HVG_LOG_COL_BYTES, bytes, HVG_LOG_COL_TOOK, took,
        HVG_LOG_COL_TEXT, text,
        HVG_LOG_COL_FG, fg, HVG_LOG_COL_WEIGHT, weight,
        HVG_LOG_COL_TOOK_US, took_us, HVG_LOG_COL_EV, ev, -1);
    g_free(time);
    g_free(took);
}

static char *data_key(HvgLogSide side, guint64 conn, unsigned round, int kind)
{
    return g_strdup_printf("%d:%" G_GUINT64_FORMAT ":%u:%d", (int)side, conn,
                           round, kind);
}

static gboolean key_is_side(gpointer key, gpointer value, gpointer side)
{
    (void)value;
    return atoi(key) == GPOINTER_TO_INT(side);
}

/* Forget the merged rows of a closed connection. */
static void end_data_rows(HvgLog *log, HvgLogSide side, const hve_event *ev)
{
    char *k1 = data_key(side, ev->conn, ev->round, HVE_EV_SENT);
    char *k2 = data_key(side, ev->conn, ev->round, HVE_EV_RECEIVED);

    g_hash_table_remove(log->data_rows, k1);
    g_hash_table_remove(log->data_rows, k2);
    g_free(k1);
    g_free(k2);
}

/* Sets the byte count of a connection's merged row of one kind. */
static void set_data_bytes(HvgLog *log, HvgLogSide side, const hve_event *ev,
                           hve_event_kind kind, guint64 bytes)
{
    char *key = data_key(side, ev->conn, ev->round, kind);
    DataRow *d = g_hash_table_lookup(log->data_rows, key);
    GtkTreeIter it;

    g_free(key);
    if (d && gtk_tree_row_reference_valid(d->ref) && bytes > d->bytes) {
        GtkTreePath *path = gtk_tree_row_reference_get_path(d->ref);
        char text[32];
        d->bytes = bytes;
        g_snprintf(text, sizeof text, "%" G_GUINT64_FORMAT, bytes);
        if (gtk_tree_model_get_iter(GTK_TREE_MODEL(log->store), &it, path))
            gtk_list_store_set(log->store, &it, HVG_LOG_COL_BYTES, text, -1);
        gtk_tree_path_free(path);
    }
}

/* The Took column: the client's phases (connect, sending all, the echo's
 * round trip, the bye after the shutdown). */
static gint64 took_us(HvgLogSide side, const hve_event *ev)
{
    if (side != HVG_LOG_CLIENT || ev->dur_us < 0)
        return -1;
    switch (ev->kind) {
    case HVE_EV_CONNECTED:
    case HVE_EV_SENT:
    case HVE_EV_RECEIVED:
    case HVE_EV_BYE:
        return ev->dur_us;
    default:
        return -1;
    }
}


static void add_data_event(HvgLog *log, HvgLogSide side, gint64 start_wall,
                           const hve_event *ev)
{
    char *key = data_key(side, ev->conn, ev->round, ev->kind);
    DataRow *d = g_hash_table_lookup(log->data_rows, key);
    GtkTreeModel *model = GTK_TREE_MODEL(log->store);
    GtkTreeIter it;
    GtkTreePath *path;
    char bytes[32];

    if (d && gtk_tree_row_reference_valid(d->ref)) {
        /* total counts every byte even when the core dropped data
           events to bound its queue */
        d->bytes = ev->total > d->bytes ? ev->total : d->bytes + ev->bytes;
        d->events++;
        if (ev->len)
            d->more = TRUE;
        g_snprintf(bytes, sizeof bytes, "%" G_GUINT64_FORMAT, d->bytes);
        if (d->more && !g_str_has_suffix(d->text, "...")) {
            char *u = g_strconcat(d->text, "...", NULL);
            g_free(d->text);
            d->text = u;
        }
        path = gtk_tree_row_reference_get_path(d->ref);
        if (gtk_tree_model_get_iter(model, &it, path))
            gtk_list_store_set(log->store, &it, HVG_LOG_COL_BYTES, bytes,
                               HVG_LOG_COL_TEXT, d->text, -1);
        gtk_tree_path_free(path);
        g_free(key);
        return;
    }

    d = g_new0(DataRow, 1);
    d->bytes = ev->total > ev->bytes ? ev->total : ev->bytes;
    d->events = 1;
    d->more = ev->truncated || ev->bytes > ev->len;
    d->text = escaped(ev->data, ev->len, d->more);
    {
        char *conn = conn_text(side, ev);
        g_snprintf(bytes, sizeof bytes, "%" G_GUINT64_FORMAT, d->bytes);
        append_row(log, &it, start_wall + ev->t_us, conn,
                   event_word(side, ev), ev->peer, bytes, took_us(side, ev),
                   d->text, NULL, PANGO_WEIGHT_NORMAL, ev);
        g_free(conn);
    }
    path = gtk_tree_model_get_path(model, &it);
    d->ref = gtk_tree_row_reference_new(model, path);
    gtk_tree_path_free(path);
    g_hash_table_replace(log->data_rows, key, d);
    trim(log);
}

void hvg_log_add_event(HvgLog *log, HvgLogSide side, gint64 start_wall,
                       const hve_event *ev)
{
    GtkTreeIter it;
    const char *fg = NULL;
    int weight = PANGO_WEIGHT_NORMAL;
    char bytes[32] = "";
    char *conn, *text;

    if (ev->kind == HVE_EV_SENT || ev->kind == HVE_EV_RECEIVED) {
        add_data_event(log, side, start_wall, ev);
        return;
    }
    /* The byte counts of the merged rows are made exact from the totals
       these events carry (data events may have been dropped by the core
       to bound its queue). */
    if (ev->kind == HVE_EV_SHUTDOWN && side == HVG_LOG_SERVER)
        set_data_bytes(log, side, ev, HVE_EV_RECEIVED, ev->total);
    if (ev->kind == HVE_EV_CLOSED && side == HVG_LOG_SERVER) {
        set_data_bytes(log, side, ev, HVE_EV_RECEIVED, ev->total);
        set_data_bytes(log, side, ev, HVE_EV_SENT, ev->bytes);
    }
    if (ev->kind == HVE_EV_CLOSED)
        end_data_rows(log, side, ev);
    if (ev->kind == HVE_EV_FINISHED) /* that side's session is over */
        g_hash_table_foreach_remove(log->data_rows, key_is_side,
                                    GINT_TO_POINTER(side));

    switch (ev->kind) {
    case HVE_EV_BYE:
        fg = FG_BYE;
        weight = PANGO_WEIGHT_BOLD;
        if (ev->bytes)
            g_snprintf(bytes, sizeof bytes, "%" G_GUINT64_FORMAT,
                       (guint64)ev->bytes);
        break;
    case HVE_EV_CLOSED:
        if (ev->err && ev->err != HVE_ECANCELED) /* not when asked to */
            fg = FG_ERROR;
        g_snprintf(bytes, sizeof bytes, "%" G_GUINT64_FORMAT,
                   (guint64)ev->bytes);
        break;
    case HVE_EV_ERROR:
        fg = FG_ERROR;
        break;
    case HVE_EV_FINISHED:
        if (ev->err && ev->err != HVE_ECANCELED)
            fg = FG_ERROR;
        else if (side == HVG_LOG_CLIENT && ev->err == 0)
            fg = FG_BYE;
        weight = PANGO_WEIGHT_BOLD;
        break;
    default:
        break;
    }
    conn = conn_text(side, ev);
    text = event_text(side, ev);
    append_row(log, &it, start_wall + ev->t_us, conn,
               event_word(side, ev), ev->peer, bytes, took_us(side, ev), text,
               fg, weight, ev);
    g_free(conn);
    g_free(text);
    trim(log);
}

void hvg_log_add_note(HvgLog *log, HvgLogSide side, const char *event,
                      const char *text, gboolean is_error)
{
    GtkTreeIter it;

    append_row(log, &it, g_get_real_time(), side_name(side), event, "", "",
               -1, text, is_error ? FG_ERROR : NULL,
               is_error ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL, NULL);
    trim(log);
}

void hvg_log_clear(HvgLog *log)
{
    g_hash_table_remove_all(log->data_rows);
    gtk_list_store_clear(log->store);
    log->dropped = 0;
}

guint64 hvg_log_dropped(HvgLog *log)
{
    return log->dropped;
}

guint hvg_log_rows(HvgLog *log)
{
    return (guint)gtk_tree_model_iter_n_children(GTK_TREE_MODEL(log->store),
                                                 NULL);
}

/* One row in an export format, appended to out. */
static void export_row(GtkTreeModel *model, GtkTreeIter *it, HvgExport fmt,
                       GString *out)
{
    char *time, *conn, *verb, *text;
    gint64 took;
    hve_event *ev = NULL;

    gtk_tree_model_get(model, it, HVG_LOG_COL_TIME, &time, HVG_LOG_COL_CONN,
                       &conn, HVG_LOG_COL_EVENT, &verb, HVG_LOG_COL_TEXT,
                       &text, HVG_LOG_COL_TOOK_US, &took, HVG_LOG_COL_EV,
                       &ev, -1);
    {
        hve_export_row r = {time, conn, verb, text, took, ev};
        char *line = hve_export_row_text(
            &r, fmt == HVG_EXPORT_CSV ? HVE_EXPORT_CSV : HVE_EXPORT_TEXT);
        if (line) {
            g_string_append(out, line);
            free(line);
        }
    }
    event_copy_free(ev);
    g_free(time);
    g_free(conn);
    g_free(verb);
    g_free(text);
}

char *hvg_log_export(HvgLog *log, HvgExport fmt, gboolean only_selected)
{
    GtkTreeModel *model = GTK_TREE_MODEL(log->store);
    GtkTreeSelection *sel = gtk_tree_view_get_selection(log->view);
    GString *s = g_string_new(
        fmt == HVG_EXPORT_CSV ? hve_export_header(HVE_EXPORT_CSV) : "");
    GtkTreeIter it;
    gboolean ok, any = FALSE;

    for (ok = gtk_tree_model_get_iter_first(model, &it); ok;
         ok = gtk_tree_model_iter_next(model, &it)) {
        if (only_selected && !gtk_tree_selection_iter_is_selected(sel, &it))
            continue;
        export_row(model, &it, fmt, s);
        any = TRUE;
    }
    if (only_selected && !any) {
        g_string_free(s, TRUE);
        return NULL;
    }
    return g_string_free(s, FALSE);
}

char *hvg_log_detail(HvgLog *log)
{
    GtkTreeModel *model;
    GtkTreeSelection *sel = gtk_tree_view_get_selection(log->view);
    GList *rows = gtk_tree_selection_get_selected_rows(sel, &model);
    GtkTreeIter it;
    GString *s;
    char *time, *conn, *verb, *peer, *bytes, *took, *text;
    hve_event *ev = NULL;

    if (!rows)
        return NULL;
    if (!gtk_tree_model_get_iter(model, &it, rows->data)) {
        g_list_free_full(rows, (GDestroyNotify)gtk_tree_path_free);
        return NULL;
    }
    g_list_free_full(rows, (GDestroyNotify)gtk_tree_path_free);
    gtk_tree_model_get(model, &it, HVG_LOG_COL_TIME, &time, HVG_LOG_COL_CONN,
                       &conn, HVG_LOG_COL_EVENT, &verb, HVG_LOG_COL_PEER,
                       &peer, HVG_LOG_COL_BYTES, &bytes, HVG_LOG_COL_TOOK,
                       &took, HVG_LOG_COL_TEXT, &text, HVG_LOG_COL_EV, &ev,
                       -1);
    s = g_string_new(NULL);
    g_string_append_printf(s, "%s  %s  %s", time, conn, verb);
    if (peer && *peer)
        g_string_append_printf(s, "  %s", peer);
    if (took && *took)
        g_string_append_printf(s, "  took %s", took);
    g_string_append_printf(s, "\n\n%s\n", text);
    if (ev && ev->data && ev->len) {
        size_t need = hve_hexdump(ev->data, ev->len, 0, 0, NULL, 0) + 1;
        char *dump = g_malloc(need);
        hve_hexdump(ev->data, ev->len, 0, 0, dump, need);
        if (ev->truncated || g_strcmp0(bytes, "") != 0) {
            guint64 all = g_ascii_strtoull(bytes ? bytes : "0", NULL, 10);
            if (all > ev->len)
                g_string_append_printf(
                    s, "\n%s bytes; the first %zu:\n", bytes, ev->len);
            else
                g_string_append_printf(s, "\n%zu bytes:\n", ev->len);
        }
        g_string_append(s, dump);
        g_free(dump);
    }
    event_copy_free(ev);
    g_free(time);
    g_free(conn);
    g_free(verb);
    g_free(peer);
    g_free(bytes);
    g_free(took);
    g_free(text);
    return g_string_free(s, FALSE);
}
