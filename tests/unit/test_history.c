/* test_history.c - the MRU lists of targets and listen addresses
 * (history.h): order, de-duplication, bounds, the settings text and a
 * damaged one. Main thread only. */
#include "check.h"
#include "tests.h"

#include "hvecho/hvecho.h"

#include <stdlib.h>

void test_history_mru(void)
{
    hve_history *h = hve_history_new(3);
    if (!h)
        return;
    CHECK(hve_history_add(h, "target.tcp", "127.0.0.1:5000"));
    CHECK(hve_history_add(h, "target.tcp", "[::1]:5000"));
    CHECK(hve_history_add(h, "target.unix", "/tmp/a.sock"));
    CHECK(hve_history_add(h, "target.tcp", "127.0.0.1:5000")); /* again */
    CHECK_EQ_INT(hve_history_count(h, "target.tcp"), 2);
    CHECK_EQ_STR(hve_history_get(h, "target.tcp", 0), "127.0.0.1:5000");
    CHECK_EQ_STR(hve_history_get(h, "target.tcp", 1), "[::1]:5000");
    CHECK(hve_history_get(h, "target.tcp", 2) == NULL);
    CHECK_EQ_INT(hve_history_count(h, "listen.tcp"), 0);
    CHECK(hve_history_get(h, "listen.tcp", 0) == NULL);
    /* Bounded: the oldest goes. */
    CHECK(hve_history_add(h, "target.tcp", "10.0.0.1:1"));
    CHECK(hve_history_add(h, "target.tcp", "10.0.0.2:2"));
    CHECK_EQ_INT(hve_history_count(h, "target.tcp"), 3);
    CHECK_EQ_STR(hve_history_get(h, "target.tcp", 0), "10.0.0.2:2");
    CHECK_EQ_STR(hve_history_get(h, "target.tcp", 2), "127.0.0.1:5000");
    /* Bad kinds and values change nothing. */
    CHECK(!hve_history_add(h, "", "x"));
    CHECK(!hve_history_add(h, "has space", "x"));
    CHECK(!hve_history_add(h, "target.tcp", ""));
    CHECK(!hve_history_add(h, "target.tcp", NULL));
    char big[HVE_HISTORY_VALUE_MAX + 2];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    CHECK(!hve_history_add(h, "target.tcp", big));
    big[HVE_HISTORY_VALUE_MAX] = '\0';
    CHECK(hve_history_add(h, "target.big", big));
    CHECK(hve_history_remove(h, "target.tcp", "10.0.0.1:1"));
    CHECK(!hve_history_remove(h, "target.tcp", "10.0.0.1:1"));
    CHECK(!hve_history_remove(h, "nope", "x"));
    CHECK_EQ_INT(hve_history_count(h, "target.tcp"), 2);
    /* Kinds are bounded too. */
    char kind[16];
    int made = 0;
    for (int i = 0; i < 40; i++) {
        snprintf(kind, sizeof kind, "k%d", i);
        made += hve_history_add(h, kind, "v");
    }
    CHECK_EQ_INT(made, HVE_HISTORY_KINDS - 3);
    hve_history_free(h);
}

void test_history_text(void)
{
    hve_history *h = hve_history_new(0);
    if (!h)
        return;
    hve_history_add(h, "target.unix", "/tmp/with\ttab");
    hve_history_add(h, "target.unix", "/tmp/caf\xc3\xa9 x.sock");
    hve_history_add(h, "listen.tcp", "127.0.0.1:0");
    hve_history_add(h, "target.unix", "back\\slash\nnewline");
    char *text = hve_history_save(h);
    CHECK(text != NULL);
    if (!text)
        return;
    /* Golden: newest first within a kind; escapes keep one entry a line
     * (the UTF-8 path escapes or not, as hve_escape shows text). */
    char esc[64];
    char want[512];
    snprintf(want, sizeof want,
             "target.unix\tback\\\\slash\\nnewline\n"
             "target.unix\t%s\n"
             "target.unix\t/tmp/with\\ttab\n"
             "listen.tcp\t127.0.0.1:0\n",
             hve_escape("/tmp/caf\xc3\xa9 x.sock", 17, esc, sizeof esc));
    CHECK_EQ_STR(text, want);
    /* A new history loads it back the same. */
    hve_history *back = hve_history_new(0);
    CHECK_EQ_INT(hve_history_load(back, text), 4);
    char *again = hve_history_save(back);
    CHECK(again && strcmp(again, text) == 0);
    CHECK_EQ_STR(hve_history_get(back, "target.unix", 1),
                 "/tmp/caf\xc3\xa9 x.sock");
    CHECK_EQ_STR(hve_history_get(back, "target.unix", 0),
                 "back\\slash\nnewline");
    free(again);
    free(text);
    hve_history_free(back);
    hve_history_free(h);

    /* Damage: bad lines are skipped, CRLF is fine, duplicates keep the
     * first (newest) place, a full kind keeps its first entries. */
    h = hve_history_new(2);
    size_t n = hve_history_load(
        h, "no tab here\n"
           "target.tcp\t1.1.1.1:1\r\n"
           "\tno kind\n"
           "bad kind!\tx\n"
           "target.tcp\tbad \\q escape\n"
           "target.tcp\tnul \\x00 inside\n"
           "target.tcp\t\n"
           "target.tcp\t1.1.1.1:1\n"
           "target.tcp\t2.2.2.2:2\n"
           "target.tcp\t3.3.3.3:3\n"
           "listen.unix\t/x");
    CHECK_EQ_INT(n, 3);
    CHECK_EQ_INT(hve_history_count(h, "target.tcp"), 2);
    CHECK_EQ_STR(hve_history_get(h, "target.tcp", 0), "1.1.1.1:1");
    CHECK_EQ_STR(hve_history_get(h, "target.tcp", 1), "2.2.2.2:2");
    CHECK_EQ_STR(hve_history_get(h, "listen.unix", 0), "/x");
    CHECK_EQ_INT(hve_history_load(h, ""), 0);
    hve_history_free(h);
    h = hve_history_new(0);
    char *empty = h ? hve_history_save(h) : NULL;
    CHECK(empty && strcmp(empty, "") == 0);
    free(empty);
    hve_history_free(h);
}
