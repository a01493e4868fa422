/* test_text.c - escaping peer bytes for terminals, log rows and JSON, and
 * unescaping typed messages. */
#include "check.h"
#include "tests.h"

#include "hvecho/hvecho.h"
#include <stdlib.h>
#include <string.h>

void test_escape(void)
{
    char out[256];
    CHECK_EQ_STR(hve_escape("hello", 5, out, sizeof out), "hello");
    CHECK_EQ_STR(hve_escape("a\nb\tc\rd\\", 8, out, sizeof out),
                 "a\\nb\\tc\\rd\\\\");
    /* An escape sequence, a C1 control in UTF-8, invalid UTF-8, a NUL. */
    CHECK_EQ_STR(hve_escape("\x1b[31m", 5, out, sizeof out), "\\x1B[31m");
    CHECK_EQ_STR(hve_escape("\xc2\x9b" "2J", 4, out, sizeof out),
                 "\\xC2\\x9B2J");
    CHECK_EQ_STR(hve_escape("\xff\xfe\x00\x7f", 4, out, sizeof out),
                 "\\xFF\\xFE\\x00\\x7F");
    /* Truncation ends with "..." and never splits an escape. */
    char small[10];
    hve_escape("\x01\x02\x03\x04\x05", 5, small, sizeof small);
    CHECK_EQ_STR(small, "\\x01...");
    hve_escape("abcdefghijklmnop", 16, small, sizeof small);
    CHECK_EQ_STR(small, "abcdef...");
    CHECK_EQ_STR(hve_escape("", 0, out, sizeof out), "");
}

void test_json_escape(void)
{
    char out[256];
    CHECK_EQ_STR(hve_json_escape("say \"hi\"\\", 9, out, sizeof out),
                 "say \\\"hi\\\"\\\\");
    CHECK_EQ_STR(hve_json_escape("\x1b\n\xe9", 3, out, sizeof out),
                 "\\u001B\\n\\u00E9");
}

void test_unescape(void)
{
    unsigned char out[64];
    size_t n = hve_unescape("a\\nb\\x00\\xFF\\\\", out, sizeof out);
    CHECK_EQ_INT(n, 6);
    CHECK(memcmp(out, "a\nb\x00\xff\\", 6) == 0);
    CHECK_EQ_INT(hve_unescape("bad\\q", out, sizeof out), (size_t)-1);
    CHECK_EQ_INT(hve_unescape("bad\\x4", out, sizeof out), (size_t)-1);
    CHECK_EQ_INT(hve_unescape("trailing\\", out, sizeof out), (size_t)-1);
    CHECK_EQ_INT(hve_unescape("toolong", out, 3), (size_t)-1);
    /* Round trip through hve_escape. */
    unsigned char bytes[256];
    for (int i = 0; i < 256; i++)
        bytes[i] = (unsigned char)i;
    static char esc[256 * 4 + 8];
    hve_escape(bytes, 256, esc, sizeof esc);
    unsigned char back[256];
    CHECK_EQ_INT(hve_unescape(esc, back, sizeof back), 256);
    CHECK(memcmp(back, bytes, 256) == 0);
}

void test_size_parse(void)
{
    uint64_t v = 0;
    CHECK(hve_size_parse("0", 100, &v) && v == 0);
    CHECK(hve_size_parse("4096", UINT64_MAX, &v) && v == 4096);
    CHECK(hve_size_parse("64K", UINT64_MAX, &v) && v == 65536);
    CHECK(hve_size_parse("64MiB", UINT64_MAX, &v) && v == 64u << 20);
    CHECK(hve_size_parse("2gb", UINT64_MAX, &v) && v == 2ull << 30);
    CHECK(hve_size_parse("7B", UINT64_MAX, &v) && v == 7);
    CHECK(hve_size_parse("1G", 1ull << 30, &v));
    CHECK(!hve_size_parse("1G", (1ull << 30) - 1, &v));
    static const char *const bad[] = {"", " 1", "1 ", "-1", "+1", "1.5M",
                                      "12Q", "M", "1iB", "1KiBx",
                                      "99999999999999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (hve_size_parse(bad[i], UINT64_MAX, &v)) {
            fprintf(stderr, "accepted a bad size: \"%s\"\n", bad[i]);
            check_failures++;
        }
}

/* Printable UTF-8 is text; everything that is not is escaped byte by
 * byte, the way hve_unescape reads it back. */
void test_escape_utf8(void)
{
    char out[256];
    const char *ok = "h\xc3\xa9llo w\xc3\xb6rld \xe2\x9c\x93 \xf0\x9f\x98\x80";
    CHECK_EQ_STR(hve_escape(ok, strlen(ok), out, sizeof out), ok);
    CHECK_EQ_STR(hve_json_escape(ok, strlen(ok), out, sizeof out), ok);
    /* Overlong "/", a surrogate, past U+10FFFF, a lone continuation, a
     * sequence cut short. */
    CHECK_EQ_STR(hve_escape("\xc0\xaf", 2, out, sizeof out), "\\xC0\\xAF");
    CHECK_EQ_STR(hve_escape("\xed\xa0\x80", 3, out, sizeof out),
                 "\\xED\\xA0\\x80");
    CHECK_EQ_STR(hve_escape("\xf4\x90\x80\x80", 4, out, sizeof out),
                 "\\xF4\\x90\\x80\\x80");
    CHECK_EQ_STR(hve_escape("a\x80" "b", 3, out, sizeof out), "a\\x80b");
    CHECK_EQ_STR(hve_escape("\xe2\x9c", 2, out, sizeof out), "\\xE2\\x9C");
    /* Valid, but not for showing: a right-to-left override, a zero width
     * space, a byte order mark. */
    CHECK_EQ_STR(hve_escape("\xe2\x80\xae" "abc", 6, out, sizeof out),
                 "\\xE2\\x80\\xAEabc");
    CHECK_EQ_STR(hve_escape("\xe2\x80\x8b", 3, out, sizeof out),
                 "\\xE2\\x80\\x8B");
    CHECK_EQ_STR(hve_escape("\xef\xbb\xbf", 3, out, sizeof out),
                 "\\xEF\\xBB\\xBF");
    CHECK_EQ_INT(hve_utf8_printable("\xc3\xa9", 2), 2);
    CHECK_EQ_INT(hve_utf8_printable("\xe2\x9c\x93", 3), 3);
    CHECK_EQ_INT(hve_utf8_printable("\xf0\x9f\x98\x80", 4), 4);
    CHECK_EQ_INT(hve_utf8_printable("a", 1), 0);
    /* Every escape reads back to the same bytes. */
    const char *mixed = "\xe2\x9c\x93\xff\n\xe2\x80\xae" "!";
    hve_escape(mixed, strlen(mixed), out, sizeof out);
    unsigned char back[64];
    size_t n = hve_unescape(out, back, sizeof back);
    CHECK_EQ_INT(n, strlen(mixed));
    CHECK(n == strlen(mixed) && memcmp(back, mixed, n) == 0);
    /* A preview: at most max bytes, cut between characters, "..." when
     * cut or when more bytes exist than the data holds. */
    CHECK_EQ_STR(hve_show_bytes("\xc3\xa9\xc3\xa9", 4, 3, false, out,
                                sizeof out),
                 "\xc3\xa9...");
    CHECK_EQ_STR(hve_show_bytes("abc", 3, 64, true, out, sizeof out),
                 "abc...");
    CHECK_EQ_STR(hve_show_bytes("abc", 3, 64, false, out, sizeof out), "abc");
    char small[8];
    CHECK_EQ_STR(hve_show_bytes("abcdefghij", 10, 64, false, small,
                                sizeof small),
                 "abcd...");
}

/* Counts take digits only: a count is not a size. */
void test_count_parse(void)
{
    uint64_t n = 0;
    CHECK(hve_count_parse("500", 1000, &n));
    CHECK_EQ_INT(n, 500);
    CHECK(!hve_count_parse("1K", 1000000, &n));
    CHECK(!hve_count_parse("1001", 1000, &n));
    CHECK(!hve_count_parse("", 1000, &n));
    CHECK(!hve_count_parse("-1", 1000, &n));
    CHECK(!hve_count_parse("12 ", 1000, &n));
    CHECK(!hve_count_parse("99999999999999999999999", UINT64_MAX, &n));
    /* and the size parser takes what --size says it does */
    CHECK(hve_size_parse("64MiB", (uint64_t)1 << 30, &n));
    CHECK_EQ_INT(n, 64u << 20);
}

void test_test_data(void)
{
    unsigned char a[4099], b[4099];
    hve_test_data(a, sizeof a, 1);
    hve_test_data(b, sizeof b, 1);
    CHECK(memcmp(a, b, sizeof a) == 0); /* the same seed, the same bytes */
    hve_test_data(b, sizeof b, 2);
    CHECK(memcmp(a, b, sizeof a) != 0);
    bool seen[256] = {false};
    for (size_t i = 0; i < sizeof a; i++)
        seen[a[i]] = true;
    int values = 0;
    for (int i = 0; i < 256; i++)
        values += seen[i];
    CHECK_EQ_INT(values, 256);
    /* No short period: no 64-byte window repeats at a shift below 1 KiB. */
    for (size_t shift = 1; shift < 1024; shift++)
        CHECK(memcmp(a, a + shift, 64) != 0);
    /* A shorter fill is the start of a longer one. */
    hve_test_data(b, 5, 1);
    CHECK(memcmp(a, b, 5) == 0);
}

void test_fill_repeat(void)
{
    unsigned char *m = hve_fill_repeat("abc", 3, 10);
    CHECK(m != NULL);
    CHECK(m && memcmp(m, "abcabcabca", 10) == 0);
    free(m);
    m = hve_fill_repeat("abcdef", 6, 4); /* shorter than the text: cut */
    CHECK(m && memcmp(m, "abcd", 4) == 0);
    free(m);
    m = hve_fill_repeat("x", 1, 100000);
    CHECK(m && m[0] == 'x' && m[99999] == 'x');
    free(m);
    CHECK(hve_fill_repeat("", 0, 10) == NULL);
}

void test_client_opts_message(void)
{
    hve_client_opts o;
    memset(&o, 0, sizeof o);
    /* as typed: the text itself, which the session copies */
    CHECK_EQ_INT(hve_client_opts_message(&o, "abc", 3, 0), 0);
    CHECK(o.message != NULL && memcmp(o.message, "abc", 3) == 0);
    CHECK(o.message_len == 3 && o.message_free == NULL);
    CHECK_EQ_INT(hve_client_opts_message(&o, "abc", 3, 3), 0);
    CHECK(o.message_len == 3 && o.message_free == NULL);
    CHECK(o.repeat_to == 0);
    /* filled: the text, repeated by the session to fill bytes */
    CHECK_EQ_INT(hve_client_opts_message(&o, "abc", 3, 10), 0);
    CHECK(o.message_len == 3 && o.message_free == NULL);
    CHECK(memcmp(o.message, "abc", 3) == 0 && o.repeat_to == 10);
    CHECK_EQ_INT(hve_client_opts_message(&o, "abc", 3, 2), 0);
    CHECK(o.message_len == 3 && o.repeat_to == 0);
    /* nothing to repeat */
    CHECK_EQ_INT(hve_client_opts_message(&o, "", 0, 10), HVE_ENOMEM);
}
