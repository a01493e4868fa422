/* addr.h - targets (where a client connects), listen addresses (where a
 * server listens) and services (which listener), with the rules of
 * each platform (below).
 *
 * Parsing takes the platform whose rules apply, so the Linux and Windows
 * rules can both be tested anywhere. Pure functions: safe from any thread. */
#ifndef HVECHO_ADDR_H
#define HVECHO_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hvecho/guid.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum hve_platform {
    HVE_PLATFORM_LINUX,
    HVE_PLATFORM_WINDOWS
} hve_platform;

/* The platform this library was built for. */
hve_platform hve_platform_native(void);

typedef enum hve_family {
    HVE_FAM_VSOCK,  /* Linux AF_VSOCK: cid + port */
    HVE_FAM_HYPERV, /* Windows AF_HYPERV: VmId + ServiceId */
    HVE_FAM_TCP,    /* host + port, IPv4 or IPv6 */
    HVE_FAM_UNIX,   /* a socket file */
    HVE_FAM_HYBRID  /* Firecracker / Cloud Hypervisor hybrid vsock: the
                       VMM's Unix socket (path) + a guest vsock port */
} hve_family;

#define HVE_CID_ANY 0xFFFFFFFFu
#define HVE_CID_HYPERVISOR 0u
#define HVE_CID_LOCAL 1u
#define HVE_CID_HOST 2u

#define HVE_HOST_MAX 256
#define HVE_PATH_MAX 108 /* sun_path on Linux */

typedef struct hve_addr {
    hve_family family;
    uint32_t cid;              /* HVE_FAM_VSOCK */
    hve_guid vmid;             /* HVE_FAM_HYPERV */
    char host[HVE_HOST_MAX];   /* HVE_FAM_TCP: name or literal, no brackets */
    uint16_t port;             /* HVE_FAM_TCP */
    char path[HVE_PATH_MAX];   /* HVE_FAM_UNIX; a unix peer's "pid N uid N";
                                  HVE_FAM_HYBRID: the VMM's socket */
    uint32_t hybrid_port;      /* HVE_FAM_HYBRID: the guest port written
                                  in the target; 0 = the service's port */
    /* Only in the peer of an accepted connection: */
    uint32_t vport;            /* HVE_FAM_VSOCK: the peer's port */
    hve_guid service_id;       /* HVE_FAM_HYPERV: the peer's ServiceId */
} hve_addr;

/* A service: for vsock a port, for Hyper-V a GUID. Both are kept, and
 * has_port says whether the GUID is of the FACB form (so a Linux guest
 * can be reached on it). */
typedef struct hve_service {
    hve_guid guid;
    uint32_t port;
    bool has_port;
} hve_service;

/* 0x3049197C, i.e. 3049197C-FACB-11E6-BD58-64006A7986D3. */
#define HVE_DEFAULT_PORT 0x3049197Cu
void hve_service_default(hve_service *out);

/* Client targets: loopback (also "" / NULL), parent, a GUID or well-known
 * name, N or cid:N, tcp:HOST:PORT (tcp:[v6]:PORT), unix:PATH,
 * hybrid:PATH[:PORT] (the VMM's hybrid vsock socket and a guest port; the
 * port is the service's when left out).
 * Returns 0 or HVE_EBADTARGET with why (one line) filled in. */
int hve_target_parse(const char *text, hve_platform pf, hve_addr *out,
                     char *why, size_t whylen);

/* Server listen addresses: NULL / "" / "wildcard" / "any" is the vsock or
 * Hyper-V wildcard, "loopback" binds only the local loopback (CID 1 or
 * HV_GUID_LOOPBACK), plus tcp:HOST:PORT, unix:PATH and hybrid:PATH[:PORT]
 * (binds PATH_PORT, where a hybrid-vsock VMM delivers the guest's
 * connections to host port PORT; see hve_hybrid_listen_path). */
int hve_listen_parse(const char *text, hve_platform pf, hve_addr *out,
                     char *why, size_t whylen);

/* A GUID or a port (decimal or 0x hex). On Linux a GUID not of the FACB
 * form is refused with the reason. Returns 0 or HVE_EBADSERVICE. */
int hve_service_parse(const char *text, hve_platform pf, hve_service *out,
                      char *why, size_t whylen);

/* The guest (or host) vsock port a hybrid address means: its own port,
 * else the service's. */
uint32_t hve_hybrid_port(const hve_addr *a, const hve_service *svc);
/* For a hybrid listen address: the Unix socket a server binds, PATH_PORT
 * with the port in decimal, as the VMM names it. Returns 0, or
 * HVE_EBADTARGET (why filled in) when that path is too long. */
int hve_hybrid_listen_path(const hve_addr *a, const hve_service *svc,
                           hve_addr *out, char *why, size_t whylen);

/* A one-line explanation when svc can never reach a Linux guest, else
 * NULL. For the live warning in the GUIs. */
const char *hve_service_linux_warning(const hve_service *svc);

/* Human text: "vsock cid 1 (local) port 0x3049197C",
 * "hyperv parent / 3049197C-FACB-...", "tcp 127.0.0.1:5000",
 * "unix /tmp/s". svc may be NULL for tcp and unix. */
char *hve_addr_format(const hve_addr *a, const hve_service *svc,
                      char *buf, size_t len);
/* "vsock", "hyperv", "tcp", "unix" */
const char *hve_family_name(hve_family f);

/* The text the other form of a service shows, e.g. for "5000":
 * "port 0x00001388 = 00001388-FACB-11E6-BD58-64006A7986D3". */
char *hve_service_describe(const hve_service *svc, char *buf, size_t len);

/* The PowerShell that registers svc on a Windows host under
 * GuestCommunicationServices, as one line. */
char *hve_service_register_command(const hve_service *svc, const char *name,
                                   char *buf, size_t len);

#ifdef __cplusplus
}
#endif
#endif
