/* pump.h - the command line's pump between the core's sessions and the
 * terminal, with the contract every front end's pump has: wake (on a
 * worker thread) only schedules, here by ringing a bell; drain (on the
 * main thread) takes a bounded batch of events, oldest first across all
 * its sessions, and shows them; a session's FINISHED event frees it.
 * Main thread, except the bell, which the workers ring. */
#ifndef HVECHO_CLI_PUMP_H
#define HVECHO_CLI_PUMP_H

#include "hvecho/hvecho.h"

#define PUMP_BATCH 256 /* events shown per drain */

/* Shows one event (main thread). The pump frees ev afterwards, and for a
 * FINISHED event frees its session too: do not keep either. */
typedef void (*pump_show_fn)(void *user, hve_session *s,
                             const hve_event *ev);

typedef struct pump {
    hve_bell *bell;
    hve_session **s; /* cap slots, NULL when free */
    size_t cap;
    pump_show_fn show;
    void *user;
    bool more; /* the last drain left events queued */
} pump;

/* A pump for up to cap sessions at once (run: 1; doctor: a server and a
 * client; probe: one per target). 0, or HVE_ENOMEM. */
int pump_init(pump *p, size_t cap, pump_show_fn show, void *user);
/* Stops and frees the sessions still running (their last events are not
 * shown), then the bell. */
void pump_free(pump *p);

/* Start a session whose events this pump shows. NULL with *err set on
 * failure (bad options, out of memory, cap sessions running). A
 * client's message with message_free set is taken also on failure. */
hve_session *pump_client(pump *p, const hve_client_opts *o, int *err);
hve_session *pump_server(pump *p, const hve_server_opts *o, int *err);

/* Waits up to ms for a worker's wake (not at all when events are left
 * from the last batch), then shows at most PUMP_BATCH events. Returns the
 * number of sessions still running. */
size_t pump_drain(pump *p, int ms);
/* Asks every running session to stop (each still ends with FINISHED). */
void pump_stop(pump *p);

#endif
