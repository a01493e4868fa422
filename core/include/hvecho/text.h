/* text.h - turning peer bytes into text that is safe to show: on a
 * terminal, in a log row, in JSON. Pure functions: safe from any thread. */
#ifndef HVECHO_TEXT_H
#define HVECHO_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Peer bytes as text: printable ASCII and printable UTF-8 characters
 * (hve_utf8_printable) as they are; \n \r \t \\ as those escapes; every
 * other byte (controls, DEL, C1 controls, bidi overrides, malformed UTF-8:
 * nothing that could drive a terminal or disguise text) as \xHH, which
 * hve_unescape reads back. Always NUL-terminates; when out is too small
 * ends with "..." . Returns out. */
char *hve_escape(const void *data, size_t len, char *out, size_t outlen);

/* hve_escape of at most max bytes of data, cut between characters, and
 * "..." at the end when bytes were left out or more is true (the bytes
 * shown are only the start of a longer run). For a line or a row that
 * shows the start of a message. Returns out. */
char *hve_show_bytes(const void *data, size_t len, size_t max, bool more,
                     char *out, size_t outlen);

/* The length (2 to 4) of the UTF-8 character that starts data when it is
 * valid and printable, else 0 (ASCII is not counted: 0 for it too). */
size_t hve_utf8_printable(const void *data, size_t len);

/* Escapes for a JSON string body (no quotes added): ", \, controls as
 * \uXXXX, printable UTF-8 as it is, other bytes >= 0x80 as \u00XX. Same
 * truncation rule. */
char *hve_json_escape(const void *data, size_t len, char *out,
                      size_t outlen);

/* Decodes the escapes hve_escape writes (\n \r \t \\ \xHH) so a user can
 * type any bytes into a message field. Returns the length written, or
 * (size_t)-1 when text has a bad escape. out may be text. */
size_t hve_unescape(const char *text, unsigned char *out, size_t outlen);

/* A byte count or count as people type it: digits with an optional K, M
 * or G (powers of 1024), optionally followed by B or iB ("64M", "64MiB",
 * "4096B"). Returns true with *out set when text is that and at most max;
 * no sign, no spaces, no fractions. */
bool hve_size_parse(const char *text, uint64_t max, uint64_t *out);

/* A count (handshakes, connections, a seed): digits only, no suffix, at
 * most max. Returns true with *out set. */
bool hve_count_parse(const char *text, uint64_t max, uint64_t *out);

/* A duration as people type it: a number (fractions allowed) with an
 * optional unit: us, ms, s (the default: "0.5" is half a second) or m
 * ("250ms", "1.5s", "2m"). Returns true with *out_us set (rounded to the
 * microsecond) when text is that and at most max_us; no sign, no spaces. */
bool hve_duration_parse(const char *text, int64_t max_us, int64_t *out_us);

/* A message of fill bytes: text (len > 0 bytes) repeated, the last copy
 * cut where fill ends (the pattern a session sends a Fill to from). Newly
 * allocated (free()), NULL when out of memory. A few large copies, not
 * one per repetition. */
unsigned char *hve_fill_repeat(const void *text, size_t len, size_t fill);

#ifdef __cplusplus
}
#endif
#endif
