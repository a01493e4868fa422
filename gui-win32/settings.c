/* settings.c - remembers the dialog's fields between runs under
 * HKCU\Software\hvecho (one REG_SZ per field, REG_DWORDs for the mode,
 * the listen and target kinds and the check boxes, and the history of
 * targets and listen addresses as the core writes it). UI thread only. */
#include "gui.h"

#include <commctrl.h>
#include <stdlib.h>
#include <string.h>

#include "resource.h"

#define SETTINGS_KEY L"Software\\hvecho"
/* A settings key, not a data file: longer messages are not kept. */
#define MESSAGE_KEEP 65536

static const struct {
    const wchar_t *name;
    int id;
} text_fields[] = {
    {L"ListenArg", IDC_LISTEN}, {L"Bye", IDC_BYE},
    {L"Service", IDC_SERVICE},  {L"TargetArg", IDC_TARGET_ARG},
    {L"Message", IDC_MESSAGE},  {L"Timeout", IDC_TIMEOUT},
    {L"Repeat", IDC_REPEAT},    {L"Fill", IDC_FILL},
    {L"Interval", IDC_INTERVAL},
};

static const struct {
    const wchar_t *name;
    int id;
} checks[] = {
    {L"Decode", IDC_DECODE},
    {L"UntilStopped", IDC_UNTIL_STOPPED},
    {L"ContinueOnError", IDC_KEEP_GOING},
};

static const struct {
    const wchar_t *name;
    int combo;
    DWORD count;
} combos[] = {
    {L"ListenKind", IDC_LISTEN_KIND, LISTEN_KINDS},
    {L"Target", IDC_TARGET_KIND, TARGET_KINDS},
};

static bool get_dword(HKEY k, const wchar_t *name, DWORD *v)
{
    DWORD size = sizeof *v, type;
    return RegQueryValueExW(k, name, NULL, &type, (BYTE *)v, &size) ==
               ERROR_SUCCESS &&
           type == REG_DWORD;
}

void settings_load(gui *g)
{
    HKEY k;
    size_t i;
    DWORD v, size, type;
    wchar_t *buf;

    if (RegOpenKeyExW(HKEY_CURRENT_USER, SETTINGS_KEY, 0, KEY_QUERY_VALUE,
                      &k) != ERROR_SUCCESS)
        return;
    buf = malloc((MESSAGE_KEEP + 1) * sizeof *buf);
    for (i = 0; buf && i < sizeof text_fields / sizeof text_fields[0]; i++) {
        size = MESSAGE_KEEP * sizeof *buf;
        if (RegQueryValueExW(k, text_fields[i].name, NULL, &type,
                             (BYTE *)buf, &size) == ERROR_SUCCESS &&
            type == REG_SZ) {
            buf[size / sizeof(wchar_t)] = L'\0';
            SetDlgItemTextW(g->dlg, text_fields[i].id, buf);
        }
    }
    free(buf);
    if (get_dword(k, L"Mode", &v))
        CheckRadioButton(g->dlg, IDC_MODE_SERVER, IDC_MODE_CLIENT,
                         v ? IDC_MODE_CLIENT : IDC_MODE_SERVER);
    for (i = 0; i < sizeof combos / sizeof combos[0]; i++)
        if (get_dword(k, combos[i].name, &v) && v < combos[i].count)
            SendDlgItemMessageW(g->dlg, combos[i].combo, CB_SETCURSEL, v, 0);
    for (i = 0; i < sizeof checks / sizeof checks[0]; i++)
        if (get_dword(k, checks[i].name, &v))
            CheckDlgButton(g->dlg, checks[i].id,
                           v ? BST_CHECKED : BST_UNCHECKED);
    /* The history: the core's text (history.h), as UTF-16. */
    size = 0;
    if (g->history &&
        RegQueryValueExW(k, L"History", NULL, &type, NULL, &size) ==
            ERROR_SUCCESS &&
        type == REG_SZ && size > 0) {
        wchar_t *w = malloc(size + sizeof(wchar_t));
        if (w && RegQueryValueExW(k, L"History", NULL, &type, (BYTE *)w,
                                  &size) == ERROR_SUCCESS) {
            char *text;
            w[size / sizeof(wchar_t)] = L'\0';
            text = gui_utf8_alloc(w);
            if (text)
                hve_history_load(g->history, text);
            free(text);
        }
        free(w);
    }
    RegCloseKey(k);
}

void settings_save(gui *g)
{
    HKEY k;
    size_t i;
    DWORD v;
    wchar_t *buf = malloc((MESSAGE_KEEP + 1) * sizeof *buf);

    if (!buf)
        return;
    if (RegCreateKeyExW(HKEY_CURRENT_USER, SETTINGS_KEY, 0, NULL, 0,
                        KEY_SET_VALUE, NULL, &k, NULL) != ERROR_SUCCESS) {
        free(buf);
        return;
    }
    for (i = 0; i < sizeof text_fields / sizeof text_fields[0]; i++) {
        GetDlgItemTextW(g->dlg, text_fields[i].id, buf, MESSAGE_KEEP + 1);
        RegSetValueExW(k, text_fields[i].name, 0, REG_SZ, (const BYTE *)buf,
                       (DWORD)((wcslen(buf) + 1) * sizeof(wchar_t)));
    }
    v = IsDlgButtonChecked(g->dlg, IDC_MODE_CLIENT) == BST_CHECKED;
    RegSetValueExW(k, L"Mode", 0, REG_DWORD, (const BYTE *)&v, sizeof v);
    for (i = 0; i < sizeof combos / sizeof combos[0]; i++) {
        v = (DWORD)SendDlgItemMessageW(g->dlg, combos[i].combo, CB_GETCURSEL,
                                       0, 0);
        RegSetValueExW(k, combos[i].name, 0, REG_DWORD, (const BYTE *)&v,
                       sizeof v);
    }
    for (i = 0; i < sizeof checks / sizeof checks[0]; i++) {
        v = IsDlgButtonChecked(g->dlg, checks[i].id) == BST_CHECKED;
        RegSetValueExW(k, checks[i].name, 0, REG_DWORD, (const BYTE *)&v,
                       sizeof v);
    }
    if (g->history) {
        char *text = hve_history_save(g->history);
        wchar_t *w = text ? gui_wide(text) : NULL;
        if (w)
            RegSetValueExW(k, L"History", 0, REG_SZ, (const BYTE *)w,
                           (DWORD)((wcslen(w) + 1) * sizeof(wchar_t)));
        free(w);
        free(text);
    }
    RegCloseKey(k);
    free(buf);
}
