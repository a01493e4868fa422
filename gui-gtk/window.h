/* window.h - HveWindow, the hvecho main window: server and client modes,
 * the log, the info bar. A composite template (window.ui).
 *
 * Threads: GTK main thread only. Sessions run on their own worker threads
 * (see run.h); nothing here is called from them. */
#ifndef HVE_GTK_WINDOW_H
#define HVE_GTK_WINDOW_H

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HVE_TYPE_WINDOW (hve_window_get_type())
G_DECLARE_FINAL_TYPE(HveWindow, hve_window, HVE, WINDOW,
                     GtkApplicationWindow)

HveWindow *hve_window_new(GtkApplication *app);

G_END_DECLS

#endif
