/* settings.h - what the window remembers between runs, kept in a GKeyFile
 * at g_get_user_config_dir()/hvecho/settings.ini.
 *
 * Threads: GTK main thread only. */
#ifndef HVG_SETTINGS_H
#define HVG_SETTINGS_H

#include <glib.h>

typedef struct HvgSettings {
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
    gboolean forever;      /* Repeat until stopped */
    char *interval;        /* as typed: "", "250ms" */
    gboolean keep_going;
    char *history;         /* hve_history_save text */
    int width, height;
    gboolean maximized;
} HvgSettings;

/* Fills s with the saved values, or the defaults where none are saved. */
void hvg_settings_load(HvgSettings *s);
/* Writes s; returns FALSE (with a g_warning) when it cannot. */
gboolean hvg_settings_save(const HvgSettings *s);
void hvg_settings_clear(HvgSettings *s);
/* The file's path. g_free it. */
char *hvg_settings_path(void);

#endif
