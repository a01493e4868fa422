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


#define FG_ERROR "#c01c28"
#define FG_BYE "#1c7c3a"
#define FG_NOTE "#b45309"

struct HvgLog {
    GtkTreeView *view;
    GtkListStore *store;
    hve_tally tally; /* rows merged, capped, not queued: said, not lost */
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
} DataRow;

static void data_row_free(gpointer p)
{
    DataRow *d = p;

    gtk_tree_row_reference_free(d->ref);
    g_free(d);
}

/* Columns of fixed width (sample: the widest text they show) and the
 * view in fixed-height mode: with 10,000 rows and thousands of events a
 * second, the view never measures rows one by one. The Text column takes
 * the rest (expand), ends in "..." where the text is longer, and the
 * tooltip has it all. */
static void add_column(GtkTreeView *view, const char *title, int col,
                       const char *sample)
{
    GtkCellRenderer *r = gtk_cell_renderer_text_new();
    GtkTreeViewColumn *c = gtk_tree_view_column_new_with_attributes(
        title, r, "text", col, "foreground", HVG_LOG_COL_FG, "weight",
        HVG_LOG_COL_WEIGHT, NULL);

    gtk_tree_view_column_set_sizing(c, GTK_TREE_VIEW_COLUMN_FIXED);
    gtk_tree_view_column_set_resizable(c, TRUE);
    if (sample) {
        PangoLayout *pl = gtk_widget_create_pango_layout(GTK_WIDGET(view),
                                                         sample);
        PangoAttrList *bold = pango_attr_list_new();
        int w, h;
        pango_attr_list_insert(bold, pango_attr_weight_new(PANGO_WEIGHT_BOLD));
        pango_layout_set_attributes(pl, bold);
        pango_layout_get_pixel_size(pl, &w, &h);
        gtk_tree_view_column_set_fixed_width(c, w + 16);
        pango_attr_list_unref(bold);
        g_object_unref(pl);
    } else {
        g_object_set(r, "ellipsize", PANGO_ELLIPSIZE_END, NULL);
        gtk_tree_view_column_set_fixed_width(c, 80);
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
    /* the core's column titles (the Win32 dialog's too) */
    add_column(view, hve_ui_log_column(0), HVG_LOG_COL_TIME, "00:00:00.000");
    add_column(view, hve_ui_log_column(1), HVG_LOG_COL_CONN, "server #0000");
    add_column(view, hve_ui_log_column(2), HVG_LOG_COL_EVENT, "connecting");
    add_column(view, hve_ui_log_column(3), HVG_LOG_COL_PEER,
               "tcp 127.0.0.1:00000");
    add_column(view, hve_ui_log_column(4), HVG_LOG_COL_BYTES, "000000000");
    add_column(view, hve_ui_log_column(5), HVG_LOG_COL_TOOK, "00.000 ms");
    add_column(view, hve_ui_log_column(6), HVG_LOG_COL_TEXT, NULL);
    gtk_tree_view_set_fixed_height_mode(view, TRUE);
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

/* "15:42:03.128". The local H:M:S is made once per second (a GDateTime
 * per row looks the time zone up each time). */
static char *time_text(gint64 wall_us)
{
    static gint64 cached_s = -1;
    static char hms[16];
    gint64 sec = wall_us / G_USEC_PER_SEC;

    if (sec != cached_s) {
        GDateTime *dt = g_date_time_new_from_unix_local(sec);
        char *t = dt ? g_date_time_format(dt, "%H:%M:%S") : NULL;
        g_strlcpy(hms, t ? t : "", sizeof hms);
        g_free(t);
        if (dt)
            g_date_time_unref(dt);
        cached_s = sec;
    }
    return g_strdup_printf("%s.%03d", hms,
                           (int)((wall_us % G_USEC_PER_SEC) / 1000));
}

/* "client #3", "server #12", "server" (the session itself). */
static char *conn_text(const hve_event *ev)
{
    const char *side = hve_side_name(ev->side);

    if (ev->conn == 0)
        return g_strdup(side);
    return g_strdup_printf("%s #%" G_GUINT64_FORMAT, side, (guint64)ev->conn);
}

static void trim(HvgLog *log)
{
    GtkTreeIter it;

    while (gtk_tree_model_iter_n_children(GTK_TREE_MODEL(log->store), NULL)
               > HVG_LOG_MAX_ROWS &&
           gtk_tree_model_get_iter_first(GTK_TREE_MODEL(log->store), &it)) {
        gtk_list_store_remove(log->store, &it);
        log->tally.capped++;
    }
}

static void append_row(HvgLog *log, GtkTreeIter *it, gint64 wall,
                       const char *conn, const char *event, const char *peer,
                       const char *bytes, gint64 took_us, const char *text,
                       const char *fg, int weight, const hve_event *ev)
{
    char *time = time_text(wall);
    char took[32] = "";

    if (took_us >= 0)
        hve_format_duration(took_us, took, sizeof took);
    gtk_list_store_insert_with_values(
        log->store, it, -1, HVG_LOG_COL_TIME, time,
        HVG_LOG_COL_CONN, conn, HVG_LOG_COL_EVENT, event, HVG_LOG_COL_PEER,
        peer, HVG_LOG_COL_BYTES, bytes, HVG_LOG_COL_TOOK, took,
        HVG_LOG_COL_TEXT, text,
        HVG_LOG_COL_FG, fg, HVG_LOG_COL_WEIGHT, weight,
        HVG_LOG_COL_TOOK_US, took_us, HVG_LOG_COL_EV, ev, -1);
    g_free(time);
}

static char *data_key(const hve_event *ev, int kind)
{
    return g_strdup_printf("%d:%" G_GUINT64_FORMAT ":%d", (int)ev->side,
                           (guint64)ev->conn, kind);
}

static gboolean key_is_side(gpointer key, gpointer value, gpointer side)
{
    (void)value;
    return atoi(key) == GPOINTER_TO_INT(side);
}

/* Forget the merged rows of a closed connection. */
static void end_data_rows(HvgLog *log, const hve_event *ev)
{
    char *k1 = data_key(ev, HVE_EV_SENT);
    char *k2 = data_key(ev, HVE_EV_RECEIVED);

    g_hash_table_remove(log->data_rows, k1);
    g_hash_table_remove(log->data_rows, k2);
    g_free(k1);
    g_free(k2);
}

/* Sets the byte count of a connection's merged row of one kind (the
 * totals later events carry are exact even when the core dropped data
 * events to bound its queue). */
static void set_data_bytes(HvgLog *log, const hve_event *ev,
                           hve_event_kind kind, guint64 bytes)
{
    char *key = data_key(ev, kind);
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

/* How a tone looks. */
static void tone_style(hve_tone tone, const char **fg, int *weight)
{
    *fg = NULL;
    *weight = PANGO_WEIGHT_NORMAL;
    switch (tone) {
    case HVE_TONE_BYE:
        *fg = FG_BYE;
        *weight = PANGO_WEIGHT_BOLD;
        break;
    case HVE_TONE_ERROR:
        *fg = FG_ERROR;
        break;
    case HVE_TONE_NOTE:
        *fg = FG_NOTE;
        break;
    default:
        break;
    }
}

/* One row for ev, with the core's description of it. */
static void add_described(HvgLog *log, gint64 start_wall, const hve_event *ev,
                          const char *bytes, GtkTreeIter *it)
{
    hve_desc d;
    const char *fg;
    int weight;
    char *conn = conn_text(ev);
    char *text;

    hve_event_describe(ev, HVE_WORDS_WINDOW, &d);
    tone_style(d.tone, &fg, &weight);
    if (ev->kind == HVE_EV_FINISHED)
        weight = PANGO_WEIGHT_BOLD;
    text = d.hint[0] ? g_strdup_printf("%s \xe2\x80\x94 %s", d.text, d.hint)
                     : g_strdup(d.text);
    append_row(log, it, start_wall + ev->t_us, conn, d.verb, ev->peer, bytes,
               d.dur_us, text, fg, weight, ev);
    g_free(text);
    if (d.note[0]) {
        /* a remark the core adds (e.g. rows it could not queue): its own
           row, so it is never missed */
        GtkTreeIter nit;
        append_row(log, &nit, start_wall + ev->t_us, conn, "note", "", "",
                   -1, d.note, FG_NOTE, PANGO_WEIGHT_NORMAL, NULL);
    }
    g_free(conn);
}

static void add_data_event(HvgLog *log, gint64 start_wall,
                           const hve_event *ev)
{
    char *key = data_key(ev, ev->kind);
    DataRow *d = g_hash_table_lookup(log->data_rows, key);
    GtkTreeModel *model = GTK_TREE_MODEL(log->store);
    GtkTreeIter it;
    GtkTreePath *path;
    char bytes[32];

    if (d && gtk_tree_row_reference_valid(d->ref)) {
        /* merged into the connection's row: counted, and its bytes added */
        hve_tally_event(&log->tally, ev, false);
        d->bytes = ev->total > d->bytes ? ev->total : d->bytes + ev->bytes;
        d->events++;
        g_snprintf(bytes, sizeof bytes, "%" G_GUINT64_FORMAT, d->bytes);
        path = gtk_tree_row_reference_get_path(d->ref);
        if (gtk_tree_model_get_iter(model, &it, path))
            gtk_list_store_set(log->store, &it, HVG_LOG_COL_BYTES, bytes, -1);
        gtk_tree_path_free(path);
        g_free(key);
        return;
    }
    hve_tally_event(&log->tally, ev, true);
    d = g_new0(DataRow, 1);
    d->bytes = ev->total > ev->bytes ? ev->total : ev->bytes;
    d->events = 1;
    g_snprintf(bytes, sizeof bytes, "%" G_GUINT64_FORMAT, d->bytes);
    add_described(log, start_wall, ev, bytes, &it);
    path = gtk_tree_model_get_path(model, &it);
    d->ref = gtk_tree_row_reference_new(model, path);
    gtk_tree_path_free(path);
    g_hash_table_replace(log->data_rows, key, d);
    trim(log);
}

void hvg_log_add_event(HvgLog *log, gint64 start_wall, const hve_event *ev)
{
    GtkTreeIter it;
    char bytes[32] = "";

    if (ev->kind == HVE_EV_SENT || ev->kind == HVE_EV_RECEIVED) {
        add_data_event(log, start_wall, ev);
        return;
    }
    hve_tally_event(&log->tally, ev, true);
    if (ev->kind == HVE_EV_SHUTDOWN && ev->side == HVE_SIDE_SERVER)
        set_data_bytes(log, ev, HVE_EV_RECEIVED, ev->total);
    if (ev->kind == HVE_EV_CLOSED && ev->side == HVE_SIDE_SERVER) {
        set_data_bytes(log, ev, HVE_EV_RECEIVED, ev->total);
        set_data_bytes(log, ev, HVE_EV_SENT, ev->bytes);
    }
    if (ev->kind == HVE_EV_CLOSED)
        end_data_rows(log, ev);
    if (ev->kind == HVE_EV_FINISHED) /* that side's session is over */
        g_hash_table_foreach_remove(log->data_rows, key_is_side,
                                    GINT_TO_POINTER((int)ev->side));
    /* CLOSED's bytes are the bytes really echoed (0 for a refused
       connect); a bye's its length. */
    if (ev->kind == HVE_EV_CLOSED || (ev->kind == HVE_EV_BYE && ev->bytes))
        g_snprintf(bytes, sizeof bytes, "%" G_GUINT64_FORMAT,
                   (guint64)ev->bytes);
    add_described(log, start_wall, ev, bytes, &it);
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
    memset(&log->tally, 0, sizeof log->tally);
}

char *hvg_log_status(HvgLog *log, char *out, size_t outlen)
{
    return hve_tally_note(&log->tally, HVG_LOG_MAX_ROWS, out, outlen);
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
    if (fmt == HVG_EXPORT_JSON) {
        /* the line `hvecho --json` prints; a row the window made itself
           (a summary) as a note */
        char *line = g_malloc(HVE_EVENT_JSON_MAX);
        hve_event *note = ev ? NULL
                             : hve_event_note(g_str_has_prefix(conn, "server")
                                                  ? HVE_SIDE_SERVER
                                                  : HVE_SIDE_CLIENT,
                                              text);
        if (ev || note) {
            hve_event_json(ev ? ev : note, line, HVE_EVENT_JSON_MAX);
            g_string_append(out, line);
            g_string_append_c(out, '\n');
        }
        hve_event_free(note);
        g_free(line);
    } else {
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

char *hvg_log_detail(HvgLog *log, char **hex)
{
    GtkTreeModel *model;
    GtkTreeSelection *sel = gtk_tree_view_get_selection(log->view);
    GList *rows = gtk_tree_selection_get_selected_rows(sel, &model);
    GtkTreeIter it;
    GString *s;
    char *time, *conn, *verb, *peer, *bytes, *took, *text;
    hve_event *ev = NULL;

    *hex = NULL;
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
    {
        /* the row in a line, in the core's words (the Win32 dialog's) */
        char title[1200];
        g_string_append(s, hve_ui_detail_title(time, conn, verb, peer, took,
                                               title, sizeof title));
    }
    g_string_append_printf(s, "\n\n%s\n", text);
    if (ev && ev->data && ev->len) {
        size_t need = hve_hexdump(ev->data, ev->len, 0, 0, NULL, 0) + 1;
        char *dump = g_malloc(need);
        hve_hexdump(ev->data, ev->len, 0, 0, dump, need);
        if (ev->truncated || g_strcmp0(bytes, "") != 0) {
            char head[96];
            guint64 all = g_ascii_strtoull(bytes ? bytes : "0", NULL, 10);
            g_string_append_printf(s, "\n%s\n",
                                   hve_ui_dump_head(all, ev->len, head,
                                                    sizeof head));
        }
        *hex = dump;
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
