/* thread_posix.c - platform.h on POSIX: pthreads, a monotonic clock.
 * Any thread. */
#define _POSIX_C_SOURCE 200809L
#include "platform.h"

#include "hvecho/error.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>

struct start {
    hve__thread_fn fn;
    void *arg;
};

static void *trampoline(void *p)
{
    struct start s = *(struct start *)p;
    free(p);
    s.fn(s.arg);
    return NULL;
}

int hve__thread_start(hve_thread *t, hve__thread_fn fn, void *arg)
{
    struct start *s = malloc(sizeof *s);
    if (!s)
        return HVE_ENOMEM;
    s->fn = fn;
    s->arg = arg;
    int rc = pthread_create(t, NULL, trampoline, s);
    if (rc) {
        free(s);
        return hve_err_from_errno(rc);
    }
    return 0;
}

void hve__thread_join(hve_thread t)
{
    pthread_join(t, NULL);
}

void hve__thread_detach(hve_thread t)
{
    pthread_detach(t);
}

void hve__mutex_init(hve_mutex *m)
{
    pthread_mutex_init(m, NULL);
}

void hve__mutex_destroy(hve_mutex *m)
{
    pthread_mutex_destroy(m);
}

void hve__mutex_lock(hve_mutex *m)
{
    pthread_mutex_lock(m);
}

void hve__mutex_unlock(hve_mutex *m)
{
    pthread_mutex_unlock(m);
}

void hve__cond_init(hve_cond *c)
{
    pthread_condattr_t a;
    pthread_condattr_init(&a);
    pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
    pthread_cond_init(c, &a);
    pthread_condattr_destroy(&a);
}

void hve__cond_destroy(hve_cond *c)
{
    pthread_cond_destroy(c);
}

void hve__cond_signal(hve_cond *c)
{
    pthread_cond_signal(c);
}

void hve__cond_broadcast(hve_cond *c)
{
    pthread_cond_broadcast(c);
}

bool hve__cond_wait(hve_cond *c, hve_mutex *m, int ms)
{
    if (ms < 0)
        return pthread_cond_wait(c, m) == 0;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    ts.tv_sec += ms / 1000;
    ts.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    return pthread_cond_timedwait(c, m, &ts) != ETIMEDOUT;
}

int64_t hve__now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t hve__now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}
