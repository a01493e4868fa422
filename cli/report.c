/* report.c - session events as text for a person or as JSON for a
 * program. Peer bytes always go through hve_escape / hve_json_escape, so
 * nothing a peer sends reaches the terminal raw. Main thread only. */
#define _POSIX_C_SOURCE 200809L /* localtime_r */
#include "report.h"

#include "options.h" /* CLI_PRINTF */

#include <inttypes.h>
#include <stdarg.h>
#include <string.h>
#include <time.h>

#define SHOW_MAX 64       /* bytes of data shown on a human line */
#define JSON_DATA_MAX 256 /* bytes of data in a JSON event */

void report_init(report *r, bool json, bool quiet, bool verbose, bool server,
                 unsigned rounds)
{
    memset(r, 0, sizeof *r);
    r->rounds = rounds;
    r->json = json;
    r->quiet = quiet;
    r->verbose = verbose;
    r->server = server;
    r->out = stdout;
    if (!server)
        r->stats = hve_stats_new();
}

void report_done(report *r)
{
    hve_stats_free(r->stats);
    r->stats = NULL;
}

void report_error(int err, const char *detail)
{
    if (detail && *detail)
        fprintf(stderr, "hvecho: %s: %s\n", hve_strerror(err), detail);
    else
        fprintf(stderr, "hvecho: %s\n", hve_strerror(err));
    const char *hint = hve_hint(err);
    if (*hint)
        fprintf(stderr, "hint: %s\n", hint);
}

static double ms(int64_t us)
{
    return (double)us / 1000.0;
}

static void json_event(report *r, const hve_event *ev)
{
    char buf[HVE_EVENT_DATA_CAP * 6 + 8];
    FILE *f = r->out;
    fprintf(f, "{\"event\":\"%s\",\"t_ms\":%.3f", hve_event_kind_name(ev->kind),
            ms(ev->t_us));
    if (ev->conn)
        fprintf(f, ",\"conn\":%" PRIu64, ev->conn);
    if (ev->round)
        fprintf(f, ",\"round\":%u", ev->round);
    if (ev->peer[0])
        fprintf(f, ",\"peer\":\"%s\"",
                hve_json_escape(ev->peer, strlen(ev->peer), buf, sizeof buf));
    if (ev->bytes || ev->kind == HVE_EV_CLOSED)
        fprintf(f, ",\"bytes\":%" PRIu64, ev->bytes);
    if (ev->total)
        fprintf(f, ",\"total\":%" PRIu64, ev->total);
    if (ev->dur_us >= 0)
        fprintf(f, ",\"dur_ms\":%.3f", ms(ev->dur_us));
    if (ev->port)
        fprintf(f, ",\"port\":%lu", (unsigned long)ev->port);
    if (ev->err) {
        fprintf(f, ",\"error\":\"%s\",\"message\":\"%s\"", hve_errname(ev->err),
                hve_strerror(ev->err));
        if (*hve_hint(ev->err))
            fprintf(f, ",\"hint\":\"%s\"",
                    hve_json_escape(hve_hint(ev->err), strlen(hve_hint(ev->err)),
                                    buf, sizeof buf));
    }
    if (ev->detail[0])
        fprintf(f, ",\"detail\":\"%s\"",
                hve_json_escape(ev->detail, strlen(ev->detail), buf,
                                sizeof buf));
    if (ev->data) {
        /* The first JSON_DATA_MAX bytes: a line per event stays short. */
        size_t n = ev->len < JSON_DATA_MAX ? ev->len : JSON_DATA_MAX;
        fprintf(f, ",\"data\":\"%s\"%s",
                hve_json_escape(ev->data, n, buf, sizeof buf),
                n < ev->len || ev->truncated ? ",\"data_truncated\":true"
                                             : "");
    }
    if (ev->kind == HVE_EV_FINISHED) {
        int err = ev->err;
        if (r->server && err == HVE_ECANCELED)
            err = 0;
        fprintf(f, ",\"exit\":%d", hve_exit_code(err));
    }
    fputs("}\n", f);
    fflush(f);
}

/* The start of a line. Client: milliseconds since it started (phases are
 * short), and the round when there are several. Server: the wall-clock
 * time (it runs for long) and the connection. */
static void prefix(report *r, const hve_event *ev)
{
    if (r->server) {
        time_t now = time(NULL);
        struct tm tm;
#ifdef _WIN32
        localtime_s(&tm, &now);
#else
        localtime_r(&now, &tm);
#endif
        fprintf(r->out, "%02d:%02d:%02d  ", tm.tm_hour, tm.tm_min, tm.tm_sec);
        if (ev->conn)
            fprintf(r->out, "#%-5" PRIu64 " ", ev->conn);
        else
            fprintf(r->out, "       ");
        return;
    }
    fprintf(r->out, "%9.3f ms  ", ms(ev->t_us));
    if (r->rounds > 1)
        fprintf(r->out, "#%-4u ", ev->round);
}

/* One human line: time, connection, what happened, the rest. */
CLI_PRINTF(4, 5)
static void line(report *r, const hve_event *ev, const char *what,
                 const char *fmt, ...)
{
    prefix(r, ev);
    fprintf(r->out, "%-11s ", what);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(r->out, fmt, ap);
    va_end(ap);
    fputc('\n', r->out);
}

static const char *shown(const hve_event *ev, char *buf, size_t len)
{
    if (!ev->data)
        return "";
    size_t n = ev->len < SHOW_MAX ? ev->len : SHOW_MAX;
    char esc[SHOW_MAX * 4 + 8];
    hve_escape(ev->data, n, esc, sizeof esc);
    snprintf(buf, len, ": \"%s\"%s", esc,
             (n < ev->len || ev->truncated) ? " ..." : "");
    return buf;
}

static void human_event(report *r, const hve_event *ev)
{
    char data[SHOW_MAX * 4 + 32];
    bool q = r->quiet;
    switch (ev->kind) {
    case HVE_EV_LISTENING:
        if (!q)
            line(r, ev, "listening", "%s (Ctrl+C stops)", ev->detail);
        break;
    case HVE_EV_CONNECTING:
        if (!q)
            line(r, ev, "connecting", "%s", ev->detail);
        break;
    case HVE_EV_CONNECTED:
        r->connect_ms = ms(ev->dur_us);
        if (!q)
            line(r, ev, "connected", "in %.3f ms", ms(ev->dur_us));
        break;
    case HVE_EV_ACCEPTED:
        if (!q)
            line(r, ev, "accepted", "%s", ev->peer);
        break;
    case HVE_EV_SENT:
        if (q)
            break;
        if (r->server)
            line(r, ev, "echoed", "%" PRIu64 " bytes (%" PRIu64 " in all)%s",
                 ev->bytes, ev->total, shown(ev, data, sizeof data));
        else
            line(r, ev, "sent", "%" PRIu64 " bytes%s", ev->bytes,
                 shown(ev, data, sizeof data));
        break;
    case HVE_EV_RECEIVED:
        if (r->server) {
            if (!q)
                line(r, ev, "received", "%" PRIu64 " bytes%s", ev->bytes,
                     shown(ev, data, sizeof data));
        } else {
            r->echo_ms = ms(ev->dur_us);
            char rate[48] = "";
            if (ev->bytes >= HVE_STATS_MB_MIN && ev->dur_us > 0)
                snprintf(rate, sizeof rate, " (%.1f MB/s each way)",
                         hve_mb_per_s(ev->bytes, ev->dur_us));
            if (!q)
                line(r, ev, "echo", "%" PRIu64 " bytes back in %.3f ms%s, "
                                    "verified",
                     ev->bytes, ms(ev->dur_us), rate);
        }
        break;
    case HVE_EV_SHUTDOWN:
        if (q)
            break;
        if (r->server)
            line(r, ev, "shut down", "the client shut down its side after %"
                 PRIu64 " bytes", ev->total);
        else
            line(r, ev, "shut down", "our sending side");
        break;
    case HVE_EV_BYE:
        if (r->server) {
            if (!q)
                line(r, ev, "bye", "sent %" PRIu64 " bytes", ev->bytes);
        } else {
            r->bye_ms = ms(ev->dur_us);
            if (!q)
                line(r, ev, "bye", "%" PRIu64 " bytes in %.3f ms%s", ev->bytes,
                     ms(ev->dur_us), shown(ev, data, sizeof data));
        }
        break;
    case HVE_EV_CLOSED:
        if (!r->server) {
            if (!q && !ev->err)
                line(r, ev, "closed", "handshake complete: connect %.3f ms, "
                                      "echo %.3f ms, bye %.3f ms",
                     r->connect_ms, r->echo_ms, r->bye_ms);
        } else if (ev->err && ev->err != HVE_ECANCELED) {
            /* The server goes on: a peer's failure is a line, not an
             * error of ours. */
            line(r, ev, "closed", "%s: %s (%s) after %" PRIu64 " bytes",
                 ev->peer, hve_strerror(ev->err), ev->detail, ev->total);
        } else if (!q) {
            line(r, ev, "closed", "%s, %" PRIu64 " bytes echoed", ev->peer,
                 ev->bytes);
        }
        break;
    case HVE_EV_ERROR:
        fflush(r->out);
        report_error(ev->err, ev->detail);
        break;
    case HVE_EV_FINISHED:
        if (ev->detail[0] && !q)
            fprintf(r->out, "note: %s\n", ev->detail);
        /* Several handshakes: the summary row, as the windows show it. */
        if (!r->server && r->rounds > 1 && r->stats) {
            char row[256];
            fprintf(r->out, "%s\n",
                    hve_stats_format(r->stats, HVE_STATS_SUMMARY, row,
                                     sizeof row));
        }
        break;
    case HVE_EV_KIND_COUNT:
        break;
    }
    fflush(r->out);
}

void report_event(report *r, const hve_event *ev)
{
    if (r->stats)
        hve_stats_feed(r->stats, ev);
    if (r->json)
        json_event(r, ev);
    else
        human_event(r, ev);
}
