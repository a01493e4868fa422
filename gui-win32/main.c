/* main.c - hvecho-gui.exe's entry point: common controls, the icons, the
 * dialog. Also the hidden helper mode "--register GUID [NAME]" that the
 * dialog's "Register service (admin)" starts elevated (runas): it writes
 * the GuestCommunicationServices key through the core and exits with
 * hvecho's exit code (0 done, 2 bad input, 3 access denied). And
 * "--version", which prints the version where it was started from. UI
 * thread only; the sessions' threads are started by dialog.c. */
#include "gui.h"

#include <commctrl.h>
#include <shellapi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hvecho/register.h"
#include "resource.h"

static int register_helper(int argc, wchar_t **argv)
{
    char text[256], name[256], why[512];
    hve_service svc;
    int err;

    gui_utf8(argv[2], text, sizeof text);
    if (hve_service_parse(text, HVE_PLATFORM_WINDOWS, &svc, why,
                          sizeof why) != 0)
        return HVE_EXIT_USAGE;
    gui_utf8(argc > 3 ? argv[3] : L"hvecho", name, sizeof name);
    err = hve_service_register(&svc, name, why, sizeof why);
    return hve_exit_code(err);
}

/* --version: a GUI program has no console of its own. Print to the
 * standard output it was given (a pipe or a file; so it is under Wine),
 * else to the console of the command prompt that started it, else in a
 * message box. */
static int print_version(void)
{
    char line[160];
    wchar_t wline[160];
    DWORD done;
    HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
    int len = snprintf(line, sizeof line, "hvecho-gui %s\r\n", hve_version());

    if (len < 0 || (size_t)len >= sizeof line)
        return 1;
    if ((out == NULL || out == INVALID_HANDLE_VALUE) &&
        AttachConsole(ATTACH_PARENT_PROCESS))
        out = CreateFileW(L"CONOUT$", GENERIC_WRITE, FILE_SHARE_WRITE, NULL,
                          OPEN_EXISTING, 0, NULL);
    if (out != NULL && out != INVALID_HANDLE_VALUE &&
        WriteFile(out, line, (DWORD)len, &done, NULL))
        return 0;
    MultiByteToWideChar(CP_UTF8, 0, line, -1, wline, 160);
    MessageBoxW(NULL, wline, L"hvecho", MB_OK | MB_ICONINFORMATION);
    return 0;
}

int WINAPI WinMain(HINSTANCE inst, HINSTANCE prev, LPSTR cmdline, int show)
{
    INITCOMMONCONTROLSEX icc;
    gui *g;
    int argc = 0;
    wchar_t **argv = CommandLineToArgvW(GetCommandLineW(), &argc);
    INT_PTR r;

    (void)prev;
    (void)cmdline;
    (void)show;
    if (argv && argc == 2 && (wcscmp(argv[1], L"--version") == 0 ||
                              wcscmp(argv[1], L"-V") == 0)) {
        LocalFree(argv);
        return print_version();
    }
    if (argv && argc >= 3 && wcscmp(argv[1], L"--register") == 0) {
        int code = register_helper(argc, argv);
        LocalFree(argv);
        return code;
    }
    if (argv)
        LocalFree(argv);

    icc.dwSize = sizeof icc;
    icc.dwICC = ICC_LISTVIEW_CLASSES | ICC_UPDOWN_CLASS |
                ICC_STANDARD_CLASSES;
    InitCommonControlsEx(&icc);
    if (!chart_register(inst))
        return 1;

    g = calloc(1, sizeof *g);
    if (!g)
        return 1;
    g->icon_big = (HICON)LoadImageW(
        inst, MAKEINTRESOURCEW(IDI_HVECHO), IMAGE_ICON,
        GetSystemMetrics(SM_CXICON), GetSystemMetrics(SM_CYICON), 0);
    g->icon_small = (HICON)LoadImageW(
        inst, MAKEINTRESOURCEW(IDI_HVECHO), IMAGE_ICON,
        GetSystemMetrics(SM_CXSMICON), GetSystemMetrics(SM_CYSMICON), 0);
    r = DialogBoxParamW(inst, MAKEINTRESOURCEW(IDD_MAIN), NULL, dialog_proc,
                        (LPARAM)g);
    if (g->icon_big)
        DestroyIcon(g->icon_big);
    if (g->icon_small)
        DestroyIcon(g->icon_small);
    free(g);
    return r < 0 ? 1 : 0;
}
