/* thread_posix.c - platform.h on POSIX: pthreads, a monotonic clock,
 * and the background priority of a window's workers.
 *
 * Why a background priority: a session's worker moves bulk data (a 256 MiB
 * echo keeps a client and a server worker busy), and on a machine with
 * few CPUs the workers of a window's own client and server take every
 * CPU; the window's UI thread, woken for a frame or an input event, then
 * waits in the run queue behind them (measured: most of a stall of
 * 100-400 ms on 2 CPUs was the UI thread waiting for a CPU while it had
 * almost nothing to do). A worker started with the background option
 * (hve_client_opts / hve_server_opts .background, which the windows set)
 * runs at nice HVE__BACKGROUND_NICE, so the scheduler gives the UI thread
 * the CPU as soon as it wants it; the transfer gets the rest. The
 * command line leaves its workers at normal priority.
 *
 * Any thread. */
#define _GNU_SOURCE /* syscall, SYS_gettid */
#include "platform.h"

#include "hvecho/error.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* The nice value of a background worker: weight 110 against 1024 for a
 * thread at 0, so it gets about a tenth of a CPU the UI thread wants too.
 * Nice only weighs threads that compete: the UI thread is idle most of
 * the time, and the transfer then has the CPUs to itself. */
#define HVE__BACKGROUND_NICE 10

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

/* Linux keeps a nice value per thread: setpriority() on the thread's own
 * id changes that thread alone (and the threads it starts later inherit
 * it). Raising one's own nice needs no privilege. */
void hve__thread_background(void)
{
    pid_t tid = (pid_t)syscall(SYS_gettid);
    int prio;

    errno = 0;
    prio = getpriority(PRIO_PROCESS, (id_t)tid);
    if (prio == -1 && errno)
        return;
    if (prio < HVE__BACKGROUND_NICE)
        setpriority(PRIO_PROCESS, (id_t)tid, HVE__BACKGROUND_NICE);
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
