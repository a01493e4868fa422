/* settings.c - load and save the window's settings as a GKeyFile.
 *
 * Threads: GTK main thread only. */
#include "settings.h"

#include <errno.h>

#include <glib/gstdio.h>

#include "hvecho/hvecho.h"

#define GROUP "window"

char *hvg_settings_path(void)
{
    return g_build_filename(g_get_user_config_dir(), "hvecho", "settings.ini",
                            NULL);
}

static char *get_str(GKeyFile *kf, const char *key, const char *def)
{
    char *v = kf ? g_key_file_get_string(kf, GROUP, key, NULL) : NULL;

    return v ? v : g_strdup(def);
}

static int get_int(GKeyFile *kf, const char *key, int def, int lo, int hi)
{
    GError *e = NULL;
    int v;

    if (!kf)
        return def;
    v = g_key_file_get_integer(kf, GROUP, key, &e);
    if (e) {
        g_error_free(e);
        return def;
    }
    return v < lo || v > hi ? def : v;
}

void hvg_settings_load(HvgSettings *s)
{
    GKeyFile *kf = g_key_file_new();
    char *path = hvg_settings_path();
    char def_service[HVE_GUID_STRLEN];
    hve_service svc;

    /* The core's default service, the same on every side. */
    hve_service_default(&svc);
    hve_guid_format(&svc.guid, def_service);
    if (!g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, NULL)) {
        g_key_file_free(kf);
        kf = NULL;
    }
    s->mode = get_str(kf, "mode", "client");
    s->listen_kind = get_str(kf, "listen-kind", "wildcard");
    s->listen_value = get_str(kf, "listen-value", "");
    s->server_service = get_str(kf, "server-service", def_service);
    s->bye = get_str(kf, "bye", HVE_DEFAULT_BYE);
    s->target_kind = get_str(kf, "target-kind", "loopback");
    s->target_value = get_str(kf, "target-value", "");
    s->client_service = get_str(kf, "client-service", def_service);
    /* the defaults the Win32 dialog starts with too (defaults.h) */
    s->message = get_str(kf, "message", HVE_DEFAULT_MESSAGE);
    s->timeout_s = get_int(kf, "timeout", HVE_DEFAULT_TIMEOUT_MS / 1000, 1,
                           300);
    s->repeat = get_int(kf, "repeat", 1, 1, 100000);
    s->forever = get_int(kf, "until-stopped", 0, 0, 1);
    s->interval = get_str(kf, "interval", "");
    s->keep_going = get_int(kf, "keep-going", 0, 0, 1);
    s->history = get_str(kf, "history", "");
    s->width = get_int(kf, "width", 1180, 300, 10000);
    s->height = get_int(kf, "height", 780, 300, 10000);
    s->maximized = get_int(kf, "maximized", 0, 0, 1);
    if (kf)
        g_key_file_free(kf);
    g_free(path);
}

gboolean hvg_settings_save(const HvgSettings *s)
{
    GKeyFile *kf = g_key_file_new();
    char *path = hvg_settings_path();
    char *dir = g_path_get_dirname(path);
    GError *e = NULL;
    gboolean ok;

    g_key_file_set_string(kf, GROUP, "mode", s->mode);
    g_key_file_set_string(kf, GROUP, "listen-kind", s->listen_kind);
    g_key_file_set_string(kf, GROUP, "listen-value", s->listen_value);
    g_key_file_set_string(kf, GROUP, "server-service", s->server_service);
    g_key_file_set_string(kf, GROUP, "bye", s->bye);
    g_key_file_set_string(kf, GROUP, "target-kind", s->target_kind);
    g_key_file_set_string(kf, GROUP, "target-value", s->target_value);
    g_key_file_set_string(kf, GROUP, "client-service", s->client_service);
    g_key_file_set_string(kf, GROUP, "message", s->message);
    g_key_file_set_integer(kf, GROUP, "timeout", s->timeout_s);
    g_key_file_set_integer(kf, GROUP, "repeat", s->repeat);
    g_key_file_set_integer(kf, GROUP, "until-stopped", s->forever ? 1 : 0);
    g_key_file_set_string(kf, GROUP, "interval",
                          s->interval ? s->interval : "");
    g_key_file_set_integer(kf, GROUP, "keep-going", s->keep_going ? 1 : 0);
    g_key_file_set_string(kf, GROUP, "history", s->history ? s->history : "");
    g_key_file_set_integer(kf, GROUP, "width", s->width);
    g_key_file_set_integer(kf, GROUP, "height", s->height);
    g_key_file_set_integer(kf, GROUP, "maximized", s->maximized ? 1 : 0);
    ok = g_mkdir_with_parents(dir, 0700) == 0 &&
         g_key_file_save_to_file(kf, path, &e);
    if (!ok) {
        g_warning("cannot save settings to %s: %s", path,
                  e ? e->message : g_strerror(errno));
        g_clear_error(&e);
    }
    g_key_file_free(kf);
    g_free(dir);
    g_free(path);
    return ok;
}

void hvg_settings_clear(HvgSettings *s)
{
    g_free(s->mode);
    g_free(s->listen_kind);
    g_free(s->listen_value);
    g_free(s->server_service);
    g_free(s->bye);
    g_free(s->target_kind);
    g_free(s->target_value);
    g_free(s->client_service);
    g_free(s->message);
    g_free(s->interval);
    g_free(s->history);
    *s = (HvgSettings){0};
}
