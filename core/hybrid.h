/* hybrid.h - private: the host side of hybrid vsock, the Unix-socket form
 * of a VM's vsock device that Firecracker and Cloud Hypervisor give the
 * host instead of AF_VSOCK. To reach guest port P: connect to the VMM's
 * socket, write "CONNECT P\n", read "OK <hostport>\n"; from then on the
 * stream is the guest's connection. (Guest -> host connections arrive on
 * the host's Unix socket PATH_P: see hve_hybrid_listen_path.)
 *
 * Non-blocking, like the handshake machine that drives it (handshake.c):
 * the caller polls for hve__hybrid_want() and calls hve__hybrid_step().
 * Threads: whoever owns the hve_hybrid (one thread). */
#ifndef HVECHO_HYBRID_H
#define HVECHO_HYBRID_H

#include "net.h"

#include <stdint.h>

/* The reply is one short line; more than this without a newline is not
 * the protocol. */
#define HVE_HYBRID_REPLY_MAX 64

typedef struct hve_hybrid {
    uint32_t port; /* the guest port asked for */
    char req[32];
    size_t req_len, req_sent;
    char reply[HVE_HYBRID_REPLY_MAX];
    size_t reply_len;
    char path[HVE_PATH_MAX];
} hve_hybrid;

/* Starts a non-blocking connect to the VMM's socket for a HVE_FAM_HYBRID
 * address and prepares the CONNECT line. A missing socket file or one
 * nobody listens on is HVE_ENOVMM. 0 or an hve_err with why filled in. */
int hve__hybrid_connect_start(const hve_addr *a, const hve_service *svc,
                              int timeout_ms, hve_hybrid *hy, hve_sock *out,
                              char *why, size_t whylen);
/* A failed connect to the VMM's socket (hve__net_connect_result's error) in
 * hybrid words: HVE_ENOVMM when nothing listens there. */
int hve__hybrid_connect_error(const hve_hybrid *hy, int err, char *why,
                              size_t whylen);
/* NET_OUT while the CONNECT line is not all sent, then NET_IN. */
unsigned hve__hybrid_want(const hve_hybrid *hy);
/* Sends what it can of the CONNECT line and reads the reply one byte at
 * a time (what follows the newline is the guest's stream and stays in
 * the socket). 0: "OK <port>" arrived; NET_AGAIN: wait for
 * hve__hybrid_want(); else an hve_err with why filled in (no OK: nothing
 * listens on the guest port; a malformed reply, quoted escaped). */
int hve__hybrid_step(hve_hybrid *hy, hve_sock s, char *why, size_t whylen);
/* No reply within ms: the hve_err, why filled in. */
int hve__hybrid_timeout(const hve_hybrid *hy, int ms, char *why,
                        size_t whylen);

#endif
