/* probe_linux.c - probe.h on Linux: which vsock modules and transports
 * are loaded and this machine's CID. Reads /sys, /lib/modules and
 * /dev/vsock; makes no connection and binds nothing. With HVECHO_NO_VSOCK
 * set it reads only /sys and /lib/modules: no vsock socket, no /dev/vsock
 * (for machines whose vsock device is not ours to touch). Any thread. */
#define _GNU_SOURCE
#include "hvecho/probe.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <linux/vm_sockets.h>

static bool path_exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0;
}

/* Loaded as a module, or built into the kernel. */
static bool module_present(const char *name)
{
    char p[256];
    snprintf(p, sizeof p, "/sys/module/%s", name);
    if (path_exists(p))
        return true;
    struct utsname u;
    if (uname(&u) != 0)
        return false;
    snprintf(p, sizeof p, "/lib/modules/%s/modules.builtin", u.release);
    FILE *f = fopen(p, "r");
    if (!f)
        return false;
    char want[96], line[512];
    snprintf(want, sizeof want, "/%s.ko", name);
    bool found = false;
    while (!found && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        size_t n = strlen(line), w = strlen(want);
        found = n >= w && strcmp(line + n - w, want) == 0;
    }
    fclose(f);
    return found;
}

bool hve_vm_loopback_available(void)
{
    return module_present("vsock_loopback");
}

bool hve_vm_host_transport_available(void)
{
    return module_present("vmw_vsock_virtio_transport") ||
           module_present("hv_sock") ||
           module_present("vmw_vsock_vmci_transport");
}

bool hve_vm_vhost_available(void)
{
    return module_present("vhost_vsock");
}

static uint32_t local_cid(void);

uint32_t hve_vm_local_cid(void)
{
    if (getenv("HVECHO_NO_VSOCK"))
        return HVE_CID_ANY; /* /dev/vsock is not ours to open */
    return local_cid();
}

static void add(hve_probe *p, const char *name, bool ok, const char *detail)
{
    if (p->count >= HVE_PROBE_MAX)
        return;
    hve_probe_item *it = &p->items[p->count++];
    snprintf(it->name, sizeof it->name, "%s", name);
    it->ok = ok;
    snprintf(it->detail, sizeof it->detail, "%s", detail);
}

static uint32_t local_cid(void)
{
    unsigned int cid = HVE_CID_ANY;
    int fd = open("/dev/vsock", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return HVE_CID_ANY;
    if (ioctl(fd, IOCTL_VM_SOCKETS_GET_LOCAL_CID, &cid) < 0)
        cid = HVE_CID_ANY;
    close(fd);
    return cid;
}

void hve_probe_run(hve_probe *p, const hve_service *svc)
{
    (void)svc;
    memset(p, 0, sizeof *p);
    p->local_cid = HVE_CID_ANY;

    bool hands_off = getenv("HVECHO_NO_VSOCK") != NULL;
    if (hands_off) {
        p->vsock = module_present("vsock");
    } else {
        /* Creating a socket touches no peer: it only asks the kernel
         * whether the family exists. */
        int fd = socket(AF_VSOCK, SOCK_STREAM | SOCK_CLOEXEC, 0);
        p->vsock = fd >= 0;
        if (fd >= 0)
            close(fd);
    }
    add(p, "AF_VSOCK", p->vsock,
        p->vsock ? (hands_off ? "the vsock module is loaded (HVECHO_NO_VSOCK:"
                                " no socket made)"
                              : "the kernel has vsock sockets")
                 : "no vsock in this kernel: modprobe vsock");

    static const struct {
        const char *mod;
        const char *what;
    } transports[] = {
        {"vsock_loopback", "local loopback transport: CID 1 reaches this "
                           "machine"},
        {"vmw_vsock_virtio_transport", "virtio-vsock guest transport "
                                       "(KVM, QEMU, Firecracker): parent is "
                                       "CID 2"},
        {"hv_sock", "Hyper-V guest transport: parent is the Windows host"},
        {"vmw_vsock_vmci_transport", "VMware VMCI transport"},
        {"vhost_vsock", "vhost-vsock host transport: guests are reached "
                        "by their CID"},
    };
    bool any_transport = false;
    for (size_t i = 0; i < sizeof transports / sizeof transports[0]; i++) {
        bool ok = module_present(transports[i].mod);
        char d[256];
        snprintf(d, sizeof d, "%s%s", ok ? "" : "not loaded: ",
                 transports[i].what);
        add(p, transports[i].mod, ok, d);
        any_transport |= ok;
        if (i == 0)
            p->vm_loopback = ok;
    }
    if (p->vsock && !any_transport)
        add(p, "transports", false,
            "vsock is loaded but no transport is: nothing can connect");

    p->local_cid = hands_off ? HVE_CID_ANY : local_cid();
    char d[128];
    if (hands_off)
        snprintf(d, sizeof d, "not read: HVECHO_NO_VSOCK is set");
    else if (p->local_cid == HVE_CID_ANY)
        snprintf(d, sizeof d, "unknown (/dev/vsock not available)");
    else
        snprintf(d, sizeof d, "this machine's CID is %lu",
                 (unsigned long)p->local_cid);
    add(p, "local CID", p->local_cid != HVE_CID_ANY, d);

    /* Which side of a VM boundary this machine is on (it can be both: a
     * guest that runs guests of its own). */
    p->vsock_host = hve_vm_vhost_available();
    p->vsock_guest = hve_vm_host_transport_available();
    char role[256] = "";
    char cid[48] = "";
    if (p->local_cid != HVE_CID_ANY && p->local_cid > HVE_CID_HOST)
        snprintf(cid, sizeof cid, " with CID %lu",
                 (unsigned long)p->local_cid);
    if (p->vsock_guest)
        snprintf(role, sizeof role, "a vsock guest%s: parent (CID 2) is its "
                                    "host",
                 cid);
    if (p->vsock_host) {
        size_t n = strlen(role);
        snprintf(role + n, sizeof role - n, "%sa vsock host (vhost_vsock): "
                                            "its guests are reached by their "
                                            "CID (hvecho -c CID)",
                 n ? "; and " : "");
    }
    if (p->vsock_guest || p->vsock_host)
        add(p, "role", true, role);
    p->elevated = geteuid() == 0;
}
