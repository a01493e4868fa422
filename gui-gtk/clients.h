/* clients.h - the server's connected clients as a list: peer, bytes in
 * and out, age. It asks the server's session for a snapshot every half
 * second while the server runs (and at once when a client comes or goes)
 * and shows the last one.
 *
 * Threads: GTK main thread only. The snapshot is made by the session's
 * worker and copied out under the session's lock (session.h). */
#ifndef HVG_CLIENTS_H
#define HVG_CLIENTS_H

#include <gtk/gtk.h>

#include "run.h"

typedef struct HvgClients HvgClients;

/* Fills view with the columns; status says how many are connected. */
HvgClients *hvg_clients_new(GtkTreeView *view, GtkLabel *status);
void hvg_clients_free(HvgClients *c);
/* Follow this server run (NULL: the server stopped; the list empties). */
void hvg_clients_follow(HvgClients *c, HvgRun *server);
/* A client came or went: ask for a fresh snapshot now. */
void hvg_clients_poke(HvgClients *c);

#endif
