/* handshake.h - private: the client side of the hvecho handshake on one
 * socket (connect, echo, shutdown, bye), as a non-blocking state machine, so that
 * one thread can drive one connection (client.c) or thousands (bench.c)
 * with the same code:
 *
 *   CONNECT  the non-blocking connect finishes (socket writable);
 *   HYBRID   only for a hybrid vsock target: "CONNECT <port>\n" to the
 *            VMM, "OK <hostport>\n" back (hybrid.c);
 *   ECHO     the message is sent while the echo is read and checked byte
 *            by byte (sending and reading overlap, so a message larger
 *            than the socket buffers cannot deadlock);
 *   BYE      after shutdown(SHUT_WR), read until end of stream: the bye
 *            (at most HVE_HS_BYE_CAP bytes, and not empty);
 *   DONE     success; FAILED: err and why say what went wrong.
 *
 * The message is a window of a repeating pattern: byte i of the message is
 * pat[(start + i) % pat_len]. A plain message is the pattern itself (start
 * 0, len = pat_len); a benchmark streams gigabytes from a 1 MiB pattern.
 *
 * Waiting, timeouts and closing stay with the caller: it polls for
 * hve__hs_want(), calls hve__hs_step() with what the poller saw, and acts
 * on the flags returned. Threads: whoever owns the hve_hs (one thread). */
#ifndef HVECHO_HANDSHAKE_H
#define HVECHO_HANDSHAKE_H

#include "hybrid.h"
#include "net.h"

#include <stdbool.h>
#include <stdint.h>

#define HVE_HS_BYE_CAP 4096

typedef enum hve_hs_phase {
    HVE_HS_CONNECT,
    HVE_HS_HYBRID,
    HVE_HS_ECHO,
    HVE_HS_BYE,
    HVE_HS_DONE,
    HVE_HS_FAILED
} hve_hs_phase;

typedef struct hve_hs {
    hve_sock sock;
    hve_hs_phase phase;
    const unsigned char *pat; /* the pattern the message is cut from */
    size_t pat_len, start;
    uint64_t len, sent, got;  /* message bytes: all, sent, echoed back */
    bool has_msg;             /* hve__hs_message was called */
    bool blocked;             /* the last send would have blocked */
    bool auto_bye;            /* shut down as soon as the echo is complete
                                 (true after hve__hs_message) */
    bool bye_optional;        /* end of stream with no bye is success too
                                 (a plain echo peer); kept by the resets */
    size_t io_chunk;          /* max bytes per send/recv; 0 = no limit */
    size_t bye_len;
    bool hybrid;              /* a hybrid vsock target: phase HYBRID next */
    hve_hybrid hy;
    int err;                  /* hve_err once FAILED */
    char why[256];            /* the specific explanation */
    unsigned char bye[HVE_HS_BYE_CAP + 1];
} hve_hs;

/* What hve__hs_step reports (several at once possible, in this order). */
#define HVE_HS_CONNECTED 1u /* the connect finished (for a hybrid target:
                               the VMM said OK) */
#define HVE_HS_ALL_SENT 2u  /* the last message byte went to the kernel */
#define HVE_HS_ECHOED 4u    /* the whole echo came back and matched */
#define HVE_HS_SHUT 8u      /* shutdown(SHUT_WR) done: now the bye */
#define HVE_HS_FINISHED 16u /* end of stream after a non-empty bye: DONE */
#define HVE_HS_ERROR 32u    /* FAILED: err and why are set */

/* Resets h and starts a non-blocking connect. 0 (phase CONNECT, sock set)
 * or an hve_err (phase FAILED, why set, no socket). */
int hve__hs_connect(hve_hs *h, const hve_addr *a, const hve_service *svc,
                    int timeout_ms);
/* Resets h for a socket that is already connected (phase ECHO once a
 * message is set). */
void hve__hs_attach(hve_hs *h, hve_sock s);
/* Sets the next message (counters at 0, auto_bye on; phase ECHO unless
 * the connect is still going). len 0: nothing to echo (the next step
 * reports ECHOED at once). */
void hve__hs_message(hve_hs *h, const unsigned char *pat, size_t pat_len,
                     size_t start, uint64_t len);
/* Stop sending: the message ends with what was sent so far. */
void hve__hs_end_message(hve_hs *h);
/* shutdown(SHUT_WR) and on to the bye. Returns HVE_HS_SHUT or
 * HVE_HS_ERROR. */
unsigned hve__hs_bye(hve_hs *h);

/* NET_IN / NET_OUT to poll for; 0 when the caller must act (a finished
 * echo without auto_bye, DONE, FAILED). */
unsigned hve__hs_want(const hve_hs *h);
/* Moves as far as the socket allows. events: what the poller reported
 * (NET_IN, NET_OUT, NET_HUP), or 0 to only send what can be sent now.
 * rbuf: scratch space for the echo, rcap bytes. Returns HVE_HS_* flags. */
unsigned hve__hs_step(hve_hs *h, unsigned events, unsigned char *rbuf,
                      size_t rcap);
/* No progress for ms: fails h with a message that says where it stood.
 * Returns the hve_err. */
int hve__hs_timeout(hve_hs *h, int ms);

#endif
