/* test_ui_text.c - the words both windows show (ui_text.h): the kind
 * lists of each platform and the addresses they build, every phrase, the
 * sentences with figures, the mnemonic mark. The windows' own tests
 * (tests/gui, tests/windows) check that each window shows these words.
 * Main thread only. */
#include "check.h"
#include "tests.h"

#include "hvecho/hvecho.h"

#include <string.h>

/* The ids of a list, comma-separated. */
static const char *ids(hve_platform pf, bool listen, char *out, size_t len)
{
    size_t n, i, at = 0;
    const hve_ui_kind_text *k = hve_ui_kinds(pf, listen, &n);
    out[0] = '\0';
    for (i = 0; i < n; i++)
        at += (size_t)snprintf(out + at, len - at, "%s%s", i ? "," : "",
                               k[i].id);
    return out;
}

void test_ui_kinds(void)
{
    char t[256], why[256];
    size_t n, i;
    int pf;
    const hve_ui_kind_text *k;
    hve_addr a;

    CHECK_EQ_STR(ids(HVE_PLATFORM_LINUX, true, t, sizeof t),
                 "wildcard,loopback,tcp,unix,hybrid");
    CHECK_EQ_STR(ids(HVE_PLATFORM_WINDOWS, true, t, sizeof t),
                 "wildcard,loopback,tcp,unix,hybrid");
    CHECK_EQ_STR(ids(HVE_PLATFORM_LINUX, false, t, sizeof t),
                 "loopback,parent,guid,cid,tcp,unix,hybrid");
    CHECK_EQ_STR(ids(HVE_PLATFORM_WINDOWS, false, t, sizeof t),
                 "loopback,parent,children,guid,tcp,unix,hybrid");

    /* hybrid: the same words and hint in both windows, on both lists */
    for (pf = 0; pf < 2; pf++) {
        for (i = 0; i < 2; i++) {
            k = hve_ui_kinds((hve_platform)pf, i == 0, &n);
            CHECK_EQ_STR(k[n - 1].name,
                         "Hybrid vsock (Firecracker, Cloud Hypervisor)");
            CHECK_EQ_STR(k[n - 1].hint, "the VMM's vsock socket "
                                        "path[:port], e.g. "
                                        "/run/vm.vsock:5000");
            CHECK(k[n - 1].uses_service);
        }
    }
    k = hve_ui_kinds(HVE_PLATFORM_WINDOWS, true, &n);
    CHECK_EQ_STR(k[0].name, "Every VM (Hyper-V wildcard)");
    k = hve_ui_kinds(HVE_PLATFORM_LINUX, true, &n);
    CHECK_EQ_STR(k[0].name, "Every VM (vsock wildcard)");
    CHECK_EQ_INT(hve_ui_kind_index(HVE_PLATFORM_LINUX, false, "hybrid"), 6);
    CHECK_EQ_INT(hve_ui_kind_index(HVE_PLATFORM_WINDOWS, false, "hybrid"),
                 6);
    CHECK_EQ_INT(hve_ui_kind_index(HVE_PLATFORM_WINDOWS, false, "cid"), 0);
    CHECK_EQ_INT(hve_ui_kind_index(HVE_PLATFORM_LINUX, true, NULL), 0);
    CHECK_EQ_STR(hve_ui_kind_at(HVE_PLATFORM_WINDOWS, false, 2)->id,
                 "children");
    CHECK_EQ_STR(hve_ui_kind_at(HVE_PLATFORM_WINDOWS, false, -1)->id,
                 "loopback");
    CHECK_EQ_STR(hve_ui_kind_at(HVE_PLATFORM_LINUX, true, 99)->id,
                 "wildcard");

    /* the address each kind builds parses, prefix typed or not */
    k = hve_ui_kinds(HVE_PLATFORM_LINUX, false, &n);
    CHECK_EQ_STR(hve_ui_kind_address(&k[4], "TCP:127.0.0.1:5000", t,
                                     sizeof t),
                 "tcp:127.0.0.1:5000");
    CHECK_EQ_STR(hve_ui_kind_address(&k[6], "/run/vm.vsock:5000", t,
                                     sizeof t),
                 "hybrid:/run/vm.vsock:5000");
    CHECK_EQ_INT(hve_target_parse(t, HVE_PLATFORM_LINUX, &a, why,
                                  sizeof why),
                 0);
    CHECK_EQ_INT(a.family, HVE_FAM_HYBRID);
    CHECK_EQ_INT(a.hybrid_port, 5000);
    CHECK_EQ_STR(hve_ui_kind_address(&k[1], "ignored", t, sizeof t),
                 "parent");
    CHECK_EQ_STR(hve_ui_kind_address(&k[3], "3", t, sizeof t), "cid:3");
    CHECK_EQ_INT(hve_target_parse(t, HVE_PLATFORM_LINUX, &a, why,
                                  sizeof why),
                 0);
    CHECK_EQ_INT(a.cid, 3);
    /* an empty hybrid path: the parser's words (both windows show them) */
    hve_ui_kind_address(&k[6], "", t, sizeof t);
    CHECK(hve_target_parse(t, HVE_PLATFORM_WINDOWS, &a, why, sizeof why) ==
          HVE_EBADTARGET);
    CHECK(strstr(why, "hybrid") != NULL);
    CHECK(hve_ui_kind_missing(&k[6], "") == NULL);
    CHECK_EQ_STR(hve_ui_kind_missing(&k[2], ""),
                 "type the VM's id, a GUID such as (Get-VM NAME).Id");
    CHECK_EQ_STR(hve_ui_kind_missing(&k[3], ""),
                 "type the guest's CID, a number such as 3");
    CHECK(hve_ui_kind_missing(&k[3], "3") == NULL);
    k = hve_ui_kinds(HVE_PLATFORM_WINDOWS, true, &n);
    CHECK_EQ_STR(hve_ui_kind_address(&k[0], "", t, sizeof t), "wildcard");
    CHECK_EQ_INT(hve_listen_parse(t, HVE_PLATFORM_WINDOWS, &a, why,
                                  sizeof why),
                 0);
    CHECK_EQ_STR(hve_ui_kind_address(&k[4], "hybrid:C:\\vm.sock", t,
                                     sizeof t),
                 "hybrid:C:\\vm.sock");
}

void test_ui_phrases(void)
{
    char t[256];
    int i;

    for (i = 0; i < HVE_UI_PHRASE_COUNT; i++)
        CHECK(hve_ui_text((hve_ui_phrase)i)[0] != '\0');
    CHECK_EQ_STR(hve_ui_text(HVE_UI_PHRASE_COUNT), "");
    CHECK_EQ_STR(hve_ui_text(HVE_UI_REPEAT), "Repeat");
    CHECK_EQ_STR(hve_ui_text(HVE_UI_UNTIL_STOPPED), "Until stopped");
    CHECK_EQ_STR(hve_ui_text(HVE_UI_INTERVAL), "Interval");
    CHECK_EQ_STR(hve_ui_text(HVE_UI_KEEP_GOING), "Keep going on errors");
    CHECK_EQ_STR(hve_ui_text(HVE_UI_STOP_QUESTION), "Stop the server?");
    CHECK_EQ_STR(hve_ui_client_column(0), "#");
    CHECK_EQ_STR(hve_ui_client_column(4), "Age");
    CHECK_EQ_STR(hve_ui_client_column(5), "");
    CHECK_EQ_STR(hve_ui_log_column(6), "Text");
    CHECK_EQ_STR(hve_ui_export_name(2),
                 "JSON lines, as hvecho --json (*.jsonl)");
    CHECK_EQ_STR(hve_ui_export_pattern(1), "*.csv");
    CHECK_EQ_STR(hve_ui_export_pattern(3), "");
    CHECK_EQ_INT(hve_ui_export_kind("C:\\log.CSV", 0), 1);
    CHECK_EQ_INT(hve_ui_export_kind("/tmp/log.json", 0), 2);
    CHECK_EQ_INT(hve_ui_export_kind("/tmp/log.jsonl", 1), 2);
    CHECK_EQ_INT(hve_ui_export_kind("/tmp/log.txt", 2), 0);
    CHECK_EQ_INT(hve_ui_export_kind("/tmp/log", 1), 1);
    CHECK_EQ_INT(hve_ui_export_kind("/tmp/log", 7), 0);
    CHECK_EQ_STR(hve_ui_text(HVE_UI_SAVE), "Save / Export\xE2\x80\xA6");

    CHECK_EQ_STR(hve_ui_server_status("tcp 127.0.0.1:5000", 1, 3, t,
                                      sizeof t),
                 "Listening on tcp 127.0.0.1:5000  \xC2\xB7  1 client "
                 "connected  \xC2\xB7  3 served");
    CHECK_EQ_STR(hve_ui_server_stopped(HVE_ECANCELED, 1, t, sizeof t),
                 "Stopped  \xC2\xB7  1 client served");
    CHECK_EQ_STR(hve_ui_server_stopped(0, 2, t, sizeof t),
                 "Stopped  \xC2\xB7  2 clients served");
    CHECK(strncmp(hve_ui_server_stopped(HVE_EREFUSED, 2, t, sizeof t),
                  "Stopped: ", 9) == 0);
    CHECK_EQ_STR(hve_ui_outcome(0, 3, 100, t, sizeof t),
                 "Done: 3 handshakes complete, last round trip 0.10 ms");
    CHECK_EQ_STR(hve_ui_outcome(0, 1, 2500, t, sizeof t),
                 "Done: 1 handshake complete, last round trip 2.50 ms");
    CHECK_EQ_STR(hve_ui_outcome(HVE_ECANCELED, 1, 0, t, sizeof t),
                 "Cancelled");
    CHECK_EQ_STR(hve_ui_outcome(HVE_EREFUSED, 0, 0, t, sizeof t),
                 "Failed: connection refused");
    CHECK_EQ_STR(hve_ui_connecting_to("tcp 1.2.3.4:5", t, sizeof t),
                 "Connecting to tcp 1.2.3.4:5\xE2\x80\xA6");
    CHECK_EQ_STR(hve_ui_stop_detail(1, t, sizeof t),
                 "1 connected client will be closed.");
    CHECK_EQ_STR(hve_ui_stop_detail(4, t, sizeof t),
                 "4 connected clients will be closed.");
    CHECK_EQ_STR(hve_ui_stop_note(2, t, sizeof t),
                 "Stop Server: closing 2 connected clients");
    CHECK_EQ_STR(hve_ui_clients_status(false, false, 0, 0, t, sizeof t),
                 "The server is not running");
    CHECK_EQ_STR(hve_ui_clients_status(true, false, 0, 0, t, sizeof t),
                 "Waiting for the server\xE2\x80\xA6");
    CHECK_EQ_STR(hve_ui_clients_status(true, true, 1, 1, t, sizeof t),
                 "1 client connected");
    CHECK_EQ_STR(hve_ui_clients_status(true, true, 300, 256, t, sizeof t),
                 "300 clients connected (the 256 most recently active "
                 "shown)");
    CHECK_EQ_STR(hve_ui_age(4200000, t, sizeof t), "4.2 s");
    CHECK_EQ_STR(hve_ui_age(185 * 1000000LL, t, sizeof t), "3m 05s");
    CHECK_EQ_STR(hve_ui_age(7620 * 1000000LL, t, sizeof t), "2h 07m");
    CHECK_EQ_STR(hve_ui_message_size(14, 0, t, sizeof t), "sends 14 bytes");
    CHECK_EQ_STR(hve_ui_message_size(1, 1, t, sizeof t), "sends 1 byte");
    CHECK_EQ_STR(hve_ui_message_size(3, 65536, t, sizeof t),
                 "sends 65536 bytes (the 3-byte message repeated)");
    CHECK_EQ_STR(hve_ui_service_unused_bad("bad", t, sizeof t),
                 "not valid, but not used for TCP and Unix sockets: bad");
    CHECK_EQ_STR(hve_ui_detail_title("12:00:01.250", "client #3", "echo",
                                     "tcp 127.0.0.1:5000", "0.081 ms", t,
                                     sizeof t),
                 "12:00:01.250  client #3  echo  tcp 127.0.0.1:5000  took "
                 "0.081 ms");
    CHECK_EQ_STR(hve_ui_detail_title("12:00:01.250", "server", "listening",
                                     "", NULL, t, sizeof t),
                 "12:00:01.250  server  listening");
    CHECK_EQ_STR(hve_ui_dump_head(14, 14, t, sizeof t), "14 bytes:");
    CHECK_EQ_STR(hve_ui_dump_head(1, 1, t, sizeof t), "1 byte:");
    CHECK_EQ_STR(hve_ui_dump_head(1048576, 4096, t, sizeof t),
                 "1048576 bytes; the first 4096:");
    CHECK_EQ_STR(hve_ui_register_copied("3049197C-FACB-11E6-BD58-"
                                        "64006A7986D3",
                                        t, sizeof t),
                 "Copied the command that registers service 3049197C-FACB-"
                 "11E6-BD58-64006A7986D3 on a Windows host");
    /* a short buffer still ends in NUL */
    CHECK_EQ_STR(hve_ui_stop_detail(1, t, 5), "1 co");
}

void test_ui_mnemonic(void)
{
    char t[64];

    CHECK_EQ_STR(hve_ui_mnemonic("Keep going on errors", 'k', '&', t,
                                 sizeof t),
                 "&Keep going on errors");
    CHECK_EQ_STR(hve_ui_mnemonic("Interval", 'n', '_', t, sizeof t),
                 "I_nterval");
    CHECK_EQ_STR(hve_ui_mnemonic("Until stopped", 'S', '&', t, sizeof t),
                 "Until &stopped");
    CHECK_EQ_STR(hve_ui_mnemonic("Repeat", 'z', '&', t, sizeof t),
                 "Repeat");
    CHECK_EQ_STR(hve_ui_mnemonic("Repeat", 0, '&', t, sizeof t), "Repeat");
}

void test_ui_client_line(void)
{
    static const struct {
        hve_event_kind kind;
        int64_t dur_us;
        int err;
        const char *line; /* NULL: the line stays (or a phrase below) */
    } steps[] = {
        {HVE_EV_CONNECTING, -1, 0, NULL},
        {HVE_EV_CONNECTED, 120, 0, NULL},
        {HVE_EV_SENT, -1, 0, NULL},
        {HVE_EV_RECEIVED, 1500, 0, NULL},
        {HVE_EV_SHUTDOWN, -1, 0, NULL},
        {HVE_EV_BYE, 300, 0, NULL},
        {HVE_EV_CLOSED, 2000, 0, NULL},
        {HVE_EV_RECEIVED, 2500, 0, NULL},
        {HVE_EV_BYE, 300, 0, NULL},
        {HVE_EV_FINISHED, -1, 0,
         "Done: 2 handshakes complete, last round trip 2.50 ms"},
    };
    hve_ui_run run;
    hve_event ev;
    char t[300], want[300];

    memset(&run, 0, sizeof run);
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        memset(&ev, 0, sizeof ev);
        ev.kind = steps[i].kind;
        ev.dur_us = steps[i].dur_us;
        ev.err = steps[i].err;
        strcpy(ev.detail, "tcp 1.2.3.4:5");
        const char *line = hve_ui_client_line(&run, &ev, t, sizeof t);
        if (ev.kind == HVE_EV_CONNECTED)
            CHECK_EQ_STR(line, hve_ui_text(HVE_UI_CONNECTED));
        else if (ev.kind == HVE_EV_SHUTDOWN)
            CHECK_EQ_STR(line, hve_ui_text(HVE_UI_ECHO_MATCHED));
        else if (ev.kind == HVE_EV_CONNECTING)
            CHECK_EQ_STR(line, hve_ui_connecting_to("tcp 1.2.3.4:5", want,
                                                    sizeof want));
        else if (steps[i].line)
            CHECK_EQ_STR(line, steps[i].line);
        else
            CHECK(line == NULL);
    }
    CHECK(run.handshakes == 2 && run.last_rtt_us == 2500);
    /* a failed run says why */
    ev.err = HVE_ECANCELED;
    CHECK_EQ_STR(hve_ui_client_line(&run, &ev, t, sizeof t),
                 hve_ui_outcome(HVE_ECANCELED, 2, 2500, want, sizeof want));
}
