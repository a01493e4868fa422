/* platform.h - private: the few per-platform types the core needs, and
 * the thread, lock and clock calls. Implemented by thread_posix.c and
 * thread_win32.c (chosen in CMake). The only header in the core with an
 * #ifdef on the platform.
 *
 * Threads: the functions are called from the owner and worker threads;
 * each is safe to call from any thread. */
#ifndef HVECHO_PLATFORM_H
#define HVECHO_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef _WIN32
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <winsock2.h>
#include <windows.h>
typedef SOCKET hve_sock;
#define HVE_BADSOCK INVALID_SOCKET
typedef CRITICAL_SECTION hve_mutex;
typedef CONDITION_VARIABLE hve_cond;
typedef HANDLE hve_thread;
#else
#include <pthread.h>
typedef int hve_sock;
#define HVE_BADSOCK (-1)
typedef pthread_mutex_t hve_mutex;
typedef pthread_cond_t hve_cond;
typedef pthread_t hve_thread;
#endif

typedef void (*hve__thread_fn)(void *arg);

/* Returns 0 or an hve_err. */
int hve__thread_start(hve_thread *t, hve__thread_fn fn, void *arg);
void hve__thread_join(hve_thread t);
/* Lets t run on by itself: nobody joins it, its resources go when it
 * returns. For a helper that may outlive its starter (a name lookup). */
void hve__thread_detach(hve_thread t);
/* The calling thread, and the threads it starts from now on, run below
 * normal CPU priority (a session's worker with the background option).
 * Best effort: nothing is reported when the system refuses. */
void hve__thread_background(void);

void hve__mutex_init(hve_mutex *m);
void hve__mutex_destroy(hve_mutex *m);
void hve__mutex_lock(hve_mutex *m);
void hve__mutex_unlock(hve_mutex *m);

void hve__cond_init(hve_cond *c);
void hve__cond_destroy(hve_cond *c);
void hve__cond_signal(hve_cond *c);
void hve__cond_broadcast(hve_cond *c);
/* Waits up to ms (-1 = forever); false on timeout. Spurious wakeups
 * happen: callers loop on their own condition. */
bool hve__cond_wait(hve_cond *c, hve_mutex *m, int ms);

/* Monotonic microseconds from an arbitrary start. */
int64_t hve__now_us(void);
/* The same clock in nanoseconds (as fine as the system's clock), for
 * benchmarks timing round trips of a few microseconds. */
int64_t hve__now_ns(void);

#endif
