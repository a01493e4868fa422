/* resolve.c - a TCP host name looked up on a detached helper thread, so
 * that the session's deadline and stop hold while a resolver is slow (see
 * resolve.h).
 *
 * Threads: the session's worker (start, sock, result, release) and the
 * helper thread (lookup_main); the fields below the mutex are shared. */
#include "resolve.h"

#include "attr.h"
#include "hvecho/error.h"
#include "platform.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct hve__resolve {
    hve_mutex mu;
    int refs;           /* the worker's and the helper's */
    bool done;
    int err;
    char addr[HVE_HOST_MAX];
    char host[HVE_HOST_MAX];
    hve__net_waker *waker;   /* signalled by the helper when done */
};

static void unref(hve__resolve *r)
{
    hve__mutex_lock(&r->mu);
    bool last = --r->refs == 0;
    hve__mutex_unlock(&r->mu);
    if (!last)
        return;
    hve__net_waker_free(r->waker);
    hve__mutex_destroy(&r->mu);
    free(r);
}

static void lookup_main(void *arg)
{
    hve__resolve *r = arg;
    char addr[HVE_HOST_MAX];
    int err = hve__net_lookup_host(r->host, addr, sizeof addr);
    hve__mutex_lock(&r->mu);
    r->err = err;
    if (!err)
        hve__strlcpy(r->addr, sizeof r->addr, addr);
    r->done = true;
    /* Signalled under the lock: the worker cannot free the waker in
     * between (it would need this reference gone first). */
    hve__net_waker_signal(r->waker);
    hve__mutex_unlock(&r->mu);
    unref(r);
}

hve__resolve *hve__resolve_start(const char *host, int *err)
{
    hve__resolve *r = calloc(1, sizeof *r);
    if (!r) {
        *err = HVE_ENOMEM;
        return NULL;
    }
    r->waker = hve__net_waker_new();
    if (!r->waker) {
        free(r);
        *err = HVE_ENOMEM;
        return NULL;
    }
    hve__mutex_init(&r->mu);
    hve__strlcpy(r->host, sizeof r->host, host);
    r->refs = 2;
    hve_thread t;
    *err = hve__thread_start(&t, lookup_main, r);
    if (*err) {
        r->refs = 1;
        unref(r);
        return NULL;
    }
    hve__thread_detach(t);
    return r;
}

hve_sock hve__resolve_sock(hve__resolve *r)
{
    return hve__net_waker_sock(r->waker);
}

int hve__resolve_result(hve__resolve *r, char *out, size_t outlen)
{
    hve__mutex_lock(&r->mu);
    int rc = r->done ? r->err : NET_AGAIN;
    if (r->done && !r->err)
        hve__strlcpy(out, outlen, r->addr);
    hve__mutex_unlock(&r->mu);
    return rc;
}

void hve__resolve_release(hve__resolve *r)
{
    if (r)
        unref(r);
}
