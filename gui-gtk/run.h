/* run.h - one core session (a server, or a client run) as the window
 * starts and stops it.
 *
 * Threads: every function here is called on the GTK main thread only.
 * Events reach the HvgRunEventFn on the GTK thread through the pump
 * (pump.h: wake only schedules, drain takes a bounded batch in the order
 * things happened, FINISHED frees the session). A client's message is
 * prepared and its session started on a GTask thread. */
#ifndef HVG_RUN_H
#define HVG_RUN_H

#include <gio/gio.h>

#include "hvecho/hvecho.h"

typedef struct HvgRun HvgRun;

/* Called on the GTK thread for each event, in order. It may call
 * hvg_run_free(run) (for example on HVE_EV_FINISHED); nothing more is
 * delivered after that. */
typedef void (*HvgRunEventFn)(HvgRun *run, const hve_event *ev,
                              gpointer user);

HvgRun *hvg_run_start_server(const hve_server_opts *o, HvgRunEventFn fn,
                             gpointer user, int *err);

/* Starts a client run whose message is text (len bytes) repeated up to
 * fill bytes (fill <= len: text as it is). Takes text (g_free). Building
 * the message and starting the session (which copies it) happen on a
 * GTask thread, so even a 256 MiB message never stalls the main loop;
 * until then the run is "preparing". Failures arrive as a FINISHED event
 * like any other result. o->message is ignored. */
HvgRun *hvg_run_start_client(const hve_client_opts *o, guint8 *text,
                             size_t len, guint64 fill, HvgRunEventFn fn,
                             gpointer user);

/* Ask the worker to stop; returns at once. FINISHED follows. */
void hvg_run_stop(HvgRun *run);
/* Connections open now (server runs). */
unsigned hvg_run_conn_count(HvgRun *run);
/* Server runs: the connected clients (see hve_session_clients): the
 * last snapshot, and ask for the next. 0 / nothing before the session
 * exists. */
size_t hvg_run_clients(HvgRun *run, hve_client_info *out, size_t max,
                       unsigned *total, int64_t *t_us);
void hvg_run_clients_request(HvgRun *run);
/* Wall-clock time (g_get_real_time) when the run started: event times
 * are relative to it. */
gint64 hvg_run_start_wall(HvgRun *run);
/* Stops the session if needed, joins its worker, and releases the run.
 * No callback is made after it returns. */
void hvg_run_free(HvgRun *run);

#endif
