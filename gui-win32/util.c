/* util.c - small helpers of hvecho-gui.exe: UTF-8 <-> UTF-16 (the core
 * speaks UTF-8, the controls UTF-16), control text, the clipboard, wall
 * time. UI thread only. */
#include "gui.h"

#include <stdio.h>
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

char *gui_utf8_alloc(const wchar_t *w)
{
    int n = WideCharToMultiByte(CP_UTF8, 0, w, -1, NULL, 0, NULL, NULL);
    char *s;
    if (n <= 0)
        n = 1;
    s = malloc((size_t)n);
    if (!s)
        return NULL;
    if (WideCharToMultiByte(CP_UTF8, 0, w, -1, s, n, NULL, NULL) <= 0)
        s[0] = '\0';
    return s;
}

/* The whole text, however long: a message field may hold megabytes. */
char *gui_get_text_alloc(HWND dlg, int id)
{
    HWND c = GetDlgItem(dlg, id);
    int n = GetWindowTextLengthW(c);
    wchar_t *w = malloc(((size_t)(n > 0 ? n : 0) + 1) * sizeof *w);
    char *s;
    if (!w)
        return NULL;
    w[0] = L'\0';
    GetWindowTextW(c, w, n + 1);
    s = gui_utf8_alloc(w);
    free(w);
    return s;
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

void gui_set_text_changed(HWND dlg, int id, const char *utf8)
{
    wchar_t *w = gui_wide(utf8), cur[1024];
    int n;

    if (!w)
        return;
    n = GetDlgItemTextW(dlg, id, cur, 1024);
    if (n >= 1023 || wcscmp(cur, w) != 0)
        SetDlgItemTextW(dlg, id, w);
    free(w);
}

void gui_set_label(HWND dlg, int id, const char *words, char key, bool colon)
{
    char t[256];
    size_t n;
    hve_ui_mnemonic(words, key, '&', t, sizeof t - 1);
    n = strlen(t);
    if (colon && n + 1 < sizeof t) {
        t[n] = ':';
        t[n + 1] = '\0';
    }
    gui_set_text(dlg, id, t);
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

int64_t gui_now_ft(void)
{
    FILETIME ft;
    GetSystemTimePreciseAsFileTime(&ft);
    return (int64_t)(((uint64_t)ft.dwHighDateTime << 32) | ft.dwLowDateTime);
}

void gui_time_text(int64_t when, char *buf, size_t len)
{
    SYSTEMTIME st;
    FILETIME utc, local;
    utc.dwLowDateTime = (DWORD)((uint64_t)when & 0xFFFFFFFFu);
    utc.dwHighDateTime = (DWORD)((uint64_t)when >> 32);
    if (!FileTimeToLocalFileTime(&utc, &local) ||
        !FileTimeToSystemTime(&local, &st))
        GetLocalTime(&st);
    snprintf(buf, len, "%02u:%02u:%02u.%03u", (unsigned)st.wHour,
             (unsigned)st.wMinute, (unsigned)st.wSecond,
             (unsigned)st.wMilliseconds);
}
