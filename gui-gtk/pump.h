/* pump.h - the one bridge from core sessions to the GTK main loop.
 *
 * The contract (the same shape in every front end):
 *   - wake (hvg_pump_wake, the hve_wake_fn of every session) runs on a
 *     session's worker thread and only schedules a drain on the main
 *     loop (a byte in the wake pipe the main loop watches, at most one
 *     pending); it touches nothing else, and takes no lock the main
 *     loop takes;
 *   - drain runs on the GTK main thread and takes bounded batches
 *     (slices of 128 events from all sessions, for at most 4 ms), delivers
 *     each in the order the events happened (mono_us) to each lane's
 *     callback, and schedules itself again when more may be queued;
 *   - after a session's FINISHED is delivered, the pump frees the session.
 *
 * A lane is one session as the window sees it. It may exist before its
 * session does (a client's message is prepared on another thread):
 * events queued meanwhile are drained once hvg_pump_attach gives it the
 * session.
 *
 * Threads: hvg_pump_wake on any thread; everything else on the GTK main
 * thread only. */
#ifndef HVG_PUMP_H
#define HVG_PUMP_H

#include <gio/gio.h>

#include "hvecho/hvecho.h"


typedef struct HvgLane HvgLane;

/* Called on the GTK thread for each event, in order. It may free its
 * lane (hvg_pump_lane_free); nothing more is delivered to it after. */
typedef void (*HvgLaneFn)(HvgLane *lane, const hve_event *ev,
                          gpointer user);

HvgLane *hvg_pump_lane_new(HvgLaneFn fn, gpointer user);
/* The lane's session from now on (and a drain for what it queued). */
void hvg_pump_attach(HvgLane *lane, hve_session *s);
/* The lane's session, or NULL (not attached yet, or FINISHED freed it). */
hve_session *hvg_pump_session(HvgLane *lane);
/* Stops and frees the session if the lane still has one (joining its
 * worker), and the lane. No callback after it returns. */
void hvg_pump_lane_free(HvgLane *lane);

/* The hve_wake_fn for sessions (user is not used). Any thread. */
void hvg_pump_wake(void *user);

#endif
