/* driver.h - what the GUI test cases use to drive the real hvecho window
 * as a person would: find a control by its accessible name, click, type,
 * choose, press real keys (XTEST), read the log rows and labels back, and
 * wait by iterating the main loop (bounded by a timeout).
 *
 * Threads: the GTK main thread only. */
#ifndef HVG_TEST_DRIVER_H
#define HVG_TEST_DRIVER_H

#include <stdio.h>

#include <gtk/gtk.h>

extern const char *opt_cli;  /* --cli: the hvecho command line */
extern const char *opt_shot; /* --shot: where to save a screenshot */
extern int failures;
extern GtkApplication *app;

#define CHECK(cond, ...)                                                   \
    do {                                                                   \
        if (!(cond)) {                                                     \
            fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                  \
            fputc('\n', stderr);                                           \
            failures++;                                                    \
        }                                                                  \
    } while (0)

/* A failed REQUIRE ends the case: later steps would only add noise. */
#define REQUIRE(cond, ...)                                                 \
    do {                                                                   \
        gboolean req_ok_ = (cond);                                         \
        CHECK(req_ok_, __VA_ARGS__);                                       \
        if (!req_ok_)                                                      \
            return;                                                        \
    } while (0)

/* ---- the main loop ---- */
typedef gboolean (*cond_fn)(gpointer data);
/* Runs the main loop until cond(data) or timeout_ms; cond's last value. */
gboolean wait_for(cond_fn cond, gpointer data, int timeout_ms);
/* Lets the window settle (draw, handle pending events) for ms. */
void pump(int ms);

/* ---- controls ---- */
const char *acc_name(GtkWidget *w);
GtkWidget *find_typed(GtkWidget *root, const char *name, GType type);
GtkWidget *find(GtkWidget *root, const char *name);
gboolean usable(GtkWidget *w);
gboolean click(GtkWidget *win, const char *name);
gboolean type_into(GtkWidget *win, const char *name, const char *text);
gboolean press_keys(const char *keys);
/* The pointer to screen position x, y (XTEST, as a mouse moves). */
gboolean mouse_to(int x, int y);
gboolean choose(GtkWidget *win, const char *name, const char *id);
gboolean switch_mode(GtkWidget *win, const char *mode);
const char *label_text(GtkWidget *win, const char *name);
gboolean has_error_mark(GtkWidget *win, const char *name);
GtkWidget *find_toplevel(GType type);
gboolean about_shown(gpointer data);
gboolean save_dialog_shown(gpointer data);
gboolean menu_item(GtkWidget *win, const char *item);
GtkWidget *the_window(void);
gboolean is_mapped(gpointer data);

/* ---- the log ---- */
typedef struct {
    char *time, *conn, *event, *peer, *bytes, *took, *text, *fg;
    int weight;
} Row;

void row_clear(Row *r);
GtkTreeModel *log_model(GtkWidget *win);
int log_rows(GtkWidget *win);
/* The first row at or after index 'from' whose connection starts with
 * conn_prefix and whose event is event; its index, or -1. */
int log_find(GtkWidget *win, int from, const char *conn_prefix,
             const char *event, Row *out);
gboolean wait_row(GtkWidget *win, int from, const char *conn,
                  const char *event, int timeout_ms);
void dump_log(GtkWidget *win);

/* ---- what the window shows; the peers ---- */
gboolean wait_label(GtkWidget *win, const char *label, const char *prefix,
                    int timeout_ms);
gboolean client_finished(gpointer data);
int listening_port(GtkWidget *win);
int free_port(void);
int start_server(GtkWidget *win, const char *bye);
gboolean send_to(GtkWidget *win, int port, const char *message);
void save_screenshot(GtkWidget *win, const char *path);
/* Save log, through its dialog, to path (the name's ending picks the
 * format); TRUE once the file is there. */
gboolean save_log_as(GtkWidget *win, const char *path);

#endif
