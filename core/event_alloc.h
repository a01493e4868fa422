/* event_alloc.h - private: where events come from (event_alloc.c).
 * Threads: any. */
#ifndef HVECHO_EVENT_ALLOC_H
#define HVECHO_EVENT_ALLOC_H

#include "hvecho/event.h"

/* A zeroed event, from the cache of freed ones when it has one; NULL only
 * when out of memory. hve_event_free gives it back. */
hve_event *hve__event_alloc(void);

#endif
