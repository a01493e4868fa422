/* fuzz_addr.c - libFuzzer target: the target, listen-address and service
 * parsers (addr.h) for both platforms' rules, and the --allow list parser
 * (allow.h), with everything that formats their results.
 *
 * Input: the first byte picks the platform, the rest is the text.
 * Properties checked: a parse either succeeds or fills a one-line,
 * NUL-terminated why; a parsed service's GUID and port agree; a parsed
 * target is matched against a parsed allow list without trouble.
 * Single-threaded. */
#include "hvecho/addr.h"
#include "hvecho/allow.h"
#include "hvecho/error.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_why(int err, const char *why, size_t cap)
{
    if (!err)
        return;
    if (!memchr(why, '\0', cap) || strchr(why, '\n') || why[0] == '\0')
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    hve_platform pf = (data[0] & 1) ? HVE_PLATFORM_WINDOWS
                                    : HVE_PLATFORM_LINUX;
    data++;
    size--;
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';

    char why[300], buf[600];
    hve_addr a;
    hve_service svc;
    hve_service_default(&svc);

    memset(why, 'x', sizeof why);
    why[sizeof why - 1] = '\0';
    int err = hve_service_parse(text, pf, &svc, why, sizeof why);
    check_why(err, why, sizeof why);
    if (!err) {
        uint32_t port;
        bool facb = hve_guid_to_port(&svc.guid, &port);
        if (facb != svc.has_port || (facb && port != svc.port))
            abort();
        hve_service_describe(&svc, buf, sizeof buf);
        hve_service_linux_warning(&svc);
        hve_service_register_command(&svc, text, buf, sizeof buf);
    }

    err = hve_target_parse(text, pf, &a, why, sizeof why);
    check_why(err, why, sizeof why);
    if (!err)
        hve_addr_format(&a, &svc, buf, sizeof buf);
    hve_addr t = a;
    bool have_target = !err;

    err = hve_listen_parse(text, pf, &a, why, sizeof why);
    check_why(err, why, sizeof why);
    if (!err)
        hve_addr_format(&a, &svc, buf, sizeof buf);
    if (!err && a.family == HVE_FAM_HYBRID) {
        hve_addr un;
        err = hve_hybrid_listen_path(&a, &svc, &un, why, sizeof why);
        check_why(err, why, sizeof why);
        if (!err && (un.family != HVE_FAM_UNIX || !strchr(un.path, '_')))
            abort();
    }

    hve_allow *al = NULL;
    err = hve_allow_parse(text, &al, why, sizeof why);
    check_why(err, why, sizeof why);
    if (!err != (al != NULL))
        abort();
    if (al) {
        /* Match the list against its own entries as peers. */
        if (have_target)
            hve_allow_match(al, &t);
        hve_addr peer = {0};
        peer.family = HVE_FAM_TCP;
        size_t n = strcspn(text, ",");
        if (n < sizeof peer.host) {
            memcpy(peer.host, text, n);
            peer.host[n] = '\0';
            hve_allow_match(al, &peer);
        }
        peer.family = HVE_FAM_UNIX;
        snprintf(peer.path, sizeof peer.path, "pid 1 uid %.40s", text);
        hve_allow_match(al, &peer);
        hve_allow_free(al);
    }
    free(text);
    return 0;
}
