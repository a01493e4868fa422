/* chart.c - the live chart of a client run (see chart.h): cairo drawing
 * of the hve_stats series, redrawn at most once per display frame.
 *
 * Threads: GTK main thread only. The figures are fed on this thread (from
 * the pump's drain); drawing reads them here too. */
#include "chart.h"

#include <math.h>

struct HvgChart {
    GtkWidget *area;
    const hve_stats *st;
    guint tick;       /* the tick callback while a redraw is wanted */
    gboolean dirty;
    guint redraws;
    gulong draw_id;
};

/* The phases drawn, back to front, and their colours. */
static const struct {
    hve_stats_series s;
    double r, g, b;
} lines[] = {
    {HVE_STATS_CONNECT, 0.18, 0.60, 0.34},
    {HVE_STATS_BYE, 0.90, 0.38, 0.00},
    {HVE_STATS_RTT, 0.11, 0.44, 0.85},
};

static void text_at(cairo_t *cr, PangoLayout *pl, const char *t, double x,
                    double y, double xalign)
{
    int w, h;

    pango_layout_set_text(pl, t, -1);
    pango_layout_get_pixel_size(pl, &w, &h);
    cairo_move_to(cr, x - xalign * w, y - h / 2.0);
    pango_cairo_show_layout(cr, pl);
}

/* One phase of every handshake kept: a line while there is a pixel per
 * handshake or more; past that, per pixel column the span from the
 * fastest to the slowest handshake in it. */
static void draw_series(cairo_t *cr, const hve_stats *st, hve_stats_series s,
                        double x0, double y0, double w, double h,
                        int64_t top)
{
    size_t n = hve_stats_point_count(st);
    gboolean open = FALSE;

    if (n == 0)
        return;
    if ((double)n <= w) {
        for (size_t i = 0; i < n; i++) {
            const hve_stats_point *p = hve_stats_point_at(st, i);
            double x = n == 1 ? x0 + w / 2 : x0 + w * (double)i / (double)(n - 1);
            double y;
            if (p->us[s] < 0) {
                open = FALSE;
                continue;
            }
            y = y0 + h - h * MIN((double)p->us[s] / (double)top, 1.0);
            if (open)
                cairo_line_to(cr, x, y);
            else
                cairo_move_to(cr, x, y);
            open = TRUE;
            if (n == 1)
                cairo_arc(cr, x, y, 2.0, 0, 2 * G_PI);
        }
        cairo_stroke(cr);
        return;
    }
    for (int col = 0; col < (int)w; col++) {
        size_t a = (size_t)((double)col * (double)n / w);
        size_t b = (size_t)((double)(col + 1) * (double)n / w);
        int64_t lo = -1, hi = -1;
        for (size_t i = a; i < b && i < n; i++) {
            int64_t v = hve_stats_point_at(st, i)->us[s];
            if (v < 0)
                continue;
            if (lo < 0 || v < lo)
                lo = v;
            if (v > hi)
                hi = v;
        }
        if (lo < 0)
            continue;
        cairo_move_to(cr, x0 + col + 0.5,
                      y0 + h - h * MIN((double)lo / (double)top, 1.0) + 0.5);
        cairo_line_to(cr, x0 + col + 0.5,
                      y0 + h - h * MIN((double)hi / (double)top, 1.0) - 0.5);
    }
    cairo_stroke(cr);
}

static gboolean draw_cb(GtkWidget *w, cairo_t *cr, gpointer data)
{
    HvgChart *c = data;
    const hve_stats *st = c->st;
    GtkStyleContext *sc = gtk_widget_get_style_context(w);
    int W = gtk_widget_get_allocated_width(w);
    int H = gtk_widget_get_allocated_height(w);
    PangoLayout *pl = gtk_widget_create_pango_layout(w, NULL);
    size_t n = hve_stats_point_count(st);
    double x0 = 64, y0 = 26, pw, ph = H - y0 - 24;
    GdkRGBA fg;
    int64_t max = 0;
    hve_stats_axis ax;
    char buf[64];
    /* the round trip's p50 and p99, and their labels right of the plot:
       the plot leaves room for the wider one, so neither is cut off */
    static const int pcts[] = {50, 99};
    int64_t pct_us[G_N_ELEMENTS(pcts)];
    char pct_text[G_N_ELEMENTS(pcts)][48];
    int right = 0;

    for (size_t i = 0; i < G_N_ELEMENTS(pcts); i++) {
        char d[32];
        int tw = 0;
        pct_us[i] = hve_stats_percentile(st, HVE_STATS_RTT, pcts[i]);
        g_snprintf(pct_text[i], sizeof pct_text[i], "p%d %s", pcts[i],
                   pct_us[i] < 0 ? "-"
                                 : hve_format_duration(pct_us[i], d,
                                                       sizeof d));
        pango_layout_set_text(pl, pct_text[i], -1);
        pango_layout_get_pixel_size(pl, &tw, NULL);
        right = MAX(right, tw);
    }
    pw = W - x0 - (right + 12);

    c->redraws++;
    gtk_render_background(sc, cr, 0, 0, W, H);
    gtk_style_context_get_color(sc, gtk_style_context_get_state(sc), &fg);
    if (n == 0 || pw < 40 || ph < 40) {
        gdk_cairo_set_source_rgba(cr, &fg);
        text_at(cr, pl, hve_ui_text(HVE_UI_CHART_EMPTY), W / 2.0, H / 2.0,
                0.5);
        g_object_unref(pl);
        return FALSE;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(lines); i++) {
        int64_t m = hve_stats_percentile(st, lines[i].s, 100);
        if (m > max)
            max = m;
    }
    hve_stats_axis_for(max, &ax);

    /* the grid and its labels */
    cairo_set_line_width(cr, 1);
    for (int t = 0; t <= ax.ticks; t++) {
        int64_t us = ax.step_us * t;
        double y = floor(y0 + ph - ph * (double)us / (double)ax.top_us) + 0.5;
        cairo_set_source_rgba(cr, fg.red, fg.green, fg.blue, 0.15);
        cairo_move_to(cr, x0, y);
        cairo_line_to(cr, x0 + pw, y);
        cairo_stroke(cr);
        gdk_cairo_set_source_rgba(cr, &fg);
        hve_stats_axis_label(&ax, us, buf, sizeof buf);
        text_at(cr, pl, buf, x0 - 6, y, 1.0);
    }
    g_snprintf(buf, sizeof buf, "#%u",
               hve_stats_point_at(st, 0)->round);
    text_at(cr, pl, buf, x0, y0 + ph + 12, 0.0);
    g_snprintf(buf, sizeof buf, "#%u", hve_stats_point_at(st, n - 1)->round);
    text_at(cr, pl, buf, x0 + pw, y0 + ph + 12, 1.0);

    /* the phases */
    cairo_save(cr);
    cairo_rectangle(cr, x0, y0 - 2, pw, ph + 4);
    cairo_clip(cr);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    for (size_t i = 0; i < G_N_ELEMENTS(lines); i++) {
        cairo_set_source_rgb(cr, lines[i].r, lines[i].g, lines[i].b);
        cairo_set_line_width(cr, lines[i].s == HVE_STATS_RTT ? 1.5 : 1.0);
        draw_series(cr, st, lines[i].s, x0, y0, pw, ph, ax.top_us);
    }
    /* failed handshakes: a red mark at the foot */
    cairo_set_source_rgb(cr, 0.75, 0.11, 0.16);
    for (size_t i = 0; i < n; i++) {
        const hve_stats_point *p = hve_stats_point_at(st, i);
        if (p->err) {
            double x = n == 1 ? x0 + pw / 2
                              : x0 + pw * (double)i / (double)(n - 1);
            cairo_rectangle(cr, x - 1, y0 + ph - 6, 2, 6);
        }
    }
    cairo_fill(cr);
    cairo_restore(cr);

    /* the round trip's p50 and p99 */
    {
        static const double dash[] = {4, 3};
        for (size_t i = 0; i < G_N_ELEMENTS(pcts); i++) {
            int64_t us = pct_us[i];
            double y, ly;
            int th = 0;
            if (us < 0)
                continue;
            y = floor(y0 + ph - ph * MIN((double)us / (double)ax.top_us,
                                          1.0)) + 0.5;
            cairo_set_source_rgba(cr, 0.11, 0.44, 0.85, 0.9);
            cairo_set_dash(cr, dash, 2, 0);
            cairo_move_to(cr, x0, y);
            cairo_line_to(cr, x0 + pw, y);
            cairo_stroke(cr);
            cairo_set_dash(cr, NULL, 0, 0);
            /* p99 above its line, p50 below, so they never overlap; both
               kept inside the widget */
            pango_layout_set_text(pl, pct_text[i], -1);
            pango_layout_get_pixel_size(pl, NULL, &th);
            ly = y + (i == 0 ? 7 : -7);
            ly = CLAMP(ly, th / 2.0, H - th / 2.0);
            text_at(cr, pl, pct_text[i], x0 + pw + 4, ly, 0.0);
        }
    }

    /* the legend */
    {
        double x = x0;
        for (int i = (int)G_N_ELEMENTS(lines) - 1; i >= 0; i--) {
            int tw, th;
            cairo_set_source_rgb(cr, lines[i].r, lines[i].g, lines[i].b);
            cairo_rectangle(cr, x, 8, 10, 10);
            cairo_fill(cr);
            gdk_cairo_set_source_rgba(cr, &fg);
            pango_layout_set_text(pl, hve_stats_series_name(lines[i].s), -1);
            pango_layout_get_pixel_size(pl, &tw, &th);
            text_at(cr, pl, hve_stats_series_name(lines[i].s), x + 14, 13,
                    0.0);
            x += 14 + tw + 16;
        }
    }
    g_object_unref(pl);
    return FALSE;
}

/* Once per frame while something changed. */
static gboolean tick_cb(GtkWidget *w, GdkFrameClock *fc, gpointer data)
{
    HvgChart *c = data;

    (void)fc;
    if (!c->dirty) {
        c->tick = 0;
        return G_SOURCE_REMOVE;
    }
    c->dirty = FALSE;
    gtk_widget_queue_draw(w);
    {
        /* the accessible description says what the chart shows, in the
           core's chart words (the Win32 chart's text starts with them) */
        char t[256];
        hve_stats_format(c->st, HVE_STATS_CHART, t, sizeof t);
        atk_object_set_description(gtk_widget_get_accessible(w), t);
    }
    return G_SOURCE_CONTINUE;
}

HvgChart *hvg_chart_new(GtkWidget *area, const hve_stats *st)
{
    HvgChart *c = g_new0(HvgChart, 1);

    c->area = area;
    c->st = st;
    c->draw_id = g_signal_connect(area, "draw", G_CALLBACK(draw_cb), c);
    return c;
}

void hvg_chart_free(HvgChart *c)
{
    if (!c)
        return;
    if (c->tick)
        gtk_widget_remove_tick_callback(c->area, c->tick);
    g_signal_handler_disconnect(c->area, c->draw_id);
    g_free(c);
}

void hvg_chart_changed(HvgChart *c)
{
    c->dirty = TRUE;
    if (!c->tick)
        c->tick = gtk_widget_add_tick_callback(c->area, tick_cb, c, NULL);
}

guint hvg_chart_redraws(HvgChart *c)
{
    return c->redraws;
}
