/* thread_win32.c - the Windows side of platform.h: threads, locks,
 * condition variables and the monotonic clock, on plain Win32 (Vista or
 * later: CONDITION_VARIABLE, SleepConditionVariableCS).
 *
 * The background priority (hve__thread_background): a session's worker
 * moving bulk data takes whole CPUs, and the dialog's UI thread, at the
 * same priority, then waits behind its own client's and server's workers
 * for its turn to paint or answer input. A worker of a session started
 * with the background option (which the dialog sets) runs at
 * THREAD_PRIORITY_BELOW_NORMAL, so the UI thread is scheduled first
 * whenever it is ready; the command line's workers stay normal.
 *
 * Threads: every function may be called from any thread; a mutex or
 * condition variable is shared by the session's owner and worker. */
#include "platform.h"

#include <process.h>
#include <stdlib.h>

#include "hvecho/error.h"

typedef struct thread_start {
    hve__thread_fn fn;
    void *arg;
} thread_start;

/* _beginthreadex rather than CreateThread so the C runtime's per-thread
 * state is set up for the worker. */
static unsigned __stdcall thread_main(void *p)
{
    thread_start st = *(thread_start *)p;
    free(p);
    st.fn(st.arg);
    return 0;
}

int hve__thread_start(hve_thread *t, hve__thread_fn fn, void *arg)
{
    thread_start *st = malloc(sizeof *st);
    uintptr_t h;

    if (!st)
        return HVE_ENOMEM;
    st->fn = fn;
    st->arg = arg;
    h = _beginthreadex(NULL, 0, thread_main, st, 0, NULL);
    if (h == 0) {
        free(st);
        return HVE_ESYS;
    }
    *t = (HANDLE)h;
    return 0;
}

void hve__thread_join(hve_thread t)
{
    WaitForSingleObject(t, INFINITE);
    CloseHandle(t);
}

void hve__thread_detach(hve_thread t)
{
    CloseHandle(t); /* the thread runs on; its handle is not needed */
}

void hve__thread_background(void)
{
    SetThreadPriority(GetCurrentThread(), THREAD_PRIORITY_BELOW_NORMAL);
}

void hve__mutex_init(hve_mutex *m) { InitializeCriticalSection(m); }
void hve__mutex_destroy(hve_mutex *m) { DeleteCriticalSection(m); }
void hve__mutex_lock(hve_mutex *m) { EnterCriticalSection(m); }
void hve__mutex_unlock(hve_mutex *m) { LeaveCriticalSection(m); }

void hve__cond_init(hve_cond *c) { InitializeConditionVariable(c); }
/* A CONDITION_VARIABLE holds no resources. */
void hve__cond_destroy(hve_cond *c) { (void)c; }
void hve__cond_signal(hve_cond *c) { WakeConditionVariable(c); }
void hve__cond_broadcast(hve_cond *c) { WakeAllConditionVariable(c); }

bool hve__cond_wait(hve_cond *c, hve_mutex *m, int ms)
{
    DWORD wait = ms < 0 ? INFINITE : (DWORD)ms;
    if (SleepConditionVariableCS(c, m, wait))
        return true;
    /* ERROR_TIMEOUT is the only expected failure; treat any as timeout,
     * callers re-check their condition anyway. */
    return false;
}

int64_t hve__now_us(void)
{
    LARGE_INTEGER freq, now;

    /* Fixed at boot and cheap to ask; asking each time avoids a shared
     * static written from several threads. */
    QueryPerformanceFrequency(&freq);
    QueryPerformanceCounter(&now);
    /* Split to avoid overflow of now * 1e6 over long uptimes. */
    return (int64_t)(now.QuadPart / freq.QuadPart) * 1000000 +
           (int64_t)(now.QuadPart % freq.QuadPart) * 1000000 / freq.QuadPart;
}

int64_t hve__now_ns(void)
{
    LARGE_INTEGER freq, now;
    QueryPerformanceFrequency(&freq);
    QueryPerformanceCounter(&now);
    return (int64_t)(now.QuadPart / freq.QuadPart) * 1000000000 +
           (int64_t)(now.QuadPart % freq.QuadPart) * 1000000000 /
               freq.QuadPart;
}
