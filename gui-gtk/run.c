/* run.c - a core session bridged to the GTK main loop.
 *
 * Threads: run_wake() is called on the session's worker thread and only
 * touches the atomic 'pending' flag, the atomic reference count and
 * g_idle_add_full (which is thread-safe). Everything else runs on the GTK
 * main thread. The run is reference counted (g_atomic_rc_box) so that a
 * drain already queued by the worker stays valid after hve_run_free. */
#include "run.h"

struct HveRun {
    hve_session *s;     /* GTK thread; NULL once freed */
    gint pending;       /* atomic: a drain idle is queued or running */
    gboolean detached;  /* GTK thread: hve_run_free was called */
    HveRunEventFn fn;
    gpointer user;
    gint64 start_wall;
};

/* Longest time one drain may spend before it yields to the main loop. */
#define DRAIN_BUDGET_US 4000

static void run_release(gpointer data)
{
    g_atomic_rc_box_release(data);
}

static gboolean run_drain(gpointer data)
{
    HveRun *run = data;
    gint64 deadline = g_get_monotonic_time() + DRAIN_BUDGET_US;
    hve_event *ev;

    /* Clear before popping: a wake after this point schedules a new drain,
     * so no event is ever left behind. */
    g_atomic_int_set(&run->pending, 0);
    while (!run->detached && run->s && (ev = hve_session_next(run->s))) {
        run->fn(run, ev, run->user);
        hve_event_free(ev);
        if (run->detached)
            break;
        if (g_get_monotonic_time() > deadline) {
            /* More may be queued: keep this source if no wake queued
             * another drain meanwhile. */
            if (g_atomic_int_compare_and_exchange(&run->pending, 0, 1))
                return G_SOURCE_CONTINUE;
            break;
        }
    }
    return G_SOURCE_REMOVE;
}

/* Worker thread. */
static void run_wake(void *user)
{
    HveRun *run = user;

    if (g_atomic_int_compare_and_exchange(&run->pending, 0, 1))
        g_idle_add_full(G_PRIORITY_DEFAULT_IDLE, run_drain,
                        g_atomic_rc_box_acquire(run), run_release);
}

static HveRun *run_new(HveRunEventFn fn, gpointer user)
{
    HveRun *run = g_atomic_rc_box_new0(HveRun);

    run->fn = fn;
    run->user = user;
    run->start_wall = g_get_real_time();
    return run;
}

HveRun *hve_run_start_server(const hve_server_opts *o, HveRunEventFn fn,
                             gpointer user, int *err)
{
    HveRun *run = run_new(fn, user);

    run->s = hve_session_start_server(o, run_wake, run, err);
    if (!run->s) {
        g_atomic_rc_box_release(run);
        return NULL;
    }
    return run;
}

HveRun *hve_run_start_client(const hve_client_opts *o, HveRunEventFn fn,
                             gpointer user, int *err)
{
    HveRun *run = run_new(fn, user);

    run->s = hve_session_start_client(o, run_wake, run, err);
    if (!run->s) {
        g_atomic_rc_box_release(run);
        return NULL;
    }
    return run;
}

void hve_run_stop(HveRun *run)
{
    if (run && run->s)
        hve_session_stop(run->s);
}

unsigned hve_run_conn_count(HveRun *run)
{
    return run && run->s ? hve_session_conn_count(run->s) : 0;
}

gint64 hve_run_start_wall(HveRun *run)
{
    return run->start_wall;
}

void hve_run_free(HveRun *run)
{
    hve_session *s;

    if (!run)
        return;
    run->detached = TRUE;
    s = run->s;
    run->s = NULL;
    if (s)
        hve_session_free(s); /* joins the worker: no wake after this */
    g_atomic_rc_box_release(run);
}
