/* app.h - the hvecho GtkApplication: resources, style, app actions (About,
 * Quit) and one window per activation.
 *
 * Threads: GTK main thread only. */
#ifndef HVE_GTK_APP_H
#define HVE_GTK_APP_H

#include <gtk/gtk.h>

#define HVE_APP_ID "io.github.hvecho.Hvecho"

/* flags: G_APPLICATION_NON_UNIQUE for tests (no D-Bus name needed). */
GtkApplication *hve_app_new(GApplicationFlags flags);

#endif
