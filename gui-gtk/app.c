/* app.c - the hvecho GtkApplication: registers the compiled resources
 * (window.ui, style.css, the icon), loads the style, adds the app actions
 * (About, Quit) and opens the window.
 *
 * Threads: GTK main thread only. */
#include "app.h"

#include "hvecho/hvecho.h"
#include "hvecho-resources.h"
#include "window.h"

static void about_action(GSimpleAction *a, GVariant *p, gpointer user)
{
    GtkApplication *app = user;
    static const char *const authors[] = {"The hvecho developers", NULL};

    (void)a;
    (void)p;
    gtk_show_about_dialog(
        gtk_application_get_active_window(app), "program-name", "hvecho",
        "version", hve_version(), "logo-icon-name", HVG_APP_ID, "comments",
        hve_ui_text(HVE_UI_ABOUT), "authors", authors, NULL);
}

static void quit_action(GSimpleAction *a, GVariant *p, gpointer user)
{
    GtkApplication *app = user;
    GList *l;

    (void)a;
    (void)p;
    /* Close the windows (so they save their settings), then quit. */
    while ((l = gtk_application_get_windows(app)) != NULL)
        gtk_widget_destroy(GTK_WIDGET(l->data));
    g_application_quit(G_APPLICATION(app));
}

static const GActionEntry app_actions[] = {
    {"about", about_action, NULL, NULL, NULL, {0}},
    {"quit", quit_action, NULL, NULL, NULL, {0}},
};

static void startup_cb(GApplication *gapp, gpointer user)
{
    GtkApplication *app = GTK_APPLICATION(gapp);
    GtkCssProvider *css = gtk_css_provider_new();
    static const char *const quit_accels[] = {"<Primary>q", NULL};
    static const char *const save_accels[] = {"<Primary>s", NULL};
    static const char *const clear_accels[] = {"<Primary>l", NULL};

    (void)user;
    gtk_css_provider_load_from_resource(css,
                                        "/io/github/hvecho/Hvecho/style.css");
    gtk_style_context_add_provider_for_screen(
        gdk_screen_get_default(), GTK_STYLE_PROVIDER(css),
        GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
    g_object_unref(css);
    gtk_window_set_default_icon_name(HVG_APP_ID);
    g_action_map_add_action_entries(G_ACTION_MAP(app), app_actions,
                                    G_N_ELEMENTS(app_actions), app);
    gtk_application_set_accels_for_action(app, "app.quit", quit_accels);
    gtk_application_set_accels_for_action(app, "win.save-log", save_accels);
    gtk_application_set_accels_for_action(app, "win.clear-log",
                                          clear_accels);
}

static void activate_cb(GApplication *gapp, gpointer user)
{
    GtkApplication *app = GTK_APPLICATION(gapp);
    GtkWindow *win = gtk_application_get_active_window(app);

    (void)user;
    if (!win)
        win = GTK_WINDOW(hvg_window_new(app));
    gtk_window_present(win);
}

GtkApplication *hvg_app_new(GApplicationFlags flags)
{
    GtkApplication *app;

    /* Before the application sets its resource base path, so that its
       icons/ folder is added to the icon theme. */
    hvg_register_resource();
    app = gtk_application_new(HVG_APP_ID, flags);
    g_signal_connect(app, "startup", G_CALLBACK(startup_cb), NULL);
    g_signal_connect(app, "activate", G_CALLBACK(activate_cb), NULL);
    return app;
}
