/* run.c - a core session bridged to the GTK main loop.
 *
 * Threads: run_wake() is called on the session's worker thread and only
 * touches the atomic 'pending' flag, the atomic reference count and
 * g_idle_add_full (which is thread-safe). client_job_thread() runs on a
 * GTask pool thread and touches only its job (the message and the new
 * session, handed back through the task). Everything else runs on the
 * GTK main thread. The run is reference counted (g_atomic_rc_box) so
 * that a drain queued by the worker, or a client job, stays valid after
 * hvg_run_free. */
#include "run.h"

#include <string.h>

struct HvgRun {
    hve_session *s;     /* GTK thread; NULL once freed */
    gint pending;       /* atomic: a drain idle is queued or running */
    gboolean detached;  /* GTK thread: hvg_run_free was called */
    gboolean stop_req;  /* GTK thread: stop asked while preparing */
    HvgRunEventFn fn;
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
    HvgRun *run = data;
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
    HvgRun *run = user;

    if (g_atomic_int_compare_and_exchange(&run->pending, 0, 1))
        g_idle_add_full(G_PRIORITY_DEFAULT_IDLE, run_drain,
                        g_atomic_rc_box_acquire(run), run_release);
}

static HvgRun *run_new(HvgRunEventFn fn, gpointer user)
{
    HvgRun *run = g_atomic_rc_box_new0(HvgRun);

    run->fn = fn;
    run->user = user;
    run->start_wall = g_get_real_time();
    return run;
}

HvgRun *hvg_run_start_server(const hve_server_opts *o, HvgRunEventFn fn,
                             gpointer user, int *err)
{
    HvgRun *run = run_new(fn, user);

    run->s = hve_session_start_server(o, run_wake, run, err);
    if (!run->s) {
        g_atomic_rc_box_release(run);
        return NULL;
    }
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

/* The message: text repeated up to fill bytes, by doubling (a few large
 * copies, not one per repetition). */
static guint8 *repeat_to(const guint8 *text, size_t len, size_t fill)
{
    guint8 *msg = g_try_malloc(fill);

    if (!msg)
        return NULL;
    memcpy(msg, text, len);
    for (size_t have = len; have < fill;) {
        size_t c = MIN(have, fill - have);
        memcpy(msg + have, msg, c);
        have += c;
    }
    return msg;
}

/* Pool thread. */
static void client_job_thread(GTask *task, gpointer src, gpointer data,
                              GCancellable *cancel)
{
    ClientJob *j = data;
    guint8 *msg = j->text;
    size_t len = j->len;
    hve_session *s = NULL;

    (void)src;
    (void)cancel;
    if (j->fill > len) {
        msg = repeat_to(j->text, len, (size_t)j->fill);
        len = (size_t)j->fill;
    }
    if (!msg) {
        j->err = HVE_ENOMEM;
    } else {
        j->o.message = msg;
        j->o.message_len = len;
        j->start_wall = g_get_real_time();
        s = hve_session_start_client(&j->o, run_wake, j->run, &j->err);
    }
    if (msg != j->text)
        g_free(msg);
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
        ev.dur_us = -1;
        ev.err = j->err ? j->err : HVE_ENOMEM;
        g_strlcpy(ev.detail, "the client could not start", sizeof ev.detail);
        run->fn(run, &ev, run->user);
        return;
    }
    run->s = s;
    run->start_wall = j->start_wall;
    if (run->stop_req)
        hve_session_stop(s);
    run_wake(run); /* events queued before run->s was set */
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
    if (run->s)
        hve_session_stop(run->s);
    else
        run->stop_req = TRUE;
}

unsigned hvg_run_conn_count(HvgRun *run)
{
    return run && run->s ? hve_session_conn_count(run->s) : 0;
}

size_t hvg_run_clients(HvgRun *run, hve_client_info *out, size_t max,
                       unsigned *total, int64_t *t_us)
{
    if (!run || !run->s) {
        if (total)
            *total = 0;
        if (t_us)
            *t_us = -1;
        return 0;
    }
    return hve_session_clients(run->s, out, max, total, t_us);
}

void hvg_run_clients_request(HvgRun *run)
{
    if (run && run->s)
        hve_session_clients_request(run->s);
}

gint64 hvg_run_start_wall(HvgRun *run)
{
    return run->start_wall;
}

void hvg_run_free(HvgRun *run)
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
