/* cases_window.c - GUI cases about the window itself rather than one
 * handshake: every way of quitting keeps the settings, an error banner
 * never hides the newest rows, the Text column takes the room the others
 * leave (with the whole text in a tooltip), the field checks agree with
 * what each field accepts, a field the transport does not use does not
 * block it, and the log's row cap says what it dropped.
 *
 * Threads: the GTK main thread only (see driver.h). */
#define _POSIX_C_SOURCE 200809L

#include <stdlib.h>
#include <string.h>

#include "cases.h"
#include "driver.h"
#include "hvecho/hvecho.h"
#include "logview.h"
#include "settings.h"
#include "window.h"

/* ---- quitting ----------------------------------------------------------- */

/* A value as settings.ini has it now, or NULL. g_free it. */
static char *saved_setting(const char *key)
{
    GKeyFile *kf = g_key_file_new();
    char *path = hvg_settings_path();
    char *v = NULL;

    if (g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, NULL))
        v = g_key_file_get_string(kf, "window", key, NULL);
    g_key_file_free(kf);
    g_free(path);
    return v;
}

static gboolean no_window(gpointer data)
{
    (void)data;
    return gtk_application_get_windows(app) == NULL;
}

/* Opens the window again, as starting hvecho-gtk does. */
static GtkWidget *reopen(void)
{
    GtkWidget *w = GTK_WIDGET(hvg_window_new(app));

    gtk_window_present(GTK_WINDOW(w));
    wait_for(is_mapped, w, 5000);
    pump(100);
    return w;
}

/* Types a TCP target that tells the routes apart. */
static gboolean set_target(GtkWidget *win, const char *target)
{
    return switch_mode(win, "Client") && choose(win, "Target kind", "tcp") &&
           type_into(win, "Target address", target);
}

static void check_saved(const char *route, const char *want)
{
    char *got = saved_setting("target-value");

    CHECK(g_strcmp0(got, want) == 0, "%s: settings.ini has target '%s', "
          "not '%s'", route, got ? got : "(none)", want);
    g_free(got);
}

/* Ctrl+Q (a real key press), the menu's Quit, the window's close button:
 * each leaves the settings saved. */
void case_quit(GtkWidget *win)
{
    REQUIRE(set_target(win, "127.0.0.1:1111"), "setup");
    gdk_window_focus(gtk_widget_get_window(win), GDK_CURRENT_TIME);
    pump(100);
    REQUIRE(press_keys("ctrl+q"), "xdotool failed");
    CHECK(wait_for(no_window, NULL, 3000), "Ctrl+Q left the window open");
    check_saved("Ctrl+Q", "127.0.0.1:1111");

    win = reopen();
    REQUIRE(set_target(win, "127.0.0.1:2222"), "setup");
    REQUIRE(menu_item(win, "Quit"), "no Quit in the menu");
    CHECK(wait_for(no_window, NULL, 3000), "Quit left the window open");
    check_saved("menu Quit", "127.0.0.1:2222");

    win = reopen();
    REQUIRE(set_target(win, "127.0.0.1:3333"), "setup");
    gtk_window_close(GTK_WINDOW(win)); /* as the close button does */
    CHECK(wait_for(no_window, NULL, 3000), "close left the window open");
    check_saved("close button", "127.0.0.1:3333");
}

/* ---- the log's layout --------------------------------------------------- */

static GtkTreeView *log_view(GtkWidget *win)
{
    return GTK_TREE_VIEW(find_typed(win, "Log", GTK_TYPE_TREE_VIEW));
}

/* Is row i of the log wholly on screen? */
static gboolean row_visible(GtkWidget *win, int i)
{
    GtkTreeView *v = log_view(win);
    GtkTreePath *p = gtk_tree_path_new_from_indices(i, -1);
    GdkRectangle cell, vis;
    gboolean ok;

    gtk_tree_view_get_cell_area(v, p, NULL, &cell);
    gtk_tree_view_get_visible_rect(v, &vis);
    gtk_tree_path_free(p);
    /* cell is in bin-window coordinates, vis in tree coordinates */
    gtk_tree_view_convert_bin_window_to_tree_coords(v, cell.x, cell.y,
                                                    &cell.x, &cell.y);
    ok = cell.height > 0 && cell.y >= vis.y &&
         cell.y + cell.height <= vis.y + vis.height;
    return ok;
}

static gboolean last_row_visible(gpointer data)
{
    GtkWidget *win = data;
    int n = log_rows(win);

    return n > 0 && row_visible(win, n - 1);
}

/* A log taller than its pane, then a connection error: the banner comes
 * (sliding in, as it does on a desktop), and the newest rows, the error
 * among them, stay in view. */
void case_banner(GtkWidget *win)
{
    GtkWidget *bar = gtk_widget_get_ancestor(find(win, "Notice"),
                                             GTK_TYPE_INFO_BAR);
    int port, dead = free_port(), n;

    g_object_set(gtk_settings_get_default(), "gtk-enable-animations", TRUE,
                 NULL);
    gtk_window_resize(GTK_WINDOW(win), 900, 560);
    port = start_server(win, NULL);
    REQUIRE(port > 0, "the server did not start");
    gtk_spin_button_set_value(GTK_SPIN_BUTTON(find(win, "Repeat count")), 4);
    REQUIRE(send_to(win, port, "fill the log"), "the client did not finish");
    CHECK(wait_row(win, 0, "server #4", "closed", 5000), "no 4th close");
    pump(300);
    n = log_rows(win);
    CHECK(!row_visible(win, 0), "the log is not taller than its pane (%d "
          "rows)", n);
    CHECK(last_row_visible(win), "the newest row is not in view before the "
          "error");
    gtk_spin_button_set_value(GTK_SPIN_BUTTON(find(win, "Repeat count")), 1);
    REQUIRE(send_to(win, dead, "anyone?"), "the client did not finish");
    CHECK(bar && gtk_info_bar_get_revealed(GTK_INFO_BAR(bar)), "no banner");
    pump(800); /* the banner's slide and the log's new size */
    n = log_rows(win);
    if (!last_row_visible(win))
        dump_log(win);
    CHECK(last_row_visible(win), "the banner hides the newest row (%d of "
          "%d rows)", n - 1, n);
    CHECK(log_find(win, n - 3, "client", "error", NULL) >= 0 ||
              log_find(win, n - 3, "client", "failed", NULL) >= 0,
          "the error is not among the newest rows");
    /* A second banner (the same error again) does not push it away. */
    REQUIRE(send_to(win, dead, "anyone?"), "the client did not finish");
    pump(800);
    CHECK(last_row_visible(win), "the second banner hides the newest row");
    switch_mode(win, "Server");
    click(win, "Stop Server");
    CHECK(wait_label(win, "Server status", "Stopped", 3000), "not stopped");
}

static GtkWidget *tooltip_label(void)
{
    GList *l = gtk_window_list_toplevels(), *i;
    GtkWidget *found = NULL;

    for (i = l; i && !found; i = i->next) {
        GtkWidget *w = i->data;
        if (gtk_widget_get_visible(w) &&
            strcmp(G_OBJECT_TYPE_NAME(w), "GtkTooltipWindow") == 0) {
            GList *kids = NULL, *k;
            GList *todo = g_list_prepend(NULL, w);
            while (todo && !found) {
                GtkWidget *c = todo->data;
                todo = g_list_delete_link(todo, todo);
                if (GTK_IS_LABEL(c) && gtk_widget_get_visible(c) &&
                    *gtk_label_get_text(GTK_LABEL(c)))
                    found = c;
                else if (GTK_IS_CONTAINER(c)) {
                    kids = gtk_container_get_children(GTK_CONTAINER(c));
                    for (k = kids; k; k = k->next)
                        todo = g_list_append(todo, k->data);
                    g_list_free(kids);
                }
            }
            g_list_free(todo);
        }
    }
    g_list_free(l);
    return found;
}

static gboolean tooltip_shown(gpointer data)
{
    (void)data;
    return tooltip_label() != NULL;
}

/* Long texts: the Text column takes the width the other columns leave,
 * nothing needs a horizontal scroll bar, and hovering a row shows its
 * whole text. */
void case_columns(GtkWidget *win)
{
    GtkTreeView *v = log_view(win);
    GtkAdjustment *h;
    GList *cols, *c;
    GtkTreeViewColumn *text_col = NULL;
    int others = 0, width, dead = free_port(), i, x, y;
    GdkRectangle cell;
    GtkTreePath *p;
    Row r = {0};

    gtk_window_resize(GTK_WINDOW(win), 1180, 780);
    REQUIRE(send_to(win, dead, "a message long enough to need more room "
                               "than the Text column has at first, and "
                               "then some more words after that"),
            "the client did not finish");
    pump(400);
    i = log_find(win, 0, "client", "error", &r);
    REQUIRE(i >= 0, "no error row");
    cols = gtk_tree_view_get_columns(v);
    for (c = cols; c; c = c->next) {
        GtkTreeViewColumn *col = c->data;
        if (strcmp(gtk_tree_view_column_get_title(col), "Text") == 0)
            text_col = col;
        else
            others += gtk_tree_view_column_get_width(col);
    }
    g_list_free(cols);
    REQUIRE(text_col != NULL, "no Text column");
    width = gtk_widget_get_allocated_width(GTK_WIDGET(v));
    h = gtk_scrollable_get_hadjustment(GTK_SCROLLABLE(v));
    printf("log %d px wide: Text %d px, the others %d px; scrollable to "
           "%.0f of %.0f\n",
           width, gtk_tree_view_column_get_width(text_col), others,
           gtk_adjustment_get_upper(h), gtk_adjustment_get_page_size(h));
    CHECK(gtk_adjustment_get_upper(h) <= gtk_adjustment_get_page_size(h) + 1,
          "the log scrolls sideways: %.0f wide in %.0f",
          gtk_adjustment_get_upper(h), gtk_adjustment_get_page_size(h));
    CHECK(gtk_tree_view_column_get_width(text_col) >= width - others - 2,
          "the Text column (%d px) does not take the room left (%d px)",
          gtk_tree_view_column_get_width(text_col), width - others);

    /* Hover the error row's text: the tooltip has all of it. */
    p = gtk_tree_path_new_from_indices(i, -1);
    gtk_tree_view_scroll_to_cell(v, p, NULL, FALSE, 0, 0);
    pump(200);
    gtk_tree_view_get_cell_area(v, p, text_col, &cell);
    gtk_tree_path_free(p);
    gdk_window_get_origin(gtk_tree_view_get_bin_window(v), &x, &y);
    /* GTK starts the tooltip's timer on motion: two small moves. */
    CHECK(mouse_to(x + cell.x + 20, y + cell.y + cell.height / 2) &&
              mouse_to(x + cell.x + 24, y + cell.y + cell.height / 2),
          "xdotool failed");
    CHECK(wait_for(tooltip_shown, NULL, 4000), "no tooltip over the row");
    if (tooltip_label()) {
        const char *t = gtk_label_get_text(GTK_LABEL(tooltip_label()));
        CHECK(strcmp(t, r.text) == 0, "tooltip '%s', row text '%s'", t,
              r.text);
    }
    row_clear(&r);
}

/* ---- the fields --------------------------------------------------------- */

static gboolean check_mentions(GtkWidget *win, const char *label,
                               const char *word)
{
    return strstr(label_text(win, label), word) != NULL;
}

/* The TCP and Unix fields take the address with or without its "tcp:" /
 * "unix:" (the check line speaks of tcp:HOST:PORT); typing that gives no
 * IPv6 advice; a Service the transport does not use never blocks it, and
 * it is still checked where it is used. */
void case_fields(GtkWidget *win)
{
    char target[64];
    int port;

    port = start_server(win, NULL);
    REQUIRE(port > 0, "the server did not start");
    g_snprintf(target, sizeof target, "tcp:127.0.0.1:%d", port);

    REQUIRE(switch_mode(win, "Client") && choose(win, "Target kind", "tcp"),
            "setup");
    type_into(win, "Target address", "127.0.0.1");
    CHECK(has_error_mark(win, "Target address"), "a port-less target passed");
    printf("check line for '127.0.0.1': %s\n",
           label_text(win, "Target check"));
    type_into(win, "Target address", target);
    printf("check line for '%s': %s\n", target,
           label_text(win, "Target check"));
    CHECK(!has_error_mark(win, "Target address"), "'%s' is marked bad: %s",
          target, label_text(win, "Target check"));
    CHECK(!check_mentions(win, "Target check", "IPv6"),
          "IPv6 advice for '%s': %s", target,
          label_text(win, "Target check"));
    CHECK(g_str_has_prefix(label_text(win, "Target check"), "Connects to"),
          "check: %s", label_text(win, "Target check"));
    type_into(win, "Target address", "tcp:[::1]:5000");
    CHECK(!has_error_mark(win, "Target address"), "tcp:[::1]:5000: %s",
          label_text(win, "Target check"));
    type_into(win, "Target address", "[::1]:5000");
    CHECK(!has_error_mark(win, "Target address"), "[::1]:5000: %s",
          label_text(win, "Target check"));

    /* A Service TCP does not use: no mark, no block. */
    type_into(win, "Client service", "not a service");
    CHECK(!has_error_mark(win, "Client service"),
          "the unused service is marked bad: %s",
          label_text(win, "Client service as GUID and port"));
    printf("service line: %s\n",
           label_text(win, "Client service as GUID and port"));
    CHECK(check_mentions(win, "Client service as GUID and port",
                         "not used"),
          "service line: %s",
          label_text(win, "Client service as GUID and port"));
    type_into(win, "Target address", target);
    type_into(win, "Message to send", "tcp: typed in full");
    REQUIRE(click(win, "Send") && wait_for(client_finished, win, 10000),
            "the client did not finish");
    CHECK(g_str_has_prefix(label_text(win, "Client status"), "Done"),
          "client status: %s (notice: %s)", label_text(win, "Client status"),
          label_text(win, "Notice"));

    /* Where the service is used (a vsock CID), it is checked and marked.
       Nothing is sent there. */
    REQUIRE(choose(win, "Target kind", "cid") &&
                type_into(win, "Target address", "3"),
            "cid");
    CHECK(has_error_mark(win, "Client service"),
          "a bad service is not marked for vsock");
    type_into(win, "Client service", "5000");
    CHECK(!has_error_mark(win, "Client service"), "5000 is marked bad");

    /* The server side: "tcp:" typed in full, a bad unused service. */
    switch_mode(win, "Server");
    click(win, "Stop Server");
    CHECK(wait_label(win, "Server status", "Stopped", 3000), "not stopped");
    REQUIRE(choose(win, "Listen on", "tcp") &&
                type_into(win, "Listen address", "tcp:127.0.0.1:0") &&
                type_into(win, "Server service", "bad service"),
            "server setup");
    CHECK(!has_error_mark(win, "Listen address"), "tcp:127.0.0.1:0: %s",
          label_text(win, "Listen address check"));
    CHECK(!has_error_mark(win, "Server service"), "the unused service is "
          "marked bad");
    REQUIRE(click(win, "Start Server"), "cannot click Start Server");
    CHECK(wait_label(win, "Server status", "Listening on", 5000),
          "not listening (notice: %s)", label_text(win, "Notice"));
    click(win, "Stop Server");
    CHECK(wait_label(win, "Server status", "Stopped", 3000), "not stopped");
    /* hybrid vsock (a VMM's Unix socket): offered as a target, prefix or
       not; nothing is sent there */
    switch_mode(win, "Client");
    REQUIRE(choose(win, "Target kind", "hybrid"), "no hybrid target");
    type_into(win, "Target address", "hybrid:/tmp/hvecho-vm.vsock:5000");
    printf("hybrid check line: %s\n", label_text(win, "Target check"));
    CHECK(!has_error_mark(win, "Target address") &&
              g_str_has_prefix(label_text(win, "Target check"),
                               "Connects to"),
          "hybrid: %s", label_text(win, "Target check"));
    switch_mode(win, "Server");
    choose(win, "Listen on", "unix");
    type_into(win, "Listen address", "unix:/tmp/hvecho-field.sock");
    CHECK(!has_error_mark(win, "Listen address") &&
              !strstr(label_text(win, "Listen address check"), "unix:unix"),
          "unix: typed in full: %s",
          label_text(win, "Listen address check"));
}

/* ---- Repeat 3000: a complete, honest log ------------------------------- */

static gboolean all_served(gpointer data)
{
    const char *s = label_text(data, "Server status");

    return strstr(s, " 0 clients connected") && strstr(s, " 3000 served");
}

/* The number just before 'words' in s ("29,003 oldest rows ..."), or -1. */
static gint64 count_before(const char *s, const char *words)
{
    const char *w = strstr(s, words), *p;
    gint64 v = 0, mul = 1;

    if (!w || w == s)
        return -1;
    for (p = w - 2; p >= s && (g_ascii_isdigit(*p) || *p == ','); p--)
        if (*p != ',') {
            v += (*p - '0') * mul;
            mul *= 10;
        }
    return mul > 1 ? v : -1;
}

/* The number before 'words' in s, 0 when s does not say it. */
static gint64 count_or_0(const char *s, const char *words)
{
    gint64 v = count_before(s, words);

    return v > 0 ? v : 0;
}

/* Repeat 3000 against the window's own server: far more rows than the log
 * keeps, and (on most machines) more events than the core queues while
 * the window lags. Every row is shown, merged or counted, in the core's
 * words: the newest rows are all there, each kept handshake has its sent
 * and echo rows or is counted among the echo rows not shown (with the
 * handshakes still verified), the done row says 3,000, and the rows kept
 * plus every row counted as not shown are exactly the rows the run made. */
void case_repeat_3000(GtkWidget *win)
{
    int port, rows, echo = 0, complete = 0, unechoed = 0;
    const char *s;
    gint64 capped, echo_ns, verified, sent_ns, server_ns, merged;
    int notes, made;
    char target[64];
    Row r = {0};
    GtkTreeModel *m;
    GtkTreeIter it;
    gboolean ok;
    GHashTable *echoed, *completed;

    port = start_server(win, NULL);
    REQUIRE(port > 0, "the server did not start");
    CHECK(*label_text(win, "Log status") == '\0', "a status before "
          "anything: %s", label_text(win, "Log status"));
    gtk_spin_button_set_value(GTK_SPIN_BUTTON(find(win, "Repeat count")),
                              3000);
    g_snprintf(target, sizeof target, "127.0.0.1:%d", port);
    REQUIRE(switch_mode(win, "Client") && choose(win, "Target kind", "tcp") &&
                type_into(win, "Target address", target) &&
                type_into(win, "Message to send", "many rows") &&
                click(win, "Send"),
            "setup");
    /* generous: a loaded machine runs 3,000 handshakes slowly */
    REQUIRE(wait_for(client_finished, win, 170000),
            "the client did not finish");
    CHECK(g_str_has_prefix(label_text(win, "Client status"), "Done"),
          "client status: %s", label_text(win, "Client status"));
    CHECK(wait_for(all_served, win, 60000), "server status: %s",
          label_text(win, "Server status"));
    /* Stop the server: its last event counts what it could not queue. */
    switch_mode(win, "Server");
    click(win, "Stop Server");
    CHECK(wait_label(win, "Server status", "Stopped", 10000), "not stopped");
    pump(200);
    rows = log_rows(win);
    s = label_text(win, "Log status");
    printf("rows: %d; log status: %s\n", rows, s);
    CHECK(rows == HVG_LOG_MAX_ROWS, "%d rows", rows);
    capped = count_before(s, "oldest rows removed");
    CHECK(capped > 0 && strstr(s, "(the log keeps the newest 10,000)"),
          "the cap is not said: '%s'", s);
    /* Made: 1 listening + 3,000 x (7 client + 6 server rows) + done +
       summary + stopped + a note row per session that had something to
       say. Each is kept, removed by the cap, merged into its
       connection's row, or was a data event the core did not queue while
       the window fell behind: each of those is counted, by kind. */
    notes = 0;
    for (int from = 0; (from = log_find(win, from, "", "note", NULL)) >= 0;
         from++)
        notes++;
    echo_ns = count_or_0(s, "echo rows not shown");
    verified = count_or_0(s, "handshakes verified");
    sent_ns = count_or_0(s, "sent rows");
    server_ns = count_or_0(s, "server data rows");
    merged = count_or_0(s, "data rows merged");
    CHECK(!strstr(s, "data events not shown"), "the old words: %s", s);
    made = 1 + 3000 * 13 + 3 + notes;
    CHECK(rows + capped + echo_ns + sent_ns + server_ns + merged == made,
          "%d rows + %" G_GINT64_FORMAT " removed + %" G_GINT64_FORMAT
          " echo + %" G_GINT64_FORMAT " sent + %" G_GINT64_FORMAT
          " server + %" G_GINT64_FORMAT " merged rows not shown != %d made",
          rows, capped, echo_ns, sent_ns, server_ns, merged, made);
    /* All 3,000 completed: every echo row not shown is a verified
       handshake, and the echo and sent rows say so in the same words. */
    CHECK(verified == echo_ns, "%" G_GINT64_FORMAT " echo rows not shown "
          "but %" G_GINT64_FORMAT " handshakes verified: %s", echo_ns,
          verified, s);
    if (echo_ns > 0) {
        CHECK(strstr(s, " echo rows not shown: ") &&
                  strstr(s, " handshakes verified"),
              "not in the core's words: %s", s);
        /* the client's done row carries the same count in its note */
        int at = log_find(win, 0, "client", "done", NULL);
        CHECK(at >= 0 && log_find(win, at + 1, "client", "note", &r) == at + 1 &&
                  count_before(r.text, "echo rows not shown") == echo_ns &&
                  count_before(r.text, "handshakes verified") == echo_ns,
              "the done row's note: %s", r.text ? r.text : "(none)");
        row_clear(&r);
    }
    CHECK(log_find(win, 0, "client", "done", &r) >= 0 &&
              strcmp(r.text, "3,000 handshakes complete") == 0,
          "done row: %s", r.text ? r.text : "(none)");
    row_clear(&r);
    CHECK(log_find(win, 0, "client #3000", "bye", NULL) >= 0 &&
              log_find(win, 0, "client #3000", "closed", NULL) >= 0,
          "the last handshake's rows are missing");
    /* Each complete handshake kept without its echo row is one of those
       counted (none is missing unexplained). */
    echoed = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    completed = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    m = log_model(win);
    for (ok = gtk_tree_model_get_iter_first(m, &it); ok;
         ok = gtk_tree_model_iter_next(m, &it)) {
        char *conn, *ev, *text;
        gtk_tree_model_get(m, &it, HVG_LOG_COL_CONN, &conn,
                           HVG_LOG_COL_EVENT, &ev, HVG_LOG_COL_TEXT, &text,
                           -1);
        if (g_str_has_prefix(conn, "client #")) {
            if (strcmp(ev, "echo") == 0) {
                echo++;
                g_hash_table_add(echoed, g_strdup(conn));
            }
            if (strcmp(ev, "closed") == 0 &&
                g_str_has_prefix(text, "handshake complete")) {
                complete++;
                g_hash_table_add(completed, g_strdup(conn));
            }
        }
        g_free(conn);
        g_free(ev);
        g_free(text);
    }
    {
        GHashTableIter hi;
        gpointer key;
        g_hash_table_iter_init(&hi, completed);
        while (g_hash_table_iter_next(&hi, &key, NULL))
            if (!g_hash_table_contains(echoed, key))
                unechoed++;
    }
    g_hash_table_destroy(echoed);
    g_hash_table_destroy(completed);
    printf("kept: %d complete handshakes, %d echo rows, %d complete without "
           "their echo row; %" G_GINT64_FORMAT " echo rows not shown\n",
           complete, echo, unechoed, echo_ns);
    /* the oldest kept handshake may have lost its echo row to the cap */
    CHECK(unechoed <= 1 + echo_ns && (unechoed <= 1 || echo_ns > 0),
          "%d complete handshakes kept without their echo row, "
          "unexplained: %s", unechoed, s);
    /* Hovering the status shows all of it (the label may be cut short);
       a screen reader has it as the description. */
    {
        GtkWidget *st = find(win, "Log status");
        char *whole = g_strdup(s);
        GtkAllocation a;
        int x, y;
        gtk_widget_get_allocation(st, &a);
        gdk_window_get_origin(gtk_widget_get_window(st), &x, &y);
        CHECK(mouse_to(x + a.x + 20, y + a.y + a.height / 2) &&
                  mouse_to(x + a.x + 24, y + a.y + a.height / 2),
              "xdotool failed");
        CHECK(wait_for(tooltip_shown, NULL, 4000),
              "no tooltip over the log status");
        if (tooltip_label())
            CHECK(strcmp(gtk_label_get_text(GTK_LABEL(tooltip_label())),
                         whole) == 0,
                  "tooltip '%s', status '%s'",
                  gtk_label_get_text(GTK_LABEL(tooltip_label())), whole);
        CHECK(g_strcmp0(atk_object_get_description(
                            gtk_widget_get_accessible(st)),
                        whole) == 0,
              "description '%s', status '%s'",
              atk_object_get_description(gtk_widget_get_accessible(st)),
              whole);
        g_free(whole);
    }
    click(win, "Clear log");
    pump(50);
    CHECK(*label_text(win, "Log status") == '\0',
          "still says something after Clear: %s",
          label_text(win, "Log status"));
}
