/* bench.h - benchmarks and stress runs against any hvecho-compatible echo
 * server (one that echoes every byte and sends a bye after the client's
 * shutdown): round-trip latency, echoed throughput, handshakes per second,
 * a stress run with every byte checked, and holding idle connections.
 *
 * Every connection is a full handshake, as the client does it
 * (connect, echo, shutdown, bye, close), so the server side needs nothing
 * special and may sit on the other side of a VM boundary.
 *
 * Threads: hve_bench_run runs on the calling thread, to the end, and calls
 * progress FROM THAT THREAD about every 200 ms; progress returning false
 * stops the run (a front end's stop button or Ctrl+C). Nothing here is
 * shared between threads. */
#ifndef HVECHO_BENCH_H
#define HVECHO_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hvecho/addr.h"
#include "hvecho/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum hve_bench_kind {
    HVE_BENCH_LATENCY,     /* count messages of size bytes, ping-pong, on
                              one connection */
    HVE_BENCH_THROUGHPUT,  /* bytes (or duration_s) streamed and echoed on
                              one connection, send and receive overlapped */
    HVE_BENCH_CONNECTIONS, /* count handshakes with a size-byte message,
                              parallel at once */
    HVE_BENCH_STRESS,      /* parallel clients for duration_s or count
                              connections; messages of 1..size random bytes */
    HVE_BENCH_IDLE         /* count connections, opened and then held
                              without a byte for duration_s, then each
                              ends with the shutdown and the bye */
} hve_bench_kind;

typedef struct hve_bench_progress {
    hve_bench_kind kind;
    double elapsed_s;
    uint64_t done;   /* messages (latency) or handshakes completed */
    uint64_t failed; /* handshakes failed */
    uint64_t bytes;  /* echo bytes verified */
    unsigned open;   /* connections open now */
    bool holding;    /* idle: all connected, holding */
} hve_bench_progress;

/* Return false to stop. During the idle hold, false ends the hold early
 * and the connections still close with the handshake. */
typedef bool (*hve_bench_progress_fn)(void *user,
                                      const hve_bench_progress *p);

typedef struct hve_bench_opts {
    hve_bench_kind kind;
    hve_addr target;
    hve_service service;   /* for vsock and hyperv targets */
    int timeout_ms;        /* connect, and no progress on a connection for
                              this long fails it; 0 = 5000 */
    uint64_t count;        /* see hve_bench_kind; 0 = no limit (then
                              duration_s must be set) */
    uint64_t size;         /* message bytes (stress: the largest) */
    uint64_t bytes;        /* throughput: bytes to stream; 0 = duration_s */
    double duration_s;     /* 0 = no limit (then count/bytes must be set) */
    unsigned parallel;     /* connections at once (connections, stress);
                              idle: connects in flight; 0 = 1 */
    uint32_t seed;         /* stress: random sizes; 0 = from the clock */
    bool no_bye;           /* the peer is a plain echo: end of stream
                              right after our shutdown, with no bye, is
                              not an error (socat EXEC:cat, ncat -e cat) */
    hve_bench_progress_fn progress;
    void *user;
} hve_bench_opts;

/* Percentiles of a set of samples, in microseconds. */
typedef struct hve_bench_stats {
    uint64_t count;
    double min_us, mean_us, p50_us, p90_us, p99_us, max_us;
} hve_bench_stats;

typedef struct hve_bench_result {
    int err;               /* 0, or the first error seen (hve_err) */
    char detail[256];      /* what that error was about */
    double seconds;        /* the measured time */
    uint64_t ok;           /* latency: messages; else handshakes that
                              completed */
    uint64_t failed;       /* handshakes that failed */
    uint64_t bytes;        /* echo bytes that came back and matched */
    uint64_t sent;         /* message bytes sent */
    uint64_t corrupted;    /* handshakes whose echo differed */
    uint64_t lost;         /* bytes sent whose echo never came back, on
                              connections that failed */
    uint64_t by_error[HVE_ERR_COUNT]; /* failed handshakes by hve_err */
    hve_bench_stats rtt;       /* latency: message round trip */
    hve_bench_stats connect;   /* connect time */
    hve_bench_stats handshake; /* connect start to end of the bye */
} hve_bench_result;

/* Runs the benchmark to its end. Returns 0 when every handshake
 * completed; else r->err: HVE_ECANCELED when progress stopped it,
 * HVE_EBADINPUT for options that make no sense (detail says which), or
 * the first connection's error. r is filled in either case. */
int hve_bench_run(const hve_bench_opts *o, hve_bench_result *r);

/* "latency", "throughput", "connections", "stress", "idle". */
const char *hve_bench_kind_name(hve_bench_kind k);

#ifdef __cplusplus
}
#endif
#endif
