/* monitor.c - probe results, their JSON line, per-target counters and
 * the Prometheus text exposition (monitor.h). Platform-free; the file
 * replace and the clocks are in monitor_posix.c / monitor_win32.c.
 *
 * Threads: an hve_monitor is used by one thread; the rest is pure. */
#include "hvecho/monitor.h"

#include "attr.h"
#include "hvecho/error.h"
#include "hvecho/text.h"
#include "net.h"
#include "platform.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const phase_names[HVE_PHASE_COUNT] = {"connect", "echo",
                                                         "bye"};

const char *hve_phase_name(hve_phase p)
{
    return (unsigned)p < HVE_PHASE_COUNT ? phase_names[p] : "?";
}

unsigned long hve_raise_fd_limit(void)
{
    return hve__net_raise_fd_limit();
}

int64_t hve_monotonic_us(void)
{
    return hve__now_us();
}

void hve_probe_result_init(hve_probe_result *r)
{
    memset(r, 0, sizeof *r);
    for (int i = 0; i < HVE_PHASE_COUNT; i++)
        r->phase_us[i] = -1;
    r->total_us = -1;
}

void hve_probe_result_event(hve_probe_result *r, const hve_event *ev,
                            int64_t start_mono_us)
{
    switch (ev->kind) {
    case HVE_EV_CONNECTED:
        r->phase_us[HVE_PHASE_CONNECT] = ev->dur_us;
        break;
    case HVE_EV_RECEIVED:
        r->phase_us[HVE_PHASE_ECHO] = ev->dur_us;
        break;
    case HVE_EV_BYE:
        r->phase_us[HVE_PHASE_BYE] = ev->dur_us;
        break;
    case HVE_EV_ERROR:
        /* The first error is the reason; later ones follow from it. */
        if (!r->err) {
            r->err = ev->err;
            hve__strlcpy(r->detail, sizeof r->detail, ev->detail);
        }
        break;
    case HVE_EV_FINISHED:
        if (!r->err)
            r->err = ev->err;
        r->canceled = ev->err == HVE_ECANCELED;
        r->total_us = ev->mono_us - start_mono_us;
        r->end_unix = hve_unix_time();
        break;
    default:
        break;
    }
}

/* A growing text buffer; on out of memory it stays failed (data NULL). */
typedef struct buf {
    char *data;
    size_t len, cap;
    bool failed;
} buf;

HVE_PRINTF(2, 3)
static void put(buf *b, const char *fmt, ...)
{
    if (b->failed)
        return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        size_t room = b->cap - b->len;
        int n = vsnprintf(b->data ? b->data + b->len : NULL, room, fmt, ap);
        va_end(ap);
        if (n < 0) {
            b->failed = true;
            return;
        }
        if ((size_t)n < room) {
            b->len += (size_t)n;
            return;
        }
        size_t cap = b->cap ? b->cap * 2 : 4096;
        while (cap - b->len <= (size_t)n)
            cap *= 2;
        char *d = realloc(b->data, cap);
        if (!d) {
            free(b->data);
            b->data = NULL;
            b->failed = true;
            return;
        }
        b->data = d;
        b->cap = cap;
    }
}

static double ms(int64_t us)
{
    return (double)us / 1000.0;
}

char *hve_probe_result_json(const hve_probe_result *r, const char *target,
                            const char *service, unsigned round, char *out,
                            size_t outlen)
{
    char t[HVE_HOST_MAX * 6 + 8], d[sizeof r->detail * 6 + 8];
    char svc[200] = "";
    if (service) {
        char e[160];
        snprintf(svc, sizeof svc, ",\"service\":\"%s\"",
                 hve_json_escape(service, strlen(service), e, sizeof e));
    }
    int n = snprintf(out, outlen,
                     "{\"probe\":\"%s\"%s,\"round\":%u,\"time\":%.3f,"
                     "\"success\":%s",
                     hve_json_escape(target, strlen(target), t, sizeof t), svc,
                     round, r->end_unix, r->err ? "false" : "true");
    for (int i = 0; i < HVE_PHASE_COUNT && n >= 0 && (size_t)n < outlen; i++)
        if (r->phase_us[i] >= 0)
            n += snprintf(out + n, outlen - (size_t)n, ",\"%s_ms\":%.3f",
                          phase_names[i], ms(r->phase_us[i]));
    if (n >= 0 && (size_t)n < outlen && r->total_us >= 0)
        n += snprintf(out + n, outlen - (size_t)n, ",\"total_ms\":%.3f",
                      ms(r->total_us));
    if (n >= 0 && (size_t)n < outlen && r->err)
        n += snprintf(out + n, outlen - (size_t)n,
                      ",\"error\":\"%s\",\"message\":\"%s\",\"detail\":\"%s\"",
                      hve_errname(r->err), hve_strerror(r->err),
                      hve_json_escape(r->detail, strlen(r->detail), d,
                                      sizeof d));
    if (n >= 0 && (size_t)n < outlen)
        snprintf(out + n, outlen - (size_t)n, "}");
    return out;
}

char *hve_prom_label_escape(const char *s, char *out, size_t outlen)
{
    size_t o = 0;
    if (!outlen)
        return out;
    for (; *s; s++) {
        const char *rep = NULL;
        char one[2] = {*s, '\0'};
        if (*s == '\\')
            rep = "\\\\";
        else if (*s == '"')
            rep = "\\\"";
        else if (*s == '\n')
            rep = "\\n";
        else
            rep = one;
        size_t n = strlen(rep);
        if (o + n >= outlen)
            break;
        memcpy(out + o, rep, n);
        o += n;
    }
    out[o] = '\0';
    return out;
}

typedef struct target {
    char *labels;       /* target="...",service="..." */
    bool probed;
    hve_probe_result last;
    double last_success; /* Unix time, 0 = never */
    uint64_t probes;
    uint64_t failures[HVE_ERR_COUNT];
} target;

struct hve_monitor {
    target *t;
    size_t n, cap;
};

hve_monitor *hve_monitor_new(void)
{
    return calloc(1, sizeof(hve_monitor));
}

void hve_monitor_free(hve_monitor *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++)
        free(m->t[i].labels);
    free(m->t);
    free(m);
}

int hve_monitor_add(hve_monitor *m, const char *target_text,
                    const char *service)
{
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 8;
        target *t = realloc(m->t, cap * sizeof *t);
        if (!t)
            return -1;
        m->t = t;
        m->cap = cap;
    }
    char a[HVE_HOST_MAX * 2 + 8], b[160];
    buf lb = {0};
    put(&lb, "target=\"%s\"", hve_prom_label_escape(target_text, a, sizeof a));
    if (service)
        put(&lb, ",service=\"%s\"", hve_prom_label_escape(service, b, sizeof b));
    if (lb.failed)
        return -1;
    target *t = &m->t[m->n];
    memset(t, 0, sizeof *t);
    t->labels = lb.data;
    hve_probe_result_init(&t->last);
    return (int)m->n++;
}

void hve_monitor_record(hve_monitor *m, int idx, const hve_probe_result *r)
{
    if (idx < 0 || (size_t)idx >= m->n || r->canceled)
        return;
    target *t = &m->t[idx];
    t->probed = true;
    t->last = *r;
    t->probes++;
    if (r->err) {
        int e = r->err > 0 && r->err < HVE_ERR_COUNT ? r->err : HVE_ESYS;
        t->failures[e]++;
    } else {
        t->last_success = r->end_unix;
    }
}

static void family(buf *b, const char *name, const char *type,
                   const char *help)
{
    put(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

char *hve_monitor_format(const hve_monitor *m, size_t *len)
{
    buf b = {0};
    family(&b, "hvecho_probe_success", "gauge",
           "1 when the last probe of the target completed the hvecho "
           "handshake (connect, echo, bye) within its deadline, else 0.");
    for (size_t i = 0; i < m->n; i++)
        if (m->t[i].probed)
            put(&b, "hvecho_probe_success{%s} %d\n", m->t[i].labels,
                m->t[i].last.err ? 0 : 1);
    family(&b, "hvecho_probe_duration_seconds", "gauge",
           "How long each phase of the last probe took: connect (with the "
           "name lookup), echo, bye, and the whole probe (total).");
    for (size_t i = 0; i < m->n; i++) {
        const target *t = &m->t[i];
        if (!t->probed)
            continue;
        for (int p = 0; p < HVE_PHASE_COUNT; p++)
            if (t->last.phase_us[p] >= 0)
                put(&b, "hvecho_probe_duration_seconds{%s,phase=\"%s\"} %.6f\n",
                    t->labels, phase_names[p],
                    (double)t->last.phase_us[p] / 1e6);
        put(&b, "hvecho_probe_duration_seconds{%s,phase=\"total\"} %.6f\n",
            t->labels, (double)t->last.total_us / 1e6);
    }
    family(&b, "hvecho_probe_timestamp_seconds", "gauge",
           "When the last probe of the target ended, in Unix time.");
    for (size_t i = 0; i < m->n; i++)
        if (m->t[i].probed)
            put(&b, "hvecho_probe_timestamp_seconds{%s} %.3f\n",
                m->t[i].labels, m->t[i].last.end_unix);
    family(&b, "hvecho_probe_last_success_timestamp_seconds", "gauge",
           "When a probe of the target last succeeded, in Unix time.");
    for (size_t i = 0; i < m->n; i++)
        if (m->t[i].last_success > 0)
            put(&b, "hvecho_probe_last_success_timestamp_seconds{%s} %.3f\n",
                m->t[i].labels, m->t[i].last_success);
    family(&b, "hvecho_probes_total", "counter",
           "Probes of the target since this hvecho probe started.");
    for (size_t i = 0; i < m->n; i++)
        if (m->t[i].probed)
            put(&b, "hvecho_probes_total{%s} %" PRIu64 "\n", m->t[i].labels,
                m->t[i].probes);
    family(&b, "hvecho_probe_failures_total", "counter",
           "Failed probes of the target since this hvecho probe started, by "
           "reason (the hvecho error name).");
    for (size_t i = 0; i < m->n; i++)
        for (int e = 1; e < HVE_ERR_COUNT; e++)
            if (m->t[i].failures[e])
                put(&b, "hvecho_probe_failures_total{%s,reason=\"%s\"} %" PRIu64
                        "\n",
                    m->t[i].labels, hve_errname(e), m->t[i].failures[e]);
    if (b.failed)
        return NULL;
    *len = b.len;
    return b.data;
}
