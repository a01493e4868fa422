/* probe_win32.c - probe.h on Windows: can AF_HYPERV sockets be created,
 * does this process run elevated, is the service registered under
 * GuestCommunicationServices, and does AF_UNIX exist. Makes sockets but
 * never connects or binds them; reads the registry and the process
 * token. Any thread. */
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <winsock2.h>
#include <windows.h>

#include <stdio.h>
#include <string.h>

#include "hvecho/probe.h"
#include "hvecho/register.h"

#ifndef AF_HYPERV
#define AF_HYPERV 34 /* not in mingw-w64's headers */
#endif
#define HV_PROTOCOL_RAW_ 1 /* hvsocket.h's HV_PROTOCOL_RAW */

static void add(hve_probe *p, const char *name, bool ok, const char *detail)
{
    hve_probe_item *it;
    if (p->count >= HVE_PROBE_MAX)
        return;
    it = &p->items[p->count++];
    snprintf(it->name, sizeof it->name, "%s", name);
    it->ok = ok;
    snprintf(it->detail, sizeof it->detail, "%s", detail);
}

/* 0 when socket(af, SOCK_STREAM, proto) works, else the WSA error. */
static int try_socket(int af, int proto)
{
    SOCKET s = socket(af, SOCK_STREAM, proto);
    if (s == INVALID_SOCKET)
        return WSAGetLastError();
    closesocket(s);
    return 0;
}

static bool elevated(void)
{
    HANDLE tok;
    TOKEN_ELEVATION e;
    DWORD n = 0;
    bool yes = false;
    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &tok))
        return false;
    if (GetTokenInformation(tok, TokenElevation, &e, sizeof e, &n))
        yes = e.TokenIsElevated != 0;
    CloseHandle(tok);
    return yes;
}

bool hve_vm_host_transport_available(void)
{
    return true;
}

bool hve_vm_vhost_available(void)
{
    return false;
}

uint32_t hve_vm_local_cid(void)
{
    return HVE_CID_ANY;
}

bool hve_vm_loopback_available(void)
{
    return true; /* HV_GUID_LOOPBACK exists wherever AF_HYPERV does */
}

void hve_probe_run(hve_probe *p, const hve_service *svc)
{
    WSADATA wsa;
    bool started;
    char d[256], g[HVE_GUID_STRLEN], name[128];
    int e;

    memset(p, 0, sizeof *p);
    p->local_cid = HVE_CID_ANY;
    p->vm_loopback = true;

    /* Our own WSAStartup/WSACleanup pair: counted by Winsock, so it
     * neither needs nor disturbs the core's hve__net_init. */
    started = WSAStartup(MAKEWORD(2, 2), &wsa) == 0;
    if (!started) {
        add(p, "winsock", false, "Winsock 2.2 did not start");
    } else {
        e = try_socket(AF_HYPERV, HV_PROTOCOL_RAW_);
        p->vsock = e == 0;
        if (e == 0)
            snprintf(d, sizeof d, "Hyper-V sockets can be created");
        else
            snprintf(d, sizeof d,
                     "no Hyper-V sockets (Winsock error %d): they need "
                     "Windows 10 1607 / Server 2016 or later",
                     e);
        add(p, "AF_HYPERV", p->vsock, d);

        e = try_socket(AF_UNIX, 0);
        if (e == 0)
            snprintf(d, sizeof d, "AF_UNIX sockets can be created");
        else
            snprintf(d, sizeof d,
                     "no AF_UNIX sockets (Winsock error %d): they need "
                     "Windows 10 1803 or later",
                     e);
        add(p, "AF_UNIX", e == 0, d);
        WSACleanup();
    }

    p->elevated = elevated();
    add(p, "administrator", p->elevated,
        p->elevated ? "running elevated: can register services"
                    : "not elevated: registering a service needs an "
                      "administrator prompt");

    if (svc) {
        bool reg = hve_service_registered(svc, name, sizeof name);
        hve_guid_format(&svc->guid, g);
        if (reg)
            snprintf(d, sizeof d,
                     "%s is registered under GuestCommunicationServices "
                     "(ElementName \"%s\")",
                     g, name);
        else
            snprintf(d, sizeof d,
                     "%s is not registered under "
                     "GuestCommunicationServices: a Windows host refuses "
                     "VMs on it (hvecho register)",
                     g);
        add(p, "service", reg, d);
    }
}
