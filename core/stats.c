/* stats.c - a client run's figures, fed from its events (stats.h).
 *
 * Each series is a log-linear histogram of microseconds: values below 256
 * have a bucket each; above, every power of two is split into 128 equal
 * buckets, so a bucket is at most 1/128 of its value wide and its middle
 * is within 0.4 % of any value in it. 4,352 buckets reach 2^40 us (12
 * days); longer values land in the last one (min and max stay exact).
 * The chart's points sit in a ring of the last HVE_STATS_POINTS.
 *
 * Threads: the owner of the hve_stats only (no locks). */
#include "hvecho/stats.h"

#include "hvecho/error.h"
#include "attr.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXACT 256                 /* values below have a bucket each */
#define SUB 128                   /* buckets per power of two above */
#define TOP_BITS 40               /* 2^40 us and more: the last bucket */
#define NBUCKETS (EXACT + (TOP_BITS - 8) * SUB)

typedef struct histo {
    uint64_t n;
    int64_t min, max;
    double sum;
    uint64_t b[NBUCKETS];
} histo;

struct hve_stats {
    uint64_t done, failed, bytes, max_msg;
    double rtt_sum_us;
    bool started;
    int64_t first, last_end;      /* mono_us */
    histo h[HVE_STATS_SERIES_COUNT];
    size_t ring_head, ring_len;   /* oldest at ring_head */
    hve_stats_point ring[HVE_STATS_POINTS];
};

static const char *const series_names[HVE_STATS_SERIES_COUNT] = {
    "round trip", "connect", "bye", "handshake"};

const char *hve_stats_series_name(hve_stats_series s)
{
    return (unsigned)s < HVE_STATS_SERIES_COUNT ? series_names[s] : "?";
}

static unsigned bucket_of(int64_t v)
{
    if (v < EXACT)
        return v < 0 ? 0 : (unsigned)v;
    uint64_t u = (uint64_t)v;
    unsigned e = 63;
    while (!(u >> e))
        e--;
    if (e >= TOP_BITS)
        return NBUCKETS - 1;
    /* u has e+1 bits: the top 8 are 1xxxxxxx; xxxxxxx picks the bucket. */
    unsigned sub = (unsigned)(u >> (e - 7)) & (SUB - 1);
    return EXACT + (e - 8) * SUB + sub;
}

/* The middle of bucket i (its only value below EXACT). */
static int64_t bucket_mid(unsigned i)
{
    if (i < EXACT)
        return (int64_t)i;
    unsigned e = 8 + (i - EXACT) / SUB, sub = (i - EXACT) % SUB;
    int64_t low = (int64_t)(SUB + sub) << (e - 7);
    int64_t width = (int64_t)1 << (e - 7);
    return low + (width - 1) / 2;
}

static void histo_add(histo *h, int64_t v)
{
    if (v < 0)
        return;
    if (h->n == 0 || v < h->min)
        h->min = v;
    if (h->n == 0 || v > h->max)
        h->max = v;
    h->n++;
    h->sum += (double)v;
    h->b[bucket_of(v)]++;
}

static int64_t histo_pct(const histo *h, double p)
{
    if (h->n == 0)
        return -1;
    if (p <= 0)
        return h->min;
    if (p >= 100)
        return h->max;
    double want = p / 100.0 * (double)h->n;
    uint64_t rank = (uint64_t)want;
    if ((double)rank < want || rank < 1)
        rank++; /* round up: the nearest rank */
    uint64_t seen = 0;
    for (unsigned i = 0; i < NBUCKETS; i++) {
        seen += h->b[i];
        if (seen >= rank) {
            int64_t v = bucket_mid(i);
            return v < h->min ? h->min : v > h->max ? h->max : v;
        }
    }
    return h->max;
}

hve_stats *hve_stats_new(void)
{
    return calloc(1, sizeof(hve_stats));
}

void hve_stats_free(hve_stats *st)
{
    free(st);
}

void hve_stats_reset(hve_stats *st)
{
    memset(st, 0, sizeof *st);
}

static void push_point(hve_stats *st, const hve_stats_point *p)
{
    size_t at = (st->ring_head + st->ring_len) % HVE_STATS_POINTS;
    st->ring[at] = *p;
    if (st->ring_len < HVE_STATS_POINTS)
        st->ring_len++;
    else
        st->ring_head = (st->ring_head + 1) % HVE_STATS_POINTS;
}

void hve_stats_feed(hve_stats *st, const hve_event *ev)
{
    /* A client's CLOSED sums up its handshake (event.h): phases, bytes,
     * the result. The other events add nothing, and dropped data events
     * cost nothing here. */
    if (ev->kind != HVE_EV_CLOSED || ev->side != HVE_SIDE_CLIENT)
        return;
    int err = ev->err;
    if (err == HVE_ECANCELED)
        return; /* stopped: neither done nor failed */
    int64_t end = ev->mono_us;
    int64_t start = ev->dur_us >= 0 ? end - ev->dur_us : end;
    if (!st->started || start < st->first)
        st->first = start;
    st->started = true;
    hve_stats_point p;
    p.round = ev->round;
    p.err = err;
    p.us[HVE_STATS_RTT] = ev->echo_us;
    p.us[HVE_STATS_CONNECT] = ev->connect_us;
    p.us[HVE_STATS_BYE] = ev->bye_us;
    p.us[HVE_STATS_HANDSHAKE] = ev->dur_us;
    if (err) {
        st->failed++;
    } else {
        st->done++;
        for (int s = 0; s < HVE_STATS_SERIES_COUNT; s++)
            histo_add(&st->h[s], p.us[s]);
        if (ev->echo_us >= 0) {
            st->bytes += ev->bytes;
            st->rtt_sum_us += (double)ev->echo_us;
            if (ev->bytes > st->max_msg)
                st->max_msg = ev->bytes;
        }
    }
    if (end > st->last_end)
        st->last_end = end;
    p.t_us = end - st->first;
    push_point(st, &p);
}

uint64_t hve_stats_done(const hve_stats *st)
{
    return st->done;
}

uint64_t hve_stats_failed(const hve_stats *st)
{
    return st->failed;
}

double hve_stats_seconds(const hve_stats *st)
{
    if (st->done + st->failed == 0)
        return 0;
    return (double)(st->last_end - st->first) / 1e6;
}

double hve_stats_rate(const hve_stats *st)
{
    double s = hve_stats_seconds(st);
    return s > 0 ? (double)(st->done + st->failed) / s : 0;
}

uint64_t hve_stats_bytes(const hve_stats *st)
{
    return st->bytes;
}

double hve_mb_per_s(uint64_t bytes, int64_t us)
{
    return us > 0 ? (double)bytes / (double)us : 0;
}

double hve_stats_mb_per_s(const hve_stats *st)
{
    return st->rtt_sum_us > 0 ? (double)st->bytes / st->rtt_sum_us : 0;
}

int64_t hve_stats_percentile(const hve_stats *st, hve_stats_series s,
                             double p)
{
    if ((unsigned)s >= HVE_STATS_SERIES_COUNT)
        return -1;
    return histo_pct(&st->h[s], p);
}

void hve_stats_get(const hve_stats *st, hve_stats_series s,
                   hve_stats_figures *out)
{
    const histo *h = (unsigned)s < HVE_STATS_SERIES_COUNT ? &st->h[s] : NULL;
    out->count = h ? h->n : 0;
    out->min_us = h ? histo_pct(h, 0) : -1;
    out->p50_us = h ? histo_pct(h, 50) : -1;
    out->p99_us = h ? histo_pct(h, 99) : -1;
    out->max_us = h ? histo_pct(h, 100) : -1;
    out->mean_us = h && h->n ? h->sum / (double)h->n : -1;
}

size_t hve_stats_point_count(const hve_stats *st)
{
    return st->ring_len;
}

const hve_stats_point *hve_stats_point_at(const hve_stats *st, size_t i)
{
    if (i >= st->ring_len)
        return NULL;
    return &st->ring[(st->ring_head + i) % HVE_STATS_POINTS];
}

void hve_stats_axis_for(int64_t max_us, hve_stats_axis *out)
{
    int64_t decade = 10;
    for (;;) {
        static const int mult[3] = {1, 2, 5};
        static const int ticks[3] = {5, 4, 5};
        for (int i = 0; i < 3; i++) {
            int64_t top = decade * mult[i];
            if (top >= max_us || decade > INT64_MAX / 100) {
                out->top_us = top;
                out->ticks = ticks[i];
                out->step_us = top / ticks[i];
                return;
            }
        }
        decade *= 10;
    }
}

char *hve_stats_axis_label(const hve_stats_axis *a, int64_t us, char *out,
                           size_t outlen)
{
    bool secs = a->top_us >= 10000000;
    int64_t step = secs ? a->step_us / 1000 : a->step_us;
    /* Decimals of a ms (or s) value that show the step: a 200 us step
     * needs one ("0.2 ms"), a 2 us step three. */
    int dec = step >= 1000 ? 0 : step >= 100 ? 1 : step >= 10 ? 2 : 3;
    snprintf(out, outlen, "%.*f %s", dec, (double)us / (secs ? 1e6 : 1e3),
             secs ? "s" : "ms");
    return out;
}

/* Formatting: appends to a bounded buffer, cutting short if it must. */
typedef struct out {
    char *p;
    size_t len, pos;
} out;

HVE_PRINTF(2, 3)
static void put(out *o, const char *fmt, ...)
{
    if (o->pos + 1 >= o->len)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(o->p + o->pos, o->len - o->pos, fmt, ap);
    va_end(ap);
    if (n > 0)
        o->pos += (size_t)n < o->len - o->pos ? (size_t)n
                                               : o->len - o->pos - 1;
}

/* Times of one group share a unit: ms, or s from 10 s on. */
static double unit_div(int64_t largest, const char **unit)
{
    *unit = largest >= 10000000 ? "s" : "ms";
    return largest >= 10000000 ? 1e6 : 1e3;
}

static void put_rate(out *o, double rate)
{
    put(o, rate >= 100 ? "%.0f/s" : "%.1f/s", rate);
}

/* "round trip min 0.061, p50 0.082, p99 0.140, max 0.300 ms", or with one
 * sample "round trip 0.078 ms". */
static void put_rtt(out *o, const hve_stats *st)
{
    hve_stats_figures f;
    hve_stats_get(st, HVE_STATS_RTT, &f);
    const char *u;
    double d = unit_div(f.max_us, &u);
    if (f.count == 1)
        put(o, "round trip %.3f %s", (double)f.max_us / d, u);
    else
        put(o, "round trip min %.3f, p50 %.3f, p99 %.3f, max %.3f %s",
            (double)f.min_us / d, (double)f.p50_us / d, (double)f.p99_us / d,
            (double)f.max_us / d, u);
}

char *hve_stats_format(const hve_stats *st, hve_stats_style style, char *buf,
                       size_t outlen)
{
    out o = {buf, outlen, 0};
    if (outlen)
        buf[0] = '\0';
    uint64_t ended = st->done + st->failed;
    bool rtt = st->h[HVE_STATS_RTT].n > 0;
    if (style == HVE_STATS_CHART) {
        size_t n = st->ring_len;
        put(&o, "chart of %llu handshake%s", (unsigned long long)n,
            n == 1 ? "" : "s");
        int64_t p50 = histo_pct(&st->h[HVE_STATS_RTT], 50);
        int64_t p99 = histo_pct(&st->h[HVE_STATS_RTT], 99);
        if (rtt) {
            const char *u;
            double d = unit_div(p99, &u);
            put(&o, ": round trip p50 %.3f %s, p99 %.3f %s",
                (double)p50 / d, u, (double)p99 / d, u);
        }
        return buf;
    }
    if (style == HVE_STATS_LIVE) {
        put(&o, "%llu done, %llu failed", (unsigned long long)st->done,
            (unsigned long long)st->failed);
        if (ended) {
            put(&o, ", ");
            put_rate(&o, hve_stats_rate(st));
        }
    } else {
        const char *u;
        int64_t span = st->last_end - st->first;
        double d = unit_div(span, &u);
        put(&o, "%llu handshake%s: %llu done, %llu failed",
            (unsigned long long)ended, ended == 1 ? "" : "s",
            (unsigned long long)st->done, (unsigned long long)st->failed);
        if (ended) {
            put(&o, " in %.3f %s (", (double)span / d, u);
            put_rate(&o, hve_stats_rate(st));
            put(&o, ")");
        }
    }
    if (rtt) {
        put(&o, "; ");
        put_rtt(&o, st);
    }
    if (style == HVE_STATS_SUMMARY && st->h[HVE_STATS_CONNECT].n) {
        int64_t c = histo_pct(&st->h[HVE_STATS_CONNECT], 50);
        int64_t b = histo_pct(&st->h[HVE_STATS_BYE], 50);
        const char *u;
        double d = unit_div(c > b ? c : b, &u);
        bool one = st->h[HVE_STATS_CONNECT].n == 1;
        put(&o, "; connect %s%.3f %s", one ? "" : "p50 ", (double)c / d, u);
        if (b >= 0)
            put(&o, ", bye %s%.3f %s", one ? "" : "p50 ", (double)b / d, u);
    }
    if (rtt && st->max_msg >= HVE_STATS_MB_MIN)
        put(&o, "; %.1f MB/s", hve_stats_mb_per_s(st));
    return buf;
}
