/* guid.h - GUIDs as Hyper-V sockets use them: parse, format, the well-known
 * VM ids, and the vsock port <-> service GUID rule (the FACB template).
 *
 * Pure functions, no state: safe from any thread. */
#ifndef HVECHO_GUID_H
#define HVECHO_GUID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Same field layout as the Windows GUID struct. */
typedef struct hve_guid {
    uint32_t data1;
    uint16_t data2;
    uint16_t data3;
    uint8_t data4[8];
} hve_guid;

/* "3049197C-FACB-11E6-BD58-64006A7986D3" plus the NUL. */
#define HVE_GUID_STRLEN 37

/* Parses 8-4-4-4-12 hex digits, any case, optionally inside one pair of
 * braces. Nothing else may follow. Returns true on success. */
bool hve_guid_parse(const char *text, hve_guid *out);

/* Upper-case, no braces. buf must hold HVE_GUID_STRLEN bytes. */
char *hve_guid_format(const hve_guid *g, char *buf);

bool hve_guid_equal(const hve_guid *a, const hve_guid *b);

/* The well-known VM ids: "wildcard" (also "zero"), "broadcast", "children",
 * "loopback", "parent", "silohost". Name lookup ignores case. */
bool hve_guid_by_name(const char *name, hve_guid *out);
/* The name of a well-known id, or NULL. */
const char *hve_guid_name(const hve_guid *g);

extern const hve_guid HVE_GUID_WILDCARD;
extern const hve_guid HVE_GUID_BROADCAST;
extern const hve_guid HVE_GUID_CHILDREN;
extern const hve_guid HVE_GUID_LOOPBACK;
extern const hve_guid HVE_GUID_PARENT;
extern const hve_guid HVE_GUID_SILOHOST;
extern const hve_guid HVE_GUID_VSOCK_TEMPLATE;

/* The service GUID a Linux guest's vsock port maps to:
 * XXXXXXXX-FACB-11E6-BD58-64006A7986D3 with XXXXXXXX = port. */
void hve_guid_from_port(uint32_t port, hve_guid *out);
/* True when g is of the FACB form; *port gets the vsock port. */
bool hve_guid_to_port(const hve_guid *g, uint32_t *port);

#ifdef __cplusplus
}
#endif
#endif
