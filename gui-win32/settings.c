/* settings.c - remembers the dialog's fields between runs under
 * HKCU\Software\hvecho (one REG_SZ per field, one REG_DWORD each for the
 * mode and the target kind). UI thread only. */
#include "gui.h"

#include <commctrl.h>
#include <string.h>

#include "resource.h"

#define SETTINGS_KEY L"Software\\hvecho"

static const struct {
    const wchar_t *name;
    int id;
} text_fields[] = {
    {L"Listen", IDC_LISTEN},         {L"Bye", IDC_BYE},
    {L"Service", IDC_SERVICE},       {L"TargetArg", IDC_TARGET_ARG},
    {L"Message", IDC_MESSAGE},       {L"Timeout", IDC_TIMEOUT},
};

void settings_load(gui *g)
{
    HKEY k;
    size_t i;
    DWORD v, size, type;
    wchar_t buf[GUI_FIELD_MAX];

    if (RegOpenKeyExW(HKEY_CURRENT_USER, SETTINGS_KEY, 0, KEY_QUERY_VALUE,
                      &k) != ERROR_SUCCESS)
        return;
    for (i = 0; i < sizeof text_fields / sizeof text_fields[0]; i++) {
        size = sizeof buf - sizeof(wchar_t);
        if (RegQueryValueExW(k, text_fields[i].name, NULL, &type,
                             (BYTE *)buf, &size) == ERROR_SUCCESS &&
            type == REG_SZ) {
            buf[size / sizeof(wchar_t)] = L'\0';
            SetDlgItemTextW(g->dlg, text_fields[i].id, buf);
        }
    }
    size = sizeof v;
    if (RegQueryValueExW(k, L"Mode", NULL, &type, (BYTE *)&v, &size) ==
            ERROR_SUCCESS &&
        type == REG_DWORD)
        CheckRadioButton(g->dlg, IDC_MODE_SERVER, IDC_MODE_CLIENT,
                         v ? IDC_MODE_CLIENT : IDC_MODE_SERVER);
    size = sizeof v;
    if (RegQueryValueExW(k, L"Target", NULL, &type, (BYTE *)&v, &size) ==
            ERROR_SUCCESS &&
        type == REG_DWORD && v <= TARGET_TCP)
        SendDlgItemMessageW(g->dlg, IDC_TARGET_KIND, CB_SETCURSEL, v, 0);
    RegCloseKey(k);
}

void settings_save(gui *g)
{
    HKEY k;
    size_t i;
    DWORD v;
    wchar_t buf[GUI_FIELD_MAX];

    if (RegCreateKeyExW(HKEY_CURRENT_USER, SETTINGS_KEY, 0, NULL, 0,
                        KEY_SET_VALUE, NULL, &k, NULL) != ERROR_SUCCESS)
        return;
    for (i = 0; i < sizeof text_fields / sizeof text_fields[0]; i++) {
        GetDlgItemTextW(g->dlg, text_fields[i].id, buf, GUI_FIELD_MAX);
        RegSetValueExW(k, text_fields[i].name, 0, REG_SZ, (const BYTE *)buf,
                       (DWORD)((wcslen(buf) + 1) * sizeof(wchar_t)));
    }
    v = IsDlgButtonChecked(g->dlg, IDC_MODE_CLIENT) == BST_CHECKED;
    RegSetValueExW(k, L"Mode", 0, REG_DWORD, (const BYTE *)&v, sizeof v);
    v = (DWORD)SendDlgItemMessageW(g->dlg, IDC_TARGET_KIND, CB_GETCURSEL, 0,
                                   0);
    RegSetValueExW(k, L"Target", 0, REG_DWORD, (const BYTE *)&v, sizeof v);
    RegCloseKey(k);
}
