/* cases_tools.c - GUI cases for the window's tools: a repeat run with its
 * figures and chart, the history of targets across a restart, a row's
 * details as a hex dump, Copy of selected rows, Export as CSV and JSON
 * lines, and the server's list of connected clients.
 *
 * Threads: the GTK main thread only (see driver.h). */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "cases.h"
#include "driver.h"
#include "hvecho/hvecho.h"
#include "logview.h"
#include "window.h"

static gboolean to_target(GtkWidget *win, int port, const char *message)
{
    char target[64];

    g_snprintf(target, sizeof target, "127.0.0.1:%d", port);
    return switch_mode(win, "Client") && choose(win, "Target kind", "tcp") &&
           type_into(win, "Target address", target) &&
           (!message || type_into(win, "Message to send", message));
}

static gboolean run_done(GtkWidget *win)
{
    return click(win, "Send") && wait_for(client_finished, win, 60000);
}

/* The log's Took of client #k's echo row, in microseconds, or -2. */
static gint64 echo_took(GtkWidget *win, unsigned k)
{
    GtkTreeModel *m = log_model(win);
    GtkTreeIter it;
    char want[32];
    gboolean ok;
    gint64 us = -2;

    g_snprintf(want, sizeof want, "client #%u", k);
    for (ok = gtk_tree_model_get_iter_first(m, &it); ok && us == -2;
         ok = gtk_tree_model_iter_next(m, &it)) {
        char *conn, *ev;
        gint64 t;
        gtk_tree_model_get(m, &it, HVG_LOG_COL_CONN, &conn,
                           HVG_LOG_COL_EVENT, &ev, HVG_LOG_COL_TOOK_US, &t,
                           -1);
        if (g_strcmp0(conn, want) == 0 && g_strcmp0(ev, "echo") == 0)
            us = t;
        g_free(conn);
        g_free(ev);
    }
    return us;
}

/* The chart describes itself in the core's chart words (the Win32
 * chart's text starts with the same line). */
static gboolean chart_described(gpointer data)
{
    const char *d = atk_object_get_description(
        gtk_widget_get_accessible(find(data, "Round-trip chart")));
    char want[256];

    hve_stats_format(hvg_window_run_stats(HVG_WINDOW(data)), HVE_STATS_CHART,
                     want, sizeof want);
    return d && g_str_has_prefix(want, "chart of 20 handshakes: ") &&
           strcmp(d, want) == 0;
}

/* Repeat 20 with an interval: the live line, the summary row, the chart
 * (its points are the log's round trips, handshake by handshake); client
 * numbers go on at the next Send; Keep going past refused connects;
 * Until stopped ends with Cancel as a success. */
void case_repeat_stats(GtkWidget *win)
{
    const hve_stats *st;
    int port = start_server(win, NULL), dead = free_port();
    Row r = {0};
    char want[512];
    size_t n;

    REQUIRE(port > 0, "the server did not start");
    /* wide for the screenshot (its Xvfb screen has room: CMakeLists) */
    gtk_window_resize(GTK_WINDOW(win), opt_shot ? 1480 : 1180, 820);
    REQUIRE(to_target(win, port, "figures"), "setup");
    gtk_spin_button_set_value(GTK_SPIN_BUTTON(find(win, "Repeat count")), 20);
    REQUIRE(type_into(win, "Interval between handshakes", "5ms"), "interval");
    CHECK(!has_error_mark(win, "Interval between handshakes"), "5ms marked");
    REQUIRE(click(win, "Send"), "Send");
    /* while it runs, the live line */
    CHECK(wait_label(win, "Run figures", "", 100), "no figures line");
    REQUIRE(wait_for(client_finished, win, 60000), "did not finish");
    CHECK(g_str_has_prefix(label_text(win, "Client status"), "Done"),
          "status: %s", label_text(win, "Client status"));
    st = hvg_window_run_stats(HVG_WINDOW(win));
    printf("figures: %s\n", label_text(win, "Run figures"));
    hve_stats_format(st, HVE_STATS_SUMMARY, want, sizeof want);
    CHECK(strcmp(label_text(win, "Run figures"), want) == 0,
          "figures '%s', not the summary '%s'",
          label_text(win, "Run figures"), want);
    CHECK(g_str_has_prefix(want, "20 handshakes: 20 done, 0 failed"),
          "summary: %s", want);
    CHECK(log_find(win, 0, "client", "summary", &r) >= 0 &&
              strcmp(r.text, want) == 0,
          "summary row: %s", r.text ? r.text : "(none)");
    row_clear(&r);
    /* the chart: one point per handshake, each the log's round trip */
    n = hve_stats_point_count(st);
    CHECK(n == 20, "%zu points", n);
    for (size_t i = 0; i < n; i++) {
        const hve_stats_point *p = hve_stats_point_at(st, i);
        gint64 took = echo_took(win, p->round);
        CHECK(p->us[HVE_STATS_RTT] == took,
              "handshake #%u: chart %" G_GINT64_FORMAT " us, log %"
              G_GINT64_FORMAT " us",
              p->round, (gint64)p->us[HVE_STATS_RTT], took);
    }
    CHECK(wait_for(chart_described, win, 3000), "the chart did not redraw: "
          "%s", atk_object_get_description(gtk_widget_get_accessible(
                    find(win, "Round-trip chart"))));
    printf("chart: %s\n", atk_object_get_description(gtk_widget_get_accessible(
                              find(win, "Round-trip chart"))));
    if (opt_shot) {
        /* the divider dragged so the chart has room */
        GtkWidget *paned = gtk_widget_get_ancestor(
            find(win, "Round-trip chart"), GTK_TYPE_PANED);
        gtk_paned_set_position(GTK_PANED(paned),
                               gtk_widget_get_allocated_width(paned) - 520);
        save_screenshot(win, opt_shot);
    }

    /* numbers go on: the next Send starts at #21 */
    gtk_spin_button_set_value(GTK_SPIN_BUTTON(find(win, "Repeat count")), 2);
    type_into(win, "Interval between handshakes", "");
    REQUIRE(run_done(win), "second run");
    CHECK(log_find(win, 0, "client #21", "closed", NULL) >= 0 &&
              log_find(win, 0, "client #22", "closed", NULL) >= 0,
          "the numbers did not go on");

    /* keep going: 3 refused connects, all tried, all counted */
    REQUIRE(to_target(win, dead, NULL), "dead target");
    gtk_spin_button_set_value(GTK_SPIN_BUTTON(find(win, "Repeat count")), 3);
    gtk_toggle_button_set_active(
        GTK_TOGGLE_BUTTON(find(win, "Keep going on errors")), TRUE);
    REQUIRE(run_done(win), "keep-going run");
    CHECK(g_str_has_prefix(label_text(win, "Client status"), "Failed"),
          "status: %s", label_text(win, "Client status"));
    CHECK(g_str_has_prefix(label_text(win, "Run figures"),
                           "3 handshakes: 0 done, 3 failed"),
          "figures: %s", label_text(win, "Run figures"));
    CHECK(log_find(win, 0, "client #25", "closed", NULL) >= 0,
          "the third refused handshake was not tried");
    gtk_toggle_button_set_active(
        GTK_TOGGLE_BUTTON(find(win, "Keep going on errors")), FALSE);

    /* until stopped: Cancel ends it, as a success */
    REQUIRE(to_target(win, port, NULL), "target");
    gtk_toggle_button_set_active(
        GTK_TOGGLE_BUTTON(find(win, "Repeat until stopped")), TRUE);
    CHECK(!usable(find(win, "Repeat count")), "Repeat usable with Until "
          "stopped");
    REQUIRE(click(win, "Send"), "Send");
    pump(300);
    REQUIRE(click(win, "Cancel"), "Cancel");
    REQUIRE(wait_for(client_finished, win, 10000), "did not stop");
    printf("until stopped: %s / %s\n", label_text(win, "Client status"),
           label_text(win, "Run figures"));
    CHECK(g_str_has_prefix(label_text(win, "Client status"), "Done"),
          "status: %s", label_text(win, "Client status"));
    CHECK(hve_stats_done(st) > 0 && hve_stats_failed(st) == 0,
          "done %" G_GUINT64_FORMAT ", failed %" G_GUINT64_FORMAT,
          (guint64)hve_stats_done(st), (guint64)hve_stats_failed(st));
    gtk_toggle_button_set_active(
        GTK_TOGGLE_BUTTON(find(win, "Repeat until stopped")), FALSE);
    switch_mode(win, "Server");
    click(win, "Stop Server");
    CHECK(wait_label(win, "Server status", "Stopped", 5000), "not stopped");
}

static GtkWidget *reopen(void)
{
    GtkWidget *w = GTK_WIDGET(hvg_window_new(app));

    gtk_window_present(GTK_WINDOW(w));
    wait_for(is_mapped, w, 5000);
    pump(100);
    return w;
}

/* The texts of a history dropdown, newest first, joined by '|'. */
static char *dropdown(GtkWidget *win, const char *name)
{
    GtkTreeModel *m =
        gtk_combo_box_get_model(GTK_COMBO_BOX(find(win, name)));
    GString *s = g_string_new(NULL);
    GtkTreeIter it;
    gboolean ok;

    for (ok = gtk_tree_model_get_iter_first(m, &it); ok;
         ok = gtk_tree_model_iter_next(m, &it)) {
        char *t;
        gtk_tree_model_get(m, &it, 0, &t, -1);
        g_string_append_printf(s, "%s%s", s->len ? "|" : "", t);
        g_free(t);
    }
    return g_string_free(s, FALSE);
}

/* Targets and listen addresses used are offered in their fields, newest
 * first, and still after a restart; picking one fills the field. */
void case_history(GtkWidget *win)
{
    int port = start_server(win, NULL), dead = free_port();
    char a[64], b[64], want[160], *got;

    REQUIRE(port > 0, "the server did not start");
    g_snprintf(a, sizeof a, "127.0.0.1:%d", dead);
    g_snprintf(b, sizeof b, "127.0.0.1:%d", port);
    REQUIRE(to_target(win, dead, "first") && run_done(win), "first Send");
    REQUIRE(to_target(win, port, "second") && run_done(win), "second Send");
    g_snprintf(want, sizeof want, "%s|%s", b, a);
    got = dropdown(win, "Recent targets");
    CHECK(strcmp(got, want) == 0, "targets offered: '%s', not '%s'", got,
          want);
    g_free(got);
    got = dropdown(win, "Recent listen addresses");
    switch_mode(win, "Server");
    got = (g_free(got), dropdown(win, "Recent listen addresses"));
    CHECK(strcmp(got, "127.0.0.1:0") == 0, "listen offered: '%s'", got);
    g_free(got);
    click(win, "Stop Server");
    CHECK(wait_label(win, "Server status", "Stopped", 5000), "not stopped");

    gtk_window_close(GTK_WINDOW(win));
    pump(300);
    win = reopen();
    switch_mode(win, "Client");
    got = dropdown(win, "Recent targets");
    CHECK(strcmp(got, want) == 0, "after a restart: '%s', not '%s'", got,
          want);
    g_free(got);
    /* picking the older one fills the field (and is checked) */
    type_into(win, "Target address", "");
    gtk_combo_box_set_active(GTK_COMBO_BOX(find(win, "Recent targets")), 1);
    pump(50);
    CHECK(strcmp(gtk_entry_get_text(GTK_ENTRY(find(win, "Target address"))),
                 a) == 0,
          "picked: %s",
          gtk_entry_get_text(GTK_ENTRY(find(win, "Target address"))));
    CHECK(!has_error_mark(win, "Target address"), "picked value marked");
    switch_mode(win, "Server");
    choose(win, "Listen on", "tcp");
    got = dropdown(win, "Recent listen addresses");
    CHECK(strcmp(got, "127.0.0.1:0") == 0, "listen after a restart: '%s'",
          got);
    g_free(got);
}

static char *detail_text(GtkWidget *win)
{
    GtkTextBuffer *b = gtk_text_view_get_buffer(
        GTK_TEXT_VIEW(find(win, "Row details")));
    GtkTextIter s, e;

    gtk_text_buffer_get_bounds(b, &s, &e);
    return gtk_text_buffer_get_text(b, &s, &e, FALSE);
}

static void select_row(GtkWidget *win, int i, gboolean add)
{
    GtkTreeView *v = GTK_TREE_VIEW(find_typed(win, "Log", GTK_TYPE_TREE_VIEW));
    GtkTreeSelection *sel = gtk_tree_view_get_selection(v);
    GtkTreePath *p = gtk_tree_path_new_from_indices(i, -1);

    if (!add)
        gtk_tree_selection_unselect_all(sel);
    gtk_tree_selection_select_path(sel, p);
    gtk_tree_path_free(p);
    pump(30);
}

/* Selecting the client's sent row shows its whole text and its bytes as
 * a hex dump that is exactly the dump of the bytes sent; Enter on a row
 * shows the Details page; Ctrl+C copies the selected rows. */
void case_detail(GtkWidget *win)
{
    static const unsigned char bytes[] = "h\xc3\xa9llo \x01\x02\xff wide "
                                         "world of bytes!";
    size_t len = sizeof bytes - 1, need;
    char *dump, *text, *clip;
    int port = start_server(win, NULL), i, j;
    GtkWidget *book;
    Row r = {0};

    REQUIRE(port > 0, "the server did not start");
    /* wide for the screenshot (its Xvfb screen has room: CMakeLists) */
    gtk_window_resize(GTK_WINDOW(win), opt_shot ? 1480 : 1180, 820);
    /* typed with escapes, decoded to those bytes */
    REQUIRE(to_target(win, port,
                      "h\\xc3\\xa9llo \\x01\\x02\\xff wide world of "
                      "bytes!"),
            "setup");
    gtk_toggle_button_set_active(
        GTK_TOGGLE_BUTTON(find(win, "Decode escapes")), TRUE);
    REQUIRE(run_done(win), "Send");
    CHECK(g_str_has_prefix(label_text(win, "Client status"), "Done"),
          "status: %s", label_text(win, "Client status"));
    i = log_find(win, 0, "client #1", "sent", &r);
    REQUIRE(i >= 0, "no sent row");
    select_row(win, i, FALSE);
    text = detail_text(win);
    need = hve_hexdump(bytes, len, 0, 0, NULL, 0) + 1;
    dump = g_malloc(need);
    hve_hexdump(bytes, len, 0, 0, dump, need);
    printf("details:\n%s", text);
    CHECK(strstr(text, r.text) != NULL, "the row's text is not there");
    CHECK(g_str_has_suffix(text, dump), "the hex dump is not the bytes "
          "sent; want:\n%s", dump);
    g_free(dump);
    g_free(text);
    row_clear(&r);

    /* Enter on a row: the Details page */
    book = find(win, "Chart, details and clients");
    gtk_notebook_set_current_page(GTK_NOTEBOOK(book), 0);
    gtk_widget_grab_focus(find_typed(win, "Log", GTK_TYPE_TREE_VIEW));
    gtk_tree_view_set_cursor(GTK_TREE_VIEW(find_typed(win, "Log",
                                                      GTK_TYPE_TREE_VIEW)),
                             gtk_tree_path_new_from_indices(i, -1), NULL,
                             FALSE);
    gdk_window_focus(gtk_widget_get_window(win), GDK_CURRENT_TIME);
    pump(100);
    CHECK(press_keys("Return"), "xdotool");
    CHECK(gtk_notebook_get_current_page(GTK_NOTEBOOK(book)) == 1,
          "Enter did not show the details (page %d)",
          gtk_notebook_get_current_page(GTK_NOTEBOOK(book)));
    if (opt_shot) {
        /* the divider dragged so the dump's lines show whole */
        GtkWidget *paned = gtk_widget_get_ancestor(book, GTK_TYPE_PANED);
        gtk_paned_set_position(GTK_PANED(paned),
                               gtk_widget_get_allocated_width(paned) - 640);
        save_screenshot(win, opt_shot);
    }

    /* Ctrl+C: the two selected rows, as the log shows them */
    j = log_find(win, 0, "client #1", "bye", NULL);
    REQUIRE(j >= 0, "no bye row");
    select_row(win, i, FALSE);
    select_row(win, j, TRUE);
    gtk_widget_grab_focus(find_typed(win, "Log", GTK_TYPE_TREE_VIEW));
    pump(50);
    gtk_clipboard_set_text(gtk_clipboard_get(GDK_SELECTION_CLIPBOARD), "", 0);
    CHECK(press_keys("ctrl+c"), "xdotool");
    clip = gtk_clipboard_wait_for_text(gtk_clipboard_get(
        GDK_SELECTION_CLIPBOARD));
    printf("copied:\n%s", clip ? clip : "(nothing)");
    {
        char **lines = g_strsplit(clip ? clip : "", "\n", -1);
        CHECK(g_strv_length(lines) == 3 && strstr(lines[0], " sent ") &&
                  strstr(lines[1], " bye "),
              "copied: %s", clip ? clip : "(nothing)");
        g_strfreev(lines);
    }
    g_free(clip);
    switch_mode(win, "Server");
    click(win, "Stop Server");
    CHECK(wait_label(win, "Server status", "Stopped", 5000), "not stopped");
}

/* RFC 4180 records: fields split on commas outside quotes, "" inside
 * quotes a quote; records end with CRLF (a CR or LF inside quotes is
 * data). Returns the records, each a NULL-terminated field array. */
static GPtrArray *parse_csv(const char *s, gboolean *ok)
{
    GPtrArray *recs = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
    GPtrArray *fields = g_ptr_array_new();
    GString *f = g_string_new(NULL);
    gboolean q = FALSE;

    *ok = TRUE;
    for (const char *p = s; *p; p++) {
        if (q) {
            if (*p == '"' && p[1] == '"') {
                g_string_append_c(f, '"');
                p++;
            } else if (*p == '"') {
                q = FALSE;
            } else {
                g_string_append_c(f, *p);
            }
        } else if (*p == '"') {
            if (f->len)
                *ok = FALSE; /* a quote inside an unquoted field */
            q = TRUE;
        } else if (*p == ',') {
            g_ptr_array_add(fields, g_strdup(f->str));
            g_string_truncate(f, 0);
        } else if (*p == '\r' && p[1] == '\n') {
            g_ptr_array_add(fields, g_strdup(f->str));
            g_string_truncate(f, 0);
            g_ptr_array_add(fields, NULL);
            g_ptr_array_add(recs, g_ptr_array_free(fields, FALSE));
            fields = g_ptr_array_new();
            p++;
        } else if (*p == '\n' || *p == '\r') {
            *ok = FALSE; /* a bare line break outside quotes */
        } else {
            g_string_append_c(f, *p);
        }
    }
    if (q || f->len || fields->len)
        *ok = FALSE; /* the last record did not end with CRLF */
    g_ptr_array_free(fields, TRUE);
    g_string_free(f, TRUE);
    return recs;
}

/* Save as CSV and as JSON lines: the files parse, one record per row,
 * with the columns and the event names of `hvecho --json`. */
void case_export(GtkWidget *win)
{
    int port = start_server(win, "bye, \"quoted\""), rows;
    char *csv_path, *json_path, *data = NULL;
    GPtrArray *recs;
    gboolean ok;

    REQUIRE(port > 0, "the server did not start");
    REQUIRE(to_target(win, port, "a, \"tricky\" message") && run_done(win),
            "Send");
    CHECK(wait_row(win, 0, "server #1", "closed", 5000), "no server close");
    switch_mode(win, "Server");
    click(win, "Stop Server");
    CHECK(wait_label(win, "Server status", "Stopped", 5000), "not stopped");
    rows = log_rows(win);

    csv_path = g_build_filename(g_get_user_config_dir(), "log.csv", NULL);
    REQUIRE(save_log_as(win, csv_path), "no CSV saved");
    REQUIRE(g_file_get_contents(csv_path, &data, NULL, NULL), "read CSV");
    recs = parse_csv(data, &ok);
    CHECK(ok, "not RFC 4180:\n%s", data);
    CHECK((int)recs->len == rows + 1, "%u records for %d rows",
          recs->len, rows);
    {
        /* the core's header; the columns found by name */
        char **h = recs->len ? recs->pdata[0] : NULL;
        char *joined = h ? g_strjoinv(",", h) : g_strdup("");
        char *want = g_strndup(hve_export_header(HVE_EXPORT_CSV),
                               strlen(hve_export_header(HVE_EXPORT_CSV)) - 2);
        guint nf = h ? g_strv_length(h) : 0;
        int c_conn = -1, c_event = -1, c_text = -1;
        gboolean found = FALSE;
        CHECK(strcmp(joined, want) == 0, "header: %s", joined);
        for (guint i = 0; i < nf; i++) {
            if (strcmp(h[i], "conn") == 0)
                c_conn = (int)i;
            if (strcmp(h[i], "verb") == 0)
                c_event = (int)i;
            if (strcmp(h[i], "text") == 0)
                c_text = (int)i;
        }
        CHECK(c_conn >= 0 && c_event >= 0 && c_text >= 0, "columns: %s",
              joined);
        for (guint i = 1; i < recs->len; i++) {
            char **rec = recs->pdata[i];
            CHECK(g_strv_length(rec) == nf, "record %u has %u fields", i,
                  g_strv_length(rec));
            /* the client's bye, with its quotes and comma intact */
            if (g_strv_length(rec) == nf && c_text >= 0 &&
                strcmp(rec[c_event], "bye") == 0 &&
                strstr(rec[c_text], "bye, \"quoted\""))
                found = TRUE;
        }
        CHECK(found, "no bye record with the bye's text");
        g_free(joined);
        g_free(want);
    }
    g_ptr_array_free(recs, TRUE);
    g_free(data);
    data = NULL;

    json_path = g_build_filename(g_get_user_config_dir(), "log.jsonl", NULL);
    REQUIRE(save_log_as(win, json_path), "no JSON lines saved");
    REQUIRE(g_file_get_contents(json_path, &data, NULL, NULL), "read JSON");
    {
        char **lines = g_strsplit(data, "\n", -1);
        guint n = g_strv_length(lines);
        GString *py = g_string_new(NULL);
        char *argv[] = {"python3", "-c",
                        "import json,sys\n"
                        "rows=[json.loads(l) for l in open(sys.argv[1])]\n"
                        "kinds=[r['event'] for r in rows]\n"
                        "assert all('side' in r for r in rows)\n"
                        "assert 'bye' in kinds and 'closed' in kinds\n"
                        "print(len(rows), 'json lines;', ' '.join(kinds))\n",
                        json_path, NULL};
        char *out = NULL, *err = NULL;
        int status = -1;
        CHECK(n == (guint)rows + 1 && *lines[n - 1] == '\0',
              "%u lines for %d rows", n - 1, rows);
        /* a JSON parser that is not ours reads every line */
        CHECK(g_spawn_sync(NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                           &out, &err, &status, NULL) &&
                  g_spawn_check_wait_status(status, NULL),
              "python3 json: %s %s", out ? out : "", err ? err : "");
        printf("%s", out ? out : "");
        g_free(out);
        g_free(err);
        g_string_free(py, TRUE);
        g_strfreev(lines);
    }
    g_free(data);
    g_unlink(csv_path);
    g_unlink(json_path);
    g_free(csv_path);
    g_free(json_path);
}

static int connect_to(int port)
{
    struct sockaddr_in a = {0};
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        fd = -1;
    }
    return fd;
}

typedef struct {
    GtkWidget *win;
    int n;
} ListWait;

static int list_rows(GtkWidget *win)
{
    GtkTreeModel *m = gtk_tree_view_get_model(
        GTK_TREE_VIEW(find(win, "Connected clients")));
    return gtk_tree_model_iter_n_children(m, NULL);
}

static gboolean list_has(gpointer data)
{
    ListWait *w = data;
    return list_rows(w->win) == w->n;
}

/* The server's list: two clients appear with their peer and the bytes
 * they sent; one leaves, then the other; the list empties. */
void case_clients(GtkWidget *win)
{
    int port = start_server(win, NULL), fd1, fd2;
    ListWait w = {win, 2};
    GtkTreeModel *m;
    GtkTreeIter it;

    REQUIRE(port > 0, "the server did not start");
    CHECK(list_rows(win) == 0, "clients before any");
    fd1 = connect_to(port);
    fd2 = connect_to(port);
    REQUIRE(fd1 >= 0 && fd2 >= 0, "connect: %s", g_strerror(errno));
    REQUIRE(send(fd1, "12345", 5, 0) == 5 && send(fd2, "1234567", 7, 0) == 7,
            "send");
    CHECK(wait_for(list_has, &w, 5000), "%d clients listed",
          list_rows(win));
    pump(600); /* a snapshot after the bytes */
    m = gtk_tree_view_get_model(
        GTK_TREE_VIEW(find(win, "Connected clients")));
    if (gtk_tree_model_get_iter_first(m, &it)) {
        int k = 0;
        do {
            char *conn, *peer, *in, *out, *age;
            gtk_tree_model_get(m, &it, 0, &conn, 1, &peer, 2, &in, 3, &out,
                               4, &age, -1);
            printf("client %s %s in %s out %s age %s\n", conn, peer, in, out,
                   age);
            CHECK(g_str_has_prefix(peer, "127.0.0.1:"), "peer %s", peer);
            CHECK(strcmp(in, k == 0 ? "5" : "7") == 0, "in: %s", in);
            CHECK(g_str_has_suffix(age, " s"), "age: %s", age);
            g_free(conn);
            g_free(peer);
            g_free(in);
            g_free(out);
            g_free(age);
            k++;
        } while (gtk_tree_model_iter_next(m, &it));
    }
    CHECK(g_str_has_prefix(label_text(win, "Clients status"),
                           "2 clients connected"),
          "clients status: %s", label_text(win, "Clients status"));
    close(fd1);
    w.n = 1;
    CHECK(wait_for(list_has, &w, 5000), "%d clients after one left",
          list_rows(win));
    close(fd2);
    w.n = 0;
    CHECK(wait_for(list_has, &w, 5000), "%d clients after both left",
          list_rows(win));
    CHECK(g_str_has_prefix(label_text(win, "Clients status"),
                           "0 clients connected"),
          "clients status: %s", label_text(win, "Clients status"));
    click(win, "Stop Server");
    CHECK(wait_label(win, "Server status", "Stopped", 5000), "not stopped");
    CHECK(g_str_has_prefix(label_text(win, "Clients status"),
                           "The server is not running"),
          "clients status: %s", label_text(win, "Clients status"));
}
