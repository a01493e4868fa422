/* net_win32.c - the Windows side of net.h, on Winsock 2: Hyper-V sockets
 * (AF_HYPERV, SOCKADDR_HV, HV_PROTOCOL_RAW), TCP over IPv4 and IPv6, and
 * AF_UNIX where Windows has it (10 1803 or later; not under Wine 8). All
 * sockets are non-blocking; the poller is WSAPoll and the waker a UDP
 * socket on 127.0.0.1 connected to itself.
 *
 * Threads: hve__net_init from any thread (once-only). A socket, poller or
 * waker belongs to one session's worker thread, except hve__net_waker_signal,
 * which any thread may call (a send() on a socket Winsock serialises). */
#include "net.h"

#include <ws2tcpip.h>
#include <afunix.h>
#include <hvsocket.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hvecho/error.h"
#include "hvecho/guid.h"
#include "hvecho/session.h"

/* mingw-w64's headers do not define it (the Windows SDK's ws2def.h
 * does). */
#ifndef AF_HYPERV
#define AF_HYPERV 34
#endif

/* hve_guid is laid out like GUID; copies go through memcpy. */
typedef char hve_guid_size_check[sizeof(hve_guid) == sizeof(GUID) ? 1 : -1];

/* ---- start-up ---- */

static INIT_ONCE init_once = INIT_ONCE_STATIC_INIT;
static int init_result; /* written once inside InitOnceExecuteOnce */

static BOOL CALLBACK init_winsock(PINIT_ONCE once, PVOID param, PVOID *ctx)
{
    WSADATA wsa;
    int r = WSAStartup(MAKEWORD(2, 2), &wsa);
    (void)once;
    (void)param;
    (void)ctx;
    init_result = r ? hve_err_from_wsa(r) : 0;
    return TRUE;
}

int hve__net_init(void)
{
    InitOnceExecuteOnce(&init_once, init_winsock, NULL, NULL);
    return init_result;
}

/* ---- helpers ---- */

static int last_err(void)
{
    return hve_err_from_wsa(WSAGetLastError());
}

/* "cannot connect to tcp 127.0.0.1:5000: <system text> (Winsock error
 * 10061)", as net_linux.c words it. */
static void set_why(char *why, size_t whylen, const char *what,
                    const char *addr, int wsa)
{
    char msg[160];
    DWORD n;

    if (!why || !whylen)
        return;
    /* The system's text in the user's language (Wine has none). */
    n = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM |
                           FORMAT_MESSAGE_IGNORE_INSERTS,
                       NULL, (DWORD)wsa, MAKELANGID(LANG_NEUTRAL,
                                                    SUBLANG_DEFAULT),
                       msg, sizeof msg, NULL);
    while (n > 0 && (msg[n - 1] == '\r' || msg[n - 1] == '\n' ||
                     msg[n - 1] == '.' || msg[n - 1] == ' '))
        n--;
    msg[n] = '\0';
    if (n > 0)
        snprintf(why, whylen, "%s %s: %s (Winsock error %d)", what, addr,
                 msg, wsa);
    else
        snprintf(why, whylen, "%s %s: Winsock error %d", what, addr, wsa);
    /* FormatMessage sets the thread's last error; callers still read
     * theirs after this. */
    WSASetLastError(wsa);
}

static int set_nonblocking(SOCKET s)
{
    u_long one = 1;
    return ioctlsocket(s, FIONBIO, &one) == 0 ? 0 : last_err();
}

/* A non-blocking, non-inherited socket, or INVALID_SOCKET with the
 * WSA error left in WSAGetLastError(). */
static SOCKET new_socket(int af, int type, int proto)
{
    SOCKET s = socket(af, type, proto);
    if (s == INVALID_SOCKET)
        return s;
    SetHandleInformation((HANDLE)s, HANDLE_FLAG_INHERIT, 0);
    if (set_nonblocking(s) != 0) {
        int e = WSAGetLastError();
        closesocket(s);
        WSASetLastError(e);
        return INVALID_SOCKET;
    }
    return s;
}

/* Why socket() failed, in words that fit the family. Whatever Windows
 * (or Wine, which has no Hyper-V sockets and answers WSAEAFNOSUPPORT)
 * says for a missing family becomes HVE_ENOTRANSPORT. */
static int socket_failed(hve_family fam, const char *text, char *why,
                         size_t whylen)
{
    int wsa = WSAGetLastError();
    int err = hve_err_from_wsa(wsa);

    /* Anything but a lack of resources or rights means no Hyper-V
     * sockets here. */
    if (fam == HVE_FAM_HYPERV && err != HVE_ENOMEM && err != HVE_ENOFDS &&
        err != HVE_EACCES)
        err = HVE_ENOTRANSPORT;
    if (err == HVE_ENOTRANSPORT && why && whylen) {
        if (fam == HVE_FAM_HYPERV)
            snprintf(why, whylen,
                     "Hyper-V sockets (AF_HYPERV) are not available here "
                     "(Winsock error %d): they need Windows 10 1607 / "
                     "Server 2016 or later",
                     wsa);
        else if (fam == HVE_FAM_UNIX)
            snprintf(why, whylen,
                     "AF_UNIX sockets are not available here (Winsock "
                     "error %d): they need Windows 10 1803 or later",
                     wsa);
        else
            set_why(why, whylen, "cannot create a socket for", text, wsa);
    } else {
        set_why(why, whylen, "cannot create a socket for", text, wsa);
    }
    return err;
}

static void hv_sockaddr(SOCKADDR_HV *sa, const hve_guid *vm,
                        const hve_guid *service)
{
    memset(sa, 0, sizeof *sa);
    sa->Family = AF_HYPERV;
    memcpy(&sa->VmId, vm, sizeof sa->VmId);
    memcpy(&sa->ServiceId, service, sizeof sa->ServiceId);
}

/* Fills a sockaddr_un; false when the path does not fit. */
static bool unix_sockaddr(SOCKADDR_UN *sa, const char *path)
{
    size_t n = strlen(path);
    memset(sa, 0, sizeof *sa);
    sa->sun_family = AF_UNIX;
    if (n == 0 || n >= sizeof sa->sun_path)
        return false;
    memcpy(sa->sun_path, path, n);
    return true;
}

static bool utf8_to_wide(const char *s, wchar_t *out, int outlen)
{
    return MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, -1, out,
                               outlen) > 0;
}

static void delete_file_utf8(const char *path)
{
    wchar_t w[MAX_PATH];
    if (utf8_to_wide(path, w, MAX_PATH))
        DeleteFileW(w);
}

/* getaddrinfo for host:port; host "" / "*" means any (listen) address. */
static int resolve(const hve_addr *a, bool passive, struct addrinfo **res,
                   char *why, size_t whylen)
{
    struct addrinfo hints;
    char port[8];
    const char *host = a->host;
    int r;

    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;
    if (passive) {
        hints.ai_flags = AI_PASSIVE;
        if (host[0] == '\0' || strcmp(host, "*") == 0)
            host = NULL;
    }
    snprintf(port, sizeof port, "%u", (unsigned)a->port);
    r = getaddrinfo(host, port, &hints, res);
    if (r != 0) {
        if (why && whylen)
            snprintf(why, whylen, "cannot resolve host '%s' (Winsock error %d)",
                     a->host, r);
        return hve_err_from_wsa(r) == HVE_ESYS ? HVE_ENOTFOUND
                                               : hve_err_from_wsa(r);
    }
    return 0;
}

bool hve__net_host_is_literal(const char *host)
{
    unsigned char buf[sizeof(struct in6_addr)];
    return inet_pton(AF_INET, host, buf) == 1 ||
           inet_pton(AF_INET6, host, buf) == 1;
}

int hve__net_lookup_host(const char *host, char *out, size_t outlen)
{
    hve_addr a;
    struct addrinfo *res, *ai, *pick;
    int err, rc;

    memset(&a, 0, sizeof a);
    if (strlen(host) >= sizeof a.host)
        return HVE_ENOTFOUND;
    memcpy(a.host, host, strlen(host) + 1);
    err = hve__net_init();
    if (err)
        return err;
    err = resolve(&a, false, &res, NULL, 0);
    if (err)
        return err;
    /* IPv4 first, as on Linux: "localhost" means 127.0.0.1 to most
     * servers, while Windows lists ::1 first. */
    pick = res;
    for (ai = res; ai; ai = ai->ai_next)
        if (ai->ai_family == AF_INET) {
            pick = ai;
            break;
        }
    rc = getnameinfo(pick->ai_addr, (socklen_t)pick->ai_addrlen, out,
                     (DWORD)outlen, NULL, 0, NI_NUMERICHOST);
    freeaddrinfo(res);
    return rc == 0 ? 0 : HVE_ENOTFOUND;
}

static void fill_from_sockaddr(const struct sockaddr *sa, int salen,
                               hve_family fam, hve_addr *out)
{
    memset(out, 0, sizeof *out);
    out->family = fam;
    out->cid = HVE_CID_ANY;
    if (fam == HVE_FAM_HYPERV && sa->sa_family == AF_HYPERV &&
        salen >= (int)sizeof(SOCKADDR_HV)) {
        const SOCKADDR_HV *hv = (const SOCKADDR_HV *)sa;
        memcpy(&out->vmid, &hv->VmId, sizeof out->vmid);
        memcpy(&out->service_id, &hv->ServiceId, sizeof out->service_id);
    } else if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
        out->family = HVE_FAM_TCP;
        inet_ntop(AF_INET, &in->sin_addr, out->host, sizeof out->host);
        out->port = ntohs(in->sin_port);
    } else if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
        out->family = HVE_FAM_TCP;
        inet_ntop(AF_INET6, &in6->sin6_addr, out->host, sizeof out->host);
        out->port = ntohs(in6->sin6_port);
    } else if (sa->sa_family == AF_UNIX) {
        const SOCKADDR_UN *un = (const SOCKADDR_UN *)sa;
        int n = salen - (int)offsetof(SOCKADDR_UN, sun_path);
        out->family = HVE_FAM_UNIX;
        if (n > 0) {
            if (n >= (int)sizeof out->path)
                n = (int)sizeof out->path - 1;
            memcpy(out->path, un->sun_path, (size_t)n);
            out->path[n] = '\0';
        }
    }
}

/* ---- connect ---- */

static int start_connect(SOCKET s, const struct sockaddr *sa, int len,
                         const char *text, char *why, size_t whylen)
{
    if (connect(s, sa, len) == 0)
        return 0;
    if (WSAGetLastError() == WSAEWOULDBLOCK)
        return 0;
    set_why(why, whylen, "cannot connect to", text, WSAGetLastError());
    return last_err();
}

int hve__net_connect_start(const hve_addr *a, const hve_service *svc,
                      int timeout_ms, hve_sock *out, char *why,
                      size_t whylen)
{
    SOCKET s = INVALID_SOCKET;
    char text[320];
    int err;

    *out = HVE_BADSOCK;
    hve_addr_format(a, svc, text, sizeof text);
    if (why && whylen)
        why[0] = '\0';
    err = hve__net_init();
    if (err)
        return err;

    switch (a->family) {
    case HVE_FAM_HYPERV: {
        SOCKADDR_HV sa;
        DWORD ms;
        s = new_socket(AF_HYPERV, SOCK_STREAM, HV_PROTOCOL_RAW);
        if (s == INVALID_SOCKET)
            return socket_failed(HVE_FAM_HYPERV, text, why, whylen);
        /* The transport's own timeout, so it does not give up before the
         * session's (which the poll loop enforces). */
        ms = timeout_ms <= 0 ? 5000u : (DWORD)timeout_ms;
        if (ms > HVSOCKET_CONNECT_TIMEOUT_MAX)
            ms = HVSOCKET_CONNECT_TIMEOUT_MAX;
        setsockopt(s, HV_PROTOCOL_RAW, HVSOCKET_CONNECT_TIMEOUT,
                   (const char *)&ms, sizeof ms);
        hv_sockaddr(&sa, &a->vmid, &svc->guid);
        err = start_connect(s, (struct sockaddr *)&sa, sizeof sa,
                            text, why, whylen);
        break;
    }
    case HVE_FAM_TCP: {
        struct addrinfo *res = NULL, *ai;
        err = resolve(a, false, &res, why, whylen);
        if (err)
            return err;
        /* The first address that takes a socket; a non-blocking connect
         * cannot fall back to the next one without waiting. */
        err = HVE_ENOTFOUND;
        for (ai = res; ai; ai = ai->ai_next) {
            s = new_socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
            if (s == INVALID_SOCKET) {
                err = socket_failed(HVE_FAM_TCP, text, why, whylen);
                continue;
            }
            err = start_connect(s, ai->ai_addr, (int)ai->ai_addrlen,
                                text, why, whylen);
            break;
        }
        freeaddrinfo(res);
        break;
    }
    case HVE_FAM_UNIX: {
        SOCKADDR_UN sa;
        if (!unix_sockaddr(&sa, a->path)) {
            if (why && whylen)
                snprintf(why, whylen, "socket path too long (max %d bytes)",
                         (int)sizeof sa.sun_path - 1);
            return HVE_EBADTARGET;
        }
        s = new_socket(AF_UNIX, SOCK_STREAM, 0);
        if (s == INVALID_SOCKET)
            return socket_failed(HVE_FAM_UNIX, text, why, whylen);
        err = start_connect(s, (struct sockaddr *)&sa, sizeof sa, text, why,
                            whylen);
        break;
    }
    case HVE_FAM_VSOCK:
    default:
        if (why && whylen)
            snprintf(why, whylen,
                     "vsock CIDs are a Linux thing: on Windows use loopback, "
                     "parent, children or a VM GUID");
        return HVE_EBADTARGET;
    }

    if (err) {
        if (s != INVALID_SOCKET)
            closesocket(s);
        return err;
    }
    *out = s;
    return 0;
}

int hve__net_connect_result(hve_sock s)
{
    int e = 0;
    int len = sizeof e;
    struct sockaddr_storage ss;
    int sslen = sizeof ss;

    if (getsockopt(s, SOL_SOCKET, SO_ERROR, (char *)&e, &len) != 0)
        return last_err();
    if (e != 0)
        return hve_err_from_wsa(e);
    /* Writable with no error, but make sure it is connected. */
    if (getpeername(s, (struct sockaddr *)&ss, &sslen) != 0) {
        int wsa = WSAGetLastError();
        return wsa == WSAENOTCONN ? HVE_EREFUSED : hve_err_from_wsa(wsa);
    }
    return 0;
}

/* ---- listen and accept ---- */

static int bind_listen(SOCKET s, const struct sockaddr *sa, int len,
                       int backlog, const char *text, char *why,
                       size_t whylen)
{
    if (bind(s, sa, len) != 0) {
        set_why(why, whylen, "cannot bind", text, WSAGetLastError());
        return last_err();
    }
    if (listen(s, backlog > 0 ? backlog : SOMAXCONN) != 0) {
        set_why(why, whylen, "cannot listen on", text, WSAGetLastError());
        return last_err();
    }
    return 0;
}

/* True when something accepts connections on the unix path now. */
static bool unix_path_live(const SOCKADDR_UN *sa)
{
    SOCKET t = socket(AF_UNIX, SOCK_STREAM, 0); /* blocking, local */
    bool live;
    if (t == INVALID_SOCKET)
        return true; /* cannot tell: leave the file alone */
    live = connect(t, (const struct sockaddr *)sa, sizeof *sa) == 0;
    closesocket(t);
    return live;
}

int hve__net_listen(const hve_addr *a, const hve_service *svc, int backlog,
               hve_sock *out, char *why, size_t whylen)
{
    SOCKET s = INVALID_SOCKET;
    char text[320];
    int err;

    *out = HVE_BADSOCK;
    hve_addr_format(a, svc, text, sizeof text);
    if (why && whylen)
        why[0] = '\0';
    err = hve__net_init();
    if (err)
        return err;

    switch (a->family) {
    case HVE_FAM_HYPERV: {
        SOCKADDR_HV sa;
        s = new_socket(AF_HYPERV, SOCK_STREAM, HV_PROTOCOL_RAW);
        if (s == INVALID_SOCKET)
            return socket_failed(HVE_FAM_HYPERV, text, why, whylen);
        hv_sockaddr(&sa, &a->vmid, &svc->guid);
        err = bind_listen(s, (struct sockaddr *)&sa, sizeof sa, backlog, text,
                          why, whylen);
        break;
    }
    case HVE_FAM_TCP: {
        struct addrinfo *res = NULL;
        BOOL on = TRUE;
        err = resolve(a, true, &res, why, whylen);
        if (err)
            return err;
        s = new_socket(res->ai_family, res->ai_socktype, res->ai_protocol);
        if (s == INVALID_SOCKET) {
            err = socket_failed(HVE_FAM_TCP, text, why, whylen);
            freeaddrinfo(res);
            return err;
        }
        /* Windows' SO_REUSEADDR lets another socket steal the port; the
         * exclusive flag makes a second server fail as on Linux. */
        setsockopt(s, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, (const char *)&on,
                   sizeof on);
        err = bind_listen(s, res->ai_addr, (int)res->ai_addrlen, backlog,
                          text, why, whylen);
        freeaddrinfo(res);
        break;
    }
    case HVE_FAM_UNIX: {
        SOCKADDR_UN sa;
        if (!unix_sockaddr(&sa, a->path)) {
            if (why && whylen)
                snprintf(why, whylen, "socket path too long (max %d bytes)",
                         (int)sizeof sa.sun_path - 1);
            return HVE_EBADTARGET;
        }
        s = new_socket(AF_UNIX, SOCK_STREAM, 0);
        if (s == INVALID_SOCKET)
            return socket_failed(HVE_FAM_UNIX, text, why, whylen);
        if (bind(s, (struct sockaddr *)&sa, sizeof sa) != 0 &&
            WSAGetLastError() == WSAEADDRINUSE) {
            /* A socket file left behind by a server that is gone. */
            if (unix_path_live(&sa)) {
                set_why(why, whylen, "cannot bind", text, WSAEADDRINUSE);
                closesocket(s);
                return HVE_EADDRINUSE;
            }
            delete_file_utf8(a->path);
            closesocket(s);
            s = new_socket(AF_UNIX, SOCK_STREAM, 0);
            if (s == INVALID_SOCKET)
                return socket_failed(HVE_FAM_UNIX, text, why, whylen);
            if (bind(s, (struct sockaddr *)&sa, sizeof sa) != 0) {
                set_why(why, whylen, "cannot bind", text, WSAGetLastError());
                err = last_err();
                closesocket(s);
                return err;
            }
        }
        if (listen(s, backlog > 0 ? backlog : SOMAXCONN) != 0) {
            set_why(why, whylen, "cannot listen on", text, WSAGetLastError());
            err = last_err();
        }
        break;
    }
    case HVE_FAM_VSOCK:
    default:
        if (why && whylen)
            snprintf(why, whylen,
                     "vsock CIDs are a Linux thing: on Windows listen on "
                     "the Hyper-V wildcard, loopback, tcp: or unix:");
        return HVE_EBADTARGET;
    }

    if (err) {
        closesocket(s);
        return err;
    }
    *out = s;
    return 0;
}

int hve__net_accept(hve_sock l, hve_family fam, hve_sock *out, hve_addr *peer)
{
    struct sockaddr_storage ss;
    int len = sizeof ss;
    SOCKET s;

    *out = HVE_BADSOCK;
    memset(&ss, 0, sizeof ss);
    s = accept(l, (struct sockaddr *)&ss, &len);
    if (s == INVALID_SOCKET) {
        if (WSAGetLastError() == WSAEWOULDBLOCK)
            return NET_AGAIN;
        return last_err();
    }
    SetHandleInformation((HANDLE)s, HANDLE_FLAG_INHERIT, 0);
    if (set_nonblocking(s) != 0) {
        int err = last_err();
        closesocket(s);
        return err;
    }
    if (peer)
        fill_from_sockaddr((struct sockaddr *)&ss, len, fam, peer);
    *out = s;
    return 0;
}

/* ---- data ---- */

static int io_len(size_t len)
{
    return len > (size_t)INT_MAX ? INT_MAX : (int)len;
}

long hve__net_send(hve_sock s, const void *buf, size_t len, int *err)
{
    int n = send(s, (const char *)buf, io_len(len), 0);
    if (n >= 0)
        return n;
    if (WSAGetLastError() == WSAEWOULDBLOCK)
        return NET_AGAIN;
    *err = last_err();
    return NET_ERROR;
}

long hve__net_recv(hve_sock s, void *buf, size_t len, int *err)
{
    int n = recv(s, (char *)buf, io_len(len), 0);
    if (n >= 0)
        return n;
    if (WSAGetLastError() == WSAEWOULDBLOCK)
        return NET_AGAIN;
    *err = last_err();
    return NET_ERROR;
}

/* The server's sockets stay non-blocking on Windows: nothing more to do
 * for "never wait". */
long hve__net_send_now(hve_sock s, const void *buf, size_t len, int *err)
{
    return hve__net_send(s, buf, len, err);
}

long hve__net_recv_now(hve_sock s, void *buf, size_t len, int *err)
{
    return hve__net_recv(s, buf, len, err);
}

/* Winsock has no per-call "do not wait" flag for recv and send, so a
 * socket cannot be blocking for one call and not for the others: the
 * server keeps to the poller. */
bool hve__net_recv_wait_ready(hve_sock s, int timeout_ms)
{
    (void)s;
    (void)timeout_ms;
    return false;
}

long hve__net_recv_wait(hve_sock s, void *buf, size_t len, int *err)
{
    return hve__net_recv(s, buf, len, err);
}

int hve__net_set_blocking(hve_sock s, int timeout_ms)
{
    u_long nonblocking = 0;
    DWORD ms = (DWORD)timeout_ms;
    if (ioctlsocket(s, FIONBIO, &nonblocking) != 0 ||
        setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, (const char *)&ms,
                   sizeof ms) != 0 ||
        setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, (const char *)&ms,
                   sizeof ms) != 0)
        return last_err();
    return 0;
}

int hve__net_shutdown_send(hve_sock s)
{
    return shutdown(s, SD_SEND) == 0 ? 0 : last_err();
}

void hve__net_abort(hve_sock s)
{
    struct linger lg;
    lg.l_onoff = 1;
    lg.l_linger = 0;
    setsockopt(s, SOL_SOCKET, SO_LINGER, (const char *)&lg, sizeof lg);
    closesocket(s);
}

void hve__net_close(hve_sock s)
{
    closesocket(s);
}

bool hve_socket_activated(void)
{
    return false; /* socket activation is systemd's, on Linux */
}

int hve__net_listen_inherited(hve_sock *out, hve_addr *addr, char *why,
                              size_t whylen)
{
    (void)out;
    (void)addr;
    snprintf(why, whylen, "socket activation (LISTEN_FDS) is systemd's: "
                          "not on Windows");
    return HVE_ENOTRANSPORT;
}

void hve__net_file_id(const hve_addr *a, hve__net_file *out)
{
    wchar_t w[MAX_PATH];
    memset(out, 0, sizeof *out);
    if (a->family != HVE_FAM_UNIX || !a->path[0] ||
        !utf8_to_wide(a->path, w, MAX_PATH))
        return;
    /* An AF_UNIX socket file is a reparse point: open it, not its
     * target, and only to read its attributes. */
    HANDLE h = CreateFileW(w, FILE_READ_ATTRIBUTES,
                           FILE_SHARE_READ | FILE_SHARE_WRITE |
                               FILE_SHARE_DELETE,
                           NULL, OPEN_EXISTING,
                           FILE_FLAG_OPEN_REPARSE_POINT |
                               FILE_FLAG_BACKUP_SEMANTICS,
                           NULL);
    if (h == INVALID_HANDLE_VALUE)
        return;
    BY_HANDLE_FILE_INFORMATION fi;
    if (GetFileInformationByHandle(h, &fi)) {
        out->set = true;
        out->dev = fi.dwVolumeSerialNumber;
        out->ino = (uint64_t)fi.nFileIndexHigh << 32 | fi.nFileIndexLow;
    }
    CloseHandle(h);
}

void hve__net_listen_cleanup(const hve_addr *a, const hve__net_file *id)
{
    hve__net_file now;
    hve__net_file_id(a, &now);
    if (id->set && now.set && now.dev == id->dev && now.ino == id->ino)
        delete_file_utf8(a->path);
}

int hve__net_local_addr(hve_sock s, hve_family fam, hve_addr *out)
{
    struct sockaddr_storage ss;
    int len = sizeof ss;
    memset(&ss, 0, sizeof ss);
    if (getsockname(s, (struct sockaddr *)&ss, &len) != 0)
        return last_err();
    fill_from_sockaddr((struct sockaddr *)&ss, len, fam, out);
    return 0;
}

char *hve__net_peer_format(const hve_addr *peer, const hve_service *svc,
                      char *buf, size_t len)
{
    char g1[HVE_GUID_STRLEN], g2[HVE_GUID_STRLEN];
    const char *name;
    const hve_guid *svc_id = NULL;

    switch (peer->family) {
    case HVE_FAM_HYPERV:
        /* An accepted peer carries its own ServiceId; else svc's. */
        name = hve_guid_name(&peer->vmid);
        if (!hve_guid_equal(&peer->service_id, &HVE_GUID_WILDCARD))
            svc_id = &peer->service_id;
        else if (svc)
            svc_id = &svc->guid;
        if (svc_id)
            snprintf(buf, len, "vm %s service %s",
                     name ? name : hve_guid_format(&peer->vmid, g1),
                     hve_guid_format(svc_id, g2));
        else
            snprintf(buf, len, "vm %s",
                     name ? name : hve_guid_format(&peer->vmid, g1));
        break;
    case HVE_FAM_TCP:
        if (strchr(peer->host, ':'))
            snprintf(buf, len, "[%s]:%u", peer->host, (unsigned)peer->port);
        else
            snprintf(buf, len, "%s:%u", peer->host, (unsigned)peer->port);
        break;
    case HVE_FAM_UNIX:
        snprintf(buf, len, "unix %s", peer->path[0] ? peer->path : "peer");
        break;
    case HVE_FAM_VSOCK:
    default:
        snprintf(buf, len, "cid %lu port %lu", (unsigned long)peer->cid,
                 (unsigned long)peer->vport);
        break;
    }
    return buf;
}

int hve__net_check_target(const hve_addr *a, char *why, size_t whylen)
{
    /* HV_GUID_LOOPBACK always exists where AF_HYPERV does; a missing
     * AF_HYPERV shows up when the socket is made. */
    (void)a;
    if (why && whylen)
        why[0] = '\0';
    return 0;
}

unsigned long hve__net_raise_fd_limit(void)
{
    return 0; /* Winsock has no per-process socket limit to raise. */
}

/* ---- poller ---- */

struct hve__net_poller {
    WSAPOLLFD *fds;
    SOCKET *socks;  /* the sockets; fds[i].fd is INVALID_SOCKET while
                       entry i waits for nothing (see hve__net_poller_wait) */
    void **ptrs;
    unsigned *want; /* NET_IN | NET_OUT per entry */
    size_t n, cap;
    size_t start; /* where the next scan begins, so no socket starves */
};

hve__net_poller *hve__net_poller_new(void)
{
    return calloc(1, sizeof(hve__net_poller));
}

void hve__net_poller_free(hve__net_poller *p)
{
    if (!p)
        return;
    free(p->fds);
    free(p->socks);
    free(p->ptrs);
    free(p->want);
    free(p);
}

static SHORT poll_events(unsigned events)
{
    int e = 0;
    if (events & NET_IN)
        e |= POLLRDNORM;
    if (events & NET_OUT)
        e |= POLLWRNORM;
    return (SHORT)e;
}

static size_t poller_find(const hve__net_poller *p, SOCKET s)
{
    size_t i;
    for (i = 0; i < p->n; i++)
        if (p->socks[i] == s)
            return i;
    return (size_t)-1;
}

int hve__net_poller_add(hve__net_poller *p, hve_sock s, unsigned events, void *ptr)
{
    if (poller_find(p, s) != (size_t)-1)
        return hve__net_poller_mod(p, s, events, ptr);
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 16;
        WSAPOLLFD *fds = realloc(p->fds, cap * sizeof *fds);
        SOCKET *socks;
        void **ptrs;
        unsigned *want;
        if (!fds)
            return HVE_ENOMEM;
        p->fds = fds;
        socks = realloc(p->socks, cap * sizeof *socks);
        if (!socks)
            return HVE_ENOMEM;
        p->socks = socks;
        ptrs = realloc(p->ptrs, cap * sizeof *ptrs);
        if (!ptrs)
            return HVE_ENOMEM;
        p->ptrs = ptrs;
        want = realloc(p->want, cap * sizeof *want);
        if (!want)
            return HVE_ENOMEM;
        p->want = want;
        p->cap = cap;
    }
    p->socks[p->n] = s;
    p->fds[p->n].fd = s;
    p->fds[p->n].events = poll_events(events);
    p->fds[p->n].revents = 0;
    p->ptrs[p->n] = ptr;
    p->want[p->n] = events;
    p->n++;
    return 0;
}

int hve__net_poller_mod(hve__net_poller *p, hve_sock s, unsigned events, void *ptr)
{
    size_t i = poller_find(p, s);
    if (i == (size_t)-1)
        return hve__net_poller_add(p, s, events, ptr);
    p->fds[i].events = poll_events(events);
    p->ptrs[i] = ptr;
    p->want[i] = events;
    return 0;
}

void hve__net_poller_del(hve__net_poller *p, hve_sock s)
{
    size_t i = poller_find(p, s);
    if (i == (size_t)-1)
        return;
    p->n--;
    p->fds[i] = p->fds[p->n];
    p->socks[i] = p->socks[p->n];
    p->ptrs[i] = p->ptrs[p->n];
    p->want[i] = p->want[p->n];
}

/* Copies ready entries to out, starting the scan where the last one
 * stopped. An error is also reported as the directions the entry waits
 * for, so the session tries them and learns which. */
static int poller_collect(hve__net_poller *p, hve__net_pev *out, int max,
                          bool check_connect)
{
    int count = 0;
    size_t k;
    for (k = 0; k < p->n && count < max; k++) {
        size_t i = (p->start + k) % p->n;
        SHORT r = p->fds[i].revents;
        unsigned ev = 0;
        if (p->fds[i].events == 0)
            continue; /* left out of this wait (Wine still marks it) */
        if (check_connect && r == 0 && (p->want[i] & NET_OUT)) {
            /* Before Windows 10 2004, WSAPoll does not report a failed
             * non-blocking connect; its error waits in SO_ERROR. */
            int e = 0, len = sizeof e;
            if (getsockopt(p->socks[i], SOL_SOCKET, SO_ERROR, (char *)&e,
                           &len) == 0 &&
                e != 0)
                r = POLLERR;
        }
        if (r & (POLLRDNORM | POLLRDBAND))
            ev |= NET_IN;
        if (r & POLLWRNORM)
            ev |= NET_OUT;
        /* Windows sets POLLHUP once the peer's FIN arrived, where epoll
         * says EPOLLRDHUP: a read tells (0 = end of stream), as on
         * Linux. */
        if (r & POLLHUP)
            ev |= NET_IN | (p->want[i] & NET_OUT);
        if (r & (POLLERR | POLLNVAL))
            ev |= NET_HUP | (p->want[i] & (NET_IN | NET_OUT));
        if (ev) {
            out[count].ptr = p->ptrs[i];
            out[count].events = ev;
            count++;
        }
    }
    if (p->n)
        p->start = (p->start + 1) % p->n;
    return count;
}

int hve__net_poller_wait(hve__net_poller *p, hve__net_pev *out, int max, int timeout_ms)
{
    int64_t deadline =
        timeout_ms < 0 ? -1 : hve__now_us() / 1000 + timeout_ms;
    bool connecting = false;
    size_t i, active;

    if (p->n == 0) {
        /* WSAPoll refuses an empty set. */
        Sleep(timeout_ms < 0 ? 100u : (DWORD)timeout_ms);
        return 0;
    }
    for (i = 0; i < p->n; i++)
        if (p->want[i] & NET_OUT)
            connecting = true;

    for (;;) {
        int slice = timeout_ms;
        int r;
        if (deadline >= 0) {
            int64_t left = deadline - hve__now_us() / 1000;
            slice = left < 0 ? 0 : (int)left;
        }
        /* With a socket waiting to be writable, look at SO_ERROR every
         * 200 ms (see poller_collect). */
        if (connecting && (slice < 0 || slice > 200))
            slice = 200;
        /* WSAPoll wants one or more flags per entry; one that waits for
         * nothing is left out by its fd, which WSAPoll then ignores. */
        active = 0;
        for (i = 0; i < p->n; i++) {
            p->fds[i].fd =
                p->fds[i].events ? p->socks[i] : INVALID_SOCKET;
            p->fds[i].revents = 0;
            active += p->fds[i].events != 0;
        }
        if (active == 0) { /* nothing to wait for: WSAPoll would refuse */
            Sleep(slice < 0 ? 100u : (DWORD)slice);
            return 0;
        }
        r = WSAPoll(p->fds, (ULONG)p->n, slice);
        if (r == SOCKET_ERROR)
            return NET_ERROR;
        if (r > 0 || connecting) {
            int count = poller_collect(p, out, max, r == 0);
            if (count > 0)
                return count;
        }
        if (deadline >= 0 && hve__now_us() / 1000 >= deadline)
            return 0;
    }
}

/* ---- waker ---- */

struct hve__net_waker {
    SOCKET s;
};

hve__net_waker *hve__net_waker_new(void)
{
    hve__net_waker *w;
    struct sockaddr_in sa;
    int len = sizeof sa;

    if (hve__net_init() != 0)
        return NULL;
    w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->s = new_socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    if (w->s == INVALID_SOCKET) {
        free(w);
        return NULL;
    }
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sa.sin_port = 0;
    /* Bound to a free loopback port and connected to itself: a send from
     * any thread makes it readable. */
    if (bind(w->s, (struct sockaddr *)&sa, sizeof sa) != 0 ||
        getsockname(w->s, (struct sockaddr *)&sa, &len) != 0 ||
        connect(w->s, (struct sockaddr *)&sa, sizeof sa) != 0) {
        closesocket(w->s);
        free(w);
        return NULL;
    }
    return w;
}

void hve__net_waker_free(hve__net_waker *w)
{
    if (!w)
        return;
    closesocket(w->s);
    free(w);
}

hve_sock hve__net_waker_sock(hve__net_waker *w)
{
    return w->s;
}

void hve__net_waker_signal(hve__net_waker *w)
{
    /* A full buffer (WSAEWOULDBLOCK) means a wake-up is pending anyway. */
    send(w->s, "w", 1, 0);
}

void hve__net_waker_drain(hve__net_waker *w)
{
    char buf[64];
    int i;
    /* Bounded: signals arriving meanwhile stay for the next wait. */
    for (i = 0; i < 64; i++)
        if (recv(w->s, buf, sizeof buf, 0) <= 0)
            break;
}
