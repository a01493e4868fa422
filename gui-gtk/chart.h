/* chart.h - the live chart of a client run: each handshake's round trip
 * (and its connect and bye phases) over the run, with the p50 and p99
 * lines, drawn with cairo in a GtkDrawingArea from the figures an
 * hve_stats collected.
 *
 * It never slows the run: events feed the hve_stats where they are
 * drained; the chart only marks itself changed (hvg_chart_changed), and
 * redraws at most once per frame of the display (a tick callback), from
 * the collected figures.
 *
 * Threads: GTK main thread only. */
#ifndef HVG_CHART_H
#define HVG_CHART_H

#include <gtk/gtk.h>

#include "hvecho/hvecho.h"

typedef struct HvgChart HvgChart;

/* Draws st (not owned; it must outlive the chart) in area. */
HvgChart *hvg_chart_new(GtkWidget *area, const hve_stats *st);
void hvg_chart_free(HvgChart *c);
/* The figures changed: redraw at the next frame. Cheap: call per event. */
void hvg_chart_changed(HvgChart *c);
/* Redraws done so far (a test reads it to see the chart follow a run). */
guint hvg_chart_redraws(HvgChart *c);

#endif
