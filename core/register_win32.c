/* register_win32.c - register.h on Windows: writes, removes and reads
 * HKLM\...\GuestCommunicationServices\<GUID> (ElementName). Always the
 * 64-bit registry view, which is where Hyper-V looks.
 *
 * Threads: any; each call opens and closes its own key. */
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>

#include <stdio.h>
#include <wchar.h>

#include "hvecho/error.h"
#include "hvecho/register.h"

#define GCS_PATH                                                        \
    L"SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Virtualization" \
    L"\\GuestCommunicationServices"

bool hve_register_supported(void)
{
    return true;
}

static void key_path(const hve_service *svc, wchar_t *out, size_t len)
{
    char g[HVE_GUID_STRLEN];
    size_t n = wcslen(GCS_PATH);
    /* len is always big enough: the path plus a GUID is 124 chars. */
    wcscpy_s(out, len, GCS_PATH L"\\");
    hve_guid_format(&svc->guid, g);
    MultiByteToWideChar(CP_ACP, 0, g, -1, out + n + 1, (int)(len - n - 1));
}

/* A registry status as an hvecho error, with the words for why. */
static int reg_failed(LSTATUS st, const char *what, const hve_service *svc,
                      char *why, size_t whylen)
{
    char g[HVE_GUID_STRLEN];
    hve_guid_format(&svc->guid, g);
    if (st == ERROR_ACCESS_DENIED) {
        snprintf(why, whylen,
                 "cannot %s %s\\%s: access denied (not running as "
                 "administrator: run it from an elevated prompt)",
                 what, HVE_GCS_KEY, g);
        return HVE_EACCES;
    }
    snprintf(why, whylen, "cannot %s %s\\%s: Windows error %ld", what,
             HVE_GCS_KEY, g, (long)st);
    return HVE_ESYS;
}

int hve_service_register(const hve_service *svc, const char *name,
                         char *why, size_t whylen)
{
    wchar_t path[256], wname[256];
    char g[HVE_GUID_STRLEN];
    HKEY k;
    LSTATUS st;

    if (!name || !*name)
        name = "hvecho";
    if (MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, name, -1, wname,
                            256) <= 0) {
        snprintf(why, whylen, "the name is not valid UTF-8 or longer than "
                              "255 characters");
        return HVE_EBADINPUT;
    }
    key_path(svc, path, sizeof path / sizeof path[0]);
    st = RegCreateKeyExW(HKEY_LOCAL_MACHINE, path, 0, NULL, 0,
                         KEY_SET_VALUE | KEY_WOW64_64KEY, NULL, &k, NULL);
    if (st != ERROR_SUCCESS)
        return reg_failed(st, "create", svc, why, whylen);
    st = RegSetValueExW(k, L"ElementName", 0, REG_SZ, (const BYTE *)wname,
                        (DWORD)((wcslen(wname) + 1) * sizeof(wchar_t)));
    RegCloseKey(k);
    if (st != ERROR_SUCCESS)
        return reg_failed(st, "write ElementName under", svc, why, whylen);
    snprintf(why, whylen, "registered %s\\%s (ElementName \"%s\")",
             HVE_GCS_KEY, hve_guid_format(&svc->guid, g), name);
    return 0;
}

int hve_service_unregister(const hve_service *svc, bool *was_there,
                           char *why, size_t whylen)
{
    wchar_t path[256];
    char g[HVE_GUID_STRLEN];
    LSTATUS st;

    if (was_there)
        *was_there = false;
    key_path(svc, path, sizeof path / sizeof path[0]);
    hve_guid_format(&svc->guid, g);
    st = RegDeleteKeyExW(HKEY_LOCAL_MACHINE, path, KEY_WOW64_64KEY, 0);
    if (st == ERROR_FILE_NOT_FOUND) {
        snprintf(why, whylen, "%s\\%s was not registered", HVE_GCS_KEY, g);
        return 0;
    }
    if (st != ERROR_SUCCESS)
        return reg_failed(st, "remove", svc, why, whylen);
    if (was_there)
        *was_there = true;
    snprintf(why, whylen, "removed %s\\%s", HVE_GCS_KEY, g);
    return 0;
}

bool hve_service_registered(const hve_service *svc, char *name,
                            size_t namelen)
{
    wchar_t path[256], wname[256];
    DWORD type = 0, size = sizeof wname - sizeof(wchar_t);
    HKEY k;
    LSTATUS st;

    if (name && namelen)
        name[0] = '\0';
    key_path(svc, path, sizeof path / sizeof path[0]);
    st = RegOpenKeyExW(HKEY_LOCAL_MACHINE, path, 0,
                       KEY_QUERY_VALUE | KEY_WOW64_64KEY, &k);
    if (st != ERROR_SUCCESS)
        return false;
    st = RegQueryValueExW(k, L"ElementName", NULL, &type, (BYTE *)wname,
                          &size);
    RegCloseKey(k);
    if (st == ERROR_SUCCESS && type == REG_SZ && name && namelen) {
        wname[size / sizeof(wchar_t)] = L'\0';
        if (WideCharToMultiByte(CP_UTF8, 0, wname, -1, name, (int)namelen,
                                NULL, NULL) <= 0)
            name[0] = '\0';
    }
    return true;
}
