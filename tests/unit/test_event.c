/* test_event.c - the one description of events (event.h): golden strings
 * for every kind from each side, in both wordings; the tally of hidden
 * rows; the JSON line. Events are built by hand here, so every field
 * combination is pinned down; the real sessions' fields are checked in
 * test_protocol.c. Main thread only. */
#include "check.h"
#include "tests.h"

#include "hvecho/hvecho.h"

#include <stdlib.h>

static hve_event ev_make(hve_event_kind kind, hve_side side)
{
    hve_event ev;
    memset(&ev, 0, sizeof ev);
    ev.kind = kind;
    ev.side = side;
    ev.conn = 1;
    ev.dur_us = ev.connect_us = ev.echo_us = ev.bye_us = -1;
    return ev;
}

/* Describes ev and checks verb, text and tone (CLI wording). */
#define CHECK_DESC(ev, w, verb_, text_, tone_)                               \
    do {                                                                     \
        hve_desc d_;                                                         \
        hve_event_describe(&(ev), (w), &d_);                                 \
        CHECK_EQ_STR(d_.verb, verb_);                                        \
        CHECK_EQ_STR(d_.text, text_);                                        \
        CHECK_EQ_INT(d_.tone, tone_);                                        \
    } while (0)

#define C HVE_SIDE_CLIENT
#define S HVE_SIDE_SERVER
#define CLI HVE_WORDS_CLI
#define WIN HVE_WORDS_WINDOW

void test_describe_progress(void)
{
    hve_event ev = ev_make(HVE_EV_LISTENING, S);
    strcpy(ev.detail, "tcp 127.0.0.1:5555");
    CHECK_DESC(ev, CLI, "listening", "tcp 127.0.0.1:5555 (Ctrl+C stops)",
               HVE_TONE_NORMAL);
    CHECK_DESC(ev, WIN, "listening", "tcp 127.0.0.1:5555", HVE_TONE_NORMAL);

    ev = ev_make(HVE_EV_CONNECTING, C);
    strcpy(ev.detail, "cid 2 port 5000");
    CHECK_DESC(ev, CLI, "connecting", "cid 2 port 5000", HVE_TONE_NORMAL);

    ev = ev_make(HVE_EV_CONNECTED, C);
    ev.dur_us = 122;
    CHECK_DESC(ev, CLI, "connected", "in 0.122 ms", HVE_TONE_NORMAL);
    hve_desc d;
    hve_event_describe(&ev, CLI, &d);
    CHECK_EQ_INT(d.dur_us, 122);

    ev = ev_make(HVE_EV_ACCEPTED, S);
    strcpy(ev.peer, "127.0.0.1:48430");
    CHECK_DESC(ev, CLI, "accepted", "127.0.0.1:48430", HVE_TONE_NORMAL);

    ev = ev_make(HVE_EV_SHUTDOWN, C);
    ev.total = 14;
    CHECK_DESC(ev, CLI, "shut down", "our sending side", HVE_TONE_NORMAL);
    ev.side = S;
    CHECK_DESC(ev, CLI, "shut down",
               "the client shut down its side after 14 bytes",
               HVE_TONE_NORMAL);
}

void test_describe_data(void)
{
    unsigned char msg[] = "this is a test";
    hve_event ev = ev_make(HVE_EV_SENT, C);
    ev.bytes = ev.total = 14;
    ev.data = msg;
    ev.len = 14;
    CHECK_DESC(ev, CLI, "sent", "14 bytes: \"this is a test\"",
               HVE_TONE_NORMAL);
    ev.side = S;
    ev.total = 1400;
    CHECK_DESC(ev, CLI, "echoed", "14 bytes (1,400 in all): \"this is a test\"",
               HVE_TONE_NORMAL);

    ev = ev_make(HVE_EV_RECEIVED, S);
    ev.bytes = ev.total = 14;
    ev.data = msg;
    ev.len = 14;
    CHECK_DESC(ev, CLI, "received", "14 bytes: \"this is a test\"",
               HVE_TONE_NORMAL);
    ev.side = C;
    ev.dur_us = 78;
    CHECK_DESC(ev, CLI, "echo", "14 bytes back in 0.078 ms, verified",
               HVE_TONE_NORMAL);
    ev.bytes = 64u << 20;
    ev.dur_us = 100000;
    CHECK_DESC(ev, CLI, "echo",
               "67,108,864 bytes back in 100.000 ms (671.1 MB/s each way), "
               "verified",
               HVE_TONE_NORMAL);

    /* Valid UTF-8 as text; a cut message ends in "..."; controls and
     * broken UTF-8 escaped. */
    unsigned char utf[] = "h\xc3\xa9llo w\xc3\xb6rld \xe2\x9c\x93";
    ev = ev_make(HVE_EV_SENT, C);
    ev.bytes = ev.total = sizeof utf - 1;
    ev.data = utf;
    ev.len = sizeof utf - 1;
    CHECK_DESC(ev, CLI, "sent", "17 bytes: \"h\xc3\xa9llo w\xc3\xb6rld "
                                "\xe2\x9c\x93\"",
               HVE_TONE_NORMAL);
    ev.truncated = true;
    ev.bytes = 1u << 30;
    CHECK_DESC(ev, CLI, "sent", "1,073,741,824 bytes: \"h\xc3\xa9llo "
                                "w\xc3\xb6rld \xe2\x9c\x93...\"",
               HVE_TONE_NORMAL);
    unsigned char bin[] = {'a', '\n', 0x1b, 0xff, 0xc3};
    ev = ev_make(HVE_EV_RECEIVED, S);
    ev.bytes = ev.total = sizeof bin;
    ev.data = bin;
    ev.len = sizeof bin;
    CHECK_DESC(ev, CLI, "received", "5 bytes: \"a\\n\\x1B\\xFF\\xC3\"",
               HVE_TONE_NORMAL);
    /* The CLI shows 64 bytes, a window 256, cut between characters. */
    unsigned char big[300];
    for (size_t i = 0; i < sizeof big; i += 2)
        big[i] = 0xc3, big[i + 1] = 0xa9; /* é */
    ev.bytes = ev.total = ev.len = sizeof big;
    ev.data = big;
    hve_desc d;
    hve_event_describe(&ev, CLI, &d);
    CHECK_EQ_INT(strlen(d.text), strlen("300 bytes: \"\"") + 64 + 3);
    hve_event_describe(&ev, WIN, &d);
    CHECK_EQ_INT(strlen(d.text), strlen("300 bytes: \"\"") + 256 + 3);
}

void test_describe_bye(void)
{
    unsigned char bye[] = "bye";
    hve_event ev = ev_make(HVE_EV_BYE, C);
    ev.bytes = 3;
    ev.dur_us = 28;
    ev.data = bye;
    ev.len = 3;
    CHECK_DESC(ev, CLI, "bye", "3 bytes in 0.028 ms: \"bye\"", HVE_TONE_BYE);
    hve_desc d;
    hve_event_describe(&ev, CLI, &d);
    CHECK_EQ_STR(d.note, "");

    /* The original server's bye: 8 bytes, "Bye!", NUL, stack bytes. */
    unsigned char seed[8] = {'B', 'y', 'e', '!', 0, 0x7f, 0x12, 0x00};
    CHECK(hve_bye_is_seed(seed, 8));
    CHECK(!hve_bye_is_seed(seed, 5));
    CHECK(!hve_bye_is_seed("Bye!!!!!", 8));
    ev.bytes = ev.len = 8;
    ev.data = seed;
    ev.flags = HVE_EVF_SEED_BYE;
    CHECK_DESC(ev, CLI, "bye",
               "8 bytes in 0.028 ms: \"Bye!\\x00\\x7F\\x12\\x00\"",
               HVE_TONE_BYE);
    hve_event_describe(&ev, CLI, &d);
    CHECK_EQ_STR(d.note, "the original echo server's fixed-size bye: 8 "
                         "bytes, \"Bye!\", a NUL and 3 stray bytes");

    ev = ev_make(HVE_EV_BYE, S);
    ev.bytes = 3;
    ev.total = 14;
    CHECK_DESC(ev, CLI, "bye", "sent 3 bytes", HVE_TONE_BYE);
}

void test_describe_closed(void)
{
    hve_event ev = ev_make(HVE_EV_CLOSED, C);
    ev.bytes = ev.total = 14;
    ev.connect_us = 122;
    ev.echo_us = 78;
    ev.bye_us = 28;
    CHECK_DESC(ev, CLI, "closed",
               "handshake complete: connect 0.122 ms, echo 0.078 ms, bye "
               "0.028 ms",
               HVE_TONE_BYE);
    /* Refused: nothing sent, nothing back. */
    ev = ev_make(HVE_EV_CLOSED, C);
    ev.err = HVE_EREFUSED;
    CHECK_DESC(ev, CLI, "closed",
               "connection refused: 0 of 0 bytes sent came back",
               HVE_TONE_ERROR);
    hve_desc d;
    hve_event_describe(&ev, CLI, &d);
    CHECK_CONTAINS(d.hint, "(-p)");
    hve_event_describe(&ev, WIN, &d);
    CHECK_CONTAINS(d.hint, "Service");
    CHECK(strstr(d.hint, "-p") == NULL);
    /* Stopped halfway through a big send. */
    ev.err = HVE_ECANCELED;
    ev.total = 41943040;
    ev.bytes = 39321600;
    CHECK_DESC(ev, CLI, "closed",
               "stopped: 39,321,600 of 41,943,040 bytes sent came back",
               HVE_TONE_NOTE);

    ev = ev_make(HVE_EV_CLOSED, S);
    strcpy(ev.peer, "127.0.0.1:48430");
    ev.bytes = ev.total = 14;
    CHECK_DESC(ev, CLI, "closed", "127.0.0.1:48430, 14 bytes echoed",
               HVE_TONE_BYE);
    ev.err = HVE_ECANCELED;
    strcpy(ev.detail, "the server stopped");
    CHECK_DESC(ev, CLI, "closed",
               "127.0.0.1:48430, 14 bytes echoed (the server stopped)",
               HVE_TONE_NOTE);
    ev.err = HVE_ERESET;
    ev.total = 20;
    strcpy(ev.detail, "the connection failed while reading");
    CHECK_DESC(ev, CLI, "closed",
               "127.0.0.1:48430: connection reset by the peer (the "
               "connection failed while reading); 20 bytes read, 14 echoed",
               HVE_TONE_ERROR);
}

void test_describe_end(void)
{
    hve_event ev = ev_make(HVE_EV_ERROR, C);
    ev.err = HVE_EREADTIMEOUT;
    strcpy(ev.detail, "no echo byte for 5000 ms");
    CHECK_DESC(ev, CLI, "error",
               "the peer stopped answering: no echo byte for 5000 ms",
               HVE_TONE_ERROR);
    hve_desc d;
    hve_event_describe(&ev, CLI, &d);
    CHECK_CONTAINS(d.hint, "raise -t");
    hve_event_describe(&ev, WIN, &d);
    CHECK_CONTAINS(d.hint, "raise Timeout");
    ev.side = S;
    ev.err = HVE_ELIMIT;
    strcpy(ev.detail, "out of file descriptors");
    CHECK_DESC(ev, CLI, "error",
               "a server limit was reached: out of file descriptors",
               HVE_TONE_ERROR);

    ev = ev_make(HVE_EV_FINISHED, C);
    ev.conn = 0;
    ev.ok = 1;
    CHECK_DESC(ev, CLI, "done", "1 handshake complete", HVE_TONE_BYE);
    ev.ok = 3000;
    /* 1,250 handshakes lost both their rows; 1,249 of them completed. */
    ev.dropped = 2500;
    ev.dropped_echo = 1250;
    ev.dropped_verified = 1249;
    CHECK_DESC(ev, CLI, "done", "3,000 handshakes complete", HVE_TONE_BYE);
    hve_event_describe(&ev, CLI, &d);
    CHECK_EQ_STR(d.note, "1,250 echo rows not shown: 1,249 handshakes "
                         "verified; 1,250 sent rows not shown (the display "
                         "fell behind)");
    /* only echo rows */
    ev.dropped = 3;
    ev.dropped_echo = 3;
    ev.dropped_verified = 3;
    hve_event_describe(&ev, WIN, &d);
    CHECK_EQ_STR(d.note, "3 echo rows not shown: 3 handshakes verified (the "
                         "display fell behind)");
    /* after the run's own remark */
    strcpy(ev.detail, "2 of 10 handshakes failed");
    hve_event_describe(&ev, CLI, &d);
    CHECK_EQ_STR(d.note, "2 of 10 handshakes failed; 3 echo rows not shown: "
                         "3 handshakes verified (the display fell behind)");
    ev.detail[0] = '\0';
    ev.dropped = ev.dropped_echo = ev.dropped_verified = 0;
    ev.ok = 2;
    ev.failed = 1;
    ev.err = HVE_ECANCELED;
    CHECK_DESC(ev, CLI, "stopped", "2 handshakes complete, 1 failed",
               HVE_TONE_NOTE);
    ev.err = HVE_ENOBYE;
    CHECK_DESC(ev, CLI, "failed", "the server closed without sending a bye",
               HVE_TONE_ERROR);
    hve_event_describe(&ev, CLI, &d);
    CHECK_CONTAINS(d.hint, "--no-bye");

    ev = ev_make(HVE_EV_FINISHED, S);
    ev.err = HVE_ECANCELED;
    ev.ok = 5;
    ev.failed = 2;
    CHECK_DESC(ev, CLI, "stopped", "5 connections complete, 2 failed",
               HVE_TONE_NOTE);
    ev.dropped = 4801;
    hve_event_describe(&ev, CLI, &d);
    CHECK_EQ_STR(d.note, "4,801 server data rows not shown (the display "
                         "fell behind)");
    ev.dropped = 0;
    ev.err = HVE_EADDRINUSE;
    CHECK_DESC(ev, CLI, "failed", "address already in use", HVE_TONE_ERROR);

    hve_event *note = hve_event_note(C, "the log is full");
    CHECK(note != NULL);
    if (note) {
        CHECK_DESC(*note, WIN, "note", "the log is full", HVE_TONE_NOTE);
        hve_event_free(note);
    }
}

void test_tally(void)
{
    hve_tally t;
    memset(&t, 0, sizeof t);
    char out[400];
    CHECK_EQ_STR(hve_tally_note(&t, 10000, out, sizeof out), "");
    /* 1,250 handshakes whose sent and echo rows were not shown. */
    for (unsigned i = 1; i <= 1250; i++) {
        hve_event ev = ev_make(HVE_EV_SENT, C);
        ev.conn = ev.round = i;
        hve_tally_event(&t, &ev, false);
        ev.kind = HVE_EV_RECEIVED;
        hve_tally_event(&t, &ev, false);
        ev.kind = HVE_EV_CLOSED;
        hve_tally_event(&t, &ev, true);
    }
    /* One whose echo row was shown, one that failed after a hidden one. */
    hve_event ev = ev_make(HVE_EV_RECEIVED, C);
    ev.conn = 1251;
    hve_tally_event(&t, &ev, true);
    ev.kind = HVE_EV_CLOSED;
    hve_tally_event(&t, &ev, true);
    ev.conn = 1252;
    ev.kind = HVE_EV_RECEIVED;
    hve_tally_event(&t, &ev, false);
    ev.kind = HVE_EV_CLOSED;
    ev.err = HVE_ENOBYE;
    hve_tally_event(&t, &ev, true);
    t.capped = 10;
    CHECK_EQ_STR(hve_tally_note(&t, 10000, out, sizeof out),
                 "1,251 echo rows not shown: 1,250 handshakes verified; "
                 "1,250 data rows merged into their connection's row; 10 "
                 "oldest rows removed (the log keeps the newest 10,000)");
    memset(&t, 0, sizeof t);
    ev = ev_make(HVE_EV_FINISHED, S);
    ev.dropped = 7;
    hve_tally_event(&t, &ev, true);
    CHECK_EQ_STR(hve_tally_note(&t, 0, out, sizeof out),
                 "7 server data rows not shown (the display fell behind)");
}

/* Rows the core did not queue, as each handshake's CLOSED and the
 * FINISHED after them tell: counted once, per handshake. */
void test_tally_dropped(void)
{
    hve_tally t;
    memset(&t, 0, sizeof t);
    char out[400];
    hve_event ev;
    /* 1,250 complete handshakes without their sent and echo rows, one
     * that failed after its echo (not verified), one with its rows. */
    for (unsigned i = 1; i <= 1252; i++) {
        ev = ev_make(HVE_EV_CLOSED, C);
        ev.conn = ev.round = i;
        if (i <= 1251) {
            ev.dropped = 2;
            ev.dropped_echo = 1;
        }
        if (i == 1251)
            ev.err = HVE_ENOBYE;
        hve_tally_event(&t, &ev, true);
    }
    /* a server connection that lost 3 rows */
    ev = ev_make(HVE_EV_CLOSED, S);
    ev.dropped = 3;
    hve_tally_event(&t, &ev, true);
    /* FINISHED repeats the sums: nothing more */
    ev = ev_make(HVE_EV_FINISHED, C);
    ev.dropped = 2502;
    ev.dropped_echo = 1251;
    ev.dropped_verified = 1250;
    hve_tally_event(&t, &ev, true);
    ev = ev_make(HVE_EV_FINISHED, S);
    ev.dropped = 3;
    hve_tally_event(&t, &ev, true);
    t.capped = 5;
    CHECK_EQ_STR(hve_tally_note(&t, 10000, out, sizeof out),
                 "1,251 echo rows not shown: 1,250 handshakes verified; "
                 "1,251 sent rows and 3 server data rows not shown (the "
                 "display fell behind); 5 oldest rows removed (the log "
                 "keeps the newest 10,000)");
    /* A FINISHED that counts more than its CLOSED events told (one lost
     * to memory) adds the rest; the next session starts afresh. */
    memset(&t, 0, sizeof t);
    ev = ev_make(HVE_EV_CLOSED, C);
    ev.dropped = ev.dropped_echo = 1;
    hve_tally_event(&t, &ev, true);
    ev = ev_make(HVE_EV_FINISHED, C);
    ev.dropped = 4;
    ev.dropped_echo = 2;
    ev.dropped_verified = 2;
    hve_tally_event(&t, &ev, true);
    CHECK_EQ_STR(hve_tally_note(&t, 0, out, sizeof out),
                 "2 echo rows not shown: 2 handshakes verified; 2 sent rows "
                 "not shown (the display fell behind)");
    ev = ev_make(HVE_EV_CLOSED, C);
    ev.dropped = ev.dropped_echo = 1;
    hve_tally_event(&t, &ev, true);
    ev = ev_make(HVE_EV_FINISHED, C);
    ev.dropped = ev.dropped_echo = ev.dropped_verified = 1;
    hve_tally_event(&t, &ev, true);
    CHECK_EQ_STR(hve_tally_note(&t, 0, out, sizeof out),
                 "3 echo rows not shown: 3 handshakes verified; 2 sent rows "
                 "not shown (the display fell behind)");
}

void test_event_json(void)
{
    char out[HVE_EVENT_JSON_MAX];
    hve_event ev = ev_make(HVE_EV_CLOSED, C);
    ev.t_us = 1500;
    ev.round = 1;
    strcpy(ev.peer, "tcp 127.0.0.1:5");
    ev.err = HVE_EREFUSED;
    ev.dur_us = 250;
    ev.connect_us = -1;
    hve_event_json(&ev, out, sizeof out);
    CHECK_EQ_STR(out,
                 "{\"event\":\"closed\",\"side\":\"client\",\"t_ms\":1.500,"
                 "\"conn\":1,\"round\":1,\"peer\":\"tcp 127.0.0.1:5\","
                 "\"bytes\":0,\"dur_ms\":0.250,\"error\":\"refused\","
                 "\"message\":\"connection refused\",\"hint\":\"nothing "
                 "listens on that service: start 'hvecho -s' there, and "
                 "check the service (-p) matches\"}");
    ev = ev_make(HVE_EV_FINISHED, S);
    ev.conn = 0;
    ev.err = HVE_ECANCELED;
    ev.ok = 2;
    hve_event_json(&ev, out, sizeof out);
    CHECK_EQ_STR(out, "{\"event\":\"finished\",\"side\":\"server\",\"t_ms\":"
                      "0.000,\"error\":\"stopped\",\"message\":\"stopped\","
                      "\"ok\":2,\"failed\":0,\"exit\":0}");
    unsigned char seed[8] = {'B', 'y', 'e', '!', 0, 1, 2, 3};
    ev = ev_make(HVE_EV_BYE, C);
    ev.bytes = ev.len = 8;
    ev.data = seed;
    ev.flags = HVE_EVF_SEED_BYE;
    hve_event_json(&ev, out, sizeof out);
    CHECK_CONTAINS(out, "\"seed_bye\":true,\"data\":\"Bye!\\u0000\\u0001");
    /* Too small a buffer: still one JSON object. */
    char small[40];
    size_t n = hve_event_json(&ev, small, sizeof small);
    CHECK_EQ_INT(n, strlen(small));
    CHECK(small[0] == '{' && small[n - 1] == '}');
}

/* Freed events are reused (event_alloc.c): a new one must come back
 * zeroed whatever the freed one held, and freeing many at once (more than
 * the cache keeps) loses nothing (ASan and LSan check the rest). */
void test_event_reuse(void)
{
    enum { N = 200 };
    hve_event *evs[N];
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < N; i++) {
            evs[i] = hve_event_note(HVE_SIDE_CLIENT, "x");
            CHECK(evs[i] != NULL);
            if (!evs[i])
                return;
            hve_event *ev = evs[i];
            CHECK_EQ_INT(ev->kind, HVE_EV_NOTE);
            CHECK_EQ_INT(ev->conn, 0);
            CHECK_EQ_INT(ev->bytes, 0);
            CHECK_EQ_INT(ev->err, 0);
            CHECK_EQ_INT(ev->len, 0);
            CHECK(ev->data == NULL);
            CHECK(ev->peer[0] == '\0');
            CHECK_EQ_INT(ev->dur_us, -1);
            CHECK(strcmp(ev->detail, "x") == 0);
            /* What a used event holds, to be cleared on reuse. */
            memset(ev->peer, 'p', sizeof ev->peer - 1);
            ev->conn = ev->bytes = ev->total = 0xabcdefu;
            ev->err = 7;
            ev->data = malloc(16);
            ev->len = ev->data ? 16 : 0;
        }
        for (int i = 0; i < N; i++)
            hve_event_free(evs[i]);
    }
}
