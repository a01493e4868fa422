/* allow.h - the server's --allow list: which peers it keeps. Any other
 * peer is closed as soon as it is accepted.
 *
 * The list is comma-separated; spaces around an entry are ignored. An
 * entry is one of:
 *   - an IPv4 or IPv6 address, or a network in CIDR form: 127.0.0.1,
 *     127.0.0.0/8, ::1, ::1/128, [::1], fe80::/10 (an IPv4 entry also
 *     matches the same peer seen as ::ffff:a.b.c.d on a dual-stack
 *     listener);
 *   - a vsock CID: N or cid:N;
 *   - a Hyper-V VM id: a GUID, or a well-known name (parent, loopback,
 *     children, silohost, wildcard, broadcast);
 *   - a Unix-socket peer's user: uid:N.
 * An entry only ever matches peers of its own family.
 *
 * Threads: parse once (hve_session_start_server does it on the owner's
 * thread); a parsed list is read-only afterwards, so hve_allow_match is
 * safe from any thread. */
#ifndef HVECHO_ALLOW_H
#define HVECHO_ALLOW_H

#include <stdbool.h>
#include <stddef.h>

#include "hvecho/addr.h"

#ifdef __cplusplus
extern "C" {
#endif

/* At most this many entries in one list. */
#define HVE_ALLOW_MAX 256

typedef struct hve_allow hve_allow;

/* Parses list. 0 with *out set (free it with hve_allow_free), or
 * HVE_EBADINPUT / HVE_ENOMEM with why (one line, naming the bad entry)
 * filled in. An empty list is an error: NULL means "allow everyone", and
 * callers pass NULL for that. */
int hve_allow_parse(const char *list, hve_allow **out, char *why,
                    size_t whylen);

/* True when peer (an accepted connection's peer) is on
 * the list. A NULL list allows every peer. */
bool hve_allow_match(const hve_allow *a, const hve_addr *peer);

void hve_allow_free(hve_allow *a);

#ifdef __cplusplus
}
#endif
#endif
