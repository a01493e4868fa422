/* chart.c - the round-trip chart: a small window class ("HvechoChart")
 * that draws a client run's figures with GDI: the round trip of each
 * handshake (and its connect and bye phases), with the p50 and p99 lines.
 *
 * It draws only what the core's hve_stats has collected (stats.h): the
 * dialog feeds the stats as it drains events and asks for a redraw on
 * its frame timer, so drawing never slows the run. The window's text is
 * the chart in words (the points and the percentiles), for screen
 * readers and for the test driver.
 *
 * UI thread only. */
#include "gui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "resource.h"

/* Points named in the window's text (the newest). */
#define TEXT_POINTS 64

static const COLORREF series_colour[HVE_STATS_SERIES_COUNT] = {
    RGB(0x1A, 0x5F, 0xB4), /* round trip */
    RGB(0x26, 0xA2, 0x69), /* connect */
    RGB(0xE6, 0x61, 0x00), /* bye */
    RGB(0x80, 0x80, 0x80), /* handshake: not drawn */
};

static const hve_stats *stats_of(HWND w)
{
    return (const hve_stats *)GetWindowLongPtrW(w, GWLP_USERDATA);
}

static void ms_label(int64_t us, char *buf, size_t len)
{
    if (us < 10000)
        snprintf(buf, len, "%.2f ms", (double)us / 1000.0);
    else
        snprintf(buf, len, "%.0f ms", (double)us / 1000.0);
}

static void text_out(HDC dc, int x, int y, const char *utf8)
{
    wchar_t *w = gui_wide(utf8);
    if (w) {
        TextOutW(dc, x, y, w, (int)wcslen(w));
        free(w);
    }
}

static void draw(HWND w, HDC dc, const RECT *rc)
{
    const hve_stats *st = stats_of(w);
    size_t n = st ? hve_stats_point_count(st) : 0, i;
    int64_t top = 0, p50, p99;
    int left = 6, right = rc->right - 6, y0 = rc->bottom - 6, y1 = 22;
    int s;
    HFONT font = (HFONT)SendMessageW(GetParent(w), WM_GETFONT, 0, 0);
    HGDIOBJ old_font = SelectObject(dc, font);
    char t[96];
    POINT *pts;

    FillRect(dc, rc, (HBRUSH)GetStockObject(WHITE_BRUSH));
    SetBkMode(dc, TRANSPARENT);
    if (n == 0) {
        SetTextColor(dc, RGB(0x70, 0x70, 0x70));
        text_out(dc, left, 4, "Round trips of the next Send show here");
        SelectObject(dc, old_font);
        return;
    }
    for (i = 0; i < n; i++) {
        const hve_stats_point *p = hve_stats_point_at(st, i);
        for (s = 0; s < HVE_STATS_HANDSHAKE; s++)
            if (p->us[s] > top)
                top = p->us[s];
    }
    top = top + top / 10 + 1;
    pts = malloc(n * sizeof *pts);
    if (!pts) {
        SelectObject(dc, old_font);
        return;
    }
    /* connect and bye under the round trip, each a polyline over the
     * handshakes that had that phase */
    for (s = HVE_STATS_HANDSHAKE - 1; s >= 0; s--) {
        HPEN pen = CreatePen(PS_SOLID, s == HVE_STATS_RTT ? 2 : 1,
                             series_colour[s]);
        HGDIOBJ old = SelectObject(dc, pen);
        size_t k = 0;
        for (i = 0; i < n; i++) {
            const hve_stats_point *p = hve_stats_point_at(st, i);
            if (p->us[s] < 0)
                continue;
            pts[k].x = n > 1 ? left + (int)((int64_t)(right - left) *
                                            (int64_t)i / (int64_t)(n - 1))
                             : (left + right) / 2;
            pts[k].y = y0 - (int)((int64_t)(y0 - y1) * p->us[s] / top);
            k++;
        }
        if (k == 1)
            Ellipse(dc, pts[0].x - 2, pts[0].y - 2, pts[0].x + 3,
                    pts[0].y + 3);
        else if (k > 1)
            Polyline(dc, pts, (int)k);
        SelectObject(dc, old);
        DeleteObject(pen);
    }
    free(pts);
    /* the percentile lines of the round trip */
    p50 = hve_stats_percentile(st, HVE_STATS_RTT, 50);
    p99 = hve_stats_percentile(st, HVE_STATS_RTT, 99);
    for (s = 0; s < 2; s++) {
        int64_t v = s ? p99 : p50;
        HPEN pen;
        HGDIOBJ old;
        int y;
        if (v < 0)
            continue;
        y = y0 - (int)((int64_t)(y0 - y1) * v / top);
        pen = CreatePen(PS_DOT, 1, s ? RGB(0xC0, 0x1C, 0x28)
                                     : RGB(0x50, 0x50, 0x50));
        old = SelectObject(dc, pen);
        MoveToEx(dc, left, y, NULL);
        LineTo(dc, right, y);
        SelectObject(dc, old);
        DeleteObject(pen);
        ms_label(v, t, sizeof t);
        SetTextColor(dc, s ? RGB(0xC0, 0x1C, 0x28) : RGB(0x50, 0x50, 0x50));
        {
            char l[112];
            snprintf(l, sizeof l, "%s %s", s ? "p99" : "p50", t);
            text_out(dc, right - 90, y - 14, l);
        }
    }
    /* the legend and the scale */
    SetTextColor(dc, series_colour[HVE_STATS_RTT]);
    text_out(dc, left, 3, "round trip");
    SetTextColor(dc, series_colour[HVE_STATS_CONNECT]);
    text_out(dc, left + 70, 3, "connect");
    SetTextColor(dc, series_colour[HVE_STATS_BYE]);
    text_out(dc, left + 125, 3, "bye");
    SetTextColor(dc, RGB(0x50, 0x50, 0x50));
    ms_label(top, t, sizeof t);
    text_out(dc, right - 60, 3, t);
    SelectObject(dc, old_font);
}

static LRESULT CALLBACK chart_proc(HWND w, UINT msg, WPARAM wp, LPARAM lp)
{
    switch (msg) {
    case WM_PAINT: {
        PAINTSTRUCT ps;
        RECT rc;
        HDC dc = BeginPaint(w, &ps), mem;
        HBITMAP bmp;
        HGDIOBJ old;
        GetClientRect(w, &rc);
        /* drawn off screen, then copied: no flicker at display rate */
        mem = CreateCompatibleDC(dc);
        bmp = CreateCompatibleBitmap(dc, rc.right, rc.bottom);
        old = SelectObject(mem, bmp);
        draw(w, mem, &rc);
        BitBlt(dc, 0, 0, rc.right, rc.bottom, mem, 0, 0, SRCCOPY);
        SelectObject(mem, old);
        DeleteObject(bmp);
        DeleteDC(mem);
        EndPaint(w, &ps);
        return 0;
    }
    case WM_ERASEBKGND:
        return 1;
    case WM_SIZE:
        InvalidateRect(w, NULL, FALSE);
        return 0;
    default:
        return DefWindowProcW(w, msg, wp, lp);
    }
}

bool chart_register(HINSTANCE inst)
{
    WNDCLASSW wc;
    memset(&wc, 0, sizeof wc);
    wc.lpfnWndProc = chart_proc;
    wc.hInstance = inst;
    wc.hCursor = LoadCursorW(NULL, (LPCWSTR)IDC_ARROW);
    wc.lpszClassName = CHART_CLASS;
    return RegisterClassW(&wc) != 0;
}

void chart_attach(HWND chart, const hve_stats *st)
{
    SetWindowLongPtrW(chart, GWLP_USERDATA, (LONG_PTR)st);
    chart_update(chart);
}

void chart_update(HWND chart)
{
    const hve_stats *st = stats_of(chart);
    size_t n = st ? hve_stats_point_count(st) : 0, i;
    size_t cap = 256 + TEXT_POINTS * 24, len;
    char *t = malloc(cap);
    wchar_t *w;

    if (!t)
        return;
    /* "round trips (us), 3 handshakes: 120 98 101; p50 101, p99 120" */
    len = (size_t)snprintf(t, cap, "round trips (us), %zu handshake%s:", n,
                           n == 1 ? "" : "s");
    for (i = n > TEXT_POINTS ? n - TEXT_POINTS : 0; i < n; i++) {
        const hve_stats_point *p = hve_stats_point_at(st, i);
        len += (size_t)snprintf(t + len, cap - len, " %lld",
                                (long long)p->us[HVE_STATS_RTT]);
    }
    if (n)
        snprintf(t + len, cap - len, "; p50 %lld, p99 %lld",
                 (long long)hve_stats_percentile(st, HVE_STATS_RTT, 50),
                 (long long)hve_stats_percentile(st, HVE_STATS_RTT, 99));
    w = gui_wide(t);
    if (w)
        SetWindowTextW(chart, w);
    free(w);
    free(t);
    InvalidateRect(chart, NULL, FALSE);
}
