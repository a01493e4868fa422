/* test_threads.c - sessions and their event queues under concurrency, as
 * the front ends use them; built in every preset and the test the "tsan"
 * preset (ThreadSanitizer) exists for.
 *
 * One server session and 8 client sessions run at once over TCP on
 * 127.0.0.1 (port 0). Every session's wake callback, called on its worker
 * thread, only marks it ready and signals the "front end" (this main
 * thread) through a condition variable, as g_idle_add / PostMessage
 * would; the main thread then drains the ready sessions with
 * hve_session_next. Meanwhile a second thread reads
 * hve_session_conn_count and stops clients mid-flight (stop may come from
 * any thread), and at the end the server is stopped while clients still
 * connect. Then 40 sessions are started and stopped at once, to race
 * start against stop, and 60 clients of a host name race their lookup's
 * helper thread with a stop, a deadline or the end. Checks: each session ends with exactly one
 * FINISHED, then next() returns NULL; the handshakes that were not
 * stopped all succeed; stop + free return promptly.
 *
 * Threads: main (the front end), the "poker" thread, and the sessions'
 * workers (calling wake). */
#define _POSIX_C_SOURCE 200809L
#include "hvecho/hvecho.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CLIENTS 8
#define ROUNDS 15

static int failures;

#define EXPECT(cond)                                                       \
    do {                                                                   \
        if (!(cond)) {                                                     \
            fprintf(stderr, "%s:%d: expected %s\n", __FILE__, __LINE__,    \
                    #cond);                                                \
            failures++;                                                    \
        }                                                                  \
    } while (0)

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The front end's side: which sessions have something to drain. */
static pthread_mutex_t fe_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t fe_cv = PTHREAD_COND_INITIALIZER;

typedef struct slot {
    hve_session *s;
    atomic_bool ready;      /* set by wake (worker), cleared by main */
    atomic_uint wakes;
    unsigned finished;      /* FINISHED events seen (main only) */
    int result;             /* FINISHED's err (main only) */
    unsigned byes;          /* client: bye events (main only) */
    atomic_bool stop_asked; /* the poker stopped it */
} slot;

static void on_wake(void *user)
{
    slot *sl = user;
    atomic_fetch_add(&sl->wakes, 1);
    atomic_store(&sl->ready, true);
    pthread_mutex_lock(&fe_mu);
    pthread_cond_signal(&fe_cv);
    pthread_mutex_unlock(&fe_mu);
}

/* Drains one session as a GUI would after a wake. */
static void drain(slot *sl)
{
    atomic_store(&sl->ready, false);
    hve_event *ev;
    while ((ev = hve_session_next(sl->s)) != NULL) {
        EXPECT(ev->kind < HVE_EV_KIND_COUNT);
        EXPECT(ev->len <= HVE_EVENT_DATA_CAP);
        if (ev->kind == HVE_EV_BYE)
            sl->byes++;
        if (ev->kind == HVE_EV_FINISHED) {
            sl->finished++;
            sl->result = ev->err;
        }
        hve_event_free(ev);
    }
}

static slot server, clients[CLIENTS];
static atomic_bool poker_done;
static unsigned max_conns_seen;

/* Any-thread calls while the sessions run: conn_count and stop. */
static void *poker_main(void *arg)
{
    (void)arg;
    int64_t t0 = now_ms();
    bool stopped[CLIENTS] = {false};
    while (!atomic_load(&poker_done) && now_ms() - t0 < 20000) {
        unsigned n = hve_session_conn_count(server.s);
        if (n > max_conns_seen)
            max_conns_seen = n;
        /* After 50 ms, stop the odd clients mid-flight. */
        if (now_ms() - t0 > 50)
            for (int i = 1; i < CLIENTS; i += 2)
                if (!stopped[i]) {
                    stopped[i] = true;
                    atomic_store(&clients[i].stop_asked, true);
                    hve_session_stop(clients[i].s);
                }
        for (int i = 0; i < CLIENTS; i++)
            (void)hve_session_finished(clients[i].s);
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
    }
    return NULL;
}

static bool all_finished(void)
{
    for (int i = 0; i < CLIENTS; i++)
        if (!clients[i].finished)
            return false;
    return true;
}

static void test_many_sessions(void)
{
    hve_server_opts so = {0};
    hve_listen_parse("tcp:127.0.0.1:0", hve_platform_native(), &so.listen,
                     NULL, 0);
    so.data_events = true; /* keep the queue busy */
    so.io_chunk = 512;
    int err = 0;
    server.s = hve_session_start_server(&so, on_wake, &server, &err);
    EXPECT(server.s != NULL);
    if (!server.s)
        return;
    hve_event *ev = hve_session_wait(server.s, 5000);
    EXPECT(ev && ev->kind == HVE_EV_LISTENING && ev->port != 0);
    unsigned port = ev ? ev->port : 0;
    hve_event_free(ev);

    static unsigned char msg[100000];
    for (size_t i = 0; i < sizeof msg; i++)
        msg[i] = (unsigned char)(i * 7 + 3);
    char target[64];
    snprintf(target, sizeof target, "tcp:127.0.0.1:%u", port);
    for (int i = 0; i < CLIENTS; i++) {
        hve_client_opts co = {0};
        hve_target_parse(target, hve_platform_native(), &co.target, NULL, 0);
        co.message = msg;
        co.message_len = (size_t)(1000 + i * 12000);
        /* The odd ones are stopped mid-flight: give them work enough. */
        co.count = i % 2 ? 100000 : ROUNDS;
        co.io_chunk = (size_t)(64 << (i % 4));
        co.timeout_ms = 10000;
        clients[i].s = hve_session_start_client(&co, on_wake, &clients[i],
                                                &err);
        EXPECT(clients[i].s != NULL);
        if (!clients[i].s)
            return;
    }
    pthread_t poker;
    pthread_create(&poker, NULL, poker_main, NULL);

    /* The front end's loop: sleep until a wake, drain what is ready. */
    int64_t end = now_ms() + 60000;
    while (!all_finished() && now_ms() < end) {
        pthread_mutex_lock(&fe_mu);
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 20 * 1000000;
        if (ts.tv_nsec >= 1000000000) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000;
        }
        pthread_cond_timedwait(&fe_cv, &fe_mu, &ts);
        pthread_mutex_unlock(&fe_mu);
        if (atomic_load(&server.ready))
            drain(&server);
        for (int i = 0; i < CLIENTS; i++)
            if (atomic_load(&clients[i].ready))
                drain(&clients[i]);
    }
    atomic_store(&poker_done, true);
    pthread_join(poker, NULL);
    EXPECT(all_finished());

    /* Stop the server while new clients still connect to it. */
    hve_session *late[4];
    for (int i = 0; i < 4; i++) {
        hve_client_opts co = {0};
        hve_target_parse(target, hve_platform_native(), &co.target, NULL, 0);
        co.count = 50;
        late[i] = hve_session_start_client(&co, NULL, NULL, &err);
        EXPECT(late[i] != NULL);
    }
    struct timespec pause = {0, 30 * 1000000};
    nanosleep(&pause, NULL);
    int64_t t = now_ms();
    hve_session_stop(server.s);
    while (!server.finished && now_ms() - t < 5000) {
        drain(&server);
        nanosleep(&(struct timespec){0, 1000000}, NULL);
    }
    EXPECT(server.finished == 1);
    EXPECT(server.result == HVE_ECANCELED);
    EXPECT(hve_session_next(server.s) == NULL);
    for (int i = 0; i < 4; i++)
        hve_session_free(late[i]); /* stops them if still running */
    t = now_ms() - t;
    EXPECT(t < 3000);

    unsigned ok = 0, stopped_byes = 0;
    for (int i = 0; i < CLIENTS; i++) {
        slot *c = &clients[i];
        drain(c);
        EXPECT(c->finished == 1);
        EXPECT(hve_session_next(c->s) == NULL);
        EXPECT(atomic_load(&c->wakes) > 0);
        if (!atomic_load(&c->stop_asked)) {
            EXPECT(c->result == 0);
            EXPECT(c->byes == ROUNDS);
            ok += c->byes;
        } else {
            EXPECT(c->result == HVE_ECANCELED);
            stopped_byes += c->byes;
        }
        hve_session_free(c->s);
    }
    printf("many sessions: %u handshakes by the clients not stopped, %u by "
           "the clients stopped mid-flight, at most %u server connections "
           "at once, %u server wakes, server stopped and freed in %lld ms "
           "with clients connecting\n",
           ok, stopped_byes, max_conns_seen, atomic_load(&server.wakes),
           (long long)t);
    hve_session_free(server.s);
}

/* Start and stop at once, many times: stop may land before the worker
 * even runs, while it listens, or while it connects. */
static void test_start_stop_race(void)
{
    int64_t t0 = now_ms();
    for (int i = 0; i < 40; i++) {
        slot sl;
        memset(&sl, 0, sizeof sl);
        int err = 0;
        if (i % 2) {
            hve_server_opts so = {0};
            hve_listen_parse("tcp:127.0.0.1:0", hve_platform_native(),
                             &so.listen, NULL, 0);
            sl.s = hve_session_start_server(&so, on_wake, &sl, &err);
        } else {
            hve_client_opts co = {0};
            /* Port 1 on loopback: refused at once, or stopped first. */
            hve_target_parse("tcp:127.0.0.1:1", hve_platform_native(),
                             &co.target, NULL, 0);
            sl.s = hve_session_start_client(&co, on_wake, &sl, &err);
        }
        EXPECT(sl.s != NULL);
        if (!sl.s)
            continue;
        if (i % 4 < 2)
            hve_session_stop(sl.s);
        int64_t end = now_ms() + 5000;
        while (!sl.finished && now_ms() < end) {
            hve_event *ev = hve_session_wait(sl.s, 100);
            if (ev && ev->kind == HVE_EV_FINISHED)
                sl.finished++;
            if (ev && ev->kind == HVE_EV_LISTENING)
                hve_session_stop(sl.s);
            hve_event_free(ev);
        }
        EXPECT(sl.finished == 1);
        EXPECT(hve_session_wait(sl.s, 10) == NULL);
        hve_session_free(sl.s);
    }
    printf("start/stop race: 40 sessions in %lld ms\n",
           (long long)(now_ms() - t0));
}

/* A host name is looked up on a detached helper thread that may outlive
 * the session: stop, a 1 ms deadline and a normal end race the lookup
 * (localhost, from /etc/hosts), and the lookup's shared state is freed by
 * whichever side lets go last. */
static void test_lookup_race(void)
{
    int64_t t0 = now_ms();
    int refused = 0;
    for (int i = 0; i < 60; i++) {
        slot sl;
        memset(&sl, 0, sizeof sl);
        int err = 0;
        hve_client_opts co = {0};
        hve_target_parse("tcp:localhost:1", hve_platform_native(),
                         &co.target, NULL, 0);
        if (i % 3 == 1)
            co.deadline_ms = 1;
        sl.s = hve_session_start_client(&co, on_wake, &sl, &err);
        EXPECT(sl.s != NULL);
        if (!sl.s)
            continue;
        if (i % 3 == 0)
            hve_session_stop(sl.s);
        int64_t end = now_ms() + 5000;
        int result = -1;
        while (!sl.finished && now_ms() < end) {
            hve_event *ev = hve_session_wait(sl.s, 100);
            if (ev && ev->kind == HVE_EV_FINISHED) {
                sl.finished++;
                result = ev->err;
            }
            hve_event_free(ev);
        }
        EXPECT(sl.finished == 1);
        EXPECT(result == HVE_EREFUSED || result == HVE_ECANCELED ||
               result == HVE_EDEADLINE);
        if (i % 3 == 2)
            EXPECT(result == HVE_EREFUSED);
        refused += result == HVE_EREFUSED;
        hve_session_free(sl.s);
    }
    printf("lookup race: 60 sessions (%d refused after the lookup) in %lld "
           "ms\n", refused, (long long)(now_ms() - t0));
}

int main(void)
{
    test_many_sessions();
    test_start_stop_race();
    test_lookup_race();
    if (failures) {
        fprintf(stderr, "test_threads: %d failures\n", failures);
        return 1;
    }
    printf("test_threads: all passed\n");
    return 0;
}
