/* test_run.c - runs of several handshakes (hve_client_opts: first_round,
 * keep_going, until_stopped, interval_ms) against real servers on temp
 * Unix sockets: the core's own server, and a peer on a thread of its own
 * that fails every other connection. The runs' events also feed an
 * hve_stats, so its counts are checked against real runs. This thread
 * drains the events. */
#define _GNU_SOURCE
#include "check.h"
#include "tests.h"

#include "hvecho/hvecho.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static void run_path(char *buf, size_t len, const char *tag)
{
    static int seq;
    snprintf(buf, len, "/tmp/hvecho-run-%d-%s-%d.sock", (int)getpid(), tag,
             ++seq);
    unlink(buf);
}

/* The core's echo server on unix:path with the options in so (its listen
 * address set here), listening when this returns. */
static hve_session *echo_server_with(const char *path, hve_server_opts so)
{
    char t[128];
    snprintf(t, sizeof t, "unix:%s", path);
    CHECK_EQ_INT(hve_listen_parse(t, HVE_PLATFORM_LINUX, &so.listen, NULL, 0),
                 0);
    int err;
    hve_session *s = hve_session_start_server(&so, NULL, NULL, &err);
    CHECK(s != NULL);
    hve_event *ev = s ? hve_session_wait(s, 5000) : NULL;
    CHECK(ev && ev->kind == HVE_EV_LISTENING);
    hve_event_free(ev);
    return s;
}

static hve_session *echo_server(const char *path)
{
    hve_server_opts so = {0};
    return echo_server_with(path, so);
}

static hve_client_opts client_to(const char *path)
{
    hve_client_opts co = {0};
    char t[128];
    snprintf(t, sizeof t, "unix:%s", path);
    CHECK_EQ_INT(hve_target_parse(t, HVE_PLATFORM_LINUX, &co.target, NULL, 0),
                 0);
    co.timeout_ms = 5000;
    return co;
}

/* What a client run showed. */
typedef struct seen {
    int err;                 /* FINISHED's */
    char detail[256];        /* FINISHED's */
    unsigned rounds[64];     /* the round of each CONNECTING */
    uint64_t conns[64];      /* ... and its conn */
    int64_t gap_us[64];      /* CLOSED of one to CONNECTING of the next */
    size_t n;
    unsigned byes;
} seen;

/* Drains a client session into *sn and st; with stop_after, stops the
 * session once that many byes arrived. */
static void drain_client(hve_session *s, seen *sn, hve_stats *st,
                         unsigned stop_after)
{
    memset(sn, 0, sizeof *sn);
    int64_t last_close = -1;
    for (;;) {
        hve_event *ev = hve_session_wait(s, 10000);
        CHECK(ev != NULL);
        if (!ev)
            return;
        hve_stats_feed(st, ev);
        if (ev->kind == HVE_EV_CONNECTING && sn->n < 64) {
            sn->rounds[sn->n] = ev->round;
            sn->conns[sn->n] = ev->conn;
            sn->gap_us[sn->n] = last_close < 0 ? -1 : ev->mono_us - last_close;
            sn->n++;
        }
        if (ev->kind == HVE_EV_CLOSED)
            last_close = ev->mono_us;
        if (ev->kind == HVE_EV_BYE && ++sn->byes == stop_after)
            hve_session_stop(s);
        bool end = ev->kind == HVE_EV_FINISHED;
        if (end) {
            sn->err = ev->err;
            snprintf(sn->detail, sizeof sn->detail, "%s", ev->detail);
        }
        hve_event_free(ev);
        if (end)
            return;
    }
}

void test_run_numbering(void)
{
    char path[108];
    run_path(path, sizeof path, "num");
    hve_session *srv = echo_server(path);
    hve_stats *st = hve_stats_new();
    if (!srv || !st)
        return;
    /* A second Send in a window: numbers go on from 5. */
    hve_client_opts co = client_to(path);
    co.count = 3;
    co.first_round = 5;
    hve_session *c = hve_session_start_client(&co, NULL, NULL, NULL);
    CHECK(c != NULL);
    seen sn;
    if (c)
        drain_client(c, &sn, st, 0);
    hve_session_free(c);
    CHECK_EQ_INT(sn.err, 0);
    CHECK_EQ_INT(sn.n, 3);
    for (size_t i = 0; i < 3; i++) {
        CHECK_EQ_INT(sn.rounds[i], 5 + i);
        CHECK_EQ_INT(sn.conns[i], 5 + i);
    }
    CHECK_EQ_STR(sn.detail, "");
    CHECK_EQ_INT(hve_stats_done(st), 3);
    CHECK_EQ_INT(hve_stats_failed(st), 0);
    CHECK_EQ_INT(hve_stats_bytes(st), 3 * strlen("this is a test"));
    const hve_stats_point *p = hve_stats_point_at(st, 2);
    CHECK(p && p->round == 7 && p->us[HVE_STATS_RTT] >= 0);
    hve_stats_free(st);
    hve_session_free(srv);
    unlink(path);
}

/* A peer that serves n connections: even ones (from 0) are closed at once
 * without a word, odd ones get their echo and "bye". */
typedef struct flaky {
    int lfd;
    int n;
    pthread_t thread;
} flaky;

static void *flaky_main(void *arg)
{
    flaky *f = arg;
    for (int i = 0; i < f->n; i++) {
        int fd = accept(f->lfd, NULL, NULL);
        if (fd < 0)
            return NULL;
        if (i % 2) {
            char buf[256];
            ssize_t got;
            /* Echo until the client shuts down, then the bye. */
            while ((got = read(fd, buf, sizeof buf)) > 0)
                if (write(fd, buf, (size_t)got) != got)
                    break;
            if (got == 0 && write(fd, "bye", 3) != 3)
                perror("flaky bye");
        }
        close(fd);
    }
    return NULL;
}

static void flaky_start(flaky *f, const char *path, int n)
{
    f->lfd = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un un = {0};
    un.sun_family = AF_UNIX;
    snprintf(un.sun_path, sizeof un.sun_path, "%s", path);
    CHECK(f->lfd >= 0 && bind(f->lfd, (struct sockaddr *)&un, sizeof un) == 0
          && listen(f->lfd, 8) == 0);
    f->n = n;
    pthread_create(&f->thread, NULL, flaky_main, f);
}

static void flaky_end(flaky *f, const char *path)
{
    pthread_join(f->thread, NULL);
    close(f->lfd);
    unlink(path);
}

void test_run_keep_going(void)
{
    char path[108];
    hve_stats *st = hve_stats_new();
    if (!st)
        return;
    /* Keep going: 4 handshakes, the 1st and 3rd fail; the run ends with
     * the first failure's error and says how many failed. */
    run_path(path, sizeof path, "flaky");
    flaky f;
    flaky_start(&f, path, 4);
    hve_client_opts co = client_to(path);
    co.count = 4;
    co.keep_going = true;
    hve_session *c = hve_session_start_client(&co, NULL, NULL, NULL);
    seen sn;
    if (c)
        drain_client(c, &sn, st, 0);
    hve_session_free(c);
    flaky_end(&f, path);
    CHECK_EQ_INT(sn.n, 4);
    CHECK(sn.err != 0 && sn.err != HVE_ECANCELED);
    CHECK_EQ_STR(sn.detail, "2 of 4 handshakes failed");
    CHECK_EQ_INT(hve_stats_done(st), 2);
    CHECK_EQ_INT(hve_stats_failed(st), 2);
    CHECK_EQ_INT(hve_stats_point_count(st), 4);
    const hve_stats_point *p0 = hve_stats_point_at(st, 0);
    const hve_stats_point *p1 = hve_stats_point_at(st, 1);
    CHECK(p0 && p0->err == sn.err && p0->us[HVE_STATS_RTT] == -1);
    CHECK(p1 && p1->err == 0 && p1->us[HVE_STATS_RTT] >= 0);
    char line[256];
    hve_stats_format(st, HVE_STATS_SUMMARY, line, sizeof line);
    CHECK_CONTAINS(line, "4 handshakes: 2 done, 2 failed in ");

    /* Without it the run stops at the first failure. */
    hve_stats_reset(st);
    run_path(path, sizeof path, "flaky");
    flaky_start(&f, path, 1);
    co = client_to(path);
    co.count = 4;
    c = hve_session_start_client(&co, NULL, NULL, NULL);
    if (c)
        drain_client(c, &sn, st, 0);
    hve_session_free(c);
    flaky_end(&f, path);
    CHECK_EQ_INT(sn.n, 1);
    CHECK(sn.err != 0 && sn.err != HVE_ECANCELED);
    CHECK_EQ_STR(sn.detail, "");
    CHECK_EQ_INT(hve_stats_failed(st), 1);
    hve_stats_free(st);
}

void test_run_until_stopped(void)
{
    char path[108];
    run_path(path, sizeof path, "forever");
    hve_session *srv = echo_server(path);
    hve_stats *st = hve_stats_new();
    if (!srv || !st)
        return;
    /* Until stopped, 20 ms apart; stopped after the 5th bye. count is not
     * used. Stopping is the normal end: err 0. */
    hve_client_opts co = client_to(path);
    co.until_stopped = true;
    co.count = 2;
    co.interval_ms = 20;
    hve_session *c = hve_session_start_client(&co, NULL, NULL, NULL);
    seen sn;
    if (c)
        drain_client(c, &sn, st, 5);
    hve_session_free(c);
    CHECK_EQ_INT(sn.err, 0);
    CHECK(sn.n >= 5 && sn.n <= 6);
    CHECK(hve_stats_done(st) >= 5);
    CHECK_EQ_INT(hve_stats_failed(st), 0);
    for (size_t i = 1; i < sn.n; i++)
        CHECK(sn.gap_us[i] >= 20000);
    CHECK(sn.gap_us[0] == -1);

    /* A stop during a long interval ends the run at once. */
    co.interval_ms = 60000;
    c = hve_session_start_client(&co, NULL, NULL, NULL);
    if (c)
        drain_client(c, &sn, st, 1);
    hve_session_free(c);
    CHECK_EQ_INT(sn.err, 0);
    CHECK_EQ_INT(sn.n, 1);
    hve_stats_free(st);
    hve_session_free(srv);
    unlink(path);
}

/* Asks for the client list until one taken after `after` (t_us) with
 * `want` connections arrives; bounded to 5 s. Returns the entries. */
static size_t clients_now(hve_session *s, hve_client_info *out, size_t max,
                          unsigned want, unsigned *total)
{
    int64_t t = -1;
    for (int i = 0; i < 500; i++) {
        hve_session_clients_request(s);
        usleep(10000);
        size_t n = hve_session_clients(s, out, max, total, &t);
        if (t >= 0 && *total == want)
            return n;
    }
    CHECK(!"the client list never showed the connections");
    return 0;
}

static int unix_connect(const char *path)
{
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un un = {0};
    un.sun_family = AF_UNIX;
    snprintf(un.sun_path, sizeof un.sun_path, "%s", path);
    CHECK(fd >= 0 && connect(fd, (struct sockaddr *)&un, sizeof un) == 0);
    return fd;
}

void test_server_clients(void)
{
    char path[108];
    run_path(path, sizeof path, "list");
    hve_session *srv = echo_server(path);
    if (!srv)
        return;
    hve_client_info list[4];
    unsigned total = 99;
    int64_t t = 0;
    /* Nothing taken yet. */
    CHECK_EQ_INT(hve_session_clients(srv, list, 4, &total, &t), 0);
    CHECK_EQ_INT(t, -1);
    /* Two clients; the first sends 5 bytes and reads its echo. */
    int a = unix_connect(path), b = unix_connect(path);
    char buf[16];
    CHECK(write(a, "hello", 5) == 5);
    CHECK(read(a, buf, 5) == 5);
    size_t n = clients_now(srv, list, 4, 2, &total);
    CHECK_EQ_INT(n, 2);
    CHECK_EQ_INT(hve_session_conn_count(srv), 2);
    CHECK(n == 2 && list[0].conn == 1 && list[1].conn == 2);
    CHECK(n == 2 && list[0].bytes_in == 5 && list[0].bytes_out == 5);
    CHECK(n == 2 && list[1].bytes_in == 0 && list[1].bytes_out == 0);
    CHECK(n == 2 && list[0].age_us >= list[1].age_us && list[1].age_us >= 0);
    CHECK(n == 2 && list[0].peer[0] != '\0' && !list[0].shut_down);
    /* A short buffer takes the first. */
    CHECK_EQ_INT(hve_session_clients(srv, list, 1, NULL, NULL), 1);
    CHECK_EQ_INT(list[0].conn, 1);
    /* The first ends its handshake: the list has only the second. */
    shutdown(a, SHUT_WR);
    while (read(a, buf, sizeof buf) > 0) {
    }
    n = clients_now(srv, list, 4, 1, &total);
    CHECK(n == 1 && list[0].conn == 2);
    /* Stop closes it; after FINISHED the list is empty. */
    hve_session_stop(srv);
    for (int i = 0; i < 100; i++) {
        hve_event *ev = hve_session_wait(srv, 100);
        bool end = ev && ev->kind == HVE_EV_FINISHED;
        hve_event_free(ev);
        if (end)
            break;
    }
    CHECK_EQ_INT(hve_session_clients(srv, list, 4, &total, &t), 0);
    CHECK_EQ_INT(total, 0);
    CHECK(t >= 0);
    close(a);
    close(b);
    hve_session_free(srv);
    unlink(path);
}

void test_run_owner_lags(void)
{
    /* Until stopped, keep going, against nothing (each handshake fails at
     * once), and nobody draining for half a second: the run waits for the
     * owner instead of queueing without bound (16,384 events, then the
     * rest of one handshake). */
    char path[108];
    run_path(path, sizeof path, "nobody");
    hve_client_opts co = client_to(path);
    co.until_stopped = true;
    co.keep_going = true;
    hve_session *c = hve_session_start_client(&co, NULL, NULL, NULL);
    CHECK(c != NULL);
    if (!c)
        return;
    usleep(500000);
    hve_session_stop(c);
    size_t n = 0;
    bool end = false;
    while (!end && n < 10000000) {
        hve_event *ev = hve_session_wait(c, 5000);
        CHECK(ev != NULL);
        if (!ev)
            break;
        end = ev->kind == HVE_EV_FINISHED;
        if (end)
            CHECK(ev->err == HVE_ENOTFOUND || ev->err == HVE_EREFUSED);
        n++;
        hve_event_free(ev);
    }
    printf("  %zu events queued while the owner lagged\n", n);
    CHECK(end);
    CHECK(n > 1000 && n <= 16384 + 8);
    hve_session_free(c);
}

/* The message taken without a copy: given back once, after the run. */
static int given_back;
static void give_back(void *p)
{
    given_back++;
    free(p);
}

void test_run_message_taken(void)
{
    char path[108];
    run_path(path, sizeof path, "take");
    hve_session *srv = echo_server(path);
    if (!srv)
        return;
    hve_client_opts co = client_to(path);
    co.count = 2;
    char *msg = malloc(5);
    if (!msg)
        return;
    memcpy(msg, "taken", 5);
    co.message = msg;
    co.message_len = 5;
    co.message_free = give_back;
    given_back = 0;
    hve_session *c = hve_session_start_client(&co, NULL, NULL, NULL);
    CHECK(c != NULL);
    uint64_t echoed = 0;
    bool end = false;
    for (int i = 0; c && !end && i < 100; i++) {
        hve_event *ev = hve_session_wait(c, 5000);
        if (!ev)
            break;
        if (ev->kind == HVE_EV_RECEIVED)
            echoed += ev->len == 5 && memcmp(ev->data, "taken", 5) == 0;
        end = ev->kind == HVE_EV_FINISHED;
        if (end)
            CHECK_EQ_INT(ev->err, 0);
        hve_event_free(ev);
    }
    CHECK(end);
    CHECK_EQ_INT(echoed, 2);
    CHECK_EQ_INT(given_back, 0); /* the session still holds it */
    hve_session_free(c);
    CHECK_EQ_INT(given_back, 1);
    hve_session_free(srv);
    unlink(path);
}

/* The owner drains nothing until 1,500 handshakes are over: past the
 * queue's soft limit the core drops data rows, and says so per
 * handshake: each CLOSED counts its own, FINISHED sums them, and the
 * tally's words carry those true counts. */
void test_run_dropped_counts(void)
{
    char path[108];
    run_path(path, sizeof path, "drop");
    hve_session *srv = echo_server(path);
    if (!srv)
        return;
    hve_client_opts co = client_to(path);
    co.count = 1500;
    hve_session *c = hve_session_start_client(&co, NULL, NULL, NULL);
    CHECK(c != NULL);
    if (!c) {
        hve_session_free(srv);
        return;
    }
    for (int i = 0; i < 6000 && !hve_session_finished(c); i++)
        usleep(10000);
    CHECK(hve_session_finished(c));
    /* per handshake (conn): its RECEIVED seen? its CLOSED */
    static bool echo_seen[1501];
    memset(echo_seen, 0, sizeof echo_seen);
    uint64_t data_seen = 0, closed_dropped = 0, closed_echo = 0;
    uint64_t echo_missing = 0, verified = 0, ok = 0;
    hve_tally t;
    memset(&t, 0, sizeof t);
    hve_event *fin = NULL;
    for (int i = 0; i < 20000 && !fin; i++) {
        hve_event *ev = hve_session_wait(c, 5000);
        if (!ev)
            break;
        hve_tally_event(&t, ev, true);
        if (ev->kind == HVE_EV_SENT || ev->kind == HVE_EV_RECEIVED)
            data_seen++;
        if (ev->kind == HVE_EV_RECEIVED && ev->conn <= 1500)
            echo_seen[ev->conn] = true;
        if (ev->kind == HVE_EV_CLOSED) {
            closed_dropped += ev->dropped;
            closed_echo += ev->dropped_echo;
            /* the CLOSED says its echo row was dropped exactly when the
               owner never got it */
            CHECK_EQ_INT(ev->dropped_echo,
                         ev->conn <= 1500 && !echo_seen[ev->conn]);
            CHECK_EQ_INT(ev->err, 0);
            ok += !ev->err;
            if (ev->conn <= 1500 && !echo_seen[ev->conn]) {
                echo_missing++;
                verified += !ev->err;
            }
        }
        if (ev->kind == HVE_EV_FINISHED)
            fin = ev;
        else
            hve_event_free(ev);
    }
    CHECK(fin != NULL);
    if (fin) {
        printf("  %llu data events seen, %llu dropped, %llu echo rows "
               "dropped\n",
               (unsigned long long)data_seen, (unsigned long long)fin->dropped,
               (unsigned long long)fin->dropped_echo);
        CHECK_EQ_INT(ok, 1500);
        CHECK(fin->dropped > 0); /* else this test shows nothing */
        CHECK_EQ_INT(data_seen + fin->dropped, 2 * 1500);
        CHECK_EQ_INT(fin->dropped, closed_dropped);
        CHECK_EQ_INT(fin->dropped_echo, closed_echo);
        CHECK_EQ_INT(fin->dropped_echo, echo_missing);
        CHECK_EQ_INT(fin->dropped_verified, verified);
        char want[300], got[400], a[32], b[32], x[32];
        snprintf(want, sizeof want,
                 "%s echo rows not shown: %s handshakes verified; %s sent "
                 "rows not shown (the display fell behind)",
                 hve_format_count(echo_missing, a, sizeof a),
                 hve_format_count(verified, b, sizeof b),
                 hve_format_count(fin->dropped - echo_missing, x, sizeof x));
        CHECK_EQ_STR(hve_tally_note(&t, 0, got, sizeof got), want);
        hve_desc d;
        hve_event_describe(fin, HVE_WORDS_CLI, &d);
        CHECK_EQ_STR(d.note, want);
        hve_event_free(fin);
    }
    hve_session_free(c);
    hve_session_free(srv);
    unlink(path);
}

/* A client run to the end; returns FINISHED's err. */
static int client_result(hve_client_opts *co)
{
    int err = -1;
    hve_session *c = hve_session_start_client(co, NULL, NULL, &err);
    CHECK(c != NULL);
    if (!c)
        return err;
    for (;;) {
        hve_event *ev = hve_session_wait(c, 10000);
        CHECK(ev != NULL);
        if (!ev)
            break;
        bool end = ev->kind == HVE_EV_FINISHED;
        if (end)
            err = ev->err;
        hve_event_free(ev);
        if (end)
            break;
    }
    hve_session_free(c);
    return err;
}

/* hve_server_opts.only_failures (a quiet front end): clean connections
 * make no events but are counted in FINISHED's ok; a failing one still
 * makes its CLOSED, with the reason. */
void test_server_only_failures(void)
{
    char path[108];
    run_path(path, sizeof path, "quiet");
    hve_server_opts so = {0};
    so.only_failures = true;
    so.max_bytes = 100;
    hve_session *s = echo_server_with(path, so);
    if (!s)
        return;
    hve_event *ev;

    hve_client_opts co = client_to(path);
    co.count = 5;
    CHECK_EQ_INT(client_result(&co), 0);
    static const char big[200] = "over the limit";
    hve_client_opts over = client_to(path);
    over.message = big;
    over.message_len = sizeof big;
    CHECK(client_result(&over) != 0);

    hve_session_stop(s);
    unsigned routine = 0, failed_closed = 0;
    for (;;) {
        ev = hve_session_wait(s, 10000);
        CHECK(ev != NULL);
        if (!ev)
            break;
        if (ev->kind == HVE_EV_ACCEPTED || ev->kind == HVE_EV_SHUTDOWN ||
            ev->kind == HVE_EV_BYE ||
            (ev->kind == HVE_EV_CLOSED && ev->err == 0))
            routine++;
        if (ev->kind == HVE_EV_CLOSED && ev->err == HVE_ELIMIT)
            failed_closed++;
        bool end = ev->kind == HVE_EV_FINISHED;
        if (end) {
            CHECK_EQ_INT(ev->ok, 5);
            CHECK_EQ_INT(ev->failed, 1);
        }
        hve_event_free(ev);
        if (end)
            break;
    }
    CHECK_EQ_INT(routine, 0);
    CHECK_EQ_INT(failed_closed, 1);
    hve_session_free(s);
    unlink(path);
}
