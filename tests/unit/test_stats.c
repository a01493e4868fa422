/* test_stats.c - run statistics (stats.h) from hand-made event sequences
 * with golden figures and lines, the histogram's precision, the chart's
 * bounded ring; and the hex dump (hexdump.h). Main thread only. */
#include "check.h"
#include "tests.h"

#include "hvecho/hvecho.h"

#include <stdlib.h>

/* A client's CLOSED at mono time end (us) for a handshake that took dur
 * in all, with phases c (connect), e (echo), b (bye), -1 = not reached. */
static void closed(hve_stats *st, unsigned round, int64_t end, int64_t dur,
                   int64_t c, int64_t e, int64_t b, uint64_t bytes, int err)
{
    hve_event ev = {0};
    ev.kind = HVE_EV_CLOSED;
    ev.side = HVE_SIDE_CLIENT;
    ev.conn = round;
    ev.round = round;
    ev.mono_us = end;
    ev.t_us = end;
    ev.dur_us = dur;
    ev.connect_us = c;
    ev.echo_us = e;
    ev.bye_us = b;
    ev.bytes = bytes;
    ev.err = err;
    hve_stats_feed(st, &ev);
}

/* A complete handshake starting at t: connect c, round trip e, bye b (us);
 * it closes 5 us after the bye. Returns the end time. */
static int64_t handshake(hve_stats *st, unsigned round, int64_t t, int64_t c,
                         int64_t e, int64_t b, uint64_t bytes)
{
    int64_t end = t + c + e + b + 5;
    closed(st, round, end, end - t, c, e, b, bytes, 0);
    return end;
}

void test_stats_golden(void)
{
    hve_stats *st = hve_stats_new();
    CHECK(st != NULL);
    if (!st)
        return;
    char line[256];
    CHECK_EQ_STR(hve_stats_format(st, HVE_STATS_LIVE, line, sizeof line),
                 "0 done, 0 failed");
    CHECK_EQ_STR(hve_stats_format(st, HVE_STATS_CHART, line, sizeof line),
                 "chart of 0 handshakes");
    /* Three good handshakes (round trips 100, 80, 120 us) and one that
     * fails at the echo (CLOSED with an error): 1000 us apart. */
    int64_t t = 1000000;
    handshake(st, 1, t, 40, 100, 20, 14);
    handshake(st, 2, t + 1000, 50, 80, 30, 14);
    closed(st, 3, t + 2110, 110, 30, -1, -1, 7, HVE_EMISMATCH);
    int64_t end = handshake(st, 4, t + 3000, 60, 120, 10, 14);
    CHECK_EQ_INT(end, t + 3195);
    CHECK_EQ_INT(hve_stats_done(st), 3);
    CHECK_EQ_INT(hve_stats_failed(st), 1);
    CHECK_EQ_INT(hve_stats_bytes(st), 42);
    CHECK_EQ_INT(hve_stats_percentile(st, HVE_STATS_RTT, 0), 80);
    CHECK_EQ_INT(hve_stats_percentile(st, HVE_STATS_RTT, 50), 100);
    CHECK_EQ_INT(hve_stats_percentile(st, HVE_STATS_RTT, 99), 120);
    CHECK_EQ_INT(hve_stats_percentile(st, HVE_STATS_CONNECT, 50), 50);
    CHECK_EQ_INT(hve_stats_percentile(st, HVE_STATS_BYE, 100), 30);
    /* handshake: 40+100+20+5 = 165, 165, 195 */
    CHECK_EQ_INT(hve_stats_percentile(st, HVE_STATS_HANDSHAKE, 50), 165);
    hve_stats_figures f;
    hve_stats_get(st, HVE_STATS_RTT, &f);
    CHECK_EQ_INT(f.count, 3);
    CHECK(f.mean_us > 99.99 && f.mean_us < 100.01);
    /* 4 handshakes in 3195 us: 1252/s. */
    CHECK(hve_stats_rate(st) > 1251.9 && hve_stats_rate(st) < 1252.0);
    CHECK_EQ_STR(hve_stats_format(st, HVE_STATS_LIVE, line, sizeof line),
                 "3 done, 1 failed, 1252/s; round trip min 0.080, p50 "
                 "0.100, p99 0.120, max 0.120 ms");
    CHECK_EQ_STR(hve_stats_format(st, HVE_STATS_SUMMARY, line, sizeof line),
                 "4 handshakes: 3 done, 1 failed in 3.195 ms (1252/s); round "
                 "trip min 0.080, p50 0.100, p99 0.120, max 0.120 ms; "
                 "connect p50 0.050 ms, bye p50 0.020 ms");
    CHECK_EQ_STR(hve_stats_format(st, HVE_STATS_CHART, line, sizeof line),
                 "chart of 4 handshakes: round trip p50 0.100 ms, p99 "
                 "0.120 ms");
    /* The chart: four points in order, the failed one without an echo. */
    CHECK_EQ_INT(hve_stats_point_count(st), 4);
    const hve_stats_point *p = hve_stats_point_at(st, 2);
    CHECK(p && p->round == 3 && p->err == HVE_EMISMATCH &&
          p->us[HVE_STATS_RTT] == -1 && p->us[HVE_STATS_CONNECT] == 30 &&
          p->t_us == 2110);
    p = hve_stats_point_at(st, 3);
    CHECK(p && p->round == 4 && p->err == 0 && p->us[HVE_STATS_RTT] == 120 &&
          p->us[HVE_STATS_HANDSHAKE] == 195 && p->t_us == 3195);
    CHECK(hve_stats_point_at(st, 4) == NULL);

    /* One handshake of 64 MiB: single values, and MB/s. */
    hve_stats_reset(st);
    CHECK_EQ_INT(hve_stats_point_count(st), 0);
    handshake(st, 7, 0, 100, 200000, 50, 64u << 20);
    CHECK_EQ_STR(hve_stats_format(st, HVE_STATS_SUMMARY, line, sizeof line),
                 "1 handshake: 1 done, 0 failed in 200.155 ms (5.0/s); round "
                 "trip 200.000 ms; connect 0.100 ms, bye 0.050 ms; 335.5 "
                 "MB/s");
    CHECK(hve_mb_per_s(64u << 20, 200000) > 335.54 &&
          hve_mb_per_s(64u << 20, 200000) < 335.55);
    CHECK_EQ_INT(hve_mb_per_s(5, 0), 0);

    /* A refused connect, then one stopped by the user: one failed, the
     * stopped one is neither. */
    hve_stats_reset(st);
    closed(st, 1, 20, 10, -1, -1, -1, 0, HVE_EREFUSED);
    closed(st, 2, 50, 20, 10, -1, -1, 0, HVE_ECANCELED);
    CHECK_EQ_INT(hve_stats_done(st), 0);
    CHECK_EQ_INT(hve_stats_failed(st), 1);
    CHECK_EQ_INT(hve_stats_point_count(st), 1);
    CHECK_EQ_INT(hve_stats_percentile(st, HVE_STATS_RTT, 50), -1);
    CHECK_EQ_STR(hve_stats_format(st, HVE_STATS_SUMMARY, line, sizeof line),
                 "1 handshake: 0 done, 1 failed in 0.010 ms (100000/s)");
    /* Other events, and a server's CLOSED, change nothing. */
    hve_stats_reset(st);
    hve_event ev = {0};
    ev.kind = HVE_EV_CLOSED;
    ev.side = HVE_SIDE_SERVER;
    ev.dur_us = 10;
    hve_stats_feed(st, &ev);
    ev.kind = HVE_EV_BYE;
    ev.side = HVE_SIDE_CLIENT;
    hve_stats_feed(st, &ev);
    CHECK_EQ_INT(hve_stats_done(st) + hve_stats_failed(st), 0);
    /* A short buffer is cut, NUL-terminated. */
    char small[12];
    CHECK_EQ_STR(hve_stats_format(st, HVE_STATS_LIVE, small, sizeof small),
                 "0 done, 0 f");
    hve_stats_free(st);
}

void test_stats_precision(void)
{
    hve_stats *st = hve_stats_new();
    if (!st)
        return;
    /* Round trips 1..100000 us: percentiles within 0.4 %, ends exact. */
    int64_t t = 0;
    for (unsigned i = 1; i <= 100000; i++)
        t = handshake(st, i, t, 1, (int64_t)i, 1, 1) + 1;
    CHECK_EQ_INT(hve_stats_done(st), 100000);
    CHECK_EQ_INT(hve_stats_percentile(st, HVE_STATS_RTT, 0), 1);
    CHECK_EQ_INT(hve_stats_percentile(st, HVE_STATS_RTT, 100), 100000);
    /* Below 256 us each value has its own bucket: exact. */
    CHECK_EQ_INT(hve_stats_percentile(st, HVE_STATS_RTT, 0.2), 200);
    const double ps[] = {10, 50, 90, 99, 99.9};
    for (size_t i = 0; i < sizeof ps / sizeof ps[0]; i++) {
        double want = ps[i] * 1000;
        double got = (double)hve_stats_percentile(st, HVE_STATS_RTT, ps[i]);
        CHECK(got >= want * 0.996 && got <= want * 1.004);
    }
    /* The chart keeps the last HVE_STATS_POINTS, oldest first. */
    CHECK_EQ_INT(hve_stats_point_count(st), HVE_STATS_POINTS);
    const hve_stats_point *first = hve_stats_point_at(st, 0);
    const hve_stats_point *last = hve_stats_point_at(st, HVE_STATS_POINTS - 1);
    CHECK(first && first->round == 100000 - HVE_STATS_POINTS + 1);
    CHECK(last && last->round == 100000 && last->us[HVE_STATS_RTT] == 100000);
    /* Past the histogram's top (2^40 us) the max stays exact. */
    handshake(st, 100001, t, 1, (int64_t)1 << 42, 1, 1);
    CHECK_EQ_INT(hve_stats_percentile(st, HVE_STATS_RTT, 100),
                 (int64_t)1 << 42);
    hve_stats_free(st);
}

void test_hexdump(void)
{
    char out[512];
    size_t n = hve_hexdump("this is a test", 14, 0, 0, out, sizeof out);
    CHECK_EQ_STR(out, "00000000  74 68 69 73 20 69 73 20  61 20 74 65 73 74"
                      "        |this is a test|\n");
    CHECK_EQ_INT(n, strlen(out));
    /* Two lines, control and high bytes as '.', an offset past 4 GiB,
     * CRLF for Win32 edit controls. */
    unsigned char b[18];
    for (int i = 0; i < 18; i++)
        b[i] = (unsigned char)(0x7a + i);
    n = hve_hexdump(b, sizeof b, 0x100000000ull, HVE_HEX_CRLF, out,
                    sizeof out);
    CHECK_EQ_STR(out, "100000000  7a 7b 7c 7d 7e 7f 80 81  82 83 84 85 86 87"
                      " 88 89  |z{|}~...........|\r\n"
                      "100000010  8a 8b                                    "
                      "         |..|\r\n");
    CHECK_EQ_INT(n, strlen(out));
    /* Too small: only whole lines, and the full length is returned. */
    char small[100];
    size_t full = hve_hexdump(b, sizeof b, 0, 0, small, sizeof small);
    CHECK_EQ_INT(full, 79 + 79 - 16 + 2);
    CHECK_EQ_INT(strlen(small), 79);
    CHECK_EQ_INT(hve_hexdump(b, sizeof b, 0, 0, NULL, 0), full);
    CHECK_EQ_INT(hve_hexdump(b, 0, 0, 0, out, sizeof out), 0);
    CHECK_EQ_STR(out, "");
}

void test_duration_parse(void)
{
    int64_t us = 0;
    CHECK(hve_duration_parse("250ms", INT64_MAX, &us) && us == 250000);
    CHECK(hve_duration_parse("1.5s", INT64_MAX, &us) && us == 1500000);
    CHECK(hve_duration_parse("0.5", INT64_MAX, &us) && us == 500000);
    CHECK(hve_duration_parse("2m", INT64_MAX, &us) && us == 120000000);
    CHECK(hve_duration_parse("100us", INT64_MAX, &us) && us == 100);
    CHECK(hve_duration_parse("0", INT64_MAX, &us) && us == 0);
    CHECK(hve_duration_parse(".25s", INT64_MAX, &us) && us == 250000);
    CHECK(!hve_duration_parse("", INT64_MAX, &us));
    CHECK(!hve_duration_parse("-1s", INT64_MAX, &us));
    CHECK(!hve_duration_parse("1 s", INT64_MAX, &us));
    CHECK(!hve_duration_parse("1h", INT64_MAX, &us));
    CHECK(!hve_duration_parse("ms", INT64_MAX, &us));
    CHECK(!hve_duration_parse("2s", 1000000, &us));
    CHECK(!hve_duration_parse(NULL, INT64_MAX, &us));
}

void test_stats_axis(void)
{
    const struct {
        int64_t max, top, step;
        const char *label; /* of the first grid line */
    } cases[] = {
        {0, 10, 2, "0.002 ms"},           {10, 10, 2, "0.002 ms"},
        {11, 20, 5, "0.005 ms"},          {78, 100, 20, "0.02 ms"},
        {150, 200, 50, "0.05 ms"},        {300, 500, 100, "0.1 ms"},
        {999, 1000, 200, "0.2 ms"},       {4500, 5000, 1000, "1 ms"},
        {200000, 200000, 50000, "50 ms"}, {9000000, 10000000, 2000000, "2 s"},
        {25000000, 50000000, 10000000, "10 s"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        hve_stats_axis a;
        hve_stats_axis_for(cases[i].max, &a);
        CHECK_EQ_INT(a.top_us, cases[i].top);
        CHECK_EQ_INT(a.step_us, cases[i].step);
        CHECK_EQ_INT(a.step_us * a.ticks, a.top_us);
        char label[32];
        CHECK_EQ_STR(hve_stats_axis_label(&a, a.step_us, label, sizeof label),
                     cases[i].label);
    }
    hve_stats_axis a;
    hve_stats_axis_for(INT64_MAX, &a);
    CHECK(a.top_us > 0 && a.step_us > 0);
}
