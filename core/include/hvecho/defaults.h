/* defaults.h - the values every front end and the core fall back to, in
 * one place, and the generator of test data (--size, the benchmarks).
 * Constants and a pure function: any thread. */
#ifndef HVECHO_DEFAULTS_H
#define HVECHO_DEFAULTS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define HVE_DEFAULT_MESSAGE "this is a test" /* the client's message */
#define HVE_DEFAULT_BYE "bye"                /* the server's bye */
#define HVE_DEFAULT_TIMEOUT_MS 5000          /* connect, each read */
#define HVE_DEFAULT_MAX_CONNS 1024           /* server: at once */
#define HVE_DEFAULT_IDLE_TIMEOUT_MS 60000    /* server: no progress */

/* Fills buf with len bytes of test data: a fast pseudo-random stream
 * (xorshift64*) in which every byte value occurs and nothing repeats in a
 * short period, so a lost, doubled or reordered chunk of an echo cannot
 * match by chance. The same seed gives the same bytes. */
void hve_test_data(void *buf, size_t len, uint64_t seed);

#ifdef __cplusplus
}
#endif
#endif
