/* hexdump.h - bytes as a hex dump for a person: offset, hex, ASCII.
 *
 * For the windows' detail pane (the bytes of a data event) and anything
 * else that shows raw bytes. Pure functions: safe from any thread.
 *
 * Usage:
 *     size_t need = hve_hexdump(ev->data, ev->len, 0, 0, NULL, 0) + 1;
 *     char *text = malloc(need);
 *     hve_hexdump(ev->data, ev->len, 0, 0, text, need);
 *
 * One line per 16 bytes, in the layout of `hexdump -C`:
 *
 *     00000000  74 68 69 73 20 69 73 20  61 20 74 65 73 74        |this is a test|
 *
 * the offset in hex (8 digits, more past 4 GiB), the bytes in hex in two
 * groups of 8, then the same bytes as ASCII between bars, where every byte
 * that is not printable ASCII (0x20..0x7E) is a '.' (so no control byte,
 * escape sequence or malformed UTF-8 from a peer reaches a display). The
 * last line is padded so its ASCII column lines up. Every line ends with
 * "\n" ("\r\n" with HVE_HEX_CRLF, for a Win32 edit control). */
#ifndef HVECHO_HEXDUMP_H
#define HVECHO_HEXDUMP_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define HVE_HEX_CRLF 1u /* end lines with \r\n instead of \n */

/* Bytes per line. */
#define HVE_HEX_PER_LINE 16

/* Writes the dump of len bytes of data, the first of which is at
 * `offset` in the stream (the offsets shown start there), into out.
 * Like snprintf: returns the length of the whole dump (without the NUL)
 * and writes as many whole lines as fit in outlen, always NUL-terminated
 * when outlen > 0; out may be NULL when outlen is 0. len 0 gives "". */
size_t hve_hexdump(const void *data, size_t len, uint64_t offset,
                   unsigned flags, char *out, size_t outlen);

#ifdef __cplusplus
}
#endif
#endif
