/* app.h - the hvecho GtkApplication: resources, style, app actions (About,
 * Quit) and one window per activation.
 *
 * Threads: GTK main thread only. */
#ifndef HVG_APP_H
#define HVG_APP_H

#include <gtk/gtk.h>

#define HVG_APP_ID "io.github.hvecho.Hvecho"

/* flags: G_APPLICATION_NON_UNIQUE for tests (no D-Bus name needed). */
GtkApplication *hvg_app_new(GApplicationFlags flags);

#endif
