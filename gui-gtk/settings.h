/* settings.h - what the window remembers between runs, kept in a GKeyFile
 * at g_get_user_config_dir()/hvecho/settings.ini.
 *
 * Threads: GTK main thread only. */
#ifndef HVE_GTK_SETTINGS_H
#define HVE_GTK_SETTINGS_H

#include <glib.h>

typedef struct HveSettings {
    char *mode;            /* "server" or "client" */
    char *listen_kind;     /* "wildcard", "loopback", "tcp", "unix" */
    char *listen_value;
    char *server_service;
    char *bye;
    char *target_kind;     /* "loopback", "parent", "guid", "cid", "tcp",
                              "unix" */
    char *target_value;
    char *client_service;
    char *message;
    int timeout_s;
    int repeat;
    int width, height;
    gboolean maximized;
} HveSettings;

/* Fills s with the saved values, or the defaults where none are saved. */
void hve_settings_load(HveSettings *s);
/* Writes s; returns FALSE (with a g_warning) when it cannot. */
gboolean hve_settings_save(const HveSettings *s);
void hve_settings_clear(HveSettings *s);
/* The file's path. g_free it. */
char *hve_settings_path(void);

#endif
