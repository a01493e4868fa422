/* pump.c - the command line's pump (pump.h): a bell the workers ring, a
 * drain that shows a bounded batch in the order things happened, and
 * sessions freed by their FINISHED. Main thread; hve_bell_ring runs on
 * the workers. */
#include "pump.h"

#include <stdlib.h>
#include <string.h>

int pump_init(pump *p, size_t cap, pump_show_fn show, void *user)
{
    memset(p, 0, sizeof *p);
    p->show = show;
    p->user = user;
    p->cap = cap ? cap : 1;
    p->s = calloc(p->cap, sizeof *p->s);
    p->bell = hve_bell_new();
    if (p->s && p->bell)
        return 0;
    pump_free(p);
    return HVE_ENOMEM;
}

void pump_free(pump *p)
{
    for (size_t i = 0; p->s && i < p->cap; i++)
        hve_session_free(p->s[i]);
    free(p->s);
    p->s = NULL;
    p->cap = 0;
    hve_bell_free(p->bell);
    p->bell = NULL;
}

static hve_session **free_slot(pump *p)
{
    for (size_t i = 0; i < p->cap; i++)
        if (!p->s[i])
            return &p->s[i];
    return NULL;
}

hve_session *pump_client(pump *p, const hve_client_opts *o, int *err)
{
    hve_session **slot = free_slot(p);
    if (!slot) {
        if (o->message_free) /* taken in every case, as by the core */
            o->message_free((void *)o->message);
        *err = HVE_ELIMIT;
        return NULL;
    }
    *slot = hve_session_start_client(o, hve_bell_ring, p->bell, err);
    return *slot;
}

hve_session *pump_server(pump *p, const hve_server_opts *o, int *err)
{
    hve_session **slot = free_slot(p);
    if (!slot) {
        *err = HVE_ELIMIT;
        return NULL;
    }
    *slot = hve_session_start_server(o, hve_bell_ring, p->bell, err);
    return *slot;
}

size_t pump_drain(pump *p, int ms)
{
    if (!p->more)
        hve_bell_wait(p->bell, ms);
    hve_event *batch[PUMP_BATCH];
    size_t from[PUMP_BATCH];
    size_t n = hve_sessions_next(p->s, p->cap, batch, from, PUMP_BATCH);
    p->more = n == PUMP_BATCH;
    for (size_t i = 0; i < n; i++) {
        hve_session **s = &p->s[from[i]];
        p->show(p->user, *s, batch[i]);
        if (batch[i]->kind == HVE_EV_FINISHED) {
            hve_session_free(*s);
            *s = NULL;
        }
        hve_event_free(batch[i]);
    }
    size_t running = 0;
    for (size_t i = 0; i < p->cap; i++)
        running += p->s[i] != NULL;
    return running;
}

void pump_stop(pump *p)
{
    for (size_t i = 0; i < p->cap; i++)
        if (p->s[i])
            hve_session_stop(p->s[i]);
}
