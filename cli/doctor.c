/* doctor.c - `hvecho doctor`. First what the system says (transports,
 * modules, CID, elevation), then, for each local transport, a server
 * session and a client session in this one process doing a real
 * handshake on loopback. These loopback checks never send vsock traffic
 * off the machine: the vsock server binds CID 1 (VMADDR_CID_LOCAL) only,
 * and the vsock check runs only when vsock_loopback is loaded and
 * HVECHO_NO_VSOCK is unset.
 * Across a VM boundary, client only: in a guest to its host (parent),
 * and to a target named on the command line (hvecho doctor 3 on a host);
 * neither runs with HVECHO_NO_VSOCK set.
 * Main thread only (the sessions have their own worker threads). */
#include "doctor.h"
#include "pump.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _WIN32
#include <process.h>
#define getpid _getpid
#else
#include <unistd.h>
#endif

typedef struct check {
    const char *name;
    hve_addr listen;
    hve_addr target;
    bool run;
    bool client_only;   /* the server is elsewhere (the host, a guest) */
    char skip[200];
} check;

/* What the two sessions of one check said, as the core describes it. */
typedef struct doc_run {
    hve_session *srv, *cli;
    bool listening, cli_done;
    uint32_t port;
    int err;          /* the first failure, or 0 */
    char out[HVE_DESC_TEXT + 16]; /* the result line */
} doc_run;

static void doc_show(void *user, hve_session *s, const hve_event *ev)
{
    doc_run *d = user;
    hve_desc desc;
    hve_event_describe(ev, HVE_WORDS_CLI, &desc);
    bool server = s == d->srv;
    if (server && ev->kind == HVE_EV_LISTENING) {
        d->listening = true;
        d->port = ev->port;
    }
    if (desc.tone == HVE_TONE_ERROR && !d->err && ev->kind != HVE_EV_FINISHED &&
        !(server && ev->kind == HVE_EV_CLOSED)) {
        d->err = ev->err ? ev->err : HVE_ESYS;
        snprintf(d->out, sizeof d->out, "%s%s", server ? "server: " : "",
                 desc.text);
    }
    if (!server && ev->kind == HVE_EV_CLOSED && !ev->err)
        snprintf(d->out, sizeof d->out, "%s", desc.text);
    if (ev->kind == HVE_EV_FINISHED) {
        /* The server is stopped once the client is done. */
        bool stopped = server && ev->err == HVE_ECANCELED;
        if (ev->err && !stopped && !d->err) {
            d->err = ev->err;
            snprintf(d->out, sizeof d->out, "%s%s", server ? "server: " : "",
                     desc.text);
        }
        if (server)
            d->srv = NULL;
        else
            d->cli_done = true;
    }
}

/* Starts the client of check c in the pump. */
static void start_client(doc_run *d, pump *p, const check *c,
                         const hve_service *svc)
{
    int err = 0;
    hve_client_opts co = {0};
    co.target = c->target;
    if (c->target.family == HVE_FAM_TCP && !c->client_only)
        co.target.port = (uint16_t)d->port;
    co.service = *svc;
    co.timeout_ms = 3000;
    if (!(d->cli = pump_client(p, &co, &err))) {
        d->err = err ? err : HVE_ENOMEM;
        snprintf(d->out, sizeof d->out, "%s", hve_strerror(d->err));
    }
}

/* A real handshake over one transport: a server session and a client
 * session in one pump (only the client when the server is on the other
 * side of a VM boundary). Returns 0 or the hve_err, with what happened (the
 * client's "handshake complete: ..." line, or the failure) in out. */
static int handshake(const check *c, const hve_service *svc, char *out,
                     size_t outlen)
{
    doc_run d;
    memset(&d, 0, sizeof d);
    pump p;
    int err = pump_init(&p, 2, doc_show, &d);
    hve_server_opts so = {0};
    so.listen = c->listen;
    so.service = *svc;
    so.idle_timeout_ms = 5000;
    if (!err && !c->client_only && !(d.srv = pump_server(&p, &so, &err)))
        err = err ? err : HVE_ENOMEM;
    if (err) {
        pump_free(&p);
        snprintf(out, outlen, "%s", hve_strerror(err));
        return err;
    }
    snprintf(d.out, sizeof d.out, "the server did not start");
    bool started = c->client_only;
    if (started)
        start_client(&d, &p, c, svc);
    /* 10 s in all, in 50 ms waits. */
    for (int i = 0; i < 200 && pump_drain(&p, 50) > 0; i++) {
        if (d.listening && !started && !d.err) {
            started = true;
            start_client(&d, &p, c, svc);
        }
        if (d.err || d.cli_done)
            pump_stop(&p); /* the server's work is done */
    }
    if (!d.err && !d.cli_done) {
        d.err = HVE_ETIMEDOUT;
        snprintf(d.out, sizeof d.out,
                 started ? "the client did not finish in 10 s"
                         : "the server did not start in 10 s");
    }
    pump_free(&p);
    snprintf(out, outlen, "%s", d.out);
    return d.err;
}

static void print_item(bool json, const char *name, bool ok,
                       const char *detail, const char *kind)
{
    char a[600], b[600];
    if (json)
        printf("{\"event\":\"%s\",\"name\":\"%s\",\"ok\":%s,\"detail\":\"%s\"}"
               "\n",
               kind, hve_json_escape(name, strlen(name), a, sizeof a),
               ok ? "true" : "false",
               hve_json_escape(detail, strlen(detail), b, sizeof b));
    else
        printf("  %-28s %-4s %s\n", name, ok ? "ok" : "--", detail);
}

int doctor_main(const cli_opts *o)
{
    hve_addr given;
    char why[256];
    if (o->address && hve_target_parse(o->address, hve_platform_native(),
                                       &given, why, sizeof why))
        return cli_usage_error("%s", why);
    hve_probe p;
    hve_probe_run(&p, &o->service);
    hve_platform pf = hve_platform_native();
    char svctext[160];
    hve_service_describe(&o->service, svctext, sizeof svctext);
    if (!o->json) {
        printf("hvecho %s doctor\n\nThis machine (%s):\n", hve_version(),
               pf == HVE_PLATFORM_WINDOWS ? "Windows" : "Linux");
    }
    for (size_t i = 0; i < p.count; i++)
        print_item(o->json, p.items[i].name, p.items[i].ok,
                   p.items[i].detail, "probe");

    check checks[5];
    memset(checks, 0, sizeof checks);
    size_t n = 0;

    /* The VM socket loopback: AF_VSOCK CID 1 or HV_GUID_LOOPBACK. */
    check *vm = &checks[n++];
    vm->name = pf == HVE_PLATFORM_WINDOWS ? "hyperv loopback"
                                          : "vsock loopback (CID 1)";
    hve_listen_parse("loopback", pf, &vm->listen, NULL, 0);
    hve_target_parse("loopback", pf, &vm->target, NULL, 0);
    vm->run = true;
    if (getenv("HVECHO_NO_VSOCK")) {
        vm->run = false;
        snprintf(vm->skip, sizeof vm->skip, "skipped: HVECHO_NO_VSOCK is set");
    } else if (!p.vsock) {
        vm->run = false;
        snprintf(vm->skip, sizeof vm->skip, "skipped: %s",
                 pf == HVE_PLATFORM_WINDOWS
                     ? "Hyper-V sockets are not available here"
                     : "no AF_VSOCK in this kernel (modprobe vsock)");
    } else if (!p.vm_loopback) {
        vm->run = false;
        snprintf(vm->skip, sizeof vm->skip,
                 "skipped: vsock_loopback is not loaded (sudo modprobe "
                 "vsock_loopback, Linux 5.6+)");
    }

    check *tcp = &checks[n++];
    tcp->name = "tcp 127.0.0.1";
    hve_listen_parse("tcp:127.0.0.1:0", pf, &tcp->listen, NULL, 0);
    tcp->target = tcp->listen;
    tcp->run = true;

    check *ux = &checks[n++];
    ux->name = "unix socket";
    char path[96];
#ifdef _WIN32
    const char *tmp = getenv("TEMP");
    snprintf(path, sizeof path, "unix:%s\\hvecho-doctor-%d.sock",
             tmp ? tmp : ".", (int)getpid());
#else
    const char *tmp = getenv("TMPDIR");
    snprintf(path, sizeof path, "unix:%s/hvecho-doctor-%d.sock",
             tmp && strlen(tmp) < 40 ? tmp : "/tmp", (int)getpid());
#endif
    ux->run = hve_listen_parse(path, pf, &ux->listen, NULL, 0) == 0;
    ux->target = ux->listen;
    if (!ux->run)
        snprintf(ux->skip, sizeof ux->skip, "skipped: temp path too long");
    for (size_t i = 0; i < p.count; i++)
        if (strcmp(p.items[i].name, "AF_UNIX") == 0 && !p.items[i].ok) {
            ux->run = false;
            snprintf(ux->skip, sizeof ux->skip,
                     "skipped: no AF_UNIX sockets on this system");
        }

    /* Across the VM boundary: a guest's host, and a target given on the
     * command line (a host's guest: hvecho doctor 3). Their servers run
     * on the other side: hvecho -s there. */
    char given_name[HVE_HOST_MAX + 32];
    bool hands_off = getenv("HVECHO_NO_VSOCK") != NULL;
    if (p.vsock_guest && pf == HVE_PLATFORM_LINUX) {
        check *h = &checks[n++];
        h->name = "vsock to the host (parent)";
        hve_target_parse("parent", pf, &h->target, NULL, 0);
        h->run = h->client_only = !hands_off;
        if (hands_off)
            snprintf(h->skip, sizeof h->skip,
                     "skipped: HVECHO_NO_VSOCK is set");
    }
    if (o->address) {
        check *g = &checks[n++];
        g->target = given;
        snprintf(given_name, sizeof given_name, "to %s", o->address);
        g->name = given_name;
        g->run = g->client_only = true;
        if (hands_off && (g->target.family == HVE_FAM_VSOCK ||
                          g->target.family == HVE_FAM_HYPERV)) {
            g->run = false;
            snprintf(g->skip, sizeof g->skip,
                     "skipped: HVECHO_NO_VSOCK is set");
        }
    }

    if (!o->json)
        printf("\nA real handshake, server and client in this process "
               "(service %s)%s:\n",
               svctext,
               n > 3 ? "; across the VM boundary the server must run on "
                       "the other side (hvecho -s there)"
                     : "");
    int worked = 0, failed = 0;
    for (size_t i = 0; i < n; i++) {
        check *c = &checks[i];
        if (!c->run) {
            print_item(o->json, c->name, false, c->skip, "handshake");
            continue;
        }
        char out[HVE_DESC_TEXT + 16];
        int err = handshake(c, &o->service, out, sizeof out);
        if (err) {
            failed++;
            char line[HVE_DESC_TEXT + 600];
            const char *hint = hve_hint_in(err, HVE_WORDS_CLI);
            snprintf(line, sizeof line, "%s%s%s", out, *hint ? " - hint: " : "",
                     hint);
            print_item(o->json, c->name, false, line, "handshake");
        } else {
            worked++;
            print_item(o->json, c->name, true, out, "handshake");
        }
    }
    if (!o->json)
        printf("\n%d handshake%s complete, %d failed.\n", worked,
               worked == 1 ? "" : "s", failed);
    return failed ? HVE_EXIT_FAILED : HVE_EXIT_OK;
}
