/* window.c - HvgWindow: the controls of window.ui, what each one does, and
 * how session events show up in them.
 *
 * Threads: GTK main thread only. Socket work happens in core sessions on
 * worker threads; their events reach server_event()/client_event() here
 * through run.c's idle drain, on this thread.
 *
 * Input is parsed with the core (hve_target_parse, hve_listen_parse,
 * hve_service_parse, for hve_platform_native()) as the user types: a bad
 * field gets the "error" style class and a reason beside it, and nothing
 * is started while any field is bad. */
#include "window.h"

#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "clients.h"
#include "hvecho/hvecho.h"
#include "logview.h"
#include "run.h"
#include "settings.h"

/* Largest message the Fill to field accepts. */
#define FILL_MAX ((guint64)1 << 30)
/* Longest pause the Interval field accepts: an hour. */
#define INTERVAL_MAX_US ((gint64)3600 * 1000000)

/* The Listen on and Target lists are the core's for this platform
 * (hve_ui_kinds, ui_text.h): their words, hints and what each kind
 * needs, the same as the Win32 dialog's. Room for every kind. */
#define KINDS_MAX 16

struct _HvgWindow {
    GtkApplicationWindow parent;

    /* template children */
    GtkWidget *header, *mode_switcher, *menu_button, *mode_stack;
    GtkWidget *info_bar, *info_title, *info_hint;
    GtkWidget *listen_combo, *listen_history, *listen_entry, *listen_info;
    GtkWidget *server_service_entry, *server_service_info, *bye_entry;
    GtkWidget *start_button, *stop_button, *server_status;
    GtkWidget *target_combo, *target_history, *target_entry, *target_info;
    GtkWidget *client_service_entry, *client_service_info;
    GtkWidget *message_view, *timeout_spin, *repeat_spin, *fill_entry;
    GtkWidget *escapes_check, *send_button, *cancel_button, *client_status;
    GtkWidget *forever_check, *interval_entry, *keep_going_check;
    GtkWidget *client_figures, *message_size;
    GtkWidget *timeout_label, *repeat_label, *interval_label, *fill_label;
    GtkWidget *chart_tab, *details_tab, *clients_tab;
    GtkWidget *log_paned, *side_book, *chart_area, *detail_view;
    GtkWidget *clients_view, *clients_status;
    GtkWidget *clear_button, *copy_button, *save_button, *log_scroll;
    GtkWidget *log_view, *log_status;

    HvgLog *log;
    gboolean log_follow;        /* keep the newest row in view */
    gboolean log_following_set; /* log_adj_changed_cb is scrolling */
    gboolean settings_saved;

    /* The value typed for each kind, so switching kinds keeps them. */
    char *listen_vals[KINDS_MAX];
    char *target_vals[KINDS_MAX];
    int listen_kind, target_kind;
    gboolean applying;       /* set_entry_quietly at work */

    HvgRun *server;
    char *server_where;      /* the LISTENING detail */
    guint64 server_conns;    /* accepted so far */
    gboolean server_stopping;

    HvgClients *clients;

    HvgRun *client;
    unsigned next_round;     /* client numbers go on across Sends */
    hve_stats *stats;        /* the current (or last) client run's figures */
    HvgChart *chart;
    guint figures_timer;     /* the live line while a client runs */
    hve_history *history;    /* targets and listen addresses used */
    hve_ui_run client_run;   /* what the outcome line follows */
    gboolean client_error_shown;
    /* The log's status follows the events at most once a frame (a
     * label's new text lays the window out again, and the merged rows'
     * count changes with every data event): the tick writes it. */
    guint status_tick;
};

G_DEFINE_TYPE(HvgWindow, hvg_window, GTK_TYPE_APPLICATION_WINDOW)

/* ---- small helpers ---------------------------------------------------- */

static void set_class(GtkWidget *w, const char *cls, gboolean on)
{
    GtkStyleContext *sc = gtk_widget_get_style_context(w);

    if (on)
        gtk_style_context_add_class(sc, cls);
    else
        gtk_style_context_remove_class(sc, cls);
}

/* The reason or explanation line under a field. kind: 0 info, 1 warning,
 * 2 error. */
static void set_info(GtkWidget *label, const char *text, int kind)
{
    gtk_label_set_text(GTK_LABEL(label), text ? text : "");
    set_class(label, "hvg-warning", kind == 1);
    set_class(label, "hvg-error", kind == 2);
}

static void show_info_bar(HvgWindow *self, GtkMessageType type,
                          const char *title, const char *hint)
{
    gtk_info_bar_set_message_type(GTK_INFO_BAR(self->info_bar), type);
    gtk_label_set_text(GTK_LABEL(self->info_title), title);
    gtk_label_set_text(GTK_LABEL(self->info_hint), hint ? hint : "");
    gtk_widget_set_visible(self->info_hint, hint && *hint);
    gtk_info_bar_set_revealed(GTK_INFO_BAR(self->info_bar), TRUE);
}

static void hide_info_bar(HvgWindow *self)
{
    gtk_info_bar_set_revealed(GTK_INFO_BAR(self->info_bar), FALSE);
}

static void show_error(HvgWindow *self, int err, const char *detail)
{
    char *title = detail && *detail
                      ? g_strdup_printf("%s: %s", hve_strerror(err), detail)
                      : g_strdup(hve_strerror(err));

    show_info_bar(self, GTK_MESSAGE_ERROR, title,
                  hve_hint_in(err, HVE_WORDS_WINDOW));
    g_free(title);
}

static char *entry_text(GtkWidget *e)
{
    return g_strstrip(g_strdup(gtk_entry_get_text(GTK_ENTRY(e))));
}

/* The kind picked in a list (the first while none is). */
static const hve_ui_kind_text *kind_of(HvgWindow *self, gboolean listen)
{
    return hve_ui_kind_at(hve_platform_native(), listen,
                          listen ? self->listen_kind : self->target_kind);
}

/* The log follows its newest row while the view is at the bottom: when
 * rows arrive, and when the pane shrinks (a banner slides in above it).
 * Scrolling up stops that; scrolling back to the bottom starts it again. */
static void log_adj_value_cb(GtkAdjustment *adj, HvgWindow *self)
{
    double bottom = gtk_adjustment_get_upper(adj) -
                    gtk_adjustment_get_page_size(adj);

    if (!self->log_following_set)
        self->log_follow = gtk_adjustment_get_value(adj) >= bottom - 4;
}

static void log_adj_changed_cb(GtkAdjustment *adj, HvgWindow *self)
{
    if (self->log_follow) {
        self->log_following_set = TRUE;
        gtk_adjustment_set_value(adj, gtk_adjustment_get_upper(adj) -
                                          gtk_adjustment_get_page_size(adj));
        self->log_following_set = FALSE;
    }
}

/* What the log did not show row by row, in the core's words ("1,250 echo
 * rows not shown: 1,250 handshakes verified; 29,003 oldest rows removed
 * (the log keeps the newest 10,000)"). Its whole text is the label's
 * tooltip (log_status_tooltip_cb) and its accessible description. */
static void update_log_status(HvgWindow *self)
{
    char t[512];

    hvg_log_status(self->log, t, sizeof t);
    if (strcmp(t, gtk_label_get_text(GTK_LABEL(self->log_status))) != 0) {
        gtk_label_set_text(GTK_LABEL(self->log_status), t);
        atk_object_set_description(gtk_widget_get_accessible(self->log_status),
                                   t);
    }
}

/* The tooltip asked for when it is shown, not set at each change: on X,
 * setting one makes GTK query the pointer (three round trips to the X
 * server, XIQueryPointer, XSync and XTranslateCoordinates, each waiting
 * for the server to be given a CPU), and the text changes up to once a
 * frame during a run. */
static gboolean log_status_tooltip_cb(GtkWidget *w, int x, int y,
                                      gboolean kbd, GtkTooltip *tip,
                                      gpointer data)
{
    const char *t = gtk_label_get_text(GTK_LABEL(w));

    (void)x;
    (void)y;
    (void)kbd;
    (void)data;
    if (!*t)
        return FALSE;
    gtk_tooltip_set_text(tip, t);
    return TRUE;
}

/* ---- parsing the fields ------------------------------------------------ */

/* Does the chosen listen address / target use the Service field? TCP and
 * Unix sockets have no service. */
static gboolean service_used(HvgWindow *self, GtkWidget *entry)
{
    /* hybrid vsock takes its port from the Service when the address
       has none */
    return kind_of(self, entry == self->server_service_entry)->uses_service;
}

/* Service field: empty means the default. Fills the info line beside it
 * with the other form ("port 0x... = GUID") and any Linux warning. Where
 * the transport does not use the service, a bad one is said quietly and
 * not marked: it must not block a TCP or Unix socket run. */
static gboolean parse_service(HvgWindow *self, GtkWidget *entry,
                              GtkWidget *info, hve_service *svc,
                              char *why, size_t whylen)
{
    char *text = entry_text(entry);
    char desc[160];
    gboolean ok = TRUE, used = service_used(self, entry);

    if (*text == '\0') {
        hve_service_default(svc);
    } else if (hve_service_parse(text, hve_platform_native(), svc, why,
                                 whylen) != 0) {
        ok = FALSE;
    }
    g_free(text);
    set_class(entry, "error", !ok && used);
    if (!ok) {
        if (used) {
            set_info(info, why, 2);
        } else {
            char t[512];
            set_info(info, hve_ui_service_unused_bad(why, t, sizeof t), 0);
        }
        return FALSE;
    }
    hve_service_describe(svc, desc, sizeof desc);
    {
        const char *warn = hve_service_linux_warning(svc);
        if (warn && used) {
            char *t = g_strdup_printf("%s \xe2\x80\x94 %s", desc, warn);
            set_info(info, t, 1);
            g_free(t);
        } else if (!used) {
            char *t = g_strdup_printf("%s %s", desc,
                                      hve_ui_text(HVE_UI_SERVICE_UNUSED));
            set_info(info, t, 0);
            g_free(t);
        } else {
            set_info(info, desc, 0);
        }
    }
    return TRUE;
}

/* The service for a run: checked only where the transport uses it (else
 * the default, which nothing reads). */
static gboolean run_service(HvgWindow *self, GtkWidget *entry,
                            GtkWidget *info, hve_service *svc, char *why,
                            size_t whylen)
{
    gboolean ok = parse_service(self, entry, info, svc, why, whylen);

    if (!ok && !service_used(self, entry)) {
        hve_service_default(svc);
        ok = TRUE;
    }
    return ok;
}

/* "Connects to vsock cid 1 (loopback)", with a warning when CID 1 needs
 * a transport this machine has not loaded (the module list only: nothing
 * is opened). */
static void describe_addr(GtkWidget *info, const char *verb,
                          const hve_addr *addr)
{
    char desc[HVE_HOST_MAX + 64], *t;

    hve_addr_format(addr, NULL, desc, sizeof desc);
    if (addr->family == HVE_FAM_VSOCK && addr->cid == HVE_CID_LOCAL &&
        !hve_vm_loopback_available()) {
        t = g_strdup_printf("%s %s \xe2\x80\x94 %s; %s", verb, desc,
                            hve_strerror(HVE_ENOLOOPBACK),
                            hve_hint_in(HVE_ENOLOOPBACK, HVE_WORDS_WINDOW));
        set_info(info, t, 1);
    } else {
        t = g_strdup_printf("%s %s", verb, desc);
        set_info(info, t, 0);
    }
    g_free(t);
}

static gboolean parse_listen(HvgWindow *self, hve_addr *addr, char *why,
                             size_t whylen)
{
    char *val = entry_text(self->listen_entry);
    size_t len = strlen(val) + 32;
    char *text = g_malloc(len);
    gboolean ok;

    /* the kind's prefix and the value (typed with the prefix or not) */
    hve_ui_kind_address(kind_of(self, TRUE), val, text, len);
    ok = hve_listen_parse(text, hve_platform_native(), addr, why, whylen) ==
         0;
    g_free(text);
    g_free(val);
    set_class(self->listen_entry, "error", !ok);
    if (!ok) {
        set_info(self->listen_info, why, 2);
    } else {
        describe_addr(self->listen_info, hve_ui_text(HVE_UI_LISTENS_ON),
                      addr);
    }
    return ok;
}

static gboolean parse_target(HvgWindow *self, hve_addr *addr, char *why,
                             size_t whylen)
{
    char *val = entry_text(self->target_entry);
    size_t len = strlen(val) + 32;
    char *text = g_malloc(len);
    const char *missing = hve_ui_kind_missing(kind_of(self, FALSE), val);
    gboolean ok;

    hve_ui_kind_address(kind_of(self, FALSE), val, text, len);
    if (missing) {
        g_strlcpy(why, missing, whylen);
        ok = FALSE;
    } else {
        ok = hve_target_parse(text, hve_platform_native(), addr, why,
                              whylen) == 0;
    }
    g_free(text);
    g_free(val);
    set_class(self->target_entry, "error", !ok);
    if (!ok) {
        set_info(self->target_info, why, 2);
    } else {
        describe_addr(self->target_info, hve_ui_text(HVE_UI_CONNECTS_TO),
                      addr);
    }
    return ok;
}

/* "", "4096", "64K", "256M", "1GiB": empty is 0 (no fill). */
static gboolean parse_size(const char *text, guint64 *out)
{
    g_autofree char *t = g_strstrip(g_strdup(text));
    uint64_t v = 0;

    if (*t != '\0' && !hve_size_parse(t, FILL_MAX, &v))
        return FALSE;
    *out = v;
    return TRUE;
}

static gboolean parse_fill(HvgWindow *self, guint64 *out)
{
    gboolean ok = parse_size(gtk_entry_get_text(GTK_ENTRY(self->fill_entry)),
                             out);

    set_class(self->fill_entry, "error", !ok);
    return ok;
}

/* "", "250ms", "1.5s", "2": empty is no pause. */
static gboolean parse_interval(HvgWindow *self, gint64 *out_us)
{
    g_autofree char *t = entry_text(self->interval_entry);
    int64_t v = 0;
    gboolean ok = *t == '\0' || hve_duration_parse(t, INTERVAL_MAX_US, &v);

    set_class(self->interval_entry, "error", !ok);
    *out_us = ok ? v : 0;
    return ok;
}

static void interval_changed_cb(GtkWidget *entry, HvgWindow *self)
{
    gint64 v;

    (void)entry;
    parse_interval(self, &v);
}

/* Until stopped: the count does not apply. */
static void forever_toggled_cb(GtkToggleButton *b, HvgWindow *self)
{
    gtk_widget_set_sensitive(self->repeat_spin,
                             !gtk_toggle_button_get_active(b));
}

/* ---- kinds: combo + value entry ---------------------------------------- */

/* Puts a kind's remembered value in its entry without the "changed"
 * handlers storing the intermediate texts (set_text deletes, then
 * inserts). */
static void set_entry_quietly(HvgWindow *self, GtkWidget *entry,
                              const char *val)
{
    char *v = g_strdup(val ? val : "");

    self->applying = TRUE;
    gtk_entry_set_text(GTK_ENTRY(entry), v);
    self->applying = FALSE;
    g_free(v);
}

/* ---- history: the addresses last used, per kind ---------------------- */

/* "listen.tcp", "target.guid", ...; NULL for kinds without a value. */
static const char *history_kind(HvgWindow *self, gboolean listen, char *buf,
                                size_t len)
{
    const hve_ui_kind_text *k = kind_of(self, listen);

    if ((listen ? self->listen_kind : self->target_kind) < 0 || !k->prefix)
        return NULL;
    g_snprintf(buf, len, "%s.%s", listen ? "listen" : "target", k->id);
    return buf;
}

/* The field's dropdown: the kind's history, newest first. */
static void fill_history(HvgWindow *self, gboolean listen)
{
    GtkComboBoxText *box = GTK_COMBO_BOX_TEXT(listen ? self->listen_history
                                                     : self->target_history);
    char kb[32];
    const char *kind = history_kind(self, listen, kb, sizeof kb);

    gtk_combo_box_text_remove_all(box);
    for (size_t i = 0; kind && self->history &&
                       i < hve_history_count(self->history, kind);
         i++)
        gtk_combo_box_text_append_text(box,
                                       hve_history_get(self->history, kind,
                                                       i));
}

/* A value was used (a Send, a Start): it becomes the newest. */
static void remember(HvgWindow *self, gboolean listen)
{
    char kb[32];
    const char *kind = history_kind(self, listen, kb, sizeof kb);
    char *val = entry_text(listen ? self->listen_entry : self->target_entry);

    if (kind && *val && self->history &&
        hve_history_add(self->history, kind, val))
        fill_history(self, listen);
    g_free(val);
}

/* A kind picked: its hint, its remembered value, its history. */
static void apply_kind(HvgWindow *self, gboolean listen, int kind)
{
    GtkWidget *entry = listen ? self->listen_entry : self->target_entry;
    const hve_ui_kind_text *k;

    if (listen)
        self->listen_kind = kind;
    else
        self->target_kind = kind;
    k = kind_of(self, listen);
    gtk_entry_set_placeholder_text(GTK_ENTRY(entry), k->hint);
    set_entry_quietly(self, entry,
                      listen ? self->listen_vals[kind]
                             : self->target_vals[kind]);
    gtk_widget_set_visible(listen ? self->listen_history
                                  : self->target_history,
                           k->prefix != NULL);
    fill_history(self, listen);
}

static void service_changed_cb(GtkWidget *entry, HvgWindow *self)
{
    hve_service svc;
    char why[256];

    parse_service(self, entry,
                  entry == self->server_service_entry
                      ? self->server_service_info
                      : self->client_service_info,
                  &svc, why, sizeof why);
}

static void listen_changed_cb(GtkWidget *w, HvgWindow *self)
{
    hve_addr a;
    char why[256];

    if (w == self->listen_combo) {
        const char *id =
            gtk_combo_box_get_active_id(GTK_COMBO_BOX(self->listen_combo));
        int kind = (int)hve_ui_kind_index(hve_platform_native(), TRUE, id);
        if (kind != self->listen_kind) {
            apply_kind(self, TRUE, kind);
            service_changed_cb(self->server_service_entry, self);
        }
    } else if (!self->applying && self->listen_kind >= 0) {
        g_free(self->listen_vals[self->listen_kind]);
        self->listen_vals[self->listen_kind] =
            g_strdup(gtk_entry_get_text(GTK_ENTRY(self->listen_entry)));
    }
    parse_listen(self, &a, why, sizeof why);
}

static void target_changed_cb(GtkWidget *w, HvgWindow *self)
{
    hve_addr a;
    char why[256];

    if (w == self->target_combo) {
        const char *id =
            gtk_combo_box_get_active_id(GTK_COMBO_BOX(self->target_combo));
        int kind = (int)hve_ui_kind_index(hve_platform_native(), FALSE, id);
        if (kind != self->target_kind) {
            apply_kind(self, FALSE, kind);
            service_changed_cb(self->client_service_entry, self);
        }
    } else if (!self->applying && self->target_kind >= 0) {
        g_free(self->target_vals[self->target_kind]);
        self->target_vals[self->target_kind] =
            g_strdup(gtk_entry_get_text(GTK_ENTRY(self->target_entry)));
    }
    parse_target(self, &a, why, sizeof why);
}


static guint8 *message_bytes(HvgWindow *self, size_t *len, char *why,
                             size_t whylen);

/* What Send will send, in the core's words ("sends 14 bytes"), beside
 * Fill to; the reason when the message or the size is not valid. */
static void show_message_size(HvgWindow *self)
{
    char why[256], t[300];
    guint64 fill;
    size_t len = 0;
    guint8 *msg;

    if (!parse_fill(self, &fill)) {
        g_snprintf(t, sizeof t, "%s: %s", hve_ui_text(HVE_UI_FILL_BAD),
                   hve_ui_text(HVE_UI_FILL_WHY));
        set_info(self->message_size, t, 2);
        return;
    }
    msg = message_bytes(self, &len, why, sizeof why);
    if (!msg) {
        set_info(self->message_size, why, 2);
        return;
    }
    g_free(msg);
    set_info(self->message_size, hve_ui_message_size(len, fill, t, sizeof t),
             0);
}

static void fill_changed_cb(GtkWidget *entry, HvgWindow *self)
{
    (void)entry;
    show_message_size(self);
}

/* The message or Decode changed. */
static void message_changed_cb(GObject *obj, HvgWindow *self)
{
    (void)obj;
    show_message_size(self);
}

/* ---- server ------------------------------------------------------------ */

static void server_update_status(HvgWindow *self)
{
    char *t;

    if (!self->server) {
        return;
    }
    if (self->server_stopping) {
        t = g_strdup(hve_ui_text(HVE_UI_STOPPING));
    } else if (!self->server_where) {
        t = g_strdup(hve_ui_text(HVE_UI_STARTING));
    } else {
        /* The core's count of open connections, not one of our own. */
        char line[512];
        unsigned open = hvg_run_conn_count(self->server);
        t = g_strdup(hve_ui_server_status(self->server_where, open,
                                          self->server_conns, line,
                                          sizeof line));
    }
    /* the same text again would still lay the window out */
    if (strcmp(t, gtk_label_get_text(GTK_LABEL(self->server_status))) != 0)
        gtk_label_set_text(GTK_LABEL(self->server_status), t);
    g_free(t);
}

static gboolean status_tick_cb(GtkWidget *w, GdkFrameClock *fc,
                               gpointer data)
{
    HvgWindow *self = data;

    (void)w;
    (void)fc;
    self->status_tick = 0;
    update_log_status(self);
    return G_SOURCE_REMOVE;
}

/* The log's status at the next frame (an event's update). */
static void log_status_later(HvgWindow *self)
{
    if (!self->status_tick)
        self->status_tick = gtk_widget_add_tick_callback(
            GTK_WIDGET(self), status_tick_cb, self, NULL);
}

static void server_set_running(HvgWindow *self, gboolean running)
{
    gtk_widget_set_sensitive(self->start_button, !running);
    gtk_widget_set_sensitive(self->stop_button, running);
    gtk_widget_set_sensitive(self->listen_combo, !running);
    gtk_widget_set_sensitive(self->listen_entry, !running);
    gtk_widget_set_sensitive(self->server_service_entry, !running);
    gtk_widget_set_sensitive(self->bye_entry, !running);
}

static void server_event(HvgRun *run, const hve_event *ev, gpointer user)
{
    HvgWindow *self = user;

    hvg_log_add_event(self->log, hvg_run_start_wall(run), ev);
    log_status_later(self);
    switch (ev->kind) {
    case HVE_EV_LISTENING:
        g_free(self->server_where);
        self->server_where = g_strdup(*ev->detail ? ev->detail : "?");
        break;
    case HVE_EV_ACCEPTED:
        self->server_conns++;
        hvg_clients_poke(self->clients);
        break;
    case HVE_EV_CLOSED:
        hvg_clients_poke(self->clients);
        break;
    case HVE_EV_ERROR:
        /* A listen failure stops the server: say why. One client's
           trouble stays in the log. */
        if (ev->conn == 0)
            show_error(self, ev->err, ev->detail);
        break;
    case HVE_EV_FINISHED: {
        char t[300];
        if (ev->err && ev->err != HVE_ECANCELED &&
            !gtk_info_bar_get_revealed(GTK_INFO_BAR(self->info_bar)))
            show_error(self, ev->err, ev->detail);
        gtk_label_set_text(GTK_LABEL(self->server_status),
                           hve_ui_server_stopped(ev->err, self->server_conns,
                                                 t, sizeof t));
        hvg_clients_follow(self->clients, NULL);
        hvg_run_free(self->server);
        self->server = NULL;
        self->server_stopping = FALSE;
        server_set_running(self, FALSE);
        return;
    }
    default:
        break;
    }
    server_update_status(self);
}

static void start_clicked_cb(GtkWidget *w, HvgWindow *self)
{
    hve_server_opts o = {0};
    char why[256], *bye;
    int err = 0;

    (void)w;
    if (self->server)
        return;
    if (!parse_listen(self, &o.listen, why, sizeof why)) {
        show_info_bar(self, GTK_MESSAGE_ERROR, hve_ui_text(HVE_UI_LISTEN_BAD),
                      why);
        gtk_widget_grab_focus(self->listen_entry);
        return;
    }
    if (!run_service(self, self->server_service_entry,
                     self->server_service_info, &o.service, why,
                     sizeof why)) {
        show_info_bar(self, GTK_MESSAGE_ERROR,
                      hve_ui_text(HVE_UI_SERVICE_BAD), why);
        gtk_widget_grab_focus(self->server_service_entry);
        return;
    }
    hide_info_bar(self);
    bye = g_strdup(gtk_entry_get_text(GTK_ENTRY(self->bye_entry)));
    o.bye = bye;
    o.bye_len = strlen(bye);
    /* Per-read data events let the log show what clients sent; the log
       merges them into one row per connection and direction. */
    o.data_events = TRUE;
    self->server_conns = 0;
    g_clear_pointer(&self->server_where, g_free);
    self->server = hvg_run_start_server(&o, server_event, self, &err);
    g_free(bye);
    if (!self->server) {
        show_error(self, err, NULL);
        return;
    }
    remember(self, TRUE);
    hvg_clients_follow(self->clients, self->server);
    server_set_running(self, TRUE);
    server_update_status(self);
}

static void stop_server(HvgWindow *self)
{
    if (!self->server || self->server_stopping)
        return;
    self->server_stopping = TRUE;
    gtk_widget_set_sensitive(self->stop_button, FALSE);
    hvg_run_stop(self->server); /* returns at once; FINISHED follows */
    server_update_status(self);
}

static void stop_confirm_cb(GtkDialog *dlg, int response, HvgWindow *self)
{
    gtk_widget_destroy(GTK_WIDGET(dlg));
    if (response == GTK_RESPONSE_ACCEPT && self->server &&
        !self->server_stopping) {
        char t[200];
        unsigned open = hvg_run_conn_count(self->server);
        if (open > 0) {
            hvg_log_add_note(self->log, HVG_LOG_SERVER, "stopping",
                             hve_ui_stop_note(open, t, sizeof t), FALSE);
            update_log_status(self);
        }
        stop_server(self);
    }
}

/* With clients connected, Stop Server says how many it will close and
 * asks first. */
static void stop_clicked_cb(GtkWidget *w, HvgWindow *self)
{
    unsigned open = hvg_run_conn_count(self->server);
    GtkWidget *dlg, *stop;

    (void)w;
    if (!self->server || self->server_stopping)
        return;
    if (open == 0) {
        stop_server(self);
        return;
    }
    dlg = gtk_message_dialog_new(GTK_WINDOW(self), GTK_DIALOG_MODAL |
                                 GTK_DIALOG_DESTROY_WITH_PARENT,
                                 GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE,
                                 "%s", hve_ui_text(HVE_UI_STOP_QUESTION));
    {
        char detail[100], label[64];
        gtk_message_dialog_format_secondary_text(
            GTK_MESSAGE_DIALOG(dlg), "%s",
            hve_ui_stop_detail(open, detail, sizeof detail));
        gtk_window_set_title(GTK_WINDOW(dlg),
                             hve_ui_text(HVE_UI_STOP_TITLE));
        gtk_dialog_add_button(GTK_DIALOG(dlg), "_Cancel",
                              GTK_RESPONSE_CANCEL);
        stop = gtk_dialog_add_button(
            GTK_DIALOG(dlg),
            hve_ui_mnemonic(hve_ui_text(HVE_UI_STOP_TITLE), 's', '_', label,
                            sizeof label),
            GTK_RESPONSE_ACCEPT);
    }
    gtk_style_context_add_class(gtk_widget_get_style_context(stop),
                                "destructive-action");
    gtk_dialog_set_default_response(GTK_DIALOG(dlg), GTK_RESPONSE_CANCEL);
    g_signal_connect(dlg, "response", G_CALLBACK(stop_confirm_cb), self);
    gtk_widget_show(dlg);
}

/* ---- client ------------------------------------------------------------ */

static void client_set_running(HvgWindow *self, gboolean running)
{
    gtk_widget_set_sensitive(self->send_button, !running);
    gtk_widget_set_sensitive(self->cancel_button, running);
}

/* The live line of a client run: done/failed, rate, round trips, MB/s. */
static void show_figures(HvgWindow *self, hve_stats_style style)
{
    char line[512];

    hve_stats_format(self->stats, style, line, sizeof line);
    gtk_label_set_text(GTK_LABEL(self->client_figures), line);
}

static gboolean figures_tick(gpointer data)
{
    HvgWindow *self = data;

    if (hve_stats_done(self->stats) + hve_stats_failed(self->stats) > 0)
        show_figures(self, HVE_STATS_LIVE);
    return G_SOURCE_CONTINUE;
}

static void client_event(HvgRun *run, const hve_event *ev, gpointer user)
{
    HvgWindow *self = user;
    char t[HVE_HOST_MAX + 64];
    const char *status;

    hvg_log_add_event(self->log, hvg_run_start_wall(run), ev);
    log_status_later(self);
    /* The figures and the chart follow every event; the chart redraws at
       the display's pace, from what is collected here. */
    hve_stats_feed(self->stats, ev);
    if (ev->kind == HVE_EV_CLOSED || ev->kind == HVE_EV_ERROR)
        hvg_chart_changed(self->chart);
    if (ev->round >= self->next_round)
        self->next_round = ev->round + 1;
    status = hve_ui_client_line(&self->client_run, ev, t, sizeof t);
    switch (ev->kind) {
    case HVE_EV_ERROR:
        if (!self->client_error_shown) {
            show_error(self, ev->err, ev->detail);
            self->client_error_shown = TRUE;
        }
        break;
    case HVE_EV_FINISHED:
        if (ev->err && ev->err != HVE_ECANCELED && !self->client_error_shown)
            show_error(self, ev->err, ev->detail);
        if (self->figures_timer) {
            g_source_remove(self->figures_timer);
            self->figures_timer = 0;
        }
        if (hve_stats_done(self->stats) + hve_stats_failed(self->stats) >
            0) {
            char line[512];
            hve_stats_format(self->stats, HVE_STATS_SUMMARY, line,
                             sizeof line);
            gtk_label_set_text(GTK_LABEL(self->client_figures), line);
            hvg_log_add_note(self->log, HVG_LOG_CLIENT, "summary", line,
                             FALSE);
            update_log_status(self);
        }
        hvg_chart_changed(self->chart);
        hvg_run_free(self->client);
        self->client = NULL;
        client_set_running(self, FALSE);
        break;
    default:
        break;
    }
    if (status)
        gtk_label_set_text(GTK_LABEL(self->client_status), status);
}

static char *message_text(HvgWindow *self)
{
    GtkTextBuffer *b =
        gtk_text_view_get_buffer(GTK_TEXT_VIEW(self->message_view));
    GtkTextIter s, e;

    gtk_text_buffer_get_bounds(b, &s, &e);
    return gtk_text_buffer_get_text(b, &s, &e, FALSE);
}

/* The bytes of the message: the text, escapes decoded if asked. NULL
 * with why set when the text is not valid. The Fill to repeat happens
 * later, off this thread (run.c). */
static guint8 *message_bytes(HvgWindow *self, size_t *len, char *why,
                             size_t whylen)
{
    char *text = message_text(self);
    size_t n = strlen(text);

    if (gtk_toggle_button_get_active(GTK_TOGGLE_BUTTON(self->escapes_check))) {
        n = hve_unescape(text, (unsigned char *)text, n + 1);
        if (n == (size_t)-1) {
            g_strlcpy(why, hve_ui_text(HVE_UI_BAD_ESCAPE), whylen);
            g_free(text);
            return NULL;
        }
    }
    if (n == 0) {
        /* The core's default message, spelled out so the log reads right
           and Fill to has something to repeat. */
        g_free(text);
        text = g_strdup(HVE_DEFAULT_MESSAGE);
        n = strlen(text);
    }
    *len = n;
    return (guint8 *)text;
}

static void send_clicked_cb(GtkWidget *w, HvgWindow *self)
{
    hve_client_opts o = {0};
    char why[256];
    guint64 fill;
    gint64 interval;
    guint8 *msg;
    size_t len = 0;

    (void)w;
    if (self->client)
        return;
    if (!parse_target(self, &o.target, why, sizeof why)) {
        show_info_bar(self, GTK_MESSAGE_ERROR, hve_ui_text(HVE_UI_TARGET_BAD),
                      why);
        gtk_widget_grab_focus(gtk_widget_get_visible(self->target_history)
                                  ? self->target_entry
                                  : self->target_combo);
        return;
    }
    if (!run_service(self, self->client_service_entry,
                     self->client_service_info, &o.service, why,
                     sizeof why)) {
        show_info_bar(self, GTK_MESSAGE_ERROR,
                      hve_ui_text(HVE_UI_SERVICE_BAD), why);
        gtk_widget_grab_focus(self->client_service_entry);
        return;
    }
    if (!parse_interval(self, &interval)) {
        show_info_bar(self, GTK_MESSAGE_ERROR,
                      hve_ui_text(HVE_UI_INTERVAL_BAD),
                      hve_ui_text(HVE_UI_INTERVAL_WHY));
        gtk_widget_grab_focus(self->interval_entry);
        return;
    }
    if (!parse_fill(self, &fill)) {
        show_info_bar(self, GTK_MESSAGE_ERROR, hve_ui_text(HVE_UI_FILL_BAD),
                      hve_ui_text(HVE_UI_FILL_WHY));
        gtk_widget_grab_focus(self->fill_entry);
        return;
    }
    msg = message_bytes(self, &len, why, sizeof why);
    set_class(self->message_view, "error", msg == NULL);
    if (!msg) {
        show_info_bar(self, GTK_MESSAGE_ERROR,
                      hve_ui_text(HVE_UI_MESSAGE_BAD), why);
        gtk_widget_grab_focus(self->message_view);
        return;
    }
    hide_info_bar(self);
    o.timeout_ms = 1000 * gtk_spin_button_get_value_as_int(
                              GTK_SPIN_BUTTON(self->timeout_spin));
    o.count = (unsigned)gtk_spin_button_get_value_as_int(
        GTK_SPIN_BUTTON(self->repeat_spin));
    o.until_stopped =
        gtk_toggle_button_get_active(GTK_TOGGLE_BUTTON(self->forever_check));
    o.interval_ms = (int)(interval / 1000);
    o.keep_going = gtk_toggle_button_get_active(
        GTK_TOGGLE_BUTTON(self->keep_going_check));
    o.first_round = self->next_round;
    remember(self, FALSE);
    hve_stats_reset(self->stats);
    hvg_chart_changed(self->chart);
    gtk_label_set_text(GTK_LABEL(self->client_figures), "");
    if (!self->figures_timer)
        self->figures_timer = g_timeout_add(250, figures_tick, self);
    memset(&self->client_run, 0, sizeof self->client_run);
    self->client_error_shown = FALSE;
    self->client =
        hvg_run_start_client(&o, msg, len, fill, client_event, self);
    client_set_running(self, TRUE);
    gtk_label_set_text(GTK_LABEL(self->client_status),
                       hve_ui_text(fill > len ? HVE_UI_PREPARING
                                              : HVE_UI_CONNECTING));
}

static void cancel_clicked_cb(GtkWidget *w, HvgWindow *self)
{
    (void)w;
    if (self->client)
        hvg_run_stop(self->client);
}

/* Enter sends; Shift+Enter (or Ctrl+Enter) puts a new line. */
static gboolean message_key_press_cb(GtkWidget *w, GdkEventKey *ev,
                                     HvgWindow *self)
{
    (void)w;
    if ((ev->keyval == GDK_KEY_Return || ev->keyval == GDK_KEY_KP_Enter) &&
        !(ev->state & (GDK_SHIFT_MASK | GDK_CONTROL_MASK))) {
        if (gtk_widget_get_sensitive(self->send_button))
            send_clicked_cb(NULL, self);
        return GDK_EVENT_STOP;
    }
    return GDK_EVENT_PROPAGATE;
}

/* ---- log buttons, info bar, menu --------------------------------------- */

static void info_bar_response_cb(GtkInfoBar *bar, int response,
                                 HvgWindow *self)
{
    (void)bar;
    (void)response;
    hide_info_bar(self);
}

/* Copy: the selected rows, or the whole log when none is selected, as
 * the log shows them. */
static void copy_rows(HvgWindow *self, gboolean only_selected)
{
    char *text = hvg_log_export(self->log, HVG_EXPORT_TEXT, only_selected);

    if (!text)
        return;
    gtk_clipboard_set_text(
        gtk_widget_get_clipboard(GTK_WIDGET(self), GDK_SELECTION_CLIPBOARD),
        text, -1);
    g_free(text);
}

static void copy_log_clicked_cb(GtkWidget *w, HvgWindow *self)
{
    GtkTreeSelection *sel =
        gtk_tree_view_get_selection(GTK_TREE_VIEW(self->log_view));

    (void)w;
    copy_rows(self, gtk_tree_selection_count_selected_rows(sel) > 0);
}

/* Ctrl+C in the log copies the selected rows. */
static gboolean log_key_press_cb(GtkWidget *w, GdkEventKey *ev,
                                 HvgWindow *self)
{
    (void)w;
    if ((ev->keyval == GDK_KEY_c || ev->keyval == GDK_KEY_C ||
         ev->keyval == GDK_KEY_Insert) &&
        (ev->state & GDK_CONTROL_MASK)) {
        copy_rows(self, TRUE);
        return GDK_EVENT_STOP;
    }
    return GDK_EVENT_PROPAGATE;
}

/* The detail pane follows the selection: the row's full text and, for
 * data, its bytes in hex. */
static void log_selection_changed_cb(GtkTreeSelection *sel, HvgWindow *self)
{
    GtkTextBuffer *b =
        gtk_text_view_get_buffer(GTK_TEXT_VIEW(self->detail_view));
    char *hex = NULL, *t = hvg_log_detail(self->log, &hex);
    GtkTextIter end;

    (void)sel;
    gtk_text_buffer_set_text(b, t ? t : hve_ui_text(HVE_UI_DETAIL_EMPTY),
                             -1);
    if (hex) {
        /* the dump's lines stay whole (the pane scrolls sideways) */
        gtk_text_buffer_get_end_iter(b, &end);
        gtk_text_buffer_insert_with_tags_by_name(b, &end, hex, -1, "hex",
                                                 NULL);
    }
    g_free(t);
    g_free(hex);
}

/* Enter or a double click on a row: show its details. */
static void log_row_activated_cb(GtkTreeView *v, GtkTreePath *p,
                                 GtkTreeViewColumn *c, HvgWindow *self)
{
    (void)v;
    (void)p;
    (void)c;
    gtk_notebook_set_current_page(
        GTK_NOTEBOOK(self->side_book),
        gtk_notebook_page_num(GTK_NOTEBOOK(self->side_book),
                              gtk_widget_get_parent(self->detail_view)));
}

static void clear_log_action(GSimpleAction *a, GVariant *p, gpointer user)
{
    HvgWindow *self = user;

    (void)a;
    (void)p;
    hvg_log_clear(self->log);
    update_log_status(self);
}

/* The file's name picks the format (the core's rule, the Win32
 * dialog's too): .csv, .jsonl / .json, else the filter picked. */
static HvgExport export_format(GtkFileChooser *fc, const char *path)
{
    static const HvgExport formats[HVE_UI_EXPORTS] = {
        HVG_EXPORT_TEXT, HVG_EXPORT_CSV, HVG_EXPORT_JSON};
    GSList *all = gtk_file_chooser_list_filters(fc);
    int picked = g_slist_index(all, gtk_file_chooser_get_filter(fc));

    g_slist_free(all);
    return formats[hve_ui_export_kind(path, picked)];
}

static void save_response_cb(GtkNativeDialog *dlg, int response,
                             gpointer user)
{
    HvgWindow *self = user;

    if (response == GTK_RESPONSE_ACCEPT) {
        char *path = gtk_file_chooser_get_filename(GTK_FILE_CHOOSER(dlg));
        char *text = path ? hvg_log_export(self->log,
                                           export_format(
                                               GTK_FILE_CHOOSER(dlg), path),
                                           FALSE)
                          : NULL;
        GError *e = NULL;
        if (path && !g_file_set_contents(path, text, -1, &e)) {
            show_info_bar(self, GTK_MESSAGE_ERROR,
                          hve_ui_text(HVE_UI_SAVE_FAILED), e->message);
            g_error_free(e);
        }
        g_free(text);
        g_free(path);
    }
    g_object_unref(dlg);
}

static void save_log_action(GSimpleAction *a, GVariant *p, gpointer user)
{
    HvgWindow *self = user;
    GtkFileChooserNative *dlg = gtk_file_chooser_native_new(
        "Save Log", GTK_WINDOW(self), GTK_FILE_CHOOSER_ACTION_SAVE, "_Save",
        "_Cancel");

    (void)a;
    (void)p;
    gtk_file_chooser_set_do_overwrite_confirmation(GTK_FILE_CHOOSER(dlg),
                                                   TRUE);
    gtk_file_chooser_set_current_name(GTK_FILE_CHOOSER(dlg),
                                      "hvecho-log.txt");
    {
        /* The name's ending picks the format; the filters say which
           (the core's file kinds). */
        for (int i = 0; i < HVE_UI_EXPORTS; i++) {
            GtkFileFilter *f = gtk_file_filter_new();
            gtk_file_filter_set_name(f, hve_ui_export_name(i));
            gtk_file_filter_add_pattern(f, hve_ui_export_pattern(i));
            gtk_file_chooser_add_filter(GTK_FILE_CHOOSER(dlg), f);
        }
    }
    g_signal_connect(dlg, "response", G_CALLBACK(save_response_cb), self);
    gtk_native_dialog_show(GTK_NATIVE_DIALOG(dlg));
}

static void copy_register_action(GSimpleAction *a, GVariant *p,
                                 gpointer user)
{
    HvgWindow *self = user;
    gboolean server = g_strcmp0(gtk_stack_get_visible_child_name(
                                    GTK_STACK(self->mode_stack)),
                                "server") == 0;
    GtkWidget *entry =
        server ? self->server_service_entry : self->client_service_entry;
    GtkWidget *info =
        server ? self->server_service_info : self->client_service_info;
    hve_service svc;
    char why[256], cmd[1024], guid[HVE_GUID_STRLEN], *title, *hint;

    (void)a;
    (void)p;
    if (!parse_service(self, entry, info, &svc, why, sizeof why)) {
        show_info_bar(self, GTK_MESSAGE_ERROR,
                      hve_ui_text(HVE_UI_SERVICE_BAD), why);
        return;
    }
    hve_service_register_command(&svc, "hvecho", cmd, sizeof cmd);
    gtk_clipboard_set_text(
        gtk_widget_get_clipboard(GTK_WIDGET(self), GDK_SELECTION_CLIPBOARD),
        cmd, -1);
    title = g_malloc(HVE_GUID_STRLEN + 128);
    hve_ui_register_copied(hve_guid_format(&svc.guid, guid), title,
                           HVE_GUID_STRLEN + 128);
    hint = g_strdup_printf("%s\n%s", HVE_UI_REGISTER_PASTE, cmd);
    show_info_bar(self, GTK_MESSAGE_INFO, title, hint);
    g_free(title);
    g_free(hint);
}

/* ---- settings ---------------------------------------------------------- */

static void load_settings(HvgWindow *self)
{
    HvgSettings s;
    GtkTextBuffer *b =
        gtk_text_view_get_buffer(GTK_TEXT_VIEW(self->message_view));

    hvg_settings_load(&s);
    /* before the kinds are applied: they fill the fields' dropdowns */
    hve_history_load(self->history, s.history);
    gtk_window_set_default_size(GTK_WINDOW(self), s.width, s.height);
    if (s.maximized)
        gtk_window_maximize(GTK_WINDOW(self));

    for (int l = 0; l < 2; l++) {
        gboolean listen = l == 0;
        size_t n, i = hve_ui_kind_index(hve_platform_native(), listen,
                                        listen ? s.listen_kind
                                               : s.target_kind);
        const hve_ui_kind_text *k =
            hve_ui_kinds(hve_platform_native(), listen, &n);
        if (listen) {
            self->listen_kind = -1;
            self->listen_vals[i] = g_strdup(s.listen_value);
        } else {
            self->target_kind = -1;
            self->target_vals[i] = g_strdup(s.target_value);
        }
        gtk_combo_box_set_active_id(GTK_COMBO_BOX(listen ? self->listen_combo
                                                         : self->target_combo),
                                    k[i].id);
    }
    gtk_entry_set_text(GTK_ENTRY(self->server_service_entry),
                       s.server_service);
    gtk_entry_set_text(GTK_ENTRY(self->client_service_entry),
                       s.client_service);
    gtk_entry_set_text(GTK_ENTRY(self->bye_entry), s.bye);
    gtk_text_buffer_set_text(b, s.message, -1);
    gtk_spin_button_set_value(GTK_SPIN_BUTTON(self->timeout_spin),
                              s.timeout_s);
    gtk_spin_button_set_value(GTK_SPIN_BUTTON(self->repeat_spin), s.repeat);
    gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(self->forever_check),
                                 s.forever);
    gtk_entry_set_text(GTK_ENTRY(self->interval_entry), s.interval);
    gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(self->keep_going_check),
                                 s.keep_going);
    gtk_stack_set_visible_child_name(
        GTK_STACK(self->mode_stack),
        g_strcmp0(s.mode, "server") == 0 ? "server" : "client");
    hvg_settings_clear(&s);
}

static void save_settings(HvgWindow *self)
{
    HvgSettings s = {0};
    const char *mode =
        gtk_stack_get_visible_child_name(GTK_STACK(self->mode_stack));

    if (self->listen_kind < 0 || self->target_kind < 0)
        return; /* never set up */
    s.mode = g_strdup(mode ? mode : "client");
    s.listen_kind = g_strdup(kind_of(self, TRUE)->id);
    s.listen_value = g_strdup(gtk_entry_get_text(GTK_ENTRY(self->listen_entry)));
    s.server_service =
        g_strdup(gtk_entry_get_text(GTK_ENTRY(self->server_service_entry)));
    s.bye = g_strdup(gtk_entry_get_text(GTK_ENTRY(self->bye_entry)));
    s.target_kind = g_strdup(kind_of(self, FALSE)->id);
    s.target_value = g_strdup(gtk_entry_get_text(GTK_ENTRY(self->target_entry)));
    s.client_service =
        g_strdup(gtk_entry_get_text(GTK_ENTRY(self->client_service_entry)));
    s.message = message_text(self);
    if (strlen(s.message) > 65536) /* a settings file, not a data file */
        s.message[65536] = '\0';
    s.timeout_s = gtk_spin_button_get_value_as_int(
        GTK_SPIN_BUTTON(self->timeout_spin));
    s.repeat =
        gtk_spin_button_get_value_as_int(GTK_SPIN_BUTTON(self->repeat_spin));
    s.forever =
        gtk_toggle_button_get_active(GTK_TOGGLE_BUTTON(self->forever_check));
    s.interval =
        g_strdup(gtk_entry_get_text(GTK_ENTRY(self->interval_entry)));
    s.keep_going = gtk_toggle_button_get_active(
        GTK_TOGGLE_BUTTON(self->keep_going_check));
    {
        char *h = hve_history_save(self->history);
        s.history = g_strdup(h ? h : "");
        free(h);
    }
    s.maximized = gtk_window_is_maximized(GTK_WINDOW(self));
    gtk_window_get_size(GTK_WINDOW(self), &s.width, &s.height);
    hvg_settings_save(&s);
    hvg_settings_clear(&s);
}

/* ---- accessibility ----------------------------------------------------- */

static void name_it(GtkWidget *w, const char *name, const char *desc)
{
    AtkObject *a = gtk_widget_get_accessible(w);

    atk_object_set_name(a, name);
    if (desc)
        atk_object_set_description(a, desc);
}

static void name_close_button(GtkWidget *w, gpointer data)
{
    if (GTK_IS_BUTTON(w) && !gtk_button_get_label(GTK_BUTTON(w)))
        name_it(w, "Close notice", NULL);
    else if (GTK_IS_CONTAINER(w))
        gtk_container_forall(GTK_CONTAINER(w), name_close_button, data);
}

/* Every control gets a name a screen reader (or a UI test) can find. */
static void name_controls(HvgWindow *self)
{
    name_it(self->mode_switcher, "Mode", "Server or Client");
    name_it(self->menu_button, "Main menu", NULL);
    name_it(self->info_title, "Notice", NULL);
    name_it(self->info_hint, "Notice hint", NULL);
    name_it(self->listen_combo, "Listen on", NULL);
    name_it(self->listen_entry, "Listen address", NULL);
    name_it(self->listen_info, "Listen address check", NULL);
    name_it(self->server_service_entry, "Server service",
            "A GUID or a vsock port number");
    name_it(self->server_service_info, "Server service as GUID and port",
            NULL);
    name_it(self->bye_entry, "Bye message", NULL);
    name_it(self->start_button, "Start Server", NULL);
    name_it(self->stop_button, "Stop Server", NULL);
    name_it(self->server_status, "Server status", NULL);
    name_it(self->target_combo, "Target kind", NULL);
    name_it(self->target_entry, "Target address", NULL);
    name_it(self->target_info, "Target check", NULL);
    name_it(self->client_service_entry, "Client service",
            "A GUID or a vsock port number");
    name_it(self->client_service_info, "Client service as GUID and port",
            NULL);
    name_it(self->message_view, "Message to send",
            "Enter sends, Shift+Enter starts a new line");
    name_it(self->timeout_spin, "Timeout in seconds", NULL);
    name_it(self->repeat_spin, "Repeat count", NULL);
    name_it(self->fill_entry, "Fill message to size", NULL);
    name_it(self->escapes_check, "Decode escapes", NULL);
    name_it(self->send_button, "Send", NULL);
    name_it(self->cancel_button, "Cancel", NULL);
    name_it(self->client_status, "Client status", NULL);
    name_it(self->clear_button, "Clear log", NULL);
    name_it(self->copy_button, "Copy log", NULL);
    name_it(self->save_button, "Save log", NULL);
    name_it(self->log_view, "Log", "One row per event");
    name_it(self->log_status, "Log status", NULL);
    name_it(self->listen_history, "Recent listen addresses", NULL);
    name_it(self->target_history, "Recent targets", NULL);
    name_it(self->forever_check, "Repeat until stopped", NULL);
    name_it(self->interval_entry, "Interval between handshakes",
            "A pause such as 250ms or 1.5s");
    name_it(self->keep_going_check, "Keep going on errors", NULL);
    name_it(self->client_figures, "Run figures", NULL);
    name_it(self->message_size, "Message size", NULL);
    name_it(self->side_book, "Chart, details and clients", NULL);
    name_it(self->chart_area, "Round-trip chart", NULL);
    name_it(self->detail_view, "Row details", NULL);
    name_it(self->clients_view, "Connected clients", NULL);
    name_it(self->clients_status, "Clients status", NULL);
    /* The info bar's own close button has only an icon. */
    gtk_container_forall(GTK_CONTAINER(self->info_bar), name_close_button,
                         NULL);
}

/* ---- the core's words ------------------------------------------------- */

/* A label or button in the core's words (ui_text.h), key marked as its
 * mnemonic (this window's own keys). */
static void set_words(GtkWidget *w, hve_ui_phrase p, char key)
{
    char t[256];

    hve_ui_mnemonic(hve_ui_text(p), key, '_', t, sizeof t);
    if (GTK_IS_LABEL(w))
        gtk_label_set_text_with_mnemonic(GTK_LABEL(w), t);
    else
        gtk_button_set_label(GTK_BUTTON(w), t);
}

/* The kind lists, the labels, tips and hints, and the first status
 * lines: the words the Win32 dialog shows too. */
static void show_words(HvgWindow *self)
{
    for (int l = 0; l < 2; l++) {
        size_t n;
        const hve_ui_kind_text *k =
            hve_ui_kinds(hve_platform_native(), l == 0, &n);
        GtkComboBoxText *box = GTK_COMBO_BOX_TEXT(l == 0 ? self->listen_combo
                                                         : self->target_combo);
        for (size_t i = 0; i < n && i < KINDS_MAX; i++)
            gtk_combo_box_text_append(box, k[i].id, k[i].name);
    }
    {
        /* the bye field's label: the one whose key focuses it */
        GList *l = gtk_widget_list_mnemonic_labels(self->bye_entry);
        if (l)
            set_words(l->data, HVE_UI_BYE, 'b');
        g_list_free(l);
    }
    set_words(self->timeout_label, HVE_UI_TIMEOUT, 'i');
    set_words(self->repeat_label, HVE_UI_REPEAT, 'r');
    set_words(self->forever_check, HVE_UI_UNTIL_STOPPED, 'u');
    set_words(self->interval_label, HVE_UI_INTERVAL, 'n');
    set_words(self->keep_going_check, HVE_UI_KEEP_GOING, 'k');
    set_words(self->fill_label, HVE_UI_FILL_TO, 'f');
    set_words(self->escapes_check, HVE_UI_DECODE, 'd');
    set_words(self->chart_tab, HVE_UI_CHART, 'h');
    set_words(self->details_tab, HVE_UI_DETAILS, 'l');
    set_words(self->clients_tab, HVE_UI_CLIENTS, 'e');
    gtk_widget_set_tooltip_text(self->forever_check,
                                hve_ui_text(HVE_UI_UNTIL_STOPPED_TIP));
    gtk_widget_set_tooltip_text(self->interval_entry,
                                hve_ui_text(HVE_UI_INTERVAL_TIP));
    gtk_entry_set_placeholder_text(GTK_ENTRY(self->interval_entry),
                                   hve_ui_text(HVE_UI_INTERVAL_HINT));
    gtk_widget_set_tooltip_text(self->keep_going_check,
                                hve_ui_text(HVE_UI_KEEP_GOING_TIP));
    gtk_widget_set_tooltip_text(self->fill_entry,
                                hve_ui_text(HVE_UI_FILL_TIP));
    gtk_entry_set_placeholder_text(GTK_ENTRY(self->fill_entry),
                                   hve_ui_text(HVE_UI_FILL_HINT));
    gtk_widget_set_tooltip_text(self->escapes_check,
                                hve_ui_text(HVE_UI_DECODE_TIP));
    gtk_widget_set_tooltip_text(self->send_button,
                                hve_ui_text(HVE_UI_SEND_TIP));
    gtk_button_set_label(GTK_BUTTON(self->clear_button),
                         hve_ui_text(HVE_UI_CLEAR));
    gtk_button_set_label(GTK_BUTTON(self->copy_button),
                         hve_ui_text(HVE_UI_COPY));
    gtk_button_set_label(GTK_BUTTON(self->save_button),
                         hve_ui_text(HVE_UI_SAVE));
    gtk_label_set_text(GTK_LABEL(self->client_status),
                       hve_ui_text(HVE_UI_READY));
    gtk_label_set_text(GTK_LABEL(self->server_status),
                       hve_ui_text(HVE_UI_NOT_RUNNING));
}

/* ---- GObject ----------------------------------------------------------- */

static const GActionEntry win_actions[] = {
    {"copy-register", copy_register_action, NULL, NULL, NULL, {0}},
    {"clear-log", clear_log_action, NULL, NULL, NULL, {0}},
    {"save-log", save_log_action, NULL, NULL, NULL, {0}},
};

static void hvg_window_init(HvgWindow *self)
{
    hve_addr a;
    hve_service svc;
    char why[256];

    gtk_widget_init_template(GTK_WIDGET(self));
    show_words(self);
    g_action_map_add_action_entries(G_ACTION_MAP(self), win_actions,
                                    G_N_ELEMENTS(win_actions), self);
    self->log = hvg_log_new(GTK_TREE_VIEW(self->log_view));
    self->stats = hve_stats_new();
    self->history = hve_history_new(0);
    if (!self->stats || !self->history)
        g_error("out of memory");
    self->chart = hvg_chart_new(self->chart_area, self->stats);
    self->clients = hvg_clients_new(GTK_TREE_VIEW(self->clients_view),
                                    GTK_LABEL(self->clients_status));
    self->next_round = 1;
    g_signal_connect(gtk_tree_view_get_selection(
                         GTK_TREE_VIEW(self->log_view)),
                     "changed", G_CALLBACK(log_selection_changed_cb), self);
    g_signal_connect(self->log_view, "key-press-event",
                     G_CALLBACK(log_key_press_cb), self);
    g_signal_connect(self->log_view, "row-activated",
                     G_CALLBACK(log_row_activated_cb), self);
    gtk_text_buffer_create_tag(
        gtk_text_view_get_buffer(GTK_TEXT_VIEW(self->detail_view)), "hex",
        "wrap-mode", GTK_WRAP_NONE, NULL);
    log_selection_changed_cb(NULL, self);
    self->log_follow = TRUE;
    {
        GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment(
            GTK_SCROLLED_WINDOW(self->log_scroll));
        g_signal_connect(adj, "value-changed",
                         G_CALLBACK(log_adj_value_cb), self);
        g_signal_connect(adj, "changed", G_CALLBACK(log_adj_changed_cb),
                         self);
    }
    gtk_widget_set_has_tooltip(self->log_status, TRUE);
    g_signal_connect(self->log_status, "query-tooltip",
                     G_CALLBACK(log_status_tooltip_cb), NULL);
    load_settings(self);
    name_controls(self);
    g_signal_connect(gtk_text_view_get_buffer(
                         GTK_TEXT_VIEW(self->message_view)),
                     "changed", G_CALLBACK(message_changed_cb), self);
    show_message_size(self);
    /* Show the checks for what was loaded. */
    parse_listen(self, &a, why, sizeof why);
    parse_target(self, &a, why, sizeof why);
    parse_service(self, self->server_service_entry, self->server_service_info,
                  &svc, why, sizeof why);
    parse_service(self, self->client_service_entry, self->client_service_info,
                  &svc, why, sizeof why);
    gtk_widget_grab_focus(self->message_view);
}

static void hvg_window_dispose(GObject *obj)
{
    HvgWindow *self = HVG_WINDOW(obj);

    /* Every way out passes here (the close button, Ctrl+Q, the menu's
       Quit, the application ending): save once, while the controls are
       still there. */
    if (!self->settings_saved) {
        self->settings_saved = TRUE;
        save_settings(self);
        g_signal_handlers_disconnect_by_data(
            gtk_scrolled_window_get_vadjustment(
                GTK_SCROLLED_WINDOW(self->log_scroll)),
            self);
        g_signal_handlers_disconnect_by_data(
            gtk_text_view_get_buffer(GTK_TEXT_VIEW(self->message_view)),
            self);
    }
    if (self->figures_timer) {
        g_source_remove(self->figures_timer);
        self->figures_timer = 0;
    }
    if (self->status_tick) {
        gtk_widget_remove_tick_callback(GTK_WIDGET(self), self->status_tick);
        self->status_tick = 0;
    }
    g_clear_pointer(&self->chart, hvg_chart_free);
    g_clear_pointer(&self->clients, hvg_clients_free);
    /* hvg_run_free stops and joins the worker: no event after this. */
    g_clear_pointer(&self->server, hvg_run_free);
    g_clear_pointer(&self->client, hvg_run_free);
    G_OBJECT_CLASS(hvg_window_parent_class)->dispose(obj);
}

static void hvg_window_finalize(GObject *obj)
{
    HvgWindow *self = HVG_WINDOW(obj);

    hvg_log_free(self->log);
    hve_stats_free(self->stats);
    hve_history_free(self->history);
    g_free(self->server_where);
    for (int i = 0; i < KINDS_MAX; i++) {
        g_free(self->listen_vals[i]);
        g_free(self->target_vals[i]);
    }
    G_OBJECT_CLASS(hvg_window_parent_class)->finalize(obj);
}

#define BIND(name) \
    gtk_widget_class_bind_template_child(wc, HvgWindow, name)

static void hvg_window_class_init(HvgWindowClass *klass)
{
    GObjectClass *oc = G_OBJECT_CLASS(klass);
    GtkWidgetClass *wc = GTK_WIDGET_CLASS(klass);

    oc->dispose = hvg_window_dispose;
    oc->finalize = hvg_window_finalize;
    gtk_widget_class_set_template_from_resource(
        wc, "/io/github/hvecho/Hvecho/window.ui");
    BIND(header);
    BIND(mode_switcher);
    BIND(menu_button);
    BIND(mode_stack);
    BIND(info_bar);
    BIND(info_title);
    BIND(info_hint);
    BIND(listen_combo);
    BIND(listen_history);
    BIND(listen_entry);
    BIND(listen_info);
    BIND(server_service_entry);
    BIND(server_service_info);
    BIND(bye_entry);
    BIND(start_button);
    BIND(stop_button);
    BIND(server_status);
    BIND(target_combo);
    BIND(target_history);
    BIND(target_entry);
    BIND(target_info);
    BIND(client_service_entry);
    BIND(client_service_info);
    BIND(message_view);
    BIND(timeout_spin);
    BIND(repeat_spin);
    BIND(fill_entry);
    BIND(escapes_check);
    BIND(send_button);
    BIND(cancel_button);
    BIND(client_status);
    BIND(clear_button);
    BIND(copy_button);
    BIND(save_button);
    BIND(log_scroll);
    BIND(log_view);
    BIND(log_status);
    BIND(forever_check);
    BIND(interval_entry);
    BIND(keep_going_check);
    BIND(client_figures);
    BIND(message_size);
    BIND(timeout_label);
    BIND(repeat_label);
    BIND(interval_label);
    BIND(fill_label);
    BIND(chart_tab);
    BIND(details_tab);
    BIND(clients_tab);
    BIND(log_paned);
    BIND(side_book);
    BIND(chart_area);
    BIND(detail_view);
    BIND(clients_view);
    BIND(clients_status);
    gtk_widget_class_bind_template_callback(wc, info_bar_response_cb);
    gtk_widget_class_bind_template_callback(wc, listen_changed_cb);
    gtk_widget_class_bind_template_callback(wc, target_changed_cb);
    gtk_widget_class_bind_template_callback(wc, service_changed_cb);
    gtk_widget_class_bind_template_callback(wc, fill_changed_cb);
    gtk_widget_class_bind_template_callback(wc, message_changed_cb);
    gtk_widget_class_bind_template_callback(wc, interval_changed_cb);
    gtk_widget_class_bind_template_callback(wc, forever_toggled_cb);
    gtk_widget_class_bind_template_callback(wc, start_clicked_cb);
    gtk_widget_class_bind_template_callback(wc, stop_clicked_cb);
    gtk_widget_class_bind_template_callback(wc, send_clicked_cb);
    gtk_widget_class_bind_template_callback(wc, cancel_clicked_cb);
    gtk_widget_class_bind_template_callback(wc, message_key_press_cb);
    gtk_widget_class_bind_template_callback(wc, copy_log_clicked_cb);
}

HvgWindow *hvg_window_new(GtkApplication *app)
{
    return g_object_new(HVG_TYPE_WINDOW, "application", app, NULL);
}

const hve_stats *hvg_window_run_stats(HvgWindow *win)
{
    return win->stats;
}
