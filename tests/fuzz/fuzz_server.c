/* fuzz_server.c - libFuzzer target: the echo server's connection state
 * machine (core/server.c), driven through real sockets.
 *
 * Two real server sessions run for the whole campaign on Unix sockets in
 * a temporary directory (Unix sockets: no TIME_WAIT, so a minute of
 * connections cannot use up the ports): A with the defaults and data
 * events on, B with 61-byte reads and writes and --max-bytes 20000. Each
 * input is a script of operations on up to four client connections:
 * connect, send a chunk (bytes from the input, or a big block), read,
 * shut down the sending side, close, reset, wait. The harness is the
 * oracle: every byte that comes back must be the next byte sent (then
 * "bye" after our shutdown, then the end of stream); a reset is only
 * allowed from B past its --max-bytes. At the end of an input every open
 * connection finishes its handshake (bounded in time), then the server
 * must hold no connection any more and must not have finished or failed.
 * Any broken rule abort()s, which libFuzzer reports as a crash.
 *
 * Threads: libFuzzer's thread runs the clients and drains the events;
 * each session has its own worker thread (the code under test). */
#define _POSIX_C_SOURCE 200809L
#include "hvecho/hvecho.h"

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CONNS 4
#define EXPECT_CAP (1u << 20) /* bytes sent per connection, at most */
#define BIG 200000            /* a "big" send: more than B's max-bytes */
#define MAX_BYTES 20000
#define OPS_MAX 64

typedef struct server_under_test {
    hve_session *s;
    char path[108];
    bool limited; /* B: --max-bytes */
} server_under_test;

static server_under_test servers[2];
static char dir[64];

typedef struct client {
    int fd;           /* -1 when not open */
    server_under_test *srv;
    unsigned char *sent;
    size_t nsent;     /* bytes sent so far */
    size_t nread;     /* bytes of sent + bye read back */
    bool shut;        /* we shut down our sending side */
    bool eof;         /* the server ended the stream */
    bool reset_ok;    /* past max-bytes: the server may reset us */
} client;

static client cl[CONNS];

static _Noreturn void die(const char *what)
{
    fprintf(stderr, "fuzz_server: %s\n", what);
    abort();
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Drains a session's events; the server must still be serving. */
static void drain(server_under_test *st)
{
    hve_event *ev;
    while ((ev = hve_session_next(st->s)) != NULL) {
        if (ev->kind == HVE_EV_FINISHED || ev->kind == HVE_EV_ERROR) {
            fprintf(stderr, "fuzz_server: server event %s err %d: %s\n",
                    hve_event_kind_name(ev->kind), ev->err, ev->detail);
            abort();
        }
        hve_event_free(ev);
    }
}

static void cleanup(void)
{
    for (int i = 0; i < 2; i++)
        if (servers[i].s)
            hve_session_free(servers[i].s);
    rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    snprintf(dir, sizeof dir, "/tmp/hvecho-fuzz-XXXXXX");
    if (!mkdtemp(dir))
        die("mkdtemp failed");
    for (int i = 0; i < 2; i++) {
        server_under_test *st = &servers[i];
        snprintf(st->path, sizeof st->path, "%s/s%d", dir, i);
        hve_server_opts o = {0};
        char text[160], why[256];
        snprintf(text, sizeof text, "unix:%s", st->path);
        if (hve_listen_parse(text, hve_platform_native(), &o.listen, why,
                             sizeof why))
            die(why);
        hve_service_default(&o.service);
        o.idle_timeout_ms = 60000;
        if (i == 0) {
            o.data_events = true;
        } else {
            o.io_chunk = 61;
            o.max_bytes = MAX_BYTES;
            st->limited = true;
        }
        int err;
        st->s = hve_session_start_server(&o, NULL, NULL, &err);
        if (!st->s)
            die("cannot start a server session");
        hve_event *ev = hve_session_wait(st->s, 5000);
        if (!ev || ev->kind != HVE_EV_LISTENING)
            die("the server did not listen");
        hve_event_free(ev);
    }
    for (int i = 0; i < CONNS; i++) {
        cl[i].fd = -1;
        cl[i].sent = malloc(EXPECT_CAP);
        if (!cl[i].sent)
            die("out of memory");
    }
    atexit(cleanup);
    return 0;
}

static void c_open(client *c, server_under_test *st)
{
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (fd < 0)
        die("socket failed");
    struct sockaddr_un un = {0};
    un.sun_family = AF_UNIX;
    memcpy(un.sun_path, st->path, strlen(st->path) + 1);
    if (connect(fd, (struct sockaddr *)&un, sizeof un) < 0 &&
        errno != EINPROGRESS && errno != EAGAIN)
        die("connect failed");
    c->fd = fd;
    c->srv = st;
    c->nsent = c->nread = 0;
    c->shut = c->eof = c->reset_ok = false;
}

static void c_close(client *c, bool reset)
{
    if (reset) {
        struct linger lg = {1, 0};
        setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    }
    close(c->fd);
    c->fd = -1;
}

/* Reads what is there and checks it. Returns false when the stream
 * ended (EOF or an allowed reset). */
static bool c_read(client *c, size_t max)
{
    static const char bye[] = "bye";
    unsigned char buf[65536];
    if (c->eof)
        return false;
    if (max > sizeof buf)
        max = sizeof buf;
    ssize_t n = recv(c->fd, buf, max, 0);
    if (n < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
            return true;
        if ((errno == ECONNRESET || errno == EPIPE) && c->reset_ok) {
            c->eof = true;
            return false;
        }
        fprintf(stderr, "fuzz_server: recv: %s (sent %zu, read %zu)\n",
                strerror(errno), c->nsent, c->nread);
        abort();
    }
    if (n == 0) {
        /* The end of stream comes only after the whole echo and the bye
         * (or from B once past max-bytes). */
        if (!c->reset_ok && !(c->shut && c->nread == c->nsent + 3)) {
            fprintf(stderr, "fuzz_server: early end of stream (sent %zu, "
                    "read %zu, shut %d)\n", c->nsent, c->nread, c->shut);
            abort();
        }
        c->eof = true;
        return false;
    }
    for (ssize_t i = 0; i < n; i++, c->nread++) {
        unsigned char want;
        if (c->nread < c->nsent)
            want = c->sent[c->nread];
        else if (c->shut && c->nread < c->nsent + 3)
            want = (unsigned char)bye[c->nread - c->nsent];
        else
            die("more bytes came back than were sent");
        if (buf[i] != want) {
            fprintf(stderr, "fuzz_server: byte %zu is 0x%02X, not 0x%02X\n",
                    c->nread, buf[i], want);
            abort();
        }
    }
    return true;
}

static void c_send(client *c, const unsigned char *p, size_t n)
{
    if (c->shut || c->eof)
        return;
    if (n > EXPECT_CAP - c->nsent)
        n = EXPECT_CAP - c->nsent;
    if (n == 0)
        return;
    ssize_t k = send(c->fd, p, n, MSG_NOSIGNAL);
    if (k < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
            return;
        if ((errno == ECONNRESET || errno == EPIPE) && c->reset_ok)
            return;
        fprintf(stderr, "fuzz_server: send: %s\n", strerror(errno));
        abort();
    }
    memcpy(c->sent + c->nsent, p, (size_t)k);
    c->nsent += (size_t)k;
    if (c->srv->limited && c->nsent > MAX_BYTES)
        c->reset_ok = true;
}

/* Waits up to ms for any open connection to have something to read,
 * and reads it. */
static void wait_some(int ms)
{
    struct pollfd pf[CONNS];
    int map[CONNS], n = 0;
    for (int i = 0; i < CONNS; i++)
        if (cl[i].fd >= 0 && !cl[i].eof) {
            pf[n].fd = cl[i].fd;
            pf[n].events = POLLIN;
            map[n++] = i;
        }
    if (n == 0 || poll(pf, (nfds_t)n, ms) <= 0)
        return;
    for (int i = 0; i < n; i++)
        if (pf[i].revents)
            c_read(&cl[map[i]], 65536);
}

/* The end of an input: each open connection shuts down and reads its
 * echo and bye to the end of stream, in bounded time. */
static void finish_all(void)
{
    for (int i = 0; i < CONNS; i++) {
        client *c = &cl[i];
        if (c->fd < 0)
            continue;
        if (!c->shut && !c->eof) {
            if (shutdown(c->fd, SHUT_WR) < 0 && !c->reset_ok)
                die("shutdown failed");
            c->shut = true;
        }
        int64_t end = now_ms() + 10000;
        while (!c->eof) {
            if (now_ms() > end) {
                fprintf(stderr, "fuzz_server: no end of stream in 10 s "
                        "(sent %zu, read %zu)\n", c->nsent, c->nread);
                abort();
            }
            struct pollfd pf = {c->fd, POLLIN, 0};
            if (poll(&pf, 1, 100) > 0)
                c_read(c, 65536);
        }
        c_close(c, false);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static unsigned char big[BIG];
    static bool big_ready;
    if (!big_ready) {
        for (size_t i = 0; i < BIG; i++)
            big[i] = (unsigned char)(i * 131u + (i >> 9));
        big_ready = true;
    }
    size_t pos = 0;
    int ops = 0;
    while (pos < size && ops++ < OPS_MAX) {
        uint8_t op = data[pos++];
        client *c = &cl[(op >> 3) % CONNS];
        unsigned arg = pos < size ? data[pos] : 0;
        switch (op & 7) {
        case 0: /* connect, to A or B */
            if (c->fd < 0)
                c_open(c, &servers[(op >> 5) & 1]);
            break;
        case 1: { /* send arg*4+1 bytes of the input (wrapping) */
            pos++;
            if (c->fd < 0)
                break;
            size_t n = arg * 4u + 1;
            unsigned char chunk[1024];
            for (size_t i = 0; i < n; i++)
                chunk[i] = size ? data[(pos + i) % size] : 0;
            c_send(c, chunk, n);
            break;
        }
        case 2: /* read up to arg*64+1 bytes */
            pos++;
            if (c->fd >= 0)
                c_read(c, arg * 64u + 1);
            break;
        case 3: /* shut down our sending side */
            if (c->fd >= 0 && !c->shut && !c->eof) {
                if (shutdown(c->fd, SHUT_WR) < 0 && !c->reset_ok)
                    die("shutdown failed");
                c->shut = true;
            }
            break;
        case 4: /* close without reading the rest */
            if (c->fd >= 0)
                c_close(c, false);
            break;
        case 5: /* reset */
            if (c->fd >= 0)
                c_close(c, true);
            break;
        case 6: /* wait a little, reading what comes */
            wait_some(op >> 7 ? 2 : 0);
            break;
        case 7: /* a big send, with an offset so chunks differ */
            pos++;
            if (c->fd >= 0)
                c_send(c, big + arg * 97u, BIG - arg * 97u);
            break;
        }
    }
    finish_all();
    /* Every connection we had is gone from the server, in bounded time,
     * and the servers still serve. */
    for (int i = 0; i < 2; i++) {
        int64_t end = now_ms() + 5000;
        while (hve_session_conn_count(servers[i].s) != 0) {
            if (now_ms() > end) {
                fprintf(stderr, "fuzz_server: server %d still holds %u "
                        "connections\n", i,
                        hve_session_conn_count(servers[i].s));
                abort();
            }
            drain(&servers[i]);
            struct timespec ts = {0, 200000};
            nanosleep(&ts, NULL);
        }
        drain(&servers[i]);
    }
    return 0;
}
