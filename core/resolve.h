/* resolve.h - private: looking up a TCP host name without ever blocking
 * the session's worker. getaddrinfo cannot be cancelled and may take as
 * long as the resolver's timeouts and retries (30 s and more when a DNS
 * server does not answer), so it runs on a detached helper thread; the
 * worker waits for the helper's waker socket in its own poller, together
 * with the session's stop waker and its deadline, and simply walks away
 * when either fires first.
 *
 * The lookup is shared by the two threads and reference counted: the
 * worker's reference goes with hve__resolve_release, the helper's when
 * getaddrinfo returns; the last one frees it. Works the same on glibc,
 * musl and Windows (only threads, a mutex and the net.h waker).
 *
 * Threads: start, sock, result and release on the worker; the helper
 * thread is internal. */
#ifndef HVECHO_RESOLVE_H
#define HVECHO_RESOLVE_H

#include "net.h"

typedef struct hve__resolve hve__resolve;

/* Starts looking host up. NULL with *err set (out of memory, no thread). */
hve__resolve *hve__resolve_start(const char *host, int *err);
/* Polled for NET_IN: readable once the lookup has ended. */
hve_sock hve__resolve_sock(hve__resolve *r);
/* NET_AGAIN while the lookup runs; then 0 with the first address as a
 * literal in out (IPv4 first, as hve__net_connect_start would pick), or the
 * hve_err. */
int hve__resolve_result(hve__resolve *r, char *out, size_t outlen);
/* Drops the worker's reference (at once, also while the lookup runs). */
void hve__resolve_release(hve__resolve *r);

#endif
