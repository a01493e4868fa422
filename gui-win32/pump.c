/* pump.c - session events to the UI thread, in one shape: wake only
 * schedules, drain takes a bounded batch, FINISHED frees the session.
 *
 * Threads: pump_wake() is called FROM A SESSION'S WORKER THREAD and only
 * posts WM_APP_SESSION (at most one in the queue at a time). Everything
 * else runs on the UI thread, in the dialog procedure.
 *
 * The server's and the client's events are shown in the order they
 * happened (mono_us): each side's queue is already in order, so the
 * drain merges the heads of the two. A side whose queue is empty now
 * holds nothing back; a side still holding events waits for the other
 * only while the other may have earlier ones queued. */
#include "gui.h"

#include "resource.h"

/* Events shown per WM_APP_SESSION, so a flood cannot freeze the UI; and
 * a drain stops past DRAIN_BUDGET_US (a quarter of a 60 Hz frame) with
 * fewer, so painting and input go on between drains whatever one event
 * costs to show. */
#define DRAIN_BATCH 256
#define DRAIN_BUDGET_US 4000

void pump_wake(void *user)
{
    gui *g = user;
    if (InterlockedExchange(&g->wake_pending, 1) == 0)
        PostMessageW(g->dlg, WM_APP_SESSION, 0, 0);
}

static hve_session **session_of(gui *g, int side)
{
    return side == SIDE_SERVER ? &g->server : &g->client;
}

/* Tops up a side's hold from its session; true when the session's queue
 * is empty now (or there is no session). */
static bool top_up(gui *g, int side)
{
    hve_session *s = *session_of(g, side);
    size_t cap = sizeof g->hold[side] / sizeof g->hold[side][0];
    hve_event *ev;

    if (g->hold_at[side] == g->hold_n[side])
        g->hold_at[side] = g->hold_n[side] = 0;
    if (!s)
        return true;
    while (g->hold_n[side] < cap) {
        ev = hve_session_next(s);
        if (!ev)
            return true;
        g->hold[side][g->hold_n[side]++] = ev;
        if (ev->kind == HVE_EV_FINISHED)
            return true; /* nothing follows it */
    }
    return false;
}

static size_t held(gui *g, int side)
{
    return g->hold_n[side] - g->hold_at[side];
}

/* Shows one held event of a side; frees the session after FINISHED. */
static void show_next(gui *g, int side)
{
    hve_event *ev = g->hold[side][g->hold_at[side]++];
    bool finished = ev->kind == HVE_EV_FINISHED;

    dialog_on_event(g, side, ev);
    log_event(g, ev); /* takes ev */
    if (finished) {
        hve_session **s = session_of(g, side);
        /* Its worker has ended: the join is immediate. */
        hve_session_free(*s);
        *s = NULL;
        pump_forget(g, side);
        dialog_session_done(g, side);
    }
}

void pump_drain(gui *g)
{
    bool empty[2];
    int shown = 0;
    int64_t end = hve_monotonic_us() + DRAIN_BUDGET_US;

    /* Cleared before taking: a wake after this posts a new drain, so no
     * event is ever left behind. */
    InterlockedExchange(&g->wake_pending, 0);
    empty[SIDE_SERVER] = top_up(g, SIDE_SERVER);
    empty[SIDE_CLIENT] = top_up(g, SIDE_CLIENT);
    while (shown < DRAIN_BATCH && (shown == 0 || hve_monotonic_us() < end)) {
        size_t hs = held(g, SIDE_SERVER), hc = held(g, SIDE_CLIENT);
        int side;
        if (hs && hc)
            side = g->hold[SIDE_SERVER][g->hold_at[SIDE_SERVER]]->mono_us <=
                           g->hold[SIDE_CLIENT][g->hold_at[SIDE_CLIENT]]
                               ->mono_us
                       ? SIDE_SERVER
                       : SIDE_CLIENT;
        else if (hs && empty[SIDE_CLIENT])
            side = SIDE_SERVER;
        else if (hc && empty[SIDE_SERVER])
            side = SIDE_CLIENT;
        else
            break;
        show_next(g, side);
        shown++;
    }
    log_flush(g);
    if (held(g, SIDE_SERVER) || held(g, SIDE_CLIENT) ||
        !empty[SIDE_SERVER] || !empty[SIDE_CLIENT])
        pump_wake(g); /* more waits: come back after other messages */
}

void pump_forget(gui *g, int side)
{
    while (g->hold_at[side] < g->hold_n[side])
        hve_event_free(g->hold[side][g->hold_at[side]++]);
    g->hold_at[side] = g->hold_n[side] = 0;
}
