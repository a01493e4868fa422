/* window.h - HvgWindow, the hvecho main window: server and client modes,
 * the log, the info bar. A composite template (window.ui).
 *
 * Threads: GTK main thread only. Sessions run on their own worker threads
 * (see run.h); nothing here is called from them. */
#ifndef HVG_WINDOW_H
#define HVG_WINDOW_H

#include <gtk/gtk.h>

#include "hvecho/hvecho.h"

G_BEGIN_DECLS

#define HVG_TYPE_WINDOW (hvg_window_get_type())
G_DECLARE_FINAL_TYPE(HvgWindow, hvg_window, HVG, WINDOW,
                     GtkApplicationWindow)

HvgWindow *hvg_window_new(GtkApplication *app);
/* The figures of the current (or last) client run: what the chart draws
 * and the live line says. */
const hve_stats *hvg_window_run_stats(HvgWindow *win);

G_END_DECLS

#endif
