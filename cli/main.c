/* main.c - the hvecho command line: picks the subcommand, builds the
 * session options from the parsed command line, runs the session.
 * Main thread only (sessions run their own worker threads). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hvecho/hvecho.h"
#include "bench.h"
#include "cmd_register.h"
#include "doctor.h"
#include "options.h"
#include "probe.h"
#include "report.h"
#include "run.h"

#ifdef _WIN32
#include <windows.h>
#endif

/* The message bytes: -m, --message-file, --size or the default. The
 * caller frees *buf. */
static int load_message(const cli_opts *o, unsigned char **buf, size_t *len)
{
    *buf = NULL;
    *len = 0;
    if (o->message) {
        *len = strlen(o->message);
        *buf = malloc(*len);
        if (!*buf)
            return cli_usage_error("out of memory");
        memcpy(*buf, o->message, *len);
        return 0;
    }
    if (o->size) {
        if (o->size > (uint64_t)SIZE_MAX)
            return cli_usage_error("--size is too large for this system");
        *len = (size_t)o->size;
        *buf = malloc(*len);
        if (!*buf)
            return cli_usage_error("cannot allocate %zu bytes for --size",
                                   *len);
        hve_test_data(*buf, *len, 1);
        return 0;
    }
    if (o->message_file) {
        FILE *f = strcmp(o->message_file, "-") == 0
                      ? stdin
                      : fopen(o->message_file, "rb");
        if (!f)
            return cli_usage_error("cannot open --message-file '%s'",
                                   o->message_file);
        size_t cap = 65536;
        unsigned char *b = malloc(cap);
        size_t n = 0, got;
        while (b && (got = fread(b + n, 1, cap - n, f)) > 0) {
            n += got;
            if (n == cap) {
                unsigned char *nb = realloc(b, cap * 2);
                if (!nb) {
                    free(b);
                    b = NULL;
                    break;
                }
                b = nb;
                cap *= 2;
            }
        }
        bool bad = b && ferror(f);
        if (f != stdin)
            fclose(f);
        if (!b)
            return cli_usage_error("--message-file '%s' is too large for "
                                   "memory", o->message_file);
        if (bad || n == 0) {
            free(b);
            return cli_usage_error(bad ? "cannot read --message-file '%s'"
                                       : "--message-file '%s' is empty: the "
                                         "handshake needs at least one byte",
                                   o->message_file);
        }
        *buf = b;
        *len = n;
    }
    return 0;
}

static int to_ms(double s)
{
    return (int)(s * 1000.0 + 0.5);
}

static int client_main(const cli_opts *o)
{
    hve_client_opts co = {0};
    char why[300];
    int err = hve_target_parse(o->address, hve_platform_native(), &co.target,
                               why, sizeof why);
    if (err)
        return cli_usage_error("bad target: %s", why);
    co.service = o->service;
    co.timeout_ms = to_ms(o->timeout_s);
    co.count = o->count;
    co.until_stopped = o->forever;
    co.interval_ms = (int)((o->interval_us + 999) / 1000);
    co.keep_going = o->keep_going;
    co.no_bye = o->no_bye;
    unsigned char *msg;
    size_t len;
    int rc = load_message(o, &msg, &len);
    if (rc)
        return rc;
    co.message = msg;
    co.message_len = len;
    co.message_free = free; /* the session takes it: no second copy */
    report r;
    report_init(&r, o->json, o->quiet, o->verbose, false,
                o->forever ? UINT_MAX : o->count);
    rc = run_client(&co, &r);
    report_done(&r);
    return rc;
}

static int server_main(const cli_opts *o)
{
    hve_server_opts so = {0};
    char why[300];
    /* "systemd": only the socket systemd hands over, never a fallback. */
    bool want_systemd = o->address && strcmp(o->address, "systemd") == 0;
    if (want_systemd && !hve_socket_activated())
        return cli_usage_error("-s systemd: no listening socket from systemd "
                               "(LISTEN_PID / LISTEN_FDS are not set for this "
                               "process)");
    int err = want_systemd ? 0
                           : hve_listen_parse(o->address, hve_platform_native(),
                                              &so.listen, why, sizeof why);
    if (err)
        return cli_usage_error("bad listen address: %s", why);
    so.service = o->service;
    if (o->bye) {
        so.bye = o->bye;
        so.bye_len = strlen(o->bye);
        so.bye_empty = so.bye_len == 0;
    }
    so.max_conns = o->max_conns;
    so.idle_timeout_ms = o->idle_timeout_s > 0 ? to_ms(o->idle_timeout_s) : -1;
    so.max_bytes = o->max_bytes;
    so.once = o->once;
    so.data_events = o->verbose;
    /* --quiet shows a server's failed peers only (not with --json, whose
     * lines are every event). */
    so.only_failures = o->quiet && !o->json;
    so.allow = o->allow;
    /* Started by systemd's socket activation (hvecho-server.socket) with
     * no address given: serve the socket it handed over. */
    so.activated = want_systemd || (!o->address && hve_socket_activated());
    report r;
    report_init(&r, o->json, o->quiet, o->verbose, true, 0);
    return run_server(&so, &r);
}

static int guid_main(const cli_opts *o)
{
    hve_service svc;
    char why[300], text[200];
    /* Any GUID converts here, also one no Linux guest can use. */
    if (hve_service_parse(o->guid_arg, HVE_PLATFORM_WINDOWS, &svc, why,
                          sizeof why))
        return cli_usage_error("%s", why);
    printf("%s\n", hve_service_describe(&svc, text, sizeof text));
    const char *warn = hve_service_linux_warning(&svc);
    if (warn)
        printf("note: %s\n", warn);
    return 0;
}

int main(int argc, char **argv)
{
#ifdef _WIN32
    SetConsoleOutputCP(CP_UTF8);
#endif
    if (cmd_register_is(argc, argv))
        return cmd_register_main(argc, argv);
    if (probe_is_command(argc, argv)) {
        run_catch_signals();
        return probe_main(argc, argv);
    }
    if (bench_is_command(argc, argv)) {
        run_catch_signals();
        return bench_main(argc, argv);
    }
    cli_opts o;
    int rc = cli_parse(argc, argv, &o);
    if (rc)
        return rc;
    run_catch_signals();
    switch (o.mode) {
    case MODE_HELP:
        cli_print_help();
        return 0;
    case MODE_VERSION:
        printf("hvecho %s\n", hve_version());
        return 0;
    case MODE_GUID:
        return guid_main(&o);
    case MODE_DOCTOR:
        return doctor_main(&o);
    case MODE_SERVER:
        return server_main(&o);
    case MODE_CLIENT:
        return client_main(&o);
    case MODE_NONE:
        break;
    }
    return cli_usage_error("say -s (server) or -c (client)");
}
