/* main.c - hvecho-gtk: the GTK 3 window of hvecho.
 *
 * Threads: the GTK main thread; sessions start their own workers. */
#include "app.h"

int main(int argc, char **argv)
{
    GtkApplication *app = hvg_app_new(G_APPLICATION_DEFAULT_FLAGS);
    int rc = g_application_run(G_APPLICATION(app), argc, argv);

    g_object_unref(app);
    return rc;
}
