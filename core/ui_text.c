/* ui_text.c - the words both windows show (ui_text.h): the kind lists
 * per platform, the fixed phrases, and the sentences with figures.
 *
 * Threads: any (constant tables, pure functions). */
#include "hvecho/ui_text.h"

#include "hvecho/error.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define ELLIPSIS "\xE2\x80\xA6"
#define DOT "  \xC2\xB7  "

/* ---- kinds ---- */

#define TCP_HINT "host:port, e.g. 127.0.0.1:5000"
#define HYBRID_NAME "Hybrid vsock (Firecracker, Cloud Hypervisor)"
#define HYBRID_HINT \
    "the VMM's vsock socket path[:port], e.g. /run/vm.vsock:5000"

static const hve_ui_kind_text listen_linux[] = {
    {HVE_UI_WILDCARD, "wildcard", "Every VM (vsock wildcard)", "", NULL,
     true},
    {HVE_UI_LOOPBACK, "loopback", "This machine (vsock loopback)", "", NULL,
     true},
    {HVE_UI_TCP, "tcp", "TCP host:port", TCP_HINT, "tcp:", false},
    {HVE_UI_UNIX, "unix", "Unix socket path", "path, e.g. /tmp/hvecho.sock",
     "unix:", false},
    {HVE_UI_HYBRID, "hybrid", HYBRID_NAME, HYBRID_HINT, "hybrid:", true},
};

static const hve_ui_kind_text listen_windows[] = {
    {HVE_UI_WILDCARD, "wildcard", "Every VM (Hyper-V wildcard)", "", NULL,
     true},
    {HVE_UI_LOOPBACK, "loopback", "This machine (Hyper-V loopback)", "",
     NULL, true},
    {HVE_UI_TCP, "tcp", "TCP host:port", TCP_HINT, "tcp:", false},
    {HVE_UI_UNIX, "unix", "Unix socket path",
     "path, e.g. C:\\temp\\hvecho.sock", "unix:", false},
    {HVE_UI_HYBRID, "hybrid", HYBRID_NAME, HYBRID_HINT, "hybrid:", true},
};

static const hve_ui_kind_text target_linux[] = {
    {HVE_UI_LOOPBACK, "loopback", "Loopback (this machine)", "", NULL, true},
    {HVE_UI_PARENT, "parent", "Parent (the host)", "", NULL, true},
    {HVE_UI_GUID, "guid", "VM GUID", "VM id, e.g. from (Get-VM NAME).Id", "",
     true},
    {HVE_UI_CID, "cid", "vsock CID", "CID, e.g. 3", "cid:", true},
    {HVE_UI_TCP, "tcp", "TCP host:port", TCP_HINT, "tcp:", false},
    {HVE_UI_UNIX, "unix", "Unix socket path", "path, e.g. /tmp/hvecho.sock",
     "unix:", false},
    {HVE_UI_HYBRID, "hybrid", HYBRID_NAME, HYBRID_HINT, "hybrid:", true},
};

static const hve_ui_kind_text target_windows[] = {
    {HVE_UI_LOOPBACK, "loopback", "Loopback (this machine)", "", NULL, true},
    {HVE_UI_PARENT, "parent", "Parent (the host)", "", NULL, true},
    {HVE_UI_CHILDREN, "children", "Children", "", NULL, true},
    {HVE_UI_GUID, "guid", "VM GUID", "VM id, e.g. from (Get-VM NAME).Id", "",
     true},
    {HVE_UI_TCP, "tcp", "TCP host:port", TCP_HINT, "tcp:", false},
    {HVE_UI_UNIX, "unix", "Unix socket path",
     "path, e.g. C:\\temp\\hvecho.sock", "unix:", false},
    {HVE_UI_HYBRID, "hybrid", HYBRID_NAME, HYBRID_HINT, "hybrid:", true},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const hve_ui_kind_text *hve_ui_kinds(hve_platform pf, bool listen,
                                     size_t *n)
{
    if (pf == HVE_PLATFORM_WINDOWS) {
        *n = listen ? COUNT(listen_windows) : COUNT(target_windows);
        return listen ? listen_windows : target_windows;
    }
    *n = listen ? COUNT(listen_linux) : COUNT(target_linux);
    return listen ? listen_linux : target_linux;
}

const hve_ui_kind_text *hve_ui_kind_at(hve_platform pf, bool listen, int i)
{
    size_t n;
    const hve_ui_kind_text *k = hve_ui_kinds(pf, listen, &n);
    return &k[i >= 0 && (size_t)i < n ? i : 0];
}

size_t hve_ui_kind_index(hve_platform pf, bool listen, const char *id)
{
    size_t n, i;
    const hve_ui_kind_text *k = hve_ui_kinds(pf, listen, &n);

    for (i = 0; id && i < n; i++)
        if (strcmp(k[i].id, id) == 0)
            return i;
    return 0;
}

char *hve_ui_kind_address(const hve_ui_kind_text *k, const char *value,
                          char *out, size_t outlen)
{
    size_t pl;

    if (!value)
        value = "";
    if (!k->prefix) {
        snprintf(out, outlen, "%s", k->id);
        return out;
    }
    pl = strlen(k->prefix);
    /* the prefix typed too, in any case */
    if (pl && strlen(value) >= pl) {
        size_t i;
        for (i = 0; i < pl; i++)
            if (tolower((unsigned char)value[i]) != k->prefix[i])
                break;
        if (i == pl)
            value += pl;
    }
    snprintf(out, outlen, "%s%s", k->prefix, value);
    return out;
}

const char *hve_ui_kind_missing(const hve_ui_kind_text *k,
                                const char *value)
{
    if (value && *value)
        return NULL;
    /* "" would parse as loopback: these kinds need a value */
    if (k->kind == HVE_UI_GUID)
        return "type the VM's id, a GUID such as (Get-VM NAME).Id";
    if (k->kind == HVE_UI_CID)
        return "type the guest's CID, a number such as 3";
    return NULL;
}

/* ---- fixed words ---- */

static const char *const phrases[HVE_UI_PHRASE_COUNT] = {
    [HVE_UI_TIMEOUT] = "Timeout (s)",
    [HVE_UI_REPEAT] = "Repeat",
    [HVE_UI_UNTIL_STOPPED] = "Until stopped",
    [HVE_UI_INTERVAL] = "Interval",
    [HVE_UI_KEEP_GOING] = "Keep going on errors",
    [HVE_UI_FILL_TO] = "Fill to",
    [HVE_UI_DECODE] = "Decode \\n \\t \\xHH",
    [HVE_UI_BYE] = "Bye message",
    [HVE_UI_UNTIL_STOPPED_TIP] = "Handshakes one after another until Cancel",
    [HVE_UI_INTERVAL_TIP] = "The pause between two handshakes: seconds, or "
                            "with us, ms, s or m (e.g. 250ms, 1.5s)",
    [HVE_UI_INTERVAL_HINT] = "none",
    [HVE_UI_KEEP_GOING_TIP] = "A failed handshake is logged and the run "
                              "goes on",
    [HVE_UI_FILL_TIP] = "Repeat the message to this size: a byte count, or "
                        "with K, M or G (e.g. 64K, 256M)",
    [HVE_UI_FILL_HINT] = "as typed",
    [HVE_UI_DECODE_TIP] = "Read backslash escapes in the message, so any "
                          "byte can be sent",
    [HVE_UI_SEND_TIP] = "Connect, send the message, read the echo, shut "
                        "down and wait for the bye (Enter)",
    [HVE_UI_READY] = "Ready",
    [HVE_UI_NOT_RUNNING] = "Not running",
    [HVE_UI_STARTING] = "Starting" ELLIPSIS,
    [HVE_UI_STOPPING] = "Stopping" ELLIPSIS,
    [HVE_UI_PREPARING] = "Preparing the message" ELLIPSIS,
    [HVE_UI_CONNECTING] = "Connecting" ELLIPSIS,
    [HVE_UI_CONNECTED] = "Connected, sending" ELLIPSIS,
    [HVE_UI_ECHO_MATCHED] = "Echo matched, waiting for the bye" ELLIPSIS,
    [HVE_UI_CONNECTS_TO] = "Connects to",
    [HVE_UI_LISTENS_ON] = "Listens on",
    [HVE_UI_SERVICE_UNUSED] = "(not used for TCP and Unix sockets)",
    [HVE_UI_TARGET_BAD] = "Target not valid",
    [HVE_UI_LISTEN_BAD] = "Listen address not valid",
    [HVE_UI_SERVICE_BAD] = "Service not valid",
    [HVE_UI_MESSAGE_BAD] = "Message not valid",
    [HVE_UI_BAD_ESCAPE] = "the message has a bad escape: use \\n \\r \\t "
                          "\\\\ or \\xHH",
    [HVE_UI_FILL_BAD] = "Fill to size not valid",
    [HVE_UI_FILL_WHY] = "Type a byte count, or one with K, M or G such as "
                        "64K or 256M (at most 1G), or leave it empty.",
    [HVE_UI_INTERVAL_BAD] = "Interval not valid",
    [HVE_UI_INTERVAL_WHY] = "Type a pause such as 250ms, 1.5s or 2 "
                            "(seconds), at most an hour, or leave it "
                            "empty.",
    [HVE_UI_TIMEOUT_BAD] = "Timeout not valid",
    [HVE_UI_TIMEOUT_WHY] = "Type 1 to 300 seconds.",
    [HVE_UI_REPEAT_BAD] = "Repeat not valid",
    [HVE_UI_REPEAT_WHY] = "Type a count from 1 to 100000, or tick Until "
                          "stopped.",
    [HVE_UI_STOP_TITLE] = "Stop Server",
    [HVE_UI_STOP_QUESTION] = "Stop the server?",
    [HVE_UI_CHART] = "Chart",
    [HVE_UI_DETAILS] = "Details",
    [HVE_UI_CLIENTS] = "Clients",
    [HVE_UI_CHART_EMPTY] = "Round trips appear here as a run goes (Send, "
                           "with Repeat for many)",
    [HVE_UI_DETAIL_EMPTY] = "Select a row of the log to see its whole text "
                            "and its bytes.",
    [HVE_UI_SERVER_NOT_RUNNING] = "The server is not running",
    [HVE_UI_SERVER_WAITING] = "Waiting for the server" ELLIPSIS,
    [HVE_UI_ABOUT] = "Tests host \xE2\x86\x94 guest socket connections: an "
                     "echo server and client with a shutdown handshake "
                     "over AF_VSOCK (Hyper-V sockets, virtio-vsock), TCP "
                     "and Unix sockets.",
    [HVE_UI_CLEAR] = "Clear",
    [HVE_UI_COPY] = "Copy",
    [HVE_UI_SAVE] = "Save / Export" ELLIPSIS,
    [HVE_UI_SAVE_FAILED] = "Could not save the log",
};

const char *hve_ui_text(hve_ui_phrase p)
{
    if ((int)p < 0 || p >= HVE_UI_PHRASE_COUNT || !phrases[p])
        return "";
    return phrases[p];
}

const char *hve_ui_client_column(int i)
{
    static const char *const c[HVE_UI_CLIENT_COLUMNS] = {"#", "Peer", "In",
                                                         "Out", "Age"};
    return i >= 0 && i < HVE_UI_CLIENT_COLUMNS ? c[i] : "";
}

const char *hve_ui_log_column(int i)
{
    static const char *const c[HVE_UI_LOG_COLUMNS] = {
        "Time", "Connection", "Event", "Peer", "Bytes", "Took", "Text"};
    return i >= 0 && i < HVE_UI_LOG_COLUMNS ? c[i] : "";
}

static const char *const exports[HVE_UI_EXPORTS][2] = {
    {"Text (*.txt)", "*.txt"},
    {"CSV (*.csv)", "*.csv"},
    {"JSON lines, as hvecho --json (*.jsonl)", "*.jsonl"},
};

const char *hve_ui_export_name(int i)
{
    return i >= 0 && i < HVE_UI_EXPORTS ? exports[i][0] : "";
}

const char *hve_ui_export_pattern(int i)
{
    return i >= 0 && i < HVE_UI_EXPORTS ? exports[i][1] : "";
}

static bool ends_with(const char *s, const char *end)
{
    size_t n = strlen(s), m = strlen(end), i;
    if (n < m)
        return false;
    for (i = 0; i < m; i++)
        if (tolower((unsigned char)s[n - m + i]) != end[i])
            return false;
    return true;
}

int hve_ui_export_kind(const char *path, int picked)
{
    if (ends_with(path, ".txt"))
        return 0;
    if (ends_with(path, ".csv"))
        return 1;
    if (ends_with(path, ".jsonl") || ends_with(path, ".json"))
        return 2;
    return picked >= 0 && picked < HVE_UI_EXPORTS ? picked : 0;
}

/* ---- sentences with figures ---- */

static const char *plural(uint64_t n)
{
    return n == 1 ? "" : "s";
}

char *hve_ui_server_status(const char *where, unsigned open,
                           uint64_t served, char *out, size_t outlen)
{
    snprintf(out, outlen,
             "Listening on %s" DOT "%u client%s connected" DOT "%llu served",
             where, open, plural(open), (unsigned long long)served);
    return out;
}

char *hve_ui_server_stopped(int err, uint64_t served, char *out,
                            size_t outlen)
{
    if (err && err != HVE_ECANCELED)
        snprintf(out, outlen, "Stopped: %s", hve_strerror(err));
    else
        snprintf(out, outlen, "Stopped" DOT "%llu client%s served",
                 (unsigned long long)served, plural(served));
    return out;
}

char *hve_ui_connecting_to(const char *addr, char *out, size_t outlen)
{
    snprintf(out, outlen, "Connecting to %s" ELLIPSIS, addr);
    return out;
}

char *hve_ui_outcome(int err, unsigned handshakes, int64_t last_rtt_us,
                     char *out, size_t outlen)
{
    if (err == 0)
        snprintf(out, outlen,
                 "Done: %u handshake%s complete, last round trip %.2f ms",
                 handshakes, plural(handshakes),
                 (double)last_rtt_us / 1000.0);
    else if (err == HVE_ECANCELED)
        snprintf(out, outlen, "Cancelled");
    else
        snprintf(out, outlen, "Failed: %s", hve_strerror(err));
    return out;
}

const char *hve_ui_client_line(hve_ui_run *run, const hve_event *ev,
                               char *out, size_t outlen)
{
    switch (ev->kind) {
    case HVE_EV_CONNECTING:
        return hve_ui_connecting_to(ev->detail, out, outlen);
    case HVE_EV_CONNECTED:
        return hve_ui_text(HVE_UI_CONNECTED);
    case HVE_EV_RECEIVED:
        if (ev->dur_us >= 0)
            run->last_rtt_us = ev->dur_us;
        return NULL;
    case HVE_EV_SHUTDOWN:
        return hve_ui_text(HVE_UI_ECHO_MATCHED);
    case HVE_EV_BYE:
        run->handshakes++;
        return NULL;
    case HVE_EV_FINISHED:
        return hve_ui_outcome(ev->err, run->handshakes, run->last_rtt_us,
                              out, outlen);
    default:
        return NULL;
    }
}

char *hve_ui_stop_detail(unsigned open, char *out, size_t outlen)
{
    snprintf(out, outlen, "%u connected client%s will be closed.", open,
             plural(open));
    return out;
}

char *hve_ui_stop_note(unsigned open, char *out, size_t outlen)
{
    snprintf(out, outlen, "Stop Server: closing %u connected client%s",
             open, plural(open));
    return out;
}

char *hve_ui_clients_status(bool running, bool have_snapshot,
                            unsigned total, size_t shown, char *out,
                            size_t outlen)
{
    if (!running)
        snprintf(out, outlen, "%s", phrases[HVE_UI_SERVER_NOT_RUNNING]);
    else if (!have_snapshot)
        snprintf(out, outlen, "%s", phrases[HVE_UI_SERVER_WAITING]);
    else if (total > shown)
        snprintf(out, outlen,
                 "%u clients connected (the %zu most recently active "
                 "shown)",
                 total, shown);
    else
        snprintf(out, outlen, "%u client%s connected", total, plural(total));
    return out;
}

char *hve_ui_age(int64_t us, char *out, size_t outlen)
{
    int64_t s = us / 1000000;

    if (s < 60)
        snprintf(out, outlen, "%.1f s", (double)us / 1e6);
    else if (s < 3600)
        snprintf(out, outlen, "%dm %02ds", (int)(s / 60), (int)(s % 60));
    else
        snprintf(out, outlen, "%dh %02dm", (int)(s / 3600),
                 (int)(s / 60 % 60));
    return out;
}

char *hve_ui_message_size(size_t len, uint64_t fill, char *out,
                          size_t outlen)
{
    if (fill > len)
        snprintf(out, outlen, "sends %llu bytes (the %zu-byte message "
                              "repeated)",
                 (unsigned long long)fill, len);
    else
        snprintf(out, outlen, "sends %zu byte%s", len, plural(len));
    return out;
}

char *hve_ui_detail_title(const char *time, const char *conn,
                          const char *event, const char *peer,
                          const char *took, char *out, size_t outlen)
{
    size_t n;

    snprintf(out, outlen, "%s  %s  %s", time, conn, event);
    n = strlen(out);
    if (peer && *peer && n < outlen)
        n += (size_t)snprintf(out + n, outlen - n, "  %s", peer);
    if (took && *took && n < outlen)
        snprintf(out + n, outlen - n, "  took %s", took);
    return out;
}

char *hve_ui_dump_head(uint64_t bytes, size_t shown, char *out,
                       size_t outlen)
{
    if (bytes > shown)
        snprintf(out, outlen, "%llu bytes; the first %zu:",
                 (unsigned long long)bytes, shown);
    else
        snprintf(out, outlen, "%zu byte%s:", shown, plural(shown));
    return out;
}

char *hve_ui_register_copied(const char *guid, char *out, size_t outlen)
{
    snprintf(out, outlen, "Copied the command that registers service %s "
                          "on a Windows host",
             guid);
    return out;
}

char *hve_ui_service_unused_bad(const char *why, char *out, size_t outlen)
{
    snprintf(out, outlen, "not valid, but not used for TCP and Unix "
                          "sockets: %s",
             why);
    return out;
}

char *hve_ui_mnemonic(const char *words, char key, char mark, char *out,
                      size_t outlen)
{
    const char *at = NULL, *p;

    for (p = words; key && *p; p++)
        if (tolower((unsigned char)*p) == tolower((unsigned char)key)) {
            at = p;
            break;
        }
    if (!at)
        snprintf(out, outlen, "%s", words);
    else
        snprintf(out, outlen, "%.*s%c%s", (int)(at - words), words, mark,
                 at);
    return out;
}
