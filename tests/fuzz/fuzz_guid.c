/* fuzz_guid.c - libFuzzer target: the GUID parser (guid.h).
 *
 * Properties checked on every input, beyond "no crash, no UB":
 *   - a parsed GUID formats back to text that parses to the same GUID;
 *   - the FACB rule round-trips: to_port then from_port gives it back;
 *   - a well-known name gives an id whose name is that id's name.
 * Single-threaded. */
#include "hvecho/guid.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char text[256];
    if (size >= sizeof text)
        size = sizeof text - 1;
    memcpy(text, data, size);
    text[size] = '\0';

    hve_guid g, back;
    if (hve_guid_parse(text, &g)) {
        char buf[HVE_GUID_STRLEN];
        hve_guid_format(&g, buf);
        if (strlen(buf) != HVE_GUID_STRLEN - 1 || !hve_guid_parse(buf, &back)
            || !hve_guid_equal(&g, &back))
            abort();
        uint32_t port;
        if (hve_guid_to_port(&g, &port)) {
            hve_guid_from_port(port, &back);
            if (!hve_guid_equal(&g, &back))
                abort();
        }
        const char *name = hve_guid_name(&g);
        if (name && (!hve_guid_by_name(name, &back) ||
                     !hve_guid_equal(&g, &back)))
            abort();
    }
    if (hve_guid_by_name(text, &g) && !hve_guid_name(&g))
        abort();
    return 0;
}
