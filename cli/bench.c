/* bench.c - `hvecho bench latency|throughput|connections|idle` and
 * `hvecho stress`: parses the command line, runs the core's benchmark
 * engine (hvecho/bench.h) on the main thread, shows a progress line while
 * stdout is a terminal, and prints the figures as text or one JSON object.
 *
 * The engine calls progress() on this thread every ~200 ms; Ctrl+C /
 * SIGTERM (run.c's flag) makes it return false, which stops the run (or
 * ends the idle hold early, with every connection closed properly).
 * Main thread only. */
#ifndef _WIN32
#define _POSIX_C_SOURCE 200809L /* fileno, isatty */
#endif
#include "bench.h"

#include "hvecho/hvecho.h"
#include "options.h"
#include "report.h"
#include "run.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _WIN32
#include <io.h>
#define stdout_is_tty() _isatty(_fileno(stdout))
#else
#include <unistd.h>
#define stdout_is_tty() isatty(fileno(stdout))
#endif

typedef struct bench_cli {
    hve_bench_kind kind;
    const char *target_text;
    hve_bench_opts o;
    bool json;
    bool quiet;
    bool tty;          /* draw the progress line */
    bool progress_shown;
    bool held_said;    /* idle: "holding" printed */
    bool count_given, size_given;
    char target[HVE_HOST_MAX + 96];
} bench_cli;

static void usage(void)
{
    printf(
"Usage:\n"
"  hvecho bench latency [TARGET] [-n COUNT] [--size BYTES] [--duration S]\n"
"      ping-pong COUNT messages (default 10000) of BYTES (default 64) on\n"
"      one connection; round trip p50, p90, p99, max in microseconds\n"
"  hvecho bench throughput [TARGET] [--bytes BYTES | --duration S]\n"
"      stream BYTES (default 1G) through the echo, sending and receiving\n"
"      at once, every byte checked; MB/s and Gbit/s of echoed data\n"
"  hvecho bench connections [TARGET] [-n COUNT] [-P PARALLEL] [--size B]\n"
"      COUNT full handshakes (default 1000) one after another, then\n"
"      PARALLEL (default 16) at a time; handshakes/s, connect times\n"
"  hvecho bench idle [TARGET] -n COUNT [--hold S] [-P CONNECTING]\n"
"      open COUNT connections that send nothing, hold them S seconds\n"
"      (default: until Ctrl+C / SIGTERM), then close each with the\n"
"      shutdown and the bye\n"
"  hvecho stress [TARGET] [-P CLIENTS] [--duration S | -n CONNS]\n"
"                [--max-size BYTES] [--seed N]\n"
"      CLIENTS (default 32) at once for S seconds (default 10) or CONNS\n"
"      handshakes, random sizes up to BYTES (default 1M), every byte\n"
"      checked; errors counted by kind; exit 1 on any failure\n"
"\n"
"TARGET as for hvecho -c (default loopback); also -p SERVICE, -t TIMEOUT\n"
"(connect, and most seconds without progress; default 5), --json, -q.\n"
"The server is any hvecho server (hvecho -s) or compatible echo peer;\n"
"--no-bye: the peer only echoes (no bye after our shutdown, e.g.\n"
"ncat -l -k --sh-exec cat), so end of stream alone ends a handshake.\n");
}

static bool secs_arg(const char *s, double max, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(v) || v < 0 || v > max)
        return false;
    *out = v;
    return true;
}

bool bench_is_command(int argc, char **argv)
{
    return argc > 1 &&
           (strcmp(argv[1], "bench") == 0 || strcmp(argv[1], "stress") == 0);
}

/* Returns 0, or the exit code for bad usage; -1 for --help. */
static int parse(int argc, char **argv, bench_cli *b)
{
    memset(b, 0, sizeof *b);
    hve_bench_opts *o = &b->o;
    hve_service_default(&o->service);
    double timeout_s = HVE_DEFAULT_TIMEOUT_MS / 1000.0;
    const char *service_text = NULL;
    int i;
    if (strcmp(argv[1], "stress") == 0) {
        b->kind = HVE_BENCH_STRESS;
        i = 2;
    } else {
        if (argc < 3 || cli_is(argv[2], "-h", "--help"))
            return -1;
        static const hve_bench_kind kinds[] = {
            HVE_BENCH_LATENCY, HVE_BENCH_THROUGHPUT, HVE_BENCH_CONNECTIONS,
            HVE_BENCH_IDLE};
        size_t k;
        for (k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
            if (strcmp(argv[2], hve_bench_kind_name(kinds[k])) == 0)
                break;
        if (k == sizeof kinds / sizeof kinds[0])
            return cli_usage_error("unknown benchmark '%s': say latency, "
                                   "throughput, connections or idle",
                                   argv[2]);
        b->kind = kinds[k];
        i = 3;
    }
    o->kind = b->kind;
    cli_args args = {argc, argv, i, NULL, NULL, ""};
    for (; cli_args_at(&args); args.i++) {
        const char *a = args.opt;
#define VALUE() cli_args_value(&args)
#define NEED(v)                                                              \
    if (!(v))                                                                \
        return HVE_EXIT_USAGE;
        const char *v;
        uint64_t n;
        if (cli_is(a, "-h", "--help")) {
            return -1;
        } else if (cli_is(a, "-p", "--service")) {
            NEED(service_text = VALUE());
        } else if (cli_is(a, "-t", "--timeout")) {
            NEED(v = VALUE());
            if (!secs_arg(v, 300, &timeout_s) || timeout_s <= 0)
                return cli_usage_error("--timeout '%s': give seconds, more "
                                       "than 0 and at most 300", v);
        } else if (cli_is(a, "-n", "--count")) {
            NEED(v = VALUE());
            if (!hve_count_parse(v, 1000000000, &n) || n == 0)
                return cli_usage_error("--count '%s': give a whole number "
                                       "from 1", v);
            o->count = n;
            b->count_given = true;
        } else if (cli_is(a, NULL, "--size") || cli_is(a, NULL, "--max-size")) {
            NEED(v = VALUE());
            if (!hve_size_parse(v, (uint64_t)1 << 30, &n) || n == 0)
                return cli_usage_error("%s '%s': give a number of bytes from "
                                       "1 to 1G (K, M, G allowed, e.g. "
                                       "64MiB)", a, v);
            o->size = n;
            b->size_given = true;
        } else if (cli_is(a, NULL, "--bytes")) {
            NEED(v = VALUE());
            if (!hve_size_parse(v, (uint64_t)1 << 50, &n) || n == 0)
                return cli_usage_error("--bytes '%s': give a number of bytes "
                                       "from 1 (K, M, G allowed)", v);
            o->bytes = n;
        } else if (cli_is(a, "-d", "--duration") || cli_is(a, NULL, "--hold")) {
            NEED(v = VALUE());
            if (!secs_arg(v, 86400, &o->duration_s) || o->duration_s == 0)
                return cli_usage_error("%s '%s': give seconds, more than 0 "
                                       "and at most 86400", a, v);
        } else if (cli_is(a, "-P", "--parallel")) {
            NEED(v = VALUE());
            if (!hve_count_parse(v, 100000, &n) || n == 0)
                return cli_usage_error("--parallel '%s': give a whole number "
                                       "from 1 to 100000", v);
            o->parallel = (unsigned)n;
        } else if (cli_is(a, NULL, "--seed")) {
            NEED(v = VALUE());
            if (!hve_count_parse(v, UINT32_MAX, &n))
                return cli_usage_error("--seed '%s': give a whole number", v);
            o->seed = (uint32_t)n;
        } else if (cli_is(a, NULL, "--no-bye")) {
            o->no_bye = true;
        } else if (cli_is(a, NULL, "--json")) {
            b->json = true;
        } else if (cli_is(a, "-q", "--quiet")) {
            b->quiet = true;
        } else if (a[0] == '-' && a[1] != '\0') {
            return cli_usage_error("unknown option '%s' (see hvecho bench "
                                   "--help)", a);
        } else if (!b->target_text) {
            b->target_text = a;
        } else {
            return cli_usage_error("unexpected argument '%s'", a);
        }
#undef VALUE
#undef NEED
    }

    char why[300];
    int err = hve_target_parse(b->target_text, hve_platform_native(),
                               &o->target, why, sizeof why);
    if (err)
        return cli_usage_error("bad target: %s", why);
    if (service_text &&
        hve_service_parse(service_text, hve_platform_native(), &o->service,
                          why, sizeof why))
        return cli_usage_error("bad service: %s", why);
    o->timeout_ms = (int)(timeout_s * 1000 + 0.5);
    hve_addr_format(&o->target, &o->service, b->target, sizeof b->target);

    /* What each kind takes, and its defaults. */
    switch (b->kind) {
    case HVE_BENCH_LATENCY:
        if (!o->size)
            o->size = 64;
        if (!b->count_given && o->duration_s == 0)
            o->count = 10000;
        if (o->bytes || o->parallel)
            return cli_usage_error("bench latency takes -n, --size and "
                                   "--duration");
        break;
    case HVE_BENCH_THROUGHPUT:
        if (o->bytes && o->duration_s > 0)
            return cli_usage_error("give --bytes or --duration, not both");
        if (!o->bytes && o->duration_s == 0)
            o->bytes = (uint64_t)1 << 30;
        if (b->count_given || b->size_given || o->parallel)
            return cli_usage_error("bench throughput takes --bytes or "
                                   "--duration");
        break;
    case HVE_BENCH_CONNECTIONS:
        if (!o->size)
            o->size = 64;
        if (!b->count_given)
            o->count = 1000;
        if (!o->parallel)
            o->parallel = 16;
        if (o->bytes || o->duration_s > 0)
            return cli_usage_error("bench connections takes -n, -P and "
                                   "--size");
        break;
    case HVE_BENCH_IDLE:
        if (!b->count_given)
            return cli_usage_error("bench idle needs -n COUNT, the "
                                   "connections to hold");
        if (o->bytes || b->size_given)
            return cli_usage_error("bench idle takes -n, --hold and -P");
        break;
    case HVE_BENCH_STRESS:
        if (!o->size)
            o->size = 1024 * 1024;
        if (!o->parallel)
            o->parallel = 32;
        if (!b->count_given && o->duration_s == 0)
            o->duration_s = 10;
        if (o->bytes)
            return cli_usage_error("stress takes -P, --duration or -n, "
                                   "--max-size and --seed");
        break;
    }
    return 0;
}

static void clear_progress(bench_cli *b)
{
    if (b->progress_shown) {
        fputs("\r\033[K", stdout);
        fflush(stdout);
        b->progress_shown = false;
    }
}

static bool progress(void *user, const hve_bench_progress *p)
{
    bench_cli *b = user;
    if (p->holding && !b->held_said) {
        /* Not only for a terminal: scripts wait for this line. */
        clear_progress(b);
        if (b->json)
            printf("{\"event\":\"holding\",\"connections\":%u}\n", p->open);
        else
            printf("holding %u idle connections\n", p->open);
        fflush(stdout);
        b->held_said = true;
    }
    if (b->tty && !b->quiet && !b->json) {
        printf("\r\033[K%s: %.1f s, ", hve_bench_kind_name(p->kind),
               p->elapsed_s);
        switch (p->kind) {
        case HVE_BENCH_LATENCY:
            printf("%" PRIu64 " messages", p->done);
            break;
        case HVE_BENCH_THROUGHPUT:
            printf("%.1f MB echoed, %.1f MB/s", (double)p->bytes / 1e6,
                   p->elapsed_s > 0 ? (double)p->bytes / 1e6 / p->elapsed_s
                                    : 0.0);
            break;
        case HVE_BENCH_IDLE:
            printf("%u open%s", p->open, p->holding ? ", holding" : "");
            break;
        default:
            printf("%" PRIu64 " handshakes, %" PRIu64 " failed, %u open",
                   p->done, p->failed, p->open);
            break;
        }
        fflush(stdout);
        b->progress_shown = true;
    }
    return !run_interrupted();
}

static void json_stats(const char *name, const hve_bench_stats *s)
{
    printf(",\"%s\":{\"count\":%" PRIu64 ",\"min\":%.3f,\"mean\":%.3f,"
           "\"p50\":%.3f,\"p90\":%.3f,\"p99\":%.3f,\"max\":%.3f}",
           name, s->count, s->min_us, s->mean_us, s->p50_us, s->p90_us,
           s->p99_us, s->max_us);
}

static void text_stats(const char *name, const hve_bench_stats *s)
{
    if (!s->count)
        return;
    printf("  %-11s p50 %8.1f  p90 %8.1f  p99 %8.1f  max %8.1f  us"
           "  (mean %.1f, min %.1f)\n",
           name, s->p50_us, s->p90_us, s->p99_us, s->max_us, s->mean_us,
           s->min_us);
}

static double per_s(double n, double secs)
{
    return secs > 0 ? n / secs : 0;
}

static void print_errors(const hve_bench_result *r)
{
    bool any = false;
    for (int e = 1; e < HVE_ERR_COUNT; e++) {
        if (!r->by_error[e])
            continue;
        printf(any ? ", %s %" PRIu64 : "  errors:     %s %" PRIu64,
               hve_errname(e), r->by_error[e]);
        any = true;
    }
    if (any)
        printf("\n");
}

/* One result as JSON: all on one line. */
static void print_json(const bench_cli *b, const char *phase,
                       const hve_bench_result *r, int exit_code)
{
    const hve_bench_opts *o = &b->o;
    char esc[1024];
    printf("{\"bench\":\"%s\"", hve_bench_kind_name(b->kind));
    if (phase)
        printf(",\"phase\":\"%s\"", phase);
    printf(",\"target\":\"%s\"",
           hve_json_escape(b->target, strlen(b->target), esc, sizeof esc));
    printf(",\"seconds\":%.6f,\"ok\":%" PRIu64 ",\"failed\":%" PRIu64
           ",\"bytes\":%" PRIu64 ",\"sent\":%" PRIu64,
           r->seconds, r->ok, r->failed, r->bytes, r->sent);
    switch (b->kind) {
    case HVE_BENCH_LATENCY:
        printf(",\"size\":%" PRIu64 ",\"messages\":%" PRIu64, o->size, r->ok);
        json_stats("rtt_us", &r->rtt);
        break;
    case HVE_BENCH_THROUGHPUT:
        printf(",\"mb_per_s\":%.2f,\"gbit_per_s\":%.3f",
               per_s((double)r->bytes / 1e6, r->seconds),
               per_s((double)r->bytes * 8 / 1e9, r->seconds));
        break;
    case HVE_BENCH_CONNECTIONS:
    case HVE_BENCH_STRESS:
        printf(",\"parallel\":%u,\"handshakes_per_s\":%.1f", o->parallel,
               per_s((double)r->ok, r->seconds));
        json_stats("connect_us", &r->connect);
        json_stats("handshake_us", &r->handshake);
        break;
    case HVE_BENCH_IDLE:
        json_stats("connect_us", &r->connect);
        break;
    }
    if (b->kind == HVE_BENCH_STRESS)
        printf(",\"max_size\":%" PRIu64 ",\"corrupted\":%" PRIu64
               ",\"lost_bytes\":%" PRIu64,
               o->size, r->corrupted, r->lost);
    printf(",\"errors\":{");
    bool first = true;
    for (int e = 1; e < HVE_ERR_COUNT; e++) {
        if (!r->by_error[e])
            continue;
        printf("%s\"%s\":%" PRIu64, first ? "" : ",", hve_errname(e),
               r->by_error[e]);
        first = false;
    }
    printf("}");
    if (r->err)
        printf(",\"error\":\"%s\",\"message\":\"%s\",\"detail\":\"%s\"",
               hve_errname(r->err), hve_strerror(r->err),
               hve_json_escape(r->detail, strlen(r->detail), esc, sizeof esc));
    printf(",\"exit\":%d}\n", exit_code);
}

static void print_text(const bench_cli *b, const char *phase,
                       const hve_bench_result *r)
{
    const hve_bench_opts *o = &b->o;
    switch (b->kind) {
    case HVE_BENCH_LATENCY:
        printf("latency: %s, %" PRIu64 " messages of %" PRIu64
               " bytes in %.2f s\n",
               b->target, r->ok, o->size, r->seconds);
        text_stats("round trip", &r->rtt);
        break;
    case HVE_BENCH_THROUGHPUT:
        printf("throughput: %s, %" PRIu64 " bytes echoed and verified in "
               "%.2f s\n",
               b->target, r->bytes, r->seconds);
        printf("  %.1f MB/s  %.2f Gbit/s of echoed data (each byte went out "
               "and came back)\n",
               per_s((double)r->bytes / 1e6, r->seconds),
               per_s((double)r->bytes * 8 / 1e9, r->seconds));
        break;
    case HVE_BENCH_CONNECTIONS:
        printf("connections (%s): %s, %" PRIu64 " handshakes of %" PRIu64
               " bytes in %.2f s: %.0f handshakes/s\n",
               phase, b->target, r->ok, o->size, r->seconds,
               per_s((double)r->ok, r->seconds));
        text_stats("connect", &r->connect);
        text_stats("handshake", &r->handshake);
        break;
    case HVE_BENCH_STRESS:
        printf("stress: %s, %u clients, %.2f s: %" PRIu64
               " handshakes complete, %" PRIu64 " failed, %" PRIu64
               " bytes echoed and verified (messages up to %" PRIu64
               " bytes)\n",
               b->target, o->parallel, r->seconds, r->ok, r->failed,
               r->bytes, o->size);
        printf("  corrupted:  %" PRIu64 " handshakes; lost: %" PRIu64
               " bytes\n",
               r->corrupted, r->lost);
        text_stats("handshake", &r->handshake);
        break;
    case HVE_BENCH_IDLE:
        printf("idle: %s, %" PRIu64 " connections held and closed with the "
               "bye, %" PRIu64 " failed\n",
               b->target, r->ok, r->failed);
        text_stats("connect", &r->connect);
        break;
    }
    print_errors(r);
}

/* The exit code of one run. */
static int exit_of(const bench_cli *b, const hve_bench_result *r)
{
    if (r->err == 0)
        return HVE_EXIT_OK;
    if (r->err == HVE_ECANCELED || r->err == HVE_EBADINPUT)
        return r->err == HVE_ECANCELED ? HVE_EXIT_FAILED : HVE_EXIT_USAGE;
    /* Nothing got through at all: say why, as the client would. */
    if (r->ok == 0 && r->corrupted == 0 && r->bytes == 0)
        return hve_exit_code(r->err);
    (void)b;
    return HVE_EXIT_FAILED;
}

static int run_one(bench_cli *b, const char *phase)
{
    hve_bench_result r;
    hve_bench_run(&b->o, &r);
    clear_progress(b);
    int rc = exit_of(b, &r);
    if (b->json) {
        print_json(b, phase, &r, rc);
    } else {
        if (!b->quiet || rc)
            print_text(b, phase, &r);
        if (r.err && r.err != HVE_ECANCELED)
            report_error(r.err, r.detail);
    }
    fflush(stdout);
    return rc;
}

int bench_main(int argc, char **argv)
{
    bench_cli b;
    int rc = parse(argc, argv, &b);
    if (rc < 0) {
        usage();
        return 0;
    }
    if (rc)
        return rc;
    b.tty = stdout_is_tty();
    b.o.progress = progress;
    b.o.user = &b;
    if (b.kind != HVE_BENCH_CONNECTIONS)
        return run_one(&b, NULL);
    /* Handshakes one after another, then with parallel at once. */
    unsigned parallel = b.o.parallel;
    b.o.parallel = 1;
    rc = run_one(&b, "sequential");
    if (rc || run_interrupted() || parallel == 1)
        return rc;
    b.o.parallel = parallel;
    char phase[32];
    snprintf(phase, sizeof phase, "parallel %u", parallel);
    return run_one(&b, phase);
}
