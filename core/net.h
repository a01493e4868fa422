/* net.h - private: the socket layer. net_linux.c (Linux: AF_VSOCK, TCP,
 * Unix, epoll) and net_win32.c (Winsock 2: AF_HYPERV, TCP, AF_UNIX,
 * WSAPoll) implement it; CMake picks one. Everything above this header
 * (client.c, server.c, session.c) is platform-free.
 *
 * All sockets are non-blocking. Errors come back as hve_err codes, turned
 * from errno / WSAGetLastError() by hve_err_from_errno / _wsa.
 *
 * Threads: a socket, poller or waker belongs to one session's worker
 * thread, except hve__net_waker_signal, which any thread may call. */
#ifndef HVECHO_NET_H
#define HVECHO_NET_H

#include "hvecho/addr.h"
#include "platform.h"

/* Once per process before any other call; thread-safe, idempotent.
 * Returns 0 or an hve_err. */
int hve__net_init(void);

/* Start a non-blocking connect. timeout_ms also goes to the transport's
 * own connect timeout (SO_VM_SOCKETS_CONNECT_TIMEOUT,
 * HVSOCKET_CONNECT_TIMEOUT) so it does not give up first. 0: *out is connecting or connected
 * (finish with hve__net_connect_result once writable). Else an hve_err with
 * why filled in. */
int hve__net_connect_start(const hve_addr *a, const hve_service *svc,
                      int timeout_ms, hve_sock *out, char *why,
                      size_t whylen);
/* True when host is an IPv4 or IPv6 literal: connecting to it never
 * asks a resolver (hve__net_connect_start takes it as is). Any thread. */
bool hve__net_host_is_literal(const char *host);
/* Blocking name lookup, for resolve.c's helper thread: the first address
 * of host (IPv4 first, then IPv6, as hve__net_connect_start picks) as a
 * literal in out. 0 or an hve_err (HVE_ENOTFOUND). Any thread. */
int hve__net_lookup_host(const char *host, char *out, size_t outlen);

/* After the socket polled writable: 0 when connected, else the hve_err. */
int hve__net_connect_result(hve_sock s);

/* Bind and listen (non-blocking). For unix: a stale socket file nobody
 * listens on is replaced. 0 or an hve_err with why filled in. */
int hve__net_listen(const hve_addr *a, const hve_service *svc, int backlog,
               hve_sock *out, char *why, size_t whylen);
/* Socket activation: takes the first listening socket systemd handed
 * over (fd 3 with LISTEN_PID / LISTEN_FDS; the variables are then
 * cleared), makes it non-blocking, and says what it listens on in *addr
 * (family, and for vsock the port in vport). 0 or an hve_err with why
 * filled in (not activated, not a listening stream socket; Windows has
 * no socket activation). */
int hve__net_listen_inherited(hve_sock *out, hve_addr *addr, char *why,
                              size_t whylen);

/* 0 with *out and *peer set; NET_AGAIN when no connection waits; else an
 * hve_err (a failed accept of one peer must not stop the server;
 * HVE_ENOFDS and HVE_ENOMEM mean the listener stays readable, so the
 * caller must pause rather than retry). */
int hve__net_accept(hve_sock l, hve_family fam, hve_sock *out, hve_addr *peer);

#define NET_AGAIN (-1) /* would block */
#define NET_ERROR (-2) /* *err has the hve_err */

/* >= 0 bytes moved (recv: 0 = end of stream), NET_AGAIN or NET_ERROR. */
long hve__net_send(hve_sock s, const void *buf, size_t len, int *err);
long hve__net_recv(hve_sock s, void *buf, size_t len, int *err);
/* Turns s into a blocking socket whose every send and receive waits at
 * most timeout_ms (then hve__net_send / hve__net_recv say NET_AGAIN on POSIX, an
 * hve_err on Windows). For one connection driven without a poller, where
 * a blocking receive wakes sooner than poller + receive: the latency
 * benchmark, like sockperf's ping-pong. 0 or an hve_err. */
int hve__net_set_blocking(hve_sock s, int timeout_ms);
/* The server's own I/O: as hve__net_send / hve__net_recv, but never
 * waiting, whatever mode the socket is in (hve__net_recv_wait_ready may
 * have made it blocking). */
long hve__net_send_now(hve_sock s, const void *buf, size_t len, int *err);
long hve__net_recv_now(hve_sock s, void *buf, size_t len, int *err);
/* The server's lone ping-pong peer: readies s for hve__net_recv_wait, a
 * receive that waits at most timeout_ms for data in one system call,
 * where the poller needs two (wait, then receive). False where the
 * platform has none (Windows): the caller stays with the poller. After a
 * true, use the _now calls above for everything else on s. */
bool hve__net_recv_wait_ready(hve_sock s, int timeout_ms);
/* As hve__net_recv; NET_AGAIN when the wait ran out. */
long hve__net_recv_wait(hve_sock s, void *buf, size_t len, int *err);
/* shutdown(SHUT_WR) / shutdown(SD_SEND). 0 or an hve_err. */
int hve__net_shutdown_send(hve_sock s);
/* Close at once, dropping unsent data (SO_LINGER 0: the peer sees a
 * reset). For tests and for peers we throw out. */
void hve__net_abort(hve_sock s);
void hve__net_close(hve_sock s);
/* Which file a unix listener's path is: recorded right after the listen,
 * so that at stop the path is removed only if it is still our socket (a
 * second server may have replaced it meanwhile). */
typedef struct hve__net_file {
    bool set;
    uint64_t dev, ino; /* Windows: volume serial number, file index */
} hve__net_file;
/* Records the file at a's path (unix only; else out->set is false). */
void hve__net_file_id(const hve_addr *a, hve__net_file *out);
/* Unlinks a's path if id is set and the path is still that file. */
void hve__net_listen_cleanup(const hve_addr *a, const hve__net_file *id);

/* The local address of a socket, as an hve_addr: what a listener really
 * bound, e.g. the port the system chose for port 0 (for vsock the port is
 * in vport). An accepted peer's address comes from hve__net_accept. */
int hve__net_local_addr(hve_sock s, hve_family fam, hve_addr *out);
/* "cid 1 port 1234", "vm <guid> service <guid>", "127.0.0.1:5000",
 * "[::1]:5000", "unix socket". */
char *hve__net_peer_format(const hve_addr *peer, const hve_service *svc,
                      char *buf, size_t len);

/* A poller: level-triggered readiness for many sockets. Linux: epoll, so
 * idle sockets cost nothing per wakeup. */
#define NET_IN 1u
#define NET_OUT 2u
#define NET_HUP 4u /* error or hang-up: read or write to learn which */
#define NET_RDHUP 8u /* interest only: wake (as NET_IN) when the peer shuts
                        down, also while not reading */

typedef struct hve__net_poller hve__net_poller;
typedef struct hve__net_pev {
    void *ptr;
    unsigned events;
} hve__net_pev;

hve__net_poller *hve__net_poller_new(void);
void hve__net_poller_free(hve__net_poller *p);
/* events: NET_IN | NET_OUT. ptr comes back in hve__net_pev. 0 or hve_err. */
int hve__net_poller_add(hve__net_poller *p, hve_sock s, unsigned events, void *ptr);
int hve__net_poller_mod(hve__net_poller *p, hve_sock s, unsigned events, void *ptr);
void hve__net_poller_del(hve__net_poller *p, hve_sock s);
/* Wait up to timeout_ms (-1 forever). Returns events written (0 on
 * timeout) or NET_ERROR. */
int hve__net_poller_wait(hve__net_poller *p, hve__net_pev *out, int max, int timeout_ms);

/* A waker: lets any thread interrupt a worker's poller wait. */
typedef struct hve__net_waker hve__net_waker;
hve__net_waker *hve__net_waker_new(void);
void hve__net_waker_free(hve__net_waker *w);
hve_sock hve__net_waker_sock(hve__net_waker *w); /* add it to the poller, NET_IN */
void hve__net_waker_signal(hve__net_waker *w);   /* any thread */
void hve__net_waker_drain(hve__net_waker *w);

/* Raises this process's limit on open descriptors to the most allowed
 * (POSIX: the soft RLIMIT_NOFILE up to the hard one), so a server or a
 * benchmark can hold thousands of connections. Returns the limit now in
 * force; 0 where there is no such limit (Windows). Idempotent. */
unsigned long hve__net_raise_fd_limit(void);

/* For vsock targets on Linux: fails at once with HVE_ENOLOOPBACK when
 * CID 1 would go nowhere, before any socket is made. */
int hve__net_check_target(const hve_addr *a, char *why, size_t whylen);

#endif
