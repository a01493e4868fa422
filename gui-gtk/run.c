/* run.c - a server, or a client run, as the window starts and stops it;
 * its events reach the window through the pump (pump.c).
 *
 * Threads: client_job_thread() runs on a GTask pool thread and touches
 * only its job (the message and the new session, handed back through the
 * task); the session's wake is the pump's (it only schedules a drain).
 * Everything else runs on the GTK main thread. The run is reference
 * counted (g_atomic_rc_box) so that a client job that is still preparing
 * keeps it valid after hvg_run_free. */
#include "run.h"

#include <stdlib.h>
#include <string.h>

#include "pump.h"

struct HvgRun {
    HvgLane *lane;      /* GTK thread; NULL once freed */
    gboolean detached;  /* GTK thread: hvg_run_free was called */
    gboolean stop_req;  /* GTK thread: stop asked while preparing */
    HvgRunEventFn fn;
    gpointer user;
    gint64 start_wall;
};

static void run_event(HvgLane *lane, const hve_event *ev, gpointer user)
{
    HvgRun *run = user;

    (void)lane;
    run->fn(run, ev, run->user);
}

static HvgRun *run_new(HvgRunEventFn fn, gpointer user)
{
    HvgRun *run = g_atomic_rc_box_new0(HvgRun);

    run->fn = fn;
    run->user = user;
    run->start_wall = g_get_real_time();
    run->lane = hvg_pump_lane_new(run_event, run);
    return run;
}

static hve_session *run_session(HvgRun *run)
{
    return run && run->lane ? hvg_pump_session(run->lane) : NULL;
}

HvgRun *hvg_run_start_server(const hve_server_opts *o, HvgRunEventFn fn,
                             gpointer user, int *err)
{
    HvgRun *run = run_new(fn, user);
    hve_server_opts bo = *o;
    hve_session *s;

    bo.background = TRUE; /* its I/O yields the CPU to the UI thread */
    s = hve_session_start_server(&bo, hvg_pump_wake, NULL, err);

    if (!s) {
        hvg_pump_lane_free(run->lane);
        g_atomic_rc_box_release(run);
        return NULL;
    }
    hvg_pump_attach(run->lane, s);
    return run;
}

/* A client start on a pool thread. */
typedef struct ClientJob {
    hve_client_opts o;
    guint8 *text;
    size_t len;
    guint64 fill;
    int err;      /* why the start failed */
    gint64 start_wall; /* when the session started (event times count
                          from there) */
    HvgRun *run;  /* a reference, released with the job */
} ClientJob;

static void client_job_free(gpointer data)
{
    ClientJob *j = data;

    g_free(j->text);
    g_atomic_rc_box_release(j->run);
    g_free(j);
}

/* Pool thread. */
static void client_job_thread(GTask *task, gpointer src, gpointer data,
                              GCancellable *cancel)
{
    ClientJob *j = data;
    hve_session *s = NULL;

    (void)src;
    (void)cancel;
    /* The session copies the typed text; a Fill to it repeats from a
       pattern of its own, never making the whole (up to 1 GiB) */
    j->err = hve_client_opts_message(&j->o, j->text, j->len, (size_t)j->fill);
    if (!j->err) {
        j->start_wall = g_get_real_time();
        j->o.background = TRUE; /* as the server's */
        s = hve_session_start_client(&j->o, hvg_pump_wake, NULL, &j->err);
    }
    g_task_return_pointer(task, s, NULL);
}

/* GTK thread: the session exists (or could not start). */
static void client_job_done(GObject *src, GAsyncResult *res, gpointer user)
{
    ClientJob *j = g_task_get_task_data(G_TASK(res));
    HvgRun *run = j->run;
    hve_session *s = g_task_propagate_pointer(G_TASK(res), NULL);

    (void)src;
    (void)user;
    if (run->detached) { /* the window went away meanwhile */
        if (s)
            hve_session_free(s);
        return;
    }
    if (!s) {
        hve_event ev = {0};
        ev.kind = HVE_EV_FINISHED;
        ev.side = HVE_SIDE_CLIENT;
        ev.dur_us = -1;
        ev.err = j->err ? j->err : HVE_ENOMEM;
        g_strlcpy(ev.detail, "the client could not start", sizeof ev.detail);
        run->fn(run, &ev, run->user);
        return;
    }
    run->start_wall = j->start_wall;
    if (run->stop_req)
        hve_session_stop(s);
    hvg_pump_attach(run->lane, s);
}

HvgRun *hvg_run_start_client(const hve_client_opts *o, guint8 *text,
                             size_t len, guint64 fill, HvgRunEventFn fn,
                             gpointer user)
{
    HvgRun *run = run_new(fn, user);
    ClientJob *j = g_new0(ClientJob, 1);
    GTask *task;

    j->o = *o;
    j->text = text;
    j->len = len;
    j->fill = fill;
    j->run = g_atomic_rc_box_acquire(run);
    task = g_task_new(NULL, NULL, client_job_done, NULL);
    g_task_set_task_data(task, j, client_job_free);
    g_task_run_in_thread(task, client_job_thread);
    g_object_unref(task);
    return run;
}

void hvg_run_stop(HvgRun *run)
{
    if (!run)
        return;
    if (run_session(run))
        hve_session_stop(run_session(run));
    else
        run->stop_req = TRUE;
}

unsigned hvg_run_conn_count(HvgRun *run)
{
    return run_session(run) ? hve_session_conn_count(run_session(run)) : 0;
}

size_t hvg_run_clients(HvgRun *run, hve_client_info *out, size_t max,
                       unsigned *total, int64_t *t_us)
{
    if (!run_session(run)) {
        if (total)
            *total = 0;
        if (t_us)
            *t_us = -1;
        return 0;
    }
    return hve_session_clients(run_session(run), out, max, total, t_us);
}

void hvg_run_clients_request(HvgRun *run)
{
    if (run_session(run))
        hve_session_clients_request(run_session(run));
}

gint64 hvg_run_start_wall(HvgRun *run)
{
    return run->start_wall;
}

void hvg_run_free(HvgRun *run)
{
    if (!run)
        return;
    run->detached = TRUE;
    /* stops and joins its worker (now, or at the end of the drain that
       delivers the callback calling this): no wake after it */
    hvg_pump_lane_free(run->lane);
    run->lane = NULL;
    g_atomic_rc_box_release(run);
}
