/* probe.c - `hvecho probe TARGET... [--every D] [--count N] [--deadline D]
 * [--textfile FILE.prom] [--json]`: a full handshake to every target at
 * once (one core client session each, with an overall deadline), once or
 * on a schedule; each result as a line (text or JSON), and the counters
 * of every target as Prometheus text exposition, replaced atomically in
 * FILE.prom for node_exporter's or windows_exporter's textfile collector.
 *
 * The main thread starts the sessions of a round in one pump (pump.c,
 * as every command does), drains them (a signal stops them all, run.c's
 * flag), records the results and sleeps until the
 * next round in short slices so Ctrl+C / SIGTERM ends it at once.
 * Main thread only (the sessions run their own workers). */
#include "probe.h"

#include "hvecho/hvecho.h"
#include "options.h"
#include "pump.h"
#include "run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLICE_MS 50 /* how often a wait looks at the signal flag */

typedef struct ptarget {
    const char *text;      /* as given: the target label */
    hve_addr addr;
    int idx;               /* in the monitor */
    hve_session *s;
    int64_t start;
    hve_probe_result res;
} ptarget;

typedef struct probe_cli {
    ptarget *t;
    size_t n, cap;
    char **lists;          /* the arguments' copies, split in place at
                              the commas; the targets' texts point in */
    size_t nlists;
    hve_service service;
    const char *service_text;
    const char *message;
    int64_t timeout_us;
    int64_t deadline_us;
    int64_t every_us;      /* 0 = no schedule */
    uint64_t count;        /* rounds; 0 = until stopped */
    bool count_given;
    const char *textfile;
    bool json;
    bool quiet;
} probe_cli;

bool probe_is_command(int argc, char **argv)
{
    return argc > 1 && strcmp(argv[1], "probe") == 0;
}

static void usage(void)
{
    printf(
"Usage: hvecho probe TARGET... [options]\n"
"  A full hvecho handshake (connect, echo, bye) to every TARGET at once,\n"
"  once or every DURATION; each result as a line, and the counters as a\n"
"  Prometheus textfile for node_exporter / windows_exporter.\n"
"  TARGET as for hvecho -c (N, cid:N, parent, a VM GUID, tcp:HOST:PORT,\n"
"  unix:PATH); several in one argument separated by commas.\n"
"\n"
"Options:\n"
"  -p, --service GUID|PORT  the service of vsock / Hyper-V targets\n"
"                           (default 0x3049197C)\n"
"  -m, --message TEXT       the message (default \"this is a test\")\n"
"  -t, --timeout DURATION   connect (with the name lookup) and each read\n"
"                           (default 5s)\n"
"      --deadline DURATION  the whole handshake of one target, however\n"
"                           slowly a peer trickles bytes (default 10s)\n"
"      --every DURATION     probe again every DURATION until stopped\n"
"                           (Ctrl+C, SIGTERM); rounds never overlap\n"
"  -n, --count N            stop after N rounds (default 1; with --every:\n"
"                           until stopped)\n"
"      --textfile PATH      after each round, replace PATH (say\n"
"                           /var/lib/prometheus/node-exporter/hvecho.prom)\n"
"                           atomically with the metrics of every target\n"
"      --json               one JSON object per target per round\n"
"  -q, --quiet              print failures only\n"
"DURATION: a number with us, ms, s or m (no unit: seconds), e.g. 100ms,\n"
"15s, 2m.\n"
"\n"
"Metrics (labels target, and service for vsock / Hyper-V targets):\n"
"  hvecho_probe_success                      1 = last handshake completed\n"
"  hvecho_probe_duration_seconds{phase}      connect, echo, bye, total\n"
"  hvecho_probe_timestamp_seconds            when the last probe ended\n"
"  hvecho_probe_last_success_timestamp_seconds\n"
"  hvecho_probes_total                       probes since the start\n"
"  hvecho_probe_failures_total{reason}       failures by hvecho error name\n"
"                                            (refused, timed-out, deadline,\n"
"                                            not-found, no-bye, reset, ...)\n"
"\n"
"Exit: 0 every target of the last round succeeded (or stopped by a\n"
"signal while running --every); else the exit code of hvecho -c for the\n"
"first failure (1 handshake failed, 3 could not connect, 4 no transport),\n"
"2 bad usage.\n");
}

static int add_targets(probe_cli *p, const char *arg)
{
    size_t len = strlen(arg);
    char *copy = malloc(len + 1);
    if (!copy)
        return cli_usage_error("out of memory");
    memcpy(copy, arg, len + 1);
    char **lists = realloc(p->lists, (p->nlists + 1) * sizeof *lists);
    if (!lists) {
        free(copy);
        return cli_usage_error("out of memory");
    }
    p->lists = lists;
    p->lists[p->nlists++] = copy;
    char *save = copy;
    for (char *tok = copy; tok; tok = save) {
        char *comma = strchr(tok, ',');
        save = comma ? comma + 1 : NULL;
        if (comma)
            *comma = '\0';
        if (!*tok)
            continue;
        /* The same target twice would be the same series twice, which
         * the collectors reject: once is enough. */
        bool seen = false;
        for (size_t i = 0; i < p->n && !seen; i++)
            seen = strcmp(p->t[i].text, tok) == 0;
        if (seen)
            continue;
        if (p->n == p->cap) {
            size_t cap = p->cap ? p->cap * 2 : 8;
            ptarget *t = realloc(p->t, cap * sizeof *t);
            if (!t)
                return cli_usage_error("out of memory");
            p->t = t;
            p->cap = cap;
        }
        ptarget *t = &p->t[p->n];
        memset(t, 0, sizeof *t);
        char why[300];
        if (hve_target_parse(tok, hve_platform_native(), &t->addr, why,
                             sizeof why))
            return cli_usage_error("bad target '%s': %s", tok, why);
        t->text = tok;
        p->n++;
    }
    return 0;
}

/* Returns 0, the exit code for bad usage, or -1 after --help. */
static int parse(int argc, char **argv, probe_cli *p)
{
    memset(p, 0, sizeof *p);
    p->timeout_us = 5000000;
    p->deadline_us = 10000000;
    hve_service_default(&p->service);
    cli_args a = {argc, argv, 2, NULL, NULL, ""};
    for (; cli_args_at(&a); a.i++) {
        const char *o = a.opt, *v;
        if (cli_is(o, "-h", "--help")) {
            usage();
            return -1;
        } else if (cli_is(o, "-p", "--service")) {
            if (!(p->service_text = cli_args_value(&a)))
                return HVE_EXIT_USAGE;
        } else if (cli_is(o, "-m", "--message")) {
            if (!(p->message = cli_args_value(&a)))
                return HVE_EXIT_USAGE;
            if (!*p->message)
                return cli_usage_error("the message is empty: the handshake "
                                       "needs at least one byte");
        } else if (cli_is(o, "-t", "--timeout")) {
            if (!(v = cli_args_value(&a)))
                return HVE_EXIT_USAGE;
            if (!hve_duration_parse(v, (int64_t)300 * 1000000,
                                    &p->timeout_us) ||
                p->timeout_us < 1000)
                return cli_usage_error("--timeout '%s': give a duration "
                                       "from 1ms to 300s (e.g. 5s)", v);
        } else if (cli_is(o, NULL, "--deadline")) {
            if (!(v = cli_args_value(&a)))
                return HVE_EXIT_USAGE;
            if (!hve_duration_parse(v, (int64_t)3600 * 1000000,
                                    &p->deadline_us) ||
                p->deadline_us < 1000)
                return cli_usage_error("--deadline '%s': give a duration "
                                       "from 1ms to 60m (e.g. 10s)", v);
        } else if (cli_is(o, NULL, "--every")) {
            if (!(v = cli_args_value(&a)))
                return HVE_EXIT_USAGE;
            if (!hve_duration_parse(v, (int64_t)86400 * 1000000,
                                    &p->every_us) ||
                p->every_us < 10000)
                return cli_usage_error("--every '%s': give a duration from "
                                       "10ms to 1440m (e.g. 15s)", v);
        } else if (cli_is(o, "-n", "--count")) {
            if (!(v = cli_args_value(&a)))
                return HVE_EXIT_USAGE;
            if (!hve_size_parse(v, 1000000000, &p->count) || !p->count)
                return cli_usage_error("--count '%s': give a whole number "
                                       "from 1", v);
            p->count_given = true;
        } else if (cli_is(o, NULL, "--textfile")) {
            if (!(p->textfile = cli_args_value(&a)))
                return HVE_EXIT_USAGE;
            if (!*p->textfile)
                return cli_usage_error("--textfile needs a file name");
        } else if (cli_is(o, NULL, "--json")) {
            p->json = true;
        } else if (cli_is(o, "-q", "--quiet")) {
            p->quiet = true;
        } else if (o[0] == '-' && o[1] != '\0') {
            return cli_usage_error("unknown option '%s' (see hvecho probe "
                                   "--help)", o);
        } else {
            int rc = add_targets(p, o);
            if (rc)
                return rc;
        }
    }
    if (!p->n)
        return cli_usage_error("probe: give at least one target (see hvecho "
                               "probe --help)");
    if (p->service_text) {
        char why[256];
        if (hve_service_parse(p->service_text, hve_platform_native(),
                              &p->service, why, sizeof why))
            return cli_usage_error("bad service: %s", why);
    }
    if (!p->count_given)
        p->count = p->every_us > 0 ? 0 : 1;
    return 0;
}

/* The service label of vsock and Hyper-V targets ("0x3049197C", or the
 * GUID when it has no port form); NULL for tcp and unix. */
static const char *service_label(const probe_cli *p, const hve_addr *a,
                                 char *buf, size_t len)
{
    if (a->family != HVE_FAM_VSOCK && a->family != HVE_FAM_HYPERV)
        return NULL;
    if (p->service.has_port)
        snprintf(buf, len, "0x%08lX", (unsigned long)p->service.port);
    else
        hve_guid_format(&p->service.guid, buf);
    return buf;
}

static void show(const probe_cli *p, const ptarget *t, unsigned round)
{
    const hve_probe_result *r = &t->res;
    if (p->json) {
        char svc[HVE_GUID_STRLEN + 16], line[HVE_HOST_MAX * 6 + 2048];
        puts(hve_probe_result_json(r, t->text,
                                   service_label(p, &t->addr, svc, sizeof svc),
                                   round, line, sizeof line));
    } else if (!r->err) {
        if (!p->quiet)
            printf("%-24s ok      connect %.3f ms, echo %.3f ms, bye %.3f ms, "
                   "total %.3f ms\n",
                   t->text, (double)r->phase_us[HVE_PHASE_CONNECT] / 1000.0,
                   (double)r->phase_us[HVE_PHASE_ECHO] / 1000.0,
                   (double)r->phase_us[HVE_PHASE_BYE] / 1000.0,
                   (double)r->total_us / 1000.0);
    } else {
        char esc[sizeof r->detail * 4 + 8];
        hve_escape(r->detail, strlen(r->detail), esc, sizeof esc);
        printf("%-24s FAILED  %s: %s%s%s\n", t->text, hve_errname(r->err),
               hve_strerror(r->err), *esc ? ": " : "", esc);
    }
}

/* The pump's show: each event goes to its target's result; FINISHED
 * ends the target's session (the pump frees it). */
static void probe_event(void *user, hve_session *s, const hve_event *ev)
{
    probe_cli *p = user;
    for (size_t i = 0; i < p->n; i++) {
        ptarget *t = &p->t[i];
        if (t->s != s)
            continue;
        hve_probe_result_event(&t->res, ev, t->start);
        if (ev->kind == HVE_EV_FINISHED)
            t->s = NULL;
        return;
    }
}

/* A target whose session did not start: its result says why. */
static void not_started(ptarget *t, int err)
{
    t->res.err = err;
    snprintf(t->res.detail, sizeof t->res.detail, "cannot start the probe");
    t->res.total_us = 0;
    t->res.end_unix = hve_unix_time();
}

/* One round: every target at once, in one pump (events shown in the
 * order they happened). Returns false when a signal stopped it (its
 * results are not counted). */
static bool round_run(probe_cli *p, hve_monitor *m, unsigned round)
{
    hve_client_opts co;
    memset(&co, 0, sizeof co);
    co.service = p->service;
    if (p->message) {
        co.message = p->message;
        co.message_len = strlen(p->message);
    }
    co.timeout_ms = (int)((p->timeout_us + 999) / 1000);
    co.deadline_ms = (int)((p->deadline_us + 999) / 1000);
    co.count = 1;
    pump pm;
    int perr = pump_init(&pm, p->n, probe_event, p);
    for (size_t i = 0; i < p->n; i++) {
        ptarget *t = &p->t[i];
        hve_probe_result_init(&t->res);
        co.target = t->addr;
        int err = perr;
        t->start = hve_monotonic_us();
        t->s = perr ? NULL : pump_client(&pm, &co, &err);
        if (!t->s)
            not_started(t, err ? err : HVE_ENOMEM);
    }
    bool stopping = false;
    while (!perr && pump_drain(&pm, SLICE_MS) > 0) {
        if (run_interrupted() && !stopping) {
            stopping = true;
            pump_stop(&pm);
        }
    }
    if (!perr)
        pump_free(&pm);
    if (stopping)
        return false;
    for (size_t i = 0; i < p->n; i++) {
        show(p, &p->t[i], round);
        hve_monitor_record(m, p->t[i].idx, &p->t[i].res);
    }
    fflush(stdout);
    return true;
}

static void probe_free(probe_cli *p)
{
    for (size_t i = 0; i < p->nlists; i++)
        free(p->lists[i]);
    free(p->lists);
    free(p->t);
}

static bool write_textfile(const probe_cli *p, const hve_monitor *m)
{
    size_t len = 0;
    char *text = hve_monitor_format(m, &len);
    char why[512] = "";
    int err = text ? hve_file_replace(p->textfile, text, len, why, sizeof why)
                   : HVE_ENOMEM;
    free(text);
    if (err)
        fprintf(stderr, "hvecho: --textfile: %s%s%s\n", hve_strerror(err),
                *why ? ": " : "", why);
    return err == 0;
}

/* Sleeps until the monotonic time until_us, in slices; false when a
 * signal came. */
static bool sleep_until(int64_t until_us)
{
    for (;;) {
        if (run_interrupted())
            return false;
        int64_t left = until_us - hve_monotonic_us();
        if (left <= 0)
            return true;
        int ms = (int)((left + 999) / 1000);
        hve_sleep_ms(ms < SLICE_MS ? ms : SLICE_MS);
    }
}

int probe_main(int argc, char **argv)
{
    probe_cli p;
    int rc = parse(argc, argv, &p);
    if (rc) {
        probe_free(&p);
        return rc < 0 ? 0 : rc;
    }
    /* Every target at once: a few descriptors each. */
    hve_raise_fd_limit();
    hve_monitor *m = hve_monitor_new();
    if (!m) {
        probe_free(&p);
        return cli_usage_error("out of memory");
    }
    for (size_t i = 0; i < p.n; i++) {
        char svc[HVE_GUID_STRLEN + 16];
        p.t[i].idx = hve_monitor_add(
            m, p.t[i].text, service_label(&p, &p.t[i].addr, svc, sizeof svc));
        if (p.t[i].idx < 0) {
            hve_monitor_free(m);
            probe_free(&p);
            return cli_usage_error("out of memory");
        }
    }
    int64_t every_us = p.every_us;
    int64_t next = hve_monotonic_us();
    int exit_code = HVE_EXIT_OK;
    bool stopped = false, written = true;
    for (uint64_t round = 1; p.count == 0 || round <= p.count; round++) {
        if (!round_run(&p, m, (unsigned)round)) {
            stopped = true;
            break;
        }
        exit_code = HVE_EXIT_OK;
        for (size_t i = 0; i < p.n; i++)
            if (p.t[i].res.err) {
                exit_code = hve_exit_code(p.t[i].res.err);
                break;
            }
        if (p.textfile)
            written = write_textfile(&p, m);
        if (p.count && round == p.count)
            break;
        /* The next tick of the schedule; ticks a slow round overran are
         * skipped rather than run back to back. */
        next += every_us;
        int64_t now = hve_monotonic_us();
        if (every_us == 0)
            next = now; /* -n without --every: back to back */
        else if (next < now)
            next += ((now - next) / every_us + 1) * every_us;
        if (!sleep_until(next)) {
            stopped = true;
            break;
        }
    }
    hve_monitor_free(m);
    probe_free(&p);
    if (stopped)
        return p.every_us > 0 ? HVE_EXIT_OK : HVE_EXIT_FAILED;
    if (!written && exit_code == HVE_EXIT_OK)
        exit_code = HVE_EXIT_FAILED;
    return exit_code;
}
