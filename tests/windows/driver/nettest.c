/* nettest.c - the Windows platform layer on its own (core/net_win32.c,
 * thread_win32.c, probe_win32.c, register_win32.c), run under Wine by
 * tests/windows (case "platform"): real Winsock sockets on 127.0.0.1.
 *
 * Checks the contract of core/net.h and core/platform.h: a connect, an
 * accept and a handshake through the WSAPoll poller; end of stream after
 * shutdown(SD_SEND); a reset after hve__net_abort; the error mapping (address
 * in use, refused, AF_HYPERV missing -> HVE_ENOTRANSPORT); an entry that
 * waits for nothing is not reported; the waker from another thread;
 * condition-variable timeouts; the probe; register / unregister.
 *
 * Single test thread plus one helper thread for the waker. Every wait is
 * bounded. Prints one line per check; exit 0 when all passed. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "hvecho/hvecho.h"
#include "hvecho/register.h"
#include "net.h"
#include "platform.h"

static int failures;

static void check(int ok, const char *fmt, ...)
{
    va_list ap;
    printf("%s ", ok ? "ok  " : "FAIL");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    fflush(stdout);
    if (!ok)
        failures++;
}

static void tcp_addr(hve_addr *a, uint16_t port)
{
    memset(a, 0, sizeof *a);
    a->family = HVE_FAM_TCP;
    strcpy(a->host, "127.0.0.1");
    a->port = port;
}

/* Waits (bounded) until the poller reports ptr; returns its events. */
static unsigned wait_for(hve__net_poller *p, void *ptr, int ms)
{
    int64_t end = hve__now_us() + (int64_t)ms * 1000;
    hve__net_pev ev[8];
    while (hve__now_us() < end) {
        int n = hve__net_poller_wait(p, ev, 8, 50), i;
        for (i = 0; i < n; i++)
            if (ev[i].ptr == ptr)
                return ev[i].events;
    }
    return 0;
}

/* Reads (bounded) until want bytes, end of stream or an error. Returns
 * the bytes read; *eof / *err say how it ended. */
static long read_some(hve__net_poller *p, hve_sock s, void *tag, char *buf,
                      size_t want, bool *eof, int *err)
{
    size_t got = 0;
    int64_t end = hve__now_us() + 5000000;
    *eof = false;
    *err = 0;
    while (got < want && hve__now_us() < end) {
        long n = hve__net_recv(s, buf + got, want - got, err);
        if (n > 0) {
            got += (size_t)n;
        } else if (n == 0) {
            *eof = true;
            break;
        } else if (n == NET_ERROR) {
            break;
        } else {
            wait_for(p, tag, 200);
        }
    }
    return (long)got;
}

/* Wine's ntdll exports wine_get_version; Windows' does not. */
static bool under_wine(void)
{
    HMODULE h = GetModuleHandleW(L"ntdll.dll");
    return h && GetProcAddress(h, "wine_get_version") != NULL;
}

static hve__net_waker *waker_for_thread;

static void signal_later(void *arg)
{
    (void)arg;
    Sleep(100);
    hve__net_waker_signal(waker_for_thread);
}

static void test_tcp(void)
{
    hve_addr a, a2, local, peer;
    hve_service svc;
    hve_sock l, l2, c, s;
    hve__net_poller *p = hve__net_poller_new();
    char why[300], buf[64];
    int err, tag_l = 1, tag_c = 2, tag_s = 3;
    bool eof;
    long n;
    unsigned ev;

    hve_service_default(&svc);
    tcp_addr(&a, 0);
    err = hve__net_listen(&a, &svc, 16, &l, why, sizeof why);
    check(err == 0, "listen on tcp 127.0.0.1:0 (%s)", why);
    if (err)
        return;
    err = hve__net_local_addr(l, HVE_FAM_TCP, &local);
    check(err == 0 && local.port != 0, "the system chose port %u",
          (unsigned)local.port);

    tcp_addr(&a2, local.port);
    err = hve__net_listen(&a2, &svc, 16, &l2, why, sizeof why);
    check(err == HVE_EADDRINUSE, "a second listen: %s (%s)",
          hve_errname(err), why);
    if (err == 0)
        hve__net_close(l2);

    err = hve__net_connect_start(&a2, &svc, 5000, &c, why, sizeof why);
    check(err == 0, "connect started (%s)", why);
    hve__net_poller_add(p, l, NET_IN, &tag_l);
    hve__net_poller_add(p, c, NET_OUT, &tag_c);
    ev = wait_for(p, &tag_c, 5000);
    check((ev & NET_OUT) != 0, "the connecting socket became writable");
    check(hve__net_connect_result(c) == 0, "hve__net_connect_result: connected");
    ev = wait_for(p, &tag_l, 5000);
    check((ev & NET_IN) != 0, "the listener became readable");
    err = hve__net_accept(l, HVE_FAM_TCP, &s, &peer);
    check(err == 0 && strcmp(peer.host, "127.0.0.1") == 0,
          "accepted a peer from %s:%u", peer.host, (unsigned)peer.port);
    {
        char f[128];
        hve__net_peer_format(&peer, NULL, f, sizeof f);
        check(strncmp(f, "127.0.0.1:", 10) == 0, "peer shown as %s", f);
    }
    check(hve__net_accept(l, HVE_FAM_TCP, &l2, &peer) == NET_AGAIN,
          "a second accept: would block");

    /* An entry that waits for nothing is not reported, even with data
     * waiting; once it asks for NET_IN it is. */
    hve__net_poller_mod(p, c, 0, &tag_c);
    hve__net_poller_add(p, s, 0, &tag_s);
    n = hve__net_send(c, "hello", 5, &err);
    check(n == 5, "client sent 5 bytes");
    check(wait_for(p, &tag_s, 300) == 0,
          "an entry with no events is not reported");
    hve__net_poller_mod(p, s, NET_IN, &tag_s);
    check((wait_for(p, &tag_s, 3000) & NET_IN) != 0,
          "after mod to NET_IN it is");
    n = read_some(p, s, &tag_s, buf, 5, &eof, &err);
    check(n == 5 && memcmp(buf, "hello", 5) == 0, "server read 'hello'");

    /* shutdown(SD_SEND): the server reads end of stream, then answers. */
    check(hve__net_shutdown_send(c) == 0, "client shut down its sending side");
    n = read_some(p, s, &tag_s, buf, sizeof buf, &eof, &err);
    check(n == 0 && eof, "server read end of stream");
    n = hve__net_send(s, "bye", 3, &err);
    check(n == 3, "server sent 'bye' after the client's shutdown");
    hve__net_close(s);
    hve__net_poller_del(p, s);
    hve__net_poller_mod(p, c, NET_IN, &tag_c);
    n = read_some(p, c, &tag_c, buf, sizeof buf, &eof, &err);
    check(n == 3 && eof && memcmp(buf, "bye", 3) == 0,
          "client read 'bye' and then end of stream");
    hve__net_poller_del(p, c);
    hve__net_close(c);

    /* hve__net_abort: the peer sees a reset. */
    err = hve__net_connect_start(&a2, &svc, 5000, &c, why, sizeof why);
    hve__net_poller_add(p, c, NET_OUT, &tag_c);
    wait_for(p, &tag_c, 5000);
    wait_for(p, &tag_l, 5000);
    err = hve__net_accept(l, HVE_FAM_TCP, &s, &peer);
    check(err == 0, "accepted a second peer");
    hve__net_poller_del(p, c);
    hve__net_abort(c);
    hve__net_poller_add(p, s, NET_IN, &tag_s);
    n = read_some(p, s, &tag_s, buf, sizeof buf, &eof, &err);
    if (under_wine() && n == 0 && eof)
        printf("note after hve__net_abort the peer read end of stream: Wine "
               "reports a received reset as end of stream (recv returns "
               "0; Windows fails it with WSAECONNRESET)\n");
    else
        check(n == 0 && !eof && err == HVE_ERESET,
              "after hve__net_abort the peer reads a reset (read %ld, %s, %s)",
              n, eof ? "end of stream" : "no end of stream",
              hve_errname(err));
    hve__net_poller_del(p, s);
    hve__net_close(s);

    /* Nothing listens: refused, through the poller. */
    hve__net_poller_del(p, l);
    hve__net_close(l);
    err = hve__net_connect_start(&a2, &svc, 5000, &c, why, sizeof why);
    if (err == 0) {
        hve__net_poller_add(p, c, NET_OUT, &tag_c);
        ev = wait_for(p, &tag_c, 5000);
        err = hve__net_connect_result(c);
        hve__net_poller_del(p, c);
        hve__net_close(c);
    }
    check(err == HVE_EREFUSED, "connect to a closed port: %s",
          hve_errname(err));
    hve__net_poller_free(p);
}

static void test_waker(void)
{
    hve__net_poller *p = hve__net_poller_new();
    hve__net_waker *w = hve__net_waker_new();
    hve_thread t;
    hve__net_pev ev[4];
    int64_t t0;
    int n;

    check(w != NULL, "a waker");
    if (!w)
        return;
    hve__net_poller_add(p, hve__net_waker_sock(w), NET_IN, w);
    waker_for_thread = w;
    t0 = hve__now_us();
    check(hve__thread_start(&t, signal_later, NULL) == 0, "a thread");
    n = hve__net_poller_wait(p, ev, 4, 5000);
    check(n == 1 && ev[0].ptr == w,
          "the signal from another thread ended the wait after %lld ms",
          (long long)((hve__now_us() - t0) / 1000));
    hve__thread_join(t);
    hve__net_waker_drain(w);
    n = hve__net_poller_wait(p, ev, 4, 100);
    check(n == 0, "after the drain the waker is quiet");
    hve__net_poller_free(p);
    hve__net_waker_free(w);
}

static void test_missing_families(void)
{
    hve_addr a;
    hve_service svc;
    hve_sock s;
    char why[300];
    int err;

    hve_service_default(&svc);
    memset(&a, 0, sizeof a);
    a.family = HVE_FAM_HYPERV;
    a.vmid = HVE_GUID_LOOPBACK;
    err = hve__net_connect_start(&a, &svc, 1000, &s, why, sizeof why);
    if (err == 0) {
        /* A real Windows host with Hyper-V sockets: nothing to check
         * here beyond the socket (no traffic in this test). */
        hve__net_close(s);
        check(1, "AF_HYPERV sockets exist here");
    } else {
        check(err == HVE_ENOTRANSPORT && strstr(why, "Hyper-V"),
              "AF_HYPERV connect: %s (%s)", hve_errname(err), why);
        check(hve_exit_code(err) == HVE_EXIT_NOTRANSPORT,
              "... which exits %d", hve_exit_code(err));
        err = hve__net_listen(&a, &svc, 4, &s, why, sizeof why);
        check(err == HVE_ENOTRANSPORT, "AF_HYPERV listen: %s",
              hve_errname(err));
    }

    memset(&a, 0, sizeof a);
    a.family = HVE_FAM_UNIX;
    strcpy(a.path, "hvecho-nettest.sock");
    err = hve__net_listen(&a, &svc, 4, &s, why, sizeof why);
    if (err == 0) {
        hve__net_file id;
        hve__net_file_id(&a, &id);
        hve__net_close(s);
        hve__net_listen_cleanup(&a, &id);
        check(id.set, "the socket file's identity was read");
        check(1, "AF_UNIX sockets exist here: listened on %s", a.path);
    } else {
        check(err == HVE_ENOTRANSPORT && strstr(why, "AF_UNIX"),
              "AF_UNIX listen: %s (%s)", hve_errname(err), why);
    }

    memset(&a, 0, sizeof a);
    a.family = HVE_FAM_VSOCK;
    a.cid = 3;
    err = hve__net_connect_start(&a, &svc, 1000, &s, why, sizeof why);
    check(err == HVE_EBADTARGET, "a vsock CID on Windows: %s (%s)",
          hve_errname(err), why);
}

static void test_threads(void)
{
    hve_mutex m;
    hve_cond c;
    int64_t t0, took;
    bool woke;

    hve__mutex_init(&m);
    hve__cond_init(&c);
    hve__mutex_lock(&m);
    t0 = hve__now_us();
    woke = hve__cond_wait(&c, &m, 100);
    took = hve__now_us() - t0;
    hve__mutex_unlock(&m);
    check(!woke && took >= 90000 && took < 2000000,
          "a 100 ms condition wait timed out after %lld ms",
          (long long)(took / 1000));
    hve__cond_destroy(&c);
    hve__mutex_destroy(&m);
}

static void test_probe_and_register(void)
{
    hve_probe pr;
    hve_service svc;
    char why[512], name[128];
    bool was = false;
    size_t i;
    int err;

    hve_service_parse("0x7E57", HVE_PLATFORM_WINDOWS, &svc, why, sizeof why);
    hve_probe_run(&pr, &svc);
    for (i = 0; i < pr.count; i++)
        printf("     probe: %-14s %s  %s\n", pr.items[i].name,
               pr.items[i].ok ? "ok" : "--", pr.items[i].detail);
    check(pr.count >= 3 && strcmp(pr.items[0].name, "AF_HYPERV") == 0,
          "the probe lists AF_HYPERV first, %u items", (unsigned)pr.count);
    check(hve_register_supported(), "registration is supported here");
    if (!pr.elevated) {
        err = hve_service_register(&svc, "nettest", why, sizeof why);
        check(err == HVE_EACCES, "not elevated: register says %s (%s)",
              hve_errname(err), why);
        return;
    }
    err = hve_service_register(&svc, "nettest \xC3\xA9", why, sizeof why);
    check(err == 0, "register 00007E57-FACB-...: %s", why);
    check(hve_service_registered(&svc, name, sizeof name) &&
              strcmp(name, "nettest \xC3\xA9") == 0,
          "registered, ElementName read back as UTF-8: '%s'", name);
    err = hve_service_unregister(&svc, &was, why, sizeof why);
    check(err == 0 && was, "unregister: %s", why);
    check(!hve_service_registered(&svc, NULL, 0), "no longer registered");
}

int main(void)
{
    check(hve__net_init() == 0 && hve__net_init() == 0, "hve__net_init, twice");
    test_tcp();
    test_waker();
    test_missing_families();
    test_threads();
    test_probe_and_register();
    printf("%s: %d failed\n", failures ? "FAIL" : "PASS", failures);
    return failures ? 1 : 0;
}
