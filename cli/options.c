/* options.c - parsing hvecho's command line (no getopt: it must build on
 * Windows too). Main thread only. */
#include "options.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_usage_error(const char *fmt, ...)
{
    va_list ap;
    fputs("hvecho: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return HVE_EXIT_USAGE;
}

void cli_print_help(void)
{
    printf(
"hvecho %s - echo server and client for VM <-> host sockets\n"
"\n"
"Usage:\n"
"  hvecho -s [LISTEN] [options]    run the echo server\n"
"  hvecho -c [TARGET] [options]    send a message, check the echo, wait for "
"the bye\n"
"  hvecho doctor [TARGET]          what this machine can do, with a real "
"handshake\n"
"                                  (also with TARGET, e.g. a guest's CID, and"
" in a\n"
"                                  guest with its host)\n"
"  hvecho guid PORT|GUID           convert a vsock port to its service GUID "
"and back\n"
"  hvecho register [-p SERVICE] [--name TEXT] [--print]\n"
"  hvecho unregister [-p SERVICE] [--print]\n"
"                                  Windows host: allow VMs on the service "
"(admin)\n"
"  hvecho bench latency|throughput|connections|idle [TARGET] [options]\n"
"  hvecho probe TARGET... [--every DURATION] [--count N] [--deadline D]\n"
"               [--textfile FILE.prom] [--json]\n"
"                                  monitoring: handshakes to many targets at\n"
"                                  once, on a schedule, as JSON lines and\n"
"                                  Prometheus metrics (hvecho probe --help)\n"
"  hvecho stress [TARGET] [options]\n"
"                                  benchmarks and a stress run against any "
"echo\n"
"                                  server (see hvecho bench --help)\n"
"\n"
"Targets (-c):\n"
"  loopback (default)  this machine: CID 1 on Linux (needs vsock_loopback),\n"
"                      HV_GUID_LOOPBACK on Windows\n"
"  parent              the host: CID 2 on Linux, HV_GUID_PARENT on Windows\n"
"  <VM GUID>           Windows host: a VM by its id, (Get-VM NAME).Id\n"
"  children, silohost, broadcast, wildcard   Windows: those Hyper-V ids\n"
"  N, cid:N            Linux: vsock CID N (a KVM host reaching guest N)\n"
"  tcp:HOST:PORT       TCP (tcp:[::1]:PORT for IPv6)\n"
"  unix:PATH           a Unix-domain socket\n"
"  hybrid:PATH[:PORT]  Firecracker / Cloud Hypervisor hybrid vsock: the VMM's\n"
"                      Unix socket PATH, guest vsock PORT (default: the\n"
"                      service's port); sends CONNECT PORT, expects OK\n"
"Listen addresses (-s): wildcard (default: any VM), loopback, tcp:HOST:PORT,\n"
"  unix:PATH,\n"
"  hybrid:PATH[:PORT]  binds PATH_PORT, where the VMM delivers the guest's\n"
"                      connections to host port PORT (default: the "
"service's),\n"
"  systemd: the socket systemd hands over (socket activation, LISTEN_FDS;\n"
"  with no address given it is used too when present)\n"
"\n"
"Options:\n"
"  -p, --service GUID|PORT  the service (default 0x3049197C =\n"
"                           3049197C-FACB-11E6-BD58-64006A7986D3)\n"
"  -m, --message TEXT       the message (default \"this is a test\")\n"
"      --message-file PATH  send the bytes of a file (- for stdin)\n"
"      --size BYTES         send BYTES of generated data (K, M, G suffixes)\n"
"  -t, --timeout SECONDS    connect and each read (default 5)\n"
"  -n, --count N            N handshakes in a row (default 1)\n"
"      --forever            handshakes until Ctrl+C (then exit 0 if none "
"failed)\n"
"      --interval DURATION  wait between handshakes: 250ms, 1.5s, 2m (a bare\n"
"                           number is seconds; default 0)\n"
"      --keep-going         a failed handshake does not end the run; the "
"summary\n"
"                           says how many failed, the exit code is the "
"first\n"
"                           failure's\n"
"      --no-bye             the peer only echoes and sends no bye (a plain\n"
"                           echo server): end of stream after our shutdown\n"
"                           completes the handshake\n"
"      --bye TEXT           server: the bye to send (default \"bye\")\n"
"  -1, --once               server: serve one client, exit with its result\n"
"      --max-conns N        server: connections at once (default 1024)\n"
"      --idle-timeout SECS  server: close peers idle this long (default 60,"
" 0 = never)\n"
"      --max-bytes BYTES    server: close a peer that sends more (default:"
" no limit)\n"
"      --allow LIST         server: keep only these peers, close others at"
" once;\n"
"                           comma list of IPs or networks (127.0.0.0/8,"
" ::1/128),\n"
"                           vsock CIDs (cid:3), VM GUIDs, uid:N (unix)\n"
"  -q, --quiet              only errors and the result\n"
"  -v, --verbose            also every read and write (server)\n"
"      --json               one JSON object per event, one per line\n"
"  -vsock                   accepted and ignored, for the original sample's\n"
"                           command lines (hvecho -s -vsock, hvecho -c parent\n"
"                           -vsock): the default service is already in the\n"
"                           form Linux guests reach (the vsock template\n"
"                           GUID XXXXXXXX-FACB-11E6-BD58-64006A7986D3), and\n"
"                           the socket family follows from the target\n"
"  -h, --help               this text\n"
"  -V, --version            the version\n"
"\n"
"Exit codes:\n"
"  0  handshake complete (server: stopped cleanly)\n"
"  1  handshake failed: echo differed, no bye, peer reset, no answer\n"
"  2  bad usage or bad input\n"
"  3  could not connect or listen: refused, timed out, unreachable, in use\n"
"  4  the transport is not available on this system\n",
        hve_version());
}

static bool parse_double(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(v) || v < 0)
        return false;
    *out = v;
    return true;
}

bool cli_is(const char *a, const char *s, const char *l)
{
    return (s && strcmp(a, s) == 0) || (l && strcmp(a, l) == 0);
}

bool cli_args_at(cli_args *a)
{
    if (a->i >= a->argc)
        return false;
    const char *arg = a->argv[a->i];
    const char *eq = strchr(arg, '=');
    a->opt = arg;
    a->val = NULL;
    if (arg[0] == '-' && arg[1] == '-' && eq &&
        (size_t)(eq - arg) < sizeof a->name) {
        memcpy(a->name, arg, (size_t)(eq - arg));
        a->name[eq - arg] = '\0';
        a->opt = a->name;
        a->val = eq + 1;
    }
    return true;
}

const char *cli_args_value(cli_args *a)
{
    if (a->val)
        return a->val;
    if (a->i + 1 < a->argc)
        return a->argv[++a->i];
    cli_usage_error("%s needs a value", a->opt);
    return NULL;
}

int cli_parse(int argc, char **argv, cli_opts *o)
{
    memset(o, 0, sizeof *o);
    o->timeout_s = HVE_DEFAULT_TIMEOUT_MS / 1000.0;
    o->count = 1;
    o->idle_timeout_s = HVE_DEFAULT_IDLE_TIMEOUT_MS / 1000.0;
    o->max_conns = HVE_DEFAULT_MAX_CONNS;
    hve_service_default(&o->service);

    int i = 1;
    if (argc > 1 && strcmp(argv[1], "doctor") == 0)
        o->mode = MODE_DOCTOR, i = 2;
    else if (argc > 1 && strcmp(argv[1], "guid") == 0)
        o->mode = MODE_GUID, i = 2;

    cli_args args = {argc, argv, i, NULL, NULL, ""};
    for (; cli_args_at(&args); args.i++) {
        /* Options that take a value: "-p X" or "--service=X". */
        const char *a = args.opt;
#define VALUE() cli_args_value(&args)
        if (cli_is(a, "-s", "--server")) {
            o->mode = MODE_SERVER;
        } else if (cli_is(a, "-c", "--client")) {
            o->mode = MODE_CLIENT;
        } else if (cli_is(a, "-h", "--help")) {
            o->mode = MODE_HELP;
            return 0;
        } else if (cli_is(a, "-V", "--version")) {
            o->mode = MODE_VERSION;
            return 0;
        } else if (cli_is(a, "-p", "--service")) {
            if (!(o->service_text = VALUE()))
                return HVE_EXIT_USAGE;
        } else if (cli_is(a, "-m", "--message")) {
            if (!(o->message = VALUE()))
                return HVE_EXIT_USAGE;
            if (!*o->message)
                return cli_usage_error("the message is empty: the handshake "
                                       "needs at least one byte");
        } else if (cli_is(a, NULL, "--message-file")) {
            if (!(o->message_file = VALUE()))
                return HVE_EXIT_USAGE;
        } else if (cli_is(a, NULL, "--size")) {
            const char *v = VALUE();
            if (!v)
                return HVE_EXIT_USAGE;
            if (!hve_size_parse(v, (uint64_t)1 << 40, &o->size) || !o->size)
                return cli_usage_error("--size '%s': give a number of bytes "
                                       "from 1 (K, M, G allowed)", v);
        } else if (cli_is(a, NULL, "--bye")) {
            if (!(o->bye = VALUE()))
                return HVE_EXIT_USAGE;
            if (strlen(o->bye) > 4096)
                return cli_usage_error("--bye is at most 4096 bytes");
        } else if (cli_is(a, "-t", "--timeout")) {
            const char *v = VALUE();
            if (!v)
                return HVE_EXIT_USAGE;
            if (!parse_double(v, &o->timeout_s) || o->timeout_s <= 0 ||
                o->timeout_s > 300)
                return cli_usage_error("--timeout '%s': give seconds, more "
                                       "than 0 and at most 300", v);
        } else if (cli_is(a, "-n", "--count")) {
            const char *v = VALUE();
            uint64_t n;
            if (!v)
                return HVE_EXIT_USAGE;
            if (!hve_count_parse(v, 1000000000, &n) || n == 0)
                return cli_usage_error("--count '%s': give a whole number "
                                       "from 1 (--forever runs until "
                                       "Ctrl+C)", v);
            o->count = (unsigned)n;
        } else if (cli_is(a, NULL, "--forever")) {
            o->forever = true;
        } else if (cli_is(a, NULL, "--keep-going")) {
            o->keep_going = true;
        } else if (cli_is(a, NULL, "--interval")) {
            const char *v = VALUE();
            if (!v)
                return HVE_EXIT_USAGE;
            if (!hve_duration_parse(v, (int64_t)3600 * 1000000,
                                    &o->interval_us))
                return cli_usage_error("--interval '%s': give a duration "
                                       "such as 250ms, 1.5s or 2m (at most "
                                       "1 hour)", v);
        } else if (cli_is(a, NULL, "--max-conns")) {
            const char *v = VALUE();
            uint64_t n;
            if (!v)
                return HVE_EXIT_USAGE;
            if (!hve_count_parse(v, 10000000, &n) || n == 0)
                return cli_usage_error("--max-conns '%s': give a whole "
                                       "number from 1", v);
            o->max_conns = (unsigned)n;
        } else if (cli_is(a, NULL, "--idle-timeout")) {
            const char *v = VALUE();
            if (!v)
                return HVE_EXIT_USAGE;
            if (!parse_double(v, &o->idle_timeout_s) ||
                o->idle_timeout_s > 86400)
                return cli_usage_error("--idle-timeout '%s': give seconds "
                                       "(0 = never)", v);
        } else if (cli_is(a, NULL, "--max-bytes")) {
            const char *v = VALUE();
            if (!v)
                return HVE_EXIT_USAGE;
            if (!hve_size_parse(v, UINT64_MAX / 2, &o->max_bytes) ||
                !o->max_bytes)
                return cli_usage_error("--max-bytes '%s': give a number of "
                                       "bytes from 1 (K, M, G allowed)", v);
        } else if (cli_is(a, NULL, "--allow")) {
            if (!(o->allow = VALUE()))
                return HVE_EXIT_USAGE;
            hve_allow *al;
            char why[256];
            if (hve_allow_parse(o->allow, &al, why, sizeof why))
                return cli_usage_error("--allow: %s", why);
            hve_allow_free(al);
        } else if (cli_is(a, NULL, "--no-bye")) {
            o->no_bye = true;
        } else if (strcmp(a, "-vsock") == 0 || cli_is(a, NULL, "--vsock")) {
            /* The original sample's flag: see --help. Nothing to do. */
        } else if (cli_is(a, "-1", "--once")) {
            o->once = true;
        } else if (cli_is(a, "-q", "--quiet")) {
            o->quiet = true;
        } else if (cli_is(a, "-v", "--verbose")) {
            o->verbose = true;
        } else if (cli_is(a, NULL, "--json")) {
            o->json = true;
        } else if (a[0] == '-' && a[1] != '\0') {
            return cli_usage_error("unknown option '%s' (see hvecho --help)",
                                   a);
        } else if (o->mode == MODE_GUID && !o->guid_arg) {
            o->guid_arg = a;
        } else if ((o->mode == MODE_SERVER || o->mode == MODE_CLIENT ||
                    o->mode == MODE_DOCTOR) &&
                   !o->address) {
            o->address = a;
        } else if (o->mode == MODE_NONE) {
            return cli_usage_error("unknown command '%s' (see hvecho --help)",
                                   a);
        } else {
            return cli_usage_error("unexpected argument '%s'", a);
        }
#undef VALUE
    }

    if (o->mode == MODE_NONE)
        return cli_usage_error("say -s (server) or -c (client); see hvecho "
                               "--help");
    if (o->mode == MODE_GUID && !o->guid_arg)
        return cli_usage_error("usage: hvecho guid PORT|GUID");
    int given = (o->message != NULL) + (o->message_file != NULL) +
                (o->size != 0);
    if (given > 1)
        return cli_usage_error("give only one of -m, --message-file and "
                               "--size");
    if (given && o->mode != MODE_CLIENT)
        return cli_usage_error("-m, --message-file and --size are for the "
                               "client (-c)");
    if (o->mode != MODE_CLIENT &&
        (o->forever || o->interval_us || o->keep_going || o->no_bye))
        return cli_usage_error("--forever, --interval, --keep-going and "
                               "--no-bye are for the client (-c)");
    if (o->mode == MODE_CLIENT &&
        (o->bye || o->once || o->max_bytes || o->allow))
        return cli_usage_error("--bye, --once, --max-bytes and --allow are "
                               "for the server (-s)");
    if (o->service_text) {
        char why[256];
        if (hve_service_parse(o->service_text, hve_platform_native(),
                              &o->service, why, sizeof why))
            return cli_usage_error("bad service: %s", why);
    }
    return 0;
}
