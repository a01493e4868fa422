/* test_export.c - log rows as text and CSV (export.h): golden rows, RFC
 * 4180 quoting. Main thread only. */
#include "check.h"
#include "tests.h"

#include "hvecho/hvecho.h"

#include <stdlib.h>

void test_csv_field(void)
{
    char out[64];
    CHECK_EQ_INT(hve_csv_field("plain", out, sizeof out), 5);
    CHECK_EQ_STR(out, "plain");
    CHECK_EQ_INT(hve_csv_field("a,b", out, sizeof out), 5);
    CHECK_EQ_STR(out, "\"a,b\"");
    CHECK_EQ_INT(hve_csv_field("say \"hi\"", out, sizeof out), 12);
    CHECK_EQ_STR(out, "\"say \"\"hi\"\"\"");
    CHECK_EQ_STR((hve_csv_field("two\r\nlines", out, sizeof out), out),
                 "\"two\r\nlines\"");
    CHECK_EQ_STR((hve_csv_field("", out, sizeof out), out), "");
    CHECK_EQ_STR((hve_csv_field(NULL, out, sizeof out), out), "");
    /* Too small: cut, NUL-terminated, the full length returned. */
    char small[4];
    CHECK_EQ_INT(hve_csv_field("a,bcdef", small, sizeof small), 9);
    CHECK_EQ_STR(small, "\"a,");
    CHECK_EQ_INT(hve_csv_field("a,bcdef", NULL, 0), 9);
}

void test_export_rows(void)
{
    CHECK_EQ_STR(hve_export_header(HVE_EXPORT_CSV),
                 "time,side,conn,event,verb,text,bytes,took_ms,error,data\r\n");
    CHECK_EQ_STR(hve_export_header(HVE_EXPORT_TEXT), "");
    CHECK_EQ_STR(hve_export_header(HVE_EXPORT_JSONL), "");

    hve_event ev = {0};
    ev.kind = HVE_EV_RECEIVED;
    ev.side = HVE_SIDE_CLIENT;
    ev.conn = 3;
    ev.round = 3;
    ev.t_us = 1234;
    ev.bytes = 9;
    ev.dur_us = 78;
    unsigned char data[] = "a,\"b\"\n\x01";
    ev.data = data;
    ev.len = 7;
    hve_export_row r = {"15:27:57.123", "#3", "echo",
                        "9 bytes back in 0.078 ms, verified: \"a,\\\"b\\\"\"",
                        78, &ev};
    char *t = hve_export_row_text(&r, HVE_EXPORT_TEXT);
    CHECK(t && strcmp(t, "15:27:57.123  #3     echo        9 bytes back in "
                         "0.078 ms, verified: \"a,\\\\\"b\\\\\"\"\n") == 0);
    free(t);
    char *c = hve_export_row_text(&r, HVE_EXPORT_CSV);
    CHECK(c && strcmp(c, "15:27:57.123,client,#3,received,echo,\"9 bytes back in "
                         "0.078 ms, verified: \"\"a,\\\"\"b\\\"\"\"\"\",9,"
                         "0.078,,\"a,\"\"b\"\"\\n\\x01\"\r\n") == 0);
    free(c);

    /* An error row: the error's name, CLOSED's 0 bytes; a text with a line
     * break stays on one line in TEXT. */
    hve_event cl = {0};
    cl.kind = HVE_EV_CLOSED;
    cl.side = HVE_SIDE_SERVER;
    cl.err = HVE_EREFUSED;
    hve_export_row e = {"10:00:00", "#1", "closed", "refused\nagain", -1,
                        &cl};
    t = hve_export_row_text(&e, HVE_EXPORT_TEXT);
    CHECK(t && strcmp(t, "10:00:00  #1     closed      refused\\nagain\n") ==
                   0);
    free(t);
    c = hve_export_row_text(&e, HVE_EXPORT_CSV);
    CHECK(c && strcmp(c, "10:00:00,server,#1,closed,closed,\"refused\nagain\",0,,"
                         "refused,\r\n") == 0);
    free(c);
    /* A row the window made itself: no event, NULL strings are empty. */
    hve_export_row n = {NULL, NULL, "note", "3 rows not shown", -1, NULL};
    c = hve_export_row_text(&n, HVE_EXPORT_CSV);
    CHECK(c && strcmp(c, ",,,,note,3 rows not shown,,,,\r\n") == 0);
    free(c);
    CHECK(hve_export_row_text(&n, (hve_export_format)7) == NULL);

    /* JSON lines: the line `hvecho --json` prints, and a newline. */
    char want[HVE_EVENT_JSON_MAX + 2];
    size_t len = hve_event_json(&ev, want, HVE_EVENT_JSON_MAX);
    memcpy(want + len, "\n", 2);
    char *j = hve_export_row_text(&r, HVE_EXPORT_JSONL);
    CHECK(j && strcmp(j, want) == 0);
    const char *pre = "{\"event\":\"received\",\"side\":\"client\","
                      "\"t_ms\":1.234,\"conn\":3,\"round\":3,";
    CHECK(j && strncmp(j, pre, strlen(pre)) == 0);
    free(j);
    hve_export_row q = {NULL, NULL, "note", "say \"hi\"\n", -1, NULL};
    j = hve_export_row_text(&q, HVE_EXPORT_JSONL);
    CHECK(j && strcmp(j, "{\"event\":\"note\",\"detail\":\"say \\\"hi\\\"\\n\"}\n")
                   == 0);
    free(j);
}
