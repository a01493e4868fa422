/* event_alloc.c - a small cache of freed events, so a busy session does
 * not allocate and free one event struct per event.
 *
 * Why: the worker allocates events and the owner frees them, a few per
 * handshake. With musl (the static build for guests) the page holding
 * them was unmapped when the owner freed the last one and mapped again by
 * the worker's next event: an munmap per handshake, which in a threaded
 * process is a TLB shootdown interrupt on the other CPUs. Events go back
 * to this cache instead, up to CACHE_MAX of them (about 40 KB).
 *
 * The cache is taken with a try-lock only: a thread that finds it busy
 * allocates or frees as usual, so no thread ever waits for another here
 * (a background worker at a lower priority can hold it at any moment).
 * Under AddressSanitizer there is no cache, so a use after free of an
 * event is still caught.
 * Threads: any (the worker allocates, the owner frees). */
#include "event_alloc.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define CACHE_MAX 64
#if defined(__SANITIZE_ADDRESS__)
#define CACHE_ON 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CACHE_ON 0
#endif
#endif
#ifndef CACHE_ON
#define CACHE_ON 1
#endif

/* A cached event's first bytes hold the link to the next one. */
typedef union cached {
    union cached *next;
    hve_event ev;
} cached;

static atomic_flag busy = ATOMIC_FLAG_INIT;
static cached *head;      /* under busy */
static unsigned count;    /* under busy */

static bool try_take(void)
{
    return !atomic_flag_test_and_set_explicit(&busy, memory_order_acquire);
}

static void give_back(void)
{
    atomic_flag_clear_explicit(&busy, memory_order_release);
}

hve_event *hve__event_alloc(void)
{
    cached *c = NULL;
    if (CACHE_ON && try_take()) {
        c = head;
        if (c) {
            head = c->next;
            count--;
        }
        give_back();
    }
    if (!c)
        return calloc(1, sizeof(hve_event));
    memset(&c->ev, 0, sizeof c->ev);
    return &c->ev;
}

void hve_event_free(hve_event *ev)
{
    if (!ev)
        return;
    free(ev->data);
    if (CACHE_ON && try_take()) {
        if (count < CACHE_MAX) {
            cached *c = (cached *)ev;
            c->next = head;
            head = c;
            count++;
            ev = NULL;
        }
        give_back();
    }
    free(ev);
}

#if defined(__GNUC__)
/* At exit the cached events go back to the C library, so a leak checker
 * (valgrind's "still reachable") finds nothing held. A thread still
 * running then keeps the cache only if it holds it at that instant. */
__attribute__((destructor)) static void drop_cache(void)
{
    if (CACHE_ON && try_take()) {
        while (head) {
            cached *c = head;
            head = c->next;
            free(c);
        }
        count = 0;
        give_back();
    }
}
#endif
