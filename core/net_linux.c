/* net_linux.c - net.h on Linux: AF_VSOCK, TCP (v4/v6) and Unix sockets,
 * non-blocking, with an epoll poller and a pipe waker.
 *
 * Threads: each socket, poller and waker is used by one session's worker
 * thread; hve__net_waker_signal may be called from any thread. */
#define _GNU_SOURCE /* accept4, pipe2, struct ucred */
#include "net.h"

#include "hvecho/error.h"
#include "hvecho/probe.h"
#include "hvecho/session.h"
#include "attr.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/vm_sockets.h>

int hve__net_init(void)
{
    return 0; /* SIGPIPE is avoided per call with MSG_NOSIGNAL. */
}

static int sys_err(void)
{
    return hve_err_from_errno(errno);
}

static int set_why(int err, char *why, size_t whylen, const char *what,
                   const char *addr)
{
    if (why && whylen)
        snprintf(why, whylen, "%s %s: %s", what, addr, strerror(errno));
    return err;
}

/* Fills a sockaddr for a vsock or unix address; tcp goes through
 * getaddrinfo in resolve(). */
static socklen_t fill_sa(const hve_addr *a, const hve_service *svc,
                         struct sockaddr_storage *ss)
{
    memset(ss, 0, sizeof *ss);
    if (a->family == HVE_FAM_VSOCK) {
        struct sockaddr_vm *vm = (struct sockaddr_vm *)ss;
        vm->svm_family = AF_VSOCK;
        vm->svm_cid = a->cid;
        vm->svm_port = svc ? svc->port : HVE_DEFAULT_PORT;
        return sizeof *vm;
    }
    struct sockaddr_un *un = (struct sockaddr_un *)ss;
    un->sun_family = AF_UNIX;
    memcpy(un->sun_path, a->path, strlen(a->path) + 1);
    return sizeof *un;
}

/* IPv4 first, so "localhost" means 127.0.0.1 as most servers expect,
 * then IPv6. */
static int resolve(const hve_addr *a, bool passive, struct addrinfo **res)
{
    char port[8];
    snprintf(port, sizeof port, "%u", (unsigned)a->port);
    struct addrinfo hints = {0};
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV | (passive ? AI_PASSIVE : 0);
    static const int fams[] = {AF_INET, AF_INET6};
    /* A literal first, with no resolver asked at all: getaddrinfo with
     * AF_INET would send "::1" to DNS as a name. */
    hints.ai_family = AF_UNSPEC;
    hints.ai_flags |= AI_NUMERICHOST;
    if (a->host[0] && getaddrinfo(a->host, port, &hints, res) == 0)
        return 0;
    hints.ai_flags &= ~AI_NUMERICHOST;
    int rc = EAI_NONAME;
    for (int i = 0; i < 2; i++) {
        hints.ai_family = fams[i];
        rc = getaddrinfo(a->host, port, &hints, res);
        if (rc == 0)
            return 0;
    }
    return rc == EAI_MEMORY ? HVE_ENOMEM : HVE_ENOTFOUND;
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
    memset(&a, 0, sizeof a);
    hve__strlcpy(a.host, sizeof a.host, host);
    struct addrinfo *res;
    int err = resolve(&a, false, &res);
    if (err)
        return err;
    int rc = getnameinfo(res->ai_addr, res->ai_addrlen, out,
                         (socklen_t)outlen, NULL, 0, NI_NUMERICHOST);
    freeaddrinfo(res);
    return rc == 0 ? 0 : HVE_ENOTFOUND;
}

static int family_of(hve_family f)
{
    return f == HVE_FAM_VSOCK ? AF_VSOCK : AF_UNIX;
}

int hve__net_check_target(const hve_addr *a, char *why, size_t whylen)
{
    if (a->family == HVE_FAM_HYPERV) {
        snprintf(why, whylen, "Hyper-V sockets (AF_HYPERV) exist only on "
                              "Windows; on Linux use AF_VSOCK targets");
        return HVE_ENOTRANSPORT;
    }
    if (a->family == HVE_FAM_VSOCK && a->cid == HVE_CID_LOCAL &&
        !hve_vm_loopback_available()) {
        snprintf(why, whylen, "the vsock_loopback module is not loaded "
                              "(/sys/module/vsock_loopback is absent)");
        return HVE_ENOLOOPBACK;
    }
    /* Without a guest-to-host transport the kernel hands CID 2 to
     * vsock_loopback: "parent" would quietly reach this machine. */
    if (a->family == HVE_FAM_VSOCK && a->cid == HVE_CID_HOST &&
        !hve_vm_host_transport_available()) {
        snprintf(why, whylen, "no guest-to-host vsock transport is loaded "
                              "(hv_sock, vmw_vsock_virtio_transport, "
                              "vmw_vsock_vmci_transport): this machine has "
                              "no host on CID 2");
        return HVE_ENODEV;
    }
    return 0;
}

int hve__net_connect_start(const hve_addr *a, const hve_service *svc,
                      int timeout_ms, hve_sock *out, char *why,
                      size_t whylen)
{
    char text[HVE_HOST_MAX + 64];
    hve_addr_format(a, svc, text, sizeof text);
    int err = hve__net_check_target(a, why, whylen);
    if (err)
        return err;

    struct sockaddr_storage ss;
    struct sockaddr *sa = (struct sockaddr *)&ss;
    socklen_t salen;
    struct addrinfo *res = NULL;
    int fam;
    if (a->family == HVE_FAM_TCP) {
        err = resolve(a, false, &res);
        if (err) {
            snprintf(why, whylen, "cannot resolve host '%s'", a->host);
            return err;
        }
        fam = res->ai_family;
        sa = res->ai_addr;
        salen = res->ai_addrlen;
    } else {
        fam = family_of(a->family);
        salen = fill_sa(a, svc, &ss);
    }

    int fd = socket(fam, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        err = set_why(sys_err(), why, whylen, "cannot create a socket for",
                      text);
        if (res)
            freeaddrinfo(res);
        return err;
    }
    if (a->family == HVE_FAM_VSOCK && timeout_ms > 0) {
        /* The kernel's own vsock connect timeout is 2 s by default. */
        struct timeval tv = {timeout_ms / 1000, (timeout_ms % 1000) * 1000};
        setsockopt(fd, AF_VSOCK, SO_VM_SOCKETS_CONNECT_TIMEOUT, &tv,
                   sizeof tv);
    }
    if (a->family == HVE_FAM_TCP) {
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    int rc = connect(fd, sa, salen);
    if (res)
        freeaddrinfo(res);
    if (rc < 0 && errno != EINPROGRESS) {
        err = set_why(sys_err(), why, whylen, "cannot connect to", text);
        close(fd);
        return err;
    }
    *out = fd;
    return 0;
}

int hve__net_connect_result(hve_sock s)
{
    int e = 0;
    socklen_t len = sizeof e;
    if (getsockopt(s, SOL_SOCKET, SO_ERROR, &e, &len) < 0)
        return sys_err();
    /* vsock answers a connect to a port nobody listens on with a RST:
     * connect fails with ECONNRESET, which means refused. */
    if (e == ECONNRESET)
        e = ECONNREFUSED;
    return hve_err_from_errno(e);
}

/* A unix socket file that nobody listens on is left by a server that
 * died; remove it so a new server can bind. Anything else stays. */
static void remove_stale_unix(const char *path)
{
    struct stat st;
    if (lstat(path, &st) < 0 || !S_ISSOCK(st.st_mode))
        return;
    /* Non-blocking: a live server with a full backlog answers EAGAIN
     * (in use) instead of making us wait. */
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return;
    struct sockaddr_un un = {0};
    un.sun_family = AF_UNIX;
    memcpy(un.sun_path, path, strlen(path) + 1);
    if (connect(fd, (struct sockaddr *)&un, sizeof un) < 0 &&
        errno == ECONNREFUSED)
        unlink(path);
    close(fd);
}

int hve__net_listen(const hve_addr *a, const hve_service *svc, int backlog,
               hve_sock *out, char *why, size_t whylen)
{
    char text[HVE_HOST_MAX + 64];
    hve_addr_format(a, svc, text, sizeof text);
    if (a->family == HVE_FAM_HYPERV) {
        snprintf(why, whylen, "Hyper-V sockets (AF_HYPERV) exist only on "
                              "Windows; on Linux listen on AF_VSOCK");
        return HVE_ENOTRANSPORT;
    }
    struct sockaddr_storage ss;
    struct sockaddr *sa = (struct sockaddr *)&ss;
    socklen_t salen;
    struct addrinfo *res = NULL;
    int fam;
    if (a->family == HVE_FAM_TCP) {
        int err = resolve(a, true, &res);
        if (err) {
            snprintf(why, whylen, "cannot resolve host '%s'", a->host);
            return err;
        }
        fam = res->ai_family;
        sa = res->ai_addr;
        salen = res->ai_addrlen;
    } else {
        if (a->family == HVE_FAM_UNIX)
            remove_stale_unix(a->path);
        fam = family_of(a->family);
        salen = fill_sa(a, svc, &ss);
    }
    int err = 0;
    int fd = socket(fam, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        err = set_why(sys_err(), why, whylen, "cannot create a socket for",
                      text);
        goto out;
    }
    if (a->family == HVE_FAM_TCP) {
        int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    }
    if (bind(fd, sa, salen) < 0) {
        err = set_why(sys_err(), why, whylen, "cannot bind", text);
        goto out;
    }
    if (listen(fd, backlog) < 0) {
        err = set_why(sys_err(), why, whylen, "cannot listen on", text);
        goto out;
    }
    *out = fd;
    fd = -1;
out:
    if (fd >= 0)
        close(fd);
    if (res)
        freeaddrinfo(res);
    return err;
}

/* systemd's LISTEN_FDS protocol: the first passed descriptor is 3. */
#define LISTEN_FDS_START 3

/* LISTEN_FDS when LISTEN_PID is this process, else 0. */
static long listen_fds(void)
{
    const char *pid = getenv("LISTEN_PID"), *fds = getenv("LISTEN_FDS");
    if (!pid || !fds)
        return 0;
    char *end;
    errno = 0;
    long p = strtol(pid, &end, 10);
    if (errno || *end || p != (long)getpid())
        return 0;
    long n = strtol(fds, &end, 10);
    return errno || *end || n < 0 ? 0 : n;
}

bool hve_socket_activated(void)
{
    return listen_fds() >= 1;
}

int hve__net_listen_inherited(hve_sock *out, hve_addr *addr, char *why,
                              size_t whylen)
{
    long n = listen_fds();
    /* Cleared either way, so nothing this process starts takes them. */
    unsetenv("LISTEN_PID");
    unsetenv("LISTEN_FDS");
    unsetenv("LISTEN_FDNAMES");
    if (n < 1) {
        snprintf(why, whylen, "not started by socket activation "
                              "(LISTEN_PID / LISTEN_FDS)");
        return HVE_EBADINPUT;
    }
    int fd = LISTEN_FDS_START, domain = 0, type = 0, acc = 0;
    socklen_t l1 = sizeof domain, l2 = sizeof type, l3 = sizeof acc;
    if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &l1) < 0 ||
        getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &l2) < 0 ||
        getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &acc, &l3) < 0) {
        snprintf(why, whylen, "the inherited descriptor %d is not a socket: "
                              "%s", fd, strerror(errno));
        return HVE_EBADINPUT;
    }
    if (type != SOCK_STREAM || !acc ||
        (domain != AF_INET && domain != AF_INET6 && domain != AF_UNIX &&
         domain != AF_VSOCK)) {
        snprintf(why, whylen, "the inherited socket is not a listening "
                              "stream socket of a family hvecho serves "
                              "(ListenStream= with TCP, a path or "
                              "vsock::PORT; Accept=no)");
        return HVE_EBADINPUT;
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0 ||
        fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) {
        snprintf(why, whylen, "cannot make the inherited socket "
                              "non-blocking: %s", strerror(errno));
        return sys_err();
    }
    hve_family fam = domain == AF_VSOCK  ? HVE_FAM_VSOCK
                     : domain == AF_UNIX ? HVE_FAM_UNIX
                                         : HVE_FAM_TCP;
    memset(addr, 0, sizeof *addr);
    hve__net_local_addr(fd, fam, addr); /* best effort: only for display */
    addr->family = fam;
    *out = fd;
    return 0;
}

void hve__net_file_id(const hve_addr *a, hve__net_file *out)
{
    struct stat st;
    memset(out, 0, sizeof *out);
    if (a->family == HVE_FAM_UNIX && a->path[0] &&
        lstat(a->path, &st) == 0 && S_ISSOCK(st.st_mode)) {
        out->set = true;
        out->dev = (uint64_t)st.st_dev;
        out->ino = (uint64_t)st.st_ino;
    }
}

void hve__net_listen_cleanup(const hve_addr *a, const hve__net_file *id)
{
    hve__net_file now;
    hve__net_file_id(a, &now);
    if (id->set && now.set && now.dev == id->dev && now.ino == id->ino)
        unlink(a->path);
}

static void sa_to_addr(const struct sockaddr_storage *ss, hve_addr *out)
{
    memset(out, 0, sizeof *out);
    switch (ss->ss_family) {
    case AF_VSOCK: {
        const struct sockaddr_vm *vm = (const struct sockaddr_vm *)ss;
        out->family = HVE_FAM_VSOCK;
        out->cid = vm->svm_cid;
        out->vport = vm->svm_port;
        break;
    }
    case AF_INET: {
        const struct sockaddr_in *in = (const struct sockaddr_in *)ss;
        out->family = HVE_FAM_TCP;
        inet_ntop(AF_INET, &in->sin_addr, out->host, sizeof out->host);
        out->port = ntohs(in->sin_port);
        break;
    }
    case AF_INET6: {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)ss;
        out->family = HVE_FAM_TCP;
        inet_ntop(AF_INET6, &in6->sin6_addr, out->host, sizeof out->host);
        out->port = ntohs(in6->sin6_port);
        break;
    }
    default:
        out->family = HVE_FAM_UNIX;
        break;
    }
}

int hve__net_accept(hve_sock l, hve_family fam, hve_sock *out, hve_addr *peer)
{
    /* AF_VSOCK: a non-blocking accept on an empty queue does not fail at
     * once. The kernel's vsock_accept sleeps in schedule_timeout(0) until
     * the next timer tick (1-4 ms) before it returns EAGAIN, and the
     * server's accept burst always ends with such a call: that tick was
     * most of each sequential handshake (about 200/s instead of 1,000/s
     * in the test guest). poll answers from the accept queue without
     * sleeping, so ask it first. */
    if (fam == HVE_FAM_VSOCK) {
        struct pollfd pf = {.fd = l, .events = POLLIN};
        if (poll(&pf, 1, 0) <= 0 || !(pf.revents & (POLLIN | POLLERR)))
            return NET_AGAIN;
    }
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    int fd = accept4(l, (struct sockaddr *)&ss, &len,
                     SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
            return NET_AGAIN;
        /* Out of descriptors or kernel memory (HVE_ENOFDS, HVE_ENOMEM):
         * the caller pauses accepting. */
        return sys_err();
    }
    if (fam == HVE_FAM_TCP) {
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    sa_to_addr(&ss, peer);
    if (fam == HVE_FAM_UNIX) {
        /* Unix peers are unnamed; the credentials say who it is. */
        struct ucred cr;
        socklen_t cl = sizeof cr;
        memset(peer, 0, sizeof *peer);
        peer->family = HVE_FAM_UNIX;
        if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &cl) == 0)
            snprintf(peer->path, sizeof peer->path, "pid %ld uid %ld",
                     (long)cr.pid, (long)cr.uid);
    }
    *out = fd;
    return 0;
}

int hve__net_local_addr(hve_sock s, hve_family fam, hve_addr *out)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    if (getsockname(s, (struct sockaddr *)&ss, &len) < 0)
        return sys_err();
    sa_to_addr(&ss, out);
    if (fam == HVE_FAM_UNIX) {
        const struct sockaddr_un *un = (const struct sockaddr_un *)&ss;
        out->family = HVE_FAM_UNIX;
        hve__strlcpy(out->path, sizeof out->path, un->sun_path);
    }
    return 0;
}

char *hve__net_peer_format(const hve_addr *peer, const hve_service *svc,
                      char *buf, size_t len)
{
    (void)svc;
    switch (peer->family) {
    case HVE_FAM_VSOCK:
        snprintf(buf, len, "cid %lu port %lu", (unsigned long)peer->cid,
                 (unsigned long)peer->vport);
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
    default:
        snprintf(buf, len, "?");
    }
    return buf;
}

/* n from send / recv as the net.h result. */
static long io_result(ssize_t n, int *err)
{
    if (n >= 0)
        return (long)n;
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
        return NET_AGAIN;
    *err = sys_err();
    return NET_ERROR;
}

long hve__net_send(hve_sock s, const void *buf, size_t len, int *err)
{
    return io_result(send(s, buf, len, MSG_NOSIGNAL), err);
}

long hve__net_recv(hve_sock s, void *buf, size_t len, int *err)
{
    return io_result(recv(s, buf, len, 0), err);
}

long hve__net_send_now(hve_sock s, const void *buf, size_t len, int *err)
{
    return io_result(send(s, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT), err);
}

long hve__net_recv_now(hve_sock s, void *buf, size_t len, int *err)
{
    return io_result(recv(s, buf, len, MSG_DONTWAIT), err);
}

/* Blocking mode with SO_RCVTIMEO: a plain recv then waits (at most the
 * timeout, in whole timer ticks) and the _now calls keep every other call
 * from waiting (MSG_DONTWAIT). The poller still watches s. */
bool hve__net_recv_wait_ready(hve_sock s, int timeout_ms)
{
    struct timeval tv = {timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    if (setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) < 0)
        return false;
    int fl = fcntl(s, F_GETFL);
    return fl >= 0 && fcntl(s, F_SETFL, fl & ~O_NONBLOCK) == 0;
}

long hve__net_recv_wait(hve_sock s, void *buf, size_t len, int *err)
{
    return hve__net_recv(s, buf, len, err);
}

int hve__net_set_blocking(hve_sock s, int timeout_ms)
{
    struct timeval tv = {timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    if (!hve__net_recv_wait_ready(s, timeout_ms) ||
        setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv) < 0)
        return sys_err();
    return 0;
}

int hve__net_shutdown_send(hve_sock s)
{
    return shutdown(s, SHUT_WR) < 0 ? sys_err() : 0;
}

void hve__net_abort(hve_sock s)
{
    struct linger lg = {1, 0};
    setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    close(s);
}

void hve__net_close(hve_sock s)
{
    close(s);
}

unsigned long hve__net_raise_fd_limit(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
        return 0;
    if (rl.rlim_cur < rl.rlim_max) {
        rlim_t want = rl.rlim_max;
        rl.rlim_cur = want;
        if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
            getrlimit(RLIMIT_NOFILE, &rl);
    }
    return rl.rlim_cur == RLIM_INFINITY ? (unsigned long)-1
                                        : (unsigned long)rl.rlim_cur;
}

/* ---- poller: epoll ---- */

struct hve__net_poller {
    int ep;
};

hve__net_poller *hve__net_poller_new(void)
{
    hve__net_poller *p = malloc(sizeof *p);
    if (!p)
        return NULL;
    p->ep = epoll_create1(EPOLL_CLOEXEC);
    if (p->ep < 0) {
        free(p);
        return NULL;
    }
    return p;
}

void hve__net_poller_free(hve__net_poller *p)
{
    if (p) {
        close(p->ep);
        free(p);
    }
}

static int ctl(hve__net_poller *p, int op, hve_sock s, unsigned events, void *ptr)
{
    struct epoll_event ev = {0};
    /* EPOLLRDHUP only with NET_IN: it stays set once the peer's FIN is
     * in, so asking for it while not reading (a peer that half-closed
     * without reading its echo) would wake us in a loop. */
    ev.events = (events & (NET_IN | NET_RDHUP) ? EPOLLRDHUP : 0u) |
                (events & NET_IN ? EPOLLIN : 0u) |
                (events & NET_OUT ? EPOLLOUT : 0u);
    ev.data.ptr = ptr;
    return epoll_ctl(p->ep, op, s, &ev) < 0 ? sys_err() : 0;
}

int hve__net_poller_add(hve__net_poller *p, hve_sock s, unsigned events, void *ptr)
{
    return ctl(p, EPOLL_CTL_ADD, s, events, ptr);
}

int hve__net_poller_mod(hve__net_poller *p, hve_sock s, unsigned events, void *ptr)
{
    return ctl(p, EPOLL_CTL_MOD, s, events, ptr);
}

void hve__net_poller_del(hve__net_poller *p, hve_sock s)
{
    struct epoll_event ev = {0};
    epoll_ctl(p->ep, EPOLL_CTL_DEL, s, &ev);
}

int hve__net_poller_wait(hve__net_poller *p, hve__net_pev *out, int max, int timeout_ms)
{
    struct epoll_event evs[256];
    if (max > 256)
        max = 256;
    int n = epoll_wait(p->ep, evs, max, timeout_ms);
    if (n < 0)
        return errno == EINTR ? 0 : NET_ERROR;
    for (int i = 0; i < n; i++) {
        unsigned e = evs[i].events;
        out[i].ptr = evs[i].data.ptr;
        out[i].events = (e & (EPOLLIN | EPOLLRDHUP) ? NET_IN : 0u) |
                        (e & EPOLLOUT ? NET_OUT : 0u) |
                        (e & (EPOLLERR | EPOLLHUP) ? NET_HUP : 0u);
    }
    return n;
}

/* ---- waker: a pipe ---- */

struct hve__net_waker {
    int fds[2];
};

hve__net_waker *hve__net_waker_new(void)
{
    hve__net_waker *w = malloc(sizeof *w);
    if (!w)
        return NULL;
    if (pipe2(w->fds, O_NONBLOCK | O_CLOEXEC) < 0) {
        free(w);
        return NULL;
    }
    return w;
}

void hve__net_waker_free(hve__net_waker *w)
{
    if (w) {
        close(w->fds[0]);
        close(w->fds[1]);
        free(w);
    }
}

hve_sock hve__net_waker_sock(hve__net_waker *w)
{
    return w->fds[0];
}

void hve__net_waker_signal(hve__net_waker *w)
{
    char c = 1;
    /* A full pipe already wakes the reader: nothing to do then. */
    if (write(w->fds[1], &c, 1) < 0 && errno != EAGAIN)
        return;
}

void hve__net_waker_drain(hve__net_waker *w)
{
    char buf[64];
    while (read(w->fds[0], buf, sizeof buf) > 0) {
    }
}
