/* event.c - events as words: the one description every front end shows
 * (verb, text, duration, tone, hint, note), the JSON line, notes and the
 * tally of rows a front end did not show. Pure functions on events the
 * caller owns: any thread. */
#include "hvecho/event.h"
#include "hvecho/stats.h"
#include "hvecho/text.h"

#include "attr.h"
#include "event_alloc.h"
#include "platform.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SHOW_CLI 64     /* peer bytes shown on a command line */
#define SHOW_WINDOW 256 /* ... in a window's row */
#define JSON_DATA_MAX 256

static const char *const kind_names[HVE_EV_KIND_COUNT] = {
    "listening", "connecting", "connected", "accepted", "sent",  "received",
    "shutdown",  "bye",        "closed",    "error",    "finished", "note",
};

const char *hve_event_kind_name(hve_event_kind k)
{
    return (unsigned)k < HVE_EV_KIND_COUNT ? kind_names[k] : "?";
}

const char *hve_side_name(hve_side side)
{
    return side == HVE_SIDE_SERVER ? "server" : "client";
}

hve_event *hve_event_note(hve_side side, const char *text)
{
    hve_event *ev = hve__event_alloc();
    if (!ev)
        return NULL;
    ev->kind = HVE_EV_NOTE;
    ev->side = side;
    ev->mono_us = hve__now_us();
    ev->dur_us = ev->connect_us = ev->echo_us = ev->bye_us = -1;
    hve__strlcpy(ev->detail, sizeof ev->detail, text ? text : "");
    return ev;
}

bool hve_bye_is_seed(const void *data, size_t len)
{
    return data && len == 8 && memcmp(data, "Bye!\0", 5) == 0;
}

char *hve_format_duration(int64_t us, char *out, size_t outlen)
{
    if (us < 0)
        snprintf(out, outlen, "-");
    else if (us < 1000000)
        snprintf(out, outlen, "%.3f ms", (double)us / 1000.0);
    else if (us < 10000000)
        snprintf(out, outlen, "%.1f ms", (double)us / 1000.0);
    else
        snprintf(out, outlen, "%.2f s", (double)us / 1e6);
    return out;
}

char *hve_format_count(uint64_t n, char *out, size_t outlen)
{
    char digits[24];
    int len = snprintf(digits, sizeof digits, "%" PRIu64, n);
    char buf[32];
    size_t pos = 0;
    for (int i = 0; i < len; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            buf[pos++] = ',';
        buf[pos++] = digits[i];
    }
    buf[pos] = '\0';
    hve__strlcpy(out, outlen, buf);
    return out;
}

/* Appends to d->text (printf-style); silently cut at the end. */
HVE_PRINTF(2, 3)
static void add(hve_desc *d, const char *fmt, ...)
{
    size_t used = strlen(d->text);
    if (used + 1 >= sizeof d->text)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->text + used, sizeof d->text - used, fmt, ap);
    va_end(ap);
}

/* ": \"<the peer's bytes>\"" when the event has data. */
static void add_data(hve_desc *d, const hve_event *ev, hve_words w)
{
    if (!ev->data || !ev->len)
        return;
    char shown[SHOW_WINDOW * 4 + 8];
    hve_show_bytes(ev->data, ev->len, w == HVE_WORDS_CLI ? SHOW_CLI
                                                         : SHOW_WINDOW,
                   ev->truncated, shown, sizeof shown);
    add(d, ": \"%s\"", shown);
}

static const char *dur(int64_t us, char *buf, size_t len)
{
    return hve_format_duration(us, buf, len);
}

static const char *count(uint64_t n, char *buf, size_t len)
{
    return hve_format_count(n, buf, len);
}

static void failure(hve_desc *d, const hve_event *ev, hve_words w)
{
    d->tone = HVE_TONE_ERROR;
    add(d, "%s", hve_strerror(ev->err));
    if (ev->detail[0])
        add(d, ": %s", ev->detail);
    hve__strlcpy(d->hint, sizeof d->hint, hve_hint_in(ev->err, w));
}

static void describe_closed(const hve_event *ev, hve_words w, hve_desc *d)
{
    char a[32], b[32], c[32];
    if (ev->side == HVE_SIDE_CLIENT) {
        if (!ev->err) {
            d->tone = HVE_TONE_BYE;
            add(d, "handshake complete: connect %s, echo %s, bye %s",
                dur(ev->connect_us, a, sizeof a),
                dur(ev->echo_us, b, sizeof b), dur(ev->bye_us, c, sizeof c));
            return;
        }
        /* The ERROR before it gave the details; here the byte counts. */
        d->tone = ev->err == HVE_ECANCELED ? HVE_TONE_NOTE : HVE_TONE_ERROR;
        add(d, "%s: %s of %s bytes sent came back", hve_strerror(ev->err),
            count(ev->bytes, a, sizeof a), count(ev->total, b, sizeof b));
        if (ev->err != HVE_ECANCELED)
            hve__strlcpy(d->hint, sizeof d->hint, hve_hint_in(ev->err, w));
        return;
    }
    add(d, "%s", ev->peer);
    if (!ev->err) {
        d->tone = HVE_TONE_BYE;
        add(d, ", %s bytes echoed", count(ev->bytes, a, sizeof a));
        return;
    }
    if (ev->err == HVE_ECANCELED) {
        d->tone = HVE_TONE_NOTE;
        add(d, ", %s bytes echoed (the server stopped)",
            count(ev->bytes, a, sizeof a));
        return;
    }
    d->tone = HVE_TONE_ERROR;
    add(d, ": %s", hve_strerror(ev->err));
    if (ev->detail[0])
        add(d, " (%s)", ev->detail);
    add(d, "; %s bytes read, %s echoed", count(ev->total, a, sizeof a),
        count(ev->bytes, b, sizeof b));
    hve__strlcpy(d->hint, sizeof d->hint, hve_hint_in(ev->err, w));
}

static void describe_finished(const hve_event *ev, hve_words w, hve_desc *d)
{
    char a[32];
    bool server = ev->side == HVE_SIDE_SERVER;
    const char *what = server ? "connection" : "handshake";
    if (ev->err && ev->err != HVE_ECANCELED) {
        d->verb = "failed";
        failure(d, ev, w);
    } else if (ev->err == HVE_ECANCELED || server) {
        d->verb = "stopped";
        d->tone = server && !ev->err ? HVE_TONE_NORMAL : HVE_TONE_NOTE;
        add(d, "%s %s%s complete", count(ev->ok, a, sizeof a), what,
            ev->ok == 1 ? "" : "s");
    } else {
        d->verb = "done";
        d->tone = HVE_TONE_BYE;
        add(d, "%s %s%s complete", count(ev->ok, a, sizeof a), what,
            ev->ok == 1 ? "" : "s");
    }
    if (ev->failed && (!ev->err || ev->err == HVE_ECANCELED))
        add(d, ", %s failed", count(ev->failed, a, sizeof a));
    hve__strlcpy(d->note, sizeof d->note, ev->detail);
    if (ev->dropped) {
        /* The same words as a front end's tally of the rows it hid. */
        hve_tally t = {0};
        char rows[sizeof d->note];
        hve_tally_event(&t, ev, true);
        hve_tally_note(&t, 0, rows, sizeof rows);
        size_t at = strlen(d->note);
        snprintf(d->note + at, sizeof d->note - at, "%s%s", at ? "; " : "",
                 rows);
    }
}

void hve_event_describe(const hve_event *ev, hve_words w, hve_desc *d)
{
    char a[32], b[32];
    bool server = ev->side == HVE_SIDE_SERVER;
    memset(d, 0, sizeof *d);
    d->verb = hve_event_kind_name(ev->kind);
    d->dur_us = ev->dur_us;
    d->tone = HVE_TONE_NORMAL;
    switch (ev->kind) {
    case HVE_EV_LISTENING:
        add(d, "%s", ev->detail);
        if (w == HVE_WORDS_CLI)
            add(d, " (Ctrl+C stops)");
        break;
    case HVE_EV_CONNECTING:
        add(d, "%s", ev->detail);
        break;
    case HVE_EV_CONNECTED:
        add(d, "in %s", dur(ev->dur_us, a, sizeof a));
        break;
    case HVE_EV_ACCEPTED:
        add(d, "%s", ev->peer);
        break;
    case HVE_EV_SENT:
        if (server) {
            d->verb = "echoed";
            add(d, "%s bytes (%s in all)", count(ev->bytes, a, sizeof a),
                count(ev->total, b, sizeof b));
        } else {
            add(d, "%s bytes", count(ev->bytes, a, sizeof a));
        }
        add_data(d, ev, w);
        break;
    case HVE_EV_RECEIVED:
        if (server) {
            add(d, "%s bytes", count(ev->bytes, a, sizeof a));
            add_data(d, ev, w);
            break;
        }
        d->verb = "echo";
        add(d, "%s bytes back in %s", count(ev->bytes, a, sizeof a),
            dur(ev->dur_us, b, sizeof b));
        if (ev->bytes >= HVE_STATS_MB_MIN && ev->dur_us > 0)
            add(d, " (%.1f MB/s each way)",
                hve_mb_per_s(ev->bytes, ev->dur_us));
        add(d, ", verified");
        break;
    case HVE_EV_SHUTDOWN:
        d->verb = "shut down";
        if (server)
            add(d, "the client shut down its side after %s bytes",
                count(ev->total, a, sizeof a));
        else
            add(d, "our sending side");
        break;
    case HVE_EV_BYE:
        d->tone = HVE_TONE_BYE;
        if (server) {
            add(d, "sent %s bytes", count(ev->bytes, a, sizeof a));
            break;
        }
        if (!ev->bytes) {
            add(d, "none: the peer ended the stream after %s (%s)",
                dur(ev->dur_us, b, sizeof b),
                w == HVE_WORDS_CLI ? "--no-bye" : "no bye expected");
            break;
        }
        add(d, "%s bytes in %s", count(ev->bytes, a, sizeof a),
            dur(ev->dur_us, b, sizeof b));
        add_data(d, ev, w);
        if (ev->flags & HVE_EVF_SEED_BYE)
            snprintf(d->note, sizeof d->note,
                     "the original echo server's fixed-size bye: 8 bytes, "
                     "\"Bye!\", a NUL and 3 stray bytes");
        break;
    case HVE_EV_CLOSED:
        describe_closed(ev, w, d);
        break;
    case HVE_EV_ERROR:
        failure(d, ev, w);
        break;
    case HVE_EV_FINISHED:
        describe_finished(ev, w, d);
        break;
    case HVE_EV_NOTE:
        d->tone = HVE_TONE_NOTE;
        add(d, "%s", ev->detail);
        break;
    case HVE_EV_KIND_COUNT:
        break;
    }
}

/* Data rows the core did not queue, into the side's buckets. */
static void tally_dropped(hve_tally *t, hve_side side, uint64_t n,
                          uint64_t echo)
{
    t->dropped += n;
    if (side == HVE_SIDE_CLIENT) {
        t->dropped_echo += echo;
        t->dropped_sent += n - echo;
    }
}

void hve_tally_event(hve_tally *t, const hve_event *ev, bool shown)
{
    int side = ev->side == HVE_SIDE_SERVER;
    bool client = ev->side == HVE_SIDE_CLIENT;
    switch (ev->kind) {
    case HVE_EV_SENT:
    case HVE_EV_RECEIVED:
        if (shown)
            break;
        t->hidden++;
        if (ev->kind == HVE_EV_RECEIVED && client) {
            t->echo_hidden++;
            t->pending_conn = ev->conn;
        }
        break;
    case HVE_EV_CLOSED: {
        uint64_t echo = client && ev->dropped_echo <= ev->dropped
                            ? ev->dropped_echo
                            : 0;
        bool verified = client && !ev->err &&
                        ((t->pending_conn && ev->conn == t->pending_conn) ||
                         echo);
        if (verified)
            t->verified++;
        tally_dropped(t, ev->side, ev->dropped, echo);
        t->closed_dropped[side] += ev->dropped;
        if (client) {
            t->closed_echo += echo;
            t->closed_verified += verified && echo;
        }
        t->pending_conn = 0;
        break;
    }
    case HVE_EV_FINISHED: {
        /* What no CLOSED accounted for (a CLOSED lost to memory). */
        uint64_t n = ev->dropped > t->closed_dropped[side]
                         ? ev->dropped - t->closed_dropped[side]
                         : 0;
        uint64_t echo = 0;
        if (client) {
            echo = ev->dropped_echo > t->closed_echo
                       ? ev->dropped_echo - t->closed_echo
                       : 0;
            if (echo > n)
                echo = n;
            if (ev->dropped_verified > t->closed_verified)
                t->verified += ev->dropped_verified - t->closed_verified;
            t->closed_echo = t->closed_verified = 0;
        }
        tally_dropped(t, ev->side, n, echo);
        t->closed_dropped[side] = 0;
        break;
    }
    default:
        break;
    }
}

char *hve_tally_note(const hve_tally *t, unsigned row_cap, char *out,
                     size_t outlen)
{
    char a[32], b[32];
    char buf[512] = "";
    size_t n = 0;
#define PART(...)                                                            \
    do {                                                                     \
        if (n && n + 2 < sizeof buf)                                         \
            n += (size_t)snprintf(buf + n, sizeof buf - n, "; ");            \
        if (n < sizeof buf)                                                  \
            n += (size_t)snprintf(buf + n, sizeof buf - n, __VA_ARGS__);     \
    } while (0)
    uint64_t echo = t->echo_hidden + t->dropped_echo;
    uint64_t server = t->dropped - t->dropped_echo - t->dropped_sent;
    static const char behind[] = " (the display fell behind)";
    if (echo)
        PART("%s echo rows not shown: %s handshakes verified%s",
             count(echo, a, sizeof a), count(t->verified, b, sizeof b),
             t->dropped_echo && t->dropped == t->dropped_echo ? behind : "");
    if (t->dropped_sent && server)
        PART("%s sent rows and %s server data rows not shown%s",
             count(t->dropped_sent, a, sizeof a), count(server, b, sizeof b),
             behind);
    else if (t->dropped_sent)
        PART("%s sent rows not shown%s", count(t->dropped_sent, a, sizeof a),
             behind);
    else if (server)
        PART("%s server data rows not shown%s", count(server, a, sizeof a),
             behind);
    if (t->hidden > t->echo_hidden)
        PART("%s data rows merged into their connection's row",
             count(t->hidden - t->echo_hidden, a, sizeof a));
    if (t->capped) {
        if (row_cap)
            PART("%s oldest rows removed (the log keeps the newest %s)",
                 count(t->capped, a, sizeof a), count(row_cap, b, sizeof b));
        else
            PART("%s oldest rows removed", count(t->capped, a, sizeof a));
    }
#undef PART
    hve__strlcpy(out, outlen, buf);
    return out;
}

/* ---- JSON ---- */

typedef struct jbuf {
    char *out;
    size_t cap, len;
    bool full;
} jbuf;

HVE_PRINTF(2, 3)
static void jadd(jbuf *j, const char *fmt, ...)
{
    if (j->full)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(j->out + j->len, j->cap - j->len, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= j->cap - j->len) {
        j->full = true;
        j->out[j->len] = '\0';
        return;
    }
    j->len += (size_t)n;
}

static void jstr(jbuf *j, const char *name, const void *s, size_t len)
{
    char esc[HVE_EVENT_DATA_CAP + 64];
    hve_json_escape(s, len, esc, sizeof esc);
    jadd(j, ",\"%s\":\"%s\"", name, esc);
}

static double ms(int64_t us)
{
    return (double)us / 1000.0;
}

size_t hve_event_json(const hve_event *ev, char *out, size_t outlen)
{
    if (!out || outlen == 0)
        return 0;
    jbuf j = {out, outlen, 0, false};
    out[0] = '\0';
    jadd(&j, "{\"event\":\"%s\",\"side\":\"%s\",\"t_ms\":%.3f",
         hve_event_kind_name(ev->kind), hve_side_name(ev->side), ms(ev->t_us));
    if (ev->conn)
        jadd(&j, ",\"conn\":%" PRIu64, ev->conn);
    if (ev->round)
        jadd(&j, ",\"round\":%u", ev->round);
    if (ev->peer[0])
        jstr(&j, "peer", ev->peer, strlen(ev->peer));
    if (ev->bytes || ev->kind == HVE_EV_CLOSED)
        jadd(&j, ",\"bytes\":%" PRIu64, ev->bytes);
    if (ev->total)
        jadd(&j, ",\"total\":%" PRIu64, ev->total);
    if (ev->dur_us >= 0)
        jadd(&j, ",\"dur_ms\":%.3f", ms(ev->dur_us));
    if (ev->kind == HVE_EV_CLOSED && ev->side == HVE_SIDE_CLIENT) {
        if (ev->connect_us >= 0)
            jadd(&j, ",\"connect_ms\":%.3f", ms(ev->connect_us));
        if (ev->echo_us >= 0)
            jadd(&j, ",\"echo_ms\":%.3f", ms(ev->echo_us));
        if (ev->bye_us >= 0)
            jadd(&j, ",\"bye_ms\":%.3f", ms(ev->bye_us));
    }
    if (ev->port)
        jadd(&j, ",\"port\":%lu", (unsigned long)ev->port);
    if (ev->err) {
        jadd(&j, ",\"error\":\"%s\",\"message\":\"%s\"", hve_errname(ev->err),
             hve_strerror(ev->err));
        const char *hint = hve_hint(ev->err);
        if (*hint)
            jstr(&j, "hint", hint, strlen(hint));
    }
    if (ev->detail[0])
        jstr(&j, "detail", ev->detail, strlen(ev->detail));
    if (ev->kind == HVE_EV_FINISHED) {
        jadd(&j, ",\"ok\":%" PRIu64 ",\"failed\":%" PRIu64, ev->ok,
             ev->failed);
    }
    /* CLOSED and FINISHED: data rows the core did not queue. */
    if (ev->dropped)
        jadd(&j, ",\"dropped\":%" PRIu64, ev->dropped);
    if (ev->dropped_echo)
        jadd(&j, ",\"dropped_echo\":%" PRIu64, ev->dropped_echo);
    if (ev->dropped_verified)
        jadd(&j, ",\"dropped_verified\":%" PRIu64, ev->dropped_verified);
    if (ev->flags & HVE_EVF_SEED_BYE)
        jadd(&j, ",\"seed_bye\":true");
    size_t before_data = j.len;
    if (ev->data && ev->len) {
        /* The first JSON_DATA_MAX bytes: a line per event stays short. */
        size_t n = ev->len < JSON_DATA_MAX ? ev->len : JSON_DATA_MAX;
        jstr(&j, "data", ev->data, n);
        if (n < ev->len || ev->truncated)
            jadd(&j, ",\"data_truncated\":true");
    }
    if (ev->kind == HVE_EV_FINISHED) {
        /* A server stopped on purpose did its job. */
        int err = ev->err;
        if (ev->side == HVE_SIDE_SERVER && err == HVE_ECANCELED)
            err = 0;
        jadd(&j, ",\"exit\":%d", hve_exit_code(err));
    }
    jadd(&j, "}");
    if (j.full) {
        /* Too small: the line without its data, or just the kind. */
        j.full = false;
        j.len = before_data < outlen ? before_data : 0;
        out[j.len] = '\0';
        if (j.len == 0)
            jadd(&j, "{\"event\":\"%s\"", hve_event_kind_name(ev->kind));
        jadd(&j, ",\"cut\":true}");
        if (j.full) {
            hve__strlcpy(out, outlen, "{}");
            j.len = strlen(out);
        }
    }
    return j.len;
}
