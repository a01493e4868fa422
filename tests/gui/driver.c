/* driver.c - the test driver of the hvecho window (see driver.h): finding
 * controls as assistive technology does, acting on them as a person
 * would, reading back what the window shows.
 *
 * Threads: the GTK main thread only. */
#define _POSIX_C_SOURCE 200809L

#include "driver.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "logview.h"

const char *opt_cli;
const char *opt_shot;
int failures;
GtkApplication *app;


/* ---- the main loop ------------------------------------------------------ */

static gboolean tick_wake(gpointer data)
{
    (void)data;
    return G_SOURCE_CONTINUE;
}

/* Runs the main loop until cond(data) or timeout_ms. */
gboolean wait_for(cond_fn cond, gpointer data, int timeout_ms)
{
    gint64 end = g_get_monotonic_time() + (gint64)timeout_ms * 1000;
    guint wake = g_timeout_add(10, tick_wake, NULL);
    gboolean ok;

    while (!(ok = cond(data)) && g_get_monotonic_time() < end)
        g_main_context_iteration(NULL, TRUE);
    g_source_remove(wake);
    return ok;
}

static gboolean never(gpointer data)
{
    (void)data;
    return FALSE;
}

/* Lets the window settle (draw, handle pending events) for ms. */
void pump(int ms)
{
    wait_for(never, NULL, ms);
}

/* ---- finding controls as assistive technology does ---------------------- */

typedef struct {
    const char *name;
    GType type;
    GtkWidget *found;
} FindCtx;

const char *acc_name(GtkWidget *w)
{
    AtkObject *a = gtk_widget_get_accessible(w);
    return a ? atk_object_get_name(a) : NULL;
}

static void find_walk(GtkWidget *w, gpointer data)
{
    FindCtx *f = data;
    const char *n;

    if (f->found)
        return;
    n = acc_name(w);
    if (n && strcmp(n, f->name) == 0 &&
        (f->type == G_TYPE_NONE || g_type_is_a(G_OBJECT_TYPE(w), f->type))) {
        f->found = w;
        return;
    }
    if (GTK_IS_CONTAINER(w))
        gtk_container_forall(GTK_CONTAINER(w), find_walk, f);
}

GtkWidget *find_typed(GtkWidget *root, const char *name, GType type)
{
    FindCtx f = {name, type, NULL};

    find_walk(root, &f);
    /* The header bar is the window's titlebar, outside its child tree. */
    if (!f.found && GTK_IS_WINDOW(root) &&
        gtk_window_get_titlebar(GTK_WINDOW(root)))
        find_walk(gtk_window_get_titlebar(GTK_WINDOW(root)), &f);
    if (!f.found)
        fprintf(stderr, "no control named '%s'\n", name);
    return f.found;
}

GtkWidget *find(GtkWidget *root, const char *name)
{
    return find_typed(root, name, G_TYPE_NONE);
}

/* A person can only use what is on screen and not greyed out. */
gboolean usable(GtkWidget *w)
{
    return w && gtk_widget_is_drawable(w) && gtk_widget_is_sensitive(w);
}

gboolean click(GtkWidget *win, const char *name)
{
    GtkWidget *b = find_typed(win, name, GTK_TYPE_BUTTON);

    if (!usable(b)) {
        fprintf(stderr, "button '%s' is not usable now\n", name);
        return FALSE;
    }
    gtk_widget_grab_focus(b);
    gtk_button_clicked(GTK_BUTTON(b));
    pump(20);
    return TRUE;
}

/* Selects all and types text one character at a time, so "changed" (and
 * the window's live validation) runs per keystroke as it does for a
 * person. */
gboolean type_into(GtkWidget *win, const char *name, const char *text)
{
    GtkWidget *w = find(win, name);
    int pos = 0;

    if (!usable(w)) {
        fprintf(stderr, "field '%s' is not usable now\n", name);
        return FALSE;
    }
    gtk_widget_grab_focus(w);
    if (GTK_IS_TEXT_VIEW(w)) {
        GtkTextBuffer *b = gtk_text_view_get_buffer(GTK_TEXT_VIEW(w));
        GtkTextIter s, e;
        gtk_text_buffer_get_bounds(b, &s, &e);
        gtk_text_buffer_delete(b, &s, &e);
        for (const char *p = text; *p; p = g_utf8_next_char(p)) {
            gtk_text_buffer_get_end_iter(b, &e);
            gtk_text_buffer_insert(b, &e, p, (int)(g_utf8_next_char(p) - p));
        }
        return TRUE;
    }
    gtk_editable_delete_text(GTK_EDITABLE(w), 0, -1);
    for (const char *p = text; *p; p = g_utf8_next_char(p))
        gtk_editable_insert_text(GTK_EDITABLE(w), p,
                                 (int)(g_utf8_next_char(p) - p), &pos);
    return TRUE;
}

/* Real key presses, through the X server's XTEST extension (xdotool), to
 * whatever has the keyboard focus, as a person's keyboard does. */
gboolean press_keys(const char *keys)
{
    char *argv[] = {"xdotool", "key", "--delay", "30", (char *)keys, NULL};
    int status = -1;
    GError *e = NULL;

    if (!g_spawn_sync(NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL,
                      NULL, &status, &e)) {
        fprintf(stderr, "xdotool: %s\n", e->message);
        g_error_free(e);
        return FALSE;
    }
    pump(100);
    return g_spawn_check_wait_status(status, NULL);
}

gboolean mouse_to(int x, int y)
{
    char xs[16], ys[16];
    char *argv[] = {"xdotool", "mousemove", xs, ys, NULL};
    int status = -1;

    g_snprintf(xs, sizeof xs, "%d", x);
    g_snprintf(ys, sizeof ys, "%d", y);
    if (!g_spawn_sync(NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL,
                      NULL, &status, NULL))
        return FALSE;
    pump(50);
    return g_spawn_check_wait_status(status, NULL);
}

gboolean choose(GtkWidget *win, const char *name, const char *id)
{
    GtkWidget *c = find_typed(win, name, GTK_TYPE_COMBO_BOX);

    if (!usable(c) ||
        !gtk_combo_box_set_active_id(GTK_COMBO_BOX(c), id)) {
        fprintf(stderr, "cannot choose '%s' in '%s'\n", id, name);
        return FALSE;
    }
    pump(10);
    return TRUE;
}

/* The Server / Client buttons of the header bar's switcher. */
gboolean switch_mode(GtkWidget *win, const char *mode)
{
    GtkWidget *b = find_typed(win, mode, GTK_TYPE_TOGGLE_BUTTON);

    if (!usable(b))
        return FALSE;
    gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(b), TRUE);
    pump(50);
    return TRUE;
}

const char *label_text(GtkWidget *win, const char *name)
{
    GtkWidget *l = find_typed(win, name, GTK_TYPE_LABEL);
    return l ? gtk_label_get_text(GTK_LABEL(l)) : "";
}

gboolean has_error_mark(GtkWidget *win, const char *name)
{
    GtkWidget *w = find(win, name);
    return w && gtk_style_context_has_class(gtk_widget_get_style_context(w),
                                            "error");
}

/* ---- reading the log ---------------------------------------------------- */

void row_clear(Row *r)
{
    g_free(r->time);
    g_free(r->conn);
    g_free(r->event);
    g_free(r->peer);
    g_free(r->bytes);
    g_free(r->took);
    g_free(r->text);
    g_free(r->fg);
    memset(r, 0, sizeof *r);
}

GtkTreeModel *log_model(GtkWidget *win)
{
    GtkWidget *v = find_typed(win, "Log", GTK_TYPE_TREE_VIEW);
    return v ? gtk_tree_view_get_model(GTK_TREE_VIEW(v)) : NULL;
}

int log_rows(GtkWidget *win)
{
    GtkTreeModel *m = log_model(win);
    return m ? gtk_tree_model_iter_n_children(m, NULL) : 0;
}

/* The first row at or after index 'from' whose connection starts with
 * conn_prefix and whose event is event; its index, or -1. */
int log_find(GtkWidget *win, int from, const char *conn_prefix,
                    const char *event, Row *out)
{
    GtkTreeModel *m = log_model(win);
    GtkTreeIter it;
    int i = from < 0 ? 0 : from;

    /* Straight to 'from', then only the two columns compared until a
       match: the log may hold 10,000 rows and waits call this often. */
    if (!m || !gtk_tree_model_iter_nth_child(m, &it, NULL, i))
        return -1;
    do {
        char *conn = NULL, *ev = NULL;
        gboolean hit;
        gtk_tree_model_get(m, &it, HVG_LOG_COL_CONN, &conn,
                           HVG_LOG_COL_EVENT, &ev, -1);
        hit = g_str_has_prefix(conn ? conn : "", conn_prefix) &&
              g_strcmp0(ev, event) == 0;
        g_free(conn);
        g_free(ev);
        if (hit) {
            if (out) {
                Row r = {0};
                gtk_tree_model_get(m, &it, HVG_LOG_COL_TIME, &r.time,
                                   HVG_LOG_COL_CONN, &r.conn,
                                   HVG_LOG_COL_EVENT, &r.event,
                                   HVG_LOG_COL_PEER, &r.peer,
                                   HVG_LOG_COL_BYTES, &r.bytes,
                                   HVG_LOG_COL_TOOK, &r.took,
                                   HVG_LOG_COL_TEXT, &r.text,
                                   HVG_LOG_COL_FG, &r.fg,
                                   HVG_LOG_COL_WEIGHT, &r.weight, -1);
                *out = r;
            }
            return i;
        }
        i++;
    } while (gtk_tree_model_iter_next(m, &it));
    return -1;
}

typedef struct {
    GtkWidget *win;
    int from;
    const char *conn, *event;
} RowWait;

static gboolean row_there(gpointer data)
{
    RowWait *w = data;
    return log_find(w->win, w->from, w->conn, w->event, NULL) >= 0;
}

/* Waits until the log has that row (the window's server and client are
 * separate sessions: one may finish before the other's events are in). */
gboolean wait_row(GtkWidget *win, int from, const char *conn,
                         const char *event, int timeout_ms)
{
    RowWait w = {win, from, conn, event};
    return wait_for(row_there, &w, timeout_ms);
}

void dump_log(GtkWidget *win)
{
    GtkTreeModel *m = log_model(win);
    GtkTreeIter it;

    fprintf(stderr, "---- the window's log ----\n");
    if (!m || !gtk_tree_model_get_iter_first(m, &it))
        return;
    do {
        Row r = {0};
        gtk_tree_model_get(m, &it, HVG_LOG_COL_TIME, &r.time,
                           HVG_LOG_COL_CONN, &r.conn, HVG_LOG_COL_EVENT,
                           &r.event, HVG_LOG_COL_PEER, &r.peer,
                           HVG_LOG_COL_BYTES, &r.bytes, HVG_LOG_COL_TOOK,
                           &r.took, HVG_LOG_COL_TEXT, &r.text, -1);
        fprintf(stderr, "%s | %s | %s | %s | %s | %s | %s\n", r.time, r.conn,
                r.event, r.peer, r.bytes, r.took, r.text);
        row_clear(&r);
    } while (gtk_tree_model_iter_next(m, &it));
}

/* ---- waiting on what the window shows ----------------------------------- */

typedef struct {
    GtkWidget *win;
    const char *label;
    const char *prefix;
} LabelWait;

static gboolean label_has_prefix(gpointer data)
{
    LabelWait *w = data;
    return g_str_has_prefix(label_text(w->win, w->label), w->prefix);
}

gboolean wait_label(GtkWidget *win, const char *label,
                           const char *prefix, int timeout_ms)
{
    LabelWait w = {win, label, prefix};
    gboolean ok = wait_for(label_has_prefix, &w, timeout_ms);

    if (!ok)
        fprintf(stderr, "'%s' still reads '%s', not '%s...'\n", label,
                label_text(win, label), prefix);
    return ok;
}

gboolean client_finished(gpointer data)
{
    const char *s = label_text(data, "Client status");
    return g_str_has_prefix(s, "Done") || g_str_has_prefix(s, "Failed") ||
           g_str_has_prefix(s, "Cancelled");
}

/* The port the window's server listens on, read from its status line
 * ("Listening on tcp 127.0.0.1:40123 ..."). */
int listening_port(GtkWidget *win)
{
    const char *s = label_text(win, "Server status");
    const char *p = strstr(s, "127.0.0.1:");

    return p ? atoi(p + strlen("127.0.0.1:")) : 0;
}

/* A port nothing listens on: bound, read, closed. */
int free_port(void)
{
    struct sockaddr_in a = {0};
    socklen_t len = sizeof a;
    int fd = socket(AF_INET, SOCK_STREAM, 0), port = 0;

    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
        getsockname(fd, (struct sockaddr *)&a, &len) == 0)
        port = ntohs(a.sin_port);
    if (fd >= 0)
        close(fd);
    return port;
}

GtkWidget *the_window(void)
{
    GList *l = gtk_application_get_windows(app);
    return l ? GTK_WIDGET(l->data) : NULL;
}

gboolean is_mapped(gpointer data)
{
    return gtk_widget_get_mapped(GTK_WIDGET(data));
}

/* Server on tcp:127.0.0.1:0 (the system picks a free port), started from
 * the Server page. Returns the port, 0 on failure. */
int start_server(GtkWidget *win, const char *bye)
{
    if (!switch_mode(win, "Server") || !choose(win, "Listen on", "tcp") ||
        !type_into(win, "Listen address", "127.0.0.1:0") ||
        (bye && !type_into(win, "Bye message", bye)) ||
        !click(win, "Start Server"))
        return 0;
    if (!wait_label(win, "Server status", "Listening on", 5000))
        return 0;
    return listening_port(win);
}

gboolean send_to(GtkWidget *win, int port, const char *message)
{
    char target[64];

    g_snprintf(target, sizeof target, "127.0.0.1:%d", port);
    return switch_mode(win, "Client") && choose(win, "Target kind", "tcp") &&
           type_into(win, "Target address", target) &&
           (!message || type_into(win, "Message to send", message)) &&
           click(win, "Send") && wait_for(client_finished, win, 20000);
}

static gboolean tooltip_shown(gpointer data)
{
    GList *l = gtk_window_list_toplevels(), *i;
    gboolean shown = FALSE;

    (void)data;
    for (i = l; i; i = i->next)
        if (gtk_widget_get_visible(i->data) &&
            gtk_window_get_type_hint(i->data) ==
                GDK_WINDOW_TYPE_HINT_TOOLTIP)
            shown = TRUE;
    g_list_free(l);
    return shown;
}

static gboolean no_tooltip(gpointer data)
{
    return !tooltip_shown(data);
}

void save_screenshot(GtkWidget *win, const char *path)
{
    GdkWindow *gw = gtk_widget_get_window(win);
    GdkPixbuf *pb;
    GError *e = NULL;
    GdkRectangle screen;
    int x, y;

    /* The pointer off the window (Xvfb starts it mid-screen, over the
       log), so no tooltip covers rows in the picture. */
    gdk_monitor_get_geometry(
        gdk_display_get_monitor_at_window(gdk_window_get_display(gw), gw),
        &screen);
    gdk_window_get_origin(gw, &x, &y);
    if (x + gdk_window_get_width(gw) < screen.width - 1)
        mouse_to(screen.width - 1, y + 1);
    else
        mouse_to(x + 1, screen.height - 1);
    CHECK(wait_for(no_tooltip, NULL, 5000), "a tooltip stays shown");
    pump(400); /* let the last rows and the status line draw */
    CHECK(!tooltip_shown(NULL), "a tooltip came back for the screenshot");
    pb = gdk_pixbuf_get_from_window(gw, 0, 0, gdk_window_get_width(gw),
                                    gdk_window_get_height(gw));
    CHECK(pb != NULL, "no pixels from the window");
    if (!pb)
        return;
    CHECK(gdk_pixbuf_save(pb, path, "png", &e, NULL), "saving %s: %s", path,
          e ? e->message : "?");
    g_clear_error(&e);
    g_object_unref(pb);
    printf("screenshot: %s\n", path);
}

GtkWidget *find_toplevel(GType type)
{
    GList *l = gtk_window_list_toplevels(), *i;
    GtkWidget *w = NULL;

    for (i = l; i && !w; i = i->next)
        if (g_type_is_a(G_OBJECT_TYPE(i->data), type) &&
            gtk_widget_get_visible(i->data))
            w = i->data;
    g_list_free(l);
    return w;
}

gboolean about_shown(gpointer data)
{
    (void)data;
    return find_toplevel(GTK_TYPE_ABOUT_DIALOG) != NULL;
}

gboolean save_dialog_shown(gpointer data)
{
    (void)data;
    return find_toplevel(GTK_TYPE_FILE_CHOOSER_DIALOG) != NULL;
}

/* Opens the header bar's menu and picks an item, as a person does. */
gboolean menu_item(GtkWidget *win, const char *item)
{
    GtkWidget *m = find_typed(win, "Main menu", GTK_TYPE_MENU_BUTTON);

    if (!usable(m))
        return FALSE;
    gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(m), TRUE);
    pump(200);
    return click(win, item);
}

typedef struct {
    GtkWidget *dlg;
    const char *dir;
} FolderWait;

static gboolean folder_is(gpointer data)
{
    FolderWait *f = data;
    char *now = gtk_file_chooser_get_current_folder(GTK_FILE_CHOOSER(f->dlg));
    gboolean ok = g_strcmp0(now, f->dir) == 0;

    g_free(now);
    return ok;
}

static gboolean file_there(gpointer data)
{
    return g_file_test(data, G_FILE_TEST_EXISTS);
}

gboolean save_log_as(GtkWidget *win, const char *path)
{
    char *dir = g_path_get_dirname(path), *base = g_path_get_basename(path);
    GtkWidget *dlg;
    FolderWait f;
    gboolean ok = FALSE;

    g_unlink(path);
    if (!click(win, "Save log") || !wait_for(save_dialog_shown, NULL, 5000))
        goto out;
    dlg = find_toplevel(GTK_TYPE_FILE_CHOOSER_DIALOG);
    /* The chooser loads a folder asynchronously: wait until it is there
       before typing the name, as a person would. */
    gtk_file_chooser_set_current_folder(GTK_FILE_CHOOSER(dlg), dir);
    f.dlg = dlg;
    f.dir = dir;
    if (!wait_for(folder_is, &f, 5000))
        goto out;
    gtk_file_chooser_set_current_name(GTK_FILE_CHOOSER(dlg), base);
    pump(100);
    gtk_dialog_response(GTK_DIALOG(dlg), GTK_RESPONSE_ACCEPT);
    ok = wait_for(file_there, (gpointer)path, 5000);
    pump(100);
out:
    g_free(dir);
    g_free(base);
    return ok;
}
