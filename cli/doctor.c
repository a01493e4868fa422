/* doctor.c - `hvecho doctor`. First what the system says (transports,
 * modules, CID, elevation), then, for each local transport, a server
 * session and a client session in this one process doing a real
 * handshake on loopback. Never sends vsock traffic off the machine: the
 * vsock server binds CID 1 (VMADDR_CID_LOCAL) only, and the vsock check
 * runs only when vsock_loopback is loaded and HVECHO_NO_VSOCK is unset.
 * Main thread only (the sessions have their own worker threads). */
#include "doctor.h"

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
    char skip[200];
} check;

/* A real handshake over one transport. Returns 0 or the hve_err, with
 * what happened in out. */
static int handshake(const check *c, const hve_service *svc, char *out,
                     size_t outlen)
{
    hve_server_opts so = {0};
    so.listen = c->listen;
    so.service = *svc;
    so.idle_timeout_ms = 5000;
    int err = 0;
    hve_session *srv = hve_session_start_server(&so, NULL, NULL, &err);
    if (!srv) {
        snprintf(out, outlen, "%s", hve_strerror(err));
        return err;
    }
    hve_client_opts co = {0};
    co.target = c->target;
    co.service = *svc;
    co.timeout_ms = 3000;
    hve_session *cli = NULL;
    double t_connect = 0, t_echo = 0, t_bye = 0;
    err = HVE_ETIMEDOUT;
    snprintf(out, outlen, "the server did not start");
    for (int i = 0; i < 100; i++) {
        hve_event *ev = hve_session_wait(srv, 50);
        if (!ev)
            continue;
        hve_event_kind k = ev->kind;
        if (k == HVE_EV_LISTENING && c->target.family == HVE_FAM_TCP)
            co.target.port = (uint16_t)ev->port;
        if (k == HVE_EV_ERROR || k == HVE_EV_FINISHED) {
            err = ev->err ? ev->err : HVE_ESYS;
            snprintf(out, outlen, "server: %s: %s", hve_strerror(err),
                     ev->detail);
        }
        hve_event_free(ev);
        if (k == HVE_EV_LISTENING) {
            err = 0;
            break;
        }
        if (k == HVE_EV_ERROR || k == HVE_EV_FINISHED)
            break;
    }
    if (!err) {
        cli = hve_session_start_client(&co, NULL, NULL, &err);
        if (!cli)
            snprintf(out, outlen, "%s", hve_strerror(err));
    }
    while (cli) {
        hve_event *ev = hve_session_wait(cli, 10000);
        if (!ev) {
            err = HVE_ETIMEDOUT;
            snprintf(out, outlen, "the client did not finish in 10 s");
            break;
        }
        double d = ev->dur_us / 1000.0;
        if (ev->kind == HVE_EV_CONNECTED)
            t_connect = d;
        else if (ev->kind == HVE_EV_RECEIVED)
            t_echo = d;
        else if (ev->kind == HVE_EV_BYE)
            t_bye = d;
        else if (ev->kind == HVE_EV_ERROR)
            snprintf(out, outlen, "%s: %s", hve_strerror(ev->err), ev->detail);
        bool done = ev->kind == HVE_EV_FINISHED;
        if (done) {
            err = ev->err;
            if (!err)
                snprintf(out, outlen,
                         "handshake complete: connect %.3f ms, echo %.3f ms, "
                         "bye %.3f ms",
                         t_connect, t_echo, t_bye);
        }
        hve_event_free(ev);
        if (done)
            break;
    }
    hve_session_free(cli);
    hve_session_free(srv);
    return err;
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

    check checks[3];
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

    if (!o->json)
        printf("\nA real handshake, server and client in this process "
               "(service %s):\n", svctext);
    int worked = 0, failed = 0;
    for (size_t i = 0; i < n; i++) {
        check *c = &checks[i];
        if (!c->run) {
            print_item(o->json, c->name, false, c->skip, "handshake");
            continue;
        }
        char out[400];
        int err = handshake(c, &o->service, out, sizeof out);
        if (err) {
            failed++;
            char line[700];
            snprintf(line, sizeof line, "%s%s%s", out,
                     *hve_hint(err) ? " - hint: " : "", hve_hint(err));
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
