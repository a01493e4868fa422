/* test_protocol.c - the client and server state machines, each against a
 * hand-driven peer over a connected Unix socket pair, moving 1 byte per
 * read and write (io_chunk = 1) so every partial read and write path
 * runs; and both against each other. The scripted peers run on a thread
 * of their own; the sessions on theirs; this thread drains events. */
#define _GNU_SOURCE
#include "check.h"
#include "tests.h"

#include "hvecho/hvecho.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static void sock_path(char *buf, size_t len, const char *tag)
{
    static int seq;
    snprintf(buf, len, "/tmp/hvecho-unit-%d-%s-%d.sock", (int)getpid(), tag,
             ++seq);
    unlink(buf);
}

static int listen_unix(const char *path)
{
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un un = {0};
    un.sun_family = AF_UNIX;
    snprintf(un.sun_path, sizeof un.sun_path, "%s", path);
    if (fd < 0 || bind(fd, (struct sockaddr *)&un, sizeof un) < 0 ||
        listen(fd, 8) < 0) {
        perror("listen_unix");
        exit(1);
    }
    return fd;
}

static int connect_unix(const char *path)
{
    for (int i = 0; i < 200; i++) {
        int fd = socket(AF_UNIX, SOCK_STREAM, 0);
        struct sockaddr_un un = {0};
        un.sun_family = AF_UNIX;
        snprintf(un.sun_path, sizeof un.sun_path, "%s", path);
        if (connect(fd, (struct sockaddr *)&un, sizeof un) == 0)
            return fd;
        close(fd);
        usleep(10000);
    }
    perror("connect_unix");
    exit(1);
}

/* Reads exactly n bytes, one at a time. */
static bool read_n(int fd, unsigned char *buf, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (read(fd, buf + i, 1) != 1)
            return false;
    return true;
}

/* MSG_NOSIGNAL: a client that gave up (a corrupt echo) has closed its
 * end, and SIGPIPE would end the whole test run. */
static void write_1by1(int fd, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++)
        if (send(fd, p + i, 1, MSG_NOSIGNAL) != 1)
            return;
}

typedef enum peer_kind {
    PEER_GOOD,      /* echo, then bye, byte by byte */
    PEER_CORRUPT,   /* echo with one byte changed */
    PEER_NO_BYE,    /* echo, then close */
    PEER_SHORT,     /* close halfway through the echo */
    PEER_SILENT,    /* accept, read, say nothing until the client gives up */
    PEER_LONG_BYE,  /* a bye longer than the 4 KiB cap */
    PEER_SEED_BYE   /* the original server's 8-byte bye */
} peer_kind;

typedef struct peer {
    int lfd;
    peer_kind kind;
    size_t msglen;
    pthread_t thread;
} peer;

static void *peer_main(void *arg)
{
    peer *p = arg;
    int fd = accept(p->lfd, NULL, NULL);
    unsigned char *buf = malloc(p->msglen);
    if (fd < 0 || !buf || !read_n(fd, buf, p->msglen))
        goto out;
    switch (p->kind) {
    case PEER_GOOD:
    case PEER_NO_BYE:
    case PEER_LONG_BYE:
    case PEER_SEED_BYE:
        write_1by1(fd, buf, p->msglen);
        break;
    case PEER_CORRUPT:
        buf[p->msglen / 2] ^= 0x20;
        write_1by1(fd, buf, p->msglen);
        break;
    case PEER_SHORT:
        write_1by1(fd, buf, p->msglen / 2);
        goto out;
    case PEER_SILENT: {
        char c;
        while (read(fd, &c, 1) > 0) {
        }
        goto out;
    }
    }
    /* Wait for the client's shutdown: read returns 0. */
    char c;
    while (read(fd, &c, 1) > 0) {
    }
    if (p->kind == PEER_GOOD)
        write_1by1(fd, "ciao", 4);
    if (p->kind == PEER_SEED_BYE)
        write_1by1(fd, "Bye!\0\x90\x1f\x40", 8); /* NUL + stack bytes */
    if (p->kind == PEER_LONG_BYE) {
        static char big[5000];
        memset(big, 'b', sizeof big);
        if (send(fd, big, sizeof big, MSG_NOSIGNAL) < 0)
            perror("send");
    }
out:
    free(buf);
    if (fd >= 0)
        close(fd);
    return NULL;
}

static hve_session *start_server(char *path, size_t len, const char *bye,
                                 size_t io_chunk, bool data_events);

/* What the last client session saw in its CLOSED, BYE and FINISHED
 * events. */
static struct {
    int closed;               /* CLOSED events */
    uint64_t bytes, total;    /* the last CLOSED's */
    unsigned bye_flags;
    uint64_t ok, failed;      /* FINISHED's */
} last_run;

int unit_client_session(const char *target, const char *msg, int timeout_ms,
                        char *bye, size_t byelen, char *error,
                        size_t errlen, int *events_seen)
{
    hve_client_opts co = {0};
    CHECK_EQ_INT(hve_target_parse(target, HVE_PLATFORM_LINUX, &co.target,
                                  NULL, 0),
                 0);
    hve_service_default(&co.service);
    co.message = msg;
    co.message_len = strlen(msg);
    co.timeout_ms = timeout_ms;
    co.io_chunk = 1;
    int err = -1;
    hve_session *s = hve_session_start_client(&co, NULL, NULL, &err);
    CHECK(s != NULL);
    if (!s)
        return err;
    int mask = 0;
    memset(&last_run, 0, sizeof last_run);
    for (;;) {
        hve_event *ev = hve_session_wait(s, 10000);
        CHECK(ev != NULL);
        if (!ev)
            break;
        mask |= 1 << ev->kind;
        CHECK_EQ_INT(ev->side, HVE_SIDE_CLIENT);
        if (ev->kind == HVE_EV_BYE) {
            last_run.bye_flags = ev->flags;
            if (bye)
                snprintf(bye, byelen, "%.*s", (int)ev->len,
                         (char *)ev->data);
        }
        if (ev->kind == HVE_EV_CLOSED) {
            last_run.closed++;
            last_run.bytes = ev->bytes;
            last_run.total = ev->total;
        }
        if (ev->kind == HVE_EV_ERROR && error)
            snprintf(error, errlen, "%s", ev->detail);
        bool done = ev->kind == HVE_EV_FINISHED;
        if (done) {
            err = ev->err;
            last_run.ok = ev->ok;
            last_run.failed = ev->failed;
        }
        hve_event_free(ev);
        if (done)
            break;
    }
    CHECK(hve_session_next(s) == NULL);
    hve_session_free(s);
    if (events_seen)
        *events_seen = mask;
    return err;
}

static int run_client(const char *path, const char *msg, int timeout_ms,
                      char *bye, size_t byelen, int *events_seen)
{
    char t[128];
    snprintf(t, sizeof t, "unix:%s", path);
    return unit_client_session(t, msg, timeout_ms, bye, byelen, NULL, 0,
                               events_seen);
}

static int client_vs_peer(peer_kind kind, const char *msg, char *bye,
                          size_t byelen)
{
    char path[108];
    sock_path(path, sizeof path, "peer");
    peer p = {listen_unix(path), kind, strlen(msg), 0};
    pthread_create(&p.thread, NULL, peer_main, &p);
    int err = run_client(path, msg, kind == PEER_SILENT ? 300 : 5000, bye,
                         byelen, NULL);
    /* Every peer ends when the client's socket closes. The listener is
     * closed after the join: the peer thread reads p.lfd, and resetting
     * it before the join is a data race (ThreadSanitizer). */
    pthread_join(p.thread, NULL);
    close(p.lfd);
    unlink(path);
    return err;
}

void test_client_partial_io(void)
{
    char bye[64] = "";
    CHECK_EQ_INT(client_vs_peer(PEER_GOOD, "hello, one byte at a time", bye,
                                sizeof bye),
                 HVE_OK);
    CHECK_EQ_STR(bye, "ciao");
}

/* CLOSED's bytes are the echo bytes that really came back (event.h). */
void test_closed_bytes(void)
{
    const char *msg = "only half comes back";
    size_t len = strlen(msg);
    CHECK_EQ_INT(client_vs_peer(PEER_GOOD, msg, NULL, 0), HVE_OK);
    CHECK_EQ_INT(last_run.closed, 1);
    CHECK_EQ_INT(last_run.bytes, len);
    CHECK_EQ_INT(last_run.total, len);
    CHECK_EQ_INT(last_run.ok, 1);
    CHECK_EQ_INT(last_run.failed, 0);
    CHECK_EQ_INT(client_vs_peer(PEER_SHORT, msg, NULL, 0), HVE_ECLOSED);
    CHECK_EQ_INT(last_run.closed, 1);
    CHECK_EQ_INT(last_run.bytes, len / 2);
    CHECK_EQ_INT(last_run.total, len);
    CHECK_EQ_INT(last_run.failed, 1);
    CHECK_EQ_INT(client_vs_peer(PEER_NO_BYE, msg, NULL, 0), HVE_ENOBYE);
    CHECK_EQ_INT(last_run.bytes, len);

    /* Refused: a unix socket bound but not listening. */
    char path[108];
    sock_path(path, sizeof path, "refuse");
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un un = {0};
    un.sun_family = AF_UNIX;
    snprintf(un.sun_path, sizeof un.sun_path, "%s", path);
    CHECK(bind(fd, (struct sockaddr *)&un, sizeof un) == 0);
    CHECK_EQ_INT(run_client(path, msg, 2000, NULL, 0, NULL), HVE_EREFUSED);
    CHECK_EQ_INT(last_run.closed, 1);
    CHECK_EQ_INT(last_run.bytes, 0);
    CHECK_EQ_INT(last_run.total, 0);
    CHECK_EQ_INT(last_run.failed, 1);
    close(fd);
    unlink(path);
}

/* A 256 MiB send stopped early: CLOSED says what came back, no more than
 * was sent, and no more than the server says it echoed. */
void test_closed_bytes_cancelled(void)
{
    char path[108], t[128];
    hve_session *srv = start_server(path, sizeof path, NULL, 0, false);
    hve_client_opts co = {0};
    snprintf(t, sizeof t, "unix:%s", path);
    hve_target_parse(t, HVE_PLATFORM_LINUX, &co.target, NULL, 0);
    size_t len = (size_t)256 << 20;
    unsigned char *big = malloc(len);
    CHECK(big != NULL);
    if (!big)
        return;
    memset(big, 'x', len);
    co.message = big;
    co.message_len = len;
    co.io_chunk = 4096; /* slow enough to stop halfway */
    co.message_free = free; /* taken as it is: 256 MiB, not twice that */
    int err;
    hve_session *s = hve_session_start_client(&co, NULL, NULL, &err);
    CHECK(s != NULL);
    if (!s) {
        hve_session_free(srv);
        return;
    }
    uint64_t bytes = 0, total = 0;
    int closed = 0, fin = -1;
    hve_event *ev;
    /* Stopped 1 ms after the connect: a fixed sleep from the start let a
     * loaded machine (TSan) oversleep until all 256 MiB had gone. */
    while ((ev = hve_session_wait(s, 10000)) != NULL) {
        bool up = ev->kind == HVE_EV_CONNECTED;
        if (ev->kind == HVE_EV_CLOSED)
            closed++;
        if (ev->kind == HVE_EV_FINISHED)
            fin = ev->err;
        hve_event_free(ev);
        if (up || fin >= 0)
            break;
    }
    usleep(1000);
    hve_session_stop(s);
    while (fin < 0 && (ev = hve_session_wait(s, 10000)) != NULL) {
        if (ev->kind == HVE_EV_CLOSED) {
            closed++;
            bytes = ev->bytes;
            total = ev->total;
        }
        if (ev->kind == HVE_EV_FINISHED)
            fin = ev->err;
        hve_event_free(ev);
        if (fin >= 0)
            break;
    }
    CHECK_EQ_INT(fin, HVE_ECANCELED);
    CHECK_EQ_INT(closed, 1);
    CHECK(bytes <= total);
    CHECK(total < len);
    printf("  stopped: %llu of %llu sent bytes came back\n",
           (unsigned long long)bytes, (unsigned long long)total);
    hve_session_free(s);
    /* The server's CLOSED: bytes echoed to the client. */
    uint64_t echoed = 0;
    for (int i = 0; i < 1000; i++) {
        ev = hve_session_wait(srv, 10000);
        if (!ev)
            break;
        bool c = ev->kind == HVE_EV_CLOSED;
        if (c) {
            CHECK_EQ_INT(ev->side, HVE_SIDE_SERVER);
            echoed = ev->bytes;
            CHECK(ev->total >= echoed);
        }
        hve_event_free(ev);
        if (c)
            break;
    }
    CHECK(bytes <= echoed);
    hve_session_free(srv);
}

/* A peer that checks, on its own, that the client's bytes are text
 * repeated to total (the last copy cut), echoes them and says "ciao". */
typedef struct repeat_peer {
    int lfd;
    const char *text;
    size_t total;
    bool ok;
    pthread_t thread;
} repeat_peer;

static void *repeat_peer_main(void *arg)
{
    repeat_peer *p = arg;
    size_t tlen = strlen(p->text), got = 0;
    int fd = accept(p->lfd, NULL, NULL);
    unsigned char *buf = malloc(p->total);
    p->ok = fd >= 0 && buf;
    while (p->ok && got < p->total) {
        ssize_t n = read(fd, buf + got, p->total - got);
        if (n <= 0)
            p->ok = false;
        else
            got += (size_t)n;
    }
    for (size_t i = 0; p->ok && i < p->total; i++)
        if (buf[i] != (unsigned char)p->text[i % tlen])
            p->ok = false;
    for (size_t off = 0; p->ok && off < p->total;) {
        ssize_t n = send(fd, buf + off, p->total - off, MSG_NOSIGNAL);
        if (n <= 0)
            p->ok = false;
        else
            off += (size_t)n;
    }
    char c;
    while (p->ok && read(fd, &c, 1) > 0) {
    }
    if (p->ok)
        write_1by1(fd, "ciao", 4);
    free(buf);
    if (fd >= 0)
        close(fd);
    return NULL;
}

/* repeat_to: what goes on the wire is the text repeated (past the
 * session's pattern, and cut mid-copy), the echo is checked, and the
 * events say the whole length, with its first bytes. A short fill (the
 * whole message made at once) and a long one (sent from the pattern). */
void test_client_repeat(void)
{
    static const size_t totals[] = {10, (1u << 20) + 3};
    const char *text = "0123456"; /* 7: no power of two divides it */
    for (size_t k = 0; k < sizeof totals / sizeof totals[0]; k++) {
        char path[108], t[128];
        sock_path(path, sizeof path, "repeat");
        repeat_peer p = {listen_unix(path), text, totals[k], false, 0};
        pthread_create(&p.thread, NULL, repeat_peer_main, &p);
        hve_client_opts co = {0};
        snprintf(t, sizeof t, "unix:%s", path);
        hve_target_parse(t, HVE_PLATFORM_LINUX, &co.target, NULL, 0);
        CHECK_EQ_INT(hve_client_opts_message(&co, text, strlen(text),
                                             totals[k]),
                     0);
        co.background = true; /* the windows' case: 256 KiB a call */
        int err = -1, fin = -1;
        uint64_t sent = 0, echoed = 0;
        char head[16] = "";
        hve_session *s = hve_session_start_client(&co, NULL, NULL, &err);
        CHECK(s != NULL);
        hve_event *ev;
        while (s && fin < 0 && (ev = hve_session_wait(s, 10000)) != NULL) {
            if (ev->kind == HVE_EV_SENT) {
                sent = ev->bytes;
                snprintf(head, sizeof head, "%.*s",
                         (int)(ev->len < 10 ? ev->len : 10),
                         (char *)ev->data);
                CHECK(ev->truncated == (totals[k] > HVE_EVENT_DATA_CAP));
            }
            if (ev->kind == HVE_EV_RECEIVED)
                echoed = ev->bytes;
            if (ev->kind == HVE_EV_FINISHED)
                fin = ev->err;
            hve_event_free(ev);
        }
        CHECK_EQ_INT(fin, HVE_OK);
        CHECK_EQ_INT(sent, totals[k]);
        CHECK_EQ_INT(echoed, totals[k]);
        CHECK_EQ_STR(head, "0123456012");
        if (s)
            hve_session_free(s);
        pthread_join(p.thread, NULL);
        CHECK(p.ok);
        close(p.lfd);
        unlink(path);
    }
}

/* The original sample server's bye (8 bytes: "Bye!", NUL, 3 stray bytes)
 * completes the handshake and is flagged. */
void test_seed_bye(void)
{
    CHECK_EQ_INT(client_vs_peer(PEER_SEED_BYE, "hello, original", NULL, 0),
                 HVE_OK);
    CHECK_EQ_INT(last_run.bye_flags & HVE_EVF_SEED_BYE, HVE_EVF_SEED_BYE);
    CHECK_EQ_INT(client_vs_peer(PEER_GOOD, "hello, hvecho", NULL, 0),
                 HVE_OK);
    CHECK_EQ_INT(last_run.bye_flags, 0);
}

void test_client_failures(void)
{
    CHECK_EQ_INT(client_vs_peer(PEER_CORRUPT, "corrupt me please", NULL, 0),
                 HVE_EMISMATCH);
    CHECK_EQ_INT(client_vs_peer(PEER_NO_BYE, "no bye for you", NULL, 0),
                 HVE_ENOBYE);
    CHECK_EQ_INT(client_vs_peer(PEER_SHORT, "only half comes back", NULL, 0),
                 HVE_ECLOSED);
    CHECK_EQ_INT(client_vs_peer(PEER_SILENT, "anybody there?", NULL, 0),
                 HVE_EREADTIMEOUT);
    CHECK_EQ_INT(client_vs_peer(PEER_LONG_BYE, "long bye", NULL, 0),
                 HVE_EBYETOOLONG);
}

/* Starts a server session on a fresh unix path; waits for LISTENING. */
static hve_session *start_server(char *path, size_t len, const char *bye,
                                 size_t io_chunk, bool data_events)
{
    sock_path(path, len, "srv");
    hve_server_opts so = {0};
    char t[128];
    snprintf(t, sizeof t, "unix:%s", path);
    CHECK_EQ_INT(hve_listen_parse(t, HVE_PLATFORM_LINUX, &so.listen, NULL, 0),
                 0);
    so.bye = bye;
    so.bye_len = bye ? strlen(bye) : 0;
    so.io_chunk = io_chunk;
    so.data_events = data_events;
    so.idle_timeout_ms = 10000;
    int err;
    hve_session *s = hve_session_start_server(&so, NULL, NULL, &err);
    CHECK(s != NULL);
    hve_event *ev = hve_session_wait(s, 5000);
    CHECK(ev && ev->kind == HVE_EV_LISTENING);
    hve_event_free(ev);
    return s;
}

/* Drains a server's events until n connections closed; returns the kinds
 * seen as a bit mask and the sum of close errors. */
static int drain_closes(hve_session *s, int n, int *errsum)
{
    int mask = 0;
    *errsum = 0;
    while (n > 0) {
        hve_event *ev = hve_session_wait(s, 10000);
        CHECK(ev != NULL);
        if (!ev)
            break;
        mask |= 1 << ev->kind;
        if (ev->kind == HVE_EV_CLOSED) {
            n--;
            *errsum += ev->err;
        }
        hve_event_free(ev);
    }
    return mask;
}

void test_server_partial_io(void)
{
    char path[108];
    hve_session *s = start_server(path, sizeof path, "ciao!", 1, true);
    int fd = connect_unix(path);
    const char *msg = "byte by byte";
    write_1by1(fd, msg, strlen(msg));
    unsigned char back[32] = {0};
    CHECK(read_n(fd, back, strlen(msg)));
    CHECK(memcmp(back, msg, strlen(msg)) == 0);
    shutdown(fd, SHUT_WR);
    char bye[16] = {0};
    size_t got = 0;
    ssize_t n;
    while ((n = read(fd, bye + got, sizeof bye - 1 - got)) > 0)
        got += (size_t)n;
    CHECK_EQ_STR(bye, "ciao!");
    close(fd);
    int errsum;
    int mask = drain_closes(s, 1, &errsum);
    CHECK_EQ_INT(errsum, 0);
    CHECK(mask & (1 << HVE_EV_ACCEPTED));
    CHECK(mask & (1 << HVE_EV_RECEIVED));
    CHECK(mask & (1 << HVE_EV_SENT));
    CHECK(mask & (1 << HVE_EV_SHUTDOWN));
    CHECK(mask & (1 << HVE_EV_BYE));
    hve_session_free(s);
    CHECK(access(path, F_OK) != 0); /* the socket file is gone */
}

/* At stop a server removes its unix socket file only if the path is still
 * its socket: here a second listener took the path meanwhile. */
void test_unlink_only_ours(void)
{
    char path[108];
    hve_session *s = start_server(path, sizeof path, NULL, 0, false);
    CHECK(unlink(path) == 0);
    int other = listen_unix(path);
    hve_session_free(s);
    CHECK(access(path, F_OK) == 0); /* the other's file is still there */
    close(other);
    unlink(path);
    /* And its own file goes. */
    s = start_server(path, sizeof path, NULL, 0, false);
    hve_session_free(s);
    CHECK(access(path, F_OK) != 0);
}

void test_client_server(void)
{
    char path[108], bye[64] = "";
    hve_session *s = start_server(path, sizeof path, NULL, 1, false);
    int seen = 0;
    CHECK_EQ_INT(run_client(path, "client meets server", 5000, bye,
                            sizeof bye, &seen),
                 HVE_OK);
    CHECK_EQ_STR(bye, "bye");
    int want = (1 << HVE_EV_CONNECTING) | (1 << HVE_EV_CONNECTED) |
               (1 << HVE_EV_SENT) | (1 << HVE_EV_RECEIVED) |
               (1 << HVE_EV_SHUTDOWN) | (1 << HVE_EV_BYE) |
               (1 << HVE_EV_CLOSED) | (1 << HVE_EV_FINISHED);
    CHECK_EQ_INT(seen, want);
    int errsum;
    drain_closes(s, 1, &errsum);
    CHECK_EQ_INT(errsum, 0);
    hve_session_free(s);
}

void test_server_survives_reset(void)
{
    char path[108], bye[64] = "";
    hve_session *s = start_server(path, sizeof path, NULL, 0, false);
    /* A peer that sends and resets without reading. */
    int fd = connect_unix(path);
    if (write(fd, "half a message", 14) != 14)
        perror("write");
    close(fd);
    CHECK_EQ_INT(run_client(path, "still here?", 5000, bye, sizeof bye, NULL),
                 HVE_OK);
    hve_session_free(s);
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void test_stop_with_clients(void)
{
    char path[108];
    hve_session *s = start_server(path, sizeof path, NULL, 0, false);
    int fds[5];
    for (int i = 0; i < 5; i++)
        fds[i] = connect_unix(path);
    /* Wait until all five are accepted. */
    int accepted = 0;
    while (accepted < 5) {
        hve_event *ev = hve_session_wait(s, 5000);
        CHECK(ev != NULL);
        if (!ev)
            break;
        accepted += ev->kind == HVE_EV_ACCEPTED;
        hve_event_free(ev);
    }
    CHECK_EQ_INT(hve_session_conn_count(s), 5);
    int64_t t = now_ms();
    hve_session_stop(s);
    int closed = 0, fin_err = -1;
    for (;;) {
        hve_event *ev = hve_session_wait(s, 5000);
        CHECK(ev != NULL);
        if (!ev)
            break;
        closed += ev->kind == HVE_EV_CLOSED;
        bool fin = ev->kind == HVE_EV_FINISHED;
        if (fin)
            fin_err = ev->err;
        hve_event_free(ev);
        if (fin)
            break;
    }
    int64_t took = now_ms() - t;
    printf("  server with 5 clients stopped in %lld ms\n", (long long)took);
    CHECK(took < 1000);
    CHECK_EQ_INT(closed, 5);
    CHECK_EQ_INT(fin_err, HVE_ECANCELED);
    CHECK(hve_session_finished(s));
    hve_session_free(s);
    for (int i = 0; i < 5; i++)
        close(fds[i]);
}

void test_stop_while_connecting(void)
{
    /* A TCP listener that never accepts, its backlog full: a further
     * connect hangs in SYN retries, like a VM that does not answer. */
    int l = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in in = {0};
    in.sin_family = AF_INET;
    in.sin_addr.s_addr = htonl(0x7f000001);
    socklen_t len = sizeof in;
    if (bind(l, (struct sockaddr *)&in, sizeof in) < 0 || listen(l, 0) < 0 ||
        getsockname(l, (struct sockaddr *)&in, &len) < 0) {
        perror("listener");
        check_failures++;
        return;
    }
    int fill[4];
    for (int i = 0; i < 4; i++) {
        fill[i] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        if (connect(fill[i], (struct sockaddr *)&in, sizeof in) < 0 &&
            errno != EINPROGRESS)
            perror("fill");
    }
    usleep(100000);
    hve_client_opts co = {0};
    char t[64];
    snprintf(t, sizeof t, "tcp:127.0.0.1:%u", (unsigned)ntohs(in.sin_port));
    hve_target_parse(t, HVE_PLATFORM_LINUX, &co.target, NULL, 0);
    co.timeout_ms = 30000;
    int err;
    hve_session *s = hve_session_start_client(&co, NULL, NULL, &err);
    CHECK(s != NULL);
    hve_event *ev = hve_session_wait(s, 5000);
    CHECK(ev && ev->kind == HVE_EV_CONNECTING);
    hve_event_free(ev);
    usleep(200000);
    ev = hve_session_next(s);
    bool hanging = ev == NULL;
    if (!hanging)
        printf("  note: the connect did not hang (%s); stop still checked\n",
               hve_event_kind_name(ev->kind));
    hve_event_free(ev);
    int64_t t0 = now_ms();
    hve_session_stop(s);
    int fin = -1;
    while ((ev = hve_session_wait(s, 5000)) != NULL) {
        if (ev->kind == HVE_EV_FINISHED)
            fin = ev->err;
        hve_event_free(ev);
        if (fin >= 0)
            break;
    }
    int64_t took = now_ms() - t0;
    printf("  client stopped during a hanging connect in %lld ms\n",
           (long long)took);
    CHECK(took < 1000);
    if (hanging)
        CHECK_EQ_INT(fin, HVE_ECANCELED);
    hve_session_free(s);
    for (int i = 0; i < 4; i++)
        close(fill[i]);
    close(l);
}

static int wakes;
static pthread_mutex_t wake_mu = PTHREAD_MUTEX_INITIALIZER;

static void on_wake(void *user)
{
    (void)user;
    pthread_mutex_lock(&wake_mu);
    wakes++;
    pthread_mutex_unlock(&wake_mu);
}

void test_wake_callback(void)
{
    char path[108];
    sock_path(path, sizeof path, "wake");
    hve_server_opts so = {0};
    char t[128];
    snprintf(t, sizeof t, "unix:%s", path);
    hve_listen_parse(t, HVE_PLATFORM_LINUX, &so.listen, NULL, 0);
    int err;
    hve_session *s = hve_session_start_server(&so, on_wake, NULL, &err);
    CHECK(s != NULL);
    /* Poll with next() only, as a GUI drain would after a wake. */
    hve_event *ev = NULL;
    for (int i = 0; i < 500 && !ev; i++) {
        ev = hve_session_next(s);
        if (!ev)
            usleep(10000);
    }
    CHECK(ev && ev->kind == HVE_EV_LISTENING);
    hve_event_free(ev);
    pthread_mutex_lock(&wake_mu);
    CHECK(wakes >= 1);
    pthread_mutex_unlock(&wake_mu);
    hve_session_free(s);
}
