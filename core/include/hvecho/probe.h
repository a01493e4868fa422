/* probe.h - what this machine can do: which transports exist and how they
 * are set up. Used by `hvecho doctor` and the GUIs' status lines.
 *
 * Reads the system (files under /sys and /proc, socket() calls that never
 * connect or bind, the registry on Windows); safe from any thread. */
#ifndef HVECHO_PROBE_H
#define HVECHO_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hvecho/addr.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hve_probe_item {
    char name[48];      /* "vsock", "vsock_loopback", "hv_sock", ... */
    bool ok;            /* present / usable */
    char detail[256];   /* plain words */
} hve_probe_item;

#define HVE_PROBE_MAX 16

typedef struct hve_probe {
    hve_probe_item items[HVE_PROBE_MAX];
    size_t count;
    bool vsock;          /* AF_VSOCK / AF_HYPERV sockets can be created */
    bool vm_loopback;    /* a local loopback transport exists (CID 1 /
                            HV_GUID_LOOPBACK can be used on this machine) */
    uint32_t local_cid;  /* Linux: this machine's CID, or HVE_CID_ANY */
    bool vsock_host;     /* Linux: vhost_vsock is loaded: this machine runs
                            guests and reaches them by CID */
    bool vsock_guest;    /* Linux: a guest-to-host transport is loaded:
                            parent (CID 2) is this machine's host */
    bool elevated;       /* Windows: running as administrator */
} hve_probe;

void hve_probe_run(hve_probe *out, const hve_service *svc);

/* Linux: true when a local vsock transport is loaded (vsock_loopback),
 * so CID 1 reaches this machine. Always true on Windows. */
bool hve_vm_loopback_available(void);
/* Linux: true when a guest-to-host transport is loaded (hv_sock,
 * vmw_vsock_virtio_transport, vmw_vsock_vmci_transport), so CID 2 is a
 * host. Always true on Windows. */
bool hve_vm_host_transport_available(void);

/* Linux: true when vhost_vsock is loaded: this machine is a vsock host
 * whose guests are reached by their CID. Always false on Windows. */
bool hve_vm_vhost_available(void);
/* Linux: this machine's own CID (/dev/vsock), or HVE_CID_ANY when
 * unknown. HVE_CID_ANY on Windows. */
uint32_t hve_vm_local_cid(void);

#ifdef __cplusplus
}
#endif
#endif
