/* pump.c - core sessions to the GTK main loop (see pump.h).
 *
 * Threads: hvg_pump_wake runs on workers (and on the GTask thread that
 * starts a client) and touches only the atomic 'scheduled' flag and the
 * write end of the wake pipe. The lanes and the drain belong to the GTK
 * main thread; pool threads free finished sessions and drained events
 * (each handed over whole, touched by nothing else meanwhile).
 *
 * Why a pipe and not g_idle_add: g_idle_add takes the main context's
 * lock, which the main loop holds for each of its own steps. The workers
 * run at a background priority (run.c), so a worker preempted while
 * holding that lock kept the UI thread waiting for it (seen: the main
 * thread blocked 27 ms in g_main_context_check on that lock during a
 * 256 MiB echo). A write to a pipe shares no lock with the UI thread. */
#include "pump.h"

#include <errno.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib-unix.h>

struct HvgLane {
    hve_session *s; /* NULL before attach and after FINISHED */
    HvgLaneFn fn;
    gpointer user;
    gboolean dead;  /* freed during a drain: removed at its end */
};

static GPtrArray *lanes;   /* main thread */
static gboolean draining;  /* main thread */
static gint scheduled;     /* atomic: a drain is queued */
/* The wake pipe (non-blocking; made once, on the main thread, before any
 * session can wake): a byte in it makes the main loop drain. */
static int wake_fd[2] = {-1, -1};

typedef struct {
    HvgLane *lane;
    hve_event *ev;
} Item;

/* A drain stops taking more slices past this (one frame at 60 Hz is
 * 16 ms: the window keeps drawing, and answers input, while a flood of
 * events comes; a quarter of a frame leaves the rest to them). */
#define DRAIN_BUDGET_US 4000
/* Events per slice; a drain takes slices until the budget is spent. */
#define SLICE 128

/* Stable by mono_us: a session's own events keep their order. */
static gint by_time(gconstpointer a, gconstpointer b, gpointer unused)
{
    const Item *x = a, *y = b;

    (void)unused;
    return x->ev->mono_us < y->ev->mono_us   ? -1
           : x->ev->mono_us > y->ev->mono_us ? 1
                                             : 0;
}

/* Freeing a finished session joins its worker and gives back what the
 * worker allocated (under its arena's lock, as for the events below) and
 * its copy of the message, so a pool thread frees it. The session is
 * handed over whole; nothing here touches it again. */
static void free_session_job(GTask *task, gpointer src, gpointer data,
                             GCancellable *cancel)
{
    (void)task;
    (void)src;
    (void)cancel;
    hve_session_free(data);
}

static void free_session_later(hve_session *s)
{
    GTask *t = g_task_new(NULL, NULL, NULL, NULL);

    g_task_set_task_data(t, s, NULL);
    g_task_run_in_thread(t, free_session_job);
    g_object_unref(t);
}

/* The drained events go back to the allocator off this thread, a batch
 * at a time on a pool thread. Why: a worker allocates them, so glibc
 * gives their memory back to the worker's arena, under that arena's lock;
 * the worker takes the same lock for each event it makes, and at its
 * background priority a worker preempted while holding it kept the UI
 * thread waiting in free() (seen: 204 ms, blocked in hve_event_free
 * during a 256 MiB echo on a loaded machine). A pool thread may wait for
 * that lock instead. Batches of REAP_BATCH events, or what gathered in a
 * second: each hand-over wakes a pool thread, which then takes a CPU
 * from this one for a moment (seen: one hand-over per drain cost the UI
 * thread 27 ms over a 0.4 s echo). One batch in flight at a time. */
#define REAP_BATCH 256
static GPtrArray *reap_batch; /* main thread: events to free */
static gboolean reaping;      /* main thread: a batch is being freed */
static guint reap_timer;      /* main thread: the batch's 1 s flush */

static void reap_job(GTask *task, gpointer src, gpointer data,
                     GCancellable *cancel)
{
    (void)src;
    (void)cancel;
    g_ptr_array_set_size(data, 0); /* hve_event_free on each, here */
    g_task_return_boolean(task, TRUE);
}

static void reap_done(GObject *src, GAsyncResult *res, gpointer user);

/* Hands the batch to a pool thread: when it is full, or (all) whatever
 * it holds. */
static void reap_start(gboolean all)
{
    GTask *t;

    if (reaping || !reap_batch || reap_batch->len == 0 ||
        (!all && reap_batch->len < REAP_BATCH))
        return;
    if (reap_timer) {
        g_source_remove(reap_timer);
        reap_timer = 0;
    }
    t = g_task_new(NULL, NULL, reap_done, NULL);
    g_task_set_task_data(t, reap_batch, (GDestroyNotify)g_ptr_array_unref);
    reap_batch = NULL;
    reaping = TRUE;
    g_task_run_in_thread(t, reap_job);
    g_object_unref(t);
}

/* Main thread: the batch is freed; the next one goes if it is full, or
 * whole if its second passed meanwhile. */
static void reap_done(GObject *src, GAsyncResult *res, gpointer user)
{
    (void)src;
    (void)res;
    (void)user;
    reaping = FALSE;
    reap_start(reap_timer == 0);
}

static gboolean reap_timeout(gpointer data)
{
    (void)data;
    reap_timer = 0;
    reap_start(TRUE);
    return G_SOURCE_REMOVE;
}

static void reap_add(hve_event *ev)
{
    if (!reap_batch)
        reap_batch = g_ptr_array_new_with_free_func(
            (GDestroyNotify)hve_event_free);
    g_ptr_array_add(reap_batch, ev);
    if (!reap_timer)
        reap_timer = g_timeout_add_seconds(1, reap_timeout, NULL);
}

static void lane_destroy(HvgLane *l)
{
    if (l->s)
        hve_session_free(l->s); /* stops, joins: no wake after this */
    g_free(l);
}

/* One slice: up to SLICE events from all sessions (each its share), in
 * the order they happened. TRUE when a session may have more queued. */
static gboolean slice(void)
{
    Item items[SLICE] = {{0}};
    guint n = 0, live = 0;
    gboolean more = FALSE;

    for (guint i = 0; lanes && i < lanes->len; i++)
        if (((HvgLane *)lanes->pdata[i])->s)
            live++;
    for (guint i = 0; live && lanes && i < lanes->len; i++) {
        HvgLane *l = lanes->pdata[i];
        guint share = SLICE / live, got = 0;
        hve_event *ev;
        if (!l->s || l->dead)
            continue;
        while (got < share && (ev = hve_session_next(l->s)) != NULL) {
            items[n].lane = l;
            items[n].ev = ev;
            n++;
            got++;
        }
        if (got == share)
            more = TRUE;
    }
    if (n > 1)
        g_qsort_with_data(items, (gint)n, sizeof items[0], by_time, NULL);
    for (guint i = 0; i < n; i++) {
        HvgLane *l = items[i].lane;
        if (!l->dead) {
            l->fn(l, items[i].ev, l->user);
            if (items[i].ev->kind == HVE_EV_FINISHED && l->s) {
                /* the session's last event: the pump frees it (off this
                   thread: its worker has ended) */
                free_session_later(l->s);
                l->s = NULL;
            }
        }
        reap_add(items[i].ev);
    }
    return more;
}

static gboolean drain(gint fd, GIOCondition cond, gpointer data);

/* Without a pipe (none could be made): the drain as an idle source. */
static gboolean idle_drain(gpointer data)
{
    drain(-1, G_IO_IN, data);
    return G_SOURCE_REMOVE;
}

static void ring(void)
{
    ssize_t n;

    if (wake_fd[1] < 0) {
        g_idle_add_full(G_PRIORITY_DEFAULT_IDLE, idle_drain, NULL, NULL);
        return;
    }
    do
        n = write(wake_fd[1], "", 1);
    while (n < 0 && errno == EINTR);
    /* EAGAIN: the pipe is full of wakes already (never with one byte at a
       time, as 'scheduled' allows) */
}

static gboolean drain(gint fd, GIOCondition cond, gpointer data)
{
    gint64 end = g_get_monotonic_time() + DRAIN_BUDGET_US;
    gboolean more;
    char buf[64];

    (void)cond;
    (void)data;
    /* Empty the pipe, then clear the flag, then pop: a wake after the
       clear writes a new byte (a new drain), a wake before it had its
       events queued already, so no event is left behind. */
    while (fd >= 0 && read(fd, buf, sizeof buf) > 0)
        ;
    g_atomic_int_set(&scheduled, 0);
    draining = TRUE;
    do {
        more = slice();
    } while (more && g_get_monotonic_time() < end);
    draining = FALSE;
    for (guint i = 0; lanes && i < lanes->len;) {
        HvgLane *l = lanes->pdata[i];
        if (l->dead) {
            g_ptr_array_remove_index(lanes, i);
            lane_destroy(l);
        } else {
            i++;
        }
    }
    reap_start(FALSE);
    /* More queued: come back after what the main loop has waiting (a
       frame, input) */
    if (more && g_atomic_int_compare_and_exchange(&scheduled, 0, 1))
        ring();
    return G_SOURCE_CONTINUE;
}

void hvg_pump_wake(void *user)
{
    (void)user;
    if (g_atomic_int_compare_and_exchange(&scheduled, 0, 1))
        ring();
}

/* Main thread, once: the pipe and its watch, at idle priority so that
   drawing and input go first. */
static void wake_pipe_init(void)
{
    GError *e = NULL;

    if (wake_fd[0] != -1)
        return;
    if (!g_unix_open_pipe(wake_fd, FD_CLOEXEC, &e) ||
        !g_unix_set_fd_nonblocking(wake_fd[0], TRUE, &e) ||
        !g_unix_set_fd_nonblocking(wake_fd[1], TRUE, &e)) {
        g_warning("no wake pipe (%s): draining from idle", e->message);
        g_error_free(e);
        if (wake_fd[0] >= 0) {
            close(wake_fd[0]);
            close(wake_fd[1]);
        }
        wake_fd[0] = -2; /* tried */
        wake_fd[1] = -1;
        return;
    }
    g_unix_fd_add_full(G_PRIORITY_DEFAULT_IDLE, wake_fd[0], G_IO_IN, drain,
                       NULL, NULL);
}

HvgLane *hvg_pump_lane_new(HvgLaneFn fn, gpointer user)
{
    HvgLane *l = g_new0(HvgLane, 1);

    wake_pipe_init();
    l->fn = fn;
    l->user = user;
    if (!lanes)
        lanes = g_ptr_array_new();
    g_ptr_array_add(lanes, l);
    return l;
}

void hvg_pump_attach(HvgLane *lane, hve_session *s)
{
    lane->s = s;
    hvg_pump_wake(NULL); /* what it queued before it had a lane */
}

hve_session *hvg_pump_session(HvgLane *lane)
{
    return lane->s;
}

void hvg_pump_lane_free(HvgLane *lane)
{
    if (!lane)
        return;
    if (draining) {
        /* Its events still in this drain's batch are skipped, and it goes
           at the end of the drain; its session stops now. */
        lane->dead = TRUE;
        if (lane->s)
            hve_session_stop(lane->s);
        return;
    }
    g_ptr_array_remove(lanes, lane);
    lane_destroy(lane);
}
