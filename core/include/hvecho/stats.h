/* stats.h - figures of a client run (one Send, one `hvecho -c -n N`):
 * handshakes done and failed, the rate, round-trip and phase percentiles,
 * MB/s, and the per-handshake series a chart draws.
 *
 * Threads: an hve_stats belongs to one thread, the one that drains the
 * session (the owner). It is fed there and read there (the live line, the
 * chart's redraw); nothing here locks. A chart redrawing at display rate
 * reads the collected figures; it never touches the worker.
 *
 * Usage (a front end):
 *     hve_stats *st = hve_stats_new();            // once per window
 *     hve_stats_reset(st);                        // at each Send
 *     ... for every event drained from the client session:
 *     hve_stats_feed(st, ev);
 *     ... on a timer (a few times a second) while it runs:
 *     hve_stats_format(st, HVE_STATS_LIVE, buf, sizeof buf);
 *     ... at FINISHED, the summary row:
 *     hve_stats_format(st, HVE_STATS_SUMMARY, buf, sizeof buf);
 *     ... the chart, on redraw:
 *     for (size_t i = 0; i < hve_stats_point_count(st); i++) {
 *         const hve_stats_point *p = hve_stats_point_at(st, i);
 *         ... p->us[HVE_STATS_RTT] (-1 when that phase did not happen)
 *     }
 *     int64_t p50 = hve_stats_percentile(st, HVE_STATS_RTT, 50);
 *     hve_stats_axis ax;                 // the y axis and its grid labels
 *     hve_stats_axis_for(hve_stats_percentile(st, HVE_STATS_RTT, 100), &ax);
 *
 * What counts: each handshake's CLOSED event (client side) sums it up
 * (event.h: its phase times, echoed bytes and result), so the figures
 * stay right when the core drops data events for a lagging owner; other
 * events and server events are ignored. A handshake is DONE when its
 * CLOSED has err 0, FAILED when it has another error. One cut short by
 * Stop (HVE_ECANCELED) is neither: stopping an "until stopped" run is its
 * normal end.
 *
 * Memory is bounded however long the run: percentiles come from a
 * histogram with exact counts, exact below 256 us and within 0.4 % above
 * (min, max and mean are exact); the chart keeps the last
 * HVE_STATS_POINTS handshakes. Feeding one event costs O(1). */
#ifndef HVECHO_STATS_H
#define HVECHO_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hvecho/event.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The phases of one handshake, each in microseconds. */
typedef enum hve_stats_series {
    HVE_STATS_RTT,       /* the round trip: the echo, from the first byte
                            sent to the last byte back (CLOSED's echo_us);
                            the "echo" phase */
    HVE_STATS_CONNECT,   /* connect (CLOSED's connect_us) */
    HVE_STATS_BYE,       /* shutdown to the end of the bye (bye_us) */
    HVE_STATS_HANDSHAKE, /* the whole handshake: connect start to close
                            (CLOSED's dur_us) */
    HVE_STATS_SERIES_COUNT
} hve_stats_series;

/* "round trip", "connect", "bye", "handshake". */
const char *hve_stats_series_name(hve_stats_series s);

/* Handshakes the chart keeps (the most recent). */
#define HVE_STATS_POINTS 8192

/* One handshake, for the chart. */
typedef struct hve_stats_point {
    unsigned round;    /* its number (the event's round) */
    int64_t t_us;      /* when it ended, from the start of the run's
                          first handshake */
    int64_t us[HVE_STATS_SERIES_COUNT]; /* each phase, -1 if it did not
                                           happen (a failed handshake) */
    int err;           /* 0 done, else the hve_err it failed with */
} hve_stats_point;

/* The figures of one series. */
typedef struct hve_stats_figures {
    uint64_t count;                /* samples; 0 = the rest is -1 */
    int64_t min_us, p50_us, p99_us, max_us;
    double mean_us;
} hve_stats_figures;

typedef struct hve_stats hve_stats;

/* NULL when out of memory. */
hve_stats *hve_stats_new(void);
void hve_stats_free(hve_stats *st);
/* Forget everything: a new run. */
void hve_stats_reset(hve_stats *st);

/* Takes one event (only a client's CLOSED counts). */
void hve_stats_feed(hve_stats *st, const hve_event *ev);

uint64_t hve_stats_done(const hve_stats *st);
uint64_t hve_stats_failed(const hve_stats *st);
/* Seconds from the start of the first handshake to the end of the last
 * one that ended; 0 before any ended. */
double hve_stats_seconds(const hve_stats *st);
/* Handshakes (done and failed) per second over those seconds; 0 before
 * any ended. */
double hve_stats_rate(const hve_stats *st);
/* Echoed bytes (verified) of the done handshakes, and their speed: those
 * bytes over the summed round-trip time, in MB/s (10^6 bytes/s, each way);
 * 0 without a round trip. */
uint64_t hve_stats_bytes(const hve_stats *st);
double hve_stats_mb_per_s(const hve_stats *st);

/* Nearest-rank percentile p (0..100) of a series, in microseconds; p 0 is
 * the exact min, 100 the exact max; -1 when the series has no sample. */
int64_t hve_stats_percentile(const hve_stats *st, hve_stats_series s,
                             double p);
void hve_stats_get(const hve_stats *st, hve_stats_series s,
                   hve_stats_figures *out);

/* The chart's series: the last min(ended, HVE_STATS_POINTS) handshakes,
 * i = 0 the oldest kept. NULL when i is out of range. A pointer stays
 * valid until the next feed or reset. */
size_t hve_stats_point_count(const hve_stats *st);
const hve_stats_point *hve_stats_point_at(const hve_stats *st, size_t i);

/* A chart's time axis, the same in both windows: from 0 to top_us, with
 * a grid line every step_us (ticks of them). top_us is the smallest of 1,
 * 2 or 5 x 10^k microseconds (at least 10) that is >= max_us; step_us is
 * a fifth, a quarter or a fifth of it (10 -> 2, 20 -> 5, 50 -> 10). */
typedef struct hve_stats_axis {
    int64_t top_us, step_us;
    int ticks;
} hve_stats_axis;
void hve_stats_axis_for(int64_t max_us, hve_stats_axis *out);
/* A grid line's label: ms ("0.05 ms", "0.2 ms", "5 ms") with as many
 * decimals as the step needs, or s from a 10 s top ("20 s"). Returns
 * out. */
char *hve_stats_axis_label(const hve_stats_axis *a, int64_t us, char *out,
                           size_t outlen);

/* MB/s of one transfer: bytes over us, in 10^6 bytes/s; 0 when us <= 0.
 * The one formula for every speed hvecho shows. */
double hve_mb_per_s(uint64_t bytes, int64_t us);

/* Messages from this size on get a MB/s figure in the formatted lines. */
#define HVE_STATS_MB_MIN (1024 * 1024)

typedef enum hve_stats_style {
    /* While it runs, one line:
     *   12 done, 1 failed, 830/s; round trip min 0.061, p50 0.082,
     *   p99 0.140, max 0.300 ms; 512.3 MB/s */
    HVE_STATS_LIVE,
    /* At the end, the summary row:
     *   13 handshakes: 12 done, 1 failed in 15.663 ms (830/s); round trip
     *   min 0.061, p50 0.082, p99 0.140, max 0.300 ms; connect p50
     *   0.040 ms, bye p50 0.020 ms; 512.3 MB/s */
    HVE_STATS_SUMMARY,
    /* What a chart shows, in words (its accessible description / name):
     *   chart of 12 handshakes: round trip p50 0.082 ms, p99 0.140 ms
     * ("chart of 0 handshakes" before any). */
    HVE_STATS_CHART
} hve_stats_style;

/* Formats the figures (see the styles) into out, always NUL-terminated;
 * returns out. The same words in every front end. MB/s appears once a
 * round trip moved at least HVE_STATS_MB_MIN bytes. 256 bytes is always
 * enough. */
char *hve_stats_format(const hve_stats *st, hve_stats_style style, char *out,
                       size_t outlen);

#ifdef __cplusplus
}
#endif
#endif
