/* report.c - session events as lines for a person (the core's
 * description, event.h) or as JSON lines for a program (hve_event_json).
 * Peer bytes reach the terminal only as the core shows them: printable
 * text, everything else escaped. Main thread only. */
#define _POSIX_C_SOURCE 200809L /* localtime_r */
#include "report.h"

#include <inttypes.h>
#include <string.h>
#include <time.h>

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
    fprintf(r->out, "%9.3f ms  ", (double)ev->t_us / 1000.0);
    if (r->rounds > 1)
        fprintf(r->out, "#%-4u ", ev->round);
}

static void line(report *r, const hve_event *ev, const hve_desc *d)
{
    prefix(r, ev);
    fprintf(r->out, "%-11s %s\n", d->verb, d->text);
}

/* Whether ev gets a line (or a note) of its own. --quiet keeps errors, a
 * server's failed peers and the final count. */
static bool has_line(const report *r, const hve_event *ev)
{
    switch (ev->kind) {
    case HVE_EV_ERROR:
        return true;
    case HVE_EV_CLOSED:
        if (!ev->err || ev->err == HVE_ECANCELED)
            return !r->quiet;
        /* The server goes on: a peer's failure is a line, not an error
         * of ours. A client's: the ERROR said why; this says how far the
         * echo got. */
        return r->server || (ev->total && !r->quiet);
    default:
        return !r->quiet;
    }
}

/* Which events get a line, and where: the description (event.h) says
 * what each one is; this only picks. Errors go to stderr with their hint.
 * Only what is shown is described: a quiet server sees thousands of
 * events a second, and describing each took more instructions than
 * serving its connection. */
static void human_event(report *r, const hve_event *ev)
{
    if (has_line(r, ev)) {
        hve_desc d;
        hve_event_describe(ev, HVE_WORDS_CLI, &d);
        switch (ev->kind) {
        case HVE_EV_ERROR:
            fflush(r->out);
            fprintf(stderr, "hvecho: %s\n", d.text);
            if (d.hint[0])
                fprintf(stderr, "hint: %s\n", d.hint);
            break;
        case HVE_EV_CLOSED:
            line(r, ev, &d);
            break;
        case HVE_EV_FINISHED:
            if (d.note[0])
                fprintf(r->out, "note: %s\n", d.note);
            break;
        case HVE_EV_NOTE:
            fprintf(r->out, "note: %s\n", d.text);
            break;
        default:
            line(r, ev, &d);
            if (d.note[0])
                fprintf(r->out, "note: %s\n", d.note);
            break;
        }
    }
    /* Several handshakes: the summary row, as the windows show it. */
    if (ev->kind == HVE_EV_FINISHED && !r->server && r->rounds > 1 &&
        r->stats) {
        char row[256];
        fprintf(r->out, "%s\n",
                hve_stats_format(r->stats, HVE_STATS_SUMMARY, row,
                                 sizeof row));
    }
    fflush(r->out);
}

void report_event(report *r, const hve_event *ev)
{
    if (r->stats)
        hve_stats_feed(r->stats, ev);
    if (r->json) {
        char buf[HVE_EVENT_JSON_MAX];
        hve_event_json(ev, buf, sizeof buf);
        fprintf(r->out, "%s\n", buf);
        fflush(r->out);
    } else {
        human_event(r, ev);
    }
}
