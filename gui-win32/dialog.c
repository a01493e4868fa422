/* dialog.c - hvecho-gui.exe's main dialog: the fields and their live
 * checks, Start / Stop Server and Send, which run core sessions
 * (hvecho/session.h), the status lines, registration, the layout.
 *
 * Threads: the dialog procedure runs on the UI thread. The sessions'
 * work runs on their own worker threads, whose events reach the UI
 * thread through pump.c. A Send's message is built, and its session
 * started, on a short-lived start thread (client_start_thread) that
 * touches only its job and posts WM_APP_CLIENT_READY, so even a 1 GiB
 * message never stalls the dialog. No control is ever touched from
 * another thread. The state lives in the dialog's GWLP_USERDATA. */
#include "gui.h"

#include <commctrl.h>
#include <shellapi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "hvecho/register.h"
#include "resource.h"

#define TIMEOUT_MAX_S 300
#define REPEAT_MAX 100000
/* Largest message Fill to makes. */
#define FILL_MAX ((uint64_t)1 << 30)
/* The message the core sends when none is typed (HVE_DEFAULT_MESSAGE) is
 * spelled out so the log reads right and Fill to has something to repeat. */
#define DEFAULT_MESSAGE HVE_DEFAULT_MESSAGE
#define DOT "  \xC2\xB7  "
/* The longest Interval. */
#define INTERVAL_MAX_US ((int64_t)3600 * 1000000)

/* The kinds of the Listen on and Target lists: the core's for Windows
 * (ui_text.h), in the order of LISTEN_* and TARGET_* (resource.h). */
static const hve_ui_kind_text *kind_of(gui *g, bool listen)
{
    return hve_ui_kind_at(hve_platform_native(), listen,
                          listen ? g->listen_kind : g->target_kind);
}

/* Controls that follow a resize: the log grows, the row of buttons and
 * the status line move down, the right-hand buttons also move right. */
#define GROW_W 1
#define GROW_H 2
#define MOVE_X 4
#define MOVE_Y 8
static const struct {
    int id;
    int how;
} anchors[GUI_ANCHORS] = {
    {IDC_LOG, GROW_W | GROW_H},          {IDC_CLEAR, MOVE_Y},
    {IDC_SAVE, MOVE_Y},                  {IDC_COPY, MOVE_Y},
    {IDC_COPY_PS, MOVE_X | MOVE_Y},      {IDC_REGISTER, MOVE_X | MOVE_Y},
    {IDC_STATUS, GROW_W | MOVE_Y},       {IDC_ABOUT, MOVE_X},
    {IDC_DETAIL_LABEL, MOVE_Y},          {IDC_DETAIL, GROW_W | MOVE_Y},
    {IDC_CHART_LABEL, MOVE_X},           {IDC_CHART, MOVE_X | GROW_H},
    {IDC_CLIENTS_LABEL, MOVE_X | MOVE_Y}, {IDC_CLIENTS, MOVE_X | MOVE_Y},
};

/* A Send being prepared: the start thread's own data until it posts. */
typedef struct client_job {
    gui *g;
    hve_client_opts o;
    unsigned char *text; /* the message as typed (decoded) */
    size_t len;
    uint64_t fill;       /* repeat text up to this many bytes; 0: as is */
    hve_session *s;      /* the started session, or NULL with err */
    int err;
    int64_t t0;          /* when the session started (FILETIME count) */
} client_job;

static gui *get_gui(HWND dlg)
{
    return (gui *)GetWindowLongPtrW(dlg, GWLP_USERDATA);
}

static bool is_client_mode(gui *g)
{
    return IsDlgButtonChecked(g->dlg, IDC_MODE_CLIENT) == BST_CHECKED;
}

static int combo_sel(gui *g, int id)
{
    return (int)SendDlgItemMessageW(g->dlg, id, CB_GETCURSEL, 0, 0);
}

static bool client_busy(gui *g)
{
    return g->client != NULL || g->start_thread != NULL;
}

static void update_controls(gui *g)
{
    bool client = is_client_mode(g);
    static const int server_ids[] = {IDC_LISTEN_KIND, IDC_LISTEN, IDC_BYE};
    static const int client_ids[] = {
        IDC_TARGET_KIND, IDC_MESSAGE,  IDC_TIMEOUT,       IDC_TIMEOUT_SPIN,
        IDC_FILL,        IDC_DECODE,   IDC_INTERVAL,      IDC_UNTIL_STOPPED,
        IDC_KEEP_GOING};
    size_t i;

    for (i = 0; i < sizeof server_ids / sizeof server_ids[0]; i++)
        EnableWindow(GetDlgItem(g->dlg, server_ids[i]), !client);
    for (i = 0; i < sizeof client_ids / sizeof client_ids[0]; i++)
        EnableWindow(GetDlgItem(g->dlg, client_ids[i]), client);
    EnableWindow(GetDlgItem(g->dlg, IDC_LISTEN),
                 !client && kind_of(g, true)->prefix != NULL);
    EnableWindow(GetDlgItem(g->dlg, IDC_TARGET_ARG),
                 client && kind_of(g, false)->prefix != NULL);
    EnableWindow(GetDlgItem(g->dlg, IDC_REPEAT),
                 client && IsDlgButtonChecked(g->dlg, IDC_UNTIL_STOPPED) !=
                               BST_CHECKED);
    EnableWindow(GetDlgItem(g->dlg, IDC_REPEAT_SPIN),
                 client && IsDlgButtonChecked(g->dlg, IDC_UNTIL_STOPPED) !=
                               BST_CHECKED);
    EnableWindow(GetDlgItem(g->dlg, IDC_START), !client && !g->server);
    EnableWindow(GetDlgItem(g->dlg, IDC_STOP),
                 g->server != NULL && !g->server_stopping);
    EnableWindow(GetDlgItem(g->dlg, IDC_SEND), client && !client_busy(g));
    EnableWindow(GetDlgItem(g->dlg, IDC_CANCEL_SEND), client_busy(g));
    EnableWindow(GetDlgItem(g->dlg, IDC_REGISTER), g->reg_proc == NULL);
}

/* A bad field: a log row that says why, the outcome line, the focus on
 * the field. what names the field ("Target not valid"). */
static void field_error(gui *g, int id, const char *what, const char *why)
{
    char text[600];
    snprintf(text, sizeof text, "%s: %s", what, why);
    log_note(g, is_client_mode(g) ? "client" : "server", "error", text,
             LOGROW_ERROR);
    gui_set_text(g->dlg,
                 is_client_mode(g) ? IDC_CLIENT_STATUS : IDC_SERVER_STATUS,
                 text);
    MessageBeep(MB_ICONWARNING);
    SetFocus(GetDlgItem(g->dlg, id));
}

/* ---- reading the fields ---- */

/* True for the transports that have no service (TCP, Unix sockets;
 * hybrid vsock takes its port from the Service when the path has none). */
static bool service_unused(gui *g)
{
    return !kind_of(g, !is_client_mode(g))->uses_service;
}

static bool read_service(gui *g, hve_service *svc, char *why, size_t len)
{
    char text[GUI_FIELD_MAX];
    gui_get_text(g->dlg, IDC_SERVICE, text, sizeof text);
    return hve_service_parse(text, hve_platform_native(), svc, why, len) ==
           0;
}

/* The listen address or target as the core's parsers take it. */
static void address_text(gui *g, bool listen, char *out, size_t len)
{
    char arg[GUI_FIELD_MAX];
    gui_get_text(g->dlg, listen ? IDC_LISTEN : IDC_TARGET_ARG, arg,
                 sizeof arg);
    hve_ui_kind_address(kind_of(g, listen), arg, out, len);
}

static int read_listen(gui *g, hve_addr *a, char *why, size_t len)
{
    char text[GUI_FIELD_MAX + 8];
    address_text(g, true, text, sizeof text);
    return hve_listen_parse(text, hve_platform_native(), a, why, len);
}

static int read_target(gui *g, hve_addr *a, char *why, size_t len)
{
    char text[GUI_FIELD_MAX + 8], arg[8];
    const char *missing;
    gui_get_text(g->dlg, IDC_TARGET_ARG, arg, sizeof arg);
    missing = hve_ui_kind_missing(kind_of(g, false), arg);
    if (missing) {
        snprintf(why, len, "%s", missing);
        return HVE_EBADTARGET;
    }
    address_text(g, false, text, sizeof text);
    return hve_target_parse(text, hve_platform_native(), a, why, len);
}

/* Fill to: "" is 0 (send the message as typed). */
static bool read_fill(gui *g, uint64_t *out)
{
    char text[64], *t = text;
    size_t n;
    gui_get_text(g->dlg, IDC_FILL, text, sizeof text);
    while (*t == ' ')
        t++;
    n = strlen(t);
    while (n && t[n - 1] == ' ')
        t[--n] = '\0';
    *out = 0;
    return !*t || hve_size_parse(t, FILL_MAX, out);
}

/* The message's bytes, escapes decoded when Decode is on; the default
 * message when empty. NULL with why set when it is not valid. */
static unsigned char *read_message(gui *g, size_t *len, char *why,
                                   size_t whylen)
{
    char *text = gui_get_text_alloc(g->dlg, IDC_MESSAGE);
    size_t n;

    if (!text) {
        snprintf(why, whylen, "%s", hve_strerror(HVE_ENOMEM));
        return NULL;
    }
    n = strlen(text);
    if (IsDlgButtonChecked(g->dlg, IDC_DECODE) == BST_CHECKED) {
        n = hve_unescape(text, (unsigned char *)text, n + 1);
        if (n == (size_t)-1) {
            snprintf(why, whylen, "%s", hve_ui_text(HVE_UI_BAD_ESCAPE));
            free(text);
            return NULL;
        }
    }
    if (n == 0) {
        free(text);
        text = malloc(sizeof DEFAULT_MESSAGE);
        if (!text) {
            snprintf(why, whylen, "%s", hve_strerror(HVE_ENOMEM));
            return NULL;
        }
        memcpy(text, DEFAULT_MESSAGE, sizeof DEFAULT_MESSAGE);
        n = sizeof DEFAULT_MESSAGE - 1;
    }
    *len = n;
    return (unsigned char *)text;
}

static bool read_uint(gui *g, int id, unsigned lo, unsigned hi,
                      unsigned *out)
{
    BOOL ok;
    UINT v = GetDlgItemInt(g->dlg, id, &ok, FALSE);
    if (!ok || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

/* ---- live checks ---- */

static void check_service(gui *g)
{
    hve_service svc;
    char why[256], other[256], shown[600];
    const char *warn;

    if (read_service(g, &svc, why, sizeof why)) {
        hve_service_describe(&svc, other, sizeof other);
        if (service_unused(g))
            snprintf(shown, sizeof shown, "%s %s", other,
                     hve_ui_text(HVE_UI_SERVICE_UNUSED));
        else
            snprintf(shown, sizeof shown, "%s", other);
        warn = hve_service_linux_warning(&svc);
        gui_set_text(g->dlg, IDC_SERVICE_OTHER, shown);
        gui_set_text(g->dlg, IDC_SERVICE_WARN,
                     warn && !service_unused(g) ? warn : "");
    } else {
        if (service_unused(g))
            hve_ui_service_unused_bad(why, shown, sizeof shown);
        gui_set_text(g->dlg, IDC_SERVICE_OTHER,
                     service_unused(g) ? shown : why);
        gui_set_text(g->dlg, IDC_SERVICE_WARN, "");
    }
}

/* "✓ Connects to ..." / "✗ why" under an address field. */
static void show_addr_check(gui *g, int id, const char *verb, int err,
                            const hve_addr *a, const char *why)
{
    char shown[700], addr[400];
    hve_service svc;
    char why2[256];

    if (err) {
        snprintf(shown, sizeof shown, "\xE2\x9C\x97 %s", why);
    } else {
        bool have = read_service(g, &svc, why2, sizeof why2);
        hve_addr_format(a, have ? &svc : NULL, addr, sizeof addr);
        snprintf(shown, sizeof shown, "\xE2\x9C\x93 %s %s", verb, addr);
    }
    gui_set_text(g->dlg, id, shown);
}

static void check_listen(gui *g)
{
    hve_addr a;
    char why[256];
    int err = read_listen(g, &a, why, sizeof why);
    show_addr_check(g, IDC_LISTEN_CHECK, hve_ui_text(HVE_UI_LISTENS_ON), err,
                    &a, why);
}

static void check_target(gui *g)
{
    hve_addr a;
    char why[256];
    int err = read_target(g, &a, why, sizeof why);
    show_addr_check(g, IDC_TARGET_CHECK, hve_ui_text(HVE_UI_CONNECTS_TO),
                    err, &a, why);
}

/* What Send will send: the message's size, filled or not. */
static void check_message(gui *g)
{
    char why[256], shown[300];
    size_t len = 0;
    uint64_t fill;
    unsigned char *msg;

    if (!read_fill(g, &fill)) {
        snprintf(shown, sizeof shown, "\xE2\x9C\x97 %s: %s",
                 hve_ui_text(HVE_UI_FILL_BAD), hve_ui_text(HVE_UI_FILL_WHY));
        gui_set_text(g->dlg, IDC_MSG_SIZE, shown);
        return;
    }
    msg = read_message(g, &len, why, sizeof why);
    if (!msg)
        snprintf(shown, sizeof shown, "\xE2\x9C\x97 %s", why);
    else
        hve_ui_message_size(len, fill, shown, sizeof shown);
    free(msg);
    gui_set_text(g->dlg, IDC_MSG_SIZE, shown);
}

/* ---- kinds: combo + value field ---- */

static void apply_kind(gui *g, int combo, int field, wchar_t **vals,
                       int *cur, int kind)
{
    int n = GetWindowTextLengthW(GetDlgItem(g->dlg, field));
    wchar_t *now = malloc(((size_t)n + 1) * sizeof *now);

    (void)combo;
    if (now) {
        GetDlgItemTextW(g->dlg, field, now, n + 1);
        if (*cur >= 0) {
            free(vals[*cur]);
            vals[*cur] = now;
        } else {
            free(now);
        }
    }
    *cur = kind;
    SetDlgItemTextW(g->dlg, field, vals[kind] ? vals[kind] : L"");
}

/* ---- history: the values last used, per kind, in the fields' lists ---- */

/* "listen.tcp", "target.hybrid", ...: NULL for kinds without a value. */
static const char *history_kind(gui *g, bool listen, char *buf, size_t len)
{
    const hve_ui_kind_text *k = kind_of(g, listen);
    if (!k->prefix)
        return NULL;
    snprintf(buf, len, "%s.%s", listen ? "listen" : "target", k->id);
    return buf;
}

/* The field's dropdown list: the history of the kind picked. */
static void history_fill(gui *g, bool listen)
{
    HWND c = GetDlgItem(g->dlg, listen ? IDC_LISTEN : IDC_TARGET_ARG);
    char kb[32];
    const char *kind = history_kind(g, listen, kb, sizeof kb);
    int n = GetWindowTextLengthW(c);
    wchar_t *now = malloc(((size_t)n + 1) * sizeof *now);
    size_t i;

    if (now)
        GetWindowTextW(c, now, n + 1);
    SendMessageW(c, CB_RESETCONTENT, 0, 0);
    for (i = 0; kind && g->history && i < hve_history_count(g->history, kind);
         i++) {
        wchar_t *w = gui_wide(hve_history_get(g->history, kind, i));
        if (w)
            SendMessageW(c, CB_ADDSTRING, 0, (LPARAM)w);
        free(w);
    }
    if (now)
        SetWindowTextW(c, now); /* the list's reset emptied the edit */
    free(now);
}

static void history_add(gui *g, bool listen)
{
    char kb[32];
    const char *kind = history_kind(g, listen, kb, sizeof kb);
    char value[GUI_FIELD_MAX];
    if (!kind || !g->history)
        return;
    gui_get_text(g->dlg, listen ? IDC_LISTEN : IDC_TARGET_ARG, value,
                 sizeof value);
    if (value[0] && hve_history_add(g->history, kind, value))
        history_fill(g, listen);
}

/* ---- the server ---- */

static void server_status(gui *g)
{
    char t[512];
    unsigned n;

    if (!g->server)
        return;
    if (g->server_stopping) {
        snprintf(t, sizeof t, "%s", hve_ui_text(HVE_UI_STOPPING));
    } else if (!g->server_where[0]) {
        snprintf(t, sizeof t, "%s", hve_ui_text(HVE_UI_STARTING));
    } else {
        n = hve_session_conn_count(g->server);
        hve_ui_server_status(g->server_where, n, g->server_served, t,
                             sizeof t);
    }
    gui_set_text_changed(g->dlg, IDC_SERVER_STATUS, t); /* every event */
}

static void start_server(gui *g)
{
    hve_server_opts o;
    char why[256], *bye;
    int err = 0;

    if (g->server)
        return;
    memset(&o, 0, sizeof o);
    if (read_listen(g, &o.listen, why, sizeof why)) {
        field_error(g, kind_of(g, true)->prefix ? IDC_LISTEN
                                                : IDC_LISTEN_KIND,
                    hve_ui_text(HVE_UI_LISTEN_BAD), why);
        return;
    }
    if (!read_service(g, &o.service, why, sizeof why)) {
        if (!service_unused(g)) {
            field_error(g, IDC_SERVICE, hve_ui_text(HVE_UI_SERVICE_BAD),
                        why);
            return;
        }
        hve_service_default(&o.service); /* not used for TCP and Unix */
    }
    /* The bye is sent as typed (the GTK window does the same). */
    bye = gui_get_text_alloc(g->dlg, IDC_BYE);
    if (!bye) {
        field_error(g, IDC_BYE, "Bye message not valid",
                    hve_strerror(HVE_ENOMEM));
        return;
    }
    o.bye = bye;
    o.bye_len = strlen(bye); /* 0: the default "bye" */
    /* Per-read data events let the log show what clients sent; the log
     * merges them into one row per connection and direction. */
    o.data_events = true;
    o.background = true; /* its I/O yields the CPU to this UI thread */
    g->server_where[0] = '\0';
    g->server_served = 0;
    g->server_stopping = false;
    g->t0[SIDE_SERVER] = gui_now_ft();
    g->server = hve_session_start_server(&o, pump_wake, g, &err);
    free(bye);
    if (g->server) {
        history_add(g, true);
        SetTimer(g->dlg, GUI_TIMER_CLIENTS, GUI_CLIENTS_MS, NULL);
    }
    if (!g->server) {
        char t[300];
        hve_ui_server_stopped(err, 0, t, sizeof t);
        log_note(g, "server", "failed", hve_strerror(err), LOGROW_ERROR);
        gui_set_text(g->dlg, IDC_SERVER_STATUS, t);
    }
    server_status(g);
    update_controls(g);
}

/* The button of the question that stops the server. */
#define STOP_CONFIRM 100

/* "Stop the server?", how many clients it closes, and the buttons
 * Cancel (the default) and Stop Server: the GTK window's question. */
static bool confirm_stop(gui *g, unsigned n)
{
    char detail[100], label[64];
    wchar_t *title = gui_wide(hve_ui_text(HVE_UI_STOP_TITLE));
    wchar_t *question = gui_wide(hve_ui_text(HVE_UI_STOP_QUESTION));
    wchar_t *content = gui_wide(hve_ui_stop_detail(n, detail, sizeof detail));
    wchar_t *stop = gui_wide(hve_ui_mnemonic(hve_ui_text(HVE_UI_STOP_TITLE),
                                             's', '&', label, sizeof label));
    TASKDIALOG_BUTTON button;
    TASKDIALOGCONFIG tc;
    int answer = IDCANCEL;

    if (title && question && content && stop) {
        button.nButtonID = STOP_CONFIRM;
        button.pszButtonText = stop;
        memset(&tc, 0, sizeof tc);
        tc.cbSize = sizeof tc;
        tc.hwndParent = g->dlg;
        tc.dwFlags = TDF_POSITION_RELATIVE_TO_WINDOW;
        tc.dwCommonButtons = TDCBF_CANCEL_BUTTON;
        tc.pszWindowTitle = title;
        tc.pszMainIcon = TD_WARNING_ICON;
        tc.pszMainInstruction = question;
        tc.pszContent = content;
        tc.cButtons = 1;
        tc.pButtons = &button;
        tc.nDefaultButton = IDCANCEL;
        if (FAILED(TaskDialogIndirect(&tc, &answer, NULL, NULL)))
            answer = IDCANCEL;
    }
    free(title);
    free(question);
    free(content);
    free(stop);
    return answer == STOP_CONFIRM;
}

static void stop_server(gui *g)
{
    unsigned n;
    char t[300];

    if (!g->server || g->server_stopping)
        return;
    /* Exactly what a stop closes (session.h). */
    n = hve_session_conn_count(g->server);
    if (n > 0) {
        if (!confirm_stop(g, n) || !g->server || g->server_stopping)
            return;
        log_note(g, "server", "stopping",
                 hve_ui_stop_note(n, t, sizeof t), 0);
    }
    g->server_stopping = true;
    hve_session_stop(g->server); /* FINISHED follows: the pump frees it */
    server_status(g);
    update_controls(g);
}

/* ---- the client ---- */

/* The start thread: sets the message and starts the session (which
 * copies the typed text, and repeats it from a pattern of its own for a
 * Fill to), then hands the job back to the UI thread. */
static DWORD WINAPI client_start_thread(void *arg)
{
    client_job *j = arg;

    j->err = hve_client_opts_message(&j->o, j->text, j->len, (size_t)j->fill);
    if (!j->err) {
        j->t0 = gui_now_ft();
        j->o.background = true; /* its I/O yields the CPU to the UI */
        j->s = hve_session_start_client(&j->o, pump_wake, j->g, &j->err);
    }
    PostMessageW(j->g->dlg, WM_APP_CLIENT_READY, 0, (LPARAM)j);
    return 0;
}

static void client_outcome(gui *g, const char *text)
{
    gui_set_text(g->dlg, IDC_CLIENT_STATUS, text);
}

static void send_message(gui *g)
{
    client_job *j;
    char why[256];
    uint64_t fill;
    unsigned secs, repeat = 1;

    if (client_busy(g) || !is_client_mode(g))
        return;
    j = calloc(1, sizeof *j);
    if (!j)
        return;
    if (read_target(g, &j->o.target, why, sizeof why)) {
        field_error(g, kind_of(g, false)->prefix ? IDC_TARGET_ARG
                                                 : IDC_TARGET_KIND,
                    hve_ui_text(HVE_UI_TARGET_BAD), why);
        goto bad;
    }
    if (!read_service(g, &j->o.service, why, sizeof why)) {
        if (!service_unused(g)) {
            field_error(g, IDC_SERVICE, hve_ui_text(HVE_UI_SERVICE_BAD),
                        why);
            goto bad;
        }
        hve_service_default(&j->o.service); /* not used for TCP and Unix */
    }
    if (!read_fill(g, &fill)) {
        field_error(g, IDC_FILL, hve_ui_text(HVE_UI_FILL_BAD),
                    hve_ui_text(HVE_UI_FILL_WHY));
        goto bad;
    }
    if (!read_uint(g, IDC_TIMEOUT, 1, TIMEOUT_MAX_S, &secs)) {
        field_error(g, IDC_TIMEOUT, hve_ui_text(HVE_UI_TIMEOUT_BAD),
                    hve_ui_text(HVE_UI_TIMEOUT_WHY));
        goto bad;
    }
    j->o.until_stopped =
        IsDlgButtonChecked(g->dlg, IDC_UNTIL_STOPPED) == BST_CHECKED;
    if (!j->o.until_stopped &&
        !read_uint(g, IDC_REPEAT, 1, REPEAT_MAX, &repeat)) {
        field_error(g, IDC_REPEAT, hve_ui_text(HVE_UI_REPEAT_BAD),
                    hve_ui_text(HVE_UI_REPEAT_WHY));
        goto bad;
    }
    {
        char iv[64];
        int64_t us = 0;
        gui_get_text(g->dlg, IDC_INTERVAL, iv, sizeof iv);
        if (iv[0] && !hve_duration_parse(iv, INTERVAL_MAX_US, &us)) {
            field_error(g, IDC_INTERVAL, hve_ui_text(HVE_UI_INTERVAL_BAD),
                        hve_ui_text(HVE_UI_INTERVAL_WHY));
            goto bad;
        }
        j->o.interval_ms = (int)((us + 999) / 1000);
    }
    j->o.keep_going =
        IsDlgButtonChecked(g->dlg, IDC_KEEP_GOING) == BST_CHECKED;
    j->text = read_message(g, &j->len, why, sizeof why);
    if (!j->text) {
        field_error(g, IDC_MESSAGE, hve_ui_text(HVE_UI_MESSAGE_BAD), why);
        goto bad;
    }
    j->g = g;
    j->fill = fill;
    j->o.timeout_ms = (int)secs * 1000;
    j->o.count = repeat;
    j->o.first_round = g->client_first;
    g->job = j;
    g->cancel_asked = false;
    memset(&g->client_run, 0, sizeof g->client_run);
    g->client_last_round = 0;
    g->start_thread = CreateThread(NULL, 0, client_start_thread, j, 0, NULL);
    if (!g->start_thread) {
        g->job = NULL;
        free(j->text);
        free(j);
        char t[300];
        client_outcome(g, hve_ui_outcome(HVE_ENOMEM, 0, 0, t, sizeof t));
        return;
    }
    client_outcome(g, hve_ui_text(fill > j->len ? HVE_UI_PREPARING
                                                : HVE_UI_CONNECTING));
    history_add(g, false);
    gui_set_text(g->dlg, IDC_CLIENT_FIGURES, "");
    hve_stats_reset(g->stats);
    chart_update(g->chart);
    update_controls(g);
    return;
bad:
    free(j);
}

/* WM_APP_CLIENT_READY: the start thread is done with its job. */
static void client_ready(gui *g, client_job *j)
{
    if (g->start_thread) {
        WaitForSingleObject(g->start_thread, INFINITE); /* it has posted */
        CloseHandle(g->start_thread);
        g->start_thread = NULL;
    }
    g->job = NULL;
    free(j->text);
    if (!j->s) {
        char t[300];
        hve_ui_outcome(j->err, 0, 0, t, sizeof t);
        log_note(g, "client", "failed", hve_strerror(j->err), LOGROW_ERROR);
        client_outcome(g, t);
    } else {
        g->client = j->s;
        g->t0[SIDE_CLIENT] = j->t0;
        if (g->cancel_asked)
            hve_session_stop(g->client);
        pump_drain(g); /* events queued before g->client was set */
    }
    free(j);
    update_controls(g);
}

static void cancel_send(gui *g)
{
    /* Returns at once; the client ends with FINISHED (stopped), also
     * while its connect or a read still waits. */
    if (g->client)
        hve_session_stop(g->client);
    else if (g->start_thread)
        g->cancel_asked = true;
}

/* ---- what events mean for the dialog ---- */

void dialog_on_event(gui *g, int side, const hve_event *ev)
{
    char t[512];

    if (side == SIDE_SERVER) {
        switch (ev->kind) {
        case HVE_EV_LISTENING:
            snprintf(g->server_where, sizeof g->server_where, "%s",
                     ev->detail[0] ? ev->detail : "?");
            break;
        case HVE_EV_ACCEPTED:
            g->server_served++;
            break;
        case HVE_EV_FINISHED:
            hve_ui_server_stopped(ev->err, g->server_served, t, sizeof t);
            gui_set_text(g->dlg, IDC_SERVER_STATUS, t);
            return;
        default:
            break;
        }
        server_status(g);
        return;
    }

    if (ev->round > g->client_last_round)
        g->client_last_round = ev->round;
    hve_stats_feed(g->stats, ev);
    g->stats_dirty = true;
    if (!g->frame_timer) {
        SetTimer(g->dlg, GUI_TIMER_FRAME, GUI_FRAME_MS, NULL);
        g->frame_timer = true;
    }
    /* the outcome line follows each handshake, as in the GTK window; the
     * figures have a line of their own (frame) */
    const char *line = hve_ui_client_line(&g->client_run, ev, t, sizeof t);
    if (line)
        client_outcome(g, line);
}

/* The frame timer: the chart and the live line from the collected
 * figures, then the timer stops until new figures come. */
static void frame(gui *g)
{
    char t[300];
    if (!g->stats_dirty) {
        KillTimer(g->dlg, GUI_TIMER_FRAME);
        g->frame_timer = false;
        return;
    }
    g->stats_dirty = false;
    chart_update(g->chart);
    if (g->client && (hve_stats_done(g->stats) || hve_stats_failed(g->stats)))
        gui_set_text(g->dlg, IDC_CLIENT_FIGURES,
                     hve_stats_format(g->stats, HVE_STATS_LIVE, t, sizeof t));
}

void dialog_session_done(gui *g, int side)
{
    if (side == SIDE_SERVER) {
        g->server_stopping = false;
        KillTimer(g->dlg, GUI_TIMER_CLIENTS);
        clients_poll(g); /* empties the list */
    } else {
        char t[300];
        /* The next Send's numbers follow this one's. */
        g->client_first = (g->client_last_round ? g->client_last_round
                                                : g->client_first) +
                          1;
        g->stats_dirty = true;
        frame(g);
        /* The summary, in the core's words: the figures line and a row
         * (the GTK window's). */
        if (hve_stats_done(g->stats) + hve_stats_failed(g->stats) > 0) {
            hve_stats_format(g->stats, HVE_STATS_SUMMARY, t, sizeof t);
            gui_set_text(g->dlg, IDC_CLIENT_FIGURES, t);
            log_note(g, "client", "summary", t, 0);
        }
    }
    update_controls(g);
}

/* ---- the status line ---- */

static void update_status(gui *g)
{
    hve_service svc;
    char why[256], name[128], status[512];
    const char *reg = "service: not valid";

    if (read_service(g, &svc, why, sizeof why))
        reg = hve_service_registered(&svc, name, sizeof name)
                  ? "service registered"
                  : "service not registered";
    snprintf(status, sizeof status, "Hyper-V sockets: %s" DOT "%s" DOT
             "%s" DOT "hvecho %s",
             g->hyperv ? "available"
                       : "not available (needs Windows 10 1607 or later)",
             g->elevated ? "administrator" : "not administrator", reg,
             hve_version());
    gui_set_text(g->dlg, IDC_STATUS, status);
}

static void run_probe(gui *g)
{
    hve_probe p;
    hve_service svc;
    char why[256];
    bool have = read_service(g, &svc, why, sizeof why);
    hve_probe_run(&p, have ? &svc : NULL);
    g->hyperv = p.vsock;
    g->elevated = p.elevated;
    update_status(g);
}

static void about(gui *g)
{
    char t[600];
    wchar_t *w;
    snprintf(t, sizeof t, "hvecho %s\n\n%s", hve_version(),
             hve_ui_text(HVE_UI_ABOUT));
    w = gui_wide(t);
    if (w)
        MessageBoxW(g->dlg, w, L"About hvecho", MB_OK | MB_ICONINFORMATION);
    free(w);
}

/* ---- registration ---- */

static void copy_powershell(gui *g)
{
    hve_service svc;
    char why[256], cmd[1024], guid[HVE_GUID_STRLEN], note[1400];
    wchar_t *w;
    size_t n;

    if (!read_service(g, &svc, why, sizeof why)) {
        field_error(g, IDC_SERVICE, hve_ui_text(HVE_UI_SERVICE_BAD), why);
        return;
    }
    hve_service_register_command(&svc, "hvecho", cmd, sizeof cmd);
    w = gui_wide(cmd);
    if (w && gui_clipboard_set(g->dlg, w)) {
        /* the GTK window's notice, as a log row */
        hve_ui_register_copied(hve_guid_format(&svc.guid, guid), note,
                               sizeof note);
        n = strlen(note);
        snprintf(note + n, sizeof note - n, ". %s %s", HVE_UI_REGISTER_PASTE,
                 cmd);
        log_note(g, "", "copied", note, 0);
    }
    free(w);
}

static void register_service(gui *g)
{
    hve_service svc;
    char why[512], guid[HVE_GUID_STRLEN];
    wchar_t exe[MAX_PATH], params[128];
    SHELLEXECUTEINFOW sei;
    int err;

    if (!read_service(g, &svc, why, sizeof why)) {
        field_error(g, IDC_SERVICE, hve_ui_text(HVE_UI_SERVICE_BAD), why);
        return;
    }
    if (g->elevated) {
        err = hve_service_register(&svc, "hvecho", why, sizeof why);
        log_note(g, "", err ? "error" : "registered", why,
                err ? LOGROW_ERROR : 0);
        update_status(g);
        return;
    }
    /* Not elevated: run this program again as administrator with
     * "--register GUID" (main.c) and watch it with a timer. */
    hve_guid_format(&svc.guid, guid);
    wcscpy_s(params, sizeof params / sizeof params[0], L"--register ");
    MultiByteToWideChar(CP_UTF8, 0, guid, -1, params + wcslen(params),
                        HVE_GUID_STRLEN);
    GetModuleFileNameW(NULL, exe, MAX_PATH);
    memset(&sei, 0, sizeof sei);
    sei.cbSize = sizeof sei;
    sei.fMask = SEE_MASK_NOCLOSEPROCESS;
    sei.hwnd = g->dlg;
    sei.lpVerb = L"runas";
    sei.lpFile = exe;
    sei.lpParameters = params;
    sei.nShow = SW_HIDE;
    if (!ShellExecuteExW(&sei) || !sei.hProcess) {
        log_note(g, "", "error", "could not start the elevated helper (the prompt was "
                "declined?): copy the PowerShell and run it as "
                "administrator",
                LOGROW_ERROR);
        return;
    }
    g->reg_proc = sei.hProcess;
    SetTimer(g->dlg, GUI_TIMER_REGISTER, 250, NULL);
    log_note(g, "", "register", "waiting for the elevated helper", 0);
    update_controls(g);
}

static void register_poll(gui *g)
{
    DWORD code = 1;
    char text[256];

    if (!g->reg_proc ||
        WaitForSingleObject(g->reg_proc, 0) != WAIT_OBJECT_0)
        return;
    GetExitCodeProcess(g->reg_proc, &code);
    CloseHandle(g->reg_proc);
    g->reg_proc = NULL;
    KillTimer(g->dlg, GUI_TIMER_REGISTER);
    if (code == 0)
        snprintf(text, sizeof text, "the service is registered");
    else
        snprintf(text, sizeof text,
                 "the elevated helper failed (exit %lu)",
                 (unsigned long)code);
    log_note(g, "", code ? "error" : "registered", text,
            code ? LOGROW_ERROR : 0);
    update_status(g);
    update_controls(g);
}

/* ---- layout ---- */

static void capture_layout(gui *g)
{
    RECT rc;
    size_t i;
    GetClientRect(g->dlg, &rc);
    g->client0.cx = rc.right;
    g->client0.cy = rc.bottom;
    for (i = 0; i < sizeof anchors / sizeof anchors[0]; i++) {
        HWND c = GetDlgItem(g->dlg, anchors[i].id);
        GetWindowRect(c, &g->anchor_rc[i]);
        MapWindowPoints(NULL, g->dlg, (POINT *)&g->anchor_rc[i], 2);
    }
    GetWindowRect(g->dlg, &rc);
    g->min_size.cx = rc.right - rc.left;
    g->min_size.cy = rc.bottom - rc.top;
}

static void relayout(gui *g, int w, int h)
{
    int dx = w - g->client0.cx, dy = h - g->client0.cy;
    size_t i, n = sizeof anchors / sizeof anchors[0];
    HDWP dwp = BeginDeferWindowPos((int)n);

    for (i = 0; i < n && dwp; i++) {
        RECT r = g->anchor_rc[i];
        int how = anchors[i].how;
        if (how & MOVE_X)
            OffsetRect(&r, dx, 0);
        if (how & MOVE_Y)
            OffsetRect(&r, 0, dy);
        if (how & GROW_W)
            r.right += dx;
        if (how & GROW_H)
            r.bottom += dy;
        dwp = DeferWindowPos(dwp, GetDlgItem(g->dlg, anchors[i].id), NULL,
                             r.left, r.top, r.right - r.left,
                             r.bottom - r.top, SWP_NOZORDER | SWP_NOACTIVATE);
    }
    if (dwp)
        EndDeferWindowPos(dwp);
    log_fit_columns(g);
    InvalidateRect(g->dlg, NULL, TRUE);
}

/* ---- the dialog procedure ---- */

/* A kind list: the core's items for Windows. */
static void add_kinds(HWND dlg, int id, bool listen)
{
    size_t n, i;
    const hve_ui_kind_text *k =
        hve_ui_kinds(hve_platform_native(), listen, &n);
    for (i = 0; i < n; i++) {
        wchar_t *w = gui_wide(k[i].name);
        if (w)
            SendDlgItemMessageW(dlg, id, CB_ADDSTRING, 0, (LPARAM)w);
        free(w);
    }
}

/* A field's hint, shown grey while it is empty (the GTK window's
 * placeholder). A combo box's hint is its edit's (its child "Edit"). */
static void set_hint(HWND dlg, int id, const char *hint)
{
    HWND c = GetDlgItem(dlg, id);
    HWND edit = FindWindowExW(c, NULL, L"Edit", NULL);
    wchar_t *w = gui_wide(hint);

    if (w)
        SendMessageW(edit ? edit : c, EM_SETCUEBANNER, TRUE, (LPARAM)w);
    free(w);
}

/* The kind's hint in its value field. */
static void show_kind_hint(gui *g, bool listen)
{
    set_hint(g->dlg, listen ? IDC_LISTEN : IDC_TARGET_ARG,
             kind_of(g, listen)->hint);
}

/* A tip over a control, in the core's words. */
static void add_tip(gui *g, int id, const char *tip)
{
    TOOLINFOW ti;
    wchar_t *w = gui_wide(tip);

    if (!g->tips || !w) {
        free(w);
        return;
    }
    memset(&ti, 0, sizeof ti);
    ti.cbSize = sizeof ti;
    ti.uFlags = TTF_IDISHWND | TTF_SUBCLASS;
    ti.hwnd = g->dlg;
    ti.uId = (UINT_PTR)GetDlgItem(g->dlg, id);
    ti.lpszText = w;
    SendMessageW(g->tips, TTM_ADDTOOLW, 0, (LPARAM)&ti);
    free(w);
}

/* The labels, tips and hints that are the core's words (ui_text.h); the
 * keys are this dialog's own. */
static void set_words(gui *g)
{
    HWND d = g->dlg;
    gui_set_label(d, IDC_TIMEOUT_LABEL, hve_ui_text(HVE_UI_TIMEOUT), 'i',
                  true);
    gui_set_label(d, IDC_REPEAT_LABEL, hve_ui_text(HVE_UI_REPEAT), 'p',
                  true);
    gui_set_label(d, IDC_UNTIL_STOPPED, hve_ui_text(HVE_UI_UNTIL_STOPPED), 0,
                  false);
    gui_set_label(d, IDC_INTERVAL_LABEL, hve_ui_text(HVE_UI_INTERVAL), 0,
                  true);
    gui_set_label(d, IDC_KEEP_GOING, hve_ui_text(HVE_UI_KEEP_GOING), 'k',
                  false);
    gui_set_label(d, IDC_FILL_LABEL, hve_ui_text(HVE_UI_FILL_TO), 'f', true);
    gui_set_label(d, IDC_DECODE, hve_ui_text(HVE_UI_DECODE), 'h', false);
    gui_set_label(d, IDC_CHART_LABEL, hve_ui_text(HVE_UI_CHART), 0, true);
    gui_set_label(d, IDC_DETAIL_LABEL, hve_ui_text(HVE_UI_DETAILS), 0, true);
    gui_set_label(d, IDC_BYE_LABEL, hve_ui_text(HVE_UI_BYE), 'b', true);
    gui_set_label(d, IDC_CLEAR, hve_ui_text(HVE_UI_CLEAR), 'e', false);
    gui_set_label(d, IDC_COPY, hve_ui_text(HVE_UI_COPY), 'y', false);
    gui_set_label(d, IDC_SAVE, hve_ui_text(HVE_UI_SAVE), 'x', false);
    gui_set_text(d, IDC_CLIENT_STATUS, hve_ui_text(HVE_UI_READY));
    gui_set_text(d, IDC_SERVER_STATUS, hve_ui_text(HVE_UI_NOT_RUNNING));
    set_hint(d, IDC_INTERVAL, hve_ui_text(HVE_UI_INTERVAL_HINT));
    set_hint(d, IDC_FILL, hve_ui_text(HVE_UI_FILL_HINT));
    g->tips = CreateWindowExW(0, TOOLTIPS_CLASSW, NULL,
                              WS_POPUP | TTS_ALWAYSTIP | TTS_NOPREFIX,
                              CW_USEDEFAULT, CW_USEDEFAULT, CW_USEDEFAULT,
                              CW_USEDEFAULT, d, NULL, NULL, NULL);
    if (g->tips)
        SendMessageW(g->tips, TTM_SETMAXTIPWIDTH, 0, 400);
    add_tip(g, IDC_UNTIL_STOPPED, hve_ui_text(HVE_UI_UNTIL_STOPPED_TIP));
    add_tip(g, IDC_INTERVAL, hve_ui_text(HVE_UI_INTERVAL_TIP));
    add_tip(g, IDC_KEEP_GOING, hve_ui_text(HVE_UI_KEEP_GOING_TIP));
    add_tip(g, IDC_FILL, hve_ui_text(HVE_UI_FILL_TIP));
    add_tip(g, IDC_DECODE, hve_ui_text(HVE_UI_DECODE_TIP));
    add_tip(g, IDC_SEND, hve_ui_text(HVE_UI_SEND_TIP));
}

static void init_dialog(HWND dlg, gui *g)
{
    hve_service svc;
    char guid[HVE_GUID_STRLEN];

    g->dlg = dlg;
    g->log = GetDlgItem(dlg, IDC_LOG);
    g->client_first = 1;
    SetWindowLongPtrW(dlg, GWLP_USERDATA, (LONG_PTR)g);
    SendMessageW(dlg, WM_SETICON, ICON_BIG, (LPARAM)g->icon_big);
    SendMessageW(dlg, WM_SETICON, ICON_SMALL, (LPARAM)g->icon_small);

    add_kinds(dlg, IDC_LISTEN_KIND, true);
    add_kinds(dlg, IDC_TARGET_KIND, false);
    set_words(g);
    SendDlgItemMessageW(dlg, IDC_LISTEN_KIND, CB_SETCURSEL, LISTEN_WILDCARD,
                        0);
    SendDlgItemMessageW(dlg, IDC_TARGET_KIND, CB_SETCURSEL, TARGET_LOOPBACK,
                        0);
    SendDlgItemMessageW(dlg, IDC_TIMEOUT_SPIN, UDM_SETRANGE32, 1,
                        TIMEOUT_MAX_S);
    SendDlgItemMessageW(dlg, IDC_REPEAT_SPIN, UDM_SETRANGE32, 1, REPEAT_MAX);
    /* A message may be any size: the edit's own limit is 30,000. */
    SendDlgItemMessageW(dlg, IDC_MESSAGE, EM_SETLIMITTEXT, 0, 0);
    SendDlgItemMessageW(dlg, IDC_BYE, EM_SETLIMITTEXT, 4096, 0);
    g->history = hve_history_new(0);

    /* Defaults, then what the last run left. */
    hve_service_default(&svc);
    gui_set_text(dlg, IDC_SERVICE, hve_guid_format(&svc.guid, guid));
    SetDlgItemTextW(dlg, IDC_BYE, L"bye");
    SetDlgItemTextW(dlg, IDC_MESSAGE, L"" DEFAULT_MESSAGE);
    SetDlgItemTextW(dlg, IDC_TIMEOUT, L"5");
    SetDlgItemTextW(dlg, IDC_REPEAT, L"1");
    CheckRadioButton(dlg, IDC_MODE_SERVER, IDC_MODE_CLIENT, IDC_MODE_CLIENT);
    settings_load(g);
    g->listen_kind = combo_sel(g, IDC_LISTEN_KIND);
    g->target_kind = combo_sel(g, IDC_TARGET_KIND);
    show_kind_hint(g, true);
    show_kind_hint(g, false);

    g->stats = hve_stats_new();
    g->chart = GetDlgItem(dlg, IDC_CHART);
    chart_attach(g->chart, g->stats);
    g->mono = CreateFontW(-MulDiv(9, GetDeviceCaps(GetDC(dlg), LOGPIXELSY),
                                  72),
                          0, 0, 0, FW_NORMAL, FALSE, FALSE, FALSE,
                          DEFAULT_CHARSET, OUT_DEFAULT_PRECIS,
                          CLIP_DEFAULT_PRECIS, DEFAULT_QUALITY,
                          FIXED_PITCH | FF_MODERN, L"Consolas");
    if (g->mono)
        SendDlgItemMessageW(dlg, IDC_DETAIL, WM_SETFONT, (WPARAM)g->mono, 0);
    log_init(g);
    log_show_detail(g);
    clients_init(g);
    history_fill(g, true);
    history_fill(g, false);
    capture_layout(g);
    check_service(g);
    check_listen(g);
    check_target(g);
    check_message(g);
    run_probe(g);
    update_controls(g);
}

static void close_dialog(gui *g)
{
    int i;

    settings_save(g);
    /* A Send still being prepared: its thread ends soon by itself. */
    if (g->start_thread) {
        WaitForSingleObject(g->start_thread, INFINITE);
        CloseHandle(g->start_thread);
        g->start_thread = NULL;
        if (g->job) {
            if (g->job->s)
                hve_session_free(g->job->s);
            free(g->job->text);
            free(g->job);
            g->job = NULL;
        }
    }
    /* Stopping returns at once; free joins the worker, which notices the
     * stop within 100 ms. */
    if (g->server)
        hve_session_stop(g->server);
    if (g->client)
        hve_session_stop(g->client);
    if (g->server)
        hve_session_free(g->server);
    if (g->client)
        hve_session_free(g->client);
    g->server = g->client = NULL;
    pump_forget(g, SIDE_SERVER);
    pump_forget(g, SIDE_CLIENT);
    if (g->reg_proc) {
        KillTimer(g->dlg, GUI_TIMER_REGISTER);
        CloseHandle(g->reg_proc);
        g->reg_proc = NULL;
    }
    KillTimer(g->dlg, GUI_TIMER_FRAME);
    KillTimer(g->dlg, GUI_TIMER_CLIENTS);
    chart_attach(g->chart, NULL);
    hve_stats_free(g->stats);
    g->stats = NULL;
    hve_history_free(g->history);
    g->history = NULL;
    if (g->mono)
        DeleteObject(g->mono);
    log_clear(g);
    free(g->rows);
    free(g->merges);
    for (i = 0; i < LISTEN_KINDS; i++)
        free(g->listen_vals[i]);
    for (i = 0; i < TARGET_KINDS; i++)
        free(g->target_vals[i]);
    EndDialog(g->dlg, 0);
}

static void copy_rows(gui *g)
{
    wchar_t *text = log_text(g, ListView_GetSelectedCount(g->log) > 0);
    if (text)
        gui_clipboard_set(g->dlg, text);
    free(text);
}

static void on_command(gui *g, int id, int code)
{
    switch (id) {
    case IDC_MODE_SERVER:
    case IDC_MODE_CLIENT:
        if (code == BN_CLICKED) {
            check_service(g);
            update_controls(g);
        }
        break;
    case IDC_START:
        start_server(g);
        break;
    case IDC_STOP:
        stop_server(g);
        break;
    case IDC_SEND:
    case IDOK: /* Enter */
        send_message(g);
        break;
    case IDC_CANCEL_SEND:
        cancel_send(g);
        break;
    case IDCANCEL:
        /* Esc: do not close a dialog that may be running a server. */
        break;
    case IDC_SERVICE:
        if (code == EN_CHANGE) {
            check_service(g);
            check_listen(g);
            check_target(g);
            update_status(g);
        }
        break;
    case IDC_LISTEN:
        if (code == CBN_EDITCHANGE)
            check_listen(g);
        else if (code == CBN_SELCHANGE || code == CBN_CLOSEUP)
            PostMessageW(g->dlg, WM_APP_RECHECK, 0, 0);
        break;
    case IDC_LISTEN_KIND:
        if (code == CBN_SELCHANGE) {
            apply_kind(g, IDC_LISTEN_KIND, IDC_LISTEN, g->listen_vals,
                       &g->listen_kind, combo_sel(g, IDC_LISTEN_KIND));
            history_fill(g, true);
            show_kind_hint(g, true);
            check_listen(g);
            check_service(g);
            update_controls(g);
        }
        break;
    case IDC_TARGET_ARG:
        if (code == CBN_EDITCHANGE)
            check_target(g);
        else if (code == CBN_SELCHANGE || code == CBN_CLOSEUP)
            PostMessageW(g->dlg, WM_APP_RECHECK, 0, 0);
        break;
    case IDC_TARGET_KIND:
        if (code == CBN_SELCHANGE) {
            apply_kind(g, IDC_TARGET_KIND, IDC_TARGET_ARG, g->target_vals,
                       &g->target_kind, combo_sel(g, IDC_TARGET_KIND));
            history_fill(g, false);
            show_kind_hint(g, false);
            check_target(g);
            check_service(g);
            update_controls(g);
        }
        break;
    case IDC_MESSAGE:
    case IDC_FILL:
        if (code == EN_CHANGE)
            check_message(g);
        break;
    case IDC_DECODE:
        if (code == BN_CLICKED)
            check_message(g);
        break;
    case IDC_UNTIL_STOPPED:
        if (code == BN_CLICKED)
            update_controls(g);
        break;
    case IDC_CLEAR:
        log_clear(g);
        break;
    case IDC_SAVE:
        log_save(g);
        break;
    case IDC_COPY:
        copy_rows(g);
        break;
    case IDC_COPY_PS:
        copy_powershell(g);
        break;
    case IDC_REGISTER:
        register_service(g);
        break;
    case IDC_ABOUT:
        about(g);
        break;
    default:
        break;
    }
}

INT_PTR CALLBACK dialog_proc(HWND dlg, UINT msg, WPARAM wp, LPARAM lp)
{
    gui *g = get_gui(dlg);
    LRESULT r;

    switch (msg) {
    case WM_INITDIALOG:
        init_dialog(dlg, (gui *)lp);
        return TRUE;
    case WM_APP_SESSION:
        if (g)
            pump_drain(g);
        return TRUE;
    case WM_APP_CLIENT_READY:
        if (g)
            client_ready(g, (client_job *)lp);
        return TRUE;
    case WM_APP_RELAYOUT:
        if (g)
            capture_layout(g);
        return TRUE;
    case WM_APP_ROWMARKS:
        SetWindowLongPtrW(dlg, DWLP_MSGRESULT,
                          g && wp < g->nrows ? g->rows[wp].flags : 0);
        return TRUE;
    case WM_DPICHANGED:
        /* The system rescales the dialog (per-monitor v2); take the new
         * layout as the base once it has. */
        PostMessageW(dlg, WM_APP_RELAYOUT, 0, 0);
        return FALSE;
    case WM_COMMAND:
        if (g)
            on_command(g, LOWORD(wp), HIWORD(wp));
        return TRUE;
    case WM_NOTIFY:
        if (!g)
            return FALSE;
        if (((NMHDR *)lp)->idFrom == IDC_LOG &&
            log_notify(g, (NMHDR *)lp, &r)) {
            SetWindowLongPtrW(dlg, DWLP_MSGRESULT, r);
            return TRUE;
        }
        /* A column resized by hand: the Text column takes the rest. */
        if (((NMHDR *)lp)->hwndFrom == ListView_GetHeader(g->log) &&
            (((NMHDR *)lp)->code == HDN_ENDTRACKW ||
             ((NMHDR *)lp)->code == HDN_ITEMCHANGEDW))
            log_fit_columns(g);
        return FALSE;
    case WM_TIMER:
        if (g && wp == GUI_TIMER_REGISTER)
            register_poll(g);
        else if (g && wp == GUI_TIMER_FRAME)
            frame(g);
        else if (g && wp == GUI_TIMER_CLIENTS)
            clients_poll(g);
        return TRUE;
    case WM_APP_RECHECK:
        /* a value picked from a field's list is in the field now */
        if (g) {
            check_listen(g);
            check_target(g);
        }
        return TRUE;
    case WM_SIZE:
        if (g && wp != SIZE_MINIMIZED)
            relayout(g, LOWORD(lp), HIWORD(lp));
        return TRUE;
    case WM_GETMINMAXINFO:
        if (g && g->min_size.cx) {
            MINMAXINFO *mm = (MINMAXINFO *)lp;
            mm->ptMinTrackSize.x = g->min_size.cx;
            mm->ptMinTrackSize.y = g->min_size.cy;
        }
        return TRUE;
    case WM_CLOSE:
        if (g)
            close_dialog(g);
        return TRUE;
    default:
        return FALSE;
    }
}
