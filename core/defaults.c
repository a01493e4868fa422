/* defaults.c - the test data generator of defaults.h. Pure: any thread. */
#include "hvecho/defaults.h"

#include <string.h>

void hve_test_data(void *buf, size_t len, uint64_t seed)
{
    unsigned char *p = buf;
    uint64_t x = seed ? seed : 0x9E3779B97F4A7C15u; /* never 0 */
    while (len) {
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        uint64_t v = x * 0x2545F4914F6CDD1Du;
        size_t n = len < 8 ? len : 8;
        /* The bytes of v, low first, whatever the machine's order. */
        for (size_t i = 0; i < n; i++)
            p[i] = (unsigned char)(v >> (8 * i));
        p += n;
        len -= n;
    }
}
