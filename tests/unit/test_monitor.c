/* test_monitor.c - monitor.h: probe results from session events, their
 * JSON line, the Prometheus exposition (families, escaping, counters by
 * reason) and the atomic file replace; hve_socket_activated's reading of
 * LISTEN_PID / LISTEN_FDS. Main thread only. */
#define _POSIX_C_SOURCE 200809L /* setenv, getpid */
#include "check.h"
#include "tests.h"

#include "hvecho/hvecho.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifndef _WIN32
#include <unistd.h>
#endif

static hve_event ev_of(hve_event_kind kind, int64_t dur_us, int err)
{
    hve_event ev;
    memset(&ev, 0, sizeof ev);
    ev.kind = kind;
    ev.dur_us = dur_us;
    ev.err = err;
    ev.mono_us = 5000;
    return ev;
}

void test_prom_escape(void)
{
    char out[64];
    CHECK_EQ_STR(hve_prom_label_escape("cid:3", out, sizeof out), "cid:3");
    CHECK_EQ_STR(hve_prom_label_escape("a\"b\\c\nd", out, sizeof out),
                 "a\\\"b\\\\c\\nd");
    /* Cut short, never in the middle of an escape. */
    CHECK_EQ_STR(hve_prom_label_escape("ab\"c", out, 4), "ab");
    CHECK_EQ_STR(hve_prom_label_escape("abc", out, 1), "");
}

void test_probe_result(void)
{
    hve_probe_result r;
    hve_probe_result_init(&r);
    hve_event e = ev_of(HVE_EV_CONNECTED, 120, 0);
    hve_probe_result_event(&r, &e, 1000);
    e = ev_of(HVE_EV_RECEIVED, 80, 0);
    hve_probe_result_event(&r, &e, 1000);
    e = ev_of(HVE_EV_BYE, 30, 0);
    hve_probe_result_event(&r, &e, 1000);
    e = ev_of(HVE_EV_FINISHED, -1, 0);
    hve_probe_result_event(&r, &e, 1000);
    CHECK_EQ_INT(r.err, 0);
    CHECK_EQ_INT(r.phase_us[HVE_PHASE_CONNECT], 120);
    CHECK_EQ_INT(r.phase_us[HVE_PHASE_ECHO], 80);
    CHECK_EQ_INT(r.phase_us[HVE_PHASE_BYE], 30);
    CHECK_EQ_INT(r.total_us, 4000);
    CHECK(!r.canceled);
    char line[1024];
    hve_probe_result_json(&r, "cid:3", "0x3049197C", 2, line, sizeof line);
    CHECK(strstr(line, "{\"probe\":\"cid:3\",\"service\":\"0x3049197C\","
                       "\"round\":2,") == line);
    CHECK(strstr(line, "\"success\":true,\"connect_ms\":0.120,"
                       "\"echo_ms\":0.080,\"bye_ms\":0.030,"
                       "\"total_ms\":4.000}") != NULL);

    /* A failure: the first error is the reason; no bye phase. */
    hve_probe_result_init(&r);
    e = ev_of(HVE_EV_CONNECTED, 100, 0);
    hve_probe_result_event(&r, &e, 0);
    e = ev_of(HVE_EV_ERROR, -1, HVE_EDEADLINE);
    strcpy(e.detail, "the deadline of 3000 ms passed \"during\" the echo");
    hve_probe_result_event(&r, &e, 0);
    e = ev_of(HVE_EV_FINISHED, -1, HVE_EDEADLINE);
    hve_probe_result_event(&r, &e, 0);
    CHECK_EQ_INT(r.err, HVE_EDEADLINE);
    CHECK_EQ_INT(r.phase_us[HVE_PHASE_BYE], -1);
    hve_probe_result_json(&r, "tcp:h:1", NULL, 1, line, sizeof line);
    CHECK(strstr(line, "\"service\"") == NULL);
    CHECK(strstr(line, "\"success\":false,\"connect_ms\":0.100,") != NULL);
    CHECK(strstr(line, "\"error\":\"deadline\"") != NULL);
    CHECK(strstr(line, "passed \\\"during\\\" the echo\"}") != NULL);

    /* Stopped by the user: not a result. */
    hve_probe_result_init(&r);
    e = ev_of(HVE_EV_FINISHED, -1, HVE_ECANCELED);
    hve_probe_result_event(&r, &e, 0);
    CHECK(r.canceled);
}

static hve_probe_result result(int err, double end)
{
    hve_probe_result r;
    hve_probe_result_init(&r);
    r.err = err;
    r.total_us = 2500;
    r.end_unix = end;
    if (!err) {
        r.phase_us[HVE_PHASE_CONNECT] = 1000;
        r.phase_us[HVE_PHASE_ECHO] = 1000;
        r.phase_us[HVE_PHASE_BYE] = 500;
    }
    return r;
}

void test_monitor_format(void)
{
    hve_monitor *m = hve_monitor_new();
    CHECK(m != NULL);
    if (!m)
        return;
    int a = hve_monitor_add(m, "cid:3", "0x3049197C");
    int b = hve_monitor_add(m, "unix:/run/a\"b", NULL);
    int c = hve_monitor_add(m, "tcp:never:1", NULL);
    CHECK_EQ_INT(a, 0);
    CHECK_EQ_INT(b, 1);
    CHECK_EQ_INT(c, 2);
    hve_probe_result r = result(0, 100.5);
    hve_monitor_record(m, a, &r);
    r = result(HVE_EREFUSED, 101);
    hve_monitor_record(m, a, &r);
    r = result(HVE_EREFUSED, 102);
    hve_monitor_record(m, b, &r);
    r = result(HVE_ENOBYE, 103);
    hve_monitor_record(m, b, &r);
    r = result(0, 104);
    r.canceled = true; /* ignored */
    hve_monitor_record(m, b, &r);
    size_t len = 0;
    char *t = hve_monitor_format(m, &len);
    CHECK(t != NULL);
    if (!t) {
        hve_monitor_free(m);
        return;
    }
    CHECK_EQ_INT(len, strlen(t));
    static const char *const want[] = {
        "# TYPE hvecho_probe_success gauge\n",
        "hvecho_probe_success{target=\"cid:3\",service=\"0x3049197C\"} 0\n",
        "hvecho_probe_success{target=\"unix:/run/a\\\"b\"} 0\n",
        "# TYPE hvecho_probe_duration_seconds gauge\n",
        "hvecho_probe_duration_seconds{target=\"unix:/run/a\\\"b\","
        "phase=\"total\"} 0.002500\n",
        "# TYPE hvecho_probe_timestamp_seconds gauge\n",
        "hvecho_probe_timestamp_seconds{target=\"cid:3\","
        "service=\"0x3049197C\"} 101.000\n",
        "# TYPE hvecho_probe_last_success_timestamp_seconds gauge\n",
        "hvecho_probe_last_success_timestamp_seconds{target=\"cid:3\","
        "service=\"0x3049197C\"} 100.500\n",
        "# TYPE hvecho_probes_total counter\n",
        "hvecho_probes_total{target=\"cid:3\",service=\"0x3049197C\"} 2\n",
        "hvecho_probes_total{target=\"unix:/run/a\\\"b\"} 2\n",
        "# TYPE hvecho_probe_failures_total counter\n",
        "hvecho_probe_failures_total{target=\"cid:3\",service=\"0x3049197C\","
        "reason=\"refused\"} 1\n",
        "hvecho_probe_failures_total{target=\"unix:/run/a\\\"b\","
        "reason=\"refused\"} 1\n",
        "hvecho_probe_failures_total{target=\"unix:/run/a\\\"b\","
        "reason=\"no-bye\"} 1\n",
    };
    const char *at = t;
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const char *f = strstr(at, want[i]);
        if (!f)
            fprintf(stderr, "missing, or out of order: %s", want[i]);
        CHECK(f != NULL);
        if (f)
            at = f + strlen(want[i]);
    }
    /* A target never probed has no samples; no success, no timestamp. */
    CHECK(strstr(t, "tcp:never:1") == NULL);
    CHECK(strstr(t, "last_success_timestamp_seconds{target=\"unix") == NULL);
    CHECK(strstr(t, "phase=\"connect\"} 0.001000") == NULL); /* last failed */
    free(t);
    hve_monitor_free(m);
}

void test_file_replace(void)
{
    char dir[] = "/tmp/hvecho-unit-XXXXXX";
#ifndef _WIN32
    CHECK(mkdtemp(dir) != NULL);
#endif
    char path[128], why[256];
    snprintf(path, sizeof path, "%s/m.prom", dir);
    CHECK_EQ_INT(hve_file_replace(path, "one\n", 4, why, sizeof why), 0);
    CHECK_EQ_INT(hve_file_replace(path, "two two\n", 8, why, sizeof why), 0);
    FILE *f = fopen(path, "r");
    char buf[32] = "";
    CHECK(f != NULL);
    if (f) {
        CHECK(fgets(buf, sizeof buf, f) != NULL);
        fclose(f);
    }
    CHECK_EQ_STR(buf, "two two\n");
    char missing[160];
    snprintf(missing, sizeof missing, "%s/no/such/dir/m.prom", dir);
    why[0] = '\0';
    CHECK_EQ_INT(hve_file_replace(missing, "x", 1, why, sizeof why),
                 HVE_ENOTFOUND);
    CHECK(strstr(why, "no/such/dir") != NULL);
    remove(path);
    remove(dir);
}

void test_socket_activated(void)
{
#ifndef _WIN32
    char pid[32];
    unsetenv("LISTEN_PID");
    unsetenv("LISTEN_FDS");
    CHECK(!hve_socket_activated());
    snprintf(pid, sizeof pid, "%ld", (long)getpid());
    setenv("LISTEN_PID", pid, 1);
    setenv("LISTEN_FDS", "1", 1);
    CHECK(hve_socket_activated());
    setenv("LISTEN_FDS", "0", 1);
    CHECK(!hve_socket_activated());
    setenv("LISTEN_FDS", "2x", 1);
    CHECK(!hve_socket_activated());
    /* Meant for another process (a parent's variables inherited). */
    snprintf(pid, sizeof pid, "%ld", (long)getpid() + 1);
    setenv("LISTEN_PID", pid, 1);
    setenv("LISTEN_FDS", "1", 1);
    CHECK(!hve_socket_activated());
    unsetenv("LISTEN_PID");
    unsetenv("LISTEN_FDS");
#endif
}
