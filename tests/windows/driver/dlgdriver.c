/* dlgdriver.c - drives hvecho-gui.exe's dialog from outside, as a person
 * would, through the controls' own messages: radio buttons and push
 * buttons get BM_CLICK, fields WM_SETTEXT, the target combo CB_SETCURSEL
 * plus the CBN_SELCHANGE it would send, Enter a WM_KEYDOWN to the message
 * field; the log is read back with LVM_GETITEMTEXTW through memory in the
 * dialog's process (ListView messages are not marshalled).
 *
 *   dlgdriver.exe run PORT SAVE-PATH
 *                            live checks, Copy PowerShell, Register,
 *                            server on tcp:127.0.0.1:PORT, Send (click)
 *                            and Send (Enter), Cancel, a refused connect,
 *                            Stop Server, the server started again, a
 *                            last handshake, Copy, Save log to SAVE-PATH;
 *                            exits 0 when the log shows the echo and the
 *                            bye rows, marked; prints the log
 *                            (also: any message size, Fill to, Decode,
 *                            Repeat with its summary row and chart, the
 *                            hex detail, the clients list, Stop Server
 *                            with a client, the longest stall during a
 *                            256 MiB echo, Export as CSV and JSON lines;
 *                            the core's words (ui_text.h) in the kind
 *                            lists, labels and hints, a hybrid target
 *                            with no VMM socket, the chart on the core's
 *                            axis)
 *   dlgdriver.exe history PORT  after a restart: 127.0.0.1:PORT is in
 *                            the target field's history list
 *   dlgdriver.exe close      closes the dialog, waits until it is gone
 *
 * A test program (tests/windows), single-threaded. Every wait is bounded. */
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <winsock2.h>
#include <windows.h>
#include <commctrl.h>

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "hvecho/hvecho.h"
#include "resource.h" /* gui-win32/resource.h: the control ids */

#define WAIT_MS 60000
#define ROW_TEXT 2048

static HWND dlg;
static HANDLE proc;     /* the dialog's process, for the log */
static void *remote;    /* an LVITEMW and a text buffer in there */

static int fail(const char *fmt, ...)
{
    va_list ap;
    fputs("dlgdriver: FAIL: ", stdout);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    fputc('\n', stdout);
    fflush(stdout);
    return 1;
}

static void say(const char *fmt, ...)
{
    va_list ap;
    fputs("dlgdriver: ", stdout);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    fputc('\n', stdout);
    fflush(stdout);
}

static HWND item(int id)
{
    return GetDlgItem(dlg, id);
}

static void click(int id)
{
    SendMessageW(item(id), BM_CLICK, 0, 0);
}

/* A single-line edit answers WM_SETTEXT with EN_CHANGE to the dialog,
 * as for typing. */
static void set_text(int id, const wchar_t *text)
{
    wchar_t cls[32] = L"";
    SendMessageW(item(id), WM_SETTEXT, 0, (LPARAM)text);
    /* A combo box with an edit (a field with a history list) tells its
     * dialog of typing with CBN_EDITCHANGE, which WM_SETTEXT does not
     * send. */
    GetClassNameW(item(id), cls, 32);
    if (!_wcsicmp(cls, L"ComboBox"))
        SendMessageW(dlg, WM_COMMAND, MAKEWPARAM(id, CBN_EDITCHANGE),
                     (LPARAM)item(id));
}

static void get_text(int id, wchar_t *buf, int len)
{
    buf[0] = L'\0';
    SendMessageW(item(id), WM_GETTEXT, (WPARAM)len, (LPARAM)buf);
}

static void select_combo(int id, int index)
{
    SendMessageW(item(id), CB_SETCURSEL, (WPARAM)index, 0);
    SendMessageW(dlg, WM_COMMAND, MAKEWPARAM(id, CBN_SELCHANGE),
                 (LPARAM)item(id));
}

static void select_target(int kind)
{
    select_combo(IDC_TARGET_KIND, kind);
}

/* Lets the dialog's thread run (its messages, the sessions' wakes). */
static void pause_ms(DWORD ms)
{
    Sleep(ms);
}

static bool find_dialog(void)
{
    DWORD start = GetTickCount();
    while (GetTickCount() - start < WAIT_MS) {
        dlg = FindWindowW(L"#32770", L"hvecho");
        if (dlg && item(IDC_LOG))
            return true;
        Sleep(100);
    }
    return false;
}

static bool open_log(void)
{
    DWORD pid = 0;
    GetWindowThreadProcessId(dlg, &pid);
    proc = OpenProcess(PROCESS_VM_OPERATION | PROCESS_VM_READ |
                           PROCESS_VM_WRITE | PROCESS_QUERY_INFORMATION,
                       FALSE, pid);
    if (!proc)
        return false;
    remote = VirtualAllocEx(proc, NULL,
                            sizeof(LVITEMW) + ROW_TEXT * sizeof(wchar_t),
                            MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    return remote != NULL;
}

static int log_rows(void)
{
    return (int)SendMessageW(item(IDC_LOG), LVM_GETITEMCOUNT, 0, 0);
}

/* One cell of the log, read through the dialog's process memory. */
static void log_cell(int row, int col, wchar_t *out, size_t len)
{
    LVITEMW it;
    wchar_t *rtext = (wchar_t *)((char *)remote + sizeof(LVITEMW));
    SIZE_T n = 0;

    memset(&it, 0, sizeof it);
    it.iSubItem = col;
    it.pszText = rtext;
    it.cchTextMax = ROW_TEXT;
    out[0] = L'\0';
    if (!WriteProcessMemory(proc, remote, &it, sizeof it, &n))
        return;
    SendMessageW(item(IDC_LOG), LVM_GETITEMTEXTW, (WPARAM)row,
                 (LPARAM)remote);
    if (ReadProcessMemory(proc, rtext, out, (len - 1) * sizeof(wchar_t),
                          &n))
        out[n / sizeof(wchar_t) < len ? n / sizeof(wchar_t) : len - 1] =
            L'\0';
    out[len - 1] = L'\0';
}

/* The row's marks (LOGROW_*): the log is a virtual list, so they are
 * asked of the dialog (WM_APP_ROWMARKS), not read from the item. */
static LPARAM log_marks(int row)
{
    return (LPARAM)SendMessageW(dlg, WM_APP_ROWMARKS, (WPARAM)row, 0);
}

static void print_w(const wchar_t *w)
{
    char buf[ROW_TEXT * 3];
    WideCharToMultiByte(CP_UTF8, 0, w, -1, buf, sizeof buf, NULL, NULL);
    fputs(buf, stdout);
}

static void print_log(void)
{
    int rows = log_rows(), r, c;
    wchar_t cell[ROW_TEXT];
    say("the log, %d rows:", rows);
    for (r = 0; r < rows; r++) {
        fputs("  |", stdout);
        for (c = 0; c < LOGCOL_COUNT; c++) {
            log_cell(r, c, cell, ROW_TEXT);
            fputc(' ', stdout);
            print_w(cell);
            fputs(" |", stdout);
        }
        printf(" marks=%ld\n", (long)log_marks(r));
    }
    fflush(stdout);
}

/* Waits for a row from row `from` on whose conn starts with conn_prefix,
 * whose event starts with event, and whose text contains text (any may
 * be NULL). Returns the row or -1. */
static int wait_row_ms(int from, const wchar_t *conn_prefix,
                       const wchar_t *event, const wchar_t *text, DWORD ms)
{
    DWORD start = GetTickCount();
    wchar_t c[ROW_TEXT], e[ROW_TEXT], t[ROW_TEXT];
    for (;;) {
        int rows = log_rows(), r;
        for (r = from; r < rows; r++) {
            log_cell(r, LOGCOL_CONN, c, ROW_TEXT);
            log_cell(r, LOGCOL_EVENT, e, ROW_TEXT);
            log_cell(r, LOGCOL_TEXT, t, ROW_TEXT);
            if ((!conn_prefix ||
                 wcsncmp(c, conn_prefix, wcslen(conn_prefix)) == 0) &&
                (!event || wcsncmp(e, event, wcslen(event)) == 0) &&
                (!text || wcsstr(t, text)))
                return r;
        }
        if (GetTickCount() - start >= ms)
            return -1;
        pause_ms(50);
    }
}

static int wait_row(int from, const wchar_t *conn_prefix,
                    const wchar_t *event, const wchar_t *text)
{
    return wait_row_ms(from, conn_prefix, event, text, WAIT_MS);
}

static int send_and_wait(int *first);
static void select_row(int row);
static void set_check(int id, bool on);
static bool wait_words(int id, const char *utf8);
static void wide(const char *utf8, wchar_t *out, int len);
static bool wait_text(int id, const wchar_t *what);

static bool enabled(int id)
{
    return IsWindowEnabled(item(id)) != 0;
}

/* The live checks: target and service fields explain themselves as
 * they are typed. */
static int live_checks(void)
{
    wchar_t t[512];

    click(IDC_MODE_CLIENT);
    select_target(TARGET_VMGUID);
    if (!enabled(IDC_TARGET_ARG))
        return fail("the VM GUID field stays disabled");
    set_text(IDC_TARGET_ARG, L"not-a-guid");
    get_text(IDC_TARGET_CHECK, t, 512);
    if (t[0] != 0x2717) /* the cross mark */
        return fail("a bad VM GUID is not flagged");
    set_text(IDC_TARGET_ARG, L"{12345678-1234-1234-1234-123456789ABC}");
    get_text(IDC_TARGET_CHECK, t, 512);
    if (t[0] != 0x2713 || !wcsstr(t, L"12345678-1234-1234-1234-123456789ABC"))
        return fail("a good VM GUID is not accepted");

    set_text(IDC_SERVICE, L"5000");
    get_text(IDC_SERVICE_OTHER, t, 512);
    if (!wcsstr(t, L"00001388-FACB-11E6-BD58-64006A7986D3"))
        return fail("port 5000 does not show its GUID");
    get_text(IDC_SERVICE_WARN, t, 512);
    if (t[0])
        return fail("a FACB service shows a Linux warning");
    set_text(IDC_SERVICE, L"3049197C-9A4E-4FBF-9367-97F792F16994");
    get_text(IDC_SERVICE_WARN, t, 512);
    if (!t[0])
        return fail("a non-FACB service shows no Linux-guest warning");
    set_text(IDC_SERVICE, L"3049197C-FACB-11E6-BD58-64006A7986D3");
    say("live checks of target and service: ok");
    return 0;
}

/* Copy PowerShell puts the registration command on the clipboard;
 * Register service (admin) writes the key (Wine runs programs elevated,
 * so without the runas helper); the status line then says so. */
static int registration(void)
{
    static const wchar_t key[] =
        L"SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Virtualization"
        L"\\GuestCommunicationServices\\3049197C-FACB-11E6-BD58-64006A7986D3";
    wchar_t t[1024];
    HANDLE h;
    HKEY k;
    int first = log_rows();
    bool ok = false;

    click(IDC_COPY_PS);
    {
        /* the row says it in the GTK window's notice words */
        char c[200];
        wchar_t wc[200];
        hve_ui_register_copied("3049197C-FACB-11E6-BD58-64006A7986D3", c,
                               sizeof c);
        wide(c, wc, 200);
        if (wait_row(first, NULL, L"copied", L"GuestCommunicationServices") <
                0 ||
            wait_row(first, NULL, L"copied", wc) < 0)
            return print_log(), fail("Copy PowerShell logged nothing in "
                                     "the core's words");
    }
    if (OpenClipboard(NULL)) {
        h = GetClipboardData(CF_UNICODETEXT);
        if (h) {
            const wchar_t *c = GlobalLock(h);
            ok = c && wcsstr(c, L"New-Item") &&
                 wcsstr(c, L"3049197C-FACB-11E6-BD58-64006A7986D3") &&
                 wcsstr(c, L"ElementName");
            GlobalUnlock(h);
        }
        CloseClipboard();
    }
    if (!ok)
        return fail("the clipboard does not hold the PowerShell command");

    RegDeleteKeyExW(HKEY_LOCAL_MACHINE, key, KEY_WOW64_64KEY, 0);
    first = log_rows();
    click(IDC_REGISTER);
    if (wait_row(first, NULL, L"registered", L"3049197C") < 0)
        return print_log(), fail("Register service logged no success");
    if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, key, 0,
                      KEY_QUERY_VALUE | KEY_WOW64_64KEY, &k) != 0)
        return fail("Register service wrote no key");
    RegCloseKey(k);
    get_text(IDC_STATUS, t, 1024);
    if (!wcsstr(t, L"service registered"))
        return fail("the status line does not show the registration");
    RegDeleteKeyExW(HKEY_LOCAL_MACHINE, key, KEY_WOW64_64KEY, 0);
    /* Typing the service again refreshes the status line. */
    set_text(IDC_SERVICE, L"3049197C-FACB-11E6-BD58-64006A7986D3");
    get_text(IDC_STATUS, t, 1024);
    if (!wcsstr(t, L"service not registered"))
        return fail("the status line does not show the removal");
    say("Copy PowerShell and Register service: ok");
    return 0;
}

static int cancel_check(void)
{
    WSADATA wsa;
    SOCKET l;
    struct sockaddr_in sa;
    int len = sizeof sa, first, r;
    wchar_t addr[64];
    DWORD t0, took;

    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0)
        return fail("WSAStartup");
    l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (l == INVALID_SOCKET ||
        bind(l, (struct sockaddr *)&sa, sizeof sa) != 0 ||
        listen(l, 4) != 0 ||
        getsockname(l, (struct sockaddr *)&sa, &len) != 0)
        return fail("cannot make the silent listener");
    swprintf(addr, 64, L"127.0.0.1:%u", (unsigned)ntohs(sa.sin_port));
    set_text(IDC_TARGET_ARG, addr);
    set_text(IDC_TIMEOUT, L"60");
    first = log_rows();
    click(IDC_SEND);
    r = wait_row(first, NULL, L"connected", NULL);
    if (r < 0) {
        closesocket(l);
        return print_log(), fail("no connect to the silent listener");
    }
    if (!enabled(IDC_CANCEL_SEND) || enabled(IDC_SEND)) {
        closesocket(l);
        return fail("a running client leaves Cancel off / Send on");
    }
    pause_ms(300); /* it now waits for the echo */
    t0 = GetTickCount();
    click(IDC_CANCEL_SEND);
    r = wait_row(first, L"client", L"stopped", NULL);
    took = GetTickCount() - t0;
    closesocket(l);
    WSACleanup();
    if (r < 0)
        return print_log(), fail("Cancel did not stop the client");
    if (took > 3000)
        return fail("Cancel took %lu ms", (unsigned long)took);
    pause_ms(100);
    if (enabled(IDC_CANCEL_SEND) || !enabled(IDC_SEND))
        return fail("after Cancel: Cancel still on or Send off");
    say("Cancel stopped a waiting client in %lu ms", (unsigned long)took);
    set_text(IDC_TIMEOUT, L"10");
    return 0;
}

/* Copy puts the log on the clipboard (all rows when none is selected),
 * tab-separated; Save log writes it through the Save As dialog. */
/* Save / Export through the Save As dialog, as a person would: the
 * file name typed, OK. Returns the file's bytes (static buffer) or NULL;
 * *n its length. */
static char *save_as(const wchar_t *wpath, size_t *n)
{
    static char buf[8 << 20];
    HWND save = NULL;
    DWORD start;
    FILE *f;

    *n = 0;
    DeleteFileW(wpath);
    /* The last Save As dialog has gone away. */
    start = GetTickCount();
    while (GetTickCount() - start < WAIT_MS) {
        HWND w = NULL;
        bool open = false;
        while ((w = FindWindowExW(NULL, w, L"#32770", NULL)) != NULL)
            if (w != dlg && GetWindow(w, GW_OWNER) == dlg)
                open = true;
        if (!open)
            break;
        Sleep(100);
    }
    /* The file dialog is modal: post the click, then work the dialog. */
    PostMessageW(item(IDC_SAVE), BM_CLICK, 0, 0);
    start = GetTickCount();
    while (!save && GetTickCount() - start < WAIT_MS) {
        HWND w = NULL;
        while ((w = FindWindowExW(NULL, w, L"#32770", NULL)) != NULL)
            if (w != dlg && GetWindow(w, GW_OWNER) == dlg &&
                IsWindowVisible(w))
                save = w;
        if (!save)
            Sleep(100);
    }
    if (!save)
        return NULL;
    /* The file name field: cmb13 (1148) in the Explorer-style dialog,
     * edt1 (1152) in the old one. */
    if (GetDlgItem(save, 1148))
        SendMessageW(GetDlgItem(save, 1148), WM_SETTEXT, 0, (LPARAM)wpath);
    else
        SendMessageW(GetDlgItem(save, 1152), WM_SETTEXT, 0, (LPARAM)wpath);
    PostMessageW(save, WM_COMMAND, MAKEWPARAM(IDOK, BN_CLICKED),
                 (LPARAM)GetDlgItem(save, IDOK));
    start = GetTickCount();
    while (GetTickCount() - start < WAIT_MS) {
        f = _wfopen(wpath, L"rb");
        if (f) {
            *n = fread(buf, 1, sizeof buf - 1, f);
            fclose(f);
            buf[*n] = '\0';
            /* written at once, as a whole */
            if (*n && IsWindow(save) == FALSE)
                return buf;
        }
        Sleep(100);
    }
    return *n ? buf : NULL;
}

/* Copy puts the rows on the clipboard (all when none is selected), as
 * the core's export text; Save / Export writes the log as text, CSV and
 * JSON lines (wine_cases.py parses the last two). */
static int copy_and_save(const char *save_path)
{
    wchar_t wpath[MAX_PATH], other[MAX_PATH];
    HANDLE h;
    bool ok = false;
    char *buf;
    size_t n = 0, l;

    select_row(-1);
    click(IDC_COPY);
    if (OpenClipboard(NULL)) {
        h = GetClipboardData(CF_UNICODETEXT);
        if (h) {
            const wchar_t *c = GlobalLock(h);
            ok = c && wcsstr(c, L" bye ") && wcsstr(c, L"\r\n") &&
                 wcsstr(c, L"handshake complete");
            GlobalUnlock(h);
        }
        CloseClipboard();
    }
    if (!ok)
        return fail("Copy put no log on the clipboard");

    MultiByteToWideChar(CP_UTF8, 0, save_path, -1, wpath, MAX_PATH);
    buf = save_as(wpath, &n);
    if (!buf || !strstr(buf, " bye ") ||
        !strstr(buf, "hello from the driver \xC3\xBC"))
        return fail("the saved log lacks the bye or the message");
    say("Copy and Save log: ok (%lu bytes)", (unsigned long)n);
    l = wcslen(wpath);
    if (l < 4)
        return fail("odd save path");
    wcscpy(other, wpath);
    wcscpy(other + l - 4, L".csv");
    buf = save_as(other, &n);
    if (!buf || strncmp(buf, "time,", 5))
        return fail("Export as CSV wrote no CSV");
    say("Export CSV: %lu bytes", (unsigned long)n);
    wcscpy(other + l - 4, L".jsonl");
    buf = save_as(other, &n);
    if (!buf || buf[0] != '{')
        return fail("Export as JSON lines wrote no JSON");
    say("Export JSON lines: %lu bytes", (unsigned long)n);
    return 0;
}


/* Clicks a button that opens a message box (modal: the click is
 * posted) and returns the box with that title, or NULL. */
static HWND open_box(int button, const wchar_t *title)
{
    HWND box = NULL;
    DWORD start = GetTickCount();
    PostMessageW(item(button), BM_CLICK, 0, 0);
    while (!box && GetTickCount() - start < WAIT_MS) {
        box = FindWindowW(L"#32770", title);
        if (!box)
            Sleep(50);
    }
    return box;
}

/* A TCP connection to the dialog's server that stays open; the caller
 * closes it and calls WSACleanup. */
static SOCKET connect_to(int port)
{
    WSADATA wsa;
    SOCKET c;
    struct sockaddr_in sa;
    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0)
        return INVALID_SOCKET;
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sa.sin_port = htons((unsigned short)port);
    if (c != INVALID_SOCKET &&
        connect(c, (struct sockaddr *)&sa, sizeof sa) != 0) {
        closesocket(c);
        c = INVALID_SOCKET;
    }
    return c;
}

/* Selects one log row (row -1: none), as a click would: the item state
 * goes through memory in the dialog's process. */
static void select_row(int row)
{
    LVITEMW it;
    SIZE_T n = 0;
    memset(&it, 0, sizeof it);
    it.stateMask = LVIS_SELECTED | LVIS_FOCUSED;
    it.state = 0;
    WriteProcessMemory(proc, remote, &it, sizeof it, &n);
    SendMessageW(item(IDC_LOG), LVM_SETITEMSTATE, (WPARAM)-1,
                 (LPARAM)remote);
    if (row < 0)
        return;
    it.state = LVIS_SELECTED | LVIS_FOCUSED;
    WriteProcessMemory(proc, remote, &it, sizeof it, &n);
    SendMessageW(item(IDC_LOG), LVM_SETITEMSTATE, (WPARAM)row,
                 (LPARAM)remote);
}

/* The bytes of a hex dump ("00000000  68 65 ...  |he...|" lines). */
static size_t hex_bytes(const wchar_t *t, unsigned char *out, size_t cap)
{
    size_t n = 0;
    const wchar_t *line = t;
    while (line && *line) {
        const wchar_t *end = wcschr(line, L'\n'), *p;
        int col;
        /* a dump line: 8 hex digits, two spaces */
        if (wcslen(line) > 10 && iswxdigit(line[0]) && line[8] == L' ' &&
            line[9] == L' ') {
            p = line + 10;
            for (col = 0; col < 16; col++) {
                unsigned v;
                if (*p == L' ')
                    p++; /* the gap between the two groups of 8 */
                if (!iswxdigit(p[0]) || !iswxdigit(p[1]) ||
                    swscanf(p, L"%2x", &v) != 1)
                    break;
                if (n < cap)
                    out[n++] = (unsigned char)v;
                p += 3;
            }
        }
        line = end ? end + 1 : NULL;
    }
    return n;
}

/* A repeat run's figures: the summary row, and the chart's points (its
 * text) are the round trips of the log's echo rows. */
static int chart_check(void)
{
    wchar_t t[8192], took[64];
    int first, rows, i, k = 0;
    long long pts[16];
    int npts = 0;
    wchar_t *p;

    set_text(IDC_MESSAGE, L"chart me");
    set_text(IDC_REPEAT, L"5");
    if (send_and_wait(&first) < 0)
        return print_log(), fail("Repeat 5 did not complete");
    if (wait_row(first, L"client", L"summary", L"5 done") < 0)
        return print_log(), fail("no summary row with 5 done");
    pause_ms(200); /* the frame timer */
    get_text(IDC_CHART, t, 8192);
    p = wcsstr(t, L"(us):");
    if (p)
        p += 4;
    while (p && npts < 16) {
        wchar_t *e;
        long long v = wcstoll(p + 1, &e, 10);
        if (e == p + 1)
            break;
        pts[npts++] = v;
        p = e;
        if (*p != L' ')
            break;
    }
    if (wcsncmp(t, L"chart of 5 handshakes: round trip p50 ", 38) ||
        npts != 5)
        return fail("the chart does not hold 5 round trips in the core's "
                    "words: %ls", t);
    {
        /* drawn on the core's axis: the one hve_stats_axis_for makes for
         * the largest figure drawn, which is at least every round trip */
        long long max = -1, top = -1, step = -1;
        hve_stats_axis ax;
        wchar_t *a = wcsstr(t, L"; axis (us): ");
        if (!a || swscanf(a, L"; axis (us): max %lld, top %lld, step %lld",
                          &max, &top, &step) != 3)
            return fail("the chart names no axis: %ls", t);
        hve_stats_axis_for(max, &ax);
        if (top != ax.top_us || step != ax.step_us)
            return fail("the chart's axis (top %lld, step %lld us) is not "
                        "the core's for %lld us (top %lld, step %lld)",
                        top, step, max, (long long)ax.top_us,
                        (long long)ax.step_us);
        for (i = 0; i < npts; i++)
            if (pts[i] > max)
                return fail("round trip %lld us above the axis' max %lld",
                            pts[i], max);
        say("chart axis: the core's for %lld us: top %lld, step %lld us",
            max, top, step);
    }
    rows = log_rows();
    for (i = first; i < rows && k < 5; i++) {
        wchar_t e[64], c[64];
        double ms;
        log_cell(i, LOGCOL_EVENT, e, 64);
        log_cell(i, LOGCOL_CONN, c, 64);
        if (wcscmp(e, L"echo") || wcsncmp(c, L"client #", 8))
            continue;
        log_cell(i, LOGCOL_TOOK, took, 64);
        ms = wcstod(took, NULL);
        if (wcsstr(took, L" s"))
            ms *= 1000.0;
        /* the log shows 3 decimals of a millisecond below 10 ms */
        if (pts[k] / 1000.0 < ms - 0.0011 - ms / 100 ||
            pts[k] / 1000.0 > ms + 0.0011 + ms / 100)
            return fail("chart point %d is %lld us, the log's echo row "
                        "took %ls", k, pts[k], took);
        k++;
    }
    if (k != 5)
        return print_log(), fail("%d echo rows for 5 chart points", k);
    set_text(IDC_REPEAT, L"1");
    say("Repeat 5: summary row, and the chart's points are the log's "
        "round trips (%ls)", t);
    return 0;
}

/* Selecting a client's sent row shows its bytes as a hex dump. */
static int hex_check(void)
{
    static const unsigned char want[] = "hex \x01\x02\xff me, 0123456789";
    wchar_t t[8192];
    unsigned char got[256];
    size_t n;
    int first, r;

    set_check(IDC_DECODE, true);
    set_text(IDC_MESSAGE, L"hex \\x01\\x02\\xFF me, 0123456789");
    if (send_and_wait(&first) < 0)
        return print_log(), fail("the hex message did not complete");
    r = wait_row(first, L"client #", L"sent", NULL);
    if (r < 0)
        return fail("no sent row");
    select_row(r);
    pause_ms(200);
    get_text(IDC_DETAIL, t, 8192);
    n = hex_bytes(t, got, sizeof got);
    select_row(-1);
    set_check(IDC_DECODE, false);
    if (n != sizeof want - 1 || memcmp(got, want, n))
        return fail("the detail's hex dump (%u bytes) is not the bytes "
                    "sent:\n%ls", (unsigned)n, t);
    say("detail pane: the hex dump is the %u bytes sent", (unsigned)n);
    return 0;
}

/* Every child's text of a window, one a line, mnemonic marks left out. */
static void child_texts(HWND w, wchar_t *out, size_t len)
{
    HWND c = NULL;
    size_t n = 0;
    out[0] = L'\0';
    while ((c = FindWindowExW(w, c, NULL, NULL)) != NULL && n + 2 < len) {
        wchar_t t[512];
        int i;
        GetWindowTextW(c, t, 512);
        for (i = 0; t[i] && n + 2 < len; i++)
            if (t[i] != L'&')
                out[n++] = t[i];
        out[n++] = L'\n';
        out[n] = L'\0';
    }
}

/* Stop Server's question: its title, the core's question and how many
 * clients it closes, and the button Stop Server (the GTK window's). */
static int question_is(HWND box, wchar_t *all, size_t len)
{
    wchar_t q[200], d[200];
    char dd[100];
    DWORD start = GetTickCount();
    wide(hve_ui_text(HVE_UI_STOP_QUESTION), q, 200);
    wide(hve_ui_stop_detail(1, dd, sizeof dd), d, 200);
    /* the box is found by its title before all its controls are made */
    do {
        child_texts(box, all, len);
        if (wcsstr(all, q) && wcsstr(all, d) &&
            wcsstr(all, L"Stop Server\n"))
            return 0;
        pause_ms(50);
    } while (GetTickCount() - start < WAIT_MS);
    return fail("Stop Server asks:\n%ls", all);
}

/* Clicks the button of a modal box whose text (without its mark) is
 * name, and waits until the box is gone. */
static bool press(HWND box, const wchar_t *name)
{
    HWND c = NULL;
    DWORD start = GetTickCount();
    /* the box is found by its title before all its controls are made */
    while (!c && GetTickCount() - start < WAIT_MS) {
        while ((c = FindWindowExW(box, c, L"Button", NULL)) != NULL) {
            wchar_t t[128], p[128];
            int i, n = 0;
            GetWindowTextW(c, t, 128);
            for (i = 0; t[i] && n < 127; i++)
                if (t[i] != L'&')
                    p[n++] = t[i];
            p[n] = L'\0';
            if (!wcscmp(p, name))
                break;
        }
        if (!c)
            pause_ms(50);
    }
    if (!c)
        return false;
    PostMessageW(c, BM_CLICK, 0, 0);
    start = GetTickCount();
    while (IsWindow(box) && GetTickCount() - start < WAIT_MS)
        pause_ms(50);
    return !IsWindow(box);
}

/* The client list shows a connection while it stays open; Stop Server
 * with it connected says how many it closes. */
static int clients_and_stop(int port)
{
    SOCKET c;
    HWND box = NULL;
    DWORD start;
    wchar_t t[512];
    int first;

    c = connect_to(port);
    if (c == INVALID_SOCKET)
        return fail("cannot connect to the dialog's server");
    start = GetTickCount();
    while (SendMessageW(item(IDC_CLIENTS), LVM_GETITEMCOUNT, 0, 0) != 1 &&
           GetTickCount() - start < WAIT_MS)
        pause_ms(100);
    if (SendMessageW(item(IDC_CLIENTS), LVM_GETITEMCOUNT, 0, 0) != 1)
        return fail("the connected clients list does not show the client");
    if (!wait_words(IDC_CLIENTS_LABEL, "Clients: 1 client connected") ||
        SendMessageW(ListView_GetHeader(item(IDC_CLIENTS)), HDM_GETITEMCOUNT,
                     0, 0) != HVE_UI_CLIENT_COLUMNS)
        return fail("the clients status is not 'Clients: 1 client "
                    "connected', or the list lacks the core's columns");
    say("connected clients: 1 row while connected, the status in the "
        "core's words");
    click(IDC_MODE_SERVER);
    first = log_rows();
    /* The question, in the GTK window's words and buttons: Cancel keeps
     * the server, Stop Server stops it. */
    box = open_box(IDC_STOP, L"Stop Server");
    if (!box)
        return fail("Stop Server with a client asked nothing");
    if (question_is(box, t, 512))
        return 1;
    if (!press(box, L"Cancel"))
        return fail("the question has no Cancel");
    if (!wait_text(IDC_SERVER_STATUS, L"Listening on") ||
        wait_row_ms(first, L"server", L"stopped", NULL, 300) >= 0)
        return fail("Cancel stopped the server");
    box = open_box(IDC_STOP, L"Stop Server");
    if (!box || !press(box, L"Stop Server"))
        return fail("the question has no Stop Server button");
    if (wait_row(first, L"server", L"stopped", NULL) < 0 ||
        wait_row(first, L"server #", L"closed", NULL) < 0)
        return print_log(), fail("Stop Server did not close the client");
    start = GetTickCount();
    while (SendMessageW(item(IDC_CLIENTS), LVM_GETITEMCOUNT, 0, 0) != 0 &&
           GetTickCount() - start < WAIT_MS)
        pause_ms(100);
    closesocket(c);
    WSACleanup();
    if (SendMessageW(item(IDC_CLIENTS), LVM_GETITEMCOUNT, 0, 0) != 0)
        return fail("the connected clients list did not empty");
    {
        char want[100];
        snprintf(want, sizeof want, "%s: %s", hve_ui_text(HVE_UI_CLIENTS),
                 hve_ui_text(HVE_UI_SERVER_NOT_RUNNING));
        if (!wait_words(IDC_CLIENTS_LABEL, want))
            return fail("after Stop the clients status is not '%s'", want);
    }
    say("Stop Server with a client: the core's question with Cancel and "
        "Stop Server; Cancel kept it, Stop Server closed the client; the "
        "list emptied");
    return 0;
}

/* The longest the dialog's message loop stalls during a 256 MiB echo
 * between its own client and server (the chart, the live line and the
 * log updating): a ping (WM_NULL) at a time from this process, its
 * answer timed. A figure to print; the bound is generous. */
static int responsiveness(void)
{
    int first;
    DWORD start = GetTickCount(), worst = 0, pings = 0;
    wchar_t line[512];
    bool running = false, ended;
    LARGE_INTEGER f, a, b;
    double worst_ms = 0;

    QueryPerformanceFrequency(&f);
    set_text(IDC_MESSAGE, L"stall ");
    set_text(IDC_FILL, L"256M");
    set_text(IDC_TIMEOUT, L"120");
    first = log_rows();
    click(IDC_SEND);
    while (GetTickCount() - start < 180000) {
        DWORD_PTR res;
        double ms;
        QueryPerformanceCounter(&a);
        SendMessageTimeoutW(dlg, WM_NULL, 0, 0, SMTO_NORMAL, 10000, &res);
        QueryPerformanceCounter(&b);
        ms = (double)(b.QuadPart - a.QuadPart) * 1000.0 / (double)f.QuadPart;
        if (ms > worst_ms)
            worst_ms = ms;
        pings++;
        /* The end, from the outcome line: one message, so the pings stay
           close together (one each 2 ms) and a stall cannot fall between
           two (reading the log's rows took a few messages a row: with
           hundreds of rows, a look took longer than the echo). The line
           says "Done:" or "Failed:" again once the run is over. */
        get_text(IDC_CLIENT_STATUS, line, 512);
        ended = wcsncmp(line, L"Done:", 5) == 0 ||
                wcsncmp(line, L"Failed:", 7) == 0;
        if (!ended)
            running = true;
        else if (running)
            break;
        Sleep(2);
    }
    worst = (DWORD)worst_ms;
    set_text(IDC_FILL, L"");
    set_text(IDC_TIMEOUT, L"10");
    if (wait_row_ms(first, L"client", L"done", L"handshake complete", 0) <
        0)
        return print_log(), fail("the 256 MiB echo did not complete");
    say("responsiveness: longest message-loop stall during a 256 MiB echo "
        "%.1f ms (%lu pings over %.1f s)",
        worst_ms, (unsigned long)pings,
        (double)(GetTickCount() - start) / 1000.0);
    if (worst > 2000)
        return fail("the dialog stalled %lu ms", (unsigned long)worst);
    return 0;
}

/* After a restart: the target used last is offered in the field's
 * list, kept with the settings. */
static int history_check(int port)
{
    wchar_t want[64], got[256];
    int n, i;
    bool found = false;

    if (!open_log())
        return fail("cannot open the dialog's process");
    click(IDC_MODE_CLIENT);
    select_target(TARGET_TCP);
    swprintf(want, 64, L"127.0.0.1:%d", port);
    n = (int)SendMessageW(item(IDC_TARGET_ARG), CB_GETCOUNT, 0, 0);
    for (i = 0; i < n; i++) {
        if (SendMessageW(item(IDC_TARGET_ARG), CB_GETLBTEXTLEN, i, 0) >= 256)
            continue;
        SendMessageW(item(IDC_TARGET_ARG), CB_GETLBTEXT, i, (LPARAM)got);
        if (!wcscmp(got, want))
            found = true;
    }
    if (!found)
        return fail("after a restart the target list (%d entries) lacks "
                    "%ls", n, want);
    say("history across a restart: %ls offered (%d entries)", want, n);
    return 0;
}

/* The Bytes cell of a row as a number. */
static unsigned long long row_bytes(int row)
{
    wchar_t b[64];
    log_cell(row, LOGCOL_BYTES, b, 64);
    return wcstoull(b, NULL, 10);
}

static bool text_has(int id, const wchar_t *what)
{
    wchar_t t[1024];
    get_text(id, t, 1024);
    return wcsstr(t, what) != NULL;
}

/* Waits until a control's text contains what. */
static bool wait_text(int id, const wchar_t *what)
{
    DWORD start = GetTickCount();
    while (GetTickCount() - start < WAIT_MS) {
        if (text_has(id, what))
            return true;
        pause_ms(50);
    }
    return false;
}

static void set_check(int id, bool on)
{
    if ((SendMessageW(item(id), BM_GETCHECK, 0, 0) == BST_CHECKED) != on)
        click(id);
}

/* One Send to the dialog's own server; returns the client's "done" row
 * (or -1), from the rows after first. */
static int send_and_wait(int *first)
{
    *first = log_rows();
    click(IDC_SEND);
    return wait_row(*first, L"client", L"done", NULL);
}

/* The listen field: a live check in listen words, and Start refuses a
 * bad address with them (not the client's "bad target"). */
static int listen_checks(int port)
{
    wchar_t t[512];
    int first;

    click(IDC_MODE_SERVER);
    select_combo(IDC_LISTEN_KIND, LISTEN_TCP);
    set_text(IDC_LISTEN, L"nonsense");
    get_text(IDC_LISTEN_CHECK, t, 512);
    if (t[0] != 0x2717 || wcsstr(t, L"target"))
        return fail("a bad listen address is not flagged in listen words");
    first = log_rows();
    click(IDC_START);
    if (wait_row(first, L"server", L"error", L"Listen address not valid") <
        0)
        return print_log(), fail("Start with a bad listen address logs no "
                                 "'Listen address not valid'");
    if (wait_row_ms(first, NULL, NULL, L"bad target", 300) >= 0 ||
        wait_row_ms(first, L"server", L"listening", NULL, 0) >= 0)
        return print_log(), fail("a bad listen address started a server "
                                 "or spoke of targets");
    select_combo(IDC_LISTEN_KIND, LISTEN_UNIX);
    set_text(IDC_LISTEN, L"C:\\hvecho-test.sock");
    if (!text_has(IDC_LISTEN_CHECK, L"Listens on unix"))
        return fail("a Unix socket path is not accepted as listen address");
    select_combo(IDC_LISTEN_KIND, LISTEN_WILDCARD);
    if (!text_has(IDC_LISTEN_CHECK, L"Listens on hyperv"))
        return fail("the wildcard listen address is not shown");
    select_combo(IDC_LISTEN_KIND, LISTEN_TCP);
    swprintf(t, 64, L"127.0.0.1:%d", port);
    set_text(IDC_LISTEN, t);
    if (!text_has(IDC_LISTEN_CHECK, L"Listens on tcp 127.0.0.1"))
        return fail("the TCP listen address is not shown");
    say("listen dropdown and its live check: ok");
    return 0;
}

/* What the dialog had to learn from the GTK window: any message size,
 * Fill to, Decode, Repeat, the unix: target, Bytes and Took, the client
 * counter, the outcome line, About, the Text column's width. */
static int parity(int port)
{
    static wchar_t big[102400 + 1];
    wchar_t t[1024];
    int first, r, i;
    SOCKET c;
    HWND box = NULL;
    RECT rc;
    int before, after, sum;

    /* A 100 KiB message is sent whole (it was cut to 1,023 bytes). */
    for (i = 0; i < 102400; i++)
        big[i] = (wchar_t)(L'a' + i % 26);
    big[102400] = L'\0';
    set_check(IDC_DECODE, false);
    set_text(IDC_MESSAGE, big);
    if (!text_has(IDC_MSG_SIZE, L"sends 102400 bytes"))
        return fail("the message size does not say 102400 bytes");
    if (send_and_wait(&first) < 0)
        return print_log(), fail("the 100 KiB message did not complete");
    r = wait_row(first, L"client #", L"echo", NULL);
    if (r < 0 || row_bytes(r) != 102400)
        return print_log(), fail("the 100 KiB echo row does not show "
                                 "102400 bytes");
    r = wait_row(first, L"server #", L"closed", L"102,400 bytes echoed");
    if (r < 0 || row_bytes(r) != 102400)
        return print_log(), fail("the server did not echo 102400 bytes");
    r = wait_row(first, L"server #", L"received", NULL);
    if (r < 0 || row_bytes(r) != 102400)
        return print_log(), fail("the server did not receive 102400 bytes");
    say("a 100 KiB message went whole: 102400 bytes sent and echoed");

    /* Fill to repeats the message up to a size. */
    set_text(IDC_MESSAGE, L"abc");
    set_text(IDC_FILL, L"64K");
    if (!text_has(IDC_MSG_SIZE, L"sends 65536 bytes"))
        return fail("Fill to 64K does not say 65536 bytes");
    if (send_and_wait(&first) < 0)
        return print_log(), fail("the filled message did not complete");
    r = wait_row(first, L"client #", L"sent", L"abcabc");
    if (r < 0 || row_bytes(r) != 65536)
        return print_log(), fail("Fill to 64K did not send 65536 bytes");
    set_text(IDC_FILL, L"64Q");
    if (!text_has(IDC_MSG_SIZE, L"Fill to"))
        return fail("a bad Fill to size is not flagged");
    set_text(IDC_FILL, L"");
    say("Fill to: ok");

    /* Decode reads escapes; a bad one is refused with the reason. */
    set_text(IDC_MESSAGE, L"a\\x41\\t");
    if (!text_has(IDC_MSG_SIZE, L"sends 7 bytes"))
        return fail("without Decode the escapes are not sent as typed");
    set_check(IDC_DECODE, true);
    if (!text_has(IDC_MSG_SIZE, L"sends 3 bytes"))
        return fail("Decode does not decode the message");
    if (send_and_wait(&first) < 0)
        return print_log(), fail("the decoded message did not complete");
    r = wait_row(first, L"client #", L"sent", L"aA\\t");
    if (r < 0 || row_bytes(r) != 3)
        return print_log(), fail("the decoded message was not 'aA<tab>'");
    set_text(IDC_MESSAGE, L"bad \\q");
    first = log_rows();
    click(IDC_SEND);
    if (wait_row(first, L"client", L"error", L"Message not valid") < 0)
        return print_log(), fail("a bad escape was not refused");
    set_check(IDC_DECODE, false);
    say("Decode: ok");

    /* Repeat: three handshakes, numbered on from the last Send, and the
     * outcome line. */
    set_text(IDC_MESSAGE, L"repeat me");
    set_text(IDC_REPEAT, L"3");
    if ((r = send_and_wait(&first)) < 0)
        return print_log(), fail("Repeat 3 did not complete");
    if (!wait_text(IDC_CLIENT_STATUS, L"Done: 3 handshakes complete, last "
                                      L"round trip ") ||
        wait_row(first, L"client", L"summary", L"3 done") < 0)
        return print_log(), fail("the outcome line does not say 'Done: 3 "
                                 "handshakes complete, ...'");
    {
        /* the figures line under it is the summary row, as in GTK */
        wchar_t row[ROW_TEXT];
        r = wait_row(first, L"client", L"summary", L"3 done");
        log_cell(r, LOGCOL_TEXT, row, ROW_TEXT);
        get_text(IDC_CLIENT_FIGURES, t, 1024);
        if (wcsncmp(row, L"3 handshakes: 3 done, 0 failed", 30) ||
            wcscmp(t, row))
            return print_log(), fail("the figures line is not the summary "
                                     "row");
    }
    {
        int byes = 0, rows = log_rows();
        for (i = first; i < rows; i++) {
            wchar_t e[64], c[64];
            log_cell(i, LOGCOL_EVENT, e, 64);
            log_cell(i, LOGCOL_CONN, c, 64);
            if (!wcscmp(e, L"bye") && !wcsncmp(c, L"client #", 8))
                byes++;
        }
        if (byes != 3)
            return print_log(), fail("Repeat 3 shows %d client byes", byes);
    }
    r = wait_row(first, L"client #", L"connected", NULL);
    log_cell(r, LOGCOL_TOOK, t, 64);
    if (r < 0 || !wcsstr(t, L" ms"))
        return print_log(), fail("the connected row has no Took");
    set_text(IDC_REPEAT, L"1");
    say("Repeat 3: three handshakes, outcome line ok");

    /* A bad service does not block TCP, which has none. */
    set_text(IDC_SERVICE, L"not-a-service");
    if (send_and_wait(&first) < 0)
        return print_log(), fail("a bad service blocked a TCP send");
    set_text(IDC_SERVICE, L"3049197C-FACB-11E6-BD58-64006A7986D3");
    if (!text_has(IDC_SERVICE_OTHER, L"not used for TCP"))
        return fail("the service does not say it is not used for TCP");

    /* The unix: target. */
    select_target(TARGET_UNIX);
    set_text(IDC_TARGET_ARG, L"C:\\hvecho-test.sock");
    if (!text_has(IDC_TARGET_CHECK, L"Connects to unix"))
        return fail("the unix: target is not accepted");
    select_target(TARGET_TCP);
    swprintf(t, 64, L"127.0.0.1:%d", port);
    set_text(IDC_TARGET_ARG, t);

    /* The client counter follows a connection that stays open. */
    c = connect_to(port);
    if (c == INVALID_SOCKET)
        return fail("cannot connect to the dialog's server");
    if (!wait_text(IDC_SERVER_STATUS, L"1 client connected"))
        return print_log(), fail("the server status does not count the "
                                 "open connection");
    closesocket(c);
    WSACleanup();
    if (!wait_text(IDC_SERVER_STATUS, L"0 clients connected"))
        return print_log(), fail("the client counter does not go back "
                                 "to 0");
    say("client counter: ok");

    /* About shows the version. */
    box = open_box(IDC_ABOUT, L"About hvecho");
    if (!box)
        return fail("About opened nothing");
    GetDlgItemTextW(box, 0xFFFF, t, 1024);
    if (!wcsstr(t, L"hvecho 0."))
        return fail("About does not show the version");
    PostMessageW(box, WM_COMMAND, IDOK, 0);
    say("About: ok");

    /* Maximized, the Text column takes the width the others leave. */
    before = (int)SendMessageW(item(IDC_LOG), LVM_GETCOLUMNWIDTH,
                               LOGCOL_TEXT, 0);
    ShowWindow(dlg, SW_MAXIMIZE);
    pause_ms(500);
    after = (int)SendMessageW(item(IDC_LOG), LVM_GETCOLUMNWIDTH, LOGCOL_TEXT,
                              0);
    GetClientRect(item(IDC_LOG), &rc);
    for (sum = 0, i = 0; i < LOGCOL_COUNT; i++)
        sum += (int)SendMessageW(item(IDC_LOG), LVM_GETCOLUMNWIDTH, i, 0);
    ShowWindow(dlg, SW_RESTORE);
    pause_ms(300);
    if (after <= before || sum < rc.right - 4 || sum > rc.right + 4)
        return fail("maximized, the Text column is %d px (was %d), the "
                    "columns %d px of %ld",
                    after, before, sum, (long)rc.right);
    say("Text column: %d px, maximized %d px (log %ld px wide)", before,
        after, (long)rc.right);
    return 0;
}

/* ---- the core's words (ui_text.h) ---- */

/* UTF-8 (the core's) to the controls' UTF-16. */
static void wide(const char *utf8, wchar_t *out, int len)
{
    out[0] = L'\0';
    MultiByteToWideChar(CP_UTF8, 0, utf8, -1, out, len);
    out[len - 1] = L'\0';
}

/* A control's text without its mnemonic mark and a closing colon. */
static void plain_text(int id, wchar_t *out, int len)
{
    wchar_t t[512];
    int i, n = 0;
    get_text(id, t, 512);
    for (i = 0; t[i] && n < len - 1; i++)
        if (t[i] != L'&')
            out[n++] = t[i];
    if (n > 0 && out[n - 1] == L':')
        n--;
    out[n] = L'\0';
}

/* Waits until a control's text is exactly utf8. */
static bool wait_words(int id, const char *utf8)
{
    wchar_t want[512], t[512];
    DWORD start = GetTickCount();
    wide(utf8, want, 512);
    while (GetTickCount() - start < WAIT_MS) {
        get_text(id, t, 512);
        if (!wcscmp(t, want))
            return true;
        pause_ms(50);
    }
    return false;
}

static int label_is(int id, hve_ui_phrase p, const char *what)
{
    wchar_t t[512], want[512];
    plain_text(id, t, 512);
    wide(hve_ui_text(p), want, 512);
    if (wcscmp(t, want))
        return fail("%s says '%ls', the core '%ls'", what, t, want);
    return 0;
}

/* A field's hint (cue banner): a combo box's is its edit's. The text
 * comes back through memory in the dialog's process. */
static int hint_is(int id, const char *hint, const char *what)
{
    HWND c = item(id), edit = FindWindowExW(c, NULL, L"Edit", NULL);
    wchar_t t[512], want[512];
    SIZE_T n = 0;

    t[0] = L'\0';
    if (!WriteProcessMemory(proc, remote, t, sizeof(wchar_t), &n))
        return fail("cannot write the dialog's memory");
    SendMessageW(edit ? edit : c, EM_GETCUEBANNER, (WPARAM)remote, 512);
    ReadProcessMemory(proc, remote, t, sizeof t, &n);
    t[511] = L'\0';
    wide(hint, want, 512);
    if (wcscmp(t, want))
        return fail("%s's hint is '%ls', the core's '%ls'", what, t, want);
    return 0;
}

/* A kind list holds the core's items for Windows, in its order. */
static int kinds_are(int id, bool listen)
{
    size_t n, i;
    const hve_ui_kind_text *k =
        hve_ui_kinds(HVE_PLATFORM_WINDOWS, listen, &n);
    wchar_t t[256], want[256];

    if (SendMessageW(item(id), CB_GETCOUNT, 0, 0) != (LRESULT)n)
        return fail("the %s list has %ld items, the core %u",
                    listen ? "listen" : "target",
                    (long)SendMessageW(item(id), CB_GETCOUNT, 0, 0),
                    (unsigned)n);
    for (i = 0; i < n; i++) {
        t[0] = L'\0';
        if (SendMessageW(item(id), CB_GETLBTEXTLEN, i, 0) < 256)
            SendMessageW(item(id), CB_GETLBTEXT, i, (LPARAM)t);
        wide(k[i].name, want, 256);
        if (wcscmp(t, want))
            return fail("item %u of the %s list is '%ls', the core's "
                        "'%ls'",
                        (unsigned)i, listen ? "listen" : "target", t, want);
    }
    return 0;
}

/* The hybrid kind picked and its field emptied: the check line has the
 * core parser's words for that, after the cross mark. */
static int empty_hybrid(bool listen)
{
    hve_addr a;
    char why[256], line[300];
    wchar_t t[1024], want[300];
    int field = listen ? IDC_LISTEN : IDC_TARGET_ARG;
    int check = listen ? IDC_LISTEN_CHECK : IDC_TARGET_CHECK;

    set_text(field, L"");
    if (listen)
        hve_listen_parse("hybrid:", HVE_PLATFORM_WINDOWS, &a, why,
                         sizeof why);
    else
        hve_target_parse("hybrid:", HVE_PLATFORM_WINDOWS, &a, why,
                         sizeof why);
    snprintf(line, sizeof line, "\xE2\x9C\x97 %s", why);
    wide(line, want, 300);
    get_text(check, t, 1024);
    fprintf(stdout, "dlgdriver: hybrid %s, no path: ",
            listen ? "listen" : "target");
    print_w(t);
    fputc('\n', stdout);
    if (wcscmp(t, want))
        return fail("an empty hybrid path is not flagged in the core's "
                    "words ('%s')",
                    line);
    return 0;
}

/* The dialog in the core's words, as the GTK window (tests/gui gui.words
 * checks that side): the kind lists with hybrid vsock, their hints, the
 * run options; a hybrid target whose VMM socket is missing gives the
 * core's words in the check line, the outcome line and the log. Ends in
 * client mode with the TCP target on port. */
static int words_check(int port)
{
    size_t n;
    const hve_ui_kind_text *tk =
        hve_ui_kinds(HVE_PLATFORM_WINDOWS, false, &n);
    const hve_ui_kind_text *lk;
    size_t ln;
    char line[600];
    wchar_t t[1024], want[600];
    int first, r;

    lk = hve_ui_kinds(HVE_PLATFORM_WINDOWS, true, &ln);
    if (kinds_are(IDC_TARGET_KIND, false) || kinds_are(IDC_LISTEN_KIND, true))
        return 1;
    if (label_is(IDC_TIMEOUT_LABEL, HVE_UI_TIMEOUT, "the timeout's label") ||
        label_is(IDC_REPEAT_LABEL, HVE_UI_REPEAT, "the repeat's label") ||
        label_is(IDC_UNTIL_STOPPED, HVE_UI_UNTIL_STOPPED, "Until stopped") ||
        label_is(IDC_INTERVAL_LABEL, HVE_UI_INTERVAL,
                 "the interval's label") ||
        label_is(IDC_KEEP_GOING, HVE_UI_KEEP_GOING, "Keep going") ||
        label_is(IDC_FILL_LABEL, HVE_UI_FILL_TO, "Fill to's label") ||
        label_is(IDC_DECODE, HVE_UI_DECODE, "Decode") ||
        label_is(IDC_BYE_LABEL, HVE_UI_BYE, "the bye's label") ||
        label_is(IDC_CLEAR, HVE_UI_CLEAR, "Clear") ||
        label_is(IDC_COPY, HVE_UI_COPY, "Copy") ||
        label_is(IDC_SAVE, HVE_UI_SAVE, "Save / Export") ||
        label_is(IDC_CHART_LABEL, HVE_UI_CHART, "the chart's label") ||
        label_is(IDC_DETAIL_LABEL, HVE_UI_DETAILS, "the details' label") ||
        hint_is(IDC_INTERVAL, hve_ui_text(HVE_UI_INTERVAL_HINT),
                "the interval") ||
        hint_is(IDC_FILL, hve_ui_text(HVE_UI_FILL_HINT), "Fill to"))
        return 1;
    say("kind lists, run option labels and hints: the core's words");

    /* hybrid vsock: its hint; an empty path in the parser's words */
    click(IDC_MODE_CLIENT);
    select_target(TARGET_HYBRID);
    if (!enabled(IDC_TARGET_ARG))
        return fail("the hybrid target's field stays disabled");
    if (hint_is(IDC_TARGET_ARG, tk[TARGET_HYBRID].hint, "the hybrid target") ||
        empty_hybrid(false))
        return 1;
    /* a path where no VMM's socket is */
    set_text(IDC_TARGET_ARG, L"C:\\hvecho-no-vmm\\vm.vsock:5000");
    get_text(IDC_TARGET_CHECK, t, 1024);
    wide(hve_ui_text(HVE_UI_CONNECTS_TO), want, 600);
    if (t[0] != 0x2713 || wcsncmp(t + 2, want, wcslen(want)))
        return fail("a hybrid path is not accepted: %ls", t);
    set_text(IDC_MESSAGE, L"to no VMM");
    first = log_rows();
    click(IDC_SEND);
    r = wait_row(first, L"client", L"failed", NULL);
    if (r < 0)
        return print_log(), fail("the hybrid client did not fail");
    get_text(IDC_CLIENT_STATUS, t, 1024);
    fputs("dlgdriver: hybrid, no socket: '", stdout);
    print_w(t);
    fputs("'\n", stdout);
    {
        /* Windows 10 has AF_UNIX: no socket file there is the core's
         * "no VMM answers" with the path. Wine has none: the socket
         * cannot be made, in the core's words for that. */
        int err = HVE_ENOVMM;
        const wchar_t *detail = L"no socket file at C:\\hvecho-no-vmm";
        WSADATA wsa;
        SOCKET u;
        if (WSAStartup(MAKEWORD(2, 2), &wsa) == 0) {
            u = socket(AF_UNIX, SOCK_STREAM, 0);
            if (u == INVALID_SOCKET) {
                err = hve_err_from_wsa(WSAGetLastError());
                detail = NULL;
            } else {
                closesocket(u);
            }
            WSACleanup();
        }
        hve_ui_outcome(err, 0, 0, line, sizeof line);
        wide(line, want, 600);
        if (wcscmp(t, want))
            return print_log(), fail("the outcome line is not the core's "
                                     "'%s'",
                                     line);
        if (detail && wait_row_ms(first, L"client #", L"error", detail, 0) <
                          0)
            return print_log(), fail("no error row with 'no socket file "
                                     "at' and the path");
        wide(hve_hint_in(err, HVE_WORDS_WINDOW), want, 600);
        if (want[0] &&
            wait_row_ms(first, L"client #", L"error", want, 0) < 0)
            return print_log(), fail("the error row lacks the core's "
                                     "hint: %s",
                                     hve_hint_in(err, HVE_WORDS_WINDOW));
        say("hybrid target with no VMM socket: the core's outcome line "
            "and hint for %s (%s)",
            hve_errname(err),
            detail ? "AF_UNIX there" : "no AF_UNIX under this Wine");
    }

    /* the listen list's hybrid and its hint */
    click(IDC_MODE_SERVER);
    select_combo(IDC_LISTEN_KIND, LISTEN_HYBRID);
    if (!enabled(IDC_LISTEN) ||
        hint_is(IDC_LISTEN, lk[LISTEN_HYBRID].hint, "the hybrid listen") ||
        empty_hybrid(true))
        return fail("the hybrid listen field is off, has no hint or an "
                    "empty path is not flagged");
    select_combo(IDC_LISTEN_KIND, LISTEN_TCP);
    click(IDC_MODE_CLIENT);
    select_target(TARGET_TCP);
    swprintf(t, 64, L"127.0.0.1:%d", port);
    set_text(IDC_TARGET_ARG, t);
    (void)n;
    (void)ln;
    return 0;
}

/* What the screenshot shows: a repeat run with its chart, and a data
 * row's detail. */
static int final_view(void)
{
    int first, r;
    set_text(IDC_MESSAGE, L"hello from the driver \x00FC");
    set_text(IDC_REPEAT, L"40");
    if (send_and_wait(&first) < 0)
        return print_log(), fail("the last repeat run did not complete");
    r = wait_row(first, L"client #", L"sent", NULL);
    if (r < 0)
        return fail("no sent row to show");
    select_row(r);
    SendMessageW(item(IDC_LOG), LVM_ENSUREVISIBLE, (WPARAM)r, FALSE);
    pause_ms(300);
    /* the detail pane shows the row's hex dump: its text above it */
    SendMessageW(item(IDC_DETAIL), EM_LINESCROLL, 0, 2);
    pause_ms(300);
    return 0;
}

static int run(int port, const char *save_path)
{
    wchar_t addr[64], t[512];
    int r, first, bye_c, bye_s;

    if (!open_log())
        return fail("cannot open the dialog's process (error %lu)",
                    GetLastError());
    if (live_checks() || registration())
        return 1;

    if (listen_checks(port))
        return 1;
    /* Server mode: listen on loopback TCP, a bye of our own. */
    click(IDC_MODE_SERVER);
    if (!enabled(IDC_START) || enabled(IDC_SEND))
        return fail("server mode does not enable Start / disable Send");
    select_combo(IDC_LISTEN_KIND, LISTEN_TCP);
    swprintf(addr, 64, L"127.0.0.1:%d", port);
    set_text(IDC_LISTEN, addr);
    set_text(IDC_BYE, L"bye from the dialog");
    first = log_rows();
    click(IDC_START);
    if (wait_row(first, L"server", L"listening", NULL) < 0)
        return print_log(), fail("no 'listening' row");
    if (!enabled(IDC_STOP) || enabled(IDC_START))
        return fail("a running server leaves Start on / Stop off");
    say("server listening on %d", port);

    /* Client mode: the TCP target, a message with a non-ASCII letter. */
    click(IDC_MODE_CLIENT);
    select_target(TARGET_TCP);
    swprintf(addr, 64, L"127.0.0.1:%d", port);
    set_text(IDC_TARGET_ARG, addr);
    set_text(IDC_MESSAGE, L"hello from the driver \x00FC");
    set_text(IDC_TIMEOUT, L"10");
    first = log_rows();
    click(IDC_SEND);
    if (wait_row(first, L"client", L"done", L"handshake complete") < 0)
        return print_log(), fail("client 1 did not complete");
    r = wait_row(first, L"client #1", L"sent",
                 L"hello from the driver \x00FC");
    if (r >= 0)
        r = wait_row(first, L"client #1", L"echo", L"verified");
    if (r < 0)
        return print_log(), fail("no echo row with the escaped message");
    bye_c = wait_row(first, L"client #1", L"bye", L"bye from the dialog");
    if (bye_c < 0 || !(log_marks(bye_c) & 1))
        return print_log(), fail("no marked client bye row");
    bye_s = wait_row(first, L"server #", L"bye", NULL);
    if (bye_s < 0 || !(log_marks(bye_s) & 1))
        return print_log(), fail("no marked server bye row");
    if (wait_row(first, L"server #", L"received",
                 L"hello from the driver \x00FC") < 0)
        return print_log(), fail("the server did not log the message");
    say("Send (click): echo and bye ok");

    /* Enter in the message field sends as well. */
    set_text(IDC_MESSAGE, L"sent with Enter");
    first = log_rows();
    PostMessageW(item(IDC_MESSAGE), WM_KEYDOWN, VK_RETURN, 1);
    PostMessageW(item(IDC_MESSAGE), WM_KEYUP, VK_RETURN, 0xC0000001);
    if (wait_row(first, L"client", L"done", L"handshake complete") < 0)
        return print_log(), fail("Enter did not send (client 2)");
    if (wait_row(first, L"client #2", L"sent", L"sent with Enter") < 0)
        return print_log(), fail("no echo row for the Enter send");
    say("Send (Enter): echo and bye ok");
    if (parity(port) || words_check(port) || chart_check() || hex_check() ||
        responsiveness())
        return 1;

    /* Cancel stops a client at once: a listener that never accepts, so
     * the client connects (the kernel's backlog) and waits for an echo
     * that never comes, with a 60 s timeout. */
    if (cancel_check())
        return 1;

    /* A client error shows its hint: nothing listens on port+1. */
    swprintf(addr, 64, L"127.0.0.1:%d", port + 1);
    set_text(IDC_TARGET_ARG, addr);
    first = log_rows();
    click(IDC_SEND);
    if (wait_row(first, L"client #", L"error", L"refused") < 0)
        return print_log(), fail("a refused connect shows no error row");
    if (wait_row(first, L"client", L"failed", L"refused") < 0)
        return print_log(), fail("client 4 did not finish");
    get_text(IDC_CLIENT_STATUS, t, 512);
    if (wcsncmp(t, L"Failed: connection refused", 26))
        return print_log(), fail("the outcome line after a refused "
                                 "connect is not 'Failed: ...'");
    say("refused connect: error row with hint ok");
    swprintf(addr, 64, L"127.0.0.1:%d", port);
    set_text(IDC_TARGET_ARG, addr);
    set_text(IDC_MESSAGE, L"hello from the driver \x00FC");

    /* Stop Server, with a client connected. */
    if (clients_and_stop(port))
        return 1;
    pause_ms(200);
    click(IDC_MODE_SERVER);
    if (!enabled(IDC_START))
        return fail("Start Server is not enabled after Stop");
    say("Stop Server ok");

    /* Running again, so that closing the dialog has a server to stop. */
    first = log_rows();
    click(IDC_START);
    if (wait_row(first, L"server", L"listening", NULL) < 0)
        return print_log(), fail("the server did not start again");
    click(IDC_MODE_CLIENT);

    /* One more handshake, so the log ends with a whole one. */
    first = log_rows();
    click(IDC_SEND);
    if (wait_row(first, L"client", L"done", L"handshake complete") < 0)
        return print_log(), fail("the last client did not complete");
    pause_ms(300);
    if (copy_and_save(save_path))
        return 1;
    print_log();
    return final_view();
}

static int close_dialog(void)
{
    DWORD start = GetTickCount();
    PostMessageW(dlg, WM_CLOSE, 0, 0);
    while (GetTickCount() - start < WAIT_MS) {
        if (!IsWindow(dlg)) {
            say("dialog closed after %lu ms",
                (unsigned long)(GetTickCount() - start));
            return 0;
        }
        Sleep(50);
    }
    return fail("the dialog did not close");
}

int main(int argc, char **argv)
{
    if (argc < 2 || (strcmp(argv[1], "run") == 0 && argc < 4) ||
        (strcmp(argv[1], "history") == 0 && argc < 3)) {
        fprintf(stderr, "usage: dlgdriver run PORT SAVE-PATH | dlgdriver "
                        "history PORT | dlgdriver close\n");
        return 2;
    }
    if (!find_dialog())
        return fail("no hvecho dialog appeared within %d ms", WAIT_MS);
    if (strcmp(argv[1], "close") == 0)
        return close_dialog();
    if (strcmp(argv[1], "history") == 0)
        return history_check(atoi(argv[2]));
    if (strcmp(argv[1], "run") == 0) {
        int port = atoi(argv[2]);
        if (port <= 0 || port > 65534)
            return fail("bad port %s", argv[2]);
        return run(port, argv[3]);
    }
    fprintf(stderr, "dlgdriver: unknown command '%s'\n", argv[1]);
    return 2;
}
