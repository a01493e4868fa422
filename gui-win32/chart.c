/* chart.c - the round-trip chart: a small window class ("HvechoChart")
 * that draws a client run's figures with GDI: the round trip of each
 * handshake (and its connect and bye phases), with the p50 and p99 lines.
 *
 * It draws only what the core's hve_stats has collected (stats.h), on
 * the core's axis (hve_stats_axis_for: the ticks, their labels), with the
 * core's names of the phases, as the GTK window does: the dialog feeds
 * the stats as it drains events and asks for a redraw on its frame
 * timer, so drawing never slows the run. The window's text is the chart
 * in words (the core's chart line, the points, the axis), for screen
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

static void text_out(HDC dc, int x, int y, const char *utf8, UINT align)
{
    wchar_t *w = gui_wide(utf8);
    if (w) {
        SetTextAlign(dc, align);
        TextOutW(dc, x, y, w, (int)wcslen(w));
        free(w);
    }
}

/* The largest figure the chart draws (round trip, connect, bye): the
 * core's axis is made for it, as in the GTK window. */
static int64_t drawn_max(const hve_stats *st)
{
    int64_t max = 0;
    int s;
    for (s = 0; s < HVE_STATS_HANDSHAKE; s++) {
        int64_t m = hve_stats_percentile(st, (hve_stats_series)s, 100);
        if (m > max)
            max = m;
    }
    return max;
}

static int y_of(int64_t us, const hve_stats_axis *ax, int y0, int y1)
{
    if (us > ax->top_us)
        us = ax->top_us;
    return y0 - (int)((int64_t)(y0 - y1) * us / ax->top_us);
}

static void draw(HWND w, HDC dc, const RECT *rc)
{
    const hve_stats *st = stats_of(w);
    size_t n = st ? hve_stats_point_count(st) : 0, i;
    int left = 56, right = rc->right - 8, y0 = rc->bottom - 18, y1 = 24;
    int s, t;
    HFONT font = (HFONT)SendMessageW(GetParent(w), WM_GETFONT, 0, 0);
    HGDIOBJ old_font = SelectObject(dc, font);
    char buf[96], d[32], pl[2][64];
    POINT *pts;
    hve_stats_axis ax;
    int64_t pv[2] = {-1, -1};
    int lw = 0;

    FillRect(dc, rc, (HBRUSH)GetStockObject(WHITE_BRUSH));
    SetBkMode(dc, TRANSPARENT);
    /* the p50 and p99 labels go right of the plot, as in the GTK window:
     * room for the wider */
    for (s = 0; n && s < 2; s++) {
        wchar_t *wl;
        SIZE sz = {0, 0};
        pv[s] = hve_stats_percentile(st, HVE_STATS_RTT, s ? 99 : 50);
        snprintf(pl[s], sizeof pl[s], "p%d %s", s ? 99 : 50,
                 hve_format_duration(pv[s], d, sizeof d));
        wl = gui_wide(pl[s]);
        if (wl && pv[s] >= 0)
            GetTextExtentPoint32W(dc, wl, (int)wcslen(wl), &sz);
        free(wl);
        if (sz.cx > lw)
            lw = sz.cx;
    }
    if (lw)
        right -= lw + 6;
    if (n == 0 || right - left < 40 || y0 - y1 < 30) {
        RECT r = *rc;
        wchar_t *e = gui_wide(hve_ui_text(HVE_UI_CHART_EMPTY));
        SetTextColor(dc, RGB(0x70, 0x70, 0x70));
        InflateRect(&r, -8, -8);
        if (e)
            DrawTextW(dc, e, -1, &r,
                      DT_CENTER | DT_VCENTER | DT_WORDBREAK | DT_NOPREFIX);
        free(e);
        SelectObject(dc, old_font);
        return;
    }
    hve_stats_axis_for(drawn_max(st), &ax);

    /* the grid and its labels: the core's axis */
    {
        HPEN pen = CreatePen(PS_SOLID, 1, RGB(0xE0, 0xE0, 0xE0));
        HGDIOBJ old = SelectObject(dc, pen);
        SetTextColor(dc, RGB(0x50, 0x50, 0x50));
        for (t = 0; t <= ax.ticks; t++) {
            int64_t us = ax.step_us * t;
            int y = y_of(us, &ax, y0, y1);
            MoveToEx(dc, left, y, NULL);
            LineTo(dc, right, y);
            hve_stats_axis_label(&ax, us, buf, sizeof buf);
            text_out(dc, left - 4, y - 6, buf, TA_RIGHT | TA_TOP);
        }
        SelectObject(dc, old);
        DeleteObject(pen);
    }
    snprintf(buf, sizeof buf, "#%u", hve_stats_point_at(st, 0)->round);
    text_out(dc, left, y0 + 3, buf, TA_LEFT | TA_TOP);
    snprintf(buf, sizeof buf, "#%u", hve_stats_point_at(st, n - 1)->round);
    text_out(dc, right, y0 + 3, buf, TA_RIGHT | TA_TOP);

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
            pts[k].y = y_of(p->us[s], &ax, y0, y1);
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
    /* failed handshakes: a red mark at the foot */
    for (i = 0; i < n; i++) {
        const hve_stats_point *p = hve_stats_point_at(st, i);
        RECT m;
        int x;
        if (!p->err)
            continue;
        x = n > 1 ? left + (int)((int64_t)(right - left) * (int64_t)i /
                                 (int64_t)(n - 1))
                  : (left + right) / 2;
        SetRect(&m, x - 1, y0 - 6, x + 1, y0);
        SetBkColor(dc, RGB(0xC0, 0x1C, 0x28));
        ExtTextOutW(dc, 0, 0, ETO_OPAQUE, &m, NULL, 0, NULL);
    }
    /* the round trip's p50 and p99: dotted lines, their labels right of
     * the plot, p99's above its line and p50's below, so they never
     * overlap */
    for (s = 0; s < 2; s++) {
        int64_t v = pv[s];
        HPEN pen;
        HGDIOBJ old;
        int y, ly;
        if (v < 0)
            continue;
        y = y_of(v, &ax, y0, y1);
        pen = CreatePen(PS_DOT, 1, series_colour[HVE_STATS_RTT]);
        old = SelectObject(dc, pen);
        MoveToEx(dc, left, y, NULL);
        LineTo(dc, right, y);
        SelectObject(dc, old);
        DeleteObject(pen);
        SetTextColor(dc, series_colour[HVE_STATS_RTT]);
        ly = s ? y - 14 : y + 1;
        if (ly < 2)
            ly = 2;
        if (ly > rc->bottom - 15)
            ly = rc->bottom - 15;
        text_out(dc, right + 4, ly, pl[s], TA_LEFT | TA_TOP);
    }
    /* the legend: the core's names of the phases, in the GTK window's
     * order (round trip, bye, connect) */
    {
        static const hve_stats_series order[] = {
            HVE_STATS_RTT, HVE_STATS_BYE, HVE_STATS_CONNECT};
        int x = left, o;
        for (o = 0; o < 3; o++) {
            const char *name;
            s = order[o];
            name = hve_stats_series_name((hve_stats_series)s);
            wchar_t *wn = gui_wide(name);
            SIZE sz = {0, 0};
            RECT box;
            SetRect(&box, x, 6, x + 9, 15);
            SetBkColor(dc, series_colour[s]);
            ExtTextOutW(dc, 0, 0, ETO_OPAQUE, &box, NULL, 0, NULL);
            SetTextColor(dc, RGB(0x30, 0x30, 0x30));
            text_out(dc, x + 13, 4, name, TA_LEFT | TA_TOP);
            if (wn)
                GetTextExtentPoint32W(dc, wn, (int)wcslen(wn), &sz);
            free(wn);
            x += 13 + sz.cx + 12;
        }
    }
    SetTextAlign(dc, TA_LEFT | TA_TOP);
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
    size_t cap = 512 + TEXT_POINTS * 24, len;
    char *t = malloc(cap);
    wchar_t *w;

    if (!t)
        return;
    /* "chart of 3 handshakes: round trip p50 0.101 ms, p99 0.120 ms;
     * round trips (us): 120 98 101; axis (us): max 131, top 200, step 50" */
    if (st)
        hve_stats_format(st, HVE_STATS_CHART, t, cap);
    else
        t[0] = '\0';
    len = strlen(t);
    len += (size_t)snprintf(t + len, cap - len, "; round trips (us):");
    for (i = n > TEXT_POINTS ? n - TEXT_POINTS : 0; i < n; i++) {
        const hve_stats_point *p = hve_stats_point_at(st, i);
        len += (size_t)snprintf(t + len, cap - len, " %lld",
                                (long long)p->us[HVE_STATS_RTT]);
    }
    if (n) {
        hve_stats_axis ax;
        int64_t max = drawn_max(st);
        hve_stats_axis_for(max, &ax);
        snprintf(t + len, cap - len,
                 "; axis (us): max %lld, top %lld, step %lld",
                 (long long)max, (long long)ax.top_us,
                 (long long)ax.step_us);
    }
    w = gui_wide(t);
    if (w)
        SetWindowTextW(chart, w);
    free(w);
    free(t);
    InvalidateRect(chart, NULL, FALSE);
}
