/* monitor.h - what `hvecho probe` keeps and writes for monitoring systems:
 * the result of one probe (a full handshake with a deadline), a JSON line
 * of it, per-target counters, the Prometheus text exposition of them, and
 * an atomic file replace for the textfile collectors of node_exporter and
 * windows_exporter (which may read the file at any moment).
 *
 * Threads: an hve_monitor belongs to one thread (the probe's main loop);
 * the other functions are pure or touch only their arguments. */
#ifndef HVECHO_MONITOR_H
#define HVECHO_MONITOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hvecho/session.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The phases of a probe with their own duration. */
typedef enum hve_phase {
    HVE_PHASE_CONNECT, /* name lookup and connect */
    HVE_PHASE_ECHO,    /* the message out and its echo back */
    HVE_PHASE_BYE,     /* shutdown to the server's bye */
    HVE_PHASE_COUNT
} hve_phase;

const char *hve_phase_name(hve_phase p); /* "connect", "echo", "bye" */

typedef struct hve_probe_result {
    int err;                        /* 0 = the handshake completed */
    char detail[256];               /* why it failed, or "" */
    int64_t phase_us[HVE_PHASE_COUNT]; /* -1 = the phase was not reached */
    int64_t total_us;               /* start to end of the probe */
    double end_unix;                /* when it ended, Unix time, seconds */
    bool canceled;                  /* stopped by the user: not a result */
} hve_probe_result;

/* Clears r for a new probe (no phase reached, no error). */
void hve_probe_result_init(hve_probe_result *r);
/* Folds one session event into r: phase times from CONNECTED, RECEIVED
 * and BYE, the error from ERROR, the end from FINISHED (start_mono_us is
 * the hve_monotonic_us() at the session's start). */
void hve_probe_result_event(hve_probe_result *r, const hve_event *ev,
                            int64_t start_mono_us);

/* One JSON object, no newline: {"probe":TARGET,"service":...,"round":N,
 * "time":UNIX,"success":true|false,"connect_ms":...,"echo_ms":...,
 * "bye_ms":...,"total_ms":...[,"error":NAME,"message":...,"detail":...]}.
 * service may be NULL (tcp, unix). Returns out (cut short when small). */
char *hve_probe_result_json(const hve_probe_result *r, const char *target,
                            const char *service, unsigned round, char *out,
                            size_t outlen);

/* Per-target state over many probes. */
typedef struct hve_monitor hve_monitor;

hve_monitor *hve_monitor_new(void);
void hve_monitor_free(hve_monitor *m);
/* Adds a target; its labels are target="..." and, when service is not
 * NULL, service="..." (escaped). Returns its index, or -1 out of
 * memory. */
int hve_monitor_add(hve_monitor *m, const char *target, const char *service);
/* Counts one probe of target idx (a canceled one is ignored). */
void hve_monitor_record(hve_monitor *m, int idx, const hve_probe_result *r);
/* The Prometheus text exposition (format 0.0.4) of every target: HELP
 * and TYPE lines, then hvecho_probe_success, _duration_seconds{phase},
 * _timestamp_seconds, _last_success_timestamp_seconds, hvecho_probes_total
 * and hvecho_probe_failures_total{reason}. malloc'd (caller frees), *len
 * set; NULL when out of memory. */
char *hve_monitor_format(const hve_monitor *m, size_t *len);

/* A Prometheus label value: backslash, double quote and newline escaped.
 * Always NUL-terminates; cut short (never mid-escape) when small. */
char *hve_prom_label_escape(const char *s, char *out, size_t outlen);

/* Replaces the file at path with data atomically: written to a temporary
 * file in the same directory, then renamed over path (POSIX rename;
 * MoveFileEx with MOVEFILE_REPLACE_EXISTING on Windows), so a reader sees
 * the old file or the new one, never a part. path is UTF-8. 0 or an
 * hve_err with why filled in. */
int hve_file_replace(const char *path, const void *data, size_t len,
                     char *why, size_t whylen);

/* Raises this process's soft limit on open descriptors to the hard one:
 * a probe of N targets at once holds about 4 per target (socket, poller,
 * waker). Returns the limit now in force (0 where there is none). */
unsigned long hve_raise_fd_limit(void);

/* The wall clock, Unix time in seconds (with a fraction). */
double hve_unix_time(void);
/* The monotonic clock the events' mono_us use, in microseconds. */
int64_t hve_monotonic_us(void);
/* Sleeps up to ms milliseconds. */
void hve_sleep_ms(int ms);

#ifdef __cplusplus
}
#endif
#endif
