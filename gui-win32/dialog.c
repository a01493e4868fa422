/* dialog.c - hvecho-gui.exe's main dialog: the fields, live checks of the
 * target and service, Start / Stop Server and Send, which run core
 * sessions (hvecho/session.h), and the log of their events.
 *
 * Threads: the dialog procedure runs on the UI thread; the sessions' work
 * runs on their own worker threads. A worker only calls wake(), which
 * posts WM_APP_SESSION; the UI thread then drains the events with
 * hve_session_next. No control is ever touched from a worker. The state
 * lives in the dialog's GWLP_USERDATA. */
#include "gui.h"

#include <commctrl.h>
#include <shellapi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "hvecho/register.h"
#include "resource.h"

/* Events handled per WM_APP_SESSION, so a flood cannot freeze the UI. */
#define DRAIN_BATCH 256
#define TIMEOUT_MAX_S 300

static const wchar_t *const target_names[] = {
    L"Loopback", L"Parent", L"Children", L"VM GUID", L"TCP host:port",
};

/* Controls that follow a resize: the log grows, the row of buttons and
 * the status line move down, the right-hand buttons also move right. */
#define GROW_W 1
#define GROW_H 2
#define MOVE_X 4
#define MOVE_Y 8
static const struct {
    int id;
    int how;
} anchors[8] = {
    {IDC_LOG, GROW_W | GROW_H},          {IDC_CLEAR, MOVE_Y},
    {IDC_SAVE, MOVE_Y},                  {IDC_COPY, MOVE_Y},
    {IDC_COPY_PS, MOVE_X | MOVE_Y},      {IDC_REGISTER, MOVE_X | MOVE_Y},
    {IDC_STATUS, GROW_W | MOVE_Y},       {IDC_LOG_LABEL, 0},
};

static gui *get_gui(HWND dlg)
{
    return (gui *)GetWindowLongPtrW(dlg, GWLP_USERDATA);
}

/* ---- the sessions' side ---- */

/* Called FROM A WORKER THREAD: posts one message at a time; the UI
 * thread clears the flag before it drains. */
static void wake(void *user)
{
    gui *g = user;
    if (InterlockedExchange(&g->wake_pending, 1) == 0)
        PostMessageW(g->dlg, WM_APP_SESSION, 0, 0);
}

static bool is_client_mode(gui *g)
{
    return IsDlgButtonChecked(g->dlg, IDC_MODE_CLIENT) == BST_CHECKED;
}

static void update_controls(gui *g)
{
    bool client = is_client_mode(g);
    int kind = (int)SendDlgItemMessageW(g->dlg, IDC_TARGET_KIND,
                                        CB_GETCURSEL, 0, 0);
    static const int server_ids[] = {IDC_LISTEN, IDC_BYE};
    static const int client_ids[] = {IDC_TARGET_KIND, IDC_MESSAGE,
                                     IDC_TIMEOUT, IDC_TIMEOUT_SPIN};
    size_t i;

    for (i = 0; i < sizeof server_ids / sizeof server_ids[0]; i++)
        EnableWindow(GetDlgItem(g->dlg, server_ids[i]), !client);
    for (i = 0; i < sizeof client_ids / sizeof client_ids[0]; i++)
        EnableWindow(GetDlgItem(g->dlg, client_ids[i]), client);
    EnableWindow(GetDlgItem(g->dlg, IDC_TARGET_ARG),
                 client && (kind == TARGET_VMGUID || kind == TARGET_TCP));
    EnableWindow(GetDlgItem(g->dlg, IDC_START), !client && !g->server);
    EnableWindow(GetDlgItem(g->dlg, IDC_STOP), g->server != NULL);
    EnableWindow(GetDlgItem(g->dlg, IDC_SEND), client && !g->client);
    EnableWindow(GetDlgItem(g->dlg, IDC_CANCEL_SEND), g->client != NULL);
    EnableWindow(GetDlgItem(g->dlg, IDC_REGISTER), g->reg_proc == NULL);
}

static void fmt_ms(char *buf, size_t len, int64_t us)
{
    snprintf(buf, len, "%.1f ms", (double)us / 1000.0);
}

/* One log row for one event; when is its wall time (FILETIME count). */
static void show_event(gui *g, const hve_event *ev, bool server,
                       int64_t when)
{
    char conn[48], event[48], ms[32];
    char *text;
    size_t cap = HVE_EVENT_DATA_CAP * 4 + 512;
    int flags = 0;
    size_t n;

    text = malloc(cap);
    if (!text)
        return;
    text[0] = '\0';

    if (server)
        snprintf(conn, sizeof conn, ev->conn ? "server #%llu" : "server",
                 (unsigned long long)ev->conn);
    else if (ev->round > 1)
        snprintf(conn, sizeof conn, "client %u.%u", g->client_runs,
                 ev->round);
    else
        snprintf(conn, sizeof conn, "client %u", g->client_runs);

    snprintf(event, sizeof event, "%s", hve_event_kind_name(ev->kind));
    if (ev->data)
        hve_escape(ev->data, ev->len, text, cap - 64);
    n = strlen(text);
    if (ev->truncated)
        n += (size_t)snprintf(text + n, cap - n, " ... (%llu bytes)",
                              (unsigned long long)ev->bytes);

    switch (ev->kind) {
    case HVE_EV_LISTENING:
    case HVE_EV_CONNECTING:
        snprintf(text + n, cap - n, "%s", ev->detail);
        break;
    case HVE_EV_CONNECTED:
        fmt_ms(ms, sizeof ms, ev->dur_us);
        snprintf(text + n, cap - n, "connected in %s", ms);
        break;
    case HVE_EV_SENT:
        snprintf(event, sizeof event, "sent \xE2\x86\x92");
        break;
    case HVE_EV_RECEIVED:
        snprintf(event, sizeof event, "received \xE2\x86\x90");
        if (!server && ev->dur_us >= 0) {
            fmt_ms(ms, sizeof ms, ev->dur_us);
            snprintf(text + n, cap - n, "   (echo round trip %s)", ms);
        }
        break;
    case HVE_EV_BYE:
        flags = LOGROW_BYE;
        snprintf(event, sizeof event,
                 server ? "BYE \xE2\x86\x92" : "BYE \xE2\x86\x90");
        if (!server && ev->dur_us >= 0) {
            fmt_ms(ms, sizeof ms, ev->dur_us);
            snprintf(text + n, cap - n, "   (%s)", ms);
        }
        break;
    case HVE_EV_SHUTDOWN:
        snprintf(text + n, cap - n, "%s",
                 ev->detail[0] ? ev->detail
                 : server      ? "the client shut down its sending side"
                               : "shut down our sending side");
        break;
    case HVE_EV_CLOSED:
        if (ev->err == HVE_ECANCELED) {
            snprintf(text + n, cap - n, "%s", hve_strerror(ev->err));
        } else if (ev->err && !server) {
            flags = LOGROW_ERROR;
            snprintf(text + n, cap - n, "%s", hve_strerror(ev->err));
        } else if (ev->err) {
            flags = LOGROW_ERROR;
            snprintf(text + n, cap - n, "%llu bytes echoed; %s",
                     (unsigned long long)ev->bytes, hve_strerror(ev->err));
        } else {
            snprintf(text + n, cap - n, "%llu bytes echoed",
                     (unsigned long long)ev->bytes);
        }
        break;
    case HVE_EV_ERROR:
        flags = LOGROW_ERROR;
        snprintf(text + n, cap - n, "%s%s%s%s%s", hve_strerror(ev->err),
                 ev->detail[0] ? ": " : "", ev->detail,
                 hve_hint(ev->err)[0] ? " \xE2\x80\x94 " : "",
                 hve_hint(ev->err));
        break;
    case HVE_EV_FINISHED:
        if (ev->err == 0)
            snprintf(text + n, cap - n, "%s",
                     server ? "server stopped" : "handshake complete");
        else if (ev->err == HVE_ECANCELED)
            snprintf(text + n, cap - n, "stopped");
        else {
            flags = LOGROW_ERROR;
            snprintf(text + n, cap - n, "failed: %s", hve_strerror(ev->err));
        }
        break;
    default:
        snprintf(text + n, cap - n, "%s", ev->detail);
        break;
    }
    log_add_at(g, when, conn, event, ev->peer, text, flags);
    free(text);
}

/* An event taken from a session, with its wall time. */
typedef struct pending {
    int64_t when;
    size_t seq; /* keeps the queue's order among equal times */
    bool server;
    hve_event *ev;
} pending;

static int pending_cmp(const void *a, const void *b)
{
    const pending *x = a, *y = b;
    if (x->when != y->when)
        return x->when < y->when ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Takes up to budget events from one session into out[*n...]. Returns
 * true when FINISHED was among them. */
static bool take(hve_session *s, bool server, int64_t t0, int budget,
                 pending *out, size_t *n)
{
    bool finished = false;
    hve_event *ev;
    while (s && budget-- > 0 && (ev = hve_session_next(s)) != NULL) {
        out[*n].when = t0 + ev->t_us * 10; /* us -> 100 ns */
        out[*n].seq = *n;
        out[*n].server = server;
        out[*n].ev = ev;
        finished = finished || ev->kind == HVE_EV_FINISHED;
        (*n)++;
    }
    return finished;
}

/* Moves what both sessions queued into the log, in the order it
 * happened; frees a session that has finished (its worker is done, so
 * the join is immediate). */
static void drain(gui *g)
{
    pending batch[2 * DRAIN_BATCH];
    size_t n = 0, i;
    bool server_done, client_done;

    InterlockedExchange(&g->wake_pending, 0);
    server_done =
        take(g->server, true, g->server_t0, DRAIN_BATCH, batch, &n);
    client_done = take(g->client, false, g->client_t0, DRAIN_BATCH, batch,
                       &n);
    qsort(batch, n, sizeof batch[0], pending_cmp);
    for (i = 0; i < n; i++) {
        show_event(g, batch[i].ev, batch[i].server, batch[i].when);
        hve_event_free(batch[i].ev);
    }
    if (server_done) {
        hve_session_free(g->server);
        g->server = NULL;
    }
    if (client_done) {
        hve_session_free(g->client);
        g->client = NULL;
    }
    if (n >= DRAIN_BATCH)
        wake(g); /* more may wait: come back after other messages */
    update_controls(g);
}

/* A bad field: a log row that says why, and the focus on the field. */
static void field_error(gui *g, int id, int err, const char *why)
{
    char text[512];
    snprintf(text, sizeof text, "%s: %s", hve_strerror(err), why);
    log_add(g, "", "error", "", text, LOGROW_ERROR);
    MessageBeep(MB_ICONWARNING);
    SetFocus(GetDlgItem(g->dlg, id));
}

static bool read_service(gui *g, hve_service *svc, char *why, size_t len)
{
    char text[GUI_FIELD_MAX];
    gui_get_text(g->dlg, IDC_SERVICE, text, sizeof text);
    return hve_service_parse(text, hve_platform_native(), svc, why, len) ==
           0;
}

/* The message or bye field: escapes (\n, \xHH) decoded. Returns the
 * length, or (size_t)-1 on a bad escape. */
static size_t read_bytes(gui *g, int id, unsigned char *out, size_t cap)
{
    char text[GUI_FIELD_MAX];
    gui_get_text(g->dlg, id, text, sizeof text);
    return hve_unescape(text, out, cap);
}

static void start_server(gui *g)
{
    hve_server_opts o;
    char text[GUI_FIELD_MAX], why[256];
    unsigned char bye[GUI_FIELD_MAX];
    size_t bye_len;
    int err = 0;

    if (g->server)
        return;
    memset(&o, 0, sizeof o);
    gui_get_text(g->dlg, IDC_LISTEN, text, sizeof text);
    err = hve_listen_parse(text, hve_platform_native(), &o.listen, why,
                           sizeof why);
    if (err) {
        field_error(g, IDC_LISTEN, err, why);
        return;
    }
    if (!read_service(g, &o.service, why, sizeof why)) {
        field_error(g, IDC_SERVICE, HVE_EBADSERVICE, why);
        return;
    }
    bye_len = read_bytes(g, IDC_BYE, bye, sizeof bye);
    if (bye_len == (size_t)-1) {
        field_error(g, IDC_BYE, HVE_EBADINPUT,
                    "bad escape in the bye text (use \\n \\t \\\\ \\xHH)");
        return;
    }
    o.bye = bye;
    o.bye_len = bye_len; /* 0: the default "bye" */
    o.data_events = true;
    g->server_t0 = gui_now_ft();
    g->server = hve_session_start_server(&o, wake, g, &err);
    if (!g->server)
        log_add(g, "server", "error", "", hve_strerror(err), LOGROW_ERROR);
    update_controls(g);
}

static void stop_server(gui *g)
{
    if (g->server)
        hve_session_stop(g->server); /* FINISHED follows: drain frees */
}

/* The target field as the text hve_target_parse takes. */
static void target_text(gui *g, char *out, size_t len)
{
    char arg[GUI_FIELD_MAX];
    int kind = (int)SendDlgItemMessageW(g->dlg, IDC_TARGET_KIND,
                                        CB_GETCURSEL, 0, 0);
    gui_get_text(g->dlg, IDC_TARGET_ARG, arg, sizeof arg);
    switch (kind) {
    case TARGET_PARENT:
        snprintf(out, len, "parent");
        break;
    case TARGET_CHILDREN:
        snprintf(out, len, "children");
        break;
    case TARGET_VMGUID:
        snprintf(out, len, "%s", arg);
        break;
    case TARGET_TCP:
        snprintf(out, len, "%s%s", strncmp(arg, "tcp:", 4) ? "tcp:" : "",
                 arg);
        break;
    default:
        snprintf(out, len, "loopback");
        break;
    }
}

static void send_message(gui *g)
{
    hve_client_opts o;
    char text[GUI_FIELD_MAX], why[256];
    unsigned char msg[GUI_FIELD_MAX];
    size_t msg_len;
    BOOL ok;
    UINT secs;
    int err = 0;

    if (g->client || !is_client_mode(g))
        return;
    memset(&o, 0, sizeof o);
    target_text(g, text, sizeof text);
    err = hve_target_parse(text, hve_platform_native(), &o.target, why,
                           sizeof why);
    if (err) {
        field_error(g, IDC_TARGET_ARG, err, why);
        return;
    }
    if (!read_service(g, &o.service, why, sizeof why)) {
        field_error(g, IDC_SERVICE, HVE_EBADSERVICE, why);
        return;
    }
    msg_len = read_bytes(g, IDC_MESSAGE, msg, sizeof msg);
    if (msg_len == (size_t)-1) {
        field_error(g, IDC_MESSAGE, HVE_EBADINPUT,
                    "bad escape in the message (use \\n \\t \\\\ \\xHH)");
        return;
    }
    secs = GetDlgItemInt(g->dlg, IDC_TIMEOUT, &ok, FALSE);
    if (!ok || secs < 1 || secs > TIMEOUT_MAX_S) {
        field_error(g, IDC_TIMEOUT, HVE_EBADINPUT,
                    "the timeout is 1 to 300 seconds");
        return;
    }
    o.message = msg;
    o.message_len = msg_len; /* 0: the default "this is a test" */
    o.timeout_ms = (int)secs * 1000;
    g->client_runs++;
    g->client_t0 = gui_now_ft();
    g->client = hve_session_start_client(&o, wake, g, &err);
    if (!g->client)
        log_add(g, "client", "error", "", hve_strerror(err), LOGROW_ERROR);
    update_controls(g);
}

/* ---- live checks and the status line ---- */

static void check_service(gui *g)
{
    hve_service svc;
    char why[256], other[256];
    const char *warn;

    if (read_service(g, &svc, why, sizeof why)) {
        hve_service_describe(&svc, other, sizeof other);
        warn = hve_service_linux_warning(&svc);
        gui_set_text(g->dlg, IDC_SERVICE_OTHER, other);
        gui_set_text(g->dlg, IDC_SERVICE_WARN, warn ? warn : "");
    } else {
        gui_set_text(g->dlg, IDC_SERVICE_OTHER, why);
        gui_set_text(g->dlg, IDC_SERVICE_WARN, "");
    }
}

static void check_target(gui *g)
{
    hve_addr a;
    hve_service svc;
    char text[GUI_FIELD_MAX], why[256], shown[512];
    bool have_svc;

    target_text(g, text, sizeof text);
    have_svc = read_service(g, &svc, why, sizeof why);
    if (hve_target_parse(text, hve_platform_native(), &a, why,
                         sizeof why) == 0) {
        char addr[400];
        hve_addr_format(&a, have_svc ? &svc : NULL, addr, sizeof addr);
        snprintf(shown, sizeof shown, "\xE2\x9C\x93 %s", addr);
    } else {
        snprintf(shown, sizeof shown, "\xE2\x9C\x97 %s", why);
    }
    gui_set_text(g->dlg, IDC_TARGET_CHECK, shown);
}

static void update_status(gui *g)
{
    hve_service svc;
    char why[256], name[128], status[512];
    const char *reg = "service: not valid";

    if (read_service(g, &svc, why, sizeof why))
        reg = hve_service_registered(&svc, name, sizeof name)
                  ? "service registered"
                  : "service not registered";
    snprintf(status, sizeof status, "Hyper-V sockets: %s  \xC2\xB7  %s  "
             "\xC2\xB7  %s  \xC2\xB7  hvecho %s",
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

/* ---- registration ---- */

static void copy_powershell(gui *g)
{
    hve_service svc;
    char why[256], cmd[1024];
    wchar_t *w;

    if (!read_service(g, &svc, why, sizeof why)) {
        field_error(g, IDC_SERVICE, HVE_EBADSERVICE, why);
        return;
    }
    hve_service_register_command(&svc, "hvecho", cmd, sizeof cmd);
    w = gui_wide(cmd);
    if (w && gui_clipboard_set(g->dlg, w))
        log_add(g, "", "copied", "", cmd, 0);
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
        field_error(g, IDC_SERVICE, HVE_EBADSERVICE, why);
        return;
    }
    if (g->elevated) {
        err = hve_service_register(&svc, "hvecho", why, sizeof why);
        log_add(g, "", err ? "error" : "registered", "", why,
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
        log_add(g, "", "error", "",
                "could not start the elevated helper (the prompt was "
                "declined?): copy the PowerShell and run it as "
                "administrator",
                LOGROW_ERROR);
        return;
    }
    g->reg_proc = sei.hProcess;
    SetTimer(g->dlg, GUI_TIMER_REGISTER, 250, NULL);
    log_add(g, "", "register", "", "waiting for the elevated helper", 0);
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
    log_add(g, "", code ? "error" : "registered", "", text,
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
    InvalidateRect(g->dlg, NULL, TRUE);
}

/* ---- the dialog procedure ---- */

static void init_dialog(HWND dlg, gui *g)
{
    size_t i;
    hve_service svc;
    char guid[HVE_GUID_STRLEN];

    g->dlg = dlg;
    g->log = GetDlgItem(dlg, IDC_LOG);
    SetWindowLongPtrW(dlg, GWLP_USERDATA, (LONG_PTR)g);
    SendMessageW(dlg, WM_SETICON, ICON_BIG, (LPARAM)g->icon_big);
    SendMessageW(dlg, WM_SETICON, ICON_SMALL, (LPARAM)g->icon_small);

    for (i = 0; i < sizeof target_names / sizeof target_names[0]; i++)
        SendDlgItemMessageW(dlg, IDC_TARGET_KIND, CB_ADDSTRING, 0,
                            (LPARAM)target_names[i]);
    SendDlgItemMessageW(dlg, IDC_TARGET_KIND, CB_SETCURSEL, TARGET_LOOPBACK,
                        0);
    SendDlgItemMessageW(dlg, IDC_TIMEOUT_SPIN, UDM_SETRANGE32, 1,
                        TIMEOUT_MAX_S);

    /* Defaults, then what the last run left. */
    hve_service_default(&svc);
    gui_set_text(dlg, IDC_SERVICE, hve_guid_format(&svc.guid, guid));
    SetDlgItemTextW(dlg, IDC_LISTEN, L"wildcard");
    SetDlgItemTextW(dlg, IDC_BYE, L"bye");
    SetDlgItemTextW(dlg, IDC_MESSAGE, L"this is a test");
    SetDlgItemTextW(dlg, IDC_TIMEOUT, L"5");
    CheckRadioButton(dlg, IDC_MODE_SERVER, IDC_MODE_CLIENT, IDC_MODE_CLIENT);
    settings_load(g);

    log_init(g);
    capture_layout(g);
    check_service(g);
    check_target(g);
    run_probe(g);
    update_controls(g);
}

static void close_dialog(gui *g)
{
    settings_save(g);
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
    if (g->reg_proc) {
        KillTimer(g->dlg, GUI_TIMER_REGISTER);
        CloseHandle(g->reg_proc);
        g->reg_proc = NULL;
    }
    EndDialog(g->dlg, 0);
}

static void on_command(gui *g, int id, int code)
{
    wchar_t *text;

    switch (id) {
    case IDC_MODE_SERVER:
    case IDC_MODE_CLIENT:
        if (code == BN_CLICKED)
            update_controls(g);
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
        /* Returns at once; the client ends with FINISHED (stopped),
         * also while its connect or a read still waits. */
        if (g->client)
            hve_session_stop(g->client);
        break;
    case IDCANCEL:
        /* Esc: do not close a dialog that may be running a server. */
        break;
    case IDC_SERVICE:
        if (code == EN_CHANGE) {
            check_service(g);
            check_target(g);
            update_status(g);
        }
        break;
    case IDC_TARGET_ARG:
        if (code == EN_CHANGE)
            check_target(g);
        break;
    case IDC_TARGET_KIND:
        if (code == CBN_SELCHANGE) {
            check_target(g);
            update_controls(g);
        }
        break;
    case IDC_CLEAR:
        log_clear(g);
        break;
    case IDC_SAVE:
        log_save(g);
        break;
    case IDC_COPY:
        text = log_text(g, ListView_GetSelectedCount(g->log) > 0);
        if (text)
            gui_clipboard_set(g->dlg, text);
        free(text);
        break;
    case IDC_COPY_PS:
        copy_powershell(g);
        break;
    case IDC_REGISTER:
        register_service(g);
        break;
    default:
        break;
    }
}

INT_PTR CALLBACK dialog_proc(HWND dlg, UINT msg, WPARAM wp, LPARAM lp)
{
    gui *g = get_gui(dlg);

    switch (msg) {
    case WM_INITDIALOG:
        init_dialog(dlg, (gui *)lp);
        return TRUE;
    case WM_APP_SESSION:
        if (g)
            drain(g);
        return TRUE;
    case WM_APP_RELAYOUT:
        if (g)
            capture_layout(g);
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
        if (g && ((NMHDR *)lp)->idFrom == IDC_LOG &&
            ((NMHDR *)lp)->code == NM_CUSTOMDRAW) {
            SetWindowLongPtrW(dlg, DWLP_MSGRESULT,
                              log_custom_draw(g, (NMLVCUSTOMDRAW *)lp));
            return TRUE;
        }
        return FALSE;
    case WM_TIMER:
        if (g && wp == GUI_TIMER_REGISTER)
            register_poll(g);
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
