/* util.c - small helpers of hvecho-gui.exe: UTF-8 <-> UTF-16 (the core
 * speaks UTF-8, the controls UTF-16), control text, the clipboard.
 * UI thread only. */
#include "gui.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

wchar_t *gui_wide(const char *utf8)
{
    int n = MultiByteToWideChar(CP_UTF8, 0, utf8, -1, NULL, 0);
    wchar_t *w;
    if (n <= 0)
        n = 1;
    w = malloc((size_t)n * sizeof *w);
    if (!w)
        return NULL;
    if (MultiByteToWideChar(CP_UTF8, 0, utf8, -1, w, n) <= 0)
        w[0] = L'\0';
    return w;
}

char *gui_utf8(const wchar_t *w, char *buf, size_t len)
{
    if (len == 0)
        return buf;
    if (WideCharToMultiByte(CP_UTF8, 0, w, -1, buf, (int)len, NULL, NULL) <=
        0) {
        /* Too long: keep what fits. */
        int n = WideCharToMultiByte(CP_UTF8, 0, w, -1, NULL, 0, NULL, NULL);
        buf[0] = '\0';
        if (n > 0) {
            char *tmp = malloc((size_t)n);
            if (tmp) {
                WideCharToMultiByte(CP_UTF8, 0, w, -1, tmp, n, NULL, NULL);
                size_t cut = len - 1;
                /* Do not end inside a UTF-8 sequence. */
                while (cut > 0 && ((unsigned char)tmp[cut] & 0xC0) == 0x80)
                    cut--;
                memcpy(buf, tmp, cut);
                buf[cut] = '\0';
                free(tmp);
            }
        }
    }
    return buf;
}

char *gui_get_text(HWND dlg, int id, char *buf, size_t len)
{
    wchar_t w[GUI_FIELD_MAX];
    GetDlgItemTextW(dlg, id, w, GUI_FIELD_MAX);
    return gui_utf8(w, buf, len);
}

void gui_set_text(HWND dlg, int id, const char *utf8)
{
    wchar_t *w = gui_wide(utf8);
    if (w) {
        SetDlgItemTextW(dlg, id, w);
        free(w);
    }
}

bool gui_clipboard_set(HWND owner, const wchar_t *text)
{
    size_t bytes = (wcslen(text) + 1) * sizeof(wchar_t);
    HGLOBAL mem;
    void *p;

    if (!OpenClipboard(owner))
        return false;
    EmptyClipboard();
    mem = GlobalAlloc(GMEM_MOVEABLE, bytes);
    if (!mem) {
        CloseClipboard();
        return false;
    }
    p = GlobalLock(mem);
    memcpy(p, text, bytes);
    GlobalUnlock(mem);
    if (!SetClipboardData(CF_UNICODETEXT, mem)) {
        GlobalFree(mem);
        CloseClipboard();
        return false;
    }
    CloseClipboard();
    return true;
}
