/* run.c - drives a session from the command line: the main thread waits
 * on the session's queue (the wake callback is not needed: the queue has
 * its own condition variable) and turns a signal into hve_session_stop.
 * The signal handler only sets a flag. Main thread (and the handler). */
#include "run.h"

#include <signal.h>

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

void run_catch_signals(void)
{
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
}

bool run_interrupted(void)
{
    return interrupted != 0;
}

int run_session(hve_session *s, report *r)
{
    bool stopping = false;
    for (;;) {
        /* Short waits, so a signal is noticed within 50 ms. */
        hve_event *ev = hve_session_wait(s, 50);
        if (interrupted && !stopping) {
            stopping = true;
            hve_session_stop(s);
        }
        if (!ev)
            continue;
        report_event(r, ev);
        if (ev->kind == HVE_EV_FINISHED) {
            int err = ev->err;
            hve_event_free(ev);
            if (err == HVE_ECANCELED && (r->server || stopping))
                return r->server ? HVE_EXIT_OK : HVE_EXIT_FAILED;
            return hve_exit_code(err);
        }
        hve_event_free(ev);
    }
}
