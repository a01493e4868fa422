/* run.c - drives one session from the command line through the pump: the
 * main thread drains in short waits so that a signal (the handler only
 * sets a flag) turns into hve_session_stop within 50 ms. Main thread (and
 * the handler). */
#include "run.h"

#include "pump.h"

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

typedef struct run {
    report *r;
    int finished_err; /* -1 until FINISHED */
} run;

static void show(void *user, hve_session *s, const hve_event *ev)
{
    (void)s;
    run *rn = user;
    report_event(rn->r, ev);
    if (ev->kind == HVE_EV_FINISHED)
        rn->finished_err = ev->err;
}

static int run_one(report *r, const hve_client_opts *co,
                   const hve_server_opts *so)
{
    run rn = {r, -1};
    pump p;
    int err = pump_init(&p, 1, show, &rn);
    if (err && co && co->message_free) /* the session never took it */
        co->message_free((void *)co->message);
    if (!err && !(co ? pump_client(&p, co, &err) : pump_server(&p, so, &err)))
        err = err ? err : HVE_ENOMEM;
    if (err) {
        pump_free(&p);
        report_error(err, NULL);
        return hve_exit_code(err);
    }
    bool stopping = false;
    while (pump_drain(&p, 50) > 0) {
        if (interrupted && !stopping) {
            stopping = true;
            pump_stop(&p);
        }
    }
    pump_free(&p);
    err = rn.finished_err;
    if (err == HVE_ECANCELED && (r->server || stopping))
        return r->server ? HVE_EXIT_OK : HVE_EXIT_FAILED;
    return hve_exit_code(err);
}

int run_client(const hve_client_opts *o, report *r)
{
    return run_one(r, o, NULL);
}

int run_server(const hve_server_opts *o, report *r)
{
    return run_one(r, NULL, o);
}
