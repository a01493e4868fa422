/* error.c - the one place where system error numbers become hvecho errors,
 * and where each error gets its message, its hint and its exit code.
 * Constant tables: any thread. */
#include "hvecho/error.h"
#include "hvecho/addr.h"

#include <errno.h>
#include <stddef.h>

static const struct {
    const char *name;
    const char *msg;
    const char *hint;
    int exit;
} table[HVE_ERR_COUNT] = {
    [HVE_OK] = {"ok", "success", "", HVE_EXIT_OK},
    [HVE_EUSAGE] = {"usage", "bad usage", "run 'hvecho --help' for the options",
                    HVE_EXIT_USAGE},
    [HVE_EBADTARGET] = {"bad-target", "bad target",
                        "targets: loopback, parent, a VM GUID (Windows), N or "
                        "cid:N (Linux), tcp:HOST:PORT, unix:PATH",
                        HVE_EXIT_USAGE},
    [HVE_EBADSERVICE] = {"bad-service", "bad service",
                         "a service is a port (5000, 0x3049197C) or a GUID "
                         "like 3049197C-FACB-11E6-BD58-64006A7986D3",
                         HVE_EXIT_USAGE},
    [HVE_EBADGUID] = {"bad-guid", "not a GUID",
                      "a GUID is 8-4-4-4-12 hex digits, "
                      "e.g. 3049197C-FACB-11E6-BD58-64006A7986D3",
                      HVE_EXIT_USAGE},
    [HVE_EBADINPUT] = {"bad-input", "bad input", "", HVE_EXIT_USAGE},
    [HVE_ENOTRANSPORT] = {"no-transport",
                          "this socket family is not available on this system",
                          "Linux: load the vsock modules (modprobe vsock; in a "
                          "Hyper-V guest hv_sock, under KVM "
                          "vmw_vsock_virtio_transport); Windows: Hyper-V "
                          "sockets need Windows 10 1607 / Server 2016 or later",
                          HVE_EXIT_NOTRANSPORT},
    [HVE_ENOLOOPBACK] = {"no-loopback",
                         "no local vsock transport is loaded, so CID 1 "
                         "(loopback) reaches nothing",
                         "load it: sudo modprobe vsock_loopback (Linux 5.6 or "
                         "later), or pick another target",
                         HVE_EXIT_NOTRANSPORT},
    [HVE_ENODEV] = {"no-device",
                    "no vsock transport can reach that address",
                    "in a guest, the host transport must be loaded "
                    "(hv_sock on Hyper-V, vmw_vsock_virtio_transport on KVM) "
                    "and the VM must have a vsock device",
                    HVE_EXIT_NOTRANSPORT},
    [HVE_EACCES] = {"access-denied", "permission denied",
                    "on a Windows host: register the service under "
                    "GuestCommunicationServices (hvecho register) and run as "
                    "administrator; on Linux: check the socket file's "
                    "permissions",
                    HVE_EXIT_CONNECT},
    [HVE_EADDRINUSE] = {"address-in-use", "address already in use",
                        "another server listens on that service or port: stop "
                        "it or pick another with -p",
                        HVE_EXIT_CONNECT},
    [HVE_EADDRNOTAVAIL] = {"address-not-available",
                           "that address is not available on this machine",
                           "listen on an address this machine has "
                           "(e.g. tcp:127.0.0.1:PORT)",
                           HVE_EXIT_CONNECT},
    [HVE_EREFUSED] = {"refused", "connection refused",
                      "nothing listens on that service: start 'hvecho -s' "
                      "there, and check the service (-p) matches",
                      HVE_EXIT_CONNECT},
    [HVE_ETIMEDOUT] = {"timed-out", "connection timed out",
                       "nothing listens on that service, or the VM id is "
                       "wrong; on a Windows host the service must be "
                       "registered",
                       HVE_EXIT_CONNECT},
    [HVE_EUNREACH] = {"unreachable", "no route to that address",
                      "the VM or host is not running or not reachable: check "
                      "the CID or VM id",
                      HVE_EXIT_CONNECT},
    [HVE_ENOTFOUND] = {"not-found", "no such host or socket file",
                       "check the host name or path", HVE_EXIT_CONNECT},
    [HVE_ENOGUEST] = {"no-such-guest",
                      "no running guest has that CID",
                      "this host side is fine: check the guest's CID "
                      "(guest-cid= of its vhost-vsock device; in the guest, "
                      "hvecho doctor shows it) and that the VM is running",
                      HVE_EXIT_CONNECT},
    [HVE_EGUESTONLY] = {"guest-reaches-host-only",
                        "a guest reaches only its host",
                        "the target is wrong, not this guest: from a guest "
                        "use parent (CID 2) and run hvecho -s on the host; "
                        "the host drops connections to any other CID",
                        HVE_EXIT_CONNECT},
    [HVE_ENOVMM] = {"no-vmm",
                    "no VMM answers on that hybrid vsock socket",
                    "the VMM (Firecracker, Cloud Hypervisor) is not running, "
                    "or the path is wrong: give the vsock socket of the VM's "
                    "config (Firecracker uds_path, Cloud Hypervisor "
                    "--vsock socket=)",
                    HVE_EXIT_CONNECT},
    [HVE_EHYBRIDNOOK] = {"hybrid-no-ok",
                         "the VMM did not open the connection (no OK)",
                         "nothing listens on that port in the guest: start "
                         "'hvecho -s' there, and check the port "
                         "(hybrid:PATH:PORT or -p)",
                         HVE_EXIT_CONNECT},
    [HVE_EHYBRIDREPLY] = {"hybrid-bad-reply",
                          "the VMM's reply is not 'OK <port>'",
                          "that socket is not a hybrid vsock socket "
                          "(Firecracker, Cloud Hypervisor), or its VMM "
                          "speaks another protocol: check the path",
                          HVE_EXIT_CONNECT},
    [HVE_ERESET] = {"reset", "connection reset by the peer",
                    "the server closed the connection abruptly: see its log",
                    HVE_EXIT_FAILED},
    [HVE_EMISMATCH] = {"echo-mismatch",
                       "the echo differs from what was sent",
                       "the peer is not an echo server, or bytes were "
                       "corrupted on the way",
                       HVE_EXIT_FAILED},
    [HVE_ENOBYE] = {"no-bye", "the server closed without sending a bye",
                    "the peer echoes but sends no bye after our shutdown: "
                    "for a plain echo peer run the client with --no-bye",
                    HVE_EXIT_FAILED},
    [HVE_ECLOSED] = {"closed-early",
                     "the peer closed the connection before the whole echo "
                     "came back",
                     "the peer is not an echo server, or it hit a limit",
                     HVE_EXIT_FAILED},
    [HVE_EREADTIMEOUT] = {"read-timed-out", "the peer stopped answering",
                          "the server accepted but did not reply in time: it "
                          "may be stuck or not an hvecho server; raise -t",
                          HVE_EXIT_FAILED},
    [HVE_EBYETOOLONG] = {"bye-too-long",
                         "more than 4 KiB arrived after the shutdown",
                         "the peer is not an hvecho server", HVE_EXIT_FAILED},
    [HVE_ENOMEM] = {"no-memory", "out of memory", "", HVE_EXIT_FAILED},
    [HVE_ECANCELED] = {"stopped", "stopped", "", HVE_EXIT_FAILED},
    [HVE_ELIMIT] = {"limit", "a server limit was reached",
                    "raise --max-conns or --max-bytes on the server",
                    HVE_EXIT_FAILED},
    [HVE_EIDLE] = {"idle-timeout", "closed after the idle timeout",
                   "the peer sent nothing for --idle-timeout seconds",
                   HVE_EXIT_FAILED},
    [HVE_EDENIED] = {"denied", "peer not on the --allow list",
                     "add the peer to the server's --allow list",
                     HVE_EXIT_FAILED},
    [HVE_EDEADLINE] = {"deadline",
                       "the handshake did not complete within its deadline",
                       "the peer is slow or trickles its bytes: check the "
                       "server's load, or raise --deadline",
                       HVE_EXIT_FAILED},
    [HVE_ENOFDS] = {"no-descriptors", "out of file descriptors",
                    "raise the limit on open files (ulimit -n) or lower "
                    "--max-conns",
                    HVE_EXIT_FAILED},
    [HVE_ESYS] = {"system", "system error", "", HVE_EXIT_FAILED},
};

static int valid(int err)
{
    return err >= 0 && err < HVE_ERR_COUNT;
}

const char *hve_strerror(int err)
{
    return valid(err) ? table[err].msg : "unknown error";
}

/* Where the advice differs on a Windows host, its own words. */
static const struct {
    int err;
    const char *hint;
} windows_hints[] = {
    {HVE_ENOTRANSPORT, "Hyper-V sockets need Windows 10 1607 / Server 2016 "
                       "or later (Wine has none); tcp:HOST:PORT works "
                       "everywhere"},
    {HVE_EACCES, "service not registered under GuestCommunicationServices, "
                 "or not running as administrator: run 'hvecho register' "
                 "in an elevated prompt (or the PowerShell from 'hvecho "
                 "register --print')"},
    {HVE_ETIMEDOUT, "nothing listens on that service, or the VM id is "
                    "wrong; on a Windows host the service must be "
                    "registered (hvecho register)"},
};

/* In a window, settings are fields ("Service", "Timeout", "Target"), not
 * flags: the hints that name a setting, in those words. */
static const struct {
    int err;
    const char *hint;
} window_hints[] = {
    {HVE_EUSAGE, ""},
    {HVE_EBADTARGET, "Target: loopback, parent, a VM GUID or name "
                     "(Windows), a CID (Linux), tcp:HOST:PORT or unix:PATH"},
    {HVE_EBADSERVICE, "Service: a port (5000, 0x3049197C) or a GUID like "
                      "3049197C-FACB-11E6-BD58-64006A7986D3"},
    {HVE_EADDRINUSE, "another server listens on that Service or port: stop "
                     "it or pick another Service"},
    {HVE_EREFUSED, "nothing listens there: start a server on that side, "
                   "and check that Service matches"},
    {HVE_EREADTIMEOUT, "the server accepted but did not reply in time: it "
                       "may be stuck or not an hvecho server; raise "
                       "Timeout"},
    {HVE_ENOBYE, "the peer echoes but sends no bye after our shutdown: it "
                 "is a plain echo peer, not an hvecho server"},
    {HVE_ELIMIT, "the server limits connections and bytes per connection: "
                 "raise its limits"},
    {HVE_ENOFDS, "this system is out of open-file descriptors: close "
                 "other programs or raise the limit"},
    {HVE_EIDLE, "the peer sent nothing for the server's idle timeout"},
    {HVE_EDENIED, "add the peer to the server's allow list"},
};

const char *hve_hint_in(int err, hve_words words)
{
    if (!valid(err))
        return "";
    if (words == HVE_WORDS_WINDOW)
        for (size_t i = 0; i < sizeof window_hints / sizeof window_hints[0];
             i++)
            if (window_hints[i].err == err)
                return window_hints[i].hint;
    if (hve_platform_native() == HVE_PLATFORM_WINDOWS)
        for (size_t i = 0; i < sizeof windows_hints / sizeof windows_hints[0];
             i++)
            if (windows_hints[i].err == err)
                return windows_hints[i].hint;
    return table[err].hint;
}

const char *hve_hint(int err)
{
    return hve_hint_in(err, HVE_WORDS_CLI);
}

const char *hve_errname(int err)
{
    return valid(err) ? table[err].name : "unknown";
}

int hve_exit_code(int err)
{
    return valid(err) ? table[err].exit : HVE_EXIT_FAILED;
}

int hve_err_from_errno(int e)
{
    switch (e) {
    case 0:
        return HVE_OK;
    case EAFNOSUPPORT:
#ifdef EPFNOSUPPORT
    case EPFNOSUPPORT:
#endif
    case EPROTONOSUPPORT:
        return HVE_ENOTRANSPORT;
    case ENODEV:
        return HVE_ENODEV;
    case EACCES:
    case EPERM:
        return HVE_EACCES;
    case EADDRINUSE:
        return HVE_EADDRINUSE;
    case EADDRNOTAVAIL:
        return HVE_EADDRNOTAVAIL;
    case ECONNREFUSED:
        return HVE_EREFUSED;
    case ETIMEDOUT:
        return HVE_ETIMEDOUT;
    case ENETUNREACH:
    case EHOSTUNREACH:
#ifdef ENETDOWN
    case ENETDOWN:
#endif
        return HVE_EUNREACH;
    case ECONNRESET:
    case EPIPE:
    case ECONNABORTED:
        return HVE_ERESET;
    case ENOENT:
        return HVE_ENOTFOUND;
    case ENOMEM:
    case ENOBUFS:
        return HVE_ENOMEM;
    case EMFILE:
    case ENFILE:
        return HVE_ENOFDS;
    default:
        return HVE_ESYS;
    }
}

/* WSA codes by number, so this file needs no Windows header. */
int hve_err_from_wsa(int wsa)
{
    switch (wsa) {
    case 0:
        return HVE_OK;
    case 10013: /* WSAEACCES */
        return HVE_EACCES;
    case 10047: /* WSAEAFNOSUPPORT */
    case 10043: /* WSAEPROTONOSUPPORT */
    case 10044: /* WSAESOCKTNOSUPPORT */
    case 10046: /* WSAEPFNOSUPPORT */
        return HVE_ENOTRANSPORT;
    case 10048: /* WSAEADDRINUSE */
        return HVE_EADDRINUSE;
    case 10049: /* WSAEADDRNOTAVAIL */
        return HVE_EADDRNOTAVAIL;
    case 10061: /* WSAECONNREFUSED */
        return HVE_EREFUSED;
    case 10060: /* WSAETIMEDOUT */
        return HVE_ETIMEDOUT;
    case 10050: /* WSAENETDOWN */
    case 10051: /* WSAENETUNREACH */
    case 10065: /* WSAEHOSTUNREACH */
    case 10064: /* WSAEHOSTDOWN */
        return HVE_EUNREACH;
    case 10054: /* WSAECONNRESET */
    case 10053: /* WSAECONNABORTED */
    case 10052: /* WSAENETRESET */
        return HVE_ERESET;
    case 11001: /* WSAHOST_NOT_FOUND */
    case 11004: /* WSANO_DATA */
        return HVE_ENOTFOUND;
    case 10024: /* WSAEMFILE */
        return HVE_ENOFDS;
    case 10055: /* WSAENOBUFS */
    case 8:     /* WSA_NOT_ENOUGH_MEMORY */
        return HVE_ENOMEM;
    default:
        return HVE_ESYS;
    }
}
